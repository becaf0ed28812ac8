/*
 * report.h: what the report formats share.
 *
 *   report-text.c   the summary (stdout, --report text=); the number
 *                   formats the others reuse
 *   progress.c      the live status line, or a line per event
 *   report-prom.c   --report prom=, Prometheus text exposition
 *   report-html.c   --report html=, the page: summary and tables
 *   html-timeline.c the page's chart, inline SVG
 *   svg.c           escaping for HTML and XML, SVG primitives, the
 *                   time axis
 *
 * The formats themselves are declared in scenario.h (struct
 * report_format), with the run's results they read.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

/* report-text.c */
const char *event_kind_name(enum ev_kind);	/* "service_died" */
void	 report_secs(uint64_t ns, char *buf, size_t len);	/* "12.3s" */
void	 report_ms(uint64_t ns, char *buf, size_t len);	/* "0.4ms", "148ms" */
void	 report_span_ms(int64_t ms, char *buf, size_t len);	/* "2.64s" */
void	 report_status_upper(const char *status, char *buf, size_t len);
void	 fault_detection_text(const struct run_result *, int i, char *buf,
	    size_t len);	/* "time to detect 1.20s, time to recover 3.40s" */
void	 goals_text(uint64_t mttd_ns, uint64_t mttr_ns, char *buf,
	    size_t len);	/* "mttd_max 1m, mttr_max none" */

/* svg.c: text from the scenario or the system, made safe for markup */
void	 markup_text(FILE *, const char *);	/* element text, attributes */
void	 markup_line(FILE *, const char *);	/* the same, on one line */
void	 markup_printf(FILE *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* svg.c: the time axis. x(t) = x0 + t * w / span. */
struct tscale {
	double		 x0, w;
	uint64_t	 span;		/* ns; never 0 */
};
double	 tscale_x(const struct tscale *, uint64_t t_ns);
uint64_t tscale_step(uint64_t span, int most);	/* a round tick step */
void	 svg_rect(FILE *, double x, double y, double w, double h,
	    const char *cls, const char *title);
void	 svg_line(FILE *, double x1, double y1, double x2, double y2,
	    const char *cls);
void	 svg_text(FILE *, double x, double y, const char *cls,
	    const char *text);
void	 svg_axis(FILE *, const struct tscale *, double y, double y_end);

/* html-timeline.c */
void	 html_timeline(FILE *, const struct run_result *);
uint64_t report_span_ns(const struct run_result *);
const char *html_fault_outcome(const struct run_result *, int i);
const char *html_check_colour(int i);

#endif
