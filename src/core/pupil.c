/*
 * pupil.c: pupils, their SEN status history and ranked needs.
 *
 * The current SEN status is the open row (end_date NULL) of sen_status;
 * every pupil has exactly one, opened by pupil_add(). A change of status
 * closes that row and opens another, so the history is a chain of periods:
 *   - the closed row ends the day before the new one starts;
 *   - a change starting on the very day the open row began closes that row
 *     on the same day (a one-day period) rather than rewriting it, so the
 *     history keeps every status ever set and who set it;
 *   - a change starting before the open row began is refused: it would
 *     rewrite history silently. Moving the start of the current status
 *     (same status, another date) is a correction: the period before it
 *     then ends the day before the new start.
 * Coming off the register (N) drops the need NSA, which only means
 * something on SEN support; other needs stay as a record.
 *
 * Every write bumps version, updated_at and changed_by of the pupil row.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "pupil.h"
#include "xmalloc.h"

#define PUPIL_AGE_MAX 25
#define DISPLAY_MAX (2 * NAME_MAX_BYTES + 3)

/* The columns read_pupil() reads, in its order, and where they come from. */
#define PUPIL_COLS \
	"SELECT p.id, p.upn, p.legal_surname, p.legal_forename," \
	" p.preferred_surname, p.preferred_forename, p.dob, p.gender," \
	" p.year_group, p.class, p.flags, p.attendance, p.archived," \
	" p.left_on, p.created_at, p.updated_at, p.version, p.changed_by," \
	" s.status, s.start_date" \
	" FROM pupil p LEFT JOIN sen_status s" \
	" ON s.pupil_id = p.id AND s.end_date IS NULL"

static const char SQL_GET[] = PUPIL_COLS " WHERE p.id = ?1";
static const char SQL_GET_UPN[] = PUPIL_COLS " WHERE p.upn = ?1";
/* ?1 include archived, ?2 include N, ?3 status, ?4 year, ?5 need,
 * ?6 text: a name substring (legal or preferred) or a UPN prefix. */
static const char SQL_LIST[] = PUPIL_COLS
	" WHERE (?1 OR p.archived = 0)"
	" AND (?2 OR coalesce(s.status, 'N') <> 'N')"
	" AND (?3 IS NULL OR coalesce(s.status, 'N') = ?3)"
	" AND (?4 IS NULL OR p.year_group = ?4)"
	" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM pupil_need n"
	"   WHERE n.pupil_id = p.id AND n.code = ?5))"
	" AND (?6 IS NULL"
	"   OR instr(senco_fold(coalesce(p.preferred_forename, p.legal_forename)"
	"     || ' ' || coalesce(p.preferred_surname, p.legal_surname)),"
	"     senco_fold(?6)) > 0"
	"   OR instr(senco_fold(p.legal_forename || ' ' || p.legal_surname),"
	"     senco_fold(?6)) > 0"
	"   OR instr(p.upn, upper(?6)) = 1)"
	" ORDER BY coalesce(p.preferred_surname, p.legal_surname) COLLATE NOCASE,"
	" coalesce(p.preferred_forename, p.legal_forename) COLLATE NOCASE, p.id";
static const char SQL_EXISTS[] = "SELECT 1 FROM pupil WHERE id = ?1";
static const char SQL_UPN_OWNER[] =
	"SELECT coalesce(preferred_surname, legal_surname),"
	" coalesce(preferred_forename, legal_forename), archived"
	" FROM pupil WHERE upn = ?1 AND id <> ?2";
static const char SQL_INSERT[] =
	"INSERT INTO pupil (id, upn, legal_surname, legal_forename,"
	" preferred_surname, preferred_forename, dob, gender, year_group, class,"
	" flags, attendance, archived, left_on, created_at, updated_at, version,"
	" changed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, ?13, ?14, ?15, ?15, 1, ?16)";
static const char SQL_UPDATE[] =
	"UPDATE pupil SET upn = ?2, legal_surname = ?3, legal_forename = ?4,"
	" preferred_surname = ?5, preferred_forename = ?6, dob = ?7,"
	" gender = ?8, year_group = ?9, class = ?10, flags = ?11,"
	" attendance = ?12, archived = ?13, left_on = ?14, updated_at = ?15,"
	" changed_by = ?16, version = version + 1"
	" WHERE id = ?1 AND version = ?17";
static const char SQL_TOUCH[] =
	"UPDATE pupil SET version = version + 1, updated_at = ?2,"
	" changed_by = ?3 WHERE id = ?1";
static const char SQL_ARCHIVE[] =
	"UPDATE pupil SET archived = ?2, left_on = ?3, version = version + 1,"
	" updated_at = ?4, changed_by = ?5 WHERE id = ?1";
static const char SQL_NEEDS[] =
	"SELECT code FROM pupil_need WHERE pupil_id = ?1 ORDER BY rank";
static const char SQL_NEEDS_DELETE[] =
	"DELETE FROM pupil_need WHERE pupil_id = ?1";
static const char SQL_NEED_INSERT[] =
	"INSERT INTO pupil_need (id, pupil_id, rank, code, created_at,"
	" updated_at, version, changed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, ?6)";
static const char SQL_STATUS_OPEN[] =
	"SELECT id, status, start_date FROM sen_status"
	" WHERE pupil_id = ?1 AND end_date IS NULL";
/* The period just before the open one. */
static const char SQL_STATUS_PREV[] =
	"SELECT id, start_date FROM sen_status"
	" WHERE pupil_id = ?1 AND end_date IS NOT NULL"
	" ORDER BY end_date DESC, start_date DESC, updated_at DESC LIMIT 1";
static const char SQL_STATUS_INSERT[] =
	"INSERT INTO sen_status (id, pupil_id, status, start_date, end_date,"
	" created_at, updated_at, version, changed_by)"
	" VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?5, 1, ?6)";
static const char SQL_STATUS_END[] =
	"UPDATE sen_status SET end_date = ?2, version = version + 1,"
	" updated_at = ?3, changed_by = ?4 WHERE id = ?1";
static const char SQL_STATUS_START[] =
	"UPDATE sen_status SET start_date = ?2, version = version + 1,"
	" updated_at = ?3, changed_by = ?4 WHERE id = ?1";
/* Oldest first; on one day, closed periods in the order they closed. */
static const char SQL_HISTORY[] =
	"SELECT id, status, start_date, end_date, changed_by FROM sen_status"
	" WHERE pupil_id = ?1 ORDER BY start_date, end_date IS NULL, end_date,"
	" updated_at, created_at";

/* --- text ------------------------------------------------------------------ */

/* Decode one UTF-8 sequence at s into *cp; returns its length, or 0 if s
 * does not start a well-formed sequence (overlong, surrogate, cut short). */
static int
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] >= 0xE0 && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && !(s[0] == 0xE0 && s[1] < 0xA0) &&
	    !(s[0] == 0xED && s[1] >= 0xA0)) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 |
		    (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 &&
	    !(s[0] == 0xF0 && s[1] < 0x90) && !(s[0] == 0xF4 && s[1] >= 0x90)) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3F) << 12 |
		    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		return 4;
	}
	return 0;
}

static int
utf8_encode(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * The lower case of one code point, for the letters of pupils' names:
 * Latin (Latin-1, Extended-A, the Romanian and Vietnamese letters), Greek
 * and Cyrillic. SQLite's lower() knows ASCII only, and the C library's
 * towlower() depends on a locale the tests and scripts may not set.
 */
static uint32_t
fold_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c == 0x130)				/* İ */
		return 'i';
	if (c == 0x178)				/* Ÿ */
		return 0xFF;
	if (c == 0x1E9E)			/* capital sharp s */
		return 0xDF;
	/* Pairs with the capital at the even code point. */
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14A && c <= 0x177) || c == 0x1A0 ||
	    (c >= 0x218 && c <= 0x21B) || (c >= 0x1E00 && c <= 0x1E95) ||
	    (c >= 0x1EA0 && c <= 0x1EFF))
		return (c & 1) ? c : c + 1;
	/* Pairs with the capital at the odd code point. */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) ||
	    c == 0x1AF)
		return (c & 1) ? c + 1 : c;
	if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
		return c + 32;
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	return c;
}

/* s (len bytes) in lower case; bytes that are not UTF-8 are kept as they
 * are. The caller frees the result (with free(): SQLite does). */
static char *
fold_dup(const char *s, size_t len)
{
	/* No mapping lengthens a sequence; the spare room is for safety. */
	char *out = xmalloc(2 * len + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s,
	    *end = (const unsigned char *)s + len;
	uint32_t cp;
	int n;

	while (p < end) {
		/* utf8_decode stops at a NUL, so it never reads past end. */
		if ((n = utf8_decode(p, &cp)) == 0) {
			*o++ = (char)*p++;
			continue;
		}
		o += utf8_encode(fold_cp(cp), o);
		p += n;
	}
	*o = '\0';
	return out;
}

static void
fold_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    (s = sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, fold_dup((const char *)s,
	    (size_t)sqlite3_value_bytes(argv[0])), -1, free);
}

sqlite3_stmt *
pupil_search_stmt(struct db *db, const char *sql, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, NULL);

	if (st != NULL)
		return st;
	/* Functions belong to a connection: the first search on this one
	 * fails to prepare for want of senco_fold, so add it and retry
	 * (db_stmt caches the statement; this runs once per connection). */
	sqlite3_create_function_v2(db_handle(db), "senco_fold", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fold_sql, NULL, NULL,
	    NULL);
	return db_stmt(db, sql, e);
}

/* Strip leading and trailing white space in place. */
static void
trim(char *s)
{
	size_t len, lead = 0;

	while (isspace((unsigned char)s[lead]))
		lead++;
	len = strlen(s + lead);
	memmove(s, s + lead, len + 1);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
}

/* Names are shown in a terminal: well-formed UTF-8, no control codes. */
static int
text_check(const char *s, const char *what, struct serr *e)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int n;

	while (*p != '\0') {
		if ((n = utf8_decode(p, &cp)) == 0)
			return serr_set(e, SE_INVALID, "%s: not valid UTF-8 "
			    "text", what);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			return serr_set(e, SE_INVALID, "%s: contains a control "
			    "character", what);
		p += n;
	}
	return 0;
}

/* --- fields ----------------------------------------------------------------- */

void
pupil_init(struct pupil *p)
{
	memset(p, 0, sizeof *p);
	p->dob = SDATE_NONE;
	p->left_on = SDATE_NONE;
	p->attendance = -1;
	p->status = 'N';
	p->status_since = SDATE_NONE;
	p->n_needs = 0;
}

const char *
pupil_shown_surname(const struct pupil *p)
{
	return p->preferred_surname[0] != '\0' ? p->preferred_surname :
	    p->legal_surname;
}

const char *
pupil_shown_forename(const struct pupil *p)
{
	return p->preferred_forename[0] != '\0' ? p->preferred_forename :
	    p->legal_forename;
}

char *
pupil_display_name(const struct pupil *p, char *buf, size_t n)
{
	const char *s = pupil_shown_surname(p);
	const char *f = pupil_shown_forename(p);
	char tmp[DISPLAY_MAX];

	snprintf(tmp, sizeof tmp, "%s%s%s", s, *s && *f ? ", " : "", f);
	strlcpy_utf8(buf, tmp, n);
	return buf;
}

/* Put what the user typed into stored form where it is unambiguous (UPN
 * letters upper case, year "Y7" -> "7", need "besd" -> SEMH, names
 * trimmed). What cannot be read is left for pupil_validate to report. */
static void
normalise(struct pupil *p)
{
	char year[YEAR_MAX], need[NEED_CODE_MAX];

	trim(p->upn);
	for (char *c = p->upn; *c != '\0'; c++)
		*c = (char)toupper((unsigned char)*c);
	trim(p->legal_surname);
	trim(p->legal_forename);
	trim(p->preferred_surname);
	trim(p->preferred_forename);
	trim(p->class_name);
	p->gender = (char)toupper((unsigned char)p->gender);
	p->status = (char)toupper((unsigned char)p->status);
	if (year_parse(p->year, year, NULL) == 0)
		memcpy(p->year, year, sizeof year);
	for (int i = 0; i < p->n_needs && i < PUPIL_NEEDS_MAX; i++)
		if (need_parse(p->needs[i], need, NULL, NULL) == 0)
			memcpy(p->needs[i], need, sizeof need);
}

int
pupil_validate(const struct pupil *p, struct serr *e)
{
	static const struct {
		size_t off;
		const char *what;
	} texts[] = {
		{ offsetof(struct pupil, legal_surname), "legal surname" },
		{ offsetof(struct pupil, legal_forename), "legal forename" },
		{ offsetof(struct pupil, preferred_surname), "preferred surname" },
		{ offsetof(struct pupil, preferred_forename), "preferred forename" },
		{ offsetof(struct pupil, class_name), "class" },
	};
	sdate today = date_today();
	char d[DATE_ISO_LEN], year[YEAR_MAX], status;
	int ret, age;

	if ((ret = upn_validate(p->upn, e)) != 0)
		return ret;
	if (p->legal_surname[0] == '\0')
		return serr_set(e, SE_INVALID, "pupil %s: the legal surname "
		    "is missing", p->upn);
	if (p->legal_forename[0] == '\0')
		return serr_set(e, SE_INVALID, "pupil %s: the legal forename "
		    "is missing", p->upn);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if ((ret = text_check((const char *)p + texts[i].off,
		    texts[i].what, e)) != 0)
			return ret;
	if (p->dob == SDATE_NONE)
		return serr_set(e, SE_INVALID, "pupil %s: the date of birth "
		    "is missing", p->upn);
	if (p->dob > today)
		return serr_set(e, SE_INVALID, "date of birth %s: in the "
		    "future", date_show(p->dob, d));
	age = date_age_years(p->dob, today);
	if (age > PUPIL_AGE_MAX)
		return serr_set(e, SE_INVALID, "date of birth %s: gives an age "
		    "of %d; a pupil is 0 to %d", date_show(p->dob, d), age,
		    PUPIL_AGE_MAX);
	if (p->gender != 0 && p->gender != 'M' && p->gender != 'F')
		return serr_set(e, SE_INVALID, "gender '%c': not M or F",
		    p->gender);
	if (p->year[0] == '\0')
		return serr_set(e, SE_INVALID, "pupil %s: the year group is "
		    "missing", p->upn);
	if ((ret = year_parse(p->year, year, e)) != 0)
		return ret;
	if (!(p->attendance < 0) && !(p->attendance <= 100))
		return serr_set(e, SE_INVALID, "attendance %g%%: not between "
		    "0 and 100", p->attendance);
	if (p->flags & ~(unsigned)FLAG_ALL)
		return serr_set(e, SE_INVALID, "flags %#x: only PP, FSM, CiC "
		    "and EAL are known", p->flags);
	status = p->status != 0 ? p->status : 'N';
	if (status != 'N' && status != 'K' && status != 'E')
		return serr_set(e, SE_INVALID, "SEN status '%c': not N, K or E",
		    status);
	if (p->status_since != SDATE_NONE && p->status_since > today)
		return serr_set(e, SE_INVALID, "SEN status start %s: in the "
		    "future", date_show(p->status_since, d));
	if (p->status_since != SDATE_NONE && p->status_since < p->dob)
		return serr_set(e, SE_INVALID, "SEN status start %s: before "
		    "the date of birth", date_show(p->status_since, d));
	if (p->left_on != SDATE_NONE && p->left_on < p->dob)
		return serr_set(e, SE_INVALID, "leaving date %s: before the "
		    "date of birth", date_show(p->left_on, d));
	if (p->n_needs > PUPIL_NEEDS_MAX)
		return serr_set(e, SE_INVALID, "pupil %s: at most %d types of "
		    "need are kept, not %d", p->upn, PUPIL_NEEDS_MAX,
		    p->n_needs);
	for (int i = 0; i < p->n_needs; i++)
		if (p->needs[i][0] == '\0')
			return serr_set(e, SE_INVALID, "pupil %s: type of need "
			    "%d is empty", p->upn, i + 1);
	if (p->n_needs >= 0 &&
	    (ret = needs_check(status, (const char (*)[NEED_CODE_MAX])p->needs,
	    p->n_needs, e)) != 0)
		return serr_prefix(e, "pupil %s", p->upn);
	return 0;
}

/* --- reading ---------------------------------------------------------------- */

/* A row of PUPIL_COLS into p (needs not read). */
static void
read_pupil(sqlite3_stmt *st, struct pupil *p)
{
	const char *g, *s;

	pupil_init(p);
	p->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, p->upn, sizeof p->upn);
	db_col_copy(st, 2, p->legal_surname, sizeof p->legal_surname);
	db_col_copy(st, 3, p->legal_forename, sizeof p->legal_forename);
	db_col_copy(st, 4, p->preferred_surname, sizeof p->preferred_surname);
	db_col_copy(st, 5, p->preferred_forename,
	    sizeof p->preferred_forename);
	p->dob = db_col_date(st, 6);
	g = (const char *)sqlite3_column_text(st, 7);
	p->gender = g != NULL && (*g == 'M' || *g == 'F') ? *g : 0;
	db_col_copy(st, 8, p->year, sizeof p->year);
	db_col_copy(st, 9, p->class_name, sizeof p->class_name);
	p->flags = (unsigned)sqlite3_column_int(st, 10);
	p->attendance = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 :
	    sqlite3_column_double(st, 11);
	p->archived = sqlite3_column_int(st, 12) != 0;
	p->left_on = db_col_date(st, 13);
	db_col_copy(st, 14, p->created_at, sizeof p->created_at);
	db_col_copy(st, 15, p->updated_at, sizeof p->updated_at);
	p->version = sqlite3_column_int64(st, 16);
	db_col_copy(st, 17, p->changed_by, sizeof p->changed_by);
	s = (const char *)sqlite3_column_text(st, 18);
	p->status = s != NULL ? *s : 'N';
	p->status_since = db_col_date(st, 19);
}

static int
load_needs(struct db *db, struct pupil *p, struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_NEEDS, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, p->id);
	p->n_needs = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    p->n_needs < PUPIL_NEEDS_MAX)
		db_col_copy(st, 0, p->needs[p->n_needs++], NEED_CODE_MAX);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "reading types of need");
	return 0;
}

/* One pupil by a query with one parameter; SE_NOTFOUND with no message
 * (the caller words it). */
static int
get_by(struct db *db, sqlite3_stmt *st, struct pupil *p, struct serr *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		read_pupil(st, p);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return SE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "reading a pupil");
	return load_needs(db, p, e);
}

int
pupil_get(struct db *db, int64_t id, struct pupil *p, struct serr *e)
{
	sqlite3_stmt *st;
	int ret;

	if ((st = db_stmt(db, SQL_GET, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	ret = get_by(db, st, p, e);
	if (ret == SE_NOTFOUND)
		return serr_set(e, SE_NOTFOUND, "no pupil with id %lld",
		    (long long)id);
	return ret;
}

int
pupil_find_upn(struct db *db, const char *upn, struct pupil *p,
    struct serr *e)
{
	char key[64];
	sqlite3_stmt *st;
	int ret;

	snprintf(key, sizeof key, "%s", upn != NULL ? upn : "");
	trim(key);
	/* UPNs are stored with upper-case letters; people type either. */
	for (char *c = key; *c != '\0'; c++)
		*c = (char)toupper((unsigned char)*c);
	if ((st = db_stmt(db, SQL_GET_UPN, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	ret = get_by(db, st, p, e);
	if (ret == SE_NOTFOUND)
		return serr_set(e, SE_NOTFOUND, "no pupil with UPN %s", key);
	return ret;
}

static int
pupil_exists(struct db *db, int64_t id, struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, SQL_EXISTS, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "no pupil with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "reading a pupil");
	return 0;
}

/* --- writing -------------------------------------------------------------- */

/* SE_EXISTS naming the pupil (other than `self`) who has this UPN. */
static int
upn_free(struct db *db, const char *upn, int64_t self, struct serr *e)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if ((st = db_stmt(db, SQL_UPN_OWNER, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_text(st, 1, upn, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, self);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = serr_set(e, SE_EXISTS, "UPN %s: already belongs to %s, "
		    "%s%s", upn, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int(st, 2) ? " (archived)" : "");
	else if (rc != SQLITE_DONE)
		ret = db_fail(db, rc, e, "checking the UPN");
	sqlite3_reset(st);
	return ret;
}

/* Bind the stored fields of p as ?2 .. ?14 (SQL_INSERT, SQL_UPDATE). */
static void
bind_fields(sqlite3_stmt *st, const struct pupil *p)
{
	char gender[2] = { p->gender, '\0' };

	sqlite3_bind_text(st, 2, p->upn, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, p->legal_surname, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, p->legal_forename, -1, SQLITE_TRANSIENT);
	db_bind_text(st, 5, p->preferred_surname);
	db_bind_text(st, 6, p->preferred_forename);
	db_bind_date(st, 7, p->dob);
	db_bind_text(st, 8, gender);
	sqlite3_bind_text(st, 9, p->year, -1, SQLITE_TRANSIENT);
	db_bind_text(st, 10, p->class_name);
	sqlite3_bind_int(st, 11, (int)p->flags);
	if (p->attendance < 0)
		sqlite3_bind_null(st, 12);
	else
		sqlite3_bind_double(st, 12, p->attendance);
	sqlite3_bind_int(st, 13, p->archived);
	db_bind_date(st, 14, p->left_on);
}

/* Replace the ranked needs of a pupil. */
static int
write_needs(struct db *db, int64_t pupil_id,
    const char needs[][NEED_CODE_MAX], int n, const char *now,
    struct serr *e)
{
	sqlite3_stmt *st;
	int ret;

	if ((st = db_stmt(db, SQL_NEEDS_DELETE, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	if ((ret = db_step_done(db, st, e, "saving types of need")) != 0)
		return ret;
	for (int i = 0; i < n; i++) {
		if ((st = db_stmt(db, SQL_NEED_INSERT, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		sqlite3_bind_int64(st, 1, db_new_id(db));
		sqlite3_bind_int64(st, 2, pupil_id);
		sqlite3_bind_int(st, 3, i + 1);
		sqlite3_bind_text(st, 4, needs[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, db_author(db), -1, SQLITE_TRANSIENT);
		if ((ret = db_step_done(db, st, e, "saving types of need")) != 0)
			return ret;
	}
	return 0;
}

static int
status_insert(struct db *db, int64_t pupil_id, char status, sdate start,
    const char *now, struct serr *e)
{
	char s[2] = { status, '\0' };
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_STATUS_INSERT, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, db_new_id(db));
	sqlite3_bind_int64(st, 2, pupil_id);
	sqlite3_bind_text(st, 3, s, -1, SQLITE_TRANSIENT);
	db_bind_date(st, 4, start);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, db_author(db), -1, SQLITE_TRANSIENT);
	return db_step_done(db, st, e, "saving the SEN status");
}

/* Set end_date (sql SQL_STATUS_END) or start_date (SQL_STATUS_START). */
static int
status_set_date(struct db *db, const char *sql, int64_t row, sdate d,
    const char *now, struct serr *e)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, row);
	db_bind_date(st, 2, d);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, db_author(db), -1, SQLITE_TRANSIENT);
	return db_step_done(db, st, e, "saving the SEN status");
}

/*
 * Make `status` from `start` the pupil's current status (see the rules at
 * the top of this file). *changed says whether anything was written. The
 * caller holds a transaction and has checked the census rules.
 */
static int
status_change(struct db *db, const char *upn, int64_t pupil_id, char status,
    sdate start, const char *now, bool *changed, struct serr *e)
{
	char d1[DATE_ISO_LEN], d2[DATE_ISO_LEN];
	sqlite3_stmt *st;
	int64_t open_id, prev_id = 0;
	sdate open_start, prev_start = SDATE_NONE;
	char open_status;
	int rc, ret;

	*changed = false;
	if ((st = db_stmt(db, SQL_STATUS_OPEN, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		open_id = sqlite3_column_int64(st, 0);
		open_status = (char)sqlite3_column_text(st, 1)[0];
		open_start = db_col_date(st, 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		/* Rows made outside senco may lack an open period. */
		*changed = true;
		return status_insert(db, pupil_id, status,
		    start != SDATE_NONE ? start : date_today(), now, e);
	}
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "reading the SEN status");

	if (status != open_status) {
		if (start < open_start)
			return serr_set(e, SE_INVALID, "pupil %s: a new SEN "
			    "status cannot start on %s, before the current "
			    "status %c began (%s)", upn, date_show(start, d1),
			    open_status, date_show(open_start, d2));
		*changed = true;
		if ((ret = status_set_date(db, SQL_STATUS_END, open_id,
		    start > open_start ? start - 1 : start, now, e)) != 0)
			return ret;
		return status_insert(db, pupil_id, status, start, now, e);
	}
	if (start == open_start)
		return 0;

	/* The same status from another date: a correction of its start. */
	if ((st = db_stmt(db, SQL_STATUS_PREV, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		prev_id = sqlite3_column_int64(st, 0);
		prev_start = db_col_date(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "reading the SEN status");
	if (prev_id != 0 && start < prev_start)
		return serr_set(e, SE_INVALID, "pupil %s: SEN status %c cannot "
		    "start on %s, before the status before it began (%s)", upn,
		    status, date_show(start, d1), date_show(prev_start, d2));
	*changed = true;
	if (prev_id != 0 && (ret = status_set_date(db, SQL_STATUS_END, prev_id,
	    start > prev_start ? start - 1 : prev_start, now, e)) != 0)
		return ret;
	return status_set_date(db, SQL_STATUS_START, open_id, start, now, e);
}

/* Bump version, updated_at and changed_by of the pupil row. */
static int
touch(struct db *db, int64_t id, const char *now, struct serr *e)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, SQL_TOUCH, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, db_author(db), -1, SQLITE_TRANSIENT);
	return db_step_done(db, st, e, "saving the pupil");
}

/* Leaving SEN support (status N) drops NSA, keeping the rest in rank
 * order. Returns whether anything was dropped. */
static bool
drop_nsa(char needs[][NEED_CODE_MAX], int *n)
{
	int j = 0;

	for (int i = 0; i < *n; i++)
		if (strcmp(needs[i], "NSA") != 0)
			memmove(needs[j++], needs[i], NEED_CODE_MAX);
	if (j == *n)
		return false;
	*n = j;
	return true;
}

int
pupil_add(struct db *db, struct pupil *p, struct serr *e)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	sdate since;
	int64_t id;
	bool changed;
	int ret;

	normalise(p);
	if (p->status == 0)
		p->status = 'N';
	if (p->n_needs < 0)
		p->n_needs = 0;
	if ((ret = pupil_validate(p, e)) != 0)
		return ret;
	since = p->status_since != SDATE_NONE ? p->status_since : date_today();
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = upn_free(db, p->upn, 0, e)) != 0)
		goto fail;
	id = db_new_id(db);
	timestamp_now(now);
	if ((st = db_stmt(db, SQL_INSERT, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	bind_fields(st, p);
	sqlite3_bind_text(st, 15, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 16, db_author(db), -1, SQLITE_TRANSIENT);
	if ((ret = db_step_done(db, st, e, "adding a pupil")) != 0 ||
	    (ret = status_change(db, p->upn, id, p->status, since, now,
	    &changed, e)) != 0 ||
	    (ret = write_needs(db, id, (const char (*)[NEED_CODE_MAX])p->needs,
	    p->n_needs, now, e)) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	p->id = id;
	p->status_since = since;
	p->version = 1;
	snprintf(p->created_at, sizeof p->created_at, "%s", now);
	snprintf(p->updated_at, sizeof p->updated_at, "%s", now);
	snprintf(p->changed_by, sizeof p->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

static int
conflict(const struct pupil *cur, struct serr *e)
{
	return serr_set(e, SE_CONFLICT, "pupil %s: changed by %s at %s since "
	    "you opened it", cur->upn, cur->changed_by, cur->updated_at);
}

int
pupil_update(struct db *db, struct pupil *p, struct serr *e)
{
	struct pupil cur, v;
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	bool write_n, changed;
	int ret;

	normalise(p);
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = pupil_get(db, p->id, &cur, e)) != 0)
		goto fail;
	if (cur.version != p->version) {
		ret = conflict(&cur, e);
		goto fail;
	}

	/* Resolve "leave as is" to what is stored, then check the result. */
	v = *p;
	if (v.status == 0)
		v.status = cur.status;
	if (v.status != cur.status) {
		/* A since-date still showing the old status's start was not
		 * edited: the change starts today. */
		if (p->status_since == SDATE_NONE ||
		    p->status_since == cur.status_since)
			v.status_since = date_today();
	} else if (v.status_since == SDATE_NONE)
		v.status_since = cur.status_since;
	write_n = v.n_needs >= 0;
	if (!write_n) {
		memcpy(v.needs, cur.needs, sizeof v.needs);
		v.n_needs = cur.n_needs;
		if (v.status == 'N')
			write_n = drop_nsa(v.needs, &v.n_needs);
	}
	/* Needs given but the same as stored: leave the rows alone, so an
	 * edit of another field does not churn them (and the audit trail). */
	if (write_n && v.n_needs == cur.n_needs) {
		int i = 0;

		while (i < v.n_needs && strcmp(v.needs[i], cur.needs[i]) == 0)
			i++;
		if (i == v.n_needs)
			write_n = false;
	}
	if ((ret = pupil_validate(&v, e)) != 0)
		goto fail;
	if (strcmp(v.upn, cur.upn) != 0 &&
	    (ret = upn_free(db, v.upn, v.id, e)) != 0)
		goto fail;

	timestamp_now(now);
	if ((st = db_stmt(db, SQL_UPDATE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, v.id);
	bind_fields(st, &v);
	sqlite3_bind_text(st, 15, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 16, db_author(db), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 17, p->version);
	if ((ret = db_step_done(db, st, e, "saving the pupil")) != 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) == 0) {
		/* Cannot happen inside BEGIN IMMEDIATE after the check
		 * above, but the WHERE clause is the real guard. */
		if ((ret = pupil_get(db, p->id, &cur, e)) == 0)
			ret = conflict(&cur, e);
		goto fail;
	}
	if ((ret = status_change(db, v.upn, v.id, v.status, v.status_since,
	    now, &changed, e)) != 0)
		goto fail;
	if (write_n && (ret = write_needs(db, v.id,
	    (const char (*)[NEED_CODE_MAX])v.needs, v.n_needs, now, e)) != 0)
		goto fail;
	if ((ret = db_commit(db, e)) != 0)
		return ret;
	*p = v;
	p->version = cur.version + 1;
	snprintf(p->updated_at, sizeof p->updated_at, "%s", now);
	snprintf(p->changed_by, sizeof p->changed_by, "%s", db_author(db));
	return 0;
fail:
	db_rollback(db);
	return ret;
}

int
pupil_archive(struct db *db, int64_t id, bool archived, sdate left_on,
    struct serr *e)
{
	char now[TIMESTAMP_LEN], d[DATE_ISO_LEN];
	struct pupil cur;
	sqlite3_stmt *st;
	int ret;

	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = pupil_get(db, id, &cur, e)) != 0)
		goto fail;
	if (!archived)
		left_on = SDATE_NONE;	/* back on roll: no leaving date */
	else if (left_on == SDATE_NONE)
		left_on = date_today();
	if (left_on != SDATE_NONE && left_on < cur.dob) {
		ret = serr_set(e, SE_INVALID, "leaving date %s: before the "
		    "date of birth of pupil %s", date_show(left_on, d),
		    cur.upn);
		goto fail;
	}
	if (cur.archived == archived && cur.left_on == left_on)
		return db_commit(db, e);	/* nothing to change */
	timestamp_now(now);
	if ((st = db_stmt(db, SQL_ARCHIVE, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, archived);
	db_bind_date(st, 3, left_on);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, db_author(db), -1, SQLITE_TRANSIENT);
	if ((ret = db_step_done(db, st, e, "archiving the pupil")) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

int
pupil_set_status(struct db *db, int64_t id, char status, sdate start,
    struct serr *e)
{
	char now[TIMESTAMP_LEN], d[DATE_ISO_LEN];
	struct pupil cur;
	bool dropped = false, changed;
	int ret;

	status = (char)toupper((unsigned char)status);
	if (status != 'N' && status != 'K' && status != 'E')
		return serr_set(e, SE_INVALID, "SEN status '%c': not N, K or E",
		    status != 0 ? status : '?');
	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = pupil_get(db, id, &cur, e)) != 0)
		goto fail;
	if (start == SDATE_NONE) {
		if (status == cur.status)
			return db_commit(db, e);	/* already so */
		start = date_today();
	}
	if (start > date_today()) {
		ret = serr_set(e, SE_INVALID, "SEN status start %s: in the "
		    "future", date_show(start, d));
		goto fail;
	}
	if (start < cur.dob) {
		ret = serr_set(e, SE_INVALID, "SEN status start %s: before the "
		    "date of birth of pupil %s", date_show(start, d), cur.upn);
		goto fail;
	}
	if (status == 'N')
		dropped = drop_nsa(cur.needs, &cur.n_needs);
	if ((ret = needs_check(status,
	    (const char (*)[NEED_CODE_MAX])cur.needs, cur.n_needs, e)) != 0) {
		serr_prefix(e, "pupil %s", cur.upn);
		goto fail;
	}
	timestamp_now(now);
	if ((ret = status_change(db, cur.upn, id, status, start, now, &changed,
	    e)) != 0)
		goto fail;
	if (!changed)
		return db_commit(db, e);
	if ((dropped && (ret = write_needs(db, id,
	    (const char (*)[NEED_CODE_MAX])cur.needs, cur.n_needs, now,
	    e)) != 0) || (ret = touch(db, id, now, e)) != 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return ret;
}

/* --- lists ---------------------------------------------------------------- */

int
pupil_filter_normalise(const struct pupil_filter *f, struct pupil_filter *out,
    char *buf, size_t n, struct serr *e)
{
	static const struct pupil_filter none;
	char c;
	int ret;

	if (f == NULL)
		f = &none;
	*out = *f;
	out->text = NULL;
	if (f->status != 0) {
		c = (char)toupper((unsigned char)f->status);
		if (c != 'N' && c != 'K' && c != 'E')
			return serr_set(e, SE_INVALID, "SEN status '%c': not "
			    "N, K or E", f->status);
		out->status = c;
		if (c == 'N')
			out->include_n = true;
	}
	if (f->year[0] != '\0' && (ret = year_parse(f->year, out->year, e)) != 0)
		return ret;
	if (f->need[0] != '\0' &&
	    (ret = need_parse(f->need, out->need, NULL, e)) != 0)
		return ret;
	if (f->text != NULL && n > 0) {
		strlcpy_utf8(buf, f->text, n);
		trim(buf);
		if (*buf != '\0')
			out->text = buf;
	}
	return 0;
}

int
pupil_list(struct db *db, const struct pupil_filter *filter, pupil_cb cb,
    void *ctx, struct serr *e)
{
	struct pupil_filter f;
	struct pupil p;
	char text[256], status[2];
	sqlite3_stmt *st;
	int rc, ret;

	if ((ret = pupil_filter_normalise(filter, &f, text, sizeof text, e))
	    != 0)
		return ret;
	if ((st = pupil_search_stmt(db, SQL_LIST, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	status[0] = f.status;
	status[1] = '\0';
	sqlite3_bind_int(st, 1, f.include_archived);
	sqlite3_bind_int(st, 2, f.include_n);
	db_bind_text(st, 3, status);
	db_bind_text(st, 4, f.year);
	db_bind_text(st, 5, f.need);
	db_bind_text(st, 6, f.text);
	/* cb may read other records (other statements) but must not call
	 * pupil_list again: this statement is shared. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_pupil(st, &p);
		if ((ret = load_needs(db, &p, e)) != 0 ||
		    (ret = cb(ctx, &p)) != 0) {
			sqlite3_reset(st);
			return ret;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "listing pupils");
	return 0;
}

/* pupil_list's order with a filter of include_n (and include_archived)
 * alone: a pass over the pupils and a sort (the index of names went in
 * migration 9: the register reads its own, and an export, which this
 * serves, must not depend on the register's rows being whole). */
static const char SQL_ORDER[] =
	"SELECT p.id FROM pupil p WHERE (?1 OR p.archived = 0)"
	" ORDER BY coalesce(p.preferred_surname, p.legal_surname) COLLATE NOCASE,"
	" coalesce(p.preferred_forename, p.legal_forename) COLLATE NOCASE, p.id";
/* The same pupils by id, a pass over the table: PUPIL_COLS less the
 * open status (columns 18 and 19 NULL), whose search in sen_status by
 * pupil reads that table's pages in random order. */
static const char SQL_BY_ID[] =
	"SELECT p.id, p.upn, p.legal_surname, p.legal_forename,"
	" p.preferred_surname, p.preferred_forename, p.dob, p.gender,"
	" p.year_group, p.class, p.flags, p.attendance, p.archived,"
	" p.left_on, p.created_at, p.updated_at, p.version, p.changed_by,"
	" NULL, NULL FROM pupil p WHERE (?1 OR p.archived = 0) ORDER BY p.id";
/* The open statuses, a pass over the table (sorted by pupil in C). */
static const char SQL_ALL_OPEN[] =
	"SELECT pupil_id, status, start_date FROM sen_status NOT INDEXED"
	" WHERE end_date IS NULL";
/* Every pupil's needs by pupil, in rank order (load_needs' order). */
static const char SQL_ALL_NEEDS[] =
	"SELECT pupil_id, code FROM pupil_need ORDER BY pupil_id, rank";

/* *ids is the caller's to free (also after an error). */
int
pupil_list_order(struct db *db, bool include_archived, int64_t **ids,
    size_t *n, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ORDER, e);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int(st, 1, include_archived);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*ids = xreallocarray(*ids, cap, sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "listing pupils");
	return 0;
}

/* An open status, for matching to its pupil. */
struct open_status {
	int64_t pupil_id;
	sdate since;
	char status;
};

static int
open_status_cmp(const void *va, const void *vb)
{
	const struct open_status *a = va, *b = vb;

	return a->pupil_id < b->pupil_id ? -1 : a->pupil_id > b->pupil_id;
}

/* Every open status, by pupil; *out is the caller's to free (also after
 * an error). */
static int
read_open_statuses(struct db *db, struct open_status **out, size_t *n,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ALL_OPEN, e);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 1);

		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		(*out)[*n].pupil_id = sqlite3_column_int64(st, 0);
		(*out)[*n].status = s != NULL ? *s : 'N';	/* read_pupil */
		(*out)[*n].since = db_col_date(st, 2);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "reading SEN statuses");
	if (*n > 1)	/* none: *out may be NULL, which qsort may not take */
		qsort(*out, *n, sizeof **out, open_status_cmp);
	return 0;
}

int
pupil_list_by_id(struct db *db, bool include_archived, pupil_cb cb,
    void *ctx, struct serr *e)
{
	struct open_status *os = NULL;
	sqlite3_stmt *st, *nst;
	struct pupil p;
	size_t n_os, at = 0;
	int rc, nrc, ret;

	if ((ret = read_open_statuses(db, &os, &n_os, e)) != 0)
		goto out;
	if ((st = db_stmt(db, SQL_BY_ID, e)) == NULL ||
	    (nst = db_stmt(db, SQL_ALL_NEEDS, e)) == NULL) {
		ret = e != NULL ? e->code : SE_DB;
		goto out;
	}
	sqlite3_bind_int(st, 1, include_archived);
	nrc = sqlite3_step(nst);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_pupil(st, &p);
		/* statuses and needs of pupils not listed pass by */
		while (at < n_os && os[at].pupil_id < p.id)
			at++;
		if (at < n_os && os[at].pupil_id == p.id) {
			p.status = os[at].status;
			p.status_since = os[at].since;
		}
		while (nrc == SQLITE_ROW && sqlite3_column_int64(nst, 0) < p.id)
			nrc = sqlite3_step(nst);
		p.n_needs = 0;
		while (nrc == SQLITE_ROW &&
		    sqlite3_column_int64(nst, 0) == p.id) {
			if (p.n_needs < PUPIL_NEEDS_MAX)
				db_col_copy(nst, 1, p.needs[p.n_needs++],
				    NEED_CODE_MAX);
			nrc = sqlite3_step(nst);
		}
		if (nrc != SQLITE_ROW && nrc != SQLITE_DONE)
			break;
		if ((ret = cb(ctx, &p)) != 0)
			break;
	}
	sqlite3_reset(st);
	sqlite3_reset(nst);
	if (ret == 0 && nrc != SQLITE_ROW && nrc != SQLITE_DONE)
		ret = db_fail(db, nrc, e, "reading types of need");
	else if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = db_fail(db, rc, e, "listing pupils");
out:
	free(os);
	return ret;
}

int
pupil_status_history(struct db *db, int64_t pupil_id, status_cb cb,
    void *ctx, struct serr *e)
{
	struct status_entry s;
	sqlite3_stmt *st;
	int rc, ret;

	if ((ret = pupil_exists(db, pupil_id, e)) != 0)
		return ret;
	if ((st = db_stmt(db, SQL_HISTORY, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, pupil_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&s, 0, sizeof s);
		s.id = sqlite3_column_int64(st, 0);
		s.status = (char)sqlite3_column_text(st, 1)[0];
		s.start = db_col_date(st, 2);
		s.end = db_col_date(st, 3);
		db_col_copy(st, 4, s.changed_by, sizeof s.changed_by);
		if ((ret = cb(ctx, &s)) != 0) {
			sqlite3_reset(st);
			return ret;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "reading the SEN status history");
	return 0;
}
