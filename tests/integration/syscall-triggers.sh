#!/bin/sh
# after= nth= count= probability=, counted over many calls.
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_notify_

failed_() {	# rule [chaosd options] -> how many of 1000 getppid failed
	r=$1; shift
	out=$("$CHAOSD" exec "$@" -s "$r" -- "$RAWSYS" count 1000) ||
		fail_ "$r: status $?"
	f=${out#*failed=}
	echo "${f%% *}"
}
expect_ "after=10" 990 "$(failed_ 'getppid:after=10:error=EPERM')"
expect_ "nth=10" 100 "$(failed_ 'getppid:nth=10:error=EPERM')"
expect_ "count=7" 7 "$(failed_ 'getppid:count=7:error=EPERM')"
expect_ "after=100:nth=3:count=50" 50 \
	"$(failed_ 'getppid:after=100:nth=3:count=50:error=EPERM')"
expect_ "after=900:nth=3" 33 "$(failed_ 'getppid:after=900:nth=3:error=EPERM')"
expect_ "probability=0" 0 "$(failed_ 'getppid:probability=0:error=EPERM')"
expect_ "probability=100%" 1000 "$(failed_ 'getppid:probability=100%:error=EPERM')"

p1=$(failed_ 'getppid:probability=30%:error=EPERM' --seed 7)
[ "$p1" -ge 200 ] && [ "$p1" -le 400 ] ||
	fail_ "probability=30%: $p1 of 1000 failed"
echo "ok: probability=30%: $p1 of 1000"
p2=$(failed_ 'getppid:probability=30%:error=EPERM' --seed 7)
expect_ "--seed 7 twice, same decisions" "$p1" "$p2"
p3=$(failed_ 'getppid:probability=0.5:count=100:error=EPERM')
expect_ "probability=0.5:count=100" 100 "$p3"
exit 0
