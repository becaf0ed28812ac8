# tests/fuzz/: fuzz targets. In `make check` each runs its own fixed-seed
# driver; with clang, `make fuzz` builds the libFuzzer versions.
check_PROGRAMS += tests/fuzz/fuzz-rules
TESTS += tests/fuzz/fuzz-rules
tests_fuzz_fuzz_rules_SOURCES = tests/fuzz/fuzz-rules.c
tests_fuzz_fuzz_rules_CFLAGS = $(AM_CFLAGS) $(SAN_CFLAGS)
tests_fuzz_fuzz_rules_LDADD = libinject/libchaos.la $(INIH_LIBS)
EXTRA_DIST += tests/fuzz/README

CLANG = clang
fuzz:
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -DFUZZ_LIBFUZZER \
	    -I$(top_srcdir)/libinject -I$(top_builddir) \
	    $(top_srcdir)/tests/fuzz/fuzz-rules.c \
	    $(addprefix $(top_srcdir)/,$(filter %.c,$(libinject_libchaos_la_SOURCES))) \
	    -x none $(INIH_LIBS) -o tests/fuzz/fuzz-rules-libfuzzer
	@echo "run: tests/fuzz/fuzz-rules-libfuzzer -max_total_time=60"
.PHONY: fuzz
CLEANFILES += tests/fuzz/fuzz-rules-libfuzzer
