/*
 * limit-options.c: what a [limit.NAME] section is made of: its keys, in
 * one table (kind.h), the whole-section checks, and its one line in the
 * timeline. kind-limit.c applies it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"

const char *const limit_io_keys[LIO_N] = { "rbps", "wbps", "riops",
    "wiops" };

#define LS(spec) ((struct limit_spec *)(spec))

static int
o_cpu(void *s, const char *v, char *err, size_t errlen)
{
	return (parse_percent(v, 100, &LS(s)->cpu, err, errlen));
}

static int
o_memory_high(void *s, const char *v, char *err, size_t errlen)
{
	return (parse_size(v, UINT64_MAX / 2, &LS(s)->memory_high, err,
	    errlen));
}

static int
set_io(void *s, int k, int bytes, const char *v, char *err, size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (bytes) {
		if (parse_size(v, UINT64_MAX / 2, &LS(s)->io[k], err,
		    errlen) != 0)
			return (-1);
	} else if (parse_uint(v, UINT32_MAX, &LS(s)->io[k], why,
	    sizeof why) != 0 || LS(s)->io[k] == 0) {
		value_error(err, errlen, v, "is not a count of operations per "
		    "second (1 or more)");
		return (-1);
	}
	LS(s)->io_set |= 1u << k;
	return (0);
}

static int
o_io_read_bps(void *s, const char *v, char *err, size_t errlen)
{
	return (set_io(s, LIO_RBPS, 1, v, err, errlen));
}

static int
o_io_write_bps(void *s, const char *v, char *err, size_t errlen)
{
	return (set_io(s, LIO_WBPS, 1, v, err, errlen));
}

static int
o_io_read_iops(void *s, const char *v, char *err, size_t errlen)
{
	return (set_io(s, LIO_RIOPS, 0, v, err, errlen));
}

static int
o_io_write_iops(void *s, const char *v, char *err, size_t errlen)
{
	return (set_io(s, LIO_WIOPS, 0, v, err, errlen));
}

static int
o_path(void *s, const char *v, char *err, size_t errlen)
{
	if (v[0] != '/' || strlen(v) >= sizeof LS(s)->path) {
		value_error(err, errlen, v, "is not an absolute path");
		return (-1);
	}
	snprintf(LS(s)->path, sizeof LS(s)->path, "%s", v);
	return (0);
}

#define LIMITS	"Limits (cgroup v2)"

const struct kind_option limit_options[] = {
	{ "cpu", "P%", o_cpu, "cpu.max: P% of one CPU (150%: one and a half)",
	    LIMITS, 0 },
	{ "memory_high", "SIZE", o_memory_high, "memory.high: reclaim and "
	    "throttle above SIZE (no OOM kill)", LIMITS, 0 },
	{ "io_read_bps", "SIZE", o_io_read_bps, "io.max rbps: bytes read per "
	    "second (1M)", LIMITS, 0 },
	{ "io_write_bps", "SIZE", o_io_write_bps, "io.max wbps: bytes "
	    "written per second", LIMITS, 0 },
	{ "io_read_iops", "N", o_io_read_iops, "io.max riops: reads per "
	    "second", LIMITS, 0 },
	{ "io_write_iops", "N", o_io_write_iops, "io.max wiops: writes per "
	    "second", LIMITS, 0 },
	{ "path", "PATH", o_path, "io limits: on the disk holding PATH",
	    LIMITS, 0 },
	TARGET_ROWS_SERVICE,
	TARGET_ROWS_CGROUP,
	{ NULL, NULL, NULL, NULL, NULL, 0 }
};

int
limit_spec_check(const struct limit_spec *s, char *err, size_t errlen)
{

	if (target_check(&s->tg, TGM(TG_SERVICE) | TGM(TG_CGROUP) |
	    TGM(TG_UNIT), 1, err, errlen) != 0)
		return (-1);
	if (s->cpu == 0 && s->memory_high == 0 && s->io_set == 0) {
		snprintf(err, errlen, "no limit given: cpu, memory_high, or an "
		    "io_* with path");
		return (-1);
	}
	if ((s->io_set != 0) != (s->path[0] != '\0')) {
		snprintf(err, errlen, s->io_set ? "io limits need path = (the "
		    "disk holding it)" : "path goes with the io_* limits");
		return (-1);
	}
	return (0);
}

void
limit_spec_describe(const struct limit_spec *s, char *buf, size_t len)
{
	char	who[PATH_MAX + 32], v[32];
	size_t	n;
	int	k;

	snprintf(buf, len, "limits on %.300s:", target_describe(&s->tg, who,
	    sizeof who));
	if (s->cpu != 0) {
		n = strlen(buf);
		snprintf(buf + n, len - n, " cpu %g%%", s->cpu * 100);
	}
	if (s->memory_high != 0) {
		format_size(s->memory_high, v, sizeof v);
		n = strlen(buf);
		snprintf(buf + n, len - n, " memory.high %s", v);
	}
	for (k = 0; k < LIO_N; k++) {
		if (!(s->io_set & (1u << k)))
			continue;
		n = strlen(buf);
		snprintf(buf + n, len - n, " %s=%llu", limit_io_keys[k],
		    (unsigned long long)s->io[k]);
	}
	if (s->io_set != 0) {
		n = strlen(buf);
		snprintf(buf + n, len - n, " on the disk of %.200s", s->path);
	}
}
