/*
 * importfile.c: one file in, whatever it is: the bytes are read once and
 * looked at; XML goes to the CTF reader, anything else is a table whose
 * first non-blank line is the header.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "io/csv.h"
#include "io/ctf.h"
#include "io/importfile.h"

/* A pupil list: header, then one pupil a line. */
static int
read_table(struct importer *im, const char *text, size_t len, char sep,
    struct import_result *res, struct serr *e)
{
	struct csv_reader *r = csv_open(text, len, sep);
	struct csv_record rec;
	bool header = true;
	int rc;

	while ((rc = csv_next(r, &rec, res->file, e)) == 1) {
		if (header) {
			rc = import_header(im, rec.fields, rec.n, rec.line, e);
			header = false;
		} else
			rc = import_record(im, rec.fields, rec.n, rec.line, e);
		if (rc != 0)
			break;
	}
	csv_close(r);
	if (rc == 0 && header)
		rc = serr_set(e, SE_INVALID, "%s: empty: no header line and no "
		    "pupils", res->file);
	return rc < 0 ? rc : 0;
}

int
importfile_run(struct db *db, const char *path, const struct import_opts *o,
    struct import_result *res, struct serr *e)
{
	struct importer *im = NULL;
	char *raw = NULL, *text = NULL;
	size_t n, len;
	enum csv_encoding enc;
	int rc;

	if ((rc = csv_slurp(path, &raw, &n, e)) != 0)
		return rc;
	if ((rc = import_begin(db, o, res, &im, e)) != 0)
		goto out;
	if (ctf_looks_like_xml(raw, n)) {
		/* libxml2 reads the encoding the XML declaration names. */
		rc = ctf_read(im, raw, n, res->file, res, e);
	} else {
		char sep;

		if ((rc = csv_decode(raw, n, res->file, &text, &len, &enc, e))
		    != 0)
			goto out;
		sep = csv_guess_separator(text, len);
		snprintf(res->format, sizeof res->format, "%s",
		    sep == '\t' ? "TSV" : "CSV");
		snprintf(res->encoding, sizeof res->encoding, "%s",
		    csv_encoding_name(enc));
		rc = read_table(im, text, len, sep, res, e);
	}
	if (rc != 0)
		goto out;
	rc = import_end(im, e);
	im = NULL;
out:
	if (im != NULL)
		import_abort(im);
	free(text);
	free(raw);
	return rc;
}
