/*
 * test_import_bulk.c: an import writes its new pupils in batches with
 * triggers off and then, set-based, what the triggers would have written
 * (import.c, flush_batch()). These tests hold that to the triggers
 * themselves: the same audit rows and search bookkeeping as the triggers
 * write for the same rows, nothing written at all after a failure
 * midway, and the triggers on again afterwards.
 */
#include <criterion/criterion.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/import.h"
#include "core/pupil.h"
#include "core/register.h"
#include "helpers.h"
#include "io/importfile.h"

/* More than one batch (import.c's BATCH_MAX is 4096). */
#define MANY 4500

static void
fix_today(void)
{
	setenv("SENCO_TODAY", "2026-03-02", 1);
	date_set_style(DATE_STYLE_ISO);
}

TestSuite(bulk, .init = fix_today, .fini = th_cleanup);

/* A UPN for pupil i of a large file (any i below a million), none of
 * them th_upn()'s. */
static void
upn_of(int i, char out[UPN_LEN + 1])
{
	upn_make(801, 2000 + i / 1000, 6, i % 1000, out);
}

/*
 * A pupil list of n pupils from UPN number `from`, every kind of row the
 * batch writes: N, K and E, none to two needs, preferred names or not,
 * attendance or not, names with non-ASCII letters, quotes and backslashes
 * (which the audit's JSON escapes). A later file can move them on
 * `later` classes. Returns its path.
 */
static const char *
pupil_file(const char *name, int from, int n, int later)
{
	static const char *const surnames[] = { "Brown", "Nguyễn",
	    "O\"\"Neill", "Back\\slash", "Łukaszewicz", "Ó Briain" };
	static const char *const forenames[] = { "Zoë", "Siobhán", "Łukasz",
	    "Chidi", "Linh", "Amaka" };
	static const char *const status[] = { "N", "K", "E", "SEN Support" };
	static const char *const need1[] = { "", "SPLD", "ASD", "SLCN" };
	static const char *const need2[] = { "", "", "MLD", "" };
	const char *path = th_path(name);
	FILE *fp = fopen(path, "w");
	char upn[UPN_LEN + 1];

	cr_assert_not_null(fp);
	fprintf(fp, "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,"
	    "Gender,Year,Reg,SEN Status,Primary Need,Secondary Need,"
	    "Pupil Premium,FSM,In Care,EAL,Attendance %%\n");
	for (int i = from; i < from + n; i++) {
		int s = i % 4;

		upn_of(i, upn);
		fprintf(fp, "%s,\"%s\",%s,%s,%02d/%02d/%d,%s,%d,%dB,%s,%s,%s,"
		    "%s,%s,N,%s,%s\n", upn, surnames[i % 6], forenames[i % 5],
		    i % 3 == 0 ? "Jo" : "", 1 + i % 28, 1 + i % 12,
		    2012 + i % 6, i % 2 ? "F" : "M", 1 + i % 6,
		    1 + i % 6 + later,
		    status[s], s == 0 ? "" : need1[s], s == 0 ? "" : need2[s],
		    i % 5 == 0 ? "Y" : "N", i % 7 == 0 ? "Yes" : "No",
		    i % 11 == 0 ? "Y" : "N", i % 4 == 0 ? "" : "94.5");
	}
	fclose(fp);
	return path;
}

static int
run(struct db *db, const char *path, bool skip, struct import_result *res,
    struct serr *e)
{
	struct import_opts o = { .skip_bad = skip, .quiet = true };

	import_result_init(res, path);
	serr_clear(e);
	return importfile_run(db, path, &o, res, e);
}

/* The first refusal, for a failed assertion's message. */
static const char *
first_refusal(const struct import_result *r)
{
	for (int i = 0; i < r->n_msgs; i++)
		if (r->msgs[i].kind == IMSG_REFUSED)
			return r->msgs[i].text;
	return "(none)";
}

static bool
triggers_on(struct db *db)
{
	int on = -1;

	sqlite3_db_config(db_handle(db), SQLITE_DBCONFIG_ENABLE_TRIGGER, -1,
	    &on);
	return on == 1;
}

/* Is the caseload in WAL mode (as db_open leaves it)? */
static bool
in_wal(struct db *db)
{
	sqlite3_stmt *st;
	bool wal = false;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "PRAGMA journal_mode",
	    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		wal = strcmp((const char *)sqlite3_column_text(st, 0), "wal") ==
		    0;
	sqlite3_finalize(st);
	return wal;
}

/* Everything an import writes: unchanged means nothing was written. */
static int
written(struct db *db)
{
	return th_count(db, "SELECT (SELECT count(*) FROM pupil) +"
	    " (SELECT count(*) FROM sen_status) +"
	    " (SELECT count(*) FROM pupil_need) +"
	    " (SELECT count(*) FROM audit) +"
	    " (SELECT count(*) FROM pupil_search_stale) +"
	    " (SELECT count(*) FROM pupil_now) +"
	    " (SELECT sum(n) FROM status_tally)");
}

/* After an import: a pupil added by hand is audited and noted for the
 * search index by the triggers, so they are on again. */
static void
assert_triggers_work(struct db *db, int serial)
{
	int audit = th_count(db, "SELECT count(*) FROM audit");
	int64_t id;
	char sql[128];

	cr_assert(triggers_on(db));
	id = th_pupil(db, serial, "Okonkwo", "Chidi", 'K', "SEMH", "6");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit"), audit + 3,
	    "pupil, status, need audited");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pupil_search_stale "
	    "WHERE pupil_id = %lld", (long long)id);
	cr_assert_eq(th_count(db, sql), 1);
}

/* Every row of the three tables has its one insert row in the audit
 * trail, and no row has two. */
static void
assert_inserts_audited_once(struct db *db)
{
	cr_assert_eq(th_count(db, "SELECT count(*) FROM (SELECT 'pupil' AS t, "
	    "id FROM pupil UNION ALL SELECT 'sen_status', id FROM sen_status "
	    "UNION ALL SELECT 'pupil_need', id FROM pupil_need) x WHERE "
	    "(SELECT count(*) FROM audit a WHERE a.tbl = x.t AND a.row_id = "
	    "x.id AND a.op = 'insert') <> 1"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM (SELECT 1 FROM audit "
	    "WHERE op = 'insert' GROUP BY tbl, row_id HAVING count(*) > 1)"),
	    0);
}

/*
 * The audit rows and search bookkeeping of a bulk import are exactly what
 * the triggers write for the same rows: the rows are copied into another
 * caseload with triggers on, and the two trails compared column by
 * column (their own ids, seq and time aside).
 */
Test(bulk, same_audit_rows_and_search_queue_as_the_triggers)
{
	struct db *a = th_db(), *b = th_db();
	struct import_result r;
	struct serr e;
	char sql[1200];
	struct register_query q;
	struct register_row row;
	bool usable, found;
	int n, audit_before, rows_before;

	th_pupil(a, 999, "Kowalczyk", "Zofia", 'N', NULL, "3");
	audit_before = th_count(a, "SELECT max(seq) FROM audit");
	rows_before = th_count(a, "SELECT count(*) FROM audit");
	cr_assert_eq(run(a, pupil_file("many.csv", 0, MANY, 0), false, &r, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(r.added, MANY, "%s", first_refusal(&r));
	cr_assert_eq(r.n_msgs, 0, "quiet: no message per pupil");
	import_result_free(&r);
	cr_assert(triggers_on(a));
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil"), MANY + 1);
	cr_assert_gt(th_count(a, "SELECT count(*) FROM pupil_need"), MANY / 2);

	/* The same rows through the triggers. */
	snprintf(sql, sizeof sql, "ATTACH '%s' AS a", db_path(a));
	th_exec(b, sql);
	th_exec(b, "BEGIN;"
	    "INSERT INTO pupil SELECT * FROM a.pupil ORDER BY id;"
	    "INSERT INTO sen_status SELECT * FROM a.sen_status ORDER BY id;"
	    "INSERT INTO pupil_need SELECT * FROM a.pupil_need ORDER BY id;"
	    "COMMIT");
#define TRAIL(db) "SELECT tbl, op, login, author, row_id, pupil_id, old, " \
	"new FROM " db ".audit"
	cr_assert_eq(th_count(b, "SELECT count(*) FROM main.audit"),
	    th_count(b, "SELECT count(*) FROM a.audit"));
	cr_assert_eq(th_count(b, "SELECT count(*) FROM (" TRAIL("main")
	    " EXCEPT " TRAIL("a") ")"), 0, "a trigger row the import lacks");
	cr_assert_eq(th_count(b, "SELECT count(*) FROM (" TRAIL("a")
	    " EXCEPT " TRAIL("main") ")"), 0, "an import row no trigger wrote");
#undef TRAIL
	cr_assert_eq(th_count(b, "SELECT count(*) FROM (SELECT pupil_id FROM "
	    "main.pupil_search_stale EXCEPT SELECT pupil_id FROM "
	    "a.pupil_search_stale)"), 0);
	cr_assert_eq(th_count(b, "SELECT count(*) FROM a.pupil_search_stale"),
	    MANY + 1);
	/* and each pupil's row of the register (pupil_now) */
	cr_assert_eq(th_count(b, "SELECT count(*) FROM (SELECT * FROM "
	    "main.pupil_now EXCEPT SELECT * FROM a.pupil_now)"), 0);
	cr_assert_eq(th_count(b, "SELECT count(*) FROM a.pupil_now"), MANY + 1);
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil_now WHERE need IS "
	    "NOT NULL AND status IS NOT NULL"), th_count(a, "SELECT "
	    "count(DISTINCT pupil_id) FROM pupil_need"),
	    "statuses and needs in the rows");
	{
		int wrong = -1;

		cr_assert_eq(register_now_check(a, &wrong, &e), 0, "%s", e.msg);
		cr_assert_eq(wrong, 0);
		/* and the counts of open statuses (status_tally) */
		cr_assert_eq(register_tally_check(a, &wrong, &e), 0, "%s",
		    e.msg);
		cr_assert_eq(wrong, 0);
	}
	cr_assert_eq(th_count(b, "SELECT count(*) FROM (SELECT * FROM "
	    "main.status_tally EXCEPT SELECT * FROM a.status_tally)"), 0);
	cr_assert_eq(th_count(a, "SELECT sum(n) FROM status_tally"), MANY + 1);

	/* Their own ids, seq after the trail's last, each pupil's row
	 * before its status and needs, and a time. */
	cr_assert_eq(th_count(a, "SELECT count(DISTINCT id) + count(DISTINCT "
	    "seq) FROM audit"), 2 * th_count(a, "SELECT count(*) FROM audit"));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE seq <= %d",
	    audit_before);
	cr_assert_eq(th_count(a, sql), rows_before,
	    "only the pupil added by hand");
	cr_assert_eq(th_count(a, "SELECT count(*) FROM audit p JOIN audit x ON "
	    "x.pupil_id = p.row_id AND x.tbl <> 'pupil' WHERE p.tbl = 'pupil' "
	    "AND x.seq < p.seq"), 0);
	cr_assert_eq(th_count(a, "SELECT count(*) FROM audit WHERE at GLOB "
	    "'2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'"),
	    th_count(a, "SELECT count(*) FROM audit"));

	/* The search finds the imported names, each at their rank in the
	 * name order (the index made again whole: they are many). */
	register_query_init(&q);
	q.filter.text = "Łukaszewicz";
	q.filter.include_archived = true;
	q.filter.include_n = true;
	cr_assert_eq(register_search_step(a, &q, 1, NULL, &row, &found,
	    &usable, &e), 0, "%s", e.msg);
	cr_assert(usable);
	cr_assert(found);
	cr_assert_str_eq(row.surname, "Łukaszewicz");
	cr_assert_eq(register_count(a, &q, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, MANY / 6 + (MANY % 6 > 4));
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil_search_rank"),
	    th_count(a, "SELECT count(*) FROM pupil"));
	cr_assert_eq(th_count(a, "SELECT count(*) FROM (SELECT row_number()"
	    " OVER (ORDER BY k.rank) AS x, row_number() OVER (ORDER BY"
	    " s.surname, s.forename, s.pupil_id) AS y FROM pupil_search_rank k"
	    " JOIN pupil_now s ON s.pupil_id = k.pupil_id) WHERE x <> y"), 0);
	assert_triggers_work(a, 998);
	db_close(b);
	db_close(a);
}

/* Re-importing the same file changes nothing; a file that adds some and
 * changes others writes each through its own path, each audited once. */
Test(bulk, reimport_and_mixed_update)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	const char *first = pupil_file("first.csv", 0, 300, 0);
	int before;

	cr_assert_eq(run(db, first, false, &r, &e), 0, "%s", e.msg);
	import_result_free(&r);
	before = written(db);
	cr_assert_eq(run(db, first, false, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 0);
	cr_assert_eq(r.unchanged, 300);
	import_result_free(&r);
	cr_assert_eq(written(db), before);

	/* Pupils 200..299 again in other classes (changed), 300..399 new. */
	cr_assert_eq(run(db, pupil_file("more.csv", 200, 200, 1), false, &r, &e),
	    0, "%s", e.msg);
	cr_assert_eq(r.added, 100, "%s", first_refusal(&r));
	cr_assert_eq(r.changed, 100);
	import_result_free(&r);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 400);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE op = "
	    "'update' AND tbl = 'pupil'"), 100);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE op = "
	    "'insert'"), th_count(db, "SELECT (SELECT count(*) FROM pupil) + "
	    "(SELECT count(*) FROM sen_status) + "
	    "(SELECT count(*) FROM pupil_need)"));
	assert_inserts_audited_once(db);
	assert_triggers_work(db, 997);
	db_close(db);
}

/* A CTF pupil with a SEN history is written through the triggers, the
 * others in the batch: each row audited once, none missed. */
Test(bulk, ctf_history_and_batch_each_audited_once)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	char path[1024], dir[1024];

	snprintf(dir, sizeof dir, "%s", __FILE__);
	snprintf(path, sizeof path, "%s/data/leaver.xml", dirname(dir));
	cr_assert_eq(run(db, path, false, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 3);
	import_result_free(&r);
	cr_assert_gt(th_count(db, "SELECT count(*) FROM sen_status"), 3,
	    "a history of several statuses");
	assert_inserts_audited_once(db);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search_stale"),
	    3);
	assert_triggers_work(db, 996);
	db_close(db);
}

/*
 * A write refused by the database in the middle of a batch (here a
 * unique index the test adds, which no check of the import knows): the
 * row is listed as refused, nothing at all is written, with --skip-bad
 * too, and the triggers are on again.
 */
Test(bulk, refused_write_midway_leaves_nothing)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	const char *path = pupil_file("clash.csv", 0, 40, 0);
	int before;

	th_exec(db, "CREATE UNIQUE INDEX test_one_per_surname ON "
	    "pupil(legal_surname)");
	before = written(db);
	for (int skip = 0; skip < 2; skip++) {
		cr_assert_eq(run(db, path, skip, &r, &e), SE_INVALID);
		cr_assert(strstr(e.msg, "nothing was written") != NULL, "%s",
		    e.msg);
		cr_assert(strstr(e.msg, "clash.csv:8:") != NULL,
		    "the 7th pupil clashes with the 1st: %s", e.msg);
		cr_assert_eq(r.refused, 1);
		cr_assert_eq(r.n_msgs, 1);
		cr_assert_eq(r.msgs[0].kind, IMSG_REFUSED);
		cr_assert_eq(r.msgs[0].line, 8);
		cr_assert_not(r.written);
		import_result_free(&r);
		cr_assert_eq(written(db), before);
		cr_assert(triggers_on(db));
		cr_assert(in_wal(db));
	}
	th_exec(db, "DROP INDEX test_one_per_surname");
	assert_triggers_work(db, 995);
	db_close(db);
}

/*
 * New pupils' status and need rows are written many to a statement; one
 * refused all the same names its pupil's line, as a refused pupil row
 * does: the 7th pupil's status E clashes with the 3rd's, the 6th
 * pupil's need SPLD (the 5th need row) with the 2nd's.
 */
Test(bulk, refused_status_or_need_names_its_pupil)
{
	static const struct {
		const char *sql;
		int line;
	} clash[] = {
		{ "CREATE UNIQUE INDEX test_clash ON sen_status(status) "
		    "WHERE status = 'E'", 8 },
		{ "CREATE UNIQUE INDEX test_clash ON pupil_need(code) "
		    "WHERE code = 'SPLD'", 7 },
	};
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	const char *path = pupil_file("clash.csv", 0, 80, 0);
	int before = written(db);
	char where[32];

	for (size_t i = 0; i < sizeof clash / sizeof clash[0]; i++) {
		th_exec(db, clash[i].sql);
		cr_assert_eq(run(db, path, false, &r, &e), SE_INVALID);
		snprintf(where, sizeof where, "clash.csv:%d:", clash[i].line);
		cr_assert(strstr(e.msg, where) != NULL, "%s", e.msg);
		cr_assert(strstr(e.msg, "nothing was written") != NULL, "%s",
		    e.msg);
		cr_assert_eq(r.refused, 1);
		cr_assert_eq(r.msgs[0].line, clash[i].line);
		import_result_free(&r);
		cr_assert_eq(written(db), before);
		cr_assert(triggers_on(db));
		th_exec(db, "DROP INDEX test_clash");
	}
	cr_assert_eq(run(db, path, false, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 80);
	import_result_free(&r);
	assert_inserts_audited_once(db);
	db_close(db);
}

/*
 * An import runs with a rollback journal when it has the caseload to
 * itself, and puts WAL back after; with another connection open it
 * stays in WAL, without waiting for it. Either way all is written.
 */
Test(bulk, journal_back_to_wal_and_other_connections_welcome)
{
	struct db *db = th_db(), *other;
	struct import_result r;
	struct serr e;

	cr_assert(in_wal(db));
	cr_assert_eq(db_open(&other, db_path(db), 0, &e), 0, "%s", e.msg);
	cr_assert_eq(th_count(other, "SELECT count(*) FROM pupil"), 0);
	cr_assert_eq(run(db, pupil_file("one.csv", 0, 300, 0), false, &r, &e),
	    0, "%s", e.msg);
	import_result_free(&r);
	cr_assert(in_wal(db));
	cr_assert_eq(th_count(other, "SELECT count(*) FROM pupil"), 300);
	db_close(other);
	cr_assert_eq(run(db, pupil_file("two.csv", 300, 300, 0), false, &r,
	    &e), 0, "%s", e.msg);
	import_result_free(&r);
	cr_assert(in_wal(db));
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 600);
	assert_inserts_audited_once(db);
	db_close(db);
}

/*
 * The disk full at any point of the import (the page limit reached while
 * the batch is written with triggers off, or while its audit rows are):
 * an error, nothing written, and the triggers on again.
 */
Test(bulk, disk_full_anywhere_leaves_nothing)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	const char *path = pupil_file("full.csv", 0, 600, 0);
	char sql[64];
	int pages = th_count(db, "PRAGMA page_count"), before = written(db);
	int fails = 0;

	for (int extra = 5; extra < 400; extra += 15) {
		int rc;

		snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d",
		    pages + extra);
		th_exec(db, sql);
		rc = run(db, path, false, &r, &e);
		import_result_free(&r);
		cr_assert(triggers_on(db), "at %d pages more", extra);
		cr_assert(in_wal(db), "at %d pages more", extra);
		if (rc == 0)
			break;
		fails++;
		cr_assert_eq(rc, SE_FULL, "at %d pages more: %s", extra,
		    e.msg);
		cr_assert_eq(written(db), before, "at %d pages more", extra);
	}
	cr_assert_gt(fails, 3, "failed at several points before it fitted");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 600,
	    "it fitted in the end");
	th_exec(db, "PRAGMA max_page_count = 1073741823");
	assert_triggers_work(db, 994);
	db_close(db);
}

/*
 * flush_batch() writes what these triggers write and no others: a new
 * trigger on these tables must be added there too, and this list.
 */
Test(bulk, insert_triggers_are_the_ones_the_batch_replaces)
{
	struct db *db = th_db();

	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'trigger' AND tbl_name IN ('pupil', 'sen_status', "
	    "'pupil_need') AND sql LIKE '% INSERT ON %'"), 8);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'trigger' AND name IN ('audit_pupil_insert', "
	    "'audit_sen_status_insert', 'audit_pupil_need_insert', "
	    "'pupil_search_insert', 'pupil_now_pupil_insert', "
	    "'pupil_now_sen_status_insert', 'pupil_now_pupil_need_insert', "
	    "'status_tally_insert')"), 8);
	db_close(db);
}
