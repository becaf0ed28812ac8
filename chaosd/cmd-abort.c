/*
 * cmd-abort.c: chaosd abort, the kill switch for everything running.
 *
 *	chaosd abort
 *
 * Flips the kill switch of every known fault table (registry.c: the
 * tables chaosd inject registered and every RUNDIR/NAME.table), which
 * the shim reads on the armed path of every call: faults stop at once in
 * every process mapping them, and stay off until the table is armed
 * again. Then undoes everything journaled (network faults, the runs of
 * a chaosd run that was killed, ...), as `chaosd recover` does; sweeping
 * for faults whose journal was lost is left to an explicit recover.
 * Exit status: 0, or 4 when something could not be stopped or reverted.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaosd.h"

static int	cmd_abort_exec(int, char **);

const struct cmd_entry cmd_abort_entry = {
	.name = "abort",
	.usage = "",
	.summary = "kill switch: stop every fault table, revert the journal",
	.exec = cmd_abort_exec,
};

static int
cmd_abort_exec(int argc, char **argv)
{
	struct registry_list	 l;
	struct table		 tb;
	char			 err[RULE_ERR_MAX];
	int			 i, failed = 0, killed = 0, reverted = 0,
				 jfailed = 0;

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

	fflush(stdout);
	if (recover_journal(&reverted, &jfailed) != 0) {
		log_warn("cannot read %s", journal_dir());
		failed++;
	}
	failed += jfailed;
	if (killed == 0 && reverted == 0 && jfailed == 0)
		printf("chaosd: no fault table and no journal: nothing to "
		    "abort\n");
	if (failed) {
		log_warn("%d thing%s could not be stopped or reverted",
		    failed, failed == 1 ? "" : "s");
		return (EXIT_ROLLBACK_FAILED);
	}
	return (0);
}
