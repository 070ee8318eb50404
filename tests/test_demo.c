/*
 * test_demo.c: the demo caseload: plausible shares, the census and
 * graduated-approach rules hold, the same seed gives the same content,
 * refusals leave nothing behind, and the MIS CSV of the roll.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/codes.h"
#include "core/demo.h"
#include "core/intervention.h"
#include "helpers.h"

TestSuite(demo, .fini = th_cleanup);

/* A fixed "today" in the spring term, so runs agree whatever the date. */
#define TODAY_Y 2026
#define TODAY_M 3
#define TODAY_D 16
#define TODAY_ISO "2026-03-16"

static int
build(struct db *db, int pupils, uint32_t seed, const char *csv,
    struct serr *e)
{
	struct demo_opts o;

	demo_opts_init(&o);
	o.pupils = pupils;
	o.seed = seed;
	o.today = date_from_ymd(TODAY_Y, TODAY_M, TODAY_D);
	o.csv_path = csv;
	serr_clear(e);
	return demo_build(db, &o, e);
}

static struct db *
built(int pupils, uint32_t seed)
{
	struct db *db = th_db();
	struct serr e;

	cr_assert_eq(build(db, pupils, seed, NULL, &e), 0, "demo: %s", e.msg);
	return db;
}

/* FNV-1a over every row and column of sql, NULLs told apart from "". */
static uint64_t
digest_query(struct db *db, const char *sql, uint64_t h)
{
	sqlite3_stmt *st;
	int rc;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *s = sqlite3_column_text(st, i);

			if (s == NULL)
				s = (const unsigned char *)"\x01NULL";
			for (; *s != '\0'; s++)
				h = (h ^ *s) * 1099511628211ull;
			h = (h ^ 0x1f) * 1099511628211ull;
		}
		h = (h ^ 0x1e) * 1099511628211ull;
	}
	cr_assert_eq(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	return h;
}

/*
 * The content of the caseload without ids and timestamps (the core makes
 * those at random and from the clock), each table in an order fixed by
 * its content; outcome_on included (outcomes are dated the day their
 * cycle closed, never the real date).
 */
static uint64_t
digest(struct db *db)
{
	static const char *const queries[] = {
		"SELECT upn, legal_surname, legal_forename, preferred_surname, "
		"preferred_forename, dob, gender, year_group, class, flags, "
		"attendance, archived, left_on, version, changed_by "
		"FROM pupil ORDER BY upn",
		"SELECT p.upn, s.status, s.start_date, s.end_date, s.version, "
		"s.changed_by FROM sen_status s JOIN pupil p ON p.id = s.pupil_id "
		"ORDER BY p.upn, s.start_date",
		"SELECT p.upn, n.rank, n.code FROM pupil_need n "
		"JOIN pupil p ON p.id = n.pupil_id ORDER BY p.upn, n.rank",
		"SELECT p.upn, c.stage, c.plan_start, c.plan_end, c.review_date, "
		"c.assess_notes, c.plan_notes, c.do_notes, c.review_notes, "
		"c.parent_voice, c.pupil_voice, c.decision, c.closed_on, "
		"c.carried_from IS NULL, c.version, c.changed_by "
		"FROM cycle c JOIN pupil p ON p.id = c.pupil_id "
		"ORDER BY p.upn, c.plan_start",
		"SELECT p.upn, c.plan_start, t.position, t.text, t.criteria, "
		"t.baseline, t.area, t.outcome, t.outcome_on, t.carried_from IS NULL, "
		"t.version, t.changed_by FROM target t "
		"JOIN cycle c ON c.id = t.cycle_id "
		"JOIN pupil p ON p.id = c.pupil_id "
		"ORDER BY p.upn, c.plan_start, t.position",
		"SELECT p.upn, c.plan_start, t.position, r.rated_on, r.value, "
		"r.author, r.comment FROM rating r "
		"JOIN target t ON t.id = r.target_id "
		"JOIN cycle c ON c.id = t.cycle_id "
		"JOIN pupil p ON p.id = c.pupil_id "
		"ORDER BY p.upn, c.plan_start, t.position, r.rated_on, r.value, "
		"r.author, r.comment",
		"SELECT name, area, description, evidence, cost_basis, cost_pence, "
		"retired FROM intervention ORDER BY name",
		"SELECT p.upn, i.name, e.staff, e.group_size, "
		"e.sessions_per_week, e.minutes, e.start_date, e.end_date, "
		"e.ended, e.measure, e.measure_kind, e.entry_score, e.exit_score "
		"FROM enrolment e JOIN pupil p ON p.id = e.pupil_id "
		"JOIN intervention i ON i.id = e.intervention_id "
		"ORDER BY p.upn, i.name, e.start_date",
		"SELECT p.upn, n.noted_on, n.author, n.kind, n.text FROM note n "
		"JOIN pupil p ON p.id = n.pupil_id "
		"ORDER BY p.upn, n.noted_on, n.author, n.kind, n.text",
		"SELECT p.upn, a.agency, a.referred_on, a.status, a.advice_on, "
		"a.notes FROM agency_involvement a "
		"JOIN pupil p ON p.id = a.pupil_id ORDER BY p.upn, a.agency",
		"SELECT p.upn, x.excluded_on, x.kind, x.sessions, x.reason "
		"FROM exclusion x JOIN pupil p ON p.id = x.pupil_id "
		"ORDER BY p.upn, x.excluded_on, x.reason",
	};
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
		h = digest_query(db, queries[i], h);
	return h;
}

static int64_t
rows(struct db *db, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return th_count(db, sql);
}

/* --- shares and rules --------------------------------------------------- */

Test(demo, builds_200_pupils_in_plausible_shares)
{
	struct db *db = built(200, 1);
	int64_t k, e, cycles, sen;

	cr_assert_eq(rows(db, "pupil"), 200);
	k = th_count(db, "SELECT count(*) FROM sen_status WHERE end_date IS "
	    "NULL AND status = 'K'");
	e = th_count(db, "SELECT count(*) FROM sen_status WHERE end_date IS "
	    "NULL AND status = 'E'");
	/* About 15% and 3%: wide bounds, as 200 pupils are few. */
	cr_assert(k >= 16 && k <= 48, "SEN support: %lld of 200", (long long)k);
	cr_assert(e >= 1 && e <= 14, "EHC plans: %lld of 200", (long long)e);
	sen = k + e;
	cycles = rows(db, "cycle");
	cr_assert(cycles >= sen && cycles <= 3 * sen + 20,
	    "%lld cycles for %lld pupils", (long long)cycles, (long long)sen);
	cr_assert(rows(db, "target") >= 2 * sen);
	cr_assert(rows(db, "rating") >= rows(db, "target"));
	cr_assert_eq(rows(db, "intervention"), 13);
	cr_assert(rows(db, "enrolment") >= sen, "%lld enrolments",
	    (long long)rows(db, "enrolment"));
	cr_assert(rows(db, "note") >= sen);
	cr_assert(rows(db, "agency_involvement") > 0);
	/* Flags near their national shares. */
	cr_assert(th_count(db, "SELECT count(*) FROM pupil WHERE "
	    "flags & 1") >= 30);
	cr_assert(th_count(db, "SELECT count(*) FROM pupil WHERE "
	    "flags & 2") >= 22);
	cr_assert(th_count(db, "SELECT count(*) FROM pupil WHERE "
	    "flags & 8") >= 15);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil WHERE flags & 2 "
	    "AND NOT flags & 1"), 0, "every FSM pupil is pupil premium");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil WHERE attendance "
	    "< 82 OR attendance > 100 OR attendance IS NULL"), 0);
	cr_assert(th_count(db, "SELECT count(*) FROM pupil WHERE attendance "
	    "< 90") > 0, "some pupils are persistently absent");
	db_close(db);
}

Test(demo, register_pupils_obey_the_census_and_cycle_rules)
{
	struct db *db = built(200, 2);

	/* K and E: a primary need and exactly one open cycle. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sen_status s "
	    "WHERE s.end_date IS NULL AND s.status IN ('K','E') AND NOT EXISTS "
	    "(SELECT 1 FROM pupil_need n WHERE n.pupil_id = s.pupil_id AND "
	    "n.rank = 1)"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sen_status s "
	    "WHERE s.end_date IS NULL AND s.status IN ('K','E') AND (SELECT "
	    "count(*) FROM cycle c WHERE c.pupil_id = s.pupil_id AND "
	    "c.closed_on IS NULL) <> 1"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sen_status s "
	    "JOIN cycle c ON c.pupil_id = s.pupil_id AND c.closed_on IS NULL "
	    "WHERE s.end_date IS NULL AND s.status = 'N'"), 0);
	/* NSA only with K, and only as the primary need. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_need n "
	    "JOIN sen_status s ON s.pupil_id = n.pupil_id AND "
	    "s.end_date IS NULL WHERE n.code = 'NSA' AND (s.status <> 'K' OR "
	    "n.rank <> 1)"), 0);
	/* Ratings 0..4, inside the plan period and not after today. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM rating WHERE value < 0 "
	    "OR value > 4"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM rating WHERE value IS "
	    "NULL"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM rating r JOIN target t "
	    "ON t.id = r.target_id JOIN cycle c ON c.id = t.cycle_id WHERE "
	    "r.rated_on < c.plan_start OR r.rated_on > '" TODAY_ISO "' OR "
	    "r.rated_on > coalesce(c.closed_on, '9999')"), 0);
	/* 2 to 4 targets a cycle; closed ones all have outcomes. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM cycle c WHERE (SELECT "
	    "count(*) FROM target t WHERE t.cycle_id = c.id) NOT BETWEEN 2 "
	    "AND 4"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM target t JOIN cycle c "
	    "ON c.id = t.cycle_id WHERE c.closed_on IS NOT NULL AND t.outcome "
	    "IS NULL"), 0);
	cr_assert(th_count(db, "SELECT count(*) FROM target WHERE carried_from "
	    "IS NOT NULL") > 0, "unmet targets carry over");
	/* Past targets have 2-4 ratings, mostly rising. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM target t JOIN cycle c "
	    "ON c.id = t.cycle_id WHERE c.closed_on IS NOT NULL AND (SELECT "
	    "count(*) FROM rating r WHERE r.target_id = t.id) NOT BETWEEN 2 "
	    "AND 4"), 0);
	cr_assert(th_count(db, "SELECT count(*) FROM target t WHERE (SELECT "
	    "value FROM rating r WHERE r.target_id = t.id ORDER BY rated_on "
	    "DESC, rowid DESC LIMIT 1) > (SELECT value FROM rating r WHERE "
	    "r.target_id = t.id ORDER BY rated_on, rowid LIMIT 1)") >
	    rows(db, "target") / 3);
	/* Several raters, restored to the caller's name afterwards. */
	cr_assert(th_count(db, "SELECT count(DISTINCT author) FROM "
	    "rating") >= 4);
	cr_assert_str_eq(db_author(db), "tester");
	/* Open cycles at a spread of stages; some reviews overdue, some
	 * due within two weeks. */
	cr_assert(th_count(db, "SELECT count(DISTINCT stage) FROM cycle WHERE "
	    "closed_on IS NULL") >= 3);
	cr_assert(th_count(db, "SELECT count(*) FROM cycle WHERE closed_on IS "
	    "NULL AND review_date < '" TODAY_ISO "'") > 0);
	cr_assert(th_count(db, "SELECT count(*) FROM cycle WHERE closed_on IS "
	    "NULL AND review_date BETWEEN '" TODAY_ISO "' AND "
	    "date('" TODAY_ISO "', '+14 days')") > 0);
	cr_assert(th_count(db, "SELECT count(*) FROM cycle WHERE decision = "
	    "'continue'") > th_count(db, "SELECT count(*) FROM cycle WHERE "
	    "decision = 'increase'"));
	/* Status history: dates in the past, some E after K. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sen_status WHERE "
	    "start_date > '" TODAY_ISO "'"), 0);
	db_close(db);
}

/* Yearly cost of a pupil's running provision, as the provision map puts
 * it (derive.h): per session / group, or hourly rate * minutes / 60 /
 * group; times sessions a week times 39 weeks. */
#define COST_SQL \
	"SELECT e.pupil_id, sum(CASE i.cost_basis WHEN 'hour' THEN " \
	"i.cost_pence * e.minutes / 60.0 ELSE i.cost_pence END / " \
	"e.group_size * e.sessions_per_week * 39) AS pence FROM enrolment e " \
	"JOIN intervention i ON i.id = e.intervention_id WHERE e.ended = 0 " \
	"GROUP BY e.pupil_id"

Test(demo, provision_has_scores_and_some_pupils_over_the_topup)
{
	struct db *db = built(400, 3);
	int64_t sen = th_count(db, "SELECT count(*) FROM sen_status WHERE "
	    "end_date IS NULL AND status <> 'N'");
	int64_t en = rows(db, "enrolment");

	/* About 1.5 enrolments per pupil on the register. */
	cr_assert(en >= sen && en <= 3 * sen, "%lld enrolments for %lld",
	    (long long)en, (long long)sen);
	cr_assert(th_count(db, "SELECT count(*) FROM enrolment WHERE ended = 1 "
	    "AND exit_score IS NOT NULL") > 0);
	cr_assert(th_count(db, "SELECT count(*) FROM enrolment WHERE "
	    "measure_kind = 'age' AND entry_score IS NOT NULL") > 0);
	cr_assert(th_count(db, "SELECT count(*) FROM enrolment WHERE "
	    "measure_kind = 'score' AND entry_score >= 70") > 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM enrolment WHERE "
	    "group_size NOT BETWEEN 1 AND 6"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM enrolment WHERE "
	    "start_date > '" TODAY_ISO "'"), 0);
	cr_assert(th_count(db, "SELECT count(*) FROM (" COST_SQL ") WHERE "
	    "pence > 600000") >= 1, "someone needs top-up funding");
	cr_assert(th_count(db, "SELECT count(*) FROM (" COST_SQL ") WHERE "
	    "pence > 600000") <= sen / 4, "only a few over £6,000");
	/* Exclusions: suspensions have sessions; nobody in reception. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM exclusion WHERE kind = "
	    "'suspension' AND sessions < 1"), 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM exclusion x JOIN pupil "
	    "p ON p.id = x.pupil_id WHERE p.year_group = 'R'"), 0);
	db_close(db);
}

Test(demo, pupils_have_valid_upns_and_ages_that_fit_their_year)
{
	struct db *db = built(200, 4);
	sqlite3_stmt *st;
	struct serr e;
	int n = 0, nonascii = 0, preferred = 0;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "SELECT upn, dob, "
	    "year_group, legal_surname || legal_forename, preferred_forename, "
	    "class FROM pupil", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *upn = (const char *)sqlite3_column_text(st, 0);
		const char *dob = (const char *)sqlite3_column_text(st, 1);
		const char *year = (const char *)sqlite3_column_text(st, 2);
		const char *name = (const char *)sqlite3_column_text(st, 3);
		const char *cls = (const char *)sqlite3_column_text(st, 5);
		int y, m, d, cohort, want;

		cr_assert_eq(upn_validate(upn, &e), 0, "%s", e.msg);
		cr_assert_eq(strncmp(upn + 1, "999", 3), 0, "%s: LA 999", upn);
		cr_assert_eq(sscanf(dob, "%d-%d-%d", &y, &m, &d), 3);
		/* Reception in 2025/26 were born 1/9/2020 .. 31/8/2021. */
		cohort = m >= 9 ? y : y - 1;
		want = 2025 - cohort - 5;
		cr_assert(want >= 0 && want <= 6, "%s born %s", upn, dob);
		if (want == 0)
			cr_assert_str_eq(year, "R");
		else
			cr_assert_eq(atoi(year), want, "%s born %s in year %s",
			    upn, dob, year);
		cr_assert_eq(strncmp(cls, year, strlen(year)), 0, "class %s",
		    cls);
		for (const char *s = name; *s != '\0'; s++)
			if ((unsigned char)*s >= 0x80) {
				nonascii++;
				break;
			}
		preferred += sqlite3_column_type(st, 4) != SQLITE_NULL;
		n++;
	}
	sqlite3_finalize(st);
	cr_assert_eq(n, 200);
	cr_assert(nonascii >= 10, "%d names with non-ASCII letters", nonascii);
	cr_assert(preferred >= 3, "%d preferred forenames", preferred);
	cr_assert_eq(th_count(db, "SELECT count(DISTINCT upn) FROM pupil"),
	    200);
	db_close(db);
}

Test(demo, events_fall_on_school_days)
{
	struct db *db = built(300, 8);

	/* Ratings, notes, meetings and the rest happen in term time on
	 * weekdays: not at weekends, not from 23 July to 2 September. */
	cr_assert_eq(th_count(db, "WITH d(x) AS ("
	    "SELECT rated_on FROM rating UNION ALL "
	    "SELECT plan_start FROM cycle UNION ALL "
	    "SELECT closed_on FROM cycle WHERE closed_on IS NOT NULL UNION ALL "
	    "SELECT noted_on FROM note UNION ALL "
	    "SELECT start_date FROM enrolment UNION ALL "
	    "SELECT end_date FROM enrolment WHERE ended = 1 UNION ALL "
	    "SELECT referred_on FROM agency_involvement UNION ALL "
	    "SELECT advice_on FROM agency_involvement WHERE advice_on IS NOT "
	    "NULL UNION ALL "
	    "SELECT excluded_on FROM exclusion UNION ALL "
	    "SELECT start_date FROM sen_status) "
	    "SELECT count(*) FROM d WHERE strftime('%w', x) IN ('0', '6') OR "
	    "strftime('%m', x) = '08' OR strftime('%m-%d', x) "
	    "BETWEEN '07-23' AND '07-31' OR strftime('%m-%d', x) "
	    "BETWEEN '09-01' AND '09-02'"), 0);
	db_close(db);
}

Test(demo, database_checks_clean)
{
	struct db *db = th_db();
	int64_t cache = th_count(db, "PRAGMA cache_size");
	sqlite3_stmt *st;
	struct serr e;

	cr_assert_eq(build(db, 200, 5, NULL, &e), 0, "demo: %s", e.msg);
	/* The bigger cache of the build is given back. */
	cr_assert_eq(th_count(db, "PRAGMA cache_size"), cache);
	/* Fictional pupils leave no audit trail; what follows does. */
	cr_assert_eq(rows(db, "audit"), 0);
	th_pupil(db, 999, "Nguyễn", "Mai", 'N', NULL, "2");
	cr_assert(rows(db, "audit") > 0, "audit is on again after the demo");

	cr_assert_eq(th_count(db, "SELECT count(*) FROM "
	    "pragma_foreign_key_check"), 0);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "PRAGMA integrity_check",
	    -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

/* --- determinism -------------------------------------------------------- */

Test(demo, same_seed_gives_the_same_content)
{
	struct db *a = built(200, 42), *b = built(200, 42);

	/* Different ids, same content. */
	cr_assert_neq(th_count(a, "SELECT sum(id % 1000003) FROM pupil"),
	    th_count(b, "SELECT sum(id % 1000003) FROM pupil"));
	cr_assert_eq(digest(a), digest(b));
	db_close(a);
	db_close(b);
}

Test(demo, different_seeds_differ)
{
	struct db *a = built(200, 42), *b = built(200, 43);

	cr_assert_neq(digest(a), digest(b));
	db_close(a);
	db_close(b);
}

Test(demo, a_larger_roll_is_a_trust_with_secondary_schools)
{
	struct db *db = built(2000, 6);

	cr_assert_eq(rows(db, "pupil"), 2000);
	cr_assert_eq(th_count(db, "SELECT count(DISTINCT upn) FROM pupil"),
	    2000);
	/* Two schools, a catalogue each. */
	cr_assert_eq(rows(db, "intervention"), 26);
	cr_assert(th_count(db, "SELECT count(*) FROM pupil WHERE year_group IN "
	    "('7','8','9','10','11')") > 0);
	cr_assert(th_count(db, "SELECT count(*) FROM pupil WHERE year_group = "
	    "'R'") > 0);
	/* Secondary pupils get no primary-only programmes. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM enrolment e JOIN pupil "
	    "p ON p.id = e.pupil_id JOIN intervention i ON i.id = "
	    "e.intervention_id WHERE p.year_group IN ('7','8','9','10','11') "
	    "AND (i.name LIKE 'Phonics%' OR i.name LIKE 'Sensory circuits%')"),
	    0);
	db_close(db);
}

/* --- refusals ----------------------------------------------------------- */

Test(demo, refuses_a_caseload_with_pupils_and_leaves_it_unchanged)
{
	struct db *db = th_db();
	const char *csv = th_path("roll.csv");
	struct serr e;
	uint64_t before;

	th_pupil(db, 1, "Kowalczyk", "Łukasz", 'K', "SLCN", "3");
	before = digest(db);
	cr_assert_eq(build(db, 200, 1, csv, &e), SE_EXISTS);
	cr_assert(strstr(e.msg, "already has pupils") != NULL, "%s", e.msg);
	cr_assert_eq(digest(db), before);
	cr_assert_eq(rows(db, "pupil"), 1);
	cr_assert_eq(rows(db, "intervention"), 0);
	cr_assert_neq(access(csv, F_OK), 0, "no CSV after a refusal");
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

Test(demo, refuses_bad_options_and_writes_nothing)
{
	struct db *db = th_db();
	struct demo_opts o;
	struct serr e;
	static const int bad[] = { 0, -5, 1000001 };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(build(db, bad[i], 1, NULL, &e), SE_INVALID,
		    "%d pupils", bad[i]);
		cr_assert(strstr(e.msg, "pupils") != NULL, "%s", e.msg);
	}
	demo_opts_init(&o);
	o.review_weeks = 60;
	cr_assert_eq(demo_build(db, &o, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "weeks") != NULL, "%s", e.msg);
	/* The core refuses records dated in the future. */
	demo_opts_init(&o);
	o.today = date_today() + 30;
	cr_assert_eq(demo_build(db, &o, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "future") != NULL, "%s", e.msg);
	cr_assert_eq(rows(db, "pupil"), 0);
	cr_assert_eq(rows(db, "intervention"), 0);
	db_close(db);
}

Test(demo, a_failure_half_way_leaves_nothing)
{
	static const char *const retire[] = {
		"Precision teaching", "Maths catch-up", "Social skills group",
		"Speech and language programme", "Reading comprehension group",
		"Regulation zones group", "Individual adult support",
	};
	struct db *db = th_db();
	const char *csv = th_path("roll.csv");
	struct intervention iv;
	struct serr e;
	int rc;

	/* The school's own, retired, programmes of the same names: the
	 * demo uses the catalogue it finds and the first enrolment in one
	 * fails after many pupils were written. */
	for (size_t i = 0; i < sizeof retire / sizeof retire[0]; i++) {
		intervention_init(&iv);
		snprintf(iv.name, sizeof iv.name, "%s", retire[i]);
		iv.area = AREA_CL;
		iv.retired = true;
		cr_assert_eq(intervention_add(db, &iv, &e), 0, "%s", e.msg);
		intervention_free(&iv);
	}
	rc = build(db, 200, 1, csv, &e);
	cr_assert_eq(rc, SE_STATE, "%d: %s", rc, e.msg);
	cr_assert(strstr(e.msg, "retired") != NULL, "%s", e.msg);
	cr_assert(strstr(e.msg, "demo (pupil ") != NULL, "%s", e.msg);
	cr_assert_eq(rows(db, "pupil"), 0);
	cr_assert_eq(rows(db, "cycle"), 0);
	cr_assert_eq(rows(db, "intervention"), 7);
	cr_assert_neq(access(csv, F_OK), 0, "the CSV is removed");
	cr_assert_str_eq(db_author(db), "tester");
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

/* --- the CSV ------------------------------------------------------------ */

/* Split one RFC 4180 record starting at *p; returns the field count and
 * leaves *p after the CRLF. Fields go into f[] (cut at 127 bytes). */
static int
csv_record(const char **p, char f[][128], int max)
{
	const char *s = *p;
	int n = 0;

	for (;;) {
		size_t o = 0;

		if (*s == '"') {
			for (s++; *s != '\0'; s++) {
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"') {
					s++;
					break;
				}
				if (n < max && o < 127)
					f[n][o++] = *s;
			}
		} else
			for (; *s != ',' && *s != '\r' && *s != '\0'; s++)
				if (n < max && o < 127)
					f[n][o++] = *s;
		if (n < max)
			f[n][o] = '\0';
		n++;
		if (*s == ',') {
			s++;
			continue;
		}
		break;
	}
	cr_assert(s[0] == '\r' && s[1] == '\n', "records end in CRLF");
	*p = s + 2;
	return n;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(demo, writes_the_roll_as_an_mis_csv)
{
	struct db *db = th_db();
	const char *csv = th_path("roll.csv");
	char f[16][128], *text;
	const char *p;
	struct stat sb;
	struct serr e;
	int n = 0, on_register = 0;

	cr_assert_eq(build(db, 200, 9, csv, &e), 0, "%s", e.msg);
	cr_assert_eq(stat(csv, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600, "mode %o", sb.st_mode & 0777);
	p = text = slurp(csv);
	cr_assert_eq(csv_record(&p, f, 16), 16);
	cr_assert_str_eq(f[0], "UPN");
	cr_assert_str_eq(f[3], "Preferred Forename");
	cr_assert_str_eq(f[4], "DOB");
	cr_assert_str_eq(f[8], "SEN Status");
	cr_assert_str_eq(f[15], "Attendance %");
	while (*p != '\0') {
		char sql[400];
		int d, m, y;

		cr_assert_eq(csv_record(&p, f, 16), 16, "row %d", n + 1);
		cr_assert_eq(upn_validate(f[0], &e), 0, "%s", e.msg);
		cr_assert_eq(sscanf(f[4], "%2d/%2d/%4d", &d, &m, &y), 3, "%s",
		    f[4]);
		cr_assert(strchr("NKE", f[8][0]) != NULL && f[8][1] == '\0');
		/* The CSV says what the caseload says. */
		snprintf(sql, sizeof sql, "SELECT s.status = '%.1s' FROM pupil "
		    "p JOIN sen_status s ON s.pupil_id = p.id AND s.end_date "
		    "IS NULL WHERE p.upn = '%.13s'", f[8], f[0]);
		cr_assert_eq(th_count(db, sql), 1, "%s status %s", f[0], f[8]);
		if (f[8][0] != 'N') {
			on_register++;
			cr_assert(f[9][0] != '\0', "%s has a primary need", f[0]);
		} else
			cr_assert_str_eq(f[9], "");
		cr_assert(strcmp(f[11], "Y") == 0 || strcmp(f[11], "N") == 0);
		n++;
	}
	cr_assert_eq(n, 200);
	cr_assert(on_register > 0);
	free(text);
	db_close(db);
}

Test(demo, will_not_overwrite_a_csv)
{
	struct db *db = th_db();
	const char *csv = th_path("roll.csv");
	struct serr e;
	char *text;
	FILE *f = fopen(csv, "w");

	cr_assert_not_null(f);
	fputs("precious\n", f);
	fclose(f);
	cr_assert_eq(build(db, 50, 1, csv, &e), SE_EXISTS);
	cr_assert(strstr(e.msg, "will not overwrite") != NULL, "%s", e.msg);
	text = slurp(csv);
	cr_assert_str_eq(text, "precious\n");
	free(text);
	cr_assert_eq(rows(db, "pupil"), 0);
	db_close(db);
}

/* Regression: outcomes of closed cycles are dated when the cycle closed,
 * not the day the demo was built. */
Test(demo, outcomes_are_dated_at_their_cycle_close)
{
	struct db *db = th_db();
	struct demo_opts o;
	struct serr e;
	sqlite3_stmt *st;

	demo_opts_init(&o);
	o.pupils = 200;
	o.today = date_from_ymd(2026, 11, 23);
	cr_assert_eq(demo_build(db, &o, &e), 0, "%s", e.msg);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), "SELECT count(*), "
	    "sum(t.outcome_on = c.closed_on) FROM target t JOIN cycle c ON "
	    "c.id = t.cycle_id WHERE t.outcome IS NOT NULL AND c.closed_on "
	    "IS NOT NULL", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_gt(sqlite3_column_int(st, 0), 0);
	cr_assert_eq(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
	sqlite3_finalize(st);
	db_close(db);
}

/* --- a benchmark's caseload (issue 6) ------------------------------------ */

static struct db *
built_bench(int pupils, uint32_t seed, int copies, const char *csv)
{
	struct db *db = th_db();
	struct demo_opts o;
	struct serr e;

	demo_opts_init(&o);
	o.pupils = pupils;
	o.seed = seed;
	o.today = date_from_ymd(TODAY_Y, TODAY_M, TODAY_D);
	o.register_pct = 100;
	o.copies = copies;
	o.csv_path = csv;
	cr_assert_eq(demo_build(db, &o, &e), 0, "demo: %s", e.msg);
	return db;
}

Test(demo, register_pct_puts_that_share_on_the_register)
{
	struct db *db = built_bench(120, 3, 0, NULL);

	/* every pupil but the few whose support ended (removed to N) */
	cr_assert_geq(th_count(db, "SELECT count(*) FROM sen_status WHERE "
	    "end_date IS NULL AND status <> 'N'"), 110);
	cr_assert_gt(th_count(db, "SELECT count(*) FROM sen_status WHERE "
	    "end_date IS NULL AND status = 'E'"), 5);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 120);
	db_close(db);
}

/* Copies: the roll asked for, every UPN valid and its own, each copy
 * with its original's history, references intact, the search index
 * whole, the same content from the same seed, and the CSV of them all. */
Test(demo, copies_make_the_roll_fast_and_whole)
{
	const char *csv = th_path("copies.csv");
	struct db *a = built_bench(92, 9, 4, csv), *b = built_bench(92, 9, 4,
	    NULL);
	sqlite3_stmt *st;
	char line[512];
	FILE *f;
	int n = 0;

	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil"), 92);
	cr_assert_eq(th_count(a, "SELECT count(DISTINCT upn) FROM pupil"), 92);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(a), "SELECT upn FROM pupil",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		cr_assert_eq(upn_validate((const char *)sqlite3_column_text(st,
		    0), NULL), 0, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	/* 23 originals (LA 999) and their copies (LA 998, 997, 996) */
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil WHERE "
	    "substr(upn, 2, 3) = '999'"), 23);
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil WHERE "
	    "substr(upn, 2, 3) = '996'"), 23);
	/* a copy has its original's history: same counts per LA */
	cr_assert_eq(th_count(a, "SELECT count(DISTINCT n) FROM (SELECT "
	    "substr(p.upn, 2, 3), count(*) AS n FROM rating r JOIN target t "
	    "ON t.id = r.target_id JOIN cycle c ON c.id = t.cycle_id JOIN "
	    "pupil p ON p.id = c.pupil_id GROUP BY 1)"), 1);
	cr_assert_eq(th_count(a, "SELECT count(DISTINCT n) FROM (SELECT "
	    "substr(p.upn, 2, 3), count(*) AS n FROM cycle c JOIN pupil p ON "
	    "p.id = c.pupil_id WHERE c.carried_from IS NOT NULL GROUP BY 1)"),
	    1);
	cr_assert_eq(th_count(a, "SELECT count(*) FROM "
	    "pragma_foreign_key_check"), 0);
	cr_assert_eq(th_count(a, "SELECT count(*) FROM cycle c WHERE "
	    "c.carried_from IS NOT NULL AND (SELECT pupil_id FROM cycle WHERE "
	    "id = c.carried_from) <> c.pupil_id"), 0, "copies keep their own "
	    "chains of cycles");
	cr_assert_eq(th_count(a, "PRAGMA foreign_keys"), 1, "back on");
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil_search"), 92);
	cr_assert_eq(th_count(a, "SELECT count(*) FROM pupil_search_stale"), 0);
	cr_assert_eq(digest(a), digest(b));

	cr_assert_not_null(f = fopen(csv, "r"));
	while (fgets(line, sizeof line, f) != NULL)
		n++;
	fclose(f);
	cr_assert_eq(n, 93, "a header and 92 pupils: %d lines", n);
	db_close(a);
	db_close(b);
}

Test(demo, refuses_bad_benchmark_options_and_writes_nothing)
{
	struct db *db = th_db();
	struct demo_opts o;
	struct serr e;

	demo_opts_init(&o);
	o.copies = 11;
	cr_assert_eq(demo_build(db, &o, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "copies") != NULL, "%s", e.msg);
	o.copies = -1;
	cr_assert_eq(demo_build(db, &o, &e), SE_INVALID);
	demo_opts_init(&o);
	o.register_pct = 101;
	cr_assert_eq(demo_build(db, &o, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "register") != NULL, "%s", e.msg);
	o.register_pct = -3;
	cr_assert_eq(demo_build(db, &o, &e), SE_INVALID);
	cr_assert_eq(rows(db, "pupil"), 0);
	db_close(db);
}
