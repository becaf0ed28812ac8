/*
 * trigger.c: when a rule's matching call fires.
 *
 * The m-th matching call fires if it comes after the first after=
 * matches, is an nth= one of those, and a draw falls below the
 * probability; count= then caps the injections (its counter is the
 * caller's: atomic in the shim, a thread's own in the supervisor). The
 * shim calls this from its hooks: no allocation, no locks, no libc.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>

#include "chaos.h"

int
trigger_set_probability(double *out, const char *v, char *err,
    size_t errlen)
{
	return parse_fraction(v, out, err, errlen);
}

/* A call count (nth=, after=, count=) of at least min. */
int
trigger_set_count(uint64_t *out, const char *v, uint64_t min, char *err,
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

/* Fire when a 64-bit draw is below p * 2^64 (which must fit). */
uint64_t
trigger_threshold(double p)
{
	if (p * 18446744073709551616.0 >= 18446744073709551615.0)
		return UINT64_MAX;
	return (uint64_t)(p * 18446744073709551616.0);
}

/* Does the m-th matching call pass after=, nth= and the probability? */
int
trigger_due(uint64_t m, uint64_t after, uint64_t nth, uint64_t threshold,
    struct prng *(*prng)(void *), void *arg)
{
	if (m <= after)
		return 0;
	if (nth > 1 && (m - after) % nth != 0)
		return 0;
	if (threshold != UINT64_MAX && (threshold == 0 ||
	    prng_next(prng(arg)) >= threshold))
		return 0;
	return 1;
}

/* A delay uniform in delay +- jitter (never below 0), from a 64-bit draw. */
uint64_t
trigger_jitter(uint64_t d, uint64_t j, uint64_t draw)
{
	uint64_t off;

	if (j == 0)
		return d;
	off = draw % (2 * j + 1);
	if (d + off < j)
		return 0;
	return d + off - j;
}
