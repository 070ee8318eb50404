/*
 * audit.c: reading the audit trail written by the triggers db.c installs.
 * The summary of each change is worked out in SQL from the JSON images of
 * the row, so the trail stays readable however the schema grows.
 */
#include <string.h>

#include <sqlite3.h>

#include "audit.h"

/* Columns that change on every write and say nothing a reader needs (the
 * pupil is shown by UPN beside the change). */
#define BOOKKEEPING "('id', 'created_at', 'updated_at', 'version', " \
	"'changed_by', 'pupil_id')"

#define AUDIT_SELECT \
	"SELECT a.id, a.at, a.login, a.author, a.tbl, a.row_id, " \
	" coalesce(a.pupil_id, 0), coalesce(p.upn, ''), a.op, " \
	" CASE a.op WHEN 'update' THEN (SELECT group_concat(o.key || ': ' ||" \
	"   coalesce(o.value, '') || ' -> ' || coalesce(n.value, ''), '; ')" \
	"   FROM json_each(a.old) o JOIN json_each(a.new) n ON n.key = o.key" \
	"   WHERE o.value IS NOT n.value AND o.key NOT IN " BOOKKEEPING ")" \
	" ELSE (SELECT group_concat(j.key || '=' || j.value, '; ')" \
	"   FROM json_each(coalesce(a.new, a.old)) j" \
	"   WHERE j.value IS NOT NULL AND j.key NOT IN " BOOKKEEPING ") END " \
	"FROM audit a LEFT JOIN pupil p ON p.id = a.pupil_id "

static const char SQL_LIST[] =
    AUDIT_SELECT
    "WHERE (?1 = 0 OR a.pupil_id = ?1) AND (?2 IS NULL OR a.at >= ?2) "
    "ORDER BY a.at, a.seq";
static const char SQL_ROW[] =
    AUDIT_SELECT
    "WHERE a.tbl = ?1 AND a.row_id = ?2 ORDER BY a.at, a.seq";

static int
walk(struct db *db, sqlite3_stmt *st, audit_cb cb, void *ctx, struct serr *e)
{
	struct audit_entry a;
	int rc, ret = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, a.at, sizeof a.at);
		db_col_copy(st, 2, a.login, sizeof a.login);
		db_col_copy(st, 3, a.author, sizeof a.author);
		db_col_copy(st, 4, a.table, sizeof a.table);
		a.row_id = sqlite3_column_int64(st, 5);
		a.pupil_id = sqlite3_column_int64(st, 6);
		db_col_copy(st, 7, a.upn, sizeof a.upn);
		db_col_copy(st, 8, a.op, sizeof a.op);
		a.changes = (const char *)sqlite3_column_text(st, 9);
		if (a.changes == NULL)
			a.changes = "";
		if ((ret = cb(ctx, &a)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "reading the audit trail");
	sqlite3_reset(st);
	return ret;
}

int
audit_list(struct db *db, int64_t pupil_id, sdate since, audit_cb cb,
    void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LIST, e);

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	db_bind_date(st, 2, since);
	return walk(db, st, cb, ctx, e);
}

int
audit_row(struct db *db, const char *table, int64_t row_id, audit_cb cb,
    void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ROW, e);

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	db_bind_text(st, 1, table);
	sqlite3_bind_int64(st, 2, row_id);
	return walk(db, st, cb, ctx, e);
}
