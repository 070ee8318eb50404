/*
 * passphrase.c: reading a passphrase for encrypted backups: from the
 * terminal with echo off (the terminal put back even if a signal comes),
 * or from a file descriptor for scripts, straight into locked memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "passphrase.h"

static int
sodium_ready(struct serr *e)
{
	if (sodium_init() < 0)
		return serr_set(e, SE_IO, "passphrase: libsodium could not "
		    "start (no source of randomness?)");
	return 0;
}

static int
pass_alloc(struct passphrase *p, struct serr *e)
{
	p->len = 0;
	/* Guarded pages, locked in RAM and left out of core dumps. */
	p->s = sodium_malloc(PASSPHRASE_MAX + 1);
	if (p->s == NULL)
		return serr_set(e, SE_IO, "passphrase: cannot allocate locked "
		    "memory");
	p->s[0] = '\0';
	return 0;
}

void
passphrase_free(struct passphrase *p)
{
	if (p == NULL || p->s == NULL)
		return;
	sodium_free(p->s);	/* zeroes it first */
	p->s = NULL;
	p->len = 0;
}

static int
pass_check(struct passphrase *p, struct serr *e)
{
	if (p->len == 0) {
		passphrase_free(p);
		return serr_set(e, SE_INVALID, "passphrase: an empty "
		    "passphrase is not allowed");
	}
	return 0;
}

int
passphrase_set(struct passphrase *p, const char *s, size_t n, struct serr *e)
{
	int rc;

	p->s = NULL;
	if (sodium_ready(e) != 0)
		return e != NULL ? e->code : SE_IO;
	if (n > PASSPHRASE_MAX)
		return serr_set(e, SE_INVALID, "passphrase: longer than %d "
		    "bytes", PASSPHRASE_MAX);
	if ((rc = pass_alloc(p, e)) != 0)
		return rc;
	memcpy(p->s, s, n);
	p->s[n] = '\0';
	p->len = n;
	return pass_check(p, e);
}

/* Signals that arrive while echo is off: noted, so the terminal is put
 * back before the signal takes its usual course (as readpassphrase(3)). */
static volatile sig_atomic_t caught_signal;

static void
note_signal(int sig)
{
	caught_signal = sig;
}

static const int tty_signals[] = {
	SIGINT, SIGHUP, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU,
};
#define N_TTY_SIGNALS ((int)(sizeof tty_signals / sizeof tty_signals[0]))

/*
 * Read one line from fd into p (the newline and a carriage return before
 * it are dropped). One byte at a time and straight into locked memory:
 * no stdio buffer keeps a copy, and nothing past the line is consumed.
 * Returns 0, SE_INVALID (too long) or SE_IO; one of the signals caught
 * while echo is off makes it SE_STATE.
 */
static int
read_line(int fd, struct passphrase *p, struct serr *e)
{
	bool too_long = false;
	char c;

	p->len = 0;
	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR && caught_signal == 0)
			continue;
		if (n < 0 && errno == EINTR)
			return serr_set(e, SE_STATE, "passphrase: interrupted");
		if (n < 0)
			return serr_set(e, SE_IO, "passphrase: cannot read: %s",
			    strerror(errno));
		if (n == 0 || c == '\n')
			break;
		if (p->len >= PASSPHRASE_MAX) {
			too_long = true;
			continue;
		}
		p->s[p->len++] = c;
	}
	c = 0;		/* no copy of the last character left on the stack */
	if (p->len > 0 && p->s[p->len - 1] == '\r')
		p->len--;
	p->s[p->len] = '\0';
	if (too_long)
		return serr_set(e, SE_INVALID, "passphrase: longer than %d "
		    "bytes", PASSPHRASE_MAX);
	return 0;
}

struct tty_state {
	int fd;
	bool echo_off;
	struct termios saved;
	struct sigaction old[N_TTY_SIGNALS];
};

/* Turn echo off on fd (a terminal), catching the signals that would
 * otherwise leave it off. */
static int
echo_off(struct tty_state *t, int fd, struct serr *e)
{
	struct termios quiet;
	struct sigaction sa;

	t->fd = fd;
	t->echo_off = false;
	if (tcgetattr(fd, &t->saved) != 0)
		return serr_set(e, SE_IO, "passphrase: cannot set up the "
		    "terminal: %s", strerror(errno));
	caught_signal = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: read() must return */
	for (int i = 0; i < N_TTY_SIGNALS; i++)
		sigaction(tty_signals[i], &sa, &t->old[i]);
	quiet = t->saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		int err = errno;

		for (int i = 0; i < N_TTY_SIGNALS; i++)
			sigaction(tty_signals[i], &t->old[i], NULL);
		return serr_set(e, SE_IO, "passphrase: cannot turn off echo: "
		    "%s", strerror(err));
	}
	t->echo_off = true;
	return 0;
}

/* Echo back on, handlers back, and a signal that came meanwhile
 * delivered now that the terminal is sane again. */
static void
echo_on(struct tty_state *t)
{
	int sig;

	if (!t->echo_off)
		return;
	tcsetattr(t->fd, TCSAFLUSH, &t->saved);
	t->echo_off = false;
	for (int i = 0; i < N_TTY_SIGNALS; i++)
		sigaction(tty_signals[i], &t->old[i], NULL);
	if ((sig = caught_signal) != 0) {
		caught_signal = 0;
		kill(getpid(), sig);
	}
}

static void
say(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Prompt (if any) and read a line from fd, with echo off on a terminal. */
static int
read_secret(int fd, const char *prompt, struct passphrase *p, struct serr *e)
{
	struct tty_state t;
	bool tty = isatty(fd) != 0;
	int rc;

	if (tty && (rc = echo_off(&t, fd, e)) != 0)
		return rc;
	if (tty && prompt != NULL)
		say(fd, prompt);
	rc = read_line(fd, p, e);
	if (tty) {
		/* The Enter the user typed was not echoed. */
		say(fd, "\n");
		echo_on(&t);
	}
	return rc;
}

int
passphrase_read_fd(struct passphrase *p, int fd, struct serr *e)
{
	int rc;

	p->s = NULL;
	if (sodium_ready(e) != 0)
		return e != NULL ? e->code : SE_IO;
	if (fcntl(fd, F_GETFD) < 0)
		return serr_set(e, SE_INVALID, "--passphrase-fd: file "
		    "descriptor %d is not open", fd);
	if ((rc = pass_alloc(p, e)) != 0)
		return rc;
	if ((rc = read_secret(fd, NULL, p, e)) != 0) {
		passphrase_free(p);
		return rc;
	}
	return pass_check(p, e);
}

int
passphrase_ask(struct passphrase *p, const char *prompt, const char *again,
    struct serr *e)
{
	struct passphrase second = { NULL, 0 };
	int fd, rc;

	p->s = NULL;
	if (sodium_ready(e) != 0)
		return e != NULL ? e->code : SE_IO;
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || !isatty(fd)) {
		if (fd >= 0)
			close(fd);
		return serr_set(e, SE_INVALID, "passphrase: no terminal to "
		    "ask on; give it on a file descriptor with "
		    "--passphrase-fd N");
	}
	if ((rc = pass_alloc(p, e)) != 0)
		goto out;
	if ((rc = read_secret(fd, prompt, p, e)) != 0 ||
	    (rc = pass_check(p, e)) != 0)
		goto out;
	if (again != NULL) {
		if ((rc = pass_alloc(&second, e)) != 0 ||
		    (rc = read_secret(fd, again, &second, e)) != 0)
			goto out;
		if (second.len != p->len ||
		    sodium_memcmp(second.s, p->s, p->len) != 0)
			rc = serr_set(e, SE_INVALID, "passphrase: the two "
			    "passphrases differ");
	}
out:
	passphrase_free(&second);
	if (rc != 0)
		passphrase_free(p);
	close(fd);
	return rc;
}
