#!/bin/sh
# chaosd inject: a running process preloaded with CHAOS_TABLE is armed at
# run time and disarmed after; bad rules and unsafe tables are refused
# (exit 2, nothing armed); --for disarms by itself (0) or on SIGTERM (3).
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

T=$tmp/svc.table
rule="%write:path=$tmp/target:error=EIO"

# usage and rule errors: exit 2, and no table is even created
expect_status 2 "$CHAOSD" inject -i "$rule" 2>"$tmp/err"
expect_grep 'table PATH is required' "$tmp/err"
expect_status 2 "$CHAOSD" inject --table "$T" -i 'write:error=EIOO' 2>"$tmp/err"
expect_grep "EIOO" "$tmp/err"
expect_status 2 "$CHAOSD" inject --table "$T" -i 'write:dealy=1s' 2>"$tmp/err"
expect_status 2 "$CHAOSD" inject --table "$T" 2>"$tmp/err"
expect_grep 'no rule given' "$tmp/err"
expect_status 2 "$CHAOSD" inject --table "$T" --disarm -i "$rule" 2>"$tmp/err"
expect_status 2 "$CHAOSD" inject --table "$T" --ttl 0 -i "$rule" 2>"$tmp/err"
[ -e "$T" ] && fail_ "a refused command created the table"
printf '[inject.x]\ncall = write\nerror = EBOGUS\n' >"$tmp/bad.ini"
expect_status 2 "$CHAOSD" inject --table "$T" -f "$tmp/bad.ini" 2>"$tmp/err"
expect_grep 'bad.ini:3' "$tmp/err"
[ -e "$T" ] && fail_ "a refused rule file created the table"

# unsafe tables: a symbolic link, a world-writable file, another's file
ln -s "$tmp/elsewhere.table" "$tmp/link.table"
expect_status 2 "$CHAOSD" inject --table "$tmp/link.table" -i "$rule" 2>"$tmp/err"
expect_grep 'symbolic link: refused' "$tmp/err"
[ -e "$tmp/elsewhere.table" ] && fail_ "the link was followed"
: >"$tmp/ww.table"
chmod 666 "$tmp/ww.table"
expect_status 2 "$CHAOSD" inject --table "$tmp/ww.table" -i "$rule" 2>"$tmp/err"
expect_grep 'world-writable' "$tmp/err"
if [ "$(id -u)" = 0 ]; then
	# a process under faults refuses a table another user owns...
	env LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/foreign.table true
	chown 65534 "$tmp/foreign.table" "$tmp/foreign.table.reach"
	env LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/foreign.table true 2>"$tmp/err"
	expect_grep 'owned by uid 65534' "$tmp/err"
	# ...while root's chaosd may arm it (a User= service's table)
	expect_status 0 "$CHAOSD" inject --table "$tmp/foreign.table" \
		-i "$rule" --ttl 1s >/dev/null
fi

# a running process: created disarmed, armed at run time, disarmed after
probe_start "$T" "$tmp/target" 60
[ -f "$T" ] || fail_ "the preloaded process did not create $T"
t0=$(now_ns)
expect_status 0 "$CHAOSD" inject --table "$T" -i "$rule" >"$tmp/out"
probe_wait EIO 2000; t1=$probe_t
lat=$(( (t1 - t0) / 1000000 ))
echo "armed -> first EIO in the running process: $lat ms"
expect_range "arm latency (ms)" 0 500 "$lat"
expect_grep "armed 1 rule in $T" "$tmp/out"

"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +armed +[0-9]+m[0-9]+s" "$tmp/status" "status"
expect_grep 'rule1 +matched [1-9][0-9]* +injected [1-9]' "$tmp/status" "status"
"$CHAOSD" status --json >"$tmp/status.json"
"$PYTHON" - "$tmp/status.json" "$T" <<'PY' || fail_ "status --json"
import json, sys
d = json.load(open(sys.argv[1]))
t = [x for x in d["tables"] if x["path"] == sys.argv[2]][0]
assert t["state"] == "armed" and t["armed"] and not t["killed"], t
assert t["registered"] and 0 < t["left_ms"] <= 600000, t
r = t["rules"][0]
assert r["name"] == "rule1" and r["injected"] > 0 and r["matched"] >= r["injected"], r
assert "network" in d
PY

t0=$(now_ns)
expect_status 0 "$CHAOSD" inject --table "$T" --disarm >"$tmp/out"
probe_wait ok 2000; t1=$probe_t
echo "disarmed -> first ok: $(( (t1 - t0) / 1000000 )) ms"
"$CHAOSD" status >"$tmp/status"
# disarmed, and no longer registered (it is not in the run directory)
expect_no_grep "^$T " "$tmp/status" "status after --disarm"

# --for: disarms by itself and prints the counters
t0=$(now_ns)
expect_status 0 "$CHAOSD" inject --table "$T" --for 1s -i "$rule" >"$tmp/out"
t2=$(now_ns)
probe_wait EIO 2000
probe_wait ok 2000; t1=$probe_t
expect_range "--for 1s ran (ms)" 900 3000 $(( (t2 - t0) / 1000000 ))
expect_grep 'disarmed .* after 1' "$tmp/out"
expect_grep 'rule1 +matched [1-9][0-9]* +injected [1-9]' "$tmp/out" "--for counters"

# --for, stopped by SIGTERM: disarmed, exit 3
"$CHAOSD" inject --table "$T" --for 1m -i "$rule" >"$tmp/out" 2>&1 &
pid=$!
probe_wait EIO 3000
kill -TERM $pid
wait $pid
st=$?
expect_eq "inject --for, SIGTERM: exit status" 3 "$st"
probe_wait ok 2000
expect_grep 'SIGTERM: disarmed' "$tmp/out"
"$CHAOSD" status >"$tmp/status"
expect_no_grep "^$T " "$tmp/status" "status after SIGTERM"

# disarming a table that is not there is not an error
expect_status 0 "$CHAOSD" inject --table "$tmp/none.table" --disarm >/dev/null
probe_stop
exit 0
