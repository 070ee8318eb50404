/*
 * db.c: opening the caseload file safely, migrating its schema, the
 * nesting transaction wrapper, the statement cache and maintenance
 * (check, backup).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "access.h"
#include "date.h"
#include "db.h"
#include "schema.h"
#include "xmalloc.h"

#define DB_BUSY_TIMEOUT_MS 5000

struct stmt_slot {
	const char *key;
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	char *path;
	bool readonly;
	int depth;		/* transaction nesting */
	bool poisoned;		/* an inner level rolled back */
	char author[64];
	char login[64];
	bool audit_off;		/* demo data only: see db_set_audit() */
	bool purging;		/* a retention purge may delete audit rows */
	int64_t audit_next;	/* the next audit row's id: fn_audit_id() */
	int64_t at_secs;	/* the second at_prefix spells (fn_audit_at) */
	char at_prefix[64];	/* "YYYY-MM-DDTHH:MM:SS" of at_secs, or "" */
	char *warning;		/* see db_warning() */
	gid_t group;		/* shared group, or (gid_t)-1 */
	struct stmt_slot *stmts;
	int n_stmts, cap_stmts;
};

sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

bool
db_readonly(const struct db *db)
{
	return db->readonly;
}

void
db_set_author(struct db *db, const char *author)
{
	char tmp[sizeof db->author];

	/* author may be db_author(db) itself (a staff lookup that found no
	 * display name hands the login back): copy through a buffer. */
	snprintf(tmp, sizeof tmp, "%s",
	    author != NULL && *author != '\0' ? author : "unknown");
	memcpy(db->author, tmp, sizeof db->author);
}

const char *
db_author(const struct db *db)
{
	return db->author;
}

const char *
db_login(const struct db *db)
{
	return db->login;
}

int
db_fail(struct db *db, int rc, struct serr *e, const char *what)
{
	const char *msg = db != NULL && db->h != NULL ? sqlite3_errmsg(db->h) :
	    sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return serr_set(e, SE_BUSY, "%s: the caseload is busy "
		    "(another user is saving), try again", what);
	case SQLITE_FULL:
		return serr_set(e, SE_FULL, "%s: the disk is full; nothing "
		    "was saved", what);
	case SQLITE_READONLY:
		return serr_set(e, SE_READONLY, "%s: the caseload is open "
		    "read-only", what);
	case SQLITE_CONSTRAINT:
		return serr_set(e, SE_INVALID, "%s: %s", what, msg);
	case SQLITE_NOTADB:
		return serr_set(e, SE_DB, "%s: not a SQLite database", what);
	case SQLITE_CORRUPT:
		return serr_set(e, SE_DB, "%s: the caseload file is damaged "
		    "(run senco check)", what);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return serr_set(e, SE_IO, "%s: %s", what, msg);
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return serr_set(e, SE_PERM, "%s: %s", what, msg);
	}
	return serr_set(e, SE_DB, "%s: %s", what, msg);
}

int
db_exec(struct db *db, const char *sql, struct serr *e)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_fail(db, rc, e, "database");
	return 0;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql, struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	for (int i = 0; i < db->n_stmts; i++)
		if (db->stmts[i].key == sql) {
			st = db->stmts[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, rc, e, "preparing a query");
		return NULL;
	}
	if (db->n_stmts == db->cap_stmts) {
		db->cap_stmts = db->cap_stmts ? db->cap_stmts * 2 : 32;
		db->stmts = xreallocarray(db->stmts, (size_t)db->cap_stmts,
		    sizeof *db->stmts);
	}
	db->stmts[db->n_stmts].key = sql;
	db->stmts[db->n_stmts].st = st;
	db->n_stmts++;
	return st;
}

int
db_step_done(struct db *db, sqlite3_stmt *st, struct serr *e,
    const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, rc, e, what);
	return 0;
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

void
db_bind_date(sqlite3_stmt *st, int i, int32_t d)
{
	char buf[DATE_ISO_LEN];

	if (d == SDATE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, date_iso(d, buf), -1,
		    SQLITE_TRANSIENT);
}

void
db_col_copy(sqlite3_stmt *st, int i, char *buf, size_t n)
{
	strlcpy_utf8(buf, (const char *)sqlite3_column_text(st, i), n);
}

char *
db_col_dup(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return xstrdup((const char *)sqlite3_column_text(st, i));
}

int32_t
db_col_date(sqlite3_stmt *st, int i)
{
	return date_from_iso((const char *)sqlite3_column_text(st, i));
}

int64_t
db_new_id(struct db *db)
{
	int64_t id;

	(void)db;
	do {
		sqlite3_randomness(sizeof id, &id);
		id &= INT64_MAX;
	} while (id == 0);
	return id;
}

/* --- transactions -------------------------------------------------------- */

int
db_begin(struct db *db, struct serr *e)
{
	int rc;

	if (db->readonly)
		return serr_set(e, SE_READONLY, "the caseload is open "
		    "read-only: nothing can be changed");
	if (db->depth++ > 0)
		return 0;
	db->poisoned = false;
	rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		db->depth = 0;
		return db_fail(db, rc, e, "saving");
	}
	return 0;
}

int
db_commit(struct db *db, struct serr *e)
{
	int rc;

	if (db->depth <= 0)
		return serr_set(e, SE_DB, "commit without a transaction");
	if (--db->depth > 0)
		return 0;
	if (db->poisoned) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		db->poisoned = false;
		return serr_set(e, SE_STATE, "saving: an earlier step failed; "
		    "nothing was saved");
	}
	rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int ret = db_fail(db, rc, e, "saving");

		/* A failed COMMIT may leave the transaction open. */
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return ret;
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	if (db->depth <= 0)
		return;
	if (--db->depth > 0) {
		db->poisoned = true;
		return;
	}
	db->poisoned = false;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

bool
db_in_transaction(const struct db *db)
{
	return db->depth > 0;
}

bool
db_read_begin(struct db *db)
{
	return !db_in_transaction(db) && db_exec(db, "BEGIN", NULL) == 0;
}

void
db_read_end(struct db *db, bool began)
{
	if (began)
		db_exec(db, "COMMIT", NULL);
}

/* --- opening ---------------------------------------------------------------- */

int
db_mkdir_private(const char *dir, struct serr *e)
{
	char *p = xstrdup(dir), *s;
	int ret = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) == 0) {
			/* Whatever the umask, a directory we make is ours alone. */
			chmod(p, 0700);
		} else if (errno != EEXIST) {
			ret = serr_set(e, SE_IO, "%s: cannot create directory: %s",
			    p, strerror(errno));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return ret;
}

/* Create an empty file private to its owner; EEXIST is left to the caller. */
static int
create_private(const char *path, bool excl, struct serr *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST && !excl)
			return 0;
		if (errno == EEXIST)
			return serr_set(e, SE_EXISTS, "%s: a file is already "
			    "there; senco will not overwrite it", path);
		return serr_set(e, SE_IO, "%s: cannot create: %s", path,
		    strerror(errno));
	}
	fchmod(fd, 0600);
	close(fd);
	return 0;
}

static int
pragma_int(struct db *db, const char *sql, int *out, struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, e, db->path);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		*out = 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, e, db->path);
	return 0;
}

/* --- audit ---------------------------------------------------------------- */

/* SQL functions the audit triggers call. They exist only on senco's own
 * connections, so a change made with another tool fails instead of going
 * unrecorded. */
static void
fn_login(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);

	(void)argc; (void)argv;
	sqlite3_result_text(cx, db->login, -1, SQLITE_TRANSIENT);
}

static void
fn_author(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);

	(void)argc; (void)argv;
	sqlite3_result_text(cx, db->author, -1, SQLITE_TRANSIENT);
}

static void
fn_new_id(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);

	(void)argc; (void)argv;
	sqlite3_result_int64(cx, db_new_id(db));
}

/*
 * The audit rows' ids: a random start per connection, then one after
 * another, so that the rows of a large change are added at the end of
 * the audit table instead of each on a random page of it (an import of
 * 100,000 pupils writes over 200,000). A run from a random start meets
 * another copy's ids no more often than random ids do.
 */
static void
fn_audit_id(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);

	(void)argc; (void)argv;
	/* Below 2^62: room for any number of rows after the start. */
	if (db->audit_next == 0)
		db->audit_next = (db_new_id(db) >> 1) + 1;
	sqlite3_result_int64(cx, db->audit_next++);
}

/*
 * senco_audit_at(): now in UTC to the millisecond, as
 * strftime('%Y-%m-%dT%H:%M:%fZ', 'now') writes it, which cost a growing
 * string and its reallocations per audit row.
 */
static void
fn_audit_at(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);
	struct timespec ts;
	struct tm tm;
	time_t secs;
	char buf[80];
	size_t n;
	int ms;

	(void)argc; (void)argv;
	clock_gettime(CLOCK_REALTIME, &ts);
	secs = ts.tv_sec;
	/* The date and time to the second once a second: a large change
	 * writes hundreds of thousands of audit rows within a few. */
	if (db->at_prefix[0] == '\0' || db->at_secs != (int64_t)secs) {
		gmtime_r(&secs, &tm);
		snprintf(db->at_prefix, sizeof db->at_prefix,
		    "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		db->at_secs = (int64_t)secs;
	}
	/* "%s.%03dZ" by hand: this runs once per audit row. */
	ms = (int)(ts.tv_nsec / 1000000);
	n = strlen(db->at_prefix);
	memcpy(buf, db->at_prefix, n);
	buf[n++] = '.';
	buf[n++] = (char)('0' + ms / 100);
	buf[n++] = (char)('0' + ms / 10 % 10);
	buf[n++] = (char)('0' + ms % 10);
	buf[n++] = 'Z';
	sqlite3_result_text(cx, buf, (int)n, SQLITE_TRANSIENT);
}

/* A JSON text being built: on the stack for a usual row, on the heap for
 * a long one (notes). sqlite3_str grew by realloc several times a row. */
struct jbuf {
	char *s;
	size_t len, cap;
	bool heap;
	bool blob;		/* a BLOB was given: JSON cannot hold it */
	char stack[1024];
};

static void
jb_init(struct jbuf *b)
{
	b->s = b->stack;
	b->len = 0;
	b->cap = sizeof b->stack;
	b->heap = false;
	b->blob = false;
}

static void
jb_add(struct jbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		if (b->heap)
			b->s = xrealloc(b->s, cap);
		else {
			b->s = xmalloc(cap);
			memcpy(b->s, b->stack, b->len);
			b->heap = true;
		}
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
}

/* "name": */
static void
jb_key(struct jbuf *b, sqlite3_value *name)
{
	const char *k = (const char *)sqlite3_value_text(name);

	jb_add(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
	jb_add(b, k != NULL ? k : "", k != NULL ? strlen(k) : 0);
	jb_add(b, "\":", 2);
}

/* v in decimal into buf (room for 21), as "%lld" writes it; returns the
 * length. An audit row holds several integers: snprintf for each cost
 * more than the rest of the JSON. */
static size_t
int_text(int64_t v, char *buf)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	return len;
}

/* v as a JSON value, as json_object() writes it. */
static void
jb_value(struct jbuf *b, sqlite3_value *v)
{
	const unsigned char *t, *run;
	char num[64];

	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		jb_add(b, "null", 4);
		return;
	case SQLITE_INTEGER:
		jb_add(b, num, int_text(sqlite3_value_int64(v), num));
		return;
	case SQLITE_FLOAT:
		/* SQLite's own printf, for json_object()'s "%!0.15g". */
		sqlite3_snprintf(sizeof num, num, "%!0.15g",
		    sqlite3_value_double(v));
		jb_add(b, num, strlen(num));
		return;
	case SQLITE_TEXT:
		break;
	default:
		b->blob = true;
		return;
	}
	jb_add(b, "\"", 1);
	for (t = run = sqlite3_value_text(v); t != NULL && *t != '\0'; t++) {
		if (*t != '"' && *t != '\\' && *t >= 0x20)
			continue;
		jb_add(b, (const char *)run, (size_t)(t - run));
		if (*t == '"' || *t == '\\') {
			num[0] = '\\';
			num[1] = (char)*t;
			jb_add(b, num, 2);
		} else
			jb_add(b, num, (size_t)snprintf(num, sizeof num,
			    "\\u%04x", *t));
		run = t + 1;
	}
	if (t != NULL)
		jb_add(b, (const char *)run, (size_t)(t - run));
	jb_add(b, "\"", 1);
}

/* Close the object and make it the function's result. */
static void
jb_result(sqlite3_context *cx, struct jbuf *b)
{
	jb_add(b, "}", 1);
	if (b->blob)
		sqlite3_result_error(cx, "JSON cannot hold BLOB values", -1);
	else
		sqlite3_result_text(cx, b->s, (int)b->len, SQLITE_TRANSIENT);
	if (b->heap)
		free(b->s);
}

/*
 * senco_audit_image('col', X.col, ...): the row inserted or deleted as a
 * JSON object, NULL columns left out (they say nothing, and the audit
 * trail reads the same without them).
 */
static void
fn_audit_image(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct jbuf b;

	jb_init(&b);
	jb_add(&b, "{", 1);
	for (int i = 0; i + 1 < argc; i += 2) {
		if (sqlite3_value_type(argv[i + 1]) == SQLITE_NULL)
			continue;
		jb_key(&b, argv[i]);
		jb_value(&b, argv[i + 1]);
	}
	jb_result(cx, &b);
}

/* Are a and b the same value (as IS compares them)? */
static bool
same_value(sqlite3_value *a, sqlite3_value *b)
{
	int ta = sqlite3_value_type(a), n;

	if (ta != sqlite3_value_type(b))
		return false;
	switch (ta) {
	case SQLITE_NULL:
		return true;
	case SQLITE_INTEGER:
		return sqlite3_value_int64(a) == sqlite3_value_int64(b);
	case SQLITE_FLOAT:
		return sqlite3_value_double(a) == sqlite3_value_double(b);
	}
	n = sqlite3_value_bytes(a);
	return n == sqlite3_value_bytes(b) && (n == 0 ||
	    memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b), (size_t)n) ==
	    0);
}

/*
 * senco_audit_changes(side, 'col', OLD.col, NEW.col, ...): the columns an
 * update changed, with their old values (side 0) or new ones (side 1).
 * An update writes one or two fields of a row: its whole image twice
 * made most of the trail.
 */
static void
fn_audit_changes(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	int side = argc > 0 && sqlite3_value_int(argv[0]) != 0;
	struct jbuf b;

	jb_init(&b);
	jb_add(&b, "{", 1);
	for (int i = 1; i + 2 < argc; i += 3) {
		if (same_value(argv[i + 1], argv[i + 2]))
			continue;
		jb_key(&b, argv[i]);
		jb_value(&b, argv[i + 1 + side]);
	}
	jb_result(cx, &b);
}

static void
fn_audit_on(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);

	(void)argc; (void)argv;
	sqlite3_result_int(cx, !db->audit_off);
}

static void
fn_purging(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct db *db = sqlite3_user_data(cx);

	(void)argc; (void)argv;
	sqlite3_result_int(cx, db->purging);
}

static int
register_functions(struct db *db)
{
	static const struct {
		const char *name;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
		int nargs;		/* -1: any number */
	} fns[] = {
		{ "senco_login", fn_login, 0 },
		{ "senco_author", fn_author, 0 },
		{ "senco_new_id", fn_new_id, 0 },
		{ "senco_audit_id", fn_audit_id, 0 },
		{ "senco_audit_at", fn_audit_at, 0 },
		{ "senco_audit_image", fn_audit_image, -1 },
		{ "senco_audit_changes", fn_audit_changes, -1 },
		{ "senco_audit_on", fn_audit_on, 0 },
		{ "senco_purging", fn_purging, 0 },
	};

	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		int rc = sqlite3_create_function_v2(db->h, fns[i].name,
		    fns[i].nargs, SQLITE_UTF8 | SQLITE_INNOCUOUS, db,
		    fns[i].fn, NULL, NULL, NULL);

		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

void
db_set_audit(struct db *db, bool on)
{
	db->audit_off = !on;
}

void
db_set_purging(struct db *db, bool on)
{
	db->purging = on;
}

/* Append to a growing string (caller frees *buf). */
static void
sbuf_add(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* A table's columns, read from the schema itself so that a migration
 * that adds a column is audited without touching this code. Returns a
 * NULL-terminated array the caller frees with free_columns(). */
static char **
table_columns(struct db *db, const char *table)
{
	char *sql, **v = NULL;
	size_t n = 0;
	sqlite3_stmt *st;

	xasprintf(&sql, "SELECT name FROM pragma_table_info('%s')", table);
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return NULL;
	}
	free(sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		v[n] = NULL;
	}
	sqlite3_finalize(st);
	return v;
}

static void
free_columns(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/*
 * Is column col in the audit images? Not the bookkeeping every write
 * changes (when the row was made and last changed, by whom, how often):
 * the audit row says when and by whom in at, login and author, and the
 * order of the changes in seq. They were two fifths of an image's bytes
 * and of an update's whole record, which is half the caseload file
 * (schema version 8; older rows keep them).
 */
static bool
imaged(const char *col)
{
	static const char *const bookkeeping[] = { "created_at",
	    "updated_at", "version", "changed_by" };

	for (size_t i = 0; i < sizeof bookkeeping / sizeof bookkeeping[0]; i++)
		if (strcmp(col, bookkeeping[i]) == 0)
			return false;
	return true;
}

/* "senco_audit_image('id', X."id", 'upn', X."upn", ...)" for the row X
 * (NEW or OLD): its imaged() columns. Caller frees. */
static char *
row_json(char **cols, const char *x)
{
	char *out = NULL, piece[256];
	size_t len = 0;
	bool first = true;

	sbuf_add(&out, &len, "senco_audit_image(");
	for (size_t i = 0; cols != NULL && cols[i] != NULL; i++) {
		if (!imaged(cols[i]))
			continue;
		snprintf(piece, sizeof piece, "%s'%s', %s.\"%s\"",
		    first ? "" : ", ", cols[i], x, cols[i]);
		sbuf_add(&out, &len, piece);
		first = false;
	}
	sbuf_add(&out, &len, ")");
	return out;
}

/* "senco_audit_changes(side, 'id', OLD."id", NEW."id", ...)": the
 * imaged() columns an update changed, their old (side 0) or new values.
 * Caller frees. */
static char *
changes_json(char **cols, int side)
{
	char *out = NULL, piece[256];
	size_t len = 0;

	snprintf(piece, sizeof piece, "senco_audit_changes(%d", side);
	sbuf_add(&out, &len, piece);
	for (size_t i = 0; cols != NULL && cols[i] != NULL; i++) {
		if (!imaged(cols[i]))
			continue;
		snprintf(piece, sizeof piece, ", '%s', OLD.\"%s\", NEW.\"%s\"",
		    cols[i], cols[i], cols[i]);
		sbuf_add(&out, &len, piece);
	}
	sbuf_add(&out, &len, ")");
	return out;
}

/* Replace X. in a pupil expression with NEW. or OLD. */
static char *
pupil_expr(const char *expr, const char *x)
{
	char *out = NULL;
	size_t len = 0;
	char one[2] = { 0, 0 };

	for (const char *p = expr; *p != '\0'; p++) {
		if (p[0] == 'X' && p[1] == '.' && (p == expr ||
		    !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))) {
			sbuf_add(&out, &len, x);
			continue;
		}
		one[0] = *p;
		sbuf_add(&out, &len, one);
	}
	if (out == NULL)
		out = xstrdup("");
	return out;
}

/* (Re)create the audit triggers of every audited table. Runs inside the
 * migration transaction. The SQL is built from senco's own table and
 * column names only, never from user text. */
static int
audit_install(struct db *db, struct serr *e)
{
	static const char *const ops[] = { "insert", "update", "delete" };

	for (int i = 0; i < schema_audited_count; i++) {
		const char *t = schema_audited[i].name;
		char **cols = table_columns(db, t);
		char *jnew = row_json(cols, "NEW"), *jold = row_json(cols, "OLD");
		char *cold = changes_json(cols, 0), *cnew = changes_json(cols, 1);
		char *pnew = pupil_expr(schema_audited[i].pupil_expr, "NEW");
		char *pold = pupil_expr(schema_audited[i].pupil_expr, "OLD");
		int rc = SQLITE_OK;

		for (int o = 0; o < 3 && rc == SQLITE_OK; o++) {
			char *sql;

			xasprintf(&sql,
			    "DROP TRIGGER IF EXISTS audit_%s_%s;"
			    "CREATE TRIGGER audit_%s_%s AFTER %s ON %s "
			    "WHEN senco_audit_on() BEGIN "
			    "INSERT INTO audit (id, seq, at, login, author, "
			    "tbl, row_id, pupil_id, op, old, new) VALUES "
			    "(senco_audit_id(), (SELECT coalesce(max(seq), 0) + 1 "
			    "FROM audit), senco_audit_at(), "
			    "senco_login(), senco_author(), '%s', %s.id, %s, '%s', "
			    "%s, %s); END;",
			    t, ops[o], t, ops[o], o == 0 ? "INSERT" : o == 1 ?
			    "UPDATE" : "DELETE", t, t, o == 2 ? "OLD" : "NEW",
			    o == 2 ? pold : pnew, ops[o],
			    o == 0 ? "NULL" : o == 1 ? cold : jold,
			    o == 2 ? "NULL" : o == 1 ? cnew : jnew);
			rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
			free(sql);
		}
		free(jnew);
		free(jold);
		free(cnew);
		free(cold);
		free_columns(cols);
		free(pnew);
		free(pold);
		if (rc != SQLITE_OK)
			return serr_set(e, SE_DB, "%s: installing the audit "
			    "trail on %s failed: %s", db->path, t,
			    sqlite3_errmsg(db->h));
	}
	return 0;
}

int
db_set_triggers(struct db *db, bool on, struct serr *e)
{
	int now = -1;

	/* SQLite expires every prepared statement when this changes, so
	 * none prepared with triggers off runs with them on. */
	if (sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0,
	    &now) != SQLITE_OK || now != (on ? 1 : 0))
		return serr_set(e, SE_DB, "%s: turning triggers %s failed",
		    db->path, on ? "on" : "off");
	return 0;
}

static const char SQL_JOURNAL_GET[] = "PRAGMA journal_mode";
static const char SQL_JOURNAL_DELETE[] = "PRAGMA journal_mode = DELETE";

/* The whole caseload written twice (WAL, then the checkpoint) cost an
 * import of 100,000 pupils 0.75 s of its 4; a rollback journal of a
 * file that had few pages journals almost nothing. The pragma does not
 * wait for other connections: it fails at once if there are any. */
bool
db_journal_rollback(struct db *db)
{
	sqlite3_stmt *st;
	bool changed = false;

	if (db->readonly || db_in_transaction(db) ||
	    (st = db_stmt(db, SQL_JOURNAL_GET, NULL)) == NULL)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW)
		changed = strcmp((const char *)sqlite3_column_text(st, 0),
		    "wal") == 0;
	sqlite3_reset(st);
	if (!changed || (st = db_stmt(db, SQL_JOURNAL_DELETE, NULL)) == NULL)
		return false;
	changed = sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
	sqlite3_reset(st);
	return changed;
}

void
db_journal_wal(struct db *db, bool changed)
{
	if (changed && !db_in_transaction(db))
		db_exec(db, "PRAGMA journal_mode = WAL", NULL);
}

static const char SQL_AUDIT_LAST_SEQ[] =
	"SELECT coalesce(max(seq), 0) FROM audit";

/*
 * The insert trigger's audit row for each row of a table added while
 * triggers were off: the same expressions as audit_install() writes, as
 * one INSERT ... SELECT. Built from senco's own table and column names
 * only, never from user text; the ids are bound.
 */
int
db_audit_inserted(struct db *db, const char *table, int64_t first,
    int64_t last, struct serr *e)
{
	const char *expr = NULL;
	char **cols = NULL, *image = NULL, *pupil = NULL, *sql = NULL;
	sqlite3_stmt *st = NULL;
	int64_t seq = 0;
	int rc;

	for (int i = 0; i < schema_audited_count; i++)
		if (strcmp(schema_audited[i].name, table) == 0)
			expr = schema_audited[i].pupil_expr;
	if (expr == NULL)
		return serr_set(e, SE_INVALID, "%s is not an audited table",
		    table);
	if (db->audit_off || first > last)
		return 0;
	if ((st = db_stmt(db, SQL_AUDIT_LAST_SEQ, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, rc, e, "reading the audit trail");
	}
	seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	cols = table_columns(db, table);
	image = row_json(cols, "NEW");
	pupil = pupil_expr(expr, "NEW");
	/* seq: after the trail's last, in id order (the ids of a bulk
	 * insert run one after another). */
	xasprintf(&sql, "INSERT INTO audit (id, seq, at, login, author, tbl, "
	    "row_id, pupil_id, op, old, new) SELECT senco_audit_id(), "
	    "?3 + NEW.id - ?1 + 1, senco_audit_at(), senco_login(), "
	    "senco_author(), '%s', NEW.id, %s, 'insert', NULL, %s "
	    "FROM \"%s\" AS NEW WHERE NEW.id BETWEEN ?1 AND ?2 "
	    "ORDER BY NEW.id", table, pupil, image, table);
	free_columns(cols);
	free(image);
	free(pupil);
	if ((rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL)) != SQLITE_OK) {
		free(sql);
		return db_fail(db, rc, e, "writing the audit trail");
	}
	free(sql);
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	sqlite3_bind_int64(st, 3, seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "writing the audit trail");
	return 0;
}

static int
migrate(struct db *db, int from, struct serr *e)
{
	char sql[128];
	int rc;

	if (db->readonly)
		return serr_set(e, SE_READONLY, "%s: the caseload needs its "
		    "schema upgraded (version %d to %d) and is open read-only",
		    db->path, from, DB_SCHEMA_VERSION);
	rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, e, db->path);
	for (int v = from; v < schema_migration_count; v++) {
		rc = sqlite3_exec(db->h, schema_migrations[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			serr_set(e, SE_DB, "%s: upgrading the schema to version "
			    "%d failed: %s", db->path, v + 1,
			    sqlite3_errmsg(db->h));
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			return e ? e->code : SE_DB;
		}
	}
	if (audit_install(db, e) != 0) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return e ? e->code : SE_DB;
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; "
	    "PRAGMA application_id = %d;", DB_SCHEMA_VERSION,
	    DB_APPLICATION_ID);
	rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int ret = db_fail(db, rc, e, db->path);

		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return ret;
	}
	return 0;
}

static const char *
login_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *u;

	if (pw != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	u = getenv("USER");
	return u != NULL ? u : "unknown";
}

int
db_open(struct db **out, const char *path, unsigned flags, struct serr *e)
{
	return db_open_ex(out, path, flags, NULL, e);
}

const char *
db_warning(const struct db *db)
{
	return db->warning;
}

int
db_data_version(struct db *db, int64_t *out, struct serr *e)
{
	static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
	sqlite3_stmt *st = db_stmt(db, SQL_DATA_VERSION, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, rc, e, "checking for changes");
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* Create the directories and the file of a new caseload, private to the
 * owner or shared with the configured group. */
static int
create_caseload(const char *path, unsigned flags, gid_t group,
    struct serr *e)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat sb;
	bool made_dir = false;
	int ret = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		made_dir = stat(dir, &sb) != 0;
		if ((ret = db_mkdir_private(dir, e)) != 0)
			goto out;
		if (made_dir && (ret = access_share(dir, true, group, e)) != 0)
			goto out;
	}
	/* Never put a new caseload where others can see it. */
	if ((ret = access_check_dir(path, group, e)) != 0)
		goto out;
	made_dir = stat(path, &sb) != 0;
	if ((ret = create_private(path, (flags & DB_EXCL) != 0, e)) != 0)
		goto out;
	if (made_dir)
		ret = access_share(path, false, group, e);
out:
	free(dir);
	return ret;
}

/*
 * The check on open (issue 5): a damaged file is refused with a message,
 * never used and never "repaired". SQLite refuses by itself a file whose
 * header is not SQLite's (SQLITE_NOTADB), and one cut shorter than its
 * header says, on the first read of page 1 (SQLITE_CORRUPT): those are
 * caught on any size by reading application_id. What it cannot see is
 * a damaged page in a part of the file the command never reads (a page
 * of notes, for "pupil list"); only reading every page finds that.
 * PRAGMA quick_check does, at 3-4 ms per MB on the test machine: 0.86 s
 * for the 240 MB of a 100,000-pupil demo caseload, far over issue 6's
 * 50 ms from open to the first screen, but 15-20 ms for the 5 MB of a
 * 2,000-pupil school. So it runs on open for files up to
 * OPEN_CHECK_MAX_BYTES, every real school's caseload; a larger file is
 * refused when a command reads a damaged page (db_fail: SQLITE_CORRUPT),
 * and "senco check" runs the full integrity_check on any size.
 */
#define OPEN_CHECK_MAX_BYTES (8L * 1024 * 1024)

/* Remove a caseload file this process has just made, and its -wal and
 * -shm. */
static void
remove_new(const char *path)
{
	static const char *const sides[] = { "", "-wal", "-shm" };
	char *p;

	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		xasprintf(&p, "%s%s", path, sides[i]);
		unlink(p);
		free(p);
	}
}

/* The one refusal of a damaged file; detail is SQLite's finding, one
 * line of it, or NULL. */
static int
refuse_damaged(const char *path, const char *detail, struct serr *e)
{
	char what[160];
	size_t n;

	if (detail == NULL)
		return serr_set(e, SE_INVALID, "%s: the caseload file is "
		    "damaged; senco will not use it: restore it from a "
		    "backup", path);
	/* quick_check prefixes "*** in database main ***" and may list
	 * several findings, one a line: keep the first. */
	if (strncmp(detail, "*** ", 4) == 0 && strchr(detail, '\n') != NULL)
		detail = strchr(detail, '\n') + 1;
	n = strcspn(detail, "\n");
	if (n >= sizeof what)
		n = sizeof what - 1;
	memcpy(what, detail, n);
	what[n] = '\0';
	return serr_set(e, SE_INVALID, "%s: the caseload file is damaged "
	    "(%s); senco will not use it: restore it from a backup", path,
	    what);
}

/* Was the last error on db SQLite finding the file damaged? */
static bool
found_damage(struct db *db)
{
	int rc = sqlite3_extended_errcode(db->h) & 0xff;

	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* PRAGMA quick_check on a file of up to OPEN_CHECK_MAX_BYTES (see
 * above): 0, or the refusal of a damaged file. */
static int
open_check(struct db *db, off_t size, struct serr *e)
{
	static const char SQL_QUICK_CHECK[] = "PRAGMA quick_check(1)";
	sqlite3_stmt *st;
	const char *msg;
	int rc, ret = 0;

	if (size > OPEN_CHECK_MAX_BYTES)
		return 0;
	rc = sqlite3_prepare_v2(db->h, SQL_QUICK_CHECK, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return found_damage(db) ? refuse_damaged(db->path,
		    sqlite3_errmsg(db->h), e) : db_fail(db, rc, e, db->path);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		msg = (const char *)sqlite3_column_text(st, 0);
		if (msg == NULL || strcmp(msg, "ok") != 0)
			ret = refuse_damaged(db->path, msg, e);
	} else if (found_damage(db))
		ret = refuse_damaged(db->path, sqlite3_errmsg(db->h), e);
	else
		ret = db_fail(db, rc, e, db->path);
	sqlite3_finalize(st);
	return ret;
}

int
db_open_ex(struct db **out, const char *path, unsigned flags,
    const struct db_options *o, struct serr *e)
{
	static const struct db_options defaults = { NULL, false };
	struct db *db = NULL;
	struct stat sb;
	int rc, ret, appid = 0, version = 0, tables = 0;
	int oflags;
	gid_t group = (gid_t)-1;
	const char *fsname = NULL;
	bool network, made = false;

	*out = NULL;
	if (o == NULL)
		o = &defaults;
	if (path == NULL || *path == '\0')
		return serr_set(e, SE_INVALID, "no database path given");
	if (o->shared_group != NULL &&
	    (ret = access_group(o->shared_group, &group, e)) != 0)
		return ret;
	if (flags & DB_CREATE) {
		if ((ret = create_caseload(path, flags, group, e)) != 0)
			return ret;
		/* With DB_EXCL the file is this call's own (O_EXCL): if the
		 * open fails, e.g. the disk fills while the schema is made,
		 * it goes again, so that "senco init" can simply be rerun. */
		made = (flags & DB_EXCL) != 0;
	} else if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return serr_set(e, SE_NOTFOUND, "%s: no caseload there "
			    "(create one with 'senco init' or try 'senco demo')",
			    path);
		return serr_set(e, SE_IO, "%s: %s", path, strerror(errno));
	}
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		ret = serr_set(e, SE_INVALID, "%s: not a regular file", path);
		goto fail;
	}
	if (!(flags & DB_LAX_PERMS) && (ret = access_check(path, group, e)) != 0)
		goto fail;
	network = access_on_network_fs(path, &fsname);
	if (network && o->refuse_network_fs) {
		ret = serr_set(e, SE_IO, "%s is on a network file system "
		    "(%s), where SQLite's WAL cannot work safely; senco is "
		    "set to refuse it (network_filesystem = \"refuse\"): move "
		    "the caseload to a local disk", path, fsname);
		goto fail;
	}

	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->group = group;
	db->readonly = (flags & DB_READONLY) != 0;
	snprintf(db->login, sizeof db->login, "%s", login_name());
	db_set_author(db, db->login);
	oflags = db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	/* NOMUTEX: senco has one thread (no pthread anywhere; the UI's
	 * signal handlers only set a flag), so a connection is never used
	 * by two threads at once and SQLite's locking of it on every call
	 * is pure cost: 3% of every report at 100,000 pupils. */
	rc = sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOFOLLOW |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = db_fail(db, rc, e, path);
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	if ((rc = register_functions(db)) != SQLITE_OK) {
		ret = db_fail(db, rc, e, path);
		goto fail;
	}

	/* Identify the file before touching it. */
	if ((ret = pragma_int(db, "PRAGMA application_id", &appid, e)) != 0 ||
	    (ret = pragma_int(db, "PRAGMA user_version", &version, e)) != 0 ||
	    (ret = pragma_int(db, "SELECT count(*) FROM sqlite_schema",
	    &tables, e)) != 0) {
		if ((sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_CORRUPT)
			ret = refuse_damaged(path, NULL, e);
		else if (e != NULL && e->code == SE_DB &&
		    strstr(e->msg, "not a SQLite") != NULL)
			serr_set(e, SE_DB, "%s: not a senco caseload (not a "
			    "SQLite database)", path);
		goto fail;
	}
	if (appid != DB_APPLICATION_ID && (tables > 0 || version != 0)) {
		ret = serr_set(e, SE_DB, "%s: not a senco caseload (a SQLite "
		    "file of some other program); refusing to touch it", path);
		goto fail;
	}
	if (version > DB_SCHEMA_VERSION) {
		ret = serr_set(e, SE_SCHEMA, "%s: made by a newer senco "
		    "(schema %d; this senco knows up to %d): upgrade senco",
		    path, version, DB_SCHEMA_VERSION);
		goto fail;
	}
	if ((flags & DB_EXCL) && (tables > 0 || version != 0)) {
		ret = serr_set(e, SE_EXISTS, "%s: a caseload is already there; "
		    "senco will not overwrite it", path);
		goto fail;
	}
	if ((tables > 0 || version != 0) && stat(path, &sb) == 0 &&
	    (ret = open_check(db, sb.st_size, e)) != 0)
		goto fail;

	if (!db->readonly) {
		/* WAL lets readers and one writer work together on the
		 * school server; FULL sync so a committed change survives a
		 * power cut. WAL needs shared memory that network file
		 * systems do not provide: there, a rollback journal. */
		if ((ret = db_exec(db, network ? "PRAGMA journal_mode = DELETE"
		    : "PRAGMA journal_mode = WAL", e)) != 0)
			goto fail;
		if (network)
			xasprintf(&db->warning, "%s is on a network file "
			    "system (%s): using a rollback journal instead of "
			    "WAL, so users wait for each other's saves", path,
			    fsname);
	}
	/* temp_store: the statement journals that the audit triggers need
	 * stay in memory instead of a temp file per statement. cache_size:
	 * 4 MiB instead of SQLite's 2, so that the upper index pages a
	 * register page or a search reads stay in memory from one key to
	 * the next on a caseload of 100,000 (issue 6). Not more: each page
	 * the cache grows by is fresh memory, a page fault on first touch
	 * (~13 us on a VM), and paging through a register reads new leaf
	 * pages at every key; 10 MiB cost a page down 20-35% more CPU
	 * (bench, 100,000 pupils) and 6.5 MB more RSS. */
	if ((ret = db_exec(db, "PRAGMA foreign_keys = ON; "
	    "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; "
	    "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -4096;",
	    e)) != 0)
		goto fail;
	if (version < DB_SCHEMA_VERSION &&
	    (ret = migrate(db, version, e)) != 0)
		goto fail;
	*out = db;
	return 0;
fail:
	db_close(db);
	if (made)
		remove_new(path);
	return ret;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->h != NULL && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < db->n_stmts; i++)
		sqlite3_finalize(db->stmts[i].st);
	free(db->stmts);
	sqlite3_close(db->h);
	free(db->path);
	free(db->warning);
	free(db);
}

int
db_schema_version(struct db *db)
{
	int v = 0;

	pragma_int(db, "PRAGMA user_version", &v, NULL);
	return v;
}

/* --- maintenance -------------------------------------------------------- */

static void
report(db_report_cb cb, void *ctx, bool problem, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
report(db_report_cb cb, void *ctx, bool problem, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (cb != NULL)
		cb(ctx, problem, line);
}

int
db_check(struct db *db, db_report_cb cb, void *ctx, struct serr *e)
{
	sqlite3_stmt *st;
	int problems = 0, rc, n = 0;

	report(cb, ctx, false, "file: %s", db->path);
	report(cb, ctx, false, "schema: version %d (this senco: %d)",
	    db_schema_version(db), DB_SCHEMA_VERSION);

	rc = sqlite3_prepare_v2(db->h, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, e, "integrity check");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(st, 0);

		if (msg != NULL && strcmp(msg, "ok") == 0)
			report(cb, ctx, false, "integrity: ok");
		else {
			report(cb, ctx, true, "integrity: %s", msg ? msg : "?");
			problems++;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "integrity check");

	rc = sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st,
	    NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, e, "foreign key check");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report(cb, ctx, true, "foreign keys: a row in %s (rowid %lld) "
		    "points at a missing row of %s",
		    (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "foreign key check");
	if (n == 0)
		report(cb, ctx, false, "foreign keys: ok");
	problems += n;

	{
		struct serr pe;

		if (access_check(db->path, db->group, &pe) != 0) {
			report(cb, ctx, true, "permissions: %s", pe.msg);
			problems++;
		} else
			report(cb, ctx, false, "permissions: only %s can "
			    "read the caseload", db->group != (gid_t)-1 ?
			    "its owner and the shared group" : "its owner");
	}
	return problems;
}

int
db_backup(struct db *db, const char *dest, struct serr *e)
{
	sqlite3 *to = NULL;
	sqlite3_backup *bk;
	int rc, ret;

	if ((ret = create_private(dest, true, e)) != 0)
		return ret;
	rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		ret = serr_set(e, SE_IO, "%s: %s", dest, sqlite3_errmsg(to));
		goto fail;
	}
	bk = sqlite3_backup_init(to, "main", db->h, "main");
	if (bk == NULL) {
		ret = serr_set(e, SE_DB, "%s: %s", dest, sqlite3_errmsg(to));
		goto fail;
	}
	/* Copy in steps so writers are not shut out for long; a change
	 * made by another connection restarts the copy, which stays
	 * consistent. */
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		ret = db_fail(NULL, rc, e, dest);
		goto fail;
	}
	if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		ret = serr_set(e, SE_IO, "%s: %s", dest, sqlite3_errmsg(to));
		goto fail;
	}
	sqlite3_close(to);
	return 0;
fail:
	sqlite3_close(to);
	unlink(dest);
	return ret;
}
