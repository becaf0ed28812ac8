/*
 * rule.c: the rule language (libinject(7): CALLS, KEYS, SEMANTICS).
 *
 * One parser for the three front doors: rules_parse() reads the one-line
 * form of chaosd -i and CHAOS_INJECT, rules_parse_file() the [inject.NAME]
 * sections of CHAOS_INJECT_FILE, and rule_set_key() serves both and the
 * scenario parser. rule_check() then refuses rules that cannot work, and
 * rule_format() writes a rule back in the one-line form.
 *
 * Errors name the key, the value (escaped) and what is wrong with it;
 * nothing is half-applied: a key that fails leaves the rule as it was, a
 * text or file that fails leaves the rule set as it was.
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chaos.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

/* ------------------------------------------------------------------ */
/* Call lists                                                          */
/* ------------------------------------------------------------------ */

static void
bit_set(uint64_t *w, int id)
{
	w[id / 64] |= 1ULL << (id % 64);
}

static int
bit_isset(const uint64_t *w, int id)
{
	return (w[id / 64] >> (id % 64)) & 1;
}

static int
calls_empty(const struct rule *r)
{
	int	 i;

	for (i = 0; i < HOOK_WORDS; i++) {
		if (r->calls[i] != 0)
			return 0;
	}
	return 1;
}

static const char *const group_names[] = {
	"%open", "%read", "%write", "%sync", "%close", "%stat", "%fs",
	"%file", "%net", "%dns", "%mem", "%proc",
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

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
set_error(struct rule *r, const char *v, char *err, size_t errlen)
{
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
set_retval(struct rule *r, const char *v, char *err, size_t errlen)
{
	long long n;

	if (parse_int(v, INT64_MIN, INT64_MAX, &n, err, errlen) != 0)
		return -1;
	r->retval = n;
	r->actions |= ACT_RETVAL;
	return 0;
}

static int
set_delay(struct rule *r, const char *v, char *err, size_t errlen)
{
	uint64_t ns;

	if (parse_duration(v, &ns, err, errlen) != 0)
		return -1;
	r->delay_ns = ns;
	r->actions |= ACT_DELAY;
	return 0;
}

static int
set_jitter(struct rule *r, const char *v, char *err, size_t errlen)
{
	return parse_duration(v, &r->jitter_ns, err, errlen);
}

static int
set_signal(struct rule *r, const char *v, char *err, size_t errlen)
{
	int	 sig;

	if (parse_signal(v, &sig, err, errlen) != 0)
		return -1;
	r->signal = sig;
	r->actions |= ACT_SIGNAL;
	return 0;
}

static int
set_exit(struct rule *r, const char *v, char *err, size_t errlen)
{
	long long n;

	if (parse_int(v, 0, 255, &n, err, errlen) != 0)
		return -1;
	r->exit_status = (int)n;
	r->actions |= ACT_EXIT;
	return 0;
}

static int
set_short(struct rule *r, const char *v, char *err, size_t errlen)
{
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
set_corrupt(struct rule *r, const char *v, char *err, size_t errlen)
{
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
set_probability(struct rule *r, const char *v, char *err, size_t errlen)
{
	return parse_fraction(v, &r->probability, err, errlen);
}

static int
set_count_like(uint64_t *out, const char *v, uint64_t min, char *err,
    size_t errlen)
{
	uint64_t n;

	if (parse_uint(v, UINT64_MAX, &n, err, errlen) != 0)
		return -1;
	if (n < min) {
		value_error(err, errlen, v, "must be at least %" PRIu64, min);
		return -1;
	}
	*out = n;
	return 0;
}

static int
set_nth(struct rule *r, const char *v, char *err, size_t errlen)
{
	return set_count_like(&r->nth, v, 1, err, errlen);
}

static int
set_after(struct rule *r, const char *v, char *err, size_t errlen)
{
	return set_count_like(&r->after, v, 0, err, errlen);
}

static int
set_count(struct rule *r, const char *v, char *err, size_t errlen)
{
	return set_count_like(&r->count, v, 1, err, errlen);
}

static int
set_start(struct rule *r, const char *v, char *err, size_t errlen)
{
	return parse_duration(v, &r->start_ns, err, errlen);
}

static int
set_for(struct rule *r, const char *v, char *err, size_t errlen)
{
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
set_path(struct rule *r, const char *v, char *err, size_t errlen)
{
	if (v[0] != '/') {
		value_error(err, errlen, v, "must be absolute (start with "
		    "'/')");
		return -1;
	}
	strlcpy_chaos(r->path, v, sizeof r->path);
	r->filters |= FILT_PATH;
	return 0;
}

static int
set_addr(struct rule *r, const char *v, char *err, size_t errlen)
{
	if (parse_cidr(v, &r->addr, err, errlen) != 0)
		return -1;
	r->filters |= FILT_ADDR;
	return 0;
}

static int
set_port(struct rule *r, const char *v, char *err, size_t errlen)
{
	if (parse_port_range(v, &r->port_lo, &r->port_hi, err, errlen) != 0)
		return -1;
	r->filters |= FILT_PORT;
	return 0;
}

static int
set_host(struct rule *r, const char *v, char *err, size_t errlen)
{
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
set_fdtype(struct rule *r, const char *v, char *err, size_t errlen)
{
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
set_exe(struct rule *r, const char *v, char *err, size_t errlen)
{
	if (strchr(v, '/') != NULL) {
		value_error(err, errlen, v, "holds a '/' (exe= matches the "
		    "executable's base name: exe=python3*)");
		return -1;
	}
	strlcpy_chaos(r->exe, v, sizeof r->exe);
	r->filters |= FILT_EXE;
	return 0;
}

static int
valid_name(const char *v)
{
	for (; *v != '\0'; v++) {
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' ||
		    *v == '.'))
			return 0;
	}
	return 1;
}

static int
set_name(struct rule *r, const char *v, char *err, size_t errlen)
{
	if (!valid_name(v)) {
		value_error(err, errlen, v, "is not a valid name (letters, "
		    "digits, '-', '_' and '.')");
		return -1;
	}
	strlcpy_chaos(r->name, v, sizeof r->name);
	return 0;
}

static int
set_call(struct rule *r, const char *v, char *err, size_t errlen)
{
	return rule_set_calls(r, v, err, errlen);
}

#define VALUE_MAX 128	/* longest value of a key that is not a glob */

static const struct key {
	const char	*name;
	int		(*set)(struct rule *, const char *, char *, size_t);
	size_t		 max;		/* longest value */
	int		 glob;		/* may hold bytes >= 0x80 */
} keys[] = {
	{ "call",	 set_call,	  RULE_TEXT_MAX,	0 },
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
	{ "path",	 set_path,	  RULE_PATH_MAX - 1,	1 },
	{ "addr",	 set_addr,	  VALUE_MAX,		0 },
	{ "port",	 set_port,	  VALUE_MAX,		0 },
	{ "host",	 set_host,	  RULE_GLOB_MAX - 1,	1 },
	{ "fdtype",	 set_fdtype,	  VALUE_MAX,		0 },
	{ "exe",	 set_exe,	  RULE_GLOB_MAX - 1,	1 },
	{ "name",	 set_name,	  RULE_NAME_MAX - 1,	0 },
};

#define KEY_CALL 0
#define KEY_NAME (NELEM(keys) - 1)

static int
key_find(const char *name)
{
	int	 i;

	for (i = 0; i < NELEM(keys); i++) {
		if (strcmp(keys[i].name, name) == 0)
			return i;
	}
	return -1;
}

static void
unknown_key(const char *key, char *err, size_t errlen)
{
	const char *names[NELEM(keys)];
	char	 esc[72];
	int	 i, k;

	for (i = 0; i < NELEM(keys); i++)
		names[i] = keys[i].name;
	str_escape(esc, sizeof esc, key);
	if ((k = did_you_mean(key, names, NELEM(keys))) >= 0)
		snprintf(err, errlen, "unknown key '%s' (did you mean '%s'?)",
		    esc, names[k]);
	else
		snprintf(err, errlen, "unknown key '%s'", esc);
}

static int
set_key(struct rule *r, int k, const char *value, size_t len, char *err,
    size_t errlen)
{
	const struct key *key = &keys[k];
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
		if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !key->glob)) {
			value_error(msg, sizeof msg, value, "holds a %s byte "
			    "(\\x%02x)", *p >= 0x80 ? "non-ASCII" : "control",
			    *p);
			snprintf(err, errlen, "%s: %s", key->name, msg);
			return -1;
		}
	}
	msg[0] = '\0';
	if (key->set(r, value, msg, sizeof msg) != 0) {
		if (k == KEY_CALL)
			snprintf(err, errlen, "%s", msg);
		else
			snprintf(err, errlen, "%s: %s", key->name, msg);
		return -1;
	}
	return 0;
}

int
rule_set_key(struct rule *r, const char *key, const char *value, char *err,
    size_t errlen)
{
	int	 k;

	if ((k = key_find(key)) < 0) {
		unknown_key(key, err, errlen);
		return -1;
	}
	return set_key(r, k, value, strlen(value), err, errlen);
}

/* ------------------------------------------------------------------ */
/* Which actions and filters make sense for which calls                */
/* ------------------------------------------------------------------ */

enum {
	WHY_NOFAIL, WHY_EAI, WHY_PTR, WHY_DATA, WHY_IN, WHY_PATH, WHY_NET,
	WHY_HOST, WHY_FD
};

static const struct {
	const char	*neg;	/* "connect moves no data" */
	const char	*pos;	/* "no selected call moves data" */
} whys[] = {
	[WHY_NOFAIL] = { "cannot fail; only delay, signal and exit apply",
	    "can fail" },
	[WHY_EAI] = { "does not return EAI_* codes", "returns EAI_* codes" },
	[WHY_PTR] = { "returns a pointer", "returns a number" },
	[WHY_DATA] = { "moves no data", "moves data" },
	[WHY_IN] = { "returns no data", "returns data" },
	[WHY_PATH] = { "names no file", "names a file" },
	[WHY_NET] = { "has no socket or address", "has a socket or address" },
	[WHY_HOST] = { "looks up no host name", "looks up a host name" },
	[WHY_FD] = { "has no descriptor", "has a descriptor" },
};

/* The actions and filters that some calls do not support. */
static const struct feature {
	const char	*key;
	unsigned	 act;
	unsigned	 filt;
} features[] = {
	{ "error",   ACT_ERROR,   0 },
	{ "retval",  ACT_RETVAL,  0 },
	{ "short",   ACT_SHORT,   0 },
	{ "corrupt", ACT_CORRUPT, 0 },
	{ "path",    0, FILT_PATH },
	{ "addr",    0, FILT_ADDR },
	{ "port",    0, FILT_PORT },
	{ "host",    0, FILT_HOST },
	{ "fdtype",  0, FILT_FDTYPE },
};

static int
feature_used(const struct rule *r, int f)
{
	return (r->actions & features[f].act) || (r->filters & features[f].filt);
}

/* Why hook cannot take feature f of rule r (WHY_*), or -1 if it can. */
static int
why_not(const struct rule *r, int f, int hook)
{
	unsigned flags = hook_table[hook].flags;
	unsigned groups = hook_table[hook].groups;
	unsigned nofail = flags & (F_VOID | F_NOFAIL);

	switch (features[f].act | features[f].filt << 8) {
	case ACT_ERROR:
		if (nofail)
			return WHY_NOFAIL;
		if (r->error_eai && !(flags & F_EAI))
			return WHY_EAI;
		return -1;
	case ACT_RETVAL:
		if (nofail)
			return WHY_NOFAIL;
		return (flags & F_PTR) ? WHY_PTR : -1;
	case ACT_SHORT:
		return (flags & F_DATA) && !nofail ? -1 : WHY_DATA;
	case ACT_CORRUPT:
		return (flags & F_IN) && !nofail ? -1 : WHY_IN;
	case FILT_PATH << 8:
		return (flags & (F_PATH | F_FD | F_FILE)) ? -1 : WHY_PATH;
	case FILT_ADDR << 8:
	case FILT_PORT << 8:
		return (groups & (G_NET | G_DNS)) ||
		    (flags & (F_FD | F_FILE | F_ADDR)) ? -1 : WHY_NET;
	case FILT_HOST << 8:
		return (flags & F_HOST) ? -1 : WHY_HOST;
	case FILT_FDTYPE << 8:
		return (flags & (F_FD | F_FILE)) ? -1 : WHY_FD;
	}
	return -1;
}

static int
hook_takes(const struct rule *r, int hook)
{
	int	 f;

	for (f = 0; f < NELEM(features); f++) {
		if (feature_used(r, f) && why_not(r, f, hook) >= 0)
			return 0;
	}
	return 1;
}

int
rule_hook_allowed(const struct rule *r, int hook)
{
	if (hook < 0 || hook >= HOOK_COUNT || !bit_isset(r->calls, hook))
		return 0;
	return hook_takes(r, hook);
}

/* ------------------------------------------------------------------ */
/* Writing rules out                                                   */
/* ------------------------------------------------------------------ */

struct out {
	char	*buf;
	size_t	 len;
	size_t	 n;
	int	 full;
};

static void
out_char(struct out *o, char c)
{
	if (o->n + 1 < o->len) {
		o->buf[o->n++] = c;
		o->buf[o->n] = '\0';
	} else
		o->full = 1;
}

static void
out_str(struct out *o, const char *s)
{
	for (; *s != '\0'; s++)
		out_char(o, *s);
}

/* s with the one-line form's separators escaped. */
static void
out_value(struct out *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == ':' || *s == ';' || *s == '\\')
			out_char(o, '\\');
		out_char(o, *s);
	}
}

static void
out_key(struct out *o, const char *key, const char *value)
{
	out_char(o, ':');
	out_str(o, key);
	out_char(o, '=');
	out_value(o, value);
}

/*
 * The call list: whole groups where every member is selected (and at
 * least one is not named by itself), then the calls named by themselves
 * and any others left.
 */
static void
out_calls(struct out *o, const struct rule *r)
{
	static const unsigned order[] = {
		G_FILE, G_OPEN, G_READ, G_WRITE, G_SYNC, G_CLOSE, G_STAT, G_FS,
		G_NET, G_DNS, G_MEM, G_PROC,
	};
	uint64_t covered[HOOK_WORDS];
	size_t	 g;
	int	 i, first = 1;

	memset(covered, 0, sizeof covered);
	for (g = 0; g < sizeof order / sizeof order[0]; g++) {
		int	 all = 1, useful = 0;

		for (i = 0; i < HOOK_COUNT; i++) {
			if (!(hook_table[i].groups & order[g]))
				continue;
			if (!bit_isset(r->calls, i))
				all = 0;
			else if (!bit_isset(r->named, i) &&
			    !bit_isset(covered, i))
				useful = 1;
		}
		if (!all || !useful)
			continue;
		for (i = 0; i < HOOK_COUNT; i++) {
			if (hook_table[i].groups & order[g])
				bit_set(covered, i);
		}
		if (!first)
			out_char(o, ',');
		out_str(o, group_name(order[g]));
		first = 0;
	}
	for (i = 0; i < HOOK_COUNT; i++) {
		if (!bit_isset(r->calls, i))
			continue;
		if (bit_isset(covered, i) && !bit_isset(r->named, i))
			continue;
		if (!first)
			out_char(o, ',');
		out_str(o, hook_table[i].name);
		first = 0;
	}
}

static void
out_duration(struct out *o, const char *key, uint64_t ns)
{
	char	 tmp[32];

	format_duration(ns, tmp, sizeof tmp);
	out_key(o, key, tmp);
}

static void
out_number(struct out *o, const char *key, uint64_t n)
{
	char	 tmp[32];

	snprintf(tmp, sizeof tmp, "%" PRIu64, n);
	out_key(o, key, tmp);
}

static void
format_cidr(const struct cidr *c, char *buf, size_t len)
{
	char	 host[INET6_ADDRSTRLEN];
	int	 max = c->family == AF_INET ? 32 : 128;

	if (inet_ntop(c->family, c->addr, host, sizeof host) == NULL)
		strlcpy_chaos(host, "?", sizeof host);
	if (c->family == AF_INET6)
		snprintf(buf, len, "[%s]", host);
	else
		snprintf(buf, len, "%s", host);
	if (c->prefix != max) {
		size_t	 n = strlen(buf);

		snprintf(buf + n, len - n, "/%u", c->prefix);
	}
}

int
rule_format(const struct rule *r, char *buf, size_t len)
{
	struct out o = { buf, len, 0, 0 };
	char	 tmp[64];
	int	 i;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	out_calls(&o, r);
	if (r->actions & ACT_ERROR) {
		const char *n = r->error_eai ? eai_name(r->error) :
		    errno_name(r->error);

		if (n == NULL) {
			snprintf(tmp, sizeof tmp, "%d", r->error);
			n = tmp;
		}
		out_key(&o, "error", n);
	}
	if (r->actions & ACT_RETVAL) {
		snprintf(tmp, sizeof tmp, "%lld", r->retval);
		out_key(&o, "retval", tmp);
	}
	if (r->actions & ACT_DELAY)
		out_duration(&o, "delay", r->delay_ns);
	if (r->jitter_ns != 0)
		out_duration(&o, "jitter", r->jitter_ns);
	if (r->actions & ACT_SIGNAL) {
		const char *n = signal_name(r->signal);

		if (n == NULL) {
			snprintf(tmp, sizeof tmp, "%d", r->signal);
			n = tmp;
		}
		out_key(&o, "signal", n);
	}
	if (r->actions & ACT_EXIT)
		out_number(&o, "exit", (uint64_t)r->exit_status);
	if (r->actions & ACT_SHORT) {
		if (r->short_ppm != 0) {
			if (r->short_ppm % 10000 == 0)
				snprintf(tmp, sizeof tmp, "%u%%",
				    r->short_ppm / 10000);
			else {
				snprintf(tmp, sizeof tmp, "%u.%04u",
				    r->short_ppm / 10000, r->short_ppm % 10000);
				for (i = (int)strlen(tmp) - 1; tmp[i] == '0'; i--)
					tmp[i] = '\0';
				strcat(tmp, "%");
			}
			out_key(&o, "short", tmp);
		} else
			out_number(&o, "short", r->short_bytes);
	}
	if (r->actions & ACT_CORRUPT)
		out_number(&o, "corrupt", r->corrupt_bits);
	if (r->probability != 1) {
		format_fraction(r->probability, tmp, sizeof tmp);
		out_key(&o, "probability", tmp);
	}
	if (r->nth != 0)
		out_number(&o, "nth", r->nth);
	if (r->after != 0)
		out_number(&o, "after", r->after);
	if (r->count != 0)
		out_number(&o, "count", r->count);
	if (r->start_ns != 0)
		out_duration(&o, "start", r->start_ns);
	if (r->for_ns != 0)
		out_duration(&o, "for", r->for_ns);
	if (r->filters & FILT_PATH)
		out_key(&o, "path", r->path);
	if (r->filters & FILT_ADDR) {
		/* IPv6 in brackets, where ':' needs no escape */
		format_cidr(&r->addr, tmp, sizeof tmp);
		out_str(&o, ":addr=");
		out_str(&o, tmp);
	}
	if (r->filters & FILT_PORT) {
		if (r->port_lo == r->port_hi)
			snprintf(tmp, sizeof tmp, "%u", r->port_lo);
		else
			snprintf(tmp, sizeof tmp, "%u-%u", r->port_lo,
			    r->port_hi);
		out_key(&o, "port", tmp);
	}
	if (r->filters & FILT_HOST)
		out_key(&o, "host", r->host);
	if (r->filters & FILT_FDTYPE) {
		tmp[0] = '\0';
		for (i = 0; i < NELEM(fdtypes); i++) {
			if (!(r->fdtype & fdtypes[i].bit))
				continue;
			if (tmp[0] != '\0')
				strcat(tmp, ",");
			strcat(tmp, fdtypes[i].name);
		}
		out_key(&o, "fdtype", tmp);
	}
	if (r->filters & FILT_EXE)
		out_key(&o, "exe", r->exe);
	if (r->name[0] != '\0')
		out_key(&o, "name", r->name);
	return o.full ? -1 : (int)o.n;
}

/* ------------------------------------------------------------------ */
/* Checking a whole rule                                               */
/* ------------------------------------------------------------------ */

/* The rule's call list for a message, shortened. */
static void
calls_text(const struct rule *r, char *buf, size_t len)
{
	char	 all[1024];
	struct out o = { all, sizeof all, 0, 0 };

	all[0] = '\0';
	out_calls(&o, r);
	str_escape(buf, len, all);
}

static const char *
action_key(unsigned act)
{
	static const char *const names[] = {
		"error", "retval", "delay", "signal", "exit", "short", "corrupt"
	};
	int	 i;

	for (i = 0; i < NELEM(names); i++) {
		if (act & (1u << i))
			return names[i];
	}
	return "?";
}

int
rule_check(struct rule *r, char *err, size_t errlen)
{
	char	 calls[80], used[128];
	int	 f, i, any;

	if (calls_empty(r)) {
		snprintf(err, errlen, "no calls given (libc functions or "
		    "groups: read,pread or %%read)");
		return -1;
	}
	if (r->actions == 0) {
		snprintf(err, errlen, "no action (give one of error, retval, "
		    "delay, signal, exit, short, corrupt)");
		return -1;
	}
	if ((r->actions & ACT_EXIT) &&
	    (r->actions & ~(ACT_EXIT | ACT_DELAY))) {
		snprintf(err, errlen, "exit: cannot be combined with %s (exit "
		    "combines only with delay)",
		    action_key(r->actions & ~(ACT_EXIT | ACT_DELAY)));
		return -1;
	}
	if ((r->actions & (ACT_SHORT | ACT_CORRUPT)) &&
	    (r->actions & (ACT_ERROR | ACT_RETVAL))) {
		snprintf(err, errlen, "%s: cannot be combined with %s (a "
		    "failed call transfers no data)",
		    action_key(r->actions & (ACT_SHORT | ACT_CORRUPT)),
		    action_key(r->actions & (ACT_ERROR | ACT_RETVAL)));
		return -1;
	}
	if (r->jitter_ns != 0 && !(r->actions & ACT_DELAY)) {
		snprintf(err, errlen, "jitter: needs delay (the delay is "
		    "spread by the jitter)");
		return -1;
	}

	used[0] = '\0';
	for (f = 0; f < NELEM(features); f++) {
		int	 takers = 0, why = -1;

		if (!feature_used(r, f))
			continue;
		if (used[0] != '\0')
			strcat(used, ", ");
		strcat(used, features[f].key);
		for (i = 0; i < HOOK_COUNT; i++) {
			int	 w;

			if (!bit_isset(r->calls, i))
				continue;
			if ((w = why_not(r, f, i)) < 0) {
				takers++;
				continue;
			}
			why = w;
			if (!bit_isset(r->named, i))
				continue;
			if (w == WHY_EAI)
				snprintf(err, errlen, "%s: %s makes no sense for "
				    "%s (%s %s)", features[f].key,
				    eai_name(r->error) != NULL ?
				    eai_name(r->error) : "EAI code",
				    hook_table[i].name, hook_table[i].name,
				    whys[w].neg);
			else
				snprintf(err, errlen, "%s: makes no sense for %s "
				    "(%s %s)", features[f].key,
				    hook_table[i].name, hook_table[i].name,
				    whys[w].neg);
			return -1;
		}
		if (takers == 0) {
			calls_text(r, calls, sizeof calls);
			snprintf(err, errlen, "%s: makes no sense for %s (no "
			    "selected call %s)", features[f].key, calls,
			    why >= 0 ? whys[why].pos : "takes it");
			return -1;
		}
	}
	for (i = 0, any = 0; i < HOOK_COUNT && !any; i++) {
		if (bit_isset(r->calls, i) && hook_takes(r, i))
			any = 1;
	}
	if (!any) {
		calls_text(r, calls, sizeof calls);
		snprintf(err, errlen, "no call among %s takes all of %s "
		    "together", calls, used);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The one-line form                                                   */
/* ------------------------------------------------------------------ */

#define FIELD_MAX 4096

struct field {
	char	 buf[FIELD_MAX];
	size_t	 len;		/* the whole field's length, stored or not */
	int	 sep;		/* ':', ';' or 0 at the end of the text */
};

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

/*
 * Read one field at p, undoing the escapes \: \; \\ (a backslash before
 * anything else stays, so fnmatch's own escapes pass through). In an
 * addr= value, ':' inside [brackets] is part of the IPv6 address.
 * Returns where the next field starts.
 */
static const char *
scan_field(const char *p, struct field *f)
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
		} else if (c == '[' && f->len < FIELD_MAX - 1 &&
		    addr_prefix(f->buf, f->len))
			bracket = 1;
		if (f->len < FIELD_MAX - 1)
			f->buf[f->len] = c;
		f->len++;
	}
	f->buf[f->len < FIELD_MAX - 1 ? f->len : FIELD_MAX - 1] = '\0';
	return p;
}

/* Cut blanks at both ends of s (len bytes); returns the new start. */
static char *
trim(char *s, size_t *len)
{
	while (*len > 0 && is_blank(*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && is_blank(s[*len - 1]))
		s[--(*len)] = '\0';
	return s;
}

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
 * One "KEY=VALUE" field: s (len bytes) as stored; total is the whole
 * field's length when it did not fit in the buffer, else 0. seen holds
 * the keys the rule has already been given.
 */
static int
parse_pair(struct rule *r, char *s, size_t len, size_t total,
    uint32_t *seen, char *err, size_t errlen)
{
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
	key = trim(s, &klen);
	value = trim(eq + 1, &vlen);
	if (klen == 0) {
		snprintf(err, errlen, "missing key before '='");
		return -1;
	}
	if ((k = key_find(key)) < 0) {
		unknown_key(key, err, errlen);
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
	if (set_key(r, k, value, vlen, err, errlen) != 0)
		return -1;
	*seen |= 1u << k;
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
	struct field f;
	uint32_t seen = 0;
	int	 n;

	*last = 0;
	for (n = 0;; n++) {
		size_t	 len, total;
		char	*s;

		p = scan_field(p, &f);
		total = f.len > FIELD_MAX - 1 ? f.len : 0;
		len = f.len < FIELD_MAX - 1 ? f.len : FIELD_MAX - 1;
		s = trim(f.buf, &len);
		if (n == 0 && memchr(s, '=', len) == NULL) {
			if (len == 0 && f.sep != ':') {
				*last = f.sep == 0;
				*end = p;
				return 1;
			}
			if (total != 0) {
				snprintf(err, errlen, "call list too long (%zu "
				    "characters)", total);
				return -1;
			}
			if (rule_set_calls(r, s, err, errlen) != 0)
				return -1;
			seen |= 1u << KEY_CALL;
		} else if (len == 0) {
			snprintf(err, errlen, "empty field (':' twice in a row, "
			    "or at the end)");
			return -1;
		} else if (parse_pair(r, s, len, total, &seen, err,
		    errlen) != 0)
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

/* ------------------------------------------------------------------ */
/* Rule files: [inject.NAME] sections                                  */
/* ------------------------------------------------------------------ */

struct file_state {
	struct rule_set	*set;
	int		 base;
	struct rule	*cur;		/* the open section's rule */
	int		 cur_line;
	uint32_t	 seen;
	int		 seen_line[NELEM(keys)];
	int		 line[RULE_MAX];	/* each rule's section line */
	int		 check_failed;	/* rule_check: report at cur_line */
	char		 msg[RULE_ERR_MAX * 2];
};

/* Close the open section: check its rule. */
static int
finish_section(struct file_state *st)
{
	char	 msg[RULE_ERR_MAX];

	if (st->cur == NULL)
		return 0;
	if (rule_check(st->cur, msg, sizeof msg) != 0) {
		snprintf(st->msg, sizeof st->msg, "[inject.%s] %s",
		    st->cur->name, msg);
		st->check_failed = 1;
		return -1;
	}
	st->set->n++;
	st->cur = NULL;
	return 0;
}

static int
file_section(struct file_state *st, const char *section, int line,
    char *err, size_t errlen)
{
	char	 esc[72], msg[RULE_ERR_MAX];
	const char *name = section + 7;
	struct rule *r;
	int	 i;

	if (finish_section(st) != 0) {
		snprintf(err, errlen, "%s", st->msg);
		return 0;
	}
	str_escape(esc, sizeof esc, section);
	if (strncmp(section, "inject.", 7) != 0) {
		snprintf(err, errlen, "unknown section [%s] (rules go in "
		    "[inject.NAME] sections)", esc);
		return 0;
	}
	if (*name == '\0') {
		snprintf(err, errlen, "[inject.] needs a name: [inject.NAME]");
		return 0;
	}
	for (i = 0; i < st->set->n; i++) {
		if (strcmp(st->set->rule[i].name, name) != 0)
			continue;
		if (i >= st->base)
			snprintf(err, errlen, "duplicate section [%s] (first "
			    "at line %d)", esc, st->line[i]);
		else
			snprintf(err, errlen, "[%s] the name '%s' is taken by "
			    "an earlier rule", esc, name);
		return 0;
	}
	if (st->set->n >= RULE_MAX) {
		snprintf(err, errlen, "too many rules (at most %d)", RULE_MAX);
		return 0;
	}
	r = &st->set->rule[st->set->n];
	rule_init(r);
	if (set_name(r, name, msg, sizeof msg) != 0) {
		snprintf(err, errlen, "[%s] %s", esc, msg);
		return 0;
	}
	st->cur = r;
	st->cur_line = line;
	st->line[st->set->n] = line;
	st->seen = 0;
	return 1;
}

static int
file_cb(void *user, const char *section, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct file_state *st = user;
	char	 msg[RULE_ERR_MAX];
	int	 k;

	if (key == NULL)
		return file_section(st, section, line, err, errlen);
	if (st->cur == NULL) {
		str_escape(msg, sizeof msg, key);
		snprintf(err, errlen, "key '%s' outside any section (rules go "
		    "in [inject.NAME] sections)", msg);
		return 0;
	}
	if ((k = key_find(key)) < 0) {
		unknown_key(key, msg, sizeof msg);
		snprintf(err, errlen, "[inject.%s] %s", st->cur->name, msg);
		return 0;
	}
	if (k == KEY_NAME) {
		snprintf(err, errlen, "[inject.%s] name: not a key here (the "
		    "section's name names the rule)", st->cur->name);
		return 0;
	}
	if (st->seen & (1u << k)) {
		snprintf(err, errlen, "[inject.%s] duplicate key '%s' (first "
		    "at line %d)", st->cur->name, key, st->seen_line[k]);
		return 0;
	}
	if (set_key(st->cur, k, value, strlen(value), msg, sizeof msg) != 0) {
		snprintf(err, errlen, "[inject.%s] %s", st->cur->name, msg);
		return 0;
	}
	st->seen |= 1u << k;
	st->seen_line[k] = line;
	return 1;
}

int
rules_parse_file(struct rule_set *set, const char *path, char *err,
    size_t errlen)
{
	struct file_state st;
	char	 esc[256];

	memset(&st, 0, sizeof st);
	st.set = set;
	st.base = set->n;
	str_escape(esc, sizeof esc, path);
	if (ini_read_file_ex(path, INI_READ_SECTIONS, file_cb, &st, err,
	    errlen) != 0) {
		if (st.check_failed)
			snprintf(err, errlen, "%s:%d: %s", esc, st.cur_line,
			    st.msg);
		set->n = st.base;
		return -1;
	}
	if (finish_section(&st) != 0) {
		snprintf(err, errlen, "%s:%d: %s", esc, st.cur_line, st.msg);
		set->n = st.base;
		return -1;
	}
	if (set->n == st.base) {
		snprintf(err, errlen, "%s: no [inject.NAME] section", esc);
		return -1;
	}
	return 0;
}
