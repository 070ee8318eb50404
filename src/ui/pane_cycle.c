/*
 * pane_cycle.c: the Cycle pane: the open assess-plan-do-review cycle as
 * a stage bar with the current stage marked, the plan period, the review
 * date, the notes of each stage and the parent and pupil voice. Keys:
 * advance the stage, start a cycle when there is none, edit.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/cycle.h"
#include "core/derive.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/pview.h"

#define NOTE_ROWS 2		/* rows a stage's notes may take */

struct wrapbuf {
	char **lines;
	int n, cap;
};

static void
wrap_cb(void *ctx, char *line)
{
	struct wrapbuf *w = ctx;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->lines = xreallocarray(w->lines, (size_t)w->cap,
		    sizeof *w->lines);
	}
	w->lines[w->n++] = line;
}

/* Draw a labelled text over at most max_rows rows; returns rows used. */
static int
draw_text(int y, int last, struct app *a, const char *label,
    const char *text, int max_rows)
{
	struct wrapbuf w = { NULL, 0, 0 };
	int i, used = 0, width = a->cols - PANE_LABEL_W;

	if (y > last)
		return 0;
	ui_draw(y, 0, PANE_LABEL_W, label, A_BOLD);
	if (text == NULL || *text == '\0') {
		ui_draw(y, PANE_LABEL_W, width, "(none yet)",
		    ui_style_attr(ST_DIM));
		return 1;
	}
	ui_wrap(text, width, wrap_cb, &w);
	for (i = 0; i < w.n; i++) {
		if (used < max_rows && y + used <= last) {
			/* the last row shown says when there is more */
			if (used == max_rows - 1 && i < w.n - 1) {
				char buf[512];
				snprintf(buf, sizeof buf, "%s %s", w.lines[i],
				    ui_sym_ellipsis());
				ui_draw(y + used, PANE_LABEL_W, width, buf,
				    A_NORMAL);
			} else
				ui_draw(y + used, PANE_LABEL_W, width,
				    w.lines[i], A_NORMAL);
			if (used > 0)
				ui_blank(y + used, 0, PANE_LABEL_W, A_NORMAL);
			used++;
		}
		free(w.lines[i]);
	}
	free(w.lines);
	return used > 0 ? used : 1;
}

static void
draw_stage_bar(struct pview *v, struct app *a, int y)
{
	int x = PANE_LABEL_W, i;
	char buf[32];

	ui_draw(y, 0, PANE_LABEL_W, "Stage", A_BOLD);
	for (i = 0; i < STAGE_COUNT; i++) {
		bool on = (int)v->cycle.stage == i;
		/* the current stage is bracketed in text and highlighted */
		snprintf(buf, sizeof buf, on ? "[%s]" : "%s",
		    stage_name((enum stage)i));
		x += ui_draw(y, x, ui_width(buf), buf,
		    on ? ui_style_attr(ST_TAB_ACTIVE) : (int)A_NORMAL);
		if (i < STAGE_COUNT - 1)
			x += ui_draw(y, x, 3, " > ", A_NORMAL);
	}
	snprintf(buf, sizeof buf, "   (stage %d of 4)", (int)v->cycle.stage + 1);
	ui_draw(y, x, a->cols - x, buf, ui_style_attr(ST_DIM));
}

static void
cy_draw(struct pview *v, struct app *a, bool full)
{
	int y = v->py, last = v->py + v->ph - 1, i;
	char buf[256], d1[16], d2[16];
	sdate today = date_today();
	const struct cycle *c = &v->cycle;

	if (!full)
		return;
	for (i = 0; i < v->ph; i++)
		ui_blank(v->py + i, 0, a->cols, A_NORMAL);
	if (!v->has_cycle) {
		ui_draw(y + 1, 2, a->cols - 4, "No open cycle. Press n to start "
		    "one at Assess, with the review date one review interval "
		    "ahead.", A_NORMAL);
		return;
	}
	draw_stage_bar(v, a, y++);
	{
		int planned = c->plan_end - c->plan_start;
		int elapsed = today - c->plan_start;
		snprintf(buf, sizeof buf, "%s to %s", date_show(c->plan_start,
		    d1), date_show(c->plan_end, d2));
		if (planned > 0 && elapsed >= 0 && elapsed <= planned)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    "  (week %d of %d)", elapsed / 7 + 1,
			    (planned + 6) / 7);
	}
	ui_draw(y, 0, PANE_LABEL_W, "Plan period", A_BOLD);
	ui_draw(y++, PANE_LABEL_W, a->cols - PANE_LABEL_W, buf, A_NORMAL);
	ui_draw(y, 0, PANE_LABEL_W, "Review date", A_BOLD);
	if (derive_review_overdue(c->review_date, today))
		snprintf(buf, sizeof buf, "%s  OVERDUE by %d days",
		    date_show(c->review_date, d1), today - c->review_date);
	else
		snprintf(buf, sizeof buf, "%s  (in %d days)",
		    date_show(c->review_date, d1), c->review_date - today);
	ui_draw(y++, PANE_LABEL_W, a->cols - PANE_LABEL_W, buf,
	    derive_review_overdue(c->review_date, today) ?
	    ui_style_attr(ST_OVERDUE) : (int)A_NORMAL);
	for (i = 0; i < STAGE_COUNT; i++) {
		snprintf(buf, sizeof buf, "%s notes", stage_name((enum stage)i));
		y += draw_text(y, last, a, buf, c->notes[i], NOTE_ROWS);
	}
	y += draw_text(y, last, a, "Parent voice", c->parent_voice, NOTE_ROWS);
	y += draw_text(y, last, a, "Pupil voice", c->pupil_voice, NOTE_ROWS);
}

static void
cy_load(struct pview *v, struct app *a)
{
	/* the open cycle comes with the summary (pview_reload_head) */
}

/* --- editing ---------------------------------------------------------- */

struct cform {
	struct pview *v;
	int64_t cycle_id, version;
	int start, end, review, notes[STAGE_COUNT], parent, pupil;
};

static int
cform_save(struct app *a, struct ui_form *f, void *vctx, struct serr *e)
{
	struct cform *c = vctx;
	struct cycle cy;
	int rc, i;

	cycle_init(&cy);
	if ((rc = cycle_get(a->db, c->cycle_id, &cy, e)) != 0)
		return rc;
	/* the version the form read, unless the user chose to overwrite
	 * another user's change (o): then the one just read */
	if (!ui_form_overwrite(f))
		cy.version = c->version;
	cy.plan_start = ui_form_date(f, c->start);
	cy.plan_end = ui_form_date(f, c->end);
	cy.review_date = ui_form_date(f, c->review);
	for (i = 0; i < STAGE_COUNT; i++) {
		free(cy.notes[i]);
		cy.notes[i] = xstrdup(ui_form_text(f, c->notes[i]));
	}
	free(cy.parent_voice);
	free(cy.pupil_voice);
	cy.parent_voice = xstrdup(ui_form_text(f, c->parent));
	cy.pupil_voice = xstrdup(ui_form_text(f, c->pupil));
	rc = cycle_update(a->db, &cy, e);
	cycle_free(&cy);
	if (rc == 0) {
		struct ui_undo u;
		memset(&u, 0, sizeof u);
		u.kind = UNDO_NOT_POSSIBLE;
		snprintf(u.what, sizeof u.what, "the edit of the cycle (edit "
		    "it again with e)");
		ui_undo_set(a, &u);
		ui_form_done_message(f, "cycle saved");
	}
	return rc;
}

static struct ui_form *build_form(struct pview *v, const struct cycle *cy);

/* r after a conflict: the form again with the cycle as stored now; the
 * caller opens it. */
static struct ui_form *
cform_reload(struct app *a, void *vctx)
{
	struct cform *c = vctx;
	struct ui_form *f;
	struct cycle cy;
	struct serr e;

	serr_clear(&e);
	cycle_init(&cy);
	if (cycle_get(a->db, c->cycle_id, &cy, &e) != 0) {
		ui_error_serr(a, &e);
		return NULL;
	}
	f = build_form(c->v, &cy);
	cycle_free(&cy);
	return f;
}

static void
cycle_form(struct pview *v, struct app *a)
{
	ui_form_open(a, build_form(v, &v->cycle));
}

/* The form, not yet opened: the caller's. */
static struct ui_form *
build_form(struct pview *v, const struct cycle *cy)
{
	struct cform *c = xcalloc(1, sizeof *c);
	struct ui_form *f;
	char title[256], d[3][DATE_ISO_LEN + 4], label[32];
	int i;

	c->v = v;
	c->cycle_id = cy->id;
	c->version = cy->version;
	snprintf(title, sizeof title, "Cycle for %s", v->name);
	f = ui_form_new(title, cform_save, c, free);
	c->start = ui_form_add(f, &(struct ui_field){ .label = "Plan start",
	    .kind = FIELD_DATE, .required = true }, date_show(cy->plan_start,
	    d[0]));
	c->end = ui_form_add(f, &(struct ui_field){ .label = "Plan end",
	    .kind = FIELD_DATE, .required = true, .rule = "a date: "
	    "DD/MM/YYYY or YYYY-MM-DD, not before the start" },
	    date_show(cy->plan_end, d[1]));
	c->review = ui_form_add(f, &(struct ui_field){ .label = "Review date",
	    .kind = FIELD_DATE, .required = true, .rule = "the date agreed "
	    "with parents: DD/MM/YYYY or YYYY-MM-DD" },
	    date_show(cy->review_date, d[2]));
	for (i = 0; i < STAGE_COUNT; i++) {
		static const char *const labels[STAGE_COUNT] = {
			"Assess notes", "Plan notes", "Do notes",
			"Review notes",
		};
		snprintf(label, sizeof label, "%s", labels[i]);
		c->notes[i] = ui_form_add(f, &(struct ui_field){ .label =
		    labels[i], .kind = FIELD_MULTI, .rows = 2 }, cy->notes[i]);
	}
	c->parent = ui_form_add(f, &(struct ui_field){ .label = "Parent voice",
	    .kind = FIELD_MULTI, .rows = 2, .rule = "what the parents or "
	    "carers say, in their words" }, cy->parent_voice);
	c->pupil = ui_form_add(f, &(struct ui_field){ .label = "Pupil voice",
	    .kind = FIELD_MULTI, .rows = 2, .rule = "what the pupil says, in "
	    "their words" }, cy->pupil_voice);
	ui_form_on_conflict(f, cform_reload);
	return f;
}

static bool
cy_key(struct pview *v, struct app *a, enum ui_action act, int key)
{
	struct serr e;
	struct ui_undo u;
	int rw = a->cfg != NULL && a->cfg->review_weeks > 0 ?
	    a->cfg->review_weeks : CONFIG_DEFAULT_REVIEW_WEEKS;
	enum stage old;

	serr_clear(&e);
	memset(&u, 0, sizeof u);
	switch (act) {
	case ACT_CYCLE_START:
		if (v->has_cycle) {
			ui_error(a, "%s already has an open cycle (at %s): "
			    "a pupil has one at a time", v->name,
			    stage_name(v->cycle.stage));
			return true;
		}
		if (cycle_start(a->db, v->pupil_id, SDATE_NONE, SDATE_NONE, rw,
		    NULL, &e) != 0) {
			ui_error_serr(a, &e);
			return true;
		}
		u.kind = UNDO_NOT_POSSIBLE;
		snprintf(u.what, sizeof u.what, "starting a cycle");
		ui_undo_set(a, &u);
		ui_changed(a);
		pview_reload_head(v, a);
		v->gen = ui_generation(a);
		v->base.full = true;
		ui_message(a, "cycle started at Assess for %s; review in %d "
		    "weeks", v->name, rw);
		return true;
	case ACT_CYCLE_ADVANCE:
		if (!v->has_cycle) {
			ui_error(a, "no open cycle: n starts one");
			return true;
		}
		old = v->cycle.stage;
		if (cycle_advance(a->db, v->cycle.id, &e) != 0) {
			ui_error_serr(a, &e);
			return true;
		}
		u.kind = UNDO_STAGE;
		u.id = v->cycle.id;
		u.old_value = (int)old;
		snprintf(u.what, sizeof u.what, "advancing the cycle from %s",
		    stage_name(old));
		ui_undo_set(a, &u);
		ui_changed(a);
		pview_reload_head(v, a);
		v->gen = ui_generation(a);
		v->base.full = true;
		ui_message(a, "cycle advanced: %s > %s (u undoes)",
		    stage_name(old), stage_name(v->cycle.stage));
		return true;
	case ACT_CYCLE_EDIT:
		if (!v->has_cycle) {
			ui_error(a, "no open cycle: n starts one");
			return true;
		}
		cycle_form(v, a);
		return true;
	default:
		return false;
	}
}

static void
cy_free(struct pview *v)
{
	v->state[PANE_CYCLE] = NULL;
}

const struct pane_ops pane_cycle_ops = {
	.name = "Cycle",
	.scope = SC_PANE_CYCLE,
	.load = cy_load,
	.draw = cy_draw,
	.key = cy_key,
	.free = cy_free,
};
