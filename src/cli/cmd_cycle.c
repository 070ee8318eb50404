/*
 * cmd_cycle.c: senco cycle start|advance|close|edit|list: the
 * graduated-approach cycle (assess, plan, do, review) of one pupil.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "core/cycle.h"
#include "core/ehc.h"
#include "core/target.h"
#include "core/xmalloc.h"

static const char *const upn_name[] = { "UPN" };

/* --- start ---------------------------------------------------------------- */

static int
run_start(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "start", required_argument, NULL, 's' },
		{ "review", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sdate start = SDATE_NONE, review = SDATE_NONE;
	char label[2 * NAME_MAX_BYTES + 32], a[16], b[16];
	struct cycle cy;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 's':
			if ((st = cli_date(optarg, "cycle start", &start)) != 0)
				return st;
			break;
		case 'r':
			if ((st = cli_date(optarg, "review date", &review)) != 0)
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
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	serr_clear(&e);
	cycle_init(&cy);
	if (cycle_start(db, p.id, start, review, c->cfg->review_weeks, &cy,
	    &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	printf("Started a cycle for %s on %s (%s); review on %s.\n",
	    cli_pupil_label(&p, label, sizeof label),
	    date_show(cy.plan_start, a), stage_name(cy.stage),
	    date_show(cy.review_date, b));
	cycle_free(&cy);
out:
	db_close(db);
	return st;
}

/* --- advance -------------------------------------------------------------- */

static int
run_advance(struct cli *c, int argc, char **argv)
{
	char label[2 * NAME_MAX_BYTES + 32];
	struct cycle cy, now;
	struct pupil p;
	struct db *db;
	struct serr e;
	int st;

	if ((st = cli_plain_options(c, argc, argv)) >= 0)
		return st;
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = cli_open_cycle(c, db, &p, &cy)) != 0)
		goto out;
	serr_clear(&e);
	cycle_init(&now);
	if (cycle_advance(db, cy.id, &e) != 0 ||
	    cycle_get(db, cy.id, &now, &e) != 0)
		st = cli_fail(&e);
	else
		printf("The cycle of %s moved from %s to %s.\n",
		    cli_pupil_label(&p, label, sizeof label),
		    stage_name(cy.stage), stage_name(now.stage));
	cycle_free(&now);
	cycle_free(&cy);
out:
	db_close(db);
	return st;
}

/* --- close -------------------------------------------------------------- */

struct carry {
	int64_t *ids;
	int n, cap;
};

/* Unmet: not achieved, partly achieved, or not yet judged. A
 * discontinued target was dropped on purpose and stays behind. */
static int
collect_unmet(void *ctx, const struct target *t)
{
	struct carry *cr = ctx;

	if (t->outcome == OUTCOME_ACHIEVED ||
	    t->outcome == OUTCOME_DISCONTINUED)
		return 0;
	if (cr->n == cr->cap) {
		cr->cap = cr->cap ? cr->cap * 2 : 8;
		cr->ids = xreallocarray(cr->ids, (size_t)cr->cap,
		    sizeof *cr->ids);
	}
	cr->ids[cr->n++] = t->id;
	return 0;
}

/* Close, and for --carry copy the unmet targets into the new cycle: one
 * transaction, so a failure leaves the cycle open and nothing copied. */
static int
close_cycle(struct db *db, const struct cycle *cy, enum decision d,
    sdate on, int weeks, bool carry, struct cycle *next, int *carried,
    struct serr *e)
{
	struct carry cr = { NULL, 0, 0 };
	bool starts = d == DECISION_CONTINUE || d == DECISION_INCREASE;
	int rc;

	*carried = 0;
	if ((rc = db_begin(db, e)) != 0)
		return rc;
	if (carry && (rc = target_list(db, cy->id, collect_unmet, &cr, e)) != 0)
		goto fail;
	if ((rc = cycle_close(db, cy->id, d, on, weeks, starts ? next : NULL,
	    e)) != 0)
		goto fail;
	/* The request decided at the review; one already open stands. */
	if (d == DECISION_EHC && (rc = ehc_request_from_review(db, cy->id,
	    SDATE_NONE, NULL, e)) != 0 && rc != SE_EXISTS)
		goto fail;
	for (int i = 0; i < cr.n; i++)
		if ((rc = target_carry_over(db, cr.ids[i], next->id, NULL,
		    e)) != 0)
			goto fail;
	free(cr.ids);
	*carried = cr.n;
	return db_commit(db, e);
fail:
	free(cr.ids);
	db_rollback(db);
	return rc;
}

static int
run_close(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "decision", required_argument, NULL, 'd' },
		{ "date", required_argument, NULL, 'o' },
		{ "carry", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum decision d = DECISION_NONE;
	sdate on = SDATE_NONE;
	bool carry = false;
	char label[2 * NAME_MAX_BYTES + 32], buf[16];
	struct cycle cy, next;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st, carried;

	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'd':
			if (decision_parse(optarg, &d, &e) != 0)
				return cli_fail(&e);
			break;
		case 'o':
			if ((st = cli_date(optarg, "review meeting date",
			    &on)) != 0)
				return st;
			break;
		case 'c':
			carry = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if (d == DECISION_NONE)
		return cli_usage(c, "missing --decision (continue, increase, "
		    "ehc or remove)");
	if (carry && d != DECISION_CONTINUE && d != DECISION_INCREASE)
		return cli_usage(c, "--carry needs a decision that starts a new "
		    "cycle (continue or increase)");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = cli_open_cycle(c, db, &p, &cy)) != 0)
		goto out;
	cycle_init(&next);
	if (close_cycle(db, &cy, d, on, c->cfg->review_weeks, carry, &next,
	    &carried, &e) != 0) {
		st = cli_fail(&e);
	} else {
		printf("Closed the cycle of %s: %s.\n",
		    cli_pupil_label(&p, label, sizeof label), decision_name(d));
		if (next.id != 0)
			printf("Started a new cycle; review on %s.\n",
			    date_show(next.review_date, buf));
		if (carry)
			printf("Carried %d unmet target%s into it.\n", carried,
			    carried == 1 ? "" : "s");
		if (d == DECISION_EHC)
			printf("The EHC needs assessment request is in 'senco "
			    "ehc list'; when it goes, give\nits dates with "
			    "'senco ehc edit %s --sent DATE --received DATE'.\n",
			    p.upn);
	}
	cycle_free(&next);
	cycle_free(&cy);
out:
	db_close(db);
	return st;
}

/* --- edit ---------------------------------------------------------------- */

/* Replace a heap text field; "" clears it. */
static void
set_text(char **field, const char *s)
{
	free(*field);
	*field = *s != '\0' ? xstrdup(s) : NULL;
}

static int
run_edit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "start", required_argument, NULL, 's' },
		{ "plan-end", required_argument, NULL, 'e' },
		{ "review", required_argument, NULL, 'r' },
		{ "stage", required_argument, NULL, 't' },
		{ "parent", required_argument, NULL, 'p' },
		{ "pupil", required_argument, NULL, 'u' },
		{ "notes", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* What was asked, kept until the cycle is read. */
	sdate start = SDATE_NONE, plan_end = SDATE_NONE, review = SDATE_NONE;
	const char *parent = NULL, *voice = NULL, *notes[STAGE_COUNT] = { 0 };
	enum stage stage = STAGE_COUNT;
	char label[2 * NAME_MAX_BYTES + 32];
	struct cycle cy;
	struct pupil p;
	struct db *db;
	struct serr e;
	bool any = false;
	int ch, st;

	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		st = 0;
		switch (ch) {
		case 's':
			st = cli_date(optarg, "plan start", &start);
			break;
		case 'e':
			st = cli_date(optarg, "plan end", &plan_end);
			break;
		case 'r':
			st = cli_date(optarg, "review date", &review);
			break;
		case 't':
			if (stage_parse(optarg, &stage, &e) != 0)
				return cli_fail(&e);
			break;
		case 'p':
			parent = optarg;
			break;
		case 'u':
			voice = optarg;
			break;
		case 'n': {
			const char *eq = strchr(optarg, '=');
			char name[16];
			enum stage s;

			if (eq == NULL || (size_t)(eq - optarg) >= sizeof name)
				return cli_usage(c, "--notes takes STAGE=TEXT, "
				    "e.g. --notes plan='Daily reading'");
			snprintf(name, sizeof name, "%.*s", (int)(eq - optarg),
			    optarg);
			if (stage_parse(name, &s, &e) != 0)
				return cli_fail(&e);
			notes[s] = eq + 1;
			break;
		}
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
		if (st != 0)
			return st;
		any = true;
	}
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if (!any)
		return cli_usage(c, "nothing to change (e.g. --review DATE or "
		    "--parent TEXT)");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = cli_open_cycle(c, db, &p, &cy)) != 0)
		goto out;
	if (start != SDATE_NONE)
		cy.plan_start = start;
	if (review != SDATE_NONE) {
		/* The plan period normally runs to the review: keep them
		 * together unless the plan end was set apart. */
		if (cy.plan_end == cy.review_date)
			cy.plan_end = review;
		cy.review_date = review;
	}
	if (plan_end != SDATE_NONE)
		cy.plan_end = plan_end;
	if (stage != STAGE_COUNT)
		cy.stage = stage;
	if (parent != NULL)
		set_text(&cy.parent_voice, parent);
	if (voice != NULL)
		set_text(&cy.pupil_voice, voice);
	for (int s = 0; s < STAGE_COUNT; s++)
		if (notes[s] != NULL)
			set_text(&cy.notes[s], notes[s]);
	if (cycle_update(db, &cy, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Updated the cycle of %s.\n",
		    cli_pupil_label(&p, label, sizeof label));
	cycle_free(&cy);
out:
	db_close(db);
	return st;
}

/* --- list ------------------------------------------------------------------ */

struct cycle_rows {
	struct cycle *v;
	int n, cap;
};

static int
collect_cycle(void *ctx, const struct cycle *cy)
{
	struct cycle_rows *r = ctx;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = xreallocarray(r->v, (size_t)r->cap, sizeof *r->v);
	}
	/* Only the plain fields are kept: the strings stay the core's. */
	r->v[r->n] = *cy;
	for (int s = 0; s < STAGE_COUNT; s++)
		r->v[r->n].notes[s] = NULL;
	r->v[r->n].parent_voice = r->v[r->n].pupil_voice = NULL;
	r->n++;
	return 0;
}

struct target_count {
	int all, achieved;
};

static int
count_target(void *ctx, const struct target *t)
{
	struct target_count *n = ctx;

	n->all++;
	if (t->outcome == OUTCOME_ACHIEVED)
		n->achieved++;
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
	static const char *const h[] = { "Start", "Plan end", "Review",
	    "Stage", "Closed", "Decision", "Targets", "Achieved" };
	struct cycle_rows rows = { NULL, 0, 0 };
	enum table_format f = TABLE_ALIGNED;
	struct table *t = NULL;
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
	serr_clear(&e);
	if (cycle_list(db, p.id, collect_cycle, &rows, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	t = table_new(8, h);
	table_align_right(t, 6);
	table_align_right(t, 7);
	for (int i = 0; i < rows.n; i++) {
		const struct cycle *cy = &rows.v[i];
		struct target_count n = { 0, 0 };
		char a[16], b[16], r[16], cl[16], all[12], ach[12];
		bool open = cy->closed_on == SDATE_NONE;

		if (target_list(db, cy->id, count_target, &n, &e) != 0) {
			st = cli_fail(&e);
			goto out;
		}
		snprintf(all, sizeof all, "%d", n.all);
		snprintf(ach, sizeof ach, "%d", n.achieved);
		const char *cells[] = { cli_show_date(cy->plan_start, f, a),
		    cli_show_date(cy->plan_end, f, b),
		    cli_show_date(cy->review_date, f, r),
		    open ? stage_code(cy->stage) : "closed",
		    cli_show_date(cy->closed_on, f, cl),
		    open ? "" : decision_code(cy->decision), all, ach };

		table_add(t, cells);
	}
	table_print(t, stdout, f);
	st = 0;
out:
	free(rows.v);
	table_free(t);
	db_close(db);
	return st;
}

static const struct cli_sub cycle_subs[] = {
	{ "start", "UPN [--start DATE] [--review DATE]",
	  "start a cycle (at assess) for a pupil",
	  "  --start DATE    the first day of the plan period (default today)\n"
	  "  --review DATE   the review date agreed with parents (default: the "
	  "configured\n"
	  "                  review interval after the start, 12 weeks unless "
	  "set)\n",
	  run_start },
	{ "advance", "UPN", "move the open cycle on: assess, plan, do, review", NULL, run_advance },
	{ "close", "UPN --decision continue|increase|ehc|remove [--date DATE] "
	  "[--carry]",
	  "close the open cycle with the review's decision",
	  "  --decision D   continue: a new cycle begins; increase: increase "
	  "support,\n"
	  "                 a new cycle begins; ehc: request an EHC needs "
	  "assessment;\n"
	  "                 remove: remove from the SEN register (status N)\n"
	  "  --date DATE    the day of the review meeting (default today)\n"
	  "  --carry        carry every unmet target into the new cycle\n",
	  run_close },
	{ "edit", "UPN [--review DATE] [--start DATE] [--plan-end DATE] "
	  "[--stage S] [--parent TEXT] [--pupil TEXT] [--notes STAGE=TEXT]",
	  "change the open cycle's dates, voices and notes",
	  "  --review DATE      the review date (the plan end moves with it, "
	  "unless it\n"
	  "                     was set apart with --plan-end)\n"
	  "  --start DATE       the start of the plan period\n"
	  "  --plan-end DATE    the end of the plan period\n"
	  "  --stage S          set the stage: assess, plan, do or review\n"
	  "  --parent TEXT      the parents' or carers' views\n"
	  "  --pupil TEXT       the pupil's views\n"
	  "  --notes STAGE=TEXT the notes of a stage, e.g.\n"
	  "                     --notes assess='Phonics screen: 18/40'\n"
	  "Empty text clears a field.\n",
	  run_edit },
	{ "list", "UPN [--format F]", "list a pupil's cycles, newest first",
	  "  --format F   table (default), csv or tsv\n", run_list },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_cycle = {
	"cycle", "the graduated-approach cycle: assess, plan, do, review",
	cycle_subs
};
