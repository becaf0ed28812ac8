#!/bin/sh
# The staging recipe of chaosd(8): a service started with
# LD_PRELOAD=libinject.so and CHAOS_TABLE=PATH (here the demo's kvd) runs
# clean, is armed at run time by chaosd inject (its fsyncs fail: PUTs get
# 500, /health 503), and is clean again once disarmed.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/kvd-lib.sh"
put() { curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary "$2" "$U/kv/$1"; }
get() { curl -s -o /dev/null -w '%{http_code}' "$U/$1"; }

expect_eq "PUT, disarmed" 204 "$(put a 1)"
expect_eq "health, disarmed" 200 "$(get health)"

expect_status 0 "$CHAOSD" inject --table "$T" -i "%sync:path=$tmp/kvd.log:error=EIO" >/dev/null
sleep 0.05
expect_eq "PUT, armed" 500 "$(put a 2)"
expect_eq "health, armed" 503 "$(get health)"
"$CHAOSD" status >"$tmp/status"
expect_grep "^$T +armed" "$tmp/status"
expect_grep 'injected 1 ' "$tmp/status"

expect_status 0 "$CHAOSD" inject --table "$T" --disarm >/dev/null
sleep 0.05
expect_eq "PUT, disarmed again" 204 "$(put a 3)"
expect_eq "health, disarmed again" 200 "$(get health)"
expect_eq "value" 3 "$(curl -s "$U/kv/a")"

# what was acknowledged survives a restart; the failed PUT left nothing
kill $kvd
wait $kvd
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$KVD" -p "$port" -l "$tmp/kvd.log" 2>"$tmp/kvd.err" &
kvd=$!
i=0
until curl -s -o /dev/null "$U/health"; do
	i=$((i + 1))
	[ $i -lt 100 ] || framework_failure_ "kvd did not restart"
	sleep 0.05
done
expect_eq "value after restart" 3 "$(curl -s "$U/kv/a")"
expect_eq "log records" 2 "$(wc -l <"$tmp/kvd.log" | tr -d ' ')"
exit 0
