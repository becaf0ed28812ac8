#!/bin/sh
# chaosd run: the steady state learnt in the before phase (baseline =),
# and a relative latency condition judged against it during the chaos.
# A service whose every answer takes 300 ms is made 5x slower (a 1.2 s
# delay on its read): max_p99 = 3x aborts the run (exit 3), naming the
# condition, the baseline and the window's value; max_p99 = 10x lets it
# pass, the fault absorbed. A baseline that fails is refused: exit 1,
# nothing injected.
. "$abs_top_srcdir/tests/integration/steady-lib.sh"

# The margins, on a loaded machine: the baseline's p99 is the slowest of
# its 5 probes, 300 ms and some; a probe under the fault takes 1500 ms
# and some. 3x aborts unless a baseline probe took over 500 ms (200 ms
# of noise on a 300 ms answer); 10x passes unless a slow probe took over
# 3 s (1.5 s of noise). A probe times out after 5 s.
latency_ini()
{
	steady_service_ 300
	cat <<EOT
[scenario]
duration = 30s
[inject.slow]
call = %read
path = $tmp/data
delay = 1200ms
start = 500ms
for = 4s
[check.web]
type = http
url = $URL
interval = 250ms
timeout = 5s
baseline = 5
max_p99 = $1
window = 3
abort_after = 2
recover_within = 10s
EOT
}

latency_ini 3x >slow3.ini
run_ 3 slow3.ini --report json=report.json --report prom=report.prom \
	--report html=report.html
expect_grep 'check web deviated from its steady state 2 times in a row \(abort_after\) while inject\.slow was active: max_p99 = 3x: p99 [0-9.]+m?s over the last 3 probes, above [0-9.]+m?s \(3x the baseline.s [0-9.]+m?s\): aborted' out
expect_grep '^ +baseline: 5 probes, 5 passed, p50 ' out
expect_eq "status" aborted "$(json_ 'r["status"]')"
expect_eq "baseline probes" 5 "$(json_ 'r["checks"][0]["baseline"]["probes"]')"
expect_eq "condition" "max_p99 3x" "$(json_ '" ".join((r["checks"][0]["conditions"][0]["key"], r["checks"][0]["conditions"][0]["value"]))')"
# a limit of 3x the baseline's p99, 900 ms and more
expect_range "limit (ms)" 900 3000 "$(json_ 'int(r["checks"][0]["conditions"][0]["limit_ms"])')"
# a deviation is not a failure: every probe passed
expect_eq "probes all passed" True "$(json_ 'r["checks"][0]["passed"] == r["checks"][0]["probes"]')"
expect_eq "deviated" True "$(json_ 'r["checks"][0]["deviations"] >= 2')"
expect_eq "detected" True "$(json_ 'r["faults"][0]["time_to_detect_ms"] is not None')"
expect_eq "detected by the check" True "$(json_ 'r["faults"][0]["checks"][0]["time_to_detect_ms"] is not None')"
# the other reports say the same
expect_grep '^chaosd_check_baseline_probes\{scenario="slow3",check="web",type="http"\} 5$' report.prom
expect_grep '^chaosd_check_latency_limit_seconds\{scenario="slow3",check="web",type="http",quantile="0\.99"\} [0-9]\.[0-9]{9}$' report.prom
expect_grep '^chaosd_check_deviations_total\{scenario="slow3",check="web",type="http"\} [1-9][0-9]*$' report.prom
expect_grep '<h2>Steady state</h2>' report.html
expect_grep '<td>max_p99 = 3x \([0-9.]+m?s\) over the last 3 probes</td>' report.html

latency_ini 10x >slow10.ini
run_ 0 slow10.ini --report json=report.json
expect_grep 'inject\.slow +applied .*injected [1-9][0-9]* of [0-9]+ matching calls' out
expect_grep '^ +not detected: the system absorbed it$' out
expect_grep '^ +never deviated$' out
expect_eq "deviations" 0 "$(json_ 'r["checks"][0]["deviations"]')"
expect_eq "not detected" None "$(json_ 'r["faults"][0]["time_to_detect_ms"]')"
# the probes under the fault were 5x slower, and that was allowed
expect_range "slowest probe (ms)" 1200 4000 "$(json_ 'int(r["checks"][0]["latency_ms"]["max"])')"

# A baseline that fails: nothing injected, the workload never runs, and
# the before phase stops at the first failure.
cat >down.ini <<EOT
[scenario]
duration = 5s
command = touch $tmp/ran
[inject.eio]
call = %read
error = EIO
[check.up]
type = exec
command = test -e $tmp/up
interval = 50ms
baseline = 10
max_p99 = 3x
EOT
run_ 1 down.ini --report json=report.json
expect_grep 'steady state not met: check up: .*nothing injected' out
[ ! -e ran ] || fail_ "the workload ran although the baseline failed"
expect_eq "fault status" not_reached "$(json_ 'r["faults"][0]["status"]')"
expect_eq "check status" failed "$(json_ 'r["checks"][0]["status"]')"
expect_eq "probes before the refusal" 1 "$(json_ 'r["checks"][0]["probes"]')"

# One that fails half its probes, where max_error_rate allows 10%: its
# baseline is no steady state either.
cat >flaky.ini <<EOT
[scenario]
duration = 5s
command = touch $tmp/ran
[check.flaky]
type = exec
command = if [ -e $tmp/odd ]; then rm $tmp/odd; exit 1; else touch $tmp/odd; fi
interval = 20ms
baseline = 10
max_error_rate = 10%
EOT
run_ 1 flaky.ini --report json=report.json
expect_grep 'steady state not met: check flaky: its baseline error rate, 50% \(5 of 10 probes failed\), is already over max_error_rate = 10%: nothing injected' out
[ ! -e ran ] || fail_ "the workload ran although the baseline failed"
expect_eq "baseline error rate" 0.5 "$(json_ 'r["checks"][0]["baseline"]["error_rate"]')"

# baseline = a duration: probes every interval for that long
cat >dur.ini <<EOT
[scenario]
duration = 5s
[check.ok]
type = exec
command = true
interval = 100ms
when = before
baseline = 500ms
EOT
run_ 0 dur.ini --report json=report.json
expect_range "probes in 500ms at 100ms" 2 6 "$(json_ 'r["checks"][0]["baseline"]["probes"]')"
