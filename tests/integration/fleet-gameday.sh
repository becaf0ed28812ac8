#!/bin/sh
# The fleet's game day (scenarios/fleet/gameday.yml) with the real
# ansible-playbook over four hosts on this machine, in batches of 1, 2
# and 1, running the example scenario scenarios/fleet/smoke.ini.j2
# (rendered per host: each serves on its own port), where every host
# passes: the rollout reaches all four in batch order, four reports are
# fetched, nothing is left armed or journaled, and chaosd report merge
# says PASSED (exit 0) for the four. fleet-gameday-fail.sh is the same
# game day where a host fails.
. "$abs_top_srcdir/tests/integration/fleet-lib.sh"

fleet_inventory_ 4 "chaosd_bin=$CHAOSD" chaosd_run_poll=1

fleet_smoke_gameday_ 0
for h in host1 host2 host3 host4; do
	[ -s "$tmp/reports/$h/smoke.json" ] || fail_ "no JSON report fetched from $h"
	[ -s "$tmp/reports/$h/smoke.xml" ] || fail_ "no JUnit report fetched from $h"
	expect_grep 'fleet-smoke' "$tmp/reports/$h/smoke.html" "$h's HTML report"
	expect_eq "$h: failed in the recap" 0 "$(fleet_recap_ $h failed)"
	fleet_nothing_armed_ $h
done
# three batches, in order: host1 alone, then host2 and host3, then host4
expect_eq "batches" 3 "$(grep -c '^PLAY \[Game day, in batches\]' "$tmp/play.out")"
order=$(sed -n 's/^ASYNC OK on \(host[0-9]\):.*/\1/p' "$tmp/play.out" | tr '\n' ' ')
case $order in
"host1 host2 host3 host4 "|"host1 host3 host2 host4 ")
	echo "ok: runs in batch order: $order" ;;
*)	fail_ "runs out of batch order: $order" ;;
esac
expect_status 0 fleet_merge_ "$tmp"/reports/host*/smoke.json
cat "$tmp/merged.txt"
expect_grep '^fleet: PASSED \(exit 0\), 4 hosts: 4 passed' "$tmp/merged.txt"
for h in host1 host2 host3 host4; do
	expect_grep "^$h +passed +0 +fleet-smoke" "$tmp/merged.txt" "$h in the merged report"
done
# each host's report is its own run: injected calls on its own server
"$PYTHON" -c 'import json, sys
m = json.load(open(sys.argv[1]))
assert [h["host"] for h in m["hosts"]] == ["host1", "host2", "host3", "host4"], m["hosts"]
for h in m["hosts"]:
    assert h["host_from"] == "report", h
    f = h["faults"][0]
    assert f["name"] == "slow-accept" and f["status"] == "applied", f
    assert f["injected"] >= 1, f
    assert [c["status"] for c in h["checks"]] == ["passed", "passed"], h["checks"]' \
	"$tmp/merged.json" ||
	fail_ "the merged JSON report"

echo "fleet-gameday: 4 hosts, serial [1, 2, 1], every host passes: ${play_ms} ms"
exit 0
