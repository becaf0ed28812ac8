#!/bin/sh
# tests/vm/guest-netem.sh: runs as the initramfs's test inside Debian's
# cloud kernel (tests/vm/vm-netem.sh boots it). It prints one line per
# check, "VMTEST ok WHAT" or "VMTEST fail WHAT", measured values as
# "VMTEST value NAME N", and ends with "VMTEST done FAILURES".
# The real iproute2 binaries are tc.real and ip.real: busybox's shell
# would run its own applets for tc and ip.

failures=0
ok() { echo "VMTEST ok $*"; }
bad() { echo "VMTEST fail $*"; failures=$((failures + 1)); }
value() { echo "VMTEST value $1 $2"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

A=vmA
B=vmB
export CHAOSD_RUNDIR=/run/chaosd

ip.real netns add $A && ip.real netns add $B || { bad "netns"; echo "VMTEST done 1"; exit; }
ip.real -n $A link add va type veth peer name vb netns $B
ip.real -n $A addr add 10.199.0.1/24 dev va
ip.real -n $B addr add 10.199.0.2/24 dev vb
ip.real -n $B addr add 10.199.0.3/24 dev vb
ip.real -n $A link set lo up
ip.real -n $B link set lo up
ip.real -n $A link set va up
ip.real -n $B link set vb up
sleep 1

for port in 5001 5002 22; do
	ip.real netns exec $B netprobe serve $port 600 >/tmp/serve.$port 2>&1 &
done
sleep 1

inA() { ip.real netns exec $A "$@"; }
# rtt NAME ADDR PORT COUNT INTERVAL_MS: median RTT in whole ms (-1: none)
rtt()
{
	inA netprobe udp "$2" "$3" "$4" "$5" >/tmp/udp.out 2>&1
	cat /tmp/udp.out >&2
	med=$(awk '/^rtt_ms/ && $2 != "none" {printf "%d", $3}' /tmp/udp.out)
	[ -n "$med" ] || med=-1
	lo=$(awk '/^rtt_ms/ && $2 != "none" {printf "%d", $2}' /tmp/udp.out)
	hi=$(awk '/^rtt_ms/ && $2 != "none" {printf "%d", $4}' /tmp/udp.out)
	got=$(awk '/^sent/{print $4}' /tmp/udp.out)
	value "$1" "$med"
}
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
apply() { chaosd net apply --netns $A --dev va "$@" >/tmp/apply.out 2>&1; }
clear_() { chaosd net clear --netns $A --dev va >/dev/null 2>&1; }
clean() { ! tc.real -n $A qdisc show dev va | grep -q 'c405:'; }
notclean() { ! clean; }

rtt baseline 10.199.0.2 5001 20 20
base=$med
check "baseline rtt below 30ms ($base)" between "$base" 0 30

# --- delay, untargeted (ssh excluded by default)
check "apply --delay 100ms" apply --delay 100ms
tc.real -n $A qdisc show dev va >/tmp/q
cat /tmp/q
check "netem leaf reads back delay 100ms" grep -q 'netem c406: parent c405:1 limit 1000 delay 100ms' /tmp/q
rtt delay100 10.199.0.2 5001 20 20
check "delay 100ms: rtt $med in [95, 250]" between "$med" 95 250
inA ping -c 10 -i 0.2 10.199.0.2 >/tmp/ping.out 2>&1
tail -n 2 /tmp/ping.out
pavg=$(awk -F/ '/min\/avg\/max/{printf "%d", $4}' /tmp/ping.out)
value ping_delay100 "${pavg:--1}"
check "delay 100ms: ping avg ${pavg:-none} ms in [95, 250]" between "${pavg:--1}" 95 250
inA netprobe connect 10.199.0.2 5001 10 >/tmp/conn.out 2>&1
cat /tmp/conn.out
conn=$(awk '/^connect_ms/{printf "%d", $3}' /tmp/conn.out)
value connect_delay100 "$conn"
check "delay 100ms: tcp connect $conn ms in [95, 300]" between "${conn:--1}" 95 300
rtt ssh_excluded 10.199.0.2 22 20 20
check "port 22 excluded: rtt $med below 40" between "$med" 0 40
clear_
check "clear" clean
rtt after_clear 10.199.0.2 5001 20 20
check "after clear: rtt $med below 40" between "$med" 0 40

# --- a plain root netem (nothing excluded), 64-bit latency read back
check "apply --delay 1500ms --exclude-port none" apply --delay 1500ms --exclude-port none
tc.real -n $A qdisc show dev va | grep -q 'netem c405: root .*delay 1.5s' &&
	ok "root netem c405: delay 1.5s" || bad "root netem c405: delay 1.5s"
clear_

# --- loss over 300 packets
check "apply --loss 30%" apply --loss 30% --exclude-port none
rtt loss30 10.199.0.2 5001 300 5
value loss30_received "$got"
check "loss 30%: received $got of 300 in [150, 255]" between "$got" 150 255
clear_

# --- Gilbert-Elliott: p 10%, r 50%: about 1/6 lost
check "apply --loss-ge 10%,50%" apply --loss-ge 10%,50% --exclude-port none
tc.real -n $A qdisc show dev va | grep -q 'loss gemodel p 10%' &&
	ok "gemodel reads back" || bad "gemodel reads back: $(tc.real -n $A qdisc show dev va)"
rtt loss_ge 10.199.0.2 5001 300 5
value loss_ge_received "$got"
check "loss-ge: received $got of 300 in [180, 290]" between "$got" 180 290
clear_

# --- jitter with the normal distribution table
check "apply --delay 60ms --jitter 30ms --distribution normal" \
	apply --delay 60ms --jitter 30ms --distribution normal --exclude-port none
tc.real -n $A qdisc show dev va | grep -q 'delay 60ms  30ms' &&
	ok "jitter reads back" || bad "jitter reads back: $(tc.real -n $A qdisc show dev va)"
rtt jitter 10.199.0.2 5001 60 30
value jitter_min "$lo"
value jitter_max "$hi"
check "jitter: median $med in [40, 150]" between "$med" 40 150
check "jitter: spread $lo..$hi at least 20ms" [ $((hi - lo)) -ge 20 ]
clear_

# --- the rest of netem's options, read back as tc shows them
check "apply duplicate/corrupt/reorder/rate" apply --delay 10ms --duplicate 10% \
	--corrupt 5% --reorder 25% --gap 5 --rate 1mbit --limit 500 --exclude-port none
tc.real -n $A qdisc show dev va >/tmp/q
cat /tmp/q
for want in 'limit 500' 'duplicate 10%' 'corrupt 5%' 'reorder 25%' 'gap 5' 'rate 1Mbit'; do
	grep -q "$want" /tmp/q && ok "reads back '$want'" || bad "reads back '$want'"
done
clear_
check "apply --delay 20ms --rate 2mbit" apply --delay 20ms --rate 2mbit
t=$(inA netprobe send 10.199.0.2 5001 3000 | awk '/^bits_per_sec/{printf "%d", $2}')
value netem_rate_2mbit "$t"
check "netem rate 2mbit: $t bit/s in [1000000, 3000000]" between "${t:-0}" 1000000 3000000
clear_

# --- targeting: dst
check "apply --delay 100ms --dst 10.199.0.2/32" apply --delay 100ms --dst 10.199.0.2/32
rtt dst_targeted 10.199.0.2 5001 20 20
check "dst targeted: rtt $med in [95, 250]" between "$med" 95 250
rtt dst_other 10.199.0.3 5001 20 20
check "other dst untouched: rtt $med below 40" between "$med" 0 40
clear_

# --- targeting: port
check "apply --delay 100ms --dport 5001 --proto udp" apply --delay 100ms --dport 5001 --proto udp
rtt port_targeted 10.199.0.2 5001 20 20
check "dport targeted: rtt $med in [95, 250]" between "$med" 95 250
rtt port_other 10.199.0.2 5002 20 20
check "other port untouched: rtt $med below 40" between "$med" 0 40
clear_
check "clean after targeting" clean

# --- ingress: B's incoming traffic, through an IFB
chaosd net apply --netns $B --dev vb --ingress --delay 100ms >/tmp/apply.out 2>&1 &&
	ok "apply --ingress" || bad "apply --ingress: $(cat /tmp/apply.out)"
rtt ingress 10.199.0.2 5001 20 20
check "ingress delay: rtt $med in [95, 250]" between "$med" 95 250
chaosd net clear --netns $B --dev vb >/dev/null 2>&1
ip.real -n $B link show | grep -q cdifb && bad "IFB left after clear" || ok "IFB removed"
rtt ingress_cleared 10.199.0.2 5001 20 20
check "after ingress clear: rtt $med below 40" between "$med" 0 40

# --- revert on SIGTERM: exit 3
chaosd net apply --netns $A --dev va --delay 100ms --for 1m >/tmp/for.out 2>&1 &
pid=$!
i=0; while clean && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait $pid
st=$?
check "SIGTERM: exit 3 (got $st)" [ "$st" = 3 ]
check "SIGTERM: reverted" clean

# --- guardian after SIGKILL: a foreground fault is bound to its chaosd,
# so the guardian takes it down at once, not at the end of its window
chaosd net apply --netns $A --dev va --delay 100ms --for 2m >/tmp/for.out 2>&1 &
pid=$!
i=0; while clean && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "applied before SIGKILL" notclean
kill -KILL $pid
wait $pid 2>/dev/null
i=0; while ! clean && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
value guardian_revert_tenths "$i"
check "guardian reverted after SIGKILL, long before the window's end" clean

# --- recover
check "apply --ttl none" apply --delay 100ms --ttl none
chaosd recover >/tmp/rec.out 2>&1
check "recover exit 0" [ $? = 0 ]
check "recover reverted" clean
chaosd recover >/tmp/rec.out 2>&1
check "recover again: nothing to do" grep -q 'nothing to recover' /tmp/rec.out

# --- doctor on a kernel with netem
chaosd doctor >/tmp/doctor.out 2>&1
cat /tmp/doctor.out
check "doctor: netem ok" grep -q '^netem (sch_netem) *ok' /tmp/doctor.out

echo "VMTEST done $failures"
