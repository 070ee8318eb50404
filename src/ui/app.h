/*
 * app.h: the frame every screen lives in: the screen stack, the main
 * loop, the message line, the hint bar, prompts on the message line,
 * the "terminal too small" screen, signals and a lost terminal.
 *
 * The screen layout (80x24 at least):
 *   row 0            title bar (screen, school, counts)   ui_title()
 *   rows 1..rows-3   the screen's body                    ops->draw()
 *   row rows-2       message line, or a prompt            ui_message()
 *   row rows-1       hint bar, from the key table         (automatic)
 *
 * A screen is a struct that starts with struct ui_screen, and a table
 * of hooks. How to write one (the review meeting, provision map and
 * dashboard follow this):
 *   - scopes(): the key scopes active now (keys.h), e.g. SC_GLOBAL |
 *     SC_MOVE | SC_REGISTER. The app looks each key up in the key table
 *     under these scopes and calls key() with the action.
 *   - draw(full): when full is true, draw the whole body (the app has
 *     erased it). Otherwise draw only what the screen marked as changed
 *     itself since the last draw (e.g. the two rows a cursor move
 *     touched): over SSH every byte counts. Never call clear() here.
 *   - key(act, key): act is the bound action or ACT_NONE (key is then
 *     the raw key: a Unicode character or UI_KEY_FN(KEY_...)). Return
 *     true when handled. Editing actions (KF_EDIT) never reach a screen
 *     on a read-only caseload: the app answers them.
 *   - resume(): optional; the screen above was closed. Reload anything
 *     ui_generation() says has changed. The app redraws it in full.
 *   - cursor(y, x): optional; where the terminal cursor goes (text
 *     entry); return false to hide it.
 *   - command(argc, argv): optional; a ":" command the app does not
 *     know. Return true when handled.
 *   - destroy(): free the screen.
 */
#ifndef SENCO_UI_APP_H
#define SENCO_UI_APP_H

#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "core/db.h"
#include "core/err.h"
#include "ui/edit.h"
#include "ui/keys.h"
#include "ui/style.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_STACK_MAX 16
#define UI_MSG_MAX 512
#define UI_CFG_PROBLEMS_MAX 16
#define UI_BODY_TOP 1		/* first row of a screen's body */
/* rows the frame takes: title, message, hint */
#define UI_FRAME_ROWS 3

struct app;
struct ui_screen;

struct ui_screen_ops {
	const char *name;	/* "Register": help title */
	unsigned (*scopes)(struct ui_screen *s, struct app *a);
	void (*draw)(struct ui_screen *s, struct app *a, bool full);
	bool (*key)(struct ui_screen *s, struct app *a, enum ui_action act,
	    int key);
	void (*resume)(struct ui_screen *s, struct app *a);
	bool (*cursor)(struct ui_screen *s, struct app *a, int *y, int *x);
	bool (*command)(struct ui_screen *s, struct app *a, int argc,
	    char **argv);
	void (*destroy)(struct ui_screen *s);
};

struct ui_screen {
	const struct ui_screen_ops *ops;
	bool full;		/* needs a full redraw at the next draw */
	bool text_entry;	/* printable keys are typed, not actions */
};

/* A one-line prompt on the message line (search, command, comment). */
typedef void (*ui_prompt_change_cb)(struct app *a, void *ctx,
    const char *text);
/* accepted false: Esc. */
typedef void (*ui_prompt_done_cb)(struct app *a, void *ctx, bool accepted,
    const char *text);

struct ui_prompt {
	bool active;
	char label[64];
	struct ui_edit ed;
	ui_prompt_change_cb change;
	ui_prompt_done_cb done;
	void *ctx;
	bool change_pending;	/* typed ahead: run change when idle */
};

/* One change of this session, kept so that u can take it back. */
enum ui_undo_kind {
	UNDO_NONE = 0,
	UNDO_RATING,		/* a rating or comment: delete it */
	UNDO_OUTCOME,		/* a target discontinued: clear outcome */
	UNDO_TARGET_EDIT,	/* restore the saved text fields */
	UNDO_TARGET_ADD,	/* delete the target added (no ratings) */
	UNDO_STAGE,		/* a cycle advanced: put the stage back */
	UNDO_NOT_POSSIBLE,	/* a change the UI cannot take back */
};

struct ui_undo {
	enum ui_undo_kind kind;
	int64_t id;		/* rating, target or cycle id */
	int old_value;		/* outcome or stage */
	char *old_text, *old_criteria, *old_baseline;
	int old_area;
	char what[320];		/* "rating 3 of target 2 for Zoë Brown" */
};

struct app {
	struct db *db;
	const struct config *cfg;
	bool read_only;
	struct ui_screen *stack[UI_STACK_MAX];
	int depth;
	int rows, cols;
	bool too_small;
	bool frame_full;	/* title, message and hint need drawing */

	char msg[UI_MSG_MAX];
	enum ui_style msg_style;
	bool msg_dirty;
	bool msg_keep;		/* survive the next key (set by this key) */
	char hint[512];
	bool hint_dirty;
	char title[256];
	bool title_dirty;

	struct ui_prompt prompt;
	struct ui_undo undo;
	/* the config file's binding and colour problems, for help */
	char *cfg_problems[UI_CFG_PROBLEMS_MAX];
	int n_cfg_problems;
	unsigned long generation;	/* bumped by every write */
	/* PRAGMA data_version when last looked at (idle, once a second):
	 * a change means another user wrote to the caseload */
	int64_t data_version;
	bool data_version_known;
	bool quit;
	int status;		/* exit status */
};

/* --- the stack -------------------------------------------------------- */
void ui_push(struct app *a, struct ui_screen *s);
/* Close the top screen; the one below resumes and redraws. */
void ui_pop(struct app *a);
struct ui_screen *ui_top(struct app *a);
/* Mark the whole display for a redraw. */
void ui_redraw_all(struct app *a);

/* --- the frame -------------------------------------------------------- */
/* The title bar text (screen and context); drawn when changed. */
void ui_title(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ui_message(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ui_error(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Show a core error: "<what>: <why>" as the core wrote it. */
void ui_error_serr(struct app *a, const struct serr *e);
/* Rows a body can use, and its last row. */
int ui_body_rows(const struct app *a);
int ui_body_bottom(const struct app *a);

/* Open a prompt on the message line. change (may be NULL) runs after
 * every edit; done runs once on Enter or Esc. */
void ui_prompt_open(struct app *a, const char *label, const char *initial,
    ui_prompt_change_cb change, ui_prompt_done_cb done, void *ctx);

/* --- the caseload ----------------------------------------------------- */
/* Note that the caseload changed (screens reload on resume). */
void ui_changed(struct app *a);
unsigned long ui_generation(const struct app *a);
/* Remember the last change for u (takes ownership of the strings). */
void ui_undo_set(struct app *a, const struct ui_undo *u);
void ui_undo_clear(struct app *a);

/* --- running ---------------------------------------------------------- */
/* The loop; returns when the user quits or the terminal goes away. */
void ui_app_run(struct app *a);
/* Install the SIGHUP/SIGTERM/SIGINT handlers. */
void ui_signals_install(void);
/* Was one of them received? */
bool ui_signalled(void);

#endif
