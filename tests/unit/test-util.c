/*
 * test-util.c: string helpers (util.c).
 */
#include "unit.h"

static void
copy(void **state)
{
	char	 buf[8];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_int_equal(strlcpy_chaos(buf, "abc", sizeof buf), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(strlcpy_chaos(buf, "abcdefghij", sizeof buf), 10);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(strlcpy_chaos(buf, "", sizeof buf), 0);
	assert_string_equal(buf, "");
	buf[0] = 'q';
	assert_int_equal(strlcpy_chaos(buf, "abc", 0), 3);
	assert_int_equal(buf[0], 'q');
	assert_int_equal(strlcpy_chaos(buf, "abc", 1), 3);
	assert_string_equal(buf, "");
}

static void
escape(void **state)
{
	char	 buf[64], small[8];

	(void)state;
	str_escape(buf, sizeof buf, "plain text");
	assert_string_equal(buf, "plain text");
	str_escape(buf, sizeof buf, "a\x01" "b\nc\x7f");
	assert_string_equal(buf, "a\\x01b\\x0ac\\x7f");
	str_escape(buf, sizeof buf, "\xff\xfe");
	assert_string_equal(buf, "\\xff\\xfe");
	str_escape(buf, sizeof buf, "back\\slash");
	assert_string_equal(buf, "back\\x5cslash");
	str_escape(buf, sizeof buf, "");
	assert_string_equal(buf, "");
	str_escape(small, sizeof small, "abcdefghij");
	assert_string_equal(small, "abcd...");
	str_escape(small, sizeof small, "abcdefg");
	assert_string_equal(small, "abcdefg");
	str_escape(small, sizeof small, "abcdefgh");
	assert_string_equal(small, "abcd...");
	str_escape(small, sizeof small, "abcdef");
	assert_string_equal(small, "abcdef");
	str_escape(small, sizeof small, "ab\x01\x02");
	assert_string_equal(small, "ab...");	/* never half an escape */
	str_escape(small, sizeof small, "\x01" "a");
	assert_string_equal(small, "\\x01a");
	str_escape(small, 1, "abc");
	assert_string_equal(small, "");
	str_escape(small, 3, "abc");
	assert_string_equal(small, "ab");
}

static void
suggest(void **state)
{
	static const char *const keys[] = {
		"error", "retval", "delay", "jitter", "signal", "exit", "path",
		"probability",
	};
	const int n = sizeof keys / sizeof keys[0];

	(void)state;
	assert_int_equal(did_you_mean("dealy", keys, n), 2);
	assert_int_equal(did_you_mean("delya", keys, n), 2);
	assert_int_equal(did_you_mean("pth", keys, n), 6);
	assert_int_equal(did_you_mean("errror", keys, n), 0);
	assert_int_equal(did_you_mean("probabilty", keys, n), 7);
	assert_int_equal(did_you_mean("ERROR", keys, n), 0);
	assert_int_equal(did_you_mean("xyz", keys, n), -1);
	assert_int_equal(did_you_mean("x", keys, n), -1);
	assert_int_equal(did_you_mean("", keys, n), -1);
	assert_int_equal(did_you_mean("completely-different", keys, n), -1);
	assert_int_equal(did_you_mean("delay", keys, 0), -1);
}

static void
value_errors(void **state)
{
	char	 err[RULE_ERR_MAX], big[500];

	(void)state;
	value_error(err, sizeof err, "a\x01", "is bad (%d)", 7);
	assert_string_equal(err, "'a\\x01' is bad (7)");
	memset(big, 'v', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	value_error(err, sizeof err, big, "is long");
	assert_contains(err, "...' is long");
	assert_true(strlen(err) < 100);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(copy),
	cmocka_unit_test(escape),
	cmocka_unit_test(suggest),
	cmocka_unit_test(value_errors),
};

UNIT_MAIN(tests)
