#!/bin/sh
# scenarios/redis-aof-eio.ini against the real redis-server: EIO on the
# writes of its append-only file for 3 s. Redis answers MISCONF while
# the disk fails and accepts writes again after; chaosd run exits 0 and
# reports the injections, the detection and the recovery; every write
# Redis acknowledged reads back, then again from the append-only file
# alone after a restart. The failing case: EIO on the file's fdatasync
# instead, which Redis 7.0 never recovers from by itself (MISCONF until
# it is restarted): exit 1, not recovered within the check's 5 s.
. "$abs_top_srcdir/tests/integration/real-lib.sh"
require_prog_ redis-server redis-cli
REDIS_PORT=$(free_port)
REDIS_DIR=$tmp/redis
export REDIS_PORT REDIS_DIR
sc=$abs_top_srcdir/scenarios/redis-aof-eio.ini
redis_pid=
at_exit_ '[ -z "$redis_pid" ] || kill $redis_pid 2>/dev/null'

t0=$(now_ms)
run_ 0 "$sc" --report json=report.json
cat out
expect_grep '^scenario redis-aof-eio: PASSED \(exit 0\)' out "the verdict"
# the fault reached Redis, and Redis said so to its clients
injected=$(json_ 'r["faults"][0]["injected"]')
expect_range "write calls failed with EIO" 1 100000 "$injected"
expect_grep 'Error writing to the AOF file: Input/output error' err "Redis's log"
expect_grep 'AOF write error looks solved, Redis can write again' err "Redis's log"
expect_grep '^ackw: run: .*failed=[1-9].*MISCONF [1-9]' out "writes refused with MISCONF"
acked=$(ackw_ run acknowledged out)
failed=$(ackw_ run failed out)
expect_range "acknowledged writes" 5 100000 "$acked"
expect_eq "lost writes" 0 "$(ackw_ verify lost out)"
expect_eq "read back" "$acked" "$(ackw_ verify present out)"
# the check saw it, and saw it recover
ttd=$(json_ 'r["faults"][0]["time_to_detect_ms"]')
ttr=$(json_ 'r["faults"][0]["time_to_recover_ms"]')
expect_range "time to detect (ms)" 0 3000 "$ttd"
expect_range "time to recover (ms)" 0 5000 "$ttr"
expect_eq "deaths" 0 "$(json_ 'r["services"][0]["died"]')"

# chaosd stopped Redis (SIGTERM: it flushes its file): a new Redis reads
# back every acknowledged write from the append-only file alone
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" \
	--appendonly yes --save '' >redis2.log 2>&1 &
redis_pid=$!
"$ACKW" verify -w 15 "redis://127.0.0.1:$REDIS_PORT" "$REDIS_DIR/acked" >verify.out 2>&1
st=$?
cat verify.out
expect_eq "ackw verify after a restart" 0 $st
expect_eq "lost after a restart" 0 "$(ackw_ verify lost verify.out)"
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
wait $redis_pid
redis_pid=
t1=$(now_ms)

# The failing case: the background fsync fails instead of the writes
sed 's/^call = %write$/call = %sync/' "$sc" >fsync.ini
expect_grep '^call = %sync$' fsync.ini "the variant"
rm -rf "$REDIS_DIR"
run_ 1 fsync.ini --report json=report.json
cat out
expect_grep '^scenario redis-aof-eio: FAILED \(exit 1\)' out "the verdict"
expect_grep 'writable .*not recovered within 5s' out "the recovery check"
expect_eq "the reason" "check writable failed" \
	"$(json_ 'r["reason"]' | sed 's/: .*//')"
expect_range "fdatasync calls failed with EIO" 1 100000 \
	"$(json_ 'r["faults"][0]["injected"]')"
expect_grep 'Fail to fsync the AOF file: Input/output error' err "Redis's log"
t2=$(now_ms)
printf 'redis: injected %s; acknowledged %s, failed %s, lost 0; detected after %s ms, recovered %s ms after; %s ms (failing case %s ms)\n' \
	"$injected" "$acked" "$failed" "$ttd" "$ttr" $((t1 - t0)) $((t2 - t1))
exit 0
