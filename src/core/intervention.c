/*
 * intervention.c: the intervention catalogue and pupils' enrolments in
 * them (together, the provision map). Costs, impact and ratio gain are
 * worked out in derive.c; this file only keeps the records.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "intervention.h"
#include "xmalloc.h"

#define SESSIONS_PER_WEEK_MAX 50
#define MINUTES_MAX 600

/* --- storage words ---------------------------------------------------- */

static const char *const basis_words[] = { "session", "hour" };
static const char *const measure_words[] = { "score", "age", "rating" };

static enum cost_basis
basis_from_word(const char *s)
{
	return s != NULL && strcmp(s, "hour") == 0 ? COST_PER_HOUR :
	    COST_PER_SESSION;
}

static enum measure_kind
measure_from_word(const char *s)
{
	if (s != NULL && strcmp(s, "age") == 0)
		return MEASURE_AGE;
	if (s != NULL && strcmp(s, "rating") == 0)
		return MEASURE_RATING;
	return MEASURE_SCORE;
}

/* Strip surrounding blanks in place. */
static void
trim(char *s)
{
	size_t len, lead = 0;

	while (isspace((unsigned char)s[lead]))
		lead++;
	len = strlen(s + lead);
	memmove(s, s + lead, len + 1);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
}

/* NAN (not recorded) is stored as SQL NULL. */
static void
bind_score(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static double
col_score(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, i);
}

/* --- interventions ---------------------------------------------------- */

void
intervention_init(struct intervention *iv)
{
	memset(iv, 0, sizeof *iv);
	iv->area = AREA_NONE;
	iv->basis = COST_PER_SESSION;
}

/* Frees the heap strings only; iv itself belongs to the caller. */
void
intervention_free(struct intervention *iv)
{
	if (iv == NULL)
		return;
	free(iv->description);
	free(iv->evidence);
	iv->description = NULL;
	iv->evidence = NULL;
}

#define IV_COLUMNS "id, name, area, description, evidence, cost_basis, " \
    "cost_pence, retired, version, created_at, updated_at, changed_by"

static const char SQL_IV_GET[] =
    "SELECT " IV_COLUMNS " FROM intervention WHERE id = ?";
static const char SQL_IV_FIND[] =
    "SELECT " IV_COLUMNS " FROM intervention WHERE name = ? COLLATE NOCASE";
static const char SQL_IV_LIST[] =
    "SELECT " IV_COLUMNS " FROM intervention WHERE retired = 0 OR ? "
    "ORDER BY name COLLATE NOCASE, name";
static const char SQL_IV_SAME_NAME[] =
    "SELECT id FROM intervention WHERE name = ? COLLATE NOCASE AND id <> ?";
static const char SQL_IV_INSERT[] =
    "INSERT INTO intervention (id, name, area, description, evidence, "
    "cost_basis, cost_pence, retired, created_at, updated_at, version, "
    "changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";
static const char SQL_IV_UPDATE[] =
    "UPDATE intervention SET name = ?, area = ?, description = ?, "
    "evidence = ?, cost_basis = ?, cost_pence = ?, retired = ?, "
    "updated_at = ?, version = version + 1, changed_by = ? "
    "WHERE id = ? AND version = ?";
static const char SQL_IV_WHO[] =
    "SELECT changed_by, updated_at, version FROM intervention WHERE id = ?";

/* Fill iv from a row of IV_COLUMNS; the strings are iv's to free. */
static void
iv_from_row(sqlite3_stmt *st, struct intervention *iv)
{
	intervention_init(iv);
	iv->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, iv->name, sizeof iv->name);
	if (area_parse((const char *)sqlite3_column_text(st, 2), &iv->area,
	    NULL) != 0)
		iv->area = AREA_NONE;
	iv->description = db_col_dup(st, 3);
	iv->evidence = db_col_dup(st, 4);
	iv->basis = basis_from_word((const char *)sqlite3_column_text(st, 5));
	iv->cost_pence = sqlite3_column_int64(st, 6);
	iv->retired = sqlite3_column_int(st, 7) != 0;
	iv->version = sqlite3_column_int64(st, 8);
	db_col_copy(st, 9, iv->created_at, sizeof iv->created_at);
	db_col_copy(st, 10, iv->updated_at, sizeof iv->updated_at);
	db_col_copy(st, 11, iv->changed_by, sizeof iv->changed_by);
}

/* Check the fields (trimming the name in place). */
static int
iv_validate(struct intervention *iv, struct serr *e)
{
	trim(iv->name);
	if (iv->name[0] == '\0')
		return serr_set(e, SE_INVALID, "intervention: a name is "
		    "required");
	if ((unsigned)iv->area >= AREA_COUNT)
		return serr_set(e, SE_INVALID, "intervention '%s': unknown "
		    "broad area", iv->name);
	if (iv->basis != COST_PER_SESSION && iv->basis != COST_PER_HOUR)
		return serr_set(e, SE_INVALID, "intervention '%s': the cost "
		    "must be per session or per hour", iv->name);
	if (iv->cost_pence < 0)
		return serr_set(e, SE_INVALID, "intervention '%s': the cost "
		    "cannot be negative", iv->name);
	return 0;
}

/* SE_EXISTS if another intervention (not `self`) has the name. */
static int
iv_name_free(struct db *db, const char *name, int64_t self, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IV_SAME_NAME, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	db_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, self);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return serr_set(e, SE_EXISTS, "intervention '%s': the "
		    "catalogue already has an intervention of that name", name);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "intervention");
	return 0;
}

int
intervention_add(struct db *db, struct intervention *iv, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int64_t id;
	int ret;

	if ((ret = iv_validate(iv, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = iv_name_free(db, iv->name, 0, e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_IV_INSERT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	id = db_new_id(db);
	timestamp_now(now);
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, iv->name);
	db_bind_text(st, 3, area_code(iv->area));
	db_bind_text(st, 4, iv->description);
	db_bind_text(st, 5, iv->evidence);
	db_bind_text(st, 6, basis_words[iv->basis]);
	sqlite3_bind_int64(st, 7, iv->cost_pence);
	sqlite3_bind_int(st, 8, iv->retired ? 1 : 0);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, now);
	db_bind_text(st, 11, db_author(db));
	if ((ret = db_step_done(db, st, e, "intervention")) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	iv->id = id;
	iv->version = 1;
	snprintf(iv->created_at, sizeof iv->created_at, "%s", now);
	snprintf(iv->updated_at, sizeof iv->updated_at, "%s", now);
	snprintf(iv->changed_by, sizeof iv->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

/* 0 if intervention `id` is still at `version`; else SE_NOTFOUND, or
 * SE_CONFLICT naming who changed it and when. */
static int
iv_check_version(struct db *db, int64_t id, int64_t version, struct serr *e)
{
	char who[AUTHOR_MAX], when[TIMESTAMP_LEN];
	sqlite3_stmt *st = db_stmt(db, SQL_IV_WHO, e);
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 2) != version) {
		db_col_copy(st, 0, who, sizeof who);
		db_col_copy(st, 1, when, sizeof when);
		ret = serr_set(e, SE_CONFLICT, "intervention: changed by %s at "
		    "%s since you opened it", who, when);
	} else if (rc == SQLITE_DONE)
		ret = serr_set(e, SE_NOTFOUND, "intervention: no intervention "
		    "with id %lld", (long long)id);
	else if (rc != SQLITE_ROW)
		ret = db_fail(db, rc, e, "intervention");
	sqlite3_reset(st);
	return ret;
}

int
intervention_update(struct db *db, struct intervention *iv, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int ret;

	if ((ret = iv_validate(iv, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	/* Inside the write transaction, so nobody can slip in between the
	 * check and the UPDATE (which checks the version again anyway). */
	if ((ret = iv_check_version(db, iv->id, iv->version, e)) != 0 ||
	    (ret = iv_name_free(db, iv->name, iv->id, e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_IV_UPDATE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(now);
	db_bind_text(st, 1, iv->name);
	db_bind_text(st, 2, area_code(iv->area));
	db_bind_text(st, 3, iv->description);
	db_bind_text(st, 4, iv->evidence);
	db_bind_text(st, 5, basis_words[iv->basis]);
	sqlite3_bind_int64(st, 6, iv->cost_pence);
	sqlite3_bind_int(st, 7, iv->retired ? 1 : 0);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, db_author(db));
	sqlite3_bind_int64(st, 10, iv->id);
	sqlite3_bind_int64(st, 11, iv->version);
	if ((ret = db_step_done(db, st, e, "intervention")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) != 1) {
		ret = serr_set(e, SE_CONFLICT, "intervention: changed by "
		    "someone else since you opened it");
		goto fail;
	}
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	iv->version++;
	snprintf(iv->updated_at, sizeof iv->updated_at, "%s", now);
	snprintf(iv->changed_by, sizeof iv->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

/* Run a one-row lookup; on success iv holds heap strings the caller frees
 * with intervention_free() (iv is overwritten, not freed first). */
static int
iv_fetch(struct db *db, sqlite3_stmt *st, struct intervention *iv,
    struct serr *e, const char *missing)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		iv_from_row(st, iv);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "intervention: %s", missing);
	return db_fail(db, rc, e, "intervention");
}

/* On success iv's strings are the caller's: intervention_free() them. */
int
intervention_get(struct db *db, int64_t id, struct intervention *iv,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IV_GET, e);
	char missing[64];

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	snprintf(missing, sizeof missing, "no intervention with id %lld",
	    (long long)id);
	return iv_fetch(db, st, iv, e, missing);
}

/* As intervention_get(): the caller frees iv's strings. */
int
intervention_find(struct db *db, const char *name, struct intervention *iv,
    struct serr *e)
{
	sqlite3_stmt *st;
	char key[INTERVENTION_NAME_MAX], missing[INTERVENTION_NAME_MAX + 48];

	snprintf(key, sizeof key, "%s", name != NULL ? name : "");
	trim(key);
	if (key[0] == '\0')
		return serr_set(e, SE_INVALID, "intervention: no name given");
	if ((st = db_stmt(db, SQL_IV_FIND, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	db_bind_text(st, 1, key);
	snprintf(missing, sizeof missing, "no intervention called '%s'", key);
	return iv_fetch(db, st, iv, e, missing);
}

/* The callback sees each intervention for the length of the call only. */
int
intervention_list(struct db *db, bool include_retired, intervention_cb cb,
    void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IV_LIST, e);
	struct intervention iv;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int(st, 1, include_retired ? 1 : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		iv_from_row(st, &iv);
		ret = cb(ctx, &iv);
		intervention_free(&iv);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "interventions");
	sqlite3_reset(st);
	return ret;
}

/* --- enrolments ------------------------------------------------------- */

void
enrolment_init(struct enrolment *en)
{
	memset(en, 0, sizeof *en);
	en->group_size = 1;
	en->start = SDATE_NONE;
	en->end = SDATE_NONE;
	en->measure_kind = MEASURE_SCORE;
	en->entry = NAN;
	en->exit = NAN;
}

#define EN_COLUMNS "e.id, e.pupil_id, e.intervention_id, e.staff, " \
    "e.group_size, e.sessions_per_week, e.minutes, e.start_date, " \
    "e.end_date, e.ended, e.measure, e.measure_kind, e.entry_score, " \
    "e.exit_score, e.version, e.created_at, e.updated_at, e.changed_by"

static const char SQL_EN_GET[] =
    "SELECT " EN_COLUMNS " FROM enrolment e WHERE e.id = ?";
static const char SQL_EN_LIST_PUPIL[] =
    "SELECT " EN_COLUMNS " FROM enrolment e WHERE e.pupil_id = ? "
    "ORDER BY e.start_date DESC, e.created_at DESC";
/* Same order as the register: surname, then forename, preferred first. */
static const char SQL_EN_LIST_IV[] =
    "SELECT " EN_COLUMNS " FROM enrolment e JOIN pupil p ON p.id = e.pupil_id "
    "WHERE e.intervention_id = ? "
    "ORDER BY coalesce(nullif(p.preferred_surname, ''), p.legal_surname) "
    "COLLATE NOCASE, "
    "coalesce(nullif(p.preferred_forename, ''), p.legal_forename) "
    "COLLATE NOCASE, e.start_date";
static const char SQL_EN_PUPIL_STATE[] =
    "SELECT archived FROM pupil WHERE id = ?";
static const char SQL_EN_IV_STATE[] =
    "SELECT retired, name FROM intervention WHERE id = ?";
static const char SQL_EN_INSERT[] =
    "INSERT INTO enrolment (id, pupil_id, intervention_id, staff, "
    "group_size, sessions_per_week, minutes, start_date, end_date, ended, "
    "measure, measure_kind, entry_score, exit_score, created_at, "
    "updated_at, version, changed_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)";
static const char SQL_EN_FINISH[] =
    "UPDATE enrolment SET exit_score = coalesce(?, exit_score), "
    "end_date = ?, ended = 1, updated_at = ?, version = version + 1, "
    "changed_by = ? WHERE id = ? AND ended = 0";

static void
en_from_row(sqlite3_stmt *st, struct enrolment *en)
{
	enrolment_init(en);
	en->id = sqlite3_column_int64(st, 0);
	en->pupil_id = sqlite3_column_int64(st, 1);
	en->intervention_id = sqlite3_column_int64(st, 2);
	db_col_copy(st, 3, en->staff, sizeof en->staff);
	en->group_size = sqlite3_column_int(st, 4);
	en->sessions_per_week = sqlite3_column_int(st, 5);
	en->minutes = sqlite3_column_int(st, 6);
	en->start = db_col_date(st, 7);
	en->end = db_col_date(st, 8);
	en->ended = sqlite3_column_int(st, 9) != 0;
	db_col_copy(st, 10, en->measure, sizeof en->measure);
	en->measure_kind = measure_from_word(
	    (const char *)sqlite3_column_text(st, 11));
	en->entry = col_score(st, 12);
	en->exit = col_score(st, 13);
	en->version = sqlite3_column_int64(st, 14);
	db_col_copy(st, 15, en->created_at, sizeof en->created_at);
	db_col_copy(st, 16, en->updated_at, sizeof en->updated_at);
	db_col_copy(st, 17, en->changed_by, sizeof en->changed_by);
}

static int
en_validate(struct enrolment *en, struct serr *e)
{
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];

	trim(en->staff);
	trim(en->measure);
	if (en->group_size < 1)
		return serr_set(e, SE_INVALID, "enrolment: group size %d: a "
		    "group has at least 1 pupil", en->group_size);
	if (en->sessions_per_week < 0 ||
	    en->sessions_per_week > SESSIONS_PER_WEEK_MAX)
		return serr_set(e, SE_INVALID, "enrolment: %d sessions a "
		    "week: must be 0 to %d", en->sessions_per_week,
		    SESSIONS_PER_WEEK_MAX);
	if (en->minutes < 0 || en->minutes > MINUTES_MAX)
		return serr_set(e, SE_INVALID, "enrolment: %d minutes a "
		    "session: must be 0 to %d", en->minutes, MINUTES_MAX);
	if (en->start == SDATE_NONE)
		return serr_set(e, SE_INVALID, "enrolment: a start date is "
		    "required");
	if (en->end != SDATE_NONE && en->end < en->start)
		return serr_set(e, SE_INVALID, "enrolment: end %s is before "
		    "the start %s", date_iso(en->end, a),
		    date_iso(en->start, b));
	if ((en->ended || !isnan(en->exit)) && en->end == SDATE_NONE)
		return serr_set(e, SE_INVALID, "enrolment: a finished "
		    "enrolment needs its end date");
	if ((unsigned)en->measure_kind > MEASURE_RATING)
		return serr_set(e, SE_INVALID, "enrolment: the measure must "
		    "be a score, an age or a rating");
	if (isinf(en->entry))
		return serr_set(e, SE_INVALID, "enrolment: the entry score "
		    "must be a number");
	if (isinf(en->exit))
		return serr_set(e, SE_INVALID, "enrolment: the exit score "
		    "must be a number");
	return 0;
}

/* 0 if the pupil can be enrolled; SE_NOTFOUND or SE_STATE otherwise. */
static int
check_pupil(struct db *db, int64_t pupil_id, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EN_PUPIL_STATE, e);
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0) != 0)
			ret = serr_set(e, SE_STATE, "enrolment: the pupil has "
			    "left (archived); bring them back first");
	} else if (rc == SQLITE_DONE)
		ret = serr_set(e, SE_NOTFOUND, "enrolment: no pupil with id "
		    "%lld", (long long)pupil_id);
	else
		ret = db_fail(db, rc, e, "enrolment");
	sqlite3_reset(st);
	return ret;
}

static int
check_intervention(struct db *db, int64_t iv_id, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EN_IV_STATE, e);
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, iv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0) != 0)
			ret = serr_set(e, SE_STATE, "enrolment: intervention "
			    "'%s' is retired", (const char *)
			    sqlite3_column_text(st, 1));
	} else if (rc == SQLITE_DONE)
		ret = serr_set(e, SE_NOTFOUND, "enrolment: no intervention "
		    "with id %lld", (long long)iv_id);
	else
		ret = db_fail(db, rc, e, "enrolment");
	sqlite3_reset(st);
	return ret;
}

/*
 * A finished enrolment may be added too (history, imports): an exit score
 * marks it ended, as enrolment_exit() would.
 */
int
enrolment_add(struct db *db, struct enrolment *en, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int64_t id;
	int ret;

	if ((ret = en_validate(en, e)) != 0)
		return ret;
	if (!isnan(en->exit))
		en->ended = true;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = check_pupil(db, en->pupil_id, e)) != 0 ||
	    (ret = check_intervention(db, en->intervention_id, e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_EN_INSERT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	id = db_new_id(db);
	timestamp_now(now);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, en->pupil_id);
	sqlite3_bind_int64(st, 3, en->intervention_id);
	db_bind_text(st, 4, en->staff);
	sqlite3_bind_int(st, 5, en->group_size);
	sqlite3_bind_int(st, 6, en->sessions_per_week);
	sqlite3_bind_int(st, 7, en->minutes);
	db_bind_date(st, 8, en->start);
	db_bind_date(st, 9, en->end);
	sqlite3_bind_int(st, 10, en->ended ? 1 : 0);
	db_bind_text(st, 11, en->measure);
	db_bind_text(st, 12, measure_words[en->measure_kind]);
	bind_score(st, 13, en->entry);
	bind_score(st, 14, en->exit);
	db_bind_text(st, 15, now);
	db_bind_text(st, 16, now);
	db_bind_text(st, 17, db_author(db));
	if ((ret = db_step_done(db, st, e, "enrolment")) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	en->id = id;
	en->version = 1;
	snprintf(en->created_at, sizeof en->created_at, "%s", now);
	snprintf(en->updated_at, sizeof en->updated_at, "%s", now);
	snprintf(en->changed_by, sizeof en->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

int
enrolment_get(struct db *db, int64_t id, struct enrolment *en,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EN_GET, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		en_from_row(st, en);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "enrolment: no enrolment with "
		    "id %lld", (long long)id);
	return db_fail(db, rc, e, "enrolment");
}

/*
 * Finish an enrolment: exit_score NAN leaves the exit score unrecorded.
 * With default_start, a missing end before the start (an enrolment that
 * never began) ends on its start day rather than being refused.
 */
static int
finish(struct db *db, int64_t id, double exit_score, sdate end,
    bool default_start, struct serr *e)
{
	char now[TIMESTAMP_LEN], a[DATE_ISO_LEN], b[DATE_ISO_LEN];
	struct enrolment cur;
	sqlite3_stmt *st;
	int ret;

	if (isinf(exit_score))
		return serr_set(e, SE_INVALID, "enrolment: the exit score "
		    "must be a number");
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = enrolment_get(db, id, &cur, e)) != 0)
		goto fail;
	if (cur.ended) {
		ret = serr_set(e, SE_STATE, "enrolment: already ended%s%s",
		    cur.end != SDATE_NONE ? " on " : "", date_iso(cur.end, a));
		goto fail;
	}
	if (end == SDATE_NONE) {
		end = date_today();
		if (default_start && end < cur.start)
			end = cur.start;
	}
	if (end < cur.start) {
		ret = serr_set(e, SE_INVALID, "enrolment: end %s is before "
		    "the start %s", date_iso(end, a), date_iso(cur.start, b));
		goto fail;
	}
	if ((st = db_stmt(db, SQL_EN_FINISH, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	timestamp_now(now);
	bind_score(st, 1, exit_score);
	db_bind_date(st, 2, end);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, db_author(db));
	sqlite3_bind_int64(st, 5, id);
	if ((ret = db_step_done(db, st, e, "enrolment")) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

int
enrolment_exit(struct db *db, int64_t id, double exit_score, sdate end,
    struct serr *e)
{
	if (isnan(exit_score))
		return serr_set(e, SE_INVALID, "enrolment: an exit score is "
		    "required (use end to finish without one)");
	return finish(db, id, exit_score, end, false, e);
}

int
enrolment_end(struct db *db, int64_t id, sdate end, struct serr *e)
{
	return finish(db, id, NAN, end, true, e);
}

static int
en_walk(struct db *db, sqlite3_stmt *st, enrolment_cb cb, void *ctx,
    struct serr *e)
{
	struct enrolment en;
	int rc, ret = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		en_from_row(st, &en);
		if ((ret = cb(ctx, &en)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "enrolments");
	sqlite3_reset(st);
	return ret;
}

int
enrolment_list_pupil(struct db *db, int64_t pupil_id, enrolment_cb cb,
    void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EN_LIST_PUPIL, e);

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	return en_walk(db, st, cb, ctx, e);
}

int
enrolment_list_intervention(struct db *db, int64_t intervention_id,
    enrolment_cb cb, void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EN_LIST_IV, e);

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, intervention_id);
	return en_walk(db, st, cb, ctx, e);
}
