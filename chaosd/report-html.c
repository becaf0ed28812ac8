/*
 * report-html.c: --report html=FILE, one page a person reads after a
 * game day: the verdict and a row of key numbers, the timeline
 * (html-timeline.c, inline SVG), then a table each for the faults, the
 * checks, the services and the events.
 *
 * One self-contained file: the style is inline, the chart is SVG drawn
 * by chaosd, fonts are the reader's own, there is no script (tooltips
 * are SVG <title>s), and a Content-Security-Policy forbids loading
 * anything, so it opens the same from a mail attachment, a CI artifact
 * or a disk with no network. Every string from the scenario or the
 * system goes through markup_text() (svg.c). The events table is cut
 * at EVENTS_SHOWN rows (the JSON report has them all).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "report.h"

#define EVENTS_SHOWN	500

static const char style[] =
"*{box-sizing:border-box}"
"body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,"
"-apple-system,'Segoe UI',Roboto,'DejaVu Sans','Liberation Sans',sans-serif}"
"main{max-width:1240px;margin:0 auto;padding:20px}"
"header{background:#fff;border-radius:10px;padding:18px 22px;"
"border-left:10px solid #888;box-shadow:0 1px 3px rgba(0,0,0,.08)}"
"header.passed{border-color:#1f9d55}header.failed{border-color:#d64545}"
"header.aborted{border-color:#e8833a}header.rollback_failed{border-color:#8b1e3f}"
"header.error{border-color:#6b7280}header.inconclusive{border-color:#8250df}"
".verdict{display:inline-block;font-weight:700;color:#fff;padding:3px 12px;"
"border-radius:6px;background:#6b7280;letter-spacing:.04em;margin-right:10px;"
"vertical-align:middle}"
".passed .verdict{background:#1f9d55}.failed .verdict{background:#d64545}"
".aborted .verdict{background:#e8833a}.rollback_failed .verdict{background:#8b1e3f}"
".inconclusive .verdict{background:#8250df}"
"h1{display:inline;font-size:24px;vertical-align:middle;margin:0}"
"h2{font-size:16px;margin:26px 0 8px}"
".meta{color:#59636e;margin:8px 0 0}.reason{margin:8px 0 0;font-weight:600}"
".desc{margin:6px 0 0}"
".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}"
".card{background:#fff;border-radius:10px;padding:12px 16px;min-width:150px;"
"flex:1;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:4px solid #d0d7de}"
".card b{display:block;font-size:22px}.card span{color:#59636e;font-size:13px}"
".card.good{border-color:#1f9d55}.card.bad{border-color:#d64545}"
".card.warn{border-color:#e8a33d}"
".panel{background:#fff;border-radius:10px;padding:14px;overflow-x:auto;"
"box-shadow:0 1px 3px rgba(0,0,0,.08)}"
"svg.tl{display:block;max-width:100%;height:auto;font-size:12px}"
".legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:10px 4px 0;"
"color:#59636e;font-size:12.5px}"
".legend i{display:inline-block;width:14px;height:10px;border-radius:2px;"
"margin-right:5px;vertical-align:middle}"
"table{border-collapse:collapse;width:100%;background:#fff;border-radius:10px;"
"overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.08)}"
"th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eaeef2;"
"vertical-align:top}"
"th{background:#f6f8fa;font-weight:600;font-size:13px;color:#424a53}"
"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
"code{font:12px ui-monospace,'DejaVu Sans Mono',monospace;word-break:break-all}"
".tag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
"font-weight:600;background:#eaeef2;white-space:nowrap}"
".tag.passed,.tag.applied,.tag.ok{background:#d8f0e0;color:#116632}"
".tag.failed,.tag.error,.tag.revert_failed,.tag.bad{background:#fbe0e0;color:#a11}"
".tag.rec{background:#fdebd0;color:#8a4b00}"
".tag.inconclusive{background:#ece2fb;color:#5b2bab}"
".tag.skipped,.tag.not_reached,.tag.not_run{background:#eaeef2;color:#59636e}"
".bar{display:inline-block;width:60px;height:8px;background:#f3c7c7;"
"border-radius:4px;overflow:hidden;vertical-align:middle;margin-right:6px}"
".bar i{display:block;height:100%;background:#3bb273}"
".reach.yes{color:#116632}.reach.no{color:#a11;font-weight:600}"
"details summary{cursor:pointer;color:#59636e;font-size:12.5px}"
"pre{font:12px ui-monospace,'DejaVu Sans Mono',monospace;white-space:pre-wrap;"
"background:#f6f8fa;padding:8px;border-radius:6px;margin:6px 0 0}"
".muted{color:#8c959f}footer{color:#8c959f;font-size:12px;margin:24px 0}"
/* the chart */
".tl text{fill:#1f2328}.tl .tick{fill:#59636e;text-anchor:middle;font-size:11px}"
".tl .end{text-anchor:end}.tl .mid{text-anchor:middle}"
".tl .ytick{fill:#8c959f;text-anchor:end;font-size:10.5px}"
".tl .grid{stroke:#d8dee4;stroke-width:.6}"
".tl .rule{stroke:#d0d7de;stroke-width:1}"
".tl .head{font-weight:700;fill:#59636e;font-size:11px;letter-spacing:.08em}"
".tl .band{fill:#9a6700;font-size:10.5px;font-weight:600;letter-spacing:.05em}"
".tl .name{font-weight:600}.tl .sub{fill:#8c959f;font-size:10.5px}"
".band-before{fill:#eef1f4}.band-chaos{fill:#fff8ec}.band-after{fill:#eef6ff}"
".fw{stroke-width:1}.fw.ok{fill:#7c8cc9;stroke:#5a6aad}"
".fw.rec{fill:#e8a33d;stroke:#c9821b}.fw.bad{fill:#d64545;stroke:#a82d2d}"
".fw.err{fill:#8b1e3f;stroke:#5e1029}.fw.miss{fill:#d0d7de;stroke:#8c959f}"
".fw.planned{fill:none;stroke:#8c959f;stroke-dasharray:4 3}"
".tl .fl-in{fill:#fff;font-size:11px;font-weight:600}"
".tl .fl-out{fill:#424a53;font-size:11px}"
".wash{opacity:.12}.wash.ok{fill:#7c8cc9}.wash.rec{fill:#e8a33d}"
".wash.bad,.wash.err{fill:#d64545}"
".ttd path,.ttr path{fill:none;stroke-width:1.5}"
".ttd path{stroke:#d64545}.ttr path{stroke:#1f9d55}"
".never path{stroke:#d64545;stroke-dasharray:3 3}"
".tl .bl{font-size:10.5px;font-weight:600}.tl .ttd .bl{fill:#b42323}"
".tl .ttr .bl{fill:#137a3e}.tl .never .bl{fill:#b42323}"
".up{fill:#9fd8b3}.down{fill:#f6caca;stroke:#d64545;stroke-width:.6}"
".death{fill:#d64545;stroke:#fff;stroke-width:1}"
".restart{fill:#1f9d55;stroke:#fff;stroke-width:1}"
".rdy{fill:#1f9d55}.unrdy{fill:#d64545}"
".tl .dl{fill:#b42323;font-size:10.5px;font-weight:600}"
".p.pass{fill:#3bb273}.p.fail{fill:#e04848}.p.err{fill:#9aa0a6}"
".lat polyline{stroke-width:1.6;stroke-linejoin:round}"
".lf{fill:#e04848;stroke:#fff;stroke-width:.8}"
".tl .legend{font-size:11.5px;fill:#424a53}"
".tl .bl,.tl .fl-out,.tl .dl{paint-order:stroke;stroke:rgba(255,255,255,.85);"
"stroke-width:3px;stroke-linejoin:round}";

/* open, then s escaped, then close */
static void
wrapped(FILE *f, const char *open, const char *s, const char *close)
{
	fputs(open, f);
	markup_text(f, s);
	fputs(close, f);
}

static void
td_tag(FILE *f, const char *cls, const char *text)
{
	fprintf(f, "<td><span class=\"tag %s\">", cls);
	wrapped(f, "", text, "</span></td>");
}

/*
 * A time to detect or recover (or "not recovered"), the goal beside it
 * (mttd_max, mttr_max) when there is one.
 */
static void
td_goal(FILE *f, int64_t ms, int never, uint64_t goal_ns)
{
	char	t[32];

	if (never)
		fputs("<td><span class=\"tag bad\">not recovered</span>", f);
	else if (ms < 0)
		fputs("<td class=\"n muted\">-", f);
	else {
		report_span_ms(ms, t, sizeof t);
		fprintf(f, "<td class=\"n\">%s", t);
	}
	if (goal_ns > 0) {
		fmt_dur(goal_ns, t, sizeof t);
		fprintf(f, " <span class=\"muted\">(goal %s)</span>", t);
	}
	fputs("</td>", f);
}

static void
card(FILE *f, const char *cls, const char *big, const char *small)
{
	fprintf(f, "<div class=\"card %s\">", cls);
	wrapped(f, "<b>", big, "</b>");
	wrapped(f, "<span>", small, "</span></div>\n");
}

static void
header(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	char	 up[32], el[32];

	report_status_upper(rr->status, up, sizeof up);
	report_secs(rr->elapsed_ns, el, sizeof el);
	fprintf(f, "<header class=\"%s\"><span class=\"verdict\">%s</span>",
	    rr->status, up);
	wrapped(f, "<h1>", sc->name, "</h1>\n");
	fprintf(f, "<p class=\"meta\">exit status %d &middot; "
	    "%s from the start of the chaos to the end &middot; started %s",
	    rr->exit_status, el, rr->started);
	if (sc->have_seed)
		fprintf(f, " &middot; seed %llu", (unsigned long long)sc->seed);
	wrapped(f, " &middot; <code>", sc->path, "</code></p>\n");
	if (sc->description != NULL)
		wrapped(f, "<p class=\"desc\">", sc->description, "</p>\n");
	if (rr->reason[0] != '\0')
		wrapped(f, "<p class=\"reason\">", rr->reason, "</p>\n");
	fputs("</header>\n", f);
}

static void
cards(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	uint64_t probes = 0, passed = 0;
	int64_t	 ttd = -1, ttr = -1;
	char	 big[64], small[128], d[32];
	int	 i, applied = 0, ok = 0, det = 0, unrec = 0, deaths = 0,
		 restarts = 0, missed = 0;

	for (i = 0; i < sc->nfaults; i++) {
		const struct fault_result *fr = &rr->faults[i];

		applied += fr->applied;
		missed += fr->applied && fr->reached == 0;
		if (fr->ttd_ms < 0)
			continue;
		det++;
		ttd = fr->ttd_ms > ttd ? fr->ttd_ms : ttd;
		if (fr->ttr_ms < 0)
			unrec++;
		ttr = fr->ttr_ms > ttr ? fr->ttr_ms : ttr;
	}
	for (i = 0; i < sc->nchecks; i++) {
		ok += rr->checks[i].ran && rr->checks[i].verdict == V_PASS;
		probes += rr->checks[i].nprobes;
		passed += rr->checks[i].passes;
	}
	for (i = 0; i < sc->nservices; i++) {
		deaths += rr->services[i].died;
		restarts += rr->services[i].restarts;
	}
	fputs("<section class=\"cards\">\n", f);
	if (sc->nfaults > 0) {
		snprintf(big, sizeof big, "%d of %d", applied, sc->nfaults);
		if (missed > 0)
			snprintf(small, sizeof small, "faults applied; %d did "
			    "not happen (reached nothing)", missed);
		else
			snprintf(small, sizeof small, "faults applied");
		card(f, missed > 0 ? "bad" : applied == sc->nfaults ? "" :
		    "warn", big, small);
	}
	if (sc->nchecks > 0) {
		snprintf(big, sizeof big, "%d of %d", ok, sc->nchecks);
		snprintf(small, sizeof small, "checks passed; %llu of %llu "
		    "probes (%.1f%%)", (unsigned long long)passed,
		    (unsigned long long)probes, probes > 0 ? 100.0 *
		    (double)passed / (double)probes : 0.0);
		card(f, ok == sc->nchecks ? "good" : "bad", big, small);
	}
	if (applied > 0 && sc->nchecks > 0) {
		if (det > 0) {
			report_span_ms(ttd, d, sizeof d);
			snprintf(small, sizeof small, "slowest time to detect "
			    "(%d of %d faults detected)", det, applied);
		} else
			snprintf(small, sizeof small, "no fault was detected "
			    "by the checks");
		card(f, "", det > 0 ? d : "-", small);
		if (unrec > 0) {
			snprintf(big, sizeof big, "%d of %d", unrec, det);
			card(f, "bad", big, "detected faults never recovered "
			    "from");
		} else if (det > 0) {
			report_span_ms(ttr, d, sizeof d);
			card(f, "good", d, "slowest time to recover");
		}
	}
	if (sc->nservices > 0) {
		snprintf(big, sizeof big, "%d", deaths);
		snprintf(small, sizeof small, "service death%s, %d restart%s",
		    deaths == 1 ? "" : "s", restarts, restarts == 1 ? "" : "s");
		card(f, deaths > 0 ? "warn" : "good", big, small);
	}
	if (rr->workload != NULL) {
		if (!rr->workload_ran)
			snprintf(big, sizeof big, "not run");
		else if (rr->workload_signal != 0)
			snprintf(big, sizeof big, "signal %d",
			    rr->workload_signal);
		else
			snprintf(big, sizeof big, "exit %d",
			    rr->workload_status);
		card(f, rr->workload_ran && rr->workload_signal == 0 &&
		    rr->workload_status == 0 ? "good" : "bad", big, "workload");
	}
	fputs("</section>\n", f);
}

static void
legend(FILE *f)
{
	static const struct {
		const char *colour, *text;
	} keys[] = {
		{ "#7c8cc9", "fault on, no check noticed" },
		{ "#e8a33d", "fault detected, then recovered" },
		{ "#d64545", "fault detected, not recovered" },
		{ "#8b1e3f", "fault could not be applied or reverted" },
		{ "#d0d7de", "fault in place, did not happen (reached nothing)" },
		{ "#3bb273", "probe passed" },
		{ "#e04848", "probe failed" },
		{ "#9aa0a6", "probe could not run" },
		{ "#9fd8b3", "service up" },
		{ "#f6caca", "service down" },
	};
	size_t	i;

	fputs("<div class=\"legend\">", f);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>",
		    keys[i].colour, keys[i].text);
	fputs("<span>brackets under a fault: <b style=\"color:#b42323\">time "
	    "to detect</b>, <b style=\"color:#137a3e\">time to recover</b>"
	    "</span><span>one mark per probe; a mark holding many shows "
	    "their count on hover, and any failure among them</span></div>\n",
	    f);
}

static void
faults_table(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	char	 a[32], b[32], det[256];
	int	 i;

	fputs("<h2>Faults</h2>\n<table><tr><th>Fault</th><th>What</th>"
	    "<th>Planned</th><th>Applied</th><th>Status</th><th>Reached its "
	    "target</th><th>Time to detect</th><th>Time to recover</th></tr>\n",
	    f);
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *ft = &sc->faults[i];
		const struct fault_result *fr = &rr->faults[i];

		fputs("<tr><td><b>", f);
		markup_printf(f, "%s.%s", fault_kind_name(ft->kind), ft->name);
		fputs("</b>", f);
		if (ft->optional)
			fputs(" <span class=\"muted\">optional</span>", f);
		fputs("</td>", f);
		wrapped(f, "<td><code>", ft->what, "</code></td>");
		report_secs(ft->start_ns, a, sizeof a);
		report_secs(fault_end_ns(sc, ft), b, sizeof b);
		fprintf(f, "<td class=\"n\">%s..%s</td>", a, b);
		if (fr->applied) {
			report_secs(fr->start_ns, a, sizeof a);
			report_secs(fr->end_ns, b, sizeof b);
			fprintf(f, "<td class=\"n\">%s..%s</td>", a, b);
		} else
			fputs("<td class=\"n muted\">-</td>", f);
		fprintf(f, "<td><span class=\"tag %s\">%s</span>",
		    fault_status_name(fr->status),
		    fault_status_name(fr->status));
		if (fr->message[0] != '\0')
			wrapped(f, "<br><span class=\"muted\">", fr->message,
			    "</span>");
		fputs("</td>", f);
		if (fr->applied && fr->reach[0] != '\0') {
			fprintf(f, "<td class=\"reach %s\">", fr->reached == 0 ?
			    "no" : fr->reached > 0 ? "yes" : "");
			wrapped(f, "", fr->reach, "</td>");
		} else
			fputs("<td class=\"muted\">-</td>", f);
		fault_detection_text(rr, i, det, sizeof det);
		if (fr->ttd_ms < 0 && det[0] != '\0')
			wrapped(f, "<td colspan=\"2\"><span class=\"tag ok\">",
			    det, "</span></td>");
		else {
			td_goal(f, fr->ttd_ms, 0, sc->mttd_max_ns);
			td_goal(f, fr->ttr_ms, fr->ttd_ms >= 0 &&
			    fr->ttr_ms < 0, sc->mttr_max_ns);
		}
		fputs("</tr>\n", f);
		if (fr->goal[0] != '\0')
			wrapped(f, "<tr><td></td><td colspan=\"7\"><span "
			    "class=\"tag bad\">goal missed</span> ", fr->goal,
			    "</td></tr>\n");
	}
	fputs("</table>\n", f);
}

static void
checks_table(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	char	 l[4][32];
	int	 i;

	fputs("<h2>Checks</h2>\n<table><tr><th>Check</th><th>Target</th>"
	    "<th>Status</th><th>Probes passed</th><th>p50</th><th>p90</th>"
	    "<th>p99</th><th>max</th><th>Last failure</th></tr>\n", f);
	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];
		const struct check_result *cr = &rr->checks[i];
		const char *st = cr->ran ? verdict_name(cr->verdict) : "not_run";
		double	 rate = cr->nprobes > 0 ? (double)cr->passes /
		    (double)cr->nprobes : 0;

		fprintf(f, "<tr><td><i style=\"display:inline-block;width:9px;"
		    "height:9px;border-radius:2px;background:%s\"></i> <b>",
		    html_check_colour(i));
		markup_text(f, c->name);
		fprintf(f, "</b> <span class=\"muted\">%s</span></td>",
		    c->type->name);
		wrapped(f, "<td><code>", c->url != NULL ? c->url :
		    c->address != NULL ? c->address : c->command,
		    "</code></td>");
		td_tag(f, st, st);
		if (cr->nprobes == 0) {
			fputs("<td class=\"n muted\" colspan=\"5\">no probes"
			    "</td>", f);
		} else {
			report_ms(cr->p50_ns, l[0], sizeof l[0]);
			report_ms(cr->p90_ns, l[1], sizeof l[1]);
			report_ms(cr->p99_ns, l[2], sizeof l[2]);
			report_ms(cr->max_ns, l[3], sizeof l[3]);
			fprintf(f, "<td class=\"n\"><span class=\"bar\"><i "
			    "style=\"width:%.0f%%\"></i></span>%llu / %zu "
			    "(%.1f%%)</td><td class=\"n\">%s</td><td class=\"n\">"
			    "%s</td><td class=\"n\">%s</td><td class=\"n\">%s"
			    "</td>", 100 * rate, (unsigned long long)cr->passes,
			    cr->nprobes, 100 * rate, l[0], l[1], l[2], l[3]);
		}
		wrapped(f, "<td>", cr->fails + cr->errors > 0 ? cr->message :
		    "", "</td>");
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/*
 * Each check's steady state: what its baseline measured, its conditions
 * and the limits they came to, how it deviated, its goals.
 */
static void
steady_table(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	char	 buf[512], t[32];
	int	 i;

	fputs("<h2>Steady state</h2>\n<table><tr><th>Check</th><th>Baseline"
	    "</th><th>Conditions</th><th>Deviations</th><th>Goals</th></tr>\n",
	    f);
	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];
		const struct check_result *cr = &rr->checks[i];

		wrapped(f, "<tr><td><b>", c->name, "</b></td>");
		baseline_text(c, cr, buf, sizeof buf);
		wrapped(f, "<td>", buf[0] != '\0' ? buf : "-", "</td>");
		conditions_text(c, cr, buf, sizeof buf);
		wrapped(f, "<td>", buf[0] != '\0' ? buf : "-", "</td>");
		if (cr->deviations > 0) {
			report_secs(cr->deviation_t_ns, t, sizeof t);
			fprintf(f, "<td><span class=\"tag bad\">%llu</span> "
			    "first at %s: ", (unsigned long long)
			    cr->deviations, t);
			wrapped(f, "", cr->deviation, "</td>");
		} else
			fprintf(f, "<td class=\"muted\">%s</td>",
			    check_has_conditions(c) && cr->ran ? "none" : "-");
		goals_text(c->mttd_max_ns, c->mttr_max_ns, buf, sizeof buf);
		if (buf[0] != '\0')
			wrapped(f, "<td>", buf, "</td></tr>\n");
		else
			fputs("<td class=\"muted\">-</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
services_table(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	char	 d[32];
	int	 i;

	fputs("<h2>Services</h2>\n<table><tr><th>Service</th><th>Command</th>"
	    "<th>Ready</th><th>Deaths</th><th>Restarts</th><th>Last death"
	    "</th></tr>\n", f);
	for (i = 0; i < sc->nservices; i++) {
		const struct service_result *sr = &rr->services[i];

		wrapped(f, "<tr><td><b>", sc->services[i].name, "</b></td>");
		wrapped(f, "<td><code>", sc->services[i].command,
		    "</code></td>");
		report_ms(sr->ready_ns, d, sizeof d);
		if (sc->services[i].ready == NULL)
			fputs("<td class=\"muted\">not waited for</td>", f);
		else if (sr->ready)
			fprintf(f, "<td class=\"n\">after %s</td>", d);
		else
			fputs("<td><span class=\"tag failed\">never</span></td>",
			    f);
		fprintf(f, "<td class=\"n\">%d</td><td class=\"n\">%d</td>",
		    sr->died, sr->restarts);
		wrapped(f, "<td>", sr->message, "");
		if (sr->log_tail[0] != '\0')
			wrapped(f, "<details><summary>the end of its log"
			    "</summary><pre>", sr->log_tail, "</pre></details>");
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
events_table(FILE *f, const struct run_result *rr)
{
	static const char *const cls[] = {
		[EV_NOTE] = "", [EV_FAULT_ON] = "rec", [EV_FAULT_OFF] = "ok",
		[EV_FAULT_FAILED] = "bad", [EV_SERVICE_DIED] = "bad",
		[EV_SERVICE_RESTARTED] = "ok", [EV_WORKLOAD_START] = "",
		[EV_WORKLOAD_EXIT] = "", [EV_ABORT] = "bad"
	};
	const char *k;
	char	 t[32];
	size_t	 j;

	fputs("<h2>Events</h2>\n<table><tr><th>Time</th><th>Kind</th>"
	    "<th>What happened</th></tr>\n", f);
	for (j = 0; j < rr->nevents && j < EVENTS_SHOWN; j++) {
		const struct run_event *e = &rr->events[j];

		report_secs(e->t_ns, t, sizeof t);
		fprintf(f, "<tr><td class=\"n\">%s</td><td><span class=\"tag "
		    "%s\">", t, cls[e->kind]);
		for (k = event_kind_name(e->kind); *k != '\0'; k++)
			fputc(*k == '_' ? ' ' : *k, f);
		fputs("</span></td>", f);
		wrapped(f, "<td>", e->what, "</td>");
		fputs("</tr>\n", f);
	}
	if (rr->nevents > EVENTS_SHOWN)
		fprintf(f, "<tr><td></td><td></td><td class=\"muted\">and %zu "
		    "more (the JSON report has every event)</td></tr>\n",
		    rr->nevents - EVENTS_SHOWN);
	fputs("</table>\n", f);
}

static int
html_write(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	char	 up[32];

	report_status_upper(rr->status, up, sizeof up);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "\n<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n", f);
	fprintf(f, "<meta name=\"generator\" content=\"chaosd %s\">\n<title>",
	    PACKAGE_VERSION);
	markup_printf(f, "%s: %s - chaosd", sc->name, up);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body><main>\n", style);
	header(f, rr);
	cards(f, rr);
	fputs("<h2>Timeline</h2>\n<div class=\"panel\">\n", f);
	html_timeline(f, rr);
	legend(f);
	fputs("</div>\n", f);
	if (sc->nfaults > 0)
		faults_table(f, rr);
	if (sc->nchecks > 0) {
		checks_table(f, rr);
		steady_table(f, rr);
	}
	if (sc->nservices > 0)
		services_table(f, rr);
	if (rr->workload != NULL) {
		fputs("<h2>Workload</h2>\n<table><tr><th>Command</th><th>Result"
		    "</th></tr>\n<tr>", f);
		wrapped(f, "<td><code>", rr->workload, "</code></td>");
		if (!rr->workload_ran)
			fputs("<td>not started</td>", f);
		else if (rr->workload_signal != 0)
			fprintf(f, "<td><span class=\"tag failed\">killed by "
			    "signal %d</span></td>", rr->workload_signal);
		else
			fprintf(f, "<td><span class=\"tag %s\">exit status %d"
			    "</span></td>", rr->workload_status == 0 ?
			    "passed" : "failed", rr->workload_status);
		fputs("</tr></table>\n", f);
	}
	if (rr->nevents > 0)
		events_table(f, rr);
	fprintf(f, "<footer>chaosd %s &middot; the scenario clock starts at "
	    "the chaos (0s); 'before' is the steady state checked first"
	    "</footer>\n</main></body></html>\n", PACKAGE_VERSION);
	return (ferror(f) ? -1 : 0);
}

const struct report_format report_html_format = {
	.name = "html",
	.write = html_write,
};
