/*
 * units.c: durations ("300ms", "1.5s", "1m30s"), fractions ("0.05",
 * "5%"), integers and booleans.
 *
 * Numbers are read by hand, never with strtod(3): the shim runs inside
 * programs that may have called setlocale(), where strtod would want a
 * decimal comma, and it would also take "nan", "inf", hex floats and
 * leading blanks, none of which belong in a rule.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "chaos.h"

struct decimal {
	uint64_t	 ipart;		/* saturates; big is set then */
	int		 big;
	uint64_t	 frac;		/* the first 18 fractional digits */
	uint64_t	 fscale;	/* 10^(digits in frac) */
	int		 nonzero;	/* some digit is not 0 */
	const char	*end;
};

/* About 100 years: longer durations are surely mistakes. */
#define DURATION_MAX_S	(100ULL * 365 * 24 * 3600)
#define DURATION_MAX	(DURATION_MAX_S * 1000000000ULL)

/* Fractions are kept on a grid of 10^-12, so they format back exactly. */
#define FRAC_DIGITS	12
#define FRAC_ONE	UINT64_C(1000000000000)

static const struct {
	const char	*name;
	uint64_t	 ns;
} units[] = {
	{ "ns", 1ULL },
	{ "us", 1000ULL },
	{ "\xc2\xb5s", 1000ULL },	/* µs */
	{ "ms", 1000000ULL },
	{ "s",  1000000000ULL },
	{ "m",  60ULL * 1000000000ULL },
	{ "h",  3600ULL * 1000000000ULL },
};

#define UNIT_LIST "ns, us, ms, s, m, h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Read "DIGITS", "DIGITS.DIGITS" or ".DIGITS" at s. The integer part
 * saturates (d->big is set); fractional digits past 18 are dropped.
 * Returns 0, or -1 when there is no number at s.
 */
static int
scan_decimal(const char *s, struct decimal *d)
{
	const char *p = s;
	int	 digits = 0;

	memset(d, 0, sizeof *d);
	d->fscale = 1;
	for (; is_digit(*p); p++, digits++) {
		unsigned v = (unsigned)(*p - '0');

		if (d->ipart > (UINT64_MAX - v) / 10)
			d->big = 1;
		else
			d->ipart = d->ipart * 10 + v;
		if (*p != '0')
			d->nonzero = 1;
	}
	if (*p == '.') {
		int	 f = 0;

		if (!is_digit(p[1]))
			return -1;	/* "5." or "." */
		for (p++; is_digit(*p); p++, f++) {
			if (f < 18) {
				d->frac = d->frac * 10 + (unsigned)(*p - '0');
				d->fscale *= 10;
			}
			if (*p != '0')
				d->nonzero = 1;
		}
		digits += f;
	}
	if (digits == 0)
		return -1;
	d->end = p;
	return 0;
}

/*
 * d as a fixed-point integer with `digits` decimals (rounded half up),
 * or -1 when that does not fit in 64 bits.
 */
static int
decimal_fixed(const struct decimal *d, int digits, uint64_t *out)
{
	unsigned __int128 scale = 1, v, f;
	int	 i;

	if (d->big)
		return -1;
	for (i = 0; i < digits; i++)
		scale *= 10;
	v = (unsigned __int128)d->ipart * scale;
	f = ((unsigned __int128)d->frac * scale * 2 + d->fscale) /
	    ((unsigned __int128)d->fscale * 2);
	v += f;
	if (v > UINT64_MAX)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int
parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	unsigned __int128 total = 0;
	const char *p = s;

	if (*s == '\0') {
		snprintf(err, errlen, "empty duration");
		return -1;
	}
	if (*s == '-') {
		value_error(err, errlen, s, "is negative");
		return -1;
	}
	do {
		struct decimal	 d;
		char		 unit[8];
		size_t		 n = 0, i;
		uint64_t	 mult = 0;

		if (scan_decimal(p, &d) != 0) {
			if (p == s)
				value_error(err, errlen, s, "is not a duration "
				    "(a number and a unit: 300ms, 1.5s, 2m)");
			else
				value_error(err, errlen, s, "has unexpected "
				    "text after the unit");
			return -1;
		}
		p = d.end;
		if (*p == '\0') {
			value_error(err, errlen, s, "has no unit (" UNIT_LIST
			    ")");
			return -1;
		}
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (unsigned char)*p >= 0x80) {
			if (n < sizeof unit - 1)
				unit[n] = *p;
			n++;
			p++;
		}
		if (n == 0 || n >= sizeof unit) {
			value_error(err, errlen, s, n == 0 ?
			    "has no unit (" UNIT_LIST ")" :
			    "has an unknown unit (" UNIT_LIST ")");
			return -1;
		}
		unit[n] = '\0';
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (strcmp(units[i].name, unit) == 0)
				mult = units[i].ns;
		}
		if (mult == 0) {
			char	 esc[40];

			str_escape(esc, sizeof esc, unit);
			value_error(err, errlen, s, "has an unknown unit '%s' "
			    "(" UNIT_LIST ")", esc);
			return -1;
		}
		if (d.big || d.ipart > DURATION_MAX) {
			value_error(err, errlen, s, "is too long (at most 100 "
			    "years)");
			return -1;
		}
		total += (unsigned __int128)d.ipart * mult;
		total += (unsigned __int128)d.frac * mult / d.fscale;
		if (total > DURATION_MAX) {
			value_error(err, errlen, s, "is too long (at most 100 "
			    "years)");
			return -1;
		}
	} while (*p != '\0');
	*ns = (uint64_t)total;
	return 0;
}

/* ns in the largest unit that holds it exactly: "300ms", "90s", "2h". */
int
format_duration(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		const char	*name;
		uint64_t	 ns;
	} order[] = {
		{ "h", 3600ULL * 1000000000ULL },
		{ "m", 60ULL * 1000000000ULL },
		{ "s", 1000000000ULL },
		{ "ms", 1000000ULL },
		{ "us", 1000ULL },
		{ "ns", 1ULL },
	};
	size_t	 i;
	int	 n;

	if (ns == 0)
		n = snprintf(buf, len, "0s");
	else {
		for (i = 0; i < sizeof order / sizeof order[0] - 1; i++) {
			if (ns % order[i].ns == 0)
				break;
		}
		n = snprintf(buf, len, "%" PRIu64 "%s", ns / order[i].ns,
		    order[i].name);
	}
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

#define FRACTION_RANGE "(0..1, or 0%%..100%%)"

int
parse_fraction(const char *s, double *out, char *err, size_t errlen)
{
	struct decimal	 d;
	uint64_t	 k;
	int		 pct;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (*s == '-' && scan_decimal(s + 1, &d) == 0) {
		value_error(err, errlen, s, "is out of range " FRACTION_RANGE);
		return -1;
	}
	if (scan_decimal(s, &d) != 0 ||
	    (d.end[0] != '\0' && !(d.end[0] == '%' && d.end[1] == '\0'))) {
		value_error(err, errlen, s, "is not a number "
		    FRACTION_RANGE);
		return -1;
	}
	pct = d.end[0] == '%';
	if (decimal_fixed(&d, pct ? FRAC_DIGITS - 2 : FRAC_DIGITS, &k) != 0 ||
	    k > FRAC_ONE || d.ipart > (pct ? 100u : 1u) ||
	    (d.ipart == (pct ? 100u : 1u) && d.frac != 0)) {
		value_error(err, errlen, s, "is out of range " FRACTION_RANGE);
		return -1;
	}
	if (k == 0 && d.nonzero) {
		value_error(err, errlen, s, "is too small (the finest step is "
		    "0.000000000001)");
		return -1;
	}
	*out = (double)k / (double)FRAC_ONE;
	return 0;
}

/* The fraction f (0..1) in the shortest decimal parse_fraction reads back. */
int
format_fraction(double f, char *buf, size_t len)
{
	uint64_t k;
	char	 digits[FRAC_DIGITS + 1];
	int	 i, n;

	if (!(f >= 0))
		f = 0;
	if (f > 1)
		f = 1;
	k = (uint64_t)(f * (double)FRAC_ONE + 0.5);
	if (k % FRAC_ONE == 0)
		n = snprintf(buf, len, "%" PRIu64, k / FRAC_ONE);
	else {
		snprintf(digits, sizeof digits, "%0*" PRIu64, FRAC_DIGITS,
		    k % FRAC_ONE);
		for (i = FRAC_DIGITS - 1; i > 0 && digits[i] == '0'; i--)
			digits[i] = '\0';
		n = snprintf(buf, len, "%" PRIu64 ".%s", k / FRAC_ONE, digits);
	}
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

static int
scan_uint(const char *s, uint64_t *out, int *big)
{
	uint64_t v = 0;

	*big = 0;
	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			*big = 1;
		else
			v = v * 10 + d;
	}
	if (*s != '\0')
		return -1;
	*out = v;
	return 0;
}

int
parse_uint(const char *s, uint64_t max, uint64_t *out, char *err,
    size_t errlen)
{
	uint64_t v;
	int	 big;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (*s == '-' && scan_uint(s + 1, &v, &big) == 0) {
		value_error(err, errlen, s, "is out of range (0..%" PRIu64 ")",
		    max);
		return -1;
	}
	if (scan_uint(s, &v, &big) != 0) {
		value_error(err, errlen, s, "is not a whole number");
		return -1;
	}
	if (big || v > max) {
		value_error(err, errlen, s, "is out of range (0..%" PRIu64 ")",
		    max);
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_int(const char *s, long long min, long long max, long long *out,
    char *err, size_t errlen)
{
	const char *p = s;
	uint64_t mag;
	int	 neg = 0, big;
	long long v;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (scan_uint(p, &mag, &big) != 0) {
		value_error(err, errlen, s, "is not a whole number");
		return -1;
	}
	if (big || (!neg && mag > (uint64_t)INT64_MAX) ||
	    (neg && mag > (uint64_t)INT64_MAX + 1))
		goto range;
	if (neg)
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(long long)mag;
	else
		v = (long long)mag;
	if (v < min || v > max)
		goto range;
	*out = v;
	return 0;
range:
	value_error(err, errlen, s, "is out of range (%lld..%lld)", min, max);
	return -1;
}

int
parse_bool(const char *s, int *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	if (*s == '\0')
		snprintf(err, errlen, "empty value");
	else
		value_error(err, errlen, s, "is not a boolean (yes/no, "
		    "true/false, on/off, 1/0)");
	return -1;
}
