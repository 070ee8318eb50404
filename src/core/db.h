/*
 * db.h: the caseload file: open, pragmas, migrations, transactions,
 * statement cache, ids and timestamps.
 *
 * Only src/core/ includes sqlite3.h; the UI and CLI see struct db as
 * opaque and call the record modules.
 */
#ifndef SENCO_DB_H
#define SENCO_DB_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"

struct db;
struct sqlite3;
struct sqlite3_stmt;

/* The schema version this senco writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 10
/* PRAGMA application_id: "SENC". A file with another id is refused. */
#define DB_APPLICATION_ID 0x53454E43

enum db_flags {
	DB_CREATE = 1,		/* create the file (0600) and its directory (0700) */
	DB_EXCL = 2,		/* with DB_CREATE: refuse an existing file (init) */
	DB_READONLY = 4,	/* open without any write */
	DB_LAX_PERMS = 8,	/* open despite loose permissions (senco check
				 * reports them instead of refusing) */
};

struct db_options {
	const char *shared_group;	/* NULL: the file is its owner's only */
	bool refuse_network_fs;		/* on NFS/SMB refuse rather than fall
					 * back to a rollback journal */
};

/* Open a caseload. Without DB_CREATE a missing file is SE_NOTFOUND with a
 * hint to run "senco init". A file that is not a senco caseload, or is from
 * a newer senco, is refused. On success *out is the caller's to
 * db_close(). */
int db_open(struct db **out, const char *path, unsigned flags, struct serr *e);
/* The same with the configuration's policy (db_open uses the defaults). */
int db_open_ex(struct db **out, const char *path, unsigned flags,
    const struct db_options *o, struct serr *e);
/* Something the user should know about the open caseload (e.g. "on a
 * network file system: using a rollback journal"), or NULL. */
const char *db_warning(const struct db *db);
/* PRAGMA data_version: changes when another connection commits. The UI
 * polls it to refresh what other users changed. */
int db_data_version(struct db *db, int64_t *out, struct serr *e);
void db_close(struct db *db);
const char *db_path(const struct db *db);
bool db_readonly(const struct db *db);

/* Who is changing things: the Unix login, or a display name set from the
 * config. Recorded in changed_by and rating authors. */
void db_set_author(struct db *db, const char *author);
const char *db_author(const struct db *db);
/* The Unix login of the process (recorded beside the author in audit). */
const char *db_login(const struct db *db);

/*
 * The audit trail (table audit) records every insert, update and delete
 * of caseload data, by triggers, in the same transaction. Only the demo
 * generator turns it off (fictional data, and speed); purge turns on the
 * one way audit rows may be deleted, for a pupil past retention.
 */
void db_set_audit(struct db *db, bool on);
void db_set_purging(struct db *db, bool on);
/*
 * For a bulk insert of new rows (import.c): triggers off for this
 * connection only (other connections are unaffected), then on again
 * before any other statement and on every error path. The caller writes
 * what the triggers would have: db_audit_inserted() the audit rows of an
 * audited table's rows with ids first..last (one after another), the same
 * as its insert trigger writes (nothing while the audit is off).
 */
int db_set_triggers(struct db *db, bool on, struct serr *e);
/*
 * For one large change outside any transaction (an import): a rollback
 * journal instead of WAL, which writes a new page once where WAL writes
 * it to the WAL and again at the checkpoint. Returns whether the mode
 * changed; it does not when another connection has the file open (the
 * change then runs in WAL as before). db_journal_wal() puts WAL back if
 * it changed.
 */
bool db_journal_rollback(struct db *db);
void db_journal_wal(struct db *db, bool changed);
int db_audit_inserted(struct db *db, const char *table, int64_t first,
    int64_t last, struct serr *e);

/*
 * Transactions. db_begin() issues BEGIN IMMEDIATE at the outermost level and
 * only counts nesting inside, so every core write function can begin and
 * commit its own transaction and still be part of a larger user action.
 * db_rollback() at any depth poisons the transaction: the outermost
 * db_commit() then rolls back and returns the error. Always pair begin with
 * exactly one commit or rollback.
 */
int db_begin(struct db *db, struct serr *e);
int db_commit(struct db *db, struct serr *e);
void db_rollback(struct db *db);
bool db_in_transaction(const struct db *db);
/* One snapshot for a reader of several statements outside any
 * transaction (a pupil changed between two passes would otherwise be in
 * one and not the other): whether it began a read transaction, which
 * db_read_end() then ends. Within a transaction, nothing to do. */
bool db_read_begin(struct db *db);
void db_read_end(struct db *db, bool began);

/* --- for core modules only (they include sqlite3.h) ----------------------- */
struct sqlite3 *db_handle(struct db *db);
/* A prepared statement for `sql`, cached for the life of the connection and
 * keyed by the string's address (pass string literals). Reset and cleared,
 * ready to bind. Do not finalize it. NULL on error (e filled). */
struct sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct serr *e);
/* Turn an SQLite result code into an SE_ code and message, naming `what`.
 * SQLITE_BUSY -> SE_BUSY "the caseload is busy (another user is saving),
 * try again"; SQLITE_FULL -> SE_FULL; constraint -> SE_INVALID ... */
int db_fail(struct db *db, int rc, struct serr *e, const char *what);
/* Run a statement that returns no rows; db_fail on error. */
int db_step_done(struct db *db, struct sqlite3_stmt *st, struct serr *e,
    const char *what);
/* Run SQL text with no parameters (schema, pragmas). */
int db_exec(struct db *db, const char *sql, struct serr *e);

/* A new random positive 63-bit id, unique across copies of the database. */
int64_t db_new_id(struct db *db);

/* Bind helpers: NULL/empty text and SDATE_NONE bind SQL NULL. */
void db_bind_text(struct sqlite3_stmt *st, int i, const char *s);
void db_bind_date(struct sqlite3_stmt *st, int i, int32_t d);
/* Copy a column into a fixed buffer ("" for NULL). */
void db_col_copy(struct sqlite3_stmt *st, int i, char *buf, size_t n);
/* A fresh heap copy of a text column (NULL for NULL); caller frees. */
char *db_col_dup(struct sqlite3_stmt *st, int i);
int32_t db_col_date(struct sqlite3_stmt *st, int i);

/* --- maintenance ---------------------------------------------------------- */
int db_schema_version(struct db *db);
/* One line per finding through cb; returns the number of problems found
 * (0 = healthy) or a negative SE_ code if the checks could not run. */
typedef void (*db_report_cb)(void *ctx, bool problem, const char *line);
int db_check(struct db *db, db_report_cb cb, void *ctx, struct serr *e);
/* A consistent copy while others use the database (backup API), created
 * 0600; refuses to overwrite an existing file. */
int db_backup(struct db *db, const char *dest, struct serr *e);

/* Make a directory path (mkdir -p) with mode 0700 for parts it creates. */
int db_mkdir_private(const char *dir, struct serr *e);

#endif
