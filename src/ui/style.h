/*
 * style.h: how each kind of text looks. Every style has a monochrome
 * attribute (bold, reverse, underline) that carries its meaning, and on
 * a colour terminal without NO_COLOR also a colour pair, configurable
 * in the config file (colours = { overdue = "red,default"; ... }).
 * Colour only ever repeats what the text or the attribute already says.
 */
#ifndef SENCO_UI_STYLE_H
#define SENCO_UI_STYLE_H

#include <stdbool.h>
#include "core/config.h"

enum ui_style {
	ST_NORMAL = 0,
	ST_TITLE,	/* the top line: program, school, screen */
	ST_HEADING,	/* column headings, section titles */
	ST_SELECTED,	/* the row under the cursor */
	ST_HINT,	/* the hint bar */
	ST_MESSAGE,	/* the message line */
	ST_ERROR,	/* an error in the message line or a form */
	ST_OVERDUE,	/* a review date past, a target behind */
	ST_GOOD,	/* on track, achieved */
	ST_WARN,	/* over the top-up threshold, attention */
	ST_DIM,		/* archived, discontinued, unset */
	ST_TAB,		/* a pane tab */
	ST_TAB_ACTIVE,	/* the pane shown */
	ST_FIELD,	/* a form field's value box */
	ST_FIELD_ACTIVE,
	ST_COUNT
};

/*
 * Decide colour once after initscr(): none with NO_COLOR set (any
 * value but empty), on a terminal without colours, or when the config
 * says so; then apply the config's colours, passing each problem to
 * report as "file:line: ...". Returns the number of problems.
 */
int ui_style_init(const struct config *cfg,
    void (*report)(void *ctx, const char *msg), void *ctx);
bool ui_style_colour(void);
/* The attributes (with colour pair) for a style. */
int ui_style_attr(enum ui_style st);
/* The config names of the styles, for help and the man page. */
const char *ui_style_name(enum ui_style st);

#endif
