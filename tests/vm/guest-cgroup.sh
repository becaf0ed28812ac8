#!/bin/sh
# tests/vm/guest-cgroup.sh: the process and resource faults on cgroup v2,
# inside Debian's cloud kernel (tests/vm/vm-cgroup.sh boots it): the
# freezer of a unit's cgroup, cpu.max on a service, memory.high and
# io.max on cgroups, each restored after SIGKILL of chaosd. One line per
# check, "VMTEST ok WHAT" or "VMTEST fail WHAT", measured values as
# "VMTEST value NAME N", and "VMTEST done FAILURES" at the end.

failures=0
ok() { echo "VMTEST ok $*"; }
bad() { echo "VMTEST fail $*"; failures=$((failures + 1)); }
value() { echo "VMTEST value $1 $2"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }
waitfor() { n=$1; shift; while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done; return 1; }
export CHAOSD_RUNDIR=/run/chaosd
export CHAOS_LIBINJECT=/lib/chaosd/libinject.so

cg=/sys/fs/cgroup
mount -t cgroup2 none $cg || { bad "mount cgroup2"; echo "VMTEST done 1"; exit; }
echo "+cpu +memory +io" >$cg/cgroup.subtree_control
check "cpu, memory and io enabled" grep -q "cpu.*io.*memory\|cpu.*memory.*io" $cg/cgroup.subtree_control

value t_ms "$(ms)"
# --- the freezer of a unit's cgroup (system.slice/UNIT, as systemd has it)
u=$cg/system.slice/cdtest.service
mkdir -p $cg/system.slice $u
sh -c "echo \$\$ >$u/cgroup.procs; n=0; while :; do n=\$((n + 1)); echo \$n >/tmp/tick; sleep 0.02; done" &
tick=$!
waitfor 50 test -s /tmp/tick
chaosd proc pause --unit cdtest --for 2s >/tmp/p.out 2>&1 &
c=$!
waitfor 100 grep -q '^chaosd: paused' /tmp/p.out
cat /tmp/p.out
check "unit paused by cgroup.freeze" grep -q "unit cdtest.service (cgroup $u) by cgroup.freeze" /tmp/p.out
check "its cgroup.events: frozen 1" grep -q "frozen 1" $u/cgroup.events
a=$(cat /tmp/tick); sleep 0.3; b=$(cat /tmp/tick)
check "no progress while frozen ($a, $b)" [ "$a" = "$b" ]
wait $c
check "pause --for exits 0" [ $? = 0 ]
check "thawed after --for" grep -q "frozen 0" $u/cgroup.events
a=$(cat /tmp/tick); sleep 0.3; b=$(cat /tmp/tick)
check "progress after the pause ($a, $b)" [ "$b" -gt "$a" ]
chaosd proc pause --unit cdtest >/tmp/p.out 2>&1 &
c=$!
waitfor 100 grep -q "frozen 1" $u/cgroup.events
kill -9 $c
waitfor 50 grep -q "frozen 0" $u/cgroup.events
check "SIGKILL of chaosd: the guardian thaws the unit" grep -q "frozen 0" $u/cgroup.events
kill $tick

value t_ms "$(ms)"
# --- cpu.max on a service that moved into a cgroup of its own: a busy
# loop gets about 20% of a CPU
mkdir $cg/svc
cat >/tmp/cpu.ini <<'EOF'
[scenario]
name = vm-cpu
duration = 60s
[service.busy]
command = echo $$ >/sys/fs/cgroup/svc/cgroup.procs; while :; do :; done
[limit.slow]
service = busy
cpu = 20%
start = 500ms
for = 5s
EOF
chaosd run /tmp/cpu.ini --report json=/tmp/cpu.json >/tmp/cpu.out 2>&1 &
r=$!
waitfor 100 grep -q '^20000 100000' $cg/svc/cpu.max
check "cpu.max 20000 100000 while the fault holds" grep -q '^20000 100000' $cg/svc/cpu.max
p=$(head -n 1 $cg/svc/cgroup.procs)
t0=$(ticks $p); s0=$(ms)
sleep 1.5
t1=$(ticks $p); s1=$(ms)
pct=$(( (t1 - t0) * 1000 / (s1 - s0) ))
value cpu_max_20_pct "$pct"
check "a busy loop under cpu.max 20%: $pct% of a CPU in [12, 28]" between "$pct" 12 28
wait $r
st=$?
cat /tmp/cpu.out
check "chaosd run exits 0 ($st)" [ "$st" = 0 ]
check "cpu.max restored to max" grep -q '^max 100000' $cg/svc/cpu.max
check "the report says it was throttled" grep -q 'cpu.max 20000 100000 (throttled, times: [1-9]' /tmp/cpu.out
# SIGKILL of chaosd run: the guardian restores cpu.max, stops the service
chaosd run /tmp/cpu.ini >/tmp/cpu.out 2>&1 &
r=$!
waitfor 100 grep -q '^20000 100000' $cg/svc/cpu.max
kill -9 $r
waitfor 80 grep -q '^max 100000' $cg/svc/cpu.max
check "SIGKILL of chaosd run: the guardian restores cpu.max" grep -q '^max 100000' $cg/svc/cpu.max
waitfor 80 sh -c "[ -z \"\$(cat $cg/svc/cgroup.procs)\" ]"
check "and stops the service" [ -z "$(cat $cg/svc/cgroup.procs)" ]

value t_ms "$(ms)"
# --- memory.high: an allocation past it is throttled, not killed
mkdir $cg/mem
chaosd stress memory 16M --cgroup $cg/mem --for 1500ms >/tmp/free.out 2>&1
free=$(sed -n 's/.*reached in \([0-9]*\)\.\([0-9]*\)s.*/\1\2/p' /tmp/free.out)
value memory_reach_free_cs "${free:--1}"
check "16 MiB resident in a cgroup with no limit, in ${free:-more than 150} cs" [ -n "$free" ]
cat >/tmp/mem.ini <<'EOF'
[scenario]
name = vm-mem
duration = 60s
[limit.high]
cgroup = /sys/fs/cgroup/mem
memory_high = 8M
for = 30s
EOF
chaosd run /tmp/mem.ini >/tmp/mem.out 2>&1 &
r=$!
waitfor 100 grep -q '^8388608' $cg/mem/memory.high
check "memory.high 8M while the fault holds" grep -q '^8388608' $cg/mem/memory.high
chaosd stress memory 16M --cgroup $cg/mem --for 1500ms >/tmp/s.out 2>&1
st=$?
cat /tmp/s.out
check "the stressor past memory.high was not killed (exit $st)" [ "$st" = 0 ]
high=$(awk '$1 == "high" { print $2 }' $cg/mem/memory.events)
oom=$(awk '$1 == "oom_kill" { print $2 }' $cg/mem/memory.events)
value memory_high_events "$high"
check "memory.events: high $high, more than 0" [ "$high" -gt 0 ]
check "memory.events: oom_kill $oom" [ "$oom" = 0 ]
limited=$(sed -n 's/.*reached in \([0-9]*\)\.\([0-9]*\)s.*/\1\2/p' /tmp/s.out)
value memory_reach_limited_cs "${limited:--1}"
check "throttled: slower than without ($free cs, then ${limited:-not in 150})" \
	sh -c "[ -z '$limited' ] || [ '$limited' -gt '${free:-0}' ]"
kill -9 $r
waitfor 80 grep -q '^max' $cg/mem/memory.high
check "SIGKILL of chaosd run: the guardian restores memory.high" grep -q '^max' $cg/mem/memory.high

value t_ms "$(ms)"
# --- io.max on a loop device: dd's writes, as the kernel counts them
# for its cgroup (io.stat), at the rate asked, +-15%
dd if=/dev/zero of=/tmp/disk.img bs=1M count=16 2>/dev/null
losetup /dev/loop0 /tmp/disk.img || bad "losetup"
dev=$(cat /sys/block/loop0/dev)
mkdir $cg/io
wbytes() { awk -v d="$dev" '$1 == d { for (i = 2; i <= NF; i++) if ($i ~ /^wbytes=/) { sub(/wbytes=/, "", $i); print $i } }' $cg/io/io.stat; }
cat >/tmp/io.ini <<'EOF'
[scenario]
name = vm-io
duration = 60s
[limit.disk]
cgroup = /sys/fs/cgroup/io
path = /dev/loop0
io_write_bps = 1M
for = 30s
EOF
chaosd run /tmp/io.ini >/tmp/io.out 2>&1 &
r=$!
waitfor 100 grep -q "^$dev rbps=max wbps=1048576" $cg/io/io.max
check "io.max $dev wbps=1048576 while the fault holds" grep -q "^$dev rbps=max wbps=1048576" $cg/io/io.max
sh -c "echo \$\$ >$cg/io/cgroup.procs && exec dd if=/dev/zero of=/dev/loop0 bs=64k count=256 oflag=direct" 2>/dev/null &
d=$!
sleep 0.5
b0=$(wbytes); s0=$(ms)
sleep 2
b1=$(wbytes); s1=$(ms)
kill $d
rate=$(( (${b1:-0} - ${b0:-0}) * 1000 / (s1 - s0) ))
value io_write_bps_1M "$rate"
check "dd under io_write_bps 1M: $rate bytes/s in [891289, 1205862]" between "$rate" 891289 1205862
kill -9 $r
waitfor 80 sh -c "! grep -q '^$dev' $cg/io/io.max"
check "SIGKILL of chaosd run: the guardian restores io.max" sh -c "! grep -q '^$dev' $cg/io/io.max"

value t_ms "$(ms)"
# --- refused before anything starts: a cgroup that holds chaosd
cat >/tmp/root.ini <<'EOF'
[scenario]
duration = 5s
[limit.all]
cgroup = /sys/fs/cgroup
cpu = 50%
for = 1s
EOF
chaosd run /tmp/root.ini >/tmp/root.out 2>&1
st=$?
cat /tmp/root.out
check "a limit on chaosd's own cgroup: exit 2 ($st)" [ "$st" = 2 ]
check "said plainly" grep -q "holds chaosd itself" /tmp/root.out
check "nothing left in the journal" sh -c "! ls $CHAOSD_RUNDIR/*.journal 2>/dev/null"

echo "VMTEST done $failures"
