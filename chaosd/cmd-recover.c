/*
 * cmd-recover.c: chaosd recover: undo everything chaosd left behind.
 *
 * First, every fault table in the registry (registry.c) is disarmed
 * through its kill switch, as chaosd abort does: armed with a long
 * --ttl, it would otherwise keep its faults until its deadline. Then
 * every journal entry, whatever its type, is undone through it
 * (idempotently: what is gone already is fine): network faults, and the
 * runs of a chaosd run that was killed (their services stopped, their
 * tables removed). Last, chaosd's handle c405: and its cdifbN devices are
 * removed from devices no remaining entry names, in the current
 * namespace and in every /run/netns namespace (or only the one --netns /
 * --pid names): a journal lost with /run still leaves nothing behind.
 * --no-sweep leaves that last step out: a chaosd with a journal of its
 * own (CHAOSD_RUNDIR) beside another's must not take the other's faults
 * for lost ones.
 * Exit status: 0 all clean, 4 something could not be reverted (the
 * journal keeps it).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/netlink.h>

#include "chaosd.h"
#include "net.h"

static int	cmd_recover_exec(int, char **);

const struct cmd_entry cmd_recover_entry = {
	.name = "recover",
	.usage = "[--netns NAME | --pid PID | --no-sweep]",
	.summary = "revert every fault chaosd journaled or left behind",
	.exec = cmd_recover_exec,
};

struct sweep_ctx {
	struct net_entry *left;		/* entries that could not be reverted */
	int		 nleft;
	uint64_t	 ns_dev, ns_ino;
};

static int
sweep_named(void *arg, int ifindex, const char *dev)
{
	struct sweep_ctx	*c = arg;
	int			 i;

	for (i = 0; i < c->nleft; i++) {
		if (c->left[i].ns_ino == c->ns_ino &&
		    c->left[i].ns_dev == c->ns_dev &&
		    (strcmp(c->left[i].dev, dev) == 0 ||
		    strcmp(c->left[i].ifb, dev) == 0))
			return (1);
	}
	(void)ifindex;
	return (0);
}

/* Sweep one namespace (name/pid, or neither: the current one). */
static int
sweep_ns(const char *name, pid_t pid, struct sweep_ctx *c, int *total)
{
	struct nl_sock	*sk;
	char		 err[512];
	int		 saved, r, removed = 0;

	if (netns_enter(name, pid, &saved, err, sizeof err) != 0) {
		log_warn("%s", err);
		return (-1);
	}
	if (netns_self(&c->ns_dev, &c->ns_ino) != 0 ||
	    (sk = nl_open(err, sizeof err)) == NULL) {
		netns_leave(saved);
		return (-1);
	}
	r = netfault_sweep(sk, sweep_named, c, &removed);
	nl_close(sk);
	netns_leave(saved);
	if (removed > 0)
		printf("chaosd: removed %d unjournaled chaosd fault%s%s%s\n",
		    removed, removed == 1 ? "" : "s", name ? " in netns " : "",
		    name ? name : "");
	*total += removed;
	return (r);
}

/*
 * Undo every journal entry, whatever its type: *reverted and *failed
 * count them (a failure is said, and its entry kept). -1: no journal to
 * read.
 */
int
recover_journal(int *reverted, int *failed)
{
	struct jentry	*v;
	char		 err[512];
	int		 n, i;

	*reverted = *failed = 0;
	if (journal_list(NULL, &v, &n) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		v[i].instance = 0;	/* whoever made it */
		if (journal_revert(&v[i], 1, err, sizeof err) != 0) {
			log_warn("%s", err);
			(*failed)++;
		} else {
			printf("chaosd: reverted %s\n", v[i].what);
			(*reverted)++;
		}
	}
	journal_list_free(v, n);
	return (0);
}

static int
cmd_recover_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns",	required_argument, NULL, 'n' },
		{ "pid",	required_argument, NULL, 'p' },
		{ "no-sweep",	no_argument,	   NULL, 'S' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sweep_ctx c;
	struct registry_list l;
	struct table	 tb;
	struct jentry	*v;
	struct dirent	*de;
	DIR		*d;
	char		 netns[NAME_MAX + 1] = "", err[512];
	uint64_t	 pidv;
	pid_t		 pid = 0;
	int		 ch, n, i, failed = 0, reverted = 0, swept = 0, killed = 0,
			 jfailed, unread, sweep = 1;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (parse_netns_name(optarg, netns, sizeof netns, err,
			    sizeof err) != 0) {
				log_warn("%s", err);
				return (EXIT_USAGE);
			}
			break;
		case 'p':
			if (parse_uint(optarg, INT32_MAX, &pidv, err,
			    sizeof err) != 0 || pidv == 0) {
				log_warn("--pid: bad process id '%s'", optarg);
				return (EXIT_USAGE);
			}
			pid = (pid_t)pidv;
			break;
		case 'S':
			sweep = 0;
			break;
		case 'h':
			cmd_usage(&cmd_recover_entry, 0);
			return (0);
		default:
			log_warn("unknown option '%s'", argv[optind - 1]);
			cmd_usage(&cmd_recover_entry, 1);
			return (EXIT_USAGE);
		}
	}
	if (optind < argc || (netns[0] != '\0' && pid != 0) ||
	    (!sweep && (netns[0] != '\0' || pid != 0))) {
		cmd_usage(&cmd_recover_entry, 1);
		return (EXIT_USAGE);
	}

	/* the fault tables: their kill switch, at once in every process */
	registry_list(&l);
	unread = registry_warn_bad(&l);	/* said with what to do */
	for (i = 0; i < l.n; i++) {
		if (table_open(&tb, l.path[i], 0, err, sizeof err) != 0) {
			if (access(l.path[i], F_OK) != 0 && errno == ENOENT) {
				registry_remove(l.path[i]);
				continue;
			}
			log_warn("cannot disarm %s", err);
			failed++;
			continue;
		}
		if (atomic_load(&tb.map->h.armed) &&
		    !atomic_load(&tb.map->h.killed)) {
			table_kill(&tb);
			printf("chaosd: disarmed %s (kill switch)\n",
			    l.path[i]);
			killed++;
		}
		table_close(&tb);
	}
	registry_list_free(&l);

	if (recover_journal(&reverted, &jfailed) != 0) {
		log_warn("cannot read %s", journal_dir());
		return (EXIT_ROLLBACK_FAILED);
	}
	failed += jfailed;
	/* what is left of the network faults, for the sweep to spare */
	memset(&c, 0, sizeof c);
	if (journal_list("net", &v, &n) != 0)
		n = 0;
	c.left = xcalloc((size_t)n + 1, sizeof *c.left);
	for (i = 0; i < n; i++)
		net_entry_from_journal(&v[i], &c.left[c.nleft++]);
	journal_list_free(v, n);

	if (!sweep) {
		/* the journal's faults only: done above */
	} else if (netns[0] != '\0' || pid != 0) {
		if (sweep_ns(netns[0] ? netns : NULL, pid, &c, &swept) != 0)
			failed++;
	} else {
		if (sweep_ns(NULL, 0, &c, &swept) != 0)
			failed++;
		if ((d = opendir("/run/netns")) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				if (sweep_ns(de->d_name, 0, &c, &swept) != 0)
					failed++;
			}
			closedir(d);
		}
	}
	free(c.left);
	if (failed)
		log_warn("%d fault%s could not be reverted: the journal in %s "
		    "keeps %s; run 'chaosd recover' again", failed,
		    failed == 1 ? "" : "s", journal_dir(),
		    failed == 1 ? "it" : "them");
	if (failed || unread)
		return (EXIT_ROLLBACK_FAILED);
	if (reverted == 0 && swept == 0 && killed == 0)
		printf("chaosd: nothing to recover\n");
	return (0);
}
