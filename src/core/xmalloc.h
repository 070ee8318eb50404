/*
 * xmalloc.h: allocation that cannot fail (tmux's xmalloc.c). Running out of
 * memory prints one line and exits; no caller checks for NULL.
 */
#ifndef SENCO_XMALLOC_H
#define SENCO_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);		/* NULL in, NULL out */
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));
/* Copy src into dst of size n, always NUL-terminated, never splitting a
 * UTF-8 sequence. Returns 1 if it had to cut, 0 if it fitted. */
int strlcpy_utf8(char *dst, const char *src, size_t n);

#endif
