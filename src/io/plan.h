/*
 * plan.h: the printable SEN support plan / review record of one pupil,
 * the document a SENCO shares with parents and carers: the pupil's
 * details, needs, the pupil's and parents' views, targets with success
 * criteria, ratings over time and outcomes, provision, agency advice and
 * the next review date.
 *
 * HTML is one self-contained file (inline CSS with an A4 print
 * stylesheet; no scripts, no fetches: a Content-Security-Policy forbids
 * them); markdown suits a governors' or EHCP paper; plain text wraps at
 * 80 columns by display width.
 */
#ifndef SENCO_PLAN_H
#define SENCO_PLAN_H

#include <stdint.h>
#include <stdio.h>
#include "core/date.h"
#include "core/db.h"
#include "core/err.h"

enum plan_format { PLAN_HTML = 0, PLAN_MD, PLAN_TXT };

/* Text lines of the plain-text plan are at most this wide. */
#define PLAN_TEXT_WIDTH 80

/* "html", "md" (or "markdown"), "txt" (or "text"). */
int plan_format_parse(const char *s, enum plan_format *out, struct serr *e);
/* The format a file name asks for by its ending (.html, .htm, .md,
 * .txt), or -1 when it does not say. */
int plan_format_for_path(const char *path);

struct plan_opts {
	const char *school;	/* the school's name; NULL or "" unnamed */
	sdate today;		/* the date printed; SDATE_NONE: today */
};

/*
 * Write the plan of the pupil with id pupil_id to fp. The plan is of the
 * pupil's open cycle, else of the latest closed one (then a review
 * record), else of the pupil alone. Everything is read before anything
 * is written, so an error leaves fp untouched. SE_IO when fp fails.
 */
int plan_write(struct db *db, int64_t pupil_id, enum plan_format f,
    const struct plan_opts *o, FILE *fp, struct serr *e);

/*
 * plan_write into a new file at path, made with mode 0600 (it holds a
 * pupil's personal data) and never over an existing file or through a
 * symbolic link (SE_EXISTS); a failure removes what it began.
 */
int plan_save(struct db *db, int64_t pupil_id, enum plan_format f,
    const struct plan_opts *o, const char *path, struct serr *e);

#endif
