/*
 * fdtab.c: what each descriptor refers to (the path it was opened from,
 * its peer, its type), indexed by fd. Filled when the shim sees the
 * descriptor being made (open, accept, connect, dup) and lazily from
 * /proc/self/fd and getpeername(2) for those it did not see (inherited
 * across exec, or made while nothing was armed).
 *
 * Entries live in chunks mapped on first use; nothing is ever freed, so a
 * racing reader sees at worst a stale entry, never freed memory. The shim
 * uses raw system calls here, never its own hooks.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#define CHUNK_BITS 10
#define CHUNK_SIZE (1 << CHUNK_BITS)
#define CHUNKS	   1024		/* up to 1M descriptors */

/* entry states */
#define ST_PATH	 1u	/* path[] holds what the fd was opened from */
#define ST_TYPE	 2u	/* type is known */
#define ST_PEER	 4u	/* peer holds the socket's peer (or local) address */
#define ST_NOPEER 8u	/* not a socket, or no address */

struct fdent {
	uint64_t gen;		/* fdtab generation the entry belongs to */
	unsigned state;
	unsigned type;
	uint64_t match_gen;	/* rules generation of the match cache */
	uint64_t match[2];	/* [0] rules decided, [1] rules matched */
	socklen_t peerlen;
	struct sockaddr_storage peer;
	char	 path[FDT_PATH_MAX];
};

static struct fdent *chunks[CHUNKS];
static uint64_t fdtab_gen = 1;

static inline __attribute__((always_inline)) struct fdent *
entry(int fd, int create)
{
	struct fdent *c, *nc;
	unsigned idx;

	if (fd < 0 || (unsigned)fd >= CHUNKS * CHUNK_SIZE)
		return NULL;
	idx = (unsigned)fd >> CHUNK_BITS;
	c = __atomic_load_n(&chunks[idx], __ATOMIC_ACQUIRE);
	if (c == NULL) {
		if (!create)
			return NULL;
		nc = mmap(NULL, sizeof(struct fdent) * CHUNK_SIZE,
		    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (nc == MAP_FAILED)
			return NULL;
		if (!__atomic_compare_exchange_n(&chunks[idx], &c, nc, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			munmap(nc, sizeof(struct fdent) * CHUNK_SIZE);
		else
			c = nc;
	}
	return &c[fd & (CHUNK_SIZE - 1)];
}

/* The entry for fd, reset if it belongs to an older generation. */
static inline __attribute__((always_inline)) struct fdent *
current(int fd)
{
	struct fdent *e = entry(fd, 1);
	uint64_t gen = __atomic_load_n(&fdtab_gen, __ATOMIC_RELAXED);

	if (e != NULL && e->gen != gen) {
		e->state = 0;
		e->match_gen = 0;
		e->gen = gen;
	}
	return e;
}

void
fdtab_invalidate(void)
{
	__atomic_add_fetch(&fdtab_gen, 1, __ATOMIC_RELAXED);
}

void
fdtab_clear(int fd)
{
	struct fdent *e = entry(fd, 0);

	if (e != NULL) {
		e->state = 0;
		e->match_gen = 0;
	}
}

void
fdtab_set_path(int fd, const char *abs)
{
	struct fdent *e = current(fd);

	if (e == NULL)
		return;
	e->state = 0;
	e->match_gen = 0;
	strlcpy_chaos(e->path, abs, sizeof e->path);
	e->state = ST_PATH;
}

void
fdtab_set_peer(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct fdent *e = current(fd);

	if (e == NULL || len > sizeof e->peer)
		return;
	memcpy(&e->peer, sa, len);
	e->peerlen = len;
	e->match_gen = 0;
	e->state = (e->state & ~ST_NOPEER) | ST_PEER;
}

void
fdtab_dup(int from, int to)
{
	struct fdent *src, *dst;
	const char *path;

	if (from == to)
		return;
	path = fdtab_path(from);	/* fills src lazily */
	src = current(from);
	dst = current(to);
	if (src == NULL || dst == NULL)
		return;
	dst->state = 0;
	dst->match_gen = 0;
	if (path != NULL)
		strlcpy_chaos(dst->path, path, sizeof dst->path);
	dst->type = src->type;
	dst->peer = src->peer;
	dst->peerlen = src->peerlen;
	dst->state = src->state;
}

const char *
fdtab_path(int fd)
{
	struct fdent *e = current(fd);
	char link[64];
	long n;

	if (e == NULL)
		return NULL;
	if (e->state & ST_PATH)
		return e->path;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = syscall(SYS_readlink, link, e->path, sizeof e->path - 1);
	if (n <= 0)
		return NULL;
	e->path[n] = '\0';
	e->state |= ST_PATH;
	return e->path;
}

unsigned
fdtab_type(int fd)
{
	struct fdent *e = current(fd);
	struct stat st;

	if (e == NULL)
		return 0;
	if (!(e->state & ST_TYPE)) {
		if (syscall(SYS_fstat, fd, &st) != 0)
			return 0;
		if (S_ISSOCK(st.st_mode))
			e->type = FDTYPE_SOCKET;
		else if (S_ISFIFO(st.st_mode))
			e->type = FDTYPE_PIPE;
		else
			e->type = FDTYPE_FILE;
		e->state |= ST_TYPE;
	}
	return e->type;
}

int
fdtab_peer(int fd, struct sockaddr_storage *ss, socklen_t *len)
{
	struct fdent *e = current(fd);
	socklen_t l = sizeof e->peer;

	if (e == NULL)
		return -1;
	if (e->state & ST_NOPEER)
		return -1;
	if (!(e->state & ST_PEER)) {
		/* connected: the peer; listening or unbound: the local end */
		if (syscall(SYS_getpeername, fd, &e->peer, &l) != 0) {
			l = sizeof e->peer;
			if (syscall(SYS_getsockname, fd, &e->peer, &l) != 0 ||
			    (e->peer.ss_family != AF_INET &&
			    e->peer.ss_family != AF_INET6)) {
				e->state |= ST_NOPEER;
				return -1;
			}
			/* not cached: the socket may connect later */
			*ss = e->peer;
			*len = l;
			return 0;
		}
		e->peerlen = l;
		e->state |= ST_PEER;
	}
	*ss = e->peer;
	*len = e->peerlen;
	return 0;
}

/*
 * The rules already found not to match fd's path under this rule set:
 * the shim's early exit, so it reads and never fills.
 */
uint64_t
fdtab_rejects(int fd, uint64_t rules_gen)
{
	const struct fdent *c, *e;

	if ((unsigned)fd >= CHUNKS * CHUNK_SIZE)
		return 0;
	c = __atomic_load_n(&chunks[(unsigned)fd >> CHUNK_BITS],
	    __ATOMIC_ACQUIRE);
	if (c == NULL)
		return 0;
	e = &c[fd & (CHUNK_SIZE - 1)];
	if (e->gen != __atomic_load_n(&fdtab_gen, __ATOMIC_RELAXED) ||
	    e->match_gen != rules_gen)
		return 0;
	return e->match[0] & ~e->match[1];
}

/*
 * Does the path fd was opened from match rule i's glob? Decided once per
 * descriptor and rule set, then answered from the entry's cache.
 */
int
fdtab_match_path(int fd, uint64_t rules_gen, int i, const char *pattern)
{
	struct fdent *e = current(fd);
	uint64_t bit = 1ull << i;
	int hit;

	if (e == NULL)
		return 0;
	if (e->match_gen == rules_gen) {
		if (e->match[0] & bit)
			return (e->match[1] & bit) != 0;
	} else {
		e->match[0] = e->match[1] = 0;
		e->match_gen = rules_gen;
	}
	if (!(e->state & ST_PATH) && fdtab_path(fd) == NULL)
		return 0;
	hit = fnmatch_chaos(pattern, e->path) == 0;
	e->match[0] |= bit;
	if (hit)
		e->match[1] |= bit;
	return hit;
}

/* ------------------------------------------------------------------ */

int
path_absolute(int dirfd, const char *path, char *out, size_t len)
{
	size_t bl, pl = strlen(path);

	if (path[0] == '/') {
		if (pl >= len)
			return -1;
		memcpy(out, path, pl + 1);
	} else {
		if (dirfd == AT_FDCWD) {
			long n = syscall(SYS_getcwd, out, len);

			if (n <= 0)
				return -1;
		} else {
			const char *base = fdtab_path(dirfd);

			if (base == NULL || base[0] != '/' ||
			    strlcpy_chaos(out, base, len) >= len)
				return -1;
		}
		bl = strlen(out);
		if (pl == 0)		/* AT_EMPTY_PATH: the dirfd itself */
			return 0;
		if (bl + 1 + pl >= len)
			return -1;
		out[bl] = '/';
		memcpy(out + bl + 1, path, pl + 1);
	}
	path_normalize(out);
	return 0;
}
