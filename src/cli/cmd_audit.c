/*
 * cmd_audit.c: senco audit: who changed what about a pupil, and when.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/audit.h"

struct audit_ctx {
	struct table *t;
};

static int
audit_line(void *ctx, const struct audit_entry *a)
{
	struct audit_ctx *x = ctx;
	char who[140], what[64];
	const char *cells[5];

	if (strcmp(a->author, a->login) == 0)
		snprintf(who, sizeof who, "%s", a->login);
	else
		snprintf(who, sizeof who, "%s (%s)", a->author, a->login);
	snprintf(what, sizeof what, "%s %s", a->op, a->table);
	cells[0] = a->at;
	cells[1] = who;
	cells[2] = a->upn;
	cells[3] = what;
	cells[4] = a->changes;
	table_add(x->t, cells);
	return 0;
}

static int
run_audit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const h[] = { "When (UTC)", "Who", "UPN", "What",
	    "Changes" };
	static const char *const names[] = { "UPN" };
	enum table_format f = TABLE_ALIGNED;
	struct audit_ctx x = { NULL };
	sdate since = SDATE_NONE;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 's':
			if ((st = cli_date(optarg, "--since", &since)) != 0)
				return st;
			break;
		case 'f':
			if ((st = cli_format(c, optarg, &f)) != 0)
				return st;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 0, 1, names)) != 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	p.id = 0;
	if (optind < argc &&
	    (st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.t = table_new(5, h);
	serr_clear(&e);
	if (audit_list(db, p.id, since, audit_line, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, f);
	table_free(x.t);
out:
	db_close(db);
	return st;
}

static const struct cli_sub audit_subs[] = {
	{ NULL, "[UPN] [--since DATE] [--format table|csv|tsv]",
	  "the audit trail: who changed what, and when",
	  "  --since DATE     only changes from this date (UTC)\n"
	  "  --format F       table (default), csv or tsv\n"
	  "With a UPN, only the changes about that pupil.\n",
	  run_audit },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_audit = { "audit",
    "the audit trail of every change", audit_subs };
