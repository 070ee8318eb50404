/*
 * dashboard.c: the caseload at a glance, from one report.c snapshot:
 *   - reviews overdue and due in the next two weeks (Enter: the pupil)
 *   - the share of pupils with all and with half their targets on track,
 *     beside the 70% / 90% criteria
 *   - counts by SEN status, broad area and primary need as bar charts in
 *     block characters (eighths of a cell), each bar with its number
 *   - the attainment gap of one subject (s: the next) at its latest
 *     assessment point for N, K and E beside the national figure, and the
 *     gap at its last few points: is it closing?
 *   - attendance and persistent absence for N, K and E in the latest
 *     term, and by term
 *   - pupils whose provision costs more than the top-up threshold
 *
 * The page is a list of lines scrolled as one; the lines that name a
 * pupil can be selected (j/k) and opened (Enter). Moving the selection
 * redraws the two lines it touched.
 */
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/config.h"
#include "core/derive.h"
#include "core/ehc.h"
#include "core/outcome.h"
#include "core/report.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/chart.h"
#include "ui/dashboard.h"
#include "ui/draw.h"
#include "ui/ehcui.h"
#include "ui/provision.h"
#include "ui/pupil.h"

#define DUE_DAYS 14		/* "due in the next two weeks" */
#define BAR_LABEL_W 36		/* the widest chart label */
#define BAR_TAIL_W 26		/* the number and share after a bar */
#define BAR_MIN_W 10
#define TREND_POINTS 4		/* assessment points and terms in a trend */
#define TREND_LABEL_W 32
#define SUBJECTS_MAX 32

enum line_kind { L_TEXT, L_HEAD, L_BAR, L_PUPIL };

struct dline {
	enum line_kind kind;
	char text[256];		/* text, or a bar's label */
	char tail[96];		/* a bar's number and share */
	enum ui_style style;
	double value, max;	/* a bar */
	double mark;		/* a rule across the bar; CHART_NO_MARK */
	int label_w;		/* a bar's label column */
	int64_t pupil_id;	/* L_PUPIL */
};

struct dash {
	struct ui_screen base;
	struct dline *lines;
	int n;
	int cur;		/* the selected line (an L_PUPIL), -1 none */
	int top;
	int dirty[2];
	unsigned long gen;
	/* the subject of the attainment chart ("" until results are read)
	 * and the subjects there are, for s */
	char subject[RESULT_SUBJECT_MAX];
	char subjects[SUBJECTS_MAX][RESULT_SUBJECT_MAX];
	int n_subjects;
	int gap_line;		/* the attainment heading, for s */
};

/* --- the lines ------------------------------------------------------------ */

static struct dline *
add(struct dash *d, enum line_kind k, enum ui_style st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static struct dline *
add(struct dash *d, enum line_kind k, enum ui_style st, const char *fmt, ...)
{
	struct dline *l;
	va_list ap;

	d->lines = xreallocarray(d->lines, (size_t)d->n + 1, sizeof *d->lines);
	l = &d->lines[d->n++];
	memset(l, 0, sizeof *l);
	l->kind = k;
	l->style = st;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	return l;
}

static struct dline *
bar(struct dash *d, const char *label, int label_w, double value,
    double max, const char *tail)
{
	struct dline *l = add(d, L_BAR, ST_NORMAL, "%s", label);

	l->value = value;
	l->max = max;
	l->mark = CHART_NO_MARK;
	l->label_w = label_w;
	snprintf(l->tail, sizeof l->tail, "%s", tail);
	return l;
}

/* Money for the screen into buf: "£1,234.56", or in whole pounds
 * ("£1,234") when whole; "GBP" for the sign where the locale has no £. */
static char *
money(int64_t pence, bool whole, char *buf, size_t n)
{
	char tmp[48], *dp;
	size_t l;

	derive_money(whole ? (pence + 50) / 100 * 100 : pence, tmp, 32);
	if (whole && (dp = strrchr(tmp, '.')) != NULL)
		*dp = '\0';
	if (!ui_utf8() && (dp = strstr(tmp, "\xc2\xa3")) != NULL) {
		memmove(dp + 3, dp + 2, strlen(dp + 2) + 1);
		memcpy(dp, "GBP", 3);
	}
	l = strlen(tmp);
	if (l >= n)
		l = n - 1;
	memcpy(buf, tmp, l);
	buf[l] = '\0';
	return buf;
}

static char *
pounds(int64_t pence, char *buf, size_t n)
{
	return money(pence, true, buf, n);
}

static void
add_reviews(struct dash *d, const struct report_caseload *c)
{
	struct report_review *rv = NULL;
	int n, over = 0, i;
	char date[16], when[40];

	n = report_reviews(c, DUE_DAYS, &rv, &over);
	add(d, L_HEAD, ST_HEADING, "Reviews: %d overdue, %d due in the next "
	    "%d days", over, n - over, DUE_DAYS);
	if (n == 0)
		add(d, L_TEXT, ST_DIM, "  none overdue and none due in the "
		    "next two weeks");
	for (i = 0; i < n; i++) {
		const struct report_pupil *p = rv[i].pupil;
		struct dline *l;

		if (rv[i].overdue)
			snprintf(when, sizeof when, "OVERDUE by %d day%s",
			    -rv[i].days, rv[i].days == -1 ? "" : "s");
		else if (rv[i].days == 0)
			snprintf(when, sizeof when, "due today");
		else
			snprintf(when, sizeof when, "due in %d day%s",
			    rv[i].days, rv[i].days == 1 ? "" : "s");
		l = add(d, L_PUPIL, rv[i].overdue ? ST_OVERDUE : ST_NORMAL,
		    "  %-18s %s  %s  Year %s %c %s", when,
		    date_show(rv[i].review_date, date), p->name, p->year,
		    p->status, p->need);
		l->pupil_id = p->pupil_id;
	}
	free(rv);
}

/* The statutory dates beside the SEN support reviews (core/ehc.h): the
 * counts, then the first few, most pressing first; X lists them all. */
#define EHC_LINES 3

static void
add_ehc(struct dash *d, struct app *a)
{
	struct ehc_list rl = { NULL, 0 };
	struct ehcp_list pl = { NULL, 0 };
	struct serr e;
	sdate today = date_today();
	char due[48], date[16];
	int i, shown = 0, req_over = 0, rev_over = 0, rev_due = 0;

	serr_clear(&e);
	if (ehc_list(a->db, today, false, 0, &rl, &e) != 0 ||
	    ehcp_reviews(a->db, a->cfg, today, &pl, &e) != 0) {
		add(d, L_TEXT, ST_ERROR, "EHC: the dates could not be read: %s",
		    e.msg);
		ehc_list_free(&rl);
		return;
	}
	for (i = 0; i < rl.n; i++)
		req_over += rl.v[i].s.next.overdue;
	for (i = 0; i < pl.n; i++) {
		const struct ehcp_row *w = &pl.v[i];

		if (w->next.overdue || w->transfer.overdue ||
		    w->report_overdue)
			rev_over++;
		else if (w->next.days_left <= DUE_DAYS ||
		    (w->transfer.applies && !w->transfer.done &&
		    w->transfer.days_left <= DUE_DAYS))
			rev_due++;
	}
	add(d, L_HEAD, ST_HEADING, "EHC: %d request%s open, %d overdue; "
	    "annual reviews %d overdue, %d due", rl.n, rl.n == 1 ? "" : "s",
	    req_over, rev_over, rev_due);
	for (i = 0; i < rl.n && shown < EHC_LINES; i++, shown++) {
		const struct ehc_row *w = &rl.v[i];
		struct dline *l;

		ehc_due_text(&w->s.next, due, sizeof due);
		l = add(d, L_PUPIL, w->s.next.overdue ? ST_OVERDUE : ST_NORMAL,
		    "  %-18s %s  %s  request: %s", due[0] != '\0' ? due :
		    "no deadline", date_show(w->s.next.due, date), w->name,
		    w->s.next.what != NULL ? w->s.next.what : "");
		l->pupil_id = w->r.pupil_id;
	}
	for (i = 0; i < pl.n && shown < EHC_LINES; i++) {
		const struct ehcp_row *w = &pl.v[i];
		bool tr = w->transfer.applies && !w->transfer.done &&
		    (w->transfer.overdue || w->transfer.days_left <= DUE_DAYS);
		struct ehc_due td = { "phase transfer", w->transfer.due,
		    w->transfer.days_left, w->transfer.overdue };
		const struct ehc_due *u = tr && (!w->next.overdue ||
		    w->transfer.overdue) ? &td : &w->next;
		struct dline *l;

		if (!w->next.overdue && w->next.days_left > DUE_DAYS && !tr)
			continue;
		ehc_due_text(u, due, sizeof due);
		l = add(d, L_PUPIL, u->overdue ? ST_OVERDUE : ST_NORMAL,
		    "  %-18s %s  %s  %s", due, date_show(u->due, date),
		    w->name, u == &td ? "phase transfer" : "annual review");
		l->pupil_id = w->pupil_id;
		shown++;
	}
	ehc_list_free(&rl);
	ehcp_list_free(&pl);
}

static void
add_track(struct dash *d, const struct report_caseload *c)
{
	struct report_track t;
	char tail[96];

	report_on_track(c, NULL, NULL, &t);
	add(d, L_TEXT, ST_NORMAL, "%s", "");
	add(d, L_HEAD, ST_HEADING, "Targets on track: %d pupil%s with "
	    "targets to judge", t.pupils, t.pupils == 1 ? "" : "s");
	snprintf(tail, sizeof tail, "%4d %3.0f%%  aim %d%%: %s", t.all,
	    t.pct_all, REPORT_ALL_CRITERION_PCT, t.pupils == 0 ? "no data" :
	    t.all_met ? "met" : "below");
	bar(d, "  all on track", 18, t.all, t.pupils, tail);
	snprintf(tail, sizeof tail, "%4d %3.0f%%  aim %d%%: %s", t.half,
	    t.pct_half, REPORT_HALF_CRITERION_PCT, t.pupils == 0 ? "no data" :
	    t.half_met ? "met" : "below");
	bar(d, "  half or more", 18, t.half, t.pupils, tail);
	if (t.no_targets > 0)
		add(d, L_TEXT, ST_DIM, "  and %d pupil%s with an open cycle "
		    "but no targets yet", t.no_targets, t.no_targets == 1 ?
		    "" : "s");
}

static int
max3(int a, int b, int c)
{
	int m = a > b ? a : b;

	return m > c ? m : c;
}

static void
add_counts(struct dash *d, const struct report_caseload *c)
{
	struct report_counts n;
	char tail[96], label[64];
	int i, max = 0;

	add(d, L_TEXT, ST_NORMAL, "%s", "");
	add(d, L_HEAD, ST_HEADING, "SEN status: %d pupils on roll", c->roll);
	max = max3(c->status_n, c->status_k, c->status_e);
	snprintf(tail, sizeof tail, "%4d %3.0f%%", c->status_n,
	    report_pct(c->status_n, c->roll));
	bar(d, "  N no SEN", 18, c->status_n, max, tail);
	snprintf(tail, sizeof tail, "%4d %3.0f%%", c->status_k,
	    report_pct(c->status_k, c->roll));
	bar(d, "  K SEN support", 18, c->status_k, max, tail);
	snprintf(tail, sizeof tail, "%4d %3.0f%%", c->status_e,
	    report_pct(c->status_e, c->roll));
	bar(d, "  E EHC plan", 18, c->status_e, max, tail);

	report_counts(c, &n);
	add(d, L_TEXT, ST_NORMAL, "%s", "");
	add(d, L_HEAD, ST_HEADING, "Broad area of primary need: %d pupils "
	    "(K and E)", n.pupils);
	for (i = 0, max = 0; i < AREA_COUNT; i++)
		if (n.by_area[i] > max)
			max = n.by_area[i];
	for (i = AREA_CI; i <= AREA_COUNT; i++) {
		int a = i == AREA_COUNT ? AREA_NONE : i;
		snprintf(label, sizeof label, "  %s", a == AREA_NONE ?
		    "none (OTH, NSA, not recorded)" : area_name((enum area)a));
		snprintf(tail, sizeof tail, "%4d %3.0f%%", n.by_area[a],
		    report_pct(n.by_area[a], n.pupils));
		bar(d, label, BAR_LABEL_W, n.by_area[a], max, tail);
	}

	add(d, L_TEXT, ST_NORMAL, "%s", "");
	add(d, L_HEAD, ST_HEADING, "Primary need: %d pupils (K and E)",
	    n.pupils);
	for (i = 0, max = n.no_need; i < NEED_CODE_COUNT; i++)
		if (n.by_need[i] > max)
			max = n.by_need[i];
	for (i = 0; i < NEED_CODE_COUNT; i++) {
		snprintf(label, sizeof label, "  %-4s %s", need_codes[i].code,
		    need_codes[i].name);
		snprintf(tail, sizeof tail, "%4d %3.0f%%", n.by_need[i],
		    report_pct(n.by_need[i], n.pupils));
		bar(d, label, BAR_LABEL_W, n.by_need[i], max, tail);
	}
	if (n.no_need > 0) {
		snprintf(tail, sizeof tail, "%4d %3.0f%%", n.no_need,
		    report_pct(n.no_need, n.pupils));
		bar(d, "  not recorded", BAR_LABEL_W, n.no_need, max, tail);
	}
}

/* --- outcomes: the attainment gap and attendance (core/outcome.h) ----- */

static const enum outcome_group trio[] = { OG_N, OG_K, OG_E };
static const char *const trio_label[] = {
	"  N no SEN", "  K SEN support", "  E EHC plan",
};
#define TRIO_N 3
#define GROUP_LABEL_W 18

static int
subject_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool
has_subject(const struct dash *d, const char *s)
{
	for (int i = 0; i < d->n_subjects; i++)
		if (strcmp(d->subjects[i], s) == 0)
			return true;
	return false;
}

/* The subjects results are recorded in (for s) and the one charted: the
 * one shown before while it is there, else reading, writing and maths
 * combined (the headline measure), else reading, else the first. */
static void
pick_subject(struct dash *d, const struct gap_report *g)
{
	static const char *const prefer[] = { "rwm", "reading" };
	char keep[RESULT_SUBJECT_MAX];
	int i;

	snprintf(keep, sizeof keep, "%s", d->subject);
	d->n_subjects = 0;
	for (i = 0; i < g->n; i++)
		if (!has_subject(d, g->rows[i].subject) &&
		    d->n_subjects < SUBJECTS_MAX)
			snprintf(d->subjects[d->n_subjects++],
			    RESULT_SUBJECT_MAX, "%s", g->rows[i].subject);
	qsort(d->subjects, (size_t)d->n_subjects, RESULT_SUBJECT_MAX,
	    subject_cmp);
	d->subject[0] = '\0';
	if (keep[0] != '\0' && has_subject(d, keep))
		snprintf(d->subject, sizeof d->subject, "%s", keep);
	for (i = 0; i < 2 && d->subject[0] == '\0'; i++)
		if (has_subject(d, prefer[i]))
			snprintf(d->subject, sizeof d->subject, "%s",
			    prefer[i]);
	if (d->subject[0] == '\0' && d->n_subjects > 0)
		snprintf(d->subject, sizeof d->subject, "%s", d->subjects[0]);
}

static const char *
subject_words(const char *subject)
{
	return strcmp(subject, "rwm") == 0 ? "reading, writing and maths" :
	    subject;
}

/*
 * The sentence under a trend: the gap at the first and the last point
 * and which way it went ("closing" when it fell). against says what the
 * gap is to ("national", "no SEN"); one decimal when decimals.
 */
static void
verdict(struct dash *d, const char *who, const char *against,
    const char *from, const char *to, double g0, double g1, bool decimals)
{
	double ch = g1 - g0;
	int prec = decimals ? 1 : 0;
	char a[16], b[16], c[16], way[48];

	if (isnan(ch)) {
		add(d, L_TEXT, ST_DIM, "  %s: no gap at both %s and %s to "
		    "compare", who, from, to);
		return;
	}
	snprintf(a, sizeof a, "%.*f", prec, g0 + 0.0);
	snprintf(b, sizeof b, "%.*f", prec, g1 + 0.0);
	snprintf(c, sizeof c, "%.*f", prec, fabs(ch));
	if (strcmp(c, decimals ? "0.0" : "0") == 0)
		snprintf(way, sizeof way, "no change");
	else
		snprintf(way, sizeof way, "%s by %s", ch < 0 ? "closing" :
		    "WIDENING", c);
	add(d, L_TEXT, ch > 0 && strcmp(way, "no change") != 0 ? ST_WARN :
	    ST_NORMAL, "  %s: gap to %s %s -> %s points since %s: %s", who,
	    against, a, b, from, way);
}

/* "3/4  75 (Gap = -5%)": expected of judged, then ours as SEND plans
 * write it, the number right-aligned so the gaps line up. */
static void
gap_tail(const struct gap_cell *c, char *buf, size_t n)
{
	char gt[48];
	size_t num;

	outcome_gap_text(c->pct_expected, c->nat_expected, gt, sizeof gt);
	num = strcspn(gt, " ");
	snprintf(buf, n, "%3d/%-3d %*s%s", c->expected, c->judged,
	    num < 3 ? (int)(3 - num) : 0, "", gt[0] != '\0' ? gt : "  -");
}

/* The share of N, K and E at the expected standard in r, each bar with
 * a rule at its national figure, then the national figures as bars. */
static void
add_gap_now(struct dash *d, const struct gap_row *r)
{
	char tail[96], label[64];
	char seen[TRIO_N + 1];
	int k, n_seen = 0;

	add(d, L_TEXT, ST_NORMAL, "%s", "");
	d->gap_line = d->n;
	add(d, L_HEAD, ST_HEADING, "Attainment gap: %s at %s (s: another "
	    "subject)", subject_words(r->subject), r->point);
	add(d, L_TEXT, ST_DIM, "  %% at the expected standard or above; "
	    "Gap = national minus ours; %s national", ui_utf8() ?
	    "\xe2\x94\x82" : "|");
	for (k = 0; k < TRIO_N; k++) {
		const struct gap_cell *c = &r->g[trio[k]];
		struct dline *l;

		gap_tail(c, tail, sizeof tail);
		l = bar(d, trio_label[k], GROUP_LABEL_W, isnan(c->pct_expected) ?
		    0 : c->pct_expected, 100, tail);
		if (!isnan(c->nat_expected))
			l->mark = c->nat_expected;
	}
	/* a national figure for a group of its own is named with it */
	for (k = 0; k < TRIO_N; k++) {
		const struct gap_cell *c = &r->g[trio[k]];

		if (isnan(c->nat_expected) || memchr(seen, c->nat_group,
		    (size_t)n_seen) != NULL)
			continue;
		seen[n_seen++] = c->nat_group;
		snprintf(label, sizeof label, "  national%s%s",
		    c->nat_group != 0 ? " " : "", c->nat_group != 0 ?
		    status_name(c->nat_group) : "");
		snprintf(tail, sizeof tail, "        %3.0f", c->nat_expected);
		bar(d, label, GROUP_LABEL_W, c->nat_expected, 100, tail);
	}
	if (n_seen == 0)
		add(d, L_TEXT, ST_DIM, "  no national figure for %s at %s "
		    "(national in senco.conf)", subject_words(r->subject),
		    r->point);
}

/* The gap of K and E at the last TREND_POINTS points of the subject,
 * oldest first: a bar a point, then whether it is closing. */
static void
add_gap_trend(struct dash *d, const struct gap_report *g)
{
	int idx[TREND_POINTS], n = 0, i, k, j;
	char label[96], tail[96];

	for (i = g->n - 1; i >= 0 && n < TREND_POINTS; i--)
		if (strcmp(g->rows[i].subject, d->subject) == 0)
			idx[n++] = i;
	add(d, L_TEXT, ST_NORMAL, "%s", "");
	if (n < 2) {
		add(d, L_HEAD, ST_HEADING, "Is the gap closing? %s",
		    subject_words(d->subject));
		add(d, L_TEXT, ST_DIM, "  one assessment point so far: the "
		    "trend shows from the second");
		return;
	}
	for (i = 0; i < n / 2; i++) {
		int t = idx[i];
		idx[i] = idx[n - 1 - i];
		idx[n - 1 - i] = t;
	}
	add(d, L_HEAD, ST_HEADING, "Is the gap closing? %s, the last %d "
	    "points, oldest first", subject_words(d->subject), n);
	for (k = 1; k < TRIO_N; k++) {
		enum outcome_group grp = trio[k];
		const struct gap_row *r0 = &g->rows[idx[0]],
		    *r1 = &g->rows[idx[n - 1]];
		const struct gap_cell *c0 = &r0->g[grp], *c1 = &r1->g[grp];

		for (j = 0; j < n; j++) {
			const struct gap_row *r = &g->rows[idx[j]];
			const struct gap_cell *c = &r->g[grp];
			struct dline *l;

			snprintf(label, sizeof label, "%-15s %s", j == 0 ?
			    trio_label[k] : "", r->point);
			gap_tail(c, tail, sizeof tail);
			l = bar(d, label, TREND_LABEL_W,
			    isnan(c->pct_expected) ? 0 : c->pct_expected, 100,
			    tail);
			if (!isnan(c->nat_expected))
				l->mark = c->nat_expected;
		}
		/* to national where both ends have it, else to our own
		 * pupils without SEN */
		if (!isnan(c0->gap_expected) && !isnan(c1->gap_expected))
			verdict(d, outcome_group_code(grp), "national",
			    r0->point, r1->point, c0->gap_expected,
			    c1->gap_expected, false);
		else
			verdict(d, outcome_group_code(grp), "no SEN",
			    r0->point, r1->point,
			    round(r0->g[OG_N].pct_expected) -
			    round(c0->pct_expected),
			    round(r1->g[OG_N].pct_expected) -
			    round(c1->pct_expected), false);
	}
}

static void
add_attainment(struct dash *d, struct app *a)
{
	struct gap_report g = { NULL, 0 };
	struct serr e;
	int i;

	serr_clear(&e);
	if (outcome_gap(a->db, a->cfg, NULL, NULL, &g, &e) != 0 ||
	    outcome_gap_by_time(a->db, &g, &e) != 0) {
		add(d, L_TEXT, ST_NORMAL, "%s", "");
		add(d, L_TEXT, ST_ERROR, "Attainment: the results could not "
		    "be read: %s", e.msg);
		outcome_gap_free(&g);
		return;
	}
	pick_subject(d, &g);
	if (g.n == 0) {
		add(d, L_TEXT, ST_NORMAL, "%s", "");
		add(d, L_HEAD, ST_HEADING, "Attainment gap: no results "
		    "recorded (senco results import)");
		outcome_gap_free(&g);
		return;
	}
	/* the latest point of the subject */
	for (i = g.n - 1; i > 0 && strcmp(g.rows[i].subject, d->subject) !=
	    0; i--)
		;
	add_gap_now(d, &g.rows[i]);
	add_gap_trend(d, &g);
	outcome_gap_free(&g);
}

static double
att_gap(const struct att_cell *g, enum outcome_group grp)
{
	return g[OG_N].mean - g[grp].mean;
}

/* The mean attendance of group grp of g as a bar with the 90% rule,
 * its pupils, and for K and E the gap to no SEN. */
static void
att_bar(struct dash *d, const char *label, int label_w,
    const struct att_cell *g, enum outcome_group grp)
{
	const struct att_cell *c = &g[grp];
	double gp = att_gap(g, grp);
	char tail[96], gap[24];

	gap[0] = '\0';
	if (grp != OG_N && !isnan(gp))
		snprintf(gap, sizeof gap, "  gap %.1f", gp);
	if (c->pupils == 0)
		snprintf(tail, sizeof tail, "%4d     -", 0);
	else
		snprintf(tail, sizeof tail, "%4d %5.1f%%%s", c->pupils,
		    c->mean, gap);
	bar(d, label, label_w, c->pupils > 0 ? c->mean : 0, 100,
	    tail)->mark = ATTENDANCE_PERSISTENT_BELOW;
}

static void
add_attendance(struct dash *d, struct app *a)
{
	struct att_report r;
	struct serr e;
	char tail[96], label[96];
	int k, i, first;

	add(d, L_TEXT, ST_NORMAL, "%s", "");
	serr_clear(&e);
	if (outcome_attendance(a->db, NULL, &r, &e) != 0) {
		add(d, L_TEXT, ST_ERROR, "Attendance could not be read: %s",
		    e.msg);
		return;
	}
	if (r.n_terms == 0) {
		add(d, L_HEAD, ST_HEADING, "Attendance: none recorded (senco "
		    "attendance import)");
		outcome_attendance_free(&r);
		return;
	}
	add(d, L_HEAD, ST_HEADING, "Attendance: %s, the mean of pupils' "
	    "attendance", r.term);
	add(d, L_TEXT, ST_DIM, "  %s at %.0f%%: below it, persistently "
	    "absent; gap = no SEN minus the group", ui_utf8() ?
	    "\xe2\x94\x82" : "|", ATTENDANCE_PERSISTENT_BELOW);
	for (k = 0; k < TRIO_N; k++)
		att_bar(d, trio_label[k], GROUP_LABEL_W, r.g, trio[k]);
	add(d, L_HEAD, ST_HEADING, "Persistently absent (under %.0f%%): %s",
	    ATTENDANCE_PERSISTENT_BELOW, r.term);
	for (k = 0; k < TRIO_N; k++) {
		const struct att_cell *c = &r.g[trio[k]];

		if (c->pupils == 0)
			snprintf(tail, sizeof tail, "%3d/%-3d -", 0, 0);
		else
			snprintf(tail, sizeof tail, "%3d/%-3d %3.0f%%",
			    c->persistent, c->pupils, c->pct_persistent);
		bar(d, trio_label[k], GROUP_LABEL_W, c->pupils > 0 ?
		    c->pct_persistent : 0, 100, tail);
	}
	first = r.n_terms > TREND_POINTS ? r.n_terms - TREND_POINTS : 0;
	if (r.n_terms - first < 2) {
		add(d, L_TEXT, ST_DIM, "  one term so far: attendance by term "
		    "shows from the second");
		outcome_attendance_free(&r);
		return;
	}
	add(d, L_HEAD, ST_HEADING, "Attendance by term: is the gap closing? "
	    "The last %d terms, oldest first", r.n_terms - first);
	for (k = 1; k < TRIO_N; k++) {
		for (i = first; i < r.n_terms; i++) {
			snprintf(label, sizeof label, "%-15s %s", i == first ?
			    trio_label[k] : "", r.terms[i].term);
			att_bar(d, label, TREND_LABEL_W, r.terms[i].g, trio[k]);
		}
		verdict(d, outcome_group_code(trio[k]), "no SEN",
		    r.terms[first].term, r.terms[r.n_terms - 1].term,
		    att_gap(r.terms[first].g, trio[k]),
		    att_gap(r.terms[r.n_terms - 1].g, trio[k]), true);
	}
	outcome_attendance_free(&r);
}

static void
add_outcomes(struct dash *d, struct app *a)
{
	add_attainment(d, a);
	add_attendance(d, a);
}

static void
add_topup(struct dash *d, const struct report_caseload *c)
{
	const struct report_pupil **v = NULL;
	char m[32], t[32];
	int n, i;

	n = report_over_topup(c, &v);
	add(d, L_TEXT, ST_NORMAL, "%s", "");
	add(d, L_HEAD, ST_HEADING, "Provision over the top-up threshold (%s "
	    "a year): %d pupil%s", pounds(c->topup_pence, t, sizeof t), n,
	    n == 1 ? "" : "s");
	if (n == 0)
		add(d, L_TEXT, ST_DIM, "  none");
	for (i = 0; i < n; i++) {
		struct dline *l = add(d, L_PUPIL, ST_WARN, "  %10s a year  "
		    "%s  Year %s %c %s", pounds(v[i]->cost_year_pence, m,
		    sizeof m), v[i]->name, v[i]->year, v[i]->status,
		    v[i]->need);
		l->pupil_id = v[i]->pupil_id;
	}
	free(v);
}

static bool
selectable(const struct dash *d, int i)
{
	return i >= 0 && i < d->n && d->lines[i].kind == L_PUPIL;
}

static void
load(struct dash *d, struct app *a)
{
	struct report_caseload c;
	struct serr e;
	int64_t keep = selectable(d, d->cur) ? d->lines[d->cur].pupil_id : 0;
	int i;

	free(d->lines);
	d->lines = NULL;
	d->n = 0;
	serr_clear(&e);
	if (report_caseload_load(a->db, SDATE_NONE, a->cfg != NULL ?
	    a->cfg->topup_pence : 0, &c, &e) != 0) {
		ui_error_serr(a, &e);
		add(d, L_TEXT, ST_ERROR, "The figures could not be read: %s",
		    e.msg);
	} else {
		add_reviews(d, &c);
		add_ehc(d, a);
		add_track(d, &c);
		add_counts(d, &c);
		add_outcomes(d, a);
		add_topup(d, &c);
		report_caseload_free(&c);
	}
	/* the same pupil stays selected after a reload, else the first */
	d->cur = -1;
	for (i = 0; i < d->n && keep != 0; i++)
		if (selectable(d, i) && d->lines[i].pupil_id == keep) {
			d->cur = i;
			break;
		}
	for (i = 0; i < d->n && d->cur < 0; i++)
		if (selectable(d, i))
			d->cur = i;
	if (d->top >= d->n)
		d->top = 0;
	d->gen = ui_generation(a);
	d->base.full = true;
}

/* --- drawing -------------------------------------------------------------- */

static int
list_rows(const struct app *a)
{
	return ui_body_rows(a);
}

static void
draw_line(struct dash *d, struct app *a, int i)
{
	int y = UI_BODY_TOP + i - d->top;
	const struct dline *l;
	bool sel = i == d->cur;

	if (i < d->top || i >= d->top + list_rows(a))
		return;
	if (i >= d->n) {
		ui_blank(y, 0, a->cols, A_NORMAL);
		return;
	}
	l = &d->lines[i];
	if (l->kind == L_BAR) {
		int lw = l->label_w, bw = a->cols - lw - BAR_TAIL_W - 2;
		if (bw < BAR_MIN_W) {
			lw = a->cols - BAR_TAIL_W - 2 - BAR_MIN_W;
			bw = BAR_MIN_W;
		}
		ui_draw(y, 0, lw, l->text, A_NORMAL);
		ui_blank(y, lw, 1, A_NORMAL);
		ui_chart_bar(y, lw + 1, bw, l->value, l->max, l->mark);
		ui_blank(y, lw + 1 + bw, 1, A_NORMAL);
		ui_draw(y, lw + 2 + bw, a->cols - lw - 2 - bw, l->tail,
		    A_NORMAL);
		return;
	}
	/* the selected line is marked in text as well as reversed */
	if (l->kind == L_PUPIL) {
		char buf[300];
		snprintf(buf, sizeof buf, "%s%s", sel ? ">" : " ",
		    l->text + 1);
		ui_draw(y, 0, a->cols, buf, sel ?
		    ui_style_attr(ST_SELECTED) : ui_style_attr(l->style));
		return;
	}
	ui_draw(y, 0, a->cols, l->text, ui_style_attr(l->style));
}

static void
clamp_top(struct dash *d, struct app *a)
{
	int rows = list_rows(a);

	if (d->top > d->n - rows)
		d->top = d->n - rows;
	if (d->top < 0)
		d->top = 0;
}

/* The selection stays on the page: when the page moved away from it, the
 * first pupil on the page is selected (none: -1). */
static void
fix_cur(struct dash *d, struct app *a)
{
	int rows = list_rows(a), i;

	if (d->cur >= d->top && d->cur < d->top + rows && selectable(d,
	    d->cur))
		return;
	d->cur = -1;
	for (i = d->top; i < d->top + rows && i < d->n; i++)
		if (selectable(d, i)) {
			d->cur = i;
			return;
		}
}

static void
dash_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct dash *d = (struct dash *)s;
	char today[16];
	int i;

	ui_title(a, "senco %s Dashboard %s %s", ui_utf8() ? "\xc2\xb7" : "-",
	    ui_utf8() ? "\xc2\xb7" : "-", date_show(date_today(), today));
	if (full) {
		int rows = list_rows(a);
		clamp_top(d, a);
		fix_cur(d, a);
		for (i = d->top; i < d->top + rows; i++)
			draw_line(d, a, i);
	} else
		for (i = 0; i < 2; i++)
			if (d->dirty[i] >= 0)
				draw_line(d, a, d->dirty[i]);
	d->dirty[0] = d->dirty[1] = -1;
}

/* --- keys ----------------------------------------------------------------- */

static void
scroll_by(struct dash *d, struct app *a, int lines)
{
	d->top += lines;
	clamp_top(d, a);
	fix_cur(d, a);
	d->base.full = true;
}

/*
 * j/k: the next pupil line on the page or just past it; with none there,
 * the page scrolls a line, so the charts between lists can be read.
 */
static void
step(struct dash *d, struct app *a, int dir)
{
	int rows = list_rows(a), from = d->cur, i;

	if (from < d->top || from >= d->top + rows)
		from = dir > 0 ? d->top - 1 : d->top + rows;
	for (i = from + dir; i >= 0 && i < d->n && i >= d->top - 1 &&
	    i <= d->top + rows; i += dir) {
		if (!selectable(d, i))
			continue;
		if (i < d->top || i >= d->top + rows) {
			d->top += dir;
			d->base.full = true;
		} else {
			d->dirty[0] = d->cur;
			d->dirty[1] = i;
		}
		d->cur = i;
		return;
	}
	scroll_by(d, a, dir);
}

/* s: the attainment chart of the next subject (in order, round). */
static void
next_subject(struct dash *d, struct app *a)
{
	int i;

	if (d->n_subjects == 0) {
		ui_message(a, "no results recorded: senco results import adds "
		    "them");
		return;
	}
	for (i = 0; i < d->n_subjects; i++)
		if (strcmp(d->subjects[i], d->subject) == 0)
			break;
	i = i + 1 < d->n_subjects ? i + 1 : 0;
	snprintf(d->subject, sizeof d->subject, "%s", d->subjects[i]);
	load(d, a);
	/* the chart comes into view */
	d->top = d->gap_line;
	ui_message(a, "attainment of %s (%d of %d subjects)",
	    subject_words(d->subject), i + 1, d->n_subjects);
}

static bool
dash_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct dash *d = (struct dash *)s;

	(void)key;
	switch (act) {
	case ACT_DOWN:
		step(d, a, 1);
		return true;
	case ACT_UP:
		step(d, a, -1);
		return true;
	case ACT_PAGE_DOWN:
		scroll_by(d, a, list_rows(a) - 1);
		return true;
	case ACT_PAGE_UP:
		scroll_by(d, a, -(list_rows(a) - 1));
		return true;
	case ACT_TOP:
		scroll_by(d, a, -d->n);
		return true;
	case ACT_BOTTOM:
		scroll_by(d, a, d->n);
		return true;
	case ACT_DASHBOARD_OPEN:
		if (!selectable(d, d->cur)) {
			ui_message(a, "no pupil here: move to a review or a "
			    "pupil over the top-up threshold");
			return true;
		}
		ui_pupil_open(a, d->lines[d->cur].pupil_id);
		return true;
	case ACT_PROVISION:
		ui_provision_open(a);
		return true;
	case ACT_EHC:
		ui_ehc_open(a, 0);
		return true;
	case ACT_DASHBOARD_SUBJECT:
		next_subject(d, a);
		return true;
	default:
		return false;
	}
}

static unsigned
dash_scopes(struct ui_screen *s, struct app *a)
{
	(void)s;
	(void)a;
	return SC_GLOBAL | SC_MOVE | SC_DASHBOARD;
}

static void
dash_resume(struct ui_screen *s, struct app *a)
{
	struct dash *d = (struct dash *)s;

	if (d->gen != ui_generation(a))
		load(d, a);
}

static void
dash_destroy(struct ui_screen *s)
{
	struct dash *d = (struct dash *)s;

	free(d->lines);
	free(d);
}

static const struct ui_screen_ops dash_ops = {
	.name = "Dashboard",
	.scopes = dash_scopes,
	.draw = dash_draw,
	.key = dash_key,
	.resume = dash_resume,
	.destroy = dash_destroy,
};

int
ui_is_dashboard(const struct ui_screen *s)
{
	return s != NULL && s->ops == &dash_ops;
}

void
ui_dashboard_open(struct app *a)
{
	struct dash *d;

	if (ui_is_dashboard(ui_top(a)))
		return;
	/* D on the provision map opened from the dashboard: go back */
	if (a->depth >= 2 && ui_is_dashboard(a->stack[a->depth - 2]) &&
	    ui_is_provision(ui_top(a))) {
		ui_pop(a);
		return;
	}
	d = xcalloc(1, sizeof *d);
	d->base.ops = &dash_ops;
	d->cur = -1;
	d->dirty[0] = d->dirty[1] = -1;
	load(d, a);
	ui_push(a, &d->base);
}
