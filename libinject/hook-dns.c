/*
 * hook-dns.c: name-lookup hooks (%dns). getaddrinfo and getnameinfo fail
 * with an EAI_* code; the gethostbyname family through h_errno.
 */
#include "config.h"

#include <netdb.h>
#include <stdio.h>
#include <sys/socket.h>

#include "shim.h"

#define HOOK(name, groups, flags, ret, params, args, failval, ...) \
	SHIM_WRAPPER(name, ret, params, args, failval, __VA_ARGS__)
#define HOOK_ODD(name, groups, flags)
#include "hooks-dns.def"
#undef HOOK
#undef HOOK_ODD

/* The reentrant forms report through *h_errnop and return an errno. */
static int
hostent_r_fail(struct shim_call *c, struct hostent **result, int *h_errnop)
{
	shim_herr_fail(c);
	*result = NULL;
	if (h_errnop != NULL)
		*h_errnop = h_errno;
	if (c->retval == EAI_SYSTEM)
		return c->err;
	return 0;
}

SHIM_EXPORT int gethostbyname_r(const char *name, struct hostent *ret,
    char *buf, size_t buflen, struct hostent **result, int *h_errnop);
SHIM_EXPORT int
gethostbyname_r(const char *name, struct hostent *ret, char *buf,
    size_t buflen, struct hostent **result, int *h_errnop)
{
	if (SHIM_UNLIKELY(atomic_load_explicit(&shim_armed[HID_gethostbyname_r],
	    memory_order_relaxed) != 0)) {
		struct shim_call call = { .hook = HID_gethostbyname_r,
		    .rule = -1, .host = name };

		if (shim_before(&call) != SHIM_PASS)
			return hostent_r_fail(&call, result, h_errnop);
	}
	return SHIM_REAL(gethostbyname_r, int, (const char *, struct hostent *,
	    char *, size_t, struct hostent **, int *))(name, ret, buf, buflen,
	    result, h_errnop);
}

SHIM_EXPORT int gethostbyname2_r(const char *name, int af,
    struct hostent *ret, char *buf, size_t buflen, struct hostent **result,
    int *h_errnop);
SHIM_EXPORT int
gethostbyname2_r(const char *name, int af, struct hostent *ret, char *buf,
    size_t buflen, struct hostent **result, int *h_errnop)
{
	if (SHIM_UNLIKELY(atomic_load_explicit(&shim_armed[HID_gethostbyname2_r],
	    memory_order_relaxed) != 0)) {
		struct shim_call call = { .hook = HID_gethostbyname2_r,
		    .rule = -1, .host = name };

		if (shim_before(&call) != SHIM_PASS)
			return hostent_r_fail(&call, result, h_errnop);
	}
	return SHIM_REAL(gethostbyname2_r, int, (const char *, int,
	    struct hostent *, char *, size_t, struct hostent **, int *))(name,
	    af, ret, buf, buflen, result, h_errnop);
}
