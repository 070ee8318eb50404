/*
 * review.c: the review meeting, a guided screen for the meeting with
 * parents and pupil at the end of a cycle (DOMAIN.md "The graduated
 * approach", stage 4):
 *
 *   Targets    one at a time: the target, its criteria, baseline and
 *              rating history; a rating (0-4), a comment, an outcome
 *   Parent voice, Pupil voice    free text over several lines
 *   Decision   continue, increase support, request an EHC needs
 *              assessment, or remove from the register; Enter closes
 *   Carry over for continue and increase: each unmet target, y or n
 *
 * Every answer is written the moment it is given, each in its own
 * transaction through the core (target_rate, target_set_outcome,
 * cycle_set_text, cycle_close, target_carry_over), so a dropped
 * connection loses nothing entered: a voice or comment being typed is
 * saved when the screen is torn down (hang-up, q, Esc) and a voice also
 * at every new line. Opening the meeting again resumes where the saved
 * answers stop; a meeting whose cycle was closed but whose carry-over
 * was cut short resumes at the carry-over for a week after the close.
 *
 * This file holds the meeting's state, answers and keys; review_draw.c
 * draws it.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/config.h"
#include "core/cycle.h"
#include "core/ehc.h"
#include "core/pupil.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/edit.h"
#include "ui/review.h"
#include "ui/review_int.h"

/* --- loading -------------------------------------------------------------- */

static void
clear_targets(struct review *r)
{
	int i;

	for (i = 0; i < r->n_tg; i++)
		target_free(&r->tg[i].t);
	free(r->tg);
	r->tg = NULL;
	r->n_tg = 0;
	free(r->carry);
	r->carry = NULL;
	r->n_carry = 0;
}

static void
copy_target(struct target *dst, const struct target *src)
{
	*dst = *src;
	dst->text = src->text != NULL ? xstrdup(src->text) : NULL;
	dst->criteria = src->criteria != NULL ? xstrdup(src->criteria) : NULL;
	dst->baseline = src->baseline != NULL ? xstrdup(src->baseline) : NULL;
}

static int
on_target(void *ctx, const struct target *t)
{
	struct review *r = ctx;

	r->tg = xreallocarray(r->tg, (size_t)r->n_tg + 1, sizeof *r->tg);
	memset(&r->tg[r->n_tg], 0, sizeof r->tg[r->n_tg]);
	copy_target(&r->tg[r->n_tg].t, t);
	r->n_tg++;
	return 0;
}

static int
on_rating(void *ctx, const struct rating *g)
{
	struct rtarget *rt = ctx;
	char d[16];

	if (g->value >= 0) {
		if (rt->n_hist == HIST_MAX) {
			memmove(rt->hist, rt->hist + 1,
			    (HIST_MAX - 1) * sizeof rt->hist[0]);
			rt->n_hist--;
		}
		rt->hist[rt->n_hist++] = g->value;
		rt->n_ratings++;
	}
	if (g->comment != NULL && *g->comment != '\0') {
		memmove(rt->comments[1], rt->comments[0],
		    (COMMENTS_SHOWN - 1) * sizeof rt->comments[0]);
		snprintf(rt->comments[0], sizeof rt->comments[0], "%s %s: %s",
		    date_show(g->on, d), g->author, g->comment);
		if (rt->n_comments < COMMENTS_SHOWN)
			rt->n_comments++;
	}
	return 0;
}

static void
load_ratings(struct review *r, struct rtarget *rt)
{
	rt->n_hist = rt->n_ratings = rt->n_comments = 0;
	target_ratings(r->app->db, rt->t.id, on_rating, rt, NULL);
}

static int
load_targets(struct review *r, struct serr *e)
{
	int i, rc;

	clear_targets(r);
	if ((rc = target_list(r->app->db, r->cy.id, on_target, r, e)) != 0)
		return rc;
	for (i = 0; i < r->n_tg; i++)
		load_ratings(r, &r->tg[i]);
	return 0;
}

/* Read one target again after a change to it. */
static void
reload_target(struct review *r, int i)
{
	struct target t;
	struct serr e;

	target_init(&t);
	serr_clear(&e);
	if (target_get(r->app->db, r->tg[i].t.id, &t, &e) != 0) {
		ui_error_serr(r->app, &e);
		return;
	}
	target_free(&r->tg[i].t);
	r->tg[i].t = t;
	load_ratings(r, &r->tg[i]);
}

/* Unmet: not achieved and not discontinued (the CLI's --carry rule). */
static bool
unmet(const struct target *t)
{
	return t->outcome != OUTCOME_ACHIEVED &&
	    t->outcome != OUTCOME_DISCONTINUED;
}

static void
build_carry(struct review *r)
{
	int i;

	free(r->carry);
	r->carry = xcalloc((size_t)r->n_tg + 1, sizeof *r->carry);
	r->n_carry = 0;
	for (i = 0; i < r->n_tg; i++)
		if (unmet(&r->tg[i].t))
			r->carry[r->n_carry++] = i;
	r->carry_cur = 0;
}

struct carried_ids {
	int64_t *v;
	int n;
};

static int
on_next_target(void *ctx, const struct target *t)
{
	struct carried_ids *c = ctx;

	if (t->carried_from != 0) {
		c->v = xreallocarray(c->v, (size_t)c->n + 1, sizeof *c->v);
		c->v[c->n++] = t->carried_from;
	}
	return 0;
}

/* Mark the targets already in the next cycle as carried (an undo may
 * have taken one back out). */
static void
refresh_carried(struct review *r)
{
	struct carried_ids c = { NULL, 0 };
	int i, k;

	if (!r->has_next)
		return;
	target_list(r->app->db, r->next.id, on_next_target, &c, NULL);
	for (i = 0; i < r->n_carry; i++) {
		struct rtarget *rt = &r->tg[r->carry[i]];
		bool in = false;

		for (k = 0; k < c.n; k++)
			if (c.v[k] == rt->t.id)
				in = true;
		if (in)
			rt->carry = CARRY_CARRIED;
		else if (rt->carry == CARRY_CARRIED)
			rt->carry = CARRY_ASK;
	}
	free(c.v);
}

/* The first carry question not answered from `from` on, wrapping; -1
 * when every one is answered. */
static int
next_question(const struct review *r, int from)
{
	int i;

	for (i = 0; i < r->n_carry; i++) {
		int k = (from + i) % r->n_carry;
		if (r->tg[r->carry[k]].carry == CARRY_ASK)
			return k;
	}
	return -1;
}

/*
 * Was `open` started by a review closed in the last week whose carry-over
 * was cut short (unmet targets not carried yet, the new cycle still at
 * Assess)? Then the meeting resumes at the carry-over: r takes `open` as
 * the next cycle and the closed one as the cycle reviewed.
 */
static bool
resume_carry(struct review *r, struct cycle *open)
{
	struct cycle prev;
	struct serr e;
	sdate today = date_today();

	if (open->carried_from == 0 || open->stage != STAGE_ASSESS)
		return false;
	cycle_init(&prev);
	if (cycle_get(r->app->db, open->carried_from, &prev, NULL) != 0)
		return false;
	if (prev.closed_on == SDATE_NONE || (prev.decision !=
	    DECISION_CONTINUE && prev.decision != DECISION_INCREASE) ||
	    today - prev.closed_on > CARRY_RESUME_DAYS) {
		cycle_free(&prev);
		return false;
	}
	r->cy = prev;
	r->next = *open;
	r->has_next = true;
	serr_clear(&e);
	if (load_targets(r, &e) != 0)
		goto no;
	build_carry(r);
	refresh_carried(r);
	if ((r->carry_cur = next_question(r, 0)) < 0)
		goto no;
	r->resumed_carry = true;
	r->closed_with = prev.decision;
	r->step = STEP_CARRY;
	return true;
no:
	/* nothing left to carry: review the open cycle as usual */
	clear_targets(r);
	r->has_next = false;
	cycle_free(&r->cy);
	cycle_init(&r->next);
	return false;
}

/* Where the saved answers stop: the first target without an outcome,
 * else the voices. */
static void
resume_point(struct review *r)
{
	int i;

	for (i = 0; i < r->n_tg; i++)
		if (r->tg[i].t.outcome == OUTCOME_NONE) {
			r->step = STEP_TARGET;
			r->cur = i;
			return;
		}
	/* the voices are not "done" like an outcome: they are shown again,
	 * as saved, for editing */
	r->cur = r->n_tg > 0 ? r->n_tg - 1 : 0;
	r->step = STEP_PARENT;
}

/* Read the pupil and the cycle; SE_NOTFOUND when there is no open one. */
static int
load(struct review *r, struct serr *e)
{
	struct pupil p;
	struct cycle open;
	int rc;

	if ((rc = pupil_get(r->app->db, r->pupil_id, &p, e)) != 0)
		return rc;
	pupil_display_name(&p, r->name, sizeof r->name);
	cycle_init(&open);
	if ((rc = cycle_open_for(r->app->db, r->pupil_id, &open, e)) != 0) {
		cycle_free(&open);
		return rc;
	}
	if (resume_carry(r, &open))
		return 0;
	r->cy = open;
	if ((rc = load_targets(r, e)) != 0)
		return rc;
	resume_point(r);
	return 0;
}

/* --- saving text ---------------------------------------------------------- */

static const char *
voice_field(const struct review *r)
{
	return r->step == STEP_PARENT ? "parent" : "pupil";
}

static char **
voice_text(struct review *r)
{
	return r->step == STEP_PARENT ? &r->cy.parent_voice :
	    &r->cy.pupil_voice;
}

/* Save the voice in the editor if it changed; tell: errors go to the
 * message line (false while the screen is torn down). */
static int
save_voice(struct review *r, bool tell)
{
	struct serr e;
	char *text = ui_edit_text(&r->ed);
	char **held = voice_text(r);
	int rc;

	if (strcmp(text, r->saved != NULL ? r->saved : "") == 0) {
		free(text);
		return 0;
	}
	serr_clear(&e);
	rc = cycle_set_text(r->app->db, r->cy.id, voice_field(r), text, &e);
	if (rc != 0) {
		if (tell)
			ui_error(r->app, "%s voice not saved: %s",
			    r->step == STEP_PARENT ? "parent" : "pupil",
			    e.msg);
		free(text);
		return rc;
	}
	free(*held);
	*held = xstrdup(text);
	free(r->saved);
	r->saved = text;
	ui_changed(r->app);
	r->gen = ui_generation(r->app);
	return 0;
}

static void
editor_close(struct review *r)
{
	if (!r->editing)
		return;
	ui_edit_free(&r->ed);
	free(r->saved);
	r->saved = NULL;
	r->editing = false;
	r->comment = false;
	r->base.text_entry = false;
}

static void
voice_open(struct review *r)
{
	const char *text = *voice_text(r);

	editor_close(r);
	ui_edit_init(&r->ed, text, true);
	r->saved = xstrdup(text != NULL ? text : "");
	r->editing = true;
	r->comment = false;
	r->base.text_entry = true;
}

/* Save the comment in the editor (if any) as a comment-only rating. */
static int
save_comment(struct review *r, bool tell)
{
	struct rtarget *rt = &r->tg[r->cur];
	struct ui_undo u;
	struct serr e;
	char *text = ui_edit_text(&r->ed);
	int64_t rid = 0;
	int rc = 0;
	const char *p;

	for (p = text; *p == ' '; p++)
		;
	if (*p == '\0') {
		if (tell)
			ui_message(r->app, "no comment added");
		goto out;
	}
	serr_clear(&e);
	if ((rc = target_rate(r->app->db, rt->t.id, -1, text, SDATE_NONE,
	    &rid, &e)) != 0) {
		if (tell)
			ui_error(r->app, "comment not saved: %s", e.msg);
		goto out;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_RATING;
	u.id = rid;
	snprintf(u.what, sizeof u.what, "the comment on target %d for %s",
	    rt->t.position, r->name);
	ui_undo_set(r->app, &u);
	ui_changed(r->app);
	r->gen = ui_generation(r->app);
	if (tell) {
		reload_target(r, r->cur);
		ui_message(r->app, "comment added to target %d (u undoes)",
		    rt->t.position);
	}
out:
	free(text);
	return rc;
}

/* --- moving between steps ------------------------------------------------- */

static void
enter_step(struct review *r, enum step s, int cur)
{
	editor_close(r);
	r->step = s;
	r->cur = cur;
	if (s == STEP_PARENT || s == STEP_PUPIL)
		voice_open(r);
	r->base.full = true;
}

/* Leave a voice step: save what was typed first; false if that failed
 * (the step stays, nothing typed is lost). */
static bool
leave_voice(struct review *r)
{
	if (r->editing && !r->comment && save_voice(r, true) != 0)
		return false;
	return true;
}

static void
step_next(struct review *r)
{
	switch (r->step) {
	case STEP_TARGET:
		if (r->cur + 1 < r->n_tg) {
			r->cur++;
			r->base.full = true;
		} else
			enter_step(r, STEP_PARENT, r->cur);
		break;
	case STEP_PARENT:
		if (leave_voice(r))
			enter_step(r, STEP_PUPIL, r->cur);
		break;
	case STEP_PUPIL:
		if (leave_voice(r))
			enter_step(r, STEP_DECIDE, r->cur);
		break;
	case STEP_DECIDE:
		ui_message(r->app, "the last step: choose a decision, then "
		    "Enter closes the cycle");
		break;
	case STEP_CARRY:
		if (r->carry_cur + 1 < r->n_carry) {
			r->carry_cur++;
			r->body_dirty = true;
		} else
			enter_step(r, STEP_DONE, r->cur);
		break;
	case STEP_DONE:
		break;
	}
}

static void
step_prev(struct review *r)
{
	switch (r->step) {
	case STEP_TARGET:
		if (r->cur > 0) {
			r->cur--;
			r->base.full = true;
		} else
			ui_message(r->app, "this is the first target");
		break;
	case STEP_PARENT:
		if (!leave_voice(r))
			break;
		if (r->n_tg > 0)
			enter_step(r, STEP_TARGET, r->n_tg - 1);
		else {
			enter_step(r, STEP_PARENT, r->cur);
			ui_message(r->app, "this cycle has no targets: the "
			    "parent voice is the first step");
		}
		break;
	case STEP_PUPIL:
		if (leave_voice(r))
			enter_step(r, STEP_PARENT, r->cur);
		break;
	case STEP_DECIDE:
		enter_step(r, STEP_PUPIL, r->cur);
		break;
	case STEP_CARRY:
		if (r->carry_cur > 0) {
			r->carry_cur--;
			r->body_dirty = true;
		} else
			ui_message(r->app, "the cycle is closed: the earlier "
			    "steps are done");
		break;
	case STEP_DONE:
		if (r->n_carry > 0 && r->has_next) {
			enter_step(r, STEP_CARRY, r->cur);
			r->carry_cur = r->n_carry - 1;
		}
		break;
	}
}

static bool
rv_cursor(struct ui_screen *s, struct app *a, int *y, int *x)
{
	struct review *r = (struct review *)s;

	if (!r->editing)
		return false;
	*y = r->cur_y;
	*x = r->cur_x;
	return true;
}

/* --- answers -------------------------------------------------------------- */

static void
rate(struct review *r, int value)
{
	struct rtarget *rt = &r->tg[r->cur];
	struct ui_undo u;
	struct serr e;
	int64_t rid = 0;

	if (rt->t.outcome != OUTCOME_NONE) {
		ui_error(r->app, "target %d already has its outcome (%s): "
		    "ratings stop there; u takes the outcome back",
		    rt->t.position, outcome_name(rt->t.outcome));
		return;
	}
	serr_clear(&e);
	if (target_rate(r->app->db, rt->t.id, value, NULL, SDATE_NONE, &rid,
	    &e) != 0) {
		ui_error_serr(r->app, &e);
		return;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_RATING;
	u.id = rid;
	snprintf(u.what, sizeof u.what, "rating %d of target %d for %s",
	    value, rt->t.position, r->name);
	ui_undo_set(r->app, &u);
	ui_changed(r->app);
	r->gen = ui_generation(r->app);
	reload_target(r, r->cur);
	r->body_dirty = true;
	ui_message(r->app, "target %d rated %d %s (saved; u undoes)",
	    rt->t.position, value, rating_name(value));
}

static void
give_outcome(struct review *r, enum outcome o)
{
	struct rtarget *rt = &r->tg[r->cur];
	struct ui_undo u;
	struct serr e;
	enum outcome old = rt->t.outcome;
	int pos = rt->t.position;

	serr_clear(&e);
	if (target_set_outcome(r->app->db, rt->t.id, o, &e) != 0) {
		ui_error_serr(r->app, &e);
		return;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_OUTCOME;
	u.id = rt->t.id;
	u.old_value = (int)old;
	snprintf(u.what, sizeof u.what, "the outcome of target %d for %s",
	    pos, r->name);
	ui_undo_set(r->app, &u);
	ui_changed(r->app);
	r->gen = ui_generation(r->app);
	reload_target(r, r->cur);
	ui_message(r->app, "target %d: %s (saved; u undoes)", pos,
	    outcome_name(o));
	step_next(r);
}

static void
close_cycle(struct review *r)
{
	struct app *a = r->app;
	struct ui_undo u;
	struct serr e;
	struct cycle closed;
	char d[16], k[16];
	int rc;
	int weeks = a->cfg != NULL && a->cfg->review_weeks > 0 ?
	    a->cfg->review_weeks : CONFIG_DEFAULT_REVIEW_WEEKS;
	bool starts = r->chosen == DECISION_CONTINUE ||
	    r->chosen == DECISION_INCREASE;

	if (r->chosen == DECISION_NONE) {
		char k1[16], k2[16], k3[16];
		ui_error(a, "choose a decision first: %s, %s, %s or %s",
		    review_key_of(ACT_DECIDE_CONTINUE, k, sizeof k),
		    review_key_of(ACT_DECIDE_INCREASE, k1, sizeof k1),
		    review_key_of(ACT_DECIDE_EHC, k2, sizeof k2),
		    review_key_of(ACT_DECIDE_REMOVE, k3, sizeof k3));
		return;
	}
	serr_clear(&e);
	cycle_free(&r->next);
	/* The decision to request an EHC needs assessment records the
	 * request with the close, in one transaction: a dropped line
	 * leaves neither. SE_EXISTS from the request is a request still
	 * open for the pupil, which is fine: the close stands. */
	if (db_begin(a->db, &e) != 0) {
		cycle_init(&r->next);
		ui_error(a, "the cycle was not closed: %s", e.msg);
		return;
	}
	if (cycle_close(a->db, r->cy.id, r->chosen, SDATE_NONE, weeks,
	    starts ? &r->next : NULL, &e) != 0) {
		db_rollback(a->db);
		cycle_init(&r->next);
		ui_error(a, "the cycle was not closed: %s", e.msg);
		return;
	}
	r->ehc_result = 0;
	if (r->chosen == DECISION_EHC) {
		rc = ehc_request_from_review(a->db, r->cy.id, SDATE_NONE, NULL,
		    &e);
		if (rc != 0 && rc != SE_EXISTS) {
			db_rollback(a->db);
			cycle_init(&r->next);
			ui_error(a, "the cycle was not closed: %s", e.msg);
			return;
		}
		r->ehc_result = rc == SE_EXISTS ? 2 : 1;
	}
	if (db_commit(a->db, &e) != 0) {
		cycle_free(&r->next);
		cycle_init(&r->next);
		r->ehc_result = 0;
		ui_error(a, "the cycle was not closed: %s", e.msg);
		return;
	}
	if (!starts)
		cycle_init(&r->next);
	r->has_next = starts && r->next.id != 0;
	r->closed_with = r->chosen;
	ui_changed(a);
	r->gen = ui_generation(a);
	cycle_init(&closed);
	if (cycle_get(a->db, r->cy.id, &closed, NULL) == 0) {
		cycle_free(&r->cy);
		r->cy = closed;
	} else {
		cycle_free(&closed);
		r->cy.closed_on = date_today();
		r->cy.decision = r->chosen;
	}
	memset(&u, 0, sizeof u);
	u.kind = UNDO_NOT_POSSIBLE;
	snprintf(u.what, sizeof u.what, "closing the cycle of %s (a review "
	    "decision stands)", r->name);
	ui_undo_set(a, &u);
	if (r->has_next) {
		build_carry(r);
		refresh_carried(r);
		ui_message(a, "cycle closed: %s; the new cycle's review is on "
		    "%s", decision_name(r->closed_with),
		    date_show(r->next.review_date, d));
		if (r->n_carry > 0) {
			enter_step(r, STEP_CARRY, r->cur);
			r->carry_cur = 0;
			return;
		}
	} else
		ui_message(a, "cycle closed: %s",
		    decision_name(r->closed_with));
	enter_step(r, STEP_DONE, r->cur);
}

static void
answer_carry(struct review *r, bool yes)
{
	struct rtarget *rt;
	struct ui_undo u;
	struct serr e;
	int64_t id = 0;
	int next;

	if (r->n_carry == 0)
		return;
	rt = &r->tg[r->carry[r->carry_cur]];
	if (rt->carry == CARRY_CARRIED) {
		ui_message(r->app, "target %d is carried over already (u "
		    "takes the last one back)", rt->t.position);
	} else if (yes) {
		serr_clear(&e);
		if (target_carry_over(r->app->db, rt->t.id, r->next.id, &id,
		    &e) != 0) {
			ui_error_serr(r->app, &e);
			return;
		}
		rt->carry = CARRY_CARRIED;
		memset(&u, 0, sizeof u);
		u.kind = UNDO_TARGET_ADD;
		u.id = id;
		snprintf(u.what, sizeof u.what, "carrying target %d over for "
		    "%s", rt->t.position, r->name);
		ui_undo_set(r->app, &u);
		ui_changed(r->app);
		r->gen = ui_generation(r->app);
		ui_message(r->app, "target %d carried into the new cycle "
		    "(saved; u undoes)", rt->t.position);
	} else {
		rt->carry = CARRY_LEFT;
		ui_message(r->app, "target %d left behind", rt->t.position);
	}
	next = next_question(r, r->carry_cur + 1);
	if (next < 0)
		enter_step(r, STEP_DONE, r->cur);
	else {
		r->carry_cur = next;
		r->body_dirty = true;
	}
}

/* --- keys ----------------------------------------------------------------- */

static void
leave_message(struct review *r)
{
	if (r->step != STEP_DONE)
		ui_message(r->app, "left the review meeting: every answer "
		    "given is saved; R on the pupil resumes it");
}

/* Keys while text is typed (a voice, or a comment). */
static bool
edit_key(struct review *r, struct app *a, enum ui_action act, int key)
{
	enum ui_edit_result res;

	if (r->comment) {
		switch (act) {
		case ACT_FORM_SAVE:
		case ACT_FORM_NEXT:
			if (act == ACT_FORM_NEXT && key != UI_KEY_ENTER &&
			    key != UI_KEY_TAB)
				return true;
			save_comment(r, true);
			editor_close(r);
			r->body_dirty = true;
			return true;
		case ACT_FORM_CANCEL:
			editor_close(r);
			r->body_dirty = true;
			ui_message(a, "no comment added");
			return true;
		case ACT_FORM_PREV:
			return true;
		default:
			break;
		}
		if (ui_edit_key(&r->ed, key, r->ed_w) != EDIT_IGNORED)
			r->editor_dirty = true;
		return true;
	}
	switch (act) {
	case ACT_FORM_SAVE:
		step_next(r);
		return true;
	case ACT_FORM_NEXT:
		if (key == UI_KEY_TAB) {
			step_next(r);
			return true;
		}
		break;
	case ACT_FORM_PREV:
		if (key != UI_KEY_FN(KEY_UP)) {
			step_prev(r);
			return true;
		}
		break;
	case ACT_FORM_CANCEL:
		if (save_voice(r, true) != 0)
			return true;	/* stay: the text would be lost */
		leave_message(r);
		ui_pop(a);
		return true;
	default:
		break;
	}
	res = ui_edit_key(&r->ed, key, r->ed_w);
	if (res == EDIT_IGNORED)
		return true;
	r->editor_dirty = true;
	/* every line finished is on disk */
	if (key == UI_KEY_ENTER && res == EDIT_CHANGED)
		save_voice(r, true);
	return true;
}

static bool
rv_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct review *r = (struct review *)s;

	if (r->editing)
		return edit_key(r, a, act, key);
	switch (act) {
	case ACT_QUIT:
	case ACT_BACK:
		leave_message(r);
		return false;	/* the app closes the screen */
	case ACT_REVIEW_NEXT:
		step_next(r);
		return true;
	case ACT_REVIEW_PREV:
		step_prev(r);
		return true;
	default:
		break;
	}
	switch (r->step) {
	case STEP_TARGET:
		switch (act) {
		case ACT_RATE_0:
		case ACT_RATE_1:
		case ACT_RATE_2:
		case ACT_RATE_3:
		case ACT_RATE_4:
			rate(r, (int)(act - ACT_RATE_0));
			return true;
		case ACT_TARGET_COMMENT:
			if (r->tg[r->cur].t.outcome != OUTCOME_NONE) {
				ui_error(a, "target %d has its outcome: "
				    "comments go before it (u takes the "
				    "outcome back)", r->tg[r->cur].t.position);
				return true;
			}
			editor_close(r);
			ui_edit_init(&r->ed, NULL, false);
			r->editing = r->comment = true;
			r->base.text_entry = true;
			r->body_dirty = true;
			return true;
		case ACT_OUTCOME_ACHIEVED:
		case ACT_OUTCOME_PARTIAL:
		case ACT_OUTCOME_NOT:
		case ACT_OUTCOME_DISCONTINUED:
			give_outcome(r, (enum outcome)(OUTCOME_ACHIEVED +
			    (act - ACT_OUTCOME_ACHIEVED)));
			return true;
		default:
			return false;
		}
	case STEP_DECIDE:
		switch (act) {
		case ACT_DECIDE_CONTINUE:
		case ACT_DECIDE_INCREASE:
		case ACT_DECIDE_EHC:
		case ACT_DECIDE_REMOVE:
			r->chosen = (enum decision)(DECISION_CONTINUE +
			    (act - ACT_DECIDE_CONTINUE));
			r->body_dirty = true;
			ui_message(a, "chosen: %s; Enter closes the cycle",
			    decision_name(r->chosen));
			return true;
		case ACT_REVIEW_CLOSE:
			close_cycle(r);
			return true;
		default:
			return false;
		}
	case STEP_CARRY:
		switch (act) {
		case ACT_CARRY_YES:
		case ACT_CARRY_NO:
			answer_carry(r, act == ACT_CARRY_YES);
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

static unsigned
rv_scopes(struct ui_screen *s, struct app *a)
{
	struct review *r = (struct review *)s;

	(void)a;
	if (r->editing)
		return SC_FORM;
	switch (r->step) {
	case STEP_TARGET:
		return SC_GLOBAL | SC_REVIEW | SC_REVIEW_TARGET;
	case STEP_DECIDE:
		return SC_GLOBAL | SC_REVIEW | SC_REVIEW_DECIDE;
	case STEP_CARRY:
		return SC_GLOBAL | SC_REVIEW | SC_REVIEW_CARRY;
	default:
		return SC_GLOBAL;	/* finished: q goes back */
	}
}

/* After undo, help, or another screen: read again what may have changed,
 * keeping the step and the carry answers given. */
static void
rv_resume(struct ui_screen *s, struct app *a)
{
	struct review *r = (struct review *)s;
	enum carry_answer *answers;
	int64_t *ids;
	int i, k, n;
	struct serr e;

	if (r->gen == ui_generation(a))
		return;
	n = r->n_tg;
	answers = xcalloc((size_t)n + 1, sizeof *answers);
	ids = xcalloc((size_t)n + 1, sizeof *ids);
	for (i = 0; i < n; i++) {
		answers[i] = r->tg[i].carry;
		ids[i] = r->tg[i].t.id;
	}
	serr_clear(&e);
	if (load_targets(r, &e) != 0)
		ui_error_serr(a, &e);
	for (i = 0; i < r->n_tg; i++)
		for (k = 0; k < n; k++)
			if (ids[k] == r->tg[i].t.id)
				r->tg[i].carry = answers[k];
	free(answers);
	free(ids);
	if (r->step >= STEP_CARRY) {
		int keep = r->carry_cur;
		build_carry(r);
		r->carry_cur = keep < r->n_carry ? keep : 0;
		refresh_carried(r);
	}
	if (r->cur >= r->n_tg)
		r->cur = r->n_tg > 0 ? r->n_tg - 1 : 0;
	if (r->step == STEP_TARGET && r->n_tg == 0)
		enter_step(r, STEP_PARENT, 0);
	r->gen = ui_generation(a);
	r->base.full = true;
}

static void
review_free(struct review *r)
{
	editor_close(r);
	clear_targets(r);
	cycle_free(&r->cy);
	cycle_free(&r->next);
	free(r);
}

/*
 * The screen goes (q, Esc, a hang-up, a signal): whatever is being typed
 * is an answer given, so it is saved, in its own transaction, unless a
 * core call was cut off mid-way (then ui.c rolls that back first).
 */
static void
rv_destroy(struct ui_screen *s)
{
	struct review *r = (struct review *)s;

	if (r->editing && !db_in_transaction(r->app->db)) {
		if (r->comment)
			save_comment(r, false);
		else
			save_voice(r, false);
	}
	review_free(r);
}

static const struct ui_screen_ops review_ops = {
	.name = "Review meeting",
	.scopes = rv_scopes,
	.draw = review_draw,
	.key = rv_key,
	.resume = rv_resume,
	.cursor = rv_cursor,
	.destroy = rv_destroy,
};

void
ui_review_open(struct app *a, int64_t pupil_id)
{
	struct review *r = xcalloc(1, sizeof *r);
	struct serr e;
	int rc, i, done = 0;

	r->base.ops = &review_ops;
	r->app = a;
	r->pupil_id = pupil_id;
	cycle_init(&r->cy);
	cycle_init(&r->next);
	serr_clear(&e);
	if ((rc = load(r, &e)) != 0) {
		if (rc == SE_NOTFOUND && r->name[0] != '\0')
			ui_error(a, "%s has no open cycle to review: start one "
			    "on the Cycle pane", r->name);
		else
			ui_error_serr(a, &e);
		review_free(r);
		return;
	}
	r->gen = ui_generation(a);
	if (r->step == STEP_PARENT || r->step == STEP_PUPIL)
		voice_open(r);
	for (i = 0; i < r->n_tg; i++)
		done += r->tg[i].t.outcome != OUTCOME_NONE;
	ui_push(a, &r->base);
	if (r->resumed_carry)
		ui_message(a, "the review closed on this cycle's start; carry "
		    "over its unmet targets");
	else if (done > 0 || r->step != STEP_TARGET)
		ui_message(a, "resuming the meeting: %d of %d targets have an "
		    "outcome", done, r->n_tg);
	else
		ui_message(a, "review meeting for %s: %d target%s to go "
		    "through", r->name, r->n_tg, r->n_tg == 1 ? "" : "s");
}
