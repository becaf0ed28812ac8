# Unit tests of chaosd net's values and netem's options.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-netem
TESTS += tests/unit/test-netem
tests_unit_test_netem_SOURCES = tests/unit/test-netem.c tests/unit/unit.h
tests_unit_test_netem_CFLAGS = $(UNIT_CFLAGS) $(LIBNL_CFLAGS) \
	-I$(top_srcdir)/chaosd
tests_unit_test_netem_LDADD = chaosd/libchaosd.la $(UNIT_LDADD)
endif
