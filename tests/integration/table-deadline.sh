#!/bin/sh
# Every table has a deadline: faults expire by themselves in a running
# process even when the chaosd that armed them was killed with SIGKILL.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

T=$tmp/svc.table
rule="%write:path=$tmp/target:error=EIO"
probe_start "$T" "$tmp/target" 60

# --for 2s, and chaosd is SIGKILLed at once: no one disarms, the deadline does
t0=$(now_ns)
"$CHAOSD" inject --table "$T" --for 2s -i "$rule" >/dev/null &
pid=$!
probe_wait EIO 2000
kill -KILL $pid
wait $pid 2>/dev/null
probe_wait ok 5000; t1=$probe_t
expect_range "faults expired after (ms, --for 2s, chaosd killed)" 1800 3500 $(( (t1 - t0) / 1000000 ))
"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +expired" "$tmp/status"

# --ttl 1s: chaosd returns at once, the faults stop a second later
t0=$(now_ns)
expect_status 0 "$CHAOSD" inject --table "$T" --ttl 1s -i "$rule" >/dev/null
probe_wait EIO 2000
probe_wait ok 4000; t1=$probe_t
expect_range "faults expired after (ms, --ttl 1s)" 800 2500 $(( (t1 - t0) / 1000000 ))
probe_stop
exit 0
