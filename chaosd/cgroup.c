/*
 * cgroup.c: cgroup file systems, as the process and resource faults use
 * them.
 *
 * A machine mounts cgroup v2 (one hierarchy, /sys/fs/cgroup), cgroup v1
 * (one hierarchy per controller, /sys/fs/cgroup/memory...), or both
 * (systemd's hybrid layout: v2 at /sys/fs/cgroup/unified). Where each
 * is mounted comes from /proc/self/mountinfo, which cgroup a process is
 * in from /proc/PID/cgroup. A cgroup is named by its directory, or by
 * its path as /proc/PID/cgroup shows it (looked up under the v2 mount,
 * then the v1 freezer and name=systemd ones). Freezing is v2's
 * cgroup.freeze (confirmed by cgroup.events) or v1's freezer.state
 * (confirmed when it reads FROZEN). Nothing here journals: the callers
 * do, before they change anything.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "chaosd.h"
#include "res.h"

#define CGROUP2_MAGIC	0x63677270
#define CGROUP1_MAGIC	0x0027e0eb
#define FREEZE_WAIT_NS	(3ull * 1000000000)

/* One cgroup mount: v2, or v1 with its controllers (super options). */
struct cgmount {
	int	 v;
	char	 dir[PATH_MAX];
	char	 root[PATH_MAX];	/* the cgroup path mounted there */
	char	 opts[256];
};

/* Is word one of the comma-separated words of list? */
static int
has_word(const char *list, const char *word, const char *sep)
{
	size_t	n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || strchr(sep, p[-1]) != NULL) &&
		    (p[n] == '\0' || strchr(sep, p[n]) != NULL))
			return (1);
		p += n;
	}
	return (0);
}

/*
 * Each cgroup mount, in the order of /proc/self/mountinfo, until cb
 * returns non-zero (which is returned).
 */
static int
mount_each(int (*cb)(const struct cgmount *, void *), void *arg)
{
	struct cgmount	 m;
	char		 line[PATH_MAX * 2 + 512], *f[5], *dash, *save, *p;
	FILE		*fp;
	int		 i, r = 0;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return (0);
	while (r == 0 && fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((dash = strstr(line, " - ")) == NULL)
			continue;
		*dash = '\0';
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - FSTYPE SOURCE OPTS */
		for (i = 0, p = line; i < 5 &&
		    (f[i] = strtok_r(p, " ", &save)) != NULL; i++)
			p = NULL;
		if (i < 5)
			continue;
		p = dash + 3;
		memset(&m, 0, sizeof m);
		if (strncmp(p, "cgroup2 ", 8) == 0)
			m.v = CG_V2;
		else if (strncmp(p, "cgroup ", 7) == 0 &&
		    strrchr(p, ' ') != NULL) {
			m.v = CG_V1;
			snprintf(m.opts, sizeof m.opts, "%s", strrchr(p, ' ') +
			    1);
		} else
			continue;
		snprintf(m.root, sizeof m.root, "%s", f[3]);
		snprintf(m.dir, sizeof m.dir, "%s", f[4]);
		r = cb(&m, arg);
	}
	fclose(fp);
	return (r);
}

struct mount_query {
	int		 v;
	const char	*controller;	/* v1: "memory", "name=systemd" */
	const char	*dir;		/* or: the mount holding this */
	struct cgmount	*out;
	size_t		 best;
};

static int
mount_match(const struct cgmount *m, void *arg)
{
	struct mount_query *q = arg;
	size_t	n = strlen(m->dir);

	if (q->dir != NULL) {
		if (strncmp(q->dir, m->dir, n) == 0 && (q->dir[n] == '/' ||
		    q->dir[n] == '\0') && n >= q->best) {
			q->best = n;
			*q->out = *m;
		}
		return (0);
	}
	if (m->v != q->v || (q->v == CG_V1 &&
	    !has_word(m->opts, q->controller, ",")))
		return (0);
	*q->out = *m;
	return (1);
}

/*
 * The mount of v (CG_V2), or of the v1 hierarchy holding controller.
 * 0 found, -1 not.
 */
static int
mount_find(int v, const char *controller, struct cgmount *m)
{
	struct mount_query q = { v, controller, NULL, m, 0 };

	return (mount_each(mount_match, &q) ? 0 : -1);
}

/* The cgroup mount dir is under, and dir's cgroup path in it. */
static int
mount_of_dir(const char *dir, struct cgmount *m, char *rel, size_t len)
{
	struct mount_query q = { 0, NULL, dir, m, 0 };
	const char *tail;

	memset(m, 0, sizeof *m);
	mount_each(mount_match, &q);
	if (m->v == 0)
		return (-1);
	tail = dir + strlen(m->dir);
	snprintf(rel, len, "%.2000s%.2000s", strcmp(m->root, "/") == 0 ? "" :
	    m->root, *tail != '\0' ? tail : (strcmp(m->root, "/") == 0 ?
	    "/" : ""));
	return (0);
}

int
cgroup_v2_root(char *buf, size_t len)
{
	struct cgmount	m;

	if (mount_find(CG_V2, NULL, &m) != 0)
		return (-1);
	snprintf(buf, len, "%s", m.dir);
	return (0);
}

int
cgroup_v1_root(const char *controller, char *buf, size_t len)
{
	struct cgmount	m;

	if (mount_find(CG_V1, controller, &m) != 0)
		return (-1);
	snprintf(buf, len, "%s", m.dir);
	return (0);
}

int
cgroup_version(const char *dir)
{
	struct statfs	sf;

	if (statfs(dir, &sf) != 0)
		return (0);
	if ((unsigned long)sf.f_type == CGROUP2_MAGIC)
		return (CG_V2);
	if ((unsigned long)sf.f_type == CGROUP1_MAGIC)
		return (CG_V1);
	return (0);
}

/* MOUNT + PATH, PATH relative to what is mounted there. */
static int
mount_path(const struct cgmount *m, const char *path, char *buf, size_t len)
{
	size_t	n = strlen(m->root), a, b;

	if (strcmp(m->root, "/") != 0) {
		if (strncmp(path, m->root, n) != 0 ||
		    (path[n] != '\0' && path[n] != '/'))
			return (-1);	/* outside what is mounted */
		path += n;
	}
	a = strlen(m->dir);
	b = strcmp(path, "/") == 0 ? 0 : strlen(path);
	if (a + b >= len)
		return (-1);
	memcpy(buf, m->dir, a);
	memcpy(buf + a, path, b);
	buf[a + b] = '\0';
	return (0);
}

/*
 * The directory of pid's cgroup: on v2 (controller NULL), or in the v1
 * hierarchy of controller. -1 when there is none.
 */
int
cgroup_of_pid(pid_t pid, const char *controller, char *buf, size_t len)
{
	struct cgmount	 m;
	char		 path[64], line[PATH_MAX + 128], *c, *cp;
	FILE		*fp;
	int		 r = -1;

	if (mount_find(controller == NULL ? CG_V2 : CG_V1, controller,
	    &m) != 0)
		return (-1);
	snprintf(path, sizeof path, "/proc/%ld/cgroup", (long)pid);
	if ((fp = fopen(path, "re")) == NULL)
		return (-1);
	while (r != 0 && fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		/* ID:CONTROLLERS:PATH */
		if ((c = strchr(line, ':')) == NULL ||
		    (cp = strchr(c + 1, ':')) == NULL)
			continue;
		*cp++ = '\0';
		c++;
		if (controller == NULL ? *c != '\0' : !has_word(c, controller,
		    ","))
			continue;
		r = mount_path(&m, cp, buf, len);
	}
	fclose(fp);
	return (r);
}

static int
is_dir(const char *p)
{
	struct stat	st;

	return (stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

/*
 * cgroup = SPEC: a cgroup's directory, or its path as /proc/PID/cgroup
 * shows it (under the v2 mount, else the v1 freezer or name=systemd
 * one). The directory, resolved, in buf.
 */
int
cgroup_resolve(const char *spec, char *buf, size_t len, char *err,
    size_t errlen)
{
	static const char *const v1[] = { "freezer", "name=systemd" };
	struct cgmount	m;
	char		try[PATH_MAX], real[PATH_MAX];
	size_t		i;

	if (spec[0] != '/') {
		snprintf(err, errlen, "cgroup '%s': an absolute path (a "
		    "directory under /sys/fs/cgroup, or a path as "
		    "/proc/PID/cgroup shows it)", spec);
		return (-1);
	}
	if (is_dir(spec) && cgroup_version(spec) != 0) {
		if (realpath(spec, real) == NULL) {
			snprintf(err, errlen, "cgroup %s: %s", spec,
			    strerror(errno));
			return (-1);
		}
		snprintf(buf, len, "%s", real);
		return (0);
	}
	if (mount_find(CG_V2, NULL, &m) == 0 &&
	    mount_path(&m, spec, try, sizeof try) == 0 && is_dir(try)) {
		snprintf(buf, len, "%s", try);
		return (0);
	}
	for (i = 0; i < sizeof v1 / sizeof v1[0]; i++) {
		if (mount_find(CG_V1, v1[i], &m) == 0 &&
		    mount_path(&m, spec, try, sizeof try) == 0 && is_dir(try)) {
			snprintf(buf, len, "%s", try);
			return (0);
		}
	}
	snprintf(err, errlen, "cgroup %s: no such cgroup (neither a cgroup "
	    "directory nor a cgroup path under the mounted hierarchies)",
	    spec);
	return (-1);
}

/* A system unit's cgroup: v2's system.slice/UNIT, or v1 name=systemd's. */
int
cgroup_unit_dir(const char *unit, char *buf, size_t len, char *err,
    size_t errlen)
{
	struct cgmount	m;
	char		rel[NAME_MAX + 32], try[PATH_MAX], where[PATH_MAX] = "";

	snprintf(rel, sizeof rel, "/system.slice/%s", unit);
	if (mount_find(CG_V2, NULL, &m) == 0 &&
	    mount_path(&m, rel, try, sizeof try) == 0) {
		if (is_dir(try)) {
			snprintf(buf, len, "%s", try);
			return (0);
		}
		snprintf(where, sizeof where, "%s", try);
	}
	if (mount_find(CG_V1, "name=systemd", &m) == 0 &&
	    mount_path(&m, rel, try, sizeof try) == 0) {
		if (is_dir(try)) {
			snprintf(buf, len, "%s", try);
			return (0);
		}
		if (where[0] == '\0')
			snprintf(where, sizeof where, "%s", try);
	}
	if (where[0] == '\0')
		snprintf(err, errlen, "unit %s: no cgroup file system for "
		    "systemd units is mounted", unit);
	else
		snprintf(err, errlen, "unit %s: no cgroup at %s (is it "
		    "running? only system units are found)", unit, where);
	return (-1);
}

int
cgroup_read(const char *dir, const char *file, char *buf, size_t len)
{
	char	path[PATH_MAX];
	ssize_t	n;
	int	fd;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return (-1);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (0);
}

int
cgroup_write(const char *dir, const char *file, const char *value,
    char *err, size_t errlen)
{
	char	path[PATH_MAX];
	size_t	n = strlen(value);
	int	fd, e;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (write(fd, value, n) != (ssize_t)n) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "writing '%s' to %s: %s", value, path,
		    strerror(e));
		return (-1);
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "writing '%s' to %s: %s", value, path,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* The processes of a cgroup (cgroup.procs). 0, or -1 unreadable. */
int
cgroup_pids(const char *dir, pid_t **pids, int *n)
{
	char	 path[PATH_MAX], line[64];
	FILE	*fp;
	int	 cap = 0;

	*pids = NULL;
	*n = 0;
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	if ((fp = fopen(path, "re")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, fp) != NULL) {
		long p = strtol(line, NULL, 10);

		if (p <= 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*pids = xreallocarray(*pids, (size_t)cap,
			    sizeof **pids);
		}
		(*pids)[(*n)++] = (pid_t)p;
	}
	fclose(fp);
	return (0);
}

/* Its inode: a cgroup removed and made again is another one. */
uint64_t
cgroup_ino(const char *dir)
{
	struct stat	st;

	if (stat(dir, &st) != 0)
		return (0);
	return ((uint64_t)st.st_ino);
}

/*
 * The directory whose freezer freezes dir's processes: dir itself on
 * v2 and in a v1 freezer hierarchy; a v1 cgroup of another hierarchy
 * (name=systemd) maps to the same path in the freezer's, if it is
 * there. The version, or -1 when nothing can freeze it.
 */
int
cgroup_freezer(const char *dir, char *buf, size_t len)
{
	struct cgmount	m;
	char		file[PATH_MAX], rel[PATH_MAX];
	int		v = cgroup_version(dir);

	snprintf(file, sizeof file, "%s/%s", dir, v == CG_V2 ?
	    "cgroup.freeze" : "freezer.state");
	if (v != 0 && access(file, F_OK) == 0) {
		snprintf(buf, len, "%s", dir);
		return (v);
	}
	if (v != CG_V1 || mount_of_dir(dir, &m, rel, sizeof rel) != 0 ||
	    mount_find(CG_V1, "freezer", &m) != 0)
		return (-1);
	if (mount_path(&m, rel[0] != '\0' ? rel : "/", buf, len) != 0 ||
	    strcmp(buf, m.dir) == 0 || !is_dir(buf))
		return (-1);
	return (CG_V1);
}

/* Frozen now? 1, 0, or -1 when it cannot be read. */
int
cgroup_frozen(const char *dir)
{
	char	buf[512], *p;

	if (cgroup_version(dir) == CG_V2) {
		if (cgroup_read(dir, "cgroup.events", buf, sizeof buf) != 0 ||
		    (p = strstr(buf, "frozen ")) == NULL)
			return (-1);
		return (p[7] == '1');
	}
	if (cgroup_read(dir, "freezer.state", buf, sizeof buf) != 0)
		return (-1);
	return (strcmp(buf, "FROZEN") == 0);
}

/*
 * Freeze (on) or thaw a freezer directory (cgroup_freezer()), and wait
 * until the kernel says it is done: a process in uninterruptible sleep
 * freezes only when it wakes.
 */
int
cgroup_freeze(const char *dir, int on, char *err, size_t errlen)
{
	uint64_t	until = mono_ns() + FREEZE_WAIT_NS;
	int		v2 = cgroup_version(dir) == CG_V2, f;

	if (cgroup_write(dir, v2 ? "cgroup.freeze" : "freezer.state", v2 ?
	    (on ? "1" : "0") : (on ? "FROZEN" : "THAWED"), err, errlen) != 0)
		return (-1);
	while ((f = cgroup_frozen(dir)) != on) {
		if (mono_ns() >= until) {
			snprintf(err, errlen, "%s: not %s after 3 s (%s)", dir,
			    on ? "frozen" : "thawed", f < 0 ? "its state "
			    "cannot be read" : "a process did not stop");
			return (-1);
		}
		sleep_ns(5 * 1000000ull);
	}
	return (0);
}

/*
 * The cgroup.procs files a process joins to be where pid is: one per
 * hierarchy pid is in (v2, and each mounted v1 one).
 */
int
cgroup_joins_like(pid_t pid, char ***paths, int *n)
{
	char	 path[64], line[PATH_MAX + 128], dir[PATH_MAX], *c, *cp, *w;
	char	*save;
	FILE	*fp;

	*paths = NULL;
	*n = 0;
	snprintf(path, sizeof path, "/proc/%ld/cgroup", (long)pid);
	if ((fp = fopen(path, "re")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, fp) != NULL) {
		struct cgmount m;
		int found;

		line[strcspn(line, "\n")] = '\0';
		if ((c = strchr(line, ':')) == NULL ||
		    (cp = strchr(c + 1, ':')) == NULL)
			continue;
		*cp++ = '\0';
		c++;
		if (*c == '\0')
			found = mount_find(CG_V2, NULL, &m);
		else {
			/* any one controller names the hierarchy */
			w = strtok_r(c, ",", &save);
			found = w != NULL ? mount_find(CG_V1, w, &m) : -1;
		}
		if (found != 0 || mount_path(&m, cp, dir, sizeof dir) != 0)
			continue;
		*paths = xreallocarray(*paths, (size_t)*n + 1, sizeof **paths);
		xasprintf(&(*paths)[(*n)++], "%s/cgroup.procs", dir);
	}
	fclose(fp);
	return (0);
}

void
cgroup_paths_free(char **paths, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Is controller enabled for dir (in its cgroup.controllers, v2)? */
int
cgroup_has_controller(const char *dir, const char *controller)
{
	char	buf[512];

	if (cgroup_read(dir, "cgroup.controllers", buf, sizeof buf) != 0)
		return (0);
	return (has_word(buf, controller, " "));
}

/* dir's memory limit (v2 memory.max, v1 memory.limit_in_bytes): -1 none. */
int
cgroup_memory_limit(const char *dir, uint64_t *limit)
{
	char			 buf[64];
	unsigned long long	 v;

	if ((cgroup_read(dir, "memory.max", buf, sizeof buf) == 0 ||
	    cgroup_read(dir, "memory.limit_in_bytes", buf, sizeof buf) == 0) &&
	    sscanf(buf, "%llu", &v) == 1 && v < (1ull << 62)) {
		*limit = v;
		return (0);
	}
	return (-1);
}

/* "KEY N" in a flat-keyed file (cpu.stat, memory.events). -1: none. */
int
cgroup_stat_field(const char *dir, const char *file, const char *key,
    uint64_t *v)
{
	char	buf[4096], *p = buf;
	size_t	n = strlen(key);

	if (cgroup_read(dir, file, buf, sizeof buf) != 0)
		return (-1);
	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			*v = strtoull(p + n + 1, NULL, 10);
			return (0);
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (-1);
}

/*
 * The disk holding path (the device itself when path is one), as io.max
 * wants it: a whole disk, not a partition.
 */
int
block_device(const char *path, unsigned *maj, unsigned *min, char *err,
    size_t errlen)
{
	struct stat	st;
	char		sys[128], buf[32];
	dev_t		d;
	int		fd;
	ssize_t		n;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "path %s: %s", path, strerror(errno));
		return (-1);
	}
	d = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	if (major(d) == 0) {
		snprintf(err, errlen, "path %s is on a file system with no "
		    "block device (tmpfs, overlay, NFS...): io.max needs a "
		    "disk", path);
		return (-1);
	}
	*maj = major(d);
	*min = minor(d);
	snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u/partition", *maj, *min);
	if (access(sys, F_OK) != 0)
		return (0);
	snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u/../dev", *maj, *min);
	if ((fd = open(sys, O_RDONLY | O_CLOEXEC)) < 0)
		return (0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		sscanf(buf, "%u:%u", maj, min);
	}
	return (0);
}
