/*
 * helper.h: what the integration-test helpers share. Each helper does one
 * kind of thing and prints what it saw, one line per call, in the form
 *
 *	CALL=RESULT [errno=NAME] [data=TEXT] [ms=N]
 *
 * so that a test can grep for the errno name, the byte count or the time
 * a call took. Everything is static inline: each helper is one file plus
 * this header.
 */
#ifndef HELPER_H
#define HELPER_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* "EIO" for EIO; the number when glibc has no name for it. */
static inline const char *
h_errname(int e)
{
	static __thread char num[32];
	const char *s = strerrorname_np(e);

	if (s != NULL)
		return s;
	snprintf(num, sizeof num, "%d", e);
	return num;
}

static inline double
h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Data as text: printable bytes as they are, others as \xHH. */
static inline void
h_escape(char *dst, size_t len, const void *src, size_t n)
{
	const unsigned char *p = src;
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < len; i++) {
		if (p[i] == '\n') {
			dst[o++] = '\\';
			dst[o++] = 'n';
		} else if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			dst[o++] = (char)p[i];
		} else {
			o += (size_t)snprintf(dst + o, len - o, "\\x%02x", p[i]);
		}
	}
	dst[o] = '\0';
}

/*
 * Print one result line straight with write(2) on stdout, so that the
 * helper's reporting never goes through stdio (which a test may be
 * faulting) and is never reordered with a child's output.
 */
static inline void
h_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
h_say(const char *fmt, ...)
{
	char line[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	/* the syscall directly: a test may be failing write() itself */
	(void)!syscall(SYS_write, 1, line, (size_t)n);
}

/* "NAME=RET" or "NAME=RET errno=E" for a call returning -1 on error. */
static inline void
h_result(const char *name, long ret, int err, double ms, int timed)
{
	char t[32] = "";

	if (timed)
		snprintf(t, sizeof t, " ms=%.0f", ms);
	if (ret < 0)
		h_say("%s=%ld errno=%s%s", name, ret, h_errname(err), t);
	else
		h_say("%s=%ld%s", name, ret, t);
}

static inline void
h_usage(const char *prog, const char *text)
{
	fprintf(stderr, "usage: %s %s\n", prog, text);
	exit(99);
}

#endif
