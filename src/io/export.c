/*
 * export.c: the caseload as CSV or TSV (see export.h).
 *
 * Pupils are gathered first (id, UPN, name: small) and each pupil's
 * records are then read through the core's list functions, so no list is
 * walked from inside its own callback. Dates are ISO and money is plain
 * pounds ("1234.50") so that spreadsheets read them as values.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "core/cycle.h"
#include "core/derive.h"
#include "core/intervention.h"
#include "core/pupil.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "io/export.h"

static const char *const kind_names[EXPORT_KIND_COUNT] = {
	"pupils", "targets", "provision", "cycles"
};

const char *
export_kind_name(enum export_kind k)
{
	return (unsigned)k < EXPORT_KIND_COUNT ? kind_names[k] : "";
}

int
export_kind_parse(const char *s, enum export_kind *out, struct serr *e)
{
	for (int k = 0; k < EXPORT_KIND_COUNT; k++)
		if (s != NULL && strcasecmp(s, kind_names[k]) == 0) {
			*out = (enum export_kind)k;
			return 0;
		}
	return serr_set(e, SE_INVALID, "'%s' is not something senco exports "
	    "(pupils, targets, provision, cycles or ctf)", s != NULL ? s : "");
}

/* One line of cells. */
static void
put_row(FILE *fp, enum table_format f, const char *const *cells, int n)
{
	table_write_row(fp, cells, n, f);
}

static char *
money(int64_t pence, char *buf, size_t n)
{
	snprintf(buf, n, "%s%lld.%02lld", pence < 0 ? "-" : "",
	    (long long)(llabs(pence) / 100), (long long)(llabs(pence) % 100));
	return buf;
}

static char *
number(double v, char *buf, size_t n)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, n, "%g", v);
	return buf;
}

/* --- the pupils ---------------------------------------------------------- */

struct who {
	int64_t id;
	char upn[UPN_LEN + 1];
	char name[2 * NAME_MAX_BYTES + 4];
};

struct who_list {
	struct who *v;
	int n, cap;
};

static int
collect_who(void *ctx, const struct pupil *p)
{
	struct who_list *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, (size_t)l->cap, sizeof *l->v);
	}
	l->v[l->n].id = p->id;
	memcpy(l->v[l->n].upn, p->upn, sizeof l->v[l->n].upn);
	pupil_display_name(p, l->v[l->n].name, sizeof l->v[l->n].name);
	l->n++;
	return 0;
}

/* Everyone in register order (with or without those who left); the
 * caller frees l->v. */
static int
gather(struct db *db, bool archived, struct who_list *l, struct serr *e)
{
	struct pupil_filter f;

	memset(&f, 0, sizeof f);
	f.include_archived = archived;
	f.include_n = true;
	memset(l, 0, sizeof *l);
	return pupil_list(db, &f, collect_who, l, e);
}

/* Where a pupil's line goes in the register's order. */
struct pupil_slot {
	int64_t id;
	size_t pos;
};

struct pupils_ctx {
	FILE *fp;		/* the lines, by id */
	enum table_format f;
	int rows;
	const struct pupil_slot *slots;	/* by id */
	size_t n, at;
	off_t *off, *len;	/* each line in fp, by position */
	struct serr *e;
};

static const char *
yes_no(unsigned flags, unsigned bit)
{
	return (flags & bit) ? "Y" : "N";
}

static int
pupil_line(void *vctx, const struct pupil *p)
{
	struct pupils_ctx *c = vctx;
	char dob[DATE_ISO_LEN], since[DATE_ISO_LEN], left[DATE_ISO_LEN];
	char st[2] = { p->status, '\0' }, g[2] = { p->gender, '\0' };
	char att[32];
	const char *cells[21];
	int i = 0;
	size_t at;

	if (p->attendance < 0)
		att[0] = '\0';
	else
		snprintf(att, sizeof att, "%g", p->attendance);
	cells[i++] = p->upn;
	cells[i++] = p->legal_surname;
	cells[i++] = p->legal_forename;
	cells[i++] = p->preferred_surname;
	cells[i++] = p->preferred_forename;
	cells[i++] = date_iso(p->dob, dob);
	cells[i++] = p->year;
	cells[i++] = p->class_name;
	cells[i++] = g;
	cells[i++] = st;
	cells[i++] = date_iso(p->status_since, since);
	for (int k = 0; k < PUPIL_NEEDS_MAX; k++)
		cells[i++] = k < p->n_needs ? p->needs[k] : "";
	cells[i++] = yes_no(p->flags, FLAG_PP);
	cells[i++] = yes_no(p->flags, FLAG_FSM);
	cells[i++] = yes_no(p->flags, FLAG_CIC);
	cells[i++] = yes_no(p->flags, FLAG_EAL);
	cells[i++] = att;
	cells[i++] = date_iso(p->left_on, left);
	while (c->at < c->n && c->slots[c->at].id < p->id)
		c->at++;
	if (c->at == c->n || c->slots[c->at].id != p->id)
		return 0;	/* added since the order was read */
	at = c->slots[c->at].pos;
	if ((c->off[at] = ftello(c->fp)) < 0)
		return serr_set(c->e, SE_IO, "exporting the pupils: out of "
		    "memory");
	put_row(c->fp, c->f, cells, i);
	c->len[at] = ftello(c->fp) - c->off[at];
	c->rows++;
	return 0;
}

static int
slot_cmp(const void *va, const void *vb)
{
	const struct pupil_slot *a = va, *b = vb;

	return a->id < b->id ? -1 : a->id > b->id;
}

static int
export_pupils(struct db *db, const struct export_opts *o, FILE *fp,
    int *rows, struct serr *e)
{
	static const char *const head[] = {
		"UPN", "Legal Surname", "Legal Forename", "Preferred Surname",
		"Preferred Forename", "DOB", "Year", "Reg", "Gender",
		"SEN Status", "SEN Status Since", "Primary Need",
		"Secondary Need", "Third Need", "Fourth Need", "Pupil Premium",
		"FSM", "In Care", "EAL", "Attendance %", "Left On",
	};
	struct pupils_ctx c = { .f = o->format, .e = e };
	struct pupil_slot *slots = NULL;
	int64_t *ids = NULL;
	char *buf = NULL;
	size_t n = 0, size = 0, k;
	bool began;
	int rc;

	put_row(fp, o->format, head, (int)(sizeof head / sizeof head[0]));
	/*
	 * The pupils come by id, one pass over each table, and their lines
	 * are put in the register's order (one sort of the ids) in memory:
	 * pupil_list in that order searched the table, the statuses and
	 * the needs for each pupil, 330,000 page reads at 100,000 pupils
	 * (1 s of system time) against 8,000.
	 */
	began = db_read_begin(db);	/* both passes of one state */
	if ((rc = pupil_list_order(db, o->include_archived, &ids, &n, e)) != 0)
		goto out;
	slots = xcalloc(n + 1, sizeof *slots);
	c.off = xcalloc(n + 1, sizeof *c.off);
	c.len = xcalloc(n + 1, sizeof *c.len);
	for (k = 0; k < n; k++) {
		slots[k].id = ids[k];
		slots[k].pos = k;
	}
	qsort(slots, n, sizeof *slots, slot_cmp);
	c.slots = slots;
	c.n = n;
	if ((c.fp = open_memstream(&buf, &size)) == NULL) {
		rc = serr_set(e, SE_IO, "exporting the pupils: out of memory");
		goto out;
	}
	if ((rc = pupil_list_by_id(db, o->include_archived, pupil_line, &c,
	    e)) != 0)
		goto out;
	if (fflush(c.fp) != 0) {
		rc = serr_set(e, SE_IO, "exporting the pupils: out of memory");
		goto out;
	}
	for (k = 0; k < n; k++)
		if (c.len[k] > 0)
			fwrite(buf + c.off[k], 1, (size_t)c.len[k], fp);
out:
	db_read_end(db, began);
	if (c.fp != NULL)
		fclose(c.fp);
	*rows = c.rows;
	free(buf);
	free(c.off);
	free(c.len);
	free(slots);
	free(ids);
	return rc;
}

/* --- targets ------------------------------------------------------------- */

struct targets_ctx {
	struct db *db;
	FILE *fp;
	enum table_format f;
	const struct who *who;
	const struct cycle *cy;
	char *ratings;		/* "date:value;..." being built */
	size_t len, cap;
	int rows;
	struct serr *e;
};

static int
add_rating(void *vctx, const struct rating *r)
{
	struct targets_ctx *c = vctx;
	char d[DATE_ISO_LEN], item[32];
	int n;

	if (r->value < 0)
		return 0;	/* a comment alone */
	n = snprintf(item, sizeof item, "%s%s:%d", c->len ? ";" : "",
	    date_iso(r->on, d), r->value);
	if (c->len + (size_t)n + 1 > c->cap) {
		c->cap = (c->len + (size_t)n + 1) * 2;
		c->ratings = xrealloc(c->ratings, c->cap);
	}
	memcpy(c->ratings + c->len, item, (size_t)n + 1);
	c->len += (size_t)n;
	return 0;
}

static int
target_line(void *vctx, const struct target *t)
{
	struct targets_ctx *c = vctx;
	char start[DATE_ISO_LEN], review[DATE_ISO_LEN], closed[DATE_ISO_LEN];
	char out_on[DATE_ISO_LEN], pos[16], latest[16];
	const char *cells[15];
	int i = 0, rc;

	c->len = 0;
	if (c->ratings != NULL)
		c->ratings[0] = '\0';
	if ((rc = target_ratings(c->db, t->id, add_rating, c, c->e)) != 0)
		return rc;
	snprintf(pos, sizeof pos, "%d", t->position);
	if (t->latest >= 0)
		snprintf(latest, sizeof latest, "%d", t->latest);
	else
		latest[0] = '\0';
	cells[i++] = c->who->upn;
	cells[i++] = c->who->name;
	cells[i++] = date_iso(c->cy->plan_start, start);
	cells[i++] = date_iso(c->cy->review_date, review);
	cells[i++] = date_iso(c->cy->closed_on, closed);
	cells[i++] = pos;
	cells[i++] = t->text;
	cells[i++] = t->criteria;
	cells[i++] = t->baseline;
	cells[i++] = area_code(t->area);
	cells[i++] = c->ratings != NULL ? c->ratings : "";
	cells[i++] = latest;
	cells[i++] = outcome_code(t->outcome);
	cells[i++] = date_iso(t->outcome_on, out_on);
	put_row(c->fp, c->f, cells, i);
	c->rows++;
	return 0;
}

static int
cycle_targets(void *vctx, const struct cycle *cy)
{
	struct targets_ctx *c = vctx;

	c->cy = cy;
	return target_list(c->db, cy->id, target_line, c, c->e);
}

static int
export_targets(struct db *db, const struct export_opts *o, FILE *fp,
    int *rows, struct serr *e)
{
	static const char *const head[] = {
		"UPN", "Name", "Cycle Start", "Review Date", "Cycle Closed",
		"Target", "Text", "Success Criteria", "Baseline", "Area",
		"Ratings", "Latest Rating", "Outcome", "Outcome Date",
	};
	struct targets_ctx c = { .db = db, .fp = fp, .f = o->format, .e = e };
	struct who_list l;
	int rc;

	put_row(fp, o->format, head, (int)(sizeof head / sizeof head[0]));
	if ((rc = gather(db, o->include_archived, &l, e)) != 0)
		goto out;
	for (int i = 0; i < l.n && rc == 0; i++) {
		c.who = &l.v[i];
		rc = cycle_list(db, l.v[i].id, cycle_targets, &c, e);
	}
out:
	*rows = c.rows;
	free(c.ratings);
	free(l.v);
	return rc;
}

/* --- cycles --------------------------------------------------------------- */

struct cycles_ctx {
	struct db *db;
	FILE *fp;
	enum table_format f;
	const struct who *who;
	int targets, achieved;
	int rows;
	struct serr *e;
};

static int
count_target(void *vctx, const struct target *t)
{
	struct cycles_ctx *c = vctx;

	c->targets++;
	if (t->outcome == OUTCOME_ACHIEVED)
		c->achieved++;
	return 0;
}

static int
cycle_line(void *vctx, const struct cycle *cy)
{
	struct cycles_ctx *c = vctx;
	char ps[DATE_ISO_LEN], pe[DATE_ISO_LEN], rv[DATE_ISO_LEN];
	char cl[DATE_ISO_LEN], nt[16], na[16];
	const char *cells[12];
	int i = 0, rc;

	c->targets = c->achieved = 0;
	if ((rc = target_list(c->db, cy->id, count_target, c, c->e)) != 0)
		return rc;
	snprintf(nt, sizeof nt, "%d", c->targets);
	snprintf(na, sizeof na, "%d", c->achieved);
	cells[i++] = c->who->upn;
	cells[i++] = c->who->name;
	cells[i++] = cy->closed_on == SDATE_NONE ? stage_code(cy->stage) :
	    "closed";
	cells[i++] = date_iso(cy->plan_start, ps);
	cells[i++] = date_iso(cy->plan_end, pe);
	cells[i++] = date_iso(cy->review_date, rv);
	cells[i++] = decision_name(cy->decision);
	cells[i++] = date_iso(cy->closed_on, cl);
	cells[i++] = nt;
	cells[i++] = na;
	cells[i++] = cy->parent_voice;
	cells[i++] = cy->pupil_voice;
	if (cy->decision == DECISION_NONE)
		cells[6] = "";
	put_row(c->fp, c->f, cells, i);
	c->rows++;
	return 0;
}

static int
export_cycles(struct db *db, const struct export_opts *o, FILE *fp,
    int *rows, struct serr *e)
{
	static const char *const head[] = {
		"UPN", "Name", "Stage", "Plan Start", "Plan End",
		"Review Date", "Decision", "Closed On", "Targets",
		"Targets Achieved", "Parent Voice", "Pupil Voice",
	};
	struct cycles_ctx c = { .db = db, .fp = fp, .f = o->format, .e = e };
	struct who_list l;
	int rc;

	put_row(fp, o->format, head, (int)(sizeof head / sizeof head[0]));
	if ((rc = gather(db, o->include_archived, &l, e)) != 0)
		goto out;
	for (int i = 0; i < l.n && rc == 0; i++) {
		c.who = &l.v[i];
		rc = cycle_list(db, l.v[i].id, cycle_line, &c, e);
	}
out:
	*rows = c.rows;
	free(l.v);
	return rc;
}

/* --- the provision map ------------------------------------------------------ */

struct iv_list {
	struct intervention *v;
	int n, cap;
};

static int
collect_iv(void *ctx, const struct intervention *iv)
{
	struct iv_list *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, (size_t)l->cap, sizeof *l->v);
	}
	/* What the costs need; the heap strings stay the lister's. */
	l->v[l->n] = *iv;
	l->v[l->n].description = NULL;
	l->v[l->n].evidence = NULL;
	l->n++;
	return 0;
}

struct en_list {
	struct enrolment *v;
	int n, cap;
};

static int
collect_en(void *ctx, const struct enrolment *en)
{
	struct en_list *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, (size_t)l->cap, sizeof *l->v);
	}
	l->v[l->n++] = *en;
	return 0;
}

static int
provision_lines(struct db *db, const struct intervention *iv,
    const struct export_opts *o, FILE *fp, int *rows, struct serr *e)
{
	struct en_list l = { 0 };
	struct pupil p;
	char name[2 * NAME_MAX_BYTES + 4], st[DATE_ISO_LEN], en[DATE_ISO_LEN];
	char gs[16], spw[16], min[16], cs[32], cy[32], entry[32], exit[32];
	char impact[32];
	const char *cells[18];
	int rc;

	if ((rc = enrolment_list_intervention(db, iv->id, collect_en, &l, e))
	    != 0)
		goto out;
	for (int k = 0; k < l.n; k++) {
		const struct enrolment *x = &l.v[k];
		int i = 0;

		if ((rc = pupil_get(db, x->pupil_id, &p, e)) != 0)
			goto out;
		if (p.archived && !o->include_archived)
			continue;
		pupil_display_name(&p, name, sizeof name);
		snprintf(gs, sizeof gs, "%d", x->group_size);
		snprintf(spw, sizeof spw, "%d", x->sessions_per_week);
		snprintf(min, sizeof min, "%d", x->minutes);
		cells[i++] = iv->name;
		cells[i++] = area_code(iv->area);
		cells[i++] = x->staff;
		cells[i++] = p.upn;
		cells[i++] = name;
		cells[i++] = date_iso(x->start, st);
		cells[i++] = date_iso(x->end, en);
		cells[i++] = x->ended ? "Y" : "N";
		cells[i++] = gs;
		cells[i++] = spw;
		cells[i++] = min;
		cells[i++] = money(derive_session_cost_pence(iv, x), cs,
		    sizeof cs);
		cells[i++] = money(derive_enrolment_cost_year_pence(iv, x), cy,
		    sizeof cy);
		cells[i++] = x->measure;
		cells[i++] = number(x->entry, entry, sizeof entry);
		cells[i++] = number(x->exit, exit, sizeof exit);
		cells[i++] = number(derive_impact(x), impact, sizeof impact);
		put_row(fp, o->format, cells, i);
		(*rows)++;
	}
out:
	free(l.v);
	return rc;
}

static int
export_provision(struct db *db, const struct export_opts *o, FILE *fp,
    int *rows, struct serr *e)
{
	static const char *const head[] = {
		"Intervention", "Area", "Staff", "UPN", "Name", "Start", "End",
		"Ended", "Group Size", "Sessions per Week", "Minutes",
		"Cost per Session", "Cost per Year", "Measure", "Entry", "Exit",
		"Impact",
	};
	struct iv_list l = { 0 };
	int rc;

	put_row(fp, o->format, head, (int)(sizeof head / sizeof head[0]));
	*rows = 0;
	if ((rc = intervention_list(db, true, collect_iv, &l, e)) != 0)
		goto out;
	for (int i = 0; i < l.n && rc == 0; i++)
		rc = provision_lines(db, &l.v[i], o, fp, rows, e);
out:
	free(l.v);
	return rc;
}

int
export_write(struct db *db, enum export_kind kind,
    const struct export_opts *o, FILE *fp, int *rows, struct serr *e)
{
	int n = 0, rc;

	if (o->format != TABLE_CSV && o->format != TABLE_TSV)
		return serr_set(e, SE_INVALID, "exports are CSV or TSV");
	switch (kind) {
	case EXPORT_PUPILS:
		rc = export_pupils(db, o, fp, &n, e);
		break;
	case EXPORT_TARGETS:
		rc = export_targets(db, o, fp, &n, e);
		break;
	case EXPORT_PROVISION:
		rc = export_provision(db, o, fp, &n, e);
		break;
	case EXPORT_CYCLES:
		rc = export_cycles(db, o, fp, &n, e);
		break;
	default:
		return serr_set(e, SE_INVALID, "no such export");
	}
	if (rows != NULL)
		*rows = n;
	if (rc == 0 && (ferror(fp) || fflush(fp) != 0))
		rc = serr_set(e, SE_IO, "writing the %s export failed",
		    export_kind_name(kind));
	return rc;
}
