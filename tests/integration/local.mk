# Integration tests: shell scripts sharing tests/integration/init.sh.
dist_check_DATA += tests/integration/init.sh
include $(srcdir)/tests/integration/syscall.mk
include $(srcdir)/tests/integration/net.mk

# The shim and chaosd exec against the helpers (tests/helpers) and real
# programs.
SHIM_TESTS = \
	tests/integration/shim-file.sh \
	tests/integration/shim-fdtrack.sh \
	tests/integration/shim-threads-fork-exec.sh \
	tests/integration/shim-net.sh \
	tests/integration/shim-dns.sh \
	tests/integration/shim-mem.sh \
	tests/integration/shim-proc.sh \
	tests/integration/shim-actions.sh \
	tests/integration/shim-triggers.sh \
	tests/integration/shim-config.sh \
	tests/integration/shim-filters.sh \
	tests/integration/shim-real-programs.sh \
	tests/integration/shim-dormant.sh \
	tests/integration/shim-badrules.sh \
	tests/integration/shim-fortify.sh \
	tests/integration/shim-early.sh \
	tests/integration/shim-setuid.sh \
	tests/integration/shim-truncate.sh \
	tests/integration/shim-log.sh \
	tests/integration/shim-startup.sh \
	tests/integration/exec-cli.sh \
	tests/integration/exec-reach.sh \
	tests/integration/exec-startup.sh
TESTS += $(SHIM_TESTS)
dist_check_SCRIPTS += $(SHIM_TESTS)
include $(srcdir)/tests/integration/table.mk
include $(srcdir)/tests/integration/run.mk
include $(srcdir)/tests/integration/real.mk
include $(srcdir)/tests/integration/report.mk
include $(srcdir)/tests/integration/res.mk
include $(srcdir)/tests/integration/fleet.mk
