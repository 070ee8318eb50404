/*
 * provision.h: the provision map (provision.c): every intervention with
 * its pupils, sessions, hours, cost and impact; Enter lists the group.
 */
#ifndef SENCO_UI_PROVISION_H
#define SENCO_UI_PROVISION_H

struct app;
struct ui_screen;

/* Push the provision map (or go back to it when it is just below). */
void ui_provision_open(struct app *a);
/* Is the screen the provision map? (for switching with the dashboard) */
int ui_is_provision(const struct ui_screen *s);

#endif
