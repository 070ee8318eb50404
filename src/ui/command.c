/*
 * command.c: the ":" command line (command.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"
#include "ui/app.h"
#include "ui/command.h"
#include "ui/help.h"

#define CMD_ARGS_MAX 16

static void
prompt_done(struct app *a, void *ctx, bool accepted, const char *text)
{
	if (accepted)
		ui_command_run(a, text);
}

void
ui_command_open(struct app *a)
{
	ui_prompt_open(a, ":", "", NULL, prompt_done, NULL);
}

/* Split on blanks; argv points into buf. */
static int
split(char *buf, char **argv)
{
	int argc = 0;
	char *p = buf;

	while (*p != '\0' && argc < CMD_ARGS_MAX) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return argc;
}

void
ui_command_run(struct app *a, const char *line)
{
	char *buf = xstrdup(line);
	char *argv[CMD_ARGS_MAX];
	int argc = split(buf, argv), i;
	struct ui_screen *s;

	if (argc == 0)
		goto out;
	if (strcmp(argv[0], "q") == 0 || strcmp(argv[0], "quit") == 0 ||
	    strcmp(argv[0], "q!") == 0 || strcmp(argv[0], "qa") == 0 ||
	    strcmp(argv[0], "exit") == 0) {
		a->quit = true;
		goto out;
	}
	if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "h") == 0) {
		ui_help_open(a, ui_top(a));
		goto out;
	}
	/* the top screen first, then (for :goto and the register's own
	 * commands) the screens below it, closing the ones above */
	s = ui_top(a);
	if (s->ops->command != NULL && s->ops->command(s, a, argc, argv))
		goto out;
	for (i = a->depth - 2; i >= 0; i--) {
		struct ui_screen *under = a->stack[i];
		if (under->ops->command == NULL)
			continue;
		if (strcmp(argv[0], "goto") != 0 && strcmp(argv[0], "g") != 0)
			break;
		while (a->depth > i + 1)
			ui_pop(a);
		if (under->ops->command(under, a, argc, argv))
			goto out;
		break;
	}
	ui_error(a, "unknown command ':%s' (try :goto UPN-or-name, :sort, "
	    ":filter, :merge FILE, :help, :quit)", argv[0]);
out:
	free(buf);
}
