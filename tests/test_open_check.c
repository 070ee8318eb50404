/*
 * test_open_check.c: the check on open (issue 5). A truncated file, a
 * file with a damaged page, a file that is not SQLite's and a SQLite file
 * of another program are each refused by db_open() with a one-line
 * message naming the path, and the file's bytes stay as they were: never
 * used, never "repaired".
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/db.h"
#include "core/demo.h"
#include "helpers.h"

TestSuite(open_check, .fini = th_cleanup);

#define RESTORE "senco will not use it: restore it from a backup"

/* The whole of a file; the caller frees it. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	cr_assert_not_null(fp, "open %s", path);
	cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	cr_assert_geq(n, 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
spill(const char *path, const unsigned char *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	cr_assert_not_null(fp, "create %s", path);
	cr_assert_eq(fwrite(buf, 1, len, fp), len);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(chmod(path, 0600), 0);
}

/* A small demo caseload (Zoë, Siobhán and the rest are invented), closed
 * so that everything is in the main file and no -wal is left. Returns
 * its path. */
static const char *
caseload(void)
{
	const char *path = th_path("caseload.db");
	struct demo_opts o;
	struct db *db;
	struct serr e;
	char wal[600];

	cr_assert_eq(db_open(&db, path, DB_CREATE, &e), 0, "%s", e.msg);
	demo_opts_init(&o);
	o.pupils = 60;
	o.seed = 7;
	cr_assert_eq(demo_build(db, &o, &e), 0, "%s", e.msg);
	db_close(db);
	snprintf(wal, sizeof wal, "%s-wal", path);
	cr_assert_neq(access(wal, F_OK), 0, "%s is left", wal);
	return path;
}

/* An int read with plain SQLite from a file senco is not using. */
static int
peek_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int v = -1;

	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* db_open refuses path, read-write and read-only, with code and a
 * message naming the path and containing want, on one line; the file's
 * bytes are the same after. */
static void
refused(const char *path, int code, const char *want)
{
	static const unsigned flags[] = { 0, DB_READONLY };
	unsigned char *before, *after;
	size_t n0, n1;
	struct db *db;
	struct serr e;

	before = slurp(path, &n0);
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		serr_clear(&e);
		db = NULL;
		cr_assert_eq(db_open(&db, path, flags[i], &e), code,
		    "flags %u: got %d: %s", flags[i], e.code, e.msg);
		cr_assert_null(db);
		cr_assert_not_null(strstr(e.msg, path), "%s", e.msg);
		cr_assert_not_null(strstr(e.msg, want), "%s", e.msg);
		cr_assert_null(strchr(e.msg, '\n'), "one line: %s", e.msg);
		after = slurp(path, &n1);
		cr_assert_eq(n1, n0, "the file's length changed");
		cr_assert(memcmp(before, after, n0) == 0,
		    "the file's bytes changed");
		free(after);
	}
	free(before);
}

Test(open_check, an_intact_caseload_opens)
{
	const char *path = caseload();
	struct db *db;
	struct serr e;

	cr_assert_eq(db_open(&db, path, 0, &e), 0, "%s", e.msg);
	db_close(db);
	cr_assert_eq(db_open(&db, path, DB_READONLY, &e), 0, "%s", e.msg);
	db_close(db);
}

Test(open_check, a_truncated_file_is_refused)
{
	const char *path = caseload();
	unsigned char *buf;
	size_t n;

	buf = slurp(path, &n);
	/* Half, a page boundary, and one page short: all are cut. */
	spill(path, buf, n / 2 + 100);
	refused(path, SE_INVALID, "the caseload file is damaged");
	refused(path, SE_INVALID, RESTORE);
	spill(path, buf, n - 4096);
	refused(path, SE_INVALID, "the caseload file is damaged");
	free(buf);
}

/* Garble page pg (from 1) of path with bytes from a fixed seed. */
static void
garble(const char *path, int pg)
{
	unsigned char *buf;
	size_t n, psz = (size_t)peek_int(path, "PRAGMA page_size");
	uint32_t x = 2463534242u;

	buf = slurp(path, &n);
	cr_assert_leq((size_t)pg * psz, n);
	for (size_t i = (size_t)(pg - 1) * psz; i < (size_t)pg * psz; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	spill(path, buf, n);
	free(buf);
}

Test(open_check, a_damaged_page_the_command_would_not_read_is_refused)
{
	const char *path = caseload();
	int pg = peek_int(path, "SELECT rootpage FROM sqlite_schema "
	    "WHERE name = 'note'");
	struct db *db;
	struct serr e;

	/* Notes are not read on open: only the check can see this. */
	cr_assert_gt(pg, 1);
	garble(path, pg);
	refused(path, SE_INVALID, "the caseload file is damaged (");
	refused(path, SE_INVALID, RESTORE);
	/* Not silently repaired by the refusals: still refused. */
	cr_assert_neq(db_open(&db, path, 0, &e), 0);
}

Test(open_check, a_damaged_last_page_is_refused)
{
	const char *path = caseload();

	garble(path, peek_int(path, "PRAGMA page_count"));
	refused(path, SE_INVALID, RESTORE);
}

Test(open_check, a_file_that_is_not_sqlite_is_refused)
{
	const char *path = th_path("letter.db");
	static const char text[] = "Dear parents of Łukasz and Nguyễn,\n"
	    "the SEN review is on Monday.\n";

	spill(path, (const unsigned char *)text, sizeof text - 1);
	refused(path, SE_DB, "not a senco caseload (not a SQLite database)");
}

Test(open_check, a_garbled_header_is_refused)
{
	const char *path = caseload();

	garble(path, 1);
	refused(path, SE_DB, "not a senco caseload");
}

Test(open_check, a_sqlite_file_of_another_program_is_refused)
{
	const char *path = th_path("other.db");
	sqlite3 *h;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "CREATE TABLE recipe(name TEXT); "
	    "INSERT INTO recipe VALUES ('Siobhán''s soda bread');", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	cr_assert_eq(chmod(path, 0600), 0);
	refused(path, SE_DB, "not a senco caseload (a SQLite file of some "
	    "other program)");
}
