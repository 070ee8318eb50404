/*
 * draw.h: putting UTF-8 text on the screen by display cells, so that
 * names like Zoë, Siobhán, Łukasz, Nguyễn and 李 (two cells) line up in
 * columns. Everything drawn goes through here or through ui_draw_cells;
 * nothing calls addstr with a byte count.
 */
#ifndef SENCO_UI_DRAW_H
#define SENCO_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* The display width of a UTF-8 string: wcwidth per character; bytes
 * that are not UTF-8 and control characters count one cell (they are
 * drawn as '?'). */
int ui_width(const char *s);
/* The width of one wide character as drawn (0..2). */
int ui_wcwidth(wchar_t wc);

/*
 * Draw s at (y, x) in exactly w cells with attributes attr: cut at a
 * whole character with an ellipsis when too long, padded with spaces in
 * the same attributes when short (so a highlight spans the column). A
 * wide character that would straddle the edge is replaced by a space.
 * Returns the cells the text itself took.
 */
int ui_draw(int y, int x, int w, const char *s, int attr);
/* The same, aligned to the right edge of the w cells. */
int ui_draw_right(int y, int x, int w, const char *s, int attr);
/* w blank cells. */
void ui_blank(int y, int x, int w, int attr);
/* A horizontal line of w cells (─ or -). */
void ui_hline(int y, int x, int w, int attr);

/* Is the locale UTF-8? Decides between the symbols below and ASCII. */
bool ui_utf8(void);
/* "…" or "~" */
const char *ui_sym_ellipsis(void);
/* Ascending / descending sort marks: "▲" "▼" or "^" "v". */
const char *ui_sym_up(void);
const char *ui_sym_down(void);
/* The progress block for a rating 0..4: "▁▃▅▇█" or "01234". */
const char *ui_sym_block(int rating);

/*
 * Break s into lines of at most w cells, at spaces where it can and at
 * the newlines it has. Each line goes to cb (a fresh string the callee
 * may keep: it owns it). Returns the number of lines.
 */
int ui_wrap(const char *s, int w, void (*cb)(void *ctx, char *line),
    void *ctx);

/* Cut s to at most w cells into out (n bytes), with an ellipsis when
 * cut. Returns out. */
char *ui_fit(const char *s, int w, char *out, size_t n);

#endif
