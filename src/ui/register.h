/*
 * register.h: the home screen, the SEN register (register.c).
 */
#ifndef SENCO_UI_REGISTER_H
#define SENCO_UI_REGISTER_H

struct app;

/* Push the register; it is the bottom of the stack (q there quits). */
void ui_register_open(struct app *a);

#endif
