#!/bin/sh
# Actions: error, retval, delay (with jitter), signal, exit, short,
# corrupt; and delay combined with error.
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/f
printf 'abcdefghijklmnopqrstuvwxyz\n' >"$F"
W=$tmp/w

# signal: the program dies of it, at the call
run_shim "write:path=$W:signal=SIGUSR1" "$FILEOPS" "openw=$W" write=x >out 2>&1
expect_eq "signal=SIGUSR1: status" 138 $?
[ -s "$W" ] && fail_ "the write that raised SIGUSR1 reached the file"
run_shim "write:path=$W:signal=SEGV" "$FILEOPS" "openw=$W" write=x >out 2>&1
expect_eq "signal=SEGV: status" 139 $?
run_shim "write:path=$W:signal=9" "$FILEOPS" "openw=$W" write=x >out 2>&1
expect_eq "signal=9: status" 137 $?
# exit: _exit(N) at the call, nothing after it runs
run_shim "write:path=$W:exit=7" "$FILEOPS" "openw=$W" write=x write=y >out 2>&1
expect_eq "exit=7: status" 7 $?
expect_no_grep "^write=" out "exit=7: nothing after the call"
run_shim "write:path=$W:exit=0:nth=2" "$FILEOPS" "openw=$W" write=x write=y >out 2>&1
expect_eq "exit=0 at the 2nd write: status" 0 $?
expect_eq "exit=0 at the 2nd write: output" "openw=3
write=1" "$(cat out)"

# retval: the call is not made, its result is N
shim_expect "^write=0$" "write:path=$W:retval=0" "$FILEOPS" "openw=$W" write=xyz
[ -s "$W" ] && fail_ "write:retval=0 wrote to the file"
shim_expect "^write=-1 errno=ENOSPC" "write:path=$W:retval=-1:error=ENOSPC" "$FILEOPS" "openw=$W" write=xyz
shim_expect "^read=3 " "read:path=$F:retval=3" "$FILEOPS" "open=$F" read=10
shim_expect "^stat=0" "stat:path=$tmp/missing:retval=0" "$FILEOPS" "stat=$tmp/missing"

# short: at most N bytes, or P% of them (at least 1)
shim_expect "^read=2 data=ab$" "read:path=$F:short=2" "$FILEOPS" "open=$F" read=10
shim_expect "^read=5 data=abcde$" "read:path=$F:short=50%" "$FILEOPS" "open=$F" read=10
shim_expect "^read=1 data=a$" "read:path=$F:short=1%" "$FILEOPS" "open=$F" read=10
shim_expect "^pread=2 data=cd$" "%read:path=$F:short=2" "$FILEOPS" "open=$F" pread=10,2
shim_expect "^readv=2 data=ab$" "%read:path=$F:short=2" "$FILEOPS" "open=$F" readv=10
shim_expect "^fread=2 data=ab$" "%read:path=$F:short=2" "$FILEOPS" "fopen=$F,r" fread=10
shim_expect "^write=2$" "write:path=$W:short=2" "$FILEOPS" "openw=$W" write=hello
expect_eq "short=2 write: file content" he "$(cat "$W")"
shim_expect "^writev=4$" "%write:path=$W:short=4" "$FILEOPS" "openw=$W" writev=abcdefgh
expect_eq "short=4 writev: file content" abcd "$(cat "$W")"
# a real program: dd copies only the 2 bytes a short read gives
run_shim "%read:path=$F:short=2" dd if="$F" of="$tmp/dd.out" bs=100 count=1 >out 2>&1 ||
	fail_ "dd under short=2: $(cat out)"
expect_eq "dd, short=2: bytes copied" ab "$(cat "$tmp/dd.out")"

# corrupt=1: exactly one bit differs from the file
head -c 4096 /dev/urandom >"$tmp/rand" 2>/dev/null || framework_failure_ "no /dev/urandom"
run_shim "%read:path=$tmp/rand:corrupt=1:count=1" dd if="$tmp/rand" of="$tmp/rand.out" bs=8192 \
	>out 2>&1 || fail_ "dd under corrupt=1: $(cat out)"
bits=$(cmp -l "$tmp/rand" "$tmp/rand.out" | awk '
	{ x = 0; a = 0; b = 0
	  # cmp -l prints octal bytes
	  for (i = 1; i <= length($2); i++) a = a * 8 + substr($2, i, 1)
	  for (i = 1; i <= length($3); i++) b = b * 8 + substr($3, i, 1)
	  for (k = 0; k < 8; k++) { if ((int(a / 2^k) % 2) != (int(b / 2^k) % 2)) n++ } }
	END { print n + 0 }')
expect_eq "corrupt=1: bits flipped" 1 "$bits"
expect_eq "corrupt=1: size kept" 4096 "$(wc -c <"$tmp/rand.out" | tr -d ' ')"
run_shim "%read:path=$tmp/rand:corrupt=3:count=1" dd if="$tmp/rand" of="$tmp/rand.out" bs=8192 >out 2>&1
n=$(cmp -l "$tmp/rand" "$tmp/rand.out" | wc -l)
expect_range "corrupt=3: bytes differing" 1 3 "$n"

# delay: at least the delay; with jitter at least delay - jitter
run_shim "read:path=$F:delay=300ms" "$FILEOPS" timed "open=$F" read=1 >out 2>&1
expect_range "delay=300ms (ms)" 298 10000 "$(sed -n 's/^read=1 data=a ms=//p' out)"
run_shim "read:path=$F:delay=200ms:jitter=100ms" "$FILEOPS" timed "open=$F" \
	read=1 read=1 read=1 read=1 read=1 >out 2>&1
for ms in $(sed -n 's/^read=1 data=. ms=//p' out); do
	expect_range "delay=200ms jitter=100ms (ms)" 99 10000 "$ms"
done
[ "$(grep -c '^read=1' out)" = 5 ] || fail_ "jitter: five reads expected: $(cat out)"
# jitter larger than the delay: never below 0, no failure
shim_expect "^read=1 data=a" "read:path=$F:delay=1ms:jitter=50ms" "$FILEOPS" "open=$F" read=1
# a slow failure
run_shim "read:path=$F:delay=200ms:error=ETIMEDOUT" "$FILEOPS" timed "open=$F" read=1 >out 2>&1
expect_grep "^read=-1 errno=ETIMEDOUT ms=" out
expect_range "delay=200ms:error=ETIMEDOUT (ms)" 198 10000 "$(sed -n 's/^read=-1 errno=ETIMEDOUT ms=//p' out)"
# the delay is on the faulted file only
run_shim "read:path=$F:delay=500ms" "$FILEOPS" timed "open=$tmp/rand" read=1 >out 2>&1
expect_range "delay on another file (ms)" 0 400 "$(sed -n 's/^read=1 data=.* ms=//p' out)"
exit 0
