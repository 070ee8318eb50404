/*
 * cmd_target.c: senco target add|list|rate|outcome|history: the targets
 * of a pupil's open cycle, named on the command line by their position
 * (1, 2, ...) as target list shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "core/cycle.h"
#include "core/derive.h"
#include "core/target.h"
#include "core/xmalloc.h"

static const char *const upn_name[] = { "UPN" };
static const char *const rate_names[] = { "UPN", "N (the target's "
    "number in 'senco target list')", "RATING (0-4)" };
static const char *const outcome_names[] = { "UPN", "N (the target's "
    "number in 'senco target list')", "OUTCOME (achieved, partial, not or "
    "discontinued)" };

/* --- finding a target by position --------------------------------------- */

struct find_target {
	int position;
	int64_t id;
	char *text;		/* heap copy */
};

static int
match_position(void *ctx, const struct target *t)
{
	struct find_target *f = ctx;

	if (t->position != f->position)
		return 0;
	f->id = t->id;
	f->text = xstrdup(t->text != NULL ? t->text : "");
	return 1;		/* found: stop the walk */
}

/*
 * The target at `typed` (a position) in the pupil's open cycle. Returns an
 * exit status; on success f->text is the caller's to free.
 */
static int
find_target(struct cli *c, struct db *db, const struct pupil *p,
    const char *typed, struct find_target *f)
{
	char label[2 * NAME_MAX_BYTES + 32];
	struct cycle cy;
	struct serr e;
	long n;
	int st, rc;

	memset(f, 0, sizeof *f);
	if ((st = cli_int(c, typed, "target number", 1, 1000, &n)) != 0)
		return st;
	if ((st = cli_open_cycle(c, db, p, &cy)) != 0)
		return st;
	f->position = (int)n;
	serr_clear(&e);
	rc = target_list(db, cy.id, match_position, f, &e);
	cycle_free(&cy);
	if (rc < 0)
		return cli_fail(&e);
	if (f->id == 0)
		return cli_error(EX_NOINPUT, "target %ld: %s has no such target "
		    "in the open cycle (see 'senco target list %s')", n,
		    cli_pupil_label(p, label, sizeof label), p->upn);
	return 0;
}

/* --- add ------------------------------------------------------------------ */

static int
run_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "text", required_argument, NULL, 't' },
		{ "criteria", required_argument, NULL, 'c' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "area", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *text = NULL, *criteria = NULL, *baseline = NULL;
	enum area area = AREA_NONE;
	char label[2 * NAME_MAX_BYTES + 32];
	struct target t;
	struct cycle cy;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't':
			text = optarg;
			break;
		case 'c':
			criteria = optarg;
			break;
		case 'b':
			baseline = optarg;
			break;
		case 'a':
			if (area_parse(optarg, &area, &e) != 0)
				return cli_fail(&e);
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
		return cli_usage(c, "missing --text (what the pupil will do)");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = cli_open_cycle(c, db, &p, &cy)) != 0)
		goto out;
	target_init(&t);
	t.cycle_id = cy.id;
	t.text = xstrdup(text);
	t.criteria = xstrdup(criteria);
	t.baseline = xstrdup(baseline);
	t.area = area;
	if (target_add(db, &t, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Added target %d for %s.\n", t.position,
		    cli_pupil_label(&p, label, sizeof label));
	target_free(&t);
	cycle_free(&cy);
out:
	db_close(db);
	return st;
}

/* --- list ------------------------------------------------------------------ */

struct list_ctx {
	struct table *t;
	enum table_format f;
	const struct cycle *cy;
	sdate today;
};

static int
list_target(void *ctx, const struct target *tg)
{
	struct list_ctx *x = ctx;
	char pos[12], rating[40], on[16], need[12];
	int required = derive_required_rating(x->cy->plan_start,
	    x->cy->plan_end, x->today);
	bool track = derive_on_track(tg->latest, x->cy->plan_start,
	    x->cy->plan_end, x->today);
	/* At review the outcome says more than on-track. */
	const char *ontrack = tg->outcome != OUTCOME_NONE ? "" :
	    track ? "yes" : "no";

	snprintf(pos, sizeof pos, "%d", tg->position);
	snprintf(need, sizeof need, "%d", required);
	cli_show_date(tg->latest_on, x->f, on);
	if (x->f == TABLE_ALIGNED) {
		if (tg->latest >= 0)
			snprintf(rating, sizeof rating, "%d %s", tg->latest,
			    rating_name(tg->latest));
		else
			snprintf(rating, sizeof rating, "not rated");
		const char *cells[] = { pos, tg->text, area_code(tg->area),
		    rating, need, ontrack,
		    tg->outcome != OUTCOME_NONE ? outcome_name(tg->outcome) :
		    "" };

		table_add(x->t, cells);
		return 0;
	}
	if (tg->latest >= 0)
		snprintf(rating, sizeof rating, "%d", tg->latest);
	else
		rating[0] = '\0';
	const char *cells[] = { pos, tg->text, area_code(tg->area),
	    tg->criteria, tg->baseline, rating, on, need, ontrack,
	    tg->outcome != OUTCOME_NONE ? outcome_code(tg->outcome) : "" };

	table_add(x->t, cells);
	return 0;
}

static int
run_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const ah[] = { "#", "Target", "Area", "Rating",
	    "Needed", "On track", "Outcome" };
	static const char *const fh[] = { "#", "Target", "Area",
	    "Success criteria", "Baseline", "Rating", "Rated on", "Needed",
	    "On track", "Outcome" };
	enum table_format f = TABLE_ALIGNED;
	struct list_ctx x;
	struct cycle cy;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
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
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = cli_open_cycle(c, db, &p, &cy)) != 0)
		goto out;
	x.f = f;
	x.cy = &cy;
	x.today = date_today();
	x.t = f == TABLE_ALIGNED ? table_new(7, ah) : table_new(10, fh);
	table_align_right(x.t, 0);
	serr_clear(&e);
	if (target_list(db, cy.id, list_target, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, f);
	table_free(x.t);
	cycle_free(&cy);
out:
	db_close(db);
	return st;
}

/* --- rate ------------------------------------------------------------------ */

static int
run_rate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "comment", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *comment = NULL;
	char label[2 * NAME_MAX_BYTES + 32];
	struct find_target ft = { 0, 0, NULL };
	sdate on = SDATE_NONE;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st, rating;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'c':
			comment = optarg;
			break;
		case 'd':
			if ((st = cli_date(optarg, "rating date", &on)) != 0)
				return st;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 3, 3, rate_names)) != 0)
		return st;
	serr_clear(&e);
	if (rating_parse(argv[optind + 2], &rating, &e) != 0)
		return cli_fail(&e);
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0 ||
	    (st = find_target(c, db, &p, argv[optind + 1], &ft)) != 0)
		goto out;
	if (target_rate(db, ft.id, rating, comment, on, NULL, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Rated target %d of %s: %d (%s).\n", ft.position,
		    cli_pupil_label(&p, label, sizeof label), rating,
		    rating_name(rating));
out:
	free(ft.text);
	db_close(db);
	return st;
}

/* --- outcome ---------------------------------------------------------------- */

static int
run_outcome(struct cli *c, int argc, char **argv)
{
	char label[2 * NAME_MAX_BYTES + 32];
	struct find_target ft = { 0, 0, NULL };
	enum outcome o = OUTCOME_NONE;
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	if ((st = cli_plain_options(c, argc, argv)) >= 0)
		return st;
	if ((st = cli_args(c, argc, argv, 3, 3, outcome_names)) != 0)
		return st;
	serr_clear(&e);
	/* "none" takes a judgement back. */
	if (strcmp(argv[optind + 2], "none") != 0 &&
	    outcome_parse(argv[optind + 2], &o, &e) != 0)
		return cli_fail(&e);
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0 ||
	    (st = find_target(c, db, &p, argv[optind + 1], &ft)) != 0)
		goto out;
	if (target_set_outcome(db, ft.id, o, &e) != 0)
		st = cli_fail(&e);
	else if (o == OUTCOME_NONE)
		printf("Cleared the outcome of target %d of %s.\n", ft.position,
		    cli_pupil_label(&p, label, sizeof label));
	else
		printf("Target %d of %s: %s.\n", ft.position,
		    cli_pupil_label(&p, label, sizeof label), outcome_name(o));
out:
	free(ft.text);
	db_close(db);
	return st;
}

/* --- history ----------------------------------------------------------------- */

struct history_ctx {
	struct table *t;
	enum table_format f;
};

static int
history_row(void *ctx, const struct rating *r)
{
	struct history_ctx *x = ctx;
	char on[16], value[40];

	if (r->value < 0)
		value[0] = '\0';
	else if (x->f == TABLE_ALIGNED)
		snprintf(value, sizeof value, "%d %s", r->value,
		    rating_name(r->value));
	else
		snprintf(value, sizeof value, "%d", r->value);
	const char *cells[] = { cli_show_date(r->on, x->f, on), value,
	    r->author, r->comment };

	table_add(x->t, cells);
	return 0;
}

static int
run_history(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const h[] = { "Date", "Rating", "By", "Comment" };
	static const char *const names[] = { "UPN", "N (the target's number "
	    "in 'senco target list')" };
	struct find_target ft = { 0, 0, NULL };
	struct history_ctx x = { NULL, TABLE_ALIGNED };
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f':
			if ((st = cli_format(c, optarg, &x.f)) != 0)
				return st;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 2, 2, names)) != 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0 ||
	    (st = find_target(c, db, &p, argv[optind + 1], &ft)) != 0)
		goto out;
	if (x.f == TABLE_ALIGNED) {
		printf("Target %d: ", ft.position);
		cli_put_text(ft.text, 2);
		putchar('\n');
	}
	x.t = table_new(4, h);
	serr_clear(&e);
	if (target_ratings(db, ft.id, history_row, &x, &e) != 0)
		st = cli_fail(&e);
	else
		table_print(x.t, stdout, x.f);
	table_free(x.t);
out:
	free(ft.text);
	db_close(db);
	return st;
}

static const struct cli_sub target_subs[] = {
	{ "add", "UPN --text TEXT [--criteria TEXT] [--baseline TEXT] "
	  "[--area CI|CL|SEMH|SP]",
	  "add a target to the pupil's open cycle",
	  "  --text TEXT       what the pupil will do, by when\n"
	  "  --criteria TEXT   success criteria: how it will be measured\n"
	  "  --baseline TEXT   where the pupil starts\n"
	  "  --area A          broad area: CI (communication and interaction), "
	  "CL\n"
	  "                    (cognition and learning), SEMH (social, "
	  "emotional and\n"
	  "                    mental health), SP (sensory and/or physical)\n",
	  run_add },
	{ "list", "UPN [--format F]",
	  "list the open cycle's targets, ratings and on-track",
	  "  --format F   table (default), csv or tsv\n"
	  "'Needed' is the rating a target needs today to be on track: "
	  "round(4 x days\nelapsed / days planned) of the plan period.\n",
	  run_list },
	{ "rate", "UPN N RATING [--comment TEXT] [--date DATE]",
	  "record a rating of target N: 0-4 or its word",
	  "  RATING          0 not started, 1 emerging, 2 developing, 3 secure, "
	  "4 achieved\n"
	  "  --comment TEXT  what was seen\n"
	  "  --date DATE     the day of the rating (default today)\n",
	  run_rate },
	{ "outcome", "UPN N achieved|partial|not|discontinued|none",
	  "record target N's outcome at review",
	  "  OUTCOME   achieved, partial (partially achieved), not (not "
	  "achieved),\n"
	  "            discontinued, or none to take the outcome back\n",
	  run_outcome },
	{ "history", "UPN N [--format F]",
	  "show every rating of target N, oldest first",
	  "  --format F   table (default), csv or tsv\n", run_history },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_target = {
	"target", "the targets of a pupil's open cycle and their ratings",
	target_subs
};
