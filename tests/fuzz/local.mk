# tests/fuzz/: one fuzz target per parser a user's text reaches (see
# tests/fuzz/README). In `make check` each runs its seed corpus and a
# fixed number of mutations through driver.c; `make fuzz` builds them
# with clang's libFuzzer and runs each for FUZZ_SECONDS.
FUZZ_TARGETS = rules scenario syscall tc journal registry
FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/fuzz-lib.c
FUZZ_CHECK_SOURCES = $(FUZZ_COMMON) tests/fuzz/driver.c
FUZZ_CHECK_CFLAGS = $(AM_CFLAGS) $(SAN_CFLAGS) -I$(top_srcdir)/chaosd \
	$(LIBNL_CFLAGS)
FUZZ_CHECK = tests/fuzz/fuzz-rules tests/fuzz/fuzz-scenario \
	tests/fuzz/fuzz-syscall tests/fuzz/fuzz-tc tests/fuzz/fuzz-journal \
	tests/fuzz/fuzz-registry
check_PROGRAMS += $(FUZZ_CHECK)
TESTS += $(FUZZ_CHECK)
EXTRA_DIST += tests/fuzz/README tests/fuzz/corpus

tests_fuzz_fuzz_rules_SOURCES = tests/fuzz/fuzz-rules.c $(FUZZ_CHECK_SOURCES)
tests_fuzz_fuzz_rules_CFLAGS = $(FUZZ_CHECK_CFLAGS)
tests_fuzz_fuzz_rules_LDADD = libinject/libchaos.la $(INIH_LIBS)

tests_fuzz_fuzz_scenario_SOURCES = tests/fuzz/fuzz-scenario.c \
	$(FUZZ_CHECK_SOURCES)
tests_fuzz_fuzz_scenario_CFLAGS = $(FUZZ_CHECK_CFLAGS)
tests_fuzz_fuzz_scenario_LDADD = chaosd/libchaosd.la

tests_fuzz_fuzz_syscall_SOURCES = tests/fuzz/fuzz-syscall.c \
	$(FUZZ_CHECK_SOURCES)
tests_fuzz_fuzz_syscall_CFLAGS = $(FUZZ_CHECK_CFLAGS)
tests_fuzz_fuzz_syscall_LDADD = chaosd/libchaosd.la

tests_fuzz_fuzz_tc_SOURCES = tests/fuzz/fuzz-tc.c $(FUZZ_CHECK_SOURCES)
tests_fuzz_fuzz_tc_CFLAGS = $(FUZZ_CHECK_CFLAGS)
tests_fuzz_fuzz_tc_LDADD = chaosd/libchaosd.la

tests_fuzz_fuzz_journal_SOURCES = tests/fuzz/fuzz-journal.c \
	$(FUZZ_CHECK_SOURCES)
tests_fuzz_fuzz_journal_CFLAGS = $(FUZZ_CHECK_CFLAGS)
tests_fuzz_fuzz_journal_LDADD = chaosd/libchaosd.la

tests_fuzz_fuzz_registry_SOURCES = tests/fuzz/fuzz-registry.c \
	$(FUZZ_CHECK_SOURCES)
tests_fuzz_fuzz_registry_CFLAGS = $(FUZZ_CHECK_CFLAGS)
tests_fuzz_fuzz_registry_LDADD = chaosd/libchaosd.la

# make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS='scenario tc'] [CLANG=clang-14]:
# the sources under test compiled again by clang with libFuzzer's coverage
# and ASan + UBSan into one archive (so a target links only what it
# uses), each target linked with libFuzzer, then run one after the other
# for FUZZ_SECONDS each, from its seed corpus; new inputs go to
# tests/fuzz/work/NAME/, a crash to tests/fuzz/work/NAME-crash-*.
CLANG = clang
FUZZ_SECONDS = 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -DFUZZ_LIBFUZZER \
	$(AM_CPPFLAGS) -I$(top_srcdir)/chaosd -pthread \
	$(LIBNL_CFLAGS) $(SECCOMP_CFLAGS) $(INIH_CFLAGS) $(CURL_CFLAGS) \
	$(JANSSON_CFLAGS)
FUZZ_LIBS = $(LIBNL_LIBS) $(SECCOMP_LIBS) $(INIH_LIBS) $(CURL_LIBS) \
	$(JANSSON_LIBS) -lm -lpthread -ldl
FUZZ_UNDER_TEST = $(filter %.c,$(libinject_libchaos_la_SOURCES) \
	$(chaosd_libchaosd_la_SOURCES)) tests/fuzz/fuzz-lib.c

fuzz-build:
	@rm -rf tests/fuzz/lf && $(MKDIR_P) tests/fuzz/lf
	@echo "  CLANG    $(words $(FUZZ_UNDER_TEST)) sources with libFuzzer coverage"
	@for s in $(FUZZ_UNDER_TEST); do \
	  o=tests/fuzz/lf/`echo $$s | tr / _`.o; \
	  $(CLANG) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    -c $(top_srcdir)/$$s -o $$o || exit 1; \
	done
	@$(AR) rcs tests/fuzz/lf/libundertest.a tests/fuzz/lf/*.o
	@for t in $(FUZZ_TARGETS); do \
	  echo "  CLANG    tests/fuzz/fuzz-$$t-libfuzzer"; \
	  $(CLANG) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer \
	    $(top_srcdir)/tests/fuzz/fuzz-$$t.c tests/fuzz/lf/libundertest.a \
	    $(FUZZ_LIBS) -o tests/fuzz/fuzz-$$t-libfuzzer || exit 1; \
	done

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  $(MKDIR_P) tests/fuzz/work/$$t; \
	  echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
	  ./tests/fuzz/fuzz-$$t-libfuzzer -max_total_time=$(FUZZ_SECONDS) \
	    -print_final_stats=1 -artifact_prefix=tests/fuzz/work/$$t- \
	    tests/fuzz/work/$$t $(srcdir)/tests/fuzz/corpus/$$t || exit 1; \
	done
.PHONY: fuzz fuzz-build
clean-local: fuzz-clean
fuzz-clean:
	rm -rf tests/fuzz/lf tests/fuzz/work tests/fuzz/fuzz-*-libfuzzer \
	    fuzz-*-failure-*
.PHONY: fuzz-clean
