/*
 * app.c: the main loop and the frame around every screen (app.h):
 * drawing only what changed, keys through the key table, prompts on
 * the message line, resize and the "terminal too small" screen, and a
 * clean exit when a signal comes or the terminal goes away.
 */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/command.h"
#include "ui/draw.h"
#include "ui/help.h"
#include "ui/undo.h"

/* ERR with EINTR from get_wch happens after a job-control stop; this
 * many in a row without a key means the terminal is not coming back. */
#define EINTR_LIMIT 100
/* While no key comes, look this often for other users' changes; a read
 * that returns this much sooner with nothing is the terminal gone. */
#define IDLE_POLL_MS 1000
#define IDLE_SLACK_MS 100

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

void
ui_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocked read must return so the loop sees it */
	sa.sa_flags = 0;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool
ui_signalled(void)
{
	return got_signal != 0;
}

/* --- the stack -------------------------------------------------------- */

struct ui_screen *
ui_top(struct app *a)
{
	return a->depth > 0 ? a->stack[a->depth - 1] : NULL;
}

void
ui_redraw_all(struct app *a)
{
	int i;

	for (i = 0; i < a->depth; i++)
		a->stack[i]->full = true;
	a->frame_full = true;
}

void
ui_push(struct app *a, struct ui_screen *s)
{
	if (a->depth >= UI_STACK_MAX) {
		s->ops->destroy(s);
		ui_error(a, "too many screens open: close one with q first");
		return;
	}
	a->stack[a->depth++] = s;
	s->full = true;
	a->frame_full = true;
}

void
ui_pop(struct app *a)
{
	struct ui_screen *s;

	if (a->depth == 0)
		return;
	s = a->stack[--a->depth];
	s->ops->destroy(s);
	if (a->depth == 0) {
		a->quit = true;
		return;
	}
	s = ui_top(a);
	if (s->ops->resume != NULL)
		s->ops->resume(s, a);
	s->full = true;
	a->frame_full = true;
}

/* --- the frame -------------------------------------------------------- */

int
ui_body_rows(const struct app *a)
{
	return a->rows - UI_FRAME_ROWS;
}

int
ui_body_bottom(const struct app *a)
{
	return a->rows - UI_FRAME_ROWS;
}

void
ui_title(struct app *a, const char *fmt, ...)
{
	char buf[sizeof a->title];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (strcmp(buf, a->title) != 0) {
		memcpy(a->title, buf, sizeof buf);
		a->title_dirty = true;
	}
}

static void
set_message(struct app *a, enum ui_style st, const char *fmt, va_list ap)
{
	char buf[UI_MSG_MAX];

	vsnprintf(buf, sizeof buf, fmt, ap);
	/* one line: newlines in a core message would break the frame */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (strcmp(buf, a->msg) != 0 || a->msg_style != st) {
		memcpy(a->msg, buf, sizeof buf);
		a->msg_style = st;
		a->msg_dirty = true;
	}
}

void
ui_message(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(a, ST_MESSAGE, fmt, ap);
	va_end(ap);
}

void
ui_error(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(a, ST_ERROR, fmt, ap);
	va_end(ap);
	beep();
}

void
ui_error_serr(struct app *a, const struct serr *e)
{
	ui_error(a, "%s", e->msg[0] != '\0' ? e->msg :
	    serr_code_name(e->code));
}

void
ui_changed(struct app *a)
{
	a->generation++;
}

unsigned long
ui_generation(const struct app *a)
{
	return a->generation;
}

void
ui_prompt_open(struct app *a, const char *label, const char *initial,
    ui_prompt_change_cb change, ui_prompt_done_cb done, void *ctx)
{
	struct ui_prompt *p = &a->prompt;

	if (p->active)
		ui_edit_free(&p->ed);
	memset(p, 0, sizeof *p);
	p->active = true;
	snprintf(p->label, sizeof p->label, "%s", label);
	ui_edit_init(&p->ed, initial, false);
	p->change = change;
	p->done = done;
	p->ctx = ctx;
	a->msg_dirty = true;
}

static void
prompt_close(struct app *a, bool accepted)
{
	struct ui_prompt *p = &a->prompt;
	char *text = ui_edit_text(&p->ed);

	/* a search typed and accepted at once still moves first */
	if (accepted && p->change_pending && p->change != NULL)
		p->change(a, p->ctx, text);
	ui_prompt_done_cb done = p->done;
	void *ctx = p->ctx;

	ui_edit_free(&p->ed);
	p->active = false;
	a->msg[0] = '\0';
	a->msg_dirty = true;
	if (done != NULL)
		done(a, ctx, accepted, text);
	free(text);
}

/* --- drawing ---------------------------------------------------------- */

static void
draw_too_small(struct app *a)
{
	char line[128];
	int y = a->rows / 2 - 1;

	erase();
	snprintf(line, sizeof line, "terminal too small (need %dx%d, have "
	    "%dx%d)", UI_MIN_COLS, UI_MIN_ROWS, a->cols, a->rows);
	if (y < 0)
		y = 0;
	ui_draw(y, 0, a->cols, line, A_BOLD);
	if (y + 1 < a->rows)
		ui_draw(y + 1, 0, a->cols, "enlarge the window, or press q to "
		    "quit", A_NORMAL);
	curs_set(0);
}

static void
draw_message(struct app *a)
{
	int y = a->rows - 2;
	int cy, cx, lw, w;

	if (a->prompt.active) {
		/* the prompt on the left; what it found on the right half */
		w = a->msg[0] != '\0' ? a->cols / 2 : a->cols;
		lw = ui_draw(y, 0, ui_width(a->prompt.label),
		    a->prompt.label, A_BOLD);
		ui_edit_draw(&a->prompt.ed, y, lw, w - lw - 1, 1,
		    A_NORMAL, &cy, &cx);
		ui_blank(y, w - 1, 1, A_NORMAL);
		if (w < a->cols)
			ui_draw_right(y, w, a->cols - w, a->msg,
			    ui_style_attr(a->msg_style));
		return;
	}
	ui_draw(y, 0, a->cols, a->msg, ui_style_attr(a->msg_style));
}

static void
draw_hint(struct app *a)
{
	ui_draw(a->rows - 1, 0, a->cols, a->hint, ui_style_attr(ST_HINT));
}

static void
update_hint(struct app *a, struct ui_screen *s)
{
	char buf[sizeof a->hint];
	unsigned scopes = s->ops->scopes(s, a);

	if (a->prompt.active)
		snprintf(buf, sizeof buf, "Enter accept  Esc cancel  "
		    "Left/Right move  Backspace delete");
	else
		ui_keys_hint(scopes, a->cols - 1, buf, sizeof buf);
	if (strcmp(buf, a->hint) != 0) {
		memcpy(a->hint, buf, sizeof buf);
		a->hint_dirty = true;
	}
}

static void
render(struct app *a)
{
	struct ui_screen *s = ui_top(a);
	int cy = 0, cx = 0;
	bool show_cursor = false;
	static int cursor_state = -1;

	if (s == NULL)
		return;
	if (a->too_small) {
		if (a->frame_full) {
			draw_too_small(a);
			a->frame_full = false;
			cursor_state = 0;
		}
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (s->full) {
		/* erase() only blanks curses' copy: doupdate still sends
		 * just the cells that differ from the terminal */
		erase();
		a->frame_full = true;
	}
	s->ops->draw(s, a, s->full);
	s->full = false;
	update_hint(a, s);
	if (a->frame_full || a->title_dirty) {
		ui_draw(0, 0, a->cols, a->title, ui_style_attr(ST_TITLE));
		a->title_dirty = false;
	}
	if (a->frame_full || a->msg_dirty) {
		draw_message(a);
		a->msg_dirty = false;
	}
	if (a->frame_full || a->hint_dirty) {
		draw_hint(a);
		a->hint_dirty = false;
	}
	a->frame_full = false;
	if (a->prompt.active) {
		int lw = ui_width(a->prompt.label);
		int w = a->msg[0] != '\0' ? a->cols / 2 : a->cols;
		ui_edit_draw(&a->prompt.ed, a->rows - 2, lw, w - lw - 1,
		    1, A_NORMAL, &cy, &cx);
		show_cursor = true;
	} else if (s->ops->cursor != NULL)
		show_cursor = s->ops->cursor(s, a, &cy, &cx);
	if (show_cursor)
		move(cy, cx);
	if ((int)show_cursor != cursor_state) {
		curs_set(show_cursor ? 1 : 0);
		cursor_state = show_cursor;
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* --- keys ------------------------------------------------------------- */

static void
check_size(struct app *a)
{
	a->rows = LINES;
	a->cols = COLS;
	a->too_small = a->rows < UI_MIN_ROWS || a->cols < UI_MIN_COLS;
}

static void
refuse_read_only(struct app *a, const struct ui_keydef *d)
{
	ui_error(a, "read-only: senco was started with --read-only, so "
	    "'%s' (%s) does nothing", d->name, d->help);
}

static void
prompt_key(struct app *a, int key)
{
	struct ui_prompt *p = &a->prompt;
	enum ui_edit_result r;

	if (key == UI_KEY_ENTER) {
		prompt_close(a, true);
		return;
	}
	if (key == UI_KEY_ESC || key == UI_KEY_CTRL('c') ||
	    key == UI_KEY_CTRL('g')) {
		prompt_close(a, false);
		return;
	}
	if (key == UI_KEY_FN(KEY_BACKSPACE) && p->ed.len == 0) {
		prompt_close(a, false);
		return;
	}
	if (key == UI_KEY_CTRL('l')) {
		clearok(curscr, TRUE);
		ui_redraw_all(a);
		return;
	}
	r = ui_edit_key(&p->ed, key, a->cols);
	a->msg_dirty = true;
	/* search as you type runs once the typing pauses, not for every
	 * letter of a name pasted or typed fast */
	if (r == EDIT_CHANGED && p->change != NULL)
		p->change_pending = true;
}

static bool
input_waiting(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

static void
prompt_idle(struct app *a)
{
	struct ui_prompt *p = &a->prompt;
	char *text;

	if (!p->active || !p->change_pending || input_waiting())
		return;
	p->change_pending = false;
	text = ui_edit_text(&p->ed);
	p->change(a, p->ctx, text);
	free(text);
}

static void
unknown_key(struct app *a, int key)
{
	char name[32];

	ui_message(a, "%s does nothing here: ? lists the keys of this "
	    "screen", ui_key_name(key, name, sizeof name));
}

static void
dispatch(struct app *a, int key)
{
	struct ui_screen *s = ui_top(a);
	unsigned scopes = s->ops->scopes(s, a);
	enum ui_action act = ui_keys_lookup(key, scopes);
	const struct ui_keydef *d = ui_keys_def(act);

	if (d != NULL && (d->flags & KF_EDIT) && a->read_only) {
		refuse_read_only(a, d);
		return;
	}
	switch (act) {
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		ui_redraw_all(a);
		return;
	case ACT_HELP:
		if (!s->text_entry) {
			ui_help_open(a, s);
			return;
		}
		break;
	case ACT_COMMAND:
		ui_command_open(a);
		return;
	case ACT_UNDO:
		ui_undo_run(a);
		if (s->ops->resume != NULL)
			s->ops->resume(s, a);
		return;
	default:
		break;
	}
	if (s->ops->key(s, a, act, key))
		return;
	if (act == ACT_QUIT || act == ACT_BACK) {
		ui_pop(a);
		return;
	}
	if (!s->text_entry)
		unknown_key(a, key);
}

/*
 * Idle: has another user written to the caseload since we last looked?
 * Then everything the screens hold may be stale: bump the generation (the
 * screens below reload when they resume) and let the screen on top reload
 * now, keeping its place. A form is left alone: its save is checked
 * against the version it read, so a change under it is a conflict the
 * user decides, never a silent overwrite.
 */
static void
others_idle(struct app *a)
{
	struct ui_screen *s = ui_top(a);
	int64_t v;

	if (db_data_version(a->db, &v, NULL) != 0)
		return;
	if (!a->data_version_known || v == a->data_version) {
		a->data_version = v;
		a->data_version_known = true;
		return;
	}
	a->data_version = v;
	ui_changed(a);
	if (s == NULL || a->too_small)
		return;
	if (!s->text_entry && s->ops->resume != NULL) {
		s->ops->resume(s, a);
		s->full = true;
	}
	/* a message of the user's own last action is worth more */
	if (a->msg[0] == '\0')
		ui_message(a, "updated: changes by another user");
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Map the ways terminals send the same key onto one code. */
static int
normalise(int r, wint_t wch)
{
	if (r == KEY_CODE_YES) {
		if (wch == KEY_ENTER)
			return UI_KEY_ENTER;
		return UI_KEY_FN((int)wch);
	}
	if (wch == '\r')
		return UI_KEY_ENTER;
	if (wch == 0x7f || wch == 0x08)
		return UI_KEY_FN(KEY_BACKSPACE);
	return (int)wch;
}

void
ui_app_run(struct app *a)
{
	int eintr = 0;

	check_size(a);
	ui_redraw_all(a);
	others_idle(a);
	/* get_wch waits at most this long (never less: no spinning) */
	timeout(IDLE_POLL_MS);
	while (!a->quit && a->depth > 0) {
		wint_t wch = 0;
		int r, key;
		struct timespec t0;

		if (got_signal)
			break;
		prompt_idle(a);
		render(a);
		errno = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = get_wch(&wch);
		if (got_signal)
			break;
		/* the wait ran out with no key: look for other users' work.
		 * A dead terminal returns at once, so it is not taken for
		 * this and the loop cannot spin on it. */
		if (r == ERR && errno != EINTR && errno != EIO &&
		    ms_since(&t0) >= IDLE_POLL_MS - IDLE_SLACK_MS) {
			others_idle(a);
			continue;
		}
		if (r == ERR) {
			/* EINTR after a stop/continue: read again. Anything
			 * else (EIO, end of file) means the terminal is gone:
			 * leave now rather than spin on a dead descriptor. */
			if (errno == EINTR && ++eintr < EINTR_LIMIT)
				continue;
			a->status = 1;
			break;
		}
		eintr = 0;
		key = normalise(r, wch);
		if (key == UI_KEY_FN(KEY_RESIZE)) {
			check_size(a);
			ui_redraw_all(a);
			continue;
		}
		if (a->too_small) {
			if (key == 'q' || ui_keys_lookup(key, SC_GLOBAL) ==
			    ACT_QUIT)
				a->quit = true;
			else if (key == UI_KEY_CTRL('l')) {
				clearok(curscr, TRUE);
				ui_redraw_all(a);
			}
			continue;
		}
		if (a->prompt.active) {
			prompt_key(a, key);
			continue;
		}
		if (a->msg[0] != '\0') {
			a->msg[0] = '\0';
			a->msg_dirty = true;
		}
		dispatch(a, key);
	}
	if (got_signal)
		a->status = 128 + got_signal;
	if (a->prompt.active)
		ui_edit_free(&a->prompt.ed);
}
