/*
 * csv.c: an RFC 4180 reader that forgives what real files do (see
 * csv.h), and the decoding of a file's bytes into UTF-8.
 *
 * The whole file is read into memory and decoded once: a pupil list of
 * 100,000 rows is about 10 MB, and the reader then walks plain UTF-8
 * without caring where the bytes came from.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "io/csv.h"

/* A file larger than this is not a pupil list. */
#define CSV_MAX_BYTES ((size_t)512 * 1024 * 1024)

/*
 * Windows-1252 to Unicode, every byte. 0x80-0x9F hold the typographic
 * characters spreadsheets produce (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – —
 * ˜ ™ š › œ ž Ÿ); the five the code page leaves undefined (81 8D 8F 90
 * 9D) map to the C1 controls of the same value. 0xA0-0xFF is Latin-1.
 */
static const uint16_t cp1252[256] = {
	0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007,
	0x0008, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x000E, 0x000F,
	0x0010, 0x0011, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0017,
	0x0018, 0x0019, 0x001A, 0x001B, 0x001C, 0x001D, 0x001E, 0x001F,
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
	0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x007F,
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
	0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
	0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
	0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
	0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
	0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};

const char *
csv_encoding_name(enum csv_encoding enc)
{
	switch (enc) {
	case CSV_ENC_UTF8:	return "UTF-8";
	case CSV_ENC_UTF8_BOM:	return "UTF-8 with byte-order mark";
	case CSV_ENC_CP1252:	return "Windows-1252";
	}
	return "unknown";
}

/* The length of the well-formed UTF-8 sequence at s (at most n bytes
 * left), or 0 if it is not one. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((s[0] == 0xE0 && s[1] < 0xA0) ||	/* overlong */
		    (s[0] == 0xED && s[1] >= 0xA0))	/* surrogate */
			return 0;
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((s[0] == 0xF0 && s[1] < 0x90) ||	/* overlong */
		    (s[0] == 0xF4 && s[1] >= 0x90))	/* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		/* Runs of ASCII are the common case: skip them fast. */
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

/* Returns a string the caller frees. */
char *
cp1252_to_utf8(const char *s, size_t n, size_t *out_len)
{
	/* No character of the code page takes more than 3 bytes. */
	char *out = xmalloc(3 * n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		uint16_t c = cp1252[(unsigned char)s[i]];

		if (c < 0x80)
			*o++ = (char)c;
		else if (c < 0x800) {
			*o++ = (char)(0xC0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (char)(0xE0 | c >> 12);
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*o = '\0';
	if (out_len != NULL)
		*out_len = (size_t)(o - out);
	return out;
}

int
csv_decode(const char *data, size_t n, const char *what, char **out,
    size_t *out_len, enum csv_encoding *enc, struct serr *e)
{
	const unsigned char *u = (const unsigned char *)data;

	*out = NULL;
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
	    (u[0] == 0xFE && u[1] == 0xFF)))
		return serr_set(e, SE_INVALID, "%s: is UTF-16 text (\"Unicode "
		    "text\"); save it from the spreadsheet as \"CSV UTF-8\" or "
		    "\"CSV (comma delimited)\" and import that", what);
	if (memchr(data, '\0', n) != NULL)
		return serr_set(e, SE_INVALID, "%s: contains NUL bytes: not a "
		    "text file", what);
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		*enc = CSV_ENC_UTF8_BOM;
		data += 3;
		n -= 3;
		if (!utf8_valid(data, n))
			return serr_set(e, SE_INVALID, "%s: starts with a UTF-8 "
			    "byte-order mark but is not UTF-8 text", what);
	} else if (utf8_valid(data, n))
		*enc = CSV_ENC_UTF8;
	else {
		*enc = CSV_ENC_CP1252;
		*out = cp1252_to_utf8(data, n, out_len);
		return 0;
	}
	*out = xmalloc(n + 1);
	memcpy(*out, data, n);
	(*out)[n] = '\0';
	*out_len = n;
	return 0;
}

int
csv_slurp(const char *path, char **out, size_t *out_len, struct serr *e)
{
	struct stat sb;
	char *data = NULL;
	size_t len = 0, cap;
	ssize_t got;
	int fd, ret = 0;

	*out = NULL;
	*out_len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return serr_set(e, errno == ENOENT ? SE_NOTFOUND : SE_IO,
		    "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		ret = serr_set(e, SE_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		ret = serr_set(e, SE_INVALID, "%s: is a directory", path);
		goto out;
	}
	if (S_ISREG(sb.st_mode) && (size_t)sb.st_size > CSV_MAX_BYTES) {
		ret = serr_set(e, SE_INVALID, "%s: too large for a pupil list "
		    "(%lld bytes)", path, (long long)sb.st_size);
		goto out;
	}
	/* st_size is only a hint: pipes and growing files say otherwise. */
	cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536;
	data = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= CSV_MAX_BYTES) {
				ret = serr_set(e, SE_INVALID, "%s: too large "
				    "for a pupil list", path);
				goto out;
			}
			cap *= 2;
			data = xrealloc(data, cap);
		}
		got = read(fd, data + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = serr_set(e, SE_IO, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	data[len] = '\0';
	*out = data;
	*out_len = len;
	data = NULL;
out:
	free(data);
	close(fd);
	return ret;
}

int
csv_read_file(const char *path, char **out, size_t *out_len,
    enum csv_encoding *enc, struct serr *e)
{
	char *data;
	size_t len;
	int ret;

	*out = NULL;
	if ((ret = csv_slurp(path, &data, &len, e)) != 0)
		return ret;
	ret = csv_decode(data, len, path, out, out_len, enc, e);
	free(data);
	return ret;
}

char
csv_guess_separator(const char *text, size_t n)
{
	int comma = 0, tab = 0, semi = 0;
	bool quoted = false;

	for (size_t i = 0; i < n; i++) {
		char c = text[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r') {
			/* A blank first line: keep looking for the header. */
			if (comma + tab + semi > 0)
				break;
		} else if (c == ',')
			comma++;
		else if (c == '\t')
			tab++;
		else if (c == ';')
			semi++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma && semi > tab)
		return ';';
	return ',';
}

/* --- the reader -------------------------------------------------------- */

struct csv_reader {
	const char *p, *end;
	char sep;
	int line;		/* physical line of p, from 1 */
	char *buf;		/* the fields of a record, NUL-separated */
	size_t len, cap;
	size_t *offs;		/* where each field starts in buf */
	char **fields;
	int nf, capf;
};

/* Returns a reader the caller frees with csv_close. */
struct csv_reader *
csv_open(const char *text, size_t n, char sep)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);

	r->p = text;
	r->end = text + n;
	r->sep = sep;
	r->line = 1;
	r->cap = 256;
	r->buf = xmalloc(r->cap);
	return r;
}

void
csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->offs);
	free(r->fields);
	free(r);
}

static void
put(struct csv_reader *r, char c)
{
	if (r->len == r->cap) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	r->buf[r->len++] = c;
}

static void
start_field(struct csv_reader *r)
{
	if (r->nf == r->capf) {
		r->capf = r->capf ? r->capf * 2 : 32;
		r->offs = xreallocarray(r->offs, (size_t)r->capf,
		    sizeof *r->offs);
		r->fields = xreallocarray(r->fields, (size_t)r->capf,
		    sizeof *r->fields);
	}
	r->offs[r->nf++] = r->len;
}

/* At a line end (CRLF, LF or a lone CR): step over it. */
static bool
eat_eol(struct csv_reader *r)
{
	if (r->p < r->end && *r->p == '\r') {
		r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		r->line++;
		return true;
	}
	if (r->p < r->end && *r->p == '\n') {
		r->p++;
		r->line++;
		return true;
	}
	return false;
}

int
csv_next(struct csv_reader *r, struct csv_record *rec, const char *what,
    struct serr *e)
{
	for (;;) {
		int start = r->line;
		bool blank = true;

		if (r->p >= r->end)
			return 0;
		r->len = 0;
		r->nf = 0;
		for (;;) {
			start_field(r);
			if (r->p < r->end && *r->p == '"') {
				int qline = r->line;

				r->p++;
				for (;;) {
					if (r->p >= r->end)
						return serr_set(e, SE_INVALID,
						    "%s:%d: a quoted field is "
						    "not closed", what, qline);
					if (*r->p == '"') {
						if (r->p + 1 < r->end &&
						    r->p[1] == '"') {
							put(r, '"');
							r->p += 2;
							continue;
						}
						r->p++;
						break;
					}
					if (*r->p == '\n' || (*r->p == '\r' &&
					    (r->p + 1 >= r->end ||
					    r->p[1] != '\n')))
						r->line++;
					put(r, *r->p++);
				}
				blank = false;
			}
			/* Unquoted text, or (forgiven) text after a closing
			 * quote: up to the separator or the line end. */
			while (r->p < r->end && *r->p != r->sep &&
			    *r->p != '\n' && *r->p != '\r') {
				if (*r->p != ' ' && *r->p != '\t')
					blank = false;
				put(r, *r->p++);
			}
			put(r, '\0');
			if (r->p < r->end && *r->p == r->sep) {
				r->p++;
				continue;
			}
			eat_eol(r);
			break;
		}
		if (blank)
			continue;
		for (int i = 0; i < r->nf; i++)
			r->fields[i] = r->buf + r->offs[i];
		rec->fields = r->fields;
		rec->n = r->nf;
		rec->line = start;
		return 1;
	}
}
