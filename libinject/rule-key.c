/*
 * rule-key.c: a rule language's key table, whatever the rule it fills.
 *
 * The libc rules (rule.c) and chaosd's syscall rules each list their
 * keys in a table of struct rule_key; both look keys up, suggest the
 * closest for an unknown one and check a value before its setter sees
 * it here, so that both say the same thing about the same mistake.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaos.h"

int
rule_key_find(const struct rule_key *keys, int nkeys, const char *name)
{
	int	 i;

	for (i = 0; i < nkeys; i++) {
		if (strcmp(keys[i].name, name) == 0)
			return i;
	}
	return -1;
}

/* "unknown key 'X'", with the closest key of the table if one is close. */
void
rule_key_unknown(const struct rule_key *keys, int nkeys, const char *name,
    char *err, size_t errlen)
{
	const char *names[RULE_KEYS_MAX];
	char	 esc[72];
	int	 i, k, n = 0;

	for (i = 0; i < nkeys && n < RULE_KEYS_MAX; i++)
		names[n++] = keys[i].name;
	str_escape(esc, sizeof esc, name);
	if ((k = did_you_mean(name, names, n)) >= 0)
		snprintf(err, errlen, "unknown key '%s' (did you mean '%s'?)",
		    esc, names[k]);
	else
		snprintf(err, errlen, "unknown key '%s'", esc);
}

/*
 * Give key the value (len bytes, NUL-terminated): refuse an empty value,
 * one too long for the key, control bytes, and bytes >= 0x80 outside a
 * glob; then the key's setter, its message prefixed with the key's name.
 */
int
rule_key_set(const struct rule_key *key, void *rule, const char *value,
    size_t len, char *err, size_t errlen)
{
	const unsigned char *p;
	char	 msg[RULE_ERR_MAX];

	if (value[0] == '\0') {
		snprintf(err, errlen, "%s: empty value", key->name);
		return -1;
	}
	if (len > key->max) {
		snprintf(err, errlen, "%s: value too long (%zu characters, at "
		    "most %zu)", key->name, len, key->max);
		return -1;
	}
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f ||
		    (*p >= 0x80 && !(key->flags & RULE_KEY_GLOB))) {
			value_error(msg, sizeof msg, value, "holds a %s byte "
			    "(\\x%02x)", *p >= 0x80 ? "non-ASCII" : "control",
			    *p);
			snprintf(err, errlen, "%s: %s", key->name, msg);
			return -1;
		}
	}
	msg[0] = '\0';
	if (key->set(rule, value, msg, sizeof msg) != 0) {
		if (key->flags & RULE_KEY_OWNMSG)
			snprintf(err, errlen, "%s", msg);
		else
			snprintf(err, errlen, "%s: %s", key->name, msg);
		return -1;
	}
	return 0;
}

/*
 * A "KEY=VALUE" field of the one-line form (rule_field_next) given to
 * the rule through the key table; seen holds the keys (bit per index)
 * the rule has already been given: one is an error given twice.
 */
int
rule_key_pair(const struct rule_key *keys, int nkeys, void *rule,
    struct rule_field *f, uint32_t *seen, char *err, size_t errlen)
{
	char	*s = f->s;
	size_t	 len = f->slen, total = f->total;
	char	*eq = memchr(s, '=', len);
	char	 esc[72];
	char	*key, *value;
	size_t	 klen, vlen;
	int	 k;

	if (eq == NULL) {
		str_escape(esc, sizeof esc, s);
		snprintf(err, errlen, "'%s' is not KEY=VALUE", esc);
		return -1;
	}
	*eq = '\0';
	klen = (size_t)(eq - s);
	vlen = len - klen - 1;
	key = rule_trim(s, &klen);
	value = rule_trim(eq + 1, &vlen);
	if (klen == 0) {
		snprintf(err, errlen, "missing key before '='");
		return -1;
	}
	if ((k = rule_key_find(keys, nkeys, key)) < 0) {
		rule_key_unknown(keys, nkeys, key, err, errlen);
		return -1;
	}
	if (*seen & (1u << k)) {
		snprintf(err, errlen, "%s: given twice", keys[k].name);
		return -1;
	}
	if (total != 0) {
		snprintf(err, errlen, "%s: value too long (%zu characters, at "
		    "most %zu)", keys[k].name,
		    total - (size_t)(eq + 1 - s), keys[k].max);
		return -1;
	}
	if (rule_key_set(&keys[k], rule, value, vlen, err, errlen) != 0)
		return -1;
	*seen |= 1u << k;
	return 0;
}
