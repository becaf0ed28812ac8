/*
 * timeline.c: the scenario clock.
 *
 * Time 0 is when the faults may start (after the services are ready and
 * the 'before' checks passed). Each fault is active from its start for
 * its 'for', or to the end of the chaos phase; [scenario] duration is a
 * hard cap on everything. Without a workload the chaos phase ends with
 * the last fault window (or at duration when a fault has no 'for', or
 * there is no fault); with one, when the workload exits, or at duration.
 * timeline_print() is what validate and run --dry-run show.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "kind.h"
#include "report.h"

uint64_t
chaos_end_ns(const struct scenario *sc)
{
	uint64_t end = 0;
	int	 i;

	if (sc->command != NULL || sc->nfaults == 0)
		return (sc->duration_ns);
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];

		if (f->for_ns == 0)
			return (sc->duration_ns);
		if (f->start_ns + f->for_ns > end)
			end = f->start_ns + f->for_ns;
	}
	return (end < sc->duration_ns ? end : sc->duration_ns);
}

/* The planned end of a fault's window (the workload may end it sooner). */
uint64_t
fault_end_ns(const struct scenario *sc, const struct sc_fault *f)
{
	uint64_t cap = chaos_end_ns(sc);

	if (f->for_ns == 0 || f->start_ns + f->for_ns > cap)
		return (cap);
	return (f->start_ns + f->for_ns);
}

static void
when_words(unsigned when, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", when & WHEN_BEFORE ? "before" : "",
	    (when & WHEN_BEFORE) && (when & ~WHEN_BEFORE) ? ", " : "",
	    when & WHEN_DURING ? "during" : "",
	    (when & WHEN_DURING) && (when & WHEN_AFTER) ? ", " : "",
	    when & WHEN_AFTER ? "after" : "");
}

/* "; baseline 20 probes; max_p99 = 3x over the last 10 probes; ..." */
static void
steady_line(const struct sc_check *c, FILE *f)
{
	char	buf[512], d[32];

	if (c->baseline > 0)
		fprintf(f, "; baseline %llu probes", (unsigned long long)
		    c->baseline);
	else if (c->baseline_ns > 0) {
		fmt_dur(c->baseline_ns, d, sizeof d);
		fprintf(f, "; baseline %s of probes", d);
	}
	conditions_text(c, NULL, buf, sizeof buf);
	if (buf[0] != '\0')
		fprintf(f, "; %s", buf);
	goals_text(c->mttd_max_ns, c->mttr_max_ns, buf, sizeof buf);
	if (buf[0] != '\0')
		fprintf(f, "; goals %s", buf);
}

static void
check_line(const struct sc_check *c, FILE *f)
{
	char	iv[32], to[32], rw[32], when[64];

	fmt_dur(c->interval_ns, iv, sizeof iv);
	fmt_dur(c->timeout_ns, to, sizeof to);
	fmt_dur(c->recover_within_ns, rw, sizeof rw);
	when_words(c->when, when, sizeof when);
	fprintf(f, "  %-16s %s ", c->name, c->type->name);
	if (c->url != NULL)
		fprintf(f, "%s (expect %d)", c->url, c->expect);
	else if (c->address != NULL)
		fprintf(f, "%s", c->address);
	else if (c->command != NULL)
		fprintf(f, "'%s'", c->command);
	fprintf(f, ", every %s, timeout %s; %s", iv, to, when);
	if (c->abort_after > 0)
		fprintf(f, "; abort after %llu failures%s in a row",
		    (unsigned long long)c->abort_after,
		    check_has_conditions(c) ? " or deviations" : "");
	if (c->when & WHEN_AFTER)
		fprintf(f, "; recover within %s", rw);
	steady_line(c, f);
	fputc('\n', f);
}

void
timeline_print(const struct scenario *sc, FILE *f)
{
	char	 a[32], b[32], d[32], who[96];
	unsigned when = 0;
	int	 i;

	fmt_dur(sc->duration_ns, d, sizeof d);
	fprintf(f, "scenario %s (%s): duration %s", sc->name, sc->path, d);
	if (sc->have_seed)
		fprintf(f, ", seed %llu", (unsigned long long)sc->seed);
	goals_text(sc->mttd_max_ns, sc->mttr_max_ns, who, sizeof who);
	if (who[0] != '\0')
		fprintf(f, ", goals %s", who);
	fputc('\n', f);
	if (sc->description != NULL)
		fprintf(f, "  %s\n", sc->description);
	if (sc->command != NULL)
		fprintf(f, "workload: %s (under libinject; the chaos ends when "
		    "it exits, at %s at the latest)\n", sc->command, d);
	if (sc->nservices > 0) {
		fprintf(f, "services (under libinject, stopped at the end):\n");
		for (i = 0; i < sc->nservices; i++) {
			const struct sc_service *s = &sc->services[i];

			fprintf(f, "  %-16s %s", s->name, s->command);
			if (s->user != NULL)
				fprintf(f, "; as user %s", s->user);
			if (s->ready != NULL)
				fprintf(f, "; ready %s", s->ready);
			fprintf(f, "; restart %s", s->restart ==
			    RESTART_ON_FAILURE ? "on-failure" : "no");
			if (s->restart == RESTART_ON_FAILURE)
				fprintf(f, " (at most %llu times)",
				    (unsigned long long)s->restart_max);
			if (s->log != NULL)
				fprintf(f, "; output to %s", s->log);
			fputc('\n', f);
		}
	}
	if (sc->nchecks > 0) {
		fprintf(f, "checks (never under the faults):\n");
		for (i = 0; i < sc->nchecks; i++) {
			check_line(&sc->checks[i], f);
			when |= sc->checks[i].when;
		}
	}
	fprintf(f, "timeline:\n");
	if (sc->nservices > 0)
		fprintf(f, "  %-15s start the services, wait until ready\n",
		    "-");
	if (when & WHEN_BEFORE)
		fprintf(f, "  %-15s 'before' checks: the steady state, each "
		    "probed for its baseline (a failure: nothing is "
		    "injected)\n", "-");
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *ft = &sc->faults[i];
		char	win[80];

		fmt_dur(ft->start_ns, a, sizeof a);
		if (ft->for_ns == 0 && sc->command != NULL)
			snprintf(b, sizeof b, "end");
		else
			fmt_dur(fault_end_ns(sc, ft), b, sizeof b);
		snprintf(win, sizeof win, "%s..%s", a, b);
		snprintf(who, sizeof who, "%s.%s", fault_kind_name(ft->kind),
		    ft->name);
		fprintf(f, "  %-15s %-24s %s", win, who, ft->what);
		if (ft->optional)
			fprintf(f, " [optional]");
		fputc('\n', f);
	}
	if (sc->nfaults == 0)
		fprintf(f, "  %-15s (no faults)\n", "-");
	fmt_dur(chaos_end_ns(sc), b, sizeof b);
	fprintf(f, "  %-15s end of the chaos: everything reverted%s\n",
	    sc->command != NULL ? "end" : b,
	    sc->command != NULL ? " (when the workload exits)" : "");
	if (when & WHEN_AFTER)
		fprintf(f, "  %-15s 'after' checks: must pass again within "
		    "their recover_within\n", "-");
}

/*
 * What validate and --dry-run can tell before a run: faults nothing
 * will run under, services that need root. One "note:" line each on f;
 * returns how many.
 */
int
scenario_notes(const struct scenario *sc, FILE *f)
{
	char	note[512];
	int	i, n = 0;

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *ft = &sc->faults[i];

		if (ft->kind->lint != NULL &&
		    ft->kind->lint(sc, ft, note, sizeof note)) {
			fprintf(f, "%s:%d: note: [%s.%s] %s\n", sc->path, ft->line,
			    ft->kind->name, ft->name, note);
			n++;
		}
	}
	for (i = 0; i < sc->nservices; i++) {
		const struct sc_service *s = &sc->services[i];

		if (s->user == NULL)
			continue;
		if (geteuid() != 0 && s->uid != geteuid())
			fprintf(f, "%s:%d: note: [service.%s] runs as user %s: "
			    "chaosd run must run as root\n", sc->path, s->line,
			    s->name, s->user);
		else
			fprintf(f, "%s:%d: note: [service.%s] runs as user %s: "
			    "its processes map the run's fault table read-only, "
			    "through descriptors chaosd hands down, and count "
			    "into its reach file\n", sc->path, s->line, s->name,
			    s->user);
		n++;
	}
	return (n);
}
