/*
 * test-rulefile.c: rule files, [inject.NAME] sections (rules_parse_file).
 */
#include "unit.h"

#include <errno.h>
#include <netinet/in.h>

static struct rule_set set;

/* Parse text as a rule file; *pathp gets the file's name (caller frees). */
static int
parse_text(const char *text, char *err, size_t errlen, char **pathp)
{
	char	*path = unit_tmpfile(text, strlen(text));
	int	 r;

	r = rules_parse_file(&set, path, err, errlen);
	unlink(path);
	if (pathp != NULL)
		*pathp = path;
	else
		free(path);
	return r;
}

/* text must be refused with "PATH" + msg (msg starts with ':' or ' '). */
static void
bad_file(const char *text, const char *msg)
{
	char	 err[RULE_ERR_MAX] = "", want[RULE_ERR_MAX];
	char	*path;
	int	 before = set.n;

	assert_int_equal(parse_text(text, err, sizeof err, &path), -1);
	snprintf(want, sizeof want, "%s%s", path, msg);
	assert_string_equal(err, want);
	assert_int_equal(set.n, before);
	free(path);
}

static void
good_file(void **state)
{
	static const char text[] =
	    "; rules for the database game day\n"
	    "[inject.db-eio]\n"
	    "call = read, pread\n"
	    "path = /srv/db/*\n"
	    "error = EIO\n"
	    "probability = 5%\n"
	    "\n"
	    "[inject.slow-connect]   ; a slow peer\n"
	    "  call = connect\n"
	    "  port = 5432\n"
	    "  delay = 2s\n"
	    "  jitter = 200ms\n"
	    "  addr = 2001:db8::/32\n"
	    "[inject.dns]\n"
	    "call = %dns\n"
	    "error = EAI_AGAIN\n"
	    "host = *.internal\n";
	char	 err[RULE_ERR_MAX] = "";
	struct rule *r;

	(void)state;
	set.n = 0;
	if (parse_text(text, err, sizeof err, NULL) != 0) {
		print_error("%s\n", err);
		fail();
	}
	assert_int_equal(set.n, 3);
	r = &set.rule[0];
	assert_string_equal(r->name, "db-eio");
	assert_int_equal(r->actions, ACT_ERROR);
	assert_int_equal(r->error, EIO);
	assert_string_equal(r->path, "/srv/db/*");
	assert_true(r->probability == 0.05);
	assert_int_equal(rule_hook_allowed(r, HID_read), 1);
	assert_int_equal(rule_hook_allowed(r, HID_pread), 1);
	assert_int_equal(rule_hook_allowed(r, HID_write), 0);
	r = &set.rule[1];
	assert_string_equal(r->name, "slow-connect");
	assert_int_equal(r->delay_ns, 2000000000ULL);
	assert_int_equal(r->jitter_ns, 200000000ULL);
	assert_int_equal(r->port_lo, 5432);
	assert_int_equal(r->addr.family, AF_INET6);
	assert_int_equal(r->addr.prefix, 32);
	r = &set.rule[2];
	assert_string_equal(r->name, "dns");
	assert_int_equal(r->error_eai, 1);
	assert_int_equal(rule_hook_allowed(r, HID_getaddrinfo), 1);
	assert_int_equal(rule_hook_allowed(r, HID_gethostbyname), 1);
}

static void
key_errors(void **state)
{
	(void)state;
	set.n = 0;
	bad_file("[inject.a]\ncall = read\ndealy = 1s\n",
	    ":3: [inject.a] unknown key 'dealy' (did you mean 'delay'?)");
	bad_file("[inject.a]\ncall = read\nprobability = 1.5\nerror = EIO\n",
	    ":3: [inject.a] probability: '1.5' is out of range (0..1, or "
	    "0%..100%)");
	bad_file("[inject.a]\ncall = read\nnth = 0\n",
	    ":3: [inject.a] nth: '0' must be at least 1");
	bad_file("[inject.a]\ncall = read\nerror = EIO\nsignal = SIGFOO\n",
	    ":4: [inject.a] signal: unknown signal 'SIGFOO'");
	bad_file("[inject.a]\ncall = raed\n",
	    ":2: [inject.a] unknown call 'raed' (did you mean 'read'?)");
	bad_file("[inject.a]\ncall =\n", ":2: [inject.a] call: empty value");
	bad_file("[inject.a]\ncall = read\nerror = EIO\nerror = EINTR\n",
	    ":4: [inject.a] duplicate key 'error' (first at line 3)");
	bad_file("[inject.a]\nname = other\n", ":2: [inject.a] name: not a key "
	    "here (the section's name names the rule)");
	bad_file("[inject.a]\ncall = read\nerror = EIO\npath = rel/x\n",
	    ":4: [inject.a] path: 'rel/x' must be absolute (start with '/')");
}

static void
section_errors(void **state)
{
	char	 text[8192];
	int	 i, n;

	(void)state;
	set.n = 0;
	bad_file("[scenario]\nname = x\n", ":1: unknown section [scenario] "
	    "(rules go in [inject.NAME] sections)");
	bad_file("[inject.a]\ncall=read\nerror=EIO\n\n[network.x]\n",
	    ":5: unknown section [network.x] (rules go in [inject.NAME] "
	    "sections)");
	bad_file("call = read\n", ":1: key 'call' outside any section (rules "
	    "go in [inject.NAME] sections)");
	bad_file("[inject.a]\ncall=read\nerror=EIO\n[inject.a]\ncall=write\n",
	    ":4: duplicate section [inject.a] (first at line 1)");
	bad_file("[inject.a b]\n", ":1: [inject.a b] 'a b' is not a valid name "
	    "(letters, digits, '-', '_' and '.')");
	bad_file("[inject.]\n", ":1: [inject.] needs a name: [inject.NAME]");
	bad_file("[inject.x\n",
	    ":1: unterminated section header '[inject.x' (no ']')");

	/* rule_check runs at the end of each section, with its line */
	bad_file("[inject.a]\ncall = read\n\n[inject.b]\ncall = write\n"
	    "error = EIO\n", ":1: [inject.a] no action (give one of error, "
	    "retval, delay, signal, exit, short, corrupt)");
	bad_file("[inject.a]\ncall=read\nerror=EIO\n; b\n[inject.b]\n"
	    "call = connect\nshort = 5\n", ":5: [inject.b] short: makes no "
	    "sense for connect (connect moves no data)");
	bad_file("[inject.empty]\n", ":1: [inject.empty] no calls given (libc "
	    "functions or groups: read,pread or %read)");
	bad_file("[inject.a]\ncall = read\nexit = 1\nsignal = SEGV\n",
	    ":1: [inject.a] exit: cannot be combined with signal (exit "
	    "combines only with delay)");

	/* at most RULE_MAX rules */
	for (i = 0, n = 0; i <= RULE_MAX; i++)
		n += snprintf(text + n, sizeof text - (size_t)n,
		    "[inject.r%d]\ncall=read\nerror=EIO\n", i);
	bad_file(text, ":193: too many rules (at most 64)");
}

static void
file_errors(void **state)
{
	char	 err[RULE_ERR_MAX], text[512];
	int	 n;

	(void)state;
	set.n = 0;
	assert_int_equal(rules_parse_file(&set, "/nonexistent/rules.ini", err,
	    sizeof err), -1);
	assert_string_equal(err, "/nonexistent/rules.ini: No such file or "
	    "directory");
	bad_file("; nothing here\n\n", ": no [inject.NAME] section");
	bad_file("", ": no [inject.NAME] section");
	bad_file("[inject.a]\ncall read\n",
	    ":2: expected 'key = value', found 'call read'");
	n = snprintf(text, sizeof text, "[inject.a]\ncall = read\npath = /");
	memset(text + n, 'x', 300 - 8);
	n += 300 - 8;
	snprintf(text + n, sizeof text - (size_t)n, "\nerror = EIO\n");
	bad_file(text, ":3: line too long (at most 199 characters; continue a long value on indented lines)");
}

static void
appends(void **state)
{
	char	 err[RULE_ERR_MAX];

	(void)state;
	set.n = 0;
	assert_int_equal(rules_parse(&set, "write:error=ENOSPC:name=a", err,
	    sizeof err), 0);
	bad_file("[inject.a]\ncall=read\nerror=EIO\n", ":1: [inject.a] the name "
	    "'a' is taken by an earlier rule");
	bad_file("[inject.b]\ncall=read\nerror=EIO\n[inject.c]\ncall=bogus\n",
	    ":5: [inject.c] unknown call 'bogus'");
	assert_int_equal(set.n, 1);
	assert_int_equal(parse_text("[inject.b]\ncall=read\nerror=EIO\n", err,
	    sizeof err, NULL), 0);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.rule[0].name, "a");
	assert_string_equal(set.rule[1].name, "b");
}

static void
round_trip(void **state)
{
	static const char text[] =
	    "[inject.one]\n"
	    "call = %write, %sync\n"
	    "path = /var/lib/app/*\n"
	    "error = EIO\n"
	    "probability = 1%\n"
	    "[inject.two]\n"
	    "call = connect\n"
	    "addr = ::1\n"
	    "delay = 300ms\n"
	    "start = 30s\n"
	    "for = 1m\n";
	static struct rule_set again;
	char	 err[RULE_ERR_MAX], buf[2048];
	int	 i;

	(void)state;
	set.n = 0;
	assert_int_equal(parse_text(text, err, sizeof err, NULL), 0);
	assert_int_equal(set.n, 2);
	again.n = 0;
	for (i = 0; i < set.n; i++) {
		assert_true(rule_format(&set.rule[i], buf, sizeof buf) > 0);
		assert_int_equal(rules_parse(&again, buf, err, sizeof err), 0);
		assert_memory_equal(&set.rule[i], &again.rule[i],
		    sizeof set.rule[i]);
	}
	rule_format(&set.rule[1], buf, sizeof buf);
	assert_string_equal(buf, "connect:delay=300ms:start=30s:for=1m:"
	    "addr=[::1]:name=two");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(good_file),
	cmocka_unit_test(key_errors),
	cmocka_unit_test(section_errors),
	cmocka_unit_test(file_errors),
	cmocka_unit_test(appends),
	cmocka_unit_test(round_trip),
};

UNIT_MAIN(tests)
