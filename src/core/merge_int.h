/*
 * merge_int.h: what merge.c (the engine), merge_copy.c (checkout, reading
 * and re-basing the laptop copy) and merge_words.c (conflicts in words)
 * share. Not for use outside src/core/merge*.c.
 *
 * The scratch connection `mx` holds, as in-memory databases:
 *   main  the server caseload, copied, where the merge is worked out
 *   srv   the server caseload, copied again and left as it was
 *   lap   the laptop copy as it is now
 *   base  the laptop copy as it was checked out (or last merged)
 */
#ifndef SENCO_MERGE_INT_H
#define SENCO_MERGE_INT_H

#include <sqlite3.h>
#include "merge.h"

#define MX_MAIN "main"
#define MX_SRV "srv"
#define MX_LAP "lap"
#define MX_BASE "base"

#define MERGE_NAME_MAX 32

/* A foreign key of a caseload table. */
struct mfk {
	int col;			/* the referring column */
	int parent;			/* index of the parent table, -1 unknown */
	bool cascade;			/* ON DELETE CASCADE */
	bool set_null;			/* ON DELETE SET NULL (a link, not a part) */
	int pragma_id;			/* id in PRAGMA foreign_key_list */
};

/* A caseload table as the merge sees it (read from the schema). */
struct mtab {
	char name[MERGE_NAME_MAX];
	const char *label;		/* "note", "pupil record" */
	const char *plural;		/* "notes" */
	const char *detail_col;		/* a column that tells records apart */
	const char *detail_pre, *detail_post;	/* words around it */
	int ncol;
	char (*cols)[MERGE_NAME_MAX];
	bool *user;			/* not the id or a bookkeeping column */
	int c_version, c_updated, c_changed_by;	/* -1 when absent */
	int c_detail;			/* -1 when none */
	struct mfk *fks;
	int nfk;
};

struct mstmt {
	char *sql;
	sqlite3_stmt *st;
};

struct merge {
	struct db *db;			/* the server caseload */
	sqlite3 *mx;
	struct mstmt *stmts;
	int nstmt, capstmt;
	struct mtab *tabs;
	int ntab;

	struct merge_info info;
	char *laptop_path, *server_file, *taken_at, *taken_by, *subset;
	char *merged_at, *merged_by;
	int64_t checkout_id;
	/* The laptop file as read, kept for the re-base. sqlite3_malloc'd. */
	unsigned char *lap_image;
	sqlite3_int64 lap_size;
	int audit_kept;			/* audit rows the laptop deleted */

	void *cs;			/* the laptop's changeset (sqlite3_free) */
	int ncs;
	char hash[65];

	struct merge_table_count *counts;
	int ncounts;
	struct merge_conflict *conf;
	int nconf, capconf;
	char author[64];		/* "<author> (from laptop copy)" */
};

/* --- merge.c -------------------------------------------------------------- */
/* A statement on mx for SQL made with sqlite3_mprintf (so %w and %Q quote
 * names), cached by its text. Reset and unbound. NULL on error. */
sqlite3_stmt *mx_stmt(struct merge *m, struct serr *e, const char *fmt, ...);
/* Run SQL text on mx. */
int mx_exec(struct merge *m, const char *sql, struct serr *e);
/* Whether row id of table t is in schema s. */
bool mx_exists(struct merge *m, const char *s, int t, int64_t id);
/* Column c of row id of table t in schema s as a fresh protected value
 * (sqlite3_value_free), NULL when there is no such row. */
sqlite3_value *mx_value(struct merge *m, const char *s, int t, int64_t id,
    int c);
int mx_table(const struct merge *m, const char *name);
int mx_column(const struct mtab *t, const char *name);
/* Replace schema s of mx with the database image img (sqlite3_malloc'd;
 * mx owns it from here on, also on error). */
int mx_load(struct merge *m, const char *s, unsigned char *img,
    sqlite3_int64 n, struct serr *e);
/* sqlite3_value_dup that dies on out-of-memory like xmalloc; NULL in,
 * NULL out. Free with sqlite3_value_free. */
sqlite3_value *merge_value_dup(const sqlite3_value *v);
/* Append a zeroed conflict to m->conf. */
struct merge_conflict *merge_conflict_add(struct merge *m);
/* The conflict with this identity, or NULL. */
struct merge_conflict *merge_conflict_find(struct merge *m,
    enum merge_kind kind, const char *table, int64_t id, const char *column);

/* --- merge_pass.c --------------------------------------------------------- */
/* Whether two values are the same (1 and 1.0 are; NULL only equals NULL;
 * an undefined value, NULL pointer, only equals another). */
bool merge_value_eq(sqlite3_value *a, sqlite3_value *b);
/*
 * Copy the server into mx (main and srv) and replay the laptop's changes
 * on main. Not final: find the conflicts into m->conf and the figures of
 * what would happen. Final (inside the server transaction): resolve with
 * the choices (fallback for the undecided), and hand back in *cs and
 * *ncs the changeset that takes the server to the result (free it with
 * sqlite3_free); new conflicts are appended undecided and SE_CONFLICT
 * returned.
 */
int merge_pass(struct merge *m, bool final, enum merge_choice fallback,
    struct merge_figures *f, void **cs, int *ncs, struct serr *e);

/* --- merge_copy.c --------------------------------------------------------- */
/* Read the laptop file: its checks, its image into lap, its baseline into
 * base (both attached to m->mx already), and the origin facts. */
int mcopy_read(struct merge *m, const char *path, struct serr *e);
/* Refuse a copy whose checkout this caseload does not know. */
int mcopy_check_server(struct merge *m, struct serr *e);
/* Whether the changeset m->hash of this checkout was merged before:
 * fills m->merged_at and m->merged_by. */
int mcopy_check_merged(struct merge *m, struct serr *e);
/* Log the merge in the caseload (inside the merge transaction). */
int mcopy_log(struct merge *m, const struct merge_figures *f,
    struct serr *e);
/* Move the copy's baseline on to the state just merged. */
int mcopy_rebase(struct merge *m, struct serr *e);
/* Set bytes 18-19 of a database image to 1 (rollback journal): SQLite
 * only opens an image in memory that is not marked WAL. */
void mcopy_unwal(unsigned char *img, sqlite3_int64 n);

/* --- merge_words.c -------------------------------------------------------- */
/* A value as text (NULL for SQL NULL); caller frees. */
char *mw_value(sqlite3_value *v);
/* The record of row id of table t as words, looked up in schema first,
 * then the others; fills pupil fields of c if c is not NULL. Caller
 * frees. */
char *mw_record(struct merge *m, int t, int64_t id, const char *schema,
    struct merge_conflict *c);
/* The record alone: "cycle from 2026-01-15"; caller frees. */
char *mw_thing(struct merge *m, int t, int64_t id, const char *schema);
/* "2 notes, 1 rating" for counts per table; caller frees. */
char *mw_counts(const struct merge *m, const int *per_table);
/* Free the strings of one conflict. */
void mw_conflict_free(struct merge_conflict *c);

#endif
