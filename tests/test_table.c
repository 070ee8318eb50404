/*
 * test_table.c: listings: display width, the aligned form with wide and
 * combining characters, CSV quoting, TSV escaping and formula
 * neutralising.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "io/table.h"

static void
utf8_locale(void)
{
	/* wcwidth needs a UTF-8 locale; make check exports LC_ALL=C.UTF-8
	 * but a test run by hand may not. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		cr_assert_not_null(setlocale(LC_ALL, "en_GB.UTF-8"),
		    "no UTF-8 locale available");
}

TestSuite(table, .init = utf8_locale, .fini = th_cleanup);

/* Print t in format f into a string the caller frees. */
static char *
render(const struct table *t, enum table_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_not_null(fp);
	table_print(t, fp, f);
	fclose(fp);
	return buf;
}

static char *
cell(const char *s, enum table_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_not_null(fp);
	table_write_cell(fp, s, f);
	fclose(fp);
	return buf;
}

/* The display column at which `needle` starts in `line`. */
static int
column_of(const char *line, const char *needle)
{
	const char *at = strstr(line, needle);
	char *prefix;
	int w;

	cr_assert_not_null(at, "'%s' not in '%s'", needle, line);
	prefix = strndup(line, (size_t)(at - line));
	w = text_width(prefix);
	free(prefix);
	return w;
}

/* Line n (from 0) of s, in a static buffer. */
static const char *
line_of(const char *s, int n)
{
	static char buf[512];
	const char *end;

	while (n-- > 0) {
		s = strchr(s, '\n');
		cr_assert_not_null(s, "too few lines");
		s++;
	}
	end = strchr(s, '\n');
	cr_assert_not_null(end, "line not ended");
	snprintf(buf, sizeof buf, "%.*s", (int)(end - s), s);
	return buf;
}

Test(table, width_of_wide_and_combining_text)
{
	cr_expect_eq(text_width("Zoe"), 3);
	cr_expect_eq(text_width("Zoë"), 3);			/* precomposed */
	cr_expect_eq(text_width("Zoe\xcc\x88"), 3);		/* e + U+0308 */
	cr_expect_eq(text_width("Nguyễn"), 6);
	cr_expect_eq(text_width("Nguye\xcc\x82\xcc\x83n"), 6);	/* 2 marks */
	cr_expect_eq(text_width("李"), 2);
	cr_expect_eq(text_width("李小龙"), 6);
	cr_expect_eq(text_width("Łukasz"), 6);
	cr_expect_eq(text_width(""), 0);
	cr_expect_eq(text_width(NULL), 0);
	/* Bytes that are not UTF-8 take one cell each, as '?' does. */
	cr_expect_eq(text_width("a\xff" "b"), 3);
	cr_expect_eq(text_width("\xe6\x9d"), 2);		/* cut short */
	cr_expect_eq(text_width("\xc0\xaf"), 2);		/* overlong */
}

Test(table, aligned_columns_line_up_by_display_width)
{
	const char *h[] = { "Name", "Year", "Need" };
	const char *r1[] = { "Zoë Brown", "4", "SLCN" };
	const char *r2[] = { "李 Wei", "10", "ASD" };
	const char *r3[] = { "Nguye\xcc\x82\xcc\x83n Thi", "R", "SEMH" };
	const char *r4[] = { "Łukasz Nowak-Kowalczyk", "7", "SPLD" };
	struct table *t = table_new(3, h);
	char *out;
	int year_col, need_col;

	table_add(t, r1);
	table_add(t, r2);
	table_add(t, r3);
	table_add(t, r4);
	cr_assert_eq(table_rows(t), 4);
	out = render(t, TABLE_ALIGNED);

	year_col = column_of(line_of(out, 0), "Year");
	need_col = column_of(line_of(out, 0), "Need");
	/* The widest name is 22 cells; two spaces separate columns. */
	cr_expect_eq(year_col, 22 + 2);
	cr_expect_eq(column_of(line_of(out, 1), "4"), year_col);
	cr_expect_eq(column_of(line_of(out, 2), "10"), year_col);
	cr_expect_eq(column_of(line_of(out, 3), "R"), year_col);
	cr_expect_eq(column_of(line_of(out, 4), "7"), year_col);
	cr_expect_eq(column_of(line_of(out, 1), "SLCN"), need_col);
	cr_expect_eq(column_of(line_of(out, 2), "ASD"), need_col);
	cr_expect_eq(column_of(line_of(out, 3), "SEMH"), need_col);
	cr_expect_eq(column_of(line_of(out, 4), "SPLD"), need_col);
	cr_expect_str_eq(line_of(out, 2), "李 Wei                  10    ASD");
	free(out);
	table_free(t);
}

Test(table, aligned_right_columns_and_no_trailing_space)
{
	const char *h[] = { "Name", "Cost", "Note" };
	const char *r1[] = { "Siobhán", "£12.50", "" };
	const char *r2[] = { "Al", "£1,234.00", "x" };
	struct table *t = table_new(3, h);
	char *out;

	table_align_right(t, 1);
	table_add(t, r1);
	table_add(t, r2);
	out = render(t, TABLE_ALIGNED);
	cr_expect_str_eq(out,
	    "Name          Cost  Note\n"
	    "Siobhán     £12.50\n"
	    "Al       £1,234.00  x\n");
	free(out);
	table_free(t);
}

Test(table, aligned_never_prints_control_characters)
{
	const char *h[] = { "Text", "End" };
	const char *r1[] = { "line one\nline two\ttab", "|" };
	const char *r2[] = { "\x1b[31mred\x1b[0m", "|" };
	const char *r3[] = { "bad \xff byte", "|" };
	struct table *t = table_new(2, h);
	char *out;

	table_add(t, r1);
	table_add(t, r2);
	table_add(t, r3);
	out = render(t, TABLE_ALIGNED);
	cr_expect_null(strchr(out, '\x1b'));
	cr_expect_null(strchr(out, '\t'));
	cr_expect_null(strchr(out, '\xff'));
	cr_expect_str_eq(line_of(out, 1), "line one line two tab  |");
	cr_expect_str_eq(line_of(out, 2), "?[31mred?[0m           |");
	cr_expect_str_eq(line_of(out, 3), "bad ? byte             |");
	free(out);
	table_free(t);
}

Test(table, aligned_empty_table_prints_the_header)
{
	const char *h[] = { "UPN", "Name" };
	struct table *t = table_new(2, h);
	char *out = render(t, TABLE_ALIGNED);

	cr_expect_str_eq(out, "UPN  Name\n");
	cr_expect_eq(table_rows(t), 0);
	free(out);
	table_free(t);
}

Test(table, csv_quotes_only_when_needed)
{
	const char *h[] = { "Name", "Note" };
	const char *r1[] = { "Brown, Zoë", "said \"hello\"" };
	const char *r2[] = { "O'Neill", "two\nlines" };
	const char *r3[] = { "李", "cr\rhere" };
	const char *r4[] = { NULL, "" };
	struct table *t = table_new(2, h);
	char *out;

	table_add(t, r1);
	table_add(t, r2);
	table_add(t, r3);
	table_add(t, r4);
	out = render(t, TABLE_CSV);
	cr_expect_str_eq(out,
	    "Name,Note\n"
	    "\"Brown, Zoë\",\"said \"\"hello\"\"\"\n"
	    "O'Neill,\"two\nlines\"\n"
	    "李,\"cr\rhere\"\n"
	    ",\n");
	free(out);
	table_free(t);
}

Test(table, csv_and_tsv_neutralise_formulas)
{
	static const char *const bad[] = {
		"=1+2", "+44 7700 900123", "-2+3+cmd|' /C calc'!A0",
		"@SUM(A1:A2)", "\tx", "\rx", "-", "=",
	};
	static const char *const want_csv[] = {
		"'=1+2", "'+44 7700 900123", "'-2+3+cmd|' /C calc'!A0",
		"'@SUM(A1:A2)", "'\tx", "\"'\rx\"", "'-", "'=",
	};
	static const char *const want_tsv[] = {
		"'=1+2", "'+44 7700 900123", "'-2+3+cmd|' /C calc'!A0",
		"'@SUM(A1:A2)", "' x", "' x", "'-", "'=",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *c = cell(bad[i], TABLE_CSV), *t = cell(bad[i], TABLE_TSV);

		cr_expect_str_eq(c, want_csv[i], "csv of %zu", i);
		cr_expect_str_eq(t, want_tsv[i], "tsv of %zu", i);
		free(c);
		free(t);
	}
}

Test(table, plain_numbers_stay_numbers)
{
	static const char *const nums[] = { "-3", "+2.5", "-0.75", "12" };

	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		char *c = cell(nums[i], TABLE_CSV), *t = cell(nums[i], TABLE_TSV);

		cr_expect_str_eq(c, nums[i]);
		cr_expect_str_eq(t, nums[i]);
		free(c);
		free(t);
	}
	/* A formula with a comma is quoted around the apostrophe. */
	char *c = cell("=HYPERLINK(\"x\",\"y\")", TABLE_CSV);

	cr_expect_str_eq(c, "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	free(c);
}

Test(table, tsv_replaces_tabs_and_newlines)
{
	const char *h[] = { "Name", "Note" };
	const char *r1[] = { "Nguyễn", "a\tb\nc\r\nd" };
	const char *r2[] = { "Brown, Zoë", "\"quoted\"" };
	struct table *t = table_new(2, h);
	char *out;

	table_add(t, r1);
	table_add(t, r2);
	out = render(t, TABLE_TSV);
	cr_expect_str_eq(out,
	    "Name\tNote\n"
	    "Nguyễn\ta b c  d\n"
	    "Brown, Zoë\t\"quoted\"\n");
	free(out);
	table_free(t);
}

Test(table, format_names)
{
	enum table_format f = TABLE_CSV;
	struct serr e;

	serr_clear(&e);
	cr_expect_eq(table_format_parse("table", &f, &e), 0);
	cr_expect_eq(f, TABLE_ALIGNED);
	cr_expect_eq(table_format_parse("CSV", &f, &e), 0);
	cr_expect_eq(f, TABLE_CSV);
	cr_expect_eq(table_format_parse("tsv", &f, &e), 0);
	cr_expect_eq(f, TABLE_TSV);
	cr_expect_eq(table_format_parse("xlsx", &f, &e), SE_INVALID);
	cr_expect_eq(f, TABLE_TSV, "a refused format leaves the choice");
	cr_expect_str_eq(e.msg, "format 'xlsx' is not table, csv or tsv");
	cr_expect_eq(table_format_parse(NULL, &f, &e), SE_INVALID);
}

/* Cells the caller keeps print as a table of copies of them would, in
 * every format; one line of CSV or TSV is a row of the same. */
Test(table, cells_kept_by_the_caller_print_as_a_table)
{
	const char *h[] = { "Name", "Note", "Days" };
	const char *cells[] = {
		"Zoë Brown", "=1+2", "-3",
		"李 Wei", "say \"hi\", twice", "12",
		"Ana\x01\xc3", "", "",
		"Siobhán Ó Súilleabháin", "tab\there\nline", "0",
	};
	const bool right[] = { false, false, true };
	enum table_format f[] = { TABLE_ALIGNED, TABLE_CSV, TABLE_TSV };
	struct table *t = table_new(3, h);

	table_align_right(t, 2);
	for (int r = 0; r < 4; r++)
		table_add(t, cells + 3 * r);
	for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
		char *a = render(t, f[k]), *b = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&b, &len);

		cr_assert_not_null(fp);
		table_print_cells(fp, f[k], 3, h, right, cells, 4);
		fclose(fp);
		cr_expect_str_eq(b, a, "format %d", (int)f[k]);
		free(a);
		free(b);
	}
	{
		char *a = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&a, &len);

		cr_assert_not_null(fp);
		table_write_row(fp, cells + 3, 3, TABLE_CSV);
		table_write_row(fp, cells + 9, 3, TABLE_TSV);
		fclose(fp);
		cr_expect_str_eq(a, "李 Wei,\"say \"\"hi\"\", twice\",12\n"
		    "Siobhán Ó Súilleabháin\ttab here line\t0\n");
		free(a);
	}
	{
		char *out = render(t, TABLE_ALIGNED);

		/* the bad bytes are '?', one cell each; the widest name sets
		 * the column; an empty last cell leaves no trailing space */
		cr_expect_str_eq(line_of(out, 0),
		    "Name                    Note             Days");
		cr_expect_str_eq(line_of(out, 2),
		    "李 Wei                  say \"hi\", twice    12");
		cr_expect_str_eq(line_of(out, 3), "Ana??");
		free(out);
	}
	table_free(t);
}
