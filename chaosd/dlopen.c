/*
 * dlopen.c: open a library when the feature that needs it is first used.
 *
 * libcurl alone brings OpenSSL, GnuTLS, Kerberos, LDAP and more: linked
 * into chaosd, every chaosd process (exec, inject, status, the guardian)
 * would load them. A feature that needs such a library describes it in a
 * struct dl_lib (its versioned soname, the Debian package that ships it,
 * the functions it uses) and calls dl_lib_open() on first use: the
 * library is opened once, every function is looked up, and when any of
 * that fails the error names the feature, the library and the package to
 * install. Nothing is half-opened: on error no function pointer is set.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "dlopen.h"

static pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;

int
dl_lib_open(struct dl_lib *l, char *err, size_t errlen)
{
	const struct dl_func	*f;
	const char		*why;
	void			*h, *p;
	int			 r = -1;

	pthread_mutex_lock(&dl_lock);
	if (l->handle != NULL) {
		pthread_mutex_unlock(&dl_lock);
		return (0);
	}
	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		snprintf(err, errlen, "%s need %s, which cannot be loaded "
		    "(%s): install Debian's %s", l->feature, l->soname,
		    why != NULL ? why : "not found", l->package);
		goto out;
	}
	for (f = l->funcs; f->name != NULL; f++) {
		if (dlsym(h, f->name) == NULL) {
			snprintf(err, errlen, "%s need %s from %s, which "
			    "this %s lacks: install Debian's %s", l->feature,
			    f->name, l->soname, l->soname, l->package);
			dlclose(h);
			goto out;
		}
	}
	for (f = l->funcs; f->name != NULL; f++) {
		p = dlsym(h, f->name);
		*f->fn = p;
	}
	l->handle = h;
	r = 0;
out:
	pthread_mutex_unlock(&dl_lock);
	return (r);
}
