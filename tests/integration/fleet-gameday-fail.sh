#!/bin/sh
# The fleet's game day (scenarios/fleet/gameday.yml) with the real
# ansible-playbook over four hosts on this machine, in batches of 1, 2
# and 1, running scenarios/fleet/smoke.ini.j2, where the TCP checks of
# host2 and host3 (the second batch) point at a closed port: their runs
# fail (exit 1), the rollout stops after that batch, host4 never runs
# anything (no report, nothing in its RUNDIR), chaosd abort ran on every
# host, once, from host2 (host3 aborted itself only), nothing is left
# armed or journaled anywhere, and the merged report of the three hosts
# that ran is FAILED (exit 1) and names host2. With host2 failing alone
# and chaosd_max_fail_percentage=50 the failure is half its batch, and
# tolerated: the rollout reaches host4, host2's abort stays on host2.
. "$abs_top_srcdir/tests/integration/fleet-lib.sh"

fleet_inventory_ 4 "chaosd_bin=$CHAOSD" chaosd_run_poll=1

closed=$(free_port)
fleet_hostvar_ host2 "smoke_check_port=$closed"
fleet_hostvar_ host3 "smoke_check_port=$closed"
fleet_smoke_gameday_ 2
for h in host2 host3; do
	expect_grep "$h: chaosd run exited with 1: scenario fleet-smoke: FAILED" \
		"$tmp/play.out" "the failure names $h and its exit status"
	expect_grep "^$h +: .* failed=[1-9]" "$tmp/play.out" "$h failed in the recap"
done
# abort ran on every host, host4 included, from the always section of
# host2, the batch's first failed host; host3 aborted itself only
for h in host1 host3 host4; do
	expect_grep "^(ok|changed): \\[host2 -> $h\\] => \\(item=$h\\)" \
		"$tmp/play.out" "chaosd abort on $h"
done
expect_grep '^(ok|changed): \[host2\] => \(item=host2\)' "$tmp/play.out" \
	"chaosd abort on host2"
expect_grep '^(ok|changed): \[host3\] => \(item=host3\)' "$tmp/play.out" \
	"chaosd abort on host3, by host3"
expect_no_grep '\[host3 -> host' "$tmp/play.out" "one fleet-wide abort, not two"
# host4 was never reached: no run, no report, nothing in its RUNDIR
expect_no_grep 'on host4' "$tmp/play.out" "no run on host4"
[ -e "$tmp/reports/host4" ] && fail_ "a report was fetched from host4"
ls "$tmp/host4/work"/smoke-*.* >/dev/null 2>&1 && fail_ "host4 has a report"
[ -z "$(ls -A "$tmp/host4/run" 2>/dev/null)" ] ||
	fail_ "host4's RUNDIR is not empty: $(ls -A "$tmp/host4/run")"
echo "ok: host4 ran nothing"
for h in host1 host2 host3 host4; do
	fleet_nothing_armed_ $h
done
expect_status 1 fleet_merge_ "$tmp"/reports/host*/smoke.json
cat "$tmp/merged.txt"
expect_grep '^fleet: FAILED \(exit 1\), 3 hosts: 1 passed, 2 failed' "$tmp/merged.txt"
expect_grep '^worst: host2: check port failed' "$tmp/merged.txt"
expect_grep "^host2 +failed +1 +fleet-smoke .*127\\.0\\.0\\.1:$closed" "$tmp/merged.txt"
expect_grep '^host3 +failed +1' "$tmp/merged.txt" "host3 ran beside host2"
[ -s "$tmp/reports/host2/smoke.html" ] || fail_ "no HTML report fetched from host2"
# host2's fault was applied (its server took connections from the other
# check), and reverted: nothing armed is left (above)
"$PYTHON" -c 'import json, sys
m = json.load(open(sys.argv[1]))
assert m["worst"] == "host2", m["worst"]
h = {h["host"]: h for h in m["hosts"]}["host2"]
assert h["faults"][0]["status"] == "applied" and h["faults"][0]["injected"] >= 1, h["faults"]
assert {c["name"]: c["status"] for c in h["checks"]} == {"http": "passed", "port": "failed"}, h["checks"]' \
	"$tmp/merged.json" || fail_ "host2 in the merged JSON report"

fail_ms=$play_ms

# ---- the same with chaosd_max_fail_percentage=50: host2 is half of its
# batch, which is tolerated: the rollout goes on to host4, and host2's
# abort stays on host2
sed -i "s|^host3 smoke_check_port=$closed |host3 |" "$tmp/hosts.ini"
fleet_smoke_gameday_ 2 -e chaosd_max_fail_percentage=50
expect_grep '^host2 +: .* failed=[1-9]' "$tmp/play.out" "host2 failed"
expect_no_grep 'no further batch starts' "$tmp/play.out" "the rollout was not stopped"
expect_grep '^ASYNC OK on host4' "$tmp/play.out" "host4 ran"
expect_grep '^(ok|changed): \[host2\] => \(item=host2\)' "$tmp/play.out" \
	"chaosd abort on host2"
expect_no_grep '\[host2 -> host' "$tmp/play.out" "no abort on the other hosts"
for h in host1 host2 host3 host4; do
	fleet_nothing_armed_ $h
done
expect_status 1 fleet_merge_ "$tmp"/reports/host*/smoke.json
expect_grep '^fleet: FAILED \(exit 1\), 4 hosts: 3 passed, 1 failed' "$tmp/merged.txt"

echo "fleet-gameday-fail: 4 hosts, serial [1, 2, 1], host2 fails: ${fail_ms} ms"
exit 0
