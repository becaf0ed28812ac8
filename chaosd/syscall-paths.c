/*
 * syscall-paths.c: the paths a trapped syscall names, for path=: read
 * from the target's memory (process_vm_readv), made absolute against
 * its working directory or the directory descriptor argument (/proc),
 * made lexical, and trusted only if the notification is still valid
 * afterwards (the task may have died and its pid been reused meanwhile).
 */
#include "config.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "chaosd.h"
#include "syscall.h"

/* Read a NUL-terminated string from the target; page by page. */
static int
sys_read_string(pid_t pid, uint64_t addr, char *buf, size_t len)
{
	struct iovec	local, remote[PATH_MAX / 4096 + 2];
	uint64_t	a = addr, page = 4096, end;
	ssize_t		got;
	size_t		n = 0, left = len - 1;

	if (addr == 0)
		return (-1);
	while (left > 0 && n < sizeof remote / sizeof remote[0]) {
		end = (a / page + 1) * page;
		remote[n].iov_base = (void *)(uintptr_t)a;
		remote[n].iov_len = end - a < left ? (size_t)(end - a) : left;
		left -= remote[n].iov_len;
		a += remote[n].iov_len;
		n++;
	}
	local.iov_base = buf;
	local.iov_len = len - 1;
	got = process_vm_readv(pid, &local, 1, remote, n, 0);
	if (got <= 0)
		return (-1);
	buf[got] = '\0';
	if (memchr(buf, '\0', (size_t)got) == NULL)
		return (-1);	/* longer than PATH_MAX: cannot be a path */
	return (0);
}

/*
 * Lexically clean an absolute path (pathnorm.c, as the shim does), and
 * without a trailing '/': "dir/" names the directory.
 */
static void
sys_clean(char *path)
{
	size_t	len;

	path_normalize(path);
	len = strlen(path);
	if (len > 1 && path[len - 1] == '/')
		path[len - 1] = '\0';
}

/* The absolute path argument p (relative to dirfd argument d) names. */
static int
sys_one_path(const struct seccomp_notif *req, int p, int d, char *out)
{
	char	rel[PATH_MAX], link[64], base[PATH_MAX];
	ssize_t	n;
	size_t	len;
	int	dirfd;

	if (sys_read_string((pid_t)req->pid, req->data.args[p], rel,
	    sizeof rel) != 0)
		return (-1);
	if (rel[0] == '/') {
		memcpy(out, rel, strlen(rel) + 1);
		sys_clean(out);
		return (0);
	}
	dirfd = d >= 0 ? (int)(uint32_t)req->data.args[d] : AT_FDCWD;
	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof link, "/proc/%u/cwd", req->pid);
	else
		snprintf(link, sizeof link, "/proc/%u/fd/%d", req->pid, dirfd);
	if ((n = readlink(link, base, sizeof base - 1)) <= 0)
		return (-1);
	base[n] = '\0';
	len = strlen(rel);
	if ((size_t)n + 1 + len + 1 > PATH_MAX)
		return (-1);
	memcpy(out, base, (size_t)n);
	out[n] = '/';
	memcpy(out + n + 1, rel, len + 1);
	sys_clean(out);
	return (0);
}

/* The paths a trapped call names, if it still waits (listener: its fd). */
void
sys_load_paths(int listener, const struct seccomp_notif *req,
    struct sys_paths *ps)
{
	int	p, d, p2, d2;
	__u64	id = req->id;

	ps->done = 1;
	if (!sys_path_args((int)req->data.nr, &p, &d, &p2, &d2))
		return;
	if (sys_one_path(req, p, d, ps->path[ps->n]) == 0)
		ps->n++;
	if (p2 >= 0 && sys_one_path(req, p2, d2, ps->path[ps->n]) == 0)
		ps->n++;
	/* What was read belongs to the task only if it still waits. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) != 0)
		ps->gone = 1;
}

/* Does one of the paths match the rule's path= glob? */
int
sys_path_match(const struct syscall_rule *r, const struct sys_paths *ps)
{
	int	i;

	for (i = 0; i < ps->n; i++) {
		if (fnmatch(r->path, ps->path[i], 0) == 0)
			return (1);
	}
	return (0);
}
