/*
 * rawsys: a static program making raw syscalls, for chaosd's seccomp
 * tests and bench. No libc wrapper, no shim can see these calls.
 *
 *	rawsys count N		N raw getppid(); prints calls= failed= errno= ret=
 *	rawsys open PATH	raw openat(AT_FDCWD, PATH); prints ok or the errno
 *	rawsys write FD		raw write(FD, "x\n", 2); prints (on stdout) ok or errno
 *	rawsys threads		thread A: one getppid; 100 ms later thread B: 200
 *				getppid; prints a_ms= b_ms= (from start)
 *	rawsys fork N		a child does count N (prints child calls=...),
 *				then this process does
 *	rawsys exec ARGS...	execve(/proc/self/exe, rawsys ARGS...)
 *	rawsys int80		getppid through the i386 entry (x86_64 only):
 *				prints compat=RESULT, or compat=none
 *	rawsys loop N		N raw getppid (bench)
 *	rawsys other N		N raw getpid (bench)
 *	rawsys read N		N raw read of 1 byte from /dev/zero (bench)
 *	rawsys pingpong N	N one-byte round trips through pipes with a child
 *				(the floor of any supervisor's round trip)
 *				the bench loops print wall_ns= cpu_ns= of the loop
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
ename(int e)
{
	static char	buf[16];

	switch (e) {
	case 0:		return ("0");
	case EPERM:	return ("EPERM");
	case ENOENT:	return ("ENOENT");
	case EIO:	return ("EIO");
	case EBADF:	return ("EBADF");
	case EACCES:	return ("EACCES");
	case EINVAL:	return ("EINVAL");
	case ENOSYS:	return ("ENOSYS");
	case ENOTTY:	return ("ENOTTY");
	default:
		snprintf(buf, sizeof buf, "%d", e);
		return (buf);
	}
}

static long long
ns_of(clockid_t clock)
{
	struct timespec	ts;

	clock_gettime(clock, &ts);
	return ((long long)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static long long
ms_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
count(unsigned long n)
{
	unsigned long	i, failed = 0;
	long		r = 0;
	int		last = 0;

	for (i = 0; i < n; i++) {
		errno = 0;
		r = syscall(SYS_getppid);
		if (r < 0) {
			failed++;
			last = errno;
		}
	}
	printf("calls=%lu failed=%lu errno=%s ret=%ld\n", n, failed,
	    ename(last), r);
	fflush(stdout);
}

static long long	t0;
static volatile int	a_started;
static long long	a_ms, b_ms;

static void *
thread_a(void *arg)
{
	(void)arg;
	a_started = 1;
	syscall(SYS_getppid);
	a_ms = ms_now() - t0;
	return (NULL);
}

static void *
thread_b(void *arg)
{
	struct timespec	ts = { 0, 100 * 1000 * 1000 };
	int		i;

	(void)arg;
	while (!a_started)
		;
	nanosleep(&ts, NULL);
	for (i = 0; i < 200; i++)
		syscall(SYS_getppid);
	b_ms = ms_now() - t0;
	return (NULL);
}

static void
no_compat(int sig)
{
	static const char msg[] = "compat=none\n";

	(void)sig;
	(void)write(STDOUT_FILENO, msg, sizeof msg - 1);
	_exit(0);
}

int
main(int argc, char **argv)
{
	pthread_t	a, b;
	unsigned long	i, n;
	long		r;
	pid_t		pid;
	int		status;

	if (argc < 2) {
		fprintf(stderr, "usage: rawsys count|open|write|threads|fork|"
		    "exec|loop|other ...\n");
		return (2);
	}
	n = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	if (strcmp(argv[1], "count") == 0) {
		count(n);
	} else if (strcmp(argv[1], "int80") == 0) {
#if defined(__x86_64__)
		long	ret = 64;	/* i386 __NR_getppid */

		/* a kernel without IA32 emulation answers int 0x80 with a
		 * SIGSEGV rather than ENOSYS */
		signal(SIGSEGV, no_compat);
		__asm__ volatile ("int $0x80" : "+a"(ret) : : "memory");
		if (ret == -ENOSYS)
			printf("compat=none\n");
		else
			printf("compat=%s\n", ret < 0 ? ename((int)-ret) : "ok");
#else
		printf("compat=none\n");
#endif
	} else if (strcmp(argv[1], "loop") == 0 ||
	    strcmp(argv[1], "other") == 0 || strcmp(argv[1], "read") == 0) {
		long long	w0, c0;
		char		c;
		int		fd = open("/dev/zero", O_RDONLY);
		long		nr = argv[1][0] == 'l' ? SYS_getppid : SYS_getpid;

		w0 = ns_of(CLOCK_MONOTONIC);
		c0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
		if (argv[1][0] == 'r') {
			for (i = 0; i < n; i++)
				syscall(SYS_read, fd, &c, 1);
		} else {
			for (i = 0; i < n; i++)
				syscall(nr);
		}
		printf("wall_ns=%lld cpu_ns=%lld\n",
		    ns_of(CLOCK_MONOTONIC) - w0,
		    ns_of(CLOCK_PROCESS_CPUTIME_ID) - c0);
	} else if (strcmp(argv[1], "pingpong") == 0) {
		int		to[2], from[2];
		char		c = 'x';
		long long	w0;

		if (pipe(to) != 0 || pipe(from) != 0)
			return (1);
		if ((pid = fork()) == 0) {
			for (i = 0; i < n; i++) {
				if (read(to[0], &c, 1) != 1 ||
				    write(from[1], &c, 1) != 1)
					_exit(1);
			}
			_exit(0);
		}
		w0 = ns_of(CLOCK_MONOTONIC);
		for (i = 0; i < n; i++) {
			if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
				return (1);
		}
		printf("wall_ns=%lld cpu_ns=0\n", ns_of(CLOCK_MONOTONIC) - w0);
		waitpid(pid, &status, 0);
	} else if (strcmp(argv[1], "open") == 0 && argc > 2) {
		r = syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY);
		printf("%s\n", r >= 0 ? "ok" : ename(errno));
	} else if (strcmp(argv[1], "write") == 0 && argc > 2) {
		r = syscall(SYS_write, (int)n, "x\n", 2);
		printf("write %d: %s\n", (int)n,
		    r >= 0 ? "ok" : ename(errno));
	} else if (strcmp(argv[1], "threads") == 0) {
		t0 = ms_now();
		pthread_create(&a, NULL, thread_a, NULL);
		pthread_create(&b, NULL, thread_b, NULL);
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		printf("a_ms=%lld b_ms=%lld\n", a_ms, b_ms);
	} else if (strcmp(argv[1], "fork") == 0) {
		fflush(stdout);
		if ((pid = fork()) == 0) {
			printf("child ");
			count(n);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		count(n);
	} else if (strcmp(argv[1], "exec") == 0 && argc > 2) {
		argv[1] = argv[0];
		execv("/proc/self/exe", argv + 1);
		perror("execv");
		return (1);
	} else {
		fprintf(stderr, "rawsys: unknown mode '%s'\n", argv[1]);
		return (2);
	}
	return (0);
}
