#!/bin/sh
# chaosd doctor: one line per capability, each the kernel's real answer
# (checked against tc in a namespace of the test's own), with the fix
# where something is missing.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

chaosd_ doctor >"$tmp/out" 2>&1
st=$?
cat "$tmp/out"
expect_grep '^CAP_NET_ADMIN +ok' "$tmp/out" "root has CAP_NET_ADMIN"
missing=0
for kind in netem tbf htb prio; do
	case $kind in
	netem) args="delay 1ms" ;;
	tbf) args="rate 1mbit burst 10k latency 50ms" ;;
	*) args= ;;
	esac
	# shellcheck disable=SC2086
	if tc -n "$ns_a" qdisc add dev "$dev_a" root handle 9: $kind $args 2>/dev/null; then
		tc -n "$ns_a" qdisc del dev "$dev_a" root
		expect_grep "^$kind \\(sch_$kind\\) +ok" "$tmp/out" "$kind, as tc finds it"
	elif [ $kind = prio ]; then
		expect_grep "^prio \\(sch_prio\\) +absent \\(chaosd does not need it" \
			"$tmp/out" "prio, as tc finds it"
	else
		missing=1
		expect_grep "^$kind \\(sch_$kind\\) +MISSING" "$tmp/out" "$kind, as tc finds it"
	fi
done
expect_grep '^ +fix: modprobe sch_netem|^netem \(sch_netem\) +ok' "$tmp/out" \
	"netem's fix"
if ip -n "$ns_a" link add cdprobe$$ type ifb 2>/dev/null; then
	ip -n "$ns_a" link del cdprobe$$
	expect_grep '^ifb devices \(ifb\) +ok' "$tmp/out" "ifb"
else
	missing=1
	expect_grep '^ifb devices \(ifb\) +MISSING' "$tmp/out" "ifb"
fi
for what in 'u32 filters' 'mirred redirect' 'ingress qdisc' \
    'seccomp user notification' 'libinject found'; do
	expect_grep "^$what" "$tmp/out" "a line for $what"
done
grep -q MISSING "$tmp/out" && missing=1
expect_eq "exit status (1: something missing)" "$missing" "$st"
# the machine's own network was not touched: doctor used a scratch namespace
ip link show cdifbprobe >/dev/null 2>&1 && fail_ "doctor left cdifbprobe"
exit 0
