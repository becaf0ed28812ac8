/*
 * kind-stress.c: [stress.NAME], memory, CPU and disk pressure
 * (stress.c), in chaosd run.
 *
 * The section's keys are chaosd stress's options (stress-options.c),
 * the stressor's own (memory, cpu, fill, io) and service = NAME besides:
 * the stressor then joins that service's cgroups, so that memory = P% is
 * of its limit and the service feels its own. At the window's start the
 * stressor is started, journaled, bound to this chaosd and expiring at
 * the window's end; at its end it is stopped and its files removed. A
 * service that is down when the window opens is waited for at each
 * tick. The proof: what the stressor held (resident memory, measured),
 * the CPU it used, the bytes it moved, the file it made, and any OOM
 * kill meanwhile.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <jansson.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"
#include "run.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define SPEC(f) ((struct stress_spec *)(f)->spec)

struct stress_run {
	struct stressor	 st;
	int		 started;
	int		 said_ready;
	int		 said_death;
	char		 last[256];	/* why it has not started */
};

static void
stress_init(void *spec, const char *name)
{
	(void)name;
	stress_spec_init(spec);
}

static int
stress_check(struct sc_fault *f, char *err, size_t errlen)
{
	return (stress_spec_check(SPEC(f), err, errlen));
}

static void
stress_describe(const struct sc_fault *f, char *buf, size_t len)
{
	stress_spec_describe(SPEC(f), buf, len);
}

/* What can be known before the run: room to fill, memory, targets. */
static int
stress_preflight(struct run *r, int i, char *why, size_t len)
{
	const struct stress_spec *s = SPEC(&r->sc->faults[i]);
	uint64_t	bytes, left;

	switch (s->type) {
	case ST_FILL:
		return (stress_fill_room(s, &bytes, &left, why, len));
	case ST_MEMORY:
		if (!s->is_frac && stress_memory_want(s, 0, &bytes, why,
		    len) != 0)
			return (-1);
		break;
	default:
		break;
	}
	return (target_preflight(&s->tg, why, len));
}

/* Start the stressor where its target is now (0 also when not yet). */
static int
stress_try(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	const struct stress_spec *s = SPEC(f);
	struct fault_result *fr = &r->rr->faults[i];
	struct stress_run *sr = fr->state;
	struct stress_how how;
	struct procset	 set;
	uint64_t	 now = run_clock(r->rr), end = fault_end_ns(r->sc, f);
	char		 err[512];
	int		 k;

	memset(&how, 0, sizeof how);
	memset(&set, 0, sizeof set);
	if (s->tg.type != TG_NONE) {
		if (target_resolve_run(r, &s->tg, &set, err, sizeof err) != 0) {
			snprintf(fr->message, sizeof fr->message, "%.250s",
			    err);
			return (-1);
		}
		if (set.n == 0 && set.cgroup[0] == '\0') {
			snprintf(sr->last, sizeof sr->last, "%s was not there",
			    set.what);
			return (0);
		}
		if (stress_placement(&set, &how, err, sizeof err) != 0) {
			snprintf(fr->message, sizeof fr->message, "%.250s",
			    err);
			procset_free(&set);
			return (-1);
		}
	}
	how.bound = 1;
	how.expires_ms = now_ms() + (end > now ? end - now : 0) / NS_PER_MS;
	how.label = f->name;
	k = stress_start(s, &how, &sr->st, err, sizeof err);
	cgroup_paths_free(how.join, how.njoin);
	procset_free(&set);
	if (k != 0) {
		snprintf(fr->message, sizeof fr->message, "%.250s", err);
		return (-1);
	}
	sr->started = 1;
	return (0);
}

static int
stress_apply(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];

	fr->state = xcalloc(1, sizeof(struct stress_run));
	return (stress_try(r, i));
}

static int
stress_poll_fault(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct stress_run *sr = r->rr->faults[i].state;
	char	what[512];

	if (!sr->started)
		return (stress_try(r, i));
	if (!stress_poll(&sr->st))
		return (0);
	if (sr->st.ready && !sr->said_ready) {
		sr->said_ready = 1;
		stress_spec_describe(SPEC(f), what, sizeof what);
		if (sr->st.pid > 0)
			run_event(r->rr, "stress.%s: %s in place (pid %ld)",
			    f->name, what, (long)sr->st.pid);
		else
			run_event(r->rr, "stress.%s: %s in place", f->name,
			    what);
	}
	if (sr->st.exited && !sr->said_death) {
		sr->said_death = 1;
		stress_result(&sr->st, what, sizeof what);
		run_event(r->rr, "stress.%s: the stressor ended before its "
		    "window: %s", f->name, what);
	}
	return (0);
}

static int
stress_revert(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct stress_run *sr = fr->state;
	char	err[512];

	if (sr == NULL || !sr->started)
		return (0);
	stress_poll(&sr->st);
	if (stress_stop(&sr->st, err, sizeof err) != 0) {
		snprintf(fr->message, sizeof fr->message, "revert failed: "
		    "%.230s", err);
		return (-1);
	}
	return (0);
}

static void
stress_proof(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct stress_run *sr = fr->state;

	if (!fr->applied || sr == NULL)
		return;
	if (!sr->started) {
		fr->reached = 0;
		snprintf(fr->reach, sizeof fr->reach, "never started: %.200s",
		    sr->last);
		return;
	}
	fr->reached = stress_result(&sr->st, fr->reach, sizeof fr->reach);
}

static void
stress_report_json(const struct run_result *rr, int i, json_t *o)
{
	const struct stress_run *sr = rr->faults[i].state;
	const struct stressor *st;
	double	held;

	json_object_set_new(o, "stressor", json_string(stress_type_name(
	    SPEC(&rr->sc->faults[i])->type)));
	if (sr == NULL || !sr->started)
		return;
	st = &sr->st;
	held = st->t_end > st->t_ready ? (double)(st->t_end - st->t_ready) /
	    1e9 : 0;
	json_object_set_new(o, "pid", st->pid > 0 ? json_integer(st->pid) :
	    json_null());
	json_object_set_new(o, "ready", json_boolean(st->ready));
	json_object_set_new(o, "time_to_ready_ms", st->ready ?
	    json_integer((json_int_t)((st->t_ready - st->t_start) /
	    NS_PER_MS)) : json_null());
	json_object_set_new(o, "oom_kills", json_integer((json_int_t)
	    st->ooms));
	switch (st->type) {
	case ST_MEMORY:
		json_object_set_new(o, "bytes", json_integer((json_int_t)
		    st->want));
		json_object_set_new(o, "rss_min_bytes", json_integer(
		    (json_int_t)st->rss_min));
		json_object_set_new(o, "rss_max_bytes", json_integer(
		    (json_int_t)st->rss_max));
		break;
	case ST_CPU:
		json_object_set_new(o, "workers", json_integer(st->workers));
		json_object_set_new(o, "load", json_real(st->cpu_frac));
		json_object_set_new(o, "measured_load", held > 0 &&
		    st->workers ? json_real((double)(st->cpu - st->cpu0) /
		    1e9 / held / st->workers) : json_null());
		break;
	case ST_FILL:
		json_object_set_new(o, "file", json_string(st->where));
		json_object_set_new(o, "bytes", json_integer((json_int_t)
		    st->filled));
		json_object_set_new(o, "left_bytes", json_integer((json_int_t)
		    st->left));
		break;
	case ST_IO:
		json_object_set_new(o, "workers", json_integer(st->workers));
		json_object_set_new(o, "io_bytes", json_integer((json_int_t)
		    (st->io - st->io0)));
		break;
	default:
		break;
	}
}

static void
stress_doctor(void (*line)(const char *, int, const char *, const char *))
{
	void	*p;
	int	 pop = 0;

	if ((p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0)) != MAP_FAILED) {
		pop = madvise(p, 4096, MADV_POPULATE_WRITE) == 0;
		munmap(p, 4096);
	}
	line("memory stressor", 1, pop ? "pages made resident by the kernel "
	    "(MADV_POPULATE_WRITE)" : "pages touched one by one (a kernel "
	    "before 5.14: slower to reach its size)", NULL);
	line("OOM kills counted", access("/proc/vmstat", R_OK) == 0,
	    "/proc/vmstat oom_kill", "mount /proc");
}

const struct fault_kind kind_stress = {
	.name = "stress",
	.summary = "memory, CPU and disk pressure: stressors held for the "
	    "window",
	.options = stress_options,
	.spec_size = sizeof(struct stress_spec),
	.init = stress_init,
	.check = stress_check,
	.describe = stress_describe,
	.check_scenario = target_check_scenario,
	.preflight = stress_preflight,
	.apply = stress_apply,
	.poll = stress_poll_fault,
	.revert = stress_revert,
	.proof = stress_proof,
	.report_json = stress_report_json,
	.doctor = stress_doctor,
};
