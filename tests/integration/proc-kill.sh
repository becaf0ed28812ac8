#!/bin/sh
# chaosd proc kill: a process killed from outside dies of the signal
# asked; a name matching two processes is refused unless --all; pid 1,
# chaosd itself, its guardian and kernel threads are refused, nothing
# signalled; --every with a --probability and a --seed makes the same
# decisions every time, and the count is within binomial bounds.
. "$abs_top_srcdir/tests/integration/res-lib.sh"

# --- once, with the signal asked: the shell sees 128 + 15
sleep 60 &
p=$!
expect_status 0 "$CHAOSD" proc kill --pid $p --signal TERM
wait $p
expect_eq "exit status of a SIGTERMed sleep" 143 $?

# --- a name: exactly one process, or --all
cp /bin/sleep "$tmp/cdsleep$$"
"$tmp/cdsleep$$" 60 &
a=$!
"$tmp/cdsleep$$" 60 &
b=$!
at_exit_ "kill $a $b 2>/dev/null"
expect_status 2 "$CHAOSD" proc kill --name "cdsleep$$" 2>err
expect_grep "2 processes are named cdsleep$$ \\(pids " err
[ "$(state_ $a)" != - ] && [ "$(state_ $b)" != - ] ||
	fail_ "a refused kill signalled something"
expect_status 0 "$CHAOSD" proc kill --name "cdsleep$$" --all >out
expect_grep "sent SIGKILL to 2 processes named cdsleep$$" out
wait $a; sa=$?
wait $b; sb=$?
expect_eq "both killed by SIGKILL" "137 137" "$sa $sb"
expect_status 2 "$CHAOSD" proc kill --name "cdsleep$$" 2>err
expect_grep "no such process: a process named cdsleep$$" err

# --- never these
expect_status 2 "$CHAOSD" proc kill --pid 1 2>err
expect_grep "pid 1 \\(init\\) is never signalled" err
expect_status 2 "$CHAOSD" proc kill --name chaosd --all 2>err
expect_grep "is chaosd itself" err
kt=$(for f in /proc/[0-9]*/stat; do
	sed 's/.*) //' "$f" 2>/dev/null | awk -v f="$f" '
		int($7 / 2097152) % 2 == 1 { split(f, p, "/"); print p[3]; exit }'
done | head -n 1)
if [ -n "$kt" ]; then
	expect_status 2 "$CHAOSD" proc kill --pid "$kt" 2>err
	expect_grep "is a kernel thread" err
else
	echo "no kernel thread visible here: that refusal is not tried"
fi
# the guardian of this run directory: a pause in the background starts one
sleep 60 &
s=$!
at_exit_ "kill -CONT $s; kill $s 2>/dev/null"
chaosd_bg_ "$tmp/pause.out" proc pause --pid $s
wait_until_ 100 test -s "$CHAOSD_RUNDIR/guardian.pid" ||
	fail_ "no guardian.pid: $(cat "$tmp/pause.out")"
g=$(cat "$CHAOSD_RUNDIR/guardian.pid")
expect_status 2 "$CHAOSD" proc kill --pid "$g" 2>err
expect_grep "is chaosd's guardian" err
kill $bg
wait $bg
expect_eq "the guardian is alive" 0 "$(kill -0 "$g" 2>/dev/null; echo $?)"

# --- usage
expect_status 2 "$CHAOSD" proc kill --signal TERM 2>err
expect_grep "no target given" err
expect_status 2 "$CHAOSD" proc kill --pid 42 --name x 2>err
expect_grep "pid = is given already" err
expect_status 2 "$CHAOSD" proc kill --pid 42 --probability 5% 2>err
expect_grep "go with every" err
expect_status 2 "$CHAOSD" proc kill --pid 42 --signl TERM 2>err
expect_grep "unknown option '--signl' \\(did you mean '--signal'\\?\\)" err
expect_status 2 "$CHAOSD" proc kill --unit "cdnosuch$$" 2>err
expect_grep "unit cdnosuch$$.service: no cgroup" err
expect_status 2 "$CHAOSD" proc kill --cgroup "/cdnosuch$$" 2>err
expect_grep "no such cgroup" err

# --- every 20 ms for 3 s with probability 30%: 150 decisions; the same
# seed twice gives the same kills, which the target counts (a real-time signal: queued, never merged)
run_every_()
{
	sigcount_ 5 "$tmp/count"
	"$CHAOSD" proc kill --pid $counter --signal RTMIN+1 --every 20ms \
		--probability 30% --for 3s --seed "$1" >"$tmp/every" 2>&1 ||
		fail_ "kill --every: $(cat "$tmp/every")"
	wait $counter
	decisions=$(sed -n 's/^chaosd: \([0-9]*\) decisions, .*/\1/p' "$tmp/every")
	kills=$(sed -n 's/^chaosd: [0-9]* decisions, \([0-9]*\) kill.*/\1/p' "$tmp/every")
	got=$(cat "$tmp/count")
}
run_every_ 7
expect_eq "decisions in 3 s every 20 ms" 150 "$decisions"
expect_eq "signals counted by the target = kills said" "$kills" "$got"
# binomial(150, 0.3): mean 45, sd 5.6; 4 sd either side
expect_range "kills" 23 67 "$kills"
first=$kills
run_every_ 7
expect_eq "the same seed, the same kills" "$first" "$kills"
expect_eq "signals counted again" "$kills" "$got"
# --count stops the kills
sigcount_ 5 "$tmp/count"
expect_status 0 "$CHAOSD" proc kill --pid $counter --signal RTMIN+1 --every 20ms \
	--count 4 --for 3s >"$tmp/every"
wait $counter
expect_eq "--count 4: signals counted" 4 "$(cat "$tmp/count")"
no_journal_ || fail_ "journal left: $(journal_left_)"
exit 0
