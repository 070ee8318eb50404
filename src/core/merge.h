/*
 * merge.h: working offline on a laptop copy and merging it back.
 *
 * The design, in short:
 *
 * - merge_checkout() makes the laptop copy: a consistent copy of the
 *   caseload (backup API, mode 0600, never over an existing file), cut
 *   down to a subset of pupils if asked (their rows, and their audit rows,
 *   go from the copy before anything else happens, with the audit trail
 *   off, then the file is vacuumed so nothing of them stays on the
 *   laptop). Inside the copy, in a table merge_origin, goes the BASELINE:
 *   a byte image of the copy as it was made, plus a random checkout id,
 *   the schema version, when and by whom. One file: nothing to lose on the
 *   way to the laptop. The server records the same checkout id in its
 *   table merge_checkout.
 *
 * - On the laptop senco opens the copy like any caseload. Nothing is
 *   recorded while it works: the laptop's changes are always
 *   sqlite3session_diff(copy, baseline), so they survive any number of
 *   restarts, crashes or editing sessions.
 *
 * - merge_prepare() reads the copy and its baseline into memory, checks
 *   they belong to this caseload (checkout id) and this schema version,
 *   takes the laptop's changeset C (diff of every caseload table and the
 *   audit table), and dry-runs it: C is applied with
 *   sqlite3changeset_apply_v2() to an in-memory copy of the server, and
 *   every clash is turned into a struct merge_conflict described in words.
 *   Nothing is written anywhere.
 *
 * - The caller (CLI prompt, --keep, or later the UI) fills in each
 *   conflict's choice, then merge_apply() does it for real in ONE server
 *   transaction: inside BEGIN IMMEDIATE it copies the server into memory
 *   again, replays C there with the decisions while a session records
 *   what changes, and applies that recorded changeset to the server with
 *   sqlite3changeset_apply_v2(); the server's audit triggers record every
 *   row it writes, once, as the user running the merge with a note that
 *   it came from the laptop copy ("<author> (from laptop copy)"). The
 *   laptop's own audit rows stay on the laptop: merged too, they would
 *   tell every change twice. Doing the work on a scratch copy first means that
 *   what reaches the server is exactly the resolved result and applies
 *   cleanly, or not at all.
 *
 * What counts as a conflict (nothing is ever dropped silently):
 * - MERGE_FIELD: the same field of the same record was changed on both
 *   sides to different values. Different fields of one record changed on
 *   each side merge by themselves, and the same new value on both sides
 *   is not a conflict. The bookkeeping columns (version, updated_at,
 *   changed_by) never conflict: a record merged from both sides gets a
 *   version above both, so a form opened on the server before the merge
 *   still notices the change.
 * - MERGE_DELETED_LAPTOP: deleted on the laptop, but changed on the
 *   server (or records were added under it there).
 * - MERGE_DELETED_SERVER: deleted on the server, but the laptop changed
 *   it or added records under it. One conflict per record deleted on the
 *   server, however many laptop changes lie under it; keeping the laptop
 *   brings the record back as the laptop has it.
 * - MERGE_UNIQUE: both sides made a record that may exist only once: the
 *   same UPN, an intervention name, an open cycle or a current SEN status
 *   for one pupil, a need rank. Identical records (e.g. both sides set the
 *   same status) are not a conflict. Keeping the laptop replaces the
 *   server's record (and what hangs under it); keeping the server leaves
 *   the laptop's record (and what hangs under it) out. The conflict's
 *   if_server/if_laptop sentences say exactly what each choice does.
 *
 * Merging twice changes nothing the second time: after a merge the copy's
 * baseline is moved on to the state just merged (re-based), so the next
 * merge of the same copy finds only what was done on the laptop since;
 * and the server logs a hash of every merged changeset (merge_log), so a
 * copy whose re-base could not be written (read-only medium, a crash just
 * after the commit) is recognised and not merged again. Changes already on
 * the server (same values) apply as nothing. To see the server's newer
 * changes on the laptop, take a new checkout: a copy is never refreshed
 * from the server.
 *
 * Refused: a file that is not a senco laptop copy, a copy of another
 * caseload (its checkout id is not in this one's merge_checkout), and a
 * copy whose schema version differs from this senco's (made by an older
 * senco and never merged, or opened by a newer senco on the laptop).
 *
 * Memory: a merge holds the copy, its baseline and two copies of the
 * server caseload in memory (a school's caseload is a few megabytes).
 */
#ifndef SENCO_MERGE_H
#define SENCO_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db.h"
#include "err.h"

/* --- checkout ------------------------------------------------------------- */

/* Which pupils go into the copy: those named by UPN and those on roll in
 * the given year groups. Both empty: the whole caseload. The intervention
 * catalogue always goes whole. */
struct merge_subset {
	const char *const *upns;
	int n_upns;
	const char *const *years;	/* as typed: "5", "R", "Y5" ... */
	int n_years;
};

struct merge_checkout_info {
	int64_t checkout_id;
	int pupils;		/* pupils in the copy */
	int64_t bytes;		/* size of the copy file */
};

/*
 * Make the laptop copy `dest` (must not exist; created 0600) of the
 * caseload, cut to `sub` if not NULL, with its baseline inside, and record
 * the checkout in the caseload. Refuses an unknown UPN, a bad year group,
 * and a subset with no pupils. On any error nothing is left at dest.
 */
int merge_checkout(struct db *db, const char *dest,
    const struct merge_subset *sub, struct merge_checkout_info *info,
    struct serr *e);

/* --- merge ---------------------------------------------------------------- */

enum merge_kind {
	MERGE_FIELD,		/* same field changed on both sides */
	MERGE_DELETED_LAPTOP,	/* deleted on the laptop, changed on the server */
	MERGE_DELETED_SERVER,	/* deleted on the server, changed on the laptop */
	MERGE_UNIQUE,		/* a once-only record made on both sides */
};

enum merge_choice {
	MERGE_UNDECIDED = 0,
	MERGE_KEEP_SERVER,
	MERGE_KEEP_LAPTOP,
};

/*
 * One conflict, in words a SENCO understands. Strings are owned by the
 * merge (freed by merge_free). A side's value is NULL when the field is
 * empty; by/at say who last changed the record on that side and when
 * (UTC, "YYYY-MM-DDTHH:MM:SSZ"), "" when unknown.
 */
struct merge_conflict {
	enum merge_kind kind;
	/* Identity, stable between merge_prepare and merge_apply. */
	char table[32];
	int64_t row_id;
	char column[32];	/* MERGE_FIELD only, else "" */

	int64_t pupil_id;	/* 0 when the record belongs to no pupil */
	char upn[16];
	char *pupil;		/* "Brown, Zoë (B801200005001)", or NULL */
	char *record;		/* "target “Read 50 words” of Brown, Zoë (...)" */
	char *thing;		/* the record alone: "target “Read 50 words”",
				 * "pupil record" */
	char *field;		/* MERGE_FIELD: "class", "review date" ... */
	char *summary;		/* one line: what happened on both sides */
	char *server_value, *laptop_value;
	char server_by[64], server_at[32];
	char laptop_by[64], laptop_at[32];
	char *if_server;	/* what keeping the server does */
	char *if_laptop;	/* what keeping the laptop does */

	enum merge_choice choice;	/* filled in by the caller */
};

/* Changes the laptop made to one table. */
/* What the merge's audit rows give as their author after the name of the
 * user who ran it. */
#define MERGE_AUTHOR_NOTE " (from laptop copy)"

struct merge_table_count {
	const char *table;	/* "note" */
	const char *label;	/* "note" (singular words for messages) */
	int added, changed, deleted;
};

/* Figures of a merge. After merge_prepare: what would happen with every
 * conflict undecided; after merge_apply: what happened. */
struct merge_figures {
	int changes;		/* records the laptop added, changed or deleted */
	int applied;		/* ... that applied as they were */
	int merged;		/* ... merged field by field with server changes */
	int already;		/* ... already so on the server: nothing to do */
	int conflicted;		/* ... caught in a conflict */
	int conflicts;		/* conflicts (a record may have several) */
	int kept_server, kept_laptop;
	/* Audit rows the merge adds to the server's trail: one per record
	 * written. After merge_prepare an estimate (each record the
	 * laptop's changes would write, conflicts counted as kept for the
	 * laptop); after merge_apply the rows written. */
	int audit_entries;
	int written;		/* rows written to the server (apply only) */
	int links_cleared;	/* links to a record deleted on the server */
};

struct merge_info {
	const char *laptop_path;
	int64_t checkout_id;
	const char *server_file;	/* the caseload it was taken from */
	const char *taken_at, *taken_by;
	const char *subset;		/* NULL: the whole caseload */
	int schema_version;
	/* The same changes were merged before (merge_log): nothing to do. */
	bool already_merged;
	const char *merged_at, *merged_by;
	const struct merge_table_count *tables;	/* tables with changes */
	int n_tables;
	struct merge_figures figures;
};

struct merge;

/*
 * Read the laptop copy `laptop_path`, check it belongs to this caseload
 * and schema, take its changes and find the conflicts. Writes nothing.
 * *out is the caller's to merge_free (also NULL on error).
 */
int merge_prepare(struct db *db, const char *laptop_path, struct merge **out,
    struct serr *e);
const struct merge_info *merge_info(const struct merge *m);
/* The conflicts, pupil by pupil; the caller sets each one's choice.
 * Valid until merge_free (merge_apply may append new ones, see there). */
struct merge_conflict *merge_conflicts(struct merge *m, int *n);

/*
 * Merge in one server transaction. Every conflict needs a choice, or
 * `fallback` (MERGE_UNDECIDED: none) is used for those without one; an
 * undecided conflict is SE_STATE and nothing is written. If the server
 * changed since merge_prepare so that new conflicts appear, nothing is
 * written, the new conflicts are appended (undecided) and SE_CONFLICT is
 * returned: choose for them and call merge_apply again.
 *
 * Call it outside any transaction (it is one user action of its own).
 * After the commit the laptop copy is re-based; if that fails the merge
 * still stands (the merge log keeps a second merge from repeating it) and
 * *rebase_warning (if given) says why in one line, else it is "".
 * `figures` (may be NULL) receives what happened.
 */
int merge_apply(struct merge *m, enum merge_choice fallback,
    struct merge_figures *figures, char *rebase_warning, size_t n,
    struct serr *e);
void merge_free(struct merge *m);

/* A time of struct merge_conflict or merge_info for people: "2026-01-10
 * 14:03" from "2026-01-10T14:03:22Z" (anything else as it is) into buf.
 * Returns buf. */
const char *merge_at_show(const char *at, char *buf, size_t n);

/* "server" / "laptop" -> choice; SE_INVALID otherwise. */
int merge_choice_parse(const char *s, enum merge_choice *out, struct serr *e);

#endif
