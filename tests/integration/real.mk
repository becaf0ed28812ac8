# Real services from Debian as targets (issue #8): the scenarios shipped
# in scenarios/ run against PostgreSQL, Redis and nginx, each started in
# the test's own directory on 127.0.0.1, and made to fail.
REAL_TESTS = \
	tests/integration/real-redis.sh \
	tests/integration/real-nginx.sh \
	tests/integration/real-postgres.sh
TESTS += $(REAL_TESTS)
dist_check_SCRIPTS += $(REAL_TESTS)
dist_check_DATA += tests/integration/real-lib.sh
