/*
 * pupil.c: the pupil screen: a summary of the pupil at the top, a row
 * of pane tabs, and the pane shown below (Cycle, Targets,
 * Interventions, History, Results), switched with Tab and the number
 * keys.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/pupil.h"
#include "core/record.h"
#include "core/xmalloc.h"
#include "io/plan.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/ehcui.h"
#include "ui/histview.h"
#include "ui/pupil.h"
#include "ui/pupilform.h"
#include "ui/pview.h"
#include "ui/review.h"

#define SUMMARY_ROWS 4
#define TABS_ROW (UI_BODY_TOP + SUMMARY_ROWS)
#define PANE_TOP (TABS_ROW + 1)

static const struct pane_ops *const panes[PANE_COUNT] = {
	&pane_cycle_ops, &pane_targets_ops, &pane_iv_ops, &pane_history_ops,
	&pane_results_ops,
};

void
pview_summary_dirty(struct pview *v)
{
	v->head_dirty = true;
}

/* --- loading ---------------------------------------------------------- */

struct agency_acc {
	char *buf;
	size_t n, used;
};

static int
agency_add_cb(void *ctx, const struct agency *ag)
{
	struct agency_acc *acc = ctx;

	if (acc->used < acc->n)
		acc->used += (size_t)snprintf(acc->buf + acc->used,
		    acc->n - acc->used, "%s%s %s", acc->used > 0 ? ", " : "",
		    ag->agency, ag->status);
	return 0;
}

void
pview_reload_head(struct pview *v, struct app *a)
{
	struct serr e;
	struct agency_acc acc;
	int rc;

	serr_clear(&e);
	if (pupil_get(a->db, v->pupil_id, &v->p, &e) != 0) {
		v->gone = true;
		ui_error_serr(a, &e);
		return;
	}
	pupil_display_name(&v->p, v->name, sizeof v->name);
	if (v->has_cycle)
		cycle_free(&v->cycle);
	cycle_init(&v->cycle);
	rc = cycle_open_for(a->db, v->pupil_id, &v->cycle, &e);
	v->has_cycle = rc == 0;
	if (rc != 0 && rc != SE_NOTFOUND)
		ui_error_serr(a, &e);
	v->agencies[0] = '\0';
	acc.buf = v->agencies;
	acc.n = sizeof v->agencies;
	acc.used = 0;
	agency_list(a->db, v->pupil_id, agency_add_cb, &acc, NULL);
	v->head_dirty = true;
}

static void
load_all(struct pview *v, struct app *a)
{
	pview_reload_head(v, a);
	if (!v->gone)
		panes[v->pane]->load(v, a);
	v->gen = ui_generation(a);
	v->base.full = true;
}

/* --- drawing ---------------------------------------------------------- */

static void
draw_summary(struct pview *v, struct app *a)
{
	char buf[512], d1[40], d2[16], fl[32];
	const struct pupil *p = &v->p;
	sdate today = date_today();
	int y = UI_BODY_TOP, i;
	size_t used;

	/* row 1: name, legal name if different, UPN */
	snprintf(buf, sizeof buf, "%s", v->name);
	i = ui_draw(y, 0, a->cols - 20, buf, A_BOLD);
	if (strcmp(p->legal_forename, p->preferred_forename[0] ?
	    p->preferred_forename : p->legal_forename) != 0 ||
	    strcmp(p->legal_surname, p->preferred_surname[0] ?
	    p->preferred_surname : p->legal_surname) != 0) {
		snprintf(buf, sizeof buf, "  (legal name %s %s)",
		    p->legal_forename, p->legal_surname);
		ui_draw(y, i, a->cols - 20 - i, buf, A_NORMAL);
	}
	snprintf(buf, sizeof buf, "UPN %s", p->upn);
	ui_draw_right(y, a->cols - 20, 20, buf, A_NORMAL);
	y++;
	/* row 2: age, year, class, status */
	snprintf(buf, sizeof buf, "Age %d (born %s)   Year %s%s%s   Status "
	    "%c %s since %s%s", date_age_years(p->dob, today),
	    date_show(p->dob, d1), p->year, p->class_name[0] ? "   Class " :
	    "", p->class_name, p->status ? p->status : 'N',
	    status_name(p->status ? p->status : 'N'),
	    p->status_since != SDATE_NONE ? date_show(p->status_since, d2) :
	    "?", p->archived ? "   ARCHIVED" : "");
	ui_draw(y++, 0, a->cols, buf, A_NORMAL);
	/* row 3: needs */
	used = (size_t)snprintf(buf, sizeof buf, "Needs: ");
	if (p->n_needs <= 0)
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		    "none recorded");
	for (i = 0; i < p->n_needs && used < sizeof buf; i++) {
		const struct need_code *nc = need_find(p->needs[i]);
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		    "%s%s %s%s", i > 0 ? "; " : "", p->needs[i],
		    i == 0 && nc != NULL ? nc->name : "",
		    i == 0 ? " (primary)" : "");
	}
	ui_draw(y++, 0, a->cols, buf, A_NORMAL);
	/* row 4: flags, attendance, agencies */
	if (p->attendance >= 0)
		snprintf(d1, sizeof d1, "%.1f%%%s", p->attendance,
		    p->attendance < 90.0 ? " (persistent absence)" : "");
	else
		snprintf(d1, sizeof d1, "unknown");
	snprintf(buf, sizeof buf, "Flags: %s   Attendance: %s   Agencies: %s",
	    p->flags ? flags_show(p->flags, fl) : "none", d1,
	    v->agencies[0] ? v->agencies : "none");
	ui_draw(y, 0, a->cols, buf, A_NORMAL);
}

static void
draw_tabs(struct pview *v, struct app *a)
{
	unsigned scopes = v->base.ops->scopes(&v->base, a);
	int x = 0, i;
	char buf[64], key[16];

	for (i = 0; i < PANE_COUNT; i++) {
		bool on = i == v->pane;
		const struct ui_keydef *d = ui_keys_def(
		    (enum ui_action)(ACT_PANE_1 + i));

		/* a tab shows its key only where the key switches to it
		 * (on the Targets pane the digits rate instead) */
		key[0] = '\0';
		if (d != NULL && d->n_keys > 0 && ui_keys_lookup(d->keys[0],
		    scopes) == d->act) {
			ui_key_name(d->keys[0], key, sizeof key);
			strcat(key, " ");
		}
		/* the pane shown is bracketed as well as highlighted */
		snprintf(buf, sizeof buf, on ? "[%s%s]" : " %s%s ", key,
		    panes[i]->name);
		x += ui_draw(TABS_ROW, x, ui_width(buf), buf,
		    ui_style_attr(on ? ST_TAB_ACTIVE : ST_TAB));
		ui_draw(TABS_ROW, x++, 1, " ", A_NORMAL);
	}
	if (x < a->cols)
		ui_hline(TABS_ROW, x, a->cols - x, A_NORMAL);
}

static void
pv_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct pview *v = (struct pview *)s;
	const char *dot = ui_utf8() ? "\xc2\xb7" : "-";

	ui_title(a, "senco %s %s %s Year %s %s %c %s %s", dot, v->name, dot,
	    v->p.year, dot, v->p.status ? v->p.status : 'N', dot,
	    panes[v->pane]->name);
	v->py = PANE_TOP;
	v->ph = ui_body_bottom(a) - PANE_TOP + 1;
	if (v->gone) {
		if (full)
			ui_draw(PANE_TOP, 0, a->cols, "This pupil is no longer "
			    "in the caseload (q goes back).", A_BOLD);
		return;
	}
	if (full || v->head_dirty) {
		int y;
		for (y = UI_BODY_TOP; y < TABS_ROW; y++)
			ui_blank(y, 0, a->cols, A_NORMAL);
		draw_summary(v, a);
		draw_tabs(v, a);
		v->head_dirty = false;
	}
	panes[v->pane]->draw(v, a, full);
}

/* --- keys ------------------------------------------------------------- */

/* W: the plan into the file named on the message line. */
static void
plan_done(struct app *a, void *ctx, bool accepted, const char *text)
{
	struct pview *v = ctx;
	struct plan_opts o = { .school = a->cfg != NULL ?
	    a->cfg->school_name : NULL, .today = SDATE_NONE };
	struct serr e;
	int f;

	if (!accepted || text[0] == '\0')
		return;
	f = plan_format_for_path(text);
	serr_clear(&e);
	if (plan_save(a->db, v->pupil_id, f < 0 ? PLAN_HTML :
	    (enum plan_format)f, &o, text, &e) != 0) {
		ui_error_serr(a, &e);
		return;
	}
	ui_message(a, "plan of %s written to %s", v->name, text);
}

static void
plan_start(struct pview *v, struct app *a)
{
	char path[64];

	snprintf(path, sizeof path, "plan-%s.html", v->p.upn);
	ui_prompt_open(a, "write plan to: ", path, NULL, plan_done, v);
}

static void
show_pane(struct pview *v, struct app *a, int pane)
{
	if (pane == v->pane)
		return;
	v->pane = pane;
	panes[pane]->load(v, a);
	v->base.full = true;
}

static bool
pv_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct pview *v = (struct pview *)s;

	if (v->gone)
		return false;
	if (panes[v->pane]->key(v, a, act, key))
		return true;
	switch (act) {
	case ACT_REVIEW:
		ui_review_open(a, v->pupil_id);
		return true;
	case ACT_PANE_NEXT:
		show_pane(v, a, (v->pane + 1) % PANE_COUNT);
		return true;
	case ACT_PANE_PREV:
		show_pane(v, a, (v->pane + PANE_COUNT - 1) % PANE_COUNT);
		return true;
	case ACT_PANE_1:
	case ACT_PANE_2:
	case ACT_PANE_3:
	case ACT_PANE_4:
	case ACT_PANE_5:
		show_pane(v, a, (int)(act - ACT_PANE_1));
		return true;
	case ACT_PUPIL_EDIT:
		ui_pupilform_open(a, &v->p);
		return true;
	case ACT_PLAN_WRITE:
		plan_start(v, a);
		return true;
	case ACT_RECORD_HISTORY:
		ui_histview_open(a, v->pupil_id, v->name);
		return true;
	case ACT_EHC:
		ui_ehc_open(a, v->pupil_id);
		return true;
	default:
		return false;
	}
}

static unsigned
pv_scopes(struct ui_screen *s, struct app *a)
{
	struct pview *v = (struct pview *)s;

	return SC_GLOBAL | SC_MOVE | SC_PUPIL | panes[v->pane]->scope;
}

static void
pv_resume(struct ui_screen *s, struct app *a)
{
	struct pview *v = (struct pview *)s;

	if (v->gen != ui_generation(a))
		load_all(v, a);
}

static void
pv_destroy(struct ui_screen *s)
{
	struct pview *v = (struct pview *)s;
	int i;

	for (i = 0; i < PANE_COUNT; i++)
		if (v->state[i] != NULL)
			panes[i]->free(v);
	if (v->has_cycle)
		cycle_free(&v->cycle);
	free(v);
}

static const struct ui_screen_ops pv_ops = {
	.name = "Pupil",
	.scopes = pv_scopes,
	.draw = pv_draw,
	.key = pv_key,
	.resume = pv_resume,
	.destroy = pv_destroy,
};

void
ui_pupil_open(struct app *a, int64_t pupil_id)
{
	struct pview *v = xcalloc(1, sizeof *v);

	v->base.ops = &pv_ops;
	v->pupil_id = pupil_id;
	/* the Targets pane first when there is a cycle: rating is what a
	 * SENCO opens a pupil for most */
	v->pane = PANE_CYCLE;
	pview_reload_head(v, a);
	if (v->has_cycle)
		v->pane = PANE_TARGETS;
	if (!v->gone)
		panes[v->pane]->load(v, a);
	v->gen = ui_generation(a);
	ui_push(a, &v->base);
}
