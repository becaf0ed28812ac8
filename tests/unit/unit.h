/*
 * unit.h: what every cmocka unit test here includes.
 */
#ifndef UNIT_H
#define UNIT_H

#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chaos.h"

/* The test fails, showing both strings, unless s contains sub. */
#define assert_contains(s, sub) do {					\
	const char *s_ = (s), *sub_ = (sub);				\
	if (strstr(s_, sub_) == NULL) {					\
		print_error("\"%s\" does not contain \"%s\"\n", s_, sub_); \
		fail();							\
	}								\
} while (0)

/* cmocka returns the failure count; 77 of them would read as a skip. */
#define UNIT_MAIN(tests)						\
int									\
main(void)								\
{									\
	return cmocka_run_group_tests(tests, NULL, NULL) != 0 ? 1 : 0;	\
}

/*
 * Write text to a new temporary file; returns its path (malloc'd: the
 * caller unlinks and frees it).
 */
static inline char *
unit_tmpfile(const char *text, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char	*path;
	int	 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	assert_non_null(path);
	sprintf(path, "%s/chaos-unit-XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return path;
}

#endif
