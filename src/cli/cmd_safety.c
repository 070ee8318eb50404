/*
 * cmd_safety.c: the commands that keep pupil data safe: the encrypted
 * side of senco backup (--encrypt), senco restore, and the retention
 * purge. A passphrase is taken from the terminal without echo or from a
 * file descriptor, never from the command line or the environment.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/purge.h"
#include "core/vault.h"
#include "core/xmalloc.h"

/* A file the command would create is there already, or cannot be made:
 * "cannot create", as for init and backup. */
static int
fail_create(const struct serr *e)
{
	int status = cli_fail(e);

	return e->code == SE_EXISTS || e->code == SE_IO ? EX_CANTCREAT : status;
}

static int
refuse_existing(const char *what, const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) == 0)
		return cli_error(EX_CANTCREAT, "%s: %s: a file is already "
		    "there; senco will not overwrite it", what, path);
	return 0;
}

/* The number after --passphrase-fd. The value is not repeated in the
 * message: it may be a passphrase typed there by mistake. */
static int
parse_fd(const struct cli *c, const char *s, int *fd)
{
	long v = 0;

	if (s == NULL || *s == '\0')
		goto bad;
	for (const char *p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) || v > INT_MAX / 10)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v > INT_MAX)
		goto bad;
	*fd = (int)v;
	return 0;
bad:
	return cli_usage(c, "--passphrase-fd needs the number of an open file "
	    "descriptor (a passphrase is never taken from the command line)");
}

/* Fill pw from --passphrase-fd, else from the terminal (asked twice when
 * making a backup). Returns an exit status; pw is the caller's to free
 * with passphrase_free on success. */
static int
get_passphrase(const struct cli *c, const char *fdarg, bool confirm,
    struct passphrase *pw)
{
	struct serr e;
	int fd = -1, status;

	serr_clear(&e);
	if (fdarg != NULL) {
		if ((status = parse_fd(c, fdarg, &fd)) != 0)
			return status;
		if (passphrase_read_fd(pw, fd, &e) != 0)
			return cli_fail(&e);
		return 0;
	}
	if (passphrase_ask(pw, confirm ? "Passphrase for the backup: " :
	    "Passphrase: ", confirm ? "The same passphrase again: " : NULL,
	    &e) != 0) {
		if (e.code == SE_INVALID && strstr(e.msg, "no terminal"))
			return cli_error(EX_USAGE, "%s", e.msg);
		return cli_fail(&e);
	}
	return 0;
}

/* --- backup --encrypt ------------------------------------------------------- */

int
cli_backup_encrypted(struct cli *c, const char *dest, bool encrypt,
    const char *fdarg)
{
	struct passphrase pw = { NULL, 0 };
	struct db *db = NULL;
	struct serr e;
	int status;

	if (!encrypt)
		return cli_usage(c, "--passphrase-fd goes with --encrypt");
	if ((status = refuse_existing(c->what, dest)) != 0)
		return status;
	if ((status = cli_open(c, false, &db)) != 0)
		return status;
	if ((status = get_passphrase(c, fdarg, true, &pw)) != 0)
		goto out;
	serr_clear(&e);
	if (vault_backup(db, dest, &pw, NULL, &e) != 0) {
		status = fail_create(&e);
		goto out;
	}
	printf("Encrypted a copy of %s to %s.\n", c->db_path, dest);
out:
	passphrase_free(&pw);
	db_close(db);
	return status;
}

/* --- restore ---------------------------------------------------------------- */

static int
run_restore(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "passphrase-fd", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "FILE (the encrypted backup)" };
	struct passphrase pw = { NULL, 0 };
	struct vault_kdf kdf;
	const char *src, *dest = NULL, *fdarg = NULL;
	struct serr e;
	char *dir, *slash;
	int ch, status;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't':
			dest = optarg;
			break;
		case 'p':
			fdarg = optarg;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return status;
	src = argv[optind];
	if (dest == NULL)
		dest = c->db_path;
	if (dest == NULL || *dest == '\0')
		return cli_usage(c, "where to? give --to NEW.db");
	if (c->read_only)
		return cli_error(EX_NOPERM, "restore: cannot create a caseload "
		    "with --read-only");
	/* Everything that can be known without the passphrase first. */
	serr_clear(&e);
	if (vault_peek_kdf(src, &kdf, &e) != 0)
		return cli_fail(&e);
	if ((status = refuse_existing("restore", dest)) != 0)
		return status;
	if ((status = get_passphrase(c, fdarg, false, &pw)) != 0)
		return status;
	dir = xstrdup(dest);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		status = db_mkdir_private(dir, &e);
	}
	free(dir);
	if (status != 0 || vault_restore(src, dest, &pw, &e) != 0) {
		passphrase_free(&pw);
		return fail_create(&e);
	}
	passphrase_free(&pw);
	printf("Restored %s to %s: a senco caseload that passes the "
	    "integrity check.\n", src, dest);
	return 0;
}

/* --- purge ------------------------------------------------------------------ */

static void
print_rule(const struct purge_rule *r)
{
	char d[DATE_ISO_LEN];

	if (r->left_before != SDATE_NONE)
		printf("pupils who left before %s", date_show(r->left_before,
		    d));
	else
		printf("pupils who have left and whose records are past "
		    "retention (date of birth + %d years)", r->retention_years);
}

static void
print_list(const struct purge_list *l, sdate today)
{
	char dob[DATE_ISO_LEN], left[DATE_ISO_LEN], end[DATE_ISO_LEN];

	for (int i = 0; i < l->n; i++) {
		const struct purge_pupil *p = &l->v[i];

		printf("  %s  ", p->upn);
		cli_put_text(p->name, 0);
		printf("  born %s, left %s, kept until %s%s\n",
		    date_show(p->dob, dob), p->left_on != SDATE_NONE ?
		    date_show(p->left_on, left) : "(no date)",
		    date_show(p->retention_end, end),
		    p->retention_end >= today ? " (retention not over)" : "");
	}
}

/* On a terminal: does the user type "yes"? */
static bool
confirmed(int n)
{
	char line[32];

	printf("Remove %s %d pupil%s and every record about them for good? "
	    "This cannot be undone.\nType 'yes' to go on: ",
	    n == 1 ? "this" : "these", n, n == 1 ? "" : "s");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0;
}

static int
run_purge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "left-before", required_argument, NULL, 'l' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct purge_rule rule;
	struct purge_list list = { NULL, 0 };
	struct purge_result res;
	struct db *db = NULL;
	struct serr e;
	bool dry = false, yes = false;
	int ch, status;

	rule.left_before = SDATE_NONE;
	rule.retention_years = c->cfg->retention_years;
	rule.today = date_today();
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'l':
			if ((status = cli_date(optarg, "--left-before",
			    &rule.left_before)) != 0)
				return status;
			break;
		case 'n':
			dry = true;
			break;
		case 'y':
			yes = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 0, 0, NULL)) != 0)
		return status;
	serr_clear(&e);
	if (purge_rule_check(&rule, &e) != 0)
		return cli_fail(&e);
	if ((status = cli_open(c, !dry, &db)) != 0)
		return status;
	if (purge_find(db, &rule, &list, &e) != 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (list.n == 0) {
		printf("No pupils to purge: no ");
		print_rule(&rule);
		printf(".\n");
		goto out;
	}
	printf("%d pupil%s to purge, ", list.n, list.n == 1 ? "" : "s");
	print_rule(&rule);
	printf(":\n");
	print_list(&list, rule.today);
	if (dry) {
		printf("Dry run: nothing was changed.\n");
		goto out;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			status = cli_error(EX_USAGE, "purge: no terminal to "
			    "confirm on: give --yes to remove %s %d pupil%s "
			    "(nothing was changed)", list.n == 1 ? "this" :
			    "these", list.n, list.n == 1 ? "" : "s");
			goto out;
		}
		if (!confirmed(list.n)) {
			printf("Nothing was changed.\n");
			goto out;
		}
	}
	if (purge_run(db, &rule, &list, &res, &e) != 0) {
		status = cli_fail(&e);
		goto out;
	}
	printf("Purged %d pupil%s with every record about them (%d audit "
	    "row%s).\n", res.purged, res.purged == 1 ? "" : "s", res.audit_rows,
	    res.audit_rows == 1 ? "" : "s");
	if (res.skipped > 0)
		printf("%d pupil%s no longer matched (brought back on roll "
		    "meanwhile) and %s kept.\n", res.skipped,
		    res.skipped == 1 ? "" : "s", res.skipped == 1 ? "was" :
		    "were");
	if (res.note[0] != '\0')
		status = cli_error(EX_TEMPFAIL, "purge: %s", res.note);
out:
	purge_list_free(&list);
	db_close(db);
	return status;
}

/* --- the table ---------------------------------------------------------------- */

static const struct cli_sub restore_subs[] = {
	{ NULL, "FILE [--to NEW.db] [--passphrase-fd N]",
	  "restore an encrypted backup into a new caseload file",
	  "  --to NEW.db         where to put the caseload (default: the "
	  "caseload path,\n"
	  "                      --db or the configured one); never over an "
	  "existing file\n"
	  "  --passphrase-fd N   read the passphrase from file descriptor N "
	  "(its first\n"
	  "                      line), not the terminal\n"
	  "The backup is decrypted and checked (a senco caseload that passes "
	  "SQLite's\n"
	  "integrity check) before anything is written; the new file is "
	  "mode 0600.\n",
	  run_restore },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_restore = { "restore", "", restore_subs };

static const struct cli_sub purge_subs[] = {
	{ NULL, "[--left-before DATE] [--dry-run] [--yes]",
	  "remove pupils who left, once their records need not be kept",
	  "  --left-before DATE  pupils archived with a leaving date before "
	  "DATE\n"
	  "                      (default: those whose date of birth + "
	  "retention_years,\n"
	  "                      25 unless configured, is before today)\n"
	  "  --dry-run           list who would go; change nothing\n"
	  "  --yes               do not ask (needed without a terminal)\n"
	  "Only archived pupils are ever purged: every row about them and "
	  "their audit\n"
	  "trail go in one transaction, then the file is rebuilt so no trace "
	  "stays.\n",
	  run_purge },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_purge = { "purge", "", purge_subs };
