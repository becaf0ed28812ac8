/*
 * cmd-run.c: chaosd run, a scenario from start to report.
 *
 *	chaosd run SCENARIO [--report FORMAT=FILE]... [--dry-run] [-v]
 *	    [-- CMD [ARG]...]
 *
 * The phases, in order. Read and check the file, and everything this
 * machine must offer for each fault (its kind's preflight: libinject,
 * CAP_NET_ADMIN, seccomp...), before anything is applied (exit 2).
 * Journal the run (run-journal.c: should this chaosd be killed, the
 * guardian or recover stops what it started and removes its files), let
 * each fault kind prepare (the run's fault table...), build the
 * environment of the processes the run starts. Start the services and
 * wait until they are ready; learn the steady state: the 'before'
 * checks, each probed for its baseline (run-steady.c: a check that fails
 * it means nothing is injected, exit 1). Then the chaos (run-chaos.c):
 * faults on their windows, the workload, the checks. Roll everything
 * back, check recovery, stop the services, let the kinds clean up; the
 * times to detect and recover, the verdicts and goals (run-verdict.c);
 * the reports, written atomically.
 *
 * The run's files (its fault table...) go in $CHAOSD_RUNDIR when set; as
 * root in /run/chaosd; otherwise in $XDG_RUNTIME_DIR/chaosd when that
 * exists, else in a private directory made with mkdtemp under $TMPDIR or
 * /tmp. They are removed at the end.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "kind.h"
#include "run.h"

static int	cmd_run_exec(int, char **);

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "SCENARIO [--report FORMAT=FILE]... [--dry-run] [-v] "
	    "[-- CMD [ARG]...]",
	.summary = "run a scenario: faults on a timeline, checks, a report",
	.exec = cmd_run_exec,
};

volatile sig_atomic_t run_signal;
volatile int run_stop;

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
	    "  --report html=FILE   one self-contained page: the timeline, the tables\n"
	    "  --report prom=FILE   Prometheus text format (node_exporter's textfile\n"
	    "                       collector)\n"
	    "  --dry-run            check the file and print the timeline; apply nothing\n"
	    "  -v, --verbose        say what happens, as it happens\n"
	    "  -- CMD [ARG]...      the workload (instead of [scenario] command)\n"
	    "\n"
	    "Exit status: 0 every check passed (and the workload succeeded);\n"
	    "1 a check failed, the steady state was not met, the system did not\n"
	    "recover in time, the workload failed, a service crash-looped or a\n"
	    "fault missed a goal (mttd_max, mttr_max); 2 usage or scenario error\n"
	    "(nothing applied); 3 aborted (signal, or abort_after: failures or\n"
	    "deviations from the baseline in a row) and rolled back; 4 a\n"
	    "rollback failed; 5 inconclusive: a fault did not happen as written\n"
	    "(it matched nothing in its window), unless it is optional.\n");
}

static int
run_usage_error(void)
{
	cmd_usage(&cmd_run_entry, 1);
	fprintf(stderr, "Try 'chaosd run --help' for more information.\n");
	return (EXIT_USAGE);
}

/*
 * How bad an outcome is: the worst wins. Inconclusive only ever replaces
 * a pass: a run whose checks failed failed, whatever else happened.
 */
int
outcome_rank(int exit_status)
{
	switch (exit_status) {
	case 0:
		return (0);
	case EXIT_INCONCLUSIVE:
		return (1);
	case EXIT_FAILED:
		return (2);
	case EXIT_USAGE:
		return (3);
	case EXIT_ABORTED:
		return (4);
	default:
		return (5);
	}
}

/* The worst outcome wins; the first reason for it is kept. */
void
set_outcome(struct run_result *rr, int status, const char *fmt, ...)
{
	va_list	ap;
	int	now = outcome_rank(rr->exit_status), rank = outcome_rank(status);

	if (rank < now || (rank == now && rr->reason[0] != '\0'))
		return;
	rr->exit_status = status;
	va_start(ap, fmt);
	vsnprintf(rr->reason, sizeof rr->reason, fmt, ap);
	va_end(ap);
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

/* One report, through file_write_atomic(): written whole or not at all. */
struct report_job {
	const struct report_format	*fmt;
	const struct run_result		*rr;
};

static int
report_job_write(FILE *f, const void *arg)
{
	const struct report_job *j = arg;

	return (j->fmt->write(j->rr, f));
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
		&report_json_format, &report_junit_format, &report_text_format,
		&report_html_format, &report_prom_format
	};
	const int nformats = sizeof formats / sizeof formats[0];
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

			for (k = 0; k < nformats && eq != NULL; k++)
				if (strlen(formats[k]->name) ==
				    (size_t)(eq - optarg) &&
				    strncmp(formats[k]->name, optarg,
				    eq - optarg) == 0)
					break;
			if (eq == NULL || k == nformats || eq[1] == '\0') {
				log_warn("--report '%s': give json=FILE, "
				    "junit=FILE, text=FILE, html=FILE or "
				    "prom=FILE",
				    log_excerpt(q, sizeof q, optarg));
				return (run_usage_error());
			}
			if (r->nreports == RUN_REPORTS_MAX) {
				log_warn("--report: at most %d",
				    RUN_REPORTS_MAX);
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

/* Where the run's files go (see the top); *private when made for it. */
static char *
run_dir_choose(char **private_dir, char *err, size_t errlen)
{
	const char	*xdg = getenv("XDG_RUNTIME_DIR"), *tmp;
	char		*dir;
	struct stat	 st;

	*private_dir = NULL;
	if ((tmp = getenv("CHAOSD_RUNDIR")) != NULL && *tmp == '/') {
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
			return (NULL);
		}
		return (xstrdup(tmp));
	}
	if (geteuid() == 0) {
		if (mkdir("/run/chaosd", 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "/run/chaosd: %s",
			    strerror(errno));
			return (NULL);
		}
		return (xstrdup("/run/chaosd"));
	}
	if (xdg != NULL && *xdg == '/' && stat(xdg, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid()) {
		xasprintf(&dir, "%s/chaosd", xdg);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			free(dir);
			return (NULL);
		}
		return (dir);
	}
	tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp != '/')
		tmp = "/tmp";
	xasprintf(&dir, "%s/chaosd-%u.XXXXXX", tmp, (unsigned)geteuid());
	if (mkdtemp(dir) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(dir);
		return (NULL);
	}
	*private_dir = xstrdup(dir);
	return (dir);
}

/* A --report's directory must be writable before anything starts. */
static int
reports_writable(const struct run *r)
{
	int	i;

	for (i = 0; i < r->nreports; i++) {
		char	*dir = xstrdup(r->reports[i].path), *slash;
		int	 ok;

		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		ok = access(slash != NULL ? dir : ".", W_OK) == 0;
		if (!ok)
			log_warn("--report %s=%s: %s: %s", r->reports[i].fmt->name,
			    r->reports[i].path, slash != NULL ? dir : ".",
			    strerror(errno));
		free(dir);
		if (!ok)
			return (-1);
	}
	return (0);
}

/* The kinds' run state, and the environment of what the run starts. */
static int
kinds_init(struct run *r, char *err, size_t errlen)
{
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if ((*k)->run_init != NULL && (*k)->run_init(r, err, errlen) != 0)
			return (-1);
	env_init(&r->env);
	env_unset(&r->env, "LD_PRELOAD");
	env_unset(&r->env, "CHAOS_*");
	for (k = kind_table; *k != NULL; k++)
		if ((*k)->environ != NULL)
			(*k)->environ(r, &r->env);
	return (0);
}

static void
kinds_fini(struct run *r)
{
	const struct fault_kind *const *k;

	for (k = kind_table; *k != NULL; k++)
		if ((*k)->run_fini != NULL)
			(*k)->run_fini(r);
}

static void
run_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
run_reports(struct run *r)
{
	struct run_result *rr = r->rr;
	struct report_job j = { .rr = rr };
	char	err[PATH_MAX + 128];
	int	i;

	report_text_format.write(rr, stdout);
	fflush(stdout);
	for (i = 0; i < r->nreports; i++) {
		j.fmt = r->reports[i].fmt;
		if (file_write_atomic(r->reports[i].path, report_job_write, &j,
		    err, sizeof err) == 0)
			continue;
		log_warn("report %s", err);
		if (rr->exit_status == 0)
			rr->exit_status = EXIT_FAILED;
	}
}

static int
cmd_run_exec(int argc, char **argv)
{
	struct run	 r;
	struct run_result rr;
	struct scenario	*sc;
	const char	*file = NULL;
	char		**cmd = NULL, err[1024], *cause;
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

	if (reports_writable(&r) != 0) {
		scenario_free(sc);
		return (EXIT_USAGE);
	}
	if (r.dry_run) {
		timeline_print(sc, stdout);
		fflush(stdout);
		scenario_notes(sc, stderr);
		printf("dry run: nothing applied\n");
		scenario_free(sc);
		return (0);
	}
	for (i = 0; i < sc->nservices; i++) {
		if (sc->services[i].user != NULL && geteuid() != 0 &&
		    sc->services[i].uid != geteuid()) {
			log_warn("%s:%d: [service.%s] user = %s: only root can "
			    "start a service as another user", sc->path,
			    sc->services[i].line, sc->services[i].name,
			    sc->services[i].user);
			scenario_free(sc);
			return (EXIT_USAGE);
		}
	}
	if (faults_preflight(&r) != 0) {
		scenario_free(sc);
		return (EXIT_USAGE);
	}
	if ((r.libinject = preload_find(&cause)) == NULL) {
		if (r.workload_text != NULL || sc->nservices > 0) {
			log_warn("%s", cause);
			free(cause);
			scenario_free(sc);
			return (EXIT_USAGE);
		}
		free(cause);
		r.libinject = xstrdup("libinject.so");
	}
	if ((r.dir = run_dir_choose(&r.private_dir, err, sizeof err)) ==
	    NULL) {
		log_warn("run directory: %s", err);
		scenario_free(sc);
		return (EXIT_USAGE);
	}
	snprintf(r.id, sizeof r.id, "%.40s-%ld", sc->name, (long)getpid());
	if (run_journal_begin(&r, err, sizeof err) != 0) {
		log_warn("journal: %s", err);
		if (r.private_dir != NULL)
			rmdir(r.private_dir);
		scenario_free(sc);
		return (EXIT_USAGE);
	}
	if (kinds_init(&r, err, sizeof err) != 0) {
		log_warn("%s", err);
		kinds_fini(&r);
		run_journal_end(&r);
		if (r.private_dir != NULL)
			rmdir(r.private_dir);
		scenario_free(sc);
		return (EXIT_USAGE);
	}
	r.check_env = check_environment();
	r.progress = log_get_level() == 0;	/* a status line, or events */
	run_signals();

	if (steady_state(&r) == 0) {
		chaos(&r);
		rollback(&r);
		if (rr.exit_status != EXIT_ABORTED)
			after_checks(&r);
		if (run_signal != 0)
			set_outcome(&rr, EXIT_ABORTED, "interrupted by %s",
			    signal_name(run_signal) ? signal_name(run_signal) :
			    "a signal");
	}
	service_stop_all(&r);
	kinds_fini(&r);
	for (i = 0; i < sc->nfaults; i++)
		if (rr.faults[i].status == FS_REVERT_FAILED)
			r.rollback_failed = 1;
	if (r.rollback_failed)
		set_outcome(&rr, EXIT_ROLLBACK_FAILED, "a rollback failed: "
		    "the journal keeps what is left (chaosd recover)");
	rr.elapsed_ns = run_clock(&rr);
	checks_finish(&rr);
	fault_times(&rr);
	if (outcome_rank(rr.exit_status) < outcome_rank(EXIT_ABORTED))
		verdicts(&r);
	snprintf(rr.status, sizeof rr.status, "%s",
	    status_word(rr.exit_status));
	run_reports(&r);

	if (r.private_dir != NULL)
		rmdir(r.private_dir);
	run_journal_end(&r);
	ret = rr.exit_status;
	return (ret);
}
