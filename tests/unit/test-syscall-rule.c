/*
 * test-syscall-rule.c: syscall fault rules as -s and [syscall.NAME]
 * sections write them: one meaning per key (kill is a flag, signal= the
 * signal), conflicting actions refused, names checked as -i checks them.
 */
#include "unit.h"

#include <signal.h>

#include "chaosd.h"
#include "syscall.h"

/* One -s text: 0 and the first rule, or -1 and the message. */
static int
parse(const char *text, struct syscall_rule *out, char *err, size_t errlen)
{
	struct syscall_faults	*sf = syscall_faults_new();
	int			 r;

	err[0] = '\0';
	r = syscall_faults_parse(sf, text, err, errlen);
	if (r == 0)
		*out = sf->rule[0];
	syscall_faults_free(sf);
	return (r);
}

/* A [syscall.x] section: syscall=getppid, then one key; check. */
static int
section(const char *key, const char *value, struct syscall_rule *r,
    char *err, size_t errlen)
{
	syscall_rule_init(r);
	err[0] = '\0';
	if (syscall_rule_set_key(r, "syscall", "getppid", err, errlen) != 0 ||
	    syscall_rule_set_key(r, key, value, err, errlen) != 0)
		return (-1);
	return (syscall_rule_check(r, err, errlen));
}

static void
test_kill_is_a_flag(void **state)
{
	static const char *const yes[] = {
		"getppid:kill", "getppid:kill=1", "getppid:kill=yes",
		"getppid:kill=true", "getppid:kill=YES",
	};
	struct syscall_rule	r;
	char			err[RULE_ERR_MAX];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (parse(yes[i], &r, err, sizeof err) != 0)
			fail_msg("%s: %s", yes[i], err);
		assert_true(r.actions & ACT_SIGNAL);
		/* kill=1 was signal 1, SIGHUP */
		assert_int_equal(r.signal, SIGKILL);
	}
	/* the scenario's door: "kill = yes" was "unknown signal" */
	assert_int_equal(section("kill", "yes", &r, err, sizeof err), 0);
	assert_int_equal(r.signal, SIGKILL);
	assert_int_equal(section("kill", "no", &r, err, sizeof err), -1);
	assert_contains(err, "missing action");

	assert_int_equal(parse("getppid:kill=SIGSEGV", &r, err, sizeof err),
	    -1);
	assert_contains(err, "kill is a flag");
	assert_contains(err, "signal=SIGSEGV");
	assert_int_equal(parse("getppid:kill=", &r, err, sizeof err), -1);
	assert_contains(err, "empty value");
	assert_int_equal(parse("getppid:kill=2", &r, err, sizeof err), -1);
	assert_contains(err, "kill is a flag");

	/* signal= is the signal, by name or number */
	assert_int_equal(parse("getppid:signal=1", &r, err, sizeof err), 0);
	assert_int_equal(r.signal, SIGHUP);
	assert_int_equal(parse("getppid:signal=SEGV", &r, err, sizeof err), 0);
	assert_int_equal(r.signal, SIGSEGV);
	assert_int_equal(parse("getppid:kill=no:signal=USR1", &r, err,
	    sizeof err), 0);
	assert_int_equal(r.signal, SIGUSR1);
}

static void
test_conflicting_actions(void **state)
{
	static const struct {
		const char	*rule, *why;
	} bad[] = {
		{ "getppid:kill:signal=SIGSEGV", "kill and signal= exclude" },
		{ "getppid:signal=SIGSEGV:kill", "kill and signal= exclude" },
		{ "getppid:kill=yes:signal=9", "kill and signal= exclude" },
		{ "getppid:signal=SIGUSR1:error=EIO",
		    "signal= cannot be combined with error=" },
		{ "getppid:error=EIO:kill", "kill cannot be combined with "
		    "error=" },
		{ "getppid:kill:retval=0", "kill cannot be combined with "
		    "retval=" },
		{ "getppid:error=EIO:retval=1", "exclude each other" },
	};
	struct syscall_rule	r;
	char			err[RULE_ERR_MAX];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(bad[i].rule, &r, err, sizeof err) == 0)
			fail_msg("%s: accepted", bad[i].rule);
		assert_contains(err, bad[i].why);
	}
	/* a delay goes with any action */
	assert_int_equal(parse("getppid:delay=1ms:kill", &r, err, sizeof err),
	    0);
	assert_int_equal(r.actions, ACT_DELAY | ACT_SIGNAL);
	assert_int_equal(parse("getppid:delay=1ms:error=EIO", &r, err,
	    sizeof err), 0);
}

static void
test_names(void **state)
{
	struct rule_set		 set = { .n = 0 };
	struct syscall_rule	 r;
	char			 err[RULE_ERR_MAX], ierr[RULE_ERR_MAX];

	(void)state;
	assert_int_equal(parse("getppid:name=db-1.x:error=EIO", &r, err,
	    sizeof err), 0);
	assert_string_equal(r.name, "db-1.x");
	assert_int_equal(parse("getppid:error=EIO", &r, err, sizeof err), 0);
	assert_string_equal(r.name, "getppid");

	/* refused as -i refuses them, with the same words */
	assert_int_equal(parse("getppid:name=:error=EIO", &r, err,
	    sizeof err), -1);
	assert_int_equal(rules_parse(&set, "read:name=:error=EIO", ierr,
	    sizeof ierr), -1);
	assert_contains(err, "name: empty value");
	assert_contains(ierr, "name: empty value");
	assert_int_equal(parse("getppid:name=a b:error=EIO", &r, err,
	    sizeof err), -1);
	assert_contains(err, "is not a valid name");
	assert_int_equal(section("name", "", &r, err, sizeof err), -1);
	assert_contains(err, "name: empty value");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_kill_is_a_flag),
	cmocka_unit_test(test_conflicting_actions),
	cmocka_unit_test(test_names),
};

UNIT_MAIN(tests)
