/*
 * schema.h: the ordered migrations db_open() applies.
 */
#ifndef SENCO_SCHEMA_H
#define SENCO_SCHEMA_H

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


/*
 * pupil_now's rows (migration 7) worked out from the tables, for the
 * pupils that `where` (a condition on p, the pupil) picks: the open SEN
 * status, the first need, the open cycle and its row of cycle_track,
 * NULL where there is none, as the register reads them (register.c).
 */
/* status_tally's rows (migration 8) worked out from the tables: each
 * SEN status and how many pupils have it open. */
#define SCHEMA_TALLY_ROWS \
	"SELECT v.s AS status, (SELECT count(*) FROM sen_status" \
	" WHERE end_date IS NULL AND status = v.s) AS n" \
	" FROM (SELECT 'N' AS s UNION ALL SELECT 'K'" \
	" UNION ALL SELECT 'E') v"
#define SCHEMA_TALLY_FILL \
	"INSERT OR REPLACE INTO status_tally (status, n) " SCHEMA_TALLY_ROWS

#define SCHEMA_NOW_COLS "pupil_id, status, need, cycle_id, stage," \
	" review_date, plan_start, plan_end, open, r1, r2, r3, r4"
#define SCHEMA_NOW_ROWS(where) \
	"SELECT p.id, s.status, (SELECT n.code FROM pupil_need n" \
	"   WHERE n.pupil_id = p.id ORDER BY n.rank LIMIT 1)," \
	" c.id, c.stage, c.review_date, c.plan_start, c.plan_end," \
	" k.open, k.r1, k.r2, k.r3, k.r4 FROM pupil p" \
	" LEFT JOIN sen_status s ON s.pupil_id = p.id AND s.end_date IS NULL" \
	" LEFT JOIN cycle c ON c.pupil_id = p.id AND c.closed_on IS NULL" \
	" LEFT JOIN cycle_track k ON k.cycle_id = c.id WHERE " where
#define SCHEMA_NOW_FILL(where) \
	"INSERT OR REPLACE INTO pupil_now (" SCHEMA_NOW_COLS ") " \
	SCHEMA_NOW_ROWS(where)

#endif
