/*
 * review_draw.c: drawing the review meeting (review.c): the steps along
 * the top, then the step's own body: a target with its history and the
 * answers of this meeting, a voice in a text box, the decision, the
 * carry-over and the end. Every state shown in colour or reverse video
 * is also said in text (brackets, ">", ticks, words).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/config.h"
#include "core/cycle.h"
#include "core/derive.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/edit.h"
#include "ui/review_int.h"

static int
n_carried(const struct review *r)
{
	int i, n = 0;

	for (i = 0; i < r->n_carry; i++)
		n += r->tg[r->carry[i]].carry == CARRY_CARRIED;
	return n;
}

/* --- drawing -------------------------------------------------------------- */

static const char *
dot(void)
{
	return ui_utf8() ? "\xc2\xb7" : "-";
}

static const char *
tick(void)
{
	return ui_utf8() ? "\xe2\x9c\x93" : "*";
}

char *
review_key_of(enum ui_action act, char *buf, size_t n)
{
	const struct ui_keydef *d = ui_keys_def(act);

	if (d == NULL || d->n_keys == 0)
		snprintf(buf, n, "?");
	else
		ui_key_name(d->keys[0], buf, n);
	return buf;
}

struct wrapbuf {
	char **lines;
	int n;
};

static void
wrap_cb(void *ctx, char *line)
{
	struct wrapbuf *w = ctx;

	w->lines = xreallocarray(w->lines, (size_t)w->n + 1,
	    sizeof *w->lines);
	w->lines[w->n++] = line;
}

/* A label and text wrapped over at most max rows (an ellipsis says there
 * is more); returns the rows used. */
static int
draw_wrapped(struct app *a, int y, int last, const char *label,
    const char *text, int max, int attr)
{
	struct wrapbuf w = { NULL, 0 };
	int width = a->cols - LABEL_W, used = 0, i;

	if (y > last)
		return 0;
	ui_draw(y, 0, LABEL_W, label, A_BOLD);
	ui_wrap(text, width, wrap_cb, &w);
	if (w.n == 0)
		ui_draw(y, LABEL_W, width, "", attr);
	for (i = 0; i < w.n; i++) {
		if (used < max && y + used <= last) {
			if (used == max - 1 && i < w.n - 1) {
				char buf[1024];
				snprintf(buf, sizeof buf, "%s %s", w.lines[i],
				    ui_sym_ellipsis());
				ui_draw(y + used, LABEL_W, width, buf, attr);
			} else
				ui_draw(y + used, LABEL_W, width, w.lines[i],
				    attr);
			if (used > 0)
				ui_blank(y + used, 0, LABEL_W, A_NORMAL);
			used++;
		}
		free(w.lines[i]);
	}
	free(w.lines);
	return used > 0 ? used : 1;
}

/* Draw "text" at x, bracketed and highlighted when on; returns the new x. */
static int
draw_choice(int y, int x, int limit, const char *text, bool on)
{
	char buf[128];

	if (x >= limit)
		return x;
	snprintf(buf, sizeof buf, on ? "[%s]" : " %s ", text);
	x += ui_draw(y, x, limit - x < ui_width(buf) ? limit - x :
	    ui_width(buf), buf, on ? ui_style_attr(ST_SELECTED) :
	    (int)A_NORMAL);
	if (x < limit)
		x += ui_draw(y, x, 1, " ", A_NORMAL);
	return x;
}

static void
draw_steps(struct review *r, struct app *a)
{
	int x = 0, i, lim = a->cols;
	char buf[64];
	static const char *const names[] = { "Targets", "Parent voice",
	    "Pupil voice", "Decision", "Carry over" };
	bool after_close = r->step >= STEP_CARRY;

	ui_blank(STEPS_ROW, 0, a->cols, A_NORMAL);
	x += ui_draw(STEPS_ROW, x, 9, "Targets: ", A_BOLD);
	if (r->n_tg == 0)
		x += ui_draw(STEPS_ROW, x, 6, " none", ui_style_attr(ST_DIM));
	for (i = 0; i < r->n_tg && x < lim - 4; i++) {
		bool on = r->step == STEP_TARGET && i == r->cur;
		snprintf(buf, sizeof buf, on ? "[%d]" : " %d%s",
		    r->tg[i].t.position, r->tg[i].t.outcome != OUTCOME_NONE ?
		    tick() : " ");
		x += ui_draw(STEPS_ROW, x, ui_width(buf), buf,
		    on ? ui_style_attr(ST_TAB_ACTIVE) : (int)A_NORMAL);
	}
	for (i = 1; i < 5 && x < lim; i++) {
		bool on = (int)r->step == i, done;
		if (i == 4 && !r->has_next && !(r->step == STEP_DECIDE &&
		    (r->chosen == DECISION_CONTINUE ||
		    r->chosen == DECISION_INCREASE)))
			break;
		done = (i == 1 && r->cy.parent_voice != NULL &&
		    *r->cy.parent_voice) || (i == 2 && r->cy.pupil_voice !=
		    NULL && *r->cy.pupil_voice) || (i == 3 && after_close) ||
		    (i == 4 && r->step == STEP_DONE);
		x += ui_draw(STEPS_ROW, x, 3 < lim - x ? 3 : lim - x, " > ",
		    A_NORMAL);
		snprintf(buf, sizeof buf, on ? "[%s]" : "%s%s", names[i],
		    done ? tick() : "");
		if (x < lim)
			x += ui_draw(STEPS_ROW, x, ui_width(buf) < lim - x ?
			    ui_width(buf) : lim - x, buf, on ?
			    ui_style_attr(ST_TAB_ACTIVE) : (int)A_NORMAL);
	}
	ui_hline(STEPS_ROW + 1, 0, a->cols, A_NORMAL);
}

static void
draw_target(struct review *r, struct app *a)
{
	struct rtarget *rt = &r->tg[r->cur];
	const struct target *t = &rt->t;
	int y = BODY_ROW, last = ui_body_bottom(a), i, x, w = a->cols;
	char buf[512], d[16], k[16];
	sdate today = date_today();
	int need = derive_required_rating(r->cy.plan_start, r->cy.plan_end,
	    today);
	static const enum ui_action outcome_act[] = { ACT_OUTCOME_ACHIEVED,
	    ACT_OUTCOME_PARTIAL, ACT_OUTCOME_NOT, ACT_OUTCOME_DISCONTINUED };

	snprintf(buf, sizeof buf, "Target %d of %d", r->cur + 1, r->n_tg);
	ui_draw(y, 0, w / 2, buf, ui_style_attr(ST_HEADING));
	ui_draw_right(y++, w / 2, w - w / 2, t->area != AREA_NONE ?
	    area_name(t->area) : "", A_NORMAL);
	y += draw_wrapped(a, y, last, "Target", t->text, TEXT_ROWS,
	    A_NORMAL);
	y += draw_wrapped(a, y, last, "Criteria", t->criteria != NULL &&
	    *t->criteria ? t->criteria : "(none written)", CRITERIA_ROWS,
	    A_NORMAL);
	y += draw_wrapped(a, y, last, "Baseline", t->baseline != NULL &&
	    *t->baseline ? t->baseline : "(none)", 1, A_NORMAL);
	if (y > last)
		return;
	/* the rating history: the progress line, then in words */
	ui_draw(y, 0, LABEL_W, "Ratings", A_BOLD);
	buf[0] = '\0';
	for (i = 0; i < rt->n_hist; i++)
		strcat(buf, ui_sym_block(rt->hist[i]));
	x = LABEL_W + ui_draw(y, LABEL_W, rt->n_hist + 1, buf, A_NORMAL);
	if (t->latest >= 0)
		snprintf(buf, sizeof buf, " latest %d %s on %s, %d rating%s",
		    t->latest, rating_name(t->latest), date_show(t->latest_on,
		    d), rt->n_ratings, rt->n_ratings == 1 ? "" : "s");
	else
		snprintf(buf, sizeof buf, "no rating yet");
	ui_draw(y++, x, w - x, buf, A_NORMAL);
	if (y <= last) {
		ui_draw(y, 0, LABEL_W, "On track", A_BOLD);
		if (t->outcome != OUTCOME_NONE)
			snprintf(buf, sizeof buf, "judged at this review");
		else
			snprintf(buf, sizeof buf, "%s (today needs %d or "
			    "more)", derive_on_track(t->latest,
			    r->cy.plan_start, r->cy.plan_end, today) ?
			    "on track" : "behind", need);
		ui_draw(y++, LABEL_W, w - LABEL_W, buf, t->outcome !=
		    OUTCOME_NONE ? (int)A_NORMAL : derive_on_track(t->latest,
		    r->cy.plan_start, r->cy.plan_end, today) ?
		    ui_style_attr(ST_GOOD) : ui_style_attr(ST_OVERDUE));
	}
	for (i = 0; i < COMMENTS_SHOWN && y <= last; i++, y++) {
		ui_draw(y, 0, LABEL_W, i == 0 ? "Comments" : "", A_BOLD);
		ui_draw(y, LABEL_W, w - LABEL_W, i < rt->n_comments ?
		    rt->comments[i] : i == 0 ? "(none)" : "",
		    ui_style_attr(ST_DIM));
	}
	if (y + 4 > last)
		return;
	ui_blank(y++, 0, w, A_NORMAL);
	ui_hline(y, 0, w, A_NORMAL);
	ui_draw(y++, 2, 17, " In this meeting ", A_BOLD);

	/* rating: the one given today is bracketed */
	ui_draw(y, 0, LABEL_W, "Rating", A_BOLD);
	for (i = 0, x = LABEL_W - 1; i <= RATING_MAX; i++) {
		snprintf(buf, sizeof buf, "%d %s", i, rating_name(i));
		x = draw_choice(y, x, w, buf, t->latest == i &&
		    t->latest_on == today);
	}
	ui_blank(y, x, w - x, A_NORMAL);
	y++;
	/* comment: the editor while typing one */
	ui_draw(y, 0, LABEL_W, "Comment", A_BOLD);
	if (r->editing && r->comment) {
		r->ed_w = w - LABEL_W - 1;
		ui_edit_draw(&r->ed, y, LABEL_W, r->ed_w, 1,
		    ui_style_attr(ST_FIELD_ACTIVE), &r->cur_y, &r->cur_x);
		ui_blank(y, w - 1, 1, A_NORMAL);
	} else {
		snprintf(buf, sizeof buf, "%s adds one (saved with today's "
		    "date)", review_key_of(ACT_TARGET_COMMENT, k, sizeof k));
		ui_draw(y, LABEL_W, w - LABEL_W, buf, A_NORMAL);
	}
	y++;
	/* outcome: single keys, the one given bracketed */
	ui_draw(y, 0, LABEL_W, "Outcome", A_BOLD);
	for (i = 0, x = LABEL_W - 1; i < 4; i++) {
		enum outcome o = (enum outcome)(OUTCOME_ACHIEVED + i);
		snprintf(buf, sizeof buf, "%s %s", review_key_of(outcome_act[i], k,
		    sizeof k), outcome_name(o));
		x = draw_choice(y, x, w, buf, t->outcome == o);
	}
	ui_blank(y, x, w - x, A_NORMAL);
	if (++y <= last) {
		if (r->editing && r->comment)
			snprintf(buf, sizeof buf, "Type the comment: Enter "
			    "saves it, Esc drops it.");
		else
			snprintf(buf, sizeof buf, "Rate it if it has moved, "
			    "then give the outcome. %s skips it, %s goes back.",
			    review_key_of(ACT_REVIEW_NEXT, k, sizeof k),
			    review_key_of(ACT_REVIEW_PREV, d, sizeof d));
		ui_draw(last, 0, w, buf, ui_style_attr(ST_DIM));
	}
}

static void
draw_voice(struct review *r, struct app *a, bool box_only)
{
	int y = BODY_ROW, last = ui_body_bottom(a), h, w = a->cols;
	char *text;
	bool changed;
	bool parent = r->step == STEP_PARENT;

	h = last - 2 - (y + 2) + 1;
	if (h < VOICE_ROWS_MIN)
		h = VOICE_ROWS_MIN;
	if (!box_only) {
		ui_draw(y, 0, w, parent ? "Parent voice" : "Pupil voice",
		    ui_style_attr(ST_HEADING));
		ui_draw(y + 1, 0, w, parent ? "What the parents or carers "
		    "said: progress seen at home, hopes, worries." :
		    "What the pupil said, in their own words where you can.",
		    ui_style_attr(ST_DIM));
	}
	r->ed_w = w - 2;
	ui_blank(y + 2, 0, 1, A_NORMAL);
	ui_edit_draw(&r->ed, y + 2, 1, r->ed_w, h,
	    ui_style_attr(ST_FIELD_ACTIVE), &r->cur_y, &r->cur_x);
	ui_blank(y + 2, w - 1, 1, A_NORMAL);
	y += 2 + h;
	if (y > last)
		return;
	text = ui_edit_text(&r->ed);
	changed = strcmp(text, r->saved != NULL ? r->saved : "") != 0;
	free(text);
	ui_draw(y++, 1, w - 1, changed ? "not saved yet: it is saved at "
	    "each new line, on Tab and when you leave" : r->saved != NULL &&
	    *r->saved ? "saved" : "nothing written yet", changed ?
	    ui_style_attr(ST_WARN) : ui_style_attr(ST_DIM));
	if (y <= last && !box_only)
		ui_draw(y, 1, w - 1, "Enter new line  Tab or Ctrl-S save and "
		    "go on  Shift-Tab back  Esc save and leave",
		    ui_style_attr(ST_DIM));
}

static int
count_outcome(const struct review *r, enum outcome o)
{
	int i, n = 0;

	for (i = 0; i < r->n_tg; i++)
		n += r->tg[i].t.outcome == o;
	return n;
}

static void
draw_decide(struct review *r, struct app *a)
{
	int y = BODY_ROW, last = ui_body_bottom(a), w = a->cols, i, missing;
	char buf[256], d[16], k[16], k2[16];
	int weeks = a->cfg != NULL && a->cfg->review_weeks > 0 ?
	    a->cfg->review_weeks : CONFIG_DEFAULT_REVIEW_WEEKS;
	sdate next = date_today() + weeks * 7;
	static const enum ui_action act[] = { ACT_DECIDE_CONTINUE,
	    ACT_DECIDE_INCREASE, ACT_DECIDE_EHC, ACT_DECIDE_REMOVE };

	ui_draw(y++, 0, w, "Decision", ui_style_attr(ST_HEADING));
	snprintf(buf, sizeof buf, "What happens next? Choose with a key; %s "
	    "then closes the cycle.", review_key_of(ACT_REVIEW_CLOSE, k, sizeof k));
	ui_draw(y++, 0, w, buf, A_NORMAL);
	ui_blank(y++, 0, w, A_NORMAL);
	for (i = 0; i < 4 && y <= last; i++, y++) {
		enum decision dc = (enum decision)(DECISION_CONTINUE + i);
		bool on = r->chosen == dc;
		const char *what = dc == DECISION_CONTINUE ||
		    dc == DECISION_INCREASE ? "a new cycle begins, review on" :
		    dc == DECISION_EHC ? "the cycle closes" :
		    "the cycle closes, the status becomes N";

		if (dc == DECISION_CONTINUE || dc == DECISION_INCREASE)
			snprintf(buf, sizeof buf, "%s %-3s %s: %s %s",
			    on ? ">" : " ", review_key_of(act[i], k, sizeof k),
			    decision_name(dc), what, date_show(next, d));
		else
			snprintf(buf, sizeof buf, "%s %-3s %s: %s",
			    on ? ">" : " ", review_key_of(act[i], k, sizeof k),
			    decision_name(dc), what);
		ui_draw(y, 0, w, buf, on ? ui_style_attr(ST_SELECTED) :
		    (int)A_NORMAL);
	}
	if (y + 1 > last)
		return;
	ui_blank(y++, 0, w, A_NORMAL);
	missing = count_outcome(r, OUTCOME_NONE);
	snprintf(buf, sizeof buf, "%d achieved, %d partially achieved, %d "
	    "not achieved, %d discontinued, %d without an outcome",
	    count_outcome(r, OUTCOME_ACHIEVED),
	    count_outcome(r, OUTCOME_PARTIAL), count_outcome(r, OUTCOME_NOT),
	    count_outcome(r, OUTCOME_DISCONTINUED), missing);
	y += draw_wrapped(a, y, last, "Targets", buf, 2, A_NORMAL);
	if (y <= last) {
		snprintf(buf, sizeof buf, "parent voice %s, pupil voice %s",
		    r->cy.parent_voice != NULL && *r->cy.parent_voice ?
		    "recorded" : "NOT recorded", r->cy.pupil_voice != NULL &&
		    *r->cy.pupil_voice ? "recorded" : "NOT recorded");
		ui_draw(y, 0, LABEL_W, "Voices", A_BOLD);
		ui_draw(y++, LABEL_W, w - LABEL_W, buf, A_NORMAL);
	}
	if (missing > 0 && y + 1 <= last) {
		snprintf(buf, sizeof buf, "%d target%s without an outcome: %s "
		    "goes back to them (they count as unmet).", missing,
		    missing == 1 ? " is" : "s are",
		    review_key_of(ACT_REVIEW_PREV, k2, sizeof k2));
		ui_draw(++y, 0, w, buf, ui_style_attr(ST_WARN));
	}
}

static void
draw_carry(struct review *r, struct app *a)
{
	int y = BODY_ROW, last = ui_body_bottom(a), w = a->cols, i, top;
	char buf[512], d1[16], d2[16], d3[16], k1[16], k2[16];

	ui_draw(y++, 0, w, "Carry over", ui_style_attr(ST_HEADING));
	snprintf(buf, sizeof buf, "%sThe cycle closed on %s: %s.",
	    r->resumed_carry ? "Finishing the review. " : "",
	    date_show(r->cy.closed_on, d1), decision_name(r->closed_with));
	ui_draw(y++, 0, w, buf, A_NORMAL);
	snprintf(buf, sizeof buf, "The new cycle runs from %s, review on %s.",
	    date_show(r->next.plan_start, d2),
	    date_show(r->next.review_date, d3));
	ui_draw(y++, 0, w, buf, A_NORMAL);
	snprintf(buf, sizeof buf, "Carry each unmet target into the new "
	    "cycle? %s carries it, %s leaves it behind.",
	    review_key_of(ACT_CARRY_YES, k1, sizeof k1),
	    review_key_of(ACT_CARRY_NO, k2, sizeof k2));
	ui_draw(y++, 0, w, buf, A_NORMAL);
	ui_blank(y++, 0, w, A_NORMAL);
	/* keep the question in view */
	top = r->carry_cur - (last - y);
	if (top < 0)
		top = 0;
	for (i = top; i < r->n_carry && y <= last; i++, y++) {
		const struct rtarget *rt = &r->tg[r->carry[i]];
		bool on = i == r->carry_cur;
		const char *mark = rt->carry == CARRY_CARRIED ? "[carried]" :
		    rt->carry == CARRY_LEFT ? "[left]   " : "[?]      ";

		snprintf(buf, sizeof buf, "%s %s %d %s (%s)", on ? ">" : " ",
		    mark, rt->t.position, rt->t.text,
		    rt->t.outcome != OUTCOME_NONE ?
		    outcome_name(rt->t.outcome) : "no outcome");
		ui_draw(y, 0, w, buf, on ? ui_style_attr(ST_SELECTED) :
		    (int)A_NORMAL);
	}
}

static void
draw_done(struct review *r, struct app *a)
{
	int y = BODY_ROW, w = a->cols, n = n_carried(r);
	char buf[256], d1[16], d2[16], k[16];

	snprintf(buf, sizeof buf, "The review of %s is finished.", r->name);
	ui_draw(y++, 0, w, buf, ui_style_attr(ST_HEADING));
	ui_blank(y++, 0, w, A_NORMAL);
	snprintf(buf, sizeof buf, "Cycle closed on %s: %s.",
	    date_show(r->cy.closed_on, d1), decision_name(r->closed_with));
	ui_draw(y++, 0, w, buf, A_NORMAL);
	if (r->has_next) {
		snprintf(buf, sizeof buf, "New cycle from %s, review on %s; "
		    "%d target%s carried over.", date_show(r->next.plan_start,
		    d1), date_show(r->next.review_date, d2), n, n == 1 ? "" :
		    "s");
		ui_draw(y++, 0, w, buf, A_NORMAL);
		ui_draw(y++, 0, w, "Plan the new targets on the pupil's "
		    "Targets pane.", A_NORMAL);
	} else if (r->closed_with == DECISION_REMOVE)
		ui_draw(y++, 0, w, "The pupil is off the SEN register now "
		    "(status N).", A_NORMAL);
	else if (r->closed_with == DECISION_EHC) {
		if (r->ehc_result == 2)
			ui_draw(y++, 0, w, "The pupil has an EHC needs "
			    "assessment request open already.", A_NORMAL);
		else
			ui_draw(y++, 0, w, "The EHC needs assessment request "
			    "is recorded (requested by the school).",
			    A_NORMAL);
		ui_draw(y++, 0, w, "Add its dates and steps on the EHC "
		    "screen (the pupil's EHC requests).", A_NORMAL);
	}
	ui_blank(y++, 0, w, A_NORMAL);
	snprintf(buf, sizeof buf, "%s goes back.",
	    review_key_of(ACT_QUIT, k, sizeof k));
	ui_draw(y, 0, w, buf, ui_style_attr(ST_DIM));
}

static void
draw_body(struct review *r, struct app *a)
{
	int y;

	for (y = BODY_ROW; y <= ui_body_bottom(a); y++)
		ui_blank(y, 0, a->cols, A_NORMAL);
	switch (r->step) {
	case STEP_TARGET:
		draw_target(r, a);
		break;
	case STEP_PARENT:
	case STEP_PUPIL:
		draw_voice(r, a, false);
		break;
	case STEP_DECIDE:
		draw_decide(r, a);
		break;
	case STEP_CARRY:
		draw_carry(r, a);
		break;
	case STEP_DONE:
		draw_done(r, a);
		break;
	}
}

static void
set_title(struct review *r, struct app *a)
{
	char step[48];

	switch (r->step) {
	case STEP_TARGET:
		snprintf(step, sizeof step, "target %d of %d", r->cur + 1,
		    r->n_tg);
		break;
	case STEP_PARENT:
		snprintf(step, sizeof step, "parent voice");
		break;
	case STEP_PUPIL:
		snprintf(step, sizeof step, "pupil voice");
		break;
	case STEP_DECIDE:
		snprintf(step, sizeof step, "decision");
		break;
	case STEP_CARRY:
		snprintf(step, sizeof step, "carry over");
		break;
	case STEP_DONE:
		snprintf(step, sizeof step, "finished");
		break;
	}
	ui_title(a, "senco %s Review meeting %s %s %s %s", dot(), dot(),
	    r->name, dot(), step);
}

void
review_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct review *r = (struct review *)s;

	set_title(r, a);
	if (full || r->body_dirty) {
		draw_steps(r, a);
		draw_body(r, a);
	} else if (r->editor_dirty) {
		if (r->step == STEP_TARGET)
			draw_target(r, a);
		else
			draw_voice(r, a, true);
	}
	r->body_dirty = r->editor_dirty = false;
}

