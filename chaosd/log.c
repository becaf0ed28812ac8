/*
 * log.c: chaosd's messages on stderr.
 *
 * Warnings always print; info needs -v, debug -vv (and carries a
 * timestamp). Every line is "PREFIX: message", PREFIX being "chaosd" or
 * "chaosd SUBCOMMAND". Messages quote user input (rules, paths, command
 * names), so the whole line goes through str_escape_controls() before
 * it reaches a terminal: control bytes cannot move the cursor or forge a
 * line (and values the parser already escaped are not escaped twice).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "chaosd.h"

#define LOG_LINE_MAX	4096

enum log_kind { LOG_WARN, LOG_INFO, LOG_DEBUG };

static int	log_level;
static char	log_prefix[64] = "chaosd";

void
log_set_prefix(const char *prefix)
{
	strlcpy_chaos(log_prefix, prefix, sizeof log_prefix);
}

void
log_add_level(void)
{
	if (log_level < 8)
		log_level++;
}

int
log_get_level(void)
{
	return (log_level);
}

static void printflike(2, 0)
log_vwrite(enum log_kind kind, const char *fmt, va_list ap)
{
	char		 line[LOG_LINE_MAX];
	char		 esc[LOG_LINE_MAX * 4 + 1];
	char		 stamp[64] = "";
	struct timeval	 tv;
	struct tm	 tm;
	int		 saved_errno = errno;

	vsnprintf(line, sizeof line, fmt, ap);
	str_escape_controls(esc, sizeof esc, line);

	if (kind == LOG_DEBUG) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		snprintf(stamp, sizeof stamp, "%02d:%02d:%02d.%06ld ",
		    tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
	}
	fprintf(stderr, "%s%s: %s\n", stamp, log_prefix, esc);
	fflush(stderr);
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARN, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < 2)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	char	msg[LOG_LINE_MAX];
	va_list	ap;
	int	saved_errno = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_warn("fatal: %s: %s", msg, strerror(saved_errno));
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	char	msg[LOG_LINE_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_warn("fatal: %s", msg);
	exit(1);
}

/*
 * A piece of user input short enough to quote in a message: the text
 * itself, or its beginning and "..." when it does not fit in buf (a
 * 100 KB rule is named, not echoed).
 */
const char *
log_excerpt(char *buf, size_t len, const char *text)
{
	size_t	n;

	if (len == 0)
		return (buf);
	n = strlen(text);
	if (n < len) {
		memcpy(buf, text, n + 1);
		return (buf);
	}
	if (len < 4) {
		buf[0] = '\0';
		return (buf);
	}
	memcpy(buf, text, len - 4);
	memcpy(buf + len - 4, "...", 4);
	return (buf);
}
