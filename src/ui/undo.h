/*
 * undo.h: u takes back the last change made in this session (app.h
 * keeps it as struct ui_undo). Each kind of change is undone through
 * the core in one transaction.
 */
#ifndef SENCO_UI_UNDO_H
#define SENCO_UI_UNDO_H

struct app;

/* Undo the remembered change, say what happened in the message line. */
void ui_undo_run(struct app *a);

#endif
