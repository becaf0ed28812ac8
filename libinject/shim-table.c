/*
 * shim-table.c: CHAOS_TABLE and CHAOS_TABLE_FD, how a process attaches
 * to a shared fault table, and follows it.
 *
 * Faults are a privilege: a process writes a table only if it is root or
 * the table's owner. Any other process maps the table read-only, counts
 * into the table's reach file (reach.c), and cannot change what another
 * user's process obeys. A process attaches, in this order:
 *
 *   rw   by path, read-write (CHAOS_TABLE, made if missing): root or
 *        the owner, as always;
 *   fd   through the descriptors chaosd handed down (CHAOS_TABLE_FD=T,R:
 *        the table, open read-only, and its reach file, read-write),
 *        checked as a path would be, and the very file CHAOS_TABLE names
 *        when that can be looked at; they are left open, so that the
 *        process's children (setpriv -> postgres -> its backends) attach
 *        the same way;
 *   ro   by path, read-only, when the table is readable to it (and its
 *        reach file writable, else it is not counted);
 *
 * or it refuses, with one line that says why. Then it writes one attach
 * record in the reach file (forked children share their parent's).
 *
 * The table's page of armed words is mapped over the shim's own: shared
 * and writable for a process that may write the table (its own rules'
 * bits go there, sticky), shared and read-only for the others. A process
 * that only reads the table and has rules of its own keeps its own page,
 * with every hook marked, and so looks at the table on every call.
 *
 * A process that drops its privileges after attaching read-write
 * (nginx's workers: fork, then setuid) would keep a writable mapping of
 * a table that root's processes obey: setuid() and its kin are
 * interposed, and once the process may no longer write the table, its
 * mappings are replaced with read-only ones (opened just before the
 * call, while it still could), its counts go to the reach file, and it
 * writes an attach record of its own (mode dropped).
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

static uint64_t table_gen = 1;		/* odd: nothing published yet */
static int table_live;			/* table rules are in the state */
static int armed_shared;		/* shim_armed is the table's page */
static char table_name[PATH_MAX];	/* for our lines, as a field */
static char table_path[PATH_MAX];	/* to reopen it read-only */
static struct stat table_st;		/* the file we map */
static struct table_counter private_counters[RULE_MAX];
static unsigned char own_bits[TABLE_PAGE];

/* ------------------------------------------------------------------ */
/* following the table                                                 */

/*
 * A table armed before this boot: its deadline is in wall-clock time, so a
 * table on a persistent file system would otherwise fault the services
 * that start after a crash of the machine until that deadline, with no
 * chaosd left to disarm it. The time since it was armed (wall clock) is
 * longer than the time since boot (CLOCK_BOOTTIME) only then. A step of
 * the wall clock forward by more than the uptime reads the same way: such
 * a table is ignored too, which errs on the side of no fault (chaosd run
 * then says the fault did not happen).
 */
static int
armed_before_boot(uint64_t armed_at)
{
	struct timespec ts;
	uint64_t real = realtime_ns(), up;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0 || armed_at == 0 ||
	    real <= armed_at)
		return 0;
	up = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	return real - armed_at > up + 1000000000ull;	/* 1 s of slack */
}

/* Rebuild the state from the table, if it changed since we last looked. */
static void
table_check(void)
{
	static struct rule_set tset;
	struct table_state ts;
	struct fault_table *t = shim.table;
	int active;

	if (atomic_load_explicit(&t->h.generation, memory_order_acquire) ==
	    table_gen)
		return;
	if (!shim_state_free())
		return;		/* rebuilt too often: again once one has rested */
	if (table_snapshot(t, &tset, &ts) != 0)
		return;
	active = ts.armed && !ts.killed && ts.deadline > realtime_ns() &&
	    !shim_sigbus_gone(SIGBUS_TABLE);
	if (active && armed_before_boot(ts.armed_at)) {
		shim_warn("error var=CHAOS_TABLE -- armed before this boot; "
		    "table ignored");
		active = 0;
	}
	if (active) {
		char err[RULE_ERR_MAX];
		int i;

		for (i = 0; i < tset.n; i++)
			if (rule_check(&tset.rule[i], err, sizeof err) != 0) {
				shim_warn("error var=CHAOS_TABLE -- rule %d: "
				    "%s; table ignored", i + 1, err);
				active = 0;
				break;
			}
	}
	if (!active && !table_live) {
		table_gen = ts.generation;
		return;
	}
	if (shim_publish(active ? &tset : NULL, &ts) == 0) {
		table_gen = ts.generation;
		table_live = active;
	}
}

/*
 * Called on the armed path of every call in a process with a table: one
 * load when nothing changed. One thread rebuilds at a time; the others
 * (and a signal handler interrupting it) go on with the state they have.
 */
void
shim_table_refresh(void)
{
	static int busy;

	if (SHIM_LIKELY(atomic_load_explicit(&shim.table->h.generation,
	    memory_order_relaxed) == table_gen))
		return;
	if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
		return;
	shim_guard++;
	table_check();
	shim_guard--;
	__atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

/* Build the state again at the next armed call (new counters). */
void
shim_table_forget(void)
{
	__atomic_store_n(&table_gen, 1, __ATOMIC_RELAXED);
	table_live = 1;
}

/* ------------------------------------------------------------------ */
/* attaching                                                           */

/* "T,R": two descriptor numbers */
static int
parse_fds(const char *s, int *t, int *r)
{
	char *end;
	long a, b;

	errno = 0;
	a = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != ',' || a < 0 || a > INT_MAX)
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || b < 0 || b > INT_MAX ||
	    a == b)
		return -1;
	*t = (int)a;
	*r = (int)b;
	return 0;
}

/* err without the "PATH: " table_open() puts first */
static const char *
reason(const char *err, const char *path)
{
	size_t n = path != NULL ? strlen(path) : 0;

	if (n > 0 && strncmp(err, path, n) == 0 && err[n] == ':' &&
	    err[n + 1] == ' ')
		return err + n + 2;
	return err;
}

static void
say_attached(int mode, int slot)
{
	char s[16] = "none";

	if (slot >= 0)
		snprintf(s, sizeof s, "%d", slot);
	shim_log("attached table=%s mode=%s uid=%u slot=%s", table_name,
	    reach_mode_name((uint32_t)mode), (unsigned)geteuid(), s);
}

/*
 * Open the table one way or another: the mode, or 0 with err filled (and
 * *denied set when the path was there but not for this user).
 */
static int
table_get(struct table *tb, const char *path, const char *fds, int *mapfd,
    int *denied, char *err, size_t errlen)
{
	char fderr[RULE_ERR_MAX];
	int tfd = -1, rfd = -1, have_fds = 0;

	if (fds != NULL) {
		if (parse_fds(fds, &tfd, &rfd) == 0) {
			have_fds = 1;
		} else {
			char f[64];

			shim_field(f, sizeof f, fds);
			shim_warn("error var=CHAOS_TABLE_FD -- '%s': not two "
			    "descriptors T,R", f);
		}
	}
	err[0] = '\0';
	if (path != NULL) {
		if (table_open(tb, path, TABLE_CREATE | TABLE_STRICT, err,
		    errlen) == 0) {
			*mapfd = tb->fd;
			return REACH_RW;
		}
		*denied = errno == EACCES || errno == EPERM;
	}
	if (have_fds) {
		if (table_open_fds(tb, tfd, rfd, path, fderr,
		    sizeof fderr) == 0) {
			*mapfd = tfd;
			return REACH_FD;
		}
		if (path != NULL)
			snprintf(err + strlen(err), errlen - strlen(err),
			    "; descriptors %d,%d: %s", tfd, rfd, fderr);
		else
			snprintf(err, errlen, "descriptors %d,%d: %s", tfd,
			    rfd, fderr);
		return 0;
	}
	if (path != NULL) {
		if (table_open(tb, path, TABLE_STRICT | TABLE_RDONLY, fderr,
		    sizeof fderr) == 0) {
			*mapfd = tb->fd;
			return REACH_RO;
		}
	} else {
		snprintf(err, errlen, "no table");
	}
	return 0;
}

void
shim_table_attach(const char *path, const char *fds)
{
	char err[RULE_ERR_MAX * 2], line[PATH_MAX + 128];
	struct table tb;
	int mode, mapfd = -1, slot = -1, h, denied = 0;
	void *p;

	shim_field(table_name, sizeof table_name, path != NULL ? path :
	    "(descriptors)");
	mode = table_get(&tb, path, fds, &mapfd, &denied, err, sizeof err);
	if (mode == 0 && denied && fds == NULL) {
		shim_warn("refused table=%s -- %s (uid %u, no CHAOS_TABLE_FD); "
		    "no table faults", table_name, reason(err, path),
		    (unsigned)geteuid());
		return;
	}
	if (mode == 0) {
		shim_warn("refused table=%s -- %s; no table faults",
		    table_name, reason(err, path));
		return;
	}
	if (fstat(mapfd, &table_st) != 0)
		memset(&table_st, 0, sizeof table_st);
	if (path != NULL)
		strlcpy_chaos(table_path, path, sizeof table_path);
	armed_shared = mode == REACH_RW || shim_own_rules() == 0;

	/* our own rules' bits: sticky in a page we share, else every hook */
	for (h = 0; h < HOOK_COUNT; h++) {
		unsigned char v = atomic_load(&shim_armed[h]);

		if (armed_shared)
			own_bits[h] = (v & ARMED_RULES ? ARMED_OWN_RULES : 0) |
			    (v & ARMED_TRACK ? ARMED_OWN_TRACK : 0);
		else
			own_bits[h] = ARMED_OWN_RULES |
			    (hook_needs_tracking(h) ? ARMED_OWN_TRACK : 0);
	}
	snprintf(line, sizeof line, "%s: gone table=%s -- was truncated; no "
	    "table faults\n", shim_exe()[0] ? shim_exe() : "?", table_name);
	if (shim_sigbus_watch(SIGBUS_TABLE, tb.map, sizeof *tb.map, NULL,
	    line) != 0 || (armed_shared && shim_sigbus_watch(SIGBUS_TABLE,
	    shim_armed, TABLE_PAGE, own_bits, line) != 0)) {
		shim_warn("refused table=%s -- cannot guard against SIGBUS; "
		    "no table faults", table_name);
		goto fail;
	}
	if (tb.reach != NULL) {
		snprintf(line, sizeof line, "%s: gone table=%s -- its reach "
		    "file was truncated; not counted\n", shim_exe()[0] ?
		    shim_exe() : "?", table_name);
		(void)shim_sigbus_watch(SIGBUS_REACH, tb.reach,
		    sizeof *tb.reach, NULL, line);
	}
	if (armed_shared) {
		p = mmap((void *)(uintptr_t)shim_armed, TABLE_PAGE,
		    mode == REACH_RW ? PROT_READ | PROT_WRITE : PROT_READ,
		    MAP_SHARED | MAP_FIXED, mapfd, TABLE_ARMED_OFFSET);
		if (p == MAP_FAILED) {
			shim_warn("refused table=%s -- cannot map: %s; no "
			    "table faults", table_name, strerror(errno));
			shim_sigbus_replace(SIGBUS_TABLE);
			goto fail;
		}
	}
	for (h = 0; h < HOOK_COUNT; h++)
		if (own_bits[h] && (mode == REACH_RW || !armed_shared))
			atomic_fetch_or(&shim_armed[h], own_bits[h]);

	shim.table = tb.map;
	shim.reach = tb.reach;
	shim.table_ro = mode != REACH_RW;
	if (mode == REACH_RW)
		shim.counters = tb.map->counter;
	else if (tb.reach != NULL && !tb.reach_rdonly)
		shim.counters = tb.reach->counter;
	else
		shim.counters = private_counters;
	if (tb.reach != NULL && !tb.reach_rdonly)
		slot = reach_attach(tb.reach, mode, shim_exe());
	/* the mappings are all we need; inherited descriptors stay open */
	if (tb.fd >= 0)
		close(tb.fd);
	if (tb.reach_fd >= 0)
		close(tb.reach_fd);
	say_attached(mode, slot);
	table_check();
	return;

fail:
	if (mode == REACH_FD) {
		munmap(tb.map, sizeof *tb.map);
		if (tb.reach != NULL)
			munmap(tb.reach, sizeof *tb.reach);
	} else {
		table_close(&tb);
	}
}

/* ------------------------------------------------------------------ */
/* dropping privileges                                                 */

static int
may_write(void)
{
	uid_t e = geteuid();

	return e == 0 || e == table_st.st_uid;
}

/* Before the call: the table read-only, while we still may open it. */
static int
drop_prepare(void)
{
	struct stat st;
	int fd;

	if (shim.table == NULL || shim.table_ro || table_path[0] == '\0' ||
	    shim_sigbus_gone(SIGBUS_TABLE))
		return -2;	/* nothing to do */
	shim_guard++;
	fd = open(table_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) != 0 || st.st_dev != table_st.st_dev ||
	    st.st_ino != table_st.st_ino)) {
		close(fd);
		fd = -1;	/* another file there now */
	}
	shim_guard--;
	return fd;
}

/* After it: no writable mapping of the table is left to a process that
   may no longer write it. */
static void
drop_finish(int fd)
{
	struct fault_table *t = shim.table;
	size_t head = offsetof(struct fault_table, counter);
	int slot = -1, ok;

	if (fd == -2)
		return;
	if (may_write()) {
		if (fd >= 0)
			close(fd);
		return;
	}
	shim_guard++;
	/* a thread still counting there writes into private memory */
	ok = fd >= 0 && mmap(t->counters_, sizeof t->counters_, PROT_READ |
	    PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	    MAP_FAILED && mmap(t, head, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
	    0) != MAP_FAILED && mmap((void *)(uintptr_t)shim_armed, TABLE_PAGE,
	    PROT_READ, MAP_SHARED | MAP_FIXED, fd, TABLE_ARMED_OFFSET) !=
	    MAP_FAILED;
	if (fd >= 0)
		close(fd);
	if (!ok) {
		shim_sigbus_replace(SIGBUS_TABLE);
		shim_warn("refused table=%s -- uid %u may not write it, and "
		    "it could not be mapped read-only; no table faults",
		    table_name, (unsigned)geteuid());
	}
	shim.table_ro = 1;
	shim.counters = shim.reach != NULL ? shim.reach->counter :
	    private_counters;
	shim_table_forget();
	if (ok && shim.reach != NULL && !shim_sigbus_gone(SIGBUS_REACH))
		slot = reach_attach(shim.reach, REACH_DROPPED, shim_exe());
	if (ok)
		say_attached(REACH_DROPPED, slot);
	shim_guard--;
}

#define SETID_HOOK(name, params, args)					\
	SHIM_EXPORT int name params;					\
	SHIM_EXPORT int							\
	name params							\
	{								\
		static int (*fn) params;				\
		int fd, r, e;						\
		if (fn == NULL)						\
			fn = (int (*) params)shim_next(#name);		\
		if (fn == NULL) {					\
			errno = ENOSYS;					\
			return -1;					\
		}							\
		fd = drop_prepare();					\
		r = fn args;						\
		e = errno;						\
		drop_finish(fd);					\
		errno = e;						\
		return r;						\
	}

SETID_HOOK(setuid, (uid_t uid), (uid))
SETID_HOOK(seteuid, (uid_t euid), (euid))
SETID_HOOK(setreuid, (uid_t ruid, uid_t euid), (ruid, euid))
SETID_HOOK(setresuid, (uid_t ruid, uid_t euid, uid_t suid), (ruid, euid, suid))
