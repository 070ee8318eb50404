/*
 * help.h: the help screen (?), generated from the key table for the
 * screen it was opened on, so it can never disagree with the keys.
 */
#ifndef SENCO_UI_HELP_H
#define SENCO_UI_HELP_H

struct app;
struct ui_screen;

/* Push the help screen for the keys active on screen s. */
void ui_help_open(struct app *a, struct ui_screen *s);

#endif
