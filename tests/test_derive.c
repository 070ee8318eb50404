/*
 * test_derive.c: the derived figures (DOMAIN.md rules): required rating,
 * on track, overdue reviews, provision costs, impact, ratio gain, money.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/derive.h"
#include "helpers.h"

TestSuite(derive, .fini = th_cleanup);

static sdate
d(int y, int m, int dd)
{
	return date_from_ymd(y, m, dd);
}

/* --- required rating and on track ------------------------------------- */

Test(derive, domain_example_six_weeks_of_twelve)
{
	sdate start = d(2026, 1, 5), end = start + 84;

	cr_expect_eq(derive_required_rating(start, end, start + 42), 2);
	cr_expect(derive_on_track(2, start, end, start + 42));
	cr_expect(derive_on_track(3, start, end, start + 42));
	cr_expect_not(derive_on_track(1, start, end, start + 42));
}

Test(derive, required_rating_boundaries)
{
	sdate start = d(2026, 1, 5), end = start + 84;

	cr_expect_eq(derive_required_rating(start, end, start), 0);
	cr_expect_eq(derive_required_rating(start, end, start - 30), 0);
	cr_expect_eq(derive_required_rating(start, end, end - 1), 4);
	cr_expect_eq(derive_required_rating(start, end, end), 4);
	cr_expect_eq(derive_required_rating(start, end, end + 100), 4);
	/* Quarters of the plan. */
	cr_expect_eq(derive_required_rating(start, end, start + 21), 1);
	cr_expect_eq(derive_required_rating(start, end, start + 63), 3);
	/* 4 * 10 / 84 = 0.476 -> 0; 4 * 11 / 84 = 0.524 -> 1. */
	cr_expect_eq(derive_required_rating(start, end, start + 10), 0);
	cr_expect_eq(derive_required_rating(start, end, start + 11), 1);
}

Test(derive, required_rating_rounds_half_up)
{
	sdate s = d(2026, 3, 2), end = s + 8;

	/* 4 * elapsed / 8 = elapsed / 2: halves go up. */
	cr_expect_eq(derive_required_rating(s, end, s + 1), 1);	/* 0.5 */
	cr_expect_eq(derive_required_rating(s, end, s + 2), 1);	/* 1.0 */
	cr_expect_eq(derive_required_rating(s, end, s + 3), 2);	/* 1.5 */
	cr_expect_eq(derive_required_rating(s, end, s + 5), 3);	/* 2.5 */
	cr_expect_eq(derive_required_rating(s, end, s + 7), 4);	/* 3.5 */
}

Test(derive, required_rating_zero_length_plan)
{
	sdate day = d(2026, 2, 10);

	cr_expect_eq(derive_required_rating(day, day, day - 1), 0);
	cr_expect_eq(derive_required_rating(day, day, day), 4);
	cr_expect_eq(derive_required_rating(day, day, day + 1), 4);
	/* An end before the start behaves like a zero-length plan. */
	cr_expect_eq(derive_required_rating(day, day - 5, day - 6), 0);
	cr_expect_eq(derive_required_rating(day, day - 5, day - 5), 4);
	/* Missing dates ask for nothing. */
	cr_expect_eq(derive_required_rating(SDATE_NONE, day, day), 0);
	cr_expect_eq(derive_required_rating(day, SDATE_NONE, day), 0);
}

Test(derive, on_track_without_rating_counts_zero)
{
	sdate start = d(2026, 1, 5), end = start + 84;

	cr_expect(derive_on_track(-1, start, end, start));
	cr_expect(derive_on_track(-1, start, end, start + 10));
	cr_expect_not(derive_on_track(-1, start, end, start + 11));
	cr_expect_not(derive_on_track(3, start, end, end));
	cr_expect(derive_on_track(4, start, end, end + 7));
}

Test(derive, review_overdue)
{
	sdate today = d(2026, 5, 20);

	cr_expect(derive_review_overdue(today - 1, today));
	cr_expect_not(derive_review_overdue(today, today));
	cr_expect_not(derive_review_overdue(today + 1, today));
	cr_expect_not(derive_review_overdue(SDATE_NONE, today));
}

/* --- costs ------------------------------------------------------------ */

static void
setup_cost(struct intervention *iv, struct enrolment *en,
    enum cost_basis basis, int64_t pence, int group, int minutes, int spw)
{
	intervention_init(iv);
	enrolment_init(en);
	iv->basis = basis;
	iv->cost_pence = pence;
	en->group_size = group;
	en->minutes = minutes;
	en->sessions_per_week = spw;
}

Test(derive, cost_per_session_split_by_group)
{
	struct intervention iv;
	struct enrolment en;

	setup_cost(&iv, &en, COST_PER_SESSION, 1200, 4, 30, 3);
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 300);
	cr_expect_eq(derive_enrolment_cost_year_pence(&iv, &en), 300 * 3 * 39);
	/* 1000 / 3 = 333.33 -> 333; 1001 / 2 = 500.5 -> 501 (half up). */
	en.group_size = 3;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 400);
	iv.cost_pence = 1000;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 333);
	iv.cost_pence = 1001;
	en.group_size = 2;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 501);
	/* 1000 / 6 = 166.67 -> 167. */
	iv.cost_pence = 1000;
	en.group_size = 6;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 167);
	/* Minutes do not matter for a per-session cost. */
	en.minutes = 600;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 167);
}

Test(derive, cost_per_hour_by_minutes_and_group)
{
	struct intervention iv;
	struct enrolment en;

	/* A TA at £15.00 an hour, 30 minutes, alone: £7.50. */
	setup_cost(&iv, &en, COST_PER_HOUR, 1500, 1, 30, 5);
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 750);
	cr_expect_eq(derive_enrolment_cost_year_pence(&iv, &en), 750 * 5 * 39);
	/* Group of 4: 187.5 -> 188. */
	en.group_size = 4;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 188);
	/* £14.99, 20 minutes, group of 3: 1499 * 20 / 180 = 166.56 -> 167. */
	iv.cost_pence = 1499;
	en.minutes = 20;
	en.group_size = 3;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 167);
	/* £12.34, 45 minutes, alone: 925.5 -> 926. */
	iv.cost_pence = 1234;
	en.minutes = 45;
	en.group_size = 1;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 926);
	en.minutes = 0;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 0);
}

Test(derive, cost_group_below_one_counts_as_one)
{
	struct intervention iv;
	struct enrolment en;

	setup_cost(&iv, &en, COST_PER_SESSION, 999, 0, 30, 2);
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 999);
	en.group_size = -3;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 999);
	iv.basis = COST_PER_HOUR;
	en.minutes = 60;
	cr_expect_eq(derive_session_cost_pence(&iv, &en), 999);
}

Test(derive, yearly_cost_zero_sessions)
{
	struct intervention iv;
	struct enrolment en;

	setup_cost(&iv, &en, COST_PER_SESSION, 2500, 1, 60, 0);
	cr_expect_eq(derive_enrolment_cost_year_pence(&iv, &en), 0);
	/* Over the £6,000 notional line: £40 a session, 4 a week. */
	setup_cost(&iv, &en, COST_PER_SESSION, 4000, 1, 60, 4);
	cr_expect_eq(derive_enrolment_cost_year_pence(&iv, &en), 624000);
}

/* --- impact and ratio gain -------------------------------------------- */

Test(derive, impact)
{
	struct enrolment en;

	enrolment_init(&en);
	cr_expect(isnan(derive_impact(&en)));
	en.entry = 82;
	cr_expect(isnan(derive_impact(&en)));
	en.exit = 91.5;
	cr_expect_float_eq(derive_impact(&en), 9.5, 1e-9);
	en.exit = 80;
	cr_expect_float_eq(derive_impact(&en), -2.0, 1e-9);
	en.entry = NAN;
	cr_expect(isnan(derive_impact(&en)));
}

Test(derive, ratio_gain)
{
	struct enrolment en;

	enrolment_init(&en);
	en.measure_kind = MEASURE_AGE;
	en.start = d(2026, 1, 5);
	en.end = d(2026, 4, 5);		/* 3 months */
	en.entry = 90;			/* reading age 7y6m */
	en.exit = 99;
	cr_expect_float_eq(derive_ratio_gain(&en), 3.0, 1e-9);
	/* A later day of month does not complete the month: 2 months. */
	en.end = d(2026, 4, 4);
	cr_expect_float_eq(derive_ratio_gain(&en), 4.5, 1e-9);
	/* Exactly one month. */
	en.end = d(2026, 2, 5);
	cr_expect_float_eq(derive_ratio_gain(&en), 9.0, 1e-9);
}

Test(derive, ratio_gain_refusals)
{
	struct enrolment en;

	enrolment_init(&en);
	en.measure_kind = MEASURE_AGE;
	en.start = d(2026, 1, 5);
	en.end = d(2026, 2, 4);		/* under a month */
	en.entry = 90;
	en.exit = 95;
	cr_expect(isnan(derive_ratio_gain(&en)));
	en.end = SDATE_NONE;
	cr_expect(isnan(derive_ratio_gain(&en)));
	en.end = d(2026, 7, 5);
	cr_expect_not(isnan(derive_ratio_gain(&en)));
	en.measure_kind = MEASURE_SCORE;
	cr_expect(isnan(derive_ratio_gain(&en)));
	en.measure_kind = MEASURE_RATING;
	cr_expect(isnan(derive_ratio_gain(&en)));
	en.measure_kind = MEASURE_AGE;
	en.exit = NAN;
	cr_expect(isnan(derive_ratio_gain(&en)));
	en.exit = 95;
	en.entry = NAN;
	cr_expect(isnan(derive_ratio_gain(&en)));
}

/* --- money ------------------------------------------------------------ */

static void
money_is(int64_t pence, const char *want)
{
	char buf[40];

	cr_expect_str_eq(derive_money(pence, buf, sizeof buf), want,
	    "%lld pence", (long long)pence);
}

Test(derive, money)
{
	money_is(0, "£0.00");
	money_is(5, "£0.05");
	money_is(99, "£0.99");
	money_is(100, "£1.00");
	money_is(123456, "£1,234.56");
	money_is(600000, "£6,000.00");
	money_is(99999, "£999.99");
	money_is(100000, "£1,000.00");
	money_is(123456789, "£1,234,567.89");
	money_is(-5, "-£0.05");
	money_is(-123456, "-£1,234.56");
	money_is(INT64_MAX, "£92,233,720,368,547,758.07");
	money_is(INT64_MIN, "-£92,233,720,368,547,758.08");
}

Test(derive, money_small_buffer_is_cut_and_terminated)
{
	char buf[24];

	memset(buf, 'x', sizeof buf);
	derive_money(123456, buf, sizeof buf);
	cr_expect_str_eq(buf, "£1,234.56");
	derive_money(INT64_MAX, buf, sizeof buf);
	cr_expect_eq(strlen(buf), sizeof buf - 1);
	cr_expect_eq(derive_money(1, buf, 0), buf);
}
