/*
 * fuzz_parse.c: libFuzzer target for the small parsers of typed and
 * imported values: date_parse (src/core/date.c), upn_validate,
 * year_parse, need_parse, status_parse, flags_parse and the vocabularies
 * (src/core/codes.c), and the names the importer and the merge read.
 *
 * The input, up to its first NUL, is one string given to every parser.
 * Besides "no crash", each parser's answer is checked against a plain
 * reading of what its header promises, done here on the whole string
 * with no fixed-size buffer: a parser may accept only what the rules
 * allow (nothing cut off, nothing left over), and must accept what they
 * allow. Accepted dates and UPNs must survive their round trips.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codes.h"
#include "core/date.h"
#include "core/import.h"
#include "core/merge.h"
#include "core/xmalloc.h"
#include "fuzz_util.h"

/* s without leading and trailing white space; the caller frees. */
static char *
trim(const char *s)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return fz_strndup((const uint8_t *)s, len);
}

static bool
one_of(const char *t, const char *const *words, int n)
{
	for (int i = 0; i < n; i++)
		if (words[i][0] != '\0' && strcasecmp(t, words[i]) == 0)
			return true;
	return false;
}

static bool
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

static void
check_date(const char *s, const char *t)
{
	sdate d, again;
	struct serr e;
	char buf[DATE_ISO_LEN], show[16];
	int y = 0, m = 0, dd = 0, rc;
	bool form;

	serr_clear(&e);
	rc = date_parse(s, &d, "date of birth", &e);
	/* The forms: YYYY-MM-DD, D/M/YYYY with one or two digits. */
	form = false;
	if (strlen(t) == 10 && t[4] == '-' && t[7] == '-') {
		form = true;
		for (int i = 0; i < 10; i++)
			if (i != 4 && i != 7 && !isdigit((unsigned char)t[i]))
				form = false;
		if (form) {
			y = atoi(t);
			m = atoi(t + 5);
			dd = atoi(t + 8);
		}
	} else {
		const char *a = strchr(t, '/'), *b = a ? strchr(a + 1, '/') :
		    NULL;

		if (a != NULL && b != NULL) {
			char *dp = fz_strndup((const uint8_t *)t,
			    (size_t)(a - t));
			char *mp = fz_strndup((const uint8_t *)a + 1,
			    (size_t)(b - a - 1));

			form = all_digits(dp, 1, 2) && all_digits(mp, 1, 2) &&
			    all_digits(b + 1, 4, 4);
			if (form) {
				dd = atoi(dp);
				m = atoi(mp);
				y = atoi(b + 1);
			}
			free(dp);
			free(mp);
		}
	}
	if (form && date_valid_ymd(y, m, dd)) {
		FZ_ASSERT(rc == 0, "date '%s' refused: %s", s, e.msg);
		FZ_ASSERT(d == date_from_ymd(y, m, dd), "date '%s' misread", s);
	} else
		FZ_ASSERT(rc == SE_INVALID && e.msg[0] != '\0',
		    "date '%s' accepted (%d)", s, rc);
	if (rc != 0)
		return;

	date_to_ymd(d, &y, &m, &dd);
	FZ_ASSERT(date_valid_ymd(y, m, dd), "day %d gives %d-%d-%d", (int)d,
	    y, m, dd);
	FZ_ASSERT(date_from_ymd(y, m, dd) == d, "day %d round trip", (int)d);
	again = date_from_iso(date_iso(d, buf));
	FZ_ASSERT(again == d, "'%s' -> %s -> %d", s, buf, (int)again);
	FZ_ASSERT(date_parse(buf, &again, NULL, NULL) == 0 && again == d,
	    "%s does not parse back", buf);
	date_set_style(DATE_STYLE_UK);
	FZ_ASSERT(date_parse(date_show(d, show), &again, NULL, NULL) == 0 &&
	    again == d, "%s does not parse back", show);
	date_set_style(DATE_STYLE_ISO);
	FZ_ASSERT(date_parse(date_show(d, show), &again, NULL, NULL) == 0 &&
	    again == d, "%s does not parse back", show);
	date_set_style(DATE_STYLE_UK);
	FZ_ASSERT(date_weekday(d) >= 0 && date_weekday(d) <= 6, "weekday");

	/* Month arithmetic stays on real dates, and a month on from the
	 * 31st is the end of the next month. */
	for (int k = -25; k <= 25; k += 5) {
		sdate a = date_add_months(d, k);
		int ay, am, ad;

		date_to_ymd(a, &ay, &am, &ad);
		FZ_ASSERT(ad >= 1 && ad <= 31 && am >= 1 && am <= 12,
		    "add %d months to %s", k, buf);
		FZ_ASSERT(ad <= dd, "add %d months to %s: day %d", k, buf, ad);
		FZ_ASSERT((ay * 12 + am) - (y * 12 + m) == k,
		    "add %d months to %s gives %d-%d", k, buf, ay, am);
		if (k >= 0)
			FZ_ASSERT(date_months_between(d, a) == k ||
			    (ad < dd && date_months_between(d, a) == k - 1),
			    "months between %s and +%d", buf, k);
	}
	FZ_ASSERT(date_age_years(d, date_add_months(d, 120)) == 10 ||
	    dd > 28, "age of %s", buf);
}

static void
check_upn(const char *s)
{
	static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	struct serr e;
	char made[UPN_LEN + 1];
	bool form;
	int rc;

	serr_clear(&e);
	rc = upn_validate(s, &e);
	form = strlen(s) == UPN_LEN && strchr(letters, s[0]) != NULL &&
	    s[0] != '\0' && strspn(s + 1, "0123456789") >= 11 &&
	    (isdigit((unsigned char)s[12]) ||
	    (s[12] != '\0' && strchr(letters, s[12]) != NULL));
	if (!form) {
		FZ_ASSERT(rc == SE_INVALID && e.msg[0] != '\0',
		    "UPN '%s' accepted", s);
		return;
	}
	FZ_ASSERT((rc == 0) == (upn_check_letter(s) == s[0]),
	    "UPN '%s': %d but check letter %c", s, rc, upn_check_letter(s));
	if (rc != 0)
		return;
	FZ_ASSERT(upn_is_temporary(s) == !isdigit((unsigned char)s[12]),
	    "UPN '%s' temporary?", s);
	if (!upn_is_temporary(s)) {
		int la, estab, y2, serial;

		FZ_ASSERT(sscanf(s + 1, "%3d%4d%2d%3d", &la, &estab, &y2,
		    &serial) == 4, "UPN '%s' parts", s);
		upn_make(la, estab, y2, serial, made);
		FZ_ASSERT(strcmp(made, s) == 0, "upn_make gives %s for %s",
		    made, s);
	}
}

static void
check_year(const char *s, const char *t)
{
	static const char *const words[] = { "reception", "R", "YR", "N1",
	    "N2", "X" };
	char out[YEAR_MAX], again[YEAR_MAX];
	const char *p = t;
	bool ok = one_of(t, words, 6);
	int rc;

	if (!ok) {
		if (strncasecmp(p, "year", 4) == 0) {
			p += 4;
			while (*p == ' ')
				p++;
		} else if ((*p == 'Y' || *p == 'y') &&
		    isdigit((unsigned char)p[1]))
			p++;
		ok = all_digits(p, 1, 2) && atoi(p) >= 1 && atoi(p) <= 14;
	}
	/* Text longer than any way of writing a year group may be refused
	 * however it ends. */
	if (strlen(t) >= 32)
		ok = false;
	rc = year_parse(s, out, NULL);
	if (strlen(t) >= 32 && rc == 0)
		ok = true;
	FZ_ASSERT((rc == 0) == ok, "year group '%s': %d, rules say %d", s, rc,
	    (int)ok);
	if (rc != 0)
		return;
	FZ_ASSERT(year_parse(out, again, NULL) == 0 && strcmp(out, again) == 0,
	    "year '%s' -> '%s' not stable", s, out);
	FZ_ASSERT(year_order(out) >= -2 && year_order(out) <= 15,
	    "year order of %s", out);
	(void)year_key_stage(out);
}

static void
check_codes(const char *s, const char *t)
{
	static const char *const stages[] = { "assess", "plan", "do",
	    "review" };
	static const char *const decisions[] = { "continue", "increase",
	    "ehc", "remove", "increase support",
	    "request EHC needs assessment", "remove from register" };
	static const char *const outcomes[] = { "achieved", "partial", "not",
	    "discontinued", "partially achieved", "not achieved" };
	static const char *const ratings[] = { "0", "1", "2", "3", "4",
	    "not started", "emerging", "developing", "secure", "achieved" };
	char need[NEED_CODE_MAX], st;
	bool historic, ok;
	enum stage sg;
	enum decision dc;
	enum outcome oc;
	enum area ar;
	int r, rc;

	/* Types of need: a census code or the historic BESD. */
	ok = strcasecmp(t, "BESD") == 0;
	for (int i = 0; i < NEED_CODE_COUNT; i++)
		ok = ok || strcasecmp(t, need_codes[i].code) == 0;
	rc = need_parse(s, need, &historic, NULL);
	FZ_ASSERT((rc == 0) == ok, "need '%s': %d, rules say %d", s, rc,
	    (int)ok);
	if (rc == 0)
		FZ_ASSERT(need_find(need) != NULL && (historic ==
		    (strcasecmp(t, "BESD") == 0)), "need '%s' -> '%s'", s, need);
	FZ_ASSERT((need_find(s) != NULL) == (ok && strcasecmp(t, "BESD") != 0),
	    "need_find '%s'", s);

	/* SEN status: one letter, N K E or the historic A P S. */
	ok = strlen(t) == 1 && strchr("NKEAPSnkeaps", t[0]) != NULL;
	rc = status_parse(s, &st, &historic, NULL);
	FZ_ASSERT((rc == 0) == ok, "status '%s': %d, rules say %d", s, rc,
	    (int)ok);
	if (rc == 0)
		FZ_ASSERT(strchr("NKE", st) != NULL && st != '\0' &&
		    strcmp(status_name(st), "unknown") != 0, "status %c", st);

	rc = stage_parse(s, &sg, NULL);
	FZ_ASSERT((rc == 0) == one_of(t, stages, 4), "stage '%s': %d", s, rc);
	rc = decision_parse(s, &dc, NULL);
	FZ_ASSERT((rc == 0) == one_of(t, decisions, 7), "decision '%s': %d",
	    s, rc);
	rc = outcome_parse(s, &oc, NULL);
	FZ_ASSERT((rc == 0) == one_of(t, outcomes, 6), "outcome '%s': %d", s,
	    rc);
	rc = rating_parse(s, &r, NULL);
	FZ_ASSERT((rc == 0) == one_of(t, ratings, 10), "rating '%s': %d", s,
	    rc);
	if (rc == 0)
		FZ_ASSERT(r >= 0 && r <= RATING_MAX, "rating %d", r);
	rc = area_parse(s, &ar, NULL);
	ok = t[0] == '\0' || strcasecmp(t, "none") == 0;
	for (int a = 1; a < AREA_COUNT; a++)
		ok = ok || strcasecmp(t, area_code((enum area)a)) == 0 ||
		    strcasecmp(t, area_name((enum area)a)) == 0;
	FZ_ASSERT((rc == 0) == ok, "area '%s': %d, rules say %d", s, rc,
	    (int)ok);
}

/* Flags: every word (split at commas, blanks and plus signs) is a flag
 * or "none". Whole words of the string, not of a copy cut short. */
static void
check_flags(const char *s)
{
	static const char *const words[] = { "PP", "FSM", "CiC", "EAL",
	    "LAC", "none" };
	char *copy = xstrdup(s), *tok, *save = NULL, buf[16];
	unsigned f, again;
	bool ok = true;
	int rc;

	for (tok = strtok_r(copy, ", +", &save); tok != NULL;
	    tok = strtok_r(NULL, ", +", &save))
		ok = ok && one_of(tok, words, 6);
	free(copy);
	rc = flags_parse(s, &f, NULL);
	if (ok)
		FZ_ASSERT(rc == 0, "flags '%s' refused", s);
	else
		FZ_ASSERT(rc != 0, "flags '%s' accepted as %u", s, f);
	if (rc != 0)
		return;
	FZ_ASSERT((f & ~(unsigned)FLAG_ALL) == 0, "flags %u", f);
	FZ_ASSERT(flags_parse(flags_show(f, buf), &again, NULL) == 0 &&
	    again == f, "flags '%s' -> '%s' not stable", s, buf);
}

int
fuzz_parse_one(const uint8_t *data, size_t n)
{
	char *s = fz_strndup(data, n), *t = trim(s);
	enum merge_choice ch;
	int rank, f;

	check_date(s, t);
	check_upn(s);
	check_year(s, t);
	check_codes(s, t);
	check_flags(s);

	f = import_field_parse(s);
	FZ_ASSERT(f >= -1 && f <= IMPORT_FIELD_IGNORE, "field %d", f);
	if (f >= 0 && f < IMPORT_FIELD_COUNT)
		FZ_ASSERT(strcasecmp(import_field_key((enum import_field)f), s)
		    == 0, "field '%s' -> %s", s,
		    import_field_key((enum import_field)f));
	f = import_header_field(s, &rank);
	FZ_ASSERT(f >= -1 && f < IMPORT_FIELD_COUNT, "header field %d", f);
	(void)merge_choice_parse(s, &ch, NULL);

	free(t);
	free(s);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_parse_one(data, n);
}
#endif
