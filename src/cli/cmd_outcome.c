/*
 * cmd_outcome.c: senco results import|list and senco attendance
 * import|list: assessment results and attendance per term, brought in
 * from the MIS for the whole roll, and one pupil's as a list. The
 * figures made from them are senco report gap and senco report
 * attendance (cmd_report.c).
 *
 * An import prints as senco import does: refused rows and notices are
 * diagnostics on stderr ("file:line: column: why"); what is (or would
 * be) added and changed goes to stdout in a dry run or with --verbose,
 * then the summary.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_outcome.h"
#include "core/outcome.h"
#include "core/xmalloc.h"
#include "io/outcomefile.h"

static const char *const upn_name[] = { "UPN" };

/* Text from a file on a terminal: control characters become '?', so a
 * crafted file cannot send escape sequences. */
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
print_result(const struct import_result *res, bool plan, const char *noun)
{
	char *line;

	for (int i = 0; i < res->n_msgs; i++) {
		const struct import_msg *m = &res->msgs[i];
		bool diag = m->kind == IMSG_REFUSED || m->kind == IMSG_NOTICE;

		if (!diag && !plan)
			continue;
		if (diag)
			fflush(stdout);
		line = import_msg_format(res, m);
		put_safe(diag ? stderr : stdout, line);
		free(line);
	}
	fflush(stderr);
	line = outcome_import_summary(res, noun);
	for (char *s = line, *nl; *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		*nl = '\0';
		put_safe(stdout, s);
	}
	free(line);
}

static int
run_import(struct cli *c, int argc, char **argv,
    enum outcome_import_kind kind, const char *noun)
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
	o.cfg = c->cfg;
	if ((status = cli_open(c, !o.dry_run, &db)) != 0)
		return status;
	serr_clear(&e);
	import_result_init(&res, argv[optind]);
	rc = outcomefile_run(db, kind, argv[optind], &o, &res, &e);
	db_close(db);
	if (rc != 0 && res.rows == 0 && res.n_msgs == 0) {
		/* The file could not be read as a table at all. */
		status = rc == SE_NOTFOUND ? cli_error(EX_NOINPUT, "%s",
		    e.msg) : cli_fail(&e);
		goto out;
	}
	print_result(&res, o.dry_run || verbose, noun);
	if (rc == 0) {
		status = 0;
		if (res.refused > 0)
			cli_error(0, "warning: %d %s%s refused and left out "
			    "(listed above)", res.refused, noun,
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

static int
run_results_import(struct cli *c, int argc, char **argv)
{
	return run_import(c, argc, argv, OUTCOME_RESULTS, "result");
}

static int
run_attendance_import(struct cli *c, int argc, char **argv)
{
	return run_import(c, argc, argv, OUTCOME_ATTENDANCE,
	    "attendance record");
}

/* --- lists ---------------------------------------------------------------- */

/* --format and one UPN. Returns -1 to go on, or an exit status. */
static int
list_options(struct cli *c, int argc, char **argv, enum table_format *f)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, st;

	*f = TABLE_ALIGNED;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f':
			if ((st = cli_format(c, optarg, f)) != 0)
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
	return -1;
}

struct result_rows {
	const struct config *cfg;
	struct table *t;
	enum table_format f;
	sdate dob;
};

static int
add_result(void *ctx, const struct result *r)
{
	static const char *const words[] = { "below", "expected",
	    "greater depth" };
	struct result_rows *x = ctx;
	enum result_standard std;
	char value[32], date[16];
	bool gd;

	std = outcome_judge(x->cfg, r, x->dob, &gd);
	const char *cells[] = {
		r->point, r->subject, result_value_show(r, value, sizeof value),
		result_kind_code(r->kind), cli_show_date(r->assessed_on, x->f,
		date), std == STD_UNJUDGED ? "" : words[std]
	};
	table_add(x->t, cells);
	return 0;
}

static int
run_results_list(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "Point", "Subject", "Result", "Type",
	    "Date", "Standard" };
	struct result_rows x;
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	memset(&x, 0, sizeof x);
	if ((st = list_options(c, argc, argv, &x.f)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.cfg = c->cfg;
	x.dob = p.dob;
	x.t = table_new(6, h);
	serr_clear(&e);
	if (result_list(db, p.id, add_result, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, x.f);
	table_free(x.t);
out:
	db_close(db);
	return st;
}

struct att_rows {
	struct table *t;
};

static int
add_attendance(void *ctx, const struct attendance_rec *a)
{
	struct att_rows *x = ctx;
	char pos[16] = "", att[16] = "", pct[16];

	if (a->possible >= 0) {
		snprintf(pos, sizeof pos, "%d", a->possible);
		snprintf(att, sizeof att, "%d", a->attended);
	}
	snprintf(pct, sizeof pct, "%.1f", a->percent);
	const char *cells[] = {
		a->term, pos, att, pct,
		a->percent < ATTENDANCE_PERSISTENT_BELOW ? "yes" : ""
	};
	table_add(x->t, cells);
	return 0;
}

static int
run_attendance_list(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "Term", "Possible", "Attended",
	    "Attendance %", "Persistently absent" };
	enum table_format f;
	struct att_rows x;
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	if ((st = list_options(c, argc, argv, &f)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.t = table_new(5, h);
	for (int i = 1; i <= 3; i++)
		table_align_right(x.t, i);
	serr_clear(&e);
	if (attendance_list(db, p.id, add_attendance, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, f);
	table_free(x.t);
out:
	db_close(db);
	return st;
}

/* --- the commands --------------------------------------------------------- */

#define IMPORT_OPTIONS \
	"  --dry-run    show what would be added, changed and refused; " \
	"write nothing\n" \
	"  --skip-bad   import the good rows even if some are refused (the " \
	"refused\n" \
	"               ones are still listed)\n" \
	"  --verbose    list every row added or changed\n" \
	"\n"

static const struct cli_sub results_subs[] = {
	{ "import", "FILE [--dry-run] [--skip-bad] [--verbose]",
	  "add assessment results of the whole roll from an MIS export",
	  IMPORT_OPTIONS
	  "Columns: UPN, Subject, Assessment Point (or Point), Result, and "
	  "optionally\nType (band, score or age) and Date (assessed). A "
	  "result is a band of the\nconfigured scale (default WTS, EXS, GDS "
	  "...), a scaled or standardised score,\nor a reading or spelling "
	  "age (years:months, e.g. 8:06, or months in a\n\"Reading age\" "
	  "subject). Every UPN must be in the caseload: import the roll\nas "
	  "pupils first (status N too). A result already stored for the "
	  "pupil,\npoint and subject is replaced. One transaction: if any row "
	  "is refused,\nnothing is written unless --skip-bad is given.\n",
	  run_results_import },
	{ "list", "UPN [--format F]",
	  "a pupil's results, oldest first, judged against the standards",
	  "  --format F   table (default), csv or tsv\n", run_results_list },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_results = {
	"results", "assessment results of the whole roll (attainment)",
	results_subs
};

static const struct cli_sub attendance_subs[] = {
	{ "import", "FILE [--dry-run] [--skip-bad] [--verbose]",
	  "add attendance per pupil per term from an MIS export",
	  IMPORT_OPTIONS
	  "Columns: UPN, Term (e.g. Autumn 2026, Spring 2026/27), and "
	  "Attendance % or\nPossible and Attended (sessions), or all three "
	  "when they agree. Refused:\nattended more than possible, a "
	  "percentage outside 0 to 100, a term that is\nnot Autumn, Spring or "
	  "Summer and a year, or one that has not begun. A term\nalready "
	  "stored for the pupil is replaced.\n",
	  run_attendance_import },
	{ "list", "UPN [--format F]",
	  "a pupil's attendance per term, oldest first",
	  "  --format F   table (default), csv or tsv\n", run_attendance_list },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_attendance = {
	"attendance", "attendance per pupil per term", attendance_subs
};
