/*
 * outcomefile.h: senco results import and senco attendance import for
 * the CLI and the UI: a CSV or TSV file from the MIS (any of the usual
 * encodings) read a row at a time into the outcome importer
 * (core/outcome.h has what a run does and which columns it reads).
 */
#ifndef SENCO_OUTCOMEFILE_H
#define SENCO_OUTCOMEFILE_H

#include "core/db.h"
#include "core/err.h"
#include "core/import.h"
#include "core/outcome.h"

/*
 * Import the file at path. res must be initialised by the caller
 * (import_result_init with the name messages should give) and is filled
 * whatever happens, for printing. Returns 0; SE_INVALID when rows were
 * refused without skip_bad (the message says nothing was written) or the
 * file cannot be read as a table of them (a missing column, an unclosed
 * quote, no header); SE_NOTFOUND or SE_IO for the file; or the error of
 * the database.
 */
int outcomefile_run(struct db *db, enum outcome_import_kind kind,
    const char *path, const struct import_opts *o, struct import_result *res,
    struct serr *e);

#endif
