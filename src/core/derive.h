/*
 * derive.h: the figures derived from the records (DOMAIN.md rules), as pure
 * functions with no database, so that each rule is tested on its own.
 */
#ifndef SENCO_DERIVE_H
#define SENCO_DERIVE_H

#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "intervention.h"

/* School weeks in a year, used to put provision costs on a yearly basis. */
#define SCHOOL_WEEKS_PER_YEAR 39

/* The rating a target needs today to be on track:
 * round(4 * days elapsed / days planned), clamped to 0..4. */
int derive_required_rating(sdate plan_start, sdate plan_end, sdate today);
/* latest < 0 (no rating yet) counts as 0. */
bool derive_on_track(int latest, sdate plan_start, sdate plan_end,
    sdate today);
/* Review overdue: a review date before today. */
bool derive_review_overdue(sdate review_date, sdate today);

/* Cost of one session to one pupil, in pence, rounded to the nearest penny:
 * per-session cost / group size, or hourly rate * minutes / 60 / group. */
int64_t derive_session_cost_pence(const struct intervention *iv,
    const struct enrolment *en);
/* Yearly cost of an enrolment to its pupil: session cost * sessions per
 * week * SCHOOL_WEEKS_PER_YEAR. */
int64_t derive_enrolment_cost_year_pence(const struct intervention *iv,
    const struct enrolment *en);
/* Impact: exit minus entry; NAN when either is missing. */
double derive_impact(const struct enrolment *en);
/* Ratio gain for age measures: months gained / months elapsed between
 * start and end; NAN when not an age measure, scores missing, or under one
 * month elapsed. */
double derive_ratio_gain(const struct enrolment *en);

/* Format pence as "£1,234.56" (UTF-8) into buf (>= 24). */
char *derive_money(int64_t pence, char *buf, size_t n);

#endif
