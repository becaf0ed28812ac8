# cmocka unit tests, one group per binary, TAP output.
if HAVE_CMOCKA
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SAN_CFLAGS)
UNIT_LDADD = libinject/libchaos.la $(INIH_LIBS) $(CMOCKA_LIBS)

UNIT_TESTS = tests/unit/test-units tests/unit/test-names \
	tests/unit/test-cidr tests/unit/test-hooks tests/unit/test-util \
	tests/unit/test-prng tests/unit/test-ini tests/unit/test-rule \
	tests/unit/test-rulefile tests/unit/test-table tests/unit/test-rulecore
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_units_SOURCES = tests/unit/test-units.c tests/unit/unit.h
tests_unit_test_units_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_units_LDADD = $(UNIT_LDADD)

tests_unit_test_names_SOURCES = tests/unit/test-names.c tests/unit/unit.h
tests_unit_test_names_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_names_LDADD = $(UNIT_LDADD)

tests_unit_test_cidr_SOURCES = tests/unit/test-cidr.c tests/unit/unit.h
tests_unit_test_cidr_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cidr_LDADD = $(UNIT_LDADD)

tests_unit_test_hooks_SOURCES = tests/unit/test-hooks.c tests/unit/unit.h
tests_unit_test_hooks_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hooks_LDADD = $(UNIT_LDADD)

tests_unit_test_util_SOURCES = tests/unit/test-util.c tests/unit/unit.h
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LDADD)

tests_unit_test_prng_SOURCES = tests/unit/test-prng.c tests/unit/unit.h
tests_unit_test_prng_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prng_LDADD = $(UNIT_LDADD)

tests_unit_test_ini_SOURCES = tests/unit/test-ini.c tests/unit/unit.h
tests_unit_test_ini_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ini_LDADD = $(UNIT_LDADD)

tests_unit_test_rule_SOURCES = tests/unit/test-rule.c tests/unit/unit.h
tests_unit_test_rule_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rule_LDADD = $(UNIT_LDADD)

tests_unit_test_rulefile_SOURCES = tests/unit/test-rulefile.c tests/unit/unit.h
tests_unit_test_rulefile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rulefile_LDADD = $(UNIT_LDADD)

tests_unit_test_table_SOURCES = tests/unit/test-table.c tests/unit/unit.h
tests_unit_test_table_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_table_LDADD = $(UNIT_LDADD)

tests_unit_test_rulecore_SOURCES = tests/unit/test-rulecore.c tests/unit/unit.h
tests_unit_test_rulecore_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rulecore_LDADD = $(UNIT_LDADD)
endif
include $(srcdir)/tests/unit/netem.mk
include $(srcdir)/tests/unit/syscall.mk
include $(srcdir)/tests/unit/chaosd.mk
include $(srcdir)/tests/unit/dlopen.mk
include $(srcdir)/tests/unit/report.mk
include $(srcdir)/tests/unit/res.mk
