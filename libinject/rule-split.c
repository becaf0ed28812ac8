/*
 * rule-split.c: the one-line form's fields, for every rule language.
 *
 * Rules are separated by ';', a rule's fields by ':'; '\' escapes ':',
 * ';' and '\' inside a value (a backslash before anything else stays, so
 * that fnmatch's own escapes pass through). In an addr= value, ':' inside
 * [brackets] is part of an IPv6 address.
 */
#include "config.h"

#include <string.h>

#include "chaos.h"

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Does the field so far read "addr=" (blanks allowed)? */
static int
addr_prefix(const char *buf, size_t n)
{
	size_t	 i = 0;

	while (i < n && is_blank(buf[i]))
		i++;
	if (n - i < 4 || strncmp(buf + i, "addr", 4) != 0)
		return 0;
	for (i += 4; i < n && is_blank(buf[i]); i++)
		;
	if (i >= n || buf[i] != '=')
		return 0;
	for (i++; i < n && is_blank(buf[i]); i++)
		;
	return i == n;
}

/* Read one field at p, undoing the escapes; where the next one starts. */
static const char *
scan_field(const char *p, struct rule_field *f)
{
	int	 bracket = 0;

	f->len = 0;
	f->sep = 0;
	for (;; p++) {
		char	 c = *p;

		if (c == '\0')
			break;
		if (c == '\\' && (p[1] == ':' || p[1] == ';' || p[1] == '\\'))
			c = *++p;
		else if (bracket) {
			if (c == ']')
				bracket = 0;
		} else if (c == ':' || c == ';') {
			f->sep = c;
			p++;
			break;
		} else if (c == '[' && f->len < RULE_FIELD_MAX - 1 &&
		    addr_prefix(f->buf, f->len))
			bracket = 1;
		if (f->len < RULE_FIELD_MAX - 1)
			f->buf[f->len] = c;
		f->len++;
	}
	f->buf[f->len < RULE_FIELD_MAX - 1 ? f->len : RULE_FIELD_MAX - 1] =
	    '\0';
	return p;
}

/* Cut blanks at both ends of s (*len bytes); returns the new start. */
char *
rule_trim(char *s, size_t *len)
{
	while (*len > 0 && is_blank(*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && is_blank(s[*len - 1]))
		s[--(*len)] = '\0';
	return s;
}

/*
 * The field at p, unescaped and trimmed into f (f->s, f->slen; f->total
 * is the whole field's length when it did not fit, else 0; f->sep what
 * ended it: ':', ';' or 0 at the end of the text). Returns where the
 * next field starts.
 */
const char *
rule_field_next(const char *p, struct rule_field *f)
{
	p = scan_field(p, f);
	f->total = f->len > RULE_FIELD_MAX - 1 ? f->len : 0;
	f->slen = f->len < RULE_FIELD_MAX - 1 ? f->len : RULE_FIELD_MAX - 1;
	f->s = rule_trim(f->buf, &f->slen);
	return p;
}

/* Where the rule starting at p ends (past its ';'), and *last if the text does. */
const char *
rule_skip(const char *p, int *last)
{
	struct rule_field f;

	do
		p = scan_field(p, &f);
	while (f.sep == ':');
	*last = f.sep == 0;
	return p;
}
