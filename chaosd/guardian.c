/*
 * guardian.c: the process that reverts faults nobody is left to revert.
 *
 * `chaosd net apply` writes its journal entry, then makes sure one
 * guardian runs for the journal directory: chaosd itself, re-executed
 * from /proc/self/exe as "chaosd net guardian", detached (setsid, double
 * fork, stdin/stdout on /dev/null, stderr appended to guardian.log in the
 * journal directory). It holds guardian.lock for as long as it lives,
 * which is how others know it runs. It reverts:
 *   - entries past their expiry (the TTL, or apply --for's end when the
 *     foreground chaosd did not do it itself within 2 s);
 *   - entries still "applying" whose chaosd is dead (killed mid-apply).
 * It exits once no entry has an expiry, after looking once more with the
 * lock released, so an apply that saw it running is never left alone.
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
#include "net.h"

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

static int
pid_alive(pid_t pid)
{
	return (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM));
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
sleep_ms(uint64_t ms)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* One pass: revert what is due. Returns how many entries still wait. */
static int
guardian_pass(uint64_t *next)
{
	struct jentry	*v;
	char		 err[512];
	uint64_t	 now = now_ms(), due;
	int		 n, i, waiting = 0;

	*next = UINT64_MAX;
	if (journal_list(&v, &n) != 0)
		return (0);
	for (i = 0; i < n; i++) {
		if (v[i].state == J_APPLYING && !pid_alive(v[i].owner)) {
			log_warn("%s: its chaosd (pid %ld) died while applying:"
			    " reverting", v[i].id, (long)v[i].owner);
			if (journal_revert(&v[i], 1, err, sizeof err) != 0)
				log_warn("%s", err);
			continue;
		}
		if (v[i].state == J_APPLYING) {
			waiting++;
			*next = now + GUARDIAN_TICK_MS;
			continue;
		}
		if (v[i].expires_ms == 0)
			continue;
		due = v[i].expires_ms;
		if (v[i].foreground && pid_alive(v[i].owner))
			due += GUARDIAN_GRACE_MS;
		if (now >= due) {
			log_warn("%s: expired: reverting %s on %s", v[i].id,
			    v[i].what, v[i].dev);
			if (journal_revert(&v[i], 1, err, sizeof err) != 0) {
				log_warn("%s", err);
				waiting++;	/* retry next tick */
				*next = now + GUARDIAN_TICK_MS;
			}
			continue;
		}
		waiting++;
		if (due < *next)
			*next = due;
	}
	free(v);
	return (waiting);
}

int
guardian_main(void)
{
	uint64_t	next, now;
	int		fd;

	log_set_prefix("chaosd guardian");
	if ((fd = guardian_lock()) < 0)
		return (0);	/* another one runs */
	for (;;) {
		if (guardian_pass(&next) == 0) {
			/* look again without the lock: see guardian_ensure */
			close(fd);
			if (guardian_pass(&next) == 0)
				return (0);
			if ((fd = guardian_lock()) < 0)
				return (0);
			continue;
		}
		now = now_ms();
		if (next <= now)
			continue;
		sleep_ms(next - now > GUARDIAN_TICK_MS ? GUARDIAN_TICK_MS :
		    next - now);
	}
}
