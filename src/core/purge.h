/*
 * purge.h: the retention purge (senco purge). Pupils who have left are
 * removed for good once their records need no longer be kept: every row
 * about them, their audit trail, and every trace in the file and its -wal.
 *
 * Which pupils go, precisely (only ever pupils archived as having left;
 * a pupil on roll is never purged):
 *   - with a left-before date D: archived pupils whose left_on is before D
 *     (an archived pupil with no left_on date is not matched);
 *   - without one: archived pupils whose retention has ended, that is
 *     whose date of birth + retention_years (from the config, default 25)
 *     is before today. The record is kept through that birthday itself;
 *     a 29 February birthday falls on 1 March in a common year.
 */
#ifndef SENCO_PURGE_H
#define SENCO_PURGE_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "pupil.h"

#define PURGE_RETENTION_MIN 1
#define PURGE_RETENTION_MAX 100

struct purge_rule {
	sdate left_before;	/* SDATE_NONE: by retention instead */
	int retention_years;
	sdate today;		/* SDATE_NONE: date_today() */
};

struct purge_pupil {
	int64_t id;
	char upn[UPN_LEN + 1];
	char name[2 * NAME_MAX_BYTES + 4];	/* "Surname, Forename" */
	sdate dob, left_on;			/* left_on may be SDATE_NONE */
	sdate retention_end;			/* dob + retention_years */
};

struct purge_list {
	struct purge_pupil *v;
	int n;
};

struct purge_result {
	int purged;		/* pupils removed */
	int skipped;		/* listed, but no longer matched when run */
	int audit_rows;		/* audit rows removed with them */
	bool vacuumed;		/* the file was rebuilt */
	bool checkpointed;	/* the -wal was emptied */
	char note[256];		/* why not, when one of those is false */
};

/* The last day the records of a pupil born on dob are kept. */
sdate purge_retention_end(sdate dob, int years);

/* Check a rule: retention in range, left_before not after today.
 * SE_INVALID names the problem. */
int purge_rule_check(const struct purge_rule *r, struct serr *e);

/* The pupils the rule matches, by surname. out is the caller's to free
 * with purge_list_free (also after an error). */
int purge_find(struct db *db, const struct purge_rule *r,
    struct purge_list *out, struct serr *e);
void purge_list_free(struct purge_list *l);

/*
 * Remove the listed pupils that the rule still matches (the list is what
 * the user confirmed; a pupil brought back on roll meanwhile is skipped),
 * with all their rows and audit rows, in one transaction, leaving one
 * audit row that says how many went and by which rule. Then VACUUM and a
 * TRUNCATE checkpoint (secure_delete is on) so no byte of them stays in
 * the file or its -wal. Another user holding the caseload open can stop
 * those last steps: the purge still stands and res->note says so.
 * Refused inside an open transaction.
 */
int purge_run(struct db *db, const struct purge_rule *r,
    const struct purge_list *confirmed, struct purge_result *res,
    struct serr *e);

#endif
