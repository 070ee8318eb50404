/*
 * ui.h: the full-screen interface (issue 3). The only code that draws.
 */
#ifndef SENCO_UI_H
#define SENCO_UI_H

#include <stdbool.h>
#include "core/config.h"

struct ui_opts {
	const char *db_path;
	bool read_only;
	const struct config *cfg;
};

/* Run until the user quits; returns a process exit status. */
int ui_run(const struct ui_opts *o);

#endif
