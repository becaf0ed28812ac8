#!/bin/sh
# chaosd recover disarms every fault table in the registry (through its
# kill switch, as abort does): a table armed with --ttl 10m stops
# injecting in the running process at once, not at its deadline, and
# status says so. A second recover has nothing left to do.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

T=$CHAOSD_RUNDIR/svc.table
probe_start "$T" "$tmp/target" 60
expect_status 0 "$CHAOSD" inject --table "$T" --ttl 10m \
	-i "%write:path=$tmp/target:error=EIO" >/dev/null
probe_wait EIO 2000
"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +armed" "$tmp/status"

# recover also sweeps network namespaces for chaosd's qdiscs: only this
# test's own (a new empty one as root), never those of tests running
# beside it. Where it cannot look (no CAP_NET_ADMIN) it exits 4, but the
# tables are disarmed first.
recover_()
{
	if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
		unshare -n sh -c 'exec "$0" recover --pid $$' "$CHAOSD"
	else
		"$CHAOSD" recover --pid $$
	fi
}
recover_ >"$tmp/out" 2>"$tmp/err"
st=$?
cat "$tmp/out" "$tmp/err"
case $st in
0) ;;
4) expect_grep 'netlink|namespace|permitted|CAP_NET_ADMIN' "$tmp/err" "why recover exited 4" ;;
*) fail_ "chaosd recover exited with $st" ;;
esac
expect_grep "disarmed $T" "$tmp/out"
probe_wait ok 2000
"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +killed" "$tmp/status"
sleep 0.1
if (probe_wait EIO 100) >/dev/null 2>&1; then
	fail_ "faults came back after recover"
fi

# nothing armed any more: a second recover disarms nothing
recover_ >"$tmp/out" 2>&1
expect_no_grep "disarmed $T" "$tmp/out" "a second recover"
probe_stop
exit 0
