/*
 * check-exec.c: type = exec. command = runs with /bin/sh -c, in its own
 * process group, without the faults; it passes on exit 0. Past the
 * check's timeout the group is killed and the probe fails. A command
 * the shell cannot find or run (126, 127) is an error: the check could
 * not run, which the JUnit report tells apart from a failure.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "scenario.h"

int
spawn_sh(const char *command, char **env, int mode, pid_t *pid, char *err,
    size_t errlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t	 none, dfl;
	char		 sh[] = "sh", dash_c[] = "-c", *cmd, *argv[4];
	int		 error;

	cmd = xstrdup(command);
	argv[0] = sh;
	argv[1] = dash_c;
	argv[2] = cmd;
	argv[3] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (mode == SPAWN_QUIET) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
		    O_WRONLY, 0);
	} else if (mode == SPAWN_STDERR)
		posix_spawn_file_actions_adddup2(&fa, 2, 1);
	sigemptyset(&none);
	sigfillset(&dfl);
	sigdelset(&dfl, SIGKILL);
	sigdelset(&dfl, SIGSTOP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	error = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, env);
	free(cmd);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (error != 0) {
		snprintf(err, errlen, "/bin/sh: %s", strerror(error));
		return (-1);
	}
	return (0);
}

static int
exec_check(const struct sc_check *c, char *err, size_t errlen)
{
	if (c->command == NULL || *c->command == '\0') {
		snprintf(err, errlen, "type = exec needs command =");
		return (-1);
	}
	if (c->url != NULL || c->address != NULL) {
		snprintf(err, errlen, "type = exec takes command =, not %s",
		    c->url != NULL ? "url =" : "address =");
		return (-1);
	}
	return (0);
}

static enum verdict
exec_probe(const struct sc_check *c, char **env, char *msg, size_t len)
{
	struct timespec	 ts = { 0, 2 * 1000 * 1000 };
	uint64_t	 deadline = mono_ns() + c->timeout_ns;
	pid_t		 pid, r;
	int		 status, timed_out = 0;

	if (spawn_sh(c->command, env, SPAWN_QUIET, &pid, msg, len) != 0)
		return (V_ERROR);
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			snprintf(msg, len, "waitpid: %s", strerror(errno));
			return (V_ERROR);
		}
		if (!timed_out && mono_ns() >= deadline) {
			kill(-pid, SIGKILL);
			timed_out = 1;
		}
		nanosleep(&ts, NULL);
	}
	if (timed_out) {
		char d[32];

		fmt_dur(c->timeout_ns, d, sizeof d);
		snprintf(msg, len, "timed out after %s", d);
		return (V_FAIL);
	}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 0)
			return (V_PASS);
		snprintf(msg, len, "exited with status %d",
		    WEXITSTATUS(status));
		if (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127) {
			snprintf(msg, len, "could not run (status %d: %s)",
			    WEXITSTATUS(status), WEXITSTATUS(status) == 127 ?
			    "not found" : "not executable");
			return (V_ERROR);
		}
		return (V_FAIL);
	}
	snprintf(msg, len, "killed by signal %d (%s)", WTERMSIG(status),
	    signal_name(WTERMSIG(status)) ? signal_name(WTERMSIG(status)) :
	    "?");
	return (V_FAIL);
}

const struct check_type check_exec_type = {
	.name = "exec",
	.check = exec_check,
	.probe = exec_probe,
};
