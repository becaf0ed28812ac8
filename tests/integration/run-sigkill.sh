#!/bin/sh
# chaosd run killed with SIGKILL cannot roll back: the fault table's
# deadline (the end of the fault's window) expires the rules by itself.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

echo hello >data
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table /bin/true
cat >kill.ini <<EOT
[scenario]
duration = 10s
command = sleep 2
[inject.ext]
table = $tmp/ext.table
call = %read
path = $tmp/data
error = EIO
for = 1500ms
EOT
t0=$(now_ms)
"$CHAOSD" run kill.ini >out 2>err &
pid=$!
at_exit_ "kill -9 $pid 2>/dev/null"
armed=no
for i in $(seq 50); do
	if ! LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table cat data \
	    >/dev/null 2>&1; then
		armed=yes
		break
	fi
	sleep 0.05
done
[ $armed = yes ] || fail_ "never armed"
kill -9 $pid
wait $pid 2>/dev/null
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table cat data >/dev/null 2>&1 &&
	fail_ "disarmed already: the test shows nothing"
echo "ok: still armed right after SIGKILL"
# the run registered the table before arming it: status (and so abort and
# recover) still know of it
"$CHAOSD" status >status 2>&1
expect_grep "ext.table" status
# the window ends 1.5s after it began: then the shim ignores the rules
for i in $(seq 60); do
	if LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/ext.table cat data \
	    >/dev/null 2>&1; then
		expect_range "expired after (ms)" 1000 3500 $(($(now_ms) - t0))
		exit 0
	fi
	sleep 0.05
done
fail_ "the table's rules did not expire at their deadline"
