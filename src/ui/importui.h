/*
 * importui.h: importing pupils from the register (I): a path on the
 * message line, a dry run shown as a summary, then y (or s to skip the
 * refused rows) writes it in one transaction, n writes nothing.
 */
#ifndef SENCO_UI_IMPORTUI_H
#define SENCO_UI_IMPORTUI_H

struct app;

/* Ask for the file on the message line. */
void ui_import_start(struct app *a);

#endif
