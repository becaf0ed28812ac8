/*
 * cmd-inject.c: chaosd inject, arm or disarm a fault table at run time.
 *
 *	chaosd inject --table PATH (-i RULE... [-f FILE] [--for D] [--ttl D]
 *	    | --disarm)
 *
 * Processes preloaded with CHAOS_TABLE=PATH follow the table within a
 * few milliseconds, without a restart. The rules are validated exactly
 * as exec validates them (rules_parse, rules_parse_file): a bad rule is
 * exit 2 and a message, and nothing is armed. The table is opened as the
 * shim opens it (O_NOFOLLOW; a symbolic link, a group- or world-writable
 * file or one owned by another user is refused: exit 2).
 *
 * Every table has a deadline, past which the shim ignores its rules by
 * itself, even if chaosd was killed: without --for it is now + --ttl
 * (default 10 minutes) and chaosd returns at once, leaving the table
 * armed and registered (registry.c) for status and abort. With --for D
 * the deadline is now + D and chaosd stays in the foreground, disarms
 * after D (exit 0) or on SIGINT/SIGTERM/SIGHUP (exit 3), and prints the
 * per-rule counters.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"

#define INJECT_QUOTE_MAX 72

static int	cmd_inject_exec(int, char **);

const struct cmd_entry cmd_inject_entry = {
	.name = "inject",
	.usage = "--table PATH (-i RULE... [-f FILE] [--for D] [--ttl D] | "
	    "--disarm)",
	.summary = "arm or disarm the fault table of running processes",
	.exec = cmd_inject_exec,
};

static const struct option inject_longopts[] = {
	{ "table",	required_argument,	NULL, 't' },
	{ "inject",	required_argument,	NULL, 'i' },
	{ "file",	required_argument,	NULL, 'f' },
	{ "for",	required_argument,	NULL, 'F' },
	{ "ttl",	required_argument,	NULL, 'T' },
	{ "disarm",	no_argument,		NULL, 'd' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
inject_help(void)
{
	cmd_usage(&cmd_inject_entry, 0);
	printf("\n"
	    "Arm the fault table PATH, which processes started with\n"
	    "LD_PRELOAD=libinject.so and CHAOS_TABLE=PATH follow while they run.\n"
	    "\n"
	    "  -t, --table PATH   the fault table (created, disarmed, if missing)\n"
	    "  -i, --inject RULE  a fault rule (libinject(7)); repeatable\n"
	    "  -f, --file FILE    rules from an INI file's [inject.NAME] sections\n"
	    "      --ttl D        the table's deadline, from now (default 10m):\n"
	    "                     past it the rules are ignored, chaosd or not\n"
	    "      --for D        stay in the foreground and disarm after D (or\n"
	    "                     on Ctrl-C, exit 3), then print the counters\n"
	    "      --disarm       disarm the table\n"
	    "  -v, --verbose      say more\n"
	    "  -h, --help         show this help and exit\n"
	    "\n"
	    "Exit status: 0 armed (or disarmed); 2 usage, rule or table error\n"
	    "(nothing armed); 3 --for interrupted by a signal (disarmed).\n"
	    "\n"
	    "Example:\n"
	    "  chaosd inject --table /run/chaosd/api.table --for 30s \\\n"
	    "      -i '%%sync:path=/var/lib/api/*:error=EIO'\n");
}

static int
inject_usage_error(void)
{
	cmd_usage(&cmd_inject_entry, 1);
	fprintf(stderr, "Try 'chaosd inject --help' for more information.\n");
	return (EXIT_USAGE);
}

static void
inject_owner(char *buf, size_t len)
{
	const char	*user = getenv("SUDO_USER");

	if (user == NULL || *user == '\0')
		user = getenv("USER");
	snprintf(buf, len, "chaosd inject pid %ld uid %u%s%s", (long)getpid(),
	    (unsigned)getuid(), user != NULL && *user ? " " : "",
	    user != NULL ? user : "");
}

static void
inject_when(uint64_t realns, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(realns / 1000000000ull);

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "%llu", (unsigned long long)(realns / 1000000000ull));
}

static int
inject_open(struct table *tb, const char *path, int create)
{
	char	err[RULE_ERR_MAX];

	if (table_open(tb, path, create, err, sizeof err) != 0) {
		log_warn("--table %s", err);
		return (-1);
	}
	return (0);
}

static void
inject_show(const struct rule_set *set)
{
	char	buf[4096];
	int	i;

	for (i = 0; i < set->n; i++) {
		if (rule_format(&set->rule[i], buf, sizeof buf) < 0)
			snprintf(buf, sizeof buf, "?");
		printf("  %-16s %s\n", set->rule[i].name, buf);
	}
}

static int
inject_disarm(const char *path)
{
	struct table	tb;

	if (access(path, F_OK) != 0 && errno == ENOENT) {
		registry_remove(path);
		printf("chaosd: no table at %s: nothing to disarm\n", path);
		return (0);
	}
	if (inject_open(&tb, path, 0) != 0)
		return (EXIT_USAGE);
	table_disarm(&tb);
	table_close(&tb);
	registry_remove(path);
	printf("chaosd: disarmed %s\n", path);
	return (0);
}

static int
inject_arm(const char *path, struct rule_set *set, uint64_t for_ns,
    uint64_t ttl_ns)
{
	struct table		tb;
	struct table_state	st;
	struct rule_set		*now;
	sigset_t		old;
	char			err[RULE_ERR_MAX], owner[64], when[64], d[32];
	uint64_t		t0, deadline;
	int			sig, r = 0;

	if (inject_open(&tb, path, 1) != 0)
		return (EXIT_USAGE);

	/* the signals --for waits for: blocked before anything is armed */
	if (for_ns != 0)
		stop_signals_block(&old);

	t0 = realtime_ns();
	deadline = t0 + (for_ns != 0 ? for_ns : ttl_ns);
	/* written down before the change, as the journal does */
	if (registry_add(path, t0, deadline, err, sizeof err) != 0) {
		/* a table abort cannot find is never armed */
		log_warn("%s: not armed", err);
		table_close(&tb);
		return (EXIT_USAGE);
	}
	inject_owner(owner, sizeof owner);
	if (table_arm(&tb, set, deadline, owner, err, sizeof err) != 0) {
		log_warn("--table %s: %s", path, err);
		registry_remove(path);
		table_close(&tb);
		return (EXIT_USAGE);
	}
	inject_when(deadline, when, sizeof when);
	format_duration(for_ns != 0 ? for_ns : ttl_ns, d, sizeof d);
	printf("chaosd: armed %d rule%s in %s, %s %s (deadline %s)\n",
	    set->n, set->n == 1 ? "" : "s", path,
	    for_ns != 0 ? "disarming in" : "for at most", d, when);
	inject_show(set);
	if (for_ns == 0) {
		printf("chaosd: 'chaosd inject --table %s --disarm' disarms "
		    "it sooner\n", path);
		table_close(&tb);
		return (0);
	}
	fflush(stdout);

	sig = stop_signal_wait(for_ns);
	now = xcalloc(1, sizeof *now);
	/* disarm only what is still ours: another inject may have re-armed */
	if (table_snapshot(tb.map, now, &st) == 0 &&
	    strcmp(st.owner, owner) != 0 && st.armed) {
		printf("chaosd: %s was re-armed meanwhile by %s: left as it "
		    "is\n", path, st.owner);
	} else {
		table_disarm(&tb);
		registry_remove(path);
		format_duration((realtime_ns() - t0) / 1000000 * 1000000, d,
		    sizeof d);
		if (sig != 0)
			printf("chaosd: %s: disarmed %s after %s\n",
			    signal_name(sig) ? signal_name(sig) : "signal",
			    path, d);
		else
			printf("chaosd: disarmed %s after %s\n", path, d);
	}
	printf("counters:\n");
	registry_print_rules(&tb, set);
	free(now);
	table_close(&tb);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (sig != 0)
		r = EXIT_ABORTED;
	return (r);
}

static int
cmd_inject_exec(int argc, char **argv)
{
	struct rule_set	*set;
	const char	*table = NULL, *file = NULL;
	char		 err[RULE_ERR_MAX], q[INJECT_QUOTE_MAX], path[PATH_MAX];
	uint64_t	 for_ns = 0, ttl_ns = TABLE_TTL_NS;
	int		 ch, disarm = 0, have_ttl = 0, ninject = 0, base, r;

	set = xcalloc(1, sizeof *set);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:t:i:f:vh", inject_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			table = optarg;
			break;
		case 'i':
			base = set->n;
			if (rules_parse(set, optarg, err, sizeof err) != 0) {
				log_warn("-i '%s': %s", log_excerpt(q,
				    sizeof q, optarg), err);
				goto usage;
			}
			if (set->n == base) {
				log_warn("-i '%s': no rule in it",
				    log_excerpt(q, sizeof q, optarg));
				goto usage;
			}
			ninject++;
			break;
		case 'f':
			if (file != NULL) {
				log_warn("-f given twice: one rule file at "
				    "most");
				free(set);
				return (inject_usage_error());
			}
			file = optarg;
			break;
		case 'F':
		case 'T':
			if (parse_duration(optarg, ch == 'F' ? &for_ns :
			    &ttl_ns, err, sizeof err) != 0) {
				log_warn("--%s: %s", ch == 'F' ? "for" : "ttl",
				    err);
				goto usage;
			}
			if ((ch == 'F' ? for_ns : ttl_ns) == 0) {
				log_warn("--%s 0: every table needs a "
				    "deadline in the future",
				    ch == 'F' ? "for" : "ttl");
				goto usage;
			}
			if (ch == 'T')
				have_ttl = 1;
			break;
		case 'd':
			disarm = 1;
			break;
		case 'v':
			log_add_level();
			break;
		case 'h':
			inject_help();
			free(set);
			return (0);
		case ':':
			log_warn("option '%s' needs an argument",
			    log_excerpt(q, sizeof q, argv[optind - 1]));
			free(set);
			return (inject_usage_error());
		default:
			if (optopt != 0)
				log_warn("unknown option '-%c'", optopt);
			else
				log_warn("unknown option '%s'",
				    log_excerpt(q, sizeof q, argv[optind - 1]));
			free(set);
			return (inject_usage_error());
		}
	}
	if (optind < argc) {
		log_warn("unexpected argument '%s'", log_excerpt(q, sizeof q,
		    argv[optind]));
		free(set);
		return (inject_usage_error());
	}
	if (table == NULL) {
		log_warn("--table PATH is required");
		free(set);
		return (inject_usage_error());
	}
	if (disarm && (ninject || file || for_ns || have_ttl)) {
		log_warn("--disarm takes no rules, --for or --ttl");
		free(set);
		return (inject_usage_error());
	}
	if (for_ns != 0 && have_ttl) {
		log_warn("--for D sets the deadline itself: no --ttl with it");
		free(set);
		return (inject_usage_error());
	}
	if (file != NULL && rules_parse_file(set, file, err, sizeof err) != 0) {
		size_t n = strlen(file);

		if (strncmp(err, file, n) == 0 && err[n] == ':')
			log_warn("%s", err);
		else
			log_warn("-f %s: %s", file, err);
		goto usage;
	}
	if (!disarm && set->n == 0) {
		log_warn("no rule given (-i RULE or -f FILE), and no --disarm");
		free(set);
		return (inject_usage_error());
	}
	if (registry_abspath(table, path, sizeof path) != 0) {
		log_warn("--table '%s': not a usable path",
		    log_excerpt(q, sizeof q, table));
		goto usage;
	}
	if (registry_path_ok(path, err, sizeof err) != 0) {
		log_warn("--table %s", err);
		goto usage;
	}
	log_info("table %s", path);
	if (disarm)
		r = inject_disarm(path);
	else
		r = inject_arm(path, set, for_ns, ttl_ns);
	free(set);
	return (r);

usage:
	free(set);
	return (EXIT_USAGE);
}
