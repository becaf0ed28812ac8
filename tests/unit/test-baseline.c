/*
 * test-baseline.c: the steady state (baseline.c) and what a run makes of
 * it (run-verdict.c): the limits a baseline gives, in each form; when a
 * baseline is refused; a probe judged on its window (full windows only,
 * errors aside, the baseline's probes in it); the time to detect and to
 * recover with deviations, per check; goals met and missed, and what
 * the reports say of them. Probes are made by hand: no clock, no
 * service.
 */
#include "unit.h"

#include "chaosd.h"
#include "report.h"
#include "run.h"

/* cmd-run.c comes with run-verdict.c; its usage line is main.c's */
void
cmd_usage(const struct cmd_entry *e, int to_stderr)
{
	(void)e;
	(void)to_stderr;
}

static struct scenario *
load(const char *text)
{
	char	*path = unit_tmpfile(text, strlen(text)), err[1024];
	struct scenario *sc;

	sc = scenario_load(path, err, sizeof err);
	if (sc == NULL) {
		print_error("%s\n", err);
		fail();
	}
	unlink(path);
	free(path);
	return (sc);
}

/* A probe of check k at t_ms, taking lat_ms; judged as a run judges it. */
static void
add(const struct scenario *sc, struct check_result *crs, int k, uint64_t t_ms,
    uint64_t lat_ms, int phase, enum verdict v)
{
	struct check_result *cr = &crs[k];
	struct probe	*p;

	if (cr->nprobes == cr->cap) {
		cr->cap = cr->cap ? cr->cap * 2 : 16;
		cr->probes = realloc(cr->probes, cr->cap * sizeof *cr->probes);
		assert_non_null(cr->probes);
	}
	p = &cr->probes[cr->nprobes++];
	memset(p, 0, sizeof *p);
	p->t_ns = t_ms * NS_PER_MS;
	p->latency_ns = lat_ms * NS_PER_MS;
	p->phase = phase;
	p->v = v;
	if (phase == WHEN_DURING)
		p->deviated = baseline_judge(&sc->checks[k], cr);
}

/* 10 before probes of check k, 10ms to 100ms, the first nfail failed */
static void
base10(const struct scenario *sc, struct check_result *crs, int k, int nfail)
{
	int	j;

	for (j = 1; j <= 10; j++)
		add(sc, crs, k, 0, (uint64_t)j * 10, WHEN_BEFORE,
		    j <= nfail ? V_FAIL : V_PASS);
	baseline_learn(&sc->checks[k], &crs[k]);
}

static void
limits(void **state)
{
	struct scenario	*sc;
	struct check_result cr[2];
	char	 buf[512];

	(void)state;
	sc = load("[check.a]\ntype = tcp\naddress = h:1\nbaseline = 10\n"
	    "max_p50 = +50ms\nmax_p90 = 250ms\nmax_p99 = 3x\n"
	    "max_error_rate = 2x\n"
	    "[check.b]\ntype = tcp\naddress = h:1\nbaseline = 10\n"
	    "max_error_rate = 1.5x\n");
	memset(cr, 0, sizeof cr);
	base10(sc, cr, 0, 0);
	/* nearest rank over 10: p50 the 5th, p90 the 9th, p99 the 10th */
	assert_true(cr[0].base.p_ns[0] == 50 * NS_PER_MS);
	assert_true(cr[0].base.p_ns[1] == 90 * NS_PER_MS);
	assert_true(cr[0].base.p_ns[2] == 100 * NS_PER_MS);
	assert_true(cr[0].base.max_ns[0] == 100 * NS_PER_MS);
	assert_true(cr[0].base.max_ns[1] == 250 * NS_PER_MS);
	assert_true(cr[0].base.max_ns[2] == 300 * NS_PER_MS);
	/* no failure in 10: taken as one in 10, twice that */
	assert_true(cr[0].base.max_rate > 0.199 && cr[0].base.max_rate < 0.201);
	/* 2 failures in 10: 20%, 1.5 times that */
	base10(sc, cr, 1, 2);
	assert_true(cr[1].base.max_rate > 0.299 && cr[1].base.max_rate < 0.301);
	assert_true(cr[1].base.fails == 2 && cr[1].base.probes == 10);

	conditions_text(&sc->checks[0], &cr[0], buf, sizeof buf);
	assert_string_equal(buf, "max_p50 = +50ms (100ms), max_p90 = 250ms, "
	    "max_p99 = 3x (300ms), max_error_rate = 2x (20%) over the last "
	    "10 probes");
	conditions_text(&sc->checks[0], NULL, buf, sizeof buf);
	assert_string_equal(buf, "max_p50 = +50ms, max_p90 = 250ms, "
	    "max_p99 = 3x, max_error_rate = 2x over the last 10 probes");
	baseline_text(&sc->checks[1], &cr[1], buf, sizeof buf);
	assert_string_equal(buf, "10 probes, 8 passed, p50 50ms p90 90ms "
	    "p99 100ms");
	free(cr[0].probes);
	free(cr[1].probes);
	scenario_free(sc);
}

/* check k of text, with 10 before probes (nfail failed): refused? */
static int
refused(const char *text, int nfail, char *why, size_t len)
{
	struct scenario	*sc = load(text);
	struct check_result cr;
	int	 r;

	memset(&cr, 0, sizeof cr);
	strcpy(cr.message, "connection refused");
	base10(sc, &cr, 0, nfail);
	why[0] = '\0';
	r = baseline_refused(&sc->checks[0], &cr, why, len);
	free(cr.probes);
	scenario_free(sc);
	return (r);
}

/* a check with a baseline of 10 probes, and what follows */
#define A10	"[check.a]\ntype = tcp\naddress = h:1\nbaseline = 10\n"

static void
refusals(void **state)
{
	char	why[512];

	(void)state;
	/* without max_error_rate, every baseline probe must pass */
	assert_int_equal(refused(A10, 0, why, sizeof why), 0);
	assert_int_equal(refused(A10, 1, why, sizeof why), 1);
	assert_string_equal(why, "1 of 10 baseline probes failed (last: "
	    "connection refused)");
	/* an absolute rate: the baseline's must be within it */
	assert_int_equal(refused(A10 "max_error_rate = 10%\n", 1, why,
	    sizeof why), 0);
	assert_int_equal(refused(A10 "max_error_rate = 10%\n", 2, why,
	    sizeof why), 1);
	assert_string_equal(why, "its baseline error rate, 20% (2 of 10 "
	    "probes failed), is already over max_error_rate = 10%");
	/* a relative one: below one half */
	assert_int_equal(refused(A10 "max_error_rate = 2x\n", 4, why,
	    sizeof why), 0);
	assert_int_equal(refused(A10 "max_error_rate = 2x\n", 5, why,
	    sizeof why), 1);
	assert_contains(why, "is no steady state to keep");
	/* an absolute latency limit the baseline is already past */
	assert_int_equal(refused(A10 "max_p90 = 80ms\n", 0, why,
	    sizeof why), 1);
	assert_string_equal(why, "its baseline p90, 90ms, is already over "
	    "max_p90 = 80ms");
	assert_int_equal(refused(A10 "max_p90 = 90ms\n", 0, why,
	    sizeof why), 0);
}

static void
judge_latency(void **state)
{
	struct scenario	*sc;
	struct check_result cr;
	int	 j;

	(void)state;
	sc = load("[check.a]\ntype = tcp\naddress = h:1\nbaseline = 10\n"
	    "max_p99 = 3x\nwindow = 4\n");
	memset(&cr, 0, sizeof cr);
	base10(sc, &cr, 0, 0);
	add(sc, &cr, 0, 100, 50, WHEN_DURING, V_PASS);
	assert_int_equal(cr.probes[10].deviated, 0);
	/* 400ms > 3x 100ms: its window deviates for 4 probes */
	add(sc, &cr, 0, 200, 400, WHEN_DURING, V_PASS);
	assert_int_equal(cr.probes[11].deviated, 1u << COND_P99);
	assert_string_equal(cr.deviation, "max_p99 = 3x: p99 400ms over the "
	    "last 4 probes, above 300ms (3x the baseline's 100ms)");
	assert_true(cr.deviation_t_ns == 200 * NS_PER_MS);
	/* an error is no probe of the window */
	add(sc, &cr, 0, 250, 1, WHEN_DURING, V_ERROR);
	assert_int_equal(cr.probes[12].deviated, 0);
	for (j = 0; j < 4; j++)
		add(sc, &cr, 0, 300 + (uint64_t)j * 100, 50, WHEN_DURING,
		    V_PASS);
	assert_int_equal(cr.probes[13].deviated, 1u << COND_P99);
	assert_int_equal(cr.probes[15].deviated, 1u << COND_P99);
	assert_int_equal(cr.probes[16].deviated, 0);
	assert_true(cr.deviations == 4);
	/* a deviation counts against the check; recovered is the probe's own */
	assert_true(probe_bad(&sc->checks[0], &cr.probes[13]));
	assert_true(probe_ok(&cr, &cr.probes[13]));
	assert_false(probe_ok(&cr, &cr.probes[11]));
	free(cr.probes);
	scenario_free(sc);

	/* a window is judged only once full */
	sc = load("[check.a]\ntype = tcp\naddress = h:1\nmax_p50 = 10ms\n"
	    "window = 3\n");
	memset(&cr, 0, sizeof cr);
	baseline_learn(&sc->checks[0], &cr);
	add(sc, &cr, 0, 0, 900, WHEN_DURING, V_PASS);
	add(sc, &cr, 0, 0, 900, WHEN_DURING, V_PASS);
	assert_int_equal(cr.probes[1].deviated, 0);
	add(sc, &cr, 0, 0, 900, WHEN_DURING, V_PASS);
	assert_int_equal(cr.probes[2].deviated, 1u << COND_P50);
	assert_string_equal(cr.deviation, "max_p50 = 10ms: p50 900ms over the "
	    "last 3 probes");
	free(cr.probes);
	scenario_free(sc);
}

static void
judge_error_rate(void **state)
{
	struct scenario	*sc;
	struct check_result cr;
	int	 j;

	(void)state;
	sc = load("[check.a]\ntype = tcp\naddress = h:1\nbaseline = 10\n"
	    "max_error_rate = 5%\nwindow = 20\n");
	memset(&cr, 0, sizeof cr);
	base10(sc, &cr, 0, 0);
	for (j = 0; j < 10; j++)
		add(sc, &cr, 0, 100, 10, WHEN_DURING, V_PASS);
	/* one failure in 20 is 5%: tolerated, and not bad */
	add(sc, &cr, 0, 100, 10, WHEN_DURING, V_FAIL);
	assert_int_equal(cr.probes[20].deviated, 0);
	assert_false(probe_bad(&sc->checks[0], &cr.probes[20]));
	add(sc, &cr, 0, 100, 10, WHEN_DURING, V_PASS);
	add(sc, &cr, 0, 100, 10, WHEN_DURING, V_FAIL);
	assert_int_equal(cr.probes[22].deviated, 1u << COND_ERROR_RATE);
	assert_string_equal(cr.deviation, "max_error_rate = 5%: 2 of the last "
	    "20 probes failed (10%)");
	free(cr.probes);
	scenario_free(sc);
}

static void
times_and_goals(void **state)
{
	struct scenario	*sc;
	struct run_result rr;
	struct fault_result fr;
	struct check_result cr[2];
	char	 buf[512];
	int	 j;

	(void)state;
	sc = load("[scenario]\nmttd_max = 1s\nmttr_max = 150ms\n"
	    "[inject.x]\ncall = read\nerror = EIO\n"
	    "[check.a]\ntype = tcp\naddress = h:1\nbaseline = 10\n"
	    "max_p99 = 3x\nwindow = 2\n"
	    "[check.b]\ntype = tcp\naddress = h:1\nmax_error_rate = 50%\n"
	    "window = 2\nmttr_max = 1s\n");
	memset(&rr, 0, sizeof rr);
	memset(&fr, 0, sizeof fr);
	memset(cr, 0, sizeof cr);
	rr.sc = sc;
	rr.checks = cr;
	rr.faults = &fr;
	fr.applied = 1;
	fr.reached = 1;
	fr.start_ns = 1000 * NS_PER_MS;
	fr.end_ns = 2000 * NS_PER_MS;
	base10(sc, cr, 0, 0);
	baseline_learn(&sc->checks[1], &cr[1]);
	/* a: fine, then 3x slower from 1.3s; recovered at 2.2s */
	add(sc, cr, 0, 900, 50, WHEN_DURING, V_PASS);
	add(sc, cr, 0, 1100, 50, WHEN_DURING, V_PASS);
	add(sc, cr, 0, 1300, 400, WHEN_DURING, V_PASS);
	add(sc, cr, 0, 1900, 400, WHEN_DURING, V_PASS);
	add(sc, cr, 0, 2100, 400, WHEN_DURING, V_PASS);	/* still slow */
	add(sc, cr, 0, 2200, 50, WHEN_AFTER, V_PASS);
	/* b: one failure in its window of 2, within its 50% */
	for (j = 0; j < 6; j++)
		add(sc, cr, 1, 900 + (uint64_t)j * 200, 10, WHEN_DURING,
		    j == 2 ? V_FAIL : V_PASS);
	assert_true(cr[1].deviations == 0);
	fault_times(&rr);
	assert_true(fr.ttd_ms == 300);
	assert_true(fr.ct[0].ttd_ms == 300 && fr.ct[0].ttr_ms == 200);
	assert_true(fr.ct[1].ttd_ms == -1 && fr.ct[1].ttr_ms == -1);
	assert_true(fr.ttr_ms == 200);
	assert_string_equal(fr.goal, "time to recover 200ms, over mttr_max = "
	    "150ms");
	fault_detection_text(&rr, 0, buf, sizeof buf);
	assert_string_equal(buf, "time to detect 300ms (goal 1s), time to "
	    "recover 200ms (goal 150ms)");

	/* nothing detected: absorbed, whatever the goals */
	cr[0].nprobes = 12;
	fault_times(&rr);
	assert_true(fr.ttd_ms == -1 && fr.goal[0] == '\0');
	fault_detection_text(&rr, 0, buf, sizeof buf);
	assert_string_equal(buf, "not detected: the system absorbed it");
	/* ... unless it never happened */
	fr.reached = 0;
	fault_detection_text(&rr, 0, buf, sizeof buf);
	assert_string_equal(buf, "");
	free(fr.ct);
	free(cr[0].probes);
	free(cr[1].probes);
	scenario_free(sc);
}

static void
check_goals(void **state)
{
	struct scenario	*sc;
	struct run_result rr;
	struct fault_result fr;
	struct check_result cr;

	(void)state;
	sc = load("[inject.x]\ncall = read\nerror = EIO\n"
	    "[check.a]\ntype = tcp\naddress = h:1\nmttd_max = 100ms\n");
	memset(&rr, 0, sizeof rr);
	memset(&fr, 0, sizeof fr);
	memset(&cr, 0, sizeof cr);
	rr.sc = sc;
	rr.checks = &cr;
	rr.faults = &fr;
	fr.applied = 1;
	fr.end_ns = 1000 * NS_PER_MS;
	add(sc, &cr, 0, 250, 1, WHEN_DURING, V_FAIL);
	fault_times(&rr);
	assert_string_equal(fr.goal, "check a: time to detect 250ms, over its "
	    "mttd_max = 100ms");
	/* detected, never recovered: a recovery goal is missed */
	scenario_free(sc);
	sc = load("[inject.x]\ncall = read\nerror = EIO\n"
	    "[check.a]\ntype = tcp\naddress = h:1\nmttr_max = 1h\n");
	rr.sc = sc;
	fault_times(&rr);
	assert_string_equal(fr.goal, "check a: not recovered, its mttr_max = "
	    "1h");
	free(fr.ct);
	free(cr.probes);
	scenario_free(sc);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(limits),
	cmocka_unit_test(refusals),
	cmocka_unit_test(judge_latency),
	cmocka_unit_test(judge_error_rate),
	cmocka_unit_test(times_and_goals),
	cmocka_unit_test(check_goals),
};

UNIT_MAIN(tests)
