/*
 * doc.c: escaping and wrapping text from the caseload for documents
 * (doc.h): HTML, markdown, and plain text at a fixed width.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "io/doc.h"
#include "io/table.h"

/*
 * The length of the valid, shortest-form UTF-8 character at s (of at
 * most left bytes) and whether it is a control character; 0 when the
 * bytes are not UTF-8.
 */
static size_t
utf8_char(const unsigned char *s, size_t left, bool *control)
{
	size_t n, i;
	long c;

	*control = false;
	if (s[0] < 0x80) {
		*control = s[0] < 0x20 || s[0] == 0x7f;
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
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*control = c >= 0x80 && c < 0xa0;	/* C1: CSI and friends */
	return n;
}

/*
 * s with every control character but the line feed (a tab becomes a
 * space) and every byte that is not UTF-8 replaced by '?', carriage
 * returns dropped. Returns a string the caller frees.
 */
static char *
clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t left = strlen((const char *)p), o = 0;
	char *out = xmalloc(left + 1);

	while (left > 0) {
		bool control;
		size_t n = utf8_char(p, left, &control);

		if (n == 0) {
			out[o++] = '?';
			n = 1;
		} else if (*p == '\n')
			out[o++] = '\n';
		else if (*p == '\t')
			out[o++] = ' ';
		else if (*p == '\r')
			;
		else if (control)
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

/* --- HTML ------------------------------------------------------------------ */

void
doc_html(FILE *fp, const char *s)
{
	char *c = clean(s);

	for (const char *p = c; *p != '\0'; p++) {
		switch (*p) {
		case '&':	fputs("&amp;", fp); break;
		case '<':	fputs("&lt;", fp); break;
		case '>':	fputs("&gt;", fp); break;
		case '"':	fputs("&quot;", fp); break;
		case '\'':	fputs("&#39;", fp); break;
		default:	fputc(*p, fp); break;
		}
	}
	free(c);
}

/* --- markdown ----------------------------------------------------------------- */

/* Markup anywhere in a line (GitHub-flavoured: | for tables, ~ for
 * strike-through). < and & are escaped so no HTML or entity gets in. */
#define MD_INLINE "\\`*_[]<&|~"
/* Markup only at the start of a line: headings, lists, quotes, rules. */
#define MD_LINE_START "#-+=>"

static void
md_text(FILE *fp, const char *s, bool cell)
{
	char *c = clean(s);
	char *p = c, *end;
	/* A table cell is never a list or a heading. */
	bool line_start = !cell;

	/* Trim blank lines and spaces at both ends: a stray line feed must
	 * not end a list item or a table row. */
	while (*p == '\n' || *p == ' ')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (; p < end; p++) {
		if (*p == '\n') {
			/* Blank lines would end the paragraph: one break. */
			while (p + 1 < end && (p[1] == '\n' || p[1] == ' '))
				p++;
			fputs(cell ? " " : "\\\n", fp);
			line_start = !cell;
			continue;
		}
		if (strchr(MD_INLINE, *p) != NULL ||
		    (line_start && strchr(MD_LINE_START, *p) != NULL))
			fputc('\\', fp);
		else if (line_start && *p >= '0' && *p <= '9') {
			/* "1. " or "1) " would start a numbered list. */
			const char *q = p;

			while (q < end && *q >= '0' && *q <= '9')
				fputc(*q++, fp);
			if (q < end && (*q == '.' || *q == ')'))
				fputc('\\', fp);
			p = (char *)q - 1;
			line_start = false;
			continue;
		}
		fputc(*p, fp);
		line_start = false;
	}
	free(c);
}

void
doc_md(FILE *fp, const char *s)
{
	md_text(fp, s, false);
}

void
doc_md_cell(FILE *fp, const char *s)
{
	md_text(fp, s, true);
}

void
doc_md_table(FILE *fp, int ncols, const char *const headers[],
    const bool right[], const char *const *cells, int nrows)
{
	int r, i;

	for (i = 0; i < ncols; i++) {
		fputs(i == 0 ? "| " : " | ", fp);
		doc_md_cell(fp, headers[i]);
	}
	fputs(" |\n", fp);
	for (i = 0; i < ncols; i++)
		fputs(right != NULL && right[i] ? "|---:" : "|---", fp);
	fputs("|\n", fp);
	for (r = 0; r < nrows; r++) {
		for (i = 0; i < ncols; i++) {
			const char *s = cells[r * ncols + i];

			fputs(i == 0 ? "| " : " | ", fp);
			doc_md_cell(fp, s != NULL ? s : "");
		}
		fputs(" |\n", fp);
	}
}

/* --- plain text ------------------------------------------------------------------ */

/* Display width of the n bytes at s. */
static int
width_n(const char *s, size_t n)
{
	char small[64], *buf = n < sizeof small ? small : xmalloc(n + 1);
	int w;

	memcpy(buf, s, n);
	buf[n] = '\0';
	w = text_width(buf);
	if (buf != small)
		free(buf);
	return w;
}

/* Length of the (clean) UTF-8 character at s. */
static size_t
char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Start a new line whose text will begin at column indent. The
 * indent itself is written with the first word, so that an empty line
 * has no trailing spaces. */
static void
new_line(FILE *fp, int indent, int *col, bool *pending, int *lines)
{
	fputc('\n', fp);
	*col = indent;
	*pending = true;
	(*lines)++;
}

static void
put(FILE *fp, const char *s, size_t n, int indent, bool *pending)
{
	if (*pending)
		fprintf(fp, "%*s", indent, "");
	*pending = false;
	fwrite(s, 1, n, fp);
}

int
doc_wrap(FILE *fp, const char *s, int first, int indent, int width)
{
	char *c = clean(s);
	char *p = c, *end = c + strlen(c);
	int col = first, lines = 1;
	bool empty = true;	/* no word on this line yet */
	bool pending = false;	/* the indent is still to be written */

	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	while (*p == '\n' || *p == ' ')
		p++;
	while (*p != '\0') {
		size_t len;
		int w;

		if (*p == '\n') {
			new_line(fp, indent, &col, &pending, &lines);
			empty = true;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		len = strcspn(p, " \n");
		w = width_n(p, len);
		if (!empty && col + 1 + w > width) {
			new_line(fp, indent, &col, &pending, &lines);
			empty = true;
		}
		if (!empty) {
			fputc(' ', fp);
			col++;
		}
		if (col + w <= width) {
			put(fp, p, len, indent, &pending);
			col += w;
		} else {
			/* A word wider than the line: cut it where it must. */
			for (size_t i = 0; i < len;) {
				size_t n = char_len(p + i);
				int cw = width_n(p + i, n);

				if (col + cw > width && col > indent)
					new_line(fp, indent, &col, &pending,
					    &lines);
				put(fp, p + i, n, indent, &pending);
				col += cw;
				i += n;
			}
		}
		empty = false;
		p += len;
	}
	fputc('\n', fp);
	free(c);
	return lines;
}
