# Unit tests of the reports (HTML, Prometheus, text) on a synthetic run.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-report
TESTS += tests/unit/test-report
tests_unit_test_report_SOURCES = tests/unit/test-report.c tests/unit/unit.h
tests_unit_test_report_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/chaosd
tests_unit_test_report_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
endif
