#!/bin/sh
# The fleet's preflight and kill switch, with the real ansible-playbook
# over four hosts on this machine:
# - gameday.yml without a scenario says so and starts nothing;
# - host3 has no libinject (CHAOS_LIBINJECT names a missing file) and the
#   scenario runs a service under it: gameday.yml stops in its preflight,
#   naming host3, what it lacks and the fix, and no host runs anything;
# - a scenario with an error stops the preflight with chaosd's message;
# - abort.yml with nothing running changes nothing and succeeds, also on
#   a host where chaosd is not installed;
# - abort.yml with fault tables armed on two hosts flips their kill
#   switches, and only theirs.
. "$abs_top_srcdir/tests/integration/fleet-lib.sh"

fleet_inventory_ 4 "chaosd_bin=$CHAOSD" chaosd_run_poll=1
fleet_hostvar_ host3 "chaosd_environment='{\"CHAOS_LIBINJECT\": \"$tmp/none/libinject.so\"}'"

# ---- no scenario given: said, and nothing runs anywhere -----------------
fleet_play_ 2 gameday.yml
expect_grep 'give the scenario with -e chaosd_scenario=PATH' "$tmp/play.out"
expect_no_grep 'Preflight' "$tmp/play.out" "the preflight never started"

# ---- host3 lacks libinject: nothing runs anywhere ------------------------
fleet_play_ 2 gameday.yml -e "chaosd_scenario=$FLEET/smoke.ini.j2" \
	-e "chaosd_fetch_dir=$tmp/reports"
expect_grep 'host3 cannot run fleet-smoke: libinject \(for \[service\.web\]\): .*none/libinject\.so.*; fix: install chaosd' \
	"$tmp/play.out" "the preflight names host3, what it lacks and the fix"
expect_grep '^host3 +: .* failed=1' "$tmp/play.out" "host3 failed"
expect_no_grep 'Game day, in batches|Run the game day' "$tmp/play.out" \
	"the rollout never started"
for h in host1 host2 host3 host4; do
	[ -e "$tmp/$h/run" ] && fail_ "$h has a RUNDIR: $(ls -A "$tmp/$h/run")"
	ls "$tmp/$h/work"/smoke-*.* >/dev/null 2>&1 && fail_ "$h ran the scenario"
done
[ -e "$tmp/reports" ] && fail_ "reports were fetched"
echo "ok: no host ran anything"

# ---- a bad scenario stops the preflight, with chaosd's own message -------
sed 's/^interval = /intervall = /' "$FLEET/smoke.ini.j2" >"$tmp/bad.ini.j2"
fleet_play_ 2 preflight.yml -e "chaosd_scenario=$tmp/bad.ini.j2"
expect_grep "bad\\.ini:[0-9]+: \\[check\\.[a-z]+\\] unknown key 'intervall'" \
	"$tmp/play.out" "chaosd doctor's error"

# ---- abort.yml with nothing running: safe, changes nothing -------------
fleet_hostvar_ host4 "chaosd_bin=$tmp/not-installed/chaosd"
fleet_play_ 0 abort.yml
for h in host1 host2 host3 host4; do
	expect_eq "$h: changed" 0 "$(fleet_recap_ $h changed)"
	expect_eq "$h: failed" 0 "$(fleet_recap_ $h failed)"
done
expect_grep '^skipping: \[host4\]' "$tmp/play.out" "host4 without chaosd is passed over"

# ---- abort.yml with tables armed on host1 and host3 ---------------------
for h in host1 host3; do
	mkdir -p "$tmp/$h/run"
	CHAOSD_RUNDIR=$tmp/$h/run "$CHAOSD" inject --table "$tmp/$h/run/api.table" \
		--ttl 5m -i "read:path=$tmp/data:error=EIO" >/dev/null ||
		framework_failure_ "chaosd inject on $h"
done
CHAOSD_RUNDIR=$tmp/host1/run "$CHAOSD" status >"$tmp/before"
expect_grep 'api\.table +armed' "$tmp/before" "host1's table armed before"
fleet_play_ 0 abort.yml
for h in host1 host3; do
	expect_eq "$h: changed" 1 "$(fleet_recap_ $h changed)"
	CHAOSD_RUNDIR=$tmp/$h/run "$CHAOSD" status >"$tmp/after"
	expect_grep "$tmp/$h/run/api\\.table +killed" "$tmp/after" "$h's table killed"
	fleet_nothing_armed_ $h
done
expect_eq "host2: changed" 0 "$(fleet_recap_ host2 changed)"
[ -e "$tmp/host2/run" ] && fail_ "abort made host2's RUNDIR"
exit 0
