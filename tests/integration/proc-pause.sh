#!/bin/sh
# chaosd proc pause: a helper's progress stops while it is paused and
# goes on after; a cgroup is frozen through its freezer (v1
# freezer.state, v2 cgroup.freeze, each where this machine has it) and
# thawed; SIGKILL of the paused chaosd is undone by the guardian, and a
# pause is undone by chaosd recover and chaosd abort.
. "$abs_top_srcdir/tests/integration/res-lib.sh"

# paused: no tick in 0.5 s; resumed: ticks again
frozen_()
{
	t1=$(ticks_ "$1")
	sleep 0.5
	t2=$(ticks_ "$1")
	[ "$t1" = "$t2" ] || fail_ "$2: still ticking while paused ($t1, then $t2)"
	echo "ok: $2: no progress while paused ($t1)"
}
moving_()
{
	t1=$(ticks_ "$1")
	wait_until_ 30 sh -c "[ \"\$(cat '$1')\" -gt $t1 ]" ||
		fail_ "$2: no progress after the pause"
	echo "ok: $2: progress again"
}

# --- a process, --for: SIGSTOP, then SIGCONT
ticker_ "$tmp/t1"
main=$ticker
chaosd_bg_ "$tmp/p1" proc pause --pid $main --for 2s
wait_until_ 50 grep -q '^chaosd: paused' "$tmp/p1" || fail_ "not paused: $(cat "$tmp/p1")"
expect_grep "paused 1 process of pid $main \\(python3.*\\) by SIGSTOP for 2s" "$tmp/p1"
expect_eq "the kernel shows it stopped" T "$(state_ $main)"
frozen_ "$tmp/t1" "pid"
wait $bg
expect_eq "pause --for exits 0" 0 $?
expect_grep "resumed pid $main" "$tmp/p1"
moving_ "$tmp/t1" "pid"
no_journal_ || fail_ "journal left: $(journal_left_)"

# --- SIGINT resumes at once, exit 3
chaosd_bg_ "$tmp/p2" proc pause --pid $main
wait_until_ 50 grep -q '^chaosd: paused' "$tmp/p2" || fail_ "not paused: $(cat "$tmp/p2")"
kill -INT $bg
wait $bg
expect_eq "interrupted pause exits 3" 3 $?
moving_ "$tmp/t1" "pid after SIGINT"

# --- SIGKILL of chaosd: the guardian resumes it
chaosd_bg_ "$tmp/p3" proc pause --pid $main --for 1m
wait_until_ 50 grep -q '^chaosd: paused' "$tmp/p3" || fail_ "not paused: $(cat "$tmp/p3")"
t0=$(now_ms)
kill -KILL $bg
wait_until_ 50 sh -c "[ \"\$(sed -n 's/^State:[[:space:]]*\\(.\\).*/\\1/p' /proc/$main/status)\" != T ]" ||
	fail_ "the guardian did not resume it: $(cat "$CHAOSD_RUNDIR/guardian.log")"
expect_range "resumed by the guardian within (ms)" 0 5000 $(($(now_ms) - t0))
moving_ "$tmp/t1" "pid after SIGKILL of chaosd"
wait_until_ 30 no_journal_ || fail_ "journal left: $(journal_left_)"
expect_grep "its chaosd is gone: reverting pause of pid $main" \
	"$CHAOSD_RUNDIR/guardian.log"

# --- chaosd abort, while the pausing chaosd still runs
chaosd_bg_ "$tmp/p4" proc pause --pid $main --for 1m
wait_until_ 50 grep -q '^chaosd: paused' "$tmp/p4" || fail_ "not paused"
expect_status 0 "$CHAOSD" abort >"$tmp/abort"
expect_grep "reverted pause of pid $main" "$tmp/abort"
moving_ "$tmp/t1" "pid after abort"
kill -INT $bg
wait $bg
expect_eq "its chaosd, interrupted after the abort, exits 3" 3 $?

# --- a cgroup: the freezer, where this machine has one
cgroup_pause_()
{
	dir=$1/cdpause$$
	mkdir "$dir" 2>/dev/null || { echo "cannot make a cgroup in $1: skipped"; return 0; }
	at_exit_ "rmdir '$dir' 2>/dev/null"
	ticker_ "$tmp/t$2"
	echo $ticker >"$dir/cgroup.procs" || framework_failure_ "cannot move into $dir"
	chaosd_bg_ "$tmp/c$2" proc pause --cgroup "$dir" --for 2s
	wait_until_ 50 grep -q '^chaosd: paused' "$tmp/c$2" ||
		fail_ "$dir not paused: $(cat "$tmp/c$2")"
	expect_grep "by $3" "$tmp/c$2"
	case $3 in
	freezer.state) expect_eq "freezer.state" FROZEN "$(cat "$dir/freezer.state")" ;;
	cgroup.freeze) expect_grep "^frozen 1" "$dir/cgroup.events" ;;
	esac
	frozen_ "$tmp/t$2" "cgroup $dir"
	wait $bg
	expect_eq "cgroup pause --for exits 0" 0 $?
	case $3 in
	freezer.state) expect_eq "freezer.state" THAWED "$(cat "$dir/freezer.state")" ;;
	cgroup.freeze) expect_grep "^frozen 0" "$dir/cgroup.events" ;;
	esac
	moving_ "$tmp/t$2" "cgroup $dir"
	# and the guardian thaws it after SIGKILL
	chaosd_bg_ "$tmp/k$2" proc pause --cgroup "$dir"
	wait_until_ 50 grep -q '^chaosd: paused' "$tmp/k$2" || fail_ "not paused"
	kill -KILL $bg
	moving_ "$tmp/t$2" "cgroup $dir after SIGKILL of chaosd"
	wait_until_ 30 no_journal_ || fail_ "journal left: $(journal_left_)"
	kill $ticker
	wait $ticker 2>/dev/null
}
if [ "$(id -u)" = 0 ]; then
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)freezer(,|$)/ { print $2; exit }' /proc/mounts)
	[ -n "$v1" ] && cgroup_pause_ "$v1" 5 freezer.state
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$v2" ] && cgroup_pause_ "$v2" 6 cgroup.freeze
else
	echo "not root: the cgroup freezer is not tried"
fi

# --- recover, with nobody else to do it: a journal entry whose owner
# is alive (a foreground pause); recover resumes it
chaosd_bg_ "$tmp/p7" proc pause --pid $main --for 1m 2>/dev/null
wait_until_ 50 grep -q '^chaosd: paused' "$tmp/p7" || fail_ "not paused"
expect_status 0 "$CHAOSD" recover --no-sweep >"$tmp/rec"
expect_grep "reverted pause of pid" "$tmp/rec"
expect_eq "resumed by recover" S "$(state_ $main | tr R S)"
kill -INT $bg
wait $bg
no_journal_ || fail_ "journal left: $(journal_left_)"
exit 0
