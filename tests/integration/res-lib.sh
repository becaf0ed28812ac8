# res-lib.sh: shared by the proc-*, stress-* and run-res* tests (faults
# on processes and resources).
#
#	. "$abs_top_srcdir/tests/integration/res-lib.sh"
#
# Each test has its own CHAOSD_RUNDIR (journal, guardian) under $tmp.
#
# ticker_ FILE: start a helper that writes a growing count to FILE every
#   10 ms (killed when the test ends); sets $ticker, its pid
# ticks_ FILE: the count it wrote last
# sigcount_ SECONDS OUT: a helper that counts the SIGRTMIN+1 it gets for
#   SECONDS, then writes the count to OUT; sets $counter, its pid, once
#   it is ready for them
# wait_until_ TENTHS CMD...: run CMD every 0.1 s until it succeeds; 1
#   when TENTHS tries all failed
# state_ PID: the process's state letter (R S D T Z), or - when gone
# cpu_ticks_ PID: its user + system CPU time, in clock ticks
# journal_left_: the journal entries still in $CHAOSD_RUNDIR
# chaosd_bg_ OUT CMD...: chaosd CMD... in the background, output to OUT;
#   sets $bg, its pid (killed when the test ends)
. "$abs_top_srcdir/tests/integration/init.sh"
require_python_
CHAOSD_RUNDIR=$tmp/run; export CHAOSD_RUNDIR

ticker_()
{
	"$PYTHON" -c 'import os, sys, time
n = 0
while True:
    n += 1
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("%d\n" % n)
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    time.sleep(0.01)' "$1" &
	ticker=$!
	at_exit_ "kill -CONT $ticker 2>/dev/null; kill $ticker 2>/dev/null"
	wait_until_ 50 test -s "$1" || framework_failure_ "the ticker did not start"
}

ticks_() { cat "$1" 2>/dev/null || echo 0; }

sigcount_()
{
	rm -f "$2" "$2.ready"
	# a real-time signal, blocked and taken one by one: each kill is
	# queued, where two SIGUSR1 sent before the target runs are one
	"$PYTHON" -c 'import signal, sys, time
sig = signal.SIGRTMIN + 1
signal.pthread_sigmask(signal.SIG_BLOCK, [sig])
open(sys.argv[2] + ".ready", "w").close()
end = time.time() + float(sys.argv[1])
n = 0
while time.time() < end:
    if signal.sigtimedwait([sig], max(0.001, min(0.1, end - time.time()))):
        n += 1
while signal.sigtimedwait([sig], 0):
    n += 1
open(sys.argv[2], "w").write("%d\n" % n)' "$1" "$2" &
	counter=$!
	at_exit_ "kill $counter 2>/dev/null"
	wait_until_ 100 test -e "$2.ready" || framework_failure_ "the counter did not start"
}

wait_until_()
{
	wait_until_n_=$1
	shift
	while [ "$wait_until_n_" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		wait_until_n_=$((wait_until_n_ - 1))
	done
	return 1
}

state_()
{
	sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null |
		grep . || echo -
}

cpu_ticks_()
{
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'
}

journal_left_() { ls "$CHAOSD_RUNDIR"/*.journal 2>/dev/null; }
no_journal_() { [ -z "$(journal_left_)" ]; }

chaosd_bg_()
{
	chaosd_bg_out_=$1
	shift
	"$CHAOSD" "$@" >"$chaosd_bg_out_" 2>&1 &
	bg=$!
	at_exit_ "kill -9 $bg 2>/dev/null"
}
