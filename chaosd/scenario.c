/*
 * scenario.c: reading a scenario file into struct scenario.
 *
 * inih through libinject's counting reader (ini_read_file_ex), which
 * calls back at every [section] line too, so that every error, the ones
 * found when a section ends included, is "FILE:LINE: [section] message".
 * Unknown sections and keys get a "did you mean"; a key given twice in a
 * section, and a section given twice, are refused. A fault section,
 * [KIND.NAME], is read through its kind (kind.h): start, for and optional
 * here, the rest through the kind's option table and key function, the
 * very parsers its own subcommand uses. Nothing here applies anything.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "scenario.h"

enum sect { S_NONE, S_SCENARIO, S_SERVICE, S_CHECK, S_FAULT };

static const char *const scenario_keys[] = {
	"name", "description", "duration", "command", "seed"
};
static const char *const service_keys[] = {
	"command", "ready", "ready_timeout", "restart", "restart_delay",
	"restart_delay_max", "restart_max", "crash_loop", "stop_timeout",
	"user", "log"
};
static const char *const window_keys[] = { "start", "for", "optional" };
static const char *const check_keys[] = {
	"type", "url", "expect", "address", "command", "interval", "timeout",
	"when", "abort_after", "recover_within"
};
#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define KEYS_MAX 64

struct parser {
	struct scenario	*sc;
	enum sect	 kind;
	char		 section[96];	/* as written, for messages */
	int		 line;		/* of its header */
	int		 index;		/* into services/faults/checks */
	char		*keys[KEYS_MAX];	/* given in this section */
	int		 nkeys;
	char		**seen;		/* every section so far */
	int		 nseen;
	int		 has_scenario;
	int		 has_type;	/* check */
	char		 deferred[RULE_ERR_MAX * 2];	/* at p->line */
};

const char *
fault_kind_name(const struct fault_kind *k)
{
	return (k != NULL ? k->name : "?");
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

static int
unknown_key(const char *key, const char *const *choices, int n, char *err,
    size_t errlen)
{
	char	esc[72], h[96];

	str_escape(esc, sizeof esc, key);
	hint(h, sizeof h, key, choices, n);
	snprintf(err, errlen, "unknown key '%s'%s", esc, h);
	return (-1);
}

/* start/for/optional, shared by the fault sections: 1 handled, -1 error */
static int
window_key(struct sc_fault *f, const char *key, const char *value,
    char *err, size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (strcmp(key, "start") == 0) {
		if (parse_duration(value, &f->start_ns, why, sizeof why) != 0)
			goto bad;
		return (1);
	}
	if (strcmp(key, "for") == 0) {
		if (parse_duration(value, &f->for_ns, why, sizeof why) != 0)
			goto bad;
		if (f->for_ns == 0) {
			snprintf(err, errlen, "for: must be more than 0 (leave "
			    "it out: until the end)");
			return (-1);
		}
		return (1);
	}
	if (strcmp(key, "optional") == 0) {
		if (parse_bool(value, &f->optional, why, sizeof why) != 0)
			goto bad;
		return (1);
	}
	return (0);
bad:
	snprintf(err, errlen, "%s: %s", key, why);
	return (-1);
}

/* ---- [scenario] ------------------------------------------------- */

static int
scenario_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct scenario	*sc = p->sc;
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
	} else
		return (unknown_key(key, scenario_keys, NELEM(scenario_keys),
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

static int
service_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sc_service *s = &p->sc->services[p->index];
	char	why[RULE_ERR_MAX];

	if (strcmp(key, "command") == 0) {
		if (*value == '\0') {
			snprintf(err, errlen, "command: empty");
			return (-1);
		}
		s->command = xstrdup(value);
	} else if (strcmp(key, "ready") == 0) {
		if (ready_check(value, err, errlen) != 0)
			return (-1);
		s->ready = xstrdup(value);
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
		s->log = xstrdup(value);
	} else
		return (unknown_key(key, service_keys, NELEM(service_keys),
		    err, errlen));
	return (0);
}

static int
service_end(struct parser *p, char *err, size_t errlen)
{
	struct sc_service *s = &p->sc->services[p->index];

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

static int
check_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sc_check	*c = &p->sc->checks[p->index];
	char		 why[RULE_ERR_MAX], h[64];
	uint64_t	 v;
	const char	*types[] = { "http", "tcp", "exec" };

	if (strcmp(key, "type") == 0) {
		if ((c->type = check_type_find(value)) == NULL) {
			hint(h, sizeof h, value, types, 3);
			snprintf(err, errlen, "type: unknown check type "
			    "'%.40s'%s (%s)", value, h, check_type_names());
			return (-1);
		}
		p->has_type = 1;
	} else if (strcmp(key, "url") == 0) {
		c->url = xstrdup(value);
	} else if (strcmp(key, "address") == 0) {
		c->address = xstrdup(value);
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
	} else
		return (unknown_key(key, check_keys, NELEM(check_keys), err,
		    errlen));
	return (0);
}

static int
check_end(struct parser *p, char *err, size_t errlen)
{
	struct sc_check	*c = &p->sc->checks[p->index];

	if (!p->has_type) {
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
	return (0);
}

/* ---- [KIND.NAME]: faults ----------------------------------------- */

static int
fault_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	const struct fault_kind *k = f->kind;
	const char	*names[KIND_OPTIONS_MAX + 3];
	char		 why[RULE_ERR_MAX];
	int		 r, found, n;

	if ((r = window_key(f, key, value, err, errlen)) != 0)
		return (r < 0 ? -1 : 0);
	if (kind_set_option(k->options, f->spec, key, value, &found, why,
	    sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", key, why);
		return (-1);
	}
	if (found)
		return (0);
	if (k->key != NULL)
		return (k->key(f->spec, key, value, err, errlen));
	n = kind_option_names(k->options, names, KIND_OPTIONS_MAX);
	names[n++] = window_keys[0];
	names[n++] = window_keys[1];
	names[n++] = window_keys[2];
	return (unknown_key(key, names, n, err, errlen));
}

static int
fault_end(struct parser *p, char *err, size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];

	if (f->kind->check != NULL && f->kind->check(f, err, errlen) != 0)
		return (-1);
	f->what[0] = '\0';
	if (f->kind->describe != NULL)
		f->kind->describe(f, f->what, sizeof f->what);
	return (0);
}

/* ---- sections --------------------------------------------------- */

static int
section_end(struct parser *p, char *err, size_t errlen)
{
	switch (p->kind) {
	case S_SERVICE:
		return (service_end(p, err, errlen));
	case S_FAULT:
		return (fault_end(p, err, errlen));
	case S_CHECK:
		return (check_end(p, err, errlen));
	default:
		return (0);
	}
}

static int
section_name_ok(const char *name, char *err, size_t errlen)
{
	const char *c;

	if (*name == '\0') {
		snprintf(err, errlen, "empty NAME after the section type");
		return (-1);
	}
	if (strlen(name) >= SC_NAME_MAX) {
		snprintf(err, errlen, "name too long (at most %d characters)",
		    SC_NAME_MAX - 1);
		return (-1);
	}
	for (c = name; *c != '\0'; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.')) {
			snprintf(err, errlen, "NAME may hold letters, digits, "
			    "'-', '_' and '.' only");
			return (-1);
		}
	}
	return (0);
}

/* "[inject.NAME]": its type, and where NAME starts. */
static enum sect
section_type(const char *section, const struct fault_kind **kind,
    const char **name)
{
	const struct fault_kind *const *k;
	size_t	n;

	*kind = NULL;
	*name = NULL;
	if (strcmp(section, "scenario") == 0)
		return (S_SCENARIO);
	if (strncmp(section, "service.", 8) == 0) {
		*name = section + 8;
		return (S_SERVICE);
	}
	if (strncmp(section, "check.", 6) == 0) {
		*name = section + 6;
		return (S_CHECK);
	}
	for (k = kind_table; *k != NULL; k++) {
		n = strlen((*k)->name);
		if (strncmp(section, (*k)->name, n) == 0 && section[n] == '.') {
			*kind = *k;
			*name = section + n + 1;
			return (S_FAULT);
		}
	}
	return (S_NONE);
}

static void
unknown_section(const char *section, char *err, size_t errlen)
{
	const char	*types[KIND_OPTIONS_MAX];
	const char	*dot = strchr(section, '.');
	char		 h[96], guess[80];
	int		 n = 0, k;

	types[n++] = "scenario";
	types[n++] = "service";
	types[n++] = "check";
	for (k = 0; kind_table[k] != NULL && n < KIND_OPTIONS_MAX; k++)
		types[n++] = kind_table[k]->name;
	snprintf(guess, sizeof guess, "%.*s",
	    dot != NULL ? (int)(dot - section) : 60, section);
	k = did_you_mean(guess, types, n);
	if (k == 0)
		snprintf(h, sizeof h, " (did you mean [scenario]?)");
	else if (k > 0)
		snprintf(h, sizeof h, " (did you mean [%s.%.40s]?)",
		    types[k], dot != NULL ? dot + 1 : "NAME");
	else
		h[0] = '\0';
	snprintf(err, errlen, "unknown section%s: scenario, service.NAME, "
	    "check.NAME, %s", h, kind_names());
}

static int
section_begin(struct parser *p, const char *section, int line, char *err,
    size_t errlen)
{
	struct scenario	*sc = p->sc;
	const struct fault_kind *kind;
	const char	*name = NULL;
	char		 esc[80];
	int		 i;

	str_escape(esc, sizeof esc, section);
	snprintf(p->section, sizeof p->section, "[%s]", esc);
	for (i = 0; i < p->nseen; i++) {
		if (strcmp(p->seen[i], section) == 0) {
			snprintf(err, errlen, "given twice (merge them into "
			    "one)");
			return (-1);
		}
	}
	p->seen = xreallocarray(p->seen, p->nseen + 1, sizeof *p->seen);
	p->seen[p->nseen++] = xstrdup(section);

	if ((p->kind = section_type(section, &kind, &name)) == S_NONE) {
		unknown_section(section, err, errlen);
		return (-1);
	}
	p->line = line;
	for (i = 0; i < p->nkeys; i++)
		free(p->keys[i]);
	p->nkeys = 0;
	p->has_type = 0;

	if (p->kind == S_SCENARIO) {
		p->has_scenario = 1;
		return (0);
	}
	if (section_name_ok(name, err, errlen) != 0)
		return (-1);
	switch (p->kind) {
	case S_SERVICE: {
		struct sc_service *s;

		sc->services = xreallocarray(sc->services, sc->nservices + 1,
		    sizeof *sc->services);
		p->index = sc->nservices++;
		s = &sc->services[p->index];
		memset(s, 0, sizeof *s);
		strlcpy_chaos(s->name, name, sizeof s->name);
		s->line = line;
		s->ready_timeout_ns = 30 * NS_PER_S;
		s->restart = RESTART_NO;
		s->restart_delay_ns = 100 * NS_PER_MS;
		s->restart_delay_max_ns = 5 * NS_PER_S;
		s->restart_max = 5;
		s->stop_timeout_ns = 3 * NS_PER_S;
		s->uid = (uid_t)-1;
		s->gid = (gid_t)-1;
		break;
	}
	case S_FAULT: {
		struct sc_fault *f;

		if (sc->nfaults >= RULE_MAX) {
			snprintf(err, errlen, "too many faults (at most %d)",
			    RULE_MAX);
			return (-1);
		}
		sc->faults = xreallocarray(sc->faults, sc->nfaults + 1,
		    sizeof *sc->faults);
		p->index = sc->nfaults++;
		f = &sc->faults[p->index];
		memset(f, 0, sizeof *f);
		strlcpy_chaos(f->name, name, sizeof f->name);
		f->line = line;
		f->kind = kind;
		f->spec = xcalloc(1, kind->spec_size);
		if (kind->init != NULL)
			kind->init(f->spec, name);
		break;
	}
	case S_CHECK: {
		struct sc_check *c;

		sc->checks = xreallocarray(sc->checks, sc->nchecks + 1,
		    sizeof *sc->checks);
		p->index = sc->nchecks++;
		c = &sc->checks[p->index];
		memset(c, 0, sizeof *c);
		strlcpy_chaos(c->name, name, sizeof c->name);
		c->line = line;
		c->expect = 200;
		c->interval_ns = NS_PER_S;
		c->timeout_ns = NS_PER_S;
		c->when = WHEN_BEFORE | WHEN_DURING | WHEN_AFTER;
		break;
	}
	default:
		break;
	}
	return (0);
}

/* Prefix err with the section; the reader adds FILE:LINE. */
static void
in_section(struct parser *p, char *err, size_t errlen)
{
	char	msg[RULE_ERR_MAX * 2];

	snprintf(msg, sizeof msg, "%s", err);
	snprintf(err, errlen, "%s %s", p->section, msg);
}

static int
on_ini(void *user, const char *section, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct parser	*p = user;
	char		 esc[72];
	int		 i, r;

	if (key == NULL) {
		/* a new section: the one before ends here */
		if (p->kind != S_NONE && section_end(p, err, errlen) != 0) {
			/* reported at that section's own line */
			snprintf(p->deferred, sizeof p->deferred, "%s %s",
			    p->section, err);
			return (0);
		}
		if (section_begin(p, section, line, err, errlen) != 0) {
			in_section(p, err, errlen);
			return (0);
		}
		return (1);
	}
	if (p->kind == S_NONE) {
		str_escape(esc, sizeof esc, key);
		snprintf(err, errlen, "key '%s' outside any section (start "
		    "with [scenario])", esc);
		return (0);
	}
	for (i = 0; i < p->nkeys; i++) {
		if (strcmp(p->keys[i], key) == 0) {
			str_escape(esc, sizeof esc, key);
			snprintf(err, errlen, "%s '%s' given twice", p->section,
			    esc);
			return (0);
		}
	}
	if (p->nkeys < KEYS_MAX)
		p->keys[p->nkeys++] = xstrdup(key);

	switch (p->kind) {
	case S_SCENARIO:
		r = scenario_key(p, key, value, err, errlen);
		break;
	case S_SERVICE:
		r = service_key(p, key, value, err, errlen);
		break;
	case S_FAULT:
		r = fault_key(p, key, value, err, errlen);
		break;
	case S_CHECK:
		r = check_key(p, key, value, err, errlen);
		break;
	default:
		r = -1;
	}
	if (r != 0) {
		in_section(p, err, errlen);
		return (0);
	}
	(void)line;
	return (1);
}

/* Checks across sections, once the whole file is read. */
static int
scenario_finish(struct scenario *sc, char *err, size_t errlen)
{
	char	a[32], b[32], msg[RULE_ERR_MAX * 2];
	int	i;

	for (i = 0; i < sc->nfaults; i++) {
		struct sc_fault *f = &sc->faults[i];

		if (f->start_ns >= sc->duration_ns) {
			fmt_dur(f->start_ns, a, sizeof a);
			fmt_dur(sc->duration_ns, b, sizeof b);
			snprintf(err, errlen, "%d: [%s.%s] start = %s is not "
			    "before the scenario's duration (%s)", f->line,
			    fault_kind_name(f->kind), f->name, a, b);
			return (-1);
		}
		if (f->kind->check_scenario != NULL &&
		    f->kind->check_scenario(sc, f, msg, sizeof msg) != 0) {
			snprintf(err, errlen, "%d: [%s.%s] %.300s", f->line,
			    fault_kind_name(f->kind), f->name, msg);
			return (-1);
		}
	}
	return (0);
}

/* The index of [service.NAME], or -1. */
int
scenario_service_index(const struct scenario *sc, const char *name)
{
	int	i;

	for (i = 0; i < sc->nservices; i++)
		if (strcmp(sc->services[i].name, name) == 0)
			return (i);
	return (-1);
}

struct scenario *
scenario_load(const char *path, char *err, size_t errlen)
{
	struct scenario	*sc;
	struct parser	 p;
	char		 msg[RULE_ERR_MAX * 2], esc[256], *base, *dot;
	int		 i, ok;

	sc = xcalloc(1, sizeof *sc);
	sc->path = xstrdup(path);
	sc->duration_ns = SC_DURATION_DEFAULT;
	memset(&p, 0, sizeof p);
	p.sc = sc;

	ok = ini_read_file_ex(path, INI_READ_SECTIONS, on_ini, &p, err,
	    errlen) == 0;
	if (!ok && p.deferred[0] != '\0') {
		str_escape(esc, sizeof esc, path);
		snprintf(err, errlen, "%s:%d: %s", esc, p.line, p.deferred);
	}
	if (ok && p.kind != S_NONE && section_end(&p, msg, sizeof msg) != 0) {
		str_escape(esc, sizeof esc, path);
		snprintf(err, errlen, "%s:%d: %s %s", esc, p.line, p.section,
		    msg);
		ok = 0;
	}
	if (ok && p.nseen == 0) {
		str_escape(esc, sizeof esc, path);
		snprintf(err, errlen, "%s:1: empty scenario (no section; "
		    "start with [scenario])", esc);
		ok = 0;
	}
	if (ok && scenario_finish(sc, msg, sizeof msg) != 0) {
		str_escape(esc, sizeof esc, path);
		snprintf(err, errlen, "%s:%s", esc, msg);
		ok = 0;
	}
	for (i = 0; i < p.nseen; i++)
		free(p.seen[i]);
	free(p.seen);
	for (i = 0; i < p.nkeys; i++)
		free(p.keys[i]);
	if (!ok) {
		scenario_free(sc);
		return (NULL);
	}
	if (sc->name[0] == '\0') {
		base = strrchr(path, '/');
		base = xstrdup(base != NULL ? base + 1 : path);
		if ((dot = strrchr(base, '.')) != NULL && dot != base)
			*dot = '\0';
		for (dot = base; *dot != '\0'; dot++)
			if (*dot == ' ' || *dot == '\t')
				*dot = '_';
		strlcpy_chaos(sc->name, base, sizeof sc->name);
		free(base);
	}
	return (sc);
}

void
scenario_free(struct scenario *sc)
{
	int	i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nservices; i++) {
		free(sc->services[i].command);
		free(sc->services[i].ready);
		free(sc->services[i].user);
		free(sc->services[i].log);
	}
	for (i = 0; i < sc->nfaults; i++) {
		if (sc->faults[i].kind->free != NULL)
			sc->faults[i].kind->free(sc->faults[i].spec);
		free(sc->faults[i].spec);
	}
	for (i = 0; i < sc->nchecks; i++) {
		free(sc->checks[i].url);
		free(sc->checks[i].address);
		free(sc->checks[i].command);
	}
	free(sc->services);
	free(sc->faults);
	free(sc->checks);
	free(sc->command);
	free(sc->description);
	free(sc->path);
	free(sc);
}
