/*
 * shim-log.c: CHAOS_LOG. One line per injection, rate-limited (a burst
 * of 20, then 10 a second; what is dropped is counted and said), and a
 * per-rule summary at exit. Written with raw write(2) so that logging
 * never goes through the shim's own hooks or stdio buffers.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
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

void
shim_log_open(const char *spec)
{
	if (spec == NULL || *spec == '\0')
		return;
	if (strcmp(spec, "stderr") == 0) {
		log_fd = 2;
		return;
	}
	log_fd = (int)syscall(SYS_openat, AT_FDCWD, spec,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (log_fd < 0)
		shim_warn("CHAOS_LOG: cannot open %s: %s", spec,
		    strerror(errno));
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
