/*
 * target.h: the targets (outcomes sought) of a cycle and their ratings.
 */
#ifndef SENCO_TARGET_H
#define SENCO_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

struct target {
	int64_t id;
	int64_t cycle_id;
	int position;			/* order within the cycle, from 1 */
	char *text;			/* heap: what the pupil will do */
	char *criteria;			/* heap: success criteria */
	char *baseline;			/* heap: where the pupil starts */
	enum area area;
	enum outcome outcome;		/* OUTCOME_NONE until review */
	sdate outcome_on;
	int64_t carried_from;		/* target this was carried over from */
	/* read-only, filled on read: the latest rating */
	int latest;			/* -1 none yet */
	sdate latest_on;
	int64_t version;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

struct rating {
	int64_t id;
	int64_t target_id;
	int value;			/* 0..4, or -1 for a comment alone */
	sdate on;
	char author[AUTHOR_MAX];
	char *comment;			/* heap, NULL = none */
	char created_at[TIMESTAMP_LEN];
};

/* How the core orders a target's ratings, newest first, wherever it needs
 * "the latest rating" in SQL (target.c, register.c, report.c): by date,
 * then by the order they were made (seq), so two ratings made within one
 * second on one day still have a latest. Use with the alias r. */
#define RATING_NEWEST_FIRST(r) \
	r ".rated_on DESC, " r ".seq DESC, " r ".created_at DESC"

void target_init(struct target *t);
void target_free(struct target *t);	/* the heap strings only */
void rating_free(struct rating *r);

/* Add to an open cycle; position = last + 1. Text is required. */
int target_add(struct db *db, struct target *t, struct serr *e);
/* Write text, criteria, baseline, area; version-checked. */
int target_update(struct db *db, struct target *t, struct serr *e);
int target_get(struct db *db, int64_t id, struct target *t, struct serr *e);
/* Record a rating 0..4 (or -1 with a comment for a comment alone) dated
 * `on` (SDATE_NONE = today) by the db author: one transaction. The new
 * rating's id goes to *rating_id if given (for undo). Refused on a target
 * with an outcome or in a closed cycle. */
int target_rate(struct db *db, int64_t target_id, int value,
    const char *comment, sdate on, int64_t *rating_id, struct serr *e);
/* Undo support: remove one rating row. */
int target_rating_delete(struct db *db, int64_t rating_id, struct serr *e);
/* Set the review outcome (OUTCOME_NONE clears it). */
int target_set_outcome(struct db *db, int64_t target_id, enum outcome o,
    struct serr *e);
/* The same, dated `on` (SDATE_NONE = today): reviews entered afterwards,
 * imports and demo data. */
int target_set_outcome_on(struct db *db, int64_t target_id, enum outcome o,
    sdate on, struct serr *e);
/* Copy target_id into the open cycle new_cycle_id (text, criteria, area;
 * baseline = its latest rating's words), carried_from set. */
int target_carry_over(struct db *db, int64_t target_id, int64_t new_cycle_id,
    int64_t *new_id, struct serr *e);

typedef int (*target_cb)(void *ctx, const struct target *t);
/* Targets of a cycle in position order. */
int target_list(struct db *db, int64_t cycle_id, target_cb cb, void *ctx,
    struct serr *e);
typedef int (*rating_cb)(void *ctx, const struct rating *r);
/* Ratings of a target, oldest first. */
int target_ratings(struct db *db, int64_t target_id, rating_cb cb, void *ctx,
    struct serr *e);

#endif
