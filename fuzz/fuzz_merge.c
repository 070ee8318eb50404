/*
 * fuzz_merge.c: libFuzzer target for the laptop merge (src/core/merge*.c):
 * merge_prepare reading a laptop copy (a SQLite file from outside, with
 * its baseline image inside) and working out its changes and conflicts,
 * and merge_apply writing them.
 *
 * Made once per process: a server caseload filled by the demo generator
 * (a dozen pupils, all on the register, so cycles, targets, ratings,
 * interventions, enrolments, notes, agencies and exclusions all have
 * rows) and two laptop copies of it, taken with merge_checkout: the whole
 * caseload and a subset of two pupils. Their bytes are kept in memory.
 *
 * Each input starts from one of those copies, written to one file that
 * is rewritten every time, and from the server as it was: an image of it
 * is kept in memory and copied back after every input.
 * The first byte of the input chooses:
 *
 *   bit 7 clear: EDITS. The rest is a list of edits, each made on the
 *     laptop copy (through db_open, as senco on the laptop would) or on
 *     the server: change a field of a row to NULL, a number, text from the
 *     input, a date, or the value of the same field in another row;
 *     delete a row (with its cascades); add a copy of a row under a new id
 *     (a pupil gets a new valid UPN). Edits refused by the schema are
 *     simply skipped. Then the copy is merged: merge_prepare, a choice per
 *     conflict from the second byte, merge_apply (again if new conflicts
 *     appear). After a merge that succeeded the server must pass
 *     foreign_key_check and quick_check, and merging the same copy again
 *     must write nothing.
 *   bit 7 set: BYTES. The rest is a list of patches (3-byte offset,
 *     length, bytes) to the copy's file, and with bit 6 set the file is
 *     cut short at the last offset: a damaged or tampered copy. It must be
 *     refused with a message, or merged like any other.
 *
 * Bit 0 picks the subset copy instead of the whole one.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/codes.h"
#include "core/demo.h"
#include "core/merge.h"
#include "core/schema.h"
#include "core/xmalloc.h"
#include "fuzz_util.h"

#define MAX_COLS 48

struct table {
	const char *name;
	char cols[MAX_COLS][48];
	int ncol;
};

struct image {
	uint8_t *bytes;
	size_t n;
};

static struct db *server;
static sqlite3 *pristine;
static struct image copies[2];
static struct table *tables;
static int ntables;
static char *lap_path, *lap_wal, *lap_shm;
/* FUZZ_VERBOSE=1 in the environment: say what each merge did. */
static bool verbose;

/* The input, read a byte at a time; 0 once it runs out. */
struct cursor {
	const uint8_t *p, *end;
};

static unsigned
next(struct cursor *c)
{
	return c->p < c->end ? *c->p++ : 0;
}

static bool
more(const struct cursor *c)
{
	return c->p < c->end;
}

static void die(const char *what, const struct serr *e)
    __attribute__((noreturn));

static void
die(const char *what, const struct serr *e)
{
	fprintf(stderr, "fuzz_merge: %s: %s\n", what, e ? e->msg : "");
	abort();
}

static void
slurp(const char *path, struct image *im)
{
	FILE *fp = fopen(path, "rb");
	long len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) <= 0)
		die(path, NULL);
	rewind(fp);
	im->n = (size_t)len;
	im->bytes = xmalloc(im->n);
	if (fread(im->bytes, 1, im->n, fp) != im->n)
		die(path, NULL);
	fclose(fp);
}

static void
load_tables(sqlite3 *h)
{
	ntables = schema_audited_count;
	tables = xcalloc((size_t)ntables, sizeof *tables);
	for (int i = 0; i < ntables; i++) {
		struct table *t = &tables[i];
		char *sql = sqlite3_mprintf("PRAGMA table_info(%Q)",
		    schema_audited[i].name);
		sqlite3_stmt *st;

		t->name = schema_audited[i].name;
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
			die(sql, NULL);
		while (sqlite3_step(st) == SQLITE_ROW && t->ncol < MAX_COLS)
			snprintf(t->cols[t->ncol++], sizeof t->cols[0], "%s",
			    (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		sqlite3_free(sql);
	}
}

/* The server as it is now, kept in a file of its own (a database in
 * memory would need the WAL flag of the image cleared first). */
static void
keep_server(void)
{
	char *path = fz_path("pristine.db");
	struct serr e;

	serr_clear(&e);
	if (db_backup(server, path, &e) != 0)
		die("keeping the server", &e);
	if (sqlite3_open_v2(path, &pristine, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		die(path, NULL);
	free(path);
}

/*
 * Put the server back as setup() left it. merge_apply is a user action
 * of its own and refuses to run inside a transaction, so an input's
 * changes cannot simply be rolled back: the kept image is copied over
 * the caseload with the backup API instead (same connection, so the
 * statement cache of struct db stays usable).
 */
static void
restore_server(void)
{
	sqlite3_backup *b = sqlite3_backup_init(db_handle(server), "main",
	    pristine, "main");
	int rc;

	if (b == NULL)
		die("restoring the server", NULL);
	rc = sqlite3_backup_step(b, -1);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE)
		die("restoring the server", NULL);
}

static void
setup(void)
{
	struct demo_opts o;
	struct merge_checkout_info info;
	struct merge_subset sub = { 0 };
	const char *upns[2];
	char upn[2][UPN_LEN + 1];
	struct serr e;
	sqlite3_stmt *st;
	char *path;

	serr_clear(&e);
	path = fz_path("server.db");
	if (db_open(&server, path, DB_CREATE, &e) != 0)
		die("db_open", &e);
	free(path);
	db_set_author(server, "Mr Server");
	demo_opts_init(&o);
	o.pupils = 12;
	o.seed = 5;
	o.register_pct = 100;
	if (demo_build(server, &o, &e) != 0)
		die("demo_build", &e);

	path = fz_path("whole.db");
	if (merge_checkout(server, path, NULL, &info, &e) != 0)
		die("merge_checkout", &e);
	slurp(path, &copies[0]);
	unlink(path);
	free(path);

	if (sqlite3_prepare_v2(db_handle(server), "SELECT upn FROM pupil "
	    "ORDER BY upn LIMIT 2", -1, &st, NULL) != SQLITE_OK)
		die("select upn", NULL);
	for (int i = 0; i < 2 && sqlite3_step(st) == SQLITE_ROW; i++) {
		snprintf(upn[i], sizeof upn[i], "%s",
		    (const char *)sqlite3_column_text(st, 0));
		upns[i] = upn[i];
	}
	sqlite3_finalize(st);
	sub.upns = upns;
	sub.n_upns = 2;
	path = fz_path("subset.db");
	if (merge_checkout(server, path, &sub, &info, &e) != 0)
		die("merge_checkout subset", &e);
	slurp(path, &copies[1]);
	unlink(path);
	free(path);

	load_tables(db_handle(server));
	keep_server();
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "copies: %zu and %zu bytes\n", copies[0].n,
		    copies[1].n);
	lap_path = fz_path("laptop.db");
	lap_wal = fz_path("laptop.db-wal");
	lap_shm = fz_path("laptop.db-shm");
}

/* The id of row number k (wrapping) of table t, or 0 if it is empty. */
static sqlite3_int64
row_id(sqlite3 *h, const struct table *t, unsigned k)
{
	char *sql = sqlite3_mprintf("SELECT id FROM %w ORDER BY id LIMIT 1 "
	    "OFFSET (?1 %% max(1, (SELECT count(*) FROM %w)))", t->name,
	    t->name);
	sqlite3_stmt *st;
	sqlite3_int64 id = 0;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, (int)k);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_free(sql);
	return id;
}

/* Run sql with ?1..?3 bound; a refusal by the schema is not an error. */
static void
run(sqlite3 *h, char *sql, sqlite3_int64 a, sqlite3_value *v,
    const char *text)
{
	sqlite3_stmt *st;

	if (sql == NULL)
		return;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, a);
		if (v != NULL)
			sqlite3_bind_value(st, 2, v);
		if (text != NULL)
			sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE && verbose)
			fprintf(stderr, "edit refused: %s: %s\n", sql,
			    sqlite3_errmsg(h));
		else if (verbose)
			fprintf(stderr, "edit: %s (%lld)\n", sql,
			    (long long)a);
		sqlite3_finalize(st);
	} else if (verbose)
		fprintf(stderr, "edit not prepared: %s: %s\n", sql,
		    sqlite3_errmsg(h));
	sqlite3_free(sql);
}

/* Set column c of row id to a value the input chooses. */
static void
edit_update(sqlite3 *h, const struct table *t, sqlite3_int64 id,
    struct cursor *cur)
{
	const char *col;
	unsigned kind, c = next(cur);
	char text[64];
	sqlite3_value *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t len;

	if (t->ncol < 2)
		return;
	col = t->cols[1 + c % (unsigned)(t->ncol - 1)];
	kind = next(cur) % 6;
	switch (kind) {
	case 0:		/* NULL */
		run(h, sqlite3_mprintf("UPDATE %w SET %w = NULL WHERE id = ?1",
		    t->name, col), id, NULL, NULL);
		return;
	case 1:		/* a small number */
		run(h, sqlite3_mprintf("UPDATE %w SET %w = %d WHERE id = ?1",
		    t->name, col, (int)next(cur) - 128), id, NULL, NULL);
		return;
	case 2:		/* text from the input */
		len = next(cur) % 24;
		for (size_t i = 0; i < len; i++)
			text[i] = (char)(more(cur) ? next(cur) : 'x');
		text[len] = '\0';
		run(h, sqlite3_mprintf("UPDATE %w SET %w = ?3 WHERE id = ?1",
		    t->name, col), id, NULL, text);
		return;
	case 3:		/* a date */
		{
			/* One call a statement: the same order under any
			 * compiler, so a saved input replays the same. */
			unsigned y = 20 + next(cur) % 10;
			unsigned mo = 1 + next(cur) % 12;
			unsigned d = 1 + next(cur) % 28;

			snprintf(text, sizeof text, "20%02u-%02u-%02u", y, mo,
			    d);
		}
		run(h, sqlite3_mprintf("UPDATE %w SET %w = ?3 WHERE id = ?1",
		    t->name, col), id, NULL, text);
		return;
	default:	/* the same field of another row: a value that fits */
		{
			char *sql = sqlite3_mprintf("SELECT %w FROM %w WHERE "
			    "id = ?1", col, t->name);
			sqlite3_int64 other = row_id(h, t, next(cur));

			if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) ==
			    SQLITE_OK) {
				sqlite3_bind_int64(st, 1, other);
				if (sqlite3_step(st) == SQLITE_ROW)
					v = sqlite3_value_dup(
					    sqlite3_column_value(st, 0));
				sqlite3_finalize(st);
			}
			sqlite3_free(sql);
			if (v != NULL)
				run(h, sqlite3_mprintf("UPDATE %w SET %w = ?2 "
				    "WHERE id = ?1", t->name, col), id, v,
				    NULL);
			sqlite3_value_free(v);
		}
		return;
	}
}

/* A copy of row id under a new id (the same new id can be made on both
 * sides); a pupil gets a new valid UPN. */
static void
edit_insert(sqlite3 *h, const struct table *t, sqlite3_int64 id,
    struct cursor *cur)
{
	char upn[UPN_LEN + 1], *list = sqlite3_mprintf("%s", ""), *sql;
	sqlite3_int64 new_id = 7000 + next(cur);
	int serial = (int)(next(cur) % 16);

	upn_make(801, 2000, 26, serial, upn);
	for (int i = 0; i < t->ncol; i++) {
		char *l;

		if (strcmp(t->cols[i], "id") == 0)
			l = sqlite3_mprintf("%s%s%lld", list, i ? ", " : "",
			    (long long)new_id);
		else if (strcmp(t->name, "pupil") == 0 &&
		    strcmp(t->cols[i], "upn") == 0)
			l = sqlite3_mprintf("%s%s?3", list, i ? ", " : "");
		else
			l = sqlite3_mprintf("%s%s%w", list, i ? ", " : "",
			    t->cols[i]);
		sqlite3_free(list);
		list = l;
	}
	sql = sqlite3_mprintf("INSERT INTO %w SELECT %s FROM %w WHERE id = ?1",
	    t->name, list, t->name);
	sqlite3_free(list);
	run(h, sql, id, NULL, upn);
}

/* Make the edits the input lists, on the laptop copy (open as lap) or on
 * the server. */
static void
edits(struct db *lap, struct cursor *cur)
{
	int count = 0;

	while (more(cur) && count++ < 32) {
		unsigned op = next(cur);
		sqlite3 *h = op & 1 ? db_handle(server) : db_handle(lap);
		const struct table *t = &tables[next(cur) % (unsigned)ntables];
		sqlite3_int64 id = row_id(h, t, next(cur));

		if (id == 0)
			continue;
		switch ((op >> 1) % 4) {
		case 1:
			run(h, sqlite3_mprintf("DELETE FROM %w WHERE id = ?1",
			    t->name), id, NULL, NULL);
			break;
		case 2:
			edit_insert(h, t, id, cur);
			break;
		default:
			edit_update(h, t, id, cur);
			break;
		}
	}
}

static void
write_copy(const struct image *im, struct cursor *cur, bool cut)
{
	uint8_t *b = xmalloc(im->n);
	size_t n = im->n, off = 0;
	int count = 0;

	memcpy(b, im->bytes, n);
	while (more(cur) && count++ < 64) {
		size_t len;

		off = next(cur) << 16;
		off |= next(cur) << 8;
		off |= next(cur);
		off %= im->n;
		len = next(cur) % 16;
		for (size_t i = 0; i < len && off + i < n; i++)
			b[off + i] = (uint8_t)next(cur);
	}
	if (cut)
		n = off;
	fz_write(lap_path, b, n);
	free(b);
}

/* A query's single integer, or -1. */
static sqlite3_int64
query_int(const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 v = -1;

	if (sqlite3_prepare_v2(db_handle(server), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_TEXT ?
		    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 :
		    sqlite3_column_int64(st, 0);
	else
		v = 0;
	sqlite3_finalize(st);
	return v;
}

static void
check_conflicts(struct merge *m, unsigned choices)
{
	struct merge_conflict *c;
	int n;

	c = merge_conflicts(m, &n);
	for (int i = 0; i < n; i++) {
		FZ_ASSERT(c[i].record != NULL && c[i].summary != NULL &&
		    c[i].if_server != NULL && c[i].if_laptop != NULL,
		    "conflict %d of %d has no words", i, n);
		FZ_ASSERT(c[i].kind != MERGE_FIELD || (c[i].field != NULL &&
		    c[i].column[0] != '\0'), "field conflict without field");
		if (c[i].choice == MERGE_UNDECIDED)
			c[i].choice = choices >> (i % 8) & 1 ?
			    MERGE_KEEP_LAPTOP : MERGE_KEEP_SERVER;
	}
}

/* Prepare and apply; true if the merge was written. */
static bool
merge(unsigned choices, bool strict)
{
	struct merge *m = NULL;
	struct merge_figures f;
	char warning[256];
	struct serr e;
	int rc, tries = 0;

	serr_clear(&e);
	rc = merge_prepare(server, lap_path, &m, &e);
	if (verbose)
		fprintf(stderr, "merge_prepare: %d %s\n", rc, e.msg);
	if (rc != 0) {
		FZ_ASSERT(!strict, "merge_prepare of a sound copy: %s", e.msg);
		FZ_ASSERT(m == NULL && e.msg[0] != '\0' && rc < 0,
		    "merge_prepare refused without a message (%d)", rc);
		return false;
	}
	(void)merge_info(m);
	do {
		check_conflicts(m, choices);
		serr_clear(&e);
		rc = merge_apply(m, MERGE_UNDECIDED, &f, warning,
		    sizeof warning, &e);
		if (verbose) {
			const struct merge_info *i = merge_info(m);
			int nc;

			merge_conflicts(m, &nc);
			fprintf(stderr, "merge_apply: %d %s: %d changes, %d "
			    "conflicts, %d written\n", rc, e.msg,
			    i->figures.changes, nc, rc == 0 ? f.written : -1);
		}
	} while (rc == SE_CONFLICT && ++tries < 4);
	if (rc != 0)
		FZ_ASSERT(e.msg[0] != '\0', "merge_apply failed without a "
		    "message (%d)", rc);
	/* A copy changed only as senco's schema allows, with every conflict
	 * decided, must merge. */
	FZ_ASSERT(!strict || rc == 0, "merge_apply: %d %s", rc, e.msg);
	merge_free(m);
	return rc == 0;
}

/* After a merge: sound, and a second merge of the copy writes nothing. */
static void
check_after(void)
{
	struct merge *m = NULL;
	struct merge_figures f;
	const struct merge_info *info;
	char warning[256];
	struct serr e;
	int rc;

	FZ_ASSERT(query_int("SELECT count(*) FROM pragma_foreign_key_check")
	    == 0, "the merge broke a foreign key");
	FZ_ASSERT(query_int("PRAGMA quick_check") == 1,
	    "the caseload fails quick_check after the merge");

	serr_clear(&e);
	rc = merge_prepare(server, lap_path, &m, &e);
	FZ_ASSERT(rc == 0, "a merged copy cannot be prepared again: %s",
	    e.msg);
	info = merge_info(m);
	rc = merge_apply(m, MERGE_KEEP_SERVER, &f, warning, sizeof warning,
	    &e);
	FZ_ASSERT(rc == 0 && f.written == 0, "merging twice wrote %d rows "
	    "(%d changes, already merged %d): %s", f.written,
	    info->figures.changes, (int)info->already_merged,
	    rc ? e.msg : "");
	merge_free(m);
}

int
fuzz_merge_one(const uint8_t *data, size_t n)
{
	struct cursor cur = { data, data + n };
	unsigned mode, choices;
	struct serr e;
	struct db *lap = NULL;

	if (server == NULL)
		setup();
	if (n < 1)
		return 0;
	mode = next(&cur);
	choices = next(&cur);
	unlink(lap_wal);
	unlink(lap_shm);

	serr_clear(&e);
	if (mode & 0x80) {
		write_copy(&copies[mode & 1], &cur, mode & 0x40);
		if (merge(choices, false))
			check_after();
	} else {
		fz_write(lap_path, copies[mode & 1].bytes, copies[mode & 1].n);
		if (db_open(&lap, lap_path, 0, &e) != 0)
			die("db_open laptop", &e);
		db_set_author(lap, "Ms Laptop");
		edits(lap, &cur);
		db_close(lap);
		if (merge(choices, true))
			check_after();
	}
	FZ_ASSERT(!db_in_transaction(server), "a transaction left open");
	restore_server();
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_merge_one(data, n);
}
#endif
