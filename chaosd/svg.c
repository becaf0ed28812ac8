/*
 * svg.c: markup for the reports that write it (report-html.c,
 * html-timeline.c, report-junit.c), and the few SVG shapes the HTML
 * report's chart is drawn with.
 *
 * Everything that comes from the scenario file or the system (names,
 * commands, messages, URLs) goes through markup_text(): invalid UTF-8
 * becomes '?', the characters that end a text or an attribute are
 * entities, and control characters other than tab and newline are
 * dropped (XML 1.0 forbids them even as entities; HTML calls them parse
 * errors). The same output is safe in element text and in a
 * double-quoted attribute, of HTML and of XML.
 *
 * Coordinates are written with one decimal: the chart is 1200 units
 * wide, so a tenth is finer than any screen shows it, and a 1-hour run
 * stays small.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "report.h"

static void
markup_clean(FILE *f, const char *s, int one)
{
	const unsigned char *p;
	char	*clean;
	size_t	 len;

	if (s == NULL)
		return;
	len = strlen(s) + 1;
	clean = xmalloc(len);
	utf8_clean(clean, len, s);
	for (p = (const unsigned char *)clean; *p != '\0'; p++) {
		switch (*p) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\t':
		case '\n':
		case '\r':
			fputc(one ? ' ' : *p, f);
			break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				fputc(*p, f);
		}
	}
	free(clean);
}

void
markup_text(FILE *f, const char *s)
{
	markup_clean(f, s, 0);
}

void
markup_line(FILE *f, const char *s)
{
	markup_clean(f, s, 1);
}

void
markup_printf(FILE *f, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	markup_clean(f, s, 1);
	free(s);
}

/* ---- the time axis ---------------------------------------------- */

double
tscale_x(const struct tscale *ts, uint64_t t)
{
	if (t > ts->span)
		t = ts->span;
	return (ts->x0 + (double)t * ts->w / (double)ts->span);
}

/* The smallest round step that puts at most `most` ticks on span. */
uint64_t
tscale_step(uint64_t span, int most)
{
	static const uint64_t steps_ms[] = {
		1, 2, 5, 10, 20, 50, 100, 200, 500,
		1000, 2000, 5000, 10000, 15000, 30000,
		60000, 120000, 300000, 600000, 900000, 1800000,
		3600000, 7200000, 10800000, 21600000, 43200000, 86400000
	};
	size_t	 i;

	for (i = 0; i < sizeof steps_ms / sizeof steps_ms[0]; i++)
		if (span / (steps_ms[i] * NS_PER_MS) < (uint64_t)most)
			return (steps_ms[i] * NS_PER_MS);
	return (span / (uint64_t)most + 1);
}

/* ---- shapes ----------------------------------------------------- */

void
svg_rect(FILE *f, double x, double y, double w, double h, const char *cls,
    const char *title)
{
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
	    x, y, w, h);
	if (cls != NULL)
		fprintf(f, " class=\"%s\"", cls);
	if (title == NULL) {
		fputs("/>", f);
		return;
	}
	fputs("><title>", f);
	markup_text(f, title);
	fputs("</title></rect>", f);
}

void
svg_line(FILE *f, double x1, double y1, double x2, double y2,
    const char *cls)
{
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "class=\"%s\"/>", x1, y1, x2, y2, cls);
}

void
svg_text(FILE *f, double x, double y, const char *cls, const char *text)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\">", x, y, cls);
	markup_text(f, text);
	fputs("</text>", f);
}

/* A tick's label: "1m30s" for whole seconds, "1.5s", "250ms" below. */
static void
tick_label(uint64_t t, uint64_t step, char *buf, size_t len)
{
	if (step % NS_PER_S == 0 || t == 0)
		fmt_dur(t, buf, len);
	else if (step % (100 * NS_PER_MS) == 0)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)(t /
		    NS_PER_S), (unsigned long long)(t % NS_PER_S /
		    (100 * NS_PER_MS)));
	else
		snprintf(buf, len, "%llums", (unsigned long long)(t /
		    NS_PER_MS));
}

/* Ticks and their labels above y, grid lines down to y_end. */
void
svg_axis(FILE *f, const struct tscale *ts, double y, double y_end)
{
	uint64_t step = tscale_step(ts->span, 12), t;
	char	 lbl[32];
	double	 x;

	fputs("<g class=\"axis\">", f);
	for (t = 0; t <= ts->span; t += step) {
		x = tscale_x(ts, t);
		svg_line(f, x, y, x, y_end, "grid");
		tick_label(t, step, lbl, sizeof lbl);
		svg_text(f, x, y - 7, "tick", lbl);
	}
	fputs("</g>\n", f);
}
