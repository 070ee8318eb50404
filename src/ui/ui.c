/*
 * ui.c: ui_run(): open the caseload, set up the terminal, run the
 * screens, and always leave the database closed and the terminal sane.
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "core/db.h"
#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/register.h"
#include "ui/style.h"
#include "ui/ui.h"

/* Escape alone is "cancel": wait only a tenth of a second for the rest
 * of a key sequence (ncurses waits a whole second). */
#define UI_ESCDELAY_MS 100

struct problems {
	char first[UI_MSG_MAX];
	int n;
	char *all[UI_CFG_PROBLEMS_MAX];
};

static void
collect(void *ctx, const char *msg)
{
	struct problems *p = ctx;

	if (p->n == 0)
		snprintf(p->first, sizeof p->first, "%s", msg);
	if (p->n < UI_CFG_PROBLEMS_MAX)
		p->all[p->n] = xstrdup(msg);
	p->n++;
}

static int
exit_code(int se)
{
	switch (se) {
	case SE_NOTFOUND:
		return EX_NOINPUT;
	case SE_PERM:
	case SE_READONLY:
		return EX_NOPERM;
	case SE_CONFIG:
		return EX_CONFIG;
	case SE_IO:
	case SE_FULL:
		return EX_IOERR;
	case SE_INVALID:
		return EX_DATAERR;
	default:
		return EX_SOFTWARE;
	}
}

/* Ctrl-S saves a form, so the terminal must not take it for XOFF. */
static void
no_flow_control(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
		def_prog_mode();
	}
}

int
ui_run(const struct ui_opts *o)
{
	struct app a;
	struct db_options dbo;
	struct serr e;
	struct problems pr;
	char *path = NULL, *login;
	int rc, i;

	memset(&a, 0, sizeof a);
	memset(&pr, 0, sizeof pr);
	serr_clear(&e);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "senco: the full-screen interface needs a "
		    "terminal (see 'senco --help' for the commands)\n");
		return EX_USAGE;
	}
	if (o->db_path == NULL)
		path = config_database_path(o->cfg);
	config_db_options(o->cfg, &dbo);
	rc = db_open_ex(&a.db, o->db_path != NULL ? o->db_path : path,
	    o->read_only ? DB_READONLY : 0, &dbo, &e);
	free(path);
	if (rc != 0) {
		fprintf(stderr, "senco: %s\n", e.msg);
		return exit_code(rc);
	}
	/* db_author is the login; the config may give a display name */
	login = xstrdup(db_author(a.db));
	db_set_author(a.db, config_staff_name(o->cfg, login));
	free(login);
	a.cfg = o->cfg;
	a.read_only = o->read_only;

	/* before initscr: ncurses leaves alone handlers already set */
	ui_signals_install();
	setlocale(LC_ALL, "");
	ui_keys_init();
	ui_keys_configure(o->cfg, collect, &pr);
	if (initscr() == NULL) {
		db_close(a.db);
		fprintf(stderr, "senco: cannot start the terminal\n");
		return EX_OSERR;
	}
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(UI_ESCDELAY_MS);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	idlok(stdscr, TRUE);
	no_flow_control();
	ui_style_init(o->cfg, collect, &pr);
	/*
	 * ncurses 6.4 writes out its buffer at every cursor movement until
	 * the screen has once been through endwin(): its state stays
	 * "initial", in which mvcur flushes for the sake of low-level
	 * terminfo programs. That made a page of the register dozens of
	 * write(2)s, each a packet of its own over SSH, instead of one.
	 * One endwin() and refresh() before the first screen puts it in
	 * its running state (tests/tui/test_output.sh counts the writes).
	 */
	endwin();
	refresh();

	a.rows = LINES;
	a.cols = COLS;
	for (i = 0; i < pr.n && i < UI_CFG_PROBLEMS_MAX; i++)
		a.cfg_problems[a.n_cfg_problems++] = pr.all[i];
	ui_register_open(&a);
	if (pr.n == 1)
		ui_error(&a, "%s", pr.first);
	else if (pr.n > 1)
		ui_error(&a, "%s (and %d more: ? lists them)", pr.first,
		    pr.n - 1);
	else if (db_warning(a.db) != NULL)
		ui_error(&a, "%s", db_warning(a.db));
	else if (a.read_only)
		ui_message(&a, "read-only: nothing can be changed in this "
		    "session");
	ui_app_run(&a);

	while (a.depth > 0) {
		struct ui_screen *s = a.stack[--a.depth];
		s->ops->destroy(s);
	}
	ui_undo_clear(&a);
	for (i = 0; i < a.n_cfg_problems; i++)
		free(a.cfg_problems[i]);
	endwin();
	/* nothing is left open between keys, but a signal may have come
	 * in the middle of a core call: roll back what did not commit */
	if (db_in_transaction(a.db)) {
		db_rollback(a.db);
		db_commit(a.db, NULL);
	}
	db_close(a.db);
	if (ui_signalled())
		fprintf(stderr, "senco: stopped by a signal; everything saved "
		    "before it is kept\n");
	else if (a.status != 0)
		fprintf(stderr, "senco: the terminal went away; everything "
		    "saved before it is kept\n");
	return a.status;
}
