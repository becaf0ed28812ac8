/*
 * test-units.c: durations, fractions, integers and booleans (units.c).
 */
#include "unit.h"

#include <math.h>

static void
expect_duration(const char *s, uint64_t want)
{
	char	 err[RULE_ERR_MAX] = "";
	uint64_t ns = 12345;

	if (parse_duration(s, &ns, err, sizeof err) != 0) {
		print_error("parse_duration(\"%s\"): %s\n", s, err);
		fail();
	}
	assert_int_equal(ns, want);
}

static void
expect_duration_error(const char *s, const char *msg)
{
	char	 err[RULE_ERR_MAX] = "";
	uint64_t ns = 12345;

	assert_int_equal(parse_duration(s, &ns, err, sizeof err), -1);
	assert_contains(err, msg);
	assert_int_equal(ns, 12345);	/* untouched */
}

static void
duration_ok(void **state)
{
	(void)state;
	expect_duration("1ns", 1);
	expect_duration("1us", 1000);
	expect_duration("7\xc2\xb5s", 7000);
	expect_duration("300ms", 300000000ULL);
	expect_duration("2s", 2000000000ULL);
	expect_duration("1.5s", 1500000000ULL);
	expect_duration(".5s", 500000000ULL);
	expect_duration("0.000000001s", 1);
	expect_duration("2m", 120000000000ULL);
	expect_duration("1h", 3600000000000ULL);
	expect_duration("1m30s", 90000000000ULL);
	expect_duration("1h30m", 5400000000000ULL);
	expect_duration("0s", 0);
	expect_duration("0ms", 0);
	expect_duration("0100ms", 100000000ULL);
	/* exactly 100 years of 365 days is still accepted */
	expect_duration("876000h", 876000ULL * 3600 * 1000000000ULL);
}

static void
duration_errors(void **state)
{
	(void)state;
	expect_duration_error("", "empty duration");
	expect_duration_error("100", "'100' has no unit (ns, us, ms, s, m, h)");
	expect_duration_error("1.5", "has no unit");
	expect_duration_error("-1s", "'-1s' is negative");
	expect_duration_error("-0s", "is negative");
	expect_duration_error("5sec", "unknown unit 'sec'");
	expect_duration_error("5S", "unknown unit 'S'");
	expect_duration_error("3d", "unknown unit 'd'");
	expect_duration_error("1e3s", "unknown unit 'e'");
	expect_duration_error("876001h", "too long (at most 100 years)");
	expect_duration_error("99999999999999999999999s", "too long");
	expect_duration_error("18446744073709551615ns", "too long");
	expect_duration_error("5s!", "unexpected text after the unit");
	expect_duration_error("5s 3ms", "unexpected text");
	expect_duration_error(" 5s", "is not a duration");
	expect_duration_error("abc", "'abc' is not a duration");
	expect_duration_error("5.s", "is not a duration");
	expect_duration_error(".s", "is not a duration");
	expect_duration_error("nan", "is not a duration");
	expect_duration_error("inf", "is not a duration");
	expect_duration_error("\x01s", "'\\x01s' is not a duration");
}

static void
duration_format(void **state)
{
	static const struct {
		uint64_t	 ns;
		const char	*text;
	} cases[] = {
		{ 0, "0s" },
		{ 1, "1ns" },
		{ 7000, "7us" },
		{ 300000000ULL, "300ms" },
		{ 1500000000ULL, "1500ms" },
		{ 2000000000ULL, "2s" },
		{ 90000000000ULL, "90s" },
		{ 120000000000ULL, "2m" },
		{ 3600000000000ULL, "1h" },
		{ 1000000001ULL, "1000000001ns" },
	};
	char	 buf[32], err[RULE_ERR_MAX];
	uint64_t back;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(format_duration(cases[i].ns, buf, sizeof buf),
		    strlen(cases[i].text));
		assert_string_equal(buf, cases[i].text);
		assert_int_equal(parse_duration(buf, &back, err, sizeof err),
		    0);
		assert_int_equal(back, cases[i].ns);
	}
	assert_int_equal(format_duration(300000000ULL, buf, 5), -1);
	assert_int_equal(format_duration(300000000ULL, buf, 6), 5);
}

static void
expect_fraction(const char *s, double want)
{
	char	 err[RULE_ERR_MAX] = "";
	double	 f = -1;

	if (parse_fraction(s, &f, err, sizeof err) != 0) {
		print_error("parse_fraction(\"%s\"): %s\n", s, err);
		fail();
	}
	if (fabs(f - want) > 1e-15) {
		print_error("parse_fraction(\"%s\") = %.17g, want %.17g\n", s,
		    f, want);
		fail();
	}
}

static void
expect_fraction_error(const char *s, const char *msg)
{
	char	 err[RULE_ERR_MAX] = "";
	double	 f = -1;

	assert_int_equal(parse_fraction(s, &f, err, sizeof err), -1);
	assert_contains(err, msg);
	assert_true(f == -1);
}

static void
fraction_ok(void **state)
{
	(void)state;
	expect_fraction("0.05", 0.05);
	expect_fraction("5%", 0.05);
	expect_fraction("0.1%", 0.001);
	expect_fraction("1", 1);
	expect_fraction("1.0", 1);
	expect_fraction("100%", 1);
	expect_fraction("100.000%", 1);
	expect_fraction("0", 0);
	expect_fraction("0%", 0);
	expect_fraction(".5", 0.5);
	expect_fraction("0.000000000001", 1e-12);
	expect_fraction("33.3333%", 0.333333);
}

static void
fraction_errors(void **state)
{
	(void)state;
	expect_fraction_error("1.5", "'1.5' is out of range (0..1, or "
	    "0%..100%)");
	expect_fraction_error("150%", "'150%' is out of range");
	expect_fraction_error("100.001%", "is out of range");
	expect_fraction_error("1.0000000000001", "is out of range");
	expect_fraction_error("-1", "'-1' is out of range");
	expect_fraction_error("-0.5", "is out of range");
	expect_fraction_error("99999999999999999999999", "is out of range");
	expect_fraction_error("nan", "'nan' is not a number");
	expect_fraction_error("inf", "'inf' is not a number");
	expect_fraction_error("-inf", "is not a number");
	expect_fraction_error("", "empty value");
	expect_fraction_error("abc", "is not a number");
	expect_fraction_error("0x1p-2", "is not a number");
	expect_fraction_error("1e-3", "is not a number");
	expect_fraction_error("5 %", "is not a number");
	expect_fraction_error("%", "is not a number");
	expect_fraction_error("5%%", "is not a number");
	expect_fraction_error(" 0.5", "is not a number");
	expect_fraction_error("0,5", "is not a number");
	expect_fraction_error("0.0000000000001", "too small");
}

static void
fraction_format(void **state)
{
	static const char *const texts[] = {
		"0.05", "5%", "0.1%", "0.000000000001", "0.333333333333",
		"0.999999999999", "0", "1", "12.5%", "0.123456789012",
	};
	char	 buf[32], err[RULE_ERR_MAX];
	double	 f, back;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(parse_fraction(texts[i], &f, err, sizeof err),
		    0);
		assert_true(format_fraction(f, buf, sizeof buf) > 0);
		assert_int_equal(parse_fraction(buf, &back, err, sizeof err),
		    0);
		assert_true(back == f);	/* exactly the same double */
	}
	format_fraction(0.05, buf, sizeof buf);
	assert_string_equal(buf, "0.05");
	format_fraction(1, buf, sizeof buf);
	assert_string_equal(buf, "1");
	format_fraction(0, buf, sizeof buf);
	assert_string_equal(buf, "0");
	format_fraction(0.001, buf, sizeof buf);
	assert_string_equal(buf, "0.001");
	assert_int_equal(format_fraction(0.05, buf, 4), -1);
}

static void
uint_and_int(void **state)
{
	char	 err[RULE_ERR_MAX];
	uint64_t u;
	long long i;

	(void)state;
	assert_int_equal(parse_uint("0", 10, &u, err, sizeof err), 0);
	assert_int_equal(u, 0);
	assert_int_equal(parse_uint("0042", 100, &u, err, sizeof err), 0);
	assert_int_equal(u, 42);
	assert_int_equal(parse_uint("18446744073709551615", UINT64_MAX, &u,
	    err, sizeof err), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(parse_uint("18446744073709551616", UINT64_MAX, &u,
	    err, sizeof err), -1);
	assert_contains(err, "is out of range");
	assert_int_equal(parse_uint("11", 10, &u, err, sizeof err), -1);
	assert_string_equal(err, "'11' is out of range (0..10)");
	assert_int_equal(parse_uint("-1", 10, &u, err, sizeof err), -1);
	assert_string_equal(err, "'-1' is out of range (0..10)");
	assert_int_equal(parse_uint("abc", 10, &u, err, sizeof err), -1);
	assert_string_equal(err, "'abc' is not a whole number");
	assert_int_equal(parse_uint("1x", 10, &u, err, sizeof err), -1);
	assert_int_equal(parse_uint("+1", 10, &u, err, sizeof err), -1);
	assert_int_equal(parse_uint(" 1", 10, &u, err, sizeof err), -1);
	assert_int_equal(parse_uint("1.0", 10, &u, err, sizeof err), -1);
	assert_int_equal(parse_uint("", 10, &u, err, sizeof err), -1);
	assert_string_equal(err, "empty value");

	assert_int_equal(parse_int("-5", -10, 10, &i, err, sizeof err), 0);
	assert_int_equal(i, -5);
	assert_int_equal(parse_int("+7", -10, 10, &i, err, sizeof err), 0);
	assert_int_equal(i, 7);
	assert_int_equal(parse_int("11", -10, 10, &i, err, sizeof err), -1);
	assert_string_equal(err, "'11' is out of range (-10..10)");
	assert_int_equal(parse_int("-11", -10, 10, &i, err, sizeof err), -1);
	assert_int_equal(parse_int("-9223372036854775808", INT64_MIN,
	    INT64_MAX, &i, err, sizeof err), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(parse_int("9223372036854775807", INT64_MIN,
	    INT64_MAX, &i, err, sizeof err), 0);
	assert_true(i == INT64_MAX);
	assert_int_equal(parse_int("9223372036854775808", INT64_MIN,
	    INT64_MAX, &i, err, sizeof err), -1);
	assert_int_equal(parse_int("-9223372036854775809", INT64_MIN,
	    INT64_MAX, &i, err, sizeof err), -1);
	assert_int_equal(parse_int("-", -10, 10, &i, err, sizeof err), -1);
	assert_string_equal(err, "'-' is not a whole number");
	assert_int_equal(parse_int("0x10", -10, 100, &i, err, sizeof err),
	    -1);
	assert_int_equal(parse_int("", -10, 10, &i, err, sizeof err), -1);
}

static void
booleans(void **state)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "YES",
	    "True" };
	static const char *const no[] = { "no", "false", "off", "0", "OFF" };
	char	 err[RULE_ERR_MAX];
	size_t	 i;
	int	 b;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		b = -1;
		assert_int_equal(parse_bool(yes[i], &b, err, sizeof err), 0);
		assert_int_equal(b, 1);
	}
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		b = -1;
		assert_int_equal(parse_bool(no[i], &b, err, sizeof err), 0);
		assert_int_equal(b, 0);
	}
	assert_int_equal(parse_bool("maybe", &b, err, sizeof err), -1);
	assert_contains(err, "'maybe' is not a boolean");
	assert_int_equal(parse_bool("", &b, err, sizeof err), -1);
	assert_string_equal(err, "empty value");
	assert_int_equal(parse_bool("2", &b, err, sizeof err), -1);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(duration_ok),
	cmocka_unit_test(duration_errors),
	cmocka_unit_test(duration_format),
	cmocka_unit_test(fraction_ok),
	cmocka_unit_test(fraction_errors),
	cmocka_unit_test(fraction_format),
	cmocka_unit_test(uint_and_int),
	cmocka_unit_test(booleans),
};

UNIT_MAIN(tests)
