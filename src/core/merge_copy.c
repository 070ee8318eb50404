/*
 * merge_copy.c: the laptop copy as a file (merge.h has the design):
 * making it (checkout), reading it and its baseline for a merge, the
 * caseload's record of checkouts and merges, and moving the baseline on
 * after a merge (re-base).
 *
 * The tables merge_checkout and merge_log (in the caseload) and
 * merge_origin (in a copy) are made here when first needed: they are
 * book-keeping of this module beside the caseload, not caseload data,
 * and a copy must not carry the server's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codes.h"
#include "date.h"
#include "merge_int.h"
#include "pupil.h"
#include "xmalloc.h"

#define BUSY_TIMEOUT_MS 5000

/* In the caseload: every checkout, and every merge of one. */
static const char SQL_SERVER_TABLES[] =
    "CREATE TABLE IF NOT EXISTS merge_checkout ("
    "  id INTEGER PRIMARY KEY,"		/* the checkout id, also in the copy */
    "  taken_at TEXT NOT NULL,"
    "  taken_by TEXT NOT NULL,"
    "  login TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  schema_version INTEGER NOT NULL,"
    "  pupils INTEGER NOT NULL,"
    "  subset TEXT"			/* NULL: the whole caseload */
    ");"
    "CREATE TABLE IF NOT EXISTS merge_log ("
    "  id INTEGER PRIMARY KEY,"
    "  checkout_id INTEGER NOT NULL REFERENCES merge_checkout(id),"
    "  changeset_hash TEXT NOT NULL,"	/* BLAKE2b of the laptop's changes */
    "  merged_at TEXT NOT NULL,"
    "  merged_by TEXT NOT NULL,"
    "  login TEXT NOT NULL,"
    "  changes INTEGER NOT NULL,"
    "  applied INTEGER NOT NULL,"
    "  merged INTEGER NOT NULL,"
    "  already INTEGER NOT NULL,"
    "  conflicts INTEGER NOT NULL,"
    "  kept_server INTEGER NOT NULL,"
    "  kept_laptop INTEGER NOT NULL,"
    "  written INTEGER NOT NULL,"
    "  audit_entries INTEGER NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS merge_log_checkout ON "
    "  merge_log(checkout_id, changeset_hash);";

/* In a copy: where it came from, and its baseline. */
static const char SQL_COPY_ORIGIN[] =
    "DROP TABLE IF EXISTS merge_log;"
    "DROP TABLE IF EXISTS merge_checkout;"
    "DROP TABLE IF EXISTS merge_origin;"
    "CREATE TABLE merge_origin ("
    "  checkout_id INTEGER PRIMARY KEY,"
    "  server_file TEXT NOT NULL,"
    "  schema_version INTEGER NOT NULL,"
    "  taken_at TEXT NOT NULL,"
    "  taken_by TEXT NOT NULL,"
    "  subset TEXT,"
    "  based_at TEXT NOT NULL,"		/* when the baseline was taken */
    "  baseline BLOB NOT NULL"		/* a database image */
    ");";

static const char SQL_HAS_TABLE[] =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1";
static const char SQL_FIND_CHECKOUT[] =
    "SELECT taken_at FROM merge_checkout WHERE id = ?1";
static const char SQL_FIND_MERGE[] =
    "SELECT merged_at, merged_by FROM merge_log WHERE checkout_id = ?1 AND "
    "changeset_hash = ?2 ORDER BY merged_at DESC LIMIT 1";
static const char SQL_LOG_MERGE[] =
    "INSERT INTO merge_log (id, checkout_id, changeset_hash, merged_at, "
    "merged_by, login, changes, applied, merged, already, conflicts, "
    "kept_server, kept_laptop, written, audit_entries) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_LOG_CHECKOUT[] =
    "INSERT INTO merge_checkout (id, taken_at, taken_by, login, file, "
    "schema_version, pupils, subset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_YEAR_PUPILS[] =
    "SELECT id FROM pupil WHERE year_group = ?1 AND archived = 0";
static const char SQL_KEEP_TABLE[] =
    "CREATE TEMP TABLE merge_keep (id INTEGER PRIMARY KEY)";
static const char SQL_KEEP[] =
    "INSERT OR IGNORE INTO temp.merge_keep (id) VALUES (?1)";
/* The audit rows of pupils not in the copy first (their pupil_id still
 * finds them), then the pupils, whose records cascade. */
static const char SQL_CUT[] =
    "DELETE FROM audit WHERE pupil_id IS NOT NULL AND pupil_id NOT IN "
    "  (SELECT id FROM temp.merge_keep);"
    "DELETE FROM pupil WHERE id NOT IN (SELECT id FROM temp.merge_keep);"
    "DROP TABLE temp.merge_keep;";
static const char SQL_ORIGIN_ROW[] =
    "INSERT INTO merge_origin (checkout_id, server_file, schema_version, "
    "taken_at, taken_by, subset, based_at, baseline) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?4, zeroblob(0))";
static const char SQL_ORIGIN_BASELINE[] =
    "UPDATE merge_origin SET baseline = ?1";
static const char SQL_COUNT_PUPILS[] = "SELECT count(*) FROM pupil";

/* Raw statements on the laptop file (no senco connection needed). */
static const char SQL_READ_ORIGIN[] =
    "SELECT checkout_id, server_file, schema_version, taken_at, taken_by, "
    "subset, baseline FROM merge_origin";
static const char SQL_REBASE[] =
    "UPDATE merge_origin SET baseline = ?1, based_at = ?2 WHERE "
    "checkout_id = ?3";

void
mcopy_unwal(unsigned char *img, sqlite3_int64 n)
{
	if (n > 19) {
		img[18] = 1;
		img[19] = 1;
	}
}

/* The whole image of schema s of h, as a database that opens in memory.
 * sqlite3_malloc'd: the caller frees with sqlite3_free. */
static unsigned char *
image_of(sqlite3 *h, const char *s, sqlite3_int64 *n)
{
	unsigned char *img = sqlite3_serialize(h, s, n, 0);

	if (img != NULL)
		mcopy_unwal(img, *n);
	return img;
}

static bool
has_table(struct db *db, const char *name)
{
	sqlite3_stmt *st = db_stmt(db, SQL_HAS_TABLE, NULL);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/* --- checkout ------------------------------------------------------------- */

struct keep {
	int64_t *ids;
	int n;
	char *words;		/* "pupils A, B; years 5, 6" */
};

static void
keep_add(struct keep *k, int64_t id)
{
	k->ids = xreallocarray(k->ids, (size_t)k->n + 1, sizeof *k->ids);
	k->ids[k->n++] = id;
}

static void
words_add(char **w, const char *sep, const char *s)
{
	char *next;

	xasprintf(&next, "%s%s%s", *w ? *w : "", *w ? sep : "", s);
	free(*w);
	*w = next;
}

/* The pupils of the subset, each UPN and year group checked. */
static int
pick(struct db *db, const struct merge_subset *sub, struct keep *k,
    struct serr *e)
{
	char *upns = NULL, *years = NULL;
	int rc = 0;

	for (int i = 0; i < sub->n_upns && rc == 0; i++) {
		struct pupil p;

		pupil_init(&p);
		rc = pupil_find_upn(db, sub->upns[i], &p, e);
		if (rc == SE_NOTFOUND) {
			/* A mistyped UPN: say what is wrong with it. */
			if (upn_validate(sub->upns[i], e) != 0)
				rc = e ? e->code : SE_INVALID;
			else
				rc = serr_set(e, SE_NOTFOUND, "UPN %s: no such "
				    "pupil in %s", sub->upns[i], db_path(db));
		}
		if (rc == 0) {
			keep_add(k, p.id);
			words_add(&upns, ", ", p.upn);
		}
	}
	for (int i = 0; i < sub->n_years && rc == 0; i++) {
		char year[YEAR_MAX];
		sqlite3_stmt *st;
		int before = k->n, step;

		if ((rc = year_parse(sub->years[i], year, e)) != 0)
			break;
		if ((st = db_stmt(db, SQL_YEAR_PUPILS, e)) == NULL) {
			rc = e ? e->code : SE_DB;
			break;
		}
		sqlite3_bind_text(st, 1, year, -1, SQLITE_TRANSIENT);
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			keep_add(k, sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			rc = db_fail(db, step, e, "checkout");
		else if (k->n == before)
			rc = serr_set(e, SE_NOTFOUND, "year %s: no pupils on "
			    "roll in %s", year, db_path(db));
		words_add(&years, ", ", year);
	}
	if (rc == 0) {
		if (upns != NULL)
			xasprintf(&k->words, "pupils %s%s%s%s", upns,
			    years ? "; year" : "", years && strchr(years, ',') ?
			    "s " : years ? " " : "", years ? years : "");
		else if (years != NULL)
			xasprintf(&k->words, "year%s %s", strchr(years, ',') ?
			    "s" : "", years);
	}
	free(upns);
	free(years);
	return rc;
}

/* A failed checkout leaves nothing behind at dest. */
static void
remove_copy(const char *dest)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };

	for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
		char *p;

		xasprintf(&p, "%s%s", dest, side[i]);
		unlink(p);
		free(p);
	}
}

static int
int_query(struct db *db, const char *sql, int *out, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);

	if (st == NULL)
		return e ? e->code : SE_DB;
	*out = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return 0;
}

/* Cut the copy to the subset, and put its origin and baseline in. */
static int
make_copy(struct db *c, const char *server, int64_t id, const char *taken_at,
    const struct keep *k, bool subset, struct serr *e)
{
	sqlite3_stmt *st;
	unsigned char *img;
	sqlite3_int64 n = 0;
	int rc;

	/* Nothing here is a change to the caseload: no audit of it. */
	db_set_audit(c, false);
	db_set_purging(c, true);
	if ((rc = db_begin(c, e)) != 0)
		return rc;
	if ((rc = db_exec(c, SQL_COPY_ORIGIN, e)) != 0)
		goto fail;
	if (subset) {
		if ((rc = db_exec(c, SQL_KEEP_TABLE, e)) != 0)
			goto fail;
		for (int i = 0; i < k->n; i++) {
			if ((st = db_stmt(c, SQL_KEEP, e)) == NULL) {
				rc = e ? e->code : SE_DB;
				goto fail;
			}
			sqlite3_bind_int64(st, 1, k->ids[i]);
			if ((rc = db_step_done(c, st, e, "checkout")) != 0)
				goto fail;
		}
		if ((rc = db_exec(c, SQL_CUT, e)) != 0)
			goto fail;
	}
	if ((st = db_stmt(c, SQL_ORIGIN_ROW, e)) == NULL) {
		rc = e ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, server, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, DB_SCHEMA_VERSION);
	sqlite3_bind_text(st, 4, taken_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, db_author(c), -1, SQLITE_TRANSIENT);
	db_bind_text(st, 6, k->words);
	if ((rc = db_step_done(c, st, e, "checkout")) != 0)
		goto fail;
	if ((rc = db_commit(c, e)) != 0)
		return rc;
	db_set_purging(c, false);
	/* Nothing of the other pupils may stay in free pages. */
	if (subset && (rc = db_exec(c, "VACUUM", e)) != 0)
		return rc;
	/* The baseline: the copy exactly as it goes to the laptop. */
	if ((img = image_of(db_handle(c), "main", &n)) == NULL)
		return serr_set(e, SE_DB, "%s: cannot take the baseline",
		    db_path(c));
	if ((st = db_stmt(c, SQL_ORIGIN_BASELINE, e)) == NULL) {
		sqlite3_free(img);
		return e ? e->code : SE_DB;
	}
	sqlite3_bind_blob64(st, 1, img, (sqlite3_uint64)n, sqlite3_free);
	if ((rc = db_step_done(c, st, e, "checkout")) != 0)
		return rc;
	/* One self-contained file to carry away. */
	return db_exec(c, "PRAGMA journal_mode = DELETE", e);
fail:
	db_rollback(c);
	return rc;
}

int
merge_checkout(struct db *db, const char *dest, const struct merge_subset *sub,
    struct merge_checkout_info *info, struct serr *e)
{
	struct keep k = { NULL, 0, NULL };
	bool subset = sub != NULL && (sub->n_upns > 0 || sub->n_years > 0);
	char taken_at[TIMESTAMP_LEN], *server = NULL, *where = NULL;
	struct db *c = NULL;
	struct stat sb;
	sqlite3_stmt *st;
	int64_t id;
	int rc, pupils = 0;

	if (info != NULL)
		memset(info, 0, sizeof *info);
	if (dest == NULL || *dest == '\0')
		return serr_set(e, SE_INVALID, "checkout: no file given for "
		    "the laptop copy");
	if (subset && (rc = pick(db, sub, &k, e)) != 0)
		goto out;
	if ((server = realpath(db_path(db), NULL)) == NULL)
		server = xstrdup(db_path(db));
	timestamp_now(taken_at);
	id = db_new_id(db);
	/* The caseload's tables first, so the record goes in at the end. */
	if ((rc = db_begin(db, e)) != 0 ||
	    (rc = db_exec(db, SQL_SERVER_TABLES, e)) != 0 ||
	    (rc = db_commit(db, e)) != 0) {
		if (rc != 0 && db_in_transaction(db))
			db_rollback(db);
		goto out;
	}
	if ((rc = db_backup(db, dest, e)) != 0)
		goto out;
	if ((where = realpath(dest, NULL)) == NULL)
		where = xstrdup(dest);
	if ((rc = db_open(&c, dest, 0, e)) != 0)
		goto fail;
	db_set_author(c, db_author(db));
	if ((rc = make_copy(c, server, id, taken_at, &k, subset, e)) != 0 ||
	    (rc = int_query(c, SQL_COUNT_PUPILS, &pupils, e)) != 0)
		goto fail;
	db_close(c);
	c = NULL;

	if ((rc = db_begin(db, e)) != 0)
		goto fail;
	if ((st = db_stmt(db, SQL_LOG_CHECKOUT, e)) == NULL) {
		rc = e ? e->code : SE_DB;
		db_rollback(db);
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, taken_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, db_author(db), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, db_login(db), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, where, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, DB_SCHEMA_VERSION);
	sqlite3_bind_int(st, 7, pupils);
	db_bind_text(st, 8, k.words);
	if ((rc = db_step_done(db, st, e, "checkout")) != 0) {
		db_rollback(db);
		goto fail;
	}
	if ((rc = db_commit(db, e)) != 0)
		goto fail;
	if (info != NULL) {
		info->checkout_id = id;
		info->pupils = pupils;
		info->bytes = stat(dest, &sb) == 0 ? (int64_t)sb.st_size : 0;
	}
	goto out;
fail:
	db_close(c);
	remove_copy(dest);
out:
	free(k.ids);
	free(k.words);
	free(server);
	free(where);
	return rc;
}

/* --- reading a copy ------------------------------------------------------- */

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static int
pragma_int(sqlite3 *h, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
schema_refusal(struct merge *m, int copy, int origin, struct serr *e)
{
	return serr_set(e, SE_SCHEMA, "%s: the laptop copy is at schema "
	    "version %d (checked out at %d) but this senco's caseload is at "
	    "version %d; it cannot be merged (merge it with the senco that "
	    "made it, or take a new checkout)", m->laptop_path, copy, origin,
	    DB_SCHEMA_VERSION);
}

/* The copy's facts and images; h is open on the laptop file. */
static int
read_origin(struct merge *m, sqlite3 *h, struct serr *e)
{
	sqlite3_stmt *st;
	unsigned char *base, *lap;
	sqlite3_int64 nlap = 0;
	int rc, appid = 0, version = 0, origin_version, nbase;

	rc = pragma_int(h, "PRAGMA application_id", &appid);
	if (rc == SQLITE_OK)
		rc = pragma_int(h, "PRAGMA user_version", &version);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return serr_set(e, SE_INVALID, "%s: not a senco laptop copy "
		    "(not a SQLite database)", m->laptop_path);
	if (rc != SQLITE_OK)
		return serr_set(e, SE_IO, "%s: %s", m->laptop_path,
		    sqlite3_errmsg(h));
	if (appid != DB_APPLICATION_ID)
		return serr_set(e, SE_INVALID, "%s: not a senco laptop copy "
		    "(not a senco caseload)", m->laptop_path);
	if (sqlite3_prepare_v2(h, SQL_READ_ORIGIN, -1, &st, NULL) != SQLITE_OK)
		return serr_set(e, SE_INVALID, "%s: a caseload, but not a "
		    "laptop copy (make one with 'senco checkout')",
		    m->laptop_path);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return serr_set(e, SE_INVALID, "%s: a caseload, but not a "
		    "laptop copy (make one with 'senco checkout')",
		    m->laptop_path);
	}
	m->checkout_id = sqlite3_column_int64(st, 0);
	m->server_file = col_dup(st, 1);
	origin_version = sqlite3_column_int(st, 2);
	m->taken_at = col_dup(st, 3);
	m->taken_by = col_dup(st, 4);
	m->subset = col_dup(st, 5);
	nbase = sqlite3_column_bytes(st, 6);
	if (version != DB_SCHEMA_VERSION ||
	    origin_version != DB_SCHEMA_VERSION) {
		sqlite3_finalize(st);
		return schema_refusal(m, version, origin_version, e);
	}
	if (nbase < 100 || memcmp(sqlite3_column_blob(st, 6),
	    "SQLite format 3", 16) != 0) {
		sqlite3_finalize(st);
		return serr_set(e, SE_INVALID, "%s: the laptop copy's baseline "
		    "is missing or damaged; it cannot be merged",
		    m->laptop_path);
	}
	if ((base = sqlite3_malloc64((sqlite3_uint64)nbase)) == NULL) {
		sqlite3_finalize(st);
		return serr_set(e, SE_DB, "merge: out of memory");
	}
	memcpy(base, sqlite3_column_blob(st, 6), (size_t)nbase);
	sqlite3_finalize(st);
	if ((rc = mx_load(m, MX_BASE, base, nbase, e)) != 0)
		return rc;

	if ((m->lap_image = image_of(h, "main", &nlap)) == NULL ||
	    (lap = sqlite3_malloc64((sqlite3_uint64)nlap)) == NULL)
		return serr_set(e, SE_DB, "%s: cannot read the laptop copy "
		    "into memory", m->laptop_path);
	m->lap_size = nlap;
	memcpy(lap, m->lap_image, (size_t)nlap);
	if ((rc = mx_load(m, MX_LAP, lap, nlap, e)) != 0)
		return rc;
	/* The baseline must be the same caseload, schema and checkout. */
	rc = pragma_int(m->mx, "PRAGMA " MX_BASE ".user_version", &version);
	if (rc != SQLITE_OK)
		return serr_set(e, SE_INVALID, "%s: the laptop copy's baseline "
		    "is damaged; it cannot be merged", m->laptop_path);
	if (version != DB_SCHEMA_VERSION)
		return schema_refusal(m, version, origin_version, e);
	return 0;
}

int
mcopy_read(struct merge *m, const char *path, struct serr *e)
{
	sqlite3 *h = NULL;
	struct stat sb;
	int rc;

	if (stat(path, &sb) != 0)
		return serr_set(e, errno == ENOENT ? SE_NOTFOUND : SE_IO,
		    "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return serr_set(e, SE_INVALID, "%s: not a regular file", path);
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		rc = serr_set(e, SE_IO, "%s: %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return rc;
	}
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	/* One read transaction: the copy and its origin agree. */
	if (sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = serr_set(e, SE_IO, "%s: %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return rc;
	}
	rc = read_origin(m, h, e);
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

/* --- the caseload's records ----------------------------------------------- */

int
mcopy_check_server(struct merge *m, struct serr *e)
{
	sqlite3_stmt *st;
	bool known = false;

	if (has_table(m->db, "merge_checkout")) {
		if ((st = db_stmt(m->db, SQL_FIND_CHECKOUT, e)) == NULL)
			return e ? e->code : SE_DB;
		sqlite3_bind_int64(st, 1, m->checkout_id);
		known = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	}
	if (!known)
		return serr_set(e, SE_INVALID, "%s: not a copy of this "
		    "caseload (%s): it was checked out from %s on %s, and %s "
		    "has no record of that checkout", m->laptop_path,
		    db_path(m->db), m->server_file ? m->server_file : "?",
		    m->taken_at ? m->taken_at : "?", db_path(m->db));
	return 0;
}

int
mcopy_check_merged(struct merge *m, struct serr *e)
{
	sqlite3_stmt *st;

	if (!has_table(m->db, "merge_log"))
		return 0;
	if ((st = db_stmt(m->db, SQL_FIND_MERGE, e)) == NULL)
		return e ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, m->checkout_id);
	sqlite3_bind_text(st, 2, m->hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		m->merged_at = col_dup(st, 0);
		m->merged_by = col_dup(st, 1);
	}
	sqlite3_reset(st);
	return 0;
}

int
mcopy_log(struct merge *m, const struct merge_figures *f, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	const int v[] = { f->changes, f->applied, f->merged, f->already,
	    f->conflicts, f->kept_server, f->kept_laptop, f->written,
	    f->audit_entries };
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_exec(m->db, SQL_SERVER_TABLES, e)) != 0)
		return rc;
	if ((st = db_stmt(m->db, SQL_LOG_MERGE, e)) == NULL)
		return e ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, db_new_id(m->db));
	sqlite3_bind_int64(st, 2, m->checkout_id);
	sqlite3_bind_text(st, 3, m->hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, timestamp_now(now), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, db_author(m->db), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, db_login(m->db), -1, SQLITE_TRANSIENT);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		sqlite3_bind_int(st, 7 + (int)i, v[i]);
	return db_step_done(m->db, st, e, "merge log");
}

/* --- re-base -------------------------------------------------------------- */

/* The merged laptop state as the next baseline: the image as read, less
 * its own old baseline (which would otherwise nest in every one). */
static unsigned char *
next_baseline(struct merge *m, sqlite3_int64 *n, struct serr *e)
{
	unsigned char *img = sqlite3_malloc64((sqlite3_uint64)m->lap_size);
	unsigned char *out = NULL;
	sqlite3 *h = NULL;

	if (img == NULL) {
		serr_set(e, SE_DB, "merge: out of memory");
		return NULL;
	}
	memcpy(img, m->lap_image, (size_t)m->lap_size);
	if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || sqlite3_deserialize(h, "main", img, m->lap_size,
	    m->lap_size, SQLITE_DESERIALIZE_FREEONCLOSE |
	    SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK) {
		serr_set(e, SE_DB, "merge: cannot make the new baseline");
		sqlite3_close(h);
		return NULL;
	}
	if (sqlite3_exec(h, "UPDATE merge_origin SET baseline = zeroblob(0); "
	    "VACUUM", NULL, NULL, NULL) == SQLITE_OK)
		out = image_of(h, "main", n);
	if (out == NULL)
		serr_set(e, SE_DB, "merge: cannot make the new baseline: %s",
		    sqlite3_errmsg(h));
	sqlite3_close(h);
	return out;
}

int
mcopy_rebase(struct merge *m, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st = NULL;
	unsigned char *img;
	sqlite3_int64 n = 0;
	sqlite3 *h = NULL;
	int rc;

	if ((img = next_baseline(m, &n, e)) == NULL)
		goto fail;
	if (sqlite3_open_v2(m->laptop_path, &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		goto sqlfail;
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, SQL_REBASE, -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_blob64(st, 1, img, (sqlite3_uint64)n, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, timestamp_now(now), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, m->checkout_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	if (sqlite3_changes(h) != 1) {
		serr_set(e, SE_STATE, "%s: the laptop copy was replaced "
		    "during the merge; its baseline was left alone",
		    m->laptop_path);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_close(h);
	sqlite3_free(img);
	return 0;
sqlfail:
	serr_set(e, SE_IO, "%s: the merge is saved, but the laptop copy "
	    "could not be marked as merged (%s); merging it again changes "
	    "nothing", m->laptop_path, h ? sqlite3_errmsg(h) : "out of memory");
fail:
	rc = e ? e->code : SE_IO;
	sqlite3_finalize(st);
	if (h != NULL) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(h);
	}
	sqlite3_free(img);
	return rc != 0 ? rc : SE_IO;
}
