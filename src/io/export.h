/*
 * export.h: the caseload as spreadsheets: the pupil register, every
 * target with its ratings and outcome, the provision map with the cost
 * to each pupil, and the cycles with their decisions. CSV (RFC 4180,
 * UTF-8) or TSV, each cell guarded against spreadsheet formulas by
 * table_write_cell.
 */
#ifndef SENCO_EXPORT_H
#define SENCO_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "core/db.h"
#include "core/err.h"
#include "io/table.h"

enum export_kind {
	EXPORT_PUPILS = 0,	/* the register */
	EXPORT_TARGETS,		/* targets, ratings, outcomes */
	EXPORT_PROVISION,	/* the provision map, cost per pupil */
	EXPORT_CYCLES,		/* cycles and their decisions */
	EXPORT_KIND_COUNT
};

/* "pupils", "targets", "provision", "cycles". */
const char *export_kind_name(enum export_kind k);
int export_kind_parse(const char *s, enum export_kind *out, struct serr *e);

struct export_opts {
	enum table_format format;	/* TABLE_CSV or TABLE_TSV */
	bool include_archived;		/* pupils who have left, too */
};

/*
 * Write one export with its header line to fp. The pupils export uses
 * the column names senco import reads, so it can be imported again.
 * *rows (may be NULL) receives the number of data lines. Returns 0 or
 * an SE_ code (SE_IO if fp could not be written).
 */
int export_write(struct db *db, enum export_kind kind,
    const struct export_opts *o, FILE *fp, int *rows, struct serr *e);

#endif
