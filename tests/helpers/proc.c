/*
 * proc: make processes and threads, printing what each call returned.
 *
 *	proc OP[=ARG]...
 *
 * Ops:
 *   fork              fork=ok status=exit:0 | fork=-1 errno=EAGAIN
 *   pthread_create    pthread_create=0 | pthread_create=EAGAIN
 *   posix_spawn=PATH  posix_spawn=0 status=exit:N | posix_spawn=EAGAIN
 *   posix_spawnp=NAME the same through PATH
 *   system=CMD        system=exit:N | system=-1 errno=E
 *   execv=PATH        replaces the process (run last); on failure
 *                     execv=-1 errno=E and the ops go on
 */
#include "config.h"

#include <pthread.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper.h"

extern char **environ;

static void *
thread_fn(void *arg)
{
	return arg;
}

static const char *
status_text(int st)
{
	static char s[32];

	if (WIFEXITED(st))
		snprintf(s, sizeof s, "exit:%d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(s, sizeof s, "signal:%d", WTERMSIG(st));
	else
		snprintf(s, sizeof s, "?");
	return s;
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 2)
		h_usage("proc", "OP[=ARG]... (see proc.c)");
	for (i = 1; i < argc; i++) {
		char *arg = strchr(argv[i], '=');
		const char *name = argv[i];
		int st, e;
		pid_t pid;

		if (arg != NULL)
			*arg++ = '\0';
		if (strcmp(name, "fork") == 0) {
			pid = fork();
			if (pid == 0)
				_exit(0);
			if (pid < 0) {
				h_say("fork=-1 errno=%s", h_errname(errno));
				continue;
			}
			waitpid(pid, &st, 0);
			h_say("fork=ok status=%s", status_text(st));
		} else if (strcmp(name, "pthread_create") == 0) {
			pthread_t t;

			e = pthread_create(&t, NULL, thread_fn, NULL);
			if (e != 0) {
				h_say("pthread_create=%s", h_errname(e));
				continue;
			}
			pthread_join(t, NULL);
			h_say("pthread_create=0");
		} else if ((strcmp(name, "posix_spawn") == 0 ||
		    strcmp(name, "posix_spawnp") == 0) && arg != NULL) {
			char *av[] = { arg, NULL };

			if (name[11] == 'p')
				e = posix_spawnp(&pid, arg, NULL, NULL, av,
				    environ);
			else
				e = posix_spawn(&pid, arg, NULL, NULL, av,
				    environ);
			if (e != 0) {
				h_say("%s=%s", name, h_errname(e));
				continue;
			}
			waitpid(pid, &st, 0);
			h_say("%s=0 status=%s", name, status_text(st));
		} else if (strcmp(name, "system") == 0 && arg != NULL) {
			st = system(arg);
			if (st == -1)
				h_say("system=-1 errno=%s", h_errname(errno));
			else
				h_say("system=%s", status_text(st));
		} else if (strcmp(name, "execv") == 0 && arg != NULL) {
			char *av[] = { arg, NULL };

			execv(arg, av);
			h_say("execv=-1 errno=%s", h_errname(errno));
		} else {
			fprintf(stderr, "proc: bad op '%s'\n", argv[i]);
			return 99;
		}
	}
	return 0;
}
