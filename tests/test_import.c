/*
 * test_import.c: pupil lists from an MIS through importfile_run and the
 * import core: SIMS- and Arbor-style headers, a BOM with CRLF,
 * Windows-1252, quoted newlines, blank lines and extra columns; every
 * kind of refused row listed as file:line: field; nothing written after a
 * refusal; --skip-bad, --dry-run, the update path with its status
 * history, the config's column mapping, and a missing column.
 * Today is fixed at 2026-03-02 (SENCO_TODAY).
 */
#include <criterion/criterion.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/import.h"
#include "core/pupil.h"
#include "core/xmalloc.h"
#include "helpers.h"
#include "io/importfile.h"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", "2026-03-02", 1);
	date_set_style(DATE_STYLE_ISO);
}

TestSuite(import, .init = fix_today, .fini = th_cleanup);

/* A fixture in tests/data/ beside this file. */
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

/* A file in a temp dir with these bytes. */
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

/* Every row of the pupil tables: unchanged means nothing was written. */
static int
rows(struct db *db)
{
	return th_count(db, "SELECT (SELECT count(*) FROM pupil) +"
	    " (SELECT count(*) FROM sen_status) +"
	    " (SELECT count(*) FROM pupil_need) +"
	    " (SELECT total(version) FROM pupil)");
}

/* Import path into db; the result stays in *res for the caller to look
 * at (and free). Returns the status. */
static int
run(struct db *db, const char *path, bool dry, bool skip,
    const struct config *cfg, struct import_result *res, struct serr *e)
{
	struct import_opts o = { .dry_run = dry, .skip_bad = skip,
	    .cfg = cfg };

	import_result_init(res, path);
	serr_clear(e);
	return importfile_run(db, path, &o, res, e);
}

/* The messages of one kind, one a line, as "line: text". Caller frees. */
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

static void
get(struct db *db, const char *upn, struct pupil *p)
{
	struct serr e;

	serr_clear(&e);
	pupil_init(p);
	cr_assert_eq(pupil_find_upn(db, upn, p, &e), 0, "%s: %s", upn, e.msg);
}

/* --- real-world files ------------------------------------------------------ */

Test(import, sims_style_with_bom_crlf_quirks)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	char *n;

	cr_assert_eq(run(db, fixture("sims.csv"), false, false, NULL, &r, &e),
	    0, "%s", e.msg);
	cr_assert_eq(r.rows, 5);
	cr_assert_eq(r.added, 5);
	cr_assert_eq(r.refused, 0);
	cr_assert(r.written);
	cr_assert_str_eq(r.format, "CSV");
	cr_assert_str_eq(r.encoding, "UTF-8 with byte-order mark");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 5);

	get(db, "A801200005010", &p);
	cr_assert_str_eq(p.legal_forename, "Zoë");
	cr_assert_str_eq(p.legal_surname, "Brown");
	cr_assert_eq(p.dob, date_from_ymd(2016, 4, 3), "DD/MM/YYYY read");
	cr_assert_str_eq(p.year, "4");
	cr_assert_str_eq(p.class_name, "4B");
	cr_assert_eq(p.gender, 'F');
	cr_assert_eq(p.status, 'K');
	cr_assert_eq(p.n_needs, 1);
	cr_assert_str_eq(p.needs[0], "SPLD");
	cr_assert_eq(p.flags, FLAG_PP);
	cr_assert_float_eq(p.attendance, 93.5, 1e-9);

	/* After a quoted newline and a blank line. */
	get(db, "P801200005011", &p);
	cr_assert_str_eq(p.legal_surname, "Ó Súilleabháin");
	cr_assert_str_eq(p.preferred_forename, "Shiv");
	cr_assert_eq(p.status, 'E');
	cr_assert_eq(p.n_needs, 2);
	cr_assert_str_eq(p.needs[1], "SLCN");
	cr_assert_eq(p.flags, FLAG_PP | FLAG_FSM);
	cr_assert_float_eq(p.attendance, 97, 1e-9, "97%% read");

	/* Historic codes mapped, with a notice on their line. */
	get(db, "D801200005012", &p);
	cr_assert_eq(p.status, 'K');
	cr_assert_str_eq(p.needs[0], "SEMH");
	cr_assert_eq(p.flags, FLAG_EAL);
	cr_assert_lt(p.attendance, 0, "empty attendance is unknown");
	get(db, "G801200005014", &p);
	cr_assert_str_eq(p.legal_surname, "李");
	cr_assert_eq(p.status, 'E');
	get(db, "T801200005013", &p);
	cr_assert_str_eq(p.legal_surname, "Nguyễn");
	cr_assert_eq(p.flags, FLAG_CIC | FLAG_EAL);

	n = msgs(&r, IMSG_NOTICE);
	has(n, "1: columns not used: 'Address', 'Notes'");
	has(n, "6: SEN Status: historic code 'A' (School Action) read as K");
	has(n, "6: Primary Need: 'BESD' is the name used before 2015: read as "
	    "SEMH");
	has(n, "9: SEN Status: historic code 'S' (Statement) read as E");
	free(n);
	n = msgs(&r, IMSG_ADDED);
	has(n, "8: new pupil T801200005013 Nguyễn, Minh (year 6)");
	has(n, "4: new pupil P801200005011 Ó Súilleabháin, Shiv (year 5, SEN "
	    "status E, needs ASD, SLCN)");
	free(n);
	import_result_free(&r);
	db_close(db);
}

Test(import, arbor_style_headers_and_words)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;

	cr_assert_eq(run(db, fixture("arbor.csv"), false, false, NULL, &r, &e),
	    0, "%s", e.msg);
	cr_assert_eq(r.added, 3);
	cr_assert_eq(r.n_msgs, 3, "no notices: every column is known");
	get(db, "W801200005015", &p);
	cr_assert_str_eq(p.legal_forename, "Aoife");
	cr_assert_str_eq(p.legal_surname, "O'Neill");
	cr_assert_str_eq(p.year, "4", "'Year 4'");
	cr_assert_eq(p.status, 'K', "'SEN Support'");
	cr_assert_str_eq(p.needs[0], "SLCN", "a need by its name");
	cr_assert_eq(p.flags, FLAG_PP);
	get(db, "K801200005016", &p);
	cr_assert_eq(p.status, 'E', "'EHC Plan'");
	cr_assert_eq(p.gender, 'M', "'Male'");
	cr_assert_eq(p.flags, FLAG_FSM | FLAG_CIC, "Looked After");
	get(db, "Z801200005017", &p);
	cr_assert_str_eq(p.year, "R", "'Reception'");
	cr_assert_eq(p.status, 'N', "'No SEN'");
	cr_assert_str_eq(p.preferred_forename, "Ani");
	import_result_free(&r);
	db_close(db);
}

Test(import, windows_1252_names_intact)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;

	cr_assert_eq(run(db, fixture("cp1252.csv"), false, false, NULL, &r,
	    &e), 0, "%s", e.msg);
	cr_assert_str_eq(r.encoding, "Windows-1252");
	cr_assert_eq(r.added, 3);
	get(db, "N801200005018", &p);
	cr_assert_str_eq(p.legal_surname, "Brontë");
	cr_assert_str_eq(p.legal_forename, "Zoë");
	get(db, "C801200005019", &p);
	cr_assert_str_eq(p.legal_surname, "Müller");
	cr_assert_str_eq(p.legal_forename, "Jürgen");
	get(db, "N801200005020", &p);
	cr_assert_str_eq(p.legal_surname, "O’Brien", "0x92 is a right quote");
	cr_assert_str_eq(p.legal_forename, "Seán");
	import_result_free(&r);
	db_close(db);
}

Test(import, tsv_and_spreadsheet_dates)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	const char *path = write_file("list.tsv",
	    "UPN\tSurname\tForename\tDate of Birth\tNC Year\n"
	    "A801200005010\tBrown\tZoë\t03/04/2016 00:00:00\tY4\n");

	cr_assert_eq(run(db, path, false, false, NULL, &r, &e), 0, "%s",
	    e.msg);
	cr_assert_str_eq(r.format, "TSV");
	get(db, "A801200005010", &p);
	cr_assert_eq(p.dob, date_from_ymd(2016, 4, 3));
	import_result_free(&r);
	db_close(db);
}

/* --- refusals ---------------------------------------------------------------- */

Test(import, every_refused_row_listed_and_nothing_written)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	const char *path = fixture("bad.csv");
	int before;
	char *ref;

	th_pupil(db, 900, "Already", "Here", 'N', NULL, "3");
	before = rows(db);
	cr_assert_eq(run(db, path, false, false, NULL, &r, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "15 pupils refused; nothing was written") !=
	    NULL, "%s", e.msg);
	cr_assert_eq(r.rows, 17);
	cr_assert_eq(r.refused, 15);
	cr_assert_not(r.written);
	cr_assert_eq(rows(db), before, "nothing written after a refusal");

	ref = msgs(&r, IMSG_REFUSED);
	has(ref, "3: UPN: UPN 'B801200005022' has the wrong check letter: it "
	    "should be R (census error 1510)");
	has(ref, "4: DOB: '31/02/2016' is not a real date");
	has(ref, "5: Primary Need: type of need 'XYZ' is not a census code");
	has(ref, "6: UPN: C801200005021 appears again (first on line 2)");
	has(ref, "7: SEN Status: 'Q' is not a SEN status");
	has(ref, "8: Surname: missing");
	has(ref, "9: Year: year group 'Year 15' is not");
	has(ref, "10: Primary Need: pupil M801200005027: a pupil with SEN "
	    "status K needs a primary type of need");
	has(ref, "11: DOB: date of birth 2027-01-01: in the future");
	has(ref, "12: FSM: 'maybe' is not yes or no");
	has(ref, "13: Attendance: 120% is not between 0 and 100");
	has(ref, "14: Primary Need: pupil Q801200005031: type of need NSA is "
	    "only allowed with SEN status K");
	has(ref, "15: Secondary Need: SPLD given without a primary need");
	has(ref, "17: Gender: 'X' is not M or F");
	has(ref, "18: UPN: UPN '12345' must be 13 characters");
	/* The good rows are not refused. */
	cr_assert_null(strstr(ref, "\n2: "), "%s", ref);
	cr_assert_null(strstr(ref, "\n16: "), "%s", ref);
	free(ref);

	/* The formatted form: file:line: field: why. */
	for (int i = 0; i < r.n_msgs; i++) {
		char *line, want[1200];

		if (r.msgs[i].kind != IMSG_REFUSED)
			continue;
		line = import_msg_format(&r, &r.msgs[i]);

		snprintf(want, sizeof want, "%s:3: UPN: ", path);
		cr_assert(strncmp(line, want, strlen(want)) == 0, "%s", line);
		free(line);
		break;
	}
	import_result_free(&r);
	db_close(db);
}

Test(import, skip_bad_imports_exactly_the_good_rows)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;

	cr_assert_eq(run(db, fixture("bad.csv"), false, true, NULL, &r, &e),
	    0, "%s", e.msg);
	cr_assert_eq(r.added, 2);
	cr_assert_eq(r.refused, 15);
	cr_assert(r.written);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 2);
	get(db, "C801200005021", &p);
	cr_assert_str_eq(p.legal_surname, "Good", "the first of a duplicate");
	get(db, "U801200005033", &p);
	cr_assert_eq(p.status, 'K');
	/* The refused are still listed. */
	cr_assert_geq(r.n_msgs, 17);
	import_result_free(&r);
	db_close(db);
}

Test(import, missing_columns_refused_with_the_header)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	int before = rows(db);

	cr_assert_eq(run(db, fixture("missing.csv"), false, false, NULL, &r,
	    &e), SE_INVALID);
	has(e.msg, "missing.csv:1: no column for: legal surname, date of "
	    "birth, year group");
	has(e.msg, "the header line is: UPN,Forename,Reg");
	cr_assert_eq(rows(db), before);
	import_result_free(&r);
	db_close(db);
}

Test(import, empty_and_unreadable_files)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;

	cr_assert_eq(run(db, write_file("empty.csv", "\r\n\r\n"), false, false,
	    NULL, &r, &e), SE_INVALID);
	has(e.msg, "empty");
	import_result_free(&r);
	cr_assert_eq(run(db, write_file("open.csv", "UPN,Surname,Forename,DOB,"
	    "Year\nA801200005010,\"Brown,Zoë,2016-04-03,4\n"), false, false,
	    NULL, &r, &e), SE_INVALID);
	has(e.msg, "open.csv:2: a quoted field is not closed");
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 0);
	import_result_free(&r);
	cr_assert_eq(run(db, th_path("nothing.csv"), false, false, NULL, &r,
	    &e), SE_NOTFOUND);
	import_result_free(&r);
	db_close(db);
}

/* --- dry run and updates ------------------------------------------------------ */

Test(import, dry_run_writes_nothing)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	int before = rows(db);
	char *a;

	cr_assert_eq(run(db, fixture("sims.csv"), true, false, NULL, &r, &e),
	    0, "%s", e.msg);
	cr_assert(r.dry_run);
	cr_assert_eq(r.added, 5, "what would be added");
	cr_assert_not(r.written);
	cr_assert_eq(rows(db), before);
	a = msgs(&r, IMSG_ADDED);
	has(a, "2: new pupil A801200005010 Brown, Zoë");
	free(a);
	a = import_summary(&r);
	has(a, "5 to add");
	has(a, "Dry run: nothing was written.");
	free(a);
	import_result_free(&r);

	/* Refused rows in a dry run: listed, and the run says so. */
	cr_assert_eq(run(db, fixture("bad.csv"), true, false, NULL, &r, &e),
	    SE_INVALID);
	has(e.msg, "nothing would be written");
	cr_assert_eq(r.refused, 15);
	cr_assert_eq(rows(db), before);
	import_result_free(&r);
	db_close(db);
}

struct hist {
	int n;
	char status[8];
	sdate start[8], end[8];
};

static int
collect(void *ctx, const struct status_entry *s)
{
	struct hist *h = ctx;

	if (h->n < 8) {
		h->status[h->n] = s->status;
		h->start[h->n] = s->start;
		h->end[h->n] = s->end;
		h->n++;
	}
	return 0;
}

Test(import, update_path_changes_fields_and_status_history)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	struct hist h = { 0 };
	int64_t version;
	char *c;
	const char *v1 = write_file("v1.csv",
	    "UPN,Surname,Forename,DOB,Year,Reg,SEN Status,Primary Need\n"
	    "A801200005010,Brown,Zoë,2016-04-03,4,4B,K,SPLD\n"
	    "P801200005011,Nowak,Łukasz,2016-05-05,4,4B,N,\n");
	const char *v2 = write_file("v2.csv",
	    "UPN,Surname,Forename,DOB,Year,Reg,SEN Status,Primary Need\n"
	    "A801200005010,Brown,Zoë,2016-04-03,5,5B,E,SPLD\n"
	    "P801200005011,Nowak,Łukasz,2016-05-05,4,4B,N,\n"
	    "D801200005012,Okafor,Chidi,2015-01-01,5,5B,N,\n");

	setenv("SENCO_TODAY", "2025-09-01", 1);
	cr_assert_eq(run(db, v1, false, false, NULL, &r, &e), 0, "%s", e.msg);
	import_result_free(&r);
	get(db, "A801200005010", &p);
	version = p.version;
	setenv("SENCO_TODAY", "2026-03-02", 1);

	/* The dry run shows each change as field: old -> new. */
	cr_assert_eq(run(db, v2, true, false, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 1);
	cr_assert_eq(r.changed, 1);
	cr_assert_eq(r.unchanged, 1);
	c = msgs(&r, IMSG_CHANGED);
	has(c, "2: changed A801200005010 Brown, Zoë: year group: 4 -> 5; "
	    "class: 4B -> 5B; SEN status: K -> E");
	free(c);
	import_result_free(&r);
	get(db, "A801200005010", &p);
	cr_assert_eq(p.version, version, "the dry run changed nothing");

	cr_assert_eq(run(db, v2, false, false, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.changed, 1);
	cr_assert_eq(r.unchanged, 1);
	cr_assert_eq(r.added, 1);
	import_result_free(&r);
	get(db, "A801200005010", &p);
	cr_assert_str_eq(p.year, "5");
	cr_assert_str_eq(p.class_name, "5B");
	cr_assert_eq(p.status, 'E');
	cr_assert_eq(p.status_since, date_from_ymd(2026, 3, 2));
	cr_assert_eq(p.version, version + 1);
	cr_assert_eq(pupil_status_history(db, p.id, collect, &h, &e), 0);
	cr_assert_eq(h.n, 2, "a status-history entry for the change");
	cr_assert_eq(h.status[0], 'K');
	cr_assert_eq(h.start[0], date_from_ymd(2025, 9, 1));
	cr_assert_eq(h.end[0], date_from_ymd(2026, 3, 1));
	cr_assert_eq(h.status[1], 'E');
	cr_assert_eq(h.end[1], SDATE_NONE);

	/* The same file again changes nothing. */
	cr_assert_eq(run(db, v2, false, false, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.unchanged, 3);
	cr_assert_eq(r.changed + r.added, 0);
	import_result_free(&r);
	db_close(db);
}

Test(import, columns_absent_or_blank_keep_what_is_stored)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	const char *v1 = write_file("v1.csv",
	    "UPN,Surname,Forename,DOB,Year,Gender,Attendance %,FSM,Reg\n"
	    "A801200005010,Brown,Zoë,2016-04-03,4,F,91,Y,4B\n");
	const char *v2 = write_file("v2.csv",
	    "UPN,Surname,Forename,DOB,Year,Gender,Attendance %\n"
	    "A801200005010,Brown,Zoë,2016-04-03,4,,\n");

	cr_assert_eq(run(db, v1, false, false, NULL, &r, &e), 0, "%s", e.msg);
	import_result_free(&r);
	cr_assert_eq(run(db, v2, false, false, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.unchanged, 1, "no FSM or Reg column: kept");
	import_result_free(&r);
	get(db, "A801200005010", &p);
	cr_assert_eq(p.gender, 'F', "a blank gender keeps the stored one");
	cr_assert_float_eq(p.attendance, 91, 1e-9);
	cr_assert_eq(p.flags, FLAG_FSM);
	cr_assert_str_eq(p.class_name, "4B");
	db_close(db);
}

Test(import, archived_pupil_comes_back_on_roll)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	int64_t id = th_pupil(db, 10, "Brown", "Zoë", 'N', NULL, "4");
	char upn[UPN_LEN + 1], csv[512], *c;

	cr_assert_eq(pupil_archive(db, id, true, date_from_ymd(2025, 7, 20),
	    &e), 0, "%s", e.msg);
	get(db, th_upn(10, upn), &p);
	snprintf(csv, sizeof csv, "UPN,Surname,Forename,DOB,Year,Gender\n"
	    "%s,Brown,Zoë,2016-09-01,4,F\n", upn);
	cr_assert_eq(run(db, write_file("back.csv", csv), false, false, NULL,
	    &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.changed, 1);
	c = msgs(&r, IMSG_CHANGED);
	has(c, "back on roll (left 2025-07-20)");
	free(c);
	import_result_free(&r);
	get(db, upn, &p);
	cr_assert_not(p.archived);
	cr_assert_eq(p.left_on, SDATE_NONE);
	db_close(db);
}

Test(import, config_column_mapping)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	struct config cfg;
	struct config_entry map[] = {
		{ "Surname (Legal)", "legal_surname", 3 },
		{ "Given", "legal_forename", 4 },
		{ "Born", "dob", 5 },
		{ "Tutor", "class", 6 },
		{ "Surname", "ignore", 7 },
		{ "Junk", "ignore", 8 },
	};
	const char *path = write_file("mapped.csv",
	    "upn,SURNAME (LEGAL),given,born,year,tutor,surname,junk,other\n"
	    "A801200005010,Brown,Zoë,2016-04-03,4,T1,Wrong,x,y\n");
	char *n;

	config_defaults(&cfg);
	cfg.import_columns = map;
	cfg.n_import_columns = 6;
	cr_assert_eq(run(db, path, false, false, &cfg, &r, &e), 0, "%s",
	    e.msg);
	get(db, "A801200005010", &p);
	cr_assert_str_eq(p.legal_surname, "Brown", "the mapping beats "
	    "the built-in 'Surname'");
	cr_assert_str_eq(p.legal_forename, "Zoë");
	cr_assert_str_eq(p.class_name, "T1");
	n = msgs(&r, IMSG_NOTICE);
	has(n, "column not used: 'other'");
	cr_assert_null(strstr(n, "junk"), "an ignored column is not listed");
	free(n);
	import_result_free(&r);
	cfg.import_columns = NULL;
	cfg.n_import_columns = 0;
	config_free(&cfg);
	db_close(db);
}

Test(import, two_columns_for_one_field)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p;
	const char *path = write_file("both.csv",
	    "UPN,Surname,Forename,Legal Surname,DOB,Year\n"
	    "A801200005010,Known,Zoë,Legal,2016-04-03,4\n");
	char *n;

	cr_assert_eq(run(db, path, false, false, NULL, &r, &e), 0, "%s",
	    e.msg);
	get(db, "A801200005010", &p);
	cr_assert_str_eq(p.legal_surname, "Legal", "the more specific name");
	n = msgs(&r, IMSG_NOTICE);
	has(n, "column 'Surname' not used: 'Legal Surname' gives the legal "
	    "surname");
	free(n);
	import_result_free(&r);
	db_close(db);
}

Test(import, header_names_and_fields)
{
	int rank1, rank2;

	cr_assert_eq(import_header_field("  legal   SURNAME ", &rank1),
	    IMPORT_LEGAL_SURNAME);
	cr_assert_eq(import_header_field("Surname", &rank2),
	    IMPORT_LEGAL_SURNAME);
	cr_assert_lt(rank1, rank2);
	cr_assert_eq(import_header_field("Date of Birth", NULL), IMPORT_DOB);
	cr_assert_eq(import_header_field("NC Year Actual", NULL), IMPORT_YEAR);
	cr_assert_eq(import_header_field("Reg Group", NULL), IMPORT_CLASS);
	cr_assert_eq(import_header_field("SEN Provision", NULL), IMPORT_STATUS);
	cr_assert_eq(import_header_field("SEN Primary Need", NULL),
	    IMPORT_NEED1);
	cr_assert_eq(import_header_field("CiC", NULL), IMPORT_CIC);
	cr_assert_eq(import_header_field("Free School Meals", NULL),
	    IMPORT_FSM);
	cr_assert_eq(import_header_field("Attendance %", NULL),
	    IMPORT_ATTENDANCE);
	cr_assert_eq(import_header_field("Address", NULL), -1);
	cr_assert_eq(import_field_parse("legal_surname"),
	    IMPORT_LEGAL_SURNAME);
	cr_assert_eq(import_field_parse("IGNORE"), IMPORT_FIELD_IGNORE);
	cr_assert_eq(import_field_parse("shoe_size"), -1);
}

Test(import, config_file_import_columns)
{
	struct config cfg;
	struct serr e;
	const char *path = write_file("senco.conf",
	    "import = {\n"
	    "  columns = {\n"
	    "    legal_surname = \"Surname (Legal)\";\n"
	    "    class = (\"Reg Grp\", \"Tutor Group\");\n"
	    "  };\n"
	    "};\n");
	const char *bad = write_file("bad.conf",
	    "import = { columns = { shoe_size = \"Shoe\"; }; };\n");

	serr_clear(&e);
	cr_assert_eq(config_load(&cfg, path, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(cfg.n_import_columns, 3);
	cr_assert_str_eq(cfg.import_columns[0].name, "Surname (Legal)");
	cr_assert_str_eq(cfg.import_columns[0].value, "legal_surname");
	cr_assert_eq(cfg.import_columns[0].line, 3);
	cr_assert_str_eq(cfg.import_columns[2].name, "Tutor Group");
	cr_assert_str_eq(cfg.import_columns[2].value, "class");
	config_free(&cfg);
	cr_assert_eq(config_load(&cfg, bad, NULL, NULL, &e), SE_CONFIG);
	has(e.msg, "bad.conf:1: import.columns: 'shoe_size' is not a field");
	config_free(&cfg);
}

/* --- the audit trail of an import (issue 6) --------------------------------- */

/* One audit row per row written, each the whole new row (NULL columns
 * aside) on insert and the changed columns, old and new, on update; a
 * pupil added by an import reads back as one added by hand would. */
Test(import, audit_rows_complete_one_per_row_written)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	struct pupil p, q;
	const char *v1 = write_file("a1.csv",
	    "UPN,Surname,Forename,Preferred Forename,DOB,Year,Reg,SEN Status,"
	    "Primary Need,Secondary Need,FSM,Attendance %\n"
	    "A801200005010,Brown,Zoë,,2016-04-03,4,4B,K,SPLD,SLCN,Y,96.5\n"
	    "P801200005011,Nowak,Łukasz,Luke,2016-05-05,4,4B,N,,,N,\n"
	    "D801200005012,\"O\"\"Neill\",Siobhán,,2015-01-01,5,5B,E,ASD,,N,"
	    "88\n");
	const char *v2 = write_file("a2.csv",
	    "UPN,Surname,Forename,DOB,Year,Reg\n"
	    "A801200005010,Brown,Zoë,2016-04-03,5,5B\n"
	    "P801200005011,Nowak,Łukasz,2016-05-05,4,4B\n"
	    "D801200005012,O'Neill,Siobhán,2015-01-01,5,5B\n");

	int before = th_count(db, "SELECT count(*) FROM audit");

	cr_assert_eq(run(db, v1, false, false, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.added, 3);
	import_result_free(&r);
	/* 3 pupils, 3 open statuses, 3 needs: 9 rows, 9 audit rows. */
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit") - before, 9);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit a WHERE "
	    "a.op = 'insert' AND a.old IS NULL AND ("
	    "(a.tbl = 'pupil' AND EXISTS (SELECT 1 FROM pupil x WHERE "
	    " x.id = a.row_id AND a.pupil_id = x.id AND "
	    " json_extract(a.new, '$.upn') = x.upn AND "
	    " json_extract(a.new, '$.legal_surname') = x.legal_surname AND "
	    " json_extract(a.new, '$.legal_forename') = x.legal_forename AND "
	    " json_extract(a.new, '$.preferred_forename') IS "
	    "  x.preferred_forename AND "
	    " json_extract(a.new, '$.dob') = x.dob AND "
	    " json_extract(a.new, '$.year_group') = x.year_group AND "
	    " json_extract(a.new, '$.class') = x.class AND "
	    " json_extract(a.new, '$.flags') = x.flags AND "
	    " json_extract(a.new, '$.attendance') IS x.attendance AND "
	    " json_type(a.new, '$.version') IS NULL)) OR "
	    "(a.tbl = 'sen_status' AND EXISTS (SELECT 1 FROM sen_status x "
	    " WHERE x.id = a.row_id AND a.pupil_id = x.pupil_id AND "
	    " json_extract(a.new, '$.status') = x.status AND "
	    " json_extract(a.new, '$.start_date') = x.start_date)) OR "
	    "(a.tbl = 'pupil_need' AND EXISTS (SELECT 1 FROM pupil_need x "
	    " WHERE x.id = a.row_id AND a.pupil_id = x.pupil_id AND "
	    " json_extract(a.new, '$.code') = x.code AND "
	    " json_extract(a.new, '$.rank') = x.rank)))"), 9);
	/* Every row has who and when, and its own id. */
	cr_assert_eq(th_count(db, "SELECT count(DISTINCT id) FROM audit WHERE "
	    "pupil_id IS NOT NULL AND login <> '' AND author <> '' AND "
	    "at GLOB '2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'"), 9);
	/* Read back, an imported pupil is whole. */
	get(db, "A801200005010", &p);
	cr_assert_str_eq(p.legal_forename, "Zoë");
	cr_assert_eq(p.status, 'K');
	cr_assert_eq(p.status_since, date_from_ymd(2026, 3, 2));
	cr_assert_eq(p.n_needs, 2);
	cr_assert_str_eq(p.needs[0], "SPLD");
	cr_assert_str_eq(p.needs[1], "SLCN");
	cr_assert_eq(p.version, 1);
	cr_assert(p.attendance > 96.4 && p.attendance < 96.6);
	get(db, "D801200005012", &q);
	cr_assert_str_eq(q.legal_surname, "O\"Neill");
	cr_assert_neq(p.id, q.id);

	/* An update: one row per pupil changed, with only what changed. */
	cr_assert_eq(run(db, v2, false, false, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.changed, 2);
	cr_assert_eq(r.unchanged, 1);
	import_result_free(&r);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE op = "
	    "'update'"), 2);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE op = "
	    "'update' AND tbl = 'pupil' AND row_id = (SELECT id FROM pupil "
	    "WHERE upn = 'A801200005010') AND "
	    "json_extract(old, '$.year_group') = '4' AND "
	    "json_extract(new, '$.year_group') = '5' AND "
	    "json_extract(old, '$.class') = '4B' AND "
	    "json_extract(new, '$.class') = '5B' AND "
	    "json_type(old, '$.version') IS NULL AND "
	    "json_type(new, '$.version') IS NULL AND "
	    "json_type(old, '$.legal_surname') IS NULL AND "
	    "json_type(new, '$.upn') IS NULL"), 1);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit WHERE op = "
	    "'update' AND tbl = 'pupil' AND row_id = (SELECT id FROM pupil "
	    "WHERE upn = 'D801200005012') AND "
	    "json_extract(old, '$.legal_surname') = 'O\"Neill' AND "
	    "json_extract(new, '$.legal_surname') = 'O''Neill'"), 1);
	db_close(db);
}

/* A refused import writes no audit row either. */
Test(import, refused_import_leaves_no_audit)
{
	struct db *db = th_db();
	struct import_result r;
	struct serr e;
	const char *bad = write_file("bad.csv",
	    "UPN,Surname,Forename,DOB,Year\n"
	    "A801200005010,Brown,Zoë,2016-04-03,4\n"
	    "P801200005011,Nowak,,2016-05-05,4\n");

	int before = th_count(db, "SELECT count(*) FROM audit");

	cr_assert_neq(run(db, bad, false, false, NULL, &r, &e), 0);
	import_result_free(&r);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM audit"), before);
	cr_assert_eq(th_count(db, "SELECT count(*) FROM pupil"), 0);
	db_close(db);
}
