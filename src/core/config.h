/*
 * config.h: the libconfig settings file.
 *
 * Looked up in this order: an explicit path (--config), $SENCO_CONFIG,
 * $XDG_CONFIG_HOME/senco/senco.conf, ~/.config/senco/senco.conf,
 * SYSCONFDIR/senco/senco.conf. A missing file means defaults (an explicit
 * path that is missing is an error); a syntax error is "file:line: message".
 */
#ifndef SENCO_CONFIG_H
#define SENCO_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "codes.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "intervention.h"

#define CONFIG_DEFAULT_REVIEW_WEEKS 12
#define CONFIG_DEFAULT_TOPUP_PENCE (6000 * 100)
/* SEN records are kept until the pupil's date of birth + 25 years. */
#define CONFIG_DEFAULT_RETENTION_YEARS 25

/* Issue 7 (outcomes and EHC plans): see senco.conf(5). */
#define CONFIG_DEFAULT_EXPECTED_SCORE 100.0
#define CONFIG_DEFAULT_GREATER_DEPTH_SCORE 110.0

/* results.scale (and results.subjects.NAME.scale): the bands a result can
 * take, lowest first. */
struct config_scale {
	char *subject;		/* NULL: every subject without its own */
	char **bands;
	int n_bands;
	int expected;		/* index of the expected standard */
	int greater_depth;	/* index of greater depth, -1 if none */
	int line;		/* where it is set, 0 for a default */
};

/* One entry of `national`: the national figures for an assessment
 * point and subject, for all pupils or one SEN status. */
struct config_national {
	char *point;		/* "KS2 2026", as written */
	char *subject;		/* "reading", as written */
	char group;		/* 'N', 'K', 'E', or 0 for all pupils */
	double expected;	/* % at the expected standard; NAN if not given */
	double greater_depth;	/* % at greater depth; NAN if not given */
	double score;		/* mean scaled score; NAN if not given */
	int line;
};

struct config_staff {
	char *user;		/* Unix login, may be NULL */
	char *name;		/* display name, e.g. "Mrs A. Okafor" */
};

/* A binding or colour as written, checked by the UI against its key
 * table; line is where it stands in the file, for messages. */
struct config_entry {
	char *name;		/* action or colour element */
	char *value;		/* "j,Down" or "red,default" */
	int line;
};

struct config {
	char *file;		/* the file read, NULL if none (defaults) */
	char *database;		/* NULL: $XDG_DATA_HOME/senco/caseload.db */
	char *school_name;
	int la_number;		/* 3 digits, 0 unknown */
	int estab_number;	/* 4 digits, 0 unknown */
	int roll;		/* pupils on roll, 0 unknown */
	int review_weeks;
	enum date_style date_style;
	int64_t topup_pence;
	int retention_years;	/* senco purge: kept to dob + this */
	char *shared_group;	/* NULL: the caseload is its owner's alone */
	bool refuse_network_fs;	/* on NFS/SMB: refuse (true) or use a
				 * rollback journal instead of WAL (false) */

	struct config_staff *staff;
	int n_staff;
	struct intervention *interventions;	/* the catalogue seed */
	int n_interventions;
	char **agencies;
	int n_agencies;

	struct config_entry *keys;
	int n_keys;
	struct config_entry *colours;
	int n_colours;
	/* import.columns: name = a column header as written, value = the
	 * field it holds (import_field_parse), line = where it is set. */
	struct config_entry *import_columns;
	int n_import_columns;

	/* results, national, ehc (issue 7). scales[0] is for all subjects;
	 * the defaults are the KS1/KS2 teacher-assessment bands and the
	 * phonics check's WT/WA. */
	struct config_scale *scales;
	int n_scales;
	double expected_score;		/* a score at or above: expected */
	double greater_depth_score;	/* a score at or above: greater depth */
	struct config_national *national;
	int n_national;
	/* Year groups that change phase at the end of this school year
	 * (default N2, 6, 9, 11): their EHC plans are due for review and
	 * amendment by 15 February (31 March from year 11 on). */
	char (*transfer_years)[YEAR_MAX];
	int n_transfer_years;
};

typedef void (*config_warn_cb)(void *ctx, const char *msg);

/* Defaults only, no file. */
void config_defaults(struct config *c);
/*
 * Find and read the file (explicit may be NULL). Unknown settings are
 * passed to warn (may be NULL) as "file:line: unknown setting 'x'
 * (ignored)"; a known setting with a bad value is an error. Returns 0, or
 * SE_CONFIG with "file:line: message" in e. c is filled from scratch (old
 * contents are not freed) and always left fit for config_free; after an
 * error it holds the defaults.
 */
int config_load(struct config *c, const char *explicit_path,
    config_warn_cb warn, void *ctx, struct serr *e);
void config_free(struct config *c);

/* The database path: c->database, else $XDG_DATA_HOME/senco/caseload.db,
 * else ~/.local/share/senco/caseload.db. Caller frees. */
char *config_database_path(const struct config *c);
/* The store's policy from the settings (shared group, network file
 * systems), for db_open_ex. o points into c: valid while c is. */
void config_db_options(const struct config *c, struct db_options *o);
/* The display name for a Unix login from the staff list, else login. */
const char *config_staff_name(const struct config *c, const char *login);

#endif
