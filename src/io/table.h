/*
 * table.h: listings for the CLI and exports: an aligned table for people
 * (UTF-8 aware: Zoë and 李 line up), CSV (RFC 4180) and TSV for scripts.
 */
#ifndef SENCO_TABLE_H
#define SENCO_TABLE_H

#include <stdbool.h>
#include <stdio.h>
#include "core/err.h"

enum table_format { TABLE_ALIGNED = 0, TABLE_CSV, TABLE_TSV };

/* Text that never moves, for the cells of a long listing: copied into
 * blocks of 64 KB growing to 2 MB, one allocation for thousands of
 * cells (malloc per cell was a fifth of a long report's time). */
struct text_block;
struct text_pool {
	struct text_block *blocks;
	int nblocks;
	void *(*alloc)(size_t n, size_t size);	/* zeroed, free()d */
};
/* alloc NULL: xcalloc. */
void text_pool_init(struct text_pool *p, void *(*alloc)(size_t n,
    size_t size));
/* A copy of str (empty: a constant ""), freed with the pool. */
const char *text_pool_copy(struct text_pool *p, const char *str);
void text_pool_free(struct text_pool *p);

struct table;

/* "table", "csv" or "tsv". */
int table_format_parse(const char *s, enum table_format *out, struct serr *e);
/* Columns are named by headers[0..ncols-1]. Caller frees with table_free. */
struct table *table_new(int ncols, const char *const headers[]);
/* Right-align a column in the aligned format (numbers). */
void table_align_right(struct table *t, int col);
/* Add a row of ncols cells (copied; NULL is ""). */
void table_add(struct table *t, const char *const cells[]);
int table_rows(const struct table *t);
/* Print in the format; aligned tables pad by display width. */
void table_print(const struct table *t, FILE *fp, enum table_format f);
void table_free(struct table *t);

/* Print nrows rows of ncols cells (row-major, none NULL) that the caller
 * keeps, under headers (right[] NULL: all left-aligned), as
 * table_print would print a table of them, without copying them. */
void table_print_cells(FILE *fp, enum table_format f, int ncols,
    const char *const headers[], const bool right[],
    const char *const *cells, int nrows);
/* One CSV or TSV line of ncols cells (table_write_cell each). */
void table_write_row(FILE *fp, const char *const cells[], int ncols,
    enum table_format f);

/* Display width of a UTF-8 string in terminal cells (wcwidth). */
int text_width(const char *s);
/* Write one CSV/TSV cell. CSV quotes when needed (RFC 4180); both
 * neutralise a cell starting with =, +, -, @ (or tab/CR) by a leading
 * apostrophe so a spreadsheet never runs it as a formula; a plain number
 * such as "-3" is left as it is. TSV replaces tabs and newlines inside a
 * cell with spaces. */
void table_write_cell(FILE *fp, const char *s, enum table_format f);

#endif
