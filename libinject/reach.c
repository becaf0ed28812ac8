/*
 * reach.c: the reach file beside every fault table, PATH.reach: proof
 * of which processes a table reached, and counters for those that may
 * only read the table.
 *
 * A table is written by root or its owner only: a process that any other
 * user runs maps it read-only (through descriptors chaosd hands down,
 * or after it dropped its privileges), so that no one who could not arm
 * faults can change what another user's process obeys. Such a process
 * still has to count what it matched and injected, and say that it is
 * there: it writes the reach file, which holds nothing any process acts
 * on. Writing it can falsify a report, never a fault.
 *
 * Every process that attaches to the table claims one slot (a CAS of its
 * pid on a free slot), and writes who it is: pid, uid, executable, its
 * start time (so that chaosd tells it from a later process with the same
 * pid) and how it attached. Forked children share their parent's slot;
 * only chaosd frees the slots of processes that are gone (table_reap),
 * and a process that finds no free slot is counted, not refused.
 *
 * The reach file is made with its table, by whoever makes the table,
 * with the same owner, mode 0600, and the same rule as tables: made
 * whole and linked into place; an existing file is used only if it is
 * a regular file carrying the magic and this version, owned by the
 * table's owner, and not group- or world-writable.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaos.h"

const char *
reach_mode_name(uint32_t mode)
{
	switch (mode) {
	case REACH_RW:
		return "rw";
	case REACH_RO:
		return "ro";
	case REACH_FD:
		return "fd";
	case REACH_DROPPED:
		return "dropped";
	}
	return "?";
}

/* Is fd a reach file of this version, for the table described by tst? */
int
reach_check(int fd, const struct stat *tst, char *err, size_t errlen)
{
	struct reach_header h;
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "reach file: not a regular file: "
		    "refused");
		return -1;
	}
	if (st.st_uid != tst->st_uid) {
		snprintf(err, errlen, "reach file: owned by uid %u, the "
		    "table by uid %u: refused", (unsigned)st.st_uid,
		    (unsigned)tst->st_uid);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "reach file: group- or world-writable "
		    "(mode %04o): refused", (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if ((size_t)st.st_size != sizeof(struct fault_reach) ||
	    pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
	    h.magic != REACH_MAGIC || h.version != TABLE_VERSION ||
	    h.size != sizeof(struct fault_reach)) {
		snprintf(err, errlen, "reach file: not a reach file of "
		    "version %u: refused", (unsigned)TABLE_VERSION);
		return -1;
	}
	return 0;
}

/*
 * Open (with TABLE_CREATE, make) the reach file of the table at path,
 * already open in tb. Read-write when we can; read-only with
 * TABLE_RDONLY when that is all we may; no reach file at all (tb->reach
 * NULL) when it is missing and not to be made, or cannot be opened by a
 * process that only reads the table.
 */
int
reach_open(struct table *tb, const char *path, int flags,
    const struct stat *tst, char *err, size_t errlen)
{
	char rpath[PATH_MAX];
	struct reach_header h;
	int fd = -1, tries, rdonly = 0;
	void *p;

	if (snprintf(rpath, sizeof rpath, "%s%s", path, REACH_SUFFIX) >=
	    (int)sizeof rpath) {
		snprintf(err, errlen, "%s", strerror(ENAMETOOLONG));
		return -1;
	}
	for (tries = 0; tries < 3; tries++) {
		fd = open(rpath, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == EACCES && flags & TABLE_RDONLY) {
			fd = open(rpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			rdonly = 1;
		}
		if (fd >= 0 || errno != ENOENT || !(flags & TABLE_CREATE))
			break;
		memset(&h, 0, sizeof h);
		h.magic = REACH_MAGIC;
		h.version = TABLE_VERSION;
		h.size = sizeof(struct fault_reach);
		fd = file_create(rpath, &h, sizeof h,
		    sizeof(struct fault_reach), tst, err, errlen);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		char msg[RULE_ERR_MAX];
		int e = errno;

		if (e == ENOENT || (e == EACCES && tb->rdonly))
			return 0;	/* a table without counters of its own */
		if (e == ELOOP)
			snprintf(msg, sizeof msg, "is a symbolic link: refused");
		else if (err[0] != '\0')
			snprintf(msg, sizeof msg, "%s", err);
		else
			snprintf(msg, sizeof msg, "%s", strerror(e));
		snprintf(err, errlen, "%s: %s", rpath, msg);
		return -1;
	}
	if (reach_check(fd, tst, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, sizeof(struct fault_reach), rdonly ? PROT_READ :
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", rpath, strerror(errno));
		close(fd);
		return -1;
	}
	tb->reach = p;
	tb->reach_fd = fd;
	tb->reach_rdonly = rdonly;
	return 0;
}

/* Zero the counters (table_arm, under the table's lock). */
void
reach_zero(struct fault_reach *r)
{
	int i;

	for (i = 0; i < RULE_MAX; i++) {
		atomic_store(&r->counter[i].matched, 0);
		atomic_store(&r->counter[i].injected, 0);
	}
}

/*
 * A process's start time, in clock ticks since boot: field 22 of
 * /proc/PID/stat, after the command in parentheses (which may hold
 * anything, spaces and parentheses included: the last ')' ends it).
 */
int
proc_start_ticks(int pid, uint64_t *ticks)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* ") S ppid ...": field 3 is the state */
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	*ticks = strtoull(p + 1, NULL, 10);
	return 0;
}

static void
slot_fill(struct reach_slot *s, int32_t pid, uint64_t start, int mode,
    const char *exe)
{
	s->uid = (uint32_t)geteuid();
	s->start = start;
	s->attached = realtime_ns();
	s->mode = (uint32_t)mode;
	memset(s->exe, 0, sizeof s->exe);
	strlcpy_chaos(s->exe, exe != NULL ? exe : "", sizeof s->exe);
	atomic_store_explicit(&s->pid, pid, memory_order_release);
}

/*
 * Claim a slot for this process, and fill it: its index, or -1 when every
 * slot is taken (counted in unrecorded). The slot of this very process
 * (same pid, same start: what it was before an exec, or before it dropped
 * its privileges) is written again rather than a second one claimed.
 */
int
reach_attach(struct fault_reach *r, int mode, const char *exe)
{
	struct reach_slot *s;
	uint64_t start = 0;
	int32_t pid = (int32_t)getpid(), want;
	int i;

	(void)proc_start_ticks(pid, &start);
	for (i = 0; i < REACH_SLOTS; i++) {
		s = &r->slot[i];
		want = pid;
		if (atomic_load_explicit(&s->pid, memory_order_acquire) ==
		    pid && s->start == start &&
		    atomic_compare_exchange_strong(&s->pid, &want, -1)) {
			slot_fill(s, pid, start, mode, exe);
			return i;
		}
	}
	for (i = 0; i < REACH_SLOTS; i++) {
		s = &r->slot[i];
		want = 0;
		if (atomic_load_explicit(&s->pid, memory_order_relaxed) != 0 ||
		    !atomic_compare_exchange_strong(&s->pid, &want, -1))
			continue;
		slot_fill(s, pid, start, mode, exe);
		return i;
	}
	atomic_fetch_add(&r->h.unrecorded, 1);
	return -1;
}

/* Is the process of this slot still the one that wrote it? */
static int
slot_alive(const struct reach_slot *s, int pid)
{
	uint64_t start;

	if (kill(pid, 0) != 0 && errno != EPERM)
		return 0;
	if (proc_start_ticks(pid, &start) != 0)
		return 0;
	return start == s->start;
}

/*
 * The attach records, at most max of them, into out: how many. With
 * unrecorded, also how many attaches found no free slot.
 */
int
table_attached(const struct table *tb, struct table_attach *out, int max,
    uint64_t *unrecorded)
{
	const struct fault_reach *r = tb->reach;
	int i, n = 0;

	if (unrecorded != NULL)
		*unrecorded = r != NULL ? atomic_load(&r->h.unrecorded) : 0;
	if (r == NULL)
		return 0;
	for (i = 0; i < REACH_SLOTS && n < max; i++) {
		const struct reach_slot *s = &r->slot[i];
		int32_t pid = atomic_load_explicit(&s->pid,
		    memory_order_acquire);
		struct table_attach *a = &out[n];

		if (pid <= 0)
			continue;
		a->pid = pid;
		a->uid = s->uid;
		a->start = s->start;
		a->attached = s->attached;
		a->mode = reach_mode_name(s->mode);
		memcpy(a->exe, s->exe, sizeof a->exe);
		a->exe[sizeof a->exe - 1] = '\0';
		/* a slot rewritten meanwhile is not reported half old */
		if (atomic_load_explicit(&s->pid, memory_order_acquire) != pid)
			continue;
		a->alive = slot_alive(s, pid);
		n++;
	}
	return n;
}

/* Free the slots of processes that are gone (chaosd only): how many. */
int
table_reap(struct table *tb)
{
	struct fault_reach *r = tb->reach;
	int i, n = 0;

	if (r == NULL || tb->reach_rdonly)
		return 0;
	for (i = 0; i < REACH_SLOTS; i++) {
		struct reach_slot *s = &r->slot[i];
		int32_t pid = atomic_load(&s->pid);

		if (pid <= 0 || slot_alive(s, pid))
			continue;
		if (!atomic_compare_exchange_strong(&s->pid, &pid, -1))
			continue;
		s->uid = 0;
		s->start = s->attached = 0;
		s->mode = 0;
		memset(s->exe, 0, sizeof s->exe);
		atomic_store_explicit(&s->pid, 0, memory_order_release);
		n++;
	}
	return n;
}

/* Remove the reach file of the table at path (chaosd, with the table). */
int
table_unlink_reach(const char *path)
{
	char rpath[PATH_MAX];

	if (snprintf(rpath, sizeof rpath, "%s%s", path, REACH_SUFFIX) >=
	    (int)sizeof rpath) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (unlink(rpath) != 0 && errno != ENOENT)
		return -1;
	return 0;
}
