# The fleet: chaosd doctor --json (what a host can do, for a fleet's
# preflight) and chaosd report merge (one report from many hosts').
FLEET_TESTS = \
	tests/integration/doctor-json.sh \
	tests/integration/report-merge.sh
TESTS += $(FLEET_TESTS)
dist_check_SCRIPTS += $(FLEET_TESTS)
