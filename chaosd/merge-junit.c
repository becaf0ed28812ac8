/*
 * merge-junit.c: chaosd report merge --report junit=FILE, for CI: a root
 * <testsuites>, one <testsuite> per host named after it, and in each a
 * <testcase> for the run's verdict (a <failure> unless it passed), one
 * per check, one per fault and one for the workload, as the host's JSON
 * report has them. classname "chaosd.SCENARIO.HOST.run|check|fault|
 * workload" keeps every classname and name pair unique across hosts.
 * Outcomes as run's JUnit says them (report-junit.c; the escaping is
 * svg.c's markup_text()): <failure> a deviation, <error> a check that
 * could not run or a fault that could not be applied or reverted,
 * <skipped> what did not run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "chaosd.h"
#include "report.h"
#include "merge.h"

static void
junit_secs(FILE *f, long long ms)
{
	if (ms < 0)
		ms = 0;
	fprintf(f, "%lld.%03lld", ms / 1000, ms % 1000);
}

/* One <testcase>: kind "failure", "error", "skipped" or NULL (passed). */
static void
junit_case(FILE *f, const struct host_report *h, const char *cls,
    const char *name, long long ms, const char *kind, const char *type,
    const char *msg)
{
	fputs("    <testcase classname=\"chaosd.", f);
	markup_text(f, or_dash(jget_str(h->root, "scenario")));
	fputc('.', f);
	markup_text(f, h->host);
	fprintf(f, ".%s\" name=\"", cls);
	markup_text(f, name);
	fputc('"', f);
	if (ms >= 0) {
		fputs(" time=\"", f);
		junit_secs(f, ms);
		fputc('"', f);
	}
	if (kind == NULL) {
		fputs("/>\n", f);
		return;
	}
	if (strcmp(kind, "skipped") == 0) {
		fputs(">\n      <skipped message=\"", f);
		markup_line(f, msg);
		fputs("\"/>\n    </testcase>\n", f);
		return;
	}
	fprintf(f, ">\n      <%s type=\"%s\" message=\"", kind, type);
	markup_line(f, msg);
	fputs("\">", f);
	markup_text(f, msg);
	fprintf(f, "</%s>\n    </testcase>\n", kind);
}

/* The outcome of a check or fault of the report, as JUnit says it. */
static const char *
junit_kind(const char *what, const char *status, const char **type)
{
	*type = status;
	if (strcmp(what, "check") == 0) {
		if (strcmp(status, "passed") == 0)
			return (NULL);
		if (strcmp(status, "not_run") == 0)
			return ("skipped");
		*type = strcmp(status, "error") == 0 ? "check-error" :
		    "check-failed";
		return (strcmp(status, "error") == 0 ? "error" : "failure");
	}
	if (strcmp(status, "applied") == 0 || strcmp(status, "active") == 0)
		return (NULL);
	if (strcmp(status, "skipped") == 0 || strcmp(status,
	    "not_reached") == 0)
		return ("skipped");
	if (strcmp(status, "failed") == 0 || strcmp(status,
	    "revert_failed") == 0) {
		*type = status[0] == 'f' ? "apply-failed" : "revert-failed";
		return ("error");
	}
	return ("failure");	/* a status this chaosd does not know */
}

/* The workload's outcome: "failure", "skipped" (it never ran) or NULL. */
static const char *
workload_kind(json_t *w, char *msg, size_t len)
{
	json_t	*st = json_object_get(w, "exit_status");
	json_t	*sig = json_object_get(w, "signal");

	if (json_is_integer(sig)) {
		if (msg != NULL)
			snprintf(msg, len, "the workload was killed by signal "
			    "%lld", (long long)json_integer_value(sig));
		return ("failure");
	}
	if (!json_is_integer(st)) {
		if (msg != NULL)
			snprintf(msg, len, "not started");
		return ("skipped");
	}
	if (json_integer_value(st) != 0) {
		if (msg != NULL)
			snprintf(msg, len, "the workload exited with status "
			    "%lld", (long long)json_integer_value(st));
		return ("failure");
	}
	return (NULL);
}

static void
junit_count(const struct host_report *h, int *tests, int *failures,
    int *errors, int *skipped)
{
	static const char *const what[] = { "check", "fault" };
	static const char *const arrays[] = { "checks", "faults" };
	const char *kind, *type;
	json_t	*o, *w;
	size_t	 i;
	int	 k;

	*tests = 1;	/* the verdict */
	*failures = h->exit_status != 0;
	*errors = *skipped = 0;
	for (k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(h->root, arrays[k]), i, o) {
			kind = junit_kind(what[k], or_dash(jget_str(o,
			    "status")), &type);
			(*tests)++;
			if (kind == NULL)
				continue;
			*failures += strcmp(kind, "failure") == 0;
			*errors += strcmp(kind, "error") == 0;
			*skipped += strcmp(kind, "skipped") == 0;
		}
	}
	if (json_is_object(w = json_object_get(h->root, "workload"))) {
		kind = workload_kind(w, NULL, 0);
		(*tests)++;
		*failures += kind != NULL && strcmp(kind, "failure") == 0;
		*skipped += kind != NULL && strcmp(kind, "skipped") == 0;
	}
}

static void
junit_host(FILE *f, const struct host_report *h)
{
	static const char *const what[] = { "check", "fault" };
	static const char *const arrays[] = { "checks", "faults" };
	const char *kind, *type, *status;
	char	 name[300], msg[1200];
	json_t	*o, *w;
	size_t	 i;
	int	 k, tests, failures, errors, skipped;
	long long ms;

	junit_count(h, &tests, &failures, &errors, &skipped);
	fputs("  <testsuite name=\"", f);
	markup_text(f, h->host);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
	    "skipped=\"%d\" timestamp=\"", tests, failures, errors, skipped);
	markup_text(f, or_dash(jget_str(h->root, "started")));
	fputs("\" time=\"", f);
	junit_secs(f, jget_int(h->root, "elapsed_ms", 0));
	fputs("\">\n    <properties>\n", f);
	fputs("      <property name=\"scenario\" value=\"", f);
	markup_line(f, or_dash(jget_str(h->root, "scenario")));
	fputs("\"/>\n      <property name=\"status\" value=\"", f);
	markup_line(f, h->status);
	fprintf(f, "\"/>\n      <property name=\"exit_status\" value=\"%d\"/>"
	    "\n      <property name=\"report\" value=\"", h->exit_status);
	markup_line(f, h->file);
	fputs("\"/>\n    </properties>\n", f);

	snprintf(msg, sizeof msg, "%s: %s (exit %d): %s", h->host, h->status,
	    h->exit_status, or_dash(jget_str(h->root, "reason")));
	junit_case(f, h, "run", "verdict", jget_int(h->root, "elapsed_ms", -1),
	    h->exit_status != 0 ? "failure" : NULL, h->status, msg);
	for (k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(h->root, arrays[k]), i, o) {
			status = or_dash(jget_str(o, "status"));
			kind = junit_kind(what[k], status, &type);
			if (k == 0)
				snprintf(name, sizeof name, "%s",
				    or_dash(jget_str(o, "name")));
			else
				snprintf(name, sizeof name, "%s.%s",
				    or_dash(jget_str(o, "kind")),
				    or_dash(jget_str(o, "name")));
			if (k == 0)
				snprintf(msg, sizeof msg, "%s: %lld of %lld "
				    "probes passed: %s", name,
				    jget_int(o, "passed", 0),
				    jget_int(o, "probes", 0),
				    or_dash(jget_str(o, "message")));
			else
				snprintf(msg, sizeof msg, "%s: %s: %s", name,
				    status, or_dash(jget_str(o, "message")));
			ms = -1;
			if (k == 1 && json_is_integer(json_object_get(o,
			    "end_ms")))
				ms = jget_int(o, "end_ms", 0) -
				    jget_int(o, "start_ms", 0);
			junit_case(f, h, what[k], name, ms, kind, type, msg);
		}
	}
	if (json_is_object(w = json_object_get(h->root, "workload"))) {
		kind = workload_kind(w, msg, sizeof msg);
		junit_case(f, h, "workload", "command", -1, kind,
		    "workload-failed", msg);
	}
	fputs("  </testsuite>\n", f);
}

int
merge_junit(FILE *f, const void *arg)
{
	const struct merge *m = arg;
	int	 i, t, fl, e, s, tests = 0, failures = 0, errors = 0,
		 skipped = 0;
	long long ms, longest = 0;

	for (i = 0; i < m->n; i++) {
		junit_count(&m->h[i], &t, &fl, &e, &s);
		tests += t;
		failures += fl;
		errors += e;
		skipped += s;
		ms = jget_int(m->h[i].root, "elapsed_ms", 0);
		if (ms > longest)
			longest = ms;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"chaosd fleet\" tests=\"%d\" "
	    "failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"", tests,
	    failures, errors, skipped);
	junit_secs(f, longest);
	fputs("\">\n", f);
	for (i = 0; i < m->n; i++)
		junit_host(f, &m->h[i]);
	fputs("</testsuites>\n", f);
	return (ferror(f) ? -1 : 0);
}
