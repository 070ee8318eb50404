/*
 * date.h: calendar dates as day numbers.
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian).
 * Storage is always ISO 8601 text (YYYY-MM-DD); users type ISO or the UK
 * form DD/MM/YYYY; display follows the configured style.
 */
#ifndef SENCO_DATE_H
#define SENCO_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"

typedef int32_t sdate;
#define SDATE_NONE INT32_MIN
#define DATE_ISO_LEN 11			/* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_LEN 21		/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

enum date_style { DATE_STYLE_UK = 0, DATE_STYLE_ISO = 1 };

bool date_valid_ymd(int y, int m, int d);
sdate date_from_ymd(int y, int m, int d);	/* caller checks validity */
void date_to_ymd(sdate d, int *y, int *m, int *dd);
int date_weekday(sdate d);			/* 0 = Monday .. 6 = Sunday */

/*
 * Parse "YYYY-MM-DD" or "DD/MM/YYYY" (one- or two-digit day and month in the
 * UK form). Anything else (two-digit years, "1-2-2026", 31/02/2026, words)
 * is refused with a message naming `what` (e.g. "date of birth").
 * An empty string is refused too; callers that allow "no date" check first.
 */
int date_parse(const char *s, sdate *out, const char *what, struct serr *e);
/* Read storage text (ISO only); NULL or "" gives SDATE_NONE. */
sdate date_from_iso(const char *s);
/* Write ISO into buf (DATE_ISO_LEN); SDATE_NONE gives "". Returns buf. */
char *date_iso(sdate d, char *buf);
/* Display form in the configured style; SDATE_NONE gives "". buf >= 11. */
char *date_show(sdate d, char *buf);
void date_set_style(enum date_style);
enum date_style date_get_style(void);

/* Today, local time; SENCO_TODAY=YYYY-MM-DD in the environment fixes it
 * (tests and demos use this). */
sdate date_today(void);
/* UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" for created_at/updated_at. */
char *timestamp_now(char *buf);

sdate date_add_months(sdate d, int months);	/* 31 Jan + 1 = 28/29 Feb */
/* Whole years of age on `on`. */
int date_age_years(sdate dob, sdate on);
/* Whole months between two dates (a later day-of-month counts the month). */
int date_months_between(sdate from, sdate to);

#endif
