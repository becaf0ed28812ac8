#!/bin/sh
# chaosd run: a service that always crashes is restarted with a delay
# that doubles, stops at restart_max, and the report says crash loop: the
# run fails (exit 1), unless the scenario says the crash loop is expected.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

cat >loop.ini <<EOT
[scenario]
duration = 20s
command = sleep 4

[service.doomed]
command = date +%s%N >>$tmp/starts; exit 3
restart = on-failure
restart_delay = 100ms
restart_delay_max = 1s
restart_max = 4
EOT
run_ 1 loop.ini --report json=report.json
expect_grep 'service doomed: crash loop: died 5 times, restart_max \(4\) reached: not restarted' out
expect_eq "died" 5 "$(json_ 'r["services"][0]["died"]')"
expect_eq "restarts" 4 "$(json_ 'r["services"][0]["restarts"]')"
expect_eq "crash_loop" True "$(json_ 'r["services"][0]["crash_loop"]')"
expect_eq "starts" 5 "$(wc -l <starts)"

# the delays between starts: 100, 200, 400, 800 ms (plus the start's own
# time, which a loaded machine stretches): the last longer than the first
# by most of the 700 ms between them
"$PYTHON" - starts <<'PY' >gaps.out || fail_ "no backoff: $(cat gaps.out)"
import sys
t = [int(l) for l in open(sys.argv[1])]
g = [(b - a) / 1e6 for a, b in zip(t, t[1:])]
print("gaps (ms):", " ".join("%.0f" % x for x in g))
assert g[0] >= 90, g
assert g[-1] >= 700 and g[-1] - g[0] >= 450, g
PY
cat gaps.out

# the same, expected: the run passes and still says so
sed 's/^restart_max = 4$/restart_max = 2\ncrash_loop = expected/' loop.ini >expected.ini
rm -f starts
run_ 0 expected.ini --report json=report.json
expect_grep 'crash loop' out
expect_eq "crash_loop (expected)" True "$(json_ 'r["services"][0]["crash_loop"]')"
expect_eq "starts (expected)" 3 "$(wc -l <starts)"
exit 0
