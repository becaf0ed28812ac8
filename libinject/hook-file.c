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

	switch (shim_before(&call)) {
	case SHIM_FAIL:
		errno = call.err;
		return -1;
	case SHIM_RETVAL:
		if (call.err)
			errno = call.err;
		return (int)call.retval;
	}
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

	switch (shim_before(&call)) {
	case SHIM_FAIL:
		errno = call.err;
		return -1;
	case SHIM_RETVAL:
		if (call.err)
			errno = call.err;
		return (int)call.retval;
	}
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

static int
print_fail(int hook, FILE *fp, int fd, int *verdict_ret)
{
	struct shim_call call = { .hook = hook, .rule = -1, .fp = fp,
	    .fd = fd };

	switch (shim_before(&call)) {
	case SHIM_FAIL:
		errno = call.err;
		if (fp != NULL)
			shim_stdio_fail(fp, 0);
		*verdict_ret = -1;
		return 1;
	case SHIM_RETVAL:
		if (call.err)
			errno = call.err;
		*verdict_ret = (int)call.retval;
		return 1;
	}
	return 0;
}

#define ARMED(name) (atomic_load_explicit(&shim_armed[HID_##name],	\
	memory_order_relaxed) != 0)

SHIM_EXPORT int fprintf(FILE *fp, const char *fmt, ...);
SHIM_EXPORT int
fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (SHIM_UNLIKELY(ARMED(fprintf)) && print_fail(HID_fprintf, fp, -1, &r))
		return r;
	va_start(ap, fmt);
	r = SHIM_REAL(vfprintf, int, (FILE *, const char *, va_list))(fp, fmt,
	    ap);
	va_end(ap);
	return r;
}

SHIM_EXPORT int printf(const char *fmt, ...);
SHIM_EXPORT int
printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	if (SHIM_UNLIKELY(ARMED(printf)) &&
	    print_fail(HID_printf, stdout, -1, &r))
		return r;
	va_start(ap, fmt);
	r = SHIM_REAL(vfprintf, int, (FILE *, const char *, va_list))(stdout,
	    fmt, ap);
	va_end(ap);
	return r;
}

SHIM_EXPORT int dprintf(int fd, const char *fmt, ...);
SHIM_EXPORT int
dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (SHIM_UNLIKELY(ARMED(dprintf)) && print_fail(HID_dprintf, NULL, fd, &r))
		return r;
	va_start(ap, fmt);
	r = SHIM_REAL(vdprintf, int, (int, const char *, va_list))(fd, fmt, ap);
	va_end(ap);
	return r;
}

SHIM_EXPORT int __fprintf_chk(FILE *fp, int flag, const char *fmt, ...);
SHIM_EXPORT int
__fprintf_chk(FILE *fp, int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (SHIM_UNLIKELY(ARMED(__fprintf_chk)) &&
	    print_fail(HID___fprintf_chk, fp, -1, &r))
		return r;
	va_start(ap, fmt);
	r = SHIM_REAL(__vfprintf_chk, int, (FILE *, int, const char *,
	    va_list))(fp, flag, fmt, ap);
	va_end(ap);
	return r;
}

SHIM_EXPORT int __printf_chk(int flag, const char *fmt, ...);
SHIM_EXPORT int
__printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (SHIM_UNLIKELY(ARMED(__printf_chk)) &&
	    print_fail(HID___printf_chk, stdout, -1, &r))
		return r;
	va_start(ap, fmt);
	r = SHIM_REAL(__vfprintf_chk, int, (FILE *, int, const char *,
	    va_list))(stdout, flag, fmt, ap);
	va_end(ap);
	return r;
}

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
