/*
 * pupil.h: the pupil screen: a summary and the Cycle, Targets,
 * Interventions, History and Results panes (pupil.c and pane_*.c).
 */
#ifndef SENCO_UI_PUPIL_H
#define SENCO_UI_PUPIL_H

#include <stdint.h>

struct app;

/* Push the pupil screen for a pupil. */
void ui_pupil_open(struct app *a, int64_t pupil_id);

#endif
