# The fault table at run time: chaosd inject, status, abort,
# recover, against running processes preloaded with CHAOS_TABLE.
TABLE_TESTS = \
	tests/integration/table-inject.sh \
	tests/integration/table-abort.sh \
	tests/integration/table-deadline.sh \
	tests/integration/table-boot.sh \
	tests/integration/table-preload.sh \
	tests/integration/table-scenario.sh \
	tests/integration/table-recover.sh \
	tests/integration/table-registry.sh \
	tests/integration/table-tmpdir.sh \
	tests/integration/table-create.sh \
	tests/integration/table-reach.sh
TESTS += $(TABLE_TESTS)
dist_check_SCRIPTS += $(TABLE_TESTS)
dist_check_DATA += tests/integration/table-lib.sh tests/integration/kvd-lib.sh

# The scenarios shipped in scenarios/: each one validates, and the demo
# game day (make demo) runs end to end, its timeline scaled down.
SCENARIO_TESTS = \
	tests/integration/scenarios-validate.sh \
	tests/integration/demo.sh
TESTS += $(SCENARIO_TESTS)
dist_check_SCRIPTS += $(SCENARIO_TESTS)
