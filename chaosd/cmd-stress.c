/*
 * cmd-stress.c: chaosd stress memory | cpu | fill | io, the command line
 * of the stressors (stress.c does the work, stress-options.c holds the
 * options it shares with [stress.*] sections: the first operand is the
 * stressor's own key). Also the hidden "chaosd stress worker", which
 * stress.c starts (stress-worker.c).
 *
 * The stressor is started journaled and bound to this chaosd (the
 * guardian kills it and removes its files at once should this chaosd be
 * killed), held for --for D or until SIGINT/SIGTERM/SIGHUP, then
 * stopped, and what it did is said in one line.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "kind.h"
#include "res.h"

static int	cmd_stress_exec(int, char **);

const struct cmd_entry cmd_stress_entry = {
	.name = "stress",
	.usage = "memory SIZE|P% | cpu P% | fill PATH | io DIR [OPTION]... "
	    "[--for D]",
	.summary = "memory, CPU and disk pressure, held and reverted",
	.exec = cmd_stress_exec,
};

enum { O_FOR = 1000, O_HELP };

static const struct option cli_opts[] = {
	{ "for",	required_argument, NULL, O_FOR },
	{ "help",	no_argument,	   NULL, O_HELP },
};
#define NCLI ((int)(sizeof cli_opts / sizeof cli_opts[0]))

static void
stress_help(void)
{
	printf("usage: chaosd stress memory SIZE|P%% [--ramp D] [--oom "
	    "stressor|target] [--force]\n"
	    "       chaosd stress cpu P%% [--workers N]\n"
	    "       chaosd stress fill PATH (--size SIZE | --free P%%) "
	    "[--force]\n"
	    "       chaosd stress io DIR [--io-mode write|read|fsync] "
	    "[--workers N] [--size SIZE]\n"
	    "            ... [--pid PID | --cgroup PATH | --unit UNIT] "
	    "[--for D]\n\n");
	kind_print_options(stress_options, stdout);
	printf("\nHow long:\n"
	    "  --for D                   stop after D (without it: on "
	    "SIGINT/SIGTERM)\n"
	    "\nmemory, cpu and io run in a process of their own "
	    "(chaosd-stress), in the\ncgroups of --pid, --cgroup or --unit "
	    "if given; memory = P%% is then of\nthat cgroup's limit. The "
	    "same options are the keys of a [stress.NAME]\nsection "
	    "(chaosd.scenario(5)), with service = NAME besides.\n"
	    "\nExit status: 0 done, 1 the stressor died before its time (the "
	    "OOM killer),\n2 usage error or refused (nothing done), 3 "
	    "interrupted (stopped), 4 the\nstop failed (chaosd recover "
	    "retries).\n");
}

static int
stress_parse(int argc, char **argv, struct stress_spec *s, uint64_t *for_ns,
    int *help, char *err, size_t errlen)
{
	struct kind_getopt g;
	int		 ch, r = -1;

	*help = 0;
	kind_getopt_init(&g, stress_options, cli_opts, NCLI, s);
	while ((ch = kind_getopt_next(&g, argc, argv, err, errlen)) >= 0) {
		switch (ch) {
		case 'h':
		case O_HELP:
			*help = 1;
			r = 0;
			goto out;
		case O_FOR:
			if (kind_duration_arg("--for", optarg, for_ns, err,
			    errlen) != 0)
				goto out;
			break;
		}
	}
	if (ch == KIND_GETOPT_ERROR)
		goto out;
	if (optind < argc)
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
	else
		r = stress_spec_check(s, err, errlen);
out:
	kind_getopt_free(&g);
	return (r);
}

/* The stressor's own key, as its first operand: "memory 2G". */
static int
stress_operand(struct stress_spec *s, const char *type, const char *value,
    char *err, size_t errlen)
{
	const struct kind_option *o;
	char	why[RULE_ERR_MAX];

	for (o = stress_options; o->name != NULL; o++) {
		if (strcmp(o->name, type) != 0 || !(o->flags & KO_SCENARIO) ||
		    strcmp(type, "service") == 0)
			continue;
		if (value == NULL || value[0] == '-') {
			snprintf(err, errlen, "%s needs its value first "
			    "(chaosd stress %s %s)", type, type, o->arg);
			return (-1);
		}
		if (o->set(s, value, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: %s", type, why);
			return (-1);
		}
		return (0);
	}
	snprintf(err, errlen, "unknown stressor '%.40s' (memory, cpu, fill or "
	    "io)", type);
	return (-1);
}

static int
stress_run(const struct stress_spec *s, uint64_t for_ns)
{
	struct stress_how how;
	struct stressor	 st;
	struct procset	 set;
	sigset_t	 sigs;
	uint64_t	 end;
	char		 err[1024], what[1024], d[32], pidw[48];
	int		 sig = 0, status = 0, said = 0;

	memset(&how, 0, sizeof how);
	memset(&set, 0, sizeof set);
	if (s->tg.type != TG_NONE) {
		if (target_resolve(&s->tg, 0, 0, &set, err, sizeof err) != 0)
			goto refused;
		if (set.n == 0 && set.cgroup[0] == '\0') {
			snprintf(err, sizeof err, "no such process: %s",
			    set.what);
			goto refused;
		}
		if (stress_placement(&set, &how, err, sizeof err) != 0)
			goto refused;
	}
	stop_signals(&sigs);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	how.bound = 1;
	how.expires_ms = for_ns != 0 ? now_ms() + for_ns / 1000000 : 0;
	if (stress_start(s, &how, &st, err, sizeof err) != 0) {
		log_warn("%s", err);
		cgroup_paths_free(how.join, how.njoin);
		procset_free(&set);
		return (EXIT_USAGE);
	}
	end = for_ns != 0 ? mono_ns() + for_ns : UINT64_MAX;
	for (;;) {
		stress_poll(&st);
		if (st.ready && !said) {
			stress_spec_describe(s, what, sizeof what);
			pidw[0] = d[0] = '\0';
			if (st.pid > 0)
				snprintf(pidw, sizeof pidw, " (stressor pid "
				    "%ld)", (long)st.pid);
			if (for_ns != 0)
				fmt_dur(for_ns, d, sizeof d);
			printf("chaosd: %s: in place%s%s%s\n", what, pidw,
			    d[0] ? ", for " : "", d);
			fflush(stdout);
			said = 1;
		}
		if (st.exited) {
			status = EXIT_FAILED;
			break;
		}
		if (mono_ns() >= end)
			break;
		if ((sig = signal_wait(&sigs, end - mono_ns() < 100000000ull ?
		    end - mono_ns() : 100000000ull)) > 0) {
			status = EXIT_ABORTED;
			break;
		}
	}
	if (stress_stop(&st, err, sizeof err) != 0) {
		log_warn("stop: %s", err);
		status = EXIT_ROLLBACK_FAILED;
	}
	stress_result(&st, what, sizeof what);
	printf("chaosd: %s%s%s\n", what, status == EXIT_ABORTED ?
	    "; interrupted by " : "", status == EXIT_ABORTED ?
	    strsignal(sig) : "");
	cgroup_paths_free(how.join, how.njoin);
	procset_free(&set);
	return (status);
refused:
	log_warn("%s", err);
	procset_free(&set);
	return (EXIT_USAGE);
}

static int
cmd_stress_exec(int argc, char **argv)
{
	struct stress_spec s;
	uint64_t	 for_ns = 0;
	char		 err[1024];
	int		 help;

	if (argc >= 2 && strcmp(argv[1], "worker") == 0)
		return (stress_worker_main(argc - 1, argv + 1));
	if (argc < 2) {
		cmd_usage(&cmd_stress_entry, 1);
		return (EXIT_USAGE);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		stress_help();
		return (0);
	}
	stress_spec_init(&s);
	if (stress_operand(&s, argv[1], argc > 2 ? argv[2] : NULL, err,
	    sizeof err) != 0) {
		log_warn("%s", err);
		fprintf(stderr, "Try 'chaosd stress --help'.\n");
		return (EXIT_USAGE);
	}
	if (stress_parse(argc - 2, argv + 2, &s, &for_ns, &help, err,
	    sizeof err) != 0) {
		log_warn("%s: %s", argv[1], err);
		fprintf(stderr, "Try 'chaosd stress --help'.\n");
		return (EXIT_USAGE);
	}
	if (help) {
		stress_help();
		return (0);
	}
	return (stress_run(&s, for_ns));
}
