/*
 * syscall-rule.c: syscall fault rules, as `chaosd exec -s` and
 * `[syscall.NAME]` scenario sections write them.
 *
 * One-line form, like the libc rules: SYSCALLS[:KEY=VALUE]..., rules
 * separated by ';', '\' escaping ':' ';' '\' inside a value:
 *
 *	openat,open:path=/srv/db*:error=EACCES
 *	getppid:after=1000000:error=EPERM
 *	write:arg0==1:delay=2s:jitter=100ms
 *	ioctl:arg1&0xff00==0x5400:nth=2:error=ENOTTY
 *	kill:signal=SIGSEGV   (a syscall named kill: any name comes first)
 *
 * The grammar, the fields, escapes and shared keys are libchaos's rule
 * core (rule-split.c, rule-key.c, trigger.c, pathnorm.c), as for the
 * libc rules; this file adds the syscall side's keys: syscall= (names
 * resolved by syscall-names.c), the argN comparisons, kill. The key and
 * value entry point (syscall_rule_set_key) is what the scenario parser
 * calls, one key at a time, with syscall= naming the calls.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "syscall.h"

int
sys_rule_has(const struct syscall_rule *r, int nr)
{
	int	i;

	for (i = 0; i < r->nsys; i++) {
		if (r->sys[i] == nr)
			return (1);
	}
	return (0);
}

/*
 * A rule the kernel can answer alone: a fixed error on every matching
 * call (argument comparisons are fine, they are BPF too).
 */
int
sys_rule_in_kernel(const struct syscall_rule *r)
{
	return (r->actions == ACT_ERROR && r->probability >= 1.0 &&
	    r->nth <= 1 && r->after == 0 && r->count == 0 && !r->has_path);
}

void
syscall_rule_init(struct syscall_rule *r)
{
	memset(r, 0, sizeof *r);
	r->probability = 1.0;
}

static int
sys_set_calls(void *rule, const char *list, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;
	char	 buf[4096], *word, *next;
	size_t	 len;
	int	 nr;

	if (strlcpy_chaos(buf, list, sizeof buf) >= sizeof buf) {
		snprintf(err, errlen, "syscall list too long");
		return (-1);
	}
	for (word = buf; word != NULL; word = next) {
		if ((next = strchr(word, ',')) != NULL)
			*next++ = '\0';
		len = strlen(word);
		word = rule_trim(word, &len);
		if (*word == '\0') {
			snprintf(err, errlen, "empty syscall name in '%s'",
			    list);
			return (-1);
		}
		if ((nr = sys_resolve(word, err, errlen)) < 0)
			return (-1);
		if (sys_rule_has(r, nr))
			continue;
		if (r->nsys == SYS_CALLS_MAX) {
			snprintf(err, errlen, "more than %d syscalls in one "
			    "rule", SYS_CALLS_MAX);
			return (-1);
		}
		r->sys[r->nsys++] = nr;
	}
	return (0);
}

static int
sys_number(const char *s, uint64_t *v)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return (-1);
	errno = 0;
	if (*s == '-')
		*v = (uint64_t)strtoll(s, &end, 0);
	else
		*v = strtoull(s, &end, 0);
	if (errno != 0)
		return (-1);
	while (isspace((unsigned char)*end))
		end++;
	return (*end == '\0' ? 0 : -1);
}

/*
 * One comparison on argument arg: "==V", "=V" or "V" (equality), "!=V",
 * "<V", "<=V", ">V", ">=V", "&MASK==V" (masked equality). Values are
 * numbers in C notation, compared as 64-bit registers.
 */
static int
sys_set_cmp(struct syscall_rule *r, int arg, const char *text, char *err,
    size_t errlen)
{
	struct sys_cmp	 c = { .arg = arg, .op = SYS_EQ };
	char		 buf[256], esc[128], *p, *q;
	int		 i;

	log_excerpt(esc, sizeof esc, text);
	if (strlcpy_chaos(buf, text, sizeof buf) >= sizeof buf)
		goto bad;
	p = buf;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '&') {
		/* &MASK==VALUE */
		p++;
		for (q = p; *q != '\0' && *q != '='; q++)
			;
		if (*q != '=')
			goto bad;
		*q++ = '\0';
		if (sys_number(p, &c.mask) != 0)
			goto bad;
		if (*q == '=')
			q++;
		c.op = SYS_MASKED_EQ;
		p = q;
	} else if (p[0] == '=' && p[1] == '=') {
		p += 2;
	} else if (p[0] == '=') {
		p += 1;
	} else if (p[0] == '!' && p[1] == '=') {
		c.op = SYS_NE;
		p += 2;
	} else if (p[0] == '<' && p[1] == '=') {
		c.op = SYS_LE;
		p += 2;
	} else if (p[0] == '<') {
		c.op = SYS_LT;
		p += 1;
	} else if (p[0] == '>' && p[1] == '=') {
		c.op = SYS_GE;
		p += 2;
	} else if (p[0] == '>') {
		c.op = SYS_GT;
		p += 1;
	}
	if (sys_number(p, &c.value) != 0)
		goto bad;
	if (c.op == SYS_MASKED_EQ && (c.value & ~c.mask) != 0) {
		snprintf(err, errlen, "bad comparison 'arg%d%s': the value "
		    "has bits outside the mask, it can never match", arg, esc);
		return (-1);
	}
	for (i = 0; i < r->ncmp; i++) {
		if (r->cmp[i].arg == arg) {
			snprintf(err, errlen, "bad comparison 'arg%d%s': arg%d "
			    "is already compared in this rule", arg, esc, arg);
			return (-1);
		}
	}
	r->cmp[r->ncmp++] = c;
	return (0);
bad:
	snprintf(err, errlen, "bad comparison 'arg%d%s' (expected argN==V, "
	    "!=, <, <=, >, >= or argN&MASK==V, V a number)", arg, esc);
	return (-1);
}

/* The actions and triggers the libc rules have too, in their words. */
static int
set_error(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;
	int	 e;

	if (parse_errno(v, &e, err, errlen) != 0)	/* 1..4095 */
		return (-1);
	r->error = e;
	r->actions |= ACT_ERROR;
	return (0);
}

static int
set_retval(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;
	long long n;

	if (parse_int(v, LLONG_MIN, LLONG_MAX, &n, err, errlen) != 0)
		return (-1);
	r->retval = n;
	r->actions |= ACT_RETVAL;
	return (0);
}

static int
set_delay(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	if (parse_duration(v, &r->delay_ns, err, errlen) != 0)
		return (-1);
	r->actions |= ACT_DELAY;
	return (0);
}

static int
set_jitter(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	return (parse_duration(v, &r->jitter_ns, err, errlen));
}

static int
set_signal(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	if (parse_signal(v, &r->signal, err, errlen) != 0)
		return (-1);
	r->actions |= ACT_SIGNAL;
	return (0);
}

/* A flag: "kill" alone, or kill=yes|no (and 1/0, true/false). */
static int
set_kill(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;
	char	 eval[128], inner[128];

	if (parse_bool(v, &r->kill, inner, sizeof inner) == 0)
		return (0);
	log_excerpt(eval, sizeof eval, v);
	snprintf(err, errlen, "kill=%s: kill is a flag meaning SIGKILL (write "
	    "kill, or kill=yes); another signal is signal=%s", eval, eval);
	return (-1);
}

static int
set_probability(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	return (trigger_set_probability(&r->probability, v, err, errlen));
}

static int
set_nth(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	return (trigger_set_count(&r->nth, v, 1, err, errlen));
}

static int
set_after(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	return (trigger_set_count(&r->after, v, 0, err, errlen));
}

static int
set_count(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	return (trigger_set_count(&r->count, v, 1, err, errlen));
}

static int
set_path(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	if (path_glob(r->path, sizeof r->path, v, err, errlen) != 0)
		return (-1);
	r->has_path = 1;
	return (0);
}

static int
set_name(void *rule, const char *v, char *err, size_t errlen)
{
	struct syscall_rule *r = rule;

	/* the libc rules' check and message, so -s and -i agree */
	if (rule_name_check(v, err, errlen) != 0)
		return (-1);
	strlcpy_chaos(r->name, v, sizeof r->name);
	return (0);
}

#define SET_ARG(n)							\
static int								\
set_arg##n(void *rule, const char *v, char *err, size_t errlen)		\
{									\
	return (sys_set_cmp(rule, n, v, err, errlen));			\
}
SET_ARG(0) SET_ARG(1) SET_ARG(2) SET_ARG(3) SET_ARG(4) SET_ARG(5)

#define VALUE_MAX 128

static const struct rule_key sys_keys[] = {
	{ "syscall",	 sys_set_calls,	  RULE_TEXT_MAX,     RULE_KEY_OWNMSG },
	{ "name",	 set_name,	  RULE_NAME_MAX - 1, 0 },
	{ "error",	 set_error,	  VALUE_MAX,	     0 },
	{ "retval",	 set_retval,	  VALUE_MAX,	     0 },
	{ "delay",	 set_delay,	  VALUE_MAX,	     0 },
	{ "jitter",	 set_jitter,	  VALUE_MAX,	     0 },
	{ "signal",	 set_signal,	  VALUE_MAX,	     0 },
	{ "kill",	 set_kill,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
	{ "probability", set_probability, VALUE_MAX,	     0 },
	{ "nth",	 set_nth,	  VALUE_MAX,	     0 },
	{ "after",	 set_after,	  VALUE_MAX,	     0 },
	{ "count",	 set_count,	  VALUE_MAX,	     0 },
	{ "path",	 set_path,	  RULE_PATH_MAX - 1, RULE_KEY_GLOB },
	{ "arg0",	 set_arg0,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
	{ "arg1",	 set_arg1,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
	{ "arg2",	 set_arg2,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
	{ "arg3",	 set_arg3,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
	{ "arg4",	 set_arg4,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
	{ "arg5",	 set_arg5,	  VALUE_MAX,	     RULE_KEY_OWNMSG },
};
#define SYS_NKEYS ((int)(sizeof sys_keys / sizeof sys_keys[0]))
#define SYS_KEY_SYSCALL 0

/* "argN" followed by an operator: the field or key is a comparison. */
static int
sys_arg_field(const char *s)
{
	return (strncmp(s, "arg", 3) == 0 && s[3] >= '0' && s[3] <= '5' &&
	    s[4] != '\0');
}

/*
 * Set one key (value NULL: the key was given alone, as kill is). A key
 * "argN..." carries the start of its comparison when an INI reader split
 * "arg0 != 1" at the '=' (key "arg0 !", value "1"): the pieces are
 * joined back.
 */
int
syscall_rule_set_key(struct syscall_rule *r, const char *key,
    const char *value, char *err, size_t errlen)
{
	char	 joined[512], ekey[64];
	int	 k;

	if (sys_arg_field(key)) {
		snprintf(joined, sizeof joined, "%s%s%s", key + 4,
		    value != NULL ? "=" : "", value != NULL ? value : "");
		return (sys_set_cmp(r, key[3] - '0', joined, err, errlen));
	}
	if ((k = rule_key_find(sys_keys, SYS_NKEYS, key)) < 0) {
		rule_key_unknown(sys_keys, SYS_NKEYS, key, err, errlen);
		return (-1);
	}
	if (value == NULL) {
		if (strcmp(key, "kill") == 0) {
			r->kill = 1;
			return (0);
		}
		log_excerpt(ekey, sizeof ekey, key);
		snprintf(err, errlen, "%s= needs a value", ekey);
		return (-1);
	}
	return (rule_key_set(&sys_keys[k], r, value, strlen(value), err,
	    errlen));
}

/* After the last key: is the rule whole and meaningful? */
int
syscall_rule_check(struct syscall_rule *r, char *err, size_t errlen)
{
	const char	*sigkey;
	char		 name[64];
	int		 i, p, d, p2, d2;

	if (r->nsys == 0) {
		snprintf(err, errlen, "no syscall named (give syscall=)");
		return (-1);
	}
	if (r->actions == 0 && !r->kill) {
		snprintf(err, errlen, "missing action: give error=, retval=, "
		    "delay=, signal= or kill");
		return (-1);
	}
	if (r->kill && (r->actions & ACT_SIGNAL)) {
		snprintf(err, errlen, "kill and signal= exclude each other "
		    "(kill is signal=SIGKILL: give one of them)");
		return (-1);
	}
	sigkey = r->kill ? "kill" : "signal=";
	if (r->kill) {
		r->kill = 0;
		r->actions |= ACT_SIGNAL;
		r->signal = SIGKILL;
	}
	if ((r->actions & ACT_SIGNAL) &&
	    (r->actions & (ACT_ERROR | ACT_RETVAL))) {
		snprintf(err, errlen, "%s cannot be combined with %s (the "
		    "call runs after the signal: a signal rule does not fail "
		    "it)", sigkey,
		    (r->actions & ACT_ERROR) ? "error=" : "retval=");
		return (-1);
	}
	if ((r->actions & ACT_ERROR) && (r->actions & ACT_RETVAL)) {
		snprintf(err, errlen, "error= and retval= exclude each other "
		    "on a syscall (it returns either a value or -errno)");
		return (-1);
	}
	if (r->jitter_ns != 0 && !(r->actions & ACT_DELAY)) {
		snprintf(err, errlen, "jitter= needs delay=");
		return (-1);
	}
	if (r->has_path) {
		for (i = 0; i < r->nsys; i++) {
			if (!sys_path_args(r->sys[i], &p, &d, &p2, &d2)) {
				snprintf(err, errlen, "path= needs syscalls "
				    "that take a path: '%s' takes none",
				    sys_name(r->sys[i], name, sizeof name));
				return (-1);
			}
		}
	}
	if (r->name[0] == '\0')
		sys_name(r->sys[0], r->name, sizeof r->name);
	return (0);
}

/*
 * One rule at p, into r (the calls, then fields: KEY=VALUE, a lone
 * kill, or an argN comparison); *end is set past it, *last when it ends
 * the text. Returns 0, 1 for an empty rule, or -1.
 */
static int
sys_parse_one(struct syscall_rule *r, const char *p, const char **end,
    int *last, char *err, size_t errlen)
{
	struct rule_field f;
	uint32_t seen = 1u << SYS_KEY_SYSCALL;
	int	 n;

	syscall_rule_init(r);
	for (n = 0;; n++) {
		p = rule_field_next(p, &f);
		if (n == 0) {
			if (f.slen == 0 && f.sep != ':') {
				*last = f.sep == 0;
				*end = p;
				return (1);
			}
			if (f.total != 0) {
				snprintf(err, errlen, "syscall list too long");
				return (-1);
			}
			if (sys_set_calls(r, f.s, err, errlen) != 0)
				return (-1);
		} else if (f.slen == 0) {
			snprintf(err, errlen, "empty field (':' twice in a row, "
			    "or at the end)");
			return (-1);
		} else if (sys_arg_field(f.s)) {
			if (sys_set_cmp(r, f.s[3] - '0', f.s + 4, err,
			    errlen) != 0)
				return (-1);
		} else if (strcmp(f.s, "kill") == 0) {
			r->kill = 1;
		} else if (rule_key_pair(sys_keys, SYS_NKEYS, r, &f, &seen,
		    err, errlen) != 0)
			return (-1);
		if (f.sep != ':')
			break;
	}
	*last = f.sep == 0;
	*end = p;
	return (syscall_rule_check(r, err, errlen));
}

struct syscall_faults *
syscall_faults_new(void)
{
	struct syscall_faults	*sf;

	sf = xcalloc(1, sizeof *sf);
	sf->sock[0] = sf->sock[1] = -1;
	return (sf);
}

int
syscall_faults_count(const struct syscall_faults *sf)
{
	return (sf == NULL ? 0 : sf->n);
}

/* A fresh rule for the scenario parser to fill with syscall_rule_set_key. */
struct syscall_rule *
syscall_faults_add(struct syscall_faults *sf, char *err, size_t errlen)
{
	struct syscall_rule	*r;

	if (sf->n == SYS_RULE_MAX) {
		snprintf(err, errlen, "more than %d syscall rules",
		    SYS_RULE_MAX);
		return (NULL);
	}
	r = &sf->rule[sf->n++];
	syscall_rule_init(r);
	return (r);
}

/* Default names are the first syscall's: number the repeats, getppid#2. */
static void
sys_unique_name(const struct syscall_faults *sf, struct syscall_rule *r)
{
	char	base[RULE_NAME_MAX];
	int	i;

	for (i = 0; i < sf->n; i++) {
		if (strcmp(sf->rule[i].name, r->name) == 0)
			break;
	}
	if (i == sf->n)
		return;
	strlcpy_chaos(base, r->name, sizeof base);
	snprintf(r->name, sizeof r->name, "%.50s#%d", base, sf->n + 1);
}

/* Parse ';'-separated one-line rules and add them; nothing added on error. */
int
syscall_faults_parse(struct syscall_faults *sf, const char *text, char *err,
    size_t errlen)
{
	const char	*p = text, *start, *next;
	char		 inner[RULE_ERR_MAX], esc[128], one[128];
	size_t		 len;
	int		 n0 = sf->n, last = 0, empty, at_end;

	if (strlen(text) > RULE_TEXT_MAX) {
		snprintf(err, errlen, "rules too long (%zu bytes, at most %d)",
		    strlen(text), RULE_TEXT_MAX);
		return (-1);
	}
	while (!last) {
		start = p;
		if (sf->n == SYS_RULE_MAX) {
			snprintf(err, errlen, "more than %d syscall rules",
			    SYS_RULE_MAX);
			goto fail;
		}
		empty = sys_parse_one(&sf->rule[sf->n], p, &p, &last, inner,
		    sizeof inner);
		if (empty == 1)
			continue;
		if (empty != 0) {
			/* the caller quotes the whole text; name the rule of several */
			next = rule_skip(start, &at_end);
			if (!at_end || sf->n > n0) {
				len = (size_t)(next - start);
				if (!at_end)
					len--;		/* its ';' */
				if (len >= sizeof one)
					len = sizeof one - 1;
				memcpy(one, start, len);
				one[len] = '\0';
				len = strlen(one);
				log_excerpt(esc, sizeof esc, rule_trim(one,
				    &len));
				snprintf(err, errlen, "rule '%s': %s", esc,
				    inner);
			} else
				snprintf(err, errlen, "%s", inner);
			goto fail;
		}
		sys_unique_name(sf, &sf->rule[sf->n]);
		sf->n++;
	}
	if (sf->n == n0) {
		snprintf(err, errlen, "empty syscall rule");
		goto fail;
	}
	return (0);
fail:
	sf->n = n0;
	return (-1);
}
