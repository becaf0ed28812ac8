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
run_ 'getppid:after=3:signal=9' 137
run_ 'getppid:delay=200ms:signal=SIGTERM' 143

# the signal hits the process that made the call, not chaosd
out=$("$CHAOSD" exec -s 'getppid:after=5:signal=SIGKILL' -- "$RAWSYS" count 5)
expect_ "after=5 never reached" "calls=5 failed=0" "${out% errno=*}"
exit 0
