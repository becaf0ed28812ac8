/*
 * table-guard.c: a fault table cut short never crashes chaosd.
 *
 * chaosd maps the fault tables it arms, reads and disarms, and their
 * reach files, shared. Once such a file is truncated under it (truncate
 * -s 0 by a workload running as root, a full disk, a careless cleanup),
 * the next load from the mapping is a SIGBUS, which would kill chaosd run
 * in the middle of a game day: no report, and the rollback left to the
 * guardian. While a table is mapped (libchaos tells us through
 * table_watch), a SIGBUS inside one of its mappings replaces that
 * mapping with private zero pages, notes that it was cut, and returns:
 * the load runs again and reads a disarmed, empty table. The run goes
 * on, reverts everything, and says in its verdict that the fault did not
 * hold (kind-inject.c). Any other SIGBUS is a bug of ours, and kills as
 * it would have: the handler puts SIG_DFL back and returns to the fault.
 * Only async-signal-safe calls run in the handler.
 */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "chaosd.h"

#define GUARD_MAX	64		/* mappings at once */

struct guard_range {
	volatile uintptr_t	 lo, hi;	/* 0, 0: a free slot */
	volatile sig_atomic_t	 cut;
};

static struct guard_range ranges[GUARD_MAX];
static size_t page = 4096;

static void
on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	struct sigaction dfl;
	int	i;

	(void)uctx;
	for (i = 0; i < GUARD_MAX; i++) {
		uintptr_t lo = ranges[i].lo, hi = ranges[i].hi;

		if (lo == 0 || a < lo || a >= hi)
			continue;
		if (mmap((void *)lo, hi - lo, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			break;
		ranges[i].cut = 1;
		return;
	}
	/* not ours: the fault again, and death */
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
}

static void
watch(void *addr, size_t len, int mapped)
{
	uintptr_t lo = (uintptr_t)addr;
	int	 i;

	if (!mapped) {
		for (i = 0; i < GUARD_MAX; i++)
			if (ranges[i].lo == lo) {
				ranges[i].hi = ranges[i].lo = 0;
				ranges[i].cut = 0;
			}
		return;
	}
	for (i = 0; i < GUARD_MAX; i++)
		if (ranges[i].lo == 0) {
			ranges[i].cut = 0;
			/* whole pages: the mapping's extent */
			ranges[i].hi = lo + (len + page - 1) / page * page;
			ranges[i].lo = lo;
			return;
		}
	/* no slot: that mapping is not guarded (64 tables at once) */
}

/* From main(), before any command runs. */
void
table_guard_install(void)
{
	struct sigaction sa;
	long	 ps = sysconf(_SC_PAGESIZE);

	if (ps > 0)
		page = (size_t)ps;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) == 0)
		table_watch = watch;
}

/* 1 if the mapping at addr was cut short under us (and replaced). */
int
table_guard_cut(const void *addr)
{
	int	i;

	for (i = 0; i < GUARD_MAX; i++)
		if (ranges[i].lo != 0 && ranges[i].lo == (uintptr_t)addr)
			return (ranges[i].cut != 0);
	return (0);
}
