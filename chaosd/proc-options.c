/*
 * proc-options.c: what a process fault is made of, as one table of
 * options: `chaosd proc kill --name api --signal SIGTERM` and
 * `[process.NAME] name = api, signal = SIGTERM` go through the same
 * setters, and proc_spec_check() decides for both.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"

#define PS(spec) ((struct proc_spec *)(spec))
#define EVERY_MIN_NS	(10ull * 1000000)	/* the run's tick */

void
proc_spec_init(struct proc_spec *s)
{
	memset(s, 0, sizeof *s);
	s->action = PA_KILL;
	s->sig = SIGKILL;
	s->probability = 1;
}

static int
o_action(void *s, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "kill") == 0)
		PS(s)->action = PA_KILL;
	else if (strcmp(v, "pause") == 0)
		PS(s)->action = PA_PAUSE;
	else {
		value_error(err, errlen, v, "is not an action (kill or pause)");
		return (-1);
	}
	return (0);
}

static int
o_signal(void *s, const char *v, char *err, size_t errlen)
{
	int	sig;

	if (parse_signal(v, &sig, err, errlen) != 0)
		return (-1);
	if (sig == 0) {
		value_error(err, errlen, v, "is no signal");
		return (-1);
	}
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU) {
		value_error(err, errlen, v, "would stop the process with "
		    "nobody to resume it: use pause, which does");
		return (-1);
	}
	PS(s)->sig = sig;
	PS(s)->has_sig = 1;
	return (0);
}

static int
o_every(void *s, const char *v, char *err, size_t errlen)
{
	if (parse_duration(v, &PS(s)->every_ns, err, errlen) != 0)
		return (-1);
	if (PS(s)->every_ns < EVERY_MIN_NS) {
		value_error(err, errlen, v, "is too short (10ms or more)");
		return (-1);
	}
	return (0);
}

static int
o_probability(void *s, const char *v, char *err, size_t errlen)
{
	if (parse_fraction(v, &PS(s)->probability, err, errlen) != 0)
		return (-1);
	if (PS(s)->probability <= 0) {
		value_error(err, errlen, v, "would never kill (above 0%%)");
		return (-1);
	}
	PS(s)->has_probability = 1;
	return (0);
}

static int
o_count(void *s, const char *v, char *err, size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_uint(v, UINT32_MAX, &PS(s)->count, why, sizeof why) != 0 ||
	    PS(s)->count == 0) {
		value_error(err, errlen, v, "is not a count (1 or more)");
		return (-1);
	}
	return (0);
}

#define ACTION	"What (kill: once at the start, or every D)"

const struct kind_option proc_options[] = {
	{ "action", "kill|pause", o_action, "kill (the default) or pause",
	    ACTION, KO_SCENARIO },
	{ "signal", "S", o_signal, "kill with S (SIGTERM, TERM, 15; default "
	    "SIGKILL)", ACTION, 0 },
	{ "every", "D", o_every, "a decision every D (10ms or more) instead "
	    "of one kill", ACTION, 0 },
	{ "probability", "P", o_probability, "each decision kills with "
	    "probability P (5%, 0.05)", ACTION, 0 },
	{ "count", "N", o_count, "kill at most N times", ACTION, 0 },
	TARGET_ROWS_SERVICE,
	TARGET_ROWS_PID,
	TARGET_ROWS_NAME,
	TARGET_ROWS_CGROUP,
	{ NULL, NULL, NULL, NULL, NULL, 0 }
};

/* What must hold once every option is read: proc's and validate's. */
int
proc_spec_check(const struct proc_spec *s, char *err, size_t errlen)
{
	if (target_check(&s->tg, TGM(TG_SERVICE) | TGM(TG_PID) |
	    TGM(TG_NAME) | TGM(TG_CGROUP) | TGM(TG_UNIT), 1, err, errlen) != 0)
		return (-1);
	if (s->action == PA_PAUSE) {
		if (s->has_sig || s->every_ns != 0 || s->has_probability ||
		    s->count != 0) {
			snprintf(err, errlen, "signal, every, probability and "
			    "count go with kill, not pause (a pause lasts the "
			    "fault's window)");
			return (-1);
		}
		return (0);
	}
	if (s->every_ns == 0 && (s->has_probability || s->count != 0)) {
		snprintf(err, errlen, "probability and count go with every "
		    "(without it, one kill at the start)");
		return (-1);
	}
	return (0);
}

/* "SIGKILL to service api, every 10s with probability 10%, 3 at most" */
void
proc_spec_describe(const struct proc_spec *s, char *buf, size_t len)
{
	char	who[PATH_MAX + 32], d[32], p[32];
	const char *sig = signal_name(s->sig);

	target_describe(&s->tg, who, sizeof who);
	if (s->action == PA_PAUSE) {
		snprintf(buf, len, "pause %.400s", who);
		return;
	}
	if (s->every_ns == 0) {
		snprintf(buf, len, "%s to %.400s, once", sig ? sig : "?", who);
		return;
	}
	format_duration(s->every_ns, d, sizeof d);
	snprintf(p, sizeof p, "%g", s->probability * 100);
	snprintf(buf, len, "%s to %.400s, every %s with probability %s%%",
	    sig ? sig : "?", who, d, p);
	if (s->count != 0)
		snprintf(buf + strlen(buf), len - strlen(buf), ", %llu at most",
		    (unsigned long long)s->count);
}
