/*
 * test_date.c: day arithmetic, the two accepted input forms and refusal
 * of everything ambiguous or impossible.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

Test(date, round_trip_every_day_of_two_centuries)
{
	for (sdate d = date_from_ymd(1900, 1, 1); d < date_from_ymd(2100, 1, 1); d++) {
		int y, m, dd;

		date_to_ymd(d, &y, &m, &dd);
		cr_assert(date_valid_ymd(y, m, dd));
		cr_assert_eq(date_from_ymd(y, m, dd), d);
	}
	cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
	cr_assert_eq(date_weekday(date_from_ymd(2026, 11, 23)), 0);	/* Monday */
}

Test(date, parse_iso_and_uk)
{
	struct serr e;
	sdate d;

	cr_assert_eq(date_parse("2026-11-23", &d, "date", &e), 0);
	cr_assert_eq(d, date_from_ymd(2026, 11, 23));
	cr_assert_eq(date_parse("23/11/2026", &d, "date", &e), 0);
	cr_assert_eq(d, date_from_ymd(2026, 11, 23));
	cr_assert_eq(date_parse(" 1/2/2026 ", &d, "date", &e), 0);
	cr_assert_eq(d, date_from_ymd(2026, 2, 1));	/* UK: day first */
	cr_assert_eq(date_parse("29/02/2024", &d, "date", &e), 0);
}

Test(date, refuses_ambiguous_and_impossible)
{
	const char *bad[] = {
		"1/2/26", "01-02-2026", "2026/11/23", "23.11.2026", "2026-1-5",
		"23/11/2026x", "tomorrow", "2026-13-01", "", "   ",
	};
	struct serr e;
	sdate d = 42;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(date_parse(bad[i], &d, "date of birth", &e),
		    SE_INVALID, "accepted '%s'", bad[i]);
		cr_assert(strncmp(e.msg, "date of birth: ", 15) == 0, "%s", e.msg);
	}
	cr_assert_eq(d, 42, "output written on refusal");
	cr_assert_eq(date_parse("31/02/2026", &d, "review date", &e), SE_INVALID);
	cr_assert(strstr(e.msg, "not a real date") != NULL, "%s", e.msg);
	cr_assert_eq(date_parse("29/02/2025", &d, "x", &e), SE_INVALID);
	cr_assert_eq(date_parse("2100-02-29", &d, "x", &e), SE_INVALID);
}

Test(date, iso_and_display)
{
	char buf[DATE_ISO_LEN];
	sdate d = date_from_ymd(2026, 3, 7);

	cr_assert_str_eq(date_iso(d, buf), "2026-03-07");
	date_set_style(DATE_STYLE_UK);
	cr_assert_str_eq(date_show(d, buf), "07/03/2026");
	date_set_style(DATE_STYLE_ISO);
	cr_assert_str_eq(date_show(d, buf), "2026-03-07");
	date_set_style(DATE_STYLE_UK);
	cr_assert_str_eq(date_show(SDATE_NONE, buf), "");
	cr_assert_eq(date_from_iso("2026-03-07"), d);
	cr_assert_eq(date_from_iso(NULL), SDATE_NONE);
	cr_assert_eq(date_from_iso("07/03/2026"), SDATE_NONE);
}

Test(date, today_can_be_fixed_for_tests)
{
	setenv("SENCO_TODAY", "2026-11-23", 1);
	cr_assert_eq(date_today(), date_from_ymd(2026, 11, 23));
	unsetenv("SENCO_TODAY");
	cr_assert_neq(date_today(), SDATE_NONE);
}

Test(date, months_and_ages)
{
	sdate dob = date_from_ymd(2016, 2, 29);

	cr_assert_eq(date_add_months(date_from_ymd(2026, 1, 31), 1),
	    date_from_ymd(2026, 2, 28));
	cr_assert_eq(date_add_months(date_from_ymd(2026, 1, 15), -1),
	    date_from_ymd(2025, 12, 15));
	cr_assert_eq(date_add_months(date_from_ymd(2026, 11, 30), 14),
	    date_from_ymd(2028, 1, 30));
	cr_assert_eq(date_age_years(dob, date_from_ymd(2026, 2, 28)), 9);
	cr_assert_eq(date_age_years(dob, date_from_ymd(2026, 3, 1)), 10);
	cr_assert_eq(date_months_between(date_from_ymd(2026, 1, 15),
	    date_from_ymd(2026, 4, 14)), 2);
	cr_assert_eq(date_months_between(date_from_ymd(2026, 1, 15),
	    date_from_ymd(2026, 4, 15)), 3);
}

Test(date, timestamp_shape)
{
	char ts[TIMESTAMP_LEN];

	timestamp_now(ts);
	cr_assert_eq(strlen(ts), 20);
	cr_assert_eq(ts[10], 'T');
	cr_assert_eq(ts[19], 'Z');
}
