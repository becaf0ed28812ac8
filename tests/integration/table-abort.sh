#!/bin/sh
# chaosd abort: the kill switch reaches a running process at once, every
# known table is killed, and status says so; a table that cannot be
# stopped is exit 4.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

# nothing known: nothing to abort, exit 0
expect_status 0 "$CHAOSD" abort >"$tmp/out"
expect_grep 'nothing to abort' "$tmp/out"
"$CHAOSD" status >"$tmp/status"
expect_grep 'no fault tables known' "$tmp/status"

# a table in the run directory (a preloaded service made it) and one
# elsewhere that chaosd inject registered
T=$CHAOSD_RUNDIR/svc.table
T2=$tmp/other.table
probe_start "$T" "$tmp/target" 60
expect_status 0 "$CHAOSD" inject --table "$T" --ttl 5m -i "%write:path=$tmp/target:error=EIO" >/dev/null
expect_status 0 "$CHAOSD" inject --table "$T2" -i "read:error=EIO" >/dev/null
probe_wait EIO 2000
"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +armed" "$tmp/status"
expect_grep "^$T2 +armed" "$tmp/status"

t0=$(now_ns)
expect_status 0 "$CHAOSD" abort >"$tmp/out"
probe_wait ok 2000; t1=$probe_t
lat=$(( (t1 - t0) / 1000000 ))
echo "abort -> first ok in the running process: $lat ms"
expect_range "kill switch latency (ms)" 0 300 "$lat"
expect_grep "killed $T" "$tmp/out"
expect_grep "killed $T2" "$tmp/out"
"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +killed" "$tmp/status"
expect_grep "^$T2 +killed" "$tmp/status"
sleep 0.1
if (probe_wait EIO 100) >/dev/null 2>&1; then
	fail_ "faults came back after abort"
fi

# arming again clears the kill switch
expect_status 0 "$CHAOSD" inject --table "$T" -i "%write:path=$tmp/target:error=EIO" >/dev/null
probe_wait EIO 2000
expect_status 0 "$CHAOSD" inject --table "$T" --disarm >/dev/null
probe_wait ok 2000

# a table abort cannot stop (refused: world-writable): exit 4
: >"$CHAOSD_RUNDIR/bad.table"
chmod 666 "$CHAOSD_RUNDIR/bad.table"
expect_status 4 "$CHAOSD" abort >"$tmp/out" 2>"$tmp/err"
expect_grep 'bad.table.*world-writable' "$tmp/err"
expect_grep "killed $T" "$tmp/out"
probe_stop
exit 0
