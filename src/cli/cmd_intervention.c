/*
 * cmd_intervention.c: senco intervention add|list|enrol|exit: the
 * intervention catalogue and pupils' enrolments (the provision map).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "core/derive.h"
#include "core/intervention.h"
#include "core/xmalloc.h"

static const char *const enrol_names[] = { "UPN", "NAME (of the "
    "intervention)" };

/* Find an intervention by name (any case). Returns an exit status;
 * on success iv is the caller's to intervention_free. */
static int
find_intervention(struct db *db, const char *name, struct intervention *iv)
{
	struct serr e;
	int rc;

	serr_clear(&e);
	intervention_init(iv);
	rc = intervention_find(db, name, iv, &e);
	if (rc == SE_NOTFOUND)
		return cli_error(EX_NOINPUT, "intervention '%s': not in the "
		    "catalogue (see 'senco intervention list')", name);
	if (rc != 0)
		return cli_fail(&e);
	return 0;
}

/*
 * A score on the enrolment's measure. Ages are months, typed as a number
 * of months or as years:months ("7:06" is 90 months), the way reading
 * ages are written.
 */
static int
parse_score(const struct cli *c, const char *s, enum measure_kind kind,
    const char *what, double *out)
{
	const char *colon = strchr(s, ':');
	long years, months;
	char ybuf[8];
	int st;

	if (kind != MEASURE_AGE || colon == NULL)
		return cli_number(c, s, what, out);
	if ((size_t)(colon - s) >= sizeof ybuf)
		goto bad;
	snprintf(ybuf, sizeof ybuf, "%.*s", (int)(colon - s), s);
	if ((st = cli_int(c, ybuf, what, 0, 99, &years)) != 0 ||
	    (st = cli_int(c, colon + 1, what, 0, 11, &months)) != 0)
		return st;
	*out = (double)(years * 12 + months);
	return 0;
bad:
	return cli_error(EX_DATAERR, "%s: '%s' is not an age as "
	    "years:months (e.g. 7:06)", what, s);
}

/* --- add ---------------------------------------------------------------- */

static int
run_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "area", required_argument, NULL, 'a' },
		{ "cost-per-session", required_argument, NULL, 's' },
		{ "cost-per-hour", required_argument, NULL, 'r' },
		{ "description", required_argument, NULL, 'd' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct intervention iv;
	struct db *db;
	struct serr e;
	bool named = false;
	int costs = 0, ch, st;
	char money[32];

	intervention_init(&iv);
	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		st = 0;
		switch (ch) {
		case 'n':
			st = cli_copy(iv.name, sizeof iv.name, optarg,
			    "intervention name");
			named = true;
			break;
		case 'a':
			if (area_parse(optarg, &iv.area, &e) != 0)
				st = cli_fail(&e);
			break;
		case 's':
		case 'r':
			iv.basis = ch == 's' ? COST_PER_SESSION : COST_PER_HOUR;
			st = cli_money(c, optarg, ch == 's' ?
			    "--cost-per-session" : "--cost-per-hour",
			    &iv.cost_pence);
			costs++;
			break;
		case 'd':
			free(iv.description);
			iv.description = xstrdup(optarg);
			break;
		case 'e':
			free(iv.evidence);
			iv.evidence = xstrdup(optarg);
			break;
		case 'h':
			st = cli_sub_help(c);
			goto out;
		default:
			st = EX_USAGE;
			goto out;
		}
		if (st != 0)
			goto out;
	}
	if ((st = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		goto out;
	if (!named)
		st = cli_usage(c, "missing --name");
	else if (costs != 1)
		st = cli_usage(c, "give the cost once: --cost-per-session GBP "
		    "(a session of the group) or --cost-per-hour GBP (staff "
		    "time)");
	if (st != 0)
		goto out;
	if ((st = cli_open(c, true, &db)) != 0)
		goto out;
	if (intervention_add(db, &iv, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Added '%s' to the catalogue at %s per %s.\n", iv.name,
		    derive_money(iv.cost_pence, money, sizeof money),
		    iv.basis == COST_PER_HOUR ? "hour" : "session");
	db_close(db);
out:
	intervention_free(&iv);
	return st;
}

/* --- list ------------------------------------------------------------------ */

struct iv_rows {
	struct intervention *v;
	int n, cap;
};

static int
collect_iv(void *ctx, const struct intervention *iv)
{
	struct iv_rows *r = ctx;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, (size_t)r->cap, sizeof *r->v);
	}
	r->v[r->n] = *iv;
	r->v[r->n].description = xstrdup(iv->description);
	r->v[r->n].evidence = xstrdup(iv->evidence);
	r->n++;
	return 0;
}

static int
count_running(void *ctx, const struct enrolment *en)
{
	int *n = ctx;

	if (!en->ended)
		(*n)++;
	return 0;
}

static int
run_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const ah[] = { "Name", "Area", "Cost", "Per",
	    "Pupils" };
	static const char *const fh[] = { "Name", "Area", "Cost", "Per",
	    "Pupils", "Description", "Evidence", "Retired" };
	struct iv_rows rows = { NULL, 0, 0 };
	enum table_format f = TABLE_ALIGNED;
	struct table *t = NULL;
	bool all = false;
	struct db *db;
	struct serr e;
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'a':
			all = true;
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
	if ((st = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	serr_clear(&e);
	if (intervention_list(db, all, collect_iv, &rows, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	t = f == TABLE_ALIGNED ? table_new(5, ah) : table_new(8, fh);
	table_align_right(t, 2);
	table_align_right(t, 4);
	for (int i = 0; i < rows.n; i++) {
		const struct intervention *iv = &rows.v[i];
		char cost[32], pupils[12];
		int n = 0;

		if (enrolment_list_intervention(db, iv->id, count_running, &n,
		    &e) != 0) {
			st = cli_fail(&e);
			goto out;
		}
		snprintf(pupils, sizeof pupils, "%d", n);
		const char *cells[] = { iv->name, area_code(iv->area),
		    cli_show_money(iv->cost_pence, f, cost, sizeof cost),
		    iv->basis == COST_PER_HOUR ? "hour" : "session", pupils,
		    iv->description, iv->evidence, iv->retired ? "yes" : "no" };

		table_add(t, cells);
	}
	table_print(t, stdout, f);
	st = 0;
out:
	for (int i = 0; i < rows.n; i++)
		intervention_free(&rows.v[i]);
	free(rows.v);
	table_free(t);
	db_close(db);
	return st;
}

/* --- enrol ------------------------------------------------------------------ */

static int
parse_kind(const char *s, enum measure_kind *out)
{
	if (strcasecmp(s, "score") == 0)
		*out = MEASURE_SCORE;
	else if (strcasecmp(s, "age") == 0)
		*out = MEASURE_AGE;
	else if (strcasecmp(s, "rating") == 0)
		*out = MEASURE_RATING;
	else
		return cli_error(EX_DATAERR, "measure kind '%s' is not score, "
		    "age or rating", s);
	return 0;
}

static int
run_enrol(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "start", required_argument, NULL, 's' },
		{ "sessions", required_argument, NULL, 'n' },
		{ "minutes", required_argument, NULL, 'm' },
		{ "staff", required_argument, NULL, 't' },
		{ "group", required_argument, NULL, 'g' },
		{ "end", required_argument, NULL, 'e' },
		{ "measure", required_argument, NULL, 'M' },
		{ "measure-kind", required_argument, NULL, 'k' },
		{ "entry", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *entry = NULL;
	char label[2 * NAME_MAX_BYTES + 32], money[32];
	struct intervention iv;
	struct enrolment en;
	struct pupil p;
	struct db *db;
	struct serr e;
	long v;
	int ch, st;

	enrolment_init(&en);
	en.group_size = 1;
	en.sessions_per_week = 0;
	en.minutes = 0;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		st = 0;
		switch (ch) {
		case 's':
			st = cli_date(optarg, "start date", &en.start);
			break;
		case 'e':
			st = cli_date(optarg, "end date", &en.end);
			break;
		case 'n':
			if ((st = cli_int(c, optarg, "sessions per week", 1, 50,
			    &v)) == 0)
				en.sessions_per_week = (int)v;
			break;
		case 'm':
			if ((st = cli_int(c, optarg, "minutes per session", 1,
			    600, &v)) == 0)
				en.minutes = (int)v;
			break;
		case 'g':
			if ((st = cli_int(c, optarg, "group size", 1, 100,
			    &v)) == 0)
				en.group_size = (int)v;
			break;
		case 't':
			st = cli_copy(en.staff, sizeof en.staff, optarg, "staff");
			break;
		case 'M':
			st = cli_copy(en.measure, sizeof en.measure, optarg,
			    "measure");
			break;
		case 'k':
			st = parse_kind(optarg, &en.measure_kind);
			break;
		case 'E':
			entry = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
		if (st != 0)
			return st;
	}
	if ((st = cli_args(c, argc, argv, 2, 2, enrol_names)) != 0)
		return st;
	if (en.start == SDATE_NONE)
		return cli_usage(c, "missing --start");
	if (en.sessions_per_week == 0)
		return cli_usage(c, "missing --sessions (sessions per week)");
	if (en.minutes == 0)
		return cli_usage(c, "missing --minutes (per session)");
	if (entry != NULL && (st = parse_score(c, entry, en.measure_kind,
	    "entry score", &en.entry)) != 0)
		return st;
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = find_intervention(db, argv[optind + 1], &iv)) != 0)
		goto out;
	en.pupil_id = p.id;
	en.intervention_id = iv.id;
	serr_clear(&e);
	if (enrolment_add(db, &en, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Enrolled %s in '%s' (%s a year).\n",
		    cli_pupil_label(&p, label, sizeof label), iv.name,
		    derive_money(derive_enrolment_cost_year_pence(&iv, &en),
		    money, sizeof money));
	intervention_free(&iv);
out:
	db_close(db);
	return st;
}

/* --- exit --------------------------------------------------------------------- */

struct find_enrolment {
	int64_t intervention_id;
	struct enrolment en;
	bool found;
};

static int
match_running(void *ctx, const struct enrolment *en)
{
	struct find_enrolment *f = ctx;

	if (en->intervention_id != f->intervention_id || en->ended)
		return 0;
	f->en = *en;
	f->found = true;
	return 1;
}

static int
run_exit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "score", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *score = NULL;
	char label[2 * NAME_MAX_BYTES + 32];
	struct find_enrolment fe;
	struct intervention iv;
	struct enrolment done;
	sdate on = SDATE_NONE;
	struct pupil p;
	struct db *db;
	struct serr e;
	double exit_score, impact, gain;
	int ch, st, rc;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 's':
			score = optarg;
			break;
		case 'd':
			if ((st = cli_date(optarg, "exit date", &on)) != 0)
				return st;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 2, 2, enrol_names)) != 0)
		return st;
	if (score == NULL)
		return cli_usage(c, "missing --score (the exit measure)");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	if ((st = find_intervention(db, argv[optind + 1], &iv)) != 0)
		goto out;
	memset(&fe, 0, sizeof fe);
	fe.intervention_id = iv.id;
	serr_clear(&e);
	rc = enrolment_list_pupil(db, p.id, match_running, &fe, &e);
	if (rc < 0) {
		st = cli_fail(&e);
		goto done;
	}
	if (!fe.found) {
		st = cli_error(EX_DATAERR, "%s: %s is not in '%s' now (see "
		    "'senco pupil show %s')", c->what,
		    cli_pupil_label(&p, label, sizeof label), iv.name, p.upn);
		goto done;
	}
	if ((st = parse_score(c, score, fe.en.measure_kind, "exit score",
	    &exit_score)) != 0)
		goto done;
	enrolment_init(&done);
	if (enrolment_exit(db, fe.en.id, exit_score, on, &e) != 0 ||
	    enrolment_get(db, fe.en.id, &done, &e) != 0) {
		st = cli_fail(&e);
		goto done;
	}
	printf("%s left '%s'.", cli_pupil_label(&p, label, sizeof label),
	    iv.name);
	impact = derive_impact(&done);
	gain = derive_ratio_gain(&done);
	if (!isnan(impact)) {
		printf(" Impact: %+g%s", impact,
		    done.measure_kind == MEASURE_AGE ? " months" : "");
		if (done.measure[0] != '\0') {
			printf(" on ");
			cli_put_text(done.measure, 0);
		}
		putchar('.');
	}
	if (!isnan(gain))
		printf(" Ratio gain: %.1f.", gain);
	putchar('\n');
done:
	intervention_free(&iv);
out:
	db_close(db);
	return st;
}

static const struct cli_sub intervention_subs[] = {
	{ "add", "--name NAME (--cost-per-session GBP | --cost-per-hour GBP) "
	  "[--area A] [--description TEXT] [--evidence URL]",
	  "add an intervention to the catalogue",
	  "  --name NAME              the intervention's name (unique)\n"
	  "  --cost-per-session GBP   the cost of one session of the group, "
	  "e.g. 12.50\n"
	  "  --cost-per-hour GBP      or the hourly rate of the staff who "
	  "run it\n"
	  "  --area A                 broad area: CI, CL, SEMH or SP\n"
	  "  --description TEXT       what it is\n"
	  "  --evidence URL           where the evidence for it is\n",
	  run_add },
	{ "list", "[--all] [--format F]",
	  "list the catalogue with costs and pupils enrolled now",
	  "  --all        include retired interventions\n"
	  "  --format F   table (default), csv or tsv\n", run_list },
	{ "enrol", "UPN NAME --start DATE --sessions N --minutes M [OPTIONS]",
	  "enrol a pupil in an intervention",
	  "  --start DATE         the first session\n"
	  "  --sessions N         sessions per week\n"
	  "  --minutes M          minutes per session\n"
	  "  --staff NAME         who runs it\n"
	  "  --group N            pupils in the group (default 1)\n"
	  "  --end DATE           the planned end\n"
	  "  --measure NAME       the entry and exit measure, e.g. 'Salford "
	  "reading age'\n"
	  "  --measure-kind K     score (default), age (in months, or "
	  "years:months\n"
	  "                       such as 7:06) or rating\n"
	  "  --entry X            the entry score\n",
	  run_enrol },
	{ "exit", "UPN NAME --score X [--date DATE]",
	  "record the exit score, ending an enrolment",
	  "  --score X     the exit score on the enrolment's measure\n"
	  "  --date DATE   the last session (default today)\n", run_exit },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_intervention = {
	"intervention", "the intervention catalogue and pupils' enrolments",
	intervention_subs
};
