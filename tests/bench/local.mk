# make bench: ratios against peers, measured side by side in one run.
EXTRA_DIST += tests/bench
bench: all $(check_PROGRAMS)
	@CHAOSD='$(abs_top_builddir)/chaosd/chaosd' \
	LIBINJECT='$(abs_top_builddir)/libinject/.libs/libinject.so' \
	HELPERS='$(abs_top_builddir)/tests/helpers' \
	$(SHELL) $(srcdir)/tests/bench/run.sh
.PHONY: bench
