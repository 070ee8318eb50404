/*
 * xmalloc.c: allocation that dies on failure, after tmux's xmalloc.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void
die_oom(size_t n)
{
	fprintf(stderr, "senco: out of memory (allocating %zu bytes)\n", n);
	exit(70);	/* EX_SOFTWARE */
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die_oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = calloc(nmemb, size);
	if (p == NULL)
		die_oom(nmemb * size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		die_oom(n);
	return p;
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		die_oom(SIZE_MAX);
	return xrealloc(old, nmemb * size);
}

char *
xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len;
	char *p;

	if (s == NULL)
		return NULL;
	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		fprintf(stderr, "senco: bad format string\n");
		exit(70);
	}
	*out = xmalloc((size_t)n + 1);
	vsnprintf(*out, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return n;
}

int
strlcpy_utf8(char *dst, const char *src, size_t n)
{
	size_t len;

	if (n == 0)
		return 1;
	if (src == NULL)
		src = "";
	len = strlen(src);
	if (len < n) {
		memcpy(dst, src, len + 1);
		return 0;
	}
	len = n - 1;
	/* Step back over continuation bytes so no sequence is split. */
	while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
		len--;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 1;
}
