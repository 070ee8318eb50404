/*
 * test_target.c: targets of a cycle, their ratings (with comment-only
 * entries), outcomes and carrying a target over into the next cycle.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/cycle.h"
#include "core/pupil.h"
#include "core/target.h"
#include "helpers.h"

#define TODAY "2026-11-23"

static void
setup(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
	date_set_style(DATE_STYLE_UK);
}

TestSuite(target, .init = setup, .fini = th_cleanup);

static sdate
D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int64_t
q_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s", sqlite3_errmsg(db_handle(db)));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
n_targets(struct db *db)
{
	return q_int(db, "SELECT count(*) FROM target");
}

static int64_t
n_ratings(struct db *db)
{
	return q_int(db, "SELECT count(*) FROM rating");
}

/* A pupil with a cycle planned from 7 September 2026. */
static int64_t
open_cycle(struct db *db, int serial, int64_t *pupil)
{
	struct cycle c;
	struct serr e;
	int64_t p = th_pupil(db, serial, "Brown", "Zoë", 'K', "SPLD", "4");
	int64_t id;

	serr_clear(&e);
	cr_assert_eq(cycle_start(db, p, D(2026, 9, 7), SDATE_NONE, 0, &c, &e),
	    0, "%s", e.msg);
	id = c.id;
	cycle_free(&c);
	if (pupil != NULL)
		*pupil = p;
	return id;
}

static int64_t
add(struct db *db, int64_t cycle, const char *text, enum area a)
{
	struct target t;
	struct serr e;
	int64_t id;

	target_init(&t);
	t.cycle_id = cycle;
	t.text = strdup(text);
	t.area = a;
	serr_clear(&e);
	cr_assert_eq(target_add(db, &t, &e), 0, "target_add: %s", e.msg);
	id = t.id;
	target_free(&t);
	return id;
}

static void
rate(struct db *db, int64_t t, int v, const char *comment, sdate on)
{
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(target_rate(db, t, v, comment, on, NULL, &e), 0,
	    "target_rate: %s", e.msg);
}

/* --- add ------------------------------------------------------------- */

Test(target, add_round_trip_and_positions)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 1, NULL);
	struct target t, back;
	struct serr e;

	target_init(&t);
	t.cycle_id = cy;
	t.text = strdup("Zoë will read 20 high-frequency words — «à la» 李");
	t.criteria = strdup("Reads them aloud 3 days running");
	t.baseline = strdup("Reads 8 of 20; Siobhán's check");
	t.area = AREA_CL;
	serr_clear(&e);
	cr_assert_eq(target_add(db, &t, &e), 0, "%s", e.msg);
	cr_assert_neq(t.id, 0);
	cr_assert_eq(t.position, 1);
	cr_assert_eq(t.version, 1);
	cr_assert_str_eq(t.changed_by, "tester");
	cr_assert_eq(t.latest, -1);

	cr_assert_eq(target_get(db, t.id, &back, &e), 0, "%s", e.msg);
	cr_assert_eq(back.cycle_id, cy);
	cr_assert_eq(back.position, 1);
	cr_assert_str_eq(back.text, t.text);
	cr_assert_str_eq(back.criteria, t.criteria);
	cr_assert_str_eq(back.baseline, t.baseline);
	cr_assert_eq(back.area, AREA_CL);
	cr_assert_eq(back.outcome, OUTCOME_NONE);
	cr_assert_eq(back.outcome_on, SDATE_NONE);
	cr_assert_eq(back.carried_from, 0);
	cr_assert_eq(back.latest, -1);
	cr_assert_eq(back.latest_on, SDATE_NONE);
	cr_assert_eq(back.version, 1);
	cr_assert_str_eq(back.created_at, t.created_at);
	target_free(&back);
	target_free(&t);

	cr_assert_eq(target_get(db, add(db, cy, "Second", AREA_NONE), &back,
	    NULL), 0);
	cr_assert_eq(back.position, 2);
	cr_assert_eq(back.area, AREA_NONE);
	cr_assert_null(back.criteria);
	target_free(&back);
	cr_assert_eq(target_get(db, add(db, cy, "Third", AREA_SEMH), &back,
	    NULL), 0);
	cr_assert_eq(back.position, 3);
	target_free(&back);
	db_close(db);
}

Test(target, add_refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 2, NULL);
	struct target t;
	struct serr e;

	target_init(&t);
	t.cycle_id = cy;
	serr_clear(&e);
	cr_assert_eq(target_add(db, &t, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "text") != NULL, "%s", e.msg);
	t.text = strdup(" \t\n ");
	cr_assert_eq(target_add(db, &t, &e), SE_INVALID);
	free(t.text);
	t.text = strdup("Fine text");
	t.area = AREA_COUNT;
	cr_assert_eq(target_add(db, &t, &e), SE_INVALID);
	t.area = AREA_SP;
	t.cycle_id = cy + 1;
	cr_assert_eq(target_add(db, &t, &e), SE_NOTFOUND);
	cr_assert_eq(t.id, 0);
	cr_assert_eq(n_targets(db), 0);

	/* A closed cycle takes no new targets. */
	cr_assert_eq(cycle_close(db, cy, DECISION_EHC, SDATE_NONE, 0, NULL,
	    NULL), 0);
	t.cycle_id = cy;
	cr_assert_eq(target_add(db, &t, &e), SE_STATE);
	cr_assert(strstr(e.msg, "closed") != NULL, "%s", e.msg);
	cr_assert_eq(n_targets(db), 0);
	target_free(&t);
	db_close(db);
}

/* --- update ---------------------------------------------------------- */

Test(target, update_and_conflict)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 3, NULL);
	int64_t id = add(db, cy, "Original", AREA_CL);
	struct target a, b, back;
	struct serr e;

	cr_assert_eq(target_get(db, id, &a, NULL), 0);
	cr_assert_eq(target_get(db, id, &b, NULL), 0);
	free(a.text);
	a.text = strdup("Łukasz will ask for help with a card");
	a.criteria = strdup("4 times in a week");
	a.area = AREA_SEMH;
	serr_clear(&e);
	cr_assert_eq(target_update(db, &a, &e), 0, "%s", e.msg);
	cr_assert_eq(a.version, 2);

	free(b.text);
	b.text = strdup("Copy B");
	db_set_author(db, "mr.okafor");
	cr_assert_eq(target_update(db, &b, &e), SE_CONFLICT);
	cr_assert(strstr(e.msg, "target: changed by tester at ") == e.msg,
	    "%s", e.msg);
	cr_assert(strstr(e.msg, "since you opened it") != NULL, "%s", e.msg);

	cr_assert_eq(target_get(db, id, &back, NULL), 0);
	cr_assert_str_eq(back.text, "Łukasz will ask for help with a card");
	cr_assert_str_eq(back.criteria, "4 times in a week");
	cr_assert_eq(back.area, AREA_SEMH);
	cr_assert_eq(back.version, 2);
	cr_assert_str_eq(back.changed_by, "tester");
	target_free(&back);

	/* Bad text or a missing target: nothing written. */
	free(a.text);
	a.text = strdup("  ");
	cr_assert_eq(target_update(db, &a, &e), SE_INVALID);
	free(a.text);
	a.text = strdup("ok");
	a.id = id + 1;
	cr_assert_eq(target_update(db, &a, &e), SE_NOTFOUND);
	cr_assert_eq(target_get(db, id, &back, NULL), 0);
	cr_assert_eq(back.version, 2);
	target_free(&back);
	target_free(&a);
	target_free(&b);
	db_close(db);
}

/* --- ratings --------------------------------------------------------- */

struct rlist {
	struct {
		int64_t id;
		int value;
		sdate on;
		char author[AUTHOR_MAX];
		char comment[64];
	} r[16];
	int n;
};

static int
collect_rating(void *ctx, const struct rating *r)
{
	struct rlist *l = ctx;

	l->r[l->n].id = r->id;
	l->r[l->n].value = r->value;
	l->r[l->n].on = r->on;
	snprintf(l->r[l->n].author, AUTHOR_MAX, "%s", r->author);
	snprintf(l->r[l->n].comment, 64, "%s", r->comment ? r->comment : "");
	l->n++;
	return 0;
}

Test(target, rate_and_latest)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 4, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct rlist l = { .n = 0 };
	struct target t;
	struct serr e;
	int64_t rid = 0;

	serr_clear(&e);
	cr_assert_eq(target_rate(db, id, 1, NULL, D(2026, 9, 21), &rid, &e),
	    0, "%s", e.msg);
	cr_assert_neq(rid, 0);
	rate(db, id, 3, "Much better — «très bien»", D(2026, 10, 12));
	/* Entered later but dated earlier: not the latest. */
	rate(db, id, 2, NULL, D(2026, 10, 5));
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.latest, 3);
	cr_assert_eq(t.latest_on, D(2026, 10, 12));
	target_free(&t);

	cr_assert_eq(target_ratings(db, id, collect_rating, &l, NULL), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_eq(l.r[0].id, rid);
	cr_assert_eq(l.r[0].value, 1);
	cr_assert_eq(l.r[0].on, D(2026, 9, 21));
	cr_assert_str_eq(l.r[0].author, "tester");
	cr_assert_str_eq(l.r[0].comment, "");
	cr_assert_eq(l.r[1].value, 2);
	cr_assert_eq(l.r[2].value, 3);
	cr_assert_str_eq(l.r[2].comment, "Much better — «très bien»");

	/* Rating a target leaves the target row itself alone. */
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.version, 1);
	target_free(&t);
	db_close(db);
}

/* Regression: two keys pressed within one second on the same day (a wrong
 * rating corrected at once) must leave the second as the latest. Timestamps
 * have whole seconds and ids are random, so only rating.seq orders them. */
Test(target, same_day_same_second_latest_is_last_made)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 7, NULL);
	int64_t id = add(db, cy, "Counts to 20", AREA_CL);
	struct target t;

	for (int round = 0; round < 20; round++) {
		int first = round % 5, second = (round + 2) % 5;

		rate(db, id, first, NULL, SDATE_NONE);
		rate(db, id, second, NULL, SDATE_NONE);
		cr_assert_eq(target_get(db, id, &t, NULL), 0);
		cr_assert_eq(t.latest, second, "round %d: latest %d, want %d",
		    round, t.latest, second);
		target_free(&t);
	}
	db_close(db);
}

Test(target, rate_defaults_to_today_and_author)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 5, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct rlist l = { .n = 0 };
	struct target t;

	db_set_author(db, "Ms Nguyễn");
	rate(db, id, 0, NULL, SDATE_NONE);
	cr_assert_eq(target_ratings(db, id, collect_rating, &l, NULL), 0);
	cr_assert_eq(l.n, 1);
	cr_assert_eq(l.r[0].on, D(2026, 11, 23));
	cr_assert_str_eq(l.r[0].author, "Ms Nguyễn");
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.latest, 0);
	target_free(&t);
	/* On the plan start and on today are both fine (the boundaries). */
	rate(db, id, 4, NULL, D(2026, 9, 7));
	rate(db, id, 4, NULL, D(2026, 11, 23));
	cr_assert_eq(n_ratings(db), 3);
	db_close(db);
}

Test(target, comment_only_ratings)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 6, NULL);
	int64_t id = add(db, cy, "Joins in at playtime", AREA_SEMH);
	struct rlist l = { .n = 0 };
	struct target t;
	struct serr e;

	rate(db, id, -1, "Absent all week: 李 visited family", D(2026, 10, 1));
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.latest, -1, "a comment alone is not a rating");
	cr_assert_eq(t.latest_on, SDATE_NONE);
	target_free(&t);

	rate(db, id, 2, NULL, D(2026, 10, 5));
	rate(db, id, -1, "Hard week", D(2026, 10, 20));
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.latest, 2);
	cr_assert_eq(t.latest_on, D(2026, 10, 5));
	target_free(&t);

	cr_assert_eq(target_ratings(db, id, collect_rating, &l, NULL), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_eq(l.r[0].value, -1);
	cr_assert_str_eq(l.r[0].comment, "Absent all week: 李 visited family");
	cr_assert_eq(l.r[2].value, -1);

	/* A comment alone needs words. */
	serr_clear(&e);
	cr_assert_eq(target_rate(db, id, -1, NULL, SDATE_NONE, NULL, &e),
	    SE_INVALID);
	cr_assert(strstr(e.msg, "comment") != NULL, "%s", e.msg);
	cr_assert_eq(target_rate(db, id, -1, "", SDATE_NONE, NULL, &e),
	    SE_INVALID);
	cr_assert_eq(target_rate(db, id, -1, "   ", SDATE_NONE, NULL, &e),
	    SE_INVALID);
	cr_assert_eq(n_ratings(db), 3);
	db_close(db);
}

Test(target, rate_refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 7, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct serr e;
	int64_t rid = 77;

	serr_clear(&e);
	cr_assert_eq(target_rate(db, id, 5, NULL, SDATE_NONE, &rid, &e),
	    SE_INVALID);
	cr_assert_eq(rid, 77, "no id for a refused rating");
	cr_assert_eq(target_rate(db, id, -2, "x", SDATE_NONE, NULL, &e),
	    SE_INVALID);
	cr_assert_eq(target_rate(db, id, 2, NULL, D(2026, 11, 24), NULL, &e),
	    SE_INVALID);
	cr_assert(strstr(e.msg, "future") != NULL, "%s", e.msg);
	cr_assert_eq(target_rate(db, id, 2, NULL, D(2026, 9, 6), NULL, &e),
	    SE_INVALID);
	cr_assert(strstr(e.msg, "07/09/2026") != NULL, "%s", e.msg);
	cr_assert_eq(target_rate(db, id + 1, 2, NULL, SDATE_NONE, NULL, &e),
	    SE_NOTFOUND);
	cr_assert_eq(n_ratings(db), 0);
	db_close(db);
}

Test(target, rate_refused_with_outcome_or_closed_cycle)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 8, NULL);
	int64_t a = add(db, cy, "Reads CVC words", AREA_CL);
	int64_t b = add(db, cy, "Writes a sentence", AREA_CL);
	struct serr e;

	cr_assert_eq(target_set_outcome(db, a, OUTCOME_ACHIEVED, NULL), 0);
	serr_clear(&e);
	cr_assert_eq(target_rate(db, a, 4, NULL, SDATE_NONE, NULL, &e),
	    SE_STATE);
	cr_assert(strstr(e.msg, "outcome") != NULL, "%s", e.msg);
	/* A comment alone is refused too. */
	cr_assert_eq(target_rate(db, a, -1, "note", SDATE_NONE, NULL, &e),
	    SE_STATE);
	/* Clearing the outcome opens it to ratings again. */
	cr_assert_eq(target_set_outcome(db, a, OUTCOME_NONE, NULL), 0);
	rate(db, a, 3, NULL, SDATE_NONE);
	cr_assert_eq(n_ratings(db), 1);

	cr_assert_eq(cycle_close(db, cy, DECISION_EHC, SDATE_NONE, 0, NULL,
	    NULL), 0);
	cr_assert_eq(target_rate(db, b, 2, NULL, SDATE_NONE, NULL, &e),
	    SE_STATE);
	cr_assert(strstr(e.msg, "closed") != NULL, "%s", e.msg);
	cr_assert_eq(n_ratings(db), 1);
	db_close(db);
}

Test(target, rating_delete_for_undo)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 9, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct target t;
	struct serr e;
	int64_t r2;

	rate(db, id, 1, NULL, D(2026, 10, 1));
	cr_assert_eq(target_rate(db, id, 3, NULL, D(2026, 11, 2), &r2, NULL),
	    0);
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.latest, 3);
	target_free(&t);

	serr_clear(&e);
	cr_assert_eq(target_rating_delete(db, r2, &e), 0, "%s", e.msg);
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.latest, 1);
	cr_assert_eq(t.latest_on, D(2026, 10, 1));
	target_free(&t);
	cr_assert_eq(n_ratings(db), 1);
	cr_assert_eq(target_rating_delete(db, r2, &e), SE_NOTFOUND);
	cr_assert_eq(n_ratings(db), 1);
	db_close(db);
}

/* --- outcome --------------------------------------------------------- */

Test(target, set_and_clear_outcome)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 10, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct target t;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(target_set_outcome(db, id, OUTCOME_PARTIAL, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.outcome, OUTCOME_PARTIAL);
	cr_assert_eq(t.outcome_on, D(2026, 11, 23));
	cr_assert_eq(t.version, 2);
	target_free(&t);

	cr_assert_eq(target_set_outcome(db, id, OUTCOME_NONE, &e), 0);
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.outcome, OUTCOME_NONE);
	cr_assert_eq(t.outcome_on, SDATE_NONE);
	cr_assert_eq(t.version, 3);
	target_free(&t);

	cr_assert_eq(target_set_outcome(db, id, OUTCOME_COUNT, &e), SE_INVALID);
	cr_assert_eq(target_set_outcome(db, id, (enum outcome)-1, &e),
	    SE_INVALID);
	cr_assert_eq(target_set_outcome(db, id + 1, OUTCOME_NOT, &e),
	    SE_NOTFOUND);
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.version, 3);
	cr_assert_eq(t.outcome, OUTCOME_NONE);
	target_free(&t);
	db_close(db);
}

/* --- list ------------------------------------------------------------ */

struct tlist {
	int64_t id[8];
	int pos[8], latest[8];
	int n, stop_at;
};

static int
collect_target(void *ctx, const struct target *t)
{
	struct tlist *l = ctx;

	l->id[l->n] = t->id;
	l->pos[l->n] = t->position;
	l->latest[l->n] = t->latest;
	l->n++;
	return l->n == l->stop_at ? 7 : 0;
}

Test(target, list_in_position_order_with_latest)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 11, NULL);
	int64_t other = open_cycle(db, 12, NULL);
	int64_t a = add(db, cy, "A", AREA_CL);
	int64_t b = add(db, cy, "B", AREA_CI);
	int64_t c = add(db, cy, "C", AREA_SP);
	struct tlist l = { .n = 0 };

	add(db, other, "elsewhere", AREA_CL);
	rate(db, b, 2, NULL, D(2026, 10, 1));
	rate(db, c, 4, NULL, D(2026, 10, 1));
	rate(db, c, 1, NULL, D(2026, 11, 1));
	cr_assert_eq(target_list(db, cy, collect_target, &l, NULL), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_eq(l.id[0], a);
	cr_assert_eq(l.id[1], b);
	cr_assert_eq(l.id[2], c);
	cr_assert_eq(l.pos[0], 1);
	cr_assert_eq(l.pos[2], 3);
	cr_assert_eq(l.latest[0], -1);
	cr_assert_eq(l.latest[1], 2);
	cr_assert_eq(l.latest[2], 1);

	l.n = 0;
	l.stop_at = 1;
	cr_assert_eq(target_list(db, cy, collect_target, &l, NULL), 7);
	cr_assert_eq(l.n, 1);
	db_close(db);
}

/* --- carry over ------------------------------------------------------ */

Test(target, carry_over_into_next_cycle)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 13, NULL);
	int64_t rated = add(db, cy, "Reads 20 words — Zoë", AREA_CL);
	int64_t unrated = add(db, cy, "Joins in", AREA_SEMH);
	struct target t, src;
	struct cycle next;
	struct serr e;
	int64_t n1 = 0, n2 = 0;

	cr_assert_eq(target_get(db, rated, &src, NULL), 0);
	src.criteria = strdup("3 days running");
	src.baseline = strdup("8 of 20");
	cr_assert_eq(target_update(db, &src, NULL), 0);
	cr_assert_eq(target_get(db, unrated, &t, NULL), 0);
	t.baseline = strdup("Plays alone");
	cr_assert_eq(target_update(db, &t, NULL), 0);
	target_free(&t);

	rate(db, rated, 1, NULL, D(2026, 9, 21));
	rate(db, rated, 2, NULL, D(2026, 11, 2));
	rate(db, rated, -1, "Comment after the last rating", D(2026, 11, 9));
	/* Comments alone give no baseline. */
	rate(db, unrated, -1, "Ill", D(2026, 10, 1));
	cr_assert_eq(target_set_outcome(db, rated, OUTCOME_PARTIAL, NULL), 0);
	cr_assert_eq(cycle_close(db, cy, DECISION_CONTINUE, D(2026, 11, 20), 0,
	    &next, NULL), 0);

	serr_clear(&e);
	cr_assert_eq(target_carry_over(db, rated, next.id, &n1, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(target_carry_over(db, unrated, next.id, &n2, &e), 0, "%s",
	    e.msg);
	cr_assert_neq(n1, 0);
	cr_assert_neq(n1, rated);

	cr_assert_eq(target_get(db, n1, &t, NULL), 0);
	cr_assert_eq(t.cycle_id, next.id);
	cr_assert_eq(t.position, 1);
	cr_assert_str_eq(t.text, "Reads 20 words — Zoë");
	cr_assert_str_eq(t.criteria, "3 days running");
	cr_assert_str_eq(t.baseline, "Rated 2 (developing) on 02/11/2026");
	cr_assert_eq(t.area, AREA_CL);
	cr_assert_eq(t.carried_from, rated);
	cr_assert_eq(t.outcome, OUTCOME_NONE);
	cr_assert_eq(t.latest, -1, "ratings stay with the old target");
	cr_assert_eq(t.version, 1);
	target_free(&t);

	cr_assert_eq(target_get(db, n2, &t, NULL), 0);
	cr_assert_eq(t.position, 2);
	cr_assert_str_eq(t.baseline, "Plays alone");
	cr_assert_eq(t.area, AREA_SEMH);
	cr_assert_eq(t.carried_from, unrated);
	target_free(&t);

	/* The old target is untouched. */
	cr_assert_eq(target_get(db, rated, &t, NULL), 0);
	cr_assert_eq(t.cycle_id, cy);
	cr_assert_str_eq(t.baseline, "8 of 20");
	cr_assert_eq(t.outcome, OUTCOME_PARTIAL);
	cr_assert_eq(t.latest, 2);
	target_free(&t);
	target_free(&src);
	cycle_free(&next);
	db_close(db);
}

Test(target, carry_over_refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t p;
	int64_t cy = open_cycle(db, 14, &p);
	int64_t stranger = open_cycle(db, 15, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct cycle next;
	struct serr e;
	int64_t nid = 0, before;

	serr_clear(&e);
	/* Into its own (open) cycle. */
	cr_assert_eq(target_carry_over(db, id, cy, &nid, &e), SE_INVALID);
	/* Into another pupil's cycle. */
	cr_assert_eq(target_carry_over(db, id, stranger, &nid, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "another pupil") != NULL, "%s", e.msg);
	cr_assert_eq(target_carry_over(db, id, 12345, &nid, &e),
	    SE_NOTFOUND);
	cr_assert_eq(target_carry_over(db, id + 1, stranger, &nid, &e),
	    SE_NOTFOUND);
	cr_assert_eq(nid, 0);
	cr_assert_eq(n_targets(db), 1);

	cr_assert_eq(cycle_close(db, cy, DECISION_CONTINUE, SDATE_NONE, 0,
	    &next, NULL), 0);
	/* Into a closed cycle. */
	cr_assert_eq(target_carry_over(db, id, cy, &nid, &e), SE_STATE);
	cr_assert(strstr(e.msg, "closed") != NULL, "%s", e.msg);
	cr_assert_eq(n_targets(db), 1);

	/* Twice into the same cycle. */
	cr_assert_eq(target_carry_over(db, id, next.id, &nid, &e), 0, "%s",
	    e.msg);
	before = nid;
	cr_assert_eq(target_carry_over(db, id, next.id, &nid, &e), SE_EXISTS);
	cr_assert_eq(nid, before);
	cr_assert_eq(n_targets(db), 2);
	cycle_free(&next);
	db_close(db);
}

Test(target, get_missing)
{
	struct db *db = th_db();
	struct target t;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(target_get(db, 4242, &t, &e), SE_NOTFOUND);
	cr_assert(strstr(e.msg, "target") != NULL, "%s", e.msg);
	db_close(db);
}

/* Writes nest inside a caller's transaction and roll back with it. */
Test(target, writes_nest_in_an_outer_transaction)
{
	struct db *db = th_db();
	int64_t cy = open_cycle(db, 16, NULL);
	int64_t id = add(db, cy, "Reads CVC words", AREA_CL);
	struct target t;

	cr_assert_eq(db_begin(db, NULL), 0);
	rate(db, id, 2, NULL, SDATE_NONE);
	add(db, cy, "Temporary", AREA_CL);
	cr_assert_eq(target_set_outcome(db, id, OUTCOME_NOT, NULL), 0);
	db_rollback(db);
	cr_assert_eq(n_ratings(db), 0);
	cr_assert_eq(n_targets(db), 1);
	cr_assert_eq(target_get(db, id, &t, NULL), 0);
	cr_assert_eq(t.outcome, OUTCOME_NONE);
	target_free(&t);
	db_close(db);
}
