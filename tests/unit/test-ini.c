/*
 * test-ini.c: the counting INI reader over inih (ini.c).
 */
#include "unit.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* What the callback saw, one line of text per call. */
struct seen {
	char	 log[4096];
	int	 calls;
	int	 fail_at;	/* refuse the call on this line */
};

static int
record(void *user, const char *section, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct seen *s = user;
	size_t	 n = strlen(s->log);

	s->calls++;
	if (key == NULL)
		snprintf(s->log + n, sizeof s->log - n, "%d [%s]\n", line,
		    section);
	else
		snprintf(s->log + n, sizeof s->log - n, "%d [%s] %s=%s\n",
		    line, section, key, value);
	if (line == s->fail_at) {
		snprintf(err, errlen, "refused '%s'", key != NULL ? key :
		    section);
		return 0;
	}
	return 1;
}

/* Read text as a file; returns ini_read_file_ex's result. */
static int
read_text(const char *text, size_t len, unsigned flags, struct seen *s,
    char *err, size_t errlen, char **pathp)
{
	char	*path = unit_tmpfile(text, len);
	int	 r;

	r = ini_read_file_ex(path, flags, record, s, err, errlen);
	if (pathp != NULL)
		*pathp = path;
	else {
		unlink(path);
		free(path);
	}
	return r;
}

static void
good_file(void **state)
{
	static const char text[] =
	    "; a comment\n"
	    "# another\n"
	    "\n"
	    "[inject.one]\n"
	    "call = read, pread\n"
	    "  error = EIO   ; inline comment\n"
	    "\tpath=/srv/db/*\n"
	    "probability: 5%\n"
	    "[inject.two]   ; trailing comment\n"
	    "delay = 2s\r\n"
	    "empty =\n"
	    "last = no newline";
	struct seen s = { .fail_at = -1 };
	char	 err[RULE_ERR_MAX] = "";

	(void)state;
	assert_int_equal(read_text(text, sizeof text - 1, 0, &s, err,
	    sizeof err, NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(s.log,
	    "5 [inject.one] call=read, pread\n"
	    "6 [inject.one] error=EIO\n"
	    "7 [inject.one] path=/srv/db/*\n"
	    "8 [inject.one] probability=5%\n"
	    "10 [inject.two] delay=2s\n"
	    "11 [inject.two] empty=\n"
	    "12 [inject.two] last=no newline\n");
}

static void expect_error(const char *, size_t, unsigned, int, const char *);

/*
 * Indented lines right after a pair continue its value (one space
 * between the pieces, inline comments and blanks dropped): one call,
 * at the key's line. An indented line shaped "key = value" (a key: a
 * letter or '_', then letters, digits, '_') is a key of its own, as is
 * any line after a blank line, a comment or a section.
 */
static void
continuations(void **state)
{
	static const char text[] =
	    "[scenario]\n"
	    "command = ./run-tests --db postgres://127.0.0.1:5432/x\n"
	    "    --timeout 30s   ; how long\n"
	    "\t--retries=3\n"
	    "seed = 42\n"
	    "; a comment\n"
	    "  name = indented\n"
	    "  description: indented too\n"
	    "[inject.a]\n"
	    "  call = read\n"
	    "empty =\n"
	    "  filled in\n";
	struct seen s = { .fail_at = -1 };
	char	 err[RULE_ERR_MAX] = "";

	(void)state;
	assert_int_equal(read_text(text, sizeof text - 1, 0, &s, err,
	    sizeof err, NULL), 0);
	assert_string_equal(s.log,
	    "2 [scenario] command=./run-tests --db "
	    "postgres://127.0.0.1:5432/x --timeout 30s --retries=3\n"
	    "5 [scenario] seed=42\n"
	    "7 [scenario] name=indented\n"
	    "8 [scenario] description=indented too\n"
	    "10 [inject.a] call=read\n"
	    "11 [inject.a] empty=filled in\n");
	/* an error in a continued value is at the key's line */
	expect_error("[a]\nk = 1\n  2\n  3\nj = 4\n", 24, 0, 2,
	    "2: refused 'k'");
}

static void
sections_reported(void **state)
{
	static const char text[] =
	    "\xef\xbb\xbf[a]\n"
	    "k = 1\n"
	    "[b]\n"
	    "\n"
	    "  [c]\n";
	struct seen s = { .fail_at = -1 };
	char	 err[RULE_ERR_MAX] = "";

	(void)state;
	assert_int_equal(read_text(text, sizeof text - 1, INI_READ_SECTIONS,
	    &s, err, sizeof err, NULL), 0);
	assert_string_equal(s.log, "1 [a]\n2 [a] k=1\n3 [b]\n5 [c]\n");
	/* without the flag, only the keys */
	memset(&s, 0, sizeof s);
	s.fail_at = -1;
	assert_int_equal(read_text(text, sizeof text - 1, 0, &s, err,
	    sizeof err, NULL), 0);
	assert_string_equal(s.log, "2 [a] k=1\n");
}

/* text must fail with "PATH:<msg>"; returns after checking. */
static void
expect_error(const char *text, size_t len, unsigned flags, int fail_at,
    const char *msg)
{
	struct seen s = { .fail_at = fail_at };
	char	 err[RULE_ERR_MAX] = "", want[RULE_ERR_MAX];
	char	*path;

	assert_int_equal(read_text(text, len, flags, &s, err, sizeof err,
	    &path), -1);
	snprintf(want, sizeof want, "%s:%s", path, msg);
	assert_string_equal(err, want);
	unlink(path);
	free(path);
}

static void
long_lines(void **state)
{
	char	 text[600];
	int	 n;

	(void)state;
	/* 300 characters on line 3: an error, never split into two */
	n = snprintf(text, sizeof text, "[s]\nk = 1\nv = ");
	memset(text + n, 'x', 300 - 4);
	n += 300 - 4;
	n += snprintf(text + n, sizeof text - n, "\nafter = 1\n");
	expect_error(text, (size_t)n, 0, -1,
	    "3: line too long (at most 199 characters; continue a long value on indented lines)");

	/* 199 characters fit; 200 do not (also with CRLF endings) */
	n = snprintf(text, sizeof text, "[s]\nv = ");
	memset(text + n, 'y', 199 - 4);
	n += 199 - 4;
	n += snprintf(text + n, sizeof text - n, "\r\n");
	{
		struct seen s = { .fail_at = -1 };
		char	 err[RULE_ERR_MAX] = "";

		assert_int_equal(read_text(text, (size_t)n, 0, &s, err,
		    sizeof err, NULL), 0);
		assert_int_equal(s.calls, 1);
		assert_int_equal(strlen(s.log), strlen("2 [s] v=\n") + 195);
	}
	n = snprintf(text, sizeof text, "[s]\nv = ");
	memset(text + n, 'y', 200 - 4);
	n += 200 - 4;
	expect_error(text, (size_t)n, 0, -1,
	    "2: line too long (at most 199 characters; continue a long value on indented lines)");
}

static void
syntax_errors(void **state)
{
	static const char nul[] = "[s]\nk = a\0b\n";
	char	 longsect[100];
	int	 n;

	(void)state;
	expect_error("[s]\ngarbage\n", 12, 0, -1,
	    "2: expected 'key = value', found 'garbage'");
	expect_error("[s]\nk ; = v\n", 11, 0, -1,
	    "2: expected 'key = value', found 'k ; = v'");
	expect_error("[abc\nk = v\n", 11, 0, -1,
	    "1: unterminated section header '[abc' (no ']')");
	expect_error("[s] junk\n", 9, 0, -1,
	    "1: unexpected text after the section header '[s] junk'");
	expect_error("[s]\n= v\n", 8, 0, -1, "2: no key before '=' in '= v'");
	expect_error(nul, sizeof nul - 1, 0, -1, "2: line holds a NUL byte");
	n = snprintf(longsect, sizeof longsect, "[%060d]\n", 0);
	expect_error(longsect, (size_t)n, 0, -1,
	    "1: section name too long (at most 49 characters)");
	n = snprintf(longsect, sizeof longsect, "[s]\n%060d = 1\n", 0);
	expect_error(longsect, (size_t)n, 0, -1,
	    "2: key too long (at most 49 characters)");
	expect_error("[s]\nbad\x01line\n", 13, 0, -1,
	    "2: expected 'key = value', found 'bad\\x01line'");
}

static void
callback_errors(void **state)
{
	static const char text[] = "[a]\nk = 1\nl = 2\n[b]\nm = 3\n";
	struct seen s = { .fail_at = 3 };
	char	 err[RULE_ERR_MAX] = "";
	char	*path;

	(void)state;
	expect_error(text, sizeof text - 1, 0, 3, "3: refused 'l'");
	expect_error(text, sizeof text - 1, INI_READ_SECTIONS, 4,
	    "4: refused 'b'");
	/* reading stops at the first error */
	assert_int_equal(read_text(text, sizeof text - 1, 0, &s, err,
	    sizeof err, &path), -1);
	assert_int_equal(s.calls, 2);
	unlink(path);
	free(path);
}

static void
open_errors(void **state)
{
	char	 err[RULE_ERR_MAX] = "", dir[64];
	struct seen s = { .fail_at = -1 };

	(void)state;
	assert_int_equal(ini_read_file("/nonexistent/chaos.ini", record, &s,
	    err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/chaos.ini: No such file or "
	    "directory");
	snprintf(dir, sizeof dir, "/tmp/chaos-unit-dir-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(ini_read_file(dir, record, &s, err, sizeof err), -1);
	assert_contains(err, ": Is a directory");
	rmdir(dir);
	assert_int_equal(s.calls, 0);
}

/*
 * An endless source: a child writing c to a pipe until the reader goes
 * away. Returns the path to read it from (/dev/fd/N) and the child.
 */
static const char *
endless(int c, pid_t *pid)
{
	static char	 path[32];
	char		 buf[4096];
	int		 fd[2];

	assert_int_equal(pipe(fd), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		close(fd[0]);
		memset(buf, c, sizeof buf);
		while (write(fd[1], buf, sizeof buf) > 0)
			;
		_exit(0);
	}
	close(fd[1]);
	snprintf(path, sizeof path, "/dev/fd/%d", fd[0]);
	return path;
}

static void
endless_fails(int c, const char *msg)
{
	struct seen s = { .fail_at = -1 };
	char	 err[RULE_ERR_MAX] = "";
	const char *path;
	pid_t	 pid;
	int	 fd;

	path = endless(c, &pid);
	fd = atoi(path + 8);
	assert_int_equal(ini_read_file(path, record, &s, err, sizeof err), -1);
	close(fd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_contains(err, msg);
	assert_int_equal(s.calls, 0);
}

static void
bounded_read(void **state)
{
	struct seen s = { .fail_at = -1 };
	char	 err[RULE_ERR_MAX] = "", *text, *path;
	size_t	 n, len;

	(void)state;
	/* the reader used to drain an endless line: the alarm fails it */
	alarm(20);
	endless_fails('a', ":1: line too long (at most 199 characters; "
	    "continue a long value on indented lines)");
	endless_fails('\0', ":1: line holds a NUL byte");
	endless_fails('\n', ": file too large (more than 1 MiB)");
	alarm(0);

	/* a device is refused before it is read */
	assert_int_equal(ini_read_file("/dev/zero", record, &s, err,
	    sizeof err), -1);
	assert_string_equal(err, "/dev/zero: a device, not a file");
	assert_int_equal(ini_read_file("/dev/null", record, &s, err,
	    sizeof err), -1);
	assert_string_equal(err, "/dev/null: a device, not a file");

	/* 1 MiB is read; a byte more is refused, at its line */
	len = 1024 * 1024;
	text = malloc(len + 1);
	assert_non_null(text);
	for (n = 0; n < len; n += 16)
		memcpy(text + n, "; a comment 123\n", 16);
	path = unit_tmpfile(text, len);
	assert_int_equal(ini_read_file(path, record, &s, err, sizeof err), 0);
	unlink(path);
	free(path);
	text[len] = '\n';
	path = unit_tmpfile(text, len + 1);
	assert_int_equal(ini_read_file(path, record, &s, err, sizeof err), -1);
	assert_contains(err, ":65537: file too large (more than 1 MiB)");
	unlink(path);
	free(path);
	free(text);
	assert_int_equal(s.calls, 0);
}

static void
empty_file(void **state)
{
	struct seen s = { .fail_at = -1 };
	char	 err[RULE_ERR_MAX] = "";

	(void)state;
	assert_int_equal(read_text("", 0, INI_READ_SECTIONS, &s, err,
	    sizeof err, NULL), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(read_text("\n\n; only comments\n", 18, 0, &s, err,
	    sizeof err, NULL), 0);
	assert_int_equal(s.calls, 0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(good_file),
	cmocka_unit_test(continuations),
	cmocka_unit_test(sections_reported),
	cmocka_unit_test(long_lines),
	cmocka_unit_test(syntax_errors),
	cmocka_unit_test(callback_errors),
	cmocka_unit_test(open_errors),
	cmocka_unit_test(empty_file),
	cmocka_unit_test(bounded_read),
};

UNIT_MAIN(tests)
