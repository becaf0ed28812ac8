#!/bin/sh
# chaosd stress memory: the stressor's memory is resident (its RssAnon,
# within 2% of the size), MemAvailable drops, it costs no CPU while it
# holds, the OOM killer would take it first; --ramp grows it as a slope;
# in a memory cgroup, P% is of that cgroup's limit and the stressor is
# in it; SIGKILL of chaosd takes the stressor down with it.
. "$abs_top_srcdir/tests/integration/res-lib.sh"

kb_() { sed -n "s/^$1:[[:space:]]*\\([0-9]*\\) kB/\\1/p" "$2"; }
stressor_() { sed -n 's/.*(stressor pid \([0-9]*\)).*/\1/p' "$1"; }

# --- 200 MiB, held 4 s
avail0=$(kb_ MemAvailable /proc/meminfo)
chaosd_bg_ "$tmp/m1" stress memory 200M --for 4s
wait_until_ 100 grep -q 'in place' "$tmp/m1" || fail_ "not in place: $(cat "$tmp/m1")"
p=$(stressor_ "$tmp/m1")
[ -n "$p" ] || fail_ "no stressor pid: $(cat "$tmp/m1")"
expect_eq "its name" chaosd-stress "$(cat /proc/$p/comm)"
expect_eq "oom_score_adj: taken first" 1000 "$(cat /proc/$p/oom_score_adj)"
anon=$(kb_ RssAnon /proc/$p/status)
# 200 MiB = 204800 kB, plus the worker's own few MiB
expect_range "RssAnon (kB)" 204800 $((204800 + 204800 / 50 + 8192)) "$anon"
avail1=$(kb_ MemAvailable /proc/meminfo)
expect_range "MemAvailable dropped by (kB)" 102400 100000000 $((avail0 - avail1))
c0=$(cpu_ticks_ $p)
sleep 2
c1=$(cpu_ticks_ $p)
expect_range "CPU ticks used while holding 2 s" 0 3 $((c1 - c0))
wait $bg
expect_eq "stress --for exits 0" 0 $?
expect_grep "held 200 MiB resident \\(measured (99|100|101)\\.[0-9]% to (99|100|101)\\.[0-9]% of it\\)" "$tmp/m1"
expect_eq "the stressor is gone" - "$(state_ $p)"
no_journal_ || fail_ "journal left: $(journal_left_)"

# --- a ramp of 2 s: half way, part of it
chaosd_bg_ "$tmp/m2" stress memory 200M --ramp 2s --for 3s
p=
for i in $(seq 100); do
	p=$(pgrep -P $bg -x chaosd-stress) && break
	sleep 0.05
done
[ -n "$p" ] || fail_ "no stressor: $(cat "$tmp/m2")"
sleep 1
mid=$(kb_ RssAnon /proc/$p/status)
expect_range "RssAnon half way up the ramp (kB)" 20480 184320 "$mid"
wait $bg
expect_grep "held 200 MiB resident" "$tmp/m2"

# --- refused, nothing started
expect_status 2 "$CHAOSD" stress memory 101% 2>err
expect_grep "at most 100%" err
expect_status 2 "$CHAOSD" stress memory 1000T --for 1s 2>err
expect_grep "more than this machine has available \\(MemAvailable" err
expect_status 2 "$CHAOSD" stress memory 1M --workers 2 2>err
expect_grep "workers goes with cpu or io" err
[ -z "$(pgrep -P $$ -x chaosd-stress)" ] || fail_ "a refused stressor runs"

# --- SIGKILL of chaosd: the stressor dies with it, the entry goes
chaosd_bg_ "$tmp/m3" stress memory 64M
wait_until_ 100 grep -q 'in place' "$tmp/m3" || fail_ "not in place: $(cat "$tmp/m3")"
p=$(stressor_ "$tmp/m3")
kill -KILL $bg
wait_until_ 20 sh -c "! kill -0 $p 2>/dev/null" || fail_ "the stressor outlived chaosd"
wait_until_ 30 no_journal_ || fail_ "journal left: $(journal_left_)"

# --- in a memory cgroup of 128 MiB: 50% is 64 MiB, and it is in there
mem=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
if [ "$(id -u)" = 0 ] && [ -n "$mem" ] && mkdir "$mem/cdstress$$" 2>/dev/null; then
	at_exit_ "rmdir '$mem/cdstress$$' 2>/dev/null"
	echo $((128 << 20)) >"$mem/cdstress$$/memory.limit_in_bytes"
	sleep 60 &
	s=$!
	echo $s >"$mem/cdstress$$/cgroup.procs"
	chaosd_bg_ "$tmp/m4" stress memory 50% --pid $s --for 2s
	wait_until_ 100 grep -q 'in place' "$tmp/m4" || fail_ "not in place: $(cat "$tmp/m4")"
	p=$(stressor_ "$tmp/m4")
	expect_grep "memory:/cdstress$$\$" /proc/$p/cgroup "the stressor's cgroups"
	wait $bg
	expect_grep "held 64 MiB resident" "$tmp/m4"
	kill $s
	wait $s 2>/dev/null
else
	echo "no memory cgroup to make here: the cgroup's limit is not tried"
fi
exit 0
