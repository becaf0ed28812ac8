/*
 * run-journal.c: a run's own journal entry, and what undoes a run whose
 * chaosd was killed.
 *
 * chaosd run writes one entry, run-NAME-PID, before it starts anything:
 * bound to its own life (the guardian undoes it as soon as that chaosd
 * is gone, even by SIGKILL) and expiring a while after the scenario's
 * duration should chaosd hang. It is rewritten as the run goes: each
 * process group it started ("group:service.NAME=PID START",
 * "group:workload=...", PID the group's leader, START its start time, so
 * that a reused pid is never taken for it), the run's own files ("table=PATH", "file=PATH": removed), its
 * private directory ("dir=PATH", removed when empty). The faults are
 * journaled by their kinds (a network fault has its own entry, bound to
 * the run too), and fault tables are disarmed by their deadlines and by
 * abort and recover through the registry. Undoing a run: stop its
 * services (SIGTERM, SIGKILL 3 s later), kill and remove its tables,
 * remove its files.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaosd.h"
#include "run.h"

#define RUN_SLACK_MS	(60ull * 1000)	/* past duration and recovery */
#define RUN_STOP_MS	3000

/* Stop one journaled process group, if it is still the same. */
static void
stop_group(const char *name, const char *value)
{
	unsigned long long start = 0;
	long	pid = 0;
	uint64_t until;

	if (sscanf(value, "%ld %llu", &pid, &start) < 1 || pid <= 1)
		return;
	if (!proc_alive((pid_t)pid, start)) {
		/* the leader is gone; the rest of its group may not be */
		if (start == 0 || kill(-(pid_t)pid, 0) != 0)
			return;
	}
	log_warn("stopping %s (process group %ld) of a chaosd run that is "
	    "gone", name, pid);
	kill(-(pid_t)pid, SIGTERM);
	kill(-(pid_t)pid, SIGCONT);	/* a paused one hears it now */
	until = now_ms() + RUN_STOP_MS;
	while (now_ms() < until && kill(-(pid_t)pid, 0) == 0)
		sleep_ns(20 * NS_PER_MS);
	kill(-(pid_t)pid, SIGKILL);
}

static void
remove_table(const char *path)
{
	struct table	tb;
	char		err[RULE_ERR_MAX];

	if (table_open(&tb, path, 0, err, sizeof err) == 0) {
		table_kill(&tb);
		table_close(&tb);
	}
	registry_remove(path);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("cannot remove %s: %s", path, strerror(errno));
	if (table_unlink_reach(path) != 0)
		log_warn("cannot remove %s.reach: %s", path, strerror(errno));
}

static int
run_journal_revert(struct jentry *j, char *err, size_t errlen)
{
	const char	*dir = NULL;
	int		 i;

	(void)err;
	(void)errlen;
	for (i = 0; i < j->nfields; i++) {
		const char *k = j->fields[i].key, *v = j->fields[i].value;

		if (strncmp(k, "group:", 6) == 0)
			stop_group(k + 6, v);
	}
	for (i = 0; i < j->nfields; i++) {
		const char *k = j->fields[i].key, *v = j->fields[i].value;

		if (strcmp(k, "table") == 0)
			remove_table(v);
		else if (strcmp(k, "file") == 0 && unlink(v) != 0 &&
		    errno != ENOENT)
			log_warn("cannot remove %s: %s", v, strerror(errno));
		else if (strcmp(k, "dir") == 0)
			dir = v;
	}
	if (dir != NULL && rmdir(dir) != 0 && errno != ENOENT)
		log_warn("cannot remove %s: %s", dir, strerror(errno));
	return (0);
}

const struct journal_type journal_run = {
	.name = "run",
	.revert = run_journal_revert,
};

/* The run's entry, before anything is started. */
int
run_journal_begin(struct run *r, char *err, size_t errlen)
{
	const struct scenario *sc = r->sc;
	uint64_t	 recover = 0;
	int		 i, ret;

	for (i = 0; i < sc->nchecks; i++)
		if (sc->checks[i].recover_within_ns > recover)
			recover = sc->checks[i].recover_within_ns;
	if (journal_ensure_dir(err, errlen) != 0)
		return (-1);
	jentry_init(&r->journal, "run");
	snprintf(r->journal.id, sizeof r->journal.id, "run-%s", r->id);
	snprintf(r->journal.what, sizeof r->journal.what, "chaosd run %s "
	    "(pid %ld)", sc->name, (long)getpid());
	r->journal.bound = 1;
	r->journal.expires_ms = now_ms() + (sc->duration_ns + recover) /
	    NS_PER_MS + RUN_SLACK_MS;
	for (i = 0; i < sc->nservices; i++)
		r->journal.expires_ms += (sc->services[i].ready_timeout_ns +
		    sc->services[i].stop_timeout_ns) / NS_PER_MS;
	if (r->private_dir != NULL)
		jentry_add(&r->journal, "dir", "%s", r->private_dir);
	if ((ret = journal_write(&r->journal, err, errlen)) != 0) {
		if (ret == -EEXIST)
			snprintf(err, errlen, "%s: a run of this name and pid "
			    "is journaled already", r->journal.id);
		jentry_free(&r->journal);
		return (-1);
	}
	r->journaled = 1;
	if (guardian_ensure() != 0)
		log_warn("cannot start the guardian: a killed run's services "
		    "will wait for 'chaosd recover'");
	return (0);
}

/* Write it again: a service (re)started or stopped, a file made. */
void
run_journal_update(struct run *r)
{
	char	err[512];

	if (!r->journaled)
		return;
	r->journal.state = J_ACTIVE;
	if (journal_write(&r->journal, err, sizeof err) != 0)
		log_warn("%s", err);
}

/* A process group the run started (pid > 0), or that is gone (0). */
void
run_journal_group(struct run *r, const char *name, pid_t pid,
    uint64_t start_time)
{
	char	key[128];

	snprintf(key, sizeof key, "group:%s", name);
	if (pid > 0)
		jentry_set(&r->journal, key, "%ld %llu", (long)pid,
		    (unsigned long long)start_time);
	else
		jentry_del(&r->journal, key, NULL);
	run_journal_update(r);
}

/* Everything is undone already: the entry goes. */
void
run_journal_end(struct run *r)
{
	if (!r->journaled)
		return;
	journal_remove(&r->journal);
	jentry_free(&r->journal);
	r->journaled = 0;
}
