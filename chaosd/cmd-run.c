/*
 * cmd-run.c: chaosd run, a scenario from start to report.
 *
 *	chaosd run SCENARIO [--report FORMAT=FILE]... [--dry-run] [-v]
 *	    [-- CMD [ARG]...]
 *
 * In order: read and check the file, and everything this machine must
 * offer (libinject, CAP_NET_ADMIN for [network.*], the tables named by
 * table =), before anything is applied (exit 2). Start the services
 * under libinject with the scenario's fault table and wait until they
 * are ready; run the 'before' checks once (a failure: nothing is
 * injected, exit 1). Then the chaos: the clock starts, the workload
 * runs under libinject with the same table, each fault is applied at
 * its start and reverted at its end ([inject.*] by arming the table
 * with the rules active in that window, its deadline the window's end;
 * [network.*] through chaosd net apply, its engine, journal and
 * guardian), the 'during' checks probe every interval and abort after
 * abort_after failures in a row. When the chaos ends (the workload
 * exits, the last window closes, or duration is reached), or on
 * SIGINT/SIGTERM or an abort, everything is rolled back; the 'after'
 * checks must pass again within recover_within; the services are
 * stopped; and the reports are written, atomically.
 *
 * Fault tables: in $CHAOSD_RUNDIR when set; as root
 * /run/chaosd/SCENARIO-PID.table; otherwise in
 * $XDG_RUNTIME_DIR/chaosd/ when that exists, else in a private
 * directory made with mkdtemp under $TMPDIR or /tmp. The table is
 * removed at the end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "net.h"
#include "syscall.h"
#include "scenario.h"

extern char **environ;

static int	cmd_run_exec(int, char **);

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "SCENARIO [--report FORMAT=FILE]... [--dry-run] [-v] "
	    "[-- CMD [ARG]...]",
	.summary = "run a scenario: faults on a timeline, checks, a report",
	.exec = cmd_run_exec,
};

#define TICK_NS		(10ull * NS_PER_MS)
#define NET_SLACK_NS	(30ull * NS_PER_S)	/* --for beyond the window */
#define REPORTS_MAX	8

struct report_req {
	const struct report_format *fmt;
	const char	*path;
};

/* One fault table being armed: the scenario's, or one named by table =. */
struct armed_table {
	const char	*path;
	struct table	 tb;
	int		 open;
	int		 armed;
	int		 slot[RULE_MAX];	/* fault index of each armed rule */
	int		 nslots;
};

struct run {
	struct run_result *rr;
	const struct scenario *sc;
	struct report_req reports[REPORTS_MAX];
	int		 nreports;
	int		 dry_run;
	char		*workload_text;	/* what sh -c runs */
	char		**env;		/* workload and services */
	char		**check_env;
	char		*libinject;
	char		*table_dir;	/* to remove, when private */
	struct armed_table *tables;	/* [0]: the scenario's */
	int		 ntables;
	int		*fault_table;	/* index into tables, or -1 */
	pid_t		 workload;
	struct syscall_faults *syscalls;	/* [syscall.*], on the workload */
	int		 rollback_failed;
	int		 progress;
};

static volatile sig_atomic_t run_signal;
static volatile int run_stop;

static void
run_on_signal(int sig)
{
	run_signal = sig;
	run_stop = 1;
}

static void
run_help(void)
{
	cmd_usage(&cmd_run_entry, 0);
	printf("\n"
	    "Run a scenario file (chaosd.scenario(5)): start its services, check\n"
	    "the steady state, apply its faults on their timeline, check, roll\n"
	    "everything back, check recovery and report.\n"
	    "\n"
	    "  --report json=FILE   write a JSON report (schema: chaosd.scenario(5))\n"
	    "  --report junit=FILE  write a JUnit XML report, for CI\n"
	    "  --report text=FILE   the readable summary, to a file too\n"
	    "  --dry-run            check the file and print the timeline; apply nothing\n"
	    "  -v, --verbose        say what happens, as it happens\n"
	    "  -- CMD [ARG]...      the workload (instead of [scenario] command)\n"
	    "\n"
	    "Exit status: 0 every check passed (and the workload succeeded);\n"
	    "1 a check failed, the system did not recover in time, or the workload\n"
	    "failed; 2 usage or scenario error (nothing applied); 3 aborted (signal\n"
	    "or abort_after) and rolled back; 4 a rollback failed.\n");
}

static int
run_usage_error(void)
{
	cmd_usage(&cmd_run_entry, 1);
	fprintf(stderr, "Try 'chaosd run --help' for more information.\n");
	return (EXIT_USAGE);
}

/* ---- environment ------------------------------------------------ */

static char **
env_build(const char *preload, const char *table, const struct scenario *sc)
{
	char	**env, **p;
	size_t	  n = 0;

	for (p = environ; *p != NULL; p++)
		n++;
	env = xcalloc(n + 4, sizeof *env);
	n = 0;
	for (p = environ; *p != NULL; p++) {
		if (strncmp(*p, "LD_PRELOAD=", 11) == 0 ||
		    strncmp(*p, "CHAOS_INJECT=", 13) == 0 ||
		    strncmp(*p, "CHAOS_INJECT_FILE=", 18) == 0 ||
		    strncmp(*p, "CHAOS_TABLE=", 12) == 0 ||
		    strncmp(*p, "CHAOS_SEED=", 11) == 0)
			continue;
		env[n++] = *p;
	}
	xasprintf(&env[n++], "LD_PRELOAD=%s", preload);
	xasprintf(&env[n++], "CHAOS_TABLE=%s", table);
	if (sc->have_seed)
		xasprintf(&env[n++], "CHAOS_SEED=%llu",
		    (unsigned long long)sc->seed);
	env[n] = NULL;
	return (env);
}

static char *
shell_quote_argv(char **argv)
{
	size_t	 len = 1, i;
	char	*s, *q, *a;

	for (i = 0; argv[i] != NULL; i++)
		len += strlen(argv[i]) * 4 + 3;
	s = q = xmalloc(len);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			*q++ = ' ';
		*q++ = '\'';
		for (a = argv[i]; *a != '\0'; a++) {
			if (*a == '\'') {
				memcpy(q, "'\\''", 4);
				q += 4;
			} else
				*q++ = *a;
		}
		*q++ = '\'';
	}
	*q = '\0';
	return (s);
}

static char *
table_dir_choose(const char *name, char **private_dir, char *err,
    size_t errlen)
{
	const char	*xdg = getenv("XDG_RUNTIME_DIR"), *tmp;
	char		*dir, *path;
	struct stat	 st;

	*private_dir = NULL;
	if ((tmp = getenv("CHAOSD_RUNDIR")) != NULL && *tmp == '/') {
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
			return (NULL);
		}
		dir = xstrdup(tmp);
	} else if (geteuid() == 0) {
		if (mkdir("/run/chaosd", 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "/run/chaosd: %s",
			    strerror(errno));
			return (NULL);
		}
		dir = xstrdup("/run/chaosd");
	} else if (xdg != NULL && *xdg == '/' && stat(xdg, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid()) {
		xasprintf(&dir, "%s/chaosd", xdg);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			free(dir);
			return (NULL);
		}
	} else {
		tmp = getenv("TMPDIR");
		if (tmp == NULL || *tmp != '/')
			tmp = "/tmp";
		xasprintf(&dir, "%s/chaosd-%u.XXXXXX", tmp,
		    (unsigned)geteuid());
		if (mkdtemp(dir) == NULL) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			free(dir);
			return (NULL);
		}
		*private_dir = xstrdup(dir);
	}
	xasprintf(&path, "%s/%s-%d.table", dir, name, (int)getpid());
	free(dir);
	return (path);
}

/* ---- faults ----------------------------------------------------- */

static int
tables_setup(struct run *r, char *err, size_t errlen)
{
	const struct scenario *sc = r->sc;
	int	i, j;

	r->tables = xcalloc(sc->nfaults + 1, sizeof *r->tables);
	r->fault_table = xcalloc(sc->nfaults + 1, sizeof *r->fault_table);
	r->ntables = 1;
	r->tables[0].path = r->rr->table_path;
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];

		r->fault_table[i] = -1;
		if (f->kind != FAULT_INJECT ||
		    r->rr->faults[i].status == FS_SKIPPED)
			continue;
		if (f->table == NULL) {
			r->fault_table[i] = 0;
			continue;
		}
		for (j = 1; j < r->ntables; j++)
			if (strcmp(r->tables[j].path, f->table) == 0)
				break;
		if (j == r->ntables) {
			r->tables[j].path = f->table;
			if (table_open(&r->tables[j].tb, f->table, 0, err,
			    errlen) != 0) {
				if (f->optional) {
					snprintf(r->rr->faults[i].message,
					    sizeof r->rr->faults[i].message,
					    "skipped (optional): %.200s", err);
					r->rr->faults[i].status = FS_SKIPPED;
					log_warn("[inject.%s] %s", f->name,
					    r->rr->faults[i].message);
					continue;
				}
				return (-1);
			}
			r->tables[j].open = 1;
			r->ntables++;
		}
		r->fault_table[i] = j;
	}
	return (0);
}

/* Add what the armed rules of table t injected so far to their faults. */
static void
table_harvest(struct run *r, struct armed_table *t)
{
	int	k;

	if (!t->open || !t->armed)
		return;
	for (k = 0; k < t->nslots; k++) {
		struct fault_result *fr = &r->rr->faults[t->slot[k]];

		fr->matched += atomic_load(&t->tb.map->counter[k].matched);
		fr->injected += atomic_load(&t->tb.map->counter[k].injected);
	}
}

/* Arm table ti with the [inject.*] rules active now, or disarm it. */
static void
table_update(struct run *r, int ti, uint64_t now)
{
	const struct scenario *sc = r->sc;
	struct armed_table *t = &r->tables[ti];
	struct rule_set	*set;
	uint64_t	 next = sc->duration_ns, deadline;
	char		 err[RULE_ERR_MAX], owner[128];
	int		 i;

	if (!t->open)
		return;
	table_harvest(r, t);
	set = xcalloc(1, sizeof *set);
	t->nslots = 0;
	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		uint64_t end = r->rr->chaos_end_ns;

		if (r->fault_table[i] != ti)
			continue;
		if (r->rr->faults[i].status == FS_ACTIVE) {
			set->rule[set->n++] = f->rule;
			t->slot[t->nslots++] = i;
			end = fault_end_ns(sc, f);
			if (end < next)
				next = end;
		} else if (r->rr->faults[i].status == FS_PENDING &&
		    f->start_ns > now && f->start_ns < next)
			next = f->start_ns;
	}
	if (set->n == 0) {
		if (t->armed) {
			table_disarm(&t->tb);
			registry_remove(t->path);
		}
		t->armed = 0;
		free(set);
		return;
	}
	deadline = realtime_ns() + (next > now ? next - now : 0);
	snprintf(owner, sizeof owner, "chaosd run %s (pid %d)", sc->name,
	    (int)getpid());
	/* registered before it is armed, so abort and recover find it even
	 * if this chaosd is killed; the deadline ends it regardless */
	if (registry_add(t->path, realtime_ns(), deadline, err,
	    sizeof err) != 0)
		log_warn("%s: %s", t->path, err);
	if (table_arm(&t->tb, set, deadline, owner, err, sizeof err) != 0)
		log_warn("%s: %s", t->path, err);
	else
		t->armed = 1;
	free(set);
}

static char *
self_exe(void)
{
	char	buf[PATH_MAX];
	ssize_t	n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return (xstrdup(chaosd_exe));
	buf[n] = '\0';
	return (xstrdup(buf));
}

static int
net_start(struct run *r, int i, uint64_t now)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];
	char	**argv, forv[32], *exe, net[] = "net", apply[] = "apply",
		  dfor[] = "--for";
	uint64_t end = fault_end_ns(r->sc, f);
	pid_t	 pid;
	int	 k, n = 0;

	argv = xcalloc(f->netargc + 8, sizeof *argv);
	exe = self_exe();
	argv[n++] = exe;
	argv[n++] = net;
	argv[n++] = apply;
	for (k = 0; k < f->netargc; k++)
		argv[n++] = f->netargv[k];
	snprintf(forv, sizeof forv, "%llums", (unsigned long long)
	    ((end > now ? end - now : 0) + NET_SLACK_NS) / NS_PER_MS);
	argv[n++] = dfor;
	argv[n++] = forv;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execv(exe, argv);
		_exit(127);
	}
	free(argv);
	free(exe);
	if (pid < 0) {
		snprintf(fr->message, sizeof fr->message, "fork: %s",
		    strerror(errno));
		return (-1);
	}
	fr->pid = pid;
	return (0);
}

/* Stop chaosd net apply: it reverts on SIGTERM (exit 3), or did (0). */
static int
net_stop(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	struct timespec	ts = { 0, 10 * 1000 * 1000 };
	uint64_t	deadline = mono_ns() + 10 * NS_PER_S;
	int		status;

	if (fr->pid <= 0)
		return (0);
	kill(fr->pid, SIGTERM);
	for (;;) {
		pid_t w = waitpid(fr->pid, &status, WNOHANG);

		if (w == fr->pid)
			break;
		if (mono_ns() > deadline) {
			snprintf(fr->message, sizeof fr->message, "chaosd net "
			    "apply did not exit 10s after SIGTERM: the "
			    "journal keeps the fault (chaosd recover)");
			fr->pid = 0;
			return (-1);
		}
		nanosleep(&ts, NULL);
	}
	fr->pid = 0;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
	    WEXITSTATUS(status) == 3))
		return (0);
	snprintf(fr->message, sizeof fr->message, "revert failed (chaosd net "
	    "apply: status %d): the journal keeps it; run chaosd recover",
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return (-1);
}

/* A chaosd net apply that exited while its fault was active. */
static int
net_poll(struct run *r, int i)
{
	struct fault_result *fr = &r->rr->faults[i];
	int	status;

	if (fr->pid <= 0 || waitpid(fr->pid, &status, WNOHANG) != fr->pid)
		return (0);
	fr->pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (0);
	snprintf(fr->message, sizeof fr->message, "could not be applied "
	    "(chaosd net apply: status %d; its message is above)",
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return (-1);
}

static void
fault_begin(struct run *r, int i, uint64_t now)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];

	fr->status = FS_ACTIVE;
	fr->start_ns = now;
	fr->applied = 1;
	run_event(r->rr, "%s.%s %s", fault_kind_name(f->kind), f->name,
	    f->kind == FAULT_NETWORK ? "being applied (chaosd net apply)" :
	    "applied");
	if (f->kind == FAULT_NETWORK && net_start(r, i, now) != 0) {
		fr->status = FS_FAILED;
		fr->applied = 0;
	}
}

static void
fault_finish(struct run *r, int i, uint64_t now)
{
	const struct sc_fault *f = &r->sc->faults[i];
	struct fault_result *fr = &r->rr->faults[i];

	if (fr->status != FS_ACTIVE)
		return;
	fr->status = FS_DONE;
	fr->end_ns = now;
	if (f->kind == FAULT_NETWORK && net_stop(r, i) != 0) {
		fr->status = FS_REVERT_FAILED;
		r->rollback_failed = 1;
	}
	run_event(r->rr, "%s.%s %s", fault_kind_name(f->kind), f->name,
	    fr->status == FS_DONE ? "reverted" : "revert FAILED");
}

/* Faults to begin or end at now; tables re-armed when their set changed. */
static void
faults_step(struct run *r, uint64_t now, int ending)
{
	const struct scenario *sc = r->sc;
	int	changed[RULE_MAX + 1] = { 0 };
	int	i;

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		struct fault_result *fr = &r->rr->faults[i];

		if (fr->status == FS_ACTIVE &&
		    (ending || now >= fault_end_ns(sc, f))) {
			fault_finish(r, i, now);
			if (r->fault_table[i] >= 0)
				changed[r->fault_table[i]] = 1;
		} else if (fr->status == FS_PENDING && !ending &&
		    now >= f->start_ns) {
			fault_begin(r, i, now);
			if (r->fault_table[i] >= 0)
				changed[r->fault_table[i]] = 1;
		}
	}
	for (i = 0; i < r->ntables; i++)
		if (changed[i])
			table_update(r, i, now);
}

/* ---- the run ---------------------------------------------------- */

static void
set_outcome(struct run_result *rr, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The worst outcome wins; the first reason for it is kept. */
static void
set_outcome(struct run_result *rr, int status, const char *fmt, ...)
{
	va_list	ap;

	if (status < rr->exit_status ||
	    (status == rr->exit_status && rr->reason[0] != '\0'))
		return;
	rr->exit_status = status;
	va_start(ap, fmt);
	vsnprintf(rr->reason, sizeof rr->reason, fmt, ap);
	va_end(ap);
}

static void
workload_kill(struct run *r)
{
	struct timespec	ts = { 0, 10 * 1000 * 1000 };
	uint64_t	deadline;
	int		status;

	if (r->workload <= 0)
		return;
	kill(-r->workload, SIGTERM);
	deadline = mono_ns() + 3 * NS_PER_S;
	while (waitpid(r->workload, &status, WNOHANG) != r->workload) {
		if (mono_ns() > deadline) {
			kill(-r->workload, SIGKILL);
			waitpid(r->workload, &status, 0);
			break;
		}
		nanosleep(&ts, NULL);
	}
	kill(-r->workload, SIGKILL);
	r->rr->workload_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->rr->workload_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	r->workload = 0;
}

static int
workload_poll(struct run *r)
{
	int	status;

	if (r->workload <= 0 || waitpid(r->workload, &status, WNOHANG) !=
	    r->workload)
		return (0);
	kill(-r->workload, SIGKILL);	/* what it left behind */
	r->workload = 0;
	r->rr->workload_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->rr->workload_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (WIFEXITED(status))
		run_event(r->rr, "workload exited with status %d",
		    WEXITSTATUS(status));
	else
		run_event(r->rr, "workload killed by signal %d",
		    WTERMSIG(status));
	return (1);
}

/*
 * The workload: sh -c in its own process group, under the shim, and
 * under the [syscall.*] filter, installed between fork and exec (the
 * seccomp supervisor then runs here, before anything waits on it).
 */
static int
workload_start(struct run *r, char *err, size_t errlen)
{
	char	 sh[] = "sh", dash_c[] = "-c", *argv[4];
	sigset_t none;
	pid_t	 pid;

	if (r->syscalls == NULL)
		return (spawn_sh(r->workload_text, r->env, SPAWN_INHERIT,
		    &r->workload, err, errlen));
	argv[0] = sh;
	argv[1] = dash_c;
	argv[2] = r->workload_text;
	argv[3] = NULL;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return (-1);
	}
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (syscall_faults_child(r->syscalls) != 0) {
			log_warn("installing the syscall filter: %s",
			    strerror(errno));
			_exit(EXIT_INTERNAL);
		}
		execve("/bin/sh", argv, r->env);
		_exit(EXIT_NOTFOUND);
	}
	setpgid(pid, pid);
	r->workload = pid;
	if (syscall_faults_start(r->syscalls, pid, r->sc->have_seed,
	    r->sc->seed, err, errlen) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		r->workload = 0;
		return (-1);
	}
	return (0);
}

/* The chaos phase: returns when it ends, or is aborted. */
static void
chaos(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	struct timespec	ts = { 0, TICK_NS };
	char		err[256];
	uint64_t	now, last_progress = 0, planned = chaos_end_ns(sc);
	int		i;

	rr->t0_mono = mono_ns();
	rr->chaos_end_ns = planned;
	if (r->workload_text != NULL) {
		if (workload_start(r, err, sizeof err) != 0) {
			set_outcome(rr, EXIT_FAILED, "workload: %s", err);
			return;
		}
		rr->workload_ran = 1;
		run_event(rr, "workload started (pid %d)", (int)r->workload);
	}
	if (checks_start(rr, r->check_env, &run_stop) != 0) {
		set_outcome(rr, EXIT_ABORTED, "cannot start the checks");
		return;
	}
	for (;;) {
		now = run_clock(rr);
		if (run_stop) {
			set_outcome(rr, EXIT_ABORTED, "interrupted by %s",
			    signal_name(run_signal) ? signal_name(run_signal) :
			    "a signal");
			break;
		}
		if (r->workload_text != NULL && workload_poll(r))
			break;
		if (now >= sc->duration_ns) {
			if (r->workload > 0) {
				char d[32];

				fmt_dur(sc->duration_ns, d, sizeof d);
				run_event(rr, "workload still running at the "
				    "duration (%s): stopped", d);
				workload_kill(r);
				set_outcome(rr, EXIT_FAILED, "the workload did "
				    "not finish within the scenario's "
				    "duration (%s)", d);
			}
			break;
		}
		if (r->workload_text == NULL && now >= planned)
			break;
		faults_step(r, now, 0);
		for (i = 0; i < sc->nfaults; i++) {
			if (sc->faults[i].kind == FAULT_NETWORK &&
			    rr->faults[i].status == FS_ACTIVE &&
			    net_poll(r, i) != 0) {
				rr->faults[i].status = FS_FAILED;
				rr->faults[i].end_ns = now;
				if (!sc->faults[i].optional) {
					set_outcome(rr, EXIT_ABORTED,
					    "[network.%s] %s", sc->faults[i].name,
					    rr->faults[i].message);
					goto out;
				}
				rr->faults[i].status = FS_SKIPPED;
				rr->faults[i].applied = 0;
				run_event(rr, "network.%s could not be applied: "
				    "skipped (optional)", sc->faults[i].name);
				log_warn("[network.%s] optional: %s",
				    sc->faults[i].name, rr->faults[i].message);
			}
		}
		service_poll(rr, r->env, 0);
		pthread_mutex_lock(&rr->lock);
		for (i = 0; i < sc->nchecks; i++) {
			const struct sc_check *c = &sc->checks[i];

			if (c->abort_after > 0 &&
			    rr->checks[i].consecutive >= c->abort_after) {
				rr->checks[i].verdict = V_FAIL;
				pthread_mutex_unlock(&rr->lock);
				set_outcome(rr, EXIT_ABORTED, "check %s failed "
				    "%llu times in a row (abort_after): "
				    "aborted", c->name, (unsigned long long)
				    rr->checks[i].consecutive);
				run_event(rr, "abort: check %s: abort_after",
				    c->name);
				goto out;
			}
		}
		pthread_mutex_unlock(&rr->lock);
		if (r->progress && now - last_progress >= 250 * NS_PER_MS) {
			report_progress(rr, stdout);
			last_progress = now;
		}
		nanosleep(&ts, NULL);
	}
out:
	rr->chaos_end_ns = run_clock(rr);
}

/* Put everything back: faults first, then the workload. */
static void
rollback(struct run *r)
{
	uint64_t now = run_clock(r->rr);
	int	 i;

	checks_stop();
	faults_step(r, now, 1);
	for (i = 0; i < r->ntables; i++) {
		if (r->tables[i].open && r->tables[i].armed) {
			table_harvest(r, &r->tables[i]);
			table_disarm(&r->tables[i].tb);
			registry_remove(r->tables[i].path);
			r->tables[i].armed = 0;
		}
	}
	workload_kill(r);
	syscall_faults_stop(r->syscalls);
	if (r->progress)
		fputs("\r\033[K", stdout);
}

/* 'after': each must pass within its recover_within. */
static void
after_checks(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	struct timespec	 ts = { 0, 5 * 1000 * 1000 };
	uint64_t	*next, t0 = mono_ns();
	int		*done, left = 0, i;

	next = xcalloc(sc->nchecks + 1, sizeof *next);
	done = xcalloc(sc->nchecks + 1, sizeof *done);
	for (i = 0; i < sc->nchecks; i++) {
		done[i] = !(sc->checks[i].when & WHEN_AFTER);
		left += !done[i];
	}
	while (left > 0 && !run_stop) {
		for (i = 0; i < sc->nchecks; i++) {
			const struct sc_check *c = &sc->checks[i];
			uint64_t now = mono_ns();

			if (done[i] || now < next[i])
				continue;
			next[i] = now + c->interval_ns;
			service_poll(rr, r->env, 0);
			if (check_probe(rr, i, WHEN_AFTER, r->check_env) ==
			    V_PASS) {
				done[i] = 1;
				left--;
			} else if (mono_ns() - t0 >= c->recover_within_ns) {
				char d[32];

				fmt_dur(c->recover_within_ns, d, sizeof d);
				done[i] = 1;
				left--;
				rr->checks[i].verdict = V_FAIL;
				snprintf(rr->checks[i].message + strlen(
				    rr->checks[i].message), sizeof
				    rr->checks[i].message - strlen(
				    rr->checks[i].message),
				    " (not recovered within %s)", d);
			}
		}
		nanosleep(&ts, NULL);
	}
	free(next);
	free(done);
}

/*
 * Time to detect and to recover, per fault window. A check detects the
 * fault when it fails inside the window after passing before it (or
 * with no probe before it); a check that could not run (an error) or
 * that was already failing says nothing about this fault. Recovered:
 * the first moment after the window when every check that detected it
 * passes again.
 */
static void
fault_times(struct run_result *rr)
{
	const struct scenario *sc = rr->sc;
	int	i, k, *det, *ok;
	size_t	*pos;

	det = xcalloc(sc->nchecks + 1, sizeof *det);
	ok = xcalloc(sc->nchecks + 1, sizeof *ok);
	pos = xcalloc(sc->nchecks + 1, sizeof *pos);
	for (i = 0; i < sc->nfaults; i++) {
		struct fault_result *fr = &rr->faults[i];
		uint64_t detect = UINT64_MAX;
		int	 ndet = 0;

		fr->ttd_ms = fr->ttr_ms = -1;
		if (!fr->applied)
			continue;
		for (k = 0; k < sc->nchecks; k++) {
			const struct check_result *cr = &rr->checks[k];
			int	 before = 1;
			size_t	 j;

			det[k] = 0;
			for (j = 0; j < cr->nprobes; j++) {
				const struct probe *p = &cr->probes[j];

				if (p->v == V_ERROR)
					continue;
				if (p->t_ns < fr->start_ns) {
					before = p->v == V_PASS;
					continue;
				}
				if (p->t_ns > fr->end_ns)
					break;
				if (p->v == V_FAIL && before) {
					det[k] = 1;
					ndet++;
					if (p->t_ns < detect)
						detect = p->t_ns;
					break;
				}
			}
		}
		if (ndet == 0)
			continue;
		fr->ttd_ms = (int64_t)((detect - fr->start_ns) / NS_PER_MS);
		for (k = 0; k < sc->nchecks; k++) {
			const struct check_result *cr = &rr->checks[k];
			size_t j;

			ok[k] = !det[k];
			for (j = 0; j < cr->nprobes &&
			    cr->probes[j].t_ns <= fr->end_ns; j++)
				if (det[k] && cr->probes[j].v != V_ERROR)
					ok[k] = cr->probes[j].v == V_PASS;
			pos[k] = j;
		}
		for (;;) {
			uint64_t t = UINT64_MAX;
			int	 who = -1, all = 1;

			for (k = 0; k < sc->nchecks; k++) {
				const struct check_result *cr = &rr->checks[k];

				if (det[k] && pos[k] < cr->nprobes &&
				    cr->probes[pos[k]].t_ns < t) {
					t = cr->probes[pos[k]].t_ns;
					who = k;
				}
			}
			if (who < 0)
				break;
			if (rr->checks[who].probes[pos[who]].v != V_ERROR)
				ok[who] = rr->checks[who].probes[pos[who]].v ==
				    V_PASS;
			pos[who]++;
			for (k = 0; k < sc->nchecks; k++)
				all &= ok[k];
			if (all) {
				fr->ttr_ms = (int64_t)((t > fr->end_ns ?
				    t - fr->end_ns : 0) / NS_PER_MS);
				break;
			}
		}
	}
	free(det);
	free(ok);
	free(pos);
}

static void
verdicts(struct run *r)
{
	struct run_result *rr = r->rr;
	const struct scenario *sc = r->sc;
	int	i;
	size_t	j;

	for (i = 0; i < sc->nchecks; i++) {
		const struct sc_check *c = &sc->checks[i];
		struct check_result *cr = &rr->checks[i];

		if (cr->verdict != V_PASS)
			continue;
		if (cr->nprobes > 0 && cr->errors == cr->nprobes) {
			cr->verdict = V_ERROR;
			continue;
		}
		for (j = 0; j < cr->nprobes; j++) {
			const struct probe *p = &cr->probes[j];

			if (p->v == V_PASS)
				continue;
			if (p->phase == WHEN_DURING &&
			    (c->recover_within_ns > 0 || c->abort_after > 0))
				continue;	/* degradation allowed */
			if (p->phase == WHEN_AFTER)
				continue;	/* recovery decided that */
			cr->verdict = p->v == V_ERROR ? V_ERROR : V_FAIL;
			break;
		}
	}
	for (i = 0; i < sc->nchecks; i++) {
		if (rr->checks[i].verdict != V_PASS) {
			set_outcome(rr, EXIT_FAILED, "check %s %s: %s",
			    sc->checks[i].name, rr->checks[i].verdict ==
			    V_ERROR ? "could not run" : "failed",
			    rr->checks[i].message);
			break;
		}
	}
	if (rr->workload_ran && (rr->workload_status != 0 ||
	    rr->workload_signal != 0))
		set_outcome(rr, EXIT_FAILED, "the workload failed (%s %d)",
		    rr->workload_signal ? "signal" : "status",
		    rr->workload_signal ? rr->workload_signal :
		    rr->workload_status);
}

static int
write_atomic(const struct report_format *fmt, const struct run_result *rr,
    const char *path)
{
	char	*tmp;
	FILE	*f;
	int	 fd, ok;

	xasprintf(&tmp, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		log_warn("report %s: %s", path, strerror(errno));
		free(tmp);
		return (-1);
	}
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	ok = f != NULL && fmt->write(rr, f) == 0;
	if (f != NULL) {
		ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
		ok &= fclose(f) == 0;
	} else
		close(fd);
	if (!ok || rename(tmp, path) != 0) {
		log_warn("report %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}

static const char *
status_word(int exit_status)
{
	switch (exit_status) {
	case 0:
		return ("passed");
	case EXIT_FAILED:
		return ("failed");
	case EXIT_USAGE:
		return ("error");
	case EXIT_ABORTED:
		return ("aborted");
	default:
		return ("rollback_failed");
	}
}

/* Preflight: what must hold before anything is applied. 0, or exit 2. */
static int
preflight(struct run *r)
{
	const struct scenario *sc = r->sc;
	struct run_result *rr = r->rr;
	char	*cause, sup[256];
	int	 i, cap = -1;

	for (i = 0; i < sc->nfaults; i++) {
		const struct sc_fault *f = &sc->faults[i];
		struct fault_result *fr = &rr->faults[i];
		const char *why = NULL;

		if (f->kind == FAULT_NETWORK) {
			if (cap < 0)
				cap = net_has_cap_admin();
			if (!cap)
				why = "needs CAP_NET_ADMIN (run chaosd as root)";
		} else if (f->kind == FAULT_SYSCALL) {
			if (r->workload_text == NULL)
				why = "a syscall fault applies to the workload: "
				    "give [scenario] command = or -- CMD";
			else if (!sc_rule_in_kernel(f->sc) &&
			    !syscall_faults_supported(sup, sizeof sup))
				why = sup;
		}
		if (why == NULL)
			continue;
		if (!f->optional) {
			log_warn("%s:%d: [%s.%s] %s; or mark it optional = yes",
			    sc->path, f->line, fault_kind_name(f->kind),
			    f->name, why);
			return (-1);
		}
		fr->status = FS_SKIPPED;
		snprintf(fr->message, sizeof fr->message, "skipped "
		    "(optional): %.200s", why);
		fprintf(stderr, "chaosd run: notice: [%s.%s] %s\n",
		    fault_kind_name(f->kind), f->name, fr->message);
	}
	for (i = 0; i < sc->nfaults; i++) {
		struct syscall_rule *sr;
		char	 err[RULE_ERR_MAX];

		if (sc->faults[i].kind != FAULT_SYSCALL ||
		    rr->faults[i].status == FS_SKIPPED)
			continue;
		if (r->syscalls == NULL)
			r->syscalls = syscall_faults_new();
		if ((sr = syscall_faults_add(r->syscalls, err,
		    sizeof err)) == NULL) {
			log_warn("%s: %s", sc->path, err);
			return (-1);
		}
		*sr = *sc->faults[i].sc;
	}
	if (r->syscalls != NULL) {
		char	err[RULE_ERR_MAX];

		if (syscall_faults_prepare(r->syscalls, err, sizeof err) != 0) {
			log_warn("%s: [syscall.*]: %s", sc->path, err);
			return (-1);
		}
	}
	if ((r->libinject = preload_find(&cause)) == NULL) {
		if (r->workload_text != NULL || sc->nservices > 0) {
			log_warn("%s", cause);
			free(cause);
			return (-1);
		}
		free(cause);
		r->libinject = xstrdup("libinject.so");
	}
	return (0);
}

static int
run_parse_args(struct run *r, int argc, char **argv, const char **file,
    char ***cmd)
{
	static const struct option longopts[] = {
		{ "report",	required_argument, NULL, 'r' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct report_format *const formats[] = {
		&report_json_format, &report_junit_format, &report_text_format
	};
	char	q[128];
	int	ch, k, dd;

	/* -- CMD: split it off first, options may follow SCENARIO */
	*cmd = NULL;
	for (dd = 1; dd < argc; dd++) {
		if (strcmp(argv[dd], "--") == 0) {
			if (dd + 1 < argc)
				*cmd = argv + dd + 1;
			else {
				log_warn("nothing after --");
				return (run_usage_error());
			}
			argc = dd;
			break;
		}
	}
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":r:nvh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r': {
			const char *eq = strchr(optarg, '=');

			for (k = 0; k < 3 && eq != NULL; k++)
				if (strlen(formats[k]->name) ==
				    (size_t)(eq - optarg) &&
				    strncmp(formats[k]->name, optarg,
				    eq - optarg) == 0)
					break;
			if (eq == NULL || k == 3 || eq[1] == '\0') {
				log_warn("--report '%s': give json=FILE, "
				    "junit=FILE or text=FILE",
				    log_excerpt(q, sizeof q, optarg));
				return (run_usage_error());
			}
			if (r->nreports == REPORTS_MAX) {
				log_warn("--report: at most %d", REPORTS_MAX);
				return (run_usage_error());
			}
			r->reports[r->nreports].fmt = formats[k];
			r->reports[r->nreports++].path = eq + 1;
			break;
		}
		case 'n':
			r->dry_run = 1;
			break;
		case 'v':
			log_add_level();
			break;
		case 'h':
			run_help();
			return (-1);
		case ':':
			log_warn("option '%s' needs an argument",
			    log_excerpt(q, sizeof q, argv[optind - 1]));
			return (run_usage_error());
		default:
			log_warn("unknown option '%s'", log_excerpt(q, sizeof q,
			    argv[optind - 1]));
			return (run_usage_error());
		}
	}
	if (optind >= argc) {
		log_warn("no scenario file given");
		return (run_usage_error());
	}
	*file = argv[optind++];
	if (optind < argc) {
		log_warn("unexpected '%s' (one scenario; the workload goes "
		    "after --)", log_excerpt(q, sizeof q, argv[optind]));
		return (run_usage_error());
	}
	return (0);
}

static int
cmd_run_exec(int argc, char **argv)
{
	struct run	 r;
	struct run_result rr;
	struct scenario	*sc;
	struct sigaction sa;
	const char	*file = NULL;
	char		**cmd = NULL, err[1024], *private_dir = NULL;
	time_t		 now;
	int		 i, ret;

	memset(&r, 0, sizeof r);
	if ((ret = run_parse_args(&r, argc, argv, &file, &cmd)) != 0)
		return (ret < 0 ? 0 : ret);
	if ((sc = scenario_load(file, err, sizeof err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		return (EXIT_USAGE);
	}
	r.sc = sc;
	if (cmd != NULL) {
		r.workload_text = shell_quote_argv(cmd);
		free(sc->command);
		sc->command = xstrdup(r.workload_text);
	} else if (sc->command != NULL)
		r.workload_text = xstrdup(sc->command);

	memset(&rr, 0, sizeof rr);
	pthread_mutex_init(&rr.lock, NULL);
	rr.sc = sc;
	rr.workload = r.workload_text;
	rr.workload_status = -1;
	rr.checks = xcalloc(sc->nchecks + 1, sizeof *rr.checks);
	rr.faults = xcalloc(sc->nfaults + 1, sizeof *rr.faults);
	rr.services = xcalloc(sc->nservices + 1, sizeof *rr.services);
	r.rr = &rr;
	now = time(NULL);
	strftime(rr.started, sizeof rr.started, "%Y-%m-%dT%H:%M:%SZ",
	    gmtime(&now));

	for (i = 0; i < r.nreports; i++) {
		char	*dir = xstrdup(r.reports[i].path), *slash;

		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		if (access(slash != NULL ? dir : ".", W_OK) != 0) {
			log_warn("--report %s=%s: %s: %s", r.reports[i].fmt->name,
			    r.reports[i].path, slash != NULL ? dir : ".",
			    strerror(errno));
			free(dir);
			scenario_free(sc);
			return (EXIT_USAGE);
		}
		free(dir);
	}
	if (r.dry_run) {
		timeline_print(sc, stdout);
		printf("dry run: nothing applied\n");
		scenario_free(sc);
		return (0);
	}
	if (preflight(&r) != 0) {
		scenario_free(sc);
		return (EXIT_USAGE);
	}
	if ((rr.table_path = table_dir_choose(sc->name, &private_dir, err,
	    sizeof err)) == NULL) {
		log_warn("fault table: %s", err);
		return (EXIT_USAGE);
	}
	r.table_dir = private_dir;
	if (tables_setup(&r, err, sizeof err) != 0) {
		log_warn("%s", err);
		if (private_dir != NULL)
			rmdir(private_dir);
		return (EXIT_USAGE);
	}
	if (table_open(&r.tables[0].tb, rr.table_path, 1, err,
	    sizeof err) != 0) {
		log_warn("fault table: %s", err);
		return (EXIT_USAGE);
	}
	r.tables[0].open = 1;
	log_info("fault table %s", rr.table_path);
	r.env = env_build(r.libinject, rr.table_path, sc);
	r.check_env = check_environment();
	r.progress = isatty(STDOUT_FILENO) && log_get_level() == 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* services, then the steady state */
	for (i = 0; i < sc->nservices && rr.exit_status == 0; i++) {
		if (service_start(&rr, i, r.env, err, sizeof err) != 0 ||
		    service_wait_ready(&rr, i, &run_stop, err,
		    sizeof err) != 0) {
			if (run_stop)
				set_outcome(&rr, EXIT_ABORTED, "interrupted "
				    "before the chaos");
			else
				set_outcome(&rr, EXIT_FAILED, "steady state "
				    "not met: %s: nothing injected", err);
		}
	}
	for (i = 0; i < sc->nchecks && rr.exit_status == 0; i++) {
		if (!(sc->checks[i].when & WHEN_BEFORE))
			continue;
		if (check_probe(&rr, i, WHEN_BEFORE, r.check_env) != V_PASS) {
			rr.checks[i].verdict = V_FAIL;
			set_outcome(&rr, EXIT_FAILED, "steady state not met: "
			    "check %s: %s: nothing injected",
			    sc->checks[i].name, rr.checks[i].message);
		}
		if (run_stop)
			set_outcome(&rr, EXIT_ABORTED, "interrupted before "
			    "the chaos");
	}
	if (rr.exit_status == 0) {
		rr.chaos_start_ns = 0;
		chaos(&r);
		rollback(&r);
		if (rr.exit_status != EXIT_ABORTED)
			after_checks(&r);
		if (run_stop)
			set_outcome(&rr, EXIT_ABORTED, "interrupted by %s",
			    signal_name(run_signal) ? signal_name(run_signal) :
			    "a signal");
	}
	service_stop_all(&rr);
	for (i = 0; i < sc->nfaults; i++)
		if (rr.faults[i].status == FS_REVERT_FAILED)
			r.rollback_failed = 1;
	if (r.rollback_failed)
		set_outcome(&rr, EXIT_ROLLBACK_FAILED, "a rollback failed: "
		    "the journal keeps what is left (chaosd recover)");
	if (rr.exit_status < EXIT_ABORTED)
		verdicts(&r);
	rr.elapsed_ns = run_clock(&rr);
	checks_finish(&rr);
	fault_times(&rr);
	snprintf(rr.status, sizeof rr.status, "%s",
	    status_word(rr.exit_status));

	/* reports, after rollback */
	report_text_format.write(&rr, stdout);
	fflush(stdout);
	for (i = 0; i < r.nreports; i++)
		if (write_atomic(r.reports[i].fmt, &rr, r.reports[i].path) != 0
		    && rr.exit_status == 0)
			rr.exit_status = EXIT_FAILED;

	for (i = 0; i < r.ntables; i++)
		if (r.tables[i].open)
			table_close(&r.tables[i].tb);
	unlink(rr.table_path);
	if (private_dir != NULL)
		rmdir(private_dir);
	ret = rr.exit_status;
	return (ret);
}
