/*
 * outcome_import.c: the importer of assessment results and attendance,
 * by the rules of the pupil import (import.h): each row is checked and
 * every bad one listed "file:line: column: why" while the rest are still
 * read; a refused row means nothing is written unless skip_bad; a dry run
 * writes nothing; a real run is one transaction.
 *
 * The file is read by io/outcomefile.c, which hands the header and each
 * row here; the counts and messages go into the struct import_result the
 * pupil import fills, so the CLI prints both alike.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "outcome.h"
#include "xmalloc.h"

#define VALUE_MAX 256		/* a cell longer than this is refused */
#define HEADER_QUOTE_MAX 200	/* how much of a bad header line to quote */
#define MAX_COLS 8
#define SESSIONS_MAX 9999
/* A percentage and the sessions it came from may differ by rounding. */
#define PERCENT_SLACK 0.5

/* --- columns -------------------------------------------------------------- */

struct colspec {
	const char *label;		/* for messages without a header */
	bool required;
	const char *names[10];		/* header names, any case and spacing */
};

enum { R_UPN, R_SUBJECT, R_POINT, R_RESULT, R_TYPE, R_DATE, R_NCOLS };
static const struct colspec result_cols[R_NCOLS] = {
	{ "UPN", true, { "UPN", "Unique Pupil Number", "Pupil UPN", NULL } },
	{ "subject", true, { "Subject", "Subject Name", "Aspect", NULL } },
	{ "assessment point", true, { "Assessment Point", "Point",
	    "Assessment", "Result Set", "Collection", "Assessment Period",
	    NULL } },
	{ "result", true, { "Result", "Grade", "Outcome", "Value", "Band",
	    "Score", "Mark", NULL } },
	{ "type", false, { "Type", "Kind", "Result Type", NULL } },
	{ "date", false, { "Date", "Assessed", "Date Assessed",
	    "Assessment Date", "Assessed On", NULL } },
};

enum { A_UPN, A_TERM, A_PERCENT, A_POSSIBLE, A_ATTENDED, A_NCOLS };
static const struct colspec attendance_cols[A_NCOLS] = {
	{ "UPN", true, { "UPN", "Unique Pupil Number", "Pupil UPN", NULL } },
	{ "term", true, { "Term", "Term Name", "Period", NULL } },
	{ "attendance %", false, { "Attendance", "Attendance %",
	    "Attendance Percentage", "Attendance Percent", "% Attendance",
	    "Percentage", "Percent", "Overall Attendance", NULL } },
	{ "possible sessions", false, { "Possible", "Possible Sessions",
	    "Sessions Possible", "Possible Marks", NULL } },
	{ "attended sessions", false, { "Attended", "Sessions Attended",
	    "Attended Sessions", "Present", "Present Sessions",
	    "Attendances", NULL } },
};

/* Header words without case, spaces or punctuation: "Assessment_Point"
 * and "assessment point" are one. */
static void
norm_header(const char *s, char *out, size_t n)
{
	size_t o = 0;

	for (; *s != '\0' && o + 1 < n; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			out[o++] = (char)tolower((unsigned char)*s);
	out[o] = '\0';
}

static int
header_field(const struct colspec *cols, int ncols, const char *h)
{
	char a[128], b[128];

	norm_header(h, a, sizeof a);
	if (a[0] == '\0')
		return -1;
	for (int f = 0; f < ncols; f++)
		for (int k = 0; cols[f].names[k] != NULL; k++) {
			norm_header(cols[f].names[k], b, sizeof b);
			if (strcmp(a, b) == 0)
				return f;
		}
	return -1;
}

/* --- a run ---------------------------------------------------------------- */

struct known_pupil {
	char upn[UPN_LEN + 1];
	int64_t id;
	sdate dob;
};

/* Keys seen in this file ("pupil|point|subject"), with their line. */
struct keyset {
	char **keys;
	int *lines;
	size_t cap, n;
};

struct row;
typedef int (*row_fn)(struct row *x, struct serr *e);

/* One import in progress (outcome.h's struct outcome_importer). */
struct outcome_importer {
	struct db *db;
	struct import_opts o;
	struct import_result *res;
	enum outcome_import_kind kind;
	const struct colspec *cols;
	int ncols;
	row_fn fn;
	const char *noun;		/* "result" */
	bool have_header;
	int col[MAX_COLS];		/* -1: not in the file */
	const char *label[MAX_COLS];	/* the header as written */
	struct known_pupil *pupils;
	int n_pupils;
	struct keyset seen;
	bool in_tx, in_read;
	sdate today;
};

/* One row being read. */
struct row {
	struct outcome_importer *run;
	int line;
	char *const *cells;
	int n;
	bool bad;
};

static void
add_msg(struct import_result *r, enum import_msg_kind kind, int line,
    char *text)
{
	if (r->n_msgs == r->cap_msgs) {
		r->cap_msgs = r->cap_msgs ? r->cap_msgs * 2 : 64;
		r->msgs = xreallocarray(r->msgs, (size_t)r->cap_msgs,
		    sizeof *r->msgs);
	}
	r->msgs[r->n_msgs].kind = kind;
	r->msgs[r->n_msgs].line = line;
	r->msgs[r->n_msgs].text = text;
	r->n_msgs++;
}

static void __attribute__((format(printf, 4, 5)))
run_msg(struct outcome_importer *run, enum import_msg_kind kind, int line,
    const char *fmt, ...)
{
	va_list ap;
	char *text;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)len + 1, fmt, ap);
	va_end(ap);
	add_msg(run->res, kind, line, text);
}

static const char *
label_of(const struct row *x, int f)
{
	return x->run->label[f] != NULL ? x->run->label[f] :
	    x->run->cols[f].label;
}

/* Refuse the row for column f: "Label: why". */
static void __attribute__((format(printf, 3, 4)))
refuse(struct row *x, int f, const char *fmt, ...)
{
	char why[SERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	run_msg(x->run, IMSG_REFUSED, x->line, "%s: %s", label_of(x, f), why);
	x->bad = true;
}

/* The trimmed cell of column f into buf (VALUE_MAX), or NULL when the
 * file has no such column. A cell too long is refused (and read as ""). */
static const char *
cell(struct row *x, int f, char *buf)
{
	int c = x->run->col[f];
	const char *s;
	size_t len;

	if (c < 0)
		return NULL;
	s = c < x->n ? x->cells[c] : "";
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= VALUE_MAX) {
		refuse(x, f, "longer than %d bytes", VALUE_MAX - 1);
		len = 0;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static int
pupil_cmp(const void *a, const void *b)
{
	return strcmp(((const struct known_pupil *)a)->upn,
	    ((const struct known_pupil *)b)->upn);
}

static const char SQL_PUPILS[] =
    "SELECT upn, id, dob FROM pupil ORDER BY upn";

static int
load_pupils(struct outcome_importer *run, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(run->db, SQL_PUPILS, e);
	int rc, cap = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct known_pupil *k;

		if (run->n_pupils == cap) {
			cap = cap ? cap * 2 : 512;
			run->pupils = xreallocarray(run->pupils, (size_t)cap,
			    sizeof *run->pupils);
		}
		k = &run->pupils[run->n_pupils++];
		db_col_copy(st, 0, k->upn, sizeof k->upn);
		k->id = sqlite3_column_int64(st, 1);
		k->dob = db_col_date(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(run->db, rc, e, "pupils");
	/* SQLite's order is byte order too, but say so rather than trust. */
	qsort(run->pupils, (size_t)run->n_pupils, sizeof *run->pupils,
	    pupil_cmp);
	return 0;
}

/* The pupil a row's UPN names, or NULL (refused). */
static const struct known_pupil *
read_upn(struct row *x, int f)
{
	char buf[VALUE_MAX];
	struct known_pupil key;
	const struct known_pupil *k;
	const char *s = cell(x, f, buf);
	struct serr e;
	size_t o = 0;

	if (s == NULL || *s == '\0') {
		refuse(x, f, "missing");
		return NULL;
	}
	for (; *s != '\0' && o + 1 < sizeof key.upn; s++)
		if (*s != ' ')
			key.upn[o++] = (char)toupper((unsigned char)*s);
	key.upn[o] = '\0';
	if (*s != '\0') {
		refuse(x, f, "'%s' is too long for a UPN (13 characters; "
		    "census error 1540)", buf);
		return NULL;
	}
	serr_clear(&e);
	if (upn_validate(key.upn, &e) != 0) {
		refuse(x, f, "%s", e.msg);
		return NULL;
	}
	k = bsearch(&key, x->run->pupils, (size_t)x->run->n_pupils,
	    sizeof *x->run->pupils, pupil_cmp);
	if (k == NULL)
		refuse(x, f, "%s is not in the caseload (import the pupil list "
		    "first: results and attendance are kept for pupils on "
		    "roll, with status N too)", key.upn);
	return k;
}

/* FNV-1a: keys are short. */
static size_t
key_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The line where key was first seen, or 0 after adding it at `line`. */
static int
seen_before(struct keyset *ks, const char *key, int line)
{
	size_t i;

	if (ks->n * 2 >= ks->cap) {
		struct keyset big = { NULL, NULL, ks->cap ? ks->cap * 2 : 1024,
		    0 };

		big.keys = xcalloc(big.cap, sizeof *big.keys);
		big.lines = xcalloc(big.cap, sizeof *big.lines);
		for (size_t k = 0; k < ks->cap; k++) {
			if (ks->keys[k] == NULL)
				continue;
			for (i = key_hash(ks->keys[k]) % big.cap;
			    big.keys[i] != NULL; i = (i + 1) % big.cap)
				;
			big.keys[i] = ks->keys[k];
			big.lines[i] = ks->lines[k];
			big.n++;
		}
		free(ks->keys);
		free(ks->lines);
		*ks = big;
	}
	for (i = key_hash(key) % ks->cap; ks->keys[i] != NULL;
	    i = (i + 1) % ks->cap)
		if (strcmp(ks->keys[i], key) == 0)
			return ks->lines[i];
	ks->keys[i] = xstrdup(key);
	ks->lines[i] = line;
	ks->n++;
	return 0;
}

static void
keyset_free(struct keyset *ks)
{
	for (size_t i = 0; i < ks->cap; i++)
		free(ks->keys[i]);
	free(ks->keys);
	free(ks->lines);
	memset(ks, 0, sizeof *ks);
}

/* Whether this run still writes: a real run, with nothing refused yet
 * or skip_bad. */
static bool
writing(const struct outcome_importer *run)
{
	return run->in_tx && (run->o.skip_bad || run->res->refused == 0);
}

/* A date in a row: "" gives SDATE_NONE; refused if bad or to come. */
static sdate
read_date(struct row *x, int f, const char *s, sdate dob)
{
	char a[DATE_ISO_LEN];
	struct serr e;
	sdate d;

	serr_clear(&e);
	if (date_parse(s, &d, "date", &e) != 0) {
		/* date_parse names the field itself: drop that. */
		const char *why = strncmp(e.msg, "date: ", 6) == 0 ?
		    e.msg + 6 : e.msg;

		refuse(x, f, "%s", why);
		return SDATE_NONE;
	}
	if (d > x->run->today) {
		refuse(x, f, "%s is in the future", date_iso(d, a));
		return SDATE_NONE;
	}
	if (dob != SDATE_NONE && d < dob) {
		refuse(x, f, "%s is before the pupil was born", date_iso(d, a));
		return SDATE_NONE;
	}
	return d;
}

/* --- results -------------------------------------------------------------- */

static const char SQL_RESULT_FIND[] =
    "SELECT id, kind, band, score, age_months, assessed_on FROM result "
    "WHERE pupil_id = ? AND point = ? AND subject = ?";
static const char SQL_RESULT_ADD[] =
    "INSERT INTO result (id, pupil_id, point, subject, kind, band, score, "
    "age_months, assessed_on, created_at, updated_at, changed_by) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_RESULT_SET[] =
    "UPDATE result SET kind = ?, band = ?, score = ?, age_months = ?, "
    "assessed_on = ?, updated_at = ?, version = version + 1, "
    "changed_by = ? WHERE id = ?";

/* Words for the kind of a result in a Type column. */
static int
parse_kind(const char *s, enum result_kind *k)
{
	static const struct { const char *word; enum result_kind kind; }
	    words[] = {
		{ "band", RESULT_BAND }, { "grade", RESULT_BAND },
		{ "ta", RESULT_BAND }, { "teacherassessment", RESULT_BAND },
		{ "score", RESULT_SCORE }, { "scaledscore", RESULT_SCORE },
		{ "standardisedscore", RESULT_SCORE },
		{ "standardizedscore", RESULT_SCORE }, { "ss", RESULT_SCORE },
		{ "age", RESULT_AGE }, { "readingage", RESULT_AGE },
		{ "spellingage", RESULT_AGE },
	};
	char w[64];

	norm_header(s, w, sizeof w);
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(w, words[i].word) == 0) {
			*k = words[i].kind;
			return 0;
		}
	return -1;
}

/* "Reading age", "spelling age": a subject whose results are ages. */
static bool
age_subject(const char *subject)
{
	size_t n = strlen(subject);

	return n >= 3 && strcmp(subject + n - 3, "age") == 0 &&
	    (n == 3 || subject[n - 4] == ' ');
}

static const struct config_scale *
scale_of(const struct config *cfg, const char *subject)
{
	static struct config defaults;
	static bool made;
	char want[RESULT_SUBJECT_MAX];

	if (cfg == NULL || cfg->n_scales == 0) {
		if (!made) {
			config_defaults(&defaults);
			made = true;
		}
		cfg = &defaults;
	}
	for (int i = 1; i < cfg->n_scales; i++)
		if (cfg->scales[i].subject != NULL &&
		    outcome_subject_normalise(cfg->scales[i].subject, want,
		    NULL) == 0 && strcmp(want, subject) == 0)
			return &cfg->scales[i];
	return &cfg->scales[0];
}

/* A number: digits with at most one point; no signs, no exponents. */
static bool
decimal(const char *s, double *out)
{
	char *end;

	if (!isdigit((unsigned char)*s) && !(*s == '.' &&
	    isdigit((unsigned char)s[1])))
		return false;
	if (strpbrk(s, "eExXpP+-") != NULL)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*out);
}

static void
scale_words(const struct config_scale *sc, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < sc->n_bands && len + 1 < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    i ? ", " : "", sc->bands[i]);
}

/* The Result cell as a band, score or age into r. */
static void
read_value(struct row *x, const char *s, bool have_kind, struct result *r)
{
	const struct config_scale *sc = scale_of(x->run->o.cfg, r->subject);
	char words[256];
	struct serr e;
	double v;
	int k = -1;

	for (int i = 0; i < sc->n_bands; i++)
		if (strcasecmp(sc->bands[i], s) == 0)
			k = i;
	if (!have_kind) {
		if (k >= 0)
			r->kind = RESULT_BAND;
		else if (age_subject(r->subject) || (isdigit((unsigned char)
		    s[0]) && strpbrk(s, ":yY") != NULL))
			r->kind = RESULT_AGE;
		else if (decimal(s, &v))
			r->kind = RESULT_SCORE;
		else {
			scale_words(sc, words, sizeof words);
			refuse(x, R_RESULT, "'%s' is not a band of the scale "
			    "(%s), a score or an age (years:months)", s, words);
			return;
		}
	}
	switch (r->kind) {
	case RESULT_BAND:
		if (k < 0) {
			scale_words(sc, words, sizeof words);
			refuse(x, R_RESULT, "'%s' is not a band of the scale "
			    "(%s)", s, words);
			return;
		}
		snprintf(r->band, sizeof r->band, "%s", sc->bands[k]);
		break;
	case RESULT_SCORE:
		if (!decimal(s, &r->score)) {
			refuse(x, R_RESULT, "'%s' is not a score", s);
			return;
		}
		if (r->score < RESULT_SCORE_MIN || r->score > RESULT_SCORE_MAX)
			refuse(x, R_RESULT, "%s is not a plausible score (%.0f "
			    "to %.0f)%s", s, RESULT_SCORE_MIN,
			    RESULT_SCORE_MAX, strchr(s, '.') != NULL ? "; a "
			    "reading age is written years:months, e.g. 8:06" :
			    "");
		break;
	default:
		serr_clear(&e);
		if (outcome_age_parse(s, have_kind || age_subject(r->subject),
		    &r->age_months, &e) != 0)
			refuse(x, R_RESULT, "%s", e.msg);
		break;
	}
}

static bool
same_result(sqlite3_stmt *st, const struct result *r, bool keep_date)
{
	const char *k = (const char *)sqlite3_column_text(st, 1);
	const char *band = (const char *)sqlite3_column_text(st, 2);

	if (k == NULL || strcmp(k, result_kind_code(r->kind)) != 0)
		return false;
	if (!keep_date && db_col_date(st, 5) != r->assessed_on)
		return false;
	switch (r->kind) {
	case RESULT_BAND:
		return band != NULL && strcmp(band, r->band) == 0;
	case RESULT_SCORE:
		return fabs(sqlite3_column_double(st, 3) - r->score) < 1e-9;
	default:
		return sqlite3_column_int(st, 4) == r->age_months;
	}
}

static void
bind_value(sqlite3_stmt *st, int i, const struct result *r)
{
	db_bind_text(st, i, result_kind_code(r->kind));
	if (r->kind == RESULT_BAND)
		db_bind_text(st, i + 1, r->band);
	else
		sqlite3_bind_null(st, i + 1);
	if (r->kind == RESULT_SCORE)
		sqlite3_bind_double(st, i + 2, r->score);
	else
		sqlite3_bind_null(st, i + 2);
	if (r->kind == RESULT_AGE)
		sqlite3_bind_int(st, i + 3, r->age_months);
	else
		sqlite3_bind_null(st, i + 3);
}

/* Add or change the stored result; *what says which (0 unchanged, 1
 * added, 2 changed). keep_date: the file gives no date, leave it. */
static int
put_result(struct outcome_importer *run, const struct result *r,
    bool keep_date, int *what, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(run->db, SQL_RESULT_FIND, e);
	char ts[TIMESTAMP_LEN];
	int64_t id = 0;
	sdate date = r->assessed_on;
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, r->pupil_id);
	db_bind_text(st, 2, r->point);
	db_bind_text(st, 3, r->subject);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (keep_date)
			date = db_col_date(st, 5);
		*what = same_result(st, r, keep_date) ? 0 : 2;
	} else if (rc == SQLITE_DONE)
		*what = 1;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(run->db, rc, e, "result");
	if (*what == 0 || !writing(run))
		return 0;
	timestamp_now(ts);
	if (*what == 1) {
		if ((st = db_stmt(run->db, SQL_RESULT_ADD, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		sqlite3_bind_int64(st, 1, db_new_id(run->db));
		sqlite3_bind_int64(st, 2, r->pupil_id);
		db_bind_text(st, 3, r->point);
		db_bind_text(st, 4, r->subject);
		bind_value(st, 5, r);
		db_bind_date(st, 9, date);
		db_bind_text(st, 10, ts);
		db_bind_text(st, 11, ts);
		db_bind_text(st, 12, db_author(run->db));
	} else {
		if ((st = db_stmt(run->db, SQL_RESULT_SET, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		bind_value(st, 1, r);
		db_bind_date(st, 5, date);
		db_bind_text(st, 6, ts);
		db_bind_text(st, 7, db_author(run->db));
		sqlite3_bind_int64(st, 8, id);
	}
	return db_step_done(run->db, st, e, "result");
}

static int
result_row(struct row *x, struct serr *e)
{
	struct outcome_importer *run = x->run;
	const struct known_pupil *p;
	struct result r;
	char buf[VALUE_MAX], key[RESULT_POINT_MAX + RESULT_SUBJECT_MAX + 32];
	char shown[32];
	const char *s;
	struct serr ve;
	bool have_kind = false, keep_date = true, type_bad = false;
	int first, what = 0, rc;

	memset(&r, 0, sizeof r);
	r.assessed_on = SDATE_NONE;
	p = read_upn(x, R_UPN);
	serr_clear(&ve);
	s = cell(x, R_SUBJECT, buf);
	if (s == NULL || *s == '\0')
		refuse(x, R_SUBJECT, "missing");
	else if (outcome_subject_normalise(s, r.subject, &ve) != 0)
		refuse(x, R_SUBJECT, "%s", strchr(ve.msg, ':') + 2);
	s = cell(x, R_POINT, buf);
	if (s == NULL || *s == '\0')
		refuse(x, R_POINT, "missing");
	else if (outcome_point_normalise(s, r.point, &ve) != 0)
		refuse(x, R_POINT, "%s", strchr(ve.msg, ':') + 2);
	if ((s = cell(x, R_TYPE, buf)) != NULL && *s != '\0') {
		if (parse_kind(s, &r.kind) != 0) {
			refuse(x, R_TYPE, "'%s' is not band, score or age", s);
			type_bad = true;
		} else
			have_kind = true;
	}
	if ((s = cell(x, R_DATE, buf)) != NULL) {
		keep_date = false;
		if (*s != '\0')
			r.assessed_on = read_date(x, R_DATE, s,
			    p != NULL ? p->dob : SDATE_NONE);
	}
	s = cell(x, R_RESULT, buf);
	if (s == NULL || *s == '\0')
		refuse(x, R_RESULT, "missing");
	else if (r.subject[0] != '\0' && !type_bad)
		read_value(x, s, have_kind, &r);
	if (p == NULL || x->bad)
		goto refused;
	r.pupil_id = p->id;
	/* The point is matched in any case, as the store does. */
	snprintf(key, sizeof key, "%lld|%s|%s", (long long)p->id, r.point,
	    r.subject);
	for (char *k = key; *k != '\0'; k++)
		*k = (char)tolower((unsigned char)*k);
	if ((first = seen_before(&run->seen, key, x->line)) != 0) {
		refuse(x, R_UPN, "%s has a %s result for %s already (line %d)",
		    p->upn, r.subject, r.point, first);
		goto refused;
	}
	if ((rc = put_result(run, &r, keep_date, &what, e)) != 0) {
		serr_prefix(e, "%s:%d", run->res->file, x->line);
		return rc;
	}
	result_value_show(&r, shown, sizeof shown);
	if (what == 0)
		run->res->unchanged++;
	else {
		if (what == 1)
			run->res->added++;
		else
			run->res->changed++;
		run_msg(run, what == 1 ? IMSG_ADDED : IMSG_CHANGED, x->line,
		    "%s %s: %s %s: %s", what == 1 ? "added" : "changed",
		    p->upn, r.point, r.subject, shown);
	}
	return 0;
refused:
	run->res->refused++;
	return 0;
}

/* --- attendance ----------------------------------------------------------- */

static const char SQL_ATT_FIND[] =
    "SELECT id, possible, attended, percent FROM attendance "
    "WHERE pupil_id = ? AND term = ?";
static const char SQL_ATT_ADD[] =
    "INSERT INTO attendance (id, pupil_id, term, term_start, possible, "
    "attended, percent, created_at, updated_at, changed_by) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ATT_SET[] =
    "UPDATE attendance SET possible = ?, attended = ?, percent = ?, "
    "updated_at = ?, version = version + 1, changed_by = ? WHERE id = ?";

/* A whole number of sessions into *out; -1 when the cell is empty or
 * absent. false (refused) when bad. */
static bool
read_sessions(struct row *x, int f, int min, int *out)
{
	char buf[VALUE_MAX];
	const char *s = cell(x, f, buf);
	double v;

	*out = -1;
	if (s == NULL || *s == '\0')
		return true;
	if (!decimal(s, &v) || v != floor(v) || v < min || v > SESSIONS_MAX) {
		refuse(x, f, "'%s' is not a whole number of sessions from %d "
		    "to %d", s, min, SESSIONS_MAX);
		return false;
	}
	*out = (int)v;
	return true;
}

static void
bind_sessions(sqlite3_stmt *st, int i, int v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

static int
put_attendance(struct outcome_importer *run, const struct attendance_rec *a,
    int *what, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(run->db, SQL_ATT_FIND, e);
	char ts[TIMESTAMP_LEN];
	int64_t id = 0;
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, a->pupil_id);
	db_bind_text(st, 2, a->term);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int possible = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 1);
		int attended = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 2);

		id = sqlite3_column_int64(st, 0);
		*what = possible == a->possible && attended == a->attended &&
		    fabs(sqlite3_column_double(st, 3) - a->percent) < 1e-9 ?
		    0 : 2;
	} else if (rc == SQLITE_DONE)
		*what = 1;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(run->db, rc, e, "attendance");
	if (*what == 0 || !writing(run))
		return 0;
	timestamp_now(ts);
	if (*what == 1) {
		if ((st = db_stmt(run->db, SQL_ATT_ADD, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		sqlite3_bind_int64(st, 1, db_new_id(run->db));
		sqlite3_bind_int64(st, 2, a->pupil_id);
		db_bind_text(st, 3, a->term);
		db_bind_date(st, 4, a->term_start);
		bind_sessions(st, 5, a->possible);
		bind_sessions(st, 6, a->attended);
		sqlite3_bind_double(st, 7, a->percent);
		db_bind_text(st, 8, ts);
		db_bind_text(st, 9, ts);
		db_bind_text(st, 10, db_author(run->db));
	} else {
		if ((st = db_stmt(run->db, SQL_ATT_SET, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		bind_sessions(st, 1, a->possible);
		bind_sessions(st, 2, a->attended);
		sqlite3_bind_double(st, 3, a->percent);
		db_bind_text(st, 4, ts);
		db_bind_text(st, 5, db_author(run->db));
		sqlite3_bind_int64(st, 6, id);
	}
	return db_step_done(run->db, st, e, "attendance");
}

static int
attendance_row(struct row *x, struct serr *e)
{
	struct outcome_importer *run = x->run;
	const struct known_pupil *p;
	struct attendance_rec a;
	char buf[VALUE_MAX], key[TERM_MAX + 32], a1[DATE_ISO_LEN];
	const char *s;
	struct serr te;
	double pct = -1;
	bool have_pct = false, counts_ok;
	int first, what = 0, rc;

	memset(&a, 0, sizeof a);
	p = read_upn(x, A_UPN);
	s = cell(x, A_TERM, buf);
	serr_clear(&te);
	if (s == NULL || *s == '\0')
		refuse(x, A_TERM, "missing");
	else if (outcome_term_parse(s, a.term, &a.term_start, &te) != 0)
		refuse(x, A_TERM, "%s", te.msg);
	else if (a.term_start > run->today)
		refuse(x, A_TERM, "%s has not begun (it starts about %s)",
		    a.term, date_iso(a.term_start, a1));
	if ((s = cell(x, A_PERCENT, buf)) != NULL && *s != '\0') {
		char num[VALUE_MAX];
		size_t len = strlen(s);

		memcpy(num, s, len + 1);
		while (len > 0 && (num[len - 1] == '%' ||
		    isspace((unsigned char)num[len - 1])))
			num[--len] = '\0';
		if (!decimal(num, &pct) || pct > 100)
			refuse(x, A_PERCENT, "'%s' is not a percentage from 0 "
			    "to 100", s);
		else
			have_pct = true;
	}
	/* A bad count is refused once: nothing is checked against it. */
	counts_ok = read_sessions(x, A_POSSIBLE, 1, &a.possible);
	if (!read_sessions(x, A_ATTENDED, 0, &a.attended))
		counts_ok = false;
	if (!counts_ok)
		goto checked;
	if (a.possible >= 0 && a.attended >= 0) {
		double from = 100.0 * a.attended / a.possible;

		if (a.attended > a.possible)
			refuse(x, A_ATTENDED, "%d is more than the %d sessions "
			    "possible", a.attended, a.possible);
		else if (have_pct && fabs(from - pct) > PERCENT_SLACK)
			refuse(x, A_PERCENT, "%g does not match %d of %d "
			    "sessions (%.1f%%)", pct, a.attended, a.possible,
			    from);
		else if (!have_pct)
			pct = from;
	} else if ((a.possible >= 0) != (a.attended >= 0))
		refuse(x, a.possible >= 0 ? A_ATTENDED : A_POSSIBLE,
		    "missing (sessions possible and attended go together)");
	else if (!have_pct && !x->bad)
		refuse(x, run->col[A_PERCENT] >= 0 ? A_PERCENT : A_POSSIBLE,
		    "missing (give the attendance %% or the sessions possible "
		    "and attended)");
checked:
	if (p == NULL || x->bad)
		goto refused;
	a.pupil_id = p->id;
	a.percent = pct;
	snprintf(key, sizeof key, "%lld|%s", (long long)p->id, a.term);
	if ((first = seen_before(&run->seen, key, x->line)) != 0) {
		refuse(x, A_UPN, "%s has attendance for %s already (line %d)",
		    p->upn, a.term, first);
		goto refused;
	}
	if ((rc = put_attendance(run, &a, &what, e)) != 0) {
		serr_prefix(e, "%s:%d", run->res->file, x->line);
		return rc;
	}
	if (what == 0)
		run->res->unchanged++;
	else {
		if (what == 1)
			run->res->added++;
		else
			run->res->changed++;
		run_msg(run, what == 1 ? IMSG_ADDED : IMSG_CHANGED, x->line,
		    "%s %s: %s: %.1f%%", what == 1 ? "added" : "changed",
		    p->upn, a.term, a.percent);
	}
	return 0;
refused:
	run->res->refused++;
	return 0;
}

/* --- the file ------------------------------------------------------------- */

/* Match the header line to the columns; SE_INVALID if one is missing. */
static int
read_header(struct outcome_importer *run, char *const *names, int n,
    int line, struct serr *e)
{
	char unused[512], missing[256], head[HEADER_QUOTE_MAX + 8];
	size_t ul = 0, ml = 0, hl = 0;
	int nunused = 0;

	unused[0] = missing[0] = head[0] = '\0';
	for (int f = 0; f < run->ncols; f++) {
		run->col[f] = -1;
		run->label[f] = NULL;
	}
	for (int i = 0; i < n; i++) {
		int f = header_field(run->cols, run->ncols, names[i]);

		if (f >= 0 && run->col[f] < 0) {
			run->col[f] = i;
			run->label[f] = names[i];
			continue;
		}
		if (names[i][0] == '\0')
			continue;
		if (f >= 0)
			run_msg(run, IMSG_NOTICE, line, "column '%s' not "
			    "used: '%s' gives the %s", names[i],
			    names[run->col[f]], run->cols[f].label);
		else if (ul + 1 < sizeof unused) {
			ul += (size_t)snprintf(unused + ul, sizeof unused - ul,
			    "%s'%s'", nunused ? ", " : "", names[i]);
			nunused++;
		}
	}
	for (int f = 0; f < run->ncols; f++)
		if (run->cols[f].required && run->col[f] < 0 &&
		    ml + 1 < sizeof missing)
			ml += (size_t)snprintf(missing + ml,
			    sizeof missing - ml, "%s%s", ml ? ", " : "",
			    run->cols[f].label);
	/* Attendance needs a percentage or both session counts. */
	if (run->cols == attendance_cols && run->col[A_PERCENT] < 0 &&
	    (run->col[A_POSSIBLE] < 0 || run->col[A_ATTENDED] < 0) &&
	    ml + 1 < sizeof missing)
		snprintf(missing + ml, sizeof missing - ml, "%s%s", ml ?
		    ", " : "", run->col[A_POSSIBLE] >= 0 ? "attended sessions" :
		    run->col[A_ATTENDED] >= 0 ? "possible sessions" :
		    "attendance % (or possible and attended sessions)");
	if (missing[0] != '\0') {
		/* The labels point into the record: not run_end's to free. */
		for (int f = 0; f < run->ncols; f++)
			run->label[f] = NULL;
		for (int i = 0; i < n && hl < HEADER_QUOTE_MAX; i++)
			hl += (size_t)snprintf(head + hl, sizeof head - hl,
			    "%s%s", i ? "," : "", names[i]);
		if (hl >= HEADER_QUOTE_MAX)
			snprintf(head + HEADER_QUOTE_MAX, sizeof head -
			    HEADER_QUOTE_MAX, "...");
		return serr_set(e, SE_INVALID, "%s:%d: no column for: %s; the "
		    "header line is: %s", run->res->file, line, missing,
		    head);
	}
	if (nunused > 0)
		run_msg(run, IMSG_NOTICE, line, "column%s not used: %s",
		    nunused > 1 ? "s" : "", unused);
	/* The labels point into the record, which the next read reuses. */
	for (int f = 0; f < run->ncols; f++)
		if (run->label[f] != NULL)
			run->label[f] = xstrdup(run->label[f]);
	return 0;
}

static void
run_free(struct outcome_importer *run)
{
	db_read_end(run->db, run->in_read);
	for (int f = 0; f < run->ncols; f++)
		free((char *)run->label[f]);
	free(run->pupils);
	keyset_free(&run->seen);
	free(run);
}

int
outcome_import_begin(struct db *db, enum outcome_import_kind kind,
    const struct import_opts *o, struct import_result *res,
    struct outcome_importer **out, struct serr *e)
{
	struct outcome_importer *run;
	int rc;

	*out = NULL;
	run = xcalloc(1, sizeof *run);
	run->db = db;
	run->o = *o;
	run->res = res;
	run->kind = kind;
	if (kind == OUTCOME_RESULTS) {
		run->cols = result_cols;
		run->ncols = R_NCOLS;
		run->fn = result_row;
		run->noun = "result";
	} else {
		run->cols = attendance_cols;
		run->ncols = A_NCOLS;
		run->fn = attendance_row;
		run->noun = "attendance record";
	}
	run->today = date_today();
	res->dry_run = o->dry_run;
	if (!o->dry_run) {
		if ((rc = db_begin(db, e)) != 0) {
			run_free(run);
			return rc;
		}
		run->in_tx = true;
	} else {
		/* One snapshot for the whole dry run. */
		run->in_read = db_read_begin(db);
	}
	if ((rc = load_pupils(run, e)) != 0) {
		outcome_import_abort(run);
		return rc;
	}
	*out = run;
	return 0;
}

int
outcome_import_header(struct outcome_importer *run, char *const *names,
    int n, int line, struct serr *e)
{
	int rc = read_header(run, names, n, line, e);

	if (rc == 0)
		run->have_header = true;
	return rc;
}

int
outcome_import_record(struct outcome_importer *run, char *const *cells,
    int n, int line, struct serr *e)
{
	struct row x = { run, line, cells, n, false };

	if (!run->have_header)
		return serr_set(e, SE_INVALID, "%s:%d: a row before the header "
		    "line", run->res->file, line);
	run->res->rows++;
	return run->fn(&x, e);
}

int
outcome_import_end(struct outcome_importer *run, struct serr *e)
{
	struct import_result *res = run->res;
	int rc = 0;

	if (res->refused > 0 && !run->o.skip_bad) {
		rc = serr_set(e, SE_INVALID, "%s: %d %s%s refused; nothing %s "
		    "written", res->file, res->refused, run->noun,
		    res->refused == 1 ? "" : "s",
		    run->o.dry_run ? "would be" : "was");
		if (run->in_tx)
			db_rollback(run->db);
	} else if (run->in_tx) {
		if ((rc = db_commit(run->db, e)) == 0)
			res->written = res->added + res->changed > 0;
	}
	run_free(run);
	return rc;
}

void
outcome_import_abort(struct outcome_importer *run)
{
	if (run == NULL)
		return;
	if (run->in_tx)
		db_rollback(run->db);
	run->res->written = false;
	run_free(run);
}

/* Caller frees. */
char *
outcome_import_summary(const struct import_result *r, const char *noun)
{
	char *s, *t;
	bool done = r->written;

	xasprintf(&s, "%s (%s%s%s): %d %s%s read: %d %s, %d %s, %d "
	    "unchanged, %d refused.\n", r->file,
	    r->format[0] ? r->format : "?", r->encoding[0] ? ", " : "",
	    r->encoding, r->rows, noun, r->rows == 1 ? "" : "s", r->added,
	    done ? "added" : "to add", r->changed,
	    done ? "changed" : "to change", r->unchanged, r->refused);
	if (r->dry_run)
		xasprintf(&t, "%sDry run: nothing was written.\n", s);
	else if (!done && r->added + r->changed > 0)
		xasprintf(&t, "%sNothing was written.\n", s);
	else
		return s;
	free(s);
	return t;
}
