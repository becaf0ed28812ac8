# Unit tests of chaosd's own parts, linked against libchaosd.la: the
# scenario parser (through the fault kinds), the journal, the registry,
# the steady state and what a run makes of it.
if HAVE_CMOCKA
CHAOSD_UNIT_TESTS = tests/unit/test-scenario tests/unit/test-journal \
	tests/unit/test-registry tests/unit/test-baseline
check_PROGRAMS += $(CHAOSD_UNIT_TESTS)
TESTS += $(CHAOSD_UNIT_TESTS)
tests_unit_test_scenario_SOURCES = tests/unit/test-scenario.c tests/unit/unit.h
tests_unit_test_scenario_CFLAGS = $(UNIT_CFLAGS) $(LIBNL_CFLAGS) \
	-I$(top_srcdir)/chaosd
tests_unit_test_scenario_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
tests_unit_test_journal_SOURCES = tests/unit/test-journal.c tests/unit/unit.h
tests_unit_test_journal_CFLAGS = $(UNIT_CFLAGS) $(LIBNL_CFLAGS) \
	-I$(top_srcdir)/chaosd
tests_unit_test_journal_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
tests_unit_test_registry_SOURCES = tests/unit/test-registry.c tests/unit/unit.h
tests_unit_test_registry_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/chaosd
tests_unit_test_registry_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
tests_unit_test_baseline_SOURCES = tests/unit/test-baseline.c tests/unit/unit.h
tests_unit_test_baseline_CFLAGS = $(UNIT_CFLAGS) $(LIBNL_CFLAGS) \
	-I$(top_srcdir)/chaosd
tests_unit_test_baseline_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
endif
