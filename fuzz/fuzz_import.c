/*
 * fuzz_import.c: libFuzzer target for "senco import FILE"
 * (importfile_run in src/io/importfile.c): the input is written to one
 * file, rewritten for every input, and imported into a caseload that
 * already has five pupils on roll, so a row can add, change or leave a
 * pupil as it is. The file may be a table (CSV, TSV, any encoding) or a
 * CTF; fuzz_ctf goes deeper into the XML.
 *
 * The input's length picks the options, so that seeds stay plain files:
 * length % 3 == 0 a real run that writes the good rows (skip_bad),
 * 1 a real run that writes nothing if any row is refused, 2 a dry run.
 * Every run happens inside a transaction that is rolled back afterwards,
 * so each input starts from the same caseload. The result must add up
 * and print.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "io/importfile.h"
#include "fuzz_util.h"

int
fuzz_import_one(const uint8_t *data, size_t n)
{
	static char *path;
	struct db *db = fz_db();
	struct import_opts o = { .dry_run = n % 3 == 2, .skip_bad = n % 3 == 0,
	    .cfg = fz_config() };
	struct import_result res;
	struct serr e;
	char *s;
	int rc;

	if (path == NULL)
		path = fz_path("pupils.csv");
	fz_write(path, data, n);
	serr_clear(&e);
	FZ_ASSERT(db_begin(db, &e) == 0, "%s", e.msg);

	import_result_init(&res, "pupils.csv");
	rc = importfile_run(db, path, &o, &res, &e);
	FZ_ASSERT(rc == 0 || rc == SE_INVALID, "importfile_run: %d %s", rc,
	    e.msg);
	if (rc != 0)
		FZ_ASSERT(e.msg[0] != '\0', "an error without a message");
	FZ_ASSERT(res.added + res.changed + res.unchanged + res.refused <=
	    res.rows, "%d+%d+%d+%d pupils of %d rows", res.added, res.changed,
	    res.unchanged, res.refused, res.rows);
	FZ_ASSERT(!res.written || (!o.dry_run && rc == 0),
	    "written although dry run or refused");
	for (int i = 0; i < res.n_msgs; i++) {
		FZ_ASSERT(res.msgs[i].text != NULL && res.msgs[i].line >= 0,
		    "message %d", i);
		s = import_msg_format(&res, &res.msgs[i]);
		free(s);
	}
	s = import_summary(&res);
	FZ_ASSERT(s != NULL && strlen(s) > 0, "no summary");
	free(s);
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
	return fuzz_import_one(data, n);
}
#endif
