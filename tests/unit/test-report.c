/*
 * test-report.c: the HTML and Prometheus reports of a synthetic run,
 * built here without running anything: a 1-hour scenario with a check
 * every 100 ms (36,000 probes), failures scattered through it, three
 * faults, a service that dies twice, and names, commands and messages
 * that try to break out of the markup (<script>, quotes, ampersands,
 * control characters, invalid UTF-8), one of them in place but having
 * matched nothing.
 *
 * The HTML report must stay under 1 MB with every failure visible (one
 * failing mark per separate failure), and carry nothing of the hostile
 * text unescaped. With CHAOSD_REPORT_OUT set, the 1-hour report is also
 * written there (make bench renders it in Chromium and times it).
 */
#include "unit.h"

#include "chaosd.h"
#include "kind.h"
#include "report.h"

#define HOUR_NS		(3600ull * NS_PER_S)
#define EVIL		"<script>alert('x&y')</script>\"\x01\x1b[31m\xff"

/* Failures, on the scenario clock: five alone, one burst of 30 s. */
static const uint64_t lone_fail_s[] = { 61, 700, 1500, 2222, 3500 };
#define BURST_FROM_S	1800
#define BURST_TO_S	1830

struct synth {
	struct scenario	 sc;
	struct run_result rr;
};

static void
add_event(struct run_result *rr, uint64_t t, enum ev_kind kind, int index,
    int status, int sig, const char *what)
{
	struct run_event *e;

	rr->events = xreallocarray(rr->events, rr->nevents + 1,
	    sizeof *rr->events);
	e = &rr->events[rr->nevents++];
	memset(e, 0, sizeof *e);
	e->t_ns = t;
	e->kind = kind;
	e->index = index;
	e->status = status;
	e->signal = sig;
	snprintf(e->what, sizeof e->what, "%s", what);
}

static int
failing_at(uint64_t t)
{
	size_t	i;

	if (t >= BURST_FROM_S * NS_PER_S && t < BURST_TO_S * NS_PER_S)
		return (1);
	for (i = 0; i < sizeof lone_fail_s / sizeof lone_fail_s[0]; i++)
		if (t == lone_fail_s[i] * NS_PER_S)
			return (1);
	return (0);
}

static struct synth *
synth_new(void)
{
	struct synth	*s = xcalloc(1, sizeof *s);
	struct scenario	*sc = &s->sc;
	struct run_result *rr = &s->rr;
	struct check_result *cr;
	uint64_t	 t;
	int		 i;

	sc->path = xstrdup("/srv/" EVIL ".ini");
	snprintf(sc->name, sizeof sc->name, "hour%s", EVIL);
	sc->description = xstrdup("an hour & more: " EVIL);
	sc->duration_ns = HOUR_NS;

	sc->nservices = 1;
	sc->services = xcalloc(1, sizeof *sc->services);
	snprintf(sc->services[0].name, SC_NAME_MAX, "api%s", EVIL);
	sc->services[0].command = xstrdup("./api --name '" EVIL "'");
	sc->services[0].ready = xstrdup("tcp://127.0.0.1:1");

	sc->nfaults = 3;
	sc->faults = xcalloc(3, sizeof *sc->faults);
	for (i = 0; i < 3; i++) {
		snprintf(sc->faults[i].name, SC_NAME_MAX, "f%d%s", i, EVIL);
		sc->faults[i].start_ns = (uint64_t)(600 + 1200 * i) * NS_PER_S;
		sc->faults[i].for_ns = 300 * NS_PER_S;
		snprintf(sc->faults[i].what, sizeof sc->faults[i].what,
		    "%%read:path=/srv/" EVIL ":error=EIO");
	}
	sc->faults[0].kind = sc->faults[1].kind = kind_find("inject");
	sc->faults[2].kind = kind_find("network");
	assert_non_null(sc->faults[0].kind);
	assert_non_null(sc->faults[2].kind);
	snprintf(sc->faults[2].what, sizeof sc->faults[2].what,
	    "--dev eth0 --delay 300ms --dst " EVIL);

	sc->nchecks = 2;
	sc->checks = xcalloc(2, sizeof *sc->checks);
	for (i = 0; i < 2; i++) {
		snprintf(sc->checks[i].name, SC_NAME_MAX, "c%d%s", i, EVIL);
		sc->checks[i].type = &check_http_type;
		sc->checks[i].url = xstrdup("http://127.0.0.1/?q=" EVIL);
		sc->checks[i].interval_ns = 100 * NS_PER_MS;
		sc->checks[i].when = WHEN_BEFORE | WHEN_DURING | WHEN_AFTER;
	}

	rr->sc = sc;
	rr->exit_status = 1;
	snprintf(rr->status, sizeof rr->status, "failed");
	snprintf(rr->reason, sizeof rr->reason, "check %s failed", EVIL);
	snprintf(rr->started, sizeof rr->started, "2026-12-01T12:00:00Z");
	rr->t0_mono = 1;
	rr->elapsed_ns = HOUR_NS;
	rr->chaos_end_ns = HOUR_NS - 60 * NS_PER_S;
	rr->workload = xstrdup("make test " EVIL);
	rr->workload_ran = 1;
	rr->workload_status = 0;
	pthread_mutex_init(&rr->lock, NULL);

	rr->checks = xcalloc(2, sizeof *rr->checks);
	for (i = 0; i < 2; i++) {
		cr = &rr->checks[i];
		cr->cap = 36100;
		cr->probes = xcalloc(cr->cap, sizeof *cr->probes);
		cr->probes[cr->nprobes].phase = WHEN_BEFORE;
		cr->probes[cr->nprobes++].latency_ns = NS_PER_MS;
		for (t = 0; t < HOUR_NS; t += 100 * NS_PER_MS) {
			struct probe *p = &cr->probes[cr->nprobes++];

			p->t_ns = t;
			p->phase = t < rr->chaos_end_ns ? WHEN_DURING :
			    WHEN_AFTER;
			p->latency_ns = NS_PER_MS + t % (7 * NS_PER_MS);
			p->v = i == 0 && failing_at(t) ? V_FAIL : V_PASS;
			if (p->v == V_FAIL)
				cr->fails++;
			else
				cr->passes++;
		}
		cr->ran = 1;
		cr->verdict = cr->fails > 0 ? V_FAIL : V_PASS;
		snprintf(cr->message, sizeof cr->message, "%s", EVIL);
	}
	checks_finish(rr);

	rr->faults = xcalloc(3, sizeof *rr->faults);
	for (i = 0; i < 3; i++) {
		struct fault_result *fr = &rr->faults[i];

		fr->status = FS_DONE;
		fr->applied = 1;
		fr->start_ns = sc->faults[i].start_ns;
		fr->end_ns = fr->start_ns + sc->faults[i].for_ns;
		fr->counted = i < 2;
		fr->matched = 1000;
		fr->injected = 10;
		fr->reached = 1;
		snprintf(fr->reach, sizeof fr->reach, "injected 10 of 1000 "
		    "matching calls %s", EVIL);
		fr->ttd_ms = fr->ttr_ms = -1;
		snprintf(fr->message, sizeof fr->message, "%s", EVIL);
	}
	rr->faults[0].reached = 0;	/* in place, but it matched nothing */
	snprintf(rr->faults[0].reach, sizeof rr->faults[0].reach,
	    "matched no call in its window");
	rr->faults[1].ttd_ms = 1200;
	rr->faults[1].ttr_ms = 3400;
	rr->faults[2].ttd_ms = 500;

	rr->services = xcalloc(1, sizeof *rr->services);
	rr->services[0].ready = 1;
	rr->services[0].died = 2;
	rr->services[0].restarts = 1;
	snprintf(rr->services[0].message, 256, "%s", EVIL);
	add_event(rr, 600 * NS_PER_S, EV_FAULT_ON, 0, -1, 0, "f0 " EVIL);
	add_event(rr, 1000 * NS_PER_S, EV_SERVICE_DIED, 0, -1, 11,
	    "service api killed by signal 11 (SIGSEGV)");
	add_event(rr, 1100 * NS_PER_S, EV_SERVICE_RESTARTED, 0, -1, 0,
	    "service api restarted " EVIL);
	add_event(rr, 3000 * NS_PER_S, EV_SERVICE_DIED, 0, 3, 0,
	    "service api exited with status 3");
	return (s);
}

static void
synth_free(struct synth *s)
{
	int	i;

	for (i = 0; i < 2; i++) {
		free(s->rr.checks[i].probes);
		free(s->sc.checks[i].url);
	}
	free(s->rr.checks);
	free(s->rr.faults);
	free(s->rr.services);
	free(s->rr.events);
	free(s->rr.workload);
	free(s->sc.checks);
	free(s->sc.faults);
	free(s->sc.services[0].command);
	free(s->sc.services[0].ready);
	free(s->sc.services);
	free(s->sc.description);
	free(s->sc.path);
	pthread_mutex_destroy(&s->rr.lock);
	free(s);
}

/* The report in memory, NUL-terminated. */
static char *
render(const struct report_format *fmt, const struct run_result *rr,
    size_t *len)
{
	char	*buf = NULL;
	FILE	*f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(fmt->write(rr, f), 0);
	assert_int_equal(fclose(f), 0);
	return (buf);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

/* One check lane's text, from its <g> to the next lane. */
static char *
lane(const char *html, const char *kind, int nth)
{
	const char *p = html, *end;
	char	 open[64];
	int	 i;

	snprintf(open, sizeof open, "<g class=\"lane %s\"", kind);
	for (i = 0; i <= nth; i++) {
		p = strstr(i == 0 ? p : p + 1, open);
		assert_non_null(p);
	}
	end = strstr(p + 1, "<g class=\"lane ");
	if (end == NULL)
		end = strstr(p, "</svg>");
	assert_non_null(end);
	return (strndup(p, (size_t)(end - p)));
}

static void
test_html_hour(void **state)
{
	struct synth *s = synth_new();
	const char *out = getenv("CHAOSD_REPORT_OUT");
	char	*html, *c0, *c1;
	size_t	 len;

	(void)state;
	html = render(&report_html_format, &s->rr, &len);
	print_message("# 1-hour report, 2 checks, 72,002 probes: %zu bytes\n",
	    len);
	assert_true(len < 1000000);
	if (out != NULL && *out != '\0') {
		FILE *f = fopen(out, "w");

		assert_non_null(f);
		assert_int_equal(fwrite(html, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	/* a lane per fault, service and check */
	assert_int_equal(count(html, "<g class=\"lane fault\""), 3);
	assert_int_equal(count(html, "<g class=\"lane service\""), 1);
	assert_int_equal(count(html, "<g class=\"lane check\""), 2);
	/* every failure visible: five alone and one burst, six marks */
	c0 = lane(html, "check", 0);
	c1 = lane(html, "check", 1);
	assert_int_equal(count(c0, "class=\"p fail\""), 6);
	assert_int_equal(count(c1, "class=\"p fail\""), 0);
	assert_true(count(c0, "class=\"p pass\"") >= 6);
	/* the passing stretches between them are merged, not 36,000 marks */
	assert_true(count(c1, "class=\"p pass\"") <= 3);
	free(c0);
	free(c1);
	/* both deaths and the restart on the service's lane */
	assert_int_equal(count(html, "class=\"death\""), 2);
	assert_int_equal(count(html, "class=\"restart\""), 1);
	assert_contains(html, ">SIGSEGV<");
	assert_contains(html, ">exit 3<");
	/* the brackets: one detected and recovered, one never recovered */
	assert_int_equal(count(html, "<g class=\"ttd\""), 2);
	assert_int_equal(count(html, "<g class=\"ttr\""), 1);
	assert_int_equal(count(html, "<g class=\"ttr never\""), 1);
	assert_contains(html, "data-outcome=\"rec\"");
	assert_contains(html, "data-outcome=\"bad\"");
	assert_contains(html, "data-outcome=\"miss\"");
	assert_contains(html, ">did not happen<");
	assert_contains(html, "class=\"reach no\">matched no call");
	free(html);
	synth_free(s);
}

static void
test_html_escaping(void **state)
{
	struct synth *s = synth_new();
	char	*html, *p;
	size_t	 len, i;

	(void)state;
	html = render(&report_html_format, &s->rr, &len);
	assert_int_equal(strlen(html), len);
	/* no script of any case, nothing loaded from elsewhere */
	for (p = html; *p != '\0'; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "url("));
	assert_contains(html, "content-security-policy");
	/* the hostile text is there, as text */
	assert_contains(html, "&lt;script&gt;alert(&#39;x&amp;y&#39;)"
	    "&lt;/script&gt;&quot;[31m?");
	/* no control characters but newlines, no invalid UTF-8 */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)html[i];

		assert_false(c < 0x20 && c != '\n');
		assert_false(c == 0x7f || c == 0xff);
	}
	free(html);
	synth_free(s);
}

static void
test_prom_escaping(void **state)
{
	struct synth *s = synth_new();
	char	*prom, *line;
	size_t	 len;

	(void)state;
	prom = render(&report_prom_format, &s->rr, &len);
	/* label values: '\' '"' newline escaped, the rest as it is */
	assert_contains(prom, "chaosd_run_exit_status{scenario=\"hour<script>"
	    "alert('x&y')</script>\\\"\x01\x1b[31m?\"} 1\n");
	assert_contains(prom, "chaosd_fault_time_to_detect_seconds{scenario="
	    "\"hour");
	assert_contains(prom, ",kind=\"network\"} 0.500000000\n");
	assert_contains(prom, "quantile=\"0.99\"} 0.");
	assert_contains(prom, "chaosd_check_latency_seconds_count{");
	assert_contains(prom, "chaosd_service_deaths_total{scenario=");
	assert_contains(prom, "\",service=\"api<script>");
	/* every line a comment or name{labels} value, no stray newline */
	for (line = strtok(prom, "\n"); line != NULL;
	    line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		assert_true(strncmp(line, "chaosd_", 7) == 0);
		assert_non_null(strstr(line, "} "));
	}
	free(prom);
	synth_free(s);
}

static void
test_text_deaths(void **state)
{
	struct synth *s = synth_new();
	char	*text;
	size_t	 len;

	(void)state;
	text = render(&report_text_format, &s->rr, &len);
	assert_contains(text, "    1000.0s killed by signal 11 (SIGSEGV), "
	    "restarted 1m40s later\n");
	assert_contains(text, "    3000.0s exited with status 3\n");
	assert_contains(text, "time to detect 1.20s, time to recover 3.40s");
	assert_contains(text, "time to detect 500ms, not recovered");
	/* one that did not happen has nothing to detect */
	assert_int_equal(count(text, "not detected"), 0);
	assert_contains(text, ", matched no call in its window (");
	free(text);
	synth_free(s);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_html_hour),
	cmocka_unit_test(test_html_escaping),
	cmocka_unit_test(test_prom_escaping),
	cmocka_unit_test(test_text_deaths),
};

UNIT_MAIN(tests)
