/*
 * failloop.c: the failing-write loop of the crash tests (issue 5), run
 * inside sencofw, senco linked with the failing VFS (failvfs.c).
 *
 *   SENCO_FAILLOOP_BASE=FILE|- [SENCO_FAILLOOP_RETRY=K] \
 *   [SENCO_FAILLOOP_MODES=once,lasting,full] [SENCO_FAILLOOP_STEP=K] \
 *       sencofw --db WORK/caseload.db ARGS...
 *
 * For each way of failing (an I/O error once, an I/O error that lasts, a
 * disk that stays full; all three unless MODES names some) this runs
 * `senco --db ... ARGS` on a fresh copy of FILE ("-": no file) with
 * counted write N = 1, 2, ... (or 1, 1 + K, ...) failing, until a run
 * completes without reaching N. After each failure the file must be
 * as it was before (for a file without a schema: still none, or no file)
 * or as a clean run leaves it, with integrity_check and foreign_key_check
 * clean (state.c compares), and senco must have said in one line what
 * went wrong: an I/O error, or "the disk is full; nothing was saved".
 * With RETRY=K, a run without failures must then work on a file left as
 * it was, checked at the first such point and every Kth after: it is
 * usable.
 *
 * Each run is a fork of this process that goes on into senco's main() as
 * if started afresh: no exec, no loading of libraries, so the thousands
 * of runs take seconds. The loop itself never reaches main().
 *
 * Prints, per way, "mode NAME: points P bad B saved S partial X" (P
 * failure points; B problems; S failures after the commit that senco
 * reported; X partial states) and "# ..." lines naming each problem; exits
 * 0 when there were none.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "failvfs.h"
#include "state.h"

static const struct fail_mode {
	const char *key;	/* in SENCO_FAILLOOP_MODES */
	const char *name;
	int full;
	int persist;
} fail_modes[] = {
	{ "once", "I/O error once", 0, 0 },
	{ "lasting", "I/O error lasting", 0, 1 },
	{ "full", "disk full", 1, 1 },
};

#define FAIL_MAX_POINTS 3000
#define MAX_SHOWN 12		/* problem lines shown per way */

static jmp_buf child_jmp;
static const char *db, *report, *errpath;
/* The loop's heap strings live in statics, not on the stack, so that a
 * child (which leaves the loop's frames behind) still reaches them and
 * LeakSanitizer, in a sanitizer build, does not count them as leaks. */
static char *before, *after, *now, *msg;

static void
remove_db(void)
{
	char *side;

	unlink(db);
	xasprintf(&side, "%s-wal", db);
	unlink(side);
	free(side);
	xasprintf(&side, "%s-shm", db);
	unlink(side);
	free(side);
}

/* A fresh copy of src (or no file, for "-") at db. */
static void
reset_db(const char *src)
{
	char buf[65536];
	size_t n;
	FILE *in, *out;
	int fd;

	remove_db();
	if (strcmp(src, "-") == 0)
		return;
	if ((in = fopen(src, "rb")) == NULL || (fd = open(db, O_WRONLY |
	    O_CREAT | O_TRUNC, 0600)) < 0 || (out = fdopen(fd, "wb")) == NULL) {
		printf("# copying %s: %s\n", src, strerror(errno));
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0) {
		printf("# %s: %s\n", db, strerror(errno));
		exit(2);
	}
}

/*
 * Run senco once with write `at` failing the way m says (m NULL: none).
 * In the parent: the exit status, or 128 + the signal. The child does not
 * return: it jumps back to failloop_main, which returns into senco.
 */
static int
run_senco(const struct fail_mode *m, long at)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	unlink(report);
	if ((pid = fork()) < 0) {
		printf("# fork: %s\n", strerror(errno));
		exit(2);
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), out = open("/dev/null",
		    O_WRONLY), err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC,
		    0600);

		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		close(in);
		close(out);
		close(err);
		failvfs_install(m != NULL ? at : 0, m != NULL && m->full,
		    m != NULL && m->persist);
		failvfs_report_at_exit(report);
		longjmp(child_jmp, 1);
	}
	if (waitpid(pid, &st, 0) < 0) {
		printf("# waitpid: %s\n", strerror(errno));
		exit(2);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The whole of a small file ("" if none); the caller frees it. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = xmalloc(4096);
	size_t n = 0;

	if (fp != NULL) {
		n = fread(buf, 1, 4095, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

/* One line, "senco: ...", that names what went wrong. */
static bool
clear_message(const char *text, const struct fail_mode *m)
{
	static const char full[] = "the disk is full; nothing was saved\n";
	const char *nl = strchr(text, '\n');
	size_t n = strlen(text);

	if (strncmp(text, "senco: ", 7) != 0 || nl == NULL || nl[1] != '\0')
		return false;
	if (m->full)
		return n >= sizeof full - 1 &&
		    strcmp(text + n - (sizeof full - 1), full) == 0;
	return strstr(text, "I/O error") != NULL;
}

/* No file, or a file without a schema: what a failed creation leaves. */
static bool
no_schema(const char *state)
{
	return strcmp(state, "nofile") == 0 ||
	    strncmp(state, "version 0 schema 0 ", 19) == 0;
}

static int shown;
static long step = 1;		/* SENCO_FAILLOOP_STEP: every Nth point */

static void
problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
problem(const char *fmt, ...)
{
	va_list ap;

	if (++shown > MAX_SHOWN)
		return;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* One way of failing, N = 1, 2, ...; returns the number of problems. */
static int
one_mode(const struct fail_mode *fm, const char *base, long retry)
{
	int points = 0, bad = 0, saved = 0, partial = 0, rc;
	long at, retries = -1;

	shown = 0;
	for (at = 1; at <= FAIL_MAX_POINTS; at += step) {
		long ops = 0, fired = 0;
		char *rep;
		bool was_before, was_after;

		reset_db(base);
		rc = run_senco(fm, at);
		rep = slurp(report);
		if (sscanf(rep, "ops %ld fired %ld", &ops, &fired) != 2) {
			bad++;
			problem("%s, write %ld: senco did not exit (status "
			    "%d)", fm->name, at, rc);
		}
		free(rep);
		now = crash_state(db);
		msg = slurp(errpath);
		was_after = strcmp(now, after) == 0;
		was_before = strcmp(now, before) == 0 ||
		    (no_schema(before) && no_schema(now));
		if (fired == 0) {
			/* Past the last write: the action is whole. */
			if (rc != 0 || !was_after) {
				bad++;
				problem("%s: with no failure: exit %d, %s",
				    fm->name, rc, now);
			}
			free(now);
			free(msg);
			now = msg = NULL;
			break;
		}
		points++;
		if (was_after) {
			/* Whole: the write failed after the commit (the
			 * checkpoint at close). Said or not, it must not be
			 * "nothing was saved". */
			if (rc != 0) {
				saved++;
				if (strstr(msg, "nothing was saved") != NULL) {
					bad++;
					problem("%s, write %ld: saved, yet: %s",
					    fm->name, at, msg);
				}
			}
		} else if (was_before) {
			if (rc == 0) {
				bad++;
				problem("%s, write %ld: exit 0, nothing saved",
				    fm->name, at);
			}
		} else {
			bad++;
			partial++;
			problem("%s, write %ld: PARTIAL: %s", fm->name, at,
			    now);
		}
		if (rc != 0 && !was_after && !clear_message(msg, fm)) {
			bad++;
			problem("%s, write %ld: exit %d, unclear: %.*s",
			    fm->name, at, rc, (int)strcspn(msg, "\n"), msg);
		}
		/* Every retry-th such point: the file is usable as left. */
		if (was_before && retry > 0 && ++retries % retry == 0) {
			int rc2 = run_senco(NULL, 0);
			char *again = crash_state(db);

			if (rc2 != 0 || strcmp(again, after) != 0) {
				char *m2 = slurp(errpath);

				bad++;
				problem("%s, write %ld: then without failures: "
				    "exit %d, %s; %.*s", fm->name, at, rc2,
				    again, (int)strcspn(m2, "\n"), m2);
				free(m2);
			}
			free(again);
		}
		free(now);
		free(msg);
		now = msg = NULL;
	}
	if (at > FAIL_MAX_POINTS) {
		bad++;
		problem("%s: never completed in %d writes", fm->name,
		    FAIL_MAX_POINTS);
	}
	if (shown > MAX_SHOWN)
		printf("# (%d more)\n", shown - MAX_SHOWN);
	printf("mode %s: points %d bad %d saved %d partial %d\n", fm->name,
	    points, bad, saved, partial);
	return bad;
}

/* Is this way of failing among SENCO_FAILLOOP_MODES (default: all)? */
static bool
wanted(const char *key)
{
	const char *modes = getenv("SENCO_FAILLOOP_MODES"), *p;
	size_t n = strlen(key);

	if (modes == NULL || *modes == '\0')
		return true;
	for (p = modes; (p = strstr(p, key)) != NULL; p += n)
		if ((p == modes || p[-1] == ',') && (p[n] == ',' ||
		    p[n] == '\0'))
			return true;
	return false;
}

static void
loop(int argc, char **argv) __attribute__((noreturn));

static void
loop(int argc, char **argv)
{
	const char *base = getenv("SENCO_FAILLOOP_BASE");
	const char *r = getenv("SENCO_FAILLOOP_RETRY");
	const char *st = getenv("SENCO_FAILLOOP_STEP");
	char *dir, *slash;
	int problems = 0, rc;

	if (st != NULL && strtol(st, NULL, 10) > 1)
		step = strtol(st, NULL, 10);

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
	if (db == NULL) {
		printf("# failloop: no --db FILE\n");
		_exit(2);
	}
	dir = xstrdup(db);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	xasprintf((char **)&report, "%s/failvfs-report", dir);
	xasprintf((char **)&errpath, "%s/stderr", dir);
	free(dir);

	reset_db(base);
	before = crash_state(db);
	reset_db(base);
	if ((rc = run_senco(NULL, 0)) != 0) {
		msg = slurp(errpath);

		printf("# the action fails with no failed write: exit %d: %s",
		    rc, msg);
		fflush(stdout);
		_exit(1);
	}
	after = crash_state(db);
	printf("# before: %s\n# after:  %s\n", before, after);
	for (size_t m = 0; m < sizeof fail_modes / sizeof fail_modes[0]; m++)
		if (wanted(fail_modes[m].key))
			problems += one_mode(&fail_modes[m], base,
			    r != NULL ? strtol(r, NULL, 10) : 0);
	fflush(stdout);
	_exit(problems == 0 ? 0 : 1);
}

void
failloop_main(int argc, char **argv)
{
	if (setjmp(child_jmp) != 0)
		return;		/* a child: on into senco */
	loop(argc, argv);
}
