/*
 * cmd-abort.c: chaosd abort, the kill switch for everything running.
 *
 *	chaosd abort
 *
 * Flips the kill switch of every known fault table (registry.c: the
 * tables chaosd inject registered and every RUNDIR/NAME.table), which
 * the shim reads on the armed path of every call: faults stop at once in
 * every process mapping them, and stay off until the table is armed
 * again. Then reverts everything journaled (the network faults) through
 * `chaosd recover`, when this chaosd has it and there is a journal.
 * Exit status: 0, or 4 when something could not be stopped or reverted.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaosd.h"

#define EXIT_ROLLBACK	4

static int	cmd_abort_exec(int, char **);

const struct cmd_entry cmd_abort_entry = {
	.name = "abort",
	.usage = "",
	.summary = "kill switch: stop every fault table, revert the journal",
	.exec = cmd_abort_exec,
};

/*
 * Is there a network journal to revert? Only then is recover called:
 * abort reverts what is journaled, and leaves sweeping for faults whose
 * journal was lost to an explicit `chaosd recover`.
 */
static int
abort_have_journal(void)
{
	const char	*env = getenv("CHAOSD_RUNDIR");
	const char	*dir = env != NULL && *env ? env : "/run/chaosd";
	struct dirent	*de;
	DIR		*d;
	size_t		 len;
	int		 found = 0;

	if ((d = opendir(dir)) == NULL)
		return (0);
	while (!found && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		found = len > 8 && strcmp(de->d_name + len - 8,
		    ".journal") == 0;
	}
	closedir(d);
	return (found);
}

static int
cmd_abort_exec(int argc, char **argv)
{
	static char		 a_recover[] = "recover";
	const struct cmd_entry	*recover;
	struct registry_list	 l;
	struct table		 tb;
	char			 err[RULE_ERR_MAX], *rargv[2];
	int			 i, failed = 0, killed = 0, r;

	if (argc > 1) {
		if (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0) {
			cmd_usage(&cmd_abort_entry, 0);
			printf("\nFlip the kill switch of every known fault "
			    "table and revert every\njournaled fault. Exit "
			    "status: 0, or 4 if something could not be\n"
			    "stopped or reverted.\n");
			return (0);
		}
		log_warn("abort takes no arguments");
		cmd_usage(&cmd_abort_entry, 1);
		return (EXIT_USAGE);
	}

	registry_list(&l);
	failed += registry_warn_bad(&l);
	for (i = 0; i < l.n; i++) {
		if (access(l.path[i], F_OK) != 0 && errno == ENOENT) {
			registry_remove(l.path[i]);
			continue;
		}
		if (table_open(&tb, l.path[i], 0, err, sizeof err) != 0) {
			log_warn("cannot stop %s", err);
			failed++;
			continue;
		}
		table_kill(&tb);
		table_close(&tb);
		printf("chaosd: killed %s\n", l.path[i]);
		killed++;
	}
	registry_list_free(&l);

	if ((recover = registry_cmd("recover")) != NULL &&
	    abort_have_journal()) {
		fflush(stdout);
		rargv[0] = a_recover;
		rargv[1] = NULL;
		optind = 0;
		r = recover->exec(1, rargv);
		fflush(stdout);
		if (r != 0)
			failed++;
	} else if (killed == 0)
		printf("chaosd: no fault table and no journal: nothing to "
		    "abort\n");
	if (failed) {
		log_warn("%d thing%s could not be stopped or reverted",
		    failed, failed == 1 ? "" : "s");
		return (EXIT_ROLLBACK);
	}
	return (0);
}
