# Unit tests of chaosd's syscall fault rules (-s, [syscall.NAME]).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-syscall-rule
TESTS += tests/unit/test-syscall-rule
tests_unit_test_syscall_rule_SOURCES = tests/unit/test-syscall-rule.c \
	tests/unit/unit.h
tests_unit_test_syscall_rule_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/chaosd
tests_unit_test_syscall_rule_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
endif
