# tests/: unit (cmocka, TAP), integration (shell + helpers), bench.
include $(srcdir)/tests/helpers/local.mk
include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/integration/local.mk
include $(srcdir)/tests/bench/local.mk
include $(srcdir)/tests/fuzz/local.mk

AM_TESTS_ENVIRONMENT = \
	abs_top_srcdir='$(abs_top_srcdir)'; export abs_top_srcdir; \
	abs_top_builddir='$(abs_top_builddir)'; export abs_top_builddir; \
	CHAOSD='$(abs_top_builddir)/chaosd/chaosd'; export CHAOSD; \
	LIBINJECT='$(abs_top_builddir)/libinject/.libs/libinject.so'; export LIBINJECT; \
	HELPERS='$(abs_top_builddir)/tests/helpers'; export HELPERS; \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT;

# make check runs the tests as many at a time as this machine has CPUs
# (one by one they take about 17 minutes), unless make was given -j
# itself: make -j1 check runs them one by one. MAKEFLAGS holds -j only
# in a recipe, where AM_MAKEFLAGS is expanded (make all, check and
# install call make again with it).
AM_MAKEFLAGS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))

# Unit tests speak TAP; shell tests use the plain driver (77 = SKIP).
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = $(SHELL) $(top_srcdir)/build-aux/test-driver

# --enable-sanitizers: every test runs through sanitizer-run.sh, which
# gives ASan a report directory of the test's own and fails the test on
# any report, and makes UBSan stop at its first.
SANITIZER_RUN = $(SHELL) $(top_srcdir)/tests/helpers/sanitizer-run.sh
EXTRA_DIST += tests/helpers/sanitizer-run.sh
if SANITIZERS
LOG_COMPILER = $(SANITIZER_RUN)
SH_LOG_COMPILER = $(SANITIZER_RUN) $(SHELL)
else
SH_LOG_COMPILER = $(SHELL)
endif
include $(srcdir)/tests/vm/vm.mk
