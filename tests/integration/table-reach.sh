#!/bin/sh
# Proof of reach (issue #8): processes that run as another user are
# faulted and counted, and none of them can write the table that root's
# processes obey.
#  - a service started through setpriv --reuid=nobody with the table's
#    descriptors (CHAOS_TABLE_FD=T,R, as chaosd run hands them down) is
#    faulted, its injections are counted in the reach file, its children
#    attach the same way, and every attempt to write the table (pwrite,
#    a writable mmap, mprotect of the shim's mapping, reopening it) fails:
#    the table's bytes are unchanged;
#  - a process forked by a root process that then drops to nobody (as
#    nginx's workers do) goes on being faulted, read-only, and counted;
#  - a nobody process with the table's path and no descriptors refuses,
#    and says why on CHAOS_LOG_FD;
#  - attach records name the processes, and chaosd status lists those
#    that still run (text and --json);
#  - status shows a table whose file is gone once, and left_ms is null
#    for a killed table.
. "$abs_top_srcdir/tests/integration/init.sh"
require_root_
require_python_
require_prog_ setpriv sha256sum
id -u nobody >/dev/null 2>&1 || skip_ "no user 'nobody'"
NOGROUP=$(id -gn nobody)
AS_NOBODY="setpriv --reuid=nobody --regid=$NOGROUP --clear-groups"
chmod 755 "$tmp"
$AS_NOBODY test -r "$LIBINJECT" -a -x "$PYTHON" ||
	skip_ "nobody cannot read $LIBINJECT or run $PYTHON"

CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR
mkdir -m 700 "$CHAOSD_RUNDIR"
mkdir -m 777 "$tmp/pub"
T=$CHAOSD_RUNDIR/svc.table
: >"$tmp/shim.log"
chmod 600 "$tmp/shim.log"

expect_status 0 "$CHAOSD" inject --table "$T" \
	-i "%write:path=$tmp/pub/*:error=EIO:name=pub-eio" >/dev/null
[ "$(stat -c '%U %a' "$T.reach")" = "root 600" ] ||
	fail_ "the reach file: $(stat -c '%U %a' "$T.reach"), expected root 600"
sum_before=$(sha256sum <"$T")

cat >"$tmp/svc.py" <<'PY'
import ctypes, errno, mmap, os, subprocess, sys, time
pub, table, go = sys.argv[1], sys.argv[2], sys.argv[3]

def write(name):
    try:
        fd = os.open(os.path.join(pub, name), os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, b"x")
        os.close(fd)
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]

def attempt(what, f):
    try:
        f()
        print(what + "=done", flush=True)
    except OSError as e:
        print(what + "=" + errno.errorcode[e.errno], flush=True)

def mprotect_table():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    for line in open("/proc/self/maps"):
        if line.rstrip().endswith(table):
            lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
            if libc.mprotect(lo, hi - lo, 3) != 0:
                e = ctypes.get_errno()
                raise OSError(e, os.strerror(e))
            return
    raise OSError(errno.ENOENT, "not mapped")

def tamper():
    attempt("pwrite", lambda: os.pwrite(3, b"X", 0))
    attempt("mmap", lambda: mmap.mmap(3, 4096, mmap.MAP_SHARED,
                                      mmap.PROT_READ | mmap.PROT_WRITE))
    attempt("mprotect", mprotect_table)
    attempt("reopen", lambda: os.open("/proc/self/fd/3", os.O_RDWR))
    attempt("open", lambda: os.open(table, os.O_RDWR))

if sys.argv[4] == "fds":
    print("uid=%d writes=%s,%s,%s" % (os.geteuid(), write("a"), write("a"),
                                      write("a")), flush=True)
    # the descriptors passed on, as a service's own exec would keep them
    child = subprocess.run(["/bin/sh", "-c", "printf x > '%s/c'" % pub],
                           stderr=subprocess.DEVNULL, pass_fds=(3, 4, 5))
    print("child=%d" % child.returncode, flush=True)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.02)
    tamper()
elif sys.argv[4] == "drop":
    print("root=%s" % write("b"), flush=True)
    pid = os.fork()
    if pid == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        print("worker uid=%d write=%s" % (os.geteuid(), write("w")), flush=True)
        attempt("worker-mprotect", mprotect_table)
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.02)
        os._exit(0)
    os.waitpid(pid, 0)
else:
    print("uid=%d write=%s" % (os.geteuid(), write("d")), flush=True)
PY

wait_ready() {
	i=0
	until grep -q '^ready$' "$1"; do
		i=$((i + 1))
		[ $i -lt 500 ] || { cat "$1" "$2" >&2; fail_ "$3 never got ready"; }
		kill -0 "$4" 2>/dev/null || { cat "$1" "$2" >&2; fail_ "$3 died"; }
		sleep 0.02
	done
}

# 1. a service started as nobody through setpriv, holding the descriptors
(
	exec 3<"$T" 4<>"$T.reach" 5>>"$tmp/shim.log"
	LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T CHAOS_TABLE_FD=3,4 CHAOS_LOG_FD=5 \
		exec $AS_NOBODY "$PYTHON" "$tmp/svc.py" "$tmp/pub" "$T" "$tmp/go1" fds
) >"$tmp/svc.out" 2>"$tmp/svc.err" &
svc=$!
at_exit_ 'touch "$tmp/go1" "$tmp/go2"; kill $svc $drop 2>/dev/null'
wait_ready "$tmp/svc.out" "$tmp/svc.err" "the nobody service" $svc
expect_grep '^uid=65534 writes=EIO,EIO,EIO$' "$tmp/svc.out" "nobody's writes, faulted"
expect_grep '^child=[1-9]' "$tmp/svc.out" "its child (sh) faulted too"
expect_grep "^libinject\\[$svc\\] python3[^ ]*: attached table=$T mode=fd uid=65534 slot=[0-9]+\$" \
	"$tmp/shim.log" "CHAOS_LOG_FD: python attached through the descriptors"
expect_grep "^libinject\\[[0-9]+\\] (sh|dash): attached table=$T mode=fd uid=65534 " \
	"$tmp/shim.log" "CHAOS_LOG_FD: its child attached the same way"
"$CHAOSD" status >"$tmp/status"
expect_grep "^  pub-eio +matched 4 +injected 4 " "$tmp/status" "status: nobody's injections counted"
expect_grep "^    pid $svc +uid 65534 +fd +python3" "$tmp/status" "status: the service, attached"
"$CHAOSD" status --json >"$tmp/status.json"
"$PYTHON" - "$tmp/status.json" "$svc" >"$tmp/json.out" <<'PY' || fail_ "status --json: $(cat "$tmp/json.out")"
import json, sys
doc = json.load(open(sys.argv[1]))
t = doc["tables"][0]
a = [x for x in t["attached"] if x["pid"] == int(sys.argv[2])]
assert len(a) == 1, t["attached"]
assert a[0]["uid"] == 65534 and a[0]["mode"] == "fd", a
assert a[0]["exe"].startswith("python3"), a
assert t["rules"][0]["injected"] == 4, t["rules"]
assert isinstance(t["left_ms"], int), t["left_ms"]
print("ok")
PY
touch "$tmp/go1"
wait $svc
expect_grep '^pwrite=EBADF$' "$tmp/svc.out" "nobody: pwrite(2) on the table"
expect_grep '^mmap=EACCES$' "$tmp/svc.out" "nobody: a writable shared mmap of the table"
expect_grep '^mprotect=EACCES$' "$tmp/svc.out" "nobody: mprotect(PROT_WRITE) of the shim's mapping"
expect_grep '^reopen=EACCES$' "$tmp/svc.out" "nobody: /proc/self/fd/3 reopened read-write"
expect_grep '^open=EACCES$' "$tmp/svc.out" "nobody: the table's path, read-write"
expect_eq "the table's bytes after nobody's attempts" "$sum_before" "$(sha256sum <"$T")"

# 2. a root process whose forked worker drops to nobody
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$PYTHON" "$tmp/svc.py" "$tmp/pub" "$T" "$tmp/go2" drop \
	>"$tmp/drop.out" 2>"$tmp/drop.err" &
drop=$!
wait_ready "$tmp/drop.out" "$tmp/drop.err" "the dropping worker" $drop
expect_grep '^root=EIO$' "$tmp/drop.out" "root's own write, faulted"
expect_grep '^worker uid=65534 write=EIO$' "$tmp/drop.out" "the worker, after setuid: faulted"
expect_grep '^worker-mprotect=EACCES$' "$tmp/drop.out" "the worker cannot make the table writable again"
"$CHAOSD" status >"$tmp/status"
expect_grep "^    pid $drop +uid 0 +rw +python3" "$tmp/status" "status: the root process, read-write"
expect_grep "^    pid [0-9]+ +uid 65534 +dropped +python3" "$tmp/status" "status: its worker, dropped"
expect_grep "^  pub-eio +matched 6 +injected 6 " "$tmp/status" "status: root's and the worker's injections"
touch "$tmp/go2"
wait $drop

# 3. nobody with the path only: refused, and said on CHAOS_LOG_FD
: >"$tmp/refused.log"
chmod 600 "$tmp/refused.log"
(
	exec 5>>"$tmp/refused.log"
	exec $AS_NOBODY env LD_PRELOAD="$LIBINJECT" CHAOS_TABLE="$T" CHAOS_LOG_FD=5 \
		"$PYTHON" "$tmp/svc.py" "$tmp/pub" "$T" "$tmp/go3" path
) >"$tmp/path.out" 2>"$tmp/path.err"
expect_grep '^uid=65534 write=ok$' "$tmp/path.out" "nobody without descriptors: not faulted"
expect_grep "^libinject\\[[0-9]+\\] python3[^ ]*: refused table=$T -- Permission denied \\(uid 65534, no CHAOS_TABLE_FD\\); no table faults\$" \
	"$tmp/refused.log" "the refusal, on CHAOS_LOG_FD"
[ -s "$tmp/path.err" ] && fail_ "the refusal went to stderr too: $(cat "$tmp/path.err")"

# 4. gone processes are not listed; a killed table has no time left
"$CHAOSD" status >"$tmp/status"
expect_grep "^  attached: 0 running, [0-9]+ gone" "$tmp/status" "status, everyone gone"
expect_status 0 "$CHAOSD" abort >/dev/null
"$CHAOSD" status --json >"$tmp/status.json"
expect_grep '"state": "killed".*"left_ms": null' "$tmp/status.json" "killed: left_ms"
# a registered table whose file is gone: shown once, with a hint
expect_status 0 "$CHAOSD" inject --table "$tmp/gone.table" -i "read:path=/nowhere:error=EIO" >/dev/null
rm "$tmp/gone.table" "$tmp/gone.table.reach"
"$CHAOSD" status >"$tmp/status"
expect_grep "^$tmp/gone.table +missing .*the file is gone" "$tmp/status" "status, the first time"
"$CHAOSD" status >"$tmp/status"
expect_no_grep "gone.table" "$tmp/status" "status, the second time"
exit 0
