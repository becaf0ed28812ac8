#!/bin/sh
# Filters not covered elsewhere: exe= (the program's base name, through
# sh and exec) and fdtype= (file, socket, pipe; several).
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/f
printf 'data\n' >"$F"

# exe=: only the program named
shim_expect "^read=-1 errno=EIO" "read:path=$F:exe=fileops:error=EIO" "$FILEOPS" "open=$F" read=4
shim_expect "^read=4 data=data" "read:path=$F:exe=cat:error=EIO" "$FILEOPS" "open=$F" read=4
shim_expect "^read=-1 errno=EIO" "read:path=$F:exe=file*:error=EIO" "$FILEOPS" "open=$F" read=4
# through a shell: cat fails, head (same call, same file) does not
run_shim "%read:path=$F:exe=cat:error=EIO" sh -c "cat '$F'; echo cat=\$?; head -n 1 '$F'; echo head=\$?" >out 2>err
expect_grep "^cat=1$" out "exe=cat: cat"
expect_grep "^data$" out "exe=cat: head read the file"
expect_grep "^head=0$" out "exe=cat: head"
expect_grep "Input/output error" err "exe=cat: cat's message"
# the shell itself is another program: sh's own read of a script is not hit
printf 'echo from-script\n' >"$tmp/script.sh"
run_shim "%read:exe=cat:error=EIO" sh "$tmp/script.sh" >out 2>&1
expect_grep "^from-script$" out "exe=cat: sh reads its script"

# fdtype=
shim_expect "^write=-1 errno=EPIPE" "write:fdtype=pipe:error=EPIPE" "$FILEOPS" pipe write=abc
shim_expect "^write=3$" "write:fdtype=pipe:error=EPIPE" "$FILEOPS" "openw=$tmp/w" write=abc
shim_expect "^write=-1 errno=ECONNRESET" "write:fdtype=socket:error=ECONNRESET" "$FILEOPS" socketpair write=abc
shim_expect "^write=3$" "write:fdtype=socket:error=ECONNRESET" "$FILEOPS" pipe write=abc
shim_expect "^write=-1 errno=ENOSPC" "write:fdtype=file:error=ENOSPC" "$FILEOPS" "openw=$tmp/w" write=abc
shim_expect "^write=3$" "write:fdtype=file:error=ENOSPC" "$FILEOPS" socketpair write=abc
# several kinds, separated by ','
for sep in ,; do
	shim_expect "^write=-1 errno=EIO" "write:fdtype=pipe${sep}socket:error=EIO" "$FILEOPS" socketpair write=abc
	shim_expect "^write=-1 errno=EIO" "write:fdtype=pipe${sep}socket:error=EIO" "$FILEOPS" pipe write=abc
	shim_expect "^write=3$" "write:fdtype=pipe${sep}socket:error=EIO" "$FILEOPS" "openw=$tmp/w" write=abc
done
# a real pipeline: dd writing into a pipe fails, dd writing a file works
run_shim "%write:fdtype=pipe:exe=dd:error=EPIPE" sh -c "dd if='$F' status=none | cat >'$tmp/p'" 2>err
[ -s "$tmp/p" ] && fail_ "dd wrote into a pipe under fdtype=pipe: $(cat "$tmp/p")"
expect_grep "Broken pipe" err "dd's message"
run_shim "%write:fdtype=pipe:exe=dd:error=EPIPE" dd if="$F" of="$tmp/o" status=none ||
	fail_ "dd into a file failed under fdtype=pipe"
cmp -s "$F" "$tmp/o" || fail_ "dd into a file under fdtype=pipe: wrong copy"
exit 0
