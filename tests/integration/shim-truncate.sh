#!/bin/sh
# A fault table cut short under the processes that map it (truncate -s 0,
# a full disk, a careless cleanup) never crashes them: the shim turns
# dormant with one line and the program goes on. A program's own SIGBUS
# (its own truncated mapping) still reaches it exactly as without the
# shim: its handler, or death by SIGBUS under SIG_DFL and SIG_IGN.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

SIGBUS=$HELPERS/sigbus
gone_line() { echo "^libinject\\[[0-9]+\\] [^ ]+: gone table=$1 -- was truncated; no table faults\$"; }

# python3, dormant (the table never armed): it keeps running
T=$tmp/py.table
cat >"$tmp/loop.py" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
end = time.time() + float(sys.argv[2])
n = 0
while time.time() < end:
    os.write(fd, b"x")
    n += 1
    time.sleep(0.001)
print("writes", n)
PY
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$PYTHON" "$tmp/loop.py" "$tmp/py.out" 2 \
	>"$tmp/py.stdout" 2>"$tmp/py.err" &
pid=$!
i=0
until [ -s "$T" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || framework_failure_ "python3 made no table"
	sleep 0.01
done
sleep 0.3
truncate -s 0 "$T"
wait $pid
expect_eq "python3, dormant, table truncated: exit status" 0 $?
expect_grep '^writes [0-9]+$' "$tmp/py.stdout"
expect_grep "$(gone_line "$T")" "$tmp/py.err"
expect_eq "python3: lines on stderr" 1 "$(wc -l <"$tmp/py.err" | tr -d ' ')"

# python3, armed: its writes fail, then the table is cut: dormant again
T=$tmp/probe.table
probe_start "$T" "$tmp/target" 30
expect_status 0 "$CHAOSD" inject --table "$T" -i "%write:path=$tmp/target:error=EIO" >/dev/null
probe_wait EIO
truncate -s 0 "$T"
probe_wait ok
kill -0 "$probe_pid" || fail_ "the armed python3 died when its table was truncated"
probe_stop
expect_grep "$(gone_line "$T")" "$tmp/probe.err"

# a C program truncating the table it maps itself, between two writes
T=$tmp/c.table
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$SIGBUS" table "$tmp/f" "$T" >out 2>err
expect_eq "helper, dormant: exit status" 0 $?
expect_grep '^before=ok after=ok$' out
expect_grep "$(gone_line "$T")" err
rm -f "$T"
expect_status 0 "$CHAOSD" inject --table "$T" -i "write:path=$tmp/f:error=EIO" >/dev/null
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$SIGBUS" table "$tmp/f" "$T" >out 2>err
expect_eq "helper, armed: exit status" 0 $?
expect_grep '^before=EIO after=ok$' out "armed, then truncated: the table's fault is gone"
# every signal blocked (as threads of servers often do): still no crash,
# and SIGBUS reads as blocked, as the program asked
rm -f "$T"
expect_status 0 "$CHAOSD" inject --table "$T" -i "write:path=$tmp/f:error=EIO" >/dev/null
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$SIGBUS" table-masked "$tmp/f" "$T" >out 2>err
expect_eq "helper, armed, signals blocked: exit status" 0 $?
expect_grep '^before=EIO after=ok$' out "signals blocked: armed, then truncated"
expect_grep '^masked=yes$' out "SIGBUS blocked, as far as the program knows"
# the process's own rules outlive the table
rm -f "$T"
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T CHAOS_INJECT="write:path=$tmp/f:error=ENOSPC" \
	"$SIGBUS" table "$tmp/f" "$T" >out 2>err
expect_eq "helper, own rule: exit status" 0 $?
expect_grep '^before=ENOSPC after=ENOSPC$' out "own rule, table truncated: still injected"

# the program's own SIGBUS, with a table mapped: as without the shim
T=$tmp/own.table
for how in plain shim; do
	if [ $how = shim ]; then
		pre="env LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T"
	else
		pre=env
	fi
	$pre "$SIGBUS" own "$tmp/m" >out 2>err
	expect_eq "$how: own handler: exit status" 0 $?
	expect_grep '^own=caught addr=ok query=own$' out "$how: own SA_SIGINFO handler"
	$pre "$SIGBUS" signal "$tmp/m" >out 2>err
	expect_eq "$how: signal(): exit status" 0 $?
	expect_grep '^signal=caught query=own$' out "$how: handler set with signal()"
	$pre "$SIGBUS" dfl "$tmp/m" >out 2>err
	expect_eq "$how: SIG_DFL: exit status (128 + SIGBUS)" 135 $?
	$pre "$SIGBUS" ign "$tmp/m" >out 2>err
	expect_eq "$how: SIG_IGN, a fault: exit status (128 + SIGBUS)" 135 $?
	$pre "$SIGBUS" kill-ign "$tmp/m" >out 2>err
	expect_eq "$how: SIG_IGN, raise(SIGBUS): exit status" 0 $?
	expect_grep '^raised=ignored$' out "$how: an ignored SIGBUS sent by raise()"
done
[ -s "$T" ] || fail_ "the shim made no table at $T"
# SIGBUS sent by kill(1) to a process with a table: the default action
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T sleep 10 &
pid=$!
sleep 0.3
kill -BUS $pid
wait $pid
expect_eq "sleep, kill -BUS: exit status (128 + SIGBUS)" 135 $?
exit 0
