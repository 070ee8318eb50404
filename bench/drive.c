/*
 * drive.c: the benchmark's terminal (issue 6). It runs the real senco in
 * a pseudo-terminal of 80x24 (forkpty), the way a user over SSH would,
 * and measures what a user pays:
 *   - open to the first complete screen (wall), median of several starts,
 *     and the peak resident memory of the whole session (wait4);
 *   - per key, sent ONE at a time and each followed by waiting until the
 *     output stops: the bytes senco writes to the terminal and the CPU
 *     time it spends (the child's /proc/PID/schedstat, nanoseconds; the
 *     clock-tick /proc/PID/stat where that is missing), summed over
 *     hundreds of keys and divided;
 *   - rating a target: wall time from the key to the end of the row's
 *     redraw (the core commits before the row redraws), and a check in
 *     the database after each key that the rating was committed (then
 *     u takes it back, not counted).
 *
 *   bench/drive --senco BIN --db FILE [--keys N] [--opens N] [--starts N]
 *   bench/drive --time NAME -- COMMAND ARGS...
 *   bench/drive --counts FILE
 *
 * Prints "name value" lines for bench/run. The ratings are undone again,
 * but the audit trail keeps them: give it a copy of the database. With
 * --time it runs one command (its output to /dev/null) and prints its
 * wall and CPU time, peak memory and exit status, for the command-line
 * figures (import, reports, plan, export) and the reference tools. With
 * --counts it prints the caseload's schema version and the rows of its
 * main tables, so the results say what was measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define COLS 80
#define ROWS 24
#define QUIET_MS 30		/* no output this long: the key is done
				 * (DRIVE_QUIET_MS overrides) */
#define KEY_MAX_MS 3000		/* a key that answers nothing this long */
#define READY_MAX_MS 20000	/* the first screen, even at 100,000 */
#define READY "help"		/* in the hint bar, the last row drawn */
#define TAIL 256		/* output kept to look for the sentinel */

/* Keys as a terminal (xterm) sends them. */
#define K_PGDN "\033[6~"
#define K_ENTER "\r"
#define K_CANCEL "\007"		/* Ctrl-G leaves a prompt without Esc's wait */

struct sess {
	pid_t pid;
	int fd;
	char tail[TAIL + 1];	/* the latest output */
	size_t ntail;
	long long bytes;	/* all output so far */
	double last;		/* when the latest byte came */
	bool eof;
	struct rusage ru;
	int status;
	bool reaped;
};

/* One measure: keys sent, bytes and CPU, and the worst key. */
struct meas {
	int keys;
	long long bytes, max_bytes;
	double cpu_ms;
	double wall_ms;		/* sum of key-to-settled wall */
	double *walls;		/* each key's, for a median */
	int n_walls;
};

static const char *senco_bin, *db_path;
static char home[256];
static int quiet_ms = QUIET_MS;
static FILE *trace;		/* DRIVE_TRACE: every byte senco wrote */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "drive: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* The child's CPU time so far in ms: schedstat is exact, stat is ticks. */
static double
child_cpu_ms(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ns, ut, st;
	FILE *f;
	int i;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%llu", &ns) == 1) {
			fclose(f);
			return (double)ns / 1e6;
		}
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) == NULL) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* after "(comm)", field 3 on; utime and stime are 14 and 15 */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	for (i = 2; i < 14 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, "%llu %llu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) * 1e3 / (double)sysconf(_SC_CLK_TCK);
}

/* Read what is there within ms (0: only what is waiting). Returns the
 * bytes read. */
static long long
pump(struct sess *s, int ms)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	char buf[65536];
	long long got = 0;
	ssize_t n;

	if (s->eof)
		return 0;
	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	for (;;) {
		n = read(s->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0 && errno == EAGAIN)
				break;
			s->eof = true;	/* EIO: the child closed the pty */
			break;
		}
		got += n;
		s->bytes += n;
		s->last = now_ms();
		if (trace != NULL)
			fwrite(buf, 1, (size_t)n, trace);
		if ((size_t)n >= TAIL) {
			memcpy(s->tail, buf + n - TAIL, TAIL);
			s->ntail = TAIL;
		} else {
			size_t keep = s->ntail + (size_t)n > TAIL ?
			    TAIL - (size_t)n : s->ntail;

			memmove(s->tail, s->tail + s->ntail - keep, keep);
			memcpy(s->tail + keep, buf, (size_t)n);
			s->ntail = keep + (size_t)n;
		}
		s->tail[s->ntail] = '\0';
	}
	return got;
}

/* Wait for output to start (up to max_ms) and then to stop for QUIET_MS.
 * Returns the bytes. */
static long long
settle(struct sess *s, int max_ms)
{
	double start = now_ms();
	long long got = 0;

	while (got == 0 && !s->eof && now_ms() - start < max_ms)
		got += pump(s, 10);
	while (!s->eof) {
		long long n = pump(s, quiet_ms);

		if (n == 0)
			break;
		got += n;
	}
	return got;
}

static void
sess_start(struct sess *s)
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	int fl;

	memset(s, 0, sizeof *s);
	s->pid = forkpty(&s->fd, NULL, NULL, &ws);
	if (s->pid < 0)
		die("forkpty: %s", strerror(errno));
	if (s->pid == 0) {
		/* A clean user: no config, the same terminal everywhere. */
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("HOME", home, 1);
		setenv("XDG_CONFIG_HOME", home, 1);
		setenv("XDG_DATA_HOME", home, 1);
		unsetenv("NO_COLOR");
		unsetenv("ESCDELAY");
		unsetenv("SENCO_CONFIG");
		execl(senco_bin, senco_bin, "--db", db_path, (char *)NULL);
		perror(senco_bin);
		_exit(127);
	}
	fl = fcntl(s->fd, F_GETFL);
	fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
}

/* Wait for the first complete screen: the hint bar's sentinel, then
 * quiet. Returns the wall time from `t0` to the screen's last byte. */
static double
sess_ready(struct sess *s, double t0)
{
	while (strstr(s->tail, READY) == NULL) {
		if (s->eof || now_ms() - t0 > READY_MAX_MS)
			die("senco did not show its first screen (output "
			    "ends: %.80s)", s->tail);
		pump(s, 50);
	}
	while (pump(s, quiet_ms) > 0)
		;
	return s->last - t0;
}

static void
sess_write(struct sess *s, const char *keys)
{
	size_t n = strlen(keys);

	while (n > 0) {
		ssize_t w = write(s->fd, keys, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			pump(s, 5);
			continue;
		}
		if (w < 0)
			die("writing keys: %s", strerror(errno));
		keys += w;
		n -= (size_t)w;
	}
}

/* Send a key that is not measured and let it settle. */
static void
setup(struct sess *s, const char *key)
{
	sess_write(s, key);
	settle(s, KEY_MAX_MS);
}

/* Send one measured key; wait until it is done. */
static void
key(struct sess *s, struct meas *m, const char *k)
{
	double c0 = child_cpu_ms(s->pid), t0 = now_ms();
	long long b;

	if (trace != NULL)
		fprintf(trace, "\n<<KEY %s>>\n", k[0] == '\033' ? "ESC" :
		    k[0] == '\r' ? "CR" : k);
	sess_write(s, k);
	b = settle(s, KEY_MAX_MS);
	m->cpu_ms += child_cpu_ms(s->pid) - c0;
	m->keys++;
	m->bytes += b;
	if (b > m->max_bytes)
		m->max_bytes = b;
	if (b > 0) {
		double w = s->last - t0;

		m->wall_ms += w;
		m->walls = realloc(m->walls, (size_t)(m->n_walls + 1) *
		    sizeof *m->walls);
		m->walls[m->n_walls++] = w;
	}
}

/* Leave senco with q from the register and collect its rusage. */
static void
sess_quit(struct sess *s)
{
	double t0 = now_ms();

	sess_write(s, "q");
	while (!s->eof && now_ms() - t0 < 5000)
		pump(s, 50);
	for (;;) {
		pid_t r = wait4(s->pid, &s->status, WNOHANG, &s->ru);

		if (r == s->pid)
			break;
		if (now_ms() - t0 > 5000) {
			kill(s->pid, SIGKILL);
			wait4(s->pid, &s->status, 0, &s->ru);
			fprintf(stderr, "drive: senco did not quit on q\n");
			break;
		}
		usleep(10000);
	}
	s->reaped = true;
	close(s->fd);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
report(const char *name, struct meas *m)
{
	if (m->keys == 0)
		return;
	printf("%s_keys %d\n", name, m->keys);
	printf("%s_bytes %.1f\n", name, (double)m->bytes / m->keys);
	printf("%s_bytes_max %lld\n", name, m->max_bytes);
	printf("%s_cpu_ms %.3f\n", name, m->cpu_ms / m->keys);
	printf("%s_wall_ms %.2f\n", name, median(m->walls, m->n_walls));
	free(m->walls);
	m->walls = NULL;
}

/* --- the database: a pupil to rate, and the check afterwards ------------ */

static sqlite3 *
db_ro(void)
{
	sqlite3 *h;

	if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		die("%s: %s", db_path, sqlite3_errmsg(h));
	sqlite3_busy_timeout(h, 5000);
	return h;
}

static long long
q_int(sqlite3 *h, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", sql, sqlite3_errmsg(h));
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A pupil whose open cycle is under way, with a first target that has
 * no outcome: its UPN into upn[14]. */
static bool
pick_pupil(char *upn)
{
	sqlite3 *h = db_ro();
	sqlite3_stmt *st;
	bool ok = false;
	const char *sql = "SELECT p.upn FROM pupil p JOIN cycle c ON "
	    "c.pupil_id = p.id AND c.closed_on IS NULL AND c.stage = 'do' "
	    "WHERE p.archived = 0 AND (SELECT t.outcome IS NULL FROM target t "
	    "WHERE t.cycle_id = c.id ORDER BY t.position LIMIT 1) "
	    "ORDER BY p.upn LIMIT 1";

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s", sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(upn, 14, "%s", sqlite3_column_text(st, 0));
		ok = true;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ok;
}

static const char SQL_RATINGS[] =
    "SELECT count(*) FROM rating r JOIN target t ON t.id = r.target_id "
    "JOIN cycle c ON c.id = t.cycle_id AND c.closed_on IS NULL "
    "JOIN pupil p ON p.id = c.pupil_id WHERE p.upn = ?";

/* --- the scenarios ------------------------------------------------------ */

static void
scen_open(int starts)
{
	double *walls = calloc((size_t)starts, sizeof *walls), t0;
	double *cpus = calloc((size_t)starts, sizeof *cpus);
	long maxrss = 0;
	struct sess s;

	if (walls == NULL || cpus == NULL)
		die("out of memory");
	for (int i = 0; i < starts; i++) {
		t0 = now_ms();
		sess_start(&s);
		walls[i] = sess_ready(&s, t0);
		/* CPU is robust to other work on the machine, wall is not */
		cpus[i] = child_cpu_ms(s.pid);
		sess_quit(&s);
		if (s.ru.ru_maxrss > maxrss)
			maxrss = s.ru.ru_maxrss;
	}
	printf("open_ms %.1f\n", median(walls, starts));
	qsort(walls, (size_t)starts, sizeof *walls, cmp_double);
	printf("open_ms_min %.1f\n", walls[0]);
	printf("open_rss_kb %ld\n", maxrss);
	printf("start_cpu_ms %.1f\n", median(cpus, starts));
	free(walls);
	free(cpus);
}

/* DRIVE_ONLY=down,search...: run those measures alone (for profiling). */
static bool
wanted(const char *name)
{
	const char *only = getenv("DRIVE_ONLY"), *p;
	size_t n = strlen(name);

	if (only == NULL || *only == '\0')
		return true;
	for (p = only; (p = strstr(p, name)) != NULL; p += n)
		if ((p == only || p[-1] == ',') && (p[n] == ',' ||
		    p[n] == '\0'))
			return true;
	return false;
}

/* Surnames of the demo (and so of the CSV), typed a letter at a time. */
static const char *const surnames[] = {
	"Kowalczyk", "Okonkwo", "Fitzgerald", "Hussain", "Lewandowski",
	"Ashworth", "Pemberton", "Gallagher", "Nguyễn", "Søndergaard",
	"Holloway", "Adeyemi", "Öztürk", "Warsame", "Fernández", "McKenzie",
	"Mistry", "Boateng", "Fairbairn", "Szymański", "Chaudhry",
	"Ó Súilleabháin", "Gonçalves", "Yılmaz", "Lefèvre", "Harrison",
	"Robinson", "Thompson", "Edwards", "Fletcher",
};

/* The next UTF-8 character of s into k (NUL ended); its length. */
static int
utf8_char(const char *s, char *k)
{
	int n = 1;
	unsigned char c = (unsigned char)*s;

	if (c >= 0xf0)
		n = 4;
	else if (c >= 0xe0)
		n = 3;
	else if (c >= 0xc0)
		n = 2;
	memcpy(k, s, (size_t)n);
	k[n] = '\0';
	return n;
}

static void
scen_keys(int nkeys, int nopens)
{
	struct meas down = { 0 }, pgdn = { 0 }, end = { 0 }, search = { 0 },
	    open = { 0 }, back = { 0 }, rate = { 0 }, third = { 0 };
	struct sess s;
	char upn[16], cmd[64], k[8];
	long long before, after;
	sqlite3 *h;
	int n_rated = 0;
	double t0 = now_ms();

	sess_start(&s);
	sess_ready(&s, t0);

	/* cursor down, from the top: the page's rows and its scrolls */
	for (int i = 0; i < nkeys && wanted("down"); i++)
		key(&s, &down, "j");
	setup(&s, "g");

	/* page down: through the register, back to the top when the end
	 * is near (g is not counted) */
	while (pgdn.keys < nkeys && wanted("pgdn")) {
		for (int i = 0; i < 40 && pgdn.keys < nkeys; i++)
			key(&s, &pgdn, K_PGDN);
		setup(&s, "g");
	}

	/* jump to the end, and back (not counted) */
	for (int i = 0; i < nkeys / 4 && wanted("end"); i++) {
		key(&s, &end, "G");
		setup(&s, "g");
	}

	/* search as you type: each letter of a surname; Ctrl-G leaves */
	for (int i = 0; search.keys < nkeys && wanted("search"); i++) {
		const char *p = surnames[i % (int)(sizeof surnames /
		    sizeof surnames[0])];

		setup(&s, "/");
		while (*p != '\0') {
			p += utf8_char(p, k);
			key(&s, &search, k);
		}
		setup(&s, K_CANCEL);
	}
	setup(&s, "g");

	/* open a pupil and go back, one row further each time */
	for (int i = 0; i < nopens && wanted("open"); i++) {
		key(&s, &open, K_ENTER);
		key(&s, &back, "q");
		setup(&s, "j");
	}

	/* rate a target: a pupil in the do stage, its Targets pane, then
	 * 1-4 on the first target, each undone again (not counted) */
	if (wanted("rate") && pick_pupil(upn)) {
		h = db_ro();
		snprintf(cmd, sizeof cmd, "goto %s\r", upn);
		setup(&s, ":");
		for (const char *p = cmd; *p != '\0'; p++) {
			k[0] = *p;
			k[1] = '\0';
			setup(&s, k);
		}
		/* the Targets pane (where the pupil screen may open already,
		 * and then 2 is a rating: the count is taken after it) */
		setup(&s, "2");
		before = q_int(h, SQL_RATINGS, upn);
		for (int i = 0; i < nopens; i++) {
			k[0] = (char)('1' + i % 4);
			k[1] = '\0';
			key(&s, &rate, k);
			/* committed by the time the row redrew? */
			after = q_int(h, SQL_RATINGS, upn);
			n_rated += after == before + 1;
			setup(&s, "u");
		}
		printf("rate_committed %d\n", n_rated);
		printf("rate_expected %d\n", nopens);
		if (q_int(h, SQL_RATINGS, upn) != before)
			fprintf(stderr, "drive: undo left %lld ratings\n",
			    q_int(h, SQL_RATINGS, upn) - before);
		sqlite3_close(h);
		setup(&s, "q");
	}

	/* the third letter of a search alone, where the UI first uses the
	 * search index (and, on a register longer than its
	 * SEARCH_SCAN_MAX, first searches at all), and the match that
	 * most names have: the average of search above hides this one key
	 * of each name. The first two
	 * letters are not counted. Last, so that the pages it reads into
	 * SQLite's cache do not change the measures before it. */
	for (int i = 0; third.keys < nkeys / 3 && wanted("third"); i++) {
		const char *p = surnames[i % (int)(sizeof surnames /
		    sizeof surnames[0])];

		setup(&s, "/");
		for (int j = 0; j < 2; j++) {
			p += utf8_char(p, k);
			setup(&s, k);
		}
		p += utf8_char(p, k);
		key(&s, &third, k);
		setup(&s, K_CANCEL);
	}
	setup(&s, "g");
	sess_quit(&s);
	report("down", &down);
	report("pgdn", &pgdn);
	report("end", &end);
	report("search", &search);
	report("third", &third);
	report("open", &open);
	report("back", &back);
	report("rate", &rate);
	printf("session_rss_kb %ld\n", s.ru.ru_maxrss);
}

/* The dashboard (D), its snapshot of the whole caseload, a few times in
 * a session of its own, so that its memory is not taken for the
 * register's (not a per-key target; q back is not counted). */
static void
scen_dash(int times)
{
	struct meas dash = { 0 };
	struct sess s;
	double t0 = now_ms();

	if (!wanted("dash"))
		return;
	sess_start(&s);
	sess_ready(&s, t0);
	for (int i = 0; i < times; i++) {
		key(&s, &dash, "D");
		setup(&s, "q");
	}
	sess_quit(&s);
	report("dash", &dash);
	printf("dash_rss_kb %ld\n", s.ru.ru_maxrss);
}

/* --time: run argv once, output to /dev/null; its figures. */
static int
time_command(const char *name, char **argv)
{
	struct rusage ru;
	double t0 = now_ms(), wall;
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4: %s", strerror(errno));
	wall = now_ms() - t0;
	printf("%s_wall_ms %.1f\n", name, wall);
	printf("%s_cpu_ms %.1f\n", name, (double)(ru.ru_utime.tv_sec +
	    ru.ru_stime.tv_sec) * 1e3 + (double)(ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) / 1e3);
	printf("%s_rss_kb %ld\n", name, ru.ru_maxrss);
	printf("%s_status %d\n", name, WIFEXITED(status) ?
	    WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

/* --counts: the rows of each main table of the caseload at path. */
static int
print_counts(const char *path)
{
	static const char *const tables[] = {
		"pupil", "sen_status", "cycle", "target", "rating",
		"intervention", "enrolment", "note",
	};
	char sql[64];
	long long n;
	sqlite3 *h;

	db_path = path;
	h = db_ro();
	printf("schema_version %lld\n", q_int(h, "PRAGMA user_version", NULL));
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
		n = q_int(h, sql, NULL);
		printf("rows_%s %lld\n", tables[i], n);
	}
	sqlite3_close(h);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: drive --senco BIN --db FILE [--keys N] "
	    "[--opens N] [--starts N]\n"
	    "       drive --time NAME -- COMMAND ARGS...\n"
	    "       drive --counts FILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "senco", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'd' },
		{ "keys", required_argument, NULL, 'k' },
		{ "opens", required_argument, NULL, 'o' },
		{ "starts", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "counts", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, nkeys = 300, nopens = 100, starts = 7;
	const char *timing = NULL;
	char *tmp;

	while ((ch = getopt_long(argc, argv, "+", lopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			senco_bin = optarg;
			break;
		case 'd':
			db_path = optarg;
			break;
		case 'k':
			nkeys = atoi(optarg);
			break;
		case 'o':
			nopens = atoi(optarg);
			break;
		case 'n':
			starts = atoi(optarg);
			break;
		case 't':
			timing = optarg;
			break;
		case 'c':
			return print_counts(optarg);
		default:
			usage();
		}
	}
	if (timing != NULL) {
		if (optind >= argc)
			usage();
		return time_command(timing, argv + optind);
	}
	if (getenv("DRIVE_TRACE") != NULL &&
	    (trace = fopen(getenv("DRIVE_TRACE"), "w")) == NULL)
		die("%s: %s", getenv("DRIVE_TRACE"), strerror(errno));
	if (getenv("DRIVE_QUIET_MS") != NULL)
		quiet_ms = atoi(getenv("DRIVE_QUIET_MS"));
	if (quiet_ms < 5)
		quiet_ms = 5;
	if (senco_bin == NULL || db_path == NULL || nkeys < 1 || nopens < 1 ||
	    starts < 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	snprintf(home, sizeof home, "%s/senco-drive.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if ((tmp = mkdtemp(home)) == NULL)
		die("mkdtemp: %s", strerror(errno));
	printf("sqlite_version %s\n", sqlite3_libversion());
	scen_open(starts);
	scen_keys(nkeys, nopens);
	scen_dash(5);
	rmdir(home);
	return 0;
}
