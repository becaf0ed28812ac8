#!/bin/sh
# chaosd run: [service.*] sections: a service that dies early is an event
# in the report and, with restart = on-failure, is started again; one
# that never becomes ready is exit 1 with nothing injected; services get
# the scenario's table and libinject, checks get neither.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

cat >svc.ini <<EOT
[scenario]
duration = 5s
command = sleep 1.2

[service.flaky]
command = env >$tmp/svc-env.\$\$; sleep 0.3; exit 1
restart = on-failure

[check.env]
type = exec
command = env >$tmp/check-env
when = during
interval = 200ms
recover_within = 1s
EOT
run_ 0 svc.ini --report json=report.json
died=$(json_ 'r["services"][0]["died"]')
restarts=$(json_ 'r["services"][0]["restarts"]')
expect_range "died" 1 10 "$died"
expect_range "restarts" 1 10 "$restarts"
expect_grep 'service flaky exited with status 1' out
envf=$(ls svc-env.* | head -n 1)
expect_grep '^CHAOS_TABLE=/' "$envf" "service environment"
expect_grep '^LD_PRELOAD=.*libinject\.so' "$envf" "service environment"
expect_no_grep '^(LD_PRELOAD|CHAOS_)' check-env "check environment"

# never ready: exit 1, the workload never starts
PORT=$(free_port)
cat >notready.ini <<EOT
[scenario]
duration = 5s
command = touch $tmp/ran
[service.mute]
command = sleep 10
ready = tcp://127.0.0.1:$PORT
ready_timeout = 300ms
EOT
run_ 1 notready.ini
expect_grep 'not ready after 300ms' out
[ ! -e ran ] || fail_ "the workload ran although a service was not ready"
