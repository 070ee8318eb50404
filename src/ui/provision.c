/*
 * provision.c: the provision map: every intervention with its current
 * pupils, sessions and staff hours a week, cost a year in all and per
 * pupil, and the mean impact of the enrolments that finished (report.c
 * gives the figures, so they agree with the register and the dashboard).
 * Enter lists the intervention's group (current and past members with
 * staff, sessions, dates, entry and exit scores, impact); Enter on a
 * member opens the pupil.
 *
 * Both lists redraw only the two rows a cursor move touches.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/derive.h"
#include "core/intervention.h"
#include "core/report.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/dashboard.h"
#include "ui/draw.h"
#include "ui/provision.h"
#include "ui/pupil.h"

/* Map columns (cells); the name takes what is left. */
#define C_AREA 4
#define C_PUPILS 6
#define C_SESS 7
#define C_HOURS 6
#define C_COST 10
#define C_PER 9
#define C_IMPACT 7
#define C_NAME_MIN 16
/* Group columns. */
#define G_STATE 6
#define G_STAFF 12
#define G_SESS 6
#define G_START 10
#define G_SCORE 6
#define G_NAME_MIN 14

#define LIST_TOP (UI_BODY_TOP + 1)	/* under the headings */
/* under the list: a rule and two lines on the selection */
#define DETAIL_ROWS 3

/* A list with a cursor, shared by the map and the group. */
struct plist {
	struct ui_screen base;
	int n, cur, top;
	int dirty[2];
	unsigned long gen;
};

struct pmap {
	struct plist l;
	struct report_provision p;
};

struct member {
	struct report_member m;
};

struct pgroup {
	struct plist l;
	int64_t iv_id;
	struct report_iv iv;	/* the map's row, for the heading */
	struct member *v;
};

static const char *
dot(void)
{
	return ui_utf8() ? "\xc2\xb7" : "-";
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

/* x with `decimals` places, with a sign when sign; "-" for NAN. */
static char *
number(double x, int decimals, bool sign, char *buf, size_t n)
{
	if (isnan(x))
		snprintf(buf, n, "-");
	else if (sign)
		snprintf(buf, n, "%+.*f", decimals, x);
	else
		snprintf(buf, n, "%.*f", decimals, x);
	return buf;
}

/* --- the list ------------------------------------------------------------- */

static int
list_rows(const struct app *a)
{
	int r = ui_body_bottom(a) - LIST_TOP + 1 - DETAIL_ROWS;

	return r < 1 ? 1 : r;
}

static void
list_move(struct plist *l, struct app *a, int to)
{
	int rows = list_rows(a);

	if (l->n == 0)
		return;
	if (to < 0)
		to = 0;
	if (to >= l->n)
		to = l->n - 1;
	if (to == l->cur)
		return;
	l->dirty[0] = l->cur;
	l->dirty[1] = to;
	l->cur = to;
	if (l->cur < l->top || l->cur >= l->top + rows) {
		l->top = l->cur < l->top ? l->cur : l->cur - rows + 1;
		l->base.full = true;
	}
}

static bool
list_key(struct plist *l, struct app *a, enum ui_action act)
{
	int rows = list_rows(a);

	switch (act) {
	case ACT_DOWN:
		list_move(l, a, l->cur + 1);
		return true;
	case ACT_UP:
		list_move(l, a, l->cur - 1);
		return true;
	case ACT_PAGE_DOWN:
		list_move(l, a, l->cur + rows);
		return true;
	case ACT_PAGE_UP:
		list_move(l, a, l->cur - rows);
		return true;
	case ACT_TOP:
		list_move(l, a, 0);
		return true;
	case ACT_BOTTOM:
		list_move(l, a, l->n - 1);
		return true;
	default:
		return false;
	}
}

/* Draw the rows asked for (full: the page) with draw_row, then the
 * detail of the selection under the list. */
static void
list_draw(struct plist *l, struct app *a, bool full,
    void (*draw_row)(struct plist *, struct app *, int, int, bool),
    void (*draw_detail)(struct plist *, struct app *, int))
{
	int rows = list_rows(a), i, y0 = LIST_TOP + rows;

	if (l->cur >= l->n)
		l->cur = l->n > 0 ? l->n - 1 : 0;
	if (l->top > l->cur)
		l->top = l->cur;
	if (l->cur >= l->top + rows)
		l->top = l->cur - rows + 1;
	if (full) {
		for (i = l->top; i < l->top + rows; i++) {
			if (i < l->n)
				draw_row(l, a, i, LIST_TOP + i - l->top,
				    i == l->cur);
			else
				ui_blank(LIST_TOP + i - l->top, 0, a->cols,
				    A_NORMAL);
		}
	} else
		for (i = 0; i < 2; i++) {
			int k = l->dirty[i];
			if (k >= l->top && k < l->top + rows && k < l->n)
				draw_row(l, a, k, LIST_TOP + k - l->top,
				    k == l->cur);
		}
	if (full || l->dirty[1] >= 0) {
		ui_hline(y0, 0, a->cols, A_NORMAL);
		draw_detail(l, a, y0 + 1);
	}
	l->dirty[0] = l->dirty[1] = -1;
}

/* --- the map -------------------------------------------------------------- */

static int
map_name_w(const struct app *a)
{
	int w = a->cols - (C_AREA + C_PUPILS + C_SESS + C_HOURS + C_COST +
	    C_PER + C_IMPACT + 7);

	return w < C_NAME_MIN ? C_NAME_MIN : w;
}

static void
map_row(struct plist *l, struct app *a, int i, int y, bool sel)
{
	struct pmap *m = (struct pmap *)l;
	const struct report_iv *v = &m->p.ivs[i];
	int attr = sel ? ui_style_attr(ST_SELECTED) : v->retired ?
	    ui_style_attr(ST_DIM) : (int)A_NORMAL;
	char buf[512], name[INTERVENTION_NAME_MAX + 16], n1[32];

	snprintf(name, sizeof name, "%s%s", v->name, v->retired ?
	    " (retired)" : "");
	snprintf(buf, sizeof buf, "%-4s %6d %7.1f %6.1f ",
	    v->area != AREA_NONE ? area_code(v->area) : "-", v->pupils,
	    v->sessions_week, v->hours_week);
	ui_draw(y, 0, map_name_w(a), name, attr);
	ui_blank(y, map_name_w(a), 1, attr);
	{
		int x = map_name_w(a) + 1;
		char c1[32], c2[32];

		/* the money columns hold a UTF-8 £: right-align by cells */
		ui_draw(y, x, C_AREA + 1 + C_PUPILS + 1 + C_SESS + 1 +
		    C_HOURS + 1, buf, attr);
		x += C_AREA + C_PUPILS + C_SESS + C_HOURS + 4;
		ui_draw_right(y, x, C_COST, pounds(v->cost_year_pence, c1,
		    sizeof c1), attr);
		ui_blank(y, x + C_COST, 1, attr);
		x += C_COST + 1;
		ui_draw_right(y, x, C_PER, v->pupils > 0 ?
		    pounds(v->cost_pupil_pence, c2, sizeof c2) : "-", attr);
		ui_blank(y, x + C_PER, 1, attr);
		x += C_PER + 1;
		ui_draw_right(y, x, a->cols - x, number(v->mean_impact,
		    1, true, n1, sizeof n1), attr);
	}
}

static void
map_detail(struct plist *l, struct app *a, int y)
{
	struct pmap *m = (struct pmap *)l;
	const struct report_iv *v;
	char buf[512], c[32], n1[32], n2[32];

	ui_blank(y, 0, a->cols, A_NORMAL);
	ui_blank(y + 1, 0, a->cols, A_NORMAL);
	if (m->p.n == 0) {
		ui_draw(y, 0, a->cols, "No interventions yet: add them to the "
		    "catalogue with 'senco intervention add' or the config.",
		    A_NORMAL);
		return;
	}
	v = &m->p.ivs[l->cur];
	money(v->cost_pence, false, c, sizeof c);
	snprintf(buf, sizeof buf, "%s: %s %s; %s; %d enrolment%s now",
	    v->name, c, v->basis == COST_PER_HOUR ? "an hour" : "a session",
	    v->area != AREA_NONE ? area_name(v->area) : "no area",
	    v->enrolments, v->enrolments == 1 ? "" : "s");
	ui_draw(y, 0, a->cols, buf, A_NORMAL);
	snprintf(buf, sizeof buf, "Finished: %d, %d with entry and exit "
	    "(mean impact %s), %d on an age measure (mean ratio gain %s)",
	    v->finished, v->n_impact, number(v->mean_impact, 1, true, n1,
	    sizeof n1), v->n_ratio, number(v->mean_ratio_gain, 2, false, n2,
	    sizeof n2));
	ui_draw(y + 1, 0, a->cols, buf, ui_style_attr(ST_DIM));
}

static void
map_load(struct pmap *m, struct app *a)
{
	struct serr e;

	report_provision_free(&m->p);
	serr_clear(&e);
	if (report_provision_load(a->db, SDATE_NONE, &m->p, &e) != 0)
		ui_error_serr(a, &e);
	m->l.n = m->p.n;
	if (m->l.cur >= m->l.n)
		m->l.cur = m->l.n > 0 ? m->l.n - 1 : 0;
	m->l.gen = ui_generation(a);
	m->l.base.full = true;
}

static void
map_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct pmap *m = (struct pmap *)s;
	char c[32], head[256];
	int w = map_name_w(a);

	ui_title(a, "senco %s Provision map %s %d intervention%s %s %d pupil%s "
	    "%s %s a year", dot(), dot(), m->p.n, m->p.n == 1 ? "" : "s",
	    dot(), m->p.pupils, m->p.pupils == 1 ? "" : "s", dot(),
	    pounds(m->p.cost_year_pence, c, sizeof c));
	if (full) {
		snprintf(head, sizeof head, "%-*s %-4s %6s %7s %6s %10s %9s "
		    "%7s", w, "Intervention", "Area", "Pupils", "Sess/wk",
		    "Hrs/wk", "Cost/year", "Per pupil", "Impact");
		ui_draw(UI_BODY_TOP, 0, a->cols, head,
		    ui_style_attr(ST_HEADING));
	}
	list_draw(&m->l, a, full, map_row, map_detail);
}

static bool map_key(struct ui_screen *, struct app *, enum ui_action, int);

static unsigned
prov_scopes(struct ui_screen *s, struct app *a)
{
	(void)s;
	(void)a;
	return SC_GLOBAL | SC_MOVE | SC_PROVISION;
}

static void
map_resume(struct ui_screen *s, struct app *a)
{
	struct pmap *m = (struct pmap *)s;

	if (m->l.gen != ui_generation(a))
		map_load(m, a);
}

static void
map_destroy(struct ui_screen *s)
{
	struct pmap *m = (struct pmap *)s;

	report_provision_free(&m->p);
	free(m);
}

static const struct ui_screen_ops map_ops = {
	.name = "Provision map",
	.scopes = prov_scopes,
	.draw = map_draw,
	.key = map_key,
	.resume = map_resume,
	.destroy = map_destroy,
};

/* --- the group ------------------------------------------------------------ */

static int
group_name_w(const struct app *a)
{
	int w = a->cols - (G_STATE + G_STAFF + G_SESS + G_START + 3 * G_SCORE
	    + 7);

	return w < G_NAME_MIN ? G_NAME_MIN : w;
}

static const char *
state_of(const struct report_member *m)
{
	if (m->archived)
		return "left";
	if (m->current)
		return "now";
	if (m->en.ended)
		return "ended";
	if (m->en.start != SDATE_NONE && m->en.start > date_today())
		return "from";
	return "past";
}

static void
group_row(struct plist *l, struct app *a, int i, int y, bool sel)
{
	struct pgroup *g = (struct pgroup *)l;
	const struct report_member *m = &g->v[i].m;
	int attr = sel ? ui_style_attr(ST_SELECTED) : m->current ?
	    (int)A_NORMAL : ui_style_attr(ST_DIM);
	int x = 0, nw = group_name_w(a);
	char buf[64], d[16], n1[16], n2[16], n3[16];

	ui_draw(y, x, G_STATE, state_of(m), attr);
	x += G_STATE;
	ui_blank(y, x++, 1, attr);
	ui_draw(y, x, nw, m->name, attr);
	x += nw;
	ui_blank(y, x++, 1, attr);
	ui_draw(y, x, G_STAFF, m->en.staff[0] ? m->en.staff : "-", attr);
	x += G_STAFF;
	ui_blank(y, x++, 1, attr);
	snprintf(buf, sizeof buf, "%dx%d'", m->en.sessions_per_week,
	    m->en.minutes);
	ui_draw(y, x, G_SESS, buf, attr);
	x += G_SESS;
	ui_blank(y, x++, 1, attr);
	ui_draw(y, x, G_START, date_show(m->en.start, d), attr);
	x += G_START;
	snprintf(buf, sizeof buf, " %*s %*s %*s", G_SCORE,
	    number(m->en.entry, 0, false, n1, sizeof n1), G_SCORE,
	    number(m->en.exit, 0, false, n2, sizeof n2), G_SCORE,
	    number(m->impact, 0, true, n3, sizeof n3));
	ui_draw(y, x, a->cols - x, buf, attr);
}

static void
group_detail(struct plist *l, struct app *a, int y)
{
	struct pgroup *g = (struct pgroup *)l;
	const struct report_member *m;
	char buf[512], d1[16], d2[16], c[32], n1[16];

	ui_blank(y, 0, a->cols, A_NORMAL);
	ui_blank(y + 1, 0, a->cols, A_NORMAL);
	if (l->n == 0) {
		ui_draw(y, 0, a->cols, "Nobody has been enrolled yet (enrol a "
		    "pupil from the pupil's Interventions pane).", A_NORMAL);
		return;
	}
	m = &g->v[l->cur].m;
	snprintf(buf, sizeof buf, "%s: %s to %s, group of %d, %s",
	    m->name, date_show(m->en.start, d1),
	    m->en.end != SDATE_NONE ? date_show(m->en.end, d2) : "no end set",
	    m->en.group_size, m->current ? pounds(m->cost_year_pence, c,
	    sizeof c) : "no cost now");
	if (m->current)
		strncat(buf, " a year", sizeof buf - strlen(buf) - 1);
	ui_draw(y, 0, a->cols, buf, A_NORMAL);
	snprintf(buf, sizeof buf, "Measure: %s (%s)%s%s",
	    m->en.measure[0] ? m->en.measure : "not named",
	    m->en.measure_kind == MEASURE_AGE ? "an age in months" :
	    m->en.measure_kind == MEASURE_RATING ? "a rating" : "a score",
	    isnan(m->ratio_gain) ? "" : ", ratio gain ",
	    isnan(m->ratio_gain) ? "" : number(m->ratio_gain, 2, false, n1,
	    sizeof n1));
	ui_draw(y + 1, 0, a->cols, buf, ui_style_attr(ST_DIM));
}

static int
on_member(void *ctx, const struct report_member *m)
{
	struct pgroup *g = ctx;

	g->v = xreallocarray(g->v, (size_t)g->l.n + 1, sizeof *g->v);
	g->v[g->l.n++].m = *m;
	return 0;
}

static void
group_load(struct pgroup *g, struct app *a)
{
	struct serr e;

	free(g->v);
	g->v = NULL;
	g->l.n = 0;
	serr_clear(&e);
	if (report_group(a->db, g->iv_id, SDATE_NONE, on_member, g, &e) != 0)
		ui_error_serr(a, &e);
	if (g->l.cur >= g->l.n)
		g->l.cur = g->l.n > 0 ? g->l.n - 1 : 0;
	g->l.gen = ui_generation(a);
	g->l.base.full = true;
}

static void
group_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct pgroup *g = (struct pgroup *)s;
	char head[256];

	ui_title(a, "senco %s Provision map %s %s %s %d pupil%s now", dot(),
	    dot(), g->iv.name, dot(), g->iv.pupils, g->iv.pupils == 1 ? "" :
	    "s");
	if (full) {
		snprintf(head, sizeof head, "%-*s %-*s %-*s %-*s %-*s %*s %*s "
		    "%*s", G_STATE, "State", group_name_w(a), "Pupil", G_STAFF,
		    "Staff", G_SESS, "Sess", G_START, "Start", G_SCORE,
		    "Entry", G_SCORE, "Exit", G_SCORE, "Impact");
		ui_draw(UI_BODY_TOP, 0, a->cols, head,
		    ui_style_attr(ST_HEADING));
	}
	list_draw(&g->l, a, full, group_row, group_detail);
}

static bool
group_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct pgroup *g = (struct pgroup *)s;

	(void)key;
	if (list_key(&g->l, a, act))
		return true;
	switch (act) {
	case ACT_PROVISION_OPEN:
		if (g->l.n == 0) {
			ui_message(a, "nobody in this group to open");
			return true;
		}
		ui_pupil_open(a, g->v[g->l.cur].m.en.pupil_id);
		return true;
	case ACT_DASHBOARD:
		ui_dashboard_open(a);
		return true;
	default:
		return false;
	}
}

static void
group_resume(struct ui_screen *s, struct app *a)
{
	struct pgroup *g = (struct pgroup *)s;

	if (g->l.gen != ui_generation(a))
		group_load(g, a);
}

static void
group_destroy(struct ui_screen *s)
{
	struct pgroup *g = (struct pgroup *)s;

	free(g->v);
	free(g);
}

static const struct ui_screen_ops group_ops = {
	.name = "Provision group",
	.scopes = prov_scopes,
	.draw = group_draw,
	.key = group_key,
	.resume = group_resume,
	.destroy = group_destroy,
};

static void
group_open(struct app *a, const struct report_iv *iv)
{
	struct pgroup *g = xcalloc(1, sizeof *g);

	g->l.base.ops = &group_ops;
	g->l.dirty[0] = g->l.dirty[1] = -1;
	g->iv_id = iv->id;
	g->iv = *iv;
	group_load(g, a);
	ui_push(a, &g->l.base);
}

/* --- the map's keys, and opening it --------------------------------------- */

static bool
map_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct pmap *m = (struct pmap *)s;

	(void)key;
	if (list_key(&m->l, a, act))
		return true;
	switch (act) {
	case ACT_PROVISION_OPEN:
		if (m->p.n == 0) {
			ui_message(a, "no interventions to open");
			return true;
		}
		group_open(a, &m->p.ivs[m->l.cur]);
		return true;
	case ACT_DASHBOARD:
		ui_dashboard_open(a);
		return true;
	default:
		return false;
	}
}

int
ui_is_provision(const struct ui_screen *s)
{
	return s != NULL && s->ops == &map_ops;
}

void
ui_provision_open(struct app *a)
{
	struct pmap *m;

	if (ui_is_provision(ui_top(a)))
		return;
	/* P on the dashboard opened from the map: go back to the map */
	if (a->depth >= 2 && ui_is_provision(a->stack[a->depth - 2]) &&
	    ui_is_dashboard(ui_top(a))) {
		ui_pop(a);
		return;
	}
	m = xcalloc(1, sizeof *m);
	m->l.base.ops = &map_ops;
	m->l.dirty[0] = m->l.dirty[1] = -1;
	map_load(m, a);
	ui_push(a, &m->l.base);
}
