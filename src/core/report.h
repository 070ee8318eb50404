/*
 * report.h: the derived figures of the whole caseload that the dashboard,
 * the provision map and `senco report` show: reviews due and overdue, the
 * share of pupils on track against the 70% / 90% criteria, counts by
 * status, broad area and need, provision over the top-up threshold, and
 * the provision map with cost and impact per intervention.
 *
 * The figures come from the same rules as everywhere else (derive.h): a
 * target is on track by derive_on_track(), a review is overdue by
 * derive_review_overdue(), an enrolment costs
 * derive_enrolment_cost_year_pence() and has derive_impact() and
 * derive_ratio_gain(). So the dashboard agrees with the register, the
 * Targets pane and the CLI (test_report.c checks it against the
 * register).
 *
 * "On the register" means what the register shows by default: pupils on
 * roll (not archived) whose SEN status is K or E.
 *
 * Use: load a caseload snapshot once (report_caseload_load), then ask it
 * for each figure with the pure functions below; they never touch the
 * database, so one snapshot gives figures that agree with each other.
 */
#ifndef SENCO_REPORT_H
#define SENCO_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "intervention.h"
#include "pupil.h"

/* The criteria of DOMAIN.md ("Targets"): 70% of pupils with all their
 * targets on track, 90% with at least half. */
#define REPORT_ALL_CRITERION_PCT 70
#define REPORT_HALF_CRITERION_PCT 90

#define REPORT_NAME_MAX (2 * NAME_MAX_BYTES + 2)

/* One pupil on the register, with the figures derived for `today`.
 * (Wide members first: 100,000 of these are read, at 80 bytes each.) */
struct report_pupil {
	int64_t pupil_id;
	int64_t cycle_id;		/* the open cycle, 0 none */
	int64_t cost_year_pence;	/* current provision, per year */
	/* "Brown, Zoë": preferred names, "" unread; held by the caseload
	 * (a pointer keeps the record small: every page of memory first
	 * touched costs a fault) */
	const char *name;
	sdate review_date;		/* its review date, SDATE_NONE */
	int targets;			/* its targets without an outcome */
	int on_track;			/* of those, on track today */
	enum area area;			/* of the primary need, or none */
	char upn[UPN_LEN + 1];
	char year[YEAR_MAX];
	char status;			/* 'K' or 'E' */
	char need[NEED_CODE_MAX];	/* primary need, "" none recorded */
	bool name_cut;			/* a part of name cut to fit */
	sdate dob;			/* with REPORT_DETAILS, of status E
					   (SDATE_NONE for K) */
};

struct report_caseload {
	sdate today;
	int64_t topup_pence;		/* the threshold in force */
	struct report_pupil *pupils;	/* on the register, by id */
	int n;
	/* every pupil on roll (not archived), by SEN status */
	int status_n, status_k, status_e;
	int roll;			/* pupils on roll in the caseload */
	int64_t *ids;			/* private: the pupils' ids while
					   reading, for a search that stays
					   in the processor's cache */
	struct report_names *names;	/* private: the names' storage */
};

/*
 * Read the register as it stands on `today` (SDATE_NONE: date_today())
 * with the top-up threshold topup_pence (<= 0: the default £6,000).
 * Read-only; one statement at a time. Free with report_caseload_free.
 */
int report_caseload_load(struct db *db, sdate today, int64_t topup_pence,
    struct report_caseload *out, struct serr *e);

/* The parts of the snapshot a report needs beyond the register's status,
 * roll and primary needs (always read): a report reading only what it
 * prints is several times faster at 100,000 pupils. */
enum {
	REPORT_DETAILS = 1,	/* upn, name and year group ("" unread) */
	REPORT_CYCLES = 2,	/* the open cycle and its review date */
	REPORT_TARGETS = 4,	/* targets and on track (with the cycles) */
	REPORT_COSTS = 8,	/* the cost of current provision */
	REPORT_ALL = 15,
	/* REPORT_DETAILS of only the pupils over the top-up threshold
	 * (with the costs): a search each, not the whole roll's rows */
	REPORT_OVER_DETAILS = 16,
	/* the year group alone (part of REPORT_DETAILS) */
	REPORT_YEAR = 32
};

/* As report_caseload_load, reading only `parts` (REPORT_*, or-ed). */
int report_caseload_read(struct db *db, sdate today, int64_t topup_pence,
    unsigned parts, struct report_caseload *out, struct serr *e);
void report_caseload_free(struct report_caseload *c);

/* The pupils with status E of a caseload read with REPORT_DETAILS, for
 * ehcp_reviews_of (one pass of the pupil table for the reviews report,
 * not two): *out (freed by the caller) points into c. Returns how many,
 * or -1 when a name was cut to fit (ehcp_reviews reads it whole). */
struct ehcp_pupil;
int report_ehcp_pupils(const struct report_caseload *c,
    struct ehcp_pupil **out);

/* --- reviews ------------------------------------------------------------- */

struct report_review {
	const struct report_pupil *pupil;	/* points into the caseload */
	sdate review_date;
	int days;		/* review date - today: < 0 overdue by -days */
	bool overdue;		/* derive_review_overdue() */
};

/*
 * Open cycles whose review is overdue, or due from today to today +
 * within_days (both ends included), earliest first, then by name. *out
 * is a fresh array the caller frees (NULL when none); *n_overdue (may be
 * NULL) counts the overdue ones, which come first.
 */
int report_reviews(const struct report_caseload *c, int within_days,
    struct report_review **out, int *n_overdue);
/* How many report_reviews would give (and *n_overdue), without the
 * list or its sort. */
int report_reviews_count(const struct report_caseload *c, int within_days,
    int *n_overdue);

/* --- targets on track ---------------------------------------------------- */

struct report_track {
	int with_cycle;		/* pupils with an open cycle */
	int no_targets;		/* of those, with none to judge */
	int pupils;		/* ... with at least one: the denominator */
	int all;		/* every target on track */
	int half;		/* at least half on track (includes all) */
	double pct_all;		/* 100 * all / pupils (0: no pupils) */
	double pct_half;
	bool all_met;		/* pct_all >= the 70% criterion */
	bool half_met;		/* pct_half >= the 90% criterion */
};

/* Tally the pupils for which keep() says yes (keep NULL: every pupil on
 * the register), so reports can give the share per year group or need. */
void report_on_track(const struct report_caseload *c,
    bool (*keep)(const struct report_pupil *p, void *ctx), void *ctx,
    struct report_track *out);
/* One pupil's verdicts, the rule the tally uses. Half: 2 * on track >=
 * targets. A pupil with no targets is neither. */
bool report_all_on_track(const struct report_pupil *p);
bool report_half_on_track(const struct report_pupil *p);

/* --- counts -------------------------------------------------------------- */

struct report_counts {
	int pupils;			/* on the register (K and E) */
	int by_area[AREA_COUNT];	/* primary need's area; [AREA_NONE]:
					 * OTH, NSA or no need recorded */
	int by_need[NEED_CODE_COUNT];	/* in need_codes[] order */
	int no_need;			/* K or E without a need recorded */
};

/* Counts by the primary need and its broad area, pupils with status K
 * and E only. (Counts by status are in the caseload: status_n ...) */
void report_counts(const struct report_caseload *c,
    struct report_counts *out);

/* --- provision over the top-up threshold ---------------------------------- */

/*
 * Pupils on the register whose current provision per year is more than
 * the threshold, most costly first. *out: pointers into the caseload in
 * a fresh array the caller frees (NULL when none). Returns the count.
 */
int report_over_topup(const struct report_caseload *c,
    const struct report_pupil ***out);

/* --- the provision map ---------------------------------------------------- */

struct report_iv {
	int64_t id;
	char name[INTERVENTION_NAME_MAX];
	enum area area;
	bool retired;
	enum cost_basis basis;
	int64_t cost_pence;		/* per session, or hourly rate */
	/* current enrolments (running today, pupils on roll) */
	int pupils;			/* distinct pupils */
	int enrolments;
	/* A session shared by a group of g counts 1/g for each pupil, so
	 * these are the group's own sessions and staff hours. */
	double sessions_week;
	double hours_week;
	int64_t cost_year_pence;	/* sum of the pupils' yearly costs */
	int64_t cost_pupil_pence;	/* cost_year / pupils, rounded */
	/* finished enrolments (any pupil, archived too) */
	int finished;
	int n_impact;			/* with entry and exit */
	double mean_impact;		/* NAN when n_impact is 0 */
	int n_ratio;			/* ages, a month or more apart */
	double mean_ratio_gain;		/* NAN when n_ratio is 0 */
};

struct report_provision {
	sdate today;
	struct report_iv *ivs;		/* by name */
	int n;
	int64_t cost_year_pence;	/* all current provision */
	int pupils;			/* distinct pupils in any of it */
};

/*
 * Every intervention (retired ones only when they have enrolments) with
 * its figures on `today` (SDATE_NONE: date_today()). Free with
 * report_provision_free.
 */
int report_provision_load(struct db *db, sdate today,
    struct report_provision *out, struct serr *e);
/*
 * report_provision_load, and from the same pass over the enrolments the
 * costs of c's pupils (c read without REPORT_COSTS, for the same day:
 * what REPORT_COSTS gives) and the details of those over the top-up
 * threshold (REPORT_OVER_DETAILS): the provision report's two reads of
 * the enrolments in one.
 */
int report_provision_read(struct db *db, sdate today,
    struct report_caseload *c, struct report_provision *out,
    struct serr *e);
void report_provision_free(struct report_provision *p);
/* The pupils in current provision alone (report_provision's pupils, the
 * same count) in *out, from an index: a third of the pages, and none of
 * the sums; with c (not NULL: read without REPORT_COSTS, for the same
 * day) also the costs of its pupils, as REPORT_COSTS gives them, from
 * the same pass. */
int report_provision_pupils(struct db *db, sdate today,
    struct report_caseload *c, int *out, struct serr *e);

/* One enrolment of an intervention's group, with its pupil. */
struct report_member {
	struct enrolment en;
	char name[REPORT_NAME_MAX];
	char upn[UPN_LEN + 1];
	bool archived;
	bool current;			/* running on `today` */
	int64_t cost_year_pence;	/* 0 unless current */
	double impact;			/* derive_impact(), NAN */
	double ratio_gain;		/* derive_ratio_gain(), NAN */
};

typedef int (*report_member_cb)(void *ctx, const struct report_member *m);
/* The group of an intervention by pupil name (current and past). */
int report_group(struct db *db, int64_t intervention_id, sdate today,
    report_member_cb cb, void *ctx, struct serr *e);

/*
 * Set db up for a process that reads the caseload once, in whole passes
 * over tables and indexes, and exits (senco report, senco export): a
 * page cache of 1 MiB instead of 4. Every page of memory a process
 * first touches costs a fault (about 13 us each on the test machine, so
 * 10 MiB of cache filled by a scan cost 35-55 ms), and a pass reads
 * each page once, so a larger cache only costs. Not for the UI, whose
 * keys search the same pages again. Also opens a read transaction that
 * lasts until db_close, so every figure comes from one state of the
 * caseload: nothing may be written on db after this; and from then on
 * report_calloc's large arrays are in 2 MB pages.
 */
int report_read_once(struct db *db, struct serr *e);

/* n zeroed items of size bytes, freed with free(); after
 * report_read_once an array of megabytes is in 2 MB pages where the
 * system allows (a fault per 4 KB page first touched costs more than
 * filling it). Dies as xcalloc does. */
void *report_calloc(size_t n, size_t size);
/* v, an array of *cap items of size bytes from report_calloc (or NULL
 * and 0), with room for item n: returned, perhaps moved (the old array
 * freed), and *cap updated. Doubles, so n items cost O(n). */
void *report_grow(void *v, size_t *cap, size_t n, size_t size);

/* 100 * part / whole, 0 when whole is 0. */
double report_pct(int part, int whole);

/* before, days and " day" or " days" into buf (n bytes, cut as snprintf
 * cuts): "overdue by 3 days", "in 1 day". Returns buf. By hand: the
 * reports write it on tens of thousands of rows. */
char *report_days_text(const char *before, int days, char *buf,
    size_t n);

#endif
