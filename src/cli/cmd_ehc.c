/*
 * cmd_ehc.c: senco ehc add|edit|step|list|show|review|plan|reviews:
 * requests for an EHC needs assessment with their statutory dates (6,
 * 16 and 20 weeks from the day the local authority received them), and
 * the annual reviews and phase-transfer deadlines of EHC plans.
 *
 * A pupil has at most one open request: edit and step act on the
 * pupil's latest one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_outcome.h"
#include "core/ehc.h"
#include "core/xmalloc.h"

static const char *const upn_name[] = { "UPN" };

#define LABEL_MAX (2 * NAME_MAX_BYTES + 32)
/* Reviews due within this many days are listed (as senco report
 * reviews). */
#define EHC_DEFAULT_DAYS 28
#define EVIDENCE_MAX 16

/* --- add ------------------------------------------------------------------ */

static void
say_next(const struct ehc_request *r)
{
	struct ehc_status s;
	char d[16], when[40];

	ehc_compute(r, date_today(), &s);
	if (s.next.what == NULL) {
		if (r->sent_on == SDATE_NONE)
			printf("Not sent yet: give its dates with 'senco ehc "
			    "edit UPN --sent DATE --received DATE'.\n");
		return;
	}
	printf("Next: %s by %s (%s)%s.\n", s.next.what,
	    date_show(s.next.due, d), ehc_due_text(&s.next, when,
	    sizeof when), s.clock_assumed ? "; counted from the day it was "
	    "sent until the day received is given" : "");
}

static int
run_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sent", required_argument, NULL, 's' },
		{ "received", required_argument, NULL, 'r' },
		{ "requested-by", required_argument, NULL, 'b' },
		{ "evidence", required_argument, NULL, 'v' },
		{ "exception", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *evidence[EVIDENCE_MAX];
	char label[LABEL_MAX], a[16], b[16];
	struct ehc_request r;
	bool by = false;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st, n_ev = 0;

	serr_clear(&e);
	ehc_request_init(&r);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		st = 0;
		switch (ch) {
		case 's':
			st = cli_date(optarg, "date sent", &r.sent_on);
			break;
		case 'r':
			st = cli_date(optarg, "date received", &r.received_on);
			break;
		case 'b':
			if (ehc_requester_parse(optarg, &r.requested_by,
			    &e) != 0)
				return cli_fail(&e);
			by = true;
			break;
		case 'v':
			if (n_ev == EVIDENCE_MAX)
				return cli_usage(c, "at most %d --evidence",
				    EVIDENCE_MAX);
			if (optarg[0] == '\0')
				return cli_usage(c, "--evidence needs a text");
			evidence[n_ev++] = optarg;
			break;
		case 'x':
			r.exception = optarg;
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
	if (r.sent_on == SDATE_NONE)
		return cli_usage(c, "missing --sent DATE (the day the request "
		    "went to the local authority)");
	if (!by)
		return cli_usage(c, "missing --requested-by (school, parent or "
		    "professional)");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	r.pupil_id = p.id;
	if (r.exception != NULL && r.exception[0] == '\0')
		r.exception = NULL;
	if (ehc_request_add(db, &r, evidence, n_ev, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	printf("Recorded a request for an EHC needs assessment for %s by the "
	    "%s, sent %s%s%s.\n", cli_pupil_label(&p, label, sizeof label),
	    ehc_requester_code(r.requested_by), date_show(r.sent_on, a),
	    r.received_on != SDATE_NONE ? ", received " : "",
	    r.received_on != SDATE_NONE ? date_show(r.received_on, b) : "");
	if (n_ev > 0)
		printf("Evidence: %d note%s added.\n", n_ev, n_ev == 1 ? "" :
		    "s");
	say_next(&r);
out:
	/* The exception points into argv: not the request's to free. */
	r.exception = NULL;
	db_close(db);
	return st;
}

/* --- edit ----------------------------------------------------------------- */

/* The pupil's latest request, or an error saying there is none. */
static int
latest(struct cli *c, struct db *db, const struct pupil *p,
    struct ehc_request *r)
{
	char label[LABEL_MAX];
	struct serr e;
	int rc;

	serr_clear(&e);
	rc = ehc_request_latest(db, p->id, r, &e);
	if (rc == SE_NOTFOUND)
		return cli_error(EX_DATAERR, "%s: %s has no EHC needs "
		    "assessment request (record one with 'senco ehc add %s')",
		    c->what,
		    cli_pupil_label(p, label, sizeof label), p->upn);
	if (rc != 0)
		return cli_fail(&e);
	return 0;
}

static int
run_edit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sent", required_argument, NULL, 's' },
		{ "received", required_argument, NULL, 'r' },
		{ "requested-by", required_argument, NULL, 'b' },
		{ "exception", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sdate sent = SDATE_NONE, received = SDATE_NONE;
	enum ehc_requester by = EHC_BY_COUNT;
	const char *exception = NULL;
	char label[LABEL_MAX];
	struct ehc_request r;
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
			st = cli_date(optarg, "date sent", &sent);
			break;
		case 'r':
			st = cli_date(optarg, "date received", &received);
			break;
		case 'b':
			if (ehc_requester_parse(optarg, &by, &e) != 0)
				return cli_fail(&e);
			break;
		case 'x':
			exception = optarg;
			break;
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
		return cli_usage(c, "nothing to change (e.g. --received DATE)");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0 ||
	    (st = latest(c, db, &p, &r)) != 0)
		goto out;
	if (sent != SDATE_NONE)
		r.sent_on = sent;
	if (received != SDATE_NONE)
		r.received_on = received;
	if (by != EHC_BY_COUNT)
		r.requested_by = by;
	if (exception != NULL) {
		free(r.exception);
		r.exception = exception[0] != '\0' ? xstrdup(exception) : NULL;
	}
	if (ehc_request_update(db, &r, &e) != 0)
		st = cli_fail(&e);
	else {
		printf("Updated the EHC needs assessment request of %s.\n",
		    cli_pupil_label(&p, label, sizeof label));
		say_next(&r);
	}
	ehc_request_free(&r);
out:
	db_close(db);
	return st;
}

/* --- step ----------------------------------------------------------------- */

/* "on time (due 15/10/2026)", "9 days late (due ...)". */
static char *
late_words(sdate on, sdate due, char *buf, size_t n)
{
	char d[16];
	int late = on - due;

	if (due == SDATE_NONE)
		buf[0] = '\0';
	else if (late <= 0)
		snprintf(buf, n, "on time (due %s)", date_show(due, d));
	else
		snprintf(buf, n, "%d day%s late (due %s)", late,
		    late == 1 ? "" : "s", date_show(due, d));
	return buf;
}

static int
run_step(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "UPN", "STEP" };
	char label[LABEL_MAX], d[16], late[64];
	struct ehc_request r, now;
	struct ehc_status s;
	enum ehc_step_kind k;
	sdate on = SDATE_NONE;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'd':
			if ((st = cli_date(optarg, "step date", &on)) != 0)
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
	if (ehc_step_parse(argv[optind + 1], &k, &e) != 0)
		return cli_fail(&e);
	if (on == SDATE_NONE)
		on = date_today();
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0 ||
	    (st = latest(c, db, &p, &r)) != 0)
		goto out;
	if (ehc_step_add(db, r.id, k, on, &e) != 0 ||
	    ehc_request_get(db, r.id, &now, &e) != 0) {
		st = cli_fail(&e);
		ehc_request_free(&r);
		goto out;
	}
	ehc_compute(&now, date_today(), &s);
	printf("EHC needs assessment request of %s: %s on %s",
	    cli_pupil_label(&p, label, sizeof label), ehc_step_name(k),
	    date_show(on, d));
	if (!r.appealed && ehc_step_due(&s, k) != SDATE_NONE)
		printf(", %s", late_words(on, ehc_step_due(&s, k), late,
		    sizeof late));
	printf(".\n");
	if (k == EHC_STEP_FINAL)
		printf("%s has an EHC plan (status E) from %s.\n", p.upn,
		    date_show(on, d));
	if (s.appeal_by != SDATE_NONE)
		printf("Parents may appeal to the Tribunal until %s.\n",
		    date_show(s.appeal_by, d));
	say_next(&now);
	ehc_request_free(&now);
	ehc_request_free(&r);
out:
	db_close(db);
	return st;
}

/* --- list ----------------------------------------------------------------- */

static int
list_opts(struct cli *c, int argc, char **argv, bool with_all, bool with_days,
    enum table_format *f, bool *all, sdate *today, int *days)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "today", required_argument, NULL, 't' },
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long v;
	int ch, st;

	*f = TABLE_ALIGNED;
	*all = false;
	*today = SDATE_NONE;
	*days = EHC_DEFAULT_DAYS;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f':
			if ((st = cli_format(c, optarg, f)) != 0)
				return st;
			break;
		case 'a':
			if (!with_all)
				return cli_usage(c, "--all is not an option "
				    "here");
			*all = true;
			break;
		case 't':
			if ((st = cli_date(optarg, "--today", today)) != 0)
				return st;
			break;
		case 'd':
			if (!with_days)
				return cli_usage(c, "--days is not an option "
				    "here");
			if ((st = cli_int(c, optarg, "--days", 0, 3660,
			    &v)) != 0)
				return st;
			*days = (int)v;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return st;
	if (*today == SDATE_NONE)
		*today = date_today();
	return -1;
}

static int
run_list(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "UPN", "Name", "Year", "By", "Sent",
	    "Received", "Stage", "Weeks", "Next deadline", "Due", "When",
	    "Exception" };
	enum table_format f;
	struct ehc_list l;
	struct table *t;
	struct db *db;
	struct serr e;
	sdate today;
	bool all;
	int st, days;

	if ((st = list_opts(c, argc, argv, true, false, &f, &all, &today,
	    &days)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	serr_clear(&e);
	if (ehc_list(db, today, all, 0, &l, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	t = table_new(12, h);
	table_align_right(t, 7);
	for (int i = 0; i < l.n; i++) {
		const struct ehc_row *w = &l.v[i];
		char sent[16], rec[16], due[16], when[40], weeks[16];
		char stage[48];

		if (w->r.appealed && w->r.stage != EHC_APPEAL)
			snprintf(stage, sizeof stage, "%s (after appeal)",
			    ehc_stage_code(w->r.stage));
		else
			snprintf(stage, sizeof stage, "%s",
			    ehc_stage_code(w->r.stage));
		if (w->s.days_elapsed >= 0)
			snprintf(weeks, sizeof weeks, "%d", w->s.weeks_elapsed);
		else
			weeks[0] = '\0';
		const char *cells[] = {
			w->upn, w->name, w->year,
			ehc_requester_code(w->r.requested_by),
			cli_show_date(w->r.sent_on, f, sent),
			w->s.clock_assumed ? (f == TABLE_ALIGNED ?
			    "(not known)" : "") :
			    cli_show_date(w->r.received_on, f, rec),
			stage, weeks,
			w->s.next.what != NULL ? w->s.next.what : "",
			cli_show_date(w->s.next.due, f, due),
			ehc_due_text(&w->s.next, when, sizeof when),
			w->r.exception != NULL ? w->r.exception : ""
		};
		table_add(t, cells);
	}
	if (l.n == 0 && f == TABLE_ALIGNED)
		printf("No %sEHC needs assessment requests.\n", all ? "" :
		    "open ");
	else
		table_print(t, stdout, f);
	table_free(t);
	ehc_list_free(&l);
out:
	db_close(db);
	return st;
}

/* --- show ----------------------------------------------------------------- */

struct show_ctx {
	const struct ehc_status *s;
	bool appealed;
};

static int
show_step(void *ctx, const struct ehc_step *s)
{
	struct show_ctx *x = ctx;
	char d[16], late[64];
	sdate due = x->appealed ? SDATE_NONE : ehc_step_due(x->s, s->kind);

	/* Steps after an appeal keep to the Tribunal's dates. */
	if (s->kind == EHC_STEP_APPEAL)
		x->appealed = true;
	printf("  %s  %-30s %s\n", date_show(s->on, d), ehc_step_name(s->kind),
	    late_words(s->on, due, late, sizeof late));
	return 0;
}

static int
show_event(void *ctx, const struct ehcp_event *ev)
{
	static const char *const words[] = { "plan issued", "annual review",
	    "amended plan" };
	char d[16], r[16];
	int *n = ctx;

	(*n)++;
	printf("  %s  %s", date_show(ev->on, d), words[ev->kind]);
	if (ev->kind == EHCP_REVIEW && ev->report_on != SDATE_NONE)
		printf("; report sent %s", date_show(ev->report_on, r));
	else if (ev->kind == EHCP_REVIEW)
		printf("; report not sent yet");
	if (ev->notes != NULL) {
		printf(": ");
		cli_put_text(ev->notes, 4);
	}
	putchar('\n');
	return 0;
}

static int
run_show(struct cli *c, int argc, char **argv)
{
	char label[LABEL_MAX], a[16], b[16], buf[48];
	struct ehc_list l;
	struct pupil p;
	struct db *db;
	struct serr e;
	int st, events = 0;

	if ((st = cli_plain_options(c, argc, argv)) >= 0)
		return st;
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	serr_clear(&e);
	if (ehc_list(db, date_today(), true, p.id, &l, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	printf("%s\n", cli_pupil_label(&p, label, sizeof label));
	if (l.n == 0)
		printf("No EHC needs assessment request.\n");
	for (int i = 0; i < l.n; i++) {
		const struct ehc_row *w = &l.v[i];
		struct show_ctx x = { &w->s, false };

		printf("\nEHC needs assessment request by the %s: %s\n",
		    ehc_requester_code(w->r.requested_by),
		    ehc_stage_name(w->r.stage));
		cli_kv("Sent:", w->r.sent_on == SDATE_NONE ? "not yet" :
		    date_show(w->r.sent_on, a), true);
		cli_kv("Received:", w->r.received_on == SDATE_NONE ?
		    "not known" : date_show(w->r.received_on, b), true);
		if (w->s.days_elapsed >= 0)
			cli_kv("Elapsed:", ehc_elapsed_text(&w->s, buf,
			    sizeof buf), true);
		if (w->s.next.what != NULL) {
			char line[128], d[16], when[40];

			snprintf(line, sizeof line, "%s by %s (%s)",
			    w->s.next.what, date_show(w->s.next.due, d),
			    ehc_due_text(&w->s.next, when, sizeof when));
			cli_kv("Next:", line, true);
		}
		if (w->s.appeal_by != SDATE_NONE)
			cli_kv("Appeal by:", date_show(w->s.appeal_by, a),
			    true);
		cli_kv("Exception:", w->r.exception, false);
		if (ehc_step_list(db, w->r.id, show_step, &x, &e) != 0) {
			st = cli_fail(&e);
			ehc_list_free(&l);
			goto out;
		}
	}
	ehc_list_free(&l);
	printf("\nEHC plan:\n");
	if (ehcp_event_list(db, p.id, show_event, &events, &e) != 0)
		st = cli_fail(&e);
	else if (events == 0)
		printf("  None recorded.\n");
out:
	db_close(db);
	return st;
}

/* --- review and plan ------------------------------------------------------ */

static int
run_review(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "report-sent", required_argument, NULL, 'r' },
		{ "notes", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char label[LABEL_MAX], d[16], r[16];
	struct ehcp_event ev;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	ehcp_event_init(&ev);
	ev.kind = EHCP_REVIEW;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		st = 0;
		switch (ch) {
		case 'd':
			st = cli_date(optarg, "review date", &ev.on);
			break;
		case 'r':
			st = cli_date(optarg, "report date", &ev.report_on);
			break;
		case 'n':
			ev.notes = optarg;
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
	if (ev.on == SDATE_NONE && ev.report_on == SDATE_NONE)
		return cli_usage(c, "missing --date DATE (the review meeting) "
		    "or --report-sent DATE");
	if (ev.on == SDATE_NONE && ev.notes != NULL)
		return cli_usage(c, "--notes goes with a review's --date");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	serr_clear(&e);
	cli_pupil_label(&p, label, sizeof label);
	if (ev.on == SDATE_NONE) {
		if (ehcp_report_sent(db, p.id, ev.report_on, &e) != 0)
			st = cli_fail(&e);
		else
			printf("The report of the last annual review of %s "
			    "went to the local authority on %s.\n", label,
			    date_show(ev.report_on, r));
		goto out;
	}
	if (ev.notes != NULL && ev.notes[0] == '\0')
		ev.notes = NULL;
	ev.pupil_id = p.id;
	if (ehcp_event_add(db, &ev, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	printf("Recorded the annual review of the EHC plan of %s on %s", label,
	    date_show(ev.on, d));
	if (ev.report_on != SDATE_NONE)
		printf("; report sent %s.\n", date_show(ev.report_on, r));
	else
		printf("; the report is due by %s.\n",
		    date_show(ev.on + EHCP_REPORT_DAYS, r));
out:
	ev.notes = NULL;	/* argv's */
	db_close(db);
	return st;
}

static int
run_plan(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "amended", no_argument, NULL, 'a' },
		{ "notes", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char label[LABEL_MAX], d[16];
	struct ehcp_event ev;
	struct pupil p;
	struct db *db;
	struct serr e;
	int ch, st;

	ehcp_event_init(&ev);
	ev.kind = EHCP_ISSUED;
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'd':
			if ((st = cli_date(optarg, "plan date", &ev.on)) != 0)
				return st;
			break;
		case 'a':
			ev.kind = EHCP_AMENDED;
			break;
		case 'n':
			ev.notes = optarg[0] != '\0' ? optarg : NULL;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((st = cli_args(c, argc, argv, 1, 1, upn_name)) != 0)
		return st;
	if (ev.on == SDATE_NONE)
		return cli_usage(c, "missing --date DATE (the day the %s plan "
		    "was issued)", ev.kind == EHCP_AMENDED ? "amended" :
		    "final");
	if ((st = cli_open(c, true, &db)) != 0)
		return st;
	if ((st = cli_find_pupil(c, db, argv[optind], &p)) != 0)
		goto out;
	serr_clear(&e);
	ev.pupil_id = p.id;
	if (ehcp_event_add(db, &ev, &e) != 0)
		st = cli_fail(&e);
	else
		printf("Recorded the %sEHC plan of %s, issued %s.\n",
		    ev.kind == EHCP_AMENDED ? "amended " : "",
		    cli_pupil_label(&p, label, sizeof label),
		    date_show(ev.on, d));
out:
	ev.notes = NULL;	/* argv's */
	db_close(db);
	return st;
}

/* --- reviews -------------------------------------------------------------- */

/* Whether a plan has anything due within `days` or overdue. */
static bool
pressing(const struct ehcp_row *w, int days)
{
	return w->next.days_left <= days || w->report_overdue ||
	    (w->report_due != SDATE_NONE && w->report_on == SDATE_NONE) ||
	    (w->transfer.applies && !w->transfer.done &&
	    w->transfer.days_left <= days);
}

static int
run_reviews(struct cli *c, int argc, char **argv)
{
	static const char *const h[] = { "UPN", "Name", "Year", "Plan",
	    "Last review", "Report", "Next review", "When", "Transfer by",
	    "Transfer" };
	enum table_format f;
	struct ehcp_list l;
	struct table *t;
	struct db *db;
	struct serr e;
	sdate today;
	bool all;
	int st, days, shown = 0;

	if ((st = list_opts(c, argc, argv, true, true, &f, &all, &today,
	    &days)) >= 0)
		return st;
	if ((st = cli_open(c, false, &db)) != 0)
		return st;
	serr_clear(&e);
	if (ehcp_reviews(db, c->cfg, today, &l, &e) != 0) {
		st = cli_fail(&e);
		goto out;
	}
	t = table_new(10, h);
	for (int i = 0; i < l.n; i++) {
		const struct ehcp_row *w = &l.v[i];
		char plan[16], last[16], next[24], when[40], tdue[16];
		char report[48], transfer[64], d[16];

		if (!all && !pressing(w, days))
			continue;
		shown++;
		if (w->last_review == SDATE_NONE)
			report[0] = '\0';
		else if (w->report_on != SDATE_NONE)
			snprintf(report, sizeof report, "sent %s",
			    cli_show_date(w->report_on, f, d));
		else if (w->report_overdue)
			snprintf(report, sizeof report, "OVERDUE by %d day%s",
			    -w->report_days_left, w->report_days_left == -1 ?
			    "" : "s");
		else
			snprintf(report, sizeof report, "due %s",
			    cli_show_date(w->report_due, f, d));
		snprintf(next, sizeof next, "%s%s",
		    cli_show_date(w->next.due, f, d),
		    w->under5 ? " (6 months)" : "");
		if (!w->transfer.applies)
			transfer[0] = tdue[0] = '\0';
		else {
			struct ehc_due td = { "transfer", w->transfer.due,
			    w->transfer.days_left, w->transfer.overdue };
			char words[40];

			cli_show_date(w->transfer.due, f, tdue);
			if (w->transfer.done)
				snprintf(transfer, sizeof transfer,
				    "amended %s", cli_show_date(
				    w->transfer.amended_on, f, d));
			else
				snprintf(transfer, sizeof transfer, "to %s: %s",
				    w->transfer.to, ehc_due_text(&td, words,
				    sizeof words));
		}
		const char *cells[] = {
			w->upn, w->name, w->year,
			cli_show_date(w->plan_on, f, plan),
			cli_show_date(w->last_review, f, last), report, next,
			ehc_due_text(&w->next, when, sizeof when), tdue,
			transfer
		};
		table_add(t, cells);
	}
	if (shown == 0 && f == TABLE_ALIGNED && all)
		printf("No pupil has an EHC plan.\n");
	else if (shown == 0 && f == TABLE_ALIGNED)
		printf("No EHC plan review is overdue or due in the next %d "
		    "days.\n", days);
	else
		table_print(t, stdout, f);
	table_free(t);
	ehcp_list_free(&l);
out:
	db_close(db);
	return st;
}

/* --- the command ---------------------------------------------------------- */

static const struct cli_sub ehc_subs[] = {
	{ "add", "UPN --sent DATE [--received DATE] --requested-by "
	  "school|parent|professional [--evidence TEXT]... [--exception TEXT]",
	  "record a request for an EHC needs assessment",
	  "  --sent DATE          the day the request went to the local "
	  "authority\n"
	  "  --received DATE      the day the LA received it: the statutory "
	  "clock starts\n"
	  "                       then (until it is given, from the day sent)\n"
	  "  --requested-by WHO   school, parent or professional\n"
	  "  --evidence TEXT      evidence sent with it, kept as a note on the "
	  "pupil\n"
	  "                       (may be given several times)\n"
	  "  --exception TEXT     why the LA may be excused the 6 or 20 weeks "
	  "(SEND\n"
	  "                       Code of Practice 9.42): shown beside the "
	  "dates, which\n"
	  "                       stay as the law counts them\n"
	  "\n"
	  "The LA decides whether to assess by 6 weeks, issues a draft plan "
	  "(or\ndecides not to) by 16 and the final plan by 20 weeks from the "
	  "day it\nreceived the request: calendar weeks, school holidays "
	  "included.\n",
	  run_add },
	{ "edit", "UPN [--sent DATE] [--received DATE] [--requested-by WHO] "
	  "[--exception TEXT]",
	  "change the dates of the pupil's latest request",
	  "Empty text clears the exception.\n", run_edit },
	{ "step", "UPN decision-agreed|decision-declined|draft|final|refused|"
	  "appeal [--date DATE]",
	  "record the next step of the pupil's latest request",
	  "  --date DATE   the day of the step (default today)\n"
	  "\n"
	  "After the request: decision-agreed or decision-declined; after an "
	  "agreed\ndecision: draft, refused (no plan) or final; after a draft: "
	  "final. A declined\nor refused request can be appealed; after an "
	  "appeal, what the Tribunal\nordered. A final plan sets the pupil's "
	  "status to E from its date.\n",
	  run_step },
	{ "list", "[--all] [--format F] [--today DATE]",
	  "open requests with weeks elapsed and the next deadline",
	  "  --all          requests that are decided too\n"
	  "  --format F     table (default), csv or tsv\n"
	  "  --today DATE   the day to count to (default today)\n"
	  "Overdue ones first, marked OVERDUE with the days late.\n",
	  run_list },
	{ "show", "UPN", "a pupil's requests, their steps and EHC plan",
	  NULL, run_show },
	{ "review", "UPN --date DATE [--report-sent DATE] [--notes TEXT] | "
	  "UPN --report-sent DATE",
	  "record an annual review of an EHC plan, or when its report went",
	  "  --date DATE          the day of the review meeting\n"
	  "  --report-sent DATE   the day the school's report went to the LA "
	  "(due\n"
	  "                       within 2 weeks of the meeting); alone, for "
	  "the last\n"
	  "                       review\n"
	  "  --notes TEXT         notes of the review\n",
	  run_review },
	{ "plan", "UPN --date DATE [--amended] [--notes TEXT]",
	  "record an EHC plan issued (or amended) outside a request",
	  "  --date DATE   the day the plan was issued\n"
	  "  --amended     an amended plan (after a review), not a new one\n"
	  "  --notes TEXT  notes\n"
	  "\n"
	  "A plan issued sets the pupil's status to E from its date, and the "
	  "annual\nreviews count from it.\n",
	  run_plan },
	{ "reviews", "[--days N] [--all] [--format F] [--today DATE]",
	  "EHC plan annual reviews and phase-transfer deadlines due and "
	  "overdue",
	  "  --days N       the window of reviews due (default 28)\n"
	  "  --all          every pupil with an EHC plan\n"
	  "  --format F     table (default), csv or tsv\n"
	  "  --today DATE   the day to count to (default today)\n"
	  "\n"
	  "An annual review is due 12 months after the plan or the last "
	  "review (6\nmonths for a child under 5); its report 2 weeks after "
	  "the meeting. Pupils\nin a transfer year (ehc.transfer_years; "
	  "default N2, 6, 9 and 11) need their\nplan reviewed and amended by "
	  "15 February (31 March into post-16).\n",
	  run_reviews },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cli_command cli_cmd_ehc = {
	"ehc", "EHC needs assessment requests and EHC plan reviews", ehc_subs
};
