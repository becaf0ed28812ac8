/*
 * spawn.c: starting the long-lived processes of a run (its services and
 * its workload): /bin/sh -c COMMAND in a process group of its own, with
 * the run's environment, its output where the scenario says, as another
 * user if asked, with a hook between fork and exec (the seccomp filter).
 * A failure in the child before exec (setuid, the hook, exec itself)
 * comes back through a close-on-exec pipe as the parent's error, not as
 * a mysterious exit status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chaosd.h"

struct child_err {
	int	step;		/* what failed */
	int	errnum;
};

enum { STEP_PGID = 1, STEP_STDIO, STEP_GROUPS, STEP_GID, STEP_UID,
    STEP_HOOK, STEP_EXEC };

static const char *
step_name(int step)
{
	switch (step) {
	case STEP_PGID:
		return ("setpgid");
	case STEP_STDIO:
		return ("redirecting its output");
	case STEP_GROUPS:
		return ("setgroups");
	case STEP_GID:
		return ("setgid");
	case STEP_UID:
		return ("setuid");
	case STEP_HOOK:
		return ("preparing it");
	default:
		return ("/bin/sh");
	}
}

static void dead
child_fail(int fd, int step)
{
	struct child_err ce = { step, errno };

	(void)!write(fd, &ce, sizeof ce);
	_exit(EXIT_INTERNAL);
}

/*
 * In a child between fork and exec: die with signal pdeathsig when the
 * parent does (-1 when it is gone already), every signal back to its
 * default, none blocked. Only async-signal-safe calls.
 */
int
spawn_child_reset(int pdeathsig, pid_t parent)
{
	struct sigaction sa;
	sigset_t	 none;
	int		 i;

	if (pdeathsig != 0) {
		prctl(PR_SET_PDEATHSIG, pdeathsig);
		if (getppid() != parent)
			return (-1);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (i = 1; i < NSIG; i++)
		if (i != SIGKILL && i != SIGSTOP)
			sigaction(i, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return (0);
}

int
spawn_process(const struct spawn *sp, pid_t *pid, char *err, size_t errlen)
{
	struct child_err ce;
	char	 sh[] = "sh", dash_c[] = "-c", *argv[4];
	pid_t	 p, parent = getpid();
	ssize_t	 n;
	int	 pfd[2], i, nul;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return (-1);
	}
	argv[0] = sh;
	argv[1] = dash_c;
	argv[2] = (char *)(uintptr_t)sp->command;
	argv[3] = NULL;
	fflush(NULL);
	if ((p = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return (-1);
	}
	if (p == 0) {
		close(pfd[0]);
		/* should chaosd die before it journals us: we go too */
		if (spawn_child_reset(sp->pdeathsig, parent) != 0)
			_exit(EXIT_INTERNAL);
		if (setpgid(0, 0) != 0)
			child_fail(pfd[1], STEP_PGID);
		if ((nul = open("/dev/null", O_RDONLY)) < 0 ||
		    dup2(nul, 0) < 0)
			child_fail(pfd[1], STEP_STDIO);
		if ((sp->stdout_fd >= 0 && dup2(sp->stdout_fd, 1) < 0) ||
		    (sp->stderr_fd >= 0 && dup2(sp->stderr_fd, 2) < 0))
			child_fail(pfd[1], STEP_STDIO);
		for (i = 0; i < sp->nkeep; i++)
			fcntl(sp->keep_fd[i], F_SETFD, 0);
		if (sp->uid != (uid_t)-1) {
			if (setgroups(0, NULL) != 0 && errno != EPERM)
				child_fail(pfd[1], STEP_GROUPS);
			if (sp->gid != (gid_t)-1 && setgid(sp->gid) != 0)
				child_fail(pfd[1], STEP_GID);
			if (setuid(sp->uid) != 0)
				child_fail(pfd[1], STEP_UID);
		}
		if (sp->child != NULL && sp->child(sp->arg) != 0)
			child_fail(pfd[1], STEP_HOOK);
		execve("/bin/sh", argv, sp->env);
		child_fail(pfd[1], STEP_EXEC);
	}
	setpgid(p, p);
	close(pfd[1]);
	/* before waiting on the child: it may need us (the supervisor) */
	if (sp->parent != NULL && sp->parent(sp->arg, p, err, errlen) != 0) {
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
		close(pfd[0]);
		return (-1);
	}
	while ((n = read(pfd[0], &ce, sizeof ce)) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	if (n == (ssize_t)sizeof ce) {
		waitpid(p, NULL, 0);
		snprintf(err, errlen, "%s: %s", step_name(ce.step),
		    strerror(ce.errnum));
		return (-1);
	}
	*pid = p;
	return (0);
}
