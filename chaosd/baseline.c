/*
 * baseline.c: the steady state, learnt from the run rather than guessed.
 *
 * The before phase probes each 'before' check `baseline` times (or for
 * that long), one interval apart, the checks interleaved; one probe
 * without a baseline. What it sees is the check's normal: its error
 * rate and its latency percentiles. The conditions (max_p50, max_p90,
 * max_p99, max_error_rate) become limits against it: 3x its p99, its
 * p50 +50ms, or absolute ones that need no baseline.
 *
 * During the chaos every probe is judged on the window of the check's
 * last `window` probes, the baseline's included (so that the window is
 * full from the first probe of the chaos when baseline >= window); a
 * window is judged only once full. A probe whose window is past a limit
 * deviated: that counts like a failure, for abort_after and for the
 * time to detect, while its own verdict stays what it was, so that
 * pass rates stay true. A check with max_error_rate tolerates failures
 * within that rate: a failed probe alone is not a failure of it.
 *
 * Recovered, for the time to recover and the 'after' phase: a probe that
 * passes, no slower than the loosest latency limit. Not the window,
 * which remembers the faults for `window` probes more.
 *
 * The steady state is refused (exit 1, nothing injected) when a baseline
 * probe could not run; when one failed, unless the check has
 * max_error_rate: then its baseline's error rate must be within an
 * absolute limit, and below one half for a relative one (a check that
 * fails half the time has no steady state to keep); and when a
 * baseline percentile is already past an absolute latency limit.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "scenario.h"

static const char *const cond_keys[COND_MAX] = {
	"max_p50", "max_p90", "max_p99", "max_error_rate"
};
static const unsigned cond_pct[3] = { 50, 90, 99 };

const char *
cond_key(int cond)
{
	return (cond >= 0 && cond < COND_MAX ? cond_keys[cond] : "?");
}

int
check_has_conditions(const struct sc_check *c)
{
	int	k;

	for (k = 0; k < COND_MAX; k++)
		if (c->cond[k].form != LIMIT_NONE)
			return (1);
	return (0);
}

/* A failed probe alone is no failure of a check with max_error_rate. */
int
check_tolerates(const struct sc_check *c)
{
	return (c->cond[COND_ERROR_RATE].form != LIMIT_NONE);
}

/* Counts against the check: a deviation, or a failure not tolerated. */
int
probe_bad(const struct sc_check *c, const struct probe *p)
{
	return (p->deviated != 0 || (p->v == V_FAIL && !check_tolerates(c)));
}

/* Recovered: passed, no slower than the loosest latency limit. */
int
probe_ok(const struct check_result *cr, const struct probe *p)
{
	uint64_t loosest = 0;
	int	 k;

	if (p->v != V_PASS)
		return (0);
	for (k = 0; k < 3; k++)
		if (cr->base.max_ns[k] > loosest)
			loosest = cr->base.max_ns[k];
	return (loosest == 0 || p->latency_ns <= loosest);
}

/* The baseline from the before probes, and the limits it gives. */
void
baseline_learn(const struct sc_check *c, struct check_result *cr)
{
	struct baseline *b = &cr->base;
	uint64_t *lat;
	size_t	  j, n = 0;
	double	  floor;
	int	  k;

	memset(b, 0, sizeof *b);
	lat = xcalloc(cr->nprobes + 1, sizeof *lat);
	for (j = 0; j < cr->nprobes; j++) {
		const struct probe *p = &cr->probes[j];

		if (p->phase != WHEN_BEFORE || p->v == V_ERROR)
			continue;
		lat[n++] = p->latency_ns;
		b->fails += p->v == V_FAIL;
	}
	b->probes = n;
	u64_sort(lat, n);
	for (k = 0; k < 3; k++)
		b->p_ns[k] = u64_rank(lat, n, cond_pct[k]);
	free(lat);
	b->error_rate = n > 0 ? (double)b->fails / (double)n : 0;

	for (k = 0; k < 3; k++) {
		const struct limit *l = &c->cond[k];

		if (l->form == LIMIT_ABS)
			b->max_ns[k] = l->ns;
		else if (n > 0 && l->form == LIMIT_TIMES)
			b->max_ns[k] = (uint64_t)((double)b->p_ns[k] * l->times);
		else if (n > 0 && l->form == LIMIT_PLUS)
			b->max_ns[k] = b->p_ns[k] + l->ns;
	}
	b->max_rate = -1;
	switch (c->cond[COND_ERROR_RATE].form) {
	case LIMIT_ABS:
		b->max_rate = c->cond[COND_ERROR_RATE].rate;
		break;
	case LIMIT_TIMES:
		/* N probes cannot tell a rate below one in N */
		if (n == 0)
			break;
		floor = 1.0 / (double)n;
		b->max_rate = c->cond[COND_ERROR_RATE].times *
		    (b->error_rate > floor ? b->error_rate : floor);
		break;
	default:
		break;
	}
}

static void
rate_text(double rate, char *buf, size_t len)
{
	snprintf(buf, len, "%.3g%%", rate * 100);
}

/* 1 with why set when the baseline is no steady state (see the top). */
int
baseline_refused(const struct sc_check *c, const struct check_result *cr,
    char *why, size_t len)
{
	const struct baseline *b = &cr->base;
	const struct limit *er = &c->cond[COND_ERROR_RATE];
	size_t	 j, n = 0, errors = 0;
	char	 a[32], m[32];
	int	 k;

	for (j = 0; j < cr->nprobes; j++) {
		if (cr->probes[j].phase != WHEN_BEFORE)
			continue;
		n++;
		errors += cr->probes[j].v == V_ERROR;
	}
	if (n == 0)
		return (0);
	if (errors > 0 || (b->fails > 0 && !check_tolerates(c))) {
		if (n == 1)
			snprintf(why, len, "%s", cr->message);
		else
			snprintf(why, len, "%zu of %zu baseline probes %s "
			    "(last: %s)", errors > 0 ? errors : (size_t)b->fails,
			    n, errors > 0 ? "could not run" : "failed",
			    cr->message);
		return (1);
	}
	rate_text(b->error_rate, a, sizeof a);
	if (er->form == LIMIT_ABS && b->error_rate > er->rate) {
		snprintf(why, len, "its baseline error rate, %s (%llu of %zu "
		    "probes failed), is already over max_error_rate = %s", a,
		    (unsigned long long)b->fails, b->probes, er->text);
		return (1);
	}
	if (er->form == LIMIT_TIMES && b->error_rate >= 0.5) {
		snprintf(why, len, "its baseline error rate, %s (%llu of %zu "
		    "probes failed), is no steady state to keep "
		    "(max_error_rate = %s needs a check that passes more than "
		    "half its probes)", a, (unsigned long long)b->fails,
		    b->probes, er->text);
		return (1);
	}
	for (k = 0; k < 3; k++) {
		if (c->cond[k].form != LIMIT_ABS || b->p_ns[k] <= c->cond[k].ns)
			continue;
		fmt_dur(b->p_ns[k], a, sizeof a);
		fmt_dur(c->cond[k].ns, m, sizeof m);
		snprintf(why, len, "its baseline p%u, %s, is already over "
		    "%s = %s", cond_pct[k], a, cond_key(k), m);
		return (1);
	}
	return (0);
}

/* "max_p99 = 3x: p99 1.5s over the last 3 probes, above 630ms (...)" */
static void
deviation_text(const struct sc_check *c, const struct check_result *cr,
    int k, uint64_t value_ns, size_t n, uint64_t fails, char *buf,
    size_t len)
{
	const struct limit *l = &c->cond[k];
	const struct baseline *b = &cr->base;
	char	 v[32], m[32], base[32], plus[32];

	if (k == COND_ERROR_RATE) {
		rate_text((double)fails / (double)n, v, sizeof v);
		rate_text(b->max_rate, m, sizeof m);
		rate_text(b->error_rate, base, sizeof base);
		if (l->form == LIMIT_TIMES)
			snprintf(buf, len, "max_error_rate = %s: %llu of the "
			    "last %zu probes failed (%s), above %s (%s the "
			    "baseline's %s, or one in its %zu probes)", l->text,
			    (unsigned long long)fails, n, v, m, l->text, base,
			    b->probes);
		else
			snprintf(buf, len, "max_error_rate = %s: %llu of the "
			    "last %zu probes failed (%s)", l->text,
			    (unsigned long long)fails, n, v);
		return;
	}
	fmt_dur(value_ns, v, sizeof v);
	fmt_dur(b->max_ns[k], m, sizeof m);
	fmt_dur(b->p_ns[k], base, sizeof base);
	fmt_dur(l->ns, plus, sizeof plus);
	if (l->form == LIMIT_TIMES)
		snprintf(buf, len, "%s = %s: p%u %s over the last %zu probes, "
		    "above %s (%s the baseline's %s)", cond_key(k), l->text,
		    cond_pct[k], v, n, m, l->text, base);
	else if (l->form == LIMIT_PLUS)
		snprintf(buf, len, "%s = %s: p%u %s over the last %zu probes, "
		    "above %s (the baseline's %s +%s)", cond_key(k), l->text,
		    cond_pct[k], v, n, m, base, plus);
	else
		snprintf(buf, len, "%s = %s: p%u %s over the last %zu probes",
		    cond_key(k), l->text, cond_pct[k], v, n);
}

/*
 * Judge the probe just recorded (the check's last) on its window:
 * returns which conditions deviated (1 << COND_*), and counts and
 * describes a deviation in cr. Called with the run's lock held.
 */
unsigned
baseline_judge(const struct sc_check *c, struct check_result *cr)
{
	const struct probe *p;
	struct baseline *b = &cr->base;
	uint64_t *lat, fails = 0, value[3] = { 0, 0, 0 };
	size_t	  j, n = 0;
	unsigned  mask = 0;
	char	  msg[512];
	int	  k, first = -1;

	if (cr->nprobes == 0 || !check_has_conditions(c))
		return (0);
	p = &cr->probes[cr->nprobes - 1];
	if (p->v == V_ERROR)
		return (0);
	lat = xcalloc(c->window + 1, sizeof *lat);
	for (j = cr->nprobes; j > 0 && n < c->window; j--) {
		if (cr->probes[j - 1].v == V_ERROR)
			continue;
		lat[n++] = cr->probes[j - 1].latency_ns;
		fails += cr->probes[j - 1].v == V_FAIL;
	}
	if (n < c->window) {
		free(lat);
		return (0);
	}
	u64_sort(lat, n);
	for (k = 0; k < 3; k++) {
		value[k] = u64_rank(lat, n, cond_pct[k]);
		if (b->max_ns[k] > 0 && value[k] > b->max_ns[k])
			mask |= 1u << k;
	}
	free(lat);
	if (b->max_rate >= 0 && (double)fails / (double)n > b->max_rate)
		mask |= 1u << COND_ERROR_RATE;
	if (mask == 0)
		return (0);
	for (k = 0; k < COND_MAX && first < 0; k++)
		if (mask & (1u << k))
			first = k;
	deviation_text(c, cr, first, first < 3 ? value[first] : 0, n, fails,
	    msg, sizeof msg);
	if (cr->deviations++ == 0) {
		cr->deviation_t_ns = p->t_ns;
		one_line(cr->deviation, sizeof cr->deviation, msg);
	}
	one_line(cr->message, sizeof cr->message, msg);
	return (mask);
}

/* "20 probes, 20 passed, p50 201ms p90 204ms p99 210ms" */
void
baseline_text(const struct sc_check *c, const struct check_result *cr,
    char *buf, size_t len)
{
	const struct baseline *b = &cr->base;
	char	 p[3][32];
	int	 k;

	(void)c;
	buf[0] = '\0';
	if (b->probes == 0)
		return;
	for (k = 0; k < 3; k++)
		fmt_dur(b->p_ns[k], p[k], sizeof p[k]);
	snprintf(buf, len, "%zu probe%s, %llu passed, p50 %s p90 %s p99 %s",
	    b->probes, b->probes == 1 ? "" : "s", (unsigned long long)
	    (b->probes - b->fails), p[0], p[1], p[2]);
}

/*
 * "max_p99 = 3x (630ms), max_error_rate = 5% over the last 10 probes":
 * with the limits the baseline gave when cr is not NULL.
 */
void
conditions_text(const struct sc_check *c, const struct check_result *cr,
    char *buf, size_t len)
{
	char	 one[96], v[32];
	size_t	 n = 0;
	int	 k;

	buf[0] = '\0';
	for (k = 0; k < COND_MAX && n < len; k++) {
		const struct limit *l = &c->cond[k];

		if (l->form == LIMIT_NONE)
			continue;
		v[0] = '\0';
		if (cr != NULL && l->form != LIMIT_ABS && k < 3 &&
		    cr->base.max_ns[k] > 0)
			fmt_dur(cr->base.max_ns[k], v, sizeof v);
		else if (cr != NULL && l->form != LIMIT_ABS && k == 3 &&
		    cr->base.max_rate >= 0)
			rate_text(cr->base.max_rate, v, sizeof v);
		snprintf(one, sizeof one, "%s%s = %s%s%s%s", n > 0 ? ", " : "",
		    cond_key(k), l->text, v[0] != '\0' ? " (" : "", v,
		    v[0] != '\0' ? ")" : "");
		n += strlcpy_chaos(buf + n, one, len - n);
	}
	if (n > 0 && n < len)
		snprintf(buf + n, len - n, " over the last %llu probes",
		    (unsigned long long)c->window);
}
