#!/bin/sh
# chaosd run: a fault due at 0 s is in place before the workload starts,
# even while other processes keep every CPU busy: the workload's very
# first read fails, 50 runs out of 50.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

ncpu=$(nproc)
i=0
while [ $i -lt "$ncpu" ]; do
	sh -c 'while :; do :; done' &
	at_exit_ "kill $! 2>/dev/null"
	i=$((i + 1))
done

echo hello >data
cat >first.ini <<EOT
[scenario]
duration = 10s
[inject.eio]
call = %read
path = $tmp/data
error = EIO
EOT
n=0 faulted=0
while [ $n -lt 50 ]; do
	"$CHAOSD" run first.ini -- cat data >out 2>err
	st=$?
	# cat fails, so the run fails (exit 1): the fault was there
	if [ $st = 1 ] && grep -q 'Input/output error' out err; then
		faulted=$((faulted + 1))
	else
		echo "run $n: exit $st" >&2
		cat out err >&2
	fi
	n=$((n + 1))
done
expect_eq "runs whose first read failed, of 50 ($ncpu busy loops)" 50 "$faulted"
exit 0
