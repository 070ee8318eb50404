/*
 * test_record.c: notes (the contact log), exclusions and agency
 * involvement: every rule, every refusal (with nothing written), UTF-8
 * round trips and the order of the lists.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/record.h"
#include "helpers.h"

TestSuite(note, .fini = th_cleanup);
TestSuite(exclusion, .fini = th_cleanup);
TestSuite(agency, .fini = th_cleanup);

static const char utf8_text[] = "Met Zoë's mum and Siobhán (SALT); "
    "Łukasz's dad rang. 李老师 translated — follow up ✓";

static long long
count(struct db *db, const char *table)
{
	char sql[96];
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

/* --- notes ------------------------------------------------------------ */

static void
fill_note(struct note *n, int64_t pupil, const char *kind, const char *text,
    sdate on)
{
	memset(n, 0, sizeof *n);
	n->pupil_id = pupil;
	snprintf(n->kind, sizeof n->kind, "%s", kind);
	n->text = (char *)text;
	n->on = on;
}

struct notes {
	struct {
		sdate on;
		char kind[NOTE_KIND_MAX];
		char author[AUTHOR_MAX];
		char text[160];
	} got[8];
	int n;
};

static int
collect_note(void *ctx, const struct note *n)
{
	struct notes *ns = ctx;

	cr_assert_lt(ns->n, 8);
	ns->got[ns->n].on = n->on;
	snprintf(ns->got[ns->n].kind, NOTE_KIND_MAX, "%s", n->kind);
	snprintf(ns->got[ns->n].author, AUTHOR_MAX, "%s", n->author);
	snprintf(ns->got[ns->n].text, 160, "%s", n->text);
	ns->n++;
	return 0;
}

Test(note, add_and_list_round_trip)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 1, "Brown", "Zoë", 'K', "SLCN", "4");
	struct notes ns = { .n = 0 };
	struct note n;
	struct serr e;

	fix_today("2026-03-10");
	db_set_author(db, "Łukasz Nowak");
	fill_note(&n, p, " Phone ", utf8_text, SDATE_NONE);
	serr_clear(&e);
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	cr_expect_gt(n.id, 0);
	cr_expect_eq(n.on, d(2026, 3, 10));
	cr_expect_str_eq(n.kind, "phone");
	cr_expect_str_eq(n.author, "Łukasz Nowak");
	cr_expect_eq(strlen(n.created_at), TIMESTAMP_LEN - 1);

	cr_assert_eq(note_list(db, p, collect_note, &ns, &e), 0, "%s", e.msg);
	cr_assert_eq(ns.n, 1);
	cr_expect_eq(ns.got[0].on, d(2026, 3, 10));
	cr_expect_str_eq(ns.got[0].kind, "phone");
	cr_expect_str_eq(ns.got[0].author, "Łukasz Nowak");
	cr_expect_str_eq(ns.got[0].text, utf8_text);
	db_close(db);
}

Test(note, kinds)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 2, "Kelly", "Siobhán", 'K', "SEMH", "6");
	const char *ok[] = { "meeting", "PHONE", "Email", "letter", "other" };
	const char *want[] = { "meeting", "phone", "email", "letter", "other" };
	struct note n;
	struct serr e;

	serr_clear(&e);
	for (int i = 0; i < 5; i++) {
		fill_note(&n, p, ok[i], "Spoke to parents", d(2026, 1, 5));
		cr_expect_eq(note_add(db, &n, &e), 0, "%s", e.msg);
		cr_expect_str_eq(n.kind, want[i]);
	}
	fill_note(&n, p, "", "No kind given", d(2026, 1, 5));
	cr_expect_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	cr_expect_str_eq(n.kind, "other");
	cr_expect_eq(count(db, "note"), 6);

	fill_note(&n, p, "fax", "Faxed the EP", d(2026, 1, 5));
	cr_expect_eq(note_add(db, &n, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "'fax'") != NULL, "%s", e.msg);
	cr_expect_eq(count(db, "note"), 6);
	db_close(db);
}

Test(note, refuses_blank_text_future_date_missing_pupil)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 3, "Nguyễn", "An", 'K', "MLD", "2");
	struct note n;
	struct serr e;

	fix_today("2026-03-10");
	serr_clear(&e);
	fill_note(&n, p, "meeting", NULL, SDATE_NONE);
	cr_expect_eq(note_add(db, &n, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "text is empty") != NULL, "%s", e.msg);
	fill_note(&n, p, "meeting", "", SDATE_NONE);
	cr_expect_eq(note_add(db, &n, &e), SE_INVALID);
	fill_note(&n, p, "meeting", " \t\n ", SDATE_NONE);
	cr_expect_eq(note_add(db, &n, &e), SE_INVALID);

	fill_note(&n, p, "meeting", "Annual review booked", d(2026, 3, 11));
	cr_expect_eq(note_add(db, &n, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "2026-03-11 is in the future") != NULL, "%s",
	    e.msg);

	fill_note(&n, p ^ 1, "meeting", "Wrong pupil", SDATE_NONE);
	cr_expect_eq(note_add(db, &n, &e), SE_NOTFOUND);
	cr_expect_eq(count(db, "note"), 0);

	/* Today itself is fine. */
	fill_note(&n, p, "meeting", "Annual review booked", d(2026, 3, 10));
	cr_expect_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	cr_expect_eq(count(db, "note"), 1);
	db_close(db);
}

Test(note, list_newest_first_one_pupil_only)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 4, "Okafor", "Chidi", 'K', "ASD", "5");
	int64_t q = th_pupil(db, 5, "Evans", "Megan", 'K', "ASD", "5");
	struct notes ns = { .n = 0 };
	struct note n;
	struct serr e;

	serr_clear(&e);
	fill_note(&n, p, "email", "second", d(2026, 2, 1));
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	fill_note(&n, p, "letter", "third", d(2026, 3, 1));
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	fill_note(&n, p, "phone", "first", d(2025, 12, 1));
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
	fill_note(&n, q, "phone", "someone else", d(2026, 2, 15));
	cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);

	cr_assert_eq(note_list(db, p, collect_note, &ns, &e), 0);
	cr_assert_eq(ns.n, 3);
	cr_expect_str_eq(ns.got[0].text, "third");
	cr_expect_str_eq(ns.got[1].text, "second");
	cr_expect_str_eq(ns.got[2].text, "first");
	db_close(db);
}

/* --- exclusions ------------------------------------------------------- */

static void
fill_excl(struct exclusion *x, int64_t pupil, enum exclusion_kind kind,
    int sessions, sdate on, const char *reason)
{
	memset(x, 0, sizeof *x);
	x->pupil_id = pupil;
	x->kind = kind;
	x->sessions = sessions;
	x->on = on;
	x->reason = (char *)reason;
}

struct excls {
	struct {
		sdate on;
		enum exclusion_kind kind;
		int sessions;
		char reason[128];
		char changed_by[AUTHOR_MAX];
	} got[8];
	int n;
};

static int
collect_excl(void *ctx, const struct exclusion *x)
{
	struct excls *xs = ctx;

	cr_assert_lt(xs->n, 8);
	xs->got[xs->n].on = x->on;
	xs->got[xs->n].kind = x->kind;
	xs->got[xs->n].sessions = x->sessions;
	snprintf(xs->got[xs->n].reason, 128, "%s",
	    x->reason != NULL ? x->reason : "(null)");
	snprintf(xs->got[xs->n].changed_by, AUTHOR_MAX, "%s", x->changed_by);
	xs->n++;
	return 0;
}

Test(exclusion, add_and_list_newest_first)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 6, "Hughes", "Rhys", 'K', "SEMH", "9");
	struct excls xs = { .n = 0 };
	struct exclusion x;
	struct serr e;

	fix_today("2026-05-01");
	serr_clear(&e);
	fill_excl(&x, p, EXCLUSION_SUSPENSION, 3, d(2026, 1, 14),
	    "Persistent disruption — Łukasz hurt");
	cr_assert_eq(exclusion_add(db, &x, &e), 0, "%s", e.msg);
	cr_expect_gt(x.id, 0);
	cr_expect_str_eq(x.changed_by, "tester");
	fill_excl(&x, p, EXCLUSION_PERMANENT, 0, d(2026, 5, 1), NULL);
	cr_assert_eq(exclusion_add(db, &x, &e), 0, "%s", e.msg);
	fill_excl(&x, p, EXCLUSION_SUSPENSION, 1, d(2025, 10, 2), "   ");
	cr_assert_eq(exclusion_add(db, &x, &e), 0, "%s", e.msg);

	cr_assert_eq(exclusion_list(db, p, collect_excl, &xs, &e), 0);
	cr_assert_eq(xs.n, 3);
	cr_expect_eq(xs.got[0].on, d(2026, 5, 1));
	cr_expect_eq(xs.got[0].kind, EXCLUSION_PERMANENT);
	cr_expect_eq(xs.got[0].sessions, 0);
	cr_expect_str_eq(xs.got[0].reason, "(null)");
	cr_expect_eq(xs.got[1].on, d(2026, 1, 14));
	cr_expect_eq(xs.got[1].kind, EXCLUSION_SUSPENSION);
	cr_expect_eq(xs.got[1].sessions, 3);
	cr_expect_str_eq(xs.got[1].reason,
	    "Persistent disruption — Łukasz hurt");
	cr_expect_str_eq(xs.got[1].changed_by, "tester");
	cr_expect_eq(xs.got[2].on, d(2025, 10, 2));
	cr_expect_str_eq(xs.got[2].reason, "(null)");
	db_close(db);
}

Test(exclusion, refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 7, "Patel", "Priya", 'K', "SEMH", "10");
	struct exclusion x;
	struct serr e;

	fix_today("2026-05-01");
	serr_clear(&e);
	fill_excl(&x, p, EXCLUSION_SUSPENSION, 2, SDATE_NONE, NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "date is required") != NULL, "%s", e.msg);
	fill_excl(&x, p, EXCLUSION_SUSPENSION, 2, d(2026, 5, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "future") != NULL, "%s", e.msg);
	fill_excl(&x, p, EXCLUSION_SUSPENSION, 0, d(2026, 4, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "at least 1 session") != NULL, "%s", e.msg);
	fill_excl(&x, p, EXCLUSION_SUSPENSION, -4, d(2026, 4, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_INVALID);
	fill_excl(&x, p, EXCLUSION_PERMANENT, -1, d(2026, 4, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_INVALID);
	fill_excl(&x, p, (enum exclusion_kind)5, 2, d(2026, 4, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_INVALID);
	fill_excl(&x, p ^ 1, EXCLUSION_SUSPENSION, 2, d(2026, 4, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), SE_NOTFOUND);
	cr_expect_eq(count(db, "exclusion"), 0);

	/* A permanent exclusion may give its sessions too. */
	fill_excl(&x, p, EXCLUSION_PERMANENT, 4, d(2026, 4, 2), NULL);
	cr_expect_eq(exclusion_add(db, &x, &e), 0, "%s", e.msg);
	cr_expect_eq(count(db, "exclusion"), 1);
	db_close(db);
}

/* --- agency involvement ----------------------------------------------- */

static void
fill_agency(struct agency *a, int64_t pupil, const char *agency,
    const char *status, sdate referred, sdate advice)
{
	memset(a, 0, sizeof *a);
	a->pupil_id = pupil;
	snprintf(a->agency, sizeof a->agency, "%s", agency);
	snprintf(a->status, sizeof a->status, "%s", status);
	a->referred_on = referred;
	a->advice_on = advice;
}

struct agencies {
	struct agency got[8];
	char notes[8][128];
	int n;
};

static int
collect_agency(void *ctx, const struct agency *a)
{
	struct agencies *as = ctx;

	cr_assert_lt(as->n, 8);
	as->got[as->n] = *a;
	snprintf(as->notes[as->n], 128, "%s",
	    a->notes != NULL ? a->notes : "(null)");
	as->got[as->n].notes = NULL;	/* freed after the call */
	as->n++;
	return 0;
}

Test(agency, add_and_list_round_trip)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 8, "Kowalski", "Łukasz", 'K', "SLCN", "2");
	struct agencies as = { .n = 0 };
	struct agency a;
	struct serr e;

	fill_agency(&a, p, " SALT ", "", d(2026, 1, 6), SDATE_NONE);
	a.notes = (char *)utf8_text;
	serr_clear(&e);
	cr_assert_eq(agency_add(db, &a, &e), 0, "%s", e.msg);
	cr_expect_gt(a.id, 0);
	cr_expect_eq(a.version, 1);
	cr_expect_str_eq(a.status, "referred");
	cr_expect_str_eq(a.agency, "SALT");

	cr_assert_eq(agency_list(db, p, collect_agency, &as, &e), 0);
	cr_assert_eq(as.n, 1);
	cr_expect_eq(as.got[0].id, a.id);
	cr_expect_eq(as.got[0].pupil_id, p);
	cr_expect_str_eq(as.got[0].agency, "SALT");
	cr_expect_str_eq(as.got[0].status, "referred");
	cr_expect_eq(as.got[0].referred_on, d(2026, 1, 6));
	cr_expect_eq(as.got[0].advice_on, SDATE_NONE);
	cr_expect_str_eq(as.notes[0], utf8_text);
	cr_expect_eq(as.got[0].version, 1);
	cr_expect_str_eq(as.got[0].changed_by, "tester");
	db_close(db);
}

Test(agency, statuses_and_advice_date)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 9, "Murphy", "Aoife", 'K', "SPLD", "5");
	const char *ok[] = { "referred", "Involved", "ADVICE RECEIVED",
	    " closed " };
	const char *want[] = { "referred", "involved", "advice received",
	    "closed" };
	struct agency a;
	struct serr e;

	serr_clear(&e);
	for (int i = 0; i < 4; i++) {
		fill_agency(&a, p, "EP", ok[i], d(2026, 1, 6), d(2026, 1, 6));
		cr_expect_eq(agency_add(db, &a, &e), 0, "%s", e.msg);
		cr_expect_str_eq(a.status, want[i]);
	}
	cr_expect_eq(count(db, "agency_involvement"), 4);
	db_close(db);
}

Test(agency, refusals_write_nothing)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 10, "Li", "李", 'K', "ASD", "1");
	struct agency a;
	struct serr e;

	serr_clear(&e);
	fill_agency(&a, p, "  ", "referred", d(2026, 1, 6), SDATE_NONE);
	cr_expect_eq(agency_add(db, &a, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "agency is required") != NULL, "%s", e.msg);
	fill_agency(&a, p, "CAMHS", "referred", SDATE_NONE, SDATE_NONE);
	cr_expect_eq(agency_add(db, &a, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "referral date is required") != NULL, "%s",
	    e.msg);
	fill_agency(&a, p, "CAMHS", "pending", d(2026, 1, 6), SDATE_NONE);
	cr_expect_eq(agency_add(db, &a, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "'pending'") != NULL, "%s", e.msg);
	fill_agency(&a, p, "CAMHS", "advice received", d(2026, 1, 6),
	    d(2026, 1, 5));
	cr_expect_eq(agency_add(db, &a, &e), SE_INVALID);
	cr_expect(strstr(e.msg, "before the referral") != NULL, "%s", e.msg);
	fill_agency(&a, p ^ 1, "CAMHS", "", d(2026, 1, 6), SDATE_NONE);
	cr_expect_eq(agency_add(db, &a, &e), SE_NOTFOUND);
	cr_expect_eq(count(db, "agency_involvement"), 0);
	db_close(db);
}

Test(agency, update_is_version_checked)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 11, "Adeyemi", "Tolu", 'K', "SLCN", "3");
	struct agencies as = { .n = 0 };
	struct agency a, stale;
	struct serr e;

	fill_agency(&a, p, "EP", "referred", d(2026, 1, 6), SDATE_NONE);
	serr_clear(&e);
	cr_assert_eq(agency_add(db, &a, &e), 0, "%s", e.msg);
	stale = a;

	db_set_author(db, "Zoë Clarke");
	snprintf(a.status, sizeof a.status, "advice received");
	a.advice_on = d(2026, 2, 20);
	a.notes = "Report: working memory low; see 李's plan";
	cr_assert_eq(agency_update(db, &a, &e), 0, "%s", e.msg);
	cr_expect_eq(a.version, 2);
	cr_expect_str_eq(a.changed_by, "Zoë Clarke");

	db_set_author(db, "tester");
	snprintf(stale.status, sizeof stale.status, "closed");
	cr_expect_eq(agency_update(db, &stale, &e), SE_CONFLICT);
	cr_expect(strstr(e.msg, "changed by Zoë Clarke at ") != NULL, "%s",
	    e.msg);
	cr_expect(strstr(e.msg, "since you opened it") != NULL, "%s", e.msg);

	/* Bad data on update is refused before anything is written. */
	snprintf(a.status, sizeof a.status, "lost");
	cr_expect_eq(agency_update(db, &a, &e), SE_INVALID);
	snprintf(a.status, sizeof a.status, "closed");
	a.advice_on = d(2025, 12, 1);
	cr_expect_eq(agency_update(db, &a, &e), SE_INVALID);
	a.advice_on = d(2026, 2, 20);
	a.id ^= 1;
	cr_expect_eq(agency_update(db, &a, &e), SE_NOTFOUND);

	cr_assert_eq(agency_list(db, p, collect_agency, &as, &e), 0);
	cr_assert_eq(as.n, 1);
	cr_expect_str_eq(as.got[0].status, "advice received");
	cr_expect_eq(as.got[0].advice_on, d(2026, 2, 20));
	cr_expect_eq(as.got[0].version, 2);
	cr_expect_str_eq(as.got[0].changed_by, "Zoë Clarke");
	cr_expect_str_eq(as.notes[0],
	    "Report: working memory low; see 李's plan");
	db_close(db);
}

Test(agency, list_newest_referral_first)
{
	struct db *db = th_db();
	int64_t p = th_pupil(db, 12, "Smith", "Amy", 'K', "HI", "7");
	int64_t q = th_pupil(db, 13, "Jones", "Ben", 'K', "HI", "7");
	struct agencies as = { .n = 0 };
	struct agency a;
	struct serr e;

	serr_clear(&e);
	fill_agency(&a, p, "Sensory support", "", d(2025, 9, 15), SDATE_NONE);
	cr_assert_eq(agency_add(db, &a, &e), 0, "%s", e.msg);
	fill_agency(&a, p, "CAMHS", "", d(2026, 3, 2), SDATE_NONE);
	cr_assert_eq(agency_add(db, &a, &e), 0, "%s", e.msg);
	fill_agency(&a, p, "OT", "", d(2025, 11, 20), SDATE_NONE);
	cr_assert_eq(agency_add(db, &a, &e), 0, "%s", e.msg);
	fill_agency(&a, q, "EP", "", d(2026, 1, 1), SDATE_NONE);
	cr_assert_eq(agency_add(db, &a, &e), 0, "%s", e.msg);

	cr_assert_eq(agency_list(db, p, collect_agency, &as, &e), 0);
	cr_assert_eq(as.n, 3);
	cr_expect_str_eq(as.got[0].agency, "CAMHS");
	cr_expect_str_eq(as.got[1].agency, "OT");
	cr_expect_str_eq(as.got[2].agency, "Sensory support");
	db_close(db);
}
