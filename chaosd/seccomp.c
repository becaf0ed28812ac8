/*
 * seccomp.c: compile syscall rules into one seccomp BPF program and load
 * it in the child, between fork and exec.
 *
 * - A syscall covered by exactly one rule that is a fixed error (no
 *   trigger, no path; argument comparisons are fine) becomes an in-kernel
 *   SCMP_ACT_ERRNO rule: the supervisor never hears of those calls.
 * - Every other covered syscall becomes SCMP_ACT_NOTIFY (with the rules'
 *   argument comparisons in BPF when every rule on it has some, so calls
 *   that cannot match never leave the kernel), answered by supervisor.c.
 * - Calls of a foreign architecture (a 64-bit program's int 0x80, x32)
 *   are let through untouched: the numbers would mean other syscalls.
 *
 * libseccomp builds the program and chaosd loads it with seccomp(2)
 * itself, after setting NO_NEW_PRIVS, so that it can put one check in
 * front: the child's sendmsg on the hand-off socket, which passes the
 * notification descriptor to the parent, is always allowed. Were it
 * trapped, the child would wait for a supervisor that is waiting for
 * that very descriptor.
 */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chaosd.h"
#include "syscall.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER	(1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW		(1UL << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL		2
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF			0x7fc00000U
#endif

#define SYS_PREFIX_LEN	9

/*
 * Can this kernel (and this libseccomp) answer syscalls from user space,
 * with SECCOMP_USER_NOTIF_FLAG_CONTINUE? 1, or 0 with the reason.
 */
int
syscall_faults_supported(char *why, size_t len)
{
	uint32_t	action = SECCOMP_RET_USER_NOTIF;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		snprintf(why, len, "the kernel has no seccomp "
		    "(CONFIG_SECCOMP_FILTER)");
		return (0);
	}
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0) {
		snprintf(why, len, "the kernel cannot pass syscalls to a "
		    "supervisor (seccomp user notification, Linux 5.0+): %s",
		    strerror(errno));
		return (0);
	}
	if (seccomp_api_get() < 6) {
		snprintf(why, len, "seccomp user notification needs "
		    "SECCOMP_USER_NOTIF_FLAG_CONTINUE (Linux 5.5+; libseccomp "
		    "API level %u here, 6 needed)", seccomp_api_get());
		return (0);
	}
	snprintf(why, len, "with CONTINUE; libseccomp %u.%u.%u, API level "
	    "%u",
	    seccomp_version()->major, seccomp_version()->minor,
	    seccomp_version()->micro, seccomp_api_get());
	return (1);
}

static void
sys_cmps(const struct syscall_rule *r, struct scmp_arg_cmp *c)
{
	static const enum scmp_compare ops[] = {
		[SYS_EQ] = SCMP_CMP_EQ, [SYS_NE] = SCMP_CMP_NE,
		[SYS_LT] = SCMP_CMP_LT, [SYS_LE] = SCMP_CMP_LE,
		[SYS_GT] = SCMP_CMP_GT, [SYS_GE] = SCMP_CMP_GE,
		[SYS_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	int	i;

	for (i = 0; i < r->ncmp; i++) {
		c[i].arg = (unsigned)r->cmp[i].arg;
		c[i].op = ops[r->cmp[i].op];
		if (r->cmp[i].op == SYS_MASKED_EQ) {
			c[i].datum_a = r->cmp[i].mask;
			c[i].datum_b = r->cmp[i].value;
		} else {
			c[i].datum_a = r->cmp[i].value;
			c[i].datum_b = 0;
		}
	}
}

static int
sys_add(scmp_filter_ctx ctx, uint32_t action, int nr,
    const struct syscall_rule *r, char *err, size_t errlen)
{
	struct scmp_arg_cmp	c[SYS_CMP_MAX] = { { 0 } };
	char			name[64];
	int			rc;

	if (r != NULL)
		sys_cmps(r, c);
	rc = seccomp_rule_add_exact_array(ctx, action, nr,
	    r != NULL ? (unsigned)r->ncmp : 0, c);
	if (rc != 0) {
		snprintf(err, errlen, "syscall rule '%s': libseccomp refused "
		    "%s%s: %s", r != NULL ? r->name : "?",
		    sys_name(nr, name, sizeof name),
		    r != NULL && r->ncmp > 0 ? " with these comparisons" : "",
		    strerror(-rc));
		return (-1);
	}
	return (0);
}

/* Compile the rules into sf->prog; 0, or -1 with err (nothing to undo). */
static int
sys_compile(struct syscall_faults *sf, scmp_filter_ctx ctx, char *err,
    size_t errlen)
{
	int	 seen[SYS_NR_MAX] = { 0 };
	int	 covering[SYS_RULE_MAX];
	int	 i, j, k, nr, n, all_cmp;

	for (i = 0; i < sf->n; i++)
		sf->rule[i].in_kernel = !sf->counted &&
		    sys_rule_in_kernel(&sf->rule[i]);
	for (i = 0; i < sf->n; i++) {
		for (j = 0; j < sf->rule[i].nsys; j++) {
			nr = sf->rule[i].sys[j];
			if (seen[nr])
				continue;
			seen[nr] = 1;
			n = 0;
			all_cmp = 1;
			for (k = i; k < sf->n; k++) {
				if (!sys_rule_has(&sf->rule[k], nr))
					continue;
				covering[n++] = k;
				if (sf->rule[k].ncmp == 0)
					all_cmp = 0;
			}
			if (n == 1 && sf->rule[i].in_kernel) {
				if (sys_add(ctx, SCMP_ACT_ERRNO((unsigned)
				    sf->rule[i].error), nr, &sf->rule[i], err,
				    errlen) != 0)
					return (-1);
				continue;
			}
			/* this syscall goes to the supervisor */
			for (k = 0; k < n; k++)
				sf->rule[covering[k]].in_kernel = 0;
			sf->notify = 1;
			if (!all_cmp) {
				if (sys_add(ctx, SCMP_ACT_NOTIFY, nr, NULL, err,
				    errlen) != 0)
					return (-1);
				continue;
			}
			for (k = 0; k < n; k++) {
				if (sys_add(ctx, SCMP_ACT_NOTIFY, nr,
				    &sf->rule[covering[k]], err, errlen) != 0)
					return (-1);
			}
		}
	}
	return (0);
}

/* seccomp_export_bpf writes to a descriptor: read it back from a memfd. */
static int
sys_export(struct syscall_faults *sf, scmp_filter_ctx ctx, size_t pre,
    char *err, size_t errlen)
{
	struct sock_filter	*prog;
	off_t			 size;
	ssize_t			 got;
	size_t			 n, done = 0;
	int			 fd, rc;

	if ((fd = memfd_create("chaosd-bpf", MFD_CLOEXEC)) < 0) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		return (-1);
	}
	if ((rc = seccomp_export_bpf(ctx, fd)) != 0) {
		snprintf(err, errlen, "exporting the seccomp program: %s",
		    strerror(-rc));
		goto fail;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof *prog != 0) {
		snprintf(err, errlen, "exporting the seccomp program: bad "
		    "size %lld", (long long)size);
		goto fail;
	}
	n = (size_t)size / sizeof *prog;
	if (n + pre > BPF_MAXINSNS) {
		snprintf(err, errlen, "the seccomp program is too long (%zu "
		    "instructions, at most %d): use fewer rules or "
		    "comparisons", n + pre, BPF_MAXINSNS);
		goto fail;
	}
	prog = xcalloc(n + pre, sizeof *prog);
	while (done < (size_t)size) {
		got = pread(fd, (char *)(prog + pre) + done,
		    (size_t)size - done, (off_t)done);
		if (got <= 0) {
			snprintf(err, errlen, "reading the seccomp program: %s",
			    got < 0 ? strerror(errno) : "short read");
			free(prog);
			goto fail;
		}
		done += (size_t)got;
	}
	close(fd);
	sf->prog = prog;
	sf->proglen = (unsigned)(n + pre);
	return (0);
fail:
	close(fd);
	return (-1);
}

/*
 * The check in front of libseccomp's program: native sendmsg(2) on the
 * child's end of the hand-off socket is allowed. Jumps are relative, so
 * libseccomp's program is unchanged behind it.
 */
static void
sys_prefix(struct syscall_faults *sf, int fd)
{
	struct sock_filter	*p = sf->prog;
	uint32_t		 lo = offsetof(struct seccomp_data, args[0]);
	uint32_t		 hi = lo + 4;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	lo = hi;
	hi = lo - 4;
#endif
	p[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	p[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    seccomp_arch_native(), 0, 7);
	p[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	p[3] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_sendmsg, 0, 5);
	p[4] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, lo);
	p[5] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    (uint32_t)fd, 0, 3);
	p[6] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, hi);
	p[7] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0,
	    1);
	p[8] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
}

/*
 * Before fork: build the program (and the hand-off socket when the
 * supervisor is needed). Errors here are rule errors: nothing has run.
 */
int
syscall_faults_prepare(struct syscall_faults *sf, char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	char		 why[256];
	int		 rc, i, need_notify = 0;

	if (sf == NULL || sf->n == 0)
		return (0);
	for (i = 0; i < sf->n; i++) {
		if (sf->counted || !sys_rule_in_kernel(&sf->rule[i]))
			need_notify = 1;
	}
	if (need_notify && !syscall_faults_supported(why, sizeof why)) {
		snprintf(err, errlen, "syscall rule '%s' needs the supervisor, "
		    "but %s", sf->rule[0].name, why);
		return (-1);
	}
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return (-1);
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	if (rc != 0) {
		snprintf(err, errlen, "seccomp: foreign-architecture action: "
		    "%s", strerror(-rc));
		goto fail;
	}
	if (sys_compile(sf, ctx, err, errlen) != 0 ||
	    sys_export(sf, ctx, sf->notify ? SYS_PREFIX_LEN : 0, err,
	    errlen) != 0)
		goto fail;
	seccomp_release(ctx);

	/*
	 * SPEC_ALLOW: a filter must not switch the speculative store
	 * bypass mitigation on (where the kernel would), which slows all of
	 * the target's code down: faults should be the only difference.
	 */
	sf->load_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (sf->notify) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sf->sock) != 0) {
			snprintf(err, errlen, "socketpair: %s",
			    strerror(errno));
			return (-1);
		}
		sf->load_flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER |
		    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		sys_prefix(sf, sf->sock[1]);
	}
	return (0);
fail:
	seccomp_release(ctx);
	return (-1);
}

/*
 * In the child, after fork and before exec: NO_NEW_PRIVS, load, hand
 * the notification descriptor to the parent. Only raw syscalls after the
 * load, and the hand-off first: no libc wrapper may sneak one in.
 * Returns 0, or -1 with errno.
 */
int
syscall_faults_child(struct syscall_faults *sf)
{
	struct sock_fprog	 prog;
	struct msghdr		 msg;
	struct cmsghdr		*cm;
	struct iovec		 iov;
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	}			 u;
	char			 byte = 'S';
	unsigned		 flags;
	long			 fd, rc;
	int			 saved;

	if (sf == NULL || sf->n == 0)
		return (0);
	flags = sf->load_flags;
	if (sf->notify)
		close(sf->sock[0]);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return (-1);

	memset(&prog, 0, sizeof prog);
	prog.len = (unsigned short)sf->proglen;
	prog.filter = sf->prog;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (fd < 0 && errno == EINVAL &&
	    (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
		/* before Linux 5.19: signals may restart a trapped call */
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
		    &prog);
	}
	if (fd < 0 && errno == EINVAL &&
	    (flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW)) {
		/* before Linux 4.17 */
		flags &= ~SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
		    &prog);
	}
	if (fd < 0 || !sf->notify)
		return (fd < 0 ? -1 : 0);

	/* From here on any syscall but this sendmsg may be trapped. */
	memset(&msg, 0, sizeof msg);
	memset(&u, 0, sizeof u);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &(int){ (int)fd }, sizeof(int));
	rc = syscall(SYS_sendmsg, sf->sock[1], &msg, MSG_NOSIGNAL);
	saved = errno;
	/* The supervisor answers these, if anything traps them. */
	close((int)fd);
	close(sf->sock[1]);
	errno = saved;
	return (rc == 1 ? 0 : -1);
}

void
syscall_faults_free(struct syscall_faults *sf)
{
	if (sf == NULL)
		return;
	if (sf->sock[0] >= 0)
		close(sf->sock[0]);
	if (sf->sock[1] >= 0)
		close(sf->sock[1]);
	free(sf->prog);
	free(sf);
}
