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

/* Display width of a UTF-8 string in terminal cells (wcwidth). */
int text_width(const char *s);
/* Write one CSV/TSV cell. CSV quotes when needed (RFC 4180); both
 * neutralise a cell starting with =, +, -, @ (or tab/CR) by a leading
 * apostrophe so a spreadsheet never runs it as a formula; a plain number
 * such as "-3" is left as it is. TSV replaces tabs and newlines inside a
 * cell with spaces. */
void table_write_cell(FILE *fp, const char *s, enum table_format f);

#endif
