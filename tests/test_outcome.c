/*
 * test_outcome.c: results and attendance: the words they are written in
 * (subjects, points, reading ages, terms), how results are judged, every
 * refusal of the two importers (with nothing written), and the gap and
 * attendance figures of a small fixed roll worked out by hand.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/config.h"
#include "core/outcome.h"
#include "io/outcomefile.h"
#include "helpers.h"

TestSuite(words, .fini = th_cleanup);
TestSuite(judge, .fini = th_cleanup);
TestSuite(results_import, .fini = th_cleanup);
TestSuite(attendance_import, .fini = th_cleanup);
TestSuite(gap, .fini = th_cleanup);
TestSuite(attendance_figures, .fini = th_cleanup);

static long long
count(struct db *db, const char *table)
{
	char sql[96];
	sqlite3_stmt *st;
	long long v;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
fix_today(const char *iso)
{
	cr_assert_eq(setenv("SENCO_TODAY", iso, 1), 0);
}

static sdate
d(int y, int m, int dd)
{
	return date_from_ymd(y, m, dd);
}

/* A file in a fresh temp dir holding text; returns its path. */
static const char *
file_with(const char *name, const char *text)
{
	const char *path = th_path(name);
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
	return path;
}

/* A configuration read from text, as senco.conf. */
static void
config_from(struct config *cfg, const char *text)
{
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(config_load(cfg, file_with("senco.conf", text), NULL, NULL,
	    &e), 0, "config: %s", e.msg);
}

static bool
close_to(double a, double b)
{
	return fabs(a - b) < 0.005;
}

/* --- words ---------------------------------------------------------------- */

Test(words, subjects)
{
	static const struct { const char *in, *out; } v[] = {
		{ "Reading", "reading" }, { "  MATHEMATICS ", "maths" },
		{ "Maths", "maths" }, { "SPaG", "gps" },
		{ "Grammar, punctuation & spelling", "gps" },
		{ "Phonics Screening Check", "phonics" },
		{ "Reading, Writing and Maths", "rwm" },
		{ "Reading  Age", "reading age" }, { "Science", "science" },
		{ "Histoire-Géographie", "histoire-géographie" },
	};
	char out[RESULT_SUBJECT_MAX];
	struct serr e;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		cr_assert_eq(outcome_subject_normalise(v[i].in, out, NULL), 0);
		cr_assert_str_eq(out, v[i].out, "%s", v[i].in);
	}
	cr_assert_eq(outcome_subject_normalise("   ", out, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "subject: empty");
	cr_assert_eq(outcome_subject_normalise("a\x1b[2Jb", out, &e),
	    SE_INVALID);
	cr_assert_eq(outcome_subject_normalise("a very long subject name that "
	    "goes on and on past the limit", out, &e), SE_INVALID);
}

Test(words, points)
{
	char out[RESULT_POINT_MAX];

	cr_assert_eq(outcome_point_normalise("  KS2   2026 ", out, NULL), 0);
	cr_assert_str_eq(out, "KS2 2026");
	cr_assert_eq(outcome_point_normalise("Y4 Summer", out, NULL), 0);
	cr_assert_str_eq(out, "Y4 Summer");
	cr_assert_eq(outcome_point_normalise("", out, NULL), SE_INVALID);
}

Test(words, ages)
{
	char buf[16];
	struct serr e;
	int m;

	cr_assert_eq(outcome_age_parse("8:06", false, &m, NULL), 0);
	cr_assert_eq(m, 102);
	cr_assert_eq(outcome_age_parse(" 8:6 ", false, &m, NULL), 0);
	cr_assert_eq(m, 102);
	cr_assert_eq(outcome_age_parse("8y 6m", false, &m, NULL), 0);
	cr_assert_eq(m, 102);
	cr_assert_eq(outcome_age_parse("10 years 11 months", false, &m, NULL),
	    0);
	cr_assert_eq(m, 131);
	cr_assert_eq(outcome_age_parse("9y", false, &m, NULL), 0);
	cr_assert_eq(m, 108);
	cr_assert_eq(outcome_age_parse("102", true, &m, NULL), 0);
	cr_assert_eq(m, 102);
	/* Months alone only where an age is expected. */
	cr_assert_eq(outcome_age_parse("102", false, &m, &e), SE_INVALID);
	cr_assert_eq(outcome_age_parse("8.06", true, &m, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "'8.06' is not an age: write years:months "
	    "(8:06) or months (102)");
	cr_assert_eq(outcome_age_parse("8:12", false, &m, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "'8:12' is not an age: 12 months (0 to 11 "
	    "after the years)");
	cr_assert_eq(outcome_age_parse("26:00", false, &m, &e), SE_INVALID);
	cr_assert_eq(outcome_age_parse("301", true, &m, &e), SE_INVALID);
	cr_assert_str_eq(outcome_age_show(102, buf, sizeof buf), "8:06");
	cr_assert_str_eq(outcome_age_show(131, buf, sizeof buf), "10:11");
}

Test(words, terms)
{
	static const struct { const char *in, *out; int y, m; } v[] = {
		{ "Autumn 2026", "Autumn 2026", 2026, 9 },
		{ "aut 2026", "Autumn 2026", 2026, 9 },
		{ "Autumn term 2026", "Autumn 2026", 2026, 9 },
		{ "2026 Autumn", "Autumn 2026", 2026, 9 },
		{ "Autumn 2026/27", "Autumn 2026", 2026, 9 },
		{ "Spring 2026/27", "Spring 2027", 2027, 1 },
		{ "Summer 2026-2027", "Summer 2027", 2027, 4 },
		{ "SPRING 2026", "Spring 2026", 2026, 1 },
		{ "Summer-2026", "Summer 2026", 2026, 4 },
	};
	static const char *const bad[] = {
		"Autum 2026", "Autumn", "2026", "Autumn 26", "Spring 2026/28",
		"Autumn 1 2026", "Autumn Spring 2026", "Winter 2026", "",
		"Autumn 20266",
	};
	char out[TERM_MAX];
	struct serr e;
	sdate start;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		cr_assert_eq(outcome_term_parse(v[i].in, out, &start, &e), 0,
		    "%s: %s", v[i].in, e.msg);
		cr_assert_str_eq(out, v[i].out, "%s", v[i].in);
		cr_assert_eq(start, d(v[i].y, v[i].m, 1), "%s", v[i].in);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(outcome_term_parse(bad[i], out, &start, &e),
		    SE_INVALID, "%s", bad[i]);
	outcome_term_parse("Autum 2026", out, &start, &e);
	cr_assert_str_eq(e.msg, "'Autum 2026' is not a term (Autumn, Spring or "
	    "Summer and a year, e.g. Autumn 2026)");
	cr_assert_eq(outcome_term_parse("Autumn 1999", out, &start, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "term 'Autumn 1999': the year is not from 2000 "
	    "to 2100");
}

/* --- judging -------------------------------------------------------------- */

static struct result
band(const char *subject, const char *b)
{
	struct result r;

	memset(&r, 0, sizeof r);
	r.kind = RESULT_BAND;
	snprintf(r.subject, sizeof r.subject, "%s", subject);
	snprintf(r.band, sizeof r.band, "%s", b);
	r.assessed_on = SDATE_NONE;
	return r;
}

static struct result
score(double s)
{
	struct result r;

	memset(&r, 0, sizeof r);
	r.kind = RESULT_SCORE;
	snprintf(r.subject, sizeof r.subject, "reading");
	r.score = s;
	r.assessed_on = SDATE_NONE;
	return r;
}

Test(judge, default_bands_and_scores)
{
	struct result r;
	bool gd;

	r = band("writing", "WTS");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_BELOW);
	cr_assert(gd);
	r = band("writing", "exs");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_EXPECTED);
	r = band("writing", "GDS");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_GREATER);
	r = band("writing", "PKF");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_BELOW);
	r = band("writing", "Secure");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_UNJUDGED);
	/* Phonics has its own scale, with no greater depth. */
	r = band("phonics", "WA");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_EXPECTED);
	cr_assert_not(gd);
	r = band("phonics", "WT");
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_BELOW);
	/* KS2: 100 is the expected standard, 110 a high score. */
	r = score(99.5);
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_BELOW);
	r = score(100);
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_EXPECTED);
	cr_assert(gd);
	r = score(109);
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_EXPECTED);
	r = score(110);
	cr_assert_eq(outcome_judge(NULL, &r, SDATE_NONE, &gd), STD_GREATER);
}

Test(judge, the_schools_own_scale_and_thresholds)
{
	struct config cfg;
	struct result r;
	bool gd;

	config_from(&cfg, "results = { scale = [\"Emerging\", \"Developing\", "
	    "\"Secure\", \"Mastery\"]; expected = \"Secure\"; greater_depth = "
	    "\"Mastery\"; expected_score = 95; greater_depth_score = 115; "
	    "subjects = { science = { scale = [\"Not yet\", \"Met\"]; expected "
	    "= \"Met\"; }; }; };\n");
	r = band("reading", "developing");
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_BELOW);
	r = band("reading", "Secure");
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_EXPECTED);
	r = band("reading", "Mastery");
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_GREATER);
	r = band("reading", "EXS");
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_UNJUDGED);
	r = band("science", "Met");
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_EXPECTED);
	cr_assert_not(gd);
	/* The default phonics scale is still there. */
	r = band("phonics", "WA");
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_EXPECTED);
	r = score(96);
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_EXPECTED);
	r = score(114.9);
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_EXPECTED);
	r = score(115);
	cr_assert_eq(outcome_judge(&cfg, &r, SDATE_NONE, &gd), STD_GREATER);
	config_free(&cfg);
}

Test(judge, bad_results_settings)
{
	static const struct { const char *text, *msg; } v[] = {
		{ "results = { scale = [\"A\", \"B\"]; };",
		  ":1: 'results.expected' must name the band of the expected "
		  "standard of the scale given" },
		{ "results = { expected = \"Secure\"; };",
		  ":1: 'results.expected': 'Secure' is not a band of the scale" },
		{ "results = { greater_depth = \"WTS\"; };",
		  ":1: 'results.greater_depth': 'WTS' is not above the "
		  "expected standard (EXS)" },
		{ "results = { scale = [\"A\", \"a\"]; expected = \"A\"; };",
		  ":1: 'results.scale': band 'a' is given twice" },
		{ "results = { greater_depth_score = 99; };",
		  ":1: 'results.greater_depth_score' (99) must be above "
		  "'results.expected_score' (100)" },
		{ "results = { expected_score = \"100\"; };",
		  ":1: 'results.expected_score' must be a score from 1 to 200 "
		  "(100 for KS2 scaled scores)" },
		{ "national = { point = \"KS2 2026\"; };",
		  ":1: 'national' must be a list of groups in ( ), e.g. national "
		  "= ( { point = \"KS2 2026\"; subject = \"reading\"; expected "
		  "= 74; greater_depth = 28; } );" },
		{ "national = ( { point = \"KS2 2026\"; subject = \"reading\"; "
		  "expected = 101; } );",
		  ":1: 'expected' in a national entry must be a percentage from "
		  "0 to 100" },
		{ "national = ( { point = \"KS2 2026\"; subject = \"reading\"; "
		  "group = \"X\"; expected = 70; } );",
		  ":1: 'group' in a national entry must be \"all\", \"N\", \"K\" "
		  "or \"E\", not \"X\"" },
		{ "national = ( { point = \"KS2 2026\"; subject = \"reading\"; "
		  "} );",
		  ":1: a national entry needs at least one of expected, "
		  "greater_depth or score" },
		{ "national = ( { point = \"KS2 2026\"; subject = \"reading\"; "
		  "expected = 70; },\n { point = \"ks2 2026\"; subject = "
		  "\"Reading\"; expected = 71; } );",
		  ":2: national figures for ks2 2026 Reading (all) are already "
		  "given at line 1" },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const char *path = file_with("senco.conf", v[i].text);
		struct config cfg;
		struct serr e;
		char want[512];

		serr_clear(&e);
		cr_assert_eq(config_load(&cfg, path, NULL, NULL, &e), SE_CONFIG,
		    "%s", v[i].text);
		snprintf(want, sizeof want, "%s%s", path, v[i].msg);
		cr_assert_str_eq(e.msg, want);
		/* The defaults stand after a refusal. */
		cr_assert_eq(cfg.n_scales, 2);
		cr_assert_eq(cfg.expected_score, 100);
		config_free(&cfg);
	}
}

Test(judge, reading_age_against_the_pupils_age)
{
	struct result r;
	sdate dob = d(2016, 9, 1);
	bool gd;

	memset(&r, 0, sizeof r);
	r.kind = RESULT_AGE;
	snprintf(r.subject, sizeof r.subject, "reading age");
	/* On 1 March 2026 the pupil is 9 years 6 months (114 months). */
	r.assessed_on = d(2026, 3, 1);
	r.age_months = 114;
	cr_assert_eq(outcome_judge(NULL, &r, dob, &gd), STD_EXPECTED);
	cr_assert_not(gd);
	r.age_months = 113;
	cr_assert_eq(outcome_judge(NULL, &r, dob, &gd), STD_BELOW);
	/* 28 February: 9 years 5 months, so 113 is enough. */
	r.assessed_on = d(2026, 2, 28);
	cr_assert_eq(outcome_judge(NULL, &r, dob, &gd), STD_EXPECTED);
	/* No date: no standard to judge by. */
	r.assessed_on = SDATE_NONE;
	cr_assert_eq(outcome_judge(NULL, &r, dob, &gd), STD_UNJUDGED);
}

/* --- importing results ---------------------------------------------------- */

/* The fixed roll: year 6, KS2 2026. serial, surname, forename, status,
 * need. */
static const struct {
	int serial;
	const char *surname, *forename;
	char status;
	const char *need;
} roll[] = {
	{ 1, "Brown", "Zoë", 'N', NULL },		/* A */
	{ 2, "Ó Briain", "Siobhán", 'N', NULL },	/* B */
	{ 3, "Kowalski", "Łukasz", 'N', NULL },		/* C */
	{ 4, "Nguyễn", "An", 'N', NULL },		/* D */
	{ 5, "李", "Wei", 'K', "SLCN" },			/* E */
	{ 6, "Evans", "Tomos", 'K', "SPLD" },		/* F */
	{ 7, "Patel", "Asha", 'K', "SLCN" },		/* G */
	{ 8, "Okafor", "Chidi", 'E', "ASD" },		/* H */
	{ 9, "Murphy", "Niamh", 'E', "SEMH" },		/* I */
};
#define ROLL_N ((int)(sizeof roll / sizeof roll[0]))

static struct db *
roll_db(void)
{
	struct db *db;

	fix_today("2026-09-01");
	db = th_db();
	for (int i = 0; i < ROLL_N; i++)
		th_pupil(db, roll[i].serial, roll[i].surname, roll[i].forename,
		    roll[i].status, roll[i].need, "6");
	fix_today("2027-01-20");
	return db;
}

static char upns[ROLL_N + 1][UPN_LEN + 1];

static const char *
upn(int serial)
{
	return th_upn(serial, upns[serial % (ROLL_N + 1)]);
}

/*
 * KS2 2026, by pupil A..I (N: A-D, K: E-G, E: H-I):
 *   reading (scaled):  110 104  99 101 | 100  95  92 |  88 105
 *   writing (TA):      GDS EXS WTS EXS | WTS HNM EXS | PKF WTS
 *   maths (scaled):    112 100 103  98 | 101  99  94 |  90 100
 */
static const char *
results_csv(void)
{
	static char buf[4096];
	static const char *const reading[] = { "110", "104", "99", "101",
	    "100", "95", "92", "88", "105" };
	static const char *const writing[] = { "GDS", "EXS", "WTS", "EXS",
	    "WTS", "HNM", "EXS", "PKF", "WTS" };
	static const char *const maths[] = { "112", "100", "103", "98", "101",
	    "99", "94", "90", "100" };
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof buf - n, "UPN,Subject,"
	    "Assessment Point,Result\r\n");
	for (int i = 0; i < ROLL_N; i++) {
		n += (size_t)snprintf(buf + n, sizeof buf - n,
		    "%s,Reading,KS2 2026,%s\r\n", upn(i + 1), reading[i]);
		n += (size_t)snprintf(buf + n, sizeof buf - n,
		    "%s,Writing,KS2 2026,%s\r\n", upn(i + 1), writing[i]);
		n += (size_t)snprintf(buf + n, sizeof buf - n,
		    "%s,Mathematics,KS2 2026,%s\r\n", upn(i + 1), maths[i]);
	}
	return buf;
}

static int
run_results(struct db *db, const char *text, bool dry, bool skip,
    struct import_result *res, struct serr *e)
{
	struct import_opts o = { .dry_run = dry, .skip_bad = skip };
	const char *path = file_with("results.csv", text);

	import_result_init(res, "results.csv");
	serr_clear(e);
	return outcomefile_run(db, OUTCOME_RESULTS, path, &o, res, e);
}

/* The refusal messages of res, one per line. */
static char *
refusals(const struct import_result *res)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < res->n_msgs; i++) {
		char *line;

		if (res->msgs[i].kind != IMSG_REFUSED)
			continue;
		line = import_msg_format(res, &res->msgs[i]);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", line);
		free(line);
	}
	return buf;
}

Test(results_import, the_whole_roll)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;
	char *sum;

	cr_assert_eq(run_results(db, results_csv(), false, false, &res, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(res.rows, 27);
	cr_assert_eq(res.added, 27);
	cr_assert_eq(res.refused, 0);
	cr_assert(res.written);
	cr_assert_str_eq(res.format, "CSV");
	cr_assert_eq(count(db, "result"), 27);
	sum = outcome_import_summary(&res, "result");
	cr_assert_str_eq(sum, "results.csv (CSV, UTF-8): 27 results read: 27 "
	    "added, 0 changed, 0 unchanged, 0 refused.\n");
	free(sum);
	import_result_free(&res);
	/* Again: nothing changes. */
	cr_assert_eq(run_results(db, results_csv(), false, false, &res, &e), 0);
	cr_assert_eq(res.unchanged, 27);
	cr_assert_eq(res.added + res.changed, 0);
	cr_assert_not(res.written);
	import_result_free(&res);
	/* Audited, with the pupil. */
	cr_assert_eq(count(db, "audit WHERE tbl = 'result' AND pupil_id IS "
	    "NOT NULL"), 27);
	db_close(db);
}

struct rows {
	struct result v[8];
	int n;
};

static int
take(void *ctx, const struct result *r)
{
	struct rows *x = ctx;

	if (x->n < 8)
		x->v[x->n++] = *r;
	return 0;
}

Test(results_import, kinds_dates_and_changes)
{
	struct db *db = roll_db();
	struct import_result res;
	struct rows rows = { .n = 0 };
	struct pupil p;
	struct serr e;
	char text[1024];

	snprintf(text, sizeof text,
	    "\xef\xbb\xbfUPN;Subject;Point;Result;Type;Date\n"
	    "%s;Reading age;Y6 Autumn;10:04;;01/10/2021\n"
	    "%s;Spelling;Y6 Autumn;124;age;2021-10-01\n"
	    "%s;Reading;Y6 Autumn;98.5;score;\n"
	    "%s;Phonics;Y1;WA;;\n", upn(1), upn(1), upn(1), upn(2));
	cr_assert_eq(run_results(db, text, false, false, &res, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(res.added, 4, "%s", refusals(&res));
	cr_assert_str_eq(res.encoding, "UTF-8 with byte-order mark");
	import_result_free(&res);
	cr_assert_eq(pupil_find_upn(db, upn(1), &p, NULL), 0);
	cr_assert_eq(result_list(db, p.id, take, &rows, NULL), 0);
	cr_assert_eq(rows.n, 3);
	/* Oldest first: the dated ones (1 October 2021), then the undated
	 * (by the day they were imported). */
	cr_assert_str_eq(rows.v[0].subject, "reading age");
	cr_assert_eq(rows.v[0].kind, RESULT_AGE);
	cr_assert_eq(rows.v[0].age_months, 124);
	cr_assert_eq(rows.v[0].assessed_on, d(2021, 10, 1));
	cr_assert_str_eq(rows.v[1].subject, "spelling");
	cr_assert_eq(rows.v[1].age_months, 124);
	cr_assert_eq(rows.v[2].kind, RESULT_SCORE);
	cr_assert(close_to(rows.v[2].score, 98.5));
	cr_assert_eq(rows.v[2].assessed_on, SDATE_NONE);

	/* A changed result replaces the stored one; a file without a Date
	 * column leaves the date alone. */
	snprintf(text, sizeof text, "UPN,Subject,Point,Result\n"
	    "%s,reading age,y6 autumn,10:06\n", upn(1));
	cr_assert_eq(run_results(db, text, false, false, &res, &e), 0);
	cr_assert_eq(res.changed, 1);
	cr_assert_eq(res.msgs[0].kind, IMSG_CHANGED);
	cr_assert_str_eq(res.msgs[0].text, "changed B801200005001: y6 autumn "
	    "reading age: 10:06");
	import_result_free(&res);
	rows.n = 0;
	cr_assert_eq(result_list(db, p.id, take, &rows, NULL), 0);
	cr_assert_eq(rows.v[0].age_months, 126);
	cr_assert_eq(rows.v[0].assessed_on, d(2021, 10, 1));
	cr_assert_str_eq(rows.v[0].point, "Y6 Autumn");
	cr_assert_eq(count(db, "result"), 4);
	db_close(db);
}

/* Every kind of bad row, each listed with its line, and nothing written
 * unless skip_bad. */
Test(results_import, refusals_write_nothing)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;
	char text[2048], want[2048];

	snprintf(text, sizeof text,
	    "UPN,Subject,Assessment Point,Result,Type,Date\n"
	    "%s,Reading,KS2 2026,104,,\n"		/* 2: good */
	    "%s,Reading,KS2 2026,EXS,,\n"		/* 3: not in caseload */
	    "B801200005002,Reading,KS2 2026,EXS,,\n"	/* 4: check letter */
	    "%s,,KS2 2026,EXS,,\n"			/* 5: no subject */
	    "%s,Writing,,EXS,,\n"			/* 6: no point */
	    "%s,Writing,KS2 2026,Secure,,\n"		/* 7: not a band */
	    "%s,Maths,KS2 2026,8.6,,\n"			/* 8: score */
	    "%s,Reading age,KS2 2026,8.06,,\n"		/* 9: age */
	    "%s,Maths,KS2 2026,100,grade,\n"		/* 10: band */
	    "%s,Maths,KS2 2026,100,mark,\n"		/* 11: type */
	    "%s,Maths,KS2 2026,100,,2027-02-01\n"	/* 12: future */
	    "%s,READING,ks2 2026,105,,\n"		/* 13: twice */
	    "%s,Maths,KS2 2026,,,\n"			/* 14: no result */
	    "%s,Maths,KS2 2026,100,,1/1/2010\n",	/* 15: before born */
	    upn(1), upn(20), upn(2), upn(3), upn(3), upn(4), upn(4), upn(5),
	    upn(5), upn(6), upn(1), upn(6), upn(7));
	cr_assert_eq(run_results(db, text, false, false, &res, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "results.csv: 13 results refused; nothing was "
	    "written");
	snprintf(want, sizeof want,
	    "results.csv:3: UPN: %s is not in the caseload (import the pupil "
	    "list first: results and attendance are kept for pupils on roll, "
	    "with status N too)\n"
	    "results.csv:4: UPN: UPN 'B801200005002' has the wrong check "
	    "letter: it should be Q (census error 1510)\n"
	    "results.csv:5: Subject: missing\n"
	    "results.csv:6: Assessment Point: missing\n"
	    "results.csv:7: Result: 'Secure' is not a band of the scale (PKF, "
	    "BLW, HNM, WTS, EXS, GDS), a score or an age (years:months)\n"
	    "results.csv:8: Result: 8.6 is not a plausible score (40 to 200); a "
	    "reading age is written years:months, e.g. 8:06\n"
	    "results.csv:9: Result: '8.06' is not an age: write years:months "
	    "(8:06) or months (102)\n"
	    "results.csv:10: Result: '100' is not a band of the scale (PKF, "
	    "BLW, HNM, WTS, EXS, GDS)\n"
	    "results.csv:11: Type: 'mark' is not band, score or age\n"
	    "results.csv:12: Date: 2027-02-01 is in the future\n"
	    "results.csv:13: UPN: %s has a reading result for ks2 2026 already "
	    "(line 2)\n"
	    "results.csv:14: Result: missing\n"
	    "results.csv:15: Date: 2010-01-01 is before the pupil was born\n",
	    upn(20), upn(1));
	cr_assert_str_eq(refusals(&res), want);
	cr_assert_eq(res.refused, 13);
	cr_assert_not(res.written);
	import_result_free(&res);
	cr_assert_eq(count(db, "result"), 0);
	cr_assert_eq(count(db, "audit WHERE tbl = 'result'"), 0);

	/* A dry run says the same and writes nothing either. */
	cr_assert_eq(run_results(db, text, true, false, &res, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "results.csv: 13 results refused; nothing would "
	    "be written");
	import_result_free(&res);
	cr_assert_eq(count(db, "result"), 0);

	/* --skip-bad: the good row goes in, the others are still listed. */
	cr_assert_eq(run_results(db, text, false, true, &res, &e), 0);
	cr_assert_eq(res.added, 1);
	cr_assert_eq(res.refused, 13);
	cr_assert(res.written);
	import_result_free(&res);
	cr_assert_eq(count(db, "result"), 1);
	db_close(db);
}

Test(results_import, dry_run_writes_nothing)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;

	cr_assert_eq(run_results(db, results_csv(), true, false, &res, &e), 0);
	cr_assert_eq(res.added, 27);
	cr_assert_not(res.written);
	cr_assert(res.dry_run);
	import_result_free(&res);
	cr_assert_eq(count(db, "result"), 0);
	db_close(db);
}

Test(results_import, files_that_cannot_be_read)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;
	struct import_opts o = { 0 };

	cr_assert_eq(run_results(db, "UPN,Subject,Result\nX,Y,Z\n", false,
	    false, &res, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "results.csv:1: no column for: assessment point; "
	    "the header line is: UPN,Subject,Result");
	cr_assert_eq(res.rows, 0);
	import_result_free(&res);
	cr_assert_eq(run_results(db, "", false, false, &res, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "results.csv: empty: no header line naming the "
	    "columns");
	import_result_free(&res);
	cr_assert_eq(run_results(db, "UPN,Subject,Point,Result\n\"B80,x,y,z\n",
	    false, false, &res, &e), SE_INVALID);
	import_result_free(&res);
	import_result_init(&res, "none.csv");
	cr_assert_eq(outcomefile_run(db, OUTCOME_RESULTS, th_path("none.csv"),
	    &o, &res, &e), SE_NOTFOUND);
	import_result_free(&res);
	cr_assert_eq(count(db, "result"), 0);
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

/* --- importing attendance ------------------------------------------------- */

static int
run_attendance(struct db *db, const char *text, bool skip,
    struct import_result *res, struct serr *e)
{
	struct import_opts o = { .skip_bad = skip };
	const char *path = file_with("attendance.csv", text);

	import_result_init(res, "attendance.csv");
	serr_clear(e);
	return outcomefile_run(db, OUTCOME_ATTENDANCE, path, &o, res, e);
}

struct att_rows {
	struct attendance_rec v[4];
	int n;
};

static int
take_att(void *ctx, const struct attendance_rec *a)
{
	struct att_rows *x = ctx;

	if (x->n < 4)
		x->v[x->n++] = *a;
	return 0;
}

Test(attendance_import, percentages_and_sessions)
{
	struct db *db = roll_db();
	struct import_result res;
	struct att_rows rows = { .n = 0 };
	struct pupil p;
	struct serr e;
	char text[1024];

	snprintf(text, sizeof text, "UPN\tTerm\tAttendance %%\tPossible "
	    "Sessions\tSessions Attended\n"
	    "%s\tAutumn 2026\t93.5%%\t\t\n"
	    "%s\tSpring 2026/27\t\t120\t108\n"
	    "%s\tsum 2026\t96.7\t120\t116\n", upn(1), upn(1), upn(1));
	cr_assert_eq(run_attendance(db, text, false, &res, &e), 0, "%s\n%s",
	    e.msg, refusals(&res));
	cr_assert_str_eq(res.format, "TSV");
	cr_assert_eq(res.added, 3);
	import_result_free(&res);
	cr_assert_eq(pupil_find_upn(db, upn(1), &p, NULL), 0);
	cr_assert_eq(attendance_list(db, p.id, take_att, &rows, NULL), 0);
	cr_assert_eq(rows.n, 3);
	cr_assert_str_eq(rows.v[0].term, "Summer 2026");
	cr_assert(close_to(rows.v[0].percent, 96.7));
	cr_assert_eq(rows.v[0].possible, 120);
	cr_assert_str_eq(rows.v[1].term, "Autumn 2026");
	cr_assert_eq(rows.v[1].possible, -1);
	cr_assert(close_to(rows.v[1].percent, 93.5));
	cr_assert_str_eq(rows.v[2].term, "Spring 2027");
	cr_assert(close_to(rows.v[2].percent, 90.0));
	cr_assert_eq(rows.v[2].attended, 108);
	db_close(db);
}

Test(attendance_import, refusals_write_nothing)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;
	char text[2048], want[2048];

	snprintf(text, sizeof text,
	    "UPN,Term,Attendance,Possible,Attended\n"
	    "%s,Autumn 2026,95,,\n"		/* 2: good */
	    "%s,Autumn 2026,,120,130\n"		/* 3: attended > possible */
	    "%s,Autumn 2026,100.5,,\n"		/* 4: over 100 */
	    "%s,Autumn 2026,-3,,\n"		/* 5: negative */
	    "%s,Autum 2026,95,,\n"		/* 6: unknown term */
	    "%s,Summer 2027,95,,\n"		/* 7: not begun */
	    "%s,Autumn 2026,,120,\n"		/* 8: half the sessions */
	    "%s,Autumn 2026,95,120,100\n"	/* 9: do not agree */
	    "%s,autumn 2026,96,,\n"		/* 10: twice */
	    "%s,Autumn 2026,,0,0\n"		/* 11: none possible */
	    "%s,Autumn 2026,,,\n"		/* 12: nothing */
	    "%s,Autumn 2026,,12.5,10\n",	/* 13: half a session */
	    upn(1), upn(2), upn(3), upn(4), upn(5), upn(6), upn(7), upn(8),
	    upn(1), upn(9), upn(9), upn(2));
	cr_assert_eq(run_attendance(db, text, false, &res, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "attendance.csv: 11 attendance records refused; "
	    "nothing was written");
	snprintf(want, sizeof want,
	    "attendance.csv:3: Attended: 130 is more than the 120 sessions "
	    "possible\n"
	    "attendance.csv:4: Attendance: '100.5' is not a percentage from 0 "
	    "to 100\n"
	    "attendance.csv:5: Attendance: '-3' is not a percentage from 0 to "
	    "100\n"
	    "attendance.csv:6: Term: 'Autum 2026' is not a term (Autumn, Spring "
	    "or Summer and a year, e.g. Autumn 2026)\n"
	    "attendance.csv:7: Term: Summer 2027 has not begun (it starts about "
	    "2027-04-01)\n"
	    "attendance.csv:8: Attended: missing (sessions possible and "
	    "attended go together)\n"
	    "attendance.csv:9: Attendance: 95 does not match 100 of 120 "
	    "sessions (83.3%%)\n"
	    "attendance.csv:10: UPN: %s has attendance for Autumn 2026 already "
	    "(line 2)\n"
	    "attendance.csv:11: Possible: '0' is not a whole number of sessions "
	    "from 1 to 9999\n"
	    "attendance.csv:12: Attendance: missing (give the attendance %% or "
	    "the sessions possible and attended)\n"
	    "attendance.csv:13: Possible: '12.5' is not a whole number of "
	    "sessions from 1 to 9999\n", upn(1));
	cr_assert_str_eq(refusals(&res), want);
	import_result_free(&res);
	cr_assert_eq(count(db, "attendance"), 0);
	cr_assert_eq(count(db, "audit WHERE tbl = 'attendance'"), 0);

	cr_assert_eq(run_attendance(db, text, true, &res, &e), 0);
	cr_assert_eq(res.added, 1);
	import_result_free(&res);
	cr_assert_eq(count(db, "attendance"), 1);
	db_close(db);
}

Test(attendance_import, a_header_without_figures)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;

	cr_assert_eq(run_attendance(db, "UPN,Term,Possible\n", false, &res, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "attendance.csv:1: no column for: attended "
	    "sessions; the header line is: UPN,Term,Possible");
	import_result_free(&res);
	cr_assert_eq(run_attendance(db, "UPN,Term,Forename\n", false, &res, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "attendance.csv:1: no column for: attendance % "
	    "(or possible and attended sessions); the header line is: "
	    "UPN,Term,Forename");
	import_result_free(&res);
	db_close(db);
}

/* --- the gap -------------------------------------------------------------- */

static const char national_conf[] =
    "national = (\n"
    "  { point = \"KS2 2026\"; subject = \"reading\"; expected = 74; "
    "greater_depth = 28; score = 105; },\n"
    "  { point = \"KS2 2026\"; subject = \"Reading\"; group = \"K\"; "
    "expected = 41; greater_depth = 6; },\n"
    "  { point = \"KS2 2026\"; subject = \"RWM\"; expected = 61; "
    "greater_depth = 8; }\n"
    ");\n";

static struct db *
gap_db(void)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;

	cr_assert_eq(run_results(db, results_csv(), false, false, &res, &e), 0);
	import_result_free(&res);
	return db;
}

static const struct gap_row *
row_of(const struct gap_report *g, const char *subject)
{
	for (int i = 0; i < g->n; i++)
		if (strcmp(g->rows[i].subject, subject) == 0)
			return &g->rows[i];
	cr_assert_fail("no row for %s", subject);
	return NULL;
}

Test(gap, reading_by_hand)
{
	struct db *db = gap_db();
	struct gap_report g;
	const struct gap_row *r;
	struct config cfg;
	struct serr e;
	char buf[48];

	config_from(&cfg, national_conf);
	cr_assert_eq(outcome_gap(db, &cfg, NULL, NULL, &g, &e), 0, "%s", e.msg);
	/* maths, reading, writing, then the combined figure. */
	cr_assert_eq(g.n, 4);
	cr_assert_str_eq(g.rows[0].subject, "maths");
	cr_assert_str_eq(g.rows[1].subject, "reading");
	cr_assert_str_eq(g.rows[2].subject, "writing");
	cr_assert(g.rows[3].combined);
	r = row_of(&g, "reading");
	/*
	 * Reading, expected 100 and greater depth 110:
	 * N: 110 GD, 104 exp, 99 below, 101 exp: 3/4 = 75%, GD 1/4 = 25%,
	 *    mean 414/4 = 103.5; national (all) 74: gap 74 - 75 = -1;
	 *    GD 28 - 25 = 3.
	 * K: 100 exp, 95, 92: 1/3 = 33.3%, GD 0; mean 287/3 = 95.67;
	 *    national for K 41: gap 41 - 33 = 8; GD 6 - 0 = 6.
	 * E: 88, 105 exp: 1/2 = 50%; mean 96.5; national (all) 74: 24.
	 * K+E: 2/5 = 40%; mean 480/5 = 96.0; gap 74 - 40 = 34.
	 * All: 5/9 = 55.6% (shown 56); GD 1/9 = 11.1% (11); mean 894/9 =
	 *    99.33; gap 74 - 56 = 18; GD 28 - 11 = 17.
	 */
	cr_assert_eq(r->g[OG_N].pupils, 4);
	cr_assert_eq(r->g[OG_N].expected, 3);
	cr_assert(close_to(r->g[OG_N].pct_expected, 75.0));
	cr_assert(close_to(r->g[OG_N].pct_greater, 25.0));
	cr_assert(close_to(r->g[OG_N].mean_score, 103.5));
	cr_assert_eq(r->g[OG_N].nat_group, 0);
	cr_assert(close_to(r->g[OG_N].gap_expected, -1));
	cr_assert(close_to(r->g[OG_N].gap_greater, 3));
	cr_assert(close_to(r->g[OG_K].pct_expected, 100.0 / 3));
	cr_assert(close_to(r->g[OG_K].mean_score, 287.0 / 3));
	cr_assert_eq(r->g[OG_K].nat_group, 'K');
	cr_assert(close_to(r->g[OG_K].nat_expected, 41));
	cr_assert(close_to(r->g[OG_K].gap_expected, 8));
	cr_assert(close_to(r->g[OG_K].gap_greater, 6));
	cr_assert(isnan(r->g[OG_K].nat_score));
	cr_assert(close_to(r->g[OG_E].pct_expected, 50.0));
	cr_assert(close_to(r->g[OG_E].mean_score, 96.5));
	cr_assert(close_to(r->g[OG_E].gap_expected, 24));
	cr_assert_eq(r->g[OG_SEN].pupils, 5);
	cr_assert(close_to(r->g[OG_SEN].pct_expected, 40.0));
	cr_assert(close_to(r->g[OG_SEN].mean_score, 96.0));
	cr_assert(close_to(r->g[OG_SEN].gap_expected, 34));
	cr_assert_eq(r->g[OG_ALL].pupils, 9);
	cr_assert(close_to(r->g[OG_ALL].pct_expected, 500.0 / 9));
	cr_assert(close_to(r->g[OG_ALL].pct_greater, 100.0 / 9));
	cr_assert(close_to(r->g[OG_ALL].mean_score, 894.0 / 9));
	cr_assert(close_to(r->g[OG_ALL].gap_expected, 18));
	cr_assert(close_to(r->g[OG_ALL].gap_greater, 17));
	/* As SEND plans write it. */
	cr_assert_str_eq(outcome_gap_text(r->g[OG_K].pct_expected,
	    r->g[OG_K].nat_expected, buf, sizeof buf), "33 (Gap = 8%)");
	cr_assert_str_eq(outcome_gap_text(r->g[OG_N].pct_expected,
	    r->g[OG_N].nat_expected, buf, sizeof buf), "75 (Gap = -1%)");
	cr_assert_str_eq(outcome_gap_text(r->g[OG_ALL].pct_expected,
	    r->g[OG_ALL].nat_expected, buf, sizeof buf), "56 (Gap = 18%)");
	cr_assert_str_eq(outcome_gap_text(21, 64, buf, sizeof buf),
	    "21 (Gap = 43%)");
	cr_assert_str_eq(outcome_gap_text(21.4, 64.5, buf, sizeof buf),
	    "21 (Gap = 43.5%)");
	cr_assert_str_eq(outcome_gap_text(55, NAN, buf, sizeof buf), "55");
	cr_assert_str_eq(outcome_gap_text(NAN, 64, buf, sizeof buf), "");
	outcome_gap_free(&g);
	config_free(&cfg);
	db_close(db);
}

Test(gap, writing_maths_and_combined_by_hand)
{
	struct db *db = gap_db();
	struct gap_report g;
	const struct gap_row *r;
	struct config cfg;
	struct serr e;

	config_from(&cfg, national_conf);
	cr_assert_eq(outcome_gap(db, &cfg, "ks2 2026", NULL, &g, &e), 0);
	/*
	 * Writing (bands): N GDS EXS WTS EXS: 3/4, GD 1/4; K WTS HNM EXS:
	 * 1/3; E PKF WTS: 0/2. No scores, no national figure.
	 */
	r = row_of(&g, "writing");
	cr_assert_eq(r->g[OG_N].expected, 3);
	cr_assert_eq(r->g[OG_N].greater, 1);
	cr_assert_eq(r->g[OG_K].expected, 1);
	cr_assert_eq(r->g[OG_E].expected, 0);
	cr_assert(close_to(r->g[OG_E].pct_expected, 0));
	cr_assert_eq(r->g[OG_ALL].scores, 0);
	cr_assert(isnan(r->g[OG_ALL].mean_score));
	cr_assert(isnan(r->g[OG_ALL].nat_expected));
	cr_assert(isnan(r->g[OG_ALL].gap_expected));
	/*
	 * Maths: N 112 GD, 100, 103, 98 below: 3/4, mean 413/4 = 103.25;
	 * K 101, 99, 94: 1/3, mean 98; E 90, 100: 1/2, mean 95.
	 */
	r = row_of(&g, "maths");
	cr_assert(close_to(r->g[OG_N].pct_expected, 75));
	cr_assert(close_to(r->g[OG_N].mean_score, 103.25));
	cr_assert(close_to(r->g[OG_K].mean_score, 98));
	cr_assert(close_to(r->g[OG_E].mean_score, 95));
	/*
	 * All three at the expected standard: A (GD in all three) and B;
	 * C (reading 99) and D (maths 98) not; no pupil with SEN.
	 * N 2/4 = 50%, GD 1/4 = 25%; K 0/3; E 0/2; All 2/9 = 22.2% (22),
	 * GD 1/9 = 11.1% (11). National 61 and 8: N gap 61 - 50 = 11,
	 * GD 8 - 25 = -17; All 61 - 22 = 39.
	 */
	r = &g.rows[g.n - 1];
	cr_assert(r->combined);
	cr_assert_str_eq(r->subject, "rwm");
	cr_assert_eq(r->g[OG_N].pupils, 4);
	cr_assert_eq(r->g[OG_N].expected, 2);
	cr_assert_eq(r->g[OG_N].greater, 1);
	cr_assert_eq(r->g[OG_K].pupils, 3);
	cr_assert_eq(r->g[OG_K].expected, 0);
	cr_assert_eq(r->g[OG_E].expected, 0);
	cr_assert(close_to(r->g[OG_ALL].pct_expected, 200.0 / 9));
	cr_assert(close_to(r->g[OG_N].gap_expected, 11));
	cr_assert(close_to(r->g[OG_N].gap_greater, -17));
	cr_assert(close_to(r->g[OG_ALL].gap_expected, 39));
	outcome_gap_free(&g);

	/* One subject, as typed; the combined figure on its own. */
	cr_assert_eq(outcome_gap(db, &cfg, NULL, "Mathematics", &g, &e), 0);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.rows[0].subject, "maths");
	outcome_gap_free(&g);
	cr_assert_eq(outcome_gap(db, &cfg, NULL, "rwm", &g, &e), 0);
	cr_assert_eq(g.n, 1);
	cr_assert(g.rows[0].combined);
	cr_assert_eq(g.rows[0].g[OG_ALL].expected, 2);
	outcome_gap_free(&g);
	cr_assert_eq(outcome_gap(db, &cfg, "KS1 2022", NULL, &g, &e), 0);
	cr_assert_eq(g.n, 0);
	outcome_gap_free(&g);
	config_free(&cfg);
	db_close(db);
}

Test(gap, no_results_and_unjudged_ones)
{
	struct db *db = roll_db();
	struct import_result res;
	struct gap_report g;
	struct serr e;
	char text[512];

	cr_assert_eq(outcome_gap(db, NULL, NULL, NULL, &g, &e), 0);
	cr_assert_eq(g.n, 0);
	outcome_gap_free(&g);
	/* A reading age with no date cannot be judged; one with a date is
	 * (born 1 September 2016, so 10:01 on 1 October 2026). */
	snprintf(text, sizeof text, "UPN,Subject,Point,Result,Date\n"
	    "%s,Reading age,Y6 Autumn,10:00,\n"
	    "%s,Reading age,Y6 Autumn,10:01,2026-10-01\n", upn(1), upn(5));
	cr_assert_eq(run_results(db, text, false, false, &res, &e), 0);
	import_result_free(&res);
	cr_assert_eq(outcome_gap(db, NULL, NULL, NULL, &g, &e), 0);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.rows[0].g[OG_ALL].pupils, 2);
	cr_assert_eq(g.rows[0].g[OG_ALL].judged, 1);
	cr_assert_eq(g.rows[0].g[OG_K].expected, 1);
	cr_assert(isnan(g.rows[0].g[OG_N].pct_expected));
	/* No greater depth for an age. */
	cr_assert(isnan(g.rows[0].g[OG_K].pct_greater));
	outcome_gap_free(&g);
	db_close(db);
}

/* --- the gap over time ----------------------------------------------------- */

Test(gap, points_in_time_order)
{
	cr_assert_eq(outcome_point_time("KS2 2026", SDATE_NONE, d(2027, 1, 20)),
	    d(2026, 7, 1));
	cr_assert_eq(outcome_point_time("Y4 Summer 2025", SDATE_NONE,
	    SDATE_NONE), d(2025, 4, 1));
	cr_assert_eq(outcome_point_time("2024 Autumn Y3", SDATE_NONE,
	    SDATE_NONE), d(2024, 9, 1));
	/* A date assessed comes first; "KS2" and "Y4" are no years. */
	cr_assert_eq(outcome_point_time("KS2 2026", d(2026, 5, 12),
	    SDATE_NONE), d(2026, 5, 12));
	cr_assert_eq(outcome_point_time("Y4 Summer", SDATE_NONE,
	    d(2027, 1, 20)), d(2027, 1, 20));
	cr_assert_eq(outcome_point_time("Year 1990 test", SDATE_NONE,
	    SDATE_NONE), SDATE_NONE);
}

Test(gap, rows_by_time_and_band_ranks)
{
	struct db *db = gap_db();
	struct import_result res;
	struct gap_report g;
	struct serr e;
	char text[1024];
	int n;

	/* Alphabetically "KS1 2022" < "KS2 2026" < "Y3 Summer 2023" <
	 * "Y5 Spring": in time KS1 2022, Y3 Summer 2023 (1 April), Y5
	 * Spring (dated 2025-03-14), KS2 2026 (1 July). */
	snprintf(text, sizeof text, "UPN,Subject,Point,Result,Date\n"
	    "%s,Reading,Y5 Spring,96,2025-03-14\n"
	    "%s,Reading,KS1 2022,WTS,\n"
	    "%s,Reading,Y3 Summer 2023,EXS,\n"
	    "%s,Maths,Y3 Summer 2023,EXS,\n", upn(5), upn(5), upn(5), upn(6));
	cr_assert_eq(run_results(db, text, false, false, &res, &e), 0, "%s",
	    e.msg);
	import_result_free(&res);
	cr_assert_eq(outcome_gap(db, NULL, NULL, "reading", &g, &e), 0);
	cr_assert_eq(g.n, 4);
	cr_assert_str_eq(g.rows[0].point, "KS1 2022");
	cr_assert_str_eq(g.rows[1].point, "KS2 2026");
	cr_assert_eq(outcome_gap_by_time(db, &g, &e), 0, "%s", e.msg);
	cr_assert_str_eq(g.rows[0].point, "KS1 2022");
	cr_assert_str_eq(g.rows[1].point, "Y3 Summer 2023");
	cr_assert_str_eq(g.rows[2].point, "Y5 Spring");
	cr_assert_str_eq(g.rows[3].point, "KS2 2026");
	/* the figures travel with their rows */
	cr_assert_eq(g.rows[3].g[OG_ALL].pupils, 9);
	cr_assert_eq(g.rows[0].g[OG_K].pupils, 1);
	cr_assert_eq(g.rows[0].g[OG_K].expected, 0);
	outcome_gap_free(&g);
	/* every subject: the subjects of a point keep their order */
	cr_assert_eq(outcome_gap(db, NULL, NULL, NULL, &g, &e), 0);
	cr_assert_eq(outcome_gap_by_time(db, &g, &e), 0);
	cr_assert_str_eq(g.rows[1].point, "Y3 Summer 2023");
	cr_assert_str_eq(g.rows[1].subject, "maths");
	cr_assert_str_eq(g.rows[2].subject, "reading");
	cr_assert_str_eq(g.rows[g.n - 1].subject, "rwm");
	cr_assert_str_eq(g.rows[g.n - 1].point, "KS2 2026");
	outcome_gap_free(&g);

	/* bands on the default scale and on a subject's own */
	cr_assert_eq(outcome_band_rank(NULL, "Reading", "exs", &n), 4);
	cr_assert_eq(n, 6);
	cr_assert_eq(outcome_band_rank(NULL, "reading", "PKF", NULL), 0);
	cr_assert_eq(outcome_band_rank(NULL, "Phonics screening check", "WA",
	    &n), 1);
	cr_assert_eq(n, 2);
	cr_assert_eq(outcome_band_rank(NULL, "phonics", "EXS", NULL), -1);
	cr_assert_eq(outcome_band_rank(NULL, "reading", "Secure", NULL), -1);
	cr_assert_eq(outcome_scale(NULL, "Phonics")->expected, 1);
	cr_assert_eq(outcome_scale(NULL, "Phonics")->greater_depth, -1);
	cr_assert_eq(outcome_scale(NULL, "maths")->expected, 4);
	db_close(db);
}

/* --- attendance figures --------------------------------------------------- */

/*
 * Autumn 2026, pupils A..I:
 *   N: 98.0  95.5  89.5 (179/200)  100
 *   K: 92.0  85.0  90.0 (108/120)
 *   E: 80.0  96.0
 * Spring 2026: A 97, E 88, H 85.
 */
static struct db *
attendance_db(void)
{
	struct db *db = roll_db();
	struct import_result res;
	struct serr e;
	char text[2048];

	snprintf(text, sizeof text, "UPN,Term,Attendance %%,Possible,Attended\n"
	    "%s,Autumn 2026,98.0,,\n%s,Autumn 2026,95.5,,\n"
	    "%s,Autumn 2026,,200,179\n%s,Autumn 2026,100,,\n"
	    "%s,Autumn 2026,92,,\n%s,Autumn 2026,85.0,,\n"
	    "%s,Autumn 2026,90.0,120,108\n%s,Autumn 2026,80,,\n"
	    "%s,Autumn 2026,96,,\n"
	    "%s,Spring 2026,97,,\n%s,Spring 2026,88,,\n%s,Spring 2026,85,,\n",
	    upn(1), upn(2), upn(3), upn(4), upn(5), upn(6), upn(7), upn(8),
	    upn(9), upn(1), upn(5), upn(8));
	cr_assert_eq(run_attendance(db, text, false, &res, &e), 0, "%s\n%s",
	    e.msg, refusals(&res));
	cr_assert_eq(res.added, 12);
	import_result_free(&res);
	return db;
}

Test(attendance_figures, by_status_and_need_by_hand)
{
	struct db *db = attendance_db();
	struct att_report a;
	struct serr e;

	cr_assert_eq(outcome_attendance(db, NULL, &a, &e), 0, "%s", e.msg);
	cr_assert_str_eq(a.term, "Autumn 2026");
	/*
	 * N: (98 + 95.5 + 89.5 + 100) / 4 = 383 / 4 = 95.75; below 90: C,
	 *    1/4 = 25%.
	 * K: (92 + 85 + 90) / 3 = 89.0; below 90: F only (90.0 is not
	 *    below), 1/3 = 33.3%.
	 * E: (80 + 96) / 2 = 88.0; H, 1/2 = 50%.
	 * K+E: 443 / 5 = 88.6; 2/5 = 40%.
	 * All: 826 / 9 = 91.78; 3/9 = 33.3%.
	 */
	cr_assert_eq(a.g[OG_N].pupils, 4);
	cr_assert(close_to(a.g[OG_N].mean, 95.75));
	cr_assert_eq(a.g[OG_N].persistent, 1);
	cr_assert(close_to(a.g[OG_N].pct_persistent, 25));
	cr_assert(close_to(a.g[OG_K].mean, 89.0));
	cr_assert_eq(a.g[OG_K].persistent, 1);
	cr_assert(close_to(a.g[OG_K].pct_persistent, 100.0 / 3));
	cr_assert(close_to(a.g[OG_E].mean, 88.0));
	cr_assert(close_to(a.g[OG_E].pct_persistent, 50));
	cr_assert(close_to(a.g[OG_SEN].mean, 88.6));
	cr_assert(close_to(a.g[OG_SEN].pct_persistent, 40));
	cr_assert_eq(a.g[OG_ALL].pupils, 9);
	cr_assert(close_to(a.g[OG_ALL].mean, 826.0 / 9));
	cr_assert_eq(a.g[OG_ALL].persistent, 3);
	/*
	 * By primary need, census order: SLCN (E 92, G 90: 91.0, none
	 * persistent), ASD (H 80: PA), SPLD (F 85: PA), SEMH (I 96).
	 */
	cr_assert_eq(a.n_needs, 4);
	cr_assert_str_eq(a.needs[0].code, "SLCN");
	cr_assert_eq(a.needs[0].c.pupils, 2);
	cr_assert(close_to(a.needs[0].c.mean, 91.0));
	cr_assert_eq(a.needs[0].c.persistent, 0);
	cr_assert_str_eq(a.needs[1].code, "ASD");
	cr_assert_eq(a.needs[1].c.persistent, 1);
	cr_assert_str_eq(a.needs[2].code, "SPLD");
	cr_assert(close_to(a.needs[2].c.mean, 85.0));
	cr_assert_str_eq(a.needs[3].code, "SEMH");
	/* Every term, oldest first: Spring 2026 N 97, K 88, E 85. */
	cr_assert_eq(a.n_terms, 2);
	cr_assert_str_eq(a.terms[0].term, "Spring 2026");
	cr_assert(close_to(a.terms[0].g[OG_N].mean, 97));
	cr_assert(close_to(a.terms[0].g[OG_K].mean, 88));
	cr_assert(close_to(a.terms[0].g[OG_E].mean, 85));
	cr_assert(close_to(a.terms[0].g[OG_ALL].mean, 90));
	cr_assert(close_to(a.terms[1].g[OG_N].mean, 95.75));
	outcome_attendance_free(&a);

	/* One term asked for, in any form. */
	cr_assert_eq(outcome_attendance(db, "spring 2025/26", &a, &e), 0);
	cr_assert_str_eq(a.term, "Spring 2026");
	cr_assert_eq(a.g[OG_ALL].pupils, 3);
	cr_assert_eq(a.g[OG_ALL].persistent, 2);
	cr_assert_eq(a.n_needs, 2);
	outcome_attendance_free(&a);
	cr_assert_eq(outcome_attendance(db, "Summer 2026", &a, &e), SE_NOTFOUND);
	cr_assert_str_eq(e.msg, "attendance: none is recorded for Summer 2026");
	cr_assert_eq(outcome_attendance(db, "Easter 2026", &a, &e), SE_INVALID);
	db_close(db);
}

Test(attendance_figures, nothing_recorded)
{
	struct db *db = roll_db();
	struct att_report a;

	cr_assert_eq(outcome_attendance(db, NULL, &a, NULL), 0);
	cr_assert_str_eq(a.term, "");
	cr_assert_eq(a.n_terms, 0);
	cr_assert_eq(a.n_needs, 0);
	outcome_attendance_free(&a);
	db_close(db);
}
