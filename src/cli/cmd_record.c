/*
 * cmd_record.c: senco note|exclusion|agency add|list: the dated contact
 * log, exclusions, and outside-agency involvement of a pupil.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/record.h"
#include "core/xmalloc.h"

static const char *const upn_name[] = { "UPN" };

static const char *const note_kinds[] = {
	"meeting", "phone", "email", "letter", "other",
};
static const char *const agency_statuses[] = {
	"referred", "involved", "advice received", "closed",
};

/* Match s against words (any case) into the canonical spelling. */
static const char *
pick(const char *s, const char *const words[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, words[i]) == 0)
			return words[i];
	return NULL;
}

/* The options every list subcommand here takes: --format. Returns -1 to
 * go on, or an exit status. */
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

/* --- notes ------------------------------------------------------------------ */

static int
run_note_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "text", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *text = NULL, *kind = "other";
	char label[2 * NAME_MAX_BYTES + 32], d[16];
	sdate on = SDATE_NONE;
	struct note n;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't':
			text = optarg;
			break;
		case 'k':
			kind = pick(optarg, note_kinds,
			    sizeof note_kinds / sizeof note_kinds[0]);
			if (kind == NULL)
				return cli_error(EX_DATAERR, "note kind '%s' is "
				    "not meeting, phone, email, letter or "
				    "other", optarg);
			break;
		case 'd':
			if ((st = cli_date(optarg, "note date", &on)) != 0)
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
	if (text == NULL)
		return cli_usage(c, "missing --text");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	memset(&n, 0, sizeof n);
	n.pupil_id = p.id;
	n.on = on;
	snprintf(n.kind, sizeof n.kind, "%s", kind);
	n.text = xstrdup(text);
	serr_clear(&e);
	if (note_add(db, &n, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Noted a %s for %s on %s.\n", n.kind,
		    cli_pupil_label(&p, label, sizeof label),
		    date_show(n.on != SDATE_NONE ? n.on : date_today(), d));
	note_free(&n);
out:
	db_close(db);
	return st;
}

struct list_ctx {
	struct table *t;
	enum table_format f;
};

static int
note_row(void *ctx, const struct note *n)
{
	struct list_ctx *x = ctx;
	char on[16];
	const char *cells[] = { cli_show_date(n->on, x->f, on), n->kind,
	    n->author, n->text };

	table_add(x->t, cells);
	return 0;
}

static int
run_note_list(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "Date", "Kind", "By", "Text" };
	struct list_ctx x = { NULL, TABLE_ALIGNED };
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	if ((st = list_options(c, argc, argv, &x.f)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.t = table_new(4, h);
	serr_clear(&e);
	if (note_list(db, p.id, note_row, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, x.f);
	table_free(x.t);
out:
	db_close(db);
	return st;
}

/* --- exclusions ---------------------------------------------------------- */

static int
run_exclusion_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "kind", required_argument, NULL, 'k' },
		{ "sessions", required_argument, NULL, 's' },
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char label[2 * NAME_MAX_BYTES + 32], d[16];
	const char *reason = NULL;
	struct exclusion x;
	bool kind = false;
	long sessions = -1;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	memset(&x, 0, sizeof x);
	x.on = SDATE_NONE;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'd':
			if ((st = cli_date(optarg, "exclusion date", &x.on)) != 0)
				return st;
			break;
		case 'k':
			if (strcasecmp(optarg, "suspension") == 0 ||
			    strcasecmp(optarg, "fixed-term") == 0)
				x.kind = EXCLUSION_SUSPENSION;
			else if (strcasecmp(optarg, "permanent") == 0)
				x.kind = EXCLUSION_PERMANENT;
			else
				return cli_error(EX_DATAERR, "exclusion kind "
				    "'%s' is not suspension or permanent",
				    optarg);
			kind = true;
			break;
		case 's':
			if ((st = cli_int(c, optarg, "sessions", 1, 90,
			    &sessions)) != 0)
				return st;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if (x.on == SDATE_NONE)
		return cli_usage(c, "missing --date");
	if (!kind)
		return cli_usage(c, "missing --kind (suspension or permanent)");
	if (x.kind == EXCLUSION_SUSPENSION && sessions < 0)
		return cli_usage(c, "a suspension needs --sessions (half days "
		    "missed)");
	if (x.kind == EXCLUSION_PERMANENT && sessions >= 0)
		return cli_usage(c, "--sessions is for suspensions");
	x.sessions = sessions > 0 ? (int)sessions : 0;
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.pupil_id = p.id;
	x.reason = xstrdup(reason);
	serr_clear(&e);
	if (exclusion_add(db, &x, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Recorded a %s of %s on %s.\n",
		    x.kind == EXCLUSION_PERMANENT ? "permanent exclusion" :
		    "suspension", cli_pupil_label(&p, label, sizeof label),
		    date_show(x.on, d));
	exclusion_free(&x);
out:
	db_close(db);
	return st;
}

static int
exclusion_row(void *ctx, const struct exclusion *xc)
{
	struct list_ctx *x = ctx;
	char on[16], sessions[12];

	if (xc->kind == EXCLUSION_SUSPENSION)
		snprintf(sessions, sizeof sessions, "%d", xc->sessions);
	else
		sessions[0] = '\0';
	const char *cells[] = { cli_show_date(xc->on, x->f, on),
	    xc->kind == EXCLUSION_PERMANENT ? "permanent" : "suspension",
	    sessions, xc->reason };

	table_add(x->t, cells);
	return 0;
}

static int
run_exclusion_list(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "Date", "Kind", "Sessions",
	    "Reason" };
	struct list_ctx x = { NULL, TABLE_ALIGNED };
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	if ((st = list_options(c, argc, argv, &x.f)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.t = table_new(4, h);
	table_align_right(x.t, 2);
	serr_clear(&e);
	if (exclusion_list(db, p.id, exclusion_row, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, x.f);
	table_free(x.t);
out:
	db_close(db);
	return st;
}

/* --- agencies ---------------------------------------------------------------- */

/* The configured spelling of an agency typed in any case, else as typed. */
static const char *
agency_name(const struct config *cfg, const char *typed)
{
	for (int i = 0; i < cfg->n_agencies; i++)
		if (strcasecmp(cfg->agencies[i], typed) == 0)
			return cfg->agencies[i];
	return typed;
}

static int
run_agency_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "agency", required_argument, NULL, 'a' },
		{ "referred", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "advice", required_argument, NULL, 'v' },
		{ "notes", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *agency = NULL, *status = NULL, *notes = NULL;
	char label[2 * NAME_MAX_BYTES + 32];
	struct agency a;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	memset(&a, 0, sizeof a);
	a.referred_on = a.advice_on = SDATE_NONE;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		st = 0;
		switch (ch) {
		case 'a':
			agency = optarg;
			break;
		case 'r':
			st = cli_date(optarg, "referral date", &a.referred_on);
			break;
		case 'v':
			st = cli_date(optarg, "advice date", &a.advice_on);
			break;
		case 's':
			status = pick(optarg, agency_statuses,
			    sizeof agency_statuses / sizeof agency_statuses[0]);
			if (status == NULL)
				return cli_error(EX_DATAERR, "agency status '%s' "
				    "is not referred, involved, advice received "
				    "or closed", optarg);
			break;
		case 'n':
			notes = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
		if (st != 0)
			return st;
	}
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if (agency == NULL)
		return cli_usage(c, "missing --agency (e.g. EP, SALT, CAMHS)");
	if (a.referred_on == SDATE_NONE)
		return cli_usage(c, "missing --referred (the referral date)");
	if ((st = cli_copy(a.agency, sizeof a.agency,
	    agency_name(c->cfg, agency), "agency")) != 0)
		return st;
	/* Advice on file means advice received, unless told otherwise. */
	if (status == NULL)
		status = a.advice_on != SDATE_NONE ? "advice received" :
		    "referred";
	snprintf(a.status, sizeof a.status, "%s", status);
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	a.pupil_id = p.id;
	a.notes = xstrdup(notes);
	serr_clear(&e);
	if (agency_add(db, &a, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Recorded %s involvement for %s (%s).\n", a.agency,
		    cli_pupil_label(&p, label, sizeof label), a.status);
	agency_free(&a);
out:
	db_close(db);
	return st;
}

static int
agency_row(void *ctx, const struct agency *a)
{
	struct list_ctx *x = ctx;
	char ref[16], adv[16];
	const char *cells[] = { a->agency, cli_show_date(a->referred_on, x->f,
	    ref), a->status, cli_show_date(a->advice_on, x->f, adv),
	    a->notes };

	table_add(x->t, cells);
	return 0;
}

static int
run_agency_list(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "Agency", "Referred", "Status",
	    "Advice", "Notes" };
	struct list_ctx x = { NULL, TABLE_ALIGNED };
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	if ((st = list_options(c, argc, argv, &x.f)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	x.t = table_new(5, h);
	serr_clear(&e);
	if (agency_list(db, p.id, agency_row, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, x.f);
	table_free(x.t);
out:
	db_close(db);
	return st;
}

/* --- the table --------------------------------------------------------------- */

#define FORMAT_HELP "  --format F   table (default), csv or tsv\n"

static const struct cli_sub note_subs[] = {
	{ "add", "UPN --text TEXT [--kind KIND] [--date DATE]",
	  "add a dated note to a pupil's contact log",
	  "  --text TEXT   what was said or agreed\n"
	  "  --kind KIND   meeting, phone, email, letter or other (default)\n"
	  "  --date DATE   the day (default today)\n", run_note_add },
	{ "list", "UPN [--format F]", "list a pupil's notes, newest first",
	  FORMAT_HELP, run_note_list },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_note = {
	"note", "the dated contact log of a pupil", note_subs
};

static const struct cli_sub exclusion_subs[] = {
	{ "add", "UPN --date DATE --kind suspension|permanent [--sessions N] "
	  "[--reason TEXT]",
	  "record a suspension or permanent exclusion",
	  "  --date DATE       the first day\n"
	  "  --kind K          suspension (fixed-term) or permanent\n"
	  "  --sessions N      sessions (half days) of a suspension\n"
	  "  --reason TEXT     the reason given\n", run_exclusion_add },
	{ "list", "UPN [--format F]", "list a pupil's exclusions",
	  FORMAT_HELP, run_exclusion_list },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_exclusion = {
	"exclusion", "suspensions and permanent exclusions", exclusion_subs
};

static const struct cli_sub agency_subs[] = {
	{ "add", "UPN --agency NAME --referred DATE [--status S] "
	  "[--advice DATE] [--notes TEXT]",
	  "record an outside agency's involvement",
	  "  --agency NAME     e.g. EP, SALT, CAMHS, OT (the configured "
	  "spelling is used)\n"
	  "  --referred DATE   the referral date\n"
	  "  --status S        referred, involved, advice received or closed\n"
	  "                    (default: referred, or advice received with "
	  "--advice)\n"
	  "  --advice DATE     the day advice was received\n"
	  "  --notes TEXT      notes\n", run_agency_add },
	{ "list", "UPN [--format F]", "list a pupil's agency involvement",
	  FORMAT_HELP, run_agency_list },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_agency = {
	"agency", "outside agencies involved with a pupil", agency_subs
};
