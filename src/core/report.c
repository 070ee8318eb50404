/*
 * report.c: the caseload's derived figures (report.h) for the dashboard,
 * the provision map and `senco report`.
 *
 * The database gives plain facts (pupils, each open cycle's targets
 * counted by latest rating, each enrolment); every rule is applied here
 * in C through derive.h, the functions the Targets pane, the CLI and the
 * register's tests use, so no figure can drift from the others. A
 * snapshot is read in a few streaming queries, each one pass over a
 * table or an index in id order, and merged in C with the register
 * sorted by id: one search per pupil or per target in SQL cost several
 * times as much at 100,000 pupils. Memory is kept small on purpose:
 * every 4 KB first touched costs a page fault (about 13 us on the test
 * machine), so 100,000 records of 264 bytes cost more than their
 * queries.
 */
/* MADV_HUGEPAGE (Linux) is outside POSIX; without it huge pages are
 * simply not asked for. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include <sqlite3.h>

#include "config.h"
#include "derive.h"
#include "ehc.h"
#include "report.h"
#include "xmalloc.h"

/* A pupil's details: names as the register shows them, preferred (if
 * not empty) else legal, chosen in C (pupil_details): coalesce(nullif())
 * in SQL for each pupil was a fifth of the pass over the pupils. */
#define PUPIL_DETAILS "SELECT p.id, p.upn, p.preferred_surname, " \
	"p.legal_surname, p.preferred_forename, p.legal_forename, " \
	"p.year_group, p.dob FROM pupil p "

/* Pupils on roll: all less those who left, both counted from an index
 * alone (a count by status would look up every pupil's status: 100,000
 * searches). K and E are counted as the register is read; the rest of
 * the roll is N (a pupil with no open status row too). */
static const char SQL_ROLL[] =
    "SELECT (SELECT count(*) FROM pupil) - "
    "(SELECT count(*) FROM pupil WHERE archived = 1)";

/*
 * The register: on roll, status K or E, with each pupil's first need,
 * open cycle and its counts of targets by latest rating (cycle_track),
 * from pupil_now (migration 7: one row a pupil, kept by triggers from
 * those tables), in id order (the table's own). One pass over it costs
 * less than the four passes over the tables' indexes it replaces, each
 * merged in C by id. Only the columns a report needs: SQLite decodes
 * every column of a result row, a tenth of the pass each. The status
 * and the pupils who left (SQL_ARCHIVED) are picked out in C: in SQL
 * they were a third of the pass.
 */
#define REGISTER_FROM " FROM pupil_now ORDER BY pupil_id"
static const char SQL_REGISTER[] =
    "SELECT pupil_id, status, need" REGISTER_FROM;
static const char SQL_REGISTER_CYCLES[] =
    "SELECT pupil_id, status, need, cycle_id, review_date" REGISTER_FROM;
static const char SQL_REGISTER_TARGETS[] =
    "SELECT pupil_id, status, need, cycle_id, review_date, plan_start, "
    "plan_end, open, r1, r2, r3, r4" REGISTER_FROM;
/* Every pupil's details in id order (the table's own order: the ORDER
 * BY costs nothing and keeps SQLite from reading a covering index in
 * name order instead), for REPORT_DETAILS; the year group alone for
 * REPORT_YEAR. */
static const char SQL_PUPIL_ROWS[] = PUPIL_DETAILS "ORDER BY p.id";
static const char SQL_PUPIL_YEARS[] =
    "SELECT p.id, p.year_group FROM pupil p ORDER BY p.id";
/* One pupil's details, for REPORT_OVER_DETAILS. */
static const char SQL_PUPIL_DETAILS[] = PUPIL_DETAILS "WHERE p.id = ?1";
/* Enrolments running on ?1 (the register's rule for current provision),
 * from the index enrolment_cost alone; their interventions' costs are
 * matched in C (a search of intervention per enrolment was a third of
 * the time). */
static const char SQL_COSTS[] =
    "SELECT n.pupil_id, n.intervention_id, n.group_size, "
    "n.sessions_per_week, n.minutes FROM enrolment n "
    "WHERE n.ended = 0 AND n.start_date <= ?1 "
    "AND (n.end_date IS NULL OR n.end_date >= ?1) ORDER BY n.pupil_id";
static const char SQL_IV_COSTS[] =
    "SELECT id, cost_basis, cost_pence FROM intervention ORDER BY id";

static const char SQL_IVS[] =
    "SELECT i.id, i.name, i.area, i.retired, i.cost_basis, i.cost_pence "
    "FROM intervention i WHERE i.retired = 0 OR EXISTS (SELECT 1 FROM "
    "enrolment n WHERE n.intervention_id = i.id) "
    "ORDER BY i.name COLLATE NOCASE, i.name";

/*
 * Every enrolment, in table order (by id: the ORDER BY costs nothing):
 * sorted by intervention and pupil in C and matched against the pupils
 * who left (few) there. Joining each row to its pupil and sorting in SQL
 * cost ten times as much.
 */
static const char SQL_IV_ENROLMENTS[] =
    "SELECT n.intervention_id, n.pupil_id, n.group_size, "
    "n.sessions_per_week, n.minutes, n.start_date, n.end_date, n.ended, "
    "n.measure_kind, n.entry_score, n.exit_score FROM enrolment n "
    "ORDER BY n.id";
/* The running enrolments' pupils and interventions, by pupil, from the
 * index enrolment_cost alone (a third of the table's pages). */
static const char SQL_RUNNING[] =
    "SELECT pupil_id, intervention_id, start_date, end_date, group_size, "
    "sessions_per_week, minutes "
    "FROM enrolment INDEXED BY enrolment_cost WHERE ended = 0 "
    "ORDER BY pupil_id";
/* The pupils who left, by id, from the index of them alone. */
static const char SQL_ARCHIVED[] =
    "SELECT id FROM pupil WHERE archived = 1 ORDER BY id";

/* Set by report_read_once: a process that reads once and exits, whose
 * peak memory matters less than its time (the UI's keeps to 4 KB
 * pages: a 2 MB page holding a 300 KB array is 2 MB resident). */
static bool huge_pages;

/*
 * No PRAGMA mmap_size: mapping the file instead of pread saves the copy
 * from the kernel's page cache, but a mapped page costs a fault on first
 * touch, and a report touches tens of MB once: the scan of rating_latest
 * at 100,000 pupils took 320-335 ms of CPU mapped against 135-200 ms
 * read (5,100 faults against 800), and a mapped file turns an I/O error
 * into SIGBUS.
 */
int
report_read_once(struct db *db, struct serr *e)
{
	/* One read transaction for the whole run (db_close ends it): the
	 * figures all come from one state of the caseload, and a statement
	 * no longer takes and drops the file's shared lock (four fcntl
	 * calls) each time it runs: 6% of the provision report, which
	 * searches thousands of pupils one by one. */
	huge_pages = true;
	return db_exec(db, "PRAGMA cache_size = -1024; BEGIN", e);
}

/* As snprintf(buf, n, "%s%d day%s", ...) (the fallback when it would
 * be cut), the digits by hand. */
char *
report_days_text(const char *before, int days, char *buf, size_t n)
{
	char digits[16], *p = digits + sizeof digits;
	unsigned u = days < 0 ? 0u - (unsigned)days : (unsigned)days;
	const char *unit = days == 1 ? " day" : " days";
	size_t a = strlen(before), b, c = strlen(unit);

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (days < 0)
		*--p = '-';
	b = (size_t)(digits + sizeof digits - p);
	if (a + b + c >= n) {
		if (n > 0)
			snprintf(buf, n, "%s%d%s", before, days, unit);
		return buf;
	}
	memcpy(buf, before, a);
	memcpy(buf + a, p, b);
	memcpy(buf + a + b, unit, c + 1);
	return buf;
}

double
report_pct(int part, int whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

/* num / den to the nearest whole number, halves up (as derive.c). */
static int64_t
div_round(int64_t num, int64_t den)
{
	if (den <= 0)
		return 0;
	if (num < 0)
		return -((-num * 2 + den) / (den * 2));
	return (num * 2 + den) / (den * 2);
}

static enum cost_basis
basis_from_word(const char *w)
{
	return w != NULL && strcmp(w, "hour") == 0 ? COST_PER_HOUR :
	    COST_PER_SESSION;
}

static enum measure_kind
measure_from_word(const char *w)
{
	if (w != NULL && strcmp(w, "age") == 0)
		return MEASURE_AGE;
	if (w != NULL && strcmp(w, "rating") == 0)
		return MEASURE_RATING;
	return MEASURE_SCORE;
}

static double
col_score(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, i);
}

/* Is an enrolment running on `today`? (ended, or outside its dates: no) */
static bool
enrolment_current(const struct enrolment *en, sdate today)
{
	return !en->ended && en->start != SDATE_NONE && en->start <= today &&
	    (en->end == SDATE_NONE || en->end >= today);
}

/* --- memory --------------------------------------------------------------- */

#define HUGE_PAGE ((size_t)2 << 20)

/*
 * Room for n zeroed items of size bytes, freed with free(): for the
 * arrays of megabytes a snapshot holds, in 2 MB pages where the system
 * gives them on request (transparent huge pages, "madvise" mode). The
 * first touch of each 4 KB page of new memory costs a fault: 25 ms for
 * 8 MB on the test machine (a fifth of a report), against 1 ms in 2 MB
 * pages. Only after report_read_once; smaller arrays, and systems
 * without, get xcalloc.
 */
void *
report_calloc(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (size != 0 && n > SIZE_MAX / size / 2)
		return xcalloc(n, size);	/* xcalloc's message */
	bytes = n * size;
	if (!huge_pages || bytes < HUGE_PAGE / 8)	/* a few faults */
		return xcalloc(n ? n : 1, size ? size : 1);
#ifdef MADV_HUGEPAGE
	{
		size_t whole = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);

		if (posix_memalign(&p, HUGE_PAGE, whole) == 0) {
			(void)madvise(p, whole, MADV_HUGEPAGE);
			memset(p, 0, bytes);	/* the rest is never read */
			return p;
		}
	}
#endif
	(void)p;
	return xcalloc(n, size);
}

/* v (of *cap items of size bytes, from report_calloc) grown to hold at
 * least n + 1 items; returns the new array (the old one is freed). */
void *
report_grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t want;
	void *w;

	if (n < *cap)
		return v;
	want = *cap ? *cap * 2 : 256;
	while (want <= n)
		want *= 2;
	w = report_calloc(want, size);
	if (v != NULL)
		memcpy(w, v, *cap * size);
	free(v);
	*cap = want;
	return w;
}

/* --- the caseload snapshot ------------------------------------------------ */

/* A key and what goes with it, for sorting by id. */
struct kv {
	uint64_t key;		/* the id with its sign bit flipped */
	uint64_t val;
};

static uint64_t
kv_key(int64_t id)
{
	return (uint64_t)id ^ UINT64_C(0x8000000000000000);
}

/*
 * Sort v[0..n) by key, least first (so by signed id), with tmp of n
 * items: a radix sort, 11 bits a pass. The ids are random 63-bit
 * numbers, so qsort's comparisons cost five to ten times as much on
 * 300,000 targets.
 */
#define KV_BITS 11
static void
kv_sort(struct kv *v, struct kv *tmp, size_t n)
{
	size_t count[1u << KV_BITS];
	struct kv *from = v, *to = tmp, *swap;
	unsigned shift;
	size_t mid = 0, i;

	/* Already in order, or two runs in order (the register comes from
	 * an index as the K pupils by id, then the E): one pass, stable. */
	for (i = 1; i < n; i++)
		if (v[i].key < v[i - 1].key) {
			if (mid != 0)
				break;
			mid = i;
		}
	if (i >= n) {
		size_t a = 0, b = mid, o = 0;

		if (mid == 0)
			return;
		while (a < mid && b < n)
			tmp[o++] = v[b].key < v[a].key ? v[b++] : v[a++];
		while (a < mid)
			tmp[o++] = v[a++];
		while (b < n)
			tmp[o++] = v[b++];
		memcpy(v, tmp, n * sizeof *v);
		return;
	}

	for (shift = 0; shift < 64; shift += KV_BITS) {
		size_t sum = 0;
		unsigned mask = (1u << KV_BITS) - 1;

		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(from[i].key >> shift) & mask]++;
		if (n > 0 && count[(from[0].key >> shift) & mask] == n)
			continue;	/* all alike in these bits */
		for (i = 0; i <= mask; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i].key >> shift) & mask]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != v)
		memcpy(v, from, n * sizeof *v);
}

/* The index in c->pupils of id, searching forward from *at (the rows of
 * a merge come by id, so *at only grows); -1 when not on the register. */
static int
merge_pupil(const struct report_caseload *c, int *at, int64_t id)
{
	while (*at < c->n && c->ids[*at] < id)
		(*at)++;
	return *at < c->n && c->ids[*at] == id ? *at : -1;
}

static int
load_roll(struct db *db, struct report_caseload *c, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ROLL, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		c->roll = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "report: counting the roll");
	return 0;
}

/* The names of a caseload, in blocks that never move (the pupils point
 * into them): one allocation per few thousand names, not one each. */
#define NAMES_BLOCK 65536

struct report_names {
	struct report_names *next;
	size_t used;
	char text[NAMES_BLOCK];
};

/* Room for n bytes in c's names; the caseload frees it. */
static char *
names_room(struct report_caseload *c, size_t n)
{
	struct report_names *b = c->names;

	if (b == NULL || NAMES_BLOCK - b->used < n) {
		b = xmalloc(sizeof *b);
		b->next = c->names;
		b->used = 0;
		c->names = b;
	}
	b->used += n;
	return b->text + b->used - n;
}

/*
 * db_col_date of column i of st, through a cache of the dates seen: a
 * caseload's 100,000 cycles share a few thousand dates, and parsing each
 * afresh was 4% of a report. date_from_iso reads at most the first
 * ISO_DATE_BYTES bytes, so they are the key (shorter text is parsed:
 * a NUL among them ends it).
 */
#define ISO_DATE_BYTES 10
#define DATE_MEMO 1024

static sdate
col_date(sqlite3_stmt *st, int i)
{
	static struct {
		char key[ISO_DATE_BYTES];
		sdate d;
		bool set;
	} memo[DATE_MEMO];
	const char *s = (const char *)sqlite3_column_text(st, i);
	unsigned h = 0;

	if (s == NULL)
		return date_from_iso(s);
	for (int k = 0; k < ISO_DATE_BYTES; k++) {
		if (s[k] == '\0')
			return date_from_iso(s);
		h = h * 31u + (unsigned char)s[k];
	}
	h %= DATE_MEMO;
	if (!memo[h].set || memcmp(memo[h].key, s, ISO_DATE_BYTES) != 0) {
		memcpy(memo[h].key, s, ISO_DATE_BYTES);
		memo[h].d = date_from_iso(s);
		memo[h].set = true;
	}
	return memo[h].d;
}

/* A text column: its bytes (NULL for NULL) and their length. */
struct col_text {
	const char *s;
	size_t n;
};

/* Column i of st, its text and length read once (each sqlite3_column_*
 * call costs about as much as copying a name). */
static struct col_text
col_text(sqlite3_stmt *st, int i)
{
	struct col_text t;

	t.s = (const char *)sqlite3_column_text(st, i);
	t.n = t.s != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return t;
}

/* Column i of st (a preferred name) if it is not empty, else column
 * i + 1 (the legal one), as coalesce(nullif(i, ''), i + 1). */
static struct col_text
name_col(sqlite3_stmt *st, int i)
{
	struct col_text t = col_text(st, i);

	return t.n > 0 ? t : col_text(st, i + 1);
}

/* upn, name, year and (status E) date of birth from PUPIL_DETAILS in st:
 * "Surname, Forename", each cut where a fixed buffer of NAME_MAX_BYTES
 * would cut it (as db_col_copy would). */
static void
pupil_details(sqlite3_stmt *st, struct report_caseload *c,
    struct report_pupil *p)
{
	struct col_text sur = name_col(st, 2), fore = name_col(st, 4);
	size_t ns = sur.n < NAME_MAX_BYTES ? sur.n : NAME_MAX_BYTES - 1;
	size_t nf = fore.n < NAME_MAX_BYTES ? fore.n : NAME_MAX_BYTES - 1;
	size_t whole = ns + nf;
	char *name = names_room(c, ns + nf + 3);

	strlcpy_utf8(p->upn, (const char *)sqlite3_column_text(st, 1),
	    sizeof p->upn);
	strlcpy_utf8(name, sur.s, ns + 1);
	ns = strlen(name);
	memcpy(name + ns, ", ", 2);
	strlcpy_utf8(name + ns + 2, fore.s, nf + 1);
	p->name = name;
	/* cut, or shortened by a NUL inside */
	p->name_cut = whole != sur.n + fore.n ||
	    ns + strlen(name + ns + 2) != whole;
	strlcpy_utf8(p->year, (const char *)sqlite3_column_text(st, 6),
	    sizeof p->year);
	/* only the EHC plans' reviews ask (status E): parsing every
	 * pupil's, a few thousand distinct dates, was 3% of a report */
	p->dob = p->status == 'E' ? col_date(st, 7) : SDATE_NONE;
}

/* The ids of the pupils who left, sorted; *out is the caller's to free
 * (also after an error). */
static int
load_archived(struct db *db, int64_t **out, size_t *n_out, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ARCHIVED, e);
	int64_t *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	*out = v;
	*n_out = n;
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "report: reading the pupils who left");
	return 0;
}

/* Distinct need codes remembered while reading (there are 13). */
#define NEEDS_SEEN 32
struct need_seen {
	char code[NEED_CODE_MAX];
	enum area area;
};

/* The broad area of need code `code`, through seen (n_seen of them, at
 * most NEEDS_SEEN): a few codes, each looked up once (need_find for
 * every pupil was 2% of a report). */
static enum area
need_area(struct need_seen *seen, int *n_seen, const char *code)
{
	const struct need_code *nc;
	enum area area;
	int k;

	for (k = 0; k < *n_seen; k++)
		if (strcmp(seen[k].code, code) == 0)
			return seen[k].area;
	nc = need_find(code);
	area = nc != NULL ? nc->area : AREA_NONE;
	if (*n_seen < NEEDS_SEEN) {
		strlcpy_utf8(seen[*n_seen].code, code, sizeof seen[0].code);
		seen[(*n_seen)++].area = area;
	}
	return area;
}

/*
 * The open cycle of p (a row of SQL_REGISTER in st): its review date
 * and, with targets, its targets without an outcome and how many of
 * them are on track today: of those whose latest rating is exactly v
 * (at least v less at least v + 1; none counts as 0), the ones for
 * which derive_on_track(v) holds in the plan period.
 */
#define TRACK_VALUES (RATING_MAX + 1)	/* 0 to 4 */
static void
register_cycle(sqlite3_stmt *st, const struct report_caseload *c,
    struct report_pupil *p, bool targets)
{
	int at_least[TRACK_VALUES + 1], v;
	sdate from, to;

	if (sqlite3_column_type(st, 3) == SQLITE_NULL)
		return;		/* no open cycle */
	p->cycle_id = sqlite3_column_int64(st, 3);
	p->review_date = col_date(st, 4);
	if (!targets)
		return;
	from = col_date(st, 5);
	to = col_date(st, 6);
	for (v = 0; v < TRACK_VALUES; v++)
		at_least[v] = sqlite3_column_int(st, 7 + v);
	at_least[TRACK_VALUES] = 0;
	p->targets = at_least[0];
	p->on_track = 0;
	for (v = 0; v < TRACK_VALUES; v++)
		if (derive_on_track(v, from, to, c->today))
			p->on_track += at_least[v] - at_least[v + 1];
}

/* The register by id, with each pupil's primary need and its area and,
 * with REPORT_CYCLES (REPORT_TARGETS), the open cycle (its targets);
 * after load_roll, which gives the most it can hold. */
static int
load_register(struct db *db, struct report_caseload *c, unsigned parts,
    struct serr *e)
{
	struct need_seen seen[NEEDS_SEEN];
	sqlite3_stmt *st;
	int64_t *left;
	size_t n_left, at = 0;
	int most = c->roll > 0 ? c->roll : 0;
	int rc, n_seen = 0;

	if ((rc = load_archived(db, &left, &n_left, e)) != 0)
		goto out;
	if ((st = db_stmt(db, (parts & REPORT_TARGETS) ? SQL_REGISTER_TARGETS :
	    (parts & REPORT_CYCLES) ? SQL_REGISTER_CYCLES : SQL_REGISTER,
	    e)) == NULL) {
		rc = e != NULL ? e->code : SE_DB;
		goto out;
	}
	/* at most the roll: made once, not grown */
	c->pupils = report_calloc((size_t)most + 1, sizeof *c->pupils);
	c->ids = report_calloc((size_t)most + 1, sizeof *c->ids);
	while (c->n < most && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct report_pupil *p = &c->pupils[c->n];
		const char *s = (const char *)sqlite3_column_text(st, 1);
		const char *need;
		int64_t id = sqlite3_column_int64(st, 0);

		if (s == NULL || (*s != 'K' && *s != 'E') || s[1] != '\0')
			continue;	/* not on the register */
		while (at < n_left && left[at] < id)
			at++;
		if (at < n_left && left[at] == id)
			continue;	/* left the roll */
		p->pupil_id = c->ids[c->n++] = id;
		p->status = *s;
		p->name = "";
		p->area = AREA_NONE;
		p->review_date = SDATE_NONE;
		if ((need = (const char *)sqlite3_column_text(st, 2)) !=
		    NULL) {
			strlcpy_utf8(p->need, need, sizeof p->need);
			p->area = need_area(seen, &n_seen, p->need);
		}
		if (parts & REPORT_CYCLES)
			register_cycle(st, c, p,
			    (parts & REPORT_TARGETS) != 0);
	}
	sqlite3_reset(st);
	/* the whole roll read: no more can follow in the same snapshot */
	if (c->n < most && rc != SQLITE_DONE) {
		rc = db_fail(db, rc, e, "report: reading the register");
		goto out;
	}
	rc = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->pupils[i].status == 'E')
			c->status_e++;
		else
			c->status_k++;
	}
	c->status_n = c->roll - c->status_k - c->status_e;
out:
	free(left);
	return rc;
}

/* The details (or the year group alone) of the pupils on the register,
 * from one pass over the pupils in id order. */
static int
load_details(struct db *db, struct report_caseload *c, bool all,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, all ? SQL_PUPIL_ROWS : SQL_PUPIL_YEARS,
	    e);
	int rc, at = 0, i;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while (at < c->n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((i = merge_pupil(c, &at, sqlite3_column_int64(st, 0))) < 0)
			continue;
		if (all)
			pupil_details(st, c, &c->pupils[i]);
		else
			db_col_copy(st, 1, c->pupils[i].year,
			    sizeof c->pupils[i].year);
	}
	sqlite3_reset(st);
	if (at < c->n && rc != SQLITE_DONE)
		return db_fail(db, rc, e, "report: reading the pupils");
	return 0;
}

/* Every intervention's cost, by id; *out is the caller's to free (also
 * after an error). */
static int
load_iv_costs(struct db *db, struct intervention **out, size_t *n_out,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IV_COSTS, e);
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct intervention *iv;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		iv = &(*out)[n++];
		memset(iv, 0, sizeof *iv);
		iv->id = sqlite3_column_int64(st, 0);
		iv->basis = basis_from_word(
		    (const char *)sqlite3_column_text(st, 1));
		iv->cost_pence = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	*n_out = n;
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "report: reading the interventions");
	return 0;
}

/* Intervention id in ivs (n of them, by id), or NULL. */
static const struct intervention *
iv_find(const struct intervention *ivs, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {	/* the first id >= */
		size_t mid = lo + (hi - lo) / 2;

		if (ivs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ivs[lo].id == id ? &ivs[lo] : NULL;
}

static int
load_costs(struct db *db, struct report_caseload *c, struct serr *e)
{
	struct intervention *ivs;
	struct report_pupil *p;
	struct enrolment en;
	sqlite3_stmt *st;
	char iso[DATE_ISO_LEN];
	size_t n_ivs;
	int rc, at = 0;

	if ((rc = load_iv_costs(db, &ivs, &n_ivs, e)) != 0)
		goto out;
	if ((st = db_stmt(db, SQL_COSTS, e)) == NULL) {
		rc = e != NULL ? e->code : SE_DB;
		goto out;
	}
	sqlite3_bind_text(st, 1, date_iso(c->today, iso), -1,
	    SQLITE_TRANSIENT);
	enrolment_init(&en);
	while (at < c->n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct intervention *iv;
		int i = merge_pupil(c, &at, sqlite3_column_int64(st, 0));

		if (i < 0)
			continue;
		if ((iv = iv_find(ivs, n_ivs, sqlite3_column_int64(st, 1))) ==
		    NULL)
			continue;	/* none: the join left it out */
		p = &c->pupils[i];
		en.group_size = sqlite3_column_int(st, 2);
		en.sessions_per_week = sqlite3_column_int(st, 3);
		en.minutes = sqlite3_column_int(st, 4);
		p->cost_year_pence += derive_enrolment_cost_year_pence(iv,
		    &en);
	}
	sqlite3_reset(st);
	rc = at == c->n || rc == SQLITE_DONE ? 0 :
	    db_fail(db, rc, e, "report: reading the provision");
out:
	free(ivs);
	return rc;
}

/* The details of the pupils over the top-up threshold. */
static int
load_over_details(struct db *db, struct report_caseload *c, struct serr *e)
{
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; i < c->n; i++) {
		struct report_pupil *p = &c->pupils[i];

		if (p->cost_year_pence <= c->topup_pence)
			continue;
		if ((st = db_stmt(db, SQL_PUPIL_DETAILS, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		sqlite3_bind_int64(st, 1, p->pupil_id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			pupil_details(st, c, p);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(db, rc, e, "report: reading a pupil");
	}
	return 0;
}

/* c is the caller's to free with report_caseload_free(), also after an
 * error (it is then empty). */
int
report_caseload_read(struct db *db, sdate today, int64_t topup_pence,
    unsigned parts, struct report_caseload *out, struct serr *e)
{
	bool began;
	int rc;

	if (parts & REPORT_TARGETS)
		parts |= REPORT_CYCLES;	/* on track counts open cycles */
	if (parts & REPORT_DETAILS)
		parts &= ~(unsigned)(REPORT_OVER_DETAILS | REPORT_YEAR);
	if (parts & REPORT_OVER_DETAILS)
		parts |= REPORT_COSTS;
	memset(out, 0, sizeof *out);
	out->today = today != SDATE_NONE ? today : date_today();
	out->topup_pence = topup_pence > 0 ? topup_pence :
	    CONFIG_DEFAULT_TOPUP_PENCE;
	/* one state of the caseload for every pass (the roll, counted
	 * first, bounds the register) */
	began = db_read_begin(db);
	if ((rc = load_roll(db, out, e)) != 0 ||
	    (rc = load_register(db, out, parts, e)) != 0 ||
	    ((parts & (REPORT_DETAILS | REPORT_YEAR)) &&
	    (rc = load_details(db, out, (parts & REPORT_DETAILS) != 0,
	    e)) != 0) ||
	    ((parts & REPORT_COSTS) && (rc = load_costs(db, out, e)) != 0) ||
	    ((parts & REPORT_OVER_DETAILS) &&
	    (rc = load_over_details(db, out, e)) != 0))
		report_caseload_free(out);
	db_read_end(db, began);
	if (rc == 0) {
		free(out->ids);
		out->ids = NULL;
	}
	return rc;
}

/* c is the caller's to free with report_caseload_free(), also after an
 * error (it is then empty). */
int
report_caseload_load(struct db *db, sdate today, int64_t topup_pence,
    struct report_caseload *out, struct serr *e)
{
	return report_caseload_read(db, today, topup_pence, REPORT_ALL, out,
	    e);
}

void
report_caseload_free(struct report_caseload *c)
{
	while (c->names != NULL) {
		struct report_names *next = c->names->next;

		free(c->names);
		c->names = next;
	}
	free(c->pupils);
	free(c->ids);
	c->pupils = NULL;
	c->ids = NULL;
	c->n = 0;
}

/* Returns how many of c's pupils are in *out (the caller frees it), or
 * -1 (and *out NULL) when a name was cut. */
int
report_ehcp_pupils(const struct report_caseload *c, struct ehcp_pupil **out)
{
	struct ehcp_pupil *v;
	int n = 0;

	*out = NULL;
	for (int i = 0; i < c->n; i++)
		n += c->pupils[i].status == 'E';
	v = xcalloc((size_t)n + 1, sizeof *v);
	n = 0;
	for (int i = 0; i < c->n; i++) {
		const struct report_pupil *p = &c->pupils[i];

		if (p->status != 'E')
			continue;
		if (p->name_cut || p->name == NULL) {
			free(v);
			return -1;
		}
		v[n].id = p->pupil_id;
		v[n].upn = p->upn;
		v[n].name = p->name;
		v[n].year = p->year;
		v[n].dob = p->dob;
		n++;
	}
	*out = v;
	return n;
}

/* --- reviews -------------------------------------------------------------- */

/* By name, then by id (the order they were found in: a stable sort's
 * order, whatever the C library's qsort). */
static int
review_name_cmp(const void *va, const void *vb)
{
	const struct report_review *a = va, *b = vb;
	int c = strcasecmp(a->pupil->name, b->pupil->name);

	if (c != 0)
		return c;
	return a->pupil < b->pupil ? -1 : a->pupil > b->pupil;
}

/* By date, then name, then id: the order of the list. */
static int
review_cmp(const void *va, const void *vb)
{
	const struct report_review *a = va, *b = vb;

	if (a->review_date != b->review_date)
		return a->review_date < b->review_date ? -1 : 1;
	return review_name_cmp(va, vb);
}

/*
 * A review among those of its day, for sorting by name: the first 8
 * bytes of the name as strcasecmp sees them (each through tolower, the
 * first the most significant), so that most comparisons are of one
 * number and not of two names met through two pointers; equal keys are
 * decided by review_name_cmp. tolower gives 0 for no byte but 0, so a
 * name that ends first is the lesser, as strcasecmp has it.
 */
struct review_key {
	uint64_t key;
	const struct report_review *r;
};

static uint64_t
name_key(const char *s)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 8 && s[i] != '\0'; i++)
		k = k << 8 | (unsigned char)tolower((unsigned char)s[i]);
	return i == 0 ? 0 : k << (8 * (8 - i));
}

static int
review_key_cmp(const void *va, const void *vb)
{
	const struct review_key *a = va, *b = vb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return review_name_cmp(a->r, b->r);
}

/*
 * v (n reviews) in the list's order: returned, perhaps moved (the old
 * array freed). By date in one stable pass (the dates span a few hundred
 * days), then each day's reviews by name: a fraction of the name
 * comparisons of one sort of them all.
 */
static struct report_review *
reviews_sorted(struct report_review *v, int n)
{
	sdate lo = v[0].review_date, hi = v[0].review_date;
	struct report_review *w;
	struct review_key *keys;
	size_t *at, span;
	int k;

	for (k = 1; k < n; k++) {
		if (v[k].review_date < lo)
			lo = v[k].review_date;
		if (v[k].review_date > hi)
			hi = v[k].review_date;
	}
	span = (size_t)((int64_t)hi - lo) + 1;
	if (span > 4 * (size_t)n + 4096) {
		/* dates strewn over centuries: one sort */
		qsort(v, (size_t)n, sizeof *v, review_cmp);
		return v;
	}
	at = xcalloc(span + 1, sizeof *at);
	w = report_calloc((size_t)n, sizeof *w);
	for (k = 0; k < n; k++)
		at[v[k].review_date - lo + 1]++;
	for (size_t d = 1; d <= span; d++)
		at[d] += at[d - 1];
	for (k = 0; k < n; k++)
		w[at[v[k].review_date - lo]++] = v[k];
	/* each day's reviews by name, through their keys, then copied
	 * back in that order from v (free again) */
	keys = report_calloc((size_t)n, sizeof *keys);
	for (k = 0; k < n; ) {
		int j = k + 1;

		while (j < n && w[j].review_date == w[k].review_date)
			j++;
		if (j - k > 1) {
			for (int i = k; i < j; i++) {
				keys[i].key = name_key(w[i].pupil->name);
				keys[i].r = &w[i];
			}
			qsort(keys + k, (size_t)(j - k), sizeof *keys,
			    review_key_cmp);
			for (int i = k; i < j; i++)
				v[i] = *keys[i].r;
			memcpy(w + k, v + k, (size_t)(j - k) * sizeof *w);
		}
		k = j;
	}
	free(keys);
	free(at);
	free(v);
	return w;
}

/* Is p's review in report_reviews (overdue, or due within the days)? */
static bool
review_in(const struct report_caseload *c, const struct report_pupil *p,
    int within_days, bool *overdue)
{
	if (p->cycle_id == 0 || p->review_date == SDATE_NONE)
		return false;
	*overdue = derive_review_overdue(p->review_date, c->today);
	return *overdue || (int64_t)p->review_date - c->today <= within_days;
}

int
report_reviews_count(const struct report_caseload *c, int within_days,
    int *n_overdue)
{
	int n = 0, over = 0;
	bool overdue;

	for (int i = 0; i < c->n; i++)
		if (review_in(c, &c->pupils[i], within_days, &overdue)) {
			n++;
			over += overdue;
		}
	if (n_overdue != NULL)
		*n_overdue = over;
	return n;
}

/* *out is the caller's to free. Returns the number of reviews. */
int
report_reviews(const struct report_caseload *c, int within_days,
    struct report_review **out, int *n_overdue)
{
	struct report_review *v = NULL;
	int n = 0, cap = 0, over = 0, i;

	for (i = 0; i < c->n; i++) {
		const struct report_pupil *p = &c->pupils[i];
		bool overdue;

		if (!review_in(c, p, within_days, &overdue))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, (size_t)cap, sizeof *v);
		}
		v[n].pupil = p;
		v[n].review_date = p->review_date;
		v[n].days = (int)(p->review_date - c->today);
		v[n].overdue = overdue;
		over += overdue;
		n++;
	}
	/* overdue dates are all before today, so date order puts them
	 * first */
	if (n > 1)
		v = reviews_sorted(v, n);
	*out = v;
	if (n_overdue != NULL)
		*n_overdue = over;
	return n;
}

/* --- on track ------------------------------------------------------------- */

bool
report_all_on_track(const struct report_pupil *p)
{
	return p->targets > 0 && p->on_track == p->targets;
}

bool
report_half_on_track(const struct report_pupil *p)
{
	return p->targets > 0 && 2 * p->on_track >= p->targets;
}

void
report_on_track(const struct report_caseload *c,
    bool (*keep)(const struct report_pupil *p, void *ctx), void *ctx,
    struct report_track *out)
{
	int i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < c->n; i++) {
		const struct report_pupil *p = &c->pupils[i];

		if (p->cycle_id == 0 || (keep != NULL && !keep(p, ctx)))
			continue;
		out->with_cycle++;
		if (p->targets == 0) {
			out->no_targets++;
			continue;
		}
		out->pupils++;
		out->all += report_all_on_track(p);
		out->half += report_half_on_track(p);
	}
	out->pct_all = report_pct(out->all, out->pupils);
	out->pct_half = report_pct(out->half, out->pupils);
	/* compared in whole counts: 7 of 10 is 70% exactly, never 69.999 */
	out->all_met = out->pupils > 0 &&
	    100 * out->all >= REPORT_ALL_CRITERION_PCT * out->pupils;
	out->half_met = out->pupils > 0 &&
	    100 * out->half >= REPORT_HALF_CRITERION_PCT * out->pupils;
}

/* --- counts --------------------------------------------------------------- */

void
report_counts(const struct report_caseload *c, struct report_counts *out)
{
	int i, k;

	/* The codes as stored, each matched against need_codes[] once: a
	 * caseload has a dozen of them and 100,000 pupils. */
	char seen[NEED_CODE_COUNT + 1][NEED_CODE_MAX];
	int index[NEED_CODE_COUNT + 1], n_seen = 0, j;

	memset(out, 0, sizeof *out);
	for (i = 0; i < c->n; i++) {
		const struct report_pupil *p = &c->pupils[i];

		out->pupils++;
		out->by_area[p->area]++;
		if (p->need[0] == '\0') {
			out->no_need++;
			continue;
		}
		for (j = 0; j < n_seen; j++)
			if (strcmp(seen[j], p->need) == 0)
				break;
		if (j == n_seen) {
			for (k = 0; k < NEED_CODE_COUNT; k++)
				if (strcmp(need_codes[k].code, p->need) == 0)
					break;
			if (k == NEED_CODE_COUNT)
				continue;	/* not a code: counted nowhere */
			if (n_seen <= NEED_CODE_COUNT) {
				memcpy(seen[n_seen], p->need, NEED_CODE_MAX);
				index[n_seen++] = k;
			}
			out->by_need[k]++;
			continue;
		}
		out->by_need[index[j]]++;
	}
}

/* --- over the top-up threshold -------------------------------------------- */

static int
cost_cmp(const void *va, const void *vb)
{
	const struct report_pupil *a = *(const struct report_pupil *const *)va;
	const struct report_pupil *b = *(const struct report_pupil *const *)vb;

	if (a->cost_year_pence != b->cost_year_pence)
		return a->cost_year_pence > b->cost_year_pence ? -1 : 1;
	return strcasecmp(a->name, b->name);
}

/* *out is the caller's to free. */
int
report_over_topup(const struct report_caseload *c,
    const struct report_pupil ***out)
{
	const struct report_pupil **v = NULL;
	int n = 0, i;

	for (i = 0; i < c->n; i++)
		if (c->pupils[i].cost_year_pence > c->topup_pence) {
			v = xreallocarray(v, (size_t)n + 1, sizeof *v);
			v[n++] = &c->pupils[i];
		}
	if (n > 1)
		qsort(v, (size_t)n, sizeof *v, cost_cmp);
	*out = v;
	return n;
}

/* --- the provision map ---------------------------------------------------- */

/* ivs by id, for finding an enrolment's intervention. */
struct iv_key {
	int64_t id;
	int index;
};

static int
key_cmp(const void *va, const void *vb)
{
	int64_t a = ((const struct iv_key *)va)->id;
	int64_t b = ((const struct iv_key *)vb)->id;

	return a < b ? -1 : a > b;
}

static int
int64_cmp(const void *va, const void *vb)
{
	int64_t a = *(const int64_t *)va, b = *(const int64_t *)vb;

	return a < b ? -1 : a > b;
}

static int
load_ivs(struct db *db, struct report_provision *p, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IVS, e);
	int rc, cap = 0;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct report_iv *v;

		if (p->n == cap) {
			cap = cap ? cap * 2 : 16;
			p->ivs = xreallocarray(p->ivs, (size_t)cap,
			    sizeof *p->ivs);
		}
		v = &p->ivs[p->n++];
		memset(v, 0, sizeof *v);
		v->id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, v->name, sizeof v->name);
		if (area_parse((const char *)sqlite3_column_text(st, 2),
		    &v->area, NULL) != 0)
			v->area = AREA_NONE;
		v->retired = sqlite3_column_int(st, 3) != 0;
		v->basis = basis_from_word(
		    (const char *)sqlite3_column_text(st, 4));
		v->cost_pence = sqlite3_column_int64(st, 5);
		v->mean_impact = NAN;
		v->mean_ratio_gain = NAN;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "report: reading the interventions");
	return 0;
}

/*
 * One enrolment that adds to a sum whose value depends on the order of
 * adding (floating point): a running one its sessions and hours a week,
 * a finished one its impact and ratio gain (an enrolment is one or the
 * other: a finished one never runs). Counts and costs, whose order does
 * not matter, are added as the rows are read, and only these 32 bytes a
 * row are kept for sorting (a whole row of 80 bytes, read back in sorted
 * order, missed the processor's cache on nearly every row).
 */
struct iv_row {
	int64_t pupil_id;
	double a, b;		/* sessions and hours, or impact and ratio
				 * gain (NAN: none) */
	int64_t reg_cost;	/* its cost to a pupil on the register
				 * (report_provision_read), 0 none */
	int rank;		/* the intervention's place in id order */
	bool current;
	bool sums;		/* adds to the sums (else reg_cost alone) */
};

/* A row's sums and counts that do not depend on order; *w is filled
 * with what does, and false returned when nothing does. */
static bool
add_counts(struct report_iv *v, const struct enrolment *en, bool archived,
    sdate today, struct iv_row *w)
{
	if (en->ended) {
		v->finished++;
		w->current = false;
		w->a = derive_impact(en);
		w->b = derive_ratio_gain(en);
		v->n_impact += !isnan(w->a);
		v->n_ratio += !isnan(w->b);
		return !isnan(w->a) || !isnan(w->b);
	}
	if (archived || !enrolment_current(en, today))
		return false;
	{
		struct intervention iv;
		double g = en->group_size < 1 ? 1 : en->group_size;

		memset(&iv, 0, sizeof iv);
		iv.basis = v->basis;
		iv.cost_pence = v->cost_pence;
		v->enrolments++;
		v->cost_year_pence += derive_enrolment_cost_year_pence(&iv,
		    en);
		w->current = true;
		w->a = en->sessions_per_week / g;
		w->b = en->sessions_per_week * en->minutes / g / 60.0;
	}
	return true;
}

/* Sums kept while the sorted rows stream past. */
struct iv_acc {
	double impact_sum, ratio_sum;
	int64_t last_pupil;	/* distinct pupils: rows come by pupil */
};

/* A row's sums that depend on order, added in the order the sums were
 * made in when SQL sorted the rows: by intervention, pupil, then id. */
static void
add_sums(struct report_iv *v, struct iv_acc *acc, const struct iv_row *w)
{
	if (!w->current) {
		if (!isnan(w->a))
			acc->impact_sum += w->a;
		if (!isnan(w->b))
			acc->ratio_sum += w->b;
		return;
	}
	if (acc->last_pupil != w->pupil_id)
		v->pupils++;
	acc->last_pupil = w->pupil_id;
	v->sessions_week += w->a;
	v->hours_week += w->b;
}

/* The index in keys (by id) of intervention id, or -1. */
static int
iv_rank(const struct iv_key *keys, int n, int64_t id)
{
	struct iv_key k = { id, 0 };
	const struct iv_key *hit = bsearch(&k, keys, (size_t)n, sizeof k,
	    key_cmp);

	return hit != NULL ? (int)(hit - keys) : -1;
}

/*
 * The cost of a running enrolment to a pupil on the register, by
 * load_costs' rule (SQL_COSTS): not ended, and its dates compared as
 * text with today's (as SQL compares them), whatever they parse as.
 */
static bool
running_as_text(const char *start, const char *end, const char *today)
{
	return start != NULL && strcmp(start, today) <= 0 &&
	    (end == NULL || strcmp(end, today) >= 0);
}

static int64_t
reg_cost(const struct report_iv *v, const struct enrolment *en,
    const char *start, const char *end, const char *today)
{
	struct intervention iv;

	if (en->ended || !running_as_text(start, end, today))
		return 0;
	memset(&iv, 0, sizeof iv);
	iv.basis = v->basis;
	iv.cost_pence = v->cost_pence;
	return derive_enrolment_cost_year_pence(&iv, en);
}

/* Each enrolment's share of the provision map, and with c (not NULL)
 * the costs of c's pupils (REPORT_COSTS) from the same rows. */
static int
load_enrolments(struct db *db, struct report_provision *p,
    struct report_caseload *c, struct serr *e)
{
	char iso[DATE_ISO_LEN];
	sqlite3_stmt *st;
	struct iv_acc *acc = xcalloc((size_t)p->n + 1, sizeof *acc);
	struct iv_key *keys = xcalloc((size_t)p->n + 1, sizeof *keys);
	struct iv_row *rows = NULL;
	struct kv *order = NULL;
	int64_t *gone = NULL;
	size_t n_rows = 0, cap = 0, n_gone = 0, r;
	struct enrolment en;
	int rc, i;

	for (i = 0; i < p->n; i++) {
		keys[i].id = p->ivs[i].id;
		keys[i].index = i;
	}
	qsort(keys, (size_t)p->n, sizeof *keys, key_cmp);
	if ((rc = load_archived(db, &gone, &n_gone, e)) != 0)
		goto out;
	if ((st = db_stmt(db, SQL_IV_ENROLMENTS, e)) == NULL) {
		rc = e != NULL ? e->code : SE_DB;
		goto out;
	}
	date_iso(c != NULL ? c->today : p->today, iso);
	enrolment_init(&en);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int k = iv_rank(keys, p->n, sqlite3_column_int64(st, 0));
		const char *start, *end;
		struct iv_row *w;
		bool archived;

		if (k < 0)
			continue;
		rows = report_grow(rows, &cap, n_rows, sizeof *rows);
		w = &rows[n_rows];
		en.pupil_id = sqlite3_column_int64(st, 1);
		en.group_size = sqlite3_column_int(st, 2);
		en.sessions_per_week = sqlite3_column_int(st, 3);
		en.minutes = sqlite3_column_int(st, 4);
		start = (const char *)sqlite3_column_text(st, 5);
		end = (const char *)sqlite3_column_text(st, 6);
		en.start = date_from_iso(start);
		en.end = date_from_iso(end);
		en.ended = sqlite3_column_int(st, 7) != 0;
		en.measure_kind = measure_from_word(
		    (const char *)sqlite3_column_text(st, 8));
		en.entry = col_score(st, 9);
		en.exit = col_score(st, 10);
		archived = n_gone > 0 && bsearch(&en.pupil_id, gone, n_gone,
		    sizeof *gone, int64_cmp) != NULL;
		w->pupil_id = en.pupil_id;
		w->rank = k;
		w->current = false;
		w->sums = add_counts(&p->ivs[keys[k].index], &en, archived,
		    p->today, w);
		w->reg_cost = c != NULL ? reg_cost(&p->ivs[keys[k].index],
		    &en, start, end, iso) : 0;
		if (w->sums || w->reg_cost != 0)
			n_rows++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, rc, e, "report: reading the enrolments");
		goto out;
	}
	/*
	 * Rows by intervention, then pupil, then id: they come by id, and
	 * two stable radix sorts follow, by pupil and by the intervention's
	 * rank (a few bits: one pass). Between the two the running ones
	 * come by pupil, to count the pupils in any provision.
	 */
	order = report_calloc(2 * n_rows + 1, sizeof *order);
	for (r = 0; r < n_rows; r++) {
		order[r].key = kv_key(rows[r].pupil_id);
		order[r].val = r;
	}
	kv_sort(order, order + n_rows, n_rows);
	{
		bool any = false;
		uint64_t last = 0;
		int at = 0;

		for (r = 0; r < n_rows; r++) {
			const struct iv_row *w = &rows[order[r].val];

			/* by pupil here, as the register is */
			if (c != NULL && w->reg_cost != 0) {
				while (at < c->n &&
				    c->pupils[at].pupil_id < w->pupil_id)
					at++;
				if (at < c->n &&
				    c->pupils[at].pupil_id == w->pupil_id)
					c->pupils[at].cost_year_pence +=
					    w->reg_cost;
			}
			if (!w->current)
				continue;
			if (!any || order[r].key != last)
				p->pupils++;
			any = true;
			last = order[r].key;
		}
	}
	for (r = 0; r < n_rows; r++)
		order[r].key = (uint64_t)rows[order[r].val].rank;
	kv_sort(order, order + n_rows, n_rows);
	for (r = 0; r < n_rows; r++) {
		const struct iv_row *w = &rows[order[r].val];
		int k = keys[w->rank].index;

#ifdef __GNUC__
		/* the rows are read in random order: ask for one ahead */
		if (r + 8 < n_rows)
			__builtin_prefetch(&rows[order[r + 8].val]);
#endif
		if (w->sums)
			add_sums(&p->ivs[k], &acc[k], w);
	}
	for (i = 0; i < p->n; i++) {
		struct report_iv *v = &p->ivs[i];

		if (v->n_impact > 0)
			v->mean_impact = acc[i].impact_sum / v->n_impact;
		if (v->n_ratio > 0)
			v->mean_ratio_gain = acc[i].ratio_sum / v->n_ratio;
		v->cost_pupil_pence = div_round(v->cost_year_pence, v->pupils);
		p->cost_year_pence += v->cost_year_pence;
	}
	rc = 0;
out:
	free(order);
	free(gone);
	free(rows);
	free(keys);
	free(acc);
	return rc;
}

int
report_provision_pupils(struct db *db, sdate today,
    struct report_caseload *c, int *out, struct serr *e)
{
	struct intervention *ivs = NULL;
	int64_t *gone = NULL, last = 0;
	size_t n_ivs, n_gone;
	struct enrolment en;
	sqlite3_stmt *st;
	char iso[DATE_ISO_LEN];
	bool any = false;
	int rc, at = 0;

	*out = 0;
	if (today == SDATE_NONE)
		today = date_today();
	date_iso(c != NULL ? c->today : today, iso);
	if ((rc = load_iv_costs(db, &ivs, &n_ivs, e)) != 0 ||
	    (rc = load_archived(db, &gone, &n_gone, e)) != 0)
		goto out;
	if ((st = db_stmt(db, SQL_RUNNING, e)) == NULL) {
		rc = e != NULL ? e->code : SE_DB;
		goto out;
	}
	enrolment_init(&en);	/* ended = 0: the rows read */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const struct intervention *iv = iv_find(ivs, n_ivs,
		    sqlite3_column_int64(st, 1));
		const char *start = (const char *)sqlite3_column_text(st, 2);
		const char *end = (const char *)sqlite3_column_text(st, 3);

		if (iv == NULL)
			continue;	/* as report_provision_load */
		/* the register's cost, by load_costs' rule (rows by pupil,
		 * as the register is) */
		if (c != NULL && running_as_text(start, end, iso)) {
			while (at < c->n && c->pupils[at].pupil_id < id)
				at++;
			if (at < c->n && c->pupils[at].pupil_id == id) {
				en.group_size = sqlite3_column_int(st, 4);
				en.sessions_per_week = sqlite3_column_int(st, 5);
				en.minutes = sqlite3_column_int(st, 6);
				c->pupils[at].cost_year_pence +=
				    derive_enrolment_cost_year_pence(iv, &en);
			}
		}
		if (any && id == last)
			continue;	/* counted */
		en.start = date_from_iso(start);
		en.end = date_from_iso(end);
		if (!enrolment_current(&en, today) || (n_gone > 0 &&
		    bsearch(&id, gone, n_gone, sizeof *gone, int64_cmp) != NULL))
			continue;	/* as report_provision_load */
		(*out)++;
		any = true;
		last = id;
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 :
	    db_fail(db, rc, e, "report: reading the provision");
out:
	free(gone);
	free(ivs);
	return rc;
}

/* p is the caller's to free with report_provision_free(), also after an
 * error. */
int
report_provision_read(struct db *db, sdate today, struct report_caseload *c,
    struct report_provision *out, struct serr *e)
{
	int rc;

	memset(out, 0, sizeof *out);
	out->today = today != SDATE_NONE ? today : date_today();
	if ((rc = load_ivs(db, out, e)) != 0 ||
	    (rc = load_enrolments(db, out, c, e)) != 0 ||
	    (c != NULL && (rc = load_over_details(db, c, e)) != 0)) {
		report_provision_free(out);
		return rc;
	}
	return 0;
}

int
report_provision_load(struct db *db, sdate today,
    struct report_provision *out, struct serr *e)
{
	return report_provision_read(db, today, NULL, out, e);
}

void
report_provision_free(struct report_provision *p)
{
	free(p->ivs);
	p->ivs = NULL;
	p->n = 0;
}

/* --- one group ------------------------------------------------------------ */

struct group_acc {
	struct enrolment *v;
	int n;
};

static int
collect_enrolment(void *ctx, const struct enrolment *en)
{
	struct group_acc *g = ctx;

	g->v = xreallocarray(g->v, (size_t)g->n + 1, sizeof *g->v);
	g->v[g->n++] = *en;
	return 0;
}

int
report_group(struct db *db, int64_t intervention_id, sdate today,
    report_member_cb cb, void *ctx, struct serr *e)
{
	struct group_acc g = { NULL, 0 };
	struct intervention iv;
	int rc, i;

	if (today == SDATE_NONE)
		today = date_today();
	intervention_init(&iv);
	if ((rc = intervention_get(db, intervention_id, &iv, e)) != 0)
		goto out;
	/* read the list first: the callback may use the database */
	if ((rc = enrolment_list_intervention(db, intervention_id,
	    collect_enrolment, &g, e)) != 0)
		goto out;
	for (i = 0; i < g.n; i++) {
		struct report_member m;
		struct pupil p;

		memset(&m, 0, sizeof m);
		m.en = g.v[i];
		if ((rc = pupil_get(db, m.en.pupil_id, &p, e)) != 0)
			goto out;
		pupil_display_name(&p, m.name, sizeof m.name);
		memcpy(m.upn, p.upn, sizeof m.upn);
		m.archived = p.archived;
		m.current = !m.archived && enrolment_current(&m.en, today);
		m.cost_year_pence = m.current ?
		    derive_enrolment_cost_year_pence(&iv, &m.en) : 0;
		m.impact = derive_impact(&m.en);
		m.ratio_gain = derive_ratio_gain(&m.en);
		if ((rc = cb(ctx, &m)) != 0)
			goto out;
	}
	rc = 0;
out:
	free(g.v);
	intervention_free(&iv);
	return rc;
}
