/*
 * shim-sigbus.c: a fault table cut short never crashes the program.
 *
 * The shim maps its fault table shared, and the table's page of armed
 * words in place of its own hot-path array: once the file is truncated
 * (truncate -s 0, a full disk, a careless cleanup), the next load from
 * those pages is a SIGBUS. While such mappings exist the shim keeps a
 * SIGBUS handler of its own. A fault inside one of its mappings replaces
 * every mapping of that file with private pages (zeros, or the process's
 * own armed bits: everything reads as disarmed), says so once, and
 * returns: the load runs again and finds nothing armed.
 *
 * Any other SIGBUS is the program's, and reaches it as it would have
 * without the shim: sigaction(), signal() and friends are interposed for
 * SIGBUS only, record the program's disposition without replacing ours,
 * and give it back when asked; the handler then calls the program's own
 * handler, or dies of the signal under SIG_DFL (and under SIG_IGN for a
 * fault, which the kernel never lets a process ignore). sigprocmask()
 * and pthread_sigmask() never block SIGBUS for real while the guard is
 * up (a blocked fault is fatal): the program's wish is remembered per
 * thread, reported back, and a SIGBUS sent to it meanwhile waits until
 * it unblocks. Only async-signal-safe calls run in the handler.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#define RANGE_MAX	4

struct sigbus_range {
	uintptr_t		 lo, hi;
	int			 file;		/* SIGBUS_TABLE, SIGBUS_REACH */
	const unsigned char	*fill;		/* NULL: zeros */
};

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
typedef int (*sigmask_fn)(int, const sigset_t *, sigset_t *);

static struct sigbus_range ranges[RANGE_MAX];
static int nranges;
static char gone_line[SIGBUS_FILES][512];
static int gone[SIGBUS_FILES];
static int installed;			/* our handler is SIGBUS's */
static struct sigaction prog;		/* what the program asked for */
static sigaction_fn real_sigaction;
static __thread int prog_blocked;	/* the program blocked SIGBUS */
static __thread int prog_pending;	/* one arrived meanwhile */

static sigaction_fn
get_sigaction(void)
{
	sigaction_fn fn = __atomic_load_n(&real_sigaction, __ATOMIC_ACQUIRE);

	if (fn == NULL) {
		fn = (sigaction_fn)shim_next("sigaction");
		__atomic_store_n(&real_sigaction, fn, __ATOMIC_RELEASE);
	}
	return fn;
}

/* ------------------------------------------------------------------ */
/* the handler                                                         */

/* "libinject[PID] " and the rest of the line, async-signal-safe */
static void
say_gone(int file)
{
	char line[sizeof gone_line[0] + 32], digits[16];
	long pid = syscall(SYS_getpid);
	size_t n = 0, k = 0, len = strlen(gone_line[file]);

	do {
		digits[k++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid > 0 && k < sizeof digits);
	memcpy(line, "libinject[", 10);
	n = 10;
	while (k > 0)
		line[n++] = digits[--k];
	line[n++] = ']';
	line[n++] = ' ';
	memcpy(line + n, gone_line[file], len);
	shim_warn_raw(line, n + len);
}

/* Put private pages in place of every mapping of one file. */
static void
replace_file(int file)
{
	int i, n = __atomic_load_n(&nranges, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++) {
		struct sigbus_range *r = &ranges[i];
		size_t len = r->hi - r->lo;
		void *p;

		if (r->file != file)
			continue;
		if (r->fill != NULL) {
			/* filled elsewhere, then moved in: never half-seen */
			p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p != MAP_FAILED) {
				memcpy(p, r->fill, len);
				if (mremap(p, len, len, MREMAP_MAYMOVE |
				    MREMAP_FIXED, (void *)r->lo) != MAP_FAILED)
					continue;
				munmap(p, len);
			}
		}
		mmap((void *)r->lo, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
}

/* The program's disposition, exactly as the kernel would apply it. */
static void
to_program(int sig, siginfo_t *si, void *ctx)
{
	struct sigaction p = prog;
	int fault = si->si_code > 0 && si->si_code != SI_KERNEL;
	sigset_t set;

	if (p.sa_handler == SIG_IGN && !fault)
		return;
	if (p.sa_handler == SIG_IGN || p.sa_handler == SIG_DFL) {
		struct sigaction dfl;

		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		installed = 0;
		real_sigaction(SIGBUS, &dfl, NULL);
		if (fault)
			return;		/* the fault again, now fatal */
		sigemptyset(&set);
		sigaddset(&set, SIGBUS);
		syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGBUS);
		syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL,
		    sizeof(uint64_t));
		return;
	}
	if (p.sa_flags & SA_RESETHAND)
		prog.sa_handler = SIG_DFL;
	if (p.sa_flags & SA_SIGINFO)
		p.sa_sigaction(sig, si, ctx);
	else
		p.sa_handler(sig);
}

static void
on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	int i, n = __atomic_load_n(&nranges, __ATOMIC_ACQUIRE), e = errno;

	if (si->si_code > 0 && si->si_code != SI_KERNEL) {
		for (i = 0; i < n; i++) {
			int f = ranges[i].file;

			if (a < ranges[i].lo || a >= ranges[i].hi)
				continue;
			if (!__atomic_exchange_n(&gone[f], 1,
			    __ATOMIC_ACQ_REL)) {
				replace_file(f);
				say_gone(f);
			}
			errno = e;
			return;		/* the load runs again, on our pages */
		}
	} else if (prog_blocked) {
		prog_pending = 1;	/* the program's, once it unblocks */
		return;
	}
	to_program(sig, si, ctx);
	errno = e;
}

/* Ours, with the program's mask and the flags its handler runs under. */
static void
install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_mask = prog.sa_mask;
	sa.sa_flags = SA_SIGINFO | (prog.sa_flags &
	    (SA_ONSTACK | SA_NODEFER | SA_RESTART));
	real_sigaction(SIGBUS, &sa, NULL);
}

/* ------------------------------------------------------------------ */

/*
 * Guard [addr, addr + len), a mapping of one file: on a SIGBUS there,
 * every range of that file becomes private pages (fill's bytes, or
 * zeros), and "libinject[PID] " then line are written once.
 */
int
shim_sigbus_watch(int file, void *addr, size_t len,
    const unsigned char *fill, const char *line)
{
	int n = nranges;

	if (n >= RANGE_MAX || get_sigaction() == NULL)
		return -1;
	ranges[n] = (struct sigbus_range){ .lo = (uintptr_t)addr,
	    .hi = (uintptr_t)addr + len, .file = file, .fill = fill };
	strlcpy_chaos(gone_line[file], line, sizeof gone_line[file]);
	__atomic_store_n(&nranges, n + 1, __ATOMIC_RELEASE);
	if (!installed) {
		if (real_sigaction(SIGBUS, NULL, &prog) != 0)
			return -1;
		if (prog.sa_handler == (void (*)(int))(uintptr_t)on_sigbus)
			memset(&prog, 0, sizeof prog);	/* ours, inherited */
		install();
		installed = 1;
	}
	return 0;
}

/* Drop our mappings of one file as a SIGBUS would, without a word. */
void
shim_sigbus_replace(int file)
{
	if (!__atomic_exchange_n(&gone[file], 1, __ATOMIC_ACQ_REL))
		replace_file(file);
}

int
shim_sigbus_gone(int file)
{
	return __atomic_load_n(&gone[file], __ATOMIC_ACQUIRE);
}

/* ------------------------------------------------------------------ */
/* the program's side: its disposition and its mask for SIGBUS         */

SHIM_EXPORT int sigaction(int, const struct sigaction *, struct sigaction *);
SHIM_EXPORT int
sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	sigaction_fn fn = get_sigaction();

	if (fn == NULL) {
		errno = ENOSYS;
		return -1;
	}
	if (sig != SIGBUS || !installed)
		return fn(sig, act, old);
	if (old != NULL)
		*old = prog;
	if (act != NULL) {
		prog = *act;
		install();
	}
	return 0;
}

/* signal(), bsd_signal(), sysv_signal() for SIGBUS, as glibc makes them */
static sighandler_t
set_handler(int sig, sighandler_t h, int flags, sighandler_t (*fn)(int,
    sighandler_t))
{
	struct sigaction sa, old;

	if (sig != SIGBUS || !installed)
		return fn != NULL ? fn(sig, h) : SIG_ERR;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigemptyset(&sa.sa_mask);
	if (!(flags & SA_NODEFER))
		sigaddset(&sa.sa_mask, sig);
	sa.sa_flags = flags;
	if (sigaction(sig, &sa, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}

#define SIGNAL_HOOK(name, flags)					\
	SHIM_EXPORT sighandler_t name(int, sighandler_t);		\
	SHIM_EXPORT sighandler_t					\
	name(int sig, sighandler_t h)					\
	{								\
		static sighandler_t (*fn)(int, sighandler_t);		\
		if (fn == NULL)						\
			fn = (sighandler_t (*)(int, sighandler_t))	\
			    shim_next(#name);				\
		return set_handler(sig, h, flags, fn);			\
	}

SIGNAL_HOOK(signal, SA_RESTART)
SIGNAL_HOOK(bsd_signal, SA_RESTART)
SIGNAL_HOOK(sysv_signal, SA_RESETHAND | SA_NODEFER)
SIGNAL_HOOK(__sysv_signal, SA_RESETHAND | SA_NODEFER)

static int
mask_call(sigmask_fn fn, int how, const sigset_t *set, sigset_t *old)
{
	sigset_t s;
	int was = prog_blocked, r;

	if (!installed || (set == NULL && old == NULL))
		return fn(how, set, old);
	if (set != NULL) {
		s = *set;
		if (how == SIG_SETMASK)
			prog_blocked = sigismember(&s, SIGBUS) == 1;
		else if (sigismember(&s, SIGBUS) == 1)
			prog_blocked = how == SIG_BLOCK;
		if (how != SIG_UNBLOCK)
			sigdelset(&s, SIGBUS);
		set = &s;
	}
	r = fn(how, set, old);
	if (r != 0) {
		prog_blocked = was;
		return r;
	}
	if (old != NULL && was)
		sigaddset(old, SIGBUS);
	if (!prog_blocked && prog_pending) {
		prog_pending = 0;
		syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGBUS);
	}
	return r;
}

SHIM_EXPORT int sigprocmask(int, const sigset_t *, sigset_t *);
SHIM_EXPORT int
sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	static sigmask_fn fn;

	if (fn == NULL)
		fn = (sigmask_fn)shim_next("sigprocmask");
	return mask_call(fn, how, set, old);
}

SHIM_EXPORT int pthread_sigmask(int, const sigset_t *, sigset_t *);
SHIM_EXPORT int
pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	static sigmask_fn fn;

	if (fn == NULL)
		fn = (sigmask_fn)shim_next("pthread_sigmask");
	return mask_call(fn, how, set, old);
}
