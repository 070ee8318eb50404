/*
 * purge.c: the retention purge (rules in purge.h). The rows go in one
 * transaction; then the file is rebuilt and the -wal emptied, because a
 * deleted row's bytes otherwise linger in free pages and old WAL frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "purge.h"
#include "register.h"
#include "xmalloc.h"

/* Archived pupils, with those left before ?1 only when ?1 is given; the
 * retention rule is applied in C (purge_retention_end). */
static const char SQL_FIND[] =
    "SELECT id, upn, coalesce(preferred_surname, legal_surname), "
    " coalesce(preferred_forename, legal_forename), dob, left_on "
    "FROM pupil "
    "WHERE archived = 1 AND (?1 IS NULL OR (left_on IS NOT NULL AND "
    " left_on < ?1)) "
    "ORDER BY coalesce(preferred_surname, legal_surname) COLLATE NOCASE, "
    " coalesce(preferred_forename, legal_forename) COLLATE NOCASE, upn";

/*
 * Every audit row about the pupils in the JSON array ?1. Most carry the
 * pupil's id in audit.pupil_id, but a target or rating deleted with its
 * cycle may not (the trigger ran after the cycle was gone), so rows are
 * also followed down the chain pupil -> cycle -> target -> rating through
 * the ids in the rows' JSON images, in the live tables and in the trail.
 */
static const char SQL_DELETE_AUDIT[] =
    "WITH p(id) AS (SELECT value FROM json_each(?1)), "
    "c(id) AS (SELECT id FROM cycle WHERE pupil_id IN p "
    " UNION SELECT row_id FROM audit WHERE tbl = 'cycle' AND "
    "  (pupil_id IN p OR coalesce(json_extract(new, '$.pupil_id'), "
    "   json_extract(old, '$.pupil_id')) IN p)), "
    "t(id) AS (SELECT id FROM target WHERE cycle_id IN c "
    " UNION SELECT row_id FROM audit WHERE tbl = 'target' AND "
    "  (pupil_id IN p OR coalesce(json_extract(new, '$.cycle_id'), "
    "   json_extract(old, '$.cycle_id')) IN c)), "
    "r(id) AS (SELECT id FROM rating WHERE target_id IN t "
    " UNION SELECT row_id FROM audit WHERE tbl = 'rating' AND "
    "  (pupil_id IN p OR coalesce(json_extract(new, '$.target_id'), "
    "   json_extract(old, '$.target_id')) IN t)) "
    "DELETE FROM audit WHERE pupil_id IN p "
    " OR (tbl = 'pupil' AND row_id IN p) "
    " OR (tbl = 'cycle' AND row_id IN c) "
    " OR (tbl = 'target' AND row_id IN t) "
    " OR (tbl = 'rating' AND row_id IN r) "
    " OR coalesce(json_extract(new, '$.pupil_id'), "
    "  json_extract(old, '$.pupil_id')) IN p";

/* ON DELETE CASCADE takes every row that belongs to the pupil. */
static const char SQL_DELETE_PUPILS[] =
    "DELETE FROM pupil WHERE archived = 1 AND id IN "
    "(SELECT value FROM json_each(?1))";

/* The search index (schema 3 on) keeps a deleted name's trigrams in its
 * segments until they are merged: rebuild it from what is left. */
static const char SQL_HAS_SEARCH[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
    "name = 'pupil_search'";
static const char SQL_REBUILD_SEARCH[] =
    "INSERT INTO pupil_search (pupil_search) VALUES ('rebuild')";

/* What is left in the trail: that a purge happened, by whom, how many
 * and by which rule, and nothing that identifies a child. */
static const char SQL_NOTE_PURGE[] =
    "INSERT INTO audit (id, seq, at, login, author, tbl, row_id, pupil_id, "
    " op, old, new) VALUES (senco_new_id(), "
    " (SELECT coalesce(max(seq), 0) + 1 FROM audit), "
    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), senco_login(), "
    " senco_author(), 'pupil', 0, NULL, 'delete', "
    " json_object('purged_pupils', ?1, 'purged_audit_rows', ?2, "
    "  'rule', ?3), NULL)";

sdate
purge_retention_end(sdate dob, int years)
{
	int y, m, d;
	sdate end = date_add_months(dob, 12 * years);

	/* A 29 February birthday falls on 1 March in a common year (the
	 * records are kept a day longer, never a day less). */
	date_to_ymd(dob, &y, &m, &d);
	if (m == 2 && d == 29) {
		date_to_ymd(end, &y, &m, &d);
		if (m == 2 && d == 28)
			end++;
	}
	return end;
}

static sdate
rule_today(const struct purge_rule *r)
{
	return r->today != SDATE_NONE ? r->today : date_today();
}

int
purge_rule_check(const struct purge_rule *r, struct serr *e)
{
	char buf[DATE_ISO_LEN];

	if (r->left_before != SDATE_NONE) {
		if (r->left_before > rule_today(r))
			return serr_set(e, SE_INVALID, "--left-before: %s is "
			    "after today; only pupils who have already left "
			    "can be purged", date_iso(r->left_before, buf));
		return 0;
	}
	if (r->retention_years < PURGE_RETENTION_MIN ||
	    r->retention_years > PURGE_RETENTION_MAX)
		return serr_set(e, SE_INVALID, "retention: %d years is out of "
		    "range (%d to %d)", r->retention_years,
		    PURGE_RETENTION_MIN, PURGE_RETENTION_MAX);
	return 0;
}

void
purge_list_free(struct purge_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
purge_find(struct db *db, const struct purge_rule *r, struct purge_list *out,
    struct serr *e)
{
	sqlite3_stmt *st;
	sdate today = rule_today(r);
	int rc, ret, cap = 0;

	out->v = NULL;
	out->n = 0;
	if ((ret = purge_rule_check(r, e)) != 0)
		return ret;
	if ((st = db_stmt(db, SQL_FIND, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	db_bind_date(st, 1, r->left_before);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct purge_pupil p;
		char sur[NAME_MAX_BYTES], fore[NAME_MAX_BYTES];

		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, p.upn, sizeof p.upn);
		db_col_copy(st, 2, sur, sizeof sur);
		db_col_copy(st, 3, fore, sizeof fore);
		snprintf(p.name, sizeof p.name, "%s, %s", sur, fore);
		p.dob = db_col_date(st, 4);
		p.left_on = db_col_date(st, 5);
		p.retention_end = p.dob == SDATE_NONE ? SDATE_NONE :
		    purge_retention_end(p.dob, r->retention_years);
		/* A pupil without a readable date of birth is never purged by
		 * the retention rule: better kept than lost by mistake. */
		if (r->left_before == SDATE_NONE &&
		    (p.retention_end == SDATE_NONE || p.retention_end >= today))
			continue;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xreallocarray(out->v, (size_t)cap,
			    sizeof *out->v);
		}
		out->v[out->n++] = p;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "finding pupils to purge");
	return 0;
}

static bool
listed(const struct purge_list *l, int64_t id)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return true;
	return false;
}

/* "[id,id,...]" of the pupils in both lists, for json_each(); numbers
 * only, never user text. Caller frees. */
static char *
id_array(const struct purge_list *now, const struct purge_list *confirmed,
    int *count)
{
	size_t cap = 3 + (size_t)now->n * 21, len = 0;
	char *s = xmalloc(cap);

	*count = 0;
	s[len++] = '[';
	for (int i = 0; i < now->n; i++) {
		if (!listed(confirmed, now->v[i].id))
			continue;
		len += (size_t)snprintf(s + len, cap - len, "%s%lld",
		    *count > 0 ? "," : "", (long long)now->v[i].id);
		(*count)++;
	}
	s[len++] = ']';
	s[len] = '\0';
	return s;
}

static void
rule_text(const struct purge_rule *r, char *buf, size_t n)
{
	char d[DATE_ISO_LEN];

	if (r->left_before != SDATE_NONE)
		snprintf(buf, n, "left before %s", date_iso(r->left_before, d));
	else
		snprintf(buf, n, "date of birth + %d years before %s",
		    r->retention_years, date_iso(rule_today(r), d));
}

static int
rebuild_search(struct db *db, struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_HAS_SEARCH, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, rc, e, "purging the search index");
	}
	rc = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc == 0)
		return 0;
	/* the pupils added or renamed since the index was last brought up
	 * to date go in first (register.c adds them lazily) */
	if ((rc = register_search_refresh(db, e)) != 0)
		return rc;
	if ((st = db_stmt(db, SQL_REBUILD_SEARCH, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	return db_step_done(db, st, e, "purging the search index");
}

/* Delete the rows inside the caller's transaction. */
static int
delete_rows(struct db *db, const char *ids, int count,
    const struct purge_rule *r, struct purge_result *res, struct serr *e)
{
	sqlite3_stmt *st;
	char why[128];
	int ret;

	if ((st = db_stmt(db, SQL_DELETE_AUDIT, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_text(st, 1, ids, -1, SQLITE_TRANSIENT);
	if ((ret = db_step_done(db, st, e, "purging the audit trail")) != 0)
		return ret;
	res->audit_rows = sqlite3_changes(db_handle(db));

	/* Deleting the rows would write new audit rows holding all they
	 * said: the one deletion the trail must not record. */
	db_set_audit(db, false);
	if ((st = db_stmt(db, SQL_DELETE_PUPILS, e)) == NULL) {
		db_set_audit(db, true);
		return e != NULL ? e->code : SE_DB;
	}
	sqlite3_bind_text(st, 1, ids, -1, SQLITE_TRANSIENT);
	ret = db_step_done(db, st, e, "purging pupils");
	db_set_audit(db, true);
	if (ret != 0)
		return ret;
	res->purged = sqlite3_changes(db_handle(db));
	if (res->purged != count)
		return serr_set(e, SE_STATE, "purging pupils: %d of %d could "
		    "not be removed; nothing was purged", count - res->purged,
		    count);

	if ((ret = rebuild_search(db, e)) != 0)
		return ret;
	rule_text(r, why, sizeof why);
	if ((st = db_stmt(db, SQL_NOTE_PURGE, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int(st, 1, res->purged);
	sqlite3_bind_int(st, 2, res->audit_rows);
	sqlite3_bind_text(st, 3, why, -1, SQLITE_TRANSIENT);
	return db_step_done(db, st, e, "recording the purge");
}

/* Rebuild the file and empty the -wal. Failures are noted, not fatal:
 * the purge has been committed. */
static void
scrub(struct db *db, struct purge_result *res)
{
	sqlite3 *h = db_handle(db);
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_exec(h, "VACUUM", NULL, NULL, NULL);
	res->vacuumed = rc == SQLITE_OK;
	if (!res->vacuumed)
		snprintf(res->note, sizeof res->note, "the file could not be "
		    "rebuilt (%s): traces of the purged pupils may stay in it "
		    "until 'senco purge' runs again with nobody else using "
		    "the caseload", sqlite3_errmsg(h));
	rc = sqlite3_prepare_v2(h, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st,
	    NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		res->checkpointed = sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	if (!res->checkpointed && res->vacuumed)
		snprintf(res->note, sizeof res->note, "another user has the "
		    "caseload open, so its -wal file could not be emptied: "
		    "traces of the purged pupils may stay in it until "
		    "everyone has closed senco");
}

int
purge_run(struct db *db, const struct purge_rule *r,
    const struct purge_list *confirmed, struct purge_result *res,
    struct serr *e)
{
	struct purge_list now = { NULL, 0 };
	char *ids = NULL;
	int ret, count;

	memset(res, 0, sizeof *res);
	if (db_in_transaction(db))
		return serr_set(e, SE_STATE, "purge: cannot run inside another "
		    "change");
	if ((ret = purge_rule_check(r, e)) != 0)
		return ret;
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	/* Read again under the write lock: only what still matches goes. */
	if ((ret = purge_find(db, r, &now, e)) != 0)
		goto fail;
	ids = id_array(&now, confirmed, &count);
	res->skipped = confirmed->n - count;
	if (count == 0) {
		db_rollback(db);
		goto out;
	}
	db_set_purging(db, true);
	ret = delete_rows(db, ids, count, r, res, e);
	db_set_purging(db, false);
	if (ret != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0) {
		res->purged = res->audit_rows = 0;
		goto out;
	}
	scrub(db, res);
	goto out;
fail:
	db_rollback(db);
	res->purged = res->audit_rows = 0;
out:
	free(ids);
	purge_list_free(&now);
	return ret;
}
