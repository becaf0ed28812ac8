/*
 * net.h: chaosd's network faults (chaosd net, recover, doctor).
 *
 * The pieces, one file each:
 *   tc-units.c  rates and sizes written as tc writes them
 *   netlink.c   the libnl socket, talking to the kernel, links, netns
 *   netem.c     netem's TCA_OPTIONS, built by hand
 *   netfault.c  the qdisc/class/filter tree: build, check, revert
 *   net-options.c  the options of a fault: chaosd net apply's, [network.*]'s
 *   net-apply.c  apply, undo, clear: network faults as a library, and
 *                their journal type
 *   kind-network.c  [network.*] in chaosd run
 */
#ifndef NET_H
#define NET_H

#include <sys/types.h>
#include <limits.h>
#include <net/if.h>
#include <stdint.h>

#include "chaos.h"
#include "kind.h"

struct nl_sock;
struct nl_msg;

/*
 * chaosd's reserved handles: the root qdisc it adds is c405:, a leaf under
 * its class is c406:. A root with another handle is not chaosd's.
 */
#define NET_HANDLE_MAJOR	0xc405U
#define NET_HANDLE		(NET_HANDLE_MAJOR << 16)
#define NET_LEAF_HANDLE		((NET_HANDLE_MAJOR + 1) << 16)
#define NET_CLASS		(NET_HANDLE | 1)
#define NET_IFB_PREFIX		"cdifb"

#define NET_TTL_DEFAULT_MS	(10ULL * 60 * 1000)	/* 10 minutes */
#define NET_EXCLUDE_MAX		16
#define NET_DEFAULT_EXCLUDE	22	/* ssh: never cut off the operator */

enum net_dist { DIST_NONE, DIST_NORMAL, DIST_PARETO, DIST_PARETONORMAL };

/* What was given (net_fault.has). */
#define NF_DELAY	(1u << 0)
#define NF_JITTER	(1u << 1)
#define NF_CORR		(1u << 2)
#define NF_DIST		(1u << 3)
#define NF_LOSS		(1u << 4)
#define NF_LOSS_CORR	(1u << 5)
#define NF_LOSS_GE	(1u << 6)
#define NF_DUPLICATE	(1u << 7)
#define NF_CORRUPT	(1u << 8)
#define NF_REORDER	(1u << 9)
#define NF_GAP		(1u << 10)
#define NF_RATE		(1u << 11)
#define NF_LIMIT	(1u << 12)
#define NF_NETEM	(NF_DELAY | NF_JITTER | NF_CORR | NF_DIST | NF_LOSS | \
			 NF_LOSS_CORR | NF_LOSS_GE | NF_DUPLICATE | NF_CORRUPT | \
			 NF_REORDER | NF_GAP)

/* A fault, in chaosd's units: ns, 0..1 probabilities, bytes per second. */
struct net_fault {
	unsigned	has;
	uint64_t	delay_ns;
	uint64_t	jitter_ns;
	double		delay_corr;
	enum net_dist	dist;
	double		loss;
	double		loss_corr;
	double		ge[4];		/* p, r, 1-h, 1-k (loss in bad, good) */
	double		duplicate;
	double		corrupt;
	double		reorder;
	uint32_t	gap;
	uint64_t	rate;		/* bytes per second */
	uint32_t	limit;		/* packets */
};

/* Which traffic (net_match.has). */
#define NM_DST		(1u << 0)
#define NM_SRC		(1u << 1)
#define NM_DPORT	(1u << 2)
#define NM_SPORT	(1u << 3)
#define NM_PROTO	(1u << 4)

struct net_match {
	unsigned	has;
	struct cidr	dst;
	struct cidr	src;
	uint16_t	dport_lo, dport_hi;
	uint16_t	sport_lo, sport_hi;
	int		proto;		/* IPPROTO_TCP, _UDP, _ICMP */
	int		nexclude;
	uint16_t	exclude[NET_EXCLUDE_MAX];
};

/* Where: a network namespace (by name or by a process in it) and a device. */
struct net_target {
	char		netns[NAME_MAX + 1];	/* /run/netns/NAME, or "" */
	pid_t		pid;			/* /proc/PID/ns/net, or 0 */
	char		dev[IF_NAMESIZE];
	int		ingress;
};

/*
 * What one apply changed (or is about to), enough to undo it from
 * another process: the network kind's fields of its journal entry
 * (net-apply.c converts).
 */
struct net_entry {
	pid_t		owner;		/* the chaosd that applied it */
	char		netns[NAME_MAX + 1];
	pid_t		nspid;
	uint64_t	ns_dev, ns_ino;	/* the namespace, to find it again */
	char		dev[IF_NAMESIZE];
	int		ifindex;
	int		ingress;	/* we added dev's ingress qdisc */
	char		ifb[IF_NAMESIZE]; /* we created this IFB device */
	uint32_t	handle;		/* our root qdisc, on dev or ifb */
	int		forced;		/* --force: replaced a foreign root */
};

/* A network fault as chaosd net apply and [network.*] give it. */
struct net_spec {
	struct net_target t;
	struct net_fault  f;
	struct net_match  m;
	int		  force;
};

struct jentry;

/* How long a fault lasts, and who ends it (netfault_apply). */
struct net_apply {
	uint64_t	expires_ms;	/* CLOCK_REALTIME; 0: no expiry */
	int		bound;		/* reverted as soon as we are gone */
};

/* tc-units.c */
int	parse_rate(const char *, uint64_t *bytes_per_sec, char *err,
	    size_t errlen);
void	format_rate(uint64_t bytes_per_sec, char *buf, size_t len);
int	parse_exclude(const char *, struct net_match *, char *err,
	    size_t errlen);
int	parse_proto(const char *, int *, char *err, size_t errlen);
int	parse_netns_name(const char *, char *buf, size_t len, char *err,
	    size_t errlen);
uint32_t prob_u32(double);

/* netlink.c */
struct nl_sock *nl_open(char *err, size_t errlen);
void	 nl_close(struct nl_sock *);
int	 nl_talk(struct nl_sock *, struct nl_msg *, char *err, size_t errlen);
int	 netns_enter(const char *name, pid_t pid, int *saved, char *err,
	    size_t errlen);
int	 netns_enter_entry(const struct net_entry *, int *saved, char *err,
	    size_t errlen);
void	 netns_leave(int saved);
int	 netns_self(uint64_t *dev, uint64_t *ino);
int	 link_index(struct nl_sock *, const char *name, char *err,
	    size_t errlen);
int	 link_add_ifb(struct nl_sock *, const char *name, char *err,
	    size_t errlen);
int	 link_del(struct nl_sock *, const char *name, const char *kind);
int	 link_kind_is(struct nl_sock *, const char *name, const char *kind);

/* netem.c */
int	 netem_msg(struct nl_msg *, const struct net_fault *, char *err,
	    size_t errlen);
int	 netem_dist_load(enum net_dist, int16_t **, size_t *, char *err,
	    size_t errlen);
const char *netem_dist_name(enum net_dist);
int	 netem_dist_parse(const char *, enum net_dist *);

/* Filter priorities on chaosd's root: exclusions first, then targets. */
#define PRIO_EXCL4	1
#define PRIO_EXCL6	2
#define PRIO_MATCH4	3
#define PRIO_MATCH6	4
#define PRIO_REDIRECT	1

/* The flags of a root qdisc's request: NLM_F_EXCL, or NLM_F_REPLACE
   under --force (replacing a root that is not chaosd's). */
#define ROOT_NEW	(NLM_F_CREATE | NLM_F_EXCL)
#define ROOT_FORCED	(NLM_F_CREATE | NLM_F_REPLACE)

/* net-qdisc.c */
int	 tc_talk(struct nl_sock *, int r, struct nl_msg *, const char *what,
	    char *err, size_t errlen);
struct nl_msg *tc_msg(int type, int flags, size_t size, int ifindex,
	    uint32_t parent, uint32_t handle);
int	 qdisc_at(struct nl_sock *, int ifindex, uint32_t parent,
	    uint32_t *handle, char *kind, size_t kindlen);
int	 qdisc_add_leaf(struct nl_sock *, int ifindex, uint32_t parent,
	    uint32_t handle, int rflags, const struct net_fault *, char *err,
	    size_t errlen);
int	 qdisc_add_htb(struct nl_sock *, int ifindex, uint32_t defcls,
	    int rflags, char *err, size_t errlen);
int	 qdisc_del(struct nl_sock *, int ifindex, uint32_t parent,
	    uint32_t handle, char *err, size_t errlen);
int	 netfault_probe(struct nl_sock *, int ifindex, const char *kind,
	    char *err, size_t errlen);

/* net-filter.c */
int	 filters_add(struct nl_sock *, int ifindex, int family,
	    const struct net_match *, char *err, size_t errlen);
int	 filter_add_redirect(struct nl_sock *, int ifindex, uint32_t parent,
	    int ifb, char *err, size_t errlen);
int	 netfault_probe_filters(struct nl_sock *, int ifindex, int redirect,
	    char *err, size_t errlen);

/* netfault.c */
int	 netfault_check(const struct net_fault *, const struct net_match *,
	    char *err, size_t errlen);
int	 netfault_describe(const struct net_fault *, const struct net_match *,
	    char *buf, size_t len);
int	 netfault_owned(struct nl_sock *, int ifindex, int ingress,
	    int force, char *err, size_t errlen);
int	 netfault_build(struct nl_sock *, struct net_entry *,
	    const struct net_fault *, const struct net_match *, char *err,
	    size_t errlen);
int	 netfault_revert(struct nl_sock *, const struct net_entry *, char *err,
	    size_t errlen);
int	 netfault_sweep(struct nl_sock *, int (*named)(void *, int ifindex,
	    const char *dev), void *arg, int *removed);
int	 netfault_root_handle(struct nl_sock *, int ifindex, uint32_t *,
	    char *kind, size_t kindlen);

/* net-options.c */
extern const struct kind_option net_options[];
void	 net_spec_init(struct net_spec *);
int	 net_spec_check(const struct net_spec *, char *err, size_t errlen);
const char *net_where(const struct net_target *, char *buf, size_t len);

/* net-apply.c */
int	 netfault_apply(const struct net_spec *, const struct net_apply *,
	    struct jentry *, char *err, size_t errlen);
int	 netfault_unapply(struct jentry *, char *err, size_t errlen);
int	 netfault_clear(const struct net_target *, int *done, char *err,
	    size_t errlen);
int	 net_has_cap_admin(void);
void	 net_entry_from_journal(const struct jentry *, struct net_entry *);

/* cmd-net.c */
int	 net_show(int json);

#endif
