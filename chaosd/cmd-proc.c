/*
 * cmd-proc.c: chaosd proc kill | pause, the command line of the process
 * faults (proc-apply.c does the work, proc-options.c holds the options
 * it shares with [process.*] sections).
 *
 * kill signals its target once and exits, or with --every makes a
 * decision every D (killing with --probability, at most --count times)
 * for --for D or until SIGINT/SIGTERM/SIGHUP. pause stops its target
 * (the cgroup freezer for --cgroup and --unit, SIGSTOP otherwise),
 * journaled first and bound to this chaosd, so that the guardian resumes
 * it at once should this chaosd be killed; it resumes after --for D
 * (exit 0) or on a signal (exit 3). Everything is parsed and the target
 * found before anything is done: a usage error or a target that is not
 * there or not allowed is exit 2, nothing touched.
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

static int	cmd_proc_exec(int, char **);

const struct cmd_entry cmd_proc_entry = {
	.name = "proc",
	.usage = "kill|pause (--pid PID | --name NAME [--all] | --cgroup PATH "
	    "| --unit UNIT) [OPTION]...",
	.summary = "kill or pause processes from outside",
	.exec = cmd_proc_exec,
};

enum { O_FOR = 1000, O_SEED, O_HELP };

static const struct option cli_opts[] = {
	{ "for",	required_argument, NULL, O_FOR },
	{ "seed",	required_argument, NULL, O_SEED },
	{ "help",	no_argument,	   NULL, O_HELP },
};
#define NCLI ((int)(sizeof cli_opts / sizeof cli_opts[0]))

struct proc_opts {
	struct proc_spec s;
	uint64_t	 for_ns;
	int		 has_seed;
	uint64_t	 seed;
};

static void
proc_help(void)
{
	printf("usage: chaosd proc kill TARGET [--signal S] [--every D "
	    "[--probability P]\n"
	    "                           [--count N] [--for D] [--seed N]]\n"
	    "       chaosd proc pause TARGET [--for D]\n\n"
	    "TARGET is --pid PID, --name NAME [--all], --cgroup PATH or "
	    "--unit UNIT.\n\n");
	kind_print_options(proc_options, stdout);
	printf("\nHow long:\n"
	    "  --for D                   kill --every: decide for D; pause: "
	    "resume after D\n"
	    "                            (without it: until SIGINT/SIGTERM)\n"
	    "  --seed N                  reproducible kill decisions\n"
	    "\nNever pid 1, chaosd itself, its guardian or kernel threads. A "
	    "pause of a\ncgroup or unit freezes it (cgroup.freeze, v1 "
	    "freezer.state); anything else\ngets SIGSTOP, then SIGCONT. The "
	    "same options are the keys of a\n[process.NAME] section "
	    "(chaosd.scenario(5)), with action = kill|pause\nand service = "
	    "NAME besides.\n"
	    "\nExit status: 0 done, 2 usage error or no such target (nothing "
	    "done),\n3 interrupted (resumed), 4 a resume failed (chaosd "
	    "recover retries).\n");
}

static int
proc_parse(int argc, char **argv, struct proc_opts *o, int *help, char *err,
    size_t errlen)
{
	struct kind_getopt g;
	char		 why[RULE_ERR_MAX];
	int		 ch, r = -1;

	*help = 0;
	kind_getopt_init(&g, proc_options, cli_opts, NCLI, &o->s);
	while ((ch = kind_getopt_next(&g, argc, argv, err, errlen)) >= 0) {
		switch (ch) {
		case 'h':
		case O_HELP:
			*help = 1;
			r = 0;
			goto out;
		case O_FOR:
			if (kind_duration_arg("--for", optarg, &o->for_ns, err,
			    errlen) != 0)
				goto out;
			break;
		case O_SEED:
			if (parse_uint(optarg, UINT64_MAX, &o->seed, why,
			    sizeof why) != 0) {
				snprintf(err, errlen, "--seed: %s", why);
				goto out;
			}
			o->has_seed = 1;
			break;
		}
	}
	if (ch == KIND_GETOPT_ERROR)
		goto out;
	if (optind < argc)
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
	else
		r = proc_spec_check(&o->s, err, errlen);
out:
	kind_getopt_free(&g);
	return (r);
}

/* The target now, or exit 2 (said). */
static int
resolve(const struct proc_spec *s, struct procset *set, int quiet)
{
	char	err[1024];

	if (target_resolve(&s->tg, 0, 0, set, err, sizeof err) != 0) {
		log_warn("%s", err);
		return (-1);
	}
	if (set->n == 0) {
		if (!quiet)
			log_warn("no such process: %s", set->what);
		procset_free(set);
		return (-1);
	}
	return (0);
}

static int
proc_kill(struct proc_opts *o)
{
	struct procset	 set;
	struct killer	 k;
	char		 err[1024], t[32];
	const char	*sig = signal_name(o->s.sig);
	uint64_t	 t0, now, end, wait;
	int		 fire, n, signo = 0, status = 0;

	if (o->s.every_ns == 0) {
		if (o->for_ns != 0) {
			log_warn("kill: --for goes with --every (one kill "
			    "happens at once)");
			return (EXIT_USAGE);
		}
		if (resolve(&o->s, &set, 0) != 0)
			return (EXIT_USAGE);
		n = proc_signal(&set, o->s.sig, err, sizeof err);
		if (n <= 0) {
			log_warn("%s", n < 0 ? err : "the process is gone");
			procset_free(&set);
			return (EXIT_USAGE);
		}
		printf("chaosd: sent %s to %s\n", sig ? sig : "?", set.what);
		procset_free(&set);
		return (0);
	}
	stop_signals_block(NULL);
	t0 = mono_ns();
	end = o->for_ns != 0 ? t0 + o->for_ns : UINT64_MAX;
	killer_init(&k, &o->s, o->has_seed ? o->seed : random_u64(), t0);
	for (;;) {
		now = mono_ns();
		while (killer_next(&k, now, end, &fire)) {
			if (!fire)
				continue;
			fmt_dur(now - t0, t, sizeof t);
			if (target_resolve(&o->s.tg, 0, 0, &set, err,
			    sizeof err) != 0) {
				log_warn("%s", err);
				status = EXIT_USAGE;
				goto done;
			}
			n = set.n > 0 ? proc_signal(&set, o->s.sig, err,
			    sizeof err) : 0;
			if (n > 0) {
				k.hit++;
				k.signalled += (uint64_t)n;
				printf("chaosd: %s: sent %s to %s\n", t,
				    sig ? sig : "?", set.what);
			} else
				printf("chaosd: %s: nothing to kill (%s)\n", t,
				    n < 0 ? err : set.what);
			fflush(stdout);
			procset_free(&set);
		}
		if (now >= end || (k.count != 0 && k.fired >= k.count))
			break;
		wait = k.next_ns > now ? k.next_ns - now : 1000000;
		if (end - now < wait)
			wait = end - now;
		if ((signo = stop_signal_wait(wait)) > 0) {
			status = EXIT_ABORTED;
			break;
		}
	}
done:
	printf("chaosd: %llu decision%s, %llu kill%s%s\n",
	    (unsigned long long)k.decisions, k.decisions == 1 ? "" : "s",
	    (unsigned long long)k.hit, k.hit == 1 ? "" : "s", status ==
	    EXIT_ABORTED ? " (interrupted)" : "");
	return (status);
}

static int
proc_pause(struct proc_opts *o)
{
	struct pause_how ph = { 1, 0 };
	struct procset	 set;
	struct jentry	 j;
	char		 err[1024], how[128], d[32];
	int		 paused, sig = 0, status = 0;

	stop_signals_block(NULL);
	if (resolve(&o->s, &set, 0) != 0)
		return (EXIT_USAGE);
	if (o->for_ns != 0)
		ph.expires_ms = now_ms() + o->for_ns / 1000000;
	if (pause_apply(&set, &ph, &j, &paused, how, sizeof how, err,
	    sizeof err) != 0) {
		log_warn("pause: %s", err);
		procset_free(&set);
		return (EXIT_USAGE);
	}
	if (o->for_ns != 0)
		fmt_dur(o->for_ns, d, sizeof d);
	printf("chaosd: paused %d process%s of %s by %s%s%s\n", paused,
	    paused == 1 ? "" : "es", set.what, how, o->for_ns ? " for " : "",
	    o->for_ns ? d : "");
	fflush(stdout);
	if ((sig = stop_signal_wait(o->for_ns)) > 0)
		status = EXIT_ABORTED;
	if (journal_revert(&j, 1, err, sizeof err) != 0) {
		log_warn("resume: %s", err);
		status = EXIT_ROLLBACK_FAILED;
	} else if (status == EXIT_ABORTED)
		printf("chaosd: interrupted (%s): resumed %s\n",
		    strsignal(sig), set.what);
	else
		printf("chaosd: resumed %s\n", set.what);
	jentry_free(&j);
	procset_free(&set);
	return (status);
}

static int
cmd_proc_exec(int argc, char **argv)
{
	struct proc_opts o;
	char		 err[1024];
	int		 help;

	memset(&o, 0, sizeof o);
	proc_spec_init(&o.s);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc < 2) {
			cmd_usage(&cmd_proc_entry, 1);
			return (EXIT_USAGE);
		}
		proc_help();
		return (0);
	}
	if (strcmp(argv[1], "kill") == 0)
		o.s.action = PA_KILL;
	else if (strcmp(argv[1], "pause") == 0)
		o.s.action = PA_PAUSE;
	else {
		log_warn("unknown proc command '%.64s' (kill or pause)",
		    argv[1]);
		cmd_usage(&cmd_proc_entry, 1);
		return (EXIT_USAGE);
	}
	if (proc_parse(argc - 1, argv + 1, &o, &help, err, sizeof err) != 0) {
		log_warn("%s: %s", argv[1], err);
		fprintf(stderr, "Try 'chaosd proc --help'.\n");
		return (EXIT_USAGE);
	}
	if (help) {
		proc_help();
		return (0);
	}
	if (o.s.action == PA_PAUSE && o.has_seed) {
		log_warn("pause: --seed goes with kill --every");
		return (EXIT_USAGE);
	}
	return (o.s.action == PA_KILL ? proc_kill(&o) : proc_pause(&o));
}
