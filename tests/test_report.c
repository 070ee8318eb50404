/*
 * test_report.c: the caseload figures of report.c (dashboard, provision
 * map, senco report) against values worked out by hand for a small fixed
 * caseload, and against the register view, which must agree. Cycles,
 * targets, ratings, interventions and enrolments are written with plain
 * SQL so that every date and score is exactly as the table below says.
 * Today is fixed at 2026-03-02.
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
#include "core/pupil.h"
#include "core/register.h"
#include "core/report.h"
#include "helpers.h"

#define TODAY "2026-03-02"
#define TS "2026-01-01T09:00:00Z"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
}

TestSuite(report, .init = fix_today, .fini = th_cleanup);

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

static int64_t next_id = 1000;

static int64_t
cycle(struct db *db, int64_t pupil, const char *start, const char *end,
    bool closed)
{
	int64_t id = next_id++;

	sql(db, "INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end,"
	    " review_date, decision, closed_on, created_at, updated_at)"
	    " VALUES (%lld, %lld, 'do', %Q, %Q, %Q, %Q, %Q, '" TS "', '" TS
	    "')", (long long)id, (long long)pupil, start, end, end,
	    closed ? "continue" : NULL, closed ? end : NULL);
	return id;
}

static int64_t
target(struct db *db, int64_t cycle_id, const char *outcome)
{
	int64_t id = next_id++;

	sql(db, "INSERT INTO target (id, cycle_id, position, text, outcome,"
	    " created_at, updated_at) VALUES (%lld, %lld, 1, 'read 50 words',"
	    " %Q, '" TS "', '" TS "')", (long long)id, (long long)cycle_id,
	    outcome);
	return id;
}

/* value < 0: a comment without a rating. */
static void
rate(struct db *db, int64_t target_id, int value, const char *on, int seq)
{
	char v[8];

	snprintf(v, sizeof v, "%d", value);
	sql(db, "INSERT INTO rating (id, target_id, seq, value, rated_on,"
	    " author, comment, created_at, updated_at) VALUES (%lld, %lld, %d,"
	    " %s, %Q, 'tester', %Q, '" TS "', '" TS "')", (long long)next_id++,
	    (long long)target_id, seq, value < 0 ? "NULL" : v, on,
	    value < 0 ? "spoke to parents" : NULL);
}

static int64_t
intervention(struct db *db, const char *name, const char *basis,
    int pence, bool retired)
{
	int64_t id = next_id++;

	sql(db, "INSERT INTO intervention (id, name, area, cost_basis,"
	    " cost_pence, retired, created_at, updated_at) VALUES (%lld, %Q,"
	    " 'CL', %Q, %d, %d, '" TS "', '" TS "')", (long long)id, name,
	    basis, pence, retired);
	return id;
}

/* entry/exit NAN: not recorded. */
static void
enrol(struct db *db, int64_t pupil, int64_t iv, int group, int per_week,
    int minutes, const char *start, const char *end, bool ended,
    const char *kind, double entry, double exit)
{
	char en[32] = "NULL", ex[32] = "NULL";

	if (!isnan(entry))
		snprintf(en, sizeof en, "%g", entry);
	if (!isnan(exit))
		snprintf(ex, sizeof ex, "%g", exit);
	sql(db, "INSERT INTO enrolment (id, pupil_id, intervention_id, staff,"
	    " group_size, sessions_per_week, minutes, start_date, end_date,"
	    " ended, measure_kind, entry_score, exit_score, created_at,"
	    " updated_at) VALUES (%lld, %lld, %lld, 'Mrs Okafor', %d, %d, %d,"
	    " %Q, %Q, %d, %Q, %s, %s, '" TS "', '" TS "')",
	    (long long)next_id++, (long long)pupil, (long long)iv, group,
	    per_week, minutes, start, end, ended, kind, en, ex);
}

/*
 * The fixed caseload (today 2026-03-02). On roll: 9 pupils, N 1, K 6, E 2.
 *
 *  pupil            st need yr  open cycle plan / review     targets on
 *  Adams, Ava        K SPLD 3   05/01-30/03 (needs 3)          4     2
 *  Baker, Ben        E ASD  5   17/11-16/02 overdue (needs 4)  2     2
 *  Cole, Cara        K SLCN R   02/02-10/03 (needs 3)          1     1
 *  Dunn, Dev         K SEMH 7   16/02-16/03                    0     0
 *  Evans, Eli        E HI   9   (closed cycle only)            -     -
 *  Fox, Finn         K NSA  10  16/02-17/03 (needs 2)          1     0
 *  Green, Gus        N  -   4   05/01-20/02 (not on register)
 *  Hill, Hana        K SPLD 4   archived
 *  Nowak, Łukasz     K OTH  6   none
 *  O'Neill, Siobhán  K (need row removed) 5  02/02-10/03      0     0
 *
 * Provision (per year, 39 weeks):
 *  Precision teaching £15/session: Adams, Cole, Green g3 2x30'
 *    (500p a session each: 39000), Hill (archived), finished: Fox 85->92,
 *    Baker 80->83, O'Neill ended without a score.
 *  Reading recovery £30/hour, ages: Evans g1 5x60' (585000); finished:
 *    Adams 84->96 over 3 months (ratio 4), Cole 60->66 over 4 (1.5).
 *  Speech programme £10/session: Evans g1 1x30' (39000); Baker from
 *    01/04 (not yet).
 *  Social skills £25/hour: Dunn g4 1x45' (468.75p -> 469: 18291).
 *  Retired club (retired): Nowak, ended, no scores.
 *  Old scheme (retired, never used): not listed.
 */
struct fixture {
	struct db *db;
	int64_t adams, baker, cole, dunn, evans, fox, green, hill, nowak,
	    oneill;
	int64_t pt, rr, sp, ss, rc;
};

static void
build(struct fixture *f)
{
	struct serr e;
	int64_t c, t;

	f->db = th_db();
	f->adams = th_pupil(f->db, 1, "Adams", "Ava", 'K', "SPLD", "3");
	f->baker = th_pupil(f->db, 2, "Baker", "Ben", 'E', "ASD", "5");
	f->cole = th_pupil(f->db, 3, "Cole", "Cara", 'K', "SLCN", "R");
	f->dunn = th_pupil(f->db, 4, "Dunn", "Dev", 'K', "SEMH", "7");
	f->evans = th_pupil(f->db, 5, "Evans", "Eli", 'E', "HI", "9");
	f->fox = th_pupil(f->db, 6, "Fox", "Finn", 'K', "NSA", "10");
	f->green = th_pupil(f->db, 7, "Green", "Gus", 'N', NULL, "4");
	f->hill = th_pupil(f->db, 8, "Hill", "Hana", 'K', "SPLD", "4");
	f->nowak = th_pupil(f->db, 9, "Nowak", "Łukasz", 'K', "OTH", "6");
	f->oneill = th_pupil(f->db, 10, "O'Neill", "Siobhán", 'K', "SLCN",
	    "5");
	serr_clear(&e);
	cr_assert_eq(pupil_archive(f->db, f->hill, true, SDATE_NONE, &e), 0,
	    "%s", e.msg);
	sql(f->db, "DELETE FROM pupil_need WHERE pupil_id = %lld",
	    (long long)f->oneill);

	c = cycle(f->db, f->adams, "2026-01-05", "2026-03-30", false);
	rate(f->db, target(f->db, c, NULL), 3, "2026-02-20", 1);
	t = target(f->db, c, NULL);
	rate(f->db, t, 2, "2026-01-20", 1);
	rate(f->db, t, 4, "2026-02-27", 2);
	rate(f->db, target(f->db, c, NULL), 2, "2026-02-27", 1);
	target(f->db, c, NULL);
	rate(f->db, target(f->db, c, "achieved"), 1, "2026-01-20", 1);

	cycle(f->db, f->baker, "2025-06-01", "2025-09-01", true);
	c = cycle(f->db, f->baker, "2025-11-17", "2026-02-16", false);
	rate(f->db, target(f->db, c, NULL), 4, "2026-02-10", 1);
	t = target(f->db, c, NULL);
	rate(f->db, t, 4, "2026-02-01", 1);
	rate(f->db, t, -1, "2026-02-20", 2);

	c = cycle(f->db, f->cole, "2026-02-02", "2026-03-10", false);
	t = target(f->db, c, NULL);
	rate(f->db, t, 1, "2026-02-09", 1);
	rate(f->db, t, 3, "2026-02-23", 2);

	cycle(f->db, f->dunn, "2026-02-16", "2026-03-16", false);
	cycle(f->db, f->evans, "2025-09-01", "2025-12-01", true);
	c = cycle(f->db, f->fox, "2026-02-16", "2026-03-17", false);
	rate(f->db, target(f->db, c, NULL), 0, "2026-02-17", 1);
	cycle(f->db, f->green, "2026-01-05", "2026-02-20", false);
	cycle(f->db, f->oneill, "2026-02-02", "2026-03-10", false);

	f->pt = intervention(f->db, "Precision teaching", "session", 1500,
	    false);
	f->rr = intervention(f->db, "Reading recovery", "hour", 3000, false);
	f->sp = intervention(f->db, "Speech programme", "session", 1000,
	    false);
	f->ss = intervention(f->db, "Social skills", "hour", 2500, false);
	f->rc = intervention(f->db, "Retired club", "session", 500, true);
	intervention(f->db, "Old scheme", "session", 700, true);

	enrol(f->db, f->adams, f->pt, 3, 2, 30, "2026-01-05", NULL, false,
	    "score", NAN, NAN);
	enrol(f->db, f->cole, f->pt, 3, 2, 30, "2026-01-05", "2026-07-17",
	    false, "score", NAN, NAN);
	enrol(f->db, f->green, f->pt, 3, 2, 30, "2026-01-05", NULL, false,
	    "score", NAN, NAN);
	enrol(f->db, f->hill, f->pt, 3, 2, 30, "2026-01-05", NULL, false,
	    "score", NAN, NAN);
	enrol(f->db, f->fox, f->pt, 3, 2, 30, "2025-09-01", "2025-12-01",
	    true, "score", 85, 92);
	enrol(f->db, f->baker, f->pt, 3, 2, 30, "2025-09-01", "2025-12-01",
	    true, "score", 80, 83);
	enrol(f->db, f->oneill, f->pt, 3, 2, 30, "2025-09-01", "2025-12-01",
	    true, "score", 70, NAN);
	enrol(f->db, f->evans, f->rr, 1, 5, 60, "2026-01-05", NULL, false,
	    "age", 90, NAN);
	enrol(f->db, f->adams, f->rr, 1, 3, 30, "2025-09-01", "2025-12-01",
	    true, "age", 84, 96);
	enrol(f->db, f->cole, f->rr, 1, 3, 30, "2025-09-01", "2026-01-01",
	    true, "age", 60, 66);
	enrol(f->db, f->evans, f->sp, 1, 1, 30, "2026-02-01", NULL, false,
	    "score", NAN, NAN);
	enrol(f->db, f->baker, f->sp, 1, 1, 30, "2026-04-01", NULL, false,
	    "score", NAN, NAN);
	enrol(f->db, f->dunn, f->ss, 4, 1, 45, "2026-02-16", NULL, false,
	    "rating", 1, NAN);
	enrol(f->db, f->nowak, f->rc, 2, 1, 30, "2025-09-01", "2025-10-01",
	    true, "score", NAN, NAN);
}

static struct report_caseload
load(struct fixture *f, int64_t topup)
{
	struct report_caseload c;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(report_caseload_load(f->db, SDATE_NONE, topup, &c, &e),
	    0, "%s", e.msg);
	return c;
}

static const struct report_pupil *
pupil_of(const struct report_caseload *c, int64_t id)
{
	for (int i = 0; i < c->n; i++)
		if (c->pupils[i].pupil_id == id)
			return &c->pupils[i];
	return NULL;
}

Test(report, roll_and_register)
{
	struct fixture f;
	struct report_caseload c;
	const struct report_pupil *p;

	build(&f);
	c = load(&f, 0);
	cr_assert_eq(c.today, date_from_ymd(2026, 3, 2));
	cr_assert_eq(c.topup_pence, 600000, "the default is £6,000");
	cr_assert_eq(c.roll, 9, "archived Hill is off roll");
	cr_assert_eq(c.status_n, 1);
	cr_assert_eq(c.status_k, 6);
	cr_assert_eq(c.status_e, 2);
	cr_assert_eq(c.n, 8, "on the register: K and E on roll");
	cr_assert_null(pupil_of(&c, f.green), "status N is not on it");
	cr_assert_null(pupil_of(&c, f.hill), "archived is not on it");

	p = pupil_of(&c, f.adams);
	cr_assert_not_null(p);
	cr_assert_str_eq(p->name, "Adams, Ava");
	cr_assert_str_eq(p->need, "SPLD");
	cr_assert_eq(p->area, AREA_CL);
	cr_assert_eq(p->targets, 4, "the achieved target is judged already");
	cr_assert_eq(p->on_track, 2, "3 and 4 reach 3; 2 and none do not");
	cr_assert_eq(p->review_date, date_from_ymd(2026, 3, 30));
	cr_assert_eq(p->cost_year_pence, 39000);

	p = pupil_of(&c, f.baker);
	cr_assert_eq(p->targets, 2);
	cr_assert_eq(p->on_track, 2, "a later comment is not a rating");
	p = pupil_of(&c, f.cole);
	cr_assert_eq(p->on_track, 1, "the later rating (3) counts");
	p = pupil_of(&c, f.fox);
	cr_assert_eq(p->targets, 1);
	cr_assert_eq(p->on_track, 0, "0 is under the 2 needed");
	p = pupil_of(&c, f.evans);
	cr_assert_eq(p->cycle_id, 0, "a closed cycle is not open");
	cr_assert_eq(p->review_date, SDATE_NONE);
	cr_assert_eq(p->cost_year_pence, 624000);
	p = pupil_of(&c, f.dunn);
	cr_assert_eq(p->cost_year_pence, 18291, "469p a session, rounded up");
	p = pupil_of(&c, f.nowak);
	cr_assert_str_eq(p->name, "Nowak, Łukasz");
	cr_assert_eq(p->cost_year_pence, 0, "an ended enrolment costs nothing");
	report_caseload_free(&c);
	cr_assert_null(c.pupils);
	db_close(f.db);
}

/* The register view and the report must give the same figures. */
Test(report, agrees_with_register)
{
	struct fixture f;
	struct report_caseload c;
	struct register_query q;
	struct register_row rows[32];
	struct serr e;
	int got = 0, i;

	build(&f);
	c = load(&f, 0);
	register_query_init(&q);
	serr_clear(&e);
	cr_assert_eq(register_window(f.db, &q, 0, 32, rows, &got, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(got, c.n);
	for (i = 0; i < got; i++) {
		const struct report_pupil *p = pupil_of(&c, rows[i].pupil_id);

		cr_assert_not_null(p, "%s", rows[i].surname);
		cr_assert_eq(p->targets, rows[i].targets, "%s", p->name);
		cr_assert_eq(p->on_track, rows[i].on_track, "%s", p->name);
		cr_assert_eq(p->cost_year_pence, rows[i].cost_year_pence,
		    "%s", p->name);
		cr_assert_eq(p->review_date, rows[i].review_date, "%s",
		    p->name);
		cr_assert_eq(p->status, rows[i].status, "%s", p->name);
		cr_assert_str_eq(p->need, rows[i].need, "%s", p->name);
		cr_assert_eq(p->cost_year_pence > c.topup_pence,
		    rows[i].over_topup, "%s", p->name);
	}
	report_caseload_free(&c);
	db_close(f.db);
}

Test(report, reviews_overdue_and_due)
{
	struct fixture f;
	struct report_caseload c;
	struct report_review *r = NULL;
	int n, over = -1;

	build(&f);
	c = load(&f, 0);
	n = report_reviews(&c, 14, &r, &over);
	cr_assert_eq(n, 4, "Baker overdue; Cole, O'Neill, Dunn due");
	cr_assert_eq(over, 1);
	cr_assert_str_eq(r[0].pupil->name, "Baker, Ben");
	cr_assert(r[0].overdue);
	cr_assert_eq(r[0].days, -14, "two weeks overdue");
	cr_assert_str_eq(r[1].pupil->name, "Cole, Cara");
	cr_assert_eq(r[1].days, 8);
	cr_assert_not(r[1].overdue);
	cr_assert_str_eq(r[2].pupil->name, "O'Neill, Siobhán",
	    "same date: by name");
	cr_assert_str_eq(r[3].pupil->name, "Dunn, Dev");
	cr_assert_eq(r[3].days, 14, "the last day of the window counts");
	free(r);

	/* Fox (15 days) joins with a wider window; Green (status N,
	 * overdue) never does */
	n = report_reviews(&c, 15, &r, NULL);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(r[4].pupil->name, "Fox, Finn");
	free(r);
	n = report_reviews(&c, 0, &r, &over);
	cr_assert_eq(n, 1, "a window of 0: overdue and due today only");
	cr_assert_eq(over, 1);
	free(r);
	/* the count alone agrees, window by window */
	cr_assert_eq(report_reviews_count(&c, 14, &over), 4);
	cr_assert_eq(over, 1);
	cr_assert_eq(report_reviews_count(&c, 15, NULL), 5);
	cr_assert_eq(report_reviews_count(&c, 13, NULL), 3);
	cr_assert_eq(report_reviews_count(&c, 0, &over), 1);
	cr_assert_eq(over, 1);
	report_caseload_free(&c);
	db_close(f.db);
}

/* Reviews by date, then name without regard to case, then id (so two
 * pupils of the same name keep the register's order); also when the
 * dates are centuries apart (one sort of them all). */
Test(report, reviews_order_ties_and_far_dates)
{
	static const struct {
		const char *name;
		int days;
	} in[] = {
		{ "Brown, Zoë", 3 }, { "brown, zoë", 3 }, { "Abbott, Ann", 3 },
		{ "Brown, Zoë", -2 }, { "Łukasz, Ala", 3 }, { "Abbott, Ann", 0 },
	};
	static const int want[] = { 3, 5, 2, 0, 1, 4 };
	struct report_pupil p[7];
	struct report_caseload c;
	struct report_review *r;
	int n, over, i;

	for (int far = 0; far <= 1; far++) {
		memset(&c, 0, sizeof c);
		memset(p, 0, sizeof p);
		c.today = date_from_ymd(2026, 3, 2);
		c.pupils = p;
		c.n = 6 + far;
		for (i = 0; i < c.n; i++) {
			p[i].pupil_id = 100 + i;
			p[i].cycle_id = 500 + i;
			p[i].name = i < 6 ? in[i].name : "Zed, Old";
			p[i].review_date = c.today + (i < 6 ? in[i].days :
			    -400000);
		}
		n = report_reviews(&c, 14, &r, &over);
		cr_assert_eq(n, c.n);
		cr_assert_eq(over, 1 + far);
		if (far)
			cr_assert_eq(r[0].pupil, &p[6], "centuries overdue");
		for (i = 0; i < 6; i++)
			cr_assert_eq(r[i + far].pupil, &p[want[i]],
			    "place %d: %s", i, r[i + far].pupil->name);
		free(r);
	}
}

/* The order of reviews_order_ties_and_far_dates worked out the plain
 * way: date, strcasecmp of the names, place in the register. */
static int
plain_review_cmp(const void *va, const void *vb)
{
	const struct report_review *a = va, *b = vb;
	int c;

	if (a->review_date != b->review_date)
		return a->review_date < b->review_date ? -1 : 1;
	if ((c = strcasecmp(a->pupil->name, b->pupil->name)) != 0)
		return c;
	return a->pupil < b->pupil ? -1 : a->pupil > b->pupil;
}

/* Many reviews a day whose names agree in their first 8 bytes but for
 * case, end within them, are empty or not ASCII: the order is the plain
 * one. */
Test(report, reviews_order_of_names_alike)
{
	static const char *const names[] = {
		"Kowalczyk, Zoë", "KOWALCZYK, Ada", "kowalczyk, ada",
		"Kowalczyk, Ada", "Kowalczy", "Kowal", "", "Łukasz, Ala",
		"Nguyễn, Bảo", "Ó Briain, Siobhán", "o briain, Siobhán",
		"Kowalczyk", "Kowalczyk,", "kowalczyK, Zoe", "Zoë", "Ng",
	};
	enum { N = 300 };
	struct report_pupil *p = calloc(N, sizeof *p);
	struct report_review *r, *want = calloc(N, sizeof *want);
	struct report_caseload c;
	unsigned x = 99;
	int n, i;

	cr_assert(p != NULL && want != NULL);
	memset(&c, 0, sizeof c);
	c.today = date_from_ymd(2026, 3, 2);
	c.pupils = p;
	c.n = N;
	for (i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		p[i].pupil_id = 100 + i;
		p[i].cycle_id = 500 + i;
		p[i].name = names[(x >> 8) % (sizeof names / sizeof names[0])];
		p[i].review_date = c.today - 3 + (int)((x >> 20) % 4);
		want[i].pupil = &p[i];
		want[i].review_date = p[i].review_date;
	}
	qsort(want, N, sizeof *want, plain_review_cmp);
	n = report_reviews(&c, 14, &r, NULL);
	cr_assert_eq(n, N);
	for (i = 0; i < N; i++)
		cr_assert_eq(r[i].pupil, want[i].pupil, "place %d: %s, not %s",
		    i, r[i].pupil->name, want[i].pupil->name);
	free(r);
	free(want);
	free(p);
}

Test(report, on_track_shares)
{
	struct fixture f;
	struct report_caseload c;
	struct report_track t;

	build(&f);
	c = load(&f, 0);
	report_on_track(&c, NULL, NULL, &t);
	cr_assert_eq(t.with_cycle, 6, "Adams Baker Cole Dunn Fox O'Neill");
	cr_assert_eq(t.no_targets, 2, "Dunn and O'Neill");
	cr_assert_eq(t.pupils, 4);
	cr_assert_eq(t.all, 2, "Baker and Cole");
	cr_assert_eq(t.half, 3, "and Adams, 2 of 4");
	cr_assert_float_eq(t.pct_all, 50.0, 1e-9);
	cr_assert_float_eq(t.pct_half, 75.0, 1e-9);
	cr_assert_not(t.all_met, "50%% is under 70%%");
	cr_assert_not(t.half_met, "75%% is under 90%%");
	report_caseload_free(&c);
	db_close(f.db);
}

static bool
only_e(const struct report_pupil *p, void *ctx)
{
	(void)ctx;
	return p->status == 'E';
}

static bool
year_is(const struct report_pupil *p, void *ctx)
{
	return strcmp(p->year, ctx) == 0;
}

Test(report, on_track_by_group)
{
	struct fixture f;
	struct report_caseload c;
	struct report_track t;

	build(&f);
	c = load(&f, 0);
	report_on_track(&c, only_e, NULL, &t);
	cr_assert_eq(t.pupils, 1, "Baker (Evans has no open cycle)");
	cr_assert_eq(t.all, 1);
	cr_assert(t.all_met);
	cr_assert(t.half_met);
	report_on_track(&c, year_is, "10", &t);
	cr_assert_eq(t.pupils, 1);
	cr_assert_eq(t.all, 0);
	cr_assert_eq(t.half, 0, "0 of 1 on track is not half");
	cr_assert_float_eq(t.pct_half, 0.0, 1e-9);
	report_on_track(&c, year_is, "14", &t);
	cr_assert_eq(t.pupils, 0);
	cr_assert_float_eq(t.pct_all, 0.0, 1e-9, "no pupils: 0, not NaN");
	cr_assert_not(t.all_met, "no pupils meet no criterion");
	report_caseload_free(&c);
	db_close(f.db);
}

/* 7 of 10 is exactly 70%: met, with no floating point doubt. */
Test(report, criteria_boundaries)
{
	struct report_caseload c;
	struct report_pupil p[10];
	struct report_track t;
	int i;

	memset(&c, 0, sizeof c);
	memset(p, 0, sizeof p);
	for (i = 0; i < 10; i++) {
		p[i].cycle_id = 1;
		p[i].targets = 2;
		p[i].on_track = i < 7 ? 2 : i < 9 ? 1 : 0;
	}
	c.pupils = p;
	c.n = 10;
	report_on_track(&c, NULL, NULL, &t);
	cr_assert_eq(t.all, 7);
	cr_assert_eq(t.half, 9);
	cr_assert(t.all_met, "70%% meets 70%%");
	cr_assert(t.half_met, "90%% meets 90%%");
	p[6].on_track = 1;
	p[8].on_track = 0;
	report_on_track(&c, NULL, NULL, &t);
	cr_assert_not(t.all_met, "60%%");
	cr_assert_not(t.half_met, "80%%");
	cr_assert(report_half_on_track(&p[6]));
	cr_assert_not(report_all_on_track(&p[6]));
	p[0].targets = p[0].on_track = 0;
	cr_assert_not(report_all_on_track(&p[0]), "no targets: not all");
	cr_assert_not(report_half_on_track(&p[0]));
}

Test(report, counts_by_need_and_area)
{
	struct fixture f;
	struct report_caseload c;
	struct report_counts n;
	int total = 0, k;

	build(&f);
	c = load(&f, 0);
	report_counts(&c, &n);
	cr_assert_eq(n.pupils, 8);
	cr_assert_eq(n.by_area[AREA_CI], 2, "SLCN Cole, ASD Baker");
	cr_assert_eq(n.by_area[AREA_CL], 1, "SPLD Adams (Hill archived)");
	cr_assert_eq(n.by_area[AREA_SEMH], 1);
	cr_assert_eq(n.by_area[AREA_SP], 1, "HI Evans");
	cr_assert_eq(n.by_area[AREA_NONE], 3, "NSA, OTH and no need");
	cr_assert_eq(n.no_need, 1, "O'Neill");
	for (k = 0; k < NEED_CODE_COUNT; k++) {
		int want = 0;
		const char *code = need_codes[k].code;

		if (strcmp(code, "SLCN") == 0 || strcmp(code, "ASD") == 0 ||
		    strcmp(code, "SPLD") == 0 || strcmp(code, "SEMH") == 0 ||
		    strcmp(code, "HI") == 0 || strcmp(code, "NSA") == 0 ||
		    strcmp(code, "OTH") == 0)
			want = 1;
		cr_assert_eq(n.by_need[k], want, "%s", code);
		total += n.by_need[k];
	}
	cr_assert_eq(total + n.no_need, n.pupils);
	report_caseload_free(&c);
	db_close(f.db);
}

Test(report, over_topup)
{
	struct fixture f;
	struct report_caseload c;
	const struct report_pupil **v = NULL;
	int n;

	build(&f);
	c = load(&f, 0);
	n = report_over_topup(&c, &v);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0]->name, "Evans, Eli");
	cr_assert_eq(v[0]->cost_year_pence, 624000);
	free(v);
	report_caseload_free(&c);

	/* a lower threshold from the config; ties by name */
	c = load(&f, 39000);
	n = report_over_topup(&c, &v);
	cr_assert_eq(n, 1, "39000 is not over 39000");
	free(v);
	report_caseload_free(&c);
	c = load(&f, 38999);
	n = report_over_topup(&c, &v);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[0]->name, "Evans, Eli");
	cr_assert_str_eq(v[1]->name, "Adams, Ava");
	cr_assert_str_eq(v[2]->name, "Cole, Cara");
	free(v);
	report_caseload_free(&c);

	c = load(&f, 700000);
	n = report_over_topup(&c, &v);
	cr_assert_eq(n, 0);
	cr_assert_null(v);
	report_caseload_free(&c);
	db_close(f.db);
}

/* A snapshot read in parts: what is read is as the whole snapshot has
 * it, what is not is left empty. */
Test(report, parts_read_alone)
{
	struct fixture f;
	struct report_caseload all, c;
	const struct report_pupil **v = NULL;
	const struct report_pupil *p;
	struct serr e;
	int i, n;

	build(&f);
	all = load(&f, 38999);
	serr_clear(&e);
	cr_assert_eq(report_caseload_read(f.db, SDATE_NONE, 38999, 0, &c, &e),
	    0, "%s", e.msg);
	cr_assert_eq(c.n, all.n);
	cr_assert_eq(c.roll, 9);
	cr_assert_eq(c.status_k, 6);
	cr_assert_eq(c.status_e, 2);
	cr_assert_null(c.ids, "the search index is not kept");
	for (i = 0; i < c.n; i++) {
		p = &c.pupils[i];
		cr_assert_eq(p->pupil_id, all.pupils[i].pupil_id);
		cr_assert_eq(p->status, all.pupils[i].status);
		cr_assert_str_eq(p->need, all.pupils[i].need);
		cr_assert_eq(p->area, all.pupils[i].area);
		cr_assert_str_eq(p->name, "", "details not asked");
		cr_assert_str_eq(p->year, "");
		cr_assert_eq(p->cycle_id, 0, "cycles not asked");
		cr_assert_eq(p->targets, 0, "targets not asked");
		cr_assert_eq(p->cost_year_pence, 0, "costs not asked");
	}
	cr_assert_null(pupil_of(&c, f.hill), "archived is not on it");
	report_caseload_free(&c);

	/* targets bring their cycles; the figures are the whole one's */
	cr_assert_eq(report_caseload_read(f.db, SDATE_NONE, 38999,
	    REPORT_TARGETS, &c, &e), 0, "%s", e.msg);
	for (i = 0; i < c.n; i++) {
		cr_assert_eq(c.pupils[i].cycle_id, all.pupils[i].cycle_id);
		cr_assert_eq(c.pupils[i].review_date,
		    all.pupils[i].review_date);
		cr_assert_eq(c.pupils[i].targets, all.pupils[i].targets);
		cr_assert_eq(c.pupils[i].on_track, all.pupils[i].on_track);
	}
	report_caseload_free(&c);

	/* the details of those over the threshold only, in the same order */
	cr_assert_eq(report_caseload_read(f.db, SDATE_NONE, 38999,
	    REPORT_OVER_DETAILS, &c, &e), 0, "%s", e.msg);
	n = report_over_topup(&c, &v);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[0]->name, "Evans, Eli");
	cr_assert_str_eq(v[1]->name, "Adams, Ava");
	cr_assert_str_eq(v[2]->name, "Cole, Cara");
	cr_assert_str_eq(v[2]->year, "R");
	cr_assert_str_eq(v[1]->upn, pupil_of(&all, f.adams)->upn);
	free(v);
	p = pupil_of(&c, f.dunn);
	cr_assert_eq(p->cost_year_pence, 18291);
	cr_assert_str_eq(p->name, "", "under the threshold: not read");
	report_caseload_free(&c);
	report_caseload_free(&all);
	db_close(f.db);
}

static const struct report_iv *
iv_named(const struct report_provision *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->ivs[i].name, name) == 0)
			return &p->ivs[i];
	return NULL;
}

Test(report, provision_map)
{
	struct fixture f;
	struct report_provision p;
	const struct report_iv *v;
	struct serr e;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(report_provision_load(f.db, SDATE_NONE, &p, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(p.n, 5, "the retired scheme nobody used is left out");
	cr_assert_str_eq(p.ivs[0].name, "Precision teaching", "by name");
	cr_assert_str_eq(p.ivs[1].name, "Reading recovery");
	cr_assert_str_eq(p.ivs[2].name, "Retired club");
	cr_assert_str_eq(p.ivs[3].name, "Social skills");
	cr_assert_str_eq(p.ivs[4].name, "Speech programme");
	cr_assert_null(iv_named(&p, "Old scheme"));

	v = iv_named(&p, "Precision teaching");
	cr_assert_eq(v->pupils, 3, "Adams, Cole, Green; Hill archived");
	cr_assert_eq(v->enrolments, 3);
	cr_assert_float_eq(v->sessions_week, 2.0, 1e-9, "one group of 3");
	cr_assert_float_eq(v->hours_week, 1.0, 1e-9);
	cr_assert_eq(v->cost_year_pence, 117000);
	cr_assert_eq(v->cost_pupil_pence, 39000);
	cr_assert_eq(v->finished, 3);
	cr_assert_eq(v->n_impact, 2, "O'Neill has no exit score");
	cr_assert_float_eq(v->mean_impact, 5.0, 1e-9, "(7 + 3) / 2");
	cr_assert_eq(v->n_ratio, 0);
	cr_assert(isnan(v->mean_ratio_gain), "scores have no ratio gain");

	v = iv_named(&p, "Reading recovery");
	cr_assert_eq(v->pupils, 1);
	cr_assert_float_eq(v->sessions_week, 5.0, 1e-9);
	cr_assert_float_eq(v->hours_week, 5.0, 1e-9);
	cr_assert_eq(v->cost_year_pence, 585000);
	cr_assert_eq(v->finished, 2);
	cr_assert_float_eq(v->mean_impact, 9.0, 1e-9, "(12 + 6) / 2");
	cr_assert_eq(v->n_ratio, 2);
	cr_assert_float_eq(v->mean_ratio_gain, 2.75, 1e-9, "(4 + 1.5) / 2");
	cr_assert_eq(v->basis, COST_PER_HOUR);
	cr_assert_eq(v->cost_pence, 3000);

	v = iv_named(&p, "Speech programme");
	cr_assert_eq(v->pupils, 1, "Baker starts in April");
	cr_assert_eq(v->cost_year_pence, 39000);
	cr_assert_eq(v->finished, 0);
	cr_assert(isnan(v->mean_impact));

	v = iv_named(&p, "Social skills");
	cr_assert_float_eq(v->sessions_week, 0.25, 1e-9, "a quarter of one");
	cr_assert_float_eq(v->hours_week, 0.1875, 1e-9);
	cr_assert_eq(v->cost_year_pence, 18291);
	cr_assert_eq(v->cost_pupil_pence, 18291);

	v = iv_named(&p, "Retired club");
	cr_assert(v->retired);
	cr_assert_eq(v->pupils, 0);
	cr_assert_eq(v->cost_pupil_pence, 0, "no pupils: 0, no division");
	cr_assert_eq(v->finished, 1);
	cr_assert_eq(v->n_impact, 0);

	cr_assert_eq(p.cost_year_pence, 117000 + 585000 + 39000 + 18291);
	cr_assert_eq(p.pupils, 5, "Adams Cole Green Evans Dunn, once each");
	report_provision_free(&p);
	db_close(f.db);
}

/* The provision map's total for a pupil is the register's cost. */
Test(report, provision_agrees_with_pupils)
{
	struct fixture f;
	struct report_provision p;
	struct report_caseload c;
	int64_t sum = 0;
	int i;

	build(&f);
	cr_assert_eq(report_provision_load(f.db, SDATE_NONE, &p, NULL), 0);
	c = load(&f, 0);
	for (i = 0; i < c.n; i++)
		sum += c.pupils[i].cost_year_pence;
	/* Green (status N) is in the provision but not on the register */
	cr_assert_eq(p.cost_year_pence, sum + 39000);
	report_provision_free(&p);
	report_caseload_free(&c);
	db_close(f.db);
}

/* The cluster return's count of pupils in provision, read alone from an
 * index, is the provision map's, on every day around the fixture's
 * enrolments (Baker's starts in April, some end, Hill left). */
Test(report, provision_pupils_alone)
{
	static const char *const days[] = {
		"2025-09-01", "2026-01-15", TODAY, "2026-04-01", "2026-04-20",
		"2026-07-31", "2027-03-01"
	};
	struct fixture f;
	struct serr e;
	size_t i;

	build(&f);
	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct report_provision p;
		sdate d = date_from_iso(days[i]);
		int n = -1;

		cr_assert_neq(d, SDATE_NONE);
		serr_clear(&e);
		cr_assert_eq(report_provision_load(f.db, d, &p, &e), 0, "%s",
		    e.msg);
		cr_assert_eq(report_provision_pupils(f.db, d, NULL, &n, &e), 0,
		    "%s", e.msg);
		cr_assert_eq(n, p.pupils, "%s: %d alone, %d in the map",
		    days[i], n, p.pupils);
		report_provision_free(&p);
		{
			/* with a caseload: its costs, as REPORT_COSTS */
			struct report_caseload a, b;

			cr_assert_eq(report_caseload_read(f.db, d, 0,
			    REPORT_COSTS, &a, &e), 0, "%s", e.msg);
			cr_assert_eq(report_caseload_read(f.db, d, 0, 0, &b,
			    &e), 0, "%s", e.msg);
			n = -1;
			cr_assert_eq(report_provision_pupils(f.db, d, &b, &n,
			    &e), 0, "%s", e.msg);
			cr_assert_eq(n, p.pupils);
			cr_assert_eq(a.n, b.n);
			for (int k = 0; k < a.n; k++)
				cr_assert_eq(b.pupils[k].cost_year_pence,
				    a.pupils[k].cost_year_pence, "%s: %d",
				    days[i], k);
			report_caseload_free(&a);
			report_caseload_free(&b);
		}
	}
	db_close(f.db);
	{
		struct db *empty = th_db();
		int n = -1;

		cr_assert_eq(report_provision_pupils(empty, SDATE_NONE, NULL,
		    &n, NULL), 0);
		cr_assert_eq(n, 0, "no enrolments, no pupils");
		db_close(empty);
	}
}

/* The provision report's one pass gives its pupils the costs and the
 * details REPORT_COSTS and REPORT_OVER_DETAILS give, on every day around
 * the fixture's enrolments, and the same provision map. */
Test(report, provision_read_gives_the_costs)
{
	static const char *const days[] = {
		"2025-09-01", TODAY, "2026-04-01", "2026-07-31", "2027-03-01"
	};
	struct fixture f;
	struct serr e;
	size_t i;

	build(&f);
	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct report_caseload a, b;
		struct report_provision pa, pb;
		sdate d = date_from_iso(days[i]);

		serr_clear(&e);
		cr_assert_eq(report_caseload_read(f.db, d, 40000,
		    REPORT_OVER_DETAILS, &a, &e), 0, "%s", e.msg);
		cr_assert_eq(report_provision_load(f.db, d, &pa, &e), 0, "%s",
		    e.msg);
		cr_assert_eq(report_caseload_read(f.db, d, 40000, 0, &b, &e), 0,
		    "%s", e.msg);
		cr_assert_eq(report_provision_read(f.db, d, &b, &pb, &e), 0,
		    "%s", e.msg);
		cr_assert_eq(a.n, b.n);
		for (int k = 0; k < a.n; k++) {
			cr_assert_eq(b.pupils[k].cost_year_pence,
			    a.pupils[k].cost_year_pence, "%s: pupil %d",
			    days[i], k);
			cr_assert_str_eq(b.pupils[k].name, a.pupils[k].name);
			cr_assert_str_eq(b.pupils[k].upn, a.pupils[k].upn);
		}
		cr_assert_eq(pb.n, pa.n);
		cr_assert_eq(pb.pupils, pa.pupils);
		cr_assert_eq(pb.cost_year_pence, pa.cost_year_pence);
		for (int k = 0; k < pa.n; k++) {
			cr_assert_eq(pb.ivs[k].pupils, pa.ivs[k].pupils);
			cr_assert_eq(pb.ivs[k].cost_year_pence,
			    pa.ivs[k].cost_year_pence);
			cr_assert_eq(pb.ivs[k].finished, pa.ivs[k].finished);
		}
		report_provision_free(&pa);
		report_provision_free(&pb);
		report_caseload_free(&a);
		report_caseload_free(&b);
	}
	db_close(f.db);
}

/* A report reads one state of the caseload: a pupil added by someone
 * else after report_read_once is not in it. */
Test(report, read_once_is_one_snapshot)
{
	struct fixture f;
	struct report_caseload a, b;
	struct db *other;
	struct serr e;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(report_read_once(f.db, &e), 0, "%s", e.msg);
	cr_assert_eq(report_caseload_read(f.db, SDATE_NONE, 0, REPORT_ALL, &a,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(db_open(&other, db_path(f.db), 0, &e), 0, "%s", e.msg);
	th_pupil(other, 40, "Nguyễn", "Łukasz", 'K', "ASD", "3");
	db_close(other);
	cr_assert_eq(report_caseload_read(f.db, SDATE_NONE, 0, REPORT_ALL, &b,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(b.n, a.n, "the new pupil is not in this run's figures");
	cr_assert_eq(b.roll, a.roll);
	report_caseload_free(&a);
	report_caseload_free(&b);
	db_close(f.db);
}

struct members {
	struct report_member m[16];
	int n;
	int stop_after;
};

static int
on_member(void *ctx, const struct report_member *m)
{
	struct members *g = ctx;

	g->m[g->n++] = *m;
	return g->n == g->stop_after ? 42 : 0;
}

Test(report, group)
{
	struct fixture f;
	struct members g;
	struct serr e;

	build(&f);
	memset(&g, 0, sizeof g);
	serr_clear(&e);
	cr_assert_eq(report_group(f.db, f.pt, SDATE_NONE, on_member, &g, &e),
	    0, "%s", e.msg);
	cr_assert_eq(g.n, 7);
	cr_assert_str_eq(g.m[0].name, "Adams, Ava");
	cr_assert(g.m[0].current);
	cr_assert_eq(g.m[0].cost_year_pence, 39000);
	cr_assert_str_eq(g.m[0].en.staff, "Mrs Okafor");
	cr_assert_str_eq(g.m[1].name, "Baker, Ben");
	cr_assert_not(g.m[1].current);
	cr_assert_eq(g.m[1].cost_year_pence, 0);
	cr_assert_float_eq(g.m[1].impact, 3.0, 1e-9);
	cr_assert_str_eq(g.m[3].name, "Fox, Finn");
	cr_assert_float_eq(g.m[3].impact, 7.0, 1e-9);
	cr_assert_str_eq(g.m[5].name, "Hill, Hana");
	cr_assert(g.m[5].archived);
	cr_assert_not(g.m[5].current, "archived: not in the group now");
	cr_assert_str_eq(g.m[6].name, "O'Neill, Siobhán");
	cr_assert(isnan(g.m[6].impact));

	memset(&g, 0, sizeof g);
	cr_assert_eq(report_group(f.db, f.rr, SDATE_NONE, on_member, &g,
	    NULL), 0);
	cr_assert_eq(g.n, 3);
	cr_assert_float_eq(g.m[0].ratio_gain, 4.0, 1e-9, "Adams");

	/* a callback's non-zero return stops the walk and is returned */
	memset(&g, 0, sizeof g);
	g.stop_after = 2;
	cr_assert_eq(report_group(f.db, f.pt, SDATE_NONE, on_member, &g,
	    NULL), 42);
	cr_assert_eq(g.n, 2);
	db_close(f.db);
}

Test(report, group_refuses_unknown_intervention)
{
	struct fixture f;
	struct members g;
	struct serr e;

	build(&f);
	memset(&g, 0, sizeof g);
	serr_clear(&e);
	cr_assert_eq(report_group(f.db, 4242, SDATE_NONE, on_member, &g, &e),
	    SE_NOTFOUND);
	cr_assert_neq(e.msg[0], '\0', "the refusal says why");
	cr_assert_eq(g.n, 0);
	db_close(f.db);
}

/* Two ratings on one day in one second: the one made later (seq) is the
 * latest, whatever their random ids say. */
Test(report, latest_rating_by_seq)
{
	struct report_caseload c;
	struct db *db = th_db();
	int64_t p = th_pupil(db, 1, "Brown", "Zoë", 'K', "SLCN", "5");
	int64_t cy = cycle(db, p, "2026-02-02", "2026-03-02", false);
	int64_t t = target(db, cy, NULL);

	/* the first made has the higher id */
	sql(db, "INSERT INTO rating (id, target_id, seq, value, rated_on,"
	    " author, created_at, updated_at) VALUES (900000, %lld, 1, 1,"
	    " '2026-02-27', 'a', '" TS "', '" TS "')", (long long)t);
	sql(db, "INSERT INTO rating (id, target_id, seq, value, rated_on,"
	    " author, created_at, updated_at) VALUES (5, %lld, 2, 4,"
	    " '2026-02-27', 'a', '" TS "', '" TS "')", (long long)t);
	cr_assert_eq(report_caseload_load(db, SDATE_NONE, 0, &c, NULL), 0);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.pupils[0].on_track, 1, "4 (made second) is latest");
	report_caseload_free(&c);
	db_close(db);
}

/* An empty caseload gives zeros, never a division by zero. */
Test(report, empty_caseload)
{
	struct db *db = th_db();
	struct report_caseload c;
	struct report_provision p;
	struct report_track t;
	struct report_counts n;
	struct report_review *r = (void *)1;
	const struct report_pupil **v = (void *)1;

	cr_assert_eq(report_caseload_load(db, date_from_ymd(2026, 3, 2), 0,
	    &c, NULL), 0);
	cr_assert_eq(c.n, 0);
	cr_assert_eq(c.roll, 0);
	cr_assert_eq(report_reviews(&c, 14, &r, NULL), 0);
	cr_assert_null(r);
	report_on_track(&c, NULL, NULL, &t);
	cr_assert_eq(t.pupils, 0);
	report_counts(&c, &n);
	cr_assert_eq(n.pupils, 0);
	cr_assert_eq(report_over_topup(&c, &v), 0);
	cr_assert_null(v);
	report_caseload_free(&c);
	cr_assert_eq(report_provision_load(db, SDATE_NONE, &p, NULL), 0);
	cr_assert_eq(p.n, 0);
	report_provision_free(&p);
	cr_assert_float_eq(report_pct(1, 0), 0.0, 1e-9);
	cr_assert_float_eq(report_pct(1, 3), 100.0 / 3, 1e-9);
	db_close(db);
}

/* An explicit day overrides SENCO_TODAY: on 2026-02-10 Baker is not yet
 * overdue and needs less. */
Test(report, explicit_today)
{
	struct fixture f;
	struct report_caseload c;
	struct report_review *r = NULL;
	struct serr e;
	int n, over = -1;

	build(&f);
	serr_clear(&e);
	cr_assert_eq(report_caseload_load(f.db, date_from_ymd(2026, 2, 10),
	    0, &c, &e), 0, "%s", e.msg);
	n = report_reviews(&c, 7, &r, &over);
	cr_assert_eq(over, 0);
	cr_assert_eq(n, 1, "Baker due on 16/02");
	cr_assert_eq(r[0].days, 6);
	free(r);
	/* Adams on 10/02: 36 of 84 days needs round(1.71) = 2, so the 2
	 * counts as well (ratings are not filtered by their date) */
	cr_assert_eq(pupil_of(&c, f.adams)->on_track, 3);
	report_caseload_free(&c);
	db_close(f.db);
}

/* Cycles asked without targets: each pupil's open cycle and review date
 * as the whole snapshot gives them, and no target counted. */
Test(report, cycles_read_without_targets)
{
	struct fixture f;
	struct report_caseload all, c;
	struct serr e;
	int i;

	build(&f);
	all = load(&f, 0);
	serr_clear(&e);
	cr_assert_eq(report_caseload_read(f.db, SDATE_NONE, 0, REPORT_CYCLES,
	    &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c.n, all.n);
	for (i = 0; i < c.n; i++) {
		cr_assert_eq(c.pupils[i].pupil_id, all.pupils[i].pupil_id);
		cr_assert_eq(c.pupils[i].cycle_id, all.pupils[i].cycle_id);
		cr_assert_eq(c.pupils[i].review_date,
		    all.pupils[i].review_date);
		cr_assert_eq(c.pupils[i].targets, 0, "targets not asked");
		cr_assert_eq(c.pupils[i].on_track, 0);
	}
	cr_assert_eq(pupil_of(&all, f.adams)->targets, 4);
	cr_assert_eq(pupil_of(&c, f.adams)->review_date,
	    date_from_ymd(2026, 3, 30));
	report_caseload_free(&c);
	report_caseload_free(&all);
	db_close(f.db);
}

/* Every pupil on roll on the register (the roll bounds the register's
 * size), one who left and one whose status was ended: the register
 * follows the statuses as they change. */
Test(report, register_of_the_whole_roll)
{
	struct db *db = th_db();
	struct report_caseload c;
	struct serr e;
	int64_t zoe, bao, left, ended;

	zoe = th_pupil(db, 1, "Brown", "Zoë", 'K', "ASD", "3");
	bao = th_pupil(db, 2, "Nguyễn", "Bảo", 'E', "HI", "5");
	ended = th_pupil(db, 3, "Kowalski", "Łukasz", 'K', "MLD", "6");
	left = th_pupil(db, 4, "Walsh", "Siobhán", 'K', "SLCN", "7");
	serr_clear(&e);
	cr_assert_eq(pupil_archive(db, left, true, SDATE_NONE, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(report_caseload_read(db, SDATE_NONE, 0, 0, &c, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(c.roll, 3);
	cr_assert_eq(c.n, 3, "the whole roll");
	cr_assert_eq(c.status_n, 0);
	cr_assert_lt(c.pupils[0].pupil_id, c.pupils[1].pupil_id, "by id");
	cr_assert_lt(c.pupils[1].pupil_id, c.pupils[2].pupil_id, "by id");
	cr_assert_not_null(pupil_of(&c, zoe));
	cr_assert_not_null(pupil_of(&c, ended));
	cr_assert_not_null(pupil_of(&c, bao));
	cr_assert_eq(pupil_of(&c, bao)->status, 'E');
	cr_assert_eq(pupil_of(&c, bao)->area, AREA_SP);
	cr_assert_str_eq(pupil_of(&c, zoe)->need, "ASD");
	report_caseload_free(&c);

	sql(db, "UPDATE sen_status SET end_date = start_date "
	    "WHERE pupil_id = %lld", (long long)ended);
	cr_assert_eq(report_caseload_read(db, SDATE_NONE, 0, 0, &c, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(c.roll, 3);
	cr_assert_eq(c.n, 2, "no open status: N");
	cr_assert_eq(c.status_n, 1);
	cr_assert_eq(c.status_k, 1);
	cr_assert_eq(c.status_e, 1);
	cr_assert_null(pupil_of(&c, ended));
	cr_assert_null(pupil_of(&c, left));
	report_caseload_free(&c);

	/* names as the register shows them: preferred unless empty */
	sql(db, "UPDATE pupil SET preferred_forename = 'Zo', "
	    "preferred_surname = '' WHERE id = %lld", (long long)zoe);
	sql(db, "UPDATE pupil SET preferred_surname = 'Nguyen' "
	    "WHERE id = %lld", (long long)bao);
	cr_assert_eq(report_caseload_read(db, SDATE_NONE, 0, REPORT_DETAILS,
	    &c, &e), 0, "%s", e.msg);
	cr_assert_str_eq(pupil_of(&c, zoe)->name, "Brown, Zo");
	cr_assert_str_eq(pupil_of(&c, bao)->name, "Nguyen, Bảo");
	cr_assert_str_eq(pupil_of(&c, bao)->year, "5");
	cr_assert_eq(pupil_of(&c, bao)->dob, date_from_ymd(2016, 9, 1));
	cr_assert_eq(pupil_of(&c, zoe)->dob, SDATE_NONE, "K: not read");
	report_caseload_free(&c);
	db_close(db);
}

/* Days in words, written by hand, as snprintf would write them: one
 * day, many, none, negative, and cut to the buffer. */
Test(report, days_text)
{
	char buf[48], want[48], small[8];
	static const int days[] = { 0, 1, 2, 9, 10, 365, -1, -40, 2147483647,
	    -2147483647 - 1 };

	cr_assert_str_eq(report_days_text("overdue by ", 1, buf, sizeof buf),
	    "overdue by 1 day");
	cr_assert_str_eq(report_days_text("in ", 12, buf, sizeof buf),
	    "in 12 days");
	cr_assert_str_eq(report_days_text("", 0, buf, sizeof buf), "0 days");
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		snprintf(want, sizeof want, "due in %d day%s", days[i],
		    days[i] == 1 ? "" : "s");
		cr_assert_str_eq(report_days_text("due in ", days[i], buf,
		    sizeof buf), want);
		want[sizeof small - 1] = '\0';	/* as snprintf cuts */
		cr_assert_str_eq(report_days_text("due in ", days[i], small,
		    sizeof small), want, "cut as snprintf cuts");
	}
	/* exactly filling the buffer: 9 bytes and the NUL in 10 */
	cr_assert_str_eq(report_days_text("in ", 5, buf, 10), "in 5 days");
	cr_assert_str_eq(report_days_text("in ", 5, buf, 9), "in 5 day");
}
