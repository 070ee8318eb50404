/*
 * helpers.h: fixtures shared by the Criterion tests. Every database lives
 * in a fresh private directory under $TMPDIR (or /tmp), never in $HOME.
 */
#ifndef SENCO_TEST_HELPERS_H
#define SENCO_TEST_HELPERS_H

#include <stdint.h>
#include "core/db.h"

/* A new empty directory; the path is valid until th_cleanup(). */
const char *th_tmpdir(void);
/* A path inside a fresh temp dir (the file is not created). */
const char *th_path(const char *name);
/* A new, migrated caseload in a temp dir; asserts on failure. */
struct db *th_db(void);
/* A valid UPN with the given serial (0..999). buf >= 14. */
char *th_upn(int serial, char *buf);
/* Add a pupil: status 'N', 'K' or 'E'; need may be NULL (for N).
 * year e.g. "4". Returns the id; asserts on failure. */
int64_t th_pupil(struct db *db, int serial, const char *surname,
    const char *forename, char status, const char *need, const char *year);
/* The first column of the first row of sql as an integer, -1 when it
 * gives no row; asserts the SQL prepares. */
int64_t th_count(struct db *db, const char *sql);
/* Run sql (one or more statements); asserts it succeeds. */
void th_exec(struct db *db, const char *sql);
/* Remove every directory th_tmpdir() made (call from a fini). */
void th_cleanup(void);

#endif
