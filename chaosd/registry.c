/*
 * registry.c: the fault tables chaosd knows about, for status and abort.
 *
 * `chaosd inject` writes one small file per table it arms, before it
 * arms it, under RUNDIR/tables/, where RUNDIR is $CHAOSD_RUNDIR, else
 * /run/chaosd (root, or whoever may write there), else
 * $XDG_RUNTIME_DIR/chaosd, else /tmp/chaosd-UID. The file's name is the
 * table's absolute path with '/' written '-' (and '-', '%', a leading '.'
 * and anything unusual as %XX), so arming one table twice rewrites one
 * entry; inside are plain "key=value" lines (path, owner, armed_ms,
 * deadline_ms) readable with cat. `chaosd inject --disarm` removes the entry; status
 * lists the entries and every RUNDIR/NAME.table (the tables preloaded
 * services create, armed or not); abort flips the kill switch of them
 * all.
 *
 * A path with a control character is never recorded (a newline would cut
 * it short in the entry), and an entry is used only if it reads back
 * exactly: whole lines, one absolute path, whose encoding is the entry's
 * own name. Anything else is a bad entry, which status, abort and recover
 * report rather than skip. The /tmp/chaosd-UID fallback is used only if
 * it is this user's own directory, closed to others.
 *
 * The network journal (journal.c) only knows network faults, so tables
 * are not in it: a table's own deadline is what makes its faults expire
 * when chaosd is gone, and `chaosd abort` finds tables here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaosd.h"

#define REG_SUFFIX	".entry"
#define REG_TMPDIR	"/tmp/chaosd-%u"	/* the last fallback, per uid */
#define REG_ENTRY_MAX	(PATH_MAX + 512)	/* an entry file's size */

/* snprintf for paths: 0, or -1 if it did not fit */
static int printflike(3, 4)
pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= len ? -1 : 0);
}

static int
dir_usable(const char *d)
{
	struct stat	st;

	if (lstat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		return (0);
	return (access(d, W_OK | X_OK) == 0);
}

/*
 * A run directory in a place others may write (/tmp): ours, a real
 * directory, and closed to group and others; made so if it is missing.
 * 0, or -1 with errno (EPERM: someone else's or open to others).
 */
static int
dir_private(const char *d)
{
	struct stat	st;

	if (mkdir(d, 0700) != 0 && errno != EEXIST)
		return (-1);
	if (lstat(d, &st) != 0)
		return (-1);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		errno = EPERM;
		return (-1);
	}
	return (0);
}

/* mkdir -p for the last two levels we may create; 0 if d is usable. */
static int
dir_make(const char *d, mode_t mode)
{
	char	parent[PATH_MAX], *s;

	if (dir_usable(d))
		return (0);
	(void)pathf(parent, sizeof parent, "%s", d);
	if ((s = strrchr(parent, '/')) != NULL && s != parent) {
		*s = '\0';
		if (!dir_usable(parent) && mkdir(parent, mode) != 0 &&
		    errno != EEXIST)
			return (-1);
	}
	if (mkdir(d, mode) != 0 && errno != EEXIST)
		return (-1);
	return (dir_usable(d) ? 0 : -1);
}

/* The run directories to look in: CHAOSD_RUNDIR, or the system one and
   this user's fallback. Returns how many (1 or 2). */
static int
registry_rundirs(char dirs[2][PATH_MAX])
{
	const char	*env = getenv("CHAOSD_RUNDIR");
	const char	*xdg = getenv("XDG_RUNTIME_DIR");

	if (env != NULL && *env != '\0') {
		(void)pathf(dirs[0], PATH_MAX, "%s", env);
		return (1);
	}
	snprintf(dirs[0], PATH_MAX, "/run/chaosd");
	if (geteuid() == 0)
		return (1);
	if (xdg != NULL && *xdg == '/')
		(void)pathf(dirs[1], PATH_MAX, "%s/chaosd", xdg);
	else
		snprintf(dirs[1], PATH_MAX, REG_TMPDIR, (unsigned)geteuid());
	return (2);
}

/* The /tmp fallback, which anyone could have made first. */
static int
registry_is_tmpdir(const char *d)
{
	char	tmpdir[64];

	snprintf(tmpdir, sizeof tmpdir, REG_TMPDIR, (unsigned)geteuid());
	return (strcmp(d, tmpdir) == 0);
}

/*
 * A run directory fit to read entries from or write them to (the
 * registry's, and the journal's, which shares it): the /tmp fallback only
 * if it is private (dir_private). 0, or -1 with err.
 */
int
registry_dir_check(const char *d, int create, char *err, size_t errlen)
{
	struct stat	st;

	if (!registry_is_tmpdir(d))
		return (0);
	if (!create && lstat(d, &st) != 0 && errno == ENOENT)
		return (0);
	if (dir_private(d) == 0)
		return (0);
	if (errno == EPERM)
		snprintf(err, errlen, "%s is not a private directory of this "
		    "user (owned by someone else, open to others, or not a "
		    "directory): not used; remove it, or set CHAOSD_RUNDIR",
		    d);
	else
		snprintf(err, errlen, "cannot create %s: %s", d,
		    strerror(errno));
	return (-1);
}

const char *
registry_rundir(void)
{
	static char	dirs[2][PATH_MAX];
	int		n;

	n = registry_rundirs(dirs);
	if (n == 1 || dir_usable(dirs[0]) ||
	    (access("/run", W_OK) == 0 && dir_make(dirs[0], 0755) == 0))
		return (dirs[0]);
	return (dirs[1]);
}

int
registry_abspath(const char *path, char *buf, size_t len)
{
	char	dir[PATH_MAX], real[PATH_MAX];
	const char *base;
	char	*s;

	if (path[0] == '\0' || strlen(path) >= PATH_MAX - 1)
		return (-1);
	if (path[0] == '/')
		(void)pathf(dir, sizeof dir, "%s", path);
	else {
		if (getcwd(real, sizeof real) == NULL)
			return (-1);
		(void)pathf(dir, sizeof dir, "%s/%s", real, path);
	}
	/* resolve the directory, never the file itself (it may be a link) */
	if ((s = strrchr(dir, '/')) == NULL)
		return (-1);
	*s = '\0';
	base = s + 1;
	if (*base == '\0')
		return (-1);
	if (realpath(dir[0] ? dir : "/", real) == NULL)
		(void)pathf(real, sizeof real, "%s", dir[0] ? dir : "/");
	if (pathf(buf, len, "%s/%s", strcmp(real, "/") == 0 ? "" : real,
	    base) != 0)
		return (-1);
	return (0);
}

static void
registry_name(const char *path, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	uint64_t	h = 1469598103934665603ull;	/* FNV-1a */
	const char	*p;
	size_t		o = 0;

	/* one '/' dropped, not all: "//a" and "/a" are two entries */
	p = path[0] == '/' ? path + 1 : path;
	for (; *p != '\0' && o + 4 < len && o < 180; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '/')
			buf[o++] = '-';
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' ||
		    (c == '.' && o > 0))	/* ".NAME" is hidden, or temporary */
			buf[o++] = (char)c;
		else {
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	if (*p != '\0') {	/* too long: keep it unique with a hash */
		for (p = path; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		snprintf(buf + o, len - o, "~%016" PRIx64, h);
	}
}

/*
 * A path the registry can record: absolute, shorter than PATH_MAX, naming
 * a file (not ending in '/': "/" would be an entry with an empty name),
 * and free of control characters (a newline would end it early in the
 * entry, and the kill switch would miss the table).
 */
int
registry_path_ok(const char *path, char *err, size_t errlen)
{
	const unsigned char	*p;
	char			 esc[128];
	size_t			 len = strlen(path);

	str_escape(esc, sizeof esc, path);
	if (path[0] != '/' || len >= PATH_MAX || path[len - 1] == '/') {
		snprintf(err, errlen, "'%s': not the absolute path of a file, "
		    "shorter than %d bytes", esc, PATH_MAX);
		return (-1);
	}
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "'%s': a path with a control "
			    "character (\\x%02x) cannot be recorded in the "
			    "registry", esc, *p);
			return (-1);
		}
	}
	return (0);
}

int
registry_add(const char *path, uint64_t armed, uint64_t deadline,
    char *err, size_t errlen)
{
	char	dir[PATH_MAX], name[256], file[PATH_MAX + 300],
		tmp[PATH_MAX + 320];
	FILE	*f;
	int	 fd;

	if (registry_path_ok(path, err, errlen) != 0)
		return (-1);
	(void)pathf(dir, sizeof dir, "%s", registry_rundir());
	if (registry_dir_check(dir, 1, err, errlen) != 0)
		return (-1);
	if (dir_make(dir, 0755) != 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return (-1);
	}
	strlcpy_chaos(dir + strlen(dir), "/tables", sizeof dir - strlen(dir));
	if (dir_make(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return (-1);
	}
	registry_name(path, name, sizeof name);
	(void)pathf(file, sizeof file, "%s/%s%s", dir, name, REG_SUFFIX);
	(void)pathf(tmp, sizeof tmp, "%s/.%s.%ld", dir, name, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return (-1);
	}
	fprintf(f, "# chaosd: a fault table armed by chaosd inject or run\n"
	    "path=%s\nowner=%ld\narmed_ms=%" PRIu64 "\ndeadline_ms=%" PRIu64
	    "\n", path, (long)getpid(), armed / 1000000, deadline / 1000000);
	if (fflush(f) != 0 || ferror(f) || rename(tmp, file) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", file,
		    strerror(errno));
		fclose(f);
		unlink(tmp);
		return (-1);
	}
	fclose(f);
	return (0);
}

void
registry_remove(const char *path)
{
	char	dirs[2][PATH_MAX], name[256], file[PATH_MAX + 300],
		why[PATH_MAX + 256];
	int	n, i;

	registry_name(path, name, sizeof name);
	n = registry_rundirs(dirs);
	for (i = 0; i < n; i++) {
		if (registry_dir_check(dirs[i], 0, why, sizeof why) != 0)
			continue;
		(void)pathf(file, sizeof file, "%s/tables/%s%s", dirs[i],
		    name, REG_SUFFIX);
		unlink(file);
	}
}

/*
 * The path an entry records, if the entry reads back exactly: at most
 * REG_ENTRY_MAX bytes of whole "key=value" lines (or comments), one
 * path= line holding a path registry_path_ok() accepts, and that path
 * encoded is the entry's own file name. 0, or -1 with why.
 */
static int
registry_read_path(int dirfd, const char *ename, char *buf, size_t len,
    char *why, size_t whylen)
{
	char	 text[REG_ENTRY_MAX + 1], name[256], *line, *nl;
	size_t	 n = 0;
	ssize_t	 got;
	int	 fd, paths = 0;

	fd = openat(dirfd, ename, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	if (fd < 0) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return (-1);
	}
	while (n < sizeof text &&
	    (got = read(fd, text + n, sizeof text - n)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, whylen, "cannot read: %s",
			    strerror(errno));
			close(fd);
			return (-1);
		}
		n += (size_t)got;
	}
	close(fd);
	if (n == sizeof text) {
		snprintf(why, whylen, "larger than %d bytes", REG_ENTRY_MAX);
		return (-1);
	}
	text[n] = '\0';
	if (memchr(text, '\0', n) != NULL) {
		snprintf(why, whylen, "holds a NUL byte");
		return (-1);
	}
	if (n == 0 || text[n - 1] != '\n') {
		snprintf(why, whylen, "does not end with a whole line");
		return (-1);
	}
	for (line = text; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		if (*line == '#')
			continue;
		if (strchr(line, '=') == NULL || *line == '=') {
			snprintf(why, whylen, "a line is not key=value");
			return (-1);
		}
		if (strncmp(line, "path=", 5) != 0)
			continue;
		if (paths++ > 0) {
			snprintf(why, whylen, "more than one path=");
			return (-1);
		}
		if (registry_path_ok(line + 5, why, whylen) != 0 ||
		    pathf(buf, len, "%s", line + 5) != 0)
			return (-1);
	}
	if (paths == 0) {
		snprintf(why, whylen, "no path=");
		return (-1);
	}
	registry_name(buf, name, sizeof name);
	n = strlen(ename) - strlen(REG_SUFFIX);
	if (strlen(name) != n || strncmp(name, ename, n) != 0) {
		snprintf(why, whylen, "its path= is not the path its name "
		    "encodes");
		return (-1);
	}
	return (0);
}

static void
list_add(struct registry_list *l, const char *path, int registered)
{
	int	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->path[i], path) == 0) {
			l->registered[i] |= registered;
			return;
		}
	}
	l->path = xreallocarray(l->path, l->n + 1, sizeof *l->path);
	l->registered = xreallocarray(l->registered, l->n + 1,
	    sizeof *l->registered);
	l->path[l->n] = xstrdup(path);
	l->registered[l->n] = registered;
	l->n++;
}

static void printflike(2, 3)
list_bad(struct registry_list *l, const char *fmt, ...)
{
	va_list	ap;

	l->bad = xreallocarray(l->bad, l->nbad + 1, sizeof *l->bad);
	va_start(ap, fmt);
	if (vasprintf(&l->bad[l->nbad], fmt, ap) < 0)
		l->bad[l->nbad] = xstrdup("a bad registry entry");
	va_end(ap);
	l->nbad++;
}

/* Say what could not be read (status, abort, recover); how many. */
int
registry_warn_bad(const struct registry_list *l)
{
	int	i;

	for (i = 0; i < l->nbad; i++)
		log_warn("%s", l->bad[i]);
	return (l->nbad);
}

static int
path_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

void
registry_list(struct registry_list *l)
{
	char		 dirs[2][PATH_MAX], sub[PATH_MAX + 16],
			 file[PATH_MAX + 300], path[PATH_MAX],
			 why[PATH_MAX + 256], esc[512];
	struct dirent	*de;
	DIR		*d;
	size_t		 len, sl = strlen(REG_SUFFIX);
	int		 n, i, k;

	memset(l, 0, sizeof *l);
	n = registry_rundirs(dirs);
	for (i = 0; i < n; i++) {
		if (registry_dir_check(dirs[i], 0, why, sizeof why) != 0) {
			list_bad(l, "%s", why);
			continue;
		}
		(void)pathf(sub, sizeof sub, "%s/tables", dirs[i]);
		if ((d = opendir(sub)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				len = strlen(de->d_name);
				if (de->d_name[0] == '.' || len <= sl ||
				    strcmp(de->d_name + len - sl,
				    REG_SUFFIX) != 0)
					continue;
				if (registry_read_path(dirfd(d), de->d_name,
				    path, sizeof path, why, sizeof why) == 0)
					list_add(l, path, 1);
				else {
					str_escape(esc, sizeof esc,
					    de->d_name);
					list_bad(l, "registry entry %s/%s: %s "
					    "(check that table by hand, then "
					    "remove the entry)", sub, esc,
					    why);
				}
			}
			closedir(d);
		}
		if ((d = opendir(dirs[i])) != NULL) {
			while ((de = readdir(d)) != NULL) {
				len = strlen(de->d_name);
				if (de->d_name[0] == '.' || len <= 6 ||
				    strcmp(de->d_name + len - 6, ".table") != 0)
					continue;
				(void)pathf(file, sizeof file, "%s/%s",
				    dirs[i], de->d_name);
				if (registry_abspath(file, path,
				    sizeof path) == 0)
					list_add(l, path, 0);
			}
			closedir(d);
		}
	}
	/* sort paths, keeping the registered flags with them */
	for (i = 0; i < l->n; i++) {
		for (k = i + 1; k < l->n; k++) {
			if (path_cmp(&l->path[i], &l->path[k]) > 0) {
				char	*t = l->path[i];
				int	 r = l->registered[i];

				l->path[i] = l->path[k];
				l->path[k] = t;
				l->registered[i] = l->registered[k];
				l->registered[k] = r;
			}
		}
	}
}

void
registry_list_free(struct registry_list *l)
{
	int	i;

	for (i = 0; i < l->n; i++)
		free(l->path[i]);
	free(l->path);
	free(l->registered);
	for (i = 0; i < l->nbad; i++)
		free(l->bad[i]);
	free(l->bad);
	memset(l, 0, sizeof *l);
}

/* Print one table's rules and counters, indented (inject --for, status). */
void
registry_print_rules(const struct table *tb, const struct rule_set *set)
{
	char	 buf[4096];
	uint64_t matched, injected;
	int	 i;

	for (i = 0; i < set->n; i++) {
		if (rule_format(&set->rule[i], buf, sizeof buf) < 0)
			snprintf(buf, sizeof buf, "?");
		table_counts(tb, i, &matched, &injected);
		printf("  %-16s matched %-8" PRIu64 " injected %-8" PRIu64
		    " %s\n", set->rule[i].name, matched, injected, buf);
	}
}
