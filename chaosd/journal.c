/*
 * journal.c: what chaosd changes, written down before it changes it.
 *
 * One file per change under the run directory (/run/chaosd, or
 * CHAOSD_RUNDIR), NAME.journal, whatever made it: a network fault, a
 * scenario run (its services and tables), a paused process, a stressor.
 * Plain "key=value" lines, readable with cat: a header every entry has
 * (its type, state, owner, expiry, what it is) and the fields its type
 * needs to undo it from any process. A new entry is linked into place
 * (link(2) does not replace, so a second change of the same thing, which
 * has the same name, is refused by the file system itself), in state
 * "applying" before the first change; it is rewritten (rename(2), atomic)
 * "active" when the change is whole, and removed once undone.
 *
 * Reverting goes through journal_revert(): one lock (journal.lock), the
 * entry read again from disk, and the type's revert (journal_types[],
 * kinds.c). An entry carries the instance that wrote it, so that a
 * revert is tied to that instance: an old chaosd never undoes what a
 * newer one made in the same place after a clear.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "chaosd.h"

#define JOURNAL_SUFFIX	".journal"
#define JOURNAL_LINE_MAX 4096
#define JOURNAL_FIELDS_MAX 256

/* $CHAOSD_RUNDIR, /run/chaosd, or this user's own (registry_rundir()). */
const char *
journal_dir(void)
{
	return (registry_rundir());
}

int
journal_ensure_dir(char *err, size_t errlen)
{
	const char	*d = journal_dir();
	struct stat	 st;

	/* never a fallback in /tmp that someone else made or can write */
	if (registry_dir_check(d, 1, err, errlen) != 0)
		return (-1);
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

/* ---- entries ---------------------------------------------------- */

void
jentry_init(struct jentry *j, const char *type)
{
	memset(j, 0, sizeof *j);
	snprintf(j->type, sizeof j->type, "%s", type);
	j->state = J_APPLYING;
	j->owner = getpid();
	j->owner_start = proc_start_time(j->owner);
	j->instance = random_u64();
	j->created_ms = now_ms();
}

static int
value_ok(const char *v)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return (0);
	return (1);
}

static void
jfield_vadd(struct jentry *j, const char *key, const char *fmt, va_list ap)
{
	char	*v;

	xvasprintf(&v, fmt, ap);
	j->fields = xreallocarray(j->fields, j->nfields + 1,
	    sizeof *j->fields);
	j->fields[j->nfields].key = xstrdup(key);
	j->fields[j->nfields].value = v;
	j->nfields++;
}

void
jentry_add(struct jentry *j, const char *key, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	jfield_vadd(j, key, fmt, ap);
	va_end(ap);
}

void
jentry_set(struct jentry *j, const char *key, const char *fmt, ...)
{
	va_list	ap;
	int	i;

	for (i = 0; i < j->nfields; i++) {
		if (strcmp(j->fields[i].key, key) == 0) {
			free(j->fields[i].value);
			va_start(ap, fmt);
			xvasprintf(&j->fields[i].value, fmt, ap);
			va_end(ap);
			return;
		}
	}
	va_start(ap, fmt);
	jfield_vadd(j, key, fmt, ap);
	va_end(ap);
}

/* Remove key's fields (all of them, or the one with this value). */
void
jentry_del(struct jentry *j, const char *key, const char *value)
{
	int	i, k = 0;

	for (i = 0; i < j->nfields; i++) {
		if (strcmp(j->fields[i].key, key) == 0 && (value == NULL ||
		    strcmp(j->fields[i].value, value) == 0)) {
			free(j->fields[i].key);
			free(j->fields[i].value);
			continue;
		}
		j->fields[k++] = j->fields[i];
	}
	j->nfields = k;
}

const char *
jentry_get(const struct jentry *j, const char *key)
{
	int	i;

	for (i = 0; i < j->nfields; i++)
		if (strcmp(j->fields[i].key, key) == 0)
			return (j->fields[i].value);
	return (NULL);
}

/* The field as a number (base 0: "0x" hex too); dflt when absent or bad. */
uint64_t
jentry_get_u64(const struct jentry *j, const char *key, uint64_t dflt)
{
	const char	*v = jentry_get(j, key);
	char		*end;
	uint64_t	 n;

	if (v == NULL || *v == '\0' || *v == '-')
		return (dflt);
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0')
		return (dflt);
	return (n);
}

void
jentry_copy(struct jentry *dst, const struct jentry *src)
{
	int	i;

	*dst = *src;
	dst->fields = NULL;
	dst->nfields = 0;
	for (i = 0; i < src->nfields; i++)
		jentry_add(dst, src->fields[i].key, "%s",
		    src->fields[i].value);
}

void
jentry_free(struct jentry *j)
{
	int	i;

	for (i = 0; i < j->nfields; i++) {
		free(j->fields[i].key);
		free(j->fields[i].value);
	}
	free(j->fields);
	j->fields = NULL;
	j->nfields = 0;
}

/* Is the chaosd that wrote it still there (the same process, not its pid
   reused)? */
int
jentry_owner_alive(const struct jentry *j)
{
	return (proc_alive(j->owner, j->owner_start));
}

const struct journal_type *
journal_type_find(const char *name)
{
	const struct journal_type *const *t;

	for (t = journal_types; *t != NULL; t++)
		if (strcmp((*t)->name, name) == 0)
			return (*t);
	return (NULL);
}

/* ---- files ------------------------------------------------------ */

static void
journal_path(const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s%s", journal_dir(), id, JOURNAL_SUFFIX);
}

static int
journal_format(const struct jentry *j, FILE *f)
{
	int	i;

	fprintf(f, "# chaosd journal: 'chaosd recover' undoes this\n");
	fprintf(f, "type=%s\n", j->type);
	fprintf(f, "state=%s\n", j->state == J_ACTIVE ? "active" : "applying");
	fprintf(f, "owner=%ld\n", (long)j->owner);
	fprintf(f, "owner_start=%" PRIu64 "\n", j->owner_start);
	fprintf(f, "bound=%d\n", j->bound);
	fprintf(f, "instance=%016" PRIx64 "\n", j->instance);
	fprintf(f, "created_ms=%" PRIu64 "\n", j->created_ms);
	fprintf(f, "expires_ms=%" PRIu64 "\n", j->expires_ms);
	fprintf(f, "what=%s\n", j->what);
	for (i = 0; i < j->nfields; i++)
		fprintf(f, "%s=%s\n", j->fields[i].key, j->fields[i].value);
	return (ferror(f) ? -1 : 0);
}

static int
journal_check(const struct jentry *j, char *err, size_t errlen)
{
	int	i;

	if (!value_ok(j->what) || !value_ok(j->id) || j->id[0] == '\0' ||
	    strchr(j->id, '/') != NULL || j->id[0] == '.') {
		snprintf(err, errlen, "journal entry '%s': a name or text with "
		    "control characters or '/'", j->id);
		return (-1);
	}
	for (i = 0; i < j->nfields; i++) {
		if (!value_ok(j->fields[i].key) ||
		    !value_ok(j->fields[i].value) ||
		    strchr(j->fields[i].key, '=') != NULL) {
			snprintf(err, errlen, "journal entry %s: field %s: "
			    "control characters cannot be journaled", j->id,
			    j->fields[i].key);
			return (-1);
		}
	}
	return (0);
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
	 * cache), not the kernel, whose qdiscs and processes die with it.
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

	if (journal_check(j, err, errlen) != 0)
		return (-1);
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

static int
parse_u64(const char *v, uint64_t *out)
{
	char	*end;

	if (*v == '\0' || *v == '-')
		return (-1);
	errno = 0;
	*out = strtoull(v, &end, 10);
	return (errno != 0 || *end != '\0' ? -1 : 0);
}

/*
 * Read an entry from f. Anything malformed (a line without '=', an
 * over-long line, a bad number, no type, too many fields) refuses the
 * whole entry: -EINVAL. Entries written before the journal had types
 * (no type= line) were network faults, named net-*.
 */
int
journal_parse(FILE *f, const char *id, struct jentry *j)
{
	char		 line[JOURNAL_LINE_MAX], *v;
	uint64_t	 n;
	int		 bad = 0, c;

	memset(j, 0, sizeof *j);
	snprintf(j->id, sizeof j->id, "%s", id);
	j->state = J_APPLYING;	/* an entry that does not say it is whole */
	while (!bad && fgets(line, sizeof line, f) != NULL) {
		size_t len = strlen(line);

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			/* an over-long line: drain it, refuse the entry */
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			bad = 1;
			break;
		}
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((v = strchr(line, '=')) == NULL || v == line ||
		    !value_ok(line)) {
			bad = 1;
			break;
		}
		*v++ = '\0';
		if (strcmp(line, "type") == 0)
			snprintf(j->type, sizeof j->type, "%s", v);
		else if (strcmp(line, "state") == 0)
			j->state = strcmp(v, "active") == 0 ? J_ACTIVE :
			    J_APPLYING;
		else if (strcmp(line, "owner") == 0)
			bad = parse_u64(v, &n) != 0 || n > INT32_MAX ||
			    (j->owner = (pid_t)n, 0);
		else if (strcmp(line, "owner_start") == 0)
			bad = parse_u64(v, &j->owner_start) != 0;
		else if (strcmp(line, "bound") == 0 ||
		    strcmp(line, "foreground") == 0)
			j->bound |= strcmp(v, "1") == 0;
		else if (strcmp(line, "instance") == 0) {
			char *end;

			errno = 0;
			j->instance = strtoull(v, &end, 16);
			bad = errno != 0 || *end != '\0';
		} else if (strcmp(line, "created_ms") == 0)
			bad = parse_u64(v, &j->created_ms) != 0;
		else if (strcmp(line, "expires_ms") == 0)
			bad = parse_u64(v, &j->expires_ms) != 0;
		else if (strcmp(line, "what") == 0)
			snprintf(j->what, sizeof j->what, "%s", v);
		else if (j->nfields >= JOURNAL_FIELDS_MAX)
			bad = 1;
		else
			jentry_add(j, line, "%s", v);
	}
	if (j->type[0] == '\0' && strncmp(id, "net-", 4) == 0)
		snprintf(j->type, sizeof j->type, "net");
	if (bad || ferror(f) || j->type[0] == '\0' ||
	    journal_type_find(j->type) == NULL) {
		jentry_free(j);
		return (-EINVAL);
	}
	return (0);
}

int
journal_read(const char *id, struct jentry *j)
{
	char	 path[PATH_MAX];
	FILE	*f;
	int	 fd, r;

	memset(j, 0, sizeof *j);
	journal_path(id, path, sizeof path);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return (-errno);
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return (-ENOMEM);
	}
	r = journal_parse(f, id, j);
	fclose(f);
	return (r);
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

/*
 * Every entry, oldest first; type NULL for all types. Unreadable and
 * malformed files are skipped (and said, once each, at -v).
 */
int
journal_list(const char *type, struct jentry **out, int *n)
{
	DIR		*d;
	struct dirent	*de;
	struct jentry	*v = NULL;
	char		 id[sizeof v->id], why[PATH_MAX + 256];
	size_t		 len, sl = strlen(JOURNAL_SUFFIX);
	int		 cap = 0, r;

	*out = NULL;
	*n = 0;
	/* entries someone else could have planted are not acted upon */
	if (registry_dir_check(journal_dir(), 0, why, sizeof why) != 0) {
		log_warn("%s", why);
		return (-EPERM);
	}
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
		if ((r = journal_read(id, &v[*n])) != 0) {
			if (r == -EINVAL)
				log_info("%s/%s: not a journal entry chaosd "
				    "can read: left alone", journal_dir(),
				    de->d_name);
			continue;
		}
		if (type != NULL && strcmp(v[*n].type, type) != 0) {
			jentry_free(&v[*n]);
			continue;
		}
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, (size_t)*n, sizeof *v, jentry_cmp);
	*out = v;
	return (0);
}

void
journal_list_free(struct jentry *v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		jentry_free(&v[i]);
	free(v);
}

/* The one lock every revert holds. -1: not taken (wait 0 and busy). */
int
journal_lock(int wait)
{
	char	path[PATH_MAX];
	int	fd;

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
 * Revert one entry from any process: take the lock, read it again, and
 * if it is still the one j names (the same instance, when j has one),
 * undo it through its type and remove it. 0 when it is gone: reverted
 * now or by someone else. -ESTALE when the entry there now was written by
 * another instance (a newer fault in the same place, not ours to undo).
 * On success *j is the entry as it was on disk.
 */
int
journal_revert(struct jentry *j, int wait, char *err, size_t errlen)
{
	const struct journal_type *t;
	struct jentry	 now;
	int		 lock, r;

	if ((lock = journal_lock(wait)) < 0) {
		snprintf(err, errlen, "the journal is busy");
		return (-EBUSY);
	}
	if (journal_read(j->id, &now) != 0) {
		journal_unlock(lock);
		return (0);	/* reverted meanwhile */
	}
	if (j->instance != 0 && now.instance != j->instance) {
		jentry_free(&now);
		journal_unlock(lock);
		return (-ESTALE);
	}
	if ((t = journal_type_find(now.type)) == NULL) {
		snprintf(err, errlen, "%s: unknown type '%s'", now.id,
		    now.type);
		jentry_free(&now);
		journal_unlock(lock);
		return (-EINVAL);
	}
	if ((r = t->revert(&now, err, errlen)) != 0) {
		jentry_free(&now);
		journal_unlock(lock);
		return (r);
	}
	journal_remove(&now);
	journal_unlock(lock);
	jentry_free(j);
	*j = now;
	return (0);
}
