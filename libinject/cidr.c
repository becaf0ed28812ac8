/*
 * cidr.c: address and port filters (addr=CIDR, port=N[-M]).
 *
 * IPv4 and IPv6 compare in one space: an IPv4 address is seen as its
 * IPv4-mapped form ::ffff:a.b.c.d, so addr=10.0.0.0/8 matches a
 * dual-stack socket's peer ::ffff:10.1.2.3 too.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "chaos.h"

static const uint8_t v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static void
clear_host_bits(uint8_t *a, int bytes, int prefix)
{
	int	 i;

	for (i = 0; i < bytes; i++) {
		int	 keep = prefix - i * 8;

		if (keep <= 0)
			a[i] = 0;
		else if (keep < 8)
			a[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

int
parse_cidr(const char *s, struct cidr *out, char *err, size_t errlen)
{
	char	 host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/'), *start = s;
	size_t	 n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	struct cidr c;
	int	 max, prefix, bracket = 0;

	if (*s == '\0') {
		snprintf(err, errlen, "empty address");
		return -1;
	}
	memset(&c, 0, sizeof c);
	/* "[2001:db8::]/32": brackets, as in URLs, for IPv6 only. */
	if (*s == '[') {
		if (n < 2 || s[n - 1] != ']')
			goto bad;
		start = s + 1;
		n -= 2;
		bracket = 1;
	}
	if (n == 0 || n >= sizeof host)
		goto bad;
	memcpy(host, start, n);
	host[n] = '\0';
	if (!bracket && inet_pton(AF_INET, host, c.addr) == 1) {
		c.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, c.addr) == 1) {
		c.family = AF_INET6;
		max = 128;
	} else
		goto bad;

	prefix = max;
	if (slash != NULL) {
		const char *p = slash + 1;

		if (*p < '0' || *p > '9' || strlen(p) > 3)
			goto badprefix;
		for (prefix = 0; *p >= '0' && *p <= '9'; p++)
			prefix = prefix * 10 + (*p - '0');
		if (*p != '\0' || prefix > max)
			goto badprefix;
	}
	c.prefix = (uint8_t)prefix;
	clear_host_bits(c.addr, max / 8, prefix);
	*out = c;
	return 0;

bad:
	value_error(err, errlen, s, "is not an IPv4 or IPv6 address "
	    "(10.0.0.0/8, 2001:db8::/32, ::1)");
	return -1;
badprefix:
	value_error(err, errlen, s, "has a bad prefix length (0..%d)",
	    slash != NULL && strchr(s, ':') != NULL ? 128 : 32);
	return -1;
}

/* sa's address in 16 bytes (IPv4 mapped); 0, or -1 for other families. */
static int
sockaddr_v6(const struct sockaddr *sa, socklen_t len, uint8_t *a)
{
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)
		    (const void *)sa;

		memcpy(a, v4mapped, 12);
		memcpy(a + 12, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)
		    (const void *)sa;

		memcpy(a, &sin6->sin6_addr, 16);
		return 0;
	}
	return -1;
}

int
cidr_match(const struct cidr *c, const struct sockaddr *sa, socklen_t len)
{
	uint8_t	 want[16], have[16];
	int	 prefix, full, rest;

	if (sockaddr_v6(sa, len, have) != 0)
		return 0;
	if (c->family == AF_INET) {
		memcpy(want, v4mapped, 12);
		memcpy(want + 12, c->addr, 4);
		prefix = 96 + c->prefix;
	} else if (c->family == AF_INET6) {
		memcpy(want, c->addr, 16);
		prefix = c->prefix;
		/* An IPv4 peer only matches IPv6 CIDRs inside ::ffff:0:0/96. */
		if (sa->sa_family == AF_INET && prefix < 96)
			return 0;
	} else
		return 0;
	full = prefix / 8;
	rest = prefix % 8;
	if (memcmp(want, have, (size_t)full) != 0)
		return 0;
	if (rest != 0) {
		uint8_t	 mask = (uint8_t)(0xff << (8 - rest));

		if ((want[full] & mask) != (have[full] & mask))
			return 0;
	}
	return 1;
}

static int
port_number(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v <= 65535)
			v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? v : -2;	/* -2: out of range */
}

int
parse_port_range(const char *s, uint16_t *lo, uint16_t *hi, char *err,
    size_t errlen)
{
	const char *dash = strchr(s, '-');
	int	 a, b;

	if (*s == '\0') {
		snprintf(err, errlen, "empty port");
		return -1;
	}
	if (dash == NULL)
		a = b = port_number(s, strlen(s));
	else {
		a = port_number(s, (size_t)(dash - s));
		b = port_number(dash + 1, strlen(dash + 1));
	}
	if ((a == -2 && b != -1) || (b == -2 && a != -1)) {
		value_error(err, errlen, s, "is out of range (0..65535)");
		return -1;
	}
	if (a < 0 || b < 0) {
		value_error(err, errlen, s, "is not a port or a range of ports "
		    "(5432, 8000-8099)");
		return -1;
	}
	if (b < a) {
		value_error(err, errlen, s, "is an empty range (%d is above %d)",
		    a, b);
		return -1;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

int
sockaddr_port(const struct sockaddr *sa, socklen_t len)
{
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
		return ntohs(((const struct sockaddr_in *)(const void *)sa)->
		    sin_port);
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_port);
	return -1;
}
