/*
 * cli.h: the scriptable command line: the command table, and the helpers
 * every subcommand shares (option parsing, opening the caseload, finding a
 * pupil by UPN, parsing values, and turning errors into one line on stderr
 * and a <sysexits.h> exit status).
 */
#ifndef SENCO_CLI_H
#define SENCO_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <sysexits.h>

#include "core/config.h"
#include "core/cycle.h"
#include "core/db.h"
#include "core/err.h"
#include "core/pupil.h"
#include "io/table.h"

/* What main() worked out before the command runs. */
struct cli {
	const char *db_path;
	bool read_only;
	const struct config *cfg;
	/* set by the dispatcher for messages: "pupil add" */
	const char *what;
	const struct cli_command *cmd;
	const struct cli_sub *sub;
};

typedef int (*cli_run_fn)(struct cli *c, int argc, char **argv);

/* One subcommand ("pupil add"), or the command itself when name is NULL
 * ("init"). argv[0] of run is the subcommand's name. */
struct cli_sub {
	const char *name;
	const char *args;	/* synopsis after the names */
	const char *summary;	/* one line for senco --help */
	const char *options;	/* option lines for senco help CMD, or NULL */
	cli_run_fn run;
};

struct cli_command {
	const char *name;
	const char *summary;
	const struct cli_sub *subs;	/* ends with a run == NULL entry */
};

/* The command groups, each defined in its cmd_*.c. */
extern const struct cli_command cli_cmd_init, cli_cmd_demo, cli_cmd_check,
    cli_cmd_backup, cli_cmd_help, cli_cmd_pupil, cli_cmd_cycle,
    cli_cmd_target, cli_cmd_intervention, cli_cmd_note, cli_cmd_exclusion,
    cli_cmd_agency, cli_cmd_audit, cli_cmd_restore, cli_cmd_purge,
    cli_cmd_checkout, cli_cmd_merge;
/* senco backup FILE --encrypt (cmd_safety.c): returns an exit status. */
int cli_backup_encrypted(struct cli *c, const char *dest, bool encrypt,
    const char *passphrase_fd);

/* --- dispatch and help (cli.c) ------------------------------------------ */
/* Run `argv[0] ...` (argv[0] the command name). Returns an exit status. */
int cli_run(struct cli *c, int argc, char **argv);
/* senco --help: every command with a one-line summary. */
void cli_print_usage(FILE *fp);
/* senco help [CMD [SUB]]: returns an exit status. */
int cli_help(int argc, char **argv);

/* --- messages and exit status ------------------------------------------ */
/* "senco: <msg>" on stderr; returns the exit status for e->code. */
int cli_fail(const struct serr *e);
/* The <sysexits.h> status for an SE_ code. */
int cli_exit_code(int se_code);
/* "senco: <fmt...>" on stderr; returns status. */
int cli_error(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A usage error naming the command and pointing at its help; returns
 * EX_USAGE. */
int cli_usage(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --- options -------------------------------------------------------------- */
/* Start parsing a subcommand's options (resets getopt). */
void cli_opt_begin(void);
/* getopt_long with one-line messages: returns the option's val, -1 at the
 * end, 'h' for -h/--help, or '?' after printing a usage error. */
int cli_getopt(struct cli *c, int argc, char **argv,
    const struct option *opts);
/* For a subcommand with no options but --help: returns -1 to go on, or
 * an exit status (0 after printing the help). */
int cli_plain_options(struct cli *c, int argc, char **argv);
/* Print the help of the current subcommand on stdout; returns 0. */
int cli_sub_help(const struct cli *c);
/* Check the positional arguments left after the options: between min and
 * max of them (names for messages, e.g. "UPN"). Returns 0 or prints a
 * usage error and returns EX_USAGE. */
int cli_args(struct cli *c, int argc, char **argv, int min, int max,
    const char *const names[]);

/* --- opening the caseload and finding records ----------------------------- */
/* Open the caseload for a command (refusing a writing command under
 * --read-only before anything is touched) and set the author from the
 * staff list. Returns an exit status (0 on success). *db is the caller's
 * to db_close. */
int cli_open(struct cli *c, bool writes, struct db **db);
/* The same with db_open flags (DB_CREATE, DB_EXCL, DB_LAX_PERMS); a
 * warning from the store (network file system) goes to stderr. */
int cli_open_with(struct cli *c, bool writes, unsigned flags,
    struct db **db);
/* The author of changes: the staff list's name for the login. */
void cli_set_author(const struct config *cfg, struct db *db);
/* Find a pupil by UPN as typed (case and spaces forgiven). Returns an exit
 * status; the message has been printed. */
int cli_find_pupil(struct cli *c, struct db *db, const char *upn,
    struct pupil *p);
/* The pupil's open cycle, or an error saying there is none. Caller frees
 * with cycle_free on success. Returns an exit status. */
int cli_open_cycle(struct cli *c, struct db *db, const struct pupil *p,
    struct cycle *cy);
/* A UPN as typed, in capitals without spaces, into out (size >= 32). */
void cli_upn_normalise(const char *typed, char *out, size_t n);
/* "Brown, Zoë (B801200005001)" into buf. */
char *cli_pupil_label(const struct pupil *p, char *buf, size_t n);

/* --- values ------------------------------------------------------------- */
/* Each returns 0, or prints "senco: ..." and returns an exit status. */
int cli_date(const char *s, const char *what, sdate *out);
int cli_int(const struct cli *c, const char *s, const char *what, long min,
    long max, long *out);
/* "12.50", "£12.50", "12" -> pence. */
int cli_money(const struct cli *c, const char *s, const char *what,
    int64_t *out);
/* A decimal number ("93.5"). */
int cli_number(const struct cli *c, const char *s, const char *what,
    double *out);
/* Copy s into buf of n bytes, refusing text that does not fit. */
int cli_copy(char *buf, size_t n, const char *s, const char *what);
int cli_format(const struct cli *c, const char *s, enum table_format *f);

/* Print "Label:  value" for pupil show and the like. The value goes out
 * without control characters; its later lines are indented under the
 * first. NULL or "" prints nothing unless always is set. */
void cli_kv(const char *label, const char *value, bool always);
/* Text from the caseload on stdout without control characters (a line
 * feed stays, indented by indent spaces). */
void cli_put_text(const char *s, int indent);

/* Dates and money as listings show them: the configured style (or ISO) and
 * "£1,234.56" in the aligned form; ISO and "1234.56" in CSV/TSV. */
char *cli_show_date(sdate d, enum table_format f, char *buf);
char *cli_show_money(int64_t pence, enum table_format f, char *buf, size_t n);

#endif
