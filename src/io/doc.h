/*
 * doc.h: writing text from the caseload into documents for people:
 * HTML and markdown with the data escaped, markdown tables, and plain
 * text wrapped by display width (Zoë is three cells, 李 two). Shared by
 * the printable plan (plan.c) and `senco report`.
 *
 * Every writer drops what must not reach a reader: control characters
 * (an escape sequence in a name) become '?', bytes that are not UTF-8
 * become '?'.
 */
#ifndef SENCO_DOC_H
#define SENCO_DOC_H

#include <stdbool.h>
#include <stdio.h>

/* Text as HTML character data or an attribute value: & < > " ' escaped.
 * Line feeds stay (the plan's CSS keeps them with white-space). */
void doc_html(FILE *fp, const char *s);

/* Text inside a markdown paragraph or list item: every character that
 * markdown would read as markup is escaped with a backslash, a line
 * feed becomes a hard line break, and HTML is never let through. */
void doc_md(FILE *fp, const char *s);
/* The same for a table cell: line feeds become spaces. */
void doc_md_cell(FILE *fp, const char *s);
/* A GitHub-style markdown table of nrows rows of ncols cells
 * (cells[row * ncols + col]; NULL is empty); right[col] (may be NULL)
 * aligns a column right. */
void doc_md_table(FILE *fp, int ncols, const char *const headers[],
    const bool right[], const char *const *cells, int nrows);

/*
 * Plain text wrapped at `width` display columns: the first line starts
 * at column `first` (the caller has written that much already), later
 * lines are indented by `indent` spaces. Words break at spaces; a word
 * wider than the line is cut. Line feeds in s start a new line. Ends
 * with a line feed. Returns the number of lines written.
 */
int doc_wrap(FILE *fp, const char *s, int first, int indent, int width);

#endif
