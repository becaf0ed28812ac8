# Unit tests of the process and resource faults' values and keys.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-res
TESTS += tests/unit/test-res
tests_unit_test_res_SOURCES = tests/unit/test-res.c tests/unit/unit.h
tests_unit_test_res_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/chaosd
tests_unit_test_res_LDADD = chaosd/libchaosd.la $(UNIT_LDADD) -lm
endif
