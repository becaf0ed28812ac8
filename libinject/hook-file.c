/*
 * hook-file.c: the file-system hooks. Most are generated from
 * hooks-file.def; the ones below the include are written by hand
 * (varargs, void results).
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shim.h"

/* glibc declares these only under fortification or not at all */
struct statx;

/* with optimisation glibc makes these macros; the shim needs the names */
#undef fread_unlocked
#undef fwrite_unlocked
#undef getc
#undef putc

#define HOOK(name, groups, flags, ret, params, args, failval, ...) \
	SHIM_WRAPPER(name, ret, params, args, failval, __VA_ARGS__)
#define HOOK_ODD(name, groups, flags)
#include "hooks-file.def"
#undef HOOK
#undef HOOK_ODD

/* ------------------------------------------------------------------ */
/* open and openat: the mode argument is there only with O_CREAT/TMPFILE */

#define NEEDS_MODE(flags) \
	(((flags) & O_CREAT) != 0 || ((flags) & O_TMPFILE) == O_TMPFILE)

static int
open_hook(int hook, int dirfd, const char *path, int flags, mode_t mode)
{
	struct shim_call call = { .hook = hook, .rule = -1, .dirfd = dirfd,
	    .path = path };
	int r;

	if (shim_int_verdict(&call, &r) != SHIM_PASS)
		return r;
	if (hook == HID_open || hook == HID_open64)
		r = ((int (*)(const char *, int, ...))(shim_real[hook] ?
		    shim_real[hook] : shim_resolve(hook)))(path, flags, mode);
	else
		r = ((int (*)(int, const char *, int, ...))(shim_real[hook] ?
		    shim_real[hook] : shim_resolve(hook)))(dirfd, path, flags,
		    mode);
	if (call.after)
		shim_after(&call, r);
	return r;
}

#define OPEN_HOOK(name)							\
	SHIM_EXPORT int name(const char *path, int flags, ...);		\
	SHIM_EXPORT int name(const char *path, int flags, ...)		\
	{								\
		mode_t mode = 0;					\
		if (NEEDS_MODE(flags)) {				\
			va_list ap;					\
			va_start(ap, flags);				\
			mode = (mode_t)va_arg(ap, int);			\
			va_end(ap);					\
		}							\
		if (SHIM_LIKELY(atomic_load_explicit(&shim_armed[HID_##name], \
		    memory_order_relaxed) == 0))			\
			return SHIM_REAL(name, int, (const char *, int, ...)) \
			    (path, flags, mode);			\
		return open_hook(HID_##name, AT_FDCWD, path, flags, mode); \
	}

#define OPENAT_HOOK(name)						\
	SHIM_EXPORT int name(int dirfd, const char *path, int flags, ...); \
	SHIM_EXPORT int name(int dirfd, const char *path, int flags, ...) \
	{								\
		mode_t mode = 0;					\
		if (NEEDS_MODE(flags)) {				\
			va_list ap;					\
			va_start(ap, flags);				\
			mode = (mode_t)va_arg(ap, int);			\
			va_end(ap);					\
		}							\
		if (SHIM_LIKELY(atomic_load_explicit(&shim_armed[HID_##name], \
		    memory_order_relaxed) == 0))			\
			return SHIM_REAL(name, int,			\
			    (int, const char *, int, ...))(dirfd, path, flags, \
			    mode);					\
		return open_hook(HID_##name, dirfd, path, flags, mode);	\
	}

OPEN_HOOK(open)
OPEN_HOOK(open64)
OPENAT_HOOK(openat)
OPENAT_HOOK(openat64)

/* ------------------------------------------------------------------ */
/* fcntl: F_DUPFD and F_DUPFD_CLOEXEC make copies worth tracking */

static int
fcntl_hook(int hook, int fd, int cmd, void *arg)
{
	struct shim_call call = { .hook = hook, .rule = -1, .fd = fd };
	int r;

	if (shim_int_verdict(&call, &r) != SHIM_PASS)
		return r;
	r = SHIM_REAL(fcntl, int, (int, int, ...))(fd, cmd, arg);
	if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) &&
	    call.after & AFTER_TRACK) {
		int e = errno;

		shim_guard++;
		fdtab_dup(fd, r);
		shim_guard--;
		errno = e;
	}
	return r;
}

#define FCNTL_HOOK(name)						\
	SHIM_EXPORT int name(int fd, int cmd, ...);			\
	SHIM_EXPORT int name(int fd, int cmd, ...)			\
	{								\
		va_list ap;						\
		void *arg;						\
		va_start(ap, cmd);					\
		arg = va_arg(ap, void *);				\
		va_end(ap);						\
		if (SHIM_LIKELY(atomic_load_explicit(&shim_armed[HID_##name], \
		    memory_order_relaxed) == 0))			\
			return SHIM_REAL(name, int, (int, int, ...))(fd, cmd, \
			    arg);					\
		return fcntl_hook(HID_##name, fd, cmd, arg);		\
	}

FCNTL_HOOK(fcntl)
FCNTL_HOOK(fcntl64)

/* ------------------------------------------------------------------ */
/* the printf family: through the real v* function of the same kind */

/* Non-zero when a fault decides the call: *r is then its result. */
static int
print_fail(int hook, FILE *fp, int fd, int *r)
{
	struct shim_call call = { .hook = hook, .rule = -1, .fp = fp,
	    .fd = fd };
	int v;

	if (atomic_load_explicit(&shim_armed[hook], memory_order_relaxed) == 0)
		return 0;
	v = shim_int_verdict(&call, r);
	if (v == SHIM_FAIL && fp != NULL)
		shim_stdio_fail(fp, 0);		/* ferror() true, as for real */
	return v != SHIM_PASS;
}

/*
 * One varargs printf: its fault check, then the real v* function of the
 * same kind. STREAM is the FILE * (NULL for dprintf), FD the descriptor
 * when there is no stream (-1 otherwise).
 */
#define PRINTF_HOOK(name, params, last, stream, fd, vname, vparams, vargs) \
	SHIM_EXPORT int name params;					\
	SHIM_EXPORT int name params					\
	{								\
		va_list ap;						\
		int r;							\
		if (print_fail(HID_##name, stream, fd, &r))		\
			return r;					\
		va_start(ap, last);					\
		r = SHIM_REAL(vname, int, vparams) vargs;		\
		va_end(ap);						\
		return r;						\
	}

PRINTF_HOOK(fprintf, (FILE *fp, const char *fmt, ...), fmt, fp, -1,
    vfprintf, (FILE *, const char *, va_list), (fp, fmt, ap))
PRINTF_HOOK(printf, (const char *fmt, ...), fmt, stdout, -1,
    vfprintf, (FILE *, const char *, va_list), (stdout, fmt, ap))
PRINTF_HOOK(dprintf, (int fd, const char *fmt, ...), fmt, NULL, fd,
    vdprintf, (int, const char *, va_list), (fd, fmt, ap))
PRINTF_HOOK(__fprintf_chk, (FILE *fp, int flag, const char *fmt, ...), fmt,
    fp, -1, __vfprintf_chk, (FILE *, int, const char *, va_list),
    (fp, flag, fmt, ap))
PRINTF_HOOK(__printf_chk, (int flag, const char *fmt, ...), fmt, stdout, -1,
    __vfprintf_chk, (FILE *, int, const char *, va_list),
    (stdout, flag, fmt, ap))

#define ARMED(name) (atomic_load_explicit(&shim_armed[HID_##name],	\
	memory_order_relaxed) != 0)

/* sync(2) cannot fail: only delay, signal and exit apply */
SHIM_EXPORT void sync(void);
SHIM_EXPORT void
sync(void)
{
	if (SHIM_UNLIKELY(ARMED(sync))) {
		struct shim_call call = { .hook = HID_sync, .rule = -1 };

		(void)shim_before(&call);
	}
	SHIM_REAL(sync, void, (void))();
}
