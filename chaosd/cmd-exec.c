/*
 * cmd-exec.c: chaosd exec, run a program with libc faults injected.
 *
 *	chaosd exec [-i RULE]... [-f FILE] [-s SYSCALL-RULE]... [--seed N] [-v]
 *	    -- CMD [ARG]...
 *
 * The rules are validated here, with the parser the shim uses, before
 * anything runs: a bad rule is exit 2 and a message, and CMD never
 * starts. The shim then gets them back through the environment
 * (CHAOS_INJECT holds rule_format()'s canonical text of exactly the
 * rules validated, CHAOS_INJECT_FILE the absolute path of -f's file),
 * with libinject.so appended to LD_PRELOAD. chaosd forks, execs CMD,
 * forwards termination signals to it and returns its status like env(1)
 * does: its exit status, 128+N when killed by signal N, 126 when it
 * cannot be run, 127 when it is not found.
 *
 * The shim's lines go to a log of exec's own (CHAOS_LOG_FD, exec-reach.c):
 * its warnings are passed on to stderr as they come (every line with -v),
 * and at the end each rule that matched no call, summed over the
 * processes' summaries, is said, with a hint.
 *
 * The steps are split so that syscall faults (-s, seccomp) can
 * slot in: exec_prepare() before the fork (build the filter), the child
 * side in exec_child() (install it: after fork, before execve), the
 * parent side in exec_parent() (run the notification supervisor).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chaosd.h"
#include "exec-reach.h"

extern char **environ;

static int	cmd_exec_exec(int, char **);

const struct cmd_entry cmd_exec_entry = {
	.name = "exec",
	.usage = "[-i RULE]... [-f FILE] [-s SYSCALL-RULE]... [--seed N] [-v] "
	    "-- CMD [ARG]...",
	.summary = "run a program with libc faults injected",
	.exec = cmd_exec_exec,
};

#define EXEC_QUOTE_MAX	72	/* longest piece of a rule quoted back */


struct exec_opts {
	/* from the command line */
	const char	**inject;	/* -i texts, in order */
	int		  ninject;
	const char	 *file;		/* -f, as given */
	int		  have_seed;
	uint64_t	  seed;
	char		**argv;		/* CMD [ARG]... */

	/* from exec_prepare() */
	struct rule_set	 *rules;	/* every -i rule, in order */
	int		  nfile;	/* how many rules -f's file holds */
	char		 *file_abs;
	char		 *inject_env;	/* CHAOS_INJECT, canonical */
	char		 *libinject;
	struct env	  env;

	struct syscall_faults *syscalls;	/* -s, NULL if none */
	struct exec_log	  log;		/* the shim's lines (fd -1: none) */
	int		  exec_failed[2];	/* a close-on-exec pipe: the
						   child's errno if CMD's
						   execvpe failed */
};

static const struct option exec_longopts[] = {
	{ "inject",	required_argument,	NULL, 'i' },
	{ "file",	required_argument,	NULL, 'f' },
	{ "syscall",	required_argument,	NULL, 's' },
	{ "seed",	required_argument,	NULL, 'S' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
exec_help(void)
{
	cmd_usage(&cmd_exec_entry, 0);
	printf("\n"
	    "Run CMD with libinject.so preloaded and the given rules armed.\n"
	    "\n"
	    "  -i, --inject RULE  a fault rule (libinject(7)); repeatable, and\n"
	    "                     one RULE may hold several, separated by ';'\n"
	    "  -f, --file FILE    rules from an INI file's [inject.NAME] sections\n"
	    "  -s, --syscall RULE a syscall fault (seccomp; static binaries too):\n"
	    "                     SYSCALLS:KEY=VALUE..., see chaosd(8); repeatable\n"
	    "      --seed N       seed the shim's and -s's random decisions\n"
	    "                     (reproducible runs)\n"
	    "  -v, --verbose      say what is run, and log every injection\n"
	    "                     (CHAOS_LOG=stderr); twice: debug\n"
	    "  -h, --help         show this help and exit\n"
	    "\n"
	    "Exit status: CMD's, or 128+N when it was killed by signal N;\n"
	    "2 for a usage or rule error (nothing run); 126 CMD cannot be run;\n"
	    "127 CMD not found. At the end, a rule that matched no call in\n"
	    "any process, or never fired, is named on stderr (the status\n"
	    "stays CMD's), and so is a run whose processes all died before\n"
	    "reporting what they matched (killed by a signal).\n"
	    "\n"
	    "Example:\n"
	    "  chaosd exec -i '%%read:path=/etc/hosts:error=EIO' -- cat /etc/hosts\n");
}

static int
exec_usage_error(void)
{
	cmd_usage(&cmd_exec_entry, 1);
	fprintf(stderr, "Try 'chaosd exec --help' for more information.\n");
	return (EXIT_USAGE);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static int
exec_parse_args(struct exec_opts *o, int argc, char **argv)
{
	char	 err[RULE_ERR_MAX], q[EXEC_QUOTE_MAX];
	int	 ch;

	o->inject = xcalloc(argc, sizeof *o->inject);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:i:f:s:vh", exec_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'i':
			o->inject[o->ninject++] = optarg;
			break;
		case 'f':
			if (o->file != NULL) {
				log_warn("-f given twice: one rule file at "
				    "most (it may hold many [inject.*] "
				    "sections)");
				return (exec_usage_error());
			}
			o->file = optarg;
			break;
		case 's':
			if (o->syscalls == NULL)
				o->syscalls = syscall_faults_new();
			if (syscall_faults_parse(o->syscalls, optarg, err,
			    sizeof err) != 0) {
				log_warn("-s '%s': %s",
				    log_excerpt(q, sizeof q, optarg), err);
				return (EXIT_USAGE);
			}
			break;
		case 'S':
			if (parse_uint(optarg, UINT64_MAX, &o->seed, err,
			    sizeof err) != 0) {
				log_warn("--seed '%s': %s",
				    log_excerpt(q, sizeof q, optarg), err);
				return (EXIT_USAGE);
			}
			o->have_seed = 1;
			break;
		case 'v':
			log_add_level();
			break;
		case 'h':
			exec_help();
			return (-1);
		case ':':
			if (optopt != 0)
				log_warn("option '-%c' needs an argument",
				    optopt);
			else
				log_warn("option '%s' needs an argument",
				    log_excerpt(q, sizeof q, argv[optind - 1]));
			return (exec_usage_error());
		default:
			if (optopt != 0)
				log_warn("unknown option '-%c'", optopt);
			else
				log_warn("unknown option '%s'",
				    log_excerpt(q, sizeof q, argv[optind - 1]));
			return (exec_usage_error());
		}
	}
	if (optind >= argc) {
		log_warn("no command given");
		return (exec_usage_error());
	}
	o->argv = argv + optind;
	return (0);
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */
/* ------------------------------------------------------------------ */

/* Canonical text of a rule set, ';'-separated, for CHAOS_INJECT. */
static char *
exec_format_rules(const struct rule_set *rs)
{
	char	*text, *buf;
	size_t	 len = 0, cap = 4096, bufsz;
	int	 i, n;

	text = xmalloc(cap);
	text[0] = '\0';
	for (i = 0; i < rs->n; i++) {
		bufsz = 4096;
		buf = xmalloc(bufsz);
		while ((n = rule_format(&rs->rule[i], buf, bufsz)) < 0 ||
		    (size_t)n >= bufsz) {
			if (bufsz >= 4 * RULE_TEXT_MAX)
				fatalx("rule %d: cannot format it", i + 1);
			bufsz *= 2;
			buf = xreallocarray(buf, bufsz, 1);
		}
		while (len + n + 2 > cap) {
			cap *= 2;
			text = xreallocarray(text, cap, 1);
		}
		if (i > 0)
			text[len++] = ';';
		memcpy(text + len, buf, n + 1);
		len += n;
		free(buf);
	}
	return (text);
}

/*
 * Parse one -i text, appending its rules to o->rules (so that unnamed
 * rules are numbered rule1, rule2... across all of -i, as the shim will
 * number them in CHAOS_INJECT), or say what is wrong with it.
 */
static int
exec_add_inject(struct exec_opts *o, const char *text)
{
	char	err[RULE_ERR_MAX], q[EXEC_QUOTE_MAX];
	int	base = o->rules->n;

	if (rules_parse(o->rules, text, err, sizeof err) != 0) {
		log_warn("-i '%s': %s", log_excerpt(q, sizeof q, text), err);
		return (-1);
	}
	if (o->rules->n == base) {
		log_warn("-i '%s': no rule in it", log_excerpt(q, sizeof q,
		    text));
		return (-1);
	}
	return (0);
}

/* Parse -f's file, to count and validate it; the shim reads it again. */
static int
exec_check_file(struct exec_opts *o, struct rule_set *tmp, const char *path,
    const char *what)
{
	char	err[RULE_ERR_MAX], real[PATH_MAX];
	size_t	n = strlen(path);

	memset(tmp, 0, sizeof *tmp);
	if (rules_parse_file(tmp, path, err, sizeof err) != 0) {
		/* ini_read_file's errors start with "FILE:LINE:" already. */
		if (strncmp(err, path, n) == 0 && err[n] == ':')
			log_warn("%s", err);
		else
			log_warn("%s%s: %s", what, path, err);
		return (-1);
	}
	if (o->rules->n + tmp->n > RULE_MAX) {
		log_warn("%s%s: too many rules (%d, and %d from -i; at most "
		    "%d in all)", what, path, tmp->n, o->rules->n, RULE_MAX);
		return (-1);
	}
	if (realpath(path, real) == NULL) {
		log_warn("%s%s: %s", what, path, strerror(errno));
		return (-1);
	}
	o->nfile = tmp->n;
	o->file_abs = xstrdup(real);
	return (0);
}

/*
 * Validate every rule and work out what the shim will be told. With no
 * -i and no -f, an inherited CHAOS_INJECT / CHAOS_INJECT_FILE is passed
 * through, but checked first all the same: a bad rule never runs CMD.
 */
static int
exec_rules(struct exec_opts *o)
{
	struct rule_set	*tmp, *again;
	char		 err[RULE_ERR_MAX], q[EXEC_QUOTE_MAX];
	const char	*env;
	int		 i;

	o->rules = xcalloc(1, sizeof *o->rules);
	tmp = xcalloc(1, sizeof *tmp);

	if (o->ninject == 0 && o->file == NULL) {
		env = getenv("CHAOS_INJECT");
		if (env != NULL && *env != '\0') {
			if (rules_parse(tmp, env, err, sizeof err) != 0) {
				log_warn("CHAOS_INJECT='%s': %s",
				    log_excerpt(q, sizeof q, env), err);
				goto fail;
			}
			log_info("passing the inherited CHAOS_INJECT on "
			    "(%d rule%s)", tmp->n, tmp->n == 1 ? "" : "s");
			o->rules->n = tmp->n;
		}
		env = getenv("CHAOS_INJECT_FILE");
		if (env != NULL && *env != '\0') {
			if (exec_check_file(o, tmp, env,
			    "CHAOS_INJECT_FILE=") != 0)
				goto fail;
			log_info("passing the inherited CHAOS_INJECT_FILE on");
		}
		free(tmp);
		return (0);
	}

	for (i = 0; i < o->ninject; i++) {
		if (exec_add_inject(o, o->inject[i]) != 0)
			goto fail;
	}
	if (o->file != NULL && exec_check_file(o, tmp, o->file, "-f ") != 0)
		goto fail;

	if (o->rules->n > 0) {
		o->inject_env = exec_format_rules(o->rules);
		if (strlen(o->inject_env) > RULE_TEXT_MAX) {
			log_warn("the rules are too long for CHAOS_INJECT "
			    "(%zu bytes, at most %d): put them in a file (-f)",
			    strlen(o->inject_env), RULE_TEXT_MAX);
			goto fail;
		}
		/* What the shim will parse must be what was validated. */
		again = tmp;
		memset(again, 0, sizeof *again);
		if (rules_parse(again, o->inject_env, err, sizeof err) != 0 ||
		    again->n != o->rules->n)
			fatalx("CHAOS_INJECT does not parse back: '%s': %s",
			    log_excerpt(q, sizeof q, o->inject_env), err);
	}
	free(tmp);
	return (0);

fail:
	free(tmp);
	return (-1);
}

/* ------------------------------------------------------------------ */
/* Environment                                                         */
/* ------------------------------------------------------------------ */

/*
 * The shim's lines on a log of ours, unless they go elsewhere already
 * (CHAOS_LOG=FILE, or a CHAOS_LOG_FD of a chaosd run we are under).
 */
static void
exec_shim_log(struct exec_opts *o)
{
	const char *log = getenv("CHAOS_LOG");
	char	 err[PATH_MAX + 64], fd[64];

	if (o->rules->n + o->nfile == 0 || getenv("CHAOS_LOG_FD") != NULL ||
	    (log != NULL && *log != '\0' && strcmp(log, "stderr") != 0))
		return;
	if (exec_log_open(&o->log, err, sizeof err) != 0) {
		log_info("the shim's lines go to stderr: %s", err);
		return;
	}
	o->log.verbose = log_get_level() > 0 || (log != NULL &&
	    strcmp(log, "stderr") == 0);
	if (shim_log_fd_env(o->log.fd, fd, sizeof fd) != 0) {
		log_info("the shim's lines go to stderr: %s: %s", o->log.path,
		    strerror(errno));
		exec_log_close(&o->log);
		return;
	}
	env_set(&o->env, "CHAOS_LOG_FD", fd);
	log_info("CHAOS_LOG_FD=%s (%s)", fd, o->log.path);
}

static int
exec_environment(struct exec_opts *o)
{
	char	*cause, *preload, seed[32];
	int	 replace = o->ninject > 0 || o->file != NULL;

	if ((o->libinject = preload_find(&cause)) == NULL) {
		log_warn("%s", cause);
		free(cause);
		return (-1);
	}
	env_init(&o->env);

	preload = preload_append(getenv("LD_PRELOAD"), o->libinject);
	env_set(&o->env, "LD_PRELOAD", preload);
	log_info("LD_PRELOAD=%s", preload);
	free(preload);

	if (replace) {
		/* -i and -f say the whole fault configuration. */
		if (o->inject_env != NULL)
			env_set(&o->env, "CHAOS_INJECT", o->inject_env);
		else
			env_unset(&o->env, "CHAOS_INJECT");
		if (o->file_abs != NULL)
			env_set(&o->env, "CHAOS_INJECT_FILE", o->file_abs);
		else
			env_unset(&o->env, "CHAOS_INJECT_FILE");
	}
	if (o->inject_env != NULL)
		log_info("CHAOS_INJECT=%s", o->inject_env);
	if (o->file_abs != NULL)
		log_info("CHAOS_INJECT_FILE=%s (%d rule%s)", o->file_abs,
		    o->nfile, o->nfile == 1 ? "" : "s");
	if (o->rules->n + o->nfile == 0)
		log_info(o->syscalls != NULL ? "no libc rules: libinject stays "
		    "dormant; the syscall rules (-s) apply" :
		    "no rules: libinject stays dormant");

	if (o->have_seed) {
		snprintf(seed, sizeof seed, "%llu",
		    (unsigned long long)o->seed);
		env_set(&o->env, "CHAOS_SEED", seed);
		log_info("CHAOS_SEED=%s", seed);
	}
	if (log_get_level() > 0) {
		if (getenv("CHAOS_LOG") == NULL || *getenv("CHAOS_LOG") == '\0')
			env_set(&o->env, "CHAOS_LOG", "stderr");
		else
			log_info("CHAOS_LOG=%s (kept)", getenv("CHAOS_LOG"));
	}
	exec_shim_log(o);
	return (0);
}

/* ------------------------------------------------------------------ */
/* Running CMD                                                         */
/* ------------------------------------------------------------------ */

static const int exec_forwarded[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
#define EXEC_NFORWARDED (sizeof exec_forwarded / sizeof exec_forwarded[0])

static volatile sig_atomic_t	exec_child_pid;
static struct sigaction		exec_saved[EXEC_NFORWARDED];

/*
 * Pass a termination signal on to CMD. One the kernel sent on behalf of
 * the terminal (Ctrl-C, Ctrl-\, hangup) went to the whole foreground
 * process group, CMD included, so it is not sent a second time.
 */
static void
exec_forward(int sig, siginfo_t *si, void *uctx)
{
	int	saved_errno = errno;
	pid_t	pid = exec_child_pid;

	(void)uctx;
	if (pid > 0 && si->si_code != SI_KERNEL && si->si_pid != pid)
		kill(pid, sig);
	errno = saved_errno;
}

/* Catch the forwarded signals; they stay blocked until the child is known. */
static void
exec_signals_catch(sigset_t *oldmask)
{
	struct sigaction	sa;
	sigset_t		block;
	size_t			i;

	sigemptyset(&block);
	for (i = 0; i < EXEC_NFORWARDED; i++)
		sigaddset(&block, exec_forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, oldmask);

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = exec_forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < EXEC_NFORWARDED; i++) {
		sigaction(exec_forwarded[i], NULL, &exec_saved[i]);
		/* Ignored by whoever started us (cmd &): CMD inherits that. */
		if (exec_saved[i].sa_handler == SIG_IGN)
			continue;
		sigaction(exec_forwarded[i], &sa, NULL);
	}
}

static void
exec_signals_restore(const sigset_t *oldmask)
{
	size_t	i;

	for (i = 0; i < EXEC_NFORWARDED; i++)
		sigaction(exec_forwarded[i], &exec_saved[i], NULL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
}

/* Before the fork: build the seccomp filter of -s rules. */
static int
exec_prepare(struct exec_opts *o)
{
	char	err[RULE_ERR_MAX];

	if (syscall_faults_prepare(o->syscalls, err, sizeof err) != 0) {
		log_warn("-s: %s", err);
		return (-1);
	}
	return (0);
}

/* In the child, after the fork: load the filter, then exec. */
static dead void
exec_child(struct exec_opts *o, const sigset_t *oldmask)
{
	char	q[PATH_MAX];
	int	error;

	exec_signals_restore(oldmask);
	if (o->log.fd >= 0)
		fcntl(o->log.fd, F_SETFD, 0);	/* CHAOS_LOG_FD */
	if (syscall_faults_child(o->syscalls) != 0) {
		log_warn("installing the syscall filter: %s", strerror(errno));
		_exit(EXIT_INTERNAL);
	}

	execvpe(o->argv[0], o->argv, o->env.v);
	error = errno;
	if (o->exec_failed[1] >= 0)
		(void)!write(o->exec_failed[1], &error, sizeof error);
	log_warn("'%s': %s", log_excerpt(q, sizeof q, o->argv[0]),
	    strerror(error));
	_exit(error == ENOENT || error == ENOTDIR ? EXIT_NOTFOUND :
	    EXIT_CANNOT);
}

/* In chaosd, once CMD runs: the seccomp supervisor, before any wait. */
static int
exec_parent(struct exec_opts *o, pid_t pid)
{
	char	err[RULE_ERR_MAX];

	if (syscall_faults_start(o->syscalls, pid, o->have_seed, o->seed, err,
	    sizeof err) != 0) {
		log_warn("-s: %s", err);
		return (-1);
	}
	return (0);
}

/* Until CMD ends, pass the shim's lines on as they come. */
static void
exec_follow(struct exec_opts *o, pid_t pid)
{
	struct pollfd	pfd;
	int		fd = -1;

#ifdef SYS_pidfd_open
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	if (fd < 0)
		return;		/* then all at the end */
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			break;
		exec_log_relay(&o->log);
		if (pfd.revents != 0)
			break;
	}
	close(fd);
}

static int
exec_wait(struct exec_opts *o, pid_t pid)
{
	const char	*name;
	int		 status, sig;

	if (o->log.fd >= 0)
		exec_follow(o, pid);
	for (;;) {
		if (waitpid(pid, &status, 0) == pid)
			break;
		if (errno != EINTR) {
			log_warn("waitpid: %s", strerror(errno));
			return (EXIT_INTERNAL);
		}
	}
	if (WIFEXITED(status)) {
		log_info("%s exited with status %d", o->argv[0],
		    WEXITSTATUS(status));
		return (WEXITSTATUS(status));
	}
	if (WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		name = signal_name(sig);
		log_info("%s killed by signal %d (%s)%s", o->argv[0], sig,
		    name != NULL ? name : "?",
		    WCOREDUMP(status) ? ", core dumped" : "");
		return (128 + sig);
	}
	return (EXIT_INTERNAL);
}

static int
exec_run(struct exec_opts *o)
{
	sigset_t	oldmask;
	pid_t		pid;
	int		status, error;

	if (exec_prepare(o) != 0)
		return (EXIT_USAGE);

	log_info("running %s", o->argv[0]);
	if (pipe2(o->exec_failed, O_CLOEXEC) != 0)
		o->exec_failed[0] = o->exec_failed[1] = -1;
	fflush(NULL);
	exec_signals_catch(&oldmask);
	pid = fork();
	if (pid == -1) {
		log_warn("fork: %s", strerror(errno));
		exec_signals_restore(&oldmask);
		if (o->exec_failed[0] >= 0) {
			close(o->exec_failed[0]);
			close(o->exec_failed[1]);
		}
		return (EXIT_INTERNAL);
	}
	if (pid == 0)
		exec_child(o, &oldmask);
	if (o->exec_failed[1] >= 0)
		close(o->exec_failed[1]);

	exec_child_pid = pid;
	sigprocmask(SIG_SETMASK, &oldmask, NULL);	/* deliver pending */

	if (exec_parent(o, pid) != 0) {
		kill(pid, SIGKILL);
		exec_wait(o, pid);
		if (o->exec_failed[0] >= 0)
			close(o->exec_failed[0]);
		return (EXIT_INTERNAL);
	}
	status = exec_wait(o, pid);
	exec_child_pid = 0;
	syscall_faults_stop(o->syscalls);
	/* CMD never ran: nothing to say about the rules */
	if (o->exec_failed[0] < 0 ||
	    read(o->exec_failed[0], &error, sizeof error) != sizeof error)
		exec_log_verdict(&o->log, o->argv[0]);
	if (o->exec_failed[0] >= 0)
		close(o->exec_failed[0]);
	return (status);
}

static int
cmd_exec_exec(int argc, char **argv)
{
	struct exec_opts	o;
	int			r;

	memset(&o, 0, sizeof o);
	o.log.fd = -1;
	if ((r = exec_parse_args(&o, argc, argv)) != 0)
		return (r < 0 ? 0 : r);
	if (exec_rules(&o) != 0)
		return (EXIT_USAGE);
	if (exec_environment(&o) != 0)
		return (EXIT_USAGE);
	r = exec_run(&o);
	exec_log_close(&o.log);
	return (r);
}
