/*
 * cmd-validate.c: chaosd validate SCENARIO..., check scenario files
 * without applying anything, and print the timeline each would run.
 * Exit 0 when every file is valid, 2 when one is not (each error
 * "FILE:LINE: [section] message" on standard error).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "chaosd.h"
#include "scenario.h"

static int	cmd_validate_exec(int, char **);

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "[-q] SCENARIO...",
	.summary = "check scenario files and print their timelines",
	.exec = cmd_validate_exec,
};

static int
cmd_validate_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet",	no_argument, NULL, 'q' },
		{ "help",	no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct scenario	*sc;
	char		 err[1024], q[128];
	int		 ch, i, bad = 0, quiet = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			cmd_usage(&cmd_validate_entry, 0);
			printf("\nCheck each scenario file (chaosd.scenario(5)) "
			    "and print the timeline\nit would run; apply "
			    "nothing.\n\n  -q, --quiet  only the errors\n\n"
			    "Exit status: 0 all valid, 2 an error (FILE:LINE: "
			    "[section] message).\n");
			return (0);
		default:
			log_warn("unknown option '%s'", log_excerpt(q,
			    sizeof q, argv[optind - 1]));
			cmd_usage(&cmd_validate_entry, 1);
			return (EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		log_warn("no scenario file given");
		cmd_usage(&cmd_validate_entry, 1);
		return (EXIT_USAGE);
	}
	for (i = optind; i < argc; i++) {
		if ((sc = scenario_load(argv[i], err, sizeof err)) == NULL) {
			fprintf(stderr, "%s\n", err);
			bad = 1;
			continue;
		}
		if (!quiet) {
			if (i > optind)
				putchar('\n');
			timeline_print(sc, stdout);
		}
		fflush(stdout);
		scenario_notes(sc, stderr);
		if (!quiet)
			printf("%s: valid\n", argv[i]);
		scenario_free(sc);
	}
	return (bad ? EXIT_USAGE : 0);
}
