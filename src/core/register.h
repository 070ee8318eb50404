/*
 * register.h: the SEN register as the UI and reports see it: one row per
 * pupil with the figures derived from their cycle, targets and provision,
 * read a window at a time so a long register never loads whole.
 */
#ifndef SENCO_REGISTER_H
#define SENCO_REGISTER_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

struct register_row {
	int64_t pupil_id;
	char upn[UPN_LEN + 1];
	char surname[NAME_MAX_BYTES];		/* preferred, else legal */
	char forename[NAME_MAX_BYTES];		/* preferred, else legal */
	char year[YEAR_MAX];
	char status;
	char need[NEED_CODE_MAX];		/* primary need, "" none */
	unsigned flags;
	bool archived;
	int stage;				/* enum stage, -1 no open cycle */
	sdate review_date;			/* open cycle's, SDATE_NONE */
	bool overdue;
	int targets;				/* targets of the open cycle */
	int on_track;				/* of those, on track today */
	int64_t cost_year_pence;		/* current provision per year */
	bool over_topup;
};

enum register_sort {
	REGISTER_SORT_NAME = 0,
	REGISTER_SORT_YEAR,
	REGISTER_SORT_STATUS,
	REGISTER_SORT_NEED,
	REGISTER_SORT_STAGE,
	REGISTER_SORT_REVIEW,
	REGISTER_SORT_TRACK,
	REGISTER_SORT_COST,
	REGISTER_SORT_COUNT
};

struct register_query {
	struct pupil_filter filter;	/* status, year, need, text, archived, N */
	int stage;			/* -1 any, else enum stage */
	bool overdue_only;
	unsigned flags;			/* pupils with all of these flags */
	enum register_sort sort;
	bool descending;
	sdate today;			/* SDATE_NONE: date_today() */
	int64_t topup_pence;		/* threshold for over_topup */
};

void register_query_init(struct register_query *q);
/* How many rows the query gives. */
int register_count(struct db *db, const struct register_query *q, int *n,
    struct serr *e);
/* Rows offset .. offset+limit-1 into rows[] (caller's array of limit);
 * *got says how many. */
int register_window(struct db *db, const struct register_query *q,
    int offset, int limit, struct register_row *rows, int *got,
    struct serr *e);
/* The position of a pupil in the query's order, or SE_NOTFOUND. */
int register_position(struct db *db, const struct register_query *q,
    int64_t pupil_id, int *pos, struct serr *e);

#endif
