/*
 * state.h: what a caseload file holds, in one line (see state.c).
 */
#ifndef SENCO_TEST_CRASH_STATE_H
#define SENCO_TEST_CRASH_STATE_H

#include <stdint.h>
#include <stdio.h>

struct sqlite3;

/* The first column of the first row of sql with ?1 = a and ?2 = b bound
 * where the statement has them; -1 for no row. Exits on bad SQL. */
int64_t crash_q1(struct sqlite3 *h, const char *sql, int64_t a, int64_t b);

/*
 * Write the state line of the file at path, with its newline: "nofile";
 * or "version V schema S", and for a file at this senco's version,
 * reopened with db_open(), the rows of the audited tables and the audit
 * trail, the sum of their versions, open and closed cycles and open status
 * rows; last " integrity ok fk 0" when integrity_check and
 * foreign_key_check pass. A file at another version is looked at with
 * plain SQLite and not migrated. Returns 1 if the file cannot be opened.
 */
int crash_state_write(FILE *out, const char *path);
/* The same line without its newline; the caller frees it. */
char *crash_state(const char *path);

#endif
