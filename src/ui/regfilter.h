/*
 * regfilter.h: the register's filters: by status, need, year group,
 * stage, overdue review and flags, and whether archived pupils and
 * pupils with status N show. Set by the filter form (f) or by
 * ":filter WORD..." on the command line.
 */
#ifndef SENCO_UI_REGFILTER_H
#define SENCO_UI_REGFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include "core/register.h"

struct app;
struct ui_screen;

/* Any filter set (search text aside)? */
bool ui_regfilter_active(const struct register_query *q);
/* Back to the register's defaults (K and E, not archived). */
void ui_regfilter_clear(struct register_query *q);
/* "filter: K ASD Y7 overdue" for the title bar, "" when none. */
char *ui_regfilter_describe(const struct register_query *q, char *buf,
    size_t n);
/* ":filter K ASD ..." words; false (and a message) on a bad word, when
 * q is left as it was. */
bool ui_regfilter_command(struct app *a, struct register_query *q,
    int argc, char **argv);
/* The filter form over the register; on save it changes q and the
 * register (owner) reloads when it resumes. */
void ui_regfilter_open(struct app *a, struct register_query *q,
    struct ui_screen *owner);

#endif
