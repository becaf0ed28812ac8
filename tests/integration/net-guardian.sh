#!/bin/sh
# Rollback that survives crashes: apply --for reverts on time (exit 0) and
# on SIGTERM (exit 3); after SIGKILL, the guardian reverts when the fault
# expires; a TTL without --for expires the same way.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

# wait_gone_ SECONDS: until chaosd's handle leaves $dev_a
wait_gone_()
{
	i=0
	while [ "$(root_qdisc_)" = "htb c405:" ]; do
		i=$((i + 1))
		[ $i -le $(($1 * 10)) ] || return 1
		sleep 0.1
	done
	return 0
}
wait_applied_()
{
	i=0
	until [ "$(root_qdisc_)" = "htb c405:" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || fail_ "the fault never appeared"
		sleep 0.1
	done
}

# --for: in the foreground, reverted after D, exit 0
start=$(now_ms)
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --for 1s \
	>"$tmp/out" 2>&1 || fail_ "apply --for: $(cat "$tmp/out")"
took=$(( $(now_ms) - start ))
expect_grep 'for 1s' "$tmp/out" "says how long"
expect_grep 'reverted' "$tmp/out" "says reverted"
expect_range "apply --for 1s lasted (ms)" 900 20000 "$took"
assert_clean_

# --for, then SIGTERM: reverted, exit 3
"$CHAOSD" net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --for 1m \
	>"$tmp/out" 2>&1 &
pid=$!
wait_applied_
kill -TERM $pid
wait $pid
expect_eq "exit status after SIGTERM" 3 "$?"
expect_grep 'interrupted' "$tmp/out" "says interrupted"
assert_clean_

# --for, then SIGKILL: nobody left but the guardian
"$CHAOSD" net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --for 5s \
	>"$tmp/out" 2>&1 &
pid=$!
wait_applied_
kill -KILL $pid
wait $pid 2>/dev/null
sleep 1
expect_eq "the fault outlives its chaosd for a while" "htb c405:" "$(root_qdisc_)"
wait_gone_ 20 || fail_ "the guardian did not revert the fault after SIGKILL"
assert_clean_
expect_grep 'expired: reverting' "$CHAOSD_RUNDIR/guardian.log" "guardian log"

# no --for: apply returns, the TTL ends it
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --ttl 2s \
	>"$tmp/out" 2>&1 || fail_ "apply --ttl: $(cat "$tmp/out")"
expect_grep 'until .* \(TTL\)' "$tmp/out" "says until when"
expect_eq "applied" "htb c405:" "$(root_qdisc_)"
wait_gone_ 20 || fail_ "the TTL did not end the fault"
assert_clean_
exit 0
