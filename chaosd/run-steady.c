/*
 * run-steady.c: the steady state of chaosd run, before any fault: the
 * services started and waited for, then the 'before' checks, each probed
 * for its baseline (baseline = N probes, or a duration; one probe
 * without). A service that is never ready, or a check whose baseline is
 * no steady state (baseline.c says when), means nothing is injected:
 * exit 1.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "run.h"

/*
 * Every 'before' check probed for its baseline (one probe without one),
 * one interval apart, the checks interleaved; then every check's limits
 * resolved (baseline.c), and each baseline judged as a steady state.
 */
static void
baselines(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	uint64_t *next, *end, *left, now;
	char	  why[512], text[256];
	int	  i, busy, refused = 0;

	next = xcalloc(sc->nchecks + 1, sizeof *next);
	end = xcalloc(sc->nchecks + 1, sizeof *end);
	left = xcalloc(sc->nchecks + 1, sizeof *left);
	now = mono_ns();
	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];

		if (!(c->when & WHEN_BEFORE))
			continue;
		left[i] = c->baseline_ns > 0 ? UINT64_MAX :
		    c->baseline > 0 ? c->baseline : 1;
		end[i] = c->baseline_ns > 0 ? now + c->baseline_ns :
		    UINT64_MAX;
	}
	do {
		busy = 0;
		for (i = 0; i < sc->nchecks && !refused && !run_stop; i++) {
			const struct sc_check *c = &sc->checks[i];
			enum verdict v;

			if (left[i] == 0 || (now = mono_ns()) < next[i]) {
				busy |= left[i] != 0;
				continue;
			}
			if (next[i] > 0 && now >= end[i]) {
				left[i] = 0;
				continue;
			}
			busy = 1;
			next[i] = now + c->interval_ns;
			v = check_probe(rr, i, WHEN_BEFORE, r->check_env);
			left[i]--;
			refused = v == V_ERROR ||
			    (v == V_FAIL && !check_tolerates(c));
		}
		if (busy && !refused && !run_stop)
			sleep_ns(5 * NS_PER_MS);
	} while (busy && !refused && !run_stop);
	free(next);
	free(end);
	free(left);
	if (run_stop) {
		set_outcome(rr, EXIT_ABORTED, "interrupted before the chaos");
		return;
	}
	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];
		struct check_result *cr = &rr->checks[i];

		baseline_learn(c, cr);
		if (!(c->when & WHEN_BEFORE))
			continue;
		if (baseline_refused(c, cr, why, sizeof why)) {
			cr->verdict = V_FAIL;
			one_line(cr->message, sizeof cr->message, why);
			set_outcome(rr, EXIT_FAILED, "steady state not met: "
			    "check %s: %s: nothing injected", c->name, why);
			continue;
		}
		baseline_text(c, cr, text, sizeof text);
		log_info("check %s: baseline %s", c->name, text);
	}
}

/* Services, then the steady state; 0 when the chaos may begin. */
int
steady_state(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	char	err[1024];
	int	i;

	for (i = 0; i < sc->nservices && rr->exit_status == 0; i++) {
		if (service_start(r, i, err, sizeof err) != 0 ||
		    service_wait_ready(r, i, err, sizeof err) != 0) {
			if (run_stop)
				set_outcome(rr, EXIT_ABORTED, "interrupted "
				    "before the chaos");
			else
				set_outcome(rr, EXIT_FAILED, "steady state "
				    "not met: %s: nothing injected", err);
		}
	}
	if (rr->exit_status == 0)
		baselines(r);
	return (rr->exit_status == 0 ? 0 : -1);
}
