/*
 * kind-process.c: [process.NAME], killing or pausing processes from
 * outside (proc-apply.c), in chaosd run.
 *
 * The section's keys are chaosd proc's options (proc-options.c), plus
 * action = kill|pause and service = NAME, a service of the scenario: its
 * process group as it is at each moment, restarts included. A kill
 * without every happens at the window's start; with every, a decision
 * falls at start, start + every, ... up to the window's end, each
 * killing with the fault's probability, from a stream seeded by the
 * scenario's seed and the fault's name: the same seed, the same
 * decisions. A pause lasts the window: journaled, bound to this chaosd
 * and expiring at the window's end, so that the guardian resumes it
 * should chaosd die. A target that is not there when the window opens
 * (a service down) is looked for again at each tick. The proof: the
 * processes signalled, or the processes the kernel showed paused.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <jansson.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"
#include "run.h"

#define SPEC(f) ((struct proc_spec *)(f)->spec)
#define EVENTS_MAX	20	/* kill events in the report, per fault */
#define KILLS_KEPT	100	/* kill times in the JSON report */

struct process_run {
	struct killer	 k;
	uint64_t	 end;		/* the window's end, run clock */
	struct jentry	*j;		/* the pause, while it holds */
	int		 paused;
	uint64_t	 paused_ns;	/* run clock, when it held */
	uint64_t	 resumed_ns;
	char		 how[128];
	char		 what[160];	/* the target, when reached */
	char		 last[160];	/* why nothing was reached */
	uint64_t	 kill_ms[KILLS_KEPT];
	int		 nkill_ms;
};

static void
process_init(void *spec, const char *name)
{
	(void)name;
	proc_spec_init(spec);
}

static int
process_check(struct sc_fault *f, char *err, size_t errlen)
{
	return (proc_spec_check(SPEC(f), err, errlen));
}

static void
process_describe(const struct sc_fault *f, char *buf, size_t len)
{
	proc_spec_describe(SPEC(f), buf, len);
}

/* A pid, cgroup or unit must be there before the run starts. */
static int
process_preflight(struct run *r, int i, char *why, size_t len)
{
	return (target_preflight(&SPEC(&r->sc->faults[i])->tg, why, len));
}

/* Every decision due up to now; -1 when the target is refused. */
static int
process_kills(struct run *r, int i, uint64_t now)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	struct process_run *pr = fr->state;
	struct procset	 set;
	const char	*sig = signal_name(pr->k.sig);
	char		 err[512];
	int		 fire, n;

	while (killer_next(&pr->k, now, pr->end, &fire)) {
		if (!fire)
			continue;
		if (target_resolve_run(r, &SPEC(f)->tg, &set, err,
		    sizeof err) != 0) {
			snprintf(fr->message, sizeof fr->message, "%.250s",
			    err);
			return (-1);
		}
		n = set.n > 0 ? proc_signal(&set, pr->k.sig, err,
		    sizeof err) : 0;
		if (n > 0) {
			pr->k.hit++;
			pr->k.signalled += (uint64_t)n;
			snprintf(pr->what, sizeof pr->what, "%s", set.what);
			if (pr->nkill_ms < KILLS_KEPT)
				pr->kill_ms[pr->nkill_ms++] = now / NS_PER_MS;
			if (pr->k.hit <= EVENTS_MAX)
				run_event(r->rr, "process.%s: %s to %s%s",
				    f->name, sig ? sig : "?", set.what,
				    pr->k.hit == EVENTS_MAX ? " (further kills "
				    "are counted, not listed)" : "");
		} else
			snprintf(pr->last, sizeof pr->last, "%.150s", n < 0 ?
			    err : set.what);
		procset_free(&set);
	}
	return (0);
}

/* Pause the target, if it is there now; -1 when it is refused. */
static int
process_pause(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	struct process_run *pr = fr->state;
	struct pause_how ph;
	struct procset	 set;
	char		 err[512];

	if (target_resolve_run(r, &SPEC(f)->tg, &set, err, sizeof err) != 0) {
		snprintf(fr->message, sizeof fr->message, "%.250s", err);
		return (-1);
	}
	if (set.n == 0) {
		snprintf(pr->last, sizeof pr->last, "%.140s was not there",
		    set.what);
		procset_free(&set);
		return (0);
	}
	ph.bound = 1;
	ph.expires_ms = now_ms() + (pr->end > run_clock(r->rr) ? pr->end -
	    run_clock(r->rr) : 0) / NS_PER_MS;
	pr->j = xcalloc(1, sizeof *pr->j);
	if (pause_apply(&set, &ph, pr->j, &pr->paused, pr->how,
	    sizeof pr->how, err, sizeof err) != 0) {
		free(pr->j);
		pr->j = NULL;
		snprintf(pr->last, sizeof pr->last, "%.150s", err);
		procset_free(&set);
		return (0);
	}
	pr->paused_ns = run_clock(r->rr);
	snprintf(pr->what, sizeof pr->what, "%s", set.what);
	run_event(r->rr, "process.%s: paused %d process%s of %s by %s",
	    f->name, pr->paused, pr->paused == 1 ? "" : "es", set.what,
	    pr->how);
	procset_free(&set);
	return (0);
}

static int
process_apply(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	struct process_run *pr;
	uint64_t	 now = run_clock(r->rr);

	pr = xcalloc(1, sizeof *pr);
	fr->state = pr;
	pr->end = fault_end_ns(r->sc, f);
	if (SPEC(f)->action == PA_PAUSE)
		return (process_pause(r, i));
	killer_init(&pr->k, SPEC(f), fault_seed(r->sc->have_seed,
	    r->sc->seed, f->name), now);
	return (process_kills(r, i, now));
}

static int
process_poll(struct run *r, int i)
{
	struct process_run *pr = r->rr->faults[i].state;

	if (SPEC(&r->sc->faults[i])->action == PA_KILL)
		return (process_kills(r, i, run_clock(r->rr)));
	if (pr->j == NULL)
		return (process_pause(r, i));
	return (0);
}

static int
process_revert(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	struct process_run *pr = fr->state;
	uint64_t	 now = run_clock(r->rr);
	char		 err[512];

	if (pr == NULL)
		return (0);
	if (SPEC(f)->action == PA_KILL) {
		/* what fell due since the last tick, up to the end */
		process_kills(r, i, now < pr->end ? now : pr->end - 1);
		return (0);
	}
	if (pr->j == NULL)
		return (0);
	pr->resumed_ns = now;
	if (journal_revert(pr->j, 1, err, sizeof err) != 0) {
		snprintf(fr->message, sizeof fr->message, "resume failed: "
		    "%.230s", err);
		return (-1);
	}
	jentry_free(pr->j);
	free(pr->j);
	pr->j = NULL;
	run_event(r->rr, "process.%s: resumed %s", f->name, pr->what);
	return (0);
}

static void
process_proof(struct run *r, int i)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	struct process_run *pr = fr->state;
	const char	*sig;
	char		 d[32];

	if (!fr->applied || pr == NULL)
		return;
	if (SPEC(f)->action == PA_PAUSE) {
		fr->reached = pr->paused > 0;
		if (pr->paused > 0) {
			fmt_dur((pr->resumed_ns > pr->paused_ns ?
			    pr->resumed_ns : fr->end_ns) - pr->paused_ns, d,
			    sizeof d);
			snprintf(fr->reach, sizeof fr->reach, "paused %d "
			    "process%s of %.120s by %.60s for %s", pr->paused,
			    pr->paused == 1 ? "" : "es", pr->what, pr->how, d);
		} else
			snprintf(fr->reach, sizeof fr->reach, "paused nothing: "
			    "%.200s", pr->last[0] ? pr->last : "no target");
		return;
	}
	sig = signal_name(pr->k.sig);
	fr->reached = pr->k.hit > 0;
	if (pr->k.hit > 0)
		snprintf(fr->reach, sizeof fr->reach, "%s to %.120s %llu "
		    "time%s in %llu decision%s (%llu process%s signalled)",
		    sig ? sig : "?", pr->what, (unsigned long long)pr->k.hit,
		    pr->k.hit == 1 ? "" : "s",
		    (unsigned long long)pr->k.decisions,
		    pr->k.decisions == 1 ? "" : "s",
		    (unsigned long long)pr->k.signalled,
		    pr->k.signalled == 1 ? "" : "es");
	else if (pr->k.fired == 0)
		snprintf(fr->reach, sizeof fr->reach, "%llu decisions, none "
		    "to kill (probability %g%%)",
		    (unsigned long long)pr->k.decisions,
		    pr->k.probability * 100);
	else
		snprintf(fr->reach, sizeof fr->reach, "killed nothing: "
		    "%.200s", pr->last);
}

static void
process_report_json(const struct run_result *rr, int i, json_t *o)
{
	const struct process_run *pr = rr->faults[i].state;
	const struct proc_spec *s = SPEC(&rr->sc->faults[i]);
	json_t	*a;
	int	 k;

	json_object_set_new(o, "action", json_string(s->action == PA_KILL ?
	    "kill" : "pause"));
	if (pr == NULL)
		return;
	json_object_set_new(o, "target", json_string(pr->what[0] != '\0' ?
	    pr->what : ""));
	if (s->action == PA_PAUSE) {
		json_object_set_new(o, "paused", json_integer(pr->paused));
		json_object_set_new(o, "paused_by", json_string(pr->how));
		return;
	}
	json_object_set_new(o, "signal", json_string(signal_name(s->sig) ?
	    signal_name(s->sig) : "?"));
	json_object_set_new(o, "decisions", json_integer((json_int_t)
	    pr->k.decisions));
	json_object_set_new(o, "fired", json_integer((json_int_t)
	    pr->k.fired));
	json_object_set_new(o, "kills", json_integer((json_int_t)pr->k.hit));
	json_object_set_new(o, "processes_signalled", json_integer(
	    (json_int_t)pr->k.signalled));
	a = json_array();
	for (k = 0; k < pr->nkill_ms; k++)
		json_array_append_new(a, json_integer((json_int_t)
		    pr->kill_ms[k]));
	json_object_set_new(o, "kill_times_ms", a);
}

static void
process_doctor(void (*line)(const char *, int, const char *, const char *))
{
	char	dir[PATH_MAX], detail[PATH_MAX + 64];

	line("process signals (pidfd)", 1,
#ifdef SYS_pidfd_open
	    "pidfd_send_signal, kill(2) where the kernel lacks it",
#else
	    "kill(2)",
#endif
	    NULL);
	if (cgroup_v2_root(dir, sizeof dir) == 0) {
		snprintf(detail, sizeof detail, "cgroup.freeze, cgroup v2 at "
		    "%s", dir);
		line("cgroup freezer (pause)", 1, detail, NULL);
	} else if (cgroup_v1_root("freezer", dir, sizeof dir) == 0) {
		snprintf(detail, sizeof detail, "freezer.state, cgroup v1 at "
		    "%s", dir);
		line("cgroup freezer (pause)", 1, detail, NULL);
	} else
		line("cgroup freezer (pause)", 0, "no cgroup v2 and no v1 "
		    "freezer mounted", "mount cgroup2 on /sys/fs/cgroup (a "
		    "pause of a cgroup or unit uses SIGSTOP without it)");
}

const struct fault_kind kind_process = {
	.name = "process",
	.summary = "kill or pause processes from outside: a service, pid, "
	    "name, cgroup or unit",
	.options = proc_options,
	.spec_size = sizeof(struct proc_spec),
	.init = process_init,
	.check = process_check,
	.describe = process_describe,
	.check_scenario = target_check_scenario,
	.preflight = process_preflight,
	.apply = process_apply,
	.poll = process_poll,
	.revert = process_revert,
	.proof = process_proof,
	.report_json = process_report_json,
	.doctor = process_doctor,
};
