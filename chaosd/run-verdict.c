/*
 * run-verdict.c: what a run found: the time to detect and to recover per
 * fault window, the goals they meet or miss (mttd_max, mttr_max), each
 * check's verdict, and the outcome (the worst one wins: see
 * outcome_rank()).
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
#include "report.h"
#include "run.h"

/*
 * Time to detect and to recover, per fault window, for the fault and
 * for each check. A check detects the fault when a probe inside the
 * window counts against it (probe_bad(): a failure, or a deviation from
 * its baseline) after it was fine before the window (or had no probe
 * before it); an error, or a check already failing or deviating, says
 * nothing about this fault. A check recovers at its first probe after
 * the window that passes within its latency limits (probe_ok()); the
 * fault, at the first moment after the window when every check that
 * detected it is recovered.
 */
static void
check_times(const struct run_result *rr, int k, struct fault_result *fr)
{
	const struct sc_check *c = &rr->sc->checks[k];
	const struct check_result *cr = &rr->checks[k];
	struct check_times *ct = &fr->ct[k];
	int	 before = 1;
	size_t	 j;

	ct->ttd_ms = ct->ttr_ms = -1;
	for (j = 0; j < cr->nprobes; j++) {
		const struct probe *p = &cr->probes[j];

		if (p->v == V_ERROR)
			continue;
		if (p->t_ns < fr->start_ns) {
			before = !probe_bad(c, p);
			continue;
		}
		if (p->t_ns > fr->end_ns)
			break;
		if (probe_bad(c, p) && before) {
			ct->ttd_ms = (int64_t)((p->t_ns - fr->start_ns) /
			    NS_PER_MS);
			break;
		}
	}
	if (ct->ttd_ms < 0)
		return;
	for (j = 0; j < cr->nprobes; j++) {
		const struct probe *p = &cr->probes[j];

		if (p->t_ns > fr->end_ns && probe_ok(cr, p)) {
			ct->ttr_ms = (int64_t)((p->t_ns - fr->end_ns) /
			    NS_PER_MS);
			break;
		}
	}
}

/* The first goal the fault missed, in fr->goal; "" when none. */
static void
goals(const struct run_result *rr, struct fault_result *fr)
{
	const struct scenario *sc = rr->sc;
	char	 a[32], b[32], who[96];
	int64_t	 ttd = fr->ttd_ms, ttr = fr->ttr_ms;
	uint64_t dmax = sc->mttd_max_ns, rmax = sc->mttr_max_ns;
	int	 k;

	fr->goal[0] = '\0';
	who[0] = '\0';
	for (k = -1; k < sc->nchecks; k++) {
		if (k >= 0) {
			ttd = fr->ct[k].ttd_ms;
			ttr = fr->ct[k].ttr_ms;
			dmax = sc->checks[k].mttd_max_ns;
			rmax = sc->checks[k].mttr_max_ns;
			snprintf(who, sizeof who, "check %s: ",
			    sc->checks[k].name);
		}
		if (ttd < 0)
			continue;	/* not detected: nothing to recover */
		if (dmax > 0 && (uint64_t)ttd * NS_PER_MS > dmax) {
			report_span_ms(ttd, a, sizeof a);
			fmt_dur(dmax, b, sizeof b);
			snprintf(fr->goal, sizeof fr->goal, "%stime to detect "
			    "%s, over %smttd_max = %s", who, a, k >= 0 ?
			    "its " : "", b);
			return;
		}
		if (rmax > 0 && (ttr < 0 || (uint64_t)ttr * NS_PER_MS > rmax)) {
			fmt_dur(rmax, b, sizeof b);
			if (ttr < 0)
				snprintf(fr->goal, sizeof fr->goal, "%snot "
				    "recovered, %smttr_max = %s", who, k >= 0 ?
				    "its " : "", b);
			else {
				report_span_ms(ttr, a, sizeof a);
				snprintf(fr->goal, sizeof fr->goal, "%stime to "
				    "recover %s, over %smttr_max = %s", who, a,
				    k >= 0 ? "its " : "", b);
			}
			return;
		}
	}
}

void
fault_times(struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	int	i, k, *ok;
	size_t	*pos;

	ok = xcalloc(sc->nchecks + 1, sizeof *ok);
	pos = xcalloc(sc->nchecks + 1, sizeof *pos);
	for (i = 0; i < sc->nfaults; i++) {
		struct fault_result *fr = &rr->faults[i];
		int64_t	 detect = -1;

		fr->ttd_ms = fr->ttr_ms = -1;
		fr->goal[0] = '\0';
		if (!fr->applied)
			continue;
		if (fr->ct == NULL)
			fr->ct = xcalloc(sc->nchecks + 1, sizeof *fr->ct);
		for (k = 0; k < sc->nchecks; k++) {
			check_times(rr, k, fr);
			if (fr->ct[k].ttd_ms >= 0 && (detect < 0 ||
			    fr->ct[k].ttd_ms < detect))
				detect = fr->ct[k].ttd_ms;
		}
		if (detect < 0)
			continue;
		fr->ttd_ms = detect;
		for (k = 0; k < sc->nchecks; k++) {
			const struct check_result *cr = &rr->checks[k];
			int	 det = fr->ct[k].ttd_ms >= 0;
			size_t	 j;

			ok[k] = !det;
			for (j = 0; j < cr->nprobes &&
			    cr->probes[j].t_ns <= fr->end_ns; j++)
				if (det && cr->probes[j].v != V_ERROR)
					ok[k] = probe_ok(cr, &cr->probes[j]);
			pos[k] = j;
		}
		for (;;) {
			const struct probe *p;
			uint64_t t = UINT64_MAX;
			int	 who = -1, all = 1;

			for (k = 0; k < sc->nchecks; k++) {
				const struct check_result *cr = &rr->checks[k];

				if (fr->ct[k].ttd_ms >= 0 &&
				    pos[k] < cr->nprobes &&
				    cr->probes[pos[k]].t_ns < t) {
					t = cr->probes[pos[k]].t_ns;
					who = k;
				}
			}
			if (who < 0)
				break;
			p = &rr->checks[who].probes[pos[who]++];
			if (p->v != V_ERROR)
				ok[who] = probe_ok(&rr->checks[who], p);
			for (k = 0; k < sc->nchecks; k++)
				all &= ok[k];
			if (all) {
				fr->ttr_ms = (int64_t)((t > fr->end_ns ?
				    t - fr->end_ns : 0) / NS_PER_MS);
				break;
			}
		}
		goals(rr, fr);
	}
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

			if (p->v != V_ERROR && !probe_bad(c, p))
				continue;	/* a failure it tolerates too */
			if (p->phase == WHEN_DURING &&
			    (c->recover_within_ns > 0 || c->abort_after > 0))
				continue;	/* degradation allowed */
			if (p->phase == WHEN_AFTER)
				continue;	/* recovery decided that */
			if (p->phase == WHEN_BEFORE && p->v != V_ERROR)
				continue;	/* the baseline decided that */
			cr->verdict = p->v == V_ERROR ? V_ERROR : V_FAIL;
			if (p->deviated != 0 && cr->deviation[0] != '\0')
				strlcpy_chaos(cr->message, cr->deviation,
				    sizeof cr->message);
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

		if (rr->faults[i].goal[0] != '\0') {
			set_outcome(rr, EXIT_FAILED, "[%s.%s] missed a goal: %s",
			    f->kind->name, f->name, rr->faults[i].goal);
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

