# table-lib.sh: sourced by the fault-table tests (table-*.sh), after
# init.sh. A prober: a python loop preloaded with CHAOS_TABLE, writing one
# byte to a file every millisecond and printing "TIME_NS STATE" each time
# what it sees changes (STATE: ok, or the errno name), so a test can tell
# when a table change reached a running process.
#
#   probe_start TABLE TARGET SECONDS   start it (in the background)
#   probe_wait STATE [TIMEOUT_MS]      wait until it sees STATE (after
#                                      what the last probe_wait saw), or
#                                      fail; $probe_t: when (ns)
#   probe_stop
#   status_ N CMD...                   run CMD (stdout to $tmp/out, stderr
#                                      to $tmp/err), fail unless it exits
#                                      with N
require_python_
CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR
mkdir -p "$CHAOSD_RUNDIR"

cat >"$tmp/prober.py" <<'PY'
import errno, os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
end = time.time() + float(sys.argv[2])
state = None
n = 0
while time.time() < end:
    try:
        os.write(fd, b"x")
        s = "ok"
    except OSError as e:
        s = errno.errorcode.get(e.errno, str(e.errno))
    if s != state:
        print(time.time_ns(), s, flush=True)
        state = s
    n += 1
    if n % 4096 == 0:
        os.ftruncate(fd, 0)
    time.sleep(0.001)
PY

probe_start()
{
	probe_out=$tmp/probe.out
	: >"$probe_out"
	probe_seen=0
	LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$1 "$PYTHON" "$tmp/prober.py" \
		"$2" "$3" >"$probe_out" 2>"$tmp/probe.err" &
	probe_pid=$!
	at_exit_ 'kill $probe_pid 2>/dev/null'
	probe_wait ok 5000
}

probe_wait()
{
	probe_wait_deadline_=$(( $(now_ms) + ${2:-3000} ))
	while :; do
		probe_wait_line_=$(awk -v from="$probe_seen" -v s="$1" \
			'NR > from && $2 == s { print NR, $1; exit }' "$probe_out")
		if [ -n "$probe_wait_line_" ]; then
			probe_seen=${probe_wait_line_% *}
			probe_t=${probe_wait_line_#* }
			return 0
		fi
		if [ "$(now_ms)" -gt "$probe_wait_deadline_" ]; then
			cat "$probe_out" "$tmp/probe.err" >&2
			fail_ "the prober did not see $1 within ${2:-3000} ms"
		fi
		sleep 0.005
	done
}

probe_stop() { kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null; }

now_ns() { date +%s%N; }

status_() {
	status_want_=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	status_got_=$?
	[ "$status_got_" = "$status_want_" ] || {
		cat "$tmp/out" "$tmp/err" >&2
		fail_ "'$*' exited with $status_got_, expected $status_want_"
	}
}
