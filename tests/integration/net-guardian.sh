#!/bin/sh
# Rollback that survives crashes: apply --for reverts on time (exit 0) and
# on SIGTERM (exit 3); after SIGKILL, the guardian reverts it at once (a
# foreground fault is bound to its chaosd), long before its window ends; a
# TTL without --for expires by the guardian.
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

# --for, then SIGKILL: nobody left but the guardian, which takes the
# fault down as soon as it sees its chaosd gone, not at the window's end
"$CHAOSD" net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --for 2m \
	>"$tmp/out" 2>&1 &
pid=$!
wait_applied_
start=$(now_ms)
kill -KILL $pid
wait $pid 2>/dev/null
wait_gone_ 30 || fail_ "the guardian did not revert the fault after SIGKILL"
expect_range "ms from SIGKILL to revert (window: 2 minutes)" 0 30000 \
	$(( $(now_ms) - start ))
expect_grep 'its chaosd is gone' "$CHAOSD_RUNDIR/guardian.log" "guardian log"
assert_clean_

# no --for: apply returns, the TTL ends it
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --ttl 2s \
	>"$tmp/out" 2>&1 || fail_ "apply --ttl: $(cat "$tmp/out")"
expect_grep 'until .* \(TTL\)' "$tmp/out" "says until when"
expect_eq "applied" "htb c405:" "$(root_qdisc_)"
wait_gone_ 20 || fail_ "the TTL did not end the fault"
assert_clean_
expect_grep 'expired: reverting' "$CHAOSD_RUNDIR/guardian.log" "guardian log"
# a chaosd killed in the middle of an apply: its entry still says
# "applying" and its pid is gone; the next guardian takes the tree down
tc -n "$ns_a" qdisc add dev "$dev_a" root handle c405: htb default 1 ||
	framework_failure_ "tc qdisc add"
sleep 0 &
dead=$!
wait $dead
ifindex=$(ip netns exec "$ns_a" cat "/sys/class/net/$dev_a/ifindex")
set -- $(stat -L -c '%d %i' "/run/netns/$ns_a")
mkdir -p "$CHAOSD_RUNDIR"
cat >"$CHAOSD_RUNDIR/net-$2-$dev_a.journal" <<JOURNAL
state=applying
owner=$dead
netns=$ns_a
ns_dev=$1
ns_ino=$2
dev=$dev_a
ifindex=$ifindex
handle=c4050000
created_ms=1
expires_ms=0
what=half-built
JOURNAL
# any apply with a TTL starts the guardian
chaosd_ net apply --netns "$ns_b" --dev "$dev_b" --rate 8mbit --ttl 1m \
	>"$tmp/out" 2>&1 || fail_ "apply: $(cat "$tmp/out")"
wait_gone_ 20 || fail_ "the guardian left a half-applied tree"
expect_grep 'died while applying' "$CHAOSD_RUNDIR/guardian.log" "guardian log"
[ -e "$CHAOSD_RUNDIR/net-$2-$dev_a.journal" ] && fail_ "entry left"
chaosd_ net clear --netns "$ns_b" --dev "$dev_b" >/dev/null || fail_ "clear"
exit 0
