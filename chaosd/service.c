/*
 * service.c: [service.*] sections.
 *
 * A service is started with sh -c in its own process group (spawn.c),
 * preloaded as the run's kinds say (libinject and the run's fault
 * table), as `user =` if given, its output to `log =` or else to
 * chaosd's standard error, so that the report on standard output stays
 * readable. Each start is journaled (the run's entry, run-journal.c), so
 * that a killed chaosd's services are stopped by the guardian or
 * `chaosd recover`. chaosd waits for `ready` (an HTTP answer below 400,
 * or a TCP connection) before the 'before' checks. A service that dies
 * before the end is an event in the report (with the tail of its log);
 * with restart = on-failure one that exited non-zero or was killed is
 * started again after restart_delay, doubling each time up to
 * restart_delay_max (and back to restart_delay once it has stayed up
 * that long), at most restart_max times: past that it is a crash loop,
 * which fails the run unless crash_loop = expected. At the end the group
 * gets SIGTERM, then SIGKILL after stop_timeout.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chaosd.h"
#include "run.h"

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

static void
journal_service(struct run *r, int i)
{
	const struct sc_service *s = &r->sc->services[i];
	struct service_result *sr = &r->rr->services[i];
	char	key[SC_NAME_MAX + 16];

	snprintf(key, sizeof key, "service.%s", s->name);
	run_journal_group(r, key, sr->pid, sr->start_time);
}

int
service_start(struct run *r, int i, char *err, size_t errlen)
{
	const struct sc_service *s = &r->sc->services[i];
	struct service_result *sr = &r->rr->services[i];
	struct spawn	 sp;
	int		 logfd = -1, ret;

	if (s->log != NULL) {
		logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
		if (logfd < 0) {
			snprintf(err, errlen, "service %s: log = %s: %s",
			    s->name, s->log, strerror(errno));
			return (-1);
		}
		if (s->uid != (uid_t)-1)
			(void)!fchown(logfd, s->uid, s->gid);
	}
	memset(&sp, 0, sizeof sp);
	sp.command = s->command;
	sp.env = r->env.v;
	sp.stdout_fd = logfd >= 0 ? logfd : 2;
	sp.stderr_fd = logfd >= 0 ? logfd : -1;
	sp.uid = s->uid;
	sp.gid = s->gid;
	sp.keep_fd = r->keep_fd;
	sp.nkeep = r->nkeep_fd;
	sp.pdeathsig = SIGTERM;
	ret = spawn_process(&sp, &sr->pid, err, errlen);
	if (logfd >= 0)
		close(logfd);
	if (ret != 0) {
		char	why[256];

		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "service %s: %s", s->name, why);
		sr->pid = 0;
		return (-1);
	}
	sr->start_time = proc_start_time(sr->pid);
	sr->started_ns = mono_ns();
	journal_service(r, i);
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

/* The last lines of the service's log, for the report. */
static void
log_tail(const struct sc_service *s, struct service_result *sr)
{
	char	buf[sizeof sr->log_tail];
	off_t	size;
	ssize_t	n;
	int	fd;

	sr->log_tail[0] = '\0';
	if (s->log == NULL ||
	    (fd = open(s->log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof buf - 1)
		lseek(fd, size - (off_t)sizeof buf + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	utf8_clean(sr->log_tail, sizeof sr->log_tail, buf);
}

/* It died: say so; decide whether (and when) it comes back. */
static void
service_died(struct run *r, int i, int status)
{
	const struct sc_service *s = &r->sc->services[i];
	struct service_result *sr = &r->rr->services[i];
	char	how[96], d[32];
	uint64_t up = mono_ns() - sr->started_ns;

	describe_status(status, how, sizeof how);
	sr->died++;
	snprintf(sr->message, sizeof sr->message, "%s", how);
	log_tail(s, sr);
	run_event_ex(r->rr, EV_SERVICE_DIED, i, status, "service %s %s",
	    s->name, how);
	if (s->restart != RESTART_ON_FAILURE ||
	    (WIFEXITED(status) && WEXITSTATUS(status) == 0))
		return;
	if ((uint64_t)sr->restarts >= s->restart_max) {
		sr->crash_loop = 1;
		run_event(r->rr, "service %s: crash loop: died %d times, "
		    "restart_max (%llu) reached: not restarted", s->name,
		    sr->died, (unsigned long long)s->restart_max);
		return;
	}
	/* back to the first delay once it stayed up long enough */
	if (sr->restart_delay_ns == 0 || up >= s->restart_delay_max_ns)
		sr->restart_delay_ns = s->restart_delay_ns;
	sr->restart_at = mono_ns() + sr->restart_delay_ns;
	fmt_dur(sr->restart_delay_ns, d, sizeof d);
	log_info("service %s: restarting in %s", s->name, d);
	sr->restart_delay_ns *= 2;
	if (sr->restart_delay_ns > s->restart_delay_max_ns)
		sr->restart_delay_ns = s->restart_delay_max_ns;
}

/* Reap, report and restart what died. */
void
service_poll(struct run *r, int stopping)
{
	struct run_result *rr = r->rr;
	char	 err[256];
	int	 i, status;

	for (i = 0; i < rr->sc->nservices; i++) {
		const struct sc_service *s = &rr->sc->services[i];
		struct service_result *sr = &rr->services[i];

		if (sr->pid > 0 && waitpid(sr->pid, &status, WNOHANG) ==
		    sr->pid) {
			/* what the group left behind goes too */
			kill(-sr->pid, SIGKILL);
			sr->pid = 0;
			journal_service(r, i);
			if (stopping)
				continue;
			service_died(r, i, status);
		}
		if (sr->pid == 0 && sr->restart_at != 0 && !stopping &&
		    mono_ns() >= sr->restart_at) {
			sr->restart_at = 0;
			if (service_start(r, i, err, sizeof err) != 0)
				run_event(rr, "service %s: restart failed: %s",
				    s->name, err);
			else {
				sr->restarts++;
				run_event_ex(rr, EV_SERVICE_RESTARTED, i, -1,
				    "service %s restarted (pid %d)", s->name,
				    (int)sr->pid);
			}
		}
	}
}

int
service_wait_ready(struct run *r, int i, char *err, size_t errlen)
{
	const struct sc_service *s = &r->sc->services[i];
	struct service_result *sr = &r->rr->services[i];
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

			kill(-sr->pid, SIGKILL);
			sr->pid = 0;
			journal_service(r, i);
			describe_status(status, how, sizeof how);
			log_tail(s, sr);
			snprintf(err, errlen, "service %s %s before it was "
			    "ready", s->name, how);
			snprintf(sr->message, sizeof sr->message, "%s", err);
			return (-1);
		}
		if (run_stop) {
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
		sleep_ns(50 * NS_PER_MS);
	}
}

void
service_stop_all(struct run *r)
{
	struct run_result *rr = r->rr;
	uint64_t	 start = mono_ns();
	int		 i, left, status;

	for (i = 0; i < rr->sc->nservices; i++) {
		rr->services[i].restart_at = 0;
		if (rr->services[i].pid > 0)
			kill(-rr->services[i].pid, SIGTERM);
	}
	for (;;) {
		left = 0;
		for (i = 0; i < rr->sc->nservices; i++) {
			const struct sc_service *s = &rr->sc->services[i];
			struct service_result *sr = &rr->services[i];

			if (sr->pid <= 0)
				continue;
			if (waitpid(sr->pid, &status, WNOHANG) == sr->pid) {
				/* the rest of its group goes too */
				kill(-sr->pid, SIGKILL);
				sr->pid = 0;
				journal_service(r, i);
				continue;
			}
			if (mono_ns() - start >= s->stop_timeout_ns &&
			    !sr->killed) {
				char d[32];

				fmt_dur(s->stop_timeout_ns, d, sizeof d);
				log_warn("service %s: still running %s after "
				    "SIGTERM (stop_timeout): SIGKILL", s->name,
				    d);
				kill(-sr->pid, SIGKILL);
				sr->killed = 1;
			}
			left++;
		}
		if (left == 0)
			break;
		sleep_ns(10 * NS_PER_MS);
	}
}
