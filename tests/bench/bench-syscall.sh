#!/bin/sh
# Syscall faults: chaosd's seccomp supervisor against strace's injection
# (ptrace), and the cost of an in-kernel errno rule. Prints ratios, fails
# only if it cannot run. Each peer is first checked to really inject.
#
# 1. a static loop of raw getppid under a rule that never fires:
#    chaosd -s getppid:after=HUGE:error=EPERM (every call is a round trip
#    to the supervisor) vs strace -f --seccomp-bpf -e trace=getppid
#    -e inject=getppid:error=EPERM:when=65535. Per-call overhead over the
#    bare loop; chaosd should be at least 5x cheaper. One round trip to
#    another process (2 context switches) is the floor of any supervisor:
#    it is printed beside, measured with a pipe ping-pong.
# 2. loops of getpid and of 1-byte reads under -s getppid:error=EPERM (in
#    the kernel) vs the same loops under chaosd exec with no rule: should be
#    <= 1.05x. What is left is the kernel's seccomp entry work (the filter's
#    result for an unnamed syscall is cached by the kernel): a few ns a call
#    whatever the filter's length.
# Medians of interleaved rounds (REPEAT), timed inside the loops (wall time
# for 1, CPU time for 2); N_* set the loop sizes.
RAWSYS=${HELPERS:?}/rawsys
CHAOSD=${CHAOSD:?}
[ -x "$RAWSYS" ] || { echo "no $RAWSYS: make check builds it"; exit 1; }
N_CHAOSD=${N_CHAOSD:-100000}
N_STRACE=${N_STRACE:-3000}
N_OTHER=${N_OTHER:-2000000}
REPEAT=${REPEAT:-7}

# round NAME FIELD CMD...: run CMD (a rawsys loop), append the loop's own
# FIELD (wall_ns or cpu_ns, measured inside it: no start-up costs) to
# $tmp/NAME. Rounds of the commands interleave, so that a busy machine
# weighs on all of them alike.
round() {
	name=$1 field=$2; shift 2
	out=$("$@" 2>/dev/null) || { echo "FAILED: $*" >&2; exit 1; }
	v=${out#*$field=}
	echo "${v%% *}" >>"$tmp/$name"
}
med() { sort -n "$tmp/$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-syscall.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

failed_of() { out=$("$@" 2>/dev/null); f=${out#*failed=}; echo "${f%% *}"; }

if ! grep -qw user_notif /proc/sys/kernel/seccomp/actions_avail 2>/dev/null; then
	echo "bench-syscall: skipped: no seccomp user notification here"
	exit 0
fi

# --- do the peers inject?
f=$(failed_of "$CHAOSD" exec -s 'getppid:after=2:error=EPERM' -- "$RAWSYS" count 5)
[ "$f" = 3 ] || { echo "chaosd does not inject (failed=$f, want 3)"; exit 1; }
have_strace=no
if command -v strace >/dev/null 2>&1; then
	f=$(failed_of strace -f -o /dev/null --seccomp-bpf -e trace=getppid \
		-e inject=getppid:error=EPERM:when=3+ "$RAWSYS" count 5)
	if [ "$f" = 3 ]; then have_strace=yes
	else echo "strace does not inject here (failed=$f): its row is skipped"; fi
else
	echo "no strace: its row is skipped"
fi
f=$(failed_of "$CHAOSD" exec -s 'getppid:error=EPERM' -- "$RAWSYS" count 5)
[ "$f" = 5 ] || { echo "the in-kernel rule does not inject (failed=$f)"; exit 1; }

# --- 1. notify round trips vs ptrace, 2. the in-kernel rule: interleaved
strace_() {
	strace -f -o /dev/null --seccomp-bpf -e trace=getppid "$@"
}
i=0
while [ $i -lt "$REPEAT" ]; do
	round bare wall_ns "$RAWSYS" loop "$N_CHAOSD"
	round pingpong wall_ns "$RAWSYS" pingpong "$N_CHAOSD"
	round chaosd wall_ns "$CHAOSD" exec \
		-s 'getppid:after=1000000000:error=EPERM' -- "$RAWSYS" loop "$N_CHAOSD"
	if [ "$have_strace" = yes ]; then
		round bare_s wall_ns "$RAWSYS" loop "$N_STRACE"
		round strace wall_ns strace_ -e inject=getppid:error=EPERM:when=65535 \
			"$RAWSYS" loop "$N_STRACE"
	fi
	for mode in other read; do
		round base_$mode cpu_ns "$CHAOSD" exec -- "$RAWSYS" $mode "$N_OTHER"
		round rule_$mode cpu_ns "$CHAOSD" exec -s 'getppid:error=EPERM' -- \
			"$RAWSYS" $mode "$N_OTHER"
	done
	i=$((i + 1))
done

echo "medians of $REPEAT interleaved rounds, timed inside the loops:"
per_c=$(awk -v r="$(med chaosd)" -v b="$(med bare)" -v n="$N_CHAOSD" \
	'BEGIN { x = (r - b) / n; if (x < 1) x = 1; printf "%.0f", x }')
echo "  chaosd notify rule (never fires): $per_c ns more per getppid (wall)"
awk -v p="$(med pingpong)" -v n="$N_CHAOSD" -v c="$per_c" 'BEGIN {
	printf "  floor: a pipe round trip between two processes: %.0f ns (chaosd: %.2fx it)\n", p / n, c / (p / n) }'
if [ "$have_strace" = yes ]; then
	per_s=$(awk -v r="$(med strace)" -v b="$(med bare_s)" -v n="$N_STRACE" \
		'BEGIN { x = (r - b) / n; if (x < 1) x = 1; printf "%.0f", x }')
	echo "  strace inject (never fires):      $per_s ns more per getppid (wall)"
	awk -v s="$per_s" -v c="$per_c" 'BEGIN {
		printf "  ratio strace / chaosd per call: %.1fx (want >= 5x)\n", s / c }'
fi
for mode in other read; do
	what=getpid; [ $mode = read ] && what="read(/dev/zero, 1)"
	awk -v r="$(med rule_$mode)" -v b="$(med base_$mode)" -v n="$N_OTHER" \
	    -v w="$what" 'BEGIN {
		printf "  in-kernel errno rule (getppid), %d x %s: %.3fx the CPU time without it, %+.1f ns a call (want <= 1.05x)\n", n, w, r / b, (r - b) / n }'
done
exit 0
