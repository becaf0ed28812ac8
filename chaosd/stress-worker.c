/*
 * stress-worker.c: the stressor processes. stress.c starts chaosd
 * itself again as one of
 *
 *	chaosd stress worker memory BYTES RAMP_NS OOM_SCORE_ADJ [JOIN]...
 *	chaosd stress worker cpu PPM THREADS - [JOIN]...
 *	chaosd stress worker io PREFIX MODE SIZE THREADS [JOIN]...
 *
 * JOIN a cgroup.procs file it moves itself into first. It names itself
 * chaosd-stress, says "started" on standard output (a pipe to chaosd)
 * once it is set up (memory: with its RssAnon then, in bytes), "ready"
 * once its load is in place, or "error: WHY" before it exits 1; then it
 * holds until chaosd kills it.
 *
 * memory: an anonymous mapping made resident (MADV_POPULATE_WRITE, or a
 * write to each page where the kernel lacks it), all at once or in steps
 * every 100 ms over RAMP_NS; then it sleeps, and once a second makes
 * sure its pages are still resident (swapped out ones are brought back),
 * which costs no measurable CPU. cpu: THREADS threads, each keeping its
 * own CPU time at PPM millionths of the time passed (it runs until its
 * CPU time has caught up, sleeps until the clock has), whatever the
 * scheduler did meanwhile, a debt never larger than 100 ms. io: THREADS
 * threads, each on its own file PREFIX.N of SIZE bytes: write (1 MiB
 * blocks, direct I/O where the file system allows, synced every 8 MiB
 * where not), read (the file written once, then read again and again,
 * past the page cache), or fsync (4 KiB writes, each fsynced, as a
 * database's log does).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "chaosd.h"
#include "res.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define RAMP_STEP_NS	(100ull * 1000000)
#define CPU_DEBT_NS	(100ull * 1000000)
#define IO_BLOCK	(1u << 20)
#define IO_SYNC_EVERY	(8ull << 20)
#define FSYNC_BLOCK	4096u

static void printflike(1, 2)
say(const char *fmt, ...)
{
	char	line[512];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	(void)!write(STDOUT_FILENO, line, (size_t)n);
}

static dead void printflike(1, 2)
die(const char *fmt, ...)
{
	char	why[400];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	say("error: %s", why);
	_exit(1);
}

static uint64_t
number(const char *s)
{
	char		*end;
	uint64_t	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *s == '\0')
		die("bad number '%.40s'", s);
	return (v);
}

static void
join(const char *procs)
{
	int	fd;

	if ((fd = open(procs, O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, "0", 1) != 1)
		die("joining %s: %s", procs, strerror(errno));
	close(fd);
}

static uint64_t
cpu_now(clockid_t c)
{
	struct timespec	ts;

	clock_gettime(c, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

/* ---- memory ----------------------------------------------------- */

static uint64_t
rss_anon(void)
{
	uint64_t	v;

	return (proc_kb("/proc/self/status", "RssAnon", &v) == 0 ? v : 0);
}

static void
populate(char *p, size_t len)
{
	long	page = sysconf(_SC_PAGESIZE);
	size_t	i;

	if (madvise(p, len, MADV_POPULATE_WRITE) == 0)
		return;
	if (errno != EINVAL)
		die("making %zu bytes resident: %s", len, strerror(errno));
	for (i = 0; i < len; i += (size_t)page)
		((volatile char *)p)[i] = 1;	/* not the zero page */
}

static dead void
memory_worker(uint64_t bytes, uint64_t ramp_ns, long adj)
{
	char	 buf[32];
	char	*p;
	size_t	 page = (size_t)sysconf(_SC_PAGESIZE), chunk, off;
	uint64_t t0, steps = 1, k;
	int	 fd;

	snprintf(buf, sizeof buf, "%ld", adj);
	if ((fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf))
		die("oom_score_adj %ld: %s", adj, strerror(errno));
	close(fd);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap of %llu bytes: %s", (unsigned long long)bytes,
		    strerror(errno));
	say("started %llu", (unsigned long long)rss_anon());
	if (ramp_ns >= RAMP_STEP_NS)
		steps = ramp_ns / RAMP_STEP_NS;
	chunk = (size_t)((bytes / steps + page - 1) / page * page);
	t0 = mono_ns();
	for (off = 0, k = 0; off < bytes; off += chunk, k++) {
		uint64_t at = t0 + k * (ramp_ns / steps), now = mono_ns();

		if (steps > 1 && at > now)
			sleep_ns(at - now);
		populate(p + off, bytes - off < chunk ? bytes - off : chunk);
	}
	say("ready");
	for (;;) {
		sleep_ns(1000000000ull);
		if (rss_anon() < bytes / 100 * 98)
			populate(p, bytes);
	}
}

/* ---- cpu -------------------------------------------------------- */

static double cpu_frac;

static void *
cpu_thread(void *arg)
{
	volatile uint64_t spin = 0;
	uint64_t	 t0 = mono_ns(), c0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
	uint64_t	 now, used, want;
	int		 i;

	(void)arg;
	for (;;) {
		now = mono_ns();
		used = cpu_now(CLOCK_THREAD_CPUTIME_ID) - c0;
		want = (uint64_t)(cpu_frac * (double)(now - t0));
		if (want > used + CPU_DEBT_NS) {
			/* the scheduler kept us out: forgive all but 100ms */
			t0 = now - (uint64_t)((double)(used + CPU_DEBT_NS) /
			    cpu_frac);
			want = used + CPU_DEBT_NS;
		}
		if (used < want) {
			while (cpu_now(CLOCK_THREAD_CPUTIME_ID) - c0 < want)
				for (i = 0; i < 2000; i++)
					spin++;
			continue;
		}
		/* until the clock catches up with the CPU time used */
		sleep_ns((uint64_t)((double)(used - want) / cpu_frac) +
		    100000);
	}
	return (NULL);
}

static dead void
cpu_worker(uint64_t ppm, uint64_t threads)
{
	pthread_t	t;
	uint64_t	i;

	cpu_frac = (double)ppm / 1e6;
	if (cpu_frac <= 0 || cpu_frac > 1)
		die("cpu: %llu ppm is out of range", (unsigned long long)ppm);
	say("started");
	for (i = 0; i < threads; i++)
		if ((errno = pthread_create(&t, NULL, cpu_thread, NULL)) != 0)
			die("thread: %s", strerror(errno));
	say("ready");
	for (;;)
		pause();
}

/* ---- io --------------------------------------------------------- */

struct io_file {
	char		 path[PATH_MAX];
	int		 fd;
	int		 direct;
	enum io_mode	 mode;
	uint64_t	 size;
	char		*buf;
};

static void
io_write(struct io_file *f, uint64_t off, size_t len)
{
	ssize_t	n;

	while ((n = pwrite(f->fd, f->buf, len, (off_t)off)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EINVAL && f->direct) {
			/* direct I/O refused after all: go through the cache */
			f->direct = 0;
			fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) &
			    ~O_DIRECT);
			continue;
		}
		die("writing %s: %s", f->path, strerror(errno));
	}
}

static void *
io_thread(void *arg)
{
	struct io_file	*f = arg;
	uint64_t	 off = 0;
	ssize_t		 n;

	for (;;) {
		switch (f->mode) {
		case IO_WRITE:
			io_write(f, off, IO_BLOCK);
			off += IO_BLOCK;
			if (!f->direct && off % IO_SYNC_EVERY == 0 &&
			    fdatasync(f->fd) != 0)
				die("fdatasync %s: %s", f->path,
				    strerror(errno));
			break;
		case IO_READ:
			if (off == 0 && !f->direct)
				posix_fadvise(f->fd, 0, 0,
				    POSIX_FADV_DONTNEED);
			if ((n = pread(f->fd, f->buf, IO_BLOCK, (off_t)off)) <
			    0 && errno != EINTR)
				die("reading %s: %s", f->path, strerror(errno));
			off += IO_BLOCK;
			break;
		case IO_FSYNC:
			io_write(f, off, FSYNC_BLOCK);
			if (fsync(f->fd) != 0)
				die("fsync %s: %s", f->path, strerror(errno));
			off += FSYNC_BLOCK;
			break;
		}
		if (off >= f->size)
			off = 0;
	}
	return (NULL);
}

static dead void
io_worker(const char *prefix, const char *mode, uint64_t size,
    uint64_t threads)
{
	struct io_file	*f;
	pthread_t	 t;
	uint64_t	 i, off, x = 0x9e3779b97f4a7c15ull;
	size_t		 k;

	f = xcalloc(threads, sizeof *f);
	size = size < IO_BLOCK ? IO_BLOCK : size / IO_BLOCK * IO_BLOCK;
	for (i = 0; i < threads; i++) {
		snprintf(f[i].path, sizeof f[i].path, "%s.%llu", prefix,
		    (unsigned long long)i);
		f[i].mode = strcmp(mode, "read") == 0 ? IO_READ :
		    strcmp(mode, "fsync") == 0 ? IO_FSYNC : IO_WRITE;
		f[i].size = size;
		if ((f[i].fd = open(f[i].path, O_RDWR | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
			die("%s: %s", f[i].path, strerror(errno));
		if (posix_memalign((void **)&f[i].buf, 4096, IO_BLOCK) != 0)
			die("out of memory");
		/* data no file system can compress away */
		for (k = 0; k < IO_BLOCK / sizeof x; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			((uint64_t *)(void *)f[i].buf)[k] = x;
		}
	}
	say("started");
	for (i = 0; i < threads; i++) {
		if (f[i].mode == IO_READ) {
			for (off = 0; off < size; off += IO_BLOCK)
				io_write(&f[i], off, IO_BLOCK);
			if (fsync(f[i].fd) != 0)
				die("fsync %s: %s", f[i].path, strerror(errno));
		}
		if (f[i].mode != IO_FSYNC && fcntl(f[i].fd, F_SETFL,
		    fcntl(f[i].fd, F_GETFL) | O_DIRECT) == 0)
			f[i].direct = 1;
		if ((errno = pthread_create(&t, NULL, io_thread, &f[i])) != 0)
			die("thread: %s", strerror(errno));
	}
	say("ready");
	for (;;)
		pause();
}

int
stress_worker_main(int argc, char **argv)
{
	int	fixed, i;

	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "chaosd-stress");
	if (argc < 2)
		die("no stressor");
	if (strcmp(argv[1], "memory") == 0 || strcmp(argv[1], "cpu") == 0)
		fixed = 3;
	else if (strcmp(argv[1], "io") == 0)
		fixed = 4;
	else
		die("unknown stressor '%.40s'", argv[1]);
	if (argc < 2 + fixed)
		die("%s: too few arguments", argv[1]);
	for (i = 2 + fixed; i < argc; i++)
		join(argv[i]);
	if (strcmp(argv[1], "memory") == 0)
		memory_worker(number(argv[2]), number(argv[3]),
		    strtol(argv[4], NULL, 10));
	if (strcmp(argv[1], "cpu") == 0)
		cpu_worker(number(argv[2]), number(argv[3]));
	io_worker(argv[2], argv[3], number(argv[4]), number(argv[5]));
}
