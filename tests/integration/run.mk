# Scenarios: chaosd run and validate end to end, against real
# local services (python3 -m http.server) and the shim.
RUN_TESTS = \
	tests/integration/run-outcomes.sh \
	tests/integration/run-reports.sh \
	tests/integration/run-signal.sh \
	tests/integration/run-service.sh \
	tests/integration/run-crashloop.sh \
	tests/integration/run-first-call.sh \
	tests/integration/run-syscall.sh \
	tests/integration/run-sigkill.sh \
	tests/integration/run-killed.sh \
	tests/integration/run-malformed.sh \
	tests/integration/run-network.sh \
	tests/integration/run-baseline.sh \
	tests/integration/run-error-rate.sh \
	tests/integration/run-goals.sh \
	tests/integration/run-reach.sh \
	tests/integration/run-table-cut.sh
TESTS += $(RUN_TESTS)
dist_check_SCRIPTS += $(RUN_TESTS)
dist_check_DATA += tests/integration/run-lib.sh \
	tests/integration/steady-lib.sh tests/integration/steady-server.py
