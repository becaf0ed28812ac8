#!/bin/sh
# A [network.*] section through chaosd run, on the host lane: --rate alone
# is a tbf, which needs no netem. In the test's own namespaces: the fault
# holds the kernel's qdisc and really limits throughput during its window,
# and is gone after, with the report saying so.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"
require_python_

serve_ 5003
base=$(throughput_ 5003 500)
[ -n "$base" ] || framework_failure_ "no baseline throughput"
[ "$base" -gt 100000000 ] ||
	skip_ "veth too slow here for a rate test ($base bit/s)"

cat >net.ini <<EOT
[scenario]
name = netrate
duration = 20s
command = sleep 9
[network.slow]
netns = $ns_a
dev = $dev_a
rate = 4mbit
start = 500ms
for = 7s
EOT
"$CHAOSD" run net.ini --report "json=$tmp/r.json" >out 2>err &
pid=$!
at_exit_ "kill $pid 2>/dev/null"
seen=no
for i in $(seq 40); do
	if ip netns exec "$ns_a" tc qdisc show dev "$dev_a" | grep -q tbf; then
		seen=yes
		break
	fi
	sleep 0.1
done
[ $seen = yes ] || fail_ "no tbf on $dev_a in the window: $(cat err)"
during=$(throughput_ 5003 1000)
# the measurement counts only if the whole of it was inside the window
ip netns exec "$ns_a" tc qdisc show dev "$dev_a" | grep -q tbf ||
	fail_ "the window (7 s) ended before a 1 s measurement in it did"
echo "throughput: $base bit/s before, $during bit/s in the window"
expect_range "bit/s under rate = 4mbit" 1000000 6000000 "$during"
wait $pid
st=$?
[ $st = 0 ] || fail_ "chaosd run exited $st: $(cat out err)"
ip netns exec "$ns_a" tc qdisc show dev "$dev_a" | grep -q tbf &&
	fail_ "the tbf outlived its window"
assert_clean_
"$PYTHON" - "$tmp/r.json" <<'EOT' >json.out || fail_ "report: $(cat json.out)"
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for f in r["faults"] if f["name"] == "slow"][0]
assert f["kind"] == "network", f
assert f["status"] in ("applied", "reverted"), f
assert 300 <= f["start_ms"] <= 2000, f
assert f["end_ms"] - f["start_ms"] >= 6500, f
print("ok: report", f["status"], f["start_ms"], f["end_ms"])
EOT
cat json.out
exit 0
