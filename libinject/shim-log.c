/*
 * shim-log.c: every line the shim writes, in one format that chaosd
 * parses (libinject(7), LOG LINES):
 *
 *	libinject[PID] EXE: EVENT [KEY=VALUE]... [-- TEXT]
 *
 * Values never hold a blank: bytes below '!' or above '~', and the
 * backslash, are written \xNN. EVENT is one of attached, refused, gone,
 * error, inject, summary. Warnings (refused, gone, error) go to
 * CHAOS_LOG_FD when it is set, else to stderr; the log proper (attached,
 * inject, summary) goes to CHAOS_LOG_FD, or CHAOS_LOG (stderr or a
 * file), or nowhere. Injection lines are rate-limited (a burst of 20,
 * then 10 a second; what is dropped is counted and said); the summary
 * gives each rule's counts in this process at exit.
 *
 * Written with raw write(2), so that logging never goes through the
 * shim's own hooks or stdio buffers. A log file is opened without
 * following symbolic links, and a log descriptor (opened here, or
 * inherited as CHAOS_LOG_FD) must be a regular file of root's or ours
 * that no one else may write (log_check); before each line the shim
 * checks that the descriptor is still that file, so that a program
 * that closed it and reused its number never gets the shim's lines.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#define BURST	20
#define PER_SEC	10

struct log_dest {
	int	 fd;		/* -1: none */
	int	 check;		/* not stderr: make sure it is still the file */
	dev_t	 dev;
	ino_t	 ino;
};

static struct log_dest logd = { .fd = -1 };	/* attached, inject, summary */
static struct log_dest warnd = { .fd = 2 };	/* refused, gone, error */
static uint64_t bucket_ns;	/* time at which the bucket is full again */
static uint64_t dropped;

/* Async-signal-safe: the SIGBUS handler writes through it too. */
static void
put_line(struct log_dest *d, const char *buf, size_t len)
{
	struct stat st;

	if (d->fd < 0)
		return;
	if (d->check && (syscall(SYS_fstat, d->fd, &st) != 0 ||
	    st.st_dev != d->dev || st.st_ino != d->ino)) {
		d->fd = -1;	/* closed, or another file now: not ours */
		return;
	}
	while (len > 0) {
		long n = syscall(SYS_write, d->fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* A value with no blank in it: see the top of the file. */
void
shim_field(char *dst, size_t len, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	for (; *s != '\0' && o + 5 < len; s++) {
		if (*s > ' ' && *s < 0x7f && *s != '\\') {
			dst[o++] = (char)*s;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*s >> 4];
			dst[o++] = hex[*s & 0xf];
		}
	}
	if (len > 0)
		dst[o] = '\0';
}

/* "libinject[PID] EXE: " into buf: its length */
int
shim_line_prefix(char *buf, size_t len)
{
	char exe[REACH_EXE_MAX * 4 + 1];
	int n;

	shim_field(exe, sizeof exe, shim_exe());
	n = snprintf(buf, len, "libinject[%ld] %s: ",
	    (long)syscall(SYS_getpid), exe[0] != '\0' ? exe : "?");
	return n < 0 ? 0 : n;
}

static void
vline(struct log_dest *d, const char *fmt, va_list ap)
{
	char line[1024];
	int n, e = errno;

	if (d->fd < 0)
		return;
	n = shim_line_prefix(line, sizeof line);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	put_line(d, line, (size_t)n);
	errno = e;
}

void
shim_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(&warnd, fmt, ap);
	va_end(ap);
}

void
shim_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(&logd, fmt, ap);
	va_end(ap);
}

/* The SIGBUS handler's line, written as it is (async-signal-safe). */
void
shim_warn_raw(const char *line, size_t len)
{
	put_line(&warnd, line, len);
}

/*
 * Is this descriptor fit to append our lines to? A regular file with one
 * link, owned by root or by us, that no group or other user may write:
 * a log planted by another user (a symbolic link, a hard link, a FIFO, a
 * file of theirs) must not make a privileged process write where they
 * want. 0 with d filled, or -1 with why filled.
 */
static int
log_check(int fd, struct log_dest *d, char *why, size_t len)
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
	d->fd = fd;
	d->check = 1;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	return 0;
}

/*
 * CHAOS_LOG_FD=N[:DEV:INO]: a descriptor chaosd handed down, kept for our
 * children. With DEV:INO (chaosd always gives them), the descriptor must
 * still be that file: a program that closed chaosd's log and reused the
 * number for a file of its own passes it to its children under the same
 * variable, and they must not write in it.
 */
static int
log_open_fd(const char *spec)
{
	char why[160], *end, name[64];
	unsigned long long dev = 0, ino = 0;
	struct stat st;
	int fl, bound = 0, bad;
	long fd;

	errno = 0;
	fd = strtol(spec, &end, 10);
	bad = end == spec;
	if (*end == ':' && !bad) {
		dev = strtoull(end + 1, &end, 10);
		bad = *end != ':';
		if (!bad)
			ino = strtoull(end + 1, &end, 10);
		bound = 1;
	}
	if (bad || errno != 0 || *end != '\0' || fd < 0 || fd > 1 << 20) {
		shim_field(name, sizeof name, spec);
		shim_warn("error var=CHAOS_LOG_FD -- '%s': not a descriptor "
		    "number (N or N:DEV:INO)", name);
		return -1;
	}
	fl = (int)syscall(SYS_fcntl, (int)fd, F_GETFL);
	/* closed by a program between chaosd and us (Python's subprocess
	   closes what it does not pass on), or reused for another file: as
	   if never set, no warning on a stderr that may be the program's
	   own output */
	if (fl < 0 && errno == EBADF)
		return -1;
	if (bound && fl >= 0 && (syscall(SYS_fstat, (int)fd, &st) != 0 ||
	    (unsigned long long)st.st_dev != dev ||
	    (unsigned long long)st.st_ino != ino))
		return -1;
	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
		shim_warn("error var=CHAOS_LOG_FD -- %ld: %s", fd, fl < 0 ?
		    strerror(errno) : "not open for writing");
		return -1;
	}
	if (log_check((int)fd, &logd, why, sizeof why) != 0) {
		shim_warn("error var=CHAOS_LOG_FD -- %ld: %s", fd, why);
		return -1;
	}
	warnd = logd;
	return 0;
}

void
shim_log_open(const char *spec, const char *fdspec)
{
	char why[160], name[512];
	int fd;

	if (fdspec != NULL && log_open_fd(fdspec) == 0)
		return;		/* CHAOS_LOG_FD wins over CHAOS_LOG */
	if (spec == NULL)
		return;
	if (strcmp(spec, "stderr") == 0) {
		logd.fd = 2;
		return;
	}
	shim_field(name, sizeof name, spec);
	/* O_NONBLOCK: a FIFO must be refused, not waited on */
	fd = (int)syscall(SYS_openat, AT_FDCWD, spec, O_WRONLY | O_APPEND |
	    O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == ELOOP)
			shim_warn("error var=CHAOS_LOG -- %s: a symbolic link: "
			    "refused; nothing logged", name);
		else if (errno == ENXIO)	/* a FIFO with no reader */
			shim_warn("error var=CHAOS_LOG -- %s: not a regular "
			    "file: refused; nothing logged", name);
		else
			shim_warn("error var=CHAOS_LOG -- cannot open %s: %s; "
			    "nothing logged", name, strerror(errno));
		return;
	}
	if (log_check(fd, &logd, why, sizeof why) != 0) {
		shim_warn("error var=CHAOS_LOG -- %s: %s; nothing logged",
		    name, why);
		syscall(SYS_close, fd);
		return;
	}
	syscall(SYS_fcntl, fd, F_SETFL, O_WRONLY | O_APPEND);
}

int
shim_logging(void)
{
	return logd.fd >= 0;
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

static const struct {
	unsigned	 bit;
	const char	*name;
} actions[] = {
	{ ACT_ERROR, "error" }, { ACT_RETVAL, "retval" },
	{ ACT_DELAY, "delay" }, { ACT_SIGNAL, "signal" },
	{ ACT_EXIT, "exit" }, { ACT_SHORT, "short" },
	{ ACT_CORRUPT, "corrupt" },
};

void
shim_log_injection(const struct rule *r, const struct shim_call *c,
    int from_table)
{
	char line[1024], target[600] = "", act[80] = "";
	uint64_t lost;
	size_t k;
	int n;

	if (logd.fd < 0)
		return;
	if (!allowed()) {
		__atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
		return;
	}
	if (c->path != NULL) {
		strcpy(target, " path=");
		shim_field(target + 6, sizeof target - 6, c->path);
	} else if (c->host != NULL) {
		strcpy(target, " host=");
		shim_field(target + 6, sizeof target - 6, c->host);
	} else if (c->fd >= 0) {
		snprintf(target, sizeof target, " fd=%d", c->fd);
	}
	for (k = 0; k < sizeof actions / sizeof actions[0]; k++)
		if (r->actions & actions[k].bit)
			snprintf(act + strlen(act), sizeof act - strlen(act),
			    "%s%s", act[0] ? "," : "", actions[k].name);
	lost = __atomic_exchange_n(&dropped, 0, __ATOMIC_RELAXED);
	n = shim_line_prefix(line, sizeof line);
	n += snprintf(line + n, sizeof line - (size_t)n,
	    "inject rule=%s call=%s%s action=%s", r->name,
	    hook_table[c->hook].name, target, act);
	if ((size_t)n < sizeof line && r->actions & ACT_ERROR) {
		const char *name = r->error_eai ? eai_name(r->error) :
		    errno_name(r->error);

		if (name != NULL)
			n += snprintf(line + n, sizeof line - (size_t)n,
			    " error=%s", name);
		else
			n += snprintf(line + n, sizeof line - (size_t)n,
			    " error=%d", r->error);
	}
	if ((size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, " source=%s",
		    from_table ? "table" : "own");
	if ((size_t)n < sizeof line && lost)
		n += snprintf(line + n, sizeof line - (size_t)n,
		    " unlogged=%llu", (unsigned long long)lost);
	if (n < 0 || (size_t)n >= sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	put_line(&logd, line, (size_t)n);
}

static int summary_done;

/*
 * Each rule's counts in this process (since its exec, or its fork): at
 * its end (once), and before it execs (again: the counts start over
 * should the exec fail, see shim_exec_summary).
 */
void
shim_log_summary(int again)
{
	const struct shim_state *st;
	int i;

	if (logd.fd < 0)
		return;
	if (again)
		__atomic_store_n(&summary_done, 0, __ATOMIC_RELAXED);
	else if (__atomic_exchange_n(&summary_done, 1, __ATOMIC_RELAXED))
		return;
	st = atomic_load_explicit(&shim.cur, memory_order_acquire);
	if (st == NULL)
		return;
	for (i = 0; i < st->rules.n; i++) {
		const struct shim_rule *sr = &st->comp[i];

		shim_log("summary rule=%s matched=%llu injected=%llu "
		    "source=%s", st->rules.rule[i].name,
		    (unsigned long long)atomic_load(sr->pmatched),
		    (unsigned long long)atomic_load(sr->pinjected),
		    sr->from_table ? "table" : "own");
	}
}
