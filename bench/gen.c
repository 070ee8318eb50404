/*
 * gen.c: the benchmark's caseload (issue 6): the demo generator with
 * every pupil on the SEN register, so N pupils give a local authority's
 * register of N (for 100,000: about 200k cycles, 600k targets, 1.7M
 * ratings, 150k enrolments in 500 interventions), plus the roll as the
 * MIS CSV for the import timing. Built through the core like `senco
 * demo`, so every rule holds; fictional pupils carry no audit trail.
 *
 *   bench/gen --db FILE --pupils N [--seed S] [--csv FILE] [--pct P]
 *             [--copies K]
 *
 * With --copies K (default 5) one pupil in K is built through the core
 * and copied K - 1 times, history and all, with a surname and UPN of its
 * own (demo_opts.copies): the core's checks on every write make a
 * caseload of 100,000 take minutes otherwise.
 *
 * Prints one line: pupils, seconds of wall and CPU time.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/db.h"
#include "core/demo.h"
#include "core/err.h"
#include <sqlite3.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	    ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen --db FILE --pupils N [--seed S] "
	    "[--csv FILE] [--pct P] [--copies K]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "pupils", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "csv", required_argument, NULL, 'c' },
		{ "pct", required_argument, NULL, 'P' },
		{ "copies", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_opts o;
	struct db *db = NULL;
	struct serr e;
	const char *path = NULL;
	double t0, c0;
	int ch;

	demo_opts_init(&o);
	o.register_pct = 100;
	o.copies = 5;
	while ((ch = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'p':
			o.pupils = atoi(optarg);
			break;
		case 's':
			o.seed = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			o.csv_path = optarg;
			break;
		case 'P':
			o.register_pct = atoi(optarg);
			break;
		case 'k':
			o.copies = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (path == NULL || optind != argc)
		usage();
	t0 = now();
	c0 = cpu();
	serr_clear(&e);
	if (getenv("GEN_ST"))
		sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	if (getenv("GEN_NOMEMSTAT"))
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (db_open(&db, path, DB_CREATE | DB_EXCL, &e) != 0) {
		fprintf(stderr, "gen: %s\n", e.msg);
		return 1;
	}
	if (getenv("GEN_NOFK"))
		sqlite3_exec(db_handle(db), "PRAGMA foreign_keys = OFF", 0, 0, 0);
	if (getenv("GEN_JOFF"))
		sqlite3_exec(db_handle(db), "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", 0, 0, 0);
	if (demo_build(db, &o, &e) != 0) {
		fprintf(stderr, "gen: %s\n", e.msg);
		db_close(db);
		return 1;
	}
	db_close(db);
	printf("%d pupils in %.2f s wall, %.2f s CPU\n", o.pupils,
	    now() - t0, cpu() - c0);
	return 0;
}
