/*
 * demo.h: a deterministic caseload of fictional pupils for trying senco,
 * for the tests and for benchmarks. Every name is invented; no real child.
 *
 * Deterministic means the same content: the same seed, pupils and today
 * give the same pupils, dates, texts and ratings. Ids are random and
 * timestamps come from the clock, so those differ between two builds
 * (and so does a target's outcome date, which the core stamps with the
 * real date).
 */
#ifndef SENCO_DEMO_H
#define SENCO_DEMO_H

#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "db.h"
#include "err.h"

struct demo_opts {
	int pupils;		/* pupils on the roll (default 200), 1 to
				 * 1,000,000; from 2,000 a trust of primary
				 * and secondary schools */
	uint32_t seed;		/* same seed, same caseload */
	sdate today;		/* SDATE_NONE: date_today(); not later */
	int review_weeks;	/* cycle length (default 12; 0 = 12) */
	const char *csv_path;	/* if set, also write the roll as an MIS CSV
				 * (created 0600; an existing file is refused) */
	const char *school;	/* names the (first) school; sets its
				 * establishment number in the UPNs */
	int register_pct;	/* 0: the national picture (about 18% on
				 * the SEN register); else this percent of
				 * the pupils (1 to 100), e.g. 100 for a
				 * benchmark of N pupils on the register */
	int copies;		/* 0 or 1: every pupil built through the
				 * core. k (2 to 10): one pupil in k is, and
				 * each is then copied k - 1 times in SQL,
				 * history and all, with a surname and UPN
				 * of its own: several times faster, for a
				 * benchmark's 100,000 */
	bool full_history;	/* false: the demo's own mix. true: the
				 * fuller history of issue 6's benchmark:
				 * about 2 cycles a pupil on the register,
				 * 4 targets a cycle, 1.5 enrolments */
};

void demo_opts_init(struct demo_opts *o);
/* Fill an empty caseload (refused with SE_EXISTS if it has pupils) in one
 * transaction: pupils with statuses and needs (about one in six on the
 * register), open and closed cycles with targets and rating histories,
 * an intervention catalogue with enrolments, notes, agencies and
 * exclusions. */
int demo_build(struct db *db, const struct demo_opts *o, struct serr *e);

#endif
