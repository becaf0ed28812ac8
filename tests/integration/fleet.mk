# The fleet (issue #11): the playbooks of scenarios/fleet run by the real
# ansible-playbook over hosts on this machine, chaosd report merge,
# chaosd doctor --json, and the Kubernetes example read by a real YAML
# parser.
FLEET_TESTS = \
	tests/integration/doctor-json.sh \
	tests/integration/report-merge.sh \
	tests/integration/k8s-example.sh \
	tests/integration/fleet-lint.sh \
	tests/integration/fleet-preflight.sh \
	tests/integration/fleet-gameday.sh \
	tests/integration/fleet-gameday-fail.sh \
	tests/integration/fleet-install.sh
TESTS += $(FLEET_TESTS)
dist_check_SCRIPTS += $(FLEET_TESTS)
dist_check_DATA += tests/integration/fleet-lib.sh
