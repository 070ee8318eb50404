/*
 * cycle.h: the graduated-approach cycle (assess, plan, do, review).
 * A pupil has at most one open cycle.
 */
#ifndef SENCO_CYCLE_H
#define SENCO_CYCLE_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

struct cycle {
	int64_t id;
	int64_t pupil_id;
	enum stage stage;
	sdate plan_start, plan_end;	/* the plan period */
	sdate review_date;		/* agreed with parents */
	char *notes[STAGE_COUNT];	/* heap; NULL = none */
	char *parent_voice, *pupil_voice;
	enum decision decision;		/* DECISION_NONE while open */
	sdate closed_on;		/* SDATE_NONE while open */
	int64_t carried_from;		/* the cycle this one followed, or 0 */
	int64_t version;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

void cycle_init(struct cycle *c);
/* Free the heap strings (not c itself). */
void cycle_free(struct cycle *c);

/*
 * Start a cycle for a pupil at stage assess. start SDATE_NONE = today;
 * review SDATE_NONE = start + review_weeks weeks (the plan period runs from
 * start to the review date). Refused with SE_EXISTS if one is open, and for
 * an archived pupil. *out, if given, receives the new cycle (caller frees
 * with cycle_free).
 */
int cycle_start(struct db *db, int64_t pupil_id, sdate start, sdate review,
    int review_weeks, struct cycle *out, struct serr *e);
/* The open cycle: 0, SE_NOTFOUND if none. Caller frees with cycle_free. */
int cycle_open_for(struct db *db, int64_t pupil_id, struct cycle *out,
    struct serr *e);
int cycle_get(struct db *db, int64_t id, struct cycle *out, struct serr *e);
/* Move to the next stage (assess > plan > do > review); at review it is
 * SE_STATE: a cycle at review ends by cycle_close with a decision. */
int cycle_advance(struct db *db, int64_t id, struct serr *e);
/* Write notes, voices, dates and stage of c over row c->id, with the same
 * version check as pupil_update. */
int cycle_update(struct db *db, struct cycle *c, struct serr *e);
/* Write one text field at once (review meetings save each answer as it is
 * given). field: a stage's notes, or "parent", "pupil". No version check. */
int cycle_set_text(struct db *db, int64_t id, const char *field,
    const char *text, struct serr *e);
/*
 * Close an open cycle with a decision on `on` (SDATE_NONE = today).
 * DECISION_REMOVE also sets the pupil's status to N. For CONTINUE and
 * INCREASE with next_out non-NULL a new cycle is started (review one
 * review_weeks interval ahead) and returned; unmet targets are not carried
 * here (target_carry_over does that, one by one).
 */
int cycle_close(struct db *db, int64_t id, enum decision d, sdate on,
    int review_weeks, struct cycle *next_out, struct serr *e);

typedef int (*cycle_cb)(void *ctx, const struct cycle *c);
/* All cycles of a pupil, newest first. */
int cycle_list(struct db *db, int64_t pupil_id, cycle_cb cb, void *ctx,
    struct serr *e);

#endif
