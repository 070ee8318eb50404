/*
 * writer.c: the program the crash tests kill (issue 5), and the checks
 * they run on what it leaves.
 *
 *   writer run DB SEED [MAX]   perform up to MAX (default: no end) small
 *                              transactions through the core API, each a
 *                              whole user action, and print one line per
 *                              action AFTER its commit returned, flushed:
 *                              that line is the acknowledgement
 *   writer verify DB ACKS      reopen DB with db_open() and check that
 *                              every acknowledged change is there, that
 *                              no action is there in part, and that
 *                              integrity_check and foreign_key_check pass;
 *                              prints "acks A lost L partial P", exit 0
 *                              only when all is well
 *   writer verify-cli DB ACKS  the same for the acknowledgements ("cli
 *                              KIND UPN") of a loop of senco commands
 *   writer state DB            one line describing the file: "nofile",
 *                              or "version V schema S" then, for a file
 *                              at the current version reopened with
 *                              db_open(), row counts and the sum of row
 *                              versions, and last "integrity ok fk 0"
 *                              when integrity_check and foreign_key_check
 *                              pass. A file at an older version is looked
 *                              at with plain SQLite and not migrated. Two
 *                              lines are equal when the caseloads hold the
 *                              same records (ids and times aside)
 *   writer upns FROM COUNT     COUNT valid UPNs, serials FROM on, one a line
 *   writer make-old DB         a caseload at the previous schema version
 *   writer garble DB PAGE SEED overwrite a page with random bytes; prints
 *                              the number of pages
 *   writer page-of DB NAME     the last leaf page of a table or index
 *
 * The actions, chosen by a PRNG seeded from SEED so a run can be replayed:
 *   pupil   add a pupil: status K or E with two needs, or N with none
 *   cycle   start a cycle with three targets (one transaction)
 *   rate    rate all three targets of an open cycle (one transaction)
 *   close   close a cycle (continue), start the next and carry the three
 *           targets over (one transaction)
 *   status  move a pupil between K and E (closes one status row, opens
 *           another)
 * Since every action writes several rows in several tables, and the audit
 * triggers write one more row per row, an action that is there in part
 * breaks one of the invariants that verify checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/codes.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/db.h"
#include "core/err.h"
#include "core/pupil.h"
#include "core/schema.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "state.h"

#define TARGETS_PER_CYCLE 3

static uint64_t rng_state;

/* splitmix64: small, good enough, and the same on every machine. */
static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void
die(const char *what, const struct serr *e)
{
	fprintf(stderr, "writer: %s: %s\n", what, e != NULL ? e->msg : "");
	exit(2);
}

/* --- queries of the writer's own (read-only, outside the core API) ------- */

static const char SQL_N_PUPILS[] = "SELECT count(*) FROM pupil";
static const char SQL_N_NO_CYCLE[] =
    "SELECT count(*) FROM pupil p JOIN sen_status s ON s.pupil_id = p.id "
    "AND s.end_date IS NULL WHERE s.status IN ('K','E') AND NOT EXISTS "
    "(SELECT 1 FROM cycle c WHERE c.pupil_id = p.id AND c.closed_on IS NULL)";
static const char SQL_NO_CYCLE[] =
    "SELECT p.id FROM pupil p JOIN sen_status s ON s.pupil_id = p.id "
    "AND s.end_date IS NULL WHERE s.status IN ('K','E') AND NOT EXISTS "
    "(SELECT 1 FROM cycle c WHERE c.pupil_id = p.id AND c.closed_on IS NULL) "
    "ORDER BY p.id LIMIT 1 OFFSET ?1";
static const char SQL_N_OPEN[] =
    "SELECT count(*) FROM cycle WHERE closed_on IS NULL";
static const char SQL_OPEN[] =
    "SELECT id FROM cycle WHERE closed_on IS NULL ORDER BY id "
    "LIMIT 1 OFFSET ?1";
static const char SQL_N_SEN[] =
    "SELECT count(*) FROM sen_status WHERE end_date IS NULL "
    "AND status IN ('K','E') AND start_date < ?1";
static const char SQL_SEN[] =
    "SELECT pupil_id, status, start_date FROM sen_status "
    "WHERE end_date IS NULL AND status IN ('K','E') AND start_date < ?1 "
    "ORDER BY pupil_id LIMIT 1 OFFSET ?2";
static const char SQL_OPEN_STATUS[] =
    "SELECT id FROM sen_status WHERE pupil_id = ?1 AND end_date IS NULL";
static const char SQL_TARGETS[] =
    "SELECT id FROM target WHERE cycle_id = ?1 ORDER BY position";

static int64_t
query_int(struct db *db, const char *sql, int64_t a, int64_t b)
{
	struct serr e;
	sqlite3_stmt *st = db_stmt(db, sql, &e);
	int64_t v = -1;

	if (st == NULL)
		die("query", &e);
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/* The ids of a cycle's targets in order; returns how many (<= n). */
static int
cycle_targets(struct db *db, int64_t cycle_id, int64_t *ids, int n)
{
	struct serr e;
	sqlite3_stmt *st = db_stmt(db, SQL_TARGETS, &e);
	int k = 0;

	if (st == NULL)
		die("query", &e);
	sqlite3_bind_int64(st, 1, cycle_id);
	while (k < n && sqlite3_step(st) == SQLITE_ROW)
		ids[k++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return k;
}

/* The three targets of a cycle (the writer always gives a cycle three). */
static void
three_targets(struct db *db, int64_t cycle_id, int64_t *tid)
{
	if (cycle_targets(db, cycle_id, tid, TARGETS_PER_CYCLE) !=
	    TARGETS_PER_CYCLE) {
		fprintf(stderr, "writer: cycle %" PRId64 " has not %d "
		    "targets\n", cycle_id, TARGETS_PER_CYCLE);
		exit(2);
	}
}

/* --- the actions --------------------------------------------------------- */

static const char *const needs[] = { "SLCN", "ASD", "SPLD", "MLD", "SEMH",
    "HI", "VI", "PD" };
static const char *const surnames[] = { "Brown", "Nowak", "Nguyễn", "李",
    "O'Neill", "Kowalska", "Ahmed", "Jones" };
static const char *const forenames[] = { "Zoë", "Siobhán", "Łukasz", "Wei",
    "Aoife", "Amara", "Tomás", "Ruby" };

static void
act_pupil(struct db *db)
{
	struct pupil p;
	struct serr e;
	int64_t n = query_int(db, SQL_N_PUPILS, 0, 0), status_id;
	int k = (int)(rng() % 8);

	pupil_init(&p);
	/* Pupils are never deleted, so the count makes a fresh UPN. */
	upn_make(801, 2000 + (int)(n / 1000), 5, (int)(n % 1000), p.upn);
	snprintf(p.legal_surname, sizeof p.legal_surname, "%s", surnames[k]);
	snprintf(p.legal_forename, sizeof p.legal_forename, "%s",
	    forenames[(k + n) % 8]);
	p.dob = date_from_ymd(2014, 9, 1) + (int)(n % 700);
	p.gender = n % 2 ? 'M' : 'F';
	snprintf(p.year, sizeof p.year, "%d", 1 + (int)(n % 6));
	p.status = "KKEN"[rng() % 4];
	/* Early enough for a long run of status changes, one day apart. */
	p.status_since = date_from_ymd(2020, 9, 1);
	if (p.status != 'N') {
		k = (int)(rng() % 8);
		snprintf(p.needs[0], sizeof p.needs[0], "%s", needs[k]);
		snprintf(p.needs[1], sizeof p.needs[1], "%s",
		    needs[(k + 1) % 8]);
		p.n_needs = 2;
	}
	if (pupil_add(db, &p, &e) != 0)
		die("pupil add", &e);
	status_id = query_int(db, SQL_OPEN_STATUS, p.id, 0);
	printf("pupil %" PRId64 " %" PRId64 "\n", p.id, status_id);
}

static bool
act_cycle(struct db *db)
{
	int64_t n = query_int(db, SQL_N_NO_CYCLE, 0, 0), pid;
	int64_t tid[TARGETS_PER_CYCLE];
	struct cycle cy;
	struct serr e;

	if (n <= 0)
		return false;
	pid = query_int(db, SQL_NO_CYCLE, (int64_t)(rng() % (uint64_t)n), 0);
	if (db_begin(db, &e) != 0)
		die("begin", &e);
	if (cycle_start(db, pid, SDATE_NONE, SDATE_NONE, 6, &cy, &e) != 0)
		die("cycle start", &e);
	for (int i = 0; i < TARGETS_PER_CYCLE; i++) {
		struct target t;

		target_init(&t);
		t.cycle_id = cy.id;
		xasprintf(&t.text, "Target %d of cycle %" PRId64 ": reads "
		    "ten tricky words", i + 1, cy.id);
		t.area = AREA_CL;
		if (target_add(db, &t, &e) != 0)
			die("target add", &e);
		tid[i] = t.id;
		target_free(&t);
	}
	if (db_commit(db, &e) != 0)
		die("commit", &e);
	printf("cycle %" PRId64, cy.id);
	for (int i = 0; i < TARGETS_PER_CYCLE; i++)
		printf(" %" PRId64, tid[i]);
	printf("\n");
	cycle_free(&cy);
	return true;
}

static int64_t
pick_open_cycle(struct db *db)
{
	int64_t n = query_int(db, SQL_N_OPEN, 0, 0);

	if (n <= 0)
		return 0;
	return query_int(db, SQL_OPEN, (int64_t)(rng() % (uint64_t)n), 0);
}

static bool
act_rate(struct db *db)
{
	int64_t cid = pick_open_cycle(db), tid[TARGETS_PER_CYCLE],
	    rid[TARGETS_PER_CYCLE];
	struct serr e;

	if (cid == 0)
		return false;
	three_targets(db, cid, tid);
	if (db_begin(db, &e) != 0)
		die("begin", &e);
	for (int i = 0; i < TARGETS_PER_CYCLE; i++)
		if (target_rate(db, tid[i], (int)(rng() % 5), i == 0 ?
		    "Read eight of ten words with Zoë's group" : NULL,
		    SDATE_NONE, &rid[i], &e) != 0)
			die("target rate", &e);
	if (db_commit(db, &e) != 0)
		die("commit", &e);
	printf("rate");
	for (int i = 0; i < TARGETS_PER_CYCLE; i++)
		printf(" %" PRId64, rid[i]);
	printf("\n");
	return true;
}

static bool
act_close(struct db *db)
{
	int64_t cid = pick_open_cycle(db), tid[TARGETS_PER_CYCLE],
	    nid[TARGETS_PER_CYCLE];
	struct cycle next;
	struct serr e;

	if (cid == 0)
		return false;
	three_targets(db, cid, tid);
	if (db_begin(db, &e) != 0)
		die("begin", &e);
	if (cycle_close(db, cid, DECISION_CONTINUE, SDATE_NONE, 6, &next,
	    &e) != 0)
		die("cycle close", &e);
	for (int i = 0; i < TARGETS_PER_CYCLE; i++)
		if (target_carry_over(db, tid[i], next.id, &nid[i], &e) != 0)
			die("target carry over", &e);
	if (db_commit(db, &e) != 0)
		die("commit", &e);
	printf("close %" PRId64 " %" PRId64, cid, next.id);
	for (int i = 0; i < TARGETS_PER_CYCLE; i++)
		printf(" %" PRId64, nid[i]);
	printf("\n");
	cycle_free(&next);
	return true;
}

static bool
act_status(struct db *db)
{
	struct serr e;
	sqlite3_stmt *st;
	int64_t n, pid, row;
	sdate today = date_today(), start;
	char iso[DATE_ISO_LEN], status;

	date_iso(today, iso);
	if ((st = db_stmt(db, SQL_N_SEN, &e)) == NULL)
		die("query", &e);
	sqlite3_bind_text(st, 1, iso, -1, SQLITE_TRANSIENT);
	n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (n <= 0)
		return false;
	if ((st = db_stmt(db, SQL_SEN, &e)) == NULL)
		die("query", &e);
	sqlite3_bind_text(st, 1, iso, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (int64_t)(rng() % (uint64_t)n));
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return false;
	}
	pid = sqlite3_column_int64(st, 0);
	status = *(const char *)sqlite3_column_text(st, 1) == 'K' ? 'E' : 'K';
	start = db_col_date(st, 2) + 1;
	sqlite3_reset(st);
	if (pupil_set_status(db, pid, status, start, &e) != 0)
		die("pupil set status", &e);
	row = query_int(db, SQL_OPEN_STATUS, pid, 0);
	printf("status %" PRId64 " %" PRId64 " %c\n", pid, row, status);
	return true;
}

static int
cmd_run(const char *path, const char *seed, const char *max)
{
	struct db *db;
	struct serr e;
	long n = max != NULL ? strtol(max, NULL, 10) : -1;

	rng_state = strtoull(seed, NULL, 10);
	if (db_open(&db, path, DB_CREATE, &e) != 0)
		die("open", &e);
	db_set_author(db, "Crash Writer");
	for (long i = 0; n < 0 || i < n; i++) {
		unsigned r = (unsigned)(rng() % 100);
		bool done = false;

		if (r >= 90)
			done = act_status(db);
		else if (r >= 75)
			done = act_close(db);
		else if (r >= 45)
			done = act_rate(db);
		else if (r >= 25)
			done = act_cycle(db);
		if (!done && !act_cycle(db))
			act_pupil(db);
		/* The acknowledgement: out before the next action begins. */
		if (fflush(stdout) != 0) {
			fprintf(stderr, "writer: stdout: %s\n",
			    strerror(errno));
			return 2;
		}
	}
	db_close(db);
	return 0;
}

/* --- verify -------------------------------------------------------------- */

static int n_lost, n_partial, n_acks;

static void
lost(const char *what, int64_t id)
{
	n_lost++;
	if (n_lost <= 20)
		printf("# LOST: acknowledged %s %" PRId64 " is not there\n",
		    what, id);
}

static void
need_row(sqlite3 *h, const char *sql, const char *what, int64_t a, int64_t b)
{
	if (crash_q1(h, sql, a, b) != 1)
		lost(what, a);
}

/* Acknowledgements of the command-line loop (test_signal.sh): "cli KIND
 * UPN" once `senco` exited 0. Its pupils all have status K and two needs,
 * cycles are closed with continue --carry. */
static const struct {
	const char *kind;
	const char *sql;	/* 1 when the change is there */
} cli_acks[] = {
	{ "pupil", "SELECT count(*) FROM pupil p JOIN sen_status s ON "
	  "s.pupil_id = p.id AND s.end_date IS NULL AND s.status = 'K' WHERE "
	  "p.upn = ?1 AND (SELECT count(*) FROM pupil_need n WHERE "
	  "n.pupil_id = p.id) = 2" },
	{ "cycle", "SELECT count(*) > 0 FROM cycle c JOIN pupil p ON "
	  "p.id = c.pupil_id WHERE p.upn = ?1" },
	{ "target", "SELECT count(*) > 0 FROM target t JOIN cycle c ON "
	  "c.id = t.cycle_id JOIN pupil p ON p.id = c.pupil_id "
	  "WHERE p.upn = ?1" },
	{ "rate", "SELECT count(*) > 0 FROM rating r JOIN target t ON "
	  "t.id = r.target_id JOIN cycle c ON c.id = t.cycle_id JOIN pupil p "
	  "ON p.id = c.pupil_id WHERE p.upn = ?1" },
	{ "close", "SELECT count(*) > 0 FROM cycle c JOIN pupil p ON "
	  "p.id = c.pupil_id JOIN cycle n ON n.carried_from = c.id JOIN target "
	  "t ON t.cycle_id = n.id AND t.carried_from IS NOT NULL WHERE "
	  "p.upn = ?1 AND c.decision = 'continue'" },
};

static void
check_cli_ack(sqlite3 *h, const char *kind, const char *upn)
{
	sqlite3_stmt *st;

	for (size_t i = 0; i < sizeof cli_acks / sizeof cli_acks[0]; i++) {
		if (strcmp(kind, cli_acks[i].kind) != 0)
			continue;
		if (sqlite3_prepare_v2(h, cli_acks[i].sql, -1, &st, NULL) !=
		    SQLITE_OK) {
			fprintf(stderr, "writer: %s\n", sqlite3_errmsg(h));
			exit(2);
		}
		sqlite3_bind_text(st, 1, upn, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW ||
		    sqlite3_column_int(st, 0) != 1) {
			n_lost++;
			if (n_lost <= 20)
				printf("# LOST: acknowledged %s of %s is not "
				    "there\n", kind, upn);
		}
		sqlite3_finalize(st);
		return;
	}
	printf("# BAD ACK LINE: cli %s %s\n", kind, upn);
	n_lost++;
}

static void
check_ack(sqlite3 *h, char *line)
{
	int64_t v[2 + TARGETS_PER_CYCLE];
	char kind[16], upn[16], status;
	int n;

	n_acks++;
	if (sscanf(line, "cli %15s %15s", kind, upn) == 2) {
		check_cli_ack(h, kind, upn);
		return;
	}
	if (sscanf(line, "pupil %" SCNd64 " %" SCNd64, &v[0], &v[1]) == 2) {
		need_row(h, "SELECT count(*) FROM pupil WHERE id = ?1",
		    "pupil", v[0], 0);
		need_row(h, "SELECT count(*) FROM sen_status WHERE id = ?2 "
		    "AND pupil_id = ?1", "status row of pupil", v[0], v[1]);
	} else if (sscanf(line, "status %" SCNd64 " %" SCNd64 " %c", &v[0],
	    &v[1], &status) == 3) {
		need_row(h, status == 'K' ? "SELECT count(*) FROM sen_status "
		    "WHERE id = ?2 AND pupil_id = ?1 AND status = 'K'" :
		    "SELECT count(*) FROM sen_status WHERE id = ?2 AND "
		    "pupil_id = ?1 AND status = 'E'", "status change of pupil",
		    v[0], v[1]);
	} else if (sscanf(line, "cycle %" SCNd64 " %" SCNd64 " %" SCNd64
	    " %" SCNd64, &v[0], &v[1], &v[2], &v[3]) == 4) {
		need_row(h, "SELECT count(*) FROM cycle WHERE id = ?1",
		    "cycle", v[0], 0);
		for (int i = 1; i <= TARGETS_PER_CYCLE; i++)
			need_row(h, "SELECT count(*) FROM target WHERE id = ?1 "
			    "AND cycle_id = ?2", "target", v[i], v[0]);
	} else if (sscanf(line, "rate %" SCNd64 " %" SCNd64 " %" SCNd64,
	    &v[0], &v[1], &v[2]) == 3) {
		for (int i = 0; i < TARGETS_PER_CYCLE; i++)
			need_row(h, "SELECT count(*) FROM rating WHERE id = ?1",
			    "rating", v[i], 0);
	} else if (sscanf(line, "close %" SCNd64 " %" SCNd64 " %" SCNd64
	    " %" SCNd64 " %" SCNd64, &v[0], &v[1], &v[2], &v[3], &v[4]) == 5) {
		need_row(h, "SELECT count(*) FROM cycle WHERE id = ?1 AND "
		    "closed_on IS NOT NULL AND decision = 'continue'",
		    "closed cycle", v[0], 0);
		need_row(h, "SELECT count(*) FROM cycle WHERE id = ?1 AND "
		    "carried_from = ?2", "next cycle", v[1], v[0]);
		for (int i = 2; i < 2 + TARGETS_PER_CYCLE; i++)
			need_row(h, "SELECT count(*) FROM target WHERE id = ?1 "
			    "AND cycle_id = ?2 AND carried_from IS NOT NULL",
			    "carried target", v[i], v[1]);
	} else {
		n = sscanf(line, "%15s", kind);
		printf("# BAD ACK LINE: %s\n", n == 1 ? line : "(empty)");
		n_lost++;
	}
}

/* Invariants that hold after every whole action and fail after part of
 * one. Each query counts the rows (or groups) that break its rule. */
static const struct {
	const char *rule;
	const char *sql;
	bool writer_only;	/* the writer's shapes, not the CLI loop's */
} invariants[] = {
	{ "every pupil has exactly one open status row",
	  "SELECT count(*) FROM pupil p WHERE (SELECT count(*) FROM sen_status "
	  "s WHERE s.pupil_id = p.id AND s.end_date IS NULL) <> 1", false },
	{ "a status row closes the day before the next one opens",
	  "SELECT count(*) FROM sen_status a WHERE a.end_date IS NOT NULL AND "
	  "NOT EXISTS (SELECT 1 FROM sen_status b "
	  "WHERE b.pupil_id = a.pupil_id "
	  "AND b.start_date = date(a.end_date, '+1 day'))", false },
	{ "K and E pupils have two needs, N pupils none",
	  "SELECT count(*) FROM pupil p JOIN sen_status s ON s.pupil_id = p.id "
	  "AND s.end_date IS NULL WHERE (SELECT count(*) FROM pupil_need n "
	  "WHERE n.pupil_id = p.id) <> CASE s.status WHEN 'N' THEN 0 "
	  "ELSE 2 END", false },
	{ "every cycle has its three targets",
	  "SELECT count(*) FROM cycle c WHERE (SELECT count(*) FROM target t "
	  "WHERE t.cycle_id = c.id) <> 3", true },
	{ "a closed cycle has the next one, started in the same action",
	  "SELECT count(*) FROM cycle c WHERE c.closed_on IS NOT NULL AND "
	  "(SELECT count(*) FROM cycle n WHERE n.carried_from = c.id) <> 1",
	  false },
	{ "a carried-on cycle's targets were all carried over",
	  "SELECT count(*) FROM target t JOIN cycle c ON c.id = t.cycle_id "
	  "WHERE c.carried_from IS NOT NULL AND t.carried_from IS NULL",
	  false },
	{ "the three targets of a cycle were rated together",
	  "SELECT count(*) FROM (SELECT cycle_id FROM (SELECT t.cycle_id, "
	  "(SELECT count(*) FROM rating r WHERE r.target_id = t.id) n FROM "
	  "target t) GROUP BY cycle_id HAVING min(n) <> max(n))", true },
};

static const char SQL_AUDIT_INS[] =
    "SELECT count(*) FROM audit WHERE tbl = ?1 AND op = 'insert'";
static const char SQL_AUDIT_UPD[] =
    "SELECT count(*) FROM audit WHERE tbl = ?1 AND op = 'update'";

/* Each row inserted has its audit row, and each update (version + 1). */
static void
check_audit(sqlite3 *h)
{
	for (int i = 0; i < schema_audited_count; i++) {
		const char *t = schema_audited[i].name;
		char *sql;
		int64_t rows, versions, ins, upd;
		sqlite3_stmt *st;

		xasprintf(&sql, "SELECT count(*), "
		    "coalesce(sum(version - 1), 0) FROM \"%s\"", t);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			fprintf(stderr, "writer: %s: %s\n", sql,
			    sqlite3_errmsg(h));
			exit(2);
		}
		rows = sqlite3_column_int64(st, 0);
		versions = sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
		free(sql);
		for (int k = 0; k < 2; k++) {
			if (sqlite3_prepare_v2(h, k == 0 ? SQL_AUDIT_INS :
			    SQL_AUDIT_UPD, -1, &st, NULL) != SQLITE_OK)
				exit(2);
			sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
			sqlite3_step(st);
			if (k == 0)
				ins = sqlite3_column_int64(st, 0);
			else
				upd = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		if (ins != rows || upd != versions) {
			n_partial++;
			printf("# PARTIAL: %s has %" PRId64 " rows and %" PRId64
			    " updates but the audit trail %" PRId64 " inserts "
			    "and %" PRId64 " updates\n", t, rows, versions, ins,
			    upd);
		}
	}
}

static int
cmd_verify(const char *path, const char *acks, bool cli)
{
	struct db *db;
	struct serr e;
	sqlite3 *h;
	sqlite3_stmt *st;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int n_fk = 0, ok_integrity = 0;

	if (db_open(&db, path, 0, &e) != 0) {
		printf("# reopening failed: %s\n", e.msg);
		return 1;
	}
	h = db_handle(db);

	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK)
		die("integrity check", NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);

		if (m != NULL && strcmp(m, "ok") == 0)
			ok_integrity = 1;
		else
			printf("# integrity_check: %s\n", m ? m : "?");
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &st, NULL) !=
	    SQLITE_OK)
		die("foreign key check", NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n_fk++;
		printf("# foreign_key_check: %s rowid %lld\n",
		    (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);

	if ((fp = fopen(acks, "r")) == NULL) {
		printf("# %s: %s\n", acks, strerror(errno));
		db_close(db);
		return 1;
	}
	while ((len = getline(&line, &cap, fp)) > 0) {
		/* A line without its newline was never acknowledged. */
		if (line[len - 1] != '\n')
			break;
		line[len - 1] = '\0';
		check_ack(h, line);
	}
	free(line);
	fclose(fp);

	for (size_t i = 0; i < sizeof invariants / sizeof invariants[0]; i++) {
		int64_t bad;

		if (cli && invariants[i].writer_only)
			continue;
		bad = crash_q1(h, invariants[i].sql, 0, 0);

		if (bad != 0) {
			n_partial++;
			printf("# PARTIAL: %" PRId64 " break the rule: %s\n",
			    bad, invariants[i].rule);
		}
	}
	check_audit(h);
	printf("acks %d lost %d partial %d integrity %s fk %d pupils %" PRId64
	    " cycles %" PRId64 " ratings %" PRId64 "\n", n_acks, n_lost,
	    n_partial, ok_integrity ? "ok" : "BAD", n_fk,
	    crash_q1(h, "SELECT count(*) FROM pupil", 0, 0),
	    crash_q1(h, "SELECT count(*) FROM cycle", 0, 0),
	    crash_q1(h, "SELECT count(*) FROM rating", 0, 0));
	db_close(db);
	return n_lost == 0 && n_partial == 0 && ok_integrity && n_fk == 0 ?
	    0 : 1;
}

/* --- an older caseload --------------------------------------------------- */

static const char SQL_OLD_PUPIL[] =
    "INSERT INTO pupil (id, upn, legal_surname, legal_forename, dob, "
    "year_group, created_at, updated_at, changed_by) VALUES (1, "
    "'B801200005001', 'Brown', 'Zoë', '2016-04-03', '4', "
    "'2025-09-01T08:00:00Z', '2025-09-01T08:00:00Z', 'An earlier senco');"
    "INSERT INTO sen_status (id, pupil_id, status, start_date, created_at, "
    "updated_at) VALUES (2, 1, 'K', '2025-09-01', '2025-09-01T08:00:00Z', "
    "'2025-09-01T08:00:00Z');"
    "INSERT INTO pupil_need (id, pupil_id, rank, code, created_at, "
    "updated_at) VALUES (3, 1, 1, 'SLCN', '2025-09-01T08:00:00Z', "
    "'2025-09-01T08:00:00Z');";

/*
 * writer make-old DB: a caseload at the schema version before this
 * senco's, with one pupil, as an older senco would have left it (made by
 * running the earlier migrations; the audit triggers, which the upgrade
 * installs afresh, are left out). Exit 3 when there is no older version.
 */
static int
cmd_make_old(const char *path)
{
	int v = DB_SCHEMA_VERSION - 1, fd;
	sqlite3 *h;
	char *sql;
	bool ok;

	if (v < 1) {
		fprintf(stderr, "writer: no schema older than version %d\n",
		    DB_SCHEMA_VERSION);
		return 3;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		fprintf(stderr, "writer: %s: %s\n", path, strerror(errno));
		return 2;
	}
	close(fd);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto fail;
	ok = sqlite3_exec(h, "PRAGMA journal_mode = WAL; BEGIN", NULL, NULL,
	    NULL) == SQLITE_OK;
	for (int i = 0; ok && i < v; i++)
		ok = sqlite3_exec(h, schema_migrations[i], NULL, NULL, NULL) ==
		    SQLITE_OK;
	xasprintf(&sql, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
	    v, DB_APPLICATION_ID);
	ok = ok && sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_exec(h, SQL_OLD_PUPIL, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	free(sql);
	if (!ok)
		goto fail;
	sqlite3_close(h);
	return 0;
fail:
	fprintf(stderr, "writer: making a version %d caseload: %s\n", v,
	    sqlite3_errmsg(h));
	sqlite3_close(h);
	return 2;
}

/* --- damage -------------------------------------------------------------- */

/* writer garble DB PAGE SEED: overwrite page PAGE (from 1) of DB with
 * bytes from the PRNG seeded with SEED; prints the page count. */
static int
cmd_garble(const char *path, const char *page, const char *seed)
{
	unsigned char buf[65536];
	long pg = strtol(page, NULL, 10), size, psize;
	FILE *fp = fopen(path, "r+b");

	if (fp == NULL || fread(buf, 1, 100, fp) != 100) {
		fprintf(stderr, "writer: %s: cannot read the header\n", path);
		return 2;
	}
	/* The page size: bytes 16-17, big-endian, 1 meaning 65536. */
	psize = buf[16] << 8 | buf[17];
	if (psize == 1)
		psize = 65536;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	if (pg < 1 || pg * psize > size) {
		fprintf(stderr, "writer: %s has no page %ld\n", path, pg);
		fclose(fp);
		return 2;
	}
	rng_state = strtoull(seed, NULL, 10);
	for (long i = 0; i < psize; i += 8) {
		uint64_t r = rng();

		memcpy(buf + i, &r, 8);
	}
	fseek(fp, (pg - 1) * psize, SEEK_SET);
	fwrite(buf, 1, (size_t)psize, fp);
	if (fclose(fp) != 0) {
		fprintf(stderr, "writer: %s: %s\n", path, strerror(errno));
		return 2;
	}
	printf("%ld\n", size / psize);
	return 0;
}

/* writer page-of DB NAME: the last leaf page of table or index NAME (from
 * SQLite's dbstat table), so a test can damage what a command never reads. */
static int
cmd_page_of(const char *path, const char *name)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int rc = 2;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT max(pageno) FROM dbstat WHERE "
	    "name = ?1 AND pagetype = 'leaf'", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL) {
			printf("%lld\n",
			    (long long)sqlite3_column_int64(st, 0));
			rc = 0;
		}
		sqlite3_finalize(st);
	}
	if (rc != 0)
		fprintf(stderr, "writer: %s: no leaf page of %s: %s\n", path,
		    name, sqlite3_errmsg(h));
	sqlite3_close(h);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "run") == 0)
		return cmd_run(argv[2], argv[3], argc >= 5 ? argv[4] : NULL);
	if (argc == 4 && strcmp(argv[1], "verify") == 0)
		return cmd_verify(argv[2], argv[3], false);
	if (argc == 4 && strcmp(argv[1], "verify-cli") == 0)
		return cmd_verify(argv[2], argv[3], true);
	if (argc == 4 && strcmp(argv[1], "page-of") == 0)
		return cmd_page_of(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "garble") == 0)
		return cmd_garble(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "make-old") == 0)
		return cmd_make_old(argv[2]);
	if (argc == 3 && strcmp(argv[1], "state") == 0)
		return crash_state_write(stdout, argv[2]);
	if (argc == 4 && strcmp(argv[1], "upns") == 0) {
		long from = strtol(argv[2], NULL, 10);
		char upn[UPN_LEN + 1];

		for (long i = from; i < from + strtol(argv[3], NULL, 10); i++) {
			upn_make(802, 3000 + (int)(i / 1000), 6,
			    (int)(i % 1000), upn);
			printf("%s\n", upn);
		}
		return 0;
	}
	fprintf(stderr, "usage: writer run DB SEED [MAX] | "
	    "verify[-cli] DB ACKS | "
	    "state DB | upns FROM COUNT | make-old DB |\n"
	    "       garble DB PAGE SEED | page-of DB NAME\n");
	return 64;
}
