#!/bin/sh
# The dormant shim's start-up is at the floor of any preload (issue #15):
# a preloaded /bin/true, and a shell, make no more system calls than under
# an empty preloaded library (give or take the one mapping of the shim's
# larger zeroed data), load no shared library beside the shim, and read
# nothing from /proc, and take no more page faults than it, give or take
# a few; the faults still apply to the same shell.
. "$abs_top_srcdir/tests/integration/init.sh"
require_prog_ strace

EMPTY=$abs_top_builddir/tests/bench/.libs/libbenchempty.so
[ -f "$EMPTY" ] || framework_failure_ "no $EMPTY"

count()	# LIB CMD...: the system calls CMD makes under LD_PRELOAD=LIB
{
	count_lib_=$1
	shift
	strace -o "$tmp/calls" env LD_PRELOAD="$count_lib_" "$@" >/dev/null 2>&1 ||
		framework_failure_ "strace $* failed"
	grep -c . "$tmp/calls"
}

for cmd in /bin/true "sh -c true"; do
	floor=$(count "$EMPTY" $cmd)
	n=$(count "$LIBINJECT" $cmd)
	expect_range "system calls of '$cmd', dormant shim (empty library: $floor)" \
		"$floor" $((floor + 2)) "$n"
	grep -E '^open.*\.so(\.[0-9]+)*"' "$tmp/calls" |
		grep -Ev '/libinject\.so"|/libc\.so\.6"' >"$tmp/libs"
	expect_eq "'$cmd': libraries opened beside the shim and libc" "" "$(cat "$tmp/libs")"
	expect_no_grep '/proc/' "$tmp/calls" "'$cmd': /proc"
done

# Page faults, the larger part of a short process's start-up here: the
# median minor faults of 21 runs (spawned without a copy of the caller's
# memory to fault in), dormant shim against the empty library. The shim's
# writable data shares the pages any library dirties, its exit code sits
# beside its constructor, and a dormant call touches the armed page and
# the names it resolves: /bin/true 1 more, cat 3 (before: 7 and 9).
cat >"$tmp/minflt.py" <<'PY'
import os, sys
env = dict(os.environ, LD_PRELOAD=sys.argv[1])
runs = []
for i in range(21):
    pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        sys.exit("%s: status %d" % (sys.argv[2], status))
    runs.append(usage.ru_minflt)
print(sorted(runs)[10])
PY
echo data >"$tmp/f"
for spec in "3 /bin/true" "5 cat $tmp/f"; do
	set -- $spec
	more=$1
	shift
	floor=$(python3 "$tmp/minflt.py" "$EMPTY" "$@") ||
		framework_failure_ "minor faults of '$*'"
	n=$(python3 "$tmp/minflt.py" "$LIBINJECT" "$@") ||
		fail_ "'$*' under the shim"
	expect_range "minor faults of '$*', dormant shim (empty library: $floor)" \
		0 $((floor + more)) "$n"
done

# the same shell, armed: the first call of a hook resolves it on the spot
run_shim "%read:path=$tmp/f:error=EIO" sh -c "cat '$tmp/f'" >out 2>err &&
	fail_ "cat read a file whose reads fail"
expect_grep 'Input/output error' err
exit 0
