/*
 * net-filter.c: u32 filters on chaosd's htb root, built key by key as
 * tc's "match ip dst/sport/..." would be: the excluded ports first
 * (prio 1, 2: to the direct path, untouched), then the targeted traffic
 * (prio 3, 4: to the fault's class), for IPv4 and IPv6; the match-all
 * redirect of --ingress (a mirred action to the IFB device); and
 * doctor's probe of both.
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

#define MAX_FILTERS	256


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
	return (tc_talk(sk, r, msg, redirect > 0 ? "ingress redirect" :
	    "u32 filter", err, errlen));
}

/* Filters for one family: exclusions to c405:0, then the target. */
int
filters_add(struct nl_sock *sk, int ifindex, int family,
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


/* --ingress: every packet of parent's device to the IFB device ifb. */
int
filter_add_redirect(struct nl_sock *sk, int ifindex, uint32_t parent,
    int ifb, char *err, size_t errlen)
{
	struct keys	ks;

	memset(&ks, 0, sizeof ks);
	return (add_u32(sk, ifindex, parent, PRIO_REDIRECT, ETH_P_ALL, &ks, 0,
	    ifb, err, errlen));
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
	if ((r = qdisc_add_htb(sk, ifindex, 0, ROOT_NEW, err, errlen)) != 0)
		return (r);
	if (redirect_to > 0)
		r = add_u32(sk, ifindex, NET_HANDLE, 1, ETH_P_ALL, &ks, 0,
		    redirect_to, err, errlen);
	else
		r = add_u32(sk, ifindex, NET_HANDLE, 1, ETH_P_IP, &ks,
		    NET_CLASS, 0, err, errlen);
	qdisc_del(sk, ifindex, TC_H_ROOT, NET_HANDLE, why, sizeof why);
	return (r);
}

