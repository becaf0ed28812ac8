#!/bin/sh
# The demo game day end to end: scenarios/demo.ini as `make demo` runs
# it, its timeline scaled by DEMO_SCALE (default 0.4, about 12 s instead
# of 30; DEMO_SCALE=1 runs the full show) and on a free port. kvd comes
# through disk errors, a kill from outside, a slow disk, a crash and a
# memory spike: chaosd run exits 0, the kill and the crash were recovered
# by restarts, the health check passed before and after, and load.sh
# found every acknowledged write.
. "$abs_top_srcdir/tests/integration/init.sh"
require_prog_ curl
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
KVD=$abs_top_builddir/scenarios/demo/kvd
KVD_LOAD=$abs_top_srcdir/scenarios/demo/load.sh
[ -x "$KVD" ] || framework_failure_ "no kvd at $KVD"
export KVD KVD_LOAD
CHAOSD_RUNDIR=$tmp/run TMPDIR=$tmp
export CHAOSD_RUNDIR TMPDIR
mkdir -p "$CHAOSD_RUNDIR"

# every `start = Ns`, `for = Ns` and load.sh's `-d N` times DEMO_SCALE
scale=${DEMO_SCALE:-0.4}
port=$(free_port)
awk -v k="$scale" -v port="$port" '
function ms(x) { return sprintf("%dms", x * 1000 * k) }
/^(start|for) *= *[0-9.]+s *$/ { sub(/[0-9.]+s/, ms($3 + 0)) }
/^command = .*load\.sh/ { if (match($0, /-d [0-9]+/)) $0 = substr($0, 1, RSTART - 1) \
	sprintf("-d %d", substr($0, RSTART + 3, RLENGTH - 3) * k + 0.5) substr($0, RSTART + RLENGTH) }
{ gsub(/18080/, port); print }' "$abs_top_srcdir/scenarios/demo.ini" >"$tmp/demo.ini"
grep -E '^(start|for|command|url|ready) ' "$tmp/demo.ini"
expect_status 0 "$CHAOSD" validate -q "$tmp/demo.ini"

# The demo's network fault names lo: as root, the run gets a network
# namespace of its own (with its own lo), so this machine's lo is never
# touched; as a normal user the fault is skipped anyway (no CAP_NET_ADMIN).
isolate=
if [ "$(id -u)" = 0 ]; then
	command -v unshare >/dev/null 2>&1 || skip_ "no unshare(1) (util-linux)"
	unshare -n true 2>/dev/null || skip_ "cannot make a network namespace"
	isolate="unshare -n sh -c 'ip link set lo up && exec \"\$0\" \"\$@\"'"
fi
eval "$isolate" '"$CHAOSD"' run --report json="$tmp/report.json" \
	'"$tmp/demo.ini"' >"$tmp/out" 2>"$tmp/err"
st=$?
cat "$tmp/out"
[ $st -eq 0 ] || { cat "$tmp/err" >&2; fail_ "chaosd run demo.ini exited with $st, expected 0"; }
expect_grep '^scenario kvd-demo: PASSED \(exit 0\)' "$tmp/out" "the verdict"
expect_grep '^workload: exit status 0' "$tmp/out" "load.sh"
expect_grep 'load\.sh: .* [1-9][0-9]* stored, [1-9][0-9]* refused .* 0 lost$' "$tmp/out" "acknowledged writes"
expect_grep '^  kvd: ready, died 2 times \(last: killed by signal 11 \(SIGSEGV\)\), restarted 2$' "$tmp/out" "the kill and the crash, recovered"
expect_grep 'service kvd killed by signal 9 \(SIGKILL\)' "$tmp/out" "the kill from outside"
expect_grep '^  process\.kill +applied .*SIGKILL to service kvd \(process group [0-9]+\) 1 time in 1 decision' "$tmp/out" "the kill's proof"
expect_grep '^  stress\.spike +applied .*held 64 MiB resident' "$tmp/out" "the memory spike"
expect_grep 'service kvd restarted' "$tmp/out" "the restart event"
expect_grep '^  inject\.disk-errors +applied .*injected [1-9]' "$tmp/out" "disk errors"
expect_grep '^  inject\.slow-disk +applied .*injected [1-9]' "$tmp/out" "slow disk"
expect_grep '^  inject\.crash +applied .*injected 1 of' "$tmp/out" "the crash"
expect_grep '^  network\.lo-latency +(applied|skipped|failed)' "$tmp/out" "the optional network fault"
expect_grep '^  health +http +passed' "$tmp/out" "the health check"
# per fault, from the JSON report: whatever the health check saw fail
# (a 2 s window of 50% EIO may fall between probes), it saw recover
if [ -n "$PYTHON" ]; then
	"$PYTHON" - "$tmp/report.json" <<'PY' || fail_ "report.json: a fault was detected and never recovered"
import json, sys
r = json.load(open(sys.argv[1]))
bad = 0
for f in r["faults"]:
    d, t = f["time_to_detect_ms"], f["time_to_recover_ms"]
    print("%s.%s: %s, detected in %s ms, recovered in %s ms" %
          (f["kind"], f["name"], f["status"], d, t))
    bad += d is not None and t is None
sys.exit(1 if bad or r["exit_status"] != 0 else 0)
PY
fi
exit 0
