/*
 * cmd-net.c: chaosd net apply | clear | show, the command line of the
 * network faults (net-apply.c does the work, net-options.c holds the
 * options it shares with [network.*] sections).
 *
 * apply parses everything first (nothing is touched on a usage error),
 * then applies through netfault_apply(): the journal entry before any
 * change, a guardian, the tree, confirmed by the kernel. With --for it
 * stays in the foreground and reverts after D (exit 0) or on SIGINT,
 * SIGTERM or SIGHUP (exit 3), and the guardian reverts it at once should
 * this chaosd be killed; without, the fault lasts until clear, recover or
 * its TTL (10 minutes unless --ttl says otherwise).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "chaosd.h"
#include "kind.h"
#include "net.h"

static int	cmd_net_exec(int, char **);

const struct cmd_entry cmd_net_entry = {
	.name = "net",
	.usage = "apply|clear|show [OPTION]...",
	.summary = "network faults (netem, tbf) through netlink",
	.exec = cmd_net_exec,
};

/* Options of the command line only; the faults' are net_options[]. */
enum {
	O_FOR = 1000, O_TTL, O_ALL, O_JSON, O_COUNT, O_HELP
};

static const struct option cli_opts[] = {
	{ "for",	required_argument, NULL, O_FOR },
	{ "ttl",	required_argument, NULL, O_TTL },
	{ "all",	no_argument,	   NULL, O_ALL },
	{ "json",	no_argument,	   NULL, O_JSON },
	{ "count",	required_argument, NULL, O_COUNT },
	{ "help",	no_argument,	   NULL, O_HELP },
};
#define NCLI ((int)(sizeof cli_opts / sizeof cli_opts[0]))

struct net_opts {
	struct net_spec	s;
	int		given;		/* some fault/match/where option */
	uint64_t	for_ns;
	int		has_for;
	uint64_t	ttl_ms;
	int		has_ttl;
	int		all;
	int		json;
	uint64_t	count;		/* bench */
};

static void
apply_help(void)
{
	printf("usage: chaosd net apply [--netns NAME | --pid PID] --dev IF "
	    "[--ingress]\n"
	    "           [FAULT]... [MATCH]... [--for D | --ttl D|none] "
	    "[--force]\n\n");
	kind_print_options(net_options, stdout);
	printf("\nHow long:\n"
	    "  --for D                   stay in the foreground, revert after "
	    "D (exit 0)\n"
	    "                            or on SIGINT/SIGTERM (exit 3)\n"
	    "  --ttl D|none              without --for: the guardian reverts "
	    "the fault\n"
	    "                            after D (default 10m); none: never\n"
	    "\nThe same options are the keys of a [network.NAME] section in a "
	    "scenario\n(chaosd.scenario(5)), with '_' for '-'.\n"
	    "\nExit status: 0 applied, 2 usage or error (nothing applied), 3 "
	    "interrupted\nand reverted, 4 a revert failed (the journal keeps "
	    "it: chaosd recover).\n");
}

static void
net_usage(FILE *f)
{
	fprintf(f, "usage: chaosd net apply [--netns NAME | --pid PID] --dev "
	    "IF [--ingress] [FAULT]... [--for D]\n"
	    "       chaosd net clear [--netns NAME | --pid PID] --dev IF | "
	    "--all\n"
	    "       chaosd net show [--json]\n"
	    "'chaosd net apply --help' lists the faults and options.\n");
}

/* Parse apply/clear/show options. -1: usage error (err says why). */
static int
net_parse(int argc, char **argv, struct net_opts *o, int *help, char *err,
    size_t errlen)
{
	struct kind_getopt g;
	char		 why[RULE_ERR_MAX];
	const char	*a;
	uint64_t	 v;
	int		 ch, r = -1;

	memset(o, 0, sizeof *o);
	net_spec_init(&o->s);
	o->ttl_ms = NET_TTL_DEFAULT_MS;
	*help = 0;
	kind_getopt_init(&g, net_options, cli_opts, NCLI, &o->s);
	while ((ch = kind_getopt_next(&g, argc, argv, err, errlen)) >= 0) {
		a = optarg;
		switch (ch) {
		case 'h':
		case O_HELP:
			*help = 1;
			r = 0;
			goto out;
		case O_FOR:
			if (kind_duration_arg("--for", a, &o->for_ns, err,
			    errlen) != 0)
				goto out;
			o->has_for = 1;
			break;
		case O_TTL:
			o->has_ttl = 1;
			if (strcmp(a, "none") == 0) {
				o->ttl_ms = 0;
				break;
			}
			if (parse_duration(a, &v, why, sizeof why) != 0) {
				snprintf(err, errlen, "--ttl: %s", why);
				goto out;
			}
			if (v < 1000000) {
				snprintf(err, errlen, "--ttl: '%s' is too short "
				    "(1ms or more, or 'none')", a);
				goto out;
			}
			o->ttl_ms = v / 1000000;
			break;
		case O_ALL:
			o->all = 1;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_COUNT:
			if (parse_uint(a, 1000000, &o->count, why,
			    sizeof why) != 0 || o->count == 0) {
				snprintf(err, errlen, "--count: bad count '%s'",
				    a);
				goto out;
			}
			break;
		}
	}
	if (ch == KIND_GETOPT_ERROR)
		goto out;
	o->given = g.given != 0;
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (o->has_for && o->has_ttl) {
		snprintf(err, errlen, "--for and --ttl: give one (--for D: in "
		    "the foreground, reverted after D; --ttl D: in the "
		    "background, reverted by the guardian after D)");
		goto out;
	}
	r = 0;
out:
	kind_getopt_free(&g);
	return (r);
}

static int
net_apply(struct net_opts *o)
{
	struct net_apply how = { 0, 0 };
	struct jentry	 j;
	sigset_t	 pending;
	char		 err[1024], here[NAME_MAX + 64], until[64];
	time_t		 tt;
	struct tm	 tm;
	int		 r, sig = 0, status = 0;

	net_where(&o->s.t, here, sizeof here);
	if (o->has_for) {
		how.expires_ms = now_ms() + o->for_ns / 1000000;
		how.bound = 1;
	} else if (o->ttl_ms != 0)
		how.expires_ms = now_ms() + o->ttl_ms;

	/* signals wait until the tree is whole, then revert it */
	stop_signals_block(NULL);

	if (netfault_apply(&o->s, &how, &j, err, sizeof err) != 0) {
		log_warn("apply: %s", err);
		return (EXIT_USAGE);
	}
	if (o->has_for) {
		format_duration(o->for_ns, until, sizeof until);
		printf("chaosd: %s on %s for %s\n", j.what, here, until);
		fflush(stdout);
		if ((sig = stop_signal_wait(o->for_ns)) > 0)
			status = EXIT_ABORTED;
	} else {
		sigpending(&pending);
		if (sigismember(&pending, SIGINT) ||
		    sigismember(&pending, SIGTERM) ||
		    sigismember(&pending, SIGHUP)) {
			status = EXIT_ABORTED;
		} else {
			if (j.expires_ms != 0) {
				tt = (time_t)(j.expires_ms / 1000);
				localtime_r(&tt, &tm);
				strftime(until, sizeof until, "until %H:%M:%S "
				    "(TTL)", &tm);
			} else
				snprintf(until, sizeof until, "with no TTL");
			printf("chaosd: %s on %s %s; 'chaosd net clear%s%s "
			    "--dev %s' reverts it\n", j.what, here, until,
			    o->s.t.netns[0] ? " --netns " : "", o->s.t.netns,
			    o->s.t.dev);
			jentry_free(&j);
			return (0);
		}
	}
	r = netfault_unapply(&j, err, sizeof err);
	jentry_free(&j);
	if (r < 0) {
		log_warn("%s", err);
		return (EXIT_ROLLBACK_FAILED);
	}
	if (r == 1)
		printf("chaosd: %s: the fault was cleared meanwhile: nothing "
		    "of ours to revert\n", here);
	else if (status == EXIT_ABORTED)
		printf("chaosd: interrupted (%s): reverted %s\n",
		    sig ? strsignal(sig) : "signal", here);
	else
		printf("chaosd: reverted %s\n", here);
	return (status);
}

/*
 * net bench (for make bench, not documented as a command): apply and
 * clear the same fault COUNT times in this one process, through the
 * very path apply and clear take (journal included), and print the time.
 */
static int
net_bench(struct net_opts *o)
{
	struct net_apply how = { 0, 0 };
	struct jentry	 j;
	char		 err[1024];
	uint64_t	 i, n = o->count ? o->count : 100, t0;
	double		 s;

	t0 = mono_ns();
	for (i = 0; i < n; i++) {
		if (netfault_apply(&o->s, &how, &j, err, sizeof err) != 0) {
			log_warn("bench: %s", err);
			return (EXIT_USAGE);
		}
		if (i == 0)
			printf("bench: %s\n", j.what);
		if (netfault_unapply(&j, err, sizeof err) != 0) {
			log_warn("%s", err);
			jentry_free(&j);
			return (EXIT_ROLLBACK_FAILED);
		}
		jentry_free(&j);
	}
	s = (double)(mono_ns() - t0) / 1e9;
	printf("applied and cleared %" PRIu64 " faults in %.3f s\n", n, s);
	return (0);
}

static int
net_clear(struct net_opts *o)
{
	struct jentry	*v;
	char		 err[1024], here[NAME_MAX + 64];
	int		 n, i, done = 0, failed = 0;

	if (!o->all && o->s.t.dev[0] == '\0') {
		log_warn("clear: give --dev IF (with --netns or --pid) or "
		    "--all");
		return (EXIT_USAGE);
	}
	if (o->all && (o->s.t.dev[0] != '\0' || o->s.t.netns[0] != '\0' ||
	    o->s.t.pid != 0)) {
		log_warn("clear: --all clears every fault: it takes no "
		    "--dev, --netns or --pid");
		return (EXIT_USAGE);
	}
	if (!net_has_cap_admin()) {
		log_warn("changing qdiscs needs CAP_NET_ADMIN: run chaosd as "
		    "root (or with that capability)");
		return (EXIT_USAGE);
	}
	if (!o->all) {
		net_where(&o->s.t, here, sizeof here);
		if (netfault_clear(&o->s.t, &done, err, sizeof err) != 0) {
			log_warn("clear: %s", err);
			return (done > 0 || strstr(err, "could not") != NULL ?
			    EXIT_ROLLBACK_FAILED : EXIT_USAGE);
		}
		if (done == 0)
			printf("chaosd: no chaosd fault on %s\n", here);
		return (0);
	}
	if (journal_list("net", &v, &n) != 0) {
		log_warn("cannot read %s", journal_dir());
		return (EXIT_ROLLBACK_FAILED);
	}
	for (i = 0; i < n; i++) {
		char dev[64];

		snprintf(dev, sizeof dev, "%s", jentry_get(&v[i], "dev") ?
		    jentry_get(&v[i], "dev") : "?");
		v[i].instance = 0;
		if (journal_revert(&v[i], 1, err, sizeof err) != 0) {
			log_warn("%s", err);
			failed++;
		} else {
			printf("chaosd: cleared %s on %s\n", v[i].what, dev);
			done++;
		}
	}
	journal_list_free(v, n);
	if (done == 0 && failed == 0)
		printf("chaosd: no chaosd faults\n");
	return (failed ? EXIT_ROLLBACK_FAILED : 0);
}

/*
 * The journaled network faults: a table, or (json) a JSON array on
 * stdout. Also what chaosd status shows.
 */
int
net_show(int json)
{
	struct jentry	*v;
	struct net_entry e;
	json_t		*a, *o;
	uint64_t	 now = now_ms();
	char		 left[64], ns[NAME_MAX + 32], dcol[IF_NAMESIZE + 8];
	int		 n, i;

	if (journal_list("net", &v, &n) != 0) {
		log_warn("cannot read %s", journal_dir());
		return (EXIT_USAGE);
	}
	a = json_array();
	if (!json && n == 0)
		printf("no chaosd network faults\n");
	else if (!json)
		printf("%-16s %-16s %-8s %-10s %s\n", "DEVICE", "NETNS",
		    "STATE", "LEFT", "FAULT");
	for (i = 0; i < n; i++) {
		net_entry_from_journal(&v[i], &e);
		if (e.netns[0] != '\0')
			snprintf(ns, sizeof ns, "%s", e.netns);
		else if (e.nspid != 0)
			snprintf(ns, sizeof ns, "pid:%ld", (long)e.nspid);
		else
			snprintf(ns, sizeof ns, "-");
		if (v[i].expires_ms == 0)
			snprintf(left, sizeof left, "no TTL");
		else if (v[i].expires_ms <= now)
			snprintf(left, sizeof left, "expired");
		else
			format_duration((v[i].expires_ms - now) / 1000 *
			    1000000000ULL, left, sizeof left);
		snprintf(dcol, sizeof dcol, "%s%s", e.dev, e.ingress ? "/in" :
		    "");
		if (!json) {
			printf("%-16s %-16s %-8s %-10s %s\n", dcol, ns,
			    v[i].state == J_ACTIVE ? "active" : "applying",
			    left, v[i].what);
			continue;
		}
		o = json_pack("{s:s, s:s, s:o, s:I, s:s, s:I, s:I, s:o, s:o, "
		    "s:s}", "device", e.dev, "direction", e.ingress ?
		    "ingress" : "egress", "netns", e.netns[0] != '\0' ?
		    json_string(e.netns) : json_null(), "pid",
		    (json_int_t)e.nspid, "state", v[i].state == J_ACTIVE ?
		    "active" : "applying", "owner", (json_int_t)v[i].owner,
		    "created_ms", (json_int_t)v[i].created_ms, "expires_ms",
		    v[i].expires_ms ? json_integer((json_int_t)
		    v[i].expires_ms) : json_null(), "left_ms",
		    v[i].expires_ms ? json_integer((json_int_t)(
		    v[i].expires_ms > now ? v[i].expires_ms - now : 0)) :
		    json_null(), "fault", v[i].what);
		if (o != NULL)
			json_array_append_new(a, o);
	}
	if (json) {
		json_dumpf(a, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(a);
	journal_list_free(v, n);
	return (0);
}

static int
cmd_net_exec(int argc, char **argv)
{
	struct net_opts	 o;
	char		 err[512];
	const char	*sub;
	int		 help;

	if (argc < 2) {
		net_usage(stderr);
		return (EXIT_USAGE);
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		net_usage(stdout);
		return (0);
	}
	if (strcmp(sub, "guardian") == 0)
		return (guardian_main());
	if (strcmp(sub, "apply") != 0 && strcmp(sub, "clear") != 0 &&
	    strcmp(sub, "show") != 0 && strcmp(sub, "bench") != 0) {
		log_warn("unknown net command '%s' (apply, clear or show)", sub);
		net_usage(stderr);
		return (EXIT_USAGE);
	}
	if (net_parse(argc - 1, argv + 1, &o, &help, err, sizeof err) != 0) {
		log_warn("%s: %s", sub, err);
		fprintf(stderr, "Try 'chaosd net %s --help'.\n", sub);
		return (EXIT_USAGE);
	}
	if (help) {
		if (strcmp(sub, "apply") == 0)
			apply_help();
		else
			net_usage(stdout);
		return (0);
	}
	if (strcmp(sub, "bench") == 0)
		return (net_bench(&o));
	if (o.count != 0) {
		log_warn("%s: --count is for bench", sub);
		return (EXIT_USAGE);
	}
	if (strcmp(sub, "apply") == 0) {
		if (o.all || o.json) {
			log_warn("apply: --all and --json are for clear and "
			    "show");
			return (EXIT_USAGE);
		}
		return (net_apply(&o));
	}
	if ((o.s.f.has | o.s.m.has) != 0 || o.has_for || o.has_ttl ||
	    o.s.t.ingress || o.s.force) {
		log_warn("%s: fault, match and timing options are for apply",
		    sub);
		return (EXIT_USAGE);
	}
	if (strcmp(sub, "clear") == 0)
		return (net_clear(&o));
	return (net_show(o.json));
}
