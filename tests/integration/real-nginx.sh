#!/bin/sh
# scenarios/nginx-upstream.ini against the real nginx, in front of kvd:
# faults on the connect() calls of nginx's worker processes, which run
# as another user (nobody) than the master that loaded libinject.
# ECONNREFUSED: the workload sees 502s; then 2 s more on each connect:
# slow answers (2xx); then 2xx again, fast. chaosd run exits 0, each
# fault injected and detected, and every acknowledged PUT is in kvd.
# The failing case: fail_timeout=60s keeps the recovered upstream out of
# nginx's pool: exit 1, not recovered within the check's 5 s (without the
# slow fault, whose connects nginx then never makes).
. "$abs_top_srcdir/tests/integration/real-lib.sh"
require_root_
require_prog_ nginx curl
[ -x "$KVD" ] || framework_failure_ "no kvd at $KVD"
id nobody >/dev/null 2>&1 || skip_ "no user nobody for nginx's workers"
NGINX_PORT=$(free_port)
UPSTREAM_PORT=$(free_port)
NGINX_DIR=$tmp/nginx
ACKW_TRACE=$tmp/trace
export NGINX_PORT UPSTREAM_PORT NGINX_DIR ACKW_TRACE
sc=$abs_top_srcdir/scenarios/nginx-upstream.ini

t0=$(now_ms)
run_ 0 "$sc" --report json=report.json
cat out
expect_grep '^scenario nginx-upstream: PASSED \(exit 0\)' out "the verdict"
# the workers that made the calls run as nobody
expect_grep "^user nobody " "$NGINX_DIR/nginx.conf" "nginx.conf"
refused=$(json_ 'r["faults"][0]["injected"]')
slow=$(json_ 'r["faults"][1]["injected"]')
expect_range "connects refused" 1 100000 "$refused"
expect_range "connects delayed" 1 100000 "$slow"
expect_grep 'connect\(\) to 127\.0\.0\.1:[0-9]+ failed \(111: Connection refused\) while connecting to upstream' \
	"$NGINX_DIR/error.log" "nginx's error.log"

# what the workload saw, in this order: 502s; after the last 502, a
# write acknowledged after 2 s or more; fast acknowledgements at the end
cat "$ACKW_TRACE"
awk '$3 == 502 { n502++; slow = 0 } n502 && $3 == "ack" && $4 >= 1900 { slow++ }
END { print n502 + 0, slow + 0 }' "$ACKW_TRACE" >phases
expect_range "502s" 1 100000 "$(cut -d ' ' -f 1 phases)"
expect_range "slow acknowledgements after the 502s" 1 100000 "$(cut -d ' ' -f 2 phases)"
expect_eq "the last write" ack "$(tail -n 1 "$ACKW_TRACE" | cut -d ' ' -f 3)"
expect_range "the last write's latency (ms)" 0 1900 \
	"$(tail -n 1 "$ACKW_TRACE" | cut -d ' ' -f 4)"
acked=$(ackw_ run acknowledged out)
failed=$(ackw_ run failed out)
expect_range "acknowledged writes" 3 100000 "$acked"
expect_eq "lost writes" 0 "$(ackw_ verify lost out)"
ttd1=$(json_ 'r["faults"][0]["time_to_detect_ms"]')
ttr1=$(json_ 'r["faults"][0]["time_to_recover_ms"]')
ttd2=$(json_ 'r["faults"][1]["time_to_detect_ms"]')
ttr2=$(json_ 'r["faults"][1]["time_to_recover_ms"]')
expect_range "refused: time to detect (ms)" 0 2000 "$ttd1"
expect_range "refused: time to recover (ms)" 0 3000 "$ttr1"
expect_range "slow: time to detect (ms)" 0 3000 "$ttd2"
expect_range "slow: time to recover (ms)" 0 5000 "$ttr2"
t1=$(now_ms)

# The failing case: a minute out of the pool after a failure
sed -e 's/fail_timeout=1s$/fail_timeout=60s/' -e '/^\[inject\.slow\]$/,/^$/d' \
	"$sc" >long.ini
expect_grep 'nginx-start" max_fails=1 fail_timeout=60s$' long.ini "the variant"
expect_no_grep '^\[inject\.slow\]' long.ini "the variant"
rm -rf "$NGINX_DIR"
run_ 1 long.ini --report json=report.json
cat out
expect_grep '^scenario nginx-upstream: FAILED \(exit 1\)' out "the verdict"
expect_grep 'proxy .*not recovered within 5s' out "the recovery check"
expect_eq "the reason" "check proxy failed" "$(json_ 'r["reason"]' | sed 's/: .*//')"
expect_grep 'no live upstreams while connecting to upstream' "$NGINX_DIR/error.log" \
	"nginx's error.log"
t2=$(now_ms)
printf 'nginx: injected %s refused + %s delayed; acknowledged %s, failed %s, lost 0; detected after %s/%s ms, recovered %s/%s ms after; %s ms (failing case %s ms)\n' \
	"$refused" "$slow" "$acked" "$failed" "$ttd1" "$ttd2" "$ttr1" "$ttr2" \
	$((t1 - t0)) $((t2 - t1))
exit 0
