/*
 * syscall-names.c: native syscalls by name and number (libseccomp's
 * tables, with a did-you-mean), and which of them name files in which
 * arguments, for path= (syscall-rule.c checks it, supervisor.c reads the
 * paths).
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "syscall.h"

/*
 * Syscalls that name files, and which arguments do: the path, the
 * directory descriptor it is relative to (-1: the working directory),
 * and a second path for the two-path calls. path= looks at both.
 */
static const struct sys_path_call {
	const char	*name;
	signed char	 path, dirfd, path2, dirfd2;
} sys_path_calls[] = {
	{ "open", 0, -1, -1, -1 },
	{ "creat", 0, -1, -1, -1 },
	{ "openat", 1, 0, -1, -1 },
	{ "openat2", 1, 0, -1, -1 },
	{ "open_by_handle_at", -1, -1, -1, -1 },
	{ "stat", 0, -1, -1, -1 },
	{ "lstat", 0, -1, -1, -1 },
	{ "newfstatat", 1, 0, -1, -1 },
	{ "fstatat64", 1, 0, -1, -1 },
	{ "statx", 1, 0, -1, -1 },
	{ "statfs", 0, -1, -1, -1 },
	{ "access", 0, -1, -1, -1 },
	{ "faccessat", 1, 0, -1, -1 },
	{ "faccessat2", 1, 0, -1, -1 },
	{ "execve", 0, -1, -1, -1 },
	{ "execveat", 1, 0, -1, -1 },
	{ "chdir", 0, -1, -1, -1 },
	{ "chroot", 0, -1, -1, -1 },
	{ "mkdir", 0, -1, -1, -1 },
	{ "mkdirat", 1, 0, -1, -1 },
	{ "rmdir", 0, -1, -1, -1 },
	{ "unlink", 0, -1, -1, -1 },
	{ "unlinkat", 1, 0, -1, -1 },
	{ "rename", 0, -1, 1, -1 },
	{ "renameat", 1, 0, 3, 2 },
	{ "renameat2", 1, 0, 3, 2 },
	{ "link", 0, -1, 1, -1 },
	{ "linkat", 1, 0, 3, 2 },
	{ "symlink", 1, -1, -1, -1 },
	{ "symlinkat", 2, 1, -1, -1 },
	{ "readlink", 0, -1, -1, -1 },
	{ "readlinkat", 1, 0, -1, -1 },
	{ "truncate", 0, -1, -1, -1 },
	{ "chmod", 0, -1, -1, -1 },
	{ "fchmodat", 1, 0, -1, -1 },
	{ "fchmodat2", 1, 0, -1, -1 },
	{ "chown", 0, -1, -1, -1 },
	{ "lchown", 0, -1, -1, -1 },
	{ "fchownat", 1, 0, -1, -1 },
	{ "mknod", 0, -1, -1, -1 },
	{ "mknodat", 1, 0, -1, -1 },
	{ "utime", 0, -1, -1, -1 },
	{ "utimes", 0, -1, -1, -1 },
	{ "futimesat", 1, 0, -1, -1 },
	{ "utimensat", 1, 0, -1, -1 },
	{ "setxattr", 0, -1, -1, -1 },
	{ "lsetxattr", 0, -1, -1, -1 },
	{ "getxattr", 0, -1, -1, -1 },
	{ "lgetxattr", 0, -1, -1, -1 },
	{ "listxattr", 0, -1, -1, -1 },
	{ "llistxattr", 0, -1, -1, -1 },
	{ "removexattr", 0, -1, -1, -1 },
	{ "lremovexattr", 0, -1, -1, -1 },
	{ "inotify_add_watch", 1, -1, -1, -1 },
	{ "name_to_handle_at", 1, 0, -1, -1 },
	{ "mount", 1, -1, -1, -1 },
	{ "umount2", 0, -1, -1, -1 },
	{ "swapon", 0, -1, -1, -1 },
	{ "swapoff", 0, -1, -1, -1 },
	{ "acct", 0, -1, -1, -1 },
	{ "uselib", 0, -1, -1, -1 },
};

/* Per native number: path, dirfd, path2, dirfd2 (-1: none). */
static signed char	sys_pathtab[SYS_NR_MAX][4];
static pthread_once_t	sys_pathtab_once = PTHREAD_ONCE_INIT;

static void
sys_pathtab_init(void)
{
	size_t	i;
	int	nr;

	memset(sys_pathtab, -1, sizeof sys_pathtab);
	for (i = 0; i < sizeof sys_path_calls / sizeof sys_path_calls[0]; i++) {
		nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE,
		    sys_path_calls[i].name);
		if (nr < 0 || nr >= SYS_NR_MAX)
			continue;
		sys_pathtab[nr][0] = sys_path_calls[i].path;
		sys_pathtab[nr][1] = sys_path_calls[i].dirfd;
		sys_pathtab[nr][2] = sys_path_calls[i].path2;
		sys_pathtab[nr][3] = sys_path_calls[i].dirfd2;
	}
}

/* 1 if syscall nr takes a path; its argument indexes (-1: none). */
int
sys_path_args(int nr, int *path, int *dirfd, int *path2, int *dirfd2)
{
	pthread_once(&sys_pathtab_once, sys_pathtab_init);
	if (nr < 0 || nr >= SYS_NR_MAX || sys_pathtab[nr][0] < 0)
		return (0);
	*path = sys_pathtab[nr][0];
	*dirfd = sys_pathtab[nr][1];
	*path2 = sys_pathtab[nr][2];
	*dirfd2 = sys_pathtab[nr][3];
	return (1);
}

const char *
sys_name(int nr, char *buf, size_t len)
{
	char	*name;

	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	if (name != NULL) {
		strlcpy_chaos(buf, name, len);
		free(name);
	} else
		snprintf(buf, len, "syscall %d", nr);
	return (buf);
}

static const char *
sys_arch_name(void)
{
	switch (seccomp_arch_native()) {
	case SCMP_ARCH_X86_64:	return ("x86_64");
	case SCMP_ARCH_X86:	return ("x86");
	case SCMP_ARCH_AARCH64:	return ("aarch64");
	case SCMP_ARCH_ARM:	return ("arm");
	case SCMP_ARCH_RISCV64:	return ("riscv64");
	case SCMP_ARCH_PPC64LE:	return ("ppc64le");
	case SCMP_ARCH_S390X:	return ("s390x");
	default:		return ("this architecture");
	}
}

/* A native syscall number for a name (or a number), or -1 with err. */
int
sys_resolve(const char *name, char *err, size_t errlen)
{
	const char	*names[SYS_NR_MAX];
	char		*owned[SYS_NR_MAX];
	char		 esc[128];
	uint64_t	 v;
	int		 nr, n = 0, i;

	log_excerpt(esc, sizeof esc, name);
	if (isdigit((unsigned char)*name)) {
		if (parse_uint(name, SYS_NR_MAX - 1, &v, err, errlen) != 0)
			return (-1);
		return ((int)v);
	}
	nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
	if (nr >= 0 && nr < SYS_NR_MAX)
		return (nr);
	if (nr != __NR_SCMP_ERROR) {
		snprintf(err, errlen, "syscall '%s' does not exist on %s",
		    esc, sys_arch_name());
		return (-1);
	}
	for (i = 0; i < SYS_NR_MAX; i++) {
		owned[n] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
		    i);
		if (owned[n] != NULL) {
			names[n] = owned[n];
			n++;
		}
	}
	i = did_you_mean(name, names, n);
	if (i >= 0)
		snprintf(err, errlen, "unknown syscall '%s' (did you mean "
		    "'%s'?)", esc, names[i]);
	else
		snprintf(err, errlen, "unknown syscall '%s'", esc);
	for (i = 0; i < n; i++)
		free(owned[i]);
	return (-1);
}
