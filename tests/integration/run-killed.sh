#!/bin/sh
# chaosd run killed with SIGKILL leaves nothing behind: at ROUNDS random
# moments (default 20) of a scenario with a service, a workload, an
# [inject] fault on the run's table and a [network] fault in a namespace
# of the test's own, chaosd is killed; then, with nobody to roll back,
# the guardian (even rounds) or `chaosd recover` at once (odd rounds)
# must leave no qdisc, no process of the run, no table, no registry
# entry, no journal entry. The first round kills one second in, as the
# report that started this test did.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"
require_python_

rounds=${ROUNDS:-20}
mark=cdkill$$
echo data >"$tmp/data"
cat >"$tmp/k.ini" <<EOT
[scenario]
name = killed
duration = 20s
command = exec sh -c 'while :; do cat $tmp/data >/dev/null 2>&1; sleep 0.05; done' $mark-workload

[service.svc]
command = exec sh -c 'while :; do sleep 1; done' $mark-service

[inject.eio]
call = %read
path = $tmp/data
error = EIO
start = 200ms
for = 8s

[network.slow]
netns = $ns_a
dev = $dev_a
rate = 8mbit
for = 9s
EOT
expect_status 0 "$CHAOSD" validate -q "$tmp/k.ini"

leftovers_()
{
	left=
	[ "$(root_qdisc_)" = "htb c405:" ] && left="$left qdisc"
	pgrep -f "$mark-" >/dev/null 2>&1 && left="$left processes($(pgrep -f "$mark-" | tr '\n' ' '))"
	ls "$CHAOSD_RUNDIR"/*.table >/dev/null 2>&1 && left="$left tables"
	ls "$CHAOSD_RUNDIR"/tables/*.entry >/dev/null 2>&1 && left="$left registry"
	ls "$CHAOSD_RUNDIR"/*.journal >/dev/null 2>&1 && left="$left journal($(ls "$CHAOSD_RUNDIR" | tr '\n' ' '))"
	echo "$left"
}

r=1
while [ $r -le "$rounds" ]; do
	if [ $r = 1 ]; then
		ms=1000
	else
		ms=$("$PYTHON" -c 'import random; print(random.randint(0, 3000))')
	fi
	"$CHAOSD" run "$tmp/k.ini" >"$tmp/out.$r" 2>&1 &
	pid=$!
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ $((r % 2)) = 1 ]; then
		how=recover
		"$CHAOSD" recover --netns "$ns_a" >"$tmp/rec.$r" 2>&1 ||
			fail_ "round $r: recover failed: $(cat "$tmp/rec.$r")"
		left=$(leftovers_)
	else
		how=guardian
		i=0
		left=$(leftovers_)
		while [ -n "$left" ] && [ $i -lt 100 ]; do
			sleep 0.2
			i=$((i + 1))
			left=$(leftovers_)
		done
	fi
	[ -z "$left" ] || {
		cat "$tmp/out.$r" "$CHAOSD_RUNDIR/guardian.log" >&2 2>/dev/null
		fail_ "round $r (killed at ${ms}ms, then $how): left behind:$left"
	}
	echo "ok: round $r: killed at ${ms}ms, $how left nothing"
	r=$((r + 1))
done
# and recover afterwards has nothing to do
"$CHAOSD" recover --netns "$ns_a" >"$tmp/rec" 2>&1 || fail_ "last recover: $(cat "$tmp/rec")"
expect_grep 'nothing to recover' "$tmp/rec" "a last recover"
exit 0
