/*
 * test_ctf.c: Common Transfer Files: reading a CTF from another school
 * (history in any order, ranks, historic codes, SENneeds in or beside
 * SENhistory, Gender or Sex), refusing bad pupils with their line, the
 * DOCTYPE / entity attacks refused, writing the SEN part for leavers, and
 * the round trip export -> import into an empty caseload.
 * Today is fixed at 2026-03-02 (SENCO_TODAY).
 */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/import.h"
#include "core/pupil.h"
#include "core/xmalloc.h"
#include "helpers.h"
#include "io/ctf.h"
#include "io/importfile.h"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", "2026-03-02", 1);
	date_set_style(DATE_STYLE_ISO);
}

TestSuite(ctf, .init = fix_today, .fini = th_cleanup);

static const char *
fixture(const char *name)
{
	static char path[4][1024];
	static int n;
	char dir[1024];
	char *p = path[n++ % 4];

	snprintf(dir, sizeof dir, "%s", __FILE__);
	snprintf(p, 1024, "%s/data/%s", dirname(dir), name);
	return p;
}

static const char *
write_file(const char *name, const char *text)
{
	const char *path = th_path(name);
	FILE *fp = fopen(path, "wb");

	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int
run(struct db *db, const char *path, bool dry, bool skip,
    struct import_result *res, struct serr *e)
{
	struct import_opts o = { .dry_run = dry, .skip_bad = skip };

	import_result_init(res, path);
	serr_clear(e);
	return importfile_run(db, path, &o, res, e);
}

static char *
msgs(const struct import_result *r, enum import_msg_kind kind)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	for (int i = 0; i < r->n_msgs; i++)
		if (r->msgs[i].kind == kind)
			fprintf(fp, "%d: %s\n", r->msgs[i].line,
			    r->msgs[i].text);
	fclose(fp);
	return out;
}

static void
has(const char *text, const char *want)
{
	cr_assert(strstr(text, want) != NULL, "no [%s] in:\n%s", want, text);
}

static int
counter(void *ctx, const struct pupil *p)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

static int
n_pupils(struct db *db)
{
	struct pupil_filter f = { .include_archived = true,
	    .include_n = true };
	int n = 0;
	struct serr e;

	cr_assert_eq(pupil_list(db, &f, counter, &n, &e), 0);
	return n;
}

static void
get(struct db *db, const char *upn, struct pupil *p)
{
	struct serr e;

	serr_clear(&e);
	pupil_init(p);
	cr_assert_eq(pupil_find_upn(db, upn, p, &e), 0, "%s: %s", upn, e.msg);
}

/* The status history as "N 2018-09-03..2020-01-05; K ..." */
struct hist_text {
	char buf[512];
	size_t len;
};

static int
hist_add(void *ctx, const struct status_entry *s)
{
	struct hist_text *h = ctx;
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];

	h->len += (size_t)snprintf(h->buf + h->len, sizeof h->buf - h->len,
	    "%s%c %s..%s", h->len ? "; " : "", s->status, date_iso(s->start, a),
	    date_iso(s->end, b));
	return 0;
}

static char *
history(struct db *db, int64_t id, char *out, size_t n)
{
	struct hist_text h = { .len = 0 };
	struct serr e;

	h.buf[0] = '\0';
	cr_assert_eq(pupil_status_history(db, id, hist_add, &h, &e), 0);
	snprintf(out, n, "%s", h.buf);
	return out;
}

/* --- reading ------------------------------------------------------------------ */

Test(ctf, reads_a_ctf_from_another_school)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	char h[512], *n;

	cr_assert_eq(run(db, fixture("leaver.xml"), false, false, &r, &e), 0,
	    "%s", e.msg);
	cr_assert_str_eq(r.format, "CTF");
	cr_assert_eq(r.added, 3);
	cr_assert(r.written);

	get(db, "X801200005035", &p);
	cr_assert_str_eq(p.legal_forename, "Zofia");
	cr_assert_str_eq(p.preferred_forename, "Zosia");
	cr_assert_str_eq(p.preferred_surname, "", "same as legal");
	cr_assert_eq(p.dob, date_from_ymd(2014, 3, 12));
	cr_assert_eq(p.gender, 'F');
	cr_assert_str_eq(p.year, "6");
	cr_assert_eq(p.status, 'E');
	cr_assert_eq(p.n_needs, 2);
	cr_assert_str_eq(p.needs[0], "ASD", "rank 1 first whatever the order");
	cr_assert_str_eq(p.needs[1], "SLCN");
	cr_assert_str_eq(history(db, p.id, h, sizeof h),
	    "N 2018-09-03..2020-01-05; K 2020-01-06..2023-05-09; "
	    "E 2023-05-10..", "the history, sorted by date");

	/* An older CTF: Gender, historic P, BESD, SENneeds beside
	 * SENhistory. */
	get(db, "L801200005036", &p);
	cr_assert_eq(p.gender, 'M');
	cr_assert_str_eq(p.year, "8");
	cr_assert_eq(p.status, 'K');
	cr_assert_str_eq(p.needs[0], "SEMH");
	cr_assert_str_eq(history(db, p.id, h, sizeof h), "K 2013-09-02..");

	/* No SEN history: N from today. */
	get(db, "A801200005037", &p);
	cr_assert_eq(p.status, 'N');

	n = msgs(&r, IMSG_NOTICE);
	has(n, "4: Common Transfer File version 23.0 from Meadowbank Primary "
	    "School (LA 874, establishment 3021)");
	has(n, "68: SENprovision: historic code 'P' (School Action Plus) read "
	    "as K");
	has(n, "74: SENtype: 'BESD' is the name used before 2015: read as "
	    "SEMH");
	free(n);
	import_result_free(&r);
	db_close(db);
}

Test(ctf, bad_pupils_refused_with_their_lines)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	char *ref;

	cr_assert_eq(run(db, fixture("bad.xml"), false, false, &r, &e),
	    SE_INVALID);
	cr_assert_eq(r.refused, 3);
	cr_assert_eq(n_pupils(db), 0, "nothing written");
	ref = msgs(&r, IMSG_REFUSED);
	has(ref, "18: SENtypeRank: rank 1 is given twice (lines 17 and 18)");
	has(ref, "29: StartDate: '2020-13-01' is not a real date");
	has(ref, "42: SENprovision: 'Z' is not a SEN status");
	free(ref);
	import_result_free(&r);

	cr_assert_eq(run(db, fixture("bad.xml"), false, true, &r, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(r.added, 1);
	cr_assert_eq(n_pupils(db), 1, "--skip-bad: the good pupil only");
	import_result_free(&r);
	db_close(db);
}

Test(ctf, external_entity_refused)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;

	cr_assert_eq(run(db, fixture("evil.xml"), false, false, &r, &e),
	    SE_INVALID);
	has(e.msg, "evil.xml:2: the file has a DOCTYPE");
	cr_assert_null(strstr(e.msg, "root:"), "no file content leaks");
	for (int i = 0; i < r.n_msgs; i++)
		cr_assert_null(strstr(r.msgs[i].text, "root:"));
	cr_assert_eq(n_pupils(db), 0);
	import_result_free(&r);

	cr_assert_eq(run(db, fixture("laughs.xml"), true, false, &r, &e),
	    SE_INVALID, "the billion laughs");
	cr_assert_eq(n_pupils(db), 0);
	import_result_free(&r);
	db_close(db);
}

Test(ctf, not_a_ctf)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;

	cr_assert_eq(run(db, write_file("x.xml", "<?xml version=\"1.0\"?>\n"
	    "<html><body/></html>\n"), false, false, &r, &e), SE_INVALID);
	has(e.msg, "x.xml:2: not a Common Transfer File: the root element is "
	    "<html>");
	import_result_free(&r);
	cr_assert_eq(run(db, write_file("y.xml", "<CTfile><Header>\n<oops>"
	    "</CTfile>\n"), false, false, &r, &e), SE_INVALID);
	has(e.msg, "y.xml:3: not a readable XML file: Premature end of data");
	import_result_free(&r);
	db_close(db);
}

/* --- writing and the round trip ------------------------------------------------ */

/* A pupil with a history: N from 2019-09-02, K from 2021-01-04, then E
 * from 2024-06-10, needs SPLD and SLCN. */
static int64_t
with_history(struct db *db, int serial, const char *surname,
    const char *forename)
{
	struct pupil p;
	struct serr e;

	serr_clear(&e);
	pupil_init(&p);
	th_upn(serial, p.upn);
	snprintf(p.legal_surname, sizeof p.legal_surname, "%s", surname);
	snprintf(p.legal_forename, sizeof p.legal_forename, "%s", forename);
	snprintf(p.preferred_forename, sizeof p.preferred_forename, "Kit");
	p.dob = date_from_ymd(2014, 2, 3);
	p.gender = 'M';
	snprintf(p.year, sizeof p.year, "6");
	p.status = 'N';
	p.status_since = date_from_ymd(2019, 9, 2);
	snprintf(p.needs[0], NEED_CODE_MAX, "SPLD");
	snprintf(p.needs[1], NEED_CODE_MAX, "SLCN");
	p.n_needs = 2;
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_set_status(db, p.id, 'K', date_from_ymd(2021, 1, 4),
	    &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_set_status(db, p.id, 'E', date_from_ymd(2024, 6,
	    10), &e), 0, "%s", e.msg);
	return p.id;
}

static char *
export_text(struct db *db, const struct config *cfg, const char *const *upns,
    int n, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct serr e;

	serr_clear(&e);
	*rc = ctf_write(db, cfg, upns, n, fp, &e);
	fclose(fp);
	return buf;
}

Test(ctf, writes_the_sen_part_for_leavers)
{
	struct db *db = th_db();
	struct config cfg;
	char a[UPN_LEN + 1], b[UPN_LEN + 1];
	const char *upns[2];
	char *x;
	int rc;

	config_defaults(&cfg);
	cfg.la_number = 801;
	cfg.estab_number = 2000;
	cfg.school_name = xstrdup("Oakfield & Elm <Primary>");
	with_history(db, 10, "Ó Briain", "Séamus");
	th_pupil(db, 11, "李", "Wei", 'K', "ASD", "5");
	upns[0] = th_upn(10, a);
	upns[1] = th_upn(11, b);
	x = export_text(db, &cfg, upns, 2, &rc);
	cr_assert_eq(rc, 0);
	has(x, "<CTfile>");
	has(x, "<DocumentName>Common Transfer File</DocumentName>");
	has(x, "<CTFversion>" CTF_VERSION "</CTFversion>");
	has(x, "<DocumentQualifier>partial</DocumentQualifier>");
	has(x, "<SupplierID>senco</SupplierID>");
	has(x, "<LEA>801</LEA>");
	has(x, "<Estab>2000</Estab>");
	has(x, "<SchoolName>Oakfield &amp; Elm &lt;Primary&gt;</SchoolName>");
	has(x, "<AcademicYear>2025</AcademicYear>");
	has(x, "<DestSchool>\n      <LEA>MMM</LEA>\n      <Estab>MMMM</Estab>");
	has(x, "<Surname>Ó Briain</Surname>");
	has(x, "<PreferredForename>Kit</PreferredForename>");
	has(x, "<Sex>M</Sex>");
	has(x, "<NCyearActual>6</NCyearActual>");
	has(x, "<SEN>\n          <StartDate>2021-01-04</StartDate>\n"
	    "          <SENprovision>K</SENprovision>");
	has(x, "<SENtypeRank>2</SENtypeRank>\n            "
	    "<SENtype>SLCN</SENtype>");
	has(x, "<Surname>李</Surname>");
	free(x);

	/* A wrong UPN writes nothing at all. */
	upns[1] = "B801200005002";
	x = export_text(db, &cfg, upns, 2, &rc);
	cr_assert_eq(rc, SE_INVALID, "a wrong check letter");
	cr_assert_str_eq(x, "");
	free(x);
	upns[1] = "Q801200005002";
	x = export_text(db, &cfg, upns, 2, &rc);
	cr_assert_eq(rc, SE_NOTFOUND);
	cr_assert_str_eq(x, "");
	free(x);
	config_free(&cfg);
	db_close(db);
}

Test(ctf, round_trip_into_an_empty_caseload)
{
	struct db *a = th_db(), *b = th_db();
	struct import_result r;
	struct serr e;
	struct pupil pa, pb;
	char u[4][UPN_LEN + 1], ha[512], hb[512], *x;
	const char *upns[4];
	int rc;

	with_history(a, 20, "Nguyễn", "Minh");
	th_pupil(a, 21, "Brown", "Zoë", 'K', "NSA", "3");
	th_pupil(a, 22, "Nowak", "Łukasz", 'N', NULL, "R");
	/* A same-day change: N then K on the day the pupil was added. */
	cr_assert_eq(pupil_set_status(a, th_pupil(a, 23, "Okafor", "Ada", 'N',
	    "SPLD", "2"), 'K', SDATE_NONE, &e), 0, "%s", e.msg);
	for (int i = 0; i < 4; i++)
		upns[i] = th_upn(20 + i, u[i]);
	x = export_text(a, NULL, upns, 4, &rc);
	cr_assert_eq(rc, 0);

	cr_assert_eq(run(b, write_file("leaving.xml", x), false, false, &r,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 4);
	import_result_free(&r);
	for (int i = 0; i < 4; i++) {
		get(a, upns[i], &pa);
		get(b, upns[i], &pb);
		cr_assert_str_eq(pb.legal_surname, pa.legal_surname);
		cr_assert_str_eq(pb.legal_forename, pa.legal_forename);
		cr_assert_str_eq(pb.preferred_forename, pa.preferred_forename);
		cr_assert_eq(pb.dob, pa.dob);
		cr_assert_eq(pb.gender, pa.gender);
		cr_assert_str_eq(pb.year, pa.year);
		cr_assert_eq(pb.status, pa.status, "%s", upns[i]);
		cr_assert_eq(pb.status_since, pa.status_since, "%s", upns[i]);
		cr_assert_eq(pb.n_needs, pa.n_needs);
		for (int k = 0; k < pa.n_needs; k++)
			cr_assert_str_eq(pb.needs[k], pa.needs[k]);
		cr_assert_str_eq(history(b, pb.id, hb, sizeof hb),
		    history(a, pa.id, ha, sizeof ha), "%s", upns[i]);
	}
	get(b, upns[0], &pb);
	cr_assert_str_eq(history(b, pb.id, hb, sizeof hb),
	    "N 2019-09-02..2021-01-03; K 2021-01-04..2024-06-09; "
	    "E 2024-06-10..");

	/* Importing the same file again changes nothing. */
	cr_assert_eq(run(b, write_file("again.xml", x), false, false, &r, &e),
	    0, "%s", e.msg);
	cr_assert_eq(r.unchanged, 4);
	cr_assert_eq(r.changed, 0);
	import_result_free(&r);
	free(x);
	db_close(a);
	db_close(b);
}

Test(ctf, newer_history_updates_a_known_pupil)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	char upn[UPN_LEN + 1], xml[2048], h[512], *c;
	int64_t id;

	setenv("SENCO_TODAY", "2025-01-06", 1);
	id = th_pupil(db, 30, "Mensah", "Kwame", 'K', "MLD", "5");
	setenv("SENCO_TODAY", "2026-03-02", 1);
	th_upn(30, upn);
	snprintf(xml, sizeof xml,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile>\n"
	    "<CTFpupilData>\n<Pupil>\n<UPN>%s</UPN>\n"
	    "<Surname>Mensah</Surname><Forename>Kwame</Forename>\n"
	    "<DOB>2016-09-01</DOB><Sex>F</Sex>\n"
	    "<BasicDetails><NCyearActual>5</NCyearActual></BasicDetails>\n"
	    "<SENhistory>\n"
	    "<SEN><StartDate>2022-01-04</StartDate><SENprovision>N"
	    "</SENprovision></SEN>\n"
	    "<SEN><StartDate>2025-01-06</StartDate><SENprovision>K"
	    "</SENprovision></SEN>\n"
	    "<SEN><StartDate>2025-11-03</StartDate><SENprovision>E"
	    "</SENprovision></SEN>\n"
	    "<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>MLD"
	    "</SENtype></SENneed></SENneeds>\n"
	    "</SENhistory>\n</Pupil>\n</CTFpupilData>\n</CTfile>\n", upn);
	cr_assert_eq(run(db, write_file("update.xml", xml), true, false, &r,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(r.changed, 1);
	c = msgs(&r, IMSG_CHANGED);
	has(c, "SEN status: K -> E (from 2025-11-03)");
	free(c);
	import_result_free(&r);

	cr_assert_eq(run(db, write_file("update2.xml", xml), false, false, &r,
	    &e), 0, "%s", e.msg);
	cr_assert_eq(r.changed, 1);
	import_result_free(&r);
	get(db, upn, &p);
	cr_assert_eq(p.id, id);
	cr_assert_eq(p.status, 'E');
	cr_assert_str_eq(history(db, id, h, sizeof h),
	    "K 2025-01-06..2025-11-02; E 2025-11-03..",
	    "older history is not rewritten; the newer entry is added");
	db_close(db);
}
