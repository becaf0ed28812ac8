/*
 * report-json.c: --report json=FILE, through jansson (which refuses NaN
 * and writes '/' plainly). The schema is in chaosd.scenario(5); keep the
 * two in step. Times are integers in milliseconds on the scenario clock
 * (0: the start of the chaos); null where there is nothing to give.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chaosd.h"
#include "kind.h"
#include "report.h"

#define SCHEMA_VERSION	1

static json_t *
jstr(const char *s)
{
	char	buf[4096];

	if (s == NULL)
		return (json_null());
	utf8_clean(buf, sizeof buf, s);
	return (json_string(buf));
}

static json_t *
jms(uint64_t ns)
{
	return (json_integer((json_int_t)(ns / NS_PER_MS)));
}

static json_t *
jmsf(uint64_t ns)
{
	return (json_real((double)(ns / 1000) / 1000.0));
}

static json_t *
when_array(unsigned when)
{
	json_t	*a = json_array();

	if (when & WHEN_BEFORE)
		json_array_append_new(a, json_string("before"));
	if (when & WHEN_DURING)
		json_array_append_new(a, json_string("during"));
	if (when & WHEN_AFTER)
		json_array_append_new(a, json_string("after"));
	return (a);
}

static json_t *
jgoal(uint64_t ns)
{
	return (ns > 0 ? jms(ns) : json_null());
}

/* A check's baseline, conditions, deviations and goals. */
static void
steady_json(const struct run_result *rr, int i, json_t *o)
{
	const struct sc_check *c = &rr->sc->checks[i];
	const struct check_result *cr = &rr->checks[i];
	const struct baseline *b = &cr->base;
	json_t	*base = json_null(), *lat, *conds, *d;
	int	 k;

	if (b->probes > 0) {
		base = json_object();
		json_object_set_new(base, "probes", json_integer((json_int_t)
		    b->probes));
		json_object_set_new(base, "failed", json_integer((json_int_t)
		    b->fails));
		json_object_set_new(base, "error_rate",
		    json_real(b->error_rate));
		lat = json_object();
		json_object_set_new(lat, "p50", jmsf(b->p_ns[0]));
		json_object_set_new(lat, "p90", jmsf(b->p_ns[1]));
		json_object_set_new(lat, "p99", jmsf(b->p_ns[2]));
		json_object_set_new(base, "latency_ms", lat);
	}
	json_object_set_new(o, "baseline", base);
	conds = json_array();
	for (k = 0; k < COND_MAX; k++) {
		if (c->cond[k].form == LIMIT_NONE)
			continue;
		d = json_object();
		json_object_set_new(d, "key", json_string(cond_key(k)));
		json_object_set_new(d, "value", jstr(c->cond[k].text));
		if (k < COND_ERROR_RATE)
			json_object_set_new(d, "limit_ms", b->max_ns[k] > 0 ?
			    jmsf(b->max_ns[k]) : json_null());
		else
			json_object_set_new(d, "limit_rate", b->max_rate >= 0 ?
			    json_real(b->max_rate) : json_null());
		json_array_append_new(conds, d);
	}
	json_object_set_new(o, "conditions", conds);
	json_object_set_new(o, "window", check_has_conditions(c) ?
	    json_integer((json_int_t)c->window) : json_null());
	json_object_set_new(o, "deviations", json_integer((json_int_t)
	    cr->deviations));
	if (cr->deviations > 0) {
		d = json_object();
		json_object_set_new(d, "t_ms", jms(cr->deviation_t_ns));
		json_object_set_new(d, "what", jstr(cr->deviation));
	} else
		d = json_null();
	json_object_set_new(o, "first_deviation", d);
	json_object_set_new(o, "mttd_max_ms", jgoal(c->mttd_max_ns));
	json_object_set_new(o, "mttr_max_ms", jgoal(c->mttr_max_ns));
}

static json_t *
check_json(const struct run_result *rr, int i)
{
	const struct sc_check *c = &rr->sc->checks[i];
	const struct check_result *cr = &rr->checks[i];
	json_t	*o = json_object(), *lat, *ph;
	static const char *const names[] = { "before", "during", "after" };
	int	 k;

	json_object_set_new(o, "name", jstr(c->name));
	json_object_set_new(o, "type", json_string(c->type->name));
	json_object_set_new(o, "target", jstr(c->url != NULL ? c->url :
	    c->address != NULL ? c->address : c->command));
	json_object_set_new(o, "when", when_array(c->when));
	json_object_set_new(o, "status", json_string(cr->ran ?
	    verdict_name(cr->verdict) : "not_run"));
	json_object_set_new(o, "message", cr->verdict != V_PASS &&
	    cr->message[0] != '\0' ? jstr(cr->message) : json_null());
	json_object_set_new(o, "probes", json_integer((json_int_t)
	    cr->nprobes));
	json_object_set_new(o, "passed", json_integer((json_int_t)
	    cr->passes));
	json_object_set_new(o, "failed", json_integer((json_int_t)cr->fails));
	json_object_set_new(o, "errors", json_integer((json_int_t)
	    cr->errors));
	json_object_set_new(o, "pass_rate", cr->nprobes > 0 ?
	    json_real((double)cr->passes / (double)cr->nprobes) :
	    json_null());
	if (cr->nprobes > 0) {
		lat = json_object();
		json_object_set_new(lat, "p50", jmsf(cr->p50_ns));
		json_object_set_new(lat, "p90", jmsf(cr->p90_ns));
		json_object_set_new(lat, "p99", jmsf(cr->p99_ns));
		json_object_set_new(lat, "max", jmsf(cr->max_ns));
	} else
		lat = json_null();
	json_object_set_new(o, "latency_ms", lat);
	ph = json_object();
	for (k = 0; k < 3; k++) {
		uint64_t n = 0, ok = 0;
		size_t	 j;
		json_t	*p;

		for (j = 0; j < cr->nprobes; j++) {
			if (cr->probes[j].phase != (1 << k))
				continue;
			n++;
			ok += cr->probes[j].v == V_PASS;
		}
		if (n == 0)
			continue;
		p = json_object();
		json_object_set_new(p, "probes", json_integer((json_int_t)n));
		json_object_set_new(p, "passed", json_integer((json_int_t)ok));
		json_object_set_new(ph, names[k], p);
	}
	json_object_set_new(o, "phases", ph);
	steady_json(rr, i, o);
	return (o);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* The checks' probes inside one fault window: pass rate, latencies. */
static json_t *
window_checks(const struct run_result *rr, const struct fault_result *fr)
{
	json_t	*a = json_array();
	int	 k;

	for (k = 0; k < rr->sc->nchecks; k++) {
		const struct check_result *cr = &rr->checks[k];
		uint64_t *lat, ok = 0;
		size_t	  j, n = 0;
		json_t	 *o, *l;

		lat = xcalloc(cr->nprobes + 1, sizeof *lat);
		for (j = 0; j < cr->nprobes; j++) {
			const struct probe *p = &cr->probes[j];

			if (p->phase == WHEN_BEFORE || p->t_ns < fr->start_ns ||
			    p->t_ns > fr->end_ns)
				continue;
			lat[n++] = p->latency_ns;
			ok += p->v == V_PASS;
		}
		if (n == 0) {
			free(lat);
			continue;
		}
		qsort(lat, n, sizeof *lat, cmp_u64);
		o = json_object();
		json_object_set_new(o, "name", jstr(rr->sc->checks[k].name));
		json_object_set_new(o, "probes", json_integer((json_int_t)n));
		json_object_set_new(o, "passed", json_integer((json_int_t)ok));
		json_object_set_new(o, "pass_rate", json_real((double)ok /
		    (double)n));
		l = json_object();
		json_object_set_new(l, "p50", jmsf(lat[(n * 50 + 99) / 100 -
		    1]));
		json_object_set_new(l, "p90", jmsf(lat[(n * 90 + 99) / 100 -
		    1]));
		json_object_set_new(l, "p99", jmsf(lat[(n * 99 + 99) / 100 -
		    1]));
		json_object_set_new(l, "max", jmsf(lat[n - 1]));
		json_object_set_new(o, "latency_ms", l);
		json_object_set_new(o, "time_to_detect_ms", fr->ct != NULL &&
		    fr->ct[k].ttd_ms >= 0 ? json_integer(fr->ct[k].ttd_ms) :
		    json_null());
		json_object_set_new(o, "time_to_recover_ms", fr->ct != NULL &&
		    fr->ct[k].ttr_ms >= 0 ? json_integer(fr->ct[k].ttr_ms) :
		    json_null());
		json_array_append_new(a, o);
		free(lat);
	}
	return (a);
}

static json_t *
fault_json(const struct run_result *rr, int i)
{
	const struct sc_fault *f = &rr->sc->faults[i];
	const struct fault_result *fr = &rr->faults[i];
	json_t	*o = json_object();

	json_object_set_new(o, "name", jstr(f->name));
	json_object_set_new(o, "kind", json_string(fault_kind_name(f->kind)));
	json_object_set_new(o, "what", jstr(f->what));
	json_object_set_new(o, "optional", json_boolean(f->optional));
	json_object_set_new(o, "planned_start_ms", jms(f->start_ns));
	json_object_set_new(o, "planned_end_ms", jms(fault_end_ns(rr->sc,
	    f)));
	json_object_set_new(o, "status", json_string(fault_status_name(
	    fr->status)));
	json_object_set_new(o, "start_ms", fr->applied ? jms(fr->start_ns) :
	    json_null());
	json_object_set_new(o, "end_ms", fr->applied ? jms(fr->end_ns) :
	    json_null());
	if (fr->counted) {
		json_object_set_new(o, "matched", json_integer((json_int_t)
		    fr->matched));
		json_object_set_new(o, "injected", json_integer((json_int_t)
		    fr->injected));
	}
	json_object_set_new(o, "reached", fr->reached < 0 ? json_null() :
	    json_boolean(fr->reached));
	json_object_set_new(o, "reach", fr->reach[0] != '\0' ?
	    jstr(fr->reach) : json_null());
	if (f->kind->report_json != NULL)
		f->kind->report_json(rr, i, o);
	json_object_set_new(o, "time_to_detect_ms", fr->ttd_ms >= 0 ?
	    json_integer(fr->ttd_ms) : json_null());
	json_object_set_new(o, "time_to_recover_ms", fr->ttr_ms >= 0 ?
	    json_integer(fr->ttr_ms) : json_null());
	json_object_set_new(o, "mttd_max_ms", jgoal(rr->sc->mttd_max_ns));
	json_object_set_new(o, "mttr_max_ms", jgoal(rr->sc->mttr_max_ns));
	json_object_set_new(o, "goal_missed", fr->goal[0] != '\0' ?
	    jstr(fr->goal) : json_null());
	json_object_set_new(o, "checks", fr->applied ? window_checks(rr, fr) :
	    json_array());
	json_object_set_new(o, "message", fr->message[0] != '\0' ?
	    jstr(fr->message) : json_null());
	return (o);
}

/* An event: its time, kind, what it is about, and its text. */
static json_t *
event_json(const struct run_result *rr, const struct run_event *e)
{
	const struct scenario *sc = rr->sc;
	json_t	*o = json_object();

	json_object_set_new(o, "t_ms", jms(e->t_ns));
	json_object_set_new(o, "kind", json_string(event_kind_name(e->kind)));
	if ((e->kind == EV_FAULT_ON || e->kind == EV_FAULT_OFF ||
	    e->kind == EV_FAULT_FAILED) && e->index >= 0 &&
	    e->index < sc->nfaults)
		json_object_set_new(o, "fault", jstr(sc->faults[e->index].name));
	if ((e->kind == EV_SERVICE_DIED || e->kind == EV_SERVICE_RESTARTED) &&
	    e->index >= 0 && e->index < sc->nservices)
		json_object_set_new(o, "service",
		    jstr(sc->services[e->index].name));
	if (e->kind == EV_ABORT && e->index >= 0 && e->index < sc->nchecks)
		json_object_set_new(o, "check", jstr(sc->checks[e->index].name));
	if (e->status >= 0)
		json_object_set_new(o, "exit_status", json_integer(e->status));
	if (e->signal != 0)
		json_object_set_new(o, "signal", json_integer(e->signal));
	json_object_set_new(o, "what", jstr(e->what));
	return (o);
}

static int
json_write(const struct run_result *rr, FILE *f)
{
	const struct scenario *sc = rr->sc;
	json_t	*root = json_object(), *a, *o;
	size_t	 j;
	int	 i, r;

	json_object_set_new(root, "schema", json_integer(SCHEMA_VERSION));
	json_object_set_new(root, "chaosd", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "host", jstr(host_name()));
	json_object_set_new(root, "scenario", jstr(sc->name));
	json_object_set_new(root, "file", jstr(sc->path));
	json_object_set_new(root, "started", json_string(rr->started));
	json_object_set_new(root, "duration_ms", jms(sc->duration_ns));
	json_object_set_new(root, "elapsed_ms", jms(rr->elapsed_ns));
	json_object_set_new(root, "status", json_string(rr->status));
	json_object_set_new(root, "exit_status", json_integer(
	    rr->exit_status));
	json_object_set_new(root, "reason", rr->reason[0] != '\0' ?
	    jstr(rr->reason) : json_null());
	json_object_set_new(root, "seed", sc->have_seed ?
	    json_integer((json_int_t)sc->seed) : json_null());

	if (rr->workload != NULL) {
		o = json_object();
		json_object_set_new(o, "command", jstr(rr->workload));
		json_object_set_new(o, "exit_status", rr->workload_ran &&
		    rr->workload_signal == 0 && rr->workload_status >= 0 ?
		    json_integer(rr->workload_status) : json_null());
		json_object_set_new(o, "signal", rr->workload_signal != 0 ?
		    json_integer(rr->workload_signal) : json_null());
	} else
		o = json_null();
	json_object_set_new(root, "workload", o);

	a = json_array();
	for (i = 0; i < sc->nservices; i++) {
		const struct service_result *sr = &rr->services[i];

		o = json_object();
		json_object_set_new(o, "name", jstr(sc->services[i].name));
		json_object_set_new(o, "command",
		    jstr(sc->services[i].command));
		json_object_set_new(o, "ready", json_boolean(sr->ready));
		json_object_set_new(o, "ready_ms", sr->ready ?
		    jms(sr->ready_ns) : json_null());
		json_object_set_new(o, "died", json_integer(sr->died));
		json_object_set_new(o, "restarts", json_integer(sr->restarts));
		json_object_set_new(o, "crash_loop",
		    json_boolean(sr->crash_loop));
		json_object_set_new(o, "user", sc->services[i].user != NULL ?
		    jstr(sc->services[i].user) : json_null());
		json_object_set_new(o, "message", sr->message[0] != '\0' ?
		    jstr(sr->message) : json_null());
		json_object_set_new(o, "log_tail", sr->log_tail[0] != '\0' ?
		    jstr(sr->log_tail) : json_null());
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "services", a);

	a = json_array();
	for (i = 0; i < sc->nfaults; i++)
		json_array_append_new(a, fault_json(rr, i));
	json_object_set_new(root, "faults", a);

	a = json_array();
	for (i = 0; i < sc->nchecks; i++)
		json_array_append_new(a, check_json(rr, i));
	json_object_set_new(root, "checks", a);

	a = json_array();
	for (j = 0; j < rr->nevents; j++) {
		json_array_append_new(a, event_json(rr, &rr->events[j]));
	}
	json_object_set_new(root, "events", a);

	r = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));
	fputc('\n', f);
	json_decref(root);
	return (r == 0 && !ferror(f) ? 0 : -1);
}

const struct report_format report_json_format = {
	.name = "json",
	.write = json_write,
};
