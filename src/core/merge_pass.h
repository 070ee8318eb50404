/*
 * merge_pass.h: what the parts of one merge pass share: merge_pass.c
 * (replaying the laptop's changes, walking records, the checks after),
 * merge_conflict.c (the findings as conflicts in words) and
 * merge_resolve.c (carrying out the choices, and the figures). Not for
 * use outside src/core/merge*.c.
 */
#ifndef SENCO_MERGE_PASS_H
#define SENCO_MERGE_PASS_H

#include "merge_int.h"

/* What the handler and the checks after it found about one record. */
enum raw_kind {
	RAW_FIELDS,		/* changed on both sides: merge field by field */
	RAW_INSERT_DIFF,	/* added by the laptop, already there, different */
	RAW_DEL_LAPTOP,		/* deleted by the laptop, changed on the server */
	RAW_DEL_SERVER,		/* changed by the laptop, deleted on the server */
	RAW_ORPHAN,		/* added by the laptop under a missing record */
	RAW_UNIQUE,		/* clashes with another record's unique key */
};

/* How a change of the laptop fared, worst last (for the figures). */
enum cat { CAT_APPLIED, CAT_ALREADY, CAT_MERGED, CAT_CONFLICT };

struct mraw {
	enum raw_kind kind;
	int t;
	int64_t id;
	int op;
	/* ncol values each; an entry is NULL where the change has none */
	sqlite3_value **srv, **old, **nw;
	int64_t server_added;	/* DEL_LAPTOP: records added under it */
	bool server_changed;	/* DEL_LAPTOP: the record itself changed */
	/* DEL_SERVER, ORPHAN: the record deleted on the server (or, with
	 * new_parent, the laptop's new record it belongs under); UNIQUE: the
	 * server's record it clashes with (gt -1: not found). */
	int gt;
	int64_t gid;
	bool new_parent;
	int ukey;		/* UNIQUE: index in mp_ukeys, -1 unknown */
	bool same;		/* UNIQUE: identical, nothing under it */
};

struct mkey {
	int t;
	int64_t id;
	enum cat cat;
};

struct mrow {
	int t;
	int64_t id;
};

struct mpass {
	struct merge *m;
	bool final;
	enum merge_choice fallback;
	struct mraw *raw;
	int nraw, capraw;
	struct mkey *keys;
	int nkeys, capkeys;
	int *seen;		/* indexes into m->conf met in this pass */
	int nseen;
	int links_cleared, audit_dropped, undecided;
};

/* Keys beyond the id that only one record may have (merge_pass.c). */
struct mp_ukey {
	const char *table;
	const char *label;	/* "open cycle" */
	const char *rule;	/* "one open cycle per pupil" */
	const char *match;	/* SQL condition on server s and laptop l */
};
extern const struct mp_ukey mp_ukeys[];
extern const int mp_n_ukeys;

/* How a field the laptop changed compares with the server. */
enum mp_col_state { COL_UNTOUCHED, COL_CLEAN, COL_SAME, COL_CLASH };

/* --- merge_pass.c --------------------------------------------------------- */
int64_t mp_value_int(sqlite3_value **v, int c);
struct mraw *mp_raw_find(struct mpass *p, enum raw_kind kind, int t,
    int64_t id);
void mp_key_add(struct mpass *p, int t, int64_t id, enum cat cat);
/* The choice made for a conflict, or the pass's fallback. */
enum merge_choice mp_choice(struct mpass *p, enum merge_kind kind, int t,
    int64_t id, const char *col);
/* A record and what hangs under it in schema s, parents first: what
 * deleting it takes along (ON DELETE CASCADE), or with `all` every
 * record that needs it. Returns the count; caller frees *out. */
int mp_subtree(struct merge *m, const char *s, int t, int64_t id, bool all,
    struct mrow **out);
/* Count per table of rows[from..n); caller frees. */
int *mp_count_rows(const struct merge *m, const struct mrow *rows, int from,
    int n);
/* Up from a record the server lacks to the highest one it deleted. */
void mp_climb_deleted(struct merge *m, int *t, int64_t *id);
/* The server record a unique clash is with, and whether the two are
 * the same. */
void mp_find_clash(struct mpass *p, struct mraw *r);

/* --- merge_conflict.c ----------------------------------------------------- */
enum mp_col_state mp_col_state(const struct mtab *tab, const struct mraw *r,
    int c);
/* Every finding of the pass becomes a conflict (or a figure). */
int mp_build(struct mpass *p, struct serr *e);

/* --- merge_resolve.c ------------------------------------------------------ */
/* Carry out the choices on the scratch copy (final pass). */
int mp_resolve(struct mpass *p, struct serr *e);
/* Leave out the laptop's audit rows about pupils not on the server. */
int mp_drop_stray_audit(struct mpass *p, struct serr *e);
/* Nothing may be left pointing at a missing record. */
int mp_check_result(struct mpass *p, struct serr *e);
void mp_figures(struct mpass *p, struct merge_figures *f);
/* Rows a changeset writes, audit rows apart, into f->written. */
void mp_count_written(struct merge *m, void *cs, int ncs,
    struct merge_figures *f);

#endif
