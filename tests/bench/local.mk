# make bench: ratios against peers, measured side by side in one run.
# (each file by name: the directory itself would carry an in-tree build's
# libbenchempty.la into the tarball, and a VPATH build would take it as built)
EXTRA_DIST += tests/bench/run.sh tests/bench/bench-net.sh \
	tests/bench/bench-report.sh tests/bench/bench-shim.sh \
	tests/bench/bench-start.sh tests/bench/bench-stress.sh \
	tests/bench/bench-syscall.sh tests/bench/cputime.py
bench: all $(check_PROGRAMS) $(check_LTLIBRARIES)
	@CHAOSD='$(abs_top_builddir)/chaosd/chaosd' \
	LIBINJECT='$(abs_top_builddir)/libinject/.libs/libinject.so' \
	EMPTY_SO='$(abs_top_builddir)/tests/bench/.libs/libbenchempty.so' \
	HELPERS='$(abs_top_builddir)/tests/helpers' \
	$(SHELL) $(srcdir)/tests/bench/run.sh
.PHONY: bench

# libbenchempty.so: an empty preloaded library, the floor bench-start.sh
# and shim-startup.sh compare the dormant shim's start-up with.
check_LTLIBRARIES += tests/bench/libbenchempty.la
tests_bench_libbenchempty_la_SOURCES = tests/bench/empty.c
tests_bench_libbenchempty_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
