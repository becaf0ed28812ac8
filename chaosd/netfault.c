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

#define PRIO_EXCL4	1
#define PRIO_EXCL6	2
#define PRIO_MATCH4	3
#define PRIO_MATCH6	4
#define PRIO_REDIRECT	1

/* The flags of a root qdisc's request: NLM_F_EXCL, or NLM_F_REPLACE
   under --force (replacing a root that is not chaosd's). */
#define ROOT_NEW	(NLM_F_CREATE | NLM_F_EXCL)
#define ROOT_FORCED	(NLM_F_CREATE | NLM_F_REPLACE)

#define CLASS_RATE	(100ULL * 1000 * 1000 * 1000 / 8)	/* 100gbit */
#define MAX_FILTERS	256

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

/*
 * The qdisc at PARENT (TC_H_ROOT, TC_H_INGRESS) on ifindex: 1 with its
 * handle and kind, 0 if there is none (or only the kernel's default,
 * handle 0:), -1 on error.
 */
static int
qdisc_at(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t *handle,
    char *kind, size_t kindlen)
{
	struct nl_cache		*cache = NULL;
	struct rtnl_qdisc	*q;
	int			 found = 0;

	if (rtnl_qdisc_alloc_cache(sk, &cache) < 0)
		return (-1);
	q = rtnl_qdisc_get_by_parent(cache, ifindex, parent);
	if (q != NULL) {
		*handle = rtnl_tc_get_handle(TC_CAST(q));
		if (kind != NULL)
			snprintf(kind, kindlen, "%s",
			    rtnl_tc_get_kind(TC_CAST(q)) ?
			    rtnl_tc_get_kind(TC_CAST(q)) : "?");
		found = *handle != 0 || parent == TC_H_INGRESS;
		rtnl_qdisc_put(q);
	}
	nl_cache_free(cache);
	return (found);
}

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
talk_obj(struct nl_sock *sk, int r, struct nl_msg *msg, const char *what,
    char *err, size_t errlen)
{
	char	why[256];

	if (r < 0) {
		snprintf(err, errlen, "%s: %s", what, nl_geterror(r));
		return (-EINVAL);
	}
	if ((r = nl_talk(sk, msg, why, sizeof why)) != 0)
		snprintf(err, errlen, "%s: %s", what, why);
	return (r);
}

static int
add_tbf(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t handle,
    int rflags, const struct net_fault *f, char *err, size_t errlen)
{
	struct rtnl_qdisc	*q;
	struct nl_msg		*msg = NULL;
	uint64_t		 burst, limit;
	int			 r;

	if (f->rate > INT32_MAX) {
		snprintf(err, errlen, "--rate alone (tbf) is limited to "
		    "17gbit");
		return (-EINVAL);
	}
	/* a 10 ms bucket (at least two full frames), 100 ms of queue */
	burst = f->rate / 100;
	if (burst < 2 * 1514)
		burst = 2 * 1514;
	limit = burst + f->rate / 10;
	if (f->has & NF_LIMIT)
		limit = (uint64_t)f->limit * 1514;
	if (limit > INT32_MAX)
		limit = INT32_MAX;
	if ((q = rtnl_qdisc_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), parent);
	rtnl_tc_set_handle(TC_CAST(q), handle);
	rtnl_tc_set_kind(TC_CAST(q), "tbf");
	rtnl_qdisc_tbf_set_rate(q, (int)f->rate, (int)burst, 0);
	rtnl_qdisc_tbf_set_limit(q, (int)limit);
	r = rtnl_qdisc_build_add_request(q, parent == TC_H_ROOT ? rflags :
	    NLM_F_CREATE | NLM_F_EXCL, &msg);
	rtnl_qdisc_put(q);
	return (talk_obj(sk, r, msg, "tbf", err, errlen));
}

/* A qdisc request with its tcmsg header: what libnl does not build for us. */
static struct nl_msg *
tc_msg(int type, int flags, size_t size, int ifindex, uint32_t parent,
    uint32_t handle)
{
	struct tcmsg	 tcm;
	struct nl_msg	*msg;

	if ((msg = nlmsg_alloc_size(size)) == NULL)
		fatalx("out of memory");
	if (nlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, type, 0, flags) == NULL)
		fatalx("netlink message");
	memset(&tcm, 0, sizeof tcm);
	tcm.tcm_family = AF_UNSPEC;
	tcm.tcm_ifindex = ifindex;
	tcm.tcm_parent = parent;
	tcm.tcm_handle = handle;
	if (nlmsg_append(msg, &tcm, sizeof tcm, NLMSG_ALIGNTO) < 0)
		fatalx("netlink message");
	return (msg);
}

static int
add_netem(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t handle,
    int rflags, const struct net_fault *f, char *err, size_t errlen)
{
	struct nl_msg	*msg;
	char		 why[256];
	int		 r;

	/* big enough for a distribution table */
	msg = tc_msg(RTM_NEWQDISC, parent == TC_H_ROOT ? rflags :
	    NLM_F_CREATE | NLM_F_EXCL, 32768, ifindex, parent, handle);
	if (nla_put_string(msg, TCA_KIND, "netem") < 0 ||
	    netem_msg(msg, f, err, errlen) != 0) {
		nlmsg_free(msg);
		if (err[0] == '\0')
			snprintf(err, errlen, "netem: message too big");
		return (-EINVAL);
	}
	r = nl_talk(sk, msg, why, sizeof why);
	if (r == -ENOENT)
		snprintf(err, errlen, "this kernel has no netem (sch_netem): %s."
		    " Load it with 'modprobe sch_netem'; if the module is "
		    "missing, install the kernel's extra modules (Debian, "
		    "Ubuntu: linux-modules-extra-$(uname -r); Fedora: "
		    "kernel-modules-extra). --rate alone works without netem",
		    why);
	else if (r != 0)
		snprintf(err, errlen, "netem: %s", why);
	return (r);
}

static int
add_leaf(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t handle,
    int rflags, const struct net_fault *f, char *err, size_t errlen)
{
	if (f->has & NF_NETEM)
		return (add_netem(sk, ifindex, parent, handle, rflags, f, err,
		    errlen));
	return (add_tbf(sk, ifindex, parent, handle, rflags, f, err, errlen));
}

static int
add_htb(struct nl_sock *sk, int ifindex, uint32_t defcls, int rflags,
    char *err, size_t errlen)
{
	struct rtnl_qdisc	*q;
	struct rtnl_class	*c;
	struct nl_msg		*msg = NULL;
	int			 r;

	if ((q = rtnl_qdisc_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), NET_HANDLE);
	rtnl_tc_set_kind(TC_CAST(q), "htb");
	rtnl_htb_set_defcls(q, defcls);
	r = rtnl_qdisc_build_add_request(q, rflags, &msg);
	rtnl_qdisc_put(q);
	if ((r = talk_obj(sk, r, msg, "htb", err, errlen)) != 0)
		return (r);

	if ((c = rtnl_class_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_tc_set_ifindex(TC_CAST(c), ifindex);
	rtnl_tc_set_parent(TC_CAST(c), NET_HANDLE);
	rtnl_tc_set_handle(TC_CAST(c), NET_CLASS);
	rtnl_tc_set_kind(TC_CAST(c), "htb");
	rtnl_htb_set_rate64(c, CLASS_RATE);
	rtnl_htb_set_ceil64(c, CLASS_RATE);
	rtnl_htb_set_quantum(c, 200000);
	/* a bucket of its own: libnl's default comes out 0 at 64-bit rates */
	rtnl_htb_set_rbuffer(c, 4 << 20);
	rtnl_htb_set_cbuffer(c, 4 << 20);
	msg = NULL;
	r = rtnl_class_build_add_request(c, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rtnl_class_put(c);
	return (talk_obj(sk, r, msg, "htb class", err, errlen));
}

/* One u32 filter's keys. */
struct keys {
	int		n;
	struct {
		uint32_t val, mask;	/* host order, 32-bit aligned word */
		int	 off;
	} k[12];
};

static void
key_add(struct keys *ks, uint32_t val, uint32_t mask, int off)
{
	if (ks->n == (int)(sizeof ks->k / sizeof ks->k[0]))
		fatalx("too many u32 keys");
	ks->k[ks->n].val = val & mask;
	ks->k[ks->n].mask = mask;
	ks->k[ks->n].off = off;
	ks->n++;
}

static void
key_add16(struct keys *ks, uint16_t val, uint16_t mask, int off)
{
	int	shift = (off & 3) == 0 ? 16 : 0;

	key_add(ks, (uint32_t)val << shift, (uint32_t)mask << shift, off & ~3);
}

static void
key_add8(struct keys *ks, uint8_t val, int off)
{
	int	shift = 24 - 8 * (off & 3);

	key_add(ks, (uint32_t)val << shift, 0xffu << shift, off & ~3);
}

static void
key_addr(struct keys *ks, const struct cidr *c, int off)
{
	uint32_t	word, mask;
	int		i, bits;

	for (i = 0; i < (c->family == AF_INET ? 1 : 4); i++) {
		bits = (int)c->prefix - 32 * i;
		if (bits <= 0)
			break;
		mask = bits >= 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
		word = (uint32_t)c->addr[4 * i] << 24 |
		    (uint32_t)c->addr[4 * i + 1] << 16 |
		    (uint32_t)c->addr[4 * i + 2] << 8 | c->addr[4 * i + 3];
		key_add(ks, word, mask, off + 4 * i);
	}
}

/* Split lo..hi into value/mask blocks a u32 key can match. */
static int
port_blocks(uint16_t lo, uint16_t hi, uint16_t *val, uint16_t *mask, int max)
{
	uint32_t	p = lo, size;
	int		n = 0;

	while (p <= hi) {
		size = 1;
		while ((p & (size * 2 - 1)) == 0 && p + size * 2 - 1 <= hi &&
		    size < 65536)
			size *= 2;
		if (n == max)
			return (-1);
		val[n] = (uint16_t)p;
		mask[n] = (uint16_t)(0xffff & ~(size - 1));
		n++;
		p += size;
	}
	return (n);
}

static int
add_u32(struct nl_sock *sk, int ifindex, uint32_t parent, uint16_t prio,
    uint16_t proto, const struct keys *ks, uint32_t classid, int redirect,
    char *err, size_t errlen)
{
	struct rtnl_cls	*cls;
	struct rtnl_act	*act;
	struct nl_msg	*msg = NULL;
	int		 i, r;

	if ((cls = rtnl_cls_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_tc_set_ifindex(TC_CAST(cls), ifindex);
	rtnl_tc_set_parent(TC_CAST(cls), parent);
	rtnl_tc_set_kind(TC_CAST(cls), "u32");
	rtnl_cls_set_prio(cls, prio);
	rtnl_cls_set_protocol(cls, proto);
	if (ks->n == 0)
		rtnl_u32_add_key_uint32(cls, 0, 0, 0, 0);	/* match all */
	for (i = 0; i < ks->n; i++)
		rtnl_u32_add_key_uint32(cls, ks->k[i].val, ks->k[i].mask,
		    ks->k[i].off, 0);
	if (redirect > 0) {
		if ((act = rtnl_act_alloc()) == NULL)
			fatalx("out of memory");
		rtnl_tc_set_kind(TC_CAST(act), "mirred");
		rtnl_mirred_set_action(act, TCA_EGRESS_REDIR);
		rtnl_mirred_set_policy(act, TC_ACT_STOLEN);
		rtnl_mirred_set_ifindex(act, (uint32_t)redirect);
		rtnl_u32_add_action(cls, act);
		rtnl_act_put(act);
	} else
		rtnl_u32_set_classid(cls, classid);
	/* without TERMINAL, u32 neither classifies nor runs the actions */
	rtnl_u32_set_cls_terminal(cls);
	r = rtnl_cls_build_add_request(cls, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rtnl_cls_put(cls);
	return (talk_obj(sk, r, msg, redirect > 0 ? "ingress redirect" :
	    "u32 filter", err, errlen));
}

/* Filters for one family: exclusions to c405:0, then the target. */
static int
add_filters(struct nl_sock *sk, int ifindex, int family,
    const struct net_match *m, char *err, size_t errlen)
{
	uint16_t	dv[32], dm[32], sv[32], sm[32];
	uint16_t	proto = family == AF_INET ? ETH_P_IP : ETH_P_IPV6;
	int		l4 = family == AF_INET ? 20 : 40;	/* ports */
	int		pr = family == AF_INET ? 9 : 6;		/* protocol */
	struct keys	ks;
	int		i, j, nd = 1, ns = 1, r, total = 0;

	for (i = 0; i < m->nexclude; i++) {
		memset(&ks, 0, sizeof ks);
		key_add16(&ks, m->exclude[i], 0xffff, l4);	/* sport */
		if ((r = add_u32(sk, ifindex, NET_HANDLE, family == AF_INET ?
		    PRIO_EXCL4 : PRIO_EXCL6, proto, &ks, NET_HANDLE, 0, err,
		    errlen)) != 0)
			return (r);
		memset(&ks, 0, sizeof ks);
		key_add16(&ks, m->exclude[i], 0xffff, l4 + 2);	/* dport */
		if ((r = add_u32(sk, ifindex, NET_HANDLE, family == AF_INET ?
		    PRIO_EXCL4 : PRIO_EXCL6, proto, &ks, NET_HANDLE, 0, err,
		    errlen)) != 0)
			return (r);
	}
	if (m->has == 0)
		return (0);	/* untargeted: htb's default class is c405:1 */

	if ((m->has & NM_DPORT) && (nd = port_blocks(m->dport_lo, m->dport_hi,
	    dv, dm, 32)) < 0)
		goto ranges;
	if ((m->has & NM_SPORT) && (ns = port_blocks(m->sport_lo, m->sport_hi,
	    sv, sm, 32)) < 0)
		goto ranges;
	if (nd * ns > MAX_FILTERS)
		goto ranges;
	for (i = 0; i < nd; i++) {
		for (j = 0; j < ns; j++) {
			memset(&ks, 0, sizeof ks);
			if (m->has & NM_SRC)
				key_addr(&ks, &m->src, family == AF_INET ?
				    12 : 8);
			if (m->has & NM_DST)
				key_addr(&ks, &m->dst, family == AF_INET ?
				    16 : 24);
			if (m->has & NM_PROTO)
				key_add8(&ks, (uint8_t)(family == AF_INET6 &&
				    m->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
				    m->proto), pr);
			if (m->has & NM_SPORT)
				key_add16(&ks, sv[j], sm[j], l4);
			if (m->has & NM_DPORT)
				key_add16(&ks, dv[i], dm[i], l4 + 2);
			if ((r = add_u32(sk, ifindex, NET_HANDLE,
			    family == AF_INET ? PRIO_MATCH4 : PRIO_MATCH6,
			    proto, &ks, NET_CLASS, 0, err, errlen)) != 0)
				return (r);
			total++;
		}
	}
	return (0);

ranges:
	snprintf(err, errlen, "the port ranges split into too many filters; "
	    "use narrower or power-of-two aligned ranges");
	return (-EINVAL);
}

static int
add_tree(struct nl_sock *sk, int ifindex, int rflags,
    const struct net_fault *f, const struct net_match *m, char *err,
    size_t errlen)
{
	int	r, v4 = 1, v6 = 1;

	if (m->has == 0 && m->nexclude == 0)
		return (add_leaf(sk, ifindex, TC_H_ROOT, NET_HANDLE, rflags, f,
		    err, errlen));

	if ((r = add_htb(sk, ifindex, m->has == 0 ? 1 : 0, rflags, err,
	    errlen)) != 0)
		return (r);
	if ((r = add_leaf(sk, ifindex, NET_CLASS, NET_LEAF_HANDLE, rflags, f,
	    err, errlen)) != 0)
		return (r);
	if (m->has & NM_DST) {
		v4 = m->dst.family == AF_INET;
		v6 = !v4;
	} else if (m->has & NM_SRC) {
		v4 = m->src.family == AF_INET;
		v6 = !v4;
	}
	if (v4 && (r = add_filters(sk, ifindex, AF_INET, m, err, errlen)) != 0)
		return (r);
	if (v6 && (r = add_filters(sk, ifindex, AF_INET6, m, err,
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
	struct keys		 ks;
	int			 r;

	if ((q = rtnl_qdisc_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_INGRESS);
	rtnl_tc_set_handle(TC_CAST(q), TC_H_MAKE(TC_H_INGRESS, 0));
	rtnl_tc_set_kind(TC_CAST(q), "ingress");
	r = rtnl_qdisc_build_add_request(q, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rtnl_qdisc_put(q);
	if ((r = talk_obj(sk, r, msg, "ingress qdisc", err, errlen)) != 0)
		return (r);
	memset(&ks, 0, sizeof ks);
	return (add_u32(sk, ifindex, TC_H_MAKE(TC_H_INGRESS, 0), PRIO_REDIRECT,
	    ETH_P_ALL, &ks, 0, ifb, err, errlen));
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

static int
del_qdisc(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t handle,
    char *err, size_t errlen)
{
	struct nl_msg	*msg;
	int		 r;

	msg = tc_msg(RTM_DELQDISC, 0, 4096, ifindex, parent,
	    handle);
	r = nl_talk(sk, msg, err, errlen);
	if (r == -ENOENT || r == -ENODEV)
		r = 0;		/* already gone */
	return (r);
}

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
		    (r = del_qdisc(sk, ifindex, TC_H_INGRESS,
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
	    (r = del_qdisc(sk, ifindex, TC_H_ROOT, handle, err, errlen)) != 0)
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

/* ------------------------------------------------------------------ */
/* chaosd doctor                                                       */
/* ------------------------------------------------------------------ */

/* Add (then delete) a root qdisc of KIND on ifindex: does the kernel have it? */
int
netfault_probe(struct nl_sock *sk, int ifindex, const char *kind, char *err,
    size_t errlen)
{
	struct net_fault	 f;
	struct rtnl_qdisc	*q;
	struct nl_msg		*msg = NULL;
	char			 why[256];
	int			 r;

	memset(&f, 0, sizeof f);
	if (strcmp(kind, "netem") == 0) {
		f.has = NF_DELAY;
		f.delay_ns = 1000000;
		r = add_netem(sk, ifindex, TC_H_ROOT, NET_HANDLE, ROOT_NEW, &f,
		    err, errlen);
	} else if (strcmp(kind, "tbf") == 0) {
		f.has = NF_RATE;
		f.rate = 125000;
		r = add_tbf(sk, ifindex, TC_H_ROOT, NET_HANDLE, ROOT_NEW, &f,
		    err, errlen);
	} else if (strcmp(kind, "htb") == 0) {
		r = add_htb(sk, ifindex, 0, ROOT_NEW, err, errlen);
	} else if (strcmp(kind, "prio") == 0) {
		/* by hand: libnl's prio asserts without its options */
		struct tc_prio_qopt	 po = { 3, { 1, 2, 2, 2, 1, 2, 0, 0,
					    1, 1, 1, 1, 1, 1, 1, 1 } };

		msg = tc_msg(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL,
		    4096, ifindex, TC_H_ROOT, NET_HANDLE);
		if (nla_put_string(msg, TCA_KIND, "prio") < 0 ||
		    nla_put(msg, TCA_OPTIONS, sizeof po, &po) < 0)
			fatalx("netlink message");
		r = talk_obj(sk, 0, msg, kind, err, errlen);
	} else if (strcmp(kind, "ingress") == 0) {
		if ((q = rtnl_qdisc_alloc()) == NULL)
			fatalx("out of memory");
		rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
		rtnl_tc_set_parent(TC_CAST(q), TC_H_INGRESS);
		rtnl_tc_set_handle(TC_CAST(q), TC_H_MAKE(TC_H_INGRESS, 0));
		rtnl_tc_set_kind(TC_CAST(q), "ingress");
		r = rtnl_qdisc_build_add_request(q, NLM_F_CREATE | NLM_F_EXCL,
		    &msg);
		rtnl_qdisc_put(q);
		r = talk_obj(sk, r, msg, kind, err, errlen);
		del_qdisc(sk, ifindex, TC_H_INGRESS, TC_H_MAKE(TC_H_INGRESS, 0),
		    why, sizeof why);
		return (r);
	} else {
		snprintf(err, errlen, "no probe for %s", kind);
		return (-EINVAL);
	}
	del_qdisc(sk, ifindex, TC_H_ROOT, NET_HANDLE, why, sizeof why);
	return (r);
}

/* doctor: a u32 filter, and one with a mirred redirect, on an htb root. */
int
netfault_probe_filters(struct nl_sock *sk, int ifindex, int redirect_to,
    char *err, size_t errlen)
{
	struct keys	ks;
	char		why[256];
	int		r;

	memset(&ks, 0, sizeof ks);
	if ((r = add_htb(sk, ifindex, 0, ROOT_NEW, err, errlen)) != 0)
		return (r);
	if (redirect_to > 0)
		r = add_u32(sk, ifindex, NET_HANDLE, 1, ETH_P_ALL, &ks, 0,
		    redirect_to, err, errlen);
	else
		r = add_u32(sk, ifindex, NET_HANDLE, 1, ETH_P_IP, &ks,
		    NET_CLASS, 0, err, errlen);
	del_qdisc(sk, ifindex, TC_H_ROOT, NET_HANDLE, why, sizeof why);
	return (r);
}
