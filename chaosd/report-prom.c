/*
 * report-prom.c: --report prom=FILE, the run's results in the Prometheus
 * text exposition format (version 0.0.4), for node_exporter's textfile
 * collector: point it at a directory, have chaosd write NAME.prom there
 * (written to a temporary name, then renamed, as every report is, so
 * the collector never reads half a file; the temporary name does not
 * end in .prom).
 *
 * The conventions: every name begins with chaosd_, says its unit in base
 * units (_seconds), counters end in _total; a HELP and a TYPE line per
 * family, its samples together; no timestamps (the collector refuses
 * them). Every sample has the scenario label, so several scenarios'
 * files can sit side by side; faults, checks and services have their
 * name (and kind or type). Label values are UTF-8 with '\', '"' and
 * newlines escaped. A value that does not exist (no time to detect when
 * nothing was detected) is left out rather than written as NaN. The
 * metric names are listed in chaosd.scenario(5); keep the two in step.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chaosd.h"
#include "report.h"

static void
label_value(FILE *f, const char *s)
{
	char	*clean;
	size_t	 len = strlen(s) + 1;
	const char *p;

	clean = xmalloc(len);
	utf8_clean(clean, len, s);
	for (p = clean; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	free(clean);
}

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{scenario="...",KEY="VALUE"...: the caller closes with "} value" */
static void
sample(FILE *f, const struct run_result *rr, const char *name,
    const char *key, const char *value)
{
	fprintf(f, "%s{scenario=\"", name);
	label_value(f, rr->sc->name);
	fputc('"', f);
	if (key != NULL) {
		fprintf(f, ",%s=\"", key);
		label_value(f, value);
		fputc('"', f);
	}
}

static void
label(FILE *f, const char *key, const char *value)
{
	fprintf(f, ",%s=\"", key);
	label_value(f, value);
	fputc('"', f);
}

static void
end_u64(FILE *f, uint64_t v)
{
	fprintf(f, "} %llu\n", (unsigned long long)v);
}

static void
end_secs(FILE *f, uint64_t ns)
{
	fprintf(f, "} %llu.%09llu\n", (unsigned long long)(ns / NS_PER_S),
	    (unsigned long long)(ns % NS_PER_S));
}

/* a ratio, 0 to 1 and a little over, written from integers */
static void
end_ratio(FILE *f, double r)
{
	uint64_t ppm = r > 0 ? (uint64_t)(r * 1e6 + 0.5) : 0;

	fprintf(f, "} %llu.%06llu\n", (unsigned long long)(ppm / 1000000),
	    (unsigned long long)(ppm % 1000000));
}

static void
fault_sample(FILE *f, const struct run_result *rr, const char *name, int i)
{
	sample(f, rr, name, "fault", rr->sc->faults[i].name);
	label(f, "kind", fault_kind_name(rr->sc->faults[i].kind));
}

static void
check_sample(FILE *f, const struct run_result *rr, const char *name, int i)
{
	sample(f, rr, name, "check", rr->sc->checks[i].name);
	label(f, "type", rr->sc->checks[i].type->name);
}

static void
run_metrics(const struct run_result *rr, FILE *f)
{
	static const char *const outcomes[] = {
		"passed", "failed", "error", "aborted", "rollback_failed",
		"inconclusive"
	};
	struct tm tm;
	time_t	 t0 = 0;
	size_t	 k;

	family(f, "chaosd_run_info", "gauge", "The run: its scenario file, "
	    "outcome and chaosd's version (always 1).");
	sample(f, rr, "chaosd_run_info", "file", rr->sc->path);
	label(f, "status", rr->status);
	label(f, "version", PACKAGE_VERSION);
	end_u64(f, 1);
	family(f, "chaosd_run_status", "gauge", "The run's outcome: 1 for the "
	    "one it had, 0 for the others.");
	for (k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++) {
		sample(f, rr, "chaosd_run_status", "status", outcomes[k]);
		end_u64(f, strcmp(rr->status, outcomes[k]) == 0);
	}
	family(f, "chaosd_run_exit_status", "gauge", "chaosd run's exit "
	    "status: 0 passed, 1 failed, 3 aborted, 4 rollback failed, 5 "
	    "inconclusive.");
	sample(f, rr, "chaosd_run_exit_status", NULL, NULL);
	end_u64(f, (uint64_t)rr->exit_status);
	memset(&tm, 0, sizeof tm);
	if (strptime(rr->started, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
		t0 = timegm(&tm);
	family(f, "chaosd_run_start_time_seconds", "gauge", "When the run "
	    "started, in seconds since the epoch.");
	sample(f, rr, "chaosd_run_start_time_seconds", NULL, NULL);
	end_u64(f, (uint64_t)t0);
	family(f, "chaosd_run_duration_seconds", "gauge", "From the start of "
	    "the chaos to the end of the run, recovery checks included.");
	sample(f, rr, "chaosd_run_duration_seconds", NULL, NULL);
	end_secs(f, rr->elapsed_ns);
}

/* The fault families, in order; fault_value() gives each one's value. */
enum fault_metric {
	FM_APPLIED, FM_REACHED, FM_ACTIVE, FM_MATCHED, FM_INJECTED, FM_TTD,
	FM_TTR, FM_TTD_GOAL, FM_TTR_GOAL, FM_GOALS_MET
};
static const struct {
	const char	*name, *type, *help;
} fault_families[] = {
	[FM_APPLIED] = { "chaosd_fault_applied", "gauge", "1 when the fault "
	    "was applied, 0 when it was skipped, failed or never reached." },
	[FM_REACHED] = { "chaosd_fault_reached", "gauge", "The proof: 1 when "
	    "the fault reached its target, 0 when it did not happen (left out "
	    "when it cannot be known)." },
	[FM_ACTIVE] = { "chaosd_fault_active_seconds", "gauge", "How long the "
	    "fault was in place." },
	[FM_MATCHED] = { "chaosd_fault_matched_calls_total", "counter",
	    "Calls the fault's rule matched in its window (kinds that count "
	    "calls)." },
	[FM_INJECTED] = { "chaosd_fault_injected_calls_total", "counter",
	    "Calls the fault's rule failed, delayed or crashed (kinds that "
	    "count calls)." },
	[FM_TTD] = { "chaosd_fault_time_to_detect_seconds", "gauge", "From "
	    "the fault's start to the first check that failed under it." },
	[FM_TTR] = { "chaosd_fault_time_to_recover_seconds", "gauge", "From "
	    "the fault's end to the moment every check that detected it "
	    "passed again." },
	[FM_TTD_GOAL] = { "chaosd_fault_time_to_detect_goal_seconds", "gauge",
	    "The goal for the time to detect ([scenario] mttd_max)." },
	[FM_TTR_GOAL] = { "chaosd_fault_time_to_recover_goal_seconds",
	    "gauge", "The goal for the time to recover ([scenario] "
	    "mttr_max)." },
	[FM_GOALS_MET] = { "chaosd_fault_goals_met", "gauge", "1 when the "
	    "fault met every goal (mttd_max, mttr_max: the scenario's and the "
	    "checks'), 0 when it missed one." },
};

/* Is there a goal, the scenario's or a check's? */
static int
any_goal(const struct scenario *sc)
{
	int	k;

	if (sc->mttd_max_ns > 0 || sc->mttr_max_ns > 0)
		return (1);
	for (k = 0; k < sc->nchecks; k++)
		if (sc->checks[k].mttd_max_ns > 0 ||
		    sc->checks[k].mttr_max_ns > 0)
			return (1);
	return (0);
}

/* 0 when fault i has no such value; else 1, a count, or 2, in ns. */
static int
fault_value(const struct run_result *rr, int i, enum fault_metric m,
    uint64_t *v)
{
	const struct fault_result *fr = &rr->faults[i];
	const struct scenario *sc = rr->sc;

	switch (m) {
	case FM_APPLIED:
		*v = (uint64_t)fr->applied;
		return (1);
	case FM_REACHED:
		*v = (uint64_t)fr->reached;
		return (fr->applied && fr->reached >= 0);
	case FM_ACTIVE:
		*v = fr->end_ns > fr->start_ns ? fr->end_ns - fr->start_ns : 0;
		return (fr->applied ? 2 : 0);
	case FM_MATCHED:
	case FM_INJECTED:
		*v = m == FM_MATCHED ? fr->matched : fr->injected;
		return (fr->counted && fr->applied);
	case FM_TTD:
	case FM_TTR:
		*v = (uint64_t)(m == FM_TTD ? fr->ttd_ms : fr->ttr_ms) *
		    NS_PER_MS;
		return ((m == FM_TTD ? fr->ttd_ms : fr->ttr_ms) >= 0 ? 2 : 0);
	case FM_TTD_GOAL:
	case FM_TTR_GOAL:
		*v = m == FM_TTD_GOAL ? sc->mttd_max_ns : sc->mttr_max_ns;
		return (fr->applied && *v > 0 ? 2 : 0);
	case FM_GOALS_MET:
		*v = fr->goal[0] == '\0';
		return (fr->applied && any_goal(sc));
	}
	return (0);
}

static void
fault_metrics(const struct run_result *rr, FILE *f)
{
	size_t	 m;
	uint64_t v;
	int	 i, kind;

	for (m = 0; m < sizeof fault_families / sizeof fault_families[0];
	    m++) {
		family(f, fault_families[m].name, fault_families[m].type,
		    fault_families[m].help);
		for (i = 0; i < rr->sc->nfaults; i++) {
			kind = fault_value(rr, i, m, &v);
			if (kind == 0)
				continue;
			fault_sample(f, rr, fault_families[m].name, i);
			if (m == FM_APPLIED)
				label(f, "status", fault_status_name(
				    rr->faults[i].status));
			if (kind == 2)
				end_secs(f, v);
			else
				end_u64(f, v);
		}
	}
}

static const char *const quantiles[] = { "0.5", "0.9", "0.99" };

static void
check_metrics(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	int	 i;
	size_t	 k, j;

	family(f, "chaosd_check_passed", "gauge", "1 when the check passed "
	    "(its verdict over the run), 0 when it failed or could not run.");
	for (i = 0; i < sc->nchecks; i++) {
		if (!rr->checks[i].ran)
			continue;
		check_sample(f, rr, "chaosd_check_passed", i);
		end_u64(f, rr->checks[i].verdict == V_PASS);
	}
	family(f, "chaosd_check_probes_total", "counter", "The check's probes, "
	    "by result: passed, failed, or error (could not run).");
	for (i = 0; i < sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];

		check_sample(f, rr, "chaosd_check_probes_total", i);
		label(f, "result", "passed");
		end_u64(f, cr->passes);
		check_sample(f, rr, "chaosd_check_probes_total", i);
		label(f, "result", "failed");
		end_u64(f, cr->fails);
		check_sample(f, rr, "chaosd_check_probes_total", i);
		label(f, "result", "error");
		end_u64(f, cr->errors);
	}
	family(f, "chaosd_check_latency_seconds", "summary", "How long the "
	    "check's probes took (nearest-rank quantiles over the run).");
	for (i = 0; i < sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];
		uint64_t v[3] = { cr->p50_ns, cr->p90_ns, cr->p99_ns }, sum = 0;

		if (cr->nprobes == 0)
			continue;
		for (k = 0; k < 3; k++) {
			check_sample(f, rr, "chaosd_check_latency_seconds", i);
			label(f, "quantile", quantiles[k]);
			end_secs(f, v[k]);
		}
		for (j = 0; j < cr->nprobes; j++)
			sum += cr->probes[j].latency_ns;
		check_sample(f, rr, "chaosd_check_latency_seconds_sum", i);
		end_secs(f, sum);
		check_sample(f, rr, "chaosd_check_latency_seconds_count", i);
		end_u64(f, cr->nprobes);
	}
}

/* The checks' steady state families, in order (steady_value() fills them). */
enum steady_metric {
	SM_PROBES, SM_ERRORS, SM_LATENCY, SM_LATENCY_LIMIT, SM_ERROR_LIMIT,
	SM_DEVIATIONS
};
static const struct {
	const char	*name, *type, *help;
	int		 quantiles;	/* a sample per quantile */
} steady_families[] = {
	[SM_PROBES] = { "chaosd_check_baseline_probes", "gauge", "The "
	    "probes of the check's baseline, before the faults (those that "
	    "could not run aside).", 0 },
	[SM_ERRORS] = { "chaosd_check_baseline_error_ratio", "gauge", "The "
	    "share of the baseline's probes that failed.", 0 },
	[SM_LATENCY] = { "chaosd_check_baseline_latency_seconds", "gauge",
	    "The baseline's latency quantiles (nearest rank).", 1 },
	[SM_LATENCY_LIMIT] = { "chaosd_check_latency_limit_seconds", "gauge",
	    "A latency condition's limit (max_p50, max_p90, max_p99) on the "
	    "window's quantile, as the baseline made it.", 1 },
	[SM_ERROR_LIMIT] = { "chaosd_check_error_ratio_limit", "gauge",
	    "max_error_rate's limit on the window's share of failed probes, "
	    "as the baseline made it.", 0 },
	[SM_DEVIATIONS] = { "chaosd_check_deviations_total", "counter",
	    "Probes whose window was past one of the check's conditions.", 0 },
};

/*
 * 0 when check i has no such value (at quantile k); 1 a count, 2 ns,
 * 3 a ratio.
 */
static int
steady_value(const struct run_result *rr, int i, enum steady_metric m,
    int k, uint64_t *v, double *ratio)
{
	const struct sc_check *c = &rr->sc->checks[i];
	const struct check_result *cr = &rr->checks[i];
	const struct baseline *b = &cr->base;

	switch (m) {
	case SM_PROBES:
		*v = b->probes;
		return (b->probes > 0);
	case SM_ERRORS:
		*ratio = b->error_rate;
		return (b->probes > 0 ? 3 : 0);
	case SM_LATENCY:
		*v = b->p_ns[k];
		return (b->probes > 0 ? 2 : 0);
	case SM_LATENCY_LIMIT:
		*v = b->max_ns[k];
		return (*v > 0 ? 2 : 0);
	case SM_ERROR_LIMIT:
		*ratio = b->max_rate;
		return (check_tolerates(c) && b->max_rate >= 0 ? 3 : 0);
	case SM_DEVIATIONS:
		*v = cr->deviations;
		return (check_has_conditions(c));
	}
	return (0);
}

/* The checks' steady state: baselines, the limits they gave, deviations. */
static void
steady_metrics(const struct run_result *rr, FILE *f)
{
	size_t	 m;
	uint64_t v = 0;
	double	 ratio = 0;
	int	 i, k, kind;

	for (m = 0; m < sizeof steady_families / sizeof steady_families[0];
	    m++) {
		family(f, steady_families[m].name, steady_families[m].type,
		    steady_families[m].help);
		for (i = 0; i < rr->sc->nchecks; i++) {
			for (k = 0; k < (steady_families[m].quantiles ? 3 : 1);
			    k++) {
				kind = steady_value(rr, i, m, k, &v, &ratio);
				if (kind == 0)
					continue;
				check_sample(f, rr, steady_families[m].name, i);
				if (steady_families[m].quantiles)
					label(f, "quantile", quantiles[k]);
				if (kind == 3)
					end_ratio(f, ratio);
				else if (kind == 2)
					end_secs(f, v);
				else
					end_u64(f, v);
			}
		}
	}
}

static void
service_metrics(const struct run_result *rr, FILE *f)
{
	static const struct {
		const char	*name, *type, *help;
	} families[] = {
		{ "chaosd_service_ready", "gauge", "1 when the service became "
		    "ready before the chaos." },
		{ "chaosd_service_deaths_total", "counter", "Times the service "
		    "died before the end of the run." },
		{ "chaosd_service_restarts_total", "counter", "Times chaosd "
		    "started the service again (restart = on-failure)." },
	};
	const struct service_result *sr;
	size_t	 m;
	int	 i;

	for (m = 0; m < sizeof families / sizeof families[0]; m++) {
		family(f, families[m].name, families[m].type,
		    families[m].help);
		for (i = 0; i < rr->sc->nservices; i++) {
			sr = &rr->services[i];
			sample(f, rr, families[m].name, "service",
			    rr->sc->services[i].name);
			end_u64(f, (uint64_t)(m == 0 ? sr->ready : m == 1 ?
			    sr->died : sr->restarts));
		}
	}
}

static int
prom_write(const struct run_result *rr, FILE *f)
{
	run_metrics(rr, f);
	if (rr->sc->nfaults > 0)
		fault_metrics(rr, f);
	if (rr->sc->nchecks > 0) {
		check_metrics(rr, f);
		steady_metrics(rr, f);
	}
	if (rr->sc->nservices > 0)
		service_metrics(rr, f);
	return (ferror(f) ? -1 : 0);
}

const struct report_format report_prom_format = {
	.name = "prom",
	.write = prom_write,
};
