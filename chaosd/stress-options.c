/*
 * stress-options.c: what a stressor is made of, as one table of options:
 * `chaosd stress memory 2G --ramp 10s` and `[stress.NAME] memory = 2G,
 * ramp = 10s` go through the same setters (the command line's first
 * operand is the stressor's own key), and stress_spec_check() decides
 * for both.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"

#define SS(spec) ((struct stress_spec *)(spec))
#define WORKERS_MAX	1024

static const char *const type_names[] = { "", "memory", "cpu", "fill",
    "io" };

const char *
stress_type_name(enum stress_type t)
{
	return (type_names[t]);
}

void
stress_spec_init(struct stress_spec *s)
{
	memset(s, 0, sizeof *s);
}

static int
set_type(struct stress_spec *s, enum stress_type t, char *err, size_t errlen)
{
	if (s->type != ST_NONE) {
		snprintf(err, errlen, "%s = is given already: a stressor is "
		    "one of memory, cpu, fill or io", type_names[s->type]);
		return (-1);
	}
	s->type = t;
	return (0);
}

static int
set_path(struct stress_spec *s, const char *v, char *err, size_t errlen)
{
	if (v[0] != '/') {
		value_error(err, errlen, v, "is not an absolute path");
		return (-1);
	}
	if (strlen(v) >= sizeof s->path - 64) {
		value_error(err, errlen, v, "is too long");
		return (-1);
	}
	snprintf(s->path, sizeof s->path, "%s", v);
	return (0);
}

static int
o_memory(void *s, const char *v, char *err, size_t errlen)
{
	if (set_type(s, ST_MEMORY, err, errlen) != 0)
		return (-1);
	if (strchr(v, '%') != NULL) {
		SS(s)->is_frac = 1;
		return (parse_percent(v, 1, &SS(s)->frac, err, errlen));
	}
	return (parse_size(v, UINT64_MAX / 2, &SS(s)->bytes, err, errlen));
}

static int
o_cpu(void *s, const char *v, char *err, size_t errlen)
{
	if (set_type(s, ST_CPU, err, errlen) != 0)
		return (-1);
	return (parse_percent(v, 1, &SS(s)->frac, err, errlen));
}

static int
o_fill(void *s, const char *v, char *err, size_t errlen)
{
	if (set_type(s, ST_FILL, err, errlen) != 0)
		return (-1);
	return (set_path(s, v, err, errlen));
}

static int
o_io(void *s, const char *v, char *err, size_t errlen)
{
	if (set_type(s, ST_IO, err, errlen) != 0)
		return (-1);
	return (set_path(s, v, err, errlen));
}

static int
o_workers(void *s, const char *v, char *err, size_t errlen)
{
	uint64_t	n;
	char		why[RULE_ERR_MAX];

	if (parse_uint(v, WORKERS_MAX, &n, why, sizeof why) != 0 || n == 0) {
		value_error(err, errlen, v, "is not a worker count (1 to %d)",
		    WORKERS_MAX);
		return (-1);
	}
	SS(s)->workers = (uint32_t)n;
	return (0);
}

static int
o_ramp(void *s, const char *v, char *err, size_t errlen)
{
	return (parse_duration(v, &SS(s)->ramp_ns, err, errlen));
}

static int
o_oom(void *s, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "stressor") == 0)
		SS(s)->oom_target = 0;
	else if (strcmp(v, "target") == 0)
		SS(s)->oom_target = 1;
	else {
		value_error(err, errlen, v, "is not who the OOM killer takes "
		    "first (stressor or target)");
		return (-1);
	}
	SS(s)->has_oom = 1;
	return (0);
}

static int
o_size(void *s, const char *v, char *err, size_t errlen)
{
	SS(s)->has_size = 1;
	return (parse_size(v, UINT64_MAX / 2, &SS(s)->bytes, err, errlen));
}

static int
o_free(void *s, const char *v, char *err, size_t errlen)
{
	SS(s)->has_free = 1;
	return (parse_percent(v, 1, &SS(s)->frac, err, errlen));
}

static int
o_io_mode(void *s, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "write") == 0)
		SS(s)->io_mode = IO_WRITE;
	else if (strcmp(v, "read") == 0)
		SS(s)->io_mode = IO_READ;
	else if (strcmp(v, "fsync") == 0)
		SS(s)->io_mode = IO_FSYNC;
	else {
		value_error(err, errlen, v, "is not an I/O mode (write, read "
		    "or fsync)");
		return (-1);
	}
	SS(s)->has_io_mode = 1;
	return (0);
}

static int
o_force(void *s, const char *v, char *err, size_t errlen)
{
	return (parse_bool(v, &SS(s)->force, err, errlen));
}

#define WHAT	"Stressors (on the command line: the first operand)"
#define HOW	"How"

const struct kind_option stress_options[] = {
	{ "memory", "SIZE|P%", o_memory, "hold SIZE (512M, 2G) or P% of "
	    "MemAvailable (or of the cgroup's limit) resident", WHAT,
	    KO_SCENARIO },
	{ "cpu", "P%", o_cpu, "load each worker's CPU to P%", WHAT,
	    KO_SCENARIO },
	{ "fill", "PATH", o_fill, "fill a file system: a new file PATH (or "
	    "one in the directory PATH)", WHAT, KO_SCENARIO },
	{ "io", "DIR", o_io, "I/O load on the file system of DIR", WHAT,
	    KO_SCENARIO },
	{ "workers", "N", o_workers, "cpu: how many (default: every CPU); "
	    "io: how many (default 1)", HOW, 0 },
	{ "ramp", "D", o_ramp, "memory: grow to the size over D (the spike "
	    "as a slope)", HOW, 0 },
	{ "oom", "stressor|target", o_oom, "memory: whom the OOM killer "
	    "takes first (default the stressor)", HOW, 0 },
	{ "size", "SIZE", o_size, "fill: how much; io: each worker's file "
	    "(default 64M)", HOW, 0 },
	{ "free", "P%", o_free, "fill: leave P% of the file system free",
	    HOW, 0 },
	{ "io_mode", "write|read|fsync", o_io_mode, "io: what each worker "
	    "does (default write)", HOW, 0 },
	{ "force", NULL, o_force, "fill past the safety margin, hold memory "
	    "past MemAvailable", HOW, 0 },
	TARGET_ROWS_SERVICE,
	TARGET_ROWS_PID,
	TARGET_ROWS_CGROUP,
	{ NULL, NULL, NULL, NULL, NULL, 0 }
};

/* What must hold once every option is read: stress's and validate's. */
int
stress_spec_check(const struct stress_spec *s, char *err, size_t errlen)
{
	const char *t = type_names[s->type];

	if (s->type == ST_NONE) {
		snprintf(err, errlen, "no stressor given: one of memory, cpu, "
		    "fill or io");
		return (-1);
	}
	if (target_check(&s->tg, s->type == ST_FILL ? 0 : TGM(TG_SERVICE) |
	    TGM(TG_PID) | TGM(TG_CGROUP) | TGM(TG_UNIT), 0, err, errlen) != 0) {
		if (s->type == ST_FILL)
			snprintf(err, errlen, "fill makes a file, not a "
			    "process: it joins no cgroup");
		return (-1);
	}
	if (s->workers != 0 && s->type != ST_CPU && s->type != ST_IO) {
		snprintf(err, errlen, "workers goes with cpu or io, not %s", t);
		return (-1);
	}
	if ((s->ramp_ns != 0 || s->has_oom) && s->type != ST_MEMORY) {
		snprintf(err, errlen, "ramp and oom go with memory, not %s", t);
		return (-1);
	}
	if (s->has_size && s->type != ST_FILL && s->type != ST_IO) {
		snprintf(err, errlen, "size goes with fill or io (memory takes "
		    "its size itself: memory = 2G)");
		return (-1);
	}
	if (s->has_free && s->type != ST_FILL) {
		snprintf(err, errlen, "free goes with fill, not %s", t);
		return (-1);
	}
	if (s->has_io_mode && s->type != ST_IO) {
		snprintf(err, errlen, "io_mode goes with io, not %s", t);
		return (-1);
	}
	if (s->force && s->type != ST_FILL && s->type != ST_MEMORY) {
		snprintf(err, errlen, "force goes with fill or memory, not %s",
		    t);
		return (-1);
	}
	if (s->type == ST_FILL && s->has_size == s->has_free) {
		snprintf(err, errlen, "fill needs one of size (how much) or "
		    "free (how much to leave)");
		return (-1);
	}
	return (0);
}

/* "memory 2.00 GiB, ramp 10s, in service api's cgroups" */
void
stress_spec_describe(const struct stress_spec *s, char *buf, size_t len)
{
	char	v[64], d[32], who[PATH_MAX + 32];
	size_t	n;

	switch (s->type) {
	case ST_MEMORY:
		if (s->is_frac)
			snprintf(v, sizeof v, "%g%% of %s", s->frac * 100,
			    s->tg.type != TG_NONE ? "its cgroup's limit (or "
			    "MemAvailable)" : "MemAvailable");
		else
			format_size(s->bytes, v, sizeof v);
		snprintf(buf, len, "memory %s resident", v);
		break;
	case ST_CPU:
		snprintf(buf, len, "cpu %g%% on %u worker%s", s->frac * 100,
		    s->workers, s->workers == 1 ? "" : "s");
		if (s->workers == 0)
			snprintf(buf, len, "cpu %g%% on every CPU", s->frac *
			    100);
		break;
	case ST_FILL:
		if (s->has_size)
			format_size(s->bytes, v, sizeof v);
		else
			snprintf(v, sizeof v, "leaving %g%% free", s->frac *
			    100);
		snprintf(buf, len, "fill %.300s, %s", s->path, v);
		break;
	case ST_IO:
		snprintf(buf, len, "io %s on %.300s, %u worker%s",
		    s->io_mode == IO_READ ? "read" : s->io_mode == IO_FSYNC ?
		    "fsync" : "write", s->path, s->workers ? s->workers : 1,
		    s->workers > 1 ? "s" : "");
		break;
	default:
		snprintf(buf, len, "nothing");
		return;
	}
	n = strlen(buf);
	if (s->ramp_ns != 0) {
		format_duration(s->ramp_ns, d, sizeof d);
		snprintf(buf + n, len - n, ", ramp %s", d);
		n = strlen(buf);
	}
	if (s->oom_target)
		snprintf(buf + n, len - n, ", OOM killer takes the target");
	n = strlen(buf);
	if (s->tg.type != TG_NONE)
		snprintf(buf + n, len - n, ", in the cgroups of %.300s",
		    target_describe(&s->tg, who, sizeof who));
}
