/*
 * chaosd.h: what every part of chaosd shares.
 *
 * chaosd is a table of subcommands (main.c), one file each (cmd-*.c),
 * and subsystems with headers of their own: kind.h (fault kinds),
 * scenario.h and run.h (chaosd run), net.h (network faults), syscall.h
 * (seccomp). Here: exit statuses, logging, allocation, the journal and
 * the guardian, processes and clocks, finding and preloading
 * libinject.so. The fault model itself (rules, values, tables) lives in
 * libinject/chaos.h, which chaosd links as libchaos.la.
 */
#ifndef CHAOSD_H
#define CHAOSD_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "chaos.h"

#define printflike(a, b) __attribute__((format(printf, a, b)))
#define dead __attribute__((noreturn))

/* Exit statuses, an API (chaosd(8)). */
#define EXIT_FAILED	1	/* run: a check failed, no recovery, workload */
#define EXIT_USAGE	2	/* usage, rule or scenario error: nothing done */
#define EXIT_ABORTED	3	/* interrupted or aborted, and rolled back */
#define EXIT_ROLLBACK_FAILED 4	/* the journal keeps what is left */
#define EXIT_INCONCLUSIVE 5	/* run: a fault did not happen as written */
#define EXIT_INTERNAL	125	/* exec: chaosd itself failed to start CMD */
#define EXIT_CANNOT	126	/* exec: CMD found but could not be run */
#define EXIT_NOTFOUND	127	/* exec: CMD not found */

/*
 * A subcommand. exec gets argv[0] = the subcommand's name and returns
 * the process's exit status.
 */
struct cmd_entry {
	const char	*name;
	const char	*usage;		/* options and operands, after the name */
	const char	*summary;	/* one line for chaosd --help */
	int		(*exec)(int argc, char **argv);
};

/* main.c */
extern const struct cmd_entry *const cmd_table[];
extern const char *chaosd_exe;	/* argv[0] as chaosd was started */
void	cmd_usage(const struct cmd_entry *, int to_stderr);
const struct cmd_entry *cmd_find(const char *name);

/* table-guard.c: a fault table cut short under chaosd never kills it */
void	table_guard_install(void);
int	table_guard_cut(const void *addr);

/* file-atomic.c: write(f, arg) into PATH whole or not at all */
int	file_write_atomic(const char *path, int (*write)(FILE *, const void *),
	    const void *arg, char *err, size_t errlen);

/* hostname.c */
const char *host_name(void);	/* $CHAOSD_HOST, else gethostname() */

/* json-print.c */
void	json_print_string(const char *);

/* clock.c: time, randomness, waiting */
uint64_t mono_ns(void);		/* CLOCK_MONOTONIC */
uint64_t now_ms(void);		/* CLOCK_REALTIME, milliseconds */
uint64_t random_u64(void);
void	 sleep_ns(uint64_t);
int	 signal_wait(const sigset_t *, uint64_t ns);	/* signal, or 0 */
void	 stop_signals(sigset_t *);		/* SIGINT, SIGTERM, SIGHUP */
void	 stop_signals_block(sigset_t *old);
int	 stop_signal_wait(uint64_t ns);		/* ns 0: for ever */
void	 fmt_dur(uint64_t ns, char *buf, size_t len);	/* "1.5s", "300ms" */

/* proc.c: processes, seen through /proc */
struct proc_stat {
	char		 comm[32];
	char		 state;		/* R S D T t Z... */
	pid_t		 ppid, pgrp;
	unsigned	 flags;		/* PF_*: PF_KTHREAD 0x00200000 */
	uint64_t	 utime, stime;	/* clock ticks */
	uint64_t	 start;		/* clock ticks since boot, never 0 */
	uint64_t	 rss;		/* pages */
};
int	 proc_stat(pid_t, struct proc_stat *);
uint64_t proc_start_time(pid_t);	/* 0: no such process */
int	 proc_alive(pid_t, uint64_t start_time);	/* 0 start: any */
int	 proc_exe_name(pid_t, char *buf, size_t len);
int	 proc_has_cap(int cap);		/* CAP_*: in our effective set? */
int	 proc_kb(const char *path, const char *key, uint64_t *bytes);
uint64_t proc_cpu_ns(pid_t);
uint64_t proc_io_bytes(pid_t);

/*
 * journal.c: what chaosd changes, written down before it changes it
 * (one file per change under RUNDIR), and undone through its type from
 * any process. Times are CLOCK_REALTIME milliseconds.
 */
#define J_APPLYING	1	/* written before the first change */
#define J_ACTIVE	2	/* every change made */

struct jfield {
	char	*key;
	char	*value;
};

struct jentry {
	char		 id[96];	/* the file's name, unique per target */
	char		 type[16];	/* journal_types[]: net, run... */
	int		 state;
	pid_t		 owner;		/* the chaosd that made it */
	uint64_t	 owner_start;	/* its start time: not a reused pid */
	int		 bound;		/* undone as soon as the owner is gone */
	uint64_t	 instance;	/* which apply made it */
	uint64_t	 created_ms;
	uint64_t	 expires_ms;	/* 0: no expiry */
	char		 what[512];	/* one line, for show and logs */
	int		 nfields;	/* the type's own key=value lines */
	struct jfield	*fields;
};

struct journal_type {
	const char	*name;
	/* undo what the entry says, from any process; 0 when nothing of
	   it is left (already gone counts) */
	int		(*revert)(struct jentry *, char *err, size_t errlen);
};
extern const struct journal_type *const journal_types[];	/* kinds.c */

const char *journal_dir(void);
int	 journal_ensure_dir(char *err, size_t errlen);
void	 jentry_init(struct jentry *, const char *type);
void	 jentry_set(struct jentry *, const char *key, const char *fmt, ...)
	    printflike(3, 4);
void	 jentry_add(struct jentry *, const char *key, const char *fmt, ...)
	    printflike(3, 4);
void	 jentry_del(struct jentry *, const char *key, const char *value);
const char *jentry_get(const struct jentry *, const char *key);
uint64_t jentry_get_u64(const struct jentry *, const char *key,
	    uint64_t dflt);
void	 jentry_copy(struct jentry *, const struct jentry *);
void	 jentry_free(struct jentry *);
int	 jentry_owner_alive(const struct jentry *);
const struct journal_type *journal_type_find(const char *name);
int	 journal_write(const struct jentry *, char *err, size_t errlen);
int	 journal_parse(FILE *, const char *id, struct jentry *);
int	 journal_read(const char *id, struct jentry *);
int	 journal_remove(const struct jentry *);
int	 journal_list(const char *type, struct jentry **, int *n);
void	 journal_list_free(struct jentry *, int n);
int	 journal_lock(int wait);
void	 journal_unlock(int fd);
int	 journal_revert(struct jentry *, int wait, char *err, size_t errlen);

/* guardian.c: the detached chaosd that undoes what nobody is left to */
int	 guardian_ensure(void);
int	 guardian_main(void);

/* cmd-recover.c: undo everything journaled (recover, abort) */
int	 recover_journal(int *reverted, int *failed);

/* log.c */
void	log_set_prefix(const char *);	/* "chaosd", "chaosd exec" */
void	log_add_level(void);		/* each -v: info, then debug */
int	log_get_level(void);
void	log_warn(const char *, ...) printflike(1, 2);	/* always */
void	log_info(const char *, ...) printflike(1, 2);	/* -v */
void	log_debug(const char *, ...) printflike(1, 2);	/* -vv, timestamped */
dead void fatal(const char *, ...) printflike(1, 2);	/* adds strerror */
dead void fatalx(const char *, ...) printflike(1, 2);
const char *log_excerpt(char *buf, size_t len, const char *text);

/* xmalloc.c: never return NULL; out of memory is fatal */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...) printflike(2, 3);
int	 xvasprintf(char **, const char *, va_list) printflike(2, 0);

/* env.c: a copy of chaosd's environment, edited, for execve */
struct env {
	char	**v;
	size_t	  n;
};
void	 env_init(struct env *);
const char *env_get(const struct env *, const char *name);
void	 env_unset(struct env *, const char *name);	/* "CHAOS_*" too */
void	 env_set(struct env *, const char *name, const char *value);
void	 env_free(struct env *);

/* spawn.c: a long-lived process: /bin/sh -c COMMAND, its own group */
struct spawn {
	const char	*command;
	char		**env;
	int		 stdout_fd;	/* -1: chaosd's */
	int		 stderr_fd;
	uid_t		 uid;		/* (uid_t)-1: ours */
	gid_t		 gid;
	const int	*keep_fd;	/* inherited across exec */
	int		 nkeep;
	int		(*child)(void *);	/* between fork and exec */
	int		(*parent)(void *, pid_t, char *, size_t); /* at once */
	void		*arg;
	int		 pdeathsig;	/* to the child should chaosd die */
};
int	 spawn_process(const struct spawn *, pid_t *, char *err,
	    size_t errlen);
int	 spawn_child_reset(int pdeathsig, pid_t parent);

/* preload.c */
char	*preload_find(char **cause);
char	*preload_append(const char *existing, const char *lib);

/* cmd-exec.c */
extern const struct cmd_entry cmd_exec_entry;

/* cmd-run.c, cmd-validate.c (scenario.h has their internals) */
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_validate_entry;

/* cmd-report.c: chaosd report merge */
extern const struct cmd_entry cmd_report_entry;

/* cmd-net.c, cmd-recover.c, cmd-doctor.c (net.h has their internals) */
extern const struct cmd_entry cmd_net_entry;
extern const struct cmd_entry cmd_recover_entry;
extern const struct cmd_entry cmd_doctor_entry;

/* cmd-proc.c, cmd-stress.c (res.h has their internals) */
extern const struct cmd_entry cmd_proc_entry;
extern const struct cmd_entry cmd_stress_entry;

/*
 * Syscall faults (seccomp): syscall-rule.c parses, seccomp.c builds and
 * loads the filter, supervisor.c answers its notifications. exec calls
 * prepare before fork, child between fork and exec, start in the parent
 * right after fork (before it waits for anything), stop once CMD is
 * reaped. Scenario [syscall.NAME] sections fill rules key by key.
 */
struct syscall_faults;
struct syscall_rule;

/* syscall-rule.c */
struct syscall_faults *syscall_faults_new(void);
int	syscall_faults_parse(struct syscall_faults *, const char *text,
	    char *err, size_t errlen);
int	syscall_faults_count(const struct syscall_faults *);
struct syscall_rule *syscall_faults_add(struct syscall_faults *, char *err,
	    size_t errlen);
void	syscall_rule_init(struct syscall_rule *);
int	syscall_rule_set_key(struct syscall_rule *, const char *key,
	    const char *value, char *err, size_t errlen);
int	syscall_rule_check(struct syscall_rule *, char *err, size_t errlen);

/* seccomp.c */
int	syscall_faults_supported(char *why, size_t len);
int	syscall_faults_prepare(struct syscall_faults *, char *err,
	    size_t errlen);
int	syscall_faults_child(struct syscall_faults *);
void	syscall_faults_free(struct syscall_faults *);

/* supervisor.c */
int	syscall_faults_start(struct syscall_faults *, pid_t, int have_seed,
	    uint64_t seed, char *err, size_t errlen);
void	syscall_faults_stop(struct syscall_faults *);

/* cmd-inject.c, cmd-status.c, cmd-abort.c: the fault tables at run time */
extern const struct cmd_entry cmd_inject_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_abort_entry;

/* registry.c: the tables chaosd knows (RUNDIR/tables/, RUNDIR/NAME.table) */
struct registry_list {
	int	  n;
	char	**path;		/* absolute, sorted */
	int	 *registered;	/* armed by chaosd inject (has an entry) */
	int	  nbad;
	char	**bad;		/* entries or directories not used, and why */
};
const char *registry_rundir(void);
int	registry_abspath(const char *, char *buf, size_t len);
int	registry_add(const char *path, uint64_t armed_ns, uint64_t deadline_ns,
	    char *err, size_t errlen);
void	registry_remove(const char *path);
void	registry_list(struct registry_list *);
void	registry_list_free(struct registry_list *);
int	registry_warn_bad(const struct registry_list *);
int	registry_path_ok(const char *, char *err, size_t errlen);
int	registry_dir_check(const char *dir, int create, char *err,
	    size_t errlen);
void	registry_print_rules(const struct table *,
	    const struct rule_set *);

#endif
