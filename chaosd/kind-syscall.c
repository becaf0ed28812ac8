/*
 * kind-syscall.c: [syscall.NAME], faults on system calls through a
 * seccomp filter on the workload (syscall-rule.c, seccomp.c,
 * supervisor.c), for what the shim cannot reach: static binaries, Go,
 * raw syscall(2).
 *
 * A seccomp filter cannot be removed, so a syscall fault lasts as long as
 * the workload: start and for are refused. In a run, every rule is
 * answered by chaosd's supervisor (even a fixed error, which chaosd exec
 * leaves to the kernel), so that its calls are counted: the proof that
 * the fault happened. Where the kernel has no user notification, fixed
 * errors stay in the kernel, and are reported as not counted.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "run.h"
#include "syscall.h"

struct syscall_spec {
	struct syscall_rule rule;
	char		 calls[128];	/* syscall = as written */
};

struct syscall_run {
	struct syscall_faults *sf;
	int		 slot[SYS_RULE_MAX];	/* rule -> fault index */
};

extern const struct fault_kind kind_syscall;

#define SPEC(f) ((struct syscall_spec *)(f)->spec)
#define SRUN(r) ((struct syscall_run *)(r)->kstate[kind_index(&kind_syscall)])

static void
syscall_init(void *spec, const char *name)
{
	struct syscall_spec *s = spec;

	syscall_rule_init(&s->rule);
	strlcpy_chaos(s->rule.name, name, sizeof s->rule.name);
}

static int
syscall_key(void *spec, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct syscall_spec *s = spec;

	if (strcmp(key, "name") == 0) {
		snprintf(err, errlen, "name: a scenario's rule is named by its "
		    "section");
		return (-1);
	}
	if (syscall_rule_set_key(&s->rule, key, value, err, errlen) != 0)
		return (-1);
	if (strcmp(key, "syscall") == 0)
		snprintf(s->calls, sizeof s->calls, "%.100s", value);
	return (0);
}

static int
syscall_check(struct sc_fault *f, char *err, size_t errlen)
{
	if (syscall_rule_check(&SPEC(f)->rule, err, errlen) != 0)
		return (-1);
	if (f->start_ns != 0 || f->for_ns != 0) {
		snprintf(err, errlen, "start and for cannot be given: a seccomp "
		    "filter cannot be removed, so a syscall fault lasts as long "
		    "as the workload");
		return (-1);
	}
	return (0);
}

static void
syscall_describe(const struct sc_fault *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s (seccomp)", SPEC(f)->calls);
}

static int
syscall_preflight(struct run *r, int i, char *why, size_t len)
{
	if (r->workload_text == NULL) {
		snprintf(why, len, "a syscall fault applies to the workload: "
		    "give [scenario] command = or -- CMD");
		return (-1);
	}
	if (!sys_rule_in_kernel(&SPEC(&r->sc->faults[i])->rule) &&
	    !syscall_faults_supported(why, len))
		return (-1);
	return (0);
}

static int
syscall_run_init(struct run *r, char *err, size_t errlen)
{
	const struct scenario *sc = r->sc;
	struct syscall_run *sr = NULL;
	struct syscall_rule *rule;
	char	 why[256];
	int	 i;

	for (i = 0; i < sc->nfaults; i++) {
		if (sc->faults[i].kind != &kind_syscall ||
		    r->rr->faults[i].status == FS_SKIPPED)
			continue;
		if (sr == NULL) {
			sr = xcalloc(1, sizeof *sr);
			sr->sf = syscall_faults_new();
			sr->sf->counted = syscall_faults_supported(why,
			    sizeof why);
			r->kstate[kind_index(&kind_syscall)] = sr;
		}
		if ((rule = syscall_faults_add(sr->sf, err, errlen)) == NULL)
			return (-1);
		*rule = SPEC(&sc->faults[i])->rule;
		sr->slot[syscall_faults_count(sr->sf) - 1] = i;
		r->rr->faults[i].counted = sr->sf->counted;
	}
	if (sr != NULL && syscall_faults_prepare(sr->sf, why,
	    sizeof why) != 0) {
		snprintf(err, errlen, "%s: [syscall.*]: %s", sc->path, why);
		return (-1);
	}
	return (0);
}

static int
syscall_workload_child(struct run *r)
{
	struct syscall_run *sr = SRUN(r);

	if (sr == NULL)
		return (0);
	if (syscall_faults_child(sr->sf) != 0) {
		log_warn("installing the syscall filter: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

static int
syscall_workload_started(struct run *r, pid_t pid, char *err, size_t errlen)
{
	struct syscall_run *sr = SRUN(r);

	if (sr == NULL)
		return (0);
	return (syscall_faults_start(sr->sf, pid, r->sc->have_seed,
	    r->sc->seed, err, errlen));
}

/* The supervisor's counters, once it stopped: the faults' proof. */
static void
syscall_workload_ended(struct run *r)
{
	struct syscall_run *sr = SRUN(r);
	int	i;

	if (sr == NULL)
		return;
	syscall_faults_stop(sr->sf);
	for (i = 0; i < sr->sf->n; i++) {
		struct fault_result *fr = &r->rr->faults[sr->slot[i]];

		fr->matched = sr->sf->rule[i].matched;
		fr->injected = sr->sf->rule[i].injected;
		fr->counted = !sr->sf->rule[i].in_kernel;
	}
}

static void
syscall_proof(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];

	if (!fr->applied)
		return;
	if (!fr->counted) {
		fr->reached = -1;
		snprintf(fr->reach, sizeof fr->reach, "in the workload's "
		    "seccomp filter, answered by the kernel: calls not counted");
	} else if (fr->injected > 0) {
		fr->reached = 1;
		snprintf(fr->reach, sizeof fr->reach, "injected %llu of %llu "
		    "matching calls", (unsigned long long)fr->injected,
		    (unsigned long long)fr->matched);
	} else if (fr->matched > 0) {
		fr->reached = 0;
		snprintf(fr->reach, sizeof fr->reach, "matched %llu system "
		    "calls but injected none (its trigger never fired: nth, "
		    "after, probability)", (unsigned long long)fr->matched);
	} else {
		fr->reached = 0;
		snprintf(fr->reach, sizeof fr->reach, "matched no system call "
		    "of the workload (check syscall and its arguments)");
	}
}

static void
syscall_run_fini(struct run *r)
{
	struct syscall_run *sr = SRUN(r);

	if (sr == NULL)
		return;
	syscall_faults_free(sr->sf);
	free(sr);
	r->kstate[kind_index(&kind_syscall)] = NULL;
}

/* A fixed error stays in the kernel where user notification is missing. */
static void
syscall_needs(const struct sc_fault *f, void (*need)(void *, const char *),
    void *arg)
{
	if (!sys_rule_in_kernel(&SPEC(f)->rule))
		need(arg, "seccomp_notify");
}

const struct fault_kind kind_syscall = {
	.name = "syscall",
	.summary = "faults on system calls, through seccomp",
	.spec_size = sizeof(struct syscall_spec),
	.init = syscall_init,
	.key = syscall_key,
	.check = syscall_check,
	.describe = syscall_describe,
	.preflight = syscall_preflight,
	.run_init = syscall_run_init,
	.run_fini = syscall_run_fini,
	.workload_child = syscall_workload_child,
	.workload_started = syscall_workload_started,
	.workload_ended = syscall_workload_ended,
	.proof = syscall_proof,
	.needs = syscall_needs,
};
