#!/bin/sh
# chaosd stress cpu: one worker at 30% uses about 30% of a CPU (its CPU
# time in /proc/PID/stat; a loaded machine may give it less, never more;
# not /proc/stat's busy ticks, which are sampled and read as little as 53
# ticks of the machine's against 91 of the worker's on a loaded CI run);
# chaosd stress io: the workers read and write their files (/proc/PID/io),
# which are removed at the end, and after SIGKILL of chaosd too.
. "$abs_top_srcdir/tests/integration/res-lib.sh"

stressor_() { sed -n 's/.*(stressor pid \([0-9]*\)).*/\1/p' "$1"; }
hz=$(getconf CLK_TCK)

# --- cpu 30%, one worker, measured over 3 s
chaosd_bg_ "$tmp/c1" stress cpu 30% --workers 1 --for 5s
wait_until_ 100 grep -q 'in place' "$tmp/c1" || fail_ "not in place: $(cat "$tmp/c1")"
p=$(stressor_ "$tmp/c1")
sleep 0.5
c0=$(cpu_ticks_ $p)
t0=$(now_ms)
sleep 3
c1=$(cpu_ticks_ $p)
t1=$(now_ms)
pct=$(( (c1 - c0) * 100000 / hz / (t1 - t0) ))
expect_range "the worker's load (%)" 10 36 "$pct"
wait $bg
expect_eq "stress cpu exits 0" 0 $?
expect_grep "1 worker at 30%: measured [0-9.]+% each" "$tmp/c1"
said=$(sed -n 's/.*measured \([0-9]*\)\.[0-9]*% each.*/\1/p' "$tmp/c1")
expect_range "the load chaosd measured (%)" 10 36 "$said"
[ "$(state_ $p)" = - ] || fail_ "the cpu stressor outlived its window"

# --- the default: one worker per CPU
chaosd_bg_ "$tmp/c2" stress cpu 5% --for 1s
wait $bg
expect_grep "^chaosd: $(getconf _NPROCESSORS_ONLN) workers? at 5%" "$tmp/c2"

# --- io, each mode, on the test's directory
mkdir "$tmp/io"
for mode in write read fsync; do
	chaosd_bg_ "$tmp/i.$mode" stress io "$tmp/io" --io-mode $mode --size 4M \
		--workers 2 --for 2s
	wait_until_ 100 grep -q 'in place' "$tmp/i.$mode" ||
		fail_ "io $mode not in place: $(cat "$tmp/i.$mode")"
	p=$(stressor_ "$tmp/i.$mode")
	n=$(ls -a "$tmp/io" | grep -c '^\.chaosd-io\.')
	expect_eq "io $mode: one file per worker" 2 "$n"
	a=$(awk '/^[rw]char/ { s += $2 } END { printf "%.0f\n", s }' /proc/$p/io)
	sleep 0.5
	b=$(awk '/^[rw]char/ { s += $2 } END { printf "%.0f\n", s }' /proc/$p/io)
	[ "$b" -gt "$a" ] || fail_ "io $mode: no bytes moved ($a, then $b)"
	echo "ok: io $mode: $((b - a)) bytes in 0.5 s"
	wait $bg
	expect_eq "stress io $mode exits 0" 0 $?
	expect_grep "2 workers moved [0-9.]+ [KMG]?i?B \\(.*/s\\) in $tmp/io" "$tmp/i.$mode"
	expect_eq "io $mode: files removed" 0 "$(ls -a "$tmp/io" | grep -c '^\.chaosd-io\.')"
done
expect_status 2 "$CHAOSD" stress io "$tmp/nosuch" 2>err
expect_grep "No such file or directory" err
expect_status 2 "$CHAOSD" stress io "$tmp/io" --io-mode append 2>err
expect_grep "write, read or fsync" err

# --- SIGKILL of chaosd: the workers die with it, the guardian removes
# their files
chaosd_bg_ "$tmp/i.k" stress io "$tmp/io" --size 4M
wait_until_ 100 grep -q 'in place' "$tmp/i.k" || fail_ "not in place: $(cat "$tmp/i.k")"
p=$(stressor_ "$tmp/i.k")
kill -KILL $bg
wait_until_ 20 sh -c "! kill -0 $p 2>/dev/null" || fail_ "the io stressor outlived chaosd"
wait_until_ 50 sh -c "[ -z \"\$(ls -a '$tmp/io' | grep '^\\.chaosd-io\\.')\" ]" ||
	fail_ "files left: $(ls -a "$tmp/io")"
echo "ok: files removed by the guardian"
wait_until_ 30 no_journal_ || fail_ "journal left: $(journal_left_)"
exit 0
