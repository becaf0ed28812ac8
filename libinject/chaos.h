/*
 * chaos.h: the fault model shared by libinject.so and chaosd.
 *
 * The rule language (one parser, used by chaosd, the shim and scenario
 * files), value parsers (durations, fractions, errno and signal names,
 * CIDRs, port ranges), the hook registry (which libc functions exist and
 * which groups they belong to), the PRNG and the counting INI reader.
 *
 * Nothing here allocates behind the caller's back or prints: errors are
 * written into a caller-supplied buffer, and the caller adds its context
 * (file:line, "CHAOS_INJECT:") and prints once.
 */
#ifndef CHAOS_H
#define CHAOS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ */
/* Hook registry (hooks.c, hooks-*.def)                                */
/* ------------------------------------------------------------------ */

/* Call groups (%open, %read, ...). */
#define G_OPEN	(1u << 0)
#define G_READ	(1u << 1)
#define G_WRITE	(1u << 2)
#define G_SYNC	(1u << 3)
#define G_CLOSE	(1u << 4)
#define G_STAT	(1u << 5)
#define G_FS	(1u << 6)
#define G_NET	(1u << 7)
#define G_DNS	(1u << 8)
#define G_MEM	(1u << 9)
#define G_PROC	(1u << 10)
#define G_NONE	0u
#define G_FILE	(G_OPEN | G_READ | G_WRITE | G_SYNC | G_CLOSE | G_STAT | G_FS)

/*
 * What a hook's arguments and result mean. The shim uses these to know
 * which filters it can evaluate and what to do after the real call; the
 * parser uses them to refuse actions that make no sense for a call.
 */
#define F_PATH	   (1u << 0)	/* call.path (and call.path2) name files */
#define F_AT	   (1u << 1)	/* call.dirfd is the base of call.path */
#define F_FD	   (1u << 2)	/* call.fd is a descriptor argument */
#define F_FILE	   (1u << 3)	/* call.fp is a FILE * argument */
#define F_ADDR	   (1u << 4)	/* call.addr is a peer address argument */
#define F_HOST	   (1u << 5)	/* call.host is a name being looked up */
#define F_IN	   (1u << 6)	/* moves data into call.buf (read, recv) */
#define F_OUT	   (1u << 7)	/* moves data out of call.buf (write) */
#define F_ITEMS	   (1u << 8)	/* *call.lenp counts items of call.size */
#define F_IOV	   (1u << 9)	/* data is call.iov[*call.iovcntp] */
#define F_STR	   (1u << 10)	/* data is a NUL-terminated string */
#define F_RET_FD   (1u << 11)	/* returns a new descriptor */
#define F_RET_FP   (1u << 12)	/* returns a new FILE * */
#define F_CLOSE	   (1u << 13)	/* releases call.fd / call.fp */
#define F_DUP	   (1u << 14)	/* result duplicates call.fd */
#define F_CONNECT  (1u << 15)	/* associates call.addr with call.fd */
#define F_PTR	   (1u << 16)	/* returns a pointer: retval= is refused */
#define F_ERRNUM   (1u << 17)	/* returns an error number, not -1/errno */
#define F_EAI	   (1u << 18)	/* returns an EAI_* code (getaddrinfo) */
#define F_VOID	   (1u << 19)	/* returns nothing: only delay/signal/exit */
#define F_NOFAIL   (1u << 20)	/* cannot fail (free): only delay/signal/exit */
#define F_FD2	   (1u << 21)	/* call.fd2 is a second descriptor (copies) */
#define F_EXEC	   (1u << 22)	/* replaces the process image: summary first */
#define F_DATA	   (F_IN | F_OUT)

enum hook_id {
#define HOOK(name, groups, flags, ...) HID_##name,
#define HOOK_ODD(name, groups, flags) HID_##name,
#include "hooks-file.def"
#include "hooks-net.def"
#include "hooks-dns.def"
#include "hooks-mem.def"
#include "hooks-proc.def"
#undef HOOK
#undef HOOK_ODD
	HOOK_COUNT
};

#define HOOK_WORDS ((HOOK_COUNT + 63) / 64)

#define HOOK_NAME_MAX	24	/* __fread_unlocked_chk and its NUL, with room */

/*
 * No pointers in the table: a table of pointers needs one relocation per
 * entry at every process start, and the pages it writes cost a fault each
 * in every process the shim is preloaded into (issue #15).
 */
struct hook_info {
	char	    name[HOOK_NAME_MAX];
	unsigned    groups;
	unsigned    flags;
};

/* hooks.c */
extern const struct hook_info hook_table[HOOK_COUNT];
int		 hook_find(const char *name);	/* id, or -1 */
unsigned	 group_find(const char *name);	/* "%read" -> G_READ, 0 */
const char	*group_name(unsigned group);	/* G_READ -> "%read" */

/* ------------------------------------------------------------------ */
/* Rules (rule.c)                                                      */
/* ------------------------------------------------------------------ */

#define RULE_MAX	64	/* rules armed at once, per process or table */
#define RULE_NAME_MAX	64
#define RULE_PATH_MAX	1024
#define RULE_GLOB_MAX	256
#define RULE_ERR_MAX	256	/* size of an error buffer */
#define RULE_TEXT_MAX	65536	/* longest CHAOS_INJECT accepted */

/* Actions. */
#define ACT_ERROR	(1u << 0)
#define ACT_RETVAL	(1u << 1)
#define ACT_DELAY	(1u << 2)
#define ACT_SIGNAL	(1u << 3)
#define ACT_EXIT	(1u << 4)
#define ACT_SHORT	(1u << 5)
#define ACT_CORRUPT	(1u << 6)

/* Filters present. */
#define FILT_PATH	(1u << 0)
#define FILT_ADDR	(1u << 1)
#define FILT_PORT	(1u << 2)
#define FILT_HOST	(1u << 3)
#define FILT_FDTYPE	(1u << 4)
#define FILT_EXE	(1u << 5)

/* fdtype= bits. */
#define FDTYPE_FILE	(1u << 0)	/* regular file, directory, device */
#define FDTYPE_SOCKET	(1u << 1)
#define FDTYPE_PIPE	(1u << 2)

struct cidr {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	addr[16];	/* network order, host bits cleared */
	uint8_t	prefix;		/* 0..32 or 0..128 */
};

/*
 * One rule. Plain data, no pointers: rules are copied into shared fault
 * tables and across exec through the environment.
 */
struct rule {
	char	 name[RULE_NAME_MAX];
	uint64_t calls[HOOK_WORDS];	/* bit per hook id */
	unsigned actions;		/* ACT_* */
	unsigned filters;		/* FILT_* */

	/* actions */
	int	 error;			/* errno, or an EAI_* code */
	int	 error_eai;		/* error is an EAI_* code */
	long long retval;
	uint64_t delay_ns;
	uint64_t jitter_ns;
	int	 signal;
	int	 exit_status;
	uint64_t short_bytes;		/* short=N, when short_ppm is 0 */
	uint32_t short_ppm;		/* short=P%, in parts per million */
	uint32_t corrupt_bits;

	/* triggers */
	double	 probability;		/* 0..1, default 1 */
	uint64_t nth;			/* 0: every matching call */
	uint64_t after;
	uint64_t count;			/* 0: unlimited */
	uint64_t start_ns;
	uint64_t for_ns;		/* 0: no end */

	/* filters */
	char	 path[RULE_PATH_MAX];	/* fnmatch(3) glob, absolute */
	struct cidr addr;
	uint16_t port_lo, port_hi;
	char	 host[RULE_GLOB_MAX];
	unsigned fdtype;		/* FDTYPE_* */
	char	 exe[RULE_GLOB_MAX];

	/* calls named one by one, not through a %group (rule_check) */
	uint64_t named[HOOK_WORDS];
};

struct rule_set {
	int	    n;
	struct rule rule[RULE_MAX];
};

/*
 * rule.c. rules_parse() and rules_parse_file() append to the set (n must
 * be valid: 0 for a new set) and leave it as it was on error. Rules get
 * the name "ruleN" (N: place in the set) unless named; names are unique.
 * A key given twice in one rule is an error there, while rule_set_key()
 * lets a later value replace an earlier one.
 */
void	rule_init(struct rule *);
int	rule_key_names(const char **names, int max);
int	rule_set_key(struct rule *, const char *key, const char *value,
	    char *err, size_t errlen);
int	rule_set_calls(struct rule *, const char *list, char *err,
	    size_t errlen);
int	rule_check(struct rule *, char *err, size_t errlen);
int	rules_parse(struct rule_set *, const char *text, char *err,
	    size_t errlen);
int	rules_parse_file(struct rule_set *, const char *path, char *err,
	    size_t errlen);
int	rule_format(const struct rule *, char *buf, size_t len);
int	rule_hook_allowed(const struct rule *, int hook);
int	rule_name_check(const char *name, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* The rule core, shared by the libc rules and chaosd's syscall rules  */
/* ------------------------------------------------------------------ */

/* rule-key.c: a key table; set() writes the value into the rule. */
#define RULE_KEYS_MAX	32
#define RULE_KEY_GLOB	0x1u	/* the value may hold bytes >= 0x80 */
#define RULE_KEY_OWNMSG	0x2u	/* set()'s messages name the key already */
struct rule_key {
	const char	*name;
	int		(*set)(void *rule, const char *value, char *err,
			    size_t errlen);
	size_t		 max;		/* longest value */
	unsigned	 flags;		/* RULE_KEY_* */
};
int	rule_key_find(const struct rule_key *, int nkeys, const char *name);
void	rule_key_unknown(const struct rule_key *, int nkeys, const char *name,
	    char *err, size_t errlen);
int	rule_key_set(const struct rule_key *, void *rule, const char *value,
	    size_t len, char *err, size_t errlen);

/* rule-split.c: the one-line form's fields (';' rules, ':' fields, '\') */
#define RULE_FIELD_MAX	4096
struct rule_field {
	char	 buf[RULE_FIELD_MAX];
	size_t	 len;		/* the whole field's length, stored or not */
	int	 sep;		/* ':', ';' or 0 at the end of the text */
	char	*s;		/* the field, trimmed */
	size_t	 slen;
	size_t	 total;		/* len when it did not fit in buf, else 0 */
};
const char *rule_field_next(const char *p, struct rule_field *);
const char *rule_skip(const char *p, int *last);
char	*rule_trim(char *s, size_t *len);
int	rule_key_pair(const struct rule_key *, int nkeys, void *rule,
	    struct rule_field *, uint32_t *seen, char *err, size_t errlen);

/*
 * trigger.c: which of a rule's matching calls fire (after=, nth=,
 * probability=, count=), for the shim and the seccomp supervisor alike.
 * A threshold is the probability as a bound on a 64-bit draw, UINT64_MAX
 * meaning always; the PRNG is asked for (prng(arg)) only for a draw.
 */
int	 trigger_set_probability(double *, const char *value, char *err,
	    size_t errlen);
int	 trigger_set_count(uint64_t *, const char *value, uint64_t min,
	    char *err, size_t errlen);
uint64_t trigger_threshold(double probability);
struct prng;
int	 trigger_due(uint64_t matched, uint64_t after, uint64_t nth,
	    uint64_t threshold, struct prng *(*prng)(void *), void *arg);
uint64_t trigger_jitter(uint64_t delay_ns, uint64_t jitter_ns, uint64_t draw);

/* pathnorm.c: absolute paths and path= globs */
void	path_normalize(char *path);	/* collapse "//", "/./", "/../" */
int	path_glob(char *dst, size_t len, const char *value, char *err,
	    size_t errlen);

/* ------------------------------------------------------------------ */
/* Values (units.c, names.c, cidr.c)                                   */
/* ------------------------------------------------------------------ */

/* units.c */
int	parse_duration(const char *, uint64_t *ns, char *err, size_t errlen);
int	parse_fraction(const char *, double *, char *err, size_t errlen);
int	parse_uint(const char *, uint64_t max, uint64_t *, char *err,
	    size_t errlen);
int	parse_int(const char *, long long min, long long max, long long *,
	    char *err, size_t errlen);
int	parse_bool(const char *, int *, char *err, size_t errlen);
int	format_duration(uint64_t ns, char *buf, size_t len);
int	format_fraction(double, char *buf, size_t len);	/* "0.05" */

/* names.c */
int	 parse_errno(const char *, int *, char *err, size_t errlen);
int	 parse_signal(const char *, int *, char *err, size_t errlen);
int	 parse_eai(const char *, int *);	/* 0 or -1 */
const char *errno_name(int);			/* "EIO", or NULL */
const char *signal_name(int);			/* "SIGSEGV", or NULL */
const char *eai_name(int);

/* cidr.c */
int	parse_cidr(const char *, struct cidr *, char *err, size_t errlen);
int	cidr_match(const struct cidr *, const struct sockaddr *, socklen_t);
int	parse_port_range(const char *, uint16_t *lo, uint16_t *hi, char *err,
	    size_t errlen);
int	sockaddr_port(const struct sockaddr *, socklen_t);  /* -1 if none */

/* ------------------------------------------------------------------ */
/* Misc (prng.c, ini.c, util.c)                                        */
/* ------------------------------------------------------------------ */

/* prng.c: xoshiro256** seeded through splitmix64 */
struct prng {
	uint64_t s[4];
};
void	 prng_seed(struct prng *, uint64_t seed);
uint64_t prng_next(struct prng *);
double	 prng_double(struct prng *);	/* [0, 1) */

/*
 * ini.c: inih driven through a counting reader, so that every error
 * (including the handler's) carries its line, and lines too long for
 * inih's buffer are an error instead of being split silently.
 * The handler returns 0 with err filled to stop; ini_read_file fills err
 * with "FILE:LINE: message".
 */
typedef int (*ini_cb)(void *user, const char *section, const char *key,
    const char *value, int line, char *err, size_t errlen);
int	ini_read_file(const char *path, ini_cb, void *user, char *err,
	    size_t errlen);
/* With INI_READ_SECTIONS, cb is also called at each [section] line, with
   key and value NULL. */
#define INI_READ_SECTIONS 0x1u
int	ini_read_file_ex(const char *path, unsigned flags, ini_cb, void *user,
	    char *err, size_t errlen);

/* util.c */
size_t	strlcpy_chaos(char *dst, const char *src, size_t len);
void	str_escape(char *dst, size_t len, const char *src); /* printable */
void	str_escape_controls(char *dst, size_t len, const char *src);
int	did_you_mean(const char *word, const char *const *choices,
	    int nchoices);	/* index of the closest, or -1 */
void	value_error(char *err, size_t errlen, const char *value,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
					/* err = "'VALUE' <fmt>", escaped */

/* ------------------------------------------------------------------ */
/* The fault table (table.c): rules shared between chaosd and running  */
/* processes preloaded with CHAOS_TABLE=PATH                           */
/* ------------------------------------------------------------------ */

#define TABLE_MAGIC	0x31425453414f4843ull	/* "CHOASTB1" on disk (sic; kept) */
#define TABLE_VERSION	3
#define TABLE_TTL_NS	(600ull * 1000000000ull)  /* default deadline: 10 min */

struct table_counter {
	_Atomic uint64_t matched;
	_Atomic uint64_t injected;
};

struct table_header {
	uint64_t	 magic;
	uint32_t	 version;
	uint32_t	 size;		/* sizeof(struct fault_table) */
	_Atomic uint64_t generation;	/* seqlock: odd while being written */
	_Atomic uint32_t armed;
	_Atomic uint32_t killed;	/* kill switch: rules ignored */
	_Atomic uint64_t deadline;	/* CLOCK_REALTIME ns: ignored past it */
	_Atomic uint64_t armed_at;	/* CLOCK_REALTIME ns: start/for base */
	uint32_t	 nrules;
	uint32_t	 reserved;
	char		 owner[64];	/* who armed it, for chaosd status */
};

#define TABLE_PAGE	4096
#define TABLE_PAGES(n)	(((n) + TABLE_PAGE - 1) / TABLE_PAGE * TABLE_PAGE)

/*
 * Per-hook armed words, shared: the shim maps this page over its own
 * hot-path array, so that arming a table is seen by every process at its
 * very next call, with no thread of the shim's watching. chaosd owns the
 * TABLE bits; a process with rules of its own sets the sticky OWN bits
 * (which only ever cost other processes a look at their rules).
 */
#define ARMED_RULES	1u	/* a table rule lists this hook */
#define ARMED_TRACK	2u	/* record descriptor state after the call */
#define ARMED_OWN_RULES	4u	/* some process's own rule lists it */
#define ARMED_OWN_TRACK	8u
#define ARMED_TABLE	(ARMED_RULES | ARMED_TRACK)

/*
 * The table, written by chaosd (and, for its counters and its armed
 * page, by the processes that may write it: root, or its owner). Its
 * counters have a page of their own, so that a process that gives up
 * its right to write the table can swap them out alone.
 */
struct fault_table {
	union {
		struct table_header h;
		char	 page0_[TABLE_PAGE];
	};
	_Atomic unsigned char armed[TABLE_PAGE];	/* page 1: by hook id */
	union {
		struct rule rule[RULE_MAX];
		char	 rules_[TABLE_PAGES(RULE_MAX * sizeof(struct rule))];
	};
	union {
		struct table_counter counter[RULE_MAX];
		char	 counters_[TABLE_PAGES(RULE_MAX *
			    sizeof(struct table_counter))];
	};
};

#define TABLE_ARMED_OFFSET	TABLE_PAGE

/*
 * The reach file, PATH.reach: what any process attached to the table may
 * write, so that writing it can only falsify reports, never change what
 * another process does. The counters of the processes that only read the
 * table, and one attach record per process that attached (exec'd or
 * started with the table; forked children share their parent's).
 */
#define REACH_MAGIC	0x314352534f414843ull	/* "CHAOSRC1" */
#define REACH_SUFFIX	".reach"
#define REACH_SLOTS	1024
#define REACH_EXE_MAX	32

/* How a process attached (struct reach_slot.mode) */
#define REACH_RW	1	/* by path, read-write: root or the owner */
#define REACH_RO	2	/* by path, read-only */
#define REACH_FD	3	/* through inherited descriptors, read-only */
#define REACH_DROPPED	4	/* read-write, then it dropped privileges */

struct reach_slot {
	_Atomic int32_t	 pid;		/* 0: free; -1: being written */
	uint32_t	 uid;		/* effective uid when attached */
	uint64_t	 start;		/* process start, in clock ticks since
					   boot, as /proc/PID/stat has it */
	uint64_t	 attached;	/* CLOCK_REALTIME ns */
	uint32_t	 mode;		/* REACH_* */
	uint32_t	 reserved;
	char		 exe[REACH_EXE_MAX];	/* base name, NUL-terminated */
};

struct reach_header {
	uint64_t	 magic;
	uint32_t	 version;	/* TABLE_VERSION */
	uint32_t	 size;		/* sizeof(struct fault_reach) */
	_Atomic uint64_t unrecorded;	/* attaches that found no free slot */
};

struct fault_reach {
	union {
		struct reach_header h;
		char	 page0_[TABLE_PAGE];
	};
	union {
		struct table_counter counter[RULE_MAX];
		char	 counters_[TABLE_PAGES(RULE_MAX *
			    sizeof(struct table_counter))];
	};
	struct reach_slot slot[REACH_SLOTS];
};

/* A consistent copy of a table's state (table_snapshot). */
struct table_state {
	uint64_t generation;
	int	 armed;
	int	 killed;
	uint64_t deadline;
	uint64_t armed_at;
	char	 owner[64];
};

struct table {
	int		     fd;	/* ours to close, or -1 */
	int		     reach_fd;	/* ours to close, or -1 */
	int		     rdonly;	/* the table is mapped read-only */
	int		     reach_rdonly;
	struct fault_table  *map;
	struct fault_reach  *reach;	/* NULL: no reach file */
};

/* One attach record, as table_attached() reports it. */
struct table_attach {
	int		 pid;
	unsigned	 uid;
	uint64_t	 start;		/* clock ticks since boot */
	uint64_t	 attached;	/* CLOCK_REALTIME ns */
	const char	*mode;		/* "rw", "ro", "fd", "dropped" */
	char		 exe[REACH_EXE_MAX];
	int		 alive;		/* that very process still runs */
};

/* table.c */
#define TABLE_CREATE	1	/* create it (0600, disarmed) if missing */
#define TABLE_STRICT	2	/* the shim's view: only root's or our own */
#define TABLE_RDONLY	4	/* map it read-only (the reach file too, if
				   it cannot be written) */
int	 table_open(struct table *, const char *path, int flags, char *err,
	    size_t errlen);
int	 table_open_fds(struct table *, int tfd, int rfd, const char *path,
	    char *err, size_t errlen);
void	 table_close(struct table *);
/*
 * Told of each mapping table_open() makes and table_close() unmakes
 * (mapped 1, then 0), when set: chaosd's guard against a table file cut
 * short under it (chaosd/table-guard.c). NULL in the shim, which guards
 * its own (shim-sigbus.c).
 */
extern void (*table_watch)(void *addr, size_t len, int mapped);
int	 table_check_file(int fd, int flags, char *err, size_t errlen);
int	 table_arm(struct table *, const struct rule_set *, uint64_t deadline,
	    const char *owner, char *err, size_t errlen);
void	 table_disarm(struct table *);
void	 table_kill(struct table *);
int	 table_snapshot(const struct fault_table *, struct rule_set *,
	    struct table_state *);
void	 table_expire(struct fault_table *);
void	 table_counts(const struct table *, int rule, uint64_t *matched,
	    uint64_t *injected);
int	 hook_needs_tracking(int hook);
uint64_t realtime_ns(void);

/* reach.c */
int	 reach_open(struct table *, const char *table_path, int flags,
	    const struct stat *table_st, char *err, size_t errlen);
int	 reach_check(int fd, const struct stat *table_st, char *err,
	    size_t errlen);
void	 reach_zero(struct fault_reach *);
int	 reach_attach(struct fault_reach *, int mode, const char *exe);
int	 table_attached(const struct table *, struct table_attach *, int max,
	    uint64_t *unrecorded);
int	 table_reap(struct table *);
int	 table_unlink_reach(const char *table_path);
const char *reach_mode_name(uint32_t);
int	 proc_start_ticks(int pid, uint64_t *ticks);

/* file-create.c: files made whole, then linked into place */
int	 file_create(const char *path, const void *head, size_t headlen,
	    size_t size, const struct stat *owner, char *err, size_t errlen);

#endif
