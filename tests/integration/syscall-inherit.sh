#!/bin/sh
# The filter is inherited by children and kept across execve; the
# supervisor's counters cover the whole process tree.
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_notify_
require_busybox_

out=$("$CHAOSD" exec -s 'getppid:error=EPERM' -- "$RAWSYS" fork 3)
expect_ "forked child, in-kernel rule" "child calls=3 failed=3 errno=EPERM ret=-1
calls=3 failed=3 errno=EPERM ret=-1" "$out"
out=$("$CHAOSD" exec -s 'getppid:after=1:error=EPERM' -- "$RAWSYS" fork 3)
expect_ "forked child, supervised rule" "child calls=3 failed=2 errno=EPERM ret=-1
calls=3 failed=3 errno=EPERM ret=-1" "$out"

out=$("$CHAOSD" exec -s 'getppid:after=2:error=EPERM' -- "$RAWSYS" exec count 5)
expect_ "after execve" "calls=5 failed=3 errno=EPERM ret=-1" "$out"

# counts run across processes: 2 calls in the child, then 2 here
out=$("$CHAOSD" exec -s 'getppid:count=3:error=EPERM' -- "$RAWSYS" fork 2)
expect_ "count= across processes (failures: child, parent)" "2 1" \
	"$(echo "$out" | sed 's/.*failed=\([0-9]*\).*/\1/' | tr '\n' ' ' | sed 's/ $//')"

echo secret >"$tmp/secret"
out=$("$CHAOSD" exec -s "openat,open:path=$tmp/sec*:error=EACCES" -- \
	"$BUSYBOX" sh -c "'$BUSYBOX' cat '$tmp/secret'; echo status=\$?" 2>&1)
case $out in
*"Permission denied"*status=1) echo "ok: busybox sh -> cat: $out" ;;
*) fail_ "busybox sh -> cat: $out" ;;
esac

# a descendant that outlives chaosd keeps the filter, with no supervisor:
# the calls it would have answered fail with ENOSYS
"$CHAOSD" exec -s 'getppid:after=1000000:error=EPERM' -- "$BUSYBOX" sh -c \
	"( '$BUSYBOX' sleep 1; '$RAWSYS' count 1 >'$tmp/late' ) >/dev/null 2>&1 &" ||
	fail_ "background child: status $?"
i=0
while [ ! -s "$tmp/late" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_ "after chaosd is gone" "calls=1 failed=1 errno=ENOSYS ret=-1" "$(cat "$tmp/late")"
exit 0
