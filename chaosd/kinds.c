/*
 * kinds.c: the table of fault kinds, and of journal types.
 *
 * Adding a kind of fault is one file (kind-NAME.c, its struct
 * fault_kind) and one row here; if it changes the system in a way that
 * must be undone after a crash, one more row in journal_types[].
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"

extern const struct fault_kind kind_inject;
extern const struct fault_kind kind_syscall;
extern const struct fault_kind kind_network;
extern const struct fault_kind kind_process;
extern const struct fault_kind kind_stress;
extern const struct fault_kind kind_limit;

const struct fault_kind *const kind_table[] = {
	&kind_inject,
	&kind_syscall,
	&kind_network,
	&kind_process,
	&kind_stress,
	&kind_limit,
	NULL
};

extern const struct journal_type journal_net;
extern const struct journal_type journal_run;
extern const struct journal_type journal_pause;
extern const struct journal_type journal_stress;
extern const struct journal_type journal_limit;

const struct journal_type *const journal_types[] = {
	&journal_net,
	&journal_run,
	&journal_pause,
	&journal_stress,
	&journal_limit,
	NULL
};

const struct fault_kind *
kind_find(const char *name)
{
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if (strcmp((*k)->name, name) == 0)
			return (*k);
	return (NULL);
}

int
kind_index(const struct fault_kind *kind)
{
	int	i;

	for (i = 0; kind_table[i] != NULL; i++)
		if (kind_table[i] == kind)
			return (i);
	return (-1);
}

int
kind_count(void)
{
	int	n = 0;

	while (kind_table[n] != NULL)
		n++;
	return (n);
}

const char *
kind_names(void)
{
	static char	buf[256];
	int		i;

	if (buf[0] != '\0')
		return (buf);
	for (i = 0; kind_table[i] != NULL; i++) {
		size_t n = strlen(buf);

		snprintf(buf + n, sizeof buf - n, "%s%s.NAME", i ? ", " : "",
		    kind_table[i]->name);
	}
	return (buf);
}

/* The option named key (a scenario key: '_', or a flag's '-' as '_'). */
static const struct kind_option *
option_find(const struct kind_option *opts, const char *key)
{
	const struct kind_option *o;

	for (o = opts; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, key) == 0)
			return (o);
	return (NULL);
}

/*
 * Set key = value through a kind's option table. *found says whether the
 * key is one of the table's; -1 with err (naming neither the key nor the
 * place) when the value is refused.
 */
int
kind_set_option(const struct kind_option *opts, void *spec, const char *key,
    const char *value, int *found, char *err, size_t errlen)
{
	const struct kind_option *o = option_find(opts, key);

	*found = o != NULL;
	if (o == NULL)
		return (0);
	return (o->set(spec, value, err, errlen));
}

/* Names of the options, for did-you-mean; returns how many. */
int
kind_option_names(const struct kind_option *opts, const char **names,
    int max)
{
	int	n = 0;

	for (; opts != NULL && opts->name != NULL && n < max; opts++)
		names[n++] = opts->name;
	return (n);
}

/* --help lines: "  --name ARG   help", under their group's heading. */
void
kind_print_options(const struct kind_option *opts, FILE *f)
{
	const char *group = NULL;
	char	flag[64];
	int	i;

	for (; opts != NULL && opts->name != NULL; opts++) {
		if (opts->flags & KO_SCENARIO)
			continue;
		if (opts->group != NULL && (group == NULL ||
		    strcmp(group, opts->group) != 0)) {
			fprintf(f, "%s%s:\n", group != NULL ? "\n" : "",
			    opts->group);
			group = opts->group;
		}
		snprintf(flag, sizeof flag, "--%s%s%s", opts->name,
		    opts->arg != NULL ? " " : "", opts->arg != NULL ?
		    opts->arg : "");
		for (i = 2; flag[i] != '\0' && flag[i] != ' '; i++)
			if (flag[i] == '_')
				flag[i] = '-';
		fprintf(f, "  %-26s%s%s\n", flag, strlen(flag) > 25 ?
		    "\n                            " : "", opts->help);
	}
}

/* The getopt table: the kind's options (not KO_SCENARIO), then own. */
static struct option *
kind_longopts(const struct kind_option *opts, const struct option *own,
    int nown, char names[][32])
{
	struct option	*lo;
	int		 n = 0, i, k;

	while (opts[n].name != NULL && n < KIND_OPTIONS_MAX)
		n++;
	lo = xcalloc((size_t)(n + nown + 1), sizeof *lo);
	for (i = k = 0; i < n; i++) {
		int c;

		if (opts[i].flags & KO_SCENARIO)
			continue;
		snprintf(names[i], 32, "%s", opts[i].name);
		for (c = 0; names[i][c] != '\0'; c++)
			if (names[i][c] == '_')
				names[i][c] = '-';
		lo[k].name = names[i];
		lo[k].has_arg = opts[i].arg != NULL ? required_argument :
		    no_argument;
		lo[k++].val = KIND_OPT_BASE + i;
	}
	for (i = 0; i < nown; i++)
		lo[k++] = own[i];
	return (lo);
}

void
kind_getopt_init(struct kind_getopt *g, const struct kind_option *opts,
    const struct option *own, int nown, void *spec)
{
	memset(g, 0, sizeof *g);
	g->opts = opts;
	g->spec = spec;
	g->lo = kind_longopts(opts, own, nown, g->names);
	while (opts[g->nkind].name != NULL)
		g->nkind++;
	optind = 0;
	opterr = 0;
}

/* What getopt refused, with a did-you-mean for an unknown --option. */
static void
kind_getopt_refused(const struct option *lo, char **argv, char *err,
    size_t errlen)
{
	const char	*names[KIND_OPTIONS_MAX + 16], *arg = argv[optind - 1];
	char		 word[64];
	int		 n, i;

	if (optopt != 0 && optopt < 256) {
		snprintf(err, errlen, "unknown option '-%c'", optopt);
		return;
	}
	if (optopt != 0) {
		snprintf(err, errlen, "option '%s' needs a value", arg);
		return;
	}
	for (n = 0; lo[n].name != NULL && n < KIND_OPTIONS_MAX + 16; n++)
		names[n] = lo[n].name;
	snprintf(word, sizeof word, "%s", arg + strspn(arg, "-"));
	word[strcspn(word, "=")] = '\0';
	if ((i = did_you_mean(word, names, n)) >= 0)
		snprintf(err, errlen, "unknown option '%s' (did you mean "
		    "'--%s'?)", arg, names[i]);
	else
		snprintf(err, errlen, "unknown option '%s'", arg);
}

/*
 * The next option of the command line: a kind's option is set into the
 * spec as it comes (and counted in given); one of the command's own is
 * returned (its val, optarg its value; 'h' for -h); KIND_GETOPT_END at
 * the first operand or the end, KIND_GETOPT_ERROR with err ("--NAME:
 * why") when one was refused.
 */
int
kind_getopt_next(struct kind_getopt *g, int argc, char **argv, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];
	int	ch, k;

	for (;;) {
		if ((ch = getopt_long(argc, argv, "+h", g->lo, NULL)) == -1)
			return (KIND_GETOPT_END);
		if (ch == '?' || ch == ':') {
			kind_getopt_refused(g->lo, argv, err, errlen);
			return (KIND_GETOPT_ERROR);
		}
		if (ch < KIND_OPT_BASE || ch >= KIND_OPT_BASE + g->nkind)
			return (ch);
		k = ch - KIND_OPT_BASE;
		if (g->opts[k].set(g->spec, optarg != NULL ? optarg : "yes",
		    why, sizeof why) != 0) {
			snprintf(err, errlen, "--%s: %s", g->names[k], why);
			return (KIND_GETOPT_ERROR);
		}
		g->given++;
	}
}

void
kind_getopt_free(struct kind_getopt *g)
{
	free(g->lo);
	g->lo = NULL;
}

/* --for D and its kin: a duration of 1 ms or more. */
int
kind_duration_arg(const char *opt, const char *arg, uint64_t *ns, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_duration(arg, ns, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", opt, why);
		return (-1);
	}
	if (*ns < 1000000) {
		snprintf(err, errlen, "%s: '%s' is too short (1ms or more)",
		    opt, arg);
		return (-1);
	}
	return (0);
}
