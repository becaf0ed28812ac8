#!/bin/sh
# chaosd exec says when a rule reached nothing (issue #8): a rule that
# matched no call in any process is named, with the hint (a static or Go
# program's I/O bypasses libc: -s); one that matched but never fired
# says so; a statically linked program, which never loads the shim, is
# named; a rule that matched in a child only is not blamed. Processes
# that end by _exit() or exec report too; when none reported (killed),
# the reach is said to be unknown. CMD's exit status is unchanged, the
# shim's warnings still reach stderr, and nothing is left in TMPDIR.
. "$abs_top_srcdir/tests/integration/init.sh"
TMPDIR=$tmp/t; export TMPDIR
mkdir "$TMPDIR"
printf 'data\n' >"$tmp/file"

# a read of a path the program never reads: its data, and the rule named
expect_status 0 "$CHAOSD" exec -i 'read:path=/nonexistent:error=EIO' \
	-- cat "$tmp/file" >out 2>err
expect_eq "cat's output" data "$(cat out)"
expect_grep '^chaosd exec: rule rule1 matched no call: check its call and path \(.*use -s for a syscall rule\)' err
# it did happen: nothing said
expect_status 1 "$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" \
	-- cat "$tmp/file" >out 2>err
expect_grep 'Input/output error' err
expect_no_grep 'matched' err "a rule that happened"
# matched, never fired
expect_status 0 "$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO:nth=1000:name=late" \
	-- cat "$tmp/file" >out 2>err
expect_grep '^chaosd exec: rule late matched [0-9]+ calls? but injected none: its trigger never fired' err
# summed over the processes: the shell matched nothing, its child did
expect_status 1 "$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" \
	-- sh -c "cat '$tmp/file'; exit \$?" >out 2>err
expect_no_grep 'matched no call' err "a rule that matched in a child"
# the shim's warnings still reach stderr
CHAOS_TABLE=$tmp/no-such-dir/t expect_status 0 "$CHAOSD" exec \
	-i 'read:path=/nonexistent:error=EIO' -- cat "$tmp/file" >out 2>err
expect_grep "^libinject\[[0-9]+\] cat: refused table=$tmp/no-such-dir/t -- " err
# -v: every line, as with CHAOS_LOG=stderr
expect_status 1 "$CHAOSD" exec -v -i "%read:path=$tmp/file:error=EIO" \
	-- cat "$tmp/file" >out 2>err
expect_grep "^libinject\[[0-9]+\] cat: inject rule=rule1 call=" err
expect_grep "^libinject\[[0-9]+\] cat: summary rule=rule1 matched=[1-9][0-9]* injected=[1-9]" err
# the log's descriptor is handed down bound to its file: N:DEV:INO
expect_status 0 "$CHAOSD" exec -i 'read:path=/nonexistent:error=EIO' -- sh -c \
	'echo "$CHAOS_LOG_FD"; n=${CHAOS_LOG_FD%%:*}; echo "$n:$(stat -L -c %d:%i /proc/self/fd/$n)"' \
	>out 2>err
expect_grep '^[0-9]+:[0-9]+:[0-9]+$' out "CHAOS_LOG_FD"
expect_eq "CHAOS_LOG_FD names the descriptor's file" "$(sed -n 2p out)" "$(sed -n 1p out)"
# a process that ends by _exit() reports too (no exit handlers run)
require_python_
expect_status 0 "$CHAOSD" exec -i 'read:path=/nonexistent:error=EIO' \
	-- "$PYTHON" -c 'import os; os._exit(0)' >out 2>err
expect_grep '^chaosd exec: rule rule1 matched no call' err "after os._exit"
# and one that execs, before its image goes; should the exec fail, its
# counts start over: two summaries, 3 and 2 reads, summed to 5
expect_status 0 "$CHAOSD" exec -v \
	-i "%read:path=$tmp/file:error=EIO:nth=1000:name=late" -- "$PYTHON" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(3):
    os.read(fd, 1)
try:
    os.execv("/nonexistent", ["x"])
except OSError:
    pass
for i in range(2):
    os.read(fd, 1)' "$tmp/file" >out 2>err
expect_eq "summaries of the process that tried to exec" \
	"matched=3 injected=0,matched=2 injected=0," \
	"$(sed -n 's/^libinject\[[0-9]*\] .*: summary rule=late \(matched=[0-9]* injected=[0-9]*\) .*/\1/p' err | tr '\n' ,)"
expect_grep '^chaosd exec: rule late matched 5 calls but injected none' err
# a shell that execs a static program: the shell's summary names the rule
if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
	expect_status 0 "$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" \
		-- sh -c "exec /bin/busybox cat '$tmp/file'" >out 2>err
	expect_eq "busybox cat's output" data "$(cat out)"
	expect_grep '^chaosd exec: rule rule1 matched no call' err \
		"the shell that exec'd a static program"
else
	echo "no static /bin/busybox (busybox-static): the static exec is not tried"
fi
# no report at all (killed by a signal): the reach is unknown, said so
expect_status 137 "$CHAOSD" exec -i 'read:path=/nonexistent:error=EIO' \
	-- sh -c 'kill -9 $$' >out 2>err
expect_grep '^chaosd exec: no process reported what the rules matched .*whether they were reached is unknown' err
# CMD that cannot run: its error only
expect_status 127 "$CHAOSD" exec -i 'read:path=/nonexistent:error=EIO' \
	-- "$tmp/no-such-program" >out 2>err
expect_grep "no-such-program': No such file or directory" err
expect_eq "stderr when CMD is not found: lines" 1 "$(wc -l <err)"
# nothing left behind
expect_eq "left in TMPDIR" "" "$(ls "$TMPDIR")"

# a static program never loads the shim
if command -v gcc >/dev/null 2>&1 && cat >static.c <<'EOC' &&
#include <stdio.h>
int
main(int argc, char **argv)
{
	char	b[256];
	size_t	n;
	FILE	*f = fopen(argv[1], "r");

	if (f == NULL || (n = fread(b, 1, sizeof b, f), ferror(f))) {
		perror(argv[1]);
		return (1);
	}
	fwrite(b, 1, n, stdout);
	return (0);
}
EOC
	gcc -static -o static static.c 2>gcc.err; then
	expect_status 0 "$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" \
		-- ./static "$tmp/file" >out 2>err
	expect_eq "the static program's output" data "$(cat out)"
	expect_grep '^chaosd exec: \./static is statically linked: libinject \(LD_PRELOAD\) cannot reach it, no rule could match; use -s' err
	# and -s reaches it
	expect_status 1 "$CHAOSD" exec -s "read:error=EIO" \
		-- ./static "$tmp/file" >out 2>err
	expect_grep 'Input/output error' err "-s on a static program"
else
	echo "no static build (gcc -static: $(cat gcc.err 2>/dev/null)): the static case is not tried"
fi
exit 0
