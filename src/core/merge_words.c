/*
 * merge_words.c: the records and values of a merge conflict in words a
 * SENCO understands ("target “Read 50 words” of Brown, Zoë
 * (B801200005001)"), looked up in the copies the merge holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_int.h"
#include "xmalloc.h"

/* Longest detail quoted in a record's name, in bytes. */
#define DETAIL_MAX 48

/* Where a record may be, in the order to look. */
static const char *const schemas[] = { MX_LAP, MX_MAIN, MX_SRV, MX_BASE };

char *
mw_value(sqlite3_value *v)
{
	char *s;

	if (v == NULL)
		return NULL;
	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		return NULL;
	case SQLITE_INTEGER:
		xasprintf(&s, "%lld", (long long)sqlite3_value_int64(v));
		return s;
	case SQLITE_FLOAT:
		xasprintf(&s, "%g", sqlite3_value_double(v));
		return s;
	case SQLITE_BLOB:
		xasprintf(&s, "(%d bytes)", sqlite3_value_bytes(v));
		return s;
	}
	return xstrdup((const char *)sqlite3_value_text(v));
}

/* The first schema that has the record, or NULL. */
static const char *
where(struct merge *m, const char *first, int t, int64_t id)
{
	if (first != NULL && mx_exists(m, first, t, id))
		return first;
	for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
		if (mx_exists(m, schemas[i], t, id))
			return schemas[i];
	return NULL;
}

static int64_t
int_of(struct merge *m, const char *s, int t, int64_t id, int c, bool *ok)
{
	sqlite3_value *v = mx_value(m, s, t, id, c);
	int64_t x = 0;

	*ok = v != NULL && sqlite3_value_type(v) == SQLITE_INTEGER;
	if (*ok)
		x = sqlite3_value_int64(v);
	sqlite3_value_free(v);
	return x;
}

/* The pupil a record belongs to (0 for none): its pupil_id, or up
 * through its parents (a rating's target's cycle). */
static int64_t
pupil_of(struct merge *m, int t, int64_t id, int depth)
{
	int pt = mx_table(m, "pupil"), c;
	const struct mtab *tab = &m->tabs[t];
	const char *s;
	bool ok;

	if (t == pt)
		return id;
	if (depth > 4 || (s = where(m, NULL, t, id)) == NULL)
		return 0;
	if ((c = mx_column(tab, "pupil_id")) >= 0) {
		int64_t p = int_of(m, s, t, id, c, &ok);

		return ok ? p : 0;
	}
	for (int k = 0; k < tab->nfk; k++) {
		const struct mfk *fk = &tab->fks[k];
		int64_t parent;

		if (fk->set_null || fk->parent < 0)
			continue;
		parent = int_of(m, s, t, id, fk->col, &ok);
		if (ok && (parent = pupil_of(m, fk->parent, parent,
		    depth + 1)) != 0)
			return parent;
	}
	return 0;
}

/* "Brown, Zoë (B801200005001)", filling the pupil fields of c. Caller
 * frees; NULL when the pupil is in none of the copies. */
static char *
pupil_words(struct merge *m, int64_t pupil_id, struct merge_conflict *c)
{
	for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
		sqlite3_stmt *st = mx_stmt(m, NULL, "SELECT upn, "
		    "coalesce(preferred_surname, legal_surname), "
		    "coalesce(preferred_forename, legal_forename) "
		    "FROM %w.pupil WHERE id = ?1", schemas[i]);
		char *s = NULL;

		if (st == NULL)
			return NULL;
		sqlite3_bind_int64(st, 1, pupil_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *upn =
			    (const char *)sqlite3_column_text(st, 0);

			xasprintf(&s, "%s, %s (%s)",
			    (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2), upn);
			if (c != NULL) {
				c->pupil_id = pupil_id;
				snprintf(c->upn, sizeof c->upn, "%s", upn);
			}
		}
		sqlite3_reset(st);
		if (s != NULL)
			return s;
	}
	return NULL;
}

char *
mw_thing(struct merge *m, int t, int64_t id, const char *schema)
{
	const struct mtab *tab = &m->tabs[t];
	const char *s = where(m, schema, t, id);
	char *detail = NULL, *out;

	if (s != NULL && tab->c_detail >= 0) {
		sqlite3_value *v = mx_value(m, s, t, id, tab->c_detail);

		detail = mw_value(v);
		sqlite3_value_free(v);
	}
	if (detail != NULL) {
		char cut[DETAIL_MAX];
		bool more;

		/* A line of its own: no line breaks from a note. */
		for (char *p = detail; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		more = strlcpy_utf8(cut, detail, sizeof cut) != 0;
		xasprintf(&out, "%s%s%s%s%s", tab->label, tab->detail_pre, cut,
		    more ? "…" : "", tab->detail_post);
	} else
		out = xstrdup(tab->label);
	free(detail);
	return out;
}

char *
mw_record(struct merge *m, int t, int64_t id, const char *schema,
    struct merge_conflict *c)
{
	int64_t pid = pupil_of(m, t, id, 0);
	char *pupil = pid != 0 ? pupil_words(m, pid, c) : NULL;
	char *thing, *out;

	if (c != NULL && pupil != NULL && c->pupil == NULL)
		c->pupil = xstrdup(pupil);
	if (t == mx_table(m, "pupil") && pupil != NULL) {
		if (c != NULL && c->thing == NULL)
			c->thing = xstrdup("pupil record");
		xasprintf(&out, "pupil record of %s", pupil);
		free(pupil);
		return out;
	}
	thing = mw_thing(m, t, id, schema);
	if (c != NULL && c->thing == NULL)
		c->thing = xstrdup(thing);
	xasprintf(&out, "%s%s%s", thing, pupil ? " for " : "",
	    pupil ? pupil : "");
	free(thing);
	free(pupil);
	return out;
}

char *
mw_counts(const struct merge *m, const int *per_table)
{
	char *out = xstrdup(""), *next;

	for (int t = 0; t < m->ntab; t++) {
		if (per_table[t] == 0)
			continue;
		xasprintf(&next, "%s%s%d %s", out, *out ? ", " : "",
		    per_table[t], per_table[t] == 1 ? m->tabs[t].label :
		    m->tabs[t].plural);
		free(out);
		out = next;
	}
	return out;
}

void
mw_conflict_free(struct merge_conflict *c)
{
	free(c->pupil);
	free(c->record);
	free(c->thing);
	free(c->field);
	free(c->summary);
	free(c->server_value);
	free(c->laptop_value);
	free(c->if_server);
	free(c->if_laptop);
	memset(c, 0, sizeof *c);
}

const char *
merge_at_show(const char *at, char *buf, size_t n)
{
	if (at == NULL || strlen(at) < 16 || at[10] != 'T')
		snprintf(buf, n, "%s", at != NULL ? at : "");
	else
		snprintf(buf, n, "%.10s %.5s", at, at + 11);
	return buf;
}
