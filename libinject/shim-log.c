/*
 * shim-log.c: CHAOS_LOG. One line per injection, rate-limited (a burst
 * of 20, then 10 a second; what is dropped is counted and said), and a
 * per-rule summary at exit. Written with raw write(2) so that logging
 * never goes through the shim's own hooks or stdio buffers. A log file
 * is opened without following symbolic links and must be a regular file
 * of root's or ours that no one else may write (log_check).
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#define BURST	20
#define PER_SEC	10

static int log_fd = -1;
static uint64_t bucket_ns;	/* time at which the bucket is full again */
static uint64_t dropped;

static void
raw_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		long n = syscall(SYS_write, fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void
shim_warn(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n, e = errno;

	n = snprintf(line, sizeof line, "libinject: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	raw_write(2, line, strlen(line));
	errno = e;
}

/*
 * Is this descriptor fit to append our lines to? A regular file with one
 * link, owned by root or by us, that no group or other user may write:
 * a log planted by another user (a symbolic link, a hard link, a FIFO, a
 * file of theirs) must not make a privileged process write where they
 * want. 0, or -1 with why filled.
 */
static int
log_check(int fd, char *why, size_t len)
{
	struct stat st;

	if (syscall(SYS_fstat, fd, &st) != 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file: refused");
		return -1;
	}
	if (st.st_nlink != 1) {
		snprintf(why, len, "has %lu hard links: refused",
		    (unsigned long)st.st_nlink);
		return -1;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, len, "owned by uid %u, neither root nor us: "
		    "refused", (unsigned)st.st_uid);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len, "group- or world-writable (mode %04o): "
		    "refused", (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

void
shim_log_open(const char *spec)
{
	char why[160];
	int fd;

	if (spec == NULL || *spec == '\0')
		return;
	if (strcmp(spec, "stderr") == 0) {
		log_fd = 2;
		return;
	}
	/* O_NONBLOCK: a FIFO must be refused, not waited on */
	fd = (int)syscall(SYS_openat, AT_FDCWD, spec, O_WRONLY | O_APPEND |
	    O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == ELOOP)
			shim_warn("CHAOS_LOG: %s: a symbolic link: refused; "
			    "nothing logged", spec);
		else if (errno == ENXIO)	/* a FIFO with no reader */
			shim_warn("CHAOS_LOG: %s: not a regular file: "
			    "refused; nothing logged", spec);
		else
			shim_warn("CHAOS_LOG: cannot open %s: %s; nothing "
			    "logged", spec, strerror(errno));
		return;
	}
	if (log_check(fd, why, sizeof why) != 0) {
		shim_warn("CHAOS_LOG: %s: %s; nothing logged", spec, why);
		syscall(SYS_close, fd);
		return;
	}
	syscall(SYS_fcntl, fd, F_SETFL, O_WRONLY | O_APPEND);
	log_fd = fd;
}

/* Token bucket: may this line be written now? */
static int
allowed(void)
{
	uint64_t now = shim_now_ns(), step = 1000000000ull / PER_SEC;
	uint64_t full = bucket_ns, next;

	do {
		uint64_t base = full < now ? now : full;

		if (base - now >= BURST * step)
			return 0;
		next = base + step;
	} while (!__atomic_compare_exchange_n(&bucket_ns, &full, next, 0,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return 1;
}

void
shim_log_injection(const struct rule *r, int i, const struct shim_call *c,
    const char *what)
{
	char line[512], target[300] = "";
	uint64_t lost;
	int n;

	(void)i;
	if (log_fd < 0)
		return;
	if (!allowed()) {
		__atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
		return;
	}
	if (c->path != NULL) {
		str_escape(target, sizeof target, c->path);
	} else if (c->host != NULL) {
		str_escape(target, sizeof target, c->host);
	} else if (c->fd >= 0) {
		snprintf(target, sizeof target, "fd %d", c->fd);
	}
	lost = __atomic_exchange_n(&dropped, 0, __ATOMIC_RELAXED);
	n = snprintf(line, sizeof line, "libinject[%ld]: %s: %s(%s)",
	    (long)syscall(SYS_getpid), r->name, hook_table[c->hook].name,
	    target);
	if (what != NULL && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, " %s", what);
	if (n > 0 && (size_t)n < sizeof line && r->actions & ACT_ERROR) {
		const char *name = r->error_eai ? eai_name(r->error) :
		    errno_name(r->error);

		n += snprintf(line + n, sizeof line - (size_t)n, " -> %s",
		    name ? name : "error");
	}
	if (n > 0 && (size_t)n < sizeof line && lost)
		n += snprintf(line + n, sizeof line - (size_t)n,
		    " (%llu lines not logged)", (unsigned long long)lost);
	if (n < 0 || (size_t)n >= sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	raw_write(log_fd, line, (size_t)n);
}

void
shim_log_summary(void)
{
	static int done;
	const struct shim_state *st;
	char line[256];
	int i, n;

	if (log_fd < 0 || __atomic_exchange_n(&done, 1, __ATOMIC_RELAXED))
		return;
	st = atomic_load_explicit(&shim.cur, memory_order_acquire);
	if (st == NULL)
		return;
	for (i = 0; i < st->rules.n; i++) {
		const struct shim_rule *sr = &st->comp[i];

		n = snprintf(line, sizeof line,
		    "libinject[%ld]: summary: %s%s: matched %llu, injected %llu\n",
		    (long)syscall(SYS_getpid), sr->from_table ? "table: " : "",
		    st->rules.rule[i].name,
		    (unsigned long long)atomic_load(sr->matched),
		    (unsigned long long)atomic_load(sr->injected));
		if (n > 0 && (size_t)n < sizeof line)
			raw_write(log_fd, line, (size_t)n);
	}
}
