#!/bin/sh
# [process.*], [stress.*] and [limit.*] through chaosd run: a service
# killed from outside with a probability (the run reports each death and
# restart, and the same seed gives the same kills), paused (its check
# fails during the pause and recovers after), and under a memory spike
# in its cgroups, measured; a fault that reaches nothing makes the run
# inconclusive (exit 5); [limit.*] is refused before anything starts on
# a machine without cgroup v2's controllers; bad sections are refused by
# validate with their line.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
. "$abs_top_srcdir/tests/integration/res-lib.sh"

PORT=$(free_port)
cat >ok.ini <<EOT
[scenario]
name = res-ok
duration = 30s
seed = 42

[service.web]
command = exec "$PYTHON" -m http.server -b 127.0.0.1 $PORT
ready = tcp://127.0.0.1:$PORT
restart = on-failure
restart_delay = 50ms
restart_max = 50

[process.crash]
service = web
every = 200ms
probability = 40%
start = 500ms
for = 2s

[process.freeze]
service = web
action = pause
start = 5s
for = 1s

[stress.spike]
memory = 64M
service = web
start = 500ms
for = 2500ms

[check.up]
type = http
url = http://127.0.0.1:$PORT/
timeout = 300ms
interval = 100ms
when = before, during, after
recover_within = 10s
EOT
expect_status 0 "$CHAOSD" validate -q ok.ini
run_ 0 ok.ini --report json=report.json
kills=$(json_ "[f for f in r['faults'] if f['name'] == 'crash'][0]['kills']")
fired=$(json_ "[f for f in r['faults'] if f['name'] == 'crash'][0]['fired']")
decisions=$(json_ "[f for f in r['faults'] if f['name'] == 'crash'][0]['decisions']")
expect_eq "decisions: every 200 ms for 2 s" 10 "$decisions"
expect_range "kills" 1 10 "$kills"
expect_range "kills, of the decisions that fired" "$kills" 10 "$fired"
expect_eq "the service died as often as it was killed" "$kills" \
	"$(json_ "r['services'][0]['died']")"
expect_grep "web: ready, died $kills times? \\(last: killed by signal 9 \\(SIGKILL\\)\\), restarted $kills" out
expect_grep "process.crash +applied +[0-9.]+s..[0-9.]+s, SIGKILL to service web \\(process group [0-9]+\\) $kills times? in 10 decisions" out
expect_grep "process.freeze +applied +[0-9.]+s..[0-9.]+s, paused 1 process of service web \\(process group [0-9]+\\) by SIGSTOP for" out
expect_grep "stress.spike +applied +[0-9.]+s..[0-9.]+s, held 64 MiB resident \\(measured (99|100|101)" out
expect_grep "process.freeze: resumed service web" out
expect_eq "the pause was detected" True \
	"$(json_ "[f for f in r['faults'] if f['name'] == 'freeze'][0]['time_to_detect_ms'] is not None")"
expect_eq "the spike's stressor held its size" True \
	"$(json_ "[f for f in r['faults'] if f['name'] == 'spike'][0]['rss_min_bytes'] >= 0.98 * 64 * 2**20")"
# the same seed, the same decisions to kill (a kill due while the
# service restarts finds nothing to signal: kills may differ)
run_ 0 ok.ini --report json=report.json
expect_eq "the same seed, the same decisions to kill" "$fired" \
	"$(json_ "[f for f in r['faults'] if f['name'] == 'crash'][0]['fired']")"
no_journal_ || fail_ "journal left: $(journal_left_)"

# --- a fault that reached nothing: inconclusive
cat >ghost.ini <<EOT
[scenario]
duration = 5s
command = sleep 1
[process.ghost]
name = cdghost$$
signal = SIGTERM
EOT
run_ 5 ghost.ini
expect_grep "INCONCLUSIVE \\(exit 5\\)" out
expect_grep "\\[process.ghost\\] did not happen as written: killed nothing: a process named cdghost$$" out

# --- a pid that is not there: refused before anything starts
cat >nopid.ini <<EOT
[scenario]
duration = 5s
[process.gone]
pid = 2147483646
for = 1s
EOT
run_ 2 nopid.ini
expect_grep "nopid.ini:3: \\[process.gone\\] no process 2147483646; or mark it optional = yes" err

# --- [limit.*]: refused where cgroup v2 lacks the controller
cat >limit.ini <<EOT
[scenario]
duration = 5s
[service.s]
command = exec sleep 30
[limit.slow]
service = s
cpu = 20%
for = 1s
EOT
expect_status 0 "$CHAOSD" validate -q limit.ini
root2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$root2" ] || ! grep -qw cpu "$root2/cgroup.controllers" 2>/dev/null; then
	run_ 2 limit.ini
	expect_grep "limit.ini:5: \\[limit.slow\\] cpu.max needs cgroup v2" err
else
	echo "this machine has cgroup v2's cpu controller: the refusal is not tried"
fi

# --- bad sections, with their lines
printf '[scenario]\n[process.x]\nservice = nosuch\n' >bad1.ini
expect_status 2 "$CHAOSD" validate bad1.ini 2>err
expect_grep "bad1.ini:2: \\[process.x\\] service = nosuch: no \\[service.nosuch\\] in this scenario" err
printf '[scenario]\n[stress.x]\nmemory = 2G\ncpu = 10%%\n' >bad2.ini
expect_status 2 "$CHAOSD" validate bad2.ini 2>err
expect_grep "bad2.ini:4: \\[stress.x\\] cpu: memory = is given already" err
printf '[scenario]\n[process.x]\npid = 42\nevery = 1s\nprobabilty = 5%%\n' >bad3.ini
expect_status 2 "$CHAOSD" validate bad3.ini 2>err
expect_grep "bad3.ini:5: \\[process.x\\] unknown key 'probabilty' \\(did you mean 'probability'\\?\\)" err
printf '[scenario]\n[limit.x]\ncgroup = /x\n' >bad4.ini
expect_status 2 "$CHAOSD" validate bad4.ini 2>err
expect_grep "bad4.ini:2: \\[limit.x\\] no limit given" err
exit 0
