/*
 * review.h: the review meeting (review.c): a guided screen that takes
 * each target's rating, outcome and comment, the parent and pupil voice
 * and the decision, closes the cycle and carries unmet targets over.
 */
#ifndef SENCO_UI_REVIEW_H
#define SENCO_UI_REVIEW_H

#include <stdint.h>

struct app;

/*
 * Push the review meeting for a pupil's open cycle, resuming where the
 * answers already saved stop. Says why in the message line (and pushes
 * nothing) when the pupil has no open cycle.
 */
void ui_review_open(struct app *a, int64_t pupil_id);

#endif
