/*
 * review_int.h: what review.c (the meeting's answers and keys) and
 * review_draw.c (its drawing) share. Not for other screens: they open a
 * meeting with ui_review_open() (review.h).
 */
#ifndef SENCO_UI_REVIEW_INT_H
#define SENCO_UI_REVIEW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/cycle.h"
#include "core/pupil.h"
#include "core/target.h"
#include "ui/app.h"
#include "ui/edit.h"

#define HIST_MAX 16		/* ratings drawn in the progress line */
#define COMMENTS_SHOWN 2	/* the latest comments shown */
#define COMMENT_MAX 320
#define LABEL_W 11		/* "Criteria" column */
#define TEXT_ROWS 3		/* rows the target's text may take */
#define CRITERIA_ROWS 2
#define VOICE_ROWS_MIN 3
#define STEPS_ROW UI_BODY_TOP	/* the steps of the meeting */
#define BODY_ROW (UI_BODY_TOP + 2)
/* A close whose carry-over was cut short is offered again this long. */
#define CARRY_RESUME_DAYS 7

enum step {
	STEP_TARGET, STEP_PARENT, STEP_PUPIL, STEP_DECIDE, STEP_CARRY,
	STEP_DONE
};

enum carry_answer { CARRY_ASK = 0, CARRY_CARRIED, CARRY_LEFT };

struct rtarget {
	struct target t;
	int hist[HIST_MAX];	/* the latest ratings, oldest first */
	int n_hist, n_ratings;
	char comments[COMMENTS_SHOWN][COMMENT_MAX];	/* newest first */
	int n_comments;
	enum carry_answer carry;
};

struct review {
	struct ui_screen base;
	struct app *app;	/* for saving in destroy() */
	int64_t pupil_id;
	char name[2 * NAME_MAX_BYTES + 4];
	struct cycle cy;	/* the cycle reviewed */
	struct rtarget *tg;
	int n_tg;
	enum step step;
	int cur;		/* the target shown */
	int *carry;		/* indices into tg of the unmet targets */
	int n_carry, carry_cur;
	enum decision chosen;	/* highlighted, not yet saved */
	enum decision closed_with;
	struct cycle next;	/* the cycle the close started */
	bool has_next;
	/* closed with DECISION_EHC: 1 the request was recorded, 2 one was
	 * open already, 0 neither */
	int ehc_result;
	bool resumed_carry;	/* opened to finish an earlier close */
	/* text entry: a voice, or a comment on the target shown */
	bool editing, comment;
	struct ui_edit ed;
	char *saved;		/* the voice as the caseload holds it */
	int ed_w;		/* the box width at the last draw */
	int cur_y, cur_x;
	bool editor_dirty, body_dirty;
	unsigned long gen;
};

/* The body of the screen: the steps, then the step (review_draw.c). */
void review_draw(struct ui_screen *s, struct app *a, bool full);
/* The first key bound to act, for text on the screen: "a". Returns buf. */
char *review_key_of(enum ui_action act, char *buf, size_t n);

#endif
