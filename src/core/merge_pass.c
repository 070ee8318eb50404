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
#include "merge_int.h"
#include "xmalloc.h"

/* What the handler and the checks after it found about one record. */
enum raw_kind {
	RAW_FIELDS,		/* changed on both sides: merge field by field */
	RAW_INSERT_DIFF,	/* added by the laptop, already there, different */
	RAW_DEL_LAPTOP,		/* deleted by the laptop, changed on the server */
	RAW_DEL_SERVER,		/* changed by the laptop, deleted on the server */
	RAW_ORPHAN,		/* added by the laptop under a missing record */
	RAW_UNIQUE,		/* clashes with another record's unique key */
};

/* How a change of the laptop fared, worst last (for the figures). */
enum cat { CAT_APPLIED, CAT_ALREADY, CAT_MERGED, CAT_CONFLICT };

struct mraw {
	enum raw_kind kind;
	int t;
	int64_t id;
	int op;
	/* ncol values each; an entry is NULL where the change has none */
	sqlite3_value **srv, **old, **nw;
	int64_t server_added;	/* DEL_LAPTOP: records added under it */
	bool server_changed;	/* DEL_LAPTOP: the record itself changed */
	/* DEL_SERVER, ORPHAN: the record deleted on the server (or, with
	 * new_parent, the laptop's new record it belongs under); UNIQUE: the
	 * server's record it clashes with (gt -1: not found). */
	int gt;
	int64_t gid;
	bool new_parent;
	int ukey;		/* UNIQUE: index in ukeys, -1 unknown */
	bool same;		/* UNIQUE: identical, nothing under it */
};

struct mkey {
	int t;
	int64_t id;
	enum cat cat;
};

struct mrow {
	int t;
	int64_t id;
};

struct mpass {
	struct merge *m;
	bool final;
	enum merge_choice fallback;
	struct mraw *raw;
	int nraw, capraw;
	struct mkey *keys;
	int nkeys, capkeys;
	int *seen;		/* indexes into m->conf met in this pass */
	int nseen;
	int links_cleared, audit_dropped, undecided;
};

/*
 * Keys beyond the id that only one record may have, as conditions on
 * the server's record s and the laptop's l. Constant text of this file.
 */
static const struct {
	const char *table;
	const char *label;
	const char *match;
} ukeys[] = {
	{ "pupil", "UPN", "s.upn = l.upn" },
	{ "intervention", "intervention name", "s.name = l.name COLLATE NOCASE" },
	{ "sen_status", "current SEN status", "s.pupil_id = l.pupil_id AND "
	    "s.end_date IS NULL AND l.end_date IS NULL" },
	{ "cycle", "open cycle", "s.pupil_id = l.pupil_id AND "
	    "s.closed_on IS NULL AND l.closed_on IS NULL" },
	{ "pupil_need", "need of this rank", "s.pupil_id = l.pupil_id AND "
	    "s.rank = l.rank" },
	{ "pupil_need", "need", "s.pupil_id = l.pupil_id AND s.code = l.code" },
};
#define N_UKEYS ((int)(sizeof ukeys / sizeof ukeys[0]))

/* --- values ---------------------------------------------------------------------- */

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
		const void *pa = sqlite3_value_blob(a), *pb = sqlite3_value_blob(b);

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

static int64_t
value_int(sqlite3_value **v, int c)
{
	return v != NULL && c >= 0 && v[c] != NULL ?
	    sqlite3_value_int64(v[c]) : 0;
}

/* --- book-keeping of a pass -------------------------------------------------------- */

static struct mraw *
raw_add(struct mpass *p, enum raw_kind kind, int t, int64_t id, int op)
{
	struct mraw *r;

	if (p->nraw == p->capraw) {
		p->capraw = p->capraw ? p->capraw * 2 : 32;
		p->raw = xreallocarray(p->raw, (size_t)p->capraw, sizeof *p->raw);
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

static struct mraw *
raw_find(struct mpass *p, enum raw_kind kind, int t, int64_t id)
{
	for (int i = 0; i < p->nraw; i++)
		if (p->raw[i].kind == kind && p->raw[i].t == t &&
		    p->raw[i].id == id)
			return &p->raw[i];
	return NULL;
}

static void
key_add(struct mpass *p, int t, int64_t id, enum cat cat)
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
static enum merge_choice
choice(struct mpass *p, enum merge_kind kind, int t, int64_t id,
    const char *col)
{
	struct merge_conflict *c = merge_conflict_find(p->m, kind,
	    p->m->tabs[t].name, id, col);

	if (c != NULL && c->choice != MERGE_UNDECIDED)
		return c->choice;
	return p->fallback;
}

/* --- the handler ------------------------------------------------------------------ */

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
			r->srv = dup_values(it, ncol, sqlite3changeset_conflict);
			r->old = dup_values(it, ncol, sqlite3changeset_old);
			r->nw = dup_values(it, ncol, sqlite3changeset_new);
			/* The laptop's values go in now; where the server
			 * keeps a field, the resolution puts it back. Going
			 * in now lets the rest of the changes meet the
			 * record as the laptop left it. */
			return SQLITE_CHANGESET_REPLACE;
		}
		if ((r = raw_find(p, RAW_DEL_LAPTOP, t, id)) == NULL)
			r = raw_add(p, RAW_DEL_LAPTOP, t, id, op);
		r->server_changed = true;
		if (r->srv == NULL)
			r->srv = dup_values(it, ncol, sqlite3changeset_conflict);
		return p->final && choice(p, MERGE_DELETED_LAPTOP, t, id, "") ==
		    MERGE_KEEP_LAPTOP ? SQLITE_CHANGESET_REPLACE :
		    SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_NOTFOUND:
		if (op == SQLITE_UPDATE) {
			r = raw_add(p, RAW_DEL_SERVER, t, id, op);
			r->old = dup_values(it, ncol, sqlite3changeset_old);
			r->nw = dup_values(it, ncol, sqlite3changeset_new);
		} else
			key_add(p, t, id, CAT_ALREADY);	/* gone on both */
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
			key_add(p, t, id, CAT_ALREADY);
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
			if ((r = raw_find(p, RAW_DEL_LAPTOP, t, id)) == NULL)
				r = raw_add(p, RAW_DEL_LAPTOP, t, id, op);
			if (r->server_added == 0)
				r->server_added = 1;
			return SQLITE_CHANGESET_OMIT;
		}
		/* A field merge whose laptop values broke a unique key is
		 * a unique clash of the whole record instead. */
		if ((r = raw_find(p, RAW_FIELDS, t, id)) != NULL) {
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

/* --- walking the records ------------------------------------------------------------ */

/* A record and everything that hangs under it (ON DELETE CASCADE), in
 * schema s, parents before children. Caller frees *out. */
static int
subtree(struct merge *m, const char *s, int t, int64_t id, struct mrow **out)
{
	struct mrow *v = xmalloc(sizeof *v);
	int n = 0, cap = 1;

	if (!mx_exists(m, s, t, id)) {
		*out = v;
		return 0;
	}
	v[n].t = t;
	v[n].id = id;
	n++;
	for (int i = 0; i < n; i++)
		for (int ct = 0; ct < m->ntab; ct++)
			for (int k = 0; k < m->tabs[ct].nfk; k++) {
				const struct mfk *fk = &m->tabs[ct].fks[k];
				sqlite3_stmt *st;

				if (!fk->cascade || fk->parent != v[i].t ||
				    fk->col < 0)
					continue;
				st = mx_stmt(m, NULL, "SELECT id FROM %w.%w "
				    "WHERE %w = ?1", s, m->tabs[ct].name,
				    m->tabs[ct].cols[fk->col]);
				if (st == NULL)
					continue;
				sqlite3_bind_int64(st, 1, v[i].id);
				while (sqlite3_step(st) == SQLITE_ROW) {
					if (n == cap) {
						cap *= 2;
						v = xreallocarray(v, (size_t)cap,
						    sizeof *v);
					}
					v[n].t = ct;
					v[n].id = sqlite3_column_int64(st, 0);
					n++;
				}
				sqlite3_reset(st);
			}
	*out = v;
	return n;
}

/* Count per table of rows[from..n) into a fresh array; caller frees. */
static int *
count_rows(const struct merge *m, const struct mrow *rows, int from, int n)
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
static void
climb_deleted(struct merge *m, int *t, int64_t *id)
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

/* --- after the apply: checks ---------------------------------------------------------- */

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
		n = subtree(m, MX_SRV, t, id, &rows);
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
			climb_deleted(m, &pt, &pid);
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
static void
find_clash(struct mpass *p, struct mraw *r)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	struct mrow *rows;
	int n;

	for (int k = 0; k < N_UKEYS && r->gt < 0; k++) {
		sqlite3_stmt *st;

		if (strcmp(ukeys[k].table, tab->name) != 0)
			continue;
		st = mx_stmt(m, NULL, "SELECT s.id FROM %w.%w AS s, %w.%w AS l "
		    "WHERE l.id = ?1 AND s.id <> l.id AND (%s) LIMIT 1", MX_MAIN,
		    tab->name, MX_LAP, tab->name, ukeys[k].match);
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
	n = subtree(m, MX_LAP, r->t, r->id, &rows);
	if (n > 1)
		r->same = false;
	free(rows);
}

/* --- conflicts -------------------------------------------------------------------------- */

/* Whether conflict index i was already met in this pass. */
static bool
seen(struct mpass *p, int i)
{
	for (int k = 0; k < p->nseen; k++)
		if (p->seen[k] == i)
			return true;
	return false;
}

/*
 * The conflict of this identity for this pass: found (and met) again,
 * or new. A new one is described; *fresh tells the caller to fill in
 * the words.
 */
static struct merge_conflict *
conflict(struct mpass *p, enum merge_kind kind, int t, int64_t id,
    const char *col, bool *fresh)
{
	struct merge *m = p->m;
	struct merge_conflict *c = merge_conflict_find(m, kind,
	    m->tabs[t].name, id, col);
	int i;

	*fresh = false;
	if (c == NULL) {
		c = merge_conflict_add(m);
		c->kind = kind;
		snprintf(c->table, sizeof c->table, "%s", m->tabs[t].name);
		c->row_id = id;
		snprintf(c->column, sizeof c->column, "%s", col ? col : "");
		*fresh = true;
	}
	i = (int)(c - m->conf);
	if (!seen(p, i)) {
		p->seen = xreallocarray(p->seen, (size_t)p->nseen + 1,
		    sizeof *p->seen);
		p->seen[p->nseen++] = i;
		if (p->final && c->choice == MERGE_UNDECIDED &&
		    p->fallback == MERGE_UNDECIDED)
			p->undecided++;
	}
	return c;
}

static void
set_by(char *by, size_t nby, char *at, size_t nat, sqlite3_value *vby,
    sqlite3_value *vat)
{
	const unsigned char *s;

	if (vby != NULL && (s = sqlite3_value_text(vby)) != NULL)
		snprintf(by, nby, "%s", (const char *)s);
	if (vat != NULL && (s = sqlite3_value_text(vat)) != NULL)
		snprintf(at, nat, "%s", (const char *)s);
}

/* Who last changed a record and when, as a schema has it. */
static void
row_by(struct merge *m, const char *s, int t, int64_t id, char *by,
    size_t nby, char *at, size_t nat)
{
	const struct mtab *tab = &m->tabs[t];
	sqlite3_value *vby = mx_value(m, s, t, id, tab->c_changed_by);
	sqlite3_value *vat = mx_value(m, s, t, id, tab->c_updated);

	set_by(by, nby, at, nat, vby, vat);
	sqlite3_value_free(vby);
	sqlite3_value_free(vat);
}

/* Who deleted a record and when, from an audit trail. */
static void
deleted_by(struct merge *m, const char *s, int t, int64_t id, char *by,
    size_t nby, char *at, size_t nat)
{
	sqlite3_stmt *st = mx_stmt(m, NULL, "SELECT author, at FROM %w.audit "
	    "WHERE tbl = ?1 AND row_id = ?2 AND op = 'delete' ORDER BY at DESC "
	    "LIMIT 1", s);

	if (st == NULL)
		return;
	sqlite3_bind_text(st, 1, m->tabs[t].name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		set_by(by, nby, at, nat, sqlite3_column_value(st, 0),
		    sqlite3_column_value(st, 1));
	sqlite3_reset(st);
}

/* "class" for class, "year group" for year_group. Caller frees. */
static char *
field_words(const char *col)
{
	char *w = xstrdup(col);

	for (char *s = w; *s != '\0'; s++)
		if (*s == '_')
			*s = ' ';
	return w;
}

static char *
quoted(const char *s)
{
	char *q;

	xasprintf(&q, "“%s”", s != NULL ? s : "");
	return q;
}

enum col_state { COL_UNTOUCHED, COL_CLEAN, COL_SAME, COL_CLASH };

/* How a field the laptop changed compares with the server. */
static enum col_state
col_state(const struct mtab *tab, const struct mraw *r, int c)
{
	if (!tab->user[c] || r->nw == NULL || r->nw[c] == NULL)
		return COL_UNTOUCHED;
	if (r->kind == RAW_FIELDS && merge_value_eq(r->srv[c], r->old[c]))
		return COL_CLEAN;
	if (merge_value_eq(r->srv[c], r->nw[c]))
		return COL_SAME;
	return COL_CLASH;
}

static void
field_conflicts(struct mpass *p, struct mraw *r)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	int clean = 0, clash = 0;

	for (int c = 0; c < tab->ncol; c++) {
		enum col_state s = col_state(tab, r, c);
		struct merge_conflict *k;
		bool fresh;

		if (s == COL_CLEAN)
			clean++;
		if (s != COL_CLASH)
			continue;
		clash++;
		k = conflict(p, MERGE_FIELD, r->t, r->id, tab->cols[c], &fresh);
		if (!fresh)
			continue;
		k->record = mw_record(m, r->t, r->id, MX_LAP, k);
		k->field = field_words(tab->cols[c]);
		k->server_value = mw_value(r->srv[c]);
		k->laptop_value = mw_value(r->nw[c]);
		if (tab->c_changed_by >= 0 && tab->c_updated >= 0) {
			set_by(k->server_by, sizeof k->server_by, k->server_at,
			    sizeof k->server_at, r->srv[tab->c_changed_by],
			    r->srv[tab->c_updated]);
			row_by(m, MX_LAP, r->t, r->id, k->laptop_by,
			    sizeof k->laptop_by, k->laptop_at,
			    sizeof k->laptop_at);
		}
		xasprintf(&k->summary, "%s: the %s was changed on both sides%s",
		    k->record, k->field, r->kind == RAW_INSERT_DIFF ?
		    " (after an earlier merge)" : "");
		{
			char *sv = quoted(k->server_value);
			char *lv = quoted(k->laptop_value);

			xasprintf(&k->if_server, "the %s stays %s", k->field,
			    k->server_value ? sv : "empty");
			xasprintf(&k->if_laptop, "the %s becomes %s", k->field,
			    k->laptop_value ? lv : "empty");
			free(sv);
			free(lv);
		}
	}
	key_add(p, r->t, r->id, clash > 0 ? CAT_CONFLICT : clean > 0 ?
	    CAT_MERGED : CAT_ALREADY);
}

static void
deleted_on_laptop(struct mpass *p, struct mraw *r)
{
	struct merge *m = p->m;
	struct merge_conflict *k;
	struct mrow *rows;
	bool fresh;
	int n;

	key_add(p, r->t, r->id, CAT_CONFLICT);
	k = conflict(p, MERGE_DELETED_LAPTOP, r->t, r->id, "", &fresh);
	if (!fresh)
		return;
	k->record = mw_record(m, r->t, r->id, MX_SRV, k);
	n = subtree(m, MX_SRV, r->t, r->id, &rows);
	{
		int *per = count_rows(m, rows, 1, n);
		char *under = mw_counts(m, per);
		char *added = NULL;

		if (r->server_added > 0)
			xasprintf(&added, "%lld record%s added under it",
			    (long long)r->server_added,
			    r->server_added == 1 ? "" : "s");
		xasprintf(&k->server_value, "%s%s%s",
		    r->server_changed ? "changed" : "",
		    r->server_changed && added ? ", and " : "",
		    added ? added : "");
		k->laptop_value = xstrdup("deleted");
		xasprintf(&k->summary, "%s: deleted on the laptop, but %s on "
		    "the server", k->record, k->server_value);
		xasprintf(&k->if_server, "it stays, as the server has it");
		if (n > 1)
			xasprintf(&k->if_laptop, "it is deleted on the server "
			    "too, with %s under it", under);
		else
			xasprintf(&k->if_laptop, "it is deleted on the server "
			    "too");
		free(per);
		free(under);
		free(added);
	}
	free(rows);
	row_by(m, MX_SRV, r->t, r->id, k->server_by, sizeof k->server_by,
	    k->server_at, sizeof k->server_at);
	deleted_by(m, MX_LAP, r->t, r->id, k->laptop_by, sizeof k->laptop_by,
	    k->laptop_at, sizeof k->laptop_at);
}

/* One conflict per record the server deleted, over all the laptop's
 * changes under it. */
static void
deleted_on_server(struct mpass *p)
{
	struct merge *m = p->m;
	int *done = xcalloc((size_t)p->nraw + 1, sizeof *done);

	for (int i = 0; i < p->nraw; i++)
		if (p->raw[i].kind == RAW_DEL_SERVER) {
			p->raw[i].gt = p->raw[i].t;
			p->raw[i].gid = p->raw[i].id;
			climb_deleted(m, &p->raw[i].gt, &p->raw[i].gid);
		}
	for (int i = 0; i < p->nraw; i++) {
		struct mraw *r = &p->raw[i];
		int *changed, *added, members = 0;
		struct merge_conflict *k;
		char lap_at[32] = "", lap_by[64] = "";
		struct mrow *rows;
		bool fresh;
		int n;

		if (done[i] || (r->kind != RAW_DEL_SERVER &&
		    (r->kind != RAW_ORPHAN || r->new_parent)))
			continue;
		changed = xcalloc((size_t)m->ntab, sizeof *changed);
		added = xcalloc((size_t)m->ntab, sizeof *added);
		/* Everything under the same deleted record. */
		for (int j = i; j < p->nraw; j++) {
			struct mraw *q = &p->raw[j];
			char by[64] = "", at[32] = "";

			if (done[j] || (q->kind != RAW_DEL_SERVER &&
			    (q->kind != RAW_ORPHAN || q->new_parent)) ||
			    q->gt != r->gt || q->gid != r->gid)
				continue;
			done[j] = 1;
			members++;
			if (q->kind == RAW_DEL_SERVER)
				changed[q->t]++;
			else
				added[q->t]++;
			key_add(p, q->t, q->id, CAT_CONFLICT);
			row_by(m, MX_LAP, q->t, q->id, by, sizeof by, at,
			    sizeof at);
			if (strcmp(at, lap_at) > 0) {
				snprintf(lap_at, sizeof lap_at, "%s", at);
				snprintf(lap_by, sizeof lap_by, "%s", by);
			}
		}
		k = conflict(p, MERGE_DELETED_SERVER, r->gt, r->gid, "", &fresh);
		if (fresh) {
			char *ch = mw_counts(m, changed), *ad = mw_counts(m, added);
			char *under;

			k->record = mw_record(m, r->gt, r->gid, MX_LAP, k);
			k->server_value = xstrdup("deleted");
			xasprintf(&k->laptop_value, "%s%s%s%s%s",
			    *ch ? "changed: " : "", ch, *ch && *ad ? "; " : "",
			    *ad ? "added: " : "", ad);
			snprintf(k->laptop_by, sizeof k->laptop_by, "%s", lap_by);
			snprintf(k->laptop_at, sizeof k->laptop_at, "%s", lap_at);
			deleted_by(m, MX_SRV, r->gt, r->gid, k->server_by,
			    sizeof k->server_by, k->server_at,
			    sizeof k->server_at);
			xasprintf(&k->summary, "%s: deleted on the server, but "
			    "the laptop made %d change%s to it", k->record,
			    members, members == 1 ? "" : "s");
			xasprintf(&k->if_server, "it stays deleted; the "
			    "laptop's %d change%s to it %s not merged", members,
			    members == 1 ? "" : "s", members == 1 ? "is" : "are");
			n = subtree(m, MX_LAP, r->gt, r->gid, &rows);
			{
				int *per = count_rows(m, rows, 1, n);

				under = mw_counts(m, per);
				free(per);
			}
			if (n > 1)
				xasprintf(&k->if_laptop, "it comes back as the "
				    "laptop has it, with %s", under);
			else
				xasprintf(&k->if_laptop, "it comes back as the "
				    "laptop has it");
			free(under);
			free(rows);
			free(ch);
			free(ad);
		}
		free(changed);
		free(added);
	}
	free(done);
}

static int
unique_conflict(struct mpass *p, struct mraw *r, struct serr *e)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	struct merge_conflict *k;
	struct mrow *rows;
	bool fresh;
	int n, *per;
	char *under_l, *under_s, *what;

	find_clash(p, r);
	/* Its laptop records left out with it. */
	for (int j = 0; j < p->nraw; j++)
		if (p->raw[j].kind == RAW_ORPHAN && p->raw[j].new_parent &&
		    p->raw[j].gt == r->t && p->raw[j].gid == r->id)
			key_add(p, p->raw[j].t, p->raw[j].id, CAT_CONFLICT);
	if (r->same) {
		key_add(p, r->t, r->id, CAT_ALREADY);
		return 0;
	}
	key_add(p, r->t, r->id, CAT_CONFLICT);
	k = conflict(p, MERGE_UNIQUE, r->t, r->id, "", &fresh);
	if (!fresh)
		return 0;
	what = xstrdup(r->ukey >= 0 ? ukeys[r->ukey].label : "unique key");
	k->record = mw_record(m, r->t, r->id, MX_LAP, k);
	k->field = xstrdup(what);
	if (tab->c_detail >= 0) {
		sqlite3_value *lv = mx_value(m, MX_LAP, r->t, r->id,
		    tab->c_detail);

		k->laptop_value = mw_value(lv);
		sqlite3_value_free(lv);
	}
	if (k->laptop_value == NULL)
		k->laptop_value = mw_record(m, r->t, r->id, MX_LAP, NULL);
	row_by(m, MX_LAP, r->t, r->id, k->laptop_by, sizeof k->laptop_by,
	    k->laptop_at, sizeof k->laptop_at);
	n = subtree(m, MX_LAP, r->t, r->id, &rows);
	per = count_rows(m, rows, 1, n);
	under_l = mw_counts(m, per);
	free(per);
	free(rows);
	if (r->gt >= 0) {
		if (tab->c_detail >= 0) {
			sqlite3_value *sv = mx_value(m, MX_MAIN, r->gt, r->gid,
			    tab->c_detail);

			k->server_value = mw_value(sv);
			sqlite3_value_free(sv);
		}
		if (k->server_value == NULL)
			k->server_value = mw_record(m, r->gt, r->gid, MX_MAIN,
			    NULL);
		row_by(m, MX_MAIN, r->gt, r->gid, k->server_by,
		    sizeof k->server_by, k->server_at, sizeof k->server_at);
		n = subtree(m, MX_MAIN, r->gt, r->gid, &rows);
		per = count_rows(m, rows, 1, n);
		under_s = mw_counts(m, per);
		free(per);
		free(rows);
	} else {
		k->server_value = xstrdup("another record");
		under_s = xstrdup("");
	}
	xasprintf(&k->summary, "%s: a %s that may exist only once was made "
	    "on both sides", k->record, what);
	xasprintf(&k->if_server, "the server's stays; the laptop's %s is not "
	    "merged%s%s%s", tab->label, *under_l ? " (nor " : "", under_l,
	    *under_l ? " under it)" : "");
	xasprintf(&k->if_laptop, "the laptop's replaces the server's %s%s%s%s",
	    tab->label, *under_s ? " (which goes with " : "", under_s,
	    *under_s ? " under it)" : "");
	free(under_l);
	free(under_s);
	free(what);
	(void)e;
	return 0;
}

/* Every raw finding becomes a conflict (or a figure). */
static int
build(struct mpass *p, struct serr *e)
{
	struct merge *m = p->m;
	int rc;

	for (int i = 0; i < p->nraw; i++) {
		struct mraw *r = &p->raw[i];

		switch (r->kind) {
		case RAW_FIELDS:
		case RAW_INSERT_DIFF:
			field_conflicts(p, r);
			break;
		case RAW_DEL_LAPTOP:
			deleted_on_laptop(p, r);
			break;
		case RAW_UNIQUE:
			if ((rc = unique_conflict(p, r, e)) != 0)
				return rc;
			break;
		case RAW_DEL_SERVER:
		case RAW_ORPHAN:
			break;
		}
	}
	deleted_on_server(p);
	/* A laptop record under a new record that is not there: that can
	 * only be a unique clash left out, which listed it. */
	for (int i = 0; i < p->nraw; i++) {
		struct mraw *r = &p->raw[i];

		if (r->kind == RAW_ORPHAN && r->new_parent &&
		    raw_find(p, RAW_UNIQUE, r->gt, r->gid) == NULL)
			return serr_set(e, SE_DB, "merge: a %s from the laptop "
			    "belongs under a %s that is in neither copy",
			    m->tabs[r->t].label, m->tabs[r->gt].label);
	}
	return 0;
}

/* --- resolution (final pass) ----------------------------------------------------------- */

static int
mx_step(struct merge *m, sqlite3_stmt *st, struct serr *e)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		serr_set(e, SE_INVALID, "merge: %s; nothing was merged",
		    sqlite3_errmsg(m->mx));
		sqlite3_reset(st);
		return e ? e->code : SE_INVALID;
	}
	sqlite3_reset(st);
	return 0;
}

/* Copy a record from schema `from` into the result, if not there. */
static int
copy_row(struct merge *m, const char *from, int t, int64_t id,
    struct serr *e)
{
	sqlite3_stmt *st;

	if (mx_exists(m, MX_MAIN, t, id))
		return 0;
	if ((st = mx_stmt(m, e, "INSERT INTO %w.%w SELECT * FROM %w.%w WHERE "
	    "id = ?1", MX_MAIN, m->tabs[t].name, from, m->tabs[t].name)) == NULL)
		return e ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	return mx_step(m, st, e);
}

static int
delete_row(struct merge *m, int t, int64_t id, struct serr *e)
{
	sqlite3_stmt *st = mx_stmt(m, e, "DELETE FROM %w.%w WHERE id = ?1",
	    MX_MAIN, m->tabs[t].name);

	if (st == NULL)
		return e ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	return mx_step(m, st, e);
}

static int
set_col(struct merge *m, int t, int64_t id, int c, sqlite3_value *v,
    struct serr *e)
{
	sqlite3_stmt *st = mx_stmt(m, e, "UPDATE %w.%w SET %w = ?1 WHERE "
	    "id = ?2", MX_MAIN, m->tabs[t].name, m->tabs[t].cols[c]);

	if (st == NULL)
		return e ? e->code : SE_DB;
	if (v != NULL)
		sqlite3_bind_value(st, 1, v);
	sqlite3_bind_int64(st, 2, id);
	return mx_step(m, st, e);
}

/*
 * A record changed on both sides and merged: a version above both sides'
 * (so a form opened on either before the merge notices), now, and the
 * merge as the one who changed it.
 */
static int
bump(struct merge *m, int t, int64_t id, int64_t v1, int64_t v2,
    struct serr *e)
{
	const struct mtab *tab = &m->tabs[t];
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;

	if (tab->c_version < 0 || tab->c_updated < 0 || tab->c_changed_by < 0)
		return 0;
	if ((st = mx_stmt(m, e, "UPDATE %w.%w SET version = ?1, updated_at = "
	    "?2, changed_by = ?3 WHERE id = ?4", MX_MAIN, tab->name)) == NULL)
		return e ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, (v1 > v2 ? v1 : v2) + 1);
	sqlite3_bind_text(st, 2, timestamp_now(now), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, m->author, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, id);
	return mx_step(m, st, e);
}

/* Put the server's book-keeping back on a record that ended up as the
 * server had it, so it is not written at all. */
static int
unbump(struct merge *m, const struct mraw *r, struct serr *e)
{
	const struct mtab *tab = &m->tabs[r->t];
	const int cols[] = { tab->c_version, tab->c_updated, tab->c_changed_by };
	int rc;

	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (cols[i] >= 0 && r->srv[cols[i]] != NULL &&
		    (rc = set_col(m, r->t, r->id, cols[i], r->srv[cols[i]],
		    e)) != 0)
			return rc;
	return 0;
}

static int
resolve_fields(struct mpass *p, const struct mraw *r, struct serr *e)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	bool differs = false;
	int rc;

	if (!mx_exists(m, MX_MAIN, r->t, r->id))
		return 0;	/* gone with a record another choice removed */
	for (int c = 0; c < tab->ncol; c++) {
		enum col_state s = col_state(tab, r, c);
		enum merge_choice ch;

		if (s == COL_CLEAN)
			differs = true;
		if (s != COL_CLASH)
			continue;
		ch = choice(p, MERGE_FIELD, r->t, r->id, tab->cols[c]);
		if (r->kind == RAW_FIELDS && ch == MERGE_KEEP_SERVER) {
			/* The handler let the laptop's value in. */
			if ((rc = set_col(m, r->t, r->id, c, r->srv[c], e)) != 0)
				return rc;
		} else if (r->kind == RAW_INSERT_DIFF &&
		    ch == MERGE_KEEP_LAPTOP) {
			if ((rc = set_col(m, r->t, r->id, c, r->nw[c], e)) != 0)
				return rc;
			differs = true;
		} else if (r->kind == RAW_FIELDS)
			differs = true;
	}
	if (differs)
		return bump(m, r->t, r->id, value_int(r->srv, tab->c_version),
		    value_int(r->nw, tab->c_version), e);
	return r->kind == RAW_FIELDS ? unbump(m, r, e) : 0;
}

static int
resolve_unique(struct mpass *p, const struct mraw *r, struct serr *e)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	enum merge_choice ch = r->same ? MERGE_KEEP_SERVER :
	    choice(p, MERGE_UNIQUE, r->t, r->id, "");
	struct mrow *rows;
	int n, rc = 0;

	if (ch == MERGE_KEEP_LAPTOP) {
		if (r->gt >= 0 && (rc = delete_row(m, r->gt, r->gid, e)) != 0)
			return rc;
		if (r->op == SQLITE_INSERT)
			return copy_row(m, MX_LAP, r->t, r->id, e);
		for (int c = 0; c < tab->ncol; c++)
			if (tab->user[c] && r->nw != NULL && r->nw[c] != NULL &&
			    (rc = set_col(m, r->t, r->id, c, r->nw[c], e)) != 0)
				return rc;
		{
			sqlite3_value *sv = mx_value(m, MX_SRV, r->t, r->id,
			    tab->c_version);
			int64_t v1 = sv != NULL ? sqlite3_value_int64(sv) : 0;

			sqlite3_value_free(sv);
			return bump(m, r->t, r->id, v1, value_int(r->nw,
			    tab->c_version), e);
		}
	}
	if (r->op != SQLITE_INSERT)
		return 0;
	/* Keep the server: what the laptop added under its record goes. */
	n = subtree(m, MX_LAP, r->t, r->id, &rows);
	for (int i = n - 1; i >= 1 && rc == 0; i--)
		if (mx_exists(m, MX_MAIN, rows[i].t, rows[i].id) &&
		    !mx_exists(m, MX_SRV, rows[i].t, rows[i].id))
			rc = delete_row(m, rows[i].t, rows[i].id, e);
	free(rows);
	return rc;
}

static int
resolve_deleted_server(struct mpass *p, const struct merge_conflict *c,
    struct serr *e)
{
	struct merge *m = p->m;
	int t = mx_table(m, c->table), n, rc = 0;
	enum merge_choice ch = c->choice != MERGE_UNDECIDED ? c->choice :
	    p->fallback;
	struct mrow *rows;

	if (t < 0)
		return 0;
	n = subtree(m, MX_LAP, t, c->row_id, &rows);
	if (ch == MERGE_KEEP_LAPTOP) {
		/* Back as the laptop has it: parents first. */
		for (int i = 0; i < n && rc == 0; i++)
			rc = copy_row(m, MX_LAP, rows[i].t, rows[i].id, e);
	} else {
		/* Stays deleted: what the laptop added under it goes. */
		for (int i = n - 1; i >= 0 && rc == 0; i--)
			if (mx_exists(m, MX_MAIN, rows[i].t, rows[i].id) &&
			    !mx_exists(m, MX_SRV, rows[i].t, rows[i].id))
				rc = delete_row(m, rows[i].t, rows[i].id, e);
	}
	free(rows);
	return rc;
}

static int
resolve_deleted_laptop(struct mpass *p, const struct mraw *r,
    struct serr *e)
{
	struct merge *m = p->m;
	struct mrow *rows;
	int n, rc = 0;

	if (choice(p, MERGE_DELETED_LAPTOP, r->t, r->id, "") ==
	    MERGE_KEEP_LAPTOP) {
		/* Deleted in the apply already, unless something still
		 * needs it (then this says so). */
		if (mx_exists(m, MX_MAIN, r->t, r->id))
			return delete_row(m, r->t, r->id, e);
		return 0;
	}
	/* The server keeps it, and all it had under it. */
	n = subtree(m, MX_SRV, r->t, r->id, &rows);
	for (int i = 0; i < n && rc == 0; i++)
		rc = copy_row(m, MX_SRV, rows[i].t, rows[i].id, e);
	free(rows);
	return rc;
}

static int
resolve(struct mpass *p, struct serr *e)
{
	struct merge *m = p->m;
	int rc = 0;

	/* Whole records first (their choices add and remove records),
	 * then fields of the records that remain. */
	for (int k = 0; k < p->nseen && rc == 0; k++)
		if (m->conf[p->seen[k]].kind == MERGE_DELETED_SERVER)
			rc = resolve_deleted_server(p, &m->conf[p->seen[k]], e);
	for (int i = 0; i < p->nraw && rc == 0; i++)
		if (p->raw[i].kind == RAW_UNIQUE)
			rc = resolve_unique(p, &p->raw[i], e);
	for (int i = 0; i < p->nraw && rc == 0; i++)
		if (p->raw[i].kind == RAW_DEL_LAPTOP)
			rc = resolve_deleted_laptop(p, &p->raw[i], e);
	for (int i = 0; i < p->nraw && rc == 0; i++)
		if (p->raw[i].kind == RAW_FIELDS ||
		    p->raw[i].kind == RAW_INSERT_DIFF)
			rc = resolve_fields(p, &p->raw[i], e);
	return rc;
}

/*
 * The laptop's audit rows about a pupil who is not on the server after
 * the merge (deleted there, and kept so) do not go in: a purge on the
 * server must not be undone through the trail.
 */
static int
drop_stray_audit(struct mpass *p, struct serr *e)
{
	int rc = mx_exec(p->m, "DELETE FROM " MX_MAIN ".audit WHERE pupil_id "
	    "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " MX_MAIN ".pupil x "
	    "WHERE x.id = audit.pupil_id) AND NOT EXISTS (SELECT 1 FROM "
	    MX_SRV ".audit s WHERE s.id = audit.id)", e);

	if (rc == 0)
		p->audit_dropped = sqlite3_changes(p->m->mx);
	return rc;
}

/* Nothing may be left pointing at a missing record. */
static int
check_result(struct mpass *p, struct serr *e)
{
	struct merge *m = p->m;
	sqlite3_stmt *st = mx_stmt(m, e, "PRAGMA %w.foreign_key_check",
	    MX_MAIN);
	int rc = 0;

	if (st == NULL)
		return e ? e->code : SE_DB;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int t = mx_table(m, (const char *)sqlite3_column_text(st, 0));
		int pt = mx_table(m, (const char *)sqlite3_column_text(st, 2));

		rc = serr_set(e, SE_STATE, "merge: with these choices a %s "
		    "would be left without its %s; nothing was merged",
		    t >= 0 ? m->tabs[t].label : "record",
		    pt >= 0 ? m->tabs[pt].label : "parent");
	}
	sqlite3_reset(st);
	return rc;
}

/* --- figures ---------------------------------------------------------------------------- */

static int
cmp_key(const void *a, const void *b)
{
	const struct mkey *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (int)x->cat - (int)y->cat;
}

static void
figures(struct mpass *p, struct merge_figures *f)
{
	struct merge *m = p->m;
	int audit = mx_table(m, "audit"), audit_added = 0;

	memset(f, 0, sizeof *f);
	for (int i = 0; i < m->ncounts; i++) {
		const struct merge_table_count *c = &m->counts[i];

		if (strcmp(c->table, "audit") == 0)
			audit_added += c->added;
		else
			f->changes += c->added + c->changed + c->deleted;
	}
	qsort(p->keys, (size_t)p->nkeys, sizeof *p->keys, cmp_key);
	for (int i = 0; i < p->nkeys; i++) {
		const struct mkey *k = &p->keys[i];

		/* The worst fate of each record (sorted last). */
		if (i + 1 < p->nkeys && p->keys[i + 1].t == k->t &&
		    p->keys[i + 1].id == k->id)
			continue;
		if (k->t == audit) {
			if (k->cat == CAT_ALREADY)
				audit_added--;
			continue;
		}
		if (k->cat == CAT_ALREADY)
			f->already++;
		else if (k->cat == CAT_MERGED)
			f->merged++;
		else if (k->cat == CAT_CONFLICT)
			f->conflicted++;
	}
	f->applied = f->changes - f->already - f->merged - f->conflicted;
	f->audit_entries = audit_added - p->audit_dropped;
	f->conflicts = p->nseen;
	for (int k = 0; k < p->nseen; k++) {
		enum merge_choice ch = m->conf[p->seen[k]].choice;

		if (ch == MERGE_UNDECIDED)
			ch = p->fallback;
		if (ch == MERGE_KEEP_SERVER)
			f->kept_server++;
		else if (ch == MERGE_KEEP_LAPTOP)
			f->kept_laptop++;
	}
	f->links_cleared = p->links_cleared;
}

/* Rows the result writes, audit rows apart. */
static void
count_written(struct merge *m, void *cs, int ncs, struct merge_figures *f)
{
	sqlite3_changeset_iter *it;

	f->written = 0;
	if (sqlite3changeset_start(&it, ncs, cs) != SQLITE_OK)
		return;
	while (sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tn;
		int ncol, op, ind;

		sqlite3changeset_op(it, &tn, &ncol, &op, &ind);
		if (strcmp(tn, "audit") != 0)
			f->written++;
	}
	sqlite3changeset_finalize(it);
	(void)m;
}

/* --- the pass ----------------------------------------------------------------------------- */

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
	    (rc = build(&p, e)) != 0)
		goto rollback;
	if (final && p.undecided > 0) {
		rc = serr_set(e, SE_CONFLICT, "merge: the caseload changed "
		    "since the merge was prepared: %d new conflict%s need%s a "
		    "choice; nothing was merged", p.undecided,
		    p.undecided == 1 ? "" : "s", p.undecided == 1 ? "s" : "");
		goto rollback;
	}
	if (final && (rc = resolve(&p, e)) != 0)
		goto rollback;
	if ((rc = drop_stray_audit(&p, e)) != 0)
		goto rollback;
	if (final && (rc = check_result(&p, e)) != 0)
		goto rollback;
	figures(&p, f);
	if (final) {
		if (sqlite3session_changeset(s, ncs, cs) != SQLITE_OK) {
			rc = serr_set(e, SE_DB, "merge: cannot record the "
			    "merge: %s", sqlite3_errmsg(m->mx));
			goto rollback;
		}
		count_written(m, *cs, *ncs, f);
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
