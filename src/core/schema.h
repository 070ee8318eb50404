/*
 * schema.h: the ordered migrations db_open() applies.
 */
#ifndef SENCO_SCHEMA_H
#define SENCO_SCHEMA_H

#include "derive.h"	/* SCHOOL_WEEKS_PER_YEAR */

/* schema_migrations[i] takes user_version i to i+1. */
extern const char *const schema_migrations[];
extern const int schema_migration_count;

struct audited_table {
	const char *name;
	const char *pupil_expr;	/* SQL with X for NEW/OLD: the row's pupil */
};
/* Tables whose every change the audit triggers record. */
extern const struct audited_table schema_audited[];
extern const int schema_audited_count;

/* A pupil's document in the search index (migration 3, register.c): the
 * name as shown, then the legal name, a line apart; X is the table or
 * alias the pupil's columns come from. */
#define SEARCH_DOC(X) \
	"coalesce(" X ".preferred_forename, " X ".legal_forename) || ' ' ||" \
	" coalesce(" X ".preferred_surname, " X ".legal_surname) ||" \
	" char(10) || " X ".legal_forename || ' ' || " X ".legal_surname"

/*
 * The search index's rows are numbered in the register's name order
 * (migration 10): pupil_search_rank gives each pupil a rank, and a
 * pupil's row of pupil_search has their rank as its rowid, so that the
 * first match in the name order is the first the index gives, and a
 * search as it is typed reads the match it shows, not every match
 * (register.c). Ranks are made SCHEMA_RANK_STEP apart, in the order of
 * pupil_now_name (surname, forename, pupil_id, NOCASE as the columns
 * are); a pupil added or renamed later takes the middle of the gap
 * between their neighbours (register_search_refresh()).
 */
#define SCHEMA_RANK_STEP "4294967296"
#define SCHEMA_RANK_FILL \
	"INSERT INTO pupil_search_rank (rank, pupil_id) SELECT row_number()" \
	" OVER (ORDER BY surname, forename, pupil_id) * " SCHEMA_RANK_STEP \
	", pupil_id FROM pupil_now"
#define SCHEMA_SEARCH_FILL \
	"INSERT INTO pupil_search (rowid, name, upn) SELECT k.rank, " \
	SEARCH_DOC("p") ", p.upn FROM pupil_search_rank k" \
	" JOIN pupil p ON p.id = k.pupil_id ORDER BY k.rank"
/* FTS5 merges the b-trees of an index made at once into one, which
 * halves what a search of a large roll reads. */
#define SCHEMA_SEARCH_OPTIMIZE \
	"INSERT INTO pupil_search (pupil_search) VALUES ('optimize')"

/* The latest rating of target t (alias of target), a target with none
 * counting as 0: as target.c and the register choose it. */
#define SCHEMA_TRACK_LATEST(t) "coalesce((SELECT g.value FROM rating g" \
	" WHERE g.target_id = " t ".id AND g.value IS NOT NULL" \
	" ORDER BY g.rated_on DESC, g.seq DESC, g.created_at DESC" \
	" LIMIT 1), 0)"

/* cycle_track's rows (migration 6) worked out from the tables: one for
 * every cycle with open targets (a cycle without a row has none;
 * register.c). */
#define SCHEMA_TRACK_ROWS \
	"SELECT cycle_id, count(*), count(CASE WHEN v >= 1 THEN 1 END)," \
	" count(CASE WHEN v >= 2 THEN 1 END), count(CASE WHEN v >= 3" \
	" THEN 1 END), count(CASE WHEN v >= 4 THEN 1 END)" \
	" FROM (SELECT t.cycle_id AS cycle_id, " SCHEMA_TRACK_LATEST("t") \
	" AS v FROM target t WHERE t.outcome IS NULL) GROUP BY cycle_id"
#define SCHEMA_TRACK_FILL \
	"INSERT INTO cycle_track (cycle_id, open, r1, r2, r3, r4) " \
	SCHEMA_TRACK_ROWS


/* status_tally's rows (migration 8) worked out from the tables: each
 * SEN status and how many pupils have it open. */
#define SCHEMA_TALLY_ROWS \
	"SELECT v.s AS status, (SELECT count(*) FROM sen_status" \
	" WHERE end_date IS NULL AND status = v.s) AS n" \
	" FROM (SELECT 'N' AS s UNION ALL SELECT 'K'" \
	" UNION ALL SELECT 'E') v"
#define SCHEMA_TALLY_FILL \
	"INSERT OR REPLACE INTO status_tally (status, n) " SCHEMA_TALLY_ROWS

/* One enrolment's cost to its pupil a year in pence (n the enrolment, i
 * its intervention): the session cost to the pupil rounded to the penny,
 * halves up, in integers as derive.c works it out, times sessions a week
 * and SCHOOL_WEEKS_PER_YEAR. */
#define SCHEMA_STR_(x) #x
#define SCHEMA_STR(x) SCHEMA_STR_(x)
#define SCHEMA_ENROLMENT_COST(n, i) \
	"(CASE " i ".cost_basis" \
	" WHEN 'hour' THEN (2 * " i ".cost_pence * " n ".minutes" \
	"   + 60 * max(" n ".group_size, 1)) / (120 * max(" n ".group_size, 1))" \
	" ELSE (2 * " i ".cost_pence + max(" n ".group_size, 1))" \
	"   / (2 * max(" n ".group_size, 1)) END" \
	" * " n ".sessions_per_week * " SCHEMA_STR(SCHOOL_WEEKS_PER_YEAR) ")"

/*
 * pupil_now's rows (migration 9; 7 before it) worked out from the
 * tables, for the pupils that `where` (a condition on p, the pupil)
 * picks: the pupil's columns the register shows or searches, the open
 * SEN status, the first need, the open cycle and its row of cycle_track
 * (NULL where there is none), and the provision still running
 * (enrolments not ended): how many, their cost a year, the latest start
 * and the earliest end among them. On a day from that start to that end
 * all of them are current, so that cost is the pupil's cost that day
 * and the register needs no search of enrolments (register.c).
 */
#define SCHEMA_NOW_COLS "pupil_id, upn, surname, forename, legal_surname," \
	" legal_forename, year_group, flags, archived, status, need," \
	" cycle_id, stage, review_date, plan_start, plan_end, open, r1, r2," \
	" r3, r4, cost_n, cost_all, cost_from, cost_until"
/* The same columns compared exactly: EXCEPT would compare the names by
 * their columns' NOCASE and miss a change of case alone. */
#define SCHEMA_NOW_EXACT "pupil_id, upn, surname COLLATE BINARY," \
	" forename COLLATE BINARY, legal_surname, legal_forename, year_group," \
	" flags, archived, status, need, cycle_id, stage, review_date," \
	" plan_start, plan_end, open, r1, r2, r3, r4, cost_n, cost_all," \
	" cost_from, cost_until"
/* The pupil's enrolments not ended (n), for an aggregate of them. */
#define SCHEMA_NOW_RUNNING " FROM enrolment n WHERE n.pupil_id = p.id" \
	" AND n.ended = 0)"
#define SCHEMA_NOW_ROWS(where) \
	"SELECT p.id, p.upn, coalesce(p.preferred_surname, p.legal_surname)," \
	" coalesce(p.preferred_forename, p.legal_forename), p.legal_surname," \
	" p.legal_forename, p.year_group, p.flags, p.archived, s.status," \
	" (SELECT n.code FROM pupil_need n" \
	"   WHERE n.pupil_id = p.id ORDER BY n.rank LIMIT 1)," \
	" c.id, c.stage, c.review_date, c.plan_start, c.plan_end," \
	" k.open, k.r1, k.r2, k.r3, k.r4," \
	" (SELECT count(*)" SCHEMA_NOW_RUNNING "," \
	" (SELECT coalesce(sum(" SCHEMA_ENROLMENT_COST("n", "i") "), 0)" \
	"   FROM enrolment n JOIN intervention i ON i.id = n.intervention_id" \
	"   WHERE n.pupil_id = p.id AND n.ended = 0)," \
	" (SELECT max(n.start_date)" SCHEMA_NOW_RUNNING "," \
	" (SELECT min(n.end_date)" SCHEMA_NOW_RUNNING \
	" FROM pupil p" \
	" LEFT JOIN sen_status s ON s.pupil_id = p.id AND s.end_date IS NULL" \
	" LEFT JOIN cycle c ON c.pupil_id = p.id AND c.closed_on IS NULL" \
	" LEFT JOIN cycle_track k ON k.cycle_id = c.id WHERE " where
/* The rows inserted (where none of those pupils has one: the triggers
 * delete first, register_reindex() clears the table). */
#define SCHEMA_NOW_FILL(where) \
	"INSERT INTO pupil_now (" SCHEMA_NOW_COLS ") " SCHEMA_NOW_ROWS(where)

#endif
