/*
 * net-apply.c: network faults as a library, for chaosd net and for the
 * network kind of chaosd run: apply a parsed fault (journal first, then
 * the tree), undo the one this instance applied, clear a device, and the
 * journal type that undoes a network entry from any process (guardian,
 * recover, abort).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/netlink.h>

#include "chaosd.h"
#include "net.h"

/* May this process change qdiscs (CAP_NET_ADMIN, bit 12)? */
int
net_has_cap_admin(void)
{
	return (proc_has_cap(12));
}

/* ---- the journal entry ------------------------------------------ */

static void
net_entry_id(const struct net_entry *e, struct jentry *j)
{
	snprintf(j->id, sizeof j->id, "net-%" PRIu64 "-%s%s", e->ns_ino,
	    e->dev, e->ingress ? "-ingress" : "");
}

static void
net_entry_to_journal(const struct net_entry *e, struct jentry *j)
{
	jentry_set(j, "netns", "%s", e->netns);
	jentry_set(j, "nspid", "%ld", (long)e->nspid);
	jentry_set(j, "ns_dev", "%" PRIu64, e->ns_dev);
	jentry_set(j, "ns_ino", "%" PRIu64, e->ns_ino);
	jentry_set(j, "dev", "%s", e->dev);
	jentry_set(j, "ifindex", "%d", e->ifindex);
	jentry_set(j, "ingress", "%d", e->ingress);
	jentry_set(j, "ifb", "%s", e->ifb);
	jentry_set(j, "handle", "%" PRIx32, e->handle);
	jentry_set(j, "forced", "%d", e->forced);
}

void
net_entry_from_journal(const struct jentry *j, struct net_entry *e)
{
	const char	*v;

	memset(e, 0, sizeof *e);
	e->owner = j->owner;
	if ((v = jentry_get(j, "netns")) != NULL)
		snprintf(e->netns, sizeof e->netns, "%s", v);
	e->nspid = (pid_t)jentry_get_u64(j, "nspid", 0);
	e->ns_dev = jentry_get_u64(j, "ns_dev", 0);
	e->ns_ino = jentry_get_u64(j, "ns_ino", 0);
	if ((v = jentry_get(j, "dev")) != NULL)
		snprintf(e->dev, sizeof e->dev, "%s", v);
	e->ifindex = (int)jentry_get_u64(j, "ifindex", 0);
	e->ingress = jentry_get_u64(j, "ingress", 0) != 0;
	if ((v = jentry_get(j, "ifb")) != NULL)
		snprintf(e->ifb, sizeof e->ifb, "%s", v);
	if ((v = jentry_get(j, "handle")) != NULL)
		e->handle = (uint32_t)strtoul(v, NULL, 16);
	e->forced = jentry_get_u64(j, "forced", 0) != 0;
}

/* The journal type: undo an entry, in its namespace, from anywhere. */
static int
net_journal_revert(struct jentry *j, char *err, size_t errlen)
{
	struct net_entry e;
	struct nl_sock	*sk;
	char		 why[256];
	int		 saved, r;

	net_entry_from_journal(j, &e);
	if (e.dev[0] == '\0' || e.ifindex <= 0) {
		log_info("%s: names no device: nothing to revert", j->id);
		return (0);
	}
	r = netns_enter_entry(&e, &saved, why, sizeof why);
	if (r == -ENOENT) {
		log_info("%s: %s: nothing left to revert", j->id, why);
		return (0);
	}
	if (r != 0) {
		snprintf(err, errlen, "%s: %s", e.dev, why);
		return (r);
	}
	if ((sk = nl_open(why, sizeof why)) == NULL) {
		netns_leave(saved);
		snprintf(err, errlen, "%s", why);
		return (-EIO);
	}
	r = netfault_revert(sk, &e, why, sizeof why);
	nl_close(sk);
	netns_leave(saved);
	if (r != 0) {
		snprintf(err, errlen, "cannot revert the fault on %s: %s "
		    "(the journal keeps it; 'chaosd recover' retries)", e.dev,
		    why);
		return (r);
	}
	return (0);
}

const struct journal_type journal_net = {
	.name = "net",
	.revert = net_journal_revert,
};

/* ---- apply ------------------------------------------------------ */

/* A socket inside the target namespace (and back out). */
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

/*
 * Apply a fault: the device, who owns its root, the journal entry
 * (before any change), the guardian, the tree, confirmed. 0 with *j the
 * entry (keep it: netfault_unapply() undoes exactly this instance), or
 * -1 with nothing applied and err saying why.
 */
int
netfault_apply(const struct net_spec *s, const struct net_apply *how,
    struct jentry *j, char *err, size_t errlen)
{
	struct net_entry e;
	struct jentry	 old;
	struct nl_sock	*sk;
	char		 why[1024], here[NAME_MAX + 64];
	uint32_t	 handle;
	int		 r;

	jentry_init(j, "net");
	if (net_spec_check(s, err, errlen) != 0)
		return (-1);
	if (!net_has_cap_admin()) {
		snprintf(err, errlen, "changing qdiscs needs CAP_NET_ADMIN: run "
		    "chaosd as root (or with that capability)");
		return (-1);
	}
	net_where(&s->t, here, sizeof here);
	memset(&e, 0, sizeof e);
	e.owner = getpid();
	if ((sk = net_socket(&s->t, &e.ns_dev, &e.ns_ino, err,
	    errlen)) == NULL)
		return (-1);
	if ((e.ifindex = link_index(sk, s->t.dev, err, errlen)) < 0)
		goto fail;
	if (netfault_owned(sk, e.ifindex, s->t.ingress, s->force, why,
	    sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", here, why);
		goto fail;
	}
	if (journal_ensure_dir(err, errlen) != 0)
		goto fail;

	snprintf(e.netns, sizeof e.netns, "%s", s->t.netns);
	e.nspid = s->t.pid;
	snprintf(e.dev, sizeof e.dev, "%s", s->t.dev);
	e.ingress = s->t.ingress;
	if (e.ingress)
		snprintf(e.ifb, sizeof e.ifb, "%s%d", NET_IFB_PREFIX,
		    e.ifindex);
	e.handle = NET_HANDLE;
	e.forced = s->force;
	j->bound = how->bound;
	j->expires_ms = how->expires_ms;
	netfault_describe(&s->f, &s->m, j->what, sizeof j->what);
	net_entry_id(&e, j);
	net_entry_to_journal(&e, j);

	r = journal_write(j, err, errlen);
	if (r == -EEXIST && journal_read(j->id, &old) == 0) {
		if (!(old.state == J_APPLYING && jentry_owner_alive(&old))) {
			/* the kernel holds no chaosd tree here: stale */
			log_info("removing stale journal entry %s", old.id);
			journal_remove(&old);
			r = journal_write(j, err, errlen);
		}
		jentry_free(&old);
	}
	if (r == -EEXIST) {
		snprintf(err, errlen, "%s: another chaosd is applying a fault "
		    "there", here);
		goto fail;
	}
	if (r != 0)
		goto fail;
	if ((j->expires_ms != 0 || j->bound) && guardian_ensure() != 0)
		log_warn("cannot start the guardian: the fault will not be "
		    "reverted by itself if chaosd is killed");

	why[0] = '\0';
	if (netfault_build(sk, &e, &s->f, &s->m, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s; nothing applied", here, why);
		journal_remove(j);
		goto fail;
	}
	/* the proof: the kernel holds our root now */
	if (netfault_root_handle(sk, e.ingress ? link_index(sk, e.ifb, why,
	    sizeof why) : e.ifindex, &handle, NULL, 0) != 1 ||
	    handle != NET_HANDLE) {
		snprintf(err, errlen, "%s: the kernel does not show the fault "
		    "just built; nothing applied", here);
		netfault_revert(sk, &e, why, sizeof why);
		journal_remove(j);
		goto fail;
	}
	j->state = J_ACTIVE;
	if (journal_write(j, why, sizeof why) != 0)
		log_warn("%s (the fault is applied; the guardian still knows "
		    "it as applying)", why);
	nl_close(sk);
	return (0);

fail:
	nl_close(sk);
	jentry_free(j);
	return (-1);
}

/*
 * Undo the fault this instance applied (j, from netfault_apply). 0:
 * reverted; 1: already gone, or the entry there now is another
 * instance's (cleared, and applied again since: not ours to undo);
 * -1: the revert failed (the journal keeps it).
 */
int
netfault_unapply(struct jentry *j, char *err, size_t errlen)
{
	struct jentry	now;
	int		r;

	if (journal_read(j->id, &now) != 0)
		return (1);
	r = now.instance != j->instance;
	jentry_free(&now);
	if (r)
		return (1);
	r = journal_revert(j, 1, err, errlen);
	if (r == -ESTALE)
		return (1);
	return (r == 0 ? 0 : -1);
}

/*
 * chaosd net clear --dev: every entry for this namespace and device,
 * both directions, then chaosd's handle or IFB device left there with no
 * entry (a lost journal). *done counts what was cleared.
 */
int
netfault_clear(const struct net_target *t, int *done, char *err,
    size_t errlen)
{
	struct jentry	*v;
	struct net_entry e, ne;
	struct nl_sock	*sk;
	uint64_t	 ns_dev, ns_ino;
	uint32_t	 handle;
	char		 why[1024], here[NAME_MAX + 64];
	int		 n, i, failed = 0, ifindex;

	*done = 0;
	net_where(t, here, sizeof here);
	if ((sk = net_socket(t, &ns_dev, &ns_ino, err, errlen)) == NULL)
		return (-1);
	if ((ifindex = link_index(sk, t->dev, err, errlen)) < 0) {
		nl_close(sk);
		return (-1);
	}
	if (journal_list("net", &v, &n) != 0) {
		snprintf(err, errlen, "cannot read %s", journal_dir());
		nl_close(sk);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		net_entry_from_journal(&v[i], &e);
		if (e.ns_ino != ns_ino || e.ns_dev != ns_dev ||
		    strcmp(e.dev, t->dev) != 0)
			continue;
		v[i].instance = 0;	/* whoever applied it */
		if (journal_revert(&v[i], 1, why, sizeof why) != 0) {
			log_warn("%s", why);
			failed++;
		} else {
			printf("chaosd: cleared %s on %s%s\n", v[i].what,
			    here, e.ingress ? " (ingress)" : "");
			(*done)++;
		}
	}
	journal_list_free(v, n);
	/* chaosd's handle, or IFB device, with no journal entry */
	memset(&ne, 0, sizeof ne);
	ne.ifindex = ifindex;
	snprintf(ne.dev, sizeof ne.dev, "%s", t->dev);
	ne.handle = NET_HANDLE;
	if (!failed && netfault_root_handle(sk, ifindex, &handle, NULL,
	    0) == 1 && handle == NET_HANDLE) {
		if (netfault_revert(sk, &ne, why, sizeof why) != 0) {
			log_warn("%s: %s", here, why);
			failed++;
		} else {
			printf("chaosd: cleared an unjournaled chaosd fault on "
			    "%s\n", here);
			(*done)++;
		}
	}
	ne.ingress = 1;
	snprintf(ne.ifb, sizeof ne.ifb, "%s%d", NET_IFB_PREFIX, ifindex);
	if (!failed && link_kind_is(sk, ne.ifb, "ifb") == 1) {
		if (netfault_revert(sk, &ne, why, sizeof why) != 0) {
			log_warn("%s: %s", here, why);
			failed++;
		} else {
			printf("chaosd: cleared an unjournaled chaosd ingress "
			    "fault on %s\n", here);
			(*done)++;
		}
	}
	nl_close(sk);
	if (failed) {
		snprintf(err, errlen, "%d fault%s on %s could not be cleared",
		    failed, failed == 1 ? "" : "s", here);
		return (-1);
	}
	return (0);
}
