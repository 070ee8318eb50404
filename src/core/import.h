/*
 * import.h: bringing pupils in from outside (an MIS pupil list, a Common
 * Transfer File), whatever the file format: the recognition of column
 * headers, the reading and checking of each value, matching by UPN, and
 * the one transaction that adds and updates pupils.
 *
 * The readers in src/io/ (CSV, CTF) turn a file into rows and hand them
 * here one at a time; everything the user sees comes back in a struct
 * import_result that the CLI and the UI both print.
 *
 * A real run is one transaction. Every row is read and checked; a refused
 * row is listed as "file:line: field: why" and the rows after it are still
 * read, so that the user sees every problem at once. If any row was
 * refused nothing is written, unless skip_bad is set: then the good rows
 * are written and the refused ones still listed. A dry run reads and
 * checks the same way and writes nothing.
 */
#ifndef SENCO_IMPORT_H
#define SENCO_IMPORT_H

#include <stdbool.h>
#include "config.h"
#include "db.h"
#include "err.h"

/* What a column (or a CTF element) holds. */
enum import_field {
	IMPORT_UPN = 0,
	IMPORT_LEGAL_SURNAME,
	IMPORT_LEGAL_FORENAME,
	IMPORT_PREFERRED_SURNAME,
	IMPORT_PREFERRED_FORENAME,
	IMPORT_DOB,
	IMPORT_YEAR,
	IMPORT_CLASS,
	IMPORT_GENDER,
	IMPORT_STATUS,
	IMPORT_NEED1,		/* primary need */
	IMPORT_NEED2,		/* secondary need */
	IMPORT_NEED3,
	IMPORT_NEED4,
	IMPORT_PP,
	IMPORT_FSM,
	IMPORT_CIC,
	IMPORT_EAL,
	IMPORT_ATTENDANCE,
	IMPORT_FIELD_COUNT
};
/* A config mapping may send a column to "ignore": it is read by no one
 * and not listed among the unused columns. */
#define IMPORT_FIELD_IGNORE IMPORT_FIELD_COUNT

/* The name used in the config ("legal_surname"). */
const char *import_field_key(enum import_field f);
/* Words for messages ("legal surname"). */
const char *import_field_label(enum import_field f);
/* A config name to a field, IMPORT_FIELD_IGNORE for "ignore", or -1. */
int import_field_parse(const char *key);
/* The field a column header stands for by the built-in names (UPN,
 * Legal Surname, DOB, NC Year, Reg, SEN Status, Primary Need, FSM ...),
 * case and spaces ignored; -1 if none. *rank (may be NULL) is lower for
 * the more specific name ("Legal Surname" beats "Surname"). */
int import_header_field(const char *header, int *rank);

struct import_opts {
	bool dry_run;		/* read and check, write nothing */
	bool skip_bad;		/* write the good rows even if some are refused */
	const struct config *cfg;	/* the import column mapping; may be NULL */
	bool quiet;		/* no IMSG_ADDED or IMSG_CHANGED messages (the
				 * caller shows only refusals and notices) */
};

enum import_msg_kind {
	IMSG_REFUSED = 0,	/* a row that is not imported, and why */
	IMSG_NOTICE,		/* imported, but read in a way worth saying */
	IMSG_ADDED,		/* a new pupil */
	IMSG_CHANGED,		/* a known pupil with fields changed */
};

struct import_msg {
	enum import_msg_kind kind;
	int line;		/* where in the file; 0 = the file as a whole */
	char *text;		/* "UPN: ...", without the "file:line: " */
};

struct import_result {
	char *file;		/* the name messages give */
	char format[16];	/* "CSV", "TSV", "CTF" */
	char encoding[40];	/* "UTF-8", "Windows-1252" ... */
	int rows;		/* pupils read (header lines not counted) */
	int added, changed, unchanged, refused;
	bool dry_run;
	bool written;		/* the transaction was committed */
	struct import_msg *msgs;	/* in file order */
	int n_msgs, cap_msgs;
};

void import_result_init(struct import_result *r, const char *file);
void import_result_free(struct import_result *r);
/* "file:line: text" (or "file: text"). Caller frees. */
char *import_msg_format(const struct import_result *r,
    const struct import_msg *m);
/* One or two lines ending in "\n": what was read and what became of it
 * ("pupils.csv (CSV, Windows-1252): 120 pupils: 100 added, 15 changed, 3
 * unchanged, 2 refused."), and whether anything was written. Caller
 * frees. */
char *import_summary(const struct import_result *r);

/* --- the importer, for readers of file formats ----------------------------- */

struct importer;

/* One entry of a SEN history as read (CTF SENhistory/SEN). */
struct import_sen {
	const char *status;	/* SENprovision as written */
	const char *start;	/* StartDate as written */
	int line;
};

/* A pupil as read. v[f] NULL means the file does not give that field;
 * "" means it gives it empty. */
struct import_row {
	int line;
	const char *v[IMPORT_FIELD_COUNT];
	int lines[IMPORT_FIELD_COUNT];		/* 0: the row's line */
	const char *labels[IMPORT_FIELD_COUNT];	/* NULL: the field's words */
	/* A SEN history (CTF), any order; when given, v[IMPORT_STATUS] is
	 * not read. The labels name the elements in messages. */
	const struct import_sen *history;
	int n_history;
	const char *history_status_label, *history_start_label;
	/* A problem the reader found in the row's structure ("SENtypeRank:
	 * rank 1 given twice"): the row is refused with it, at problem_line
	 * (0: the row's line). */
	const char *problem;
	int problem_line;
};

/*
 * Start an import into db. res (initialised by the caller with the file
 * name) receives counts and messages. A real run begins the transaction
 * here. Returns 0 with *out (finish with import_end or import_abort), or
 * an SE_ code.
 */
int import_begin(struct db *db, const struct import_opts *o,
    struct import_result *res, struct importer **out, struct serr *e);
/*
 * A header line of a table (CSV): names[0..n-1] as written. Each column
 * is matched through the config mapping first, then the built-in names.
 * Unused and shadowed columns are noticed; a missing required column
 * (UPN, surname, forename, date of birth, year group) is SE_INVALID
 * "file:line: ..." quoting the header line.
 */
int import_header(struct importer *im, char *const *names, int n, int line,
    struct serr *e);
/* A data line of the table, after import_header. */
int import_record(struct importer *im, char *const *cells, int n, int line,
    struct serr *e);
/* One pupil from a reader that knows its fields (CTF). */
int import_row(struct importer *im, const struct import_row *row,
    struct serr *e);
/* A message about the file from a reader ("file:line: text"). */
void import_note(struct importer *im, enum import_msg_kind kind, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Finish: commit a real run (or roll it back if a row was refused and
 * skip_bad is not set), and free im. Returns 0, or SE_INVALID when rows
 * were refused without skip_bad (nothing written; in a dry run: nothing
 * would be), or the error that stopped the transaction.
 */
int import_end(struct importer *im, struct serr *e);
/* Give up: roll back whatever was done, and free im. */
void import_abort(struct importer *im);

#endif
