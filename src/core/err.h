/*
 * err.h: the error report every core function fills.
 *
 * Core functions return 0 on success or one of the negative SE_ codes below
 * and, when given a non-NULL struct serr, leave a one-line message in it of
 * the form "<what>: <why>" (no "senco: " prefix, no trailing newline). The
 * CLI prints it as "senco: <msg>" and maps the code to an exit status; the UI
 * shows it in the message line.
 */
#ifndef SENCO_ERR_H
#define SENCO_ERR_H

#include <stddef.h>

enum serr_code {
	SE_OK = 0,
	SE_INVALID = -1,	/* bad data from the user or a file */
	SE_NOTFOUND = -2,	/* no such pupil, cycle, target ... */
	SE_EXISTS = -3,		/* would duplicate (UPN, open cycle, file) */
	SE_CONFLICT = -4,	/* row changed by someone else since it was read */
	SE_DB = -5,		/* SQLite trouble, damaged or foreign file */
	SE_BUSY = -6,		/* locked by another writer past the timeout */
	SE_IO = -7,		/* file system trouble */
	SE_FULL = -8,		/* disk full */
	SE_READONLY = -9,	/* opened read-only */
	SE_CONFIG = -10,	/* configuration file trouble */
	SE_PERM = -11,		/* permissions too open, or not allowed */
	SE_SCHEMA = -12,	/* file from a newer senco */
	SE_STATE = -13,		/* not allowed in the record's current state */
};

#define SERR_MSG_MAX 512

struct serr {
	int code;
	char msg[SERR_MSG_MAX];
};

/* Fill e (if not NULL) and return code. */
int serr_set(struct serr *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix the message already in e with "<what>: ". Returns e->code. */
int serr_prefix(struct serr *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void serr_clear(struct serr *e);
/* A short English name of a code ("bad data", "not found" ...). */
const char *serr_code_name(int code);

#endif
