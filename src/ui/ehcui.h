/*
 * ehcui.h: the EHC screen: requests for an EHC needs assessment with
 * their statutory deadlines, and EHC plans' annual reviews and
 * phase-transfer deadlines (core/ehc.h), as a scrolling listing.
 */
#ifndef SENCO_UI_EHCUI_H
#define SENCO_UI_EHCUI_H

#include <stdint.h>

struct app;

/* Push the EHC screen: every open request and every plan's review
 * dates; with pupil_id non-zero, that pupil's requests (all of them). */
void ui_ehc_open(struct app *a, int64_t pupil_id);

#endif
