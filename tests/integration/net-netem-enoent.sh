#!/bin/sh
# A kernel without sch_netem (this lane's): a netem fault is refused in
# plain words with the fix, exit 2, and nothing is left applied, not even
# the htb a targeted fault builds first. (Netem itself: tests/vm/.)
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

if tc -n "$ns_a" qdisc add dev "$dev_a" root netem delay 1ms 2>/dev/null; then
	tc -n "$ns_a" qdisc del dev "$dev_a" root
	skip_ "this kernel has sch_netem (the VM lane covers netem)"
fi

for args in "--delay 100ms" "--loss 5%" "--delay 50ms --dport 5001" \
    "--delay 10ms --rate 8mbit --exclude-port none"; do
	# shellcheck disable=SC2086
	expect_status 2 chaosd_ net apply --netns "$ns_a" --dev "$dev_a" \
		$args 2>"$tmp/err"
	expect_grep 'no netem \(sch_netem\)' "$tmp/err" "plain words ($args)"
	expect_grep 'modprobe sch_netem' "$tmp/err" "the fix ($args)"
	expect_grep 'extra modules' "$tmp/err" "the package ($args)"
	expect_grep 'nothing applied' "$tmp/err" "says nothing applied ($args)"
	assert_clean_
done
exit 0
