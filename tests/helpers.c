/*
 * helpers.c: test fixtures (see helpers.h).
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/pupil.h"
#include "helpers.h"

#define TH_MAX_DIRS 64

static char dirs[TH_MAX_DIRS][256];
static int n_dirs;

const char *
th_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *d;

	cr_assert(n_dirs < TH_MAX_DIRS, "too many temp dirs in one test");
	snprintf(dirs[n_dirs], sizeof dirs[n_dirs], "%s/senco-test-XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	d = mkdtemp(dirs[n_dirs]);
	cr_assert_not_null(d, "mkdtemp failed");
	return dirs[n_dirs++];
}

const char *
th_path(const char *name)
{
	static char path[TH_MAX_DIRS][300];
	static int n;
	const char *d = th_tmpdir();
	char *p = path[n++ % TH_MAX_DIRS];

	snprintf(p, 300, "%s/%s", d, name);
	return p;
}

struct db *
th_db(void)
{
	struct db *db = NULL;
	struct serr e;
	int rc;

	serr_clear(&e);
	rc = db_open(&db, th_path("caseload.db"), DB_CREATE, &e);
	cr_assert_eq(rc, 0, "db_open: %s", e.msg);
	db_set_author(db, "tester");
	return db;
}

char *
th_upn(int serial, char *buf)
{
	upn_make(801, 2000, 5, serial, buf);
	return buf;
}

int64_t
th_pupil(struct db *db, int serial, const char *surname, const char *forename,
    char status, const char *need, const char *year)
{
	struct pupil p;
	struct serr e;
	int rc;

	pupil_init(&p);
	th_upn(serial, p.upn);
	snprintf(p.legal_surname, sizeof p.legal_surname, "%s", surname);
	snprintf(p.legal_forename, sizeof p.legal_forename, "%s", forename);
	p.dob = date_from_ymd(2016, 9, 1);
	p.gender = 'F';
	snprintf(p.year, sizeof p.year, "%s", year ? year : "4");
	p.status = status;
	if (need != NULL) {
		snprintf(p.needs[0], sizeof p.needs[0], "%s", need);
		p.n_needs = 1;
	}
	serr_clear(&e);
	rc = pupil_add(db, &p, &e);
	cr_assert_eq(rc, 0, "pupil_add %s: %s", surname, e.msg);
	return p.id;
}

int64_t
th_count(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void
th_exec(struct db *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db_handle(db), sql, NULL, NULL, &err);

	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, err ? err : "?");
	sqlite3_free(err);
}

void
th_cleanup(void)
{
	for (int i = 0; i < n_dirs; i++) {
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf '%.255s'", dirs[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dirs[i]);
	}
	n_dirs = 0;
}
