/*
 * kind-limit.c: [limit.NAME], pressure on one service through the
 * kernel's own controls, cgroup v2's cpu.max, memory.high and io.max,
 * which reach static and Go programs too.
 *
 *	[limit.slow]
 *	service = api		; or cgroup = PATH, unit = UNIT
 *	cpu = 20%		; cpu.max: 20% of one CPU (150%: 1.5 CPUs)
 *	memory_high = 256M	; memory.high: reclaim and throttling, no OOM
 *	path = /var/lib/api	; io.max on the disk holding it:
 *	io_write_bps = 1M	;   io_read_bps, io_write_bps (bytes/s),
 *	io_read_iops = 100	;   io_read_iops, io_write_iops
 *
 * At the window's start the service's v2 cgroup is found (a service that
 * is down is waited for at each tick); a cgroup holding chaosd itself is
 * refused (its limit would slow chaosd down: start the service in a
 * cgroup of its own). Each file is journaled with its old value before
 * it is written (one entry per file, bound to this chaosd and expiring
 * at the window's end), then read back. At the end, and by the guardian,
 * recover and abort, the old value is written again, to that same
 * cgroup only (its inode). cgroup v1 has none of these files: the run is
 * refused before anything starts. The proof: the value the kernel read
 * back, and what it did with it: cpu.stat's throttling, memory.events'
 * high, io.stat's bytes. Its keys are limit-options.c's.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"
#include "run.h"

enum { LF_CPU, LF_MEM, LF_IO, LF_N };
static const char *const lf_file[LF_N] = { "cpu.max", "memory.high",
    "io.max" };
static const char *const lf_controller[LF_N] = { "cpu", "memory", "io" };


struct limit_run {
	char		 dir[PATH_MAX];
	int		 applied;
	int		 procs;		/* processes in it, at most */
	struct jentry	*j[LF_N];
	char		 newv[LF_N][160];
	char		 oldv[LF_N][160];
	uint64_t	 before[LF_N], after[LF_N];	/* kernel's counts */
	unsigned	 dev_major, dev_minor;
	char		 last[256];
};

#define SPEC(f) ((struct limit_spec *)(f)->spec)

static int
limit_check(struct sc_fault *f, char *err, size_t errlen)
{
	return (limit_spec_check(SPEC(f), err, errlen));
}

static void
limit_describe(const struct sc_fault *f, char *buf, size_t len)
{
	limit_spec_describe(SPEC(f), buf, len);
}

/* ---- the machine ------------------------------------------------ */

static int
wants(const struct limit_spec *s, int lf)
{
	return (lf == LF_CPU ? s->cpu != 0 : lf == LF_MEM ?
	    s->memory_high != 0 : s->io_set != 0);
}

/* Can this machine set the file of lf at all? 0, or -1 with why. */
static int
controller_ok(int lf, char *why, size_t len)
{
	char	root[PATH_MAX], v1[PATH_MAX];

	if (cgroup_v2_root(root, sizeof root) != 0) {
		snprintf(why, len, "%s needs cgroup v2, and this machine "
		    "mounts only cgroup v1 (boot with "
		    "systemd.unified_cgroup_hierarchy=1)", lf_file[lf]);
		return (-1);
	}
	if (cgroup_has_controller(root, lf_controller[lf]))
		return (0);
	if (cgroup_v1_root(lf_file[lf][0] == 'i' ? "blkio" :
	    lf_controller[lf], v1, sizeof v1) == 0)
		snprintf(why, len, "%s needs cgroup v2's %s controller, which "
		    "this machine has on a cgroup v1 hierarchy (%s); cgroup "
		    "v2 (%s) lacks it", lf_file[lf], lf_controller[lf], v1,
		    root);
	else
		snprintf(why, len, "%s needs cgroup v2's %s controller, which "
		    "%s does not offer (its cgroup.controllers)", lf_file[lf],
		    lf_controller[lf], root);
	return (-1);
}

/* A v2 cgroup that does not hold chaosd: 0, or -1 with err. */
static int
dir_ok(const char *dir, char *err, size_t errlen)
{
	char	mine[PATH_MAX], root[PATH_MAX] = "";
	size_t	n = strlen(dir);

	if (cgroup_version(dir) != CG_V2) {
		snprintf(err, errlen, "%s is not a cgroup v2 directory: limits "
		    "need cgroup v2", dir);
		return (-1);
	}
	cgroup_v2_root(root, sizeof root);
	if (strcmp(root, dir) == 0 || (cgroup_of_pid(getpid(), NULL, mine,
	    sizeof mine) == 0 && strncmp(mine, dir, n) == 0 &&
	    (mine[n] == '/' || mine[n] == '\0'))) {
		snprintf(err, errlen, "%s holds chaosd itself: a limit on it "
		    "would slow chaosd down too (start the service in a cgroup "
		    "of its own)", dir);
		return (-1);
	}
	return (0);
}

static int
limit_preflight(struct run *r, int i, char *why, size_t len)
{
	const struct limit_spec *s = SPEC(&r->sc->faults[i]);
	char		dir[PATH_MAX];
	unsigned	maj, min;
	int		lf;

	for (lf = 0; lf < LF_N; lf++)
		if (wants(s, lf) && controller_ok(lf, why, len) != 0)
			return (-1);
	if (s->io_set != 0 && block_device(s->path, &maj, &min, why,
	    len) != 0)
		return (-1);
	if (s->tg.type == TG_CGROUP || s->tg.type == TG_UNIT)
		return ((s->tg.type == TG_CGROUP ? cgroup_resolve(s->tg.text,
		    dir, sizeof dir, why, len) : cgroup_unit_dir(s->tg.text,
		    dir, sizeof dir, why, len)) != 0 ? -1 : dir_ok(dir, why,
		    len));
	return (0);
}

/* "KEY=V" of a device's io.max or io.stat line, or -1 ("max": -2). */
static long long
io_field(const char *text, unsigned maj, unsigned min, const char *key)
{
	char	dev[32], *p, *line;
	size_t	n = strlen(key);

	snprintf(dev, sizeof dev, "%u:%u ", maj, min);
	for (line = (char *)(uintptr_t)text; line != NULL && *line != '\0';
	    line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, dev, strlen(dev)) != 0)
			continue;
		for (p = line; (p = strstr(p, key)) != NULL; p += n)
			if (p[-1] == ' ' && p[n] == '=')
				return (strncmp(p + n + 1, "max", 3) == 0 ? -2 :
				    strtoll(p + n + 1, NULL, 10));
		return (-1);
	}
	return (-1);
}

/* What the kernel did with lf so far: throttled periods, "high"
   events, bytes moved. */
static uint64_t
kernel_count(const struct limit_run *lr, int lf)
{
	char		buf[4096];
	uint64_t	v = 0;
	long long	r, w;

	if (lf == LF_CPU)
		cgroup_stat_field(lr->dir, "cpu.stat", "nr_throttled", &v);
	else if (lf == LF_MEM)
		cgroup_stat_field(lr->dir, "memory.events", "high", &v);
	else if (cgroup_read(lr->dir, "io.stat", buf, sizeof buf) == 0) {
		r = io_field(buf, lr->dev_major, lr->dev_minor, "rbytes");
		w = io_field(buf, lr->dev_major, lr->dev_minor, "wbytes");
		v = (uint64_t)(r > 0 ? r : 0) + (uint64_t)(w > 0 ? w : 0);
	}
	return (v);
}

/* The value to write, and the one to restore, for lf. */
static int
values(const struct limit_spec *s, struct limit_run *lr, int lf, char *err,
    size_t errlen)
{
	char		 old[512];
	unsigned long long period = 100000;
	long long	 v;
	size_t		 n;
	int		 k;

	if (cgroup_read(lr->dir, lf_file[lf], old, sizeof old) != 0) {
		snprintf(err, errlen, "%.300s/%s cannot be read", lr->dir,
		    lf_file[lf]);
		return (-1);
	}
	switch (lf) {
	case LF_CPU:
		sscanf(old, "%*s %llu", &period);
		snprintf(lr->newv[lf], sizeof lr->newv[lf], "%llu %llu",
		    (unsigned long long)(s->cpu * (double)period) < 1000 ?
		    1000ull : (unsigned long long)(s->cpu * (double)period),
		    period);
		snprintf(lr->oldv[lf], sizeof lr->oldv[lf], "%.150s", old);
		break;
	case LF_MEM:
		snprintf(lr->newv[lf], sizeof lr->newv[lf], "%llu",
		    (unsigned long long)s->memory_high);
		snprintf(lr->oldv[lf], sizeof lr->oldv[lf], "%.150s", old);
		break;
	case LF_IO:
		snprintf(lr->newv[lf], sizeof lr->newv[lf], "%u:%u",
		    lr->dev_major, lr->dev_minor);
		snprintf(lr->oldv[lf], sizeof lr->oldv[lf], "%u:%u",
		    lr->dev_major, lr->dev_minor);
		for (k = 0; k < LIO_N; k++) {
			v = io_field(old, lr->dev_major, lr->dev_minor,
			    limit_io_keys[k]);
			n = strlen(lr->oldv[lf]);
			if (v >= 0)
				snprintf(lr->oldv[lf] + n, sizeof lr->oldv[lf] -
				    n, " %s=%lld", limit_io_keys[k], v);
			else
				snprintf(lr->oldv[lf] + n, sizeof lr->oldv[lf] -
				    n, " %s=max", limit_io_keys[k]);
			if (!(s->io_set & (1u << k)))
				continue;
			n = strlen(lr->newv[lf]);
			snprintf(lr->newv[lf] + n, sizeof lr->newv[lf] - n,
			    " %s=%llu", limit_io_keys[k],
			    (unsigned long long)s->io[k]);
		}
		break;
	}
	return (0);
}

/* ---- running ---------------------------------------------------- */

/*
 * The cgroup the fault limits now: 1 found (lr->dir), 0 not yet (its
 * service is down), -1 refused (err).
 */
static int
limit_dir(struct run *r, int i, struct limit_run *lr, char *err,
    size_t errlen)
{
	const struct limit_spec *s = SPEC(&r->sc->faults[i]);
	uint64_t	 start;
	pid_t		 group;

	if (s->tg.type == TG_SERVICE) {
		group = target_service_group(r, &s->tg, &start);
		if (group <= 0 || !proc_alive(group, start)) {
			snprintf(lr->last, sizeof lr->last, "service %.64s was "
			    "down", s->tg.text);
			return (0);
		}
		if (cgroup_of_pid(group, NULL, lr->dir, sizeof lr->dir) != 0) {
			snprintf(err, errlen, "service %.64s: its cgroup v2 "
			    "cannot be read", s->tg.text);
			return (-1);
		}
	} else if ((s->tg.type == TG_CGROUP ? cgroup_resolve(s->tg.text,
	    lr->dir, sizeof lr->dir, err, errlen) : cgroup_unit_dir(s->tg.text,
	    lr->dir, sizeof lr->dir, err, errlen)) != 0)
		return (-1);
	return (dir_ok(lr->dir, err, errlen) == 0 ? 1 : -1);
}

/* Does the kernel read back what was written? */
static int
read_back(const struct limit_spec *s, const struct limit_run *lr, int lf)
{
	char		buf[512];
	unsigned long long v;
	int		k;

	if (cgroup_read(lr->dir, lf_file[lf], buf, sizeof buf) != 0)
		return (0);
	if (lf == LF_CPU)
		return (strcmp(buf, lr->newv[lf]) == 0);
	if (lf == LF_MEM)	/* kept in pages */
		return (sscanf(buf, "%llu", &v) == 1 && v <= s->memory_high &&
		    v + 65536 > s->memory_high);
	for (k = 0; k < LIO_N; k++)
		if ((s->io_set & (1u << k)) && io_field(buf, lr->dev_major,
		    lr->dev_minor, limit_io_keys[k]) != (long long)s->io[k])
			return (0);
	return (1);
}

/* Set one file: journaled (its old value) first, then read back. */
static int
set_one(struct run *r, int i, struct limit_run *lr, int lf, char *err,
    size_t errlen)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct jentry	*j;
	uint64_t	 now = run_clock(r->rr), end = fault_end_ns(r->sc, f);
	char		 why[512];
	int		 ret;

	if (values(SPEC(f), lr, lf, err, errlen) != 0)
		return (-1);
	j = xcalloc(1, sizeof *j);
	jentry_init(j, "limit");
	snprintf(j->id, sizeof j->id, "limit-%llu-%s", (unsigned long long)
	    cgroup_ino(lr->dir), lf_file[lf]);
	snprintf(j->what, sizeof j->what, "%s %s on %.300s", lf_file[lf],
	    lr->newv[lf], lr->dir);
	j->bound = 1;
	j->expires_ms = now_ms() + (end > now ? end - now : 0) / NS_PER_MS;
	jentry_set(j, "cgroup", "%s", lr->dir);
	jentry_set(j, "ino", "%llu", (unsigned long long)cgroup_ino(lr->dir));
	jentry_set(j, "file", "%s", lf_file[lf]);
	jentry_set(j, "old", "%s", lr->oldv[lf]);
	jentry_set(j, "new", "%s", lr->newv[lf]);
	if ((ret = journal_write(j, err, errlen)) != 0) {
		if (ret == -EEXIST)
			snprintf(err, errlen, "%s of %.300s is under another "
			    "chaosd limit already", lf_file[lf], lr->dir);
		goto fail;
	}
	if (guardian_ensure() != 0)
		log_warn("cannot start the guardian: %s will not be restored "
		    "by itself if chaosd is killed", lf_file[lf]);
	lr->before[lf] = kernel_count(lr, lf);
	if (cgroup_write(lr->dir, lf_file[lf], lr->newv[lf], err,
	    errlen) != 0) {
		journal_remove(j);
		goto fail;
	}
	if (!read_back(SPEC(f), lr, lf)) {
		cgroup_write(lr->dir, lf_file[lf], lr->oldv[lf], why,
		    sizeof why);
		journal_remove(j);
		snprintf(err, errlen, "%.300s/%s does not read back '%s'",
		    lr->dir, lf_file[lf], lr->newv[lf]);
		goto fail;
	}
	j->state = J_ACTIVE;
	if (journal_write(j, why, sizeof why) != 0)
		log_warn("%s", why);
	lr->j[lf] = j;
	return (0);
fail:
	jentry_free(j);
	free(j);
	return (-1);
}

/* Restore what was set; -1 when one could not be (err says which). */
static int
unset_all(struct limit_run *lr, char *err, size_t errlen)
{
	int	lf, r = 0;

	for (lf = 0; lf < LF_N; lf++) {
		if (lr->j[lf] == NULL)
			continue;
		lr->after[lf] = kernel_count(lr, lf);
		if (journal_revert(lr->j[lf], 1, err, errlen) != 0)
			r = -1;
		jentry_free(lr->j[lf]);
		free(lr->j[lf]);
		lr->j[lf] = NULL;
	}
	return (r);
}

static void
count_procs(struct limit_run *lr)
{
	pid_t	*pids;
	int	 n;

	if (cgroup_pids(lr->dir, &pids, &n) != 0)
		return;
	free(pids);
	if (n > lr->procs)
		lr->procs = n;
}

/* Set the limits, if the cgroup is there now (0 also when not yet). */
static int
limit_try(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	const struct limit_spec *s = SPEC(f);
	struct fault_result *fr = &r->rr->faults[i];
	struct limit_run *lr = fr->state;
	char	err[512], why[512];
	int	lf, k;

	if ((k = limit_dir(r, i, lr, err, sizeof err)) <= 0)
		goto out;
	if (s->io_set != 0 && (k = block_device(s->path, &lr->dev_major,
	    &lr->dev_minor, err, sizeof err)) != 0)
		goto out;
	for (lf = 0; lf < LF_N; lf++) {
		if (!wants(s, lf))
			continue;
		if (!cgroup_has_controller(lr->dir, lf_controller[lf])) {
			snprintf(err, sizeof err, "the %s controller is not "
			    "enabled for %.300s (echo +%s > its parent's "
			    "cgroup.subtree_control)", lf_controller[lf],
			    lr->dir, lf_controller[lf]);
			k = -1;
			break;
		}
		if ((k = set_one(r, i, lr, lf, err, sizeof err)) != 0)
			break;
		run_event(r->rr, "limit.%s: %s %s on %s", f->name, lf_file[lf],
		    lr->newv[lf], lr->dir);
	}
	if (k != 0) {
		unset_all(lr, why, sizeof why);
		goto out;
	}
	lr->applied = 1;
	count_procs(lr);
	return (0);
out:
	if (k < 0) {
		snprintf(fr->message, sizeof fr->message, "%.250s", err);
		return (-1);
	}
	return (0);
}

static int
limit_apply(struct run *r, int i)
{
	r->rr->faults[i].state = xcalloc(1, sizeof(struct limit_run));
	return (limit_try(r, i));
}

static int
limit_poll(struct run *r, int i)
{
	struct limit_run *lr = r->rr->faults[i].state;

	if (!lr->applied)
		return (limit_try(r, i));
	count_procs(lr);
	return (0);
}

static int
limit_revert(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct limit_run *lr = fr->state;
	char	err[512];

	if (lr == NULL || !lr->applied)
		return (0);
	count_procs(lr);
	if (unset_all(lr, err, sizeof err) != 0) {
		snprintf(fr->message, sizeof fr->message, "revert failed: "
		    "%.230s", err);
		return (-1);
	}
	run_event(r->rr, "limit.%s: restored %s", r->sc->faults[i].name,
	    lr->dir);
	return (0);
}

static void
limit_proof(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct limit_run *lr = fr->state;
	static const char *const did[LF_N] = { "throttled, times",
	    "memory.high events", "bytes moved" };
	char	 part[160];
	size_t	 n;
	int	 lf;

	if (!fr->applied || lr == NULL)
		return;
	if (!lr->applied) {
		fr->reached = 0;
		snprintf(fr->reach, sizeof fr->reach, "never set: %.200s",
		    lr->last);
		return;
	}
	fr->reached = lr->procs > 0;
	snprintf(fr->reach, sizeof fr->reach, "on %.100s, read back:",
	    lr->dir);
	for (lf = 0; lf < LF_N; lf++) {
		if (lr->newv[lf][0] == '\0')
			continue;
		snprintf(part, sizeof part, "%s: %llu", did[lf],
		    (unsigned long long)(lr->after[lf] - lr->before[lf]));
		n = strlen(fr->reach);
		snprintf(fr->reach + n, sizeof fr->reach - n, " %s %s (%s);",
		    lf_file[lf], lr->newv[lf], part);
	}
	n = strlen(fr->reach);
	snprintf(fr->reach + n, sizeof fr->reach - n, lr->procs > 0 ?
	    " restored" : " but no process was in it");
}

static void
limit_report_json(const struct run_result *rr, int i, json_t *o)
{
	const struct limit_run *lr = rr->faults[i].state;
	json_t	*set, *old, *kernel;
	int	 lf;

	if (lr == NULL || !lr->applied)
		return;
	set = json_object();
	old = json_object();
	kernel = json_object();
	for (lf = 0; lf < LF_N; lf++) {
		if (lr->newv[lf][0] == '\0')
			continue;
		json_object_set_new(set, lf_file[lf], json_string(
		    lr->newv[lf]));
		json_object_set_new(old, lf_file[lf], json_string(
		    lr->oldv[lf]));
		json_object_set_new(kernel, lf == LF_CPU ? "nr_throttled" :
		    lf == LF_MEM ? "memory_high_events" : "io_bytes",
		    json_integer((json_int_t)(lr->after[lf] -
		    lr->before[lf])));
	}
	json_object_set_new(o, "cgroup", json_string(lr->dir));
	json_object_set_new(o, "set", set);
	json_object_set_new(o, "restored", old);
	json_object_set_new(o, "kernel", kernel);
}

static void
limit_doctor(void (*line)(const char *, int, const char *, const char *))
{
	static const char *const what[LF_N] = { "cpu.max (limit cpu)",
	    "memory.high (limit memory_high)", "io.max (limit io_*)" };
	char	why[512];
	int	lf;

	for (lf = 0; lf < LF_N; lf++) {
		why[0] = '\0';
		if (controller_ok(lf, why, sizeof why) == 0)
			line(what[lf], 1, "cgroup v2", NULL);
		else
			line(what[lf], 0, why, "a cgroup v2 machine with the "
			    "controller enabled (systemd: boot with "
			    "systemd.unified_cgroup_hierarchy=1)");
	}
}

/* doctor SCENARIO: the controller of each file this fault sets, by the
   names doctor gives limit_doctor()'s lines */
static void
limit_needs(const struct sc_fault *f, void (*need)(void *, const char *),
    void *arg)
{
	static const char *const key[LF_N] = { "limit_cpu_max",
	    "limit_memory_high", "limit_io_max" };
	int	lf;

	for (lf = 0; lf < LF_N; lf++)
		if (wants(SPEC(f), lf))
			need(arg, key[lf]);
}

/* ---- the journal type ------------------------------------------- */

/* Write the old value back, into the same cgroup only. */
static int
limit_journal_revert(struct jentry *j, char *err, size_t errlen)
{
	const char	*dir = jentry_get(j, "cgroup");
	const char	*file = jentry_get(j, "file");
	const char	*old = jentry_get(j, "old");
	uint64_t	 ino = jentry_get_u64(j, "ino", 0);

	if (dir == NULL || file == NULL || old == NULL)
		return (0);
	if (cgroup_ino(dir) == 0 || (ino != 0 && cgroup_ino(dir) != ino)) {
		log_info("%s: %s is gone: nothing to restore", j->id, dir);
		return (0);
	}
	if (cgroup_write(dir, file, old, err, errlen) != 0)
		return (-1);
	return (0);
}

const struct journal_type journal_limit = {
	.name = "limit",
	.revert = limit_journal_revert,
};

const struct fault_kind kind_limit = {
	.name = "limit",
	.summary = "cgroup v2 cpu.max, memory.high and io.max on a service",
	.options = limit_options,
	.spec_size = sizeof(struct limit_spec),
	.check = limit_check,
	.describe = limit_describe,
	.check_scenario = target_check_scenario,
	.preflight = limit_preflight,
	.apply = limit_apply,
	.poll = limit_poll,
	.revert = limit_revert,
	.proof = limit_proof,
	.report_json = limit_report_json,
	.doctor = limit_doctor,
	.needs = limit_needs,
};
