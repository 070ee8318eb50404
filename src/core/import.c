/*
 * import.c: pupils from outside files (see import.h): header names,
 * reading each value, matching by UPN, and the one transaction.
 *
 * Each row goes through three steps. It is read: every field is parsed
 * and every problem is listed (not just the first), so the user fixes a
 * file in one go. It is planned: the pupil is looked up by UPN and the
 * merged record is checked by the same rules as any other change
 * (pupil_validate, the census rules on needs, the order of the SEN
 * history), so that a row is refused here and not half-way through a
 * write. And it is applied inside the import's transaction: a change
 * through pupil_update / pupil_set_status, a new pupil held for a batch
 * of BATCH_MAX that is written with triggers off and then given,
 * set-based, the audit rows and search-index notes the triggers would
 * have written (flush_batch(); at 100,000 pupils the per-row triggers
 * were most of the import). A write that fails all the same spoils that
 * transaction (db_rollback poisons it), so the import then stops writing
 * and reports that nothing was saved. When no one else has the caseload
 * open, the transaction runs with a rollback journal instead of WAL
 * (db_journal_rollback()): the new pages are written once, not to the
 * WAL and again at its checkpoint.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "codes.h"
#include "import.h"
#include "pupil.h"
#include "xmalloc.h"

/* Room for one trimmed value (longer values are cut and refused where
 * length matters). */
#define VALUE_MAX 512
/* The longest SEN history kept from one file for one pupil. */
#define HISTORY_MAX 64
/* The longest header line quoted in a message. */
#define HEADER_QUOTE_MAX 200
/* SQLite's page cache during an import, in KiB (PRAGMA cache_size takes
 * it negated): the indexes a large import writes at random places (UPN,
 * name) stay in memory. More saves nothing measurable at 100,000 pupils,
 * whose 200 MB (mostly audit rows written in order) spill to the WAL
 * anyway, and each page more is a fresh malloc (128 MiB: 185 MB RSS). */
#define IMPORT_CACHE_KIB 32768
/* New pupils held back to be written together with triggers off
 * (flush_batch()): enough that switching triggers, which makes SQLite
 * prepare its statements again, costs nothing per pupil. */
#define BATCH_MAX 4096

/*
 * The rows pupil_add() writes for a new pupil (see write_new()), one
 * row at a time and ROWS_MAX rows at a time: each statement costs SQLite
 * a statement journal and its set-up, as much as the row itself.
 */
#define ADD_PUPIL "INSERT INTO pupil (id, upn, legal_surname," \
	" legal_forename, preferred_surname, preferred_forename, dob, gender," \
	" year_group, class, flags, attendance, archived, left_on," \
	" created_at, updated_at, version, changed_by) VALUES "
#define ADD_PUPIL_ROW \
	"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, 1, ?)"
#define ADD_PUPIL_PARAMS 15
#define ADD_STATUS "INSERT INTO sen_status (id, pupil_id, status," \
	" start_date, end_date, created_at, updated_at, version, changed_by)" \
	" VALUES "
#define ADD_STATUS_ROW "(?, ?, ?, ?, NULL, ?, ?, 1, ?)"
#define ADD_STATUS_PARAMS 7
#define ADD_NEED "INSERT INTO pupil_need (id, pupil_id, rank, code," \
	" created_at, updated_at, version, changed_by) VALUES "
#define ADD_NEED_ROW "(?, ?, ?, ?, ?, ?, 1, ?)"
#define ADD_NEED_PARAMS 7
#define ROWS_MAX 32
#define ROWS_2(r) r ", " r
#define ROWS_32(r) ROWS_2(ROWS_2(ROWS_2(ROWS_2(ROWS_2(r)))))
static const char SQL_ADD_PUPIL[] = ADD_PUPIL ADD_PUPIL_ROW;
static const char SQL_ADD_PUPILS[] = ADD_PUPIL ROWS_32(ADD_PUPIL_ROW);
static const char SQL_ADD_STATUS[] = ADD_STATUS ADD_STATUS_ROW;
static const char SQL_ADD_STATUSES[] = ADD_STATUS ROWS_32(ADD_STATUS_ROW);
static const char SQL_ADD_NEED[] = ADD_NEED ADD_NEED_ROW;
static const char SQL_ADD_NEEDS[] = ADD_NEED ROWS_32(ADD_NEED_ROW);
/* A new pupil's row of pupil_now (migration 9), as its triggers would
 * work it out: the pupil's columns, the status and first need just
 * written, no cycle, no provision. */
#define ADD_NOW "INSERT INTO pupil_now (pupil_id, upn, surname, forename," \
	" legal_surname, legal_forename, year_group, flags, archived, status," \
	" need, cost_n, cost_all) VALUES "
#define ADD_NOW_ROW "(?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, 0)"
#define ADD_NOW_PARAMS 10
static const char SQL_ADD_NOW[] = ADD_NOW ADD_NOW_ROW;
static const char SQL_ADD_NOWS[] = ADD_NOW ROWS_32(ADD_NOW_ROW);
/* What the pupil_search_insert trigger does, for the pupils of a batch
 * added with triggers off (flush_batch()). */
static const char SQL_SEARCH_STALE[] =
	"INSERT OR IGNORE INTO pupil_search_stale (pupil_id)"
	" SELECT id FROM pupil WHERE id BETWEEN ?1 AND ?2";
/* The batch's open statuses (ids ?1 to ?2) counted in status_tally, as
 * its trigger would have. */
static const char SQL_TALLY_ADD[] =
	"UPDATE status_tally SET n = n + (SELECT count(*) FROM sen_status s"
	" WHERE s.id BETWEEN ?1 AND ?2 AND s.end_date IS NULL"
	" AND s.status = status_tally.status)";
static const char SQL_CACHE_GET[] = "PRAGMA cache_size";
static const char SQL_TEMP_GET[] = "PRAGMA temp_store";
static const char SQL_ALL_UPNS[] = "SELECT upn FROM pupil";

static const struct {
	const char *key;	/* config name */
	const char *label;	/* words for messages */
	bool required;		/* a table without it is refused */
} field_info[IMPORT_FIELD_COUNT] = {
	[IMPORT_UPN] = { "upn", "UPN", true },
	[IMPORT_LEGAL_SURNAME] = { "legal_surname", "legal surname", true },
	[IMPORT_LEGAL_FORENAME] = { "legal_forename", "legal forename", true },
	[IMPORT_PREFERRED_SURNAME] = { "preferred_surname",
	    "preferred surname", false },
	[IMPORT_PREFERRED_FORENAME] = { "preferred_forename",
	    "preferred forename", false },
	[IMPORT_DOB] = { "dob", "date of birth", true },
	[IMPORT_YEAR] = { "year", "year group", true },
	[IMPORT_CLASS] = { "class", "class", false },
	[IMPORT_GENDER] = { "gender", "gender", false },
	[IMPORT_STATUS] = { "sen_status", "SEN status", false },
	[IMPORT_NEED1] = { "primary_need", "primary need", false },
	[IMPORT_NEED2] = { "secondary_need", "secondary need", false },
	[IMPORT_NEED3] = { "third_need", "third need", false },
	[IMPORT_NEED4] = { "fourth_need", "fourth need", false },
	[IMPORT_PP] = { "pp", "pupil premium", false },
	[IMPORT_FSM] = { "fsm", "free school meals", false },
	[IMPORT_CIC] = { "cic", "child in care", false },
	[IMPORT_EAL] = { "eal", "EAL", false },
	[IMPORT_ATTENDANCE] = { "attendance", "attendance", false },
};

/*
 * Header names of the common MIS exports (SIMS, Arbor, Bromcom,
 * ScholarPack ...), in the normalised form of norm_header(): lower-case
 * letters, digits and '%'. For each field the more specific names come
 * first: their place in this table is their rank.
 */
static const struct {
	const char *name;
	enum import_field f;
} header_names[] = {
	{ "upn", IMPORT_UPN },
	{ "uniquepupilnumber", IMPORT_UPN },
	{ "pupilupn", IMPORT_UPN },
	{ "legalsurname", IMPORT_LEGAL_SURNAME },
	{ "surnamelegal", IMPORT_LEGAL_SURNAME },
	{ "legallastname", IMPORT_LEGAL_SURNAME },
	{ "surname", IMPORT_LEGAL_SURNAME },
	{ "lastname", IMPORT_LEGAL_SURNAME },
	{ "familyname", IMPORT_LEGAL_SURNAME },
	{ "legalforename", IMPORT_LEGAL_FORENAME },
	{ "forenamelegal", IMPORT_LEGAL_FORENAME },
	{ "legalfirstname", IMPORT_LEGAL_FORENAME },
	{ "forename", IMPORT_LEGAL_FORENAME },
	{ "firstname", IMPORT_LEGAL_FORENAME },
	{ "givenname", IMPORT_LEGAL_FORENAME },
	{ "preferredsurname", IMPORT_PREFERRED_SURNAME },
	{ "preferredlastname", IMPORT_PREFERRED_SURNAME },
	{ "preferredforename", IMPORT_PREFERRED_FORENAME },
	{ "preferredfirstname", IMPORT_PREFERRED_FORENAME },
	{ "preferredname", IMPORT_PREFERRED_FORENAME },
	{ "knownas", IMPORT_PREFERRED_FORENAME },
	{ "dob", IMPORT_DOB },
	{ "dateofbirth", IMPORT_DOB },
	{ "birthdate", IMPORT_DOB },
	{ "ncyearactual", IMPORT_YEAR },
	{ "ncyear", IMPORT_YEAR },
	{ "yeargroup", IMPORT_YEAR },
	{ "year", IMPORT_YEAR },
	{ "curriculumyear", IMPORT_YEAR },
	{ "yr", IMPORT_YEAR },
	{ "reggroup", IMPORT_CLASS },
	{ "registrationgroup", IMPORT_CLASS },
	{ "reg", IMPORT_CLASS },
	{ "regform", IMPORT_CLASS },
	{ "class", IMPORT_CLASS },
	{ "form", IMPORT_CLASS },
	{ "tutorgroup", IMPORT_CLASS },
	{ "gender", IMPORT_GENDER },
	{ "sex", IMPORT_GENDER },
	{ "senstatus", IMPORT_STATUS },
	{ "senprovision", IMPORT_STATUS },
	{ "sen", IMPORT_STATUS },
	{ "senprimaryneed", IMPORT_NEED1 },
	{ "primaryneed", IMPORT_NEED1 },
	{ "primarysenneed", IMPORT_NEED1 },
	{ "primarytypeofneed", IMPORT_NEED1 },
	{ "senneed1", IMPORT_NEED1 },
	{ "sensecondaryneed", IMPORT_NEED2 },
	{ "secondaryneed", IMPORT_NEED2 },
	{ "secondarysenneed", IMPORT_NEED2 },
	{ "secondarytypeofneed", IMPORT_NEED2 },
	{ "senneed2", IMPORT_NEED2 },
	{ "thirdneed", IMPORT_NEED3 },
	{ "senneed3", IMPORT_NEED3 },
	{ "fourthneed", IMPORT_NEED4 },
	{ "senneed4", IMPORT_NEED4 },
	{ "pupilpremium", IMPORT_PP },
	{ "pupilpremiumindicator", IMPORT_PP },
	{ "pp", IMPORT_PP },
	{ "freeschoolmeals", IMPORT_FSM },
	{ "fsm", IMPORT_FSM },
	{ "fsmeligible", IMPORT_FSM },
	{ "incare", IMPORT_CIC },
	{ "childincare", IMPORT_CIC },
	{ "cic", IMPORT_CIC },
	{ "lookedafter", IMPORT_CIC },
	{ "lookedafterchild", IMPORT_CIC },
	{ "lac", IMPORT_CIC },
	{ "cla", IMPORT_CIC },
	{ "eal", IMPORT_EAL },
	{ "englishasanadditionallanguage", IMPORT_EAL },
	{ "attendance%", IMPORT_ATTENDANCE },
	{ "attendance", IMPORT_ATTENDANCE },
	{ "attendancepercentage", IMPORT_ATTENDANCE },
	{ "attendancepercent", IMPORT_ATTENDANCE },
};
#define N_HEADER_NAMES (sizeof header_names / sizeof header_names[0])

/* What becomes of a row once planned. */
enum plan_kind { PLAN_ADD, PLAN_UPDATE, PLAN_SAME };

/* One status change to write, oldest first. */
struct step {
	char status;
	sdate start;
	int line;
};

/* A UPN seen in this file, and where. */
struct seen {
	char upn[UPN_LEN + 1];
	int line;
};

/* A set of UPNs: open addressing, size a power of two. */
struct upn_set {
	struct seen *v;
	size_t n, cap;
};

/*
 * Ids for the rows an import adds: a random start (db_new_id()) and then
 * one after another. Consecutive keys go to the end of each table and of
 * each index by pupil, where a random key per row lands on a random page:
 * at 100,000 pupils that was most of an import's time. A run from a
 * random start meets another copy's ids no more often than random ids do
 * (merge.c matches rows by id).
 */
struct id_run {
	int64_t next;		/* 0: not started */
};

/* A new pupil waiting in the batch. */
struct pending {
	struct pupil p;		/* as write_new() writes it */
	int64_t status_id;	/* its SEN status row */
	int64_t need_id;	/* its first need; the others follow */
	int line;
	int msg;		/* its IMSG_ADDED message, or -1 */
};

struct importer {
	struct db *db;
	struct id_run pupil_ids, status_ids, need_ids;
	char now[TIMESTAMP_LEN];	/* created_at of the rows added */
	struct import_opts o;
	struct import_result *res;
	bool in_tx;		/* a real run's transaction is open */
	bool in_read;		/* a dry run's read transaction is open */
	int old_cache;		/* cache_size before the import */
	int old_temp;		/* temp_store before, or -1 */
	bool rollback_journal;	/* WAL off until the end (see db.h) */
	bool spoilt;		/* a write failed: nothing will be saved */
	char spoilt_msg[SERR_MSG_MAX];	/* why, and where */
	int spoilt_line;
	sdate today;

	/* The table's header (import_header). */
	bool have_header;
	int col[IMPORT_FIELD_COUNT];	/* column of each field, -1 none */
	char *label[IMPORT_FIELD_COUNT];	/* the header as written */

	struct upn_set seen;	/* UPNs of this file so far */
	struct upn_set stored;	/* UPNs in the caseload */

	struct pending *batch;	/* BATCH_MAX new pupils, written together */
	int n_batch;
	/* write_new(): pupil * PUPIL_NEEDS_MAX + rank - 1 of each need
	 * row */
	int *need_of;
	int cap_need_of;
};

/* The reading of one row. */
struct rowctx {
	struct importer *im;
	const struct import_row *r;
	bool bad;
};

/* --- fields and header names -------------------------------------------- */

const char *
import_field_key(enum import_field f)
{
	return (unsigned)f < IMPORT_FIELD_COUNT ? field_info[f].key : "";
}

const char *
import_field_label(enum import_field f)
{
	return (unsigned)f < IMPORT_FIELD_COUNT ? field_info[f].label : "";
}

int
import_field_parse(const char *key)
{
	if (key == NULL)
		return -1;
	if (strcasecmp(key, "ignore") == 0)
		return IMPORT_FIELD_IGNORE;
	for (int f = 0; f < IMPORT_FIELD_COUNT; f++)
		if (strcasecmp(key, field_info[f].key) == 0)
			return f;
	return -1;
}

/* A header as compared: lower-case ASCII letters and digits and '%';
 * spaces, punctuation and anything else dropped. */
static void
norm_header(const char *s, char *out, size_t n)
{
	size_t o = 0;

	for (; s != NULL && *s != '\0' && o + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80 && (isalnum(c) || c == '%'))
			out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

int
import_header_field(const char *header, int *rank)
{
	char norm[128];

	norm_header(header, norm, sizeof norm);
	for (size_t i = 0; i < N_HEADER_NAMES; i++)
		if (strcmp(norm, header_names[i].name) == 0) {
			if (rank != NULL)
				*rank = (int)i;
			return (int)header_names[i].f;
		}
	return -1;
}

/* --- the result ------------------------------------------------------------- */

void
import_result_init(struct import_result *r, const char *file)
{
	memset(r, 0, sizeof *r);
	r->file = xstrdup(file != NULL ? file : "(input)");
}

void
import_result_free(struct import_result *r)
{
	for (int i = 0; i < r->n_msgs; i++)
		free(r->msgs[i].text);
	free(r->msgs);
	free(r->file);
	memset(r, 0, sizeof *r);
}

static void
add_msg(struct import_result *r, enum import_msg_kind kind, int line,
    char *text)
{
	if (r->n_msgs == r->cap_msgs) {
		r->cap_msgs = r->cap_msgs ? r->cap_msgs * 2 : 64;
		r->msgs = xreallocarray(r->msgs, (size_t)r->cap_msgs,
		    sizeof *r->msgs);
	}
	r->msgs[r->n_msgs].kind = kind;
	r->msgs[r->n_msgs].line = line;
	r->msgs[r->n_msgs].text = text;
	r->n_msgs++;
}

/* Returns a string the caller frees. */
char *
import_msg_format(const struct import_result *r, const struct import_msg *m)
{
	char *s;

	if (m->line > 0)
		xasprintf(&s, "%s:%d: %s", r->file, m->line, m->text);
	else
		xasprintf(&s, "%s: %s", r->file, m->text);
	return s;
}

/* Returns a string the caller frees. */
char *
import_summary(const struct import_result *r)
{
	char *s, *t;
	bool done = r->written;

	xasprintf(&s, "%s (%s%s%s): %d pupil%s read: %d %s, %d %s, %d "
	    "unchanged, %d refused.\n", r->file,
	    r->format[0] ? r->format : "?", r->encoding[0] ? ", " : "",
	    r->encoding, r->rows, r->rows == 1 ? "" : "s", r->added,
	    done ? "added" : "to add", r->changed,
	    done ? "changed" : "to change", r->unchanged, r->refused);
	if (r->dry_run)
		xasprintf(&t, "%sDry run: nothing was written.\n", s);
	else if (!done && r->added + r->changed > 0)
		xasprintf(&t, "%sNothing was written.\n", s);
	else
		return s;
	free(s);
	return t;
}

void
import_note(struct importer *im, enum import_msg_kind kind, int line,
    const char *fmt, ...)
{
	va_list ap;
	char *text;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	add_msg(im->res, kind, line, text);
}

/* --- UPNs seen in this file ----------------------------------------------- */

static uint32_t
upn_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Where upn is in set (its line), or 0; with add, a UPN not there is
 * put in at line. */
static int
upn_set_find(struct upn_set *set, const char *upn, bool add, int line)
{
	size_t i;

	if (2 * (set->n + 1) > set->cap) {
		struct seen *old = set->v;
		size_t oldcap = set->cap;

		set->cap = oldcap ? oldcap * 2 : 1024;
		set->v = xcalloc(set->cap, sizeof *set->v);
		for (size_t k = 0; k < oldcap; k++) {
			if (old[k].line == 0)
				continue;
			i = upn_hash(old[k].upn) & (set->cap - 1);
			while (set->v[i].line != 0)
				i = (i + 1) & (set->cap - 1);
			set->v[i] = old[k];
		}
		free(old);
	}
	i = upn_hash(upn) & (set->cap - 1);
	while (set->v[i].line != 0) {
		if (strcmp(set->v[i].upn, upn) == 0)
			return set->v[i].line;
		i = (i + 1) & (set->cap - 1);
	}
	if (add) {
		snprintf(set->v[i].upn, sizeof set->v[i].upn, "%s", upn);
		set->v[i].line = line > 0 ? line : 1;
		set->n++;
	}
	return 0;
}

/* The line where upn was first seen in the file, or 0 (it is recorded
 * at line). */
static int
seen_before(struct importer *im, const char *upn, int line)
{
	return upn_set_find(&im->seen, upn, true, line);
}

/* Every UPN in the caseload, so that a new pupil costs no lookup. */
static int
load_stored(struct importer *im, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(im->db, SQL_ALL_UPNS, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);

		if (u != NULL)
			upn_set_find(&im->stored, u, true, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(im->db, rc, e, "reading the pupils' UPNs");
	return 0;
}

/* --- reading values ----------------------------------------------------------- */

static const char *
label_of(const struct rowctx *x, int f)
{
	if (f >= 0 && f < IMPORT_FIELD_COUNT && x->r->labels[f] != NULL)
		return x->r->labels[f];
	return f >= 0 && f < IMPORT_FIELD_COUNT ? field_info[f].label :
	    "pupil";
}

static int
line_of(const struct rowctx *x, int f)
{
	if (f >= 0 && f < IMPORT_FIELD_COUNT && x->r->lines[f] > 0)
		return x->r->lines[f];
	return x->r->line;
}

static void
row_msg(struct rowctx *x, enum import_msg_kind kind, int line,
    const char *label, const char *fmt, va_list ap)
{
	char why[SERR_MSG_MAX], *text;

	vsnprintf(why, sizeof why, fmt, ap);
	xasprintf(&text, "%s: %s", label, why);
	add_msg(x->im->res, kind, line, text);
}

/* A refusal of field f ("label: why"); the row is not imported. */
static void __attribute__((format(printf, 3, 4)))
refuse(struct rowctx *x, int f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	row_msg(x, IMSG_REFUSED, line_of(x, f), label_of(x, f), fmt, ap);
	va_end(ap);
	x->bad = true;
}

static void __attribute__((format(printf, 3, 4)))
notice(struct rowctx *x, int f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	row_msg(x, IMSG_NOTICE, line_of(x, f), label_of(x, f), fmt, ap);
	va_end(ap);
}

/* Copy s without surrounding blanks into buf (cut to fit); *cut says
 * whether it was cut. */
static char *
trim_into(const char *s, char *buf, size_t n, bool *cut)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	*cut = len >= n;
	if (*cut)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/* The trimmed value of field f into buf (VALUE_MAX), or NULL if the file
 * does not give it. */
static const char *
value(struct rowctx *x, int f, char *buf)
{
	bool cut;

	if (x->r->v[f] == NULL)
		return NULL;
	return trim_into(x->r->v[f], buf, VALUE_MAX, &cut);
}

/* A name into out (size NAME_MAX_BYTES); required ones may not be empty. */
static void
read_name(struct rowctx *x, int f, char *out, size_t n, bool required)
{
	char buf[VALUE_MAX];
	const char *s = value(x, f, buf);

	out[0] = '\0';
	if (s == NULL || *s == '\0') {
		if (required)
			refuse(x, f, "missing");
		return;
	}
	if (strlen(s) >= n || strlen(x->r->v[f]) >= VALUE_MAX) {
		refuse(x, f, "longer than %zu bytes", n - 1);
		return;
	}
	memcpy(out, s, strlen(s) + 1);
}

/* Dates as MIS exports write them: ISO or DD/MM/YYYY, perhaps followed
 * by a midnight time from a spreadsheet ("01/09/2015 00:00:00"). */
static int
parse_date(const char *s, const char *label, sdate *out, struct serr *e)
{
	char buf[32];
	size_t len = strlen(s);

	if (len > 10 && len < sizeof buf && (s[10] == ' ' || s[10] == 'T') &&
	    strspn(s + 11, "0123456789:.Z") == len - 11) {
		memcpy(buf, s, 10);
		buf[10] = '\0';
		s = buf;
	}
	return date_parse(s, out, label, e);
}

static void
read_date(struct rowctx *x, int f, sdate *out)
{
	char buf[VALUE_MAX];
	const char *s = value(x, f, buf);
	struct serr e;

	*out = SDATE_NONE;
	if (s == NULL || *s == '\0') {
		refuse(x, f, "missing");
		return;
	}
	serr_clear(&e);
	if (parse_date(s, label_of(x, f), out, &e) != 0) {
		/* date_parse's message already begins with the label. */
		add_msg(x->im->res, IMSG_REFUSED, line_of(x, f),
		    xstrdup(e.msg));
		x->bad = true;
	}
}

/* Yes/No in the forms spreadsheets use; empty is no. -1 if unreadable. */
static int
parse_flag(const char *s)
{
	static const char *const yes[] = { "yes", "y", "true", "t", "1" };
	static const char *const no[] = { "no", "n", "false", "f", "0", "" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

/*
 * A SEN status as MIS exports write it: the census letters (with the
 * historic A, P and S), or words ("SEN Support", "EHC Plan", "No Special
 * Educational Need"). Empty is N. *historic is set for A, P, S and their
 * words. Returns 0 or -1.
 */
static int
parse_status(const char *s, char *out, bool *historic)
{
	static const struct {
		const char *words;
		char code;
		bool historic;
	} words[] = {
		{ "", 'N', false },
		{ "none", 'N', false },
		{ "no sen", 'N', false },
		{ "no special educational need", 'N', false },
		{ "no special educational needs", 'N', false },
		{ "sen support", 'K', false },
		{ "ehc plan", 'E', false },
		{ "ehcp", 'E', false },
		{ "education, health and care plan", 'E', false },
		{ "school action", 'K', true },
		{ "school action plus", 'K', true },
		{ "statement", 'E', true },
		{ "statement of sen", 'E', true },
	};

	*historic = false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(s, words[i].words) == 0) {
			*out = words[i].code;
			*historic = words[i].historic;
			return 0;
		}
	return status_parse(s, out, historic, NULL) == 0 ? 0 : -1;
}

static const char *
historic_status_name(const char *s)
{
	switch (toupper((unsigned char)s[0])) {
	case 'A': return "School Action";
	case 'P': return "School Action Plus";
	case 'S': return "Statement";
	}
	return "a code from before 2014";
}

/* A type of need by census code or name ("SpLD", "Specific learning
 * difficulty", "BESD"). */
static int
parse_need(const char *s, char out[NEED_CODE_MAX], bool *historic,
    struct serr *e)
{
	for (int i = 0; i < NEED_CODE_COUNT; i++)
		if (strcasecmp(s, need_codes[i].name) == 0) {
			snprintf(out, NEED_CODE_MAX, "%s", need_codes[i].code);
			*historic = false;
			return 0;
		}
	return need_parse(s, out, historic, e);
}

/* --- one row ----------------------------------------------------------------- */

/* What was read from a row: the fields it gives, in stored form. */
struct incoming {
	struct pupil p;		/* the values read (status, needs, flags ...) */
	bool given[IMPORT_FIELD_COUNT];
	bool needs_given;
	unsigned flags_given;	/* FLAG_ bits the file gives */
	struct step hist[HISTORY_MAX];
	int n_hist;		/* a SEN history (after sorting, collapsed) */
};

static void
read_upn(struct rowctx *x, struct incoming *in)
{
	char buf[VALUE_MAX];
	const char *s = value(x, IMPORT_UPN, buf);
	struct serr e;
	size_t o = 0;
	int first;

	if (s == NULL || *s == '\0') {
		refuse(x, IMPORT_UPN, "missing");
		return;
	}
	/* Forgive lower case and spaces ("b801 2000 05001"). */
	for (; *s != '\0' && o + 1 < sizeof in->p.upn; s++)
		if (*s != ' ')
			in->p.upn[o++] = (char)toupper((unsigned char)*s);
	in->p.upn[o] = '\0';
	if (*s != '\0') {
		refuse(x, IMPORT_UPN, "'%s' is too long for a UPN (13 "
		    "characters; census error 1540)", buf);
		in->p.upn[0] = '\0';
		return;
	}
	serr_clear(&e);
	if (upn_validate(in->p.upn, &e) != 0) {
		refuse(x, IMPORT_UPN, "%s", e.msg);
		in->p.upn[0] = '\0';
		return;
	}
	if ((first = seen_before(x->im, in->p.upn, line_of(x, IMPORT_UPN)))
	    != 0) {
		refuse(x, IMPORT_UPN, "%s appears again (first on line %d)",
		    in->p.upn, first);
		in->p.upn[0] = '\0';
	}
}

static void
read_needs(struct rowctx *x, struct incoming *in)
{
	char buf[VALUE_MAX], need[NEED_CODE_MAX];
	int gap = -1;
	bool historic;
	struct serr e;

	for (int f = IMPORT_NEED1; f <= IMPORT_NEED4; f++) {
		const char *s = value(x, f, buf);

		if (s == NULL)
			continue;
		in->needs_given = true;
		if (*s == '\0') {
			if (gap < 0)
				gap = f;
			continue;
		}
		serr_clear(&e);
		if (parse_need(s, need, &historic, &e) != 0) {
			refuse(x, f, "%s", e.msg);
			continue;
		}
		if (gap >= 0) {
			refuse(x, f, "%s given without a %s", need,
			    field_info[gap].label);
			continue;
		}
		if (historic)
			notice(x, f, "'%s' is the name used before 2015: read "
			    "as SEMH", s);
		memcpy(in->p.needs[in->p.n_needs++], need, NEED_CODE_MAX);
	}
}

static int
compare_steps(const void *a, const void *b)
{
	const struct step *s = a, *t = b;

	if (s->start != t->start)
		return s->start < t->start ? -1 : 1;
	/* Same day: keep file order (stable). */
	return s->line - t->line;
}

/* The SEN history of a CTF: read, checked, sorted, collapsed. */
static void
read_history(struct rowctx *x, struct incoming *in)
{
	const struct import_row *r = x->r;
	const char *sl = r->history_status_label ? r->history_status_label :
	    "SEN status";
	const char *dl = r->history_start_label ? r->history_start_label :
	    "SEN status start";
	char buf[VALUE_MAX], d[DATE_ISO_LEN];
	struct serr e;
	int n = 0, k;

	if (r->n_history > HISTORY_MAX) {
		add_msg(x->im->res, IMSG_REFUSED, r->history[0].line,
		    xstrdup("SEN history: more than 64 entries"));
		x->bad = true;
		return;
	}
	for (int i = 0; i < r->n_history; i++) {
		const struct import_sen *h = &r->history[i];
		int line = h->line > 0 ? h->line : r->line;
		bool cut, historic, ok = true;
		char status;
		sdate start = SDATE_NONE;

		trim_into(h->status != NULL ? h->status : "", buf, sizeof buf,
		    &cut);
		if (buf[0] == '\0') {
			import_note(x->im, IMSG_REFUSED, line, "%s: missing",
			    sl);
			ok = false;
		} else if (parse_status(buf, &status, &historic) != 0) {
			import_note(x->im, IMSG_REFUSED, line, "%s: '%s' is "
			    "not a SEN status (N, K or E)", sl, buf);
			ok = false;
		} else if (historic)
			import_note(x->im, IMSG_NOTICE, line, "%s: historic "
			    "code '%s' (%s) read as %c (%s)", sl, buf,
			    historic_status_name(buf), status,
			    status_name(status));
		trim_into(h->start != NULL ? h->start : "", buf, sizeof buf,
		    &cut);
		serr_clear(&e);
		if (buf[0] == '\0') {
			import_note(x->im, IMSG_REFUSED, line, "%s: missing",
			    dl);
			ok = false;
		} else if (parse_date(buf, dl, &start, &e) != 0) {
			import_note(x->im, IMSG_REFUSED, line, "%s", e.msg);
			ok = false;
		} else if (start > x->im->today) {
			import_note(x->im, IMSG_REFUSED, line, "%s: %s is in "
			    "the future", dl, date_show(start, d));
			ok = false;
		} else if (in->p.dob != SDATE_NONE && start < in->p.dob) {
			import_note(x->im, IMSG_REFUSED, line, "%s: %s is "
			    "before the date of birth", dl, date_show(start, d));
			ok = false;
		}
		if (!ok) {
			x->bad = true;
			continue;
		}
		in->hist[n].status = status;
		in->hist[n].start = start;
		in->hist[n].line = line;
		n++;
	}
	qsort(in->hist, (size_t)n, sizeof in->hist[0], compare_steps);
	/* A status repeated without a change between is one period. */
	for (int i = k = 0; i < n; i++)
		if (k == 0 || in->hist[i].status != in->hist[k - 1].status)
			in->hist[k++] = in->hist[i];
	in->n_hist = k;
}

/* Read every field the row gives into in; problems are refused. */
static void
read_row(struct rowctx *x, struct incoming *in)
{
	char buf[VALUE_MAX];
	const char *s;
	bool historic;

	memset(in, 0, sizeof *in);
	pupil_init(&in->p);
	for (int f = 0; f < IMPORT_FIELD_COUNT; f++)
		in->given[f] = x->r->v[f] != NULL;

	if (x->r->problem != NULL) {
		add_msg(x->im->res, IMSG_REFUSED, x->r->problem_line > 0 ?
		    x->r->problem_line : x->r->line, xstrdup(x->r->problem));
		x->bad = true;
	}
	read_upn(x, in);
	read_name(x, IMPORT_LEGAL_SURNAME, in->p.legal_surname,
	    sizeof in->p.legal_surname, true);
	read_name(x, IMPORT_LEGAL_FORENAME, in->p.legal_forename,
	    sizeof in->p.legal_forename, true);
	read_name(x, IMPORT_PREFERRED_SURNAME, in->p.preferred_surname,
	    sizeof in->p.preferred_surname, false);
	read_name(x, IMPORT_PREFERRED_FORENAME, in->p.preferred_forename,
	    sizeof in->p.preferred_forename, false);
	/* A preferred name that is the legal one says nothing more. */
	if (strcmp(in->p.preferred_surname, in->p.legal_surname) == 0)
		in->p.preferred_surname[0] = '\0';
	if (strcmp(in->p.preferred_forename, in->p.legal_forename) == 0)
		in->p.preferred_forename[0] = '\0';
	read_date(x, IMPORT_DOB, &in->p.dob);

	if ((s = value(x, IMPORT_YEAR, buf)) == NULL)
		refuse(x, IMPORT_YEAR, "missing");
	else {
		struct serr e;

		serr_clear(&e);
		if (*s == '\0')
			refuse(x, IMPORT_YEAR, "missing");
		else if (year_parse(s, in->p.year, &e) != 0)
			refuse(x, IMPORT_YEAR, "%s", e.msg);
	}
	read_name(x, IMPORT_CLASS, in->p.class_name, sizeof in->p.class_name,
	    false);

	if ((s = value(x, IMPORT_GENDER, buf)) != NULL) {
		if (strcasecmp(s, "M") == 0 || strcasecmp(s, "male") == 0 ||
		    strcasecmp(s, "boy") == 0)
			in->p.gender = 'M';
		else if (strcasecmp(s, "F") == 0 ||
		    strcasecmp(s, "female") == 0 || strcasecmp(s, "girl") == 0)
			in->p.gender = 'F';
		else if (*s == '\0' || strcasecmp(s, "U") == 0 ||
		    strcasecmp(s, "unknown") == 0 ||
		    strcasecmp(s, "not known") == 0)
			in->given[IMPORT_GENDER] = false;	/* keep */
		else
			refuse(x, IMPORT_GENDER, "'%s' is not M or F", s);
	}

	if (x->r->n_history > 0) {
		in->given[IMPORT_STATUS] = false;
		read_history(x, in);
	} else if ((s = value(x, IMPORT_STATUS, buf)) != NULL) {
		if (parse_status(s, &in->p.status, &historic) != 0)
			refuse(x, IMPORT_STATUS, "'%s' is not a SEN status (N, "
			    "K or E; the historic A, P and S are read too)", s);
		else if (historic)
			notice(x, IMPORT_STATUS, "historic code '%s' (%s) read "
			    "as %c (%s)", s, historic_status_name(s),
			    in->p.status, status_name(in->p.status));
	}
	read_needs(x, in);

	static const struct {
		int f;
		unsigned flag;
	} flags[] = {
		{ IMPORT_PP, FLAG_PP }, { IMPORT_FSM, FLAG_FSM },
		{ IMPORT_CIC, FLAG_CIC }, { IMPORT_EAL, FLAG_EAL },
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		int v;

		if ((s = value(x, flags[i].f, buf)) == NULL)
			continue;
		if ((v = parse_flag(s)) < 0) {
			refuse(x, flags[i].f, "'%s' is not yes or no (Yes/No, "
			    "Y/N, True/False, T/F, 1/0)", s);
			continue;
		}
		in->flags_given |= flags[i].flag;
		if (v)
			in->p.flags |= flags[i].flag;
	}

	if ((s = value(x, IMPORT_ATTENDANCE, buf)) != NULL) {
		char num[64], *end;
		size_t len = strlen(s);
		double a;

		if (*s == '\0') {
			in->given[IMPORT_ATTENDANCE] = false;	/* keep */
		} else if (len >= sizeof num) {
			refuse(x, IMPORT_ATTENDANCE, "'%s' is not a "
			    "percentage", s);
		} else {
			memcpy(num, s, len + 1);
			if (len > 0 && num[len - 1] == '%')
				num[--len] = '\0';
			a = strtod(num, &end);
			if (len == 0 || *end != '\0' || !isfinite(a) ||
			    strpbrk(num, "xXnNiIeE") != NULL)
				refuse(x, IMPORT_ATTENDANCE, "'%s' is not a "
				    "percentage", s);
			else if (a < 0 || a > 100)
				refuse(x, IMPORT_ATTENDANCE, "%s%% is not "
				    "between 0 and 100", num);
			else
				in->p.attendance = a;
		}
	}
}

/* Which field a message from pupil_validate is about, by its words. */
static int
field_of_message(const struct rowctx *x, const char *msg)
{
	static const struct {
		const char *words;
		int f;
	} by_words[] = {
		{ "date of birth", IMPORT_DOB },
		{ "legal surname", IMPORT_LEGAL_SURNAME },
		{ "legal forename", IMPORT_LEGAL_FORENAME },
		{ "preferred surname", IMPORT_PREFERRED_SURNAME },
		{ "preferred forename", IMPORT_PREFERRED_FORENAME },
		{ "year group", IMPORT_YEAR },
		{ "gender", IMPORT_GENDER },
		{ "attendance", IMPORT_ATTENDANCE },
		{ "class", IMPORT_CLASS },
		{ "type of need", IMPORT_NEED1 },
		{ "types of need", IMPORT_NEED1 },
		{ "SEN status", IMPORT_STATUS },
		{ "UPN", IMPORT_UPN },
	};

	for (size_t i = 0; i < sizeof by_words / sizeof by_words[0]; i++)
		if (strstr(msg, by_words[i].words) != NULL) {
			int f = by_words[i].f;

			/* A need the file does not give is about the status
			 * that asks for it. */
			if (f == IMPORT_NEED1 && x->r->v[f] == NULL)
				f = IMPORT_STATUS;
			return f;
		}
	return -1;
}

/* Needs that fit a status by the census rules: the given ones, or the
 * given ones less NSA (which only goes with K). false if none fit. */
static bool
fit_needs(char status, const struct pupil *want, struct pupil *out)
{
	out->n_needs = 0;
	if (needs_check(status, (const char (*)[NEED_CODE_MAX])want->needs,
	    want->n_needs, NULL) == 0) {
		memcpy(out->needs, want->needs, sizeof out->needs);
		out->n_needs = want->n_needs;
		return true;
	}
	for (int i = 0; i < want->n_needs; i++)
		if (strcmp(want->needs[i], "NSA") != 0)
			memcpy(out->needs[out->n_needs++], want->needs[i],
			    NEED_CODE_MAX);
	return needs_check(status, (const char (*)[NEED_CODE_MAX])out->needs,
	    out->n_needs, NULL) == 0;
}

static bool
same_needs(const struct pupil *a, const struct pupil *b)
{
	if (a->n_needs != b->n_needs)
		return false;
	for (int i = 0; i < a->n_needs; i++)
		if (strcmp(a->needs[i], b->needs[i]) != 0)
			return false;
	return true;
}

static void
drop_nsa(struct pupil *p)
{
	int j = 0;

	for (int i = 0; i < p->n_needs; i++)
		if (strcmp(p->needs[i], "NSA") != 0)
			memmove(p->needs[j++], p->needs[i], NEED_CODE_MAX);
	p->n_needs = j;
}

/* The plan for one row. */
struct plan {
	enum plan_kind kind;
	struct pupil cur;	/* as stored (PLAN_UPDATE, PLAN_SAME) */
	struct pupil v;		/* as it will be */
	bool needs_write;	/* the needs change */
	struct step steps[HISTORY_MAX];	/* status changes to write */
	int n_steps;
	char *changes;		/* "year group: 7 -> 8; ..." (heap) */
};

/* --- describing changes -------------------------------------------------------- */

struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static const char *
or_none(const char *s)
{
	return s != NULL && *s != '\0' ? s : "(none)";
}

static char *
needs_text(const struct pupil *p, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < p->n_needs; i++)
		o += (size_t)snprintf(buf + o, o < n ? n - o : 0, "%s%s",
		    i ? ", " : "", p->needs[i]);
	return p->n_needs > 0 ? buf : "none";
}

static const char *
gender_text(char g)
{
	return g == 'M' ? "M" : g == 'F' ? "F" : "(unknown)";
}

static void
diff_text(struct text *t, const char *label, const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		text_add(t, "%s%s: %s -> %s", t->len ? "; " : "", label,
		    or_none(a), or_none(b));
}

/* Every difference between cur and v, or NULL if none. Caller frees. */
static char *
describe_changes(const struct plan *pl)
{
	const struct pupil *a = &pl->cur, *b = &pl->v;
	struct text t = { 0 };
	char x[64], y[64];

	diff_text(&t, "legal surname", a->legal_surname, b->legal_surname);
	diff_text(&t, "legal forename", a->legal_forename, b->legal_forename);
	diff_text(&t, "preferred surname", a->preferred_surname,
	    b->preferred_surname);
	diff_text(&t, "preferred forename", a->preferred_forename,
	    b->preferred_forename);
	if (a->dob != b->dob)
		diff_text(&t, "date of birth", date_show(a->dob, x),
		    date_show(b->dob, y));
	diff_text(&t, "year group", a->year, b->year);
	diff_text(&t, "class", a->class_name, b->class_name);
	diff_text(&t, "gender", gender_text(a->gender),
	    gender_text(b->gender));
	for (int i = 0; i < 4; i++) {
		static const unsigned bits[] = { FLAG_PP, FLAG_FSM, FLAG_CIC,
		    FLAG_EAL };
		static const int f[] = { IMPORT_PP, IMPORT_FSM, IMPORT_CIC,
		    IMPORT_EAL };

		if ((a->flags ^ b->flags) & bits[i])
			diff_text(&t, field_info[f[i]].label,
			    (a->flags & bits[i]) ? "yes" : "no",
			    (b->flags & bits[i]) ? "yes" : "no");
	}
	if (a->attendance != b->attendance) {
		if (a->attendance < 0)
			snprintf(x, sizeof x, "(unknown)");
		else
			snprintf(x, sizeof x, "%g%%", a->attendance);
		snprintf(y, sizeof y, "%g%%", b->attendance);
		diff_text(&t, "attendance", x, y);
	}
	if (a->archived && !b->archived)
		text_add(&t, "%sback on roll (left %s)", t.len ? "; " : "",
		    date_show(a->left_on, x));
	if (pl->n_steps > 0) {
		char from = a->status;

		for (int i = 0; i < pl->n_steps; i++) {
			text_add(&t, "%sSEN status: %c -> %c (from %s)",
			    t.len ? "; " : "", from, pl->steps[i].status,
			    date_show(pl->steps[i].start, x));
			from = pl->steps[i].status;
		}
	} else if (a->status != b->status)
		text_add(&t, "%sSEN status: %c -> %c", t.len ? "; " : "",
		    a->status, b->status);
	if (pl->needs_write) {
		char na[64], nb[64];

		diff_text(&t, "types of need", needs_text(a, na, sizeof na),
		    needs_text(b, nb, sizeof nb));
	}
	return t.s;
}

/* --- planning ---------------------------------------------------------------- */

/* Merge what the row gives over the stored pupil (or a new one), check the
 * result, and decide. Refusals go through x. Returns 0 or a fatal SE_
 * code (database trouble). */
static int
plan_row(struct rowctx *x, struct incoming *in, struct plan *pl,
    struct serr *e)
{
	struct importer *im = x->im;
	struct pupil *v = &pl->v, fit;
	struct serr ve;
	int rc, f;

	memset(pl, 0, sizeof *pl);
	pupil_init(&pl->cur);
	serr_clear(&ve);
	rc = SE_NOTFOUND;
	if (upn_set_find(&im->stored, in->p.upn, false, 0) != 0 &&
	    (rc = pupil_find_upn(im->db, in->p.upn, &pl->cur, &ve)) != 0 &&
	    rc != SE_NOTFOUND)
		return serr_set(e, rc, "%s", ve.msg);
	pl->kind = rc == SE_NOTFOUND ? PLAN_ADD : PLAN_UPDATE;

	if (pl->kind == PLAN_ADD) {
		pupil_init(v);
		memcpy(v->upn, in->p.upn, sizeof v->upn);
	} else {
		*v = pl->cur;
		/* A pupil in the school's list is on roll. */
		v->archived = false;
		v->left_on = SDATE_NONE;
	}
	memcpy(v->legal_surname, in->p.legal_surname, sizeof v->legal_surname);
	memcpy(v->legal_forename, in->p.legal_forename,
	    sizeof v->legal_forename);
	if (in->given[IMPORT_PREFERRED_SURNAME])
		memcpy(v->preferred_surname, in->p.preferred_surname,
		    sizeof v->preferred_surname);
	if (in->given[IMPORT_PREFERRED_FORENAME])
		memcpy(v->preferred_forename, in->p.preferred_forename,
		    sizeof v->preferred_forename);
	/* An unchanged legal name keeps a stored preferred name that the
	 * file does not repeat. */
	if (strcmp(v->preferred_surname, v->legal_surname) == 0)
		v->preferred_surname[0] = '\0';
	if (strcmp(v->preferred_forename, v->legal_forename) == 0)
		v->preferred_forename[0] = '\0';
	v->dob = in->p.dob;
	memcpy(v->year, in->p.year, sizeof v->year);
	if (in->given[IMPORT_CLASS])
		memcpy(v->class_name, in->p.class_name, sizeof v->class_name);
	if (in->given[IMPORT_GENDER])
		v->gender = in->p.gender;
	v->flags = (v->flags & ~in->flags_given) | in->p.flags;
	if (in->given[IMPORT_ATTENDANCE])
		v->attendance = in->p.attendance;

	/* The status: from the file's history, its status column, or as
	 * stored (N for a new pupil). */
	if (in->n_hist > 0) {
		int first = 0;

		if (pl->kind == PLAN_UPDATE) {
			/* Only what is newer than the stored status is
			 * news; older history is not rewritten. */
			while (first < in->n_hist &&
			    in->hist[first].start < pl->cur.status_since)
				first++;
			/* What the file shows after the stored status is the
			 * news; the stored one itself is not. */
			for (int i = in->n_hist - 1; i >= first; i--)
				if (in->hist[i].status == pl->cur.status) {
					first = i + 1;
					break;
				}
			if (first == in->n_hist &&
			    in->hist[in->n_hist - 1].status != pl->cur.status) {
				char d1[DATE_ISO_LEN], d2[DATE_ISO_LEN];

				notice(x, IMPORT_STATUS, "the file's latest SEN "
				    "status %c (from %s) is older than the "
				    "status here, %c from %s: kept",
				    in->hist[in->n_hist - 1].status,
				    date_show(in->hist[in->n_hist - 1].start,
				    d1), pl->cur.status,
				    date_show(pl->cur.status_since, d2));
			}
		}
		for (int i = first; i < in->n_hist; i++) {
			char before = pl->n_steps > 0 ?
			    pl->steps[pl->n_steps - 1].status :
			    pl->kind == PLAN_UPDATE ? pl->cur.status : 0;

			if (in->hist[i].status != before)
				pl->steps[pl->n_steps++] = in->hist[i];
		}
		if (pl->n_steps > 0) {
			v->status = pl->steps[pl->n_steps - 1].status;
			v->status_since = pl->steps[pl->n_steps - 1].start;
		}
	} else if (in->given[IMPORT_STATUS])
		v->status = in->p.status;
	else if (pl->kind == PLAN_ADD)
		v->status = 'N';
	if (pl->kind == PLAN_UPDATE && in->n_hist == 0)
		v->status_since = SDATE_NONE;	/* a change starts today */

	if (in->needs_given) {
		memcpy(v->needs, in->p.needs, sizeof v->needs);
		v->n_needs = in->p.n_needs;
	} else if (v->status == 'N')
		drop_nsa(v);		/* as pupil_update does */

	/* Each status of a history must be possible with some needs. */
	if (pl->n_steps > 0) {
		struct pupil running = pl->kind == PLAN_ADD ? *v : pl->cur;
		char d[DATE_ISO_LEN];

		for (int i = 0; i < pl->n_steps; i++) {
			char s = pl->steps[i].status;

			if ((i > 0 || pl->kind == PLAN_UPDATE) &&
			    needs_check(s, (const char (*)[NEED_CODE_MAX])
			    running.needs, running.n_needs, NULL) == 0) {
				if (s == 'N')
					drop_nsa(&running);
				continue;
			}
			if (!fit_needs(s, v, &fit)) {
				import_note(im, IMSG_REFUSED, pl->steps[i].line,
				    "%s: SEN status %c from %s needs a type of "
				    "need that fits it (K or E need one; NSA "
				    "only with K)", x->r->history_status_label ?
				    x->r->history_status_label : "SEN status",
				    s, date_show(pl->steps[i].start, d));
				x->bad = true;
				return 0;
			}
			memcpy(running.needs, fit.needs, sizeof fit.needs);
			running.n_needs = fit.n_needs;
		}
	}

	serr_clear(&ve);
	if (pupil_validate(v, &ve) != 0) {
		f = field_of_message(x, ve.msg);
		refuse(x, f, "%s", ve.msg);
		return 0;
	}
	if (pl->kind == PLAN_ADD)
		return 0;

	pl->needs_write = !same_needs(v, &pl->cur);
	pl->changes = describe_changes(pl);
	if (pl->changes == NULL)
		pl->kind = PLAN_SAME;
	return 0;
}

/* --- writing ----------------------------------------------------------------- */

/* Write the status changes of a history, then the needs the file gives. */
static int
write_steps(struct importer *im, int64_t id, const struct plan *pl,
    int from, struct serr *e)
{
	struct pupil cur, fit;
	int rc;

	for (int i = from; i < pl->n_steps; i++) {
		const struct step *s = &pl->steps[i];

		if ((rc = pupil_get(im->db, id, &cur, e)) != 0)
			return rc;
		if (needs_check(s->status, (const char (*)[NEED_CODE_MAX])
		    cur.needs, cur.n_needs, NULL) == 0) {
			if ((rc = pupil_set_status(im->db, id, s->status,
			    s->start, e)) != 0)
				return rc;
			continue;
		}
		/* The needs have to change with the status. */
		fit_needs(s->status, &pl->v, &fit);
		memcpy(cur.needs, fit.needs, sizeof cur.needs);
		cur.n_needs = fit.n_needs;
		cur.status = s->status;
		cur.status_since = s->start;
		if ((rc = pupil_update(im->db, &cur, e)) != 0)
			return rc;
	}
	if ((rc = pupil_get(im->db, id, &cur, e)) != 0)
		return rc;
	if (same_needs(&cur, &pl->v))
		return 0;
	memcpy(cur.needs, pl->v.needs, sizeof cur.needs);
	cur.n_needs = pl->v.n_needs;
	cur.status = 0;			/* leave as is */
	cur.status_since = SDATE_NONE;
	return pupil_update(im->db, &cur, e);
}

/* The next id of a run, starting it if need be. */
static int64_t
run_peek(struct importer *im, struct id_run *r)
{
	/* Below 2^62: room for any number of rows after the start. */
	if (r->next == 0)
		r->next = (db_new_id(im->db) >> 1) + 1;
	return r->next;
}

/* The next id of a run, taken. */
static int64_t
run_id(struct importer *im, struct id_run *r)
{
	run_peek(im, r);
	return r->next++;
}

/* Database trouble stops the import; a refusal of the data does not. */
static bool
fatal_code(int rc)
{
	return rc == SE_DB || rc == SE_BUSY || rc == SE_IO || rc == SE_FULL ||
	    rc == SE_READONLY || rc == SE_PERM;
}

/* A one-letter code (gender, SEN status); 0 binds NULL. */
static void
bind_letter(sqlite3_stmt *st, int i, char c)
{
	static const char letters[] = "M\0F\0N\0K\0E";
	const char *l = memchr(letters, c, sizeof letters);

	if (c == '\0')
		sqlite3_bind_null(st, i);
	else if (l != NULL)
		sqlite3_bind_text(st, i, l, 1, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, i, &c, 1, SQLITE_TRANSIENT);
}

/* New pupils on their way in (write_new()): q[], and need_of[] for the
 * need rows. */
struct new_rows {
	struct importer *im;
	const struct pending *q;
	const int *need_of;
	const char *author;
};

/* The parameters base + 1 .. of row r of each table. */
static void
bind_pupil(const struct new_rows *w, sqlite3_stmt *st, int base, int r)
{
	const struct pupil *p = &w->q[r].p;

	sqlite3_bind_int64(st, base + 1, p->id);
	sqlite3_bind_text(st, base + 2, p->upn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 3, p->legal_surname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, p->legal_forename, -1, SQLITE_STATIC);
	db_bind_text(st, base + 5, p->preferred_surname);
	db_bind_text(st, base + 6, p->preferred_forename);
	db_bind_date(st, base + 7, p->dob);
	bind_letter(st, base + 8, p->gender);
	sqlite3_bind_text(st, base + 9, p->year, -1, SQLITE_STATIC);
	db_bind_text(st, base + 10, p->class_name);
	sqlite3_bind_int(st, base + 11, (int)p->flags);
	if (p->attendance < 0)
		sqlite3_bind_null(st, base + 12);
	else
		sqlite3_bind_double(st, base + 12, p->attendance);
	sqlite3_bind_text(st, base + 13, w->im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 14, w->im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 15, w->author, -1, SQLITE_STATIC);
}

static void
bind_status(const struct new_rows *w, sqlite3_stmt *st, int base, int r)
{
	const struct pending *q = &w->q[r];

	sqlite3_bind_int64(st, base + 1, q->status_id);
	sqlite3_bind_int64(st, base + 2, q->p.id);
	bind_letter(st, base + 3, q->p.status);
	db_bind_date(st, base + 4, q->p.status_since);
	sqlite3_bind_text(st, base + 5, w->im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 6, w->im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 7, w->author, -1, SQLITE_STATIC);
}

static void
bind_need(const struct new_rows *w, sqlite3_stmt *st, int base, int r)
{
	const struct pending *q = &w->q[w->need_of[r] / PUPIL_NEEDS_MAX];
	int k = w->need_of[r] % PUPIL_NEEDS_MAX;

	sqlite3_bind_int64(st, base + 1, q->need_id + k);
	sqlite3_bind_int64(st, base + 2, q->p.id);
	sqlite3_bind_int(st, base + 3, k + 1);
	sqlite3_bind_text(st, base + 4, q->p.needs[k], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 5, w->im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 6, w->im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 7, w->author, -1, SQLITE_STATIC);
}

static void
bind_now(const struct new_rows *w, sqlite3_stmt *st, int base, int r)
{
	const struct pupil *p = &w->q[r].p;

	sqlite3_bind_int64(st, base + 1, p->id);
	sqlite3_bind_text(st, base + 2, p->upn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 3, pupil_shown_surname(p), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, pupil_shown_forename(p), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, base + 5, p->legal_surname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 6, p->legal_forename, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 7, p->year, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, base + 8, (int)p->flags);
	bind_letter(st, base + 9, p->status);
	if (p->n_needs > 0)
		sqlite3_bind_text(st, base + 10, p->needs[0], -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, base + 10);
}

/* One table's rows for write_rows(). */
struct new_table {
	const char *one, *many;	/* SQL for one row and for ROWS_MAX */
	int params;		/* per row */
	const char *what;	/* for messages */
	void (*bind)(const struct new_rows *, sqlite3_stmt *, int, int);
};

static const struct new_table new_tables[] = {
	{ SQL_ADD_PUPIL, SQL_ADD_PUPILS, ADD_PUPIL_PARAMS, "adding a pupil",
	    bind_pupil },
	{ SQL_ADD_STATUS, SQL_ADD_STATUSES, ADD_STATUS_PARAMS,
	    "saving the SEN status", bind_status },
	{ SQL_ADD_NEED, SQL_ADD_NEEDS, ADD_NEED_PARAMS, "saving types of need",
	    bind_need },
	/* with triggers off only (flush_batch()) */
	{ SQL_ADD_NOW, SQL_ADD_NOWS, ADD_NOW_PARAMS, "writing the register",
	    bind_now },
};

/*
 * Rows 0 .. n-1 of table t, ROWS_MAX to a statement. A statement that
 * fails wrote none of its rows (SQLite undoes it), so they are written
 * again one at a time to find the one refused: *bad is its row.
 */
static int
write_rows(const struct new_rows *w, const struct new_table *t, int n,
    int *bad, struct serr *e)
{
	sqlite3_stmt *st;
	int rc, k, single = 0;	/* rows left to write one at a time */

	for (int r = 0; r < n; r += k) {
		k = single == 0 && n - r >= ROWS_MAX ? ROWS_MAX : 1;
		if ((st = db_stmt(w->im->db, k > 1 ? t->many : t->one, e)) ==
		    NULL) {
			*bad = r;
			return e != NULL ? e->code : SE_DB;
		}
		for (int j = 0; j < k; j++)
			t->bind(w, st, j * t->params, r + j);
		if ((rc = db_step_done(w->im->db, st, e, t->what)) == 0) {
			if (single > 0)
				single--;
			continue;
		}
		if (k == 1 || fatal_code(rc)) {
			*bad = r;
			return rc;
		}
		single = ROWS_MAX;
		k = 0;
	}
	return 0;
}

/*
 * New pupils q[0..n-1], as pupil_add() writes each (the pupil, the open
 * status, the ranked needs), with ids from the import's runs, one after
 * another. Each has been checked by plan_row() and its UPN is new to the
 * caseload and the file (the import's transaction holds the write lock
 * since the UPNs were read). A pupil refused (pupil_validate(), or by
 * the database) stops it: *bad is that pupil, e says why. With triggers
 * off (triggers_off) it also writes their rows of pupil_now, which the
 * triggers would.
 */
static int
write_new(struct importer *im, struct pending *q, int n, bool triggers_off,
    int *bad, struct serr *e)
{
	struct new_rows w = { .im = im, .q = q, .author = db_author(im->db) };
	struct serr ve;
	int rc = 0, n_ok = n, n_need = 0, row[4];

	*bad = -1;
	if (n * PUPIL_NEEDS_MAX > im->cap_need_of) {
		im->cap_need_of = n * PUPIL_NEEDS_MAX;
		im->need_of = xreallocarray(im->need_of,
		    (size_t)im->cap_need_of, sizeof *im->need_of);
	}
	serr_clear(&ve);
	for (int i = 0; i < n; i++) {
		struct pupil *p = &q[i].p;

		if (pupil_validate(p, &ve) != 0) {
			n_ok = i;
			break;
		}
		p->id = run_id(im, &im->pupil_ids);
		q[i].status_id = run_id(im, &im->status_ids);
		q[i].need_id = run_peek(im, &im->need_ids);
		im->need_ids.next += p->n_needs;
		if (p->status_since == SDATE_NONE)
			p->status_since = im->today;
		for (int k = 0; k < p->n_needs; k++)
			im->need_of[n_need++] = i * PUPIL_NEEDS_MAX + k;
	}
	w.need_of = im->need_of;
	row[0] = row[1] = row[3] = n_ok;
	row[2] = n_need;
	for (int t = 0; t < (triggers_off ? 4 : 3); t++) {
		if ((rc = write_rows(&w, &new_tables[t], row[t], bad, e)) == 0)
			continue;
		if (t == 2)
			*bad = im->need_of[*bad] / PUPIL_NEEDS_MAX;
		return rc;
	}
	if (n_ok < n) {
		*bad = n_ok;
		return serr_set(e, ve.code, "%s", ve.msg);
	}
	return 0;
}

/* The pupil a PLAN_ADD writes first: with a history, its oldest status
 * and the needs that fit that status. */
static void
first_state(const struct plan *pl, struct pupil *p)
{
	struct pupil fit;

	*p = pl->v;
	if (pl->n_steps > 0) {
		p->status = pl->steps[0].status;
		p->status_since = pl->steps[0].start;
		fit_needs(p->status, &pl->v, &fit);
		memcpy(p->needs, fit.needs, sizeof p->needs);
		p->n_needs = fit.n_needs;
	}
}

static int
apply_plan(struct importer *im, struct plan *pl, struct serr *e)
{
	struct pupil p;
	int rc;

	if (pl->kind == PLAN_ADD) {
		struct pending q = { .msg = -1 };
		int bad;

		first_state(pl, &q.p);
		if ((rc = write_new(im, &q, 1, false, &bad, e)) != 0)
			return rc;
		return pl->n_steps > 1 ? write_steps(im, q.p.id, pl, 1, e) : 0;
	}
	p = pl->v;
	/* The plain fields first, then any history. */
	p.version = pl->cur.version;
	if (pl->n_steps > 0) {
		p.status = 0;
		p.status_since = SDATE_NONE;
		p.n_needs = -1;
	} else if (!pl->needs_write)
		p.n_needs = -1;
	if ((rc = pupil_update(im->db, &p, e)) != 0)
		return rc;
	return pl->n_steps > 0 ? write_steps(im, p.id, pl, 0, e) : 0;
}

/* A write of line's pupil failed with msg: nothing will be saved, and the
 * rows after it are only read. */
static void
spoil(struct importer *im, int line, const char *msg)
{
	im->spoilt = true;
	im->spoilt_line = line;
	snprintf(im->spoilt_msg, sizeof im->spoilt_msg, "%s", msg);
}

/* Run sql (a write) over the batch's ids lo to hi of one table. */
static int
batch_step(struct importer *im, const char *sql, int64_t lo, int64_t hi,
    const char *what, struct serr *e)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(im->db, sql, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	return db_step_done(im->db, st, e, what);
}

/*
 * Write the batch of new pupils with triggers off for this connection
 * only, then what the triggers would have written, set-based: the audit
 * rows of each table (db_audit_inserted(), the same rows the insert
 * triggers write), the pupils' entries in pupil_search_stale (what
 * pupil_search_insert does) and their statuses' counts in status_tally;
 * write_new() has written their rows of pupil_now. The batch's ids run one after another from
 * first[t] (nothing else takes ids from the runs meanwhile). Triggers are
 * on again before any other statement, on every path. A refused write
 * spoils the import as in import_row(); database trouble is returned.
 */
static int
flush_batch(struct importer *im, struct serr *e)
{
	static const char *const tables[] = { "pupil", "sen_status",
	    "pupil_need" };
	struct id_run *runs[] = { &im->pupil_ids, &im->status_ids,
	    &im->need_ids };
	int64_t first[3];
	struct serr we;
	int rc = 0, on, bad = -1;

	if (im->n_batch == 0 || im->spoilt ||
	    (!im->o.skip_bad && im->res->refused > 0))
		goto out;	/* nothing will be written */
	for (int t = 0; t < 3; t++)
		first[t] = run_peek(im, runs[t]);
	if ((rc = db_set_triggers(im->db, false, e)) != 0)
		goto out;
	serr_clear(&we);
	rc = write_new(im, im->batch, im->n_batch, true, &bad, &we);
	if ((on = db_set_triggers(im->db, true, e)) != 0) {
		rc = on;
		goto out;
	}
	if (bad >= 0) {
		struct pending *q = &im->batch[bad];

		if (fatal_code(rc)) {
			serr_set(e, rc, "%s", we.msg);
			goto out;
		}
		rc = 0;
		spoil(im, q->line, we.msg);
		im->res->added--;
		im->res->refused++;
		if (q->msg >= 0) {
			/* Its "new pupil" line becomes the refusal. */
			free(im->res->msgs[q->msg].text);
			im->res->msgs[q->msg].kind = IMSG_REFUSED;
			im->res->msgs[q->msg].text = xstrdup(we.msg);
		} else
			import_note(im, IMSG_REFUSED, q->line, "%s", we.msg);
		goto out;
	}
	for (int t = 0; t < 3 && rc == 0; t++)
		rc = db_audit_inserted(im->db, tables[t], first[t],
		    runs[t]->next - 1, e);
	if (rc != 0)
		goto out;
	if ((rc = batch_step(im, SQL_SEARCH_STALE, first[0],
	    im->pupil_ids.next - 1, "noting pupils for the search index",
	    e)) == 0)
		rc = batch_step(im, SQL_TALLY_ADD, first[1],
		    im->status_ids.next - 1, "counting the open statuses", e);
out:
	im->n_batch = 0;
	return rc;
}

/* Hold a new pupil of plan pl for the batch (written by flush_batch()).
 * Returns its place, for its message, or NULL after database trouble. */
static struct pending *
hold_new(struct importer *im, const struct plan *pl, int line, int *rc,
    struct serr *e)
{
	struct pending *q;

	if (im->n_batch == BATCH_MAX && (*rc = flush_batch(im, e)) != 0)
		return NULL;
	if (im->batch == NULL)
		im->batch = xreallocarray(NULL, BATCH_MAX, sizeof *im->batch);
	q = &im->batch[im->n_batch++];
	first_state(pl, &q->p);
	q->line = line;
	q->msg = -1;
	return q;
}

/* A one-line description of a new pupil. Caller frees. */
static char *
describe_new(const struct pupil *p)
{
	char name[2 * NAME_MAX_BYTES + 4], needs[64], *s;

	pupil_display_name(p, name, sizeof name);
	if (p->status == 'N' && p->n_needs == 0)
		xasprintf(&s, "new pupil %s %s (year %s)", p->upn, name,
		    p->year);
	else
		xasprintf(&s, "new pupil %s %s (year %s, SEN status %c, "
		    "needs %s)", p->upn, name, p->year, p->status,
		    needs_text(p, needs, sizeof needs));
	return s;
}

int
import_row(struct importer *im, const struct import_row *r, struct serr *e)
{
	struct rowctx x = { .im = im, .r = r, .bad = false };
	struct pending *held = NULL;
	struct incoming *in;
	struct plan *pl;
	struct serr we;
	char name[2 * NAME_MAX_BYTES + 4];
	int rc = 0;

	/* Both hold a few pupils' worth of fixed buffers: off the stack. */
	in = xmalloc(sizeof *in);
	pl = xmalloc(sizeof *pl);
	pl->changes = NULL;
	im->res->rows++;
	read_row(&x, in);
	if (x.bad)
		goto refused;
	if ((rc = plan_row(&x, in, pl, e)) != 0)
		goto out;
	if (x.bad)
		goto refused;
	if (pl->kind == PLAN_SAME) {
		im->res->unchanged++;
		goto out;
	}

	/* Write unless this run writes nothing in the end anyway. A new
	 * pupil with at most one status waits for the batch. */
	if (im->in_tx && !im->spoilt &&
	    (im->o.skip_bad || im->res->refused == 0)) {
		serr_clear(&we);
		if (pl->kind == PLAN_ADD && pl->n_steps <= 1) {
			if ((held = hold_new(im, pl, r->line, &rc, e)) == NULL)
				goto out;
		} else if ((rc = apply_plan(im, pl, &we)) != 0) {
			if (fatal_code(rc)) {
				serr_set(e, rc, "%s", we.msg);
				goto out;
			}
			rc = 0;
			spoil(im, r->line, we.msg);
			import_note(im, IMSG_REFUSED, r->line, "%s", we.msg);
			goto refused;
		}
	}
	if (pl->kind == PLAN_ADD) {
		im->res->added++;
		if (im->o.quiet)
			goto out;
		if (held != NULL)
			held->msg = im->res->n_msgs;
		add_msg(im->res, IMSG_ADDED, r->line, describe_new(&pl->v));
	} else if (!im->o.quiet) {
		char *text;

		pupil_display_name(&pl->v, name, sizeof name);
		xasprintf(&text, "changed %s %s: %s", pl->v.upn, name,
		    pl->changes);
		add_msg(im->res, IMSG_CHANGED, r->line, text);
	}
	if (pl->kind != PLAN_ADD)
		im->res->changed++;
	goto out;
refused:
	im->res->refused++;
out:
	free(pl->changes);
	free(pl);
	free(in);
	return rc;
}

/* --- tables (CSV) ------------------------------------------------------------ */

int
import_header(struct importer *im, char *const *names, int n, int line,
    struct serr *e)
{
	const struct config *cfg = im->o.cfg;
	int rank[IMPORT_FIELD_COUNT] = { 0 };
	char norm[128], cnorm[128];
	struct text unused = { 0 }, missing = { 0 };
	int nmissing = 0;

	for (int f = 0; f < IMPORT_FIELD_COUNT; f++) {
		im->col[f] = -1;
		free(im->label[f]);
		im->label[f] = NULL;
	}
	for (int i = 0; i < n; i++) {
		int f = -1, rk = 0;

		norm_header(names[i], norm, sizeof norm);
		if (norm[0] == '\0')
			continue;
		/* The config's mapping comes first, and beats any built-in
		 * name for the same field. */
		for (int k = 0; cfg != NULL && k < cfg->n_import_columns;
		    k++) {
			norm_header(cfg->import_columns[k].name, cnorm,
			    sizeof cnorm);
			if (strcmp(norm, cnorm) == 0) {
				f = import_field_parse(
				    cfg->import_columns[k].value);
				rk = -1;
				break;
			}
		}
		if (f == IMPORT_FIELD_IGNORE)
			continue;
		if (f < 0 && (f = import_header_field(names[i], &rk)) < 0) {
			text_add(&unused, "%s'%s'", unused.len ? ", " : "",
			    names[i]);
			continue;
		}
		if (im->col[f] >= 0 && rank[f] <= rk) {
			import_note(im, IMSG_NOTICE, line, "column '%s' not "
			    "used: '%s' gives the %s", names[i],
			    names[im->col[f]], field_info[f].label);
			continue;
		}
		if (im->col[f] >= 0)
			import_note(im, IMSG_NOTICE, line, "column '%s' not "
			    "used: '%s' gives the %s", names[im->col[f]],
			    names[i], field_info[f].label);
		im->col[f] = i;
		rank[f] = rk;
	}
	for (int f = 0; f < IMPORT_FIELD_COUNT; f++) {
		if (im->col[f] >= 0)
			im->label[f] = xstrdup(names[im->col[f]]);
		else if (field_info[f].required) {
			text_add(&missing, "%s%s", missing.len ? ", " : "",
			    field_info[f].label);
			nmissing++;
		}
	}
	if (nmissing > 0) {
		struct text head = { 0 };
		int rc;

		for (int i = 0; i < n && head.len < HEADER_QUOTE_MAX; i++)
			text_add(&head, "%s%s", i ? "," : "", names[i]);
		if (head.len >= HEADER_QUOTE_MAX)
			text_add(&head, "...");
		rc = serr_set(e, SE_INVALID, "%s:%d: no column for: %s (name "
		    "it in the config's import.columns); the header line is: "
		    "%s", im->res->file, line, missing.s,
		    head.s != NULL ? head.s : "");
		free(head.s);
		free(missing.s);
		free(unused.s);
		return rc;
	}
	if (unused.len > 0)
		import_note(im, IMSG_NOTICE, line, "column%s not used: %s",
		    strchr(unused.s, ',') != NULL ? "s" : "", unused.s);
	free(unused.s);
	im->have_header = true;
	return 0;
}

int
import_record(struct importer *im, char *const *cells, int n, int line,
    struct serr *e)
{
	struct import_row r;

	memset(&r, 0, sizeof r);
	r.line = line;
	for (int f = 0; f < IMPORT_FIELD_COUNT; f++) {
		if (im->col[f] < 0)
			continue;
		/* A short row leaves its last cells empty. */
		r.v[f] = im->col[f] < n ? cells[im->col[f]] : "";
		r.labels[f] = im->label[f];
	}
	return import_row(im, &r, e);
}

/* --- the run ----------------------------------------------------------------- */

/*
 * A larger page cache for the import (see IMPORT_CACHE_KIB), and
 * statement journals in memory: every insert fires the audit triggers,
 * so SQLite keeps a statement journal for each, and in a temporary file
 * that costs dozens of write calls per pupil.
 */
static void
set_cache(struct importer *im)
{
	sqlite3_stmt *st = db_stmt(im->db, SQL_TEMP_GET, NULL);
	char sql[64];

	im->old_temp = -1;
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		im->old_temp = sqlite3_column_int(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (im->old_temp >= 0 && im->old_temp != 2)
		db_exec(im->db, "PRAGMA temp_store = MEMORY", NULL);
	st = db_stmt(im->db, SQL_CACHE_GET, NULL);
	im->old_cache = 0;
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		im->old_cache = sqlite3_column_int(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	if (im->old_cache == 0)
		return;		/* unknown: leave it alone */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", -IMPORT_CACHE_KIB);
	db_exec(im->db, sql, NULL);
}

static void
restore_cache(struct importer *im)
{
	char sql[64];

	if (im->old_temp >= 0 && im->old_temp != 2) {
		snprintf(sql, sizeof sql, "PRAGMA temp_store = %d",
		    im->old_temp);
		db_exec(im->db, sql, NULL);
	}
	im->old_temp = -1;
	if (im->old_cache == 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", im->old_cache);
	db_exec(im->db, sql, NULL);
	im->old_cache = 0;
}

int
import_begin(struct db *db, const struct import_opts *o,
    struct import_result *res, struct importer **out, struct serr *e)
{
	struct importer *im;
	int rc;

	*out = NULL;
	im = xcalloc(1, sizeof *im);
	im->db = db;
	im->o = *o;
	im->res = res;
	im->today = date_today();
	timestamp_now(im->now);
	res->dry_run = o->dry_run;
	for (int f = 0; f < IMPORT_FIELD_COUNT; f++)
		im->col[f] = -1;
	set_cache(im);
	if (!o->dry_run) {
		im->rollback_journal = db_journal_rollback(db);
		if ((rc = db_begin(db, e)) != 0) {
			db_journal_wal(db, im->rollback_journal);
			restore_cache(im);
			free(im);
			return rc;
		}
		im->in_tx = true;
	} else {
		/* One snapshot for the whole dry run, and one lock rather
		 * than one per lookup. */
		im->in_read = db_read_begin(db);
	}
	if ((rc = load_stored(im, e)) != 0) {
		import_abort(im);
		return rc;
	}
	*out = im;
	return 0;
}

static void
importer_free(struct importer *im)
{
	db_read_end(im->db, im->in_read);
	db_journal_wal(im->db, im->rollback_journal);
	restore_cache(im);
	for (int f = 0; f < IMPORT_FIELD_COUNT; f++)
		free(im->label[f]);
	free(im->seen.v);
	free(im->stored.v);
	free(im->batch);
	free(im->need_of);
	free(im);
}

void
import_abort(struct importer *im)
{
	if (im == NULL)
		return;
	if (im->in_tx)
		db_rollback(im->db);
	im->res->written = false;
	importer_free(im);
}

int
import_end(struct importer *im, struct serr *e)
{
	struct import_result *res = im->res;
	int rc = 0;

	if (im->in_tx && (rc = flush_batch(im, e)) != 0) {
		import_abort(im);
		return rc;
	}
	if (im->spoilt) {
		rc = serr_set(e, SE_INVALID, "%s:%d: %s; nothing was written",
		    res->file, im->spoilt_line, im->spoilt_msg);
		if (im->in_tx)
			db_rollback(im->db);
	} else if (res->refused > 0 && !im->o.skip_bad) {
		rc = serr_set(e, SE_INVALID, "%s: %d pupil%s refused; nothing "
		    "%s written", res->file, res->refused,
		    res->refused == 1 ? "" : "s",
		    im->o.dry_run ? "would be" : "was");
		if (im->in_tx)
			db_rollback(im->db);
	} else if (im->in_tx) {
		if ((rc = db_commit(im->db, e)) == 0)
			res->written = res->added + res->changed > 0;
	}
	importer_free(im);
	return rc;
}
