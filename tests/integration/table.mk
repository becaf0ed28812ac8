# The fault table at run time (issue #4): chaosd inject, status, abort,
# against running processes preloaded with CHAOS_TABLE.
TABLE_TESTS = \
	tests/integration/table-inject.sh \
	tests/integration/table-abort.sh \
	tests/integration/table-deadline.sh \
	tests/integration/table-preload.sh
TESTS += $(TABLE_TESTS)
dist_check_SCRIPTS += $(TABLE_TESTS)
dist_check_DATA += tests/integration/table-lib.sh
