/*
 * pane_iv.c: the Interventions pane: the pupil's enrolments with staff,
 * sessions, dates, entry and exit scores, impact and yearly cost; enrol
 * in an intervention, record an exit score, end an enrolment.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/derive.h"
#include "core/intervention.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/pview.h"

#define ROWS_PER 2		/* each enrolment takes two rows */
#define COL_STAFF 16
#define COL_SESS 10
#define COL_COST 11

struct erow {
	struct enrolment en;
	struct intervention iv;
	bool have_iv;
};

struct ipane {
	struct erow *rows;
	int n, cap, cur, top;
	int dirty[2];
};

static struct ipane *
ip(struct pview *v)
{
	if (v->state[PANE_IV] == NULL) {
		struct ipane *p = xcalloc(1, sizeof *p);
		p->dirty[0] = p->dirty[1] = -1;
		v->state[PANE_IV] = p;
	}
	return v->state[PANE_IV];
}

static void
clear_rows(struct ipane *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->rows[i].have_iv)
			intervention_free(&p->rows[i].iv);
	p->n = 0;
}

static int
enrol_cb(void *ctx, const struct enrolment *en)
{
	struct ipane *p = ctx;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->rows = xreallocarray(p->rows, (size_t)p->cap,
		    sizeof *p->rows);
	}
	memset(&p->rows[p->n], 0, sizeof p->rows[p->n]);
	p->rows[p->n].en = *en;
	p->n++;
	return 0;
}

static void
iv_load(struct pview *v, struct app *a)
{
	struct ipane *p = ip(v);
	struct serr e;
	int i;

	clear_rows(p);
	serr_clear(&e);
	if (enrolment_list_pupil(a->db, v->pupil_id, enrol_cb, p, &e) != 0)
		ui_error_serr(a, &e);
	for (i = 0; i < p->n; i++) {
		intervention_init(&p->rows[i].iv);
		p->rows[i].have_iv = intervention_get(a->db,
		    p->rows[i].en.intervention_id, &p->rows[i].iv, NULL) == 0;
	}
	if (p->cur >= p->n)
		p->cur = p->n - 1;
	if (p->cur < 0)
		p->cur = 0;
}

static int
page(struct pview *v)
{
	int n = (v->ph - 1) / ROWS_PER;

	return n < 1 ? 1 : n;
}

static void
score(char *buf, size_t n, double x)
{
	if (isnan(x))
		snprintf(buf, n, "-");
	else if (x == floor(x))
		snprintf(buf, n, "%.0f", x);
	else
		snprintf(buf, n, "%.1f", x);
}

static void
draw_row(struct pview *v, struct app *a, int i)
{
	struct ipane *p = ip(v);
	int y = v->py + 1 + (i - p->top) * ROWS_PER, x = 0, w;
	bool sel = i == p->cur;
	int base = sel ? ui_style_attr(ST_SELECTED) : (int)A_NORMAL;
	const struct erow *r;
	char buf[256], d1[16], d2[16], s1[16], s2[16], imp[48], money[32];
	double impact, gain;

	if (i < p->top || i >= p->top + page(v))
		return;
	if (i >= p->n) {
		ui_blank(y, 0, a->cols, A_NORMAL);
		ui_blank(y + 1, 0, a->cols, A_NORMAL);
		return;
	}
	r = &p->rows[i];
	w = a->cols - (COL_STAFF + COL_SESS + COL_COST + 3);
	snprintf(buf, sizeof buf, "%s%s", r->have_iv ? r->iv.name : "?",
	    r->en.ended ? " (ended)" : "");
	ui_draw(y, x, w, buf, r->en.ended && !sel ? ui_style_attr(ST_DIM) :
	    base);
	x += w;
	ui_blank(y, x++, 1, base);
	ui_draw(y, x, COL_STAFF, r->en.staff, base);
	x += COL_STAFF;
	ui_blank(y, x++, 1, base);
	snprintf(buf, sizeof buf, "%dx%dmin", r->en.sessions_per_week,
	    r->en.minutes);
	ui_draw(y, x, COL_SESS, buf, base);
	x += COL_SESS;
	ui_blank(y, x++, 1, base);
	if (r->have_iv)
		derive_money(derive_enrolment_cost_year_pence(&r->iv, &r->en),
		    money, sizeof money);
	else
		snprintf(money, sizeof money, "?");
	ui_draw_right(y, x, COL_COST, money, base);
	/* second row: dates, measure, scores, impact */
	score(s1, sizeof s1, r->en.entry);
	score(s2, sizeof s2, r->en.exit);
	impact = derive_impact(&r->en);
	gain = derive_ratio_gain(&r->en);
	if (isnan(impact))
		snprintf(imp, sizeof imp, "impact -");
	else if (!isnan(gain))
		snprintf(imp, sizeof imp, "impact %+.0f (ratio gain %.1f)",
		    impact, gain);
	else
		snprintf(imp, sizeof imp, "impact %+.1f", impact);
	snprintf(buf, sizeof buf, "    %s to %s  %s: entry %s, exit %s, %s, "
	    "group of %d", date_show(r->en.start, d1), r->en.end != SDATE_NONE
	    ? date_show(r->en.end, d2) : "?", r->en.measure[0] ?
	    r->en.measure : "measure", s1, s2, imp, r->en.group_size);
	ui_draw(y + 1, 0, a->cols, buf, ui_style_attr(ST_DIM));
}

static void
iv_draw(struct pview *v, struct app *a, bool full)
{
	struct ipane *p = ip(v);
	int i;

	if (p->cur < p->top) {
		p->top = p->cur;
		full = true;
	}
	if (p->cur >= p->top + page(v)) {
		p->top = p->cur - page(v) + 1;
		full = true;
	}
	if (full) {
		char head[160];
		int w = a->cols - (COL_STAFF + COL_SESS + COL_COST + 3);
		for (i = 0; i < v->ph; i++)
			ui_blank(v->py + i, 0, a->cols, A_NORMAL);
		snprintf(head, sizeof head, "%-*s %-*s %-*s %*s", w,
		    "Intervention", COL_STAFF, "Staff", COL_SESS, "Sessions",
		    COL_COST, "Cost a year");
		ui_draw(v->py, 0, a->cols, head, ui_style_attr(ST_HEADING));
		if (p->n == 0) {
			ui_draw(v->py + 2, 2, a->cols - 4, "No interventions "
			    "yet: a enrols the pupil in one.", A_NORMAL);
			return;
		}
		for (i = p->top; i < p->top + page(v); i++)
			draw_row(v, a, i);
	} else
		for (i = 0; i < 2; i++)
			if (p->dirty[i] >= 0)
				draw_row(v, a, p->dirty[i]);
	p->dirty[0] = p->dirty[1] = -1;
}

static void
move_cur(struct pview *v, int to)
{
	struct ipane *p = ip(v);

	if (p->n == 0)
		return;
	if (to < 0)
		to = 0;
	if (to >= p->n)
		to = p->n - 1;
	if (to == p->cur)
		return;
	p->dirty[0] = p->cur;
	p->dirty[1] = to;
	p->cur = to;
}

/* --- enrol ------------------------------------------------------------ */

static const char *const kind_choices[] = {
	"score (standardised or raw)", "age in months (reading age...)",
	"rating on a small scale",
};

struct eform {
	struct pview *v;
	int64_t *ids;		/* the catalogue, as the choices */
	char **names;
	int n;
	int iv, staff, group, sessions, minutes, start, end, measure, kind,
	    entry;
};

static void
eform_free(void *vctx)
{
	struct eform *c = vctx;
	int i;

	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->ids);
	free(c);
}

static int
catalogue_cb(void *ctx, const struct intervention *iv)
{
	struct eform *c = ctx;

	c->ids = xreallocarray(c->ids, (size_t)c->n + 1, sizeof *c->ids);
	c->names = xreallocarray(c->names, (size_t)c->n + 1,
	    sizeof *c->names);
	c->ids[c->n] = iv->id;
	c->names[c->n] = xstrdup(iv->name);
	c->n++;
	return 0;
}

static int
eform_save(struct app *a, struct ui_form *f, void *vctx, struct serr *e)
{
	struct eform *c = vctx;
	struct enrolment en;
	struct ui_undo u;
	int rc;

	enrolment_init(&en);
	en.pupil_id = c->v->pupil_id;
	en.intervention_id = c->ids[ui_form_choice(f, c->iv)];
	snprintf(en.staff, sizeof en.staff, "%s", ui_form_text(f, c->staff));
	en.group_size = (int)ui_form_int(f, c->group);
	en.sessions_per_week = (int)ui_form_int(f, c->sessions);
	en.minutes = (int)ui_form_int(f, c->minutes);
	en.start = ui_form_date(f, c->start);
	en.end = ui_form_date(f, c->end);
	snprintf(en.measure, sizeof en.measure, "%s",
	    ui_form_text(f, c->measure));
	en.measure_kind = (enum measure_kind)ui_form_choice(f, c->kind);
	en.entry = ui_form_number(f, c->entry);
	if ((rc = enrolment_add(a->db, &en, e)) != 0)
		return rc;
	memset(&u, 0, sizeof u);
	u.kind = UNDO_NOT_POSSIBLE;
	snprintf(u.what, sizeof u.what, "an enrolment (end it with x)");
	ui_undo_set(a, &u);
	ui_form_done_message(f, "enrolled");
	return 0;
}

static void
enrol_form(struct pview *v, struct app *a)
{
	struct eform *c = xcalloc(1, sizeof *c);
	struct ui_form *f;
	struct serr e;
	char title[256], today[16];

	c->v = v;
	serr_clear(&e);
	if (intervention_list(a->db, false, catalogue_cb, c, &e) != 0 ||
	    c->n == 0) {
		if (c->n == 0)
			ui_error(a, "the intervention catalogue is empty: add "
			    "one with 'senco intervention add'");
		else
			ui_error_serr(a, &e);
		eform_free(c);
		return;
	}
	snprintf(title, sizeof title, "Enrol %s in an intervention", v->name);
	f = ui_form_new(title, eform_save, c, eform_free);
	c->iv = ui_form_add(f, &(struct ui_field){ .label = "Intervention",
	    .kind = FIELD_CHOICE, .choices = (const char *const *)c->names,
	    .n_choices = c->n, .rule = "from the catalogue: Left/Right or "
	    "the first letter" }, NULL);
	c->staff = ui_form_add(f, &(struct ui_field){ .label = "Staff",
	    .kind = FIELD_TEXT, .rule = "who runs it" }, NULL);
	c->group = ui_form_add(f, &(struct ui_field){ .label = "Group size",
	    .kind = FIELD_INT, .required = true, .min = 1, .max = 60,
	    .rule = "pupils in the group, 1 to 60" }, "1");
	c->sessions = ui_form_add(f, &(struct ui_field){ .label =
	    "Sessions a week", .kind = FIELD_INT, .required = true, .min = 0,
	    .max = 50, .rule = "0 to 50" }, "3");
	c->minutes = ui_form_add(f, &(struct ui_field){ .label = "Minutes",
	    .kind = FIELD_INT, .required = true, .min = 0, .max = 600,
	    .rule = "minutes a session, 0 to 600" }, "30");
	c->start = ui_form_add(f, &(struct ui_field){ .label = "Start",
	    .kind = FIELD_DATE, .required = true }, date_show(date_today(),
	    today));
	c->end = ui_form_add(f, &(struct ui_field){ .label = "Planned end",
	    .kind = FIELD_DATE, .rule = "a date: DD/MM/YYYY or YYYY-MM-DD; "
	    "may be empty" }, NULL);
	c->measure = ui_form_add(f, &(struct ui_field){ .label = "Measure",
	    .kind = FIELD_TEXT, .rule = "the entry and exit measure, e.g. "
	    "Salford reading age" }, NULL);
	c->kind = ui_form_add(f, &(struct ui_field){ .label = "Measure kind",
	    .kind = FIELD_CHOICE, .choices = kind_choices, .n_choices = 3 },
	    NULL);
	c->entry = ui_form_add(f, &(struct ui_field){ .label = "Entry score",
	    .kind = FIELD_NUMBER, .rule = "a number (months for an age); "
	    "may be empty" }, NULL);
	ui_form_open(a, f);
}

/* --- exit and end ----------------------------------------------------- */

struct ectx {
	struct pview *v;
	int64_t id;
	bool end_only;
};

static void
exit_done(struct app *a, void *vctx, bool accepted, const char *text)
{
	struct ectx *c = vctx;
	struct serr e;
	struct ui_undo u;
	char *end;
	double x = 0;
	int rc;

	if (!accepted) {
		ui_message(a, "nothing changed");
		free(c);
		return;
	}
	serr_clear(&e);
	if (c->end_only) {
		if (*text != 'y' && *text != 'Y') {
			ui_message(a, "nothing changed");
			free(c);
			return;
		}
		rc = enrolment_end(a->db, c->id, SDATE_NONE, &e);
	} else {
		x = strtod(text, &end);
		if (*text == '\0' || *end != '\0' || !isfinite(x)) {
			ui_error(a, "exit score: '%s' is not a number; nothing "
			    "changed", text);
			free(c);
			return;
		}
		rc = enrolment_exit(a->db, c->id, x, SDATE_NONE, &e);
	}
	if (rc != 0) {
		ui_error_serr(a, &e);
		free(c);
		return;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_NOT_POSSIBLE;
	snprintf(u.what, sizeof u.what, "ending an enrolment");
	ui_undo_set(a, &u);
	ui_changed(a);
	c->v->gen = ui_generation(a);
	iv_load(c->v, a);
	c->v->base.full = true;
	ui_message(a, c->end_only ? "enrolment ended" :
	    "exit score recorded; enrolment ended");
	free(c);
}

static void
exit_prompt(struct pview *v, struct app *a, bool end_only)
{
	struct ipane *p = ip(v);
	struct ectx *c;
	const struct erow *r;
	char label[160];

	if (p->n == 0) {
		ui_error(a, "no enrolments yet: a enrols the pupil");
		return;
	}
	r = &p->rows[p->cur];
	if (r->en.ended) {
		ui_error(a, "%s has already ended", r->have_iv ? r->iv.name :
		    "this enrolment");
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->v = v;
	c->id = r->en.id;
	c->end_only = end_only;
	if (end_only)
		snprintf(label, sizeof label, "End %s now without an exit "
		    "score? (y/n) ", r->have_iv ? r->iv.name : "it");
	else
		snprintf(label, sizeof label, "Exit score (%s): ",
		    r->en.measure[0] ? r->en.measure : "measure");
	ui_prompt_open(a, label, "", NULL, exit_done, c);
}

static bool
iv_key(struct pview *v, struct app *a, enum ui_action act, int key)
{
	struct ipane *p = ip(v);

	switch (act) {
	case ACT_DOWN:
		move_cur(v, p->cur + 1);
		return true;
	case ACT_UP:
		move_cur(v, p->cur - 1);
		return true;
	case ACT_TOP:
		move_cur(v, 0);
		return true;
	case ACT_BOTTOM:
		move_cur(v, p->n - 1);
		return true;
	case ACT_PAGE_DOWN:
		move_cur(v, p->cur + page(v));
		return true;
	case ACT_PAGE_UP:
		move_cur(v, p->cur - page(v));
		return true;
	case ACT_ENROL:
		enrol_form(v, a);
		return true;
	case ACT_ENROL_EXIT:
		exit_prompt(v, a, false);
		return true;
	case ACT_ENROL_END:
		exit_prompt(v, a, true);
		return true;
	default:
		return false;
	}
}

static void
iv_free(struct pview *v)
{
	struct ipane *p = v->state[PANE_IV];

	clear_rows(p);
	free(p->rows);
	free(p);
	v->state[PANE_IV] = NULL;
}

const struct pane_ops pane_iv_ops = {
	.name = "Interventions",
	.scope = SC_PANE_IV,
	.load = iv_load,
	.draw = iv_draw,
	.key = iv_key,
	.free = iv_free,
};
