/*
 * outcome.c: results and attendance as stored, the words they are
 * written in (subjects, assessment points, reading ages, terms), how a
 * result is judged against the configured standards, and the figures of
 * the attainment gap and of attendance. The importers are in
 * outcome_import.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "outcome.h"
#include "xmalloc.h"

/* --- words ---------------------------------------------------------------- */

static const char *const kind_codes[] = { "band", "score", "age" };

const char *
result_kind_code(enum result_kind k)
{
	return k >= RESULT_BAND && k <= RESULT_AGE ? kind_codes[k] : "?";
}

static const char *const group_codes[OG_COUNT] = {
	"N", "K", "E", "K+E", "All",
};
static const char *const group_names[OG_COUNT] = {
	"No SEN", "SEN support", "EHC plan", "All with SEN (K and E)",
	"All pupils",
};

const char *
outcome_group_code(enum outcome_group g)
{
	return g >= 0 && g < OG_COUNT ? group_codes[g] : "?";
}

const char *
outcome_group_name(enum outcome_group g)
{
	return g >= 0 && g < OG_COUNT ? group_names[g] : "?";
}

/* A control character (C0, DEL or a C1 in UTF-8) would break the
 * columns of tables and the UI. */
static bool
has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 &&
		    p[1] < 0xa0))
			return true;
	return false;
}

/* s trimmed with runs of blanks made one space, into out of n bytes
 * (lower case ASCII when lower). Returns the length, or -1 if it does not
 * fit. */
static int
squeeze(const char *s, char *out, size_t n, bool lower)
{
	size_t o = 0;
	bool space = false;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isspace(ch)) {
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 1 >= n)
				return -1;
			out[o++] = ' ';
			space = false;
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = lower && ch < 0x80 ? (char)tolower(ch) : (char)ch;
	}
	out[o] = '\0';
	return (int)o;
}

/* The names MIS exports and people use for one subject. Keys are lower
 * case with punctuation gone and single spaces. */
static const struct {
	const char *key, *subject;
} subject_words[] = {
	{ "math", "maths" },
	{ "mathematics", "maths" },
	{ "read", "reading" },
	{ "write", "writing" },
	{ "spag", "gps" },
	{ "egps", "gps" },
	{ "grammar punctuation and spelling", "gps" },
	{ "english grammar punctuation and spelling", "gps" },
	{ "phonics screening check", "phonics" },
	{ "phonics check", "phonics" },
	{ "psc", "phonics" },
	{ "reading writing and maths", "rwm" },
	{ "reading writing and mathematics", "rwm" },
	{ "reading writing maths", "rwm" },
	{ "rwm combined", "rwm" },
	{ "combined rwm", "rwm" },
};

int
outcome_subject_normalise(const char *s, char *out, struct serr *e)
{
	char key[RESULT_SUBJECT_MAX * 2];
	size_t k = 0;

	if (s == NULL || squeeze(s, out, RESULT_SUBJECT_MAX, true) < 0)
		return serr_set(e, SE_INVALID, "subject: too long (at most %d "
		    "bytes)", RESULT_SUBJECT_MAX - 1);
	if (out[0] == '\0')
		return serr_set(e, SE_INVALID, "subject: empty");
	if (has_control(out))
		return serr_set(e, SE_INVALID, "subject: holds a control "
		    "character");
	/* Punctuation does not tell subjects apart: "Grammar, punctuation
	 * & spelling" is "grammar punctuation and spelling". */
	for (const char *p = out; *p != '\0' && k + 5 < sizeof key; p++) {
		if (*p == '&') {
			if (k > 0 && key[k - 1] != ' ')
				key[k++] = ' ';
			memcpy(key + k, "and ", 4);
			k += 4;
		} else if (*p == ' ' || ispunct((unsigned char)*p)) {
			if (k > 0 && key[k - 1] != ' ')
				key[k++] = ' ';
		} else
			key[k++] = *p;
	}
	while (k > 0 && key[k - 1] == ' ')
		k--;
	key[k] = '\0';
	for (size_t i = 0; i < sizeof subject_words / sizeof subject_words[0];
	    i++)
		if (strcmp(key, subject_words[i].key) == 0) {
			snprintf(out, RESULT_SUBJECT_MAX, "%s",
			    subject_words[i].subject);
			break;
		}
	return 0;
}

int
outcome_point_normalise(const char *s, char *out, struct serr *e)
{
	if (s == NULL || squeeze(s, out, RESULT_POINT_MAX, false) < 0)
		return serr_set(e, SE_INVALID, "assessment point: too long (at "
		    "most %d bytes)", RESULT_POINT_MAX - 1);
	if (out[0] == '\0')
		return serr_set(e, SE_INVALID, "assessment point: empty");
	if (has_control(out))
		return serr_set(e, SE_INVALID, "assessment point: holds a "
		    "control character");
	return 0;
}

/* A run of digits at *p (at most 4): its value, or -1. */
static int
digits(const char **p)
{
	int v = 0, n = 0;

	while (isdigit((unsigned char)**p) && n < 4) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n == 0 || isdigit((unsigned char)**p) ? -1 : v;
}

static void
skip_blanks(const char **p)
{
	while (isspace((unsigned char)**p))
		(*p)++;
}

int
outcome_age_parse(const char *s, bool months_ok, int *months,
    struct serr *e)
{
	const char *p = s;
	int y, m = 0;

	skip_blanks(&p);
	if ((y = digits(&p)) < 0)
		goto bad;
	skip_blanks(&p);
	if (*p == ':') {
		/* years:months */
		p++;
		skip_blanks(&p);
		if ((m = digits(&p)) < 0)
			goto bad;
	} else if (*p == 'y' || *p == 'Y') {
		/* 8y 6m, 8 years 6 months */
		while (isalpha((unsigned char)*p))
			p++;
		skip_blanks(&p);
		if (isdigit((unsigned char)*p)) {
			if ((m = digits(&p)) < 0)
				goto bad;
			skip_blanks(&p);
			if (*p != 'm' && *p != 'M')
				goto bad;
			while (isalpha((unsigned char)*p))
				p++;
		}
	} else if (*p == '\0' && months_ok) {
		m = y;
		y = 0;
		if (m > RESULT_AGE_MAX_MONTHS)
			return serr_set(e, SE_INVALID, "'%s' months is not a "
			    "reading or spelling age (at most %d)", s,
			    RESULT_AGE_MAX_MONTHS);
		*months = m;
		return 0;
	} else
		goto bad;
	skip_blanks(&p);
	if (*p != '\0')
		goto bad;
	if (m > 11)
		return serr_set(e, SE_INVALID, "'%s' is not an age: %d months "
		    "(0 to 11 after the years)", s, m);
	if (y * 12 + m > RESULT_AGE_MAX_MONTHS)
		return serr_set(e, SE_INVALID, "'%s' is not a reading or "
		    "spelling age (at most %d years)", s,
		    RESULT_AGE_MAX_MONTHS / 12);
	*months = y * 12 + m;
	return 0;
bad:
	return serr_set(e, SE_INVALID, "'%s' is not an age: write years:months "
	    "(8:06)%s", s, months_ok ? " or months (102)" : "");
}

char *
outcome_age_show(int months, char *buf, size_t n)
{
	snprintf(buf, n, "%d:%02d", months / 12, months % 12);
	return buf;
}

char *
result_value_show(const struct result *r, char *buf, size_t n)
{
	switch (r->kind) {
	case RESULT_BAND:
		snprintf(buf, n, "%s", r->band);
		break;
	case RESULT_SCORE:
		snprintf(buf, n, "%g", r->score);
		break;
	default:
		outcome_age_show(r->age_months, buf, n);
		break;
	}
	return buf;
}

/* --- judging -------------------------------------------------------------- */

/* The configuration's standards, or the defaults when there is none
 * (a config struct made by hand, in tests). */
static const struct config *
standards(const struct config *cfg)
{
	static struct config defaults;
	static bool made;

	if (cfg != NULL && cfg->n_scales > 0)
		return cfg;
	if (!made) {
		config_defaults(&defaults);
		made = true;
	}
	return &defaults;
}

/* The scale for a subject (stored form): its own, else the general one. */
static const struct config_scale *
scale_for(const struct config *cfg, const char *subject)
{
	char want[RESULT_SUBJECT_MAX];

	for (int i = 1; i < cfg->n_scales; i++)
		if (cfg->scales[i].subject != NULL &&
		    outcome_subject_normalise(cfg->scales[i].subject, want,
		    NULL) == 0 && strcasecmp(want, subject) == 0)
			return &cfg->scales[i];
	return &cfg->scales[0];
}

enum result_standard
outcome_judge(const struct config *cfg, const struct result *r, sdate dob,
    bool *has_greater)
{
	const struct config_scale *sc;
	int k;

	cfg = standards(cfg);
	*has_greater = false;
	switch (r->kind) {
	case RESULT_BAND:
		sc = scale_for(cfg, r->subject);
		*has_greater = sc->greater_depth >= 0;
		for (k = 0; k < sc->n_bands; k++)
			if (strcasecmp(sc->bands[k], r->band) == 0)
				break;
		if (k == sc->n_bands || sc->expected < 0)
			return *has_greater = false, STD_UNJUDGED;
		if (sc->greater_depth >= 0 && k >= sc->greater_depth)
			return STD_GREATER;
		return k >= sc->expected ? STD_EXPECTED : STD_BELOW;
	case RESULT_SCORE:
		*has_greater = true;
		if (r->score >= cfg->greater_depth_score)
			return STD_GREATER;
		return r->score >= cfg->expected_score ? STD_EXPECTED :
		    STD_BELOW;
	default:
		/* A reading age at or above the pupil's own age. */
		if (r->assessed_on == SDATE_NONE || dob == SDATE_NONE ||
		    r->assessed_on < dob)
			return STD_UNJUDGED;
		return r->age_months >= date_months_between(dob,
		    r->assessed_on) ? STD_EXPECTED : STD_BELOW;
	}
}

/* --- records -------------------------------------------------------------- */

static const char SQL_RESULTS[] =
    "SELECT id, pupil_id, point, subject, kind, band, score, age_months, "
    "assessed_on, updated_at, changed_by FROM result WHERE pupil_id = ? "
    "ORDER BY coalesce(assessed_on, substr(created_at, 1, 10)), point, "
    "subject";

static void
read_result(sqlite3_stmt *st, struct result *r)
{
	const char *k;

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->pupil_id = sqlite3_column_int64(st, 1);
	db_col_copy(st, 2, r->point, sizeof r->point);
	db_col_copy(st, 3, r->subject, sizeof r->subject);
	k = (const char *)sqlite3_column_text(st, 4);
	r->kind = k != NULL && strcmp(k, "score") == 0 ? RESULT_SCORE :
	    k != NULL && strcmp(k, "age") == 0 ? RESULT_AGE : RESULT_BAND;
	db_col_copy(st, 5, r->band, sizeof r->band);
	r->score = sqlite3_column_double(st, 6);
	r->age_months = sqlite3_column_int(st, 7);
	r->assessed_on = db_col_date(st, 8);
	db_col_copy(st, 9, r->updated_at, sizeof r->updated_at);
	db_col_copy(st, 10, r->changed_by, sizeof r->changed_by);
}

int
result_list(struct db *db, int64_t pupil_id, result_cb cb, void *ctx,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_RESULTS, e);
	struct result r;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_result(st, &r);
		if ((ret = cb(ctx, &r)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "results");
	sqlite3_reset(st);
	return ret;
}

static const char SQL_ATTENDANCE[] =
    "SELECT id, pupil_id, term, term_start, possible, attended, percent "
    "FROM attendance WHERE pupil_id = ? ORDER BY term_start, term";

int
attendance_list(struct db *db, int64_t pupil_id, attendance_cb cb,
    void *ctx, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ATTENDANCE, e);
	struct attendance_rec a;
	int rc, ret = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(st, 0);
		a.pupil_id = sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, a.term, sizeof a.term);
		a.term_start = db_col_date(st, 3);
		a.possible = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 4);
		a.attended = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 5);
		a.percent = sqlite3_column_double(st, 6);
		if ((ret = cb(ctx, &a)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "attendance");
	sqlite3_reset(st);
	return ret;
}

/* --- terms ---------------------------------------------------------------- */

#define TERM_YEAR_MIN 2000
#define TERM_YEAR_MAX 2100

enum season { AUTUMN = 0, SPRING, SUMMER, SEASON_COUNT };
static const char *const season_names[] = { "Autumn", "Spring", "Summer" };
/* The first month of each, for ordering (Summer after Easter). */
static const int season_month[] = { 9, 1, 4 };

static int
season_word(const char *w, size_t n)
{
	static const char *const words[SEASON_COUNT][3] = {
		{ "autumn", "aut", "au" },
		{ "spring", "spr", "sp" },
		{ "summer", "sum", "su" },
	};

	for (int s = 0; s < SEASON_COUNT; s++)
		for (int k = 0; k < 3; k++)
			if (strlen(words[s][k]) == n &&
			    strncasecmp(words[s][k], w, n) == 0)
				return s;
	return -1;
}

int
outcome_term_parse(const char *s, char *out, sdate *start, struct serr *e)
{
	const char *p = s;
	int season = -1, year = -1, second = -1;

	if (s == NULL)
		goto bad;
	/* Words and numbers in any order: one season, a year or a school
	 * year (2026/27, 2026-2027), and the word "term". */
	while (*p != '\0') {
		const char *w = p;

		if (isspace((unsigned char)*p) || *p == ',' || *p == '-' ||
		    *p == '_') {
			p++;
			continue;
		}
		if (isalpha((unsigned char)*p)) {
			int k;

			while (isalpha((unsigned char)*p))
				p++;
			if ((size_t)(p - w) == 4 && strncasecmp(w, "term", 4) ==
			    0)
				continue;
			if ((k = season_word(w, (size_t)(p - w))) < 0 ||
			    season >= 0)
				goto bad;
			season = k;
			continue;
		}
		if (isdigit((unsigned char)*p) && year < 0) {
			int v = digits(&p);

			if (v < 0 || p - w != 4)
				goto bad;
			year = v;
			if (*p == '/' || *p == '-') {
				const char *q = ++p;

				if ((second = digits(&p)) < 0)
					goto bad;
				if (p - q == 2)
					second += year / 100 * 100;
				else if (p - q != 4)
					goto bad;
				if (second != year + 1)
					goto bad;
			}
			continue;
		}
		goto bad;
	}
	if (season < 0 || year < 0)
		goto bad;
	if (second >= 0 && season != AUTUMN)
		year = second;
	if (year < TERM_YEAR_MIN || year > TERM_YEAR_MAX)
		return serr_set(e, SE_INVALID, "term '%s': the year is not "
		    "from %d to %d", s, TERM_YEAR_MIN, TERM_YEAR_MAX);
	snprintf(out, TERM_MAX, "%s %d", season_names[season], year);
	*start = date_from_ymd(year, season_month[season], 1);
	return 0;
bad:
	return serr_set(e, SE_INVALID, "'%s' is not a term (Autumn, Spring or "
	    "Summer and a year, e.g. Autumn 2026)", s != NULL ? s : "");
}

/* --- the attainment gap --------------------------------------------------- */

/* One result as the figures need it. */
struct item {
	char point[RESULT_POINT_MAX];
	char subject[RESULT_SUBJECT_MAX];
	int64_t pupil;
	char status;
	enum result_standard std;
	bool has_greater;
	bool is_score;
	double score;
};

static const char SQL_GAP_ITEMS[] =
    "SELECT r.point, r.subject, r.kind, r.band, r.score, r.age_months, "
    "r.assessed_on, p.id, p.dob, coalesce((SELECT s.status FROM "
    "sen_status s WHERE s.pupil_id = p.id AND s.end_date IS NULL), 'N') "
    "FROM result r JOIN pupil p ON p.id = r.pupil_id "
    "WHERE (?1 IS NULL OR r.point = ?1) AND (?2 IS NULL OR r.subject = ?2) "
    "ORDER BY r.point COLLATE NOCASE, r.subject, p.id";

static int
load_items(struct db *db, const struct config *cfg, const char *point,
    const char *subject, struct item **out, int *n, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_GAP_ITEMS, e);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	db_bind_text(st, 1, point);
	db_bind_text(st, 2, subject);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct result r;
		struct item *it;
		const char *k = (const char *)sqlite3_column_text(st, 2);
		const char *s = (const char *)sqlite3_column_text(st, 9);

		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, (size_t)cap, sizeof **out);
		}
		it = &(*out)[(*n)++];
		memset(&r, 0, sizeof r);
		db_col_copy(st, 0, r.point, sizeof r.point);
		db_col_copy(st, 1, r.subject, sizeof r.subject);
		r.kind = k != NULL && strcmp(k, "score") == 0 ? RESULT_SCORE :
		    k != NULL && strcmp(k, "age") == 0 ? RESULT_AGE :
		    RESULT_BAND;
		db_col_copy(st, 3, r.band, sizeof r.band);
		r.score = sqlite3_column_double(st, 4);
		r.age_months = sqlite3_column_int(st, 5);
		r.assessed_on = db_col_date(st, 6);
		memcpy(it->point, r.point, sizeof it->point);
		memcpy(it->subject, r.subject, sizeof it->subject);
		it->pupil = sqlite3_column_int64(st, 7);
		it->status = s != NULL ? s[0] : 'N';
		it->std = outcome_judge(cfg, &r, db_col_date(st, 8),
		    &it->has_greater);
		it->is_score = r.kind == RESULT_SCORE;
		it->score = r.score;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_fail(db, rc, e, "results");
	}
	return 0;
}

/* The groups a pupil of this status counts in. */
static int
groups_of(char status, enum outcome_group g[3])
{
	switch (status) {
	case 'K':
		g[0] = OG_K;
		g[1] = OG_SEN;
		g[2] = OG_ALL;
		return 3;
	case 'E':
		g[0] = OG_E;
		g[1] = OG_SEN;
		g[2] = OG_ALL;
		return 3;
	default:
		g[0] = OG_N;
		g[1] = OG_ALL;
		return 2;
	}
}

/* Sums kept in the cell while counting; mean_score holds the total. */
static void
cell_add(struct gap_cell *c, enum result_standard std, bool has_greater,
    bool is_score, double score)
{
	c->pupils++;
	if (std != STD_UNJUDGED) {
		c->judged++;
		if (std >= STD_EXPECTED)
			c->expected++;
		if (has_greater) {
			c->greater_judged++;
			if (std == STD_GREATER)
				c->greater++;
		}
	}
	if (is_score) {
		c->scores++;
		c->mean_score += score;
	}
}

static struct gap_row *
new_row(struct gap_report *r, int *cap, const char *point,
    const char *subject, bool combined)
{
	struct gap_row *row;

	if (r->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->rows = xreallocarray(r->rows, (size_t)*cap,
		    sizeof *r->rows);
	}
	row = &r->rows[r->n++];
	memset(row, 0, sizeof *row);
	snprintf(row->point, sizeof row->point, "%s", point);
	snprintf(row->subject, sizeof row->subject, "%s", subject);
	row->combined = combined;
	return row;
}

/* Reading, writing and maths together, for the points in items[lo..hi)
 * (one point, sorted by subject then pupil): a pupil counts who has all
 * three. Adds a row when anyone does. */
static void
combine_point(struct gap_report *r, int *cap, const struct item *items,
    int lo, int hi)
{
	static const char *const three[] = { "reading", "writing", "maths" };
	int end[3] = { 0, 0, 0 }, pos[3];
	struct gap_row *row = NULL;

	for (int i = lo; i < hi; i++)
		if (strcmp(items[i].subject, "rwm") == 0)
			return;		/* given by the school itself */
	for (int s = 0; s < 3; s++) {
		pos[s] = -1;
		for (int i = lo; i < hi; i++)
			if (strcmp(items[i].subject, three[s]) == 0) {
				if (pos[s] < 0)
					pos[s] = i;
				end[s] = i + 1;
			}
		if (pos[s] < 0)
			return;
	}
	/* Walk the three runs (each sorted by pupil) together. */
	while (pos[0] < end[0] && pos[1] < end[1] && pos[2] < end[2]) {
		const struct item *a = &items[pos[0]], *b = &items[pos[1]],
		    *c = &items[pos[2]];
		int64_t most = a->pupil;
		enum outcome_group g[3];
		enum result_standard std;
		bool greater;
		int ng;

		if (b->pupil > most)
			most = b->pupil;
		if (c->pupil > most)
			most = c->pupil;
		if (a->pupil != most || b->pupil != most || c->pupil != most) {
			for (int s = 0; s < 3; s++)
				if (items[pos[s]].pupil < most)
					pos[s]++;
			continue;
		}
		if (row == NULL)
			row = new_row(r, cap, a->point, "rwm", true);
		if (a->std == STD_UNJUDGED || b->std == STD_UNJUDGED ||
		    c->std == STD_UNJUDGED)
			std = STD_UNJUDGED;
		else {
			std = a->std < b->std ? a->std : b->std;
			std = c->std < std ? c->std : std;
		}
		greater = a->has_greater && b->has_greater && c->has_greater;
		if (!greater && std == STD_GREATER)
			std = STD_EXPECTED;
		ng = groups_of(a->status, g);
		for (int k = 0; k < ng; k++)
			cell_add(&row->g[g[k]], std, greater, false, 0);
		pos[0]++;
		pos[1]++;
		pos[2]++;
	}
}

static const struct config_national *
national_for(const struct config *cfg, const char *point,
    const char *subject, char group)
{
	char want[RESULT_SUBJECT_MAX];

	if (cfg == NULL)
		return NULL;
	for (int i = 0; i < cfg->n_national; i++) {
		const struct config_national *nat = &cfg->national[i];

		if (nat->group == group &&
		    strcasecmp(nat->point, point) == 0 &&
		    outcome_subject_normalise(nat->subject, want, NULL) == 0 &&
		    strcasecmp(want, subject) == 0)
			return nat;
	}
	return NULL;
}

static double
pct_of(int part, int whole)
{
	return whole > 0 ? 100.0 * part / whole : NAN;
}

/* Gap = national minus ours as shown (a whole percentage). */
static double
gap_of(double ours, double national)
{
	if (isnan(ours) || isnan(national))
		return NAN;
	return national - round(ours);
}

static void
finish_row(const struct config *cfg, struct gap_row *row)
{
	static const char status_of[OG_COUNT] = { 'N', 'K', 'E', 0, 0 };

	for (int g = 0; g < OG_COUNT; g++) {
		struct gap_cell *c = &row->g[g];
		const struct config_national *nat = NULL;

		c->pct_expected = pct_of(c->expected, c->judged);
		c->pct_greater = pct_of(c->greater, c->greater_judged);
		c->mean_score = c->scores > 0 ? c->mean_score / c->scores : NAN;
		if (status_of[g] != 0)
			nat = national_for(cfg, row->point, row->subject,
			    status_of[g]);
		if (nat == NULL)
			nat = national_for(cfg, row->point, row->subject, 0);
		c->nat_group = nat != NULL ? nat->group : 0;
		c->nat_expected = nat != NULL ? nat->expected : NAN;
		c->nat_greater = nat != NULL ? nat->greater_depth : NAN;
		c->nat_score = nat != NULL ? nat->score : NAN;
		c->gap_expected = gap_of(c->pct_expected, c->nat_expected);
		c->gap_greater = gap_of(c->pct_greater, c->nat_greater);
	}
}

static int
row_order(const void *a, const void *b)
{
	const struct gap_row *x = a, *y = b;
	int c = strcasecmp(x->point, y->point);

	if (c != 0)
		return c;
	/* The combined figure closes its point. */
	if (x->combined != y->combined)
		return x->combined ? 1 : -1;
	return strcmp(x->subject, y->subject);
}

int
outcome_gap(struct db *db, const struct config *cfg, const char *point,
    const char *subject, struct gap_report *out, struct serr *e)
{
	char pt[RESULT_POINT_MAX], sub[RESULT_SUBJECT_MAX];
	struct item *items = NULL;
	int n = 0, cap = 0, rc, i, lo;
	bool want_rwm;

	memset(out, 0, sizeof *out);
	if (point != NULL && (rc = outcome_point_normalise(point, pt, e)) != 0)
		return rc;
	if (subject != NULL && (rc = outcome_subject_normalise(subject, sub,
	    e)) != 0)
		return rc;
	want_rwm = subject == NULL || strcmp(sub, "rwm") == 0;
	/* For "rwm" the three subjects are read, and the row made here. */
	if ((rc = load_items(db, cfg, point != NULL ? pt : NULL,
	    subject != NULL && strcmp(sub, "rwm") != 0 ? sub : NULL, &items,
	    &n, e)) != 0)
		return rc;
	for (lo = 0; lo < n; lo = i) {
		struct gap_row *row = NULL;

		/* One point: its subjects, then the combined figure. */
		for (i = lo; i < n && strcasecmp(items[i].point,
		    items[lo].point) == 0; i++) {
			enum outcome_group g[3];
			int ng;

			if (subject != NULL && strcmp(sub, "rwm") == 0 &&
			    strcmp(items[i].subject, "rwm") != 0)
				continue;
			if (row == NULL || strcmp(row->subject,
			    items[i].subject) != 0)
				row = new_row(out, &cap, items[i].point,
				    items[i].subject, false);
			ng = groups_of(items[i].status, g);
			for (int k = 0; k < ng; k++)
				cell_add(&row->g[g[k]], items[i].std,
				    items[i].has_greater, items[i].is_score,
				    items[i].score);
		}
		if (want_rwm)
			combine_point(out, &cap, items, lo, i);
	}
	free(items);
	for (i = 0; i < out->n; i++)
		finish_row(cfg, &out->rows[i]);
	if (out->n > 1)
		qsort(out->rows, (size_t)out->n, sizeof *out->rows, row_order);
	return 0;
}

void
outcome_gap_free(struct gap_report *r)
{
	free(r->rows);
	memset(r, 0, sizeof *r);
}

/* --- the gap over time ----------------------------------------------------- */

static const char SQL_POINT_TIMES[] =
    "SELECT point, min(assessed_on), min(substr(created_at, 1, 10)) "
    "FROM result GROUP BY point";

/* A point's time from its name: a year from 2000 to 2100 as a word of
 * its own, with Autumn, Spring or Summer the start of that term, else
 * 1 July (the key stage results). SDATE_NONE without a year. */
static sdate
point_time_of_name(const char *point)
{
	const char *p = point;
	int year = -1, season = -1;

	while (*p != '\0') {
		const char *w = p;

		if (isalpha((unsigned char)*p)) {
			while (isalnum((unsigned char)*p))
				p++;
			if (season < 0)
				season = season_word(w, (size_t)(p - w));
		} else if (isdigit((unsigned char)*p)) {
			int v = digits(&p);

			if (p - w == 4 && !isalpha((unsigned char)*p) &&
			    v >= TERM_YEAR_MIN && v <= TERM_YEAR_MAX && year < 0)
				year = v;
		} else
			p++;
	}
	if (year < 0)
		return SDATE_NONE;
	return date_from_ymd(year, season >= 0 ? season_month[season] : 7, 1);
}

sdate
outcome_point_time(const char *point, sdate assessed, sdate imported)
{
	sdate t;

	if (assessed != SDATE_NONE)
		return assessed;
	t = point_time_of_name(point);
	return t != SDATE_NONE ? t : imported;
}

struct timed_row {
	sdate when;
	int index;		/* the order before: subjects within a point */
	struct gap_row row;
};

static int
timed_order(const void *a, const void *b)
{
	const struct timed_row *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->index - y->index;
}

int
outcome_gap_by_time(struct db *db, struct gap_report *r, struct serr *e)
{
	sqlite3_stmt *st;
	struct timed_row *t;
	int rc, i;

	if (r->n < 2)
		return 0;
	if ((st = db_stmt(db, SQL_POINT_TIMES, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	t = xcalloc((size_t)r->n, sizeof *t);
	for (i = 0; i < r->n; i++) {
		t[i].when = SDATE_NONE;
		t[i].index = i;
		t[i].row = r->rows[i];
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *pt = (const char *)sqlite3_column_text(st, 0);
		sdate when = outcome_point_time(pt != NULL ? pt : "",
		    db_col_date(st, 1), db_col_date(st, 2));

		for (i = 0; i < r->n; i++)
			if (pt != NULL && strcasecmp(t[i].row.point, pt) == 0)
				t[i].when = when;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(t);
		return db_fail(db, rc, e, "results");
	}
	/* Rows with no time (none can be, but a row read between two
	 * statements might) keep their place at the end. */
	for (i = 0; i < r->n; i++)
		if (t[i].when == SDATE_NONE)
			t[i].when = INT32_MAX;
	qsort(t, (size_t)r->n, sizeof *t, timed_order);
	for (i = 0; i < r->n; i++)
		r->rows[i] = t[i].row;
	free(t);
	return 0;
}

const struct config_scale *
outcome_scale(const struct config *cfg, const char *subject)
{
	char sub[RESULT_SUBJECT_MAX];

	cfg = standards(cfg);
	return scale_for(cfg, outcome_subject_normalise(subject, sub, NULL) ==
	    0 ? sub : subject);
}

int
outcome_band_rank(const struct config *cfg, const char *subject,
    const char *band, int *n_bands)
{
	const struct config_scale *sc = outcome_scale(cfg, subject);

	if (n_bands != NULL)
		*n_bands = sc->n_bands;
	for (int k = 0; k < sc->n_bands; k++)
		if (strcasecmp(sc->bands[k], band) == 0)
			return k;
	return -1;
}

/* A figure as the config gave it: 74, or 74.5. */
static void
show_pp(double v, char *buf, size_t n)
{
	if (fabs(v - round(v)) < 0.05)
		snprintf(buf, n, "%.0f", round(v) + 0.0);
	else
		snprintf(buf, n, "%.1f", v);
}

char *
outcome_gap_text(double ours, double national, char *buf, size_t n)
{
	char gap[24];

	if (isnan(ours)) {
		buf[0] = '\0';
		return buf;
	}
	if (isnan(national)) {
		snprintf(buf, n, "%.0f", round(ours) + 0.0);
		return buf;
	}
	show_pp(gap_of(ours, national), gap, sizeof gap);
	snprintf(buf, n, "%.0f (Gap = %s%%)", round(ours) + 0.0, gap);
	return buf;
}

/* --- attendance ----------------------------------------------------------- */

static const char SQL_ATT_ITEMS[] =
    "SELECT a.term, a.term_start, a.percent, coalesce((SELECT s.status "
    "FROM sen_status s WHERE s.pupil_id = p.id AND s.end_date IS NULL), "
    "'N'), (SELECT n.code FROM pupil_need n WHERE n.pupil_id = p.id AND "
    "n.rank = 1) FROM attendance a JOIN pupil p ON p.id = a.pupil_id "
    "ORDER BY a.term_start, a.term";

/* Sums while counting: mean holds the total of the percentages. */
static void
att_add(struct att_cell *c, double pct)
{
	c->pupils++;
	c->mean += pct;
	if (pct < ATTENDANCE_PERSISTENT_BELOW)
		c->persistent++;
}

static void
att_finish(struct att_cell *c)
{
	c->mean = c->pupils > 0 ? c->mean / c->pupils : NAN;
	c->pct_persistent = pct_of(c->persistent, c->pupils);
}

/* The census order of a need code; NEED_CODE_COUNT for none. */
static int
need_index(const char *code)
{
	for (int i = 0; code != NULL && i < NEED_CODE_COUNT; i++)
		if (strcmp(need_codes[i].code, code) == 0)
			return i;
	return NEED_CODE_COUNT;
}

int
outcome_attendance(struct db *db, const char *term, struct att_report *out,
    struct serr *e)
{
	struct att_cell by_need[NEED_CODE_COUNT + 1];
	char want[TERM_MAX];
	sqlite3_stmt *st;
	sdate start;
	int rc, cap = 0, sel = -1;

	memset(out, 0, sizeof *out);
	memset(by_need, 0, sizeof by_need);
	if (term != NULL && (rc = outcome_term_parse(term, want, &start,
	    e)) != 0)
		return rc;
	if ((st = db_stmt(db, SQL_ATT_ITEMS, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 3);
		struct att_term_row *row;
		enum outcome_group g[3];
		double pct = sqlite3_column_double(st, 2);
		int ng;

		if (out->n_terms == 0 || strcmp(out->terms[out->n_terms -
		    1].term, t != NULL ? t : "") != 0) {
			if (out->n_terms == cap) {
				cap = cap ? cap * 2 : 8;
				out->terms = xreallocarray(out->terms,
				    (size_t)cap, sizeof *out->terms);
			}
			row = &out->terms[out->n_terms++];
			memset(row, 0, sizeof *row);
			snprintf(row->term, sizeof row->term, "%s",
			    t != NULL ? t : "");
			row->start = db_col_date(st, 1);
		}
		row = &out->terms[out->n_terms - 1];
		ng = groups_of(s != NULL ? s[0] : 'N', g);
		for (int k = 0; k < ng; k++)
			att_add(&row->g[g[k]], pct);
		/* Needs are counted for every term and kept for the one
		 * reported: the latest unless one was asked for. */
		if (term != NULL && strcmp(row->term, want) != 0)
			continue;
		if (term == NULL && sel != out->n_terms - 1) {
			memset(by_need, 0, sizeof by_need);
			sel = out->n_terms - 1;
		}
		if (term != NULL)
			sel = out->n_terms - 1;
		if (s != NULL && (s[0] == 'K' || s[0] == 'E'))
			att_add(&by_need[need_index((const char *)
			    sqlite3_column_text(st, 4))], pct);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		outcome_attendance_free(out);
		return db_fail(db, rc, e, "attendance");
	}
	for (int i = 0; i < out->n_terms; i++)
		for (int g = 0; g < OG_COUNT; g++)
			att_finish(&out->terms[i].g[g]);
	if (sel < 0) {
		if (term != NULL) {
			outcome_attendance_free(out);
			return serr_set(e, SE_NOTFOUND, "attendance: none is "
			    "recorded for %s", want);
		}
		return 0;	/* nothing recorded at all */
	}
	snprintf(out->term, sizeof out->term, "%s", out->terms[sel].term);
	out->term_start = out->terms[sel].start;
	memcpy(out->g, out->terms[sel].g, sizeof out->g);
	out->needs = xcalloc(NEED_CODE_COUNT + 1, sizeof *out->needs);
	for (int i = 0; i <= NEED_CODE_COUNT; i++) {
		if (by_need[i].pupils == 0)
			continue;
		att_finish(&by_need[i]);
		snprintf(out->needs[out->n_needs].code, NEED_CODE_MAX, "%s",
		    i < NEED_CODE_COUNT ? need_codes[i].code : "");
		out->needs[out->n_needs++].c = by_need[i];
	}
	return 0;
}

void
outcome_attendance_free(struct att_report *r)
{
	free(r->needs);
	free(r->terms);
	memset(r, 0, sizeof *r);
}
