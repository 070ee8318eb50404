/*
 * style.c: colours and attributes, with NO_COLOR and monochrome
 * terminals first-class (see style.h).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/style.h"

struct style_def {
	const char *name;
	int mono;		/* attributes always applied */
	short fg, bg;		/* default colours, -1 = terminal default */
};

static const struct style_def defaults[ST_COUNT] = {
	[ST_NORMAL] = { "normal", A_NORMAL, -1, -1 },
	[ST_TITLE] = { "title", A_BOLD, COLOR_WHITE, COLOR_BLUE },
	[ST_HEADING] = { "heading", A_BOLD | A_UNDERLINE, -1, -1 },
	[ST_SELECTED] = { "selected", A_REVERSE, -1, -1 },
	[ST_HINT] = { "hint", A_REVERSE, COLOR_BLACK, COLOR_CYAN },
	[ST_MESSAGE] = { "message", A_NORMAL, -1, -1 },
	[ST_ERROR] = { "error", A_BOLD, COLOR_RED, -1 },
	[ST_OVERDUE] = { "overdue", A_BOLD, COLOR_RED, -1 },
	[ST_GOOD] = { "good", A_NORMAL, COLOR_GREEN, -1 },
	[ST_WARN] = { "warn", A_BOLD, COLOR_YELLOW, -1 },
	[ST_DIM] = { "dim", A_DIM, -1, -1 },
	[ST_TAB] = { "tab", A_NORMAL, -1, -1 },
	[ST_TAB_ACTIVE] = { "tab-active", A_REVERSE | A_BOLD, -1, -1 },
	[ST_FIELD] = { "field", A_UNDERLINE, -1, -1 },
	[ST_FIELD_ACTIVE] = { "field-active", A_REVERSE, -1, -1 },
};

static bool use_colour;
static short fg[ST_COUNT], bg[ST_COUNT];

static const struct {
	const char *name;
	short c;
} colour_names[] = {
	{ "default", -1 }, { "black", COLOR_BLACK }, { "red", COLOR_RED },
	{ "green", COLOR_GREEN }, { "yellow", COLOR_YELLOW },
	{ "blue", COLOR_BLUE }, { "magenta", COLOR_MAGENTA },
	{ "cyan", COLOR_CYAN }, { "white", COLOR_WHITE },
};

static int
colour_parse(const char *s, short *out)
{
	size_t i;

	for (i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++)
		if (strcasecmp(s, colour_names[i].name) == 0) {
			*out = colour_names[i].c;
			return 0;
		}
	return -1;
}

/* "red,default" or "red" -> fg, bg. */
static int
pair_parse(const char *value, short *f, short *b)
{
	char buf[64], *comma;

	if (value == NULL || strlen(value) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", value);
	comma = strchr(buf, ',');
	if (comma != NULL)
		*comma++ = '\0';
	if (colour_parse(buf, f) != 0)
		return -1;
	if (comma != NULL && colour_parse(comma + strspn(comma, " "), b) != 0)
		return -1;
	return 0;
}

int
ui_style_init(const struct config *cfg,
    void (*report)(void *ctx, const char *msg), void *ctx)
{
	const char *nc = getenv("NO_COLOR");
	int i, j, problems = 0;
	char msg[512];
	bool off = false;

	for (i = 0; i < ST_COUNT; i++) {
		fg[i] = defaults[i].fg;
		bg[i] = defaults[i].bg;
	}
	/* Check the config's colours even when colour is off, so a typo is
	 * reported on every terminal. */
	for (j = 0; cfg != NULL && j < cfg->n_colours; j++) {
		const struct config_entry *ce = &cfg->colours[j];
		const char *file = cfg->file != NULL ? cfg->file : "config";

		if (strrchr(file, '/') != NULL)
			file = strrchr(file, '/') + 1;
		short f = -1, b = -1;

		if (strcasecmp(ce->name, "enabled") == 0 ||
		    strcasecmp(ce->name, "colour") == 0) {
			off = ce->value != NULL && (strcasecmp(ce->value,
			    "false") == 0 || strcasecmp(ce->value, "no") == 0
			    || strcmp(ce->value, "0") == 0);
			continue;
		}
		for (i = 0; i < ST_COUNT; i++)
			if (strcasecmp(ce->name, defaults[i].name) == 0)
				break;
		if (i == ST_COUNT) {
			snprintf(msg, sizeof msg,
			    "%s:%d: unknown colour element '%s'", file,
			    ce->line, ce->name);
			report(ctx, msg);
			problems++;
			continue;
		}
		if (pair_parse(ce->value, &f, &b) != 0) {
			snprintf(msg, sizeof msg, "%s:%d: bad colour '%s' for "
			    "'%s' (use e.g. \"red,default\")", file, ce->line,
			    ce->value != NULL ? ce->value : "", ce->name);
			report(ctx, msg);
			problems++;
			continue;
		}
		fg[i] = f;
		bg[i] = b;
	}
	use_colour = !off && (nc == NULL || *nc == '\0') && has_colors();
	if (use_colour && start_color() == OK) {
		use_default_colors();
		for (i = 1; i < ST_COUNT && i < COLOR_PAIRS; i++)
			init_pair((short)i, fg[i], bg[i]);
	} else
		use_colour = false;
	return problems;
}

bool
ui_style_colour(void)
{
	return use_colour;
}

int
ui_style_attr(enum ui_style st)
{
	int a = defaults[st].mono;

	if (use_colour && st != ST_NORMAL && (fg[st] != -1 || bg[st] != -1))
		a |= (int)COLOR_PAIR(st);
	return a;
}

const char *
ui_style_name(enum ui_style st)
{
	return defaults[st].name;
}
