/*
 * merge_conflict.c: the findings of a merge pass as conflicts a SENCO can
 * decide (merge.h lists the kinds): which record, both sides' values,
 * who changed each and when, and what keeping either side does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_pass.h"
#include "xmalloc.h"

/* --- conflicts ------------------------------------------------------------ */

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

enum mp_col_state
mp_col_state(const struct mtab *tab, const struct mraw *r, int c)
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
		enum mp_col_state s = mp_col_state(tab, r, c);
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
	mp_key_add(p, r->t, r->id, clash > 0 ? CAT_CONFLICT : clean > 0 ?
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

	mp_key_add(p, r->t, r->id, CAT_CONFLICT);
	k = conflict(p, MERGE_DELETED_LAPTOP, r->t, r->id, "", &fresh);
	if (!fresh)
		return;
	k->record = mw_record(m, r->t, r->id, MX_SRV, k);
	n = mp_subtree(m, MX_SRV, r->t, r->id, false, &rows);
	{
		int *per = mp_count_rows(m, rows, 1, n);
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
			mp_climb_deleted(m, &p->raw[i].gt, &p->raw[i].gid);
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
			mp_key_add(p, q->t, q->id, CAT_CONFLICT);
			row_by(m, MX_LAP, q->t, q->id, by, sizeof by, at,
			    sizeof at);
			if (strcmp(at, lap_at) > 0) {
				snprintf(lap_at, sizeof lap_at, "%s", at);
				snprintf(lap_by, sizeof lap_by, "%s", by);
			}
		}
		k = conflict(p, MERGE_DELETED_SERVER, r->gt, r->gid, "",
		    &fresh);
		if (fresh) {
			char *ch = mw_counts(m, changed);
			char *ad = mw_counts(m, added);
			char *under;

			k->record = mw_record(m, r->gt, r->gid, MX_LAP, k);
			k->server_value = xstrdup("deleted");
			xasprintf(&k->laptop_value, "%s%s%s%s%s",
			    *ch ? "changed: " : "", ch, *ch && *ad ? "; " : "",
			    *ad ? "added: " : "", ad);
			snprintf(k->laptop_by, sizeof k->laptop_by, "%s",
			    lap_by);
			snprintf(k->laptop_at, sizeof k->laptop_at, "%s",
			    lap_at);
			deleted_by(m, MX_SRV, r->gt, r->gid, k->server_by,
			    sizeof k->server_by, k->server_at,
			    sizeof k->server_at);
			xasprintf(&k->summary, "%s: deleted on the server, but "
			    "the laptop made %d change%s to it", k->record,
			    members, members == 1 ? "" : "s");
			xasprintf(&k->if_server, "it stays deleted; the "
			    "laptop's %d change%s to it %s not merged", members,
			    members == 1 ? "" : "s",
			    members == 1 ? "is" : "are");
			n = mp_subtree(m, MX_LAP, r->gt, r->gid, true, &rows);
			{
				int *per = mp_count_rows(m, rows, 1, n);

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

/* One side of a unique clash in words: its distinguishing value (or its
 * name), and what hangs under it into *under. Caller frees both. */
static char *
clash_side(struct merge *m, const char *s, int t, int64_t id, bool all,
    char **under)
{
	const struct mtab *tab = &m->tabs[t];
	char *value = NULL, *out;
	struct mrow *rows;
	int n, *per;

	if (tab->c_detail >= 0) {
		sqlite3_value *v = mx_value(m, s, t, id, tab->c_detail);

		value = mw_value(v);
		sqlite3_value_free(v);
	}
	if (value == NULL)
		value = mw_record(m, t, id, s, NULL);
	n = mp_subtree(m, s, t, id, all, &rows);
	per = mp_count_rows(m, rows, 1, n);
	*under = mw_counts(m, per);
	free(per);
	free(rows);
	if (**under == '\0')
		return value;
	xasprintf(&out, "%s, with %s", value, *under);
	free(value);
	return out;
}

static void
unique_conflict(struct mpass *p, struct mraw *r)
{
	struct merge *m = p->m;
	const struct mtab *tab = &m->tabs[r->t];
	struct merge_conflict *k;
	char *under_l = NULL, *under_s = NULL;
	bool fresh;

	mp_find_clash(p, r);
	/* Its laptop records left out with it. */
	for (int j = 0; j < p->nraw; j++)
		if (p->raw[j].kind == RAW_ORPHAN && p->raw[j].new_parent &&
		    p->raw[j].gt == r->t && p->raw[j].gid == r->id)
			mp_key_add(p, p->raw[j].t, p->raw[j].id, CAT_CONFLICT);
	if (r->same) {
		mp_key_add(p, r->t, r->id, CAT_ALREADY);
		return;
	}
	mp_key_add(p, r->t, r->id, CAT_CONFLICT);
	k = conflict(p, MERGE_UNIQUE, r->t, r->id, "", &fresh);
	if (!fresh)
		return;
	k->record = mw_record(m, r->t, r->id, MX_LAP, k);
	k->field = xstrdup(r->ukey >= 0 ? mp_ukeys[r->ukey].label :
	    "unique key");
	k->laptop_value = clash_side(m, MX_LAP, r->t, r->id, true, &under_l);
	row_by(m, MX_LAP, r->t, r->id, k->laptop_by, sizeof k->laptop_by,
	    k->laptop_at, sizeof k->laptop_at);
	if (r->gt >= 0) {
		k->server_value = clash_side(m, MX_MAIN, r->gt, r->gid, false,
		    &under_s);
		row_by(m, MX_MAIN, r->gt, r->gid, k->server_by,
		    sizeof k->server_by, k->server_at, sizeof k->server_at);
	} else {
		k->server_value = xstrdup("another record");
		under_s = xstrdup("");
	}
	xasprintf(&k->summary, "%s: made on both sides, but there can be only "
	    "%s", k->record, r->ukey >= 0 ? mp_ukeys[r->ukey].rule :
	    "one such record");
	xasprintf(&k->if_server, "the server's stays; the laptop's %s is not "
	    "merged%s%s%s", tab->label, *under_l ? " (nor " : "", under_l,
	    *under_l ? " under it)" : "");
	xasprintf(&k->if_laptop, "the laptop's replaces the server's %s%s%s%s",
	    tab->label, *under_s ? " (which goes with " : "", under_s,
	    *under_s ? " under it)" : "");
	free(under_l);
	free(under_s);
}

/* Every raw finding becomes a conflict (or a figure). */
int
mp_build(struct mpass *p, struct serr *e)
{
	struct merge *m = p->m;

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
			unique_conflict(p, r);
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
		    mp_raw_find(p, RAW_UNIQUE, r->gt, r->gid) == NULL)
			return serr_set(e, SE_DB, "merge: a %s from the laptop "
			    "belongs under a %s that is in neither copy",
			    m->tabs[r->t].label, m->tabs[r->gt].label);
	}
	return 0;
}
