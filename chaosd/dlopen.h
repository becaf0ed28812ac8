/*
 * dlopen.h: libraries that one feature of chaosd needs, opened when that
 * feature is first used (dlopen.c), so that every other command starts
 * without them.
 */
#ifndef DLOPEN_H
#define DLOPEN_H

#include <stddef.h>

/* One function of the library: its name, and where to store it. */
struct dl_func {
	const char	*name;
	void		**fn;
};

struct dl_lib {
	const char		*soname;	/* versioned: "libcurl.so.4" */
	const char		*package;	/* Debian's: "libcurl4" */
	const char		*feature;	/* "HTTP checks" */
	const struct dl_func	*funcs;		/* ends with { NULL, NULL } */
	void			*handle;	/* once opened */
};

/* dlopen.c */
int	dl_lib_open(struct dl_lib *, char *err, size_t errlen);

#endif
