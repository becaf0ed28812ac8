/*
 * service.c: [service.*] sections.
 *
 * A service is started with sh -c in its own process group, preloaded
 * with libinject and the scenario's fault table (CHAOS_TABLE), its
 * standard output sent to chaosd's standard error so that the report on
 * standard output stays readable. chaosd waits for `ready` (an HTTP
 * answer below 400, or a TCP connection) before the 'before' checks.
 * A service that dies before the end is an event in the report; with
 * restart = on-failure one that exited non-zero or was killed is started
 * again (at most every 200 ms). At the end the group gets SIGTERM, then
 * SIGKILL 3 s later.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "scenario.h"

#define RESTART_GAP_NS	(200ull * NS_PER_MS)
#define STOP_GRACE_NS	(3ull * NS_PER_S)

int
ready_probe(const char *ready, uint64_t timeout_ns, char *msg, size_t len)
{
	long	code = 0;

	if (strncmp(ready, "tcp://", 6) == 0)
		return (tcp_probe_address(ready + 6, timeout_ns, msg, len));
	if (http_probe_url(ready, timeout_ns, &code, msg, len) != 0)
		return (-1);
	if (code >= 400) {
		snprintf(msg, len, "%s: status %ld", ready, code);
		return (-1);
	}
	return (0);
}

int
service_start(struct run_result *rr, int i, char **env, char *err,
    size_t errlen)
{
	const struct sc_service *s = &rr->sc->services[i];
	struct service_result *sr = &rr->services[i];

	if (spawn_sh(s->command, env, SPAWN_STDERR, &sr->pid, err,
	    errlen) != 0)
		return (-1);
	log_info("service %s: started, pid %d", s->name, (int)sr->pid);
	return (0);
}

static void
describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)",
		    WTERMSIG(status), signal_name(WTERMSIG(status)) ?
		    signal_name(WTERMSIG(status)) : "?");
	else
		snprintf(buf, len, "stopped");
}

/* Reap, report and restart what died. */
void
service_poll(struct run_result *rr, char **env, int stopping)
{
	char	 how[96], err[256];
	int	 i, status;

	for (i = 0; i < rr->sc->nservices; i++) {
		const struct sc_service *s = &rr->sc->services[i];
		struct service_result *sr = &rr->services[i];

		if (sr->pid > 0 && waitpid(sr->pid, &status, WNOHANG) ==
		    sr->pid) {
			sr->pid = 0;
			if (stopping)
				continue;
			describe_status(status, how, sizeof how);
			sr->died++;
			snprintf(sr->message, sizeof sr->message, "%s", how);
			run_event(rr, "service %s %s", s->name, how);
			if (s->restart == RESTART_ON_FAILURE &&
			    !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
				sr->restart_at = mono_ns() + RESTART_GAP_NS;
		}
		if (sr->pid == 0 && sr->restart_at != 0 && !stopping &&
		    mono_ns() >= sr->restart_at) {
			sr->restart_at = 0;
			if (service_start(rr, i, env, err, sizeof err) != 0)
				run_event(rr, "service %s: restart failed: %s",
				    s->name, err);
			else {
				sr->restarts++;
				run_event(rr, "service %s restarted (pid %d)",
				    s->name, (int)sr->pid);
			}
		}
	}
}

int
service_wait_ready(struct run_result *rr, int i, volatile int *stop,
    char *err, size_t errlen)
{
	const struct sc_service *s = &rr->sc->services[i];
	struct service_result *sr = &rr->services[i];
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	uint64_t	 t0 = mono_ns(), deadline = t0 + s->ready_timeout_ns;
	char		 msg[256] = "", d[32];
	int		 status;

	if (s->ready == NULL) {
		sr->ready = 1;
		return (0);
	}
	for (;;) {
		if (ready_probe(s->ready, 500 * NS_PER_MS, msg,
		    sizeof msg) == 0) {
			sr->ready = 1;
			sr->ready_ns = mono_ns() - t0;
			log_info("service %s: ready after %llu ms", s->name,
			    (unsigned long long)(sr->ready_ns / NS_PER_MS));
			return (0);
		}
		if (sr->pid > 0 && waitpid(sr->pid, &status, WNOHANG) ==
		    sr->pid) {
			char how[96];

			sr->pid = 0;
			describe_status(status, how, sizeof how);
			snprintf(err, errlen, "service %s %s before it was "
			    "ready", s->name, how);
			snprintf(sr->message, sizeof sr->message, "%s", err);
			return (-1);
		}
		if (*stop) {
			snprintf(err, errlen, "interrupted");
			return (-1);
		}
		if (mono_ns() >= deadline) {
			fmt_dur(s->ready_timeout_ns, d, sizeof d);
			snprintf(err, errlen, "service %s not ready after %s: "
			    "%s", s->name, d, msg);
			snprintf(sr->message, sizeof sr->message, "%s", err);
			return (-1);
		}
		nanosleep(&ts, NULL);
	}
}

void
service_stop_all(struct run_result *rr)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	uint64_t	 deadline;
	int		 i, left, killed = 0, status;

	for (i = 0; i < rr->sc->nservices; i++) {
		rr->services[i].restart_at = 0;
		if (rr->services[i].pid > 0)
			kill(-rr->services[i].pid, SIGTERM);
	}
	deadline = mono_ns() + STOP_GRACE_NS;
	for (;;) {
		left = 0;
		for (i = 0; i < rr->sc->nservices; i++) {
			struct service_result *sr = &rr->services[i];

			if (sr->pid <= 0)
				continue;
			if (waitpid(sr->pid, &status, WNOHANG) == sr->pid) {
				/* the rest of its group goes too */
				kill(-sr->pid, SIGKILL);
				sr->pid = 0;
			} else
				left++;
		}
		if (left == 0)
			break;
		if (!killed && mono_ns() >= deadline) {
			for (i = 0; i < rr->sc->nservices; i++) {
				if (rr->services[i].pid > 0) {
					log_warn("service %s: still running "
					    "3s after SIGTERM: SIGKILL",
					    rr->sc->services[i].name);
					kill(-rr->services[i].pid, SIGKILL);
				}
			}
			killed = 1;
		}
		nanosleep(&ts, NULL);
	}
}
