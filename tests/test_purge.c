/*
 * test_purge.c: the retention purge: who the rules pick (retention by
 * date of birth, or left before a date; never a pupil on roll), a dry run
 * that changes nothing, a real one that removes every row and audit row
 * about the pupils in one transaction, and no byte of them left in the
 * file or its -wal afterwards.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cycle.h"
#include "core/db.h"
#include "core/pupil.h"
#include "core/purge.h"
#include "core/record.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "helpers.h"

TestSuite(purge, .fini = th_cleanup);

#define TODAY date_from_ymd(2026, 1, 15)

/* Distinctive bytes of the pupil to purge, searched for in the file. */
#define GONE_SURNAME "Quillonbury"
#define GONE_FORENAME "Xanthippé"
/* history() writes these after its tag: "gone-Wugglewort" */
#define GONE_NEWNAME "gone-Xanthé-Marguerite"
#define GONE_NOTE "gone-Zyzzogeton"
#define GONE_TARGET "gone-Wugglewort"
#define GONE_COMMENT "gone-Snorkelwhistle"

/* Make "today" d for the core (pupils are checked against their age
 * today, so a pupil born in 1995 is added as if in 2005). */
static void
on(sdate d)
{
	char buf[DATE_ISO_LEN];

	cr_assert_eq(setenv("SENCO_TODAY", date_iso(d, buf), 1), 0);
}

static int64_t
add_pupil(struct db *db, int serial, const char *sur, const char *fore,
    int y, int m, int d, const char *year)
{
	struct pupil p;
	struct serr e;

	pupil_init(&p);
	th_upn(serial, p.upn);
	snprintf(p.legal_surname, sizeof p.legal_surname, "%s", sur);
	snprintf(p.legal_forename, sizeof p.legal_forename, "%s", fore);
	p.dob = date_from_ymd(y, m, d);
	p.gender = 'F';
	snprintf(p.year, sizeof p.year, "%s", year);
	p.status = 'K';
	snprintf(p.needs[0], sizeof p.needs[0], "SPLD");
	p.n_needs = 1;
	on(date_add_months(p.dob, 12 * 10));
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s: %s", sur, e.msg);
	return p.id;
}

static void
leave(struct db *db, int64_t id, int y, int m, int d)
{
	struct serr e;

	on(date_from_ymd(y, m, d));
	cr_assert_eq(pupil_archive(db, id, true, date_from_ymd(y, m, d), &e),
	    0, "%s", e.msg);
}

/* A cycle with a rated target, a note and a change of name: rows in
 * most tables, audit rows with old and new images, and WAL frames. */
static void
history(struct db *db, int64_t id, const char *tag)
{
	struct cycle cy;
	struct target t;
	struct note n;
	struct pupil p;
	struct serr e;
	char *text;
	sdate start;

	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	start = date_add_months(p.dob, 12 * 10);
	on(start + 30);
	cycle_init(&cy);
	cr_assert_eq(cycle_start(db, id, start, SDATE_NONE, 12, &cy, &e), 0,
	    "%s", e.msg);
	target_init(&t);
	t.cycle_id = cy.id;
	xasprintf(&t.text, "reads 20 words of %s-Wugglewort phonics", tag);
	t.criteria = xstrdup("20 of 20 correct, three days running");
	cr_assert_eq(target_add(db, &t, &e), 0, "%s", e.msg);
	xasprintf(&text, "%s-Snorkelwhistle is better", tag);
	cr_assert_eq(target_rate(db, t.id, 2, text, start + 20,
	    NULL, &e), 0, "%s", e.msg);
	free(text);
	target_free(&t);
	cycle_free(&cy);

	memset(&n, 0, sizeof n);
	n.pupil_id = id;
	n.on = start + 25;
	xasprintf(&n.text, "referral to the %s-Zyzzogeton clinic", tag);
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	free(n.text);

	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	snprintf(p.preferred_forename, sizeof p.preferred_forename,
	    "%s-Xanthé-Marguerite", tag);
	p.n_needs = -1;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
}

/* Rows in every table: a dry run must not change it. */
static int
all_rows(struct db *db)
{
	return th_count(db, "SELECT (SELECT count(*) FROM pupil) + "
	    "(SELECT count(*) FROM sen_status) + (SELECT count(*) FROM "
	    "pupil_need) + (SELECT count(*) FROM cycle) + (SELECT count(*) "
	    "FROM target) + (SELECT count(*) FROM rating) + (SELECT count(*) "
	    "FROM note) + (SELECT count(*) FROM audit)");
}

static struct purge_rule
by_retention(void)
{
	struct purge_rule r = { SDATE_NONE, 25, TODAY };

	return r;
}

static struct purge_rule
left_before(int y, int m, int d)
{
	struct purge_rule r = { date_from_ymd(y, m, d), 25, TODAY };

	return r;
}

static void
find(struct db *db, const struct purge_rule *r, struct purge_list *l)
{
	struct serr e;

	cr_assert_eq(purge_find(db, r, l, &e), 0, "%s", e.msg);
}

static bool
listed(const struct purge_list *l, int64_t id)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return true;
	return false;
}

/* The bytes of a file ("" if missing). Caller frees. */
static char *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	*n = 0;
	if (fp == NULL)
		return xstrdup("");
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)len + 1);
	*n = fread(buf, 1, (size_t)len, fp);
	fclose(fp);
	return buf;
}

/* Does what appear anywhere in the database file or its -wal? */
static bool
in_files(struct db *db, const char *what)
{
	char wal[400], *buf;
	const char *files[2];
	size_t n, m = strlen(what);
	bool found = false;

	snprintf(wal, sizeof wal, "%s-wal", db_path(db));
	files[0] = db_path(db);
	files[1] = wal;
	for (int f = 0; f < 2 && !found; f++) {
		buf = slurp(files[f], &n);
		for (size_t i = 0; i + m <= n && !found; i++)
			found = memcmp(buf + i, what, m) == 0;
		free(buf);
	}
	return found;
}

/* --- who goes ------------------------------------------------------------- */

Test(purge, retention_end_is_the_birthday)
{
	cr_assert_eq(purge_retention_end(date_from_ymd(2000, 5, 5), 25),
	    date_from_ymd(2025, 5, 5));
	/* 29 February: 1 March in a common year, itself in a leap year. */
	cr_assert_eq(purge_retention_end(date_from_ymd(1996, 2, 29), 25),
	    date_from_ymd(2021, 3, 1));
	cr_assert_eq(purge_retention_end(date_from_ymd(2000, 2, 29), 24),
	    date_from_ymd(2024, 2, 29));
	cr_assert_eq(purge_retention_end(date_from_ymd(2001, 2, 28), 25),
	    date_from_ymd(2026, 2, 28));
}

Test(purge, by_default_only_archived_pupils_past_retention)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	int64_t old, young, on_roll, today_bday, yesterday_bday;

	old = add_pupil(db, 1, "Ó Súilleabháin", "Siobhán", 1995, 3, 2, "11");
	leave(db, old, 2011, 7, 20);
	young = add_pupil(db, 2, "Nowak", "Łukasz", 2005, 5, 5, "11");
	leave(db, young, 2020, 7, 20);
	on_roll = add_pupil(db, 3, "Nguyễn", "Minh", 1990, 1, 1, "14");
	/* The 25th birthday is today: still kept. Yesterday: purged. */
	today_bday = add_pupil(db, 4, "李", "Wei", 2001, 1, 15, "11");
	leave(db, today_bday, 2017, 7, 20);
	yesterday_bday = add_pupil(db, 5, "Brown", "Zoë", 2001, 1, 14, "11");
	leave(db, yesterday_bday, 2017, 7, 20);

	find(db, &r, &l);
	cr_assert_eq(l.n, 2);
	cr_assert(listed(&l, old));
	cr_assert(listed(&l, yesterday_bday));
	cr_assert(!listed(&l, young));
	cr_assert(!listed(&l, on_roll));
	cr_assert(!listed(&l, today_bday));
	/* Sorted by surname; the entry says why it goes. */
	cr_assert_str_eq(l.v[0].name, "Brown, Zoë");
	cr_assert_eq(l.v[0].retention_end, date_from_ymd(2026, 1, 14));
	cr_assert_eq(l.v[0].left_on, date_from_ymd(2017, 7, 20));
	purge_list_free(&l);

	/* A shorter retention from the config takes more. */
	r.retention_years = 20;
	find(db, &r, &l);
	cr_assert_eq(l.n, 4);
	cr_assert(!listed(&l, on_roll));
	purge_list_free(&l);
	db_close(db);
}

Test(purge, left_before_takes_archived_pupils_who_left_earlier)
{
	struct db *db = th_db();
	struct purge_rule r = left_before(2021, 1, 1);
	struct purge_list l;
	int64_t a, b, c;

	a = add_pupil(db, 1, "Clarke", "Amara", 1995, 3, 2, "11");
	leave(db, a, 2011, 7, 20);
	b = add_pupil(db, 2, "Osei", "Kofi", 2005, 5, 5, "11");
	leave(db, b, 2020, 12, 31);
	c = add_pupil(db, 3, "Byrne", "Aoife", 1990, 1, 1, "14");
	find(db, &r, &l);
	cr_assert_eq(l.n, 2);
	cr_assert(listed(&l, a) && listed(&l, b) && !listed(&l, c));
	purge_list_free(&l);

	/* Strictly before: a pupil who left on the date stays. */
	r = left_before(2020, 12, 31);
	find(db, &r, &l);
	cr_assert_eq(l.n, 1);
	cr_assert(listed(&l, a));
	purge_list_free(&l);
	db_close(db);
}

Test(purge, bad_rules_are_refused)
{
	struct db *db = th_db();
	struct purge_rule r = left_before(2026, 1, 16);
	struct purge_list l;
	struct purge_result res;
	struct serr e;

	cr_assert_eq(purge_find(db, &r, &l, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "after today") != NULL, "%s", e.msg);
	cr_assert_eq(l.n, 0);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), SE_INVALID);
	r = by_retention();
	r.retention_years = 0;
	cr_assert_eq(purge_find(db, &r, &l, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "out of range") != NULL, "%s", e.msg);
	r.retention_years = 101;
	cr_assert_eq(purge_rule_check(&r, &e), SE_INVALID);
	/* Today itself is allowed. */
	r = left_before(2026, 1, 15);
	cr_assert_eq(purge_rule_check(&r, &e), 0);
	db_close(db);
}

/* --- the purge ------------------------------------------------------------ */

Test(purge, dry_run_changes_nothing)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	int64_t id = add_pupil(db, 1, GONE_SURNAME, GONE_FORENAME, 1995, 3, 2,
	    "11");
	int before;

	history(db, id, "dry");
	leave(db, id, 2011, 7, 20);
	before = all_rows(db);
	find(db, &r, &l);
	cr_assert_eq(l.n, 1);
	purge_list_free(&l);
	cr_assert_eq(all_rows(db), before);
	cr_assert(in_files(db, GONE_SURNAME));
	db_close(db);
}

Test(purge, removes_every_row_and_audit_row_in_one_go)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	int64_t gone, kept, kept_archived;
	char sql[256];
	int kept_audit;

	gone = add_pupil(db, 1, GONE_SURNAME, GONE_FORENAME, 1995, 3, 2, "11");
	history(db, gone, "gone");
	leave(db, gone, 2011, 7, 20);
	kept = add_pupil(db, 2, "Nowak", "Łukasz", 2015, 5, 5, "5");
	history(db, kept, "kept");
	kept_archived = add_pupil(db, 3, "Byrne", "Siobhán", 2005, 5, 5, "11");
	leave(db, kept_archived, 2020, 7, 20);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE "
	    "pupil_id = %lld", (long long)gone);
	cr_assert_gt(th_count(db, sql), 5,
	    "the pupil should have an audit trail");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE "
	    "pupil_id IN (%lld, %lld)", (long long)kept,
	    (long long)kept_archived);
	kept_audit = th_count(db, sql);

	find(db, &r, &l);
	cr_assert_eq(l.n, 1);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), 0, "%s", e.msg);
	purge_list_free(&l);
	cr_assert_eq(res.purged, 1);
	cr_assert_eq(res.skipped, 0);
	cr_assert_gt(res.audit_rows, 5);
	cr_assert(res.vacuumed, "%s", res.note);
	cr_assert(res.checkpointed, "%s", res.note);
	cr_assert_str_eq(res.note, "");

	snprintf(sql, sizeof sql, "SELECT count(*) FROM pupil WHERE id = %lld",
	    (long long)gone);
	cr_assert_eq(th_count(db, sql), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 2);
	/* Only the kept pupil's cycle, target, rating and note are left. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM cycle"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM target"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM rating"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM note"), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sen_status WHERE "
	    "pupil_id = %lld", (long long)gone);
	cr_assert_eq(th_count(db, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE "
	    "pupil_id = %lld OR row_id = %lld", (long long)gone,
	    (long long)gone);
	cr_assert_eq(th_count(db, sql), 0);
	/* Other pupils' trails are whole; one row records the purge. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE "
	    "pupil_id IN (%lld, %lld)", (long long)kept,
	    (long long)kept_archived);
	cr_assert_eq(th_count(db, sql), kept_audit);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE row_id = 0 "
	    "AND tbl = 'pupil' AND op = 'delete' AND pupil_id IS NULL AND "
	    "json_extract(old, '$.purged_pupils') = 1 AND "
	    "json_extract(old, '$.rule') LIKE 'date of birth + 25 years%'"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pragma_integrity_check "
	    "WHERE integrity_check <> 'ok'"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM "
	    "pragma_foreign_key_check"), 0);
	/* The audit trail is locked again afterwards. */
	cr_assert_neq(sqlite3_exec(db_handle(db), "DELETE FROM audit", NULL,
	    NULL, NULL), SQLITE_OK);
	db_close(db);
}

Test(purge, leaves_no_trace_in_the_file_or_wal)
{
	static const char *const traces[] = {
		GONE_SURNAME, GONE_FORENAME, GONE_NEWNAME, GONE_NOTE,
		GONE_TARGET, GONE_COMMENT,
	};
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	char upn[UPN_LEN + 1], wal[400];
	int64_t gone, kept;
	struct stat sb;

	gone = add_pupil(db, 7, GONE_SURNAME, GONE_FORENAME, 1995, 3, 2,
	    "11");
	history(db, gone, "gone");
	leave(db, gone, 2011, 7, 20);
	kept = add_pupil(db, 8, "Keepington", "Zoë", 2015, 5, 5, "5");
	history(db, kept, "kept");
	th_upn(7, upn);
	/* The test can fail: every trace is there before. */
	for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++)
		cr_assert(in_files(db, traces[i]), "%s not written at all",
		    traces[i]);
	cr_assert(in_files(db, upn));

	find(db, &r, &l);
	cr_assert_eq(l.n, 1);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), 0, "%s", e.msg);
	purge_list_free(&l);

	for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++)
		cr_assert(!in_files(db, traces[i]), "%s is still in the file",
		    traces[i]);
	cr_assert(!in_files(db, upn), "the UPN is still in the file");
	/* The kept pupil is readable in the same bytes. */
	cr_assert(in_files(db, "Keepington"));
	cr_assert(in_files(db, "kept-Wugglewort"));
	cr_assert(in_files(db, "kept-Zyzzogeton"));
	snprintf(wal, sizeof wal, "%s-wal", db_path(db));
	cr_assert(stat(wal, &sb) != 0 || sb.st_size == 0,
	    "the -wal still holds %lld bytes", (long long)sb.st_size);
	/* And after closing, with nothing of it left behind. */
	snprintf(wal, sizeof wal, "%s", db_path(db));
	db_close(db);
	cr_assert_eq(db_open(&db, wal, 0, &e), 0, "%s", e.msg);
	for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++)
		cr_assert(!in_files(db, traces[i]), "%s is back", traces[i]);
	db_close(db);
}

Test(purge, follows_audit_rows_that_lost_their_pupil)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	char sql[512];
	int64_t gone, cycle_id;

	gone = add_pupil(db, 1, GONE_SURNAME, GONE_FORENAME, 1995, 3, 2, "11");
	history(db, gone, "gone");
	leave(db, gone, 2011, 7, 20);
	snprintf(sql, sizeof sql, "SELECT id FROM cycle WHERE pupil_id = %lld",
	    (long long)gone);
	{
		sqlite3_stmt *st;

		cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st,
		    NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
		cycle_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	/* As a trigger writes them when a target goes with its cycle: no
	 * pupil_id, the pupil known only through the cycle id in the JSON;
	 * and a rating known only through its target. */
	snprintf(sql, sizeof sql, "INSERT INTO audit (id, seq, at, login, "
	    "author, tbl, row_id, pupil_id, op, old, new) VALUES "
	    "(11, 1000, '2012-01-01T00:00:00Z', 'x', 'x', 'target', 4242, "
	    "NULL, 'delete', json_object('id', 4242, 'cycle_id', %lld, "
	    "'text', 'Orphanwort target'), NULL), "
	    "(12, 1001, '2012-01-01T00:00:00Z', 'x', 'x', 'rating', 4343, "
	    "NULL, 'delete', json_object('id', 4343, 'target_id', 4242, "
	    "'comment', 'Orphanrating'), NULL)", (long long)cycle_id);
	th_exec(db, sql);
	cr_assert(in_files(db, "Orphanwort"));

	find(db, &r, &l);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), 0, "%s", e.msg);
	purge_list_free(&l);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE id IN "
	    "(11, 12)"), 0);
	cr_assert(!in_files(db, "Orphanwort"));
	cr_assert(!in_files(db, "Orphanrating"));
	db_close(db);
}

Test(purge, a_pupil_brought_back_meanwhile_is_kept)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	int64_t a, b;

	a = add_pupil(db, 1, "Clarke", "Amara", 1995, 3, 2, "11");
	leave(db, a, 2011, 7, 20);
	b = add_pupil(db, 2, "Osei", "Kofi", 1994, 5, 5, "11");
	leave(db, b, 2010, 7, 20);
	find(db, &r, &l);
	cr_assert_eq(l.n, 2);
	/* Another user brings Kofi back before the SENCO confirms. */
	cr_assert_eq(pupil_archive(db, b, false, SDATE_NONE, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), 0, "%s", e.msg);
	purge_list_free(&l);
	cr_assert_eq(res.purged, 1);
	cr_assert_eq(res.skipped, 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 1);
	db_close(db);
}

Test(purge, nothing_confirmed_changes_nothing)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list none = { NULL, 0 };
	struct purge_result res;
	struct serr e;
	int64_t a = add_pupil(db, 1, "Clarke", "Amara", 1995, 3, 2, "11");
	int before;

	leave(db, a, 2011, 7, 20);
	before = all_rows(db);
	cr_assert_eq(purge_run(db, &r, &none, &res, &e), 0, "%s", e.msg);
	cr_assert_eq(res.purged, 0);
	cr_assert_eq(all_rows(db), before);
	db_close(db);
}

Test(purge, refused_inside_a_transaction)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	int64_t a = add_pupil(db, 1, "Clarke", "Amara", 1995, 3, 2, "11");

	leave(db, a, 2011, 7, 20);
	find(db, &r, &l);
	cr_assert_eq(db_begin(db, &e), 0);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), SE_STATE);
	db_rollback(db);
	purge_list_free(&l);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 1);
	db_close(db);
}

/* Defence in depth: the rebuild clears what secure_delete would have,
 * e.g. bytes freed by an older senco or another tool without it. */
Test(purge, the_rebuild_clears_traces_without_secure_delete)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	int64_t gone;

	gone = add_pupil(db, 1, GONE_SURNAME, GONE_FORENAME, 1995, 3, 2, "11");
	history(db, gone, "gone");
	leave(db, gone, 2011, 7, 20);
	add_pupil(db, 2, "Keepington", "Zoë", 2015, 5, 5, "5");
	th_exec(db, "PRAGMA secure_delete = OFF");
	find(db, &r, &l);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), 0, "%s", e.msg);
	purge_list_free(&l);
	cr_assert(!in_files(db, GONE_SURNAME));
	cr_assert(!in_files(db, GONE_TARGET));
	cr_assert(!in_files(db, GONE_NOTE));
	cr_assert(in_files(db, "Keepington"));
	db_close(db);
}

/* The name search index (when the schema has one) holds exactly the
 * pupils left: rebuilding it again changes no byte of it. */
static char *
search_index(struct db *db)
{
	sqlite3_stmt *st;
	char *out = xstrdup(""), *prev;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "SELECT id, hex(block) "
	    "FROM pupil_search_data ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		prev = out;
		xasprintf(&out, "%s%lld:%s\n", prev,
		    (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		free(prev);
	}
	sqlite3_finalize(st);
	return out;
}

Test(purge, leaves_no_trace_in_the_search_index)
{
	struct db *db = th_db();
	struct purge_rule r = by_retention();
	struct purge_list l;
	struct purge_result res;
	struct serr e;
	int64_t gone;
	char *after, *rebuilt;

	if (th_count(db, "SELECT count(*) FROM sqlite_schema WHERE name = "
	    "'pupil_search'") == 0) {
		db_close(db);
		cr_skip_test("this schema has no search index");
	}
	add_pupil(db, 2, "Keepington", "Zoë", 2015, 5, 5, "5");
	gone = add_pupil(db, 1, GONE_SURNAME, GONE_FORENAME, 1995, 3, 2, "11");
	history(db, gone, "gone");
	leave(db, gone, 2011, 7, 20);
	find(db, &r, &l);
	cr_assert_eq(purge_run(db, &r, &l, &res, &e), 0, "%s", e.msg);
	purge_list_free(&l);
	after = search_index(db);
	th_exec(db, "INSERT INTO pupil_search (pupil_search) VALUES "
	    "('rebuild')");
	rebuilt = search_index(db);
	cr_assert_str_eq(after, rebuilt);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_search WHERE "
	    "pupil_search MATCH 'Keepington'"), 1);
	free(after);
	free(rebuilt);
	db_close(db);
}
