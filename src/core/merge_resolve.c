/*
 * merge_resolve.c: the final merge pass carries out the user's choices on
 * the scratch copy of the server (whose recorded changes then go to the
 * server), checks the result, and counts what happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "merge_pass.h"
#include "xmalloc.h"

/* --- resolution (final pass) ---------------------------------------------- */

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
	st = mx_stmt(m, e, "INSERT INTO %w.%w SELECT * FROM %w.%w WHERE "
	    "id = ?1", MX_MAIN, m->tabs[t].name, from, m->tabs[t].name);
	if (st == NULL)
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
	const int cols[] = {
		tab->c_version, tab->c_updated, tab->c_changed_by
	};
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
		enum mp_col_state s = mp_col_state(tab, r, c);
		enum merge_choice ch;

		if (s == COL_CLEAN)
			differs = true;
		if (s != COL_CLASH)
			continue;
		ch = mp_choice(p, MERGE_FIELD, r->t, r->id, tab->cols[c]);
		if (r->kind == RAW_FIELDS && ch == MERGE_KEEP_SERVER) {
			/* The handler let the laptop's value in. */
			rc = set_col(m, r->t, r->id, c, r->srv[c], e);
			if (rc != 0)
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
		return bump(m, r->t, r->id,
		    mp_value_int(r->srv, tab->c_version),
		    mp_value_int(r->nw, tab->c_version), e);
	return r->kind == RAW_FIELDS ? unbump(m, r, e) : 0;
}

static int
resolve_unique(struct mpass *p, const struct mraw *r, struct serr *e)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	enum merge_choice ch = r->same ? MERGE_KEEP_SERVER :
	    mp_choice(p, MERGE_UNIQUE, r->t, r->id, "");
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
			return bump(m, r->t, r->id, v1, mp_value_int(r->nw,
			    tab->c_version), e);
		}
	}
	if (r->op != SQLITE_INSERT)
		return 0;
	/* Keep the server: what the laptop added under its record goes. */
	n = mp_subtree(m, MX_LAP, r->t, r->id, true, &rows);
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
	n = mp_subtree(m, MX_LAP, t, c->row_id, true, &rows);
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

	if (mp_choice(p, MERGE_DELETED_LAPTOP, r->t, r->id, "") ==
	    MERGE_KEEP_LAPTOP) {
		/* Deleted in the apply already, unless something still
		 * needs it (then this says so). */
		if (mx_exists(m, MX_MAIN, r->t, r->id))
			return delete_row(m, r->t, r->id, e);
		return 0;
	}
	/* The server keeps it, and all it had under it. */
	n = mp_subtree(m, MX_SRV, r->t, r->id, false, &rows);
	for (int i = 0; i < n && rc == 0; i++)
		rc = copy_row(m, MX_SRV, rows[i].t, rows[i].id, e);
	free(rows);
	return rc;
}

int
mp_resolve(struct mpass *p, struct serr *e)
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
int
mp_drop_stray_audit(struct mpass *p, struct serr *e)
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
int
mp_check_result(struct mpass *p, struct serr *e)
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

/* --- figures -------------------------------------------------------------- */

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

void
mp_figures(struct mpass *p, struct merge_figures *f)
{
	struct merge *m = p->m;
	int audit = mx_table(m, "audit");

	memset(f, 0, sizeof *f);
	for (int i = 0; i < m->ncounts; i++) {
		const struct merge_table_count *c = &m->counts[i];

		f->changes += c->added + c->changed + c->deleted;
	}
	if (p->nkeys > 1)
		qsort(p->keys, (size_t)p->nkeys, sizeof *p->keys, cmp_key);
	for (int i = 0; i < p->nkeys; i++) {
		const struct mkey *k = &p->keys[i];

		/* The worst fate of each record (sorted last). */
		if (i + 1 < p->nkeys && p->keys[i + 1].t == k->t &&
		    p->keys[i + 1].id == k->id)
			continue;
		if (k->t == audit)
			continue;
		if (k->cat == CAT_ALREADY)
			f->already++;
		else if (k->cat == CAT_MERGED)
			f->merged++;
		else if (k->cat == CAT_CONFLICT)
			f->conflicted++;
	}
	f->applied = f->changes - f->already - f->merged - f->conflicted;
	/* The server's triggers audit each record the merge writes (the
	 * laptop's own audit rows stay on the laptop): about one row per
	 * record, before the choices. merge_apply counts the real ones. */
	f->audit_entries = f->applied + f->merged + f->conflicted +
	    p->links_cleared;
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
void
mp_count_written(struct merge *m, void *cs, int ncs, struct merge_figures *f)
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
