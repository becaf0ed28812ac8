/*
 * res-units.c: the values of process and resource faults.
 *
 * Sizes are bytes, with an optional unit in powers of 1024 as the
 * kernel's memory.high and stress-ng read them: K, M, G, T (also KiB,
 * MiB..., and B for bytes), "1.5G" allowed. Percentages are "50%" or a
 * fraction "0.5", up to a maximum the caller gives (cpu.max may take
 * 150%, memory no more than 100%). Numbers are read by hand, as
 * libinject's units.c reads them: no locale, no "inf", no hex.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chaosd.h"
#include "res.h"

static const struct {
	const char	*name;
	int		 shift;
} size_units[] = {
	{ "", 0 }, { "B", 0 },
	{ "K", 10 }, { "KB", 10 }, { "KiB", 10 },
	{ "M", 20 }, { "MB", 20 }, { "MiB", 20 },
	{ "G", 30 }, { "GB", 30 }, { "GiB", 30 },
	{ "T", 40 }, { "TB", 40 }, { "TiB", 40 },
};

/* DIGITS[.DIGITS] at s: the integer part, the fraction in 1e-9 units. */
static const char *
scan_number(const char *s, uint64_t *ipart, uint64_t *nano, int *big)
{
	uint64_t	scale = 100000000;
	const char	*p = s;

	*ipart = *nano = 0;
	*big = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*ipart > (UINT64_MAX - 9) / 10)
			*big = 1;
		else
			*ipart = *ipart * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			*nano += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
	}
	return (p == s ? NULL : p);
}

int
parse_size(const char *s, uint64_t max, uint64_t *out, char *err,
    size_t errlen)
{
	const char	*u;
	uint64_t	 ip, nano, v;
	size_t		 i;
	int		 big, shift = -1;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return (-1);
	}
	if ((u = scan_number(s, &ip, &nano, &big)) == NULL) {
		value_error(err, errlen, s, "is not a size (512M, 2G, 4096)");
		return (-1);
	}
	for (i = 0; i < sizeof size_units / sizeof size_units[0]; i++)
		if (strcasecmp(u, size_units[i].name) == 0)
			shift = size_units[i].shift;
	if (shift < 0) {
		value_error(err, errlen, s, "has an unknown unit (K, M, G, T: "
		    "powers of 1024)");
		return (-1);
	}
	if (big || (shift > 0 && ip > (UINT64_MAX >> shift))) {
		value_error(err, errlen, s, "is too large");
		return (-1);
	}
	v = (ip << shift) + (uint64_t)((double)nano / 1e9 *
	    (double)(1ull << shift));
	if (v > max) {
		char m[32];

		format_size(max, m, sizeof m);
		value_error(err, errlen, s, "is too large (at most %s)", m);
		return (-1);
	}
	if (v == 0) {
		value_error(err, errlen, s, "is no size (1 byte or more)");
		return (-1);
	}
	*out = v;
	return (0);
}

int
parse_percent(const char *s, double max, double *out, char *err,
    size_t errlen)
{
	const char	*u;
	uint64_t	 ip, nano;
	double		 v;
	int		 big;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return (-1);
	}
	if ((u = scan_number(s, &ip, &nano, &big)) == NULL || big ||
	    (*u != '\0' && strcmp(u, "%") != 0)) {
		value_error(err, errlen, s, "is not a percentage (50%%, 0.5)");
		return (-1);
	}
	v = (double)ip + (double)nano / 1e9;
	if (*u == '%')
		v /= 100;
	if (v <= 0 || v > max + 1e-12) {
		value_error(err, errlen, s, "is out of range (above 0%%, at "
		    "most %g%%)", max * 100);
		return (-1);
	}
	*out = v;
	return (0);
}

/* "512 MiB", "1.5 GiB", "4096 B": for people, three digits at most. */
void
format_size(uint64_t v, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	double	d = (double)v;
	int	i = 0;

	while (d >= 1024 && i < 6) {
		d /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)v);
	else if (d < 10 && d != (double)(uint64_t)d)
		snprintf(buf, len, "%.2f %s", d, unit[i]);
	else if (d < 100 && d != (double)(uint64_t)d)
		snprintf(buf, len, "%.1f %s", d, unit[i]);
	else
		snprintf(buf, len, "%.0f %s", d, unit[i]);
}
