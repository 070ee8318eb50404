/*
 * help.c: the help screen. Its lines are built from the key table for
 * the scopes of the screen underneath, grouped from the most specific
 * (this pane) to the most general (everywhere), then the editing keys
 * of text fields and the ":" commands.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/help.h"

#define HELP_KEYS_COLS 20	/* width of the keys column */

struct help_line {
	char *text;
	enum ui_style style;
};

struct help {
	struct ui_screen base;
	char title[96];
	struct help_line *lines;
	int n, cap;
	int top;
};

static void
add(struct help *h, enum ui_style st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct help *h, enum ui_style st, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	char *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	s = xstrdup(buf);
	if (h->n == h->cap) {
		h->cap = h->cap > 0 ? h->cap * 2 : 64;
		h->lines = xreallocarray(h->lines, (size_t)h->cap,
		    sizeof *h->lines);
	}
	h->lines[h->n].text = s;
	h->lines[h->n].style = st;
	h->n++;
}

static unsigned
help_scopes(struct ui_screen *s, struct app *a)
{
	return SC_GLOBAL | SC_MOVE | SC_HELP;
}

static void
help_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct help *h = (struct help *)s;
	int rows = ui_body_rows(a), i;

	ui_title(a, "senco %s Help: %s", ui_utf8() ? "\xc2\xb7" : "-",
	    h->title);
	for (i = 0; i < rows; i++) {
		int li = h->top + i;
		if (li < h->n)
			ui_draw(UI_BODY_TOP + i, 0, a->cols, h->lines[li].text,
			    ui_style_attr(h->lines[li].style));
		else
			ui_blank(UI_BODY_TOP + i, 0, a->cols, A_NORMAL);
	}
}

static bool
help_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct help *h = (struct help *)s;
	int rows = ui_body_rows(a), max = h->n - rows, old = h->top;

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
		h->top += rows - 1;
		break;
	case ACT_PAGE_UP:
		h->top -= rows - 1;
		break;
	case ACT_TOP:
		h->top = 0;
		break;
	case ACT_BOTTOM:
		h->top = max;
		break;
	case ACT_HELP:
		return true;
	default:
		return false;
	}
	if (h->top > max)
		h->top = max;
	if (h->top < 0)
		h->top = 0;
	if (h->top != old)
		s->full = true;
	return true;
}

static void
help_destroy(struct ui_screen *s)
{
	struct help *h = (struct help *)s;
	int i;

	for (i = 0; i < h->n; i++)
		free(h->lines[i].text);
	free(h->lines);
	free(h);
}

static const struct ui_screen_ops help_ops = {
	.name = "Help",
	.scopes = help_scopes,
	.draw = help_draw,
	.key = help_key,
	.destroy = help_destroy,
};

static void
add_level(struct help *h, unsigned scopes, unsigned level_bits,
    const char *heading, bool read_only)
{
	size_t i;
	bool any = false;

	for (i = 0; i < ui_keys_count; i++) {
		const struct ui_keydef *d = &ui_keys_table[i];
		char keys[96];
		unsigned live = d->scopes & scopes;

		if (live == 0)
			continue;
		/* put each row under its most specific live scope */
		if ((live & (SC_PANES | SC_REVIEW_STEPS)) ?
		    !(level_bits & (SC_PANES | SC_REVIEW_STEPS)) :
		    (live & SC_SCREENS) ? !(level_bits & SC_SCREENS) :
		    (live & (SC_MOVE | SC_SEARCH)) ?
		    !(level_bits & (SC_MOVE | SC_SEARCH)) :
		    !(level_bits & SC_GLOBAL))
			continue;
		if (!any) {
			add(h, ST_NORMAL, "%s", "");
			add(h, ST_HEADING, "%s", heading);
			any = true;
		}
		ui_keys_names(d, keys, sizeof keys);
		add(h, ST_NORMAL, "  %-*s %s%s%s", HELP_KEYS_COLS, keys,
		    d->help, (d->flags & KF_EDIT) && read_only ?
		    " (read-only: off)" : "", "");
		/* name for the config file, dimmed, on the same idea */
		h->lines[h->n - 1].style = ST_NORMAL;
	}
}

void
ui_help_open(struct app *a, struct ui_screen *under)
{
	struct help *h = xcalloc(1, sizeof *h);
	unsigned scopes = under->ops->scopes(under, a);
	size_t i;

	h->base.ops = &help_ops;
	snprintf(h->title, sizeof h->title, "%s", under->ops->name);
	add(h, ST_HEADING, "Keys on the %s screen", under->ops->name);
	add(h, ST_NORMAL, "Every key can be changed in the config file: "
	    "keys = { name = \"key,key\"; }");
	if (a->n_cfg_problems > 0) {
		int k;
		add(h, ST_NORMAL, "%s", "");
		add(h, ST_ERROR, "Problems in the config file (those bindings "
		    "were left out)");
		for (k = 0; k < a->n_cfg_problems; k++)
			add(h, ST_NORMAL, "  %s", a->cfg_problems[k]);
	}
	add_level(h, scopes, SC_PANES | SC_REVIEW_STEPS,
	    (scopes & SC_REVIEW_STEPS) ? "This step" : "This pane",
	    a->read_only);
	add_level(h, scopes, SC_SCREENS, "This screen", a->read_only);
	add_level(h, scopes, SC_MOVE | SC_SEARCH, "Moving and searching",
	    a->read_only);
	add_level(h, scopes, SC_GLOBAL, "Everywhere", a->read_only);
	if (scopes & SC_FORM) {
		add(h, ST_NORMAL, "%s", "");
		add(h, ST_HEADING, "Editing text");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    "Left, Right", "move by one character");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    "Home, End", "start or end of the line (C-a, C-e)");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    "Backspace, Delete", "delete a character");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    "C-u, C-k, C-w", "delete to start, to end, a word");
	}
	if (scopes & SC_GLOBAL) {
		add(h, ST_NORMAL, "%s", "");
		add(h, ST_HEADING, "Commands (press : first)");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    ":goto UPN-or-name", "open a pupil by UPN or name");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    ":sort column", "name, year, status, need, stage, review, "
		    "track, cost");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS,
		    ":filter what", "K, E, N, a need, Y7, a stage, overdue, "
		    "PP..., all, clear");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS, ":help",
		    "this screen");
		add(h, ST_NORMAL, "  %-*s %s", HELP_KEYS_COLS, ":quit",
		    "quit senco");
	}
	add(h, ST_NORMAL, "%s", "");
	add(h, ST_DIM, "Config names of these keys, for keys = { ... }:");
	{
		char line[256] = "  ";
		size_t used = 2;
		for (i = 0; i < ui_keys_count; i++) {
			const struct ui_keydef *d = &ui_keys_table[i];
			size_t l = strlen(d->name);
			if (!ui_keys_active(d, scopes))
				continue;
			if (used + l + 2 > (size_t)a->cols - 2) {
				add(h, ST_DIM, "%s", line);
				snprintf(line, sizeof line, "  ");
				used = 2;
			}
			used += (size_t)snprintf(line + used, sizeof line - used,
			    "%s ", d->name);
		}
		if (used > 2)
			add(h, ST_DIM, "%s", line);
	}
	ui_push(a, &h->base);
}
