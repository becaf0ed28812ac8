/*
 * rule.c: the libc rules' keys (libinject(7): CALLS, KEYS, SEMANTICS):
 * the call list and one setter per key, in the key table the one-line
 * form (rule-parse.c), rule files (rule-file.c) and the scenario parser
 * (rule_set_key) all go through. rule-check.c then refuses rules that
 * cannot work, rule-format.c writes a rule back in the one-line form.
 *
 * Errors name the key, the value (escaped) and what is wrong with it;
 * nothing is half-applied: a key that fails leaves the rule as it was, a
 * text or file that fails leaves the rule set as it was.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

/* ------------------------------------------------------------------ */
/* Call lists                                                          */
/* ------------------------------------------------------------------ */

static const char *const group_names[] = {
	"%open", "%read", "%write", "%sync", "%close", "%stat", "%fs",
	"%file", "%net", "%dns", "%mem", "%proc",
};

/* A did-you-mean hint for a call or group name, or "". */
static void
call_hint(char *buf, size_t len, const char *word)
{
	const char *names[HOOK_COUNT];
	int	 i, k;

	buf[0] = '\0';
	if (word[0] == '%') {
		k = did_you_mean(word, group_names, NELEM(group_names));
		if (k >= 0)
			snprintf(buf, len, " (did you mean '%s'?)",
			    group_names[k]);
		return;
	}
	for (i = 0; i < HOOK_COUNT; i++)
		names[i] = hook_table[i].name;
	k = did_you_mean(word, names, HOOK_COUNT);
	if (k >= 0)
		snprintf(buf, len, " (did you mean '%s'?)", names[k]);
}

int
rule_set_calls(struct rule *r, const char *list, char *err, size_t errlen)
{
	uint64_t calls[HOOK_WORDS], named[HOOK_WORDS];
	const char *p = list;
	char	 item[64], esc[80], hint[64];
	int	 n = 0, id, i;

	memset(calls, 0, sizeof calls);
	memset(named, 0, sizeof named);
	for (;;) {
		const char *e, *end;
		size_t	 len;

		while (is_blank(*p))
			p++;
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		for (end = e; end > p && is_blank(end[-1]); end--)
			;
		len = (size_t)(end - p);
		if (len == 0) {
			if (n == 0 && *e == '\0')
				snprintf(err, errlen, "no calls given (libc "
				    "functions or groups: read,pread or %%read)");
			else {
				str_escape(esc, sizeof esc, list);
				snprintf(err, errlen, "empty name in the call list "
				    "'%s'", esc);
			}
			return -1;
		}
		if (len >= sizeof item) {
			memcpy(item, p, sizeof item - 1);
			item[sizeof item - 1] = '\0';
			str_escape(esc, sizeof esc, item);
			snprintf(err, errlen, "unknown call '%s'", esc);
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		if (item[0] == '%') {
			unsigned g = group_find(item);

			if (g == 0) {
				str_escape(esc, sizeof esc, item);
				call_hint(hint, sizeof hint, item);
				snprintf(err, errlen, "unknown group '%s'%s "
				    "(groups: %%open %%read %%write %%sync "
				    "%%close %%stat %%fs %%file %%net %%dns "
				    "%%mem %%proc)", esc, hint);
				return -1;
			}
			for (i = 0; i < HOOK_COUNT; i++) {
				if (hook_table[i].groups & g)
					bit_set(calls, i);
			}
		} else {
			if ((id = hook_find(item)) < 0) {
				str_escape(esc, sizeof esc, item);
				call_hint(hint, sizeof hint, item);
				snprintf(err, errlen, "unknown call '%s'%s", esc,
				    hint);
				return -1;
			}
			bit_set(calls, id);
			bit_set(named, id);
		}
		n++;
		if (*e == '\0')
			break;
		p = e + 1;
	}
	memcpy(r->calls, calls, sizeof calls);
	memcpy(r->named, named, sizeof named);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

void
rule_init(struct rule *r)
{
	memset(r, 0, sizeof *r);
	r->probability = 1;
}

static int
set_error(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	int	 e;

	if (strncasecmp(v, "EAI_", 4) == 0) {
		const char *names[128];
		char	 esc[72], hint[64] = "";
		int	 n = 0, c, k;

		if (parse_eai(v, &e) == 0) {
			r->error = e;
			r->error_eai = 1;
			r->actions |= ACT_ERROR;
			return 0;
		}
		/* Compare without the EAI_ all the names share. */
		for (c = -1; c > -200 && n < NELEM(names); c--) {
			if (eai_name(c) != NULL)
				names[n++] = eai_name(c) + 4;
		}
		if ((k = did_you_mean(v + 4, names, n)) >= 0)
			snprintf(hint, sizeof hint, " (did you mean 'EAI_%s'?)",
			    names[k]);
		str_escape(esc, sizeof esc, v);
		snprintf(err, errlen, "unknown EAI code '%s'%s", esc, hint);
		return -1;
	}
	if (parse_errno(v, &e, err, errlen) != 0)
		return -1;
	r->error = e;
	r->error_eai = 0;
	r->actions |= ACT_ERROR;
	return 0;
}

static int
set_retval(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	long long n;

	if (parse_int(v, INT64_MIN, INT64_MAX, &n, err, errlen) != 0)
		return -1;
	r->retval = n;
	r->actions |= ACT_RETVAL;
	return 0;
}

static int
set_delay(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	uint64_t ns;

	if (parse_duration(v, &ns, err, errlen) != 0)
		return -1;
	r->delay_ns = ns;
	r->actions |= ACT_DELAY;
	return 0;
}

static int
set_jitter(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return parse_duration(v, &r->jitter_ns, err, errlen);
}

static int
set_signal(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	int	 sig;

	if (parse_signal(v, &sig, err, errlen) != 0)
		return -1;
	r->signal = sig;
	r->actions |= ACT_SIGNAL;
	return 0;
}

static int
set_exit(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	long long n;

	if (parse_int(v, 0, 255, &n, err, errlen) != 0)
		return -1;
	r->exit_status = (int)n;
	r->actions |= ACT_EXIT;
	return 0;
}

static int
set_short(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	size_t	 len = strlen(v);
	uint64_t n;

	if (len > 0 && v[len - 1] == '%') {
		double	 f;

		if (parse_fraction(v, &f, err, errlen) != 0)
			return -1;
		n = (uint64_t)(f * 1e6 + 0.5);
		if (n == 0) {
			value_error(err, errlen, v, f == 0 ? "must be more than "
			    "0%%" : "is too small (at least 0.0001%%)");
			return -1;
		}
		r->short_ppm = (uint32_t)n;
		r->short_bytes = 0;
	} else {
		if (strspn(v, "0123456789") != len) {
			value_error(err, errlen, v, "is not a byte count or a "
			    "percentage (short=100, short=50%%)");
			return -1;
		}
		if (parse_uint(v, INT64_MAX, &n, err, errlen) != 0)
			return -1;
		if (n == 0) {
			value_error(err, errlen, v, "must be at least 1 (a "
			    "short transfer moves at least one byte)");
			return -1;
		}
		r->short_bytes = n;
		r->short_ppm = 0;
	}
	r->actions |= ACT_SHORT;
	return 0;
}

static int
set_corrupt(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	uint64_t n;

	if (parse_uint(v, UINT32_MAX, &n, err, errlen) != 0)
		return -1;
	if (n == 0) {
		value_error(err, errlen, v, "must be at least 1 (bits to flip)");
		return -1;
	}
	r->corrupt_bits = (uint32_t)n;
	r->actions |= ACT_CORRUPT;
	return 0;
}

static int
set_probability(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return trigger_set_probability(&r->probability, v, err, errlen);
}

static int
set_nth(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return trigger_set_count(&r->nth, v, 1, err, errlen);
}

static int
set_after(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return trigger_set_count(&r->after, v, 0, err, errlen);
}

static int
set_count(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return trigger_set_count(&r->count, v, 1, err, errlen);
}

static int
set_start(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return parse_duration(v, &r->start_ns, err, errlen);
}

static int
set_for(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	uint64_t ns;

	if (parse_duration(v, &ns, err, errlen) != 0)
		return -1;
	if (ns == 0) {
		value_error(err, errlen, v, "must be more than 0");
		return -1;
	}
	r->for_ns = ns;
	return 0;
}

static int
set_path(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	if (path_glob(r->path, sizeof r->path, v, err, errlen) != 0)
		return -1;
	r->filters |= FILT_PATH;
	return 0;
}

static int
set_addr(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	if (parse_cidr(v, &r->addr, err, errlen) != 0)
		return -1;
	r->filters |= FILT_ADDR;
	return 0;
}

static int
set_port(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	if (parse_port_range(v, &r->port_lo, &r->port_hi, err, errlen) != 0)
		return -1;
	r->filters |= FILT_PORT;
	return 0;
}

static int
set_host(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	(void)err;
	(void)errlen;
	strlcpy_chaos(r->host, v, sizeof r->host);
	r->filters |= FILT_HOST;
	return 0;
}

static const struct {
	const char	*name;
	unsigned	 bit;
} fdtypes[] = {
	{ "file", FDTYPE_FILE },
	{ "socket", FDTYPE_SOCKET },
	{ "pipe", FDTYPE_PIPE },
};

static int
set_fdtype(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;
	const char *p = v;
	unsigned mask = 0;

	for (;;) {
		const char *e, *end;
		size_t	 len;
		int	 i, found = 0;

		while (is_blank(*p))
			p++;
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		for (end = e; end > p && is_blank(end[-1]); end--)
			;
		len = (size_t)(end - p);
		for (i = 0; i < NELEM(fdtypes); i++) {
			if (strlen(fdtypes[i].name) == len &&
			    strncmp(fdtypes[i].name, p, len) == 0) {
				mask |= fdtypes[i].bit;
				found = 1;
			}
		}
		if (!found) {
			value_error(err, errlen, v, "is not a list of descriptor "
			    "types (file, socket, pipe)");
			return -1;
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
	r->fdtype = mask;
	r->filters |= FILT_FDTYPE;
	return 0;
}

static int
set_exe(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	if (strchr(v, '/') != NULL) {
		value_error(err, errlen, v, "holds a '/' (exe= matches the "
		    "executable's base name: exe=python3*)");
		return -1;
	}
	strlcpy_chaos(r->exe, v, sizeof r->exe);
	r->filters |= FILT_EXE;
	return 0;
}

/* A rule's name: letters, digits, '-', '_' and '.'. */
int
rule_name_check(const char *v, char *err, size_t errlen)
{
	const char *p;

	for (p = v; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.')) {
			value_error(err, errlen, v, "is not a valid name "
			    "(letters, digits, '-', '_' and '.')");
			return -1;
		}
	}
	return 0;
}

static int
set_name(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	if (rule_name_check(v, err, errlen) != 0)
		return -1;
	strlcpy_chaos(r->name, v, sizeof r->name);
	return 0;
}

static int
set_call(void *rule, const char *v, char *err, size_t errlen)
{
	struct rule *r = rule;

	return rule_set_calls(r, v, err, errlen);
}


#define VALUE_MAX 128	/* longest value of a key that is not a glob */

const struct rule_key rule_keys[RULE_NKEYS] = {
	{ "call",	 set_call,	  RULE_TEXT_MAX,	RULE_KEY_OWNMSG },
	{ "error",	 set_error,	  VALUE_MAX,		0 },
	{ "retval",	 set_retval,	  VALUE_MAX,		0 },
	{ "delay",	 set_delay,	  VALUE_MAX,		0 },
	{ "jitter",	 set_jitter,	  VALUE_MAX,		0 },
	{ "signal",	 set_signal,	  VALUE_MAX,		0 },
	{ "exit",	 set_exit,	  VALUE_MAX,		0 },
	{ "short",	 set_short,	  VALUE_MAX,		0 },
	{ "corrupt",	 set_corrupt,	  VALUE_MAX,		0 },
	{ "probability", set_probability, VALUE_MAX,		0 },
	{ "nth",	 set_nth,	  VALUE_MAX,		0 },
	{ "after",	 set_after,	  VALUE_MAX,		0 },
	{ "count",	 set_count,	  VALUE_MAX,		0 },
	{ "start",	 set_start,	  VALUE_MAX,		0 },
	{ "for",	 set_for,	  VALUE_MAX,		0 },
	{ "path",	 set_path,	  RULE_PATH_MAX - 1,	RULE_KEY_GLOB },
	{ "addr",	 set_addr,	  VALUE_MAX,		0 },
	{ "port",	 set_port,	  VALUE_MAX,		0 },
	{ "host",	 set_host,	  RULE_GLOB_MAX - 1,	RULE_KEY_GLOB },
	{ "fdtype",	 set_fdtype,	  VALUE_MAX,		0 },
	{ "exe",	 set_exe,	  RULE_GLOB_MAX - 1,	RULE_KEY_GLOB },
	{ "name",	 set_name,	  RULE_NAME_MAX - 1,	0 },
};

/* The name a [inject.NAME] section gives, checked as name= is. */
int
rule_set_name(struct rule *r, const char *v, char *err, size_t errlen)
{
	return set_name(r, v, err, errlen);
}

/* fdtype= bits as fdtype= writes them: "file,socket". */
void
rule_fdtype_format(unsigned mask, char *buf, size_t len)
{
	size_t	 n;
	int	 i;

	buf[0] = '\0';
	for (i = 0; i < NELEM(fdtypes); i++) {
		if (!(mask & fdtypes[i].bit))
			continue;
		n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", n != 0 ? "," : "",
		    fdtypes[i].name);
	}
}

/* The rule keys' names, for a caller's own "did you mean": how many. */
int
rule_key_names(const char **names, int max)
{
	int	 i;

	for (i = 0; i < RULE_NKEYS && i < max; i++)
		names[i] = rule_keys[i].name;
	return i;
}

int
rule_set_key(struct rule *r, const char *key, const char *value, char *err,
    size_t errlen)
{
	int	 k;

	if ((k = rule_key_find(rule_keys, RULE_NKEYS, key)) < 0) {
		rule_key_unknown(rule_keys, RULE_NKEYS, key, err, errlen);
		return -1;
	}
	return rule_key_set(&rule_keys[k], r, value, strlen(value), err,
	    errlen);
}
