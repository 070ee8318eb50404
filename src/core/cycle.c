/*
 * cycle.c: the graduated-approach cycle of one pupil (assess, plan, do,
 * review) and its close with a review decision.
 *
 * The rule "at most one open cycle per pupil" is checked here, so the user
 * gets a message naming the pupil and the open cycle, and is also held by
 * the unique index cycle_open, so two writers cannot both get past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cycle.h"
#include "xmalloc.h"

#define DEFAULT_REVIEW_WEEKS 12

/* The columns every read returns, in the order cycle_row() expects. */
#define CYCLE_COLS \
	"id, pupil_id, stage, plan_start, plan_end, review_date, " \
	"assess_notes, plan_notes, do_notes, review_notes, parent_voice, " \
	"pupil_voice, decision, closed_on, carried_from, version, " \
	"created_at, updated_at, changed_by"

static const char SQL_GET[] =
    "SELECT " CYCLE_COLS " FROM cycle WHERE id = ?";
static const char SQL_OPEN_FOR[] =
    "SELECT " CYCLE_COLS " FROM cycle WHERE pupil_id = ? AND closed_on IS NULL";
/* Newest first; an open cycle before a closed one that started the same
 * day (a close and the next start can share a date). */
static const char SQL_LIST[] =
    "SELECT " CYCLE_COLS " FROM cycle WHERE pupil_id = ? "
    "ORDER BY plan_start DESC, closed_on IS NULL DESC, closed_on DESC, "
    "created_at DESC";
static const char SQL_PUPIL[] =
    "SELECT upn, archived FROM pupil WHERE id = ?";
static const char SQL_OPEN_REVIEW[] =
    "SELECT review_date FROM cycle WHERE pupil_id = ? AND closed_on IS NULL";
static const char SQL_INSERT[] =
    "INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end, "
    "review_date, carried_from, created_at, updated_at, version, changed_by) "
    "VALUES (?, ?, 'assess', ?, ?, ?, ?, ?, ?, 1, ?)";
static const char SQL_STATE[] =
    "SELECT pupil_id, stage, plan_start, closed_on, version, changed_by, "
    "updated_at FROM cycle WHERE id = ?";
static const char SQL_SET_STAGE[] =
    "UPDATE cycle SET stage = ?, version = version + 1, updated_at = ?, "
    "changed_by = ? WHERE id = ?";
static const char SQL_UPDATE[] =
    "UPDATE cycle SET stage = ?, plan_start = ?, plan_end = ?, "
    "review_date = ?, assess_notes = ?, plan_notes = ?, do_notes = ?, "
    "review_notes = ?, parent_voice = ?, pupil_voice = ?, "
    "version = version + 1, updated_at = ?, changed_by = ? "
    "WHERE id = ? AND version = ?";
static const char SQL_CLOSE[] =
    "UPDATE cycle SET decision = ?, closed_on = ?, stage = 'review', "
    "version = version + 1, updated_at = ?, changed_by = ? WHERE id = ?";

/* One statement per text field: column names never come from the caller. */
#define SET_TEXT(col) \
    "UPDATE cycle SET " col " = ?, version = version + 1, updated_at = ?, " \
    "changed_by = ? WHERE id = ?"
static const char SQL_SET_ASSESS[] = SET_TEXT("assess_notes");
static const char SQL_SET_PLAN[] = SET_TEXT("plan_notes");
static const char SQL_SET_DO[] = SET_TEXT("do_notes");
static const char SQL_SET_REVIEW[] = SET_TEXT("review_notes");
static const char SQL_SET_PARENT[] = SET_TEXT("parent_voice");
static const char SQL_SET_PUPIL[] = SET_TEXT("pupil_voice");

static const struct {
	const char *field;
	const char *sql;
} text_fields[] = {
	{ "assess", SQL_SET_ASSESS },
	{ "plan", SQL_SET_PLAN },
	{ "do", SQL_SET_DO },
	{ "review", SQL_SET_REVIEW },
	{ "parent", SQL_SET_PARENT },
	{ "pupil", SQL_SET_PUPIL },
};

void
cycle_init(struct cycle *c)
{
	memset(c, 0, sizeof *c);
	c->stage = STAGE_ASSESS;
	c->plan_start = c->plan_end = c->review_date = SDATE_NONE;
	c->decision = DECISION_NONE;
	c->closed_on = SDATE_NONE;
}

void
cycle_free(struct cycle *c)
{
	for (int i = 0; i < STAGE_COUNT; i++) {
		free(c->notes[i]);
		c->notes[i] = NULL;
	}
	free(c->parent_voice);
	free(c->pupil_voice);
	c->parent_voice = c->pupil_voice = NULL;
}

/* Stored words back to enums; the schema's CHECKs keep them valid. */
static enum stage
stage_from(sqlite3_stmt *st, int i)
{
	enum stage s = STAGE_ASSESS;

	stage_parse((const char *)sqlite3_column_text(st, i), &s, NULL);
	return s;
}

static enum decision
decision_from(sqlite3_stmt *st, int i)
{
	enum decision d = DECISION_NONE;

	if (sqlite3_column_type(st, i) != SQLITE_NULL)
		decision_parse((const char *)sqlite3_column_text(st, i), &d,
		    NULL);
	return d;
}

/* Fill c (initialised here) from a row of CYCLE_COLS; c's strings are
 * heap copies the caller frees with cycle_free(). */
static void
cycle_row(sqlite3_stmt *st, struct cycle *c)
{
	cycle_init(c);
	c->id = sqlite3_column_int64(st, 0);
	c->pupil_id = sqlite3_column_int64(st, 1);
	c->stage = stage_from(st, 2);
	c->plan_start = db_col_date(st, 3);
	c->plan_end = db_col_date(st, 4);
	c->review_date = db_col_date(st, 5);
	for (int i = 0; i < STAGE_COUNT; i++)
		c->notes[i] = db_col_dup(st, 6 + i);
	c->parent_voice = db_col_dup(st, 10);
	c->pupil_voice = db_col_dup(st, 11);
	c->decision = decision_from(st, 12);
	c->closed_on = db_col_date(st, 13);
	c->carried_from = sqlite3_column_int64(st, 14);
	c->version = sqlite3_column_int64(st, 15);
	db_col_copy(st, 16, c->created_at, sizeof c->created_at);
	db_col_copy(st, 17, c->updated_at, sizeof c->updated_at);
	db_col_copy(st, 18, c->changed_by, sizeof c->changed_by);
}

/* Run a one-row read bound to `key`; 1 = filled c, 0 = no row. c is
 * initialised first, so cycle_free() is safe on it whatever happens. */
static int
read_one(struct db *db, const char *sql, int64_t key, struct cycle *c,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	int rc;

	cycle_init(c);
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cycle_row(st, c);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "cycle");
	return 0;
}

/* *out's strings are the caller's to free with cycle_free(). */
int
cycle_get(struct db *db, int64_t id, struct cycle *out, struct serr *e)
{
	int rc = read_one(db, SQL_GET, id, out, e);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return serr_set(e, SE_NOTFOUND, "cycle: no cycle with id %lld",
		    (long long)id);
	return 0;
}

int
cycle_open_for(struct db *db, int64_t pupil_id, struct cycle *out,
    struct serr *e)
{
	int rc = read_one(db, SQL_OPEN_FOR, pupil_id, out, e);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return serr_set(e, SE_NOTFOUND, "cycle: the pupil has no open "
		    "cycle");
	return 0;
}

/* The cycle given to cb is freed when cb returns (copy what you keep).
 * cb may call other core reads, but not cycle_list() itself: the walk
 * holds the cached statement. */
int
cycle_list(struct db *db, int64_t pupil_id, cycle_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LIST, e);
	struct cycle c;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cycle_row(st, &c);
		ret = cb(ctx, &c);
		cycle_free(&c);
		if (ret != 0)
			break;
	}
	sqlite3_reset(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "cycle list");
	return ret;
}

/* What the write paths need to know about a cycle row. */
struct cycle_state {
	int64_t pupil_id;
	enum stage stage;
	sdate plan_start, closed_on;
	int64_t version;
	char changed_by[AUTHOR_MAX];
	char updated_at[TIMESTAMP_LEN];
};

static int
cycle_state(struct db *db, int64_t id, struct cycle_state *s, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STATE, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, e, "cycle");
		return serr_set(e, SE_NOTFOUND, "cycle: no cycle with id %lld",
		    (long long)id);
	}
	s->pupil_id = sqlite3_column_int64(st, 0);
	s->stage = stage_from(st, 1);
	s->plan_start = db_col_date(st, 2);
	s->closed_on = db_col_date(st, 3);
	s->version = sqlite3_column_int64(st, 4);
	db_col_copy(st, 5, s->changed_by, sizeof s->changed_by);
	db_col_copy(st, 6, s->updated_at, sizeof s->updated_at);
	sqlite3_reset(st);
	return 0;
}

/*
 * Insert a new open cycle (inside the caller's transaction): checks the
 * pupil and the one-open-cycle rule, works out the dates, and gives the
 * new id in *id.
 */
static int
start_in_tx(struct db *db, int64_t pupil_id, sdate start, sdate review,
    int review_weeks, int64_t carried_from, int64_t *id, struct serr *e)
{
	sqlite3_stmt *st;
	char upn[UPN_LEN + 1], ts[TIMESTAMP_LEN], b1[DATE_ISO_LEN],
	    b2[DATE_ISO_LEN];
	bool archived;
	int rc;

	if ((st = db_stmt(db, SQL_PUPIL, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, e, "cycle");
		return serr_set(e, SE_NOTFOUND, "cycle: no pupil with id %lld",
		    (long long)pupil_id);
	}
	db_col_copy(st, 0, upn, sizeof upn);
	archived = sqlite3_column_int(st, 1) != 0;
	sqlite3_reset(st);
	if (archived)
		return serr_set(e, SE_STATE, "cycle: pupil %s is archived; "
		    "bring the pupil back before starting a cycle", upn);

	if ((st = db_stmt(db, SQL_OPEN_REVIEW, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sdate due = db_col_date(st, 0);

		sqlite3_reset(st);
		return serr_set(e, SE_EXISTS, "cycle: pupil %s already has an "
		    "open cycle (review due %s); close it before starting "
		    "another", upn, date_show(due, b1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "cycle");

	if (start == SDATE_NONE)
		start = date_today();
	if (review_weeks <= 0)
		review_weeks = DEFAULT_REVIEW_WEEKS;
	if (review == SDATE_NONE)
		review = start + review_weeks * 7;
	if (review < start)
		return serr_set(e, SE_INVALID, "cycle: the review date %s is "
		    "before the start %s", date_show(review, b1),
		    date_show(start, b2));

	if ((st = db_stmt(db, SQL_INSERT, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	*id = db_new_id(db);
	timestamp_now(ts);
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, pupil_id);
	db_bind_date(st, 3, start);
	db_bind_date(st, 4, review);
	db_bind_date(st, 5, review);
	if (carried_from != 0)
		sqlite3_bind_int64(st, 6, carried_from);
	sqlite3_bind_text(st, 7, ts, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, ts, -1, SQLITE_TRANSIENT);
	db_bind_text(st, 9, db_author(db));
	return db_step_done(db, st, e, "cycle");
}

/* *out, if given, is the caller's to free with cycle_free(). */
int
cycle_start(struct db *db, int64_t pupil_id, sdate start, sdate review,
    int review_weeks, struct cycle *out, struct serr *e)
{
	int64_t id = 0;
	int ret;

	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = start_in_tx(db, pupil_id, start, review, review_weeks, 0,
	    &id, e)) != 0) {
		db_rollback(db);
		return ret;
	}
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	return out != NULL ? cycle_get(db, id, out, e) : 0;
}

int
cycle_advance(struct db *db, int64_t id, struct serr *e)
{
	struct cycle_state s;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], buf[DATE_ISO_LEN];
	int ret;

	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = cycle_state(db, id, &s, e)) != 0)
		goto fail;
	if (s.closed_on != SDATE_NONE) {
		ret = serr_set(e, SE_STATE, "cycle: closed on %s; a closed "
		    "cycle does not move on", date_show(s.closed_on, buf));
		goto fail;
	}
	if (s.stage == STAGE_REVIEW) {
		ret = serr_set(e, SE_STATE, "cycle: already at review; close "
		    "the cycle with a decision");
		goto fail;
	}
	if ((st = db_stmt(db, SQL_SET_STAGE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	db_bind_text(st, 1, stage_code(s.stage + 1));
	db_bind_text(st, 2, timestamp_now(ts));
	db_bind_text(st, 3, db_author(db));
	sqlite3_bind_int64(st, 4, id);
	if ((ret = db_step_done(db, st, e, "cycle")) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

/* Check the dates and stage of c before anything is written. */
static int
cycle_validate(const struct cycle *c, struct serr *e)
{
	char b1[DATE_ISO_LEN], b2[DATE_ISO_LEN];

	if ((unsigned)c->stage >= STAGE_COUNT)
		return serr_set(e, SE_INVALID, "cycle: stage %d is not assess, "
		    "plan, do or review", (int)c->stage);
	if (c->plan_start == SDATE_NONE || c->plan_end == SDATE_NONE)
		return serr_set(e, SE_INVALID, "cycle: the plan period needs "
		    "a start and an end date");
	if (c->review_date == SDATE_NONE)
		return serr_set(e, SE_INVALID, "cycle: a review date is "
		    "required");
	if (c->plan_end < c->plan_start)
		return serr_set(e, SE_INVALID, "cycle: the plan ends (%s) "
		    "before it starts (%s)", date_show(c->plan_end, b1),
		    date_show(c->plan_start, b2));
	if (c->review_date < c->plan_start)
		return serr_set(e, SE_INVALID, "cycle: the review date %s is "
		    "before the plan starts (%s)", date_show(c->review_date, b1),
		    date_show(c->plan_start, b2));
	return 0;
}

static int
conflict(const struct cycle_state *s, struct serr *e)
{
	return serr_set(e, SE_CONFLICT, "cycle: changed by %s at %s since you "
	    "opened it", s->changed_by, s->updated_at);
}

int
cycle_update(struct db *db, struct cycle *c, struct serr *e)
{
	struct cycle_state s;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], b1[DATE_ISO_LEN], b2[DATE_ISO_LEN];
	int ret;

	if ((ret = cycle_validate(c, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = cycle_state(db, c->id, &s, e)) != 0)
		goto fail;
	if (s.version != c->version) {
		ret = conflict(&s, e);
		goto fail;
	}
	/* A closed cycle keeps its shape: it ended at review, inside its
	 * plan period. */
	if (s.closed_on != SDATE_NONE && c->stage != STAGE_REVIEW) {
		ret = serr_set(e, SE_STATE, "cycle: closed on %s; its stage "
		    "stays review", date_show(s.closed_on, b1));
		goto fail;
	}
	if (s.closed_on != SDATE_NONE && c->plan_start > s.closed_on) {
		ret = serr_set(e, SE_INVALID, "cycle: the plan cannot start "
		    "(%s) after the cycle closed (%s)",
		    date_show(c->plan_start, b1), date_show(s.closed_on, b2));
		goto fail;
	}
	if ((st = db_stmt(db, SQL_UPDATE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(ts);
	db_bind_text(st, 1, stage_code(c->stage));
	db_bind_date(st, 2, c->plan_start);
	db_bind_date(st, 3, c->plan_end);
	db_bind_date(st, 4, c->review_date);
	for (int i = 0; i < STAGE_COUNT; i++)
		db_bind_text(st, 5 + i, c->notes[i]);
	db_bind_text(st, 9, c->parent_voice);
	db_bind_text(st, 10, c->pupil_voice);
	db_bind_text(st, 11, ts);
	db_bind_text(st, 12, db_author(db));
	sqlite3_bind_int64(st, 13, c->id);
	sqlite3_bind_int64(st, 14, c->version);
	if ((ret = db_step_done(db, st, e, "cycle")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		/* Not reachable inside BEGIN IMMEDIATE, but never claim a
		 * write that did not happen. */
		if ((ret = cycle_state(db, c->id, &s, e)) == 0)
			ret = conflict(&s, e);
		goto fail;
	}
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	c->version++;
	snprintf(c->updated_at, sizeof c->updated_at, "%s", ts);
	strlcpy_utf8(c->changed_by, db_author(db), sizeof c->changed_by);
	return 0;
fail:
	db_rollback(db);
	return ret;
}

int
cycle_set_text(struct db *db, int64_t id, const char *field,
    const char *text, struct serr *e)
{
	const char *sql = NULL;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN];
	int ret;

	for (size_t i = 0; field != NULL &&
	    i < sizeof text_fields / sizeof text_fields[0]; i++)
		if (strcmp(field, text_fields[i].field) == 0)
			sql = text_fields[i].sql;
	if (sql == NULL)
		return serr_set(e, SE_INVALID, "cycle: '%s' is not a text "
		    "field (assess, plan, do, review, parent or pupil)",
		    field != NULL ? field : "");
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((st = db_stmt(db, sql, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	db_bind_text(st, 1, text);
	db_bind_text(st, 2, timestamp_now(ts));
	db_bind_text(st, 3, db_author(db));
	sqlite3_bind_int64(st, 4, id);
	if ((ret = db_step_done(db, st, e, "cycle")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		ret = serr_set(e, SE_NOTFOUND, "cycle: no cycle with id %lld",
		    (long long)id);
		goto fail;
	}
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

/* *next_out, if given, is initialised at once and, when a next cycle is
 * started, filled; the caller frees it with cycle_free() either way. */
int
cycle_close(struct db *db, int64_t id, enum decision d, sdate on,
    int review_weeks, struct cycle *next_out, struct serr *e)
{
	struct cycle_state s;
	sqlite3_stmt *st;
	char ts[TIMESTAMP_LEN], b1[DATE_ISO_LEN], b2[DATE_ISO_LEN];
	int64_t next_id = 0;
	int ret;

	if (next_out != NULL)
		cycle_init(next_out);
	if (d <= DECISION_NONE || d >= DECISION_COUNT)
		return serr_set(e, SE_INVALID, "cycle: closing needs a "
		    "decision (continue, increase, ehc or remove)");
	if (on == SDATE_NONE)
		on = date_today();
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = cycle_state(db, id, &s, e)) != 0)
		goto fail;
	if (s.closed_on != SDATE_NONE) {
		ret = serr_set(e, SE_STATE, "cycle: already closed on %s",
		    date_show(s.closed_on, b1));
		goto fail;
	}
	if (on < s.plan_start) {
		ret = serr_set(e, SE_INVALID, "cycle: cannot close on %s, "
		    "before the plan started (%s)", date_show(on, b1),
		    date_show(s.plan_start, b2));
		goto fail;
	}
	/* A decision is recorded when it is taken, as ratings are. */
	if (on > date_today()) {
		ret = serr_set(e, SE_INVALID, "cycle: cannot close on %s, "
		    "in the future", date_show(on, b1));
		goto fail;
	}
	if ((st = db_stmt(db, SQL_CLOSE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	db_bind_text(st, 1, decision_code(d));
	db_bind_date(st, 2, on);
	db_bind_text(st, 3, timestamp_now(ts));
	db_bind_text(st, 4, db_author(db));
	sqlite3_bind_int64(st, 5, id);
	if ((ret = db_step_done(db, st, e, "cycle")) != 0)
		goto fail;

	switch (d) {
	case DECISION_REMOVE:
		if ((ret = pupil_set_status(db, s.pupil_id, 'N', on, e)) != 0)
			goto fail;
		break;
	case DECISION_CONTINUE:
	case DECISION_INCREASE:
		if (next_out != NULL && (ret = start_in_tx(db, s.pupil_id, on,
		    SDATE_NONE, review_weeks, id, &next_id, e)) != 0)
			goto fail;
		break;
	default:
		/* EHC: the request itself is recorded elsewhere. */
		break;
	}
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	return next_id != 0 ? cycle_get(db, next_id, next_out, e) : 0;
fail:
	db_rollback(db);
	return ret;
}
