/*
 * config.c: finding and reading senco.conf (libconfig), checking every
 * setting and filling struct config.
 *
 * Values are checked here, where the file and line are still known, so a
 * typo is reported as "file:line: why" before anything touches the
 * caseload. Key bindings and colours are kept as written: only the UI
 * knows which action and colour names exist, and it reports unknown ones
 * with the line kept here.
 */
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "import.h"
#include "xmalloc.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define CONFIG_SUBPATH "senco/senco.conf"
#define DATA_SUBPATH "senco/caseload.db"

/* Limits of the checked numbers; names say what the man page promises. */
#define LA_MIN 100
#define LA_MAX 999
#define ESTAB_MIN 1000
#define ESTAB_MAX 9999
#define ROLL_MAX 99999
#define REVIEW_WEEKS_MIN 1
#define REVIEW_WEEKS_MAX 52
#define TOPUP_POUNDS_MAX 1000000.0
#define RETENTION_YEARS_MIN 1
#define RETENTION_YEARS_MAX 100
#define COST_POUNDS_MAX 100000.0

static const char *const default_agencies[] = {
	"EP", "SALT", "ALST", "CAMHS", "OT", "Physiotherapy",
	"Sensory support", "Virtual School", "Youth offending team",
};
#define N_DEFAULT_AGENCIES \
	((int)(sizeof default_agencies / sizeof default_agencies[0]))

/* One load in progress, so that every check can say where it is. */
struct loader {
	struct config *c;
	const char *path;	/* the file given to libconfig */
	config_warn_cb warn;
	void *ctx;
	struct serr *e;
};

/* --- messages --------------------------------------------------------- */

/* The file a setting came from (an @include may name another). */
static const char *
src_file(const struct loader *ld, const config_setting_t *s)
{
	const char *f = config_setting_source_file(s);

	return f != NULL ? f : ld->path;
}

static int fail(struct loader *, const config_setting_t *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* SE_CONFIG with "file:line: " and the formatted reason. */
static int
fail(struct loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	char why[SERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	serr_set(ld->e, SE_CONFIG, "%s:%u: %s", src_file(ld, s),
	    config_setting_source_line(s), why);
	return SE_CONFIG;	/* never 0, whatever e is */
}

static void warn(struct loader *, const config_setting_t *, const char *,
    ...) __attribute__((format(printf, 3, 4)));

static void
warn(struct loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	char why[SERR_MSG_MAX], msg[SERR_MSG_MAX + 64];
	va_list ap;

	if (ld->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof msg, "%s:%u: %s", src_file(ld, s),
	    config_setting_source_line(s), why);
	ld->warn(ld->ctx, msg);
}

/* --- values ----------------------------------------------------------- */

/* Length of the UTF-8 sequence at s, or 0 if it is not valid UTF-8
 * (overlong forms and surrogates included). */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

enum text_flags {
	TEXT_EMPTY_OK = 1,	/* "" is allowed */
	TEXT_MULTILINE = 2,	/* \n and \t are allowed */
};

/*
 * The string value of s in *out (owned by libconfig). Anything but a
 * string (or "" without TEXT_EMPTY_OK) fails with `wrong`, the setting's
 * own explanation; invalid UTF-8 and control characters, which would
 * break the columns of the UI and of tables, fail naming `label`.
 */
static int
get_text(struct loader *ld, const config_setting_t *s, const char *label,
    const char *wrong, unsigned flags, const char **out)
{
	const unsigned char *p;
	const char *v;
	size_t n;

	*out = "";
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(ld, s, "%s", wrong);
	v = config_setting_get_string(s);
	if (v[0] == '\0' && !(flags & TEXT_EMPTY_OK))
		return fail(ld, s, "%s", wrong);
	for (p = (const unsigned char *)v; *p != '\0'; p += n) {
		if ((n = utf8_len(p)) == 0)
			return fail(ld, s, "'%s' is not valid UTF-8 text "
			    "(save the file as UTF-8)", label);
		if ((*p < 0x20 || *p == 0x7f) && !((flags & TEXT_MULTILINE) &&
		    (*p == '\n' || *p == '\t')))
			return fail(ld, s, "'%s' contains a control character",
			    label);
	}
	*out = v;
	return 0;
}

/* An integer setting (libconfig's int or 64-bit int). */
static bool
whole_value(const config_setting_t *s, long long *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*out = config_setting_get_int(s);
		return true;
	case CONFIG_TYPE_INT64:
		*out = config_setting_get_int64(s);
		return true;
	default:
		return false;
	}
}

/* An amount in pounds (whole or with pence) from 0 to max, in pence. */
static bool
pence_value(const config_setting_t *s, double max, int64_t *out)
{
	long long w;
	double v;

	if (whole_value(s, &w))
		v = (double)w;
	else if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		v = config_setting_get_float(s);
	else
		return false;
	if (!isfinite(v) || v < 0 || v > max)
		return false;
	*out = (int64_t)llround(v * 100.0);
	return true;
}

/* A list "( ... )" or an array "[ ... ]": users mix them up, and for a
 * sequence of names either reads the same. */
static bool
is_sequence(const config_setting_t *s)
{
	return config_setting_is_list(s) || config_setting_is_array(s);
}

static bool
in_list(const char *name, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

/* Warn about each member of group g not in the NULL-ended known; prefix
 * and suffix place the name ("school." + name, name + " in a staff
 * entry"). */
static void
warn_unknown(struct loader *ld, const config_setting_t *g,
    const char *const *known, const char *prefix, const char *suffix)
{
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(g,
		    (unsigned)i);
		const char *name = config_setting_name(m);

		if (!in_list(name, known))
			warn(ld, m, "unknown setting '%s%s'%s (ignored)",
			    prefix, name, suffix);
	}
}

/* The user's home directory: $HOME, else the password database. NULL if
 * neither knows. */
static const char *
home_dir(void)
{
	const char *h = getenv("HOME");
	const struct passwd *pw;

	if (h != NULL && h[0] != '\0')
		return h;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] != '\0')
		return pw->pw_dir;
	return NULL;
}

/* $NAME if set to an absolute path (the XDG rule: a relative value is
 * ignored), else NULL. */
static const char *
xdg_dir(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] == '/' ? v : NULL;
}

/* --- the settings ----------------------------------------------------- */

static int
set_database(struct loader *ld, const config_setting_t *s)
{
	const char *v, *file, *slash, *home;
	char *p;
	int rc;

	rc = get_text(ld, s, "database", "'database' must be the caseload "
	    "file's path in quotes, e.g. \"~/senco/caseload.db\"", 0, &v);
	if (rc < 0)
		return rc;
	if (v[0] == '~') {
		if (v[1] != '/')
			return fail(ld, s, "'database': only a leading ~/ is "
			    "expanded; write ~/path or a full path");
		if ((home = home_dir()) == NULL)
			return fail(ld, s, "'database': cannot expand ~/ "
			    "because $HOME is not set");
		xasprintf(&p, "%s/%s", home, v + 2);
	} else if (v[0] == '/') {
		p = xstrdup(v);
	} else {
		/* Relative to the file that says it, wherever senco runs. */
		file = src_file(ld, s);
		slash = strrchr(file, '/');
		if (slash == NULL)
			p = xstrdup(v);
		else
			xasprintf(&p, "%.*s/%s", (int)(slash - file), file, v);
	}
	free(ld->c->database);
	ld->c->database = p;
	return 0;
}

static int
set_school(struct loader *ld, const config_setting_t *s)
{
	static const char *const known[] = { "name", "la", "estab", "roll",
	    NULL };
	const config_setting_t *m;
	const char *v;
	long long n;
	int rc;

	if (!config_setting_is_group(s))
		return fail(ld, s, "'school' must be a group, e.g. school = { "
		    "name = \"...\"; la = 801; estab = 2000; roll = 420; };");
	warn_unknown(ld, s, known, "school.", "");
	if ((m = config_setting_get_member(s, "name")) != NULL) {
		rc = get_text(ld, m, "school.name", "'school.name' must be the "
		    "school's name in quotes", 0, &v);
		if (rc < 0)
			return rc;
		free(ld->c->school_name);
		ld->c->school_name = xstrdup(v);
	}
	if ((m = config_setting_get_member(s, "la")) != NULL) {
		if (!whole_value(m, &n) || n < LA_MIN || n > LA_MAX)
			return fail(ld, m, "'school.la' must be the 3-digit "
			    "local authority number (%d to %d), e.g. 801",
			    LA_MIN, LA_MAX);
		ld->c->la_number = (int)n;
	}
	if ((m = config_setting_get_member(s, "estab")) != NULL) {
		if (!whole_value(m, &n) || n < ESTAB_MIN || n > ESTAB_MAX)
			return fail(ld, m, "'school.estab' must be the 4-digit "
			    "establishment number (%d to %d), e.g. 2000",
			    ESTAB_MIN, ESTAB_MAX);
		ld->c->estab_number = (int)n;
	}
	if ((m = config_setting_get_member(s, "roll")) != NULL) {
		if (!whole_value(m, &n) || n < 0 || n > ROLL_MAX)
			return fail(ld, m, "'school.roll' must be the number "
			    "of pupils on roll, a whole number from 0 to %d",
			    ROLL_MAX);
		ld->c->roll = (int)n;
	}
	return 0;
}

static int
set_review_weeks(struct loader *ld, const config_setting_t *s)
{
	long long n;

	if (!whole_value(s, &n) || n < REVIEW_WEEKS_MIN ||
	    n > REVIEW_WEEKS_MAX)
		return fail(ld, s, "'review_interval_weeks' must be a whole "
		    "number of weeks from %d to %d", REVIEW_WEEKS_MIN,
		    REVIEW_WEEKS_MAX);
	ld->c->review_weeks = (int)n;
	return 0;
}

static int
set_retention(struct loader *ld, const config_setting_t *s)
{
	long long n;

	if (!whole_value(s, &n) || n < RETENTION_YEARS_MIN ||
	    n > RETENTION_YEARS_MAX)
		return fail(ld, s, "'retention_years' must be a whole number "
		    "of years from %d to %d (kept until date of birth + this)",
		    RETENTION_YEARS_MIN, RETENTION_YEARS_MAX);
	ld->c->retention_years = (int)n;
	return 0;
}

static int
set_date_format(struct loader *ld, const config_setting_t *s)
{
	static const char wrong[] = "'date_format' must be \"DD/MM/YYYY\" "
	    "or \"YYYY-MM-DD\"";
	const char *v;
	int rc;

	if ((rc = get_text(ld, s, "date_format", wrong, 0, &v)) < 0)
		return rc;
	if (strcasecmp(v, "DD/MM/YYYY") == 0)
		ld->c->date_style = DATE_STYLE_UK;
	else if (strcasecmp(v, "YYYY-MM-DD") == 0)
		ld->c->date_style = DATE_STYLE_ISO;
	else
		return fail(ld, s, "%s", wrong);
	return 0;
}

static int
set_topup(struct loader *ld, const config_setting_t *s)
{
	int64_t p;

	if (!pence_value(s, TOPUP_POUNDS_MAX, &p) || p == 0)
		return fail(ld, s, "'topup_threshold' must be an amount in "
		    "pounds from 0.01 to %.0f, e.g. 6000 or 6000.00",
		    TOPUP_POUNDS_MAX);
	ld->c->topup_pence = p;
	return 0;
}

/* The Unix group that may share the caseload on a server (files 0660,
 * directory setgid); checked against the group database when opening. */
static int
set_shared_group(struct loader *ld, const config_setting_t *s)
{
	static const char wrong[] = "'shared_group' must be the name of a "
	    "Unix group, e.g. \"senco\"";
	const char *v;
	int rc;

	if ((rc = get_text(ld, s, "shared_group", wrong, 0, &v)) < 0)
		return rc;
	if (*v == '\0' || strpbrk(v, " :/") != NULL)
		return fail(ld, s, "%s", wrong);
	free(ld->c->shared_group);
	ld->c->shared_group = xstrdup(v);
	return 0;
}

static int
set_network_fs(struct loader *ld, const config_setting_t *s)
{
	static const char wrong[] = "'network_filesystem' must be "
	    "\"rollback\" or \"refuse\"";
	const char *v;
	int rc;

	if ((rc = get_text(ld, s, "network_filesystem", wrong, 0, &v)) < 0)
		return rc;
	if (strcasecmp(v, "rollback") == 0)
		ld->c->refuse_network_fs = false;
	else if (strcasecmp(v, "refuse") == 0)
		ld->c->refuse_network_fs = true;
	else
		return fail(ld, s, "%s", wrong);
	return 0;
}

/* One item of staff: a plain name or { user = ...; name = ...; }.
 * Fills *st with heap strings the caller owns, also on failure. */
static int
read_staff_item(struct loader *ld, const config_setting_t *m,
    struct config_staff *st)
{
	static const char *const known[] = { "user", "name", NULL };
	static const char wrong_name[] = "'name' in a staff entry must be a "
	    "name in quotes, e.g. name = \"Mrs J. Smith\";";
	const config_setting_t *u, *nm;
	const char *v;
	int rc;

	if (config_setting_type(m) == CONFIG_TYPE_STRING) {
		rc = get_text(ld, m, "staff", "a 'staff' entry must be a name "
		    "in quotes, e.g. \"Mr K. Osei\"", 0, &v);
		if (rc == 0)
			st->name = xstrdup(v);
		return rc;
	}
	if (!config_setting_is_group(m))
		return fail(ld, m, "each 'staff' entry must be a name in "
		    "quotes or a group { user = \"jsmith\"; name = "
		    "\"Mrs J. Smith\"; }");
	warn_unknown(ld, m, known, "", " in a staff entry");
	if ((nm = config_setting_get_member(m, "name")) == NULL)
		return fail(ld, m, "staff entry has no 'name'");
	if ((rc = get_text(ld, nm, "name", wrong_name, 0, &v)) < 0)
		return rc;
	st->name = xstrdup(v);
	if ((u = config_setting_get_member(m, "user")) != NULL) {
		rc = get_text(ld, u, "user", "'user' in a staff entry must be "
		    "a login name in quotes, e.g. user = \"jsmith\";", 0, &v);
		if (rc < 0)
			return rc;
		if (strpbrk(v, " \t,:/") != NULL)
			return fail(ld, u, "'user' in a staff entry must be a "
			    "login name (no spaces, commas, colons or "
			    "slashes)");
		st->user = xstrdup(v);
	}
	return 0;
}

static int
set_staff(struct loader *ld, const config_setting_t *s)
{
	struct config *c = ld->c;
	int i, j, n, rc;

	if (!is_sequence(s))
		return fail(ld, s, "'staff' must be a list, e.g. staff = ( { "
		    "user = \"jsmith\"; name = \"Mrs J. Smith\"; }, "
		    "\"Mr K. Osei\" );");
	n = config_setting_length(s);
	c->staff = xcalloc((size_t)n, sizeof *c->staff);
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(s,
		    (unsigned)i);
		struct config_staff st = { NULL, NULL };

		rc = read_staff_item(ld, m, &st);
		for (j = 0; rc == 0 && st.user != NULL && j < c->n_staff; j++)
			if (c->staff[j].user != NULL &&
			    strcmp(c->staff[j].user, st.user) == 0)
				rc = fail(ld, m, "user '%s' is listed twice in "
				    "'staff'", st.user);
		if (rc < 0) {
			free(st.user);
			free(st.name);
			return rc;
		}
		c->staff[c->n_staff++] = st;
	}
	return 0;
}

/* The cost of an intervention: exactly one of the two keys. */
static int
read_cost(struct loader *ld, const config_setting_t *m,
    struct intervention *iv)
{
	const config_setting_t *ps, *ph, *k;

	ps = config_setting_get_member(m, "cost_per_session");
	ph = config_setting_get_member(m, "cost_per_hour");
	if (ps != NULL && ph != NULL)
		return fail(ld, ph, "intervention '%s': give cost_per_session "
		    "or cost_per_hour, not both", iv->name);
	if (ps == NULL && ph == NULL)
		return fail(ld, m, "intervention '%s' has no cost: give "
		    "cost_per_session or cost_per_hour (0 if free)", iv->name);
	k = ps != NULL ? ps : ph;
	iv->basis = ps != NULL ? COST_PER_SESSION : COST_PER_HOUR;
	if (!pence_value(k, COST_POUNDS_MAX, &iv->cost_pence))
		return fail(ld, k, "intervention '%s': '%s' must be an amount "
		    "in pounds from 0 to %.0f, e.g. 12.50", iv->name,
		    config_setting_name(k), COST_POUNDS_MAX);
	return 0;
}

/* One group of interventions into *iv (zeroed by the caller); the heap
 * strings in it are the caller's, also on failure. */
static int
read_intervention(struct loader *ld, const config_setting_t *m, int index,
    struct intervention *iv)
{
	static const char *const known[] = { "name", "area", "description",
	    "evidence", "cost_per_session", "cost_per_hour", NULL };
	const config_setting_t *k;
	struct serr ae;
	const char *v;
	char suffix[INTERVENTION_NAME_MAX + 32];
	int rc;

	if (!config_setting_is_group(m))
		return fail(ld, m, "each 'interventions' entry must be a group "
		    "{ name = \"...\"; area = \"CL\"; cost_per_session = "
		    "12.50; }");
	if ((k = config_setting_get_member(m, "name")) == NULL)
		return fail(ld, m, "intervention %d in 'interventions' has no "
		    "'name'", index + 1);
	rc = get_text(ld, k, "name", "an intervention's 'name' must be text "
	    "in quotes", 0, &v);
	if (rc < 0)
		return rc;
	if (strlen(v) >= sizeof iv->name)
		return fail(ld, k, "intervention name '%.40s...' is too long "
		    "(at most %zu bytes)", v, sizeof iv->name - 1);
	memcpy(iv->name, v, strlen(v) + 1);
	snprintf(suffix, sizeof suffix, " in intervention '%s'", iv->name);
	warn_unknown(ld, m, known, "", suffix);

	if ((k = config_setting_get_member(m, "area")) != NULL) {
		rc = get_text(ld, k, "area", "an intervention's 'area' must be "
		    "CI, CL, SEMH or SP in quotes", TEXT_EMPTY_OK, &v);
		if (rc < 0)
			return rc;
		serr_clear(&ae);
		if (area_parse(v, &iv->area, &ae) < 0)
			return fail(ld, k, "intervention '%s': %s", iv->name,
			    ae.msg);
	}
	if ((k = config_setting_get_member(m, "description")) != NULL) {
		rc = get_text(ld, k, "description", "an intervention's "
		    "'description' must be text in quotes",
		    TEXT_EMPTY_OK | TEXT_MULTILINE, &v);
		if (rc < 0)
			return rc;
		iv->description = xstrdup(v);
	}
	if ((k = config_setting_get_member(m, "evidence")) != NULL) {
		rc = get_text(ld, k, "evidence", "an intervention's 'evidence' "
		    "must be a link or reference in quotes", TEXT_EMPTY_OK, &v);
		if (rc < 0)
			return rc;
		iv->evidence = xstrdup(v);
	}
	return read_cost(ld, m, iv);
}

static void
free_intervention(struct intervention *iv)
{
	free(iv->description);
	free(iv->evidence);
	iv->description = iv->evidence = NULL;
}

static int
set_interventions(struct loader *ld, const config_setting_t *s)
{
	struct config *c = ld->c;
	int i, j, n, rc;

	if (!config_setting_is_list(s))
		return fail(ld, s, "'interventions' must be a list of groups, "
		    "e.g. interventions = ( { name = \"Precision teaching\"; "
		    "area = \"CL\"; cost_per_session = 12.50; } );");
	n = config_setting_length(s);
	c->interventions = xcalloc((size_t)n, sizeof *c->interventions);
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(s,
		    (unsigned)i);
		struct intervention iv;

		memset(&iv, 0, sizeof iv);
		rc = read_intervention(ld, m, i, &iv);
		/* Names are unique in the catalogue, whatever the case. */
		for (j = 0; rc == 0 && j < c->n_interventions; j++)
			if (strcasecmp(c->interventions[j].name, iv.name) == 0)
				rc = fail(ld, m, "intervention '%s' is listed "
				    "twice in 'interventions'", iv.name);
		if (rc < 0) {
			free_intervention(&iv);
			return rc;
		}
		c->interventions[c->n_interventions++] = iv;
	}
	return 0;
}

static void
free_agencies(struct config *c)
{
	for (int i = 0; i < c->n_agencies; i++)
		free(c->agencies[i]);
	free(c->agencies);
	c->agencies = NULL;
	c->n_agencies = 0;
}

static int
set_agencies(struct loader *ld, const config_setting_t *s)
{
	static const char wrong[] = "'agencies' must be a list of agency "
	    "names in quotes, e.g. agencies = [ \"EP\", \"SALT\" ];";
	struct config *c = ld->c;
	const char *v;
	int i, j, n, rc;

	if (!is_sequence(s) || (n = config_setting_length(s)) == 0)
		return fail(ld, s, "%s", wrong);
	free_agencies(c);
	c->agencies = xcalloc((size_t)n, sizeof *c->agencies);
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(s,
		    (unsigned)i);

		if ((rc = get_text(ld, m, "agencies", wrong, 0, &v)) < 0)
			return rc;
		for (j = 0; j < c->n_agencies; j++)
			if (strcasecmp(c->agencies[j], v) == 0)
				return fail(ld, m, "agency '%s' is listed "
				    "twice in 'agencies'", v);
		c->agencies[c->n_agencies++] = xstrdup(v);
	}
	return 0;
}

/* One scalar of keys or colours as text in *out (caller frees): a string
 * as written, and also true/false and whole numbers, so that rate-0 = 0;
 * or enabled = false; read as they look. */
static int
entry_text(struct loader *ld, const config_setting_t *m, const char *label,
    const char *wrong, char **out)
{
	const char *v;
	long long n;
	int rc;

	if (config_setting_type(m) == CONFIG_TYPE_BOOL) {
		*out = xstrdup(config_setting_get_bool(m) ? "true" : "false");
		return 0;
	}
	if (whole_value(m, &n)) {
		xasprintf(out, "%lld", n);
		return 0;
	}
	if ((rc = get_text(ld, m, label, wrong, TEXT_EMPTY_OK, &v)) < 0)
		return rc;
	*out = xstrdup(v);
	return 0;
}

/*
 * keys and colours: every member kept as written with its line. A value
 * is text or a list of them, joined with "," so the UI reads one form.
 * `example` completes the message for a value of the wrong type.
 */
static int
read_entries(struct loader *ld, const config_setting_t *s, const char *group,
    const char *example, struct config_entry **out, int *n_out)
{
	char label[128], wrong[256];
	int i, j, n, rc;

	if (!config_setting_is_group(s))
		return fail(ld, s, "'%s' must be a group, e.g. %s = { %s }",
		    group, group, example);
	n = config_setting_length(s);
	*out = xcalloc((size_t)n, sizeof **out);
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(s,
		    (unsigned)i);
		const char *name = config_setting_name(m);
		char *value = NULL, *item, *joined;

		snprintf(label, sizeof label, "%s.%s", group, name);
		snprintf(wrong, sizeof wrong, "'%s' must be text in quotes "
		    "or a list of them, e.g. %s", label, example);
		if (is_sequence(m)) {
			value = xstrdup("");
			for (j = 0; j < config_setting_length(m); j++) {
				rc = entry_text(ld, config_setting_get_elem(m,
				    (unsigned)j), label, wrong, &item);
				if (rc < 0) {
					free(value);
					return rc;
				}
				xasprintf(&joined, "%s%s%s", value,
				    j > 0 ? "," : "", item);
				free(item);
				free(value);
				value = joined;
			}
		} else if ((rc = entry_text(ld, m, label, wrong, &value)) < 0)
			return rc;
		(*out)[*n_out].name = xstrdup(name);
		(*out)[*n_out].value = value;
		(*out)[*n_out].line = (int)config_setting_source_line(m);
		(*n_out)++;
	}
	return 0;
}

static int
set_keys(struct loader *ld, const config_setting_t *s)
{
	return read_entries(ld, s, "keys", "down = \"j,Down\";",
	    &ld->c->keys, &ld->c->n_keys);
}

static int
set_colours(struct loader *ld, const config_setting_t *s)
{
	return read_entries(ld, s, "colours", "title = \"white,blue\";",
	    &ld->c->colours, &ld->c->n_colours);
}

/* One column header of import.columns, kept with its field and line. */
static int
add_import_column(struct loader *ld, const config_setting_t *v,
    const char *field)
{
	struct config *c = ld->c;
	char label[128], wrong[256];
	const char *header;
	int rc;

	snprintf(label, sizeof label, "import.columns.%s", field);
	snprintf(wrong, sizeof wrong, "'%s' must be a column header in "
	    "quotes or a list of them, e.g. %s = \"Surname (Legal)\";",
	    label, field);
	if ((rc = get_text(ld, v, label, wrong, 0, &header)) < 0)
		return rc;
	c->import_columns = xreallocarray(c->import_columns,
	    (size_t)c->n_import_columns + 1, sizeof *c->import_columns);
	c->import_columns[c->n_import_columns].name = xstrdup(header);
	c->import_columns[c->n_import_columns].value = xstrdup(field);
	c->import_columns[c->n_import_columns].line =
	    (int)config_setting_source_line(v);
	c->n_import_columns++;
	return 0;
}

/*
 * import = { columns = { legal_surname = "Surname (Legal)";
 *     class = ("Reg Grp", "Tutor Group"); }; };
 * libconfig names cannot hold spaces or brackets, so the field is the
 * name and the headers as the MIS writes them are the values.
 */
static int
set_import(struct loader *ld, const config_setting_t *s)
{
	static const char *const known[] = { "columns", NULL };
	const config_setting_t *cols;
	int i, j, n, rc;

	if (!config_setting_is_group(s))
		return fail(ld, s, "'import' must be a group, e.g. import = { "
		    "columns = { legal_surname = \"Surname (Legal)\"; }; };");
	warn_unknown(ld, s, known, "import.", "");
	if ((cols = config_setting_get_member(s, "columns")) == NULL)
		return 0;
	if (!config_setting_is_group(cols))
		return fail(ld, cols, "'import.columns' must be a group, e.g. "
		    "columns = { legal_surname = \"Surname (Legal)\"; };");
	n = config_setting_length(cols);
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(cols,
		    (unsigned)i);
		const char *field = config_setting_name(m);

		if (import_field_parse(field) < 0)
			return fail(ld, m, "import.columns: '%s' is not a field "
			    "senco imports (upn, legal_surname, legal_forename, "
			    "preferred_surname, preferred_forename, dob, year, "
			    "class, gender, sen_status, primary_need, "
			    "secondary_need, pp, fsm, cic, eal, attendance, or "
			    "ignore)", field);
		if (!is_sequence(m)) {
			if ((rc = add_import_column(ld, m, field)) < 0)
				return rc;
			continue;
		}
		for (j = 0; j < config_setting_length(m); j++)
			if ((rc = add_import_column(ld,
			    config_setting_get_elem(m, (unsigned)j), field)) < 0)
				return rc;
	}
	return 0;
}

/* --- results, national figures, EHC plans (issue 7) ---------------------- */

#define SCORE_MIN 1.0
#define SCORE_MAX 200.0
#define SCALE_BANDS_MAX 32
#define BAND_MAX_BYTES 24

/* The teacher-assessment bands of KS1 and KS2, lowest first: pre-key
 * stage (PKF), below (BLW), has not met (HNM), working towards (WTS),
 * expected (EXS), greater depth (GDS). */
static const char *const default_bands[] = {
	"PKF", "BLW", "HNM", "WTS", "EXS", "GDS",
};
/* The year 1 phonics screening check: working towards, working at. */
static const char *const phonics_bands[] = { "WT", "WA" };
static const char *const default_transfer_years[] = { "N2", "6", "9", "11" };
#define N_ITEMS(a) ((int)(sizeof (a) / sizeof (a)[0]))

static void
free_scale(struct config_scale *sc)
{
	for (int i = 0; i < sc->n_bands; i++)
		free(sc->bands[i]);
	free(sc->bands);
	free(sc->subject);
	memset(sc, 0, sizeof *sc);
}

/* Append a scale to c; returns it. */
static struct config_scale *
add_scale(struct config *c, const char *subject, const char *const *bands,
    int n, int expected, int greater)
{
	struct config_scale *sc;

	c->scales = xreallocarray(c->scales, (size_t)c->n_scales + 1,
	    sizeof *c->scales);
	sc = &c->scales[c->n_scales++];
	memset(sc, 0, sizeof *sc);
	sc->subject = xstrdup(subject);
	sc->bands = xcalloc(n > 0 ? (size_t)n : 1, sizeof *sc->bands);
	for (int i = 0; i < n; i++)
		sc->bands[i] = xstrdup(bands[i]);
	sc->n_bands = n;
	sc->expected = expected;
	sc->greater_depth = greater;
	return sc;
}

static void
results_defaults(struct config *c)
{
	add_scale(c, NULL, default_bands, N_ITEMS(default_bands), 4, 5);
	add_scale(c, "phonics", phonics_bands, N_ITEMS(phonics_bands), 1, -1);
	c->expected_score = CONFIG_DEFAULT_EXPECTED_SCORE;
	c->greater_depth_score = CONFIG_DEFAULT_GREATER_DEPTH_SCORE;
	c->transfer_years = xcalloc(N_ITEMS(default_transfer_years),
	    sizeof *c->transfer_years);
	for (int i = 0; i < N_ITEMS(default_transfer_years); i++)
		snprintf(c->transfer_years[i], YEAR_MAX, "%s",
		    default_transfer_years[i]);
	c->n_transfer_years = N_ITEMS(default_transfer_years);
}

static void
results_free(struct config *c)
{
	for (int i = 0; i < c->n_scales; i++)
		free_scale(&c->scales[i]);
	free(c->scales);
	for (int i = 0; i < c->n_national; i++) {
		free(c->national[i].point);
		free(c->national[i].subject);
	}
	free(c->national);
	free(c->transfer_years);
}

/* A number setting, whole or decimal. */
static bool
number_value(const config_setting_t *s, double *out)
{
	long long w;

	if (whole_value(s, &w))
		*out = (double)w;
	else if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else
		return false;
	return isfinite(*out);
}

static int
band_index(const struct config_scale *sc, const char *name)
{
	for (int i = 0; i < sc->n_bands; i++)
		if (strcasecmp(sc->bands[i], name) == 0)
			return i;
	return -1;
}

/*
 * scale, expected and greater_depth of group g (named `where`, e.g.
 * "results" or "results.subjects.phonics") over sc. A new scale needs
 * its expected band; greater depth is optional and above it.
 */
static int
read_scale(struct loader *ld, const config_setting_t *g, const char *where,
    struct config_scale *sc)
{
	const config_setting_t *m;
	const char *v;
	char label[96], wrong[256];
	int rc, k;
	bool new_scale = false;

	if ((m = config_setting_get_member(g, "scale")) != NULL) {
		int n = config_setting_length(m);

		if (!is_sequence(m) || n < 1 || n > SCALE_BANDS_MAX)
			return fail(ld, m, "'%s.scale' must be a list of 1 to "
			    "%d bands, lowest first, e.g. scale = [\"Emerging\", "
			    "\"Developing\", \"Secure\", \"Mastery\"];", where,
			    SCALE_BANDS_MAX);
		for (int i = 0; i < sc->n_bands; i++)
			free(sc->bands[i]);
		free(sc->bands);
		sc->bands = xcalloc((size_t)n, sizeof *sc->bands);
		sc->n_bands = 0;
		snprintf(label, sizeof label, "%s.scale", where);
		snprintf(wrong, sizeof wrong, "'%s' must hold bands in quotes, "
		    "e.g. \"Secure\"", label);
		for (int i = 0; i < n; i++) {
			const config_setting_t *b = config_setting_get_elem(m,
			    (unsigned)i);

			if ((rc = get_text(ld, b, label, wrong, 0, &v)) < 0)
				return rc;
			if (strlen(v) >= BAND_MAX_BYTES)
				return fail(ld, b, "'%s': band '%s' is too long "
				    "(at most %d bytes)", label, v,
				    BAND_MAX_BYTES - 1);
			if (band_index(sc, v) >= 0)
				return fail(ld, b, "'%s': band '%s' is given "
				    "twice", label, v);
			sc->bands[sc->n_bands++] = xstrdup(v);
		}
		sc->line = (int)config_setting_source_line(m);
		sc->expected = -1;
		sc->greater_depth = -1;
		new_scale = true;
	}
	if ((m = config_setting_get_member(g, "expected")) != NULL) {
		snprintf(label, sizeof label, "%s.expected", where);
		snprintf(wrong, sizeof wrong, "'%s' must be the band of the "
		    "expected standard in quotes, e.g. expected = \"Secure\";",
		    label);
		if ((rc = get_text(ld, m, label, wrong, 0, &v)) < 0)
			return rc;
		if ((k = band_index(sc, v)) < 0)
			return fail(ld, m, "'%s': '%s' is not a band of the "
			    "scale", label, v);
		sc->expected = k;
		if (sc->greater_depth >= 0 && sc->greater_depth <= k)
			sc->greater_depth = -1;
	} else if (new_scale)
		return fail(ld, g, "'%s.expected' must name the band of the "
		    "expected standard of the scale given", where);
	if ((m = config_setting_get_member(g, "greater_depth")) != NULL) {
		snprintf(label, sizeof label, "%s.greater_depth", where);
		snprintf(wrong, sizeof wrong, "'%s' must be a band in quotes, "
		    "or \"\" for none", label);
		if ((rc = get_text(ld, m, label, wrong, TEXT_EMPTY_OK,
		    &v)) < 0)
			return rc;
		if (v[0] == '\0')
			sc->greater_depth = -1;
		else if ((k = band_index(sc, v)) < 0)
			return fail(ld, m, "'%s': '%s' is not a band of the "
			    "scale", label, v);
		else if (k <= sc->expected)
			return fail(ld, m, "'%s': '%s' is not above the "
			    "expected standard (%s)", label, v,
			    sc->bands[sc->expected]);
		else
			sc->greater_depth = k;
	}
	return 0;
}

/*
 * results = { scale = [...]; expected = "..."; greater_depth = "...";
 *     expected_score = 100; greater_depth_score = 110;
 *     subjects = { phonics = { scale = ["WT", "WA"]; expected = "WA"; };
 *     }; };
 */
static int
set_results(struct loader *ld, const config_setting_t *s)
{
	static const char *const known[] = { "scale", "expected",
	    "greater_depth", "expected_score", "greater_depth_score",
	    "subjects", NULL };
	static const char *const known_subject[] = { "scale", "expected",
	    "greater_depth", NULL };
	struct config *c = ld->c;
	const config_setting_t *m;
	double x;
	int rc;

	if (!config_setting_is_group(s))
		return fail(ld, s, "'results' must be a group, e.g. results = { "
		    "scale = [\"Emerging\", \"Developing\", \"Secure\", "
		    "\"Mastery\"]; expected = \"Secure\"; greater_depth = "
		    "\"Mastery\"; };");
	warn_unknown(ld, s, known, "results.", "");
	if ((rc = read_scale(ld, s, "results", &c->scales[0])) < 0)
		return rc;
	if ((m = config_setting_get_member(s, "expected_score")) != NULL) {
		if (!number_value(m, &x) || x < SCORE_MIN || x > SCORE_MAX)
			return fail(ld, m, "'results.expected_score' must be a "
			    "score from %.0f to %.0f (100 for KS2 scaled "
			    "scores)", SCORE_MIN, SCORE_MAX);
		c->expected_score = x;
	}
	if ((m = config_setting_get_member(s, "greater_depth_score")) !=
	    NULL) {
		if (!number_value(m, &x) || x < SCORE_MIN || x > SCORE_MAX)
			return fail(ld, m, "'results.greater_depth_score' must "
			    "be a score from %.0f to %.0f (110 for a KS2 high "
			    "score)", SCORE_MIN, SCORE_MAX);
		c->greater_depth_score = x;
	}
	if (c->greater_depth_score <= c->expected_score)
		return fail(ld, s, "'results.greater_depth_score' (%g) must be "
		    "above 'results.expected_score' (%g)",
		    c->greater_depth_score, c->expected_score);
	if ((m = config_setting_get_member(s, "subjects")) == NULL)
		return 0;
	if (!config_setting_is_group(m))
		return fail(ld, m, "'results.subjects' must be a group, e.g. "
		    "subjects = { phonics = { scale = [\"WT\", \"WA\"]; "
		    "expected = \"WA\"; }; };");
	for (int i = 0; i < config_setting_length(m); i++) {
		const config_setting_t *g = config_setting_get_elem(m,
		    (unsigned)i);
		const char *name = config_setting_name(g);
		struct config_scale *sc = NULL;
		char where[96];

		snprintf(where, sizeof where, "results.subjects.%s", name);
		if (!config_setting_is_group(g))
			return fail(ld, g, "'%s' must be a group, e.g. %s = { "
			    "scale = [\"WT\", \"WA\"]; expected = \"WA\"; };",
			    where, name);
		warn_unknown(ld, g, known_subject, "", " in results.subjects");
		for (int k = 1; k < c->n_scales; k++)
			if (strcasecmp(c->scales[k].subject, name) == 0)
				sc = &c->scales[k];
		if (sc == NULL) {
			if (config_setting_get_member(g, "scale") == NULL)
				return fail(ld, g, "'%s' needs a scale, e.g. "
				    "scale = [\"WT\", \"WA\"];", where);
			sc = add_scale(c, name, NULL, 0, -1, -1);
		}
		if ((rc = read_scale(ld, g, where, sc)) < 0)
			return rc;
	}
	return 0;
}

static int
read_national(struct loader *ld, const config_setting_t *g)
{
	static const char *const known[] = { "point", "subject", "group",
	    "expected", "greater_depth", "score", NULL };
	static const char example[] = "e.g. { point = \"KS2 2026\"; subject "
	    "= \"reading\"; expected = 74; greater_depth = 28; }";
	static const char *const pct_names[] = { "expected", "greater_depth" };
	struct config *c = ld->c;
	struct config_national nat;
	const config_setting_t *m;
	const char *point, *subject, *v;
	bool any = false;
	int rc;

	if (!config_setting_is_group(g))
		return fail(ld, g, "each entry of 'national' must be a group, "
		    "%s", example);
	warn_unknown(ld, g, known, "", " in a national entry");
	memset(&nat, 0, sizeof nat);
	nat.expected = nat.greater_depth = nat.score = NAN;
	nat.line = (int)config_setting_source_line(g);
	if ((m = config_setting_get_member(g, "point")) == NULL)
		return fail(ld, g, "a national entry needs its assessment point, "
		    "%s", example);
	if ((rc = get_text(ld, m, "point", "'point' in a national entry must "
	    "be an assessment point in quotes, e.g. \"KS2 2026\"", 0,
	    &point)) < 0)
		return rc;
	if ((m = config_setting_get_member(g, "subject")) == NULL)
		return fail(ld, g, "a national entry needs its subject, %s",
		    example);
	if ((rc = get_text(ld, m, "subject", "'subject' in a national entry "
	    "must be a subject in quotes, e.g. \"reading\"", 0,
	    &subject)) < 0)
		return rc;
	if ((m = config_setting_get_member(g, "group")) != NULL) {
		if ((rc = get_text(ld, m, "group", "'group' in a national entry "
		    "must be \"all\", \"N\", \"K\" or \"E\"", 0, &v)) < 0)
			return rc;
		if (strcasecmp(v, "all") == 0)
			nat.group = 0;
		else if (strlen(v) == 1 && strchr("NKEnke", v[0]) != NULL)
			nat.group = (char)(v[0] & ~0x20);
		else
			return fail(ld, m, "'group' in a national entry must be "
			    "\"all\", \"N\", \"K\" or \"E\", not \"%s\"", v);
	}
	for (int i = 0; i < 2; i++) {
		double x;

		if ((m = config_setting_get_member(g, pct_names[i])) == NULL)
			continue;
		if (!number_value(m, &x) || x < 0 || x > 100)
			return fail(ld, m, "'%s' in a national entry must be a "
			    "percentage from 0 to 100", pct_names[i]);
		if (i == 0)
			nat.expected = x;
		else
			nat.greater_depth = x;
		any = true;
	}
	if ((m = config_setting_get_member(g, "score")) != NULL) {
		if (!number_value(m, &nat.score) || nat.score < SCORE_MIN ||
		    nat.score > SCORE_MAX)
			return fail(ld, m, "'score' in a national entry must be "
			    "a mean score from %.0f to %.0f", SCORE_MIN,
			    SCORE_MAX);
		any = true;
	}
	if (!any)
		return fail(ld, g, "a national entry needs at least one of "
		    "expected, greater_depth or score");
	for (int i = 0; i < c->n_national; i++)
		if (strcasecmp(c->national[i].point, point) == 0 &&
		    strcasecmp(c->national[i].subject, subject) == 0 &&
		    c->national[i].group == nat.group)
			return fail(ld, g, "national figures for %s %s (%s) are "
			    "already given at line %d", point, subject,
			    nat.group ? (char[]){ nat.group, '\0' } : "all",
			    c->national[i].line);
	nat.point = xstrdup(point);
	nat.subject = xstrdup(subject);
	c->national = xreallocarray(c->national, (size_t)c->n_national + 1,
	    sizeof *c->national);
	c->national[c->n_national++] = nat;
	return 0;
}

/*
 * national = ( { point = "KS2 2026"; subject = "reading"; expected = 74;
 *     greater_depth = 28; score = 105; }, { ... group = "K"; ... } );
 * Names in libconfig cannot hold spaces, so the point is a value.
 */
static int
set_national(struct loader *ld, const config_setting_t *s)
{
	int rc;

	if (!config_setting_is_list(s))
		return fail(ld, s, "'national' must be a list of groups in "
		    "( ), e.g. national = ( { point = \"KS2 2026\"; subject = "
		    "\"reading\"; expected = 74; greater_depth = 28; } );");
	for (int i = 0; i < config_setting_length(s); i++)
		if ((rc = read_national(ld, config_setting_get_elem(s,
		    (unsigned)i))) < 0)
			return rc;
	return 0;
}

/* ehc = { transfer_years = ["N2", "6", "9", "11"]; }; */
static int
set_ehc(struct loader *ld, const config_setting_t *s)
{
	static const char *const known[] = { "transfer_years", NULL };
	static const char wrong[] = "'ehc.transfer_years' must be a list of "
	    "year groups, e.g. transfer_years = [\"N2\", \"6\", \"9\", "
	    "\"11\"];";
	struct config *c = ld->c;
	const config_setting_t *m;
	const char *v;
	int n, rc;

	if (!config_setting_is_group(s))
		return fail(ld, s, "'ehc' must be a group, e.g. ehc = { "
		    "transfer_years = [\"N2\", \"6\", \"9\", \"11\"]; };");
	warn_unknown(ld, s, known, "ehc.", "");
	if ((m = config_setting_get_member(s, "transfer_years")) == NULL)
		return 0;
	if (!is_sequence(m))
		return fail(ld, m, "%s", wrong);
	n = config_setting_length(m);
	free(c->transfer_years);
	c->transfer_years = xcalloc(n > 0 ? (size_t)n : 1,
	    sizeof *c->transfer_years);
	c->n_transfer_years = 0;
	for (int i = 0; i < n; i++) {
		const config_setting_t *y = config_setting_get_elem(m,
		    (unsigned)i);
		char year[YEAR_MAX], num[24];
		struct serr ye;
		long long w;

		/* 6 and "6" alike: users will write both. */
		if (whole_value(y, &w)) {
			snprintf(num, sizeof num, "%lld", w);
			rc = year_parse(num, year, &ye);
			v = num;
		} else {
			if ((rc = get_text(ld, y, "ehc.transfer_years", wrong, 0,
			    &v)) < 0)
				return rc;
			rc = year_parse(v, year, &ye);
		}
		if (rc != 0 || strcmp(year, "X") == 0)
			return fail(ld, y, "'ehc.transfer_years': '%s' is not a "
			    "year group (N1, N2, R, 1 to 14)", v);
		for (int k = 0; k < c->n_transfer_years; k++)
			if (strcmp(c->transfer_years[k], year) == 0)
				return fail(ld, y, "'ehc.transfer_years': year "
				    "%s is given twice", year);
		snprintf(c->transfer_years[c->n_transfer_years++], YEAR_MAX,
		    "%s", year);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*set)(struct loader *, const config_setting_t *);
} settings[] = {
	{ "database", set_database },
	{ "school", set_school },
	{ "review_interval_weeks", set_review_weeks },
	{ "date_format", set_date_format },
	{ "topup_threshold", set_topup },
	{ "retention_years", set_retention },
	{ "staff", set_staff },
	{ "interventions", set_interventions },
	{ "agencies", set_agencies },
	{ "keys", set_keys },
	{ "colours", set_colours },
	{ "import", set_import },
	{ "shared_group", set_shared_group },
	{ "network_filesystem", set_network_fs },
	{ "results", set_results },
	{ "national", set_national },
	{ "ehc", set_ehc },
};

/* Every top-level setting in file order, so the first mistake in the
 * file is the one reported. */
static int
read_root(struct loader *ld, const config_setting_t *root)
{
	int i, n = config_setting_length(root);
	size_t k;

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root,
		    (unsigned)i);
		const char *name = config_setting_name(s);
		int rc;

		for (k = 0; k < sizeof settings / sizeof settings[0]; k++)
			if (strcmp(name, settings[k].name) == 0)
				break;
		if (k == sizeof settings / sizeof settings[0]) {
			warn(ld, s, "unknown setting '%s' (ignored)", name);
			continue;
		}
		if ((rc = settings[k].set(ld, s)) < 0)
			return rc;
	}
	return 0;
}

/* --- finding the file ------------------------------------------------- */

/*
 * Whether path names a file to read: 1 and *out = path (taken) if it
 * exists, 0 (path freed) if it does not and `named` is NULL, otherwise
 * SE_CONFIG. `named` says who named the file, for the message; a file
 * someone named must exist.
 */
static int
try_file(char *path, const char *named, char **out, struct serr *e)
{
	struct stat st;
	int rc;

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			rc = serr_set(e, SE_CONFIG, "%s: is a directory, not "
			    "a configuration file", path);
			free(path);
			return rc;
		}
		*out = path;
		return 1;
	}
	if ((errno == ENOENT || errno == ENOTDIR) && named == NULL) {
		free(path);
		return 0;
	}
	if (errno == ENOENT || errno == ENOTDIR)
		rc = serr_set(e, SE_CONFIG, "%s: no such file%s", path, named);
	else
		rc = serr_set(e, SE_CONFIG, "%s: %s", path, strerror(errno));
	free(path);
	return rc;
}

/* The file to read in lookup order; *out NULL when there is none. Caller
 * frees *out. */
static int
find_file(const char *explicit_path, char **out, struct serr *e)
{
	const char *v;
	char *p;
	int rc;

	*out = NULL;
	if (explicit_path != NULL) {
		if (explicit_path[0] == '\0')
			return serr_set(e, SE_CONFIG, "configuration file name "
			    "is empty");
		rc = try_file(xstrdup(explicit_path), "", out, e);
		return rc < 0 ? rc : 0;
	}
	v = getenv("SENCO_CONFIG");
	if (v != NULL && v[0] != '\0') {
		rc = try_file(xstrdup(v), " (named by $SENCO_CONFIG)", out, e);
		return rc < 0 ? rc : 0;
	}
	if ((v = xdg_dir("XDG_CONFIG_HOME")) != NULL) {
		xasprintf(&p, "%s/%s", v, CONFIG_SUBPATH);
		if ((rc = try_file(p, NULL, out, e)) != 0)
			return rc < 0 ? rc : 0;
	}
	if ((v = getenv("HOME")) != NULL && v[0] != '\0') {
		xasprintf(&p, "%s/.config/%s", v, CONFIG_SUBPATH);
		if ((rc = try_file(p, NULL, out, e)) != 0)
			return rc < 0 ? rc : 0;
	}
	rc = try_file(xstrdup(SYSCONFDIR "/" CONFIG_SUBPATH), NULL, out, e);
	return rc < 0 ? rc : 0;
}

/* --- the API ---------------------------------------------------------- */

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->review_weeks = CONFIG_DEFAULT_REVIEW_WEEKS;
	c->date_style = DATE_STYLE_UK;
	c->topup_pence = CONFIG_DEFAULT_TOPUP_PENCE;
	c->retention_years = CONFIG_DEFAULT_RETENTION_YEARS;
	c->agencies = xcalloc(N_DEFAULT_AGENCIES, sizeof *c->agencies);
	for (int i = 0; i < N_DEFAULT_AGENCIES; i++)
		c->agencies[c->n_agencies++] = xstrdup(default_agencies[i]);
	results_defaults(c);
}

/* c is filled from scratch: whatever it held is not freed. On failure it
 * holds the defaults again, so nothing half-read is used. */
int
config_load(struct config *c, const char *explicit_path,
    config_warn_cb warn_cb, void *ctx, struct serr *e)
{
	struct loader ld;
	config_t cf;
	char *path = NULL, *dir;
	const char *slash;
	int rc;

	config_defaults(c);
	if ((rc = find_file(explicit_path, &path, e)) < 0 || path == NULL)
		return rc;

	config_init(&cf);
	/* @include "x.conf" is read beside the file, not in the cwd. */
	slash = strrchr(path, '/');
	dir = slash == NULL ? xstrdup(".") :
	    xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	config_set_include_dir(&cf, dir);	/* copies it */
	free(dir);

	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			rc = serr_set(e, SE_CONFIG, "%s: cannot read: %s", path,
			    strerror(errno));
		else
			rc = serr_set(e, SE_CONFIG, "%s:%d: %s",
			    config_error_file(&cf) != NULL ?
			    config_error_file(&cf) : path,
			    config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	ld.c = c;
	ld.path = path;
	ld.warn = warn_cb;
	ld.ctx = ctx;
	ld.e = e;
	rc = read_root(&ld, config_root_setting(&cf));
	if (rc == 0) {
		c->file = path;
		path = NULL;
	}
out:
	config_destroy(&cf);
	free(path);
	if (rc < 0) {
		config_free(c);
		config_defaults(c);
	}
	return rc;
}

void
config_db_options(const struct config *c, struct db_options *o)
{
	o->shared_group = c->shared_group;
	o->refuse_network_fs = c->refuse_network_fs;
}

void
config_free(struct config *c)
{
	int i;

	free(c->file);
	free(c->database);
	free(c->school_name);
	free(c->shared_group);
	for (i = 0; i < c->n_staff; i++) {
		free(c->staff[i].user);
		free(c->staff[i].name);
	}
	free(c->staff);
	for (i = 0; i < c->n_interventions; i++)
		free_intervention(&c->interventions[i]);
	free(c->interventions);
	free_agencies(c);
	for (i = 0; i < c->n_keys; i++) {
		free(c->keys[i].name);
		free(c->keys[i].value);
	}
	free(c->keys);
	for (i = 0; i < c->n_colours; i++) {
		free(c->colours[i].name);
		free(c->colours[i].value);
	}
	free(c->colours);
	for (i = 0; i < c->n_import_columns; i++) {
		free(c->import_columns[i].name);
		free(c->import_columns[i].value);
	}
	free(c->import_columns);
	results_free(c);
	/* Zeroed, so a second config_free does no harm. */
	memset(c, 0, sizeof *c);
}

/* Caller frees. */
char *
config_database_path(const struct config *c)
{
	const char *v;
	char *p;

	if (c != NULL && c->database != NULL)
		return xstrdup(c->database);
	if ((v = xdg_dir("XDG_DATA_HOME")) != NULL)
		xasprintf(&p, "%s/%s", v, DATA_SUBPATH);
	else if ((v = home_dir()) != NULL)
		xasprintf(&p, "%s/.local/share/%s", v, DATA_SUBPATH);
	else
		p = xstrdup("caseload.db");	/* no home at all: the cwd */
	return p;
}

const char *
config_staff_name(const struct config *c, const char *login)
{
	if (c == NULL || login == NULL)
		return login;
	for (int i = 0; i < c->n_staff; i++)
		if (c->staff[i].user != NULL &&
		    strcmp(c->staff[i].user, login) == 0)
			return c->staff[i].name;
	return login;
}
