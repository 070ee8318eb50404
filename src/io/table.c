/*
 * table.c: listings for people and for scripts.
 *
 * The aligned form pads by display width, not bytes, so that Zoë, Nguyễn
 * and 李 line up, and it never sends control characters from the data to
 * the terminal. CSV and TSV are for spreadsheets and scripts: every cell is
 * guarded against formula injection, because a SENCO will open the file
 * in a spreadsheet.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "core/xmalloc.h"
#include "io/table.h"

/* Gap between columns of the aligned form. */
#define TABLE_GAP 2

struct table {
	int ncols;
	char **headers;
	bool *right;
	const char **cells;	/* rows * ncols, row-major, in text */
	int nrows, cap;
	struct text_pool text;	/* the cells' text */
};

/* The pool's blocks grow from 64 KB to 2 MB. */
#define TEXT_BLOCK ((size_t)65536)
#define TEXT_BLOCK_MAX ((size_t)2 << 20)

struct text_block {
	struct text_block *next;
	size_t used, size;
	char text[];
};

static void *
pool_xcalloc(size_t n, size_t size)
{
	return xcalloc(n, size);
}

void
text_pool_init(struct text_pool *p, void *(*alloc)(size_t n, size_t size))
{
	memset(p, 0, sizeof *p);
	p->alloc = alloc != NULL ? alloc : pool_xcalloc;
}

/* Returns a copy of str that lives until text_pool_free. */
const char *
text_pool_copy(struct text_pool *p, const char *str)
{
	size_t n = strlen(str) + 1;
	struct text_block *b = p->blocks;
	char *out;

	if (n == 1)
		return "";
	if (b == NULL || b->size - b->used < n) {
		size_t room = TEXT_BLOCK << (p->nblocks < 5 ? p->nblocks : 5);

		if (room > TEXT_BLOCK_MAX)
			room = TEXT_BLOCK_MAX;
		room -= offsetof(struct text_block, text);
		if (room < n)
			room = n;
		b = p->alloc(1, offsetof(struct text_block, text) + room);
		p->nblocks++;
		b->next = p->blocks;
		b->used = 0;
		b->size = room;
		p->blocks = b;
	}
	out = b->text + b->used;
	memcpy(out, str, n);
	b->used += n;
	return out;
}

void
text_pool_free(struct text_pool *p)
{
	while (p->blocks != NULL) {
		struct text_block *next = p->blocks->next;

		free(p->blocks);
		p->blocks = next;
	}
	p->nblocks = 0;
}

int
table_format_parse(const char *s, enum table_format *out, struct serr *e)
{
	if (s != NULL && strcasecmp(s, "table") == 0)
		*out = TABLE_ALIGNED;
	else if (s != NULL && strcasecmp(s, "csv") == 0)
		*out = TABLE_CSV;
	else if (s != NULL && strcasecmp(s, "tsv") == 0)
		*out = TABLE_TSV;
	else
		return serr_set(e, SE_INVALID, "format '%s' is not table, csv "
		    "or tsv", s != NULL ? s : "");
	return 0;
}

/* Returns a table the caller frees with table_free. */
struct table *
table_new(int ncols, const char *const headers[])
{
	struct table *t = xcalloc(1, sizeof *t);

	text_pool_init(&t->text, NULL);
	t->ncols = ncols;
	t->headers = xcalloc((size_t)ncols, sizeof *t->headers);
	t->right = xcalloc((size_t)ncols, sizeof *t->right);
	for (int i = 0; i < ncols; i++)
		t->headers[i] = xstrdup(headers[i] != NULL ? headers[i] : "");
	return t;
}

void
table_align_right(struct table *t, int col)
{
	if (col >= 0 && col < t->ncols)
		t->right[col] = true;
}

void
table_add(struct table *t, const char *const cells[])
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells,
		    (size_t)t->cap * (size_t)t->ncols, sizeof *t->cells);
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] =
		    text_pool_copy(&t->text, cells[i] != NULL ? cells[i] : "");
	t->nrows++;
}

int
table_rows(const struct table *t)
{
	return t->nrows;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	text_pool_free(&t->text);
	for (int i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->cells);
	free(t->headers);
	free(t->right);
	free(t);
}

/*
 * Decode one UTF-8 character: its length in bytes, its code point in *cp,
 * or *cp = -1 for a byte that does not start a valid, shortest-form
 * sequence (counted as one byte). Decoding by hand keeps the result the
 * same whatever the locale; only the width comes from wcwidth().
 */
static size_t
utf8_next(const unsigned char *s, size_t left, long *cp)
{
	size_t n;
	long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		goto bad;
	if (n > left)
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = -1;
	return 1;
}

static bool
is_control(long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* Cells taken by one printable code point. */
static int
char_width(long cp)
{
	int w;

	if (cp < 0 || is_control(cp))
		return 1;	/* shown as '?' or a space */
	w = wcwidth((wchar_t)cp);
	/* Outside a UTF-8 locale wcwidth knows no letters beyond ASCII;
	 * one cell is the best guess. */
	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left;
	int w = 0;
	long cp;

	if (s == NULL)
		return 0;
	left = strlen(s);
	while (left > 0) {
		size_t n = utf8_next(p, left, &cp);

		w += char_width(cp);
		p += n;
		left -= n;
	}
	return w;
}

/*
 * One output line, built in memory and written with one fwrite: a call
 * per cell took the stream's lock each time (a tenth of a 62,000-line
 * report). Lines of up to LINE_STACK bytes stay on the stack.
 */
#define LINE_STACK 1024

struct line {
	char *p;
	size_t n, cap;
	char stack[LINE_STACK];
};

static void
line_init(struct line *l)
{
	l->p = l->stack;
	l->n = 0;
	l->cap = sizeof l->stack;
}

static void
line_put(struct line *l, const void *s, size_t n)
{
	if (l->cap - l->n < n) {
		size_t want = l->cap * 2;

		while (want - l->n < n)
			want *= 2;
		if (l->p == l->stack) {
			l->p = xmalloc(want);
			memcpy(l->p, l->stack, l->n);
		} else
			l->p = xrealloc(l->p, want);
		l->cap = want;
	}
	memcpy(l->p + l->n, s, n);
	l->n += n;
}

static void
line_putc(struct line *l, char c)
{
	if (l->n < l->cap)
		l->p[l->n++] = c;
	else
		line_put(l, &c, 1);
}

/* Write the line to fp and empty it (it may be used again). */
static void
line_flush(struct line *l, FILE *fp)
{
	fwrite(l->p, 1, l->n, fp);
	l->n = 0;
}

static void
line_free(struct line *l)
{
	if (l->p != l->stack)
		free(l->p);
	line_init(l);
}

/*
 * How many of the first n bytes of p are printable ASCII (0x20 to 0x7e),
 * from the start: eight at a time where they can be, since nearly every
 * cell of a long listing is. In each word a byte under 0x20 sets its
 * top bit when 0x20 is taken away, one of 0x7f or over when 1 is added
 * or already; a borrow or a carry only comes from a byte that is itself
 * out of range, so a clean word is never taken for a dirty one.
 */
#define BYTES_01 UINT64_C(0x0101010101010101)
static size_t
ascii_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

	for (; n - i >= sizeof(uint64_t); i += sizeof(uint64_t)) {
		uint64_t v;

		memcpy(&v, p + i, sizeof v);
		if (((v - 0x20 * BYTES_01) | v | (v + BYTES_01)) &
		    (0x80 * BYTES_01))
			break;
	}
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	return i;
}

/*
 * The cell as the aligned form shows it: control characters (a newline in
 * a note, an escape sequence smuggled into a name) become a space or '?'
 * and never reach the terminal; bytes that are not UTF-8 become '?'.
 * Put straight on the line (a copy of every cell of a long listing cost
 * more than the rest of its printing). Returns its display width, as
 * visible_width (measuring each cell again to pad it cost as much as
 * putting it).
 */
static int
put_visible(struct line *l, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *span = p;
	size_t left = strlen(s);
	int w = 0;
	long cp;

	while (left > 0) {
		size_t n = ascii_run(p, left);

		if (n > 0) {	/* printable ASCII */
			p += n;
			left -= n;
			w += (int)n;
			continue;
		}
		n = utf8_next(p, left, &cp);
		w += char_width(cp);
		if (cp == '\t' || cp == '\n' || cp == '\r' || cp < 0 ||
		    is_control(cp)) {
			line_put(l, span, (size_t)(p - span));
			line_putc(l, cp == '\t' || cp == '\n' || cp == '\r' ?
			    ' ' : '?');
			span = p + n;
		}
		p += n;
		left -= n;
	}
	line_put(l, span, (size_t)(p - span));
	return w;
}

/* The display width of the cell as put_visible shows it: a control
 * character or a stray byte becomes one cell, as does any ASCII. */
static int
visible_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;
	int w = 0;
	long cp;

	while (left > 0) {
		if ((n = ascii_run(p, left)) > 0) {	/* a cell each */
			p += n;
			left -= n;
			w += (int)n;
			continue;
		}
		n = utf8_next(p, left, &cp);
		w += char_width(cp);
		p += n;
		left -= n;
	}
	return w;
}

static void
pad(struct line *l, int n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;

		line_put(l, spaces, (size_t)k);
		n -= k;
	}
}

static void
print_aligned_row(struct line *l, FILE *fp, const char *const cells[],
    const int widths[], const bool right[], int ncols)
{
	int last = ncols - 1;

	/* No trailing spaces: the last non-empty cell ends the line (an
	 * empty right-aligned cell would be all padding). */
	while (last > 0 && cells[last][0] == '\0')
		last--;
	for (int i = 0; i <= last; i++) {
		bool r = right != NULL && right[i];
		int w;

		if (i > 0)
			pad(l, TABLE_GAP);
		if (r)
			pad(l, widths[i] - visible_width(cells[i]));
		w = put_visible(l, cells[i]);
		if (!r && i < last)
			pad(l, widths[i] - w);
	}
	line_putc(l, '\n');
	line_flush(l, fp);
}

static void
print_aligned(FILE *fp, int nc, const char *const headers[],
    const bool right[], const char *const *cells, int nrows)
{
	int *widths = xcalloc((size_t)nc + 1, sizeof *widths);
	const char **head = xcalloc((size_t)nc + 1, sizeof *head);
	const char *const *row;
	struct line l;
	int r, c, w;

	line_init(&l);
	for (c = 0; c < nc; c++)
		head[c] = headers[c] != NULL ? headers[c] : "";
	for (r = -1; r < nrows; r++) {
		row = r < 0 ? head : cells + (size_t)r * (size_t)nc;
		for (c = 0; c < nc; c++)
			if ((w = visible_width(row[c])) > widths[c])
				widths[c] = w;
	}
	for (r = -1; r < nrows; r++)
		print_aligned_row(&l, fp, r < 0 ? head : cells + (size_t)r *
		    (size_t)nc, widths, right, nc);
	line_free(&l);
	free(head);
	free(widths);
}

/*
 * A plain number ("-3", "+2.5", "1e3" is not one) is data, not a formula:
 * leave it alone so that a negative impact stays a number in the
 * spreadsheet.
 */
static bool
plain_number(const char *s)
{
	bool digit = false, point = false;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && !point)
			point = true;
		else
			return false;
	}
	return digit;
}

/* Would a spreadsheet take this cell for a formula? (OWASP CSV
 * injection: cells starting =, +, -, @, tab or CR.) */
static bool
needs_neutralising(const char *s)
{
	if (strchr("=+-@\t\r", s[0]) == NULL || s[0] == '\0')
		return false;
	return !plain_number(s);
}

/* Put one CSV/TSV cell on the line (table_write_cell's rules). */
static void
put_cell(struct line *l, const char *s, enum table_format f)
{
	bool guard, quote;
	size_t n;

	if (s == NULL)
		s = "";
	guard = needs_neutralising(s);
	if (f == TABLE_TSV) {
		if (guard)
			line_putc(l, '\'');
		for (;;) {
			n = strcspn(s, "\t\n\r");
			line_put(l, s, n);
			if (s[n] == '\0')
				return;
			line_putc(l, ' ');
			s += n + 1;
		}
	}
	if (f != TABLE_CSV) {
		line_put(l, s, strlen(s));
		return;
	}
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		line_putc(l, '"');
	if (guard)
		line_putc(l, '\'');
	for (;;) {
		n = strcspn(s, "\"");
		line_put(l, s, n);
		if (s[n] == '\0')
			break;
		line_put(l, "\"\"", 2);
		s += n + 1;
	}
	if (quote)
		line_putc(l, '"');
}

void
table_write_cell(FILE *fp, const char *s, enum table_format f)
{
	struct line l;

	line_init(&l);
	put_cell(&l, s, f);
	line_flush(&l, fp);
	line_free(&l);
}

static void
put_row(struct line *l, FILE *fp, const char *const cells[], int ncols,
    enum table_format f)
{
	for (int c = 0; c < ncols; c++) {
		if (c > 0)
			line_putc(l, f == TABLE_CSV ? ',' : '\t');
		put_cell(l, cells[c], f);
	}
	line_putc(l, '\n');
	line_flush(l, fp);
}

void
table_write_row(FILE *fp, const char *const cells[], int ncols,
    enum table_format f)
{
	struct line l;

	line_init(&l);
	put_row(&l, fp, cells, ncols, f);
	line_free(&l);
}

void
table_print_cells(FILE *fp, enum table_format f, int ncols,
    const char *const headers[], const bool right[],
    const char *const *cells, int nrows)
{
	struct line l;

	if (f == TABLE_ALIGNED) {
		print_aligned(fp, ncols, headers, right, cells, nrows);
		return;
	}
	line_init(&l);
	put_row(&l, fp, headers, ncols, f);
	for (int r = 0; r < nrows; r++)
		put_row(&l, fp, cells + (size_t)r * (size_t)ncols, ncols, f);
	line_free(&l);
}

void
table_print(const struct table *t, FILE *fp, enum table_format f)
{
	table_print_cells(fp, f, t->ncols, (const char *const *)t->headers,
	    t->right, t->cells, t->nrows);
}
