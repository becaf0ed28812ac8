#!/bin/sh
# chaosd doctor --json: the probes of the text output as one JSON object
# (capability: ok, needed, label, detail, fix), with the same answers and
# the same exit status; and doctor SCENARIO: what the scenario needs,
# derived from its sections, and whether this machine has it.
. "$abs_top_srcdir/tests/integration/init.sh"
require_python_

# jq_ FILE EXPR: a python expression over the JSON in FILE (as d)
jq_()
{
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2"
}

"$CHAOSD" doctor >"$tmp/text" 2>&1
text_st=$?
CHAOSD_HOST=web-7 "$CHAOSD" doctor --json >"$tmp/doctor.json" 2>"$tmp/err"
json_st=$?
cat "$tmp/doctor.json"
expect_eq "exit status: --json as without" "$text_st" "$json_st"
[ -s "$tmp/err" ] && fail_ "doctor --json wrote on stderr: $(cat "$tmp/err")"
expect_eq "host (CHAOSD_HOST)" web-7 "$(jq_ "$tmp/doctor.json" 'd["host"]')"
expect_eq "version" "$("$CHAOSD" --version | cut -d' ' -f2)" \
	"$(jq_ "$tmp/doctor.json" 'd["chaosd"]')"
expect_eq "ok: exit status 0" "$([ $json_st = 0 ] && echo True || echo False)" \
	"$(jq_ "$tmp/doctor.json" 'd["ok"]')"
# the same capabilities as the text, each with the same answer; the
# kinds' own lines (kind.h: doctor) among them, named after their kind
"$PYTHON" - "$tmp/doctor.json" "$tmp/text" <<'EOF' || fail_ "JSON and text disagree"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
caps = d["capabilities"]
for key in ("cap_net_admin", "seccomp_notify", "libinject",
            "process_signals", "process_cgroup_freezer",
            "stress_memory_stressor", "limit_cpu_max", "limit_memory_high",
            "limit_io_max"):
    assert key in caps, key
for key, c in caps.items():
    kind = key.split("_")[0]
    if kind in ("process", "stress", "limit"):
        assert c.pop("kind") == kind, (key, c)
    assert set(c) == {"ok", "needed", "label", "detail", "fix"}, (key, c)
    assert isinstance(c["ok"], bool) and isinstance(c["needed"], bool), key
    assert c["detail"] is None or isinstance(c["detail"], str), key
    assert c["fix"] is None or (not c["ok"] and c["fix"]), key
    if not c["ok"] and c["needed"]:
        assert c["fix"] or key in ("rtnetlink", "netns_probes"), key
    lines = [l for l in text if l.startswith(c["label"] + " ")]
    if key == "netns" and c["ok"]:
        continue            # the text shows it only when it fails
    assert len(lines) == 1, (key, lines)
    word = lines[0][len(c["label"]):].split()[0]
    want = "ok" if c["ok"] else ("MISSING" if c["needed"] else "absent")
    assert word == want, (key, word, want)
missing = any(c["needed"] and not c["ok"] for c in caps.values())
assert d["ok"] == (not missing)
print("ok: %d capabilities, as the text says them" % len(caps))
EOF

# libinject missing: said, with the fix, and exit 1
CHAOS_LIBINJECT=$tmp/none/libinject.so "$CHAOSD" doctor --json >"$tmp/nolib.json"
expect_eq "exit status without libinject" 1 $?
expect_eq "libinject ok" False "$(jq_ "$tmp/nolib.json" 'd["capabilities"]["libinject"]["ok"]')"
jq_ "$tmp/nolib.json" 'd["capabilities"]["libinject"]["detail"]' >"$tmp/detail"
expect_grep "$tmp/none/libinject.so" "$tmp/detail" "libinject's detail"
jq_ "$tmp/nolib.json" 'd["capabilities"]["libinject"]["fix"]' >"$tmp/fix"
expect_grep 'CHAOS_LIBINJECT' "$tmp/fix" "libinject's fix"

# ---- what a scenario needs ------------------------------------------------
cat >"$tmp/svc.ini" <<EOF
[scenario]
name = svc
duration = 5s
[service.web]
command = sleep 10
[inject.slow]
call = read
delay = 1ms
[check.t]
type = exec
command = true
EOF
cat >"$tmp/net.ini" <<EOF
[scenario]
name = net
duration = 5s
command = true
[network.lag]
dev = lo
delay = 100ms
[network.slow]
dev = lo
rate = 1mbit
exclude_port = none
[network.in]
dev = lo
rate = 1mbit
ingress = yes
dport = 80
[network.maybe]
dev = lo
loss = 5%
optional = yes
[syscall.slowread]
syscall = read
delay = 1ms
[syscall.plain]
syscall = openat
error = EACCES
EOF
# needs_ FILE: "capability for" lines of doctor --json FILE
needs_()
{
	"$CHAOSD" doctor --json "$1" >"$tmp/needs.json"
	needs_st=$?
	jq_ "$tmp/needs.json" '"\n".join("%s %s" % (n["capability"], n["for"]) for n in d["scenario"]["needs"])'
}
needs_ "$tmp/svc.ini" >"$tmp/svc.needs"
cat "$tmp/svc.needs"
expect_eq "svc.ini needs" "libinject [service.web]" "$(cat "$tmp/svc.needs")"
expect_eq "svc.ini: exit status" 0 "$needs_st"
expect_eq "svc.ini: ok" True "$(jq_ "$tmp/needs.json" 'd["ok"]')"
expect_eq "svc.ini: missing" "[]" "$(jq_ "$tmp/needs.json" 'd["scenario"]["missing"]')"

# [limit.*] needs the cgroup v2 controller of each file it sets;
# [process.*] and [stress.*] have a way without what they would rather
# have (SIGSTOP without a freezer), so they need nothing
cat >"$tmp/res.ini" <<EOF
[scenario]
name = res
duration = 5s
[service.s]
command = sleep 10
[limit.slow]
service = s
cpu = 20%
[limit.high]
service = s
memory_high = 64M
[process.freeze]
service = s
action = pause
for = 1s
[stress.spike]
service = s
memory = 1M
for = 1s
EOF
needs_ "$tmp/res.ini" >"$tmp/res.needs"
cat "$tmp/res.needs"
expect_eq "res.ini needs" "limit_cpu_max [limit.slow]
limit_memory_high [limit.high]
libinject [service.s]" "$(cat "$tmp/res.needs")"
expect_eq "res.ini: ok as the controllers are" \
	"$(jq_ "$tmp/needs.json" 'all(d["capabilities"][k]["ok"] for k in ("limit_cpu_max", "limit_memory_high", "libinject"))')" \
	"$(jq_ "$tmp/needs.json" 'd["ok"]')"

needs_ "$tmp/net.ini" >"$tmp/net.needs"
cat "$tmp/net.needs"
expect_eq "net.ini needs" "cap_net_admin [network.lag]
netem [network.lag]
htb [network.lag]
u32 [network.lag]
tbf [network.slow]
ifb [network.in]
mirred [network.in]
ingress [network.in]
seccomp_notify [syscall.slowread]
libinject [scenario] command" "$(cat "$tmp/net.needs")"
# the verdict is this machine's: every need against its capability
"$PYTHON" - "$tmp/needs.json" "$needs_st" <<'EOF' || fail_ "needs and capabilities disagree"
import json, sys
d = json.load(open(sys.argv[1]))
caps = d["capabilities"]
for n in d["scenario"]["needs"]:
    assert n["ok"] == caps.get(n["capability"], {}).get("ok", False), n
miss = [n["capability"] for n in d["scenario"]["needs"] if not n["ok"]]
assert [n["capability"] for n in d["scenario"]["missing"]] == miss
assert d["ok"] == (not miss)
assert int(sys.argv[2]) == (1 if miss else 0), (sys.argv[2], miss)
print("ok: missing here: %s" % (", ".join(miss) or "nothing"))
EOF
CHAOS_LIBINJECT=$tmp/none "$CHAOSD" doctor "$tmp/svc.ini" >"$tmp/svc.text"
expect_eq "svc.ini without libinject: exit status" 1 $?
cat "$tmp/svc.text"
expect_grep '^scenario svc needs: libinject \(for \[service\.web\]\)$' "$tmp/svc.text"
expect_grep '^scenario svc: MISSING libinject \(for \[service\.web\]\): install chaosd' \
	"$tmp/svc.text"

# a bad scenario: exit 2, its file and line
printf '[scenario]\nname = bad\n[check.x]\ntype = tcp\nadress = 1.2.3.4:5\n' >"$tmp/bad.ini"
"$CHAOSD" doctor --json "$tmp/bad.ini" >"$tmp/out" 2>"$tmp/err"
expect_eq "a bad scenario: exit status" 2 $?
expect_grep "bad\\.ini:5: .*adress" "$tmp/err" "the error names the file and line"
[ -s "$tmp/out" ] && fail_ "a bad scenario still printed: $(cat "$tmp/out")"
expect_status 2 "$CHAOSD" doctor "$tmp/svc.ini" "$tmp/net.ini"
expect_status 2 "$CHAOSD" doctor --frobnicate
"$CHAOSD" doctor --help >"$tmp/help"
expect_grep '^usage: chaosd doctor \[--json\] \[SCENARIO\]' "$tmp/help"
exit 0
