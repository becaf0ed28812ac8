/*
 * test-prng.c: xoshiro256** seeded through splitmix64 (prng.c).
 */
#include "unit.h"

static void
known_values(void **state)
{
	struct prng p;

	(void)state;
	/* splitmix64's first outputs from 0: the published sequence */
	prng_seed(&p, 0);
	assert_true(p.s[0] == 0xe220a8397b1dcdafULL);
	assert_true(p.s[1] == 0x6e789e6aa1b965f4ULL);
	assert_true(p.s[2] == 0x06c45d188009454fULL);
	assert_true(p.s[3] == 0xf88bb8a8724c81ecULL);
	assert_true(prng_next(&p) == 0x99ec5f36cb75f2b4ULL);
	assert_true(prng_next(&p) == 0xbf6e1f784956452aULL);
	assert_true(prng_next(&p) == 0x1a5f849d4933e6e0ULL);

	prng_seed(&p, 42);
	assert_true(prng_next(&p) == 0x15780b2e0c2ec716ULL);
	assert_true(prng_next(&p) == 0x6104d9866d113a7eULL);
	assert_true(prng_next(&p) == 0xae17533239e499a1ULL);
}

static void
reproducible(void **state)
{
	struct prng a, b, c;
	int	 i, same = 0;

	(void)state;
	prng_seed(&a, 12345);
	prng_seed(&b, 12345);
	prng_seed(&c, 12346);
	for (i = 0; i < 1000; i++) {
		uint64_t x = prng_next(&a);

		assert_true(x == prng_next(&b));
		if (x == prng_next(&c))
			same++;
	}
	assert_int_equal(same, 0);
}

static void
doubles(void **state)
{
	struct prng p;
	int	 bucket[10] = { 0 };
	double	 sum = 0;
	int	 i;
	const int n = 200000;

	(void)state;
	prng_seed(&p, 7);
	for (i = 0; i < n; i++) {
		double	 d = prng_double(&p);

		assert_true(d >= 0.0 && d < 1.0);
		sum += d;
		bucket[(int)(d * 10)]++;
	}
	assert_true(sum / n > 0.49 && sum / n < 0.51);
	for (i = 0; i < 10; i++)
		assert_true(bucket[i] > n / 10 * 0.95 &&
		    bucket[i] < n / 10 * 1.05);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(known_values),
	cmocka_unit_test(reproducible),
	cmocka_unit_test(doubles),
};

UNIT_MAIN(tests)
