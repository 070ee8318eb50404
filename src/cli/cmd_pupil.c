/*
 * cmd_pupil.c: senco pupil add|list|show|edit|archive: pupils, their SEN
 * status and ranked needs, and one pupil's whole record on one page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "core/cycle.h"
#include "core/derive.h"
#include "core/intervention.h"
#include "core/record.h"
#include "core/register.h"
#include "core/target.h"
#include "core/xmalloc.h"

/* The fields of pupil add and edit, one bit each, to know what was given. */
enum {
	F_UPN = 1 << 0, F_SURNAME = 1 << 1, F_FORENAME = 1 << 2,
	F_DOB = 1 << 3, F_YEAR = 1 << 4, F_GENDER = 1 << 5, F_CLASS = 1 << 6,
	F_PFORENAME = 1 << 7, F_PSURNAME = 1 << 8, F_FLAGS = 1 << 9,
	F_ATTENDANCE = 1 << 10, F_STATUS = 1 << 11, F_SINCE = 1 << 12,
	F_NEED = 1 << 13,
};

static const struct option field_opts[] = {
	{ "upn", required_argument, NULL, 'u' },
	{ "surname", required_argument, NULL, 's' },
	{ "forename", required_argument, NULL, 'f' },
	{ "dob", required_argument, NULL, 'd' },
	{ "year", required_argument, NULL, 'y' },
	{ "gender", required_argument, NULL, 'g' },
	{ "class", required_argument, NULL, 'c' },
	{ "preferred-forename", required_argument, NULL, 'F' },
	{ "preferred-surname", required_argument, NULL, 'S' },
	{ "flags", required_argument, NULL, 'l' },
	{ "attendance", required_argument, NULL, 'a' },
	{ "status", required_argument, NULL, 't' },
	{ "since", required_argument, NULL, 'i' },
	{ "need", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
parse_gender(const char *s, char *out)
{
	if (strcasecmp(s, "M") == 0 || strcasecmp(s, "male") == 0)
		*out = 'M';
	else if (strcasecmp(s, "F") == 0 || strcasecmp(s, "female") == 0)
		*out = 'F';
	else if (*s == '\0' || strcasecmp(s, "U") == 0 ||
	    strcasecmp(s, "unknown") == 0)
		*out = 0;
	else
		return cli_error(EX_DATAERR, "gender: '%s' is not M, F or "
		    "unknown", s);
	return 0;
}

/*
 * Apply one option of pupil add/edit to p and note it in *seen. Returns 0,
 * -1 if ch is not a field option, or an exit status after a message.
 */
static int
apply_field(struct cli *c, struct pupil *p, int ch, const char *arg,
    unsigned *seen)
{
	char code[NEED_CODE_MAX], upn[32];
	struct serr e;
	bool historic;
	double att;
	int st;

	serr_clear(&e);
	switch (ch) {
	case 'u':
		cli_upn_normalise(arg, upn, sizeof upn);
		if (upn_validate(upn, &e) != 0)
			return cli_fail(&e);
		memcpy(p->upn, upn, UPN_LEN + 1);
		*seen |= F_UPN;
		return 0;
	case 's':
		*seen |= F_SURNAME;
		return cli_copy(p->legal_surname, sizeof p->legal_surname, arg,
		    "surname");
	case 'f':
		*seen |= F_FORENAME;
		return cli_copy(p->legal_forename, sizeof p->legal_forename,
		    arg, "forename");
	case 'F':
		*seen |= F_PFORENAME;
		return cli_copy(p->preferred_forename,
		    sizeof p->preferred_forename, arg, "preferred forename");
	case 'S':
		*seen |= F_PSURNAME;
		return cli_copy(p->preferred_surname,
		    sizeof p->preferred_surname, arg, "preferred surname");
	case 'd':
		*seen |= F_DOB;
		return cli_date(arg, "date of birth", &p->dob);
	case 'y':
		*seen |= F_YEAR;
		if (year_parse(arg, p->year, &e) != 0)
			return cli_fail(&e);
		return 0;
	case 'g':
		*seen |= F_GENDER;
		return parse_gender(arg, &p->gender);
	case 'c':
		*seen |= F_CLASS;
		return cli_copy(p->class_name, sizeof p->class_name, arg,
		    "class");
	case 'l':
		*seen |= F_FLAGS;
		if (flags_parse(arg, &p->flags, &e) != 0)
			return cli_fail(&e);
		return 0;
	case 'a':
		*seen |= F_ATTENDANCE;
		if (*arg == '\0' || strcasecmp(arg, "unknown") == 0) {
			p->attendance = -1;
			return 0;
		}
		if ((st = cli_number(c, arg, "attendance", &att)) != 0)
			return st;
		if (att < 0 || att > 100)
			return cli_error(EX_DATAERR, "attendance: %s is not a "
			    "percentage from 0 to 100", arg);
		p->attendance = att;
		return 0;
	case 't':
		*seen |= F_STATUS;
		if (status_parse(arg, &p->status, &historic, &e) != 0)
			return cli_fail(&e);
		return 0;
	case 'i':
		*seen |= F_SINCE;
		return cli_date(arg, "status start date", &p->status_since);
	case 'n':
		/* The first --need replaces the list; the rest rank after. */
		if (!(*seen & F_NEED))
			p->n_needs = 0;
		*seen |= F_NEED;
		if (strcasecmp(arg, "none") == 0)
			return 0;
		if (need_parse(arg, code, &historic, &e) != 0)
			return cli_fail(&e);
		if (p->n_needs == PUPIL_NEEDS_MAX)
			return cli_usage(c, "at most %d needs (--need)",
			    PUPIL_NEEDS_MAX);
		memcpy(p->needs[p->n_needs++], code, NEED_CODE_MAX);
		return 0;
	}
	return -1;
}

/* --- add ------------------------------------------------------------------ */

static int
run_add(struct cli *c, int argc, char **argv)
{
	static const struct { unsigned bit; const char *name; } required[] = {
		{ F_UPN, "--upn" }, { F_SURNAME, "--surname" },
		{ F_FORENAME, "--forename" }, { F_DOB, "--dob" },
		{ F_YEAR, "--year" },
	};
	struct pupil p;
	struct db *db;
	struct serr e;
	unsigned seen = 0;
	char label[2 * NAME_MAX_BYTES + 32];
	int ch, st;

	pupil_init(&p);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, field_opts)) != -1) {
		if (ch == 'h')
			return cli_sub_help(c);
		if (ch == '?')
			return EX_USAGE;
		if ((st = apply_field(c, &p, ch, optarg, &seen)) != 0)
			return st < 0 ? EX_USAGE : st;
	}
	if ((st = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return st;
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!(seen & required[i].bit))
			return cli_usage(c, "missing %s", required[i].name);
	if ((seen & F_SINCE) && !(seen & F_STATUS))
		return cli_usage(c, "--since goes with --status");

	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	serr_clear(&e);
	if (pupil_add(db, &p, &e) != 0) {
		db_close(db);
		return cli_fail(&e);
	}
	db_close(db);
	printf("Added %s.\n", cli_pupil_label(&p, label, sizeof label));
	return 0;
}

/* --- edit ------------------------------------------------------------------ */

static int
run_edit(struct cli *c, int argc, char **argv)
{
	static const char *const names[] = { "UPN" };
	struct pupil p, changes;
	struct db *db;
	struct serr e;
	unsigned seen = 0;
	char label[2 * NAME_MAX_BYTES + 32];
	int ch, st;

	/* Collect the changes first, so that bad input is refused before
	 * the caseload is opened. */
	pupil_init(&changes);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, field_opts)) != -1) {
		if (ch == 'h')
			return cli_sub_help(c);
		if (ch == '?')
			return EX_USAGE;
		if ((st = apply_field(c, &changes, ch, optarg, &seen)) != 0)
			return st < 0 ? EX_USAGE : st;
	}
	if ((st = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return st;
	if (seen == 0)
		return cli_usage(c, "nothing to change (give the fields to "
		    "change, e.g. --year 5)");
	if ((seen & F_SINCE) && !(seen & F_STATUS))
		return cli_usage(c, "--since goes with --status");

	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	/* Only what was given changes. */
	if (seen & F_UPN)
		memcpy(p.upn, changes.upn, sizeof p.upn);
	if (seen & F_SURNAME)
		memcpy(p.legal_surname, changes.legal_surname,
		    sizeof p.legal_surname);
	if (seen & F_FORENAME)
		memcpy(p.legal_forename, changes.legal_forename,
		    sizeof p.legal_forename);
	if (seen & F_PSURNAME)
		memcpy(p.preferred_surname, changes.preferred_surname,
		    sizeof p.preferred_surname);
	if (seen & F_PFORENAME)
		memcpy(p.preferred_forename, changes.preferred_forename,
		    sizeof p.preferred_forename);
	if (seen & F_DOB)
		p.dob = changes.dob;
	if (seen & F_YEAR)
		memcpy(p.year, changes.year, sizeof p.year);
	if (seen & F_GENDER)
		p.gender = changes.gender;
	if (seen & F_CLASS)
		memcpy(p.class_name, changes.class_name, sizeof p.class_name);
	if (seen & F_FLAGS)
		p.flags = changes.flags;
	if (seen & F_ATTENDANCE)
		p.attendance = changes.attendance;
	/* Status 0 and n_needs < 0 tell the core to leave them alone. */
	p.status = (seen & F_STATUS) ? changes.status : 0;
	p.status_since = (seen & F_SINCE) ? changes.status_since : SDATE_NONE;
	if (seen & F_NEED) {
		memcpy(p.needs, changes.needs, sizeof p.needs);
		p.n_needs = changes.n_needs;
	} else
		p.n_needs = -1;

	serr_clear(&e);
	if (pupil_update(db, &p, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	printf("Updated %s.\n", cli_pupil_label(&p, label, sizeof label));
out:
	db_close(db);
	return st;
}

/* --- archive ---------------------------------------------------------------- */

static int
run_archive(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "left", required_argument, NULL, 'l' },
		{ "undo", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "UPN" };
	struct pupil p;
	struct db *db;
	struct serr e;
	sdate left = SDATE_NONE;
	bool undo = false;
	char label[2 * NAME_MAX_BYTES + 32], d[DATE_ISO_LEN];
	int ch, st;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'l':
			if ((st = cli_date(optarg, "date left", &left)) != 0)
				return st;
			break;
		case 'u':
			undo = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return st;
	if (undo && left != SDATE_NONE)
		return cli_usage(c, "--left and --undo do not go together");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	serr_clear(&e);
	if (pupil_archive(db, p.id, !undo, left, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	cli_pupil_label(&p, label, sizeof label);
	if (undo)
		printf("Brought %s back onto the roll.\n", label);
	else
		printf("Archived %s (left %s).\n", label,
		    date_show(left != SDATE_NONE ? left : date_today(), d));
out:
	db_close(db);
	return st;
}

/* --- list -------------------------------------------------------------------- */

/* Rows read from the register at a time. */
#define LIST_WINDOW 256

static void
add_register_row(struct table *t, const struct register_row *r,
    enum table_format f, bool archived_col)
{
	char name[2 * NAME_MAX_BYTES + 4], status[2] = { r->status, 0 };
	char flags[16], review[40], track[24], cost[32], targets[12];
	const char *stage = r->stage >= 0 ? stage_code((enum stage)r->stage) :
	    "";

	flags_show(r->flags, flags);
	cli_show_date(r->review_date, f, review);
	if (f == TABLE_ALIGNED) {
		snprintf(name, sizeof name, "%s, %s", r->surname, r->forename);
		if (r->overdue)
			strcat(review, " overdue");
		if (r->targets > 0)
			snprintf(track, sizeof track, "%d/%d", r->on_track,
			    r->targets);
		else
			track[0] = '\0';
		const char *cells[] = { r->upn, name, r->year, status, r->need,
		    stage, review, track, r->archived ? "yes" : "" };

		table_add(t, cells);
		return;
	}
	snprintf(targets, sizeof targets, "%d", r->targets);
	snprintf(track, sizeof track, "%d", r->on_track);
	cli_show_money(r->cost_year_pence, f, cost, sizeof cost);
	const char *cells[] = { r->upn, r->surname, r->forename, r->year,
	    status, r->need, flags, stage, review, r->overdue ? "yes" : "no",
	    targets, track, cost, r->over_topup ? "yes" : "no",
	    r->archived ? "yes" : "no" };

	(void)archived_col;
	table_add(t, cells);
}

static int
run_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "archived", no_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "year", required_argument, NULL, 'y' },
		{ "need", required_argument, NULL, 'n' },
		{ "search", required_argument, NULL, 't' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const aligned_h[] = { "UPN", "Name", "Year", "SEN",
	    "Need", "Stage", "Review", "On track", "Archived" };
	static const char *const full_h[] = { "UPN", "Surname", "Forename",
	    "Year", "SEN status", "Primary need", "Flags", "Stage",
	    "Review date", "Overdue", "Targets", "On track", "Cost per year",
	    "Over top-up threshold", "Archived" };
	struct register_query q;
	struct register_row *rows = NULL;
	enum table_format f = TABLE_ALIGNED;
	struct table *t = NULL;
	struct db *db;
	struct serr e;
	bool historic;
	int ch, st, n = 0, got;

	register_query_init(&q);
	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'a':
			q.filter.include_n = true;
			break;
		case 'r':
			q.filter.include_archived = true;
			break;
		case 's':
			if (status_parse(optarg, &q.filter.status, &historic,
			    &e) != 0)
				return cli_fail(&e);
			/* Asking for N means showing N. */
			if (q.filter.status == 'N')
				q.filter.include_n = true;
			break;
		case 'y':
			if (year_parse(optarg, q.filter.year, &e) != 0)
				return cli_fail(&e);
			break;
		case 'n':
			if (need_parse(optarg, q.filter.need, &historic, &e) != 0)
				return cli_fail(&e);
			break;
		case 't':
			q.filter.text = optarg;
			break;
		case 'o':
			q.overdue_only = true;
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
	q.topup_pence = c->cfg->topup_pence;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;

	if (f == TABLE_ALIGNED) {
		/* The Archived column only when archived pupils are asked
		 * for: the table is meant for 80 columns. */
		t = table_new(q.filter.include_archived ? 9 : 8, aligned_h);
	} else
		t = table_new(15, full_h);
	if (register_count(db, &q, &n, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	rows = xcalloc(LIST_WINDOW, sizeof *rows);
	for (int off = 0; off < n; off += LIST_WINDOW) {
		if (register_window(db, &q, off, LIST_WINDOW, rows, &got,
		    &e) != 0) {
			st = cli_fail(&e);
			goto out;
		}
		for (int i = 0; i < got; i++)
			add_register_row(t, &rows[i], f,
			    q.filter.include_archived);
		if (got < LIST_WINDOW)
			break;
	}
	table_print(t, stdout, f);
	st = 0;
out:
	free(rows);
	table_free(t);
	db_close(db);
	return st;
}

/* --- show ------------------------------------------------------------------- */

struct show_ctx {
	struct db *db;
	struct table *t;
	const struct cycle *cy;
	sdate today;
	int count;
	int64_t cost_pence;
};

static void
heading(const char *title)
{
	printf("\n%s\n", title);
}

static int
show_status(void *ctx, const struct status_entry *s)
{
	struct show_ctx *x = ctx;
	char from[16], to[16], status[64];

	snprintf(status, sizeof status, "%c %s", s->status,
	    status_name(s->status));
	const char *cells[] = { date_show(s->start, from),
	    date_show(s->end, to), status, s->changed_by };

	table_add(x->t, cells);
	return 0;
}

static int
show_target(void *ctx, const struct target *tg)
{
	struct show_ctx *x = ctx;
	char pos[12], rating[40], on[16], need[12];
	int required = derive_required_rating(x->cy->plan_start,
	    x->cy->plan_end, x->today);
	bool track = derive_on_track(tg->latest, x->cy->plan_start,
	    x->cy->plan_end, x->today);

	snprintf(pos, sizeof pos, "%d", tg->position);
	if (tg->latest >= 0)
		snprintf(rating, sizeof rating, "%d %s", tg->latest,
		    rating_name(tg->latest));
	else
		snprintf(rating, sizeof rating, "-");
	snprintf(need, sizeof need, "%d", required);
	const char *cells[] = { pos, tg->text, area_code(tg->area), rating,
	    date_show(tg->latest_on, on), need,
	    tg->outcome != OUTCOME_NONE ? "-" : track ? "yes" : "no",
	    tg->outcome != OUTCOME_NONE ? outcome_name(tg->outcome) : "" };

	table_add(x->t, cells);
	return 0;
}

/* A score as typed: ages as years:months ("7:02"), others as numbers;
 * "" when not recorded. */
static char *
score_text(double v, enum measure_kind kind, char *buf, size_t n)
{
	if (isnan(v))
		buf[0] = '\0';
	else if (kind == MEASURE_AGE && v >= 0)
		snprintf(buf, n, "%d:%02d", (int)lround(v) / 12,
		    (int)lround(v) % 12);
	else
		snprintf(buf, n, "%g", v);
	return buf;
}

/* Two lines per enrolment: a table would need 150 columns. */
static int
show_enrolment(void *ctx, const struct enrolment *en)
{
	struct show_ctx *x = ctx;
	struct intervention iv;
	struct serr e;
	char line[512], start[16], end[16], group[32], cost[32], entry[24],
	    exitv[24];
	double impact = derive_impact(en), gain = derive_ratio_gain(en);
	int64_t year;
	size_t len;

	intervention_init(&iv);
	serr_clear(&e);
	if (intervention_get(x->db, en->intervention_id, &iv, &e) != 0)
		snprintf(iv.name, sizeof iv.name, "?");
	year = en->ended ? 0 : derive_enrolment_cost_year_pence(&iv, en);
	x->cost_pence += year;
	x->count++;
	if (en->group_size > 1)
		snprintf(group, sizeof group, "group of %d", en->group_size);
	else
		snprintf(group, sizeof group, "1:1");
	len = (size_t)snprintf(line, sizeof line, "%s%s%s%s: %d x %d min a "
	    "week, %s, %s", iv.name, en->staff[0] ? " (" : "", en->staff,
	    en->staff[0] ? ")" : "", en->sessions_per_week, en->minutes, group,
	    date_show(en->start, start));
	if (len < sizeof line && en->end != SDATE_NONE)
		len += (size_t)snprintf(line + len, sizeof line - len, " to %s",
		    date_show(en->end, end));
	if (len < sizeof line)
		snprintf(line + len, sizeof line - len, en->ended ? ", ended" :
		    ", running: %s a year", derive_money(year, cost,
		    sizeof cost));
	cli_put_text(line, 0);
	putchar('\n');
	if (en->measure[0] != '\0' || !isnan(en->entry)) {
		score_text(en->entry, en->measure_kind, entry, sizeof entry);
		score_text(en->exit, en->measure_kind, exitv, sizeof exitv);
		len = (size_t)snprintf(line, sizeof line, "  %s: entry %s",
		    en->measure[0] ? en->measure : "measure",
		    entry[0] ? entry : "not recorded");
		if (len < sizeof line && exitv[0])
			len += (size_t)snprintf(line + len, sizeof line - len,
			    ", exit %s", exitv);
		if (len < sizeof line && !isnan(impact))
			len += (size_t)snprintf(line + len, sizeof line - len,
			    ", impact %+g%s", impact,
			    en->measure_kind == MEASURE_AGE ? " months" : "");
		if (len < sizeof line && !isnan(gain))
			snprintf(line + len, sizeof line - len,
			    ", ratio gain %.1f", gain);
		cli_put_text(line, 2);
		putchar('\n');
	}
	intervention_free(&iv);
	return 0;
}

static int
show_note(void *ctx, const struct note *n)
{
	struct show_ctx *x = ctx;
	char on[16];

	printf("%s  %s, by %s\n  ", date_show(n->on, on), n->kind, n->author);
	cli_put_text(n->text, 2);
	putchar('\n');
	x->count++;
	return 0;
}

static int
show_agency(void *ctx, const struct agency *a)
{
	struct show_ctx *x = ctx;
	char ref[16], adv[16];
	const char *cells[] = { a->agency, date_show(a->referred_on, ref),
	    a->status, date_show(a->advice_on, adv), a->notes };

	table_add(x->t, cells);
	return 0;
}

static int
show_exclusion(void *ctx, const struct exclusion *xc)
{
	struct show_ctx *x = ctx;
	char on[16], sessions[12];

	if (xc->kind == EXCLUSION_SUSPENSION)
		snprintf(sessions, sizeof sessions, "%d", xc->sessions);
	else
		sessions[0] = '\0';
	const char *cells[] = { date_show(xc->on, on),
	    xc->kind == EXCLUSION_PERMANENT ? "permanent" : "suspension",
	    sessions, xc->reason };

	table_add(x->t, cells);
	return 0;
}

/* Print a section's table, or a line saying there is nothing. */
static void
section_end(struct show_ctx *x, const char *none)
{
	if (table_rows(x->t) > 0)
		table_print(x->t, stdout, TABLE_ALIGNED);
	else
		printf("%s\n", none);
	table_free(x->t);
	x->t = NULL;
}

static int
show_identity(const struct pupil *p, sdate today)
{
	char buf[512], d[16], flags[16];

	printf("%s, %s\n", p->preferred_surname[0] ? p->preferred_surname :
	    p->legal_surname, p->preferred_forename[0] ?
	    p->preferred_forename : p->legal_forename);
	cli_kv("UPN:", p->upn, true);
	snprintf(buf, sizeof buf, "%s %s", p->legal_forename,
	    p->legal_surname);
	cli_kv("Legal name:", buf, true);
	if (p->preferred_forename[0] || p->preferred_surname[0]) {
		snprintf(buf, sizeof buf, "%s %s",
		    p->preferred_forename[0] ? p->preferred_forename :
		    p->legal_forename, p->preferred_surname[0] ?
		    p->preferred_surname : p->legal_surname);
		cli_kv("Preferred name:", buf, true);
	}
	if (p->dob != SDATE_NONE) {
		snprintf(buf, sizeof buf, "%s (age %d)", date_show(p->dob, d),
		    date_age_years(p->dob, today));
		cli_kv("Date of birth:", buf, true);
	}
	cli_kv("Gender:", p->gender == 'M' ? "M" : p->gender == 'F' ? "F" :
	    "unknown", true);
	snprintf(buf, sizeof buf, "%s (%s)", p->year, year_key_stage(p->year));
	cli_kv("Year group:", buf, true);
	cli_kv("Class:", p->class_name, false);
	cli_kv("Flags:", flags_show(p->flags, flags), false);
	if (p->attendance >= 0) {
		snprintf(buf, sizeof buf, "%.1f%%%s", p->attendance,
		    p->attendance < 90 ? " (persistently absent)" : "");
		cli_kv("Attendance:", buf, true);
	}
	snprintf(buf, sizeof buf, "%c %s%s%s", p->status,
	    status_name(p->status), p->status_since != SDATE_NONE ?
	    ", since " : "", date_show(p->status_since, d));
	cli_kv("SEN status:", buf, true);
	for (int i = 0; i < p->n_needs; i++) {
		const struct need_code *nc = need_find(p->needs[i]);

		snprintf(buf, sizeof buf, "%d %s %s", i + 1, p->needs[i],
		    nc != NULL ? nc->name : "");
		cli_kv(i == 0 ? "Needs:" : "", buf, true);
	}
	if (p->archived) {
		snprintf(buf, sizeof buf, "archived, left %s",
		    date_show(p->left_on, d));
		cli_kv("On roll:", buf, true);
	}
	snprintf(buf, sizeof buf, "%s by %s (version %lld)", p->updated_at,
	    p->changed_by, (long long)p->version);
	cli_kv("Last changed:", buf, true);
	return 0;
}

static int
show_cycle(struct show_ctx *x, const struct cycle *cy, struct serr *e)
{
	static const char *const th[] = { "#", "Target", "Area", "Rating",
	    "Rated", "Needed", "On track", "Outcome" };
	char buf[128], a[16], b[16];

	x->cy = cy;
	snprintf(buf, sizeof buf, "OPEN CYCLE (%s)", stage_name(cy->stage));
	heading(buf);
	snprintf(buf, sizeof buf, "%s to %s", date_show(cy->plan_start, a),
	    date_show(cy->plan_end, b));
	cli_kv("Plan period:", buf, true);
	snprintf(buf, sizeof buf, "%s%s", date_show(cy->review_date, a),
	    derive_review_overdue(cy->review_date, x->today) ?
	    " (overdue)" : "");
	cli_kv("Review date:", buf, true);
	for (int s = 0; s < STAGE_COUNT; s++) {
		snprintf(buf, sizeof buf, "%s notes:", stage_name((enum stage)s));
		cli_kv(buf, cy->notes[s], false);
	}
	cli_kv("Parent voice:", cy->parent_voice, false);
	cli_kv("Pupil voice:", cy->pupil_voice, false);

	heading("TARGETS");
	x->t = table_new(8, th);
	table_align_right(x->t, 0);
	table_align_right(x->t, 5);
	if (target_list(x->db, cy->id, show_target, x, e) != 0)
		return e->code;
	section_end(x, "No targets yet.");
	return 0;
}

static int
run_show(struct cli *c, int argc, char **argv)
{
	static const char *const names[] = { "UPN" };
	static const char *const sh[] = { "From", "To", "Status", "By" };
	static const char *const ah[] = { "Agency", "Referred", "Status",
	    "Advice", "Notes" };
	static const char *const xh[] = { "Date", "Kind", "Sessions",
	    "Reason" };
	struct show_ctx x;
	struct pupil p;
	struct cycle cy;
	struct db *db;
	struct serr e;
	char money[32];
	int st, rc;

	if ((st = cli_plain_options(c, argc, argv)) >= 0)
		return st;
	if ((st = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	cycle_init(&cy);
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	memset(&x, 0, sizeof x);
	x.db = db;
	x.today = date_today();
	serr_clear(&e);

	show_identity(&p, x.today);

	heading("STATUS HISTORY");
	x.t = table_new(4, sh);
	if (pupil_status_history(db, p.id, show_status, &x, &e) != 0)
		goto fail;
	section_end(&x, "None.");

	rc = cycle_open_for(db, p.id, &cy, &e);
	if (rc == 0) {
		if (show_cycle(&x, &cy, &e) != 0)
			goto fail;
	} else if (rc == SE_NOTFOUND) {
		heading("CYCLE");
		printf("No open cycle.\n");
	} else
		goto fail;

	heading("INTERVENTIONS");
	x.count = 0;
	if (enrolment_list_pupil(db, p.id, show_enrolment, &x, &e) != 0)
		goto fail;
	if (x.count == 0)
		printf("None.\n");
	if (x.cost_pence > 0)
		printf("Provision now running: %s a year%s.\n",
		    derive_money(x.cost_pence, money, sizeof money),
		    x.cost_pence > c->cfg->topup_pence ?
		    " (over the top-up threshold)" : "");

	heading("AGENCIES");
	x.t = table_new(5, ah);
	if (agency_list(db, p.id, show_agency, &x, &e) != 0)
		goto fail;
	section_end(&x, "None.");

	heading("EXCLUSIONS");
	x.t = table_new(4, xh);
	table_align_right(x.t, 2);
	if (exclusion_list(db, p.id, show_exclusion, &x, &e) != 0)
		goto fail;
	section_end(&x, "None.");

	heading("NOTES");
	x.count = 0;
	if (note_list(db, p.id, show_note, &x, &e) != 0)
		goto fail;
	if (x.count == 0)
		printf("None.\n");
	st = 0;
	goto out;
fail:
	table_free(x.t);
	st = cli_fail(&e);
out:
	cycle_free(&cy);
	db_close(db);
	return st;
}

/* --- the table ---------------------------------------------------------------- */

#define FIELD_HELP \
	"  --upn UPN                  unique pupil number (13 characters, " \
	"check\n" \
	"                             letter first)\n" \
	"  --surname NAME             legal surname\n" \
	"  --forename NAME            legal forename\n" \
	"  --dob DATE                 date of birth\n" \
	"  --year YEAR                year group: N1, N2, R, 1 to 14, or X\n" \
	"  --gender M|F               gender (or 'unknown')\n" \
	"  --class NAME               class or form\n" \
	"  --preferred-forename NAME  the forename the pupil goes by\n" \
	"  --preferred-surname NAME   the surname the pupil goes by\n" \
	"  --flags LIST               PP, FSM, CiC, EAL, comma-separated " \
	"('none'\n" \
	"                             clears them)\n" \
	"  --attendance PERCENT       attendance, e.g. 93.5 ('unknown' " \
	"clears it)\n" \
	"  --status N|K|E             SEN status: no SEN, SEN support, EHC " \
	"plan\n" \
	"  --since DATE               the day the status started (default " \
	"today)\n" \
	"  --need CODE                a type of need; repeat in rank order, " \
	"primary\n" \
	"                             first: SLCN ASD SPLD MLD SLD PMLD SEMH " \
	"HI VI\n" \
	"                             MSI PD OTH NSA\n"

static const struct cli_sub pupil_subs[] = {
	{ "add", "--upn UPN --surname NAME --forename NAME --dob DATE "
	  "--year YEAR [OPTIONS]",
	  "add a pupil", FIELD_HELP, run_add },
	{ "list", "[--all] [--archived] [--status S] [--year Y] [--need CODE] "
	  "[--search TEXT] [--overdue] [--format F]",
	  "list the SEN register, or every pupil",
	  "  --all            include pupils with no SEN (status N)\n"
	  "  --archived       include pupils who have left\n"
	  "  --status N|K|E   only pupils with this SEN status\n"
	  "  --year YEAR      only this year group\n"
	  "  --need CODE      only pupils with this need (at any rank)\n"
	  "  --search TEXT    only pupils whose name or UPN contains TEXT\n"
	  "  --overdue        only pupils whose review is overdue\n"
	  "  --format F       table (default), csv or tsv; csv and tsv give "
	  "more columns\n",
	  run_list },
	{ "show", "UPN", "show everything about one pupil", NULL, run_show },
	{ "edit", "UPN [OPTIONS]",
	  "change a pupil's details (only the fields given)",
	  FIELD_HELP
	  "A new --status closes the current one and starts a new entry in "
	  "the history.\n--need replaces all the needs ('--need none' "
	  "clears them).\n",
	  run_edit },
	{ "archive", "UPN [--left DATE] [--undo]",
	  "archive a pupil who has left, or bring one back",
	  "  --left DATE   the day the pupil left (default today)\n"
	  "  --undo        bring an archived pupil back onto the roll\n",
	  run_archive },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_pupil = {
	"pupil", "pupils, their SEN status and needs", pupil_subs
};
