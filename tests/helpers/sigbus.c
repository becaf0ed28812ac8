/*
 * sigbus: SIGBUS, the program's own and the shim's, side by side.
 *
 *	sigbus MODE FILE [TABLE]
 *
 * Modes that fault on a mapping of the helper's own (FILE, one page,
 * truncated to 0 while mapped, then touched):
 *   own      its own SA_SIGINFO handler catches it (siglongjmp out):
 *            "own=caught addr=ok|wrong query=own|other"; query is what
 *            sigaction(SIGBUS, NULL, &old) gives back afterwards
 *   signal   the same through signal(2): "signal=caught query=own|other"
 *   dfl      no handler: the process dies of SIGBUS
 *   ign      SIG_IGN: a fault cannot be ignored, it dies of SIGBUS
 *   kill-ign SIG_IGN, then raise(SIGBUS): ignored, "raised=ignored"
 *
 * And one that truncates the fault table the shim maps (TABLE), between
 * two writes of one byte to FILE:
 *   table    "before=RESULT after=RESULT" (RESULT: ok, or the errno name)
 *   table-masked  the same with every signal blocked first, then
 *            "masked=yes|no": whether SIGBUS still reads as blocked
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

#include "helper.h"

static sigjmp_buf back;
static volatile void *fault_at;
static volatile sig_atomic_t caught;
static char *page;

static void
on_bus_info(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	caught = 1;
	fault_at = si->si_addr;
	siglongjmp(back, 1);
}

static void
on_bus(int sig)
{
	(void)sig;
	caught = 1;
	siglongjmp(back, 1);
}

static void
die(const char *what)
{
	fprintf(stderr, "sigbus: %s: %s\n", what, strerror(errno));
	exit(99);
}

/* Map FILE (one page), then cut it to nothing under the mapping. */
static void
own_mapping(const char *file)
{
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, 4096) != 0)
		die(file);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (page == MAP_FAILED)
		die("mmap");
	page[0] = 1;
	if (ftruncate(fd, 0) != 0)
		die("ftruncate");
	close(fd);
}

static void
touch(void)
{
	*(volatile char *)page = 2;
}

static const char *
one_write(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0600);
	const char *r = "ok";

	if (fd < 0)
		return h_errname(errno);
	if (write(fd, "x", 1) != 1)
		r = h_errname(errno);
	close(fd);
	return r;
}

int
main(int argc, char **argv)
{
	struct sigaction sa, old;
	const char *mode, *file;

	if (argc < 3)
		h_usage("sigbus", "own|signal|dfl|ign|kill-ign|table FILE [TABLE]");
	mode = argv[1];
	file = argv[2];
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);

	if (strncmp(mode, "table", 5) == 0) {
		const char *before;
		sigset_t all, cur;

		if (argc != 4)
			h_usage("sigbus", "table|table-masked FILE TABLE");
		if (strcmp(mode, "table-masked") == 0) {
			sigfillset(&all);
			if (sigprocmask(SIG_BLOCK, &all, NULL) != 0)
				die("sigprocmask");
		}
		before = one_write(file);
		if (truncate(argv[3], 0) != 0)
			die(argv[3]);
		h_say("before=%s after=%s", before, one_write(file));
		if (strcmp(mode, "table-masked") == 0) {
			if (pthread_sigmask(SIG_BLOCK, NULL, &cur) != 0)
				die("pthread_sigmask");
			h_say("masked=%s", sigismember(&cur, SIGBUS) == 1 ?
			    "yes" : "no");
		}
		return 0;
	}
	if (strcmp(mode, "kill-ign") == 0) {
		sa.sa_handler = SIG_IGN;
		if (sigaction(SIGBUS, &sa, NULL) != 0)
			die("sigaction");
		raise(SIGBUS);
		h_say("raised=ignored");
		return 0;
	}
	own_mapping(file);
	if (strcmp(mode, "own") == 0) {
		sa.sa_sigaction = on_bus_info;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGBUS, &sa, NULL) != 0)
			die("sigaction");
		if (sigsetjmp(back, 1) == 0)
			touch();
		if (sigaction(SIGBUS, NULL, &old) != 0)
			die("sigaction");
		h_say("own=%s addr=%s query=%s", caught ? "caught" : "none",
		    fault_at == page ? "ok" : "wrong",
		    old.sa_flags & SA_SIGINFO &&
		    old.sa_sigaction == on_bus_info ? "own" : "other");
		return 0;
	}
	if (strcmp(mode, "signal") == 0) {
		if (signal(SIGBUS, on_bus) == SIG_ERR)
			die("signal");
		if (sigsetjmp(back, 1) == 0)
			touch();
		h_say("signal=%s query=%s", caught ? "caught" : "none",
		    signal(SIGBUS, SIG_DFL) == on_bus ? "own" : "other");
		return 0;
	}
	if (strcmp(mode, "ign") == 0) {
		sa.sa_handler = SIG_IGN;
		if (sigaction(SIGBUS, &sa, NULL) != 0)
			die("sigaction");
	} else if (strcmp(mode, "dfl") != 0) {
		h_usage("sigbus", "own|signal|dfl|ign|kill-ign|table FILE [TABLE]");
	}
	touch();
	h_say("survived");
	return 1;
}
