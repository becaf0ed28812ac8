# Ready game days, installed under $(pkgdatadir)/scenarios.
scenariodir = $(pkgdatadir)/scenarios
dist_scenario_DATA =

include $(srcdir)/scenarios/demo/local.mk
include $(srcdir)/scenarios/systemd/local.mk

# make demo: the main job until the demo game day exists (issue #4):
# chaosd exec making real programs fail under a fault, and not without.
dist_noinst_SCRIPTS += scenarios/demo-exec.sh
demo: all
	@CHAOSD='$(abs_top_builddir)/chaosd/chaosd' \
	$(SHELL) $(srcdir)/scenarios/demo-exec.sh
.PHONY: demo
