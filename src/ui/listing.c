/*
 * listing.c: a scrolling screen of text lines (listing.h). The lines are
 * kept whole and cut to the width when drawn, so a resize needs no
 * rebuilding; a scroll redraws the body (curses sends only what moved).
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
	l->lines[l->n++].text = s;
	l->base.full = true;
}

void
ui_listing_clear(struct ui_listing *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->lines[i].text);
	l->n = 0;
	l->top = 0;
	l->base.full = true;
}

static int
max_top(const struct ui_listing *l, const struct app *a)
{
	int m = l->n - ui_body_rows(a);

	return m < 0 ? 0 : m;
}

static void
ls_draw(struct ui_screen *s, struct app *a, bool full)
{
	struct ui_listing *l = (struct ui_listing *)s;
	int y, i;

	ui_title(a, "%s", l->title);
	if (!full)
		return;
	if (l->top > max_top(l, a))
		l->top = max_top(l, a);
	for (y = UI_BODY_TOP, i = l->top; y <= ui_body_bottom(a); y++, i++) {
		if (i < l->n)
			ui_draw(y, 0, a->cols, l->lines[i].text,
			    ui_style_attr(l->lines[i].style));
		else
			ui_blank(y, 0, a->cols, A_NORMAL);
	}
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

static bool
ls_key(struct ui_screen *s, struct app *a, enum ui_action act, int key)
{
	struct ui_listing *l = (struct ui_listing *)s;
	int page = ui_body_rows(a) - 1;

	if (l->key != NULL && l->key(a, l, l->ctx, act, key))
		return true;
	switch (act) {
	case ACT_DOWN:
		scroll_to(l, a, l->top + 1);
		return true;
	case ACT_UP:
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
	return l;
}

void
ui_listing_open(struct app *a, struct ui_listing *l)
{
	ui_push(a, &l->base);
}
