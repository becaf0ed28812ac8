#!/bin/sh
# chaosd run: the exit status of each outcome (chaosd(8), EXIT STATUS):
# 0 pass, 1 check failed / steady state not met / not recovered /
# workload failed / a report not written, 3 abort_after; and that a
# failing 'before' check means nothing is injected and the workload
# never runs.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
http_server_

# pass: an http check, a fault the workload sees, the workload passes
cat >pass.ini <<EOT
[scenario]
duration = 5s
[inject.eio]
call = %read
path = $tmp/data
error = EIO
start = 200ms
for = 400ms
[check.web]
type = http
url = $URL
interval = 100ms
timeout = 500ms
EOT
echo hello >data
run_ 0 pass.ini --report json=report.json -- sh -c '
	sleep 0.35; if cat data >/dev/null 2>&1; then echo READ-OK; else echo READ-EIO; fi
	sleep 0.5; cat data'
expect_grep '^READ-EIO$' out "fault active at 350ms"
expect_grep '^hello$' out "fault gone after its window"
expect_grep 'PASSED' out
expect_eq "injected" 1 "$(json_ 'r["faults"][0]["injected"]')"
# a report that cannot be written at the end (its directory, checked
# before the run, went away during it) turns a pass into a failure (1),
# said, and leaves no temporary file; the other report is still written
rm -f report.json
mkdir gone
run_ 1 pass.ini --report "junit=$tmp/gone/r.xml" --report json=report.json \
	-- sh -c 'rmdir gone; sleep 0.35; cat data; sleep 0.5; cat data'
expect_grep "^chaosd run: report $tmp/gone/r.xml: No such file or directory" err
[ -s report.json ] || fail_ "the JSON report beside the one that failed"
expect_eq "temporary files left" "" "$(ls "$tmp" | grep '\.tmp\.')"

# check failed: a during check fails while the workload holds a flag
cat >fail.ini <<EOT
[scenario]
duration = 5s
[check.flag]
type = exec
command = test ! -e $tmp/flag
interval = 50ms
timeout = 500ms
when = during
EOT
run_ 1 fail.ini -- sh -c 'touch flag; sleep 0.4; rm flag; sleep 0.2'
expect_grep 'check flag failed' out

# workload failed
run_ 1 fail.ini -- sh -c 'exit 3'
expect_grep 'workload failed' out

# steady state not met: nothing injected, the workload never runs
cat >before.ini <<EOT
[scenario]
duration = 5s
command = touch $tmp/ran
[inject.eio]
call = %read
error = EIO
[check.down]
type = tcp
address = 127.0.0.1:$(free_port)
timeout = 200ms
when = before
EOT
run_ 1 before.ini --report json=report.json
expect_grep 'steady state not met' out
[ ! -e ran ] || fail_ "the workload ran although the steady state was not met"
expect_eq "fault status" not_reached "$(json_ 'r["faults"][0]["status"]')"
expect_eq "check status" failed "$(json_ 'r["checks"][0]["status"]')"

# recovery too slow: the flag stays after the chaos
cat >slow.ini <<EOT
[scenario]
duration = 5s
[check.flag]
type = exec
command = test ! -e $tmp/flag
interval = 50ms
timeout = 500ms
when = after
recover_within = 300ms
EOT
run_ 1 slow.ini --report json=report.json -- sh -c 'touch flag'
expect_grep 'not recovered within 300ms' out
# and in time: the flag goes 500ms after the chaos, within 2s
sed 's/^recover_within = .*/recover_within = 2s/' slow.ini >slow2.ini
touch flag
(sleep 0.6; rm -f flag) &
rm_pid=$!
run_ 0 slow2.ini --report json=report.json -- sleep 0.1
wait $rm_pid

# abort_after: 3 failures in a row during the chaos, exit 3, rolled back
cat >abort.ini <<EOT
[scenario]
duration = 10s
[inject.eio]
call = %read
error = EIO
path = $tmp/data
[check.flag]
type = exec
command = test ! -e $tmp/flag
interval = 50ms
timeout = 500ms
when = during
abort_after = 3
EOT
t0=$(now_ms)
run_ 3 abort.ini --report json=report.json -- sh -c 'touch flag; sleep 8'
t1=$(now_ms)
expect_range "abort time (ms)" 0 4000 $((t1 - t0))
expect_grep 'abort_after' out
expect_eq "status" aborted "$(json_ 'r["status"]')"
expect_eq "fault reverted" applied "$(json_ 'r["faults"][0]["status"]')"

# inconclusive: a fault whose path matches nothing (a typo) never
# happened: not PASSED but exit 5, and the report says so; with
# optional = yes the same run passes
cat >typo.ini <<EOT
[scenario]
duration = 5s
[inject.eio]
call = %read
path = $tmp/dtaa
error = EIO
EOT
run_ 5 typo.ini --report json=report.json --report junit=junit.xml -- cat data
expect_grep 'INCONCLUSIVE \(exit 5\)' out
expect_grep 'inject.eio.* did not happen' out
expect_eq "status" inconclusive "$(json_ 'r["status"]')"
expect_eq "reached" False "$(json_ 'r["faults"][0]["reached"]')"
expect_grep '<error type="inconclusive"' junit.xml
printf 'optional = yes\n' >>typo.ini
run_ 0 typo.ini --report json=report.json -- cat data
expect_eq "status (optional)" passed "$(json_ 'r["status"]')"
