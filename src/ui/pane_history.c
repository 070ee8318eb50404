/*
 * pane_history.c: the History pane: past cycles with their decisions and
 * target outcomes, the SEN status history, the notes (contact log),
 * exclusions and agency involvement, as one scrolled page; a adds a
 * note.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/cycle.h"
#include "core/pupil.h"
#include "core/record.h"
#include "core/target.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/pview.h"

#define INDENT 4

struct hline {
	char *text;
	enum ui_style style;
};

struct hpane {
	struct hline *lines;
	int n, cap, top;
	int width;		/* the width the lines were wrapped for */
	struct app *a;
	struct pview *v;
	enum ui_style wrap_style;
	int wrap_indent;
};

static struct hpane *
hp(struct pview *v)
{
	if (v->state[PANE_HISTORY] == NULL)
		v->state[PANE_HISTORY] = xcalloc(1, sizeof(struct hpane));
	return v->state[PANE_HISTORY];
}

static void
push(struct hpane *h, enum ui_style st, char *text)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->lines = xreallocarray(h->lines, (size_t)h->cap,
		    sizeof *h->lines);
	}
	h->lines[h->n].text = text;
	h->lines[h->n].style = st;
	h->n++;
}

static void
wrap_cb(void *ctx, char *line)
{
	struct hpane *h = ctx;
	char *s;

	xasprintf(&s, "%*s%s", h->wrap_indent, "", line);
	free(line);
	push(h, h->wrap_style, s);
}

/* Add text wrapped to the pane, each line indented. */
static void
add(struct hpane *h, enum ui_style st, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct hpane *h, enum ui_style st, int indent, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	h->wrap_style = st;
	h->wrap_indent = indent;
	if (buf[0] == '\0')
		push(h, st, xstrdup(""));
	else
		ui_wrap(buf, h->width - indent, wrap_cb, h);
}

static void
clear_lines(struct hpane *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		free(h->lines[i].text);
	h->n = 0;
}

static int
on_target(void *ctx, const struct target *t)
{
	struct hpane *h = ctx;

	add(h, ST_NORMAL, INDENT + 2, "%d. %s: %s%s", t->position, t->text,
	    t->outcome != OUTCOME_NONE ? outcome_name(t->outcome) :
	    "no outcome", t->latest >= 0 ? "" : "");
	return 0;
}

static int
on_cycle(void *ctx, const struct cycle *c)
{
	struct hpane *h = ctx;
	char d1[16], d2[16], d3[16];

	if (c->closed_on == SDATE_NONE)
		return 0;	/* the open cycle is on the Cycle pane */
	add(h, ST_NORMAL, 2, "%s to %s, closed %s: %s", date_show(c->plan_start,
	    d1), date_show(c->plan_end, d2), date_show(c->closed_on, d3),
	    decision_name(c->decision));
	if (c->parent_voice != NULL && *c->parent_voice)
		add(h, ST_DIM, INDENT + 2, "Parent voice: %s", c->parent_voice);
	if (c->pupil_voice != NULL && *c->pupil_voice)
		add(h, ST_DIM, INDENT + 2, "Pupil voice: %s", c->pupil_voice);
	target_list(h->a->db, c->id, on_target, h, NULL);
	return 0;
}

static int
on_status(void *ctx, const struct status_entry *s)
{
	struct hpane *h = ctx;
	char d1[16], d2[16];

	add(h, ST_NORMAL, 2, "%c %s: from %s%s%s (%s)", s->status,
	    status_name(s->status), date_show(s->start, d1),
	    s->end != SDATE_NONE ? " to " : " (current)",
	    s->end != SDATE_NONE ? date_show(s->end, d2) : "", s->changed_by);
	return 0;
}

static int
on_note(void *ctx, const struct note *n)
{
	struct hpane *h = ctx;
	char d[16];

	add(h, ST_NORMAL, 2, "%s %s, %s:", date_show(n->on, d), n->kind,
	    n->author);
	add(h, ST_NORMAL, INDENT + 2, "%s", n->text);
	return 0;
}

static int
on_exclusion(void *ctx, const struct exclusion *x)
{
	struct hpane *h = ctx;
	char d[16];

	if (x->kind == EXCLUSION_PERMANENT)
		add(h, ST_NORMAL, 2, "%s permanent exclusion: %s",
		    date_show(x->on, d), x->reason ? x->reason : "");
	else
		add(h, ST_NORMAL, 2, "%s suspension, %d session%s: %s",
		    date_show(x->on, d), x->sessions, x->sessions == 1 ? "" :
		    "s", x->reason ? x->reason : "");
	return 0;
}

static int
on_agency(void *ctx, const struct agency *ag)
{
	struct hpane *h = ctx;
	char d1[16], d2[16];

	add(h, ST_NORMAL, 2, "%s: %s, referred %s%s%s%s%s", ag->agency,
	    ag->status, date_show(ag->referred_on, d1),
	    ag->advice_on != SDATE_NONE ? ", advice " : "",
	    ag->advice_on != SDATE_NONE ? date_show(ag->advice_on, d2) : "",
	    ag->notes != NULL && *ag->notes ? ": " : "",
	    ag->notes != NULL ? ag->notes : "");
	return 0;
}

static void
section(struct hpane *h, const char *title, int before)
{
	if (h->n > before)
		return;
	/* nothing was added since the heading: say so */
	add(h, ST_DIM, 2, "none recorded");
	(void)title;
}

static void
hi_load(struct pview *v, struct app *a)
{
	struct hpane *h = hp(v);
	int mark;

	clear_lines(h);
	h->a = a;
	h->v = v;
	h->width = a->cols;
	add(h, ST_HEADING, 0, "Past cycles");
	mark = h->n;
	cycle_list(a->db, v->pupil_id, on_cycle, h, NULL);
	section(h, "cycles", mark);
	add(h, ST_NORMAL, 0, "%s", "");
	add(h, ST_HEADING, 0, "SEN status history");
	mark = h->n;
	pupil_status_history(a->db, v->pupil_id, on_status, h, NULL);
	section(h, "status", mark);
	add(h, ST_NORMAL, 0, "%s", "");
	add(h, ST_HEADING, 0, "Notes (contact log, newest first; a adds one)");
	mark = h->n;
	note_list(a->db, v->pupil_id, on_note, h, NULL);
	section(h, "notes", mark);
	add(h, ST_NORMAL, 0, "%s", "");
	add(h, ST_HEADING, 0, "Exclusions");
	mark = h->n;
	exclusion_list(a->db, v->pupil_id, on_exclusion, h, NULL);
	section(h, "exclusions", mark);
	add(h, ST_NORMAL, 0, "%s", "");
	add(h, ST_HEADING, 0, "Agency involvement");
	mark = h->n;
	agency_list(a->db, v->pupil_id, on_agency, h, NULL);
	section(h, "agencies", mark);
	if (h->top > h->n - 1)
		h->top = h->n > 0 ? h->n - 1 : 0;
}

static void
hi_draw(struct pview *v, struct app *a, bool full)
{
	struct hpane *h = hp(v);
	int i;

	if (!full)
		return;
	if (h->width != a->cols)
		hi_load(v, a);	/* wrapped for another width */
	for (i = 0; i < v->ph; i++) {
		int li = h->top + i;
		if (li < h->n)
			ui_draw(v->py + i, 0, a->cols, h->lines[li].text,
			    ui_style_attr(h->lines[li].style));
		else
			ui_blank(v->py + i, 0, a->cols, A_NORMAL);
	}
}

/* --- add a note ------------------------------------------------------- */

static const char *const kinds[] = {
	"meeting", "phone", "email", "letter", "other",
};

struct nform {
	struct pview *v;
	int date, kind, text;
};

static int
nform_save(struct app *a, struct ui_form *f, void *vctx, struct serr *e)
{
	struct nform *c = vctx;
	struct note n;
	struct ui_undo u;
	int rc;

	memset(&n, 0, sizeof n);
	n.pupil_id = c->v->pupil_id;
	n.on = ui_form_date(f, c->date);
	snprintf(n.kind, sizeof n.kind, "%s", kinds[ui_form_choice(f,
	    c->kind)]);
	n.text = xstrdup(ui_form_text(f, c->text));
	rc = note_add(a->db, &n, e);
	free(n.text);
	if (rc == 0) {
		memset(&u, 0, sizeof u);
		u.kind = UNDO_NOT_POSSIBLE;
		snprintf(u.what, sizeof u.what, "adding a note (notes are a "
		    "log and stay)");
		ui_undo_set(a, &u);
		ui_form_done_message(f, "note added");
	}
	return rc;
}

static void
note_form(struct pview *v, struct app *a)
{
	struct nform *c = xcalloc(1, sizeof *c);
	struct ui_form *f;
	char title[256], today[16];

	c->v = v;
	snprintf(title, sizeof title, "New note for %s", v->name);
	f = ui_form_new(title, nform_save, c, free);
	c->date = ui_form_add(f, &(struct ui_field){ .label = "Date",
	    .kind = FIELD_DATE, .required = true }, date_show(date_today(),
	    today));
	c->kind = ui_form_add(f, &(struct ui_field){ .label = "Kind",
	    .kind = FIELD_CHOICE, .choices = kinds, .n_choices = 5,
	    .rule = "meeting, phone, email, letter or other" }, "meeting");
	c->text = ui_form_add(f, &(struct ui_field){ .label = "Note",
	    .kind = FIELD_MULTI, .rows = 6, .required = true,
	    .rule = "what was said or agreed; Enter starts a new line" },
	    NULL);
	ui_form_open(a, f);
}

static bool
hi_key(struct pview *v, struct app *a, enum ui_action act, int key)
{
	struct hpane *h = hp(v);
	int old = h->top, max = h->n - v->ph;

	if (max < 0)
		max = 0;
	switch (act) {
	case ACT_DOWN:
		h->top++;
		break;
	case ACT_UP:
		h->top--;
		break;
	case ACT_PAGE_DOWN:
		h->top += v->ph - 1;
		break;
	case ACT_PAGE_UP:
		h->top -= v->ph - 1;
		break;
	case ACT_TOP:
		h->top = 0;
		break;
	case ACT_BOTTOM:
		h->top = max;
		break;
	case ACT_NOTE_ADD:
		note_form(v, a);
		return true;
	default:
		return false;
	}
	if (h->top > max)
		h->top = max;
	if (h->top < 0)
		h->top = 0;
	if (h->top != old)
		v->base.full = true;
	return true;
}

static void
hi_free(struct pview *v)
{
	struct hpane *h = v->state[PANE_HISTORY];

	clear_lines(h);
	free(h->lines);
	free(h);
	v->state[PANE_HISTORY] = NULL;
}

const struct pane_ops pane_history_ops = {
	.name = "History",
	.scope = SC_PANE_HISTORY,
	.load = hi_load,
	.draw = hi_draw,
	.key = hi_key,
	.free = hi_free,
};
