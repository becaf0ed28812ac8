/*
 * hook-mem.c: the allocator hooks (%mem).
 *
 * dlsym() itself allocates, so until the real allocator is resolved (and
 * while dlsym runs) allocations come from a small static arena, which
 * free() and realloc() recognise. Nothing here may call malloc.
 */
#include "config.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#define ARENA_SIZE (256 * 1024)

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(64)));
static size_t arena_used;

static int
in_arena(const void *p)
{
	return (const unsigned char *)p >= arena &&
	    (const unsigned char *)p < arena + ARENA_SIZE;
}

/* Each block is preceded by its size; memory is never reused (it is zero). */
static void *
arena_alloc(size_t n, size_t align)
{
	size_t off, cur, need;

	if (align < 16)
		align = 16;
	cur = __atomic_load_n(&arena_used, __ATOMIC_RELAXED);
	do {
		off = (cur + 16 + align - 1) & ~(align - 1);
		need = off + ((n + 15) & ~(size_t)15);
		if (need > ARENA_SIZE || n > ARENA_SIZE) {
			errno = ENOMEM;
			return NULL;
		}
	} while (!__atomic_compare_exchange_n(&arena_used, &cur, need, 0,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	memcpy(arena + off - sizeof(size_t), &n, sizeof n);
	return arena + off;
}

static size_t
arena_size(const void *p)
{
	size_t n;

	memcpy(&n, (const unsigned char *)p - sizeof n, sizeof n);
	return n;
}

/* The real function, or NULL while it cannot be had yet. */
static void *
real(int hook)
{
	void *fn = __atomic_load_n(&shim_real[hook], __ATOMIC_RELAXED);

	return SHIM_LIKELY(fn != NULL) ? fn : shim_resolve(hook);
}

/* Non-zero when an armed rule makes this allocation fail. */
static SHIM_HOT int
mem_fails(int hook)
{
	struct shim_call call = { .hook = hook, .rule = -1 };

	if (SHIM_LIKELY(atomic_load_explicit(&shim_armed[hook],
	    memory_order_relaxed) == 0))
		return 0;
	if (shim_before(&call) == SHIM_FAIL) {
		errno = call.err;
		return call.err ? call.err : ENOMEM;
	}
	return 0;
}

#define REAL(hook, ret, params) ((ret (*) params)real(hook))

SHIM_EXPORT void *malloc(size_t n);
SHIM_EXPORT void *
malloc(size_t n)
{
	void *(*fn)(size_t) = REAL(HID_malloc, void *, (size_t));

	if (SHIM_UNLIKELY(fn == NULL))
		return arena_alloc(n, 16);
	if (SHIM_UNLIKELY(mem_fails(HID_malloc)))
		return NULL;
	return fn(n);
}

SHIM_EXPORT void *calloc(size_t n, size_t size);
SHIM_EXPORT void *
calloc(size_t n, size_t size)
{
	void *(*fn)(size_t, size_t) = REAL(HID_calloc, void *, (size_t, size_t));

	if (SHIM_UNLIKELY(fn == NULL)) {
		if (size != 0 && n > ARENA_SIZE / size) {
			errno = ENOMEM;
			return NULL;
		}
		return arena_alloc(n * size, 16);
	}
	if (SHIM_UNLIKELY(mem_fails(HID_calloc)))
		return NULL;
	return fn(n, size);
}

SHIM_EXPORT void *realloc(void *p, size_t n);
SHIM_EXPORT void *
realloc(void *p, size_t n)
{
	void *(*fn)(void *, size_t) = REAL(HID_realloc, void *,
	    (void *, size_t));

	if (SHIM_UNLIKELY(p != NULL && in_arena(p))) {
		size_t old = arena_size(p);
		void *q = malloc(n);

		if (q != NULL)
			memcpy(q, p, old < n ? old : n);
		return q;
	}
	if (SHIM_UNLIKELY(fn == NULL))
		return p == NULL ? arena_alloc(n, 16) : NULL;
	if (SHIM_UNLIKELY(mem_fails(HID_realloc)))
		return NULL;
	return fn(p, n);
}

SHIM_EXPORT void *reallocarray(void *p, size_t n, size_t size);
SHIM_EXPORT void *
reallocarray(void *p, size_t n, size_t size)
{
	void *(*fn)(void *, size_t);

	if (size != 0 && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	if (SHIM_UNLIKELY(mem_fails(HID_reallocarray)))
		return NULL;
	if (SHIM_UNLIKELY(p != NULL && in_arena(p)))
		return realloc(p, n * size);
	fn = REAL(HID_realloc, void *, (void *, size_t));
	return fn != NULL ? fn(p, n * size) : arena_alloc(n * size, 16);
}

SHIM_EXPORT void free(void *p);
SHIM_EXPORT void
free(void *p)
{
	void (*fn)(void *);

	if (SHIM_UNLIKELY(p == NULL || in_arena(p)))
		return;
	if (SHIM_UNLIKELY(atomic_load_explicit(&shim_armed[HID_free],
	    memory_order_relaxed) != 0)) {
		struct shim_call call = { .hook = HID_free, .rule = -1 };

		(void)shim_before(&call);	/* delay, signal, exit only */
	}
	fn = REAL(HID_free, void, (void *));
	if (fn != NULL)
		fn(p);
}

SHIM_EXPORT int posix_memalign(void **out, size_t align, size_t n);
SHIM_EXPORT int
posix_memalign(void **out, size_t align, size_t n)
{
	int (*fn)(void **, size_t, size_t) = REAL(HID_posix_memalign, int,
	    (void **, size_t, size_t));
	int e;

	if (SHIM_UNLIKELY(fn == NULL)) {
		*out = arena_alloc(n, align);
		return *out ? 0 : ENOMEM;
	}
	if (SHIM_UNLIKELY((e = mem_fails(HID_posix_memalign)) != 0))
		return e;
	return fn(out, align, n);
}

#define ALIGNED_HOOK(name, params, args, align, size)			\
	SHIM_EXPORT void *name params;					\
	SHIM_EXPORT void *name params					\
	{								\
		void *(*fn) params = REAL(HID_##name, void *, params);	\
		if (SHIM_UNLIKELY(fn == NULL))				\
			return arena_alloc(size, align);		\
		if (SHIM_UNLIKELY(mem_fails(HID_##name)))		\
			return NULL;					\
		return fn args;						\
	}

ALIGNED_HOOK(aligned_alloc, (size_t align, size_t n), (align, n), align, n)
ALIGNED_HOOK(memalign, (size_t align, size_t n), (align, n), align, n)
ALIGNED_HOOK(valloc, (size_t n), (n), 4096, n)
ALIGNED_HOOK(pvalloc, (size_t n), (n), 4096, (n + 4095) & ~(size_t)4095)

/* Armed strdup: one call, however glibc allocates inside it. */
static char *
own_call_strdup(char *(*fn)(const char *), const char *s)
{
	char *p;

	if (mem_fails(HID_strdup))
		return NULL;
	shim_guard++;
	p = fn(s);
	shim_guard--;
	return p;
}

SHIM_EXPORT char *strdup(const char *s);
SHIM_EXPORT char *
strdup(const char *s)
{
	char *(*fn)(const char *) = REAL(HID_strdup, char *, (const char *));
	char *p;

	if (SHIM_UNLIKELY(fn == NULL)) {
		size_t n = strlen(s) + 1;

		if ((p = arena_alloc(n, 16)) != NULL)
			memcpy(p, s, n);
		return p;
	}
	if (SHIM_UNLIKELY(atomic_load_explicit(&shim_armed[HID_strdup],
	    memory_order_relaxed) != 0))
		return own_call_strdup(fn, s);
	return fn(s);
}

SHIM_EXPORT char *strndup(const char *s, size_t max);
SHIM_EXPORT char *
strndup(const char *s, size_t max)
{
	char *(*fn)(const char *, size_t) = REAL(HID_strndup, char *,
	    (const char *, size_t));
	char *p;

	if (SHIM_UNLIKELY(fn == NULL)) {
		size_t n = strnlen(s, max);

		if ((p = arena_alloc(n + 1, 16)) != NULL) {
			memcpy(p, s, n);
			p[n] = '\0';
		}
		return p;
	}
	if (SHIM_UNLIKELY(atomic_load_explicit(&shim_armed[HID_strndup],
	    memory_order_relaxed) != 0)) {
		if (mem_fails(HID_strndup))
			return NULL;
		shim_guard++;	/* its malloc is part of this call */
		p = fn(s, max);
		shim_guard--;
		return p;
	}
	return fn(s, max);
}
