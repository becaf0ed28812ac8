#!/bin/sh
# bench-stress: chaosd's stressors side by side with stress-ng, the peer
# (a Debian package, benchmarked here, not a dependency), in one run:
#   - a memory spike of 1 GiB (BENCH_MEM): the time to have it resident,
#     how close the resident size is to it, and the CPU seconds the
#     stressor burns while it holds it for BENCH_HOLD seconds (30):
#     chaosd stress memory 1G against stress-ng --vm 1 --vm-bytes 1G
#     --vm-keep;
#   - the CPU load of one worker asked for 25%, 50% and 75%, measured
#     from its CPU time: chaosd stress cpu against stress-ng --cpu 1
#     --cpu-load;
#   - apply-to-revert: a pause of a process and its resume by chaosd proc
#     pause, against kill -STOP and kill -CONT; and how soon the guardian
#     resumes a paused process after SIGKILL of its chaosd.
# Prints the numbers and the ratios. A benchmark, not a test: it fails
# only when it cannot run.
mem=${BENCH_MEM:-1G}
hold=${BENCH_HOLD:-30}
[ -x "$CHAOSD" ] || { echo "bench-stress: no chaosd at '$CHAOSD'"; exit 1; }
command -v stress-ng >/dev/null 2>&1 ||
	{ echo "bench-stress: no stress-ng (apt-get install stress-ng): skipped"; exit 0; }
run=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-bench-stress.XXXXXX") || exit 1
trap 'kill $bgs 2>/dev/null; rm -rf "$run"' EXIT
CHAOSD_RUNDIR=$run/journal
export CHAOSD_RUNDIR
hz=$(getconf CLK_TCK)
bgs=

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_kb() { sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }
# every process named NAME below PARENT (children, theirs...)
below_named()
{
	for c in $(pgrep -P "$1"); do
		[ "$(cat /proc/$c/comm 2>/dev/null)" = "$2" ] && echo "$c"
		below_named "$c" "$2"
	done
}
# the one of them holding the most memory (stress-ng's vm stressor is
# the child of a process of the same name)
child_named()
{
	best= most=-1
	for c in $(below_named "$1" "$2"); do
		r=$(rss_kb "$c")
		[ "${r:-0}" -gt "$most" ] && { best=$c; most=${r:-0}; }
	done
	[ -n "$best" ] && echo "$best"
}

# start_stressor CMD...: CMD in the background ($top), and its process
# named $comm once it is there ($p)
start_stressor()
{
	"$@" >"$run/$name.out" 2>&1 &
	top=$!
	bgs="$bgs $top"
	p=
	while [ -z "$p" ] && kill -0 $top 2>/dev/null; do
		p=$(child_named $top "$comm")
		sleep 0.01
	done
}

want_kb=$(echo "$mem" | awk '{ n = $1 + 0; u = substr($1, length($1));
	print (u == "G" ? n * 1048576 : u == "M" ? n * 1024 : n / 1024) }')

# spike NAME COMM CMD...: start CMD (which holds until killed), find its
# stressor process COMM, time it to 99% of the size (2 minutes at most),
# then its RSS and CPU while it holds for $hold seconds
spike()
{
	name=$1 comm=$2
	shift 2
	t0=$(now_ms)
	start_stressor "$@"
	r=0
	while [ "${r:-0}" -lt $((want_kb / 100 * 99)) ] &&
	    [ $(( $(now_ms) - t0 )) -lt 120000 ]; do
		sleep 0.01
		p=$(child_named $top "$comm")
		r=$(rss_kb "$p")
	done
	reach=$(( $(now_ms) - t0 ))
	c0=$(cpu_ticks "$p")
	sleep 1
	rss=$(rss_kb "$p")
	sleep $((hold - 1))
	c1=$(cpu_ticks "$p")
	kill -TERM $top
	wait $top 2>/dev/null
	cpu=$(awk -v t=$((c1 - c0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
	acc=$(awk -v r="$rss" -v w="$want_kb" 'BEGIN { printf "%.2f", 100 * r / w }')
	printf '  %-9s reached in %6d ms, resident %6.2f%% of %s, CPU %6ss while holding %ss\n' \
		"$name" "$reach" "$acc" "$mem" "$cpu" "$hold"
	eval "${name}_reach=$reach ${name}_cpu=$cpu ${name}_acc=$acc"
}

echo "memory spike of $mem, held ${hold}s:"
spike chaosd chaosd-stress "$CHAOSD" stress memory "$mem"
spike stressng stress-ng-vm stress-ng --vm 1 --vm-bytes "$mem" --vm-keep
awk -v a="$chaosd_reach" -v b="$stressng_reach" -v c="$chaosd_cpu" \
    -v d="$stressng_cpu" 'BEGIN {
	printf "  time to reach, stress-ng / chaosd:          %.2fx\n", b / (a ? a : 1)
	if (c > 0)
		printf "  CPU while holding, stress-ng / chaosd:      %.0fx\n", d / c
	else
		printf "  CPU while holding: stress-ng %.2fs, chaosd none (less than a clock tick)\n", d
}'

# load NAME COMM CMD...: the CPU load of the process COMM of CMD (one
# worker asked for P% for 8 s), measured over 3 s once it has run 1 s
load()
{
	name=$1 comm=$2
	shift 2
	start_stressor "$@"
	sleep 1
	p=$(child_named $top "$comm")
	c0=$(cpu_ticks "$p")
	t0=$(now_ms)
	sleep 3
	c1=$(cpu_ticks "$p")
	t1=$(now_ms)
	wait $top 2>/dev/null
	awk -v t=$((c1 - c0)) -v hz="$hz" -v ms=$((t1 - t0)) \
	    'BEGIN { printf "%.1f", 100 * t / hz / (ms / 1000) }'
}

echo "CPU load of one worker, measured (asked):"
for pct in 25 50 75; do
	a=$(load chaosd chaosd-stress "$CHAOSD" stress cpu "$pct%" --workers 1 --for 8s)
	b=$(load stressng stress-ng-cpu stress-ng --cpu 1 --cpu-load "$pct" --timeout 8s)
	awk -v p="$pct" -v a="$a" -v b="$b" 'BEGIN {
		printf "  %2d%%: chaosd %5.1f%% (error %+5.1f), stress-ng %5.1f%% (error %+5.1f)\n",
		    p, a, a - p, b, b - p }'
done

echo "apply-to-revert, a pause of a process (20 times):"
sleep 600 &
victim=$!
bgs="$bgs $victim"
t0=$(now_ms)
i=0
while [ $i -lt 20 ]; do
	"$CHAOSD" proc pause --pid $victim --for 1ms >/dev/null || exit 1
	i=$((i + 1))
done
t1=$(now_ms)
i=0
while [ $i -lt 20 ]; do
	/bin/kill -STOP $victim
	/bin/kill -CONT $victim
	i=$((i + 1))
done
t2=$(now_ms)
awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) 'BEGIN {
	printf "  chaosd proc pause --for 1ms (journaled, confirmed): %6.1f ms each\n", a / 20 - 1
	printf "  kill -STOP, then kill -CONT (two processes):        %6.1f ms each\n", b / 20
	printf "  ratio chaosd / kill:                                %6.2fx\n", (a / 20 - 1) / (b / 20)
}'
"$CHAOSD" proc pause --pid $victim >/dev/null 2>&1 &
pauser=$!
while [ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$victim/status)" != T ]; do
	sleep 0.01
done
sleep 0.2
t0=$(now_ms)
kill -KILL $pauser
while [ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$victim/status)" = T ]; do
	sleep 0.01
done
echo "  resumed by the guardian $(( $(now_ms) - t0 )) ms after SIGKILL of its chaosd (it looks every 500 ms)"
kill $victim
exit 0
