/*
 * outcomefile.c: a results or attendance file in: the bytes are decoded
 * (UTF-8, with or without a byte-order mark, or Windows-1252), the
 * separator guessed, and the first non-blank line read as the header.
 */
#include <stdio.h>
#include <stdlib.h>

#include "io/csv.h"
#include "io/outcomefile.h"

int
outcomefile_run(struct db *db, enum outcome_import_kind kind,
    const char *path, const struct import_opts *o, struct import_result *res,
    struct serr *e)
{
	struct outcome_importer *im = NULL;
	struct csv_reader *rd = NULL;
	struct csv_record rec;
	enum csv_encoding enc;
	char *text = NULL, sep;
	bool header = true;
	size_t len;
	int rc;

	if ((rc = csv_read_file(path, &text, &len, &enc, e)) != 0)
		return rc;
	sep = csv_guess_separator(text, len);
	snprintf(res->format, sizeof res->format, "%s",
	    sep == '\t' ? "TSV" : "CSV");
	snprintf(res->encoding, sizeof res->encoding, "%s",
	    csv_encoding_name(enc));
	if ((rc = outcome_import_begin(db, kind, o, res, &im, e)) != 0)
		goto out;
	rd = csv_open(text, len, sep);
	while ((rc = csv_next(rd, &rec, res->file, e)) == 1) {
		if (header) {
			rc = outcome_import_header(im, rec.fields, rec.n,
			    rec.line, e);
			header = false;
		} else
			rc = outcome_import_record(im, rec.fields, rec.n,
			    rec.line, e);
		if (rc != 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	if (header) {
		rc = serr_set(e, SE_INVALID, "%s: empty: no header line naming "
		    "the columns", res->file);
		goto out;
	}
	rc = outcome_import_end(im, e);
	im = NULL;
out:
	outcome_import_abort(im);
	csv_close(rd);
	free(text);
	return rc;
}
