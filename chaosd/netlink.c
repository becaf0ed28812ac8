/*
 * netlink.c: the rtnetlink socket (libnl-3), links, network namespaces.
 *
 * Every request goes through nl_talk(), which waits for the kernel's
 * answer and keeps its errno and its extended-ack text ("Specified qdisc
 * kind is unknown."), so that callers can tell ENOENT from EEXIST and say
 * what the kernel said. Namespaces are entered with setns(2) before the
 * socket is opened, so the socket (and everything done through it)
 * belongs to the target namespace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "chaosd.h"
#include "net.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG 1
#endif

struct nl_answer {
	int	error;			/* -errno from the kernel, 0 */
	char	msg[256];		/* extended ack text, or "" */
};

struct nl_sock *
nl_open(char *err, size_t errlen)
{
	struct nl_sock	*sk;
	int		 one = 1, r;

	if ((sk = nl_socket_alloc()) == NULL) {
		snprintf(err, errlen, "cannot allocate a netlink socket");
		return (NULL);
	}
	if ((r = nl_connect(sk, NETLINK_ROUTE)) < 0) {
		snprintf(err, errlen, "cannot open an rtnetlink socket: %s",
		    nl_geterror(r));
		nl_socket_free(sk);
		return (NULL);
	}
	/* Best effort: older kernels answer without the text. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
	    sizeof one);
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
	    sizeof one);
	return (sk);
}

void
nl_close(struct nl_sock *sk)
{
	if (sk != NULL)
		nl_socket_free(sk);
}

static int
nl_answer_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nl_answer	*a = arg;
	struct nlmsghdr		*nlh = (struct nlmsghdr *)((char *)e -
				    NLMSG_HDRLEN);
	struct nlattr		*attr;
	size_t			 off;
	int			 rem;

	a->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return (NL_STOP);
	/* With NETLINK_CAP_ACK the request is not echoed: TLVs follow. */
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (nlh->nlmsg_len <= off)
		return (NL_STOP);
	rem = (int)(nlh->nlmsg_len - off);
	nla_for_each_attr(attr, (struct nlattr *)((char *)nlh + off), rem,
	    rem) {
		if (nla_type(attr) == NLMSGERR_ATTR_MSG && nla_len(attr) > 0) {
			snprintf(a->msg, sizeof a->msg, "%.*s",
			    nla_len(attr), (const char *)nla_data(attr));
			/* the kernel's text may end in a newline or NUL */
			a->msg[strcspn(a->msg, "\n")] = '\0';
		}
	}
	return (NL_STOP);
}

/*
 * Send one request and wait for its acknowledgement. Returns 0 or
 * -errno (the kernel's); err gets the kernel's words where it gave some.
 * The message is freed.
 */
int
nl_talk(struct nl_sock *sk, struct nl_msg *msg, char *err, size_t errlen)
{
	struct nl_answer	a = { 0, "" };
	int			r;

	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, nl_answer_err, &a);
	r = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (r < 0) {
		snprintf(err, errlen, "netlink: %s", nl_geterror(r));
		return (-EIO);
	}
	r = nl_wait_for_ack(sk);
	nl_socket_modify_err_cb(sk, NL_CB_DEFAULT, NULL, NULL);
	if (r >= 0 && a.error == 0)
		return (0);
	if (a.error == 0) {
		snprintf(err, errlen, "netlink: %s", nl_geterror(r));
		return (-EIO);
	}
	if (a.msg[0] != '\0')
		snprintf(err, errlen, "%s (%s)", a.msg, strerror(-a.error));
	else
		snprintf(err, errlen, "%s", strerror(-a.error));
	return (a.error);
}

/* ------------------------------------------------------------------ */
/* Network namespaces                                                  */
/* ------------------------------------------------------------------ */

int
netns_self(uint64_t *dev, uint64_t *ino)
{
	struct stat	st;

	if (stat("/proc/self/ns/net", &st) != 0)
		return (-errno);
	*dev = st.st_dev;
	*ino = st.st_ino;
	return (0);
}

static int
netns_enter_path(const char *path, uint64_t want_dev, uint64_t want_ino,
    int *saved)
{
	struct stat	st;
	int		fd, self, e;

	*saved = -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-errno);
	if (fstat(fd, &st) != 0 || (want_ino != 0 &&
	    (st.st_ino != want_ino || st.st_dev != want_dev))) {
		close(fd);
		return (-ESTALE);
	}
	if ((self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) {
		e = -errno;
		close(fd);
		return (e);
	}
	if (setns(fd, CLONE_NEWNET) != 0) {
		e = -errno;
		close(fd);
		close(self);
		return (e);
	}
	close(fd);
	*saved = self;
	return (0);
}

/*
 * Enter --netns NAME or --pid PID (neither: stay). *saved is what
 * netns_leave() goes back to.
 */
int
netns_enter(const char *name, pid_t pid, int *saved, char *err,
    size_t errlen)
{
	char	path[PATH_MAX];
	int	r;

	*saved = -1;
	if (name != NULL && *name != '\0')
		snprintf(path, sizeof path, "/run/netns/%s", name);
	else if (pid > 0)
		snprintf(path, sizeof path, "/proc/%ld/ns/net", (long)pid);
	else
		return (0);
	if ((r = netns_enter_path(path, 0, 0, saved)) == 0)
		return (0);
	if (name != NULL && *name != '\0' && r == -ENOENT)
		snprintf(err, errlen, "no network namespace '%s' (%s does "
		    "not exist; see ip-netns(8))", name, path);
	else if (r == -ENOENT)
		snprintf(err, errlen, "no process %ld (%s does not exist)",
		    (long)pid, path);
	else if (r == -EPERM)
		snprintf(err, errlen, "cannot enter %s: %s (chaosd needs "
		    "CAP_SYS_ADMIN for that)", path, strerror(-r));
	else
		snprintf(err, errlen, "cannot enter %s: %s", path,
		    strerror(-r));
	return (r);
}

/*
 * Enter the namespace a journal entry was made in. The namespace is
 * checked by inode, so a recycled pid or a re-created name is not
 * mistaken for it. -ENOENT: the namespace is gone (and with it what was
 * done there).
 */
int
netns_enter_entry(const struct net_entry *j, int *saved, char *err,
    size_t errlen)
{
	char		 path[PATH_MAX];
	uint64_t	 dev = 0, ino = 0;
	DIR		*d;
	struct dirent	*de;
	int		 r;

	*saved = -1;
	if (netns_self(&dev, &ino) == 0 && dev == j->ns_dev &&
	    ino == j->ns_ino)
		return (0);
	if (j->netns[0] != '\0') {
		snprintf(path, sizeof path, "/run/netns/%s", j->netns);
		if (netns_enter_path(path, j->ns_dev, j->ns_ino, saved) == 0)
			return (0);
	}
	if (j->nspid > 0) {
		snprintf(path, sizeof path, "/proc/%ld/ns/net",
		    (long)j->nspid);
		if (netns_enter_path(path, j->ns_dev, j->ns_ino, saved) == 0)
			return (0);
	}
	if (j->owner > 0) {
		snprintf(path, sizeof path, "/proc/%ld/ns/net",
		    (long)j->owner);
		if (netns_enter_path(path, j->ns_dev, j->ns_ino, saved) == 0)
			return (0);
	}
	/* ip netns exec NAME chaosd ...: the namespace has a name. */
	if ((d = opendir("/run/netns")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "/run/netns/%s",
			    de->d_name);
			r = netns_enter_path(path, j->ns_dev, j->ns_ino,
			    saved);
			if (r == 0) {
				closedir(d);
				return (0);
			}
		}
		closedir(d);
	}
	snprintf(err, errlen, "its network namespace is gone");
	return (-ENOENT);
}

void
netns_leave(int saved)
{
	if (saved < 0)
		return;
	if (setns(saved, CLONE_NEWNET) != 0)
		fatal("cannot return to chaosd's own network namespace");
	close(saved);
}

/* ------------------------------------------------------------------ */
/* Links                                                               */
/* ------------------------------------------------------------------ */

int
link_index(struct nl_sock *sk, const char *name, char *err, size_t errlen)
{
	struct rtnl_link	*link = NULL;
	int			 r, ifindex;

	if ((r = rtnl_link_get_kernel(sk, 0, name, &link)) < 0) {
		if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV)
			snprintf(err, errlen, "unknown device '%s' (see 'ip "
			    "link')", name);
		else
			snprintf(err, errlen, "cannot look up device '%s': %s",
			    name, nl_geterror(r));
		return (-1);
	}
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return (ifindex);
}

/* 1: NAME exists and is of KIND; 0: it is not; -1: it does not exist. */
int
link_kind_is(struct nl_sock *sk, const char *name, const char *kind)
{
	struct rtnl_link	*link = NULL;
	const char		*type;
	int			 yes;

	if (rtnl_link_get_kernel(sk, 0, name, &link) < 0)
		return (-1);
	type = rtnl_link_get_type(link);
	yes = type != NULL && strcmp(type, kind) == 0;
	rtnl_link_put(link);
	return (yes);
}

int
link_add_ifb(struct nl_sock *sk, const char *name, char *err, size_t errlen)
{
	struct rtnl_link	*link;
	struct nl_msg		*msg = NULL;
	int			 r;

	if ((link = rtnl_link_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_link_set_name(link, name);
	if ((r = rtnl_link_set_type(link, "ifb")) < 0) {
		rtnl_link_put(link);
		snprintf(err, errlen, "libnl cannot make ifb links: %s",
		    nl_geterror(r));
		return (-EOPNOTSUPP);
	}
	rtnl_link_set_flags(link, IFF_UP);
	r = rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL,
	    &msg);
	rtnl_link_put(link);
	if (r < 0) {
		snprintf(err, errlen, "netlink: %s", nl_geterror(r));
		return (-EIO);
	}
	return (nl_talk(sk, msg, err, errlen));
}

/* Delete NAME if it is of KIND. 0 also when it is already gone. */
int
link_del(struct nl_sock *sk, const char *name, const char *kind)
{
	struct rtnl_link	*link;
	struct nl_msg		*msg = NULL;
	char			 err[256];
	int			 r;

	if ((r = link_kind_is(sk, name, kind)) < 0)
		return (0);
	if (r == 0)
		return (-EEXIST);	/* not ours: leave it */
	if ((link = rtnl_link_alloc()) == NULL)
		fatalx("out of memory");
	rtnl_link_set_name(link, name);
	r = rtnl_link_build_delete_request(link, &msg);
	rtnl_link_put(link);
	if (r < 0)
		return (-EIO);
	r = nl_talk(sk, msg, err, sizeof err);
	if (r == -ENODEV || r == -ENOENT)
		r = 0;
	return (r);
}
