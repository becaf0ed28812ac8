/*
 * scenario-keys.c: the keys of [scenario], [service.NAME] and
 * [check.NAME] sections (scenario.c reads the file, and the fault
 * sections through their kinds). Each function sets one key or checks a
 * section once it is whole; its message names the key, never the file or
 * the section (scenario.c adds "FILE:LINE: [section]").
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "scenario.h"

static const char *const scenario_keys[] = {
	"name", "description", "duration", "command", "seed", "mttd_max",
	"mttr_max"
};
static const char *const service_keys[] = {
	"command", "ready", "ready_timeout", "restart", "restart_delay",
	"restart_delay_max", "restart_max", "crash_loop", "stop_timeout",
	"user", "log"
};
static const char *const check_keys[] = {
	"type", "url", "expect", "address", "command", "interval", "timeout",
	"when", "abort_after", "recover_within", "baseline", "max_p50",
	"max_p90", "max_p99", "max_error_rate", "window", "mttd_max",
	"mttr_max"
};
#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define VALUE_MAX 4096

/*
 * ${NAME} and ${NAME:-default} in a value that no shell reads (ready,
 * log, url, address), from chaosd's environment: the same spelling the
 * commands use, so that one variable sets a port everywhere. $$ is a
 * '$'. A variable that is not set and has no default is an error: an
 * empty port or path would only fail later and less clearly.
 */
static int
expand(const char *key, const char *in, char **out, char *err, size_t errlen)
{
	char	 buf[VALUE_MAX], name[128];
	const char *p = in, *end, *def, *v;
	size_t	 n = 0, len;

	while (*p != '\0') {
		if (p[0] == '$' && p[1] == '$') {
			v = "$";
			len = 1;
			p += 2;
		} else if (p[0] == '$' && p[1] == '{') {
			if ((end = strchr(p, '}')) == NULL) {
				snprintf(err, errlen, "%s: '%.80s': no '}' after "
				    "'${'", key, in);
				return (-1);
			}
			def = strstr(p, ":-");
			if (def != NULL && def > end)
				def = NULL;
			len = (size_t)((def != NULL ? def : end) - (p + 2));
			if (len == 0 || len >= sizeof name) {
				snprintf(err, errlen, "%s: '%.80s': a bad "
				    "variable name", key, in);
				return (-1);
			}
			memcpy(name, p + 2, len);
			name[len] = '\0';
			if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
			    "klmnopqrstuvwxyz0123456789_") != len) {
				snprintf(err, errlen, "%s: '%.80s': a bad "
				    "variable name '%s'", key, in, name);
				return (-1);
			}
			if ((v = getenv(name)) != NULL && *v != '\0')
				len = strlen(v);
			else if (def != NULL) {
				v = def + 2;
				len = (size_t)(end - v);
			} else {
				snprintf(err, errlen, "%s: ${%s} is not set "
				    "(export it, or give a default: "
				    "${%s:-VALUE})", key, name, name);
				return (-1);
			}
			p = end + 1;
		} else {
			v = p;
			len = 1;
			p++;
		}
		if (n + len >= sizeof buf) {
			snprintf(err, errlen, "%s: too long once expanded", key);
			return (-1);
		}
		memcpy(buf + n, v, len);
		n += len;
	}
	buf[n] = '\0';
	*out = xstrdup(buf);
	return (0);
}

static void
hint(char *buf, size_t len, const char *word, const char *const *choices,
    int n)
{
	int	k = did_you_mean(word, choices, n);

	if (k >= 0)
		snprintf(buf, len, " (did you mean '%s'?)", choices[k]);
	else
		buf[0] = '\0';
}

int
scenario_unknown_key(const char *key, const char *const *choices, int n, char *err,
    size_t errlen)
{
	char	esc[72], h[96];

	str_escape(esc, sizeof esc, key);
	hint(h, sizeof h, key, choices, n);
	snprintf(err, errlen, "unknown key '%s'%s", esc, h);
	return (-1);
}

/* ---- [scenario] ------------------------------------------------- */

/* mttd_max, mttr_max: a goal, in [scenario] and in [check.*] */
static int
parse_goal(const char *key, const char *value, uint64_t *ns, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_duration(value, ns, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", key, why);
		return (-1);
	}
	if (*ns < NS_PER_MS) {
		snprintf(err, errlen, "%s: must be 1ms or more (the times are "
		    "measured in milliseconds; leave it out: no goal)", key);
		return (-1);
	}
	return (0);
}

int
scenario_key(struct scenario *sc, const char *key, const char *value,
    char *err, size_t errlen)
{
	char		 why[RULE_ERR_MAX];

	if (strcmp(key, "name") == 0) {
		if (*value == '\0' || strlen(value) >= sizeof sc->name ||
		    strpbrk(value, "/ \t") != NULL) {
			snprintf(err, errlen, "name: '%.80s': a word of at "
			    "most %zu characters, without '/' or blanks",
			    value, sizeof sc->name - 1);
			return (-1);
		}
		strlcpy_chaos(sc->name, value, sizeof sc->name);
	} else if (strcmp(key, "description") == 0) {
		sc->description = xstrdup(value);
	} else if (strcmp(key, "duration") == 0) {
		if (parse_duration(value, &sc->duration_ns, why,
		    sizeof why) != 0) {
			snprintf(err, errlen, "duration: %s", why);
			return (-1);
		}
		if (sc->duration_ns == 0) {
			snprintf(err, errlen, "duration: must be more than 0");
			return (-1);
		}
	} else if (strcmp(key, "command") == 0) {
		if (*value == '\0') {
			snprintf(err, errlen, "command: empty");
			return (-1);
		}
		sc->command = xstrdup(value);
	} else if (strcmp(key, "seed") == 0) {
		if (parse_uint(value, UINT64_MAX, &sc->seed, why,
		    sizeof why) != 0) {
			snprintf(err, errlen, "seed: %s", why);
			return (-1);
		}
		sc->have_seed = 1;
	} else if (strcmp(key, "mttd_max") == 0) {
		return (parse_goal(key, value, &sc->mttd_max_ns, err, errlen));
	} else if (strcmp(key, "mttr_max") == 0) {
		return (parse_goal(key, value, &sc->mttr_max_ns, err, errlen));
	} else
		return (scenario_unknown_key(key, scenario_keys, NELEM(scenario_keys),
		    err, errlen));
	return (0);
}

/* ---- [service.*] ------------------------------------------------ */

static int
ready_check(const char *v, char *err, size_t errlen)
{
	const char *colon;

	if (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0)
		return (0);
	if (strncmp(v, "tcp://", 6) == 0) {
		colon = strrchr(v + 6, ':');
		if (colon != NULL && colon != v + 6 && colon[1] != '\0')
			return (0);
		snprintf(err, errlen, "ready: '%.80s': tcp://HOST:PORT", v);
		return (-1);
	}
	snprintf(err, errlen, "ready: '%.80s': give http://... or "
	    "tcp://HOST:PORT", v);
	return (-1);
}

int
service_key(struct sc_service *s, const char *key, const char *value,
    char *err, size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (strcmp(key, "command") == 0) {
		if (*value == '\0') {
			snprintf(err, errlen, "command: empty");
			return (-1);
		}
		s->command = xstrdup(value);
	} else if (strcmp(key, "ready") == 0) {
		free(s->ready);
		if (expand(key, value, &s->ready, err, errlen) != 0)
			return (-1);
		if (ready_check(s->ready, err, errlen) != 0)
			return (-1);
	} else if (strcmp(key, "ready_timeout") == 0) {
		if (parse_duration(value, &s->ready_timeout_ns, why,
		    sizeof why) != 0) {
			snprintf(err, errlen, "ready_timeout: %s", why);
			return (-1);
		}
	} else if (strcmp(key, "restart") == 0) {
		if (strcmp(value, "no") == 0)
			s->restart = RESTART_NO;
		else if (strcmp(value, "on-failure") == 0)
			s->restart = RESTART_ON_FAILURE;
		else {
			snprintf(err, errlen, "restart: '%.40s': no or "
			    "on-failure", value);
			return (-1);
		}
	} else if (strcmp(key, "restart_delay") == 0 ||
	    strcmp(key, "restart_delay_max") == 0 ||
	    strcmp(key, "stop_timeout") == 0) {
		uint64_t *dst = strcmp(key, "restart_delay") == 0 ?
		    &s->restart_delay_ns : strcmp(key, "stop_timeout") == 0 ?
		    &s->stop_timeout_ns : &s->restart_delay_max_ns;

		if (parse_duration(value, dst, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: %s", key, why);
			return (-1);
		}
		if (*dst == 0 && strcmp(key, "restart_delay") != 0) {
			snprintf(err, errlen, "%s: must be more than 0", key);
			return (-1);
		}
	} else if (strcmp(key, "restart_max") == 0) {
		if (parse_uint(value, 1000000, &s->restart_max, why,
		    sizeof why) != 0) {
			snprintf(err, errlen, "restart_max: %s", why);
			return (-1);
		}
		s->restart_max_set = 1;
	} else if (strcmp(key, "crash_loop") == 0) {
		if (strcmp(value, "fail") == 0)
			s->crash_loop_ok = 0;
		else if (strcmp(value, "expected") == 0)
			s->crash_loop_ok = 1;
		else {
			snprintf(err, errlen, "crash_loop: '%.40s': fail or "
			    "expected", value);
			return (-1);
		}
	} else if (strcmp(key, "user") == 0) {
		struct passwd *pw;

		if (*value == '\0' || (pw = getpwnam(value)) == NULL) {
			snprintf(err, errlen, "user: no user '%.40s' on this "
			    "machine", value);
			return (-1);
		}
		s->user = xstrdup(value);
		s->uid = pw->pw_uid;
		s->gid = pw->pw_gid;
	} else if (strcmp(key, "log") == 0) {
		if (*value == '\0') {
			snprintf(err, errlen, "log: empty (a file, or leave it "
			    "out: the service's output goes to chaosd's "
			    "standard error)");
			return (-1);
		}
		free(s->log);
		if (expand(key, value, &s->log, err, errlen) != 0)
			return (-1);
	} else
		return (scenario_unknown_key(key, service_keys, NELEM(service_keys),
		    err, errlen));
	return (0);
}

int
service_end(struct sc_service *s, char *err, size_t errlen)
{

	if (s->command == NULL) {
		snprintf(err, errlen, "no command given");
		return (-1);
	}
	if (s->restart_delay_max_ns < s->restart_delay_ns) {
		snprintf(err, errlen, "restart_delay_max is below "
		    "restart_delay");
		return (-1);
	}
	return (0);
}

/* ---- [check.*] -------------------------------------------------- */

static int
parse_when(const char *value, unsigned *when, char *err, size_t errlen)
{
	static const char *const words[] = { "before", "during", "after" };
	char	buf[256], *w, *save = NULL, h[64];
	int	i;

	*when = 0;
	if (strlcpy_chaos(buf, value, sizeof buf) >= sizeof buf) {
		snprintf(err, errlen, "when: too long");
		return (-1);
	}
	for (w = strtok_r(buf, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		for (i = 0; i < 3; i++)
			if (strcmp(w, words[i]) == 0)
				break;
		if (i == 3) {
			hint(h, sizeof h, w, words, 3);
			snprintf(err, errlen, "when: unknown phase '%.40s'%s "
			    "(before, during, after)", w, h);
			return (-1);
		}
		*when |= 1u << i;
	}
	if (*when == 0) {
		snprintf(err, errlen, "when: empty (before, during, after)");
		return (-1);
	}
	return (0);
}

/* baseline: a number of probes, or a duration to probe for */
static int
parse_baseline(struct sc_check *c, const char *value, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (*value != '\0' && strspn(value, "0123456789") == strlen(value)) {
		if (parse_uint(value, 100000, &c->baseline, why,
		    sizeof why) != 0 || c->baseline == 0) {
			snprintf(err, errlen, "baseline: '%.40s': from 1 to "
			    "100000 probes", value);
			return (-1);
		}
		return (0);
	}
	if (parse_duration(value, &c->baseline_ns, why, sizeof why) != 0 ||
	    c->baseline_ns == 0) {
		snprintf(err, errlen, "baseline: '%.40s': a number of probes "
		    "(20) or a duration to probe for (10s)", value);
		return (-1);
	}
	return (0);
}

/* "3x", "1.5x": a multiple, 1 to 1000; -1 when value is not one */
static int
parse_times(const char *value, double *times)
{
	size_t	 n = strlen(value);
	char	*end;

	if (n < 2 || value[n - 1] != 'x' ||
	    strspn(value, "0123456789.") != n - 1 || value[0] == '.')
		return (-1);
	*times = strtod(value, &end);
	if (end != value + n - 1 || !(*times >= 1 && *times <= 1000))
		return (-1);
	return (0);
}

/*
 * max_p50, max_p90, max_p99: 3x (the baseline's), +50ms (over the
 * baseline's) or 250ms; max_error_rate: 5% (0.05) or 2x (the
 * baseline's).
 */
static int
parse_limit(const char *key, int cond, const char *value, struct limit *l,
    char *err, size_t errlen)
{
	char	why[RULE_ERR_MAX];

	memset(l, 0, sizeof *l);
	if (*value == '\0' ||
	    strlcpy_chaos(l->text, value, sizeof l->text) >= sizeof l->text)
		goto bad;
	if (parse_times(value, &l->times) == 0) {
		l->form = LIMIT_TIMES;
		return (0);
	}
	if (value[strlen(value) - 1] == 'x') {
		snprintf(err, errlen, "%s: '%.40s': a multiple from 1x to "
		    "1000x", key, value);
		return (-1);
	}
	if (cond == COND_ERROR_RATE) {
		if (parse_fraction(value, &l->rate, why, sizeof why) != 0)
			goto bad;
		l->form = LIMIT_ABS;
		return (0);
	}
	if (value[0] == '+') {
		if (parse_duration(value + 1, &l->ns, why, sizeof why) != 0)
			goto bad;
		l->form = LIMIT_PLUS;
		return (0);
	}
	if (parse_duration(value, &l->ns, why, sizeof why) != 0 || l->ns == 0)
		goto bad;
	l->form = LIMIT_ABS;
	return (0);
bad:
	if (cond == COND_ERROR_RATE)
		snprintf(err, errlen, "%s: '%.40s': a rate (5%%, 0.05) or a "
		    "multiple of the baseline's (2x)", key, value);
	else
		snprintf(err, errlen, "%s: '%.40s': a multiple of the "
		    "baseline's (3x), an increase over it (+50ms) or a "
		    "latency (250ms)", key, value);
	return (-1);
}

int
check_key(struct sc_check *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	char		 why[RULE_ERR_MAX], h[64];
	uint64_t	 v;
	const char	*types[] = { "http", "tcp", "exec" };
	int		 k;

	if (strcmp(key, "type") == 0) {
		if ((c->type = check_type_find(value)) == NULL) {
			hint(h, sizeof h, value, types, 3);
			snprintf(err, errlen, "type: unknown check type "
			    "'%.40s'%s (%s)", value, h, check_type_names());
			return (-1);
		}
	} else if (strcmp(key, "url") == 0) {
		free(c->url);
		if (expand(key, value, &c->url, err, errlen) != 0)
			return (-1);
	} else if (strcmp(key, "address") == 0) {
		free(c->address);
		if (expand(key, value, &c->address, err, errlen) != 0)
			return (-1);
	} else if (strcmp(key, "command") == 0) {
		c->command = xstrdup(value);
	} else if (strcmp(key, "expect") == 0) {
		if (parse_uint(value, 599, &v, why, sizeof why) != 0 ||
		    v < 100) {
			snprintf(err, errlen, "expect: '%.40s': an HTTP status "
			    "code (100..599)", value);
			return (-1);
		}
		c->expect = (int)v;
	} else if (strcmp(key, "interval") == 0 ||
	    strcmp(key, "timeout") == 0 ||
	    strcmp(key, "recover_within") == 0) {
		uint64_t *dst = key[0] == 'i' ? &c->interval_ns :
		    key[0] == 't' ? &c->timeout_ns : &c->recover_within_ns;

		if (parse_duration(value, dst, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: %s", key, why);
			return (-1);
		}
		if (*dst == 0 && key[0] != 'r') {
			snprintf(err, errlen, "%s: must be more than 0", key);
			return (-1);
		}
	} else if (strcmp(key, "when") == 0) {
		if (parse_when(value, &c->when, err, errlen) != 0)
			return (-1);
	} else if (strcmp(key, "abort_after") == 0) {
		if (parse_uint(value, 1000000, &c->abort_after, why,
		    sizeof why) != 0) {
			snprintf(err, errlen, "abort_after: %s", why);
			return (-1);
		}
	} else if (strcmp(key, "baseline") == 0) {
		return (parse_baseline(c, value, err, errlen));
	} else if (strcmp(key, "window") == 0) {
		if (parse_uint(value, WINDOW_MAX, &c->window, why,
		    sizeof why) != 0 || c->window == 0) {
			snprintf(err, errlen, "window: '%.40s': from 1 to %d "
			    "probes", value, WINDOW_MAX);
			return (-1);
		}
	} else if (strcmp(key, "mttd_max") == 0) {
		return (parse_goal(key, value, &c->mttd_max_ns, err, errlen));
	} else if (strcmp(key, "mttr_max") == 0) {
		return (parse_goal(key, value, &c->mttr_max_ns, err, errlen));
	} else {
		for (k = 0; k < COND_MAX; k++)
			if (strcmp(key, cond_key(k)) == 0)
				return (parse_limit(key, k, value, &c->cond[k],
				    err, errlen));
		return (scenario_unknown_key(key, check_keys, NELEM(check_keys),
		    err, errlen));
	}
	return (0);
}

/* The steady-state keys, once the section is whole. */
static int
check_end_steady(struct sc_check *c, char *err, size_t errlen)
{
	int	k;

	if ((c->baseline > 0 || c->baseline_ns > 0) &&
	    !(c->when & WHEN_BEFORE)) {
		snprintf(err, errlen, "baseline needs when = before (it is "
		    "learnt before the faults)");
		return (-1);
	}
	for (k = 0; k < COND_MAX; k++) {
		const struct limit *l = &c->cond[k];

		if (l->form == LIMIT_NONE)
			continue;
		if (l->form != LIMIT_ABS && c->baseline == 0 &&
		    c->baseline_ns == 0) {
			snprintf(err, errlen, "%s = %s is relative to the "
			    "check's baseline: give baseline = N (probes "
			    "before the faults), with when = before",
			    cond_key(k), l->text);
			return (-1);
		}
		if (!(c->when & WHEN_DURING)) {
			snprintf(err, errlen, "%s is judged during the chaos: "
			    "it needs when = during", cond_key(k));
			return (-1);
		}
	}
	if (c->window > 0 && !check_has_conditions(c)) {
		snprintf(err, errlen, "window needs a condition to judge "
		    "(max_p50, max_p90, max_p99, max_error_rate)");
		return (-1);
	}
	if (c->window == 0)
		c->window = WINDOW_DEFAULT;
	if ((c->mttd_max_ns > 0 || c->mttr_max_ns > 0) &&
	    !(c->when & WHEN_DURING)) {
		snprintf(err, errlen, "%s needs when = during (a check detects "
		    "a fault while it lasts)", c->mttd_max_ns > 0 ?
		    "mttd_max" : "mttr_max");
		return (-1);
	}
	return (0);
}

int
check_end(struct sc_check *c, char *err, size_t errlen)
{
	if (c->type == NULL) {
		snprintf(err, errlen, "no type given (type = %s)",
		    check_type_names());
		return (-1);
	}
	if (c->type->check(c, err, errlen) != 0)
		return (-1);
	if (c->abort_after > 0 && !(c->when & WHEN_DURING)) {
		snprintf(err, errlen, "abort_after needs when = during");
		return (-1);
	}
	return (check_end_steady(c, err, errlen));
}

