#!/bin/sh
# chaosd run: SIGTERM rolls everything back and exits 3, the reports
# are written all the same; a service is started preloaded, waited for
# (ready) and stopped; an [inject.*] with table = arms a table that a
# process chaosd did not start follows, and disarms it at the end.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
require_prog_ xmllint

echo hello >data
# a table as a preloaded staging service would create it
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table /bin/true
[ -f ext.table ] || framework_failure_ "the shim did not create ext.table"

PORT=$(free_port)
mkdir www && echo ok >www/index.html
cat >sig.ini <<EOT
[scenario]
name = sig
duration = 30s
command = sleep 20

[service.web]
command = exec "$PYTHON" -m http.server -b 127.0.0.1 -d $tmp/www $PORT
ready = http://127.0.0.1:$PORT/
ready_timeout = 10s

[inject.ext]
table = $tmp/ext.table
call = %read
path = $tmp/data
error = EIO

[check.web]
type = http
url = http://127.0.0.1:$PORT/
interval = 100ms
timeout = 500ms
EOT
"$CHAOSD" run sig.ini --report json=report.json --report junit=report.xml \
	>out 2>err &
pid=$!
at_exit_ "kill $pid 2>/dev/null"

armed=no
for i in $(seq 100); do
	if ! LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table cat data \
	    >/dev/null 2>cat.err; then
		armed=yes
		break
	fi
	sleep 0.1
done
[ $armed = yes ] || { cat out err >&2; fail_ "table = $tmp/ext.table never armed"; }
expect_grep 'Input/output error' cat.err "a process following ext.table"

kill -TERM $pid
wait $pid
status=$?
expect_eq "exit status after SIGTERM" 3 $status
expect_grep 'interrupted by SIGTERM' out

LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table cat data >after.out 2>&1 ||
	fail_ "ext.table still armed after the rollback: $(cat after.out)"
expect_grep '^hello$' after.out "disarmed after the run"

# the service is gone
if "$PYTHON" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then
	fail_ "the service still answers after the run"
fi

expect_eq "json status" aborted "$(json_ 'r["status"]')"
expect_eq "json exit" 3 "$(json_ 'r["exit_status"]')"
expect_eq "service ready" True "$(json_ 'r["services"][0]["ready"]')"
expect_eq "fault reverted" applied "$(json_ 'r["faults"][0]["status"]')"
xmllint --noout report.xml || fail_ "report.xml is not well-formed XML"
