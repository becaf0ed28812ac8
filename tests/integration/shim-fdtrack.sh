#!/bin/sh
# path= on descriptor calls: the path an fd was opened from, followed
# through dup, dup2, dup3, fcntl(F_DUPFD), relative paths, openat with a
# directory descriptor, descriptors the shim did not see opened, and
# forgotten again at close.
. "$abs_top_srcdir/tests/integration/init.sh"

mkdir -p "$tmp/dir/sub"
F=$tmp/dir/sub/f.txt
G=$tmp/dir/g.txt
printf 'faulted\n' >"$F"
printf 'healthy\n' >"$G"
R="read:path=$F:error=EIO"

# copies of F's descriptor fail too, also once the original is closed
for dup in dup dup2=20 dup3=21 dupfd=30; do
	shim_expect "^read=-1 errno=EIO" "$R" "$FILEOPS" "open=$F" "$dup" read=4
done
shim_expect "^dup2=20" "$R" "$FILEOPS" "open=$F" dup2=20 read=4
shim_expect "^dupfd=3[0-9]" "$R" "$FILEOPS" "open=$F" dupfd=30 read=4
run_shim "$R" "$FILEOPS" "open=$F" dup2=40 fd=3 close fd=40 read=4 >out 2>&1
expect_grep "^read=-1 errno=EIO" out "dup2 copy after the original is closed"

# a descriptor number reused for another file is that file now
run_shim "$R" "$FILEOPS" "open=$F" close "open=$G" read=7 >out 2>&1
expect_grep "^open=3$" out "fd reused"
expect_grep "^read=7 data=healthy" out "reused fd reads the new file"
# dup2 over a faulted descriptor: the copy of G is G
run_shim "$R" "$FILEOPS" "open=$G" "open=$F" fd=3 dup2=4 read=7 >out 2>&1
expect_grep "^read=7 data=healthy" out "dup2 of G over F's number"

# relative paths, "./", "..", and openat with a directory descriptor
shim_expect "^read=-1 errno=EIO" "$R" "$FILEOPS" "chdir=$tmp/dir" open=sub/f.txt read=4
shim_expect "^read=-1 errno=EIO" "$R" "$FILEOPS" "chdir=$tmp/dir/sub" open=./f.txt read=4
shim_expect "^read=-1 errno=EIO" "$R" "$FILEOPS" "chdir=$tmp/dir/sub" open=../sub/f.txt read=4
shim_expect "^read=-1 errno=EIO" "$R" "$FILEOPS" "openat=$tmp/dir/sub,f.txt" read=4
shim_expect "^read=7 data=healthy" "$R" "$FILEOPS" "openat=$tmp/dir,g.txt" read=7
shim_expect "^openat=-1 errno=ENOENT" "openat:path=$F:error=ENOENT" \
	"$FILEOPS" "openat=$tmp/dir,sub/f.txt"
shim_expect "^open=-1 errno=ENOENT" "open:path=$F:error=ENOENT" \
	"$FILEOPS" "chdir=$tmp/dir/sub" open=f.txt
# a glob: '*' crosses '/'
shim_expect "^read=-1 errno=EIO" "read:path=$tmp/dir/*:error=EIO" "$FILEOPS" "open=$F" read=4

# a descriptor opened before the program ran (the shell's redirection):
# recovered from /proc/self/fd
run_shim "$R" "$FILEOPS" fd=0 read=4 <"$F" >out 2>&1
expect_grep "^read=-1 errno=EIO" out "stdin redirected from F"
run_shim "$R" "$FILEOPS" fd=0 read=7 <"$G" >out 2>&1
expect_grep "^read=7 data=healthy" out "stdin redirected from G"
# the same with cat, a real program
run_shim "%read:path=$F:error=EIO" cat <"$F" >out 2>err && fail_ "cat < F succeeded"
expect_grep "Input/output error" err "cat < F"

# pipes and sockets have no path: a path rule never matches them
shim_expect "^write=3$" "write:path=$tmp/*:error=EIO" "$FILEOPS" pipe write=abc
exit 0
