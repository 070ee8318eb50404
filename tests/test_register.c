/*
 * test_register.c: the register view: derived figures (on track, cost)
 * against values worked out by hand for a small fixed caseload, windows,
 * counts, every filter, every sort order both ways, stable paging and
 * register_position. Cycles, targets, ratings and enrolments are written
 * with plain SQL so that this test depends on pupil.c and register.c only.
 * Today is fixed at 2026-03-02.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/derive.h"
#include "core/pupil.h"
#include "core/register.h"
#include "helpers.h"

#define TODAY "2026-03-02"
#define TS "2026-01-01T09:00:00Z"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
}

TestSuite(reg, .init = fix_today, .fini = th_cleanup);

static void
sql(struct db *db, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	th_exec(db, s);
	sqlite3_free(s);
}

static int64_t next_id = 1000;

static int64_t
cycle(struct db *db, int64_t pupil, const char *stage, const char *start,
    const char *end, const char *review, bool closed)
{
	int64_t id = next_id++;

	sql(db, "INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end,"
	    " review_date, decision, closed_on, created_at, updated_at)"
	    " VALUES (%lld, %lld, %Q, %Q, %Q, %Q, %Q, %Q, '" TS "', '" TS "')",
	    (long long)id, (long long)pupil, stage, start, end, review,
	    closed ? "continue" : NULL, closed ? start : NULL);
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
rate(struct db *db, int64_t target_id, int value, const char *on,
    const char *created)
{
	char v[8];

	snprintf(v, sizeof v, "%d", value);
	sql(db, "INSERT INTO rating (id, target_id, value, rated_on, author,"
	    " comment, created_at, updated_at) VALUES (%lld, %lld, %s, %Q,"
	    " 'tester', %Q, %Q, %Q)", (long long)next_id++,
	    (long long)target_id, value < 0 ? "NULL" : v, on,
	    value < 0 ? "spoke to parents" : NULL, created, created);
}

static int64_t
intervention(struct db *db, const char *name, const char *basis,
    int pence)
{
	int64_t id = next_id++;

	sql(db, "INSERT INTO intervention (id, name, cost_basis, cost_pence,"
	    " created_at, updated_at) VALUES (%lld, %Q, %Q, %d, '" TS "',"
	    " '" TS "')", (long long)id, name, basis, pence);
	return id;
}

static void
enrol(struct db *db, int64_t pupil, int64_t iv, int group, int per_week,
    int minutes, const char *start, const char *end, bool ended)
{
	sql(db, "INSERT INTO enrolment (id, pupil_id, intervention_id,"
	    " group_size, sessions_per_week, minutes, start_date, end_date,"
	    " ended, created_at, updated_at) VALUES (%lld, %lld, %lld, %d, %d,"
	    " %d, %Q, %Q, %d, '" TS "', '" TS "')", (long long)next_id++,
	    (long long)pupil, (long long)iv, group, per_week, minutes, start,
	    end, ended);
}

/*
 * The fixed caseload. On the register by default (on roll, not N):
 *
 *  pupil        year st need flags  stage  review      targets on  cost/yr
 *  Adams, Ava     3  K  SPLD PP     do     2026-03-30    4      2   52338
 *  Baker, Ben     5  E  ASD  PP FSM review 2026-02-16*   2      1 1757457
 *  Cole, Cara     R  K  SLCN        plan   2026-03-10    1      1       0
 *  Fox, Finn     10  K  NSA  EAL    assess 2026-02-15*   1      0       0
 *  Gray, Gus      6  K  OTH         do     2026-03-09    2      1       0
 *  Hill, Hana     4  K  HI          (none)               0      0       0
 * (* overdue.) Off it: Dale, Dan (N, year 5), Evans, Eve (K SEMH, year 5,
 * archived).
 */
static struct fx {
	struct db *db;
	int64_t a, b, c, d, ev, f, g, h;
} fx;

static void
build(void)
{
	struct db *db = th_db();
	int64_t cy, t, i1, i2, i3, i4;

	fx.db = db;
	fx.a = th_pupil(db, 101, "Adams", "Ava", 'K', "SPLD", "3");
	fx.b = th_pupil(db, 102, "Baker", "Ben", 'E', "ASD", "5");
	fx.c = th_pupil(db, 103, "Cole", "Cara", 'K', "SLCN", "R");
	fx.d = th_pupil(db, 104, "Dale", "Dan", 'N', NULL, "5");
	fx.ev = th_pupil(db, 105, "Evans", "Eve", 'K', "SEMH", "5");
	fx.f = th_pupil(db, 106, "Fox", "Finn", 'K', "NSA", "10");
	fx.g = th_pupil(db, 107, "Gray", "Gus", 'K', "OTH", "6");
	fx.h = th_pupil(db, 108, "Hill", "Hana", 'K', "HI", "4");
	cr_assert_eq(pupil_archive(db, fx.ev, true, SDATE_NONE, NULL), 0);
	sql(db, "UPDATE pupil SET flags = %d WHERE id = %lld", FLAG_PP,
	    (long long)fx.a);
	sql(db, "UPDATE pupil SET flags = %d WHERE id = %lld",
	    FLAG_PP | FLAG_FSM, (long long)fx.b);
	sql(db, "UPDATE pupil SET flags = %d WHERE id = %lld", FLAG_EAL,
	    (long long)fx.f);
	sql(db, "INSERT INTO pupil_need (id, pupil_id, rank, code, created_at,"
	    " updated_at) VALUES (%lld, %lld, 2, 'SLCN', '" TS "', '" TS "')",
	    (long long)next_id++, (long long)fx.a);

	/* Adams: 84-day plan, 56 days in: needs round(2.67) = 3. */
	cy = cycle(db, fx.a, "review", "2025-09-01", "2025-12-01",
	    "2025-12-01", true);
	rate(db, target(db, cy, NULL), 0, "2025-10-01", TS);	/* old cycle */
	cy = cycle(db, fx.a, "do", "2026-01-05", "2026-03-30", "2026-03-30",
	    false);
	t = target(db, cy, NULL);		/* latest 3: on track */
	rate(db, t, 2, "2026-01-20", TS);
	rate(db, t, 3, "2026-02-20", TS);
	rate(db, t, -1, "2026-03-01", TS);	/* a comment: ignored */
	t = target(db, cy, NULL);		/* latest is 1, not the 4 */
	rate(db, t, 4, "2026-02-01", TS);
	rate(db, t, 1, "2026-02-25", TS);
	target(db, cy, NULL);			/* no rating: 0 */
	t = target(db, cy, "achieved");		/* has an outcome: not counted */
	rate(db, t, 4, "2026-02-25", TS);
	t = target(db, cy, NULL);		/* same day: the later entry, 3 */
	rate(db, t, 3, "2026-02-26", "2026-02-26T11:00:00Z");
	rate(db, t, 2, "2026-02-26", "2026-02-26T10:00:00Z");

	/* Baker: plan over (91 days, 119 in): needs 4. Review overdue. */
	cy = cycle(db, fx.b, "review", "2025-11-03", "2026-02-02",
	    "2026-02-16", false);
	rate(db, target(db, cy, NULL), 4, "2026-02-01", TS);
	rate(db, target(db, cy, NULL), 3, "2026-02-01", TS);

	/* Cole: a plan of no length that has not come yet: needs 0. */
	cy = cycle(db, fx.c, "plan", "2026-03-10", "2026-03-10", "2026-03-10",
	    false);
	target(db, cy, NULL);

	/* Fox: a plan of no length now past: needs 4. Review overdue. */
	cy = cycle(db, fx.f, "assess", "2026-02-01", "2026-02-01",
	    "2026-02-15", false);
	rate(db, target(db, cy, NULL), 3, "2026-02-01", TS);

	/* Gray: 8-day plan, 1 day in: 4 * 1 / 8 = 0.5 rounds up to 1. */
	cy = cycle(db, fx.g, "do", "2026-03-01", "2026-03-09", "2026-03-09",
	    false);
	rate(db, target(db, cy, NULL), 1, "2026-03-01", TS);
	rate(db, target(db, cy, NULL), 0, "2026-03-01", TS);

	/* Evans (archived) and Dale (N) have figures too, shown on request. */
	cy = cycle(db, fx.ev, "do", "2026-01-05", "2026-03-30", "2026-03-30",
	    false);
	target(db, cy, NULL);

	i1 = intervention(db, "Toe by Toe", "session", 1500);
	i2 = intervention(db, "Speech Link", "hour", 2400);
	i3 = intervention(db, "Lego therapy", "session", 1000);
	i4 = intervention(db, "1:1 TA support", "hour", 1800);
	/* Adams: 1500/3 = 500p x 2 x 39 = 39000;
	 * 2400 x 20/60 / 7 = 114.29 -> 114p x 3 x 39 = 13338;
	 * an ended enrolment counts nothing. Total 52338. */
	enrol(db, fx.a, i1, 3, 2, 30, "2026-01-05", NULL, false);
	enrol(db, fx.a, i2, 7, 3, 20, "2026-01-05", "2026-04-01", false);
	enrol(db, fx.a, i3, 4, 1, 30, "2026-01-05", NULL, true);
	/* Baker: 1000/16 = 62.5 -> 63p x 1 x 39 = 2457 (ends today: still
	 * current); 1800 x 300/60 = 9000p x 5 x 39 = 1755000; one not begun
	 * and one finished count nothing. Total 1757457: over £6,000. */
	enrol(db, fx.b, i3, 16, 1, 30, "2025-09-01", TODAY, false);
	enrol(db, fx.b, i4, 1, 5, 300, "2025-09-01", NULL, false);
	enrol(db, fx.b, i1, 2, 2, 30, "2026-03-03", NULL, false);
	enrol(db, fx.b, i2, 1, 2, 30, "2025-09-01", "2026-03-01", false);
}

static void
teardown(void)
{
	db_close(fx.db);
	th_cleanup();
}

static struct register_query
query(void)
{
	struct register_query q;

	register_query_init(&q);
	return q;
}

/* All rows of q (up to 32) in one window. */
static int
fetch(const struct register_query *q, struct register_row *rows)
{
	struct serr e;
	int got, n;

	cr_assert_eq(register_window(fx.db, q, 0, 32, rows, &got, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(register_count(fx.db, q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, got, "count %d, window %d", n, got);
	return got;
}

/* The surnames of q's rows, joined by spaces. */
static const char *
order(const struct register_query *q)
{
	static char out[512];
	struct register_row rows[32];
	int n = fetch(q, rows);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, rows[i].surname);
	}
	return out;
}

static const struct register_row *
row_of(struct register_row *rows, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (rows[i].pupil_id == id)
			return &rows[i];
	cr_assert_fail("pupil %lld not in the rows", (long long)id);
	return NULL;
}

Test(reg, init_defaults)
{
	struct register_query q;

	memset(&q, 0x55, sizeof q);
	register_query_init(&q);
	cr_assert_eq(q.sort, REGISTER_SORT_NAME);
	cr_assert_not(q.descending);
	cr_assert_eq(q.stage, -1);
	cr_assert_eq(q.today, SDATE_NONE);
	cr_assert_eq(q.topup_pence, 600000);
	cr_assert_eq(q.flags, 0);
	cr_assert_not(q.overdue_only);
	cr_assert_not(q.filter.include_archived);
	cr_assert_not(q.filter.include_n);
	cr_assert_eq(q.filter.status, 0);
	cr_assert_null(q.filter.text);
}

Test(reg, rows_carry_the_derived_figures, .init = build, .fini = teardown)
{
	struct register_query q = query();
	struct register_row rows[32];
	const struct register_row *r;
	int n = fetch(&q, rows);

	cr_assert_eq(n, 6);
	r = row_of(rows, n, fx.a);
	cr_assert_str_eq(r->upn, th_upn(101, (char[UPN_LEN + 1]){ 0 }));
	cr_assert_str_eq(r->surname, "Adams");
	cr_assert_str_eq(r->forename, "Ava");
	cr_assert_str_eq(r->year, "3");
	cr_assert_eq(r->status, 'K');
	cr_assert_str_eq(r->need, "SPLD");	/* the primary need */
	cr_assert_eq(r->flags, FLAG_PP);
	cr_assert_not(r->archived);
	cr_assert_eq(r->stage, STAGE_DO);
	cr_assert_eq(r->review_date, date_from_iso("2026-03-30"));
	cr_assert_not(r->overdue);
	cr_assert_eq(r->targets, 4);
	cr_assert_eq(r->on_track, 2);
	cr_assert_eq(r->cost_year_pence, 52338);
	cr_assert_not(r->over_topup);

	r = row_of(rows, n, fx.b);
	cr_assert_eq(r->status, 'E');
	cr_assert_eq(r->stage, STAGE_REVIEW);
	cr_assert(r->overdue);
	cr_assert_eq(r->targets, 2);
	cr_assert_eq(r->on_track, 1);
	cr_assert_eq(r->cost_year_pence, 1757457);
	cr_assert(r->over_topup);

	r = row_of(rows, n, fx.c);
	cr_assert_eq(r->stage, STAGE_PLAN);
	cr_assert_eq(r->targets, 1);
	cr_assert_eq(r->on_track, 1);
	cr_assert_eq(r->cost_year_pence, 0);

	r = row_of(rows, n, fx.f);
	cr_assert_eq(r->stage, STAGE_ASSESS);
	cr_assert(r->overdue);
	cr_assert_eq(r->targets, 1);
	cr_assert_eq(r->on_track, 0);

	r = row_of(rows, n, fx.g);
	cr_assert_eq(r->targets, 2);
	cr_assert_eq(r->on_track, 1);

	r = row_of(rows, n, fx.h);
	cr_assert_eq(r->stage, -1);
	cr_assert_eq(r->review_date, SDATE_NONE);
	cr_assert_not(r->overdue);
	cr_assert_eq(r->targets, 0);
	cr_assert_eq(r->on_track, 0);
	cr_assert_str_eq(r->need, "HI");
}

/* The hand-worked requirements agree with derive.c's rule, which the
 * register's SQL must match. */
Test(reg, hand_values_agree_with_derive)
{
	sdate today = date_from_iso(TODAY);
	struct intervention iv;
	struct enrolment en;

	cr_assert_eq(derive_required_rating(date_from_iso("2026-01-05"),
	    date_from_iso("2026-03-30"), today), 3);
	cr_assert_eq(derive_required_rating(date_from_iso("2025-11-03"),
	    date_from_iso("2026-02-02"), today), 4);
	cr_assert_eq(derive_required_rating(date_from_iso("2026-03-10"),
	    date_from_iso("2026-03-10"), today), 0);
	cr_assert_eq(derive_required_rating(date_from_iso("2026-02-01"),
	    date_from_iso("2026-02-01"), today), 4);
	cr_assert_eq(derive_required_rating(date_from_iso("2026-03-01"),
	    date_from_iso("2026-03-09"), today), 1);

	memset(&iv, 0, sizeof iv);
	memset(&en, 0, sizeof en);
	iv.basis = COST_PER_SESSION;
	iv.cost_pence = 1500;
	en.group_size = 3;
	en.sessions_per_week = 2;
	en.minutes = 30;
	cr_assert_eq(derive_enrolment_cost_year_pence(&iv, &en), 39000);
	iv.basis = COST_PER_HOUR;
	iv.cost_pence = 2400;
	en.group_size = 7;
	en.sessions_per_week = 3;
	en.minutes = 20;
	cr_assert_eq(derive_enrolment_cost_year_pence(&iv, &en), 13338);
	iv.basis = COST_PER_SESSION;
	iv.cost_pence = 1000;
	en.group_size = 16;
	en.sessions_per_week = 1;
	cr_assert_eq(derive_enrolment_cost_year_pence(&iv, &en), 2457);
	iv.basis = COST_PER_HOUR;
	iv.cost_pence = 1800;
	en.group_size = 1;
	en.sessions_per_week = 5;
	en.minutes = 300;
	cr_assert_eq(derive_enrolment_cost_year_pence(&iv, &en), 1755000);
}

Test(reg, figures_follow_the_query_day, .init = build, .fini = teardown)
{
	struct register_query q = query();
	struct register_row rows[32];
	const struct register_row *r;
	int n;

	/* The first day of Adams's plan: nothing required yet, and his
	 * provision has not begun the day before. */
	q.today = date_from_iso("2026-01-05");
	n = fetch(&q, rows);
	r = row_of(rows, n, fx.a);
	cr_assert_eq(r->on_track, 4);
	cr_assert_eq(r->cost_year_pence, 39000 + 13338);
	q.today = date_from_iso("2026-01-04");
	n = fetch(&q, rows);
	cr_assert_eq(row_of(rows, n, fx.a)->cost_year_pence, 0);
	/* Baker's review is not overdue on its day, but is the day after. */
	q.today = date_from_iso("2026-02-16");
	n = fetch(&q, rows);
	cr_assert_not(row_of(rows, n, fx.b)->overdue);
	q.today = date_from_iso("2026-02-17");
	n = fetch(&q, rows);
	cr_assert(row_of(rows, n, fx.b)->overdue);
}

Test(reg, topup_threshold_is_strictly_above, .init = build,
    .fini = teardown)
{
	struct register_query q = query();
	struct register_row rows[32];
	int n;

	q.topup_pence = 52338;
	n = fetch(&q, rows);
	cr_assert_not(row_of(rows, n, fx.a)->over_topup);
	q.topup_pence = 52337;
	n = fetch(&q, rows);
	cr_assert(row_of(rows, n, fx.a)->over_topup);
	cr_assert_not(row_of(rows, n, fx.h)->over_topup);
}

Test(reg, filters, .init = build, .fini = teardown)
{
	struct register_query q;
	char upn[UPN_LEN + 1];

	q = query();
	cr_assert_str_eq(order(&q), "Adams Baker Cole Fox Gray Hill");
	q.filter.include_n = true;
	cr_assert_str_eq(order(&q), "Adams Baker Cole Dale Fox Gray Hill");
	q.filter.include_archived = true;
	cr_assert_str_eq(order(&q),
	    "Adams Baker Cole Dale Evans Fox Gray Hill");

	q = query();
	q.filter.status = 'E';
	cr_assert_str_eq(order(&q), "Baker");
	q.filter.status = 'n';
	cr_assert_str_eq(order(&q), "Dale");

	q = query();
	snprintf(q.filter.year, sizeof q.filter.year, "5");
	cr_assert_str_eq(order(&q), "Baker");
	snprintf(q.filter.year, sizeof q.filter.year, "YR");
	cr_assert_str_eq(order(&q), "Cole");

	q = query();
	snprintf(q.filter.need, sizeof q.filter.need, "SLCN");	/* any rank */
	cr_assert_str_eq(order(&q), "Adams Cole");

	q = query();
	q.filter.text = "COLE";
	cr_assert_str_eq(order(&q), "Cole");
	q.filter.text = "ra";		/* Cara, Gray */
	cr_assert_str_eq(order(&q), "Cole Gray");
	th_upn(106, upn);
	upn[0] += 32;			/* the UPN, in any case */
	q.filter.text = upn;
	cr_assert_str_eq(order(&q), "Fox");

	q = query();
	q.stage = STAGE_DO;
	cr_assert_str_eq(order(&q), "Adams Gray");
	q.stage = STAGE_ASSESS;
	cr_assert_str_eq(order(&q), "Fox");

	q = query();
	q.overdue_only = true;
	cr_assert_str_eq(order(&q), "Baker Fox");

	q = query();
	q.flags = FLAG_PP;
	cr_assert_str_eq(order(&q), "Adams Baker");
	q.flags = FLAG_PP | FLAG_FSM;
	cr_assert_str_eq(order(&q), "Baker");
	q.flags = FLAG_EAL;
	cr_assert_str_eq(order(&q), "Fox");

	/* Filters combine. */
	q = query();
	q.flags = FLAG_PP;
	q.overdue_only = true;
	cr_assert_str_eq(order(&q), "Baker");
	q.filter.status = 'K';
	cr_assert_str_eq(order(&q), "");
}

Test(reg, bad_queries_refused, .init = build, .fini = teardown)
{
	struct register_query q = query();
	struct register_row rows[4];
	struct serr e;
	int n, got, pos;

	q.sort = REGISTER_SORT_COUNT;
	cr_assert_eq(register_window(fx.db, &q, 0, 4, rows, &got, &e),
	    SE_INVALID);
	cr_assert_eq(register_position(fx.db, &q, fx.a, &pos, &e), SE_INVALID);
	q = query();
	q.stage = STAGE_COUNT;
	cr_assert_eq(register_count(fx.db, &q, &n, &e), SE_INVALID);
	q = query();
	q.filter.status = 'Q';
	cr_assert_eq(register_count(fx.db, &q, &n, &e), SE_INVALID);
	q = query();
	snprintf(q.filter.year, sizeof q.filter.year, "16");
	cr_assert_eq(register_count(fx.db, &q, &n, &e), SE_INVALID);
	q = query();
	q.flags = 64;
	cr_assert_eq(register_count(fx.db, &q, &n, &e), SE_INVALID);
	/* User text is only ever a bound value. */
	q = query();
	q.filter.text = "x') OR 1=1 --";
	cr_assert_eq(register_count(fx.db, &q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 0);
}

struct sort_case {
	enum register_sort sort;
	const char *asc, *desc;
};

Test(reg, every_sort_order_both_ways, .init = build, .fini = teardown)
{
	static const struct sort_case cases[] = {
		{ REGISTER_SORT_NAME, "Adams Baker Cole Fox Gray Hill",
		    "Hill Gray Fox Cole Baker Adams" },
		/* R < 3 < 4 < 5 < 6 < 10 */
		{ REGISTER_SORT_YEAR, "Cole Adams Hill Baker Gray Fox",
		    "Fox Gray Baker Hill Adams Cole" },
		/* K before E; ties by name in either direction */
		{ REGISTER_SORT_STATUS, "Adams Cole Fox Gray Hill Baker",
		    "Baker Adams Cole Fox Gray Hill" },
		/* census order: SLCN ASD SPLD ... HI ... OTH NSA */
		{ REGISTER_SORT_NEED, "Cole Baker Adams Hill Gray Fox",
		    "Fox Gray Hill Adams Baker Cole" },
		/* no open cycle last both ways */
		{ REGISTER_SORT_STAGE, "Fox Cole Adams Gray Baker Hill",
		    "Baker Adams Gray Cole Fox Hill" },
		{ REGISTER_SORT_REVIEW, "Fox Baker Gray Cole Adams Hill",
		    "Adams Cole Gray Baker Fox Hill" },
		/* share on track: 0, 1/2 x3, 1; no targets last */
		{ REGISTER_SORT_TRACK, "Fox Adams Baker Gray Cole Hill",
		    "Cole Adams Baker Gray Fox Hill" },
		{ REGISTER_SORT_COST, "Cole Fox Gray Hill Adams Baker",
		    "Baker Adams Cole Fox Gray Hill" },
	};
	struct register_query q = query();

	cr_assert_eq(sizeof cases / sizeof cases[0], REGISTER_SORT_COUNT);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		q.sort = cases[i].sort;
		q.descending = false;
		cr_assert_str_eq(order(&q), cases[i].asc, "sort %d ascending",
		    (int)q.sort);
		q.descending = true;
		cr_assert_str_eq(order(&q), cases[i].desc, "sort %d descending",
		    (int)q.sort);
	}
}

Test(reg, windows_and_positions, .init = build, .fini = teardown)
{
	struct register_query q = query();
	struct register_row all[32], win[4];
	struct serr e;
	int n, got, pos;

	n = fetch(&q, all);
	cr_assert_eq(n, 6);
	cr_assert_eq(register_window(fx.db, &q, 0, 4, win, &got, &e), 0);
	cr_assert_eq(got, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(win[i].pupil_id, all[i].pupil_id);
	cr_assert_eq(register_window(fx.db, &q, 4, 4, win, &got, &e), 0);
	cr_assert_eq(got, 2);
	cr_assert_eq(win[0].pupil_id, all[4].pupil_id);
	cr_assert_eq(win[1].pupil_id, all[5].pupil_id);
	cr_assert_eq(register_window(fx.db, &q, 6, 4, win, &got, &e), 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(register_window(fx.db, &q, 0, 0, win, &got, &e), 0);
	cr_assert_eq(got, 0);

	for (int i = 0; i < n; i++) {
		cr_assert_eq(register_position(fx.db, &q, all[i].pupil_id, &pos,
		    &e), 0, "%s", e.msg);
		cr_assert_eq(pos, i);
	}
	/* Filtered out, or no such pupil. */
	cr_assert_eq(register_position(fx.db, &q, fx.d, &pos, &e), SE_NOTFOUND);
	cr_assert_eq(register_position(fx.db, &q, 31337, &pos, &e),
	    SE_NOTFOUND);
	q.filter.include_n = true;
	cr_assert_eq(register_position(fx.db, &q, fx.d, &pos, &e), 0);
	cr_assert_eq(pos, 3);
	q.sort = REGISTER_SORT_COST;
	q.descending = true;
	cr_assert_eq(register_position(fx.db, &q, fx.a, &pos, &e), 0);
	cr_assert_eq(pos, 1);
}

/* Many pupils with equal keys: every sort pages through all of them once,
 * in the same order as one big window, and positions agree. */
Test(reg, paging_is_stable_under_ties)
{
	struct db *db = th_db();
	struct register_query q = query();
	struct register_row all[40], page[7];
	struct serr e;
	int n, got, pos;

	for (int i = 0; i < 30; i++)
		th_pupil(db, 200 + i, i % 3 ? "Smith" : "Jones",
		    i % 2 ? "Sam" : "Alex", 'K', "MLD", "4");
	fx.db = db;
	for (int s = 0; s < REGISTER_SORT_COUNT; s++)
		for (int d = 0; d < 2; d++) {
			q.sort = (enum register_sort)s;
			q.descending = d;
			n = fetch(&q, all);
			cr_assert_eq(n, 30);
			for (int off = 0; off < n; off += 7) {
				cr_assert_eq(register_window(db, &q, off, 7,
				    page, &got, &e), 0, "%s", e.msg);
				cr_assert_eq(got, n - off < 7 ? n - off : 7);
				for (int i = 0; i < got; i++)
					cr_assert_eq(page[i].pupil_id,
					    all[off + i].pupil_id,
					    "sort %d/%d row %d", s, d, off + i);
			}
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < i; j++)
					cr_assert_neq(all[i].pupil_id,
					    all[j].pupil_id);
				/* Equal in everything but id: by name, then
				 * id (both reversed for the name sort
				 * descending). */
				if (i > 0 && strcmp(all[i].surname,
				    all[i - 1].surname) == 0 &&
				    strcmp(all[i].forename,
				    all[i - 1].forename) == 0)
					cr_assert((all[i].pupil_id >
					    all[i - 1].pupil_id) ==
					    !(s == REGISTER_SORT_NAME && d),
					    "sort %d/%d: ties not by id", s, d);
				cr_assert_eq(register_position(db, &q,
				    all[i].pupil_id, &pos, &e), 0);
				cr_assert_eq(pos, i, "sort %d/%d", s, d);
			}
		}
	db_close(db);
}

Test(reg, names_shown_are_preferred_and_utf8, .init = build,
    .fini = teardown)
{
	struct register_query q = query();
	struct register_row rows[32];
	struct pupil p;
	struct serr e;
	int n;

	cr_assert_eq(pupil_get(fx.db, fx.h, &p, &e), 0);
	snprintf(p.preferred_surname, sizeof p.preferred_surname, "Łukaszewicz");
	snprintf(p.preferred_forename, sizeof p.preferred_forename, "Zoë");
	p.n_needs = -1;
	cr_assert_eq(pupil_update(fx.db, &p, &e), 0, "%s", e.msg);
	n = fetch(&q, rows);
	cr_assert_str_eq(row_of(rows, n, fx.h)->surname, "Łukaszewicz");
	cr_assert_str_eq(row_of(rows, n, fx.h)->forename, "Zoë");
	q.filter.text = "ŁUKASZ";
	cr_assert_str_eq(order(&q), "Łukaszewicz");
	q.filter.text = "hill";		/* the legal name still matches */
	cr_assert_str_eq(order(&q), "Łukaszewicz");
}

/* --- keyset paging (issue 6) ------------------------------------------ */

#include "core/demo.h"

/* A demo caseload of the national picture (some pupils N, so missing
 * keys), with a few archived and a crowd of namesakes (ties). */
static struct db *
paging_db(void)
{
	struct db *db = th_db();
	struct demo_opts o;
	struct serr e;

	demo_opts_init(&o);
	o.pupils = 300;
	o.seed = 11;
	o.today = date_from_iso(TODAY);
	cr_assert_eq(demo_build(db, &o, &e), 0, "demo: %s", e.msg);
	for (int i = 0; i < 12; i++)
		th_pupil(db, 900 + i, "Twin", i % 2 ? "Sam" : "Alex", 'K',
		    "MLD", "4");
	sql(db, "UPDATE pupil SET archived = 1 WHERE id IN (SELECT id FROM"
	    " pupil ORDER BY upn LIMIT 5)");
	return db;
}

#define ALL_MAX 400

/* Every row of q by offset (the reference order); how many. */
static int
all_rows(struct db *db, const struct register_query *q,
    struct register_row *all)
{
	struct serr e;
	int got, n;

	cr_assert_eq(register_window(db, q, 0, ALL_MAX, all, &got, &e), 0,
	    "%s", e.msg);
	cr_assert_lt(got, ALL_MAX);
	cr_assert_eq(register_count(db, q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, got, "count %d, rows %d", n, got);
	return got;
}

static void
same_rows(const struct register_row *a, const struct register_row *b,
    int n, const char *what, int s, int d)
{
	for (int i = 0; i < n; i++)
		cr_assert_eq(a[i].pupil_id, b[i].pupil_id,
		    "%s: sort %d/%d row %d", what, s, d, i);
}

/* Walk q forwards and backwards by pages of 7 and check each way into a
 * page against the reference order. */
static void
check_paging(struct db *db, const struct register_query *q, int s, int d)
{
	static struct register_row all[ALL_MAX], walk[ALL_MAX];
	struct register_row page[7], one;
	struct serr e;
	int n = all_rows(db, q, all), got, w = 0, c;

	/* forwards: the first page, then after the last row each time */
	cr_assert_eq(register_page(db, q, REGISTER_FIRST, NULL, 7, page,
	    &got, &e), 0, "%s", e.msg);
	while (got > 0) {
		memcpy(walk + w, page, (size_t)got * sizeof *page);
		w += got;
		cr_assert_leq(w, n);
		cr_assert_eq(register_page(db, q, REGISTER_AFTER,
		    &walk[w - 1], 7, page, &got, &e), 0, "%s", e.msg);
	}
	cr_assert_eq(w, n, "forwards: sort %d/%d", s, d);
	same_rows(walk, all, n, "forwards", s, d);

	/* backwards: the last page, then before the first row each time */
	w = n;
	cr_assert_eq(register_page(db, q, REGISTER_LAST, NULL, 7, page,
	    &got, &e), 0, "%s", e.msg);
	while (got > 0) {
		cr_assert_geq(w - got, 0);
		memcpy(walk + w - got, page, (size_t)got * sizeof *page);
		w -= got;
		cr_assert_eq(register_page(db, q, REGISTER_BEFORE, &walk[w],
		    7, page, &got, &e), 0, "%s", e.msg);
	}
	cr_assert_eq(w, 0, "backwards: sort %d/%d", s, d);
	same_rows(walk, all, n, "backwards", s, d);

	/* from a row: itself first; around it, its neighbours */
	for (int i = 0; i < n; i += n / 9 + 1) {
		cr_assert_eq(register_page(db, q, REGISTER_AT, &all[i], 7, page,
		    &got, &e), 0);
		cr_assert_eq(got, n - i < 7 ? n - i : 7);
		same_rows(page, all + i, got, "at", s, d);
		cr_assert_eq(register_page(db, q, REGISTER_BEFORE, &all[i], 3,
		    page, &got, &e), 0);
		cr_assert_eq(got, i < 3 ? i : 3);
		same_rows(page, all + i - got, got, "before", s, d);
	}

	/* the first row and the count in one go */
	cr_assert_eq(register_first(db, q, &one, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c, n);
	if (n > 0)
		cr_assert_eq(one.pupil_id, all[0].pupil_id, "first: sort %d/%d",
		    s, d);
	cr_assert_eq(register_count_max(db, q, 10, &c, &e), 0);
	cr_assert_eq(c, n < 10 ? n : 10);
}

Test(reg, keyset_pages_match_the_offset_order_every_way)
{
	struct db *db = paging_db();
	struct register_query q;

	for (int f = 0; f < 6; f++)
		for (int s = 0; s < REGISTER_SORT_COUNT; s++)
			for (int d = 0; d < 2; d++) {
				q = query();
				q.sort = (enum register_sort)s;
				q.descending = d;
				if (f == 1) {	/* N and archived: missing keys */
					q.filter.include_n = true;
					q.filter.include_archived = true;
				} else if (f == 2) {
					q.filter.status = 'K';
					snprintf(q.filter.year, sizeof
					    q.filter.year, "4");
				} else if (f == 3)
					q.filter.text = "tw";	/* names read */
				else if (f == 4)
					q.filter.text = "Twin";	/* the index */
				else if (f == 5)
					q.filter.text = "ali";
				check_paging(db, &q, s, d);
			}
	db_close(db);
}

Test(reg, a_page_needs_a_row_of_the_same_order)
{
	struct db *db = paging_db();
	struct register_query q = query();
	struct register_row rows[4];
	struct serr e;
	int got;

	cr_assert_eq(register_page(db, &q, REGISTER_FIRST, NULL, 4, rows,
	    &got, &e), 0);
	cr_assert_eq(got, 4);
	q.sort = REGISTER_SORT_COST;
	cr_assert_eq(register_page(db, &q, REGISTER_AFTER, &rows[0], 4, rows,
	    &got, &e), SE_INVALID);
	cr_assert_eq(register_page(db, &q, REGISTER_AFTER, NULL, 4, rows,
	    &got, &e), SE_INVALID);
	cr_assert_eq(register_page(db, &q, (enum register_from)42, NULL, 4,
	    rows, &got, &e), SE_INVALID);
	cr_assert_eq(got, 0);
	db_close(db);
}

/* The register's counts come from indexes when no filter needs the rows;
 * they agree with counting the rows. */
Test(reg, unfiltered_counts_agree_with_the_rows)
{
	static struct register_row all[ALL_MAX];
	struct db *db = paging_db();
	struct register_query q = query();
	struct serr e;
	int k, ee, n, kk = 0, ek = 0;
	const char st[] = { 0, 'K', 'E', 'N' };

	for (int a = 0; a < 2; a++)
		for (size_t i = 0; i < sizeof st; i++) {
			q = query();
			q.filter.include_archived = a;
			q.filter.status = st[i];
			/* all_rows() checks the count against the rows */
			n = all_rows(db, &q, all);
			cr_assert_eq(register_count_max(db, &q, 1000000, &k,
			    &e), 0);
			cr_assert_eq(k, n);
		}
	q = query();
	n = all_rows(db, &q, all);
	for (int i = 0; i < n; i++) {
		kk += all[i].status == 'K';
		ek += all[i].status == 'E';
	}
	cr_assert_eq(register_totals(db, &k, &ee, &e), 0);
	cr_assert_eq(k, kk);
	cr_assert_eq(ee, ek);
	cr_assert_gt(k, 0);
	cr_assert_gt(ee, 0);
	db_close(db);
}

/* The search index: pupils added, renamed and removed since it was last
 * brought up to date are found as the names themselves say, read-only
 * too; a UPN matches from its start only; quotes are only text. */
Test(reg, search_index_follows_every_change)
{
	struct db *db = th_db(), *ro;
	struct register_query q = query();
	struct register_row rows[8];
	struct pupil p;
	struct serr e;
	char upn[UPN_LEN + 1], part[8];
	int64_t a, b;
	int n;

	fx.db = db;
	a = th_pupil(db, 301, "Kowalczyk", "Zofia", 'K', "SPLD", "3");
	b = th_pupil(db, 302, "Nguyễn", "Linh", 'E', "ASD", "5");
	q.filter.text = "owalc";
	cr_assert_eq(register_count(db, &q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_stale"),
	    0, "brought up to date by the search");
	q.filter.text = "NGUYỄN";
	cr_assert_str_eq(order(&q), "Nguyễn");

	/* a new name: the old one no longer matches */
	cr_assert_eq(pupil_get(db, a, &p, &e), 0);
	snprintf(p.preferred_surname, sizeof p.preferred_surname, "Łukaszewicz");
	p.n_needs = -1;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	q.filter.text = "ŁUKASZ";
	cr_assert_str_eq(order(&q), "Łukaszewicz");
	q.filter.text = "kowalczyk";	/* still the legal name */
	cr_assert_str_eq(order(&q), "Łukaszewicz");
	q.filter.text = "zofia kow";	/* across forename and surname */
	cr_assert_str_eq(order(&q), "Łukaszewicz");

	/* read-only, with changes not yet in the index: the names are read */
	th_pupil(db, 303, "Okonkwo", "Chidi", 'K', "SEMH", "6");
	cr_assert_eq(db_open(&ro, db_path(db), DB_READONLY, &e), 0, "%s",
	    e.msg);
	q.filter.text = "konkw";
	cr_assert_eq(register_count(ro, &q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 1);
	db_close(ro);

	/* a UPN from its start, in any case; not from its middle */
	th_upn(302, upn);
	snprintf(part, sizeof part, "%.5s", upn);
	part[0] = (char)(part[0] + 32);
	q.filter.text = part;
	cr_assert_eq(register_first(db, &q, &rows[0], &n, &e), 0);
	cr_assert_eq(n, 1, "%s", part);
	cr_assert_eq(rows[0].pupil_id, b);
	q.filter.text = upn + 4;
	cr_assert_eq(register_count(db, &q, &n, &e), 0);
	cr_assert_eq(n, 0);
	q.filter.text = upn;
	cr_assert_eq(register_first(db, &q, &rows[0], &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(rows[0].pupil_id, b);

	/* quotes and FTS5 words are text */
	q.filter.text = "\"Kow\" OR x";
	cr_assert_eq(register_count(db, &q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 0);

	/* removed: gone from the index too */
	sql(db, "DELETE FROM pupil WHERE id = %lld", (long long)b);
	q.filter.text = "Linh";
	cr_assert_eq(register_count(db, &q, &n, &e), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search"), 2);
	db_close(db);
}

/* The demo writes pupils with triggers off, then remakes the index. */
Test(reg, demo_leaves_the_search_index_complete)
{
	struct db *db = paging_db();

	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search"),
	    th_count(db, "SELECT count(*) FROM pupil") - 12,
	    "the demo's pupils are all indexed (the twins came after)");
	cr_assert_eq(register_reindex(db, NULL), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search"),
	    th_count(db, "SELECT count(*) FROM pupil"));
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_stale"),
	    0);
	db_close(db);
}

/* EXPLAIN QUERY PLAN of the hot queries: the name order walks its index
 * (no sort, no scan of a table), each figure reads a covering index, and
 * a search starts from the trigram index. */
Test(reg, hot_queries_use_their_indexes)
{
	struct db *db = paging_db();
	struct register_query q = query();
	char plan[8192];
	struct serr e;

	for (int from = REGISTER_FIRST; from <= REGISTER_LAST; from++) {
		cr_assert_eq(register_plan(db, &q, (enum register_from)from,
		    plan, sizeof plan, &e), 0, "%s", e.msg);
		/* every column of a row (the pupil's, status, need, open
		 * cycle, on-track figures, provision) from the one index
		 * of pupil_now in the name order, walked: no search of
		 * pupil_now or of the pupils on pages of their own; never
		 * from every target's ratings, nor the tables pupil_now
		 * comes from */
		cr_assert(strstr(plan,
		    "SEARCH s USING COVERING INDEX pupil_now_name") != NULL,
		    "%s", plan);
		cr_assert(strstr(plan, "SEARCH s USING INTEGER PRIMARY KEY")
		    == NULL, "%s", plan);
		cr_assert(strstr(plan, "SEARCH p ") == NULL, "%s", plan);
		cr_assert(strstr(plan, "rating") == NULL, "%s", plan);
		cr_assert(strstr(plan, "cycle") == NULL, "%s", plan);
		cr_assert(strstr(plan, "sen_status") == NULL, "%s", plan);
		cr_assert(strstr(plan, "pupil_need_rank") == NULL, "%s", plan);
		cr_assert(strstr(plan, "SCAN p") == NULL, "%s", plan);
		cr_assert(strstr(plan, "USING TEMP B-TREE FOR ORDER BY\nSCAN w")
		    == NULL, "the page is not sorted before paging: %s",
		    plan);
		cr_assert(strstr(plan, "COVERING INDEX enrolment_cost") !=
		    NULL, "%s", plan);
		cr_assert(strstr(plan, "RIGHT PART OF ORDER BY") == NULL,
		    "names that tie need no sort: %s", plan);
	}
	q.filter.text = "Smith";
	cr_assert_eq(register_plan(db, &q, REGISTER_FIRST, plan, sizeof plan,
	    &e), 0, "%s", e.msg);
	cr_assert(strstr(plan, "VIRTUAL TABLE") != NULL, "%s", plan);
	cr_assert(strstr(plan, "SCAN p") == NULL, "%s", plan);
	/* each match's row of pupil_now by its id */
	cr_assert(strstr(plan, "SEARCH s USING INTEGER PRIMARY KEY") != NULL,
	    "%s", plan);
	db_close(db);
}

/* The ids of q (name order) as register_window gives them; how many. */
static int
window_ids(struct db *db, const struct register_query *q, int64_t *ids)
{
	static struct register_row all[ALL_MAX];
	int n = all_rows(db, q, all);

	for (int i = 0; i < n; i++)
		ids[i] = all[i].pupil_id;
	return n;
}

/* Characters (not bytes) of UTF-8 text. */
static int
text_chars(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The matches of q, walked one step at a time through the search index
 * from the start (dir 1) or the end (dir -1), into ids[]; how many. */
static int
step_ids(struct db *db, const struct register_query *q, int dir,
    int64_t *ids)
{
	struct register_row row, at;
	struct serr e;
	bool found, usable;
	int n = 0;

	for (;;) {
		cr_assert_eq(register_search_step(db, q, dir, n > 0 ? &at :
		    NULL, &row, &found, &usable, &e), 0, "%s", e.msg);
		cr_assert(usable, "'%s'", q->filter.text);
		if (!found)
			return n;
		cr_assert_lt(n, ALL_MAX);
		ids[n++] = row.pupil_id;
		at = row;
	}
}

/* What senco check finds wrong in the search index. */
static int
search_wrong(struct db *db)
{
	struct serr e;
	int wrong = -1;

	cr_assert_eq(register_search_check(db, &wrong, &e), 0, "%s", e.msg);
	return wrong;
}

/* Every rank in pupil_search_rank in the name order of pupil_now, one
 * per pupil, and the search index's rows numbered by them. */
static void
assert_ranks_in_name_order(struct db *db)
{
	cr_assert_eq(th_count(db, "SELECT count(*) FROM (SELECT row_number()"
	    " OVER (ORDER BY k.rank) AS a, row_number() OVER (ORDER BY"
	    " s.surname, s.forename, s.pupil_id) AS b FROM pupil_search_rank k"
	    " JOIN pupil_now s ON s.pupil_id = k.pupil_id) WHERE a <> b"), 0,
	    "ranks out of the name order");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_rank"),
	    th_count(db, "SELECT count(*) FROM pupil"));
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search"),
	    th_count(db, "SELECT count(*) FROM pupil"));
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search f"
	    " LEFT JOIN pupil_search_rank k ON k.rank = f.rowid"
	    " WHERE k.pupil_id IS NULL"), 0, "a row of the index unranked");
	cr_assert_eq(search_wrong(db), 0, "senco check agrees");
}

/* A search as it is typed (as the register screen does): the matches the
 * search index gives one step at a time, by rank, are the register's
 * rows with the text, in its order both ways and reversed, and the first
 * is register_first's row, figures and all; under filters too. */
Test(reg, search_steps_agree_with_the_register)
{
	/* surnames of the demo's pupils, non-ASCII ones among them, and a
	 * forename and surname across the space */
	char names[6][64] = { "Twin Sam" };
	struct db *db = paging_db();
	sqlite3_stmt *st;
	int nn = 1;
	struct register_query q;
	struct register_row first;
	static int64_t ref[ALL_MAX], fwd[ALL_MAX], back[ALL_MAX];
	struct serr e;
	char text[64];
	int n, n_ref, tried = 0, found_some = 0;

	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	assert_ranks_in_name_order(db);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "SELECT p.legal_surname"
	    " FROM pupil p JOIN sen_status s ON s.pupil_id = p.id AND"
	    " s.end_date IS NULL AND s.status <> 'N' WHERE p.archived = 0"
	    " AND length(p.legal_surname) >= 6 GROUP BY p.legal_surname"
	    " ORDER BY p.legal_surname GLOB '*[^ -~]*' DESC, min(p.id)"
	    " LIMIT 5", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(names[nn++], sizeof names[0], "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	cr_assert_eq(nn, 6);
	for (int f = 0; f < 4; f++)
		for (int w = 0; w < nn; w++)
			for (size_t len = 3; len <= strlen(names[w]); len++) {
				/* a whole letter more, as typed */
				while (((unsigned char)names[w][len] & 0xC0) ==
				    0x80)
					len++;
				memcpy(text, names[w], len);
				text[len] = '\0';
				/* the index answers from three (the text
				 * trimmed) */
				if (text_chars(text) < 3 ||
				    text[len - 1] == ' ')
					continue;
				q = query();
				q.filter.include_archived = f & 1;
				q.filter.include_n = f & 1;
				q.descending = f >= 2;
				q.filter.text = text;
				n_ref = window_ids(db, &q, ref);
				n = step_ids(db, &q, 1, fwd);
				cr_assert_eq(n, n_ref, "'%s' (%d): %d by rank, %d "
				    "in the register", text, f, n, n_ref);
				cr_assert_eq(step_ids(db, &q, -1, back), n);
				for (int i = 0; i < n; i++) {
					cr_assert_eq(fwd[i], ref[i], "'%s'",
					    text);
					cr_assert_eq(back[n - 1 - i], ref[i],
					    "'%s' backwards", text);
				}
				cr_assert_eq(register_first(db, &q, &first, &n,
				    &e), 0, "%s", e.msg);
				cr_assert_eq(n, n_ref);
				tried++;
				if (n == 0)
					continue;
				found_some++;
				struct register_row row;
				bool found, usable;

				cr_assert_eq(register_search_step(db, &q, 1,
				    NULL, &row, &found, &usable, &e), 0);
				cr_assert(found);
				cr_assert_eq(memcmp(&row, &first, sizeof row),
				    0, "'%s': the same row as register_first",
				    text);
			}
	cr_assert_gt(tried, 80);
	cr_assert_gt(found_some, 60);
	db_close(db);
}

/* Pupils added, renamed (to the ends of the order, in another case, to
 * letters past ASCII) and removed take their places in the ranks one at
 * a time; a gap used up, and a thousand stale pupils at once, make the
 * index again whole; the searches still agree with the register. */
Test(reg, search_ranks_follow_every_change)
{
	struct db *db = paging_db();
	struct register_query q = query();
	static int64_t ref[ALL_MAX], got[ALL_MAX];
	struct pupil p;
	struct serr e;
	char name[64];
	int64_t id, wide;
	int n;

	q.filter.include_archived = true;
	q.filter.include_n = true;
	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_rank WHERE"
	    " rank % 4294967296 <> 0"), 12, "the demo's ranks are made "
	    "whole, the twins put between");
	/* one at a time: the others keep their ranks, no remake */
	sql(db, "CREATE TEMP TABLE old_rank AS SELECT * FROM"
	    " pupil_search_rank");
	wide = th_count(db, "SELECT count(*) FROM old_rank");
	id = th_pupil(db, 950, "Aaaron", "Abe", 'K', "MLD", "4");
	th_pupil(db, 951, "Zzyzx", "Zed", 'K', "MLD", "4");
	th_pupil(db, 952, "Mc Rank", "Mid", 'K', "MLD", "4");
	th_pupil(db, 953, "\xe9\xbe\x8d", "Last", 'K', "MLD", "4");
	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	assert_ranks_in_name_order(db);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_rank"
	    " JOIN old_rank USING (rank, pupil_id)"), wide);
	cr_assert_eq(pupil_get(db, id, &p, &e), 0);
	snprintf(p.preferred_surname, sizeof p.preferred_surname, "ŻYWIEC");
	p.n_needs = -1;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	q.filter.text = "żyw";
	n = window_ids(db, &q, ref);
	cr_assert_eq(n, 1);
	cr_assert_eq(step_ids(db, &q, 1, got), 1);
	cr_assert_eq(got[0], id);
	assert_ranks_in_name_order(db);

	/* forty names each between the last and "Mab": the gap halves at
	 * each, and is used up after some thirty */
	th_pupil(db, 954, "Mab", "Upper", 'K', "MLD", "4");
	strcpy(name, "Maa");
	for (int i = 0; i < 40; i++) {
		strcat(name, "z");
		th_pupil(db, 960 + i, name, "Gap", 'K', "MLD", "4");
		cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
		assert_ranks_in_name_order(db);
	}
	cr_assert_lt(th_count(db, "SELECT count(*) FROM pupil_search_rank WHERE"
	    " rank % 4294967296 <> 0"), 20, "made again whole once");
	q.filter.text = "Gap";
	n = window_ids(db, &q, ref);
	cr_assert_eq(n, 40);
	cr_assert_eq(step_ids(db, &q, 1, got), n);
	for (int i = 0; i < n; i++)
		cr_assert_eq(got[i], ref[i]);

	/* removed: gone from the ranks and the index */
	sql(db, "DELETE FROM pupil WHERE id = %lld", (long long)id);
	assert_ranks_in_name_order(db);

	/* more stale pupils than are put back one at a time */
	sql(db, "INSERT INTO pupil_search_stale SELECT id FROM pupil");
	sql(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1"
	    " FROM c WHERE x < 1200) INSERT OR IGNORE INTO pupil_search_stale"
	    " SELECT x FROM c");
	cr_assert_gt(th_count(db, "SELECT count(*) FROM pupil_search_stale"),
	    1000);
	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_stale"),
	    0);
	assert_ranks_in_name_order(db);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_rank WHERE"
	    " rank % 4294967296 <> 0"), 0, "made again whole");

	/* what senco check finds: a name changed behind senco's back, a
	 * rank out of the name order, a rank of no pupil; not a pupil
	 * waiting to be brought up to date */
	sql(db, "UPDATE pupil_search SET name = 'Someone Else' WHERE rowid ="
	    " (SELECT min(rank) FROM pupil_search_rank)");
	cr_assert_eq(search_wrong(db), 1);
	sql(db, "INSERT INTO pupil_search_stale SELECT pupil_id FROM"
	    " pupil_search_rank ORDER BY rank LIMIT 1");
	cr_assert_eq(search_wrong(db), 0, "stale: not yet brought up to date");
	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	assert_ranks_in_name_order(db);
	sql(db, "UPDATE pupil_search_rank SET rank = rank + 4294967296 * 3 + 1"
	    " WHERE rank = (SELECT min(rank) FROM pupil_search_rank)");
	cr_assert_gt(search_wrong(db), 1, "out of order, and its row lost");
	cr_assert_eq(register_reindex(db, &e), 0, "%s", e.msg);
	cr_assert_eq(search_wrong(db), 0);
	sql(db, "INSERT INTO pupil_search_rank VALUES (1, 12345)");
	cr_assert_eq(search_wrong(db), 1, "a rank of no pupil");
	db_close(db);
}

/* A search steps on from the row under the cursor, found again by its
 * names, whatever the ranks have become since: after the index is made
 * again with pupils before it, and after that pupil has gone. */
Test(reg, a_search_steps_on_from_the_row_not_its_old_rank)
{
	struct db *db = paging_db();
	struct register_query q = query();
	struct register_row first, next;
	static int64_t ref[ALL_MAX];
	struct serr e;
	bool found, usable;
	int n;

	q.filter.text = "Twin";
	n = window_ids(db, &q, ref);
	cr_assert_eq(n, 12);
	cr_assert_eq(register_search_step(db, &q, 1, NULL, &first, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert(usable && found);
	cr_assert_eq(first.pupil_id, ref[0]);
	for (int i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof name, "Aardvark%02d", i);
		th_pupil(db, 980 + i, name, "Ann", 'K', "MLD", "4");
	}
	cr_assert_eq(register_reindex(db, &e), 0, "%s", e.msg);
	cr_assert_eq(register_search_step(db, &q, 1, &first, &next, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert(found);
	cr_assert_eq(next.pupil_id, ref[1], "the second, not a later one");
	cr_assert_eq(register_search_step(db, &q, -1, &next, &next, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert_eq(next.pupil_id, ref[0]);
	/* the first gone: the step from it goes to the next after its
	 * place, and back from it to none */
	sql(db, "DELETE FROM pupil WHERE id = %lld", (long long)ref[0]);
	cr_assert_eq(register_search_step(db, &q, 1, &first, &next, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert(found);
	cr_assert_eq(next.pupil_id, ref[1]);
	cr_assert_eq(register_search_step(db, &q, -1, &first, &next, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert_not(found);
	db_close(db);
}

/* Stale pupils in a row share their gap evenly, in one refresh and
 * without making the index again (the others keep their ranks: 61 of
 * some 310 are fewer than a quarter of the roll); ranks
 * that clash, from a file changed behind senco's back, are mended by
 * making it again. */
Test(reg, stale_pupils_in_a_row_share_their_gap)
{
	struct db *db = paging_db();
	struct register_query q = query();
	static int64_t ref[ALL_MAX], got[ALL_MAX];
	struct serr e;
	char name[64];
	int n, kept;

	cr_assert_eq(register_reindex(db, &e), 0, "%s", e.msg);
	sql(db, "CREATE TEMP TABLE old_rank AS SELECT * FROM"
	    " pupil_search_rank");
	kept = th_count(db, "SELECT count(*) FROM old_rank");
	th_pupil(db, 954, "Mab", "Upper", 'K', "MLD", "4");
	strcpy(name, "Maa");
	for (int i = 0; i < 30; i++) {
		strcat(name, "z");
		th_pupil(db, 960 + i, name, "Gap", 'K', "MLD", "4");
	}
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof name, "\xef\xbf\xbd" "End%02d", i);
		th_pupil(db, 1000 + i, name, "Gap", 'K', "MLD", "4");
	}
	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	assert_ranks_in_name_order(db);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_rank"
	    " JOIN old_rank USING (rank, pupil_id)"), kept, "no remake");
	q.filter.text = "Gap";
	n = window_ids(db, &q, ref);
	cr_assert_eq(n, 60);
	cr_assert_eq(step_ids(db, &q, 1, got), n);
	for (int i = 0; i < n; i++)
		cr_assert_eq(got[i], ref[i]);

	/* a rank of no pupil where the next pupil would go */
	th_pupil(db, 1100, "Aaaaa", "First", 'K', "MLD", "4");
	sql(db, "INSERT INTO pupil_search_rank VALUES ((SELECT min(rank) / 2"
	    " FROM pupil_search_rank), 12345)");
	cr_assert_eq(register_search_refresh(db, &e), 0, "%s", e.msg);
	assert_ranks_in_name_order(db);
	db_close(db);
}

/* What the search index cannot answer by rank: another order, too short
 * a text, and changes not yet in it on a read-only caseload; a pupil the
 * query does not show has no row. */
Test(reg, search_steps_refusals)
{
	struct db *db = paging_db(), *ro;
	struct register_query q = query();
	struct register_row row;
	int64_t archived;
	struct serr e;
	bool usable, found;

	q.filter.text = "Twin";
	q.sort = REGISTER_SORT_YEAR;
	cr_assert_eq(register_search_step(db, &q, 1, NULL, &row, &found,
	    &usable, &e), 0);
	cr_assert_not(usable);
	cr_assert_not(found);
	cr_assert_eq(register_row_of(db, &q, 1, &row, &found, &e), SE_INVALID);
	q = query();
	q.filter.text = "Tw";
	cr_assert_eq(register_search_step(db, &q, 1, NULL, &row, &found,
	    &usable, &e), 0);
	cr_assert_not(usable);
	q.filter.text = "   ";
	cr_assert_eq(register_search_step(db, &q, 1, NULL, &row, &found,
	    &usable, &e), 0);
	cr_assert_not(usable);

	/* read-only, a pupil added since: the names are read instead */
	th_pupil(db, 970, "Stalewood", "Ann", 'K', "MLD", "4");
	cr_assert_eq(db_open(&ro, db_path(db), DB_READONLY, &e), 0, "%s",
	    e.msg);
	q.filter.text = "Twin";
	cr_assert_eq(register_search_step(ro, &q, 1, NULL, &row, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert_not(usable);
	db_close(ro);
	cr_assert_eq(register_search_step(db, &q, 1, NULL, &row, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert(usable, "brought up to date, writable");
	cr_assert(found);
	cr_assert_str_eq(row.surname, "Twin");

	/* an archived pupil has no row in the register's default query */
	archived = th_count(db, "SELECT id FROM pupil WHERE archived = 1"
	    " LIMIT 1");
	q = query();
	cr_assert_eq(register_row_of(db, &q, archived, &row, &found, &e), 0);
	cr_assert_not(found);
	q.filter.include_archived = true;
	q.filter.include_n = true;
	cr_assert_eq(register_row_of(db, &q, archived, &row, &found, &e), 0);
	cr_assert(found);
	cr_assert_eq(row.pupil_id, archived);
	cr_assert(row.archived);
	db_close(db);
}

/* --- on-track figures kept by triggers (cycle_track, migration 6) ------ */

#include "core/cycle.h"
#include "core/schema.h"
#include "core/target.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

/* How many rows of a table kept by triggers check finds wrong. */
static int
kept_wrong(struct db *db, int (*check)(struct db *, int *, struct serr *))
{
	struct serr e;
	int wrong = -1;

	serr_clear(&e);
	cr_assert_eq(check(db, &wrong, &e), 0, "%s", e.msg);
	return wrong;
}

#define track_wrong(db) kept_wrong((db), register_track_check)
#define now_wrong(db) kept_wrong((db), register_now_check)
#define tally_wrong(db) kept_wrong((db), register_tally_check)

/* The open targets and those rated at least r of a cycle, as the
 * register shows them ("on/targets" for required r). */
static void
track_row(struct db *db, int64_t cycle, int64_t *open, int64_t *r3)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT coalesce((SELECT open FROM "
	    "cycle_track WHERE cycle_id = %lld), 0)", (long long)cycle);
	*open = th_count(db, sql);
	snprintf(sql, sizeof sql, "SELECT coalesce((SELECT r3 FROM "
	    "cycle_track WHERE cycle_id = %lld), 0)", (long long)cycle);
	*r3 = th_count(db, sql);
}

Test(reg, on_track_figures_follow_every_change)
{
	struct db *db = th_db();
	struct cycle c;
	struct target t;
	struct serr e;
	int64_t p, cy, t1, t2, t3, r1, r2, open, r3;

	serr_clear(&e);
	p = th_pupil(db, 1, "Nguyễn", "Siobhán", 'K', "SPLD", "4");
	cr_assert_eq(cycle_start(db, p, D(2026, 1, 5), SDATE_NONE, 0, &c, &e),
	    0, "%s", e.msg);
	cy = c.id;
	cycle_free(&c);
	int64_t *ids[] = { &t1, &t2, &t3 };
	for (int i = 0; i < 3; i++) {
		target_init(&t);
		t.cycle_id = cy;
		t.text = strdup("Łukasz will read twenty words");
		cr_assert_eq(target_add(db, &t, &e), 0, "%s", e.msg);
		*ids[i] = t.id;
		target_free(&t);
	}
	track_row(db, cy, &open, &r3);
	cr_assert_eq(open, 3);
	cr_assert_eq(r3, 0, "unrated targets count as 0");

	cr_assert_eq(target_rate(db, t1, 3, NULL, D(2026, 1, 20), &r1, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(target_rate(db, t2, 4, NULL, D(2026, 1, 20), NULL, &e),
	    0, "%s", e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(r3, 2);
	/* a later rating of 1 is now t1's latest */
	cr_assert_eq(target_rate(db, t1, 1, NULL, D(2026, 2, 2), &r2, &e), 0,
	    "%s", e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(r3, 1, "the latest rating counts, not the best");
	/* undone: the earlier 3 counts again */
	cr_assert_eq(target_rating_delete(db, r2, &e), 0, "%s", e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(r3, 2);
	cr_assert_eq(track_wrong(db), 0);
	cr_assert_eq(now_wrong(db), 0);

	/* an outcome takes the target out of the open ones, and back */
	cr_assert_eq(target_set_outcome(db, t2, OUTCOME_ACHIEVED, &e), 0,
	    "%s", e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(open, 2);
	cr_assert_eq(r3, 1);
	cr_assert_eq(target_set_outcome(db, t2, OUTCOME_NONE, &e), 0, "%s",
	    e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(open, 3);
	cr_assert_eq(track_wrong(db), 0);
	cr_assert_eq(now_wrong(db), 0);

	/* a rating changed or a target deleted in SQL (a merge writes so) */
	cr_assert_eq(db_exec(db, "UPDATE rating SET value = 0", &e), 0, "%s",
	    e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(r3, 0);
	cr_assert_eq(track_wrong(db), 0);
	cr_assert_eq(now_wrong(db), 0);
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM target WHERE id = %lld",
	    (long long)t3);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
	track_row(db, cy, &open, &r3);
	cr_assert_eq(open, 2);
	cr_assert_eq(track_wrong(db), 0);
	cr_assert_eq(now_wrong(db), 0);

	/* the pupil gone: their cycle's row goes too (the cascade) */
	snprintf(sql, sizeof sql, "DELETE FROM pupil WHERE id = %lld",
	    (long long)p);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM cycle_track"), 0);
	cr_assert_eq(track_wrong(db), 0);
	cr_assert_eq(now_wrong(db), 0);
	db_close(db);
}

/* The demo writes with triggers off and remakes the figures at the end;
 * a wrong row is found by the check, and remade by register_reindex. */
Test(reg, on_track_figures_of_the_demo_and_their_check)
{
	struct db *db = paging_db();
	struct serr e;

	serr_clear(&e);
	cr_assert_gt(th_count(db, "SELECT count(*) FROM cycle_track"), 50);
	cr_assert_eq(track_wrong(db), 0);
	cr_assert_eq(db_exec(db, "UPDATE cycle_track SET r2 = r2 + 1 WHERE "
	    "cycle_id = (SELECT min(cycle_id) FROM cycle_track)", &e), 0, "%s",
	    e.msg);
	cr_assert_eq(track_wrong(db), 1);
	cr_assert_eq(db_exec(db, "DELETE FROM cycle_track WHERE cycle_id = "
	    "(SELECT max(cycle_id) FROM cycle_track WHERE open > 0)", &e), 0,
	    "%s", e.msg);
	cr_assert_eq(track_wrong(db), 2);
	cr_assert_eq(register_reindex(db, &e), 0, "%s", e.msg);
	cr_assert_eq(track_wrong(db), 0);

	/* each pupil's row of pupil_now likewise */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_now"),
	    th_count(db, "SELECT count(*) FROM pupil"));
	cr_assert_eq(now_wrong(db), 0);
	/* ids are random: the pupils changed are kept apart by the temp
	 * table, or two changes could fall on one pupil and count once */
	sql(db, "CREATE TEMP TABLE changed AS SELECT min(pupil_id) AS id "
	    "FROM pupil_now WHERE need <> 'OTH'");
	cr_assert_eq(db_exec(db, "UPDATE pupil_now SET need = 'OTH' WHERE "
	    "pupil_id = (SELECT id FROM changed)", &e), 0, "%s", e.msg);
	cr_assert_eq(now_wrong(db), 1);
	cr_assert_eq(db_exec(db, "DELETE FROM pupil_now WHERE pupil_id = "
	    "(SELECT max(pupil_id) FROM pupil_now)", &e), 0, "%s", e.msg);
	cr_assert_eq(now_wrong(db), 2);
	cr_assert_eq(db_exec(db, "INSERT INTO pupil_now (pupil_id) VALUES "
	    "(-5)", &e), 0, "%s", e.msg);
	cr_assert_eq(now_wrong(db), 3, "a row of no pupil");
	/* a name's case alone (the column compares NOCASE) */
	cr_assert_eq(db_exec(db, "UPDATE pupil_now SET surname = "
	    "upper(surname) WHERE pupil_id = (SELECT min(pupil_id) FROM "
	    "pupil_now WHERE surname <> upper(surname) COLLATE BINARY AND "
	    "pupil_id NOT IN (SELECT id FROM changed))", &e), 0, "%s",
	    e.msg);
	cr_assert_eq(now_wrong(db), 4, "a surname in capitals");
	cr_assert_eq(register_reindex(db, &e), 0, "%s", e.msg);
	cr_assert_eq(now_wrong(db), 0);

	/* and the counts of open statuses */
	cr_assert_eq(tally_wrong(db), 0);
	cr_assert_eq(th_count(db, "SELECT sum(n) FROM status_tally"),
	    th_count(db, "SELECT count(*) FROM pupil"));
	cr_assert_eq(db_exec(db, "UPDATE status_tally SET n = n + 1 WHERE "
	    "status = 'K'", &e), 0, "%s", e.msg);
	cr_assert_eq(tally_wrong(db), 1);
	cr_assert_eq(db_exec(db, "DELETE FROM status_tally WHERE status = 'E'",
	    &e), 0, "%s", e.msg);
	cr_assert_eq(tally_wrong(db), 2);
	cr_assert_eq(register_reindex(db, &e), 0, "%s", e.msg);
	cr_assert_eq(tally_wrong(db), 0);
	db_close(db);
}

/* The register's row of a pupil (status, first need, open cycle, on
 * track) as pupil_now holds it: after every kind of change, through the
 * core and in SQL (a merge writes so), what the tables give. */
static void
assert_row(struct db *db, int64_t p, char status, const char *need,
    int stage, int targets)
{
	struct register_query q;
	struct register_row row;
	struct serr e;
	bool found = false;

	register_query_init(&q);
	q.filter.include_n = true;
	q.filter.include_archived = true;
	serr_clear(&e);
	cr_assert_eq(register_row_of(db, &q, p, &row, &found, &e), 0, "%s",
	    e.msg);
	cr_assert(found);
	cr_assert_eq(row.status, status, "status %c, wanted %c", row.status,
	    status);
	cr_assert_str_eq(row.need, need);
	cr_assert_eq(row.stage, stage, "stage %d, wanted %d", row.stage,
	    stage);
	cr_assert_eq(row.targets, targets);
	cr_assert_eq(now_wrong(db), 0);
	cr_assert_eq(tally_wrong(db), 0);
}

Test(reg, register_rows_follow_every_change)
{
	struct db *db = th_db();
	struct pupil pu;
	struct cycle c, next;
	struct target t;
	struct serr e;
	char sql[160];
	int64_t p, other, cy;

	serr_clear(&e);
	p = th_pupil(db, 1, "Öztürk", "Zoë", 'K', "SLCN", "5");
	other = th_pupil(db, 2, "Warsame", "Łukasz", 'E', "ASD", "6");
	assert_row(db, p, 'K', "SLCN", -1, 0);
	assert_row(db, other, 'E', "ASD", -1, 0);

	/* status, and needs replaced and re-ranked */
	cr_assert_eq(pupil_set_status(db, p, 'E', D(2026, 3, 2), &e), 0, "%s",
	    e.msg);
	assert_row(db, p, 'E', "SLCN", -1, 0);
	cr_assert_eq(pupil_get(db, p, &pu, &e), 0, "%s", e.msg);
	pu.n_needs = 2;
	snprintf(pu.needs[0], sizeof pu.needs[0], "SEMH");
	snprintf(pu.needs[1], sizeof pu.needs[1], "SLCN");
	cr_assert_eq(pupil_update(db, &pu, &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SEMH", -1, 0);
	cr_assert_eq(db_exec(db, "DELETE FROM pupil_need WHERE rank = 1 AND "
	    "code = 'SEMH'", &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", -1, 0);	/* the first left */
	cr_assert_eq(db_exec(db, "UPDATE pupil_need SET rank = 1 WHERE code = "
	    "'SLCN' AND rank = 2", &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", -1, 0);

	/* a cycle: started, advanced, a target, closed into the next */
	cr_assert_eq(cycle_start(db, p, D(2026, 3, 2), SDATE_NONE, 0, &c, &e),
	    0, "%s", e.msg);
	cy = c.id;
	cycle_free(&c);
	assert_row(db, p, 'E', "SLCN", 0, 0);
	cr_assert_eq(cycle_advance(db, cy, &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", 1, 0);
	target_init(&t);
	t.cycle_id = cy;
	t.text = strdup("Siobhán will ask for help with a word");
	cr_assert_eq(target_add(db, &t, &e), 0, "%s", e.msg);
	target_free(&t);
	assert_row(db, p, 'E', "SLCN", 1, 1);
	cr_assert_eq(cycle_advance(db, cy, &e), 0, "%s", e.msg);
	cr_assert_eq(cycle_advance(db, cy, &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", 3, 1);
	cycle_init(&next);
	cr_assert_eq(cycle_close(db, cy, DECISION_CONTINUE, SDATE_NONE, 12,
	    &next, &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", 0, 0);
	/* the new cycle deleted in SQL: none open */
	snprintf(sql, sizeof sql, "DELETE FROM cycle WHERE id = %lld",
	    (long long)next.id);
	cycle_free(&next);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", -1, 0);
	/* the closed one opened again in SQL: its target counts again */
	snprintf(sql, sizeof sql, "UPDATE cycle SET closed_on = NULL, "
	    "decision = NULL WHERE id = %lld", (long long)cy);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
	assert_row(db, p, 'E', "SLCN", 3, 1);

	/* off the register: status N, needs gone */
	cr_assert_eq(db_exec(db, "DELETE FROM pupil_need", &e), 0, "%s",
	    e.msg);
	cr_assert_eq(pupil_set_status(db, other, 'N', SDATE_NONE, &e), 0,
	    "%s", e.msg);
	assert_row(db, other, 'N', "", -1, 0);
	/* a status row's pupil changed in SQL: both pupils' rows follow */
	snprintf(sql, sizeof sql, "UPDATE sen_status SET pupil_id = %lld "
	    "WHERE pupil_id = %lld AND end_date IS NULL", (long long)other,
	    (long long)p);
	cr_assert_eq(db_exec(db, "DELETE FROM sen_status WHERE end_date IS "
	    "NULL AND status = 'N'", &e), 0, "%s", e.msg);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
	assert_row(db, other, 'E', "", -1, 0);
	assert_row(db, p, 'N', "", 3, 1);

	/* the pupil gone: their row too */
	snprintf(sql, sizeof sql, "DELETE FROM pupil WHERE id = %lld",
	    (long long)p);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_now"), 1);
	cr_assert_eq(now_wrong(db), 0);
	db_close(db);
}

/* A pupil's row of the register, on day, as pupil_now gives it. */
static void
row_on(struct db *db, int64_t p, sdate day, struct register_row *row)
{
	struct register_query q;
	struct serr e;
	bool found = false;

	register_query_init(&q);
	q.filter.include_n = true;
	q.filter.include_archived = true;
	q.today = day;
	serr_clear(&e);
	cr_assert_eq(register_row_of(db, &q, p, row, &found, &e), 0, "%s",
	    e.msg);
	cr_assert(found);
	cr_assert_eq(now_wrong(db), 0);
}

/* The cost a year of a pupil's provision on a day. */
static int64_t
cost_on(struct db *db, int64_t p, sdate day)
{
	struct register_row row;

	row_on(db, p, day, &row);
	return row.cost_year_pence;
}

/*
 * pupil_now (migration 9) holds the pupil's columns and the provision
 * still running: it follows the pupil, every change to an enrolment and
 * an intervention's cost; the cost it keeps is used only on a day every
 * enrolment not ended is current, and the enrolments are read
 * otherwise. A write by another tool that says INSERT OR IGNORE (whose
 * clause overrides the triggers') still reaches the row.
 */
Test(reg, rows_follow_the_pupil_and_the_provision)
{
	struct db *db = th_db();
	struct register_row row;
	struct pupil pu;
	struct serr e;
	sdate oct = D(2026, 10, 1), aug = D(2026, 8, 1), jan = D(2027, 1, 15);
	int64_t p, iv;

	serr_clear(&e);
	p = th_pupil(db, 1, "Nguyễn", "Thảo", 'K', "SLCN", "4");
	row_on(db, p, oct, &row);
	cr_assert_str_eq(row.surname, "Nguyễn");
	cr_assert_eq(row.cost_year_pence, 0);

	/* the name shown, year and flags */
	cr_assert_eq(pupil_get(db, p, &pu, &e), 0, "%s", e.msg);
	snprintf(pu.preferred_surname, sizeof pu.preferred_surname,
	    "Ní Bhriain");
	snprintf(pu.preferred_forename, sizeof pu.preferred_forename, "Zoë");
	snprintf(pu.year, sizeof pu.year, "5");
	pu.flags = 1;
	cr_assert_eq(pupil_update(db, &pu, &e), 0, "%s", e.msg);
	row_on(db, p, oct, &row);
	cr_assert_str_eq(row.surname, "Ní Bhriain");
	cr_assert_str_eq(row.forename, "Zoë");
	cr_assert_str_eq(row.year, "5");
	cr_assert_eq(row.flags, 1u);
	cr_assert_not(row.archived);
	sql(db, "UPDATE pupil SET archived = 1, left_on = '2026-07-20' WHERE "
	    "id = %lld", (long long)p);
	row_on(db, p, oct, &row);
	cr_assert(row.archived);
	sql(db, "UPDATE pupil SET archived = 0, left_on = NULL WHERE id = %lld",
	    (long long)p);

	/* £15 a session, one a week, alone: 1500 x 39 a year, from its
	 * start; a second in a group of two, twice a week, to the end of
	 * December: (2 x 1500 + 2) / 4 = 750 a session */
	iv = intervention(db, "Lexia (synthetic)", "session", 1500);
	enrol(db, p, iv, 1, 1, 30, "2026-09-01", NULL, false);
	cr_assert_eq(cost_on(db, p, oct), 58500);
	cr_assert_eq(cost_on(db, p, aug), 0, "not started on the day");
	enrol(db, p, iv, 2, 2, 30, "2026-09-01", "2026-12-31", false);
	cr_assert_eq(cost_on(db, p, oct), 58500 + 58500);
	cr_assert_eq(cost_on(db, p, jan), 58500, "one past its end");
	cr_assert_eq(th_count(db, "SELECT cost_n FROM pupil_now"), 2);

	/* the intervention's price changed: every enrolled pupil's cost */
	sql(db, "UPDATE intervention SET cost_pence = 3000 WHERE id = %lld",
	    (long long)iv);
	cr_assert_eq(cost_on(db, p, oct), 117000 + 117000);
	sql(db, "UPDATE intervention SET cost_basis = 'hour' WHERE id = %lld",
	    (long long)iv);
	/* £30 an hour, 30 minutes: 1500; in two: 750 */
	cr_assert_eq(cost_on(db, p, oct), 58500 + 58500);
	/* one ended, then one moved to another pupil, then deleted */
	sql(db, "UPDATE enrolment SET ended = 1 WHERE end_date IS NOT NULL");
	cr_assert_eq(cost_on(db, p, oct), 58500);
	cr_assert_eq(cost_on(db, p, jan), 58500, "the ended one counts no more");
	sql(db, "UPDATE enrolment SET sessions_per_week = 2 WHERE ended = 0");
	cr_assert_eq(cost_on(db, p, oct), 117000);
	sql(db, "DELETE FROM enrolment");
	cr_assert_eq(cost_on(db, p, oct), 0);
	cr_assert_eq(th_count(db, "SELECT cost_n FROM pupil_now"), 0);

	/* another tool's INSERT OR IGNORE of a new status */
	sql(db, "UPDATE sen_status SET end_date = '2026-09-30' WHERE "
	    "pupil_id = %lld AND end_date IS NULL", (long long)p);
	sql(db, "INSERT OR IGNORE INTO sen_status (id, pupil_id, status, "
	    "start_date, created_at, updated_at) VALUES (%lld, %lld, 'E', "
	    "'2026-10-01', '" TS "', '" TS "')", (long long)next_id++,
	    (long long)p);
	row_on(db, p, oct, &row);
	cr_assert_eq(row.status, 'E');
	cr_assert_eq(tally_wrong(db), 0);
	db_close(db);
}

/*
 * A caseload of schema 8 (pupil_now as migration 7 made it, without the
 * pupils' columns or their provision) has its rows made again when it is
 * opened, and the register reads them as before.
 */
Test(reg, a_caseload_of_schema_8_has_its_rows_made_again)
{
	const char *path = th_path("eight.db");
	struct db *db;
	struct register_row row;
	struct serr e;
	sqlite3_stmt *st;
	char drop[128];
	int64_t p, q, iv;

	serr_clear(&e);
	cr_assert_eq(db_open(&db, path, DB_CREATE, &e), 0, "%s", e.msg);
	p = th_pupil(db, 1, "Kowalczyk", "Łukasz", 'E', "ASD", "8");
	q = th_pupil(db, 2, "Öztürk", "Zoë", 'K', "SEMH", "3");
	iv = intervention(db, "Socially Speaking (synthetic)", "session", 1500);
	enrol(db, q, iv, 1, 1, 30, "2026-09-01", NULL, false);
	/* take migration 9 back: its triggers, its table, its index */
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "SELECT name FROM "
	    "sqlite_master WHERE type = 'trigger' AND name LIKE 'pupil_now_%'",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(drop, sizeof drop, "DROP TRIGGER %s",
		    (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);	/* not while it reads sqlite_master */
		cr_assert_eq(db_exec(db, drop, &e), 0, "%s", e.msg);
	}
	sqlite3_finalize(st);
	th_exec(db, "DROP TABLE pupil_now");
	th_exec(db, "DROP TABLE pupil_search_rank");
	cr_assert_eq(db_exec(db, schema_migrations[6], &e), 0, "%s", e.msg);
	th_exec(db, "PRAGMA user_version = 8");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_now"), 2);
	db_close(db);

	cr_assert_eq(db_open(&db, path, 0, &e), 0, "%s", e.msg);
	cr_assert_eq(db_schema_version(db), DB_SCHEMA_VERSION);
	cr_assert_eq(now_wrong(db), 0);
	row_on(db, p, D(2026, 10, 1), &row);
	cr_assert_str_eq(row.surname, "Kowalczyk");
	cr_assert_eq(row.status, 'E');
	cr_assert_str_eq(row.need, "ASD");
	row_on(db, q, D(2026, 10, 1), &row);
	cr_assert_str_eq(row.forename, "Zoë");
	cr_assert_eq(row.cost_year_pence, 58500);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'pupil_now_name'"), 1);
	db_close(db);
}

/* The first and last pages of the name order hold every name, whatever
 * its first character: a surname beginning with an apostrophe, a bracket
 * or a space sorts before the letters (and before the text a number
 * would become, which the anchor below every name once was). */
Test(reg, first_and_last_pages_hold_every_name)
{
	struct db *db = th_db();
	struct register_query q;
	struct register_row rows[8];
	struct serr e;
	int got = 0;
	static const char *const order[] = { "'t Hart", "(Nguyễn)",
	    "-Öztürk", "Abbott", "Brown" };

	th_pupil(db, 1, "Brown", "Siobhán", 'K', "SLCN", "5");
	th_pupil(db, 2, "'t Hart", "Zoë", 'K', "ASD", "6");
	th_pupil(db, 3, "Abbott", "Łukasz", 'E', "SEMH", "4");
	th_pupil(db, 4, "(Nguyễn)", "Thảo", 'K', "MLD", "3");
	th_pupil(db, 5, "-Öztürk", "Emre", 'K', "SLCN", "2");
	register_query_init(&q);
	serr_clear(&e);
	for (int desc = 0; desc < 2; desc++) {
		q.descending = desc;
		for (int last = 0; last < 2; last++) {
			cr_assert_eq(register_page(db, &q, last ? REGISTER_LAST :
			    REGISTER_FIRST, NULL, 8, rows, &got, &e), 0, "%s",
			    e.msg);
			cr_assert_eq(got, 5, "desc %d last %d: %d rows", desc,
			    last, got);
			for (int i = 0; i < 5; i++)
				cr_assert_str_eq(rows[i].surname,
				    order[desc ? 4 - i : i]);
		}
	}
	db_close(db);
}
