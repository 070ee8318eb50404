/*
 * merge.c: merging a laptop copy back into the caseload (merge.h has the
 * design): the scratch connection, the laptop's changeset, merge_prepare
 * and merge_apply. A pass that replays the changeset is merge_pass.c;
 * its findings become conflicts in merge_conflict.c and the choices are
 * carried out in merge_resolve.c; the files are merge_copy.c.
 *
 * The SQL on the scratch connection is built at run time from the
 * caseload's own table and column names (read from its schema, never from
 * user text), because the merge treats every table alike; values are
 * always bound.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "date.h"
#include "merge_int.h"
#include "schema.h"
#include "xmalloc.h"

/*
 * The words for each table (tables not listed use their own name), and
 * how a record is told apart: "<label><pre><detail><post>", e.g.
 * cycle from 2026-01-15, target “Read 50 words”, note on 2026-01-12.
 */
static const struct {
	const char *name, *label, *plural, *detail, *pre, *post;
} table_words[] = {
	{ "pupil", "pupil record", "pupil records", NULL, "", "" },
	{ "sen_status", "SEN status", "SEN status entries", "status", " ", "" },
	{ "pupil_need", "need", "needs", "code", " ", "" },
	{ "cycle", "cycle", "cycles", "plan_start", " from ", "" },
	{ "target", "target", "targets", "text", " “", "”" },
	{ "rating", "rating", "ratings", "rated_on", " on ", "" },
	{ "intervention", "intervention", "interventions", "name", " “", "”" },
	{ "enrolment", "intervention enrolment", "intervention enrolments",
	    "start_date", " from ", "" },
	{ "agency_involvement", "agency involvement", "agency involvements",
	    "agency", " “", "”" },
	{ "exclusion", "exclusion", "exclusions", "excluded_on", " on ", "" },
	{ "note", "note", "notes", "noted_on", " on ", "" },
	{ "audit", "audit entry", "audit entries", NULL, "", "" },
};

/* Columns every record has that say who changed it and when: they never
 * conflict (see merge.h). */
static const char *const bookkeeping[] = {
	"id", "created_at", "updated_at", "version", "changed_by",
};

/* --- the scratch connection ----------------------------------------------- */

sqlite3_stmt *
mx_stmt(struct merge *m, struct serr *e, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	char *sql;
	int rc;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sql == NULL) {
		serr_set(e, SE_DB, "merge: out of memory");
		return NULL;
	}
	for (int i = 0; i < m->nstmt; i++)
		if (strcmp(m->stmts[i].sql, sql) == 0) {
			sqlite3_free(sql);
			st = m->stmts[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	rc = sqlite3_prepare_v2(m->mx, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		serr_set(e, SE_DB, "merge: %s", sqlite3_errmsg(m->mx));
		sqlite3_free(sql);
		return NULL;
	}
	if (m->nstmt == m->capstmt) {
		m->capstmt = m->capstmt ? m->capstmt * 2 : 64;
		m->stmts = xreallocarray(m->stmts, (size_t)m->capstmt,
		    sizeof *m->stmts);
	}
	m->stmts[m->nstmt].sql = xstrdup(sql);
	m->stmts[m->nstmt].st = st;
	m->nstmt++;
	sqlite3_free(sql);
	return st;
}

/* Forget every cached statement (before a database is replaced). */
static void
mx_forget(struct merge *m)
{
	for (int i = 0; i < m->nstmt; i++) {
		sqlite3_finalize(m->stmts[i].st);
		free(m->stmts[i].sql);
	}
	m->nstmt = 0;
}

int
mx_exec(struct merge *m, const char *sql, struct serr *e)
{
	if (sqlite3_exec(m->mx, sql, NULL, NULL, NULL) != SQLITE_OK)
		return serr_set(e, SE_DB, "merge: %s", sqlite3_errmsg(m->mx));
	return 0;
}

bool
mx_exists(struct merge *m, const char *s, int t, int64_t id)
{
	sqlite3_stmt *st = mx_stmt(m, NULL, "SELECT 1 FROM %w.%w WHERE id = ?1",
	    s, m->tabs[t].name);
	bool found;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, id);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

sqlite3_value *
mx_value(struct merge *m, const char *s, int t, int64_t id, int c)
{
	sqlite3_stmt *st;
	sqlite3_value *v = NULL;

	if (c < 0 || c >= m->tabs[t].ncol)
		return NULL;
	st = mx_stmt(m, NULL, "SELECT %w FROM %w.%w WHERE id = ?1",
	    m->tabs[t].cols[c], s, m->tabs[t].name);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = merge_value_dup(sqlite3_column_value(st, 0));
	sqlite3_reset(st);
	return v;
}

int
mx_table(const struct merge *m, const char *name)
{
	for (int i = 0; i < m->ntab; i++)
		if (strcmp(m->tabs[i].name, name) == 0)
			return i;
	return -1;
}

int
mx_column(const struct mtab *t, const char *name)
{
	for (int i = 0; i < t->ncol; i++)
		if (strcmp(t->cols[i], name) == 0)
			return i;
	return -1;
}

sqlite3_value *
merge_value_dup(const sqlite3_value *v)
{
	sqlite3_value *d;

	if (v == NULL)
		return NULL;
	if ((d = sqlite3_value_dup(v)) == NULL) {
		/* As the xmalloc family does. */
		fputs("senco: out of memory\n", stderr);
		exit(1);
	}
	return d;
}

static int
mx_open(struct merge *m, struct serr *e)
{
	int rc = sqlite3_open_v2(":memory:", &m->mx,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc != SQLITE_OK)
		return serr_set(e, SE_DB, "merge: cannot open a scratch "
		    "database: %s", sqlite3_errstr(rc));
	sqlite3_extended_result_codes(m->mx, 1);
	/* Cascades as on the server, so the work in memory is what the
	 * server will do. */
	return mx_exec(m, "PRAGMA foreign_keys = ON;"
	    "ATTACH ':memory:' AS " MX_SRV ";"
	    "ATTACH ':memory:' AS " MX_LAP ";"
	    "ATTACH ':memory:' AS " MX_BASE ";", e);
}

int
mx_load(struct merge *m, const char *schema, unsigned char *img,
    sqlite3_int64 n, struct serr *e)
{
	int rc;

	mx_forget(m);
	mcopy_unwal(img, n);
	rc = sqlite3_deserialize(m->mx, schema, img, n, n,
	    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
	if (rc != SQLITE_OK)
		return serr_set(e, SE_DB, "merge: cannot read a copy into "
		    "memory: %s", sqlite3_errstr(rc));
	return 0;
}

/* --- the caseload's tables ------------------------------------------------ */

static int
load_columns(struct merge *m, struct mtab *t, struct serr *e)
{
	sqlite3_stmt *st = mx_stmt(m, e, "PRAGMA %w.table_info(%Q)", MX_LAP,
	    t->name);
	int cap = 0;

	if (st == NULL)
		return e ? e->code : SE_DB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (t->ncol == cap) {
			cap = cap ? cap * 2 : 16;
			t->cols = xreallocarray(t->cols, (size_t)cap,
			    sizeof *t->cols);
			t->user = xreallocarray(t->user, (size_t)cap,
			    sizeof *t->user);
		}
		snprintf(t->cols[t->ncol], MERGE_NAME_MAX, "%s", name);
		t->user[t->ncol] = true;
		for (size_t b = 0; b < sizeof bookkeeping / sizeof *bookkeeping;
		    b++)
			if (strcmp(name, bookkeeping[b]) == 0)
				t->user[t->ncol] = false;
		t->ncol++;
	}
	sqlite3_reset(st);
	if (t->ncol == 0 || strcmp(t->cols[0], "id") != 0)
		return serr_set(e, SE_DB, "%s: the laptop copy has no table %s "
		    "as this senco knows it", m->laptop_path, t->name);
	t->c_version = mx_column(t, "version");
	t->c_updated = mx_column(t, "updated_at");
	t->c_changed_by = mx_column(t, "changed_by");
	t->c_detail = t->detail_col ? mx_column(t, t->detail_col) : -1;
	return 0;
}

static int
load_keys(struct merge *m, struct mtab *t, struct serr *e)
{
	sqlite3_stmt *st = mx_stmt(m, e, "PRAGMA %w.foreign_key_list(%Q)",
	    MX_LAP, t->name);

	if (st == NULL)
		return e ? e->code : SE_DB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *parent = (const char *)sqlite3_column_text(st, 2);
		const char *from = (const char *)sqlite3_column_text(st, 3);
		const char *del = (const char *)sqlite3_column_text(st, 6);
		struct mfk *fk;

		t->fks = xreallocarray(t->fks, (size_t)t->nfk + 1,
		    sizeof *t->fks);
		fk = &t->fks[t->nfk++];
		fk->pragma_id = sqlite3_column_int(st, 0);
		fk->col = mx_column(t, from ? from : "");
		fk->parent = mx_table(m, parent ? parent : "");
		fk->cascade = del != NULL && strcmp(del, "CASCADE") == 0;
		fk->set_null = del != NULL && strcmp(del, "SET NULL") == 0;
	}
	sqlite3_reset(st);
	return 0;
}

/* The caseload tables in the order their changes are taken (parents
 * first), then the audit trail. */
static int
load_tables(struct merge *m, struct serr *e)
{
	int rc;

	m->ntab = schema_audited_count + 1;
	m->tabs = xcalloc((size_t)m->ntab, sizeof *m->tabs);
	for (int i = 0; i < m->ntab; i++) {
		struct mtab *t = &m->tabs[i];

		snprintf(t->name, sizeof t->name, "%s", i < schema_audited_count ?
		    schema_audited[i].name : "audit");
		t->label = t->plural = t->name;
		t->detail_pre = t->detail_post = "";
		for (size_t w = 0; w < sizeof table_words / sizeof *table_words;
		    w++)
			if (strcmp(t->name, table_words[w].name) == 0) {
				t->label = table_words[w].label;
				t->plural = table_words[w].plural;
				t->detail_col = table_words[w].detail;
				t->detail_pre = table_words[w].pre;
				t->detail_post = table_words[w].post;
			}
		if ((rc = load_columns(m, t, e)) != 0)
			return rc;
	}
	/* Keys after all tables are known, so parents resolve. */
	for (int i = 0; i < m->ntab; i++)
		if ((rc = load_keys(m, &m->tabs[i], e)) != 0)
			return rc;
	return 0;
}

/* --- the laptop's changes ------------------------------------------------- */

/*
 * The laptop's deletions of audit rows are not merged: the trail on the
 * server is only ever pruned by a retention purge there. Put them back in
 * the laptop image before the diff.
 */
static int
keep_audit(struct merge *m, struct serr *e)
{
	int rc = mx_exec(m, "INSERT INTO " MX_LAP ".audit SELECT * FROM "
	    MX_BASE ".audit b WHERE NOT EXISTS (SELECT 1 FROM " MX_LAP
	    ".audit l WHERE l.id = b.id)", e);

	if (rc == 0)
		m->audit_kept = sqlite3_changes(m->mx);
	return rc;
}

static int
take_changes(struct merge *m, struct serr *e)
{
	sqlite3_session *s = NULL;
	unsigned char hash[32];
	char *err = NULL;
	int rc;

	rc = sqlite3session_create(m->mx, MX_LAP, &s);
	for (int i = 0; rc == SQLITE_OK && i < m->ntab; i++) {
		rc = sqlite3session_attach(s, m->tabs[i].name);
		if (rc == SQLITE_OK)
			rc = sqlite3session_diff(s, MX_BASE, m->tabs[i].name,
			    &err);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3session_changeset(s, &m->ncs, &m->cs);
	sqlite3session_delete(s);
	if (rc != SQLITE_OK) {
		serr_set(e, SE_DB, "%s: cannot work out the laptop's changes: "
		    "%s", m->laptop_path, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		return e ? e->code : SE_DB;
	}
	/* The hash names these exact changes in the merge log. */
	crypto_generichash(hash, sizeof hash, m->cs, (unsigned long long)m->ncs,
	    NULL, 0);
	for (size_t i = 0; i < sizeof hash; i++)
		snprintf(m->hash + 2 * i, 3, "%02x", hash[i]);
	return 0;
}

/* Count the changes per table for merge_info. */
static int
count_changes(struct merge *m, struct serr *e)
{
	sqlite3_changeset_iter *it;
	int *add = xcalloc((size_t)m->ntab, sizeof *add);
	int *chg = xcalloc((size_t)m->ntab, sizeof *chg);
	int *del = xcalloc((size_t)m->ntab, sizeof *del);
	int rc;

	rc = sqlite3changeset_start(&it, m->ncs, m->cs);
	while (rc == SQLITE_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tn;
		int ncol, op, ind, t;

		sqlite3changeset_op(it, &tn, &ncol, &op, &ind);
		/* The laptop's audit rows are not merged (not_audit). */
		if ((t = mx_table(m, tn)) < 0 || strcmp(tn, "audit") == 0)
			continue;
		if (op == SQLITE_INSERT)
			add[t]++;
		else if (op == SQLITE_UPDATE)
			chg[t]++;
		else
			del[t]++;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3changeset_finalize(it);
	for (int t = 0; t < m->ntab; t++) {
		struct merge_table_count *c;

		if (add[t] + chg[t] + del[t] == 0)
			continue;
		m->counts = xreallocarray(m->counts, (size_t)m->ncounts + 1,
		    sizeof *m->counts);
		c = &m->counts[m->ncounts++];
		c->table = m->tabs[t].name;
		c->label = m->tabs[t].label;
		c->added = add[t];
		c->changed = chg[t];
		c->deleted = del[t];
	}
	free(add);
	free(chg);
	free(del);
	if (rc != SQLITE_OK)
		return serr_set(e, SE_DB, "%s: cannot read the laptop's "
		    "changes: %s", m->laptop_path, sqlite3_errstr(rc));
	return 0;
}

/* --- conflicts ------------------------------------------------------------ */

struct merge_conflict *
merge_conflict_add(struct merge *m)
{
	if (m->nconf == m->capconf) {
		m->capconf = m->capconf ? m->capconf * 2 : 16;
		m->conf = xreallocarray(m->conf, (size_t)m->capconf,
		    sizeof *m->conf);
	}
	memset(&m->conf[m->nconf], 0, sizeof m->conf[0]);
	return &m->conf[m->nconf++];
}

struct merge_conflict *
merge_conflict_find(struct merge *m, enum merge_kind kind, const char *table,
    int64_t id, const char *column)
{
	for (int i = 0; i < m->nconf; i++) {
		struct merge_conflict *c = &m->conf[i];

		if (c->kind == kind && c->row_id == id &&
		    strcmp(c->table, table) == 0 &&
		    strcmp(c->column, column ? column : "") == 0)
			return c;
	}
	return NULL;
}

struct merge_conflict *
merge_conflicts(struct merge *m, int *n)
{
	*n = m->nconf;
	return m->conf;
}

int
merge_choice_parse(const char *s, enum merge_choice *out, struct serr *e)
{
	if (s != NULL && strcmp(s, "server") == 0)
		*out = MERGE_KEEP_SERVER;
	else if (s != NULL && strcmp(s, "laptop") == 0)
		*out = MERGE_KEEP_LAPTOP;
	else
		return serr_set(e, SE_INVALID, "'%s': keep either 'server' or "
		    "'laptop'", s ? s : "");
	return 0;
}

/* --- prepare -------------------------------------------------------------- */

/* Conflicts grouped by pupil, then by record and field, so a list reads
 * pupil by pupil. */
static int
cmp_conflict(const void *a, const void *b)
{
	const struct merge_conflict *x = a, *y = b;
	int c;

	if ((x->pupil == NULL) != (y->pupil == NULL))
		return x->pupil == NULL ? 1 : -1;
	if (x->pupil != NULL && (c = strcmp(x->pupil, y->pupil)) != 0)
		return c;
	if ((c = strcmp(x->table, y->table)) != 0)
		return c;
	if (x->row_id != y->row_id)
		return x->row_id < y->row_id ? -1 : 1;
	return strcmp(x->column, y->column);
}

static void
fill_info(struct merge *m)
{
	struct merge_info *i = &m->info;

	i->laptop_path = m->laptop_path;
	i->checkout_id = m->checkout_id;
	i->server_file = m->server_file;
	i->taken_at = m->taken_at;
	i->taken_by = m->taken_by;
	i->subset = m->subset;
	i->schema_version = DB_SCHEMA_VERSION;
	i->already_merged = m->merged_at != NULL;
	i->merged_at = m->merged_at;
	i->merged_by = m->merged_by;
	i->tables = m->counts;
	i->n_tables = m->ncounts;
}

/* The same file as the caseload (by device and inode, so a second path
 * to it is caught too). */
static bool
same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;

	free(ra);
	free(rb);
	return same;
}

/*
 * Who the merge's writes are audited as: the user running the merge,
 * with a note that the change came from the laptop copy. A name too long
 * for both loses its end, never the note: the trail must say where a
 * change came from.
 */
static void
merge_author(struct merge *m, const char *author)
{
	char name[sizeof m->author - sizeof MERGE_AUTHOR_NOTE + 1];

	strlcpy_utf8(name, author, sizeof name);
	snprintf(m->author, sizeof m->author, "%s" MERGE_AUTHOR_NOTE, name);
}

int
merge_prepare(struct db *db, const char *laptop_path, struct merge **out,
    struct serr *e)
{
	struct merge *m;
	int rc;

	*out = NULL;
	if (laptop_path == NULL || *laptop_path == '\0')
		return serr_set(e, SE_INVALID, "merge: no laptop copy given");
	if (same_file(laptop_path, db_path(db)))
		return serr_set(e, SE_INVALID, "%s: that is the caseload "
		    "itself, not a laptop copy of it", laptop_path);
	if (sodium_init() < 0)
		return serr_set(e, SE_DB, "merge: libsodium could not start");
	m = xcalloc(1, sizeof *m);
	m->db = db;
	m->laptop_path = xstrdup(laptop_path);
	merge_author(m, db_author(db));

	if ((rc = mx_open(m, e)) != 0 ||
	    (rc = mcopy_read(m, laptop_path, e)) != 0 ||
	    (rc = load_tables(m, e)) != 0 ||
	    (rc = mcopy_check_server(m, e)) != 0 ||
	    (rc = keep_audit(m, e)) != 0 ||
	    (rc = take_changes(m, e)) != 0 ||
	    (rc = count_changes(m, e)) != 0)
		goto fail;
	/* Now that the hash is known: merged before? */
	if ((rc = mcopy_check_merged(m, e)) != 0)
		goto fail;
	if (m->ncs > 0 && m->merged_at == NULL &&
	    (rc = merge_pass(m, false, MERGE_UNDECIDED, &m->info.figures, NULL,
	    NULL, e)) != 0)
		goto fail;
	if (m->nconf > 1)
		qsort(m->conf, (size_t)m->nconf, sizeof *m->conf,
		    cmp_conflict);
	fill_info(m);
	*out = m;
	return 0;
fail:
	merge_free(m);
	return rc;
}

const struct merge_info *
merge_info(const struct merge *m)
{
	return &m->info;
}

/* --- apply ---------------------------------------------------------------- */

/*
 * Hook: rebuild the full-text index after a merge. The session extension
 * does not record virtual tables, so an FTS index (none exists yet) would
 * miss the merged rows; when one is added, rebuild it here, e.g.
 * "INSERT INTO note_fts(note_fts) VALUES ('rebuild')". Runs inside the
 * merge transaction.
 */
static int
merge_rebuild_fulltext(struct db *db, struct serr *e)
{
	(void)db;
	(void)e;
	return 0;
}

struct strict {
	char table[MERGE_NAME_MAX];
	int kind;
};

/* Whether every column the change sets already has its new value in the
 * conflicting row: then the change is there already. */
static bool
already_there(sqlite3_changeset_iter *it, int ncol)
{
	for (int c = 0; c < ncol; c++) {
		sqlite3_value *nv = NULL, *cv = NULL;

		if (sqlite3changeset_new(it, c, &nv) != SQLITE_OK || nv == NULL)
			continue;
		if (sqlite3changeset_conflict(it, c, &cv) != SQLITE_OK ||
		    !merge_value_eq(nv, cv))
			return false;
	}
	return true;
}

/*
 * The resolved changes were worked out on a copy of the server taken in
 * this same transaction, so they apply cleanly. The only clashes that can
 * arise are the server's own cascades doing a step first (a child row
 * already deleted, a link already cleared); anything else stops the merge.
 */
static int
strict_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct strict *s = ctx;
	const char *tn = "";
	int ncol = 0, op = 0, ind;

	if (kind != SQLITE_CHANGESET_FOREIGN_KEY)
		sqlite3changeset_op(it, &tn, &ncol, &op, &ind);
	if (kind == SQLITE_CHANGESET_NOTFOUND && op == SQLITE_DELETE)
		return SQLITE_CHANGESET_OMIT;
	if ((kind == SQLITE_CHANGESET_DATA && op == SQLITE_UPDATE) ||
	    (kind == SQLITE_CHANGESET_CONFLICT && op == SQLITE_INSERT))
		if (already_there(it, ncol))
			return SQLITE_CHANGESET_OMIT;
	snprintf(s->table, sizeof s->table, "%s", tn);
	s->kind = kind;
	return SQLITE_CHANGESET_ABORT;
}

/*
 * The laptop's own audit rows stay on the laptop: the server's triggers
 * write one row for every record the merge writes, as the user running
 * it (merge_author), so a merged change is in the trail once. Bringing
 * the laptop's rows too would tell every change twice.
 */
static int
not_audit(void *ctx, const char *table)
{
	(void)ctx;
	return strcmp(table, "audit") != 0;
}

static const char SQL_AUDIT_LAST[] =
    "SELECT coalesce(max(seq), 0) FROM audit";
static const char SQL_AUDIT_SINCE[] =
    "SELECT count(*) FROM audit WHERE seq > ?1";

/* The audit trail's last sequence number (since: 0) or the rows after
 * since, into *n. */
static int
audit_rows(struct merge *m, int64_t since, int64_t *n, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(m->db, since < 0 ? SQL_AUDIT_LAST :
	    SQL_AUDIT_SINCE, e);
	int rc;

	if (st == NULL)
		return e ? e->code : SE_DB;
	if (since >= 0)
		sqlite3_bind_int64(st, 1, since);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(m->db, rc, e, "merge");
}

static int
apply_to_server(struct merge *m, void *cs, int ncs, struct
    merge_figures *f, struct serr *e)
{
	struct strict s = { "", 0 };
	char author[64];
	int64_t seq, n;
	int rc;

	if ((rc = audit_rows(m, -1, &seq, e)) != 0)
		return rc;
	snprintf(author, sizeof author, "%s", db_author(m->db));
	db_set_author(m->db, m->author);
	rc = sqlite3changeset_apply_v2(db_handle(m->db), ncs, cs, not_audit,
	    strict_conflict, &s, NULL, NULL, 0);
	db_set_author(m->db, author);
	if (rc == SQLITE_OK) {
		if ((rc = audit_rows(m, seq, &n, e)) != 0)
			return rc;
		f->audit_entries = (int)n;
		return 0;
	}
	if (s.kind != 0)
		return serr_set(e, SE_DB, "merge: the merged changes did not "
		    "apply to the %s records of %s; nothing was merged",
		    s.table, db_path(m->db));
	return db_fail(m->db, rc, e, "merge");
}

int
merge_apply(struct merge *m, enum merge_choice fallback,
    struct merge_figures *figures, char *warning, size_t n, struct serr *e)
{
	struct merge_figures f;
	struct serr re;
	void *cs = NULL;
	int ncs = 0, rc, undecided = 0;

	memset(&f, 0, sizeof f);
	if (warning != NULL && n > 0)
		warning[0] = '\0';
	if (figures != NULL)
		memset(figures, 0, sizeof *figures);
	if (m->ncs == 0 || m->merged_at != NULL) {
		/* Nothing to do; a copy merged before but not re-based
		 * catches up now. */
		serr_clear(&re);
		if (m->merged_at != NULL && mcopy_rebase(m, &re) != 0 &&
		    warning != NULL)
			snprintf(warning, n, "%s", re.msg);
		return 0;
	}
	/* One user action of its own: the re-base follows the commit. */
	if (db_in_transaction(m->db))
		return serr_set(e, SE_STATE, "merge: cannot run inside another "
		    "change; nothing was merged");
	for (int i = 0; i < m->nconf; i++)
		if (m->conf[i].choice == MERGE_UNDECIDED)
			undecided++;
	if (undecided > 0 && fallback == MERGE_UNDECIDED)
		return serr_set(e, SE_STATE, "merge: %d conflict%s still "
		    "need%s a choice (keep server or keep laptop); nothing was "
		    "merged", undecided, undecided == 1 ? "" : "s",
		    undecided == 1 ? "s" : "");

	if ((rc = db_begin(m->db, e)) != 0)
		return rc;
	rc = merge_pass(m, true, fallback, &f, &cs, &ncs, e);
	f.audit_entries = 0;
	if (rc == 0 && ncs > 0)
		rc = apply_to_server(m, cs, ncs, &f, e);
	if (rc == 0)
		rc = merge_rebuild_fulltext(m->db, e);
	if (rc == 0)
		rc = mcopy_log(m, &f, e);
	sqlite3_free(cs);
	if (rc != 0) {
		db_rollback(m->db);
		return rc;
	}
	if ((rc = db_commit(m->db, e)) != 0)
		return rc;
	if (figures != NULL)
		*figures = f;
	serr_clear(&re);
	if (mcopy_rebase(m, &re) != 0 && warning != NULL)
		snprintf(warning, n, "%s", re.msg);
	return 0;
}

void
merge_free(struct merge *m)
{
	if (m == NULL)
		return;
	mx_forget(m);
	free(m->stmts);
	if (m->mx != NULL)
		sqlite3_close(m->mx);
	for (int i = 0; i < m->ntab; i++) {
		free(m->tabs[i].cols);
		free(m->tabs[i].user);
		free(m->tabs[i].fks);
	}
	free(m->tabs);
	for (int i = 0; i < m->nconf; i++)
		mw_conflict_free(&m->conf[i]);
	free(m->conf);
	free(m->counts);
	sqlite3_free(m->cs);
	sqlite3_free(m->lap_image);
	free(m->laptop_path);
	free(m->server_file);
	free(m->taken_at);
	free(m->taken_by);
	free(m->subset);
	free(m->merged_at);
	free(m->merged_by);
	free(m);
}
