/*
 * chaosd.h: the controller's one header.
 *
 * chaosd is a table of subcommands (main.c), one file each (cmd-*.c),
 * plus the subsystems they share: logging, allocation, finding and
 * preloading libinject.so. The fault model itself (rules, values) lives
 * in libinject/chaos.h, which chaosd links as libchaos.la.
 */
#ifndef CHAOSD_H
#define CHAOSD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "chaos.h"

#define printflike(a, b) __attribute__((format(printf, a, b)))
#define dead __attribute__((noreturn))

/* Exit statuses shared by the subcommands (DESIGN.md, chaosd(8)). */
#define EXIT_USAGE	2	/* usage, rule or scenario error: nothing done */
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

/* json-print.c */
void	json_print_string(const char *);

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

/* preload.c */
char	*preload_find(char **cause);
char	*preload_append(const char *existing, const char *lib);

/* cmd-exec.c */
extern const struct cmd_entry cmd_exec_entry;

/* cmd-run.c, cmd-validate.c (scenario.h has their internals) */
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_validate_entry;

/* cmd-net.c, cmd-recover.c, cmd-doctor.c (net.h has their internals) */
extern const struct cmd_entry cmd_net_entry;
extern const struct cmd_entry cmd_recover_entry;
extern const struct cmd_entry cmd_doctor_entry;

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
const struct cmd_entry *registry_cmd(const char *name);
void	registry_print_rules(const struct fault_table *,
	    const struct rule_set *);

#endif
