/*
 * cmd-net.c: chaosd net apply | clear | show.
 *
 * apply parses everything first (nothing is touched on a usage error),
 * enters the namespace just long enough to open its netlink socket,
 * checks the device and who owns its root qdisc, writes the journal
 * entry, makes sure a guardian runs, then builds the tree. With --for it
 * stays in the foreground and reverts after D (exit 0) or on SIGINT,
 * SIGTERM or SIGHUP (exit 3); without, the fault lasts until clear,
 * recover or its TTL (10 minutes unless --ttl says otherwise).
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

#include <netlink/netlink.h>

#include "chaosd.h"
#include "net.h"

#define EXIT_ABORTED	3
#define EXIT_ROLLBACK	4

static int	cmd_net_exec(int, char **);

const struct cmd_entry cmd_net_entry = {
	.name = "net",
	.usage = "apply|clear|show [OPTION]...",
	.summary = "network faults (netem, tbf) through netlink",
	.exec = cmd_net_exec,
};

static const char net_apply_help[] =
"usage: chaosd net apply [--netns NAME | --pid PID] --dev IF [--ingress]\n"
"           [FAULT]... [MATCH]... [--for D | --ttl D|none] [--force]\n"
"\n"
"Faults (netem, built by hand through netlink; --rate alone uses tbf):\n"
"  --delay D                 add D to every packet (100ms, 1s)\n"
"  --jitter D                vary the delay by up to D\n"
"  --correlation P           how much each delay follows the last (25%)\n"
"  --distribution NAME       normal, pareto or paretonormal (default uniform)\n"
"  --loss P                  drop packets at random (5%, 0.05)\n"
"  --loss-correlation P      how much each loss follows the last\n"
"  --loss-ge P[,R[,1-H[,1-K]]]  Gilbert-Elliott loss: P good->bad, R bad->good,\n"
"                            1-H loss in the bad state (default 100%),\n"
"                            1-K loss in the good state (default 0%)\n"
"  --duplicate P             send some packets twice\n"
"  --corrupt P               flip a bit in some packets\n"
"  --reorder P [--gap N]     send P of packets (every Nth) without the delay\n"
"  --rate RATE               limit throughput: 8mbit, 500kbit, 1gbit, 100kbps\n"
"  --limit N                 queue length in packets (default 1000)\n"
"\n"
"Which traffic (default: all of it):\n"
"  --dst CIDR, --src CIDR    by address (IPv4 or IPv6)\n"
"  --dport N[-M], --sport N[-M]  by port\n"
"  --proto tcp|udp|icmp\n"
"  --exclude-port N[,N...]|none  never touch these ports (default 22, ssh)\n"
"\n"
"Where and for how long:\n"
"  --netns NAME              in /run/netns/NAME; --pid PID: PID's namespace\n"
"  --dev IF                  the device; --ingress: its incoming traffic\n"
"                            (through an IFB device chaosd creates)\n"
"  --for D                   stay in the foreground, revert after D (exit 0)\n"
"                            or on SIGINT/SIGTERM (exit 3)\n"
"  --ttl D|none              without --for: the guardian reverts the fault\n"
"                            after D (default 10m); none: never\n"
"  --force                   replace a root qdisc that is not chaosd's\n"
"\n"
"Exit status: 0 applied, 2 usage or error (nothing applied), 3 interrupted\n"
"and reverted, 4 a revert failed (the journal keeps it: chaosd recover).\n";

enum {
	O_NETNS = 256, O_PID, O_DEV, O_INGRESS, O_DELAY, O_JITTER, O_CORR,
	O_DIST, O_LOSS, O_LOSS_CORR, O_LOSS_GE, O_DUP, O_CORRUPT, O_REORDER,
	O_GAP, O_RATE, O_LIMIT, O_DST, O_SRC, O_DPORT, O_SPORT, O_PROTO,
	O_EXCLUDE, O_FOR, O_TTL, O_FORCE, O_ALL, O_JSON, O_COUNT, O_HELP
};

static const struct option apply_opts[] = {
	{ "netns",		required_argument, NULL, O_NETNS },
	{ "pid",		required_argument, NULL, O_PID },
	{ "dev",		required_argument, NULL, O_DEV },
	{ "ingress",		no_argument,	   NULL, O_INGRESS },
	{ "delay",		required_argument, NULL, O_DELAY },
	{ "jitter",		required_argument, NULL, O_JITTER },
	{ "correlation",	required_argument, NULL, O_CORR },
	{ "distribution",	required_argument, NULL, O_DIST },
	{ "loss",		required_argument, NULL, O_LOSS },
	{ "loss-correlation",	required_argument, NULL, O_LOSS_CORR },
	{ "loss-ge",		required_argument, NULL, O_LOSS_GE },
	{ "duplicate",		required_argument, NULL, O_DUP },
	{ "corrupt",		required_argument, NULL, O_CORRUPT },
	{ "reorder",		required_argument, NULL, O_REORDER },
	{ "gap",		required_argument, NULL, O_GAP },
	{ "rate",		required_argument, NULL, O_RATE },
	{ "limit",		required_argument, NULL, O_LIMIT },
	{ "dst",		required_argument, NULL, O_DST },
	{ "src",		required_argument, NULL, O_SRC },
	{ "dport",		required_argument, NULL, O_DPORT },
	{ "sport",		required_argument, NULL, O_SPORT },
	{ "proto",		required_argument, NULL, O_PROTO },
	{ "exclude-port",	required_argument, NULL, O_EXCLUDE },
	{ "for",		required_argument, NULL, O_FOR },
	{ "ttl",		required_argument, NULL, O_TTL },
	{ "force",		no_argument,	   NULL, O_FORCE },
	{ "all",		no_argument,	   NULL, O_ALL },
	{ "json",		no_argument,	   NULL, O_JSON },
	{ "count",		required_argument, NULL, O_COUNT },
	{ "help",		no_argument,	   NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

struct net_opts {
	struct net_target	t;
	struct net_fault	f;
	struct net_match	m;
	uint64_t		for_ns;
	uint64_t		ttl_ms;
	int			has_for;
	int			force;
	int			all;
	int			json;
	uint64_t		count;		/* bench */
};

/* Does this process hold CAP_NET_ADMIN (bit 12) in its effective set? */
int
net_has_cap_admin(void)
{
	char		 line[256];
	unsigned long long caps;
	FILE		*f;
	int		 yes = 0;

	if ((f = fopen("/proc/self/status", "re")) == NULL)
		return (geteuid() == 0);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			yes = (caps >> 12) & 1;
			break;
		}
	}
	fclose(f);
	return (yes);
}

static int
opt_fraction(const char *name, const char *v, double *out, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_fraction(v, out, why, sizeof why) != 0) {
		snprintf(err, errlen, "--%s: %s", name, why);
		return (-1);
	}
	if (!(*out >= 0 && *out <= 1)) {
		snprintf(err, errlen, "--%s: '%s' is out of range (0%% to "
		    "100%%)", name, v);
		return (-1);
	}
	return (0);
}

static int
opt_duration(const char *name, const char *v, uint64_t *out, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_duration(v, out, why, sizeof why) != 0) {
		snprintf(err, errlen, "--%s: %s", name, why);
		return (-1);
	}
	return (0);
}

static int
opt_loss_ge(const char *v, struct net_fault *f, char *err, size_t errlen)
{
	char	 buf[128], *p, *tok, *save = NULL;
	int	 n = 0;

	f->ge[0] = 0;
	f->ge[1] = 1;		/* as tc: r 100% */
	f->ge[2] = 1;		/* always lose in the bad state */
	f->ge[3] = 0;		/* never in the good state */
	if (strlen(v) >= sizeof buf) {
		snprintf(err, errlen, "--loss-ge: too long");
		return (-1);
	}
	snprintf(buf, sizeof buf, "%s", v);
	for (p = buf; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		if (n == 4) {
			snprintf(err, errlen, "--loss-ge: at most four values "
			    "(P,R,1-H,1-K)");
			return (-1);
		}
		if (opt_fraction("loss-ge", tok, &f->ge[n], err, errlen) != 0)
			return (-1);
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "--loss-ge: give at least P");
		return (-1);
	}
	return (0);
}

static int
opt_port(const char *name, const char *v, uint16_t *lo, uint16_t *hi,
    char *err, size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_port_range(v, lo, hi, why, sizeof why) != 0) {
		snprintf(err, errlen, "--%s: %s", name, why);
		return (-1);
	}
	return (0);
}

static int
opt_cidr(const char *name, const char *v, struct cidr *c, char *err,
    size_t errlen)
{
	char	why[RULE_ERR_MAX];

	if (parse_cidr(v, c, why, sizeof why) != 0) {
		snprintf(err, errlen, "--%s: %s", name, why);
		return (-1);
	}
	return (0);
}

static void
unknown_option(const char *arg, char *err, size_t errlen)
{
	const char	*names[sizeof apply_opts / sizeof apply_opts[0]];
	char		 word[64];
	int		 n, i;

	for (n = 0; apply_opts[n].name != NULL; n++)
		names[n] = apply_opts[n].name;
	snprintf(word, sizeof word, "%s", arg + strspn(arg, "-"));
	word[strcspn(word, "=")] = '\0';
	if ((i = did_you_mean(word, names, n)) >= 0)
		snprintf(err, errlen, "unknown option '%s' (did you mean "
		    "'--%s'?)", arg, names[i]);
	else
		snprintf(err, errlen, "unknown option '%s'", arg);
}

/* Parse apply/clear/show options. -1: usage error (err says why). */
static int
net_parse(int argc, char **argv, struct net_opts *o, int *help, char *err,
    size_t errlen)
{
	uint64_t	v;
	char		why[RULE_ERR_MAX];
	int		ch;

	memset(o, 0, sizeof *o);
	o->m.nexclude = 1;
	o->m.exclude[0] = NET_DEFAULT_EXCLUDE;
	o->ttl_ms = NET_TTL_DEFAULT_MS;
	*help = 0;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", apply_opts, NULL)) != -1) {
		const char *a = optarg;

		switch (ch) {
		case 'h':
		case O_HELP:
			*help = 1;
			return (0);
		case O_NETNS:
			if (parse_netns_name(a, o->t.netns, sizeof o->t.netns,
			    err, errlen) != 0)
				return (-1);
			break;
		case O_PID:
			if (parse_uint(a, INT32_MAX, &v, why, sizeof why) != 0 ||
			    v == 0) {
				snprintf(err, errlen, "--pid: bad process id "
				    "'%s'", a);
				return (-1);
			}
			o->t.pid = (pid_t)v;
			break;
		case O_DEV:
			if (*a == '\0' || strlen(a) >= sizeof o->t.dev ||
			    strchr(a, '/') != NULL) {
				snprintf(err, errlen, "--dev: bad device name "
				    "'%s'", a);
				return (-1);
			}
			snprintf(o->t.dev, sizeof o->t.dev, "%s", a);
			break;
		case O_INGRESS:
			o->t.ingress = 1;
			break;
		case O_DELAY:
			if (opt_duration("delay", a, &o->f.delay_ns, err,
			    errlen) != 0)
				return (-1);
			o->f.has |= NF_DELAY;
			break;
		case O_JITTER:
			if (opt_duration("jitter", a, &o->f.jitter_ns, err,
			    errlen) != 0)
				return (-1);
			o->f.has |= NF_JITTER;
			break;
		case O_CORR:
			if (opt_fraction("correlation", a, &o->f.delay_corr,
			    err, errlen) != 0)
				return (-1);
			o->f.has |= NF_CORR;
			break;
		case O_DIST:
			if (netem_dist_parse(a, &o->f.dist) != 0) {
				snprintf(err, errlen, "--distribution: unknown "
				    "'%s' (normal, pareto, paretonormal or "
				    "uniform)", a);
				return (-1);
			}
			o->f.has |= NF_DIST;
			break;
		case O_LOSS:
			if (opt_fraction("loss", a, &o->f.loss, err,
			    errlen) != 0)
				return (-1);
			o->f.has |= NF_LOSS;
			break;
		case O_LOSS_CORR:
			if (opt_fraction("loss-correlation", a,
			    &o->f.loss_corr, err, errlen) != 0)
				return (-1);
			o->f.has |= NF_LOSS_CORR;
			break;
		case O_LOSS_GE:
			if (opt_loss_ge(a, &o->f, err, errlen) != 0)
				return (-1);
			o->f.has |= NF_LOSS_GE;
			break;
		case O_DUP:
			if (opt_fraction("duplicate", a, &o->f.duplicate, err,
			    errlen) != 0)
				return (-1);
			o->f.has |= NF_DUPLICATE;
			break;
		case O_CORRUPT:
			if (opt_fraction("corrupt", a, &o->f.corrupt, err,
			    errlen) != 0)
				return (-1);
			o->f.has |= NF_CORRUPT;
			break;
		case O_REORDER:
			if (opt_fraction("reorder", a, &o->f.reorder, err,
			    errlen) != 0)
				return (-1);
			o->f.has |= NF_REORDER;
			break;
		case O_GAP:
			if (parse_uint(a, UINT32_MAX, &v, why,
			    sizeof why) != 0 || v == 0) {
				snprintf(err, errlen, "--gap: bad count '%s' "
				    "(1 or more)", a);
				return (-1);
			}
			o->f.gap = (uint32_t)v;
			o->f.has |= NF_GAP;
			break;
		case O_RATE:
			if (parse_rate(a, &o->f.rate, why, sizeof why) != 0) {
				snprintf(err, errlen, "--rate: %s", why);
				return (-1);
			}
			o->f.has |= NF_RATE;
			break;
		case O_LIMIT:
			if (parse_uint(a, UINT32_MAX, &v, why,
			    sizeof why) != 0 || v == 0) {
				snprintf(err, errlen, "--limit: bad packet "
				    "count '%s' (1 or more)", a);
				return (-1);
			}
			o->f.limit = (uint32_t)v;
			o->f.has |= NF_LIMIT;
			break;
		case O_DST:
			if (opt_cidr("dst", a, &o->m.dst, err, errlen) != 0)
				return (-1);
			o->m.has |= NM_DST;
			break;
		case O_SRC:
			if (opt_cidr("src", a, &o->m.src, err, errlen) != 0)
				return (-1);
			o->m.has |= NM_SRC;
			break;
		case O_DPORT:
			if (opt_port("dport", a, &o->m.dport_lo,
			    &o->m.dport_hi, err, errlen) != 0)
				return (-1);
			o->m.has |= NM_DPORT;
			break;
		case O_SPORT:
			if (opt_port("sport", a, &o->m.sport_lo,
			    &o->m.sport_hi, err, errlen) != 0)
				return (-1);
			o->m.has |= NM_SPORT;
			break;
		case O_PROTO:
			if (parse_proto(a, &o->m.proto, err, errlen) != 0)
				return (-1);
			o->m.has |= NM_PROTO;
			break;
		case O_EXCLUDE:
			if (parse_exclude(a, &o->m, err, errlen) != 0)
				return (-1);
			break;
		case O_FOR:
			if (opt_duration("for", a, &o->for_ns, err,
			    errlen) != 0)
				return (-1);
			if (o->for_ns < 1000000) {
				snprintf(err, errlen, "--for: '%s' is too "
				    "short (1ms or more)", a);
				return (-1);
			}
			o->has_for = 1;
			break;
		case O_TTL:
			if (strcmp(a, "none") == 0) {
				o->ttl_ms = 0;
				break;
			}
			if (opt_duration("ttl", a, &v, err, errlen) != 0)
				return (-1);
			if (v < 1000000) {
				snprintf(err, errlen, "--ttl: '%s' is too short "
				    "(1ms or more, or 'none')", a);
				return (-1);
			}
			o->ttl_ms = v / 1000000;
			break;
		case O_FORCE:
			o->force = 1;
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
				return (-1);
			}
			break;
		default:
			if (optopt != 0 && optopt < 256)
				snprintf(err, errlen, "unknown option '-%c'",
				    optopt);
			else if (optopt != 0)
				snprintf(err, errlen, "option '%s' needs a "
				    "value", argv[optind - 1]);
			else
				unknown_option(argv[optind - 1], err, errlen);
			return (-1);
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return (-1);
	}
	if (o->t.netns[0] != '\0' && o->t.pid != 0) {
		snprintf(err, errlen, "--netns and --pid both name a namespace: "
		    "give one");
		return (-1);
	}
	return (0);
}

static const char *
where(const struct net_target *t, char *buf, size_t len)
{
	if (t->netns[0] != '\0')
		snprintf(buf, len, "%s%s (netns %s)", t->dev,
		    t->ingress ? " ingress" : "", t->netns);
	else if (t->pid != 0)
		snprintf(buf, len, "%s%s (netns of pid %ld)", t->dev,
		    t->ingress ? " ingress" : "", (long)t->pid);
	else
		snprintf(buf, len, "%s%s", t->dev, t->ingress ? " ingress" : "");
	return (buf);
}

/* Open a socket inside the target namespace (and come back out). */
static struct nl_sock *
net_socket(const struct net_target *t, uint64_t *ns_dev, uint64_t *ns_ino,
    char *err, size_t errlen)
{
	struct nl_sock	*sk;
	int		 saved, r;

	if (netns_enter(t->netns, t->pid, &saved, err, errlen) != 0)
		return (NULL);
	if ((r = netns_self(ns_dev, ns_ino)) != 0) {
		netns_leave(saved);
		snprintf(err, errlen, "cannot identify the network namespace: "
		    "%s", strerror(-r));
		return (NULL);
	}
	sk = nl_open(err, errlen);
	netns_leave(saved);
	return (sk);
}

static int
wait_for(uint64_t ns, int *sig)
{
	struct timespec	 end, now, left;
	sigset_t	 set;
	siginfo_t	 si;
	int		 s;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)(ns / 1000000000);
	end.tv_nsec += (long)(ns % 1000000000);
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec &&
		    now.tv_nsec >= end.tv_nsec))
			return (0);
		left.tv_sec = end.tv_sec - now.tv_sec;
		left.tv_nsec = end.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000;
		}
		s = sigtimedwait(&set, &si, &left);
		if (s > 0) {
			*sig = s;
			return (1);
		}
	}
}

/*
 * Everything apply does up to a complete tree: the device, who owns its
 * root, the journal entry (before any change), the guardian, the build.
 * 0, or EXIT_USAGE with nothing applied (the reason logged).
 */
static int
apply_fault(struct net_opts *o, struct jentry *j, const char *here,
    const char *desc)
{
	struct nl_sock	*sk;
	struct jentry	 old;
	char		 err[1024];
	int		 r;

	memset(j, 0, sizeof *j);
	if ((sk = net_socket(&o->t, &j->ns_dev, &j->ns_ino, err,
	    sizeof err)) == NULL) {
		log_warn("%s", err);
		return (EXIT_USAGE);
	}
	if ((j->ifindex = link_index(sk, o->t.dev, err, sizeof err)) < 0) {
		log_warn("%s", err);
		nl_close(sk);
		return (EXIT_USAGE);
	}
	if (netfault_owned(sk, j->ifindex, o->t.ingress, o->force, err,
	    sizeof err) != 0) {
		log_warn("%s: %s", here, err);
		nl_close(sk);
		return (EXIT_USAGE);
	}
	if (journal_ensure_dir(err, sizeof err) != 0) {
		log_warn("%s", err);
		nl_close(sk);
		return (EXIT_USAGE);
	}

	j->state = J_APPLYING;
	j->owner = getpid();
	j->foreground = o->has_for;
	j->forced = o->force;
	snprintf(j->netns, sizeof j->netns, "%s", o->t.netns);
	j->nspid = o->t.pid;
	snprintf(j->dev, sizeof j->dev, "%s", o->t.dev);
	j->ingress = o->t.ingress;
	if (j->ingress)
		snprintf(j->ifb, sizeof j->ifb, "%s%d", NET_IFB_PREFIX,
		    j->ifindex);
	j->handle = NET_HANDLE;
	j->created_ms = now_ms();
	if (o->has_for)
		j->expires_ms = j->created_ms + o->for_ns / 1000000;
	else if (o->ttl_ms != 0)
		j->expires_ms = j->created_ms + o->ttl_ms;
	snprintf(j->what, sizeof j->what, "%s", desc);
	journal_entry_id(j);

	r = journal_write(j, err, sizeof err);
	if (r == -EEXIST && journal_read(j->id, &old) == 0 &&
	    !(old.state == J_APPLYING && old.owner > 0 &&
	    kill(old.owner, 0) == 0)) {
		/* the kernel holds no chaosd tree here: a stale entry */
		log_info("removing stale journal entry %s", old.id);
		journal_remove(&old);
		r = journal_write(j, err, sizeof err);
	}
	if (r == -EEXIST) {
		log_warn("%s: another chaosd is applying a fault there", here);
		nl_close(sk);
		return (EXIT_USAGE);
	}
	if (r != 0) {
		log_warn("%s", err);
		nl_close(sk);
		return (EXIT_USAGE);
	}
	if (j->expires_ms != 0 && guardian_ensure() != 0)
		log_warn("cannot start the guardian: the fault will not expire "
		    "by itself if chaosd is killed");

	err[0] = '\0';
	if (netfault_build(sk, j, &o->f, &o->m, err, sizeof err) != 0) {
		log_warn("%s: %s; nothing applied", here, err);
		journal_remove(j);
		nl_close(sk);
		return (EXIT_USAGE);
	}
	j->state = J_ACTIVE;
	if (journal_write(j, err, sizeof err) != 0)
		log_warn("%s (the fault is applied; the guardian still knows "
		    "it as applying)", err);
	nl_close(sk);
	return (0);
}

static int
net_apply(struct net_opts *o)
{
	struct jentry	 j;
	sigset_t	 block, pending;
	char		 err[1024], here[NAME_MAX + 64], until[64], desc[512];
	time_t		 tt;
	struct tm	 tm;
	int		 r, sig = 0, status = 0;

	if (o->t.dev[0] == '\0') {
		log_warn("apply: --dev IF is required");
		return (EXIT_USAGE);
	}
	if (netfault_check(&o->f, &o->m, err, sizeof err) != 0) {
		log_warn("%s", err);
		return (EXIT_USAGE);
	}
	if (!net_has_cap_admin()) {
		log_warn("changing qdiscs needs CAP_NET_ADMIN: run chaosd as "
		    "root (or with that capability)");
		return (EXIT_USAGE);
	}
	netfault_describe(&o->f, &o->m, desc, sizeof desc);
	where(&o->t, here, sizeof here);

	/* signals wait until the tree is whole, then revert it */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);

	if ((r = apply_fault(o, &j, here, desc)) != 0)
		return (r);

	if (o->has_for) {
		format_duration(o->for_ns, until, sizeof until);
		printf("chaosd: %s on %s for %s\n", desc, here, until);
		fflush(stdout);
		if (wait_for(o->for_ns, &sig))
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
			    "--dev %s' reverts it\n", desc, here, until,
			    o->t.netns[0] ? " --netns " : "", o->t.netns,
			    o->t.dev);
			return (0);
		}
	}
	if (journal_revert(&j, 1, err, sizeof err) != 0) {
		log_warn("%s", err);
		return (EXIT_ROLLBACK);
	}
	if (status == EXIT_ABORTED)
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
	struct jentry	 j;
	struct timespec	 t0, t1;
	char		 err[1024], here[NAME_MAX + 64], desc[512];
	uint64_t	 i, n = o->count ? o->count : 100;
	double		 s;
	int		 r;

	if (o->t.dev[0] == '\0' || netfault_check(&o->f, &o->m, err,
	    sizeof err) != 0) {
		log_warn("bench: give --dev and a fault");
		return (EXIT_USAGE);
	}
	o->ttl_ms = 0;		/* no guardian: each fault is cleared at once */
	netfault_describe(&o->f, &o->m, desc, sizeof desc);
	where(&o->t, here, sizeof here);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if ((r = apply_fault(o, &j, here, desc)) != 0)
			return (r);
		if (journal_revert(&j, 1, err, sizeof err) != 0) {
			log_warn("%s", err);
			return (EXIT_ROLLBACK);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("applied and cleared %" PRIu64 " faults (%s) in %.3f s\n", n,
	    desc, s);
	return (0);
}

/* clear --dev: entries for this namespace and device, both directions. */
static int
net_clear(struct net_opts *o)
{
	struct jentry	*v, j;
	struct nl_sock	*sk;
	uint64_t	 ns_dev, ns_ino;
	uint32_t	 handle;
	char		 err[1024], here[NAME_MAX + 64];
	int		 n, i, done = 0, failed = 0, ifindex, ifb;

	if (!o->all && o->t.dev[0] == '\0') {
		log_warn("clear: give --dev IF (with --netns or --pid) or "
		    "--all");
		return (EXIT_USAGE);
	}
	if (o->all && (o->t.dev[0] != '\0' || o->t.netns[0] != '\0' ||
	    o->t.pid != 0)) {
		log_warn("clear: --all clears every fault: it takes no "
		    "--dev, --netns or --pid");
		return (EXIT_USAGE);
	}
	if (!net_has_cap_admin()) {
		log_warn("changing qdiscs needs CAP_NET_ADMIN: run chaosd as "
		    "root (or with that capability)");
		return (EXIT_USAGE);
	}
	if (journal_list(&v, &n) != 0) {
		log_warn("cannot read %s", journal_dir());
		return (EXIT_ROLLBACK);
	}
	if (o->all) {
		for (i = 0; i < n; i++) {
			if (journal_revert(&v[i], 1, err, sizeof err) != 0) {
				log_warn("%s", err);
				failed++;
			} else {
				printf("chaosd: cleared %s on %s\n", v[i].what,
				    v[i].dev);
				done++;
			}
		}
		free(v);
		if (done == 0 && failed == 0)
			printf("chaosd: no chaosd faults\n");
		return (failed ? EXIT_ROLLBACK : 0);
	}

	where(&o->t, here, sizeof here);
	if ((sk = net_socket(&o->t, &ns_dev, &ns_ino, err,
	    sizeof err)) == NULL) {
		log_warn("%s", err);
		free(v);
		return (EXIT_USAGE);
	}
	if ((ifindex = link_index(sk, o->t.dev, err, sizeof err)) < 0) {
		log_warn("%s", err);
		nl_close(sk);
		free(v);
		return (EXIT_USAGE);
	}
	for (i = 0; i < n; i++) {
		if (v[i].ns_ino != ns_ino || v[i].ns_dev != ns_dev ||
		    strcmp(v[i].dev, o->t.dev) != 0)
			continue;
		if (journal_revert(&v[i], 1, err, sizeof err) != 0) {
			log_warn("%s", err);
			failed++;
		} else {
			printf("chaosd: cleared %s on %s%s\n", v[i].what,
			    here, v[i].ingress ? " (ingress)" : "");
			done++;
		}
	}
	free(v);
	/* chaosd's handle with no journal entry (its journal was lost) */
	if (!failed && netfault_root_handle(sk, ifindex, &handle, NULL,
	    0) == 1 && handle == NET_HANDLE) {
		memset(&j, 0, sizeof j);
		j.ifindex = ifindex;
		snprintf(j.dev, sizeof j.dev, "%s", o->t.dev);
		j.handle = NET_HANDLE;
		if (netfault_revert(sk, &j, err, sizeof err) != 0) {
			log_warn("%s: %s", here, err);
			failed++;
		} else {
			printf("chaosd: cleared an unjournaled chaosd fault on "
			    "%s\n", here);
			done++;
		}
	}
	snprintf(j.ifb, sizeof j.ifb, "%s%d", NET_IFB_PREFIX, ifindex);
	if (!failed && (ifb = link_kind_is(sk, j.ifb, "ifb")) == 1) {
		memset(&j, 0, sizeof j);
		j.ifindex = ifindex;
		j.ingress = 1;
		snprintf(j.dev, sizeof j.dev, "%s", o->t.dev);
		snprintf(j.ifb, sizeof j.ifb, "%s%d", NET_IFB_PREFIX, ifindex);
		if (netfault_revert(sk, &j, err, sizeof err) != 0) {
			log_warn("%s: %s", here, err);
			failed++;
		} else {
			printf("chaosd: cleared an unjournaled chaosd ingress "
			    "fault on %s\n", here);
			done++;
		}
	}
	nl_close(sk);
	if (failed)
		return (EXIT_ROLLBACK);
	if (done == 0)
		printf("chaosd: no chaosd fault on %s\n", here);
	return (0);
}

static const char *
devcol(const struct jentry *j, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", j->dev, j->ingress ? "/in" : "");
	return (buf);
}

static int
net_show(struct net_opts *o)
{
	struct jentry	*v;
	uint64_t	 now = now_ms();
	char		 left[64], ns[NAME_MAX + 32], dcol[IF_NAMESIZE + 8];
	int		 n, i;

	if (journal_list(&v, &n) != 0) {
		log_warn("cannot read %s", journal_dir());
		return (EXIT_USAGE);
	}
	if (o->json)
		printf("[");
	else if (n == 0)
		printf("no chaosd network faults\n");
	else
		printf("%-16s %-16s %-8s %-10s %s\n", "DEVICE", "NETNS",
		    "STATE", "LEFT", "FAULT");
	for (i = 0; i < n; i++) {
		if (v[i].netns[0] != '\0')
			snprintf(ns, sizeof ns, "%s", v[i].netns);
		else if (v[i].nspid != 0)
			snprintf(ns, sizeof ns, "pid:%ld", (long)v[i].nspid);
		else
			snprintf(ns, sizeof ns, "-");
		if (v[i].expires_ms == 0)
			snprintf(left, sizeof left, "no TTL");
		else if (v[i].expires_ms <= now)
			snprintf(left, sizeof left, "expired");
		else
			format_duration((v[i].expires_ms - now) / 1000 *
			    1000000000ULL, left, sizeof left);
		if (o->json) {
			printf("%s\n  {\"device\": ", i ? "," : "");
			json_print_string(v[i].dev);
			printf(", \"direction\": \"%s\", \"netns\": ",
			    v[i].ingress ? "ingress" : "egress");
			if (v[i].netns[0] != '\0')
				json_print_string(v[i].netns);
			else
				printf("null");
			printf(", \"pid\": %ld, \"state\": \"%s\", "
			    "\"owner\": %ld, \"created_ms\": %" PRIu64 ", "
			    "\"expires_ms\": ", (long)v[i].nspid,
			    v[i].state == J_ACTIVE ? "active" : "applying",
			    (long)v[i].owner, v[i].created_ms);
			if (v[i].expires_ms)
				printf("%" PRIu64 ", \"left_ms\": %" PRIu64,
				    v[i].expires_ms, v[i].expires_ms > now ?
				    v[i].expires_ms - now : 0);
			else
				printf("null, \"left_ms\": null");
			printf(", \"fault\": ");
			json_print_string(v[i].what);
			printf("}");
		} else
			printf("%-16s %-16s %-8s %-10s %s\n", devcol(&v[i],
			    dcol, sizeof dcol), ns, v[i].state == J_ACTIVE ?
			    "active" : "applying", left, v[i].what);
	}
	if (o->json)
		printf("%s]\n", n ? "\n" : "");
	free(v);
	return (0);
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
			fputs(net_apply_help, stdout);
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
	if ((o.f.has | o.m.has) != 0 || o.has_for || o.t.ingress ||
	    o.force) {
		log_warn("%s: fault, match and timing options are for apply",
		    sub);
		return (EXIT_USAGE);
	}
	if (strcmp(sub, "clear") == 0)
		return (net_clear(&o));
	return (net_show(&o));
}
