/*
 * guardian.c: the process that undoes what nobody is left to undo.
 *
 * Whoever writes a journal entry with an expiry, or one bound to its own
 * life (chaosd run's services and tables, a foreground apply), makes sure
 * one guardian runs for the journal directory: chaosd itself, re-executed
 * from /proc/self/exe as "chaosd net guardian", detached (setsid, double
 * fork, stdin/stdout on /dev/null, stderr appended to guardian.log in the
 * journal directory). It holds guardian.lock for as long as it lives,
 * which is how others know it runs, and writes its pid to guardian.pid
 * there (so that chaosd proc never signals it). Every half second it
 * reverts, through
 * the entry's journal type:
 *   - entries past their expiry (when their owner, still alive, did not
 *     do it itself within 2 s);
 *   - entries bound to an owner that is gone (killed, even by SIGKILL:
 *     its pid is dead, or now another process's);
 *   - entries still "applying" whose owner is gone (killed mid-apply).
 * It exits once no entry has an expiry or an owner to watch, after
 * looking once more with the lock released, so a chaosd that saw it
 * running is never left alone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "chaosd.h"

#define GUARDIAN_TICK_MS	500
#define GUARDIAN_GRACE_MS	2000	/* a live foreground owner goes first */

static int
guardian_lock(void)
{
	char	path[PATH_MAX];
	int	fd;

	snprintf(path, sizeof path, "%s/guardian.lock", journal_dir());
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		return (-1);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

/* Start a guardian unless one holds the lock. */
int
guardian_ensure(void)
{
	char	 path[PATH_MAX];
	pid_t	 pid, w;
	int	 fd, status, nul, logfd;

	if ((fd = guardian_lock()) < 0)
		return (0);	/* one runs (or the directory is unusable) */
	close(fd);

	if ((pid = fork()) < 0)
		return (-errno);
	if (pid == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		if (chdir("/") != 0)
			_exit(1);
		snprintf(path, sizeof path, "%s/guardian.log", journal_dir());
		nul = open("/dev/null", O_RDWR);
		logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW,
		    0600);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
		}
		if (logfd >= 0)
			dup2(logfd, 2);
		else if (nul >= 0)
			dup2(nul, 2);
		closefrom(3);
		{
			sigset_t none;

			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
		}
		execl("/proc/self/exe", "chaosd", "net", "guardian",
		    (char *)NULL);
		_exit(127);
	}
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return (0);
}

static void
guardian_revert(struct jentry *j, const char *why, int *waiting,
    uint64_t *next, uint64_t now)
{
	char	err[512];
	int	r;

	log_warn("%s: %s: reverting %s", j->id, why, j->what);
	j->instance = 0;	/* whichever instance it is now */
	if ((r = journal_revert(j, 1, err, sizeof err)) != 0) {
		log_warn("%s", err);
		(*waiting)++;	/* retry next tick */
		*next = now + GUARDIAN_TICK_MS;
	}
}

/* One pass: revert what is due. Returns how many entries still wait. */
static int
guardian_pass(uint64_t *next)
{
	struct jentry	*v;
	uint64_t	 now = now_ms(), due;
	int		 n, i, waiting = 0, alive;

	*next = UINT64_MAX;
	if (journal_list(NULL, &v, &n) != 0)
		return (0);
	for (i = 0; i < n; i++) {
		alive = jentry_owner_alive(&v[i]);
		if (v[i].state == J_APPLYING && !alive) {
			guardian_revert(&v[i], "its chaosd died while applying",
			    &waiting, next, now);
			continue;
		}
		if (v[i].bound && !alive) {
			guardian_revert(&v[i], "its chaosd is gone", &waiting,
			    next, now);
			continue;
		}
		if (v[i].state == J_APPLYING || v[i].bound) {
			waiting++;
			if (now + GUARDIAN_TICK_MS < *next)
				*next = now + GUARDIAN_TICK_MS;
		}
		if (v[i].expires_ms == 0)
			continue;
		due = v[i].expires_ms;
		if (alive)
			due += GUARDIAN_GRACE_MS;
		if (now >= due) {
			guardian_revert(&v[i], "expired", &waiting, next, now);
			continue;
		}
		waiting++;
		if (due < *next)
			*next = due;
	}
	journal_list_free(v, n);
	return (waiting);
}

/* guardian.pid, written while the lock is held; removed (on) 0. */
static void
guardian_pidfile(int on)
{
	char	path[PATH_MAX], tmp[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof path, "%s/guardian.pid", journal_dir());
	if (!on) {
		unlink(path);
		return;
	}
	snprintf(tmp, sizeof tmp, "%.4000s.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "wex")) == NULL)
		return;
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		unlink(tmp);
}

int
guardian_main(void)
{
	uint64_t	next, now;
	int		fd;

	log_set_prefix("chaosd guardian");
	if ((fd = guardian_lock()) < 0)
		return (0);	/* another one runs */
	guardian_pidfile(1);
	for (;;) {
		if (guardian_pass(&next) == 0) {
			/* look again without the lock: see guardian_ensure */
			guardian_pidfile(0);
			close(fd);
			if (guardian_pass(&next) == 0)
				return (0);
			if ((fd = guardian_lock()) < 0)
				return (0);
			guardian_pidfile(1);
			continue;
		}
		now = now_ms();
		if (next <= now)
			continue;
		sleep_ns((next - now > GUARDIAN_TICK_MS ? GUARDIAN_TICK_MS :
		    next - now) * 1000000ull);
	}
}
