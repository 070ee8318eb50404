/*
 * cmd_merge.c: senco checkout (a copy of the caseload to work on offline,
 * on a laptop) and senco merge (bring the laptop's changes back), over
 * core/merge.h. A merge lists every conflict in words; on a terminal the
 * user chooses for each one, in a script --keep chooses for all, and
 * without either nothing is merged.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/merge.h"
#include "core/xmalloc.h"

/* Tries of a merge whose caseload changes while the user chooses. */
#define MERGE_TRIES 3

/* --- checkout ------------------------------------------------------------- */

struct list {
	char **v;
	int n;
};

static void
list_add(struct list *l, const char *s)
{
	l->v = xreallocarray(l->v, (size_t)l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static void
list_free(struct list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* "A,B C" as typed: each UPN (capitals, no spaces) or year group. */
static void
list_split(struct list *l, const char *arg, bool upn)
{
	char *copy = xstrdup(arg), *save = NULL;

	for (char *w = strtok_r(copy, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		char norm[32];

		if (upn) {
			cli_upn_normalise(w, norm, sizeof norm);
			list_add(l, norm);
		} else
			list_add(l, w);
	}
	free(copy);
}

static int
run_checkout(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "pupils", required_argument, NULL, 'p' },
		{ "year", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct list upns = { NULL, 0 }, years = { NULL, 0 };
	struct merge_checkout_info info;
	struct merge_subset sub;
	const char *to = NULL;
	bool pupils = false;
	struct db *db = NULL;
	struct serr e;
	int ch, status = 0;

	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't':
			to = optarg;
			break;
		case 'p':
			pupils = true;
			list_split(&upns, optarg, true);
			break;
		case 'y':
			list_split(&years, optarg, false);
			break;
		case 'h':
			status = cli_sub_help(c);
			goto out;
		default:
			status = EX_USAGE;
			goto out;
		}
	}
	/* --pupils A B C: the words after the options are more UPNs. */
	for (int i = optind; i < argc; i++) {
		if (!pupils) {
			status = cli_usage(c, "unexpected argument '%s'",
			    argv[i]);
			goto out;
		}
		list_split(&upns, argv[i], true);
	}
	if (to == NULL) {
		status = cli_usage(c, "missing --to FILE (where to put the "
		    "laptop copy)");
		goto out;
	}
	if (pupils && upns.n == 0) {
		status = cli_usage(c, "--pupils needs at least one UPN");
		goto out;
	}
	if ((status = cli_open(c, true, &db)) != 0)
		goto out;
	sub.upns = (const char *const *)upns.v;
	sub.n_upns = upns.n;
	sub.years = (const char *const *)years.v;
	sub.n_years = years.n;
	serr_clear(&e);
	if (merge_checkout(db, to, &sub, &info, &e) != 0) {
		status = cli_fail(&e);
		if (e.code == SE_EXISTS || e.code == SE_IO)
			status = EX_CANTCREAT;
		goto out;
	}
	printf("Checked out %d pupil%s of %s to %s (checkout %016llx).\n",
	    info.pupils, info.pupils == 1 ? "" : "s", c->db_path, to,
	    (unsigned long long)info.checkout_id);
	printf("Work on it with 'senco --db %s'; bring the changes back with "
	    "'senco merge %s'.\n", to, to);
out:
	db_close(db);
	list_free(&upns);
	list_free(&years);
	return status;
}

/* --- merge: showing ------------------------------------------------------- */

static void
show_side(const char *side, const struct merge_conflict *k, const char *value,
    const char *by, const char *at)
{
	char when[32];

	printf("  %-8s", side);
	if (k->kind == MERGE_FIELD) {
		if (value != NULL) {
			fputs("“", stdout);
			cli_put_text(value, 12);
			fputs("”", stdout);
		} else
			fputs("(empty)", stdout);
	} else
		cli_put_text(value ? value : "", 12);
	if (*by || *at) {
		fputs("  (", stdout);
		cli_put_text(by, 0);
		printf("%s%s)", *by && *at ? ", " : "",
		    merge_at_show(at, when, sizeof when));
	}
	putchar('\n');
}

static void
show_conflict(const struct merge_conflict *k, int i, int n)
{
	printf("Conflict %d of %d: ", i + 1, n);
	cli_put_text(k->summary, 2);
	putchar('\n');
	show_side("server:", k, k->server_value, k->server_by, k->server_at);
	show_side("laptop:", k, k->laptop_value, k->laptop_by, k->laptop_at);
	fputs("  keep server: ", stdout);
	cli_put_text(k->if_server, 4);
	fputs("\n  keep laptop: ", stdout);
	cli_put_text(k->if_laptop, 4);
	putchar('\n');
}

static void
show_origin(const struct merge_info *in)
{
	char when[32];

	printf("Laptop copy %s: checked out from %s on %s by %s", in->laptop_path,
	    in->server_file, merge_at_show(in->taken_at, when, sizeof when),
	    in->taken_by);
	if (in->subset != NULL)
		printf(" (%s)", in->subset);
	printf(".\n");
}

static void
show_changes(const struct merge_info *in)
{
	printf("Changes on the laptop:\n");
	for (int i = 0; i < in->n_tables; i++) {
		const struct merge_table_count *t = &in->tables[i];
		const char *sep = "";

		printf("  %-24s", t->label);
		if (t->added) {
			printf("%d added", t->added);
			sep = ", ";
		}
		if (t->changed) {
			printf("%s%d changed", sep, t->changed);
			sep = ", ";
		}
		if (t->deleted)
			printf("%s%d deleted", sep, t->deleted);
		putchar('\n');
	}
}

static void
show_figures(const char *lead, const struct merge_figures *f, bool done)
{
	printf("%s %d change%s from the laptop: %d %s as %s, %d merged "
	    "with changes on the server, %d already on the server, %d in "
	    "conflict", lead, f->changes, f->changes == 1 ? "" : "s",
	    f->applied, done ? "applied" : "apply", done ? "they were" :
	    "they are", f->merged, f->already, f->conflicted);
	if (f->conflicts > 0) {
		printf(" (%d conflict%s", f->conflicts,
		    f->conflicts == 1 ? "" : "s");
		if (done)
			printf(": %d kept the server's, %d the laptop's",
			    f->kept_server, f->kept_laptop);
		putchar(')');
	}
	printf("; %d audit entr%s %s.\n", f->audit_entries,
	    f->audit_entries == 1 ? "y" : "ies", done ? "added" : "to add");
	if (done)
		printf("Wrote %d record%s to the caseload.\n", f->written,
		    f->written == 1 ? "" : "s");
	if (f->links_cleared > 0)
		printf("%d link%s to records deleted on the server %s cleared.\n",
		    f->links_cleared, f->links_cleared == 1 ? "" : "s",
		    f->links_cleared == 1 ? "is" : "are");
}

static int
count_undecided(struct merge *m)
{
	int n, u = 0;
	struct merge_conflict *k = merge_conflicts(m, &n);

	for (int i = 0; i < n; i++)
		if (k[i].choice == MERGE_UNDECIDED)
			u++;
	return u;
}

static void
list_undecided(struct merge *m)
{
	int n, shown = 0, u = count_undecided(m);
	struct merge_conflict *k = merge_conflicts(m, &n);

	for (int i = 0; i < n; i++)
		if (k[i].choice == MERGE_UNDECIDED)
			show_conflict(&k[i], shown++, u);
}

/* --- merge: choosing ------------------------------------------------------ */

/*
 * Ask for each undecided conflict on the terminal. Returns 0 when all
 * are decided, -1 when the user stops (or input ends).
 */
static int
ask(struct merge *m)
{
	int n, shown = 0, u = count_undecided(m);
	struct merge_conflict *k = merge_conflicts(m, &n);
	enum merge_choice all = MERGE_UNDECIDED;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		if (k[i].choice != MERGE_UNDECIDED)
			continue;
		if (all != MERGE_UNDECIDED) {
			k[i].choice = all;
			continue;
		}
		putchar('\n');
		show_conflict(&k[i], shown++, u);
		for (;;) {
			printf("Keep which? [s]erver, [l]aptop, [S] server for "
			    "all the rest, [L] laptop for all the rest, [q]uit: ");
			fflush(stdout);
			if (getline(&line, &cap, stdin) < 0) {
				putchar('\n');
				rc = -1;
				break;
			}
			line[strcspn(line, "\r\n")] = '\0';
			if (strcmp(line, "s") == 0 || strcmp(line, "server") == 0)
				k[i].choice = MERGE_KEEP_SERVER;
			else if (strcmp(line, "l") == 0 ||
			    strcmp(line, "laptop") == 0)
				k[i].choice = MERGE_KEEP_LAPTOP;
			else if (strcmp(line, "S") == 0)
				k[i].choice = all = MERGE_KEEP_SERVER;
			else if (strcmp(line, "L") == 0)
				k[i].choice = all = MERGE_KEEP_LAPTOP;
			else if (strcmp(line, "q") == 0) {
				rc = -1;
				break;
			} else
				continue;
			break;
		}
	}
	free(line);
	return rc;
}

static bool
on_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* Decide every open conflict, or say why not. Returns an exit status. */
static int
decide(struct cli *c, struct merge *m, bool keep_given)
{
	int u = count_undecided(m);

	if (u == 0 || keep_given)
		return 0;
	if (on_terminal()) {
		if (ask(m) != 0)
			return cli_error(EX_DATAERR, "%s: stopped before every "
			    "conflict had a choice; nothing was merged",
			    c->what);
		return 0;
	}
	list_undecided(m);
	return cli_error(EX_DATAERR, "%s: %d conflict%s need%s a choice: run "
	    "it on a terminal, or choose with --keep server or --keep laptop; "
	    "nothing was merged", c->what, u, u == 1 ? "" : "s",
	    u == 1 ? "s" : "");
}

static int
merge_fail(const struct serr *e)
{
	/* A copy of another schema version is wrong input, not a fault. */
	if (e->code == SE_SCHEMA)
		return cli_error(EX_DATAERR, "%s", e->msg);
	return cli_fail(e);
}

static int
run_merge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep", required_argument, NULL, 'k' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "FILE (the laptop copy)" };
	enum merge_choice keep = MERGE_UNDECIDED;
	const struct merge_info *in;
	struct merge_figures f;
	struct merge *m = NULL;
	struct db *db = NULL;
	bool dry = false;
	char warning[SERR_MSG_MAX];
	struct serr e;
	int ch, status, rc, n;

	serr_clear(&e);
	cli_opt_begin();
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'k':
			if (merge_choice_parse(optarg, &keep, &e) != 0)
				return cli_usage(c, "--keep %s", e.msg);
			break;
		case 'n':
			dry = true;
			break;
		case 'h':
			return cli_sub_help(c);
		default:
			return EX_USAGE;
		}
	}
	if ((status = cli_args(c, argc, argv, 1, 1, names)) != 0)
		return status;
	/* A dry run works in memory only: it may run read-only. */
	if ((status = cli_open(c, !dry, &db)) != 0)
		return status;
	if (merge_prepare(db, argv[optind], &m, &e) != 0) {
		status = merge_fail(&e);
		goto out;
	}
	in = merge_info(m);
	show_origin(in);
	if (in->already_merged) {
		char when[32];

		printf("These changes were merged on %s by %s: nothing to "
		    "do.\n", merge_at_show(in->merged_at, when, sizeof when),
		    in->merged_by);
		if (!dry && merge_apply(m, keep, NULL, warning, sizeof warning,
		    &e) == 0 && *warning)
			fprintf(stderr, "senco: note: %s\n", warning);
		goto out;
	}
	if (in->n_tables == 0) {
		printf("Nothing changed on the laptop since the copy was taken "
		    "or last merged: nothing to merge.\n");
		goto out;
	}
	show_changes(in);
	show_figures(dry ? "Would merge" : "To merge:", &in->figures, false);
	merge_conflicts(m, &n);
	if (dry) {
		if (n > 0)
			putchar('\n');
		list_undecided(m);
		printf("Dry run: nothing was written.\n");
		goto out;
	}
	for (int tries = 0; ; tries++) {
		if ((status = decide(c, m, keep != MERGE_UNDECIDED)) != 0)
			goto out;
		rc = merge_apply(m, keep, &f, warning, sizeof warning, &e);
		if (rc == 0)
			break;
		/* The caseload changed while choosing: ask again. */
		if (rc != SE_CONFLICT || tries + 1 >= MERGE_TRIES) {
			status = merge_fail(&e);
			goto out;
		}
		printf("The caseload changed meanwhile; %d new conflict%s:\n",
		    count_undecided(m), count_undecided(m) == 1 ? "" : "s");
	}
	show_figures("Merged", &f, true);
	if (*warning)
		fprintf(stderr, "senco: note: %s\n", warning);
	else
		printf("The laptop copy now starts from this merge: keep working "
		    "on it, or take a new checkout to see the server's changes.\n");
out:
	merge_free(m);
	db_close(db);
	return status;
}

/* --- the table ------------------------------------------------------------ */

static const struct cli_sub checkout_subs[] = {
	{ NULL, "--to FILE [--pupils UPN...] [--year Y]",
	  "make a copy of the caseload to work on offline (on a laptop)",
	  "  --to FILE          where to put the copy (a new file, mode 0600)\n"
	  "  --pupils UPN...    only these pupils (UPNs separated by spaces or\n"
	  "                     commas); may be given more than once\n"
	  "  --year Y           only the pupils on roll in year group Y; may be\n"
	  "                     given more than once (with --pupils: both)\n"
	  "The copy is an ordinary caseload: open it with 'senco --db FILE'.\n"
	  "It remembers what it was taken from, so 'senco merge FILE' can bring\n"
	  "its changes back. The intervention catalogue always goes whole;\n"
	  "nothing of the pupils left out goes into the copy.\n",
	  run_checkout },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_checkout = { "checkout", "", checkout_subs };

static const struct cli_sub merge_subs[] = {
	{ NULL, "FILE [--keep server|laptop] [--dry-run]",
	  "bring the changes made on a laptop copy back into the caseload",
	  "  --keep server|laptop  settle every conflict this way\n"
	  "  --dry-run             show what would be merged and the conflicts;\n"
	  "                        write nothing\n"
	  "Changes to records nobody touched here go in as they are. Where the\n"
	  "same field changed on both sides, or a record was deleted on one\n"
	  "side and changed on the other, each conflict is shown and, on a\n"
	  "terminal, you choose which side to keep; without a terminal and\n"
	  "without --keep nothing is merged (exit status 65). The merge is one\n"
	  "transaction; merging the same copy again changes nothing.\n",
	  run_merge },
	{ NULL, NULL, NULL, NULL, NULL }
};
const struct cli_command cli_cmd_merge = { "merge", "", merge_subs };
