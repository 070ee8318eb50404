/*
 * figures.c: the further figures of `senco report` (figures.h): the
 * caseload as a share of the roll, on track per group, impact per
 * measure, exclusions by SEN status, and the anonymised cluster return
 * with its suppression and merging.
 *
 * The register snapshot, the on-track rule, reviews and the provision
 * map come from report.c; only what it does not work out is read here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "derive.h"
#include "figures.h"
#include "xmalloc.h"

/* --- the caseload as a share of the roll ------------------------------------ */

void
fig_caseload(const struct report_caseload *c, int cfg_roll,
    struct fig_caseload *out)
{
	struct report_counts rc;

	memset(out, 0, sizeof *out);
	out->on_roll = c->roll;
	out->k = c->status_k;
	out->e = c->status_e;
	out->reg = out->k + out->e;
	/* A school cannot have fewer pupils than the caseload holds: a
	 * configured roll below that is out of date, and the caseload's
	 * count is the better figure. */
	if (cfg_roll > 0 && cfg_roll >= c->roll) {
		out->roll = cfg_roll;
		out->roll_from_config = true;
	} else {
		out->roll = c->roll;
		out->roll_short = cfg_roll > 0;
	}
	out->n = out->roll - out->reg;
	report_counts(c, &rc);
	memcpy(out->by_area, rc.by_area, sizeof out->by_area);
	memcpy(out->by_need, rc.by_need, sizeof out->by_need);
	out->no_need = rc.no_need;
}

void
fig_review_counts(const struct report_caseload *c, int days, int *overdue,
    int *due)
{
	int n, over = 0;

	n = report_reviews_count(c, days, &over);
	*overdue = over;
	*due = n - over;
}

/* --- on track per group ------------------------------------------------------- */

struct group_key {
	enum fig_by by;
	const char *key;
};

static bool
in_group(const struct report_pupil *p, void *ctx)
{
	const struct group_key *g = ctx;

	return strcmp(g->by == FIG_BY_YEAR ? p->year : p->need, g->key) == 0;
}

/* Add the group `key` to *v when it has a pupil in a cycle. */
static void
add_group(const struct report_caseload *c, enum fig_by by, const char *key,
    struct fig_track_row **v, int *n)
{
	struct group_key g = { by, key };
	struct report_track t;

	report_on_track(c, in_group, &g, &t);
	if (t.with_cycle == 0)
		return;
	*v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
	snprintf((*v)[*n].key, sizeof (*v)[*n].key, "%s", key);
	(*v)[*n].t = t;
	(*n)++;
}

static int
year_cmp(const void *va, const void *vb)
{
	const char *a = va, *b = vb;
	int d = year_order(a) - year_order(b);

	return d != 0 ? d : strcmp(a, b);
}

/* *out is the caller's to free. */
int
fig_on_track(const struct report_caseload *c, enum fig_by by,
    struct fig_track_row **out)
{
	struct fig_track_row *v = NULL;
	int n = 0, i, k;

	if (by == FIG_BY_NEED) {
		for (k = 0; k < NEED_CODE_COUNT; k++)
			add_group(c, by, need_codes[k].code, &v, &n);
		add_group(c, by, "", &v, &n);
	} else {
		/* The distinct year groups, in year order. */
		char (*years)[YEAR_MAX] = xcalloc((size_t)c->n + 1,
		    sizeof *years);
		int ny = 0;

		for (i = 0; i < c->n; i++) {
			for (k = 0; k < ny; k++)
				if (strcmp(years[k], c->pupils[i].year) == 0)
					break;
			if (k == ny)
				memcpy(years[ny++], c->pupils[i].year, YEAR_MAX);
		}
		qsort(years, (size_t)ny, sizeof *years, year_cmp);
		for (k = 0; k < ny; k++)
			add_group(c, by, years[k], &v, &n);
		free(years);
	}
	*out = v;
	return n;
}

/* --- impact ------------------------------------------------------------------ */

/* Finished enrolments, grouped by intervention and measure. */
static const char SQL_IMPACT[] =
    "SELECT i.id, i.name, coalesce(n.measure, ''), n.measure_kind, "
    "n.start_date, n.end_date, n.entry_score, n.exit_score "
    "FROM enrolment n JOIN intervention i ON i.id = n.intervention_id "
    "WHERE n.ended = 1 "
    "ORDER BY i.name COLLATE NOCASE, i.name, i.id, "
    "coalesce(n.measure, '') COLLATE NOCASE, n.measure_kind";

static enum measure_kind
kind_from_word(const char *w)
{
	if (w != NULL && strcmp(w, "age") == 0)
		return MEASURE_AGE;
	if (w != NULL && strcmp(w, "rating") == 0)
		return MEASURE_RATING;
	return MEASURE_SCORE;
}

static double
col_score(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, i);
}

struct impact_sums {
	double entry, exit, gain, ratio;
};

static void
impact_close(struct fig_impact *f, const struct impact_sums *s)
{
	f->mean_entry = f->n > 0 ? s->entry / f->n : NAN;
	f->mean_exit = f->n > 0 ? s->exit / f->n : NAN;
	f->mean_gain = f->n > 0 ? s->gain / f->n : NAN;
	f->mean_ratio = f->n_ratio > 0 ? s->ratio / f->n_ratio : NAN;
}

/* *out is the caller's to free, also after an error (then NULL). */
int
fig_impact_load(struct db *db, struct fig_impact **out, int *n,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IMPACT, e);
	struct fig_impact *v = NULL, *cur = NULL;
	struct impact_sums sums;
	int rc, count = 0;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	memset(&sums, 0, sizeof sums);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *measure = (const char *)sqlite3_column_text(st, 2);
		enum measure_kind kind = kind_from_word(
		    (const char *)sqlite3_column_text(st, 3));
		struct enrolment en;
		double x;

		if (measure == NULL)
			measure = "";
		if (cur == NULL || cur->iv_id != id || cur->kind != kind ||
		    strcasecmp(cur->measure, measure) != 0) {
			if (cur != NULL)
				impact_close(cur, &sums);
			v = xreallocarray(v, (size_t)count + 1, sizeof *v);
			cur = &v[count++];
			memset(cur, 0, sizeof *cur);
			memset(&sums, 0, sizeof sums);
			cur->iv_id = id;
			db_col_copy(st, 1, cur->name, sizeof cur->name);
			snprintf(cur->measure, sizeof cur->measure, "%s",
			    measure);
			cur->kind = kind;
		}
		enrolment_init(&en);
		en.measure_kind = kind;
		en.start = db_col_date(st, 4);
		en.end = db_col_date(st, 5);
		en.ended = true;
		en.entry = col_score(st, 6);
		en.exit = col_score(st, 7);
		cur->finished++;
		if (!isnan(x = derive_impact(&en))) {
			cur->n++;
			sums.entry += en.entry;
			sums.exit += en.exit;
			sums.gain += x;
		}
		if (!isnan(x = derive_ratio_gain(&en))) {
			cur->n_ratio++;
			sums.ratio += x;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return db_fail(db, rc, e, "report: reading the enrolments");
	}
	if (cur != NULL)
		impact_close(cur, &sums);
	*out = v;
	*n = count;
	return 0;
}

/* --- exclusions ---------------------------------------------------------------- */

/*
 * Every pupil on roll at some time from ?1 to ?2, with the SEN status
 * open on the last day of the period (or the day they left, if earlier;
 * none open then means N), and their exclusions in the period. Read as
 * one walk in pupil id order over streams joined in C: the pupils'
 * table; the status rows by pupil and start; each pupil's open status
 * (from the index of statuses by pupil, or the register already read,
 * for the cluster return); and, in memory, the status rows that ended (a
 * few thousand, by id) and the period's exclusions (few, sorted in C).
 * A status row that has not ended is the pupil's open one. Each pupil
 * is counted as the walk passes it: no array of pupils. Searching each
 * pupil's status and exclusions in SQL cost four searches a pupil
 * (400,000 at 100,000 pupils); a pass over every status row's end and
 * status was a third of the cluster return.
 */
static const char SQL_EX_PUPILS[] =
    "SELECT id, archived, left_on FROM pupil ORDER BY id";
static const char SQL_EX_STARTS[] =
    "SELECT pupil_id, id, start_date FROM sen_status "
    "INDEXED BY sen_status_pupil ORDER BY pupil_id, start_date, id";
/* The open statuses, by pupil, when the register has not been read. */
static const char SQL_EX_OPENS[] =
    "SELECT pupil_id, status FROM sen_status INDEXED BY sen_status_now"
    " WHERE end_date IS NULL ORDER BY pupil_id";
/* The rows that ended, by their id (from the index by end date), and
 * the open status of a pupil who left (few). */
static const char SQL_EX_CLOSED[] =
    "SELECT id, end_date, status FROM sen_status "
    "INDEXED BY sen_status_current WHERE end_date IS NOT NULL";
static const char SQL_EX_OPEN_OF[] =
    "SELECT status FROM sen_status WHERE pupil_id = ?1 AND end_date IS NULL";
static const char SQL_EX_EXCLUSIONS[] =
    "SELECT pupil_id, kind, sessions FROM exclusion "
    "WHERE excluded_on BETWEEN ?1 AND ?2";

/* ISO dates compared as text, as SQL compares them. */
#define EX_DATE_MAX 24

/* A statement read in pupil order, one row ahead. */
struct ex_stream {
	sqlite3_stmt *st;
	int rc;
};

/* Past the rows of pupils before id. */
static void
ex_skip(struct ex_stream *s, int64_t id)
{
	while (s->rc == SQLITE_ROW && sqlite3_column_int64(s->st, 0) < id)
		s->rc = sqlite3_step(s->st);
}

/* One exclusion in the period. */
struct ex_row {
	int64_t pupil_id;
	int sessions;
	char kind;		/* 's' suspension, 'p' permanent, else 0 */
};

static int
ex_row_cmp(const void *va, const void *vb)
{
	const struct ex_row *a = va, *b = vb;

	return a->pupil_id < b->pupil_id ? -1 : a->pupil_id > b->pupil_id;
}

/* snprintf's copy, at a fraction of its cost (once a row). */
static void
ex_copy(char dst[EX_DATE_MAX], const char *src)
{
	size_t n = strlen(src);

	if (n >= EX_DATE_MAX)
		n = EX_DATE_MAX - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The period's exclusions, by pupil; *out is the caller's to free (also
 * after an error). */
static int
ex_exclusions(struct db *db, const char *from, const char *to,
    struct ex_row **out, size_t *n, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EX_EXCLUSIONS, e);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		struct ex_row *x;

		if (kind == NULL)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		x = &(*out)[(*n)++];
		x->pupil_id = sqlite3_column_int64(st, 0);
		x->sessions = sqlite3_column_int(st, 2);
		x->kind = strcmp(kind, "suspension") == 0 ? 's' :
		    strcmp(kind, "permanent") == 0 ? 'p' : 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "report: reading the exclusions");
	if (*n > 1)	/* none: *out may be NULL, which qsort may not take */
		qsort(*out, *n, sizeof **out, ex_row_cmp);
	return 0;
}

/* A status row that ended: its id, end and status. */
struct ex_closed {
	int64_t id;
	char *end;
	char status;
};

static int
ex_closed_cmp(const void *va, const void *vb)
{
	const struct ex_closed *a = va, *b = vb;

	return a->id < b->id ? -1 : a->id > b->id;
}

static void
ex_closed_free(struct ex_closed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].end);
	free(v);
}

/* The status rows that ended, by id; *out is the caller's to free with
 * ex_closed_free (also after an error). */
static int
ex_closed_read(struct db *db, struct ex_closed **out, size_t *n,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EX_CLOSED, e);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 2);
		struct ex_closed *x;

		*out = report_grow(*out, &cap, *n, sizeof **out);
		x = &(*out)[(*n)++];
		x->id = sqlite3_column_int64(st, 0);
		x->end = db_col_dup(st, 1);
		x->status = s != NULL ? *s : 'N';
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "report: reading the SEN statuses");
	if (*n > 1)
		qsort(*out, *n, sizeof **out, ex_closed_cmp);
	return 0;
}

/* The open status of a pupil who left ('N' none), or 0 on an error. */
static char
ex_open_of(struct db *db, int64_t id, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EX_OPEN_OF, e);
	char status = 'N';
	int rc;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		status = s != NULL ? *s : 'N';
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, rc, e, "report: reading the SEN statuses");
		return 0;
	}
	return status;
}

/*
 * The status of pupil id open on day: of its rows open then, the latest
 * start (the highest id of two starting the same day), that is the last
 * in the order of starts. A row is among those that ended (closed,
 * n_closed of them, by id) or is the pupil's open one, of status open.
 */
static char
ex_status_of(struct ex_stream *starts, const struct ex_closed *closed,
    size_t n_closed, char open, int64_t id, const char *day)
{
	char status = 'N';

	ex_skip(starts, id);
	while (starts->rc == SQLITE_ROW &&
	    sqlite3_column_int64(starts->st, 0) == id) {
		struct ex_closed key = { sqlite3_column_int64(starts->st, 1),
		    NULL, 0 };
		const char *start = (const char *)sqlite3_column_text(
		    starts->st, 2);
		const struct ex_closed *x;

		if (start != NULL && strcmp(start, day) <= 0) {
			x = n_closed > 0 ? bsearch(&key, closed, n_closed,
			    sizeof *closed, ex_closed_cmp) : NULL;
			if (x == NULL)
				status = open;
			else if (x->end == NULL || strcmp(x->end, day) >= 0)
				status = x->status;
		}
		starts->rc = sqlite3_step(starts->st);
	}
	return status;
}

sdate
fig_academic_year_start(sdate d)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	return date_from_ymd(m >= 9 ? y : y - 1, 9, 1);
}

/* The open status of pupil id on roll ('N' none): from the register
 * read already (c, by pupil; *reg walks it), else from opens. */
static char
ex_open_on_roll(const struct report_caseload *c, int *reg,
    struct ex_stream *opens, int64_t id)
{
	const char *s;

	if (c != NULL) {
		while (*reg < c->n && c->pupils[*reg].pupil_id < id)
			(*reg)++;
		return *reg < c->n && c->pupils[*reg].pupil_id == id ?
		    c->pupils[*reg].status : 'N';
	}
	ex_skip(opens, id);
	if (opens->rc != SQLITE_ROW || sqlite3_column_int64(opens->st, 0) != id)
		return 'N';
	s = (const char *)sqlite3_column_text(opens->st, 1);
	return s != NULL ? *s : 'N';
}

/*
 * fig_exclusions_load, and with c (not NULL) fig_exclusions_of: the open
 * statuses of pupils on roll from c, else from sen_status.
 */
static int
ex_load(struct db *db, const struct report_caseload *c, sdate from,
    sdate to, int cfg_roll, struct fig_exclusions *out, struct serr *e)
{
	struct ex_stream pupils = { NULL, SQLITE_DONE };
	struct ex_stream starts = { NULL, SQLITE_DONE };
	struct ex_stream opens = { NULL, SQLITE_DONE };
	struct ex_row *x = NULL;
	struct ex_closed *closed = NULL;
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN], day[EX_DATE_MAX];
	size_t n_x = 0, at = 0, n_closed = 0;
	int rc, g, reg = 0;
	bool began = false;

	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	if (from > to)
		return serr_set(e, SE_INVALID, "report exclusions: the period "
		    "starts (%s) after it ends (%s)", date_iso(from, a),
		    date_iso(to, b));
	date_iso(from, a);
	date_iso(to, b);
	if ((pupils.st = db_stmt(db, SQL_EX_PUPILS, e)) == NULL ||
	    (starts.st = db_stmt(db, SQL_EX_STARTS, e)) == NULL ||
	    (c == NULL && (opens.st = db_stmt(db, SQL_EX_OPENS, e)) == NULL)) {
		rc = e != NULL ? e->code : SE_DB;
		goto out;
	}
	/* the rows that ended and the streams from one state */
	began = db_read_begin(db);
	if ((rc = ex_closed_read(db, &closed, &n_closed, e)) != 0)
		goto out;
	pupils.rc = sqlite3_step(pupils.st);
	starts.rc = sqlite3_step(starts.st);
	if (c == NULL)
		opens.rc = sqlite3_step(opens.st);
	if ((rc = ex_exclusions(db, a, b, &x, &n_x, e)) != 0)
		goto out;
	for (; pupils.rc == SQLITE_ROW; pupils.rc = sqlite3_step(pupils.st)) {
		int64_t id = sqlite3_column_int64(pupils.st, 0);
		bool left_roll = sqlite3_column_int64(pupils.st, 1) != 0;
		const char *left = (const char *)sqlite3_column_text(pupils.st,
		    2);
		int susp = 0, perm = 0;
		char status, open;

		/* archived = 0 OR (left_on IS NOT NULL AND left_on >= from) */
		if (left_roll && (left == NULL || strcmp(left, a) < 0))
			continue;
		/* min(to, coalesce(left_on, to)) */
		ex_copy(day, left != NULL && strcmp(left, b) < 0 ? left : b);
		/* the open status: on roll, the register's; of a pupil who
		 * left, searched */
		open = left_roll ? ex_open_of(db, id, e) :
		    ex_open_on_roll(c, &reg, &opens, id);
		if (open == 0) {
			rc = e != NULL ? e->code : SE_DB;
			goto out;
		}
		status = ex_status_of(&starts, closed, n_closed, open, id, day);
		switch (status) {
		case 'K':
			g = FIG_K;
			break;
		case 'E':
			g = FIG_E;
			break;
		default:
			g = FIG_N;
			break;
		}
		while (at < n_x && x[at].pupil_id < id)
			at++;
		for (; at < n_x && x[at].pupil_id == id; at++)
			if (x[at].kind == 's') {
				susp++;
				out->sessions[g] += x[at].sessions;
			} else if (x[at].kind == 'p') {
				perm++;
			}
		out->pupils[g]++;
		out->suspensions[g] += susp;
		out->one_plus[g] += susp >= 1;
		out->two_plus[g] += susp >= 2;
		out->permanent[g] += perm >= 1;
	}
	if (pupils.rc != SQLITE_DONE) {
		rc = db_fail(db, pupils.rc, e, "report: reading the pupils");
		goto out;
	}
	if ((starts.rc != SQLITE_ROW && starts.rc != SQLITE_DONE) ||
	    (opens.rc != SQLITE_ROW && opens.rc != SQLITE_DONE)) {
		rc = db_fail(db, starts.rc != SQLITE_ROW && starts.rc !=
		    SQLITE_DONE ? starts.rc : opens.rc, e,
		    "report: reading the SEN statuses");
		goto out;
	}
	/* The caseload may hold only part of a school whose roll is
	 * configured: the rest of the roll has no SEN and, being absent,
	 * no exclusion recorded here. */
	if (cfg_roll > 0 && cfg_roll - out->pupils[FIG_K] - out->pupils[FIG_E] >
	    out->pupils[FIG_N])
		out->pupils[FIG_N] = cfg_roll - out->pupils[FIG_K] -
		    out->pupils[FIG_E];
	for (g = FIG_N; g < FIG_ALL; g++) {
		out->pupils[FIG_ALL] += out->pupils[g];
		out->suspensions[FIG_ALL] += out->suspensions[g];
		out->sessions[FIG_ALL] += out->sessions[g];
		out->one_plus[FIG_ALL] += out->one_plus[g];
		out->two_plus[FIG_ALL] += out->two_plus[g];
		out->permanent[FIG_ALL] += out->permanent[g];
	}
out:
	if (pupils.st != NULL)
		sqlite3_reset(pupils.st);
	if (starts.st != NULL)
		sqlite3_reset(starts.st);
	if (opens.st != NULL)
		sqlite3_reset(opens.st);
	db_read_end(db, began);
	ex_closed_free(closed, n_closed);
	free(x);
	return rc;
}

int
fig_exclusions_load(struct db *db, sdate from, sdate to, int cfg_roll,
    struct fig_exclusions *out, struct serr *e)
{
	return ex_load(db, NULL, from, to, cfg_roll, out, e);
}

int
fig_exclusions_of(struct db *db, const struct report_caseload *c,
    sdate from, sdate to, int cfg_roll, struct fig_exclusions *out,
    struct serr *e)
{
	return ex_load(db, c, from, to, cfg_roll, out, e);
}

/* --- cells ------------------------------------------------------------------------ */

char *
fig_cell_show(const struct fig_cell *c, char *buf, size_t n)
{
	switch (c->shown) {
	case FIG_SMALL:
		snprintf(buf, n, "<%d", FIG_SMALL_MAX + 1);
		break;
	case FIG_WITHHELD:
		snprintf(buf, n, "c");
		break;
	case FIG_ATLEAST:
		snprintf(buf, n, ">=%lld", (long long)c->value);
		break;
	default:
		snprintf(buf, n, "%lld", (long long)c->value);
		break;
	}
	return buf;
}

/* A whole number of at most 15 digits, nothing else. */
static int
parse_count(const char *s, int64_t *out)
{
	int64_t v = 0;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 15)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (*s != '\0' || digits == 0)
		return -1;
	*out = v;
	return 0;
}

int
fig_cell_parse(const char *s, bool plain, struct fig_cell *out)
{
	char small[8];

	memset(out, 0, sizeof *out);
	snprintf(small, sizeof small, "<%d", FIG_SMALL_MAX + 1);
	if (strcmp(s, small) == 0) {
		out->shown = FIG_SMALL;
		return 0;
	}
	if (strcmp(s, "c") == 0) {
		out->shown = FIG_WITHHELD;
		return 0;
	}
	if (strncmp(s, ">=", 2) == 0) {
		out->shown = FIG_ATLEAST;
		return parse_count(s + 2, &out->value);
	}
	out->shown = FIG_EXACT;
	if (parse_count(s, &out->value) != 0)
		return -1;
	/* An exact small count would be a return that was not suppressed:
	 * refuse it rather than pass a small number on. */
	if (!plain && out->value >= FIG_SMALL_MIN &&
	    out->value <= FIG_SMALL_MAX)
		return -1;
	return 0;
}

int64_t
fig_cell_low(const struct fig_cell *c)
{
	switch (c->shown) {
	case FIG_SMALL:		return FIG_SMALL_MIN;
	case FIG_WITHHELD:	return FIG_SMALL_MAX + 1;
	default:		return c->value;
	}
}

/* The most the cell can stand for, -1 when there is no bound. */
static int64_t
cell_high(const struct fig_cell *c)
{
	switch (c->shown) {
	case FIG_SMALL:		return FIG_SMALL_MAX;
	case FIG_EXACT:		return c->value;
	default:		return -1;
	}
}

bool
fig_cell_pct(const struct fig_cell *c, const struct fig_cell *base,
    double *pct)
{
	if (c->shown != FIG_EXACT || base == NULL ||
	    base->shown != FIG_EXACT || base->value <= 0)
		return false;
	*pct = 100.0 * (double)c->value / (double)base->value;
	return true;
}

char *
fig_pct_show(const struct fig_cell *c, const struct fig_cell *base,
    char *buf, size_t n)
{
	double p;

	if (fig_cell_pct(c, base, &p))
		snprintf(buf, n, "%.1f", p);
	else if (c->shown == FIG_ATLEAST && base != NULL &&
	    base->shown == FIG_EXACT && base->value > 0)
		snprintf(buf, n, ">=%.1f", 100.0 * (double)c->value /
		    (double)base->value);
	else
		snprintf(buf, n, "c");
	return buf;
}

/* --- the layout of a return --------------------------------------------------------- */

#define M_SCHOOLS	"returns"
#define M_ROLL		"roll"
#define M_STATUS	"status"
#define M_AREA		"area"
#define M_NEED		"need"
#define M_TRACK		"on track"
#define M_REVIEWS	"reviews"
#define M_PROVISION	"provision"
#define M_EXPUPILS	"exclusions: pupils"
#define M_SUSP		"suspensions"
#define M_ONE		"pupils with 1+ suspensions"
#define M_TWO		"pupils with 2+ suspensions"
#define M_PERM		"permanent exclusions"

static const char *const sen_groups[FIG_GROUPS] = { "N", "K", "E", "all" };
static const char *const area_groups[AREA_COUNT] = {
	"none", "CI", "CL", "SEMH", "SP"
};

struct builder {
	struct fig_return *r;
	int cap;
};

static int
add_line(struct builder *b, const char *measure, const char *group)
{
	struct fig_line *l;

	if (b->r->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->r->lines = xreallocarray(b->r->lines, (size_t)b->cap,
		    sizeof *b->r->lines);
	}
	l = &b->r->lines[b->r->n];
	memset(l, 0, sizeof *l);
	l->measure = measure;
	snprintf(l->group, sizeof l->group, "%s", group);
	l->base = -1;
	l->total = -1;
	return b->r->n++;
}

void
fig_return_layout(struct fig_return *out, int days)
{
	struct builder b = { out, 0 };
	char due[32];
	int roll, reg, track, cycles, ex[FIG_GROUPS], i, k, g;
	static const char *const ex_measures[] = {
		M_SUSP, M_ONE, M_TWO, M_PERM
	};

	memset(out, 0, sizeof *out);
	out->days = days;
	i = add_line(&b, M_SCHOOLS, "schools");
	out->lines[i].plain = true;
	roll = add_line(&b, M_ROLL, "all");
	/* N and the register (K and E) add up to the roll; K and E to the
	 * register. */
	i = add_line(&b, M_STATUS, "N");
	out->lines[i].base = roll;
	out->lines[i].total = roll;
	reg = add_line(&b, M_STATUS, "K and E");
	out->lines[reg].base = roll;
	out->lines[reg].total = roll;
	for (k = 0; k < 2; k++) {
		i = add_line(&b, M_STATUS, k == 0 ? "K" : "E");
		out->lines[i].base = roll;
		out->lines[i].total = reg;
	}
	for (k = 1; k <= AREA_COUNT; k++) {
		/* the areas in order, none last */
		i = add_line(&b, M_AREA, area_groups[k % AREA_COUNT]);
		out->lines[i].base = reg;
		out->lines[i].total = reg;
	}
	for (k = 0; k <= NEED_CODE_COUNT; k++) {
		i = add_line(&b, M_NEED, k < NEED_CODE_COUNT ?
		    need_codes[k].code : "none");
		out->lines[i].base = reg;
		out->lines[i].total = reg;
	}
	track = add_line(&b, M_TRACK, "pupils with targets");
	out->lines[track].base = reg;
	i = add_line(&b, M_TRACK, "all targets");
	out->lines[i].base = track;
	i = add_line(&b, M_TRACK, "half or more");
	out->lines[i].base = track;
	cycles = add_line(&b, M_REVIEWS, "open cycles");
	out->lines[cycles].base = reg;
	i = add_line(&b, M_REVIEWS, "overdue");
	out->lines[i].base = cycles;
	snprintf(due, sizeof due, "due within %d days", days);
	i = add_line(&b, M_REVIEWS, due);
	out->lines[i].base = cycles;
	i = add_line(&b, M_PROVISION, "pupils");
	out->lines[i].base = roll;
	i = add_line(&b, M_PROVISION, "over top-up");
	out->lines[i].base = reg;
	/* "all" first so the groups can name it as their total. */
	ex[FIG_ALL] = add_line(&b, M_EXPUPILS, sen_groups[FIG_ALL]);
	for (g = FIG_N; g < FIG_ALL; g++) {
		ex[g] = add_line(&b, M_EXPUPILS, sen_groups[g]);
		out->lines[ex[g]].total = ex[FIG_ALL];
	}
	for (k = 0; k < 4; k++) {
		int all = add_line(&b, ex_measures[k], sen_groups[FIG_ALL]);

		out->lines[all].base = ex[FIG_ALL];
		for (g = FIG_N; g < FIG_ALL; g++) {
			i = add_line(&b, ex_measures[k], sen_groups[g]);
			out->lines[i].base = ex[g];
			out->lines[i].total = all;
		}
	}
}

int
fig_return_find(const struct fig_return *r, const char *measure,
    const char *group)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->lines[i].measure, measure) == 0 &&
		    strcmp(r->lines[i].group, group) == 0)
			return i;
	return -1;
}

void
fig_return_free(struct fig_return *r)
{
	free(r->school);
	free(r->lines);
	memset(r, 0, sizeof *r);
}

/* --- making one school's return ---------------------------------------------------- */

static void
set(struct fig_return *r, const char *measure, const char *group,
    int64_t value)
{
	int i = fig_return_find(r, measure, group);

	if (i >= 0) {
		r->lines[i].cell.shown = FIG_EXACT;
		r->lines[i].cell.value = value;
	}
}

static bool
suppressed(const struct fig_cell *c)
{
	return c->shown == FIG_SMALL || c->shown == FIG_WITHHELD;
}

/* Is line i in the table of `total` and `measure`: a member, or the
 * total itself? */
static bool
in_table(const struct fig_return *r, int i, int total, const char *measure)
{
	return i == total || (r->lines[i].total == total &&
	    strcmp(r->lines[i].measure, measure) == 0);
}

/*
 * Can a suppressed count in a table be worked out? A table is the lines
 * of one measure that add up to the same total, and that total. Safe
 * when none is suppressed; not safe when only one is (the sum gives it
 * away), nor when the suppressed ones are all small members and their
 * sum, known from the total, pins every one of them (two that add to 2
 * are 1 and 1; to 8, 4 and 4).
 */
static bool
table_safe(const struct fig_return *r, int total, const char *measure)
{
	int64_t hidden = 0;
	int k = 0, small = 0, i;

	for (i = 0; i < r->n; i++) {
		const struct fig_cell *c = &r->lines[i].cell;

		if (!in_table(r, i, total, measure) || !suppressed(c))
			continue;
		k++;
		if (i != total) {
			small += c->shown == FIG_SMALL;
			hidden += c->value;
		}
	}
	if (k == 0)
		return true;
	if (k == 1)
		return false;
	return small < k || (hidden != (int64_t)k * FIG_SMALL_MIN &&
	    hidden != (int64_t)k * FIG_SMALL_MAX);
}

/* Withhold the smallest exact non-zero member of the table, or else its
 * total. Returns false when there is none to withhold. */
static bool
withhold_one(struct fig_return *r, int total, const char *measure)
{
	int best = -1, i;

	for (i = 0; i < r->n; i++) {
		const struct fig_cell *c = &r->lines[i].cell;

		if (i == total || !in_table(r, i, total, measure) ||
		    suppressed(c) || c->value == 0)
			continue;
		if (best < 0 || c->value < r->lines[best].cell.value)
			best = i;
	}
	if (best < 0 && !suppressed(&r->lines[total].cell) &&
	    r->lines[total].cell.value != 0)
		best = total;
	if (best < 0)
		return false;
	r->lines[best].cell.shown = FIG_WITHHELD;
	return true;
}

/* Primary suppression, then secondary until every table is safe (a
 * count withheld in one table may open another: the register is a
 * member of the roll's table and the total of the areas' and needs'). */
static void
suppress(struct fig_return *r)
{
	bool changed = true;
	int i, rounds = 0;

	for (i = 0; i < r->n; i++) {
		struct fig_cell *c = &r->lines[i].cell;

		if (!r->lines[i].plain && c->shown == FIG_EXACT &&
		    c->value >= FIG_SMALL_MIN && c->value <= FIG_SMALL_MAX)
			c->shown = FIG_SMALL;
	}
	/* Each round withholds a count or stops, so r->n rounds end it. */
	while (changed && rounds++ <= r->n) {
		changed = false;
		for (i = 0; i < r->n; i++) {
			const struct fig_line *l = &r->lines[i];

			if (l->total >= 0 &&
			    !table_safe(r, l->total, l->measure) &&
			    withhold_one(r, l->total, l->measure))
				changed = true;
		}
	}
}

void
fig_return_make(const struct fig_sources *s, const char *school, sdate date,
    struct fig_return *out)
{
	const struct fig_caseload *f = s->roll;
	const struct fig_exclusions *x = s->exclusions;
	const struct report_pupil **over = NULL;
	struct report_track t;
	char due[32];
	int k, g, overdue, due_n;

	fig_return_layout(out, s->days);
	out->school = xstrdup(school != NULL ? school : "");
	out->date = date;
	out->returns = 1;
	set(out, M_SCHOOLS, "schools", 1);
	set(out, M_ROLL, "all", f->roll);
	set(out, M_STATUS, "K and E", f->reg);
	set(out, M_STATUS, "N", f->n);
	set(out, M_STATUS, "K", f->k);
	set(out, M_STATUS, "E", f->e);
	for (k = 0; k < AREA_COUNT; k++)
		set(out, M_AREA, area_groups[k], f->by_area[k]);
	for (k = 0; k < NEED_CODE_COUNT; k++)
		set(out, M_NEED, need_codes[k].code, f->by_need[k]);
	set(out, M_NEED, "none", f->no_need);
	report_on_track(s->caseload, NULL, NULL, &t);
	set(out, M_TRACK, "pupils with targets", t.pupils);
	set(out, M_TRACK, "all targets", t.all);
	set(out, M_TRACK, "half or more", t.half);
	fig_review_counts(s->caseload, s->days, &overdue, &due_n);
	set(out, M_REVIEWS, "open cycles", t.with_cycle);
	set(out, M_REVIEWS, "overdue", overdue);
	snprintf(due, sizeof due, "due within %d days", s->days);
	set(out, M_REVIEWS, due, due_n);
	set(out, M_PROVISION, "pupils", s->provision->pupils);
	set(out, M_PROVISION, "over top-up",
	    report_over_topup(s->caseload, &over));
	free(over);
	for (g = 0; g < FIG_GROUPS; g++) {
		set(out, M_EXPUPILS, sen_groups[g], x->pupils[g]);
		set(out, M_SUSP, sen_groups[g], x->suspensions[g]);
		set(out, M_ONE, sen_groups[g], x->one_plus[g]);
		set(out, M_TWO, sen_groups[g], x->two_plus[g]);
		set(out, M_PERM, sen_groups[g], x->permanent[g]);
	}
	suppress(out);
}

/* --- merging ------------------------------------------------------------------------ */

int
fig_return_add(struct fig_return *sum, const struct fig_return *add,
    struct serr *e)
{
	int i;

	if (sum->n != add->n || sum->days != add->days)
		return serr_set(e, SE_INVALID, "report cluster: the returns "
		    "count reviews due over different windows (%d and %d "
		    "days)", sum->days, add->days);
	for (i = 0; i < sum->n; i++) {
		struct fig_cell *a = &sum->lines[i].cell;
		const struct fig_cell *b = &add->lines[i].cell;
		int64_t ha = cell_high(a), hb = cell_high(b);

		if (a->shown == FIG_EXACT && b->shown == FIG_EXACT) {
			a->value += b->value;
			continue;
		}
		a->value = fig_cell_low(a) + fig_cell_low(b);
		/* Bounded on both sides at 4 or less: still a small number. */
		if (ha >= 0 && hb >= 0 && ha + hb <= FIG_SMALL_MAX &&
		    a->value >= FIG_SMALL_MIN) {
			a->shown = FIG_SMALL;
			a->value = 0;
		} else
			a->shown = FIG_ATLEAST;
	}
	sum->returns += add->returns;
	if (add->date > sum->date)
		sum->date = add->date;
	return 0;
}
