/*
 * cmd_import.c: senco import FILE [--dry-run] [--skip-bad] [--verbose]:
 * a pupil list from the school's MIS (CSV/TSV) or a Common Transfer File
 * (XML), told apart by content.
 *
 * Refused rows and notices are diagnostics ("file:line: field: why") and
 * go to stderr; what would be (or was) added and changed goes to stdout
 * in a dry run or with --verbose, then the summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_io.h"
#include "core/import.h"
#include "io/importfile.h"

/* Text from a file on a terminal: control characters (C0, DEL, C1)
 * become '?', so a crafted file cannot send escape sequences. */
static void
put_safe(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			fputc('?', fp);
		else if (ch == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] < 0xa0) {
			fputc('?', fp);
			s++;
		} else
			fputc(ch, fp);
	}
	fputc('\n', fp);
}

static void
print_result(const struct import_result *res, bool plan)
{
	char *line;

	for (int i = 0; i < res->n_msgs; i++) {
		const struct import_msg *m = &res->msgs[i];
		FILE *fp;

		if (m->kind == IMSG_REFUSED || m->kind == IMSG_NOTICE)
			fp = stderr;
		else if (plan)
			fp = stdout;
		else
			continue;
		if (fp == stderr)
			fflush(stdout);
		line = import_msg_format(res, m);
		put_safe(fp, line);
		free(line);
	}
	fflush(stderr);
	line = import_summary(res);
	/* The summary holds the file name: guard it too, line by line. */
	for (char *s = line, *nl; *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		*nl = '\0';
		put_safe(stdout, s);
	}
	free(line);
}

static int
run_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "skip-bad", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "FILE" };
	struct import_opts o = { 0 };
	struct import_result res;
	struct db *db = NULL;
	struct serr e;
	bool verbose = false;
	const char *path;
	int ch, status, rc;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'n':
			o.dry_run = true;
			break;
		case 's':
			o.skip_bad = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return status;
	path = argv[optind];
	o.cfg = c->cfg;
	/* What was added and changed is listed only when it is printed. */
	o.quiet = !o.dry_run && !verbose;
	if ((status = cli_open(c, !o.dry_run, &db)) != 0)
		return status;

	serr_clear(&e);
	import_result_init(&res, path);
	rc = importfile_run(db, path, &o, &res, &e);
	db_close(db);
	if (rc != 0 && res.rows == 0 && res.n_msgs == 0) {
		/* The file could not be read at all. */
		status = rc == SE_NOTFOUND ? cli_error(EX_NOINPUT, "%s",
		    e.msg) : cli_fail(&e);
		goto out;
	}
	print_result(&res, o.dry_run || verbose);
	if (rc == 0) {
		status = 0;
		if (res.refused > 0)
			cli_error(0, "warning: %d pupil%s refused and left out "
			    "(listed above)", res.refused,
			    res.refused == 1 ? "" : "s");
	} else if (res.refused > 0 && !o.skip_bad && e.code == SE_INVALID)
		status = cli_error(EX_DATAERR, "%s (fix the rows listed, or "
		    "use --skip-bad to import the others)", e.msg);
	else
		status = cli_fail(&e);
out:
	import_result_free(&res);
	return status;
}

static const struct cli_sub import_subs[] = {
	{ NULL, "FILE [--dry-run] [--skip-bad] [--verbose]",
	  "add and update pupils from an MIS list or a CTF",
	  "  --dry-run    show what would be added, changed and refused; "
	  "write nothing\n"
	  "  --skip-bad   import the good rows even if some are refused (the "
	  "refused\n"
	  "               ones are still listed)\n"
	  "  --verbose    list every pupil added or changed\n"
	  "\n"
	  "Pupils are matched by UPN: new ones are added, changed fields are "
	  "updated\n(a change of SEN status starts a new entry in the "
	  "history). The import is\none transaction: if any row is refused, "
	  "nothing is written unless --skip-bad\nis given. Columns are "
	  "recognised by their usual MIS names (UPN, Legal\nSurname, DOB, NC "
	  "Year, Reg, SEN Status, Primary Need, FSM ...); others can be\nnamed "
	  "in the configuration (import.columns, see senco.conf(5)).\n",
	  run_import },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_import = {
	"import", "bring pupils in from an MIS export or a CTF", import_subs
};
