/*
 * test_merge.c: a laptop copy taken, worked on offline (with restarts),
 * and merged back: every laptop change arrives or is listed as a
 * conflict, the user's choice decides each conflict, merging twice
 * changes nothing, copies of another caseload or schema are refused, and
 * the caseload passes its integrity checks after.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cycle.h"
#include "core/intervention.h"
#include "core/merge.h"
#include "core/pupil.h"
#include "core/record.h"
#include "core/target.h"
#include "core/uiquery.h"
#include "helpers.h"

static void
setup(void)
{
	setenv("SENCO_TODAY", "2026-01-15", 1);
}

TestSuite(merge, .init = setup, .fini = th_cleanup);

/* --- fixtures ------------------------------------------------------------- */

static struct db *
server(void)
{
	struct db *db = th_db();

	db_set_author(db, "Mr Ahmed");
	return db;
}

/* The usual roll: five pupils, one with an open cycle and a target. */
static void
roll(struct db *s, int64_t id[6], int64_t *target)
{
	struct cycle cy;
	struct target t;
	struct serr e;

	id[1] = th_pupil(s, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	id[2] = th_pupil(s, 2, "Ó Súilleabháin", "Siobhán", 'E', "ASD", "5");
	id[3] = th_pupil(s, 3, "Nowak", "Łukasz", 'K', "SLCN", "4");
	id[4] = th_pupil(s, 4, "Nguyễn", "An", 'N', NULL, "6");
	id[5] = th_pupil(s, 5, "李", "Wei", 'K', "SEMH", "4");
	if (target == NULL)
		return;
	cycle_init(&cy);
	cr_assert_eq(cycle_start(s, id[1], SDATE_NONE, SDATE_NONE, 12, &cy, &e),
	    0, "%s", e.msg);
	target_init(&t);
	t.cycle_id = cy.id;
	t.text = (char *)"Read 50 common exception words";
	cr_assert_eq(target_add(s, &t, &e), 0, "%s", e.msg);
	*target = t.id;
	cycle_free(&cy);
}

static const char *
checkout(struct db *s, const struct merge_subset *sub)
{
	const char *path = th_path("laptop.db");
	struct merge_checkout_info info;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(merge_checkout(s, path, sub, &info, &e), 0, "%s", e.msg);
	cr_assert_neq(info.checkout_id, 0);
	return path;
}

static struct db *
laptop(const char *path)
{
	struct db *db = NULL;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(db_open(&db, path, 0, &e), 0, "%s", e.msg);
	db_set_author(db, "Mrs Okafor");
	return db;
}

static struct merge *
prepare(struct db *s, const char *path)
{
	struct merge *m = NULL;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(merge_prepare(s, path, &m, &e), 0, "%s", e.msg);
	return m;
}

/* A text answer of a query with one int parameter; "" for none. */
static const char *
qs(struct db *db, const char *sql, int64_t arg)
{
	static char buf[4][256];
	static int n;
	char *out = buf[n++ % 4];
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
	sqlite3_bind_int64(st, 1, arg);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, 256, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void
exec(struct db *db, const char *sql, int64_t arg)
{
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
	sqlite3_bind_int64(st, 1, arg);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE, "%s: %s", sql,
	    sqlite3_errmsg(db_handle(db)));
	sqlite3_finalize(st);
}

static void
healthy(struct db *db)
{
	cr_assert_str_eq(qs(db, "PRAGMA integrity_check", 0), "ok");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM "
	    "pragma_foreign_key_check"), 0, "foreign keys broken");
}

static void
set_class(struct db *db, int64_t id, const char *cls)
{
	struct pupil p;
	struct serr e;

	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	snprintf(p.class_name, sizeof p.class_name, "%s", cls);
	p.status = 0;
	p.n_needs = -1;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
}

static void
set_year(struct db *db, int64_t id, const char *year)
{
	struct pupil p;
	struct serr e;

	cr_assert_eq(pupil_get(db, id, &p, &e), 0, "%s", e.msg);
	snprintf(p.year, sizeof p.year, "%s", year);
	p.status = 0;
	p.n_needs = -1;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
}

static const char *
class_of(struct db *db, int64_t id)
{
	return qs(db, "SELECT class FROM pupil WHERE id = ?1", id);
}

static int64_t
add_note(struct db *db, int64_t pupil, const char *text)
{
	struct note n;
	char buf[256];
	struct serr e;

	note_init(&n);
	n.pupil_id = pupil;
	snprintf(buf, sizeof buf, "%s", text);
	n.text = buf;
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	return n.id;
}

static int64_t
count_by(struct db *db, const char *table, const char *where, int64_t arg)
{
	char sql[256];
	sqlite3_stmt *st;
	int64_t v;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table,
	    where);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s", sqlite3_errmsg(db_handle(db)));
	sqlite3_bind_int64(st, 1, arg);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static struct merge_conflict *
only_conflict(struct merge *m, enum merge_kind kind)
{
	int n;
	struct merge_conflict *c = merge_conflicts(m, &n);

	cr_assert_eq(n, 1, "wanted one conflict, got %d", n);
	cr_assert_eq(c[0].kind, kind, "kind %d", c[0].kind);
	return &c[0];
}

static struct merge_figures
apply(struct merge *m, enum merge_choice fallback)
{
	struct merge_figures f;
	char warning[512];
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(merge_apply(m, fallback, &f, warning, sizeof warning, &e),
	    0, "%s", e.msg);
	cr_assert_str_empty(warning, "%s", warning);
	return f;
}

/* --- a round trip with edits on both sides -------------------------------- */

Test(merge, round_trip_with_edits_on_both_sides)
{
	struct db *s = server(), *l;
	int64_t id[6], target, rating, newp, audit_lap;
	const struct merge_info *in;
	struct merge_conflict *c;
	struct merge_figures f;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, &target);
	path = checkout(s, NULL);

	/* The laptop, over three sittings (closed and opened again). */
	l = laptop(path);
	set_class(l, id[2], "5B");
	add_note(l, id[3], "Met parents: speech therapy from March");
	db_close(l);
	l = laptop(path);
	cr_assert_eq(target_rate(l, target, 2, "Reads 25 of 50", SDATE_NONE,
	    &rating, &e), 0, "%s", e.msg);
	newp = th_pupil(l, 6, "Kowalczyk", "Zoë", 'K', "MLD", "4");
	db_close(l);
	l = laptop(path);
	set_class(l, id[5], "4L");
	audit_lap = th_count(l, "SELECT count(*) FROM audit WHERE "
	    "author = 'Mrs Okafor'");
	db_close(l);

	/* The server, meanwhile. */
	set_class(s, id[1], "4A");
	set_class(s, id[5], "4S");
	add_note(s, id[4], "Phone call with carer");

	m = prepare(s, path);
	in = merge_info(m);
	cr_assert_not(in->already_merged);
	/* pupil 2 changed, a note, a rating, pupil 6 with its status and
	 * need, pupil 5 changed: 7 records. */
	cr_assert_eq(in->figures.changes, 7, "changes %d", in->figures.changes);
	cr_assert_eq(in->figures.conflicts, 1);
	cr_assert_eq(in->figures.conflicted, 1);
	cr_assert_eq(in->figures.applied, 6, "applied %d", in->figures.applied);
	/* One audit row to come for each record the merge would write. */
	cr_assert_eq(in->figures.audit_entries, 7, "audit %d",
	    in->figures.audit_entries);
	cr_assert_gt(audit_lap, 0);
	c = only_conflict(m, MERGE_FIELD);
	cr_assert_str_eq(c->table, "pupil");
	cr_assert_str_eq(c->column, "class");
	cr_assert_eq(c->row_id, id[5]);
	cr_assert_str_eq(c->server_value, "4S");
	cr_assert_str_eq(c->laptop_value, "4L");
	cr_assert_str_eq(c->server_by, "Mr Ahmed");
	cr_assert_str_eq(c->laptop_by, "Mrs Okafor");
	cr_assert_str_neq(c->server_at, "");
	cr_assert_str_neq(c->laptop_at, "");
	cr_assert_eq(c->pupil_id, id[5]);
	cr_assert_str_eq(c->thing, "pupil record");
	cr_assert(strstr(c->pupil, "李, Wei") != NULL, "%s", c->pupil);
	cr_assert(strstr(c->summary, "class") != NULL, "%s", c->summary);
	/* The prepare wrote nothing. */
	cr_assert_str_eq(class_of(s, id[2]), "");

	c->choice = MERGE_KEEP_LAPTOP;
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.changes, 7);
	cr_assert_eq(f.applied, 6);
	cr_assert_eq(f.conflicts, 1);
	cr_assert_eq(f.kept_laptop, 1);
	cr_assert_eq(f.kept_server, 0);
	/* Each record written has its one audit row. */
	cr_assert_eq(f.audit_entries, f.written, "audit %d, written %d",
	    f.audit_entries, f.written);
	merge_free(m);

	/* Every change arrived; the server's own stayed. */
	cr_assert_str_eq(class_of(s, id[2]), "5B");
	cr_assert_str_eq(class_of(s, id[5]), "4L");
	cr_assert_str_eq(class_of(s, id[1]), "4A");
	cr_assert_eq(count_by(s, "note", "pupil_id = ?1", id[3]), 1);
	cr_assert_eq(count_by(s, "note", "pupil_id = ?1", id[4]), 1);
	cr_assert_eq(count_by(s, "rating", "id = ?1", rating), 1);
	cr_assert_eq(count_by(s, "pupil", "id = ?1", newp), 1);
	cr_assert_eq(count_by(s, "sen_status", "pupil_id = ?1", newp), 1);
	cr_assert_eq(count_by(s, "pupil_need", "pupil_id = ?1", newp), 1);
	/* The merge's writes are in the server's trail once, as the user
	 * who merged; the laptop's own rows stayed on the laptop. */
	cr_assert_eq(count_by(s, "audit", "author = 'Mrs Okafor' AND ?1",
	    1), 0);
	cr_assert_eq(count_by(s, "audit", "author = 'Mr Ahmed (from laptop "
	    "copy)' AND tbl = 'pupil' AND row_id = ?1", id[5]), 1);
	/* A record changed on both sides gets a version above both. */
	cr_assert_eq(th_count(s, "SELECT version FROM pupil WHERE "
	    "class = '4L'"), 3);
	healthy(s);
	db_close(s);
}

/*
 * Regression: a merged change was in the server's trail twice (the
 * laptop's own audit row and the server's trigger row). Now once, as the
 * user who ran the merge with a note that it came from the laptop copy,
 * however many times the laptop changed the record.
 */
Test(merge, one_audit_row_per_merged_change)
{
	struct db *s = server(), *l;
	int64_t id[6], note, before, seq;
	struct merge_figures f;
	struct merge *m;
	const char *path;
	char who[96];

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[2], "5A");
	set_class(l, id[2], "5B");
	set_class(l, id[2], "5C");
	note = add_note(l, id[3], "Zoë's mum rang: new glasses");
	set_class(l, id[5], "4L");
	db_close(l);
	set_class(s, id[5], "4S");

	before = th_count(s, "SELECT count(*) FROM audit");
	seq = th_count(s, "SELECT max(seq) FROM audit");
	m = prepare(s, path);
	only_conflict(m, MERGE_FIELD)->choice = MERGE_KEEP_LAPTOP;
	f = apply(m, MERGE_UNDECIDED);
	merge_free(m);

	/* Three records written (pupil 2, the note, pupil 5): three rows. */
	cr_assert_eq(f.written, 3, "written %d", f.written);
	cr_assert_eq(f.audit_entries, 3, "audit %d", f.audit_entries);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM audit") - before, 3);
	cr_assert_eq(count_by(s, "audit", "seq > ?1 AND tbl = 'pupil' AND "
	    "row_id = " "(SELECT id FROM pupil WHERE class = '5C')", seq), 1);
	cr_assert_eq(count_by(s, "audit", "seq > ?1 AND tbl = 'pupil' AND "
	    "row_id = (SELECT id FROM pupil WHERE class = '4L')", seq), 1);
	cr_assert_eq(count_by(s, "audit", "tbl = 'note' AND row_id = ?1",
	    note), 1);
	/* Each is the merging user's, noted as from the laptop copy. */
	snprintf(who, sizeof who, "author = 'Mr Ahmed%s' AND login = '%s' "
	    "AND seq > ?1", MERGE_AUTHOR_NOTE, db_login(s));
	cr_assert_eq(count_by(s, "audit", who, seq), 3);
	cr_assert_eq(count_by(s, "audit", "author = 'Mrs Okafor'", 0), 0);
	/* The row tells the net change: server's value to the laptop's. */
	cr_assert_str_eq(qs(s, "SELECT coalesce(json_extract(old, "
	    "'$.class'), '') || '>' || json_extract(new, '$.class') "
	    "FROM audit WHERE seq > ?1 AND "
	    "tbl = 'pupil' AND json_extract(new, '$.class') = '5C'", seq),
	    ">5C");
	healthy(s);
	db_close(s);
}

/* A long display name loses its end, never the note. */
Test(merge, audit_note_survives_a_long_name)
{
	static const char name[] = "Professor Siobhán Ó Súilleabháin-"
	    "Nguyễn of the Trust";
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge *m;
	const char *path, *author;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "4Z");
	db_close(l);
	db_set_author(s, name);
	m = prepare(s, path);
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	author = qs(s, "SELECT author FROM audit WHERE tbl = 'pupil' AND "
	    "row_id = ?1 ORDER BY seq DESC", id[1]);
	cr_assert_gt(strlen(author), strlen(MERGE_AUTHOR_NOTE));
	cr_assert_str_eq(author + strlen(author) - strlen(MERGE_AUTHOR_NOTE),
	    MERGE_AUTHOR_NOTE, "%s", author);
	cr_assert(strncmp(author, "Professor Siobhán", 18) == 0, "%s", author);
	db_close(s);
}

Test(merge, edits_on_one_side_only_and_different_fields_merge_cleanly)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_figures f;
	struct merge *m;
	const char *path;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "4K");	/* the laptop only */
	set_class(l, id[3], "4N");	/* the laptop: class ... */
	db_close(l);
	set_year(s, id[3], "5");	/* ... the server: year group */
	set_class(s, id[4], "6T");	/* the server only */

	m = prepare(s, path);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	cr_assert_eq(merge_info(m)->figures.changes, 2);
	cr_assert_eq(merge_info(m)->figures.merged, 1);
	cr_assert_eq(merge_info(m)->figures.applied, 1);
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.applied, 1);
	cr_assert_eq(f.merged, 1);
	cr_assert_eq(f.conflicts, 0);
	merge_free(m);
	cr_assert_str_eq(class_of(s, id[1]), "4K");
	cr_assert_str_eq(class_of(s, id[3]), "4N");
	cr_assert_str_eq(qs(s, "SELECT year_group FROM pupil WHERE id = ?1",
	    id[3]), "5");
	cr_assert_str_eq(class_of(s, id[4]), "6T");
	cr_assert_eq(th_count(s, "SELECT max(version) FROM pupil WHERE "
	    "class = '4N'"), 3);
	healthy(s);
	db_close(s);
}

Test(merge, same_field_same_value_is_not_a_conflict)
{
	struct db *s = server(), *l;
	int64_t id[6], before;
	struct merge_figures f;
	struct merge *m;
	const char *path;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[2], "5C");
	db_close(l);
	set_class(s, id[2], "5C");
	before = th_count(s, "SELECT version FROM pupil WHERE class = '5C'");

	m = prepare(s, path);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	cr_assert_eq(merge_info(m)->figures.already, 1);
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.already, 1);
	cr_assert_eq(f.written, 0);
	merge_free(m);
	/* Nothing to write: the server's record is left as it was. */
	cr_assert_eq(th_count(s, "SELECT version FROM pupil WHERE "
	    "class = '5C'"), before);
	healthy(s);
	db_close(s);
}

/* --- the user's choice ---------------------------------------------------- */

static void
choose(enum merge_choice ch, bool per_conflict)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_conflict *c;
	struct merge_figures f;
	struct merge *m;
	const char *path;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "Laptop class");
	set_year(l, id[1], "5");	/* a field only the laptop changed */
	db_close(l);
	set_class(s, id[1], "Server class");

	m = prepare(s, path);
	c = only_conflict(m, MERGE_FIELD);
	if (per_conflict)
		c->choice = ch;
	f = apply(m, per_conflict ? MERGE_UNDECIDED : ch);
	cr_assert_eq(f.kept_server, ch == MERGE_KEEP_SERVER);
	cr_assert_eq(f.kept_laptop, ch == MERGE_KEEP_LAPTOP);
	merge_free(m);
	cr_assert_str_eq(class_of(s, id[1]), ch == MERGE_KEEP_SERVER ?
	    "Server class" : "Laptop class");
	/* The laptop's other field goes in either way. */
	cr_assert_str_eq(qs(s, "SELECT year_group FROM pupil WHERE id = ?1",
	    id[1]), "5");
	healthy(s);
	db_close(s);
}

Test(merge, keep_server)
{
	choose(MERGE_KEEP_SERVER, true);
}

Test(merge, keep_laptop)
{
	choose(MERGE_KEEP_LAPTOP, true);
}

Test(merge, keep_server_for_all)
{
	choose(MERGE_KEEP_SERVER, false);
}

Test(merge, keep_laptop_for_all)
{
	choose(MERGE_KEEP_LAPTOP, false);
}

Test(merge, an_undecided_conflict_writes_nothing)
{
	struct db *s = server(), *l;
	int64_t id[6], audit;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "L");
	add_note(l, id[2], "a note that must wait");
	db_close(l);
	set_class(s, id[1], "S");
	audit = th_count(s, "SELECT count(*) FROM audit");

	m = prepare(s, path);
	serr_clear(&e);
	cr_assert_eq(merge_apply(m, MERGE_UNDECIDED, NULL, NULL, 0, &e),
	    SE_STATE);
	cr_assert(strstr(e.msg, "1 conflict still needs a choice") != NULL,
	    "%s", e.msg);
	merge_free(m);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM audit"), audit);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM note"), 0);
	db_close(s);
}

/* --- deleted on one side, changed on the other ---------------------------- */

/* The server deletes a pupil (as a purge does); the laptop changed her
 * and wrote a note about her: one conflict over both changes. */
static void
deleted_on_server(enum merge_choice ch)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_conflict *c;
	struct merge_figures f;
	struct merge *m;
	const char *path;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[4], "6N");
	add_note(l, id[4], "Agreed a reading plan with Dad");
	db_close(l);
	/* As senco purge does: the pupil and her trail go. */
	db_set_purging(s, true);
	db_set_audit(s, false);
	exec(s, "DELETE FROM audit WHERE pupil_id = ?1", id[4]);
	exec(s, "DELETE FROM pupil WHERE id = ?1", id[4]);
	db_set_audit(s, true);
	db_set_purging(s, false);

	m = prepare(s, path);
	c = only_conflict(m, MERGE_DELETED_SERVER);
	cr_assert_str_eq(c->table, "pupil");
	cr_assert_eq(c->row_id, id[4]);
	cr_assert_str_eq(c->server_value, "deleted");
	cr_assert(strstr(c->laptop_value, "1 note") != NULL, "%s",
	    c->laptop_value);
	cr_assert(strstr(c->laptop_value, "pupil record") != NULL, "%s",
	    c->laptop_value);
	cr_assert(strstr(c->record, "Nguyễn, An") != NULL, "%s", c->record);
	cr_assert_eq(merge_info(m)->figures.conflicted, 2);
	c->choice = ch;
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.conflicts, 1);
	merge_free(m);
	if (ch == MERGE_KEEP_SERVER) {
		cr_assert_eq(count_by(s, "pupil", "id = ?1", id[4]), 0);
		cr_assert_eq(count_by(s, "note", "pupil_id = ?1", id[4]), 0);
		/* Nor does the laptop's trail bring her back. */
		cr_assert_eq(count_by(s, "audit", "pupil_id = ?1", id[4]), 0);
	} else {
		cr_assert_str_eq(class_of(s, id[4]), "6N");
		cr_assert_eq(count_by(s, "note", "pupil_id = ?1", id[4]), 1);
		cr_assert_eq(count_by(s, "sen_status", "pupil_id = ?1", id[4]),
		    1);
	}
	healthy(s);
	db_close(s);
}

Test(merge, deleted_on_server_edited_on_laptop_keep_server)
{
	deleted_on_server(MERGE_KEEP_SERVER);
}

Test(merge, deleted_on_server_edited_on_laptop_keep_laptop)
{
	deleted_on_server(MERGE_KEEP_LAPTOP);
}

/* The laptop deletes an agency involvement the server changed. */
static void
deleted_on_laptop(enum merge_choice ch)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_conflict *c;
	struct agency a;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, NULL);
	agency_init(&a);
	a.pupil_id = id[2];
	snprintf(a.agency, sizeof a.agency, "SALT");
	a.referred_on = date_from_ymd(2025, 11, 3);
	cr_assert_eq(agency_add(s, &a, &e), 0, "%s", e.msg);
	path = checkout(s, NULL);
	l = laptop(path);
	exec(l, "DELETE FROM agency_involvement WHERE id = ?1", a.id);
	db_close(l);
	snprintf(a.status, sizeof a.status, "involved");
	cr_assert_eq(agency_update(s, &a, &e), 0, "%s", e.msg);

	m = prepare(s, path);
	c = only_conflict(m, MERGE_DELETED_LAPTOP);
	cr_assert_str_eq(c->laptop_value, "deleted");
	cr_assert_str_eq(c->server_value, "changed");
	cr_assert_str_eq(c->laptop_by, "Mrs Okafor");
	c->choice = ch;
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_eq(count_by(s, "agency_involvement", "id = ?1", a.id),
	    ch == MERGE_KEEP_SERVER);
	healthy(s);
	db_close(s);
}

Test(merge, deleted_on_laptop_edited_on_server_keep_server)
{
	deleted_on_laptop(MERGE_KEEP_SERVER);
}

Test(merge, deleted_on_laptop_edited_on_server_keep_laptop)
{
	deleted_on_laptop(MERGE_KEEP_LAPTOP);
}

/* The laptop takes back a target the server has since rated: deleting
 * it would take the rating too, unseen. */
Test(merge, deleting_what_the_server_added_to_is_a_conflict)
{
	struct db *s = server(), *l;
	int64_t id[6], target;
	struct merge_conflict *c;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, &target);
	path = checkout(s, NULL);
	l = laptop(path);
	cr_assert_eq(uiq_target_delete(l, target, &e), 0, "%s", e.msg);
	db_close(l);
	cr_assert_eq(target_rate(s, target, 3, NULL, SDATE_NONE, NULL, &e), 0,
	    "%s", e.msg);

	m = prepare(s, path);
	c = only_conflict(m, MERGE_DELETED_LAPTOP);
	cr_assert(strstr(c->server_value, "1 record added") != NULL, "%s",
	    c->server_value);
	cr_assert(strstr(c->if_laptop, "1 rating") != NULL, "%s",
	    c->if_laptop);
	apply(m, MERGE_KEEP_SERVER);
	merge_free(m);
	cr_assert_eq(count_by(s, "target", "id = ?1", target), 1);
	cr_assert_eq(count_by(s, "rating", "target_id = ?1", target), 1);
	healthy(s);
	db_close(s);
}

/* --- records that may exist only once ------------------------------------- */

static void
two_cycles(enum merge_choice ch)
{
	struct db *s = server(), *l;
	int64_t id[6], lap_cycle, srv_cycle;
	struct merge_conflict *c;
	struct cycle cy;
	struct target t;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	cycle_init(&cy);
	cr_assert_eq(cycle_start(l, id[3], SDATE_NONE, SDATE_NONE, 12, &cy,
	    &e), 0, "%s", e.msg);
	lap_cycle = cy.id;
	cycle_free(&cy);
	target_init(&t);
	t.cycle_id = lap_cycle;
	t.text = (char *)"Use 3-word sentences in class";
	cr_assert_eq(target_add(l, &t, &e), 0, "%s", e.msg);
	db_close(l);
	cycle_init(&cy);
	cr_assert_eq(cycle_start(s, id[3], SDATE_NONE, SDATE_NONE, 10, &cy,
	    &e), 0, "%s", e.msg);
	srv_cycle = cy.id;
	cycle_free(&cy);

	m = prepare(s, path);
	c = only_conflict(m, MERGE_UNIQUE);
	cr_assert_str_eq(c->table, "cycle");
	cr_assert_str_eq(c->field, "open cycle");
	cr_assert(strstr(c->if_server, "1 target") != NULL, "%s", c->if_server);
	cr_assert(strstr(c->record, "Nowak, Łukasz") != NULL, "%s", c->record);
	cr_assert_eq(merge_info(m)->figures.conflicted, 2);
	c->choice = ch;
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_eq(count_by(s, "cycle", "pupil_id = ?1 AND closed_on IS NULL",
	    id[3]), 1);
	cr_assert_eq(count_by(s, "cycle", "id = ?1", lap_cycle),
	    ch == MERGE_KEEP_LAPTOP);
	cr_assert_eq(count_by(s, "cycle", "id = ?1", srv_cycle),
	    ch == MERGE_KEEP_SERVER);
	cr_assert_eq(count_by(s, "target", "id = ?1", t.id),
	    ch == MERGE_KEEP_LAPTOP);
	healthy(s);
	db_close(s);
}

Test(merge, cycle_opened_on_both_sides_keep_server)
{
	two_cycles(MERGE_KEEP_SERVER);
}

Test(merge, cycle_opened_on_both_sides_keep_laptop)
{
	two_cycles(MERGE_KEEP_LAPTOP);
}

Test(merge, same_new_pupil_on_both_sides)
{
	struct db *s = server(), *l;
	int64_t id[6], lp, sp;
	struct merge_conflict *c;
	struct merge *m;
	const char *path;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	lp = th_pupil(l, 7, "Adeyemi", "Tolu", 'K', "SLCN", "3");
	db_close(l);
	sp = th_pupil(s, 7, "Adeyemi", "Tolulope", 'K', "SLCN", "3");

	m = prepare(s, path);
	c = only_conflict(m, MERGE_UNIQUE);
	cr_assert_str_eq(c->field, "UPN");
	cr_assert_eq(c->row_id, lp);
	apply(m, MERGE_KEEP_SERVER);
	merge_free(m);
	cr_assert_eq(count_by(s, "pupil", "id = ?1", sp), 1);
	cr_assert_eq(count_by(s, "pupil", "id = ?1", lp), 0);
	cr_assert_eq(count_by(s, "sen_status", "pupil_id = ?1", lp), 0);
	healthy(s);
	db_close(s);
}

Test(merge, same_status_change_on_both_sides_is_not_a_conflict)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge *m;
	const char *path;
	struct serr e;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	cr_assert_eq(pupil_set_status(l, id[1], 'E', SDATE_NONE, &e), 0, "%s",
	    e.msg);
	db_close(l);
	cr_assert_eq(pupil_set_status(s, id[1], 'E', SDATE_NONE, &e), 0, "%s",
	    e.msg);

	m = prepare(s, path);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	/* The pupil record, the status row closed, the new one. */
	cr_assert_eq(merge_info(m)->figures.changes, 3);
	cr_assert_eq(merge_info(m)->figures.already, 3);
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_eq(count_by(s, "sen_status", "pupil_id = ?1", id[1]), 2);
	cr_assert_eq(count_by(s, "sen_status", "pupil_id = ?1 AND end_date "
	    "IS NULL AND status = 'E'", id[1]), 1);
	healthy(s);
	db_close(s);
}

Test(merge, different_status_changes_on_both_sides_conflict)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_conflict *c;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	cr_assert_eq(pupil_set_status(l, id[2], 'K', SDATE_NONE, &e), 0, "%s",
	    e.msg);
	db_close(l);
	cr_assert_eq(pupil_set_status(s, id[2], 'N', SDATE_NONE, &e), 0, "%s",
	    e.msg);

	m = prepare(s, path);
	c = only_conflict(m, MERGE_UNIQUE);
	cr_assert_str_eq(c->table, "sen_status");
	cr_assert_str_eq(c->server_value, "N");
	cr_assert_str_eq(c->laptop_value, "K");
	c->choice = MERGE_KEEP_LAPTOP;
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_str_eq(qs(s, "SELECT status FROM sen_status WHERE pupil_id = "
	    "?1 AND end_date IS NULL", id[2]), "K");
	healthy(s);
	db_close(s);
}

/* --- merging twice -------------------------------------------------------- */

Test(merge, merging_twice_changes_nothing)
{
	struct db *s = server(), *l;
	int64_t id[6], audit, version;
	const char *path, *copy = th_path("before-merge.db");
	char cmd[1024];
	struct merge_figures f;
	struct merge *m;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "L1");
	add_note(l, id[2], "first sitting");
	db_close(l);
	set_class(s, id[1], "S1");
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, copy);
	cr_assert_eq(system(cmd), 0);

	m = prepare(s, path);
	apply(m, MERGE_KEEP_SERVER);
	merge_free(m);
	audit = th_count(s, "SELECT count(*) FROM audit");
	version = th_count(s, "SELECT sum(version) FROM pupil");

	/* The same copy again: re-based, so nothing to merge. */
	m = prepare(s, path);
	cr_assert_eq(merge_info(m)->n_tables, 0);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.written, 0);
	merge_free(m);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM audit"), audit);

	/* A copy of it taken before the merge (never re-based): the merge
	 * log knows these changes. */
	m = prepare(s, copy);
	cr_assert(merge_info(m)->already_merged);
	cr_assert_str_eq(merge_info(m)->merged_by, "Mr Ahmed");
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM audit"), audit);
	cr_assert_eq(th_count(s, "SELECT sum(version) FROM pupil"), version);
	cr_assert_str_eq(class_of(s, id[1]), "S1");
	cr_assert_eq(th_count(s, "SELECT count(*) FROM merge_log"), 1);
	healthy(s);
	db_close(s);
}

Test(merge, changes_already_on_the_server_apply_as_nothing)
{
	struct db *s = server(), *l;
	int64_t id[6];
	const char *path, *copy = th_path("kept.db");
	char cmd[1024];
	struct merge_figures f;
	struct merge *m;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "L1");
	add_note(l, id[2], "merged once");
	db_close(l);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, copy);
	cr_assert_eq(system(cmd), 0);
	m = prepare(s, path);
	apply(m, MERGE_UNDECIDED);
	merge_free(m);

	/* The old copy, worked on further, comes back: only the new note
	 * is new. */
	l = laptop(copy);
	add_note(l, id[3], "after the first merge");
	db_close(l);
	m = prepare(s, copy);
	cr_assert_not(merge_info(m)->already_merged);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.changes, 3);
	cr_assert_eq(f.already, 2);
	cr_assert_eq(f.applied, 1);
	merge_free(m);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM note"), 2);
	cr_assert_str_eq(class_of(s, id[1]), "L1");
	healthy(s);
	db_close(s);
}

Test(merge, work_goes_on_after_a_merge)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_figures f;
	struct merge *m;
	const char *path;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "L1");
	db_close(l);
	set_class(s, id[1], "S1");
	m = prepare(s, path);
	apply(m, MERGE_KEEP_SERVER);
	merge_free(m);

	/* The laptop goes on with the copy: only what it does now comes
	 * back, and the conflict settled before is not asked again. */
	l = laptop(path);
	set_year(l, id[1], "5");
	add_note(l, id[5], "after the first merge");
	db_close(l);
	m = prepare(s, path);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	f = apply(m, MERGE_UNDECIDED);
	/* Applied as it was, or merged field by field if the server's
	 * record shows a later second: either way, no conflict. */
	cr_assert_eq(f.changes, 2);
	cr_assert_eq(f.applied + f.merged, 2);
	cr_assert_eq(f.conflicts, 0);
	merge_free(m);
	cr_assert_str_eq(class_of(s, id[1]), "S1");
	cr_assert_str_eq(qs(s, "SELECT year_group FROM pupil WHERE id = ?1",
	    id[1]), "5");
	cr_assert_eq(th_count(s, "SELECT count(*) FROM merge_log"), 2);
	healthy(s);
	db_close(s);
}

Test(merge, interventions_and_enrolments_from_the_laptop)
{
	struct db *s = server(), *l;
	struct intervention iv, same;
	struct enrolment en;
	int64_t id[6];
	struct merge_conflict *c;
	struct merge *m;
	const char *path;
	struct serr e;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	intervention_init(&iv);
	snprintf(iv.name, sizeof iv.name, "Precision Teaching – Zoë's group");
	cr_assert_eq(intervention_add(l, &iv, &e), 0, "%s", e.msg);
	enrolment_init(&en);
	en.pupil_id = id[1];
	en.intervention_id = iv.id;
	en.sessions_per_week = 3;
	en.minutes = 20;
	en.start = date_from_ymd(2026, 1, 12);
	cr_assert_eq(enrolment_add(l, &en, &e), 0, "%s", e.msg);
	db_close(l);
	/* The server names one the same, unaware. */
	intervention_init(&same);
	snprintf(same.name, sizeof same.name, "precision teaching – Zoë's group");
	same.cost_pence = 1200;
	cr_assert_eq(intervention_add(s, &same, &e), 0, "%s", e.msg);

	m = prepare(s, path);
	c = only_conflict(m, MERGE_UNIQUE);
	cr_assert_str_eq(c->table, "intervention");
	cr_assert_str_eq(c->field, "intervention name");
	cr_assert(strstr(c->if_server, "1 intervention enrolment") != NULL,
	    "%s", c->if_server);
	c->choice = MERGE_KEEP_LAPTOP;
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_eq(count_by(s, "intervention", "id = ?1", iv.id), 1);
	cr_assert_eq(count_by(s, "intervention", "id = ?1", same.id), 0);
	cr_assert_eq(count_by(s, "enrolment", "intervention_id = ?1", iv.id),
	    1);
	healthy(s);
	db_close(s);
}

/* --- refusals ------------------------------------------------------------- */

static void
refused(struct db *s, const char *path, int code, const char *words)
{
	struct merge *m = (struct merge *)1;
	int64_t audit = th_count(s, "SELECT count(*) FROM audit");
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(merge_prepare(s, path, &m, &e), code, "%s", e.msg);
	cr_assert_null(m);
	cr_assert(strstr(e.msg, words) != NULL, "%s", e.msg);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM audit"), audit);
}

static void
poke(const char *path, const char *sql)
{
	sqlite3 *h;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK, "%s",
	    sqlite3_errmsg(h));
	sqlite3_close(h);
}

Test(merge, refuses_another_schema_version)
{
	struct db *s = server(), *l;
	int64_t id[6];
	const char *path;
	char sql[256];

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "L");
	db_close(l);
	poke(path, "PRAGMA user_version = 99");
	refused(s, path, SE_SCHEMA, "schema version 99");
	/* Checked out by an older senco, opened by this one. */
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; UPDATE "
	    "merge_origin SET schema_version = %d", DB_SCHEMA_VERSION,
	    DB_SCHEMA_VERSION - 1);
	poke(path, sql);
	snprintf(sql, sizeof sql, "checked out at %d", DB_SCHEMA_VERSION - 1);
	refused(s, path, SE_SCHEMA, sql);
	cr_assert_str_eq(class_of(s, id[1]), "");
	db_close(s);
}

Test(merge, refuses_a_copy_of_another_caseload)
{
	struct db *s = server(), *other = server();
	int64_t id[6];
	const char *path;

	roll(s, id, NULL);
	roll(other, id, NULL);
	path = checkout(other, NULL);
	refused(s, path, SE_INVALID, "not a copy of this caseload");
	db_close(other);
	db_close(s);
}

Test(merge, refuses_what_is_not_a_laptop_copy)
{
	struct db *s = server(), *other = server();
	const char *text = th_path("notes.txt");
	FILE *fp;

	refused(s, db_path(other), SE_INVALID, "not a laptop copy");
	refused(s, db_path(s), SE_INVALID, "the caseload itself");
	refused(s, th_path("missing.db"), SE_NOTFOUND, "missing.db");
	cr_assert_not_null(fp = fopen(text, "w"));
	fputs("not a database at all, just some text to be refused\n", fp);
	fclose(fp);
	refused(s, text, SE_INVALID, "not a SQLite database");
	db_close(other);
	db_close(s);
}

Test(merge, refuses_a_damaged_baseline)
{
	struct db *s = server();
	int64_t id[6];
	const char *path;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	poke(path, "UPDATE merge_origin SET baseline = x'00'");
	refused(s, path, SE_INVALID, "baseline");
	db_close(s);
}

/* --- checkout ------------------------------------------------------------- */

Test(merge, checkout_is_private_and_never_overwrites)
{
	struct db *s = server();
	struct merge_checkout_info info;
	int64_t id[6];
	const char *path;
	struct stat sb;
	struct serr e;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	serr_clear(&e);
	cr_assert_eq(merge_checkout(s, path, NULL, &info, &e), SE_EXISTS);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM merge_checkout"), 1);
	db_close(s);
}

Test(merge, subset_checkout)
{
	struct db *s = server(), *l;
	const char *upns[] = { NULL };
	const char *years[] = { "Y5" };
	struct merge_subset sub = { upns, 1, years, 1 };
	char upn[16];
	int64_t id[6], target;
	struct merge_figures f;
	struct merge *m;
	const char *path;
	int n;

	roll(s, id, &target);
	upns[0] = th_upn(1, upn);
	path = checkout(s, &sub);
	l = laptop(path);
	/* Brown (by UPN) and Ó Súilleabháin (year 5); the others are not
	 * on the laptop at all, nor in its audit trail. */
	cr_assert_eq(th_count(l, "SELECT count(*) FROM pupil"), 2);
	cr_assert_eq(count_by(l, "pupil", "id = ?1", id[2]), 1);
	cr_assert_eq(count_by(l, "audit", "pupil_id IS NOT NULL AND pupil_id "
	    "NOT IN (SELECT id FROM pupil) AND ?1", 1), 0);
	cr_assert_eq(count_by(l, "audit", "pupil_id = ?1", id[3]), 0);
	cr_assert_eq(th_count(l, "SELECT count(*) FROM intervention"),
	    th_count(s, "SELECT count(*) FROM intervention"));
	cr_assert_eq(count_by(l, "target", "id = ?1", target), 1);
	set_class(l, id[2], "5W");
	add_note(l, id[1], "from the subset");
	db_close(l);

	m = prepare(s, path);
	merge_conflicts(m, &n);
	cr_assert_eq(n, 0);
	/* The pupils left out are not deletions. */
	f = apply(m, MERGE_UNDECIDED);
	cr_assert_eq(f.changes, 2);
	cr_assert_eq(f.applied, 2);
	merge_free(m);
	cr_assert_eq(th_count(s, "SELECT count(*) FROM pupil"), 5);
	cr_assert_str_eq(class_of(s, id[2]), "5W");
	cr_assert_str_eq(qs(s, "SELECT subset FROM merge_checkout", 0),
	    "pupils B801200005001; year 5");
	healthy(s);
	db_close(s);
}

Test(merge, subset_refusals_leave_nothing_behind)
{
	struct db *s = server();
	const char *bad_upn[] = { "B801200005002" };
	const char *unknown[] = { "Q801200005002" };
	const char *bad_year[] = { "Y19" };
	const char *empty_year[] = { "2" };
	struct merge_subset a = { bad_upn, 1, NULL, 0 };
	struct merge_subset b = { unknown, 1, NULL, 0 };
	struct merge_subset c = { NULL, 0, bad_year, 1 };
	struct merge_subset d = { NULL, 0, empty_year, 1 };
	const char *path = th_path("refused.db");
	struct stat sb;
	struct serr e;

	th_pupil(s, 1, "Brown", "Zoë", 'K', "SPLD", "4");
	cr_assert_eq(merge_checkout(s, path, &a, NULL, &e), SE_INVALID, "%s",
	    e.msg);
	cr_assert_eq(merge_checkout(s, path, &b, NULL, &e), SE_NOTFOUND, "%s",
	    e.msg);
	cr_assert(strstr(e.msg, "no such pupil") != NULL, "%s", e.msg);
	cr_assert_eq(merge_checkout(s, path, &c, NULL, &e), SE_INVALID, "%s",
	    e.msg);
	cr_assert_eq(merge_checkout(s, path, &d, NULL, &e), SE_NOTFOUND, "%s",
	    e.msg);
	cr_assert(strstr(e.msg, "year 2") != NULL, "%s", e.msg);
	cr_assert_neq(stat(path, &sb), 0);
	db_close(s);
}

/* --- the server changes while the user chooses ---------------------------- */

Test(merge, new_conflicts_since_prepare_are_asked_for)
{
	struct db *s = server(), *l;
	int64_t id[6];
	struct merge_conflict *c;
	struct merge *m;
	const char *path;
	struct serr e;
	int n;

	roll(s, id, NULL);
	path = checkout(s, NULL);
	l = laptop(path);
	set_class(l, id[1], "L1");
	set_class(l, id[2], "L2");
	db_close(l);
	set_class(s, id[1], "S1");

	m = prepare(s, path);
	c = only_conflict(m, MERGE_FIELD);
	c->choice = MERGE_KEEP_LAPTOP;
	/* Someone on the server changes pupil 2 meanwhile. */
	set_class(s, id[2], "S2");
	serr_clear(&e);
	cr_assert_eq(merge_apply(m, MERGE_UNDECIDED, NULL, NULL, 0, &e),
	    SE_CONFLICT, "%s", e.msg);
	cr_assert_str_eq(class_of(s, id[1]), "S1");
	c = merge_conflicts(m, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(c[1].choice, MERGE_UNDECIDED);
	cr_assert_eq(c[1].row_id, id[2]);
	c[1].choice = MERGE_KEEP_SERVER;
	apply(m, MERGE_UNDECIDED);
	merge_free(m);
	cr_assert_str_eq(class_of(s, id[1]), "L1");
	cr_assert_str_eq(class_of(s, id[2]), "S2");
	healthy(s);
	db_close(s);
}

Test(merge, choice_words)
{
	enum merge_choice ch;
	struct serr e;

	cr_assert_eq(merge_choice_parse("server", &ch, &e), 0);
	cr_assert_eq(ch, MERGE_KEEP_SERVER);
	cr_assert_eq(merge_choice_parse("laptop", &ch, &e), 0);
	cr_assert_eq(ch, MERGE_KEEP_LAPTOP);
	cr_assert_eq(merge_choice_parse("both", &ch, &e), SE_INVALID);
	cr_assert_eq(merge_choice_parse(NULL, &ch, &e), SE_INVALID);
}
