/*
 * stress-fill.c: the fill stressor, a file that takes a file system's
 * free space: preallocated (fallocate(2): its blocks, not a sparse
 * file), new (never a file that was there), journaled before it exists
 * (stress.c's entry: "file=INODE PATH", INODE 0 until it is made) so
 * that the guardian, recover and abort remove it, and kept within a
 * safety margin: 5% of the file system, 1 GiB at most, unless force.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "chaosd.h"
#include "res.h"

/*
 * The file a fill makes (the new file path, or a new one in the
 * directory path), how much it takes and what it leaves. A fill that
 * would leave less than the margin (5% of the file system, at most
 * 1 GiB) is refused unless force.
 */
int
stress_fill_room(const struct stress_spec *s, uint64_t *bytes,
    uint64_t *left, char *err, size_t errlen)
{
	struct statvfs	 vf;
	struct stat	 st;
	char		 dir[PATH_MAX], a[32], b[32], *slash;
	uint64_t	 total, avail, margin, want;

	snprintf(dir, sizeof dir, "%s", s->path);
	if (stat(s->path, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "fill %s: it exists: a fill "
			    "makes a new file (give a directory, or a path that "
			    "is not there)", s->path);
			return (-1);
		}
	} else if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (statvfs(dir, &vf) != 0) {
		snprintf(err, errlen, "fill %s: %s: %s", s->path, dir,
		    strerror(errno));
		return (-1);
	}
	total = (uint64_t)vf.f_blocks * vf.f_frsize;
	avail = (uint64_t)(geteuid() == 0 ? vf.f_bfree : vf.f_bavail) *
	    vf.f_frsize;
	margin = total / 20 < STRESS_MARGIN_MAX ? total / 20 :
	    STRESS_MARGIN_MAX;
	if (s->has_size)
		want = s->bytes;
	else {
		uint64_t keep = (uint64_t)(s->frac * (double)total);

		want = avail > keep ? avail - keep : 0;
	}
	format_size(avail, a, sizeof a);
	if (want == 0 || want > avail) {
		format_size(s->bytes, b, sizeof b);
		snprintf(err, errlen, "fill %s: %s free on %s: %s", s->path, a,
		    dir, want == 0 ? "already no more than free asks" :
		    "not room for it");
		return (-1);
	}
	*bytes = want;
	*left = avail - want;
	if (*left < margin && !s->force) {
		format_size(*left, a, sizeof a);
		format_size(margin, b, sizeof b);
		snprintf(err, errlen, "fill %s would leave %s free on %s, less "
		    "than the safety margin (%s, 5%% of it up to 1 GiB): force "
		    "= yes (--force) to go on", s->path, a, dir, b);
		return (-1);
	}
	return (0);
}

int
stress_fill_start(const struct stress_spec *s, struct stressor *st, char *err,
    size_t errlen)
{
	static unsigned	seq;
	struct stat	sb;
	uint64_t	bytes, left;
	int		fd, e;

	if (stress_fill_room(s, &bytes, &left, err, errlen) != 0)
		return (-1);
	if (stat(s->path, &sb) == 0 && S_ISDIR(sb.st_mode))
		snprintf(st->where, sizeof st->where,
		    "%.4000s/chaosd-fill.%ld.%u", s->path, (long)getpid(),
		    ++seq);
	else
		snprintf(st->where, sizeof st->where, "%s", s->path);
	jentry_add(st->j, "file", "0 %s", st->where);
	if (journal_write(st->j, err, errlen) != 0)
		return (-1);
	if ((fd = open(st->where, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0) {
		snprintf(err, errlen, "fill %s: %s", st->where,
		    strerror(errno));
		journal_remove(st->j);
		return (-1);
	}
	if (fstat(fd, &sb) == 0)
		jentry_set(st->j, "file", "%llu %s", (unsigned long long)
		    sb.st_ino, st->where);
	if (fallocate(fd, 0, 0, (off_t)bytes) != 0) {
		e = errno;
		close(fd);
		unlink(st->where);
		journal_remove(st->j);
		snprintf(err, errlen, "fill %s: %s", st->where, e ==
		    EOPNOTSUPP ? "this file system cannot preallocate "
		    "(fallocate)" : strerror(e));
		return (-1);
	}
	close(fd);
	st->want = st->filled = bytes;
	st->left = left;
	st->ready = 1;
	st->t_ready = mono_ns();
	return (0);
}
