/*
 * test_pupil.c: adding, reading, validating and changing pupils; the SEN
 * status history and ranked needs; archive; lists and their filters.
 * Today is fixed at 2026-03-02 (SENCO_TODAY) so dates are exact.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pupil.h"
#include "helpers.h"

#define TODAY "2026-03-02"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
	date_set_style(DATE_STYLE_ISO);
}

TestSuite(pupil, .init = fix_today, .fini = th_cleanup);

static sdate
D(const char *iso)
{
	sdate d = date_from_iso(iso);

	cr_assert_neq(d, SDATE_NONE, "bad test date %s", iso);
	return d;
}

static int
rows(struct db *db)
{
	return th_count(db, "SELECT (SELECT count(*) FROM pupil) +"
	    " (SELECT count(*) FROM sen_status) +"
	    " (SELECT count(*) FROM pupil_need)");
}

/* A valid pupil of year 5 born 2016-05-12 with status and one need. */
static void
mk(struct pupil *p, int serial, const char *sur, const char *fore,
    char status, const char *need)
{
	pupil_init(p);
	th_upn(serial, p->upn);
	snprintf(p->legal_surname, sizeof p->legal_surname, "%s", sur);
	snprintf(p->legal_forename, sizeof p->legal_forename, "%s", fore);
	p->dob = D("2016-05-12");
	p->gender = 'M';
	snprintf(p->year, sizeof p->year, "5");
	p->status = status;
	if (need != NULL) {
		snprintf(p->needs[0], NEED_CODE_MAX, "%s", need);
		p->n_needs = 1;
	}
}

static void
add_ok(struct db *db, struct pupil *p)
{
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(pupil_add(db, p, &e), 0, "pupil_add: %s", e.msg);
}

/* Adding p is refused with `code` and a message holding `words`, and
 * nothing at all is written. */
static void
add_refused(struct db *db, struct pupil *p, int code, const char *words)
{
	struct serr e;
	int before = rows(db), rc;

	serr_clear(&e);
	rc = pupil_add(db, p, &e);
	cr_assert_eq(rc, code, "expected %d, got %d (%s)", code, rc, e.msg);
	cr_assert_not_null(strstr(e.msg, words), "message '%s' lacks '%s'",
	    e.msg, words);
	cr_assert_eq(rows(db), before, "a refused add wrote rows");
	cr_assert_not(db_in_transaction(db));
}

/* --- add, get, find ------------------------------------------------------- */

Test(pupil, add_get_find_round_trip)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;

	mk(&p, 11, "Okafor", "Chidera", 'K', "SPLD");
	snprintf(p.preferred_forename, sizeof p.preferred_forename, "Chi");
	snprintf(p.needs[1], NEED_CODE_MAX, "SLCN");
	p.n_needs = 2;
	p.flags = FLAG_PP | FLAG_EAL;
	p.attendance = 93.5;
	snprintf(p.class_name, sizeof p.class_name, "5 Oak");
	p.status_since = D("2025-09-10");
	add_ok(db, &p);
	cr_assert_gt(p.id, 0);
	cr_assert_eq(p.version, 1);
	cr_assert_str_eq(p.changed_by, "tester");
	cr_assert_eq(strlen(p.created_at), TIMESTAMP_LEN - 1);

	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0, "%s", e.msg);
	cr_assert_str_eq(g.upn, p.upn);
	cr_assert_str_eq(g.legal_surname, "Okafor");
	cr_assert_str_eq(g.legal_forename, "Chidera");
	cr_assert_str_eq(g.preferred_forename, "Chi");
	cr_assert_str_eq(g.preferred_surname, "");
	cr_assert_eq(g.dob, D("2016-05-12"));
	cr_assert_eq(g.gender, 'M');
	cr_assert_str_eq(g.year, "5");
	cr_assert_str_eq(g.class_name, "5 Oak");
	cr_assert_eq(g.flags, FLAG_PP | FLAG_EAL);
	cr_assert_float_eq(g.attendance, 93.5, 1e-9);
	cr_assert_not(g.archived);
	cr_assert_eq(g.left_on, SDATE_NONE);
	cr_assert_eq(g.status, 'K');
	cr_assert_eq(g.status_since, D("2025-09-10"));
	cr_assert_eq(g.n_needs, 2);
	cr_assert_str_eq(g.needs[0], "SPLD");
	cr_assert_str_eq(g.needs[1], "SLCN");
	cr_assert_eq(g.version, 1);
	cr_assert_str_eq(g.created_at, p.created_at);
	cr_assert_str_eq(g.changed_by, "tester");

	/* The UPN is found whatever the case of its letters. */
	char lower[UPN_LEN + 3] = " ";
	strcat(lower, p.upn);
	strcat(lower, " ");
	lower[1] += 32;
	cr_assert_eq(pupil_find_upn(db, lower, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(g.id, p.id);
	cr_assert_eq(g.n_needs, 2);
	db_close(db);
}

Test(pupil, defaults_status_n_from_today_and_unknowns_stored_as_null)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;

	mk(&p, 12, "Hughes", "Megan", 0, NULL);
	p.gender = 0;
	add_ok(db, &p);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(g.status, 'N');
	cr_assert_eq(g.status_since, D(TODAY));
	cr_assert_eq(g.n_needs, 0);
	cr_assert_eq(g.gender, 0);
	cr_assert_lt(g.attendance, 0);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil WHERE gender IS "
	    "NULL AND attendance IS NULL AND preferred_surname IS NULL AND "
	    "class IS NULL"), 1);
	db_close(db);
}

Test(pupil, input_is_put_into_stored_form)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;

	mk(&p, 13, "  Patel ", " Arjun", 'k', "besd");
	for (char *c = p.upn; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c += 32;
	snprintf(p.year, sizeof p.year, "Y7");
	p.gender = 'f';
	add_ok(db, &p);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0, "%s", e.msg);
	cr_assert(g.upn[0] >= 'A' && g.upn[0] <= 'Z', "UPN %s", g.upn);
	cr_assert_str_eq(g.legal_surname, "Patel");
	cr_assert_str_eq(g.legal_forename, "Arjun");
	cr_assert_str_eq(g.year, "7");
	cr_assert_eq(g.gender, 'F');
	cr_assert_eq(g.status, 'K');
	cr_assert_str_eq(g.needs[0], "SEMH");	/* BESD is the old name */
	db_close(db);
}

Test(pupil, missing_pupil_is_not_found)
{
	struct db *db = th_db();
	struct pupil g;
	struct serr e;

	cr_assert_eq(pupil_find_upn(db, "B801200005001", &g, &e), SE_NOTFOUND);
	cr_assert_str_eq(e.msg, "no pupil with UPN B801200005001");
	cr_assert_eq(pupil_get(db, 424242, &g, &e), SE_NOTFOUND);
	cr_assert_eq(pupil_archive(db, 424242, true, SDATE_NONE, &e),
	    SE_NOTFOUND);
	cr_assert_eq(pupil_set_status(db, 424242, 'K', SDATE_NONE, &e),
	    SE_NOTFOUND);
	db_close(db);
}

Test(pupil, utf8_names_round_trip)
{
	static const char *names[][2] = {
		{ "Brown", "Zoë" }, { "Ó Súilleabháin", "Siobhán" },
		{ "Wójcik", "Łukasz" }, { "Nguyễn", "Thị Hoa" }, { "李", "明" },
	};
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;
	char buf[2 * NAME_MAX_BYTES + 3];

	for (int i = 0; i < 5; i++) {
		mk(&p, 20 + i, names[i][0], names[i][1], 'N', NULL);
		add_ok(db, &p);
		cr_assert_eq(pupil_get(db, p.id, &g, &e), 0, "%s", e.msg);
		cr_assert_str_eq(g.legal_surname, names[i][0]);
		cr_assert_str_eq(g.legal_forename, names[i][1]);
	}
	cr_assert_str_eq(pupil_display_name(&g, buf, sizeof buf), "李, 明");
	/* A short buffer never splits a character. */
	cr_assert_str_eq(pupil_display_name(&g, buf, 6), "李, ");
	db_close(db);
}

Test(pupil, display_name_prefers_preferred_names)
{
	struct pupil p;
	char buf[2 * NAME_MAX_BYTES + 3];

	mk(&p, 1, "Kowalczyk", "Aleksandra", 'N', NULL);
	cr_assert_str_eq(pupil_display_name(&p, buf, sizeof buf),
	    "Kowalczyk, Aleksandra");
	snprintf(p.preferred_forename, sizeof p.preferred_forename, "Ola");
	cr_assert_str_eq(pupil_display_name(&p, buf, sizeof buf),
	    "Kowalczyk, Ola");
	snprintf(p.preferred_surname, sizeof p.preferred_surname, "Smith");
	cr_assert_str_eq(pupil_display_name(&p, buf, sizeof buf), "Smith, Ola");
}

/* --- refusals ------------------------------------------------------------ */

Test(pupil, duplicate_upn_refused_naming_holder)
{
	struct db *db = th_db();
	struct pupil p, q;

	mk(&p, 30, "Ahmed", "Yusuf", 'K', "ASD");
	snprintf(p.preferred_forename, sizeof p.preferred_forename, "Yus");
	add_ok(db, &p);
	mk(&q, 30, "Evans", "Seren", 'E', "HI");
	add_refused(db, &q, SE_EXISTS, "already belongs to Ahmed, Yus");
	/* Archived pupils keep their UPN too. */
	cr_assert_eq(pupil_archive(db, p.id, true, SDATE_NONE, NULL), 0);
	add_refused(db, &q, SE_EXISTS, "(archived)");
	db_close(db);
}

Test(pupil, bad_upn_refused)
{
	struct db *db = th_db();
	struct pupil p;

	mk(&p, 31, "Evans", "Seren", 'N', NULL);
	p.upn[0] = p.upn[0] == 'A' ? 'B' : 'A';
	add_refused(db, &p, SE_INVALID, "1510");
	snprintf(p.upn, sizeof p.upn, "B80120000500");
	add_refused(db, &p, SE_INVALID, "13 characters");
	p.upn[0] = '\0';
	add_refused(db, &p, SE_INVALID, "UPN");
	db_close(db);
}

Test(pupil, impossible_dates_of_birth_refused)
{
	struct db *db = th_db();
	struct pupil p;

	mk(&p, 32, "Evans", "Seren", 'N', NULL);
	p.dob = SDATE_NONE;
	add_refused(db, &p, SE_INVALID, "date of birth is missing");
	p.dob = D("2026-03-03");
	add_refused(db, &p, SE_INVALID, "2026-03-03: in the future");
	p.dob = D("1990-01-01");
	add_refused(db, &p, SE_INVALID, "age of 36");
	p.dob = D("2000-03-02");	/* 26 today */
	add_refused(db, &p, SE_INVALID, "age of 26");
	/* 25 is still a pupil's age (up to 25 with an EHC plan). */
	p.dob = D("2000-03-03");
	add_ok(db, &p);
	db_close(db);
}

Test(pupil, census_need_rules_refused)
{
	struct db *db = th_db();
	struct pupil p;

	mk(&p, 33, "Evans", "Seren", 'K', NULL);
	add_refused(db, &p, SE_INVALID, "needs a primary type of need");
	mk(&p, 33, "Evans", "Seren", 'E', NULL);
	add_refused(db, &p, SE_INVALID, "needs a primary type of need");
	mk(&p, 33, "Evans", "Seren", 'E', "NSA");
	add_refused(db, &p, SE_INVALID, "NSA is only allowed with SEN status K");
	mk(&p, 33, "Evans", "Seren", 'K', "MLD");
	snprintf(p.needs[1], NEED_CODE_MAX, "MLD");
	p.n_needs = 2;
	add_refused(db, &p, SE_INVALID, "given twice");
	mk(&p, 33, "Evans", "Seren", 'K', "DYSLEXIA");
	add_refused(db, &p, SE_INVALID, "not a census code");
	mk(&p, 33, "Evans", "Seren", 'K', "MLD");
	p.n_needs = PUPIL_NEEDS_MAX + 1;
	for (int i = 1; i < p.n_needs && i < PUPIL_NEEDS_MAX; i++)
		snprintf(p.needs[i], NEED_CODE_MAX, "%s",
		    need_codes[i].code);
	add_refused(db, &p, SE_INVALID, "at most 4");
	mk(&p, 33, "Evans", "Seren", 'Q', NULL);
	add_refused(db, &p, SE_INVALID, "not N, K or E");
	/* NSA with K is the rule's own case. */
	mk(&p, 33, "Evans", "Seren", 'K', "NSA");
	add_ok(db, &p);
	db_close(db);
}

Test(pupil, other_fields_refused)
{
	struct db *db = th_db();
	struct pupil p;

	mk(&p, 34, "Evans", "Seren", 'N', NULL);
	snprintf(p.year, sizeof p.year, "15");
	add_refused(db, &p, SE_INVALID, "year group '15'");
	p.year[0] = '\0';
	add_refused(db, &p, SE_INVALID, "year group is missing");

	mk(&p, 34, "", "Seren", 'N', NULL);
	add_refused(db, &p, SE_INVALID, "legal surname is missing");
	mk(&p, 34, "Evans", "   ", 'N', NULL);
	add_refused(db, &p, SE_INVALID, "legal forename is missing");
	mk(&p, 34, "Ev\tans", "Seren", 'N', NULL);
	add_refused(db, &p, SE_INVALID, "legal surname: contains a control");
	mk(&p, 34, "Evans", "Ser\xe9n", 'N', NULL);	/* Latin-1, not UTF-8 */
	add_refused(db, &p, SE_INVALID, "legal forename: not valid UTF-8");
	mk(&p, 34, "Evans", "Seren", 'N', NULL);
	snprintf(p.class_name, sizeof p.class_name, "5\x1b[31m");
	add_refused(db, &p, SE_INVALID, "class: contains a control");

	mk(&p, 34, "Evans", "Seren", 'N', NULL);
	p.gender = 'X';
	add_refused(db, &p, SE_INVALID, "gender 'X'");
	p.gender = 'F';
	p.attendance = 100.5;
	add_refused(db, &p, SE_INVALID, "attendance");
	p.attendance = 100;
	p.flags = 16;
	add_refused(db, &p, SE_INVALID, "flags");
	p.flags = FLAG_ALL;
	p.status_since = D("2026-03-03");
	add_refused(db, &p, SE_INVALID, "SEN status start 2026-03-03: in the "
	    "future");
	p.status_since = D("2016-05-11");
	add_refused(db, &p, SE_INVALID, "before the date of birth");
	p.status_since = SDATE_NONE;
	add_ok(db, &p);
	db_close(db);
}

Test(pupil, validate_alone_checks_without_database)
{
	struct pupil p;
	struct serr e;

	mk(&p, 35, "Evans", "Seren", 'K', "SLCN");
	cr_assert_eq(pupil_validate(&p, &e), 0, "%s", e.msg);
	p.n_needs = -1;		/* "leave as is": not checked here */
	cr_assert_eq(pupil_validate(&p, &e), 0, "%s", e.msg);
	p.n_needs = 0;
	cr_assert_eq(pupil_validate(&p, &e), SE_INVALID);
	cr_assert_not_null(strstr(e.msg, p.upn), "%s", e.msg);
}

/* --- update --------------------------------------------------------------- */

Test(pupil, update_writes_fields_and_bumps_version)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;

	mk(&p, 40, "Jones", "Cerys", 'K', "SPLD");
	add_ok(db, &p);
	db_set_author(db, "Mrs Pritchard");
	snprintf(p.preferred_surname, sizeof p.preferred_surname, "Jones-Ali");
	snprintf(p.year, sizeof p.year, "6");
	p.attendance = 88;
	p.flags = FLAG_FSM;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(p.version, 2);
	cr_assert_str_eq(p.changed_by, "Mrs Pritchard");
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(g.version, 2);
	cr_assert_str_eq(g.changed_by, "Mrs Pritchard");
	cr_assert_str_eq(g.preferred_surname, "Jones-Ali");
	cr_assert_str_eq(g.year, "6");
	cr_assert_eq(g.flags, FLAG_FSM);
	cr_assert_str_eq(g.updated_at, p.updated_at);
	/* Needs left as they are (n_needs < 0 on edit). */
	cr_assert_eq(g.n_needs, 1);
	cr_assert_str_eq(g.needs[0], "SPLD");
	/* Status unchanged: still one period. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sen_status"), 1);
	db_close(db);
}

Test(pupil, update_of_a_stale_copy_is_a_conflict_naming_who_and_when)
{
	struct db *db = th_db();
	struct pupil p, a, b, g;
	struct serr e;
	char want[200];

	mk(&p, 41, "Jones", "Cerys", 'K', "SPLD");
	add_ok(db, &p);
	cr_assert_eq(pupil_get(db, p.id, &a, &e), 0);
	cr_assert_eq(pupil_get(db, p.id, &b, &e), 0);

	db_set_author(db, "Ms Okafor");
	snprintf(a.class_name, sizeof a.class_name, "6 Ash");
	cr_assert_eq(pupil_update(db, &a, &e), 0, "%s", e.msg);

	db_set_author(db, "Mr Byrne");
	snprintf(b.class_name, sizeof b.class_name, "6 Elm");
	b.status = 'E';
	b.n_needs = 1;
	cr_assert_eq(pupil_update(db, &b, &e), SE_CONFLICT);
	snprintf(want, sizeof want, "pupil %s: changed by Ms Okafor at %s "
	    "since you opened it", p.upn, a.updated_at);
	cr_assert_str_eq(e.msg, want);
	cr_assert_not(db_in_transaction(db));

	/* Nothing of the stale copy was written. */
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_str_eq(g.class_name, "6 Ash");
	cr_assert_eq(g.status, 'K');
	cr_assert_eq(g.version, 2);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM sen_status"), 1);

	/* Re-read, the edit goes through. */
	snprintf(g.class_name, sizeof g.class_name, "6 Elm");
	cr_assert_eq(pupil_update(db, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(g.version, 3);

	g.id = 99;
	cr_assert_eq(pupil_update(db, &g, &e), SE_NOTFOUND);
	db_close(db);
}

Test(pupil, refused_update_writes_nothing)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;
	int before;

	mk(&p, 42, "Jones", "Cerys", 'K', "SPLD");
	add_ok(db, &p);
	before = rows(db);
	g = p;
	g.n_needs = 0;			/* K without a need */
	snprintf(g.class_name, sizeof g.class_name, "changed");
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	cr_assert_not_null(strstr(e.msg, "needs a primary type of need"));
	g = p;
	g.status = 'E';			/* NSA is for SEN support only */
	snprintf(g.needs[0], NEED_CODE_MAX, "NSA");
	g.n_needs = 1;
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	cr_assert_not_null(strstr(e.msg, "NSA"), "%s", e.msg);
	g = p;
	snprintf(g.year, sizeof g.year, "Y0");
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	g = p;
	g.dob = D("2027-01-01");
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	cr_assert_eq(rows(db), before);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.version, 1);
	cr_assert_str_eq(g.class_name, "");
	db_close(db);
}

Test(pupil, upn_change_must_stay_unique_and_valid)
{
	struct db *db = th_db();
	struct pupil p, q, g;
	struct serr e;

	mk(&p, 43, "Jones", "Cerys", 'N', NULL);
	add_ok(db, &p);
	mk(&q, 44, "Price", "Rhys", 'N', NULL);
	add_ok(db, &q);
	g = p;
	th_upn(44, g.upn);
	cr_assert_eq(pupil_update(db, &g, &e), SE_EXISTS);
	cr_assert_not_null(strstr(e.msg, "Price, Rhys"), "%s", e.msg);
	g = p;
	g.upn[0] = g.upn[0] == 'A' ? 'B' : 'A';
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	g = p;
	th_upn(45, g.upn);
	cr_assert_eq(pupil_update(db, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_find_upn(db, g.upn, &q, &e), 0);
	cr_assert_eq(q.id, p.id);
	cr_assert_eq(pupil_find_upn(db, p.upn, &q, &e), SE_NOTFOUND);
	db_close(db);
}

Test(pupil, needs_replaced_when_given)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;

	mk(&p, 46, "Jones", "Cerys", 'K', "SPLD");
	add_ok(db, &p);
	snprintf(p.needs[0], NEED_CODE_MAX, "semh");
	snprintf(p.needs[1], NEED_CODE_MAX, "SLCN");
	snprintf(p.needs[2], NEED_CODE_MAX, "VI");
	p.n_needs = 3;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.n_needs, 3);
	cr_assert_str_eq(g.needs[0], "SEMH");
	cr_assert_str_eq(g.needs[1], "SLCN");
	cr_assert_str_eq(g.needs[2], "VI");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_need"), 3);
	cr_assert_eq(th_count(db, "SELECT group_concat(rank, '') FROM (SELECT "
	    "rank FROM pupil_need ORDER BY rank)"), 123);

	g.n_needs = 1;
	snprintf(g.needs[0], NEED_CODE_MAX, "VI");
	cr_assert_eq(pupil_update(db, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.n_needs, 1);
	cr_assert_str_eq(g.needs[0], "VI");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_need"), 1);
	db_close(db);
}

/* --- status history ------------------------------------------------------ */

struct hist {
	int n;
	struct status_entry s[8];
};

static int
collect(void *ctx, const struct status_entry *s)
{
	struct hist *h = ctx;

	cr_assert_lt(h->n, 8);
	h->s[h->n++] = *s;
	return 0;
}

static void
expect(const struct hist *h, int i, char status, const char *start,
    const char *end)
{
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];

	cr_assert_lt(i, h->n, "history has %d entries", h->n);
	cr_assert_eq(h->s[i].status, status, "entry %d: %c", i, h->s[i].status);
	cr_assert_str_eq(date_iso(h->s[i].start, a), start, "entry %d", i);
	cr_assert_str_eq(date_iso(h->s[i].end, b), end, "entry %d", i);
}

static struct hist
history(struct db *db, int64_t id)
{
	struct hist h = { 0 };
	struct serr e;

	cr_assert_eq(pupil_status_history(db, id, collect, &h, &e), 0, "%s",
	    e.msg);
	return h;
}

Test(pupil, status_changes_make_a_dated_history)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;
	struct hist h;

	mk(&p, 50, "Davies", "Osian", 'K', "SLCN");
	p.status_since = D("2025-09-01");
	add_ok(db, &p);

	/* Edit: K to E from a date. */
	p.status = 'E';
	p.status_since = D("2026-01-15");
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(p.status_since, D("2026-01-15"));
	/* Set alone: E to K, then N. */
	db_set_author(db, "Mrs Pritchard");
	cr_assert_eq(pupil_set_status(db, p.id, 'k', D("2026-02-01"), &e), 0,
	    "%s", e.msg);
	cr_assert_eq(pupil_set_status(db, p.id, 'N', D("2026-02-20"), &e), 0,
	    "%s", e.msg);
	h = history(db, p.id);
	cr_assert_eq(h.n, 4);
	expect(&h, 0, 'K', "2025-09-01", "2026-01-14");
	expect(&h, 1, 'E', "2026-01-15", "2026-01-31");
	expect(&h, 2, 'K', "2026-02-01", "2026-02-19");
	expect(&h, 3, 'N', "2026-02-20", "");
	cr_assert_str_eq(h.s[3].changed_by, "Mrs Pritchard");
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.status, 'N');
	cr_assert_eq(g.status_since, D("2026-02-20"));
	cr_assert_eq(g.version, 4, "each write bumps the pupil's version");
	cr_assert_str_eq(g.changed_by, "Mrs Pritchard");

	/* Same status again: nothing written. */
	cr_assert_eq(pupil_set_status(db, p.id, 'N', SDATE_NONE, &e), 0);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.version, 4);
	db_close(db);
}

Test(pupil, change_on_the_day_the_status_began_keeps_a_one_day_period)
{
	struct db *db = th_db();
	struct pupil p;
	struct serr e;
	struct hist h;

	mk(&p, 51, "Davies", "Osian", 'N', NULL);
	add_ok(db, &p);			/* N from today */
	snprintf(p.needs[0], NEED_CODE_MAX, "MLD");
	p.n_needs = 1;
	p.status = 'K';
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	h = history(db, p.id);
	cr_assert_eq(h.n, 2);
	expect(&h, 0, 'N', TODAY, TODAY);
	expect(&h, 1, 'K', TODAY, "");
	db_close(db);
}

Test(pupil, status_change_without_a_new_date_starts_today)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;
	struct hist h;

	mk(&p, 52, "Davies", "Osian", 'K', "SLCN");
	p.status_since = D("2025-09-01");
	add_ok(db, &p);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	/* The form still shows the old since-date: it was not edited. */
	g.status = 'E';
	cr_assert_eq(pupil_update(db, &g, &e), 0, "%s", e.msg);
	h = history(db, p.id);
	cr_assert_eq(h.n, 2);
	expect(&h, 0, 'K', "2025-09-01", "2026-03-01");
	expect(&h, 1, 'E', TODAY, "");
	db_close(db);
}

Test(pupil, status_before_the_current_one_began_is_refused)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;
	int before;

	mk(&p, 53, "Davies", "Osian", 'K', "SLCN");
	p.status_since = D("2025-09-01");
	add_ok(db, &p);
	before = rows(db);
	cr_assert_eq(pupil_set_status(db, p.id, 'E', D("2025-08-31"), &e),
	    SE_INVALID);
	cr_assert_not_null(strstr(e.msg, "before the current status K began "
	    "(2025-09-01)"), "%s", e.msg);
	cr_assert_eq(pupil_set_status(db, p.id, 'E', D("2026-03-03"), &e),
	    SE_INVALID);
	cr_assert_not_null(strstr(e.msg, "in the future"), "%s", e.msg);
	cr_assert_eq(pupil_set_status(db, p.id, 'Z', SDATE_NONE, &e),
	    SE_INVALID);
	g = p;
	g.status = 'E';
	g.status_since = D("2025-06-01");
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	cr_assert_eq(rows(db), before);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.version, 1);
	cr_assert_not(db_in_transaction(db));
	db_close(db);
}

Test(pupil, set_status_checks_needs)
{
	struct db *db = th_db();
	struct pupil p;
	struct serr e;
	char want[128];
	int before;

	mk(&p, 54, "Davies", "Osian", 'N', NULL);
	add_ok(db, &p);
	before = rows(db);
	cr_assert_eq(pupil_set_status(db, p.id, 'K', SDATE_NONE, &e),
	    SE_INVALID);
	snprintf(want, sizeof want, "pupil %s: a pupil with SEN status K "
	    "needs a primary type of need", p.upn);
	cr_assert_str_eq(e.msg, want);
	cr_assert_eq(pupil_set_status(db, p.id, 'E', SDATE_NONE, &e),
	    SE_INVALID);
	cr_assert_eq(rows(db), before);

	mk(&p, 55, "Morgan", "Ffion", 'K', "NSA");
	add_ok(db, &p);
	cr_assert_eq(pupil_set_status(db, p.id, 'E', SDATE_NONE, &e),
	    SE_INVALID);
	cr_assert_not_null(strstr(e.msg, "NSA"), "%s", e.msg);
	db_close(db);
}

Test(pupil, leaving_the_register_drops_nsa_but_keeps_other_needs)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;

	mk(&p, 56, "Morgan", "Ffion", 'K', "NSA");
	p.status_since = D("2025-09-01");
	add_ok(db, &p);
	cr_assert_eq(pupil_set_status(db, p.id, 'N', SDATE_NONE, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.status, 'N');
	cr_assert_eq(g.n_needs, 0);

	mk(&p, 57, "Morgan", "Carys", 'K', "SPLD");
	snprintf(p.needs[1], NEED_CODE_MAX, "NSA");
	p.n_needs = 2;
	p.status_since = D("2025-09-01");
	add_ok(db, &p);
	p.status = 'N';
	p.n_needs = -1;
	cr_assert_eq(pupil_update(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.n_needs, 1);
	cr_assert_str_eq(g.needs[0], "SPLD");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil_need"
	    " WHERE code = 'NSA'"), 0);
	db_close(db);
}

Test(pupil, moving_the_start_of_the_current_status_corrects_the_period_before)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct serr e;
	struct hist h;

	mk(&p, 58, "Davies", "Osian", 'K', "SLCN");
	p.status_since = D("2025-09-01");
	add_ok(db, &p);
	cr_assert_eq(pupil_set_status(db, p.id, 'E', D("2026-02-01"), &e), 0);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	g.status_since = D("2026-01-10");	/* the plan was issued earlier */
	cr_assert_eq(pupil_update(db, &g, &e), 0, "%s", e.msg);
	h = history(db, p.id);
	cr_assert_eq(h.n, 2);
	expect(&h, 0, 'K', "2025-09-01", "2026-01-09");
	expect(&h, 1, 'E', "2026-01-10", "");
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.status_since, D("2026-01-10"));
	/* Not before the period before it began. */
	g.status_since = D("2025-08-01");
	cr_assert_eq(pupil_update(db, &g, &e), SE_INVALID);
	cr_assert_not_null(strstr(e.msg, "before the status before it"),
	    "%s", e.msg);
	h = history(db, p.id);
	expect(&h, 0, 'K', "2025-09-01", "2026-01-09");
	db_close(db);
}

Test(pupil, history_of_a_missing_pupil_is_not_found)
{
	struct db *db = th_db();
	struct hist h = { 0 };
	struct serr e;

	cr_assert_eq(pupil_status_history(db, 77, collect, &h, &e),
	    SE_NOTFOUND);
	cr_assert_eq(h.n, 0);
	db_close(db);
}

/* --- archive and lists --------------------------------------------------- */

struct names {
	int n;
	char s[16][2 * NAME_MAX_BYTES + 3];
	int stop_after;
};

static int
name_cb(void *ctx, const struct pupil *p)
{
	struct names *l = ctx;

	cr_assert_lt(l->n, 16);
	pupil_display_name(p, l->s[l->n++], sizeof l->s[0]);
	return l->stop_after > 0 && l->n >= l->stop_after ? 42 : 0;
}

static struct names
list(struct db *db, const struct pupil_filter *f)
{
	struct names l = { 0 };
	struct serr e;

	cr_assert_eq(pupil_list(db, f, name_cb, &l, &e), 0, "%s", e.msg);
	return l;
}

static void
expect_names(const struct names *l, const char *joined)
{
	char got[1024] = "";

	for (int i = 0; i < l->n; i++) {
		if (i > 0)
			strcat(got, "; ");
		strcat(got, l->s[i]);
	}
	cr_assert_str_eq(got, joined);
}

Test(pupil, archive_and_bring_back)
{
	struct db *db = th_db();
	struct pupil p, g;
	struct pupil_filter f = { 0 };
	struct serr e;

	mk(&p, 60, "Thomas", "Gethin", 'K', "SEMH");
	add_ok(db, &p);
	cr_assert_eq(pupil_archive(db, p.id, true, D("2026-02-13"), &e), 0,
	    "%s", e.msg);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert(g.archived);
	cr_assert_eq(g.left_on, D("2026-02-13"));
	cr_assert_eq(g.version, 2);
	struct names l = list(db, &f);
	cr_assert_eq(l.n, 0);
	f.include_archived = true;
	l = list(db, &f);
	expect_names(&l, "Thomas, Gethin");

	cr_assert_eq(pupil_archive(db, p.id, true, D("2010-01-01"), &e),
	    SE_INVALID);
	cr_assert_eq(pupil_archive(db, p.id, false, D("2026-02-13"), &e), 0);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_not(g.archived);
	cr_assert_eq(g.left_on, SDATE_NONE);
	cr_assert_eq(g.version, 3);
	/* Already on roll: nothing to write. */
	cr_assert_eq(pupil_archive(db, p.id, false, SDATE_NONE, &e), 0);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.version, 3);
	/* Default leaving date: today. */
	cr_assert_eq(pupil_archive(db, p.id, true, SDATE_NONE, &e), 0);
	cr_assert_eq(pupil_get(db, p.id, &g, &e), 0);
	cr_assert_eq(g.left_on, D(TODAY));
	db_close(db);
}

static struct db *
caseload(void)
{
	struct db *db = th_db();
	struct pupil p;

	mk(&p, 70, "Brown", "Zoë", 'K', "SPLD");
	snprintf(p.needs[1], NEED_CODE_MAX, "SLCN");
	p.n_needs = 2;
	add_ok(db, &p);
	mk(&p, 71, "Wójcik", "Łukasz", 'E', "ASD");
	snprintf(p.year, sizeof p.year, "7");
	add_ok(db, &p);
	mk(&p, 72, "Ó Súilleabháin", "Siobhán", 'K', "SLCN");
	snprintf(p.preferred_surname, sizeof p.preferred_surname, "Sullivan");
	add_ok(db, &p);
	mk(&p, 73, "Abbott", "Noah", 'N', NULL);
	add_ok(db, &p);
	mk(&p, 74, "Brown", "Amelia", 'K', "MLD");
	add_ok(db, &p);
	mk(&p, 75, "Nguyễn", "An", 'K', "SEMH");
	add_ok(db, &p);
	cr_assert_eq(pupil_archive(db, p.id, true, SDATE_NONE, NULL), 0);
	return db;
}

Test(pupil, list_orders_by_surname_and_filters)
{
	struct db *db = caseload();
	struct pupil_filter f = { 0 };
	struct names l;

	/* Default: on roll, on the register (not N), by surname. */
	l = list(db, &f);
	expect_names(&l, "Brown, Amelia; Brown, Zoë; Sullivan, Siobhán; "
	    "Wójcik, Łukasz");
	f.include_n = true;
	f.include_archived = true;
	l = list(db, &f);
	expect_names(&l, "Abbott, Noah; Brown, Amelia; Brown, Zoë; "
	    "Nguyễn, An; Sullivan, Siobhán; Wójcik, Łukasz");

	memset(&f, 0, sizeof f);
	f.status = 'e';
	expect_names((l = list(db, &f), &l), "Wójcik, Łukasz");
	f.status = 'N';			/* asking for N shows N */
	expect_names((l = list(db, &f), &l), "Abbott, Noah");

	memset(&f, 0, sizeof f);
	snprintf(f.year, sizeof f.year, "Y7");
	expect_names((l = list(db, &f), &l), "Wójcik, Łukasz");

	memset(&f, 0, sizeof f);
	snprintf(f.need, sizeof f.need, "slcn");	/* any rank */
	expect_names((l = list(db, &f), &l), "Brown, Zoë; Sullivan, Siobhán");

	memset(&f, 0, sizeof f);
	f.status = 'X';
	cr_assert_eq(pupil_list(db, &f, name_cb, &l, NULL), SE_INVALID);
	memset(&f, 0, sizeof f);
	snprintf(f.need, sizeof f.need, "XYZ");
	cr_assert_eq(pupil_list(db, &f, name_cb, &l, NULL), SE_INVALID);
	db_close(db);
}

Test(pupil, list_text_matches_names_case_insensitively_and_upn_prefix)
{
	struct db *db = caseload();
	struct pupil_filter f = { 0 };
	struct names l;
	char upn[UPN_LEN + 1];

	f.text = "  brown ";
	expect_names((l = list(db, &f), &l), "Brown, Amelia; Brown, Zoë");
	f.text = "ZOË";
	expect_names((l = list(db, &f), &l), "Brown, Zoë");
	f.text = "łuk";
	expect_names((l = list(db, &f), &l), "Wójcik, Łukasz");
	f.text = "WÓJ";
	expect_names((l = list(db, &f), &l), "Wójcik, Łukasz");
	/* Legal and preferred names both match. */
	f.text = "súilleabh";
	expect_names((l = list(db, &f), &l), "Sullivan, Siobhán");
	f.text = "sulliv";
	expect_names((l = list(db, &f), &l), "Sullivan, Siobhán");
	f.text = "zoë brown";
	expect_names((l = list(db, &f), &l), "Brown, Zoë");
	f.text = "nobody";
	expect_names((l = list(db, &f), &l), "");
	/* A UPN prefix, in either case; not a UPN in the middle. */
	th_upn(71, upn);
	upn[6] = '\0';
	upn[0] += 32;
	f.text = upn;
	expect_names((l = list(db, &f), &l), "Wójcik, Łukasz");
	th_upn(71, upn);
	f.text = upn + 1;
	expect_names((l = list(db, &f), &l), "");
	/* SQL in the search is only text. */
	f.text = "' OR 1=1 --";
	expect_names((l = list(db, &f), &l), "");
	db_close(db);
}

Test(pupil, list_callback_stops_the_walk)
{
	struct db *db = caseload();
	struct names l = { .stop_after = 2 };

	cr_assert_eq(pupil_list(db, NULL, name_cb, &l, NULL), 42);
	cr_assert_eq(l.n, 2);
	/* The statement was reset: a new walk starts from the top. */
	l = list(db, NULL);
	cr_assert_eq(l.n, 4);
	db_close(db);
}
