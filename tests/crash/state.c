/*
 * state.c: one line that says what a caseload file holds, for the crash
 * tests (issue 5) to compare a file after a crash or a failed write with
 * the file before the action and after a clean run of it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/db.h"
#include "core/schema.h"
#include "core/xmalloc.h"
#include "state.h"

static const char SQL_N_AUDIT[] = "SELECT count(*) FROM audit";
static const char SQL_N_OPEN_CYCLES[] =
    "SELECT count(*) FROM cycle WHERE closed_on IS NULL";
static const char SQL_N_CLOSED_CYCLES[] =
    "SELECT count(*) FROM cycle WHERE closed_on IS NOT NULL";
static const char SQL_N_OPEN_STATUS[] =
    "SELECT count(*) FROM sen_status WHERE end_date IS NULL";

int64_t
crash_q1(sqlite3 *h, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "crash state: %s: %s\n", sql,
		    sqlite3_errmsg(h));
		exit(2);
	}
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* "integrity ok fk 0" when both checks pass, else what they found. */
static void
print_checks(FILE *out, sqlite3 *h)
{
	sqlite3_stmt *st;
	int fk = 0;
	bool first = true;

	fprintf(out, " integrity");
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			fprintf(out, "%s%s", first ? " " : "|",
			    (const char *)sqlite3_column_text(st, 0));
			first = false;
		}
		sqlite3_finalize(st);
	}
	if (first)
		fprintf(out, " FAILED(%s)", sqlite3_errmsg(h));
	if (sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			fk++;
		sqlite3_finalize(st);
	}
	fprintf(out, " fk %d", fk);
}

int
crash_state_write(FILE *out, const char *path)
{
	struct db *db;
	struct serr e;
	sqlite3 *h;
	int64_t rows = 0, versions = 0;
	int version, schema;

	if (access(path, F_OK) != 0) {
		fprintf(out, "nofile\n");
		return 0;
	}
	/* A first look without senco: a file left at version 0 must not be
	 * migrated by looking at it. This open also recovers the WAL. */
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(out, "unopenable %s\n", sqlite3_errmsg(h));
		sqlite3_close(h);
		return 1;
	}
	/* The header alone: the schema is read once, by db_open(). */
	version = (int)crash_q1(h, "PRAGMA user_version", 0, 0);
	if (version != DB_SCHEMA_VERSION) {
		schema = (int)crash_q1(h, "SELECT count(*) FROM sqlite_schema",
		    0, 0);
		fprintf(out, "version %d schema %d", version, schema);
		print_checks(out, h);
		fprintf(out, "\n");
		sqlite3_close(h);
		return 0;
	}
	sqlite3_close(h);

	/* A current file: senco must open it as it is. */
	if (db_open(&db, path, 0, &e) != 0) {
		fprintf(out, "version %d refused: %s\n", version, e.msg);
		return 1;
	}
	h = db_handle(db);
	fprintf(out, "version %d schema %d", version, (int)crash_q1(h,
	    "SELECT count(*) FROM sqlite_schema", 0, 0));
	/* Every audited table and the audit trail: rows and the number of
	 * updates made to them. */
	for (int i = 0; i < schema_audited_count; i++) {
		sqlite3_stmt *st;
		char *sql;

		xasprintf(&sql, "SELECT count(*), coalesce(sum(version), 0) "
		    "FROM \"%s\"", schema_audited[i].name);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			rows += sqlite3_column_int64(st, 0);
			versions += sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
		free(sql);
	}
	rows += crash_q1(h, SQL_N_AUDIT, 0, 0);
	fprintf(out, " rows %" PRId64 " versions %" PRId64 " open-cycles %"
	    PRId64 " closed-cycles %" PRId64 " open-status %" PRId64, rows,
	    versions, crash_q1(h, SQL_N_OPEN_CYCLES, 0, 0),
	    crash_q1(h, SQL_N_CLOSED_CYCLES, 0, 0),
	    crash_q1(h, SQL_N_OPEN_STATUS, 0, 0));
	print_checks(out, h);
	fprintf(out, "\n");
	db_close(db);
	return 0;
}

/* The state line of path, without its newline; the caller frees it. */
char *
crash_state(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL) {
		perror("open_memstream");
		exit(2);
	}
	crash_state_write(out, path);
	fclose(out);
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}
