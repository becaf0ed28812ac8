/*
 * fileops: run file-system calls named on the command line, in order,
 * and print what each returned.
 *
 *	fileops OP[=ARG]...
 *
 * A current descriptor (and a current FILE *) carries from one op to the
 * next: `open=F read=10 dup read=10 close`. Each op prints one line,
 * CALL=RESULT [errno=NAME] [data=TEXT] [ms=N] (see helper.h).
 *
 * Ops:
 *   open=P open64=P openw=P (O_WRONLY|O_CREAT|O_TRUNC) openrw=P
 *   openat=DIR,NAME creat=P fopen=P,MODE fd=N
 *   read=N pread=N,OFF readv=N fread=N fgets=N getline fgetc
 *   write=T pwrite=T,OFF writev=T fwrite=T fputs=T fprintf=T fflush
 *   fsync fdatasync close fclose
 *   stat=P lstat=P fstat statx=P access=P
 *   unlink=P rename=A,B mkdir=P rmdir=P truncate=P,LEN ftruncate=LEN
 *   fallocate=LEN
 *   dup dup2=N dup3=N dupfd=N (fcntl F_DUPFD): the copy becomes current
 *   chdir=P pipe (current: the write end) socketpair
 *   sleep=MS timed (print ms= from now on) exit=N
 *   repeat=N OP: run OP N times, print one summary line:
 *     repeat=N ok=A fail=B [errno=FIRST] pattern=0010... (1: failed)
 *   exec: re-exec this program with the current descriptor kept open,
 *     the remaining ops run in the new image
 *   fork: the child runs the remaining ops; the parent waits for it,
 *     prints child=exit:N or child=signal:N, and stops
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "helper.h"

static int cur = -1;
static FILE *fp;
static int timed;
static int quiet;		/* inside repeat= */
static int last_err;
static char **rest;		/* ops after the current one */

#define BUFMAX 65536
static char buf[BUFMAX + 1];

static long
num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s) {
		fprintf(stderr, "fileops: bad number '%s'\n", s);
		exit(99);
	}
	return v;
}

/* "A,B": split at the last comma; B is returned, A cut in place. */
static char *
second(char *arg)
{
	char *c = arg != NULL ? strrchr(arg, ',') : NULL;

	if (c == NULL) {
		fprintf(stderr, "fileops: '%s' needs two arguments\n",
		    arg ? arg : "");
		exit(99);
	}
	*c = '\0';
	return c + 1;
}

static size_t
len_arg(const char *arg)
{
	long n = num(arg);

	if (n < 0 || n > BUFMAX) {
		fprintf(stderr, "fileops: length %ld out of range\n", n);
		exit(99);
	}
	return (size_t)n;
}

/* Report a call returning -1 / a count; data (read calls) when n > 0. */
static int
report(const char *name, long ret, int err, double t0, const void *data)
{
	char text[BUFMAX * 4 + 1], t[32] = "";

	if (ret < 0)
		last_err = err;
	if (quiet)
		return ret < 0 ? -1 : 0;
	if (timed)
		snprintf(t, sizeof t, " ms=%.0f", h_now_ms() - t0);
	if (ret < 0) {
		h_say("%s=%ld errno=%s%s", name, ret, h_errname(err), t);
	} else if (data != NULL) {
		h_escape(text, sizeof text, data, (size_t)ret);
		h_say("%s=%ld data=%s%s", name, ret, text, t);
	} else {
		h_say("%s=%ld%s", name, ret, t);
	}
	return ret < 0 ? -1 : 0;
}

/* Report a call returning a pointer (NULL on error). */
static int
report_ptr(const char *name, const void *p, int err, double t0,
    const char *data)
{
	char text[BUFMAX * 4 + 1], t[32] = "";

	if (p == NULL)
		last_err = err;
	if (quiet)
		return p == NULL ? -1 : 0;
	if (timed)
		snprintf(t, sizeof t, " ms=%.0f", h_now_ms() - t0);
	if (p == NULL) {
		h_say("%s=NULL errno=%s%s", name, h_errname(err), t);
	} else if (data != NULL) {
		h_escape(text, sizeof text, data, strlen(data));
		h_say("%s=ok data=%s%s", name, text, t);
	} else {
		h_say("%s=ok%s", name, t);
	}
	return p == NULL ? -1 : 0;
}

/* A stdio call: failed when ferror() is set or it returned EOF/short. */
static int
report_stdio(const char *name, long ret, int failed, int err, double t0,
    const void *data)
{
	char t[32] = "", text[BUFMAX * 4 + 1];

	if (failed)
		last_err = err;
	if (quiet)
		return failed ? -1 : 0;
	if (timed)
		snprintf(t, sizeof t, " ms=%.0f", h_now_ms() - t0);
	if (failed) {
		h_say("%s=%ld errno=%s ferror=%d%s", name, ret, h_errname(err),
		    fp != NULL ? ferror(fp) : -1, t);
	} else if (data != NULL) {
		h_escape(text, sizeof text, data, (size_t)ret);
		h_say("%s=%ld data=%s%s", name, ret, text, t);
	} else {
		h_say("%s=%ld%s", name, ret, t);
	}
	return failed ? -1 : 0;
}

static void
need_fp(void)
{
	if (fp == NULL) {
		fprintf(stderr, "fileops: no FILE * open\n");
		exit(99);
	}
}

static void
do_exec(void)
{
	char fdarg[32], **av;
	int n = 0, i;

	while (rest[n] != NULL)
		n++;
	av = calloc((size_t)n + 3, sizeof *av);
	if (av == NULL)
		exit(99);
	snprintf(fdarg, sizeof fdarg, "fd=%d", cur);
	av[0] = (char *)(uintptr_t)"fileops";
	av[1] = fdarg;
	for (i = 0; i < n; i++)
		av[i + 2] = rest[i];
	av[n + 2] = NULL;
	if (cur >= 0)
		fcntl(cur, F_SETFD, 0);
	execv("/proc/self/exe", av);
	h_say("exec=-1 errno=%s", h_errname(errno));
	exit(1);
}

static void
do_fork(void)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0) {
		h_say("fork=-1 errno=%s", h_errname(errno));
		exit(1);
	}
	if (pid == 0)
		return;		/* the child runs the rest */
	if (waitpid(pid, &st, 0) < 0)
		exit(99);
	if (WIFEXITED(st))
		h_say("child=exit:%d", WEXITSTATUS(st));
	else
		h_say("child=signal:%d", WTERMSIG(st));
	exit(0);
}

/* Run one op; 0 ok, -1 the call failed. */
static int
op(const char *word)
{
	char name[64], *arg = NULL, *b;
	const char *eq = strchr(word, '=');
	double t0 = h_now_ms();
	static char argbuf[BUFMAX];
	struct stat st;
	struct iovec iov[2];
	size_t n;
	long r;

	if (eq != NULL) {
		snprintf(name, sizeof name, "%.*s", (int)(eq - word), word);
		snprintf(argbuf, sizeof argbuf, "%s", eq + 1);
		arg = argbuf;
	} else {
		snprintf(name, sizeof name, "%s", word);
	}
#define IS(s) (strcmp(name, (s)) == 0)
#define NEED() do { if (arg == NULL) { fprintf(stderr, \
	"fileops: %s needs an argument\n", name); exit(99); } } while (0)
	errno = 0;
	if (IS("open") || IS("open64") || IS("openw") || IS("openrw")) {
		int flags = IS("openw") ? O_WRONLY | O_CREAT | O_TRUNC :
		    IS("openrw") ? O_RDWR | O_CREAT : O_RDONLY;

		NEED();
		if (IS("open64"))
			r = open64(arg, flags, 0644);
		else
			r = open(arg, flags, 0644);
		if (r >= 0)
			cur = (int)r;
		return report(name, r, errno, t0, NULL);
	}
	if (IS("openat")) {
		int dfd;

		NEED();
		b = second(arg);
		dfd = open(arg, O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return report("openat-dir", dfd, errno, t0, NULL);
		r = openat(dfd, b, O_RDONLY);
		if (r >= 0)
			cur = (int)r;
		return report(name, r, errno, t0, NULL);
	}
	if (IS("creat")) {
		NEED();
		r = creat(arg, 0644);
		if (r >= 0)
			cur = (int)r;
		return report(name, r, errno, t0, NULL);
	}
	if (IS("fopen")) {
		NEED();
		b = second(arg);
		fp = fopen(arg, b);
		if (fp != NULL)
			cur = fileno(fp);
		return report_ptr(name, fp, errno, t0, NULL);
	}
	if (IS("fd")) {
		NEED();
		cur = (int)num(arg);
		return 0;
	}
	if (IS("read")) {
		NEED();
		r = read(cur, buf, len_arg(arg));
		return report(name, r, errno, t0, buf);
	}
	if (IS("pread")) {
		NEED();
		b = second(arg);
		r = pread(cur, buf, len_arg(arg), num(b));
		return report(name, r, errno, t0, buf);
	}
	if (IS("readv")) {
		NEED();
		n = len_arg(arg);
		iov[0].iov_base = buf;
		iov[0].iov_len = n / 2;
		iov[1].iov_base = buf + n / 2;
		iov[1].iov_len = n - n / 2;
		r = readv(cur, iov, 2);
		return report(name, r, errno, t0, buf);
	}
	if (IS("fread")) {
		NEED();
		need_fp();
		r = (long)fread(buf, 1, len_arg(arg), fp);
		return report_stdio(name, r, ferror(fp), errno, t0, buf);
	}
	if (IS("fgets")) {
		char *p;

		NEED();
		need_fp();
		p = fgets(buf, (int)len_arg(arg), fp);
		return report_ptr(name, p, errno, t0, p);
	}
	if (IS("getline")) {
		char *line = NULL;
		size_t cap = 0;

		need_fp();
		r = getline(&line, &cap, fp);
		report_stdio(name, r, r < 0, errno, t0, line);
		free(line);
		return r < 0 ? -1 : 0;
	}
	if (IS("fgetc")) {
		int c;

		need_fp();
		c = fgetc(fp);
		return report_stdio(name, c, c == EOF, errno, t0, NULL);
	}
	if (IS("write")) {
		NEED();
		r = write(cur, arg, strlen(arg));
		return report(name, r, errno, t0, NULL);
	}
	if (IS("pwrite")) {
		NEED();
		b = second(arg);
		r = pwrite(cur, arg, strlen(arg), num(b));
		return report(name, r, errno, t0, NULL);
	}
	if (IS("writev")) {
		NEED();
		n = strlen(arg);
		iov[0].iov_base = arg;
		iov[0].iov_len = n / 2;
		iov[1].iov_base = arg + n / 2;
		iov[1].iov_len = n - n / 2;
		r = writev(cur, iov, 2);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("fwrite")) {
		NEED();
		need_fp();
		r = (long)fwrite(arg, 1, strlen(arg), fp);
		return report_stdio(name, r, (size_t)r != strlen(arg), errno,
		    t0, NULL);
	}
	if (IS("fputs")) {
		NEED();
		need_fp();
		r = fputs(arg, fp);
		return report_stdio(name, r, r == EOF, errno, t0, NULL);
	}
	if (IS("fprintf")) {
		NEED();
		need_fp();
		r = fprintf(fp, "%s", arg);
		return report_stdio(name, r, r < 0, errno, t0, NULL);
	}
	if (IS("fflush")) {
		need_fp();
		r = fflush(fp);
		return report_stdio(name, r, r == EOF, errno, t0, NULL);
	}
	if (IS("fsync")) {
		r = fsync(cur);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("fdatasync")) {
		r = fdatasync(cur);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("close")) {
		r = close(cur);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("fclose")) {
		need_fp();
		r = fclose(fp);
		fp = NULL;
		return report(name, r == EOF ? -1 : r, errno, t0, NULL);
	}
	if (IS("stat")) {
		NEED();
		r = stat(arg, &st);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("lstat")) {
		NEED();
		r = lstat(arg, &st);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("fstat")) {
		r = fstat(cur, &st);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("statx")) {
		struct statx stx;

		NEED();
		r = statx(AT_FDCWD, arg, 0, STATX_BASIC_STATS, &stx);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("access")) {
		NEED();
		r = access(arg, R_OK);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("unlink")) {
		NEED();
		r = unlink(arg);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("rename")) {
		NEED();
		b = second(arg);
		r = rename(arg, b);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("mkdir")) {
		NEED();
		r = mkdir(arg, 0755);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("rmdir")) {
		NEED();
		r = rmdir(arg);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("truncate")) {
		NEED();
		b = second(arg);
		r = truncate(arg, num(b));
		return report(name, r, errno, t0, NULL);
	}
	if (IS("ftruncate")) {
		NEED();
		r = ftruncate(cur, num(arg));
		return report(name, r, errno, t0, NULL);
	}
	if (IS("fallocate")) {
		NEED();
		r = fallocate(cur, 0, 0, num(arg));
		return report(name, r, errno, t0, NULL);
	}
	if (IS("dup") || IS("dup2") || IS("dup3") || IS("dupfd")) {
		if (IS("dup")) {
			r = dup(cur);
		} else {
			NEED();
			if (IS("dup2"))
				r = dup2(cur, (int)num(arg));
			else if (IS("dup3"))
				r = dup3(cur, (int)num(arg), O_CLOEXEC);
			else
				r = fcntl(cur, F_DUPFD, (int)num(arg));
		}
		if (r >= 0)
			cur = (int)r;
		return report(name, r, errno, t0, NULL);
	}
	if (IS("chdir")) {
		NEED();
		r = chdir(arg);
		return report(name, r, errno, t0, NULL);
	}
	if (IS("pipe")) {
		int p[2];

		r = pipe(p);
		if (r == 0)
			cur = p[1];	/* the read end stays open, unread */
		return report(name, r, errno, t0, NULL);
	}
	if (IS("socketpair")) {
		int p[2];

		r = socketpair(AF_UNIX, SOCK_STREAM, 0, p);
		if (r == 0)
			cur = p[0];
		return report(name, r, errno, t0, NULL);
	}
	if (IS("sleep")) {
		NEED();
		usleep((useconds_t)num(arg) * 1000);
		return 0;
	}
	if (IS("timed")) {
		timed = 1;
		return 0;
	}
	if (IS("exit")) {
		NEED();
		exit((int)num(arg));
	}
	if (IS("exec")) {
		do_exec();
		return 0;
	}
	if (IS("fork")) {
		do_fork();
		return 0;
	}
	fprintf(stderr, "fileops: unknown op '%s'\n", word);
	exit(99);
#undef IS
#undef NEED
}

static void
repeat(long times, const char *word)
{
	static char pattern[513];
	long i, ok = 0, fail = 0;
	int first = 0;

	quiet = 1;
	for (i = 0; i < times; i++) {
		int rc;

		last_err = 0;
		rc = op(word);
		if (rc < 0) {
			if (fail == 0)
				first = last_err;
			fail++;
		} else {
			ok++;
		}
		if (i < 512)
			pattern[i] = rc < 0 ? '1' : '0';
	}
	pattern[times < 512 ? times : 512] = '\0';
	quiet = 0;
	if (fail)
		h_say("repeat=%ld ok=%ld fail=%ld errno=%s pattern=%s", times,
		    ok, fail, h_errname(first), pattern);
	else
		h_say("repeat=%ld ok=%ld fail=0 pattern=%s", times, ok,
		    pattern);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 2)
		h_usage("fileops", "OP[=ARG]... (see fileops.c)");
	for (i = 1; i < argc; i++) {
		rest = argv + i + 1;
		if (strncmp(argv[i], "repeat=", 7) == 0) {
			if (i + 1 >= argc)
				h_usage("fileops", "repeat=N OP");
			repeat(num(argv[i] + 7), argv[i + 1]);
			i++;
			continue;
		}
		op(argv[i]);
	}
	return 0;
}
