#!/bin/sh
# chaosd run --report json=FILE --report junit=FILE: the JSON holds per
# fault time_to_detect_ms / time_to_recover_ms and per check pass rates
# and latency percentiles; the JUnit is well-formed (xmllint), has one
# testcase per check, per fault and for the workload with unique
# classname + name, <failure> for a deviation and <error> for a check
# that could not run, <system-out> with a check's baseline, times with a
# '.', one-line messages and no control characters.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
require_prog_ xmllint
http_server_

ctl=$(printf 'http://127.0.0.1:%s/a\001b' "$PORT")
cat >rep.ini <<EOT
[scenario]
name = reports
duration = 5s

[inject.window]
call = %open
path = $tmp/nothing-opens-this
error = EACCES
start = 200ms
for = 500ms
; a window for the checks: it matches nothing, which only an optional
; fault may (else the run is inconclusive)
optional = yes

[check.web]
type = http
url = $URL
interval = 50ms
timeout = 500ms

[check.flag]
type = exec
command = test ! -e $tmp/flag
interval = 25ms
timeout = 500ms
when = before, during, after
recover_within = 1s

[check.broken]
type = exec
command = /nonexistent/command
interval = 100ms
when = during

[check.ctl]
type = http
url = $ctl
interval = 100ms
timeout = 200ms
when = during
EOT
run_ 1 rep.ini --report json=report.json --report junit=report.xml -- \
	sh -c 'sleep 0.35; touch flag; sleep 0.2; rm flag; sleep 0.5'

"$PYTHON" -m json.tool report.json >/dev/null || fail_ "report.json: not JSON"
expect_eq "status" failed "$(json_ 'r["status"]')"
expect_eq "exit_status" 1 "$(json_ 'r["exit_status"]')"
expect_eq "web" passed "$(json_ '[c for c in r["checks"] if c["name"] == "web"][0]["status"]')"
expect_eq "web pass rate" 1.0 "$(json_ '[c for c in r["checks"] if c["name"] == "web"][0]["pass_rate"]')"
expect_eq "web latency" True "$(json_ 'all(isinstance([c for c in r["checks"] if c["name"] == "web"][0]["latency_ms"][k], float) for k in ("p50", "p90", "p99", "max"))')"
expect_eq "flag recovered" passed "$(json_ '[c for c in r["checks"] if c["name"] == "flag"][0]["status"]')"
expect_eq "broken" error "$(json_ '[c for c in r["checks"] if c["name"] == "broken"][0]["status"]')"
expect_eq "ctl" failed "$(json_ '[c for c in r["checks"] if c["name"] == "ctl"][0]["status"]')"
ttd=$(json_ 'r["faults"][0]["time_to_detect_ms"]')
ttr=$(json_ 'r["faults"][0]["time_to_recover_ms"]')
expect_range "time_to_detect_ms" 0 500 "$ttd"
expect_eq "time_to_recover_ms is a number" True "$(json_ 'isinstance(r["faults"][0]["time_to_recover_ms"], int)')"
printf 'ok: detect %s ms, recover %s ms\n' "$ttd" "$ttr"
expect_eq "window: flag failed in it" True "$(json_ '[c for c in r["faults"][0]["checks"] if c["name"] == "flag"][0]["pass_rate"] < 1')"
expect_eq "window: web passed in it" 1.0 "$(json_ '[c for c in r["faults"][0]["checks"] if c["name"] == "web"][0]["pass_rate"]')"

xmllint --noout report.xml || fail_ "report.xml: not well-formed"
"$PYTHON" - report.xml <<'EOT' || fail_ "report.xml: see above"
import re, sys
import xml.etree.ElementTree as ET
raw = open(sys.argv[1], "rb").read()
bad = [c for c in raw if c < 0x20 and c not in (9, 10, 13)]
assert not bad, "control characters in the XML: %r" % bad
root = ET.fromstring(raw)
assert root.tag == "testsuites", root.tag
cases = root.findall("./testsuite/testcase")
keys = [(c.get("classname"), c.get("name")) for c in cases]
assert len(keys) == 6, keys
assert len(set(keys)) == len(keys), "duplicate testcases: %r" % keys
for c in cases:
    assert re.fullmatch(r"[0-9]+\.[0-9]{3}", c.get("time")), c.get("time")
    for o in list(c):
        m = o.get("message")
        assert m is None or "\n" not in m, m
kind = {c.get("name"): [o.tag for o in c if o.tag != "system-out"]
        for c in cases}
out = {c.get("name"): c.findtext("system-out") for c in cases}
assert out["web"].startswith("baseline: 1 probe, 1 passed, p50 "), out
assert kind["ctl"] == ["failure"], kind
assert kind["broken"] == ["error"], kind
assert kind["web"] == [] and kind["flag"] == [], kind
assert kind["inject.window"] == [], kind
assert root.get("failures") == "1" and root.get("errors") == "1", root.attrib
print("ok: junit:", keys)
EOT
