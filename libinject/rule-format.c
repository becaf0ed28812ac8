/*
 * rule-format.c: a rule written back in the one-line form, which
 * rules_parse() reads back as the same rule (chaosd status, the logs,
 * CHAOS_INJECT handed to children).
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "rule-int.h"

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
		rule_fdtype_format(r->fdtype, tmp, sizeof tmp);
		out_key(&o, "fdtype", tmp);
	}
	if (r->filters & FILT_EXE)
		out_key(&o, "exe", r->exe);
	if (r->name[0] != '\0')
		out_key(&o, "name", r->name);
	return o.full ? -1 : (int)o.n;
}


/* The call list alone, as rule_format() writes it. */
void
rule_calls_format(const struct rule *r, char *buf, size_t len)
{
	struct out o = { buf, len, 0, 0 };

	if (len == 0)
		return;
	buf[0] = '\0';
	out_calls(&o, r);
}
