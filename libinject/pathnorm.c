/*
 * pathnorm.c: path= globs, and an absolute path made lexical: "//", "/./" and "/../"
 * collapsed in place, as the shim and the seccomp supervisor both need
 * before matching path= globs. No allocation: the shim calls it from
 * its hooks.
 */
#include "config.h"

#include "chaos.h"

void
path_normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		if (in[0] == '/' && in[1] == '/') {
			in++;
		} else if (in[0] == '/' && in[1] == '.' &&
		    (in[2] == '/' || in[2] == '\0')) {
			in += 2;
		} else if (in[0] == '/' && in[1] == '.' && in[2] == '.' &&
		    (in[3] == '/' || in[3] == '\0')) {
			in += 3;
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = *in++;
		}
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/* A path= glob: absolute, and short enough for dst (len bytes). */
int
path_glob(char *dst, size_t len, const char *v, char *err, size_t errlen)
{
	if (v[0] != '/') {
		value_error(err, errlen, v, "must be absolute (start with "
		    "'/')");
		return -1;
	}
	if (strlcpy_chaos(dst, v, len) >= len) {
		value_error(err, errlen, v, "is longer than %zu bytes",
		    len - 1);
		return -1;
	}
	return 0;
}
