/*
 * sigwrite: write(2) from a signal handler while a fault is armed.
 *
 *	sigwrite FAULTED OTHER MS
 *
 * For MS milliseconds the main loop writes one byte to FAULTED (a file a
 * rule fails with EIO, possibly after a delay) while an interval timer
 * fires SIGALRM a millisecond after the last one was handled; the handler writes one byte to FAULTED and
 * one to OTHER (not faulted), saving errno as a handler must. Prints
 *
 *	main: calls=N eio=A other=B
 *	handler: calls=H faulted_eio=X other_ok=Y
 *
 * A correct shim gives other=0 (errno seen by the main loop is always
 * EIO, whatever the handler's calls did inside the shim), other_ok=H,
 * faulted_eio=H (the handler sees the fault, also when it interrupted
 * the shim itself),
 * and returns at all (no deadlock in the handler).
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>

#include "helper.h"

static int ffd, ofd;
static volatile sig_atomic_t h_calls, h_eio, h_ok, fired;

static void
on_alarm(int sig)
{
	int saved = errno;

	(void)sig;
	h_calls++;
	if (write(ffd, "h", 1) < 0 && errno == EIO)
		h_eio++;
	if (write(ofd, "h", 1) == 1)
		h_ok++;
	fired = 1;
	errno = saved;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct itimerval it;
	long calls = 0, eio = 0, other = 0;
	double end;

	if (argc != 4)
		h_usage("sigwrite", "FAULTED OTHER MS");
	ffd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
	ofd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (ffd < 0 || ofd < 0) {
		fprintf(stderr, "sigwrite: open: %s\n", strerror(errno));
		return 99;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	/*
	 * One shot at a time, re-armed by the main loop once it fired: a
	 * handler slowed by a delay (on a loaded machine) can then never
	 * starve the main loop with signals queued back to back.
	 */
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 1000;
	end = h_now_ms() + (double)strtol(argv[3], NULL, 10);
	setitimer(ITIMER_REAL, &it, NULL);
	while (h_now_ms() < end) {
		ssize_t r;

		if (fired) {
			fired = 0;
			setitimer(ITIMER_REAL, &it, NULL);
		}

		errno = 0;
		r = write(ffd, "m", 1);
		calls++;
		if (r < 0 && errno == EIO)
			eio++;
		else
			other++;
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	h_say("main: calls=%ld eio=%ld other=%ld", calls, eio, other);
	h_say("handler: calls=%ld faulted_eio=%ld other_ok=%ld",
	    (long)h_calls, (long)h_eio, (long)h_ok);
	return 0;
}
