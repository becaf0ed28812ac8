/*
 * threads: N threads each make CALLS pread(2) calls of one byte of FILE,
 * and count the calls that failed (and with which errno).
 *
 *	threads N CALLS FILE
 *
 * FILE's first byte must be 'x' (a read returning anything else counts
 * as "other").
 * Prints: threads=N calls=TOTAL ok=A fail=B eio=C other=D
 * (other: failures with an errno other than EIO, or wrong data).
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>

#include "helper.h"

static int fd;
static long calls;
static const char expect = 'x';

struct count {
	long ok, eio, other;
};

static void *
worker(void *arg)
{
	struct count *c = arg;
	long i;
	char b;

	for (i = 0; i < calls; i++) {
		ssize_t r = pread(fd, &b, 1, 0);

		if (r == 1 && b == expect)
			c->ok++;
		else if (r < 0 && errno == EIO)
			c->eio++;
		else
			c->other++;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t tid[64];
	struct count cnt[64];
	long n, i, ok = 0, eio = 0, other = 0;
	int e;

	if (argc != 4)
		h_usage("threads", "N CALLS FILE");
	n = strtol(argv[1], NULL, 10);
	calls = strtol(argv[2], NULL, 10);
	if (n < 1 || n > 64 || calls < 1)
		h_usage("threads", "N (1-64) CALLS FILE");
	fd = open(argv[3], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "threads: %s: %s\n", argv[3], strerror(errno));
		return 99;
	}
	memset(cnt, 0, sizeof cnt);
	for (i = 0; i < n; i++)
		if ((e = pthread_create(&tid[i], NULL, worker, &cnt[i])) != 0) {
			fprintf(stderr, "threads: pthread_create: %s\n",
			    strerror(e));
			return 99;
		}
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		ok += cnt[i].ok;
		eio += cnt[i].eio;
		other += cnt[i].other;
	}
	h_say("threads=%ld calls=%ld ok=%ld fail=%ld eio=%ld other=%ld", n,
	    n * calls, ok, eio + other, eio, other);
	return 0;
}
