/*
 * test_cycle.c: the graduated-approach cycle: start, advance, update,
 * the text fields, close with each decision, and the one-open-cycle rule.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/cycle.h"
#include "core/pupil.h"
#include "helpers.h"

/* A Monday; every test runs on this day. */
#define TODAY "2026-11-23"

static void
setup(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
	date_set_style(DATE_STYLE_UK);
}

TestSuite(cycle, .init = setup, .fini = th_cleanup);

static sdate
D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* One integer from SQL text with an optional id parameter. */
static int64_t
q_int(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s", sqlite3_errmsg(db_handle(db)));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
n_cycles(struct db *db)
{
	return q_int(db, "SELECT count(*) FROM cycle", 0);
}

static int64_t
start_ok(struct db *db, int64_t pupil, sdate start, sdate review, int weeks)
{
	struct serr e;
	struct cycle c;
	int64_t id;

	serr_clear(&e);
	cr_assert_eq(cycle_start(db, pupil, start, review, weeks, &c, &e), 0,
	    "cycle_start: %s", e.msg);
	id = c.id;
	cycle_free(&c);
	return id;
}

/* --- start ------------------------------------------------------------- */

Test(cycle, start_defaults_today_and_twelve_weeks)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	struct cycle c;
	struct serr e;

	cr_assert_eq(cycle_start(db, p, SDATE_NONE, SDATE_NONE, 0, &c, &e), 0,
	    "%s", e.msg);
	cr_assert_neq(c.id, 0);
	cr_assert_eq(c.pupil_id, p);
	cr_assert_eq(c.stage, STAGE_ASSESS);
	cr_assert_eq(c.plan_start, D(2026, 11, 23));
	cr_assert_eq(c.review_date, D(2026, 11, 23) + 84);
	cr_assert_eq(c.plan_end, c.review_date);
	cr_assert_eq(c.decision, DECISION_NONE);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cr_assert_eq(c.carried_from, 0);
	cr_assert_eq(c.version, 1);
	cr_assert_str_eq(c.changed_by, "tester");
	cr_assert_neq(c.created_at[0], '\0');
	for (int i = 0; i < STAGE_COUNT; i++)
		cr_assert_null(c.notes[i]);
	cr_assert_null(c.parent_voice);
	cr_assert_null(c.pupil_voice);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, start_negative_weeks_means_twelve)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 2, "Ó Briain", "Siobhán", 'K', "SLCN", "5");
	struct cycle c;

	cr_assert_eq(cycle_start(db, p, D(2026, 9, 7), SDATE_NONE, -3, &c,
	    NULL), 0);
	cr_assert_eq(c.review_date, D(2026, 11, 30));
	cycle_free(&c);
	db_close(db);
}

Test(cycle, start_given_start_and_weeks)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 3, "Kowalski", "Łukasz", 'K', "ASD", "6");
	struct cycle c;

	cr_assert_eq(cycle_start(db, p, D(2026, 9, 7), SDATE_NONE, 10, &c,
	    NULL), 0);
	cr_assert_eq(c.plan_start, D(2026, 9, 7));
	cr_assert_eq(c.review_date, D(2026, 11, 16));
	cr_assert_eq(c.plan_end, D(2026, 11, 16));
	cycle_free(&c);
	db_close(db);
}

Test(cycle, start_given_review_date)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 4, "Nguyễn", "An", 'K', "MLD", "3");
	struct cycle c;

	cr_assert_eq(cycle_start(db, p, D(2026, 9, 7), D(2026, 12, 11), 10,
	    &c, NULL), 0);
	cr_assert_eq(c.review_date, D(2026, 12, 11));
	cr_assert_eq(c.plan_end, D(2026, 12, 11));
	cycle_free(&c);
	db_close(db);
}

/* A review on the start day itself is allowed (the boundary). */
Test(cycle, start_review_on_start_day)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 40, "Nguyễn", "Bình", 'K', "MLD", "3");
	struct cycle c;

	cr_assert_eq(cycle_start(db, p, D(2026, 9, 7), D(2026, 9, 7), 0, &c,
	    NULL), 0);
	cr_assert_eq(c.review_date, D(2026, 9, 7));
	cycle_free(&c);
	db_close(db);
}

Test(cycle, start_without_out)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 5, "李", "明", 'K', "SEMH", "2");

	cr_assert_eq(cycle_start(db, p, SDATE_NONE, SDATE_NONE, 0, NULL, NULL),
	    0);
	cr_assert_eq(n_cycles(db), 1);
	db_close(db);
}

Test(cycle, start_refuses_review_before_start)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 6, "Brown", "Zoë", 'K', "SPLD", "4");
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_start(db, p, D(2026, 9, 7), D(2026, 9, 6), 0, NULL,
	    &e), SE_INVALID);
	cr_assert(strstr(e.msg, "06/09/2026") != NULL, "%s", e.msg);
	cr_assert(strstr(e.msg, "before") != NULL, "%s", e.msg);
	cr_assert_eq(n_cycles(db), 0);
	db_close(db);
}

Test(cycle, start_refuses_second_open_cycle)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 7, "Brown", "Zoë", 'K', "SPLD", "4");
	char upn[UPN_LEN + 1];
	struct serr e;

	start_ok(db, p, D(2026, 9, 7), D(2026, 12, 4), 0);
	serr_clear(&e);
	cr_assert_eq(cycle_start(db, p, SDATE_NONE, SDATE_NONE, 0, NULL, &e),
	    SE_EXISTS);
	th_upn(7, upn);
	cr_assert(strstr(e.msg, upn) != NULL, "no UPN in: %s", e.msg);
	cr_assert(strstr(e.msg, "04/12/2026") != NULL, "no date in: %s",
	    e.msg);
	cr_assert_eq(n_cycles(db), 1);
	db_close(db);
}

Test(cycle, open_cycles_of_two_pupils_are_independent)
{
	struct db *db = th_db();
	int64_t a = th_pupil(db, 8, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t b = th_pupil(db, 9, "Kowalski", "Łukasz", 'K', "ASD", "6");

	start_ok(db, a, SDATE_NONE, SDATE_NONE, 0);
	start_ok(db, b, SDATE_NONE, SDATE_NONE, 0);
	cr_assert_eq(n_cycles(db), 2);
	db_close(db);
}

Test(cycle, start_refuses_missing_pupil)
{
	struct db *db = th_db();
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_start(db, 12345, SDATE_NONE, SDATE_NONE, 0, NULL,
	    &e), SE_NOTFOUND);
	cr_assert(strstr(e.msg, "pupil") != NULL, "%s", e.msg);
	cr_assert_eq(n_cycles(db), 0);
	db_close(db);
}

Test(cycle, start_refuses_archived_pupil)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 10, "Brown", "Zoë", 'K', "SPLD", "4");
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(pupil_archive(db, p, true, D(2026, 10, 1), &e), 0, "%s",
	    e.msg);
	cr_assert_eq(cycle_start(db, p, SDATE_NONE, SDATE_NONE, 0, NULL, &e),
	    SE_STATE);
	cr_assert(strstr(e.msg, "archived") != NULL, "%s", e.msg);
	cr_assert_eq(n_cycles(db), 0);
	db_close(db);
}

/* --- reading ------------------------------------------------------------ */

Test(cycle, get_and_open_for)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 11, "Brown", "Zoë", 'K', "SPLD", "4");
	struct cycle c;
	struct serr e;
	int64_t id;

	serr_clear(&e);
	cr_assert_eq(cycle_open_for(db, p, &c, &e), SE_NOTFOUND);
	cr_assert(strstr(e.msg, "no open cycle") != NULL, "%s", e.msg);
	id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	cr_assert_eq(cycle_open_for(db, p, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c.id, id);
	cycle_free(&c);
	cr_assert_eq(cycle_get(db, id, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c.pupil_id, p);
	cycle_free(&c);
	cr_assert_eq(cycle_get(db, id + 1, &c, &e), SE_NOTFOUND);
	cr_assert_eq(cycle_close(db, id, DECISION_EHC, SDATE_NONE, 0, NULL,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(cycle_open_for(db, p, &c, &e), SE_NOTFOUND);
	db_close(db);
}

struct ids {
	int64_t id[8];
	int n, stop_at;
};

static int
collect(void *ctx, const struct cycle *c)
{
	struct ids *ids = ctx;

	ids->id[ids->n++] = c->id;
	return ids->n == ids->stop_at ? 42 : 0;
}

Test(cycle, list_newest_first)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 12, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t q = th_pupil(db, 13, "Kowalski", "Łukasz", 'K', "ASD", "6");
	struct ids ids = { .n = 0 };
	struct cycle c2, c3;
	int64_t c1;

	c1 = start_ok(db, p, D(2025, 9, 8), SDATE_NONE, 0);
	cr_assert_eq(cycle_close(db, c1, DECISION_CONTINUE, D(2025, 12, 1), 0,
	    &c2, NULL), 0);
	cr_assert_eq(cycle_close(db, c2.id, DECISION_INCREASE, D(2026, 3, 2),
	    0, &c3, NULL), 0);
	start_ok(db, q, SDATE_NONE, SDATE_NONE, 0);

	cr_assert_eq(cycle_list(db, p, collect, &ids, NULL), 0);
	cr_assert_eq(ids.n, 3);
	cr_assert_eq(ids.id[0], c3.id);
	cr_assert_eq(ids.id[1], c2.id);
	cr_assert_eq(ids.id[2], c1);

	/* A callback's non-zero return stops the walk and comes back. */
	ids.n = 0;
	ids.stop_at = 2;
	cr_assert_eq(cycle_list(db, p, collect, &ids, NULL), 42);
	cr_assert_eq(ids.n, 2);

	ids.n = 0;
	ids.stop_at = 0;
	cr_assert_eq(cycle_list(db, 999, collect, &ids, NULL), 0);
	cr_assert_eq(ids.n, 0);
	cycle_free(&c2);
	cycle_free(&c3);
	db_close(db);
}

/* Cycles closed and restarted on the same day still list newest first. */
Test(cycle, list_same_day_restart)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 14, "Brown", "Zoë", 'K', "SPLD", "4");
	struct ids ids = { .n = 0 };
	struct cycle next;
	int64_t c1;

	c1 = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	cr_assert_eq(cycle_close(db, c1, DECISION_CONTINUE, SDATE_NONE, 0,
	    &next, NULL), 0);
	cr_assert_eq(cycle_list(db, p, collect, &ids, NULL), 0);
	cr_assert_eq(ids.n, 2);
	cr_assert_eq(ids.id[0], next.id);
	cr_assert_eq(ids.id[1], c1);
	cycle_free(&next);
	db_close(db);
}

/* --- advance ------------------------------------------------------------ */

Test(cycle, advance_through_the_stages)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 15, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	static const enum stage want[] = { STAGE_PLAN, STAGE_DO, STAGE_REVIEW };
	struct cycle c;
	struct serr e;

	for (int i = 0; i < 3; i++) {
		serr_clear(&e);
		cr_assert_eq(cycle_advance(db, id, &e), 0, "%s", e.msg);
		cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
		cr_assert_eq(c.stage, want[i]);
		cr_assert_eq(c.version, 2 + i);
		cycle_free(&c);
	}
	cr_assert_eq(cycle_advance(db, id, &e), SE_STATE);
	cr_assert(strstr(e.msg, "close the cycle with a decision") != NULL,
	    "%s", e.msg);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.stage, STAGE_REVIEW);
	cr_assert_eq(c.version, 4);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, advance_refuses_closed_and_missing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 16, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	cr_assert_eq(cycle_close(db, id, DECISION_EHC, SDATE_NONE, 0, NULL,
	    NULL), 0);
	serr_clear(&e);
	cr_assert_eq(cycle_advance(db, id, &e), SE_STATE);
	cr_assert(strstr(e.msg, "closed") != NULL, "%s", e.msg);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.version, 2);
	cycle_free(&c);
	cr_assert_eq(cycle_advance(db, id + 1, &e), SE_NOTFOUND);
	db_close(db);
}

/* --- update ------------------------------------------------------------- */

Test(cycle, update_writes_everything_and_round_trips_utf8)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 17, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	const char *voice = "Zoë says: « j'aime lire » — 李明 helps; Łódź 😀";
	struct cycle c, back;
	struct serr e;

	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	c.notes[STAGE_ASSESS] = strdup("Dyslexia screener: high risk");
	c.notes[STAGE_PLAN] = strdup("Precision teaching 3×10 min");
	c.notes[STAGE_DO] = strdup("Siobhán runs the group");
	c.notes[STAGE_REVIEW] = strdup("Good progress");
	c.parent_voice = strdup("Mum is pleased; wants reading at home");
	c.pupil_voice = strdup(voice);
	c.stage = STAGE_DO;
	c.plan_start = D(2026, 9, 14);
	c.plan_end = D(2026, 12, 4);
	c.review_date = D(2026, 12, 7);
	serr_clear(&e);
	cr_assert_eq(cycle_update(db, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c.version, 2);

	cr_assert_eq(cycle_get(db, id, &back, NULL), 0);
	cr_assert_eq(back.version, 2);
	cr_assert_eq(back.stage, STAGE_DO);
	cr_assert_eq(back.plan_start, D(2026, 9, 14));
	cr_assert_eq(back.plan_end, D(2026, 12, 4));
	cr_assert_eq(back.review_date, D(2026, 12, 7));
	cr_assert_str_eq(back.notes[STAGE_ASSESS], "Dyslexia screener: high risk");
	cr_assert_str_eq(back.notes[STAGE_PLAN], "Precision teaching 3×10 min");
	cr_assert_str_eq(back.notes[STAGE_DO], "Siobhán runs the group");
	cr_assert_str_eq(back.notes[STAGE_REVIEW], "Good progress");
	cr_assert_str_eq(back.parent_voice,
	    "Mum is pleased; wants reading at home");
	cr_assert_str_eq(back.pupil_voice, voice);
	cr_assert_str_eq(back.updated_at, c.updated_at);
	cycle_free(&back);

	/* A second save from the same copy works: its version moved on. */
	free(c.notes[STAGE_REVIEW]);
	c.notes[STAGE_REVIEW] = NULL;
	cr_assert_eq(cycle_update(db, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(cycle_get(db, id, &back, NULL), 0);
	cr_assert_null(back.notes[STAGE_REVIEW]);
	cr_assert_eq(back.version, 3);
	cycle_free(&back);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, update_conflict_between_two_copies)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 18, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	struct cycle a, b, back;
	struct serr e;

	cr_assert_eq(cycle_get(db, id, &a, NULL), 0);
	cr_assert_eq(cycle_get(db, id, &b, NULL), 0);
	a.parent_voice = strdup("from copy A");
	b.parent_voice = strdup("from copy B");
	cr_assert_eq(cycle_update(db, &a, NULL), 0);
	db_set_author(db, "ms.khan");
	serr_clear(&e);
	cr_assert_eq(cycle_update(db, &b, &e), SE_CONFLICT);
	cr_assert(strstr(e.msg, "cycle: changed by tester at ") == e.msg,
	    "%s", e.msg);
	cr_assert(strstr(e.msg, "since you opened it") != NULL, "%s", e.msg);
	cr_assert_eq(b.version, 1);
	cr_assert_eq(cycle_get(db, id, &back, NULL), 0);
	cr_assert_str_eq(back.parent_voice, "from copy A");
	cr_assert_str_eq(back.changed_by, "tester");
	cr_assert_eq(back.version, 2);
	cycle_free(&back);

	/* A stage moved on by someone else is a change too. */
	cr_assert_eq(cycle_advance(db, id, NULL), 0);
	cr_assert_eq(cycle_update(db, &a, &e), SE_CONFLICT);
	cr_assert(strstr(e.msg, "changed by ms.khan") != NULL, "%s", e.msg);
	cycle_free(&a);
	cycle_free(&b);
	db_close(db);
}

Test(cycle, update_refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 19, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), D(2026, 12, 4), 0);
	struct cycle c, back;
	struct serr e;

	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	c.pupil_voice = strdup("should not be saved");

	c.plan_end = D(2026, 9, 6);
	serr_clear(&e);
	cr_assert_eq(cycle_update(db, &c, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "plan") != NULL, "%s", e.msg);
	c.plan_end = D(2026, 12, 4);

	c.review_date = D(2026, 9, 1);
	cr_assert_eq(cycle_update(db, &c, &e), SE_INVALID);
	c.review_date = SDATE_NONE;
	cr_assert_eq(cycle_update(db, &c, &e), SE_INVALID);
	c.review_date = D(2026, 12, 4);

	c.plan_start = SDATE_NONE;
	cr_assert_eq(cycle_update(db, &c, &e), SE_INVALID);
	c.plan_start = D(2026, 9, 7);

	c.stage = (enum stage)7;
	cr_assert_eq(cycle_update(db, &c, &e), SE_INVALID);
	c.stage = STAGE_PLAN;

	c.id = id + 1;
	cr_assert_eq(cycle_update(db, &c, &e), SE_NOTFOUND);
	c.id = id;

	cr_assert_eq(cycle_get(db, id, &back, NULL), 0);
	cr_assert_eq(back.version, 1);
	cr_assert_null(back.pupil_voice);
	cr_assert_eq(back.stage, STAGE_ASSESS);
	cycle_free(&back);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, update_closed_cycle_keeps_review_stage)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 20, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	cr_assert_eq(cycle_close(db, id, DECISION_EHC, D(2026, 11, 20), 0,
	    NULL, NULL), 0);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	c.stage = STAGE_DO;
	serr_clear(&e);
	cr_assert_eq(cycle_update(db, &c, &e), SE_STATE);
	c.stage = STAGE_REVIEW;
	c.plan_start = D(2026, 11, 21);
	cr_assert_eq(cycle_update(db, &c, &e), SE_INVALID);
	c.plan_start = D(2026, 9, 7);
	/* Correcting the notes of a closed cycle is allowed. */
	c.notes[STAGE_REVIEW] = strdup("typo fixed");
	cr_assert_eq(cycle_update(db, &c, &e), 0, "%s", e.msg);
	cycle_free(&c);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_str_eq(c.notes[STAGE_REVIEW], "typo fixed");
	cr_assert_eq(c.closed_on, D(2026, 11, 20));
	cr_assert_eq(c.decision, DECISION_EHC);
	cycle_free(&c);
	db_close(db);
}

/* --- set_text ----------------------------------------------------------- */

Test(cycle, set_text_each_field)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 21, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	static const char *const fields[] = {
		"assess", "plan", "do", "review", "parent", "pupil"
	};
	char text[64];
	struct cycle c;
	struct serr e;

	for (int i = 0; i < 6; i++) {
		snprintf(text, sizeof text, "%s: Łukasz ✓", fields[i]);
		serr_clear(&e);
		cr_assert_eq(cycle_set_text(db, id, fields[i], text, &e), 0,
		    "%s", e.msg);
	}
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_str_eq(c.notes[STAGE_ASSESS], "assess: Łukasz ✓");
	cr_assert_str_eq(c.notes[STAGE_PLAN], "plan: Łukasz ✓");
	cr_assert_str_eq(c.notes[STAGE_DO], "do: Łukasz ✓");
	cr_assert_str_eq(c.notes[STAGE_REVIEW], "review: Łukasz ✓");
	cr_assert_str_eq(c.parent_voice, "parent: Łukasz ✓");
	cr_assert_str_eq(c.pupil_voice, "pupil: Łukasz ✓");
	cr_assert_eq(c.version, 7);
	cycle_free(&c);

	/* Empty clears. */
	cr_assert_eq(cycle_set_text(db, id, "parent", "", NULL), 0);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_null(c.parent_voice);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, set_text_refusals)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 22, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_set_text(db, id, "notes", "x", &e), SE_INVALID);
	cr_assert(strstr(e.msg, "notes") != NULL, "%s", e.msg);
	cr_assert_eq(cycle_set_text(db, id, "Assess", "x", &e), SE_INVALID);
	cr_assert_eq(cycle_set_text(db, id, "assess_notes", "x", &e),
	    SE_INVALID);
	cr_assert_eq(cycle_set_text(db, id, NULL, "x", &e), SE_INVALID);
	cr_assert_eq(cycle_set_text(db, id + 1, "assess", "x", &e),
	    SE_NOTFOUND);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.version, 1);
	cr_assert_null(c.notes[STAGE_ASSESS]);
	cycle_free(&c);
	db_close(db);
}

/* --- close ------------------------------------------------------------- */

Test(cycle, close_refuses_no_decision)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 23, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, SDATE_NONE, SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_NONE, SDATE_NONE, 0, NULL,
	    &e), SE_INVALID);
	cr_assert(strstr(e.msg, "decision") != NULL, "%s", e.msg);
	cr_assert_eq(cycle_close(db, id, DECISION_COUNT, SDATE_NONE, 0, NULL,
	    &e), SE_INVALID);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cr_assert_eq(c.version, 1);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, close_refuses_before_plan_start_and_missing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 24, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_REMOVE, D(2026, 9, 6), 0,
	    NULL, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "07/09/2026") != NULL, "%s", e.msg);
	cr_assert_eq(cycle_close(db, id + 1, DECISION_CONTINUE, SDATE_NONE, 0,
	    NULL, &e), SE_NOTFOUND);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cycle_free(&c);
	/* The status was not touched by the refused REMOVE. */
	cr_assert_eq(q_int(db, "SELECT count(*) FROM sen_status WHERE "
	    "pupil_id = ?", p), 1);
	db_close(db);
}

Test(cycle, close_refuses_closed_cycle)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 25, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	cr_assert_eq(cycle_close(db, id, DECISION_EHC, D(2026, 11, 2), 0, NULL,
	    NULL), 0);
	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, SDATE_NONE, 0, &c,
	    &e), SE_STATE);
	cr_assert(strstr(e.msg, "already closed on 02/11/2026") != NULL, "%s",
	    e.msg);
	cr_assert_eq(c.id, 0);
	cr_assert_eq(n_cycles(db), 1);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.decision, DECISION_EHC);
	cr_assert_eq(c.closed_on, D(2026, 11, 2));
	cycle_free(&c);
	db_close(db);
}

Test(cycle, close_ehc_leaves_status_and_starts_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 26, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c, next;
	struct pupil pu;

	cr_assert_eq(cycle_close(db, id, DECISION_EHC, SDATE_NONE, 0, &next,
	    NULL), 0);
	cr_assert_eq(next.id, 0, "EHC must not start a cycle");
	cr_assert_eq(n_cycles(db), 1);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.decision, DECISION_EHC);
	cr_assert_eq(c.closed_on, D(2026, 11, 23));	/* today */
	cr_assert_eq(c.stage, STAGE_REVIEW);
	cr_assert_eq(c.version, 2);
	cycle_free(&c);
	cr_assert_eq(pupil_get(db, p, &pu, NULL), 0);
	cr_assert_eq(pu.status, 'K');
	db_close(db);
}

/* A pupil whose status K began on 1 September 2026. */
static int64_t
pupil_since_september(struct db *db, int serial)
{
	int64_t p;

	setenv("SENCO_TODAY", "2026-09-01", 1);
	p = th_pupil(db, serial, "Brown", "Zoë", 'K', "SPLD", "4");
	setenv("SENCO_TODAY", TODAY, 1);
	return p;
}

Test(cycle, close_remove_sets_status_n)
{
	struct db *db = th_db();
	int64_t p = pupil_since_september(db, 27);
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c, next;
	struct pupil pu;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_REMOVE, D(2026, 11, 20), 0,
	    &next, &e), 0, "%s", e.msg);
	cr_assert_eq(next.id, 0, "REMOVE must not start a cycle");
	cr_assert_eq(n_cycles(db), 1);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.decision, DECISION_REMOVE);
	cr_assert_eq(c.closed_on, D(2026, 11, 20));
	cycle_free(&c);

	cr_assert_eq(pupil_get(db, p, &pu, &e), 0, "%s", e.msg);
	cr_assert_eq(pu.status, 'N');
	cr_assert_eq(pu.status_since, D(2026, 11, 20));
	/* The history: the K row closed the day before, an open N row. */
	cr_assert_eq(q_int(db, "SELECT count(*) FROM sen_status WHERE "
	    "pupil_id = ? AND status = 'K' AND end_date = '2026-11-19'", p), 1);
	cr_assert_eq(q_int(db, "SELECT count(*) FROM sen_status WHERE "
	    "pupil_id = ? AND status = 'N' AND start_date = '2026-11-20' AND "
	    "end_date IS NULL", p), 1);
	db_close(db);
}

/* When the status change is refused the close is not saved either. */
Test(cycle, close_remove_is_one_transaction)
{
	struct db *db = th_db();
	/* Status K from today, so N cannot start before it. */
	int64_t p = th_pupil(db, 33, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c;
	struct pupil pu;
	struct serr e;

	serr_clear(&e);
	cr_assert_lt(cycle_close(db, id, DECISION_REMOVE, D(2026, 11, 20), 0,
	    NULL, &e), 0);
	cr_assert_not(db_in_transaction(db));
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cr_assert_eq(c.decision, DECISION_NONE);
	cr_assert_eq(c.version, 1);
	cycle_free(&c);
	cr_assert_eq(pupil_get(db, p, &pu, NULL), 0);
	cr_assert_eq(pu.status, 'K');
	db_close(db);
}

Test(cycle, close_refuses_future_date)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 34, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 9, 7), SDATE_NONE, 0);
	struct cycle c;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, D(2026, 11, 24), 0,
	    &c, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "future") != NULL, "%s", e.msg);
	cr_assert_eq(n_cycles(db), 1);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cycle_free(&c);
	db_close(db);
}

Test(cycle, close_continue_starts_next_cycle)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 28, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 6, 1), SDATE_NONE, 0);
	struct cycle c, next, open;
	struct pupil pu;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, D(2026, 9, 7), 10,
	    &next, &e), 0, "%s", e.msg);
	cr_assert_neq(next.id, 0);
	cr_assert_neq(next.id, id);
	cr_assert_eq(next.pupil_id, p);
	cr_assert_eq(next.plan_start, D(2026, 9, 7));
	cr_assert_eq(next.review_date, D(2026, 11, 16));
	cr_assert_eq(next.plan_end, D(2026, 11, 16));
	cr_assert_eq(next.carried_from, id);
	cr_assert_eq(next.stage, STAGE_ASSESS);
	cr_assert_eq(next.closed_on, SDATE_NONE);
	cr_assert_eq(next.version, 1);

	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.decision, DECISION_CONTINUE);
	cr_assert_eq(c.closed_on, D(2026, 9, 7));
	cr_assert_eq(c.stage, STAGE_REVIEW);
	cycle_free(&c);
	cr_assert_eq(cycle_open_for(db, p, &open, NULL), 0);
	cr_assert_eq(open.id, next.id);
	cycle_free(&open);
	cycle_free(&next);
	cr_assert_eq(pupil_get(db, p, &pu, NULL), 0);
	cr_assert_eq(pu.status, 'K');
	db_close(db);
}

Test(cycle, close_increase_default_interval)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 29, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 6, 1), SDATE_NONE, 0);
	struct cycle next;

	cr_assert_eq(cycle_close(db, id, DECISION_INCREASE, SDATE_NONE, 0,
	    &next, NULL), 0);
	cr_assert_eq(next.plan_start, D(2026, 11, 23));
	cr_assert_eq(next.review_date, D(2026, 11, 23) + 84);
	cr_assert_eq(next.carried_from, id);
	cycle_free(&next);
	db_close(db);
}

Test(cycle, close_continue_without_next_out_starts_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 30, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 6, 1), SDATE_NONE, 0);
	struct cycle c;

	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, SDATE_NONE, 0,
	    NULL, NULL), 0);
	cr_assert_eq(n_cycles(db), 1);
	cr_assert_eq(cycle_open_for(db, p, &c, NULL), SE_NOTFOUND);
	db_close(db);
}

/* The close and the next start are one transaction: when the start fails
 * (the pupil was archived meanwhile) the close is not saved either. */
Test(cycle, close_and_next_start_are_one_transaction)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 31, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 6, 1), SDATE_NONE, 0);
	struct cycle c, next;
	struct serr e;

	cr_assert_eq(pupil_archive(db, p, true, D(2026, 11, 1), NULL), 0);
	serr_clear(&e);
	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, D(2026, 11, 2), 0,
	    &next, &e), SE_STATE);
	cr_assert(strstr(e.msg, "archived") != NULL, "%s", e.msg);
	cr_assert_eq(next.id, 0);
	cr_assert_eq(n_cycles(db), 1);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cr_assert_eq(c.decision, DECISION_NONE);
	cr_assert_eq(c.version, 1);
	cycle_free(&c);
	cr_assert_not(db_in_transaction(db));
	/* Closing without a next cycle still works for the archived pupil. */
	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, D(2026, 11, 2), 0,
	    NULL, &e), 0, "%s", e.msg);
	db_close(db);
}

/* Every write nests inside a caller's transaction and rolls back with it. */
Test(cycle, writes_nest_in_an_outer_transaction)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 32, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id = start_ok(db, p, D(2026, 6, 1), SDATE_NONE, 0);
	struct cycle c, next;
	struct pupil pu;

	cr_assert_eq(db_begin(db, NULL), 0);
	cr_assert_eq(cycle_advance(db, id, NULL), 0);
	cr_assert_eq(cycle_set_text(db, id, "parent", "gone", NULL), 0);
	cr_assert_eq(cycle_close(db, id, DECISION_REMOVE, SDATE_NONE, 0, NULL,
	    NULL), 0);
	cr_assert(db_in_transaction(db));
	db_rollback(db);
	cr_assert_eq(cycle_get(db, id, &c, NULL), 0);
	cr_assert_eq(c.stage, STAGE_ASSESS);
	cr_assert_null(c.parent_voice);
	cr_assert_eq(c.closed_on, SDATE_NONE);
	cycle_free(&c);
	cr_assert_eq(pupil_get(db, p, &pu, NULL), 0);
	cr_assert_eq(pu.status, 'K');

	/* A failing inner step spoils the whole outer action. */
	cr_assert_eq(db_begin(db, NULL), 0);
	cr_assert_eq(cycle_close(db, id, DECISION_CONTINUE, SDATE_NONE, 0,
	    &next, NULL), 0);
	cycle_free(&next);
	cr_assert_eq(cycle_start(db, p, SDATE_NONE, SDATE_NONE, 0, NULL, NULL),
	    SE_EXISTS);
	cr_assert_neq(db_commit(db, NULL), 0);
	cr_assert_eq(n_cycles(db), 1);
	db_close(db);
}
