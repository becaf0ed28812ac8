/*
 * report-text.c: the readable summary chaosd run prints on standard
 * output (also --report text=FILE): the verdict, the workload, each
 * service and its deaths, each fault with how it reached its target and
 * its time to detect and to recover, each check with its pass rate and
 * latency, its baseline and conditions, the events. And the number
 * formats and sentences the other reports share.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "report.h"

#define DEATHS_SHOWN	10	/* per service; the JSON report has all */

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

/* An event's kind as the JSON report and the HTML page name it. */
const char *
event_kind_name(enum ev_kind k)
{
	switch (k) {
	case EV_NOTE:
		return ("note");
	case EV_FAULT_ON:
		return ("fault_on");
	case EV_FAULT_OFF:
		return ("fault_off");
	case EV_FAULT_FAILED:
		return ("fault_failed");
	case EV_SERVICE_DIED:
		return ("service_died");
	case EV_SERVICE_RESTARTED:
		return ("service_restarted");
	case EV_WORKLOAD_START:
		return ("workload_started");
	case EV_WORKLOAD_EXIT:
		return ("workload_exited");
	case EV_ABORT:
		return ("abort");
	}
	return ("note");
}

/* A latency: "0.4ms" below 10 ms, "148ms" above. */
void
report_ms(uint64_t ns, char *buf, size_t len)
{
	uint64_t us = ns / 1000;

	if (us < 10000)
		snprintf(buf, len, "%llu.%llums", (unsigned long long)(us /
		    1000), (unsigned long long)(us % 1000 / 100));
	else
		snprintf(buf, len, "%llums", (unsigned long long)(us / 1000));
}

/* A time to detect or recover, in ms: "39ms", "2.64s", "1m05s". */
void
report_span_ms(int64_t ms, char *buf, size_t len)
{
	if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms < 60000)
		snprintf(buf, len, "%lld.%02llds", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 10));
	else
		snprintf(buf, len, "%lldm%02llds", (long long)(ms / 60000),
		    (long long)(ms % 60000 / 1000));
}

/* A time on the scenario clock: "12.3s". */
void
report_secs(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%01llus", (unsigned long long)(ns / NS_PER_S),
	    (unsigned long long)(ns % NS_PER_S / (NS_PER_S / 10)));
}

/* "rollback_failed" as a headline says it. */
void
report_status_upper(const char *status, char *buf, size_t len)
{
	size_t	j;

	if (len == 0)
		return;
	for (j = 0; status[j] != '\0' && j + 1 < len; j++)
		buf[j] = (char)(status[j] >= 'a' && status[j] <= 'z' ?
		    status[j] - 'a' + 'A' : status[j]);
	buf[j] = '\0';
}

/* Each death of service i and its restart, a line each. */
static void
service_deaths(const struct run_result *rr, int i, FILE *f)
{
	const struct run_event *e;
	char	 t[32], d[32];
	size_t	 j, k;
	int	 shown = 0, more = 0;

	for (j = 0; j < rr->nevents; j++) {
		e = &rr->events[j];
		if (e->kind != EV_SERVICE_DIED || e->index != i)
			continue;
		if (shown == DEATHS_SHOWN) {
			more++;
			continue;
		}
		shown++;
		report_secs(e->t_ns, t, sizeof t);
		if (e->signal != 0)
			fprintf(f, "    %8s killed by signal %d (%s)", t,
			    e->signal, signal_name(e->signal) != NULL ?
			    signal_name(e->signal) : "?");
		else
			fprintf(f, "    %8s exited with status %d", t,
			    e->status);
		for (k = j + 1; k < rr->nevents; k++) {
			if (rr->events[k].index != i)
				continue;
			if (rr->events[k].kind == EV_SERVICE_RESTARTED) {
				report_span_ms((int64_t)((rr->events[k].t_ns -
				    e->t_ns) / NS_PER_MS), d, sizeof d);
				fprintf(f, ", restarted %s later", d);
				break;
			}
			if (rr->events[k].kind == EV_SERVICE_DIED)
				break;
		}
		fputc('\n', f);
	}
	if (more > 0)
		fprintf(f, "    %8s and %d more deaths (the JSON report has "
		    "every event)\n", "", more);
}

/* "mttd_max 1m, mttr_max none", or "" when neither is given */
void
goals_text(uint64_t mttd_ns, uint64_t mttr_ns, char *buf, size_t len)
{
	char	d[32], r[32];

	buf[0] = '\0';
	if (mttd_ns == 0 && mttr_ns == 0)
		return;
	fmt_dur(mttd_ns, d, sizeof d);
	fmt_dur(mttr_ns, r, sizeof r);
	snprintf(buf, len, "mttd_max %s, mttr_max %s", mttd_ns > 0 ? d :
	    "none", mttr_ns > 0 ? r : "none");
}

/* " (goal 1m)" beside a time, or "" without a goal */
static void
goal_text(uint64_t ns, char *buf, size_t len)
{
	char	d[32];

	buf[0] = '\0';
	if (ns == 0)
		return;
	fmt_dur(ns, d, sizeof d);
	snprintf(buf, len, " (goal %s)", d);
}

/*
 * What the reports say of an applied fault's detection, beside the
 * [scenario] goals: "time to detect 1.20s (goal 1m), time to recover
 * 3.40s (goal 5m)", "time to detect 500ms, not recovered", "not
 * detected: the system absorbed it" (when a check was there to see it),
 * or "" (it did not happen, or nothing watched).
 */
void
fault_detection_text(const struct run_result *rr, int i, char *buf,
    size_t len)
{
	const struct scenario *sc = rr->sc;
	const struct fault_result *fr = &rr->faults[i];
	char	 a[32], b[32], ga[48], gb[48];
	int	 k, during = 0;

	buf[0] = '\0';
	for (k = 0; k < sc->nchecks; k++)
		during |= (sc->checks[k].when & WHEN_DURING) != 0;
	if (!fr->applied || fr->reached == 0 || !during)
		return;
	if (fr->ttd_ms < 0) {
		snprintf(buf, len, "not detected: the system absorbed it");
		return;
	}
	report_span_ms(fr->ttd_ms, a, sizeof a);
	goal_text(sc->mttd_max_ns, ga, sizeof ga);
	goal_text(sc->mttr_max_ns, gb, sizeof gb);
	if (fr->ttr_ms < 0) {
		snprintf(buf, len, "time to detect %s%s, not recovered%s", a,
		    ga, gb);
		return;
	}
	report_span_ms(fr->ttr_ms, b, sizeof b);
	snprintf(buf, len, "time to detect %s%s, time to recover %s%s", a,
	    ga, b, gb);
}

/*
 * An applied fault's second line: its time to detect and to recover,
 * and the goal it missed.
 */
static void
fault_times_line(const struct run_result *rr, int i, FILE *f)
{
	const struct fault_result *fr = &rr->faults[i];
	char	buf[256];

	fault_detection_text(rr, i, buf, sizeof buf);
	if (buf[0] == '\0' && fr->goal[0] == '\0')
		return;
	fprintf(f, "  %-24s %s", "", buf);
	if (fr->goal[0] != '\0')
		fprintf(f, "%sgoal missed: %s", buf[0] != '\0' ? "; " : "",
		    fr->goal);
	fputc('\n', f);
}

/* A check's baseline, its conditions and how it deviated, its goals. */
static void
check_steady_lines(const struct run_result *rr, int i, FILE *f)
{
	const struct sc_check *c = &rr->sc->checks[i];
	const struct check_result *cr = &rr->checks[i];
	char	 buf[512], t[32];

	baseline_text(c, cr, buf, sizeof buf);
	if (buf[0] != '\0')
		fprintf(f, "  %-24s baseline: %s\n", "", buf);
	conditions_text(c, cr, buf, sizeof buf);
	if (buf[0] != '\0') {
		fprintf(f, "  %-24s conditions: %s\n", "", buf);
		report_secs(cr->deviation_t_ns, t, sizeof t);
		if (cr->deviations > 0)
			fprintf(f, "  %-24s deviated %llu time%s, first at %s: "
			    "%s\n", "", (unsigned long long)cr->deviations,
			    cr->deviations == 1 ? "" : "s", t, cr->deviation);
		else if (cr->ran)
			fprintf(f, "  %-24s never deviated\n", "");
	}
	goals_text(c->mttd_max_ns, c->mttr_max_ns, buf, sizeof buf);
	if (buf[0] != '\0')
		fprintf(f, "  %-24s goals: %s\n", "", buf);
}

static int
text_write(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	char	 a[32], b[32], c[32], e[32];
	size_t	 j;
	int	 i;

	report_secs(rr->elapsed_ns, a, sizeof a);
	report_status_upper(rr->status, b, sizeof b);
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
		service_deaths(rr, i, f);
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
			report_secs(fr->start_ns, a, sizeof a);
			report_secs(fr->end_ns, b, sizeof b);
			fprintf(f, " %s..%s", a, b);
		}
		if (fr->applied && fr->reach[0] != '\0')
			fprintf(f, ", %s", fr->reach);
		if (fr->message[0] != '\0')
			fprintf(f, " (%s)", fr->message);
		fputc('\n', f);
		if (ft->kind->report_text != NULL && fr->applied)
			ft->kind->report_text(rr, i, f);
		fault_times_line(rr, i, f);
	}
	if (sc->nchecks > 0)
		fprintf(f, "checks:\n");
	for (i = 0; i < sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];

		fprintf(f, "  %-24s %-6s %-8s", sc->checks[i].name,
		    sc->checks[i].type->name, cr->ran ?
		    verdict_name(cr->verdict) : "not run");
		if (cr->nprobes > 0) {
			report_ms(cr->p50_ns, a, sizeof a);
			report_ms(cr->p90_ns, b, sizeof b);
			report_ms(cr->p99_ns, c, sizeof c);
			report_ms(cr->max_ns, e, sizeof e);
			fprintf(f, " %llu/%zu passed (%.1f%%), latency p50 %s "
			    "p90 %s p99 %s max %s",
			    (unsigned long long)cr->passes, cr->nprobes,
			    100.0 * (double)cr->passes / (double)cr->nprobes,
			    a, b, c, e);
		}
		if (cr->verdict != V_PASS && cr->message[0] != '\0')
			fprintf(f, "\n  %-24s %s", "", cr->message);
		fputc('\n', f);
		check_steady_lines(rr, i, f);
	}
	if (rr->nevents > 0)
		fprintf(f, "events:\n");
	for (j = 0; j < rr->nevents; j++) {
		report_secs(rr->events[j].t_ns, a, sizeof a);
		fprintf(f, "  %8s %s\n", a, rr->events[j].what);
	}
	return (ferror(f) ? -1 : 0);
}

const struct report_format report_text_format = {
	.name = "text",
	.write = text_write,
};
