/*
 * listing.c: a scrolling screen of text lines (listing.h). The lines are
 * kept whole and cut to the width when drawn, so a resize needs no
 * rebuilding; a scroll redraws the body (curses sends only what moved).
 * Lines marked with an id (ui_listing_mark) can be selected: j/k move
 * the selection between them and redraw only the two lines it touched.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "ui/draw.h"
#include "ui/listing.h"

struct line {
	enum ui_style style;
	char *text;
	int64_t id;		/* selectable when non-zero */
};

struct ui_listing {
	struct ui_screen base;
	struct ui_screen_ops ops;	/* per listing: its own help title */
	char name[64];
	char title[256];
	unsigned scope;
	ui_listing_key_cb key;
	void *ctx;
	void (*free_ctx)(void *);
	struct line *lines;
	int n, cap;
	int top;		/* first line shown */
	int cur;		/* the selected line, -1 none */
	int64_t keep;		/* select this id again after a refill */
	int n_marked;
	int dirty[2];		/* lines to redraw when not full */
};

void
ui_listing_add(struct ui_listing *l, enum ui_style style, const char *fmt,
    ...)
{
	va_list ap, ap2;
	char *s;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	s[0] = '\0';
	if (n > 0)
		vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	/* one screen row per line: tabs and newlines would break it */
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->lines = xreallocarray(l->lines, (size_t)l->cap,
		    sizeof *l->lines);
	}
	l->lines[l->n].style = style;
	l->lines[l->n].id = 0;
	l->lines[l->n++].text = s;
	l->base.full = true;
}

void
ui_listing_mark(struct ui_listing *l, int64_t id)
{
	if (l->n == 0 || id == 0)
		return;
	l->lines[l->n - 1].id = id;
	l->n_marked++;
	if (id == l->keep && l->cur < 0)
		l->cur = l->n - 1;
}

int64_t
ui_listing_selected(const struct ui_listing *l)
{
	return l->cur >= 0 && l->cur < l->n ? l->lines[l->cur].id : 0;
}

void
ui_listing_clear(struct ui_listing *l)
{
	int i;

	/* a refill keeps the place and the line selected */
	l->keep = ui_listing_selected(l);
	for (i = 0; i < l->n; i++)
		free(l->lines[i].text);
	l->n = 0;
	l->n_marked = 0;
	l->cur = -1;
	l->base.full = true;
}

static bool
selectable(const struct ui_listing *l, int i)
{
	return i >= 0 && i < l->n && l->lines[i].id != 0;
}

static int
max_top(const struct ui_listing *l, const struct app *a)
{
	int m = l->n - ui_body_rows(a);

	return m < 0 ? 0 : m;
}

/* The selection stays on the page: when the page moved away from it,
 * the first selectable line on the page is selected. */
static void
fix_cur(struct ui_listing *l, const struct app *a)
{
	int rows = ui_body_rows(a), i;

	if (l->n_marked == 0 || (l->cur >= l->top && l->cur < l->top + rows &&
	    selectable(l, l->cur)))
		return;
	l->cur = -1;
	for (i = l->top; i < l->top + rows && i < l->n; i++)
		if (selectable(l, i)) {
			l->cur = i;
			return;
		}
}

static void
draw_line(struct ui_listing *l, struct app *a, int i)
{
	int y = UI_BODY_TOP + i - l->top;
	char *buf;

	if (i < l->top || y > ui_body_bottom(a))
		return;
	if (i >= l->n) {
		ui_blank(y, 0, a->cols, A_NORMAL);
		return;
	}
	if (!selectable(l, i)) {
		ui_draw(y, 0, a->cols, l->lines[i].text,
		    ui_style_attr(l->lines[i].style));
		return;
	}
	/* the selected line is marked in text as well as reversed */
	buf = xstrdup(l->lines[i].text);
	buf[0] = i == l->cur ? '>' : buf[0] == '>' ? ' ' : buf[0];
	ui_draw(y, 0, a->cols, buf, ui_style_attr(i == l->cur ? ST_SELECTED :
	    l->lines[i].style));
	free(buf);
}

static void
ls_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct ui_listing *l = (struct ui_listing *)s;
	int y, i;

	ui_title(a, "%s", l->title);
	if (!full) {
		for (i = 0; i < 2; i++)
			if (l->dirty[i] >= 0)
				draw_line(l, a, l->dirty[i]);
		l->dirty[0] = l->dirty[1] = -1;
		return;
	}
	if (l->top > max_top(l, a))
		l->top = max_top(l, a);
	fix_cur(l, a);
	for (y = UI_BODY_TOP, i = l->top; y <= ui_body_bottom(a); y++, i++)
		draw_line(l, a, i);
	l->dirty[0] = l->dirty[1] = -1;
}

static void
scroll_to(struct ui_listing *l, struct app *a, int top)
{
	if (top > max_top(l, a))
		top = max_top(l, a);
	if (top < 0)
		top = 0;
	if (top != l->top) {
		l->top = top;
		l->base.full = true;
	}
}

/*
 * j/k with selectable lines: the next one on the page or just past it
 * (the page follows); with none there, the page scrolls a line so the
 * text between them can be read.
 */
static void
step(struct ui_listing *l, struct app *a, int dir)
{
	int rows = ui_body_rows(a), from = l->cur, i;

	if (from < l->top || from >= l->top + rows)
		from = dir > 0 ? l->top - 1 : l->top + rows;
	for (i = from + dir; i >= 0 && i < l->n && i >= l->top - 1 &&
	    i <= l->top + rows; i += dir) {
		if (!selectable(l, i))
			continue;
		if (i < l->top || i >= l->top + rows) {
			l->top += dir;
			l->base.full = true;
		} else {
			l->dirty[0] = l->cur;
			l->dirty[1] = i;
		}
		l->cur = i;
		return;
	}
	scroll_to(l, a, l->top + dir);
}

static bool
ls_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct ui_listing *l = (struct ui_listing *)s;
	int page = ui_body_rows(a) - 1;

	if (l->key != NULL && l->key(a, l, l->ctx, act, key))
		return true;
	switch (act) {
	case ACT_DOWN:
		if (l->n_marked > 0)
			step(l, a, 1);
		else
			scroll_to(l, a, l->top + 1);
		return true;
	case ACT_UP:
		if (l->n_marked > 0)
			step(l, a, -1);
		else
			scroll_to(l, a, l->top - 1);
		return true;
	case ACT_PAGE_DOWN:
		scroll_to(l, a, l->top + (page > 0 ? page : 1));
		return true;
	case ACT_PAGE_UP:
		scroll_to(l, a, l->top - (page > 0 ? page : 1));
		return true;
	case ACT_TOP:
		scroll_to(l, a, 0);
		return true;
	case ACT_BOTTOM:
		scroll_to(l, a, l->n);
		return true;
	default:
		return false;
	}
}

static unsigned
ls_scopes(struct ui_screen *s, struct app *a)
{
	struct ui_listing *l = (struct ui_listing *)s;

	(void)a;
	return SC_GLOBAL | SC_MOVE | l->scope;
}

static void
ls_destroy(struct ui_screen *s)
{
	struct ui_listing *l = (struct ui_listing *)s;

	ui_listing_clear(l);
	free(l->lines);
	if (l->free_ctx != NULL)
		l->free_ctx(l->ctx);
	free(l);
}

/* The listing is the caller's until ui_listing_open; then the stack's. */
struct ui_listing *
ui_listing_new(const char *name, const char *title, unsigned scope,
    ui_listing_key_cb key, void *ctx, void (*free_ctx)(void *))
{
	struct ui_listing *l = xcalloc(1, sizeof *l);

	snprintf(l->name, sizeof l->name, "%s", name);
	snprintf(l->title, sizeof l->title, "%s", title);
	l->ops.name = l->name;
	l->ops.scopes = ls_scopes;
	l->ops.draw = ls_draw;
	l->ops.key = ls_key;
	l->ops.destroy = ls_destroy;
	l->base.ops = &l->ops;
	l->scope = scope;
	l->key = key;
	l->ctx = ctx;
	l->free_ctx = free_ctx;
	l->cur = -1;
	l->dirty[0] = l->dirty[1] = -1;
	return l;
}

void
ui_listing_open(struct app *a, struct ui_listing *l)
{
	ui_push(a, &l->base);
}
