/*
 * demo_int.h: what the two halves of the demo share: demo.c builds the
 * roll (schools, pupils, the CSV) and demo_sen.c the history on the SEN
 * register. Only src/core/demo*.c include it.
 */
#ifndef SENCO_DEMO_INT_H
#define SENCO_DEMO_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "intervention.h"
#include "pupil.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(r, a) ((a)[rng_int((r), 0, NELEM(a) - 1)])

#define MAX_PAST 2		/* closed cycles before the open one */
#define STAFF_EACH 4		/* teachers and assistants a school draws on */
#define DEMO_N_PROGRAMMES 13	/* the catalogue each school runs */
enum { PROG_ONE_TO_ONE = 12 };	/* index of the 1:1 adult support */

/* --- a small deterministic generator ------------------------------------ */

struct rng {
	uint64_t s;
};

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A stream of its own for each pupil (and for the catalogue), so that
 * pupil i's details do not depend on how many numbers earlier pupils
 * drew. */
static inline struct rng
rng_stream(uint32_t seed, uint64_t kind, uint64_t index)
{
	struct rng r = { seed };

	r.s = rng_next(&r) ^ (kind * 0xD1B54A32D192ED03ull);
	r.s = rng_next(&r) ^ (index * 0xAEF17502108EF2D9ull);
	rng_next(&r);
	return r;
}

/* Uniform in lo..hi inclusive. */
static inline int
rng_int(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline bool
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

static inline int
rng_weighted(struct rng *r, const int *w, int n)
{
	int total = 0, x;

	for (int i = 0; i < n; i++)
		total += w[i];
	x = rng_int(r, 0, total - 1);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* --- the build ---------------------------------------------------------- */

/* Where in school a programme or target fits. */
enum phase { PH_ANY = 0, PH_PRIMARY, PH_SECONDARY };

struct site {
	char name[INTERVENTION_NAME_MAX];	/* "Ashdown Primary School" */
	char tag[48];			/* for intervention names */
	bool secondary;
	int estab;
	int first, count;		/* its pupils' indices */
	int first_year, n_years;	/* 0 = reception .. 11 */
	int senco, staff;		/* offsets into the staff lists */
	int64_t iv[DEMO_N_PROGRAMMES];
};

struct build {
	struct db *db;
	uint32_t seed;
	sdate today;
	int ay;				/* the academic year began 1 Sept ay */
	int weeks;			/* review interval */
	int register_pct;		/* demo_opts.register_pct */
	bool full;			/* demo_opts.full_history */
	struct site *sites;
	int n_sites;
	FILE *csv;
};

/* The plan of one pupil's history on the register. */
struct timeline {
	int npast;			/* closed cycles */
	sdate start[MAX_PAST + 1];	/* of each cycle; [npast] the open one */
	sdate end;			/* close of the last when !open */
	enum decision decision[MAX_PAST];
	bool open;			/* ends with an open cycle */
	enum stage stage;		/* the open cycle's */
};

struct kid {
	struct rng r;
	struct site *site;
	int year;			/* 0 = reception */
	sdate entry;			/* started at this school */
	struct pupil p;
	const char *call;		/* forename used in texts */
	bool removed;			/* was on the register, now N */
	struct timeline tl;
};

/* The summer holiday: 23 July to 2 September. */
static inline bool
in_summer(sdate d, int *year)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	*year = y;
	return m == 8 || (m == 7 && dd >= 23) || (m == 9 && dd <= 2);
}

/* A school day on or before d (weekends and the summer holiday are
 * skipped; shorter holidays are not). */
static inline sdate
school_day(sdate d)
{
	int y, w;

	if (in_summer(d, &y))
		d = date_from_ymd(y, 7, 22);
	w = date_weekday(d);
	return w >= 5 ? d - (w - 4) : d;
}

/* A school day on or after d. */
static inline sdate
school_day_after(sdate d)
{
	int y, w;

	if (in_summer(d, &y))
		d = date_from_ymd(y, 9, 3);
	w = date_weekday(d);
	return w >= 5 ? d + (7 - w) : d;
}

static inline sdate
min_date(sdate a, sdate b)
{
	return a < b ? a : b;
}

static inline sdate
max_date(sdate a, sdate b)
{
	return a > b ? a : b;
}

/* The invented staff (demo.c). */
extern const char *const demo_sencos[];
extern const char *const demo_teachers[];
extern const char *const demo_assistants[];
extern const int demo_n_sencos, demo_n_teachers, demo_n_assistants;

/* --- demo_sen.c --------------------------------------------------------- */

/* Add the school's catalogue (or take the programmes of the same names
 * the caseload already has); ids go to st->iv[]. */
int demo_add_catalogue(struct build *b, struct site *st, struct serr *e);
/* Choose the cycles of a pupil on (or once on) the register. */
void demo_plan_timeline(struct build *b, struct kid *k);
/* The start of the current status; *k_since the start of an earlier
 * SEN support, or SDATE_NONE. */
sdate demo_status_dates(struct build *b, struct kid *k, sdate *k_since);
int demo_build_cycles(struct build *b, struct kid *k, struct serr *e);
int demo_add_provision(struct build *b, struct kid *k, struct serr *e);
int demo_add_agencies(struct build *b, struct kid *k, struct serr *e);
int demo_add_notes(struct build *b, struct kid *k, struct serr *e);
int demo_add_exclusions(struct build *b, struct kid *k, struct serr *e);

#endif
