/*
 * test_figures.c: the figures of `senco report` (figures.c) on a small
 * fixed caseload, against numbers worked out by hand in the comments;
 * the suppression rules of the cluster return on made-up figures; and
 * the arithmetic of merging returns. Pupils are added through the core;
 * cycles, targets, ratings, enrolments and exclusions with plain SQL so
 * that every date is exactly as the table below says. Today is
 * 2026-03-02.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codes.h"
#include "core/figures.h"
#include "core/pupil.h"
#include "core/report.h"
#include "helpers.h"

#define TODAY "2026-03-02"
#define TS "2026-01-01T09:00:00Z"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
}

TestSuite(figures, .init = fix_today, .fini = th_cleanup);

static sdate
d(const char *iso)
{
	return date_from_iso(iso);
}

static void
sql(struct db *db, const char *fmt, ...)
{
	va_list ap;
	char *s, *err = NULL;

	va_start(ap, fmt);
	s = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	cr_assert_eq(sqlite3_exec(db_handle(db), s, NULL, NULL, &err),
	    SQLITE_OK, "%s: %s", s, err);
	sqlite3_free(s);
}

static int64_t next_id = 5000;

/* A pupil whose status has held since `since`. */
static int64_t
pupil(struct db *db, int serial, const char *sur, const char *fore,
    char status, const char *need, const char *year, const char *since)
{
	struct pupil p;
	struct serr e;

	pupil_init(&p);
	th_upn(serial, p.upn);
	snprintf(p.legal_surname, sizeof p.legal_surname, "%s", sur);
	snprintf(p.legal_forename, sizeof p.legal_forename, "%s", fore);
	p.dob = d("2016-09-01");
	snprintf(p.year, sizeof p.year, "%s", year);
	p.status = status;
	p.status_since = d(since);
	if (need != NULL) {
		snprintf(p.needs[0], sizeof p.needs[0], "%s", need);
		p.n_needs = 1;
	}
	serr_clear(&e);
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s: %s", sur, e.msg);
	return p.id;
}

static int64_t
cycle(struct db *db, int64_t pupil_id, const char *review)
{
	int64_t id = next_id++;

	/* Every open cycle runs 05/01 to 30/03: 84 days, 56 gone by today,
	 * so a target needs round(4 * 56 / 84) = round(2.67) = 3. */
	sql(db, "INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end,"
	    " review_date, created_at, updated_at) VALUES (%lld, %lld, 'do',"
	    " '2026-01-05', '2026-03-30', %Q, '" TS "', '" TS "')",
	    (long long)id, (long long)pupil_id, review);
	return id;
}

/* A target with its ratings (-1 ends the list); outcome may be NULL. */
static void
target(struct db *db, int64_t cycle_id, const char *outcome, ...)
{
	int64_t id = next_id++;
	va_list ap;
	int v, seq = 1;

	sql(db, "INSERT INTO target (id, cycle_id, position, text, outcome,"
	    " created_at, updated_at) VALUES (%lld, %lld, 1, 'a target', %Q,"
	    " '" TS "', '" TS "')", (long long)id, (long long)cycle_id,
	    outcome);
	va_start(ap, outcome);
	while ((v = va_arg(ap, int)) >= 0) {
		sql(db, "INSERT INTO rating (id, target_id, seq, value, rated_on,"
		    " author, created_at, updated_at) VALUES (%lld, %lld, %d, %d,"
		    " '2026-02-%02d', 'tester', '" TS "', '" TS "')",
		    (long long)next_id++, (long long)id, seq, v, 10 + seq);
		seq++;
	}
	va_end(ap);
}

static int64_t
intervention(struct db *db, const char *name, const char *basis,
    int pence)
{
	int64_t id = next_id++;

	sql(db, "INSERT INTO intervention (id, name, area, cost_basis,"
	    " cost_pence, created_at, updated_at) VALUES (%lld, %Q, 'CL', %Q,"
	    " %d, '" TS "', '" TS "')", (long long)id, name, basis, pence);
	return id;
}

/* entry/exit NAN: not recorded; measure NULL: none. */
static void
enrol(struct db *db, int64_t p, int64_t iv, int group, int per_week,
    int minutes, const char *start, const char *end, bool ended,
    const char *measure, const char *kind, double entry, double exit)
{
	char en[32] = "NULL", ex[32] = "NULL";

	if (!isnan(entry))
		snprintf(en, sizeof en, "%g", entry);
	if (!isnan(exit))
		snprintf(ex, sizeof ex, "%g", exit);
	sql(db, "INSERT INTO enrolment (id, pupil_id, intervention_id, staff,"
	    " group_size, sessions_per_week, minutes, start_date, end_date,"
	    " ended, measure, measure_kind, entry_score, exit_score,"
	    " created_at, updated_at) VALUES (%lld, %lld, %lld, 'Mrs Okafor',"
	    " %d, %d, %d, %Q, %Q, %d, %Q, %Q, %s, %s, '" TS "', '" TS "')",
	    (long long)next_id++, (long long)p, (long long)iv, group, per_week,
	    minutes, start, end, ended, measure, kind, en, ex);
}

static void
exclusion(struct db *db, int64_t p, const char *on, const char *kind,
    int sessions)
{
	sql(db, "INSERT INTO exclusion (id, pupil_id, excluded_on, kind,"
	    " sessions, created_at, updated_at) VALUES (%lld, %lld, %Q, %Q,"
	    " %d, '" TS "', '" TS "')", (long long)next_id++, (long long)p,
	    on, kind, sessions);
}

/*
 * The fixed caseload. Statuses since 01/09/2025 unless said.
 *
 *  pupil            st   need  yr  cycle review  targets (latest ratings)
 *  Ash, Ada          K   SLCN  3   20/02 overdue 3, 4         all on track
 *  Birch, Ben        K   MLD   3   02/03 today   3, 1         half
 *  Cedar, Cai        E   ASD   4   16/03 (+14)   2            none
 *  Dogwood, Dee      K   SEMH  4   17/03 (+15)   no targets
 *  Elm, Zoë          N, K from 01/02/2026, SPLD 5
 *                                  30/03 (+28)   4, 3, none (+ one
 *                                                achieved: not judged)
 *  Fir, Łukasz       N         5
 *  Gum, Siobhán      N         3   01/02 (not on the register)
 *  Hazel, Nguyễn     N         R
 *  Ivy, 李           K   NSA   5   no cycle
 *  Juniper, Jo       K   MLD   6   archived, left 10/01/2026
 *  Larch, Kit        K   MLD   6   archived, left 20/07/2025
 *
 * On roll: 9 (Ash .. Ivy); K 5 (Ada, Ben, Dee, Zoë, Ivy), E 1, N 3.
 *
 * Provision on 02/03/2026, per year of 39 weeks:
 *  Phonics £12/session: Ada, Ben, Siobhán g3 3x30': 1200/3 * 3 * 39 =
 *    46800p each.
 *  TA support £20/hour: Cai g1 5x60': 2000 * 5 * 39 = 390000p.
 *  Speech £45/hour: Cai g1 2x60': 4500 * 2 * 39 = 351000p.
 *  So Cai costs 741000p a year, over the £6,000 threshold.
 *  Reading £10/session, finished (ages in months):
 *    Zoë 84 -> 92 over 3 months (08/09 -> 08/12): gain 8, ratio 8/3
 *    Łukasz 80 -> 83 over 2 months: gain 3, ratio 1.5
 *    Jo 70 -> 76 over 3 months ("salford reading age", in lower case):
 *      gain 6, ratio 2
 *    Siobhán 75 -> no exit: finished, not scored
 *    Ben, another measure, a score: 85 -> 91, gain 6
 *
 * Exclusions:
 *  Ada: suspensions 01/10/2025 (2 sessions) and 20/01/2026 (1)
 *  Dee: suspension 11/11/2025 (4)
 *  Zoë: suspension 10/10/2025 (1), when she was N
 *  Łukasz: suspension 01/12/2025 (2)
 *  Jo: permanent 09/01/2026
 *  Ben: suspension 01/07/2025 (before the period)
 *  Cai: suspension 03/03/2026 (after it)
 *  Kit: suspension 01/06/2025 (left before the period)
 */
struct fixture {
	struct db *db;
	int64_t ada, ben, cai, dee, zoe, lukasz, siobhan, nguyen, ivy, jo,
	    kit;
};

static void
build(struct fixture *f)
{
	struct pupil p;
	struct serr e;
	int64_t c, ph, ta, sp, rd;

	serr_clear(&e);
	f->db = th_db();
	f->ada = pupil(f->db, 1, "Ash", "Ada", 'K', "SLCN", "3", "2025-09-01");
	f->ben = pupil(f->db, 2, "Birch", "Ben", 'K', "MLD", "3", "2025-09-01");
	f->cai = pupil(f->db, 3, "Cedar", "Cai", 'E', "ASD", "4", "2025-09-01");
	f->dee = pupil(f->db, 4, "Dogwood", "Dee", 'K', "SEMH", "4",
	    "2025-09-01");
	f->zoe = pupil(f->db, 5, "Elm", "Zoë", 'N', NULL, "5", "2025-09-01");
	f->lukasz = pupil(f->db, 6, "Fir", "Łukasz", 'N', NULL, "5",
	    "2025-09-01");
	f->siobhan = pupil(f->db, 7, "Gum", "Siobhán", 'N', NULL, "3",
	    "2025-09-01");
	f->nguyen = pupil(f->db, 8, "Hazel", "Nguyễn", 'N', NULL, "R",
	    "2025-09-01");
	f->ivy = pupil(f->db, 9, "Ivy", "李", 'K', "NSA", "5", "2025-09-01");
	f->jo = pupil(f->db, 10, "Juniper", "Jo", 'K', "MLD", "6",
	    "2025-09-01");
	f->kit = pupil(f->db, 11, "Larch", "Kit", 'K', "MLD", "6",
	    "2025-01-01");

	/* Zoë: N, then K with SPLD from 01/02/2026. */
	cr_assert_eq(pupil_get(f->db, f->zoe, &p, &e), 0, "%s", e.msg);
	p.status = 'K';
	p.status_since = d("2026-02-01");
	snprintf(p.needs[0], sizeof p.needs[0], "SPLD");
	p.n_needs = 1;
	cr_assert_eq(pupil_update(f->db, &p, &e), 0, "%s", e.msg);

	c = cycle(f->db, f->ada, "2026-02-20");
	target(f->db, c, NULL, 3, -1);
	target(f->db, c, NULL, 2, 4, -1);
	c = cycle(f->db, f->ben, "2026-03-02");
	target(f->db, c, NULL, 3, -1);
	target(f->db, c, NULL, 1, -1);
	c = cycle(f->db, f->cai, "2026-03-16");
	target(f->db, c, NULL, 2, -1);
	cycle(f->db, f->dee, "2026-03-17");
	c = cycle(f->db, f->zoe, "2026-03-30");
	target(f->db, c, NULL, 4, -1);
	target(f->db, c, NULL, 3, -1);
	target(f->db, c, NULL, -1);
	target(f->db, c, "achieved", 1, -1);
	c = cycle(f->db, f->siobhan, "2026-02-01");
	target(f->db, c, NULL, 0, -1);

	ph = intervention(f->db, "Phonics", "session", 1200);
	ta = intervention(f->db, "TA support", "hour", 2000);
	sp = intervention(f->db, "Speech", "hour", 4500);
	rd = intervention(f->db, "Reading", "session", 1000);
	enrol(f->db, f->ada, ph, 3, 3, 30, "2026-01-05", NULL, false, NULL,
	    "score", NAN, NAN);
	enrol(f->db, f->ben, ph, 3, 3, 30, "2026-01-05", NULL, false, NULL,
	    "score", NAN, NAN);
	enrol(f->db, f->siobhan, ph, 3, 3, 30, "2026-01-05", NULL, false,
	    NULL, "score", NAN, NAN);
	enrol(f->db, f->cai, ta, 1, 5, 60, "2025-09-01", NULL, false, NULL,
	    "score", NAN, NAN);
	enrol(f->db, f->cai, sp, 1, 2, 60, "2026-01-05", "2026-07-20", false,
	    NULL, "score", NAN, NAN);
	enrol(f->db, f->zoe, rd, 4, 3, 20, "2025-09-08", "2025-12-08", true,
	    "Salford reading age", "age", 84, 92);
	enrol(f->db, f->lukasz, rd, 4, 3, 20, "2025-09-08", "2025-11-08", true,
	    "Salford reading age", "age", 80, 83);
	enrol(f->db, f->jo, rd, 4, 3, 20, "2025-09-08", "2025-12-08", true,
	    "salford reading age", "age", 70, 76);
	enrol(f->db, f->siobhan, rd, 4, 3, 20, "2025-09-08", "2025-10-08",
	    true, "Salford reading age", "age", 75, NAN);
	enrol(f->db, f->ben, rd, 4, 3, 20, "2025-09-08", "2025-12-08", true,
	    "Salford standardised score", "score", 85, 91);

	exclusion(f->db, f->ada, "2025-10-01", "suspension", 2);
	exclusion(f->db, f->ada, "2026-01-20", "suspension", 1);
	exclusion(f->db, f->dee, "2025-11-11", "suspension", 4);
	exclusion(f->db, f->zoe, "2025-10-10", "suspension", 1);
	exclusion(f->db, f->lukasz, "2025-12-01", "suspension", 2);
	exclusion(f->db, f->jo, "2026-01-09", "permanent", 0);
	exclusion(f->db, f->ben, "2025-07-01", "suspension", 2);
	exclusion(f->db, f->cai, "2026-03-03", "suspension", 2);
	exclusion(f->db, f->kit, "2025-06-01", "suspension", 2);

	cr_assert_eq(pupil_archive(f->db, f->jo, true, d("2026-01-10"), &e),
	    0, "%s", e.msg);
	cr_assert_eq(pupil_archive(f->db, f->kit, true, d("2025-07-20"), &e),
	    0, "%s", e.msg);
}

static void
load(struct fixture *f, struct report_caseload *cl)
{
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(report_caseload_load(f->db, d(TODAY), 0, cl, &e), 0,
	    "%s", e.msg);
}

static int
need_index(const char *code)
{
	for (int k = 0; k < NEED_CODE_COUNT; k++)
		if (strcmp(need_codes[k].code, code) == 0)
			return k;
	cr_assert_fail("no need %s", code);
	return -1;
}

/* --- caseload ------------------------------------------------------------ */

Test(figures, caseload_from_the_caseload)
{
	struct fixture f;
	struct report_caseload cl;
	struct fig_caseload c;

	build(&f);
	load(&f, &cl);
	fig_caseload(&cl, 0, &c);
	/* No roll configured: the 9 pupils on roll (Jo and Kit left). */
	cr_assert_eq(c.roll, 9);
	cr_assert(!c.roll_from_config);
	cr_assert(!c.roll_short);
	cr_assert_eq(c.on_roll, 9);
	cr_assert_eq(c.k, 5);	/* Ada, Ben, Dee, Zoë (K since 01/02), Ivy */
	cr_assert_eq(c.e, 1);	/* Cai */
	cr_assert_eq(c.n, 3);	/* Łukasz, Siobhán, Nguyễn */
	cr_assert_eq(c.reg, 6);
	/* CI: SLCN (Ada) and ASD (Cai); CL: MLD (Ben), SPLD (Zoë); SEMH:
	 * Dee; SP none; no area: NSA (Ivy). */
	cr_assert_eq(c.by_area[AREA_CI], 2);
	cr_assert_eq(c.by_area[AREA_CL], 2);
	cr_assert_eq(c.by_area[AREA_SEMH], 1);
	cr_assert_eq(c.by_area[AREA_SP], 0);
	cr_assert_eq(c.by_area[AREA_NONE], 1);
	cr_assert_eq(c.by_need[need_index("SLCN")], 1);
	cr_assert_eq(c.by_need[need_index("MLD")], 1);
	cr_assert_eq(c.by_need[need_index("NSA")], 1);
	cr_assert_eq(c.by_need[need_index("HI")], 0);
	cr_assert_eq(c.no_need, 0);
	/* 5 of a roll of 9: 55.6% */
	cr_assert_float_eq(report_pct(c.k, c.roll), 55.5556, 1e-3);
	report_caseload_free(&cl);
	db_close(f.db);
}

Test(figures, caseload_with_a_configured_roll)
{
	struct fixture f;
	struct report_caseload cl;
	struct fig_caseload c;

	build(&f);
	load(&f, &cl);
	fig_caseload(&cl, 40, &c);
	/* The roll of 40 holds the 6 on the register and 34 without SEN,
	 * most of them not in the caseload at all. */
	cr_assert_eq(c.roll, 40);
	cr_assert(c.roll_from_config);
	cr_assert_eq(c.n, 34);
	cr_assert_eq(c.k + c.e + c.n, 40);
	/* K: 5 of 40 = 12.5% */
	cr_assert_float_eq(report_pct(c.k, c.roll), 12.5, 1e-9);

	/* A configured roll smaller than the caseload is out of date: the
	 * caseload's 9 wins and the report is told. */
	fig_caseload(&cl, 5, &c);
	cr_assert_eq(c.roll, 9);
	cr_assert(!c.roll_from_config);
	cr_assert(c.roll_short);
	cr_assert_eq(c.n, 3);
	report_caseload_free(&cl);
	db_close(f.db);
}

/* --- reviews --------------------------------------------------------------- */

Test(figures, review_counts)
{
	struct fixture f;
	struct report_caseload cl;
	int over, due;

	build(&f);
	load(&f, &cl);
	/* Ada 20/02 is overdue; Ben today (0) and Cai 16/03 (+14) are due
	 * within 14 days; Dee (+15) and Zoë (+28) are not. Siobhán's
	 * overdue cycle is not on the register. */
	fig_review_counts(&cl, 14, &over, &due);
	cr_assert_eq(over, 1);
	cr_assert_eq(due, 2);
	fig_review_counts(&cl, 15, &over, &due);
	cr_assert_eq(due, 3);
	fig_review_counts(&cl, 28, &over, &due);
	cr_assert_eq(due, 4);
	fig_review_counts(&cl, 0, &over, &due);
	cr_assert_eq(over, 1);
	cr_assert_eq(due, 1);	/* Ben, today */
	report_caseload_free(&cl);
	db_close(f.db);
}

/* --- on track per group -------------------------------------------------------- */

Test(figures, on_track_by_year)
{
	struct fixture f;
	struct report_caseload cl;
	struct fig_track_row *v;
	int n;

	build(&f);
	load(&f, &cl);
	n = fig_on_track(&cl, FIG_BY_YEAR, &v);
	/* Year 3: Ada (all) and Ben (half); year 4: Cai (neither) and Dee
	 * (no targets); year 5: Zoë (2 of 3: half) and Ivy (no cycle).
	 * Reception: Nguyễn is not on the register. */
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[0].key, "3");
	cr_assert_eq(v[0].t.pupils, 2);
	cr_assert_eq(v[0].t.all, 1);
	cr_assert_eq(v[0].t.half, 2);
	cr_assert_float_eq(v[0].t.pct_all, 50.0, 1e-9);
	cr_assert(!v[0].t.all_met);
	cr_assert(v[0].t.half_met);
	cr_assert_str_eq(v[1].key, "4");
	cr_assert_eq(v[1].t.with_cycle, 2);
	cr_assert_eq(v[1].t.no_targets, 1);
	cr_assert_eq(v[1].t.pupils, 1);
	cr_assert_eq(v[1].t.all, 0);
	cr_assert_eq(v[1].t.half, 0);
	cr_assert_str_eq(v[2].key, "5");
	cr_assert_eq(v[2].t.with_cycle, 1);
	cr_assert_eq(v[2].t.pupils, 1);
	cr_assert_eq(v[2].t.all, 0);
	cr_assert_eq(v[2].t.half, 1);
	free(v);
	report_caseload_free(&cl);
	db_close(f.db);
}

Test(figures, on_track_by_need)
{
	struct fixture f;
	struct report_caseload cl;
	struct fig_track_row *v;
	int n;

	build(&f);
	load(&f, &cl);
	n = fig_on_track(&cl, FIG_BY_NEED, &v);
	/* In need_codes order: SLCN (Ada, all), ASD (Cai, neither), SPLD
	 * (Zoë, half), MLD (Ben, half), SEMH (Dee, no targets). NSA (Ivy)
	 * has no cycle and no row. */
	cr_assert_eq(n, 5);
	cr_assert_str_eq(v[0].key, "SLCN");
	cr_assert_eq(v[0].t.all, 1);
	cr_assert_str_eq(v[1].key, "ASD");
	cr_assert_eq(v[1].t.pupils, 1);
	cr_assert_eq(v[1].t.half, 0);
	cr_assert_str_eq(v[2].key, "SPLD");
	cr_assert_eq(v[2].t.half, 1);
	cr_assert_eq(v[2].t.all, 0);
	cr_assert_str_eq(v[3].key, "MLD");
	cr_assert_eq(v[3].t.half, 1);
	cr_assert_str_eq(v[4].key, "SEMH");
	cr_assert_eq(v[4].t.pupils, 0);
	cr_assert_eq(v[4].t.no_targets, 1);
	cr_assert_float_eq(v[4].t.pct_all, 0.0, 1e-9);
	free(v);
	report_caseload_free(&cl);
	db_close(f.db);
}

/* --- impact ------------------------------------------------------------------ */

Test(figures, impact_per_measure)
{
	struct fixture f;
	struct fig_impact *v;
	struct serr e;
	int n;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(fig_impact_load(f.db, &v, &n, &e), 0, "%s", e.msg);
	/* Only Reading has finished enrolments, on two measures. */
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].name, "Reading");
	cr_assert_eq(strcasecmp(v[0].measure, "Salford reading age"), 0);
	cr_assert_eq(v[0].kind, MEASURE_AGE);
	/* Zoë, Łukasz, Jo (the measure in lower case: the same one) and
	 * Siobhán, who has no exit score. */
	cr_assert_eq(v[0].finished, 4);
	cr_assert_eq(v[0].n, 3);
	/* entry (84 + 80 + 70) / 3 = 78; exit (92 + 83 + 76) / 3 = 83.667;
	 * gain (8 + 3 + 6) / 3 = 5.667; ratio (8/3 + 3/2 + 6/3) / 3 =
	 * 6.1667 / 3 = 2.0556 */
	cr_assert_float_eq(v[0].mean_entry, 78.0, 1e-9);
	cr_assert_float_eq(v[0].mean_exit, 251.0 / 3, 1e-9);
	cr_assert_float_eq(v[0].mean_gain, 17.0 / 3, 1e-9);
	cr_assert_eq(v[0].n_ratio, 3);
	cr_assert_float_eq(v[0].mean_ratio, (8.0 / 3 + 1.5 + 2.0) / 3, 1e-9);
	/* Ben's standardised score: 85 -> 91, no ratio gain for a score. */
	cr_assert_str_eq(v[1].measure, "Salford standardised score");
	cr_assert_eq(v[1].kind, MEASURE_SCORE);
	cr_assert_eq(v[1].finished, 1);
	cr_assert_eq(v[1].n, 1);
	cr_assert_float_eq(v[1].mean_gain, 6.0, 1e-9);
	cr_assert_eq(v[1].n_ratio, 0);
	cr_assert(isnan(v[1].mean_ratio));
	free(v);
	db_close(f.db);
}

Test(figures, impact_of_nothing)
{
	struct db *db = th_db();
	struct fig_impact *v = (struct fig_impact *)1;
	struct serr e;
	int n = -1;

	serr_clear(&e);
	cr_assert_eq(fig_impact_load(db, &v, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 0);
	cr_assert_null(v);
	db_close(db);
}

/* --- exclusions ----------------------------------------------------------------- */

Test(figures, exclusions_this_year)
{
	struct fixture f;
	struct fig_exclusions x;
	struct serr e;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(fig_exclusions_load(f.db, d("2025-09-01"), d(TODAY), 0,
	    &x, &e), 0, "%s", e.msg);
	/* On roll in the period: the 9, and Jo (left 10/01). Kit left in
	 * July. Groups by the status at the end (Jo: when she left):
	 * N: Łukasz, Siobhán, Nguyễn; K: Ada, Ben, Dee, Zoë, Ivy, Jo;
	 * E: Cai. */
	cr_assert_eq(x.pupils[FIG_N], 3);
	cr_assert_eq(x.pupils[FIG_K], 6);
	cr_assert_eq(x.pupils[FIG_E], 1);
	cr_assert_eq(x.pupils[FIG_ALL], 10);
	/* Suspensions in the period: Łukasz 1 (N); Ada 2, Dee 1, Zoë 1
	 * (counted as K: her status at the end) = 4 (K). Ben's in July,
	 * Cai's tomorrow and Kit's are outside it. */
	cr_assert_eq(x.suspensions[FIG_N], 1);
	cr_assert_eq(x.suspensions[FIG_K], 4);
	cr_assert_eq(x.suspensions[FIG_E], 0);
	cr_assert_eq(x.suspensions[FIG_ALL], 5);
	/* sessions: N 2; K 2 + 1 + 4 + 1 = 8 */
	cr_assert_eq(x.sessions[FIG_N], 2);
	cr_assert_eq(x.sessions[FIG_K], 8);
	cr_assert_eq(x.sessions[FIG_ALL], 10);
	cr_assert_eq(x.one_plus[FIG_N], 1);
	cr_assert_eq(x.one_plus[FIG_K], 3);	/* Ada, Dee, Zoë */
	cr_assert_eq(x.one_plus[FIG_ALL], 4);
	cr_assert_eq(x.two_plus[FIG_K], 1);	/* Ada */
	cr_assert_eq(x.two_plus[FIG_N], 0);
	cr_assert_eq(x.permanent[FIG_K], 1);	/* Jo */
	cr_assert_eq(x.permanent[FIG_ALL], 1);
	/* Rates: K suspensions 4 per 6 pupils = 66.7 per 100; K pupils with
	 * one or more: 3 of 6 = 50%; N: 1 of 3 = 33.3%. */
	cr_assert_float_eq(report_pct(x.one_plus[FIG_K], x.pupils[FIG_K]),
	    50.0, 1e-9);
	cr_assert_float_eq(report_pct(x.one_plus[FIG_N], x.pupils[FIG_N]),
	    100.0 / 3, 1e-9);
	db_close(f.db);
}

Test(figures, exclusions_status_at_the_end_of_the_period)
{
	struct fixture f;
	struct fig_exclusions x;
	struct serr e;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(fig_exclusions_load(f.db, d("2026-01-01"),
	    d("2026-01-31"), 0, &x, &e), 0, "%s", e.msg);
	/* On 31/01 Zoë was still N: N 4 (Zoë, Łukasz, Siobhán, Nguyễn),
	 * K 5 (Ada, Ben, Dee, Ivy, Jo), E 1. In January: Ada's suspension
	 * (20/01) and Jo's permanent exclusion (09/01). */
	cr_assert_eq(x.pupils[FIG_N], 4);
	cr_assert_eq(x.pupils[FIG_K], 5);
	cr_assert_eq(x.pupils[FIG_E], 1);
	cr_assert_eq(x.suspensions[FIG_K], 1);
	cr_assert_eq(x.suspensions[FIG_N], 0);
	cr_assert_eq(x.permanent[FIG_K], 1);
	cr_assert_eq(x.two_plus[FIG_ALL], 0);
	db_close(f.db);
}

/* A leaving date on a pupil still on roll also fixes the day of their
 * status; two statuses open that day: the later start. */
Test(figures, exclusions_leaving_date_on_roll)
{
	struct fixture f;
	struct fig_exclusions x;
	struct serr e;

	build(&f);
	sql(f.db, "UPDATE pupil SET left_on = '2026-01-15' WHERE id = %lld",
	    (long long)f.zoe);
	serr_clear(&e);
	cr_assert_eq(fig_exclusions_load(f.db, d("2025-09-01"), d(TODAY), 0,
	    &x, &e), 0, "%s", e.msg);
	/* Zoë was N on 15/01: N 4, K 5; her suspension (10/10) is N's. */
	cr_assert_eq(x.pupils[FIG_N], 4);
	cr_assert_eq(x.pupils[FIG_K], 5);
	cr_assert_eq(x.pupils[FIG_E], 1);
	cr_assert_eq(x.suspensions[FIG_N], 2);
	cr_assert_eq(x.suspensions[FIG_K], 3);
	cr_assert_eq(x.one_plus[FIG_N], 2);
	/* Ivy also E from 01/01/2026 (to the end of the year) beside her
	 * open K from 01/09: the later start wins. */
	sql(f.db, "INSERT INTO sen_status (pupil_id, status, start_date,"
	    " end_date, created_at, updated_at) VALUES (%lld, 'E',"
	    " '2026-01-01', '2026-12-31', '" TS "', '" TS "')",
	    (long long)f.ivy);
	cr_assert_eq(fig_exclusions_load(f.db, d("2025-09-01"), d(TODAY), 0,
	    &x, &e), 0, "%s", e.msg);
	cr_assert_eq(x.pupils[FIG_K], 4);
	cr_assert_eq(x.pupils[FIG_E], 2);
	db_close(f.db);
}

Test(figures, exclusions_with_a_configured_roll)
{
	struct fixture f;
	struct fig_exclusions x;
	struct serr e;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(fig_exclusions_load(f.db, d("2025-09-01"), d(TODAY), 40,
	    &x, &e), 0, "%s", e.msg);
	/* The rest of a roll of 40 has no SEN: N = 40 - 6 - 1 = 33. */
	cr_assert_eq(x.pupils[FIG_N], 33);
	cr_assert_eq(x.pupils[FIG_ALL], 40);
	cr_assert_eq(x.suspensions[FIG_N], 1);
	db_close(f.db);
}

Test(figures, exclusions_refuse_a_backward_period)
{
	struct db *db = th_db();
	struct fig_exclusions x;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(fig_exclusions_load(db, d("2026-02-01"), d("2026-01-01"),
	    0, &x, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "starts") != NULL, "%s", e.msg);
	db_close(db);
}

/* One figure of the exclusions as SQL works it out, pupil by pupil:
 * the rule of fig_exclusions_load written the plain way. */
static int
ex_sql(struct db *db, const char *what, const char *group,
    const char *from, const char *to)
{
	sqlite3_stmt *st;
	char *q;
	int v;

	q = sqlite3_mprintf(
	    "WITH r AS (SELECT p.id, min(%Q, coalesce(p.left_on, %Q)) AS day"
	    "  FROM pupil p WHERE p.archived = 0 OR p.left_on >= %Q),"
	    " g AS (SELECT r.id, CASE coalesce((SELECT s.status FROM"
	    "  sen_status s WHERE s.pupil_id = r.id AND s.start_date <= r.day"
	    "  AND (s.end_date IS NULL OR s.end_date >= r.day) ORDER BY"
	    "  s.start_date DESC, s.id DESC LIMIT 1), 'N') WHEN 'K' THEN 'K'"
	    "  WHEN 'E' THEN 'E' ELSE 'N' END AS grp,"
	    "  (SELECT count(*) FROM exclusion x WHERE x.pupil_id = r.id AND"
	    "  x.kind = 'suspension' AND x.excluded_on BETWEEN %Q AND %Q)"
	    "  AS susp,"
	    "  (SELECT coalesce(sum(x.sessions), 0) FROM exclusion x WHERE"
	    "  x.pupil_id = r.id AND x.kind = 'suspension' AND x.excluded_on"
	    "  BETWEEN %Q AND %Q) AS sess,"
	    "  (SELECT count(*) FROM exclusion x WHERE x.pupil_id = r.id AND"
	    "  x.kind = 'permanent' AND x.excluded_on BETWEEN %Q AND %Q)"
	    "  AS perm FROM r)"
	    " SELECT %s FROM g WHERE grp = %Q",
	    to, to, from, from, to, from, to, from, to, what, group);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), q, -1, &st, NULL),
	    SQLITE_OK, "%s", sqlite3_errmsg(db_handle(db)));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_free(q);
	return v;
}

/* Many pupils in no order of id, each with zero to four status rows
 * (ends before the day, two open the same day, later starts), leaving
 * dates on and off roll, exclusions in and out of the period: every
 * figure as SQL gives it pupil by pupil, for several periods. */
Test(figures, exclusions_agree_with_sql_pupil_by_pupil)
{
	static const char *const names[] = { "Zoë", "Siobhán", "Łukasz",
	    "Nguyễn", "Ada", "Ben" };
	static const char *const periods[][2] = {
		{ "2025-09-01", "2026-03-02" }, { "2026-01-01", "2026-01-31" },
		{ "2025-09-01", "2026-07-31" }, { "2024-01-01", "2025-12-31" },
		{ "2026-02-14", "2026-02-14" },
	};
	static const char *const groups[] = { "N", "K", "E" };
	struct db *db = th_db();
	struct fig_exclusions x, y;
	struct report_caseload cl;
	struct serr e;
	unsigned r = 12345;
	int susp = 0, perm = 0, two = 0;

	sql(db, "BEGIN");
	for (int i = 0; i < 300; i++) {
		/* ids scattered, negative ones too */
		long long id = (long long)((i * 7919) % 1009) * 1000003 -
		    400000000;
		int rows;

		r = r * 1103515245u + 12345u;
		sql(db, "INSERT INTO pupil (id, upn, legal_surname,"
		    " legal_forename, dob, year_group, archived, left_on,"
		    " created_at, updated_at) VALUES (%lld, 'A%012d', %Q, 'X',"
		    " '2015-01-01', '5', %d, %Q, '" TS "', '" TS "')", id, i,
		    names[i % 6], r % 7 == 0,
		    r % 5 == 0 ? (r % 3 == 0 ? "2025-10-01" : "2026-01-20") :
		    r % 11 == 0 ? "2026-02-10" : NULL);
		rows = (int)(r >> 8) % 5;
		for (int k = 0; k < rows; k++) {
			static const char *const st = "NKE";
			static const char *const starts[] = { "2023-09-01",
			    "2025-09-01", "2026-01-10", "2026-02-14",
			    "2026-05-01" };
			static const char *const ends[] = { NULL, "2025-12-31",
			    "2026-01-31", NULL, "2026-02-14" };

			r = r * 1103515245u + 12345u;
			/* end_date >= start_date: ends before starts drop */
			/* one open row a pupil: a second is left out (not by
			 * OR IGNORE: the triggers keeping pupil_now would
			 * ignore their own writes too) */
			sql(db, "INSERT INTO sen_status (pupil_id, status,"
			    " start_date, end_date, created_at, updated_at)"
			    " SELECT %lld, '%c', %Q, %Q, '" TS "', '" TS "'"
			    " WHERE (%Q IS NULL OR %Q >= %Q) AND NOT (%Q IS NULL"
			    " AND EXISTS (SELECT 1 FROM sen_status WHERE"
			    " pupil_id = %lld AND end_date IS NULL))", id,
			    st[(r >> 4) % 3], starts[(r >> 9) % 5],
			    ends[(r >> 13) % 5], ends[(r >> 13) % 5],
			    ends[(r >> 13) % 5], starts[(r >> 9) % 5],
			    ends[(r >> 13) % 5], id);
		}
		for (int k = 0; k < (int)(r >> 17) % 4; k++)
			sql(db, "INSERT INTO exclusion (pupil_id, excluded_on,"
			    " kind, sessions, created_at, updated_at) VALUES"
			    " (%lld, '2026-0%d-1%d', %Q, %d, '" TS "', '" TS
			    "')", id, 1 + (k + i) % 8, k, (i + k) % 9 == 0 ?
			    "permanent" : "suspension", (i + k) % 5);
	}
	/* pupils who left during the periods with a plan or support still
	 * open: their open status is searched, not the register's */
	for (int i = 0; i < 4; i++) {
		long long id = 900000000LL + i;

		sql(db, "INSERT INTO pupil (id, upn, legal_surname,"
		    " legal_forename, dob, year_group, archived, left_on,"
		    " created_at, updated_at) VALUES (%lld, 'B%012d', 'Łeft',"
		    " 'Zoë', '2015-01-01', '5', 1, %Q, '" TS "', '" TS "')", id,
		    i, i % 2 ? "2026-01-20" : "2026-02-14");
		sql(db, "INSERT INTO sen_status (pupil_id, status, start_date,"
		    " end_date, created_at, updated_at) VALUES (%lld, '%c',"
		    " '2025-09-01', NULL, '" TS "', '" TS "')", id,
		    i < 2 ? 'E' : 'K');
	}
	sql(db, "COMMIT");
	/* the register, for fig_exclusions_of (its open statuses) */
	serr_clear(&e);
	cr_assert_eq(report_caseload_read(db, SDATE_NONE, 0, 0, &cl, &e), 0,
	    "%s", e.msg);
	cr_assert(cl.n > 0);
	for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
		const char *from = periods[k][0], *to = periods[k][1];

		serr_clear(&e);
		cr_assert_eq(fig_exclusions_load(db, d(from), d(to), 0, &x,
		    &e), 0, "%s", e.msg);
		/* the same figures from the register's open statuses */
		cr_assert_eq(fig_exclusions_of(db, &cl, d(from), d(to), 0, &y,
		    &e), 0, "%s", e.msg);
		for (int g = FIG_N; g < FIG_GROUPS; g++) {
			cr_assert_eq(y.pupils[g], x.pupils[g], "%s %d", from, g);
			cr_assert_eq(y.suspensions[g], x.suspensions[g]);
			cr_assert_eq(y.sessions[g], x.sessions[g]);
			cr_assert_eq(y.one_plus[g], x.one_plus[g]);
			cr_assert_eq(y.two_plus[g], x.two_plus[g]);
			cr_assert_eq(y.permanent[g], x.permanent[g]);
		}
		for (int g = FIG_N; g <= FIG_E; g++) {
			cr_assert_eq(x.pupils[g], ex_sql(db, "count(*)",
			    groups[g], from, to), "%s %s", from, groups[g]);
			cr_assert_eq(x.suspensions[g], ex_sql(db,
			    "coalesce(sum(susp), 0)", groups[g], from, to));
			cr_assert_eq(x.sessions[g], ex_sql(db,
			    "coalesce(sum(sess), 0)", groups[g], from, to));
			cr_assert_eq(x.one_plus[g], ex_sql(db,
			    "count(*) FILTER (WHERE susp >= 1)", groups[g],
			    from, to));
			cr_assert_eq(x.two_plus[g], ex_sql(db,
			    "count(*) FILTER (WHERE susp >= 2)", groups[g],
			    from, to));
			cr_assert_eq(x.permanent[g], ex_sql(db,
			    "count(*) FILTER (WHERE perm >= 1)", groups[g],
			    from, to));
		}
		/* not all in one group: the test can tell them apart */
		cr_assert(x.pupils[FIG_K] > 0 && x.pupils[FIG_E] > 0 &&
		    x.pupils[FIG_N] > 0, "%s", from);
		susp += x.suspensions[FIG_ALL];
		perm += x.permanent[FIG_ALL];
		two += x.two_plus[FIG_ALL];
	}
	cr_assert(susp > 0 && perm > 0 && two > 0);
	report_caseload_free(&cl);
	db_close(db);
}

Test(figures, academic_year)
{
	cr_assert_eq(fig_academic_year_start(d("2026-03-02")), d("2025-09-01"));
	cr_assert_eq(fig_academic_year_start(d("2025-09-01")), d("2025-09-01"));
	cr_assert_eq(fig_academic_year_start(d("2025-08-31")), d("2024-09-01"));
	cr_assert_eq(fig_academic_year_start(d("2025-12-31")), d("2025-09-01"));
}

/* --- the cluster return --------------------------------------------------------- */

static const struct fig_cell *
cell(const struct fig_return *r, const char *measure, const char *group)
{
	int i = fig_return_find(r, measure, group);

	cr_assert_geq(i, 0, "no line %s, %s", measure, group);
	return &r->lines[i].cell;
}

static const char *
shown(const struct fig_return *r, const char *measure, const char *group)
{
	static char buf[8][32];
	static int k;
	char *b = buf[k++ % 8];

	return fig_cell_show(cell(r, measure, group), b, 32);
}

#define SHOWN(r, m, g, want) \
	cr_assert_str_eq(shown((r), (m), (g)), (want), "%s, %s", (m), (g))

Test(figures, return_of_the_fixture)
{
	struct fixture f;
	struct report_caseload cl;
	struct report_provision pv;
	struct fig_exclusions x;
	struct fig_caseload c;
	struct fig_sources s;
	struct fig_return r;
	struct serr e;
	double p;

	build(&f);
	load(&f, &cl);
	serr_clear(&e);
	cr_assert_eq(report_provision_load(f.db, d(TODAY), &pv, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(fig_exclusions_load(f.db, d("2025-09-01"), d(TODAY), 0,
	    &x, &e), 0, "%s", e.msg);
	fig_caseload(&cl, 0, &c);
	s.caseload = &cl;
	s.roll = &c;
	s.provision = &pv;
	s.exclusions = &x;
	s.days = 14;
	fig_return_make(&s, "Oakfield Primary", d(TODAY), &r);
	cr_assert_str_eq(r.school, "Oakfield Primary");
	cr_assert_eq(r.returns, 1);

	/* The count of schools is not a count of pupils: 1 is shown. */
	SHOWN(&r, "returns", "schools", "1");
	SHOWN(&r, "roll", "all", "9");
	/* N 3 and E 1 are small. N is alone in the roll's table (the
	 * register and N add up to the roll), so the register (6) is
	 * withheld too, else N = 9 - 6. Then K (5) and E (<5) with the
	 * register withheld leave two unknowns: N + E = 4 has three
	 * answers, so K stays. */
	SHOWN(&r, "status", "N", "<5");
	SHOWN(&r, "status", "K and E", "c");
	SHOWN(&r, "status", "K", "5");
	SHOWN(&r, "status", "E", "<5");
	/* Areas: CI 2, CL 2, SEMH 1, none 1 are small; SP 0 is shown. */
	SHOWN(&r, "area", "CI", "<5");
	SHOWN(&r, "area", "SP", "0");
	SHOWN(&r, "need", "SLCN", "<5");
	SHOWN(&r, "need", "HI", "0");
	/* On track: 4 with targets, 1 all, 3 half: all small. */
	SHOWN(&r, "on track", "pupils with targets", "<5");
	SHOWN(&r, "on track", "all targets", "<5");
	/* Reviews: 5 open cycles (Ada, Ben, Cai, Dee, Zoë); overdue 1, due
	 * within 14 days 2. */
	SHOWN(&r, "reviews", "open cycles", "5");
	SHOWN(&r, "reviews", "overdue", "<5");
	SHOWN(&r, "reviews", "due within 14 days", "<5");
	/* Provision: Ada, Ben, Siobhán, Cai = 4; over top-up: Cai. */
	SHOWN(&r, "provision", "pupils", "<5");
	SHOWN(&r, "provision", "over top-up", "<5");
	/* Exclusions: pupils N 3, K 6, E 1, all 10. N and E are small and
	 * add up to 4, which two numbers from 1 to 4 make in three ways:
	 * safe, K stays. */
	SHOWN(&r, "exclusions: pupils", "all", "10");
	SHOWN(&r, "exclusions: pupils", "K", "6");
	SHOWN(&r, "exclusions: pupils", "N", "<5");
	SHOWN(&r, "exclusions: pupils", "E", "<5");
	SHOWN(&r, "suspensions", "all", "5");
	SHOWN(&r, "suspensions", "K", "<5");
	SHOWN(&r, "suspensions", "E", "0");
	SHOWN(&r, "permanent exclusions", "K", "<5");
	SHOWN(&r, "permanent exclusions", "N", "0");

	/* Percentages only of exact counts over exact bases. */
	cr_assert(fig_cell_pct(cell(&r, "status", "K"),
	    cell(&r, "roll", "all"), &p));
	cr_assert_float_eq(p, 500.0 / 9, 1e-9);
	cr_assert(!fig_cell_pct(cell(&r, "status", "E"),
	    cell(&r, "roll", "all"), &p));
	/* ... not of a withheld base (open cycles of the register) */
	cr_assert(!fig_cell_pct(cell(&r, "reviews", "open cycles"),
	    cell(&r, "status", "K and E"), &p));
	/* ... and a zero over an exact base is 0%. */
	cr_assert(fig_cell_pct(cell(&r, "need", "HI"),
	    cell(&r, "exclusions: pupils", "all"), &p));
	cr_assert_float_eq(p, 0.0, 1e-9);

	/* No name and no UPN anywhere in it. */
	for (int i = 0; i < r.n; i++) {
		cr_assert_null(strstr(r.lines[i].group, "Ada"));
		cr_assert_null(strstr(r.lines[i].group, "801"));
	}
	fig_return_free(&r);
	report_provision_free(&pv);
	report_caseload_free(&cl);
	db_close(f.db);
}

/*
 * Made-up figures for the suppression rules: a caseload snapshot with
 * no pupils (so on track, reviews and top-up are 0), and the counts set
 * by hand.
 */
struct made {
	struct report_caseload cl;
	struct report_provision pv;
	struct fig_exclusions x;
	struct fig_caseload c;
	struct fig_sources s;
};

static void
made_init(struct made *m)
{
	memset(m, 0, sizeof *m);
	m->s.caseload = &m->cl;
	m->s.roll = &m->c;
	m->s.provision = &m->pv;
	m->s.exclusions = &m->x;
	m->s.days = 28;
}

/* Status and areas: every register pupil in CI with SLCN. */
static void
made_status(struct made *m, int n, int k, int e)
{
	m->c.n = n;
	m->c.k = k;
	m->c.e = e;
	m->c.reg = k + e;
	m->c.roll = n + k + e;
	m->c.by_area[AREA_CI] = k + e;
	m->c.by_need[need_index("SLCN")] = k + e;
}

Test(figures, suppress_small_counts)
{
	struct made m;
	struct fig_return r;

	made_init(&m);
	made_status(&m, 90, 7, 3);
	fig_return_make(&m.s, "School", d(TODAY), &r);
	/* E 3 is small; alone in the register's table {K, E} it would be
	 * 10 - 7: K, the only other count, is withheld. The roll's table
	 * (N 90, register 10, roll 100) has nothing hidden. */
	SHOWN(&r, "status", "E", "<5");
	SHOWN(&r, "status", "K", "c");
	SHOWN(&r, "status", "K and E", "10");
	SHOWN(&r, "status", "N", "90");
	SHOWN(&r, "roll", "all", "100");
	SHOWN(&r, "area", "CI", "10");
	fig_return_free(&r);

	/* 0 and 5 are not small; 4 is. */
	made_init(&m);
	made_status(&m, 95, 5, 0);
	fig_return_make(&m.s, "School", d(TODAY), &r);
	SHOWN(&r, "status", "K", "5");
	SHOWN(&r, "status", "E", "0");
	fig_return_free(&r);
	made_init(&m);
	made_status(&m, 96, 4, 0);
	fig_return_make(&m.s, "School", d(TODAY), &r);
	SHOWN(&r, "status", "K", "<5");
	/* The register (4) is small too, which keeps K hidden in its
	 * table; in the roll's, N (96) must go so that the register
	 * cannot be 100 - 96. */
	SHOWN(&r, "status", "K and E", "<5");
	SHOWN(&r, "status", "N", "c");
	fig_return_free(&r);
}

Test(figures, suppression_cascades)
{
	struct made m;
	struct fig_return r;

	made_init(&m);
	/* roll 12: N 3 (small), K 9, E 0. The roll's table {N, register}
	 * hides N alone: the register (9) goes. Then the register's tables
	 * each hide only their total: K (9) in {K, E}, CI in the areas and
	 * SLCN in the needs go too. */
	made_status(&m, 3, 9, 0);
	fig_return_make(&m.s, "School", d(TODAY), &r);
	SHOWN(&r, "status", "N", "<5");
	SHOWN(&r, "status", "K and E", "c");
	SHOWN(&r, "status", "K", "c");
	SHOWN(&r, "status", "E", "0");
	SHOWN(&r, "area", "CI", "c");
	SHOWN(&r, "need", "SLCN", "c");
	SHOWN(&r, "roll", "all", "12");
	fig_return_free(&r);
}

Test(figures, suppression_of_pinned_small_counts)
{
	struct made m;
	struct fig_return r;

	made_init(&m);
	made_status(&m, 100, 0, 0);
	/* Exclusions: N 20, K 1, E 1 of all 22. K and E are hidden, but
	 * they add up to 22 - 20 = 2, and two counts of at least 1 that
	 * make 2 are 1 and 1: N is withheld as well. */
	m.x.pupils[FIG_N] = 20;
	m.x.pupils[FIG_K] = 1;
	m.x.pupils[FIG_E] = 1;
	m.x.pupils[FIG_ALL] = 22;
	/* Suspensions: N 6, K 4, E 4, all 14: hidden K + E = 8 = 4 + 4. */
	m.x.suspensions[FIG_N] = 6;
	m.x.suspensions[FIG_K] = 4;
	m.x.suspensions[FIG_E] = 4;
	m.x.suspensions[FIG_ALL] = 14;
	/* One or more: N 6, K 2, E 3, all 11: 5 = 2 + 3 or 1 + 4 or ...:
	 * safe, N stays. */
	m.x.one_plus[FIG_N] = 6;
	m.x.one_plus[FIG_K] = 2;
	m.x.one_plus[FIG_E] = 3;
	m.x.one_plus[FIG_ALL] = 11;
	fig_return_make(&m.s, "School", d(TODAY), &r);
	SHOWN(&r, "exclusions: pupils", "K", "<5");
	SHOWN(&r, "exclusions: pupils", "E", "<5");
	SHOWN(&r, "exclusions: pupils", "N", "c");
	SHOWN(&r, "exclusions: pupils", "all", "22");
	SHOWN(&r, "suspensions", "N", "c");
	SHOWN(&r, "pupils with 1+ suspensions", "N", "6");
	SHOWN(&r, "pupils with 1+ suspensions", "all", "11");
	fig_return_free(&r);
}

/* --- cells and merging ------------------------------------------------------------- */

Test(figures, cells_read_and_written)
{
	struct fig_cell c;
	char buf[32];

	cr_assert_eq(fig_cell_parse("12", false, &c), 0);
	cr_assert_eq(c.shown, FIG_EXACT);
	cr_assert_eq(c.value, 12);
	cr_assert_eq(fig_cell_parse("0", false, &c), 0);
	cr_assert_eq(c.value, 0);
	cr_assert_eq(fig_cell_parse("<5", false, &c), 0);
	cr_assert_eq(c.shown, FIG_SMALL);
	cr_assert_eq(fig_cell_low(&c), 1);
	cr_assert_eq(fig_cell_parse("c", false, &c), 0);
	cr_assert_eq(c.shown, FIG_WITHHELD);
	cr_assert_eq(fig_cell_low(&c), 5);
	cr_assert_eq(fig_cell_parse(">=17", false, &c), 0);
	cr_assert_eq(c.shown, FIG_ATLEAST);
	cr_assert_eq(fig_cell_low(&c), 17);
	cr_assert_str_eq(fig_cell_show(&c, buf, sizeof buf), ">=17");
	/* An exact small count is a return that was not suppressed. */
	cr_assert_eq(fig_cell_parse("3", false, &c), -1);
	cr_assert_eq(fig_cell_parse("3", true, &c), 0);
	cr_assert_eq(c.value, 3);
	cr_assert_eq(fig_cell_parse("", false, &c), -1);
	cr_assert_eq(fig_cell_parse("-7", false, &c), -1);
	cr_assert_eq(fig_cell_parse("12a", false, &c), -1);
	cr_assert_eq(fig_cell_parse(">=", false, &c), -1);
	cr_assert_eq(fig_cell_parse("1e3", false, &c), -1);
	cr_assert_eq(fig_cell_parse("9999999999999999", false, &c), -1);
}

/* A layout with one line set: the rest are exact zeros. */
static void
one(struct fig_return *r, const char *measure, const char *group,
    const char *text)
{
	int i;

	fig_return_layout(r, 28);
	r->returns = 1;
	i = fig_return_find(r, measure, group);
	cr_assert_geq(i, 0);
	cr_assert_eq(fig_cell_parse(text, r->lines[i].plain,
	    &r->lines[i].cell), 0, "%s", text);
}

/* The sum of cells a and b on the line "status, K". */
static const char *
merged(const char *a, const char *b)
{
	static char buf[32];
	struct fig_return sum, x, y;
	struct serr e;

	fig_return_layout(&sum, 28);
	one(&x, "status", "K", a);
	one(&y, "status", "K", b);
	serr_clear(&e);
	cr_assert_eq(fig_return_add(&sum, &x, &e), 0, "%s", e.msg);
	cr_assert_eq(fig_return_add(&sum, &y, &e), 0, "%s", e.msg);
	cr_assert_eq(sum.returns, 2);
	fig_cell_show(&sum.lines[fig_return_find(&sum, "status", "K")].cell,
	    buf, sizeof buf);
	fig_return_free(&sum);
	fig_return_free(&x);
	fig_return_free(&y);
	return buf;
}

Test(figures, merge_arithmetic)
{
	/* Exact parts give an exact sum. */
	cr_assert_str_eq(merged("12", "30"), "42");
	cr_assert_str_eq(merged("0", "0"), "0");
	/* A small part (1 to 4) makes the sum a lower bound. */
	cr_assert_str_eq(merged("10", "<5"), ">=11");
	cr_assert_str_eq(merged("<5", "<5"), ">=2");
	/* ... unless nothing else is in it: still at most 4. */
	cr_assert_str_eq(merged("<5", "0"), "<5");
	/* A withheld count is at least 5. */
	cr_assert_str_eq(merged("c", "7"), ">=12");
	cr_assert_str_eq(merged("c", "<5"), ">=6");
	/* Bounds add up. */
	cr_assert_str_eq(merged(">=11", "5"), ">=16");
	cr_assert_str_eq(merged(">=11", "<5"), ">=12");
}

Test(figures, merge_three_returns_and_rates)
{
	struct fig_return sum, a, b, c;
	struct serr e;
	double p;
	int roll, k, e_line, schools;

	/* Three schools: rolls 200, 300, 100; K 20, 30, <5 (3). */
	fig_return_layout(&sum, 28);
	one(&a, "roll", "all", "200");
	a.lines[fig_return_find(&a, "status", "K")].cell.value = 20;
	one(&b, "roll", "all", "300");
	b.lines[fig_return_find(&b, "status", "K")].cell.value = 30;
	one(&c, "roll", "all", "100");
	cr_assert_eq(fig_cell_parse("<5", false,
	    &c.lines[fig_return_find(&c, "status", "E")].cell), 0);
	serr_clear(&e);
	cr_assert_eq(fig_return_add(&sum, &a, &e), 0);
	cr_assert_eq(fig_return_add(&sum, &b, &e), 0);
	roll = fig_return_find(&sum, "roll", "all");
	k = fig_return_find(&sum, "status", "K");
	e_line = fig_return_find(&sum, "status", "E");
	schools = fig_return_find(&sum, "returns", "schools");
	/* K 50 of a roll of 500: 10%. */
	cr_assert_eq(sum.lines[k].cell.value, 50);
	cr_assert(fig_cell_pct(&sum.lines[k].cell, &sum.lines[roll].cell,
	    &p));
	cr_assert_float_eq(p, 10.0, 1e-9);
	cr_assert_eq(fig_return_add(&sum, &c, &e), 0);
	cr_assert_eq(sum.lines[roll].cell.value, 600);
	cr_assert_eq(sum.returns, 3);
	/* The schools line adds up like the rest (each layout says 0 here:
	 * one() leaves it, and the returns field counts the schools). */
	cr_assert_eq(sum.lines[schools].cell.shown, FIG_EXACT);
	/* E: 0 + 0 + <5 is still <5, and has no rate. */
	cr_assert_eq(sum.lines[e_line].cell.shown, FIG_SMALL);
	cr_assert(!fig_cell_pct(&sum.lines[e_line].cell,
	    &sum.lines[roll].cell, &p));
	fig_return_free(&sum);
	fig_return_free(&a);
	fig_return_free(&b);
	fig_return_free(&c);
}

Test(figures, merge_refuses_different_windows)
{
	struct fig_return sum, a;
	struct serr e;

	fig_return_layout(&sum, 28);
	fig_return_layout(&a, 14);
	serr_clear(&e);
	cr_assert_eq(fig_return_add(&sum, &a, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "28") != NULL && strstr(e.msg, "14") != NULL,
	    "%s", e.msg);
	/* Nothing was added. */
	cr_assert_eq(sum.returns, 0);
	fig_return_free(&sum);
	fig_return_free(&a);
}

Test(figures, layout_is_stable)
{
	struct fig_return r;
	int i, j;

	fig_return_layout(&r, 28);
	/* Its first lines and its size are part of the file format. */
	cr_assert_str_eq(r.lines[0].measure, "returns");
	cr_assert_str_eq(r.lines[1].measure, "roll");
	cr_assert_eq(r.n, 1 + 1 + 4 + AREA_COUNT + NEED_CODE_COUNT + 1 + 3 +
	    3 + 2 + 5 * FIG_GROUPS);
	cr_assert_geq(fig_return_find(&r, "reviews", "due within 28 days"), 0);
	cr_assert_eq(fig_return_find(&r, "reviews", "due within 14 days"), -1);
	/* Every line is named once, and every base and total comes first
	 * or is a real line. */
	for (i = 0; i < r.n; i++) {
		for (j = i + 1; j < r.n; j++)
			cr_assert(strcmp(r.lines[i].measure, r.lines[j].measure)
			    != 0 || strcmp(r.lines[i].group, r.lines[j].group)
			    != 0, "line %d twice", i);
		cr_assert_lt(r.lines[i].base, r.n);
		cr_assert_lt(r.lines[i].total, r.n);
	}
	fig_return_free(&r);
}

Test(figures, percentages_shown)
{
	struct fig_cell c, base;
	char buf[32];

	fig_cell_parse("12", false, &c);
	fig_cell_parse("48", false, &base);
	cr_assert_str_eq(fig_pct_show(&c, &base, buf, sizeof buf), "25.0");
	/* at least 12 of exactly 48: at least 25% */
	fig_cell_parse(">=12", false, &c);
	cr_assert_str_eq(fig_pct_show(&c, &base, buf, sizeof buf), ">=25.0");
	/* a small count, a withheld one, or a base not known: none */
	fig_cell_parse("<5", false, &c);
	cr_assert_str_eq(fig_pct_show(&c, &base, buf, sizeof buf), "c");
	fig_cell_parse("c", false, &c);
	cr_assert_str_eq(fig_pct_show(&c, &base, buf, sizeof buf), "c");
	fig_cell_parse("12", false, &c);
	fig_cell_parse(">=48", false, &base);
	cr_assert_str_eq(fig_pct_show(&c, &base, buf, sizeof buf), "c");
	fig_cell_parse("0", false, &base);
	cr_assert_str_eq(fig_pct_show(&c, &base, buf, sizeof buf), "c");
}
