/*
 * fuzz_csv.c: libFuzzer target for the CSV layer (src/io/csv.c): the
 * decoding of a file's bytes into UTF-8 and the RFC 4180 reader.
 *
 * Besides "no crash, no leak, no undefined behaviour" it checks what
 * csv.h promises:
 * - csv_decode gives valid UTF-8 without NUL bytes, of the length it
 *   says; valid UTF-8 without a byte-order mark comes back unchanged;
 * - utf8_valid agrees with a plain decoder written here;
 * - cp1252_to_utf8 gives valid UTF-8 whatever the bytes;
 * - every record read with each separator, written back out quoted and
 *   read again, gives the same fields (so the reader and a writer that
 *   follows RFC 4180 agree).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "io/csv.h"
#include "fuzz_util.h"

/* A second opinion on UTF-8: decode each sequence and check the code
 * point against the ranges the standard allows. */
static bool
ref_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c = s[i], min;
		int more;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			more = 1, c &= 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			more = 2, c &= 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			more = 3, c &= 0x07, min = 0x10000;
		} else
			return false;
		if (n - i <= (size_t)more)
			return false;
		for (int k = 1; k <= more; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			c = c << 6 | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		i += (size_t)more + 1;
	}
	return true;
}

struct out {
	char *s;
	size_t len, cap;
};

static void
out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->s = xrealloc(o->s, o->cap);
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* A record as RFC 4180 writes it: every field quoted, quotes doubled. */
static void
write_record(struct out *o, const struct csv_record *rec, char sep)
{
	for (int i = 0; i < rec->n; i++) {
		const char *f = rec->fields[i];

		if (i > 0)
			out_put(o, &sep, 1);
		out_put(o, "\"", 1);
		for (; *f != '\0'; f++) {
			out_put(o, f, 1);
			if (*f == '"')
				out_put(o, "\"", 1);
		}
		out_put(o, "\"", 1);
	}
	out_put(o, "\r\n", 2);
}

struct saved {
	char **fields;
	int n;
};

/* Read every record of text with sep; check the round trip. */
static void
read_all(const char *text, size_t len, char sep)
{
	struct csv_reader *r = csv_open(text, len, sep);
	struct csv_record rec;
	struct saved *recs = NULL;
	struct out o = { NULL, 0, 0 };
	struct serr e;
	int rc, nrec = 0, last_line = 0;

	serr_clear(&e);
	while ((rc = csv_next(r, &rec, "fuzz.csv", &e)) == 1) {
		FZ_ASSERT(rec.n >= 1, "a record with %d fields", rec.n);
		FZ_ASSERT(rec.line > last_line, "line %d after line %d",
		    rec.line, last_line);
		last_line = rec.line;
		recs = xreallocarray(recs, (size_t)nrec + 1, sizeof *recs);
		recs[nrec].n = rec.n;
		recs[nrec].fields = xcalloc((size_t)rec.n, sizeof(char *));
		for (int i = 0; i < rec.n; i++) {
			recs[nrec].fields[i] = xstrdup(rec.fields[i]);
			FZ_ASSERT(utf8_valid(rec.fields[i],
			    strlen(rec.fields[i])), "field %d not UTF-8", i);
		}
		nrec++;
		write_record(&o, &rec, sep);
	}
	csv_close(r);
	FZ_ASSERT(rc == 0 || rc == SE_INVALID, "csv_next returned %d", rc);
	if (rc != 0)
		FZ_ASSERT(strstr(e.msg, "quoted field is not closed") != NULL,
		    "unexpected message: %s", e.msg);

	/* The same records again from the quoted form. */
	r = csv_open(o.s != NULL ? o.s : "", o.len, sep);
	for (int k = 0; k < nrec; k++) {
		rc = csv_next(r, &rec, "again.csv", &e);
		FZ_ASSERT(rc == 1, "record %d of %d lost on re-reading (%d)",
		    k + 1, nrec, rc);
		FZ_ASSERT(rec.n == recs[k].n, "record %d: %d fields, then %d",
		    k + 1, recs[k].n, rec.n);
		for (int i = 0; i < rec.n; i++)
			FZ_ASSERT(strcmp(rec.fields[i], recs[k].fields[i]) == 0,
			    "record %d field %d changed", k + 1, i + 1);
	}
	FZ_ASSERT(csv_next(r, &rec, "again.csv", &e) == 0,
	    "more records on re-reading than %d", nrec);
	csv_close(r);

	for (int k = 0; k < nrec; k++) {
		for (int i = 0; i < recs[k].n; i++)
			free(recs[k].fields[i]);
		free(recs[k].fields);
	}
	free(recs);
	free(o.s);
}

int
fuzz_csv_one(const uint8_t *data, size_t n)
{
	const char *raw = (const char *)data;
	enum csv_encoding enc;
	struct serr e;
	char *text, *w;
	size_t len, wlen;
	bool valid = utf8_valid(raw, n);
	int rc;

	FZ_ASSERT(valid == ref_utf8_valid(data, n), "utf8_valid says %d",
	    (int)valid);

	w = cp1252_to_utf8(raw, n, &wlen);
	FZ_ASSERT(wlen <= 3 * n && strlen(w) <= wlen, "length %zu for %zu",
	    wlen, n);
	FZ_ASSERT(utf8_valid(w, wlen), "cp1252_to_utf8 made bad UTF-8");
	free(w);

	serr_clear(&e);
	rc = csv_decode(raw, n, "fuzz.csv", &text, &len, &enc, &e);
	if (rc != 0) {
		FZ_ASSERT(rc == SE_INVALID && text == NULL && e.msg[0] != '\0',
		    "csv_decode returned %d", rc);
		return 0;
	}
	FZ_ASSERT(strlen(text) == len, "decoded text has a NUL");
	FZ_ASSERT(utf8_valid(text, len), "decoded text is not UTF-8");
	if (enc == CSV_ENC_UTF8)
		FZ_ASSERT(len == n && memcmp(text, raw, n) == 0,
		    "UTF-8 text changed in decoding");
	FZ_ASSERT(strcmp(csv_encoding_name(enc), "unknown") != 0, "enc %d",
	    (int)enc);

	read_all(text, len, csv_guess_separator(text, len));
	read_all(text, len, ',');
	read_all(text, len, '\t');
	read_all(text, len, ';');
	free(text);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_csv_one(data, n);
}
#endif
