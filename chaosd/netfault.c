/*
 * netfault.c: the tree of qdiscs, classes and filters a network fault is.
 *
 * Untargeted, with nothing excluded (--exclude-port none): one root
 * qdisc with chaosd's handle c405:, netem (or tbf for --rate alone).
 *
 * Otherwise (targeted, or the default ssh exclusion):
 *
 *   c405: htb, default class 0 (none: unclassified traffic is sent
 *         "direct", untouched; untargeted faults use default 1 instead)
 *   `-- c405:1 htb class, rate 100gbit (never the bottleneck)
 *       `-- c406: netem or tbf (the fault)
 *   filters on c405:, u32, evaluated in prio order:
 *     prio 1 (ip), 2 (ipv6): sport/dport N -> c405:0 (direct: excluded)
 *     prio 3 (ip), 4 (ipv6): dst/src/dport/sport/proto -> c405:1
 *
 * htb, not prio: prio's priomap sends unclassified traffic into a band,
 * so a fault on one of its bands leaks onto traffic nobody targeted.
 * htb's direct path leaves untargeted packets alone.
 *
 * --ingress: an IFB device cdifbN (N: the device's ifindex) holds the
 * tree; an ingress qdisc on the device redirects every packet to it
 * with a u32 match-all filter and a mirred action.
 *
 * Port matches assume IP headers without options (IPv4 IHL 5, no IPv6
 * extension headers), as tc's "match ip dport" does.
 *
 * Here: checking and describing a fault, who owns a root, building the
 * tree, reverting it, sweeping what chaosd left; net-qdisc.c builds the
 * qdiscs, net-filter.c the u32 filters.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/class.h>
#include <netlink/route/classifier.h>
#include <netlink/route/action.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/act/mirred.h>

#include "chaosd.h"
#include "net.h"

/* ------------------------------------------------------------------ */
/* Checks and descriptions                                             */
/* ------------------------------------------------------------------ */

int
netfault_check(const struct net_fault *f, const struct net_match *m,
    char *err, size_t errlen)
{
	int	i;

	if (!(f->has & (NF_NETEM | NF_RATE))) {
		snprintf(err, errlen, "nothing to apply: give a fault (--delay, "
		    "--loss, --loss-ge, --duplicate, --corrupt, --reorder or "
		    "--rate)");
		return (-1);
	}
	if ((f->has & NF_JITTER) && !(f->has & NF_DELAY)) {
		snprintf(err, errlen, "--jitter needs --delay");
		return (-1);
	}
	if ((f->has & NF_CORR) && !(f->has & NF_DELAY)) {
		snprintf(err, errlen, "--correlation needs --delay");
		return (-1);
	}
	if ((f->has & NF_DIST) && f->dist != DIST_NONE &&
	    !(f->has & NF_JITTER)) {
		snprintf(err, errlen, "--distribution needs --jitter (it "
		    "shapes how the delay varies)");
		return (-1);
	}
	if ((f->has & NF_LOSS_CORR) && !(f->has & NF_LOSS)) {
		snprintf(err, errlen, "--loss-correlation needs --loss");
		return (-1);
	}
	if ((f->has & NF_LOSS) && (f->has & NF_LOSS_GE)) {
		snprintf(err, errlen, "--loss and --loss-ge are two loss "
		    "models: give one");
		return (-1);
	}
	if ((f->has & NF_REORDER) && !(f->has & NF_DELAY)) {
		snprintf(err, errlen, "--reorder needs --delay (netem "
		    "reorders by sending some packets without the delay)");
		return (-1);
	}
	if ((f->has & NF_GAP) && !(f->has & NF_REORDER)) {
		snprintf(err, errlen, "--gap needs --reorder");
		return (-1);
	}
	if ((m->has & NM_DST) && (m->has & NM_SRC) &&
	    m->dst.family != m->src.family) {
		snprintf(err, errlen, "--dst and --src are of different "
		    "address families");
		return (-1);
	}
	if ((m->has & NM_PROTO) && m->proto == IPPROTO_ICMP &&
	    (m->has & (NM_DPORT | NM_SPORT))) {
		snprintf(err, errlen, "--proto icmp has no ports: drop --dport "
		    "and --sport");
		return (-1);
	}
	for (i = 0; i < m->nexclude; i++) {
		if (((m->has & NM_DPORT) && m->dport_lo == m->exclude[i] &&
		    m->dport_hi == m->exclude[i]) ||
		    ((m->has & NM_SPORT) && m->sport_lo == m->exclude[i] &&
		    m->sport_hi == m->exclude[i])) {
			snprintf(err, errlen, "port %u is excluded (the "
			    "default keeps ssh reachable); add --exclude-port "
			    "none to target it", m->exclude[i]);
			return (-1);
		}
	}
	return (0);
}

static void
cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char	addr[INET6_ADDRSTRLEN];

	inet_ntop(c->family, c->addr, addr, sizeof addr);
	snprintf(buf, len, "%s/%u", addr, c->prefix);
}

static void
appendf(char *buf, size_t len, const char *fmt, ...) printflike(3, 4);

static void
appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t	used = strlen(buf);
	va_list	ap;

	if (used >= len - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

int
netfault_describe(const struct net_fault *f, const struct net_match *m,
    char *buf, size_t len)
{
	char	t[64];
	int	i;

	buf[0] = '\0';
	if (f->has & NF_DELAY) {
		format_duration(f->delay_ns, t, sizeof t);
		appendf(buf, len, " delay %s", t);
	}
	if (f->has & NF_JITTER) {
		format_duration(f->jitter_ns, t, sizeof t);
		appendf(buf, len, " jitter %s", t);
	}
	if (f->has & NF_CORR)
		appendf(buf, len, " correlation %g%%", f->delay_corr * 100);
	if ((f->has & NF_DIST) && f->dist != DIST_NONE)
		appendf(buf, len, " distribution %s", netem_dist_name(f->dist));
	if (f->has & NF_LOSS)
		appendf(buf, len, " loss %g%%", f->loss * 100);
	if (f->has & NF_LOSS_CORR)
		appendf(buf, len, " loss-correlation %g%%", f->loss_corr * 100);
	if (f->has & NF_LOSS_GE)
		appendf(buf, len, " loss-ge %g%%,%g%%,%g%%,%g%%",
		    f->ge[0] * 100, f->ge[1] * 100, f->ge[2] * 100,
		    f->ge[3] * 100);
	if (f->has & NF_DUPLICATE)
		appendf(buf, len, " duplicate %g%%", f->duplicate * 100);
	if (f->has & NF_CORRUPT)
		appendf(buf, len, " corrupt %g%%", f->corrupt * 100);
	if (f->has & NF_REORDER)
		appendf(buf, len, " reorder %g%% gap %u", f->reorder * 100,
		    (f->has & NF_GAP) ? f->gap : 1);
	if (f->has & NF_RATE) {
		format_rate(f->rate, t, sizeof t);
		appendf(buf, len, " rate %s", t);
	}
	if (f->has & NF_LIMIT)
		appendf(buf, len, " limit %u", f->limit);
	if (m->has & NM_DST) {
		cidr_format(&m->dst, t, sizeof t);
		appendf(buf, len, " dst %s", t);
	}
	if (m->has & NM_SRC) {
		cidr_format(&m->src, t, sizeof t);
		appendf(buf, len, " src %s", t);
	}
	if (m->has & NM_DPORT) {
		if (m->dport_lo == m->dport_hi)
			appendf(buf, len, " dport %u", m->dport_lo);
		else
			appendf(buf, len, " dport %u-%u", m->dport_lo,
			    m->dport_hi);
	}
	if (m->has & NM_SPORT) {
		if (m->sport_lo == m->sport_hi)
			appendf(buf, len, " sport %u", m->sport_lo);
		else
			appendf(buf, len, " sport %u-%u", m->sport_lo,
			    m->sport_hi);
	}
	if (m->has & NM_PROTO)
		appendf(buf, len, " proto %s", m->proto == IPPROTO_TCP ? "tcp" :
		    m->proto == IPPROTO_UDP ? "udp" : "icmp");
	if (m->nexclude > 0) {
		appendf(buf, len, " (excluding port");
		for (i = 0; i < m->nexclude; i++)
			appendf(buf, len, "%s%u", i == 0 ? " " : ",",
			    m->exclude[i]);
		appendf(buf, len, ")");
	}
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
	return (0);
}

/* ------------------------------------------------------------------ */
/* Reading what the kernel holds                                       */
/* ------------------------------------------------------------------ */

int
netfault_root_handle(struct nl_sock *sk, int ifindex, uint32_t *handle,
    char *kind, size_t kindlen)
{
	*handle = 0;
	return (qdisc_at(sk, ifindex, TC_H_ROOT, handle, kind, kindlen));
}

/*
 * May a fault be put on ifindex? Not when chaosd's handle is already
 * there, nor over a root qdisc someone else made (unless force).
 */
int
netfault_owned(struct nl_sock *sk, int ifindex, int ingress, int force,
    char *err, size_t errlen)
{
	uint32_t	handle = 0;
	char		kind[32] = "";
	int		r;

	r = qdisc_at(sk, ifindex, TC_H_ROOT, &handle, kind, sizeof kind);
	if (r < 0) {
		snprintf(err, errlen, "cannot read the device's qdiscs");
		return (-1);
	}
	if (!ingress && r == 1 && handle == NET_HANDLE) {
		snprintf(err, errlen, "the device already has a chaosd fault "
		    "(chaosd net clear removes it)");
		return (-1);
	}
	if (!ingress && r == 1 && !force) {
		snprintf(err, errlen, "the device's root qdisc (%s %x:) is not "
		    "chaosd's: refusing to replace it (delete it, or give "
		    "--force to replace it; clearing the fault then leaves the "
		    "kernel's default)", kind, handle >> 16);
		return (-1);
	}
	if (ingress) {
		r = qdisc_at(sk, ifindex, TC_H_INGRESS, &handle, kind,
		    sizeof kind);
		if (r != 0) {
			snprintf(err, errlen, "the device already has an "
			    "ingress qdisc (%s): chaosd needs its own for "
			    "--ingress (chaosd net clear removes a chaosd "
			    "one)", kind);
			return (-1);
		}
	}
	return (0);
}

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

static int
add_tree(struct nl_sock *sk, int ifindex, int rflags,
    const struct net_fault *f, const struct net_match *m, char *err,
    size_t errlen)
{
	int	r, v4 = 1, v6 = 1;

	if (m->has == 0 && m->nexclude == 0)
		return (qdisc_add_leaf(sk, ifindex, TC_H_ROOT, NET_HANDLE, rflags, f,
		    err, errlen));

	if ((r = qdisc_add_htb(sk, ifindex, m->has == 0 ? 1 : 0, rflags, err,
	    errlen)) != 0)
		return (r);
	if ((r = qdisc_add_leaf(sk, ifindex, NET_CLASS, NET_LEAF_HANDLE, rflags, f,
	    err, errlen)) != 0)
		return (r);
	if (m->has & NM_DST) {
		v4 = m->dst.family == AF_INET;
		v6 = !v4;
	} else if (m->has & NM_SRC) {
		v4 = m->src.family == AF_INET;
		v6 = !v4;
	}
	if (v4 && (r = filters_add(sk, ifindex, AF_INET, m, err, errlen)) != 0)
		return (r);
	if (v6 && (r = filters_add(sk, ifindex, AF_INET6, m, err,
	    errlen)) != 0)
		return (r);
	return (0);
}

static int
add_ingress(struct nl_sock *sk, int ifindex, int ifb, char *err,
    size_t errlen)
{
	struct rtnl_qdisc	*q;
	struct nl_msg		*msg = NULL;
	int			 r;

	if ((q = rtnl_qdisc_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_INGRESS);
	rtnl_tc_set_handle(TC_CAST(q), TC_H_MAKE(TC_H_INGRESS, 0));
	rtnl_tc_set_kind(TC_CAST(q), "ingress");
	r = rtnl_qdisc_build_add_request(q, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rtnl_qdisc_put(q);
	if ((r = tc_talk(sk, r, msg, "ingress qdisc", err, errlen)) != 0)
		return (r);
	return (filter_add_redirect(sk, ifindex, TC_H_MAKE(TC_H_INGRESS, 0),
	    ifb, err, errlen));
}

/*
 * Build the tree the journal entry describes (the entry is already on
 * disk). On error, what was built is taken down again.
 */
int
netfault_build(struct nl_sock *sk, struct net_entry *j,
    const struct net_fault *f, const struct net_match *m, char *err,
    size_t errlen)
{
	char	why[256];
	int	r, target = j->ifindex, ifb = 0;
	int	rflags = j->forced ? ROOT_FORCED : ROOT_NEW;

	if (j->ingress) {
		if ((r = link_add_ifb(sk, j->ifb, why, sizeof why)) != 0) {
			if (r == -EEXIST)
				snprintf(err, errlen, "device %s exists "
				    "already (left by a chaosd that was "
				    "killed? 'chaosd recover' removes it)",
				    j->ifb);
			else if (r == -EOPNOTSUPP || r == -ENOENT)
				snprintf(err, errlen, "cannot create IFB "
				    "device %s: %s (--ingress needs the ifb "
				    "module: modprobe ifb)", j->ifb, why);
			else
				snprintf(err, errlen, "cannot create IFB "
				    "device %s: %s", j->ifb, why);
			j->ifb[0] = '\0';	/* not ours: keep it */
			return (r);
		}
		if ((ifb = link_index(sk, j->ifb, err, errlen)) < 0) {
			r = -ENODEV;
			goto undo;
		}
		target = ifb;
	}
	if ((r = add_tree(sk, target, rflags, f, m, err, errlen)) != 0)
		goto undo;
	if (j->ingress && (r = add_ingress(sk, j->ifindex, ifb, err,
	    errlen)) != 0)
		goto undo;
	return (0);

undo:
	netfault_revert(sk, j, why, sizeof why);
	return (r);
}

/* ------------------------------------------------------------------ */
/* Reverting                                                           */
/* ------------------------------------------------------------------ */

/*
 * Undo what a journal entry describes, in the current namespace. What is
 * already gone is fine; what is not chaosd's is left alone.
 */
int
netfault_revert(struct nl_sock *sk, const struct net_entry *j, char *err,
    size_t errlen)
{
	struct rtnl_link *l = NULL;
	char		 kind[32];
	uint32_t	 handle;
	int		 r, ret = 0, ifindex;

	/* the device, if it still exists, under the name it had */
	ifindex = j->ifindex;
	if (rtnl_link_get_kernel(sk, j->ifindex, NULL, &l) < 0)
		ifindex = 0;
	else {
		if (strcmp(rtnl_link_get_name(l), j->dev) != 0)
			ifindex = 0;	/* another device now */
		rtnl_link_put(l);
	}

	if (j->ingress && ifindex > 0) {
		r = qdisc_at(sk, ifindex, TC_H_INGRESS, &handle, kind,
		    sizeof kind);
		if (r == 1 && strcmp(kind, "ingress") == 0 &&
		    (r = qdisc_del(sk, ifindex, TC_H_INGRESS,
		    TC_H_MAKE(TC_H_INGRESS, 0), err, errlen)) != 0)
			ret = r;
	}
	if (j->ingress && j->ifb[0] != '\0') {
		if ((r = link_del(sk, j->ifb, "ifb")) != 0 && r != -EEXIST) {
			snprintf(err, errlen, "cannot delete %s: %s", j->ifb,
			    strerror(-r));
			ret = r;
		}
		return (ret);
	}
	if (j->ingress)
		return (ret);	/* the IFB never got made: nor anything else */
	if (ifindex == 0)
		return (ret);	/* the device is gone, and its qdiscs */
	r = qdisc_at(sk, ifindex, TC_H_ROOT, &handle, kind, sizeof kind);
	if (r < 0) {
		snprintf(err, errlen, "cannot read the qdiscs of %s", j->dev);
		return (-EIO);
	}
	if (r == 1 && handle == j->handle &&
	    (r = qdisc_del(sk, ifindex, TC_H_ROOT, handle, err, errlen)) != 0)
		ret = r;
	return (ret);
}

/*
 * chaosd recover: remove chaosd's handle (and its IFB devices) from every
 * device of the current namespace that named() does not claim.
 */
int
netfault_sweep(struct nl_sock *sk, int (*named)(void *, int, const char *),
    void *arg, int *removed)
{
	struct nl_cache		*links = NULL;
	struct nl_object	*o;
	struct rtnl_link	*l;
	struct net_entry	 j;
	const char		*name, *type;
	char			 err[256];
	uint32_t		 handle;
	int			 ifindex, ret = 0;

	*removed = 0;
	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) < 0)
		return (-EIO);
	for (o = nl_cache_get_first(links); o != NULL;
	    o = nl_cache_get_next(o)) {
		l = (struct rtnl_link *)o;
		ifindex = rtnl_link_get_ifindex(l);
		name = rtnl_link_get_name(l);
		type = rtnl_link_get_type(l);
		if (named(arg, ifindex, name))
			continue;
		memset(&j, 0, sizeof j);
		j.ifindex = ifindex;
		snprintf(j.dev, sizeof j.dev, "%s", name);
		j.handle = NET_HANDLE;
		if (type != NULL && strcmp(type, "ifb") == 0 &&
		    strncmp(name, NET_IFB_PREFIX,
		    strlen(NET_IFB_PREFIX)) == 0) {
			/* cdifbN: the ingress of device N */
			struct rtnl_link *src = NULL;
			int	n = atoi(name + strlen(NET_IFB_PREFIX));

			j.ingress = 1;
			snprintf(j.ifb, sizeof j.ifb, "%s", name);
			if (n > 0 && rtnl_link_get_kernel(sk, n, NULL,
			    &src) == 0) {
				j.ifindex = n;
				snprintf(j.dev, sizeof j.dev, "%s",
				    rtnl_link_get_name(src));
				rtnl_link_put(src);
			}
			if (netfault_revert(sk, &j, err, sizeof err) != 0)
				ret = -EIO;
			else
				(*removed)++;
			continue;
		}
		if (netfault_root_handle(sk, ifindex, &handle, NULL, 0) == 1 &&
		    handle == NET_HANDLE) {
			if (netfault_revert(sk, &j, err, sizeof err) != 0)
				ret = -EIO;
			else
				(*removed)++;
		}
	}
	nl_cache_free(links);
	return (ret);
}

