# Faults on processes and resources (issue #9): chaosd proc, chaosd
# stress, and their [process.*], [stress.*] and [limit.*] sections in
# chaosd run (cgroup v2 limits: in the real-kernel lane, tests/vm).
RES_TESTS = \
	tests/integration/proc-kill.sh \
	tests/integration/proc-pause.sh \
	tests/integration/stress-memory.sh \
	tests/integration/stress-cpu-io.sh \
	tests/integration/stress-fill.sh \
	tests/integration/run-res.sh \
	tests/integration/run-res-killed.sh
TESTS += $(RES_TESTS)
dist_check_SCRIPTS += $(RES_TESTS)
dist_check_DATA += tests/integration/res-lib.sh
