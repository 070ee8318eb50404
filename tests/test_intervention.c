/*
 * test_intervention.c: the intervention catalogue and enrolments: every
 * rule, every refusal (with nothing written), storage forms, list order.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/intervention.h"
#include "helpers.h"

TestSuite(intervention, .fini = th_cleanup);
TestSuite(enrolment, .fini = th_cleanup);

/* --- fixtures --------------------------------------------------------- */

static int64_t
add_iv(struct db *db, const char *name, enum cost_basis basis, int64_t pence)
{
	struct intervention iv;
	struct serr e;

	intervention_init(&iv);
	snprintf(iv.name, sizeof iv.name, "%s", name);
	iv.basis = basis;
	iv.cost_pence = pence;
	iv.area = AREA_CL;
	serr_clear(&e);
	cr_assert_eq(intervention_add(db, &iv, &e), 0, "%s", e.msg);
	return iv.id;
}

static void
fill_en(struct enrolment *en, int64_t pupil, int64_t iv)
{
	enrolment_init(en);
	en->pupil_id = pupil;
	en->intervention_id = iv;
	en->group_size = 4;
	en->sessions_per_week = 3;
	en->minutes = 30;
	en->start = date_from_ymd(2026, 1, 12);
	en->end = date_from_ymd(2026, 3, 27);
	snprintf(en->staff, sizeof en->staff, "Mrs Ní Bhriain");
	snprintf(en->measure, sizeof en->measure, "Salford reading age");
	en->measure_kind = MEASURE_AGE;
	en->entry = 86;
}

static void
fix_today(const char *iso)
{
	cr_assert_eq(setenv("SENCO_TODAY", iso, 1), 0);
}

/* --- the catalogue ---------------------------------------------------- */

Test(intervention, add_and_get_round_trip)
{
	struct db *db = th_db();
	struct intervention iv, got;
	struct serr e;

	intervention_init(&iv);
	snprintf(iv.name, sizeof iv.name, "%s",
	    "  Précision teaching – Zoë's group ");
	iv.area = AREA_CL;
	iv.description = "Daily 10-minute probes; 李 and Łukasz share a slot";
	iv.evidence = "EEF toolkit: +4 months";
	iv.basis = COST_PER_HOUR;
	iv.cost_pence = 1575;
	serr_clear(&e);
	cr_assert_eq(intervention_add(db, &iv, &e), 0, "%s", e.msg);
	cr_expect_gt(iv.id, 0);
	cr_expect_eq(iv.version, 1);
	cr_expect_str_eq(iv.name, "Précision teaching – Zoë's group");
	cr_expect_str_eq(iv.changed_by, "tester");
	cr_expect_eq(strlen(iv.created_at), TIMESTAMP_LEN - 1);

	cr_assert_eq(intervention_get(db, iv.id, &got, &e), 0, "%s", e.msg);
	cr_expect_eq(got.id, iv.id);
	cr_expect_str_eq(got.name, "Précision teaching – Zoë's group");
	cr_expect_eq(got.area, AREA_CL);
	cr_expect_str_eq(got.description,
	    "Daily 10-minute probes; 李 and Łukasz share a slot");
	cr_expect_str_eq(got.evidence, "EEF toolkit: +4 months");
	cr_expect_eq(got.basis, COST_PER_HOUR);
	cr_expect_eq(got.cost_pence, 1575);
	cr_expect_not(got.retired);
	cr_expect_eq(got.version, 1);
	cr_expect_str_eq(got.changed_by, "tester");
	cr_expect_str_eq(got.created_at, iv.created_at);
	intervention_free(&got);
	cr_expect_null(got.description);

	/* Storage words. */
	cr_expect_eq(th_count(db, "SELECT count(*) FROM intervention WHERE "
	    "area = 'CL' AND cost_basis = 'hour'"), 1);
	db_close(db);
}

Test(intervention, empty_texts_and_no_area_stored_as_null)
{
	struct db *db = th_db();
	struct intervention iv, got;
	struct serr e;

	intervention_init(&iv);
	snprintf(iv.name, sizeof iv.name, "Lego therapy");
	iv.description = "";
	serr_clear(&e);
	cr_assert_eq(intervention_add(db, &iv, &e), 0, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM intervention WHERE "
	    "area IS NULL AND description IS NULL AND evidence IS NULL AND "
	    "cost_basis = 'session' AND cost_pence = 0"), 1);
	cr_assert_eq(intervention_get(db, iv.id, &got, &e), 0, "%s", e.msg);
	cr_expect_eq(got.area, AREA_NONE);
	cr_expect_null(got.description);
	cr_expect_null(got.evidence);
	intervention_free(&got);
	db_close(db);
}

Test(intervention, refuses_bad_fields_and_writes_nothing)
{
	struct db *db = th_db();
	struct intervention iv;
	struct serr e;

	intervention_init(&iv);
	serr_clear(&e);
	cr_expect_eq(intervention_add(db, &iv, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "name is required") != NULL, "%s", e.msg);
	snprintf(iv.name, sizeof iv.name, " \t ");
	cr_expect_eq(intervention_add(db, &iv, &e), SE_INVALID);

	snprintf(iv.name, sizeof iv.name, "Phonics catch-up");
	iv.cost_pence = -1;
	cr_expect_eq(intervention_add(db, &iv, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "negative") != NULL, "%s", e.msg);
	iv.cost_pence = 0;
	iv.area = AREA_COUNT;
	cr_expect_eq(intervention_add(db, &iv, &e), SE_INVALID);
	iv.area = AREA_SEMH;
	iv.basis = (enum cost_basis)7;
	cr_expect_eq(intervention_add(db, &iv, &e), SE_INVALID);

	cr_expect_eq(th_count(db, "SELECT count(*) FROM intervention"), 0);
	iv.basis = COST_PER_SESSION;
	cr_expect_eq(intervention_add(db, &iv, &e), 0, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM intervention"), 1);
	db_close(db);
}

Test(intervention, name_unique_case_insensitively)
{
	struct db *db = th_db();
	struct intervention iv;
	struct serr e;

	add_iv(db, "Talk Boost", COST_PER_SESSION, 500);
	intervention_init(&iv);
	snprintf(iv.name, sizeof iv.name, "TALK boost ");
	serr_clear(&e);
	cr_expect_eq(intervention_add(db, &iv, &e), SE_EXISTS);
	cr_expect(strstr(e.msg, "TALK boost") != NULL, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM intervention"), 1);
	db_close(db);
}

Test(intervention, find_is_case_insensitive_and_exact)
{
	struct db *db = th_db();
	struct intervention iv;
	struct serr e;
	int64_t id = add_iv(db, "Nurture group", COST_PER_SESSION, 2000);

	add_iv(db, "Nurture group (KS2)", COST_PER_SESSION, 2000);
	serr_clear(&e);
	cr_assert_eq(intervention_find(db, "nURTURE GROUP", &iv, &e), 0,
	    "%s", e.msg);
	cr_expect_eq(iv.id, id);
	intervention_free(&iv);
	cr_assert_eq(intervention_find(db, " Nurture group ", &iv, &e), 0);
	cr_expect_eq(iv.id, id);
	intervention_free(&iv);
	cr_expect_eq(intervention_find(db, "Nurture", &iv, &e), SE_NOTFOUND);
	cr_expect(strstr(e.msg, "Nurture") != NULL, "%s", e.msg);
	cr_expect_eq(intervention_find(db, "", &iv, &e), SE_INVALID);
	cr_expect_eq(intervention_find(db, NULL, &iv, &e), SE_INVALID);
	cr_expect_eq(intervention_get(db, id + 1, &iv, &e), SE_NOTFOUND);
	db_close(db);
}

Test(intervention, update_bumps_version_and_checks_it)
{
	struct db *db = th_db();
	struct intervention a, b, got;
	struct serr e;
	int64_t id = add_iv(db, "Write from the start", COST_PER_SESSION, 800);

	serr_clear(&e);
	cr_assert_eq(intervention_get(db, id, &a, &e), 0);
	cr_assert_eq(intervention_get(db, id, &b, &e), 0);

	db_set_author(db, "Siobhán Kelly");
	a.cost_pence = 950;
	a.basis = COST_PER_HOUR;
	a.area = AREA_SP;
	cr_assert_eq(intervention_update(db, &a, &e), 0, "%s", e.msg);
	cr_expect_eq(a.version, 2);
	cr_expect_str_eq(a.changed_by, "Siobhán Kelly");

	/* b was read before a's change: refused, nothing written. */
	db_set_author(db, "tester");
	b.cost_pence = 1;
	cr_expect_eq(intervention_update(db, &b, &e), SE_CONFLICT);
	cr_expect(strstr(e.msg, "intervention: changed by Siobhán Kelly at ")
	    != NULL, "%s", e.msg);
	cr_expect(strstr(e.msg, "since you opened it") != NULL, "%s", e.msg);
	cr_expect_eq(b.version, 1);

	cr_assert_eq(intervention_get(db, id, &got, &e), 0);
	cr_expect_eq(got.cost_pence, 950);
	cr_expect_eq(got.basis, COST_PER_HOUR);
	cr_expect_eq(got.area, AREA_SP);
	cr_expect_eq(got.version, 2);
	cr_expect_str_eq(got.changed_by, "Siobhán Kelly");
	intervention_free(&got);
	intervention_free(&a);
	intervention_free(&b);
	db_close(db);
}

Test(intervention, update_refusals_write_nothing)
{
	struct db *db = th_db();
	struct intervention iv, got;
	struct serr e;
	int64_t id = add_iv(db, "Fine motor group", COST_PER_SESSION, 300);

	add_iv(db, "Social stories", COST_PER_SESSION, 0);
	serr_clear(&e);
	cr_assert_eq(intervention_get(db, id, &iv, &e), 0);

	snprintf(iv.name, sizeof iv.name, "SOCIAL STORIES");
	cr_expect_eq(intervention_update(db, &iv, &e), SE_EXISTS);
	snprintf(iv.name, sizeof iv.name, " ");
	cr_expect_eq(intervention_update(db, &iv, &e), SE_INVALID);
	snprintf(iv.name, sizeof iv.name, "Fine motor group");
	iv.cost_pence = -300;
	cr_expect_eq(intervention_update(db, &iv, &e), SE_INVALID);

	iv.cost_pence = 300;
	iv.id = id ^ 1;
	cr_expect_eq(intervention_update(db, &iv, &e), SE_NOTFOUND);
	iv.id = id;

	cr_assert_eq(intervention_get(db, id, &got, &e), 0);
	cr_expect_str_eq(got.name, "Fine motor group");
	cr_expect_eq(got.version, 1);
	intervention_free(&got);

	/* Renaming to a different case of its own name is fine. */
	snprintf(iv.name, sizeof iv.name, "Fine Motor Group");
	cr_expect_eq(intervention_update(db, &iv, &e), 0, "%s", e.msg);
	cr_assert_eq(intervention_get(db, id, &got, &e), 0);
	cr_expect_str_eq(got.name, "Fine Motor Group");
	intervention_free(&got);
	intervention_free(&iv);
	db_close(db);
}

struct names {
	char got[8][INTERVENTION_NAME_MAX];
	int n, stop_at;
};

static int
collect_iv(void *ctx, const struct intervention *iv)
{
	struct names *nm = ctx;

	snprintf(nm->got[nm->n++], INTERVENTION_NAME_MAX, "%s", iv->name);
	return nm->n == nm->stop_at ? 42 : 0;
}

Test(intervention, list_by_name_retired_on_request)
{
	struct db *db = th_db();
	struct intervention iv;
	struct names nm = { .n = 0 };
	struct serr e;
	int64_t id;

	add_iv(db, "Zones of Regulation", COST_PER_SESSION, 0);
	add_iv(db, "attention autism", COST_PER_SESSION, 0);
	id = add_iv(db, "Beat Dyslexia", COST_PER_SESSION, 0);
	add_iv(db, "Colourful semantics", COST_PER_SESSION, 0);
	serr_clear(&e);
	cr_assert_eq(intervention_get(db, id, &iv, &e), 0);
	iv.retired = true;
	cr_assert_eq(intervention_update(db, &iv, &e), 0, "%s", e.msg);
	intervention_free(&iv);

	cr_assert_eq(intervention_list(db, false, collect_iv, &nm, &e), 0);
	cr_assert_eq(nm.n, 3);
	cr_expect_str_eq(nm.got[0], "attention autism");
	cr_expect_str_eq(nm.got[1], "Colourful semantics");
	cr_expect_str_eq(nm.got[2], "Zones of Regulation");

	nm.n = 0;
	cr_assert_eq(intervention_list(db, true, collect_iv, &nm, &e), 0);
	cr_assert_eq(nm.n, 4);
	cr_expect_str_eq(nm.got[1], "Beat Dyslexia");

	/* A callback's non-zero return stops the walk and is returned. */
	nm.n = 0;
	nm.stop_at = 2;
	cr_expect_eq(intervention_list(db, true, collect_iv, &nm, &e), 42);
	cr_expect_eq(nm.n, 2);
	db_close(db);
}

/* --- enrolments ------------------------------------------------------- */

Test(enrolment, add_and_get_round_trip)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 1, "Nguyễn", "Minh", 'K', "SPLD", "5");
	int64_t iv = add_iv(db, "Toe by Toe", COST_PER_HOUR, 1500);
	struct enrolment en, got;
	struct serr e;

	fill_en(&en, p, iv);
	serr_clear(&e);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	cr_expect_gt(en.id, 0);
	cr_expect_eq(en.version, 1);
	cr_expect_str_eq(en.changed_by, "tester");

	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0, "%s", e.msg);
	cr_expect_eq(got.pupil_id, p);
	cr_expect_eq(got.intervention_id, iv);
	cr_expect_str_eq(got.staff, "Mrs Ní Bhriain");
	cr_expect_eq(got.group_size, 4);
	cr_expect_eq(got.sessions_per_week, 3);
	cr_expect_eq(got.minutes, 30);
	cr_expect_eq(got.start, date_from_ymd(2026, 1, 12));
	cr_expect_eq(got.end, date_from_ymd(2026, 3, 27));
	cr_expect_not(got.ended);
	cr_expect_str_eq(got.measure, "Salford reading age");
	cr_expect_eq(got.measure_kind, MEASURE_AGE);
	cr_expect_float_eq(got.entry, 86.0, 1e-9);
	cr_expect(isnan(got.exit));
	cr_expect_eq(got.version, 1);

	/* Storage: the kind as a word, a missing score as NULL. */
	cr_expect_eq(th_count(db, "SELECT count(*) FROM enrolment WHERE "
	    "measure_kind = 'age' AND exit_score IS NULL AND entry_score = 86 "
	    "AND start_date = '2026-01-12' AND end_date = '2026-03-27'"), 1);
	db_close(db);
}

Test(enrolment, missing_entry_and_end_stored_as_null)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 2, "Brown", "Zoë", 'K', "SLCN", "2");
	int64_t iv = add_iv(db, "Talk Boost", COST_PER_SESSION, 500);
	struct enrolment en, got;
	struct serr e;

	fill_en(&en, p, iv);
	en.entry = NAN;
	en.end = SDATE_NONE;
	en.staff[0] = '\0';
	en.measure[0] = '\0';
	en.measure_kind = MEASURE_RATING;
	serr_clear(&e);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM enrolment WHERE "
	    "entry_score IS NULL AND end_date IS NULL AND staff IS NULL AND "
	    "measure IS NULL AND measure_kind = 'rating'"), 1);
	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0);
	cr_expect(isnan(got.entry));
	cr_expect_eq(got.end, SDATE_NONE);
	cr_expect_eq(got.measure_kind, MEASURE_RATING);
	cr_expect_str_eq(got.staff, "");
	db_close(db);
}

Test(enrolment, limits_accepted)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 3, "Kowalski", "Łukasz", 'K', "MLD", "6");
	int64_t iv = add_iv(db, "Maths catch-up", COST_PER_SESSION, 500);
	struct enrolment en;
	struct serr e;

	serr_clear(&e);
	fill_en(&en, p, iv);
	en.sessions_per_week = 0;
	en.minutes = 0;
	en.group_size = 1;
	en.end = en.start;
	en.entry = -3.5;
	cr_expect_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	fill_en(&en, p, iv);
	en.sessions_per_week = 50;
	en.minutes = 600;
	en.group_size = 30;
	cr_expect_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM enrolment"), 2);
	db_close(db);
}

Test(enrolment, refuses_bad_fields_and_writes_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 4, "O'Neill", "Siobhán", 'K', "SEMH", "8");
	int64_t iv = add_iv(db, "Drawing and talking", COST_PER_SESSION, 0);
	struct enrolment en;
	struct serr e;

	serr_clear(&e);
	fill_en(&en, p, iv);
	en.group_size = 0;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "group size") != NULL, "%s", e.msg);

	fill_en(&en, p, iv);
	en.sessions_per_week = -1;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	en.sessions_per_week = 51;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "sessions a week") != NULL, "%s", e.msg);

	fill_en(&en, p, iv);
	en.minutes = -1;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	en.minutes = 601;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "minutes") != NULL, "%s", e.msg);

	fill_en(&en, p, iv);
	en.start = SDATE_NONE;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "start date is required") != NULL, "%s",
	    e.msg);

	fill_en(&en, p, iv);
	en.end = en.start - 1;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "before the start") != NULL, "%s", e.msg);

	fill_en(&en, p, iv);
	en.entry = INFINITY;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	en.entry = -INFINITY;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);

	fill_en(&en, p, iv);
	en.measure_kind = (enum measure_kind)9;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);

	/* An exit score or ended flag needs an end date. */
	fill_en(&en, p, iv);
	en.end = SDATE_NONE;
	en.exit = 95;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);
	en.exit = NAN;
	en.ended = true;
	cr_expect_eq(enrolment_add(db, &en, &e), SE_INVALID);

	cr_expect_eq(th_count(db, "SELECT count(*) FROM enrolment"), 0);
	db_close(db);
}

Test(enrolment, refuses_missing_or_archived_pupil)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 5, "Adeyemi", "Tolu", 'K', "ASD", "3");
	int64_t iv = add_iv(db, "Attention Autism", COST_PER_SESSION, 0);
	struct enrolment en;
	struct serr e;

	serr_clear(&e);
	fill_en(&en, p ^ 1, iv);
	cr_expect_eq(enrolment_add(db, &en, &e), SE_NOTFOUND);
	cr_expect(strstr(e.msg, "no pupil") != NULL, "%s", e.msg);

	cr_assert_eq(pupil_archive(db, p, true, SDATE_NONE, &e), 0, "%s",
	    e.msg);
	fill_en(&en, p, iv);
	cr_expect_eq(enrolment_add(db, &en, &e), SE_STATE);
	cr_expect(strstr(e.msg, "archived") != NULL, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM enrolment"), 0);

	cr_assert_eq(pupil_archive(db, p, false, SDATE_NONE, &e), 0, "%s",
	    e.msg);
	cr_expect_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	db_close(db);
}

Test(enrolment, refuses_missing_or_retired_intervention)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 6, "Li", "李", 'K', "SLCN", "1");
	int64_t iv = add_iv(db, "Old phonics scheme", COST_PER_SESSION, 0);
	struct intervention cat;
	struct enrolment en;
	struct serr e;

	serr_clear(&e);
	fill_en(&en, p, iv ^ 1);
	cr_expect_eq(enrolment_add(db, &en, &e), SE_NOTFOUND);
	cr_expect(strstr(e.msg, "no intervention") != NULL, "%s", e.msg);

	cr_assert_eq(intervention_get(db, iv, &cat, &e), 0);
	cat.retired = true;
	cr_assert_eq(intervention_update(db, &cat, &e), 0, "%s", e.msg);
	intervention_free(&cat);
	fill_en(&en, p, iv);
	cr_expect_eq(enrolment_add(db, &en, &e), SE_STATE);
	cr_expect(strstr(e.msg, "Old phonics scheme") != NULL, "%s", e.msg);
	cr_expect(strstr(e.msg, "retired") != NULL, "%s", e.msg);
	cr_expect_eq(th_count(db, "SELECT count(*) FROM enrolment"), 0);
	db_close(db);
}

Test(enrolment, added_with_exit_is_ended)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 7, "Evans", "Megan", 'K', "SPLD", "7");
	int64_t iv = add_iv(db, "Lexia", COST_PER_SESSION, 0);
	struct enrolment en, got;
	struct serr e;

	fill_en(&en, p, iv);
	en.exit = 97;
	serr_clear(&e);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0);
	cr_expect(got.ended);
	cr_expect_float_eq(got.exit, 97.0, 1e-9);
	cr_expect_eq(enrolment_end(db, en.id, SDATE_NONE, &e), SE_STATE);
	db_close(db);
}

Test(enrolment, exit_records_score_and_finishes)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 8, "Murphy", "Aoife", 'K', "SPLD", "4");
	int64_t iv = add_iv(db, "Reading Recovery", COST_PER_SESSION, 0);
	struct enrolment en, got;
	struct serr e;

	fix_today("2026-03-20");
	fill_en(&en, p, iv);
	serr_clear(&e);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	db_set_author(db, "Zoë Clarke");
	cr_assert_eq(enrolment_exit(db, en.id, 98.5, SDATE_NONE, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0);
	cr_expect(got.ended);
	cr_expect_float_eq(got.exit, 98.5, 1e-9);
	cr_expect_float_eq(got.entry, 86.0, 1e-9);
	cr_expect_eq(got.end, date_from_ymd(2026, 3, 20));
	cr_expect_eq(got.version, 2);
	cr_expect_str_eq(got.changed_by, "Zoë Clarke");

	/* Only once. */
	cr_expect_eq(enrolment_exit(db, en.id, 99, SDATE_NONE, &e), SE_STATE);
	cr_expect(strstr(e.msg, "already ended on 2026-03-20") != NULL, "%s",
	    e.msg);
	cr_expect_eq(enrolment_end(db, en.id, SDATE_NONE, &e), SE_STATE);
	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0);
	cr_expect_float_eq(got.exit, 98.5, 1e-9);
	cr_expect_eq(got.version, 2);
	db_close(db);
}

Test(enrolment, exit_refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 9, "Patel", "Priya", 'K', "HI", "9");
	int64_t iv = add_iv(db, "Sound Discovery", COST_PER_SESSION, 0);
	struct enrolment en, got;
	struct serr e;

	fill_en(&en, p, iv);
	serr_clear(&e);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	cr_expect_eq(enrolment_exit(db, en.id, NAN, en.end, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "exit score is required") != NULL, "%s",
	    e.msg);
	cr_expect_eq(enrolment_exit(db, en.id, INFINITY, en.end, &e),
	    SE_INVALID);
	cr_expect_eq(enrolment_exit(db, en.id, 90, en.start - 1, &e),
	    SE_INVALID);
	cr_expect(strstr(e.msg, "before the start") != NULL, "%s", e.msg);
	/* Defaulting to a today before the start is refused too. */
	fix_today("2026-01-11");
	cr_expect_eq(enrolment_exit(db, en.id, 90, SDATE_NONE, &e),
	    SE_INVALID);
	cr_expect_eq(enrolment_exit(db, en.id ^ 1, 90, en.end, &e),
	    SE_NOTFOUND);
	cr_expect_eq(enrolment_end(db, en.id ^ 1, en.end, &e), SE_NOTFOUND);

	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0);
	cr_expect_not(got.ended);
	cr_expect(isnan(got.exit));
	cr_expect_eq(got.end, en.end);
	cr_expect_eq(got.version, 1);

	/* Exit on the start day is allowed. */
	cr_expect_eq(enrolment_exit(db, en.id, 90, en.start, &e), 0, "%s",
	    e.msg);
	db_close(db);
}

Test(enrolment, end_without_exit)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 10, "Hughes", "Rhys", 'K', "SEMH", "10");
	int64_t iv = add_iv(db, "ELSA", COST_PER_SESSION, 0);
	struct enrolment en, late, got;
	struct serr e;

	fix_today("2026-02-02");
	fill_en(&en, p, iv);
	serr_clear(&e);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	cr_assert_eq(enrolment_end(db, en.id, SDATE_NONE, &e), 0, "%s", e.msg);
	cr_assert_eq(enrolment_get(db, en.id, &got, &e), 0);
	cr_expect(got.ended);
	cr_expect(isnan(got.exit));
	cr_expect_eq(got.end, date_from_ymd(2026, 2, 2));
	cr_expect_eq(got.version, 2);
	cr_expect_eq(enrolment_exit(db, en.id, 95, SDATE_NONE, &e), SE_STATE);

	/* An enrolment that never began ends on its start day. */
	fill_en(&late, p, iv);
	late.start = date_from_ymd(2026, 4, 20);
	late.end = date_from_ymd(2026, 7, 10);
	cr_assert_eq(enrolment_add(db, &late, &e), 0, "%s", e.msg);
	cr_assert_eq(enrolment_end(db, late.id, SDATE_NONE, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(enrolment_get(db, late.id, &got, &e), 0);
	cr_expect_eq(got.end, late.start);
	db_close(db);
}

struct ids {
	int64_t got[8];
	int n;
};

static int
collect_en(void *ctx, const struct enrolment *en)
{
	struct ids *ids = ctx;

	cr_assert_lt(ids->n, 8);
	ids->got[ids->n++] = en->pupil_id;
	return 0;
}

static int
collect_en_iv(void *ctx, const struct enrolment *en)
{
	struct ids *ids = ctx;

	cr_assert_lt(ids->n, 8);
	ids->got[ids->n++] = en->intervention_id;
	return 0;
}

Test(enrolment, list_pupil_newest_start_first)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 11, "Okafor", "Chidi", 'K', "MLD", "5");
	int64_t other = th_pupil(db, 12, "Smith", "Amy", 'K', "MLD", "5");
	int64_t a = add_iv(db, "A first", COST_PER_SESSION, 0);
	int64_t b = add_iv(db, "B second", COST_PER_SESSION, 0);
	int64_t c = add_iv(db, "C third", COST_PER_SESSION, 0);
	struct enrolment en;
	struct ids ids = { .n = 0 };
	struct serr e;

	serr_clear(&e);
	fill_en(&en, p, b);
	en.start = date_from_ymd(2025, 11, 3);
	en.end = SDATE_NONE;
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	fill_en(&en, p, c);
	en.start = date_from_ymd(2026, 2, 23);
	en.end = SDATE_NONE;
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	fill_en(&en, p, a);
	en.start = date_from_ymd(2025, 9, 8);
	en.end = SDATE_NONE;
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	fill_en(&en, other, a);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);

	cr_assert_eq(enrolment_list_pupil(db, p, collect_en_iv, &ids, &e), 0);
	cr_assert_eq(ids.n, 3);
	cr_expect_eq(ids.got[0], c);
	cr_expect_eq(ids.got[1], b);
	cr_expect_eq(ids.got[2], a);
	db_close(db);
}

Test(enrolment, list_intervention_by_surname)
{
	struct db *db = th_db();
	int64_t zhou = th_pupil(db, 13, "Zhou", "Wei", 'K', "SLCN", "3");
	int64_t brown = th_pupil(db, 14, "brown", "Zoë", 'K', "SLCN", "3");
	int64_t okafor = th_pupil(db, 15, "Okafor", "Ada", 'K', "SLCN", "3");
	int64_t clarke = th_pupil(db, 16, "Clarke", "Łucja", 'K', "SLCN", "3");
	int64_t iv = add_iv(db, "Language for Thinking", COST_PER_SESSION, 0);
	int64_t other = add_iv(db, "Elsewhere", COST_PER_SESSION, 0);
	int64_t order[] = { zhou, brown, okafor, clarke };
	struct enrolment en;
	struct ids ids = { .n = 0 };
	struct serr e;

	serr_clear(&e);
	for (int i = 0; i < 4; i++) {
		fill_en(&en, order[i], iv);
		cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);
	}
	fill_en(&en, zhou, other);
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);

	cr_assert_eq(enrolment_list_intervention(db, iv, collect_en, &ids,
	    &e), 0);
	cr_assert_eq(ids.n, 4);
	cr_expect_eq(ids.got[0], brown);
	cr_expect_eq(ids.got[1], clarke);
	cr_expect_eq(ids.got[2], okafor);
	cr_expect_eq(ids.got[3], zhou);
	db_close(db);
}
