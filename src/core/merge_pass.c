/*
 * merge_pass.c: one replay of the laptop's changes on an in-memory copy
 * of the server (merge.h has the design). The conflict handler records
 * every clash sqlite3changeset_apply_v2() meets; afterwards the records
 * left without a parent are found, the clashes become conflicts in
 * words, and on the final pass the choices are carried out on the copy,
 * whose recorded changes are what merge_apply writes to the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "merge_pass.h"
#include "xmalloc.h"

/*
 * Keys beyond the id that only one record may have, as conditions on
 * the server's record s and the laptop's l. Constant text of this file.
 */
const struct mp_ukey mp_ukeys[] = {
	{ "pupil", "UPN", "one pupil record per UPN", "s.upn = l.upn" },
	{ "intervention", "intervention name", "one intervention of a name",
	    "s.name = l.name COLLATE NOCASE" },
	{ "sen_status", "current SEN status", "one current SEN status per "
	    "pupil", "s.pupil_id = l.pupil_id AND s.end_date IS NULL AND "
	    "l.end_date IS NULL" },
	{ "cycle", "open cycle", "one open cycle per pupil", "s.pupil_id = "
	    "l.pupil_id AND s.closed_on IS NULL AND l.closed_on IS NULL" },
	{ "pupil_need", "need of this rank", "one need of each rank per pupil",
	    "s.pupil_id = l.pupil_id AND s.rank = l.rank" },
	{ "pupil_need", "need", "one of each need per pupil",
	    "s.pupil_id = l.pupil_id AND s.code = l.code" },
};
const int mp_n_ukeys = (int)(sizeof mp_ukeys / sizeof mp_ukeys[0]);

/* --- values --------------------------------------------------------------- */

bool
merge_value_eq(sqlite3_value *a, sqlite3_value *b)
{
	int ta, tb, n;

	if (a == NULL || b == NULL)
		return a == b;
	ta = sqlite3_value_type(a);
	tb = sqlite3_value_type(b);
	if (ta == SQLITE_NULL || tb == SQLITE_NULL)
		return ta == tb;
	if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER)
		return sqlite3_value_int64(a) == sqlite3_value_int64(b);
	if ((ta == SQLITE_INTEGER || ta == SQLITE_FLOAT) &&
	    (tb == SQLITE_INTEGER || tb == SQLITE_FLOAT))
		return sqlite3_value_double(a) == sqlite3_value_double(b);
	if (ta != tb)
		return false;
	if (ta == SQLITE_BLOB) {
		const void *pa = sqlite3_value_blob(a);
		const void *pb = sqlite3_value_blob(b);

		n = sqlite3_value_bytes(a);
		return n == sqlite3_value_bytes(b) &&
		    (n == 0 || memcmp(pa, pb, (size_t)n) == 0);
	}
	{
		const unsigned char *sa = sqlite3_value_text(a);
		const unsigned char *sb = sqlite3_value_text(b);

		n = sqlite3_value_bytes(a);
		return n == sqlite3_value_bytes(b) &&
		    memcmp(sa, sb, (size_t)n) == 0;
	}
}

typedef int (*iter_get)(sqlite3_changeset_iter *, int, sqlite3_value **);

/* Copies of one side of a change; caller frees with free_values. */
static sqlite3_value **
dup_values(sqlite3_changeset_iter *it, int ncol, iter_get get)
{
	sqlite3_value **v = xcalloc((size_t)ncol, sizeof *v);

	for (int c = 0; c < ncol; c++) {
		sqlite3_value *x = NULL;

		if (get(it, c, &x) == SQLITE_OK && x != NULL)
			v[c] = merge_value_dup(x);
	}
	return v;
}

static void
free_values(sqlite3_value **v, int ncol)
{
	if (v == NULL)
		return;
	for (int c = 0; c < ncol; c++)
		sqlite3_value_free(v[c]);
	free(v);
}

int64_t
mp_value_int(sqlite3_value **v, int c)
{
	return v != NULL && c >= 0 && v[c] != NULL ?
	    sqlite3_value_int64(v[c]) : 0;
}

/* --- book-keeping of a pass ----------------------------------------------- */

static struct mraw *
raw_add(struct mpass *p, enum raw_kind kind, int t, int64_t id, int op)
{
	struct mraw *r;

	if (p->nraw == p->capraw) {
		p->capraw = p->capraw ? p->capraw * 2 : 32;
		p->raw = xreallocarray(p->raw, (size_t)p->capraw,
		    sizeof *p->raw);
	}
	r = &p->raw[p->nraw++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->t = t;
	r->id = id;
	r->op = op;
	r->gt = -1;
	r->ukey = -1;
	return r;
}

struct mraw *
mp_raw_find(struct mpass *p, enum raw_kind kind, int t, int64_t id)
{
	for (int i = 0; i < p->nraw; i++)
		if (p->raw[i].kind == kind && p->raw[i].t == t &&
		    p->raw[i].id == id)
			return &p->raw[i];
	return NULL;
}

void
mp_key_add(struct mpass *p, int t, int64_t id, enum cat cat)
{
	if (p->nkeys == p->capkeys) {
		p->capkeys = p->capkeys ? p->capkeys * 2 : 64;
		p->keys = xreallocarray(p->keys, (size_t)p->capkeys,
		    sizeof *p->keys);
	}
	p->keys[p->nkeys].t = t;
	p->keys[p->nkeys].id = id;
	p->keys[p->nkeys].cat = cat;
	p->nkeys++;
}

static void
pass_free(struct mpass *p)
{
	for (int i = 0; i < p->nraw; i++) {
		int ncol = p->m->tabs[p->raw[i].t].ncol;

		free_values(p->raw[i].srv, ncol);
		free_values(p->raw[i].old, ncol);
		free_values(p->raw[i].nw, ncol);
	}
	free(p->raw);
	free(p->keys);
	free(p->seen);
}

/* The choice made for a conflict, or the fallback. */
enum merge_choice
mp_choice(struct mpass *p, enum merge_kind kind, int t, int64_t id,
    const char *col)
{
	struct merge_conflict *c = merge_conflict_find(p->m, kind,
	    p->m->tabs[t].name, id, col);

	if (c != NULL && c->choice != MERGE_UNDECIDED)
		return c->choice;
	return p->fallback;
}

/* --- the handler ---------------------------------------------------------- */

static int
on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct mpass *p = ctx;
	struct merge *m = p->m;
	sqlite3_value *pk = NULL;
	const char *tn;
	int ncol, op, ind, t;
	struct mraw *r;
	int64_t id;

	/* Records left without a parent are found after the apply. */
	if (kind == SQLITE_CHANGESET_FOREIGN_KEY)
		return SQLITE_CHANGESET_OMIT;
	sqlite3changeset_op(it, &tn, &ncol, &op, &ind);
	if ((t = mx_table(m, tn)) < 0 || ncol != m->tabs[t].ncol)
		return SQLITE_CHANGESET_ABORT;
	if (op == SQLITE_INSERT)
		sqlite3changeset_new(it, 0, &pk);
	else
		sqlite3changeset_old(it, 0, &pk);
	id = pk != NULL ? sqlite3_value_int64(pk) : 0;

	switch (kind) {
	case SQLITE_CHANGESET_DATA:
		if (op == SQLITE_UPDATE) {
			r = raw_add(p, RAW_FIELDS, t, id, op);
			r->srv = dup_values(it, ncol,
			    sqlite3changeset_conflict);
			r->old = dup_values(it, ncol, sqlite3changeset_old);
			r->nw = dup_values(it, ncol, sqlite3changeset_new);
			/* The laptop's values go in now; where the server
			 * keeps a field, the resolution puts it back. Going
			 * in now lets the rest of the changes meet the
			 * record as the laptop left it. */
			return SQLITE_CHANGESET_REPLACE;
		}
		if ((r = mp_raw_find(p, RAW_DEL_LAPTOP, t, id)) == NULL)
			r = raw_add(p, RAW_DEL_LAPTOP, t, id, op);
		r->server_changed = true;
		if (r->srv == NULL)
			r->srv = dup_values(it, ncol,
			    sqlite3changeset_conflict);
		if (p->final && mp_choice(p, MERGE_DELETED_LAPTOP, t, id,
		    "") == MERGE_KEEP_LAPTOP)
			return SQLITE_CHANGESET_REPLACE;
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_NOTFOUND:
		if (op == SQLITE_UPDATE) {
			r = raw_add(p, RAW_DEL_SERVER, t, id, op);
			r->old = dup_values(it, ncol, sqlite3changeset_old);
			r->nw = dup_values(it, ncol, sqlite3changeset_new);
		} else
			mp_key_add(p, t, id, CAT_ALREADY); /* both deleted */
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_CONFLICT: {
		/* The laptop added a record whose id is taken: merged
		 * before, or added by both from one earlier copy. */
		sqlite3_value **nv = dup_values(it, ncol, sqlite3changeset_new);
		sqlite3_value **cv = dup_values(it, ncol,
		    sqlite3changeset_conflict);
		bool same = true;

		for (int c = 0; c < ncol; c++)
			if (m->tabs[t].user[c] && !merge_value_eq(nv[c], cv[c]))
				same = false;
		if (same) {
			mp_key_add(p, t, id, CAT_ALREADY);
			free_values(nv, ncol);
			free_values(cv, ncol);
		} else {
			r = raw_add(p, RAW_INSERT_DIFF, t, id, op);
			r->nw = nv;
			r->srv = cv;
		}
		return SQLITE_CHANGESET_OMIT;
	}
	case SQLITE_CHANGESET_CONSTRAINT:
		if (op == SQLITE_DELETE) {
			/* Another record still needs it (RESTRICT). */
			if ((r = mp_raw_find(p, RAW_DEL_LAPTOP, t, id)) == NULL)
				r = raw_add(p, RAW_DEL_LAPTOP, t, id, op);
			if (r->server_added == 0)
				r->server_added = 1;
			return SQLITE_CHANGESET_OMIT;
		}
		/* A field merge whose laptop values broke a unique key is
		 * a unique clash of the whole record instead. */
		if ((r = mp_raw_find(p, RAW_FIELDS, t, id)) != NULL) {
			r->kind = RAW_UNIQUE;
			return SQLITE_CHANGESET_OMIT;
		}
		r = raw_add(p, RAW_UNIQUE, t, id, op);
		r->old = dup_values(it, ncol, sqlite3changeset_old);
		r->nw = dup_values(it, ncol, sqlite3changeset_new);
		return SQLITE_CHANGESET_OMIT;
	}
	return SQLITE_CHANGESET_OMIT;
}

/* --- walking the records -------------------------------------------------- */

struct rows {
	struct mrow *v;
	int n, cap;
};

static void
rows_add(struct rows *r, int t, int64_t id)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = xreallocarray(r->v, (size_t)r->cap, sizeof *r->v);
	}
	r->v[r->n].t = t;
	r->v[r->n].id = id;
	r->n++;
}

/* The records of table ct in schema s that point at `parent` through
 * key fk, onto r. */
static void
children(struct merge *m, const char *s, int ct, const struct mfk *fk,
    const struct mrow *parent, struct rows *r)
{
	sqlite3_stmt *st = mx_stmt(m, NULL, "SELECT id FROM %w.%w WHERE %w = ?1",
	    s, m->tabs[ct].name, m->tabs[ct].cols[fk->col]);

	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, parent->id);
	while (sqlite3_step(st) == SQLITE_ROW)
		rows_add(r, ct, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
}

int
mp_subtree(struct merge *m, const char *s, int t, int64_t id, bool all,
    struct mrow **out)
{
	struct rows r = { NULL, 0, 0 };

	if (mx_exists(m, s, t, id))
		rows_add(&r, t, id);
	/* Breadth first: r.n grows as children are found. */
	for (int i = 0; i < r.n; i++) {
		struct mrow parent = r.v[i];

		for (int ct = 0; ct < m->ntab; ct++)
			for (int k = 0; k < m->tabs[ct].nfk; k++) {
				const struct mfk *fk = &m->tabs[ct].fks[k];

				if (fk->parent == parent.t && fk->col >= 0 &&
				    !fk->set_null && (all || fk->cascade))
					children(m, s, ct, fk, &parent, &r);
			}
	}
	*out = r.v != NULL ? r.v : xmalloc(sizeof *r.v);
	return r.n;
}

/* Count per table of rows[from..n) into a fresh array; caller frees. */
int *
mp_count_rows(const struct merge *m, const struct mrow *rows, int from, int n)
{
	int *per = xcalloc((size_t)m->ntab, sizeof *per);

	for (int i = from; i < n; i++)
		per[rows[i].t]++;
	return per;
}

/*
 * From a record the server no longer has, climb (through the laptop's
 * copy) to the highest record the server deleted: the one that went
 * there, taking this one with it.
 */
void
mp_climb_deleted(struct merge *m, int *t, int64_t *id)
{
	for (int depth = 0; depth < 8; depth++) {
		bool up = false;

		for (int k = 0; k < m->tabs[*t].nfk && !up; k++) {
			const struct mfk *fk = &m->tabs[*t].fks[k];
			sqlite3_value *v;
			int64_t pid;

			if (fk->set_null || fk->parent < 0)
				continue;
			v = mx_value(m, MX_LAP, *t, *id, fk->col);
			if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL) {
				sqlite3_value_free(v);
				continue;
			}
			pid = sqlite3_value_int64(v);
			sqlite3_value_free(v);
			if (!mx_exists(m, MX_MAIN, fk->parent, pid) &&
			    mx_exists(m, MX_BASE, fk->parent, pid)) {
				*t = fk->parent;
				*id = pid;
				up = true;
			}
		}
		if (!up)
			return;
	}
}

/* --- after the apply: checks ---------------------------------------------- */

/*
 * A laptop deletion that cascades over records the server added since
 * the checkout would delete them unseen: a conflict. Checked before the
 * apply, on the topmost record the laptop deleted.
 */
static int
check_deletions(struct mpass *p, struct serr *e)
{
	struct merge *m = p->m;
	sqlite3_changeset_iter *it;
	int rc;

	rc = sqlite3changeset_start(&it, m->ncs, m->cs);
	while (rc == SQLITE_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
		sqlite3_value *pk = NULL;
		const char *tn;
		int ncol, op, ind, t, n, added = 0;
		bool under_deleted = false;
		struct mrow *rows;
		int64_t id;

		sqlite3changeset_op(it, &tn, &ncol, &op, &ind);
		if (op != SQLITE_DELETE || (t = mx_table(m, tn)) < 0)
			continue;
		sqlite3changeset_old(it, 0, &pk);
		id = pk != NULL ? sqlite3_value_int64(pk) : 0;
		for (int k = 0; k < m->tabs[t].nfk; k++) {
			const struct mfk *fk = &m->tabs[t].fks[k];
			sqlite3_value *v;

			if (!fk->cascade || fk->parent < 0)
				continue;
			v = mx_value(m, MX_BASE, t, id, fk->col);
			if (v != NULL && sqlite3_value_type(v) != SQLITE_NULL &&
			    !mx_exists(m, MX_LAP, fk->parent,
			    sqlite3_value_int64(v)))
				under_deleted = true;
			sqlite3_value_free(v);
		}
		if (under_deleted)
			continue;
		n = mp_subtree(m, MX_SRV, t, id, false, &rows);
		for (int i = 1; i < n; i++)
			if (!mx_exists(m, MX_BASE, rows[i].t, rows[i].id))
				added++;
		free(rows);
		if (added > 0) {
			struct mraw *r = raw_add(p, RAW_DEL_LAPTOP, t, id, op);

			r->server_added = added;
		}
	}
	if (rc == SQLITE_OK)
		rc = sqlite3changeset_finalize(it);
	if (rc != SQLITE_OK)
		return serr_set(e, SE_DB, "merge: cannot read the laptop's "
		    "changes: %s", sqlite3_errstr(rc));
	return 0;
}

/*
 * Records the apply left pointing at a missing record: under a record
 * the server deleted, or under a new laptop record left out by a unique
 * clash. A mere link (ON DELETE SET NULL) to a deleted record is cleared,
 * as the server itself does when it deletes one.
 */
static int
find_orphans(struct mpass *p, struct serr *e)
{
	struct merge *m = p->m;
	struct { int t; int64_t id; int fkid; } *v = NULL;
	sqlite3_stmt *st;
	int n = 0;

	if ((st = mx_stmt(m, e, "PRAGMA %w.foreign_key_check", MX_MAIN)) ==
	    NULL)
		return e ? e->code : SE_DB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int t = mx_table(m, (const char *)sqlite3_column_text(st, 0));

		if (t < 0)
			continue;
		v = xreallocarray(v, (size_t)n + 1, sizeof *v);
		v[n].t = t;
		v[n].id = sqlite3_column_int64(st, 1);
		v[n].fkid = sqlite3_column_int(st, 3);
		n++;
	}
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		const struct mtab *tab = &m->tabs[v[i].t];
		const struct mfk *fk = NULL;
		sqlite3_value *pv;
		struct mraw *r;
		int64_t pid;
		int pt;

		for (int k = 0; k < tab->nfk; k++)
			if (tab->fks[k].pragma_id == v[i].fkid)
				fk = &tab->fks[k];
		if (fk == NULL || fk->col < 0 || fk->parent < 0)
			continue;
		if (fk->set_null) {
			st = mx_stmt(m, e, "UPDATE %w.%w SET %w = NULL WHERE "
			    "id = ?1", MX_MAIN, tab->name, tab->cols[fk->col]);
			if (st == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, v[i].id);
			if (sqlite3_step(st) != SQLITE_DONE) {
				serr_set(e, SE_DB, "merge: %s",
				    sqlite3_errmsg(m->mx));
				sqlite3_reset(st);
				goto fail;
			}
			sqlite3_reset(st);
			p->links_cleared++;
			continue;
		}
		pv = mx_value(m, MX_MAIN, v[i].t, v[i].id, fk->col);
		pid = pv != NULL ? sqlite3_value_int64(pv) : 0;
		sqlite3_value_free(pv);
		pt = fk->parent;
		r = raw_add(p, RAW_ORPHAN, v[i].t, v[i].id, SQLITE_INSERT);
		if (mx_exists(m, MX_BASE, pt, pid)) {
			mp_climb_deleted(m, &pt, &pid);
			r->gt = pt;
			r->gid = pid;
		} else {
			r->gt = pt;
			r->gid = pid;
			r->new_parent = true;
		}
	}
	free(v);
	return 0;
fail:
	free(v);
	return e ? e->code : SE_DB;
}

/* The server record a unique clash is with, and whether the two are the
 * same (then there is nothing to choose). */
void
mp_find_clash(struct mpass *p, struct mraw *r)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	struct mrow *rows;
	int n;

	for (int k = 0; k < mp_n_ukeys && r->gt < 0; k++) {
		sqlite3_stmt *st;

		if (strcmp(mp_ukeys[k].table, tab->name) != 0)
			continue;
		st = mx_stmt(m, NULL, "SELECT s.id FROM %w.%w AS s, %w.%w AS l "
		    "WHERE l.id = ?1 AND s.id <> l.id AND (%s) LIMIT 1",
		    MX_MAIN, tab->name, MX_LAP, tab->name, mp_ukeys[k].match);
		if (st == NULL)
			continue;
		sqlite3_bind_int64(st, 1, r->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			r->gt = r->t;
			r->gid = sqlite3_column_int64(st, 0);
			r->ukey = k;
		}
		sqlite3_reset(st);
	}
	if (r->gt < 0 || r->op != SQLITE_INSERT)
		return;
	r->same = true;
	for (int c = 0; c < tab->ncol && r->same; c++) {
		sqlite3_value *a, *b;

		if (!tab->user[c])
			continue;
		a = mx_value(m, MX_LAP, r->t, r->id, c);
		b = mx_value(m, MX_MAIN, r->t, r->gid, c);
		r->same = merge_value_eq(a, b);
		sqlite3_value_free(a);
		sqlite3_value_free(b);
	}
	n = mp_subtree(m, MX_LAP, r->t, r->id, true, &rows);
	if (n > 1)
		r->same = false;
	free(rows);
}

/* --- the pass ------------------------------------------------------------- */

/* Copy the server caseload into main and srv of mx, without its
 * triggers (the scratch copy has no audit; the server's own triggers
 * record what the merge writes there). */
static int
load_server(struct merge *m, struct serr *e)
{
	sqlite3_int64 n = 0;
	unsigned char *img = sqlite3_serialize(db_handle(m->db), "main", &n, 0);
	unsigned char *copy;
	sqlite3_stmt *st;
	char **names = NULL;
	int nn = 0, rc;

	if (img == NULL)
		return serr_set(e, SE_DB, "merge: cannot read %s into memory",
		    db_path(m->db));
	if ((copy = sqlite3_malloc64((sqlite3_uint64)n)) == NULL) {
		sqlite3_free(img);
		return serr_set(e, SE_DB, "merge: out of memory");
	}
	memcpy(copy, img, (size_t)n);
	if ((rc = mx_load(m, MX_MAIN, img, n, e)) != 0) {
		sqlite3_free(copy);
		return rc;
	}
	if ((rc = mx_load(m, MX_SRV, copy, n, e)) != 0)
		return rc;
	if ((st = mx_stmt(m, e, "SELECT name FROM %w.sqlite_schema WHERE "
	    "type = 'trigger'", MX_MAIN)) == NULL)
		return e ? e->code : SE_DB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		names = xreallocarray(names, (size_t)nn + 1, sizeof *names);
		names[nn++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	for (int i = 0; i < nn; i++) {
		char *sql = sqlite3_mprintf("DROP TRIGGER %w.%w", MX_MAIN,
		    names[i]);

		if (rc == 0)
			rc = mx_exec(m, sql, e);
		sqlite3_free(sql);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
merge_pass(struct merge *m, bool final, enum merge_choice fallback,
    struct merge_figures *f, void **cs, int *ncs, struct serr *e)
{
	struct mpass p;
	sqlite3_session *s = NULL;
	int rc;

	memset(&p, 0, sizeof p);
	p.m = m;
	p.final = final;
	p.fallback = fallback;
	if (cs != NULL) {
		*cs = NULL;
		*ncs = 0;
	}
	if (!final) {
		/* A fresh list from this look at the server. */
		for (int i = 0; i < m->nconf; i++)
			mw_conflict_free(&m->conf[i]);
		m->nconf = 0;
	}
	if ((rc = load_server(m, e)) != 0)
		return rc;
	if (final && (sqlite3session_create(m->mx, MX_MAIN, &s) != SQLITE_OK ||
	    sqlite3session_attach(s, NULL) != SQLITE_OK)) {
		rc = serr_set(e, SE_DB, "merge: cannot record the merge: %s",
		    sqlite3_errmsg(m->mx));
		goto out;
	}
	if ((rc = mx_exec(m, "BEGIN", e)) != 0)
		goto out;
	if ((rc = check_deletions(&p, e)) != 0)
		goto rollback;
	rc = sqlite3changeset_apply_v2(m->mx, m->ncs, m->cs, NULL, on_conflict,
	    &p, NULL, NULL, 0);
	if (rc != SQLITE_OK) {
		rc = serr_set(e, SE_DB, "merge: cannot replay the laptop's "
		    "changes: %s", sqlite3_errmsg(m->mx));
		goto rollback;
	}
	/* Records may point at missing ones until the choices are made. */
	if ((rc = mx_exec(m, "PRAGMA defer_foreign_keys = ON", e)) != 0 ||
	    (rc = find_orphans(&p, e)) != 0 ||
	    (rc = mp_build(&p, e)) != 0)
		goto rollback;
	if (final && p.undecided > 0) {
		rc = serr_set(e, SE_CONFLICT, "merge: the caseload changed "
		    "since the merge was prepared: %d new conflict%s need%s a "
		    "choice; nothing was merged", p.undecided,
		    p.undecided == 1 ? "" : "s", p.undecided == 1 ? "s" : "");
		goto rollback;
	}
	if (final && (rc = mp_resolve(&p, e)) != 0)
		goto rollback;
	if ((rc = mp_drop_stray_audit(&p, e)) != 0)
		goto rollback;
	if (final && (rc = mp_check_result(&p, e)) != 0)
		goto rollback;
	mp_figures(&p, f);
	if (final) {
		if (sqlite3session_changeset(s, ncs, cs) != SQLITE_OK) {
			rc = serr_set(e, SE_DB, "merge: cannot record the "
			    "merge: %s", sqlite3_errmsg(m->mx));
			goto rollback;
		}
		mp_count_written(m, *cs, *ncs, f);
	}
rollback:
	/* The scratch copy is only ever read through the session. */
	sqlite3_exec(m->mx, "ROLLBACK", NULL, NULL, NULL);
out:
	if (s != NULL)
		sqlite3session_delete(s);
	pass_free(&p);
	if (rc != 0 && cs != NULL && *cs != NULL) {
		sqlite3_free(*cs);
		*cs = NULL;
		*ncs = 0;
	}
	return rc;
}
