# The fleet (chaosd doctor --json: what a host can do, for a fleet's
# preflight).
FLEET_TESTS = \
	tests/integration/doctor-json.sh
TESTS += $(FLEET_TESTS)
dist_check_SCRIPTS += $(FLEET_TESTS)
