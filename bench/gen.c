/*
 * gen.c: the benchmark's caseload (issue 6): the demo generator with
 * every pupil on the SEN register and the fuller history of
 * demo_opts.full_history, so N pupils give a local authority's register
 * of N: for 100,000 about 107k statuses, 211k cycles, 834k targets, 2.3M
 * ratings (2-4 a target, fewer in a cycle still at plan), 157k
 * enrolments in 507 interventions and 262k notes, names in many
 * alphabets; plus the roll as the MIS CSV for the import timing. Built
 * through the core like `senco demo`, so every rule holds; fictional
 * pupils carry no audit trail. About 42 s and 650 MB for 100,000 on two
 * CPUs (2026).
 *
 *   bench/gen --db FILE --pupils N [--seed S] [--csv FILE] [--pct P]
 *             [--copies K]
 *   bench/gen --plans FILE
 *
 * With --copies K (default 5) one pupil in K is built through the core
 * and copied K - 1 times, history and all, with a surname and UPN of its
 * own (demo_opts.copies): the core's checks on every write make a
 * caseload of 100,000 take minutes otherwise.
 *
 * Prints one line: pupils, seconds of wall and CPU time. With --plans it
 * prints SQLite's plan (EXPLAIN QUERY PLAN) of every page query the
 * register screen runs, on the caseload FILE, each line prefixed by the
 * query's name, then "plans_scans N": the steps that read a table or
 * index whole (SCAN), which no page query should need.
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
#include "core/register.h"
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

/* --plans: the page queries of the name order (the register's own),
 * unfiltered and searching, each way in. */
static int
plans(const char *path)
{
	static const char *const from_names[] = {
		"first", "last", "after", "before", "at",
	};
	static const enum register_from froms[] = {
		REGISTER_FIRST, REGISTER_LAST, REGISTER_AFTER,
		REGISTER_BEFORE, REGISTER_AT,
	};
	struct register_query q;
	struct db *db = NULL;
	struct serr e;
	char buf[8192], *line, *save;
	int scans = 0;

	serr_clear(&e);
	if (db_open(&db, path, DB_READONLY, &e) != 0) {
		fprintf(stderr, "gen: %s\n", e.msg);
		return 1;
	}
	for (int search = 0; search < 2; search++)
		for (size_t i = 0; i < sizeof froms / sizeof froms[0]; i++) {
			register_query_init(&q);
			q.filter.text = search ? "Harrison" : NULL;
			if (register_plan(db, &q, froms[i], buf, sizeof buf,
			    &e) != 0) {
				fprintf(stderr, "gen: %s\n", e.msg);
				db_close(db);
				return 1;
			}
			for (line = strtok_r(buf, "\n", &save); line != NULL;
			    line = strtok_r(NULL, "\n", &save)) {
				printf("plan_%s%s %s\n", search ? "search_" :
				    "", from_names[i], line);
				/* the page's own rows read back (w) and the
				 * search index's matches (a MATCH, :M) are
				 * not scans of the caseload */
				scans += strncmp(line, "SCAN ", 5) == 0 &&
				    strcmp(line, "SCAN w") != 0 &&
				    strstr(line, "VIRTUAL TABLE INDEX 0:M") ==
				    NULL;
			}
		}
	db_close(db);
	printf("plans_scans %d\n", scans);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen --db FILE --pupils N [--seed S] "
	    "[--csv FILE] [--pct P] [--copies K]\n"
	    "       gen --plans FILE\n");
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
		{ "plans", required_argument, NULL, 'x' },
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
	o.full_history = true;
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
		case 'x':
			return plans(optarg);
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
