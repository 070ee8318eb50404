/*
 * passphrase.h: a passphrase for an encrypted backup, read from the
 * terminal without echo or from a file descriptor (scripts), never from
 * the command line or the environment, and kept in locked memory
 * (sodium_malloc: guarded pages, not swapped, not in core dumps) that is
 * wiped when freed.
 */
#ifndef SENCO_PASSPHRASE_H
#define SENCO_PASSPHRASE_H

#include <stddef.h>
#include "err.h"

/* Longest passphrase accepted, in bytes. */
#define PASSPHRASE_MAX 1024

struct passphrase {
	char *s;	/* NUL-terminated, in sodium_malloc memory */
	size_t len;
};

/* Take a passphrase from memory (tests, the UI). Empty is refused. The
 * caller frees p with passphrase_free. */
int passphrase_set(struct passphrase *p, const char *s, size_t n,
    struct serr *e);
/* Read the first line of file descriptor fd (--passphrase-fd). Echo is
 * turned off when fd is a terminal. Empty or longer than PASSPHRASE_MAX
 * is refused. The caller frees p with passphrase_free. */
int passphrase_read_fd(struct passphrase *p, int fd, struct serr *e);
/* Ask on /dev/tty without echo; with again != NULL ask twice and refuse a
 * mismatch. No terminal is SE_INVALID saying to use --passphrase-fd.
 * The caller frees p with passphrase_free. */
int passphrase_ask(struct passphrase *p, const char *prompt,
    const char *again, struct serr *e);
/* Wipe and free (p may hold nothing). */
void passphrase_free(struct passphrase *p);

#endif
