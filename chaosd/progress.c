/*
 * progress.c: what chaosd run shows while the chaos goes on.
 *
 * cmd-run.c calls report_progress() every 250 ms of the chaos, and
 * progress_end() once it is rolled back, before the report. On a
 * terminal that keeps one status line up to date, rewritten in place
 * and cut to the terminal's width:
 *
 *	[12.3s / 26.0s] kvd-demo | faults: disk-errors | health ok 0.4ms | deaths 1
 *
 * (the time on the scenario clock and the planned end of the chaos, the
 * faults active now, the last result of each check, the services'
 * deaths so far), erased by progress_end(). Anywhere else (a CI log, a
 * pipe, a file) there are no control characters: each event of the run
 * gets a line of its own as it happens, "[  3.0s] inject.x applied".
 * NO_COLOR in the environment, or TERM=dumb, keeps the line plain.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "chaosd.h"
#include "report.h"

#define RED	"\033[31m"
#define GREEN	"\033[32m"
#define YELLOW	"\033[33m"
#define PLAIN	"\033[0m"

static size_t	progress_printed;	/* events given a line so far */
static int	progress_drawn;		/* a status line is on screen */

/* The status line being built: visible columns counted, cut at max. */
struct status_line {
	char	 buf[2048];
	size_t	 len;
	int	 cols, max, colour, full;
};

static void
sl_add(struct status_line *sl, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0' && !sl->full; p++) {
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if ((*p & 0xc0) != 0x80 && ++sl->cols > sl->max) {
			sl->full = 1;
			break;
		}
		if (sl->len + 16 < sizeof sl->buf)
			sl->buf[sl->len++] = (char)*p;
	}
	sl->buf[sl->len] = '\0';
}

static void
sl_colour(struct status_line *sl, const char *code)
{
	size_t	n = strlen(code);

	if (!sl->colour || sl->full || sl->len + n + 8 >= sizeof sl->buf)
		return;
	memcpy(sl->buf + sl->len, code, n + 1);
	sl->len += n;
}

static int
terminal_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return (ws.ws_col);
	return (80);
}

static void
status_line(struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	struct status_line sl;
	const char *term = getenv("TERM");
	char	 a[32], b[64];
	int	 i, n = 0, deaths = 0;

	memset(&sl, 0, sizeof sl);
	sl.max = terminal_width(f) - 1;
	sl.colour = getenv("NO_COLOR") == NULL && (term == NULL ||
	    strcmp(term, "dumb") != 0);
	report_secs(run_clock(rr), a, sizeof a);
	report_secs(rr->chaos_end_ns, b, sizeof b);
	sl_add(&sl, "[");
	sl_add(&sl, a);
	sl_add(&sl, " / ");
	sl_add(&sl, b);
	sl_add(&sl, "] ");
	sl_add(&sl, sc->name);
	if (sc->nfaults > 0) {
		sl_add(&sl, " | faults: ");
		sl_colour(&sl, YELLOW);
		for (i = 0; i < sc->nfaults; i++) {
			if (rr->faults[i].status != FS_ACTIVE)
				continue;
			sl_add(&sl, n++ > 0 ? ", " : "");
			sl_add(&sl, sc->faults[i].name);
		}
		sl_colour(&sl, PLAIN);
		if (n == 0)
			sl_add(&sl, "none");
	}
	pthread_mutex_lock(&rr->lock);
	for (i = 0; i < sc->nchecks; i++) {
		const struct check_result *cr = &rr->checks[i];
		const struct probe *p;

		sl_add(&sl, i == 0 ? " | " : ", ");
		sl_add(&sl, sc->checks[i].name);
		if (cr->nprobes == 0) {
			sl_add(&sl, " -");
			continue;
		}
		p = &cr->probes[cr->nprobes - 1];
		sl_colour(&sl, p->v == V_PASS && p->deviated == 0 ? GREEN :
		    RED);
		sl_add(&sl, p->deviated != 0 ? " DEVIATING " : p->v == V_PASS ?
		    " ok " : p->v == V_FAIL ? " FAIL " : " ERROR ");
		sl_colour(&sl, PLAIN);
		report_ms(p->latency_ns, a, sizeof a);
		sl_add(&sl, a);
	}
	pthread_mutex_unlock(&rr->lock);
	for (i = 0; i < sc->nservices; i++)
		deaths += rr->services[i].died;
	if (sc->nservices > 0) {
		snprintf(b, sizeof b, " | deaths %d", deaths);
		if (deaths > 0)
			sl_colour(&sl, RED);
		sl_add(&sl, b);
		sl_colour(&sl, PLAIN);
	}
	fprintf(f, "\r%s\033[K", sl.buf);
	if (sl.colour)
		fputs(PLAIN, f);
	fflush(f);
	progress_drawn = 1;
}

/* The events since the last call, a line each. */
static void
event_lines(struct run_result *rr, FILE *f)
{
	char	 t[32];

	pthread_mutex_lock(&rr->lock);
	for (; progress_printed < rr->nevents; progress_printed++) {
		report_secs(rr->events[progress_printed].t_ns, t, sizeof t);
		fprintf(f, "[%7s] %s\n", t,
		    rr->events[progress_printed].what);
	}
	pthread_mutex_unlock(&rr->lock);
	fflush(f);
}

void
report_progress(struct run_result *rr, FILE *f)
{
	if (isatty(fileno(f)))
		status_line(rr, f);
	else
		event_lines(rr, f);
}

void
progress_end(struct run_result *rr, FILE *f)
{
	if (!isatty(fileno(f))) {
		event_lines(rr, f);
		return;
	}
	if (progress_drawn) {
		fputs("\r\033[K", f);
		fflush(f);
	}
	progress_drawn = 0;
}
