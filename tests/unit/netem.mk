# Unit tests of chaosd net's values and netem's options (issue #3).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-netem
TESTS += tests/unit/test-netem
tests_unit_test_netem_SOURCES = tests/unit/test-netem.c tests/unit/unit.h \
	chaosd/netem.c chaosd/tc-units.c chaosd/netfault.c chaosd/netlink.c \
	chaosd/log.c chaosd/xmalloc.c
tests_unit_test_netem_CFLAGS = $(UNIT_CFLAGS) $(LIBNL_CFLAGS) \
	-I$(top_srcdir)/chaosd
tests_unit_test_netem_LDADD = $(UNIT_LDADD) $(LIBNL_LIBS) -lm
endif
