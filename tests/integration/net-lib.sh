# Sourced by tests/integration/net-*.sh (after init.sh): two network
# namespaces of the test's own, joined by a veth pair, deleted at exit
# whatever happens. The machine's own interfaces are never touched:
# every chaosd call names --netns, and traffic only flows between the
# two namespaces.
#
#	ns_a (10.199.0.1, fd00:c405::1 on $dev_a) <-> ns_b (10.199.0.2 on $dev_b)
#
# CHAOSD_RUNDIR is the test's own journal directory, so tests running
# side by side never revert each other's faults.

# net_at_exit_ CMD: run at exit, the last added first (namespaces go
# after the servers and faults inside them).
net_cleanups_=
net_at_exit_() { net_cleanups_="$*
$net_cleanups_"; }
net_cleanup_()
{
	printf '%s\n' "$net_cleanups_" | while IFS= read -r c; do
		[ -n "$c" ] && eval "$c" >/dev/null 2>&1
	done
	return 0
}
at_exit_ net_cleanup_

require_root_
[ -x "$CHAOSD" ] || framework_failure_ "no chaosd at '$CHAOSD'"
NETPROBE=$HELPERS/netprobe
[ -x "$NETPROBE" ] || framework_failure_ "no helper at '$NETPROBE'"
command -v ip >/dev/null 2>&1 || skip_ "no ip(8) (install iproute2)"
command -v tc >/dev/null 2>&1 || skip_ "no tc(8) (install iproute2)"

ns_a=cdA$$
ns_b=cdB$$
dev_a=cdva$$
dev_b=cdvb$$
addr_a=10.199.0.1
addr_b=10.199.0.2

CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR

ip netns add "$ns_a" 2>"$tmp/netns.err" ||
	skip_ "cannot create a network namespace: $(cat "$tmp/netns.err")"
net_at_exit_ "ip netns del $ns_a"
ip netns add "$ns_b" || framework_failure_ "ip netns add $ns_b"
net_at_exit_ "ip netns del $ns_b"
ip -n "$ns_a" link add "$dev_a" type veth peer name "$dev_b" netns "$ns_b" ||
	skip_ "cannot create a veth pair"
ip -n "$ns_a" addr add "$addr_a/24" dev "$dev_a"
ip -n "$ns_b" addr add "$addr_b/24" dev "$dev_b"
ip -n "$ns_a" addr add fd00:c405::1/64 dev "$dev_a" nodad
ip -n "$ns_b" addr add fd00:c405::2/64 dev "$dev_b" nodad
ip -n "$ns_a" link set lo up
ip -n "$ns_b" link set lo up
ip -n "$ns_a" link set "$dev_a" up
ip -n "$ns_b" link set "$dev_b" up
# the guardian of this test's journal, should one still run at exit
net_at_exit_ 'CHAOSD_RUNDIR=$CHAOSD_RUNDIR "$CHAOSD" recover --netns $ns_a'

chaosd_() { "$CHAOSD" "$@"; }

# The root qdisc the kernel holds on $dev_a: "KIND HANDLE".
root_qdisc_()
{
	tc -n "${2:-$ns_a}" qdisc show dev "${1:-$dev_a}" |
		awk '/ root /{print $2, $3; exit}'
}

# A server in ns_b on PORT for SECONDS (default 60).
serve_()
{
	ip netns exec "$ns_b" "$NETPROBE" serve "$1" "${2:-60}" \
		>"$tmp/serve.$1" 2>&1 &
	net_at_exit_ "kill $! 2>/dev/null"
	i=0
	until grep -q ready "$tmp/serve.$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || framework_failure_ "netprobe serve $1 did not start"
		sleep 0.1
	done
}

# Throughput from ns_a to ns_b:PORT over MS milliseconds, in bits/s.
throughput_()
{
	ip netns exec "$ns_a" "$NETPROBE" send "$addr_b" "$1" "${2:-1500}" |
		awk '/^bits_per_sec/{print $2}'
}

# Nothing of chaosd's on the device, and an empty journal.
assert_clean_()
{
	q=$(root_qdisc_ "$@")
	case $q in
	"noqueue 0:"|"") ;;
	*) fail_ "${1:-$dev_a} still holds '$q'" ;;
	esac
	if ls "$CHAOSD_RUNDIR"/*.journal >/dev/null 2>&1; then
		fail_ "journal entries left: $(ls "$CHAOSD_RUNDIR")"
	fi
}
