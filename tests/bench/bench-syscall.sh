#!/bin/sh
# Syscall faults: chaosd's seccomp supervisor against strace's injection
# (ptrace), and the cost of an in-kernel errno rule. Prints ratios, fails
# only if it cannot run. Each peer is first checked to really inject.
#
# 1. a static loop of raw getppid under a rule that never fires:
#    chaosd -s getppid:after=HUGE:error=EPERM (every call is a round trip
#    to the supervisor) vs strace -f --seccomp-bpf -e trace=getppid
#    -e inject=getppid:error=EPERM:when=65535. Per-call overhead over the
#    bare loop; chaosd should be at least 5x cheaper.
# 2. a loop of getpid under -s getppid:error=EPERM (in the kernel) vs the
#    same loop under chaosd exec with no rule: should be <= 1.05x.
RAWSYS=${HELPERS:?}/rawsys
CHAOSD=${CHAOSD:?}
[ -x "$RAWSYS" ] || { echo "no $RAWSYS: make check builds it"; exit 1; }
N_CHAOSD=${N_CHAOSD:-100000}
N_STRACE=${N_STRACE:-3000}
N_OTHER=${N_OTHER:-3000000}
REPEAT=${REPEAT:-5}

now_ns() { date +%s%N; }

# best_ns CMD...: the fastest of REPEAT runs, in ns
best_ns() {
	best=
	i=0
	while [ $i -lt "$REPEAT" ]; do
		t=$(now_ns)
		"$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; return 1; }
		t=$(( $(now_ns) - t ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
		i=$((i + 1))
	done
	echo "$best"
}

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

# --- 1. notify round trips vs ptrace
bare_c=$(best_ns "$RAWSYS" loop "$N_CHAOSD") || exit 1
bare_s=$(best_ns "$RAWSYS" loop "$N_STRACE") || exit 1
run_c=$(best_ns "$CHAOSD" exec -s 'getppid:after=1000000000:error=EPERM' -- \
	"$RAWSYS" loop "$N_CHAOSD") || exit 1
idle_c=$(best_ns "$CHAOSD" exec -- "$RAWSYS" loop 0) || exit 1
per_c=$(awk -v r="$run_c" -v b="$bare_c" -v i="$idle_c" -v n="$N_CHAOSD" \
	'BEGIN { x = (r - i - b) / n; if (x < 1) x = 1; printf "%.0f", x }')
echo "chaosd notify rule (never fires): $per_c ns per getppid ($N_CHAOSD calls)"
if [ "$have_strace" = yes ]; then
	run_s=$(best_ns strace -f -o /dev/null --seccomp-bpf -e trace=getppid \
		-e inject=getppid:error=EPERM:when=65535 "$RAWSYS" loop "$N_STRACE") ||
		exit 1
	idle_s=$(best_ns strace -f -o /dev/null --seccomp-bpf -e trace=getppid \
		"$RAWSYS" loop 0) || exit 1
	per_s=$(awk -v r="$run_s" -v b="$bare_s" -v i="$idle_s" -v n="$N_STRACE" \
		'BEGIN { x = (r - i - b) / n; if (x < 1) x = 1; printf "%.0f", x }')
	echo "strace inject (never fires):      $per_s ns per getppid ($N_STRACE calls)"
	awk -v s="$per_s" -v c="$per_c" 'BEGIN { printf "ratio strace/chaosd per call: %.1fx (want >= 5x)\n", s / c }'
fi

# --- 2. in-kernel errno rule on one syscall, loops of others: getpid (the
# cheapest syscall there is: the worst case) and 1-byte reads of /dev/zero
for mode in other read; do
	base=$(best_ns "$CHAOSD" exec -- "$RAWSYS" $mode "$N_OTHER") || exit 1
	rule=$(best_ns "$CHAOSD" exec -s 'getppid:error=EPERM' -- \
		"$RAWSYS" $mode "$N_OTHER") || exit 1
	what=getpid; [ $mode = read ] && what="read(/dev/zero, 1)"
	awk -v r="$rule" -v b="$base" -v n="$N_OTHER" -v w="$what" 'BEGIN {
		printf "in-kernel errno rule (getppid), %d x %s: %.3fx the time without it, %.1f ns per call more (want <= 1.05x)\n", n, w, r / b, (r - b) / n }'
done
exit 0
