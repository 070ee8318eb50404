/*
 * uiquery.c: queries and writes for the full-screen interface that the
 * record modules lack (uiquery.h).
 */
#include <sqlite3.h>

#include "uiquery.h"

static const char SQL_TARGET_HISTORY[] =
    "SELECT (SELECT count(*) FROM rating WHERE target_id = ?1)"
    "     + (SELECT count(*) FROM target WHERE carried_from = ?1)"
    "     + (SELECT count(*) FROM target WHERE id = ?1"
    "        AND outcome IS NOT NULL),"
    "       (SELECT count(*) FROM target WHERE id = ?1)";
static const char SQL_TARGET_DELETE[] =
    "DELETE FROM target WHERE id = ?1";

int
uiq_target_delete(struct db *db, int64_t target_id, struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_begin(db, e)) != 0)
		return rc;
	st = db_stmt(db, SQL_TARGET_HISTORY, e);
	if (st == NULL) {
		rc = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, target_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_fail(db, rc, e, "target");
		sqlite3_reset(st);
		goto fail;
	}
	if (sqlite3_column_int(st, 1) == 0) {
		sqlite3_reset(st);
		rc = serr_set(e, SE_NOTFOUND, "target: no such target (it may "
		    "have been removed by someone else)");
		goto fail;
	}
	if (sqlite3_column_int(st, 0) > 0) {
		sqlite3_reset(st);
		rc = serr_set(e, SE_STATE, "target: it has ratings or an "
		    "outcome now, so it stays; discontinue it instead");
		goto fail;
	}
	sqlite3_reset(st);
	st = db_stmt(db, SQL_TARGET_DELETE, e);
	if (st == NULL) {
		rc = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, target_id);
	if ((rc = db_step_done(db, st, e, "target")) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return rc;
}
