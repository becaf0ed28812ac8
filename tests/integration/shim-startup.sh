#!/bin/sh
# The dormant shim's start-up is at the floor of any preload (issue #15):
# a preloaded /bin/true, and a shell, make no more system calls than under
# an empty preloaded library (give or take the one mapping of the shim's
# larger zeroed data), load no shared library beside the shim, and read
# nothing from /proc; the faults still apply to the same shell.
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

# the same shell, armed: the first call of a hook resolves it on the spot
echo data >"$tmp/f"
run_shim "%read:path=$tmp/f:error=EIO" sh -c "cat '$tmp/f'" >out 2>err &&
	fail_ "cat read a file whose reads fail"
expect_grep 'Input/output error' err
exit 0
