/*
 * main.c: senco's entry point: the global options, the configuration,
 * then either the full-screen interface (no command) or one command of
 * the scriptable command line (src/cli/).
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/date.h"
#include "ui/ui.h"

static void
warn_config(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "senco: warning: %s\n", msg);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db_opt = NULL, *config_opt = NULL;
	struct config cfg;
	struct serr e;
	struct cli c;
	char *db_default = NULL;
	bool read_only = false;
	int ch, status;

	setlocale(LC_ALL, "");
	opterr = 0;
	/* '+': the first word that is not an option is the command; what
	 * follows belongs to it. */
	while ((ch = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db_opt = optarg;
			break;
		case 'c':
			config_opt = optarg;
			break;
		case 'r':
			read_only = true;
			break;
		case 'h':
			cli_print_usage(stdout);
			return 0;
		case 'V':
			printf("senco %s\n", PACKAGE_VERSION);
			return 0;
		case ':':
			return cli_error(EX_USAGE, "option '%s' needs a value "
			    "(see 'senco --help')", argv[optind - 1]);
		default:
			if (optopt != 0 && strncmp(argv[optind - 1], "--", 2) != 0)
				return cli_error(EX_USAGE, "unknown option '-%c' "
				    "(see 'senco --help')", optopt);
			return cli_error(EX_USAGE, "unknown option '%s' (see "
			    "'senco --help')", argv[optind - 1]);
		}
	}
	if (db_opt != NULL && *db_opt == '\0')
		return cli_error(EX_USAGE, "--db: no file given");

	/* Help needs no configuration: it must work when the file is
	 * broken. */
	if (optind < argc && strcmp(argv[optind], "help") == 0)
		return cli_help(argc - optind, argv + optind);

	serr_clear(&e);
	if (config_load(&cfg, config_opt, warn_config, NULL, &e) != 0) {
		cli_fail(&e);
		config_free(&cfg);
		return EX_CONFIG;
	}
	date_set_style(cfg.date_style);
	if (db_opt == NULL)
		db_default = config_database_path(&cfg);

	if (optind == argc) {
		struct ui_opts uo = {
			.db_path = db_opt != NULL ? db_opt : db_default,
			.read_only = read_only,
			.cfg = &cfg,
		};

		status = ui_run(&uo);
	} else {
		memset(&c, 0, sizeof c);
		c.db_path = db_opt != NULL ? db_opt : db_default;
		c.read_only = read_only;
		c.cfg = &cfg;
		status = cli_run(&c, argc - optind, argv + optind);
	}
	if (fflush(stdout) != 0 && status == 0)
		status = cli_error(EX_IOERR, "writing the output failed");
	free(db_default);
	config_free(&cfg);
	return status;
}
