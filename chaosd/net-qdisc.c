/*
 * net-qdisc.c: one qdisc at a time, through netlink: netem (its options
 * built by hand, netem.c), tbf, chaosd's htb root and its class; reading
 * the qdisc at a parent back; deleting one; and doctor's probe that adds
 * and deletes a qdisc of a kind to see whether the kernel has it.
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

#define CLASS_RATE	(100ULL * 1000 * 1000 * 1000 / 8)	/* 100gbit */

/*
 * The qdisc at PARENT (TC_H_ROOT, TC_H_INGRESS) on ifindex: 1 with its
 * handle and kind, 0 if there is none (or only the kernel's default,
 * handle 0:), -1 on error.
 */
int
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

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

int
tc_talk(struct nl_sock *sk, int r, struct nl_msg *msg, const char *what,
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
	return (tc_talk(sk, r, msg, "tbf", err, errlen));
}

/* A qdisc request with its tcmsg header: what libnl does not build for us. */
struct nl_msg *
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

int
qdisc_add_leaf(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t handle,
    int rflags, const struct net_fault *f, char *err, size_t errlen)
{
	if (f->has & NF_NETEM)
		return (add_netem(sk, ifindex, parent, handle, rflags, f, err,
		    errlen));
	return (add_tbf(sk, ifindex, parent, handle, rflags, f, err, errlen));
}

int
qdisc_add_htb(struct nl_sock *sk, int ifindex, uint32_t defcls, int rflags,
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
	if ((r = tc_talk(sk, r, msg, "htb", err, errlen)) != 0)
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
	return (tc_talk(sk, r, msg, "htb class", err, errlen));
}
int
qdisc_del(struct nl_sock *sk, int ifindex, uint32_t parent, uint32_t handle,
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
		r = qdisc_add_htb(sk, ifindex, 0, ROOT_NEW, err, errlen);
	} else if (strcmp(kind, "prio") == 0) {
		/* by hand: libnl's prio asserts without its options */
		struct tc_prio_qopt	 po = { 3, { 1, 2, 2, 2, 1, 2, 0, 0,
					    1, 1, 1, 1, 1, 1, 1, 1 } };

		msg = tc_msg(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL,
		    4096, ifindex, TC_H_ROOT, NET_HANDLE);
		if (nla_put_string(msg, TCA_KIND, "prio") < 0 ||
		    nla_put(msg, TCA_OPTIONS, sizeof po, &po) < 0)
			fatalx("netlink message");
		r = tc_talk(sk, 0, msg, kind, err, errlen);
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
		r = tc_talk(sk, r, msg, kind, err, errlen);
		qdisc_del(sk, ifindex, TC_H_INGRESS, TC_H_MAKE(TC_H_INGRESS, 0),
		    why, sizeof why);
		return (r);
	} else {
		snprintf(err, errlen, "no probe for %s", kind);
		return (-EINVAL);
	}
	qdisc_del(sk, ifindex, TC_H_ROOT, NET_HANDLE, why, sizeof why);
	return (r);
}

