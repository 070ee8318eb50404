/*
 * err.c: filling struct serr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int
serr_set(struct serr *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

int
serr_prefix(struct serr *e, const char *fmt, ...)
{
	char head[SERR_MSG_MAX], old[SERR_MSG_MAX];
	size_t hl;
	va_list ap;

	if (e == NULL)
		return SE_INVALID;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	hl = strlen(head);
	if (hl > sizeof e->msg - 3)
		hl = sizeof e->msg - 3;
	memcpy(e->msg, head, hl);
	memcpy(e->msg + hl, ": ", 2);
	/* old is NUL-terminated; cut it to what is left. */
	old[sizeof e->msg - hl - 3] = '\0';
	memcpy(e->msg + hl + 2, old, strlen(old) + 1);
	return e->code;
}

void
serr_clear(struct serr *e)
{
	if (e != NULL) {
		e->code = SE_OK;
		e->msg[0] = '\0';
	}
}

const char *
serr_code_name(int code)
{
	switch (code) {
	case SE_OK:		return "ok";
	case SE_INVALID:	return "bad data";
	case SE_NOTFOUND:	return "not found";
	case SE_EXISTS:		return "already exists";
	case SE_CONFLICT:	return "changed by someone else";
	case SE_DB:		return "database error";
	case SE_BUSY:		return "busy";
	case SE_IO:		return "input/output error";
	case SE_FULL:		return "disk full";
	case SE_READONLY:	return "read-only";
	case SE_CONFIG:		return "configuration error";
	case SE_PERM:		return "permission";
	case SE_SCHEMA:		return "newer schema";
	case SE_STATE:		return "not allowed now";
	}
	return "error";
}
