/*
 * ini.c: inih, driven through a counting reader.
 *
 * inih's handler is not told the line it is on, and inih splits a line
 * longer than its buffer into pieces that it then parses as lines of
 * their own. So ini_read_file() feeds ini_parse_stream() through a reader
 * of its own that reads whole lines, counts them, refuses those that do
 * not fit, and checks the shape of each line before inih sees it, so that
 * every error, the callback's included, comes out as "FILE:LINE: what".
 *
 * The read is bounded (INI_FILE_MAX bytes, one line's room, no NUL) and
 * a device is refused before it is read.
 *
 * Long values: a line that starts with a blank and comes right after a
 * "key = value" line (or after another such line) continues that value:
 * its text, without the blanks around it or an inline comment, is
 * appended after one space. So a value has no length limit but the
 * file's, while each line stays within inih's buffer. The reader does
 * this itself, never through inih's multi-line option: the callback gets
 * one call per key with the whole value, at the key's line. An indented
 * line shaped like "key = value" (a key: a letter or '_', then letters,
 * digits and '_') is a key of its own, never a silent continuation, and
 * so is any line after a blank line, a comment or a section header.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "chaos.h"

#define INI_NAME_MAX	49	/* inih keeps 50 bytes of section and key names */
#define INI_MSG_MAX	512
#define INI_FILE_MAX	(1024 * 1024)	/* a scenario or rule file is small */

struct reader {
	FILE		*fp;
	unsigned	 flags;
	ini_cb		 cb;
	void		*user;
	int		 line;		/* lines read so far */
	long		 bytes;		/* bytes read so far */
	int		 io_errno;
	int		 failed;
	int		 fail_line;
	char		 msg[INI_MSG_MAX];
	int		 prev_pair;	/* the last line was key = value (or
					   continued one): a next indented
					   line continues it */
	/* the pair inih gave last, held until it can no longer grow */
	char		*pend_section;
	char		*pend_key;
	char		*pend_value;
	size_t		 pend_len;
	int		 pend_line;
};

#define INI_VALUE_MAX	(64 * 1024)	/* a value with its continuations */

static void fail(struct reader *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
pend_free(struct reader *r)
{
	free(r->pend_section);
	free(r->pend_key);
	free(r->pend_value);
	r->pend_section = r->pend_key = r->pend_value = NULL;
	r->pend_len = 0;
}

/* The first error wins; it stops the reading. */
static void
fail(struct reader *r, const char *fmt, ...)
{
	va_list	 ap;

	if (r->failed)
		return;
	r->failed = 1;
	r->fail_line = r->line;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
}

/*
 * As inih does it: the first of chars in s, or an inline comment (';'
 * after a blank), or the end of s.
 */
static char *
find_chars_or_comment(char *s, const char *chars)
{
	int	 was_space = 0;

	while (*s != '\0' && (chars == NULL || strchr(chars, *s) == NULL) &&
	    !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Give the held pair to the callback, at its own line. */
static int
flush(struct reader *r)
{
	char	 msg[INI_MSG_MAX] = "";
	int	 ok;

	if (r->pend_key == NULL || r->failed) {
		pend_free(r);
		return r->failed ? -1 : 0;
	}
	ok = r->cb(r->user, r->pend_section, r->pend_key, r->pend_value,
	    r->pend_line, msg, sizeof msg);
	if (!ok) {
		fail(r, "%s", msg[0] != '\0' ? msg : "refused");
		r->fail_line = r->pend_line;
	}
	pend_free(r);
	return ok ? 0 : -1;
}

/* "name = ..." or "name: ...": a line of a key of its own. */
static int
looks_like_pair(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	while (is_blank(*s))
		s++;
	return *s == '=' || *s == ':';
}

/* An indented line after a pair: more of its value. */
static int
continue_value(struct reader *r, char *s)
{
	char	*end = find_chars_or_comment(s, NULL), *v;
	size_t	 n;

	while (end > s && is_blank(end[-1]))
		end--;
	*end = '\0';
	if (r->pend_value == NULL)	/* inih refused the pair: no value */
		return 0;
	n = strlen(s);
	if (r->pend_len + 1 + n >= INI_VALUE_MAX) {
		fail(r, "value of '%s' too long, continuation lines included "
		    "(at most %d characters)", r->pend_key, INI_VALUE_MAX - 1);
		return -1;
	}
	if ((v = realloc(r->pend_value, r->pend_len + n + 2)) == NULL) {
		fail(r, "out of memory");
		return -1;
	}
	r->pend_value = v;
	if (r->pend_len > 0 && n > 0)
		v[r->pend_len++] = ' ';
	memcpy(v + r->pend_len, s, n + 1);
	r->pend_len += n;
	return 0;
}

/* Check a line's shape; report a section header to the callback. */
static int
check_line(struct reader *r, char *s)
{
	char	 esc[80], name[INI_NAME_MAX + 1];
	char	*end, *p;
	size_t	 n;

	if (*s == '\0' || *s == ';' || *s == '#')
		return 0;
	str_escape(esc, sizeof esc, s);
	if (*s == '[') {
		end = find_chars_or_comment(s + 1, "]");
		if (*end != ']') {
			fail(r, "unterminated section header '%s' (no ']')",
			    esc);
			return -1;
		}
		n = (size_t)(end - (s + 1));
		if (n > INI_NAME_MAX) {
			fail(r, "section name too long (at most %d characters)",
			    INI_NAME_MAX);
			return -1;
		}
		for (p = end + 1; is_blank(*p); p++)
			;
		if (*p != '\0' && *p != ';' && *p != '#') {
			fail(r, "unexpected text after the section header "
			    "'%s'", esc);
			return -1;
		}
		if (flush(r) != 0)
			return -1;
		if (r->flags & INI_READ_SECTIONS) {
			char	 msg[INI_MSG_MAX] = "";

			memcpy(name, s + 1, n);
			name[n] = '\0';
			if (!r->cb(r->user, name, NULL, NULL, r->line, msg,
			    sizeof msg)) {
				fail(r, "%s", msg[0] != '\0' ? msg :
				    "section refused");
				return -1;
			}
		}
		return 0;
	}
	end = find_chars_or_comment(s, "=:");
	if (*end != '=' && *end != ':') {
		fail(r, "expected 'key = value', found '%s'", esc);
		return -1;
	}
	for (p = end; p > s && is_blank(p[-1]); p--)
		;
	n = (size_t)(p - s);
	if (n == 0) {
		fail(r, "no key before '%c' in '%s'", *end, esc);
		return -1;
	}
	if (n > INI_NAME_MAX) {
		fail(r, "key too long (at most %d characters)", INI_NAME_MAX);
		return -1;
	}
	return 0;
}

/*
 * The ini_reader: one whole line per call, never a piece of one. The read
 * is bounded: it stops at the first byte a line has no room for, at a NUL
 * byte, and past INI_FILE_MAX bytes in all, so that an endless line (a
 * device, a pipe that never ends) fails at once instead of being drained.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	size_t	 n, room;
	int	 c, got, indented;
	char	*s;

	if (r->failed || num < 2)
		return NULL;
	room = (size_t)num - 1;
again:
	n = 0;
	got = 0;
	while ((c = getc(r->fp)) != EOF) {
		if (!got) {
			got = 1;
			r->line++;
		}
		if (++r->bytes > INI_FILE_MAX) {
			fail(r, "file too large (more than %d MiB)",
			    INI_FILE_MAX / (1024 * 1024));
			return NULL;
		}
		if (c == '\n')
			break;
		if (c == '\0') {
			fail(r, "line holds a NUL byte");
			return NULL;
		}
		/* str[room] may hold the '\r' of a full line's "\r\n" */
		if (n > room)
			break;
		str[n++] = (char)c;
	}
	if (c == EOF && ferror(r->fp)) {
		r->io_errno = errno;
		return NULL;
	}
	if (!got)
		return NULL;
	if (c != '\n' && c != EOF)
		n = room + 1;	/* a byte past the room: the rest is not read */
	else if (n > 0 && str[n - 1] == '\r')
		n--;
	if (n > room) {
		fail(r, "line too long (at most %d characters; continue a long "
		    "value on indented lines)", num - 1);
		return NULL;
	}
	str[n] = '\0';
	s = str;
	if (r->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	indented = is_blank(*s);
	while (isspace((unsigned char)*s))
		s++;
	if (indented && r->prev_pair && *s != '\0' && *s != ';' &&
	    *s != '#' && !looks_like_pair(s)) {
		if (continue_value(r, s) != 0)
			return NULL;
		goto again;
	}
	if (s != str)
		memmove(str, s, strlen(s) + 1);
	if (check_line(r, str) != 0)
		return NULL;
	r->prev_pair = str[0] != '\0' && str[0] != ';' && str[0] != '#' &&
	    str[0] != '[';
	return str;
}

/* inih found a pair: the one before can grow no more; hold this one. */
static int
on_pair(void *user, const char *section, const char *key, const char *value)
{
	struct reader *r = user;

	if (r->failed || flush(r) != 0)
		return 0;
	r->pend_section = strdup(section);
	r->pend_key = strdup(key);
	r->pend_value = strdup(value);
	r->pend_len = strlen(value);
	r->pend_line = r->line;
	if (r->pend_section == NULL || r->pend_key == NULL ||
	    r->pend_value == NULL) {
		pend_free(r);
		fail(r, "out of memory");
		return 0;
	}
	return 1;
}

int
ini_read_file_ex(const char *path, unsigned flags, ini_cb cb, void *user,
    char *err, size_t errlen)
{
	struct reader r;
	struct stat st;
	char	 esc[256];
	int	 ret;

	memset(&r, 0, sizeof r);
	str_escape(esc, sizeof esc, path);
	if ((r.fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", esc, strerror(errno));
		return -1;
	}
	/* a device is no file of rules (a pipe is: <(...) works) */
	if (fstat(fileno(r.fp), &st) == 0 &&
	    (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		snprintf(err, errlen, "%s: a device, not a file", esc);
		fclose(r.fp);
		return -1;
	}
	r.flags = flags;
	r.cb = cb;
	r.user = user;
	ret = ini_parse_stream(read_line, &r, on_pair, &r);
	if (ret == 0)
		flush(&r);
	pend_free(&r);
	fclose(r.fp);
	if (r.failed) {
		snprintf(err, errlen, "%s:%d: %s", esc, r.fail_line, r.msg);
		return -1;
	}
	if (r.io_errno != 0) {
		snprintf(err, errlen, "%s: %s", esc, strerror(r.io_errno));
		return -1;
	}
	if (ret > 0) {
		snprintf(err, errlen, "%s:%d: syntax error", esc, ret);
		return -1;
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", esc, ret == -2 ?
		    "out of memory" : "cannot read");
		return -1;
	}
	return 0;
}

int
ini_read_file(const char *path, ini_cb cb, void *user, char *err,
    size_t errlen)
{
	return ini_read_file_ex(path, 0, cb, user, err, errlen);
}
