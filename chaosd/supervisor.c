/*
 * supervisor.c: answer the seccomp notifications of the traced command.
 *
 * The child hands the listener descriptor over (seccomp.c); from then on
 * every trapped syscall of CMD and of everything it forks (the filter is
 * inherited across fork and kept across execve) waits in the kernel
 * until this file answers it. Two threads, all signals blocked:
 *
 * - the receiver polls the listener, takes one notification at a time,
 *   decides (argument comparisons, path, trigger) and answers at once
 *   with CONTINUE, an error or a return value: the common "does not
 *   fire" path is poll, RECV, SEND and nothing else;
 * - the timer owns the delayed answers, in a heap ordered by due time,
 *   so that a 2 s delay on one thread stalls no other thread's calls.
 *
 * path= reads the paths from the target's memory (syscall-paths.c), and
 * acts only if the notification is still valid afterwards (the task may
 * have died and its pid been reused meanwhile). A target that dies or is
 * killed while its call waits makes SEND fail with ENOENT: ignored. The
 * listener reports POLLHUP once no task uses the filter any more. When
 * chaosd stops supervising (CMD has exited) delayed answers still due
 * are sent at once, and surviving descendants' trapped calls fail with
 * ENOSYS from then on: the kernel's answer when no supervisor is left.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "chaosd.h"
#include "syscall.h"

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE	(1UL << 0)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS		SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES			3
#endif

/* One answer, now or later. */
struct sys_answer {
	uint64_t	due;		/* CLOCK_MONOTONIC ns */
	uint64_t	id;
	pid_t		tid;
	int		signal;
	uint32_t	flags;		/* SECCOMP_USER_NOTIF_FLAG_CONTINUE */
	int		error;		/* positive errno */
	long long	val;
	int		rule;
};

struct sys_supervisor {
	struct syscall_faults	*sf;
	int			 listener;
	int			 stopfd;
	size_t			 notif_size;
	size_t			 resp_size;
	uint64_t		 rules_of[SYS_NR_MAX];	/* bit per rule */
	struct prng		 prng;
	uint64_t		 notifications;

	pthread_t		 receiver;
	pthread_t		 timer;

	/* the timer's heap; mu also guards resp_timer */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct sys_answer	*heap;
	size_t			 nheap, capheap;
	int			 stopping;
	void			*resp_timer;
};

static uint64_t
sys_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */
/* ------------------------------------------------------------------ */

static void
sys_kill(pid_t tid, int sig)
{
	char	 path[64], line[128];
	FILE	*f;
	long	 tgid = -1;

	/* the thread that made the call, as a crash in it would */
	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	if ((f = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "Tgid:", 5) == 0) {
				tgid = strtol(line + 5, NULL, 10);
				break;
			}
		}
		fclose(f);
	}
	if (tgid <= 0 || syscall(SYS_tgkill, (pid_t)tgid, tid, sig) != 0)
		kill(tid, sig);
}

static void
sys_send(struct sys_supervisor *s, void *buf, const struct sys_answer *a)
{
	struct seccomp_notif_resp	*resp = buf;
	char				 name[64];

	/*
	 * Signal first: with WAIT_KILLABLE_RECV a caught signal stays
	 * pending until the answer, a fatal one ends the call there.
	 */
	if (a->signal != 0)
		sys_kill(a->tid, a->signal);
	memset(resp, 0, s->resp_size);
	resp->id = a->id;
	resp->flags = a->flags;
	resp->error = -a->error;
	resp->val = a->val;
	while (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0) {
		if (errno == EINTR)
			continue;
		/* ENOENT: the task died, or a signal interrupted the call */
		if (errno != ENOENT && a->rule >= 0)
			log_debug("syscall rule '%s': answering pid %d: %s",
			    s->sf->rule[a->rule].name, (int)a->tid,
			    strerror(errno));
		return;
	}
	if (a->rule >= 0 && log_get_level() > 1) {
		if (a->error != 0)
			snprintf(name, sizeof name, "%s",
			    errno_name(a->error) != NULL ?
			    errno_name(a->error) : "error");
		else if (a->flags != 0)
			snprintf(name, sizeof name, "continued");
		else
			snprintf(name, sizeof name, "returned %lld", a->val);
		log_debug("syscall rule '%s': pid %d: %s%s%s",
		    s->sf->rule[a->rule].name, (int)a->tid, name,
		    a->signal != 0 ? ", signalled " : "",
		    a->signal != 0 && signal_name(a->signal) != NULL ?
		    signal_name(a->signal) : "");
	}
}

static void
sys_heap_push(struct sys_supervisor *s, const struct sys_answer *a)
{
	size_t			i, p;
	struct sys_answer	t;

	if (s->nheap == s->capheap) {
		s->capheap = s->capheap == 0 ? 16 : s->capheap * 2;
		s->heap = xreallocarray(s->heap, s->capheap, sizeof *s->heap);
	}
	i = s->nheap++;
	s->heap[i] = *a;
	while (i > 0) {
		p = (i - 1) / 2;
		if (s->heap[p].due <= s->heap[i].due)
			break;
		t = s->heap[p];
		s->heap[p] = s->heap[i];
		s->heap[i] = t;
		i = p;
	}
}

static struct sys_answer
sys_heap_pop(struct sys_supervisor *s)
{
	struct sys_answer	top = s->heap[0], t;
	size_t			i = 0, l, m;

	s->heap[0] = s->heap[--s->nheap];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < s->nheap && s->heap[l].due < s->heap[m].due)
			m = l;
		if (l + 1 < s->nheap && s->heap[l + 1].due < s->heap[m].due)
			m = l + 1;
		if (m == i)
			break;
		t = s->heap[m];
		s->heap[m] = s->heap[i];
		s->heap[i] = t;
		i = m;
	}
	return (top);
}

static void *
sys_timer_main(void *arg)
{
	struct sys_supervisor	*s = arg;
	struct sys_answer	 a;
	struct timespec		 ts;
	uint64_t		 now;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->nheap == 0) {
			if (s->stopping)
				break;
			pthread_cond_wait(&s->cv, &s->mu);
			continue;
		}
		now = sys_now();
		if (!s->stopping && s->heap[0].due > now) {
			ts.tv_sec = (time_t)(s->heap[0].due / 1000000000ull);
			ts.tv_nsec = (long)(s->heap[0].due % 1000000000ull);
			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
			continue;
		}
		/* due (or stopping: answer now rather than leave ENOSYS) */
		a = sys_heap_pop(s);
		sys_send(s, s->resp_timer, &a);
	}
	pthread_mutex_unlock(&s->mu);
	return (NULL);
}

/* ------------------------------------------------------------------ */
/* Deciding                                                            */
/* ------------------------------------------------------------------ */

static int
sys_cmp_match(const struct syscall_rule *r, const uint64_t *args)
{
	const struct sys_cmp	*c;
	uint64_t		 a;
	int			 i;

	for (i = 0; i < r->ncmp; i++) {
		c = &r->cmp[i];
		a = args[c->arg];
		switch (c->op) {
		case SYS_EQ:		if (!(a == c->value)) return (0); break;
		case SYS_NE:		if (!(a != c->value)) return (0); break;
		case SYS_LT:		if (!(a < c->value)) return (0); break;
		case SYS_LE:		if (!(a <= c->value)) return (0); break;
		case SYS_GT:		if (!(a > c->value)) return (0); break;
		case SYS_GE:		if (!(a >= c->value)) return (0); break;
		case SYS_MASKED_EQ:
			if ((a & c->mask) != c->value)
				return (0);
			break;
		}
	}
	return (1);
}

static struct prng *
sys_prng(void *arg)
{
	struct sys_supervisor	*s = arg;

	return (&s->prng);
}

/* trigger.c decides; count= is capped here, by the one receiving thread. */
static int
sys_trigger(struct sys_supervisor *s, struct syscall_rule *r)
{
	uint64_t	m = ++r->matched;

	if (!trigger_due(m, r->after, r->nth, r->threshold, sys_prng, s))
		return (0);
	if (r->count != 0 && r->injected >= r->count)
		return (0);
	r->injected++;
	return (1);
}

static uint64_t
sys_delay(struct sys_supervisor *s, const struct syscall_rule *r)
{
	if (r->jitter_ns == 0)
		return (r->delay_ns);
	return (trigger_jitter(r->delay_ns, r->jitter_ns,
	    prng_next(&s->prng)));
}

static void
sys_handle(struct sys_supervisor *s, const struct seccomp_notif *req,
    void *resp)
{
	struct sys_answer	 a = {
		.id = req->id, .tid = (pid_t)req->pid,
		.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE, .rule = -1,
	};
	struct syscall_rule	*r;
	struct sys_paths		 ps;
	uint64_t		 bits, d;
	int			 i, nr = (int)req->data.nr;

	s->notifications++;
	ps.done = ps.gone = ps.n = 0;
	if (req->data.arch != seccomp_arch_native() || nr < 0 ||
	    nr >= SYS_NR_MAX)
		bits = 0;
	else
		bits = s->rules_of[nr];
	for (; bits != 0; bits &= bits - 1) {
		i = __builtin_ctzll(bits);
		r = &s->sf->rule[i];
		if (!sys_cmp_match(r, (const uint64_t *)req->data.args))
			continue;
		if (r->has_path) {
			if (!ps.done)
				sys_load_paths(s->listener, req, &ps);
			if (ps.gone)
				return;
			if (!sys_path_match(r, &ps))
				continue;
		}
		if (!sys_trigger(s, r))
			continue;

		a.rule = i;
		a.signal = (r->actions & ACT_SIGNAL) ? r->signal : 0;
		if (r->actions & ACT_ERROR) {
			a.flags = 0;
			a.error = r->error;
		} else if (r->actions & ACT_RETVAL) {
			a.flags = 0;
			a.val = r->retval;
		}
		d = (r->actions & ACT_DELAY) ? sys_delay(s, r) : 0;
		if (d > 0) {
			a.due = sys_now() + d;
			pthread_mutex_lock(&s->mu);
			sys_heap_push(s, &a);
			pthread_cond_signal(&s->cv);
			pthread_mutex_unlock(&s->mu);
			return;
		}
		break;
	}
	sys_send(s, resp, &a);
}

static void *
sys_receiver_main(void *arg)
{
	struct sys_supervisor	*s = arg;
	struct pollfd		 pfd[2];
	void			*req, *resp;

	req = xmalloc(s->notif_size);
	resp = xmalloc(s->resp_size);
	pfd[0].fd = s->listener;
	pfd[1].fd = s->stopfd;
	for (;;) {
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_warn("seccomp supervisor: poll: %s",
			    strerror(errno));
			break;
		}
		if (pfd[1].revents != 0)
			break;
		if (pfd[0].revents & POLLIN) {
			memset(req, 0, s->notif_size);
			if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV,
			    req) != 0) {
				/* ENOENT: the caller died before we looked */
				if (errno == EINTR || errno == ENOENT)
					continue;
				log_warn("seccomp supervisor: receiving: %s",
				    strerror(errno));
				break;
			}
			sys_handle(s, req, resp);
			continue;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;	/* no task uses the filter any more */
	}
	free(req);
	free(resp);
	return (NULL);
}

/* ------------------------------------------------------------------ */
/* Starting and stopping                                               */
/* ------------------------------------------------------------------ */

/* Take the listener the child sends; -1 if it died without one. */
static int
sys_receive_fd(int sock)
{
	struct msghdr	 msg;
	struct cmsghdr	*cm;
	struct iovec	 iov;
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	}		 u;
	char		 byte;
	ssize_t		 n;
	int		 fd = -1;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return (-1);
	cm = CMSG_FIRSTHDR(&msg);
	if (cm != NULL && cm->cmsg_level == SOL_SOCKET &&
	    cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return (fd);
}

/*
 * In chaosd, right after the fork and before anything that waits for
 * the child: until the supervisor runs, a trapped call of the child
 * waits too. seed drives probability= and jitter= (0: a random one).
 */
int
syscall_faults_start(struct syscall_faults *sf, pid_t pid, int have_seed,
    uint64_t seed, char *err, size_t errlen)
{
	struct sys_supervisor		*s;
	struct seccomp_notif_sizes	 sizes;
	sigset_t			 all, old;
	uint64_t			 flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	int				 i, j, fd, rc;

	if (sf == NULL || !sf->notify)
		return (0);
	close(sf->sock[1]);
	sf->sock[1] = -1;
	fd = sys_receive_fd(sf->sock[0]);
	close(sf->sock[0]);
	sf->sock[0] = -1;
	if (fd < 0) {
		snprintf(err, errlen, "process %d exited before it could "
		    "install its syscall filter", (int)pid);
		return (-1);
	}

	s = xcalloc(1, sizeof *s);
	s->sf = sf;
	s->listener = fd;
	memset(&sizes, 0, sizeof sizes);
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) {
		sizes.seccomp_notif = sizeof(struct seccomp_notif);
		sizes.seccomp_notif_resp = sizeof(struct seccomp_notif_resp);
	}
	s->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ?
	    sizes.seccomp_notif : sizeof(struct seccomp_notif);
	s->resp_size = sizes.seccomp_notif_resp >
	    sizeof(struct seccomp_notif_resp) ? sizes.seccomp_notif_resp :
	    sizeof(struct seccomp_notif_resp);
	s->resp_timer = xmalloc(s->resp_size);

	/* Linux 6.6+: wake the target on this CPU, a cheaper round trip */
	(void)ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);

	if (!have_seed && getrandom(&seed, sizeof seed, GRND_NONBLOCK) !=
	    (ssize_t)sizeof seed)
		seed = sys_now() ^ (uint64_t)getpid() << 32;
	prng_seed(&s->prng, seed);
	for (i = 0; i < sf->n; i++) {
		struct syscall_rule *r = &sf->rule[i];

		r->matched = r->injected = 0;
		r->threshold = trigger_threshold(r->probability);
		for (j = 0; j < r->nsys; j++)
			s->rules_of[r->sys[j]] |= 1ull << i;
	}

	if ((s->stopfd = eventfd(0, EFD_CLOEXEC)) < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&s->mu, NULL);
	{
		pthread_condattr_t	ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&s->cv, &ca);
		pthread_condattr_destroy(&ca);
	}

	/* Signals are the main thread's business (forwarding to CMD). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->timer, NULL, sys_timer_main, s);
	if (rc == 0) {
		rc = pthread_create(&s->receiver, NULL, sys_receiver_main, s);
		if (rc != 0) {
			pthread_mutex_lock(&s->mu);
			s->stopping = 1;
			pthread_cond_signal(&s->cv);
			pthread_mutex_unlock(&s->mu);
			pthread_join(s->timer, NULL);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "starting the seccomp supervisor: %s",
		    strerror(rc));
		close(s->stopfd);
		goto fail;
	}
	sf->sup = s;
	log_debug("seccomp supervisor running for pid %d", (int)pid);
	return (0);
fail:
	close(s->listener);
	free(s->resp_timer);
	free(s);
	return (-1);
}

/*
 * Once CMD has been reaped: stop, send what is still due, say per rule
 * how often it matched and fired (at -v).
 */
void
syscall_faults_stop(struct syscall_faults *sf)
{
	struct sys_supervisor	*s;
	struct syscall_rule	*r;
	uint64_t		 one = 1;
	int			 i;

	if (sf == NULL)
		return;
	if ((s = sf->sup) != NULL) {
		if (write(s->stopfd, &one, sizeof one) != sizeof one)
			log_warn("seccomp supervisor: stopping: %s",
			    strerror(errno));
		pthread_join(s->receiver, NULL);
		pthread_mutex_lock(&s->mu);
		s->stopping = 1;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->timer, NULL);
		close(s->listener);
		close(s->stopfd);
		log_debug("seccomp supervisor: %llu notifications",
		    (unsigned long long)s->notifications);
	}
	for (i = 0; i < sf->n; i++) {
		r = &sf->rule[i];
		if (r->in_kernel)
			log_info("syscall rule '%s': in the kernel (not "
			    "counted)", r->name);
		else
			log_info("syscall rule '%s': %llu matched, %llu "
			    "injected", r->name,
			    (unsigned long long)r->matched,
			    (unsigned long long)r->injected);
	}
	if (s != NULL) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		free(s->heap);
		free(s->resp_timer);
		free(s);
		sf->sup = NULL;
	}
}
