/*
 * check.c: [check.*] sections at run time.
 *
 * The check types are a table (one file each: check-http.c, check-tcp.c,
 * check-exec.c); adding one is adding a file and a row. A probe runs in
 * the environment chaosd was started with, less LD_PRELOAD and every
 * CHAOS_* variable: checks are never themselves under the faults.
 *
 * 'before' and 'after' probes are run by cmd-run.c's thread; 'during'
 * checks each get a thread of their own that probes every interval
 * until the chaos ends, so that a slow probe never delays another check.
 * Every probe is kept, with its time on the scenario clock, for the
 * report's pass rates, latency percentiles, time to detect and time to
 * recover.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "chaosd.h"
#include "scenario.h"


static const struct check_type *const check_types[] = {
	&check_http_type,
	&check_tcp_type,
	&check_exec_type,
};
#define NTYPES ((int)(sizeof check_types / sizeof check_types[0]))

const struct check_type *
check_type_find(const char *name)
{
	int	i;

	for (i = 0; i < NTYPES; i++)
		if (strcmp(check_types[i]->name, name) == 0)
			return (check_types[i]);
	return (NULL);
}

const char *
check_type_names(void)
{
	return ("http, tcp or exec");
}

/* Printable, one line, at most len-1 bytes. */
void
one_line(char *dst, size_t len, const char *src)
{
	size_t	i, n = 0;

	for (i = 0; src[i] != '\0' && n + 1 < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			continue;
		dst[n++] = (char)c;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/* src with invalid UTF-8 bytes as '?', at most len-1 bytes, whole chars */
void
utf8_clean(char *dst, size_t len, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t	n = 0, k, need;

	while (*s != '\0' && n + 1 < len) {
		need = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 && *s >= 0xc2 ? 2 :
		    (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 &&
		    *s <= 0xf4 ? 4 : 0;
		for (k = 1; k < need; k++)
			if ((s[k] & 0xc0) != 0x80)
				need = 0;
		if (need == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] >= 0xa0)))
			need = 0;
		if (need == 4 && ((s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] >= 0x90)))
			need = 0;
		if (need == 0) {
			dst[n++] = '?';
			s++;
			continue;
		}
		if (n + need >= len)
			break;
		memcpy(dst + n, s, need);
		n += need;
		s += need;
	}
	dst[n] = '\0';
}

char **
check_environment(void)
{
	struct env	e;

	env_init(&e);
	env_unset(&e, "LD_PRELOAD");
	env_unset(&e, "CHAOS_*");
	return (e.v);
}

uint64_t
run_clock(const struct run_result *rr)
{
	uint64_t now = mono_ns();

	/* before the chaos starts, the scenario clock reads 0 */
	if (rr->t0_mono == 0)
		return (0);
	return (now > rr->t0_mono ? now - rr->t0_mono : 0);
}

static void printflike(5, 0)
run_vevent(struct run_result *rr, enum ev_kind kind, int index, int wstatus,
    const char *fmt, va_list ap)
{
	struct run_event *e;
	char	 buf[512];

	vsnprintf(buf, sizeof buf, fmt, ap);
	pthread_mutex_lock(&rr->lock);
	if (rr->nevents == rr->evcap) {
		rr->evcap = rr->evcap ? rr->evcap * 2 : 16;
		rr->events = xreallocarray(rr->events, rr->evcap,
		    sizeof *rr->events);
	}
	e = &rr->events[rr->nevents++];
	e->t_ns = run_clock(rr);
	e->kind = kind;
	e->index = index;
	e->status = wstatus != -1 && WIFEXITED(wstatus) ?
	    WEXITSTATUS(wstatus) : -1;
	e->signal = wstatus != -1 && WIFSIGNALED(wstatus) ?
	    WTERMSIG(wstatus) : 0;
	one_line(e->what, sizeof e->what, buf);
	pthread_mutex_unlock(&rr->lock);
	log_info("%s", buf);
}

/* An event of a kind (wstatus: what waitpid gave, or -1), for the report. */
void
run_event_ex(struct run_result *rr, enum ev_kind kind, int index,
    int wstatus, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	run_vevent(rr, kind, index, wstatus, fmt, ap);
	va_end(ap);
}

/* An event known only by its text. */
void
run_event(struct run_result *rr, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	run_vevent(rr, EV_NOTE, -1, -1, fmt, ap);
	va_end(ap);
}

/* One probe of check i, recorded. */
enum verdict
check_probe(struct run_result *rr, int i, int phase, char **env)
{
	const struct sc_check *c = &rr->sc->checks[i];
	struct check_result *cr = &rr->checks[i];
	struct probe	*p;
	char		 msg[256] = "";
	uint64_t	 t, lat;
	enum verdict	 v;

	t = mono_ns();
	v = c->type->probe(c, env, msg, sizeof msg);
	lat = mono_ns() - t;

	pthread_mutex_lock(&rr->lock);
	if (cr->nprobes == cr->cap) {
		cr->cap = cr->cap ? cr->cap * 2 : 32;
		cr->probes = xreallocarray(cr->probes, cr->cap,
		    sizeof *cr->probes);
	}
	p = &cr->probes[cr->nprobes++];
	p->t_ns = run_clock(rr);
	p->latency_ns = lat;
	p->phase = phase;
	p->v = v;
	p->deviated = 0;
	cr->ran = 1;
	if (v == V_PASS)
		cr->passes++;
	else {
		if (v == V_FAIL)
			cr->fails++;
		else
			cr->errors++;
		one_line(cr->message, sizeof cr->message, msg);
	}
	/* a deviation from the baseline counts like a failure */
	if (phase == WHEN_DURING)
		p->deviated = baseline_judge(c, cr);
	if (phase == WHEN_DURING && (v == V_ERROR || probe_bad(c, p)))
		cr->consecutive++;
	else if (phase == WHEN_DURING || v == V_PASS)
		cr->consecutive = 0;
	if (p->deviated != 0)
		strlcpy_chaos(msg, cr->message, sizeof msg);
	pthread_mutex_unlock(&rr->lock);
	log_debug("check %s (%s): %s%s%s%s", c->name, phase == WHEN_BEFORE ?
	    "before" : phase == WHEN_DURING ? "during" : "after",
	    verdict_name(v), msg[0] != '\0' && v == V_PASS ? ", deviated" : "",
	    msg[0] != '\0' ? ": " : "", msg);
	return (v);
}

/* ---- the 'during' threads --------------------------------------- */

struct prober {
	pthread_t	 th;
	struct run_result *rr;
	int		 index;
	char		**env;
	volatile int	*stop;
};

static struct prober	*probers;
static int		 nprobers;
static volatile int	 probers_stop;

static void *
prober_main(void *arg)
{
	struct prober	*pr = arg;
	const struct sc_check *c = &pr->rr->sc->checks[pr->index];
	uint64_t	 next;
	struct timespec	 ts = { 0, 5 * 1000 * 1000 };

	while (!probers_stop && !*pr->stop) {
		next = mono_ns() + c->interval_ns;
		check_probe(pr->rr, pr->index, WHEN_DURING, pr->env);
		while (!probers_stop && !*pr->stop && mono_ns() < next)
			nanosleep(&ts, NULL);
	}
	return (NULL);
}

int
checks_start(struct run_result *rr, char **env, volatile int *stop)
{
	const struct scenario *sc = rr->sc;
	int	i, error;

	probers = xcalloc(sc->nchecks + 1, sizeof *probers);
	nprobers = 0;
	probers_stop = 0;
	for (i = 0; i < sc->nchecks; i++) {
		struct prober *pr;

		if (!(sc->checks[i].when & WHEN_DURING))
			continue;
		pr = &probers[nprobers];
		pr->rr = rr;
		pr->index = i;
		pr->env = env;
		pr->stop = stop;
		if ((error = pthread_create(&pr->th, NULL, prober_main,
		    pr)) != 0) {
			log_warn("check %s: cannot start a thread: %s",
			    sc->checks[i].name, strerror(error));
			checks_stop();
			return (-1);
		}
		nprobers++;
	}
	return (0);
}

void
checks_stop(void)
{
	int	i;

	probers_stop = 1;
	for (i = 0; i < nprobers; i++)
		pthread_join(probers[i].th, NULL);
	nprobers = 0;
	free(probers);
	probers = NULL;
}

/* ---- statistics ------------------------------------------------- */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

void
u64_sort(uint64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_u64);
}

/* The pct-th percentile of n sorted values, nearest rank; 0 for none. */
uint64_t
u64_rank(const uint64_t *v, size_t n, unsigned pct)
{
	size_t	rank;

	if (n == 0)
		return (0);
	rank = (n * pct + 99) / 100;
	if (rank == 0)
		rank = 1;
	return (v[rank - 1]);
}

void
checks_finish(struct run_result *rr)
{
	int	i;

	for (i = 0; i < rr->sc->nchecks; i++) {
		struct check_result *cr = &rr->checks[i];
		uint64_t *lat;
		size_t	  j;

		if (cr->nprobes == 0)
			continue;
		lat = xcalloc(cr->nprobes, sizeof *lat);
		for (j = 0; j < cr->nprobes; j++)
			lat[j] = cr->probes[j].latency_ns;
		u64_sort(lat, cr->nprobes);
		cr->p50_ns = u64_rank(lat, cr->nprobes, 50);
		cr->p90_ns = u64_rank(lat, cr->nprobes, 90);
		cr->p99_ns = u64_rank(lat, cr->nprobes, 99);
		cr->max_ns = lat[cr->nprobes - 1];
		free(lat);
	}
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case V_PASS:
		return ("passed");
	case V_FAIL:
		return ("failed");
	case V_ERROR:
		return ("error");
	}
	return ("?");
}
