/*
 * clock.c: time, randomness and waiting, for every part of chaosd.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "chaosd.h"

uint64_t
mono_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

uint64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

uint64_t
random_u64(void)
{
	uint64_t	v;

	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
		v = mono_ns() ^ ((uint64_t)getpid() << 32) ^ now_ms();
	return (v != 0 ? v : 1);
}

static void
ns_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

/* Sleep ns, whatever signals come. */
void
sleep_ns(uint64_t ns)
{
	struct timespec	ts;

	ns_timespec(ns, &ts);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Wait up to ns for one of the (blocked) signals in set: the signal's
 * number, or 0 once the time is up.
 */
int
signal_wait(const sigset_t *set, uint64_t ns)
{
	struct timespec	 left;
	siginfo_t	 si;
	uint64_t	 end = mono_ns() + ns, now;
	int		 s;

	for (;;) {
		now = mono_ns();
		if (now >= end)
			return (0);
		ns_timespec(end - now, &left);
		if ((s = sigtimedwait(set, &si, &left)) > 0)
			return (s);
	}
}

/* SIGINT, SIGTERM and SIGHUP: the signals that stop a foreground command. */
void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/* Block them, so that stop_signal_wait() takes them (old: the mask before). */
void
stop_signals_block(sigset_t *old)
{
	sigset_t	set;

	stop_signals(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Wait up to ns (0: for ever) for a stop signal: its number, or 0. */
int
stop_signal_wait(uint64_t ns)
{
	sigset_t	set;
	int		s;

	stop_signals(&set);
	if (ns != 0)
		return (signal_wait(&set, ns));
	while ((s = sigwaitinfo(&set, NULL)) < 0)
		;
	return (s);
}

/*
 * A duration for people: rounded down to the millisecond (to the
 * microsecond below one), in the largest unit that writes it whole, as
 * the rule language reads it ("1500ms", "90s", "2m").
 */
void
fmt_dur(uint64_t ns, char *buf, size_t len)
{
	if (ns >= 1000000ull)
		ns -= ns % 1000000ull;
	else
		ns -= ns % 1000ull;
	if (format_duration(ns, buf, len) < 0 && len > 0)
		buf[0] = '\0';
}
