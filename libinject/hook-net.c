/*
 * hook-net.c: socket hooks, generated from hooks-net.def.
 *
 * Built without _GNU_SOURCE on purpose: with it, glibc declares the
 * sockaddr arguments as transparent unions, and the wrappers could not
 * share the prototypes of <sys/socket.h>.
 */
#define _DEFAULT_SOURCE 1
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "shim.h"

struct mmsghdr;

#define HOOK(name, groups, flags, ret, params, args, failval, ...) \
	SHIM_WRAPPER(name, ret, params, args, failval, __VA_ARGS__)
#define HOOK_ODD(name, groups, flags)
#include "hooks-net.def"
