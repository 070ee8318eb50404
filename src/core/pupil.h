/*
 * pupil.h: pupils, their SEN status history and ranked needs.
 */
#ifndef SENCO_PUPIL_H
#define SENCO_PUPIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"

#define NAME_MAX_BYTES 96
#define CLASS_MAX 32
#define AUTHOR_MAX 64
#define PUPIL_NEEDS_MAX 4	/* ranks 1..4 kept; census uses 1 and 2 */

struct pupil {
	int64_t id;
	char upn[UPN_LEN + 1];
	char legal_surname[NAME_MAX_BYTES];
	char legal_forename[NAME_MAX_BYTES];
	char preferred_surname[NAME_MAX_BYTES];	/* "" = same as legal */
	char preferred_forename[NAME_MAX_BYTES];	/* "" = same as legal */
	sdate dob;
	char gender;			/* 'M', 'F' or 0 unknown */
	char year[YEAR_MAX];		/* "N1" .. "14", "X" */
	char class_name[CLASS_MAX];
	unsigned flags;			/* FLAG_PP | FLAG_FSM ... */
	double attendance;		/* percent 0..100; < 0 unknown */
	bool archived;
	sdate left_on;			/* SDATE_NONE while on roll */

	/* The current SEN status (the open status-history row). On add and
	 * edit these are written through; 0 for status means "leave as is"
	 * on edit and 'N' on add. */
	char status;			/* 'N', 'K', 'E' */
	sdate status_since;		/* SDATE_NONE: today */
	/* Ranked needs, rank 1 = primary; n_needs of them. On edit,
	 * n_needs < 0 means "leave needs as they are". */
	char needs[PUPIL_NEEDS_MAX][NEED_CODE_MAX];
	int n_needs;

	int64_t version;		/* bumped on every change of the row */
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

/* Defaults: no dates, status N, no needs, attendance unknown. */
void pupil_init(struct pupil *p);
/* The surname and forename shown: preferred, else legal. */
const char *pupil_shown_surname(const struct pupil *p);
const char *pupil_shown_forename(const struct pupil *p);
/* Surname, preferred forename for lists ("Brown, Zoë"). buf >= 2*NAME. */
char *pupil_display_name(const struct pupil *p, char *buf, size_t n);
/* Check fields and census rules without touching the database. */
int pupil_validate(const struct pupil *p, struct serr *e);

/* Add p (id, version, timestamps filled in). UPN must be new. */
int pupil_add(struct db *db, struct pupil *p, struct serr *e);
/*
 * Write p's fields over the stored row with p->id. If the stored version is
 * not p->version, nothing is written and SE_CONFLICT says who changed it
 * and when. A changed status closes the open status row (end = day before
 * the new start) and opens a new one. Needs are replaced when n_needs >= 0.
 */
int pupil_update(struct db *db, struct pupil *p, struct serr *e);
int pupil_get(struct db *db, int64_t id, struct pupil *p, struct serr *e);
int pupil_find_upn(struct db *db, const char *upn, struct pupil *p,
    struct serr *e);
/* Archive (left_on = date, default today) or bring back (archived=false). */
int pupil_archive(struct db *db, int64_t id, bool archived, sdate left_on,
    struct serr *e);
/* Set the status alone (a status-history row), with needs checked. */
int pupil_set_status(struct db *db, int64_t id, char status, sdate start,
    struct serr *e);

struct pupil_filter {
	bool include_archived;
	bool include_n;		/* pupils whose status is N */
	char status;		/* 0 any, else 'N', 'K', 'E' */
	char year[YEAR_MAX];	/* "" any */
	char need[NEED_CODE_MAX];	/* "" any; matches any rank */
	const char *text;	/* NULL any; name or UPN substring */
};

typedef int (*pupil_cb)(void *ctx, const struct pupil *p);
/* Call cb for each matching pupil ordered by surname, forename; a non-zero
 * return from cb stops the walk and is returned. */
int pupil_list(struct db *db, const struct pupil_filter *f, pupil_cb cb,
    void *ctx, struct serr *e);

/*
 * For an export of the whole caseload (a filter of include_n and
 * include_archived alone): pupil_list's order as ids, from an index, in
 * *ids (n of them, the caller frees); and the same pupils with their
 * needs by id, one pass over each table instead of three searches per
 * pupil (at 100,000 pupils the searches read 330,000 pages). cb may not
 * call pupil_list_by_id again; its non-zero return stops the walk.
 */
int pupil_list_order(struct db *db, bool include_archived, int64_t **ids,
    size_t *n, struct serr *e);
int pupil_list_by_id(struct db *db, bool include_archived, pupil_cb cb,
    void *ctx, struct serr *e);

struct status_entry {
	int64_t id;
	char status;
	sdate start, end;	/* end SDATE_NONE while open */
	char changed_by[AUTHOR_MAX];
};
typedef int (*status_cb)(void *ctx, const struct status_entry *s);
/* The status history, oldest first. */
int pupil_status_history(struct db *db, int64_t pupil_id, status_cb cb,
    void *ctx, struct serr *e);

/* --- for core modules that search pupils in SQL (register.c) ------------- */
/* f with its fields in stored form: status upper case (N implies
 * include_n), year and need in census form, text trimmed into buf (NULL if
 * empty). f NULL means no filter. SE_INVALID names a bad field. */
int pupil_filter_normalise(const struct pupil_filter *f,
    struct pupil_filter *out, char *buf, size_t n, struct serr *e);
/* db_stmt() for SQL that may call senco_fold(text): lower case for name
 * searches that knows Latin, Greek and Cyrillic letters beyond ASCII. */
struct sqlite3_stmt *pupil_search_stmt(struct db *db, const char *sql,
    struct serr *e);

#endif
