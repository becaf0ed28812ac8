#!/bin/sh
# chaosd run and services that drop privileges (issue #8): a service
# started through setpriv --reuid=nobody cannot open the run's table
# (root's, 0600), but inherits it read-only with its reach file
# (CHAOS_TABLE_FD): it is faulted, its calls are counted, the report
# names it among the processes attached (its uid, mode fd), and the
# shim's lines go to the run's log, not to the service's. The same
# service without the descriptors (env -u CHAOS_TABLE_FD) refuses the
# table: the fault matched no call, the run is inconclusive (exit 5), and
# the report says which process refused and why.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
require_root_
require_prog_ setpriv
id -u nobody >/dev/null 2>&1 || skip_ "no user 'nobody'"
NOBODY=$(id -u nobody)
NOGROUP=$(id -gn nobody)
chmod 755 "$tmp"
setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
	test -r "$LIBINJECT" || skip_ "nobody cannot read $LIBINJECT"
mkdir -m 700 "$CHAOSD_RUNDIR"
mkdir -m 777 "$tmp/pub"
cat >writer.sh <<EOT
while :; do
	echo x >>$tmp/pub/f || echo failed >>$tmp/pub/errs
	sleep 0.05
done
EOT

# $1: what runs before setpriv (e.g. env -u CHAOS_TABLE_FD)
scenario_()
{
	cat <<EOT
[scenario]
duration = 4s
command = sleep 3

[service.writer]
command = exec $1 setpriv --reuid=nobody --regid=$NOGROUP --clear-groups
	sh $tmp/writer.sh
log = $tmp/writer.log

[inject.pub-eio]
call = %write
path = $tmp/pub/f
error = EIO
start = 1s
for = 1500ms
EOT
}

scenario_ "" >nobody.ini
run_ 0 nobody.ini --report json=report.json
cat out
expect_grep '^scenario .*: PASSED \(exit 0\)' out "the verdict"
injected=$(json_ 'r["faults"][0]["injected"]')
expect_range "writes failed with EIO" 1 1000 "$injected"
[ -s pub/errs ] || fail_ "the service never saw a failed write"
expect_eq "the service's processes attached read-only, as nobody" fd \
	"$(json_ '",".join(sorted(set(a["mode"] for a in r["faults"][0]["attached"] if a["uid"] == '"$NOBODY"')))')"
expect_eq "refusals" 0 "$(json_ 'len(r["faults"][0]["refused"])')"
expect_grep "attached:.*\[[0-9]+\] uid $NOBODY fd" out "the text report"
# the shim's lines went to the run's log, which is gone with the run
expect_no_grep 'libinject' writer.log "the service's own log"
left=$(cd "$CHAOSD_RUNDIR" && ls -d nobody-* 2>/dev/null)
[ -z "$left" ] || fail_ "left in the run directory: $left"

# without the descriptors: refused, said, inconclusive
rm -f pub/f pub/errs
scenario_ "env -u CHAOS_TABLE_FD" >nofd.ini
run_ 5 nofd.ini --report json=report.json
cat out
expect_grep '^scenario .*: INCONCLUSIVE \(exit 5\)' out "the verdict"
expect_eq "injected" 0 "$(json_ 'r["faults"][0]["injected"]')"
expect_grep "matched no call in its window: [^ ]+\[[0-9]+\] refused the table: Permission denied \(uid $NOBODY, no CHAOS_TABLE_FD\)" \
	out "the reason"
expect_eq "a refusal as nobody" "$NOBODY" \
	"$(json_ 'r["faults"][0]["refused"][0]["uid"]')"
expect_grep 'Permission denied' "$(json_ 'r["reason"]' >reason; echo reason)" \
	"the JSON reason"
expect_grep "refused: [^ ]+\[[0-9]+\]: Permission denied" out "the text report"
[ ! -s pub/errs ] || fail_ "the service was faulted without its descriptors"
exit 0
