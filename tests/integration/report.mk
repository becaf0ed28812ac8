# The reports people and machines read (issue #10): the live status
# line under a real pseudo-terminal.
REPORT_TESTS = \
	tests/integration/run-progress.sh
TESTS += $(REPORT_TESTS)
dist_check_SCRIPTS += $(REPORT_TESTS)
