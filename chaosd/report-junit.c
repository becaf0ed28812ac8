/*
 * report-junit.c: --report junit=FILE, for CI (Jenkins, GitLab, GitHub,
 * Azure). Root <testsuites>, one <testsuite> for the scenario, and a
 * <testcase> per check, per fault and for the workload, whose
 * classname + name pairs are unique (GitLab drops duplicates):
 * classname "chaosd.SCENARIO.check|fault", name the section's.
 * <failure> is a deviation (a check failed, did not recover, the
 * workload failed, the run aborted on a check, a fault missed a goal:
 * mttd_max, mttr_max); <error> a check that could not run, or a fault
 * that could not be applied or reverted; <skipped> an optional fault
 * this machine cannot apply; <system-out> what was measured beside the
 * outcome (a check's baseline and conditions, a fault's time to detect
 * and recover with the goals). time is in
 * seconds with a '.' whatever the locale (written by hand from
 * integers); message is one line; text goes through markup_text()
 * (svg.c): characters XML 1.0 forbids, even as entities, are dropped,
 * and invalid UTF-8 becomes '?'.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "report.h"

static void
xml_secs(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%03llu", (unsigned long long)(ns / NS_PER_S),
	    (unsigned long long)(ns % NS_PER_S / NS_PER_MS));
}

static void
testcase_open(FILE *f, const struct scenario *sc, const char *cls,
    const char *name, uint64_t ns)
{
	fputs("    <testcase classname=\"chaosd.", f);
	markup_text(f, sc->name);
	fprintf(f, ".%s\" name=\"", cls);
	markup_text(f, name);
	fputs("\" time=\"", f);
	xml_secs(f, ns);
	fputs("\"", f);
}

/* What a testcase measured, beside its outcome: <system-out>, or nothing. */
static void
system_out(FILE *f, const char *out)
{
	if (out == NULL || out[0] == '\0')
		return;
	fputs("      <system-out>", f);
	markup_text(f, out);
	fputs("</system-out>\n", f);
}

/* The end of a testcase that passed. */
static void
passed(FILE *f, const char *out)
{
	if (out == NULL || out[0] == '\0') {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	system_out(f, out);
	fputs("    </testcase>\n", f);
}

static void
outcome(FILE *f, const char *tag, const char *type, const char *msg,
    const char *out)
{
	fprintf(f, ">\n      <%s type=\"%s\" message=\"", tag, type);
	markup_line(f, msg);
	fputs("\">", f);
	markup_text(f, msg);
	fprintf(f, "</%s>\n", tag);
	system_out(f, out);
	fputs("    </testcase>\n", f);
}

/* A check's baseline, conditions and deviations, a line each. */
static void
check_out(const struct run_result *rr, int i, char *buf, size_t len)
{
	const struct sc_check *c = &rr->sc->checks[i];
	const struct check_result *cr = &rr->checks[i];
	char	 line[512];
	size_t	 n = 0;

	buf[0] = '\0';
	baseline_text(c, cr, line, sizeof line);
	if (line[0] != '\0')
		n += (size_t)snprintf(buf + n, len - n, "baseline: %s\n", line);
	conditions_text(c, cr, line, sizeof line);
	if (line[0] != '\0' && n < len)
		n += (size_t)snprintf(buf + n, len - n, "conditions: %s\n",
		    line);
	if (cr->deviations > 0 && n < len)
		snprintf(buf + n, len - n, "deviated %llu times, first: %s\n",
		    (unsigned long long)cr->deviations, cr->deviation);
}

static int
junit_write(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	int	 tests = 0, failures = 0, errors = 0, skipped = 0, i;
	char	 msg[600], out[1536];

	for (i = 0; i < sc->nchecks; i++) {
		tests++;
		failures += rr->checks[i].ran &&
		    rr->checks[i].verdict == V_FAIL;
		errors += rr->checks[i].ran &&
		    rr->checks[i].verdict == V_ERROR;
		skipped += !rr->checks[i].ran;
	}
	for (i = 0; i < sc->nfaults; i++) {
		enum fault_status s = rr->faults[i].status;

		tests++;
		errors += s == FS_FAILED || s == FS_REVERT_FAILED ||
		    (s == FS_DONE && rr->faults[i].reached == 0 &&
		    !sc->faults[i].optional);
		failures += s == FS_DONE && rr->faults[i].goal[0] != '\0' &&
		    !(rr->faults[i].reached == 0 && !sc->faults[i].optional);
		skipped += s == FS_SKIPPED || s == FS_PENDING;
	}
	if (rr->workload != NULL) {
		tests++;
		failures += rr->workload_ran && (rr->workload_status != 0 ||
		    rr->workload_signal != 0);
		skipped += !rr->workload_ran;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"chaosd\" tests=\"%d\" failures=\"%d\" "
	    "errors=\"%d\" skipped=\"%d\" time=\"", tests, failures, errors,
	    skipped);
	xml_secs(f, rr->elapsed_ns);
	fputs("\">\n  <testsuite name=\"chaosd.", f);
	markup_text(f, sc->name);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
	    "skipped=\"%d\" timestamp=\"%s\" time=\"", tests, failures, errors,
	    skipped, rr->started);
	xml_secs(f, rr->elapsed_ns);
	fputs("\">\n    <properties>\n      <property name=\"status\" "
	    "value=\"", f);
	markup_text(f, rr->status);
	fprintf(f, "\"/>\n      <property name=\"exit_status\" value=\"%d\"/>"
	    "\n      <property name=\"reason\" value=\"", rr->exit_status);
	markup_line(f, rr->reason);
	fputs("\"/>\n    </properties>\n", f);

	for (i = 0; i < sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];
		uint64_t total = 0;
		size_t	 j;

		for (j = 0; j < cr->nprobes; j++)
			total += cr->probes[j].latency_ns;
		testcase_open(f, sc, "check", sc->checks[i].name, total);
		if (!cr->ran) {
			fputs(">\n      <skipped message=\"not run (the run "
			    "ended before it)\"/>\n    </testcase>\n", f);
			continue;
		}
		check_out(rr, i, out, sizeof out);
		if (cr->verdict == V_PASS) {
			passed(f, out);
			continue;
		}
		snprintf(msg, sizeof msg, "%s: %llu of %zu probes passed: %s",
		    sc->checks[i].name, (unsigned long long)cr->passes,
		    cr->nprobes, cr->message);
		outcome(f, cr->verdict == V_ERROR ? "error" : "failure",
		    cr->verdict == V_ERROR ? "check-error" : "check-failed",
		    msg, out);
	}
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *ft = &sc->faults[i];
		const struct fault_result *fr = &rr->faults[i];
		char	name[96];

		snprintf(name, sizeof name, "%s.%s", fault_kind_name(ft->kind),
		    ft->name);
		testcase_open(f, sc, "fault", name, fr->applied &&
		    fr->end_ns > fr->start_ns ? fr->end_ns - fr->start_ns : 0);
		fault_detection_text(rr, i, out, sizeof out);
		switch (fr->status) {
		case FS_FAILED:
		case FS_REVERT_FAILED:
			snprintf(msg, sizeof msg, "%s: %s", name, fr->message);
			outcome(f, "error", fr->status == FS_FAILED ?
			    "apply-failed" : "revert-failed", msg, NULL);
			break;
		case FS_SKIPPED:
		case FS_PENDING:
			fputs(">\n      <skipped message=\"", f);
			markup_line(f, fr->status == FS_SKIPPED ?
			    fr->message : "not reached: the run ended before "
			    "its start");
			fputs("\"/>\n    </testcase>\n", f);
			break;
		default:
			if (fr->reached == 0 && !ft->optional) {
				snprintf(msg, sizeof msg, "%s did not happen "
				    "as written (inconclusive): %s", name,
				    fr->reach);
				outcome(f, "error", "inconclusive", msg, NULL);
			} else if (fr->goal[0] != '\0') {
				snprintf(msg, sizeof msg, "%s missed a goal: "
				    "%s", name, fr->goal);
				outcome(f, "failure", "goal-missed", msg, out);
			} else
				passed(f, out);
		}
	}
	if (rr->workload != NULL) {
		testcase_open(f, sc, "workload", "command", rr->chaos_end_ns);
		if (!rr->workload_ran)
			fputs(">\n      <skipped message=\"not started\"/>\n"
			    "    </testcase>\n", f);
		else if (rr->workload_status != 0 || rr->workload_signal != 0) {
			if (rr->workload_signal != 0)
				snprintf(msg, sizeof msg, "the workload was "
				    "killed by signal %d", rr->workload_signal);
			else
				snprintf(msg, sizeof msg, "the workload exited "
				    "with status %d", rr->workload_status);
			outcome(f, "failure", "workload-failed", msg, NULL);
		} else
			fputs("/>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return (ferror(f) ? -1 : 0);
}

const struct report_format report_junit_format = {
	.name = "junit",
	.write = junit_write,
};
