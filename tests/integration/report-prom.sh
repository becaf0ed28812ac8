#!/bin/sh
# chaosd run --report prom=FILE, read by a real parser (Debian's
# python3-prometheus-client, the one node_exporter's users script with):
# the file parses; names follow the conventions (chaosd_ prefix, _total
# counters, _seconds); every value agrees with the JSON report of the
# same run (outcome and exit status, start and duration, per fault its
# proof, the calls matched and injected and the time to detect and
# recover, per
# check the probes passed and failed and the latency quantiles, per
# service the deaths and restarts); the scenario's name, which holds '"'
# and '\', comes back whole from the label; and the directory node
# exporter reads holds the file alone (written aside, then renamed).
. "$abs_top_srcdir/tests/integration/report-lib.sh"
# Debian's python3 (the one its python3-prometheus-client is for), not
# another one earlier on PATH
PY=/usr/bin/python3
[ -x $PY ] || skip_ "needs /usr/bin/python3"
$PY -c 'import prometheus_client.parser' 2>/dev/null ||
	skip_ "needs python3-prometheus-client"

report_scenario_ rep.ini
mkdir textfile
run_ 0 rep.ini --report prom=textfile/chaos.prom --report json=report.json
expect_eq "textfile directory" chaos.prom "$(ls -A textfile)"

$PY - textfile/chaos.prom report.json <<'EOT' || fail_ "chaos.prom: see above"
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1], encoding="utf-8").read()
r = json.load(open(sys.argv[2]))
assert text.endswith("\n")
fams = {f.name: f for f in text_string_to_metric_families(text)}
for name, f in fams.items():
    assert name.startswith("chaosd_"), name
    assert f.documentation, "%s: no HELP" % name
    if f.type == "counter":
        assert all(s.name.endswith("_total") for s in f.samples), name
    assert f.type in ("gauge", "counter", "summary"), (name, f.type)

def one(fam, sample=None, **labels):
    got = [s for s in fams[fam].samples
           if (sample is None or s.name == sample) and
           all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(got) == 1, "%s %r: %d samples" % (fam, labels, len(got))
    return got[0].value

def near(what, got, want, tol=0.0015):
    assert abs(got - want) <= tol, "%s: %r, want %r" % (what, got, want)
    print("ok: %s = %r" % (what, got))

name = r["scenario"]
assert name == 'web<script>alert("1&2")<\\script>\'', repr(name)
for f in fams.values():
    for s in f.samples:
        assert s.labels["scenario"] == name, s.labels
near("exit status", one("chaosd_run_exit_status"), r["exit_status"], 0)
near("status passed", one("chaosd_run_status", status="passed"), 1, 0)
near("status failed", one("chaosd_run_status", status="failed"), 0, 0)
info = [s for s in fams["chaosd_run_info"].samples][0]
assert info.labels["status"] == r["status"] and \
    info.labels["file"] == r["file"], info.labels
near("duration", one("chaosd_run_duration_seconds"), r["elapsed_ms"] / 1000)
import calendar, time
t0 = calendar.timegm(time.strptime(r["started"], "%Y-%m-%dT%H:%M:%SZ"))
near("start time", one("chaosd_run_start_time_seconds"), t0, 0)

for f in r["faults"]:
    lab = {"fault": f["name"], "kind": f["kind"]}
    near("%s applied" % f["name"], one("chaosd_fault_applied", **lab), 1, 0)
    near("%s matched" % f["name"],
         one("chaosd_fault_matched_calls", **lab), f["matched"], 0)
    near("%s injected" % f["name"],
         one("chaosd_fault_injected_calls", **lab), f["injected"], 0)
    near("%s active" % f["name"], one("chaosd_fault_active_seconds", **lab),
         (f["end_ms"] - f["start_ms"]) / 1000)
    assert f["reached"] is True, f
    near("%s reached" % f["name"], one("chaosd_fault_reached", **lab), 1, 0)
    for key, fam in (("time_to_detect_ms", "chaosd_fault_time_to_detect_seconds"),
                     ("time_to_recover_ms", "chaosd_fault_time_to_recover_seconds")):
        have = [s for s in fams[fam].samples if s.labels["fault"] == f["name"]]
        if f[key] is None:
            assert not have, "%s %s: no value in JSON, %r here" % (f["name"], key, have)
        else:
            near("%s %s" % (f["name"], fam), have[0].value, f[key] / 1000)
slow = [f for f in r["faults"] if f["name"] == "slow-web"][0]
assert slow["time_to_detect_ms"] is not None, "the slow-down was not detected"

for c in r["checks"]:
    lab = {"check": c["name"], "type": c["type"]}
    near("%s passed" % c["name"], one("chaosd_check_probes", result="passed",
         **lab), c["passed"], 0)
    near("%s failed" % c["name"], one("chaosd_check_probes", result="failed",
         **lab), c["failed"], 0)
    near("%s verdict" % c["name"], one("chaosd_check_passed", **lab),
         1 if c["status"] == "passed" else 0, 0)
    for q, k in (("0.5", "p50"), ("0.9", "p90"), ("0.99", "p99")):
        near("%s p%s" % (c["name"], q), one("chaosd_check_latency_seconds",
             "chaosd_check_latency_seconds", quantile=q, **lab),
             c["latency_ms"][k] / 1000)
    near("%s count" % c["name"], one("chaosd_check_latency_seconds",
         "chaosd_check_latency_seconds_count", **lab), c["probes"], 0)
health = [c for c in r["checks"] if c["name"] == "health"][0]
assert health["failed"] > 0, "health never failed under the slow-down"

for s in r["services"]:
    near("%s deaths" % s["name"], one("chaosd_service_deaths",
         service=s["name"]), s["died"], 0)
    near("%s restarts" % s["name"], one("chaosd_service_restarts",
         service=s["name"]), s["restarts"], 0)
assert one("chaosd_service_deaths", service="writer") == 1
EOT
