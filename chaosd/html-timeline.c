/*
 * html-timeline.c: the HTML report's chart, one inline SVG drawn here,
 * on the scenario clock (0: the start of the chaos).
 *
 * Left to right: the lane names, a narrow 'before' column (the steady
 * state: services ready, the 'before' probes), then the clock, the chaos
 * window and the recovery checks after it shaded. Top to bottom: a lane
 * per fault (its window coloured by outcome, what it hit, brackets for
 * the time to detect and to recover), a lane per service (up, died with
 * its signal or status, restarted), a lane per check (its probes, pass
 * or fail), and a panel with each check's latency over time (log scale).
 *
 * It scales by binning: the clock is cut into one bin per unit of width
 * (948 of them), probes are counted per bin and consecutive bins of the
 * same state are one mark, a bin with a failure being a failing bin, so
 * that every failure stays visible however long the run. A 1-hour run
 * with a 100 ms check is as big as a 10-second one. Tooltips are SVG
 * <title> elements: no script.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "report.h"

#define W		1200.0
#define LABEL_X		12.0
#define GUT_X		186.0	/* the 'before' column */
#define GUT_W		34.0
#define PLOT_X		228.0
#define PLOT_W		948.0
#define NBINS		948
#define AXIS_H		30.0
#define HEAD_H		24.0
#define FAULT_H		44.0
#define SERVICE_H	28.0
#define CHECK_H		26.0
#define LAT_H		170.0
#define NAME_CHARS	24
#define DEATH_LABELS	12	/* more deaths than this: markers only */

static const char *const check_colours[] = {
	"#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2",
	"#9d755d", "#eeca3b"
};

const char *
html_check_colour(int i)
{
	return (check_colours[i % (int)(sizeof check_colours /
	    sizeof check_colours[0])]);
}

/* The clock's extent: the whole run, recovery checks included. */
uint64_t
report_span_ns(const struct run_result *rr)
{
	uint64_t span = rr->elapsed_ns;
	size_t	 j;
	int	 i;

	if (rr->chaos_end_ns > span)
		span = rr->chaos_end_ns;
	for (i = 0; i < rr->sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];

		if (cr->nprobes > 0 && cr->probes[cr->nprobes - 1].t_ns > span)
			span = cr->probes[cr->nprobes - 1].t_ns;
	}
	for (j = 0; j < rr->nevents; j++)
		if (rr->events[j].t_ns > span)
			span = rr->events[j].t_ns;
	return (span < NS_PER_MS ? NS_PER_S : span);
}

/*
 * What a fault's window says: ok (applied, no check noticed), rec
 * (detected and recovered), bad (detected, not recovered), miss (in
 * place, but it reached nothing: it did not happen), err (could not be
 * applied or reverted), off (skipped or never reached).
 */
const char *
html_fault_outcome(const struct run_result *rr, int i)
{
	const struct fault_result *fr = &rr->faults[i];

	if (fr->status == FS_FAILED || fr->status == FS_REVERT_FAILED)
		return ("err");
	if (!fr->applied)
		return ("off");
	if (fr->reached == 0)
		return ("miss");
	if (fr->ttd_ms < 0)
		return ("ok");
	return (fr->ttr_ms >= 0 ? "rec" : "bad");
}

/* About how wide text is at 11px, in the chart's units. */
static double
text_width(const char *s)
{
	double	w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w += 6.3;
	return (w);
}

/* A name cut to the label column ("..." when cut), whole in its tooltip. */
static void
lane_name(FILE *f, double x, double y, const char *cls, const char *name,
    const char *title)
{
	char	 buf[NAME_CHARS * 4 + 8];
	size_t	 n = 0, chars = 0;

	for (; name[n] != '\0' && n + 8 < sizeof buf; n++) {
		if (((unsigned char)name[n] & 0xc0) != 0x80 &&
		    ++chars > NAME_CHARS)
			break;
		buf[n] = name[n];
	}
	if (name[n] != '\0')
		memcpy(buf + n, "\xe2\x80\xa6", 4);	/* U+2026 */
	else
		buf[n] = '\0';
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\"><title>", x, y,
	    cls);
	markup_text(f, title != NULL ? title : name);
	fputs("</title>", f);
	markup_text(f, buf);
	fputs("</text>", f);
}

static void
heading(FILE *f, double y, const char *text)
{
	svg_text(f, LABEL_X, y + 16, "head", text);
	svg_line(f, LABEL_X, y + HEAD_H - 2, W - 12, y + HEAD_H - 2, "rule");
}

/* "delay 100ms dport 18080" from "--dev lo --delay 100ms --dport 18080" */
/* What the fault's bar says: the calls it hit, or what it is. */
static void
fault_label(const struct run_result *rr, int i, char *buf, size_t len)
{
	const struct fault_result *fr = &rr->faults[i];

	if (!fr->applied)
		snprintf(buf, len, "%s", fault_status_name(fr->status));
	else if (fr->reached == 0)
		snprintf(buf, len, "did not happen");
	else if (fr->counted)
		snprintf(buf, len, "injected %llu of %llu calls",
		    (unsigned long long)fr->injected,
		    (unsigned long long)fr->matched);
	else
		snprintf(buf, len, "%.150s", rr->sc->faults[i].what);
}

/*
 * A bracket under a fault's bar, from x1 to x2, its label starting at lx
 * (or ending there, with end). Returns where the label ends.
 */
static double
bracket(FILE *f, double x1, double x2, double y, const char *cls,
    const char *label, const char *title, double lx, int end)
{
	if (x2 - x1 < 2)
		x2 = x1 + 2;
	fprintf(f, "<g class=\"%s\"><title>", cls);
	markup_text(f, title);
	fprintf(f, "</title><path d=\"M%.1f %.1fv5H%.1fv-5\"/>", x1, y - 5,
	    x2);
	svg_text(f, lx, y + 4, end ? "bl end" : "bl", label);
	fputs("</g>", f);
	return (end ? lx : lx + text_width(label));
}

static void
fault_lane(FILE *f, const struct run_result *rr, const struct tscale *ts,
    int i, double y)
{
	const struct sc_fault *ft = &rr->sc->faults[i];
	const struct fault_result *fr = &rr->faults[i];
	const char *out = html_fault_outcome(rr, i);
	char	 label[160], title[2048], a[32], b[32], cls[32];
	double	 x1, x2, px1, px2, lw, used = 0;
	uint64_t pend = fault_end_ns(rr->sc, ft);

	fputs("<g class=\"lane fault\" data-name=\"", f);
	markup_text(f, ft->name);
	fprintf(f, "\" data-outcome=\"%s\">", out);
	lane_name(f, LABEL_X, y + 17, "name", ft->name, NULL);
	snprintf(title, sizeof title, "%s: %s", fault_kind_name(ft->kind),
	    ft->what);
	lane_name(f, LABEL_X, y + 31, "sub", title, NULL);

	px1 = tscale_x(ts, ft->start_ns);
	px2 = tscale_x(ts, pend);
	fault_label(rr, i, label, sizeof label);
	report_secs(fr->start_ns, a, sizeof a);
	report_secs(fr->end_ns, b, sizeof b);
	snprintf(title, sizeof title, "%s.%s: %s %s..%s\n%s%s%s%s%s",
	    fault_kind_name(ft->kind), ft->name, fault_status_name(fr->status),
	    fr->applied ? a : "", fr->applied ? b : "", ft->what,
	    fr->reach[0] != '\0' ? "\n" : "", fr->reach,
	    fr->message[0] != '\0' ? "\n" : "", fr->message);
	if (!fr->applied) {
		/* its planned window, unless the chaos never started */
		if (rr->t0_mono != 0 && ft->start_ns <= ts->span) {
			svg_rect(f, px1, y + 8, px2 - px1 > 2 ? px2 - px1 : 2,
			    16, "fw planned", title);
			svg_text(f, px1 + 4, y + 20, "fl-out", fr->status ==
			    FS_SKIPPED ? "skipped" : fr->status == FS_FAILED ?
			    "could not be applied" : "not reached");
		}
		fputs("</g>\n", f);
		return;
	}
	x1 = tscale_x(ts, fr->start_ns);
	x2 = tscale_x(ts, fr->end_ns);
	if (x2 - x1 < 2)
		x2 = x1 + 2;
	if (px2 - x2 > 3 || px1 - x1 > 3)
		svg_rect(f, px1, y + 8, px2 - px1, 16, "fw planned", NULL);
	snprintf(cls, sizeof cls, "fw %s", out);
	svg_rect(f, x1, y + 8, x2 - x1, 16, cls, title);
	lw = text_width(label) + 8;
	if (x2 - x1 >= lw)
		svg_text(f, x1 + 4, y + 20, "fl-in", label);
	else if (x2 + lw <= W)
		svg_text(f, x2 + 4, y + 20, "fl-out", label);
	else
		svg_text(f, x1 - 4, y + 20, "fl-out end", label);

	/*
	 * The time to detect is labelled left of the window when it fits
	 * there, else after its bracket; the time to recover after its own
	 * bracket, past the first label, or at the right edge.
	 */
	if (fr->ttd_ms >= 0) {
		uint64_t d = (uint64_t)fr->ttd_ms * NS_PER_MS;
		double	 xd = tscale_x(ts, fr->start_ns + d);

		report_span_ms(fr->ttd_ms, a, sizeof a);
		snprintf(label, sizeof label, "detected %s", a);
		snprintf(title, sizeof title, "time to detect: %s after the "
		    "fault began, a check failed", a);
		lw = text_width(label);
		if (x1 - 4 - lw >= PLOT_X)
			bracket(f, x1, xd, y + 33, "ttd", label, title, x1 - 4,
			    1);
		else
			used = bracket(f, x1, xd, y + 33, "ttd", label, title,
			    (xd > x1 + 2 ? xd : x1 + 2) + 4, 0);
	}
	if (fr->ttd_ms >= 0) {
		uint64_t d = (uint64_t)(fr->ttr_ms >= 0 ? fr->ttr_ms : 0) *
		    NS_PER_MS;
		double	 xr = fr->ttr_ms >= 0 ? tscale_x(ts, fr->end_ns + d) :
		    PLOT_X + PLOT_W, lx;

		report_span_ms(fr->ttr_ms, a, sizeof a);
		if (fr->ttr_ms >= 0) {
			snprintf(label, sizeof label, "recovered %s", a);
			snprintf(title, sizeof title, "time to recover: %s "
			    "after the fault ended, every check that detected "
			    "it passed again", a);
			lx = (xr > x2 + 2 ? xr : x2 + 2) + 4;
		} else {
			snprintf(label, sizeof label, "not recovered");
			snprintf(title, sizeof title, "the checks that "
			    "detected it never passed again");
			lx = x2 + 6;
		}
		lw = text_width(label);
		if (lx < used + 8)
			lx = used + 8;
		if (lx + lw > W)
			lx = W - lw;
		bracket(f, x2, xr, y + 33, fr->ttr_ms >= 0 ? "ttr" :
		    "ttr never", lx >= used + 8 ? label : "", title, lx, 0);
	}
	fputs("</g>\n", f);
}

static void
death_label(const struct run_event *e, char *buf, size_t len)
{
	if (e->signal != 0 && signal_name(e->signal) != NULL)
		snprintf(buf, len, "%s", signal_name(e->signal));
	else if (e->signal != 0)
		snprintf(buf, len, "signal %d", e->signal);
	else
		snprintf(buf, len, "exit %d", e->status);
}

static void
service_lane(FILE *f, const struct run_result *rr, const struct tscale *ts,
    int i, double y)
{
	const struct service_result *sr = &rr->services[i];
	const struct run_event *e;
	char	 t[32], lbl[48], title[400];
	double	 x, up_x = PLOT_X, last_mark = -10, label_end = 0;
	int	 up = sr->ready, deaths = 0;
	size_t	 j;

	fputs("<g class=\"lane service\" data-name=\"", f);
	markup_text(f, rr->sc->services[i].name);
	fputs("\">", f);
	lane_name(f, LABEL_X, y + 18, "name", rr->sc->services[i].name,
	    rr->sc->services[i].command);
	report_ms(sr->ready_ns, t, sizeof t);
	if (rr->sc->services[i].ready == NULL)
		snprintf(title, sizeof title, "started (no ready = to wait "
		    "for)");
	else if (sr->ready)
		snprintf(title, sizeof title, "ready after %s", t);
	else
		snprintf(title, sizeof title, "never ready: %s", sr->message);
	fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" class=\"%s\">"
	    "<title>", GUT_X + GUT_W / 2, y + 14, sr->ready ? "rdy" :
	    "unrdy");
	markup_text(f, title);
	fputs("</title></circle>", f);
	for (j = 0; j < rr->nevents; j++)
		deaths += rr->events[j].kind == EV_SERVICE_DIED &&
		    rr->events[j].index == i;
	for (j = 0; j <= rr->nevents; j++) {
		e = j < rr->nevents ? &rr->events[j] : NULL;
		if (e != NULL && (e->index != i ||
		    (e->kind != EV_SERVICE_DIED &&
		    e->kind != EV_SERVICE_RESTARTED)))
			continue;
		x = e != NULL ? tscale_x(ts, e->t_ns) : PLOT_X + PLOT_W;
		if (e == NULL || (e->kind == EV_SERVICE_DIED) == up) {
			/* the end of an up or a down stretch */
			svg_rect(f, up_x, y + (up ? 10 : 8), x - up_x > 1 ?
			    x - up_x : 1, up ? 8 : 12, up ? "up" : "down",
			    NULL);
			up_x = x;
			up = !up;
		}
		if (e == NULL || x - last_mark < 1.5)
			continue;
		last_mark = x;
		report_secs(e->t_ns, t, sizeof t);
		snprintf(title, sizeof title, "%s: %s", t, e->what);
		if (e->kind == EV_SERVICE_RESTARTED) {
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
			    "class=\"restart\"><title>", x, y + 14);
			markup_text(f, title);
			fputs("</title></circle>", f);
			continue;
		}
		fprintf(f, "<path d=\"M%.1f %.1fl5 5l-5 5l-5-5z\" "
		    "class=\"death\"><title>", x, y + 9);
		markup_text(f, title);
		fputs("</title></path>", f);
		if (deaths <= DEATH_LABELS && x > label_end) {
			death_label(e, lbl, sizeof lbl);
			svg_text(f, x + 6, y + 26, "dl", lbl);
			label_end = x + 10 + text_width(lbl);
		}
	}
	fputs("</g>\n", f);
}

struct bin {
	uint32_t	 pass, fail, err;
	uint64_t	 maxlat, maxfail;	/* ns; maxfail: of a failure */
};

static int
bin_state(const struct bin *b)
{
	return (b->fail > 0 ? 3 : b->err > 0 ? 2 : b->pass > 0 ? 1 : 0);
}

static struct bin *
check_bins(const struct check_result *cr, const struct tscale *ts)
{
	struct bin *bins = xcalloc(NBINS, sizeof *bins);
	size_t	 j;

	for (j = 0; j < cr->nprobes; j++) {
		const struct probe *p = &cr->probes[j];
		struct bin *b;
		uint64_t k;

		if (p->phase == WHEN_BEFORE)
			continue;
		k = (uint64_t)((double)p->t_ns * NBINS / (double)ts->span);
		b = &bins[k < NBINS ? k : NBINS - 1];
		if (p->v == V_PASS)
			b->pass++;
		else if (p->v == V_FAIL)
			b->fail++;
		else
			b->err++;
		if (p->latency_ns > b->maxlat)
			b->maxlat = p->latency_ns;
		if (p->v != V_PASS && p->latency_ns > b->maxfail)
			b->maxfail = p->latency_ns;
	}
	return (bins);
}

/* Runs of bins in one state, drawn as one mark each: state 1..3 only. */
static void
probe_marks(FILE *f, const struct bin *bins, const struct tscale *ts,
    double y, int want)
{
	static const char *const cls[] = { "", "p pass", "p err", "p fail" };
	static const char *const word[] = { "", "passed", "could not run",
	    "failed" };
	double	 unit = PLOT_W / NBINS, x, w;
	char	 a[32], b[32], title[160];
	int	 i, k;

	for (i = 0; i < NBINS; i = k) {
		uint64_t n = 0, bad = 0;

		for (k = i; k < NBINS && bin_state(&bins[k]) ==
		    bin_state(&bins[i]); k++) {
			n += bins[k].pass + bins[k].fail + bins[k].err;
			bad += bins[k].fail + bins[k].err;
		}
		if (bin_state(&bins[i]) != want)
			continue;
		x = PLOT_X + i * unit;
		w = (k - i) * unit < 3 ? 3 : (k - i) * unit;
		report_secs((uint64_t)((double)i * (double)ts->span / NBINS),
		    a, sizeof a);
		report_secs((uint64_t)((double)k * (double)ts->span / NBINS),
		    b, sizeof b);
		if (n == 1)
			snprintf(title, sizeof title, "%s: %s", a, word[want]);
		else if (bad == 0)
			snprintf(title, sizeof title, "%s..%s: %llu probes "
			    "passed", a, b, (unsigned long long)n);
		else
			snprintf(title, sizeof title, "%s..%s: %llu of %llu "
			    "probes failed or could not run", a, b,
			    (unsigned long long)bad, (unsigned long long)n);
		svg_rect(f, x, y + 6, w, 14, cls[want], title);
	}
}

static void
check_lane(FILE *f, const struct run_result *rr, const struct tscale *ts,
    int i, double y, const struct bin *bins)
{
	const struct sc_check *c = &rr->sc->checks[i];
	const struct check_result *cr = &rr->checks[i];
	char	 title[1024];
	double	 gx = GUT_X + 6;
	size_t	 j;

	fputs("<g class=\"lane check\" data-name=\"", f);
	markup_text(f, c->name);
	fprintf(f, "\" data-fails=\"%llu\">", (unsigned long long)cr->fails);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" "
	    "rx=\"2\" fill=\"%s\"/>", LABEL_X, y + 9, html_check_colour(i));
	snprintf(title, sizeof title, "%s (%s): %s", c->name, c->type->name,
	    c->url != NULL ? c->url : c->address != NULL ? c->address :
	    c->command != NULL ? c->command : "");
	lane_name(f, LABEL_X + 13, y + 17, "name", c->name, title);
	for (j = 0; j < cr->nprobes && gx < GUT_X + GUT_W - 4; j++) {
		const struct probe *p = &cr->probes[j];

		if (p->phase != WHEN_BEFORE)
			continue;
		svg_rect(f, gx, y + 6, 4, 14, p->v == V_PASS ? "p pass" :
		    p->v == V_FAIL ? "p fail" : "p err", p->v == V_PASS ?
		    "before: passed (the steady state)" :
		    "before: failed (the steady state was not met)");
		gx += 6;
	}
	probe_marks(f, bins, ts, y, 1);
	probe_marks(f, bins, ts, y, 2);
	probe_marks(f, bins, ts, y, 3);
	fputs("</g>\n", f);
}

static double
lat_y(uint64_t ns, double lo, double hi, double top, double h)
{
	double	v = log10(ns > 0 ? (double)ns : 1.0);

	if (v < lo)
		v = lo;
	return (top + h - (v - lo) / (hi - lo) * h);
}

/* Each check's latency: the slowest probe per bin, failures as dots. */
static void
latency_panel(FILE *f, const struct run_result *rr, struct bin **bins,
    double y)
{
	static const char *const units[] = { "1ns", "10ns", "100ns",
	    "1\xc2\xb5s", "10\xc2\xb5s", "100\xc2\xb5s", "1ms", "10ms", "100ms",
	    "1s", "10s", "100s" };
	double	 lo = 12, hi = 0, top = y + 10, h = LAT_H - 24, x, v;
	double	 unit = PLOT_W / NBINS, lx = PLOT_X;
	int	 i, k, d, any = 0;

	for (i = 0; i < rr->sc->nchecks; i++) {
		for (k = 0; k < NBINS; k++) {
			if (bins[i][k].pass + bins[i][k].fail +
			    bins[i][k].err == 0)
				continue;
			v = log10(bins[i][k].maxlat > 0 ?
			    (double)bins[i][k].maxlat : 1.0);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			any = 1;
		}
	}
	if (!any) {
		svg_text(f, PLOT_X + 4, top + h / 2, "fl-out", "no probes "
		    "during or after the chaos");
		return;
	}
	lo = floor(lo);
	hi = ceil(hi);
	if (hi <= lo)
		hi = lo + 1;
	if (lo < 0)
		lo = 0;
	if (hi > 11)
		hi = 11;
	for (d = (int)lo; d <= (int)hi; d++) {
		v = lat_y((uint64_t)pow(10, d), lo, hi, top, h);
		svg_line(f, PLOT_X, v, PLOT_X + PLOT_W, v, "grid");
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ytick\">%s"
		    "</text>", PLOT_X - 6, v + 4, units[d]);
	}
	for (i = 0; i < rr->sc->nchecks; i++) {
		fprintf(f, "<g class=\"lat\"><title>latency of ");
		markup_text(f, rr->sc->checks[i].name);
		fprintf(f, "</title><polyline fill=\"none\" stroke=\"%s\" "
		    "points=\"", html_check_colour(i));
		for (k = 0; k < NBINS; k++) {
			const struct bin *b = &bins[i][k];

			if (b->pass + b->fail + b->err == 0)
				continue;
			fprintf(f, "%.1f,%.1f ", PLOT_X + (k + 0.5) * unit,
			    lat_y(b->maxlat, lo, hi, top, h));
		}
		fputs("\"/>", f);
		for (k = 0; k < NBINS; k++) {
			const struct bin *b = &bins[i][k];

			if (b->fail + b->err == 0)
				continue;
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
			    "class=\"lf\"/>", PLOT_X + (k + 0.5) * unit,
			    lat_y(b->maxfail, lo, hi, top, h));
		}
		fputs("</g>", f);
		x = lx;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
		    "height=\"3\" fill=\"%s\"/>", x, y - HEAD_H + 11,
		    html_check_colour(i));
		svg_text(f, x + 18, y - HEAD_H + 15, "legend",
		    rr->sc->checks[i].name);
		lx += 34 + text_width(rr->sc->checks[i].name);
	}
	fputs("\n", f);
}

/* Light bands over the checks and the latency: when each fault was on. */
static void
fault_washes(FILE *f, const struct run_result *rr, const struct tscale *ts,
    double y1, double y2)
{
	char	cls[32];
	int	i;

	for (i = 0; i < rr->sc->nfaults; i++) {
		const struct fault_result *fr = &rr->faults[i];
		double	x1, x2;

		if (!fr->applied)
			continue;
		x1 = tscale_x(ts, fr->start_ns);
		x2 = tscale_x(ts, fr->end_ns);
		snprintf(cls, sizeof cls, "wash %s", html_fault_outcome(rr, i));
		svg_rect(f, x1, y1, x2 - x1 > 1 ? x2 - x1 : 1, y2 - y1, cls,
		    NULL);
	}
}

void
html_timeline(FILE *f, const struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	struct tscale ts = { PLOT_X, PLOT_W, report_span_ns(rr) };
	struct bin **bins;
	double	 h, y, xc, checks_y;
	char	 a[32], b[64];
	int	 i;

	h = AXIS_H + 10;
	if (sc->nfaults > 0)
		h += HEAD_H + sc->nfaults * FAULT_H;
	if (sc->nservices > 0)
		h += HEAD_H + sc->nservices * SERVICE_H;
	if (sc->nchecks > 0)
		h += 2 * HEAD_H + sc->nchecks * CHECK_H + LAT_H;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tl\" "
	    "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
	    "role=\"img\" aria-label=\"timeline of the run\">\n", W, h, W, h);

	/* the bands: before, the chaos, the recovery checks */
	xc = tscale_x(&ts, rr->chaos_end_ns);
	svg_rect(f, GUT_X, AXIS_H, GUT_W, h - AXIS_H - 6, "band-before", NULL);
	svg_text(f, GUT_X + GUT_W / 2, AXIS_H + 15, "band mid", "before");
	if (rr->t0_mono != 0) {
		report_secs(rr->chaos_end_ns, a, sizeof a);
		snprintf(b, sizeof b, "the chaos: 0s..%s", a);
		svg_rect(f, PLOT_X, AXIS_H, xc - PLOT_X, h - AXIS_H - 6,
		    "band-chaos", b);
		if (PLOT_X + PLOT_W - xc > 1)
			svg_rect(f, xc, AXIS_H, PLOT_X + PLOT_W - xc,
			    h - AXIS_H - 6, "band-after", "after the chaos: "
			    "the recovery checks");
	}
	svg_axis(f, &ts, AXIS_H, h - 6);

	if (rr->t0_mono != 0) {
		svg_text(f, PLOT_X + 6, AXIS_H + 15, "band", "chaos");
		if (PLOT_X + PLOT_W - xc > 70)
			svg_text(f, xc + 6, AXIS_H + 15, "band", "recovery");
	}
	y = AXIS_H;
	if (sc->nfaults > 0) {
		heading(f, y, "FAULTS");
		y += HEAD_H;
		for (i = 0; i < sc->nfaults; i++, y += FAULT_H)
			fault_lane(f, rr, &ts, i, y);
	}
	if (sc->nservices > 0) {
		heading(f, y, "SERVICES");
		y += HEAD_H;
		for (i = 0; i < sc->nservices; i++, y += SERVICE_H)
			service_lane(f, rr, &ts, i, y);
	}
	if (sc->nchecks > 0) {
		bins = xcalloc(sc->nchecks, sizeof *bins);
		for (i = 0; i < sc->nchecks; i++)
			bins[i] = check_bins(&rr->checks[i], &ts);
		checks_y = y;
		fault_washes(f, rr, &ts, checks_y + HEAD_H, h - 16);
		heading(f, y, "CHECKS");
		y += HEAD_H;
		for (i = 0; i < sc->nchecks; i++, y += CHECK_H)
			check_lane(f, rr, &ts, i, y, bins[i]);
		heading(f, y, "LATENCY");
		y += HEAD_H;
		latency_panel(f, rr, bins, y);
		for (i = 0; i < sc->nchecks; i++)
			free(bins[i]);
		free(bins);
	}
	if (rr->t0_mono == 0)
		svg_text(f, PLOT_X + 8, AXIS_H + 18, "fl-out", "the chaos "
		    "never started: the steady state was not met");
	fputs("</svg>\n", f);
}
