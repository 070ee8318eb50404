/*
 * cmd_admin.c: the commands about the caseload file itself: init, demo,
 * check, backup, and help.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/demo.h"
#include "core/disk.h"
#include "core/intervention.h"
#include "core/register.h"
#include "core/xmalloc.h"

/* A caseload this command created and could not finish goes again, with
 * SQLite's companion files, so that a failure leaves nothing behind. */
static void
remove_new_caseload(const char *path)
{
	char *side;

	unlink(path);
	xasprintf(&side, "%s-wal", path);
	unlink(side);
	free(side);
	xasprintf(&side, "%s-shm", path);
	unlink(side);
	free(side);
}

/* Creating the caseload or a copy failed: a file in the way, or a place
 * senco cannot write, is "cannot create". */
static int
fail_create(const struct serr *e)
{
	int status = cli_fail(e);

	return e->code == SE_EXISTS || e->code == SE_IO ? EX_CANTCREAT : status;
}

/* --- init ------------------------------------------------------------------ */

static int
seed_catalogue(struct db *db, const struct config *cfg, struct serr *e)
{
	int rc;

	if ((rc = db_begin(db, e)) != 0)
		return rc;
	for (int i = 0; i < cfg->n_interventions; i++) {
		/* A shallow copy: the strings stay the config's. */
		struct intervention iv = cfg->interventions[i];

		if ((rc = intervention_add(db, &iv, e)) != 0) {
			serr_prefix(e, "intervention catalogue in %s",
			    cfg->file ? cfg->file : "the configuration");
			db_rollback(db);
			return rc;
		}
	}
	return db_commit(db, e);
}

static int
run_init(struct cli *c, int argc, char **argv)
{
	struct db_options opts;
	struct db *db = NULL;
	struct serr e;
	int status;

	if ((status = cli_plain_options(c, argc, argv)) >= 0)
		return status;
	if ((status = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return status;
	if (c->read_only)
		return cli_error(EX_NOPERM, "init: cannot create a caseload "
		    "with --read-only");
	serr_clear(&e);
	config_db_options(c->cfg, &opts);
	if (db_open_ex(&db, c->db_path, DB_CREATE | DB_EXCL, &opts, &e) != 0)
		return fail_create(&e);
	cli_set_author(c->cfg, db);
	if (seed_catalogue(db, c->cfg, &e) != 0) {
		db_close(db);
		remove_new_caseload(c->db_path);
		return cli_fail(&e);
	}
	db_close(db);
	printf("Created an empty caseload in %s", c->db_path);
	if (c->cfg->n_interventions > 0)
		printf(" (%d intervention%s in the catalogue)",
		    c->cfg->n_interventions,
		    c->cfg->n_interventions == 1 ? "" : "s");
	printf(".\n");
	return 0;
}

/* --- demo ------------------------------------------------------------------ */

static int
run_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pupils", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "csv", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct db_options dbo;
	struct demo_opts o;
	struct db *db = NULL;
	struct serr e;
	struct stat sb;
	bool existed;
	long v;
	int ch, status;

	demo_opts_init(&o);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'p':
			if ((status = cli_int(c, optarg, "--pupils", 1, 100000,
			    &v)) != 0)
				return status;
			o.pupils = (int)v;
			break;
		case 's':
			if ((status = cli_int(c, optarg, "--seed", 0,
			    4294967295L, &v)) != 0)
				return status;
			o.seed = (uint32_t)v;
			break;
		case 'c':
			o.csv_path = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return status;
	if (c->read_only)
		return cli_error(EX_NOPERM, "demo: cannot create a caseload "
		    "with --read-only");
	o.review_weeks = c->cfg->review_weeks;
	o.school = c->cfg->school_name;

	serr_clear(&e);
	existed = stat(c->db_path, &sb) == 0;
	config_db_options(c->cfg, &dbo);
	if (db_open_ex(&db, c->db_path, DB_CREATE, &dbo, &e) != 0)
		return fail_create(&e);
	cli_set_author(c->cfg, db);
	if (demo_build(db, &o, &e) != 0) {
		db_close(db);
		if (!existed)
			remove_new_caseload(c->db_path);
		if (e.code == SE_EXISTS)
			return fail_create(&e);
		return cli_fail(&e);
	}
	db_close(db);
	printf("Created a demo caseload of %d fictional pupils in %s "
	    "(seed %lu).\n", o.pupils, c->db_path, (unsigned long)o.seed);
	if (o.csv_path != NULL)
		printf("Wrote the roll as an MIS CSV to %s.\n", o.csv_path);
	return 0;
}

/* --- check ----------------------------------------------------------------- */

static void
print_finding(void *ctx, bool problem, const char *line)
{
	(void)ctx;
	printf("%-8s %s\n", problem ? "PROBLEM" : "ok", line);
}

/*
 * One finding of run_check(): check counts the rows of what (kept by
 * triggers) that disagree with the tables they come from; problems so
 * far, one more if any disagree, or -1 when it cannot tell (e says).
 * ok says "agree with the ..." of the same tables without "their".
 */
static int
kept_check(struct db *db, int (*check)(struct db *, int *, struct serr *),
    int problems, const char *what, const char *unit, const char *from,
    struct serr *e)
{
	char line[256];
	int wrong;

	if (check(db, &wrong, e) != 0)
		return -1;
	if (wrong == 0) {
		snprintf(line, sizeof line, "%s: agree with the %s", what,
		    strncmp(from, "their ", 6) == 0 ? from + 6 : from);
		print_finding(NULL, false, line);
		return problems;
	}
	snprintf(line, sizeof line, "%s: %d %s%s with %s", what, wrong, unit,
	    wrong == 1 ? " disagrees" : "s disagree", from);
	print_finding(NULL, true, line);
	return problems + 1;
}

static int
run_check(struct cli *c, int argc, char **argv)
{
	struct db *db;
	struct serr e;
	struct disk_info disk;
	char line[256];
	int status, problems;

	if ((status = cli_plain_options(c, argc, argv)) >= 0)
		return status;
	if ((status = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return status;
	/* Open even a loosely permitted file: check reports it. */
	if ((status = cli_open_with(c, false, DB_LAX_PERMS, &db)) != 0)
		return status;
	serr_clear(&e);
	problems = db_check(db, print_finding, NULL, &e);
	/* The figures kept by triggers for the register (cycle_track,
	 * pupil_now, status_tally) and its search index, worked out again:
	 * a sound file agrees. */
	if (problems >= 0 && db_schema_version(db) >= 6)
		problems = kept_check(db, register_track_check, problems,
		    "on-track figures", "cycle", "their targets and ratings",
		    &e);
	if (problems >= 0 && db_schema_version(db) >= 7)
		problems = kept_check(db, register_now_check, problems,
		    "register rows", "pupil",
		    "their details, statuses, needs, cycles and provision",
		    &e);
	if (problems >= 0 && db_schema_version(db) >= 8)
		problems = kept_check(db, register_tally_check, problems,
		    "status counts", "status", "their pupils' statuses", &e);
	if (problems >= 0 && db_schema_version(db) >= 10)
		problems = kept_check(db, register_search_check, problems,
		    "search index", "pupil", "their names and UPNs", &e);
	db_close(db);
	if (problems < 0)
		return cli_fail(&e);
	/* Advice, not a failure: the check passes on a plain disk. */
	disk_check_path(c->db_path, NULL, &disk);
	printf("%-8s disk: %s\n", disk.state == DISK_ENCRYPTED ? "ok" :
	    disk.state == DISK_PLAIN ? "WARNING" : "note",
	    disk_describe(&disk, line, sizeof line));
	if (problems > 0)
		return cli_error(EX_DATAERR, "check: %d problem%s found in %s",
		    problems, problems == 1 ? "" : "s", c->db_path);
	return 0;
}

/* --- backup --------------------------------------------------------------- */

static int
run_backup(struct cli *c, int argc, char **argv)
{
	static const char *const names[] = { "FILE (where to put the copy)" };
	static const struct option opts[] = {
		{ "encrypt", no_argument, NULL, 'e' },
		{ "passphrase-fd", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct db *db;
	struct serr e;
	const char *dest, *fdarg = NULL;
	bool encrypt = false;
	int ch, status;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch == 'e')
			encrypt = true;
		else if (ch == 'p')
			fdarg = optarg;
		else
			return ch == 'h' ? cli_sub_help(c) : EX_USAGE;
	}
	if ((status = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return status;
	dest = argv[optind];
	if (encrypt || fdarg != NULL)
		return cli_backup_encrypted(c, dest, encrypt, fdarg);
	if ((status = cli_open(c, false, &db)) != 0)
		return status;
	serr_clear(&e);
	if (db_backup(db, dest, &e) != 0) {
		db_close(db);
		return fail_create(&e);
	}
	db_close(db);
	printf("Copied %s to %s.\n", c->db_path, dest);
	return 0;
}

static int
run_help(struct cli *c, int argc, char **argv)
{
	(void)c;
	return cli_help(argc, argv);
}

/* --- the table ---------------------------------------------------------------- */

static const struct cli_sub init_subs[] = {
	{ NULL, "", "create a new, empty caseload (never overwrites one)",
	  "Creates the caseload file (mode 0600) and its directory (0700), and\n"
	  "fills the intervention catalogue from the configuration file.\n",
	  run_init },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_init = { "init", "", init_subs };

static const struct cli_sub demo_subs[] = {
	{ NULL, "[--pupils N] [--seed S] [--csv FILE]",
	  "create a demo caseload of fictional pupils",
	  "  --pupils N    pupils on the roll (default 200; about one in six "
	  "are on\n"
	  "                the SEN register)\n"
	  "  --seed S      the same seed gives the same caseload (0 to "
	  "4294967295)\n"
	  "  --csv FILE    also write the roll as an MIS CSV export\n"
	  "The caseload file must be new, or empty.\n",
	  run_demo },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_demo = { "demo", "", demo_subs };

static const struct cli_sub check_subs[] = {
	{ NULL, "", "check integrity, foreign keys, schema and permissions",
	  "Prints one line per finding, 'ok' or 'PROBLEM'; the exit status is "
	  "0 only\nwhen the caseload is healthy.\n",
	  run_check },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_check = { "check", "", check_subs };

static const struct cli_sub backup_subs[] = {
	{ NULL, "FILE",
	  "copy the caseload safely while others use it",
	  "Writes a consistent copy to FILE (mode 0600); FILE must not exist.\n"
	  "  --encrypt           encrypt it with a passphrase (Argon2id and\n"
	  "                      XChaCha20-Poly1305); 'senco restore' reads it\n"
	  "  --passphrase-fd N   read the passphrase from file descriptor N "
	  "(its first\n"
	  "                      line) instead of asking twice on the "
	  "terminal\n",
	  run_backup },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_backup = { "backup", "", backup_subs };

static const struct cli_sub help_subs[] = {
	{ NULL, "[COMMAND [SUB]]", "show the options of a command",
	  NULL, run_help },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_help = { "help", "", help_subs };
