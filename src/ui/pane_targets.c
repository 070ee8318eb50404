/*
 * pane_targets.c: the Targets pane: the open cycle's targets with their
 * latest rating, on track or not (the core's rule), and a progress line
 * of the rating history. 0-4 rate the target under the cursor at once
 * (one transaction) and only that row and the detail redraw.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/derive.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/pview.h"

#define HIST_MAX 12		/* ratings drawn in the progress line */
#define COL_POS 3
#define COL_RATING 14
#define COL_TRACK 12
#define COL_PROGRESS HIST_MAX
#define DETAIL_ROWS 5		/* under the list: the selected target */

struct trow {
	struct target t;
	int hist[HIST_MAX];	/* the latest HIST_MAX ratings, oldest first */
	int n_hist;
	int n_ratings;
	char comment[256];	/* the latest comment, with date and author */
};

struct tpane {
	struct trow *rows;
	int n, cap;
	int cur, top;
	int dirty[2];		/* rows to redraw, -1 none */
	bool detail_dirty;
};

static struct tpane *
tp(struct pview *v)
{
	if (v->state[PANE_TARGETS] == NULL) {
		struct tpane *t = xcalloc(1, sizeof *t);
		t->dirty[0] = t->dirty[1] = -1;
		v->state[PANE_TARGETS] = t;
	}
	return v->state[PANE_TARGETS];
}

static void
trow_free(struct trow *r)
{
	target_free(&r->t);
}

static void
copy_target(struct target *dst, const struct target *src)
{
	*dst = *src;
	dst->text = xstrdup(src->text);
	dst->criteria = xstrdup(src->criteria);
	dst->baseline = xstrdup(src->baseline);
}

static int
on_rating(void *ctx, const struct rating *r)
{
	struct trow *row = ctx;
	char d[16];

	if (r->value >= 0) {
		if (row->n_hist == HIST_MAX) {
			memmove(row->hist, row->hist + 1,
			    (HIST_MAX - 1) * sizeof row->hist[0]);
			row->n_hist--;
		}
		row->hist[row->n_hist++] = r->value;
		row->n_ratings++;
	}
	if (r->comment != NULL && *r->comment != '\0')
		snprintf(row->comment, sizeof row->comment, "%s %s: %s",
		    date_show(r->on, d), r->author, r->comment);
	return 0;
}

static void
load_ratings(struct app *a, struct trow *row)
{
	row->n_hist = 0;
	row->n_ratings = 0;
	row->comment[0] = '\0';
	target_ratings(a->db, row->t.id, on_rating, row, NULL);
}

static int
on_target(void *ctx, const struct target *t)
{
	struct tpane *p = ctx;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->rows = xreallocarray(p->rows, (size_t)p->cap,
		    sizeof *p->rows);
	}
	memset(&p->rows[p->n], 0, sizeof p->rows[p->n]);
	copy_target(&p->rows[p->n].t, t);
	p->n++;
	return 0;
}

static void
clear_rows(struct tpane *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		trow_free(&p->rows[i]);
	p->n = 0;
}

static void
tg_load(struct pview *v, struct app *a)
{
	struct tpane *p = tp(v);
	struct serr e;
	int i;

	clear_rows(p);
	serr_clear(&e);
	if (v->has_cycle) {
		if (target_list(a->db, v->cycle.id, on_target, p, &e) != 0)
			ui_error_serr(a, &e);
		for (i = 0; i < p->n; i++)
			load_ratings(a, &p->rows[i]);
	}
	if (p->cur >= p->n)
		p->cur = p->n - 1;
	if (p->cur < 0)
		p->cur = 0;
}

/* Read one target again after a change to it. */
static void
reload_row(struct pview *v, struct app *a, int i)
{
	struct tpane *p = tp(v);
	struct target t;
	struct serr e;

	target_init(&t);
	serr_clear(&e);
	if (target_get(a->db, p->rows[i].t.id, &t, &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	trow_free(&p->rows[i]);
	p->rows[i].t = t;
	load_ratings(a, &p->rows[i]);
	p->dirty[0] = i;
	p->detail_dirty = true;
}

/* --- drawing ---------------------------------------------------------- */

static int
list_rows(struct pview *v)
{
	int r = v->ph - 1 - DETAIL_ROWS;

	return r < 1 ? 1 : r;
}

static bool
on_track(struct pview *v, const struct target *t)
{
	return derive_on_track(t->latest, v->cycle.plan_start,
	    v->cycle.plan_end, date_today());
}

static void
draw_row(struct pview *v, struct app *a, int i)
{
	struct tpane *p = tp(v);
	int y = v->py + 1 + i - p->top, x = 0, w, k;
	const struct trow *row;
	bool sel = i == p->cur;
	int base = sel ? ui_style_attr(ST_SELECTED) : (int)A_NORMAL;
	char buf[128];

	if (i < p->top || i >= p->top + list_rows(v))
		return;
	if (i >= p->n) {
		ui_blank(y, 0, a->cols, A_NORMAL);
		return;
	}
	row = &p->rows[i];
	w = a->cols - (COL_POS + COL_RATING + COL_TRACK + COL_PROGRESS + 4);
	snprintf(buf, sizeof buf, "%2d", row->t.position);
	ui_draw(y, x, COL_POS, buf, base);
	x += COL_POS;
	ui_draw(y, x, w, row->t.text, row->t.outcome != OUTCOME_NONE && !sel ?
	    ui_style_attr(ST_DIM) : base);
	x += w;
	ui_blank(y, x++, 1, base);
	if (row->t.latest >= 0)
		snprintf(buf, sizeof buf, "%d %s", row->t.latest,
		    rating_name(row->t.latest));
	else
		snprintf(buf, sizeof buf, "- not rated");
	ui_draw(y, x, COL_RATING, buf, base);
	x += COL_RATING;
	ui_blank(y, x++, 1, base);
	if (row->t.outcome != OUTCOME_NONE)
		ui_draw(y, x, COL_TRACK, outcome_code(row->t.outcome), base);
	else if (on_track(v, &row->t))
		ui_draw(y, x, COL_TRACK, "on track", base |
		    ui_style_attr(ST_GOOD));
	else
		/* behind is said in words, colour only repeats it */
		ui_draw(y, x, COL_TRACK, "behind", base |
		    ui_style_attr(ST_OVERDUE));
	x += COL_TRACK;
	ui_blank(y, x++, 1, base);
	buf[0] = '\0';
	for (k = 0; k < row->n_hist; k++)
		strcat(buf, ui_sym_block(row->hist[k]));
	ui_draw(y, x, a->cols - x, buf, base);
}

static void
draw_detail(struct pview *v, struct app *a)
{
	struct tpane *p = tp(v);
	int y = v->py + 1 + list_rows(v), r;
	const struct trow *row = p->n > 0 ? &p->rows[p->cur] : NULL;
	char buf[512], d[16];
	int need;

	ui_hline(y++, 0, a->cols, A_NORMAL);
	for (r = 0; r < DETAIL_ROWS - 1; r++)
		ui_blank(y + r, 0, a->cols, A_NORMAL);
	if (row == NULL)
		return;
	need = derive_required_rating(v->cycle.plan_start, v->cycle.plan_end,
	    date_today());
	snprintf(buf, sizeof buf, "Criteria: %s", row->t.criteria != NULL &&
	    *row->t.criteria ? row->t.criteria : "(none written)");
	ui_draw(y++, 0, a->cols, buf, A_NORMAL);
	snprintf(buf, sizeof buf, "Baseline: %s   Area: %s",
	    row->t.baseline != NULL && *row->t.baseline ? row->t.baseline :
	    "(none)", row->t.area != AREA_NONE ? area_name(row->t.area) :
	    "not set");
	ui_draw(y++, 0, a->cols, buf, A_NORMAL);
	if (row->t.outcome != OUTCOME_NONE)
		snprintf(buf, sizeof buf, "Outcome: %s on %s",
		    outcome_name(row->t.outcome),
		    date_show(row->t.outcome_on, d));
	else
		snprintf(buf, sizeof buf, "%d rating%s%s%s; on track today "
		    "needs %d or more", row->n_ratings,
		    row->n_ratings == 1 ? "" : "s",
		    row->t.latest >= 0 ? ", latest on " : "",
		    row->t.latest >= 0 ? date_show(row->t.latest_on, d) : "",
		    need);
	ui_draw(y++, 0, a->cols, buf, A_NORMAL);
	if (row->comment[0])
		snprintf(buf, sizeof buf, "Comment %s", row->comment);
	else
		snprintf(buf, sizeof buf, "No comments yet (c adds one)");
	ui_draw(y, 0, a->cols, buf, ui_style_attr(ST_DIM));
}

static void
tg_draw(struct pview *v, struct app *a, bool full)
{
	struct tpane *p = tp(v);
	int i, rows = list_rows(v);

	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + rows) {
		p->top = p->cur - rows + 1;
		full = true;
	}
	if (full) {
		char head[160];
		int w = a->cols - (COL_POS + COL_RATING + COL_TRACK +
		    COL_PROGRESS + 4);
		for (i = 0; i < v->ph; i++)
			ui_blank(v->py + i, 0, a->cols, A_NORMAL);
		snprintf(head, sizeof head, "%-*s%-*s %-*s %-*s %s", COL_POS,
		    " #", w, "Target", COL_RATING, "Latest rating", COL_TRACK,
		    "On track", "Progress");
		ui_draw(v->py, 0, a->cols, head, ui_style_attr(ST_HEADING));
		if (!v->has_cycle) {
			ui_draw(v->py + 2, 2, a->cols - 4, "No open cycle: "
			    "press 1 for the Cycle pane, then n to start one.",
			    A_NORMAL);
			return;
		}
		if (p->n == 0) {
			ui_draw(v->py + 2, 2, a->cols - 4, "No targets in this "
			    "cycle yet: a adds one.", A_NORMAL);
			return;
		}
		for (i = p->top; i < p->top + rows; i++)
			draw_row(v, a, i);
		draw_detail(v, a);
	} else {
		for (i = 0; i < 2; i++)
			if (p->dirty[i] >= 0)
				draw_row(v, a, p->dirty[i]);
		if (p->detail_dirty)
			draw_detail(v, a);
	}
	p->dirty[0] = p->dirty[1] = -1;
	p->detail_dirty = false;
}

/* --- keys ------------------------------------------------------------- */

static void
move_cur(struct pview *v, int to)
{
	struct tpane *p = tp(v);

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
	p->detail_dirty = true;
}

static struct trow *
current(struct pview *v, struct app *a)
{
	struct tpane *p = tp(v);

	if (!v->has_cycle) {
		ui_error(a, "no open cycle: press 1 for the Cycle pane, then n "
		    "to start one");
		return NULL;
	}
	if (p->n == 0) {
		ui_error(a, "no targets yet: a adds one");
		return NULL;
	}
	return &p->rows[p->cur];
}

static void
rate(struct pview *v, struct app *a, int value)
{
	struct trow *row = current(v, a);
	struct ui_undo u;
	struct serr e;
	int64_t rid = 0;
	int old;

	if (row == NULL)
		return;
	old = row->t.latest;
	serr_clear(&e);
	if (target_rate(a->db, row->t.id, value, NULL, SDATE_NONE, &rid,
	    &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_RATING;
	u.id = rid;
	snprintf(u.what, sizeof u.what, "rating %d of target %d for %s",
	    value, row->t.position, v->name);
	ui_undo_set(a, &u);
	ui_changed(a);
	v->gen = ui_generation(a);
	reload_row(v, a, tp(v)->cur);
	row = &tp(v)->rows[tp(v)->cur];
	if (old >= 0)
		ui_message(a, "target %d rated %d %s (was %d %s): %s  "
		    "(u undoes)", row->t.position, value, rating_name(value),
		    old, rating_name(old), on_track(v, &row->t) ? "on track" :
		    "behind");
	else
		ui_message(a, "target %d rated %d %s: %s  (u undoes)",
		    row->t.position, value, rating_name(value),
		    on_track(v, &row->t) ? "on track" : "behind");
}

struct comment_ctx {
	struct pview *v;
	int64_t target_id;
	int position;
};

static void
comment_done(struct app *a, void *vctx, bool accepted, const char *text)
{
	struct comment_ctx *c = vctx;
	struct pview *v = c->v;
	struct ui_undo u;
	struct serr e;
	int64_t rid = 0;
	int i;

	if (!accepted || *text == '\0') {
		ui_message(a, "no comment added");
		free(c);
		return;
	}
	serr_clear(&e);
	if (target_rate(a->db, c->target_id, -1, text, SDATE_NONE, &rid,
	    &e) != 0) {
		ui_error_serr(a, &e);
		free(c);
		return;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_RATING;
	u.id = rid;
	snprintf(u.what, sizeof u.what, "comment on target %d for %s",
	    c->position, v->name);
	ui_undo_set(a, &u);
	ui_changed(a);
	v->gen = ui_generation(a);
	for (i = 0; i < tp(v)->n; i++)
		if (tp(v)->rows[i].t.id == c->target_id)
			reload_row(v, a, i);
	ui_message(a, "comment added to target %d", c->position);
	free(c);
}

/* --- the target form -------------------------------------------------- */

static const char *const area_choices[] = {
	"none", "CI Communication and interaction", "CL Cognition and learning",
	"SEMH Social, emotional and mental health",
	"SP Sensory and/or physical",
};

struct tform {
	struct pview *v;
	int64_t target_id;	/* 0: a new target */
	int64_t version;
	int text, criteria, baseline, area;
};

static int
tform_save(struct app *a, struct ui_form *f, void *vctx, struct serr *e)
{
	struct tform *c = vctx;
	struct target t, old;
	struct ui_undo u;
	int rc;

	target_init(&t);
	memset(&u, 0, sizeof u);
	if (c->target_id == 0) {
		t.cycle_id = c->v->cycle.id;
		t.text = xstrdup(ui_form_text(f, c->text));
		t.criteria = xstrdup(ui_form_text(f, c->criteria));
		t.baseline = xstrdup(ui_form_text(f, c->baseline));
		t.area = (enum area)ui_form_choice(f, c->area);
		rc = target_add(a->db, &t, e);
		if (rc == 0) {
			char msg[96];
			u.kind = UNDO_TARGET_ADD;
			u.id = t.id;
			snprintf(u.what, sizeof u.what, "adding target %d for "
			    "%s", t.position, c->v->name);
			ui_undo_set(a, &u);
			snprintf(msg, sizeof msg, "target %d added (u undoes)",
			    t.position);
			ui_form_done_message(f, msg);
		}
		target_free(&t);
		return rc;
	}
	if ((rc = target_get(a->db, c->target_id, &t, e)) != 0)
		return rc;
	copy_target(&old, &t);
	/* the version read when the form opened: a change by someone
	 * else since then is refused by the core, not overwritten (unless
	 * the user, told of it, chose o: then the version just read) */
	if (!ui_form_overwrite(f))
		t.version = c->version;
	free(t.text);
	free(t.criteria);
	free(t.baseline);
	t.text = xstrdup(ui_form_text(f, c->text));
	t.criteria = xstrdup(ui_form_text(f, c->criteria));
	t.baseline = xstrdup(ui_form_text(f, c->baseline));
	t.area = (enum area)ui_form_choice(f, c->area);
	rc = target_update(a->db, &t, e);
	if (rc == 0) {
		char msg[96];
		u.kind = UNDO_TARGET_EDIT;
		u.id = t.id;
		u.old_text = old.text;
		u.old_criteria = old.criteria;
		u.old_baseline = old.baseline;
		u.old_area = (int)old.area;
		old.text = old.criteria = old.baseline = NULL;
		snprintf(u.what, sizeof u.what, "the edit of target %d for %s",
		    t.position, c->v->name);
		ui_undo_set(a, &u);
		snprintf(msg, sizeof msg, "target %d saved (u undoes)",
		    t.position);
		ui_form_done_message(f, msg);
	}
	target_free(&old);
	target_free(&t);
	return rc;
}

static struct ui_form *build_form(struct pview *v, const struct target *t);

/* r after a conflict: the form again with the target as stored now; the
 * caller opens it. */
static struct ui_form *
tform_reload(struct app *a, void *vctx)
{
	struct tform *c = vctx;
	struct ui_form *f;
	struct target t;
	struct serr e;

	serr_clear(&e);
	target_init(&t);
	if (target_get(a->db, c->target_id, &t, &e) != 0) {
		ui_error_serr(a, &e);
		return NULL;
	}
	f = build_form(c->v, &t);
	target_free(&t);
	return f;
}

static void
target_form(struct pview *v, struct app *a, const struct target *t)
{
	ui_form_open(a, build_form(v, t));
}

/* The form, not yet opened: the caller's. */
static struct ui_form *
build_form(struct pview *v, const struct target *t)
{
	struct tform *c = xcalloc(1, sizeof *c);
	struct ui_form *f;
	char title[256];

	c->v = v;
	if (t != NULL) {
		c->target_id = t->id;
		c->version = t->version;
		snprintf(title, sizeof title, "Edit target %d for %s",
		    t->position, v->name);
	} else
		snprintf(title, sizeof title, "New target for %s", v->name);
	f = ui_form_new(title, tform_save, c, free);
	c->text = ui_form_add(f, &(struct ui_field){ .label = "Target",
	    .kind = FIELD_MULTI, .required = true, .rule = "what the pupil "
	    "will do, by when (SMART)" }, t != NULL ? t->text : NULL);
	c->criteria = ui_form_add(f, &(struct ui_field){ .label =
	    "Success criteria", .kind = FIELD_MULTI, .rule = "how it will be "
	    "measured" }, t != NULL ? t->criteria : NULL);
	c->baseline = ui_form_add(f, &(struct ui_field){ .label = "Baseline",
	    .kind = FIELD_TEXT, .rule = "where the pupil starts" },
	    t != NULL ? t->baseline : NULL);
	c->area = ui_form_add(f, &(struct ui_field){ .label = "Broad area",
	    .kind = FIELD_CHOICE, .choices = area_choices, .n_choices = 5,
	    .rule = "the broad area of need this target serves" },
	    t != NULL && t->area != AREA_NONE ? area_code(t->area) : "none");
	if (t != NULL)
		ui_form_on_conflict(f, tform_reload);
	return f;
}

static void
discontinue(struct pview *v, struct app *a)
{
	struct trow *row = current(v, a);
	struct ui_undo u;
	struct serr e;

	if (row == NULL)
		return;
	if (row->t.outcome != OUTCOME_NONE) {
		ui_error(a, "target %d already has an outcome (%s)",
		    row->t.position, outcome_name(row->t.outcome));
		return;
	}
	serr_clear(&e);
	if (target_set_outcome(a->db, row->t.id, OUTCOME_DISCONTINUED,
	    &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_OUTCOME;
	u.id = row->t.id;
	u.old_value = OUTCOME_NONE;
	snprintf(u.what, sizeof u.what, "discontinuing target %d for %s",
	    row->t.position, v->name);
	ui_undo_set(a, &u);
	ui_changed(a);
	v->gen = ui_generation(a);
	ui_message(a, "target %d discontinued (u undoes)", row->t.position);
	reload_row(v, a, tp(v)->cur);
}

static bool
tg_key(struct pview *v, struct app *a, enum ui_action act, int key)
{
	struct tpane *p = tp(v);
	struct trow *row;
	int rows = list_rows(v);

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
		move_cur(v, p->cur + rows);
		return true;
	case ACT_PAGE_UP:
		move_cur(v, p->cur - rows);
		return true;
	case ACT_RATE_0:
	case ACT_RATE_1:
	case ACT_RATE_2:
	case ACT_RATE_3:
	case ACT_RATE_4:
		rate(v, a, (int)(act - ACT_RATE_0));
		return true;
	case ACT_TARGET_COMMENT:
		if ((row = current(v, a)) != NULL) {
			struct comment_ctx *c = xcalloc(1, sizeof *c);
			char label[64];
			c->v = v;
			c->target_id = row->t.id;
			c->position = row->t.position;
			snprintf(label, sizeof label, "Comment on target %d: ",
			    row->t.position);
			ui_prompt_open(a, label, "", NULL, comment_done, c);
		}
		return true;
	case ACT_TARGET_ADD:
		if (!v->has_cycle)
			ui_error(a, "no open cycle: press 1 for the Cycle pane, "
			    "then n to start one");
		else
			target_form(v, a, NULL);
		return true;
	case ACT_TARGET_EDIT:
		if ((row = current(v, a)) != NULL)
			target_form(v, a, &row->t);
		return true;
	case ACT_TARGET_DISCONTINUE:
		discontinue(v, a);
		return true;
	default:
		return false;
	}
}

static void
tg_free(struct pview *v)
{
	struct tpane *p = v->state[PANE_TARGETS];

	clear_rows(p);
	free(p->rows);
	free(p);
	v->state[PANE_TARGETS] = NULL;
}

const struct pane_ops pane_targets_ops = {
	.name = "Targets",
	.scope = SC_PANE_TARGETS,
	.load = tg_load,
	.draw = tg_draw,
	.key = tg_key,
	.free = tg_free,
};
