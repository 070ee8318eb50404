/*
 * dashboard.h: the dashboard (dashboard.c): reviews overdue and due,
 * targets on track against the criteria, counts by status, broad area
 * and need as bar charts, and provision over the top-up threshold.
 */
#ifndef SENCO_UI_DASHBOARD_H
#define SENCO_UI_DASHBOARD_H

struct app;

/* Push the dashboard (or go back to it when it is just below). */
void ui_dashboard_open(struct app *a);
/* Is the screen the dashboard? (for switching with the provision map) */
struct ui_screen;
int ui_is_dashboard(const struct ui_screen *s);

#endif
