/*
 * report-text.c: the readable summary chaosd run prints on standard
 * output (also --report text=FILE), and the progress line it keeps
 * rewriting while it runs on a terminal.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "scenario.h"

const char *
fault_status_name(enum fault_status s)
{
	switch (s) {
	case FS_PENDING:
		return ("not_reached");
	case FS_ACTIVE:
		return ("active");
	case FS_DONE:
		return ("applied");
	case FS_SKIPPED:
		return ("skipped");
	case FS_FAILED:
		return ("failed");
	case FS_REVERT_FAILED:
		return ("revert_failed");
	}
	return ("?");
}

static void
ms_text(uint64_t ns, char *buf, size_t len)
{
	uint64_t us = ns / 1000;

	if (us < 10000)
		snprintf(buf, len, "%llu.%llums", (unsigned long long)(us /
		    1000), (unsigned long long)(us % 1000 / 100));
	else
		snprintf(buf, len, "%llums", (unsigned long long)(us / 1000));
}

static void
secs(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%01llus", (unsigned long long)(ns / NS_PER_S),
	    (unsigned long long)(ns % NS_PER_S / (NS_PER_S / 10)));
}

void
report_progress(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	char	 t[32], d[32];
	int	 i, active = 0;
	uint64_t ok = 0, all = 0;

	for (i = 0; i < sc->nfaults; i++)
		active += rr->faults[i].status == FS_ACTIVE;
	for (i = 0; i < sc->nchecks; i++) {
		ok += rr->checks[i].passes;
		all += rr->checks[i].nprobes;
	}
	secs(run_clock(rr), t, sizeof t);
	fmt_dur(sc->duration_ns, d, sizeof d);
	fprintf(f, "\r\033[K[%s / %s] %s: %d fault%s active, probes %llu/%llu "
	    "passed", t, d, sc->name, active, active == 1 ? "" : "s",
	    (unsigned long long)ok, (unsigned long long)all);
	fflush(f);
}

static int
text_write(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	char	 a[32], b[32], c[32], e[32];
	size_t	 j;
	int	 i;

	secs(rr->elapsed_ns, a, sizeof a);
	for (j = 0; rr->status[j] != '\0' && j < sizeof b - 1; j++)
		b[j] = (char)(rr->status[j] >= 'a' && rr->status[j] <= 'z' ?
		    rr->status[j] - 32 : rr->status[j]);
	b[j] = '\0';
	fprintf(f, "scenario %s: %s (exit %d), chaos %s\n", sc->name, b,
	    rr->exit_status, a);
	if (rr->reason[0] != '\0')
		fprintf(f, "  %s\n", rr->reason);
	if (rr->workload != NULL) {
		if (!rr->workload_ran)
			fprintf(f, "workload: not started\n");
		else if (rr->workload_signal != 0)
			fprintf(f, "workload: killed by signal %d\n",
			    rr->workload_signal);
		else
			fprintf(f, "workload: exit status %d\n",
			    rr->workload_status);
	}
	for (i = 0; i < sc->nservices; i++) {
		const struct service_result *sr = &rr->services[i];

		fprintf(f, "%s %s: %s", i == 0 ? "services:\n " : " ",
		    sc->services[i].name, sr->ready ? "ready" : "not ready");
		if (sr->died > 0)
			fprintf(f, ", died %d time%s (last: %s), restarted %d",
			    sr->died, sr->died == 1 ? "" : "s", sr->message,
			    sr->restarts);
		fputc('\n', f);
	}
	if (sc->nfaults > 0)
		fprintf(f, "faults:\n");
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *ft = &sc->faults[i];
		const struct fault_result *fr = &rr->faults[i];
		char who[96];

		snprintf(who, sizeof who, "%s.%s", fault_kind_name(ft->kind),
		    ft->name);
		fprintf(f, "  %-24s %-12s", who, fault_status_name(fr->status));
		if (fr->applied) {
			secs(fr->start_ns, a, sizeof a);
			secs(fr->end_ns, b, sizeof b);
			fprintf(f, " %s..%s", a, b);
		}
		if (fr->applied && fr->reach[0] != '\0')
			fprintf(f, ", %s", fr->reach);
		if (fr->ttd_ms >= 0)
			fprintf(f, ", detected after %lldms", (long long)
			    fr->ttd_ms);
		if (fr->ttr_ms >= 0)
			fprintf(f, ", recovered %lldms after", (long long)
			    fr->ttr_ms);
		else if (fr->ttd_ms >= 0)
			fprintf(f, ", not recovered");
		if (fr->message[0] != '\0')
			fprintf(f, " (%s)", fr->message);
		fputc('\n', f);
	}
	if (sc->nchecks > 0)
		fprintf(f, "checks:\n");
	for (i = 0; i < sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];

		fprintf(f, "  %-24s %-6s %-8s", sc->checks[i].name,
		    sc->checks[i].type->name, cr->ran ?
		    verdict_name(cr->verdict) : "not run");
		if (cr->nprobes > 0) {
			ms_text(cr->p50_ns, a, sizeof a);
			ms_text(cr->p90_ns, b, sizeof b);
			ms_text(cr->p99_ns, c, sizeof c);
			ms_text(cr->max_ns, e, sizeof e);
			fprintf(f, " %llu/%zu passed (%.1f%%), latency p50 %s "
			    "p90 %s p99 %s max %s",
			    (unsigned long long)cr->passes, cr->nprobes,
			    100.0 * (double)cr->passes / (double)cr->nprobes,
			    a, b, c, e);
		}
		if (cr->verdict != V_PASS && cr->message[0] != '\0')
			fprintf(f, "\n  %-24s %s", "", cr->message);
		fputc('\n', f);
	}
	if (rr->nevents > 0)
		fprintf(f, "events:\n");
	for (j = 0; j < rr->nevents; j++) {
		secs(rr->events[j].t_ns, a, sizeof a);
		fprintf(f, "  %8s %s\n", a, rr->events[j].what);
	}
	return (ferror(f) ? -1 : 0);
}

const struct report_format report_text_format = {
	.name = "text",
	.write = text_write,
};
