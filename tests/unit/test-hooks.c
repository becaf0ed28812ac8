/*
 * test-hooks.c: the hook registry (hooks.c, hooks-*.def).
 */
#include "unit.h"

static void
find_hooks(void **state)
{
	(void)state;
	assert_int_equal(hook_find("read"), HID_read);
	assert_int_equal(hook_find("open"), HID_open);
	assert_int_equal(hook_find("__open_2"), HID___open_2);
	assert_int_equal(hook_find("getaddrinfo"), HID_getaddrinfo);
	assert_int_equal(hook_find("malloc"), HID_malloc);
	assert_int_equal(hook_find("pthread_create"), HID_pthread_create);
	assert_int_equal(hook_find("nonexistent"), -1);
	assert_int_equal(hook_find(""), -1);
	assert_int_equal(hook_find("READ"), -1);
	assert_int_equal(hook_find("%read"), -1);
	assert_string_equal(hook_table[HID_connect].name, "connect");
}

static void
table_shape(void **state)
{
	int	 i, j;

	(void)state;
	assert_true(HOOK_COUNT > 150);
	for (i = 0; i < HOOK_COUNT; i++) {
		assert_true(hook_table[i].name[0] != '\0');
		assert_int_equal(hook_find(hook_table[i].name), i);
		assert_int_equal(hook_table[i].groups & ~(G_FILE | G_NET |
		    G_DNS | G_MEM | G_PROC), 0);
		for (j = i + 1; j < HOOK_COUNT; j++)
			assert_string_not_equal(hook_table[i].name,
			    hook_table[j].name);
	}
	assert_true(hook_table[HID_read].flags & F_IN);
	assert_true(hook_table[HID_read].flags & F_FD);
	assert_int_equal(hook_table[HID_read].groups, G_READ);
	assert_true(hook_table[HID_write].flags & F_OUT);
	assert_true(hook_table[HID_malloc].flags & F_PTR);
	assert_true(hook_table[HID_free].flags & F_NOFAIL);
	assert_true(hook_table[HID_getaddrinfo].flags & F_EAI);
	assert_int_equal(hook_table[HID_dup].groups, G_NONE);
}

static void
groups(void **state)
{
	static const struct {
		const char	*name;
		unsigned	 mask;
	} cases[] = {
		{ "%open", G_OPEN }, { "%read", G_READ }, { "%write", G_WRITE },
		{ "%sync", G_SYNC }, { "%close", G_CLOSE }, { "%stat", G_STAT },
		{ "%fs", G_FS }, { "%file", G_FILE }, { "%net", G_NET },
		{ "%dns", G_DNS }, { "%mem", G_MEM }, { "%proc", G_PROC },
	};
	size_t	 i;
	int	 h;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int	 members = 0;

		assert_int_equal(group_find(cases[i].name), cases[i].mask);
		assert_string_equal(group_name(cases[i].mask), cases[i].name);
		for (h = 0; h < HOOK_COUNT; h++) {
			if (hook_table[h].groups & cases[i].mask)
				members++;
		}
		assert_true(members > 0);
	}
	assert_int_equal(group_find("%nope"), 0);
	assert_int_equal(group_find("read"), 0);
	assert_int_equal(group_find("%READ"), 0);
	assert_int_equal(group_find(""), 0);
	assert_null(group_name(0));
	assert_null(group_name(G_READ | G_WRITE));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(find_hooks),
	cmocka_unit_test(table_shape),
	cmocka_unit_test(groups),
};

UNIT_MAIN(tests)
