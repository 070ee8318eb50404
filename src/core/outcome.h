/*
 * outcome.h: the outcomes that school and trust SEND plans measure:
 * assessment results of the whole roll (pupils with status N too) and
 * attendance per term; their import from MIS-style CSV; and the figures
 * of the attainment gap ("Gap = national minus ours") and of attendance
 * by SEN status and primary need (../shared/DOMAIN.md, "Outcomes").
 *
 * Figures come back as plain structs of counts and percentages (NAN
 * where there is nothing to share), so the CLI can lay them out as
 * tables and the UI as bar charts.
 */
#ifndef SENCO_OUTCOME_H
#define SENCO_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "config.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "import.h"
#include "pupil.h"

#define RESULT_POINT_MAX 48	/* "KS2 2026", "Y4 Summer" + NUL */
#define RESULT_SUBJECT_MAX 48	/* "reading", "maths" + NUL */
#define RESULT_BAND_MAX 24	/* "EXS", "Developing" + NUL */
#define TERM_MAX 16		/* "Autumn 2026" + NUL */
/* Scores outside this range are refused on import: a scaled score runs
 * 80..120, a standardised score about 40..160. */
#define RESULT_SCORE_MIN 40.0
#define RESULT_SCORE_MAX 200.0
#define RESULT_AGE_MAX_MONTHS 300	/* 25 years */
/* A pupil whose attendance is below this is persistently absent. */
#define ATTENDANCE_PERSISTENT_BELOW 90.0

/* --- results -------------------------------------------------------------- */

enum result_kind { RESULT_BAND = 0, RESULT_SCORE, RESULT_AGE };

struct result {
	int64_t id;
	int64_t pupil_id;
	char point[RESULT_POINT_MAX];		/* "KS2 2026" */
	char subject[RESULT_SUBJECT_MAX];	/* "reading" */
	enum result_kind kind;
	char band[RESULT_BAND_MAX];		/* RESULT_BAND: as the scale
						 * spells it */
	double score;				/* RESULT_SCORE */
	int age_months;				/* RESULT_AGE: reading or
						 * spelling age */
	sdate assessed_on;			/* SDATE_NONE if not given */
	char updated_at[TIMESTAMP_LEN];
	char changed_by[AUTHOR_MAX];
};

const char *result_kind_code(enum result_kind k);	/* "band" ... */

/*
 * A subject as senco stores it: trimmed, spaces made single, lower case,
 * and the usual names made one: "Mathematics" -> "maths", "SPaG" and
 * "Grammar, punctuation and spelling" -> "gps", "Phonics screening
 * check" -> "phonics", "Reading, writing and maths" -> "rwm". out has
 * RESULT_SUBJECT_MAX bytes. SE_INVALID if empty, too long or holding a
 * control character.
 */
int outcome_subject_normalise(const char *s, char *out, struct serr *e);
/* An assessment point trimmed with single spaces ("KS2  2026" ->
 * "KS2 2026"); out has RESULT_POINT_MAX bytes. */
int outcome_point_normalise(const char *s, char *out, struct serr *e);

/*
 * A reading or spelling age: "8:06" or "8:6" (years:months), "8y 6m",
 * or, when months_ok, a whole number of months ("102"). SE_INVALID with
 * a message that says how to write one.
 */
int outcome_age_parse(const char *s, bool months_ok, int *months,
    struct serr *e);
/* "8:06" into buf (>= 12). */
char *outcome_age_show(int months, char *buf, size_t n);
/* The result as shown: "EXS", "104", "8:06". buf >= 16. */
char *result_value_show(const struct result *r, char *buf, size_t n);

/* Where a result stands against the configured standards. */
enum result_standard {
	STD_UNJUDGED = -1,	/* no standard applies (an age with no date,
				 * a band no longer on the scale) */
	STD_BELOW = 0,
	STD_EXPECTED,		/* at the expected standard, not above */
	STD_GREATER,		/* at greater depth (or a high score) */
};
/*
 * Judge r: a band by its subject's scale (results.subjects, else
 * results.scale), a score by results.expected_score and
 * greater_depth_score, a reading or spelling age by whether it is at
 * least the pupil's age (dob) on the day of the assessment.
 * *has_greater says whether greater depth exists for it at all (not for
 * ages, nor for a scale without a greater-depth band). cfg may be NULL
 * (the defaults).
 */
enum result_standard outcome_judge(const struct config *cfg,
    const struct result *r, sdate dob, bool *has_greater);

typedef int (*result_cb)(void *ctx, const struct result *r);
/* A pupil's results, oldest first (by the date assessed, else the day
 * they were imported), for the pupil screen's chart. */
int result_list(struct db *db, int64_t pupil_id, result_cb cb, void *ctx,
    struct serr *e);

/* --- attendance ----------------------------------------------------------- */

/*
 * A term as MIS exports write it: "Autumn 2026", "Aut 2026", "Autumn
 * term 2026", "2026 Autumn", "Spring 2026/27" (a school year: Autumn in
 * its first calendar year, Spring and Summer in its second). out (TERM_MAX)
 * gets "Autumn 2026"; *start the term's first day for ordering (Autumn 1
 * September, Spring 1 January, Summer 1 April). SE_INVALID otherwise.
 */
int outcome_term_parse(const char *s, char *out, sdate *start,
    struct serr *e);

struct attendance_rec {
	int64_t id;
	int64_t pupil_id;
	char term[TERM_MAX];
	sdate term_start;
	int possible, attended;		/* sessions; -1 if not given */
	double percent;			/* 0..100 */
};
typedef int (*attendance_cb)(void *ctx, const struct attendance_rec *a);
/* A pupil's attendance, oldest term first. */
int attendance_list(struct db *db, int64_t pupil_id, attendance_cb cb,
    void *ctx, struct serr *e);

/* --- import (outcome_import.c; the file is read by io/outcomefile.c) ------ */

/*
 * Import results or attendance with the rules of the pupil import
 * (import.h): every row is checked and every bad one listed as
 * "file:line: column: why"; if any is refused nothing is written unless
 * o->skip_bad; a dry run writes nothing; a real run is one transaction.
 * Rows name pupils by UPN, and a UPN not in the caseload is refused:
 * import the whole roll as pupils first. A row for a result or term
 * already stored replaces it (counted as changed) or leaves it
 * (unchanged).
 *
 * Results: columns UPN, Subject, Assessment Point (or Point), Result,
 * and optionally Type (band, score or age) and Date (assessed).
 * Attendance: UPN, Term, and Attendance % or Possible and Attended
 * sessions (or both, when they agree).
 */
enum outcome_import_kind { OUTCOME_RESULTS = 0, OUTCOME_ATTENDANCE };

struct outcome_importer;

/* Start an import into db; res (import_result_init'ed by the caller)
 * gets counts and messages, rows counting the results or pupil-terms
 * read. A real run begins its transaction here. *out is finished with
 * outcome_import_end or outcome_import_abort. */
int outcome_import_begin(struct db *db, enum outcome_import_kind kind,
    const struct import_opts *o, struct import_result *res,
    struct outcome_importer **out, struct serr *e);
/* The header line: names[0..n-1] as written, matched in any case and
 * spacing. A missing column is SE_INVALID "file:line: no column for:
 * ...; the header line is: ..."; columns not used are noticed. */
int outcome_import_header(struct outcome_importer *im, char *const *names,
    int n, int line, struct serr *e);
/* A data line after the header. Returns 0 when the row was imported or
 * refused (listed in res); an SE_ code only for trouble that stops the
 * import (the database). */
int outcome_import_record(struct outcome_importer *im, char *const *cells,
    int n, int line, struct serr *e);
/* Commit a real run, or roll it back when rows were refused without
 * skip_bad (SE_INVALID "file: N results refused; nothing was written");
 * frees im. */
int outcome_import_end(struct outcome_importer *im, struct serr *e);
/* Give up: roll back, free im. */
void outcome_import_abort(struct outcome_importer *im);
/* import_summary for these files: "results.csv (CSV, UTF-8): 12 results
 * read: ..." with `noun` ("result", "attendance record"). Caller frees. */
char *outcome_import_summary(const struct import_result *r,
    const char *noun);

/* --- figures -------------------------------------------------------------- */

/* The groups figures are given for: by current SEN status, SEN support
 * and EHC plans together, and everyone. */
enum outcome_group { OG_N = 0, OG_K, OG_E, OG_SEN, OG_ALL, OG_COUNT };
const char *outcome_group_code(enum outcome_group g);	/* "K", "K+E", "All" */
const char *outcome_group_name(enum outcome_group g);	/* "SEN support" */

struct gap_cell {
	int pupils;		/* results in the cohort */
	int judged;		/* of them with a standard to judge by */
	int expected;		/* at the expected standard or above */
	int greater_judged;	/* judged where greater depth exists */
	int greater;		/* at greater depth */
	double pct_expected;	/* expected / judged * 100; NAN if none */
	double pct_greater;	/* greater / greater_judged * 100; NAN */
	int scores;		/* results that are scores */
	double mean_score;	/* NAN if none */
	/* National figures from the config: for this group if given
	 * (national.group), else for all pupils; NAN if none. */
	char nat_group;		/* 'N', 'K', 'E', or 0: all pupils */
	double nat_expected, nat_greater, nat_score;
	/* Gap = national minus ours, in percentage points, from ours as
	 * shown (rounded to a whole number): NAN without both. A negative
	 * gap means ours is above national. */
	double gap_expected, gap_greater;
};

struct gap_row {
	char point[RESULT_POINT_MAX];
	char subject[RESULT_SUBJECT_MAX];
	/* "rwm" worked out from reading, writing and maths: a pupil counts
	 * who has all three; expected (greater depth) in all three. */
	bool combined;
	struct gap_cell g[OG_COUNT];
};

struct gap_report {
	struct gap_row *rows;	/* by point, then subject */
	int n;
};

/*
 * The attainment figures of every point and subject (or only the point
 * and/or subject given, matched in any case; subject as typed, e.g.
 * "Maths"), by current SEN status, beside national figures from cfg
 * (may be NULL). Pupils who have left are counted in the points they
 * sat. out is the caller's to free with outcome_gap_free.
 */
int outcome_gap(struct db *db, const struct config *cfg, const char *point,
    const char *subject, struct gap_report *out, struct serr *e);
void outcome_gap_free(struct gap_report *r);
/*
 * "21 (Gap = 43%)" as SEND plans write it: ours as a whole percentage
 * and the gap, national minus ours, in percentage points ("Gap = -5%"
 * when ours is above); "21" alone without a national figure; "" when
 * ours is NAN. buf >= 40.
 */
char *outcome_gap_text(double ours, double national, char *buf, size_t n);

/*
 * The time of an assessment point, for putting points in order: the
 * earliest day its results were assessed (assessed); without one, the
 * year in its name ("KS2 2026": 1 July 2026; with Autumn, Spring or
 * Summer, the first day of that term: "Y4 Summer 2025" is 1 April 2025);
 * else the day its results were first imported (imported).
 */
sdate outcome_point_time(const char *point, sdate assessed, sdate imported);
/*
 * Put the rows of r in the time order of their points (as
 * outcome_point_time), oldest first, the subjects of a point keeping
 * their order: a point's row read left to right says whether the gap is
 * closing. One query, whatever the roll.
 */
int outcome_gap_by_time(struct db *db, struct gap_report *r, struct serr *e);
/*
 * Where a band stands on its subject's scale (results.subjects, else
 * results.scale; subject as stored or as typed): 0 for the lowest, -1
 * when the band is not on it. *n_bands (may be NULL) gets the scale's
 * length, for drawing a result as a bar. cfg may be NULL (the defaults).
 */
int outcome_band_rank(const struct config *cfg, const char *subject,
    const char *band, int *n_bands);
/* The scale a subject's bands are judged by (as above); the config's, or
 * the defaults' when cfg is NULL or has none: never NULL. */
const struct config_scale *outcome_scale(const struct config *cfg,
    const char *subject);

struct att_cell {
	int pupils;		/* with attendance for the term */
	double mean;		/* mean of their percentages; NAN if none */
	int persistent;		/* below ATTENDANCE_PERSISTENT_BELOW */
	double pct_persistent;	/* NAN if none */
};

struct att_need_row {
	char code[NEED_CODE_MAX];	/* "": no need recorded */
	struct att_cell c;
};

struct att_term_row {
	char term[TERM_MAX];
	sdate start;
	struct att_cell g[OG_COUNT];
};

struct att_report {
	char term[TERM_MAX];		/* the term of g and needs; "" if no
					 * attendance is recorded at all */
	sdate term_start;
	struct att_cell g[OG_COUNT];
	/* Pupils with SEN (K, E) by primary need, in census order, then
	 * those with none recorded; needs with no pupils are left out. */
	struct att_need_row *needs;
	int n_needs;
	/* Every term recorded, oldest first: is the gap closing? */
	struct att_term_row *terms;
	int n_terms;
};

/*
 * Attendance by current SEN status and primary need for one term (as
 * typed, any form outcome_term_parse reads; NULL: the latest term
 * recorded), and the means of every term. A term not recorded is
 * SE_NOTFOUND. out is the caller's to free with outcome_attendance_free.
 */
int outcome_attendance(struct db *db, const char *term,
    struct att_report *out, struct serr *e);
void outcome_attendance_free(struct att_report *r);

#endif
