/*
 * scenario.c: reading a scenario file into struct scenario.
 *
 * inih through libinject's counting reader (ini_read_file_ex), which
 * calls back at every [section] line too, so that every error, the ones
 * found when a section ends included, is "FILE:LINE: [section] message".
 * Unknown sections and keys get a "did you mean"; a key given twice in a
 * section, and a section given twice, are refused. [inject.*] keys go
 * through the rule parser the shim uses, [network.*] through chaosd
 * net's value parsers and netfault_check(), [syscall.*] through the
 * seccomp rule parser. Nothing here applies anything.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "net.h"
#include "syscall.h"
#include "scenario.h"

enum sect { S_NONE, S_SCENARIO, S_SERVICE, S_INJECT, S_NETWORK, S_SYSCALL,
    S_CHECK };

static const char *const sect_prefix[] = {
	"", "scenario", "service.", "inject.", "network.", "syscall.",
	"check."
};
#define NSECT ((int)(sizeof sect_prefix / sizeof sect_prefix[0]))

static const char *const scenario_keys[] = {
	"name", "description", "duration", "command", "seed"
};
static const char *const service_keys[] = {
	"command", "ready", "ready_timeout", "restart"
};
static const char *const check_keys[] = {
	"type", "url", "expect", "address", "command", "interval", "timeout",
	"when", "abort_after", "recover_within"
};
static const char *const inject_keys[] = {	/* rule.c's, and ours */
	"start", "for", "optional", "table", "call", "error", "retval",
	"delay", "jitter", "signal", "exit", "short", "corrupt", "probability",
	"nth", "after", "count", "path", "addr", "port", "host", "fdtype",
	"exe"
};

/* [network.*] keys: chaosd net apply's options, '_' for '-'. */
static const char *const network_keys[] = {
	"start", "for", "optional",
	"netns", "pid", "dev", "ingress", "delay", "jitter", "correlation",
	"distribution", "loss", "loss_correlation", "loss_ge", "duplicate",
	"corrupt", "reorder", "gap", "rate", "limit", "dst", "src", "dport",
	"sport", "proto", "exclude_port", "force"
};
static const char *const syscall_keys[] = {
	"start", "for", "optional", "syscall", "error", "retval", "delay",
	"jitter", "signal", "kill", "probability", "nth", "after", "count",
	"path", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5"
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
	/* network: what the values parse to, for netfault_check */
	struct net_fault nf;
	struct net_match nm;
	int		 has_dev;
	int		 has_type;	/* check */
	char		 deferred[RULE_ERR_MAX * 2];	/* at p->line */
};

const char *
fault_kind_name(enum fault_kind k)
{
	switch (k) {
	case FAULT_INJECT:
		return ("inject");
	case FAULT_NETWORK:
		return ("network");
	case FAULT_SYSCALL:
		return ("syscall");
	}
	return ("?");
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

static int
is_one_of(const char *key, const char *const *choices, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(key, choices[i]) == 0)
			return (1);
	return (0);
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
	} else
		return (unknown_key(key, service_keys, NELEM(service_keys),
		    err, errlen));
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

/* ---- [inject.*] ------------------------------------------------- */

static int
inject_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	char		 why[RULE_ERR_MAX], h[96];
	int		 r;

	if ((r = window_key(f, key, value, err, errlen)) != 0)
		return (r < 0 ? -1 : 0);
	if (strcmp(key, "table") == 0) {
		if (value[0] != '/') {
			snprintf(err, errlen, "table: '%.80s': an absolute "
			    "path", value);
			return (-1);
		}
		f->table = xstrdup(value);
		return (0);
	}
	if (strcmp(key, "name") == 0) {
		snprintf(err, errlen, "name: a scenario's rule is named by its "
		    "section");
		return (-1);
	}
	if (strcmp(key, "call") == 0)
		r = rule_set_calls(&f->rule, value, why, sizeof why);
	else
		r = rule_set_key(&f->rule, key, value, why, sizeof why);
	if (r != 0) {
		if (strncmp(why, "unknown key", 11) == 0) {
			hint(h, sizeof h, key, inject_keys, NELEM(inject_keys));
			if (h[0] != '\0')
				return (unknown_key(key, inject_keys,
				    NELEM(inject_keys), err, errlen));
		}
		snprintf(err, errlen, "%s", why);
		return (-1);
	}
	return (0);
}

static int
inject_end(struct parser *p, char *err, size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	char		 buf[1024];

	if (rule_check(&f->rule, err, errlen) != 0)
		return (-1);
	if (rule_format(&f->rule, buf, sizeof buf) < 0)
		buf[0] = '\0';
	one_line(f->what, sizeof f->what, buf);
	return (0);
}

/* ---- [network.*] ------------------------------------------------ */

static int
network_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	struct net_fault *nf = &p->nf;
	struct net_match *nm = &p->nm;
	char		 why[RULE_ERR_MAX], opt[64], tmp[NAME_MAX + 1];
	uint64_t	 v;
	int		 r, i, flag = 0;

	if ((r = window_key(f, key, value, err, errlen)) != 0)
		return (r < 0 ? -1 : 0);
	if (!is_one_of(key, network_keys, NELEM(network_keys)))
		return (unknown_key(key, network_keys, NELEM(network_keys),
		    err, errlen));

	why[0] = '\0';
	r = 0;
	if (strcmp(key, "netns") == 0)
		r = parse_netns_name(value, tmp, sizeof tmp, why, sizeof why);
	else if (strcmp(key, "pid") == 0)
		r = parse_uint(value, INT32_MAX, &v, why, sizeof why);
	else if (strcmp(key, "dev") == 0) {
		if (*value == '\0' || strlen(value) >= IF_NAMESIZE ||
		    strchr(value, '/') != NULL) {
			snprintf(why, sizeof why, "bad device name '%.40s'",
			    value);
			r = -1;
		}
		p->has_dev = 1;
	} else if (strcmp(key, "ingress") == 0 || strcmp(key, "force") == 0)
		r = parse_bool(value, &flag, why, sizeof why);
	else if (strcmp(key, "delay") == 0) {
		r = parse_duration(value, &nf->delay_ns, why, sizeof why);
		nf->has |= NF_DELAY;
	} else if (strcmp(key, "jitter") == 0) {
		r = parse_duration(value, &nf->jitter_ns, why, sizeof why);
		nf->has |= NF_JITTER;
	} else if (strcmp(key, "correlation") == 0) {
		r = parse_fraction(value, &nf->delay_corr, why, sizeof why);
		nf->has |= NF_CORR;
	} else if (strcmp(key, "distribution") == 0) {
		if ((r = netem_dist_parse(value, &nf->dist)) != 0)
			snprintf(why, sizeof why, "'%.40s': normal, pareto or "
			    "paretonormal", value);
		nf->has |= NF_DIST;
	} else if (strcmp(key, "loss") == 0) {
		r = parse_fraction(value, &nf->loss, why, sizeof why);
		nf->has |= NF_LOSS;
	} else if (strcmp(key, "loss_correlation") == 0) {
		r = parse_fraction(value, &nf->loss_corr, why, sizeof why);
		nf->has |= NF_LOSS_CORR;
	} else if (strcmp(key, "loss_ge") == 0) {
		const char *q = value;
		int n = 0;

		while (r == 0 && n < 4) {
			size_t len = strcspn(q, ",");

			snprintf(tmp, sizeof tmp, "%.*s", (int)len, q);
			r = parse_fraction(tmp, &nf->ge[n++], why, sizeof why);
			if (q[len] == '\0')
				break;
			q += len + 1;
		}
		for (n = 0, q = value; *q != '\0'; q++)
			n += *q == ',';
		if (r == 0 && n > 3) {
			snprintf(why, sizeof why, "at most 4 values: "
			    "P[,R[,1-H[,1-K]]]");
			r = -1;
		}
		nf->has |= NF_LOSS_GE;
	} else if (strcmp(key, "duplicate") == 0) {
		r = parse_fraction(value, &nf->duplicate, why, sizeof why);
		nf->has |= NF_DUPLICATE;
	} else if (strcmp(key, "corrupt") == 0) {
		r = parse_fraction(value, &nf->corrupt, why, sizeof why);
		nf->has |= NF_CORRUPT;
	} else if (strcmp(key, "reorder") == 0) {
		r = parse_fraction(value, &nf->reorder, why, sizeof why);
		nf->has |= NF_REORDER;
	} else if (strcmp(key, "gap") == 0) {
		r = parse_uint(value, UINT32_MAX, &v, why, sizeof why);
		nf->gap = (uint32_t)v;
		nf->has |= NF_GAP;
	} else if (strcmp(key, "rate") == 0) {
		r = parse_rate(value, &nf->rate, why, sizeof why);
		nf->has |= NF_RATE;
	} else if (strcmp(key, "limit") == 0) {
		r = parse_uint(value, UINT32_MAX, &v, why, sizeof why);
		nf->limit = (uint32_t)v;
		nf->has |= NF_LIMIT;
	} else if (strcmp(key, "dst") == 0 || strcmp(key, "src") == 0) {
		r = parse_cidr(value, key[0] == 'd' ? &nm->dst : &nm->src, why,
		    sizeof why);
		nm->has |= key[0] == 'd' ? NM_DST : NM_SRC;
	} else if (strcmp(key, "dport") == 0) {
		r = parse_port_range(value, &nm->dport_lo, &nm->dport_hi, why,
		    sizeof why);
		nm->has |= NM_DPORT;
	} else if (strcmp(key, "sport") == 0) {
		r = parse_port_range(value, &nm->sport_lo, &nm->sport_hi, why,
		    sizeof why);
		nm->has |= NM_SPORT;
	} else if (strcmp(key, "proto") == 0) {
		r = parse_proto(value, &nm->proto, why, sizeof why);
		nm->has |= NM_PROTO;
	} else if (strcmp(key, "exclude_port") == 0)
		r = parse_exclude(value, nm, why, sizeof why);
	if (r != 0) {
		snprintf(err, errlen, "%s: %s", key, why);
		return (-1);
	}

	/* what chaosd net apply will be given */
	snprintf(opt, sizeof opt, "--%s", key);
	for (i = 2; opt[i] != '\0'; i++)
		if (opt[i] == '_')
			opt[i] = '-';
	f->netargv = xreallocarray(f->netargv, f->netargc + 3,
	    sizeof *f->netargv);
	if (strcmp(key, "ingress") == 0 || strcmp(key, "force") == 0) {
		if (flag)
			f->netargv[f->netargc++] = xstrdup(opt);
	} else {
		f->netargv[f->netargc++] = xstrdup(opt);
		f->netargv[f->netargc++] = xstrdup(value);
	}
	f->netargv[f->netargc] = NULL;
	return (0);
}

static int
network_end(struct parser *p, char *err, size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	size_t		 len = 0;
	int		 i;

	if (!p->has_dev) {
		snprintf(err, errlen, "no dev given (the device: dev = eth0)");
		return (-1);
	}
	if (netfault_check(&p->nf, &p->nm, err, errlen) != 0)
		return (-1);
	f->what[0] = '\0';
	for (i = 0; i < f->netargc && len + 2 < sizeof f->what; i++) {
		snprintf(f->what + len, sizeof f->what - len, "%s%s",
		    i > 0 ? " " : "", f->netargv[i]);
		len = strlen(f->what);
	}
	return (0);
}

/* ---- [syscall.*] ------------------------------------------------ */

static int
syscall_key(struct parser *p, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	char		 why[RULE_ERR_MAX];
	int		 r;

	if ((r = window_key(f, key, value, err, errlen)) != 0)
		return (r < 0 ? -1 : 0);
	if (!is_one_of(key, syscall_keys, NELEM(syscall_keys)) &&
	    strncmp(key, "arg", 3) != 0)
		return (unknown_key(key, syscall_keys, NELEM(syscall_keys),
		    err, errlen));
	if (syscall_rule_set_key(f->sc, key, value, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		return (-1);
	}
	if (strcmp(key, "syscall") == 0)
		snprintf(f->what, sizeof f->what, "%.100s", value);
	return (0);
}

static int
syscall_end(struct parser *p, char *err, size_t errlen)
{
	struct sc_fault	*f = &p->sc->faults[p->index];
	size_t		 n;

	if (syscall_rule_check(f->sc, err, errlen) != 0)
		return (-1);
	if (f->start_ns != 0 || f->for_ns != 0) {
		snprintf(err, errlen, "start and for cannot be given: a seccomp "
		    "filter cannot be removed, so a syscall fault lasts as long "
		    "as the workload");
		return (-1);
	}
	n = strlen(f->what);
	snprintf(f->what + n, sizeof f->what - n, " (seccomp)");
	return (0);
}

/* ---- sections --------------------------------------------------- */

static int
section_end(struct parser *p, char *err, size_t errlen)
{
	switch (p->kind) {
	case S_SERVICE:
		if (p->sc->services[p->index].command == NULL) {
			snprintf(err, errlen, "no command given");
			return (-1);
		}
		return (0);
	case S_INJECT:
		return (inject_end(p, err, errlen));
	case S_NETWORK:
		return (network_end(p, err, errlen));
	case S_SYSCALL:
		return (syscall_end(p, err, errlen));
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

static int
section_begin(struct parser *p, const char *section, int line, char *err,
    size_t errlen)
{
	struct scenario	*sc = p->sc;
	const char	*name = NULL;
	char		 esc[80], h[96], guess[80];
	int		 i, k;

	str_escape(esc, sizeof esc, section);
	snprintf(p->section, sizeof p->section, "[%s]", esc);
	for (i = 0; i < p->nseen; i++) {
		if (strcmp(p->seen[i], section) == 0) {
			snprintf(err, errlen, "%s given twice (merge them into "
			    "one)", p->section);
			return (-1);
		}
	}
	p->seen = xreallocarray(p->seen, p->nseen + 1, sizeof *p->seen);
	p->seen[p->nseen++] = xstrdup(section);

	p->kind = S_NONE;
	for (k = 1; k < NSECT; k++) {
		size_t n = strlen(sect_prefix[k]);

		if (k == S_SCENARIO ? strcmp(section, "scenario") == 0 :
		    strncmp(section, sect_prefix[k], n) == 0) {
			p->kind = k;
			name = section + n;
			break;
		}
	}
	if (p->kind == S_NONE) {
		static const char *const types[] = { "scenario", "service",
		    "inject", "network", "syscall", "check" };
		const char *dot = strchr(section, '.');

		snprintf(guess, sizeof guess, "%.*s",
		    dot != NULL ? (int)(dot - section) : 60, section);
		k = did_you_mean(guess, types, NELEM(types));
		if (k == 0)
			snprintf(h, sizeof h, " (did you mean [scenario]?)");
		else if (k > 0)
			snprintf(h, sizeof h, " (did you mean [%s.%.40s]?)",
			    types[k], dot != NULL ? dot + 1 : "NAME");
		else
			h[0] = '\0';
		snprintf(err, errlen, "unknown section%s: scenario, service.NAME, "
		    "inject.NAME, network.NAME, syscall.NAME, check.NAME", h);
		return (-1);
	}
	p->line = line;
	for (i = 0; i < p->nkeys; i++)
		free(p->keys[i]);
	p->nkeys = 0;
	p->has_dev = p->has_type = 0;
	memset(&p->nf, 0, sizeof p->nf);
	memset(&p->nm, 0, sizeof p->nm);
	p->nm.nexclude = 1;
	p->nm.exclude[0] = NET_DEFAULT_EXCLUDE;

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
		break;
	}
	case S_INJECT:
	case S_NETWORK:
	case S_SYSCALL: {
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
		f->kind = p->kind == S_INJECT ? FAULT_INJECT :
		    p->kind == S_NETWORK ? FAULT_NETWORK : FAULT_SYSCALL;
		if (f->kind == FAULT_INJECT) {
			rule_init(&f->rule);
			strlcpy_chaos(f->rule.name, name, sizeof f->rule.name);
		} else if (f->kind == FAULT_SYSCALL) {
			f->sc = xcalloc(1, sizeof *f->sc);
			syscall_rule_init(f->sc);
			strlcpy_chaos(f->sc->name, name, sizeof f->sc->name);
		}
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
			if (p->kind == S_NONE) {
				char msg[RULE_ERR_MAX * 2];

				snprintf(msg, sizeof msg, "%s", err);
				snprintf(err, errlen, "%s %s", p->section, msg);
			} else
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
	case S_INJECT:
		r = inject_key(p, key, value, err, errlen);
		break;
	case S_NETWORK:
		r = network_key(p, key, value, err, errlen);
		break;
	case S_SYSCALL:
		r = syscall_key(p, key, value, err, errlen);
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
	char	a[32], b[32];
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
	}
	return (0);
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
	int	i, j;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nservices; i++) {
		free(sc->services[i].command);
		free(sc->services[i].ready);
	}
	for (i = 0; i < sc->nfaults; i++) {
		free(sc->faults[i].table);
		free(sc->faults[i].sc);
		for (j = 0; j < sc->faults[i].netargc; j++)
			free(sc->faults[i].netargv[j]);
		free(sc->faults[i].netargv);
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
