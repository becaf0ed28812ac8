#!/bin/sh
# chaosd run: max_error_rate judged over a sliding window of probes. Over
# the same window (the last 20 probes, the baseline's included) and the
# same limit (5%: a second failure in 20 is a deviation), EIO on 10% of a
# service's reads is caught and aborts the run (exit 3); EIO on 0.1% of
# them fails one probe, which the condition tolerates: the run passes,
# the fault absorbed, the pass rate true (one probe failed).
. "$abs_top_srcdir/tests/integration/steady-lib.sh"

# The shim's decisions follow CHAOS_SEED ([scenario] seed), one draw per
# matching call: the service reads $tmp/data once per request, so the
# Nth request it answers under the fault is the Nth draw. fileops, under
# the same rule, shows which draws fail.
draws_()	# SEED PROBABILITY N: the pattern of N draws, 1 a failure
{
	CHAOS_SEED=$1 run_shim "%read:path=$tmp/data:error=EIO:probability=$2" \
		"$HELPERS/fileops" open="$tmp/data" repeat="$3" pread=1,0 |
		sed -n 's/.*pattern=//p'
}

rate_ini()	# PROBABILITY SEED
{
	steady_service_ 0
	cat <<EOT
[scenario]
duration = 30s
seed = $2
[inject.eio]
call = %read
path = $tmp/data
error = EIO
probability = $1
start = 0s
for = 4s
[check.web]
type = http
url = $URL
interval = 25ms
timeout = 2s
baseline = 20
max_error_rate = 5%
window = 20
abort_after = 2
recover_within = 5s
EOT
}

# 10%: seed 1 fails the 7th, 17th and 19th requests, a deviation at the
# 19th and 20th. Whatever the seed, 4 s of probes (well over 60 on a
# loaded machine) miss two failures within 20 of each other with a
# probability under 4% at 60 probes, 0.1% at 120.
rate_ini 10% 1 >ten.ini
run_ 3 ten.ini --report json=report.json
expect_grep 'check web deviated from its steady state 2 times in a row \(abort_after\) while inject\.eio was active: max_error_rate = 5%: [0-9]+ of the last 20 probes failed \([0-9.]+%\): aborted' out
expect_eq "detected" True "$(json_ 'r["faults"][0]["time_to_detect_ms"] is not None')"
expect_eq "deviation" True "$(json_ 'r["checks"][0]["first_deviation"]["what"].startswith("max_error_rate = 5%: ")')"

# 0.1%: a seed whose draws fail once early (within the first 10, so
# under the fault for sure) and not again in 400 (more requests than
# 4 s of probes make): about one seed in 150.
seed=
for s in $(seq 1 3000); do
	case $(draws_ "$s" 0.1% 400) in
	0000000000*) ;;
	*1*1*) ;;
	*1*) seed=$s; break ;;
	esac
done
[ -n "$seed" ] || framework_failure_ "no seed fails once in 400 draws at 0.1%"
printf 'seed %s: %s\n' "$seed" "$(draws_ "$seed" 0.1% 20)"
rate_ini 0.1% "$seed" >tenth.ini
run_ 0 tenth.ini --report json=report.json
expect_grep 'inject\.eio +applied .*injected 1 of [0-9]+ matching calls' out
expect_grep '^ +not detected: the system absorbed it$' out
expect_eq "failed probes" 1 "$(json_ 'r["checks"][0]["failed"]')"
expect_eq "deviations" 0 "$(json_ 'r["checks"][0]["deviations"]')"
expect_eq "not detected" None "$(json_ 'r["faults"][0]["time_to_detect_ms"]')"
expect_eq "check" passed "$(json_ 'r["checks"][0]["status"]')"
