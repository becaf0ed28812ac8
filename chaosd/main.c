/*
 * main.c: chaosd's global options and the table of subcommands.
 *
 * Adding a subcommand is adding a file cmd-NAME.c that exports one
 * `const struct cmd_entry cmd_NAME_entry`, its prototype in chaosd.h,
 * and a row here.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_exec_entry,
	&cmd_run_entry,
	&cmd_validate_entry,
	&cmd_inject_entry,
	&cmd_status_entry,
	&cmd_abort_entry,
	&cmd_net_entry,
	&cmd_proc_entry,
	&cmd_stress_entry,
	&cmd_recover_entry,
	&cmd_doctor_entry,
	&cmd_report_entry,
	NULL
};

const char *chaosd_exe = "chaosd";

static const struct option main_longopts[] = {
	{ "help",	no_argument,	NULL, 'h' },
	{ "version",	no_argument,	NULL, 'V' },
	{ "verbose",	no_argument,	NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

static void
main_usage(FILE *f)
{
	const struct cmd_entry *const *cmd;

	fprintf(f, "usage: chaosd [-v] [--help] [--version] COMMAND [ARG]...\n"
	    "\n"
	    "Fault injection for Linux: libc, syscall and network faults,\n"
	    "processes killed or paused, memory, CPU and disk pressure;\n"
	    "scenarios with checks, rollback and reports.\n"
	    "\n"
	    "Commands:\n");
	for (cmd = cmd_table; *cmd != NULL; cmd++)
		fprintf(f, "  %-10s %s\n", (*cmd)->name, (*cmd)->summary);
	fprintf(f, "\n"
	    "Options:\n"
	    "  -h, --help     show this help and exit\n"
	    "  -V, --version  show the version and exit\n"
	    "  -v, --verbose  say more (twice: debug, with timestamps)\n"
	    "\n"
	    "'chaosd COMMAND --help' shows a command's options; see chaosd(8)\n"
	    "and libinject(7) for the rule language.\n");
}

void
cmd_usage(const struct cmd_entry *cmd, int to_stderr)
{
	FILE	*f = to_stderr ? stderr : stdout;

	fprintf(f, "usage: chaosd %s %s\n", cmd->name, cmd->usage);
}

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *const *cmd;

	for (cmd = cmd_table; *cmd != NULL; cmd++) {
		if (strcmp((*cmd)->name, name) == 0)
			return (*cmd);
	}
	return (NULL);
}

static int
cmd_unknown(const char *name)
{
	const char	*names[64];
	char		 esc[128];
	int		 n = 0, i;

	for (; cmd_table[n] != NULL && n < 64; n++)
		names[n] = cmd_table[n]->name;
	log_excerpt(esc, sizeof esc, name);
	i = did_you_mean(name, names, n);
	if (i >= 0)
		log_warn("unknown command '%s' (did you mean '%s'?)", esc,
		    names[i]);
	else
		log_warn("unknown command '%s'", esc);
	fprintf(stderr, "Try 'chaosd --help' for the list of commands.\n");
	return (EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*cmd;
	char			 prefix[64];
	char			 opt[128];
	int			 ch;

	if (argc > 0 && argv[0] != NULL)
		chaosd_exe = argv[0];
	log_set_prefix("chaosd");
	table_guard_install();

	/* '+': global options end at the first operand, the command. */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+hVv", main_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			main_usage(stdout);
			return (0);
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return (0);
		case 'v':
			log_add_level();
			break;
		default:
			if (optopt != 0)
				snprintf(opt, sizeof opt, "-%c", optopt);
			else
				log_excerpt(opt, sizeof opt, argv[optind - 1]);
			log_warn("unknown option '%s'", opt);
			main_usage(stderr);
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		main_usage(stderr);
		return (EXIT_USAGE);
	}
	if ((cmd = cmd_find(argv[0])) == NULL)
		return (cmd_unknown(argv[0]));

	snprintf(prefix, sizeof prefix, "chaosd %s", cmd->name);
	log_set_prefix(prefix);
	optind = 0;	/* glibc: start a fresh getopt scan */
	return (cmd->exec(argc, argv));
}
