/*
 * register.c: the SEN register as the UI and reports see it, one row per
 * pupil with the figures derived from their open cycle, its targets and
 * their current provision, read a window at a time (LIMIT/OFFSET) so that
 * a register of thousands never loads whole.
 *
 * The derived figures are computed in SQL so that sorting and paging
 * happen in the database; they must equal what derive.c computes for one
 * record (test_register.c checks this):
 *   - on track: a target (of the open cycle, without an outcome) whose
 *     latest rating, or 0, is at least derive_required_rating(): with
 *     planned = plan_end - plan_start and elapsed = today - plan_start
 *     clamped to 0..planned, (8 * elapsed + planned) / (2 * planned) in
 *     integers; a plan of no length needs 4 from its end day and 0 before;
 *   - cost: per enrolment current today, the session cost to the pupil
 *     rounded to the penny (halves up, in integers like derive.c), times
 *     sessions per week times SCHOOL_WEEKS_PER_YEAR.
 *
 * ORDER BY cannot take a bound parameter, so each sort order and direction
 * has its own SQL text, assembled at compile time from the fragments
 * below. Nothing the user types ever becomes SQL text.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "derive.h"
#include "register.h"
#include "target.h"

#define TOPUP_DEFAULT_PENCE 600000	/* £6,000 (DOMAIN.md) */

#define STR_(x) #x
#define STR(x) STR_(x)

/* Figures of one row r of req (id, cycle_id, required). The latest
 * rating is chosen exactly as target.c chooses it (same ORDER BY, so the
 * same index walk settles ratings entered in the same second alike). */
#define E_TARGETS(r) \
	"(SELECT count(*) FROM target t WHERE t.cycle_id = " r ".cycle_id" \
	" AND t.outcome IS NULL)"
#define E_ON_TRACK(r) \
	"(SELECT count(*) FROM target t WHERE t.cycle_id = " r ".cycle_id" \
	" AND t.outcome IS NULL AND coalesce((SELECT g.value FROM rating g" \
	"   WHERE g.target_id = t.id AND g.value IS NOT NULL" \
	"   ORDER BY " RATING_NEWEST_FIRST("g") \
	"   LIMIT 1), 0) >= " r ".required)"
#define E_COST(r) \
	"(SELECT coalesce(sum(CASE i.cost_basis" \
	"   WHEN 'hour' THEN (2 * i.cost_pence * n.minutes" \
	"     + 60 * max(n.group_size, 1)) / (120 * max(n.group_size, 1))" \
	"   ELSE (2 * i.cost_pence + max(n.group_size, 1))" \
	"     / (2 * max(n.group_size, 1)) END" \
	"   * n.sessions_per_week * " STR(SCHOOL_WEEKS_PER_YEAR) "), 0)" \
	" FROM enrolment n JOIN intervention i ON i.id = n.intervention_id" \
	" WHERE n.pupil_id = " r ".id AND n.ended = 0 AND n.start_date <= ?1" \
	" AND (n.end_date IS NULL OR n.end_date >= ?1))"

/*
 * Parameters shared by every statement:
 *   ?1 today (ISO)   ?2 include archived   ?3 include status N
 *   ?4 status        ?5 year group          ?6 need (any rank)
 *   ?7 text          ?8 stage (-1 any)      ?9 overdue only   ?10 flags
 * then ?11 limit and ?12 offset (window), ?11 pupil id (position).
 */
#define REG_WITH \
	"WITH base AS (SELECT p.id AS id, p.upn AS upn," \
	" coalesce(p.preferred_surname, p.legal_surname) AS surname," \
	" coalesce(p.preferred_forename, p.legal_forename) AS forename," \
	" p.year_group AS year, coalesce(s.status, 'N') AS status," \
	" (SELECT n.code FROM pupil_need n WHERE n.pupil_id = p.id" \
	"   ORDER BY n.rank LIMIT 1) AS need," \
	" p.flags AS flags, p.archived AS archived, c.id AS cycle_id," \
	" CASE c.stage WHEN 'assess' THEN 0 WHEN 'plan' THEN 1" \
	"   WHEN 'do' THEN 2 WHEN 'review' THEN 3 ELSE -1 END AS stage," \
	" c.review_date AS review_date," \
	" CAST(round(julianday(c.plan_end) - julianday(c.plan_start))" \
	"   AS INTEGER) AS planned," \
	" CAST(round(julianday(?1) - julianday(c.plan_start))" \
	"   AS INTEGER) AS elapsed" \
	" FROM pupil p" \
	" LEFT JOIN sen_status s ON s.pupil_id = p.id AND s.end_date IS NULL" \
	" LEFT JOIN cycle c ON c.pupil_id = p.id AND c.closed_on IS NULL" \
	" WHERE (?2 OR p.archived = 0)" \
	" AND (?3 OR coalesce(s.status, 'N') <> 'N')" \
	" AND (?4 IS NULL OR coalesce(s.status, 'N') = ?4)" \
	" AND (?5 IS NULL OR p.year_group = ?5)" \
	" AND (?6 IS NULL OR EXISTS (SELECT 1 FROM pupil_need n" \
	"   WHERE n.pupil_id = p.id AND n.code = ?6))" \
	" AND (?7 IS NULL" \
	"   OR instr(senco_fold(coalesce(p.preferred_forename," \
	"     p.legal_forename) || ' ' || coalesce(p.preferred_surname," \
	"     p.legal_surname)), senco_fold(?7)) > 0" \
	"   OR instr(senco_fold(p.legal_forename || ' ' || p.legal_surname)," \
	"     senco_fold(?7)) > 0" \
	"   OR instr(p.upn, upper(?7)) = 1)" \
	" AND (p.flags & ?10) = ?10)," \
	"req AS (SELECT base.*," \
	" CASE WHEN cycle_id IS NULL THEN NULL" \
	"   WHEN planned <= 0 THEN CASE WHEN elapsed >= planned" \
	"     THEN " STR(RATING_MAX) " ELSE 0 END" \
	"   ELSE (8 * max(0, min(planned, elapsed)) + planned)" \
	"     / (2 * planned) END AS required" \
	" FROM base WHERE (?8 < 0 OR stage = ?8)" \
	" AND (NOT ?9 OR coalesce(review_date < ?1, 0)))," \
	"reg AS (SELECT req.*, " E_TARGETS("req") " AS targets, " \
	E_ON_TRACK("req") " AS on_track, " E_COST("req") " AS cost" \
	" FROM req) "

/* The window's columns: the figures that need a subquery are computed
 * for the window's rows only, after paging (see WINDOW below). */
#define REG_COLS(w) \
	w ".id AS id, " w ".upn AS upn, " w ".surname AS surname, " \
	w ".forename AS forename, " w ".year AS year, " w ".status AS status, " \
	w ".need AS need, " w ".flags AS flags, " w ".archived AS archived, " \
	w ".stage AS stage, " w ".review_date AS review_date, " \
	E_TARGETS(w) " AS targets, " E_ON_TRACK(w) " AS on_track, " \
	E_COST(w) " AS cost"
/* What the paging query carries out of reg: nothing costly. */
#define PAGE_COLS "id, upn, surname, forename, year, status, need, flags," \
	" archived, stage, review_date, cycle_id, required"

/* Sort keys. A missing value (no need, no open cycle, no targets) sorts
 * last in either direction; ties go by name then id, so that paging is
 * stable. */
#define K_YEAR "CASE year WHEN 'N1' THEN -2 WHEN 'N2' THEN -1" \
	" WHEN 'R' THEN 0 WHEN 'X' THEN 15 ELSE CAST(year AS INTEGER) END"
#define K_STATUS "CASE status WHEN 'N' THEN 0 WHEN 'K' THEN 1 ELSE 2 END"
/* Census order, which groups needs by broad area. */
#define K_NEED "CASE need WHEN 'SLCN' THEN 1 WHEN 'ASD' THEN 2" \
	" WHEN 'SPLD' THEN 3 WHEN 'MLD' THEN 4 WHEN 'SLD' THEN 5" \
	" WHEN 'PMLD' THEN 6 WHEN 'SEMH' THEN 7 WHEN 'HI' THEN 8" \
	" WHEN 'VI' THEN 9 WHEN 'MSI' THEN 10 WHEN 'PD' THEN 11" \
	" WHEN 'OTH' THEN 12 WHEN 'NSA' THEN 13 END"
#define K_STAGE "CASE WHEN stage >= 0 THEN stage END"
#define K_REVIEW "review_date"
/* The share of targets on track: ascending puts those furthest behind
 * first. */
#define K_TRACK "CASE WHEN targets > 0 THEN on_track * 1.0 / targets END"
#define K_COST "cost"
#define TIE "surname COLLATE NOCASE, forename COLLATE NOCASE, id"
#define ORD(key, dir) key " " dir " NULLS LAST, " TIE

#define O_NAME_ASC TIE
#define O_NAME_DESC "surname COLLATE NOCASE DESC," \
	" forename COLLATE NOCASE DESC, id DESC"

/*
 * Page first on the cheap columns (SQLite leaves reg's costly columns out
 * unless the order needs them), then add the figures for the page's rows
 * alone and sort those again by the same order (the columns keep their
 * names, so `ord` reads the same outside).
 */
#define WINDOW(ord) REG_WITH "SELECT " REG_COLS("w") " FROM (SELECT " \
	PAGE_COLS " FROM reg ORDER BY " ord " LIMIT ?11 OFFSET ?12) w" \
	" ORDER BY " ord
#define POSITION(ord) REG_WITH "SELECT pos FROM (SELECT id," \
	" row_number() OVER (ORDER BY " ord ") - 1 AS pos FROM reg)" \
	" WHERE id = ?11"

static const char SQL_COUNT[] = REG_WITH "SELECT count(*) FROM reg";

/* [sort][descending] */
static const char *const sql_window[REGISTER_SORT_COUNT][2] = {
	[REGISTER_SORT_NAME] = { WINDOW(O_NAME_ASC), WINDOW(O_NAME_DESC) },
	[REGISTER_SORT_YEAR] = { WINDOW(ORD(K_YEAR, "ASC")),
	    WINDOW(ORD(K_YEAR, "DESC")) },
	[REGISTER_SORT_STATUS] = { WINDOW(ORD(K_STATUS, "ASC")),
	    WINDOW(ORD(K_STATUS, "DESC")) },
	[REGISTER_SORT_NEED] = { WINDOW(ORD(K_NEED, "ASC")),
	    WINDOW(ORD(K_NEED, "DESC")) },
	[REGISTER_SORT_STAGE] = { WINDOW(ORD(K_STAGE, "ASC")),
	    WINDOW(ORD(K_STAGE, "DESC")) },
	[REGISTER_SORT_REVIEW] = { WINDOW(ORD(K_REVIEW, "ASC")),
	    WINDOW(ORD(K_REVIEW, "DESC")) },
	[REGISTER_SORT_TRACK] = { WINDOW(ORD(K_TRACK, "ASC")),
	    WINDOW(ORD(K_TRACK, "DESC")) },
	[REGISTER_SORT_COST] = { WINDOW(ORD(K_COST, "ASC")),
	    WINDOW(ORD(K_COST, "DESC")) },
};
static const char *const sql_position[REGISTER_SORT_COUNT][2] = {
	[REGISTER_SORT_NAME] = { POSITION(O_NAME_ASC), POSITION(O_NAME_DESC) },
	[REGISTER_SORT_YEAR] = { POSITION(ORD(K_YEAR, "ASC")),
	    POSITION(ORD(K_YEAR, "DESC")) },
	[REGISTER_SORT_STATUS] = { POSITION(ORD(K_STATUS, "ASC")),
	    POSITION(ORD(K_STATUS, "DESC")) },
	[REGISTER_SORT_NEED] = { POSITION(ORD(K_NEED, "ASC")),
	    POSITION(ORD(K_NEED, "DESC")) },
	[REGISTER_SORT_STAGE] = { POSITION(ORD(K_STAGE, "ASC")),
	    POSITION(ORD(K_STAGE, "DESC")) },
	[REGISTER_SORT_REVIEW] = { POSITION(ORD(K_REVIEW, "ASC")),
	    POSITION(ORD(K_REVIEW, "DESC")) },
	[REGISTER_SORT_TRACK] = { POSITION(ORD(K_TRACK, "ASC")),
	    POSITION(ORD(K_TRACK, "DESC")) },
	[REGISTER_SORT_COST] = { POSITION(ORD(K_COST, "ASC")),
	    POSITION(ORD(K_COST, "DESC")) },
};

void
register_query_init(struct register_query *q)
{
	memset(q, 0, sizeof *q);
	q->stage = -1;
	q->sort = REGISTER_SORT_NAME;
	q->descending = false;
	q->today = SDATE_NONE;
	q->topup_pence = TOPUP_DEFAULT_PENCE;
}

/* The SQL of table[] for q's order; NULL for an unknown sort, which
 * prepare() then refuses. */
static const char *
sort_sql(const char *const table[REGISTER_SORT_COUNT][2],
    const struct register_query *q)
{
	if ((unsigned)q->sort >= REGISTER_SORT_COUNT)
		return NULL;
	return table[q->sort][q->descending ? 1 : 0];
}

/*
 * The statement for `sql` with the shared parameters bound from q, or NULL
 * (e filled). *today receives the day the figures are for.
 */
static sqlite3_stmt *
prepare(struct db *db, const struct register_query *q, const char *sql,
    sdate *today, struct serr *e)
{
	struct pupil_filter f;
	char text[256], status[2], iso[DATE_ISO_LEN];
	sqlite3_stmt *st;

	if ((unsigned)q->sort >= REGISTER_SORT_COUNT) {
		serr_set(e, SE_INVALID, "register: unknown sort order %d",
		    (int)q->sort);
		return NULL;
	}
	if (q->stage < -1 || q->stage >= STAGE_COUNT) {
		serr_set(e, SE_INVALID, "register: unknown stage %d", q->stage);
		return NULL;
	}
	if (q->flags & ~(unsigned)FLAG_ALL) {
		serr_set(e, SE_INVALID, "register: flags %#x: only PP, FSM, "
		    "CiC and EAL are known", q->flags);
		return NULL;
	}
	if (pupil_filter_normalise(&q->filter, &f, text, sizeof text, e) != 0)
		return NULL;
	if ((st = pupil_search_stmt(db, sql, e)) == NULL)
		return NULL;
	*today = q->today != SDATE_NONE ? q->today : date_today();
	status[0] = f.status;
	status[1] = '\0';
	sqlite3_bind_text(st, 1, date_iso(*today, iso), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, f.include_archived);
	sqlite3_bind_int(st, 3, f.include_n);
	db_bind_text(st, 4, status);
	db_bind_text(st, 5, f.year);
	db_bind_text(st, 6, f.need);
	db_bind_text(st, 7, f.text);
	sqlite3_bind_int(st, 8, q->stage);
	sqlite3_bind_int(st, 9, q->overdue_only);
	sqlite3_bind_int(st, 10, (int)q->flags);
	return st;
}

int
register_count(struct db *db, const struct register_query *q, int *n,
    struct serr *e)
{
	sqlite3_stmt *st;
	sdate today;
	int rc;

	*n = 0;
	if ((st = prepare(db, q, SQL_COUNT, &today, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "counting the register");
	return 0;
}

static void
read_row(sqlite3_stmt *st, const struct register_query *q, sdate today,
    struct register_row *r)
{
	const char *s;

	memset(r, 0, sizeof *r);
	r->pupil_id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, r->upn, sizeof r->upn);
	db_col_copy(st, 2, r->surname, sizeof r->surname);
	db_col_copy(st, 3, r->forename, sizeof r->forename);
	db_col_copy(st, 4, r->year, sizeof r->year);
	s = (const char *)sqlite3_column_text(st, 5);
	r->status = s != NULL ? *s : 'N';
	db_col_copy(st, 6, r->need, sizeof r->need);
	r->flags = (unsigned)sqlite3_column_int(st, 7);
	r->archived = sqlite3_column_int(st, 8) != 0;
	r->stage = sqlite3_column_int(st, 9);
	r->review_date = db_col_date(st, 10);
	r->overdue = r->stage >= 0 &&
	    derive_review_overdue(r->review_date, today);
	r->targets = sqlite3_column_int(st, 11);
	r->on_track = sqlite3_column_int(st, 12);
	r->cost_year_pence = sqlite3_column_int64(st, 13);
	r->over_topup = r->cost_year_pence > q->topup_pence;
}

int
register_window(struct db *db, const struct register_query *q, int offset,
    int limit, struct register_row *rows, int *got, struct serr *e)
{
	sqlite3_stmt *st;
	sdate today;
	int rc = SQLITE_DONE;

	*got = 0;
	if (limit <= 0)
		return 0;
	if (offset < 0)
		offset = 0;
	if ((st = prepare(db, q, sort_sql(sql_window, q), &today, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int(st, 11, limit);
	sqlite3_bind_int(st, 12, offset);
	while (*got < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_row(st, q, today, &rows[(*got)++]);
	if (*got == limit)
		rc = SQLITE_DONE;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*got = 0;
		return db_fail(db, rc, e, "reading the register");
	}
	return 0;
}

int
register_position(struct db *db, const struct register_query *q,
    int64_t pupil_id, int *pos, struct serr *e)
{
	sqlite3_stmt *st;
	sdate today;
	int rc;

	*pos = -1;
	if ((st = prepare(db, q, sort_sql(sql_position, q), &today, e)) ==
	    NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 11, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*pos = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return serr_set(e, SE_NOTFOUND, "register: pupil %lld is not "
		    "in this view (filtered out, or no such pupil)",
		    (long long)pupil_id);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "finding a pupil in the register");
	return 0;
}
