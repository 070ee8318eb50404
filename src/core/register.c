/*
 * register.c: the SEN register as the UI and reports see it, one row per
 * pupil with the figures derived from their open cycle, its targets and
 * their current provision, read a window at a time so that a register of
 * 100,000 never loads whole.
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
 * Paging (issue 6): register_page() starts a window just after (or
 * before) the sort key of a row already read, never at an offset, so
 * SQLite reads only the page's rows where an index gives the order: the
 * name order walks the index pupil_now_name, which holds every column a
 * row takes (migration 9), so a page reads a leaf or two of it and no
 * other page, at 1,000 pupils as at 100,000. The figures that need
 * subqueries are computed after paging, for the page's rows alone.
 * Searching by name or UPN goes through a trigram index (pupil_search,
 * schema.c) once the text has three characters: the names (shown or
 * legal) containing it, or the UPN starting with it, as FTS5 folds case;
 * shorter text reads the names themselves (instr on senco_fold()), which
 * agrees but for a few letters folded differently (FTS5's Unicode tables
 * fold a little more, e.g. a dotted capital I).
 *
 * ORDER BY cannot take a bound parameter, so each sort order, direction
 * and way in has its own SQL text, assembled at compile time from the
 * fragments below. Nothing the user types ever becomes SQL text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "derive.h"
#include "register.h"
#include "schema.h"
#include "target.h"
#include "xmalloc.h"

#define TOPUP_DEFAULT_PENCE 600000	/* £6,000 (DOMAIN.md) */
/* Below this many characters a search reads the names themselves: the
 * trigram index knows only runs of three. */
#define SEARCH_INDEX_MIN 3

/* Figures of one row r of req (required, and the open cycle's row of
 * cycle_track as pupil_now holds it: t_open, t1 .. t4): the open
 * targets of its cycle and how many of them have a latest rating of at
 * least the one required (migration 6; kept by triggers, the latest
 * rating chosen as target.c chooses it). A cycle without a row has no
 * open targets; required is 0 to RATING_MAX. */
#define E_TARGETS(r) "coalesce(" r ".t_open, 0)"
#define E_ON_TRACK(r) \
	"coalesce(CASE " r ".required WHEN 0 THEN " r ".t_open" \
	" WHEN 1 THEN " r ".t1 WHEN 2 THEN " r ".t2 WHEN 3 THEN " r ".t3" \
	" ELSE " r ".t4 END, 0)"
/* The cost a year of a pupil's provision current on ?1: with every
 * enrolment not ended current that day (pupil_now's cost_from to
 * cost_until, migration 9) their cost kept in pupil_now; else (one not
 * yet started or past its end) the enrolments themselves. */
#define E_COST_RUNNING(r) \
	"(SELECT coalesce(sum(" SCHEMA_ENROLMENT_COST("n", "i") "), 0)" \
	" FROM enrolment n JOIN intervention i ON i.id = n.intervention_id" \
	" WHERE n.pupil_id = " r ".id AND n.ended = 0 AND n.start_date <= ?1" \
	" AND (n.end_date IS NULL OR n.end_date >= ?1))"
#define E_COST(r) \
	"CASE WHEN " r ".cost_n = 0 THEN 0" \
	" WHEN " r ".cost_from <= ?1 AND (" r ".cost_until IS NULL" \
	"   OR " r ".cost_until >= ?1) THEN " r ".cost_all" \
	" ELSE " E_COST_RUNNING(r) " END"

/* Where the pupils come from: all of them, or the candidates the search
 * index gives for ?16 (a MATCH expression made by fts_query()), whose
 * rowids are the pupils' ranks in the name order (migration 10). CROSS
 * JOIN keeps the index on the outside, so a search reads its matches
 * only, and in the order of their rank. */
#define FROM_ALL " FROM pupil_now s"
#define FROM_FTS " FROM pupil_search(?16) f" \
	" CROSS JOIN pupil_search_rank k ON k.rank = f.rowid" \
	" CROSS JOIN pupil_now s ON s.pupil_id = k.pupil_id"

/*
 * Parameters shared by every statement:
 *   ?1 today (ISO)   ?2 include archived   ?3 include status N
 *   ?4 status        ?5 year group          ?6 need (any rank)
 *   ?7 text          ?8 stage (-1 any)      ?9 overdue only   ?10 flags
 * then ?11 limit and ?12 offset (window), ?11 pupil id (position), ?11
 * limit and ?12-?15 the anchor's key, surname, forename and id (page);
 * ?16 the search index's MATCH expression (FROM_FTS).
 */
/* The open cycle's columns, from the pupil's row of pupil_now (s). */
#define CYCLE_STAGE(x) "CASE " x " WHEN 'assess' THEN 0 WHEN 'plan' THEN 1" \
	" WHEN 'do' THEN 2 WHEN 'review' THEN 3 ELSE -1 END"
#define CYCLE_PLANNED(c) "CAST(round(julianday(" c ".plan_end)" \
	" - julianday(" c ".plan_start)) AS INTEGER)"
#define CYCLE_ELAPSED(c) "CAST(round(julianday(?1)" \
	" - julianday(" c ".plan_start)) AS INTEGER)"

/*
 * The rows: every column from the pupil's row of pupil_now (migration 9:
 * the pupil's shown and searched columns, status, first need, open cycle
 * and its on-track figures, provision still running, kept by triggers),
 * which the name order reads from pupil_now_name alone.
 */
#define REG_WITH(from) REG_WITH_RANK(from, "")
/* With the rank of the search index's row (FROM_FTS) as srank. */
#define REG_WITH_RANK(from, rank) \
	"WITH base AS NOT MATERIALIZED (SELECT s.pupil_id AS id" rank "," \
	" s.upn AS upn, s.surname AS surname, s.forename AS forename," \
	" s.year_group AS year, coalesce(s.status, 'N') AS status," \
	" s.need AS need, s.flags AS flags, s.archived AS archived," \
	" s.cycle_id AS cycle_id, " CYCLE_STAGE("s.stage") " AS stage," \
	" s.review_date AS review_date, " CYCLE_PLANNED("s") " AS planned, " \
	CYCLE_ELAPSED("s") " AS elapsed, s.open AS t_open, s.r1 AS t1," \
	" s.r2 AS t2, s.r3 AS t3, s.r4 AS t4, s.cost_n AS cost_n," \
	" s.cost_all AS cost_all, s.cost_from AS cost_from," \
	" s.cost_until AS cost_until" \
	from \
	" WHERE (?2 OR s.archived = 0)" \
	" AND (?3 OR coalesce(s.status, 'N') <> 'N')" \
	" AND (?4 IS NULL OR coalesce(s.status, 'N') = ?4)" \
	" AND (?5 IS NULL OR s.year_group = ?5)" \
	" AND (?6 IS NULL OR EXISTS (SELECT 1 FROM pupil_need n" \
	"   WHERE n.pupil_id = s.pupil_id AND n.code = ?6))" \
	" AND (?7 IS NULL" \
	"   OR instr(senco_fold(s.forename || ' ' || s.surname)," \
	"     senco_fold(?7)) > 0" \
	"   OR instr(senco_fold(s.legal_forename || ' ' || s.legal_surname)," \
	"     senco_fold(?7)) > 0" \
	"   OR instr(s.upn, upper(?7)) = 1)" \
	" AND (s.flags & ?10) = ?10)," \
	"req AS NOT MATERIALIZED (SELECT base.*," \
	" CASE WHEN cycle_id IS NULL THEN NULL" \
	"   WHEN planned <= 0 THEN CASE WHEN elapsed >= planned" \
	"     THEN " SCHEMA_STR(RATING_MAX) " ELSE 0 END" \
	"   ELSE (8 * max(0, min(planned, elapsed)) + planned)" \
	"     / (2 * planned) END AS required" \
	" FROM base WHERE (?8 < 0 OR stage = ?8)" \
	" AND (NOT ?9 OR coalesce(review_date < ?1, 0)))," \
	"reg AS NOT MATERIALIZED (SELECT req.*, " E_TARGETS("req") \
	" AS targets, " \
	E_ON_TRACK("req") " AS on_track, " E_COST("req") " AS cost" \
	" FROM req) "

/* The window's columns: the figures that need a subquery are computed
 * for the window's rows only, after paging. The sort key comes last. */
#define REG_COLS(w) \
	w ".id AS id, " w ".upn AS upn, " w ".surname AS surname, " \
	w ".forename AS forename, " w ".year AS year, " w ".status AS status, " \
	w ".need AS need, " w ".flags AS flags, " w ".archived AS archived, " \
	w ".stage AS stage, " w ".review_date AS review_date, " \
	E_TARGETS(w) " AS targets, " E_ON_TRACK(w) " AS on_track, " \
	E_COST(w) " AS cost, " w ".k AS k"
/* What the paging query carries out of reg: nothing costly. */
#define PAGE_COLS "id, upn, surname, forename, year, status, need, flags," \
	" archived, stage, review_date, cycle_id, required, t_open, t1, t2," \
	" t3, t4, cost_n, cost_all, cost_from, cost_until"

/* Sort keys. A missing value (no need, no open cycle, no targets) sorts
 * last in either direction; ties go by name then id, so that paging is
 * stable. */
#define K_NAME "NULL"
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
#define RTIE "surname COLLATE NOCASE DESC, forename COLLATE NOCASE DESC," \
	" id DESC"
/* The order, and the same walked backwards (for the rows before). */
#define ORD(key, dir) "(" key ") " dir " NULLS LAST, " TIE
#define RORD(key, rdir) "(" key ") " rdir " NULLS FIRST, " RTIE

/*
 * The keyset: the rows after (or before) an anchor with key ?12 and name
 * ?13, ?14, id ?15. Missing keys sort last, so a NULL anchor key means the
 * anchor is among them. FIRST and LAST bind anchors outside every value
 * (SQLite orders NULL < numbers < text < blobs): see bind_anchor().
 */
/* No COLLATE: the names are NOCASE in pupil_now (migration 9), and
 * SQLite seeks its index by a row value only as written so. */
#define TUPLE "(surname, forename, id)"
#define ANCHOR "(?13, ?14, ?15)"
#define AFTER(key, gt) \
	"(CASE WHEN ?12 IS NULL THEN (" key ") IS NULL AND " TUPLE " > " ANCHOR \
	" ELSE (" key ") IS NULL OR (" key ") " gt " ?12" \
	" OR ((" key ") = ?12 AND " TUPLE " > " ANCHOR ") END)"
#define BEFORE(key, lt) \
	"(CASE WHEN ?12 IS NULL THEN (" key ") IS NOT NULL" \
	" OR " TUPLE " < " ANCHOR \
	" ELSE (" key ") " lt " ?12" \
	" OR ((" key ") = ?12 AND " TUPLE " < " ANCHOR ") END)"
/* By name the tuple seeks the index (by surname and forename; equal
 * names are few). */
#define N_AFTER_ASC TUPLE " > " ANCHOR
#define N_BEFORE_ASC TUPLE " < " ANCHOR
#define N_AFTER_DESC N_BEFORE_ASC
#define N_BEFORE_DESC N_AFTER_ASC

/* A page: the keyset and order inside, then the figures and the order
 * forwards outside. */
#define PAGE(from, key, pred, inner, outer) REG_WITH(from) \
	"SELECT " REG_COLS("w") " FROM (SELECT " PAGE_COLS ", " key " AS k" \
	" FROM reg WHERE " pred " ORDER BY " inner " LIMIT ?11) w" \
	" ORDER BY " outer

/* The four statements of a sort: after and before, both directions. */
#define PAGES(from, key) { \
	{ PAGE(from, key, AFTER(key, ">"), ORD(key, "ASC"), \
	    ORD(key, "ASC")), \
	  PAGE(from, key, BEFORE(key, "<"), RORD(key, "DESC"), \
	    ORD(key, "ASC")) }, \
	{ PAGE(from, key, AFTER(key, "<"), ORD(key, "DESC"), \
	    ORD(key, "DESC")), \
	  PAGE(from, key, BEFORE(key, ">"), RORD(key, "ASC"), \
	    ORD(key, "DESC")) } }
#define NAME_PAGES(from) { \
	{ PAGE(from, K_NAME, N_AFTER_ASC, TIE, TIE), \
	  PAGE(from, K_NAME, N_BEFORE_ASC, RTIE, TIE) }, \
	{ PAGE(from, K_NAME, N_AFTER_DESC, RTIE, RTIE), \
	  PAGE(from, K_NAME, N_BEFORE_DESC, TIE, RTIE) } }
#define ALL_PAGES(from) { \
	[REGISTER_SORT_NAME] = NAME_PAGES(from), \
	[REGISTER_SORT_YEAR] = PAGES(from, K_YEAR), \
	[REGISTER_SORT_STATUS] = PAGES(from, K_STATUS), \
	[REGISTER_SORT_NEED] = PAGES(from, K_NEED), \
	[REGISTER_SORT_STAGE] = PAGES(from, K_STAGE), \
	[REGISTER_SORT_REVIEW] = PAGES(from, K_REVIEW), \
	[REGISTER_SORT_TRACK] = PAGES(from, K_TRACK), \
	[REGISTER_SORT_COST] = PAGES(from, K_COST) }

/* [search index][sort][descending][before] */
static const char *const sql_page[2][REGISTER_SORT_COUNT][2][2] = {
	ALL_PAGES(FROM_ALL),
	ALL_PAGES(FROM_FTS),
};

/* The first row and how many rows there are (a search as it is typed:
 * "match 1 of 40"). Not count(*) OVER (): a window stops SQLite from
 * folding the CTEs into the query, and then it computes every column of
 * reg, subqueries and all, for every match. */
#define FIRST(from, key, ord) REG_WITH(from) "SELECT " REG_COLS("w") \
	", (SELECT count(*) FROM reg) AS n FROM (SELECT " PAGE_COLS ", " key \
	" AS k FROM reg ORDER BY " ord " LIMIT 1) w"
#define FIRSTS(from, key) { FIRST(from, key, ORD(key, "ASC")), \
	FIRST(from, key, ORD(key, "DESC")) }
/*
 * By name it takes a single pass: count(*) and min() (or max()) of the
 * order as one string, with SQLite's rule that the other columns of such
 * an aggregate come from the row holding the minimum. lower() folds
 * ASCII as NOCASE does; char(1) sorts below every letter, so the string
 * orders as the (surname, forename, id) it joins; the id is zero-padded.
 */
#define NAME_ORDER "lower(surname) || char(1) || lower(forename) ||" \
	" char(1) || substr('000000000000000000' || id, -19)"
#define FIRST_NAME(from, fn) REG_WITH(from) "SELECT " REG_COLS("w") \
	", w.n FROM (SELECT " PAGE_COLS ", " K_NAME " AS k, count(*) AS n, " \
	fn "(" NAME_ORDER ") AS m FROM reg) w WHERE w.n > 0"
#define ALL_FIRSTS(from) { \
	[REGISTER_SORT_NAME] = { FIRST_NAME(from, "min"), \
	    FIRST_NAME(from, "max") }, \
	[REGISTER_SORT_YEAR] = FIRSTS(from, K_YEAR), \
	[REGISTER_SORT_STATUS] = FIRSTS(from, K_STATUS), \
	[REGISTER_SORT_NEED] = FIRSTS(from, K_NEED), \
	[REGISTER_SORT_STAGE] = FIRSTS(from, K_STAGE), \
	[REGISTER_SORT_REVIEW] = FIRSTS(from, K_REVIEW), \
	[REGISTER_SORT_TRACK] = FIRSTS(from, K_TRACK), \
	[REGISTER_SORT_COST] = FIRSTS(from, K_COST) }

/* [search index][sort][descending] */
static const char *const sql_first[2][REGISTER_SORT_COUNT][2] = {
	ALL_FIRSTS(FROM_ALL),
	ALL_FIRSTS(FROM_FTS),
};

/*
 * By offset: page first on the cheap columns (SQLite leaves reg's costly
 * columns out unless the order needs them), then add the figures for the
 * page's rows alone and sort those again by the same order (the columns
 * keep their names, so `ord` reads the same outside).
 */
#define WINDOW(key, ord) REG_WITH(FROM_ALL) "SELECT " REG_COLS("w") \
	" FROM (SELECT " PAGE_COLS ", " key " AS k FROM reg ORDER BY " ord \
	" LIMIT ?11 OFFSET ?12) w ORDER BY " ord
#define POSITION(ord) REG_WITH(FROM_ALL) "SELECT pos FROM (SELECT id," \
	" row_number() OVER (ORDER BY " ord ") - 1 AS pos FROM reg)" \
	" WHERE id = ?11"

/*
 * A search as it is typed (register_search_step): the match after (or
 * before) rank ?11 in the name order, which the search index gives in
 * the order of its rowids and SQLite reads no further than the first
 * that the query shows; and one pupil's row of a query, found by id.
 */
#define RANKED(cmp, dir) REG_WITH_RANK(FROM_FTS, ", f.rowid AS srank") \
	"SELECT id FROM reg WHERE srank " cmp " ?11" \
	" ORDER BY srank " dir " LIMIT 1"
static const char *const sql_ranked[2] = {
	RANKED(">", "ASC"), RANKED("<", "DESC"),
};
static const char SQL_ROW_OF[] = REG_WITH(FROM_ALL) "SELECT " REG_COLS("w")
    " FROM (SELECT " PAGE_COLS ", " K_NAME " AS k FROM reg WHERE id = ?11) w";

/* [search index] */
static const char *const sql_count[2] = {
	REG_WITH(FROM_ALL) "SELECT count(*) FROM reg",
	REG_WITH(FROM_FTS) "SELECT count(*) FROM reg",
};
static const char *const sql_count_max[2] = {
	REG_WITH(FROM_ALL) "SELECT count(*) FROM (SELECT 1 FROM reg"
	    " LIMIT ?11)",
	REG_WITH(FROM_FTS) "SELECT count(*) FROM (SELECT 1 FROM reg"
	    " LIMIT ?11)",
};

/*
 * The register unfiltered counts by status from indexes alone (a count
 * of 100,000 rows that joins each to its status takes far longer): the
 * pupils, the archived ones, the open statuses K and E (kept in
 * status_tally, migration 8), and those of archived pupils (through the
 * index of archived pupils: the few who have left).
 */
static const char SQL_TOTALS[] =
    "SELECT (SELECT count(*) FROM pupil),"
    " (SELECT count(*) FROM pupil WHERE archived = 1),"
    " (SELECT n FROM status_tally WHERE status = 'K'),"
    " (SELECT n FROM status_tally WHERE status = 'E'),"
    " (SELECT count(*) FROM pupil p CROSS JOIN sen_status s"
    "   ON s.pupil_id = p.id AND s.end_date IS NULL"
    "   WHERE p.archived = 1 AND s.status = 'K'),"
    " (SELECT count(*) FROM pupil p CROSS JOIN sen_status s"
    "   ON s.pupil_id = p.id AND s.end_date IS NULL"
    "   WHERE p.archived = 1 AND s.status = 'E')";
/* The title's figures alone (register_totals): SQL_TOTALS without the
 * count of every pupil, which reads a whole index of 100,000 names and
 * on a fresh start cost more than the rest of the first screen. */
static const char SQL_TOTALS_KE[] =
    "SELECT (SELECT n FROM status_tally WHERE status = 'K'),"
    " (SELECT n FROM status_tally WHERE status = 'E'),"
    " (SELECT count(*) FROM pupil p CROSS JOIN sen_status s"
    "   ON s.pupil_id = p.id AND s.end_date IS NULL"
    "   WHERE p.archived = 1 AND s.status = 'K'),"
    " (SELECT count(*) FROM pupil p CROSS JOIN sen_status s"
    "   ON s.pupil_id = p.id AND s.end_date IS NULL"
    "   WHERE p.archived = 1 AND s.status = 'E')";

/*
 * The search index (schema.c, migrations 3 and 10; SEARCH_DOC and
 * SCHEMA_RANK_FILL in schema.h): the pupils written since it was brought
 * up to date are in pupil_search_stale. Made again whole, or each stale
 * pupil taken out and put back at their place in the name order: the
 * middle of the gap between the ranks of the pupils before and after
 * them (pupil_now_name walked from the pupil's name; another stale pupil
 * has no rank yet, and is passed).
 */
static const char SQL_REINDEX_CLEAR[] = "DELETE FROM pupil_search";
static const char SQL_RANK_CLEAR[] = "DELETE FROM pupil_search_rank";
static const char SQL_RANK_FILL[] = SCHEMA_RANK_FILL;
static const char SQL_REINDEX_FILL[] = SCHEMA_SEARCH_FILL;
static const char SQL_REINDEX_OPTIMIZE[] = SCHEMA_SEARCH_OPTIMIZE;
static const char SQL_STALE_ANY[] =
    "SELECT EXISTS (SELECT 1 FROM pupil_search_stale)";
static const char SQL_STALE_COUNT[] =
    "SELECT count(*) FROM pupil_search_stale";
static const char SQL_STALE_DROP[] =
    "DELETE FROM pupil_search WHERE rowid IN (SELECT rank FROM"
    " pupil_search_rank WHERE pupil_id IN"
    " (SELECT pupil_id FROM pupil_search_stale))";
static const char SQL_STALE_UNRANK[] =
    "DELETE FROM pupil_search_rank WHERE pupil_id IN"
    " (SELECT pupil_id FROM pupil_search_stale)";
static const char SQL_STALE_LIST[] =
    "SELECT s.pupil_id, s.surname, s.forename FROM pupil_search_stale t"
    " CROSS JOIN pupil_now s ON s.pupil_id = t.pupil_id"
    " ORDER BY s.surname, s.forename, s.pupil_id";
/* The rank of the nearest ranked pupil to the place of the names and id
 * ?1-?3 in the name order (pupil_now_name walked from it): before or
 * after it (a stale pupil's neighbours), or at or before, at or after (a
 * row a search steps on from, register_search_step()). */
#define RANK_NEAR(cmp, dir) \
	"SELECT k.rank FROM pupil_now s CROSS JOIN pupil_search_rank k" \
	" ON k.pupil_id = s.pupil_id" \
	" WHERE (s.surname, s.forename, s.pupil_id) " cmp " (?1, ?2, ?3)" \
	" ORDER BY s.surname " dir ", s.forename " dir ", s.pupil_id " dir \
	" LIMIT 1"
static const char SQL_RANK_BEFORE[] = RANK_NEAR("<", "DESC");
static const char SQL_RANK_AFTER[] = RANK_NEAR(">", "ASC");
static const char SQL_RANK_UPTO[] = RANK_NEAR("<=", "DESC");
static const char SQL_RANK_FROM[] = RANK_NEAR(">=", "ASC");
static const char SQL_RANK_COUNT[] = "SELECT count(*) FROM pupil_search_rank";
static const char SQL_RANK_ADD[] =
    "INSERT INTO pupil_search_rank (rank, pupil_id) VALUES (?1, ?2)";
static const char SQL_SEARCH_ADD[] =
    "INSERT INTO pupil_search (rowid, name, upn) SELECT ?1, "
    SEARCH_DOC("pupil") ", upn FROM pupil WHERE id = ?2";
static const char SQL_STALE_CLEAR[] = "DELETE FROM pupil_search_stale";
/* The register's on-track figures (cycle_track, migration 6), remade. */
static const char SQL_TRACK_CLEAR[] = "DELETE FROM cycle_track";
static const char SQL_TRACK_FILL[] = SCHEMA_TRACK_FILL;
/* The cycles whose row of cycle_track is not what the tables give: a
 * wrong or missing row (a row of no open targets may stay), or a row of
 * a cycle that has gone. */
static const char SQL_TRACK_WRONG[] =
    "SELECT count(*) FROM (SELECT cycle_id FROM (SELECT cycle_id, open, r1,"
    "   r2, r3, r4 FROM cycle_track WHERE open > 0 EXCEPT "
    SCHEMA_TRACK_ROWS ")"
    " UNION SELECT cycle_id FROM (" SCHEMA_TRACK_ROWS " EXCEPT SELECT"
    "   cycle_id, open, r1, r2, r3, r4 FROM cycle_track)"
    " UNION SELECT cycle_id FROM cycle_track k WHERE NOT EXISTS"
    "   (SELECT 1 FROM cycle c WHERE c.id = k.cycle_id))";

/* The count of each open status (status_tally, migration 8), remade;
 * the statuses whose count is not what sen_status gives. */
static const char SQL_TALLY_CLEAR[] = "DELETE FROM status_tally";
static const char SQL_TALLY_FILL[] = SCHEMA_TALLY_FILL;
static const char SQL_TALLY_WRONG[] =
    "SELECT count(*) FROM (SELECT status FROM (" SCHEMA_TALLY_ROWS
    "   EXCEPT SELECT status, n FROM status_tally)"
    " UNION SELECT status FROM (SELECT status, n FROM status_tally EXCEPT "
    SCHEMA_TALLY_ROWS "))";

/* The pupils whose row of the search index is wrong (see
 * register_search_check()), and the rows and ranks of no pupil. */
#define SEARCH_FRESH "s.pupil_id NOT IN (SELECT pupil_id FROM" \
	" pupil_search_stale)"
static const char SQL_SEARCH_WRONG[] =
    "SELECT (SELECT count(*) FROM (SELECT k.rank AS rank, lag(k.rank)"
    "   OVER (ORDER BY s.surname, s.forename, s.pupil_id) AS prev"
    "   FROM pupil_now s LEFT JOIN pupil_search_rank k"
    "   ON k.pupil_id = s.pupil_id WHERE " SEARCH_FRESH ")"
    "   WHERE rank IS NULL OR rank <= prev)"
    " + (SELECT count(*) FROM pupil_now s"
    "   JOIN pupil_search_rank k ON k.pupil_id = s.pupil_id"
    "   JOIN pupil p ON p.id = s.pupil_id"
    "   LEFT JOIN pupil_search f ON f.rowid = k.rank WHERE " SEARCH_FRESH
    "   AND (f.name IS NOT " SEARCH_DOC("p") " OR f.upn IS NOT p.upn))"
    " + (SELECT count(*) FROM pupil_search_rank k WHERE NOT EXISTS"
    "   (SELECT 1 FROM pupil p WHERE p.id = k.pupil_id))"
    " + (SELECT count(*) FROM pupil_search f WHERE NOT EXISTS"
    "   (SELECT 1 FROM pupil_search_rank k WHERE k.rank = f.rowid))";

/* Each pupil's row of pupil_now (migration 7), remade. */
static const char SQL_NOW_CLEAR[] = "DELETE FROM pupil_now";
static const char SQL_NOW_FILL[] = SCHEMA_NOW_FILL("1");
/* The pupils whose row of pupil_now is not what the tables give: wrong,
 * missing, or left by a pupil who has gone. */
static const char SQL_NOW_WRONG[] =
    "SELECT count(*) FROM (SELECT pupil_id FROM (SELECT " SCHEMA_NOW_EXACT
    "   FROM pupil_now EXCEPT " SCHEMA_NOW_ROWS("1") ")"
    " UNION SELECT id FROM (" SCHEMA_NOW_ROWS("1") " EXCEPT SELECT "
    SCHEMA_NOW_EXACT " FROM pupil_now))";

/* [sort][descending] */
static const char *const sql_window[REGISTER_SORT_COUNT][2] = {
	[REGISTER_SORT_NAME] = { WINDOW(K_NAME, TIE), WINDOW(K_NAME, RTIE) },
	[REGISTER_SORT_YEAR] = { WINDOW(K_YEAR, ORD(K_YEAR, "ASC")),
	    WINDOW(K_YEAR, ORD(K_YEAR, "DESC")) },
	[REGISTER_SORT_STATUS] = { WINDOW(K_STATUS, ORD(K_STATUS, "ASC")),
	    WINDOW(K_STATUS, ORD(K_STATUS, "DESC")) },
	[REGISTER_SORT_NEED] = { WINDOW(K_NEED, ORD(K_NEED, "ASC")),
	    WINDOW(K_NEED, ORD(K_NEED, "DESC")) },
	[REGISTER_SORT_STAGE] = { WINDOW(K_STAGE, ORD(K_STAGE, "ASC")),
	    WINDOW(K_STAGE, ORD(K_STAGE, "DESC")) },
	[REGISTER_SORT_REVIEW] = { WINDOW(K_REVIEW, ORD(K_REVIEW, "ASC")),
	    WINDOW(K_REVIEW, ORD(K_REVIEW, "DESC")) },
	[REGISTER_SORT_TRACK] = { WINDOW(K_TRACK, ORD(K_TRACK, "ASC")),
	    WINDOW(K_TRACK, ORD(K_TRACK, "DESC")) },
	[REGISTER_SORT_COST] = { WINDOW(K_COST, ORD(K_COST, "ASC")),
	    WINDOW(K_COST, ORD(K_COST, "DESC")) },
};
static const char *const sql_position[REGISTER_SORT_COUNT][2] = {
	[REGISTER_SORT_NAME] = { POSITION(TIE), POSITION(RTIE) },
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

/* Characters (not bytes) in UTF-8 text. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * The search index's MATCH expression for text: the names (shown and
 * legal) containing it, or a UPN starting with it, as FTS5 phrases (a
 * double quote doubled) so that nothing typed is an operator. Returns
 * false when the index cannot help (fewer than three characters, or too
 * long for buf).
 */
static bool
fts_query(const char *text, char *buf, size_t n)
{
	char phrase[3 * 256];
	size_t o = 0;

	if (text == NULL || utf8_chars(text) < SEARCH_INDEX_MIN)
		return false;
	phrase[o++] = '"';
	for (const char *s = text; *s != '\0'; s++) {
		if (o + 3 >= sizeof phrase)
			return false;
		if (*s == '"')
			phrase[o++] = '"';
		phrase[o++] = *s;
	}
	phrase[o++] = '"';
	phrase[o] = '\0';
	return (size_t)snprintf(buf, n, "name : %s OR upn : ^ %s", phrase,
	    phrase) < n;
}

/* Run the statements sql[] (NULL ended), in a transaction already open. */
static int
run_all(struct db *db, const char *const *sql, struct serr *e)
{
	sqlite3_stmt *st;
	int ret;

	for (; *sql != NULL; sql++) {
		if ((st = db_stmt(db, *sql, e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		if ((ret = db_step_done(db, st, e, "search index")) != 0)
			return ret;
	}
	return 0;
}

/* Run the statements sql[] (NULL ended) in one transaction. */
static int
write_all(struct db *db, const char *const *sql, struct serr *e)
{
	int ret;

	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = run_all(db, sql, e)) != 0) {
		db_rollback(db);
		return ret;
	}
	return db_commit(db, e);
}

/* More stale pupils than one in SEARCH_REFRESH_SHARE of the roll and the
 * search index is made again whole: a pupil put back alone costs four
 * lookups (about 40 us), the whole roll one pass (about 20 us a pupil). */
#define SEARCH_REFRESH_SHARE 4

/* The search index made again, ranks and all, the stale pupils in it. */
static const char *const sql_search_remake[] = {
	SQL_REINDEX_CLEAR, SQL_RANK_CLEAR, SQL_RANK_FILL, SQL_REINDEX_FILL,
	SQL_REINDEX_OPTIMIZE, SQL_STALE_CLEAR, NULL,
};

/* A stale pupil, by their place in the name order. */
struct stale {
	int64_t id;
	char *surname, *forename;
	int64_t hi;		/* the rank of the next ranked pupil */
};

/* The count sql gives into *n; what for, in the message. */
static int
count_of(struct db *db, const char *sql, int *n, const char *what,
    struct serr *e)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = db_stmt(db, sql, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, rc, e, what);
	}
	*n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* The stale pupils in the name order into *list (of *n, the caller
 * frees them with free_stale()). */
static int
read_stale(struct db *db, struct stale **list, int *n, struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STALE_LIST, e);
	int rc, cap = 0;

	*list = NULL;
	*n = 0;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap > 0 ? 2 * cap : 16;
			*list = xreallocarray(*list, (size_t)cap,
			    sizeof **list);
		}
		(*list)[*n].id = sqlite3_column_int64(st, 0);
		(*list)[*n].surname = xstrdup(
		    (const char *)sqlite3_column_text(st, 1));
		(*list)[(*n)++].forename = xstrdup(
		    (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, rc, e, "search index");
}

static void
free_stale(struct stale *list, int n)
{
	for (int i = 0; i < n; i++) {
		free(list[i].surname);
		free(list[i].forename);
	}
	free(list);
}

/* The rank of the nearest ranked pupil before (SQL_RANK_BEFORE, or at:
 * SQL_RANK_UPTO) or after (SQL_RANK_AFTER, SQL_RANK_FROM) the place of
 * the names and id in the name order into *rank; *found false if none. */
static int
rank_near(struct db *db, const char *sql, const char *surname,
    const char *forename, int64_t id, int64_t *rank, bool *found,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	int rc;

	*found = false;
	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	db_bind_text(st, 1, surname);
	db_bind_text(st, 2, forename);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rank = sqlite3_column_int64(st, 0);
		*found = true;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, rc, e, "search index");
}

/* p's row of the search index (and of pupil_search_rank) at rank. */
static int
rank_add(struct db *db, const struct stale *p, int64_t rank,
    struct serr *e)
{
	const char *const sql[] = { SQL_RANK_ADD, SQL_SEARCH_ADD };
	sqlite3_stmt *st;
	int ret;

	for (int i = 0; i < 2; i++) {
		if ((st = db_stmt(db, sql[i], e)) == NULL)
			return e != NULL ? e->code : SE_DB;
		sqlite3_bind_int64(st, 1, rank);
		sqlite3_bind_int64(st, 2, p->id);
		if ((ret = db_step_done(db, st, e, "search index")) != 0)
			return ret;
	}
	return 0;
}

/* The rank of the ranked pupil after each stale pupil (the index
 * without them) into list[i].hi, INT64_MAX where there is none: the
 * stale pupils with the same one share a gap. */
static int
stale_gaps(struct db *db, struct stale *list, int n, struct serr *e)
{
	bool found;
	int ret;

	for (int i = 0; i < n; i++) {
		struct stale *p = &list[i];

		if ((ret = rank_near(db, SQL_RANK_AFTER, p->surname,
		    p->forename, p->id, &p->hi, &found, e)) != 0)
			return ret;
		if (!found)
			p->hi = INT64_MAX;
	}
	return 0;
}

/*
 * Each stale pupil out of the index and back in at their place, in a
 * transaction already open. The stale pupils between the same two
 * neighbours share their gap evenly (an import of names in a row, or
 * after the last); *room false (and the index half done, to be made
 * again whole) when a gap is too narrow, after some thirty pupils put
 * one at a time between the same two.
 */
static int
refresh_each(struct db *db, bool *room, struct serr *e)
{
	static const char *const drop[] = {
		SQL_STALE_DROP, SQL_STALE_UNRANK, NULL,
	};
	const int64_t step = INT64_C(1) << 32;
	struct stale *list;
	int64_t lo, width;
	int n, ret, k;
	bool below;

	*room = true;
	if ((ret = read_stale(db, &list, &n, e)) != 0 ||
	    (ret = run_all(db, drop, e)) != 0 ||
	    (ret = stale_gaps(db, list, n, e)) != 0)
		goto out;
	for (int i = 0; i < n; i += k) {
		/* the run of stale pupils in this gap, and the rank before
		 * its first (the runs before it end below their own next) */
		for (k = 1; i + k < n && list[i + k].hi == list[i].hi; k++)
			;
		if ((ret = rank_near(db, SQL_RANK_BEFORE, list[i].surname,
		    list[i].forename, list[i].id, &lo, &below, e)) != 0)
			goto out;
		if (!below)
			lo = 0;
		if (list[i].hi == INT64_MAX)
			width = lo <= INT64_MAX - (k + 1) * step ?
			    (k + 1) * step : 0;
		else
			width = list[i].hi - lo;
		if (width / (k + 1) < 1) {
			*room = false;
			break;
		}
		for (int j = 0; j < k && ret == 0; j++)
			ret = rank_add(db, &list[i + j],
			    lo + width / (k + 1) * (j + 1), e);
		if (ret != 0)
			goto out;
	}
	if (*room)
		ret = run_all(db, (const char *const[]){ SQL_STALE_CLEAR,
		    NULL }, e);
out:
	free_stale(list, n);
	return ret;
}

/*
 * The search index brought up to date with the pupils added, renamed or
 * removed since (pupil_search_stale), in one transaction: one at a time,
 * or the index made again whole when they are many or a gap between
 * ranks is used up.
 */
int
register_search_refresh(struct db *db, struct serr *e)
{
	int n, all, ret;
	bool room = false;

	if ((ret = db_begin(db, e)) != 0)
		return ret;
	if ((ret = count_of(db, SQL_STALE_COUNT, &n, "search index", e)) ==
	    0 && n > 0 && (ret = count_of(db, SQL_RANK_COUNT, &all,
	    "search index", e)) == 0) {
		if (n <= all / SEARCH_REFRESH_SHARE &&
		    (ret = refresh_each(db, &room, e)) != 0 &&
		    !sqlite3_get_autocommit(db_handle(db))) {
			/* ranks that clash (a file changed behind senco's
			 * back), the transaction still open: made again
			 * whole, which mends them */
			serr_clear(e);
			ret = 0;
			room = false;
		}
		if (ret == 0 && !room)
			ret = run_all(db, sql_search_remake, e);
	}
	if (ret != 0) {
		db_rollback(db);
		return ret;
	}
	return db_commit(db, e);
}

static bool
search_index_ready(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, SQL_STALE_ANY, NULL);
	bool stale;

	if (st == NULL)
		return false;
	stale = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (!stale)
		return true;
	if (db_readonly(db))
		return false;
	return register_search_refresh(db, NULL) == 0;
}

/* A query's parameters checked and normalised, with what its statement
 * needs bound. */
struct prepared {
	struct pupil_filter f;
	char text[256];
	char match[1024];
	bool fts;		/* the search index applies */
	sdate today;
};

static int
check(struct db *db, const struct register_query *q, struct prepared *p,
    struct serr *e)
{
	if ((unsigned)q->sort >= REGISTER_SORT_COUNT)
		return serr_set(e, SE_INVALID, "register: unknown sort order "
		    "%d", (int)q->sort);
	if (q->stage < -1 || q->stage >= STAGE_COUNT)
		return serr_set(e, SE_INVALID, "register: unknown stage %d",
		    q->stage);
	if (q->flags & ~(unsigned)FLAG_ALL)
		return serr_set(e, SE_INVALID, "register: flags %#x: only PP, "
		    "FSM, CiC and EAL are known", q->flags);
	if (pupil_filter_normalise(&q->filter, &p->f, p->text,
	    sizeof p->text, e) != 0)
		return e != NULL ? e->code : SE_INVALID;
	p->fts = fts_query(p->f.text, p->match, sizeof p->match) &&
	    search_index_ready(db);
	p->today = q->today != SDATE_NONE ? q->today : date_today();
	return 0;
}

/* The statement for `sql` with the shared parameters bound from p, or
 * NULL (e filled). fts: sql is one of the search index's (FROM_FTS). */
static sqlite3_stmt *
bind_query(struct db *db, const struct register_query *q,
    const struct prepared *p, const char *sql, bool fts, struct serr *e)
{
	char status[2], iso[DATE_ISO_LEN];
	sqlite3_stmt *st;

	if ((st = pupil_search_stmt(db, sql, e)) == NULL)
		return NULL;
	status[0] = p->f.status;
	status[1] = '\0';
	sqlite3_bind_text(st, 1, date_iso(p->today, iso), -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, p->f.include_archived);
	sqlite3_bind_int(st, 3, p->f.include_n);
	db_bind_text(st, 4, status);
	db_bind_text(st, 5, p->f.year);
	db_bind_text(st, 6, p->f.need);
	/* with the search index, the index alone decides (see the top) */
	db_bind_text(st, 7, fts ? NULL : p->f.text);
	sqlite3_bind_int(st, 8, q->stage);
	sqlite3_bind_int(st, 9, q->overdue_only);
	sqlite3_bind_int(st, 10, (int)q->flags);
	if (fts)
		sqlite3_bind_text(st, 16, p->match, -1, SQLITE_TRANSIENT);
	return st;
}

/* Only the status and whether archived pupils and status N count: the
 * totals answer without reading the pupils. */
static bool
unfiltered(const struct register_query *q, const struct prepared *p)
{
	return p->f.text == NULL && p->f.year[0] == '\0' &&
	    p->f.need[0] == '\0' && q->stage < 0 && !q->overdue_only &&
	    q->flags == 0;
}

/* The n numbers of sql (SQL_TOTALS or SQL_TOTALS_KE) into v[]. */
static int
totals_of(struct db *db, const char *sql, int64_t *v, int n,
    struct serr *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return e != NULL ? e->code : SE_DB;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, rc, e, "counting the register");
	}
	for (int i = 0; i < n; i++)
		v[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return 0;
}

/* The six numbers of SQL_TOTALS into v[]. */
static int
totals(struct db *db, int64_t v[6], struct serr *e)
{
	return totals_of(db, SQL_TOTALS, v, 6, e);
}

int
register_totals(struct db *db, int *k, int *e_plans, struct serr *e)
{
	int64_t v[4];
	int ret;

	*k = *e_plans = 0;
	if ((ret = totals_of(db, SQL_TOTALS_KE, v, 4, e)) != 0)
		return ret;
	*k = (int)(v[0] - v[2]);
	*e_plans = (int)(v[1] - v[3]);
	return 0;
}

static int
count_unfiltered(struct db *db, const struct prepared *p, int *n,
    struct serr *e)
{
	int64_t v[6], all, arch, k, ee, ak, ae, c;
	bool with_arch = p->f.include_archived;
	int ret;

	if ((ret = totals(db, v, e)) != 0)
		return ret;
	all = v[0];
	arch = v[1];
	k = v[2];
	ee = v[3];
	ak = v[4];
	ae = v[5];
	if (!with_arch) {
		all -= arch;
		k -= ak;
		ee -= ae;
	}
	switch (p->f.status) {
	case 'K':
		c = k;
		break;
	case 'E':
		c = ee;
		break;
	case 'N':
		c = all - k - ee;
		break;
	default:
		c = p->f.include_n ? all : k + ee;
		break;
	}
	*n = (int)c;
	return 0;
}

static int
count_rows(struct db *db, const struct register_query *q, int max, int *n,
    struct serr *e)
{
	struct prepared p;
	sqlite3_stmt *st;
	int rc, ret;

	*n = 0;
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	if (unfiltered(q, &p)) {
		if ((ret = count_unfiltered(db, &p, n, e)) == 0 && max >= 0 &&
		    *n > max)
			*n = max;
		return ret;
	}
	if ((st = bind_query(db, q, &p, max >= 0 ? sql_count_max[p.fts] :
	    sql_count[p.fts], p.fts, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	if (max >= 0)
		sqlite3_bind_int(st, 11, max);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, e, "counting the register");
	return 0;
}

int
register_count(struct db *db, const struct register_query *q, int *n,
    struct serr *e)
{
	return count_rows(db, q, -1, n, e);
}

int
register_count_max(struct db *db, const struct register_query *q, int max,
    int *n, struct serr *e)
{
	return count_rows(db, q, max < 0 ? 0 : max, n, e);
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
	r->key_sort = (int)q->sort;
	switch (sqlite3_column_type(st, 14)) {
	case SQLITE_INTEGER:
		r->key_type = REGISTER_KEY_INT;
		r->key_int = sqlite3_column_int64(st, 14);
		break;
	case SQLITE_FLOAT:
		r->key_type = REGISTER_KEY_REAL;
		r->key_real = sqlite3_column_double(st, 14);
		break;
	case SQLITE_TEXT:
		r->key_type = REGISTER_KEY_TEXT;
		db_col_copy(st, 14, r->key_text, sizeof r->key_text);
		break;
	default:
		r->key_type = REGISTER_KEY_NULL;
		break;
	}
}

/* Step st into rows[] (up to limit); *got says how many. */
static int
read_rows(struct db *db, sqlite3_stmt *st, const struct register_query *q,
    sdate today, int limit, struct register_row *rows, int *got,
    struct serr *e)
{
	int rc = SQLITE_DONE;

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
register_window(struct db *db, const struct register_query *q, int offset,
    int limit, struct register_row *rows, int *got, struct serr *e)
{
	struct prepared p;
	sqlite3_stmt *st;
	int ret;

	*got = 0;
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	if (limit <= 0)
		return 0;
	if (offset < 0)
		offset = 0;
	if ((st = bind_query(db, q, &p, sort_sql(sql_window, q), false, e)) ==
	    NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int(st, 11, limit);
	sqlite3_bind_int(st, 12, offset);
	return read_rows(db, st, q, p.today, limit, rows, got, e);
}

int
register_position(struct db *db, const struct register_query *q,
    int64_t pupil_id, int *pos, struct serr *e)
{
	struct prepared p;
	sqlite3_stmt *st;
	int rc, ret;

	*pos = -1;
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	if ((st = bind_query(db, q, &p, sort_sql(sql_position, q), false,
	    e)) == NULL)
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

/* --- keyset paging ------------------------------------------------------ */

/* Bound as an anchor key below every row's (a number: below every key)
 * or as a key or name above every row's (a blob: SQLite sorts blobs
 * after text). */
static void
bind_low(sqlite3_stmt *st, int i)
{
	sqlite3_bind_double(st, i, -1e300);
}

static void
bind_high(sqlite3_stmt *st, int i)
{
	sqlite3_bind_zeroblob(st, i, 0);
}

/* Bound as a surname below every one: no name is empty. Not a number:
 * compared with pupil_now's surname column (TEXT) it would become the
 * text "-1.0e+300", above a name beginning with a space, an apostrophe
 * or a bracket ("'t Hart"). */
static void
bind_name_low(sqlite3_stmt *st, int i)
{
	sqlite3_bind_text(st, i, "", 0, SQLITE_STATIC);
}

static void
bind_key(sqlite3_stmt *st, const struct register_row *at)
{
	switch (at->key_type) {
	case REGISTER_KEY_INT:
		sqlite3_bind_int64(st, 12, at->key_int);
		break;
	case REGISTER_KEY_REAL:
		sqlite3_bind_double(st, 12, at->key_real);
		break;
	case REGISTER_KEY_TEXT:
		sqlite3_bind_text(st, 12, at->key_text, -1, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_bind_null(st, 12);
		break;
	}
}

/*
 * The anchor ?12-?15 for a page. FIRST is "after a point before every
 * row" and LAST "before a point after every row": in the name order the
 * name alone places it; otherwise the key does (after every key, missing
 * ones included, is a NULL key with a name above all). AT is AFTER a
 * point one id short of the row, so the row itself comes first.
 */
static void
bind_anchor(sqlite3_stmt *st, const struct register_query *q,
    enum register_from from, const struct register_row *at)
{
	bool name = q->sort == REGISTER_SORT_NAME, desc = q->descending;
	/* ties go by id downwards only in the name order reversed */
	int64_t step = name && desc ? 1 : -1;

	sqlite3_bind_int(st, 14, 0);
	sqlite3_bind_int(st, 15, 0);
	switch (from) {
	case REGISTER_FIRST:
		sqlite3_bind_null(st, 12);
		if (name)
			(desc ? bind_high : bind_name_low)(st, 13);
		else {
			(desc ? bind_high : bind_low)(st, 12);
			bind_name_low(st, 13);
		}
		return;
	case REGISTER_LAST:
		sqlite3_bind_null(st, 12);
		(name && desc ? bind_name_low : bind_high)(st, 13);
		return;
	default:
		break;
	}
	bind_key(st, at);
	sqlite3_bind_text(st, 13, at->surname, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 14, at->forename, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 15, from == REGISTER_AT ? at->pupil_id + step :
	    at->pupil_id);
}

static bool
backwards(enum register_from from)
{
	return from == REGISTER_BEFORE || from == REGISTER_LAST;
}

static sqlite3_stmt *
page_stmt(struct db *db, const struct register_query *q,
    const struct prepared *p, enum register_from from,
    const struct register_row *at, struct serr *e)
{
	sqlite3_stmt *st;

	if ((unsigned)from > REGISTER_AT) {
		serr_set(e, SE_INVALID, "register: unknown way into a page "
		    "%d", (int)from);
		return NULL;
	}
	if (from != REGISTER_FIRST && from != REGISTER_LAST &&
	    (at == NULL || at->key_sort != (int)q->sort)) {
		serr_set(e, SE_INVALID, "register: a page after or before a "
		    "row needs a row read in the same order");
		return NULL;
	}
	st = bind_query(db, q, p, sql_page[p->fts][q->sort][q->descending ?
	    1 : 0][backwards(from)], p->fts, e);
	if (st != NULL)
		bind_anchor(st, q, from, at);
	return st;
}

int
register_page(struct db *db, const struct register_query *q,
    enum register_from from, const struct register_row *at, int limit,
    struct register_row *rows, int *got, struct serr *e)
{
	struct prepared p;
	sqlite3_stmt *st;
	int ret;

	*got = 0;
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	if ((st = page_stmt(db, q, &p, from, at, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	if (limit <= 0) {
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_bind_int(st, 11, limit);
	return read_rows(db, st, q, p.today, limit, rows, got, e);
}

int
register_first(struct db *db, const struct register_query *q,
    struct register_row *row, int *n, struct serr *e)
{
	struct prepared p;
	sqlite3_stmt *st;
	int rc, ret;

	*n = 0;
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	if ((st = bind_query(db, q, &p, sql_first[p.fts][q->sort][
	    q->descending ? 1 : 0], p.fts, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, q, p.today, row);
		*n = sqlite3_column_int(st, 15);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "searching the register");
	return 0;
}

int
register_search_step(struct db *db, const struct register_query *q,
    int dir, const struct register_row *at, struct register_row *row,
    bool *found, bool *usable, struct serr *e)
{
	struct prepared p;
	sqlite3_stmt *st;
	int64_t id = 0, from;
	bool up, there;
	int rc, ret;

	*found = *usable = false;
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	if (q->sort != REGISTER_SORT_NAME || !p.fts)
		return 0;
	*usable = true;
	/* the query's order runs down the ranks when reversed */
	up = (dir >= 0) != q->descending;
	/* from at's place, found again by its names (a rank read before
	 * may have changed: the index brought up to date, made again) */
	from = up ? 0 : INT64_MAX;
	if (at != NULL && (ret = rank_near(db, up ? SQL_RANK_UPTO :
	    SQL_RANK_FROM, at->surname, at->forename, at->pupil_id, &from,
	    &there, e)) != 0)
		return ret;
	if (at != NULL && !there)
		from = up ? 0 : INT64_MAX;
	if ((st = bind_query(db, q, &p, sql_ranked[up ? 0 : 1], true, e)) ==
	    NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 11, from);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "searching the register");
	if (id == 0)
		return 0;
	return register_row_of(db, q, id, row, found, e);
}

int
register_row_of(struct db *db, const struct register_query *q,
    int64_t pupil_id, struct register_row *row, bool *found,
    struct serr *e)
{
	struct register_query all = *q;
	struct prepared p;
	sqlite3_stmt *st;
	int rc, ret;

	*found = false;
	if (q->sort != REGISTER_SORT_NAME)
		return serr_set(e, SE_INVALID, "register: a row by id is read "
		    "in the name order only");
	/* the id decides; the text would only be checked again */
	all.filter.text = NULL;
	if ((ret = check(db, &all, &p, e)) != 0)
		return ret;
	if ((st = bind_query(db, &all, &p, SQL_ROW_OF, false, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	sqlite3_bind_int64(st, 11, pupil_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, &all, p.today, row);
		*found = true;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, e, "reading the register");
	return 0;
}

int
register_reindex(struct db *db, struct serr *e)
{
	static const char *const rebuild[] = {
		SQL_TRACK_CLEAR, SQL_TRACK_FILL, SQL_NOW_CLEAR, SQL_NOW_FILL,
		SQL_TALLY_CLEAR, SQL_TALLY_FILL,
		/* the ranks follow pupil_now's names */
		SQL_REINDEX_CLEAR, SQL_RANK_CLEAR, SQL_RANK_FILL,
		SQL_REINDEX_FILL, SQL_REINDEX_OPTIMIZE, SQL_STALE_CLEAR, NULL,
	};

	return write_all(db, rebuild, e);
}

int
register_track_check(struct db *db, int *wrong, struct serr *e)
{
	return count_of(db, SQL_TRACK_WRONG, wrong,
	    "checking the on-track figures", e);
}

int
register_now_check(struct db *db, int *wrong, struct serr *e)
{
	return count_of(db, SQL_NOW_WRONG, wrong,
	    "checking the register's rows", e);
}

int
register_tally_check(struct db *db, int *wrong, struct serr *e)
{
	return count_of(db, SQL_TALLY_WRONG, wrong,
	    "checking the counts of open statuses", e);
}

int
register_search_check(struct db *db, int *wrong, struct serr *e)
{
	return count_of(db, SQL_SEARCH_WRONG, wrong,
	    "checking the search index", e);
}

int
register_plan(struct db *db, const struct register_query *q,
    enum register_from from, char *buf, size_t n, struct serr *e)
{
	static const struct register_row none;
	struct prepared p;
	struct register_row at = none;
	sqlite3_stmt *st, *plan;
	char *sql;
	size_t o = 0;
	int rc, ret;

	if (n > 0)
		buf[0] = '\0';
	if ((ret = check(db, q, &p, e)) != 0)
		return ret;
	at.key_sort = (int)q->sort;
	if ((st = page_stmt(db, q, &p, from, &at, e)) == NULL)
		return e != NULL ? e->code : SE_DB;
	/* EXPLAIN QUERY PLAN of the same text, with the same values */
	sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
	rc = sqlite3_prepare_v2(db_handle(db), sql, -1, &plan, NULL);
	sqlite3_free(sql);
	sqlite3_reset(st);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, e, "register plan");
	while ((rc = sqlite3_step(plan)) == SQLITE_ROW && o + 1 < n)
		o += (size_t)snprintf(buf + o, n - o, "%s\n",
		    (const char *)sqlite3_column_text(plan, 3));
	sqlite3_finalize(plan);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, rc, e, "register plan");
	return 0;
}
