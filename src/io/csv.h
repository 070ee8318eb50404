/*
 * csv.h: reading the CSV files that spreadsheets and school management
 * information systems (MIS) write: RFC 4180 quoting (commas, doubled
 * quotes and line breaks inside quotes), CRLF or LF line ends, a UTF-8
 * byte-order mark, blank lines, and Windows-1252 text from spreadsheet
 * programs, turned into UTF-8 so that names keep their accents.
 */
#ifndef SENCO_CSV_H
#define SENCO_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* How the bytes of a file were read. */
enum csv_encoding {
	CSV_ENC_UTF8 = 0,	/* UTF-8 (or plain ASCII) */
	CSV_ENC_UTF8_BOM,	/* UTF-8 with a byte-order mark (skipped) */
	CSV_ENC_CP1252,		/* not UTF-8: read as Windows-1252 */
};
/* "UTF-8", "UTF-8 with byte-order mark", "Windows-1252". */
const char *csv_encoding_name(enum csv_encoding enc);

/* Whether n bytes at s are well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* n bytes of Windows-1252 as UTF-8 (every byte is mapped; the five bytes
 * the code page leaves undefined become the C1 controls of the same
 * value, as browsers do). *out_len, if given, receives the length.
 * Returns a NUL-terminated string the caller frees. */
char *cp1252_to_utf8(const char *s, size_t n, size_t *out_len);

/*
 * Make n bytes of a file into UTF-8 text: a UTF-8 byte-order mark is
 * dropped, valid UTF-8 is kept, anything else is read as Windows-1252.
 * UTF-16 (byte-order mark FF FE or FE FF) is refused with a hint, as are
 * NUL bytes. Returns 0 with *out (NUL-terminated, caller frees), *out_len
 * and *enc, or SE_INVALID naming `what` (the file name).
 */
int csv_decode(const char *data, size_t n, const char *what, char **out,
    size_t *out_len, enum csv_encoding *enc, struct serr *e);
/* The bytes of a whole file, as they are. *out (NUL-terminated, caller
 * frees) and *out_len; SE_NOTFOUND, SE_IO or SE_INVALID name the path. */
int csv_slurp(const char *path, char **out, size_t *out_len,
    struct serr *e);
/* Read a whole file and csv_decode it. SE_NOTFOUND, SE_IO or SE_INVALID
 * name the path. *out is the caller's to free. */
int csv_read_file(const char *path, char **out, size_t *out_len,
    enum csv_encoding *enc, struct serr *e);

/* The separator most likely used by the first line of text: ',' unless
 * that line has more tabs or semicolons (outside quotes) than commas. */
char csv_guess_separator(const char *text, size_t n);

struct csv_reader;

/* One record: fields[0..n-1], NUL-terminated UTF-8, valid until the next
 * csv_next() or csv_close(). line is the physical line (from 1) where
 * the record starts. */
struct csv_record {
	char **fields;
	int n;
	int line;
};

/* A reader over n bytes of text (not copied: text must outlive the
 * reader). sep is ',' for CSV, '\t' for TSV, or ';'. Caller frees with
 * csv_close. */
struct csv_reader *csv_open(const char *text, size_t n, char sep);
/*
 * The next record: 1 with *rec filled, 0 at the end of the text, or
 * SE_INVALID for a quoted field that is never closed ("<what>:<line>: a
 * quoted field is not closed"). Blank lines, and lines of separators
 * alone, are skipped.
 */
int csv_next(struct csv_reader *r, struct csv_record *rec, const char *what,
    struct serr *e);
void csv_close(struct csv_reader *r);

#endif
