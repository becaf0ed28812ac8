/*
 * hook-proc.c: process and thread creation (%proc), generated from
 * hooks-proc.def, and the execl family (varargs) by hand.
 */
#include "config.h"

#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "shim.h"

#define HOOK(name, groups, flags, ret, params, args, failval, ...) \
	SHIM_WRAPPER(name, ret, params, args, failval, __VA_ARGS__)
#define HOOK_ODD(name, groups, flags)
#include "hooks-proc.def"
#undef HOOK
#undef HOOK_ODD

#define EXECL_MAX 4096

/* Returns 1 (with errno set) when a fault decides the call's fate. */
static int
exec_fault(int hook, const char *path, int *ret)
{
	struct shim_call call = { .hook = hook, .rule = -1, .path = path };

	if (atomic_load_explicit(&shim_armed[hook], memory_order_relaxed) == 0)
		return 0;
	if (hook == HID_execlp)
		call.path = NULL;
	return shim_int_verdict(&call, ret) != SHIM_PASS;
}

/* Collect execl's arguments; envp too for execle. */
#define COLLECT_ARGS(argv, arg, ap)					\
	do {								\
		int n_ = 0;						\
		argv[n_++] = (char *)(uintptr_t)arg;			\
		while (argv[n_ - 1] != NULL && n_ < EXECL_MAX)		\
			argv[n_++] = va_arg(ap, char *);		\
		if (n_ == EXECL_MAX) {					\
			va_end(ap);					\
			errno = E2BIG;					\
			return -1;					\
		}							\
	} while (0)

SHIM_EXPORT int execl(const char *path, const char *arg, ...);
SHIM_EXPORT int
execl(const char *path, const char *arg, ...)
{
	char *argv[EXECL_MAX];
	va_list ap;
	int r;

	if (exec_fault(HID_execl, path, &r))
		return r;
	va_start(ap, arg);
	COLLECT_ARGS(argv, arg, ap);
	va_end(ap);
	return SHIM_REAL(execv, int, (const char *, char *const[]))(path, argv);
}

SHIM_EXPORT int execlp(const char *file, const char *arg, ...);
SHIM_EXPORT int
execlp(const char *file, const char *arg, ...)
{
	char *argv[EXECL_MAX];
	va_list ap;
	int r;

	if (exec_fault(HID_execlp, file, &r))
		return r;
	va_start(ap, arg);
	COLLECT_ARGS(argv, arg, ap);
	va_end(ap);
	return SHIM_REAL(execvp, int, (const char *, char *const[]))(file, argv);
}

SHIM_EXPORT int execle(const char *path, const char *arg, ...);
SHIM_EXPORT int
execle(const char *path, const char *arg, ...)
{
	char *argv[EXECL_MAX];
	char *const *envp;
	va_list ap;
	int r;

	if (exec_fault(HID_execle, path, &r))
		return r;
	va_start(ap, arg);
	COLLECT_ARGS(argv, arg, ap);
	envp = va_arg(ap, char *const *);
	va_end(ap);
	return SHIM_REAL(execve, int, (const char *, char *const[],
	    char *const[]))(path, argv, envp);
}
