/*
 * intervention.h: the intervention catalogue and pupils' enrolments
 * (together, the provision map).
 */
#ifndef SENCO_INTERVENTION_H
#define SENCO_INTERVENTION_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

#define INTERVENTION_NAME_MAX 96
#define MEASURE_MAX 48

enum cost_basis {
	COST_PER_SESSION = 0,	/* cost_pence is for one session of the group */
	COST_PER_HOUR = 1,	/* cost_pence is the staff hourly rate */
};

enum measure_kind {
	MEASURE_SCORE = 0,	/* standardised or raw score */
	MEASURE_AGE = 1,	/* an age in months (reading age ...) */
	MEASURE_RATING = 2,	/* a rating on a small scale */
};

struct intervention {
	int64_t id;
	char name[INTERVENTION_NAME_MAX];	/* unique */
	enum area area;
	char *description;		/* heap */
	char *evidence;			/* heap: evidence link or reference */
	enum cost_basis basis;
	int64_t cost_pence;
	bool retired;
	int64_t version;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

struct enrolment {
	int64_t id;
	int64_t pupil_id;
	int64_t intervention_id;
	char staff[AUTHOR_MAX];
	int group_size;			/* pupils in the group, >= 1 */
	int sessions_per_week;
	int minutes;			/* per session */
	sdate start, end;		/* end: planned or actual */
	bool ended;			/* finished (exit recorded or ended) */
	char measure[MEASURE_MAX];	/* "Salford reading age" */
	enum measure_kind measure_kind;
	double entry, exit;		/* NAN = not recorded */
	int64_t version;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

void intervention_init(struct intervention *iv);
void intervention_free(struct intervention *iv);
void enrolment_init(struct enrolment *en);

int intervention_add(struct db *db, struct intervention *iv, struct serr *e);
int intervention_update(struct db *db, struct intervention *iv,
    struct serr *e);
int intervention_get(struct db *db, int64_t id, struct intervention *iv,
    struct serr *e);
/* Case-insensitive exact name. */
int intervention_find(struct db *db, const char *name,
    struct intervention *iv, struct serr *e);
typedef int (*intervention_cb)(void *ctx, const struct intervention *iv);
int intervention_list(struct db *db, bool include_retired,
    intervention_cb cb, void *ctx, struct serr *e);

/* Enrol a pupil (not archived) in an intervention. */
int enrolment_add(struct db *db, struct enrolment *en, struct serr *e);
int enrolment_get(struct db *db, int64_t id, struct enrolment *en,
    struct serr *e);
/* Record the exit score and finish (end SDATE_NONE = today). */
int enrolment_exit(struct db *db, int64_t id, double exit_score, sdate end,
    struct serr *e);
/* Finish without an exit score. */
int enrolment_end(struct db *db, int64_t id, sdate end, struct serr *e);
typedef int (*enrolment_cb)(void *ctx, const struct enrolment *en);
/* A pupil's enrolments, newest start first. */
int enrolment_list_pupil(struct db *db, int64_t pupil_id, enrolment_cb cb,
    void *ctx, struct serr *e);
/* The group of an intervention, by pupil name. */
int enrolment_list_intervention(struct db *db, int64_t intervention_id,
    enrolment_cb cb, void *ctx, struct serr *e);

#endif
