/*
 * edit.h: a text editor for one field, single- or multi-line, that
 * works by character, not byte: the cursor steps over é or 李 in one
 * press, and 李 takes two cells on screen. Used by form fields, the
 * search prompt and the command line.
 *
 * Keys it knows: printable characters, Left/Right, Home/End (C-a/C-e),
 * Backspace, Delete (C-d), C-u (delete to start), C-k (delete to end),
 * C-w (delete the word before); in a multi-line box Enter starts a new
 * line and Up/Down move by screen row.
 */
#ifndef SENCO_UI_EDIT_H
#define SENCO_UI_EDIT_H

#include <stdbool.h>
#include <wchar.h>

struct ui_edit {
	wchar_t *buf;		/* not NUL-terminated; len characters */
	int len, cap;
	int cur;		/* cursor: a character index 0..len */
	bool multiline;
	int scroll;		/* first cell (single) or row (multi) shown */
	int max_chars;		/* 0 = no limit */
};

/* Start with UTF-8 text (NULL = empty). Free with ui_edit_free. */
void ui_edit_init(struct ui_edit *ed, const char *text, bool multiline);
void ui_edit_free(struct ui_edit *ed);
void ui_edit_set(struct ui_edit *ed, const char *text);
/* The text as UTF-8; the caller frees it. */
char *ui_edit_text(const struct ui_edit *ed);
bool ui_edit_empty(const struct ui_edit *ed);

enum ui_edit_result {
	EDIT_IGNORED = 0,	/* not an editing key */
	EDIT_MOVED,		/* cursor moved, text the same */
	EDIT_CHANGED,		/* text changed */
	EDIT_EDGE,		/* Up on the first row / Down on the last */
};
/* Apply one key (a ui key code, keys.h); width is the box's width in
 * cells (Up/Down in a multi-line box need it). */
enum ui_edit_result ui_edit_key(struct ui_edit *ed, int key, int width);

/*
 * Draw in the box at (y, x), w cells by h rows, with attr; scrolls so
 * the cursor shows and puts the screen position of the cursor in
 * *cy, *cx (for the terminal cursor).
 */
void ui_edit_draw(struct ui_edit *ed, int y, int x, int w, int h, int attr,
    int *cy, int *cx);

#endif
