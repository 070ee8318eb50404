/*
 * record.h: the other records a SENCO keeps about a pupil: dated notes
 * (the contact log), exclusions and outside-agency involvement.
 */
#ifndef SENCO_RECORD_H
#define SENCO_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

#define NOTE_KIND_MAX 24
#define AGENCY_MAX 64
#define AGENCY_STATUS_MAX 24

struct note {
	int64_t id;
	int64_t pupil_id;
	sdate on;
	char author[AUTHOR_MAX];	/* db author when added */
	char kind[NOTE_KIND_MAX];	/* meeting, phone, email, letter, other */
	char *text;			/* heap, required */
	char created_at[TIMESTAMP_LEN];
};

enum exclusion_kind { EXCLUSION_SUSPENSION = 0, EXCLUSION_PERMANENT = 1 };

struct exclusion {
	int64_t id;
	int64_t pupil_id;
	sdate on;
	enum exclusion_kind kind;
	int sessions;			/* suspensions: sessions (half days) */
	char *reason;			/* heap */
	char created_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

struct agency {
	int64_t id;
	int64_t pupil_id;
	char agency[AGENCY_MAX];	/* "EP", "SALT", ... */
	sdate referred_on;
	char status[AGENCY_STATUS_MAX];	/* referred, involved, advice received, closed */
	sdate advice_on;		/* SDATE_NONE until advice arrives */
	char *notes;			/* heap */
	int64_t version;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

/* Zero a record with its dates set to SDATE_NONE (= today where that is
 * the default, or "not yet" for advice_on). Call before filling one in. */
void note_init(struct note *n);
void exclusion_init(struct exclusion *x);
void agency_init(struct agency *a);

void note_free(struct note *n);
void exclusion_free(struct exclusion *x);
void agency_free(struct agency *a);

/* Kind "" = "other"; date SDATE_NONE = today. */
int note_add(struct db *db, struct note *n, struct serr *e);
typedef int (*note_cb)(void *ctx, const struct note *n);
int note_list(struct db *db, int64_t pupil_id, note_cb cb, void *ctx,
    struct serr *e);	/* newest first */

int exclusion_add(struct db *db, struct exclusion *x, struct serr *e);
typedef int (*exclusion_cb)(void *ctx, const struct exclusion *x);
int exclusion_list(struct db *db, int64_t pupil_id, exclusion_cb cb,
    void *ctx, struct serr *e);	/* newest first */

int agency_add(struct db *db, struct agency *a, struct serr *e);
int agency_update(struct db *db, struct agency *a, struct serr *e);
typedef int (*agency_cb)(void *ctx, const struct agency *a);
int agency_list(struct db *db, int64_t pupil_id, agency_cb cb, void *ctx,
    struct serr *e);	/* newest referral first */

#endif
