/*
 * cli.c: the command table, help, and the helpers every subcommand
 * shares. Each subcommand parses its own options with cli_getopt(), opens
 * the caseload with cli_open(), calls the core, and turns any error into
 * one line "senco: <what>: <why>" on stderr and a <sysexits.h> status.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cmd_io.h"
#include "cli/cmd_outcome.h"
#include "cli/cmd_report.h"
#include "core/codes.h"
#include "core/derive.h"
#include "core/xmalloc.h"

/* In the order senco --help lists them. */
static const struct cli_command *const commands[] = {
	&cli_cmd_init, &cli_cmd_demo, &cli_cmd_check, &cli_cmd_backup,
	&cli_cmd_restore, &cli_cmd_checkout, &cli_cmd_merge,
	&cli_cmd_pupil, &cli_cmd_cycle, &cli_cmd_target,
	&cli_cmd_intervention, &cli_cmd_note, &cli_cmd_exclusion,
	&cli_cmd_agency, &cli_cmd_ehc, &cli_cmd_results, &cli_cmd_attendance,
	&cli_cmd_import, &cli_cmd_export, &cli_cmd_report,
	&cli_cmd_plan, &cli_cmd_audit, &cli_cmd_purge, &cli_cmd_help,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Width of the name column in senco --help. */
#define USAGE_NAME_WIDTH 24

static const struct cli_command *
find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static const struct cli_sub *
find_sub(const struct cli_command *cmd, const char *name)
{
	for (const struct cli_sub *s = cmd->subs; s->run != NULL; s++)
		if (s->name != NULL && name != NULL && strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* A command with no subcommands has one entry with a NULL name. */
static bool
single(const struct cli_command *cmd)
{
	return cmd->subs[0].name == NULL;
}

/* "add, list, show, edit or archive" into buf. */
static char *
sub_names(const struct cli_command *cmd, char *buf, size_t n)
{
	size_t len = 0;
	int count = 0, i = 0;

	for (const struct cli_sub *s = cmd->subs; s->run != NULL; s++)
		count++;
	buf[0] = '\0';
	for (const struct cli_sub *s = cmd->subs; s->run != NULL; s++, i++) {
		const char *sep = i == 0 ? "" : i == count - 1 ? " or " : ", ";

		len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s",
		    sep, s->name);
	}
	return buf;
}

/* --- help ------------------------------------------------------------------ */

/* Help lines stay within this many columns. */
#define HELP_WIDTH 79

/* Text from column `indent` on, wrapped at spaces to HELP_WIDTH, later
 * lines indented to the same column. Help text is ASCII. */
static void
print_wrapped(FILE *fp, const char *text, int indent)
{
	int col = indent;

	while (*text != '\0') {
		size_t len = strcspn(text, " ");

		if (col > indent && col + 1 + (int)len > HELP_WIDTH) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', fp);
			col++;
		}
		col += fprintf(fp, "%.*s", (int)len, text);
		text += len;
		text += strspn(text, " ");
	}
	fputc('\n', fp);
}

void
cli_print_usage(FILE *fp)
{
	fputs("Usage: senco [--db FILE] [--config FILE] [--read-only] "
	    "[COMMAND [ARGS]]\n"
	    "\n"
	    "senco keeps a school's SEN caseload in one file. With no command "
	    "it opens\nthe full-screen interface; the commands below do the same "
	    "work from scripts.\n\nCommands:\n", fp);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct cli_command *cmd = commands[i];

		for (const struct cli_sub *s = cmd->subs; s->run != NULL; s++) {
			char name[64];
			int w;

			snprintf(name, sizeof name, "%s%s%s", cmd->name,
			    s->name ? " " : "", s->name ? s->name : "");
			/* "backup FILE", "help [COMMAND]": short arguments
			 * say more than words. */
			if (s->name == NULL && s->args != NULL &&
			    strlen(name) + 1 + strlen(s->args) <
			    USAGE_NAME_WIDTH - 2)
				snprintf(name, sizeof name, "%s %s", cmd->name,
				    s->args);
			w = fprintf(fp, "  %s", name);
			if (w > USAGE_NAME_WIDTH) {
				fputc('\n', fp);
				w = 0;
			}
			fprintf(fp, "%*s", USAGE_NAME_WIDTH + 2 - w, "");
			print_wrapped(fp, s->summary, USAGE_NAME_WIDTH + 2);
		}
	}
	fputs("\nGlobal options (before the command):\n"
	    "  --db FILE               the caseload file (default: the "
	    "configured one,\n"
	    "                          else $XDG_DATA_HOME/senco/caseload.db)\n"
	    "  --config FILE           read this configuration file\n"
	    "  --read-only             open the caseload without changing "
	    "anything\n"
	    "  -h, --help              show this help\n"
	    "  -V, --version           show the version\n"
	    "\nDates are DD/MM/YYYY or YYYY-MM-DD. Run 'senco help COMMAND' for "
	    "a command's\noptions, and 'man senco' for the whole manual.\n", fp);
}

/*
 * "Usage: senco pupil list [--all] ..." wrapped at word boundaries, never
 * inside a bracketed option, with later lines under the first argument.
 */
static void
print_synopsis(FILE *fp, const struct cli_command *cmd,
    const struct cli_sub *s)
{
	const char *p = s->args != NULL ? s->args : "";
	int col, indent;

	col = fprintf(fp, "Usage: senco %s%s%s", cmd->name, s->name ? " " : "",
	    s->name ? s->name : "");
	indent = col + 1;
	while (*p != '\0') {
		const char *q = p;
		int depth = 0;

		/* One word: up to a space outside brackets. */
		for (; *q != '\0' && (depth > 0 || *q != ' '); q++) {
			if (*q == '[' || *q == '(')
				depth++;
			else if ((*q == ']' || *q == ')') && depth > 0)
				depth--;
		}
		if (col + 1 + (int)(q - p) > HELP_WIDTH && col > indent) {
			fprintf(fp, "\n%*s", indent - 1, "");
			col = indent - 1;
		}
		col += fprintf(fp, " %.*s", (int)(q - p), p);
		p = *q == ' ' ? q + 1 : q;
	}
	fputc('\n', fp);
}

static void
print_sub(FILE *fp, const struct cli_command *cmd, const struct cli_sub *s)
{
	print_synopsis(fp, cmd, s);
	/* Summaries are written to follow a name in senco --help; as a
	 * sentence of their own they take a capital. */
	fprintf(fp, "  %c%s.\n", toupper((unsigned char)s->summary[0]),
	    s->summary + 1);
	if (s->options != NULL)
		fprintf(fp, "\n%s", s->options);
}

static void
print_command(FILE *fp, const struct cli_command *cmd)
{
	bool first = true;

	if (!single(cmd))
		fprintf(fp, "senco %s: %s.\n\n", cmd->name, cmd->summary);
	for (const struct cli_sub *s = cmd->subs; s->run != NULL; s++) {
		if (!first)
			fputc('\n', fp);
		print_sub(fp, cmd, s);
		first = false;
	}
}

int
cli_help(int argc, char **argv)
{
	const struct cli_command *cmd;
	const struct cli_sub *s;
	char names[160];

	/* argv[0] is "help". */
	if (argc < 2) {
		cli_print_usage(stdout);
		return 0;
	}
	if ((cmd = find_command(argv[1])) == NULL)
		return cli_error(EX_USAGE, "help: no command '%s' (see 'senco "
		    "--help')", argv[1]);
	if (argc == 2 || single(cmd)) {
		print_command(stdout, cmd);
		return 0;
	}
	if ((s = find_sub(cmd, argv[2])) == NULL)
		return cli_error(EX_USAGE, "help: %s: no subcommand '%s' (try %s)",
		    cmd->name, argv[2], sub_names(cmd, names, sizeof names));
	print_sub(stdout, cmd, s);
	return 0;
}

int
cli_sub_help(const struct cli *c)
{
	print_sub(stdout, c->cmd, c->sub);
	return 0;
}

/* --- dispatch ------------------------------------------------------------ */

int
cli_run(struct cli *c, int argc, char **argv)
{
	const struct cli_command *cmd = find_command(argv[0]);
	const struct cli_sub *s;
	char what[64], names[160];

	if (cmd == NULL)
		return cli_error(EX_USAGE, "%s: no such command (see 'senco "
		    "--help')", argv[0]);
	if (cmd == &cli_cmd_help)
		return cli_help(argc, argv);
	c->cmd = cmd;
	if (single(cmd)) {
		c->sub = &cmd->subs[0];
		c->what = cmd->name;
		return c->sub->run(c, argc, argv);
	}
	if (argc < 2)
		return cli_error(EX_USAGE, "%s: which one? %s (see 'senco help "
		    "%s')", cmd->name, sub_names(cmd, names, sizeof names),
		    cmd->name);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_command(stdout, cmd);
		return 0;
	}
	if ((s = find_sub(cmd, argv[1])) == NULL)
		return cli_error(EX_USAGE, "%s: no subcommand '%s' (try %s)",
		    cmd->name, argv[1], sub_names(cmd, names, sizeof names));
	snprintf(what, sizeof what, "%s %s", cmd->name, s->name);
	c->sub = s;
	c->what = what;
	return s->run(c, argc - 1, argv + 1);
}

/* --- messages and exit status ----------------------------------------------- */

int
cli_exit_code(int code)
{
	switch (code) {
	case SE_OK:		return 0;
	case SE_INVALID:
	case SE_STATE:
	case SE_CONFLICT:
	case SE_EXISTS:		return EX_DATAERR;
	case SE_NOTFOUND:	return EX_NOINPUT;
	case SE_BUSY:		return EX_TEMPFAIL;
	case SE_IO:
	case SE_FULL:		return EX_IOERR;
	case SE_READONLY:
	case SE_PERM:		return EX_NOPERM;
	case SE_CONFIG:		return EX_CONFIG;
	case SE_DB:
	case SE_SCHEMA:		return EX_SOFTWARE;
	}
	return EX_SOFTWARE;
}

int
cli_error(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("senco: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int
cli_fail(const struct serr *e)
{
	return cli_error(cli_exit_code(e->code), "%s",
	    e->msg[0] != '\0' ? e->msg : serr_code_name(e->code));
}

int
cli_usage(const struct cli *c, const char *fmt, ...)
{
	char why[SERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return cli_error(EX_USAGE, "%s: %s (see 'senco help %s')", c->what,
	    why, c->what);
}

/* --- options -------------------------------------------------------------- */

void
cli_opt_begin(void)
{
	/* 0 makes glibc (and musl) start afresh, forgetting a half-read
	 * group of short options from the previous parse. */
	optind = 0;
	opterr = 0;
}

int
cli_getopt(struct cli *c, int argc, char **argv, const struct option *opts)
{
	int ch = getopt_long(argc, argv, ":h", opts, NULL);
	/* glibc has moved the option just read to argv[optind - 1]. */
	const char *arg = optind >= 1 && optind - 1 < argc ?
	    argv[optind - 1] : "";

	if (ch == '?') {
		if (optopt == 0)
			cli_usage(c, "unknown option '%s'", arg);
		else if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=') != NULL)
			cli_usage(c, "option '%.*s' takes no value",
			    (int)(strchr(arg, '=') - arg), arg);
		else
			cli_usage(c, "unknown option '-%c'", optopt);
		return '?';
	}
	if (ch == ':') {
		cli_usage(c, "option '%s' needs a value", arg);
		return '?';
	}
	return ch;
}

int
cli_plain_options(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1)
		return ch == 'h' ? cli_sub_help(c) : EX_USAGE;
	return -1;
}

int
cli_args(struct cli *c, int argc, char **argv, int min, int max,
    const char *const names[])
{
	int n = argc - optind;

	if (n < min)
		return cli_usage(c, "missing %s", names[n]);
	if (n > max)
		return cli_usage(c, "unexpected argument '%s'",
		    argv[optind + max]);
	return 0;
}

/* --- the caseload -------------------------------------------------------- */

void
cli_set_author(const struct config *cfg, struct db *db)
{
	char login[AUTHOR_MAX];

	/* A copy: db_set_author must not read the buffer it writes. */
	snprintf(login, sizeof login, "%s", db_author(db));
	db_set_author(db, config_staff_name(cfg, login));
}

int
cli_open_with(struct cli *c, bool writes, unsigned flags, struct db **db)
{
	struct db_options o;
	struct serr e;

	serr_clear(&e);
	*db = NULL;
	if (writes && c->read_only)
		return cli_error(EX_NOPERM, "%s: the caseload is open read-only "
		    "(--read-only); nothing was changed", c->what);
	config_db_options(c->cfg, &o);
	if (db_open_ex(db, c->db_path, flags | (c->read_only ? DB_READONLY :
	    0), &o, &e) != 0)
		return cli_fail(&e);
	if (db_warning(*db) != NULL)
		fprintf(stderr, "senco: warning: %s\n", db_warning(*db));
	cli_set_author(c->cfg, *db);
	return 0;
}

int
cli_open(struct cli *c, bool writes, struct db **db)
{
	return cli_open_with(c, writes, 0, db);
}

char *
cli_pupil_label(const struct pupil *p, char *buf, size_t n)
{
	char name[2 * NAME_MAX_BYTES + 4];

	pupil_display_name(p, name, sizeof name);
	snprintf(buf, n, "%s (%s)", name, p->upn);
	return buf;
}

void
cli_upn_normalise(const char *typed, char *out, size_t n)
{
	size_t o = 0;

	/* UPNs are capitals; forgive spaces and lower case as typed. */
	for (const char *s = typed; *s != '\0' && o + 1 < n; s++)
		if (!isspace((unsigned char)*s))
			out[o++] = (char)toupper((unsigned char)*s);
	out[o] = '\0';
}

int
cli_find_pupil(struct cli *c, struct db *db, const char *typed,
    struct pupil *p)
{
	char upn[32];
	struct serr e;
	int rc;

	cli_upn_normalise(typed, upn, sizeof upn);
	serr_clear(&e);
	pupil_init(p);
	rc = pupil_find_upn(db, upn, p, &e);
	if (rc == SE_NOTFOUND) {
		/* A mistyped UPN is bad data: say what is wrong with it. */
		if (upn_validate(upn, &e) != 0)
			return cli_fail(&e);
		return cli_error(EX_NOINPUT, "UPN %s: no such pupil in %s", upn,
		    c->db_path);
	}
	if (rc != 0)
		return cli_fail(&e);
	return 0;
}

int
cli_open_cycle(struct cli *c, struct db *db, const struct pupil *p,
    struct cycle *cy)
{
	char label[2 * NAME_MAX_BYTES + 32];
	struct serr e;
	int rc;

	serr_clear(&e);
	cycle_init(cy);
	rc = cycle_open_for(db, p->id, cy, &e);
	if (rc == SE_NOTFOUND)
		return cli_error(EX_DATAERR, "%s: %s has no open cycle (start "
		    "one with 'senco cycle start %s')", c->what,
		    cli_pupil_label(p, label, sizeof label), p->upn);
	if (rc != 0)
		return cli_fail(&e);
	return 0;
}

/* --- values ---------------------------------------------------------------- */

int
cli_date(const char *s, const char *what, sdate *out)
{
	struct serr e;

	serr_clear(&e);
	if (date_parse(s, out, what, &e) != 0)
		return cli_fail(&e);
	return 0;
}

int
cli_int(const struct cli *c, const char *s, const char *what, long min,
    long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return cli_error(EX_DATAERR, "%s: '%s' is not a whole number "
		    "from %ld to %ld", what, s, min, max);
	*out = v;
	return 0;
}

int
cli_number(const struct cli *c, const char *s, const char *what,
    double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* strtod would take "nan", "inf" and hex: only decimals here. */
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(v) ||
	    strpbrk(s, "xXnNiI") != NULL)
		return cli_error(EX_DATAERR, "%s: '%s' is not a number", what, s);
	*out = v;
	return 0;
}

int
cli_money(const struct cli *c, const char *s, const char *what,
    int64_t *out)
{
	const char *p = s;
	int64_t pounds = 0;
	int pence = 0, digits = 0, places = 0;

	if (strncmp(p, "£", strlen("£")) == 0)
		p += strlen("£");
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (pounds > INT64_MAX / 1000)
			goto bad;
		pounds = pounds * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && places < 2; p++, places++)
			pence = pence * 10 + (*p - '0');
		if (places == 0)
			goto bad;
		if (places == 1)
			pence *= 10;
	}
	if (*p != '\0' || digits == 0)
		goto bad;
	*out = pounds * 100 + pence;
	return 0;
bad:
	return cli_error(EX_DATAERR, "%s: '%s' is not an amount in pounds "
	    "(e.g. 12.50)", what, s);
}

int
cli_copy(char *buf, size_t n, const char *s, const char *what)
{
	if (strlen(s) >= n)
		return cli_error(EX_DATAERR, "%s: too long (at most %zu bytes)",
		    what, n - 1);
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

int
cli_format(const struct cli *c, const char *s, enum table_format *f)
{
	struct serr e;

	serr_clear(&e);
	if (table_format_parse(s, f, &e) != 0)
		return cli_usage(c, "%s", e.msg);
	return 0;
}

void
cli_put_text(const char *s, int indent)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\n')
			printf("\n%*s", indent, "");
		else if (ch == '\t')
			putchar(' ');
		else if (ch < 0x20 || ch == 0x7f)
			putchar('?');
		else if (ch == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] < 0xa0) {
			/* A C1 control (U+0080..U+009F): CSI and friends. */
			putchar('?');
			s++;
		} else
			putchar(ch);
	}
}

/* Width of the label column of cli_kv. */
#define KV_LABEL_WIDTH 17

void
cli_kv(const char *label, const char *value, bool always)
{
	if (!always && (value == NULL || *value == '\0'))
		return;
	printf("%-*s", KV_LABEL_WIDTH, label);
	cli_put_text(value, KV_LABEL_WIDTH);
	putchar('\n');
}

char *
cli_show_date(sdate d, enum table_format f, char *buf)
{
	return f == TABLE_ALIGNED ? date_show(d, buf) : date_iso(d, buf);
}

char *
cli_show_money(int64_t pence, enum table_format f, char *buf, size_t n)
{
	if (f == TABLE_ALIGNED)
		return derive_money(pence, buf, n);
	snprintf(buf, n, "%s%lld.%02lld", pence < 0 ? "-" : "",
	    (long long)(llabs(pence) / 100), (long long)(llabs(pence) % 100));
	return buf;
}
