/*
 * res.h: faults on processes and resources (chaosd proc, chaosd stress,
 * [process.*], [stress.*], [limit.*]).
 *
 * The pieces, one file each:
 *   res-units.c      sizes (512M, 2G) and percentages as these faults take
 *                    them
 *   cgroup.c         cgroup file systems, v2 and v1: where they are, whose
 *                    a process is in, reading and writing their files,
 *                    freezing, joining
 *   target.c         what a fault aims at (a service, pid, name, cgroup or
 *                    unit), the processes that is now, and the ones chaosd
 *                    never touches
 *   proc-options.c   chaosd proc's options, [process.*]'s keys
 *   proc-apply.c     signals and pauses as a library; the journal type
 *                    that resumes what a pause stopped
 *   cmd-proc.c       chaosd proc kill|pause
 *   kind-process.c   [process.*] in chaosd run
 *   stress-options.c chaosd stress's options, [stress.*]'s keys
 *   stress.c         stressors as a library: started, watched, stopped;
 *                    the journal type that kills them and removes their
 *                    files
 *   stress-fill.c    the fill: a preallocated file, within a margin
 *   stress-worker.c  the stressor processes (chaosd stress worker ...)
 *   cmd-stress.c     chaosd stress memory|cpu|fill|io
 *   kind-stress.c    [stress.*] in chaosd run
 *   limit-options.c  [limit.*]'s keys
 *   kind-limit.c     [limit.*]: cpu.max, memory.high and io.max of a
 *                    service's cgroup, and the journal type that restores
 *                    them
 *
 * Every spec begins with its struct target, so that the target options
 * (target.c) are one set of rows in each kind's table.
 */
#ifndef RES_H
#define RES_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "chaos.h"
#include "kind.h"

struct jentry;

/* ---- res-units.c -------------------------------------------------- */

int	 parse_size(const char *, uint64_t max, uint64_t *, char *err,
	    size_t errlen);			/* 512M, 2G, 4096: bytes */
int	 parse_percent(const char *, double max, double *, char *err,
	    size_t errlen);			/* "50%": 0.5; max 1.5 = 150% */
void	 format_size(uint64_t, char *buf, size_t len);	/* "1.5 GiB" */

/* ---- cgroup.c ----------------------------------------------------- */

#define CG_V1	1
#define CG_V2	2

int	 cgroup_v2_root(char *buf, size_t len);	/* -1: not mounted */
int	 cgroup_v1_root(const char *controller, char *buf, size_t len);
int	 cgroup_version(const char *dir);	/* CG_V1, CG_V2, 0: none */
int	 cgroup_of_pid(pid_t, const char *controller, char *buf, size_t len);
int	 cgroup_resolve(const char *spec, char *buf, size_t len, char *err,
	    size_t errlen);
int	 cgroup_unit_dir(const char *unit, char *buf, size_t len, char *err,
	    size_t errlen);
int	 cgroup_read(const char *dir, const char *file, char *buf,
	    size_t len);
int	 cgroup_write(const char *dir, const char *file, const char *value,
	    char *err, size_t errlen);
int	 cgroup_pids(const char *dir, pid_t **pids, int *n);
uint64_t cgroup_ino(const char *dir);		/* 0: gone */
int	 cgroup_freezer(const char *dir, char *buf, size_t len);
int	 cgroup_frozen(const char *freezer);	/* 1, 0, -1: unreadable */
int	 cgroup_freeze(const char *freezer, int on, char *err,
	    size_t errlen);
int	 cgroup_joins_like(pid_t, char ***paths, int *n);
void	 cgroup_paths_free(char **, int);
int	 cgroup_has_controller(const char *dir, const char *controller);
int	 cgroup_memory_limit(const char *dir, uint64_t *);
int	 cgroup_stat_field(const char *dir, const char *file,
	    const char *key, uint64_t *);
int	 block_device(const char *path, unsigned *major, unsigned *minor,
	    char *err, size_t errlen);

/* ---- target.c ----------------------------------------------------- */

enum target_type {
	TG_NONE, TG_SERVICE, TG_PID, TG_NAME, TG_CGROUP, TG_UNIT
};
#define TGM(t)		(1u << (t))	/* a kind's allowed targets */

struct target {
	enum target_type type;
	char		 text[PATH_MAX];	/* a service, name, cgroup... */
	pid_t		 pid;
	int		 all;		/* name: every process of it */
};

struct procent {
	pid_t		 pid;
	uint64_t	 start;		/* proc_start_time(): not reused */
};

/* What a target is now: processes, a process group, or a cgroup. */
struct procset {
	struct procent	*v;
	int		 n, cap;
	pid_t		 group;		/* a service: its process group */
	uint64_t	 group_start;	/* its leader's start time */
	char		 cgroup[PATH_MAX];	/* a cgroup or unit target */
	char		 what[160];	/* "pid 42 (sleep)", "cgroup ..." */
};

int	 target_o_service(void *, const char *, char *, size_t);
int	 target_o_pid(void *, const char *, char *, size_t);
int	 target_o_name(void *, const char *, char *, size_t);
int	 target_o_all(void *, const char *, char *, size_t);
int	 target_o_cgroup(void *, const char *, char *, size_t);
int	 target_o_unit(void *, const char *, char *, size_t);
int	 target_check(const struct target *, unsigned allowed, int required,
	    char *err, size_t errlen);
const char *target_describe(const struct target *, char *buf, size_t len);
int	 target_resolve(const struct target *, pid_t group,
	    uint64_t group_start, struct procset *, char *err, size_t errlen);
int	 procset_add(struct procset *, pid_t, uint64_t start);
int	 procset_has(const struct procset *, pid_t);
void	 procset_free(struct procset *);
int	 proc_untouchable(pid_t, char *why, size_t len);
pid_t	 guardian_pid(void);
struct run;
struct scenario;
struct sc_fault;
int	 target_check_scenario(const struct scenario *, struct sc_fault *,
	    char *err, size_t errlen);
int	 target_preflight(const struct target *, char *why, size_t len);
pid_t	 target_service_group(const struct run *, const struct target *,
	    uint64_t *start);
int	 target_resolve_run(const struct run *, const struct target *,
	    struct procset *, char *err, size_t errlen);

#define TARGET_WHERE	"Which processes"
#define TARGET_ROWS_SERVICE						\
	{ "service", "NAME", target_o_service, "a scenario's service: its "\
	    "process group", TARGET_WHERE, KO_SCENARIO }
#define TARGET_ROWS_PID							\
	{ "pid", "PID", target_o_pid, "one process", TARGET_WHERE, 0 }
#define TARGET_ROWS_NAME						\
	{ "name", "NAME", target_o_name, "the process whose executable is "\
	    "named NAME (as pgrep -x)", TARGET_WHERE, 0 },		\
	{ "all", NULL, target_o_all, "name: every process of that name, "\
	    "not just one", TARGET_WHERE, 0 }
#define TARGET_ROWS_CGROUP						\
	{ "cgroup", "PATH", target_o_cgroup, "a cgroup: its directory, or "\
	    "its path as /proc/PID/cgroup shows it", TARGET_WHERE, 0 },	\
	{ "unit", "UNIT", target_o_unit, "a systemd unit, through its "	\
	    "cgroup (system.slice)", TARGET_WHERE, 0 }

/* ---- proc-options.c, proc-apply.c --------------------------------- */

enum proc_action { PA_KILL, PA_PAUSE };

struct proc_spec {
	struct target	 tg;		/* first: see the top */
	enum proc_action action;
	int		 sig;
	int		 has_sig;
	uint64_t	 every_ns;	/* 0: once, at the start */
	double		 probability;
	int		 has_probability;
	uint64_t	 count;		/* 0: no limit */
};
extern const struct kind_option proc_options[];
void	 proc_spec_init(struct proc_spec *);
int	 proc_spec_check(const struct proc_spec *, char *err, size_t errlen);
void	 proc_spec_describe(const struct proc_spec *, char *buf, size_t len);

/* Kill decisions: once, or one every every_ns with a probability. */
struct killer {
	int		 sig;
	uint64_t	 every_ns;
	double		 probability;
	uint64_t	 count;
	struct prng	 rng;
	uint64_t	 next_ns;	/* the next decision, caller's clock */
	uint64_t	 decisions;	/* made */
	uint64_t	 fired;		/* decided to kill */
	uint64_t	 hit;		/* ... and something was signalled */
	uint64_t	 signalled;	/* processes signalled, in all */
};
void	 killer_init(struct killer *, const struct proc_spec *,
	    uint64_t seed, uint64_t start_ns);
int	 killer_next(struct killer *, uint64_t now, uint64_t end, int *fire);
uint64_t fault_seed(int have_seed, uint64_t seed, const char *name);
int	 proc_signal(const struct procset *, int sig, char *err,
	    size_t errlen);
int	 proc_signal_one(pid_t, uint64_t start, int sig);

struct pause_how {
	int		 bound;		/* resumed as soon as chaosd is gone */
	uint64_t	 expires_ms;	/* 0: no expiry */
};
int	 pause_apply(const struct procset *, const struct pause_how *,
	    struct jentry *, int *paused, char *how, size_t howlen,
	    char *err, size_t errlen);
int	 pause_held(const struct jentry *);
extern const struct journal_type journal_pause;

/* ---- stress-options.c, stress.c ----------------------------------- */

enum stress_type { ST_NONE, ST_MEMORY, ST_CPU, ST_FILL, ST_IO };
enum io_mode { IO_WRITE, IO_READ, IO_FSYNC };

struct stress_spec {
	struct target	 tg;		/* first: where the stressor goes */
	enum stress_type type;
	uint64_t	 bytes;		/* memory = SIZE, size = */
	double		 frac;		/* memory = P%, cpu = P%, free = P% */
	int		 is_frac;	/* memory was given as P% */
	int		 has_size, has_free;
	uint64_t	 ramp_ns;
	int		 oom_target;	/* oom = target */
	int		 has_oom;
	uint32_t	 workers;	/* 0: the default */
	char		 path[PATH_MAX];	/* fill, io */
	enum io_mode	 io_mode;
	int		 has_io_mode;
	int		 force;
};
extern const struct kind_option stress_options[];
void	 stress_spec_init(struct stress_spec *);
int	 stress_spec_check(const struct stress_spec *, char *err,
	    size_t errlen);
void	 stress_spec_describe(const struct stress_spec *, char *buf,
	    size_t len);
const char *stress_type_name(enum stress_type);

#define STRESS_IO_SIZE	(64ull << 20)	/* each io worker's file */
#define STRESS_MARGIN_MAX (1ull << 30)	/* fill leaves 5%, at most 1 GiB */

struct stressor {
	struct jentry	*j;		/* journaled while it runs */
	enum stress_type type;
	pid_t		 pid;		/* the worker process, or 0 (fill) */
	uint64_t	 start;
	int		 fd;		/* its status pipe, or -1 */
	char		 line[256];
	size_t		 llen;
	int		 started;
	int		 ready;
	int		 exited;
	int		 status;	/* its wait status, once exited */
	char		 error[256];	/* what the worker said before dying */
	uint64_t	 t_start, t_ready, t_end;	/* mono ns */
	uint64_t	 want;		/* memory, fill: bytes */
	uint32_t	 workers;
	double		 cpu_frac;
	char		 where[PATH_MAX];	/* the fill file, the io dir */
	uint64_t	 rss_base;	/* memory: RssAnon before it began */
	uint64_t	 rss_min, rss_max, rss;	/* memory: above rss_base */
	uint64_t	 cpu0, cpu;	/* its CPU time at ready, last (ns) */
	uint64_t	 io0, io;	/* bytes read and written */
	uint64_t	 oom0;		/* /proc/vmstat oom_kill at start */
	uint64_t	 ooms;		/* OOM kills while it ran */
	uint64_t	 filled;	/* fill: bytes allocated */
	uint64_t	 left;		/* fill: bytes left free after */
	uint64_t	 t_sample;
	int		 killed_by_us;
};

struct stress_how {
	int		 bound;
	uint64_t	 expires_ms;
	char		**join;		/* cgroup.procs files to join */
	int		 njoin;
	uint64_t	 mem_limit;	/* of that cgroup, for memory = P% */
	const char	*label;		/* the fault's name, for files */
};
int	 stress_start(const struct stress_spec *, const struct stress_how *,
	    struct stressor *, char *err, size_t errlen);
int	 stress_poll(struct stressor *);
int	 stress_stop(struct stressor *, char *err, size_t errlen);
int	 stress_result(const struct stressor *, char *buf, size_t len);
int	 stress_placement(const struct procset *, struct stress_how *,
	    char *err, size_t errlen);
int	 stress_memory_want(const struct stress_spec *, uint64_t limit,
	    uint64_t *want, char *err, size_t errlen);
int	 stress_fill_room(const struct stress_spec *, uint64_t *bytes,
	    uint64_t *left, char *err, size_t errlen);
int	 stress_fill_start(const struct stress_spec *, struct stressor *,
	    char *err, size_t errlen);
uint64_t vmstat_oom_kills(void);
extern const struct journal_type journal_stress;

/* stress-worker.c */
int	 stress_worker_main(int argc, char **argv);

/* ---- limit-options.c, kind-limit.c -------------------------------- */

enum { LIO_RBPS, LIO_WBPS, LIO_RIOPS, LIO_WIOPS, LIO_N };

struct limit_spec {
	struct target	 tg;		/* first: see the top */
	double		 cpu;		/* of one CPU: 1.5 is 150% */
	uint64_t	 memory_high;
	uint64_t	 io[LIO_N];	/* io.max rbps, wbps, riops, wiops */
	unsigned	 io_set;	/* which of them (1 << LIO_*) */
	char		 path[PATH_MAX];	/* io: the disk holding it */
};
extern const struct kind_option limit_options[];
extern const char *const limit_io_keys[LIO_N];
int	 limit_spec_check(const struct limit_spec *, char *err, size_t errlen);
void	 limit_spec_describe(const struct limit_spec *, char *buf,
	    size_t len);
extern const struct journal_type journal_limit;

#endif
