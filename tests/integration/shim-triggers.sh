#!/bin/sh
# Triggers: nth, after, count, probability (and its statistics),
# start/for windows, CHAOS_SEED, and how several rules share a call.
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/f
printf 'x' >"$F"
OPEN="open=$F"
P="pread=1,0"

# pattern= is one character per call, 1 for a failed one
pattern() { run_shim "$1" "$FILEOPS" "$OPEN" "repeat=$2" "$P" 2>&1 | sed -n 's/.*pattern=//p'; }

expect_eq "nth=3" 001001001 "$(pattern "%read:path=$F:nth=3:error=EIO" 9)"
expect_eq "after=4" 000011111 "$(pattern "%read:path=$F:after=4:error=EIO" 9)"
expect_eq "count=2" 110000000 "$(pattern "%read:path=$F:count=2:error=EIO" 9)"
expect_eq "after=2:nth=2:count=2" 000101000 "$(pattern "%read:path=$F:after=2:nth=2:count=2:error=EIO" 9)"
expect_eq "probability=0" 0000000000 "$(pattern "%read:path=$F:probability=0:error=EIO" 10)"
expect_eq "probability=100%" 1111111111 "$(pattern "%read:path=$F:probability=100%:error=EIO" 10)"
expect_eq "probability=1" 1111111111 "$(pattern "%read:path=$F:probability=1:error=EIO" 10)"

# probability=10% over 20,000 calls: 2,000 +- 10%, from the helper's
# count and from the CHAOS_LOG summary, which must agree
CHAOS_LOG=$tmp/log run_shim "%read:path=$F:probability=10%:error=EIO:name=tenpct" \
	"$FILEOPS" "$OPEN" repeat=20000 "$P" >out 2>&1
unset CHAOS_LOG
fails=$(field fail out)
expect_range "probability=10%: failed calls of 20000" 1800 2200 "$fails"
expect_grep "summary rule=tenpct matched=20000 injected=$fails source=own\$" "$tmp/log" "CHAOS_LOG summary"
# and 0.5 as a fraction, over 4000 calls
CHAOS_SEED=7 run_shim "%read:path=$F:probability=0.5:error=EIO" "$FILEOPS" "$OPEN" repeat=4000 "$P" >out 2>&1
expect_range "probability=0.5: failed calls of 4000" 1800 2200 "$(field fail out)"
# probability with count: count caps it
expect_eq "probability=50%:count=3: failures" 3 \
	"$(run_shim "%read:path=$F:probability=50%:count=3:error=EIO" "$FILEOPS" "$OPEN" repeat=200 "$P" | sed -n 's/.* fail=\([0-9]*\).*/\1/p')"

# CHAOS_SEED: the same seed makes the same decisions; another seed others
R="%read:path=$F:probability=50%:error=EIO"
a=$(CHAOS_SEED=42 pattern "$R" 200)
b=$(CHAOS_SEED=42 pattern "$R" 200)
c=$(CHAOS_SEED=43 pattern "$R" 200)
[ ${#a} = 200 ] || fail_ "seed: pattern of 200 calls expected, got '$a'"
expect_eq "CHAOS_SEED=42 twice" "$a" "$b"
[ "$a" != "$c" ] || fail_ "CHAOS_SEED=42 and 43 made the same 200 decisions"
echo "ok: CHAOS_SEED=43 differs"
# chaosd exec --seed does the same
d=$("$CHAOSD" exec --seed 42 -i "$R" -- "$FILEOPS" "$OPEN" repeat=200 "$P" | sed -n 's/.*pattern=//p')
e=$("$CHAOSD" exec --seed 42 -i "$R" -- "$FILEOPS" "$OPEN" repeat=200 "$P" | sed -n 's/.*pattern=//p')
expect_eq "chaosd exec --seed 42 twice" "$d" "$e"

unset CHAOS_SEED

# start= and for=: the window, from the moment the rules are armed
run_shim "%read:path=$F:start=400ms:error=EIO" "$FILEOPS" "$OPEN" "$P" sleep=700 "$P" >out 2>&1
expect_eq "start=400ms" "open=3
pread=1 data=x
pread=-1 errno=EIO" "$(cat out)"
run_shim "%read:path=$F:for=400ms:error=EIO" "$FILEOPS" "$OPEN" "$P" sleep=700 "$P" >out 2>&1
expect_eq "for=400ms" "open=3
pread=-1 errno=EIO
pread=1 data=x" "$(cat out)"
run_shim "%read:path=$F:start=300ms:for=400ms:error=EIO" "$FILEOPS" "$OPEN" "$P" sleep=500 "$P" sleep=600 "$P" >out 2>&1
expect_eq "start=300ms:for=400ms" "open=3
pread=1 data=x
pread=-1 errno=EIO
pread=1 data=x" "$(cat out)"

# several rules: each one whose filters match counts the call; the first
# whose trigger fires injects
CHAOS_LOG=$tmp/log2 run_shim "%read:path=$F:nth=2:error=EIO:name=first;%read:path=$F:error=ENOSPC:name=second;%read:path=/nowhere:error=EBADF:name=third" \
	"$FILEOPS" "$OPEN" "$P" "$P" "$P" "$P" >out 2>&1
# (the log holds fd 3: F is opened as fd 4)
expect_eq "two rules on one call" "open=4
pread=-1 errno=ENOSPC
pread=-1 errno=EIO
pread=-1 errno=ENOSPC
pread=-1 errno=EIO" "$(cat out)"
expect_grep "summary rule=first matched=4 injected=2 source=own$" "$tmp/log2" "summary of rule first"
expect_grep "summary rule=second matched=4 injected=2 source=own$" "$tmp/log2" "summary of rule second"
expect_grep "summary rule=third matched=0 injected=0 source=own$" "$tmp/log2" "summary of rule third"
exit 0
