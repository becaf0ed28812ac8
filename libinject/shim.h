/*
 * shim.h: libinject.so's internals: the hot path, the call descriptor a
 * hook fills, the wrapper generator, descriptor tracking and logging.
 *
 * The dormant path of every hook is: one relaxed load of shim_armed[id],
 * found zero, then a call of the real function. Everything else happens
 * in shim_before()/shim_after(), out of line.
 */
#ifndef SHIM_H
#define SHIM_H

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "chaos.h"

/*
 * Every wrapper's dormant path (a load, a test, a call) sits together in
 * .text.hot.shim, which the linker places at the head of the code, beside
 * the constructor: a program's first calls through the shim touch one or
 * two pages of it, not one in each 64 KiB of the library (issue #15).
 */
#define SHIM_HOT __attribute__((section(".text.hot.shim")))
#define SHIM_EXPORT __attribute__((visibility("default"))) SHIM_HOT
#define SHIM_LIKELY(x) __builtin_expect(!!(x), 1)
#define SHIM_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* shim_armed[id]: the ARMED_* bits of chaos.h; a page, so that a fault
 * table's shared page can be mapped in its place */
extern _Atomic unsigned char shim_armed[TABLE_PAGE];
extern void *shim_real[HOOK_COUNT];

/*
 * What a hook knows about one call. Fields a hook does not set stay zero;
 * hook_table[id].flags says which are meaningful.
 */
struct shim_call {
	/* ints first: the struct is zeroed on every armed call, keep it small */
	int		 hook;
	int		 fd;		/* F_FD */
	int		 fd2;		/* F_FD2: the other end of a copy */
	int		 dirfd;		/* F_AT */
	int		 dirfd2;	/* F_AT, for path2 */
	socklen_t	 addrlen;
	int		 rule;		/* filled by shim_before(): the rule that fired */
	int		 err;		/* errno (or EAI code) to fail with */
	unsigned	 after;		/* AFTER_* work for shim_after() */
	uint32_t	 corrupt_bits;	/* for AFTER_CORRUPT */
	FILE		*fp;		/* F_FILE */
	const char	*path;		/* F_PATH */
	const char	*path2;		/* second path (rename, link) */
	const void	*buf;		/* F_IN/F_OUT data */
	void		*lenp;		/* length to cut: size_t *, int * with F_STR */
	const struct iovec **iovp;	/* F_IOV */
	int		*iovcntp;
	const struct sockaddr *addr;	/* F_ADDR */
	const char	*host;		/* F_HOST */
	size_t		 size;		/* item size, F_ITEMS */
	long long	 retval;	/* filled by shim_before() */
};

/* shim_before() verdicts */
#define SHIM_PASS	0	/* call the real function */
#define SHIM_FAIL	1	/* return failval with errno = call.err */
#define SHIM_RETVAL	2	/* return call.retval (errno set if err) */

/* shim.c */
void	*shim_resolve(int hook);
void	*shim_next(const char *name);
const char *shim_exe(void);
int	 shim_before(struct shim_call *);
void	 shim_after(struct shim_call *, long ret);

/*
 * For hand-written hooks returning int (-1 and errno on failure): the
 * armed path's verdict. Returns it; unless SHIM_PASS, *ret is what the
 * hook returns, errno already set.
 */
static inline int
shim_int_verdict(struct shim_call *c, int *ret)
{
	int v = shim_before(c);

	*ret = 0;
	if (v == SHIM_FAIL) {
		errno = c->err;
		*ret = -1;
	} else if (v == SHIM_RETVAL) {
		if (c->err)
			errno = c->err;
		*ret = (int)c->retval;
	}
	return v;
}

/* failure helpers used in failval expressions (hook-*.c) */
size_t	 shim_stdio_fail(FILE *, long value);
char	*shim_stdio_failp(FILE *);
int	 shim_fail_close(int fd);
int	 shim_fail_fclose(FILE *);
int	 shim_fail_closedir(void *dir);
int	 shim_eai_fail(struct shim_call *);
void	*shim_herr_fail(struct shim_call *);

/*
 * The thread-local guard: non-zero while the shim makes a call of its own
 * that may come back into a hook (fnmatch allocating, the constructor
 * reading rule files, rebuilding from a fault table), and never anywhere
 * else, so that a signal handler interrupting the shim is still faulted.
 * Initial-exec TLS: no allocation on first touch.
 */
extern __thread int shim_guard;

/*
 * Generate one wrapper. `failval` may use `call`. The real function is
 * reached through shim_real[], resolved (dlsym) at its first call: a
 * process pays only for the functions it uses. The first call, dormant,
 * resolves it in shim_first_*, beside the wrapper in the hot section; the
 * armed path lives in shim_slow_*, so that the dormant one stays a load,
 * a test and a tail call.
 */
#define SHIM_REAL(name, ret, params)					\
	((ret (*) params)(SHIM_LIKELY(shim_real[HID_##name] != NULL) ?	\
	    shim_real[HID_##name] : shim_resolve(HID_##name)))

#define SHIM_WRAPPER(name, ret, params, args, failval, ...)		\
	static __attribute__((noinline)) ret shim_slow_##name params;	\
	static __attribute__((noinline)) SHIM_HOT ret			\
	    shim_first_##name params;					\
	SHIM_EXPORT ret name params;					\
	SHIM_EXPORT ret name params					\
	{								\
		void *fn_ = shim_real[HID_##name];			\
		if (SHIM_LIKELY(atomic_load_explicit(&shim_armed[HID_##name], \
		    memory_order_relaxed) == 0 && fn_ != NULL))		\
			return ((ret (*) params)fn_) args;		\
		return shim_first_##name args;				\
	}								\
	static SHIM_HOT ret shim_first_##name params			\
	{								\
		void *fn_;						\
		if (atomic_load_explicit(&shim_armed[HID_##name],	\
		    memory_order_relaxed) == 0 &&			\
		    (fn_ = shim_resolve(HID_##name)) != NULL)		\
			return ((ret (*) params)fn_) args;		\
		return shim_slow_##name args;				\
	}								\
	static ret shim_slow_##name params				\
	{								\
		struct shim_call call = { .hook = HID_##name,		\
		    .rule = -1, __VA_ARGS__ };				\
		if (atomic_load_explicit(&shim_armed[HID_##name],	\
		    memory_order_relaxed) == 0)				\
			return SHIM_REAL(name, ret, params) args;	\
		switch (shim_before(&call)) {				\
		case SHIM_FAIL:						\
			errno = call.err;				\
			return (ret)(failval);				\
		case SHIM_RETVAL:					\
			if (call.err)					\
				errno = call.err;			\
			return (ret)(intptr_t)call.retval;		\
		}							\
		ret r_ = SHIM_REAL(name, ret, params) args;		\
		if (call.after)						\
			shim_after(&call, (long)(intptr_t)r_);		\
		return r_;						\
	}

/* shim_call.after bits */
#define AFTER_TRACK	1u	/* update the descriptor table */
#define AFTER_CORRUPT	2u	/* flip bits in what was read */

/*
 * The compiled rule set (shim.c), read by decide.c: the process's own
 * rules (CHAOS_INJECT, CHAOS_INJECT_FILE) followed by the fault table's.
 * A new state is built whenever the table changes and published through
 * shim.cur; a retired state is not reused for a second, and decide()
 * copies the rule it fires, so no call reads a state being rebuilt.
 */
struct shim_rule {
	uint64_t	 threshold;	/* trigger_threshold(probability) */
	int		 from_table;	/* obeys the table's kill switch, deadline */
	uint64_t	 base_ns;	/* start/for origin, CLOCK_MONOTONIC */
	_Atomic uint64_t *matched;	/* private, or shared: the triggers' */
	_Atomic uint64_t *injected;
	_Atomic uint64_t *pmatched;	/* this process's own: the summary's */
	_Atomic uint64_t *pinjected;
};

struct shim_state {
	struct rule_set	 rules;
	struct shim_rule comp[RULE_MAX];
	uint64_t	 hook_rules[HOOK_COUNT];	/* rule mask per hook */
	uint64_t	 rules_gen;
	uint64_t	 deadline_ns;	/* table rules: CLOCK_MONOTONIC */
	uint64_t	 retired_ns;	/* when it stopped being current */
};

struct shim_global {
	struct shim_state *_Atomic cur;
	struct fault_table *table;	/* CHAOS_TABLE, or NULL */
	struct fault_reach *reach;	/* its reach file, or NULL */
	struct table_counter *counters;	/* where we count the table's rules */
	int		 table_ro;	/* never write the table */
	uint64_t	 seed;
	uint64_t	 fork_gen;
	uint64_t	 threads;
};

extern struct shim_global shim;
extern __thread int shim_resolving;	/* inside dlsym: serve from the arena */

/* shim.c */
struct prng *shim_prng(void);
uint64_t shim_now_ns(void);
int	 shim_publish(const struct rule_set *tset,
	    const struct table_state *ts);
int	 shim_state_free(void);	/* a state can be built now */
int	 shim_own_rules(void);	/* how many rules of its own */

/* shim-table.c: CHAOS_TABLE, CHAOS_TABLE_FD */
void	 shim_table_attach(const char *path, const char *fds);
void	 shim_table_refresh(void);
void	 shim_table_forget(void);	/* rebuild from the table next time */

/* decide.c: filters, triggers and actions for one call */
int	 decide(struct shim_call *);
void	 corrupt_result(struct shim_call *, long ret);
int	 fnmatch_chaos(const char *pattern, const char *string);

/* fdtab.c: what each descriptor refers to */
#define FDT_PATH_MAX 1024
void	 fdtab_set_path(int fd, const char *abs_path);
void	 fdtab_set_peer(int fd, const struct sockaddr *, socklen_t);
void	 fdtab_dup(int from, int to);
void	 fdtab_clear(int fd);
void	 fdtab_invalidate(void);
const char *fdtab_path(int fd);			/* NULL if unknown */
int	 fdtab_peer(int fd, struct sockaddr_storage *, socklen_t *);
unsigned fdtab_type(int fd);			/* FDTYPE_*, 0 unknown */
uint64_t fdtab_rejects(int fd, uint64_t rules_gen);
int	 fdtab_match_path(int fd, uint64_t rules_gen, int rule,
	    const char *pattern);
int	 path_absolute(int dirfd, const char *path, char *out, size_t len);

/* shim-sigbus.c: SIGBUS from mappings whose file was cut short */
#define SIGBUS_TABLE	0	/* the fault table, and its armed page */
#define SIGBUS_REACH	1
#define SIGBUS_FILES	2
int	 shim_sigbus_watch(int file, void *addr, size_t len,
	    const unsigned char *fill, const char *line);
void	 shim_sigbus_replace(int file);
int	 shim_sigbus_gone(int file);

/* shim-log.c: every line the shim writes (CHAOS_LOG, CHAOS_LOG_FD) */
void	 shim_log_open(const char *spec, const char *fdspec);
int	 shim_logging(void);
void	 shim_log_injection(const struct rule *, const struct shim_call *,
	    int from_table);
void	 shim_log_summary(int again);
void	 shim_exec_summary(void);
void	 shim_field(char *dst, size_t len, const char *value);
int	 shim_line_prefix(char *buf, size_t len);
void	 shim_warn(const char *fmt, ...)	/* refused, gone, error */
	    __attribute__((format(printf, 1, 2)));
void	 shim_log(const char *fmt, ...)		/* attached, summary */
	    __attribute__((format(printf, 1, 2)));
void	 shim_warn_raw(const char *line, size_t len);

#endif
