/*
 * audit.h: reading the audit trail. The rows themselves are written by
 * triggers (db.c) in the same transaction as every change, and cannot be
 * changed or deleted through senco.
 */
#ifndef SENCO_AUDIT_H
#define SENCO_AUDIT_H

#include <stdint.h>
#include "date.h"
#include "db.h"
#include "err.h"

struct audit_entry {
	int64_t id;
	char at[32];		/* UTC, "YYYY-MM-DDTHH:MM:SS.sssZ" */
	char login[64];		/* Unix user */
	char author[64];	/* display name from the config, or the login */
	char table[32];		/* "pupil", "rating" ... */
	int64_t row_id;
	int64_t pupil_id;	/* 0 when the row belongs to no pupil */
	char upn[16];		/* the pupil's UPN when still on file */
	char op[8];		/* insert, update, delete */
	/* What changed, "field: old -> new; ..." for an update (book-keeping
	 * columns left out), "field=value; ..." for an insert or delete.
	 * Heap; valid during the callback only. */
	const char *changes;
};

typedef int (*audit_cb)(void *ctx, const struct audit_entry *a);

/* The trail, oldest first: one pupil's (pupil_id != 0) or everyone's,
 * from `since` (SDATE_NONE: all). A non-zero return from cb stops. */
int audit_list(struct db *db, int64_t pupil_id, sdate since, audit_cb cb,
    void *ctx, struct serr *e);
/* The history of one record (for the UI): table and id. */
int audit_row(struct db *db, const char *table, int64_t row_id,
    audit_cb cb, void *ctx, struct serr *e);

#endif
