#!/bin/sh
# A fault table truncated under chaosd run (here by the workload, which
# runs as root and finds the table in CHAOS_TABLE) kills neither chaosd
# nor the workload: the run goes on to its end, reverts everything, and
# is INCONCLUSIVE (exit 5), the fault named as cut short, not PASSED on
# a fault that stopped partway; it writes its reports, and leaves no
# table, registry entry or journal behind. Before the table-guard,
# chaosd died of SIGBUS at its next look at the table (exit 135, no
# report), and the guardian rolled back.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

echo data >data
cat >cut.ini <<EOT
[scenario]
name = cut
duration = 20s

[inject.eio]
call = %read
path = $tmp/data
error = EIO
start = 0s
for = 1500ms
EOT
run_ 5 cut.ini --report json=report.json -- sh -c '
	cat data 2>/dev/null || echo FIRST-EIO
	truncate -s 0 "$CHAOS_TABLE" || echo TRUNCATE-FAILED
	sleep 0.2
	cat data 2>/dev/null && echo AFTER-CUT-READ
	sleep 1.8
	cat data'
expect_grep '^FIRST-EIO$' out "the fault, before the cut"
expect_no_grep 'TRUNCATE-FAILED' out "the workload's truncate"
expect_grep '^AFTER-CUT-READ$' out "the workload's read after the cut (the shim survived it)"
expect_grep '^scenario cut: INCONCLUSIVE \(exit 5\)' out "the verdict"
expect_grep "inject.eio did not happen: its table $CHAOSD_RUNDIR/[^ ]+\\.table was cut short during the run \\(truncated by another process\\)" \
	out "the reason"
expect_eq "reached, in the JSON report" False "$(json_ 'r["faults"][0]["reached"]')"
expect_grep 'cut short' "$(json_ 'r["faults"][0]["reach"]' >reach; echo reach)" \
	"the JSON report's reach"
# the run's table, reach file, shim log and journal; registry entries
left=$(cd "$CHAOSD_RUNDIR" && ls ./cut-* ./*.journal tables/* 2>/dev/null)
[ -z "$left" ] || fail_ "left in $CHAOSD_RUNDIR: $left"
"$CHAOSD" status >status.out 2>&1 || fail_ "chaosd status: $(cat status.out)"
expect_grep '^no fault tables known' status.out "chaosd status after the run"
exit 0
