#!/bin/sh
# chaosd run killed with SIGKILL while a process or resource fault holds:
# a paused service, a memory stressor in the service's cgroups, an io
# stressor and a fill; then, with nobody to roll back, the guardian (the
# first round of each) or chaosd recover at once (the second) must leave
# no process of the run, no stressor, no file of theirs, no journal
# entry.
. "$abs_top_srcdir/tests/integration/res-lib.sh"

mark=cdreskill$$
mkdir "$tmp/io" "$tmp/fill"
fill=$tmp/fill
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=32M "cdfk$$" "$tmp/fill"; then
	at_exit_ "umount '$tmp/fill' 2>/dev/null"
	fillsize=8M
else
	fillsize=1M
fi

# scenario_ SECTION...: a run of svc under one fault, from 0 s for 30 s
scenario_()
{
	cat >"$tmp/k.ini" <<EOT
[scenario]
name = res-killed
duration = 40s

[service.svc]
command = exec sh -c 'while :; do sleep 0.2; done' $mark-service

[$1]
$2
$3
for = 30s
EOT
	expect_status 0 "$CHAOSD" validate -q "$tmp/k.ini"
}

leftovers_()
{
	left=
	pgrep -f "$mark-" >/dev/null 2>&1 && left="$left processes($(pgrep -f "$mark-" | tr '\n' ' '))"
	for p in $(pgrep -x chaosd-stress); do
		tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
			grep -qx "CHAOSD_RUNDIR=$CHAOSD_RUNDIR" && left="$left stressor($p)"
	done
	ls -a "$tmp/io" | grep -q '^\.chaosd-io' && left="$left io-files"
	ls "$fill" | grep -q chaosd-fill && left="$left fill"
	[ -n "$(journal_left_)" ] && left="$left journal($(ls "$CHAOSD_RUNDIR" | tr '\n' ' '))"
	echo "$left"
}

# round_ WHAT READY-CMD: run, wait until READY-CMD says the fault holds,
# SIGKILL chaosd, then the guardian or recover
round_()
{
	for how in guardian recover; do
		"$CHAOSD" run "$tmp/k.ini" >"$tmp/out" 2>&1 &
		run=$!
		wait_until_ 150 "$2" || {
			cat "$tmp/out" >&2
			fail_ "$1: the fault never held"
		}
		kill -KILL $run
		wait $run 2>/dev/null
		if [ $how = recover ]; then
			"$CHAOSD" recover --no-sweep >"$tmp/rec" 2>&1 ||
				fail_ "$1: recover failed: $(cat "$tmp/rec")"
		fi
		i=0
		left=$(leftovers_)
		while [ -n "$left" ] && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
			left=$(leftovers_)
		done
		[ -z "$left" ] || {
			cat "$tmp/out" "$CHAOSD_RUNDIR/guardian.log" >&2 2>/dev/null
			fail_ "$1, then $how: left behind:$left"
		}
		echo "ok: $1: SIGKILL of chaosd run, then $how: nothing left"
	done
}

paused_()	# any process of the service stopped (pgrep may list more)
{
	for p in $(pgrep -f "$mark-service"); do
		[ "$(state_ "$p")" = T ] && return 0
	done
	return 1
}
scenario_ process.freeze "service = svc" "action = pause"
round_ "a paused service" paused_

memory_() { p=$(pgrep -P $run -x chaosd-stress) && [ "$(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$p/status)" -gt 30000 ]; }
scenario_ stress.spike "memory = 32M" "service = svc"
round_ "a memory stressor in the service's cgroups" memory_

iofiles_() { ls -a "$tmp/io" | grep -q '^\.chaosd-io'; }
scenario_ stress.disk "io = $tmp/io" "size = 2M"
round_ "an io stressor" iofiles_

filled_() { ls "$fill" | grep -q chaosd-fill; }
scenario_ stress.full "fill = $fill" "size = $fillsize"
round_ "a fill" filled_

"$CHAOSD" recover --no-sweep >"$tmp/rec" 2>&1 || fail_ "last recover: $(cat "$tmp/rec")"
expect_grep 'nothing to recover' "$tmp/rec" "a last recover"
exit 0
