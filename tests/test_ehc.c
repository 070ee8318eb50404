/*
 * test_ehc.c: the statutory dates of EHC needs assessment requests (6,
 * 16 and 20 calendar weeks through holidays, year ends and leap years),
 * the steps of a request and every refusal (with nothing written), the
 * request made from a review, and EHC plans: annual reviews (12 months,
 * 6 under age 5), their reports, and the phase-transfer deadline of each
 * transfer group.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/config.h"
#include "core/cycle.h"
#include "core/ehc.h"
#include "core/record.h"
#include "core/report.h"
#include "helpers.h"

TestSuite(deadlines, .fini = th_cleanup);
TestSuite(requests, .fini = th_cleanup);
TestSuite(from_review, .fini = th_cleanup);
TestSuite(plans, .fini = th_cleanup);

static long long
count(struct db *db, const char *table)
{
	char sql[128];
	sqlite3_stmt *st;
	long long v;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
fix_today(const char *iso)
{
	cr_assert_eq(setenv("SENCO_TODAY", iso, 1), 0);
}

static sdate
d(int y, int m, int dd)
{
	return date_from_ymd(y, m, dd);
}

static const char *
iso(sdate x)
{
	static char buf[4][DATE_ISO_LEN];
	static int n;

	return date_iso(x, buf[n++ % 4]);
}

static struct ehc_request
received(sdate on)
{
	struct ehc_request r;

	ehc_request_init(&r);
	r.sent_on = r.received_on = on;
	return r;
}

/* --- the arithmetic ------------------------------------------------------- */

Test(deadlines, across_the_year_end_and_christmas)
{
	struct ehc_request r = received(d(2026, 12, 20));
	struct ehc_status s;

	/* Calendar weeks: the Christmas holiday does not stop the clock.
	 * 20 Dec + 42 days = 31 Jan; + 112 = 11 Apr; + 140 = 9 May. */
	ehc_compute(&r, d(2026, 12, 20), &s);
	cr_assert_str_eq(iso(s.decision_due), "2027-01-31");
	cr_assert_str_eq(iso(s.draft_due), "2027-04-11");
	cr_assert_str_eq(iso(s.final_due), "2027-05-09");
	cr_assert_not(s.clock_assumed);
	cr_assert_str_eq(iso(ehc_add_weeks(d(2026, 12, 20), 6)), "2027-01-31");
}

Test(deadlines, received_in_the_summer_holiday)
{
	struct ehc_request r = received(d(2026, 7, 25));
	struct ehc_status s;

	/* 25 Jul + 42 = 5 Sep, during the holiday's last days; + 140 = 12
	 * Dec. The LA's excuse for advice asked of a closed school is an
	 * exception (recorded as text), not a change of the dates. */
	ehc_compute(&r, d(2026, 9, 1), &s);
	cr_assert_str_eq(iso(s.decision_due), "2026-09-05");
	cr_assert_str_eq(iso(s.draft_due), "2026-11-14");
	cr_assert_str_eq(iso(s.final_due), "2026-12-12");
	cr_assert_eq(s.days_elapsed, 38);
	cr_assert_eq(s.weeks_elapsed, 5);
}

Test(deadlines, leap_years)
{
	struct ehc_request r = received(d(2028, 1, 18));
	struct ehc_status s;

	ehc_compute(&r, d(2028, 1, 18), &s);
	cr_assert_str_eq(iso(s.decision_due), "2028-02-29");
	r = received(d(2027, 1, 18));
	ehc_compute(&r, d(2027, 1, 18), &s);
	cr_assert_str_eq(iso(s.decision_due), "2027-03-01");
	/* Received on 29 February: 29 Feb + 140 = 18 Jul. */
	r = received(d(2028, 2, 29));
	ehc_compute(&r, d(2028, 2, 29), &s);
	cr_assert_str_eq(iso(s.decision_due), "2028-04-11");
	cr_assert_str_eq(iso(s.final_due), "2028-07-18");
	/* Across February of a leap year: 1 Feb 2028 + 140 = 20 Jun. */
	r = received(d(2028, 2, 1));
	ehc_compute(&r, d(2028, 2, 1), &s);
	cr_assert_str_eq(iso(s.final_due), "2028-06-20");
}

Test(deadlines, next_deadline_and_overdue_words)
{
	struct ehc_request r = received(d(2026, 9, 1));
	struct ehc_status s;
	char buf[40];

	/* Decision due 13 Oct; on 22 Oct it is 9 days late, 51 days in. */
	ehc_compute(&r, d(2026, 10, 22), &s);
	cr_assert_str_eq(s.next.what, "decision to assess");
	cr_assert_str_eq(iso(s.next.due), "2026-10-13");
	cr_assert_eq(s.next.days_left, -9);
	cr_assert(s.next.overdue);
	cr_assert_str_eq(ehc_due_text(&s.next, buf, sizeof buf),
	    "OVERDUE by 9 days");
	cr_assert_eq(s.days_elapsed, 51);
	cr_assert_eq(s.weeks_elapsed, 7);
	cr_assert_str_eq(ehc_elapsed_text(&s, buf, sizeof buf), "7w 2d");
	ehc_compute(&r, d(2026, 10, 14), &s);
	cr_assert_str_eq(ehc_due_text(&s.next, buf, sizeof buf),
	    "OVERDUE by 1 day");
	ehc_compute(&r, d(2026, 10, 13), &s);
	cr_assert_not(s.next.overdue);
	cr_assert_str_eq(ehc_due_text(&s.next, buf, sizeof buf), "due today");
	ehc_compute(&r, d(2026, 10, 12), &s);
	cr_assert_str_eq(ehc_due_text(&s.next, buf, sizeof buf),
	    "due in 1 day");

	/* Each stage has its own next deadline. */
	r.stage = EHC_ASSESSING;
	r.stage_on = d(2026, 10, 10);
	ehc_compute(&r, d(2026, 10, 22), &s);
	cr_assert_str_eq(s.next.what, "decision to issue and draft plan");
	cr_assert_str_eq(iso(s.next.due), "2026-12-22");
	cr_assert_str_eq(ehc_due_text(&s.next, buf, sizeof buf),
	    "due in 61 days");
	r.stage = EHC_DRAFT;
	ehc_compute(&r, d(2026, 10, 22), &s);
	cr_assert_str_eq(s.next.what, "final plan");
	cr_assert_str_eq(iso(s.next.due), "2027-01-19");
	/* A final plan: nothing next; the weeks stop at its date. */
	r.stage = EHC_FINAL;
	r.stage_on = d(2027, 1, 12);
	ehc_compute(&r, d(2027, 6, 1), &s);
	cr_assert_null(s.next.what);
	cr_assert_str_eq(ehc_due_text(&s.next, buf, sizeof buf), "");
	cr_assert_eq(s.weeks_elapsed, 19);
	cr_assert_eq(s.appeal_by, SDATE_NONE);
}

Test(deadlines, appeals_and_a_clock_not_started)
{
	struct ehc_request r = received(d(2026, 9, 1));
	struct ehc_status s;
	char buf[40];

	/* Declined on 31 Dec: parents may appeal for two months (to the
	 * last day of February). */
	r.stage = EHC_DECLINED;
	r.stage_on = d(2026, 12, 31);
	ehc_compute(&r, d(2027, 1, 5), &s);
	cr_assert_null(s.next.what);
	cr_assert_str_eq(iso(s.appeal_by), "2027-02-28");
	/* After an appeal the Tribunal's order sets the dates. */
	r.stage = EHC_ASSESSING;
	r.appealed = true;
	ehc_compute(&r, d(2027, 3, 5), &s);
	cr_assert_null(s.next.what);
	cr_assert_str_eq(iso(s.decision_due), "2026-10-13");
	/* Received unknown: counted from the day sent, and said so. */
	ehc_request_init(&r);
	r.sent_on = d(2026, 9, 1);
	ehc_compute(&r, d(2026, 9, 2), &s);
	cr_assert(s.clock_assumed);
	cr_assert_str_eq(iso(s.next.due), "2026-10-13");
	/* Not sent: no clock at all. */
	ehc_request_init(&r);
	ehc_compute(&r, d(2026, 9, 2), &s);
	cr_assert_eq(s.clock_start, SDATE_NONE);
	cr_assert_null(s.next.what);
	cr_assert_eq(s.days_elapsed, -1);
	cr_assert_str_eq(ehc_elapsed_text(&s, buf, sizeof buf), "");
	/* The deadline each step is measured against. */
	r = received(d(2026, 9, 1));
	ehc_compute(&r, d(2026, 9, 1), &s);
	cr_assert_eq(ehc_step_due(&s, EHC_STEP_DECLINED), s.decision_due);
	cr_assert_eq(ehc_step_due(&s, EHC_STEP_REFUSED), s.draft_due);
	cr_assert_eq(ehc_step_due(&s, EHC_STEP_FINAL), s.final_due);
	cr_assert_eq(ehc_step_due(&s, EHC_STEP_APPEAL), SDATE_NONE);
}

Test(deadlines, words)
{
	enum ehc_step_kind k;
	enum ehc_requester by;
	struct serr e;

	cr_assert_eq(ehc_step_parse("Decision-Agreed", &k, NULL), 0);
	cr_assert_eq(k, EHC_STEP_AGREED);
	cr_assert_eq(ehc_step_parse("declined", &k, NULL), 0);
	cr_assert_eq(k, EHC_STEP_DECLINED);
	cr_assert_eq(ehc_step_parse("issued", &k, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "step 'issued': not decision-agreed, "
	    "decision-declined, draft, final, refused or appeal");
	cr_assert_eq(ehc_requester_parse("Parent", &by, NULL), 0);
	cr_assert_eq(by, EHC_BY_PARENT);
	cr_assert_eq(ehc_requester_parse("GP", &by, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "requested by 'GP': not school, parent or "
	    "professional");
}

/* --- requests in the caseload --------------------------------------------- */

/* A pupil whose status starts on 1 September 2026. */
static int64_t
pupil(struct db *db, int serial, char status, const char *need,
    const char *year)
{
	int64_t id;

	fix_today("2026-09-01");
	id = th_pupil(db, serial, serial % 2 ? "Brown" : "李", serial % 2 ?
	    "Zoë" : "Wei", status, need, year);
	return id;
}

static int
add_request(struct db *db, int64_t pupil_id, sdate sent, sdate rec,
    struct ehc_request *r, struct serr *e)
{
	ehc_request_init(r);
	r->pupil_id = pupil_id;
	r->requested_by = EHC_BY_PARENT;
	r->sent_on = sent;
	r->received_on = rec;
	serr_clear(e);
	return ehc_request_add(db, r, NULL, 0, e);
}

static char
status_of(struct db *db, int64_t id, sdate *since)
{
	struct pupil p;

	cr_assert_eq(pupil_get(db, id, &p, NULL), 0);
	*since = p.status_since;
	return p.status;
}

static int
count_notes(void *ctx, const struct note *n)
{
	int *c = ctx;

	cr_assert(strncmp(n->text, "EHC needs assessment request, evidence: ",
	    40) == 0);
	cr_assert_str_eq(n->kind, "other");
	(*c)++;
	return 0;
}

Test(requests, from_request_to_final_plan)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	static const char *const ev[] = { "EP report, 12/2026",
	    "SALT advice: Zoë needs daily language work" };
	struct ehc_request r, got;
	struct ehc_list l;
	struct serr e;
	sdate since;
	int notes = 0;

	fix_today("2027-06-01");
	ehc_request_init(&r);
	r.pupil_id = id;
	r.requested_by = EHC_BY_SCHOOL;
	r.sent_on = d(2026, 12, 18);
	r.received_on = d(2026, 12, 20);
	r.exception = "EP visit delayed: school closed";
	cr_assert_eq(ehc_request_add(db, &r, ev, 2, &e), 0, "%s", e.msg);
	r.exception = NULL;
	cr_assert_eq(r.stage, EHC_REQUESTED);
	cr_assert_eq(note_list(db, id, count_notes, &notes, NULL), 0);
	cr_assert_eq(notes, 2);

	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 1, 25),
	    &e), 0, "%s", e.msg);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_DRAFT, d(2027, 4, 1), &e),
	    0, "%s", e.msg);
	cr_assert_eq(status_of(db, id, &since), 'K');
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_FINAL, d(2027, 5, 1), &e),
	    0, "%s", e.msg);
	/* The final plan makes the pupil E from its date, and is the plan
	 * the annual reviews count from. */
	cr_assert_eq(status_of(db, id, &since), 'E');
	cr_assert_str_eq(iso(since), "2027-05-01");
	cr_assert_eq(count(db, "ehcp_event WHERE kind = 'issued' AND held_on = "
	    "'2027-05-01' AND request_id IS NOT NULL"), 1);
	cr_assert_eq(count(db, "ehc_step"), 3);
	cr_assert_eq(ehc_request_get(db, r.id, &got, NULL), 0);
	cr_assert_eq(got.stage, EHC_FINAL);
	cr_assert_str_eq(iso(got.stage_on), "2027-05-01");
	cr_assert_str_eq(got.exception, "EP visit delayed: school closed");
	cr_assert_eq(got.version, 4);
	ehc_request_free(&got);
	/* Decided: out of the open list, in the full one. */
	cr_assert_eq(ehc_list(db, date_today(), false, 0, &l, NULL), 0);
	cr_assert_eq(l.n, 0);
	ehc_list_free(&l);
	cr_assert_eq(ehc_list(db, date_today(), true, 0, &l, NULL), 0);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].name, "Brown, Zoë");
	cr_assert_eq(l.v[0].status, 'E');
	cr_assert_eq(l.v[0].s.weeks_elapsed, 18);
	ehc_list_free(&l);
	/* Every change audited with the pupil. */
	cr_assert_eq(count(db, "audit WHERE tbl = 'ehc_step' AND pupil_id IS "
	    "NOT NULL"), 3);
	cr_assert_eq(count(db, "audit WHERE tbl = 'ehc_request' AND pupil_id "
	    "IS NOT NULL"), 4);
	db_close(db);
}

Test(requests, steps_out_of_order_write_nothing)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	struct ehc_request r, got;
	struct serr e;

	fix_today("2027-06-01");
	cr_assert_eq(add_request(db, id, d(2027, 1, 4), d(2027, 1, 5), &r, &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_DRAFT, d(2027, 2, 1), &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC request of B801200005001: requested; the "
	    "next step is decision-agreed or decision-declined, not draft");
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_APPEAL, d(2027, 2, 1), &e),
	    SE_STATE);
	/* Dates: not before the LA received it, not in the future. */
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 1, 4), &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC request of B801200005001: decision-agreed "
	    "on 04/01/2027, before the request was received (05/01/2027)");
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 6, 2), &e),
	    SE_INVALID);
	cr_assert_eq(count(db, "ehc_step"), 0);
	cr_assert_eq(ehc_request_get(db, r.id, &got, NULL), 0);
	cr_assert_eq(got.version, 1);
	cr_assert_eq(got.stage, EHC_REQUESTED);
	ehc_request_free(&got);
	/* Not before the last step either. */
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 2, 10),
	    &e), 0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_DRAFT, d(2027, 2, 9), &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC request of B801200005001: draft on "
	    "09/02/2027, before the last step (assessment agreed, 10/02/2027)");
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_FINAL, d(2027, 5, 1), &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_APPEAL, d(2027, 5, 2), &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC request of B801200005001: final plan "
	    "issued on 01/05/2027; no step follows");
	cr_assert_eq(count(db, "ehc_step"), 2);
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

Test(requests, a_final_plan_that_cannot_be_is_rolled_back)
{
	struct db *db = th_db();
	/* A parent's request for a pupil not on the register, with no need
	 * recorded: status E needs one. */
	int64_t id = pupil(db, 2, 'N', NULL, "3");
	struct ehc_request r, got;
	struct serr e;
	sdate since;

	fix_today("2027-06-01");
	cr_assert_eq(add_request(db, id, d(2027, 1, 4), d(2027, 1, 4), &r, &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 2, 1), &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_DRAFT, d(2027, 4, 1), &e),
	    0);
	cr_assert_neq(ehc_step_add(db, r.id, EHC_STEP_FINAL, d(2027, 5, 1), &e),
	    0);
	cr_assert(strstr(e.msg, "Q801200005002") != NULL, "%s", e.msg);
	cr_assert_eq(status_of(db, id, &since), 'N');
	cr_assert_eq(count(db, "ehc_step"), 2);
	cr_assert_eq(count(db, "ehcp_event"), 0);
	cr_assert_eq(ehc_request_get(db, r.id, &got, NULL), 0);
	cr_assert_eq(got.stage, EHC_DRAFT);
	ehc_request_free(&got);
	db_close(db);
}

Test(requests, one_open_request_and_appeals)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	struct ehc_request r, r2;
	struct ehc_list l;
	struct serr e;

	fix_today("2027-06-01");
	cr_assert_eq(add_request(db, id, d(2027, 1, 4), SDATE_NONE, &r, &e), 0);
	cr_assert_eq(add_request(db, id, d(2027, 2, 4), SDATE_NONE, &r2, &e),
	    SE_EXISTS);
	cr_assert_str_eq(e.msg, "EHC request: pupil B801200005001 has one open "
	    "already (sent 04/01/2027, requested): record its steps instead");
	cr_assert_eq(count(db, "ehc_request"), 1);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_DECLINED, d(2027, 2, 12),
	    &e), 0);
	/* Declined: it can be appealed, and a new request made. */
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_APPEAL, d(2027, 3, 1), &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 5, 20),
	    &e), 0);
	cr_assert_eq(ehc_list(db, date_today(), false, 0, &l, NULL), 0);
	cr_assert_eq(l.n, 1);
	cr_assert(l.v[0].r.appealed);
	cr_assert_eq(l.v[0].r.stage, EHC_ASSESSING);
	cr_assert_null(l.v[0].s.next.what);
	ehc_list_free(&l);
	db_close(db);
}

Test(requests, refused_then_appealed)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	struct ehc_request r;
	struct serr e;

	fix_today("2027-06-01");
	cr_assert_eq(add_request(db, id, d(2027, 1, 4), d(2027, 1, 6), &r, &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 2, 1), &e),
	    0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_REFUSED, d(2027, 4, 20),
	    &e), 0);
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_DRAFT, d(2027, 4, 21), &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC request of B801200005001: plan refused; "
	    "the next step is appeal, not draft");
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_APPEAL, d(2027, 5, 1), &e),
	    0);
	db_close(db);
}

Test(requests, bad_dates_and_pupils_write_nothing)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	struct ehc_request r;
	static const char *const empty[] = { "" };
	struct serr e;

	fix_today("2027-01-20");
	cr_assert_eq(add_request(db, id, d(2027, 1, 10), d(2027, 1, 9), &r, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC request: received on 09/01/2027, before it "
	    "was sent (10/01/2027)");
	cr_assert_eq(add_request(db, id, SDATE_NONE, d(2027, 1, 9), &r, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC request: a date received needs the date it "
	    "was sent");
	cr_assert_eq(add_request(db, id, d(2027, 1, 21), SDATE_NONE, &r, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC request: sent on 21/01/2027, in the "
	    "future");
	cr_assert_eq(add_request(db, id, d(2027, 1, 10), d(2027, 1, 21), &r,
	    &e), SE_INVALID);
	cr_assert_eq(add_request(db, 12345, d(2027, 1, 10), SDATE_NONE, &r, &e),
	    SE_NOTFOUND);
	ehc_request_init(&r);
	r.pupil_id = id;
	r.sent_on = d(2027, 1, 10);
	cr_assert_eq(ehc_request_add(db, &r, empty, 1, &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC request: the evidence text is empty");
	cr_assert_eq(pupil_archive(db, id, true, d(2027, 1, 15), NULL), 0);
	cr_assert_eq(add_request(db, id, d(2027, 1, 10), SDATE_NONE, &r, &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC request: pupil B801200005001 has left");
	cr_assert_eq(count(db, "ehc_request"), 0);
	cr_assert_eq(count(db, "note"), 0);
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

Test(requests, edit_the_dates)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	struct ehc_request r, stale, got;
	struct serr e;

	fix_today("2027-06-01");
	cr_assert_eq(add_request(db, id, SDATE_NONE, SDATE_NONE, &r, &e), 0);
	/* Not sent: no step yet. */
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 2, 1), &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC request of B801200005001: not sent yet; "
	    "give the day it was sent first");
	stale = r;
	r.sent_on = d(2027, 1, 4);
	r.received_on = d(2027, 1, 6);
	r.exception = "Family away 5 weeks";
	cr_assert_eq(ehc_request_update(db, &r, &e), 0, "%s", e.msg);
	r.exception = NULL;
	cr_assert_eq(r.version, 2);
	/* Someone else's older copy is refused. */
	stale.requested_by = EHC_BY_SCHOOL;
	cr_assert_eq(ehc_request_update(db, &stale, &e), SE_CONFLICT);
	cr_assert_eq(ehc_request_get(db, r.id, &got, NULL), 0);
	cr_assert_eq(got.requested_by, EHC_BY_PARENT);
	cr_assert_str_eq(got.exception, "Family away 5 weeks");
	ehc_request_free(&got);
	/* Once a step is taken the receipt cannot move past it. */
	cr_assert_eq(ehc_step_add(db, r.id, EHC_STEP_AGREED, d(2027, 2, 1), &e),
	    0);
	cr_assert_eq(ehc_request_get(db, r.id, &got, NULL), 0);
	got.received_on = d(2027, 2, 2);
	cr_assert_eq(ehc_request_update(db, &got, &e), SE_INVALID);
	ehc_request_free(&got);
	db_close(db);
}

Test(requests, the_most_pressing_first)
{
	struct db *db = th_db();
	int64_t a = pupil(db, 1, 'K', "SLCN", "5");
	int64_t b = pupil(db, 2, 'K', "ASD", "4");
	int64_t c = pupil(db, 3, 'K', "SEMH", "3");
	struct ehc_request r;
	struct ehc_list l;
	struct serr e;

	fix_today("2027-03-01");
	/* a: decision due 15 Feb, overdue 14 days; b: due 12 Apr;
	 * c: not sent. */
	cr_assert_eq(add_request(db, a, d(2027, 1, 4), SDATE_NONE, &r, &e), 0);
	cr_assert_eq(add_request(db, b, d(2027, 3, 1), SDATE_NONE, &r, &e), 0);
	cr_assert_eq(add_request(db, c, SDATE_NONE, SDATE_NONE, &r, &e), 0);
	cr_assert_eq(ehc_list(db, date_today(), false, 0, &l, &e), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_eq(l.v[0].r.pupil_id, a);
	cr_assert_eq(l.v[0].s.next.days_left, -14);
	cr_assert_eq(l.v[1].r.pupil_id, b);
	cr_assert_eq(l.v[2].r.pupil_id, c);
	cr_assert_null(l.v[2].s.next.what);
	ehc_list_free(&l);
	/* --today moves the clock. */
	cr_assert_eq(ehc_list(db, d(2027, 2, 15), false, 0, &l, &e), 0);
	cr_assert_eq(l.v[0].s.next.days_left, 0);
	ehc_list_free(&l);
	db_close(db);
}

/* --- from a review -------------------------------------------------------- */

static int64_t
closed_cycle(struct db *db, int64_t pupil_id, enum decision dec)
{
	struct cycle cy;
	struct serr e;

	fix_today("2026-09-01");
	cycle_init(&cy);
	cr_assert_eq(cycle_start(db, pupil_id, SDATE_NONE, SDATE_NONE, 12, &cy,
	    &e), 0, "%s", e.msg);
	cycle_free(&cy);
	fix_today("2026-12-01");
	cr_assert_eq(cycle_close(db, cy.id, dec, d(2026, 11, 24), 12, NULL, &e),
	    0, "%s", e.msg);
	return cy.id;
}

static int
last_note(void *ctx, const struct note *n)
{
	snprintf(ctx, 256, "%s", n->text);
	return 1;
}

Test(from_review, the_decision_makes_a_request)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	int64_t cy = closed_cycle(db, id, DECISION_EHC);
	struct ehc_request r;
	struct serr e;
	char text[256];

	cr_assert_eq(ehc_request_from_review(db, cy, SDATE_NONE, &r, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(r.cycle_id, cy);
	cr_assert_eq(r.requested_by, EHC_BY_SCHOOL);
	cr_assert_eq(r.sent_on, SDATE_NONE);
	cr_assert_eq(r.pupil_id, id);
	ehc_request_free(&r);
	note_list(db, id, last_note, text, NULL);
	cr_assert_str_eq(text, "EHC needs assessment request, evidence: decided "
	    "at the SEN support review of 24/11/2026");
	/* Again: one is open already, nothing more written. */
	cr_assert_eq(ehc_request_from_review(db, cy, SDATE_NONE, NULL, &e),
	    SE_EXISTS);
	cr_assert_eq(count(db, "ehc_request"), 1);
	cr_assert_eq(count(db, "note"), 1);
	db_close(db);
}

Test(from_review, only_from_that_decision)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	int64_t cy = closed_cycle(db, id, DECISION_CONTINUE);
	struct cycle open;
	struct serr e;

	cr_assert_eq(ehc_request_from_review(db, cy, SDATE_NONE, NULL, &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC request: the review did not decide to "
	    "request an EHC needs assessment");
	cycle_init(&open);
	cr_assert_eq(cycle_start(db, id, d(2026, 11, 25), SDATE_NONE, 12, &open,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(ehc_request_from_review(db, open.id, SDATE_NONE, NULL, &e),
	    SE_STATE);
	cycle_free(&open);
	cr_assert_eq(ehc_request_from_review(db, 999, SDATE_NONE, NULL, &e),
	    SE_NOTFOUND);
	cr_assert_eq(count(db, "ehc_request"), 0);
	db_close(db);
}

/* The cycle close of the review meeting: one transaction with the
 * request, which an open request already there does not spoil. */
Test(from_review, inside_the_closing_transaction)
{
	struct db *db = th_db();
	int64_t id = pupil(db, 1, 'K', "SLCN", "5");
	struct ehc_request r;
	struct cycle cy;
	struct serr e;
	int rc;

	cycle_init(&cy);
	cr_assert_eq(cycle_start(db, id, SDATE_NONE, SDATE_NONE, 12, &cy, &e),
	    0);
	cycle_free(&cy);
	fix_today("2026-12-01");
	cr_assert_eq(add_request(db, id, d(2026, 11, 2), SDATE_NONE, &r, &e),
	    0);
	cr_assert_eq(db_begin(db, &e), 0);
	cr_assert_eq(cycle_close(db, cy.id, DECISION_EHC, d(2026, 11, 24), 12,
	    NULL, &e), 0);
	rc = ehc_request_from_review(db, cy.id, SDATE_NONE, NULL, &e);
	cr_assert_eq(rc, SE_EXISTS);
	cr_assert_eq(db_commit(db, &e), 0, "%s", e.msg);
	cr_assert_eq(count(db, "cycle WHERE decision = 'ehc'"), 1);
	cr_assert_eq(count(db, "ehc_request"), 1);
	db_close(db);
}

/* --- EHC plans ------------------------------------------------------------ */

Test(plans, twelve_months_or_six_under_five)
{
	bool u5;

	/* 12 months after the plan, or after the last review. */
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 3, 15), SDATE_NONE,
	    d(2015, 1, 1), &u5)), "2027-03-15");
	cr_assert_not(u5);
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 3, 15), d(2026, 11, 1),
	    d(2015, 1, 1), &u5)), "2027-11-01");
	/* A review of an older plan does not count against a new one. */
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 3, 15), d(2025, 11, 1),
	    d(2015, 1, 1), &u5)), "2027-03-15");
	/* Under 5 on the day counted from: 6 months. */
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 3, 1), SDATE_NONE,
	    d(2022, 6, 1), &u5)), "2026-09-01");
	cr_assert(u5);
	/* Five that very day: 12 months; five tomorrow: 6. */
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 3, 1), SDATE_NONE,
	    d(2021, 3, 1), &u5)), "2027-03-01");
	cr_assert_not(u5);
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 3, 1), SDATE_NONE,
	    d(2021, 3, 2), &u5)), "2026-09-01");
	cr_assert(u5);
	/* 31 August + 6 months is the end of February; 29 February + 12
	 * months is 28 February. */
	cr_assert_str_eq(iso(ehcp_next_review(d(2026, 8, 31), SDATE_NONE,
	    d(2023, 1, 1), &u5)), "2027-02-28");
	cr_assert_str_eq(iso(ehcp_next_review(d(2028, 8, 31), SDATE_NONE,
	    d(2025, 1, 1), &u5)), "2029-02-28");
	cr_assert_str_eq(iso(ehcp_next_review(d(2024, 2, 29), SDATE_NONE,
	    d(2015, 1, 1), &u5)), "2025-02-28");
	cr_assert_eq(ehcp_next_review(SDATE_NONE, SDATE_NONE, SDATE_NONE, &u5),
	    SDATE_NONE);
}

Test(plans, fifteenth_of_february_for_each_transfer_group)
{
	static const struct {
		const char *year, *due, *to;
	} v[] = {
		{ "N2", "2027-02-15", "Reception" },
		{ "6", "2027-02-15", "secondary school" },
		{ "9", "2027-02-15", "the next phase" },
		/* Secondary to post-16: 31 March (SEND Regulations 2014,
		 * reg. 18(1)(a)). */
		{ "11", "2027-03-31", "post-16" },
	};
	static const char *const not_transfer[] = { "N1", "R", "1", "5", "7",
	    "10", "12", "X", "" };
	struct ehcp_transfer t;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		/* Any day of school year 2026/27. */
		ehcp_transfer_due(NULL, v[i].year, d(2026, 9, 1), &t);
		cr_assert(t.applies, "%s", v[i].year);
		cr_assert_str_eq(iso(t.due), v[i].due, "%s", v[i].year);
		cr_assert_str_eq(t.to, v[i].to);
		cr_assert_str_eq(iso(t.window_start), "2026-09-01");
		ehcp_transfer_due(NULL, v[i].year, d(2027, 8, 31), &t);
		cr_assert_str_eq(iso(t.due), v[i].due, "%s", v[i].year);
		/* The next school year: the next February. */
		ehcp_transfer_due(NULL, v[i].year, d(2027, 9, 1), &t);
		cr_assert_eq(t.due, date_add_months(date_from_iso(v[i].due),
		    12), "%s", v[i].year);
	}
	ehcp_transfer_due(NULL, "6", d(2027, 3, 1), &t);
	cr_assert_eq(t.days_left, -14);
	ehcp_transfer_due(NULL, "6", d(2027, 2, 15), &t);
	cr_assert_eq(t.days_left, 0);
	for (size_t i = 0; i < sizeof not_transfer / sizeof not_transfer[0];
	    i++) {
		ehcp_transfer_due(NULL, not_transfer[i], d(2026, 10, 1), &t);
		cr_assert_not(t.applies, "%s", not_transfer[i]);
		cr_assert_eq(t.due, SDATE_NONE);
	}
}

static const char *
conf_file(const char *text)
{
	const char *path = th_path("senco.conf");
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

Test(plans, configured_transfer_years)
{
	struct config cfg;
	struct ehcp_transfer t;
	struct serr e;
	const char *path;

	serr_clear(&e);
	cr_assert_eq(config_load(&cfg, conf_file("ehc = { transfer_years = "
	    "(\"Y2\", 4, \"8\"); };\n"), NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(cfg.n_transfer_years, 3);
	ehcp_transfer_due(&cfg, "2", d(2026, 10, 1), &t);
	cr_assert(t.applies);
	cr_assert_str_eq(t.to, "junior school");
	cr_assert_str_eq(iso(t.due), "2027-02-15");
	ehcp_transfer_due(&cfg, "4", d(2026, 10, 1), &t);
	cr_assert(t.applies);
	ehcp_transfer_due(&cfg, "6", d(2026, 10, 1), &t);
	cr_assert_not(t.applies);
	config_free(&cfg);
	/* None at all: a school with one phase. */
	cr_assert_eq(config_load(&cfg, conf_file("ehc = { transfer_years = "
	    "[]; };\n"), NULL, NULL, &e), 0);
	ehcp_transfer_due(&cfg, "6", d(2026, 10, 1), &t);
	cr_assert_not(t.applies);
	config_free(&cfg);
	path = conf_file("ehc = {\n  transfer_years = [\"6\", \"Y15\"];\n};\n");
	cr_assert_eq(config_load(&cfg, path, NULL, NULL, &e), SE_CONFIG);
	cr_assert(strstr(e.msg, ":2: 'ehc.transfer_years': 'Y15' is not a year "
	    "group (N1, N2, R, 1 to 14)") != NULL, "%s", e.msg);
	config_free(&cfg);
	path = conf_file("ehc = { transfer_years = [\"6\", \"Year 6\"]; };\n");
	cr_assert_eq(config_load(&cfg, path, NULL, NULL, &e), SE_CONFIG);
	cr_assert(strstr(e.msg, "year 6 is given twice") != NULL, "%s", e.msg);
	config_free(&cfg);
}

/* A pupil with a given date of birth and year group. */
static int64_t
child(struct db *db, int serial, const char *forename, sdate dob,
    const char *year, char status, const char *need)
{
	struct pupil p;
	struct serr e;

	fix_today("2026-09-01");
	pupil_init(&p);
	th_upn(serial, p.upn);
	snprintf(p.legal_surname, sizeof p.legal_surname, "Nowak");
	snprintf(p.legal_forename, sizeof p.legal_forename, "%s", forename);
	p.dob = dob;
	snprintf(p.year, sizeof p.year, "%s", year);
	p.status = status;
	snprintf(p.needs[0], sizeof p.needs[0], "%s", need);
	p.n_needs = 1;
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s", e.msg);
	return p.id;
}

static int
event(struct db *db, int64_t pupil_id, enum ehcp_event_kind k, sdate on,
    sdate report, struct serr *e)
{
	struct ehcp_event ev;

	ehcp_event_init(&ev);
	ev.pupil_id = pupil_id;
	ev.kind = k;
	ev.on = on;
	ev.report_on = report;
	serr_clear(e);
	return ehcp_event_add(db, &ev, e);
}

Test(plans, the_list_of_reviews_by_hand)
{
	struct db *db = th_db();
	int64_t p1 = child(db, 1, "Ada", d(2015, 3, 1), "6", 'E', "ASD");
	int64_t p2 = child(db, 2, "Bea", d(2017, 3, 1), "4", 'E', "SLCN");
	int64_t p3 = child(db, 3, "Cai", d(2022, 10, 1), "N2", 'E', "PD");
	int64_t p4 = child(db, 4, "Dan", d(2016, 3, 1), "5", 'K', "MLD");
	struct ehcp_list l;
	struct serr e;

	fix_today("2027-01-20");
	/* p1: plan issued 10 Feb 2026 (before it came to this school),
	 * reviewed 1 Dec 2026, report not sent: due 15 Dec, 36 days
	 * overdue. Next review 1 Dec 2027. Year 6: transfer by 15 Feb
	 * 2027, reviewed in the window, not yet amended. */
	cr_assert_eq(event(db, p1, EHCP_ISSUED, d(2026, 2, 10), SDATE_NONE, &e),
	    0, "%s", e.msg);
	cr_assert_eq(event(db, p1, EHCP_REVIEW, d(2026, 12, 1), SDATE_NONE, &e),
	    0, "%s", e.msg);
	/* p3: under 5 (born Oct 2022), E since 1 Sep 2026: next review 1
	 * Mar 2027. N2: transfer by 15 Feb, amended 10 Jan: done. */
	cr_assert_eq(event(db, p3, EHCP_AMENDED, d(2027, 1, 10), SDATE_NONE,
	    &e), 0, "%s", e.msg);
	/* p2: nothing recorded; the plan date is the start of status E. */
	cr_assert_eq(ehcp_reviews(db, NULL, date_today(), &l, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(l.n, 3);
	/* The most pressing first: p1's late report, p3's review, p2. */
	cr_assert_eq(l.v[0].pupil_id, p1);
	cr_assert_eq(l.v[1].pupil_id, p3);
	cr_assert_eq(l.v[2].pupil_id, p2);

	cr_assert_str_eq(iso(l.v[0].plan_on), "2026-02-10");
	cr_assert_not(l.v[0].plan_from_status);
	cr_assert_str_eq(iso(l.v[0].last_review), "2026-12-01");
	cr_assert_str_eq(iso(l.v[0].report_due), "2026-12-15");
	cr_assert(l.v[0].report_overdue);
	cr_assert_eq(l.v[0].report_days_left, -36);
	cr_assert_str_eq(iso(l.v[0].next.due), "2027-12-01");
	cr_assert_str_eq(iso(l.v[0].next_report_due), "2027-12-15");
	cr_assert(l.v[0].transfer.applies);
	cr_assert_str_eq(iso(l.v[0].transfer.due), "2027-02-15");
	cr_assert_str_eq(iso(l.v[0].transfer.reviewed_on), "2026-12-01");
	cr_assert_not(l.v[0].transfer.done);
	cr_assert_eq(l.v[0].transfer.days_left, 26);

	cr_assert(l.v[1].under5);
	cr_assert_str_eq(iso(l.v[1].next.due), "2027-03-01");
	cr_assert(l.v[1].transfer.done);
	cr_assert_str_eq(iso(l.v[1].transfer.amended_on), "2027-01-10");

	cr_assert(l.v[2].plan_from_status);
	cr_assert_str_eq(iso(l.v[2].plan_on), "2026-09-01");
	cr_assert_str_eq(iso(l.v[2].next.due), "2027-09-01");
	cr_assert_eq(l.v[2].last_review, SDATE_NONE);
	cr_assert_not(l.v[2].transfer.applies);
	ehcp_list_free(&l);

	/* The report goes; on 20 Feb the transfer is 5 days overdue. */
	cr_assert_eq(ehcp_report_sent(db, p1, d(2027, 1, 19), &e), 0, "%s",
	    e.msg);
	fix_today("2027-02-20");
	cr_assert_eq(ehcp_reviews(db, NULL, date_today(), &l, &e), 0);
	cr_assert_eq(l.v[0].pupil_id, p1);
	cr_assert_str_eq(iso(l.v[0].report_on), "2027-01-19");
	cr_assert_not(l.v[0].report_overdue);
	cr_assert(l.v[0].transfer.overdue);
	cr_assert_eq(l.v[0].transfer.days_left, -5);
	ehcp_list_free(&l);
	(void)p4;
	db_close(db);
}

/* The date a row is listed by (ehc.h: the next date still to meet),
 * for a list with no events. */
static sdate
listed_by(const struct ehcp_row *w)
{
	sdate t = w->transfer.applies && !w->transfer.done ?
	    w->transfer.due : SDATE_NONE;

	if (w->next.due == SDATE_NONE)
		return t;
	return t != SDATE_NONE && t < w->next.due ? t : w->next.due;
}

/* Many plans with ids in no order, status histories (an E closed before
 * the open one, K pupils, pupils who left), names and dates shared: the
 * list holds exactly the open E pupils on roll with the start of the
 * open status, in order of the date due, then name, then UPN. */
Test(plans, many_plans_each_once_in_order)
{
	static const char *const surnames[] = { "Nowak", "Ó Briain",
	    "Nguyễn", "Kowalczyk" };
	static const char *const forenames[] = { "Zoë", "Siobhán", "Łukasz" };
	static const char *const years[] = { "R", "2", "6", "9", "N2" };
	struct db *db = th_db();
	sqlite3 *h = db_handle(db);
	struct ehcp_list l;
	sqlite3_stmt *st;
	struct serr e;
	unsigned r = 777;
	int want = 0, seen = 0;

	fix_today("2027-01-20");
	cr_assert_eq(sqlite3_exec(h, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (int i = 0; i < 240; i++) {
		long long id = (long long)((i * 104729) % 997) * 999983 -
		    300000000;
		char *q;

		r = r * 1103515245u + 12345u;
		q = sqlite3_mprintf("INSERT INTO pupil (id, upn, legal_surname,"
		    " legal_forename, preferred_forename, dob, year_group,"
		    " archived, created_at, updated_at) VALUES (%lld,"
		    " 'B%012d', %Q, %Q, %Q, '20%02d-0%d-15', %Q, %d,"
		    " '2026-01-01', '2026-01-01');"
		    /* an earlier E, closed */
		    "INSERT INTO sen_status (pupil_id, status, start_date,"
		    " end_date, created_at, updated_at) SELECT %lld, 'E',"
		    " '2019-09-01', '2020-08-31', 'x', 'x' WHERE %d;"
		    "INSERT INTO sen_status (pupil_id, status, start_date,"
		    " created_at, updated_at) VALUES (%lld, %Q,"
		    " '202%d-0%d-01', 'x', 'x')",
		    id, i, surnames[r % 4], forenames[(r >> 3) % 3],
		    (r >> 5) % 4 == 0 ? "Ada" : NULL, 14 + (int)(r >> 7) % 8,
		    1 + (int)(r >> 11) % 9, years[(r >> 13) % 5],
		    (r >> 16) % 9 == 0, id, (r >> 19) % 2, id,
		    (r >> 21) % 4 == 0 ? "K" : "E", 4 + (int)(r >> 23) % 3,
		    1 + (int)(r >> 25) % 3);
		cr_assert_eq(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK,
		    "%s", sqlite3_errmsg(h));
		sqlite3_free(q);
	}
	cr_assert_eq(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	serr_clear(&e);
	cr_assert_eq(ehcp_reviews(db, NULL, date_today(), &l, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT p.id, s.start_date,"
	    " coalesce(nullif(p.preferred_surname, ''), p.legal_surname) ||"
	    " ', ' || coalesce(nullif(p.preferred_forename, ''),"
	    " p.legal_forename), p.upn, p.year_group FROM sen_status s JOIN"
	    " pupil p ON p.id = s.pupil_id WHERE s.end_date IS NULL AND"
	    " s.status = 'E' AND p.archived = 0", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int at = -1;

		want++;
		for (int i = 0; i < l.n; i++)
			if (l.v[i].pupil_id == id) {
				cr_assert_eq(at, -1, "listed twice");
				at = i;
			}
		cr_assert_neq(at, -1, "pupil %lld left out", (long long)id);
		cr_assert_str_eq(iso(l.v[at].plan_on),
		    (const char *)sqlite3_column_text(st, 1));
		cr_assert(l.v[at].plan_from_status);
		cr_assert_str_eq(l.v[at].name,
		    (const char *)sqlite3_column_text(st, 2));
		cr_assert_str_eq(l.v[at].upn,
		    (const char *)sqlite3_column_text(st, 3));
		cr_assert_str_eq(l.v[at].year,
		    (const char *)sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	cr_assert_eq(l.n, want);
	cr_assert(want > 100 && want < 240, "%d", want);
	for (int i = 1; i < l.n; i++) {
		const struct ehcp_row *a = &l.v[i - 1], *b = &l.v[i];
		sdate da = listed_by(a), db_ = listed_by(b);
		int c;

		cr_assert(da != SDATE_NONE && db_ != SDATE_NONE);
		cr_assert(da <= db_, "row %d: %s after %s", i, iso(db_),
		    iso(da));
		if (da < db_)
			continue;
		seen++;
		c = strcmp(a->name, b->name);
		cr_assert(c < 0 || (c == 0 && strcmp(a->upn, b->upn) < 0),
		    "row %d: %s %s after %s %s", i, b->name, b->upn, a->name,
		    a->upn);
	}
	cr_assert(seen > 20, "dates shared: %d", seen);	/* ties tested */
	ehcp_list_free(&l);
	db_close(db);
}

/* The reviews report gives ehcp_reviews the pupils its caseload read:
 * the list is the one ehcp_reviews reads itself, field by field, for
 * E, K, archived and preferred names; a name too long for the
 * caseload's copy (cut) makes report_ehcp_pupils refuse (-1). */
Test(plans, pupils_given_by_the_caseload_list_the_same)
{
	static const char *const surnames[] = { "Nowak", "Ó Briain",
	    "Nguyễn", "Kowalczyk" };
	struct db *db = th_db();
	sqlite3 *h = db_handle(db);
	struct report_caseload c;
	struct ehcp_list a, b;
	struct ehcp_pupil *pp;
	struct serr e;
	char long_name[NAME_MAX_BYTES + 20];
	int n;

	fix_today("2027-01-20");
	cr_assert_eq(sqlite3_exec(h, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (int i = 0; i < 60; i++) {
		char *q = sqlite3_mprintf("INSERT INTO pupil (id, upn,"
		    " legal_surname, legal_forename, preferred_surname, dob,"
		    " year_group, archived, created_at, updated_at) VALUES"
		    " (%d, 'C%012d', %Q, 'Zoë', %Q, '20%02d-03-15', %Q, %d,"
		    " 'x', 'x'); INSERT INTO sen_status (pupil_id, status,"
		    " start_date, created_at, updated_at) VALUES (%d, %Q,"
		    " '2025-0%d-01', 'x', 'x')", 1000 - i * 7, i,
		    surnames[i % 4], i % 5 == 0 ? "Siobhán" : NULL, 15 + i % 8,
		    i % 3 == 0 ? "R" : "6", i % 11 == 0, 1000 - i * 7,
		    i % 4 == 0 ? "K" : "E", 1 + i % 9);

		cr_assert_eq(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK,
		    "%s", sqlite3_errmsg(h));
		sqlite3_free(q);
	}
	cr_assert_eq(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	serr_clear(&e);
	cr_assert_eq(report_caseload_read(db, SDATE_NONE, 0, REPORT_DETAILS,
	    &c, &e), 0, "%s", e.msg);
	n = report_ehcp_pupils(&c, &pp);
	cr_assert(n > 20 && n < 60, "%d", n);
	cr_assert_eq(ehcp_reviews_of(db, NULL, date_today(), pp, n, &a, &e),
	    0, "%s", e.msg);
	cr_assert_eq(ehcp_reviews(db, NULL, date_today(), &b, &e), 0);
	cr_assert_eq(a.n, b.n);
	for (int i = 0; i < a.n; i++) {
		cr_assert_eq(a.v[i].pupil_id, b.v[i].pupil_id, "row %d", i);
		cr_assert_str_eq(a.v[i].name, b.v[i].name);
		cr_assert_str_eq(a.v[i].upn, b.v[i].upn);
		cr_assert_str_eq(a.v[i].year, b.v[i].year);
		cr_assert_eq(a.v[i].dob, b.v[i].dob);
		cr_assert_eq(a.v[i].plan_on, b.v[i].plan_on);
		cr_assert_eq(a.v[i].next.due, b.v[i].next.due);
		cr_assert_eq(a.v[i].transfer.due, b.v[i].transfer.due);
	}
	ehcp_list_free(&a);
	ehcp_list_free(&b);
	free(pp);
	report_caseload_free(&c);

	/* a surname the caseload cuts: no list from it */
	memset(long_name, 'w', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	{
		char *q = sqlite3_mprintf("UPDATE pupil SET"
		    " preferred_surname = %Q WHERE id = (SELECT pupil_id FROM"
		    " sen_status WHERE status = 'E' AND end_date IS NULL"
		    " LIMIT 1)", long_name);

		cr_assert_eq(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK,
		    "%s", sqlite3_errmsg(h));
		sqlite3_free(q);
	}
	cr_assert_eq(report_caseload_read(db, SDATE_NONE, 0, REPORT_DETAILS,
	    &c, &e), 0, "%s", e.msg);
	cr_assert_eq(report_ehcp_pupils(&c, &pp), -1);
	cr_assert_null(pp);
	report_caseload_free(&c);
	db_close(db);
}

Test(plans, refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t k = child(db, 1, "Ada", d(2015, 3, 1), "6", 'K', "ASD");
	int64_t ep = child(db, 2, "Bea", d(2017, 3, 1), "4", 'E', "SLCN");
	struct serr e;
	sdate since;

	fix_today("2027-01-20");
	cr_assert_eq(event(db, k, EHCP_REVIEW, d(2027, 1, 5), SDATE_NONE, &e),
	    SE_STATE);
	cr_assert_str_eq(e.msg, "EHC plan: pupil B801200005001 has no EHC plan "
	    "(status K); record the plan first");
	cr_assert_eq(event(db, ep, EHCP_REVIEW, d(2027, 1, 5), d(2027, 1, 4),
	    &e), SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC plan: report sent on 04/01/2027, before "
	    "the meeting (05/01/2027)");
	cr_assert_eq(event(db, ep, EHCP_REVIEW, d(2027, 1, 21), SDATE_NONE, &e),
	    SE_INVALID);
	cr_assert_str_eq(e.msg, "EHC plan: annual review on 21/01/2027, in the "
	    "future");
	cr_assert_eq(event(db, ep, EHCP_ISSUED, d(2027, 1, 5), d(2027, 1, 6),
	    &e), SE_INVALID);
	cr_assert_eq(event(db, ep, EHCP_REVIEW, d(2010, 1, 5), SDATE_NONE, &e),
	    SE_INVALID);
	cr_assert_eq(ehcp_report_sent(db, ep, d(2027, 1, 6), &e), SE_STATE);
	cr_assert_str_eq(e.msg, "EHC plan: pupil Q801200005002 has no annual "
	    "review recorded");
	cr_assert_eq(count(db, "ehcp_event"), 0);
	/* A plan recorded for a pupil on SEN support makes them E from its
	 * date. */
	cr_assert_eq(event(db, k, EHCP_ISSUED, d(2027, 1, 10), SDATE_NONE, &e),
	    0, "%s", e.msg);
	cr_assert_eq(status_of(db, k, &since), 'E');
	cr_assert_str_eq(iso(since), "2027-01-10");
	cr_assert_eq(event(db, k, EHCP_REVIEW, d(2027, 1, 15), SDATE_NONE, &e),
	    0);
	cr_assert_eq(ehcp_report_sent(db, k, d(2027, 1, 14), &e), SE_INVALID);
	cr_assert_eq(ehcp_report_sent(db, k, d(2027, 1, 16), &e), 0);
	cr_assert_eq(count(db, "ehcp_event WHERE report_on = '2027-01-16'"), 1);
	cr_assert_eq(count(db, "audit WHERE tbl = 'ehcp_event' AND pupil_id = "
	    "(SELECT id FROM pupil WHERE upn = 'B801200005001')"), 3);
	db_close(db);
}
