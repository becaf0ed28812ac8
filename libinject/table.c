/*
 * table.c: the shared fault table. chaosd writes rules into it, arms,
 * disarms and flips the kill switch; every process preloaded with
 * CHAOS_TABLE=PATH maps it and follows it.
 *
 * Writers take an exclusive flock(2) and bump the generation to odd
 * while they write, to even when done; readers copy and retry until they
 * read the same even generation before and after (a seqlock). Counters
 * are updated atomically in place by the processes that inject.
 *
 * Faults are a privilege: a table that is not a regular file, or that is
 * group- or world-writable, is refused, and it is opened with O_NOFOLLOW.
 * The shim (TABLE_STRICT) also refuses a table owned by a user other than
 * root or itself; chaosd run as root may open any user's.
 *
 * Only files made as tables are tables: a new one is written in full
 * under a temporary name and linked into place, and an existing file is
 * used only if it carries the magic, this version and this size (read
 * with pread, so nothing is changed in a file that is refused).
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

/* The header of a new table, disarmed: all a table has to hold at first. */
static void
header_init(struct table_header *h)
{
	memset(h, 0, sizeof *h);
	h->magic = TABLE_MAGIC;
	h->version = TABLE_VERSION;
	h->size = sizeof(struct fault_table);
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

/*
 * Make a new table at path, atomically: the header is written into a
 * temporary file of the same directory, which is then linked into place,
 * so that no one ever sees a table without its magic. Returns the new
 * table's descriptor (read-write), -1 with errno EEXIST if someone else
 * made one first, or -1 with err filled.
 */
static int
table_create(const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	const char *base = strrchr(path, '/');
	struct table_header h;
	int fd, e;

	if (base == NULL)
		snprintf(tmp, sizeof tmp, ".%s.XXXXXX", path);
	else
		snprintf(tmp, sizeof tmp, "%.*s/.%s.XXXXXX",
		    (int)(base - path), path, base + 1);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot create a table here: %s",
		    strerror(errno));
		return -1;
	}
	header_init(&h);
	if (ftruncate(fd, sizeof(struct fault_table)) != 0 ||
	    pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
		e = errno;
		goto fail;
	}
	if (link(tmp, path) != 0) {
		e = errno;
		if (e == EEXIST) {
			unlink(tmp);
			close(fd);
			errno = EEXIST;
			return -1;
		}
		goto fail;
	}
	unlink(tmp);
	return fd;

fail:
	unlink(tmp);
	close(fd);
	snprintf(err, errlen, "cannot create it: %s", strerror(e));
	errno = e;
	return -1;
}

int
table_open(struct table *tb, const char *path, int flags, char *err,
    size_t errlen)
{
	int create = flags & TABLE_CREATE;
	void *p;
	int fd, tries;

	tb->fd = -1;
	tb->map = NULL;
	err[0] = '\0';
	for (tries = 0; tries < 3; tries++) {
		fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT || !create)
			break;
		fd = table_create(path, err, errlen);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", errno == ELOOP ?
			    "is a symbolic link: refused" : strerror(errno));
		goto fail_msg;
	}
	if (table_check_file(fd, flags, err, errlen) != 0 ||
	    check_header(fd, err, errlen) != 0)
		goto fail_msg;
	p = mmap(NULL, sizeof(struct fault_table), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto fail_msg;
	}
	tb->map = p;
	tb->fd = fd;
	return 0;

fail_msg:
	{
		char msg[RULE_ERR_MAX];

		snprintf(msg, sizeof msg, "%s", err);
		if (strncmp(msg, path, strlen(path)) != 0)
			snprintf(err, errlen, "%s: %s", path, msg);
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

void
table_close(struct table *tb)
{
	if (tb->map != NULL)
		munmap(tb->map, sizeof(struct fault_table));
	if (tb->fd >= 0)
		close(tb->fd);
	tb->map = NULL;
	tb->fd = -1;
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

/* Hooks whose descriptors the shim records while anything is armed. */
int
hook_needs_tracking(int h)
{
	return (hook_table[h].flags & (F_RET_FD | F_RET_FP | F_CLOSE | F_DUP |
	    F_CONNECT)) || h == HID_fcntl || h == HID_fcntl64;
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
	write_begin(tb);
	atomic_store(&t->h.armed, 0);
	for (i = 0; i < set->n; i++) {
		t->rule[i] = set->rule[i];
		atomic_store(&t->counter[i].matched, 0);
		atomic_store(&t->counter[i].injected, 0);
	}
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
