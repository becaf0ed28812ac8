#!/bin/sh
# A scenario's [inject.*] `table =` arms a service chaosd did not start (a
# staging service preloaded with CHAOS_TABLE, here kvd) for the fault's
# window only, and leaves it disarmed after: PUTs fail with 500 inside the
# window and succeed before and after it.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/kvd-lib.sh"

# the workload: PUTs for 4 s, each answer's code on a line
cat >"$tmp/load.sh" <<EOF2
end=\$((\$(date +%s) + 4)); i=0
while [ \$(date +%s) -lt \$end ]; do
	i=\$((i + 1))
	curl -s -o /dev/null -w '%{http_code}\\n' -X PUT --data-binary v\$i $U/kv/k\$i >>"$tmp/codes"
	sleep 0.05
done
EOF2
cat >"$tmp/arm.ini" <<EOF2
[scenario]
name = arm-a-running-service
duration = 30s
command = sh $tmp/load.sh

[inject.kvd-disk]
table = $T
call = %sync
path = $tmp/kvd.log
error = EIO
start = 1s
for = 1500ms

[check.health]
type = http
url = $U/health
interval = 200ms
timeout = 1s
when = before, after
recover_within = 5s
EOF2
expect_status 0 "$CHAOSD" validate "$tmp/arm.ini" >"$tmp/validate"
expect_status 0 "$CHAOSD" run "$tmp/arm.ini" >"$tmp/out" 2>&1
cat "$tmp/out"
expect_grep '^500$' "$tmp/codes" "PUTs inside the window"
expect_grep '^204$' "$tmp/codes" "PUTs outside it"
expect_eq "the first PUT" 204 "$(head -n 1 "$tmp/codes")"
expect_eq "the last PUT" 204 "$(tail -n 1 "$tmp/codes")"
# disarmed after the run, the service clean
"$CHAOSD" status >"$tmp/status"
expect_no_grep "^$T +armed" "$tmp/status" "status after the run"
expect_eq "PUT after the run" 204 "$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$U/kv/after")"
exit 0
