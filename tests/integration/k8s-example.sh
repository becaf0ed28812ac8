#!/bin/sh
# The Kubernetes example (scenarios/fleet/kubernetes/chaosd-daemonset.yaml),
# read by a real YAML parser (PyYAML): a DaemonSet on the host's network
# and pids, with the capabilities chaosd needs and not privileged, its
# journal directory (CHAOSD_RUNDIR) on a hostPath of the same path, the
# reports named after the node, chaosd recover when a pod starts and
# chaosd abort before it stops; the commands it runs are chaosd's, and
# the scenario it ships validates.
. "$abs_top_srcdir/tests/integration/init.sh"
# Debian's python3 has python3-yaml; another python3 on PATH may not
py=/usr/bin/python3
[ -x "$py" ] && "$py" -c 'import yaml' 2>/dev/null ||
	skip_ "needs /usr/bin/python3 with PyYAML (Debian: python3-yaml)"

k8s=$abs_top_srcdir/scenarios/fleet/kubernetes/chaosd-daemonset.yaml
"$py" - "$k8s" "$tmp" <<'EOF' || fail_ "the DaemonSet example"
import json, os, sys, yaml

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
out = sys.argv[2]
kinds = [d["kind"] for d in docs]
assert kinds.count("DaemonSet") == 1, kinds
ds = next(d for d in docs if d["kind"] == "DaemonSet")
assert ds["apiVersion"] == "apps/v1", ds["apiVersion"]
ns = ds["metadata"]["namespace"]
assert any(d["kind"] == "Namespace" and d["metadata"]["name"] == ns
           for d in docs), "no Namespace %s" % ns

spec = ds["spec"]
tmpl = spec["template"]
labels = tmpl["metadata"]["labels"]
for k, v in spec["selector"]["matchLabels"].items():
    assert labels.get(k) == v, "selector %s=%s does not match the pods" % (k, v)
pod = tmpl["spec"]
assert pod.get("hostNetwork") is True, "hostNetwork"
assert pod.get("hostPID") is True, "hostPID"
assert pod.get("dnsPolicy") == "ClusterFirstWithHostNet", "dnsPolicy"
assert pod.get("terminationGracePeriodSeconds", 30) >= 30, "grace period"
(c,) = pod["containers"]

sec = c["securityContext"]
assert sec.get("privileged") is not True, "privileged"
caps = sec["capabilities"]
assert caps.get("drop") == ["ALL"], caps
add = set(caps["add"])
for need in ("NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE"):
    assert need in add, "capability %s" % need

env = {e["name"]: e for e in c["env"]}
rundir = env["CHAOSD_RUNDIR"]["value"]
assert env["CHAOSD_HOST"]["valueFrom"]["fieldRef"]["fieldPath"] == \
    "spec.nodeName", env["CHAOSD_HOST"]
vols = {v["name"]: v for v in pod["volumes"]}
mount = [m for m in c["volumeMounts"] if m["mountPath"] == rundir]
assert len(mount) == 1, "nothing mounted at CHAOSD_RUNDIR %s" % rundir
hp = vols[mount[0]["name"]].get("hostPath")
assert hp and hp["path"] == rundir, "CHAOSD_RUNDIR is not the node's %s" % rundir
assert hp.get("type") == "DirectoryOrCreate", hp
assert not mount[0].get("readOnly"), "the journal must be writable"

# the scenarios' ConfigMap is mounted, and each scenario is saved for
# chaosd validate
cm_mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
for name, v in vols.items():
    if "configMap" in v:
        cm = next(d for d in docs if d["kind"] == "ConfigMap"
                  and d["metadata"]["name"] == v["configMap"]["name"])
        assert name in cm_mounts, "ConfigMap volume %s not mounted" % name
        for f, text in cm["data"].items():
            open(os.path.join(out, "scenario-" + f), "w").write(text)

stop = c["lifecycle"]["preStop"]["exec"]["command"]
json.dump({"prestop": stop, "start": c["command"]},
          open(os.path.join(out, "commands.json"), "w"))
start = " ".join(c["command"])
assert "chaosd recover" in start, "the pod does not recover when it starts"
assert start.index("chaosd recover") < start.index("while"), start
print("ok: DaemonSet %s/%s: hostNetwork, hostPID, caps %s, CHAOSD_RUNDIR %s "
      "on the node, preStop %s" % (ns, ds["metadata"]["name"],
      ",".join(sorted(add)), rundir, " ".join(stop)))
EOF

# the scenario it ships is valid
n=0
for f in "$tmp"/scenario-*; do
	"$CHAOSD" validate "$f" >"$tmp/out" 2>&1 || {
		cat "$tmp/out" >&2
		fail_ "${f##*/scenario-} in the ConfigMap does not validate"
	}
	n=$((n + 1))
done
expect_range "scenarios in the ConfigMap" 1 100 "$n"

# its preStop is a chaosd command that works: chaosd abort, with nothing
# running, succeeds and touches nothing
mkdir -p "$tmp/bin"
ln -s "$CHAOSD" "$tmp/bin/chaosd"
"$py" -c 'import json, sys; print("\0".join(json.load(open(sys.argv[1]))["prestop"]))' \
	"$tmp/commands.json" | tr '\0' '\n' >"$tmp/prestop"
expect_eq "preStop" "chaosd
abort" "$(cat "$tmp/prestop")"
PATH=$tmp/bin:$PATH CHAOSD_RUNDIR=$tmp/run chaosd abort >"$tmp/out" 2>&1
expect_eq "the preStop's exit status" 0 $?
[ -e "$tmp/run" ] && fail_ "the preStop's abort created $tmp/run"
exit 0
