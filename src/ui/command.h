/*
 * command.h: the ":" command line. The app knows :quit, :help and
 * :goto (which it hands to the register); anything else goes to the
 * top screen's command() hook (app.h).
 */
#ifndef SENCO_UI_COMMAND_H
#define SENCO_UI_COMMAND_H

struct app;

/* Open the ":" prompt on the message line. */
void ui_command_open(struct app *a);
/* Run one command line (without the ':'). */
void ui_command_run(struct app *a, const char *line);

#endif
