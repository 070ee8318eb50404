/*
 * histview.h: the record history of a pupil (H on the pupil screen): the
 * audit trail of every record of the pupil, newest first: when, who,
 * what, and the fields that changed.
 */
#ifndef SENCO_UI_HISTVIEW_H
#define SENCO_UI_HISTVIEW_H

#include <stdint.h>

struct app;

void ui_histview_open(struct app *a, int64_t pupil_id, const char *name);

#endif
