/*
 * register.h: the SEN register as the UI and reports see it: one row per
 * pupil with the figures derived from their cycle, targets and provision,
 * read a window at a time so a long register never loads whole.
 *
 * Two ways to read a window: register_page() finds it by the sort key of
 * a row already read (keyset paging), so a page costs the same at the end
 * of 100,000 pupils as at the start and does not shift when rows are
 * added or removed meanwhile: the UI pages this way. register_window()
 * takes an offset, which SQLite can only reach by reading every row
 * before it: fine for a CLI listing or a test, slow deep in a long list.
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
	/* The row's sort key as its query computed it, for register_page()
	 * (only meaningful with the same sort). */
	int key_sort;				/* enum register_sort */
	int key_type;				/* enum register_key_type */
	int64_t key_int;
	double key_real;
	char key_text[DATE_ISO_LEN];
};

enum register_key_type {
	REGISTER_KEY_NULL = 0,
	REGISTER_KEY_INT,
	REGISTER_KEY_REAL,
	REGISTER_KEY_TEXT,
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
/* The position of a pupil in the query's order, or SE_NOTFOUND. Reads
 * every row before it: for tests and short lists, not for the UI. */
int register_position(struct db *db, const struct register_query *q,
    int64_t pupil_id, int *pos, struct serr *e);

/* The pupils on the register (not archived) with status K and E, from
 * indexes alone: for the title bar, which shows them whatever the
 * filters. */
int register_totals(struct db *db, int *k, int *e_plans, struct serr *e);

/* How many rows the query gives, counting no further than max (so a
 * search that matches half the roll answers at once): *n is max when
 * there are at least max. */
int register_count_max(struct db *db, const struct register_query *q,
    int max, int *n, struct serr *e);

/* Where register_page() starts. */
enum register_from {
	REGISTER_FIRST,		/* the first rows */
	REGISTER_LAST,		/* the last rows */
	REGISTER_AFTER,		/* the rows after *at */
	REGISTER_BEFORE,	/* the rows before *at */
	REGISTER_AT,		/* from *at's place on: *at itself first, if it
				 * is still there with the same key */
};

/*
 * Up to limit rows into rows[] (the caller's array), in the query's order
 * (for REGISTER_BEFORE and REGISTER_LAST too: rows[*got - 1] is the row
 * next to *at, or the last row). at is a row read earlier (by
 * register_page or register_window) with the same sort, under any
 * filters; NULL for REGISTER_FIRST and REGISTER_LAST. A page reads only
 * its own rows when sorted by name (the default); other orders compute
 * their key for every row of the query.
 */
int register_page(struct db *db, const struct register_query *q,
    enum register_from from, const struct register_row *at, int limit,
    struct register_row *rows, int *got, struct serr *e);

/* The first row of q into *row and how many rows q gives into *n (0:
 * none, and *row is untouched), in one pass: for a search as it is
 * typed. */
int register_first(struct db *db, const struct register_query *q,
    struct register_row *row, int *n, struct serr *e);

/*
 * A search as it is typed, by name (q sorted by name, q->filter.text of
 * three characters or more): the search index numbers its rows in the
 * name order (migration 10), so a key reads the match it shows and no
 * other, at 1,000 pupils as at 100,000.
 *
 * register_search_step: q's row after (dir 1) or before (dir -1) the row
 * at (read before, in the name order) in q's order, or its first (last)
 * row when at is NULL, into *row (*found false: none). *usable false
 * (nothing read) when the index cannot answer: another order, fewer than
 * three characters, or the index not up to date on a read-only caseload;
 * then register_first() and register_page() do (reading every match).
 * register_row_of: pupil_id's row of q (its text aside) in the name
 * order into *row, *found false if q does not show them.
 */
int register_search_step(struct db *db, const struct register_query *q,
    int dir, const struct register_row *at, struct register_row *row,
    bool *found, bool *usable, struct serr *e);
int register_row_of(struct db *db, const struct register_query *q,
    int64_t pupil_id, struct register_row *row, bool *found,
    struct serr *e);

/* The search index of names and UPNs brought up to date with the pupils
 * added or renamed since it last was (the triggers only note them, see
 * schema.c), each put in at their place in the name order, or the index
 * made again whole when they are many; the register does this itself
 * before it searches. */
int register_search_refresh(struct db *db, struct serr *e);
/* The search index, the on-track figures of every cycle (cycle_track),
 * every pupil's row of pupil_now and the counts of open statuses
 * (status_tally) made again from the tables, for a caller that wrote
 * with triggers off (the demo). */
int register_reindex(struct db *db, struct serr *e);
/* How many cycles' on-track figures (cycle_track, kept by triggers)
 * disagree with the targets and ratings they come from: 0 when sound. */
int register_track_check(struct db *db, int *wrong, struct serr *e);
/* How many pupils' rows of pupil_now (status, first need, open cycle and
 * its figures, kept by triggers) disagree with the tables: 0 when sound. */
int register_now_check(struct db *db, int *wrong, struct serr *e);
/* How many SEN statuses' counts of open rows (status_tally, kept by
 * triggers) disagree with sen_status: 0 when sound. */
int register_tally_check(struct db *db, int *wrong, struct serr *e);
/* How many pupils' rows of the search index (migration 10) are missing,
 * out of the name order of their ranks, or hold other names or another
 * UPN than the pupil's, the pupils not yet brought up to date
 * (pupil_search_stale) aside; and rows of the index or ranks left by no
 * pupil: 0 when sound. */
int register_search_check(struct db *db, int *wrong, struct serr *e);

/* SQLite's plan for the page query of q, one step a line, into buf: for
 * the tests and the benchmark, which check that paging uses an index. */
int register_plan(struct db *db, const struct register_query *q,
    enum register_from from, char *buf, size_t n, struct serr *e);

#endif
