# Network faults: chaosd net, recover, doctor, in namespaces
# and veth pairs the tests make (and always delete).
NET_TESTS = \
	tests/integration/net-tbf.sh \
	tests/integration/net-filters.sh \
	tests/integration/net-ownership.sh \
	tests/integration/net-bad.sh \
	tests/integration/net-netem-enoent.sh \
	tests/integration/net-recover.sh \
	tests/integration/net-guardian.sh \
	tests/integration/net-instance.sh \
	tests/integration/net-ingress.sh \
	tests/integration/net-doctor.sh
TESTS += $(NET_TESTS)
dist_check_SCRIPTS += $(NET_TESTS)
dist_check_DATA += tests/integration/net-lib.sh
