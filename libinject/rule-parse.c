/*
 * rule-parse.c: the one-line form of the libc rules, as chaosd -i and
 * CHAOS_INJECT write them: CALLS[:KEY=VALUE]..., rules separated by ';'
 * (fields split by rule-split.c, keys set through rule.c's table).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rule-int.h"

static int
name_taken(const struct rule_set *set, int upto, const char *name)
{
	int	 i;

	for (i = 0; i < upto; i++) {
		if (strcmp(set->rule[i].name, name) == 0)
			return 1;
	}
	return 0;
}

/*
 * One rule at p, into r; *end is set past it, *last when it ends the
 * text. Returns 0, 1 for an empty rule, or -1.
 */
static int
parse_one(struct rule *r, const char *p, const char **end, int *last,
    char *err, size_t errlen)
{
	struct rule_field f;
	uint32_t seen = 0;
	int	 n;

	*last = 0;
	for (n = 0;; n++) {
		p = rule_field_next(p, &f);
		if (n == 0 && memchr(f.s, '=', f.slen) == NULL) {
			if (f.slen == 0 && f.sep != ':') {
				*last = f.sep == 0;
				*end = p;
				return 1;
			}
			if (f.total != 0) {
				snprintf(err, errlen, "call list too long (%zu "
				    "characters)", f.total);
				return -1;
			}
			if (rule_set_calls(r, f.s, err, errlen) != 0)
				return -1;
			seen |= 1u << KEY_CALL;
		} else if (f.slen == 0) {
			snprintf(err, errlen, "empty field (':' twice in a row, "
			    "or at the end)");
			return -1;
		} else if (rule_key_pair(rule_keys, RULE_NKEYS, r, &f, &seen,
		    err, errlen) != 0)
			return -1;
		if (f.sep != ':')
			break;
	}
	*last = f.sep == 0;
	*end = p;
	return 0;
}

int
rules_parse(struct rule_set *set, const char *text, char *err,
    size_t errlen)
{
	char	 msg[RULE_ERR_MAX];
	size_t	 len = strlen(text);
	const char *p = text;
	int	 base = set->n, no = 0, last = 0;

	if (len > RULE_TEXT_MAX) {
		snprintf(err, errlen, "rules too long (%zu bytes, at most %d)",
		    len, RULE_TEXT_MAX);
		return -1;
	}
	if (strspn(text, " \t") == len) {
		snprintf(err, errlen, "no rule given (CALLS[:KEY=VALUE]..., "
		    "rules separated by ';')");
		return -1;
	}
	while (!last) {
		struct rule *r;
		int	 empty;

		no++;
		/* One trailing ';' is fine. */
		if (no > 1 && strspn(p, " \t") == strlen(p))
			break;
		if (set->n >= RULE_MAX) {
			snprintf(msg, sizeof msg, "too many rules (at most %d)",
			    RULE_MAX);
			goto fail;
		}
		r = &set->rule[set->n];
		rule_init(r);
		empty = parse_one(r, p, &p, &last, msg, sizeof msg);
		if (empty < 0)
			goto fail;
		if (empty) {
			snprintf(err, errlen, "rule %d is empty", no);
			set->n = base;
			return -1;
		}
		if (r->name[0] == '\0')
			snprintf(r->name, sizeof r->name, "rule%d", set->n + 1);
		if (name_taken(set, set->n, r->name)) {
			snprintf(msg, sizeof msg, "name: '%s' is taken by an "
			    "earlier rule", r->name);
			goto fail;
		}
		if (rule_check(r, msg, sizeof msg) != 0)
			goto fail;
		set->n++;
	}
	return 0;
fail:
	snprintf(err, errlen, "rule %d: %s", no, msg);
	set->n = base;
	return -1;
}

