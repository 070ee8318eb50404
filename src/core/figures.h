/*
 * figures.h: the figures of `senco report` that go beyond the dashboard's
 * (report.h): the caseload as a share of the school roll, on track per
 * year group and per need, the impact of each intervention per measure,
 * exclusions by SEN status in a trust's table layout, and the anonymised
 * cluster return with its small-number suppression and the merging of
 * several schools' returns into one trust view.
 *
 * Everything that report.c already works out (the register snapshot,
 * reviews, on-track tallies, the provision map, pupils over the top-up
 * threshold) is taken from it, so a report and the dashboard never
 * disagree. No curses and no file formats here: the command line turns
 * these into tables, CSV and markdown.
 */
#ifndef SENCO_FIGURES_H
#define SENCO_FIGURES_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "intervention.h"
#include "report.h"

/* The default window of `senco report reviews` and the return. */
#define FIG_DEFAULT_DAYS 28

/* --- the caseload as a share of the roll ----------------------------------- */

struct fig_caseload {
	int roll;		/* the denominator of every "% of roll" */
	bool roll_from_config;	/* the configured roll, else pupils on
				 * roll in the caseload */
	bool roll_short;	/* the configured roll is smaller than the
				 * pupils on roll in the caseload */
	int on_roll;		/* pupils on roll in the caseload */
	/* By SEN status. With the roll from the configuration, n is the
	 * rest of the roll (roll - k - e): a caseload often holds the SEN
	 * register and a few others, not the whole school. */
	int n, k, e;
	int reg;		/* on the register: k + e */
	int by_area[AREA_COUNT];	/* primary need's area; [AREA_NONE]:
					 * OTH, NSA or none recorded */
	int by_need[NEED_CODE_COUNT];	/* primary need, need_codes order */
	int no_need;		/* K or E without a need recorded */
};

/* cfg_roll: the configured roll, 0 unknown. */
void fig_caseload(const struct report_caseload *c, int cfg_roll,
    struct fig_caseload *out);

/* Reviews overdue, and due from today to today + days (report_reviews). */
void fig_review_counts(const struct report_caseload *c, int days,
    int *overdue, int *due);

/* --- on track per group ------------------------------------------------------ */

enum fig_by { FIG_BY_YEAR = 0, FIG_BY_NEED };

struct fig_track_row {
	char key[NEED_CODE_MAX];	/* "4", "R", "SLCN"; "" no need */
	struct report_track t;
};

/*
 * The on-track tally (report_on_track) for each year group (in year
 * order) or each primary need (in need_codes order, then pupils with no
 * need recorded), leaving out groups with no pupil in a cycle. *out is a
 * fresh array the caller frees (NULL when none). Returns the count.
 */
int fig_on_track(const struct report_caseload *c, enum fig_by by,
    struct fig_track_row **out);

/* --- impact ---------------------------------------------------------------- */

/* One intervention and one measure: means over finished enrolments. An
 * intervention measured on two scales gets a row for each, because the
 * mean of a reading age and a standardised score means nothing. */
struct fig_impact {
	int64_t iv_id;
	char name[INTERVENTION_NAME_MAX];
	char measure[MEASURE_MAX];	/* as first written; "" none named */
	enum measure_kind kind;
	int finished;			/* finished enrolments */
	int n;				/* ... with entry and exit scores */
	double mean_entry, mean_exit;	/* NAN when n is 0 */
	double mean_gain;		/* mean of derive_impact(), NAN */
	int n_ratio;			/* age measures over a month or more */
	double mean_ratio;		/* mean of derive_ratio_gain(), NAN */
};

/*
 * Every intervention with a finished enrolment (pupils who have left
 * too: their progress happened), by name and measure. *out is the
 * caller's to free (NULL when none); *n the count.
 */
int fig_impact_load(struct db *db, struct fig_impact **out, int *n,
    struct serr *e);

/* --- exclusions by SEN status ------------------------------------------------ */

enum fig_group { FIG_N = 0, FIG_K, FIG_E, FIG_ALL, FIG_GROUPS };

struct fig_exclusions {
	sdate from, to;			/* the period, both included */
	int pupils[FIG_GROUPS];		/* the group: the denominator */
	int suspensions[FIG_GROUPS];	/* suspensions in the period */
	int sessions[FIG_GROUPS];	/* sessions they cost */
	int one_plus[FIG_GROUPS];	/* pupils with one or more */
	int two_plus[FIG_GROUPS];	/* pupils with two or more */
	int permanent[FIG_GROUPS];	/* pupils permanently excluded */
};

/* The academic year (1 September to 31 August) that holds d: its first
 * day. */
sdate fig_academic_year_start(sdate d);

/*
 * Exclusions from `from` to `to` by the SEN status each pupil had at the
 * end of the period, or on the day they left if that was earlier (a
 * permanently excluded pupil leaves the roll but counts). The groups are
 * the pupils on roll at some time in the period; with cfg_roll > 0 the N
 * group is at least the rest of the configured roll. Read-only.
 */
int fig_exclusions_load(struct db *db, sdate from, sdate to, int cfg_roll,
    struct fig_exclusions *out, struct serr *e);
/* The same, with c, the register read in the same snapshot (after
 * report_read_once): its open statuses spare a pass over the statuses
 * (the cluster return). */
int fig_exclusions_of(struct db *db, const struct report_caseload *c,
    sdate from, sdate to, int cfg_roll, struct fig_exclusions *out,
    struct serr *e);

/* --- the cluster return -------------------------------------------------------- */

/*
 * A count as a return shows it:
 *   exact:    0 or 5 and more: the number;
 *   small:    1 to 4, shown "<5" (primary suppression);
 *   withheld: shown "c": an exact count of 5 or more held back so that a
 *             small one in the same table cannot be worked out by
 *             subtraction from a total (secondary suppression);
 *   at least: only in a merged return: ">=N", a sum in which some parts
 *             were suppressed, so N is a lower bound.
 * Percentages are shown when the count and its base are both exact; a
 * count that is at least N of an exact base has a percentage of at least
 * N's; any other is "c".
 */
enum fig_shown { FIG_EXACT = 0, FIG_SMALL, FIG_WITHHELD, FIG_ATLEAST };

struct fig_cell {
	enum fig_shown shown;
	int64_t value;		/* exact: the count; at least: the bound;
				 * small and withheld: the true count when
				 * this school made it, else 0 */
};

/* The smallest and largest counts below which a count is suppressed. */
#define FIG_SMALL_MIN 1
#define FIG_SMALL_MAX 4

/* "12", "<5", "c", ">=12" into buf (>= 24). */
char *fig_cell_show(const struct fig_cell *c, char *buf, size_t n);
/* Read a cell as fig_cell_show writes it: 0, or -1 for anything else
 * (an empty cell, or an exact count from 1 to 4 that should have been
 * suppressed, unless the line is plain). */
int fig_cell_parse(const char *s, bool plain, struct fig_cell *out);
/* A lower bound on the count the cell stands for. */
int64_t fig_cell_low(const struct fig_cell *c);
/* Percent of c in base, or false when it must not be shown. */
bool fig_cell_pct(const struct fig_cell *c, const struct fig_cell *base,
    double *pct);
/* The percentage as a return shows it: "12.5"; ">=12.5" for a count
 * that is at least something of an exact base; "c" when it must not be
 * shown. buf >= 24. */
char *fig_pct_show(const struct fig_cell *c, const struct fig_cell *base,
    char *buf, size_t n);

/* One line of a return. The layout (which lines, in which order, and the
 * base of each) is fixed by figures.c, so returns from schools line up. */
struct fig_line {
	const char *measure;	/* "status", "need", "exclusions" ... */
	char group[32];		/* "K", "SLCN", "overdue", "all" ... */
	int base;		/* index of the line that is its base, -1 */
	/* The line that this one adds up to with the other lines of its
	 * measure and the same total (a table, for secondary suppression:
	 * the areas add up to the register); -1 none. */
	int total;
	bool plain;		/* not a count of pupils: never suppressed */
	struct fig_cell cell;
};

struct fig_return {
	char *school;		/* heap */
	sdate date;
	int days;		/* the window of "reviews, due" */
	int returns;		/* schools in it: 1 for one school's own
				 * return, 0 for an empty layout */
	struct fig_line *lines;	/* heap */
	int n;
};

/* The figures a return is made of; the caller loads each. */
struct fig_sources {
	const struct report_caseload *caseload;
	const struct fig_caseload *roll;
	const struct report_provision *provision;
	const struct fig_exclusions *exclusions;
	int days;
};

/*
 * Make the anonymised return of one school (counts only: no names, no
 * UPNs) and suppress it: every count from 1 to 4 becomes "<5", then
 * counts are withheld until no suppressed count can be worked out from
 * a total. Free with fig_return_free.
 */
void fig_return_make(const struct fig_sources *s, const char *school,
    sdate date, struct fig_return *out);
void fig_return_free(struct fig_return *r);

/* An empty return of the fixed layout, for reading one in (the caller
 * fills the cells) or adding returns into. */
void fig_return_layout(struct fig_return *out, int days);
/* The line of the layout for measure and group, or -1. */
int fig_return_find(const struct fig_return *r, const char *measure,
    const char *group);

/*
 * Add the return `add` into `sum` (same layout). A cell is exact only
 * when every part is; a sum with suppressed parts becomes "at least" the
 * sum of what is known of the parts (a "<5" counts 1, a "c" 5), or "<5"
 * when it cannot be more than 4. Sums are never suppressed again: they
 * reveal nothing that one of the parts did not. SE_INVALID when the
 * reviews windows differ.
 */
int fig_return_add(struct fig_return *sum, const struct fig_return *add,
    struct serr *e);

#endif
