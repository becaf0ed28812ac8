/*
 * preload.c: finding libinject.so and putting it into LD_PRELOAD.
 *
 * Where: $CHAOS_LIBINJECT if set; else next to the chaosd binary in the
 * build tree (chaosd/chaosd -> ../libinject/.libs/libinject.so); else
 * the installed $(pkglibdir)/libinject.so.
 *
 * How: appended to whatever LD_PRELOAD already holds (a program may need
 * its own preloads, libfaketime or a sanitizer runtime), never replacing
 * it, and not added a second time when it is already there.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaosd.h"

#ifndef PKGLIBDIR
#error PKGLIBDIR must be defined (Makefile.am)
#endif

#define PRELOAD_NAME	"libinject.so"
#define PRELOAD_SEPS	" :"	/* what ld.so splits LD_PRELOAD on */

/* Absolute, canonical path of a readable regular file, or NULL. */
static char *
preload_check(const char *path, int *error)
{
	char		 real[PATH_MAX];
	struct stat	 st;

	if (realpath(path, real) == NULL) {
		*error = errno;
		return (NULL);
	}
	if (stat(real, &st) != 0) {
		*error = errno;
		return (NULL);
	}
	if (!S_ISREG(st.st_mode)) {
		*error = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return (NULL);
	}
	if (access(real, R_OK) != 0) {
		*error = errno;
		return (NULL);
	}
	if (strpbrk(real, PRELOAD_SEPS) != NULL) {
		/* ld.so would split it: it cannot be preloaded. */
		*error = EINVAL;
		return (NULL);
	}
	return (xstrdup(real));
}

/* The build tree's libinject.so, relative to the running chaosd. */
static char *
preload_build_tree(void)
{
	static const char *const rel[] = {
		"../libinject/.libs/" PRELOAD_NAME,	/* chaosd/chaosd */
		"../../libinject/.libs/" PRELOAD_NAME,	/* chaosd/.libs/ */
	};
	char	 exe[PATH_MAX], *dir, *path, *found;
	ssize_t	 n;
	size_t	 i;
	int	 error;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return (NULL);
	exe[n] = '\0';
	dir = dirname(exe);

	for (i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		xasprintf(&path, "%s/%s", dir, rel[i]);
		found = preload_check(path, &error);
		if (found != NULL)
			log_debug("libinject: build tree: %s", found);
		free(path);
		if (found != NULL)
			return (found);
	}
	return (NULL);
}

/*
 * The libinject.so to preload, as an absolute path, or NULL with *cause
 * saying why none was found.
 */
char *
preload_find(char **cause)
{
	const char	*env;
	char		*found;
	int		 error = 0;

	*cause = NULL;
	env = getenv("CHAOS_LIBINJECT");
	if (env != NULL && *env != '\0') {
		found = preload_check(env, &error);
		if (found == NULL) {
			xasprintf(cause, "CHAOS_LIBINJECT=%s: %s", env,
			    error == EINVAL ? "not a file ld.so can preload"
			    : strerror(error));
			return (NULL);
		}
		log_debug("libinject: CHAOS_LIBINJECT: %s", found);
		return (found);
	}

	if ((found = preload_build_tree()) != NULL)
		return (found);

	found = preload_check(PKGLIBDIR "/" PRELOAD_NAME, &error);
	if (found != NULL) {
		log_debug("libinject: installed: %s", found);
		return (found);
	}
	xasprintf(cause, "%s not found (%s: %s; not in the build tree "
	    "either); set CHAOS_LIBINJECT to its path", PRELOAD_NAME,
	    PKGLIBDIR "/" PRELOAD_NAME, strerror(error));
	return (NULL);
}

/* Whether one LD_PRELOAD entry is lib: the same string or the same file. */
static int
preload_same(const char *entry, size_t len, const char *lib,
    const struct stat *lib_st)
{
	struct stat	 st;
	char		*copy;
	int		 same;

	if (strlen(lib) == len && strncmp(entry, lib, len) == 0)
		return (1);
	if (lib_st == NULL)
		return (0);
	copy = xmalloc(len + 1);
	memcpy(copy, entry, len);
	copy[len] = '\0';
	same = stat(copy, &st) == 0 && st.st_dev == lib_st->st_dev &&
	    st.st_ino == lib_st->st_ino;
	free(copy);
	return (same);
}

/*
 * The LD_PRELOAD value that loads lib after whatever existing (which may
 * be NULL) asks for. Always a new string.
 */
char *
preload_append(const char *existing, const char *lib)
{
	struct stat	 lib_st, *stp = NULL;
	const char	*p;
	char		*value;
	size_t		 len, n;

	if (existing == NULL)
		existing = "";
	if (stat(lib, &lib_st) == 0)
		stp = &lib_st;

	for (p = existing; *p != '\0'; p += n) {
		p += strspn(p, PRELOAD_SEPS);
		n = strcspn(p, PRELOAD_SEPS);
		if (n != 0 && preload_same(p, n, lib, stp)) {
			log_debug("libinject already in LD_PRELOAD");
			return (xstrdup(existing));
		}
	}

	/* Drop trailing separators so as not to leave an empty entry. */
	len = strlen(existing);
	while (len > 0 && strchr(PRELOAD_SEPS, existing[len - 1]) != NULL)
		len--;
	if (len == 0)
		return (xstrdup(lib));
	xasprintf(&value, "%.*s:%s", (int)len, existing, lib);
	return (value);
}
