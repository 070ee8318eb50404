/*
 * test_db.c: opening, creating privately, refusing foreign and newer
 * files, pragmas, nested transactions, the statement cache, check and
 * backup.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/access.h"
#include "core/db.h"
#include "helpers.h"

TestSuite(db, .fini = th_cleanup);

static int
pragma(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static mode_t
mode_of(const char *path)
{
	struct stat sb;

	cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
	return sb.st_mode & 0777;
}

Test(db, creates_private_file_and_dirs_under_open_umask)
{
	char path[700], dir[700];
	struct db *db;
	struct serr e;
	mode_t old = umask(0);

	snprintf(dir, 600, "%s/a/b", th_tmpdir());
	snprintf(path, sizeof path, "%.600s/caseload.db", dir);
	cr_assert_eq(db_open(&db, path, DB_CREATE, &e), 0, "%s", e.msg);
	umask(old);
	cr_assert_eq(mode_of(path), 0600);
	cr_assert_eq(mode_of(dir), 0700);
	/* -wal and -shm take the database file's mode. */
	cr_assert_eq(mode_of(strcat(strcpy(dir, path), "-wal")), 0600);
	db_close(db);
}

Test(db, pragmas_and_schema_version)
{
	struct db *db = th_db();

	cr_assert_eq(pragma(db, "PRAGMA foreign_keys"), 1);
	cr_assert_eq(pragma(db, "PRAGMA synchronous"), 2);	/* FULL */
	cr_assert_eq(pragma(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	cr_assert_eq(pragma(db, "PRAGMA application_id"), DB_APPLICATION_ID);
	cr_assert_eq(pragma(db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	cr_assert_eq(db_schema_version(db), DB_SCHEMA_VERSION);
	db_close(db);
}

Test(db, missing_file_is_not_created_without_flag)
{
	const char *path = th_path("nothing.db");
	struct db *db;
	struct serr e;

	cr_assert_eq(db_open(&db, path, 0, &e), SE_NOTFOUND);
	cr_assert(strstr(e.msg, "senco init") != NULL, "%s", e.msg);
	cr_assert_eq(access(path, F_OK), -1);
}

Test(db, init_refuses_existing_caseload)
{
	const char *path = th_path("c.db");
	struct db *db;
	struct serr e;

	cr_assert_eq(db_open(&db, path, DB_CREATE | DB_EXCL, &e), 0, "%s", e.msg);
	db_close(db);
	cr_assert_eq(db_open(&db, path, DB_CREATE | DB_EXCL, &e), SE_EXISTS);
	cr_assert(strstr(e.msg, "will not overwrite") != NULL, "%s", e.msg);
}

Test(db, empty_file_is_migrated)
{
	const char *path = th_path("empty.db");
	struct db *db;
	struct serr e;
	int fd = open(path, O_CREAT | O_WRONLY, 0600);

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(db_open(&db, path, 0, &e), 0, "%s", e.msg);
	cr_assert_eq(db_schema_version(db), DB_SCHEMA_VERSION);
	db_close(db);
}

Test(db, refuses_foreign_sqlite_file_and_leaves_it_alone)
{
	const char *path = th_path("other.db");
	sqlite3 *h;
	struct db *db;
	struct serr e;
	struct stat before, after;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(path, 0600);
	cr_assert_eq(stat(path, &before), 0);
	cr_assert_eq(db_open(&db, path, 0, &e), SE_DB);
	cr_assert(strstr(e.msg, "not a senco caseload") != NULL, "%s", e.msg);
	cr_assert_eq(stat(path, &after), 0);
	cr_assert_eq(before.st_size, after.st_size);
	cr_assert_eq(access(strcat(strcpy((char[600]){0}, path), "-wal"), F_OK), -1);
}

Test(db, refuses_non_sqlite_file)
{
	const char *path = th_path("notes.txt");
	FILE *fp = fopen(path, "w");
	struct db *db;
	struct serr e;

	cr_assert_not_null(fp);
	for (int i = 0; i < 200; i++)
		fputs("This is a letter to parents, not a database.\n", fp);
	fclose(fp);
	chmod(path, 0600);
	cr_assert_eq(db_open(&db, path, 0, &e), SE_DB);
	cr_assert(strstr(e.msg, "not a senco caseload") != NULL, "%s", e.msg);
}

Test(db, refuses_file_from_newer_senco)
{
	struct db *db = th_db();
	char path[512];
	struct serr e;

	snprintf(path, sizeof path, "%s", db_path(db));
	cr_assert_eq(db_exec(db, "PRAGMA user_version = 99", &e), 0);
	db_close(db);
	cr_assert_eq(db_open(&db, path, 0, &e), SE_SCHEMA);
	cr_assert(strstr(e.msg, "newer senco") != NULL, "%s", e.msg);
}

static int
count_pupils(struct db *db)
{
	return pragma(db, "SELECT count(*) FROM pupil");
}

static void
insert_pupil(struct db *db, const char *upn)
{
	char sql[512];
	struct serr e;

	snprintf(sql, sizeof sql, "INSERT INTO pupil(id, upn, legal_surname, "
	    "legal_forename, dob, year_group, created_at, updated_at) VALUES "
	    "(%lld, '%s', 'Test', 'Pupil', '2016-01-01', '4', 'x', 'x')",
	    (long long)db_new_id(db), upn);
	cr_assert_eq(db_exec(db, sql, &e), 0, "%s", e.msg);
}

Test(db, nested_transactions_commit_once)
{
	struct db *db = th_db();
	struct serr e;

	cr_assert_eq(db_begin(db, &e), 0);
	insert_pupil(db, "B801200005001");
	cr_assert_eq(db_begin(db, &e), 0);
	insert_pupil(db, "R674123101121");
	cr_assert_eq(db_commit(db, &e), 0);
	cr_assert(db_in_transaction(db));
	cr_assert_eq(db_commit(db, &e), 0);
	cr_assert_not(db_in_transaction(db));
	cr_assert_eq(count_pupils(db), 2);
	db_close(db);
}

Test(db, inner_rollback_poisons_outer_commit)
{
	struct db *db = th_db();
	struct serr e;

	cr_assert_eq(db_begin(db, &e), 0);
	insert_pupil(db, "B801200005001");
	cr_assert_eq(db_begin(db, &e), 0);
	db_rollback(db);
	cr_assert_neq(db_commit(db, &e), 0);
	cr_assert(strstr(e.msg, "nothing was saved") != NULL, "%s", e.msg);
	cr_assert_eq(count_pupils(db), 0);
	db_close(db);
}

Test(db, statement_cache_reuses_by_address)
{
	static const char SQL[] = "SELECT 1";
	struct db *db = th_db();
	struct sqlite3_stmt *a, *b;

	a = db_stmt(db, SQL, NULL);
	b = db_stmt(db, SQL, NULL);
	cr_assert_not_null(a);
	cr_assert_eq(a, b);
	db_close(db);
}

Test(db, ids_are_positive_and_distinct)
{
	struct db *db = th_db();
	int64_t prev = 0;

	for (int i = 0; i < 1000; i++) {
		int64_t id = db_new_id(db);

		cr_assert_gt(id, 0);
		cr_assert_neq(id, prev);
		prev = id;
	}
	db_close(db);
}

Test(db, read_only_refuses_writes)
{
	struct db *db = th_db();
	char path[512];
	struct serr e;

	snprintf(path, sizeof path, "%s", db_path(db));
	db_close(db);
	cr_assert_eq(db_open(&db, path, DB_READONLY, &e), 0, "%s", e.msg);
	cr_assert_eq(db_begin(db, &e), SE_READONLY);
	cr_assert(strstr(e.msg, "read-only") != NULL);
	db_close(db);
}

Test(db, busy_writer_is_reported_in_words)
{
	struct db *a = th_db(), *b;
	char path[512];
	struct serr e;
	sqlite3_stmt *st;

	snprintf(path, sizeof path, "%s", db_path(a));
	cr_assert_eq(db_open(&b, path, 0, &e), 0, "%s", e.msg);
	sqlite3_busy_timeout(db_handle(b), 50);
	cr_assert_eq(db_begin(a, &e), 0);
	cr_assert_eq(db_begin(b, &e), SE_BUSY);
	cr_assert(strstr(e.msg, "busy (another user is saving)") != NULL, "%s", e.msg);
	cr_assert_not(db_in_transaction(b));
	db_rollback(a);
	/* Readers are never shut out by WAL. */
	cr_assert_eq(sqlite3_prepare_v2(db_handle(b), "SELECT count(*) FROM pupil",
	    -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	db_close(b);
	db_close(a);
}

struct findings {
	int problems;
	char last[1024];
};

static void
collect(void *ctx, bool problem, const char *line)
{
	struct findings *f = ctx;

	if (problem) {
		f->problems++;
		snprintf(f->last, sizeof f->last, "%s", line);
	}
}

Test(db, check_reports_healthy_file_and_loose_permissions)
{
	struct db *db = th_db();
	struct findings f = { 0 };
	struct serr e;

	cr_assert_eq(db_check(db, collect, &f, &e), 0, "%s", f.last);
	cr_assert_eq(f.problems, 0);
	chmod(db_path(db), 0644);
	cr_assert_eq(db_check(db, collect, &f, &e), 1);
	cr_assert(strstr(f.last, "chmod 600") != NULL, "%s", f.last);
	db_close(db);
}

Test(db, backup_is_private_consistent_and_never_overwrites)
{
	struct db *db = th_db(), *copy;
	const char *dest = th_path("backup.db");
	struct serr e;

	insert_pupil(db, "B801200005001");
	cr_assert_eq(db_backup(db, dest, &e), 0, "%s", e.msg);
	cr_assert_eq(mode_of(dest), 0600);
	cr_assert_eq(db_open(&copy, dest, 0, &e), 0, "%s", e.msg);
	cr_assert_eq(count_pupils(copy), 1);
	db_close(copy);
	cr_assert_eq(db_backup(db, dest, &e), SE_EXISTS);
	db_close(db);
}

/* Regression: the CLI sets the author from a staff lookup that returns the
 * login itself when no display name is configured. */
Test(db, set_author_to_itself_keeps_it)
{
	struct db *db = th_db();

	db_set_author(db, "jsmith");
	db_set_author(db, db_author(db));
	cr_assert_str_eq(db_author(db), "jsmith");
	db_set_author(db, "");
	cr_assert_str_eq(db_author(db), "unknown");
	db_close(db);
}

/* StrictModes: a caseload other users can read is refused, naming the
 * path and the chmod that fixes it; so is one in an open directory. */
Test(db, refuses_loose_permissions_with_the_fix)
{
	struct db *db = th_db();
	char path[600], dir[600];
	struct serr e;

	snprintf(path, sizeof path, "%s", db_path(db));
	db_close(db);
	chmod(path, 0640);
	cr_assert_eq(db_open(&db, path, 0, &e), SE_PERM);
	cr_assert(strstr(e.msg, "mode 0640") != NULL, "%s", e.msg);
	cr_assert(strstr(e.msg, "chmod 600") != NULL, "%s", e.msg);
	/* senco check may still open it to report. */
	cr_assert_eq(db_open(&db, path, DB_LAX_PERMS, &e), 0, "%s", e.msg);
	db_close(db);
	chmod(path, 0600);
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = '\0';
	chmod(dir, 0711);
	cr_assert_eq(db_open(&db, path, 0, &e), SE_PERM);
	cr_assert(strstr(e.msg, "chmod 700") != NULL, "%s", e.msg);
	chmod(dir, 0700);
	cr_assert_eq(db_open(&db, path, 0, &e), 0, "%s", e.msg);
	db_close(db);
}

Test(db, new_caseload_is_not_made_in_an_open_directory)
{
	char dir[600], path[700];
	struct db *db;
	struct serr e;

	snprintf(dir, sizeof dir, "%s", th_tmpdir());
	chmod(dir, 0755);
	snprintf(path, sizeof path, "%s/c.db", dir);
	cr_assert_eq(db_open(&db, path, DB_CREATE, &e), SE_PERM);
	cr_assert_eq(access(path, F_OK), -1, "a file was created");
}

Test(db, network_file_systems_are_recognised)
{
	const char *name = NULL;

	cr_assert(access_network_fs_type(0x6969, &name));
	cr_assert_str_eq(name, "nfs");
	cr_assert(access_network_fs_type(0xFF534D42UL, &name));
	cr_assert_str_eq(name, "cifs");
	cr_assert(access_network_fs_type(0x65735546UL, &name));
	cr_assert_not(access_network_fs_type(0xEF53, &name));	/* ext4 */
	cr_assert_not(access_network_fs_type(0x01021994, &name));	/* tmpfs */
}

Test(db, data_version_sees_other_connections_commit)
{
	struct db *a = th_db(), *b;
	int64_t v1, v2, v3;
	struct serr e;

	cr_assert_eq(db_open(&b, db_path(a), 0, &e), 0, "%s", e.msg);
	cr_assert_eq(db_data_version(a, &v1, &e), 0);
	insert_pupil(a, "B801200005001");
	cr_assert_eq(db_data_version(a, &v2, &e), 0);
	cr_assert_eq(v1, v2, "own commits do not count");
	insert_pupil(b, "R674123101121");
	cr_assert_eq(db_data_version(a, &v3, &e), 0);
	cr_assert_neq(v2, v3, "another connection's commit is seen");
	db_close(b);
	db_close(a);
}
