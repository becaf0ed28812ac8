/*
 * syscall.h: the syscall-fault subsystem's own data (seccomp).
 *
 * The files that share it: syscall-rule.c parses rules into struct
 * syscall_rule (syscall-names.c resolving names), seccomp.c compiles them
 * into one BPF program (in-kernel SCMP_ACT_ERRNO where it can,
 * SCMP_ACT_NOTIFY for the rest) and loads it in the child, supervisor.c
 * answers the notifications in the parent (syscall-paths.c reading the
 * paths path= looks at), kind-syscall.c is the [syscall.NAME] kind.
 * Everything else in chaosd sees only the small API in chaosd.h.
 */
#ifndef CHAOSD_SYSCALL_H
#define CHAOSD_SYSCALL_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "chaos.h"

#define SYS_RULE_MAX	RULE_MAX
#define SYS_CALLS_MAX	64	/* syscalls named by one rule */
#define SYS_NR_MAX	1024	/* native syscall numbers are below this */
#define SYS_CMP_MAX	6	/* one comparison per argument */

enum sys_op {
	SYS_EQ, SYS_NE, SYS_LT, SYS_LE, SYS_GT, SYS_GE, SYS_MASKED_EQ
};

struct sys_cmp {
	int		arg;	/* 0..5 */
	enum sys_op	op;
	uint64_t	mask;	/* SYS_MASKED_EQ */
	uint64_t	value;
};

struct syscall_rule {
	char		name[RULE_NAME_MAX];
	int		nsys;
	int		sys[SYS_CALLS_MAX];	/* native numbers */
	unsigned	actions;		/* ACT_ERROR ACT_RETVAL ACT_DELAY ACT_SIGNAL */

	int		error;
	long long	retval;
	uint64_t	delay_ns;
	uint64_t	jitter_ns;
	int		signal;
	int		kill;			/* kill given: SIGKILL, set by
						   syscall_rule_check */

	double		probability;		/* 0..1, default 1 */
	uint64_t	nth;
	uint64_t	after;
	uint64_t	count;			/* 0: unlimited */

	int		ncmp;
	struct sys_cmp	cmp[SYS_CMP_MAX];
	int		has_path;
	char		path[RULE_PATH_MAX];	/* fnmatch(3) glob, absolute */

	/* supervisor.c: touched by its receiving thread only */
	uint64_t	matched;
	uint64_t	injected;
	uint64_t	threshold;		/* trigger_threshold(probability) */
	int		in_kernel;		/* seccomp.c: compiled to ERRNO */
};

struct sys_supervisor;

struct syscall_faults {
	int			 n;
	struct syscall_rule	 rule[SYS_RULE_MAX];

	/* seccomp.c: the program, built before fork */
	void			*prog;		/* struct sock_filter[] */
	unsigned		 proglen;
	int			 notify;	/* some rule needs the supervisor */
	int			 counted;	/* every rule supervised: counted
						   (chaosd run's proof) */
	int			 sock[2];	/* fd hand-off: [0] parent, [1] child */
	unsigned		 load_flags;	/* SECCOMP_FILTER_FLAG_* */

	/* supervisor.c */
	struct sys_supervisor	*sup;
};

/* syscall-paths.c: what the path filter learned about one notification */
#define SYS_PATHS	2
struct sys_paths {
	int	done;
	int	gone;		/* the notification died meanwhile */
	int	n;
	char	path[SYS_PATHS][PATH_MAX];
};
struct seccomp_notif;
void	sys_load_paths(int listener, const struct seccomp_notif *,
	    struct sys_paths *);
int	sys_path_match(const struct syscall_rule *, const struct sys_paths *);

/* syscall-rule.c */
int	sys_resolve(const char *name, char *err, size_t errlen);
const char *sys_name(int nr, char *buf, size_t len);
int	sys_path_args(int nr, int *path, int *dirfd, int *path2, int *dirfd2);
int	sys_rule_in_kernel(const struct syscall_rule *);
int	sys_rule_has(const struct syscall_rule *, int nr);

#endif
