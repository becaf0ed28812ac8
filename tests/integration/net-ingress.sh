#!/bin/sh
# --ingress: the device's incoming traffic, through an IFB device chaosd
# creates (an ingress qdisc, a u32 match-all, a mirred redirect), and
# removes again on clear.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

ip -n "$ns_b" link add cdprobe$$ type ifb 2>/dev/null ||
	skip_ "no ifb devices on this kernel (modprobe ifb)"
ip -n "$ns_b" link del cdprobe$$

serve_ 5001
ifindex=$(cat "/sys/class/net/$dev_b/ifindex" 2>/dev/null ||
	ip netns exec "$ns_b" cat "/sys/class/net/$dev_b/ifindex")
ifb=cdifb$ifindex

# the receiving side: dev_b, in ns_b
chaosd_ net apply --netns "$ns_b" --dev "$dev_b" --ingress --rate 4mbit \
	>"$tmp/out" 2>&1 || fail_ "apply --ingress: $(cat "$tmp/out")"
expect_grep 'ingress' "$tmp/out" "says ingress"
ip -n "$ns_b" -d link show "$ifb" >"$tmp/ifb" 2>&1 || fail_ "no $ifb: $(cat "$tmp/ifb")"
expect_grep 'ifb' "$tmp/ifb" "an IFB device"
tc -n "$ns_b" qdisc show dev "$dev_b" >"$tmp/q"
expect_grep 'qdisc ingress ffff:' "$tmp/q" "ingress qdisc"
tc -n "$ns_b" filter show dev "$dev_b" ingress >"$tmp/f"
expect_grep "mirred \\(Egress Redirect to device $ifb\\)" "$tmp/f" "redirect"
expect_eq "fault tree on the IFB" "htb c405:" "$(root_qdisc_ "$ifb" "$ns_b")"
# egress of dev_b is left alone
case $(root_qdisc_ "$dev_b" "$ns_b") in
"htb c405:"*|"tbf c405:"*) fail_ "egress of $dev_b changed" ;;
esac

t=$(throughput_ 5001 2500)
echo "A -> B with B's ingress at 4mbit: $t bit/s"
expect_range "ingress-limited throughput" 1500000 6000000 "$t"

chaosd_ net show >"$tmp/show"
expect_grep "^$dev_b/in +$ns_b +active" "$tmp/show" "show marks ingress"

chaosd_ net clear --netns "$ns_b" --dev "$dev_b" >"$tmp/out" 2>&1 ||
	fail_ "clear: $(cat "$tmp/out")"
ip -n "$ns_b" link show "$ifb" >/dev/null 2>&1 && fail_ "$ifb left behind"
tc -n "$ns_b" qdisc show dev "$dev_b" >"$tmp/q"
expect_no_grep 'ingress' "$tmp/q" "ingress qdisc removed"
[ -z "$(ls "$CHAOSD_RUNDIR"/*.journal 2>/dev/null)" ] || fail_ "journal left"
t=$(throughput_ 5001 1000)
[ "$t" -gt 50000000 ] || fail_ "after clear only $t bit/s"

# someone else's ingress qdisc: refused, left alone
tc -n "$ns_b" qdisc add dev "$dev_b" ingress || framework_failure_ "tc ingress"
expect_status 2 chaosd_ net apply --netns "$ns_b" --dev "$dev_b" --ingress \
	--rate 4mbit 2>"$tmp/err"
expect_grep 'already has an ingress qdisc' "$tmp/err" "refusal"
tc -n "$ns_b" qdisc show dev "$dev_b" | grep -q 'ingress ffff:' ||
	fail_ "foreign ingress qdisc removed"
ip -n "$ns_b" link show "$ifb" >/dev/null 2>&1 && fail_ "$ifb created anyway"

# recover removes an IFB left by a chaosd whose journal is gone
tc -n "$ns_b" qdisc del dev "$dev_b" ingress
chaosd_ net apply --netns "$ns_b" --dev "$dev_b" --ingress --rate 4mbit \
	--ttl none >/dev/null 2>&1 || fail_ "apply"
rm -f "$CHAOSD_RUNDIR"/*.journal
chaosd_ recover --netns "$ns_b" >"$tmp/out" 2>&1 || fail_ "recover: $(cat "$tmp/out")"
ip -n "$ns_b" link show "$ifb" >/dev/null 2>&1 && fail_ "recover left $ifb"
tc -n "$ns_b" qdisc show dev "$dev_b" | grep -q ingress &&
	fail_ "recover left the ingress qdisc"
exit 0
