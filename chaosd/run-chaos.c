/*
 * run-chaos.c: the chaos phase of chaosd run.
 *
 * The clock starts; every fault due at 0 s is applied (and, for kinds
 * that can, confirmed) before the workload starts, so that its very
 * first calls meet them. Then every 10 ms: windows open and close
 * through the fault kinds (apply, poll, revert; the kinds finish each
 * instant's batch in step_done), services that died are restarted, the
 * abort thresholds are watched. The phase ends when the workload exits,
 * the last window closes, duration is reached, a signal comes, or an
 * abort; rollback() then puts everything back, and after_checks() gives
 * each 'after' check its recover_within.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chaosd.h"
#include "kind.h"
#include "run.h"

#define TICK_NS		(10ull * NS_PER_MS)
#define WORKLOAD_STOP_NS (3ull * NS_PER_S)

/* ---- faults ----------------------------------------------------- */

static void
fault_begin(struct run *r, int i, uint64_t now)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];

	fr->status = FS_ACTIVE;
	fr->start_ns = now;
	fr->applied = 1;
	if (f->kind->apply == NULL || f->kind->apply(r, i) == 0) {
		run_event_ex(r->rr, EV_FAULT_ON, i, -1, "%s.%s applied",
		    f->kind->name, f->name);
		return;
	}
	fr->applied = 0;
	fr->end_ns = now;
	if (!f->optional) {
		fr->status = FS_FAILED;
		run_event_ex(r->rr, EV_FAULT_FAILED, i, -1,
		    "%s.%s could not be applied: %s", f->kind->name, f->name,
		    fr->message);
		set_outcome(r->rr, EXIT_ABORTED, "[%s.%s] could not be "
		    "applied: %s", f->kind->name, f->name, fr->message);
		run_stop = 1;
		return;
	}
	fr->status = FS_SKIPPED;
	run_event_ex(r->rr, EV_FAULT_FAILED, i, -1,
	    "%s.%s could not be applied: skipped (optional)", f->kind->name,
	    f->name);
	log_warn("[%s.%s] optional: %s", f->kind->name, f->name,
	    fr->message);
}

static void
fault_finish(struct run *r, int i, uint64_t now)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];

	if (fr->status != FS_ACTIVE)
		return;
	fr->status = FS_DONE;
	fr->end_ns = now;
	if (f->kind->revert != NULL && f->kind->revert(r, i) != 0) {
		fr->status = FS_REVERT_FAILED;
		r->rollback_failed = 1;
	}
	run_event_ex(r->rr, fr->status == FS_DONE ? EV_FAULT_OFF :
	    EV_FAULT_FAILED, i, -1, "%s.%s %s", f->kind->name, f->name,
	    fr->status == FS_DONE ? "reverted" : "revert FAILED");
}

static void
kinds_step_done(struct run *r)
{
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if ((*k)->step_done != NULL)
			(*k)->step_done(r);
}

/* Faults to begin or end at now (every active one when ending). */
static void
faults_step(struct run *r, uint64_t now, int ending)
{
	const struct scenario *sc = r->sc;
	int	i;

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		struct fault_result *fr = &r->rr->faults[i];

		if (fr->status == FS_ACTIVE &&
		    (ending || now >= fault_end_ns(sc, f)))
			fault_finish(r, i, now);
		else if (fr->status == FS_PENDING && !ending &&
		    !run_stop && now >= f->start_ns)
			fault_begin(r, i, now);
	}
	kinds_step_done(r);
}

static void
faults_poll(struct run *r)
{
	const struct scenario *sc = r->sc;
	int	i;

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		struct fault_result *fr = &r->rr->faults[i];

		if (fr->status != FS_ACTIVE || f->kind->poll == NULL ||
		    f->kind->poll(r, i) == 0)
			continue;
		if (!f->optional) {
			set_outcome(r->rr, EXIT_ABORTED, "[%s.%s] %s",
			    f->kind->name, f->name, fr->message);
			run_stop = 1;
		}
		run_event_ex(r->rr, EV_FAULT_FAILED, i, -1, "%s.%s failed: %s",
		    f->kind->name, f->name, fr->message);
		fault_finish(r, i, run_clock(r->rr));
		fr->status = f->optional ? FS_SKIPPED : FS_FAILED;
	}
}

/*
 * What this machine must offer, for each fault, before anything is
 * applied: 0, or -1 (the reason said) for exit 2. An optional fault that
 * cannot be is skipped with a notice.
 */
int
faults_preflight(struct run *r)
{
	const struct scenario *sc = r->sc;
	char	why[256];
	int	i;

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		struct fault_result *fr = &r->rr->faults[i];

		fr->reached = -1;
		if (f->kind->preflight == NULL ||
		    f->kind->preflight(r, i, why, sizeof why) == 0)
			continue;
		if (!f->optional) {
			log_warn("%s:%d: [%s.%s] %s; or mark it optional = yes",
			    sc->path, f->line, f->kind->name, f->name, why);
			return (-1);
		}
		fr->status = FS_SKIPPED;
		snprintf(fr->message, sizeof fr->message, "skipped "
		    "(optional): %.200s", why);
		fprintf(stderr, "chaosd run: notice: [%s.%s] %s\n",
		    f->kind->name, f->name, fr->message);
	}
	return (0);
}

/* ---- the workload ----------------------------------------------- */

static int
workload_child(void *arg)
{
	struct run *r = arg;
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if ((*k)->workload_child != NULL && (*k)->workload_child(r) != 0)
			return (-1);
	return (0);
}

static int
workload_parent(void *arg, pid_t pid, char *err, size_t errlen)
{
	struct run *r = arg;
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if ((*k)->workload_started != NULL &&
		    (*k)->workload_started(r, pid, err, errlen) != 0)
			return (-1);
	return (0);
}

static void
workload_ended(struct run *r)
{
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if ((*k)->workload_ended != NULL)
			(*k)->workload_ended(r);
}

/*
 * The workload: sh -c in its own process group, with the run's
 * environment, and whatever the kinds do around its fork (the seccomp
 * filter, installed between fork and exec; its supervisor, started
 * before anything waits on the child).
 */
static int
workload_start(struct run *r, char *err, size_t errlen)
{
	struct spawn	sp;

	memset(&sp, 0, sizeof sp);
	sp.command = r->workload_text;
	sp.env = r->env.v;
	sp.stdout_fd = sp.stderr_fd = -1;
	sp.uid = (uid_t)-1;
	sp.gid = (gid_t)-1;
	sp.keep_fd = r->keep_fd;
	sp.nkeep = r->nkeep_fd;
	sp.pdeathsig = SIGTERM;
	sp.child = workload_child;
	sp.parent = workload_parent;
	sp.arg = r;
	if (spawn_process(&sp, &r->workload, err, errlen) != 0)
		return (-1);
	run_journal_group(r, "workload", r->workload,
	    proc_start_time(r->workload));
	return (0);
}

static void
workload_reaped(struct run *r, int status)
{
	r->workload = 0;
	run_journal_group(r, "workload", 0, 0);
	r->rr->workload_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->rr->workload_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void
workload_kill(struct run *r)
{
	uint64_t	deadline;
	int		status = 0;

	if (r->workload <= 0)
		return;
	kill(-r->workload, SIGTERM);
	deadline = mono_ns() + WORKLOAD_STOP_NS;
	while (waitpid(r->workload, &status, WNOHANG) != r->workload) {
		if (mono_ns() > deadline) {
			kill(-r->workload, SIGKILL);
			waitpid(r->workload, &status, 0);
			break;
		}
		sleep_ns(10 * NS_PER_MS);
	}
	kill(-r->workload, SIGKILL);
	workload_reaped(r, status);
}

static int
workload_poll(struct run *r)
{
	int	status;

	if (r->workload <= 0 || waitpid(r->workload, &status, WNOHANG) !=
	    r->workload)
		return (0);
	kill(-r->workload, SIGKILL);	/* what it left behind */
	workload_reaped(r, status);
	if (WIFEXITED(status))
		run_event_ex(r->rr, EV_WORKLOAD_EXIT, -1, status,
		    "workload exited with status %d", WEXITSTATUS(status));
	else
		run_event_ex(r->rr, EV_WORKLOAD_EXIT, -1, status,
		    "workload killed by signal %d", WTERMSIG(status));
	return (1);
}

/* ---- the phase -------------------------------------------------- */

/* " while inject.a, inject.b were active", or "" */
static void
faults_active(struct run *r, char *buf, size_t len)
{
	const struct scenario *sc = r->sc;
	size_t	n = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < sc->nfaults && n < len; i++) {
		if (r->rr->faults[i].status != FS_ACTIVE)
			continue;
		n += snprintf(buf + n, len - n, "%s%s.%s", n == 0 ?
		    " while " : ", ", sc->faults[i].kind->name,
		    sc->faults[i].name);
	}
	if (n > 0 && n < len)
		snprintf(buf + n, len - n, " %s active", strchr(buf, ',') !=
		    NULL ? "were" : "was");
}

static int
abort_thresholds(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	char	active[256];
	int	i;

	pthread_mutex_lock(&rr->lock);
	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];
		struct check_result *cr = &rr->checks[i];

		if (c->abort_after > 0 && cr->consecutive >= c->abort_after) {
			cr->verdict = V_FAIL;
			faults_active(r, active, sizeof active);
			if (cr->probes[cr->nprobes - 1].deviated != 0)
				set_outcome(rr, EXIT_ABORTED, "check %s "
				    "deviated from its steady state %llu times "
				    "in a row (abort_after)%s: %s: aborted",
				    c->name, (unsigned long long)
				    cr->consecutive, active, cr->message);
			else
				set_outcome(rr, EXIT_ABORTED, "check %s failed "
				    "%llu times in a row (abort_after)%s: "
				    "aborted", c->name, (unsigned long long)
				    cr->consecutive, active);
			pthread_mutex_unlock(&rr->lock);
			run_event_ex(rr, EV_ABORT, i, -1,
			    "abort: check %s: abort_after", c->name);
			return (1);
		}
	}
	pthread_mutex_unlock(&rr->lock);
	return (0);
}

/* The chaos phase: returns when it ends, or is aborted. */
void
chaos(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	char		err[256];
	uint64_t	now, last_progress = 0, planned = chaos_end_ns(sc);

	rr->t0_mono = mono_ns();
	rr->chaos_end_ns = planned;
	/* what is due at 0 s is in place before the workload starts */
	faults_step(r, 0, 0);
	if (run_stop)
		goto out;
	if (r->workload_text != NULL) {
		if (workload_start(r, err, sizeof err) != 0) {
			set_outcome(rr, EXIT_FAILED, "workload: %s", err);
			goto out;
		}
		rr->workload_ran = 1;
		run_event_ex(rr, EV_WORKLOAD_START, -1, -1,
		    "workload started (pid %d)", (int)r->workload);
	}
	if (checks_start(rr, r->check_env, &run_stop) != 0) {
		set_outcome(rr, EXIT_ABORTED, "cannot start the checks");
		goto out;
	}
	for (;;) {
		now = run_clock(rr);
		if (run_stop) {
			if (run_signal != 0)
				set_outcome(rr, EXIT_ABORTED, "interrupted by %s",
				    signal_name(run_signal) != NULL ?
				    signal_name(run_signal) : "a signal");
			break;
		}
		if (r->workload_text != NULL && workload_poll(r))
			break;
		if (now >= sc->duration_ns) {
			if (r->workload > 0) {
				char d[32];

				fmt_dur(sc->duration_ns, d, sizeof d);
				run_event(rr, "workload still running at the "
				    "duration (%s): stopped", d);
				workload_kill(r);
				set_outcome(rr, EXIT_FAILED, "the workload did "
				    "not finish within the scenario's "
				    "duration (%s)", d);
			}
			break;
		}
		if (r->workload_text == NULL && now >= planned)
			break;
		faults_step(r, now, 0);
		faults_poll(r);
		service_poll(r, 0);
		if (abort_thresholds(r))
			break;
		if (r->progress && now - last_progress >= 250 * NS_PER_MS) {
			report_progress(rr, stdout);
			last_progress = now;
		}
		sleep_ns(TICK_NS);
	}
out:
	rr->chaos_end_ns = run_clock(rr);
}

/* Put everything back: faults first, then the workload; then the proof. */
void
rollback(struct run *r)
{
	const struct scenario *sc = r->sc;
	int	i;

	checks_stop();
	faults_step(r, run_clock(r->rr), 1);
	workload_kill(r);
	workload_ended(r);
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		struct fault_result *fr = &r->rr->faults[i];

		if (!fr->applied || f->kind->proof == NULL)
			continue;
		f->kind->proof(r, i);
		if (fr->reached == 0)
			run_event(r->rr, "%s.%s did not happen: %s",
			    f->kind->name, f->name, fr->reach);
	}
	if (r->progress)
		progress_end(r->rr, stdout);
}

/* 'after': each must pass within its recover_within. */
void
after_checks(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	uint64_t	*next, t0 = mono_ns();
	int		*done, left = 0, i;

	next = xcalloc(sc->nchecks + 1, sizeof *next);
	done = xcalloc(sc->nchecks + 1, sizeof *done);
	for (i = 0; i < sc->nchecks; i++) {
		done[i] = !(sc->checks[i].when & WHEN_AFTER);
		left += !done[i];
	}
	while (left > 0 && !run_stop) {
		for (i = 0; i < sc->nchecks; i++) {
			const struct sc_check *c = &sc->checks[i];
			struct check_result *cr = &rr->checks[i];
			uint64_t now = mono_ns();
			const struct probe *p;

			if (done[i] || now < next[i])
				continue;
			next[i] = now + c->interval_ns;
			service_poll(r, 0);
			check_probe(rr, i, WHEN_AFTER, r->check_env);
			p = &cr->probes[cr->nprobes - 1];
			if (probe_ok(cr, p)) {
				done[i] = 1;
				left--;
				continue;
			}
			if (p->v == V_PASS) {
				char	l[32];

				fmt_dur(p->latency_ns, l, sizeof l);
				snprintf(cr->message, sizeof cr->message,
				    "passed, but in %s: slower than its "
				    "latency limits", l);
			}
			if (mono_ns() - t0 >= c->recover_within_ns) {
				char	d[32];
				size_t	n = strlen(rr->checks[i].message);

				fmt_dur(c->recover_within_ns, d, sizeof d);
				done[i] = 1;
				left--;
				rr->checks[i].verdict = V_FAIL;
				snprintf(rr->checks[i].message + n,
				    sizeof rr->checks[i].message - n,
				    " (not recovered within %s)", d);
			}
		}
		sleep_ns(5 * NS_PER_MS);
	}
	free(next);
	free(done);
}
