/*
 * table.c: the shared fault table. chaosd writes rules into it, arms,
 * disarms and flips the kill switch; every process preloaded with
 * CHAOS_TABLE=PATH maps it and follows it.
 *
 * Writers take an exclusive flock(2) and bump the generation to odd
 * while they write, to even when done; readers copy and retry until they
 * read the same even generation before and after (a seqlock). Counters
 * are updated atomically in place by the processes that inject: in the
 * table by those that may write it, in its reach file (reach.c) by those
 * that may only read it; table_counts() sums both.
 *
 * Faults are a privilege: a table that is not a regular file, or that is
 * group- or world-writable, is refused, and it is opened with O_NOFOLLOW.
 * The shim (TABLE_STRICT) also refuses a table owned by a user other than
 * root or itself; chaosd run as root may open any user's.
 *
 * Only files made as tables are tables: a new one is written in full
 * under a temporary name and linked into place (file-create.c), and an
 * existing file is used only if it carries the magic, this version and
 * this size (read with pread, so nothing is changed in a file that is
 * refused).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chaos.h"

uint64_t
realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
table_check_file(int fd, int flags, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "group- or world-writable (mode %04o): "
		    "refused, faults are a privilege", st.st_mode & 07777);
		return -1;
	}
	/* a process under faults trusts only root and itself; root's chaosd
	 * may arm any user's table (a User= service's) */
	if (st.st_uid != 0 && st.st_uid != geteuid() &&
	    (flags & TABLE_STRICT || geteuid() != 0)) {
		snprintf(err, errlen, "owned by uid %u, neither root nor us: "
		    "refused", (unsigned)st.st_uid);
		return -1;
	}
	return 0;
}

/*
 * Is what fd holds a table of this version? Read with pread(2), never
 * through a mapping, so that a file cut short is an error here and not a
 * SIGBUS later.
 */
static int
check_header(int fd, char *err, size_t errlen)
{
	struct table_header h;
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if ((size_t)st.st_size < sizeof h ||
	    pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
	    h.magic != TABLE_MAGIC) {
		snprintf(err, errlen, "not a fault table: refused");
		return -1;
	}
	if (h.version != TABLE_VERSION) {
		snprintf(err, errlen, "a fault table of version %u, not %u: "
		    "refused (remove it: it is made again, disarmed)",
		    (unsigned)h.version, (unsigned)TABLE_VERSION);
		return -1;
	}
	if (h.size != sizeof(struct fault_table) ||
	    (size_t)st.st_size != sizeof(struct fault_table)) {
		snprintf(err, errlen, "a fault table of the wrong size (%lld "
		    "bytes, not %zu): refused", (long long)st.st_size,
		    sizeof(struct fault_table));
		return -1;
	}
	return 0;
}

/* err = "PATH: err", unless err already starts with the path */
static void
err_path(const char *path, char *err, size_t errlen)
{
	char msg[RULE_ERR_MAX];

	snprintf(msg, sizeof msg, "%s", err);
	if (strncmp(msg, path, strlen(path)) != 0)
		snprintf(err, errlen, "%s: %s", path, msg);
}

/* chaosd's guard against a table cut short under it (table-guard.c) */
void (*table_watch)(void *addr, size_t len, int mapped);

static void
watch(const struct table *tb, int mapped)
{
	if (table_watch == NULL)
		return;
	if (tb->map != NULL)
		table_watch(tb->map, sizeof(struct fault_table), mapped);
	if (tb->reach != NULL)
		table_watch(tb->reach, sizeof(struct fault_reach), mapped);
}

static int
map_table(struct table *tb, int fd, int rdonly, char *err, size_t errlen)
{
	void *p = mmap(NULL, sizeof(struct fault_table), rdonly ? PROT_READ :
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	tb->map = p;
	tb->rdonly = rdonly;
	return 0;
}

/*
 * Open the table at path, and its reach file (PATH.reach) beside it:
 * read-write, or with TABLE_RDONLY the table read-only. With
 * TABLE_CREATE, whichever is missing is made (whole, disarmed, 0600).
 * On error, errno is the open's (EACCES...) or 0 for a file refused.
 */
int
table_open(struct table *tb, const char *path, int flags, char *err,
    size_t errlen)
{
	struct table_header h;
	struct stat st;
	int create = flags & TABLE_CREATE, rdonly = flags & TABLE_RDONLY;
	int fd = -1, tries, e;

	memset(tb, 0, sizeof *tb);
	tb->fd = tb->reach_fd = -1;
	err[0] = '\0';
	for (tries = 0; tries < 3; tries++) {
		fd = open(path, (rdonly ? O_RDONLY : O_RDWR) | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT || !create)
			break;
		memset(&h, 0, sizeof h);
		h.magic = TABLE_MAGIC;
		h.version = TABLE_VERSION;
		h.size = sizeof(struct fault_table);
		fd = file_create(path, &h, sizeof h, sizeof(struct fault_table),
		    NULL, err, errlen);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", errno == ELOOP ?
			    "is a symbolic link: refused" : strerror(errno));
		goto fail;
	}
	if (table_check_file(fd, flags, err, errlen) != 0 ||
	    check_header(fd, err, errlen) != 0 || fstat(fd, &st) != 0 ||
	    map_table(tb, fd, rdonly, err, errlen) != 0)
		goto fail;
	tb->fd = fd;
	if (reach_open(tb, path, flags, &st, err, errlen) != 0) {
		table_close(tb);
		err_path(path, err, errlen);
		return -1;
	}
	watch(tb, 1);
	return 0;

fail:
	e = fd < 0 ? errno : 0;	/* the open's errno, for the caller */
	err_path(path, err, errlen);
	if (fd >= 0)
		close(fd);
	errno = e;
	return -1;
}

/*
 * The shim's view of a table it inherited as descriptors from chaosd:
 * tfd (the table, mapped read-only whatever its open mode) and rfd (its
 * reach file, read-write), checked as a path would be, and when path can
 * be looked at, the very file it names. The descriptors stay the
 * process's: table_close() leaves them open.
 */
int
table_open_fds(struct table *tb, int tfd, int rfd, const char *path,
    char *err, size_t errlen)
{
	struct stat st, pst;
	int fl;

	memset(tb, 0, sizeof *tb);
	tb->fd = tb->reach_fd = -1;
	if (table_check_file(tfd, TABLE_STRICT, err, errlen) != 0 ||
	    check_header(tfd, err, errlen) != 0 || fstat(tfd, &st) != 0)
		return -1;
	if (path != NULL && stat(path, &pst) == 0 &&
	    (pst.st_dev != st.st_dev || pst.st_ino != st.st_ino)) {
		snprintf(err, errlen, "descriptor %d is not the table %s names",
		    tfd, path);
		return -1;
	}
	if ((fl = fcntl(rfd, F_GETFL)) < 0 || (fl & O_ACCMODE) != O_RDWR) {
		snprintf(err, errlen, "descriptor %d: %s", rfd, fl < 0 ?
		    strerror(errno) : "not open for reading and writing");
		return -1;
	}
	if (reach_check(rfd, &st, err, errlen) != 0)
		return -1;
	if (map_table(tb, tfd, 1, err, errlen) != 0)
		return -1;
	tb->reach = mmap(NULL, sizeof(struct fault_reach), PROT_READ |
	    PROT_WRITE, MAP_SHARED, rfd, 0);
	if (tb->reach == MAP_FAILED) {
		snprintf(err, errlen, "%s", strerror(errno));
		tb->reach = NULL;
		table_close(tb);
		return -1;
	}
	return 0;
}

void
table_close(struct table *tb)
{
	watch(tb, 0);
	if (tb->map != NULL)
		munmap(tb->map, sizeof(struct fault_table));
	if (tb->reach != NULL)
		munmap(tb->reach, sizeof(struct fault_reach));
	if (tb->fd >= 0)
		close(tb->fd);
	if (tb->reach_fd >= 0)
		close(tb->reach_fd);
	tb->map = NULL;
	tb->reach = NULL;
	tb->fd = tb->reach_fd = -1;
}

/* A rule's counters, summed over the table and its reach file. */
void
table_counts(const struct table *tb, int i, uint64_t *matched,
    uint64_t *injected)
{
	*matched = atomic_load(&tb->map->counter[i].matched);
	*injected = atomic_load(&tb->map->counter[i].injected);
	if (tb->reach != NULL) {
		*matched += atomic_load(&tb->reach->counter[i].matched);
		*injected += atomic_load(&tb->reach->counter[i].injected);
	}
}

static void
write_begin(struct table *tb)
{
	flock(tb->fd, LOCK_EX);
	atomic_fetch_add(&tb->map->h.generation, 1);	/* odd */
}

static void
write_end(struct table *tb)
{
	atomic_fetch_add(&tb->map->h.generation, 1);	/* even */
	flock(tb->fd, LOCK_UN);
}

/*
 * Hooks the shim sees while anything is armed: those whose descriptors it
 * records, and the exec family (the summary before the image goes).
 */
int
hook_needs_tracking(int h)
{
	return (hook_table[h].flags & (F_RET_FD | F_RET_FP | F_CLOSE | F_DUP |
	    F_CONNECT | F_EXEC)) || h == HID_fcntl || h == HID_fcntl64;
}

/* Set the table's own bits of the armed page for these rules (or none). */
static void
set_armed(struct fault_table *t, const struct rule_set *set)
{
	int h, i, any = 0;

	for (h = 0; h < HOOK_COUNT; h++) {
		unsigned char v = 0;

		for (i = 0; set != NULL && i < set->n; i++)
			if (rule_hook_allowed(&set->rule[i], h)) {
				v = ARMED_RULES;
				any = 1;
				break;
			}
		atomic_fetch_and(&t->armed[h], (unsigned char)~ARMED_TABLE);
		if (v)
			atomic_fetch_or(&t->armed[h], v);
	}
	for (h = 0; any && h < HOOK_COUNT; h++)
		if (hook_needs_tracking(h))
			atomic_fetch_or(&t->armed[h], ARMED_TRACK);
}

/* Past the deadline: whoever notices turns the hooks dormant again. */
void
table_expire(struct fault_table *t)
{
	int h;

	for (h = 0; h < HOOK_COUNT; h++)
		if (atomic_load_explicit(&t->armed[h], memory_order_relaxed) &
		    ARMED_TABLE)
			atomic_fetch_and(&t->armed[h],
			    (unsigned char)~ARMED_TABLE);
}

int
table_arm(struct table *tb, const struct rule_set *set, uint64_t deadline,
    const char *owner, char *err, size_t errlen)
{
	struct fault_table *t = tb->map;
	int i;

	if (set->n > RULE_MAX) {
		snprintf(err, errlen, "more than %d rules", RULE_MAX);
		return -1;
	}
	if (tb->reach != NULL && !tb->reach_rdonly)
		table_reap(tb);		/* slots of processes gone */
	write_begin(tb);
	atomic_store(&t->h.armed, 0);
	for (i = 0; i < set->n; i++) {
		t->rule[i] = set->rule[i];
		atomic_store(&t->counter[i].matched, 0);
		atomic_store(&t->counter[i].injected, 0);
	}
	if (tb->reach != NULL && !tb->reach_rdonly)
		reach_zero(tb->reach);
	t->h.nrules = (uint32_t)set->n;
	strlcpy_chaos(t->h.owner, owner ? owner : "", sizeof t->h.owner);
	atomic_store(&t->h.deadline, deadline);
	atomic_store(&t->h.armed_at, realtime_ns());
	atomic_store(&t->h.killed, 0);
	atomic_store(&t->h.armed, 1);
	write_end(tb);
	/* last: the hooks wake only once the rules are there to be read */
	set_armed(t, set);
	return 0;
}

void
table_disarm(struct table *tb)
{
	set_armed(tb->map, NULL);
	write_begin(tb);
	atomic_store(&tb->map->h.armed, 0);
	write_end(tb);
}

void
table_kill(struct table *tb)
{
	/* first the flag the shim's hot path reads, then the generation */
	atomic_store(&tb->map->h.killed, 1);
	set_armed(tb->map, NULL);
	write_begin(tb);
	atomic_store(&tb->map->h.armed, 0);
	write_end(tb);
}

int
table_snapshot(const struct fault_table *t, struct rule_set *set,
    struct table_state *st)
{
	uint64_t g1, g2;
	int tries, i;

	for (tries = 0; tries < 1000; tries++) {
		uint32_t n;

		g1 = atomic_load_explicit(&t->h.generation,
		    memory_order_acquire);
		if (g1 & 1)
			continue;
		st->generation = g1;
		st->armed = (int)atomic_load(&t->h.armed);
		st->killed = (int)atomic_load(&t->h.killed);
		st->deadline = atomic_load(&t->h.deadline);
		st->armed_at = atomic_load(&t->h.armed_at);
		memcpy(st->owner, t->h.owner, sizeof st->owner);
		n = t->h.nrules;
		if (n > RULE_MAX)
			n = 0;
		set->n = (int)n;
		memcpy(set->rule, t->rule, n * sizeof(struct rule));
		atomic_thread_fence(memory_order_acquire);
		g2 = atomic_load_explicit(&t->h.generation,
		    memory_order_relaxed);
		if (g1 != g2)
			continue;
		st->owner[sizeof st->owner - 1] = '\0';
		/* the table is shared: never trust its strings unterminated */
		for (i = 0; i < set->n; i++) {
			struct rule *r = &set->rule[i];

			r->name[sizeof r->name - 1] = '\0';
			r->path[sizeof r->path - 1] = '\0';
			r->host[sizeof r->host - 1] = '\0';
			r->exe[sizeof r->exe - 1] = '\0';
		}
		return 0;
	}
	return -1;
}
