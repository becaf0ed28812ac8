#!/bin/sh
# chaosd report merge: the JSON reports of real runs (chaosd run on this
# machine, one per "host") into one fleet report, as text, JSON and
# JUnit. The verdict and the exit status are the worst host's; hosts are
# named by the report's host field, else by their directory, else by
# their file; a report that cannot be read is exit 2 naming it, with
# nothing written.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
require_prog_ xmllint

# run_host_ HOST STATUS SCENARIO: chaosd run SCENARIO as HOST, its JSON
# report in $tmp/r/HOST.json
mkdir -p "$tmp/r"
run_host_()
{
	CHAOSD_HOST=$1 "$CHAOSD" run "$3" --report "json=$tmp/r/$1.json" \
		>"$tmp/out" 2>&1
	st=$?
	[ "$st" = "$2" ] || { cat "$tmp/out" >&2; fail_ "run as $1: exit $st, expected $2"; }
}
cat >"$tmp/pass.ini" <<EOF
[scenario]
name = merge-me
duration = 5s
command = cat $tmp/data >/dev/null && sleep 0.3

[inject.slow-read]
call = %read
path = $tmp/data
delay = 1ms

[check.alive]
type = exec
command = true
interval = 100ms
when = during
EOF
echo data >"$tmp/data"
sed 's/^command = true$/command = false/' "$tmp/pass.ini" >"$tmp/fail.ini"
sed 's/sleep 0.3$/sleep 30/' "$tmp/pass.ini" >"$tmp/long.ini"

run_host_ web1 0 "$tmp/pass.ini"
run_host_ web2 1 "$tmp/fail.ini"
# web3: a run stopped by SIGTERM is aborted (exit 3) and still reports
CHAOSD_HOST=web3 "$CHAOSD" run "$tmp/long.ini" --report "json=$tmp/r/web3.json" \
	>"$tmp/out3" 2>&1 &
pid=$!
# the run's fault table appears when it starts (CHAOSD_RUNDIR: run-lib.sh)
for i in $(seq 100); do
	ls "$tmp/run"/merge-me-*.table >/dev/null 2>&1 && break
	sleep 0.1
done
sleep 0.5
kill -TERM $pid
wait $pid
expect_eq "web3: exit status after SIGTERM" 3 $?

merge_()
{
	"$CHAOSD" report merge "$@" >"$tmp/merged.txt" 2>"$tmp/merged.err"
}

# ---- every host passed: PASSED, exit 0 ------------------------------------
expect_status 0 merge_ "$tmp/r/web1.json"
expect_grep '^fleet: PASSED \(exit 0\), 1 host: 1 passed$' "$tmp/merged.txt"

# ---- one failed, one aborted: the worst is the aborted one ----------------
expect_status 3 merge_ "$tmp/r/web1.json" "$tmp/r/web2.json" "$tmp/r/web3.json" \
	--report "json=$tmp/m.json" --report "junit=$tmp/m.xml" \
	--report "text=$tmp/m.txt"
cat "$tmp/merged.txt"
cmp -s "$tmp/merged.txt" "$tmp/m.txt" || fail_ "text=FILE differs from the summary"
expect_grep '^fleet: ABORTED \(exit 3\), 3 hosts: 1 passed, 1 failed, 1 aborted$' \
	"$tmp/merged.txt"
expect_grep '^worst: web3: ' "$tmp/merged.txt"
expect_grep '^web1 +passed +0 +merge-me ' "$tmp/merged.txt"
expect_grep '^web2 +failed +1 +merge-me .*check alive failed' "$tmp/merged.txt"
expect_grep '^web3 +aborted +3 +merge-me ' "$tmp/merged.txt"
expect_grep '^web2: failed \(exit 1\), scenario merge-me, .*named in .*web2\.json' \
	"$tmp/merged.txt"
expect_grep '^    inject\.slow-read +applied' "$tmp/merged.txt" "faults per host"
expect_grep '^    alive +exec +failed +0/[0-9]+ passed' "$tmp/merged.txt" "checks per host"
"$PYTHON" - "$tmp/m.json" "$tmp/r" <<'EOF' || fail_ "the merged JSON report"
import json, os, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "aborted" and m["exit_status"] == 3, m
assert m["worst"] == "web3", m["worst"]
assert m["hosts_total"] == 3
assert m["hosts_by_status"] == {"passed": 1, "failed": 1, "aborted": 1}, m
hosts = {h["host"]: h for h in m["hosts"]}
assert list(hosts) == ["web1", "web2", "web3"]
for name, h in hosts.items():
    r = json.load(open(os.path.join(sys.argv[2], name + ".json")))
    assert h["host_from"] == "report"
    for k in ("status", "exit_status", "reason", "faults", "checks", "scenario"):
        assert h[k] == r[k], (name, k)
    assert "events" not in h
assert hosts["web2"]["checks"][0]["status"] == "failed"
print("ok: the merged JSON holds each host's verdict, faults and checks")
EOF
xmllint --noout "$tmp/m.xml" || fail_ "the merged JUnit is not well-formed XML"
"$PYTHON" - "$tmp/m.xml" <<'EOF' || fail_ "the merged JUnit report"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
suites = {s.get("name"): s for s in root.findall("testsuite")}
assert list(suites) == ["web1", "web2", "web3"], list(suites)
assert suites["web1"].get("failures") == "0"
for name in ("web2", "web3"):
    s = suites[name]
    verdict = [c for c in s.findall("testcase") if c.get("name") == "verdict"]
    assert verdict and verdict[0].find("failure") is not None, name
fail = [c for c in suites["web2"].findall("testcase")
        if c.get("classname").endswith(".check") and c.find("failure") is not None]
assert [c.get("name") for c in fail] == ["alive"], fail
names = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
assert len(names) == len(set(names)), "duplicate testcases"
tests = sum(int(s.get("tests")) for s in suites.values())
assert int(root.get("tests")) == tests == len(names)
print("ok: one testsuite per host, %d testcases" % tests)
EOF

# inconclusive (5) ranks below failed (1), as chaosd run ranks them:
# the worst is the highest rank, not the highest number
sed 's/"exit_status": 0,/"exit_status": 5,/; s/"status": "passed",/"status": "inconclusive",/; s/"host": "web1"/"host": "web5"/' \
	"$tmp/r/web1.json" >"$tmp/r/web5.json"
grep -q '"exit_status": 5' "$tmp/r/web5.json" || framework_failure_ "sed on the report"
expect_status 5 merge_ "$tmp/r/web1.json" "$tmp/r/web5.json"
expect_grep '^fleet: INCONCLUSIVE \(exit 5\), 2 hosts: 1 passed, 1 inconclusive$' \
	"$tmp/merged.txt"
expect_status 1 merge_ "$tmp/r/web5.json" "$tmp/r/web2.json"
expect_grep '^worst: web2: ' "$tmp/merged.txt" "failed is worse than inconclusive"

# a rollback that failed ranks above everything
sed 's/"exit_status": 0,/"exit_status": 4,/; s/"status": "passed",/"status": "rollback_failed",/' \
	"$tmp/r/web1.json" >"$tmp/r/web4.json"
grep -q '"exit_status": 4' "$tmp/r/web4.json" || framework_failure_ "sed on the report"
sed -i 's/"host": "web1"/"host": "web4"/' "$tmp/r/web4.json"
expect_status 4 merge_ "$tmp"/r/web*.json
expect_grep '^fleet: ROLLBACK_FAILED \(exit 4\)' "$tmp/merged.txt"

# ---- no host in the report: from the directory, else from the file -------
mkdir -p "$tmp/reports/db1"
grep -v '"host":' "$tmp/r/web1.json" >"$tmp/reports/db1/merge-me.json"
grep -v '"host":' "$tmp/r/web2.json" >"$tmp/db2.json"
(cd "$tmp" && expect_status 1 merge_ reports/db1/merge-me.json db2.json \
	--report "json=$tmp/named.json") || exit 1
cat "$tmp/merged.txt"
expect_grep '^db1: passed .*no host in the report: named after the directory of reports/db1/merge-me\.json' \
	"$tmp/merged.txt"
expect_grep '^db2: failed .*no host in the report: named after the file db2\.json' \
	"$tmp/merged.txt"
expect_eq "host_from" "directory file" "$("$PYTHON" -c 'import json, sys
print(" ".join(h["host_from"] for h in json.load(open(sys.argv[1]))["hosts"]))' "$tmp/named.json")"

# two reports of one host: both kept, said
expect_status 0 merge_ "$tmp/r/web1.json" "$tmp/r/web1.json"
expect_grep 'host web1 has two reports' "$tmp/merged.err"

# --report FORMAT=-: that format on stdout, nothing else
"$CHAOSD" report merge "$tmp/r/web1.json" "$tmp/r/web2.json" --report json=- \
	>"$tmp/stdout.json"
expect_eq "json=-: exit status" 1 $?
expect_eq "json=-: stdout is the JSON" failed "$("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1]))["status"])' "$tmp/stdout.json")"

# ---- errors: exit 2, the file named, nothing written ----------------------
echo '{"schema": 1, "status": "passed", "exit_status": 0' >"$tmp/broken.json"
echo '{"hello": "world"}' >"$tmp/other.json"
for bad in "$tmp/missing.json" "$tmp/broken.json" "$tmp/other.json"; do
	rm -f "$tmp/out.json"
	expect_status 2 merge_ "$tmp/r/web1.json" "$bad" --report "json=$tmp/out.json"
	expect_grep "$bad" "$tmp/merged.err" "the error names ${bad##*/}"
	[ -e "$tmp/out.json" ] && fail_ "a report was written despite ${bad##*/}"
done
expect_status 2 merge_ "$tmp/r/web1.json" "$tmp/broken.json"
expect_grep 'broken\.json:[0-9]+:[0-9]+: not valid JSON' "$tmp/merged.err"
expect_status 2 merge_ "$tmp/r/web1.json" "$tmp/other.json"
expect_grep 'other\.json: not a chaosd run report' "$tmp/merged.err"
expect_status 2 merge_ "$tmp/r/web1.json" --report "json=$tmp/nodir/x.json"
expect_grep "report $tmp/nodir/x\\.json" "$tmp/merged.err" "an unwritable report"
expect_status 2 merge_
expect_status 2 merge_ "$tmp/r/web1.json" --report yaml=x
expect_grep "--report 'yaml=x': give text=FILE, json=FILE or junit=FILE" \
	"$tmp/merged.err"
expect_status 2 "$CHAOSD" report
expect_status 2 "$CHAOSD" report frobnicate x.json
"$CHAOSD" report merge --help >"$tmp/help"
expect_grep '^usage: chaosd report merge FILE\.json\.\.\.' "$tmp/help"
exit 0
