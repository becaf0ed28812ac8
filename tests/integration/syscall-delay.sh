#!/bin/sh
# delay=: the call waits at least D, then goes on (or fails); a delayed
# thread does not stall the others' trapped calls.
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_notify_

t=$(now_ms)
out=$("$CHAOSD" exec -s 'getppid:delay=500ms:count=1' -- "$RAWSYS" count 3) ||
	fail_ "delay rule: status $?"
el=$(( $(now_ms) - t ))
expect_ "delay then CONTINUE" "calls=3 failed=0" "${out% errno=*}"
[ "$el" -ge 500 ] || fail_ "delay=500ms took only ${el} ms"
echo "ok: delay=500ms: ${el} ms"

t=$(now_ms)
out=$("$CHAOSD" exec -s 'getppid:delay=300ms:error=EIO' -- "$RAWSYS" count 2)
el=$(( $(now_ms) - t ))
expect_ "delay then error" "calls=2 failed=2 errno=EIO ret=-1" "$out"
[ "$el" -ge 600 ] || fail_ "2 x delay=300ms took only ${el} ms"
echo "ok: 2 x delay=300ms:error=EIO: ${el} ms"

# jitter: 200ms +- 100ms, so at least 100 ms
t=$(now_ms)
"$CHAOSD" exec -s 'getppid:delay=200ms:jitter=100ms:count=1' -- \
	"$RAWSYS" count 1 >/dev/null || fail_ "jitter rule: status $?"
el=$(( $(now_ms) - t ))
[ "$el" -ge 100 ] || fail_ "delay=200ms:jitter=100ms took only ${el} ms"
echo "ok: delay=200ms:jitter=100ms: ${el} ms"

# thread A's getppid waits 2 s; thread B's 200 getppid (trapped too,
# matched but past count=1) finish long before.
out=$("$CHAOSD" exec -s 'getppid:delay=2s:count=1' -- "$RAWSYS" threads) ||
	fail_ "threads: status $?"
a=${out#a_ms=}; a=${a%% *}
b=${out#*b_ms=}
echo "threads: $out"
[ "$a" -ge 2000 ] || fail_ "thread A was delayed only $a ms"
[ "$b" -lt 1500 ] || fail_ "thread B was stalled by A's delay: done after $b ms"
echo "ok: B done after $b ms while A waited $a ms"
exit 0
