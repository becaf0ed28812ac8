#!/bin/sh
# chaosd recover: reverts every journaled fault (in any namespace),
# removes chaosd's handle where no journal entry names it, and is
# idempotent. clear --all reverts every journaled fault too.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

# two faults, one in each namespace, with no TTL: only recover ends them
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --ttl none \
	>"$tmp/out" 2>&1 || fail_ "apply a: $(cat "$tmp/out")"
chaosd_ net apply --netns "$ns_b" --dev "$dev_b" --rate 4mbit --dport 80 \
	--ttl none >"$tmp/out" 2>&1 || fail_ "apply b: $(cat "$tmp/out")"
expect_grep 'with no TTL' "$tmp/out" "no TTL said"
expect_eq "fault a" "htb c405:" "$(root_qdisc_)"
expect_eq "fault b" "htb c405:" "$(root_qdisc_ "$dev_b" "$ns_b")"
chaosd_ net show >"$tmp/show"
expect_grep "^$dev_a +$ns_a +active +no TTL +rate 8Mbit" "$tmp/show" "show a"
expect_grep "^$dev_b +$ns_b +active +no TTL +rate 4Mbit dport 80" "$tmp/show" "show b"
chaosd_ net show --json >"$tmp/json"
require_python_
"$PYTHON" - "$tmp/json" "$dev_b" "$ns_b" <<'PY' || fail_ "show --json: $(cat "$tmp/json")"
import json, sys
faults = json.load(open(sys.argv[1]))
mine = [f for f in faults if f["device"] == sys.argv[2]]
assert len(mine) == 1, faults
f = mine[0]
assert f["direction"] == "egress" and f["netns"] == sys.argv[3], f
assert f["state"] == "active" and f["expires_ms"] is None, f
assert f["left_ms"] is None and f["fault"].startswith("rate 4Mbit dport 80"), f
PY
echo "ok: show --json: $dev_b egress in $ns_b, active, no TTL"

chaosd_ recover --netns "$ns_a" >"$tmp/out" 2>&1 || fail_ "recover: $(cat "$tmp/out")"
expect_grep "reverted rate 8Mbit" "$tmp/out" "recover says what"
assert_clean_
assert_clean_ "$dev_b" "$ns_b"

# again: nothing to do, still success
chaosd_ recover --netns "$ns_a" >"$tmp/out" 2>&1 || fail_ "second recover failed"
expect_grep 'nothing to recover' "$tmp/out" "idempotent"

# chaosd's handle with no journal (say /run was lost): recover removes it
tc -n "$ns_a" qdisc add dev "$dev_a" root handle c405: tbf rate 1mbit \
	burst 10k latency 50ms || framework_failure_ "tc qdisc add"
chaosd_ recover --netns "$ns_a" >"$tmp/out" 2>&1 || fail_ "recover: $(cat "$tmp/out")"
expect_grep 'removed 1 unjournaled' "$tmp/out" "orphan removed"
assert_clean_
# ...but never a handle that is not chaosd's
tc -n "$ns_a" qdisc add dev "$dev_a" root handle 1: tbf rate 1mbit \
	burst 10k latency 50ms || framework_failure_ "tc qdisc add"
chaosd_ recover --netns "$ns_a" >/dev/null 2>&1 || fail_ "recover"
expect_eq "foreign root kept" "tbf 1:" "$(root_qdisc_)"
tc -n "$ns_a" qdisc del dev "$dev_a" root

# a journal entry whose fault is already gone: recover just drops it
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --ttl none \
	>/dev/null 2>&1 || fail_ "apply"
tc -n "$ns_a" qdisc del dev "$dev_a" root
chaosd_ recover --netns "$ns_a" >"$tmp/out" 2>&1 || fail_ "recover: $(cat "$tmp/out")"
assert_clean_

# --pid: the namespace of a process in it
ip netns exec "$ns_a" sleep 60 &
inside=$!
net_at_exit_ "kill $inside"
sleep 0.2
chaosd_ net apply --pid "$inside" --dev "$dev_a" --rate 8mbit --ttl none \
	>"$tmp/out" 2>&1 || fail_ "apply --pid: $(cat "$tmp/out")"
expect_eq "fault in the process's namespace" "htb c405:" "$(root_qdisc_)"
chaosd_ net show >"$tmp/show"
expect_grep "^$dev_a +pid:$inside +active" "$tmp/show" "show names the pid"
chaosd_ net clear --pid "$inside" --dev "$dev_a" >"$tmp/out" 2>&1 ||
	fail_ "clear --pid: $(cat "$tmp/out")"
assert_clean_
expect_status 2 chaosd_ net apply --pid 999999999 --dev "$dev_a" --rate 8mbit

# clear --all
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit >/dev/null 2>&1 ||
	fail_ "apply"
chaosd_ net apply --netns "$ns_b" --dev "$dev_b" --rate 8mbit >/dev/null 2>&1 ||
	fail_ "apply"
chaosd_ net clear --all >"$tmp/out" 2>&1 || fail_ "clear --all: $(cat "$tmp/out")"
[ "$(grep -c cleared "$tmp/out")" = 2 ] || fail_ "clear --all: $(cat "$tmp/out")"
assert_clean_
assert_clean_ "$dev_b" "$ns_b"
# --no-sweep: another journal's fault (another CHAOSD_RUNDIR, as a test
# suite beside a game day has) is not taken for a lost one; a sweep of
# its namespace takes it down
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --ttl none \
	>/dev/null 2>&1 || fail_ "apply"
mkdir "$tmp/other"
CHAOSD_RUNDIR=$tmp/other "$CHAOSD" recover --no-sweep >"$tmp/out" 2>&1 ||
	fail_ "recover --no-sweep: $(cat "$tmp/out")"
expect_eq "another journal's fault, after recover --no-sweep" "htb c405:" \
	"$(root_qdisc_)"
expect_status 2 "$CHAOSD" recover --no-sweep --netns "$ns_a"
CHAOSD_RUNDIR=$tmp/other "$CHAOSD" recover --netns "$ns_a" >"$tmp/out" 2>&1 ||
	fail_ "recover --netns: $(cat "$tmp/out")"
expect_eq "after a sweep of its namespace" "" "$(root_qdisc_ | grep c405)"
chaosd_ recover --netns "$ns_a" >/dev/null 2>&1 || fail_ "recover"
assert_clean_
exit 0
