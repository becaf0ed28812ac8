/*
 * tc-units.c: values as tc writes them, for chaosd net.
 *
 * Rates carry a unit: bit, kbit, mbit, gbit, tbit (powers of 1000, in
 * bits), kibit, mibit, gibit, tibit (powers of 1024), bps, kbps, mbps,
 * gbps, tbps (bytes) and kibps, mibps, gibps, tibps. A bare number is
 * refused rather than guessed at: tc reads it as bits, most people as
 * bytes. Durations and probabilities come from libinject's parsers.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "chaosd.h"
#include "net.h"

static const struct {
	const char	*name;
	double		 scale;		/* to bits per second */
} rate_units[] = {
	{ "bit",   1. },
	{ "kbit",  1e3 },
	{ "mbit",  1e6 },
	{ "gbit",  1e9 },
	{ "tbit",  1e12 },
	{ "kibit", 1024. },
	{ "mibit", 1024. * 1024 },
	{ "gibit", 1024. * 1024 * 1024 },
	{ "tibit", 1024. * 1024 * 1024 * 1024 },
	{ "bps",   8. },
	{ "kbps",  8e3 },
	{ "mbps",  8e6 },
	{ "gbps",  8e9 },
	{ "tbps",  8e12 },
	{ "kibps", 8. * 1024 },
	{ "mibps", 8. * 1024 * 1024 },
	{ "gibps", 8. * 1024 * 1024 * 1024 },
	{ "tibps", 8. * 1024 * 1024 * 1024 * 1024 },
};

int
parse_rate(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	char	*end;
	double	 v;
	size_t	 i;

	errno = 0;
	if (*s == '\0' || isspace((unsigned char)*s) || *s == '-' ||
	    *s == '+') {
		snprintf(err, errlen, "bad rate '%s' (write it as tc does: "
		    "8mbit, 500kbit, 1gbit, 100kbps)", s);
		return (-1);
	}
	v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v)) {
		snprintf(err, errlen, "bad rate '%s' (write it as tc does: "
		    "8mbit, 500kbit, 1gbit, 100kbps)", s);
		return (-1);
	}
	if (*end == '\0') {
		snprintf(err, errlen, "rate '%s' needs a unit: bit, kbit, "
		    "mbit, gbit (bits) or bps, kbps, mbps (bytes)", s);
		return (-1);
	}
	for (i = 0; i < sizeof rate_units / sizeof rate_units[0]; i++) {
		if (strcasecmp(end, rate_units[i].name) == 0)
			break;
	}
	if (i == sizeof rate_units / sizeof rate_units[0]) {
		snprintf(err, errlen, "rate '%s': unknown unit '%s' (bit, "
		    "kbit, mbit, gbit, tbit, bps, kbps, mbps, gbps)", s, end);
		return (-1);
	}
	v = v * rate_units[i].scale / 8.;
	if (v < 1.) {
		snprintf(err, errlen, "rate '%s' is below 1 byte per second",
		    s);
		return (-1);
	}
	if (v > 1e14) {
		snprintf(err, errlen, "rate '%s' is too large", s);
		return (-1);
	}
	*bytes = (uint64_t)llround(v);
	return (0);
}

/*
 * As tc prints a rate (iproute2's tc_util.c): in bits, with the largest
 * of K, M, G, T (powers of 1000) that divides it exactly, as an integer:
 * "8Mbit", "500Kbit", "9876536bit". tc drops the digits that do not fit
 * once a rate reaches 1000 of a unit; here every digit is kept, so that
 * parse_rate() reads back the very rate.
 */
void
format_rate(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	uint64_t	bits = bytes * 8;
	size_t		i = 0;

	while (i < sizeof units / sizeof units[0] - 1 && bits != 0 &&
	    bits % 1000 == 0) {
		bits /= 1000;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 "%sbit", bits, units[i]);
}

/* "22", "22,2222", "none": the ports left untouched by every fault. */
int
parse_exclude(const char *s, struct net_match *m, char *err, size_t errlen)
{
	char		 buf[256], *p, *tok, *save = NULL;
	uint64_t	 v;

	m->nexclude = 0;
	if (strcmp(s, "none") == 0)
		return (0);
	if (strlen(s) >= sizeof buf) {
		snprintf(err, errlen, "list too long");
		return (-1);
	}
	strlcpy_chaos(buf, s, sizeof buf);
	for (p = buf; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		if (parse_uint(tok, 65535, &v, err, errlen) != 0 || v == 0) {
			snprintf(err, errlen, "bad port '%s' (1-65535, or "
			    "'none')", tok);
			return (-1);
		}
		if (m->nexclude == NET_EXCLUDE_MAX) {
			snprintf(err, errlen, "at most %d ports",
			    NET_EXCLUDE_MAX);
			return (-1);
		}
		m->exclude[m->nexclude++] = (uint16_t)v;
	}
	if (m->nexclude == 0) {
		snprintf(err, errlen, "empty list (use 'none' to exclude "
		    "nothing)");
		return (-1);
	}
	return (0);
}

int
parse_proto(const char *s, int *proto, char *err, size_t errlen)
{
	if (strcasecmp(s, "tcp") == 0)
		*proto = IPPROTO_TCP;
	else if (strcasecmp(s, "udp") == 0)
		*proto = IPPROTO_UDP;
	else if (strcasecmp(s, "icmp") == 0)
		*proto = IPPROTO_ICMP;
	else {
		snprintf(err, errlen, "unknown protocol '%s' (tcp, udp or "
		    "icmp)", s);
		return (-1);
	}
	return (0);
}

/* A name under /run/netns: one path component. */
int
parse_netns_name(const char *s, char *buf, size_t len, char *err,
    size_t errlen)
{
	if (*s == '\0' || strchr(s, '/') != NULL || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0 || strlen(s) >= len) {
		snprintf(err, errlen, "bad namespace name '%s' (a name under "
		    "/run/netns)", s);
		return (-1);
	}
	strlcpy_chaos(buf, s, len);
	return (0);
}

/* 0..1 to the kernel's 0..UINT32_MAX, as tc's get_percent does. */
uint32_t
prob_u32(double p)
{
	if (p <= 0)
		return (0);
	if (p >= 1)
		return (UINT32_MAX);
	return ((uint32_t)llround(p * (double)UINT32_MAX));
}
