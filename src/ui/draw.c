/*
 * draw.c: cell-exact drawing of UTF-8 text (see draw.h).
 */
#include <curses.h>
#include <langinfo.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#include "core/xmalloc.h"
#include "ui/draw.h"

#define DRAW_MAX 1024		/* characters drawn in one call at most */

int
ui_wcwidth(wchar_t wc)
{
	int w;

	if (wc < 0x20 || wc == 0x7f)
		return 1;	/* drawn as '?' */
	if (wc < 0x7f)
		return 1;	/* ASCII: no need to ask the locale */
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Decode the next character of s; *len gets its byte length. Bad
 * bytes and control characters come back as '?'. Printable ASCII, most
 * of what is drawn, skips the locale's conversion: the register draws
 * hundreds of characters a key and mbrtowc costs a hundred times more. */
static wchar_t
next_char(const char *s, size_t *len)
{
	unsigned char c = (unsigned char)*s;
	mbstate_t ps;
	wchar_t wc;
	size_t l;

	if (c < 0x80) {
		*len = 1;
		return c >= 0x20 && c != 0x7f ? (wchar_t)c : L'?';
	}
	memset(&ps, 0, sizeof ps);
	l = mbrtowc(&wc, s, strnlen(s, MB_LEN_MAX), &ps);
	if (l == (size_t)-1 || l == (size_t)-2 || l == 0) {
		*len = 1;
		return L'?';
	}
	*len = l;
	if (wc < 0x20 || wc == 0x7f || wcwidth(wc) < 0)
		return L'?';
	return wc;
}

int
ui_width(const char *s)
{
	int w = 0;
	size_t len;

	if (s == NULL)
		return 0;
	while (*s != '\0') {
		wchar_t wc = next_char(s, &len);
		w += ui_wcwidth(wc);
		s += len;
	}
	return w;
}

bool
ui_utf8(void)
{
	static int known = -1;

	if (known < 0) {
		const char *cs = nl_langinfo(CODESET);
		known = cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
		    strcasecmp(cs, "utf8") == 0);
	}
	return known;
}

const char *
ui_sym_ellipsis(void)
{
	return ui_utf8() ? "\xe2\x80\xa6" : "~";
}

const char *
ui_sym_up(void)
{
	return ui_utf8() ? "\xe2\x96\xb2" : "^";
}

const char *
ui_sym_down(void)
{
	return ui_utf8() ? "\xe2\x96\xbc" : "v";
}

const char *
ui_sym_block(int rating)
{
	/* ▁ ▃ ▅ ▇ █: five heights for ratings 0..4 */
	static const char *const blocks[] = {
		"\xe2\x96\x81", "\xe2\x96\x83", "\xe2\x96\x85",
		"\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char *const ascii[] = { "0", "1", "2", "3", "4" };

	if (rating < 0)
		rating = 0;
	if (rating > 4)
		rating = 4;
	return ui_utf8() ? blocks[rating] : ascii[rating];
}

/* Turn s into at most w cells of wide characters in out (cut with an
 * ellipsis when needed). Returns the cells used; *n_out the count. */
static int
layout(const char *s, int w, wchar_t *out, int *n_out)
{
	int cells = 0, n = 0, total = ui_width(s);
	size_t len;

	*n_out = 0;
	if (w <= 0 || s == NULL)
		return 0;
	if (total <= w) {
		while (*s != '\0' && n < DRAW_MAX - 1) {
			wchar_t wc = next_char(s, &len);
			out[n++] = wc;
			cells += ui_wcwidth(wc);
			s += len;
		}
	} else {
		/* keep w-1 cells and an ellipsis */
		wchar_t ell = ui_utf8() ? 0x2026 : L'~';
		while (*s != '\0' && n < DRAW_MAX - 2) {
			wchar_t wc = next_char(s, &len);
			int cw = ui_wcwidth(wc);
			if (cells + cw > w - 1)
				break;
			out[n++] = wc;
			cells += cw;
			s += len;
		}
		out[n++] = ell;
		cells++;
	}
	out[n] = L'\0';
	*n_out = n;
	return cells;
}

void
ui_blank(int y, int x, int w, int attr)
{
	if (w <= 0)
		return;
	attrset(attr);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
ui_hline(int y, int x, int w, int attr)
{
	if (w <= 0)
		return;
	attrset(attr);
	move(y, x);
	hline(ACS_HLINE, w);
	attrset(A_NORMAL);
}

int
ui_draw(int y, int x, int w, const char *s, int attr)
{
	wchar_t buf[DRAW_MAX];
	int n, cells;

	if (w <= 0)
		return 0;
	cells = layout(s != NULL ? s : "", w, buf, &n);
	attrset(attr);
	if (n > 0)
		mvaddnwstr(y, x, buf, n);
	if (cells < w)
		mvhline(y, x + cells, ' ', w - cells);
	attrset(A_NORMAL);
	return cells;
}

int
ui_draw_right(int y, int x, int w, const char *s, int attr)
{
	wchar_t buf[DRAW_MAX];
	int n, cells;

	if (w <= 0)
		return 0;
	cells = layout(s != NULL ? s : "", w, buf, &n);
	attrset(attr);
	if (cells < w)
		mvhline(y, x, ' ', w - cells);
	if (n > 0)
		mvaddnwstr(y, x + w - cells, buf, n);
	attrset(A_NORMAL);
	return cells;
}

char *
ui_fit(const char *s, int w, char *out, size_t n)
{
	wchar_t buf[DRAW_MAX];
	int count, i;
	size_t used = 0;
	mbstate_t ps;

	layout(s != NULL ? s : "", w, buf, &count);
	memset(&ps, 0, sizeof ps);
	for (i = 0; i < count; i++) {
		char mb[MB_LEN_MAX];
		size_t l = wcrtomb(mb, buf[i], &ps);
		if (l == (size_t)-1 || used + l + 1 > n)
			break;
		memcpy(out + used, mb, l);
		used += l;
	}
	out[used] = '\0';
	return out;
}

/* Emit bytes [start, end) of s as a line. */
static void
emit(const char *start, const char *end, void (*cb)(void *, char *),
    void *ctx)
{
	size_t l = (size_t)(end - start);
	char *line = xmalloc(l + 1);

	memcpy(line, start, l);
	line[l] = '\0';
	cb(ctx, line);
}

int
ui_wrap(const char *s, int w, void (*cb)(void *ctx, char *line), void *ctx)
{
	const char *line = s, *p = s, *brk = NULL;
	int cells = 0, n = 0;
	size_t len;

	if (s == NULL || *s == '\0')
		return 0;
	if (w < 1)
		w = 1;
	while (*p != '\0') {
		wchar_t wc;
		int cw;

		if (*p == '\n') {
			emit(line, p, cb, ctx);
			n++;
			line = ++p;
			cells = 0;
			brk = NULL;
			continue;
		}
		wc = next_char(p, &len);
		cw = ui_wcwidth(wc);
		if (cells + cw > w) {
			/* break at the last space, else mid-word */
			const char *end = brk != NULL ? brk : p;
			emit(line, end, cb, ctx);
			n++;
			line = end;
			while (*line == ' ')
				line++;
			p = line;
			cells = 0;
			brk = NULL;
			continue;
		}
		if (*p == ' ')
			brk = p;
		cells += cw;
		p += len;
	}
	if (p > line) {
		emit(line, p, cb, ctx);
		n++;
	}
	return n;
}
