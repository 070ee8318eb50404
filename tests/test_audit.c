/*
 * test_audit.c: every change is recorded, in its own transaction, with
 * who made it; the trail cannot be changed; a refused change leaves no
 * trail; a write from outside senco is refused, not left unrecorded.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/pupil.h"
#include "core/target.h"
#include "core/cycle.h"
#include "helpers.h"

static void
setup(void)
{
	setenv("SENCO_TODAY", "2026-11-23", 1);
}

TestSuite(audit, .init = setup, .fini = th_cleanup);

struct seen {
	int n;
	char ops[32][48];
	char changes[32][512];
	char author[64];
	char upn[16];
};

static int
collect(void *ctx, const struct audit_entry *a)
{
	struct seen *s = ctx;

	if (s->n < 32) {
		snprintf(s->ops[s->n], sizeof s->ops[0], "%s %s", a->op, a->table);
		snprintf(s->changes[s->n], sizeof s->changes[0], "%s", a->changes);
	}
	snprintf(s->author, sizeof s->author, "%s", a->author);
	snprintf(s->upn, sizeof s->upn, "%s", a->upn);
	s->n++;
	return 0;
}

Test(audit, every_change_is_recorded_with_author)
{
	struct db *db = th_db();
	struct seen s = { 0 };
	struct pupil p;
	struct serr e;
	int64_t id;

	db_set_author(db, "Mrs J. Okafor");
	id = th_pupil(db, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	snprintf(p.year, sizeof p.year, "5");
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(audit_list(db, id, SDATE_NONE, collect, &s, &e), 0);
	cr_assert_eq(s.n, 4, "got %d entries", s.n);
	cr_assert_str_eq(s.ops[0], "insert pupil");
	cr_assert(strstr(s.changes[0], "legal_forename=Zoë") != NULL, "%s",
	    s.changes[0]);
	cr_assert_str_eq(s.ops[3], "update pupil");
	cr_assert_str_eq(s.changes[3], "year_group: 4 -> 5");
	cr_assert_str_eq(s.author, "Mrs J. Okafor");
	cr_assert_str_eq(s.upn, p.upn);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE "
	    "login = ''"), 0);
	db_close(db);
}

Test(audit, a_refused_change_leaves_no_trail)
{
	struct db *db = th_db();
	struct pupil p;
	struct serr e;
	int64_t before;

	th_pupil(db, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	before = th_count(db, "SELECT count(*) FROM audit");
	pupil_init(&p);
	th_upn(1, p.upn);	/* a duplicate UPN: refused */
	snprintf(p.legal_surname, sizeof p.legal_surname, "Other");
	snprintf(p.legal_forename, sizeof p.legal_forename, "Pupil");
	p.dob = date_from_ymd(2016, 1, 1);
	snprintf(p.year, sizeof p.year, "4");
	cr_assert_neq(pupil_add(db, &p, &e), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit"), before);
	db_close(db);
}

Test(audit, trail_cannot_be_changed_or_deleted)
{
	struct db *db = th_db();
	char *err = NULL;

	th_pupil(db, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	cr_assert_neq(sqlite3_exec(db_handle(db),
	    "UPDATE audit SET author = 'someone else'", NULL, NULL, &err),
	    SQLITE_OK);
	cr_assert(strstr(err, "cannot be changed") != NULL, "%s", err);
	sqlite3_free(err);
	cr_assert_neq(sqlite3_exec(db_handle(db), "DELETE FROM audit", NULL,
	    NULL, &err), SQLITE_OK);
	cr_assert(strstr(err, "cannot be deleted") != NULL, "%s", err);
	sqlite3_free(err);
	cr_assert_gt(th_count(db, "SELECT count(*) FROM audit"), 0);
	/* Only a retention purge may remove rows. */
	db_set_purging(db, true);
	th_exec(db, "DELETE FROM audit");
	db_set_purging(db, false);
	db_close(db);
}

Test(audit, writes_from_outside_senco_are_refused)
{
	struct db *db = th_db();
	char path[600];
	sqlite3 *h;
	char *err = NULL;

	th_pupil(db, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	snprintf(path, sizeof path, "%s", db_path(db));
	db_close(db);
	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(h, "UPDATE pupil SET year_group = '6'",
	    NULL, NULL, &err), SQLITE_OK);
	cr_assert(strstr(err, "senco_") != NULL, "%s", err);
	sqlite3_free(err);
	sqlite3_close(h);
}

Test(audit, ratings_and_cycles_belong_to_their_pupil)
{
	struct db *db = th_db();
	int64_t id = th_pupil(db, 2, "Kowalczyk", "Łukasz", 'K', "SLCN", "3");
	struct target t;
	struct cycle c;
	struct serr e;
	struct seen s = { 0 };

	cr_assert_eq(cycle_start(db, id, SDATE_NONE, SDATE_NONE, 12, &c, &e), 0,
	    "%s", e.msg);
	target_init(&t);
	t.cycle_id = c.id;
	t.text = strdup("Asks for help with a sentence starter");
	cr_assert_eq(target_add(db, &t, &e), 0, "%s", e.msg);
	cr_assert_eq(target_rate(db, t.id, 2, NULL, SDATE_NONE, NULL, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(audit_list(db, id, SDATE_NONE, collect, &s, &e), 0);
	cr_assert_str_eq(s.ops[s.n - 1], "insert rating");
	cr_assert(strstr(s.changes[s.n - 1], "value=2") != NULL);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE pupil_id "
	    "IS NULL"), 0);
	target_free(&t);
	cycle_free(&c);
	db_close(db);
}

Test(audit, demo_mode_can_turn_it_off)
{
	struct db *db = th_db();

	db_set_audit(db, false);
	th_pupil(db, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit"), 0);
	db_set_audit(db, true);
	th_pupil(db, 2, "Nguyễn", "Mai", 'N', NULL, "2");
	/* the pupil and the N row of their status history */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit"), 2);
	db_close(db);
}

/* The images are JSON that reads back to the values written: quotes,
 * backslashes, control characters, non-ASCII text, numbers as
 * json_object() writes them; NULLs are left out of a row's image. */
Test(audit, images_are_json_of_the_values)
{
	struct db *db = th_db();

	cr_assert_eq(th_count(db, "SELECT json_valid(j) AND "
	    "json_extract(j, '$.t') = 'a\"b\\c' || char(10) || char(1) || 'Zoë' "
	    "AND json_extract(j, '$.i') = -42 AND json_extract(j, '$.r') = 84.7 "
	    "AND json_type(j, '$.n') IS NULL AND json_type(j, '$.e') = 'text' "
	    "FROM (SELECT senco_audit_image('t', 'a\"b\\c' || char(10) || "
	    "char(1) || 'Zoë', 'i', -42, 'r', 84.7, 'n', NULL, 'e', '') AS j)"),
	    1);
	cr_assert_eq(th_count(db, "SELECT senco_audit_image('a', 100.0, 'b', "
	    "0.1, 'c', 7) = json_object('a', 100.0, 'b', 0.1, 'c', 7)"), 1);
	/* Of an update, the columns changed (NULL to a value and back too),
	 * and no other. */
	cr_assert_eq(th_count(db, "SELECT senco_audit_changes(0, 'a', 1, 1, "
	    "'b', 'x', 'y', 'c', NULL, 2, 'd', 3, NULL, 'e', 1, 1.0) = "
	    "'{\"b\":\"x\",\"c\":null,\"d\":3,\"e\":1}'"), 1);
	cr_assert_eq(th_count(db, "SELECT senco_audit_changes(1, 'a', 1, 1, "
	    "'b', 'x', 'y', 'c', NULL, 2, 'd', 3, NULL, 'e', 1, 1.0) = "
	    "'{\"b\":\"y\",\"c\":2,\"d\":null,\"e\":1.0}'"), 1);
	cr_assert_eq(th_count(db, "SELECT senco_audit_changes(1, 'a', 1, 1)"
	    " = '{}'"), 1);
	db_close(db);
}

/* An edit of one field records that field, not the whole row twice nor
 * the row's bookkeeping; the summary reads as before. */
Test(audit, an_update_records_what_changed)
{
	struct db *db = th_db();
	struct seen s = { 0 };
	struct pupil p;
	struct serr e;
	int64_t id;

	id = th_pupil(db, 1, "Nguyễn", "Mai", 'N', NULL, "2");
	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	snprintf(p.class_name, sizeof p.class_name, "2R");
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE op = "
	    "'update' AND tbl = 'pupil' AND json_type(old, '$.class') = 'null' "
	    "AND json_extract(new, '$.class') = '2R' AND json_type(new, "
	    "'$.version') IS NULL AND json_type(old, '$.updated_at') IS NULL "
	    "AND json_type(new, '$.legal_surname') IS NULL AND json_type(old, "
	    "'$.upn') IS NULL"), 1);
	cr_assert_eq(audit_list(db, id, SDATE_NONE, collect, &s, &e), 0);
	cr_assert_str_eq(s.ops[s.n - 1], "update pupil");
	cr_assert_str_eq(s.changes[s.n - 1], "class:  -> 2R");
	/* Ids are distinct, seq goes up with each row. */
	cr_assert_eq(th_count(db, "SELECT count(DISTINCT id) = count(*) AND "
	    "count(DISTINCT seq) = count(*) FROM audit"), 1);
	db_close(db);
}

/* Every audited table has the cheaper triggers (migration 4 installs them
 * again on an older caseload; db.c installs them after every migration). */
Test(audit, every_trigger_has_the_cheaper_form)
{
	struct db *db = th_db();

	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'audit_pupil_update' AND sql LIKE '%senco_audit_changes%' "
	    "AND sql LIKE '%senco_audit_id()%' AND "
	    "sql LIKE '%senco_audit_at()%'"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\' AND "
	    "name NOT LIKE 'audit\\_no\\_%' ESCAPE '\\' AND "
	    "(sql LIKE '%json_object%' OR sql LIKE '%senco_new_id%')"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\' AND "
	    "sql LIKE '%senco_audit_image%'"), 32);
	db_close(db);
}

/* How many audit rows have one of the bookkeeping columns in an image. */
#define WITH_BOOKKEEPING "SELECT count(*) FROM audit, json_each(" \
	"coalesce(audit.new, '{}')) j WHERE j.key IN ('created_at', " \
	"'updated_at', 'version', 'changed_by')"

/* Images leave out what every write changes (the audit row's at, login,
 * author and seq say it); they keep the ids and the data. */
Test(audit, images_leave_out_the_bookkeeping)
{
	struct db *db = th_db();
	int64_t id = th_pupil(db, 1, "Ó Súilleabháin", "Siobhán", 'K', "SLCN",
	    "5");
	struct pupil p;
	struct serr e;

	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	p.status = 'E';
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_geq(th_count(db, "SELECT count(*) FROM audit WHERE "
	    "op = 'update'"), 1);
	cr_assert_eq(th_count(db, WITH_BOOKKEEPING), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE "
	    "json_type(old, '$.created_at') IS NOT NULL OR "
	    "json_type(old, '$.version') IS NOT NULL"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE "
	    "op = 'insert' AND tbl = 'pupil' AND json_extract(new, '$.id') = "
	    "row_id AND json_extract(new, '$.legal_forename') = 'Siobhán' "
	    "AND json_extract(new, '$.year_group') = '5'"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE "
	    "op = 'insert' AND tbl = 'sen_status' AND "
	    "json_extract(new, '$.pupil_id') = pupil_id AND "
	    "json_extract(new, '$.status') = 'K'"), 1);
	db_close(db);
}

/* A caseload of schema 7, whose triggers imaged every column, has them
 * installed again when it is opened (and its counts of open statuses
 * made: test_register has them kept). */
Test(audit, an_older_caseload_gets_the_new_triggers)
{
	const char *path = th_path("old.db");
	struct db *db;
	struct serr e;

	cr_assert_eq(db_open(&db, path, DB_CREATE, &e), 0, "%s", e.msg);
	cr_assert_eq(db_exec(db, "DROP TRIGGER audit_pupil_insert; "
	    "CREATE TRIGGER audit_pupil_insert AFTER INSERT ON pupil BEGIN "
	    "INSERT INTO audit (id, seq, at, login, author, tbl, row_id, "
	    "pupil_id, op, old, new) VALUES (senco_audit_id(), 1, "
	    "senco_audit_at(), senco_login(), senco_author(), 'pupil', "
	    "NEW.id, NEW.id, 'insert', NULL, senco_audit_image('id', NEW.id, "
	    "'version', NEW.version)); END; DROP TRIGGER status_tally_insert; "
	    "DROP TRIGGER status_tally_update; DROP TRIGGER "
	    "status_tally_delete; DROP TABLE status_tally; CREATE INDEX "
	    "sen_status_tally ON sen_status(status, end_date) WHERE "
	    "end_date IS NULL; DROP TRIGGER pupil_now_pupil_update; "
	    "DROP TRIGGER pupil_now_enrolment_insert; DROP TRIGGER "
	    "pupil_now_enrolment_update; DROP TRIGGER "
	    "pupil_now_enrolment_delete; DROP TRIGGER "
	    "pupil_now_intervention_update; DROP TABLE pupil_search_rank; "
	    "PRAGMA user_version = 7", &e), 0,
	    "%s", e.msg);
	db_close(db);
	cr_assert_eq(db_open(&db, path, 0, &e), 0, "%s", e.msg);
	cr_assert_eq(db_schema_version(db), DB_SCHEMA_VERSION);
	th_pupil(db, 1, "Kowalczyk", "Łukasz", 'N', NULL, "3");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE "
	    "tbl = 'pupil' AND json_extract(new, '$.upn') IS NOT NULL"), 1);
	cr_assert_eq(th_count(db, WITH_BOOKKEEPING), 0);
	cr_assert_eq(th_count(db, "SELECT n FROM status_tally WHERE "
	    "status = 'N'"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'sen_status_tally'"), 0);
	db_close(db);
}
