/*
 * test_codes.c: census codes, UPN check letters (DOMAIN.md vectors), year
 * groups and the vocabularies of the graduated approach.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/codes.h"

Test(upn, domain_vectors_are_valid)
{
	struct serr e;

	cr_assert_eq(upn_validate("B801200005001", &e), 0, "%s", e.msg);
	cr_assert_eq(upn_validate("R674123101121", &e), 0, "%s", e.msg);
}

Test(upn, check_letter_is_p_not_q)
{
	struct serr e;

	/* DOMAIN.md: some MIS help pages wrongly give Q for this one. */
	cr_assert_eq(upn_check_letter("B207000016049"), 'P');
	cr_assert_eq(upn_validate("P207000016049", &e), 0, "%s", e.msg);
	cr_assert_eq(upn_validate("Q207000016049", &e), SE_INVALID);
	cr_assert(strstr(e.msg, "should be P") != NULL, "%s", e.msg);
	cr_assert(strstr(e.msg, "1510") != NULL, "%s", e.msg);
}

Test(upn, refuses_bad_format)
{
	struct serr e;

	cr_assert_eq(upn_validate("B80120000500", &e), SE_INVALID);
	cr_assert(strstr(e.msg, "13 characters") != NULL, "%s", e.msg);
	cr_assert(strstr(e.msg, "1540") != NULL, "%s", e.msg);
	cr_assert_eq(upn_validate("", &e), SE_INVALID);
	cr_assert_eq(upn_validate("1801200005001", &e), SE_INVALID);
	cr_assert(strstr(e.msg, "1550") != NULL, "%s", e.msg);
	cr_assert_eq(upn_validate("I801200005001", &e), SE_INVALID);
	cr_assert_eq(upn_validate("B80120000A001", &e), SE_INVALID);
	cr_assert_eq(upn_validate("b801200005001", &e), SE_INVALID);
	cr_assert_eq(upn_validate("B80120000500I", &e), SE_INVALID);
}

Test(upn, temporary_upn_letter_counts_by_alphabet_position)
{
	char upn[UPN_LEN + 1] = "?80120000500A";
	struct serr e;
	int sum = 0;

	/* Compute by hand: A = 0 in position 13. */
	for (int i = 2; i <= 12; i++)
		sum += (upn[i - 1] - '0') * i;
	upn[0] = "ABCDEFGHJKLMNPQRTUVWXYZ"[sum % 23];
	cr_assert(upn_is_temporary(upn));
	cr_assert_eq(upn_check_letter(upn), upn[0]);
	cr_assert_eq(upn_validate(upn, &e), 0, "%s", e.msg);
	/* Z counts 22. */
	upn[12] = 'Z';
	upn[0] = "ABCDEFGHJKLMNPQRTUVWXYZ"[(sum + 22 * 13) % 23];
	cr_assert_eq(upn_validate(upn, &e), 0, "%s", e.msg);
	cr_assert_not(upn_is_temporary("B801200005001"));
}

Test(upn, make_gives_valid_upns)
{
	char upn[UPN_LEN + 1];
	struct serr e;

	for (int s = 0; s < 1000; s += 37) {
		upn_make(999, 9999, 26, s, upn);
		cr_assert_eq(upn_validate(upn, &e), 0, "%s: %s", upn, e.msg);
	}
}

Test(status, parse_and_historic_codes)
{
	struct serr e;
	bool hist;
	char s;

	cr_assert_eq(status_parse("k", &s, &hist, &e), 0);
	cr_assert_eq(s, 'K');
	cr_assert_not(hist);
	cr_assert_eq(status_parse(" A ", &s, &hist, &e), 0);
	cr_assert_eq(s, 'K');
	cr_assert(hist);
	cr_assert_eq(status_parse("P", &s, &hist, &e), 0);
	cr_assert_eq(s, 'K');
	cr_assert_eq(status_parse("S", &s, &hist, &e), 0);
	cr_assert_eq(s, 'E');
	cr_assert(hist);
	cr_assert_eq(status_parse("X", &s, &hist, &e), SE_INVALID);
	cr_assert_eq(status_parse("KE", &s, &hist, &e), SE_INVALID);
	cr_assert_eq(status_parse("", &s, &hist, &e), SE_INVALID);
}

Test(needs, thirteen_codes_in_four_areas)
{
	int per_area[AREA_COUNT] = { 0 };

	for (int i = 0; i < NEED_CODE_COUNT; i++)
		per_area[need_codes[i].area]++;
	cr_assert_eq(per_area[AREA_CI], 2);
	cr_assert_eq(per_area[AREA_CL], 4);
	cr_assert_eq(per_area[AREA_SEMH], 1);
	cr_assert_eq(per_area[AREA_SP], 4);
	cr_assert_eq(per_area[AREA_NONE], 2);
	cr_assert_str_eq(need_find("spld")->code, "SPLD");
	cr_assert_null(need_find("DYS"));
}

Test(needs, besd_maps_to_semh)
{
	char out[NEED_CODE_MAX];
	struct serr e;
	bool hist;

	cr_assert_eq(need_parse("besd", out, &hist, &e), 0);
	cr_assert_str_eq(out, "SEMH");
	cr_assert(hist);
	cr_assert_eq(need_parse("Dyslexia", out, &hist, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "Dyslexia") != NULL);
}

Test(needs, census_rules)
{
	const char one[1][NEED_CODE_MAX] = { "NSA" };
	const char dup[2][NEED_CODE_MAX] = { "MLD", "MLD" };
	const char ok[2][NEED_CODE_MAX] = { "ASD", "SEMH" };
	struct serr e;

	cr_assert_eq(needs_check('K', one, 1, &e), 0, "%s", e.msg);
	cr_assert_eq(needs_check('E', one, 1, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "NSA") != NULL);
	cr_assert_eq(needs_check('K', NULL, 0, &e), SE_INVALID);
	cr_assert_eq(needs_check('E', NULL, 0, &e), SE_INVALID);
	cr_assert_eq(needs_check('N', NULL, 0, &e), 0);
	cr_assert_eq(needs_check('K', dup, 2, &e), SE_INVALID);
	cr_assert_eq(needs_check('E', ok, 2, &e), 0);
}

Test(year, parse_forms_and_order)
{
	char y[YEAR_MAX];
	struct serr e;

	cr_assert_eq(year_parse("Reception", y, &e), 0);
	cr_assert_str_eq(y, "R");
	cr_assert_eq(year_parse("Y7", y, &e), 0);
	cr_assert_str_eq(y, "7");
	cr_assert_eq(year_parse("Year 10", y, &e), 0);
	cr_assert_str_eq(y, "10");
	cr_assert_eq(year_parse("07", y, &e), 0);
	cr_assert_str_eq(y, "7");
	cr_assert_eq(year_parse("n1", y, &e), 0);
	cr_assert_str_eq(y, "N1");
	cr_assert_eq(year_parse("X", y, &e), 0);
	cr_assert_eq(year_parse("15", y, &e), SE_INVALID);
	cr_assert_eq(year_parse("0", y, &e), SE_INVALID);
	cr_assert_eq(year_parse("N3", y, &e), SE_INVALID);
	cr_assert_eq(year_parse("", y, &e), SE_INVALID);
	cr_assert_lt(year_order("N1"), year_order("N2"));
	cr_assert_lt(year_order("N2"), year_order("R"));
	cr_assert_lt(year_order("R"), year_order("1"));
	cr_assert_lt(year_order("9"), year_order("10"));
	cr_assert_lt(year_order("14"), year_order("X"));
	cr_assert_str_eq(year_key_stage("R"), "EYFS");
	cr_assert_str_eq(year_key_stage("2"), "KS1");
	cr_assert_str_eq(year_key_stage("6"), "KS2");
	cr_assert_str_eq(year_key_stage("9"), "KS3");
	cr_assert_str_eq(year_key_stage("11"), "KS4");
	cr_assert_str_eq(year_key_stage("13"), "post-16");
}

Test(vocab, parse_codes_and_names)
{
	enum stage s;
	enum decision d;
	enum outcome o;
	struct serr e;
	int r;

	cr_assert_eq(stage_parse("Do", &s, &e), 0);
	cr_assert_eq(s, STAGE_DO);
	cr_assert_eq(stage_parse("close", &s, &e), SE_INVALID);
	cr_assert_eq(decision_parse("increase support", &d, &e), 0);
	cr_assert_eq(d, DECISION_INCREASE);
	cr_assert_eq(decision_parse("ehc", &d, &e), 0);
	cr_assert_eq(d, DECISION_EHC);
	cr_assert_eq(decision_parse("", &d, &e), SE_INVALID);
	cr_assert_eq(decision_parse("none", &d, &e), SE_INVALID);
	cr_assert_eq(outcome_parse("partially achieved", &o, &e), 0);
	cr_assert_eq(o, OUTCOME_PARTIAL);
	cr_assert_eq(outcome_parse("maybe", &o, &e), SE_INVALID);
	cr_assert_eq(rating_parse("3", &r, &e), 0);
	cr_assert_eq(r, 3);
	cr_assert_eq(rating_parse("Emerging", &r, &e), 0);
	cr_assert_eq(r, 1);
	cr_assert_eq(rating_parse("5", &r, &e), SE_INVALID);
	cr_assert_eq(rating_parse("-1", &r, &e), SE_INVALID);
	cr_assert_str_eq(rating_name(0), "not started");
	cr_assert_str_eq(rating_name(4), "achieved");
}

Test(flags, parse_and_show)
{
	unsigned f;
	struct serr e;
	char buf[32];

	cr_assert_eq(flags_parse("pp, FSM cic", &f, &e), 0);
	cr_assert_eq(f, FLAG_PP | FLAG_FSM | FLAG_CIC);
	cr_assert_str_eq(flags_show(f, buf), "PP FSM CiC");
	cr_assert_eq(flags_parse("", &f, &e), 0);
	cr_assert_eq(f, 0u);
	cr_assert_eq(flags_parse("PP,SEN", &f, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "SEN") != NULL);
}

Test(area, parse)
{
	enum area a;
	struct serr e;

	cr_assert_eq(area_parse("cl", &a, &e), 0);
	cr_assert_eq(a, AREA_CL);
	cr_assert_eq(area_parse("Social, emotional and mental health", &a, &e), 0);
	cr_assert_eq(a, AREA_SEMH);
	cr_assert_eq(area_parse("maths", &a, &e), SE_INVALID);
}
