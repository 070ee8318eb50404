/*
 * dashboard.c: the caseload at a glance, from one report.c snapshot:
 *   - reviews overdue and due in the next two weeks (Enter: the pupil)
 *   - the share of pupils with all and with half their targets on track,
 *     beside the 70% / 90% criteria
 *   - counts by SEN status, broad area and primary need as bar charts in
 *     block characters (eighths of a cell), each bar with its number
 *   - pupils whose provision costs more than the top-up threshold
 *
 * The page is a list of lines scrolled as one; the lines that name a
 * pupil can be selected (j/k) and opened (Enter). Moving the selection
 * redraws the two lines it touched.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/config.h"
#include "core/derive.h"
#include "core/ehc.h"
#include "core/report.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/dashboard.h"
#include "ui/draw.h"
#include "ui/ehcui.h"
#include "ui/provision.h"
#include "ui/pupil.h"

#define DUE_DAYS 14		/* "due in the next two weeks" */
#define BAR_LABEL_W 36		/* the widest chart label */
#define BAR_TAIL_W 26		/* the number and share after a bar */
#define BAR_MIN_W 10

enum line_kind { L_TEXT, L_HEAD, L_BAR, L_PUPIL };

struct dline {
	enum line_kind kind;
	char text[256];		/* text, or a bar's label */
	char tail[96];		/* a bar's number and share */
	enum ui_style style;
	int value, max;		/* a bar */
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

static void
bar(struct dash *d, const char *label, int label_w, int value, int max,
    const char *tail)
{
	struct dline *l = add(d, L_BAR, ST_NORMAL, "%s", label);

	l->value = value;
	l->max = max;
	l->label_w = label_w;
	snprintf(l->tail, sizeof l->tail, "%s", tail);
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

/* A bar of value/max over w cells in eighths: full blocks and one partial
 * (▏▎▍▌▋▊▉), or '#' per cell without UTF-8. */
static void
draw_bar(int y, int x, int w, int value, int max)
{
	static const char *const part[] = { "", "\xe2\x96\x8f",
	    "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
	    "\xe2\x96\x8a", "\xe2\x96\x89" };
	char buf[1024];
	long eighths;
	int i;
	size_t used = 0;

	if (max <= 0 || value <= 0 || w <= 0) {
		ui_blank(y, x, w, A_NORMAL);
		return;
	}
	eighths = ((long)value * w * 8 + max / 2) / max;
	if (eighths < 1)
		eighths = 1;	/* a count above zero always shows */
	buf[0] = '\0';
	if (ui_utf8()) {
		for (i = 0; i < eighths / 8 && used + 4 < sizeof buf; i++) {
			memcpy(buf + used, "\xe2\x96\x88", 3);
			used += 3;
		}
		if (eighths % 8 != 0 && used + 4 < sizeof buf) {
			memcpy(buf + used, part[eighths % 8], 3);
			used += 3;
		}
	} else {
		long cells = (eighths + 4) / 8;
		if (cells < 1)
			cells = 1;
		for (i = 0; i < cells && used + 1 < sizeof buf; i++)
			buf[used++] = '#';
	}
	buf[used] = '\0';
	ui_draw(y, x, w, buf, A_NORMAL);
}

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
		draw_bar(y, lw + 1, bw, l->value, l->max);
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
