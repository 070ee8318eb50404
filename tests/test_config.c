/*
 * test_config.c: finding senco.conf, every setting, and every refusal.
 *
 * Each test runs in its own process (Criterion forks), with HOME pointed
 * at a fresh temp dir and the other lookup variables unset, so the real
 * home directory is never read.
 */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "helpers.h"

#define MAX_WARNS 16

struct warns {
	int n;
	char msg[MAX_WARNS][SERR_MSG_MAX + 64];
};

static const char *home;

static void
isolate(void)
{
	home = th_tmpdir();
	cr_assert_eq(setenv("HOME", home, 1), 0);
	unsetenv("SENCO_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
}

TestSuite(config, .init = isolate, .fini = th_cleanup);

static void
collect(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	if (w->n < MAX_WARNS)
		snprintf(w->msg[w->n], sizeof w->msg[0], "%s", msg);
	w->n++;
}

/* mkdir -p for the directories of path. */
static void
make_parents(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) != 0)
				cr_assert(access(buf, F_OK) == 0, "mkdir %s",
				    buf);
			*p = '/';
		}
}

/* Write text to dir/rel (making directories); returns the path, valid
 * until the next few calls. */
static const char *
write_at(const char *dir, const char *rel, const char *text)
{
	static char paths[8][512];
	static int n;
	char *p = paths[n++ % 8];
	FILE *f;

	snprintf(p, 512, "%s/%s", dir, rel);
	make_parents(p);
	f = fopen(p, "w");
	cr_assert_not_null(f, "cannot write %s", p);
	fputs(text, f);
	fclose(f);
	return p;
}

/* A config file holding only `school = { name = "NAME"; };`, so a test
 * can tell which file was read. */
static const char *
write_named(const char *dir, const char *rel, const char *name)
{
	char text[256];

	snprintf(text, sizeof text, "school = { name = \"%s\"; };\n", name);
	return write_at(dir, rel, text);
}

static const char *last_path;

/* Load text as an explicitly named file in a fresh dir. */
static int
load_text(const char *text, struct config *c, struct warns *w,
    struct serr *e)
{
	last_path = write_at(th_tmpdir(), "senco.conf", text);
	memset(w, 0, sizeof *w);
	serr_clear(e);
	return config_load(c, last_path, collect, w, e);
}

/* Text must load without warnings. */
static void
load_ok(const char *text, struct config *c)
{
	struct warns w;
	struct serr e;
	int rc = load_text(text, c, &w, &e);

	cr_assert_eq(rc, 0, "load failed: %s", e.msg);
	cr_assert_eq(w.n, 0, "unexpected warning: %s", w.msg[0]);
}

/* Text must be refused with SE_CONFIG at `line`, naming `needle`; the
 * config is left at its defaults. */
static void
refused(const char *text, int line, const char *needle)
{
	struct config c;
	struct warns w;
	struct serr e;
	char head[600];
	int rc = load_text(text, &c, &w, &e);

	cr_expect_eq(rc, SE_CONFIG, "accepted: %s", text);
	cr_expect_eq(e.code, SE_CONFIG, "code for: %s", text);
	snprintf(head, sizeof head, "%s:%d: ", last_path, line);
	cr_expect(strncmp(e.msg, head, strlen(head)) == 0,
	    "message '%s' does not start with '%s'", e.msg, head);
	cr_expect(strstr(e.msg, needle) != NULL,
	    "message '%s' does not name '%s'", e.msg, needle);
	cr_expect_null(c.file);
	cr_expect_null(c.school_name);
	cr_expect_eq(c.n_staff, 0);
	cr_expect_eq(c.n_interventions, 0);
	cr_expect_eq(c.review_weeks, CONFIG_DEFAULT_REVIEW_WEEKS);
	config_free(&c);
}

/* --- defaults and lookup ---------------------------------------------- */

Test(config, defaults)
{
	struct config c;

	config_defaults(&c);
	cr_expect_null(c.file);
	cr_expect_null(c.database);
	cr_expect_null(c.school_name);
	cr_expect_eq(c.la_number, 0);
	cr_expect_eq(c.estab_number, 0);
	cr_expect_eq(c.review_weeks, 12);
	cr_expect_eq(c.date_style, DATE_STYLE_UK);
	cr_expect_eq(c.topup_pence, 600000);
	cr_expect_eq(c.n_staff, 0);
	cr_expect_eq(c.n_interventions, 0);
	cr_expect_eq(c.n_keys, 0);
	cr_expect_eq(c.n_colours, 0);
	cr_assert_eq(c.n_agencies, 9);
	cr_expect_str_eq(c.agencies[0], "EP");
	cr_expect_str_eq(c.agencies[1], "SALT");
	cr_expect_str_eq(c.agencies[3], "CAMHS");
	cr_expect_str_eq(c.agencies[7], "Virtual School");
	cr_expect_str_eq(c.agencies[8], "Youth offending team");
	config_free(&c);
	cr_expect_null(c.agencies);
	config_free(&c);	/* harmless twice */
}

Test(config, no_file_anywhere_gives_defaults)
{
	struct config c;
	struct serr e;
	const char *sys = SYSCONFDIR "/senco/senco.conf";

	serr_clear(&e);
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	if (access(sys, F_OK) == 0)
		cr_expect_str_eq(c.file, sys);	/* the last step */
	else
		cr_expect_null(c.file);
	cr_expect_eq(c.review_weeks, 12);
	cr_expect_eq(c.n_agencies, 9);
	config_free(&c);
}

Test(config, lookup_order)
{
	struct config c;
	struct serr e;
	const char *xdg = th_tmpdir(), *env, *expl, *hf, *xf;

	expl = write_named(th_tmpdir(), "explicit.conf", "Explicit");
	env = write_named(th_tmpdir(), "env.conf", "FromEnv");
	xf = write_named(xdg, "senco/senco.conf", "FromXDG");
	hf = write_named(home, ".config/senco/senco.conf", "FromHome");
	setenv("SENCO_CONFIG", env, 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);

	cr_assert_eq(config_load(&c, expl, NULL, NULL, &e), 0, "%s", e.msg);
	cr_expect_str_eq(c.school_name, "Explicit");
	cr_expect_str_eq(c.file, expl);
	config_free(&c);

	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	cr_expect_str_eq(c.school_name, "FromEnv");
	cr_expect_str_eq(c.file, env);
	config_free(&c);

	unsetenv("SENCO_CONFIG");
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	cr_expect_str_eq(c.school_name, "FromXDG");
	cr_expect_str_eq(c.file, xf);
	config_free(&c);

	cr_assert_eq(unlink(xf), 0);
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	cr_expect_str_eq(c.school_name, "FromHome");
	cr_expect_str_eq(c.file, hf);
	config_free(&c);

	unsetenv("XDG_CONFIG_HOME");
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	cr_expect_str_eq(c.school_name, "FromHome");
	config_free(&c);

	cr_assert_eq(unlink(hf), 0);
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	if (access(SYSCONFDIR "/senco/senco.conf", F_OK) != 0)
		cr_expect_null(c.file);
	cr_expect_null(c.school_name);
	config_free(&c);
}

Test(config, empty_senco_config_and_relative_xdg_are_ignored)
{
	struct config c;
	struct serr e;

	write_named(home, ".config/senco/senco.conf", "FromHome");
	/* XDG says a relative path is to be ignored. */
	cr_assert_eq(chdir(th_tmpdir()), 0);
	write_named(".", "rel/senco/senco.conf", "Relative");
	setenv("XDG_CONFIG_HOME", "rel", 1);
	setenv("SENCO_CONFIG", "", 1);
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), 0, "%s", e.msg);
	cr_expect_str_eq(c.school_name, "FromHome");
	config_free(&c);
}

Test(config, explicit_missing_file_refused)
{
	struct config c;
	struct serr e;
	char path[512], want[600];

	write_named(home, ".config/senco/senco.conf", "FromHome");
	snprintf(path, sizeof path, "%s/nope.conf", th_tmpdir());
	serr_clear(&e);
	cr_assert_eq(config_load(&c, path, NULL, NULL, &e), SE_CONFIG);
	snprintf(want, sizeof want, "%s: no such file", path);
	cr_expect_str_eq(e.msg, want);
	cr_expect_null(c.file);
	cr_expect_null(c.school_name, "fell back to another file");
	config_free(&c);

	cr_expect_eq(config_load(&c, "", NULL, NULL, &e), SE_CONFIG);
	config_free(&c);
	cr_expect_eq(config_load(&c, th_tmpdir(), NULL, NULL, &e), SE_CONFIG);
	cr_expect(strstr(e.msg, "is a directory") != NULL, "%s", e.msg);
	config_free(&c);
}

Test(config, senco_config_missing_file_refused)
{
	struct config c;
	struct serr e;
	char path[512], want[600];

	write_named(home, ".config/senco/senco.conf", "FromHome");
	snprintf(path, sizeof path, "%s/missing/senco.conf", th_tmpdir());
	setenv("SENCO_CONFIG", path, 1);
	serr_clear(&e);
	cr_assert_eq(config_load(&c, NULL, NULL, NULL, &e), SE_CONFIG);
	snprintf(want, sizeof want, "%s: no such file", path);
	cr_expect(strncmp(e.msg, want, strlen(want)) == 0, "%s", e.msg);
	cr_expect(strstr(e.msg, "SENCO_CONFIG") != NULL, "%s", e.msg);
	cr_expect_null(c.school_name);
	config_free(&c);
}

Test(config, unreadable_file_refused)
{
	struct config c;
	struct serr e;
	const char *p = write_named(th_tmpdir(), "senco.conf", "Hidden");

	if (geteuid() == 0)
		cr_skip_test("root reads any file");
	cr_assert_eq(chmod(p, 0), 0);
	cr_expect_eq(config_load(&c, p, NULL, NULL, &e), SE_CONFIG);
	cr_expect(strstr(e.msg, p) != NULL, "%s", e.msg);
	config_free(&c);
}

/* --- syntax and unknown settings -------------------------------------- */

Test(config, syntax_error_gives_file_and_line)
{
	struct config c;
	struct warns w;
	struct serr e;
	char want[600];

	cr_assert_eq(load_text("# a comment\nreview_interval_weeks = 10;\n"
	    "school = { name = = \"Oak\"; };\ndate_format = \"YYYY-MM-DD\";\n",
	    &c, &w, &e), SE_CONFIG);
	snprintf(want, sizeof want, "%s:3: ", last_path);
	cr_expect(strncmp(e.msg, want, strlen(want)) == 0, "%s", e.msg);
	cr_expect(strlen(e.msg) > strlen(want), "no reason: %s", e.msg);
	cr_expect_eq(c.review_weeks, 12, "half-read file used");
	config_free(&c);

	cr_assert_eq(load_text("a = 1;\na = 2;\n", &c, &w, &e), SE_CONFIG);
	snprintf(want, sizeof want, "%s:2: ", last_path);
	cr_expect(strncmp(e.msg, want, strlen(want)) == 0, "%s", e.msg);
	config_free(&c);
}

Test(config, unknown_settings_warn_with_line)
{
	struct config c;
	struct warns w;
	struct serr e;
	char want[600];
	int rc;

	rc = load_text(
	    "review_interval_weeks = 10;\n"
	    "reveiw_weeks = 8;\n"
	    "school = {\n"
	    "  name = \"Oak Primary\";\n"
	    "  head = \"Ms Ng\";\n"
	    "};\n"
	    "staff = ( { user = \"ab\"; name = \"A B\"; email = \"x\"; } );\n"
	    "interventions = ( { name = \"Lego therapy\"; area = \"SEMH\";\n"
	    "  cost_per_session = 5; room = \"4\"; } );\n", &c, &w, &e);
	cr_assert_eq(rc, 0, "%s", e.msg);
	cr_assert_eq(w.n, 4);
	snprintf(want, sizeof want, "%s:2: unknown setting 'reveiw_weeks' "
	    "(ignored)", last_path);
	cr_expect_str_eq(w.msg[0], want);
	snprintf(want, sizeof want, "%s:5: unknown setting 'school.head' "
	    "(ignored)", last_path);
	cr_expect_str_eq(w.msg[1], want);
	snprintf(want, sizeof want, "%s:7: unknown setting 'email' in a "
	    "staff entry (ignored)", last_path);
	cr_expect_str_eq(w.msg[2], want);
	snprintf(want, sizeof want, "%s:9: unknown setting 'room' in "
	    "intervention 'Lego therapy' (ignored)", last_path);
	cr_expect_str_eq(w.msg[3], want);
	/* The rest is still read. */
	cr_expect_eq(c.review_weeks, 10);
	cr_expect_str_eq(c.school_name, "Oak Primary");
	cr_expect_eq(c.n_staff, 1);
	cr_expect_eq(c.n_interventions, 1);
	config_free(&c);

	/* No callback: still loads. */
	serr_clear(&e);
	cr_expect_eq(config_load(&c, last_path, NULL, NULL, &e), 0, "%s",
	    e.msg);
	config_free(&c);
}

/* --- each setting ----------------------------------------------------- */

Test(config, school)
{
	struct config c;

	load_ok("school = { name = \"Ysgol Zoë Siobhán\"; la = 801;\n"
	    "  estab = 2000; roll = 420; };\n", &c);
	cr_expect_str_eq(c.school_name, "Ysgol Zoë Siobhán");
	cr_expect_eq(c.la_number, 801);
	cr_expect_eq(c.estab_number, 2000);
	cr_expect_eq(c.roll, 420);
	config_free(&c);
}

Test(config, school_refusals)
{
	refused("school = \"Oak\";\n", 1, "'school' must be a group");
	refused("school = { name = 5; };\n", 1, "'school.name'");
	refused("school = { name = \"\"; };\n", 1, "'school.name'");
	refused("school = {\n la = 80; };\n", 2, "'school.la'");
	refused("school = { la = 1000; };\n", 1, "'school.la'");
	refused("school = { la = \"801\"; };\n", 1, "'school.la'");
	refused("school = { estab = 999; };\n", 1, "'school.estab'");
	refused("school = { estab = 10000; };\n", 1, "'school.estab'");
	refused("school = { estab = 2000.0; };\n", 1, "'school.estab'");
	refused("school = { roll = -1; };\n", 1, "'school.roll'");
	refused("school = { roll = 100000; };\n", 1, "'school.roll'");
	/* Text that would break the UI's columns. */
	refused("school = { name = \"Oak\xe9\"; };\n", 1, "not valid UTF-8");
	refused("school = { name = \"Oak\\nPrimary\"; };\n", 1,
	    "control character");
}

Test(config, review_interval_weeks)
{
	struct config c;
	const char *why = "'review_interval_weeks' must be a whole number "
	    "of weeks from 1 to 52";

	load_ok("review_interval_weeks = 1;", &c);
	cr_expect_eq(c.review_weeks, 1);
	config_free(&c);
	load_ok("review_interval_weeks = 52;", &c);
	cr_expect_eq(c.review_weeks, 52);
	config_free(&c);
	refused("review_interval_weeks = 0;\n", 1, why);
	refused("\nreview_interval_weeks = 53;\n", 2, why);
	refused("review_interval_weeks = 12.5;\n", 1, why);
	refused("review_interval_weeks = \"12\";\n", 1, why);
	refused("review_interval_weeks = true;\n", 1, why);
}

Test(config, date_format)
{
	struct config c;

	load_ok("date_format = \"YYYY-MM-DD\";", &c);
	cr_expect_eq(c.date_style, DATE_STYLE_ISO);
	config_free(&c);
	load_ok("date_format = \"DD/MM/YYYY\";", &c);
	cr_expect_eq(c.date_style, DATE_STYLE_UK);
	config_free(&c);
	refused("date_format = \"MM/DD/YYYY\";\n", 1, "'date_format'");
	refused("date_format = 1;\n", 1, "'date_format'");
}

Test(config, topup_threshold)
{
	struct config c;

	load_ok("topup_threshold = 7000;", &c);
	cr_expect_eq(c.topup_pence, 700000);
	config_free(&c);
	load_ok("topup_threshold = 6000.5;", &c);
	cr_expect_eq(c.topup_pence, 600050);
	config_free(&c);
	load_ok("topup_threshold = 6000L;", &c);
	cr_expect_eq(c.topup_pence, 600000);
	config_free(&c);
	refused("topup_threshold = -1;\n", 1, "'topup_threshold'");
	refused("topup_threshold = 0;\n", 1, "'topup_threshold'");
	refused("topup_threshold = \"£6000\";\n", 1, "'topup_threshold'");
	refused("topup_threshold = 2000000;\n", 1, "'topup_threshold'");
}

Test(config, staff_and_name_lookup)
{
	struct config c;

	load_ok("staff = (\n"
	    "  { user = \"jsmith\"; name = \"Mrs J. Smith\"; },\n"
	    "  \"Mr K. Osei\",\n"
	    "  { name = \"Ms Nguyễn Thị Lan\"; },\n"
	    "  { user = \"lkowalski\"; name = \"Mr Łukasz Kowalski\"; }\n"
	    ");\n", &c);
	cr_assert_eq(c.n_staff, 4);
	cr_expect_str_eq(c.staff[0].user, "jsmith");
	cr_expect_str_eq(c.staff[0].name, "Mrs J. Smith");
	cr_expect_null(c.staff[1].user);
	cr_expect_str_eq(c.staff[1].name, "Mr K. Osei");
	cr_expect_null(c.staff[2].user);
	cr_expect_str_eq(config_staff_name(&c, "jsmith"), "Mrs J. Smith");
	cr_expect_str_eq(config_staff_name(&c, "lkowalski"),
	    "Mr Łukasz Kowalski");
	cr_expect_str_eq(config_staff_name(&c, "nobody"), "nobody");
	cr_expect_str_eq(config_staff_name(&c, "Mr K. Osei"), "Mr K. Osei");
	cr_expect_null(config_staff_name(&c, NULL));
	config_free(&c);

	/* An array of plain names is fine too. */
	load_ok("staff = [ \"Mrs A. Okafor\", \"Mr 李 Wei\" ];", &c);
	cr_expect_eq(c.n_staff, 2);
	cr_expect_str_eq(config_staff_name(&c, "aokafor"), "aokafor");
	config_free(&c);
}

Test(config, staff_refusals)
{
	refused("staff = \"Mrs J. Smith\";\n", 1, "'staff' must be a list");
	refused("staff = ( 5 );\n", 1, "'staff' entry");
	refused("staff = ( \"\" );\n", 1, "'staff' entry");
	refused("staff = (\n { user = \"jsmith\"; } );\n", 2, "no 'name'");
	refused("staff = ( { name = 7; } );\n", 1, "'name'");
	refused("staff = ( { name = \"A\"; user = 7; } );\n", 1, "'user'");
	refused("staff = ( { name = \"A\"; user = \"j smith\"; } );\n", 1,
	    "'user'");
	refused("staff = ( { user = \"js\"; name = \"A\"; },\n"
	    "  { user = \"js\"; name = \"B\"; } );\n", 2,
	    "'js' is listed twice");
}

Test(config, interventions)
{
	struct config c;
	const struct intervention *iv;

	load_ok("interventions = (\n"
	    "  { name = \"Precision teaching\"; area = \"CL\";\n"
	    "    cost_per_session = 12.50;\n"
	    "    description = \"Short daily drills \" \"on one skill.\";\n"
	    "    evidence = \"https://example.org/pt\"; },\n"
	    "  { name = \"Talk Boost\";\n"
	    "    area = \"Communication and interaction\";\n"
	    "    cost_per_hour = 18; },\n"
	    "  { name = \"Zones of Regulation\"; cost_per_hour = 0.0; }\n"
	    ");\n", &c);
	cr_assert_eq(c.n_interventions, 3);
	iv = &c.interventions[0];
	cr_expect_str_eq(iv->name, "Precision teaching");
	cr_expect_eq(iv->area, AREA_CL);
	cr_expect_eq(iv->basis, COST_PER_SESSION);
	cr_expect_eq(iv->cost_pence, 1250);
	cr_expect_str_eq(iv->description, "Short daily drills on one skill.");
	cr_expect_str_eq(iv->evidence, "https://example.org/pt");
	iv = &c.interventions[1];
	cr_expect_eq(iv->area, AREA_CI);
	cr_expect_eq(iv->basis, COST_PER_HOUR);
	cr_expect_eq(iv->cost_pence, 1800);
	cr_expect_null(iv->description);
	cr_expect_null(iv->evidence);
	iv = &c.interventions[2];
	cr_expect_eq(iv->area, AREA_NONE);
	cr_expect_eq(iv->basis, COST_PER_HOUR);
	cr_expect_eq(iv->cost_pence, 0);
	config_free(&c);
}

Test(config, intervention_refusals)
{
	char longname[200], text[300];

	refused("interventions = { name = \"X\"; };\n", 1,
	    "'interventions' must be a list");
	refused("interventions = ( \"Precision teaching\" );\n", 1,
	    "'interventions' entry");
	refused("interventions = (\n"
	    " { area = \"CL\"; cost_per_hour = 1; } );\n", 2, "has no 'name'");
	refused("interventions = ( { name = \"PT\";\n area = \"XY\";\n"
	    " cost_per_session = 1; } );\n", 2,
	    "'XY' is not CI, CL, SEMH or SP");
	refused("interventions = ( { name = \"PT\"; area = 3;\n"
	    " cost_per_session = 1; } );\n", 1, "'area'");
	refused("interventions = (\n { name = \"PT\"; area = \"CL\"; } );\n", 2,
	    "intervention 'PT' has no cost");
	refused("interventions = ( { name = \"PT\"; cost_per_session = 1;\n"
	    "   cost_per_hour = 2; } );\n", 2, "not both");
	refused("interventions = ( { name = \"PT\"; cost_per_hour = -3; } );\n",
	    1, "'cost_per_hour' must be an amount");
	refused("interventions = ( { name = \"PT\";\n"
	    " cost_per_session = \"12.50\"; } );\n", 2,
	    "'cost_per_session' must be an amount");
	refused("interventions = ( { name = \"PT\"; cost_per_hour = 1; },\n"
	    "  { name = \"pt\"; cost_per_hour = 2; } );\n", 2, "listed twice");
	memset(longname, 'x', 120);
	longname[120] = '\0';
	snprintf(text, sizeof text, "interventions = ( { name = \"%s\"; "
	    "cost_per_hour = 1; } );\n", longname);
	refused(text, 1, "too long");
}

Test(config, agencies)
{
	struct config c;

	load_ok("agencies = [ \"EP\", \"Play therapy\",\n"
	    "  \"Łódź outreach\" ];", &c);
	cr_assert_eq(c.n_agencies, 3);
	cr_expect_str_eq(c.agencies[0], "EP");
	cr_expect_str_eq(c.agencies[1], "Play therapy");
	cr_expect_str_eq(c.agencies[2], "Łódź outreach");
	config_free(&c);
	load_ok("agencies = ( \"SALT\" );", &c);
	cr_expect_eq(c.n_agencies, 1);
	config_free(&c);

	refused("agencies = [];\n", 1, "'agencies'");
	refused("agencies = \"EP\";\n", 1, "'agencies'");
	refused("agencies = [ 1, 2 ];\n", 1, "'agencies'");
	refused("agencies = ( \"EP\",\n \"ep\" );\n", 2, "listed twice");
}

Test(config, keys_and_colours_kept_as_written)
{
	struct config c;

	load_ok("keys = {\n"
	    "  down = \"j,Down\";\n"
	    "  quit = [ \"q\", \"C-c\" ];\n"
	    "  made-up-action = \"F1\";\n"
	    "  rate-0 = 0;\n"
	    "};\n"
	    "colours = {\n"
	    "  title = \"white,blue\";\n"
	    "  overdue = ( \"red\", \"default\" );\n"
	    "  enabled = false;\n"
	    "};\n", &c);
	cr_assert_eq(c.n_keys, 4);
	cr_expect_str_eq(c.keys[0].name, "down");
	cr_expect_str_eq(c.keys[0].value, "j,Down");
	cr_expect_eq(c.keys[0].line, 2);
	cr_expect_str_eq(c.keys[1].name, "quit");
	cr_expect_str_eq(c.keys[1].value, "q,C-c");
	cr_expect_eq(c.keys[1].line, 3);
	/* Unknown names are the UI's to report, with this line. */
	cr_expect_str_eq(c.keys[2].name, "made-up-action");
	cr_expect_eq(c.keys[2].line, 4);
	cr_expect_str_eq(c.keys[3].name, "rate-0");
	cr_expect_str_eq(c.keys[3].value, "0");
	cr_assert_eq(c.n_colours, 3);
	cr_expect_str_eq(c.colours[0].name, "title");
	cr_expect_str_eq(c.colours[0].value, "white,blue");
	cr_expect_eq(c.colours[0].line, 8);
	cr_expect_str_eq(c.colours[1].value, "red,default");
	cr_expect_eq(c.colours[1].line, 9);
	cr_expect_str_eq(c.colours[2].value, "false");
	config_free(&c);

	refused("keys = \"j\";\n", 1, "'keys' must be a group");
	refused("keys = {\n quit = 1.5; };\n", 2, "'keys.quit'");
	refused("keys = { quit = ( \"q\", { k = 1; } ); };\n", 1,
	    "'keys.quit'");
	refused("keys = { quit = \"q\\tx\"; };\n", 1, "control character");
	refused("colours = { title = { fg = \"red\"; }; };\n", 1,
	    "'colours.title'");
	refused("colours = [ \"red\" ];\n", 1, "'colours' must be a group");
}

/* --- the database path ------------------------------------------------ */

Test(config, database_path)
{
	struct config c;
	char want[600], *p;
	const char *dir;

	load_ok("database = \"~/senco/caseload.db\";", &c);
	snprintf(want, sizeof want, "%s/senco/caseload.db", home);
	cr_expect_str_eq(c.database, want);
	p = config_database_path(&c);
	cr_expect_str_eq(p, want);
	free(p);
	config_free(&c);

	/* Relative: beside the config file, wherever senco runs. */
	load_ok("database = \"data/caseload.db\";", &c);
	dir = strrchr(last_path, '/');
	snprintf(want, sizeof want, "%.*s/data/caseload.db",
	    (int)(dir - last_path), last_path);
	cr_expect_str_eq(c.database, want);
	config_free(&c);

	load_ok("database = \"/srv/senco/caseload.db\";", &c);
	cr_expect_str_eq(c.database, "/srv/senco/caseload.db");
	config_free(&c);

	refused("database = \"~bob/caseload.db\";\n", 1, "'database'");
	refused("database = \"\";\n", 1, "'database'");
	refused("database = 1;\n", 1, "'database'");
}

Test(config, database_default_path)
{
	struct config c;
	char want[600], *p;
	const char *xdg = th_tmpdir();

	config_defaults(&c);
	snprintf(want, sizeof want, "%s/.local/share/senco/caseload.db", home);
	p = config_database_path(&c);
	cr_expect_str_eq(p, want);
	free(p);

	setenv("XDG_DATA_HOME", xdg, 1);
	snprintf(want, sizeof want, "%s/senco/caseload.db", xdg);
	p = config_database_path(&c);
	cr_expect_str_eq(p, want);
	free(p);

	setenv("XDG_DATA_HOME", "relative/data", 1);
	snprintf(want, sizeof want, "%s/.local/share/senco/caseload.db", home);
	p = config_database_path(&c);
	cr_expect_str_eq(p, want);
	free(p);
	config_free(&c);
}

Test(config, include_is_read_beside_the_file)
{
	struct config c;
	const char *dir = th_tmpdir();
	const char *main_conf;
	struct serr e;

	write_at(dir, "staff.conf", "staff = ( \"Mr K. Osei\" );\n");
	main_conf = write_at(dir, "senco.conf",
	    "review_interval_weeks = 14;\n@include \"staff.conf\"\n");
	cr_assert_eq(chdir(th_tmpdir()), 0);	/* somewhere else */
	serr_clear(&e);
	cr_assert_eq(config_load(&c, main_conf, NULL, NULL, &e), 0, "%s",
	    e.msg);
	cr_expect_eq(c.review_weeks, 14);
	cr_assert_eq(c.n_staff, 1);
	cr_expect_str_eq(c.staff[0].name, "Mr K. Osei");
	config_free(&c);
}

/* --- the installed example -------------------------------------------- */

/* share/senco.conf: from $SENCO_SRCDIR (make check), else beside this
 * source file, else from the cwd. */
static char *
example_path(void)
{
	const char *src = getenv("SENCO_SRCDIR");
	char here[512], *p;

	if (src != NULL && src[0] != '\0') {
		p = malloc(strlen(src) + 32);
		sprintf(p, "%s/share/senco.conf", src);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	snprintf(here, sizeof here, "%s", __FILE__);
	p = malloc(strlen(here) + 32);
	sprintf(p, "%s/../share/senco.conf", dirname(here));
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return strdup("share/senco.conf");
}

Test(config, example_file_loads_without_warnings)
{
	struct config c;
	struct warns w;
	struct serr e;
	char *path = example_path();

	memset(&w, 0, sizeof w);
	serr_clear(&e);
	cr_assert_eq(access(path, R_OK), 0, "cannot find %s", path);
	cr_assert_eq(config_load(&c, path, collect, &w, &e), 0, "%s", e.msg);
	cr_expect_eq(w.n, 0, "warning: %s", w.msg[0]);
	cr_expect_str_eq(c.school_name, "Example Primary School");
	cr_expect_eq(c.la_number, 999);
	cr_expect_eq(c.estab_number, 9999);
	cr_expect_gt(c.roll, 0);
	cr_expect_eq(c.review_weeks, 12);
	cr_expect_eq(c.date_style, DATE_STYLE_UK);
	cr_expect_eq(c.topup_pence, 600000);
	cr_expect_gt(c.n_staff, 1);
	cr_expect_gt(c.n_interventions, 2);
	cr_expect_eq(c.n_agencies, 9);
	/* The example leaves the database where XDG puts it. */
	cr_expect_null(c.database);
	config_free(&c);
	free(path);
}
