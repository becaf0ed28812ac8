/*
 * journal.c: what chaosd changed, written down before it changes it.
 *
 * One file per fault under /run/chaosd/ (CHAOSD_RUNDIR overrides it),
 * named after the namespace, the device and the direction, so a second
 * fault on the same place is refused by the file system itself (link(2)
 * does not replace). Plain "key=value" lines, readable with cat. An
 * entry is written in state "applying" before the first netlink
 * request, rewritten "active" (rename(2), atomic) when the tree is
 * complete, and removed after its revert succeeded. Reverts take one
 * lock (flock on journal.lock), so the guardian, clear and a foreground
 * apply never revert the same entry twice at once.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <netlink/netlink.h>

#include "chaosd.h"
#include "net.h"

#define JOURNAL_SUFFIX	".journal"

const char *
journal_dir(void)
{
	const char	*d = getenv("CHAOSD_RUNDIR");

	return (d != NULL && *d != '\0' ? d : "/run/chaosd");
}

int
journal_ensure_dir(char *err, size_t errlen)
{
	const char	*d = journal_dir();
	struct stat	 st;

	if (mkdir(d, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", d,
		    strerror(errno));
		return (-1);
	}
	if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", d);
		return (-1);
	}
	return (0);
}

void
journal_entry_id(struct jentry *j)
{
	snprintf(j->id, sizeof j->id, "net-%" PRIu64 "-%s%s", j->ns_ino,
	    j->dev, j->ingress ? "-ingress" : "");
}

static void
journal_path(const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s%s", journal_dir(), id, JOURNAL_SUFFIX);
}

static int
journal_format(const struct jentry *j, FILE *f)
{
	fprintf(f, "# chaosd journal: 'chaosd recover' undoes this\n");
	fprintf(f, "state=%s\n", j->state == J_ACTIVE ? "active" : "applying");
	fprintf(f, "owner=%ld\n", (long)j->owner);
	fprintf(f, "foreground=%d\n", j->foreground);
	fprintf(f, "forced=%d\n", j->forced);
	fprintf(f, "netns=%s\n", j->netns);
	fprintf(f, "nspid=%ld\n", (long)j->nspid);
	fprintf(f, "ns_dev=%" PRIu64 "\n", j->ns_dev);
	fprintf(f, "ns_ino=%" PRIu64 "\n", j->ns_ino);
	fprintf(f, "dev=%s\n", j->dev);
	fprintf(f, "ifindex=%d\n", j->ifindex);
	fprintf(f, "ingress=%d\n", j->ingress);
	fprintf(f, "ifb=%s\n", j->ifb);
	fprintf(f, "handle=%" PRIx32 "\n", j->handle);
	fprintf(f, "created_ms=%" PRIu64 "\n", j->created_ms);
	fprintf(f, "expires_ms=%" PRIu64 "\n", j->expires_ms);
	fprintf(f, "what=%s\n", j->what);
	return (ferror(f) ? -1 : 0);
}

static int
journal_write_tmp(const struct jentry *j, char *tmp, size_t len, char *err,
    size_t errlen)
{
	FILE	*f;
	int	 fd;

	snprintf(tmp, len, "%s/.%s.%ld.tmp", journal_dir(), j->id,
	    (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		return (-1);
	}
	if ((f = fdopen(fd, "w")) == NULL)
		fatal("fdopen");
	/*
	 * No fsync: the entry must outlive chaosd (a SIGKILL keeps the page
	 * cache), not the kernel, whose qdiscs die with it anyway.
	 */
	if (journal_format(j, f) != 0 || fflush(f) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		fclose(f);
		unlink(tmp);
		return (-1);
	}
	fclose(f);
	return (0);
}

/*
 * Write an entry. A new one (state applying) must not exist yet: -EEXIST
 * if it does. Later writes replace it atomically.
 */
int
journal_write(const struct jentry *j, char *err, size_t errlen)
{
	char	tmp[PATH_MAX], path[PATH_MAX];
	int	e;

	journal_path(j->id, path, sizeof path);
	if (journal_write_tmp(j, tmp, sizeof tmp, err, errlen) != 0)
		return (-1);
	if (j->state == J_APPLYING) {
		if (link(tmp, path) != 0) {
			e = errno;
			unlink(tmp);
			if (e == EEXIST)
				return (-EEXIST);
			snprintf(err, errlen, "cannot write %s: %s", path,
			    strerror(e));
			return (-1);
		}
		unlink(tmp);
		return (0);
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		unlink(tmp);
		return (-1);
	}
	return (0);
}

int
journal_read(const char *id, struct jentry *j)
{
	char	 path[PATH_MAX], line[1024], *v;
	FILE	*f;

	memset(j, 0, sizeof *j);
	journal_path(id, path, sizeof path);
	if ((f = fopen(path, "re")) == NULL)
		return (-errno);
	snprintf(j->id, sizeof j->id, "%s", id);
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || (v = strchr(line, '=')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "state") == 0)
			j->state = strcmp(v, "active") == 0 ? J_ACTIVE :
			    J_APPLYING;
		else if (strcmp(line, "owner") == 0)
			j->owner = (pid_t)strtol(v, NULL, 10);
		else if (strcmp(line, "foreground") == 0)
			j->foreground = atoi(v);
		else if (strcmp(line, "forced") == 0)
			j->forced = atoi(v);
		else if (strcmp(line, "netns") == 0)
			snprintf(j->netns, sizeof j->netns, "%s", v);
		else if (strcmp(line, "nspid") == 0)
			j->nspid = (pid_t)strtol(v, NULL, 10);
		else if (strcmp(line, "ns_dev") == 0)
			j->ns_dev = strtoull(v, NULL, 10);
		else if (strcmp(line, "ns_ino") == 0)
			j->ns_ino = strtoull(v, NULL, 10);
		else if (strcmp(line, "dev") == 0)
			snprintf(j->dev, sizeof j->dev, "%s", v);
		else if (strcmp(line, "ifindex") == 0)
			j->ifindex = atoi(v);
		else if (strcmp(line, "ingress") == 0)
			j->ingress = atoi(v);
		else if (strcmp(line, "ifb") == 0)
			snprintf(j->ifb, sizeof j->ifb, "%s", v);
		else if (strcmp(line, "handle") == 0)
			j->handle = (uint32_t)strtoul(v, NULL, 16);
		else if (strcmp(line, "created_ms") == 0)
			j->created_ms = strtoull(v, NULL, 10);
		else if (strcmp(line, "expires_ms") == 0)
			j->expires_ms = strtoull(v, NULL, 10);
		else if (strcmp(line, "what") == 0)
			snprintf(j->what, sizeof j->what, "%s", v);
	}
	fclose(f);
	if (j->dev[0] == '\0' || j->ifindex <= 0)
		return (-EINVAL);
	return (0);
}

int
journal_remove(const struct jentry *j)
{
	char	path[PATH_MAX];

	journal_path(j->id, path, sizeof path);
	if (unlink(path) != 0 && errno != ENOENT)
		return (-errno);
	return (0);
}

static int
jentry_cmp(const void *a, const void *b)
{
	const struct jentry	*x = a, *y = b;

	if (x->created_ms != y->created_ms)
		return (x->created_ms < y->created_ms ? -1 : 1);
	return (strcmp(x->id, y->id));
}

/* Every entry, oldest first. Unreadable files are skipped. */
int
journal_list(struct jentry **out, int *n)
{
	DIR		*d;
	struct dirent	*de;
	struct jentry	*v = NULL;
	char		 id[sizeof v->id];
	size_t		 len, sl = strlen(JOURNAL_SUFFIX);
	int		 cap = 0;

	*out = NULL;
	*n = 0;
	if ((d = opendir(journal_dir())) == NULL)
		return (errno == ENOENT ? 0 : -errno);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= sl || len - sl >= sizeof id ||
		    strcmp(de->d_name + len - sl, JOURNAL_SUFFIX) != 0)
			continue;
		snprintf(id, sizeof id, "%.*s", (int)(len - sl), de->d_name);
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, (size_t)cap, sizeof *v);
		}
		if (journal_read(id, &v[*n]) == 0)
			(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, (size_t)*n, sizeof *v, jentry_cmp);
	*out = v;
	return (0);
}

/* The one lock every revert holds. -1: not taken (wait 0 and busy). */
int
journal_lock(const struct jentry *j, int wait)
{
	char	path[PATH_MAX];
	int	fd;

	(void)j;
	snprintf(path, sizeof path, "%s/journal.lock", journal_dir());
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		return (-1);
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

void
journal_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/*
 * Revert one entry from any process: take the lock, check it is still
 * there, enter its namespace, undo, remove it. 0 when it is gone
 * (reverted now, by someone else, or its namespace is gone and took the
 * fault with it).
 */
int
journal_revert(struct jentry *j, int wait, char *err, size_t errlen)
{
	struct nl_sock	*sk;
	struct jentry	 now;
	char		 why[256];
	int		 lock, saved, r;

	if ((lock = journal_lock(j, wait)) < 0) {
		snprintf(err, errlen, "the journal is busy");
		return (-EBUSY);
	}
	if (journal_read(j->id, &now) != 0) {
		journal_unlock(lock);
		return (0);	/* reverted meanwhile */
	}
	r = netns_enter_entry(&now, &saved, why, sizeof why);
	if (r == -ENOENT) {
		log_info("%s: %s: nothing left to revert", now.id, why);
		journal_remove(&now);
		journal_unlock(lock);
		return (0);
	}
	if (r != 0) {
		snprintf(err, errlen, "%s: %s", now.dev, why);
		journal_unlock(lock);
		return (r);
	}
	if ((sk = nl_open(why, sizeof why)) == NULL) {
		netns_leave(saved);
		snprintf(err, errlen, "%s", why);
		journal_unlock(lock);
		return (-EIO);
	}
	r = netfault_revert(sk, &now, why, sizeof why);
	nl_close(sk);
	netns_leave(saved);
	if (r != 0) {
		snprintf(err, errlen, "cannot revert the fault on %s: %s "
		    "(the journal keeps it; 'chaosd recover' retries)", now.dev,
		    why);
		journal_unlock(lock);
		return (r);
	}
	journal_remove(&now);
	journal_unlock(lock);
	*j = now;
	return (0);
}
