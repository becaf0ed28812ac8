#!/bin/sh
# Bad syscall rules: exit 2, a message naming the problem, nothing run.
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_busybox_
require_seccomp_

bad_() {	# rule, text the message must hold
	rm -f "$tmp/marker"
	"$CHAOSD" exec -s "$1" -- "$BUSYBOX" touch "$tmp/marker" \
		>"$tmp/out" 2>"$tmp/err"
	st=$?
	[ "$st" -eq 2 ] || fail_ "'$1': status $st, expected 2"
	[ -e "$tmp/marker" ] && fail_ "'$1': the command ran"
	grep -q -- "$2" "$tmp/err" || fail_ "'$1': message lacks '$2': $(cat "$tmp/err")"
	echo "ok: $1: $(cat "$tmp/err")"
}
bad_ 'nosuchcall:error=EPERM' "unknown syscall 'nosuchcall'"
bad_ 'getppdi:error=EPERM' "did you mean 'getppid'"
bad_ 'getppid,:error=EPERM' "empty syscall name"
bad_ 'getppid:arg0=~5:error=EPERM' "bad comparison"
bad_ 'getppid:arg6==1:error=EPERM' "unknown key"
bad_ 'getppid:arg0==1:arg0==2:error=EPERM' "bad comparison"
bad_ 'getppid:arg1&0x1==0x2:error=EPERM' "bad comparison"
bad_ 'getppid' "missing action"
bad_ 'getppid:after=5' "missing action"
bad_ 'getppid:probability=150%:error=EPERM' "out of range"
bad_ 'getppid:probability=-1:error=EPERM' "probability"
bad_ 'getppid:error=ENOTANERRNO' "ENOTANERRNO"
bad_ 'getppid:signal=SIGNOPE' "SIGNOPE"
bad_ 'getppid:dealy=1s' "did you mean 'delay'"
bad_ 'getppid:delay=1:error=EIO' "delay"
bad_ 'getppid:path=/tmp/*:error=EACCES' "takes none"
bad_ 'openat:path=relative*:error=EACCES' "absolute"
bad_ 'getppid:error=EIO:retval=1' "exclude"
bad_ 'getppid:jitter=1ms:error=EIO' "jitter= needs delay="
bad_ 'getppid:nth=0:error=EIO' "nth"
bad_ 'getppid:error=EIO;nosuch:error=EIO' "unknown syscall"
# one meaning per key: kill is a flag, signal= the signal, not both
bad_ 'getppid:kill:signal=SIGSEGV' "kill and signal= exclude each other"
bad_ 'getppid:kill=SIGSEGV' "kill is a flag"
bad_ 'getppid:signal=SIGUSR1:error=EIO' "signal= cannot be combined with error="
bad_ 'getppid:kill:retval=0' "kill cannot be combined with retval="
# names as -i takes them
bad_ 'getppid:name=:error=EIO' "name: empty value"
bad_ 'getppid:name=a b:error=EIO' "not a valid name"

# -s with a bad -i: nothing runs either
rm -f "$tmp/marker"
"$CHAOSD" exec -s 'getppid:error=EPERM' -i 'nosuchcall:error=EIO' -- \
	"$BUSYBOX" touch "$tmp/marker" 2>/dev/null
st=$?
[ "$st" -eq 2 ] || fail_ "bad -i with -s: status $st"
[ -e "$tmp/marker" ] && fail_ "bad -i with -s: the command ran"
echo "ok: bad -i with -s: status 2, nothing run"

# and the marker is created when the rules are fine
"$CHAOSD" exec -s 'getppid:error=EPERM' -- "$BUSYBOX" touch "$tmp/marker" ||
	fail_ "a good rule: status $?"
[ -e "$tmp/marker" ] || fail_ "a good rule: the command did not run"
echo "ok: a good rule runs the command"
exit 0
