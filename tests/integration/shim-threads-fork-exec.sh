#!/bin/sh
# The shim under threads, fork, exec and signal handlers.
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/x
printf 'x' >"$F"

# threads: 8 threads x 5000 preads at 50%: no crash, no wrong result, a
# failure count near half (binomial sd ~ 100; allow +-1500)
run_shim "pread:path=$F:error=EIO:probability=50%" "$HELPERS/threads" 8 5000 "$F" \
	>out 2>&1 || fail_ "threads helper exited $?: $(cat out)"
expect_grep "^threads=8 calls=40000 " out
expect_eq "threads: other results" 0 "$(field other out)"
expect_range "threads: EIO count at 50%" 18500 21500 "$(field eio out)"
# and with nothing armed for it, no failure
run_shim "pread:path=$tmp/none:error=EIO" "$HELPERS/threads" 8 2000 "$F" >out 2>&1
expect_eq "threads, rule not matching: failures" 0 "$(field fail out)"

# a delay in one thread does not hold the others: 4 threads x 5 calls of
# 100 ms take about 500 ms, not the 2 s they would take one at a time
t0=$(now_ms)
run_shim "pread:path=$F:delay=100ms" "$HELPERS/threads" 4 5 "$F" >out 2>&1
t1=$(now_ms)
expect_eq "threads under delay: results" 20 "$(field ok out)"
expect_range "4 threads x 5 x 100 ms (ms)" 495 1900 $((t1 - t0))

# fork: the child inherits the rules, and the counters go on:
# nth=2 -> the parent's read is the 1st match, the child's the 2nd
R="%read:path=$F:error=EIO:nth=2"
run_shim "$R" "$FILEOPS" "open=$F" pread=1,0 fork pread=1,0 pread=1,0 >out 2>&1
expect_eq "fork, nth=2" "open=3
pread=1 data=x
pread=-1 errno=EIO
pread=1 data=x
child=exit:0" "$(cat out)"
# count=1 used up in the parent stays used up in the child
R="%read:path=$F:error=EIO:count=1"
run_shim "$R" "$FILEOPS" "open=$F" pread=1,0 fork pread=1,0 >out 2>&1
expect_eq "fork, count=1" "open=3
pread=-1 errno=EIO
pread=1 data=x
child=exit:0" "$(cat out)"
# after=1: the parent's call passed, so the child's fails
run_shim "%read:path=$F:error=EIO:after=1" "$FILEOPS" "open=$F" pread=1,0 fork pread=1,0 >out 2>&1
expect_grep "^pread=-1 errno=EIO" out "fork, after=1: the child"

# exec: the rules follow through the environment, and a descriptor kept
# open across execve keeps its path (recovered from /proc/self/fd)
run_shim "read:path=$F:error=EIO" "$FILEOPS" "open=$F" exec read=1 >out 2>&1
expect_eq "exec keeps fd's path" "open=3
read=-1 errno=EIO" "$(cat out)"
# a dup made before exec, too
run_shim "read:path=$F:error=EIO" "$FILEOPS" "open=$F" dup2=9 exec read=1 >out 2>&1
expect_grep "^read=-1 errno=EIO" out "exec keeps a dup's path"
# through sh -c and a pipeline
run_shim "%read:path=$F:error=EIO" sh -c "cat '$F' | cat; cat '$tmp/../'\"\$(basename '$tmp')\"/x" \
	>out 2>err && fail_ "sh: cat of F succeeded"
expect_grep "Input/output error" err "cat under sh -c"
[ "$(grep -c 'Input/output error' err)" = 2 ] || fail_ "two cats should fail: $(cat err)"

# a signal handler writing while write() is faulted (and while the shim
# is sleeping in a delay): errno stays the call's own, no deadlock
for R in "write:path=$tmp/faulted:error=EIO" \
    "write:path=$tmp/faulted:delay=200us:error=EIO"; do
	rm -f "$tmp/faulted" "$tmp/other"
	SHIM_TIMEOUT=20 run_shim "$R" "$HELPERS/sigwrite" "$tmp/faulted" "$tmp/other" 400 \
		>out 2>&1 || fail_ "sigwrite under $R: exit $? $(cat out)"
	expect_eq "sigwrite: main loop saw another errno" 0 "$(sed -n 's/^main: .* other=//p' out)"
	hc=$(sed -n 's/^handler: calls=\([0-9]*\).*/\1/p' out)
	expect_range "sigwrite: handler calls" 1 100000000 "$hc"
	expect_eq "sigwrite: the handler's faulted writes" "$hc" "$(field faulted_eio out)"
	expect_eq "sigwrite: the handler's other writes" "$hc" "$(field other_ok out)"
	[ "$(grep -c m "$tmp/faulted")" = 0 ] || fail_ "a faulted write of the main loop reached the file"
done
exit 0
