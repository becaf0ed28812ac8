/*
 * fuzz-tc: the values of chaosd net and [network.*] sections. The first
 * byte of an input picks the parser (a letter below, or any byte modulo
 * their number), the rest is the value:
 *
 *   r  parse_rate: accepted, format_rate() writes it back, no exponent,
 *      and parse_rate() reads that back to the very rate
 *   d  parse_duration: format_duration() reads back to the same duration
 *   f  parse_fraction: accepted values are in 0..1
 *   x  parse_exclude (--exclude-port): 1..NET_EXCLUDE_MAX ports, none 0
 *   p  parse_proto
 *   n  parse_netns_name: one path component, never "." or ".."
 *   P  parse_port_range: lo <= hi
 *   c  parse_cidr (--dst, --src): a family, a prefix that fits it, no
 *      host bit set
 *   s  "KEY = VALUE" lines through the option table chaosd net apply
 *      and [network.*] share (net_options), then net_spec_check(); a
 *      fault that passes is described, as net show and the journal say
 *      it, and built into netem's netlink options
 */
#include "config.h"

#include <math.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netlink/msg.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "net.h"
#include "kind.h"
#include "fuzz.h"

const char	fuzz_name[] = "tc";
const int	fuzz_rounds = 20000;
const char	fuzz_alphabet[] = "0123456789.%,-/:=kmgtbpsiKMGTu\n";

static const char modes[] = "rdfxpnPcs";

static void
rate(const char *v)
{
	char		 err[RULE_ERR_MAX], buf[64];
	uint64_t	 b, back;

	if (parse_rate(v, &b, err, sizeof err) != 0)
		return;
	format_rate(b, buf, sizeof buf);
	if (strpbrk(buf, "e.+") != NULL)
		fuzz_fail("rate '%s': printed as '%s'", v, buf);
	if (parse_rate(buf, &back, err, sizeof err) != 0)
		fuzz_fail("rate '%s': '%s' does not parse: %s", v, buf, err);
	else if (back != b)
		fuzz_fail("rate '%s' (%llu B/s): '%s' reads back as %llu", v,
		    (unsigned long long)b, buf, (unsigned long long)back);
}

static void
duration(const char *v)
{
	char		 err[RULE_ERR_MAX], buf[64];
	uint64_t	 ns, back;

	if (parse_duration(v, &ns, err, sizeof err) != 0)
		return;
	if (format_duration(ns, buf, sizeof buf) < 0)
		fuzz_fail("duration '%s': cannot be written back", v);
	else if (parse_duration(buf, &back, err, sizeof err) != 0 ||
	    back != ns)
		fuzz_fail("duration '%s' (%llu ns): '%s' reads back as %llu",
		    v, (unsigned long long)ns, buf, (unsigned long long)back);
}

static void
cidr(const char *v)
{
	char		 err[RULE_ERR_MAX];
	struct cidr	 c;
	int		 bits, i;

	if (parse_cidr(v, &c, err, sizeof err) != 0)
		return;
	bits = c.family == AF_INET ? 32 : c.family == AF_INET6 ? 128 : -1;
	if (bits < 0 || c.prefix > bits) {
		fuzz_fail("cidr '%s': family %d, prefix %u", v, c.family,
		    c.prefix);
		return;
	}
	for (i = c.prefix; i < bits; i++)
		if (c.addr[i / 8] & (0x80 >> (i % 8)))
			fuzz_fail("cidr '%s': host bit %d set", v, i);
}

/*
 * Lines "KEY = VALUE" (or "KEY" alone, a flag) through the option table
 * that chaosd net apply and [network.*] share, then net_spec_check(); a
 * fault that passes is described (net show, the journal) and built into
 * netem's netlink options, as apply would send them.
 */
static void
options(char *text)
{
	struct net_spec	 spec;
	struct nl_msg	*msg;
	struct tcmsg	 tc = { .tcm_family = AF_UNSPEC };
	char		 err[RULE_ERR_MAX], buf[1024], *line, *next, *eq;
	int		 found;

	net_spec_init(&spec);
	snprintf(spec.t.dev, sizeof spec.t.dev, "lo");
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) != NULL) {
			*eq++ = '\0';
			while (*eq == ' ')
				eq++;
		}
		line[strcspn(line, " ")] = '\0';
		err[0] = '\0';
		if (kind_set_option(net_options, &spec, line, eq != NULL ? eq :
		    "yes", &found, err, sizeof err) != 0) {
			if (memchr(err, '\0', sizeof err) == NULL)
				fuzz_fail("%s: unterminated error", line);
			return;
		}
	}
	if (net_spec_check(&spec, err, sizeof err) != 0)
		return;
	memset(buf, 'x', sizeof buf);
	netfault_describe(&spec.f, &spec.m, buf, sizeof buf);
	if (memchr(buf, '\0', sizeof buf) == NULL)
		fuzz_fail("netfault_describe: unterminated");
	if ((msg = nlmsg_alloc_simple(RTM_NEWQDISC, 0)) == NULL)
		abort();
	if (nlmsg_append(msg, &tc, sizeof tc, NLMSG_ALIGNTO) < 0)
		abort();
	if (netem_msg(msg, &spec.f, err, sizeof err) != 0 &&
	    memchr(err, '\0', sizeof err) == NULL)
		fuzz_fail("netem_msg: unterminated error");
	nlmsg_free(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_match m;
	const char	*p;
	char		 err[RULE_ERR_MAX], name[NAME_MAX + 1];
	char		*v;
	double		 f;
	uint16_t	 lo, hi;
	int		 mode, proto, i;

	if (size == 0)
		return 0;
	p = memchr(modes, data[0], sizeof modes - 1);
	mode = p != NULL ? (int)(p - modes) : data[0] % (int)(sizeof modes - 1);
	v = fuzz_string(data + 1, size - 1);
	switch (modes[mode]) {
	case 's':
		options(v);
		break;
	case 'r':
		rate(v);
		break;
	case 'd':
		duration(v);
		break;
	case 'f':
		if (parse_fraction(v, &f, err, sizeof err) == 0 &&
		    !(f >= 0 && f <= 1))
			fuzz_fail("fraction '%s' read as %g", v, f);
		break;
	case 'x':
		memset(&m, 0, sizeof m);
		if (parse_exclude(v, &m, err, sizeof err) != 0 ||
		    strcmp(v, "none") == 0)
			break;
		if (m.nexclude < 1 || m.nexclude > NET_EXCLUDE_MAX)
			fuzz_fail("exclude '%s': %d ports", v, m.nexclude);
		for (i = 0; i < m.nexclude && i < NET_EXCLUDE_MAX; i++)
			if (m.exclude[i] == 0)
				fuzz_fail("exclude '%s': port 0", v);
		break;
	case 'p':
		if (parse_proto(v, &proto, err, sizeof err) == 0 &&
		    proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
		    proto != IPPROTO_ICMP)
			fuzz_fail("proto '%s' read as %d", v, proto);
		break;
	case 'n':
		if (parse_netns_name(v, name, sizeof name, err,
		    sizeof err) == 0 && (strchr(name, '/') != NULL ||
		    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    *name == '\0' || strcmp(name, v) != 0))
			fuzz_fail("netns '%s' read as '%s'", v, name);
		break;
	case 'P':
		if (parse_port_range(v, &lo, &hi, err, sizeof err) == 0 &&
		    lo > hi)
			fuzz_fail("ports '%s' read as %u-%u", v, lo, hi);
		break;
	case 'c':
		cidr(v);
		break;
	}
	free(v);
	return 0;
}
