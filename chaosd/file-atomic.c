/*
 * file-atomic.c: a file written whole or not at all.
 *
 * The content goes to a temporary file beside PATH (same directory, so
 * the rename cannot cross filesystems), is flushed to the disk, and is
 * renamed over PATH: a reader sees the old file or the new one, never
 * half of one, even when the writer dies midway.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "chaosd.h"

int
file_write_atomic(const char *path, int (*write)(FILE *, const void *),
    const void *arg, char *err, size_t errlen)
{
	char	*tmp;
	FILE	*f;
	int	 fd, ok, saved;

	xasprintf(&tmp, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(tmp);
		return (-1);
	}
	(void)fchmod(fd, 0644);
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		ok = 0;
	} else {
		errno = 0;
		ok = write(f, arg) == 0;
		ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
		ok &= fclose(f) == 0;
	}
	if (!ok || rename(tmp, path) != 0) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", path, saved != 0 ?
		    strerror(saved) : "write failed");
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}
