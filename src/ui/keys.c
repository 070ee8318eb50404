/*
 * keys.c: the key table and everything derived from it: lookup by
 * scope, key names, the hint bar text and the bindings read from the
 * config file (calcurse's keys.c is the model).
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "ui/keys.h"

#define S_PUPILP (SC_PUPIL | SC_PANES)

/* Rows in hint and help order. Scopes and the hint mask (where the row
 * appears in the hint bar) are given with the S_ and H_ helpers. */
#define K(act, name, defs, label, help, scopes, flags, group) \
	{ act, name, defs, label, help, scopes, flags, group, {0}, 0, 0 }

struct ui_keydef ui_keys_table[] = {
	/* the Targets pane: the keys a SENCO presses most */
	K(ACT_RATE_0, "rate-0", "0", "rate", "rate the target 0 (not started)",
	    SC_PANE_TARGETS | SC_REVIEW_TARGET, KF_EDIT | KF_HINT, "rate"),
	K(ACT_RATE_1, "rate-1", "1", "rate", "rate the target 1 (emerging)",
	    SC_PANE_TARGETS | SC_REVIEW_TARGET, KF_EDIT | KF_HINT, "rate"),
	K(ACT_RATE_2, "rate-2", "2", "rate", "rate the target 2 (developing)",
	    SC_PANE_TARGETS | SC_REVIEW_TARGET, KF_EDIT | KF_HINT, "rate"),
	K(ACT_RATE_3, "rate-3", "3", "rate", "rate the target 3 (secure)",
	    SC_PANE_TARGETS | SC_REVIEW_TARGET, KF_EDIT | KF_HINT, "rate"),
	K(ACT_RATE_4, "rate-4", "4", "rate", "rate the target 4 (achieved)",
	    SC_PANE_TARGETS | SC_REVIEW_TARGET, KF_EDIT | KF_HINT, "rate"),
	K(ACT_TARGET_COMMENT, "target-comment", "c", "comment",
	    "add a comment to the target", SC_PANE_TARGETS | SC_REVIEW_TARGET,
	    KF_EDIT | KF_HINT, NULL),
	K(ACT_TARGET_ADD, "target-add", "a", "add", "add a target",
	    SC_PANE_TARGETS, KF_EDIT | KF_HINT, NULL),
	K(ACT_TARGET_EDIT, "target-edit", "e", "edit",
	    "edit the target's text, criteria, baseline and area",
	    SC_PANE_TARGETS, KF_EDIT | KF_HINT, NULL),
	K(ACT_TARGET_DISCONTINUE, "target-discontinue", "x", "discontinue",
	    "discontinue the target", SC_PANE_TARGETS, KF_EDIT | KF_HINT,
	    NULL),

	/* the Cycle pane */
	K(ACT_CYCLE_START, "cycle-start", "n", "new cycle",
	    "start a cycle (when the pupil has no open cycle)",
	    SC_PANE_CYCLE, KF_EDIT | KF_HINT, NULL),
	K(ACT_CYCLE_ADVANCE, "cycle-advance", ">", "advance",
	    "advance the cycle to its next stage", SC_PANE_CYCLE,
	    KF_EDIT | KF_HINT, NULL),
	K(ACT_CYCLE_EDIT, "cycle-edit", "e", "edit",
	    "edit the plan dates, stage notes and voices", SC_PANE_CYCLE,
	    KF_EDIT | KF_HINT, NULL),

	/* the Interventions pane */
	K(ACT_ENROL, "enrol", "a", "enrol", "enrol the pupil in an intervention",
	    SC_PANE_IV, KF_EDIT | KF_HINT, NULL),
	K(ACT_ENROL_EXIT, "enrol-exit", "r", "exit score",
	    "record the exit score and finish the enrolment", SC_PANE_IV,
	    KF_EDIT | KF_HINT, NULL),
	K(ACT_ENROL_END, "enrol-end", "x", "end",
	    "end the enrolment without an exit score", SC_PANE_IV,
	    KF_EDIT | KF_HINT, NULL),

	/* the History pane */
	K(ACT_NOTE_ADD, "note-add", "a", "add note",
	    "add a note to the contact log", SC_PANE_HISTORY,
	    KF_EDIT | KF_HINT, NULL),

	/* the register */
	K(ACT_OPEN, "open", "Enter", "open", "open the pupil",
	    SC_REGISTER, KF_HINT, NULL),
	K(ACT_SORT, "sort", "s", "sort", "sort by the next column",
	    SC_REGISTER, KF_HINT, NULL),
	K(ACT_SORT_REVERSE, "sort-reverse", "S", "reverse",
	    "reverse the order", SC_REGISTER, 0, NULL),
	K(ACT_FILTER, "filter", "f", "filter",
	    "choose filters: status, need, year, stage, overdue, flags",
	    SC_REGISTER, KF_HINT, NULL),
	K(ACT_FILTER_CLEAR, "filter-clear", "F", "clear filters",
	    "clear every filter", SC_REGISTER, 0, NULL),
	K(ACT_SHOW_ALL, "show-all", "A", "all",
	    "show or hide archived pupils and pupils with status N",
	    SC_REGISTER, 0, NULL),
	K(ACT_PUPIL_ADD, "pupil-add", "a", "add pupil",
	    "add a pupil (a form: UPN, names, dates, status, needs)",
	    SC_REGISTER, KF_EDIT, NULL),

	/* the pupil screen */
	K(ACT_PUPIL_EDIT, "pupil-edit", "E", "edit pupil",
	    "edit the pupil's details, status and needs", SC_PUPIL,
	    KF_EDIT, NULL),
	K(ACT_PANE_NEXT, "pane-next", "Tab", "pane", "go to the next pane",
	    SC_PUPIL, KF_HINT, NULL),
	K(ACT_PANE_PREV, "pane-prev", "BTab", "previous pane",
	    "go to the previous pane", SC_PUPIL, 0, NULL),
	K(ACT_PANE_1, "pane-cycle", "1", "Cycle", "show the Cycle pane",
	    SC_PUPIL, 0, NULL),
	K(ACT_PANE_2, "pane-targets", "2", "Targets", "show the Targets pane",
	    SC_PUPIL, 0, NULL),
	K(ACT_PANE_3, "pane-interventions", "3", "Interventions",
	    "show the Interventions pane", SC_PUPIL, 0, NULL),
	K(ACT_PANE_4, "pane-history", "4", "History",
	    "show the History pane", SC_PUPIL, 0, NULL),
	K(ACT_PANE_5, "pane-results", "5", "Results",
	    "show the Results pane: assessment results over time as a "
	    "chart, and attendance by term", SC_PUPIL, 0, NULL),

	/* searching */
	K(ACT_SEARCH, "search", "/", "search",
	    "search by name or UPN as you type", SC_SEARCH, KF_HINT, NULL),
	K(ACT_SEARCH_NEXT, "search-next", "n", "next match",
	    "go to the next match", SC_SEARCH, 0, NULL),
	K(ACT_SEARCH_PREV, "search-prev", "N", "previous match",
	    "go to the previous match", SC_SEARCH, 0, NULL),

	/* moving */
	K(ACT_DOWN, "down", "j,Down", "down", "move down one row", SC_MOVE, 0,
	    NULL),
	K(ACT_UP, "up", "k,Up", "up", "move up one row", SC_MOVE, 0, NULL),
	K(ACT_TOP, "top", "g,Home", "top", "go to the first row", SC_MOVE, 0,
	    NULL),
	K(ACT_BOTTOM, "bottom", "G,End", "bottom", "go to the last row",
	    SC_MOVE, 0, NULL),
	K(ACT_PAGE_DOWN, "page-down", "PgDn,C-f", "page down",
	    "move down one page", SC_MOVE, 0, NULL),
	K(ACT_PAGE_UP, "page-up", "PgUp,C-b", "page up", "move up one page",
	    SC_MOVE, 0, NULL),

	/* everywhere */
	K(ACT_UNDO, "undo", "u", "undo",
	    "undo the last change made in this session", SC_GLOBAL,
	    KF_EDIT | KF_HINT, NULL),
	K(ACT_COMMAND, "command", ":", "command",
	    "open the command line (:goto UPN-or-name, :quit, :help)",
	    SC_GLOBAL, 0, NULL),
	K(ACT_HELP, "help", "?,F1", "help", "list the keys of this screen",
	    SC_GLOBAL, KF_HINT, NULL),
	K(ACT_QUIT, "quit", "q", "back",
	    "leave this screen; on the register, quit senco", SC_GLOBAL,
	    KF_HINT, NULL),
	K(ACT_BACK, "cancel", "Esc", "cancel",
	    "leave this screen, or on the register clear the search",
	    SC_GLOBAL, 0, NULL),
	K(ACT_REDRAW, "redraw", "C-l", "redraw", "redraw the whole screen",
	    SC_GLOBAL | SC_FORM, 0, NULL),

	/* forms */
	K(ACT_FORM_SAVE, "form-save", "C-s,F2", "save",
	    "save the form (one transaction)", SC_FORM, KF_HINT, NULL),
	K(ACT_FORM_CANCEL, "form-cancel", "Esc", "cancel",
	    "cancel the form; nothing is written", SC_FORM, KF_HINT, NULL),
	K(ACT_FORM_NEXT, "form-next", "Tab,Down,Enter", "next field",
	    "go to the next field (Enter adds a line in a text box)",
	    SC_FORM, KF_HINT, NULL),
	K(ACT_FORM_PREV, "form-prev", "BTab,Up", "previous field",
	    "go to the previous field", SC_FORM, 0, NULL),
	K(ACT_FORM_CHOICE_NEXT, "choice-next", "Right,Space", "next choice",
	    "in a list field: the next choice", SC_FORM, 0, NULL),
	K(ACT_FORM_CHOICE_PREV, "choice-prev", "Left", "previous choice",
	    "in a list field: the previous choice", SC_FORM, 0, NULL),

	/* the review meeting (review.c): rate and comment are above */
	K(ACT_REVIEW, "review", "R", "review",
	    "run the review meeting of the pupil's open cycle",
	    SC_REGISTER | SC_PUPIL, KF_EDIT | KF_HINT, NULL),
	K(ACT_OUTCOME_ACHIEVED, "outcome-achieved", "a", "outcome",
	    "give the target its outcome: achieved", SC_REVIEW_TARGET,
	    KF_EDIT | KF_HINT, "outcome"),
	K(ACT_OUTCOME_PARTIAL, "outcome-partial", "p", "outcome",
	    "give the target its outcome: partially achieved",
	    SC_REVIEW_TARGET, KF_EDIT | KF_HINT, "outcome"),
	K(ACT_OUTCOME_NOT, "outcome-not", "n", "outcome",
	    "give the target its outcome: not achieved", SC_REVIEW_TARGET,
	    KF_EDIT | KF_HINT, "outcome"),
	K(ACT_OUTCOME_DISCONTINUED, "outcome-discontinued", "d", "outcome",
	    "give the target its outcome: discontinued", SC_REVIEW_TARGET,
	    KF_EDIT | KF_HINT, "outcome"),
	K(ACT_DECIDE_CONTINUE, "decide-continue", "c", "choose",
	    "choose the decision: continue (a new cycle begins)",
	    SC_REVIEW_DECIDE, KF_HINT, "decide"),
	K(ACT_DECIDE_INCREASE, "decide-increase", "i", "choose",
	    "choose the decision: increase support (a new cycle begins)",
	    SC_REVIEW_DECIDE, KF_HINT, "decide"),
	K(ACT_DECIDE_EHC, "decide-ehc", "e", "choose",
	    "choose the decision: request an EHC needs assessment",
	    SC_REVIEW_DECIDE, KF_HINT, "decide"),
	K(ACT_DECIDE_REMOVE, "decide-remove", "r", "choose",
	    "choose the decision: remove from the SEN register (status N)",
	    SC_REVIEW_DECIDE, KF_HINT, "decide"),
	K(ACT_REVIEW_CLOSE, "review-close", "Enter", "close the cycle",
	    "close the cycle with the decision chosen", SC_REVIEW_DECIDE,
	    KF_EDIT | KF_HINT, NULL),
	K(ACT_CARRY_YES, "carry-yes", "y", "carry over",
	    "carry the unmet target into the new cycle", SC_REVIEW_CARRY,
	    KF_EDIT | KF_HINT, "carry"),
	K(ACT_CARRY_NO, "carry-no", "n", "carry over",
	    "leave the target behind (not carried over)", SC_REVIEW_CARRY,
	    KF_HINT, "carry"),
	K(ACT_REVIEW_NEXT, "review-next", "Tab,Right", "next",
	    "go on to the next step of the meeting", SC_REVIEW, KF_HINT,
	    NULL),
	K(ACT_REVIEW_PREV, "review-prev", "BTab,Left", "back",
	    "go back to the previous step of the meeting", SC_REVIEW, 0,
	    NULL),

	/* the provision map (provision.c) and the dashboard (dashboard.c) */
	K(ACT_PROVISION, "provision", "P", "provision",
	    "open the provision map: every intervention with its pupils, "
	    "cost and impact", SC_REGISTER | SC_DASHBOARD, 0, NULL),
	K(ACT_DASHBOARD, "dashboard", "D", "dashboard",
	    "open the dashboard: reviews due, targets on track, counts, "
	    "top-up", SC_REGISTER | SC_PROVISION, 0, NULL),
	K(ACT_PROVISION_OPEN, "provision-open", "Enter", "open",
	    "list the intervention's group; on a pupil, open the pupil",
	    SC_PROVISION, KF_HINT, NULL),
	K(ACT_DASHBOARD_OPEN, "dashboard-open", "Enter", "open pupil",
	    "open the pupil under the cursor", SC_DASHBOARD, KF_HINT, NULL),
	K(ACT_DASHBOARD_SUBJECT, "dashboard-subject", "s", "subject",
	    "chart the attainment gap of the next subject", SC_DASHBOARD,
	    KF_HINT, NULL),
	K(ACT_EHC, "ehc", "X", "EHC",
	    "open the EHC screen: requests for an EHC needs assessment with "
	    "their deadlines, annual reviews; on a pupil, the pupil's "
	    "requests", SC_REGISTER | SC_DASHBOARD | SC_PUPIL, 0, NULL),
	K(ACT_EHC_ADD, "ehc-add", "a", "new request",
	    "record a request for an EHC needs assessment: dates sent and "
	    "received, who asked, the evidence", SC_EHC, KF_EDIT | KF_HINT,
	    NULL),
	K(ACT_EHC_STEP, "ehc-step", "s", "step",
	    "record the next step of the latest request (one of the steps "
	    "that can follow) with its date", SC_EHC, KF_EDIT | KF_HINT,
	    NULL),
	K(ACT_EHC_OPEN, "ehc-open", "Enter", "open pupil",
	    "open the pupil of the request or plan under the cursor",
	    SC_EHC, KF_HINT, NULL),

	/* import from the register (importui.c): a dry run first */
	K(ACT_IMPORT, "import", "I", "import",
	    "import pupils from an MIS file (CSV or CTF): a dry run shows "
	    "what would change before anything is written",
	    SC_REGISTER, KF_EDIT, NULL),
	K(ACT_IMPORT_YES, "import-yes", "y", "import",
	    "import for real, in one transaction (only when no row was "
	    "refused)", SC_IMPORT, KF_EDIT | KF_HINT, NULL),
	K(ACT_IMPORT_SKIP, "import-skip-bad", "s", "skip bad rows",
	    "import the good rows and skip the refused ones", SC_IMPORT,
	    KF_EDIT | KF_HINT, NULL),
	K(ACT_IMPORT_NO, "import-no", "n", "cancel",
	    "leave the import; nothing is written (Esc and q too)",
	    SC_IMPORT, KF_HINT, NULL),

	/* merging a laptop copy from the register (mergeui.c) */
	K(ACT_MERGE, "merge", "M", "merge",
	    "merge a laptop copy (senco checkout --to FILE) back: its clean "
	    "changes and its conflicts, each kept from the server or the "
	    "laptop; also :merge FILE", SC_REGISTER, KF_EDIT, NULL),
	K(ACT_MERGE_SERVER, "merge-keep-server", "s", "server",
	    "keep the server's side of this conflict", SC_MERGE, KF_HINT,
	    NULL),
	K(ACT_MERGE_LAPTOP, "merge-keep-laptop", "l", "laptop",
	    "keep the laptop's side of this conflict", SC_MERGE, KF_HINT,
	    NULL),
	K(ACT_MERGE_SERVER_ALL, "merge-server-rest", "S", "server for rest",
	    "keep the server's side of every conflict still to choose",
	    SC_MERGE, KF_HINT, NULL),
	K(ACT_MERGE_LAPTOP_ALL, "merge-laptop-rest", "L", "laptop for rest",
	    "keep the laptop's side of every conflict still to choose",
	    SC_MERGE, KF_HINT, NULL),
	K(ACT_MERGE_APPLY, "merge-apply", "y", "apply",
	    "merge for real, in one transaction (only when every conflict "
	    "has a choice)", SC_MERGE, KF_EDIT | KF_HINT, NULL),
	K(ACT_MERGE_CANCEL, "merge-cancel", "n", "cancel",
	    "leave the merge; nothing is written (Esc and q too)", SC_MERGE,
	    KF_HINT, NULL),

	/* the pupil screen: the plan and the record's history */
	K(ACT_PLAN_WRITE, "plan-write", "W", "write plan",
	    "write the pupil's support plan to a file (HTML, or .md, .txt)",
	    SC_PUPIL, 0, NULL),
	K(ACT_RECORD_HISTORY, "record-history", "H", "record history",
	    "show the audit trail of the pupil's records: when, who, what "
	    "changed", SC_PUPIL, 0, NULL),

	/* a form whose record someone else changed since it was opened */
	K(ACT_CONFLICT_RELOAD, "conflict-reload", "r", "reload",
	    "discard my edits and reopen the form with the saved values",
	    SC_CONFLICT, KF_HINT, NULL),
	K(ACT_CONFLICT_OVERWRITE, "conflict-overwrite", "o", "overwrite",
	    "save my values over the other user's change", SC_CONFLICT,
	    KF_EDIT | KF_HINT, NULL),
};
const size_t ui_keys_count = sizeof ui_keys_table / sizeof ui_keys_table[0];

/* Named keys for the config file and for display. The first name of a
 * key is the one shown. */
static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Up", UI_KEY_FN(KEY_UP) }, { "Down", UI_KEY_FN(KEY_DOWN) },
	{ "Left", UI_KEY_FN(KEY_LEFT) }, { "Right", UI_KEY_FN(KEY_RIGHT) },
	{ "PgUp", UI_KEY_FN(KEY_PPAGE) }, { "PageUp", UI_KEY_FN(KEY_PPAGE) },
	{ "PgDn", UI_KEY_FN(KEY_NPAGE) }, { "PageDown", UI_KEY_FN(KEY_NPAGE) },
	{ "Home", UI_KEY_FN(KEY_HOME) }, { "End", UI_KEY_FN(KEY_END) },
	{ "Enter", UI_KEY_ENTER }, { "Return", UI_KEY_ENTER },
	{ "Tab", UI_KEY_TAB }, { "BTab", UI_KEY_FN(KEY_BTAB) },
	{ "S-Tab", UI_KEY_FN(KEY_BTAB) },
	{ "Esc", UI_KEY_ESC }, { "Escape", UI_KEY_ESC },
	{ "Space", ' ' },
	{ "Backspace", UI_KEY_FN(KEY_BACKSPACE) },
	{ "Delete", UI_KEY_FN(KEY_DC) }, { "Del", UI_KEY_FN(KEY_DC) },
	{ "Insert", UI_KEY_FN(KEY_IC) },
};

static int
level_of(unsigned bits)
{
	/* a pane, or a step of the review meeting, is the most specific */
	if (bits & (SC_PANES | SC_REVIEW_STEPS))
		return 0;
	if (bits & SC_SCREENS)
		return 1;
	if (bits & (SC_MOVE | SC_SEARCH))
		return 2;
	return 3;
}

/* Every scope a binding can be live in: used to tell whether two
 * bindings can ever meet on one screen. */
static unsigned
expand(unsigned s)
{
	unsigned x = s;

	if (s & SC_GLOBAL)
		x |= (SC_SCREENS | SC_PANES | SC_REVIEW_STEPS | SC_MOVE |
		    SC_SEARCH) & ~SC_FORM;
	if (s & SC_MOVE)
		x |= SC_REGISTER | SC_PUPIL | SC_HELP | SC_REVIEW |
		    SC_PROVISION | SC_DASHBOARD | SC_PANES | SC_IMPORT |
		    SC_MERGE;
	if (s & SC_SEARCH)
		x |= SC_REGISTER | SC_PROVISION;
	if (s & SC_PANES)
		x |= SC_PUPIL;
	if (s & SC_REVIEW_STEPS)
		x |= SC_REVIEW;
	return x;
}

int
ui_key_parse(const char *name)
{
	size_t i, len;
	wchar_t wc;
	mbstate_t ps;

	if (name == NULL || *name == '\0')
		return 0;
	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcasecmp(name, key_names[i].name) == 0)
			return key_names[i].key;
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    name[2] != '\0' && name[3] == '\0' &&
	    ((name[2] >= 'a' && name[2] <= 'z') ||
	    (name[2] >= 'A' && name[2] <= 'Z')))
		return UI_KEY_CTRL(name[2]);
	if (name[0] == '^' && name[1] != '\0' && name[2] == '\0' &&
	    ((name[1] >= 'a' && name[1] <= 'z') ||
	    (name[1] >= 'A' && name[1] <= 'Z')))
		return UI_KEY_CTRL(name[1]);
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' &&
	    name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 12)
			return UI_KEY_FN(KEY_F((int)n));
	}
	/* one printable character, possibly multibyte */
	memset(&ps, 0, sizeof ps);
	len = mbrtowc(&wc, name, strlen(name), &ps);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0 ||
	    name[len] != '\0' || wc < 0x20 || wc == 0x7f)
		return 0;
	return (int)wc;
}

char *
ui_key_name(int key, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key) {
			snprintf(buf, n, "%s", key_names[i].name);
			return buf;
		}
	if (UI_KEY_IS_FN(key)) {
		int k = key - UI_KEY_FN_BASE;
		if (k >= KEY_F(1) && k <= KEY_F(12))
			snprintf(buf, n, "F%d", k - KEY_F0);
		else
			snprintf(buf, n, "key-%d", k);
		return buf;
	}
	if (key > 0 && key < 0x20) {
		snprintf(buf, n, "C-%c", key + 'a' - 1);
		return buf;
	}
	{
		char mb[MB_LEN_MAX + 1];
		mbstate_t ps;
		size_t len;

		memset(&ps, 0, sizeof ps);
		len = wcrtomb(mb, (wchar_t)key, &ps);
		if (len == (size_t)-1)
			snprintf(buf, n, "U+%04X", (unsigned)key);
		else {
			mb[len] = '\0';
			snprintf(buf, n, "%s", mb);
		}
	}
	return buf;
}

char *
ui_keys_names(const struct ui_keydef *d, char *buf, size_t n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < d->n_keys && used + 1 < n; i++) {
		char one[32];
		int w = snprintf(buf + used, n - used, "%s%s",
		    i > 0 ? ", " : "", ui_key_name(d->keys[i], one, sizeof one));
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	if (d->n_keys == 0)
		snprintf(buf, n, "(unbound)");
	return buf;
}

/* Parse "j,Down" into keys[]. Returns 0, or -1 with the bad name in bad. */
static int
parse_list(const char *list, int keys[UI_KEYS_MAX], int *n, char *bad,
    size_t badn)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int rc = 0;

	*n = 0;
	if (copy == NULL)
		abort();
	/* "," alone names the comma key */
	if (strcmp(list, ",") == 0) {
		keys[(*n)++] = ',';
		free(copy);
		return 0;
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int k;
		while (*tok == ' ')
			tok++;
		{
			size_t l = strlen(tok);
			while (l > 1 && tok[l - 1] == ' ')
				tok[--l] = '\0';
		}
		k = ui_key_parse(tok);
		if (k == 0) {
			snprintf(bad, badn, "%s", tok);
			rc = -1;
			break;
		}
		if (*n < UI_KEYS_MAX)
			keys[(*n)++] = k;
	}
	free(copy);
	return rc;
}

void
ui_keys_init(void)
{
	size_t i;
	char bad[32];

	for (i = 0; i < ui_keys_count; i++) {
		struct ui_keydef *d = &ui_keys_table[i];
		if (parse_list(d->defaults, d->keys, &d->n_keys, bad,
		    sizeof bad) != 0)
			abort();	/* a typo in the table above */
		d->line = 0;
	}
}

static struct ui_keydef *
find_name(const char *name)
{
	size_t i;

	for (i = 0; i < ui_keys_count; i++)
		if (strcasecmp(ui_keys_table[i].name, name) == 0)
			return &ui_keys_table[i];
	return NULL;
}

static bool
def_has_key(const struct ui_keydef *d, int key)
{
	int i;

	for (i = 0; i < d->n_keys; i++)
		if (d->keys[i] == key)
			return true;
	return false;
}

static void
drop_key(struct ui_keydef *d, int key)
{
	int i, j = 0;

	for (i = 0; i < d->n_keys; i++)
		if (d->keys[i] != key)
			d->keys[j++] = d->keys[i];
	d->n_keys = j;
}

int
ui_keys_configure(const struct config *cfg,
    void (*report)(void *ctx, const char *msg), void *ctx)
{
	const char *file;
	char msg[512];
	int problems = 0, i;
	size_t a, b;
	int k;

	if (cfg == NULL || cfg->n_keys == 0)
		return 0;
	/* the base name keeps the message on one line; the line number
	 * finds the place */
	file = cfg->file != NULL ? cfg->file : "config";
	if (strrchr(file, '/') != NULL)
		file = strrchr(file, '/') + 1;
	for (i = 0; i < cfg->n_keys; i++) {
		const struct config_entry *ce = &cfg->keys[i];
		struct ui_keydef *d = find_name(ce->name);
		int keys[UI_KEYS_MAX], n;
		char bad[64];

		if (d == NULL) {
			snprintf(msg, sizeof msg,
			    "%s:%d: unknown action '%s' in keys (? lists "
			    "the names)", file, ce->line, ce->name);
			report(ctx, msg);
			problems++;
			continue;
		}
		if (ce->value == NULL || parse_list(ce->value, keys, &n, bad,
		    sizeof bad) != 0) {
			snprintf(msg, sizeof msg,
			    "%s:%d: unknown key name '%s' for '%s'", file,
			    ce->line, ce->value == NULL ? "" : bad, ce->name);
			report(ctx, msg);
			problems++;
			continue;
		}
		memcpy(d->keys, keys, sizeof keys);
		d->n_keys = n;
		d->line = ce->line;
	}
	/* A key set in the file that another action can meet is refused
	 * (the default shadowing of pane keys is by design and allowed). */
	for (a = 0; a < ui_keys_count; a++) {
		struct ui_keydef *da = &ui_keys_table[a];
		if (da->line == 0)
			continue;
		for (k = 0; k < da->n_keys; k++) {
			int key = da->keys[k];
			for (b = 0; b < ui_keys_count; b++) {
				struct ui_keydef *db = &ui_keys_table[b];
				char kn[32];
				if (a == b || !def_has_key(db, key) ||
				    (expand(da->scopes) & expand(db->scopes))
				    == 0)
					continue;
				snprintf(msg, sizeof msg,
				    "%s:%d: key '%s' for '%s' is already "
				    "bound to '%s'; left out", file, da->line,
				    ui_key_name(key, kn, sizeof kn), da->name,
				    db->name);
				report(ctx, msg);
				problems++;
				drop_key(da, key);
				k--;
				break;
			}
		}
	}
	return problems;
}

bool
ui_keys_active(const struct ui_keydef *d, unsigned scopes)
{
	return (d->scopes & scopes) != 0;
}

enum ui_action
ui_keys_lookup(int key, unsigned scopes)
{
	size_t i;
	enum ui_action best = ACT_NONE;
	int best_level = 99;

	for (i = 0; i < ui_keys_count; i++) {
		const struct ui_keydef *d = &ui_keys_table[i];
		int lv;
		if (!ui_keys_active(d, scopes) || !def_has_key(d, key))
			continue;
		lv = level_of(d->scopes & scopes);
		if (lv < best_level) {
			best = d->act;
			best_level = lv;
		}
	}
	return best;
}

const struct ui_keydef *
ui_keys_def(enum ui_action act)
{
	size_t i;

	for (i = 0; i < ui_keys_count; i++)
		if (ui_keys_table[i].act == act)
			return &ui_keys_table[i];
	return NULL;
}

/* The key part of a group's hint: "0-4" for a run of digits, else the
 * first keys joined with "/". */
static void
group_keys(const char *group, unsigned scopes, char *buf, size_t n)
{
	int first = -1, last = -1, count = 0;
	bool run = true;
	size_t i, used = 0;
	char one[32];

	buf[0] = '\0';
	for (i = 0; i < ui_keys_count; i++) {
		const struct ui_keydef *d = &ui_keys_table[i];
		if (d->group == NULL || strcmp(d->group, group) != 0 ||
		    !ui_keys_active(d, scopes) || d->n_keys == 0)
			continue;
		if (count == 0)
			first = d->keys[0];
		else if (d->keys[0] != last + 1)
			run = false;
		last = d->keys[0];
		count++;
		if (used + 1 < n) {
			int w = snprintf(buf + used, n - used, "%s%s",
			    count > 1 ? "/" : "",
			    ui_key_name(d->keys[0], one, sizeof one));
			if (w > 0)
				used += (size_t)w;
		}
	}
	if (count > 2 && run && first >= '0' && last <= '9')
		snprintf(buf, n, "%c-%c", first, last);
}

static int
cells_of(const char *s)
{
	int c = 0;
	const unsigned char *p;

	/* labels are ASCII; a user's own key may be UTF-8: count starts */
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			c++;
	return c;
}

/* One hint item "keys label" for row i into buf; false if it has none. */
static bool
hint_item(size_t i, unsigned scopes, char *buf, size_t n)
{
	const struct ui_keydef *d = &ui_keys_table[i];
	char keyb[48];
	const char *label = d->label;
	size_t j;

	if (!(d->flags & KF_HINT) || !ui_keys_active(d, scopes) ||
	    d->n_keys == 0)
		return false;
	if (d->group != NULL) {
		for (j = 0; j < i; j++)
			if (ui_keys_table[j].group != NULL &&
			    strcmp(ui_keys_table[j].group, d->group) == 0)
				return false;
		group_keys(d->group, scopes, keyb, sizeof keyb);
	} else
		ui_key_name(d->keys[0], keyb, sizeof keyb);
	if (d->act == ACT_QUIT && (scopes & SC_REGISTER))
		label = "quit";
	snprintf(buf, n, "%s %s", keyb, label);
	return true;
}

char *
ui_keys_hint(unsigned scopes, int width, char *buf, size_t n)
{
	char help[96], item[96];
	int level, cells = 0, reserve = 0;
	size_t used = 0, i, help_i = ui_keys_count;

	buf[0] = '\0';
	/* "? help" always shows, at the end: it is the way to the rest */
	for (i = 0; i < ui_keys_count; i++)
		if (ui_keys_table[i].act == ACT_HELP &&
		    hint_item(i, scopes, help, sizeof help)) {
			help_i = i;
			reserve = cells_of(help) + 2;
		}
	for (level = 0; level <= 3; level++) {
		for (i = 0; i < ui_keys_count; i++) {
			const struct ui_keydef *d = &ui_keys_table[i];
			int c;

			if (i == help_i || !ui_keys_active(d, scopes) ||
			    level_of(d->scopes & scopes) != level ||
			    !hint_item(i, scopes, item, sizeof item))
				continue;
			c = cells_of(item) + (used > 0 ? 2 : 0);
			if (cells + c + reserve > width ||
			    used + strlen(item) + 3 > n)
				continue;
			used += (size_t)snprintf(buf + used, n - used, "%s%s",
			    used > 0 ? "  " : "", item);
			cells += c;
		}
	}
	if (help_i < ui_keys_count && used + strlen(help) + 3 <= n)
		snprintf(buf + used, n - used, "%s%s", used > 0 ? "  " : "",
		    help);
	return buf;
}
