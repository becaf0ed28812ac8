# kvd-lib.sh: sourced (after init.sh) by the tests that drive the demo's
# kvd as a staging service would run: preloaded with libinject and
# CHAOS_TABLE=$T, on a free port, in a run directory of the test's own.
# Sets KVD, T (the table), port, U (its URL) and kvd (its pid); kvd is
# killed when the test ends.
require_prog_ curl
KVD=$abs_top_builddir/scenarios/demo/kvd
[ -x "$KVD" ] || framework_failure_ "no kvd at $KVD"
CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR
mkdir -p "$CHAOSD_RUNDIR"

T=$CHAOSD_RUNDIR/kvd.table
port=$(free_port)
U=http://127.0.0.1:$port
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$T "$KVD" -p "$port" -l "$tmp/kvd.log" 2>"$tmp/kvd.err" &
kvd=$!
at_exit_ 'kill $kvd 2>/dev/null'
i=0
until curl -s -o /dev/null "$U/health"; do
	i=$((i + 1))
	[ $i -lt 100 ] || framework_failure_ "kvd did not start: $(cat "$tmp/kvd.err")"
	sleep 0.05
done
