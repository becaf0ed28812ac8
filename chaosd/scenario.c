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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "scenario.h"

enum sect { S_NONE, S_SCENARIO, S_SERVICE, S_CHECK, S_FAULT };

static const char *const window_keys[] = { "start", "for", "optional" };
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
	char		 deferred[RULE_ERR_MAX * 2];	/* at p->line */
};

const char *
fault_kind_name(const struct fault_kind *k)
{
	return (k != NULL ? k->name : "?");
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
	return (scenario_unknown_key(key, names, n, err, errlen));
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
		return (service_end(&p->sc->services[p->index], err,
		    errlen));
	case S_FAULT:
		return (fault_end(p, err, errlen));
	case S_CHECK:
		return (check_end(&p->sc->checks[p->index], err, errlen));
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
		r = scenario_key(p->sc, key, value, err, errlen);
		break;
	case S_SERVICE:
		r = service_key(&p->sc->services[p->index], key, value, err,
		    errlen);
		break;
	case S_FAULT:
		r = fault_key(p, key, value, err, errlen);
		break;
	case S_CHECK:
		r = check_key(&p->sc->checks[p->index], key, value, err,
		    errlen);
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
