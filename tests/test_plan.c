/*
 * test_plan.c: the printable SEN support plan (io/plan.c) of a fixture
 * pupil in each format: every section is there, the data is escaped
 * (names with <, &, quotes), what a parent copy leaves out stays out,
 * plain text fits 80 columns by display width, and -o files are made
 * 0600 and never written over.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/codes.h"
#include "core/pupil.h"
#include "helpers.h"
#include "io/plan.h"
#include "io/table.h"

#define TODAY "2026-03-02"
#define TS "2026-01-01T09:00:00Z"

static void
fix_today(void)
{
	setenv("SENCO_TODAY", TODAY, 1);
}

TestSuite(plan, .init = fix_today, .fini = th_cleanup);

static void
sql(struct db *db, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	th_exec(db, s);
	sqlite3_free(s);
}

/* A word of 90 letters: wider than a line of text. */
#define LONG_WORD \
	"Pneumonoultramicroscopicsilicovolcanoconiosis" \
	"Pneumonoultramicroscopicsilicovolcanoconiosis"

/*
 * The fixture: Zoë "Zo" O'Brien <Smith> & Co (preferred names; legal
 * Zoë O'Brien), year 4, class 4B, SEN support with SLCN then ASD, flags
 * PP, FSM and CiC, attendance 87.5%. An open cycle 05/01 to 30/03 with
 * review on 27/03, both voices, stage notes for staff; two targets with
 * ratings; a current enrolment and an old one; an agency; an exclusion
 * and a note, which the plan leaves out.
 */
static int64_t
fixture(struct db *db, char upn[UPN_LEN + 1])
{
	struct pupil p;
	struct serr e;
	int64_t c = 9001, t1 = 9002, t2 = 9003, iv = 9004, old = 9005;

	pupil_init(&p);
	th_upn(42, p.upn);
	memcpy(upn, p.upn, UPN_LEN + 1);
	snprintf(p.legal_surname, sizeof p.legal_surname, "O'Brien");
	snprintf(p.legal_forename, sizeof p.legal_forename, "Zoë");
	snprintf(p.preferred_surname, sizeof p.preferred_surname,
	    "O'Brien <Smith> & Co");
	snprintf(p.preferred_forename, sizeof p.preferred_forename,
	    "Zoë \"Zo\"");
	p.dob = date_from_ymd(2016, 4, 3);
	snprintf(p.year, sizeof p.year, "4");
	snprintf(p.class_name, sizeof p.class_name, "4B");
	p.flags = FLAG_PP | FLAG_FSM | FLAG_CIC;
	p.attendance = 87.5;
	p.status = 'K';
	p.status_since = date_from_ymd(2025, 9, 1);
	snprintf(p.needs[0], sizeof p.needs[0], "SLCN");
	snprintf(p.needs[1], sizeof p.needs[1], "ASD");
	p.n_needs = 2;
	serr_clear(&e);
	cr_assert_eq(pupil_add(db, &p, &e), 0, "%s", e.msg);

	sql(db, "INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end,"
	    " review_date, assess_notes, parent_voice, pupil_voice, created_at,"
	    " updated_at) VALUES (%lld, %lld, 'do', '2026-01-05', '2026-03-30',"
	    " '2026-03-27', 'STAFF-ONLY-NOTE', %Q, %Q, '" TS "', '" TS "')",
	    (long long)c, (long long)p.id,
	    "Line one.\nLine two with *stars* and | pipes.",
	    "I like <b>reading</b> & maths \x1b[31mred");
	sql(db, "INSERT INTO target (id, cycle_id, position, text, criteria,"
	    " baseline, area, created_at, updated_at) VALUES (%lld, %lld, 1,"
	    " 'Read 50 common exception words', 'Reads 45 of 50 in two checks',"
	    " 'Reads 20', 'CL', '" TS "', '" TS "')", (long long)t1,
	    (long long)c);
	sql(db, "INSERT INTO rating (id, target_id, seq, value, rated_on,"
	    " author, comment, created_at, updated_at) VALUES"
	    " (9101, %lld, 1, 1, '2026-01-20', 'tester', 'A good start', '" TS
	    "', '" TS "'), (9102, %lld, 2, 2, '2026-02-10', 'tester', NULL, '"
	    TS "', '" TS "'), (9103, %lld, 3, 3, '2026-02-27', 'tester', NULL,"
	    " '" TS "', '" TS "')", (long long)t1, (long long)t1,
	    (long long)t1);
	sql(db, "INSERT INTO target (id, cycle_id, position, text, criteria,"
	    " area, outcome, outcome_on, created_at, updated_at) VALUES (%lld,"
	    " %lld, 2, %Q, 'Asks for help 3 times in a week', 'CI', 'partial',"
	    " '2026-02-28', '" TS "', '" TS "')", (long long)t2, (long long)c,
	    "Ask an adult for help with words she does not know, in class and "
	    "in small groups, using the help card on her desk: " LONG_WORD
	    " 李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李");
	sql(db, "INSERT INTO rating (id, target_id, seq, value, rated_on,"
	    " author, created_at, updated_at) VALUES (9104, %lld, 1, 4,"
	    " '2026-02-20', 'tester', '" TS "', '" TS "')", (long long)t2);

	sql(db, "INSERT INTO intervention (id, name, area, cost_basis,"
	    " cost_pence, created_at, updated_at) VALUES (%lld, 'Phonics"
	    " <catch-up>', 'CL', 'session', 1234, '" TS "', '" TS "'), (%lld,"
	    " 'Old club', 'CL', 'session', 500, '" TS "', '" TS "')",
	    (long long)iv, (long long)old);
	sql(db, "INSERT INTO enrolment (id, pupil_id, intervention_id, staff,"
	    " group_size, sessions_per_week, minutes, start_date, end_date,"
	    " ended, measure, measure_kind, entry_score, created_at,"
	    " updated_at) VALUES (9201, %lld, %lld, 'Mrs Okafor', 3, 3, 30,"
	    " '2026-01-05', '2026-03-27', 0, 'Phonics score', 'score', 20, '"
	    TS "', '" TS "'), (9202, %lld, %lld, 'Mr Old', 1, 1, 30,"
	    " '2025-01-06', '2025-03-28', 1, NULL, 'score', NULL, '" TS "', '"
	    TS "')", (long long)p.id, (long long)iv, (long long)p.id,
	    (long long)old);
	sql(db, "INSERT INTO agency_involvement (id, pupil_id, agency,"
	    " referred_on, status, advice_on, notes, created_at, updated_at)"
	    " VALUES (9301, %lld, 'SALT', '2025-10-01', 'advice received',"
	    " '2025-11-15', 'Use visual prompts & <symbols>', '" TS "', '" TS
	    "')", (long long)p.id);
	sql(db, "INSERT INTO exclusion (id, pupil_id, excluded_on, kind,"
	    " sessions, reason, created_at, updated_at) VALUES (9401, %lld,"
	    " '2026-01-12', 'suspension', 1, 'EXCLUSION-REASON', '" TS "', '"
	    TS "')", (long long)p.id);
	sql(db, "INSERT INTO note (id, pupil_id, noted_on, author, text,"
	    " created_at, updated_at) VALUES (9501, %lld, '2026-01-13',"
	    " 'tester', 'CONTACT-NOTE', '" TS "', '" TS "')", (long long)p.id);
	return p.id;
}

/* The plan as text, in a string the caller frees. */
static char *
render(struct db *db, int64_t id, enum plan_format f)
{
	struct plan_opts o = { "Oakfield & <Primary>", SDATE_NONE };
	struct serr e;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_not_null(fp);
	serr_clear(&e);
	cr_assert_eq(plan_write(db, id, f, &o, fp, &e), 0, "%s", e.msg);
	fclose(fp);
	return buf;
}

#define HAS(s, x) cr_assert_not_null(strstr((s), (x)), "missing: %s", (x))
#define HASNT(s, x) cr_assert_null(strstr((s), (x)), "should not have: %s", (x))

/* What no format may show. */
static void
left_out(const char *s, const char *upn)
{
	HASNT(s, upn);
	HASNT(s, "FSM");
	HASNT(s, "free school meals");
	HASNT(s, "Pupil premium");
	HASNT(s, "in care");
	HASNT(s, "87.5");
	HASNT(s, "STAFF-ONLY-NOTE");
	HASNT(s, "EXCLUSION-REASON");
	HASNT(s, "CONTACT-NOTE");
	HASNT(s, "Old club");
	HASNT(s, "12.34");
	HASNT(s, "\x1b");
}

Test(plan, html_has_every_section_escaped)
{
	struct db *db = th_db();
	char upn[UPN_LEN + 1];
	int64_t id = fixture(db, upn);
	char *s = render(db, id, PLAN_HTML);

	HAS(s, "<!DOCTYPE html>");
	HAS(s, "<meta charset=\"utf-8\">");
	/* Self-contained: no script, nothing fetched (and a policy that
	 * would forbid it). */
	HASNT(s, "<script");
	HASNT(s, "http:");
	HASNT(s, "https:");
	HASNT(s, " src=");
	HASNT(s, "<link");
	HAS(s, "default-src 'none'");
	/* The print stylesheet: A4, and a target never split. */
	HAS(s, "@page{size:A4;margin:");
	HAS(s, ".target{");
	HAS(s, "break-inside:avoid");
	HAS(s, "page-break-inside:avoid");

	/* The school and the pupil, escaped. */
	HAS(s, "Oakfield &amp; &lt;Primary&gt;");
	HAS(s, "<h1>SEN support plan: Zoë &quot;Zo&quot; O&#39;Brien "
	    "&lt;Smith&gt; &amp; Co</h1>");
	HASNT(s, "<Smith>");
	HASNT(s, "<Primary>");
	HAS(s, "<th scope=\"row\">Legal name</th><td class=\"text\">Zoë "
	    "O&#39;Brien</td>");
	HAS(s, "03/04/2016 (age 9)");
	HAS(s, "Year 4");
	HAS(s, ">4B<");
	HAS(s, "SEN support (since 01/09/2025)");
	/* Needs with their names. */
	HAS(s, ">Primary need<");
	HAS(s, "Speech, language and communication needs (SLCN)");
	HAS(s, ">Secondary need<");
	HAS(s, "Autistic spectrum disorder (ASD)");
	/* Voices, escaped, with the control character gone. */
	HAS(s, "What Zoë &quot;Zo&quot; said");
	HAS(s, "I like &lt;b&gt;reading&lt;/b&gt; &amp; maths ?[31mred");
	HASNT(s, "<b>reading");
	HAS(s, "What parents and carers said");
	HAS(s, "Line one.\nLine two with *stars* and | pipes.");
	/* Targets with criteria, ratings over time and outcomes. */
	HAS(s, "<h2>Targets</h2>");
	HAS(s, "Target 1: Read 50 common exception words");
	HAS(s, "Reads 45 of 50 in two checks");
	HAS(s, "Starting point:");
	HAS(s, "Reads 20");
	HAS(s, "<td>20/01/2026</td>");
	HAS(s, "1 emerging");
	HAS(s, "A good start");
	HAS(s, "<td>27/02/2026</td>");
	HAS(s, "3 secure");
	/* three boxes filled of four */
	HAS(s, "<i class=\"on\"></i><i class=\"on\"></i><i class=\"on\"></i>"
	    "<i></i>");
	HAS(s, "to be judged at the review");
	HAS(s, "partially achieved (28/02/2026)");
	/* Provision: who, how often, for how long. */
	HAS(s, "<h2>Support in place</h2>");
	HAS(s, "Phonics &lt;catch-up&gt;");
	HAS(s, "Mrs Okafor");
	HAS(s, "3 sessions a week of 30 minutes, in a group of 3");
	HAS(s, "05/01/2026 to 27/03/2026");
	HAS(s, "Phonics score: 20 at the start");
	/* Agency advice. */
	HAS(s, "<h2>Advice from outside agencies</h2>");
	HAS(s, "SALT");
	HAS(s, "referred 01/10/2025; advice received 15/11/2025");
	HAS(s, "Use visual prompts &amp; &lt;symbols&gt;");
	/* The review and the signatures. */
	HAS(s, "Next review");
	HAS(s, "27/03/2026");
	HAS(s, "<h2>Agreed by</h2>");
	HAS(s, "Parent or carer");
	HAS(s, "</html>\n");
	left_out(s, upn);
	free(s);
	db_close(db);
}

Test(plan, markdown_has_every_section_escaped)
{
	struct db *db = th_db();
	char upn[UPN_LEN + 1];
	int64_t id = fixture(db, upn);
	char *s = render(db, id, PLAN_MD);

	HAS(s, "# SEN support plan: Zoë \"Zo\" O'Brien \\<Smith> \\& Co\n");
	HAS(s, "**Oakfield \\& \\<Primary>**");
	HAS(s, "## About Zoë");
	HAS(s, "- **Legal name:** Zoë O'Brien\n");
	HAS(s, "- **Date of birth:** 03/04/2016 (age 9)\n");
	HAS(s, "## Needs");
	HAS(s, "- **Primary need:** Speech, language and communication needs "
	    "(SLCN); Communication and interaction\n");
	HAS(s, "## Views");
	/* markup in the data is escaped; line breaks are kept */
	HAS(s, "> I like \\<b>reading\\</b> \\& maths ?\\[31mred");
	HAS(s, "> Line one.\\\n> Line two with \\*stars\\* and \\| pipes.");
	HAS(s, "## Targets");
	HAS(s, "### Target 1: Read 50 common exception words\n");
	HAS(s, "- **How we will know (success criteria):** Reads 45 of 50 in "
	    "two checks\n");
	HAS(s, "| Date | Progress | Rating | Comment |\n|---|---|---|---|\n");
	HAS(s, "| 20/01/2026 | #... | 1 emerging | A good start |\n");
	HAS(s, "| 27/02/2026 | ###. | 3 secure |  |\n");
	HAS(s, "- **Outcome:** partially achieved (28/02/2026)\n");
	HAS(s, "## Support in place");
	HAS(s, "| Phonics \\<catch-up> | Mrs Okafor | 3 sessions a week of 30 "
	    "minutes, in a group of 3 | 05/01/2026 to 27/03/2026 | Phonics "
	    "score: 20 at the start |\n");
	HAS(s, "## Advice from outside agencies");
	HAS(s, "| SALT | referred 01/10/2025; advice received 15/11/2025 | Use "
	    "visual prompts \\& \\<symbols> |\n");
	HAS(s, "## Review");
	HAS(s, "- **Next review:** 27/03/2026\n");
	HAS(s, "## Agreed by");
	HASNT(s, " <Smith>");
	left_out(s, upn);
	free(s);
	db_close(db);
}

/* Each line of s fits `width` cells and has no trailing space or tab. */
static void
check_lines(const char *s, int width)
{
	const char *p = s;
	int n = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);

		n++;
		cr_assert_leq(text_width(line), width, "line %d is %d wide: %s",
		    n, text_width(line), line);
		cr_assert(len == 0 || line[len - 1] != ' ', "line %d ends in a "
		    "space: '%s'", n, line);
		cr_assert_null(strchr(line, '\t'), "line %d has a tab", n);
		free(line);
		p += len;
		if (*p == '\n')
			p++;
	}
	cr_assert_gt(n, 40);
}

Test(plan, text_fits_80_columns)
{
	struct db *db = th_db();
	char upn[UPN_LEN + 1];
	int64_t id = fixture(db, upn);
	char *s;

	/* Display width needs a UTF-8 locale (李 takes two cells). */
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	s = render(db, id, PLAN_TXT);
	check_lines(s, PLAN_TEXT_WIDTH);
	HAS(s, "Oakfield & <Primary>\n");
	HAS(s, "SEN support plan: Zoë \"Zo\" O'Brien <Smith> & Co\n");
	HAS(s, "About Zoë \"Zo\"\n---");
	HAS(s, "  Legal name:           Zoë O'Brien\n");
	HAS(s, "  Primary need:         Speech, language and communication "
	    "needs (SLCN);");
	HAS(s, "Needs\n-----\n");
	HAS(s, "Views\n-----\n");
	HAS(s, "I like <b>reading</b> & maths ?[31mred");
	HAS(s, "Targets\n-------\n");
	HAS(s, "  Target 1: Read 50 common exception words\n");
	HAS(s, "    Success criteria:   Reads 45 of 50 in two checks\n");
	HAS(s, "      20/01/2026  [#...]  1 emerging     A good start\n");
	HAS(s, "      27/02/2026  [###.]  3 secure\n");
	HAS(s, "    Outcome:            partially achieved (28/02/2026)\n");
	/* The long target wraps under itself; the long word is cut. */
	HAS(s, "  Target 2: Ask an adult for help");
	HAS(s, "Pneumonoultramicroscopicsilicovolcanoconiosis");
	HAS(s, "李李李");
	HAS(s, "Support in place\n----------------\n");
	HAS(s, "  Phonics <catch-up>\n    Who:                Mrs Okafor\n");
	HAS(s, "    How often:          3 sessions a week of 30 minutes, in a "
	    "group of 3\n");
	HAS(s, "Advice from outside agencies\n");
	HAS(s, "    Advice:             Use visual prompts & <symbols>\n");
	HAS(s, "  Next review:          27/03/2026\n");
	HAS(s, "Agreed by\n");
	left_out(s, upn);
	free(s);
	db_close(db);
}

Test(plan, text_width_counts_wide_characters)
{
	struct db *db = th_db();
	char upn[UPN_LEN + 1];
	int64_t id = fixture(db, upn);
	char *s, *line, *end;

	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	s = render(db, id, PLAN_TXT);
	/* The line of 李 wraps by cells: it holds at most 38 of them (76
	 * cells after the indent of 4), not 76 (bytes / 3 would allow 26,
	 * characters 76). */
	line = strstr(s, "李李李");
	cr_assert_not_null(line);
	while (line > s && line[-1] != '\n')
		line--;
	end = strchr(line, '\n');
	*end = '\0';
	cr_assert_leq(text_width(line), 80, "%s", line);
	cr_assert_geq(text_width(line), 70, "%s", line);
	free(s);
	db_close(db);
}

Test(plan, pupil_without_a_cycle)
{
	struct db *db = th_db();
	int64_t id = th_pupil(db, 7, "Nowak", "Łukasz", 'N', NULL, "R");
	char *s = render(db, id, PLAN_HTML);

	HAS(s, "SEN support plan: Łukasz Nowak");
	HAS(s, "Reception");
	HAS(s, "No type of need recorded.");
	HAS(s, "No targets set yet.");
	HAS(s, "No additional provision recorded.");
	HAS(s, "No outside agency involved.");
	HAS(s, "to be arranged");
	HASNT(s, "Plan period");
	free(s);
	s = render(db, id, PLAN_TXT);
	HAS(s, "No targets set yet.");
	HAS(s, "  Next review:          to be arranged\n");
	free(s);
	db_close(db);
}

Test(plan, review_record_of_a_closed_cycle)
{
	struct db *db = th_db();
	int64_t id = th_pupil(db, 8, "Brown", "Siobhán", 'K', "SPLD", "6");
	char *s;

	sql(db, "INSERT INTO cycle (id, pupil_id, stage, plan_start, plan_end,"
	    " review_date, decision, closed_on, created_at, updated_at) VALUES"
	    " (8001, %lld, 'review', '2025-09-08', '2025-12-08', '2025-12-08',"
	    " 'continue', '2025-12-10', '" TS "', '" TS "')", (long long)id);
	s = render(db, id, PLAN_MD);
	HAS(s, "# SEN support review record: Siobhán Brown");
	HAS(s, "plan period 08/09/2025 to 08/12/2025");
	HAS(s, "- **Review:** reviewed on 10/12/2025; decision: continue\n");
	HAS(s, "*Not recorded yet.*");
	free(s);
	db_close(db);
}

Test(plan, unknown_pupil)
{
	struct db *db = th_db();
	struct serr e;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	serr_clear(&e);
	cr_assert_eq(plan_write(db, 12345, PLAN_HTML, NULL, fp, &e),
	    SE_NOTFOUND);
	fclose(fp);
	/* nothing half-written */
	cr_assert_eq(len, 0);
	free(buf);
	db_close(db);
}

Test(plan, save_makes_a_private_new_file)
{
	struct db *db = th_db();
	char upn[UPN_LEN + 1];
	int64_t id = fixture(db, upn);
	const char *path = th_path("plan.html");
	struct stat st;
	struct serr e;
	FILE *fp;
	char first[32] = "";

	serr_clear(&e);
	umask(022);
	cr_assert_eq(plan_save(db, id, PLAN_HTML, NULL, path, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	fp = fopen(path, "r");
	cr_assert_not_null(fp);
	cr_assert_not_null(fgets(first, sizeof first, fp));
	fclose(fp);
	cr_assert_str_eq(first, "<!DOCTYPE html>\n");

	/* Never over an existing file: refused, the file as it was. */
	cr_assert_eq(plan_save(db, id, PLAN_TXT, NULL, path, &e), SE_EXISTS);
	cr_assert(strstr(e.msg, "already exists") != NULL, "%s", e.msg);
	fp = fopen(path, "r");
	cr_assert_not_null(fgets(first, sizeof first, fp));
	fclose(fp);
	cr_assert_str_eq(first, "<!DOCTYPE html>\n");
	db_close(db);
}

Test(plan, save_refuses_a_symlink_and_cleans_up)
{
	struct db *db = th_db();
	const char *dir = th_tmpdir();
	char link[300], target[300], missing[300];
	struct serr e;

	snprintf(target, sizeof target, "%s/elsewhere", dir);
	snprintf(link, sizeof link, "%s/plan.html", dir);
	cr_assert_eq(symlink(target, link), 0);
	serr_clear(&e);
	cr_assert_neq(plan_save(db, 1, PLAN_HTML, NULL, link, &e), 0);
	cr_assert_eq(access(target, F_OK), -1, "followed the link");
	/* An unknown pupil: the new file is removed again. */
	snprintf(missing, sizeof missing, "%s/nobody.html", dir);
	cr_assert_eq(plan_save(db, 999, PLAN_HTML, NULL, missing, &e),
	    SE_NOTFOUND);
	cr_assert_eq(access(missing, F_OK), -1, "left a file behind");
	db_close(db);
}

Test(plan, formats)
{
	enum plan_format f;
	struct serr e;

	serr_clear(&e);
	cr_assert_eq(plan_format_parse("html", &f, &e), 0);
	cr_assert_eq(f, PLAN_HTML);
	cr_assert_eq(plan_format_parse("MD", &f, &e), 0);
	cr_assert_eq(f, PLAN_MD);
	cr_assert_eq(plan_format_parse("text", &f, &e), 0);
	cr_assert_eq(f, PLAN_TXT);
	cr_assert_eq(plan_format_parse("pdf", &f, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "'pdf'") != NULL, "%s", e.msg);
	cr_assert_eq(plan_format_for_path("zoe.HTM"), PLAN_HTML);
	cr_assert_eq(plan_format_for_path("dir.md/zoe"), -1);
	cr_assert_eq(plan_format_for_path("zoe.md"), PLAN_MD);
	cr_assert_eq(plan_format_for_path("zoe.txt"), PLAN_TXT);
	cr_assert_eq(plan_format_for_path("zoe.pdf"), -1);
	cr_assert_eq(plan_format_for_path("zoe"), -1);
}
