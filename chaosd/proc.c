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

uint64_t
proc_start_time(pid_t pid)
{
	char		 path[64], buf[1024], *p;
	unsigned long long start;
	ssize_t		 n;
	int		 fd, field;

	if (pid <= 0)
		return (0);
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (0);
	buf[n] = '\0';
	/* after the command's closing parenthesis: field 3 on */
	if ((p = strrchr(buf, ')')) == NULL)
		return (0);
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &start) != 1)
		return (0);
	return (start != 0 ? start : 1);
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
