/*
 * fuzz_ctf.c: libFuzzer target for the Common Transfer File reader
 * (ctf_read in src/io/ctf.c, over libxml2), fed from memory into a
 * caseload that already has five pupils on roll.
 *
 * The input's length picks the options as in fuzz_import (% 3: real run
 * writing the good pupils, real run all-or-nothing, dry run); every run
 * is rolled back afterwards. After a real run that wrote pupils, the
 * caseload is written out again as a CTF (ctf_write) and that file is
 * read back in a dry run: senco must accept every pupil of a CTF it
 * wrote itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <sqlite3.h>

#include "core/import.h"
#include "core/xmalloc.h"
#include "io/ctf.h"
#include "fuzz_util.h"

static int
run(struct db *db, const struct import_opts *o, const char *data, size_t n,
    const char *name, struct import_result *res, struct serr *e)
{
	struct importer *im;
	int rc;

	import_result_init(res, name);
	if ((rc = import_begin(db, o, res, &im, e)) != 0)
		return rc;
	if ((rc = ctf_read(im, data, n, name, res, e)) != 0) {
		import_abort(im);
		return rc;
	}
	return import_end(im, e);
}

/* Write every pupil of the caseload as a CTF and read it back. */
static void
round_trip(struct db *db)
{
	struct import_opts o = { .dry_run = true, .skip_bad = false,
	    .cfg = fz_config() };
	struct import_result res;
	sqlite3_stmt *st;
	char **upns = NULL, *buf = NULL;
	size_t len = 0;
	int n = 0, rc;
	struct serr e;
	FILE *fp;

	FZ_ASSERT(sqlite3_prepare_v2(db_handle(db), "SELECT upn FROM pupil "
	    "ORDER BY upn", -1, &st, NULL) == SQLITE_OK, "select upn");
	while (sqlite3_step(st) == SQLITE_ROW) {
		upns = xreallocarray(upns, (size_t)n + 1, sizeof *upns);
		upns[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);

	serr_clear(&e);
	fp = open_memstream(&buf, &len);
	FZ_ASSERT(fp != NULL, "open_memstream");
	rc = ctf_write(db, fz_config(), (const char *const *)upns, n, fp, &e);
	fclose(fp);
	FZ_ASSERT(rc == 0, "ctf_write: %s", e.msg);

	rc = run(db, &o, buf, len, "written.xml", &res, &e);
	if (rc != 0 || res.refused != 0) {
		fprintf(stderr, "--- the CTF senco wrote:\n%s\n---\n", buf);
		for (int i = 0; i < res.n_msgs; i++)
			fprintf(stderr, "%d: %s\n", res.msgs[i].line,
			    res.msgs[i].text);
	}
	FZ_ASSERT(rc == 0 && res.refused == 0, "a CTF senco wrote was "
	    "refused: %s", e.msg);
	FZ_ASSERT(res.rows == n, "%d pupils written, %d read", n, res.rows);
	import_result_free(&res);
	for (int i = 0; i < n; i++)
		free(upns[i]);
	free(upns);
	free(buf);
}

int
fuzz_ctf_one(const uint8_t *data, size_t n)
{
	static bool started;
	struct db *db = fz_db();
	struct import_opts o = { .dry_run = n % 3 == 2, .skip_bad = n % 3 == 0,
	    .cfg = fz_config() };
	struct import_result res;
	struct serr e;
	char *s;
	int rc;

	if (!started) {
		xmlInitParser();
		started = true;
	}
	(void)ctf_looks_like_xml((const char *)data, n);
	serr_clear(&e);
	FZ_ASSERT(db_begin(db, &e) == 0, "%s", e.msg);

	rc = run(db, &o, (const char *)data, n, "pupils.xml", &res, &e);
	FZ_ASSERT(rc == 0 || rc == SE_INVALID, "ctf_read: %d %s", rc, e.msg);
	if (rc != 0)
		FZ_ASSERT(e.msg[0] != '\0', "an error without a message");
	FZ_ASSERT(res.added + res.changed + res.unchanged + res.refused <=
	    res.rows, "%d+%d+%d+%d pupils of %d rows", res.added, res.changed,
	    res.unchanged, res.refused, res.rows);
	for (int i = 0; i < res.n_msgs; i++) {
		s = import_msg_format(&res, &res.msgs[i]);
		free(s);
	}
	s = import_summary(&res);
	free(s);
	if (rc == 0 && res.written)
		round_trip(db);
	import_result_free(&res);

	db_rollback(db);
	FZ_ASSERT(!db_in_transaction(db), "a transaction left open");
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_ctf_one(data, n);
}
#endif
