# The reports people and machines read (issue #10): the HTML page in a
# real browser, the Prometheus file through a real parser, the live
# status line under a real pseudo-terminal.
REPORT_TESTS = \
	tests/integration/report-html.sh \
	tests/integration/report-prom.sh \
	tests/integration/run-progress.sh
TESTS += $(REPORT_TESTS)
dist_check_SCRIPTS += $(REPORT_TESTS)
dist_check_DATA += tests/integration/report-lib.sh \
	tests/integration/png-colours.py
