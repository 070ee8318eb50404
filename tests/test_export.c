/*
 * test_export.c: the spreadsheet exports: the register (and that senco
 * import reads it back the same), targets with their ratings as
 * "date:value;...", the provision map with cost per pupil per year, the
 * cycles with decisions, TSV, and formula cells neutralised.
 * Today is fixed at 2026-03-02 (SENCO_TODAY).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cycle.h"
#include "core/import.h"
#include "core/intervention.h"
#include "core/pupil.h"
#include "core/target.h"
#include "helpers.h"
#include "io/export.h"
#include "io/importfile.h"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", "2026-03-02", 1);
	date_set_style(DATE_STYLE_ISO);
}

TestSuite(export, .init = fix_today, .fini = th_cleanup);

/* The export as text. Caller frees. */
static char *
export(struct db *db, enum export_kind k, enum table_format f, int *rows)
{
	struct export_opts o = { .format = f };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(export_write(db, k, &o, fp, rows, &e), 0, "%s", e.msg);
	fclose(fp);
	return buf;
}

static void
has(const char *text, const char *want)
{
	cr_assert(strstr(text, want) != NULL, "no [%s] in:\n%s", want, text);
}

static void
set_text(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, "%s", s);
}

Test(export, pupils_register_and_formula_cells)
{
	struct db *db = th_db();
	struct pupil p;
	struct serr e;
	char upn[UPN_LEN + 1], *x;
	int rows;

	th_pupil(db, 10, "Brown", "Zoë", 'K', "SPLD", "4");
	/* Names a spreadsheet would run as formulas. */
	pupil_init(&p);
	th_upn(11, p.upn);
	set_text(p.legal_surname, sizeof p.legal_surname,
	    "=HYPERLINK(\"http://x\",\"y\")");
	set_text(p.legal_forename, sizeof p.legal_forename, "@SUM(A1)");
	set_text(p.preferred_forename, sizeof p.preferred_forename,
	    "+cmd|' /C calc'!A0");
	set_text(p.class_name, sizeof p.class_name, "-2+3");
	p.dob = date_from_ymd(2015, 1, 1);
	set_text(p.year, sizeof p.year, "5");
	p.flags = FLAG_PP | FLAG_EAL;
	p.attendance = 88.5;
	serr_clear(&e);
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s", e.msg);

	x = export(db, EXPORT_PUPILS, TABLE_CSV, &rows);
	cr_assert_eq(rows, 2);
	has(x, "UPN,Legal Surname,Legal Forename,Preferred Surname,"
	    "Preferred Forename,DOB,Year,Reg,Gender,SEN Status,"
	    "SEN Status Since,Primary Need,Secondary Need,Third Need,"
	    "Fourth Need,Pupil Premium,FSM,In Care,EAL,Attendance %,Left On\n");
	has(x, th_upn(10, upn));
	has(x, ",Brown,Zoë,,,2016-09-01,4,,F,K,2026-03-02,SPLD,,,,N,N,N,N,,\n");
	/* Every formula-looking cell starts with an apostrophe. */
	has(x, ",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(A1),,"
	    "'+cmd|' /C calc'!A0,2015-01-01,5,'-2+3,");
	has(x, ",Y,N,N,Y,88.5,\n");
	free(x);

	x = export(db, EXPORT_PUPILS, TABLE_TSV, &rows);
	has(x, "UPN\tLegal Surname\t");
	has(x, "\t'=HYPERLINK(\"http://x\",\"y\")\t'@SUM(A1)\t");
	free(x);
	db_close(db);
}

Test(export, pupils_export_imports_back_the_same)
{
	struct db *a = th_db(), *b = th_db();
	struct import_opts o = { 0 };
	struct import_result r;
	struct serr e;
	const char *path = th_path("pupils.csv");
	FILE *fp;
	char *x, *y;
	int rows;

	th_pupil(a, 10, "Brown", "Zoë", 'K', "SPLD", "4");
	th_pupil(a, 11, "Ó Súilleabháin", "Siobhán", 'E', "ASD", "6");
	th_pupil(a, 12, "李", "Wei", 'N', NULL, "R");
	x = export(a, EXPORT_PUPILS, TABLE_CSV, &rows);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs(x, fp);
	fclose(fp);
	import_result_init(&r, path);
	serr_clear(&e);
	cr_assert_eq(importfile_run(b, path, &o, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 3);
	import_result_free(&r);
	y = export(b, EXPORT_PUPILS, TABLE_CSV, &rows);
	cr_assert_str_eq(y, x, "the same register after the round trip");
	free(x);
	free(y);
	db_close(a);
	db_close(b);
}

Test(export, targets_with_ratings_and_outcomes)
{
	struct db *db = th_db();
	struct cycle cy;
	struct target t;
	struct serr e;
	int64_t pid = th_pupil(db, 10, "Brown", "Zoë", 'K', "SPLD", "4");
	char *x;
	int rows;

	serr_clear(&e);
	cr_assert_eq(cycle_start(db, pid, date_from_ymd(2026, 1, 5),
	    date_from_ymd(2026, 3, 30), 12, &cy, &e), 0, "%s", e.msg);
	target_init(&t);
	t.cycle_id = cy.id;
	t.text = "Read 20 common exception words";
	t.criteria = "=reads them all, twice";
	t.area = AREA_CL;
	cr_assert_eq(target_add(db, &t, &e), 0, "%s", e.msg);
	cr_assert_eq(target_rate(db, t.id, 1, NULL, date_from_ymd(2026, 1, 20),
	    NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(target_rate(db, t.id, -1, "a comment only",
	    date_from_ymd(2026, 2, 1), NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(target_rate(db, t.id, 3, NULL, date_from_ymd(2026, 2, 23),
	    NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(target_set_outcome(db, t.id, OUTCOME_PARTIAL, &e), 0,
	    "%s", e.msg);
	cycle_free(&cy);

	x = export(db, EXPORT_TARGETS, TABLE_CSV, &rows);
	cr_assert_eq(rows, 1);
	has(x, "UPN,Name,Cycle Start,Review Date,Cycle Closed,Target,Text,"
	    "Success Criteria,Baseline,Area,Ratings,Latest Rating,Outcome,"
	    "Outcome Date\n");
	has(x, ",\"Brown, Zoë\",2026-01-05,2026-03-30,,1,Read 20 common "
	    "exception words,\"'=reads them all, twice\",,CL,"
	    "2026-01-20:1;2026-02-23:3,3,partial,2026-03-02\n");
	free(x);
	db_close(db);
}

Test(export, provision_cost_per_pupil_per_year)
{
	struct db *db = th_db();
	struct intervention iv;
	struct enrolment en;
	struct serr e;
	int64_t pid = th_pupil(db, 10, "Brown", "Zoë", 'K', "SPLD", "4");
	char *x;
	int rows;

	serr_clear(&e);
	intervention_init(&iv);
	set_text(iv.name, sizeof iv.name, "Precision teaching");
	iv.area = AREA_CL;
	iv.basis = COST_PER_HOUR;
	iv.cost_pence = 1800;		/* £18 an hour */
	cr_assert_eq(intervention_add(db, &iv, &e), 0, "%s", e.msg);
	enrolment_init(&en);
	en.pupil_id = pid;
	en.intervention_id = iv.id;
	en.group_size = 3;
	en.sessions_per_week = 2;
	en.minutes = 30;
	en.start = date_from_ymd(2026, 1, 12);
	set_text(en.staff, sizeof en.staff, "Ms Siobhán Byrne");
	set_text(en.measure, sizeof en.measure, "Salford reading age");
	en.measure_kind = MEASURE_AGE;
	en.entry = 86;
	en.exit = NAN;
	cr_assert_eq(enrolment_add(db, &en, &e), 0, "%s", e.msg);

	x = export(db, EXPORT_PROVISION, TABLE_CSV, &rows);
	cr_assert_eq(rows, 1);
	/* £18 * 0.5 h / 3 = £3.00 a session; * 2 a week * 39 weeks. */
	has(x, "Precision teaching,CL,Ms Siobhán Byrne,");
	has(x, ",\"Brown, Zoë\",2026-01-12,,N,3,2,30,3.00,234.00,"
	    "Salford reading age,86,,\n");
	free(x);
	db_close(db);
}

Test(export, cycles_with_decisions)
{
	struct db *db = th_db();
	struct cycle cy, next;
	struct serr e;
	int64_t pid = th_pupil(db, 10, "Brown", "Zoë", 'K', "SPLD", "4");
	char *x;
	int rows;

	serr_clear(&e);
	cr_assert_eq(cycle_start(db, pid, date_from_ymd(2025, 9, 8),
	    date_from_ymd(2025, 12, 1), 12, &cy, &e), 0, "%s", e.msg);
	cr_assert_eq(cycle_set_text(db, cy.id, "parent", "Happy with "
	    "progress, \"keen\" to continue", &e), 0, "%s", e.msg);
	cycle_init(&next);
	cr_assert_eq(cycle_close(db, cy.id, DECISION_CONTINUE,
	    date_from_ymd(2025, 12, 1), 12, &next, &e), 0, "%s", e.msg);
	cycle_free(&cy);
	cycle_free(&next);

	x = export(db, EXPORT_CYCLES, TABLE_CSV, &rows);
	cr_assert_eq(rows, 2);
	has(x, "UPN,Name,Stage,Plan Start,Plan End,Review Date,Decision,"
	    "Closed On,Targets,Targets Achieved,Parent Voice,Pupil Voice\n");
	has(x, ",closed,2025-09-08,2025-12-01,2025-12-01,continue,2025-12-01,"
	    "0,0,\"Happy with progress, \"\"keen\"\" to continue\",\n");
	has(x, ",assess,2025-12-01,");
	free(x);
	db_close(db);
}

/* The UPNs pupil_list gives, in its order, one a line. */
static int
upn_line(void *ctx, const struct pupil *p)
{
	char **s = ctx;
	size_t n = strlen(*s);

	*s = realloc(*s, n + UPN_LEN + 2);
	cr_assert_not_null(*s);
	snprintf(*s + n, UPN_LEN + 2, "%s\n", p->upn);
	return 0;
}

/* The first cell of each line after the header, one a line. */
static char *
first_cells(const char *x)
{
	char *out = calloc(1, strlen(x) + 1);
	const char *line = strchr(x, '\n');
	size_t o = 0;

	cr_assert_not_null(out);
	while (line != NULL && line[1] != '\0') {
		size_t n = strcspn(line + 1, ",\n");

		memcpy(out + o, line + 1, n);
		o += n;
		out[o++] = '\n';
		line = strchr(line + 1, '\n');
	}
	return out;
}

/* Pupils are read by id and written in the register's order (the order
 * pupil_list gives: surname, forename without regard to case, then id),
 * each with its own status and needs in rank order, those who left only
 * with --archived. */
Test(export, pupils_in_register_order_with_archived)
{
	struct db *db = th_db();
	struct pupil_filter pf;
	struct export_opts o = { .format = TABLE_CSV };
	struct pupil p;
	struct serr e;
	char upn[UPN_LEN + 1], *x, *want, *got;
	int64_t gone;
	int rows;
	size_t len = 0;
	FILE *fp;

	/* ids in another order than the names */
	th_pupil(db, 20, "zeta", "Anna", 'K', "MLD", "3");
	th_pupil(db, 21, "Ólafsson", "Björk", 'N', NULL, "5");
	gone = th_pupil(db, 22, "Abbott", "Zoë", 'E', "ASD", "6");
	th_pupil(db, 23, "ZETA", "anna", 'K', "SPLD", "2");
	th_pupil(db, 24, "Łukasiewicz", "Łukasz", 'K', "SEMH", "4");
	pupil_init(&p);
	th_upn(25, p.upn);
	set_text(p.legal_surname, sizeof p.legal_surname, "Nguyễn");
	set_text(p.legal_forename, sizeof p.legal_forename, "Siobhán");
	set_text(p.preferred_surname, sizeof p.preferred_surname, "Able");
	p.dob = date_from_ymd(2016, 2, 29);
	set_text(p.year, sizeof p.year, "4");
	p.status = 'K';
	p.n_needs = 3;
	set_text(p.needs[0], NEED_CODE_MAX, "SLCN");
	set_text(p.needs[1], NEED_CODE_MAX, "ASD");
	set_text(p.needs[2], NEED_CODE_MAX, "MLD");
	serr_clear(&e);
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_archive(db, gone, true, SDATE_NONE, &e), 0, "%s",
	    e.msg);

	for (int archived = 0; archived <= 1; archived++) {
		memset(&pf, 0, sizeof pf);
		pf.include_n = true;
		pf.include_archived = archived;
		want = calloc(1, 1);
		cr_assert_eq(pupil_list(db, &pf, upn_line, &want, NULL), 0);
		o.include_archived = archived;
		x = NULL;
		fp = open_memstream(&x, &len);
		cr_assert_eq(export_write(db, EXPORT_PUPILS, &o, fp, &rows, &e),
		    0, "%s", e.msg);
		fclose(fp);
		got = first_cells(x);
		cr_assert_str_eq(got, want, "the register's order");
		cr_assert_eq(rows, archived ? 6 : 5);
		has(x, ",Nguyễn,Siobhán,Able,,2016-02-29,4,,,K,2026-03-02,"
		    "SLCN,ASD,MLD,,N,N,N,N,,\n");
		has(x, ",Ólafsson,Björk,,,2016-09-01,5,,F,N,2026-03-02,,,,,");
		if (archived)
			has(x, ",Abbott,Zoë,,,2016-09-01,6,,F,E,2026-03-02,ASD,"
			    ",,,N,N,N,N,,2026-03-02\n");
		else
			cr_assert_null(strstr(x, th_upn(22, upn)));
		free(got);
		free(want);
		free(x);
	}
	db_close(db);
}

Test(export, kinds_and_formats)
{
	struct db *db = th_db();
	struct export_opts o = { .format = TABLE_ALIGNED };
	enum export_kind k;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(export_kind_parse("Provision", &k, &e), 0);
	cr_assert_eq(k, EXPORT_PROVISION);
	cr_assert_eq(export_kind_parse("register", &k, &e), SE_INVALID);
	cr_assert_eq(export_write(db, EXPORT_PUPILS, &o, stdout, NULL, &e),
	    SE_INVALID, "an export is CSV or TSV");
	db_close(db);
}
