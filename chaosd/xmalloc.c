/*
 * xmalloc.c: allocation that never returns NULL. chaosd is a controller,
 * not a host program: when it runs out of memory it stops, loudly.
 * (The shim never uses these: there a failed allocation means no fault.)
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatalx("xmalloc: allocating %zu bytes: %s", size,
		    strerror(errno));
	return (p);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if ((p = calloc(nmemb, size)) == NULL)
		fatalx("xcalloc: allocating %zu * %zu bytes: %s", nmemb, size,
		    strerror(errno));
	return (p);
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xreallocarray: zero size");
	if (nmemb > SIZE_MAX / size)
		fatalx("xreallocarray: %zu * %zu bytes overflow", nmemb, size);
	if ((p = realloc(old, nmemb * size)) == NULL)
		fatalx("xreallocarray: allocating %zu * %zu bytes: %s", nmemb,
		    size, strerror(errno));
	return (p);
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*p;

	p = xmalloc(n);
	memcpy(p, s, n);
	return (p);
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	n;

	n = vasprintf(ret, fmt, ap);
	if (n < 0 || *ret == NULL)
		fatalx("xasprintf: %s", strerror(errno));
	return (n);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}
