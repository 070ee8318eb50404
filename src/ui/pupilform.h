/*
 * pupilform.h: the pupil form: add (p NULL) or edit a pupil.
 */
#ifndef SENCO_UI_PUPILFORM_H
#define SENCO_UI_PUPILFORM_H

struct app;
struct pupil;

void ui_pupilform_open(struct app *a, const struct pupil *p);

#endif
