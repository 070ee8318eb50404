/*
 * importfile.h: "senco import FILE" for the CLI and the UI: a pupil list
 * exported from an MIS (CSV or TSV, any of the usual encodings) or a
 * Common Transfer File, told apart by content rather than by name.
 */
#ifndef SENCO_IMPORTFILE_H
#define SENCO_IMPORTFILE_H

#include "core/db.h"
#include "core/err.h"
#include "core/import.h"

/*
 * Import the file at path into db (see import.h for what a run does).
 * res must be initialised by the caller (import_result_init with the name
 * messages should give) and is filled whatever happens, for printing.
 * Returns 0; SE_INVALID when rows were refused without skip_bad (the
 * message says nothing was written) or when the file cannot be read as a
 * pupil list at all (a missing column, an unclosed quote, bad XML); or
 * another SE_ code (no such file, database trouble).
 */
int importfile_run(struct db *db, const char *path,
    const struct import_opts *o, struct import_result *res, struct serr *e);

#endif
