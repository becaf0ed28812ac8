#!/bin/sh
# bench-start: what a process pays at start (issue #15), side by side in
# one run, medians of the CPU time (user + sys, from rusage) of
# interleaved rounds:
#  - 300 short processes, sh -c 'for i in $(seq 300); do /bin/true; done',
#    under the dormant shim against the same loop under an empty preloaded
#    library (the floor of any preload): target <= 1.05;
#  - chaosd exec -- /bin/true against env LD_PRELOAD=libinject.so
#    /bin/true (what chaosd adds to the shim), each 20 times in a loop:
#    target <= 2.
: "${LIBINJECT:?}" "${CHAOSD:?}" "${EMPTY_SO:?}"
rounds=${BENCH_ROUNDS:-11}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$EMPTY_SO" ] || { echo "bench-start: no $EMPTY_SO" >&2; exit 1; }
# the shim must be there for real: a fault in the same loop is seen
if LD_PRELOAD=$LIBINJECT CHAOS_INJECT='execve,execv,execvp,posix_spawn:error=EPERM' \
	sh -c '/bin/true' 2>/dev/null; then
	echo "bench-start: the shim did not inject into sh; not timing" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {	# label, then the command; appends its CPU ns to $tmp/label
	label=$1; shift
	python3 "$here/cputime.py" "$@" >>"$tmp/$label" ||
		{ echo "bench-start: '$*' failed" >&2; exit 1; }
}
loop='for i in $(seq 300); do /bin/true; done'
execs='for i in $(seq 20); do "$0" exec -- /bin/true; done'
envs='for i in $(seq 20); do env LD_PRELOAD="$0" /bin/true; done'
i=0
while [ $i -lt "$rounds" ]; do
	run plain sh -c "$loop"
	run empty env LD_PRELOAD="$EMPTY_SO" sh -c "$loop"
	run dormant env LD_PRELOAD="$LIBINJECT" sh -c "$loop"
	run exec sh -c "$execs" "$CHAOSD"
	run env sh -c "$envs" "$LIBINJECT"
	i=$((i + 1))
done

median() { sort -n "$tmp/$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
plain=$(median plain) empty=$(median empty) dormant=$(median dormant)
exec=$(median exec) env=$(median env)
echo "300 processes (sh -c 'for i in \$(seq 300); do /bin/true; done'), CPU time, median of $rounds interleaved rounds:"
printf '  %-40s %8.1f ms\n' "plain" "$(ratio "$plain" 1000000)"
printf '  %-40s %8.1f ms  %sx plain\n' "empty preloaded library" \
	"$(ratio "$empty" 1000000)" "$(ratio "$empty" "$plain")"
printf '  %-40s %8.1f ms  %sx plain, %sx the empty library (target <= 1.05)\n' \
	"libinject dormant" "$(ratio "$dormant" 1000000)" \
	"$(ratio "$dormant" "$plain")" "$(ratio "$dormant" "$empty")"
printf '  per process beyond the empty library: %s us\n' \
	"$(awk -v a="$dormant" -v b="$empty" 'BEGIN { printf "%.1f", (a - b) / 300 / 1000 }')"
echo "chaosd exec -- /bin/true, 20 times, CPU time, median of $rounds interleaved rounds:"
printf '  %-40s %8.1f ms\n' "env LD_PRELOAD=libinject.so /bin/true" "$(ratio "$env" 1000000)"
printf '  %-40s %8.1f ms  %sx (target <= 2)\n' "chaosd exec -- /bin/true" \
	"$(ratio "$exec" 1000000)" "$(ratio "$exec" "$env")"
