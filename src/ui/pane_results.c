/*
 * pane_results.c: the Results pane: the pupil's assessment results over
 * time as small bar charts, a subject at a time, oldest first, each
 * result judged against the configured standards in words; then
 * attendance by term against the persistent-absence line. Bands are
 * drawn by their place on the subject's scale, scores on a range around
 * the expected standard (marked), reading and spelling ages against the
 * pupil's own age on the day (marked), so a bar that grows is progress
 * whatever the kind. Read only: results come from the MIS by import.
 */
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outcome.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/chart.h"
#include "ui/draw.h"
#include "ui/pview.h"

#define LABEL_W 22		/* "  Y4 Summer 2025" */
#define TAIL_W 34		/* "8:06  age 9:10, 16 months below" */
#define BAR_MIN_W 10
#define SCORE_STEP 10.0		/* score ranges run in tens */

struct rline {
	enum ui_style style;
	bool is_bar;
	char text[160];		/* the text, or a bar's label */
	char tail[96];
	double value, max, mark;
};

struct rpane {
	struct rline *lines;
	int n, top;
	/* the results as read, for grouping by subject */
	struct result *res;
	int n_res;
};

static struct rpane *
rp(struct pview *v)
{
	if (v->state[PANE_RESULTS] == NULL)
		v->state[PANE_RESULTS] = xcalloc(1, sizeof(struct rpane));
	return v->state[PANE_RESULTS];
}

static struct rline *
add(struct rpane *p, enum ui_style st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static struct rline *
add(struct rpane *p, enum ui_style st, const char *fmt, ...)
{
	struct rline *l;
	va_list ap;

	p->lines = xreallocarray(p->lines, (size_t)p->n + 1, sizeof *p->lines);
	l = &p->lines[p->n++];
	memset(l, 0, sizeof *l);
	l->style = st;
	l->mark = CHART_NO_MARK;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	return l;
}

static int
on_result(void *ctx, const struct result *r)
{
	struct rpane *p = ctx;

	p->res = xreallocarray(p->res, (size_t)p->n_res + 1, sizeof *p->res);
	p->res[p->n_res++] = *r;
	return 0;
}

static const char *
judged(enum result_standard s, enum result_kind k)
{
	switch (s) {
	case STD_BELOW:
		return "below expected";
	case STD_EXPECTED:
		return k == RESULT_AGE ? "at or above age" : "expected";
	case STD_GREATER:
		return k == RESULT_SCORE ? "high score" : "greater depth";
	default:
		return "not judged";
	}
}

static double
expected_score(const struct app *a)
{
	return a->cfg != NULL && a->cfg->n_scales > 0 ?
	    a->cfg->expected_score : CONFIG_DEFAULT_EXPECTED_SCORE;
}

static double
greater_score(const struct app *a)
{
	return a->cfg != NULL && a->cfg->n_scales > 0 ?
	    a->cfg->greater_depth_score : CONFIG_DEFAULT_GREATER_DEPTH_SCORE;
}

/*
 * A band drawn on the subject's score range, so a band and a score of
 * one subject compare: the expected band reaches the expected score
 * (the mark), the greater-depth band the greater-depth score, the bands
 * below share the way up from the bottom.
 */
static double
band_value(const struct app *a, const struct result *r, double lo)
{
	const struct config_scale *sc = outcome_scale(a->cfg, r->subject);
	int k = outcome_band_rank(a->cfg, r->subject, r->band, NULL);
	int e = sc->expected >= 0 ? sc->expected : sc->n_bands - 1;
	int g = sc->greater_depth;
	double ex = expected_score(a), gd = greater_score(a);

	if (k < 0)
		return 0;
	if (k < e)
		return lo + (ex - lo) * (k + 1) / (e + 1);
	if (g > e)
		return ex + (gd - ex) * (k - e) / (g - e);
	return ex + (gd - ex) * (k - e);
}

/* The range of the scores of one subject, in tens around the expected
 * and greater-depth scores, so 98 and 104 look different. */
static void
score_range(const struct app *a, const struct result *r, int n,
    const char *subject, double *lo, double *hi)
{
	double mn = expected_score(a), mx = greater_score(a);

	for (int i = 0; i < n; i++)
		if (r[i].kind == RESULT_SCORE && strcmp(r[i].subject,
		    subject) == 0) {
			if (r[i].score < mn)
				mn = r[i].score;
			if (r[i].score > mx)
				mx = r[i].score;
		}
	*lo = floor(mn / SCORE_STEP) * SCORE_STEP - 2 * SCORE_STEP;
	*hi = ceil(mx / SCORE_STEP) * SCORE_STEP + SCORE_STEP;
	if (*lo < 0)
		*lo = 0;
}

/* One result as a bar line. */
static void
add_result(struct rpane *p, struct pview *v, struct app *a,
    const struct result *r, double lo, double hi, int age_max)
{
	char val[24], tail[96], age[16];
	enum result_standard s;
	struct rline *l;
	bool gd;

	s = outcome_judge(a->cfg, r, v->p.dob, &gd);
	result_value_show(r, val, sizeof val);
	l = add(p, ST_NORMAL, "  %s", r->point);
	l->is_bar = true;
	switch (r->kind) {
	case RESULT_BAND:
		l->value = band_value(a, r, lo) - lo;
		l->max = hi - lo;
		l->mark = expected_score(a) - lo;
		snprintf(tail, sizeof tail, "%-5s %s", val, judged(s,
		    r->kind));
		break;
	case RESULT_SCORE:
		l->value = r->score - lo;
		l->max = hi - lo;
		l->mark = expected_score(a) - lo;
		snprintf(tail, sizeof tail, "%-5s %s", val, judged(s,
		    r->kind));
		break;
	default:
		l->value = r->age_months;
		l->max = age_max;
		if (r->assessed_on != SDATE_NONE && v->p.dob != SDATE_NONE &&
		    r->assessed_on > v->p.dob) {
			int own = date_months_between(v->p.dob,
			    r->assessed_on), diff = r->age_months - own;

			l->mark = own;
			snprintf(tail, sizeof tail, "%-5s age %s, %d month%s "
			    "%s", val, outcome_age_show(own, age, sizeof age),
			    abs(diff), abs(diff) == 1 ? "" : "s", diff < 0 ?
			    "below" : "above");
			if (diff == 0)
				snprintf(tail, sizeof tail, "%-5s at age %s", val,
				    age);
		} else
			snprintf(tail, sizeof tail, "%-5s not judged (no date)",
			    val);
		break;
	}
	snprintf(l->tail, sizeof l->tail, "%s", tail);
}

static int
att_cb(void *ctx, const struct attendance_rec *at)
{
	struct rpane *p = ctx;
	struct rline *l = add(p, ST_NORMAL, "  %s", at->term);

	l->is_bar = true;
	l->value = at->percent;
	l->max = 100;
	l->mark = ATTENDANCE_PERSISTENT_BELOW;
	snprintf(l->tail, sizeof l->tail, "%5.1f%%%s", at->percent,
	    at->percent < ATTENDANCE_PERSISTENT_BELOW ?
	    "  persistently absent" : "");
	return 0;
}

static void
re_load(struct pview *v, struct app *a)
{
	struct rpane *p = rp(v);
	struct serr e;
	bool *done;
	int i, j, mark;

	free(p->lines);
	p->lines = NULL;
	p->n = 0;
	free(p->res);
	p->res = NULL;
	p->n_res = 0;
	serr_clear(&e);
	if (result_list(a->db, v->pupil_id, on_result, p, &e) != 0)
		ui_error_serr(a, &e);
	add(p, ST_DIM, "Oldest first; %s marks the expected standard, or "
	    "the pupil's own age for an age",
	    ui_utf8() ? "\xe2\x94\x82" : "|");
	if (p->n_res == 0)
		add(p, ST_DIM, "  no results recorded (senco results import)");
	/* a subject at a time, in the order each first appears */
	done = xcalloc((size_t)p->n_res + 1, sizeof *done);
	for (i = 0; i < p->n_res; i++) {
		double lo = 0, hi = 0;
		int age_max = 0;

		if (done[i])
			continue;
		score_range(a, p->res, p->n_res, p->res[i].subject, &lo, &hi);
		for (j = i; j < p->n_res; j++)
			if (strcmp(p->res[j].subject, p->res[i].subject) == 0) {
				int own = p->res[j].assessed_on != SDATE_NONE &&
				    v->p.dob != SDATE_NONE ?
				    date_months_between(v->p.dob,
				    p->res[j].assessed_on) : 0;
				if (p->res[j].kind == RESULT_AGE &&
				    p->res[j].age_months > age_max)
					age_max = p->res[j].age_months;
				if (p->res[j].kind == RESULT_AGE && own > age_max)
					age_max = own;
			}
		age_max += 12;	/* room after the longer bar */
		add(p, ST_HEADING, "%s", strcmp(p->res[i].subject, "rwm") == 0 ?
		    "reading, writing and maths" : p->res[i].subject);
		for (j = i; j < p->n_res; j++)
			if (!done[j] && strcmp(p->res[j].subject,
			    p->res[i].subject) == 0) {
				add_result(p, v, a, &p->res[j], lo, hi, age_max);
				done[j] = true;
			}
	}
	free(done);
	add(p, ST_NORMAL, "%s", "");
	add(p, ST_HEADING, "Attendance by term (%s %.0f%%: below it, "
	    "persistently absent)", ui_utf8() ? "\xe2\x94\x82" : "|",
	    ATTENDANCE_PERSISTENT_BELOW);
	mark = p->n;
	if (attendance_list(a->db, v->pupil_id, att_cb, p, &e) != 0)
		ui_error_serr(a, &e);
	if (p->n == mark)
		add(p, ST_DIM, "  none recorded (senco attendance import)");
	if (p->top > p->n - 1)
		p->top = p->n > 0 ? p->n - 1 : 0;
}

static void
draw_line(struct pview *v, struct app *a, int y, const struct rline *l)
{
	int lw = LABEL_W, tw = TAIL_W, bw;

	if (!l->is_bar) {
		ui_draw(y, 0, a->cols, l->text, ui_style_attr(l->style));
		return;
	}
	bw = a->cols - lw - tw - 2;
	if (bw < BAR_MIN_W) {
		tw -= BAR_MIN_W - bw;
		bw = BAR_MIN_W;
	}
	ui_draw(y, 0, lw, l->text, A_NORMAL);
	ui_blank(y, lw, 1, A_NORMAL);
	ui_chart_bar(y, lw + 1, bw, l->value, l->max, l->mark);
	ui_blank(y, lw + 1 + bw, 1, A_NORMAL);
	ui_draw(y, lw + 2 + bw, a->cols - lw - 2 - bw, l->tail, A_NORMAL);
	(void)v;
}

static void
re_draw(struct pview *v, struct app *a, bool full)
{
	struct rpane *p = rp(v);
	int i;

	if (!full)
		return;
	for (i = 0; i < v->ph; i++) {
		int li = p->top + i;

		if (li < p->n)
			draw_line(v, a, v->py + i, &p->lines[li]);
		else
			ui_blank(v->py + i, 0, a->cols, A_NORMAL);
	}
}

static bool
re_key(struct pview *v, struct app *a, enum ui_action act, int key)
{
	struct rpane *p = rp(v);
	int old = p->top, max = p->n - v->ph;

	(void)a;
	(void)key;
	if (max < 0)
		max = 0;
	switch (act) {
	case ACT_DOWN:
		p->top++;
		break;
	case ACT_UP:
		p->top--;
		break;
	case ACT_PAGE_DOWN:
		p->top += v->ph - 1;
		break;
	case ACT_PAGE_UP:
		p->top -= v->ph - 1;
		break;
	case ACT_TOP:
		p->top = 0;
		break;
	case ACT_BOTTOM:
		p->top = max;
		break;
	default:
		return false;
	}
	if (p->top > max)
		p->top = max;
	if (p->top < 0)
		p->top = 0;
	if (p->top != old)
		v->base.full = true;
	return true;
}

static void
re_free(struct pview *v)
{
	struct rpane *p = v->state[PANE_RESULTS];

	free(p->lines);
	free(p->res);
	free(p);
	v->state[PANE_RESULTS] = NULL;
}

/* No keys of its own: moving is the screen's (scope 0). */
const struct pane_ops pane_results_ops = {
	.name = "Results",
	.scope = 0,
	.load = re_load,
	.draw = re_draw,
	.key = re_key,
	.free = re_free,
};
