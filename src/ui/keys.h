/*
 * keys.h: the one key table of the full-screen interface.
 *
 * Every key senco answers to is a row of the table in keys.c:
 * {action, config name, default keys, hint label, help text, scopes,
 * flags}. The table drives the key handling (ui_keys_lookup), the hint
 * bar (ui_keys_hint), the help screen (help.c walks ui_keys_table) and
 * the man page (tests/tui/test_keys.sh checks that every action name is
 * documented in man/senco.1). Bindings can be changed in the config file
 * (keys = { down = "j,Down"; ... }) through ui_keys_configure().
 *
 * Scopes say where a binding works. A screen says which scopes are
 * active (a bit mask); when two active bindings share a key the most
 * specific wins, in the order pane > screen > moving/searching > global.
 * That is how the number keys switch panes on the pupil screen but rate
 * a target on the Targets pane. Any other overlap is a conflict: the
 * default table has none, and ui_keys_configure() reports one from the
 * config file with its line.
 *
 * Adding a screen (review meeting, provision map, dashboard): give it a
 * scope bit below (the reserved ones are there), add its actions to the
 * enum and its rows to the table, and return the bit from the screen's
 * scopes() hook (app.h).
 */
#ifndef SENCO_UI_KEYS_H
#define SENCO_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/config.h"

/*
 * A key as senco sees it: a Unicode character (what get_wch returns
 * for text), or a curses function key (KEY_DOWN ...) moved above the
 * Unicode range so the two never collide.
 */
#define UI_KEY_FN_BASE 0x200000
#define UI_KEY_FN(k) (UI_KEY_FN_BASE + (k))
#define UI_KEY_IS_FN(k) ((k) >= UI_KEY_FN_BASE)
#define UI_KEY_CTRL(c) ((c) & 0x1f)
#define UI_KEY_ESC 0x1b
#define UI_KEY_TAB '\t'
#define UI_KEY_ENTER '\n'
#define UI_KEY_NONE 0

enum ui_action {
	ACT_NONE = 0,
	/* everywhere */
	ACT_HELP, ACT_COMMAND, ACT_REDRAW, ACT_QUIT, ACT_BACK, ACT_UNDO,
	/* moving in a list */
	ACT_UP, ACT_DOWN, ACT_TOP, ACT_BOTTOM, ACT_PAGE_UP, ACT_PAGE_DOWN,
	/* searching a list */
	ACT_SEARCH, ACT_SEARCH_NEXT, ACT_SEARCH_PREV,
	/* the register */
	ACT_OPEN, ACT_SORT, ACT_SORT_REVERSE, ACT_FILTER, ACT_FILTER_CLEAR,
	ACT_SHOW_ALL, ACT_PUPIL_ADD,
	/* the pupil screen */
	ACT_PANE_NEXT, ACT_PANE_PREV, ACT_PANE_1, ACT_PANE_2, ACT_PANE_3,
	ACT_PANE_4, ACT_PANE_5, ACT_PUPIL_EDIT,
	/* the Cycle pane */
	ACT_CYCLE_START, ACT_CYCLE_ADVANCE, ACT_CYCLE_EDIT,
	/* the Targets pane */
	ACT_RATE_0, ACT_RATE_1, ACT_RATE_2, ACT_RATE_3, ACT_RATE_4,
	ACT_TARGET_COMMENT, ACT_TARGET_ADD, ACT_TARGET_EDIT,
	ACT_TARGET_DISCONTINUE,
	/* the Interventions pane */
	ACT_ENROL, ACT_ENROL_EXIT, ACT_ENROL_END,
	/* the History pane */
	ACT_NOTE_ADD,
	/* forms */
	ACT_FORM_NEXT, ACT_FORM_PREV, ACT_FORM_SAVE, ACT_FORM_CANCEL,
	ACT_FORM_CHOICE_NEXT, ACT_FORM_CHOICE_PREV,
	/* the review meeting, provision map and dashboard (review.c,
	 * provision.c, dashboard.c) */
	ACT_REVIEW, ACT_PROVISION, ACT_DASHBOARD,
	ACT_REVIEW_NEXT, ACT_REVIEW_PREV,
	ACT_OUTCOME_ACHIEVED, ACT_OUTCOME_PARTIAL, ACT_OUTCOME_NOT,
	ACT_OUTCOME_DISCONTINUED,
	ACT_DECIDE_CONTINUE, ACT_DECIDE_INCREASE, ACT_DECIDE_EHC,
	ACT_DECIDE_REMOVE, ACT_REVIEW_CLOSE,
	ACT_CARRY_YES, ACT_CARRY_NO,
	ACT_PROVISION_OPEN, ACT_DASHBOARD_OPEN, ACT_DASHBOARD_SUBJECT,
	/* import (importui.c), the plan, record history, edit conflicts */
	ACT_IMPORT, ACT_IMPORT_YES, ACT_IMPORT_SKIP, ACT_IMPORT_NO,
	ACT_PLAN_WRITE, ACT_RECORD_HISTORY,
	ACT_CONFLICT_RELOAD, ACT_CONFLICT_OVERWRITE,
	/* the EHC screen (ehcui.c) */
	ACT_EHC, ACT_EHC_ADD, ACT_EHC_STEP, ACT_EHC_OPEN,
	/* merging a laptop copy (mergeui.c) */
	ACT_MERGE, ACT_MERGE_SERVER, ACT_MERGE_LAPTOP, ACT_MERGE_SERVER_ALL,
	ACT_MERGE_LAPTOP_ALL, ACT_MERGE_APPLY, ACT_MERGE_CANCEL,
	ACT_COUNT
};

/* Scope bits. Levels: PANE_* are the most specific, then the screens,
 * then MOVE and SEARCH, then GLOBAL. */
enum ui_scope {
	SC_GLOBAL = 1u << 0,	/* every screen but forms and prompts */
	SC_MOVE = 1u << 1,	/* screens with a list or scrolled text */
	SC_SEARCH = 1u << 2,	/* lists that can be searched */
	SC_REGISTER = 1u << 3,
	SC_PUPIL = 1u << 4,
	SC_HELP = 1u << 5,
	SC_FORM = 1u << 6,	/* text entry: printable keys are typed */
	SC_REVIEW = 1u << 7,	/* reserved: review meeting */
	SC_PROVISION = 1u << 8,	/* reserved: provision map */
	SC_DASHBOARD = 1u << 9,	/* reserved: dashboard */
	/* the steps of the review meeting: each has its own keys */
	SC_REVIEW_TARGET = 1u << 10,	/* rating a target, its outcome */
	SC_REVIEW_DECIDE = 1u << 11,	/* the decision */
	SC_REVIEW_CARRY = 1u << 12,	/* carrying unmet targets over */
	SC_IMPORT = 1u << 13,	/* the import summary: y, s, n */
	SC_CONFLICT = 1u << 14,	/* a form whose record changed: r, o */
	SC_EHC = 1u << 15,	/* a pupil's EHC requests: a, s */
	SC_PANE_CYCLE = 1u << 16,
	SC_PANE_TARGETS = 1u << 17,
	SC_PANE_IV = 1u << 18,
	SC_PANE_HISTORY = 1u << 19,
	/* the merge of a laptop copy: s, l, S, L, y, n (a gap below it
	 * for the screens being added alongside) */
	SC_MERGE = 1u << 26,
};
#define SC_PANES (SC_PANE_CYCLE | SC_PANE_TARGETS | SC_PANE_IV | \
    SC_PANE_HISTORY)
#define SC_REVIEW_STEPS (SC_REVIEW_TARGET | SC_REVIEW_DECIDE | \
    SC_REVIEW_CARRY)
#define SC_SCREENS (SC_REGISTER | SC_PUPIL | SC_HELP | SC_FORM | \
    SC_REVIEW | SC_PROVISION | SC_DASHBOARD | SC_IMPORT | SC_CONFLICT | \
    SC_EHC | SC_MERGE)

enum ui_key_flags {
	KF_EDIT = 1,		/* changes the caseload: refused read-only */
	KF_HINT = 2,		/* shown in the hint bar */
};

#define UI_KEYS_MAX 6		/* keys one action can have */

struct ui_keydef {
	enum ui_action act;
	const char *name;	/* config and man page: "rate-3" */
	const char *defaults;	/* "j,Down" */
	const char *label;	/* hint bar: "rate" */
	const char *help;	/* help screen sentence */
	unsigned scopes;
	unsigned flags;
	const char *group;	/* actions shown as one hint ("0-4 rate") */
	/* the bindings in force */
	int keys[UI_KEYS_MAX];
	int n_keys;
	int line;		/* config line that set them, 0 = default */
};

/* The table, in the order of the hint bar and the help screen. */
extern struct ui_keydef ui_keys_table[];
extern const size_t ui_keys_count;

/* Bind the defaults. Call once before any lookup. */
void ui_keys_init(void);
/*
 * Apply the bindings of the config file. Each problem (unknown action,
 * a key name senco does not know, a key already taken) is passed to
 * report as "file:line: ..." and that binding is left out; the rest
 * apply. Returns the number of problems.
 */
int ui_keys_configure(const struct config *cfg,
    void (*report)(void *ctx, const char *msg), void *ctx);

/* The action bound to key in the active scopes, ACT_NONE if none. */
enum ui_action ui_keys_lookup(int key, unsigned scopes);
const struct ui_keydef *ui_keys_def(enum ui_action act);
/* Does the action work under these scopes? */
bool ui_keys_active(const struct ui_keydef *d, unsigned scopes);

/* "j", "Down", "C-l", "PgUp", "Enter", "Esc", "F2", "é" -> key; 0 if
 * the name is not understood. */
int ui_key_parse(const char *name);
/* The display name of a key into buf (>= 16 bytes). Returns buf. */
char *ui_key_name(int key, char *buf, size_t n);
/* All keys of an action: "j, Down". buf >= 64. */
char *ui_keys_names(const struct ui_keydef *d, char *buf, size_t n);
/* The hint text for the active scopes, most specific first, cut to fit
 * width cells at a whole item: "0-4 rate  c comment  ...". */
char *ui_keys_hint(unsigned scopes, int width, char *buf, size_t n);

#endif
