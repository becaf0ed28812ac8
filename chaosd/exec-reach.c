/*
 * exec-reach.c: what chaosd exec's rules reached.
 *
 * The shim of every process under chaosd exec writes its lines on a log
 * of exec's own (CHAOS_LOG_FD: a file in a private directory, removed at
 * the end; libinject(7), LOG LINES). While CMD runs, chaosd passes the
 * warnings (refused, gone, error) on to its standard error, and with -v
 * every line, as CHAOS_LOG=stderr did. At the end it sums each rule's
 * summary lines over the processes and says which rule matched no call
 * (or matched but never fired), with a hint: a program linked statically
 * never loads the shim at all, and a Go program's I/O bypasses libc;
 * both need a syscall rule (-s).
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chaosd.h"
#include "exec-reach.h"

#define LINE_CHUNK	65536
#define EXEC_LOG_FD_MIN	100
#define HINT		"a static or Go program's I/O bypasses libc: use -s " \
			"for a syscall rule"

/* The log, in a directory of our own: 0 and CHAOS_LOG_FD's number. */
int
exec_log_open(struct exec_log *l, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	int	 fd;

	memset(l, 0, sizeof *l);
	l->fd = -1;
	if (tmp == NULL || *tmp != '/')
		tmp = "/tmp";
	xasprintf(&l->dir, "%s/chaosd-exec.XXXXXX", tmp);
	if (mkdtemp(l->dir) == NULL) {
		snprintf(err, errlen, "%s: %s", l->dir, strerror(errno));
		free(l->dir);
		l->dir = NULL;
		return (-1);
	}
	xasprintf(&l->path, "%s/shim.log", l->dir);
	l->fd = open(l->path, O_RDWR | O_CREAT | O_EXCL | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (l->fd < 0) {
		snprintf(err, errlen, "%s: %s", l->path, strerror(errno));
		exec_log_close(l);
		return (-1);
	}
	/* out of the way: CMD's own descriptors are numbered as without
	   chaosd (the first it opens is 3) */
	if ((fd = fcntl(l->fd, F_DUPFD_CLOEXEC, EXEC_LOG_FD_MIN)) >= 0) {
		close(l->fd);
		l->fd = fd;
	}
	return (0);
}

/* "rule=NAME matched=N injected=M source=own" of a summary line. */
static void
summary(struct exec_log *l, const char *s)
{
	char	 name[RULE_NAME_MAX + 1], src[8];
	unsigned long long m, n;
	int	 i;

	if (sscanf(s, "rule=%64s matched=%llu injected=%llu source=%7s",
	    name, &m, &n, src) != 4 || strcmp(src, "own") != 0)
		return;
	l->summaries++;
	for (i = 0; i < l->nrules; i++)
		if (strcmp(l->rule[i].name, name) == 0)
			break;
	if (i == l->nrules) {
		if (l->nrules == EXEC_RULES_MAX)
			return;
		snprintf(l->rule[l->nrules++].name, sizeof l->rule[0].name,
		    "%s", name);
	}
	l->rule[i].matched += m;
	l->rule[i].injected += n;
}

/* One line: passed on (warnings; all with -v), summaries counted. */
static void
line(void *arg, char *s)
{
	struct exec_log *l = arg;
	const char *ev;

	if (strncmp(s, "libinject[", 10) != 0 ||
	    (ev = strstr(s, "]")) == NULL || (ev = strstr(ev, ": ")) == NULL)
		ev = "";
	else
		ev += 2;
	if (strncmp(ev, "summary ", 8) == 0)
		summary(l, ev + 8);
	if (l->verbose || strncmp(ev, "refused ", 8) == 0 ||
	    strncmp(ev, "gone ", 5) == 0 || strncmp(ev, "error ", 6) == 0)
		fprintf(stderr, "%s\n", s);
}

/*
 * CHAOS_LOG_FD's value for the log open on fd: "N:DEV:INO", so that a
 * process that finds another file under that number (a program closed
 * ours and reused it) leaves it alone. 0, or -1 with errno set.
 */
int
shim_log_fd_env(int fd, char *buf, size_t len)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return (-1);
	snprintf(buf, len, "%d:%llu:%llu", fd, (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	return (0);
}

/*
 * Each complete line written on the shim's log fd since *off, to fn (with
 * last, an unfinished one too); chaosd exec's and chaosd run's reader.
 */
void
shim_lines(int fd, off_t *off, int last, void (*fn)(void *, char *),
    void *arg)
{
	char	*buf, *s, *nl;
	ssize_t	 got;

	buf = xmalloc(LINE_CHUNK + 1);
	while ((got = pread(fd, buf, LINE_CHUNK, *off)) > 0) {
		buf[got] = '\0';
		s = buf;
		while ((nl = memchr(s, '\n', (size_t)(buf + got - s))) != NULL) {
			*nl = '\0';
			fn(arg, s);
			s = nl + 1;
		}
		if (s == buf && (got == LINE_CHUNK || last)) {
			fn(arg, s);	/* too long, or cut short: as it is */
			s = buf + got;
		}
		if (s == buf)
			break;		/* a line being written */
		*off += s - buf;
	}
	free(buf);
}

static void
relay(struct exec_log *l, int last)
{
	shim_lines(l->fd, &l->off, last, line, l);
	fflush(stderr);
}

void
exec_log_relay(struct exec_log *l)
{
	if (l->fd >= 0)
		relay(l, 0);
}

/* The program exec would run: argv0 looked up in PATH as execvp does. */
static int
find_program(const char *argv0, char *path, size_t len)
{
	const char *p = getenv("PATH"), *e;

	if (strchr(argv0, '/') != NULL) {
		snprintf(path, len, "%s", argv0);
		return (access(path, X_OK));
	}
	if (p == NULL)
		p = "/usr/local/bin:/usr/bin:/bin";
	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (e == p)
			snprintf(path, len, "./%s", argv0);
		else
			snprintf(path, len, "%.*s/%s", (int)(e - p), p, argv0);
		if (access(path, X_OK) == 0)
			return (0);
	}
	return (-1);
}

/* 1 when path is an ELF program with no interpreter (static). */
static int
is_static(const char *path)
{
	unsigned char	 e[EI_NIDENT];
	Elf64_Ehdr	 h64;
	Elf64_Phdr	 p64;
	Elf32_Ehdr	 h32;
	Elf32_Phdr	 p32;
	int		 fd, i, ret = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (0);
	if (pread(fd, e, sizeof e, 0) != (ssize_t)sizeof e ||
	    memcmp(e, ELFMAG, SELFMAG) != 0)
		goto out;
	if (e[EI_CLASS] == ELFCLASS64) {
		if (pread(fd, &h64, sizeof h64, 0) != (ssize_t)sizeof h64 ||
		    h64.e_type != ET_EXEC || h64.e_phentsize != sizeof p64)
			goto out;	/* static-pie is ET_DYN: see below */
		ret = 1;
		for (i = 0; i < h64.e_phnum; i++)
			if (pread(fd, &p64, sizeof p64, (off_t)(h64.e_phoff +
			    (uint64_t)i * sizeof p64)) == (ssize_t)sizeof p64 &&
			    (p64.p_type == PT_INTERP || p64.p_type == PT_DYNAMIC))
				ret = 0;
	} else if (e[EI_CLASS] == ELFCLASS32) {
		if (pread(fd, &h32, sizeof h32, 0) != (ssize_t)sizeof h32 ||
		    h32.e_type != ET_EXEC || h32.e_phentsize != sizeof p32)
			goto out;
		ret = 1;
		for (i = 0; i < h32.e_phnum; i++)
			if (pread(fd, &p32, sizeof p32, (off_t)(h32.e_phoff +
			    (uint32_t)i * sizeof p32)) == (ssize_t)sizeof p32 &&
			    (p32.p_type == PT_INTERP || p32.p_type == PT_DYNAMIC))
				ret = 0;
	}
out:
	close(fd);
	return (ret);
}

/*
 * After CMD: the last lines, then each rule that did not happen. The
 * rules are known by the processes' summaries, which the shim writes at
 * exit, _exit and exec; none at all means every process that loaded it
 * was killed, or none loaded it (static, setuid): the rules' reach is
 * unknown, and said so.
 */
void
exec_log_verdict(struct exec_log *l, const char *argv0)
{
	char	path[PATH_MAX];
	int	i;

	if (l->fd < 0)
		return;
	relay(l, 1);
	if (l->summaries == 0) {
		if (find_program(argv0, path, sizeof path) == 0 &&
		    is_static(path))
			log_warn("%s is statically linked: libinject "
			    "(LD_PRELOAD) cannot reach it, no rule could "
			    "match; use -s for a syscall rule", path);
		else
			log_warn("no process reported what the rules "
			    "matched (each reports as it exits or execs: "
			    "killed by a signal, or setuid, which libinject "
			    "leaves alone?): whether they were reached is "
			    "unknown");
		return;
	}
	for (i = 0; i < l->nrules; i++) {
		if (l->rule[i].matched == 0)
			log_warn("rule %s matched no call: check its call and "
			    "path (%s)", l->rule[i].name, HINT);
		else if (l->rule[i].injected == 0)
			log_warn("rule %s matched %llu call%s but injected "
			    "none: its trigger never fired (nth, after, "
			    "probability)", l->rule[i].name,
			    (unsigned long long)l->rule[i].matched,
			    l->rule[i].matched == 1 ? "" : "s");
	}
}

void
exec_log_close(struct exec_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->path != NULL)
		unlink(l->path);
	if (l->dir != NULL)
		rmdir(l->dir);
	free(l->path);
	free(l->dir);
	l->path = l->dir = NULL;
	l->fd = -1;
}
