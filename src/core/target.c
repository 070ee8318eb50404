/*
 * target.c: the targets of a cycle, their dated ratings (0-4, or a comment
 * alone), the outcome given at review, and carrying an unmet target into
 * the next cycle.
 *
 * A target's "latest" rating is the one with a value that was rated last
 * (by rated_on, then created_at); comment-only ratings are history, not
 * progress, so they never count as the latest.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "target.h"
#include "xmalloc.h"

#define LATEST_WHERE \
	"FROM rating r WHERE r.target_id = t.id AND r.value IS NOT NULL " \
	"ORDER BY " RATING_NEWEST_FIRST("r") " LIMIT 1"
/* The columns every read returns, in the order target_row() expects. */
#define TARGET_COLS \
	"t.id, t.cycle_id, t.position, t.text, t.criteria, t.baseline, " \
	"t.area, t.outcome, t.outcome_on, t.carried_from, t.version, " \
	"t.created_at, t.updated_at, t.changed_by, " \
	"(SELECT r.value " LATEST_WHERE "), (SELECT r.rated_on " LATEST_WHERE ")"

static const char SQL_GET[] =
    "SELECT " TARGET_COLS " FROM target t WHERE t.id = ?";
static const char SQL_LIST[] =
    "SELECT " TARGET_COLS " FROM target t WHERE t.cycle_id = ? "
    "ORDER BY t.position, t.created_at";
static const char SQL_CYCLE[] =
    "SELECT pupil_id, closed_on, plan_start FROM cycle WHERE id = ?";
static const char SQL_NEXT_POS[] =
    "SELECT coalesce(max(position), 0) + 1 FROM target WHERE cycle_id = ?";
static const char SQL_INSERT[] =
    "INSERT INTO target (id, cycle_id, position, text, criteria, baseline, "
    "area, carried_from, created_at, updated_at, version, changed_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";
/* The target with the state of its cycle: what every write checks. */
static const char SQL_STATE[] =
    "SELECT t.cycle_id, t.outcome, t.version, t.changed_by, t.updated_at, "
    "c.pupil_id, c.closed_on, c.plan_start, t.text, t.criteria, t.baseline, "
    "t.area FROM target t JOIN cycle c ON c.id = t.cycle_id WHERE t.id = ?";
static const char SQL_UPDATE[] =
    "UPDATE target SET text = ?, criteria = ?, baseline = ?, area = ?, "
    "version = version + 1, updated_at = ?, changed_by = ? "
    "WHERE id = ? AND version = ?";
static const char SQL_SET_OUTCOME[] =
    "UPDATE target SET outcome = ?, outcome_on = ?, version = version + 1, "
    "updated_at = ?, changed_by = ? WHERE id = ?";
static const char SQL_RATE[] =
    "INSERT INTO rating (id, target_id, value, rated_on, author, comment, "
    "created_at, updated_at, version, changed_by, seq) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, (SELECT "
    "coalesce(max(seq), 0) + 1 FROM rating WHERE target_id = ?2))";
static const char SQL_RATING_DELETE[] =
    "DELETE FROM rating WHERE id = ?";
static const char SQL_RATINGS[] =
    "SELECT id, target_id, value, rated_on, author, comment, created_at "
    "FROM rating WHERE target_id = ? ORDER BY rated_on, seq, created_at";
static const char SQL_LATEST[] =
    "SELECT r.value, r.rated_on FROM target t JOIN rating r "
    "ON r.target_id = t.id WHERE t.id = ? AND r.value IS NOT NULL "
    "ORDER BY " RATING_NEWEST_FIRST("r") " LIMIT 1";
static const char SQL_CARRIED[] =
    "SELECT 1 FROM target WHERE cycle_id = ? AND carried_from = ?";

void
target_init(struct target *t)
{
	memset(t, 0, sizeof *t);
	t->area = AREA_NONE;
	t->outcome = OUTCOME_NONE;
	t->outcome_on = SDATE_NONE;
	t->latest = -1;
	t->latest_on = SDATE_NONE;
}

void
target_free(struct target *t)
{
	free(t->text);
	free(t->criteria);
	free(t->baseline);
	t->text = t->criteria = t->baseline = NULL;
}

void
rating_free(struct rating *r)
{
	free(r->comment);
	r->comment = NULL;
}

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Stored words back to enums; the schema's CHECKs keep them valid. */
static enum area
area_from(sqlite3_stmt *st, int i)
{
	enum area a = AREA_NONE;

	area_parse((const char *)sqlite3_column_text(st, i), &a, NULL);
	return a;
}

static enum outcome
outcome_from(sqlite3_stmt *st, int i)
{
	enum outcome o = OUTCOME_NONE;

	if (sqlite3_column_type(st, i) != SQLITE_NULL)
		outcome_parse((const char *)sqlite3_column_text(st, i), &o,
		    NULL);
	return o;
}

/* Fill t (initialised here) from a row of TARGET_COLS; the strings are
 * heap copies the caller frees with target_free(). */
static void
target_row(sqlite3_stmt *st, struct target *t)
{
	target_init(t);
	t->id = sqlite3_column_int64(st, 0);
	t->cycle_id = sqlite3_column_int64(st, 1);
	t->position = sqlite3_column_int(st, 2);
	t->text = db_col_dup(st, 3);
	t->criteria = db_col_dup(st, 4);
	t->baseline = db_col_dup(st, 5);
	t->area = area_from(st, 6);
	t->outcome = outcome_from(st, 7);
	t->outcome_on = db_col_date(st, 8);
	t->carried_from = sqlite3_column_int64(st, 9);
	t->version = sqlite3_column_int64(st, 10);
	db_col_copy(st, 11, t->created_at, sizeof t->created_at);
	db_col_copy(st, 12, t->updated_at, sizeof t->updated_at);
	db_col_copy(st, 13, t->changed_by, sizeof t->changed_by);
	if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
		t->latest = sqlite3_column_int(st, 14);
		t->latest_on = db_col_date(st, 15);
	}
}

/* t is initialised first (target_free() is always safe on it); its
 * strings are the caller's to free with target_free(). */
int
target_get(struct db *db, int64_t id, struct target *t, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GET, e);
	int rc;

	target_init(t);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		target_row(st, t);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "target");
	return serr_set(e, SE_NOTFOUND, "target: no target with id %lld",
	    (long long)id);
}

/* The target given to cb is freed when cb returns; cb may not call
 * target_list() itself (the walk holds the cached statement). */
int
target_list(struct db *db, int64_t cycle_id, target_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LIST, e);
	struct target t;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, cycle_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		target_row(st, &t);
		ret = cb(ctx, &t);
		target_free(&t);
		if (ret != 0)
			break;
	}
	sqlite3_reset(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "target list");
	return ret;
}

/* The rating given to cb is freed when cb returns. */
int
target_ratings(struct db *db, int64_t target_id, rating_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_RATINGS, e);
	struct rating r;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, target_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(st, 0);
		r.target_id = sqlite3_column_int64(st, 1);
		r.value = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 2);
		r.on = db_col_date(st, 3);
		db_col_copy(st, 4, r.author, sizeof r.author);
		r.comment = db_col_dup(st, 5);
		db_col_copy(st, 6, r.created_at, sizeof r.created_at);
		ret = cb(ctx, &r);
		rating_free(&r);
		if (ret != 0)
			break;
	}
	sqlite3_reset(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "ratings");
	return ret;
}

/* The cycle a target goes into: must exist and be open. */
static int
open_cycle(struct db *db, int64_t cycle_id, int64_t *pupil_id,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CYCLE, e);
	char buf[DATE_ISO_LEN];
	sdate closed;
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, cycle_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, e, "target");
		return serr_set(e, SE_NOTFOUND, "target: no cycle with id %lld",
		    (long long)cycle_id);
	}
	if (pupil_id != NULL)
		*pupil_id = sqlite3_column_int64(st, 0);
	closed = db_col_date(st, 1);
	sqlite3_reset(st);
	if (closed != SDATE_NONE)
		return serr_set(e, SE_STATE, "target: the cycle was closed on "
		    "%s; targets go into an open cycle", date_show(closed, buf));
	return 0;
}

/* What the write paths need to know about a target and its cycle. The
 * strings are heap copies (carry-over needs them); state_free() frees. */
struct target_state {
	int64_t cycle_id, pupil_id, version;
	enum outcome outcome;
	sdate closed_on, plan_start;
	char changed_by[AUTHOR_MAX];
	char updated_at[TIMESTAMP_LEN];
	char *text, *criteria, *baseline;
	enum area area;
};

static void
state_free(struct target_state *s)
{
	free(s->text);
	free(s->criteria);
	free(s->baseline);
	s->text = s->criteria = s->baseline = NULL;
}

static int
target_state(struct db *db, int64_t id, struct target_state *s,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STATE, e);
	int rc;

	memset(s, 0, sizeof *s);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, e, "target");
		return serr_set(e, SE_NOTFOUND, "target: no target with id "
		    "%lld", (long long)id);
	}
	s->cycle_id = sqlite3_column_int64(st, 0);
	s->outcome = outcome_from(st, 1);
	s->version = sqlite3_column_int64(st, 2);
	db_col_copy(st, 3, s->changed_by, sizeof s->changed_by);
	db_col_copy(st, 4, s->updated_at, sizeof s->updated_at);
	s->pupil_id = sqlite3_column_int64(st, 5);
	s->closed_on = db_col_date(st, 6);
	s->plan_start = db_col_date(st, 7);
	s->text = db_col_dup(st, 8);
	s->criteria = db_col_dup(st, 9);
	s->baseline = db_col_dup(st, 10);
	s->area = area_from(st, 11);
	sqlite3_reset(st);
	return 0;
}

static int
next_position(struct db *db, int64_t cycle_id, int *pos, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_NEXT_POS, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, cycle_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*pos = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "target");
	return 0;
}

/* Insert t as a new row at the end of its cycle (inside a transaction);
 * fills id, position, version, timestamps and author. */
static int
insert_target(struct db *db, struct target *t, struct serr *e)
{
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN];
	int pos = 0, ret;

	if ((ret = next_position(db, t->cycle_id, &pos, e)) != 0)
		return ret;
	if ((st = db_stmt(db, SQL_INSERT, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	t->id = db_new_id(db);
	timestamp_now(ts);
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, t->cycle_id);
	sqlite3_bind_int(st, 3, pos);
	db_bind_text(st, 4, t->text);
	db_bind_text(st, 5, t->criteria);
	db_bind_text(st, 6, t->baseline);
	db_bind_text(st, 7, area_code(t->area));
	if (t->carried_from != 0)
		sqlite3_bind_int64(st, 8, t->carried_from);
	db_bind_text(st, 9, ts);
	db_bind_text(st, 10, ts);
	db_bind_text(st, 11, db_author(db));
	if ((ret = db_step_done(db, st, e, "target")) != 0)
		return ret;
	t->position = pos;
	t->version = 1;
	t->outcome = OUTCOME_NONE;
	t->outcome_on = SDATE_NONE;
	t->latest = -1;
	t->latest_on = SDATE_NONE;
	snprintf(t->created_at, sizeof t->created_at, "%s", ts);
	snprintf(t->updated_at, sizeof t->updated_at, "%s", ts);
	strlcpy_utf8(t->changed_by, db_author(db), sizeof t->changed_by);
	return 0;
}

/* The fields a user types, checked before anything is written. */
static int
target_validate(const struct target *t, struct serr *e)
{
	if (blank(t->text))
		return serr_set(e, SE_INVALID, "target: the text (what the "
		    "pupil will do) is required");
	if ((unsigned)t->area >= AREA_COUNT)
		return serr_set(e, SE_INVALID, "target: broad area %d is not "
		    "CI, CL, SEMH or SP", (int)t->area);
	return 0;
}

int
target_add(struct db *db, struct target *t, struct serr *e)
{
	int ret;

	if ((ret = target_validate(t, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = open_cycle(db, t->cycle_id, NULL, e)) != 0 ||
	    (ret = insert_target(db, t, e)) != 0) {
		db_rollback(db);
		return ret;
	}
	return db_commit(db, e);
}

int
target_update(struct db *db, struct target *t, struct serr *e)
{
	struct target_state s;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN];
	int ret;

	if ((ret = target_validate(t, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = target_state(db, t->id, &s, e)) != 0)
		goto fail;
	if (s.version != t->version) {
		ret = serr_set(e, SE_CONFLICT, "target: changed by %s at %s "
		    "since you opened it", s.changed_by, s.updated_at);
		goto fail;
	}
	if ((st = db_stmt(db, SQL_UPDATE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(ts);
	db_bind_text(st, 1, t->text);
	db_bind_text(st, 2, t->criteria);
	db_bind_text(st, 3, t->baseline);
	db_bind_text(st, 4, area_code(t->area));
	db_bind_text(st, 5, ts);
	db_bind_text(st, 6, db_author(db));
	sqlite3_bind_int64(st, 7, t->id);
	sqlite3_bind_int64(st, 8, t->version);
	if ((ret = db_step_done(db, st, e, "target")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		/* Not reachable inside BEGIN IMMEDIATE; never claim a write
		 * that did not happen. */
		ret = serr_set(e, SE_CONFLICT, "target: changed by someone "
		    "else since you opened it");
		goto fail;
	}
	state_free(&s);
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	t->version++;
	snprintf(t->updated_at, sizeof t->updated_at, "%s", ts);
	strlcpy_utf8(t->changed_by, db_author(db), sizeof t->changed_by);
	return 0;
fail:
	state_free(&s);
	db_rollback(db);
	return ret;
}

int
target_rate(struct db *db, int64_t target_id, int value, const char *comment,
    sdate on, int64_t *rating_id, struct serr *e)
{
	struct target_state s;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], b1[DATE_ISO_LEN], b2[DATE_ISO_LEN];
	sdate today = date_today();
	int64_t id;
	int ret;

	if (value < -1 || value > RATING_MAX)
		return serr_set(e, SE_INVALID, "rating: %d is not 0 (not "
		    "started) to 4 (achieved)", value);
	if (value == -1 && blank(comment))
		return serr_set(e, SE_INVALID, "rating: a comment without a "
		    "rating needs some text");
	if (on == SDATE_NONE)
		on = today;
	if (on > today)
		return serr_set(e, SE_INVALID, "rating: %s is in the future",
		    date_show(on, b1));
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = target_state(db, target_id, &s, e)) != 0)
		goto fail;
	if (s.closed_on != SDATE_NONE) {
		ret = serr_set(e, SE_STATE, "rating: the target's cycle was "
		    "closed on %s", date_show(s.closed_on, b1));
		goto fail;
	}
	if (s.outcome != OUTCOME_NONE) {
		ret = serr_set(e, SE_STATE, "rating: the target already has "
		    "its outcome (%s); clear it to rate again",
		    outcome_name(s.outcome));
		goto fail;
	}
	if (on < s.plan_start) {
		ret = serr_set(e, SE_INVALID, "rating: %s is before the plan "
		    "started (%s)", date_show(on, b1),
		    date_show(s.plan_start, b2));
		goto fail;
	}
	if ((st = db_stmt(db, SQL_RATE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	id = db_new_id(db);
	timestamp_now(ts);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, target_id);
	if (value >= 0)
		sqlite3_bind_int(st, 3, value);
	db_bind_date(st, 4, on);
	db_bind_text(st, 5, db_author(db));
	db_bind_text(st, 6, blank(comment) ? NULL : comment);
	db_bind_text(st, 7, ts);
	db_bind_text(st, 8, ts);
	db_bind_text(st, 9, db_author(db));
	if ((ret = db_step_done(db, st, e, "rating")) != 0)
		goto fail;
	state_free(&s);
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	if (rating_id != NULL)
		*rating_id = id;
	return 0;
fail:
	state_free(&s);
	db_rollback(db);
	return ret;
}

int
target_rating_delete(struct db *db, int64_t rating_id, struct serr *e)
{
	sqlite3_stmt *st;
	int ret;

	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((st = db_stmt(db, SQL_RATING_DELETE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, rating_id);
	if ((ret = db_step_done(db, st, e, "rating")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		ret = serr_set(e, SE_NOTFOUND, "rating: no rating with id "
		    "%lld", (long long)rating_id);
		goto fail;
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

int
target_set_outcome(struct db *db, int64_t target_id, enum outcome o,
    struct serr *e)
{
	return target_set_outcome_on(db, target_id, o, SDATE_NONE, e);
}

int
target_set_outcome_on(struct db *db, int64_t target_id, enum outcome o,
    sdate on, struct serr *e)
{
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN];
	int ret;

	if ((unsigned)o >= OUTCOME_COUNT)
		return serr_set(e, SE_INVALID, "target: outcome %d is not "
		    "achieved, partial, not or discontinued", (int)o);
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((st = db_stmt(db, SQL_SET_OUTCOME, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	db_bind_text(st, 1, outcome_code(o));
	db_bind_date(st, 2, o == OUTCOME_NONE ? SDATE_NONE :
	    on != SDATE_NONE ? on : date_today());
	db_bind_text(st, 3, timestamp_now(ts));
	db_bind_text(st, 4, db_author(db));
	sqlite3_bind_int64(st, 5, target_id);
	if ((ret = db_step_done(db, st, e, "target")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		ret = serr_set(e, SE_NOTFOUND, "target: no target with id "
		    "%lld", (long long)target_id);
		goto fail;
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

/* "Rated 2 (developing) on 03/11/2026" for the latest rating of a target,
 * or NULL when it has none. Caller frees. */
static int
latest_words(struct db *db, int64_t target_id, char **out, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LATEST, e);
	char buf[DATE_ISO_LEN];
	int rc, v;

	*out = NULL;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, target_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		v = sqlite3_column_int(st, 0);
		xasprintf(out, "Rated %d (%s) on %s", v, rating_name(v),
		    date_show(db_col_date(st, 1), buf));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "target");
	return 0;
}

static int
already_carried(struct db *db, int64_t cycle_id, int64_t target_id,
    bool *yes, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CARRIED, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, cycle_id);
	sqlite3_bind_int64(st, 2, target_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "target");
	*yes = rc == SQLITE_ROW;
	return 0;
}

int
target_carry_over(struct db *db, int64_t target_id, int64_t new_cycle_id,
    int64_t *new_id, struct serr *e)
{
	struct target_state s;
	struct target t;
	char *words = NULL;
	int64_t pupil_id = 0;
	bool dup = false;
	int ret;

	target_init(&t);
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = target_state(db, target_id, &s, e)) != 0 ||
	    (ret = open_cycle(db, new_cycle_id, &pupil_id, e)) != 0)
		goto fail;
	if (s.cycle_id == new_cycle_id) {
		ret = serr_set(e, SE_INVALID, "target: it is already in that "
		    "cycle");
		goto fail;
	}
	if (pupil_id != s.pupil_id) {
		ret = serr_set(e, SE_INVALID, "target: the new cycle belongs "
		    "to another pupil");
		goto fail;
	}
	if ((ret = already_carried(db, new_cycle_id, target_id, &dup, e)) != 0)
		goto fail;
	if (dup) {
		ret = serr_set(e, SE_EXISTS, "target: already carried over "
		    "into that cycle");
		goto fail;
	}
	if ((ret = latest_words(db, target_id, &words, e)) != 0)
		goto fail;
	t.cycle_id = new_cycle_id;
	t.text = s.text;
	t.criteria = s.criteria;
	/* Without a rating the old baseline is still the best we know. */
	t.baseline = words != NULL ? words : s.baseline;
	t.area = s.area;
	t.carried_from = target_id;
	if ((ret = insert_target(db, &t, e)) != 0)
		goto fail;
	free(words);
	state_free(&s);
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	if (new_id != NULL)
		*new_id = t.id;
	return 0;
fail:
	free(words);
	state_free(&s);
	db_rollback(db);
	return ret;
}
