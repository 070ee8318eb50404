/*
 * date.c: calendar arithmetic on day numbers (Howard Hinnant's
 * days_from_civil), parsing of the two forms users type, and display.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

static enum date_style style = DATE_STYLE_UK;

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

bool
date_valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

sdate
date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(sdate z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

int
date_weekday(sdate d)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (d + 3) % 7;

	return w < 0 ? w + 7 : w;
}

/* Read exactly `width` digits (or 1..width when flexible). */
static const char *
digits(const char *s, int min, int max, int *out)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n < min)
		return NULL;
	*out = v;
	return s + n;
}

int
date_parse(const char *s, sdate *out, const char *what, struct serr *e)
{
	const char *p, *start;
	int y = 0, m = 0, d = 0;
	char shown[40];

	if (what == NULL)
		what = "date";
	if (s == NULL)
		s = "";
	while (isspace((unsigned char)*s))
		s++;
	start = s;
	snprintf(shown, sizeof shown, "%s", start);
	for (size_t i = strlen(shown); i > 0 && isspace((unsigned char)shown[i - 1]); i--)
		shown[i - 1] = '\0';
	if (*start == '\0')
		return serr_set(e, SE_INVALID, "%s: no date given "
		    "(use DD/MM/YYYY or YYYY-MM-DD)", what);

	if ((p = digits(s, 4, 4, &y)) != NULL && *p == '-') {
		/* ISO: YYYY-MM-DD, exactly two digits each. */
		if ((p = digits(p + 1, 2, 2, &m)) == NULL || *p != '-' ||
		    (p = digits(p + 1, 2, 2, &d)) == NULL)
			goto bad;
	} else if ((p = digits(s, 1, 2, &d)) != NULL && *p == '/') {
		/* UK: D/M/YYYY, the year in full (two-digit years are
		 * ambiguous: 01/02/03). */
		if ((p = digits(p + 1, 1, 2, &m)) == NULL || *p != '/' ||
		    (p = digits(p + 1, 4, 4, &y)) == NULL)
			goto bad;
	} else
		goto bad;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		goto bad;
	if (!date_valid_ymd(y, m, d))
		return serr_set(e, SE_INVALID, "%s: '%s' is not a real date",
		    what, shown);
	*out = date_from_ymd(y, m, d);
	return 0;
bad:
	return serr_set(e, SE_INVALID, "%s: '%s' is not a date "
	    "(use DD/MM/YYYY or YYYY-MM-DD)", what, shown);
}

sdate
date_from_iso(const char *s)
{
	int y, m, d;
	const char *p;

	if (s == NULL || *s == '\0')
		return SDATE_NONE;
	if ((p = digits(s, 4, 4, &y)) == NULL || *p != '-' ||
	    (p = digits(p + 1, 2, 2, &m)) == NULL || *p != '-' ||
	    (p = digits(p + 1, 2, 2, &d)) == NULL || !date_valid_ymd(y, m, d))
		return SDATE_NONE;
	return date_from_ymd(y, m, d);
}

char *
date_iso(sdate d, char *buf)
{
	int y, m, dd;

	if (d == SDATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, DATE_ISO_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)dd % 100u);
	return buf;
}

char *
date_show(sdate d, char *buf)
{
	int y, m, dd;

	if (d == SDATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	if (style == DATE_STYLE_ISO)
		return date_iso(d, buf);
	date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, DATE_ISO_LEN, "%02u/%02u/%04u", (unsigned)dd % 100u,
	    (unsigned)m % 100u, (unsigned)y % 10000u);
	return buf;
}

void
date_set_style(enum date_style s)
{
	style = s;
}

enum date_style
date_get_style(void)
{
	return style;
}

sdate
date_today(void)
{
	const char *fixed = getenv("SENCO_TODAY");
	struct tm tm;
	time_t now;
	sdate d;

	if (fixed != NULL && (d = date_from_iso(fixed)) != SDATE_NONE)
		return d;
	now = time(NULL);
	localtime_r(&now, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

char *
timestamp_now(char *buf)
{
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(buf, TIMESTAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

sdate
date_add_months(sdate d, int months)
{
	int y, m, dd, dim;

	date_to_ymd(d, &y, &m, &dd);
	m += months;
	y += (m - 1 >= 0 ? (m - 1) / 12 : (m - 12) / 12);
	m = ((m - 1) % 12 + 12) % 12 + 1;
	dim = days_in_month(y, m);
	if (dd > dim)
		dd = dim;
	return date_from_ymd(y, m, dd);
}

int
date_age_years(sdate dob, sdate on)
{
	int by, bm, bd, y, m, d, age;

	date_to_ymd(dob, &by, &bm, &bd);
	date_to_ymd(on, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

int
date_months_between(sdate from, sdate to)
{
	int fy, fm, fd, ty, tm, td, n;

	date_to_ymd(from, &fy, &fm, &fd);
	date_to_ymd(to, &ty, &tm, &td);
	n = (ty - fy) * 12 + (tm - fm);
	if (td < fd)
		n--;
	return n;
}
