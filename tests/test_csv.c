/*
 * test_csv.c: the CSV reader (RFC 4180 quoting, line ends, blank lines,
 * where each record starts) and the decoding of a file's bytes (BOM,
 * UTF-8 checks, the whole Windows-1252 table, UTF-16 and NUL refused).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "io/csv.h"

TestSuite(csv, .fini = th_cleanup);

/* All records of text, as "a|b|c@line" joined by newlines. Caller frees. */
static char *
records(const char *text, size_t n, char sep, int *rc_out)
{
	struct csv_reader *r = csv_open(text, n, sep);
	struct csv_record rec;
	struct serr e;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	int rc;

	serr_clear(&e);
	while ((rc = csv_next(r, &rec, "t.csv", &e)) == 1) {
		for (int i = 0; i < rec.n; i++)
			fprintf(fp, "%s%s", i ? "|" : "", rec.fields[i]);
		fprintf(fp, "@%d\n", rec.line);
	}
	if (rc < 0)
		fprintf(fp, "ERROR %s\n", e.msg);
	fclose(fp);
	csv_close(r);
	if (rc_out != NULL)
		*rc_out = rc;
	return out;
}

static void
expect(const char *text, char sep, const char *want)
{
	char *got = records(text, strlen(text), sep, NULL);

	cr_assert_str_eq(got, want, "for input [%s]", text);
	free(got);
}

Test(csv, plain_lf_and_crlf)
{
	expect("a,b,c\n1,2,3\n", ',', "a|b|c@1\n1|2|3@2\n");
	expect("a,b,c\r\n1,2,3\r\n", ',', "a|b|c@1\n1|2|3@2\n");
	/* No line end at the end of the file, and an old Mac CR. */
	expect("a,b\r1,2", ',', "a|b@1\n1|2@2\n");
}

Test(csv, quoted_commas_quotes_and_newlines)
{
	expect("\"Smith, J\",\"say \"\"hi\"\"\",x\n", ',',
	    "Smith, J|say \"hi\"|x@1\n");
	/* A field over three lines: the next record starts on line 4. */
	expect("h1,h2\n\"Flat 2\r\n8 Elm St\nLeeds\",z\nnext,row\n", ',',
	    "h1|h2@1\nFlat 2\r\n8 Elm St\nLeeds|z@2\nnext|row@5\n");
	/* Empty fields, quoted and not. */
	expect(",\"\",x,\n", ',', "||x|@1\n");
}

Test(csv, blank_lines_are_skipped_and_lines_still_count)
{
	expect("a,b\n\n\r\n1,2\n   \n,,\n3,4\n", ',',
	    "a|b@1\n1|2@4\n3|4@7\n");
}

Test(csv, forgiving_stray_quotes)
{
	/* A quote inside an unquoted field is kept; text after a closing
	 * quote is kept too. */
	expect("O\"Neill,\"ab\"cd,x\n", ',', "O\"Neill|abcd|x@1\n");
}

Test(csv, unclosed_quote_is_refused_with_its_line)
{
	int rc;
	char *got = records("a,b\n1,\"open\nmore\n", 17, ',', &rc);

	cr_assert_eq(rc, SE_INVALID);
	cr_assert(strstr(got, "ERROR t.csv:2: a quoted field is not closed")
	    != NULL, "%s", got);
	free(got);
}

Test(csv, other_separators)
{
	expect("a\tb\t\"c\td\"\n", '\t', "a|b|c\td@1\n");
	expect("a;b\n1;2\n", ';', "a|b@1\n1|2@2\n");
	cr_assert_eq(csv_guess_separator("UPN,Surname,DOB\n", 16), ',');
	cr_assert_eq(csv_guess_separator("UPN\tSurname\tDOB\n", 16), '\t');
	cr_assert_eq(csv_guess_separator("UPN;Surname;DOB\n", 16), ';');
	/* Commas inside quotes do not count. */
	cr_assert_eq(csv_guess_separator("\"a,b,c\"\tx\ty\n", 12), '\t');
	/* A blank first line: the header is on the next. */
	cr_assert_eq(csv_guess_separator("\n\na\tb\n", 6), '\t');
}

/* --- encodings ----------------------------------------------------------- */

Test(csv, utf8_validity)
{
	cr_assert(utf8_valid("Zo\xc3\xab", 4));
	cr_assert(utf8_valid("\xe6\x9d\x8e", 3));		/* 李 */
	cr_assert(utf8_valid("\xf0\x9f\x98\x80", 4));		/* emoji */
	cr_assert_not(utf8_valid("Zo\xeb", 3));		/* Latin-1 ë */
	cr_assert_not(utf8_valid("\xc0\xaf", 2));		/* overlong */
	cr_assert_not(utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	cr_assert_not(utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	cr_assert_not(utf8_valid("\xe6\x9d", 2));		/* cut short */
}

/* Decode one UTF-8 sequence (the tests' own decoder). */
static unsigned
cp_of(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*len = 2;
		return (unsigned)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	}
	*len = 3;
	return (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 |
	    (u[2] & 0x3F);
}

Test(csv, windows_1252_every_byte)
{
	/* The 0x80-0x9F block as published by Microsoft (bestfit1252);
	 * 0 marks the five undefined bytes, which map to C1 controls. */
	static const unsigned block[32] = {
		0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
	};

	for (unsigned b = 1; b < 256; b++) {
		char in[1] = { (char)b };
		size_t len;
		char *out = cp1252_to_utf8(in, 1, &len);
		unsigned want = b;
		int n;

		if (b >= 0x80 && b <= 0x9F && block[b - 0x80] != 0)
			want = block[b - 0x80];
		cr_assert(utf8_valid(out, len), "byte %02x", b);
		cr_assert_eq(cp_of(out, &n), want, "byte %02x", b);
		cr_assert_eq((size_t)n, len, "byte %02x", b);
		free(out);
	}
}

Test(csv, windows_1252_names_keep_their_accents)
{
	const char in[] = "Zo\xeb Bront\xeb, Se\xe1n O\x92" "Brien, \x80" "5, "
	    "\x93quoted\x94";
	char *out = cp1252_to_utf8(in, strlen(in), NULL);

	cr_assert_str_eq(out, "Zoë Brontë, Seán O’Brien, €5, “quoted”");
	free(out);
}

Test(csv, decode_picks_the_encoding)
{
	struct serr e;
	enum csv_encoding enc;
	char *out;
	size_t len;

	serr_clear(&e);
	cr_assert_eq(csv_decode("\xef\xbb\xbfUPN,Zo\xc3\xab\n", 12, "f", &out,
	    &len, &enc, &e), 0);
	cr_assert_eq(enc, CSV_ENC_UTF8_BOM);
	cr_assert_str_eq(out, "UPN,Zoë\n", "the byte-order mark is dropped");
	cr_assert_eq(len, strlen(out));
	free(out);

	cr_assert_eq(csv_decode("UPN,Zo\xc3\xab\n", 9, "f", &out, &len, &enc,
	    &e), 0);
	cr_assert_eq(enc, CSV_ENC_UTF8);
	free(out);

	cr_assert_eq(csv_decode("UPN,Zo\xeb\n", 8, "f", &out, &len, &enc, &e),
	    0);
	cr_assert_eq(enc, CSV_ENC_CP1252);
	cr_assert_str_eq(out, "UPN,Zoë\n");
	cr_assert_str_eq(csv_encoding_name(enc), "Windows-1252");
	free(out);
}

Test(csv, decode_refuses_utf16_nul_and_a_lying_bom)
{
	struct serr e;
	enum csv_encoding enc;
	char *out;
	size_t len;

	serr_clear(&e);
	cr_assert_eq(csv_decode("\xff\xfeU\0P\0N\0", 8, "list.csv", &out,
	    &len, &enc, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "list.csv: is UTF-16") != NULL, "%s", e.msg);
	cr_assert_null(out);
	cr_assert_eq(csv_decode("UPN\0x", 5, "list.csv", &out, &len, &enc, &e),
	    SE_INVALID);
	cr_assert(strstr(e.msg, "NUL") != NULL, "%s", e.msg);
	cr_assert_eq(csv_decode("\xef\xbb\xbfZo\xeb", 6, "list.csv", &out,
	    &len, &enc, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "byte-order mark") != NULL, "%s", e.msg);
}

Test(csv, read_file_and_its_errors)
{
	const char *path = th_path("list.csv");
	FILE *fp = fopen(path, "wb");
	struct serr e;
	enum csv_encoding enc;
	char *out;
	size_t len;

	cr_assert_not_null(fp);
	fputs("UPN,Surname\r\nA801200005010,M\xfcller\r\n", fp);
	fclose(fp);
	serr_clear(&e);
	cr_assert_eq(csv_read_file(path, &out, &len, &enc, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(enc, CSV_ENC_CP1252);
	cr_assert_str_eq(out, "UPN,Surname\r\nA801200005010,Müller\r\n");
	free(out);

	cr_assert_eq(csv_read_file(th_path("none.csv"), &out, &len, &enc, &e),
	    SE_NOTFOUND);
	cr_assert(strstr(e.msg, "none.csv: No such file") != NULL, "%s",
	    e.msg);
	cr_assert_eq(csv_read_file(th_tmpdir(), &out, &len, &enc, &e),
	    SE_INVALID);
	cr_assert(strstr(e.msg, "is a directory") != NULL, "%s", e.msg);
}
