/*
 * file-create.c: shared files (fault tables, reach files) are made whole
 * before anyone can see them. The first bytes are written into a
 * temporary file of the same directory, which is then linked into place
 * with link(2): a reader either finds no file, or a file that carries its
 * magic and has its full size. Only files made this way are used, so an
 * existing file of any other kind is never taken over.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaos.h"

/*
 * Make path: size bytes, zero but for head, mode 0600, owned by owner's
 * uid and gid when given (and we are not them: root only). Returns the
 * new file's descriptor (read-write), -1 with errno EEXIST if the file
 * appeared meanwhile, or -1 with err filled.
 */
int
file_create(const char *path, const void *head, size_t headlen, size_t size,
    const struct stat *owner, char *err, size_t errlen)
{
	char tmp[4096];
	const char *base = strrchr(path, '/');
	int fd, e, n;

	if (base == NULL)
		n = snprintf(tmp, sizeof tmp, ".%s.XXXXXX", path);
	else
		n = snprintf(tmp, sizeof tmp, "%.*s/.%s.XXXXXX",
		    (int)(base - path), path, base + 1);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		snprintf(err, errlen, "cannot create it: %s",
		    strerror(ENAMETOOLONG));
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot create it: %s", strerror(e));
		errno = e;
		return -1;
	}
	if (ftruncate(fd, (off_t)size) != 0 ||
	    pwrite(fd, head, headlen, 0) != (ssize_t)headlen ||
	    (owner != NULL && owner->st_uid != geteuid() &&
	    fchown(fd, owner->st_uid, owner->st_gid) != 0)) {
		e = errno;
		goto fail;
	}
	if (link(tmp, path) != 0) {
		e = errno;
		if (e == EEXIST) {
			unlink(tmp);
			close(fd);
			errno = EEXIST;
			return -1;
		}
		goto fail;
	}
	unlink(tmp);
	return fd;

fail:
	unlink(tmp);
	close(fd);
	snprintf(err, errlen, "cannot create it: %s", strerror(e));
	errno = e;
	return -1;
}
