# Unit tests of chaosd's libraries opened on first use (chaosd/dlopen.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-dlopen
TESTS += tests/unit/test-dlopen
tests_unit_test_dlopen_SOURCES = tests/unit/test-dlopen.c tests/unit/unit.h
tests_unit_test_dlopen_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS) \
	-I$(top_srcdir)/chaosd
tests_unit_test_dlopen_LDFLAGS = -Wl,--wrap=dlopen
tests_unit_test_dlopen_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
endif
