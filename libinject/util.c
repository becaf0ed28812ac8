/*
 * util.c: small string helpers shared by the parsers: a bounded copy,
 * escaping of untrusted bytes for messages, and "did you mean" hints.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chaos.h"

/* Copy src into dst (len bytes), always terminated; returns strlen(src). */
size_t
strlcpy_chaos(char *dst, const char *src, size_t len)
{
	size_t	n = strlen(src);

	if (len > 0) {
		size_t	c = n < len - 1 ? n : len - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

/*
 * Write src into dst, printable: bytes outside 0x20..0x7e, and the
 * backslash itself, become \xNN (so that an escaped string can be read
 * back without ambiguity). A string that does not fit ends in "...".
 */
static size_t
escaped_len(int c, int keep_backslash)
{
	return (c >= 0x20 && c < 0x7f && (c != '\\' || keep_backslash)) ?
	    1 : 4;
}

static void
escape(char *dst, size_t len, const char *src, int kb)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s;
	size_t	 total = 0, room, o = 0;

	if (len == 0)
		return;
	for (s = (const unsigned char *)src; *s != '\0'; s++)
		total += escaped_len(*s, kb);
	/* What does not fit is cut at a whole character, and "..." added. */
	room = total < len ? total : (len > 4 ? len - 4 : len - 1);
	for (s = (const unsigned char *)src; *s != '\0'; s++) {
		if (o + escaped_len(*s, kb) > room)
			break;
		if (escaped_len(*s, kb) == 1)
			dst[o++] = (char)*s;
		else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*s >> 4];
			dst[o++] = hex[*s & 0xf];
		}
	}
	if (total >= len && len > 4) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}

void
str_escape(char *dst, size_t len, const char *src)
{
	escape(dst, len, src, 0);
}

/*
 * For whole lines that may quote already-escaped values: control and
 * non-ASCII bytes only, so "\x01" written by str_escape stays as it is.
 */
void
str_escape_controls(char *dst, size_t len, const char *src)
{
	escape(dst, len, src, 1);
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

#define DYM_MAX 64	/* longer words get no suggestion */

/*
 * Edit distance between a and b, ignoring case, where swapping two
 * neighbouring characters counts as one edit (optimal string alignment:
 * "dealy" is one edit from "delay").
 */
static int
distance(const char *a, size_t la, const char *b, size_t lb)
{
	int	 d[DYM_MAX + 1][DYM_MAX + 1];
	size_t	 i, j;

	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int	 cost = lower(a[i - 1]) != lower(b[j - 1]);
			int	 best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 &&
			    lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/*
 * The index of the choice closest to word, or -1 when none is close
 * enough to be a plausible typo: at most 2 edits, and at most half the
 * word's length (so that "x" does not suggest "exe"). Ties go to the
 * earlier choice.
 */
int
did_you_mean(const char *word, const char *const *choices, int nchoices)
{
	size_t	 lw = strlen(word);
	int	 i, best = -1, bestd;

	if (lw == 0 || lw > DYM_MAX)
		return -1;
	bestd = lw >= 4 ? 2 : 1;
	bestd++;
	for (i = 0; i < nchoices; i++) {
		size_t	 lc;
		int	 d;

		if (choices[i] == NULL)
			continue;
		lc = strlen(choices[i]);
		if (lc > DYM_MAX)
			continue;
		d = distance(word, lw, choices[i], lc);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* err = "'VALUE' <what>", VALUE escaped and shortened. */
void
value_error(char *err, size_t errlen, const char *value, const char *fmt,
    ...)
{
	char	 esc[72];
	char	 msg[RULE_ERR_MAX];
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	str_escape(esc, sizeof esc, value);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "'%s' %s", esc, msg);
}
