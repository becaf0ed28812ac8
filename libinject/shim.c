/*
 * shim.c: libinject.so's life cycle. The constructor reads the
 * configuration (CHAOS_INJECT, CHAOS_INJECT_FILE, CHAOS_SEED, CHAOS_LOG),
 * compiles the rules into per-hook masks and arms the hooks; real
 * functions are resolved at their first call; shim_before() and
 * shim_after() are the out-of-line halves of every wrapper.
 */
#include "config.h"

#include <dlfcn.h>
#include <stddef.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/*
 * shim_armed[]: one armed byte per hook; the whole of the dormant path
 * reads one of them. A table maps its armed page over this one
 * (shim-table.c), so it is a page, aligned. Defined here in a section of
 * its own, without file contents, which the linker places after .bss:
 * in .bss, its alignment would start .bss on a page of its own, and the
 * variables a dormant process touches at exit (crtbegin's) would cost
 * it a fault instead of sharing the page that .data already dirties. (.lbss would do the same but marks the
 * section large, and the linker then reaches it through the GOT: one
 * more load on every call.)
 */
__asm__(".pushsection .shim_armed,\"aw\",@nobits\n"
	".balign 4096\n"
	".globl shim_armed\n"
	".hidden shim_armed\n"
	".type shim_armed, @object\n"
	".size shim_armed, 4096\n"
	"shim_armed:\n"
	".skip 4096\n"
	".popsection\n");
_Static_assert(HOOK_COUNT <= TABLE_PAGE, "one armed byte per hook, in a page");
_Static_assert(TABLE_PAGE == 4096, "the page defined above");
/* in .data, beside the GOT and shim_configured: a page dirtied anyway */
void *shim_real[HOOK_COUNT] __attribute__((section(".data")));
__thread int shim_guard;
__thread int shim_resolving;

struct shim_global shim;

SHIM_HOT void *
shim_resolve(int hook)
{
	void *p;

	if (shim_resolving)
		return NULL;
	shim_resolving = 1;
	p = dlsym(RTLD_NEXT, hook_table[hook].name);
	/* glibc keeps some entry points (__xstat...) as compat versions only */
	if (p == NULL)
		p = dlvsym(RTLD_NEXT, hook_table[hook].name, "GLIBC_2.2.5");
	/* no error left behind for a later dlsym to free, maybe in a handler */
	if (p == NULL)
		(void)dlerror();
	shim_resolving = 0;
	if (p != NULL)
		__atomic_store_n(&shim_real[hook], p, __ATOMIC_RELAXED);
	return p;
}

/* A libc function the shim wraps without a hook id (sigaction, setuid). */
void *
shim_next(const char *name)
{
	void *p;

	shim_resolving++;
	p = dlsym(RTLD_NEXT, name);
	if (p == NULL)
		(void)dlerror();
	shim_resolving--;
	return p;
}

/* The executable's base name, read once, when a rule or a line needs it. */
const char *
shim_exe(void)
{
	static char exe[256];
	static int done;
	char path[1024];
	const char *base;
	long n;

	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		return exe;
	n = syscall(SYS_readlink, "/proc/self/exe", path, sizeof path - 1);
	if (n > 0) {
		path[n] = '\0';
		base = strrchr(path, '/');
		strlcpy_chaos(exe, base ? base + 1 : path, sizeof exe);
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return exe;
}

struct prng *
shim_prng(void)
{
	static __thread struct prng state;
	static __thread uint64_t seeded_gen;	/* fork_gen + 1 */
	uint64_t gen = __atomic_load_n(&shim.fork_gen, __ATOMIC_RELAXED) + 1;

	if (seeded_gen != gen) {
		uint64_t n = __atomic_fetch_add(&shim.threads, 1,
		    __ATOMIC_RELAXED);
		prng_seed(&state, shim.seed + n * 0xd1b54a32d192ed03ull);
		seeded_gen = gen;
	}
	return &state;
}

uint64_t
shim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* compiling rules into a state                                        */

#define RING	8			/* states kept for reuse */
#define REUSE_NS 1000000000ull		/* a retired state rests 1 s */

static struct shim_state *ring[RING];
static struct rule_set own_rules;	/* CHAOS_INJECT, CHAOS_INJECT_FILE */
static struct table_counter own_counters[RULE_MAX];
static uint64_t own_armed_at;
/* some CHAOS_* variable was set; read at every exit, so kept in .data */
static int shim_configured __attribute__((section(".data")));
static uint64_t rules_gen;

/* this process's own counts, for its summary: zeroed in a forked child */
static struct table_counter own_local[RULE_MAX], table_local[RULE_MAX];
static uint64_t table_local_armed_at;
/* whose counts they are: a vfork child, which shares them, is not */
static long own_pid;

/* A state no reader can still be in, or NULL if none rested long enough. */
static struct shim_state *
free_state(void)
{
	struct shim_state *cur = atomic_load(&shim.cur);
	uint64_t now = shim_now_ns();
	int i;

	for (i = 0; i < RING; i++) {
		if (ring[i] == NULL) {
			void *p = mmap(NULL, sizeof(struct shim_state),
			    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);

			if (p == MAP_FAILED)
				return NULL;
			ring[i] = p;
			return ring[i];
		}
		if (ring[i] != cur && now - ring[i]->retired_ns >= REUSE_NS)
			return ring[i];
	}
	return NULL;
}

int
shim_state_free(void)
{
	return free_state() != NULL;
}

int
shim_own_rules(void)
{
	return own_rules.n;
}

static int
add_rule(struct shim_state *st, const struct rule *r, uint64_t base,
    struct table_counter *ctr, struct table_counter *local, int from_table)
{
	struct shim_rule *sr;
	int i = st->rules.n, h, any = 0;

	if (i >= RULE_MAX)
		return 0;
	if (r->filters & FILT_EXE && fnmatch_chaos(r->exe, shim_exe()) != 0)
		return 0;	/* not for this program */
	st->rules.rule[i] = *r;
	sr = &st->comp[i];
	memset(sr, 0, sizeof *sr);
	sr->threshold = trigger_threshold(r->probability);
	sr->from_table = from_table;
	sr->base_ns = base;
	sr->matched = &ctr->matched;
	sr->injected = &ctr->injected;
	sr->pmatched = &local->matched;
	sr->pinjected = &local->injected;
	for (h = 0; h < HOOK_COUNT; h++)
		if (rule_hook_allowed(r, h)) {
			st->hook_rules[h] |= 1ull << i;
			any = 1;
		}
	st->rules.n++;
	return any;
}

/*
 * Build the state for our own rules plus, when given, the table's (counted
 * where shim.counters says: the table, its reach file, or private), publish
 * it, then, without a table, set every hook's armed word to match.
 */
int
shim_publish(const struct rule_set *tset, const struct table_state *ts)
{
	struct shim_state *st = free_state(), *old;
	int i, h, any = 0;

	if (st == NULL)
		return -1;
	memset(st->hook_rules, 0, sizeof st->hook_rules);
	st->rules.n = 0;
	st->deadline_ns = 0;
	for (i = 0; i < own_rules.n; i++)
		any |= add_rule(st, &own_rules.rule[i], own_armed_at,
		    &own_counters[i], &own_local[i], 0);
	if (tset != NULL && shim.table != NULL) {
		uint64_t mono = shim_now_ns(), real = realtime_ns();
		uint64_t base = mono - (real > ts->armed_at ?
		    real - ts->armed_at : 0);

		if (ts->armed_at != table_local_armed_at) {
			memset(table_local, 0, sizeof table_local);
			table_local_armed_at = ts->armed_at;
		}
		st->deadline_ns = ts->deadline > real ?
		    mono + (ts->deadline - real) : 0;
		for (i = 0; i < tset->n; i++)
			any |= add_rule(st, &tset->rule[i], base,
			    &shim.counters[i], &table_local[i], 1);
	}
	st->rules_gen = ++rules_gen;
	fdtab_invalidate();
	old = atomic_exchange_explicit(&shim.cur, st, memory_order_acq_rel);
	if (old != NULL)
		old->retired_ns = shim_now_ns();
	/* a table's page is chaosd's to write; our own rules' bits are set
	 * once, when it is mapped (shim-table.c) */
	if (shim.table != NULL)
		return 0;
	for (h = 0; h < HOOK_COUNT; h++) {
		unsigned char v = 0;

		if (st->hook_rules[h])
			v |= ARMED_RULES;
		if (any && hook_needs_tracking(h))
			v |= ARMED_TRACK;
		atomic_store_explicit(&shim_armed[h], v, memory_order_relaxed);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* life cycle                                                          */

static void
fork_child(void)
{
	/* the child draws its own numbers; a table stays mapped, shared */
	__atomic_add_fetch(&shim.fork_gen, 1, __ATOMIC_RELAXED);
	own_pid = syscall(SYS_getpid);
	shim.seed ^= (uint64_t)own_pid * 0x9e3779b97f4a7c15ull;
	/* its summary counts its own calls */
	memset(own_local, 0, sizeof own_local);
	memset(table_local, 0, sizeof table_local);
}

/* The CHAOS_* variables, found in one pass over the environment. */
struct shim_env {
	const char	*inject;	/* CHAOS_INJECT */
	const char	*inject_file;	/* CHAOS_INJECT_FILE */
	const char	*log;		/* CHAOS_LOG */
	const char	*log_fd;	/* CHAOS_LOG_FD */
	const char	*seed;		/* CHAOS_SEED */
	const char	*table;		/* CHAOS_TABLE */
	const char	*table_fd;	/* CHAOS_TABLE_FD */
};

static int
env_scan(struct shim_env *e)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} vars[] = {
		{ "INJECT=", offsetof(struct shim_env, inject) },
		{ "INJECT_FILE=", offsetof(struct shim_env, inject_file) },
		{ "LOG=", offsetof(struct shim_env, log) },
		{ "LOG_FD=", offsetof(struct shim_env, log_fd) },
		{ "SEED=", offsetof(struct shim_env, seed) },
		{ "TABLE=", offsetof(struct shim_env, table) },
		{ "TABLE_FD=", offsetof(struct shim_env, table_fd) },
	};
	char **p;
	size_t i, n;
	int found = 0;

	/* field by field: memset would be a call into libc (-fno-builtin) */
	e->inject = e->inject_file = e->log = e->log_fd = NULL;
	e->seed = e->table = e->table_fd = NULL;
	for (p = environ; p != NULL && *p != NULL; p++) {
		/*
		 * Compared a character at a time against constants in the
		 * code: a process without CHAOS_* variables reads no string
		 * of ours and calls nothing in libc (each first touch of a
		 * page of .rodata or of libc's strncmp is a fault).
		 */
		if ((*p)[0] != 'C' || (*p)[1] != 'H' || (*p)[2] != 'A' ||
		    (*p)[3] != 'O' || (*p)[4] != 'S' || (*p)[5] != '_')
			continue;
		for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
			n = strlen(vars[i].name);
			if (strncmp(*p + 6, vars[i].name, n) == 0 &&
			    (*p)[6 + n] != '\0') {
				*(const char **)(void *)((char *)e +
				    vars[i].off) = *p + 6 + n;
				found++;
			}
		}
	}
	return found;
}

static int
load_config(const struct shim_env *e, struct rule_set *set)
{
	char err[RULE_ERR_MAX];

	set->n = 0;
	if (e->inject != NULL &&
	    rules_parse(set, e->inject, err, sizeof err) != 0) {
		shim_warn("error var=CHAOS_INJECT -- %s; no faults injected",
		    err);
		set->n = 0;
		return -1;
	}
	if (e->inject_file != NULL &&
	    rules_parse_file(set, e->inject_file, err, sizeof err) != 0) {
		shim_warn("error var=CHAOS_INJECT_FILE -- %s; no faults "
		    "injected", err);
		set->n = 0;
		return -1;
	}
	return 0;
}

static void
parse_seed(const char *s)
{
	const unsigned char *rnd;
	char err[RULE_ERR_MAX];
	uint64_t v = 0;

	if (s != NULL) {
		if (parse_uint(s, UINT64_MAX, &v, err, sizeof err) == 0) {
			shim.seed = v;
			return;
		}
		shim_warn("error var=CHAOS_SEED -- %s; using a random seed",
		    err);
	}
	/* the kernel's 16 random bytes for this process: no system call */
	rnd = (const unsigned char *)getauxval(AT_RANDOM);
	if (rnd != NULL)
		memcpy(&v, rnd + 8, sizeof v);
	shim.seed = v;
}

/*
 * What a process pays at start when nothing is armed: one pass over the
 * environment. Real functions are resolved at their first call, the
 * executable's name is read when a rule or a log line needs it, the seed
 * comes from the auxiliary vector, and a process without any CHAOS_*
 * variable stops there: nothing can ever be armed in it.
 */
__attribute__((constructor)) static void
shim_init(void)
{
	struct shim_env env;

	if (getauxval(AT_SECURE))
		return;		/* setuid: faults are a privilege */
	if (env_scan(&env) == 0)
		return;
	shim_configured = 1;
	own_pid = syscall(SYS_getpid);
	shim_guard++;
	if (env.log != NULL || env.log_fd != NULL)
		shim_log_open(env.log, env.log_fd);
	parse_seed(env.seed);
	pthread_atfork(NULL, NULL, fork_child);
	if (load_config(&env, &own_rules) == 0 && own_rules.n > 0) {
		own_armed_at = shim_now_ns();
		shim_publish(NULL, NULL);
	}
	if (env.table != NULL || env.table_fd != NULL)
		shim_table_attach(env.table, env.table_fd);
	shim_guard--;
}

/*
 * The exit half: the summary line. It is the library's DT_FINI (linked
 * with -Wl,-fini=shim_fini, see local.mk) rather than a destructor, and
 * sits in .text.exit at the head of the code, in the pages the
 * constructor has already touched: the crt's _fini it replaces lies at
 * the far end of 140 KiB of code, and calling it cost every preloaded
 * process one more page fault at exit.
 */
void shim_fini(void) __attribute__((section(".text.exit")));

void
shim_fini(void)
{
	if (!shim_configured)
		return;
	shim_guard++;
	shim_log_summary(0);
	shim_guard--;
}

/*
 * A process that execs, or ends by _exit(), never reaches shim_fini: its
 * summary is written before (shim_before, for the exec family; _exit and
 * _Exit below). After an exec's summary the counts start over, so that
 * if the exec fails, the summary at the end counts only what came after.
 * Not in a vfork child: it shares this process's memory and counts.
 */
void
shim_exec_summary(void)
{
	if (!shim_configured || syscall(SYS_getpid) != own_pid)
		return;
	shim_guard++;
	shim_log_summary(1);
	memset(own_local, 0, sizeof own_local);
	memset(table_local, 0, sizeof table_local);
	shim_guard--;
}

static void __attribute__((noreturn, section(".text.exit")))
exit_now(int status)
{
	if (shim_configured && syscall(SYS_getpid) == own_pid) {
		shim_guard++;
		shim_log_summary(0);
	}
	for (;;)
		syscall(SYS_exit_group, status);
}

/* glibc's _Exit is _exit under another name: both are interposed */
#define SHIM_EXIT __attribute__((visibility("default"), section(".text.exit")))
SHIM_EXIT void _exit(int status);
SHIM_EXIT void
_exit(int status)
{
	exit_now(status);
}

SHIM_EXIT void _Exit(int status);
SHIM_EXIT void
_Exit(int status)
{
	exit_now(status);
}

/* ------------------------------------------------------------------ */

int
shim_before(struct shim_call *c)
{
	unsigned armed, flags = hook_table[c->hook].flags;
	int verdict = SHIM_PASS, saved;

	if (shim_guard)
		return SHIM_PASS;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	armed = atomic_load_explicit(&shim_armed[c->hook], memory_order_relaxed);
	if (flags & F_EXEC)
		shim_exec_summary();
	if (flags & F_FILE)
		c->fd = c->fp != NULL ? fileno(c->fp) : -1;
	else if (!(flags & F_FD))
		c->fd = -1;
	if (armed & (ARMED_TRACK | ARMED_OWN_TRACK))
		c->after |= AFTER_TRACK;
	if (!(armed & (ARMED_RULES | ARMED_OWN_RULES)))
		return SHIM_PASS;
	if (shim.table != NULL)
		shim_table_refresh();
	/*
	 * The early exit: I/O on a descriptor whose path every candidate
	 * rule has already been found not to match.
	 */
	if (c->fd >= 0 && !(flags & (F_PATH | F_ADDR | F_FD2))) {
		const struct shim_state *st = atomic_load_explicit(&shim.cur,
		    memory_order_acquire);

		if (st != NULL && (st->hook_rules[c->hook] &
		    ~fdtab_rejects(c->fd, st->rules_gen)) == 0)
			return SHIM_PASS;
	}
	saved = errno;
	verdict = decide(c);
	errno = saved;
	return verdict;
}

static void
track(struct shim_call *c, long ret, int err)
{
	unsigned flags = hook_table[c->hook].flags;
	char abs[FDT_PATH_MAX];

	if (flags & F_CLOSE) {
		if (c->fd >= 0)
			fdtab_clear(c->fd);
		return;
	}
	if (flags & F_DUP) {
		if (ret >= 0)
			fdtab_dup(c->fd, (int)ret);
		return;
	}
	if (flags & F_CONNECT) {
		if ((ret == 0 || err == EINPROGRESS) && c->addr != NULL)
			fdtab_set_peer(c->fd, c->addr, c->addrlen);
		return;
	}
	if (flags & F_RET_FP) {
		FILE *fp = (FILE *)(intptr_t)ret;
		int fd;

		if (fp == NULL)
			return;
		fd = fileno(fp);
		if (c->path != NULL &&
		    path_absolute(AT_FDCWD, c->path, abs, sizeof abs) == 0)
			fdtab_set_path(fd, abs);
		else if (!(flags & F_FD))
			fdtab_clear(fd);
		else if (c->fd != fd)
			fdtab_dup(c->fd, fd);
		return;
	}
	if (flags & F_RET_FD) {
		if (ret < 0)
			return;
		if (c->path != NULL && path_absolute(flags & F_AT ?
		    c->dirfd : AT_FDCWD, c->path, abs, sizeof abs) == 0)
			fdtab_set_path((int)ret, abs);
		else
			fdtab_clear((int)ret);
	}
}

void
shim_after(struct shim_call *c, long ret)
{
	int saved = errno;

	if (shim_guard)
		return;
	if (c->after & AFTER_CORRUPT)
		corrupt_result(c, ret);
	if (c->after & AFTER_TRACK)
		track(c, ret, saved);
	errno = saved;
}

/* ------------------------------------------------------------------ */
/* failure helpers named in the .def files                             */

size_t
shim_stdio_fail(FILE *fp, long value)
{
	/* make ferror() true, as a real I/O error would (glibc's flag) */
	if (fp != NULL)
		fp->_flags |= 0x20;	/* _IO_ERR_SEEN */
	return (size_t)value;
}

char *
shim_stdio_failp(FILE *fp)
{
	shim_stdio_fail(fp, 0);
	return NULL;
}

int
shim_fail_close(int fd)
{
	int e = errno;

	((int (*)(int))SHIM_REAL(close, int, (int)))(fd);
	fdtab_clear(fd);
	errno = e;
	return -1;
}

int
shim_fail_fclose(FILE *fp)
{
	int e = errno, fd = fileno(fp);

	SHIM_REAL(fclose, int, (FILE *))(fp);
	if (fd >= 0)
		fdtab_clear(fd);
	errno = e;
	return EOF;
}

int
shim_fail_closedir(void *dir)
{
	int e = errno, fd = dirfd(dir);

	SHIM_REAL(closedir, int, (DIR *))(dir);
	if (fd >= 0)
		fdtab_clear(fd);
	errno = e;
	return -1;
}

int
shim_eai_fail(struct shim_call *c)
{
	return (int)c->retval;
}

void *
shim_herr_fail(struct shim_call *c)
{
	switch (c->retval) {
	case EAI_AGAIN:
		h_errno = TRY_AGAIN;
		break;
	case EAI_NONAME:
		h_errno = HOST_NOT_FOUND;
		break;
	case EAI_NODATA:
		h_errno = NO_DATA;
		break;
	case EAI_SYSTEM:
		h_errno = NETDB_INTERNAL;
		break;
	default:
		h_errno = NO_RECOVERY;
		break;
	}
	return NULL;
}
