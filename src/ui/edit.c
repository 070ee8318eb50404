/*
 * edit.c: character-wise text editing for fields and prompts (edit.h).
 */
#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "core/xmalloc.h"
#include "ui/draw.h"
#include "ui/edit.h"
#include "ui/keys.h"

static void
grow(struct ui_edit *ed, int need)
{
	if (need <= ed->cap)
		return;
	while (ed->cap < need)
		ed->cap = ed->cap > 0 ? ed->cap * 2 : 64;
	ed->buf = xreallocarray(ed->buf, (size_t)ed->cap, sizeof *ed->buf);
}

void
ui_edit_set(struct ui_edit *ed, const char *text)
{
	mbstate_t ps;
	size_t n, l;
	const char *s = text != NULL ? text : "";

	ed->len = 0;
	n = strlen(s);
	memset(&ps, 0, sizeof ps);
	while (n > 0) {
		wchar_t wc;
		l = mbrtowc(&wc, s, n, &ps);
		if (l == (size_t)-1 || l == (size_t)-2 || l == 0) {
			wc = L'?';
			l = 1;
			memset(&ps, 0, sizeof ps);
		}
		if (wc == L'\r') {
			s += l;
			n -= l;
			continue;
		}
		if (!ed->multiline && wc == L'\n')
			wc = L' ';
		grow(ed, ed->len + 1);
		ed->buf[ed->len++] = wc;
		s += l;
		n -= l;
	}
	ed->cur = ed->len;
	ed->scroll = 0;
}

void
ui_edit_init(struct ui_edit *ed, const char *text, bool multiline)
{
	memset(ed, 0, sizeof *ed);
	ed->multiline = multiline;
	ui_edit_set(ed, text);
}

void
ui_edit_free(struct ui_edit *ed)
{
	free(ed->buf);
	memset(ed, 0, sizeof *ed);
}

bool
ui_edit_empty(const struct ui_edit *ed)
{
	int i;

	for (i = 0; i < ed->len; i++)
		if (!iswspace((wint_t)ed->buf[i]))
			return false;
	return true;
}

char *
ui_edit_text(const struct ui_edit *ed)
{
	size_t cap = (size_t)ed->len * MB_LEN_MAX + 1, used = 0;
	char *out = xmalloc(cap);
	mbstate_t ps;
	int i;

	memset(&ps, 0, sizeof ps);
	for (i = 0; i < ed->len; i++) {
		size_t l = wcrtomb(out + used, ed->buf[i], &ps);
		if (l == (size_t)-1) {
			out[used] = '?';
			l = 1;
			memset(&ps, 0, sizeof ps);
		}
		used += l;
	}
	out[used] = '\0';
	return out;
}

static void
insert(struct ui_edit *ed, wchar_t wc)
{
	if (ed->max_chars > 0 && ed->len >= ed->max_chars)
		return;
	grow(ed, ed->len + 1);
	memmove(ed->buf + ed->cur + 1, ed->buf + ed->cur,
	    (size_t)(ed->len - ed->cur) * sizeof *ed->buf);
	ed->buf[ed->cur++] = wc;
	ed->len++;
}

static void
delete_range(struct ui_edit *ed, int from, int to)
{
	if (from < 0)
		from = 0;
	if (to > ed->len)
		to = ed->len;
	if (from >= to)
		return;
	memmove(ed->buf + from, ed->buf + to,
	    (size_t)(ed->len - to) * sizeof *ed->buf);
	ed->len -= to - from;
	if (ed->cur > to)
		ed->cur -= to - from;
	else if (ed->cur > from)
		ed->cur = from;
}

/* The start and end of the line (between newlines) holding the cursor. */
static int
line_start(const struct ui_edit *ed, int i)
{
	while (i > 0 && ed->buf[i - 1] != L'\n')
		i--;
	return i;
}

static int
line_end(const struct ui_edit *ed, int i)
{
	while (i < ed->len && ed->buf[i] != L'\n')
		i++;
	return i;
}

/*
 * Laying out a multi-line box w cells wide: a word that would run past the
 * right edge starts the next line whole (word wrap), unless it is wider
 * than the box, which breaks it where it meets the edge. place() puts
 * character i, given where the one before it ended (*row, *col: the cell
 * after it), and leaves *row, *col after it; one pass over the text lays
 * out all of it.
 */
static bool
is_gap(wchar_t wc)
{
	return wc == L' ' || wc == L'\t' || wc == L'\n';
}

static void
place(const struct ui_edit *ed, int w, int i, int *row, int *col, int *r,
    int *c)
{
	wchar_t wc = ed->buf[i];
	int cw = wc == L'\n' ? 0 : ui_wcwidth(wc);

	if (wc != L'\n' && *col > 0) {
		int need = cw, j;

		/* the first letter of a word: the whole word must fit */
		if (!is_gap(wc) && i > 0 && is_gap(ed->buf[i - 1]))
			for (j = i + 1; j < ed->len && !is_gap(ed->buf[j]) &&
			    need <= w; j++)
				need += ui_wcwidth(ed->buf[j]);
		if (need > w)
			need = cw;
		if (*col + need > w) {
			(*row)++;
			*col = 0;
		}
	}
	*r = *row;
	*c = *col;
	if (wc == L'\n') {
		(*row)++;
		*col = 0;
	} else
		*col += cw;
}

/* Where character index idx (len: the end) sits in a box w cells wide. */
static void
pos_of(const struct ui_edit *ed, int w, int idx, int *row, int *col)
{
	int r = 0, c = 0, pr = 0, pc = 0, i;

	for (i = 0; i < ed->len && i <= idx; i++)
		place(ed, w, i, &r, &c, &pr, &pc);
	if (idx < ed->len) {
		*row = pr;
		*col = pc;
		return;
	}
	if (c >= w && w > 0) {
		r++;
		c = 0;
	}
	*row = r;
	*col = c;
}

/* The character index nearest to (row, col) in a box w wide. */
static int
index_at(const struct ui_edit *ed, int w, int row, int col)
{
	int i, r = 0, c = 0, pr, pc, best = -1;

	for (i = 0; i < ed->len; i++) {
		place(ed, w, i, &r, &c, &pr, &pc);
		if (pr > row)
			return best;
		if (pr == row && pc <= col)
			best = i;
	}
	pos_of(ed, w, ed->len, &pr, &pc);
	if (pr == row && pc <= col)
		best = ed->len;
	return best;
}

static enum ui_edit_result
vertical(struct ui_edit *ed, int w, int dir)
{
	int r, c, last_r, last_c, i;

	pos_of(ed, w, ed->cur, &r, &c);
	pos_of(ed, w, ed->len, &last_r, &last_c);
	if ((dir < 0 && r == 0) || (dir > 0 && r >= last_r))
		return EDIT_EDGE;
	i = index_at(ed, w, r + dir, c);
	if (i >= 0)
		ed->cur = i;
	return EDIT_MOVED;
}

enum ui_edit_result
ui_edit_key(struct ui_edit *ed, int key, int width)
{
	int i;

	if (width < 1)
		width = 1;
	switch (key) {
	case UI_KEY_FN(KEY_LEFT):
		if (ed->cur > 0)
			ed->cur--;
		return EDIT_MOVED;
	case UI_KEY_FN(KEY_RIGHT):
		if (ed->cur < ed->len)
			ed->cur++;
		return EDIT_MOVED;
	case UI_KEY_FN(KEY_HOME):
	case UI_KEY_CTRL('a'):
		ed->cur = ed->multiline ? line_start(ed, ed->cur) : 0;
		return EDIT_MOVED;
	case UI_KEY_FN(KEY_END):
	case UI_KEY_CTRL('e'):
		ed->cur = ed->multiline ? line_end(ed, ed->cur) : ed->len;
		return EDIT_MOVED;
	case UI_KEY_FN(KEY_BACKSPACE):
	case UI_KEY_CTRL('h'):
		if (ed->cur == 0)
			return EDIT_MOVED;
		delete_range(ed, ed->cur - 1, ed->cur);
		return EDIT_CHANGED;
	case UI_KEY_FN(KEY_DC):
	case UI_KEY_CTRL('d'):
		if (ed->cur >= ed->len)
			return EDIT_MOVED;
		delete_range(ed, ed->cur, ed->cur + 1);
		return EDIT_CHANGED;
	case UI_KEY_CTRL('u'):
		delete_range(ed, ed->multiline ? line_start(ed, ed->cur) : 0,
		    ed->cur);
		return EDIT_CHANGED;
	case UI_KEY_CTRL('k'):
		delete_range(ed, ed->cur,
		    ed->multiline ? line_end(ed, ed->cur) : ed->len);
		return EDIT_CHANGED;
	case UI_KEY_CTRL('w'):
		i = ed->cur;
		while (i > 0 && iswspace((wint_t)ed->buf[i - 1]))
			i--;
		while (i > 0 && !iswspace((wint_t)ed->buf[i - 1]))
			i--;
		delete_range(ed, i, ed->cur);
		return EDIT_CHANGED;
	case UI_KEY_FN(KEY_UP):
		return ed->multiline ? vertical(ed, width, -1) : EDIT_IGNORED;
	case UI_KEY_FN(KEY_DOWN):
		return ed->multiline ? vertical(ed, width, 1) : EDIT_IGNORED;
	case UI_KEY_ENTER:
		if (!ed->multiline)
			return EDIT_IGNORED;
		insert(ed, L'\n');
		return EDIT_CHANGED;
	default:
		break;
	}
	if (UI_KEY_IS_FN(key) || key < 0x20 || key == 0x7f)
		return EDIT_IGNORED;
	if (!iswprint((wint_t)key))
		return EDIT_IGNORED;
	insert(ed, (wchar_t)key);
	return EDIT_CHANGED;
}

static void
draw_single(struct ui_edit *ed, int y, int x, int w, int attr, int *cy,
    int *cx)
{
	int cell = 0, i, cur_cell = 0, col;

	for (i = 0; i < ed->len && i < ed->cur; i++)
		cur_cell += ui_wcwidth(ed->buf[i]);
	if (cur_cell < ed->scroll)
		ed->scroll = cur_cell;
	if (cur_cell >= ed->scroll + w)
		ed->scroll = cur_cell - w + 1;
	attrset(attr);
	mvhline(y, x, ' ', w);
	for (i = 0; i < ed->len; i++) {
		int cw = ui_wcwidth(ed->buf[i]);
		col = cell - ed->scroll;
		cell += cw;
		if (col < 0)
			continue;
		if (col + cw > w)
			break;
		if (ed->buf[i] < 0x20)
			mvaddch(y, x + col, '?');
		else
			mvaddnwstr(y, x + col, &ed->buf[i], 1);
	}
	attrset(A_NORMAL);
	*cy = y;
	*cx = x + cur_cell - ed->scroll;
}

static void
draw_multi(struct ui_edit *ed, int y, int x, int w, int h, int attr,
    int *cy, int *cx)
{
	int r, c, i, cr, cc, lr, lc;

	pos_of(ed, w, ed->cur, &cr, &cc);
	if (cr < ed->scroll)
		ed->scroll = cr;
	if (cr >= ed->scroll + h)
		ed->scroll = cr - h + 1;
	attrset(attr);
	for (r = 0; r < h; r++)
		mvhline(y + r, x, ' ', w);
	for (i = 0, lr = 0, lc = 0; i < ed->len; i++) {
		place(ed, w, i, &lr, &lc, &r, &c);
		if (ed->buf[i] == L'\n')
			continue;
		r -= ed->scroll;
		if (r < 0)
			continue;
		if (r >= h)
			break;
		mvaddnwstr(y + r, x + c, &ed->buf[i], 1);
	}
	attrset(A_NORMAL);
	*cy = y + cr - ed->scroll;
	*cx = x + (cc < w ? cc : w - 1);
}

void
ui_edit_draw(struct ui_edit *ed, int y, int x, int w, int h, int attr,
    int *cy, int *cx)
{
	if (w < 1)
		w = 1;
	if (ed->multiline && h > 1)
		draw_multi(ed, y, x, w, h, attr, cy, cx);
	else
		draw_single(ed, y, x, w, attr, cy, cx);
}
