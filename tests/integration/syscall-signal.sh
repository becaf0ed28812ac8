#!/bin/sh
# signal= and kill: the process dies of the signal at the call, and
# chaosd exec returns 128+N like env(1).
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_notify_

run_() {	# rule, expected status
	"$CHAOSD" exec -s "$1" -- "$RAWSYS" count 5 >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ "$st" -eq "$2" ] || fail_ "$1: status $st, expected $2: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && fail_ "$1: the program went on: $(cat "$tmp/out")"
	echo "ok: $1: status $st"
}
run_ 'getppid:signal=SIGSEGV' 139
run_ 'getppid:signal=USR1' 138
run_ 'getppid:kill' 137
run_ 'getppid:kill=1' 137	# a flag, not signal 1 (SIGHUP, 129)
run_ 'getppid:kill=yes' 137
run_ 'getppid:signal=10' 138	# a number is a signal (SIGUSR1: SIGHUP may be ignored)
run_ 'getppid:after=3:signal=9' 137
run_ 'getppid:delay=200ms:signal=SIGTERM' 143

# the signal hits the process that made the call, not chaosd
out=$("$CHAOSD" exec -s 'getppid:after=5:signal=SIGKILL' -- "$RAWSYS" count 5)
expect_ "after=5 never reached" "calls=5 failed=0" "${out% errno=*}"

# killed while its call waits for a delayed answer: chaosd forwards the
# SIGTERM, the call ends with the process, chaosd does not wait the delay
t=$(now_ms)
"$CHAOSD" exec -s 'getppid:delay=20s' -- "$RAWSYS" count 1 >"$tmp/out" 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
st=$?
el=$(( $(now_ms) - t ))
[ "$st" -eq 143 ] || fail_ "killed mid-delay: status $st: $(cat "$tmp/out")"
[ "$el" -lt 15000 ] || fail_ "killed mid-delay: chaosd took $el ms"
echo "ok: killed mid-delay: status $st after $el ms"
exit 0
