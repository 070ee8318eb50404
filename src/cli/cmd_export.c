/*
 * cmd_export.c: senco export pupils|targets|provision|cycles [--format
 * csv|tsv] [--archived] [-o FILE], and senco export ctf UPN... [-o FILE].
 *
 * Output goes to stdout, or to a new file made 0600 (it holds pupils'
 * personal data) that is never written over: an existing file is refused
 * and a failed export removes what it began.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_io.h"
#include "io/ctf.h"
#include "io/export.h"

/* cli_getopt with the short option -o FILE as well (cli_getopt knows
 * -h alone); the same one-line messages. */
static int
export_getopt(struct cli *c, int argc, char **argv,
    const struct option *opts)
{
	int ch = getopt_long(argc, argv, ":ho:", opts, NULL);
	const char *arg = optind >= 1 && optind - 1 < argc ?
	    argv[optind - 1] : "";

	if (ch == '?') {
		if (optopt == 0)
			cli_usage(c, "unknown option '%s'", arg);
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

/* A new private file for the output. Returns an exit status. */
static int
open_output(const char *path, FILE **out)
{
	int fd;

	*out = NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0 && errno == EEXIST)
		return cli_error(EX_CANTCREAT, "%s: already exists; senco does "
		    "not write over a file (choose another name)", path);
	if (fd < 0)
		return cli_error(EX_CANTCREAT, "%s: %s", path, strerror(errno));
	if ((*out = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		return cli_error(EX_IOERR, "%s: %s", path, strerror(errno));
	}
	return 0;
}

/* Close the output; on failure (or if status says so) remove it. */
static int
close_output(const char *path, FILE *fp, int status)
{
	if (fp == NULL || fp == stdout)
		return status;
	if (fclose(fp) != 0 && status == 0)
		status = cli_error(EX_IOERR, "%s: %s", path, strerror(errno));
	if (status != 0)
		unlink(path);
	return status;
}

static int
run_table(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "archived", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct export_opts o = { .format = TABLE_CSV };
	enum export_kind kind;
	const char *out_path = NULL;
	struct db *db = NULL;
	FILE *fp = stdout;
	struct serr e;
	int ch, status, rows = 0;

	serr_clear(&e);
	if (export_kind_parse(c->sub->name, &kind, &e) != 0)
		return cli_fail(&e);
	cli_opt_begin();
	while ((ch = export_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f':
			if ((status = cli_format(c, optarg, &o.format)) != 0)
				return status;
			if (o.format == TABLE_ALIGNED)
				return cli_usage(c, "an export is csv or tsv, "
				    "not '%s'", optarg);
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'a':
			o.include_archived = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return status;
	if ((status = cli_open(c, false, &db)) != 0)
		return status;
	if (out_path != NULL && (status = open_output(out_path, &fp)) != 0)
		goto out;
	/* 64 KB writes, not 4 KB: 100,000 pupils are 9 MB */
	if (fp != stdout || !isatty(STDOUT_FILENO)) {
		static char buf[1 << 16];	/* glibc takes no size alone */

		setvbuf(fp, buf, _IOFBF, sizeof buf);
	}
	if (export_write(db, kind, &o, fp, &rows, &e) != 0)
		status = cli_fail(&e);
	status = close_output(out_path, fp, status);
	if (status == 0 && out_path != NULL)
		printf("Wrote %d line%s of %s to %s.\n", rows,
		    rows == 1 ? "" : "s", export_kind_name(kind), out_path);
out:
	db_close(db);
	return status;
}

static int
run_ctf(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "UPN" };
	const char *out_path = NULL;
	struct db *db = NULL;
	FILE *fp = stdout;
	struct serr e;
	int ch, status, n;

	cli_opt_begin();
	while ((ch = export_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 1, 100000, names)) != 0)
		return status;
	n = argc - optind;
	if (c->cfg->la_number == 0 || c->cfg->estab_number == 0)
		cli_error(0, "warning: the school's LA and establishment "
		    "numbers are not in the configuration (school.la, "
		    "school.estab): the CTF's SourceSchool leaves them out");
	if ((status = cli_open(c, false, &db)) != 0)
		return status;
	serr_clear(&e);
	/* ctf_write looks every UPN up before writing; a wrong one leaves
	 * the new file empty, and close_output removes it. */
	if (out_path != NULL && (status = open_output(out_path, &fp)) != 0)
		goto out;
	if (ctf_write(db, c->cfg, (const char *const *)argv + optind, n, fp,
	    &e) != 0)
		status = cli_fail(&e);
	status = close_output(out_path, fp, status);
	if (status == 0 && out_path != NULL)
		printf("Wrote a Common Transfer File for %d pupil%s to %s.\n",
		    n, n == 1 ? "" : "s", out_path);
out:
	db_close(db);
	return status;
}

#define TABLE_OPTIONS \
	"  --format F    csv (default) or tsv\n" \
	"  --archived    include pupils who have left\n" \
	"  -o, --output FILE\n" \
	"                write to a new file (made readable by you alone; an " \
	"existing\n" \
	"                file is never written over) instead of standard " \
	"output\n" \
	"\nRatings are written as date:value;... oldest first. Cells that " \
	"a spreadsheet\nwould run as formulas (=, +, -, @) get a leading " \
	"apostrophe.\n"

static const struct cli_sub export_subs[] = {
	{ "pupils", "[--format csv|tsv] [--archived] [-o FILE]",
	  "the pupils as CSV, in the form import reads",
	  TABLE_OPTIONS, run_table },
	{ "targets", "[--format csv|tsv] [--archived] [-o FILE]",
	  "every target with its ratings and outcome",
	  TABLE_OPTIONS, run_table },
	{ "provision", "[--format csv|tsv] [--archived] [-o FILE]",
	  "the provision map with cost per pupil per year",
	  TABLE_OPTIONS, run_table },
	{ "cycles", "[--format csv|tsv] [--archived] [-o FILE]",
	  "every cycle with its review decision",
	  TABLE_OPTIONS, run_table },
	{ "ctf", "UPN... [-o FILE]",
	  "a Common Transfer File (SEN part) for leavers",
	  "  -o, --output FILE\n"
	  "                write to a new file (readable by you alone) "
	  "instead of\n"
	  "                standard output\n"
	  "\n"
	  "The file holds each pupil's identity, year group, SEN status "
	  "history and\nranked needs, from this school (school.la, "
	  "school.estab, school.name in the\nconfiguration) to a destination "
	  "not yet known. 'senco import' reads it.\n",
	  run_ctf },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_export = {
	"export", "the caseload as spreadsheets, or a CTF for leavers",
	export_subs
};
