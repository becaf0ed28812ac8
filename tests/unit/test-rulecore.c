/*
 * test-rulecore.c: the rule core both rule languages share: fields and
 * escapes (rule-split.c), key tables (rule-key.c), triggers and the
 * probability threshold (trigger.c), path normalisation (pathnorm.c).
 */
#include "unit.h"

static void
test_fields(void **state)
{
	struct rule_field f;
	const char	*p = " read , write :path=/a\\:b\\;c\\\\d : nth=2;x";
	int		 last;

	(void)state;
	p = rule_field_next(p, &f);
	assert_string_equal(f.s, "read , write");
	assert_int_equal(f.sep, ':');
	p = rule_field_next(p, &f);
	assert_string_equal(f.s, "path=/a:b;c\\d");
	assert_int_equal(f.sep, ':');
	p = rule_field_next(p, &f);
	assert_string_equal(f.s, "nth=2");
	assert_int_equal(f.sep, ';');
	assert_int_equal(f.total, 0);
	p = rule_field_next(p, &f);
	assert_string_equal(f.s, "x");
	assert_int_equal(f.sep, 0);

	/* an IPv6 address in brackets keeps its colons */
	rule_field_next("addr=[::1]/128:port=80", &f);
	assert_string_equal(f.s, "addr=[::1]/128");
	/* a backslash before anything else stays, for fnmatch */
	rule_field_next("path=/a\\*b", &f);
	assert_string_equal(f.s, "path=/a\\*b");

	/* rule_skip: past the rule's ';', and whether the text ends */
	p = rule_skip("a:b=1\\;2:c;d", &last);
	assert_string_equal(p, "d");
	assert_int_equal(last, 0);
	p = rule_skip("d:e", &last);
	assert_int_equal(last, 1);
}

static int	set_calls;

static int
set_x(void *rule, const char *v, char *err, size_t errlen)
{
	(void)rule;
	set_calls++;
	if (strcmp(v, "bad") == 0) {
		snprintf(err, errlen, "'bad' is bad");
		return -1;
	}
	return 0;
}

static const struct rule_key keys[] = {
	{ "delay", set_x, 8, 0 },
	{ "path", set_x, 64, RULE_KEY_GLOB },
};

static void
test_keys(void **state)
{
	struct rule_field f;
	char	 err[RULE_ERR_MAX];
	uint32_t seen = 0;

	(void)state;
	assert_int_equal(rule_key_find(keys, 2, "path"), 1);
	assert_int_equal(rule_key_find(keys, 2, "nope"), -1);
	rule_key_unknown(keys, 2, "dealy", err, sizeof err);
	assert_string_equal(err, "unknown key 'dealy' (did you mean "
	    "'delay'?)");

	assert_int_equal(rule_key_set(&keys[0], NULL, "", 0, err,
	    sizeof err), -1);
	assert_string_equal(err, "delay: empty value");
	assert_int_equal(rule_key_set(&keys[0], NULL, "123456789", 9, err,
	    sizeof err), -1);
	assert_contains(err, "delay: value too long");
	assert_int_equal(rule_key_set(&keys[0], NULL, "\xc3\xa9", 2, err,
	    sizeof err), -1);
	assert_contains(err, "non-ASCII");
	assert_int_equal(rule_key_set(&keys[1], NULL, "/\xc3\xa9", 3, err,
	    sizeof err), 0);
	assert_int_equal(rule_key_set(&keys[0], NULL, "bad", 3, err,
	    sizeof err), -1);
	assert_string_equal(err, "delay: 'bad' is bad");

	set_calls = 0;
	rule_field_next(" delay = 1s ", &f);
	assert_int_equal(rule_key_pair(keys, 2, NULL, &f, &seen, err,
	    sizeof err), 0);
	assert_int_equal(set_calls, 1);
	rule_field_next("delay=2s", &f);
	assert_int_equal(rule_key_pair(keys, 2, NULL, &f, &seen, err,
	    sizeof err), -1);
	assert_string_equal(err, "delay: given twice");
	rule_field_next("delay", &f);
	assert_int_equal(rule_key_pair(keys, 2, NULL, &f, &seen, err,
	    sizeof err), -1);
	assert_string_equal(err, "'delay' is not KEY=VALUE");
}

static struct prng *
the_prng(void *arg)
{
	return arg;
}

static void
test_triggers(void **state)
{
	struct prng g;
	uint64_t m, t;
	int	 fired, i;

	(void)state;
	prng_seed(&g, 1);
	assert_true(trigger_threshold(1) == UINT64_MAX);
	assert_true(trigger_threshold(0) == 0);
	t = trigger_threshold(0.5);
	assert_true(t == 1ull << 63);

	/* after=2, nth=3: the 5th, 8th, 11th... */
	for (m = 1; m <= 12; m++)
		assert_int_equal(trigger_due(m, 2, 3, UINT64_MAX, the_prng,
		    &g), m > 2 && (m - 2) % 3 == 0);
	/* probability 0 never fires, and draws nothing */
	assert_int_equal(trigger_due(1, 0, 0, 0, the_prng, NULL), 0);
	/* half of 10000 within 5 sigma */
	for (i = 0, fired = 0; i < 10000; i++)
		fired += trigger_due(1, 0, 0, t, the_prng, &g);
	assert_in_range(fired, 4750, 5250);

	assert_true(trigger_jitter(100, 0, 12345) == 100);
	for (i = 0; i < 1000; i++) {
		m = trigger_jitter(100, 30, prng_next(&g));
		assert_in_range(m, 70, 130);
		assert_true(trigger_jitter(10, 30, prng_next(&g)) <= 40);
	}
}

static void
test_paths(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "/", "/" },
		{ "//a///b", "/a/b" },
		{ "/a/./b/.", "/a/b" },
		{ "/a/b/../c", "/a/c" },
		{ "/a/../../b", "/b" },
		{ "/..", "/" },
		{ "/a/b/", "/a/b/" },
		{ "/a/..b/.c", "/a/..b/.c" },
	};
	char	 buf[64], err[RULE_ERR_MAX];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strlcpy_chaos(buf, cases[i].in, sizeof buf);
		path_normalize(buf);
		assert_string_equal(buf, cases[i].out);
	}
	assert_int_equal(path_glob(buf, sizeof buf, "/srv/*", err,
	    sizeof err), 0);
	assert_string_equal(buf, "/srv/*");
	assert_int_equal(path_glob(buf, sizeof buf, "srv/*", err,
	    sizeof err), -1);
	assert_contains(err, "must be absolute");
	assert_int_equal(path_glob(buf, 4, "/srv/*", err, sizeof err), -1);
	assert_contains(err, "longer than 3 bytes");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_fields),
	cmocka_unit_test(test_keys),
	cmocka_unit_test(test_triggers),
	cmocka_unit_test(test_paths),
};

UNIT_MAIN(tests)
