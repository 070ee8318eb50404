/*
 * cmd_plan.c: senco plan UPN [--format html|md|txt] [-o FILE]: the SEN
 * support plan / review record of one pupil, to print or send to the
 * parents (io/plan.h does the writing).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_report.h"
#include "io/plan.h"

static const char *const upn_name[] = { "UPN" };

/*
 * cli_getopt() knows only -h among short options; the plan also takes
 * -o, as cc and tar do. The same one-line messages otherwise.
 */
static int
plan_getopt(struct cli *c, int argc, char **argv, const struct option *opts)
{
	int ch = getopt_long(argc, argv, ":ho:", opts, NULL);
	const char *arg = optind >= 1 && optind - 1 < argc ?
	    argv[optind - 1] : "";

	if (ch == '?') {
		if (optopt != 0)
			cli_usage(c, "unknown option '-%c'", optopt);
		else if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=') != NULL)
			cli_usage(c, "option '%.*s' takes no value",
			    (int)(strchr(arg, '=') - arg), arg);
		else
			cli_usage(c, "unknown option '%s'", arg);
		return '?';
	}
	if (ch == ':') {
		if (optopt == 'o')
			cli_usage(c, "option '-o' needs a value");
		else
			cli_usage(c, "option '%s' needs a value", arg);
		return '?';
	}
	return ch;
}

static int
run_plan(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "today", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct plan_opts po = { NULL, SDATE_NONE };
	enum plan_format f = PLAN_HTML;
	bool format_given = false;
	const char *out_path = NULL;
	char label[2 * NAME_MAX_BYTES + 32];
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	serr_clear(&e);
	cli_opt_begin();
	while ((ch = plan_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f':
			if (plan_format_parse(optarg, &f, &e) != 0)
				return cli_usage(c, "%s", e.msg);
			format_given = true;
			break;
		case 'o':
			if (*optarg == '\0')
				return cli_usage(c, "-o: no file given");
			out_path = optarg;
			break;
		case 't':
			if ((st = cli_date(optarg, "--today", &po.today)) != 0)
				return st;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	/* "-o plan.md" says markdown without --format. */
	if (!format_given && out_path != NULL &&
	    plan_format_for_path(out_path) >= 0)
		f = (enum plan_format)plan_format_for_path(out_path);
	po.school = c->cfg->school_name;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if (out_path == NULL) {
		if (plan_write(db, p.id, f, &po, stdout, &e) != 0)
			st = cli_fail(&e);
	} else if (plan_save(db, p.id, f, &po, out_path, &e) != 0) {
		st = e.code == SE_EXISTS || e.code == SE_IO ?
		    cli_error(EX_CANTCREAT, "%s", e.msg) : cli_fail(&e);
	} else
		printf("Wrote the plan of %s to %s.\n",
		    cli_pupil_label(&p, label, sizeof label), out_path);
out:
	db_close(db);
	return st;
}

static const struct cli_sub plan_subs[] = {
	{ NULL, "UPN [--format html|md|txt] [-o FILE] [--today DATE]",
	  "the pupil's SEN support plan / review record, to share with "
	  "parents",
	  "  --format F    html (the default: one file to print on A4 or "
	  "open in any\n"
	  "                browser), md (markdown) or txt (80 columns)\n"
	  "  -o, --output FILE\n"
	  "                write to a new file (mode 0600; never over an "
	  "existing one);\n"
	  "                its ending (.html, .md, .txt) sets the format\n"
	  "  --today DATE  the date printed on the plan (default: today)\n"
	  "The plan is of the open cycle, else of the last one (a review "
	  "record).\n"
	  "It leaves out the UPN, the vulnerable-group flags, attendance, "
	  "costs and\nstaff working notes.\n",
	  run_plan },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_plan = { "plan", "", plan_subs };
