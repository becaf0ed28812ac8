#!/bin/sh
# Configuration: CHAOS_LOG (stderr or a file: a line per injection, rate
# limited, a summary per rule at exit), CHAOS_INJECT_FILE ([inject.NAME]
# sections, with CHAOS_INJECT beside it), name=.
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/f
printf 'x' >"$F"

# CHAOS_LOG=stderr: one line per injection, then the summary
CHAOS_LOG=stderr run_shim "%read:path=$F:error=EIO:count=2:name=disk" \
	"$FILEOPS" "open=$F" pread=1,0 pread=1,0 pread=1,0 >out 2>err
unset CHAOS_LOG
expect_eq "CHAOS_LOG=stderr: injection lines" 2 \
	"$(grep -c '^libinject\[[0-9]*\] fileops: inject rule=disk call=pread fd=[0-9]* action=error error=EIO source=own$' err)"
expect_grep "^libinject\\[[0-9]+\\] fileops: summary rule=disk matched=3 injected=2 source=own$" err
expect_eq "CHAOS_LOG=stderr: nothing else on stderr" 3 "$(wc -l <err | tr -d ' ')"
expect_grep "^pread=1 data=x" out "the third pread passes"

# CHAOS_LOG=FILE, rate limited: 5000 injections in a burst log far fewer
# lines (a burst of about 20, then 10 a second), the summary counts all
CHAOS_LOG=$tmp/log run_shim "%read:path=$F:error=EIO" "$FILEOPS" "open=$F" repeat=5000 pread=1,0 >out 2>err
unset CHAOS_LOG
expect_grep "^repeat=5000 ok=0 fail=5000" out
n=$(grep -c ': inject rule=rule1 call=pread ' "$tmp/log")
expect_range "rate-limited injection lines" 1 100 "$n"
expect_grep "summary rule=rule1 matched=5000 injected=5000 source=own$" "$tmp/log"
[ -s err ] && fail_ "CHAOS_LOG=FILE wrote to stderr: $(cat err)"
# a log that cannot be opened: one warning, the faults still apply
CHAOS_LOG=$tmp/no/such/dir/log run_shim "%read:path=$F:error=EIO" "$FILEOPS" "open=$F" pread=1,0 >out 2>err
unset CHAOS_LOG
expect_grep "^pread=-1 errno=EIO" out "faults with a bad CHAOS_LOG"
expect_eq "bad CHAOS_LOG: stderr lines" 1 "$(grep -c '^libinject\[[0-9]*\] fileops: error var=CHAOS_LOG -- ' err)"

# CHAOS_INJECT_FILE: [inject.NAME] sections, their names in the log
cat >"$tmp/rules.ini" <<EOT
; faults for the test
[inject.slow-reads]
call = %read
path = $tmp/slow*
delay = 200ms

[inject.disk-full]
call = write, pwrite
path = $tmp/w*
error = ENOSPC
count = 1
EOT
printf 'slow' >"$tmp/slow"
CHAOS_INJECT_FILE=$tmp/rules.ini CHAOS_LOG=stderr LD_PRELOAD=$LIBINJECT \
	"$FILEOPS" timed "open=$tmp/slow" read=4 "openw=$tmp/w" write=ab write=cd >out 2>err
expect_grep "^read=4 data=slow ms=([2-9][0-9][0-9]|[0-9]{4,})$" out "[inject.slow-reads]"
expect_grep "^write=-1 errno=ENOSPC" out "[inject.disk-full]"
expect_grep "^write=2 " out "[inject.disk-full] count=1"
expect_grep "inject rule=disk-full call=write .*error=ENOSPC" err "log line names the section"
expect_grep "summary rule=slow-reads matched=1 injected=1 source=own$" err
expect_grep "summary rule=disk-full matched=2 injected=1 source=own$" err
# with CHAOS_INJECT beside it: both apply
CHAOS_INJECT_FILE=$tmp/rules.ini LD_PRELOAD=$LIBINJECT CHAOS_INJECT="stat:path=$F:error=EACCES" \
	"$FILEOPS" "stat=$F" "openw=$tmp/w" write=ab >out 2>err
expect_grep "^stat=-1 errno=EACCES" out "CHAOS_INJECT beside CHAOS_INJECT_FILE"
expect_grep "^write=-1 errno=ENOSPC" out "CHAOS_INJECT_FILE beside CHAOS_INJECT"
# a bad file: one line naming file and line, nothing injected
printf '[inject.x]\ncall = read\nerror = EIO\ndealy = 1s\n' >"$tmp/bad.ini"
CHAOS_INJECT_FILE=$tmp/bad.ini LD_PRELOAD=$LIBINJECT "$FILEOPS" "open=$F" read=1 >out 2>err
expect_grep "^read=1 data=x" out "bad CHAOS_INJECT_FILE: nothing injected"
expect_eq "bad CHAOS_INJECT_FILE: stderr lines" 1 "$(wc -l <err | tr -d ' ')"
expect_grep "^libinject\\[[0-9]+\\] [^ ]+: error var=CHAOS_INJECT_FILE -- .*bad.ini:4.*dealy" err "bad CHAOS_INJECT_FILE: file, line and key"
# a missing file
CHAOS_INJECT_FILE=$tmp/none.ini LD_PRELOAD=$LIBINJECT "$FILEOPS" "open=$F" read=1 >out 2>err
expect_grep "^read=1 data=x" out "missing CHAOS_INJECT_FILE: nothing injected"
expect_eq "missing CHAOS_INJECT_FILE: stderr lines" 1 "$(grep -c '^libinject\[[0-9]*\] [^ ]*: error var=CHAOS_INJECT_FILE -- .*none.ini' err)"
# chaosd exec -f: the same file
"$CHAOSD" exec -f "$tmp/rules.ini" -- "$FILEOPS" "openw=$tmp/w" write=ab >out 2>&1
expect_grep "^write=-1 errno=ENOSPC" out "chaosd exec -f"
exit 0
