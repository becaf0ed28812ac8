/*
 * decide.c: for one intercepted call, which armed rule (if any) fires,
 * and what it does. Filters are tried cheapest first; every rule whose
 * filters and window match counts the call as matched, and the first one
 * whose trigger fires injects.
 */
#include "config.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

int
fnmatch_chaos(const char *pattern, const char *string)
{
	int r;

	/*
	 * '*' also crosses '/': a glob ending in a star covers the whole
	 * tree. fnmatch may allocate: the only call of the shim's own that
	 * can come back into a hook, so the only one under the guard (a
	 * signal handler interrupting the shim elsewhere is still faulted).
	 */
	shim_guard++;
	r = fnmatch(pattern, string, 0);
	shim_guard--;
	return r;
}

/* What the filters learned about this call, computed at most once. */
struct lazy {
	int	 path_done;
	char	 path[FDT_PATH_MAX];	/* absolute path named by the call */
	int	 path_ok;
	int	 path2_done;
	char	 path2[FDT_PATH_MAX];
	int	 path2_ok;
	int	 peer_done;
	int	 peer_ok;
	struct sockaddr_storage peer;
	socklen_t peerlen;
};

static int
match_fd_path(const struct shim_state *st, const struct rule *r, int i,
    int fd)
{
	return fdtab_match_path(fd, st->rules_gen, i, r->path);
}

static int
match_path(const struct shim_state *st, const struct shim_call *c,
    const struct rule *r, int i, struct lazy *lz)
{
	unsigned flags = hook_table[c->hook].flags;

	if (flags & F_PATH && c->path != NULL) {
		if (!lz->path_done) {
			lz->path_done = 1;
			lz->path_ok = path_absolute(flags & F_AT ? c->dirfd :
			    AT_FDCWD, c->path, lz->path, sizeof lz->path) == 0;
		}
		if (lz->path_ok && fnmatch_chaos(r->path, lz->path) == 0)
			return 1;
		if (c->path2 != NULL) {
			if (!lz->path2_done) {
				lz->path2_done = 1;
				lz->path2_ok = path_absolute(flags & F_AT ?
				    c->dirfd2 : AT_FDCWD, c->path2, lz->path2,
				    sizeof lz->path2) == 0;
			}
			if (lz->path2_ok &&
			    fnmatch_chaos(r->path, lz->path2) == 0)
				return 1;
		}
		return 0;
	}
	if (c->fd >= 0 && match_fd_path(st, r, i, c->fd))
		return 1;
	if (flags & F_FD2 && c->fd2 >= 0)
		return match_fd_path(st, r, i, c->fd2);
	return 0;
}

static int
match_peer(const struct shim_call *c, const struct rule *r, struct lazy *lz)
{
	if (!lz->peer_done) {
		lz->peer_done = 1;
		if (hook_table[c->hook].flags & F_ADDR && c->addr != NULL &&
		    c->addrlen <= sizeof lz->peer) {
			memcpy(&lz->peer, c->addr, c->addrlen);
			lz->peerlen = c->addrlen;
			lz->peer_ok = 1;
		} else if (c->fd >= 0) {
			lz->peer_ok = fdtab_peer(c->fd, &lz->peer,
			    &lz->peerlen) == 0;
		}
	}
	if (!lz->peer_ok)
		return 0;
	if (r->filters & FILT_ADDR && !cidr_match(&r->addr,
	    (const struct sockaddr *)&lz->peer, lz->peerlen))
		return 0;
	if (r->filters & FILT_PORT) {
		int port = sockaddr_port((const struct sockaddr *)&lz->peer,
		    lz->peerlen);

		if (port < r->port_lo || port > r->port_hi)
			return 0;
	}
	return 1;
}

static int
match_filters(const struct shim_state *st, const struct shim_call *c,
    const struct rule *r, int i, struct lazy *lz)
{
	unsigned f = r->filters;

	if (f & FILT_FDTYPE) {
		unsigned t = c->fd >= 0 ? fdtab_type(c->fd) : 0;

		if (!(t & r->fdtype))
			return 0;
	}
	if (f & FILT_HOST && (c->host == NULL ||
	    fnmatch_chaos(r->host, c->host) != 0))
		return 0;
	if (f & (FILT_ADDR | FILT_PORT) && !match_peer(c, r, lz))
		return 0;
	if (f & FILT_PATH && !match_path(st, c, r, i, lz))
		return 0;
	return 1;
}

static int
in_window(const struct shim_state *st, const struct rule *r,
    const struct shim_rule *sr, uint64_t *now)
{
	uint64_t t;

	if (sr->from_table) {
		if (shim.table == NULL || atomic_load_explicit(
		    &shim.table->h.killed, memory_order_relaxed))
			return 0;
		if (*now == 0)
			*now = shim_now_ns();
		if (*now >= st->deadline_ns) {
			/* dormant again, for all; a reader only ignores it */
			if (!shim.table_ro)
				table_expire(shim.table);
			return 0;
		}
	}
	if (r->start_ns == 0 && r->for_ns == 0)
		return 1;
	if (*now == 0)
		*now = shim_now_ns();
	if (*now < sr->base_ns)
		return 0;
	t = *now - sr->base_ns;
	if (t < r->start_ns)
		return 0;
	return r->for_ns == 0 || t < r->start_ns + r->for_ns;
}

static struct prng *
thread_prng(void *arg)
{
	(void)arg;
	return shim_prng();
}

static int
trigger(const struct rule *r, const struct shim_rule *sr, uint64_t m)
{
	if (!trigger_due(m, r->after, r->nth, sr->threshold, thread_prng,
	    NULL))
		return 0;
	if (r->count) {
		uint64_t cur = atomic_load_explicit(sr->injected,
		    memory_order_relaxed);

		do {
			if (cur >= r->count)
				return 0;
		} while (!atomic_compare_exchange_weak(sr->injected, &cur,
		    cur + 1));
	} else {
		atomic_fetch_add_explicit(sr->injected, 1,
		    memory_order_relaxed);
	}
	atomic_fetch_add_explicit(sr->pinjected, 1, memory_order_relaxed);
	return 1;
}

static void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ull),
		.tv_nsec = (long)(ns % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

static uint64_t
delay_of(const struct rule *r)
{
	if (r->jitter_ns == 0)
		return r->delay_ns;
	return trigger_jitter(r->delay_ns, r->jitter_ns,
	    prng_next(shim_prng()));
}

static size_t
short_limit(const struct rule *r, size_t bytes)
{
	size_t lim;

	if (r->short_ppm)
		lim = (size_t)((double)bytes * r->short_ppm / 1e6);
	else
		lim = r->short_bytes;
	return lim < 1 ? 1 : lim;
}

static void
apply_short(struct shim_call *c, const struct rule *r)
{
	static __thread struct iovec scratch[16];
	unsigned flags = hook_table[c->hook].flags;

	if (flags & F_IOV && c->iovp != NULL && *c->iovp != NULL) {
		const struct iovec *iov = *c->iovp;
		size_t total = 0, lim, left;
		int k, n = *c->iovcntp;

		for (k = 0; k < n; k++)
			total += iov[k].iov_len;
		if (total == 0)
			return;
		lim = short_limit(r, total);
		if (lim >= total)
			return;
		for (k = 0, left = lim; k < n && k < 16 && left > 0; k++) {
			scratch[k] = iov[k];
			if (scratch[k].iov_len > left)
				scratch[k].iov_len = left;
			left -= scratch[k].iov_len;
		}
		*c->iovp = scratch;
		*c->iovcntp = k;
	} else if (flags & F_ITEMS && c->lenp != NULL && c->size > 0) {
		size_t *nitems = c->lenp, bytes = *nitems * c->size, items;

		if (bytes == 0)
			return;
		items = short_limit(r, bytes) / c->size;
		if (items < 1)
			items = 1;
		if (items < *nitems)
			*nitems = items;
	} else if (flags & F_STR && c->lenp != NULL) {
		int *n = c->lenp;	/* fgets: room for n - 1 characters */

		if (*n > 1) {
			size_t lim = short_limit(r, (size_t)*n - 1);

			if (lim + 1 < (size_t)*n)
				*n = (int)lim + 1;
		}
	} else if (c->lenp != NULL && *(size_t *)c->lenp > 0) {
		size_t *n = c->lenp, lim = short_limit(r, *n);

		if (lim < *n)
			*n = lim;
	}
}

static void
flip_bits(unsigned char *p, size_t n, uint32_t bits)
{
	struct prng *g = shim_prng();

	while (n > 0 && bits-- > 0) {
		uint64_t x = prng_next(g);

		p[(x >> 3) % n] ^= (unsigned char)(1u << (x & 7));
	}
}

void
corrupt_result(struct shim_call *c, long ret)
{
	unsigned flags = hook_table[c->hook].flags;
	unsigned char *buf = (unsigned char *)(uintptr_t)c->buf;
	size_t n;

	if (flags & F_STR) {
		if (ret == 0 || buf == NULL)
			return;
		flip_bits(buf, strlen((char *)buf), c->corrupt_bits);
		return;
	}
	if (ret <= 0)
		return;
	if (flags & F_IOV) {
		const struct iovec *iov = *c->iovp;
		size_t left = (size_t)ret, total = (size_t)ret;
		uint32_t b;
		int k;

		/* spread the flips over the bytes actually read */
		for (b = 0; b < c->corrupt_bits; b++) {
			uint64_t at = prng_next(shim_prng()) % total;

			for (k = 0, left = at; k < *c->iovcntp; k++) {
				if (left < iov[k].iov_len) {
					flip_bits((unsigned char *)iov[k].iov_base
					    + left, 1, 1);
					break;
				}
				left -= iov[k].iov_len;
			}
		}
		return;
	}
	if (buf == NULL)
		return;
	n = (size_t)ret;
	if (flags & F_ITEMS)
		n *= c->size;
	flip_bits(buf, n, c->corrupt_bits);
}

/* r is the caller's copy: a delay may outlive the state it came from */
static int
act(struct shim_call *c, int i, const struct rule *r, int from_table)
{
	unsigned a = r->actions;
	unsigned flags = hook_table[c->hook].flags;

	c->rule = i;
	shim_log_injection(r, c, from_table);
	if (a & ACT_DELAY)
		sleep_ns(delay_of(r));
	if (a & ACT_SIGNAL)
		raise(r->signal);	/* a handler returning: the call goes on */
	if (a & ACT_EXIT) {
		shim_log_summary(0);
		syscall(SYS_exit_group, r->exit_status);
	}
	if (a & ACT_ERROR) {
		if (flags & F_EAI) {	/* the code in retval, h_errno from it */
			if (r->error_eai) {
				c->retval = r->error;
				c->err = errno;
			} else {
				c->retval = EAI_SYSTEM;
				c->err = r->error;
			}
			return SHIM_FAIL;
		}
		c->err = r->error;
		if (a & ACT_RETVAL) {
			c->retval = r->retval;
			return SHIM_RETVAL;
		}
		return SHIM_FAIL;
	}
	if (a & ACT_RETVAL) {
		c->err = 0;
		c->retval = r->retval;
		return SHIM_RETVAL;
	}
	if (a & ACT_SHORT)
		apply_short(c, r);
	if (a & ACT_CORRUPT) {
		c->corrupt_bits = r->corrupt_bits;
		c->after |= AFTER_CORRUPT;
	}
	return SHIM_PASS;
}

int
decide(struct shim_call *c)
{
	const struct shim_state *st = atomic_load_explicit(&shim.cur,
	    memory_order_acquire);
	struct rule fired_rule;
	uint64_t mask, now = 0;
	struct lazy lz;
	int fired = -1, from_table = 0;

	if (st == NULL)
		return SHIM_PASS;
	mask = st->hook_rules[c->hook];
	lz.path_done = lz.path2_done = lz.peer_done = 0;
	while (mask) {
		int i = __builtin_ctzll(mask);
		const struct rule *r = &st->rules.rule[i];
		const struct shim_rule *sr = &st->comp[i];
		uint64_t m;

		mask &= mask - 1;
		if (r->filters && !match_filters(st, c, r, i, &lz))
			continue;
		if (!in_window(st, r, sr, &now))
			continue;
		m = atomic_fetch_add_explicit(sr->matched, 1,
		    memory_order_relaxed) + 1;
		atomic_fetch_add_explicit(sr->pmatched, 1,
		    memory_order_relaxed);
		if (fired < 0 && trigger(r, sr, m)) {
			fired = i;
			fired_rule = *r;
			from_table = sr->from_table;
		}
	}
	if (fired < 0)
		return SHIM_PASS;
	return act(c, fired, &fired_rule, from_table);
}
