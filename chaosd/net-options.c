/*
 * net-options.c: what a network fault is made of, as one table of
 * options: `chaosd net apply --delay 100ms` and `[network.NAME] delay =
 * 100ms` go through the same setter, and net_spec_check() decides for
 * both, so that validate refuses exactly what apply would.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "net.h"

#define NS(spec) ((struct net_spec *)(spec))

void
net_spec_init(struct net_spec *s)
{
	memset(s, 0, sizeof *s);
	s->m.nexclude = 1;
	s->m.exclude[0] = NET_DEFAULT_EXCLUDE;
}

static int
set_fraction(double *out, const char *v, char *err, size_t errlen)
{
	if (parse_fraction(v, out, err, errlen) != 0)
		return (-1);
	if (!(*out >= 0 && *out <= 1)) {
		snprintf(err, errlen, "'%s' is out of range (0%% to 100%%)", v);
		return (-1);
	}
	return (0);
}

static int
set_flag(int *out, const char *v, char *err, size_t errlen)
{
	return (parse_bool(v, out, err, errlen));
}

static int
set_count(uint32_t *out, const char *v, const char *what, char *err,
    size_t errlen)
{
	uint64_t	n;
	char		why[RULE_ERR_MAX];

	if (parse_uint(v, UINT32_MAX, &n, why, sizeof why) != 0 || n == 0) {
		snprintf(err, errlen, "bad %s '%s' (1 or more)", what, v);
		return (-1);
	}
	*out = (uint32_t)n;
	return (0);
}

static int
set_ports(uint16_t *lo, uint16_t *hi, const char *v, char *err,
    size_t errlen)
{
	if (parse_port_range(v, lo, hi, err, errlen) != 0)
		return (-1);
	if (*lo == 0) {
		snprintf(err, errlen, "'%s': port 0 is no port (1-65535)", v);
		return (-1);
	}
	return (0);
}

static int
o_netns(void *s, const char *v, char *err, size_t errlen)
{
	return (parse_netns_name(v, NS(s)->t.netns, sizeof NS(s)->t.netns,
	    err, errlen));
}

static int
o_pid(void *s, const char *v, char *err, size_t errlen)
{
	uint64_t	n;
	char		why[RULE_ERR_MAX];

	if (parse_uint(v, INT32_MAX, &n, why, sizeof why) != 0 || n == 0) {
		snprintf(err, errlen, "bad process id '%s'", v);
		return (-1);
	}
	NS(s)->t.pid = (pid_t)n;
	return (0);
}

static int
o_dev(void *s, const char *v, char *err, size_t errlen)
{
	if (*v == '\0' || strlen(v) >= sizeof NS(s)->t.dev ||
	    strchr(v, '/') != NULL || strcmp(v, ".") == 0 ||
	    strcmp(v, "..") == 0) {
		snprintf(err, errlen, "bad device name '%s'", v);
		return (-1);
	}
	snprintf(NS(s)->t.dev, sizeof NS(s)->t.dev, "%s", v);
	return (0);
}

static int
o_ingress(void *s, const char *v, char *err, size_t errlen)
{
	return (set_flag(&NS(s)->t.ingress, v, err, errlen));
}

static int
o_force(void *s, const char *v, char *err, size_t errlen)
{
	return (set_flag(&NS(s)->force, v, err, errlen));
}

static int
o_delay(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_DELAY;
	return (parse_duration(v, &NS(s)->f.delay_ns, err, errlen));
}

static int
o_jitter(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_JITTER;
	return (parse_duration(v, &NS(s)->f.jitter_ns, err, errlen));
}

static int
o_correlation(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_CORR;
	return (set_fraction(&NS(s)->f.delay_corr, v, err, errlen));
}

static int
o_distribution(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_DIST;
	if (netem_dist_parse(v, &NS(s)->f.dist) != 0) {
		snprintf(err, errlen, "unknown '%s' (normal, pareto, "
		    "paretonormal or uniform)", v);
		return (-1);
	}
	return (0);
}

static int
o_loss(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_LOSS;
	return (set_fraction(&NS(s)->f.loss, v, err, errlen));
}

static int
o_loss_correlation(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_LOSS_CORR;
	return (set_fraction(&NS(s)->f.loss_corr, v, err, errlen));
}

/* P[,R[,1-H[,1-K]]], with tc's defaults for what is left out. */
static int
o_loss_ge(void *s, const char *v, char *err, size_t errlen)
{
	struct net_fault *f = &NS(s)->f;
	char	 buf[128], *p, *tok, *save = NULL;
	int	 n = 0;

	f->has |= NF_LOSS_GE;
	f->ge[0] = 0;
	f->ge[1] = 1;		/* as tc: r 100% */
	f->ge[2] = 1;		/* always lose in the bad state */
	f->ge[3] = 0;		/* never in the good state */
	if (strlen(v) >= sizeof buf) {
		snprintf(err, errlen, "too long");
		return (-1);
	}
	snprintf(buf, sizeof buf, "%s", v);
	for (p = buf; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		if (n == 4) {
			snprintf(err, errlen, "at most four values "
			    "(P,R,1-H,1-K)");
			return (-1);
		}
		if (set_fraction(&f->ge[n], tok, err, errlen) != 0)
			return (-1);
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "give at least P");
		return (-1);
	}
	return (0);
}

static int
o_duplicate(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_DUPLICATE;
	return (set_fraction(&NS(s)->f.duplicate, v, err, errlen));
}

static int
o_corrupt(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_CORRUPT;
	return (set_fraction(&NS(s)->f.corrupt, v, err, errlen));
}

static int
o_reorder(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_REORDER;
	return (set_fraction(&NS(s)->f.reorder, v, err, errlen));
}

static int
o_gap(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_GAP;
	return (set_count(&NS(s)->f.gap, v, "count", err, errlen));
}

static int
o_rate(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_RATE;
	return (parse_rate(v, &NS(s)->f.rate, err, errlen));
}

static int
o_limit(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->f.has |= NF_LIMIT;
	return (set_count(&NS(s)->f.limit, v, "packet count", err, errlen));
}

static int
o_dst(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->m.has |= NM_DST;
	return (parse_cidr(v, &NS(s)->m.dst, err, errlen));
}

static int
o_src(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->m.has |= NM_SRC;
	return (parse_cidr(v, &NS(s)->m.src, err, errlen));
}

static int
o_dport(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->m.has |= NM_DPORT;
	return (set_ports(&NS(s)->m.dport_lo, &NS(s)->m.dport_hi, v, err,
	    errlen));
}

static int
o_sport(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->m.has |= NM_SPORT;
	return (set_ports(&NS(s)->m.sport_lo, &NS(s)->m.sport_hi, v, err,
	    errlen));
}

static int
o_proto(void *s, const char *v, char *err, size_t errlen)
{
	NS(s)->m.has |= NM_PROTO;
	return (parse_proto(v, &NS(s)->m.proto, err, errlen));
}

static int
o_exclude_port(void *s, const char *v, char *err, size_t errlen)
{
	return (parse_exclude(v, &NS(s)->m, err, errlen));
}

#define FAULTS	"Faults (netem, built by hand through netlink; rate alone is a tbf)"
#define MATCH	"Which traffic (default: all of it)"
#define WHERE	"Where"

const struct kind_option net_options[] = {
	{ "delay", "D", o_delay, "add D to every packet (100ms, 1s)", FAULTS },
	{ "jitter", "D", o_jitter, "vary the delay by up to D", FAULTS },
	{ "correlation", "P", o_correlation, "how much each delay follows "
	    "the last (25%)", FAULTS },
	{ "distribution", "NAME", o_distribution, "normal, pareto or "
	    "paretonormal (default uniform)", FAULTS },
	{ "loss", "P", o_loss, "drop packets at random (5%, 0.05)", FAULTS },
	{ "loss_correlation", "P", o_loss_correlation, "how much each loss "
	    "follows the last", FAULTS },
	{ "loss_ge", "P[,R[,1-H[,1-K]]]", o_loss_ge, "Gilbert-Elliott loss: "
	    "P good->bad, R bad->good (default 100%), 1-H loss in the bad "
	    "state (default 100%), 1-K loss in the good state (default 0%)",
	    FAULTS },
	{ "duplicate", "P", o_duplicate, "send some packets twice", FAULTS },
	{ "corrupt", "P", o_corrupt, "flip a bit in some packets", FAULTS },
	{ "reorder", "P", o_reorder, "send P of packets (every Nth with gap) "
	    "without the delay", FAULTS },
	{ "gap", "N", o_gap, "reorder every Nth packet", FAULTS },
	{ "rate", "RATE", o_rate, "limit throughput: 8mbit, 500kbit, 1gbit, "
	    "100kbps", FAULTS },
	{ "limit", "N", o_limit, "queue length in packets (default 1000)",
	    FAULTS },
	{ "dst", "CIDR", o_dst, "by destination address (IPv4 or IPv6)",
	    MATCH },
	{ "src", "CIDR", o_src, "by source address", MATCH },
	{ "dport", "N[-M]", o_dport, "by destination port", MATCH },
	{ "sport", "N[-M]", o_sport, "by source port", MATCH },
	{ "proto", "tcp|udp|icmp", o_proto, "by protocol", MATCH },
	{ "exclude_port", "N[,N...]|none", o_exclude_port, "never touch these "
	    "ports (default 22, ssh)", MATCH },
	{ "netns", "NAME", o_netns, "in /run/netns/NAME", WHERE },
	{ "pid", "PID", o_pid, "in the network namespace of PID", WHERE },
	{ "dev", "IF", o_dev, "the device (required)", WHERE },
	{ "ingress", NULL, o_ingress, "its incoming traffic (through an IFB "
	    "device chaosd creates)", WHERE },
	{ "force", NULL, o_force, "replace a root qdisc that is not chaosd's",
	    WHERE },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* What must hold once every option is read: apply's and validate's. */
int
net_spec_check(const struct net_spec *s, char *err, size_t errlen)
{
	if (s->t.dev[0] == '\0') {
		snprintf(err, errlen, "no dev given: the device is required "
		    "(dev = eth0, --dev eth0)");
		return (-1);
	}
	if (s->t.netns[0] != '\0' && s->t.pid != 0) {
		snprintf(err, errlen, "netns and pid both name a namespace: "
		    "give one");
		return (-1);
	}
	return (netfault_check(&s->f, &s->m, err, errlen));
}

/* "veth0 ingress (netns app)": where a fault is, for messages. */
const char *
net_where(const struct net_target *t, char *buf, size_t len)
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
