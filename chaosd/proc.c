/*
 * proc.c: processes as /proc shows them. A pid alone can be reused: what
 * chaosd journals about a process is its pid and its start time (field
 * 22 of /proc/PID/stat, clock ticks since boot), and a process is the
 * same one only if both match.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaosd.h"

/*
 * The fields of /proc/PID/stat chaosd uses. 0, or -1 when there is no
 * such process (or its stat cannot be read).
 */
int
proc_stat(pid_t pid, struct proc_stat *ps)
{
	char		 path[64], buf[1024], *p, *open_paren;
	unsigned long long v[21];
	ssize_t		 n;
	int		 fd, field;

	memset(ps, 0, sizeof *ps);
	if (pid <= 0)
		return (-1);
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	buf[n] = '\0';
	/* the command is in parentheses, and may hold any of them */
	if ((open_paren = strchr(buf, '(')) == NULL ||
	    (p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return (-1);
	snprintf(ps->comm, sizeof ps->comm, "%.*s", (int)(p - open_paren - 1),
	    open_paren + 1);
	ps->state = p[2];
	/* fields 4 to 24, after the state; some may be negative */
	p += 3;
	for (field = 0; field < 21; field++) {
		char *end;

		v[field] = (unsigned long long)strtoll(p, &end, 10);
		if (end == p)
			return (-1);
		p = end;
	}
	ps->ppid = (pid_t)v[0];		/* field 4 */
	ps->pgrp = (pid_t)v[1];
	ps->flags = (unsigned)v[5];	/* 9 */
	ps->utime = v[10];		/* 14 */
	ps->stime = v[11];
	ps->start = v[18] != 0 ? v[18] : 1;	/* 22 */
	ps->rss = v[20];		/* 24 */
	return (0);
}

uint64_t
proc_start_time(pid_t pid)
{
	struct proc_stat ps;

	if (proc_stat(pid, &ps) != 0)
		return (0);
	return (ps.start);
}

/* Is pid alive, and (start_time non-zero) the same process as then? */
int
proc_alive(pid_t pid, uint64_t start_time)
{
	uint64_t	now;

	if (pid <= 0)
		return (0);
	if (kill(pid, 0) != 0 && errno != EPERM)
		return (0);
	if (start_time == 0)
		return (1);
	now = proc_start_time(pid);
	return (now == 0 || now == start_time);
}

/* The base name of pid's executable (its comm when that cannot be read). */
int
proc_exe_name(pid_t pid, char *buf, size_t len)
{
	char	path[64], target[PATH_MAX], *base;
	ssize_t	n;
	int	fd;

	snprintf(path, sizeof path, "/proc/%ld/exe", (long)pid);
	if ((n = readlink(path, target, sizeof target - 1)) > 0) {
		target[n] = '\0';
		base = strrchr(target, '/');
		snprintf(buf, len, "%s", base != NULL ? base + 1 : target);
		return (0);
	}
	snprintf(path, sizeof path, "/proc/%ld/comm", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	n = read(fd, target, sizeof target - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	target[n] = '\0';
	target[strcspn(target, "\n")] = '\0';
	snprintf(buf, len, "%s", target);
	return (0);
}

/* Does this process hold capability cap (CAP_NET_ADMIN...) effectively? */
int
proc_has_cap(int cap)
{
	char		 line[256];
	unsigned long long caps;
	FILE		*f;
	int		 yes = 0;

	if ((f = fopen("/proc/self/status", "re")) == NULL)
		return (geteuid() == 0);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			yes = cap < 64 && ((caps >> cap) & 1);
			break;
		}
	}
	fclose(f);
	return (yes);
}

/* A "Key: N kB" line of /proc/meminfo or /proc/PID/status, in bytes. */
int
proc_kb(const char *path, const char *key, uint64_t *v)
{
	char		 line[256];
	size_t		 n = strlen(key);
	unsigned long long kb;
	FILE		*f;
	int		 r = -1;

	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	while (r != 0 && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, n) == 0 && line[n] == ':' &&
		    sscanf(line + n + 1, "%llu", &kb) == 1) {
			*v = kb * 1024;
			r = 0;
		}
	fclose(f);
	return (r);
}

/* Its CPU time, user and system, in ns (clock-tick steps). */
uint64_t
proc_cpu_ns(pid_t pid)
{
	struct proc_stat ps;
	long	hz = sysconf(_SC_CLK_TCK);

	if (proc_stat(pid, &ps) != 0 || hz <= 0)
		return (0);
	return ((ps.utime + ps.stime) * (1000000000ull / (uint64_t)hz));
}

/* The bytes it read and wrote through system calls (rchar, wchar). */
uint64_t
proc_io_bytes(pid_t pid)
{
	char		 path[64], line[128];
	unsigned long long v, sum = 0;
	FILE		*f;

	snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (0);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "rchar: %llu", &v) == 1 ||
		    sscanf(line, "wchar: %llu", &v) == 1)
			sum += v;
	fclose(f);
	return (sum);
}
