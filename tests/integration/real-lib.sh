# real-lib.sh: shared by the real-*.sh tests, which run the scenarios
# shipped in scenarios/ against real services from Debian (PostgreSQL,
# Redis, nginx), each started by the scenario in $tmp on 127.0.0.1 and
# free ports, never the system's instance.
#
#	. "$abs_top_srcdir/tests/integration/real-lib.sh"
#
# Sets ACKW and CHAOSD_SERVICES (the scenarios' helpers, from the source
# tree) and KVD; $tmp is made traversable, for services that run as
# another user. ackw_ MODE NAME FILE: the NAME=VALUE field of ackw's
# last "ackw: MODE:" summary line in FILE (MODE: run or verify).
. "$abs_top_srcdir/tests/integration/run-lib.sh"
ACKW=$abs_top_srcdir/scenarios/workload/ackw
CHAOSD_SERVICES=$abs_top_srcdir/scenarios/services
KVD=$abs_top_builddir/scenarios/demo/kvd
export ACKW CHAOSD_SERVICES KVD
[ -x "$ACKW" ] || framework_failure_ "no ackw at $ACKW"
chmod 755 "$tmp" || framework_failure_ "chmod $tmp"

# ackw_ MODE NAME FILE: NAME's value on ackw's "MODE:" summary line
ackw_()
{
	sed -n "s/^ackw: $1: .*\\<$2=\\([0-9]*\\).*/\\1/p" "$3" | tail -n 1
}
