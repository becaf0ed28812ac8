#!/bin/sh
# chaosd run: mttr_max and mttd_max, goals for the time to recover and
# to detect. A service that fails every request while its reads fail,
# and keeps answering 503 for 2.5 s after its last failure, recovers
# about 1.5 s after a 1 s fault window: mttr_max = 300ms fails the run
# (exit 1) saying which goal, mttr_max = 10s passes; every report shows
# the goal beside the measured time.
. "$abs_top_srcdir/tests/integration/steady-lib.sh"

goals_ini()	# [scenario] goal lines, [check.web] goal lines
{
	steady_service_ 0 2500
	cat <<EOT
[scenario]
duration = 30s
$1
[inject.eio]
call = %read
path = $tmp/data
error = EIO
start = 500ms
for = 1s
[check.web]
type = http
url = $URL
interval = 100ms
timeout = 2s
when = during, after
recover_within = 10s
$2
EOT
}

goals_ini 'mttr_max = 300ms' >short.ini
run_ 1 short.ini --report json=report.json --report junit=report.xml \
	--report prom=report.prom --report html=report.html
expect_grep '^  \[inject\.eio\] missed a goal: time to recover [0-9.]+m?s, over mttr_max = 300ms$' out
expect_grep '^ +time to detect [0-9.]+m?s, time to recover [0-9.]+m?s \(goal 300ms\); goal missed: time to recover' out
expect_eq "status" failed "$(json_ 'r["status"]')"
expect_eq "goal" 300 "$(json_ 'r["faults"][0]["mttr_max_ms"]')"
# recovered after the 2.5 s the service takes, less the 1 s window
expect_range "time to recover (ms)" 1000 4000 "$(json_ 'r["faults"][0]["time_to_recover_ms"]')"
expect_eq "goal missed" True "$(json_ 'r["faults"][0]["goal_missed"].startswith("time to recover ")')"
expect_grep '<failure type="goal-missed" message="inject\.eio missed a goal: time to recover' report.xml
expect_grep '<system-out>time to detect [0-9.]+m?s, time to recover [0-9.]+m?s \(goal 300ms\)</system-out>' report.xml
expect_grep '^chaosd_fault_goals_met\{scenario="short",fault="eio",kind="inject"\} 0$' report.prom
expect_grep '^chaosd_fault_time_to_recover_goal_seconds\{scenario="short",fault="eio",kind="inject"\} 0\.300000000$' report.prom
expect_grep '<td class="n">[0-9.]+m?s <span class="muted">\(goal 300ms\)</span></td>' report.html
expect_grep '<span class="tag bad">goal missed</span> time to recover' report.html

goals_ini 'mttr_max = 10s' >long.ini
run_ 0 long.ini --report json=report.json --report prom=report.prom
expect_grep '^ +time to detect [0-9.]+m?s, time to recover [0-9.]+m?s \(goal 10s\)$' out
expect_eq "goal missed" None "$(json_ 'r["faults"][0]["goal_missed"]')"
expect_grep '^chaosd_fault_goals_met\{scenario="long",fault="eio",kind="inject"\} 1$' report.prom

# A check's own goals: it detects the fault at its first probe in the
# window, well within mttd_max = 5s; it recovers after mttr_max = 300ms.
goals_ini '' 'mttd_max = 5s' >check.ini
run_ 0 check.ini --report json=report.json
expect_eq "check goal" 5000 "$(json_ 'r["checks"][0]["mttd_max_ms"]')"
expect_grep '^ +goals: mttd_max 5s, mttr_max none$' out
goals_ini '' 'mttr_max = 300ms' >check2.ini
run_ 1 check2.ini --report json=report.json
expect_grep 'missed a goal: check web: time to recover [0-9.]+m?s, over its mttr_max = 300ms' out
expect_range "the check's time to recover (ms)" 1000 4000 "$(json_ 'r["faults"][0]["checks"][0]["time_to_recover_ms"]')"
