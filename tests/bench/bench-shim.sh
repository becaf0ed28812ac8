#!/bin/sh
# bench-shim: the shim's cost on dd's one-byte copy (two libc calls per
# byte), side by side with the plain run and with libfiu, in one run.
# Prints medians of the CPU time of interleaved rounds (CPU time hardly
# moves with other load, wall time does) and the ratios the shim is held to:
# dormant <= 1.03x plain, armed-but-not-matching <= 1.10x plain,
# probability=0 <= 0.75x libfiu's probability=0.
: "${LIBINJECT:?}"
rounds=${BENCH_ROUNDS:-11}
count=${BENCH_COUNT:-400000}
dd_cmd="dd if=/dev/zero of=/dev/null bs=1 count=$count"

have_fiu=no
command -v fiu-run >/dev/null 2>&1 && have_fiu=yes

# Each peer must really inject before it is timed.
if LD_PRELOAD=$LIBINJECT CHAOS_INJECT='read:error=EIO' \
	dd if=/dev/zero of=/dev/null bs=1 count=10 2>/dev/null; then
	echo "bench-shim: libinject did not inject; not timing" >&2
	exit 1
fi
if [ $have_fiu = yes ] && fiu-run -x -c 'enable name=posix/io/rw/read' \
	dd if=/dev/zero of=/dev/null bs=1 count=10 2>/dev/null; then
	echo "bench-shim: libfiu did not inject; leaving it out" >&2
	have_fiu=no
fi

here=$(cd "$(dirname "$0")" && pwd)
run() {	# label, then the command; appends its CPU ns to $tmp/label
	label=$1; shift
	python3 "$here/cputime.py" "$@" >>"$tmp/$label"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ $i -lt $rounds ]; do
	run plain $dd_cmd
	run dormant env LD_PRELOAD=$LIBINJECT $dd_cmd
	run table env LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/disarmed.table $dd_cmd
	run nomatch env LD_PRELOAD=$LIBINJECT \
		CHAOS_INJECT='%read:path=/nonexistent/*:error=EIO' $dd_cmd
	run prob0 env LD_PRELOAD=$LIBINJECT \
		CHAOS_INJECT='read:error=EIO:probability=0' $dd_cmd
	[ $have_fiu = yes ] && run fiu fiu-run -x \
		-c 'enable_random name=posix/io/rw/read,probability=0' $dd_cmd
	i=$((i + 1))
done

median() { sort -n "$tmp/$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
plain=$(median plain)
dormant=$(median dormant)
nomatch=$(median nomatch)
table=$(median table)
prob0=$(median prob0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "dd bs=1 count=$count, CPU time (user+sys), median of $rounds interleaved rounds:"
printf '  %-38s %8.1f ms\n' "plain" "$(ratio "$plain" 1000000)"
printf '  %-38s %8.1f ms  %sx plain (target <= 1.03)\n' "libinject dormant" \
	"$(ratio "$dormant" 1000000)" "$(ratio "$dormant" "$plain")"
printf '  %-38s %8.1f ms  %sx plain (target <= 1.03)\n' \
	"libinject dormant, CHAOS_TABLE disarmed" \
	"$(ratio "$table" 1000000)" "$(ratio "$table" "$plain")"
printf '  %-38s %8.1f ms  %sx plain (target <= 1.10)\n' \
	"libinject armed, no match (%read:path)" \
	"$(ratio "$nomatch" 1000000)" "$(ratio "$nomatch" "$plain")"
printf '  %-38s %8.1f ms  %sx plain\n' "libinject read:probability=0" \
	"$(ratio "$prob0" 1000000)" "$(ratio "$prob0" "$plain")"
if [ $have_fiu = yes ]; then
	fiu=$(median fiu)
	printf '  %-38s %8.1f ms  %sx plain\n' "libfiu posix/io/rw/read probability=0" \
		"$(ratio "$fiu" 1000000)" "$(ratio "$fiu" "$plain")"
	printf '  libinject probability=0 / libfiu probability=0: %sx (target <= 0.75)\n' \
		"$(ratio "$prob0" "$fiu")"
else
	echo "  libfiu (fiu-run) not installed: no peer ratio"
fi
