/*
 * run-verdict.c: what a run found: the time to detect and to recover per
 * fault window, each check's verdict, and the outcome (the worst one
 * wins: see outcome_rank()).
 *
 * A verdict is only as good as its proof: a fault that did not happen as
 * written (its kind's proof found that it reached nothing: no call
 * matched in its window) makes a run that would otherwise pass
 * INCONCLUSIVE (exit 5), unless the fault says optional = yes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "run.h"

/*
 * Time to detect and to recover, per fault window. A check detects the
 * fault when it fails inside the window after passing before it (or
 * with no probe before it); a check that could not run (an error) or
 * that was already failing says nothing about this fault. Recovered:
 * the first moment after the window when every check that detected it
 * passes again.
 */
void
fault_times(struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	int	i, k, *det, *ok;
	size_t	*pos;

	det = xcalloc(sc->nchecks + 1, sizeof *det);
	ok = xcalloc(sc->nchecks + 1, sizeof *ok);
	pos = xcalloc(sc->nchecks + 1, sizeof *pos);
	for (i = 0; i < sc->nfaults; i++) {
		struct fault_result *fr = &rr->faults[i];
		uint64_t detect = UINT64_MAX;
		int	 ndet = 0;

		fr->ttd_ms = fr->ttr_ms = -1;
		if (!fr->applied)
			continue;
		for (k = 0; k < sc->nchecks; k++) {
			const struct check_result *cr = &rr->checks[k];
			int	 before = 1;
			size_t	 j;

			det[k] = 0;
			for (j = 0; j < cr->nprobes; j++) {
				const struct probe *p = &cr->probes[j];

				if (p->v == V_ERROR)
					continue;
				if (p->t_ns < fr->start_ns) {
					before = p->v == V_PASS;
					continue;
				}
				if (p->t_ns > fr->end_ns)
					break;
				if (p->v == V_FAIL && before) {
					det[k] = 1;
					ndet++;
					if (p->t_ns < detect)
						detect = p->t_ns;
					break;
				}
			}
		}
		if (ndet == 0)
			continue;
		fr->ttd_ms = (int64_t)((detect - fr->start_ns) / NS_PER_MS);
		for (k = 0; k < sc->nchecks; k++) {
			const struct check_result *cr = &rr->checks[k];
			size_t j;

			ok[k] = !det[k];
			for (j = 0; j < cr->nprobes &&
			    cr->probes[j].t_ns <= fr->end_ns; j++)
				if (det[k] && cr->probes[j].v != V_ERROR)
					ok[k] = cr->probes[j].v == V_PASS;
			pos[k] = j;
		}
		for (;;) {
			uint64_t t = UINT64_MAX;
			int	 who = -1, all = 1;

			for (k = 0; k < sc->nchecks; k++) {
				const struct check_result *cr = &rr->checks[k];

				if (det[k] && pos[k] < cr->nprobes &&
				    cr->probes[pos[k]].t_ns < t) {
					t = cr->probes[pos[k]].t_ns;
					who = k;
				}
			}
			if (who < 0)
				break;
			if (rr->checks[who].probes[pos[who]].v != V_ERROR)
				ok[who] = rr->checks[who].probes[pos[who]].v ==
				    V_PASS;
			pos[who]++;
			for (k = 0; k < sc->nchecks; k++)
				all &= ok[k];
			if (all) {
				fr->ttr_ms = (int64_t)((t > fr->end_ns ?
				    t - fr->end_ns : 0) / NS_PER_MS);
				break;
			}
		}
	}
	free(det);
	free(ok);
	free(pos);
}

void
verdicts(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	int	i;
	size_t	j;

	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];
		struct check_result *cr = &rr->checks[i];

		if (cr->verdict != V_PASS)
			continue;
		if (cr->nprobes > 0 && cr->errors == cr->nprobes) {
			cr->verdict = V_ERROR;
			continue;
		}
		for (j = 0; j < cr->nprobes; j++) {
			const struct probe *p = &cr->probes[j];

			if (p->v == V_PASS)
				continue;
			if (p->phase == WHEN_DURING &&
			    (c->recover_within_ns > 0 || c->abort_after > 0))
				continue;	/* degradation allowed */
			if (p->phase == WHEN_AFTER)
				continue;	/* recovery decided that */
			cr->verdict = p->v == V_ERROR ? V_ERROR : V_FAIL;
			break;
		}
	}
	for (i = 0; i < sc->nchecks; i++) {
		if (rr->checks[i].verdict != V_PASS) {
			set_outcome(rr, EXIT_FAILED, "check %s %s: %s",
			    sc->checks[i].name, rr->checks[i].verdict ==
			    V_ERROR ? "could not run" : "failed",
			    rr->checks[i].message);
			break;
		}
	}
	if (rr->workload_ran && (rr->workload_status != 0 ||
	    rr->workload_signal != 0))
		set_outcome(rr, EXIT_FAILED, "the workload failed (%s %d)",
		    rr->workload_signal ? "signal" : "status",
		    rr->workload_signal ? rr->workload_signal :
		    rr->workload_status);
	for (i = 0; i < sc->nservices; i++) {
		if (rr->services[i].crash_loop &&
		    !sc->services[i].crash_loop_ok) {
			set_outcome(rr, EXIT_FAILED, "service %s is in a crash "
			    "loop: it died %d times, and restart_max (%llu) "
			    "was reached", sc->services[i].name,
			    rr->services[i].died, (unsigned long long)
			    sc->services[i].restart_max);
			break;
		}
	}
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];

		if (rr->faults[i].applied && rr->faults[i].reached == 0 &&
		    !f->optional) {
			set_outcome(rr, EXIT_INCONCLUSIVE, "[%s.%s] did not "
			    "happen as written: %s", f->kind->name, f->name,
			    rr->faults[i].reach);
			break;
		}
	}
}

const char *
status_word(int exit_status)
{
	switch (exit_status) {
	case 0:
		return ("passed");
	case EXIT_FAILED:
		return ("failed");
	case EXIT_USAGE:
		return ("error");
	case EXIT_ABORTED:
		return ("aborted");
	case EXIT_INCONCLUSIVE:
		return ("inconclusive");
	default:
		return ("rollback_failed");
	}
}

