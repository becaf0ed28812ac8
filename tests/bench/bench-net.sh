#!/bin/sh
# bench-net: applying and clearing 100 tbf faults on a veth in a network
# namespace of its own: through one chaosd process (net bench: the path
# apply and clear take, journal included), through 100 pairs of chaosd
# apply/clear commands, and through 100 pairs of tc qdisc add/del
# processes, side by side in one run. Prints the times and the ratios.
# Needs root; says so and exits 0 without it (a benchmark, not a test).
n=${BENCH_NET_COUNT:-100}
[ "$(id -u)" = 0 ] || { echo "bench-net: needs root (network namespaces): skipped"; exit 0; }
command -v tc >/dev/null 2>&1 || { echo "bench-net: no tc: skipped"; exit 0; }
[ -x "$CHAOSD" ] || { echo "bench-net: no chaosd at '$CHAOSD'"; exit 1; }

ns=cdbench$$
dev=cdbv$$
run=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-bench-net.XXXXXX") || exit 1
trap 'ip netns del $ns 2>/dev/null; rm -rf "$run"' EXIT
ip netns add $ns || exit 1
ip -n $ns link add $dev type veth peer name ${dev}p || exit 1
ip -n $ns link set $dev up
CHAOSD_RUNDIR=$run/journal
export CHAOSD_RUNDIR

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

t0=$(now)
"$CHAOSD" net bench --netns $ns --dev $dev --rate 8mbit --exclude-port none \
	--count "$n" >/dev/null || exit 1
t1=$(now)
i=0
while [ $i -lt "$n" ]; do
	"$CHAOSD" net apply --netns $ns --dev $dev --rate 8mbit \
		--exclude-port none --ttl none >/dev/null || exit 1
	"$CHAOSD" net clear --netns $ns --dev $dev >/dev/null || exit 1
	i=$((i + 1))
done
t2=$(now)
i=0
while [ $i -lt "$n" ]; do
	tc -n $ns qdisc add dev $dev root handle c405: tbf rate 8mbit \
		burst 10000 limit 110000 || exit 1
	tc -n $ns qdisc del dev $dev root || exit 1
	i=$((i + 1))
done
t3=$(now)

one=$(ms "$t0" "$t1")
cmds=$(ms "$t1" "$t2")
tcs=$(ms "$t2" "$t3")
[ "$one" -gt 0 ] || one=1
[ "$cmds" -gt 0 ] || cmds=1
echo "apply+clear $n tbf faults:"
echo "  one chaosd process (net bench)    $one ms"
echo "  $n chaosd apply/clear pairs       $cmds ms"
echo "  $n tc qdisc add/del pairs         $tcs ms"
awk -v a="$one" -v b="$cmds" -v c="$tcs" 'BEGIN {
	printf "  ratio tc / one chaosd process:  %.1fx\n", c / a
	printf "  ratio tc / chaosd commands:     %.2fx\n", c / b
}'
