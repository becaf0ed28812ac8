# Ready game days, installed under $(pkgdatadir)/scenarios.
scenariodir = $(pkgdatadir)/scenarios
dist_scenario_DATA = \
	scenarios/demo.ini \
	scenarios/crash-loop.ini \
	scenarios/db-disk-failure.ini \
	scenarios/memory-spike.ini \
	scenarios/progressive-rollout.ini \
	scenarios/slow-dependency.ini \
	scenarios/upstream-packet-loss.ini \
	scenarios/postgres-wal-eio.ini \
	scenarios/redis-aof-eio.ini \
	scenarios/nginx-upstream.ini

include $(srcdir)/scenarios/demo/local.mk
include $(srcdir)/scenarios/systemd/local.mk
include $(srcdir)/scenarios/services/local.mk
include $(srcdir)/scenarios/workload/local.mk
include $(srcdir)/scenarios/fleet/local.mk

# The installed scenarios start their programs (kvd, load.sh, ackw, the
# services' start scripts) from $(pkglibexecdir), wherever configure put
# it: their fallback (beside the chaosd on PATH, in ../libexec/chaosd) is
# replaced by the real directory.
install-data-hook: install-scenarios-ini
install-scenarios-ini:
	@for n in $(dist_scenario_DATA); do \
	  f='$(DESTDIR)$(scenariodir)/'"$${n##*/}"; \
	  test -f "$$f" || continue; \
	  sed -e 's|[$$](dirname "[$$](command -v chaosd)")/\.\./libexec/chaosd|$(pkglibexecdir)|g' \
	    "$$f" >"$$f.tmp" && mv "$$f.tmp" "$$f" && chmod 644 "$$f" || exit 1; \
	done
.PHONY: install-scenarios-ini

# make demo: the demo game day (scenarios/demo.ini, about 30 s): kvd, the
# demo service, under disk errors, a slow disk, a crash and network
# latency, with load.sh's writes checked at the end, and the report: on
# standard output, and beside each other in the build directory as text
# (demo-report.txt) and as a page to open in a browser (demo-report.html).
DEMO_ENV = KVD='$(abs_top_builddir)/scenarios/demo/kvd' \
	KVD_LOAD='$(abs_top_srcdir)/scenarios/demo/load.sh' \
	CHAOSD='$(abs_top_builddir)/chaosd/chaosd'
demo: all
	@$(DEMO_ENV) '$(abs_top_builddir)/chaosd/chaosd' run \
	  --report text='$(abs_top_builddir)/demo-report.txt' \
	  --report html='$(abs_top_builddir)/demo-report.html' \
	  '$(abs_top_srcdir)/scenarios/demo.ini'; st=$$?; \
	echo "make demo: the report, as text and as a page:"; \
	echo "  $(abs_top_builddir)/demo-report.txt"; \
	echo "  $(abs_top_builddir)/demo-report.html"; \
	exit $$st
CLEANFILES += demo-report.txt demo-report.html

# make demo-screenshot: the README's picture of the demo's HTML report,
# scenarios/demo/report.png, through headless Chromium.
EXTRA_DIST += scenarios/demo/report.png
dist_noinst_SCRIPTS += scenarios/demo/screenshot.sh
demo-screenshot: all
	@$(DEMO_ENV) $(SHELL) '$(srcdir)/scenarios/demo/screenshot.sh' \
	  '$(srcdir)/scenarios/demo/report.png'

# make demo-exec: chaosd exec making real programs fail under a fault,
# and not without.
dist_noinst_SCRIPTS += scenarios/demo-exec.sh
demo-exec: all
	@CHAOSD='$(abs_top_builddir)/chaosd/chaosd' \
	$(SHELL) $(srcdir)/scenarios/demo-exec.sh
.PHONY: demo demo-exec demo-screenshot
