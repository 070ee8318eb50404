/*
 * mergeui.h: merging a laptop copy from the register (M, or :merge FILE).
 * The copy is read and dry-run by the core (merge_prepare): the screen
 * says how many changes apply cleanly and lists the conflicts; the user
 * keeps the server's or the laptop's side of each, then y merges in one
 * transaction (refused while any conflict has no choice) and n, Esc or q
 * leaves with nothing written.
 */
#ifndef SENCO_UI_MERGEUI_H
#define SENCO_UI_MERGEUI_H

struct app;

/* Ask for the laptop copy on the message line. */
void ui_merge_start(struct app *a);
/* Read the laptop copy at path and open the merge screen (or say in one
 * line why not). */
void ui_merge_open(struct app *a, const char *path);

#endif
