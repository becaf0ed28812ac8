/*
 * proc-apply.c: process faults as a library, for chaosd proc and for
 * [process.*] in chaosd run: when to kill (once, or a decision every D
 * with a probability, reproducible from a seed), signalling a target's
 * processes without ever hitting a reused pid, pausing them and the
 * journal type that resumes them.
 *
 * A signal goes through a pidfd opened on the process, whose start time
 * is then checked: the pidfd names that very process, so the signal
 * cannot reach another that got the pid since (kill(2) after the same
 * check where the kernel has no pidfds). A service's process group gets
 * one kill(-group), after its leader is checked the same way.
 *
 * A pause is journaled before anything stops (bound to this chaosd, so
 * the guardian resumes at once should it die, and expiring at the
 * window's end): a cgroup is frozen through its freezer (v2
 * cgroup.freeze, v1 freezer.state), confirmed by the kernel; processes
 * get SIGSTOP (a service's group in one kill(-group), atomic against
 * fork), and are confirmed stopped in /proc. Processes that were stopped
 * already are left out: resuming them is not ours to do.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "chaosd.h"
#include "res.h"

#define STOP_WAIT_NS	(2ull * 1000000000)

/* ---- when --------------------------------------------------------- */

/* A fault's own stream: the scenario's seed mixed with its name. */
uint64_t
fault_seed(int have_seed, uint64_t seed, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	if (!have_seed)
		return (random_u64());
	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ull;
	return (seed ^ h);
}

void
killer_init(struct killer *k, const struct proc_spec *s, uint64_t seed,
    uint64_t start_ns)
{
	memset(k, 0, sizeof *k);
	k->sig = s->sig;
	k->every_ns = s->every_ns;
	k->probability = s->probability;
	k->count = s->count;
	k->next_ns = start_ns;
	prng_seed(&k->rng, seed);
}

/*
 * The next decision due at now, if any, before end: 1 with *fire (kill
 * or not), 0 when none is due. Decisions fall at start, start + every,
 * ... whatever the caller's rhythm, so a seed gives the same sequence
 * every time; once count kills are done, there are no more.
 */
int
killer_next(struct killer *k, uint64_t now, uint64_t end, int *fire)
{
	*fire = 0;
	if (k->every_ns == 0) {
		if (k->decisions > 0 || now < k->next_ns)
			return (0);
		k->decisions = 1;
		k->fired = 1;
		*fire = 1;
		return (1);
	}
	if ((k->count != 0 && k->fired >= k->count) || k->next_ns > now ||
	    k->next_ns >= end)
		return (0);
	k->decisions++;
	k->next_ns += k->every_ns;
	*fire = prng_double(&k->rng) < k->probability;
	k->fired += *fire;
	return (1);
}

/* ---- signals ------------------------------------------------------ */

/* Signal one process, only if it is still the one that started then. */
int
proc_signal_one(pid_t pid, uint64_t start, int sig)
{
#ifdef SYS_pidfd_open
	int	fd, r, e;

	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) >= 0) {
		if (proc_start_time(pid) != start) {
			close(fd);
			errno = ESRCH;
			return (-1);
		}
		r = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
		e = errno;
		close(fd);
		errno = e;
		return (r);
	}
	if (errno != ENOSYS)
		return (-1);
#endif
	if (!proc_alive(pid, start)) {
		errno = ESRCH;
		return (-1);
	}
	return (kill(pid, sig));
}

/* Signal a service's process group, if its leader is still the same. */
static int
signal_group(pid_t group, uint64_t start, int sig)
{
	if (!proc_alive(group, start)) {
		errno = ESRCH;
		return (-1);
	}
	return (kill(-group, sig));
}

/*
 * Send sig to what s holds: how many processes got it (0 when all were
 * gone meanwhile), -1 with err when none could be signalled for
 * another reason (EPERM).
 */
int
proc_signal(const struct procset *s, int sig, char *err, size_t errlen)
{
	int	i, n = 0, e = 0;

	if (s->group > 0) {
		if (signal_group(s->group, s->group_start, sig) == 0)
			return (s->n > 0 ? s->n : 1);
		e = errno;
	} else {
		for (i = 0; i < s->n; i++) {
			if (proc_signal_one(s->v[i].pid, s->v[i].start,
			    sig) == 0)
				n++;
			else if (errno != ESRCH)
				e = errno;
		}
	}
	if (n == 0 && e != 0 && e != ESRCH) {
		snprintf(err, errlen, "%s: %s", s->what, strerror(e));
		return (-1);
	}
	return (n);
}

/* ---- pause -------------------------------------------------------- */

static int
stopped(pid_t pid)
{
	struct proc_stat ps;

	return (proc_stat(pid, &ps) == 0 && (ps.state == 'T' ||
	    ps.state == 't'));
}

/* How many of the journaled processes are stopped, waiting up to ns. */
static int
wait_stopped(const struct jentry *j, uint64_t ns)
{
	uint64_t until = mono_ns() + ns;
	int	 i, n, all;

	for (;;) {
		n = 0;
		all = 1;
		for (i = 0; i < j->nfields; i++) {
			long	pid;
			unsigned long long start;

			if (strcmp(j->fields[i].key, "proc") != 0 ||
			    sscanf(j->fields[i].value, "%ld %llu", &pid,
			    &start) != 2 || !proc_alive((pid_t)pid, start))
				continue;
			if (stopped((pid_t)pid))
				n++;
			else
				all = 0;
		}
		if (all || mono_ns() >= until)
			return (n);
		sleep_ns(2 * 1000000ull);
	}
}

/*
 * Resume what the entry paused: thaw its cgroup (the same one: its
 * inode), SIGCONT its processes (the same ones: their start times).
 * What is gone is fine. -1 when a thaw failed (the entry stays).
 */
static int
pause_undo(struct jentry *j, char *err, size_t errlen)
{
	const char	*freezer = jentry_get(j, "freezer"), *g;
	unsigned long long start;
	long		 pid;
	int		 i;

	if (freezer != NULL) {
		uint64_t ino = jentry_get_u64(j, "ino", 0);

		if (cgroup_ino(freezer) == 0 || (ino != 0 &&
		    cgroup_ino(freezer) != ino)) {
			log_info("%s: %s is gone: nothing to thaw", j->id,
			    freezer);
			return (0);
		}
		return (cgroup_freeze(freezer, 0, err, errlen) == 0 ? 0 : -1);
	}
	if ((g = jentry_get(j, "group")) != NULL &&
	    sscanf(g, "%ld %llu", &pid, &start) == 2 && pid > 1)
		signal_group((pid_t)pid, start, SIGCONT);
	for (i = 0; i < j->nfields; i++)
		if (strcmp(j->fields[i].key, "proc") == 0 &&
		    sscanf(j->fields[i].value, "%ld %llu", &pid, &start) == 2 &&
		    pid > 1)
			proc_signal_one((pid_t)pid, start, SIGCONT);
	return (0);
}

static int
pause_freeze(const struct procset *s, const char *freezer, int v,
    struct jentry *j, char *how, size_t howlen, char *err, size_t errlen)
{
	char	why[512];
	int	r;

	if (cgroup_frozen(freezer) == 1) {
		snprintf(err, errlen, "%s is frozen already: not ours to pause "
		    "and resume", freezer);
		return (-1);
	}
	jentry_set(j, "freezer", "%s", freezer);
	jentry_set(j, "ino", "%llu", (unsigned long long)cgroup_ino(freezer));
	if ((r = journal_write(j, err, errlen)) != 0)
		return (-1);
	if (guardian_ensure() != 0)
		log_warn("cannot start the guardian: the cgroup will not be "
		    "thawed by itself if chaosd is killed");
	if (cgroup_freeze(freezer, 1, err, errlen) != 0) {
		if (cgroup_freeze(freezer, 0, why, sizeof why) == 0)
			journal_remove(j);
		return (-1);
	}
	snprintf(how, howlen, "%s (%s)", v == CG_V2 ? "cgroup.freeze" :
	    "freezer.state", s->n == 1 ? "1 process" : "its processes");
	return (0);
}

static int
pause_stop(const struct procset *s, struct jentry *j, int *paused,
    char *how, size_t howlen, char *err, size_t errlen)
{
	int	i, n = 0;

	if (s->group > 0)
		jentry_set(j, "group", "%ld %llu", (long)s->group,
		    (unsigned long long)s->group_start);
	for (i = 0; i < s->n; i++) {
		if (s->group <= 0 && stopped(s->v[i].pid))
			continue;	/* stopped by someone else: theirs */
		jentry_add(j, "proc", "%ld %llu", (long)s->v[i].pid,
		    (unsigned long long)s->v[i].start);
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: every process of it is stopped "
		    "already: nothing to pause", s->what);
		return (-1);
	}
	if (journal_write(j, err, errlen) != 0)
		return (-1);
	if (guardian_ensure() != 0)
		log_warn("cannot start the guardian: the processes will not be "
		    "resumed by themselves if chaosd is killed");
	if (s->group > 0)
		signal_group(s->group, s->group_start, SIGSTOP);
	else
		for (i = 0; i < j->nfields; i++) {
			long pid;
			unsigned long long start;

			if (strcmp(j->fields[i].key, "proc") == 0 &&
			    sscanf(j->fields[i].value, "%ld %llu", &pid,
			    &start) == 2)
				proc_signal_one((pid_t)pid, start, SIGSTOP);
		}
	*paused = wait_stopped(j, STOP_WAIT_NS);
	snprintf(how, howlen, "SIGSTOP");
	if (*paused == 0) {
		pause_undo(j, err, errlen);
		journal_remove(j);
		snprintf(err, errlen, "%s: no process stopped (gone, or not "
		    "ours to signal)", s->what);
		return (-1);
	}
	return (0);
}

/*
 * Pause what s holds, journaled first (entry *j, which the caller keeps
 * to resume exactly this pause with journal_revert()). *paused: how many
 * processes the kernel shows stopped (or the cgroup holds, frozen); how
 * says by what means. 0, or -1 with err and nothing paused.
 */
int
pause_apply(const struct procset *s, const struct pause_how *ph,
    struct jentry *j, int *paused, char *how, size_t howlen, char *err,
    size_t errlen)
{
	static unsigned	 seq;
	char		 freezer[PATH_MAX];
	int		 v = -1, r;

	*paused = 0;
	jentry_init(j, "pause");
	if (journal_ensure_dir(err, errlen) != 0)
		return (-1);
	snprintf(j->id, sizeof j->id, "pause-%ld-%u", (long)getpid(), ++seq);
	snprintf(j->what, sizeof j->what, "pause of %.400s", s->what);
	j->bound = ph->bound;
	j->expires_ms = ph->expires_ms;
	if (s->n == 0 && s->group <= 0) {
		snprintf(err, errlen, "%s: no process to pause", s->what);
		jentry_free(j);
		return (-1);
	}
	if (s->cgroup[0] != '\0')
		v = cgroup_freezer(s->cgroup, freezer, sizeof freezer);
	if (v > 0) {
		r = pause_freeze(s, freezer, v, j, how, howlen, err, errlen);
		*paused = s->n;
	} else {
		r = pause_stop(s, j, paused, how, howlen, err, errlen);
		if (r == 0 && s->cgroup[0] != '\0')
			snprintf(how, howlen, "SIGSTOP (no freezer for this "
			    "cgroup)");
	}
	if (r != 0) {
		jentry_free(j);
		return (-1);
	}
	j->state = J_ACTIVE;
	if (journal_write(j, err, errlen) != 0)
		log_warn("%s (paused; the guardian still knows it as "
		    "applying)", err);
	return (0);
}

/* Is the pause still held? How many processes are stopped (frozen). */
int
pause_held(const struct jentry *j)
{
	const char	*freezer = jentry_get(j, "freezer");
	pid_t		*pids;
	int		 n;

	if (freezer != NULL) {
		if (cgroup_frozen(freezer) != 1 ||
		    cgroup_pids(freezer, &pids, &n) != 0)
			return (0);
		free(pids);
		return (n);
	}
	return (wait_stopped(j, 0));
}

static int
pause_journal_revert(struct jentry *j, char *err, size_t errlen)
{
	return (pause_undo(j, err, errlen));
}

const struct journal_type journal_pause = {
	.name = "pause",
	.revert = pause_journal_revert,
};
