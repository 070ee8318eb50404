/*
 * table.c: listings for people and for scripts.
 *
 * The aligned form pads by display width, not bytes, so that Zoë, Nguyễn
 * and 李 line up, and it never sends control characters from the data to
 * the terminal. CSV and TSV are for spreadsheets and scripts: every cell is
 * guarded against formula injection, because a SENCO will open the file
 * in a spreadsheet.
 */
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
	char **cells;		/* rows * ncols, row-major */
	int nrows, cap;
};

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
		    xstrdup(cells[i] != NULL ? cells[i] : "");
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
	for (int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
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
 * The cell as the aligned form shows it: control characters (a newline in
 * a note, an escape sequence smuggled into a name) become a space or '?'
 * and never reach the terminal; bytes that are not UTF-8 become '?'.
 * Returns a string the caller frees.
 */
static char *
cell_visible(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), o = 0;
	char *out = xmalloc(left + 1);
	long cp;

	while (left > 0) {
		size_t n = utf8_next(p, left, &cp);

		if (cp == '\t' || cp == '\n' || cp == '\r')
			out[o++] = ' ';
		else if (cp < 0 || is_control(cp))
			out[o++] = '?';
		else {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		left -= n;
	}
	out[o] = '\0';
	return out;
}

static void
pad(FILE *fp, int n)
{
	while (n-- > 0)
		fputc(' ', fp);
}

static void
print_aligned_row(FILE *fp, char *const vis[], const int widths[],
    const int cellw[], const bool right[], int ncols)
{
	int last = ncols - 1;

	/* No trailing spaces: the last non-empty cell ends the line (an
	 * empty right-aligned cell would be all padding). */
	while (last > 0 && vis[last][0] == '\0')
		last--;
	for (int i = 0; i <= last; i++) {
		int gap = widths[i] - cellw[i];

		if (i > 0)
			pad(fp, TABLE_GAP);
		if (right[i])
			pad(fp, gap);
		fputs(vis[i], fp);
		if (!right[i] && i < last)
			pad(fp, gap);
	}
	fputc('\n', fp);
}

static void
print_aligned(const struct table *t, FILE *fp)
{
	int nc = t->ncols, total = (t->nrows + 1) * nc;
	char **vis = xcalloc((size_t)total, sizeof *vis);
	int *cellw = xcalloc((size_t)total, sizeof *cellw);
	int *widths = xcalloc((size_t)nc, sizeof *widths);

	for (int r = 0; r <= t->nrows; r++)
		for (int c = 0; c < nc; c++) {
			const char *src = r == 0 ? t->headers[c] :
			    t->cells[(r - 1) * nc + c];
			int k = r * nc + c;

			vis[k] = cell_visible(src);
			cellw[k] = text_width(vis[k]);
			if (cellw[k] > widths[c])
				widths[c] = cellw[k];
		}
	for (int r = 0; r <= t->nrows; r++)
		print_aligned_row(fp, vis + r * nc, widths, cellw + r * nc,
		    t->right, nc);
	for (int k = 0; k < total; k++)
		free(vis[k]);
	free(vis);
	free(cellw);
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

void
table_write_cell(FILE *fp, const char *s, enum table_format f)
{
	bool guard, quote;

	if (s == NULL)
		s = "";
	guard = needs_neutralising(s);
	if (f == TABLE_TSV) {
		if (guard)
			fputc('\'', fp);
		for (; *s != '\0'; s++)
			fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s,
			    fp);
		return;
	}
	if (f != TABLE_CSV) {
		fputs(s, fp);
		return;
	}
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', fp);
	if (guard)
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	if (quote)
		fputc('"', fp);
}

static void
print_delimited(const struct table *t, FILE *fp, enum table_format f)
{
	int sep = f == TABLE_CSV ? ',' : '\t';

	for (int c = 0; c < t->ncols; c++) {
		if (c > 0)
			fputc(sep, fp);
		table_write_cell(fp, t->headers[c], f);
	}
	fputc('\n', fp);
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			if (c > 0)
				fputc(sep, fp);
			table_write_cell(fp, t->cells[r * t->ncols + c], f);
		}
		fputc('\n', fp);
	}
}

void
table_print(const struct table *t, FILE *fp, enum table_format f)
{
	if (f == TABLE_ALIGNED)
		print_aligned(t, fp);
	else
		print_delimited(t, fp, f);
}
