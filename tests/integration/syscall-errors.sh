#!/bin/sh
# chaosd exec -s: raw syscalls of a static program fail with the errno,
# or return the value, the rule says; argument comparisons pick calls.
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_notify_

out=$("$CHAOSD" exec -s 'getppid:error=EPERM' -- "$RAWSYS" count 5) ||
	fail_ "in-kernel errno rule: status $?"
expect_ "in-kernel EPERM on getppid" "calls=5 failed=5 errno=EPERM ret=-1" "$out"

# count= makes it a supervisor rule
out=$("$CHAOSD" exec -s 'getppid:error=EIO:count=100' -- "$RAWSYS" count 5) ||
	fail_ "notify errno rule: status $?"
expect_ "supervised EIO on getppid" "calls=5 failed=5 errno=EIO ret=-1" "$out"

out=$("$CHAOSD" exec -s 'getppid:retval=42' -- "$RAWSYS" count 3) ||
	fail_ "retval rule: status $?"
expect_ "retval=42" "calls=3 failed=0 errno=0 ret=42" "$out"

# errno numbers work as well as names
out=$("$CHAOSD" exec -s 'getppid:error=13' -- "$RAWSYS" count 1)
expect_ "error=13" "calls=1 failed=1 errno=EACCES ret=-1" "$out"

for rule in 'write:arg0==2:error=EBADF' 'write:arg0&0x3==0x2:error=EBADF' \
    'write:arg0!=1:error=EBADF' 'write:arg0>=2:arg2==2:error=EBADF' \
    'write:arg0>1:delay=1ms:error=EBADF'; do
	out=$("$CHAOSD" exec -s "$rule" -- "$RAWSYS" write 2)
	expect_ "$rule, fd 2" "write 2: EBADF" "$out"
	out=$("$CHAOSD" exec -s "$rule" -- "$RAWSYS" write 1)
	expect_ "$rule, fd 1" "x
write 1: ok" "$out"
done

# two rules on one syscall: the first that fires decides
out=$("$CHAOSD" exec -s 'write:arg0==2:error=EBADF;write:arg0==2:error=EIO' \
	-- "$RAWSYS" write 2)
expect_ "two rules, the first fires" "write 2: EBADF" "$out"
out=$("$CHAOSD" exec -s 'write:arg0==2:after=1:error=EBADF' \
	-s 'write:arg0==2:error=EIO' -- "$RAWSYS" write 2)
expect_ "two rules, the first lets it pass" "write 2: EIO" "$out"

# trapping the calls of the hand-off itself (sendmsg, close, execve)
# must not deadlock the child against its supervisor
to=$(command -v timeout) && to="$to 60"
for rule in 'sendmsg:error=EIO:count=1000' 'close,execve:delay=10ms' \
    'sendmsg,close,execve,rt_sigprocmask:after=1000000:error=EIO'; do
	out=$($to "$CHAOSD" exec -s "$rule" -- "$RAWSYS" count 1) ||
		fail_ "$rule: status $?"
	expect_ "$rule" "calls=1 failed=0" "${out% errno=*}"
done

# a call through another architecture's entry (int 0x80 on x86_64) has
# other numbers: it is let through, neither faulted nor killed
out=$("$CHAOSD" exec -s 'getppid:error=EPERM' -- "$RAWSYS" int80)
st=$?
case $out in
compat=none) echo "ok: no compat entry here" ;;
*) expect_ "i386 getppid under a native rule (status $st)" "compat=ok" "$out" ;;
esac

# -s and -i together: libc faults for the shim, syscall faults for seccomp
require_busybox_
echo hello >"$tmp/f"
out=$("$CHAOSD" exec -i 'unlink:error=EPERM' -s 'getppid:error=EPERM' -- \
	"$RAWSYS" count 2) || fail_ "-i with -s: status $?"
expect_ "-i with -s" "calls=2 failed=2 errno=EPERM ret=-1" "$out"
exit 0
