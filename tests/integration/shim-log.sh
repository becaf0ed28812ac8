#!/bin/sh
# CHAOS_LOG never writes where someone else points it: a symbolic link
# (even one planted by another user in a directory of theirs), a hard
# link, a FIFO, a file another user owns or may write are refused with
# one line on stderr, left as they were, and the faults still apply; a
# plain file of our own is created 0600 and appended to.
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/f
printf 'x' >"$F"
R="%read:path=$F:error=EIO"
echo secret >"$tmp/victim"
chmod 600 "$tmp/victim"

# refused (what to run it on, and what the line says)
try_log()
{
	CHAOS_LOG=$1 SHIM_TIMEOUT=10 run_shim "$R" "$FILEOPS" "open=$F" pread=1,0 >out 2>err
	expect_eq "CHAOS_LOG=$1: exit status" 0 $?
	expect_grep "^pread=-1 errno=EIO" out "CHAOS_LOG=$1: the fault still applies"
	expect_grep "^libinject\\[[0-9]+\\] fileops: error var=CHAOS_LOG -- .*$2.*; nothing logged$" err "CHAOS_LOG=$1"
	expect_eq "CHAOS_LOG=$1: lines on stderr" 1 "$(wc -l <err | tr -d ' ')"
}

# a plain file: made 0600, the lines go there
CHAOS_LOG=$tmp/log run_shim "$R" "$FILEOPS" "open=$F" pread=1,0 >out 2>err
expect_grep ': inject rule=rule1 call=pread ' "$tmp/log" "CHAOS_LOG=FILE"
expect_eq "a new log's mode" 600 "$(stat -c %a "$tmp/log")"
[ -s err ] && fail_ "CHAOS_LOG=FILE: something on stderr: $(cat err)"

ln -s "$tmp/victim" "$tmp/link"
try_log "$tmp/link" 'a symbolic link: refused'
ln -s "$tmp/made-by-link" "$tmp/dangling"
try_log "$tmp/dangling" 'a symbolic link: refused'
[ -e "$tmp/made-by-link" ] && fail_ "a dangling link's target was created"
ln "$tmp/victim" "$tmp/hard"
try_log "$tmp/hard" 'has 2 hard links: refused'
rm "$tmp/hard"
mkfifo "$tmp/fifo"
try_log "$tmp/fifo" 'not a regular file: refused'
: >"$tmp/gw"
chmod 620 "$tmp/gw"
try_log "$tmp/gw" 'group- or world-writable \(mode 0620\): refused'
[ -s "$tmp/gw" ] && fail_ "a group-writable log was written to"

if [ "$(id -u)" = 0 ] && id -u nobody >/dev/null 2>&1; then
	# nobody's directory, nobody's link to root's file: root's shim
	# does not append there
	mkdir "$tmp/pub"
	chown nobody "$tmp/pub"
	chmod 755 "$tmp"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		ln -s "$tmp/victim" "$tmp/pub/app.log" ||
		framework_failure_ "nobody cannot make a link in its directory"
	try_log "$tmp/pub/app.log" 'a symbolic link: refused'
	# nobody's own file: refused too
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		sh -c ": >'$tmp/pub/theirs.log'" ||
		framework_failure_ "nobody cannot make a file in its directory"
	try_log "$tmp/pub/theirs.log" 'owned by uid [0-9]+, neither root nor us: refused'
	[ -s "$tmp/pub/theirs.log" ] && fail_ "root's shim wrote into nobody's file"
else
	echo "not root: the links and files of another user are not tried"
fi
expect_eq "the victim's contents" secret "$(cat "$tmp/victim")"

# CHAOS_LOG_FD closed by a program in between (Python's subprocess
# does): nothing said on the program's stderr, CHAOS_LOG still used
: >"$tmp/fdlog"
chmod 600 "$tmp/fdlog"
CHAOS_LOG_FD=9 CHAOS_LOG=$tmp/fdlog run_shim "%read:path=$tmp/victim:error=EIO" \
	cat "$tmp/victim" >"$tmp/out" 2>"$tmp/err" 9>&-
expect_grep 'Input/output error' "$tmp/err" "the fault, with CHAOS_LOG_FD closed"
expect_no_grep 'libinject' "$tmp/err" "the program's stderr"
expect_grep 'inject rule=rule1 call=' "$tmp/fdlog" "CHAOS_LOG instead"
# N:DEV:INO, as chaosd gives it: the log when the descriptor is that
# file; a program's own file under the same number (it closed the log
# and reused the number) is left alone, as if the variable were unset
: >"$tmp/bound.log"
chmod 600 "$tmp/bound.log"
: >"$tmp/theirs.db"
chmod 600 "$tmp/theirs.db"
bound=9:$(stat -c '%d:%i' "$tmp/bound.log")
CHAOS_LOG_FD=$bound run_shim "%read:path=$tmp/victim:error=EIO" \
	cat "$tmp/victim" >"$tmp/out" 2>"$tmp/err" 9>>"$tmp/bound.log"
expect_grep 'inject rule=rule1 call=' "$tmp/bound.log" "CHAOS_LOG_FD=N:DEV:INO, that file"
CHAOS_LOG_FD=$bound run_shim "%read:path=$tmp/victim:error=EIO" \
	cat "$tmp/victim" >"$tmp/out" 2>"$tmp/err" 9>>"$tmp/theirs.db"
expect_grep 'Input/output error' "$tmp/err" "the fault, with the number reused"
expect_eq "the program's file under a reused number" "" "$(cat "$tmp/theirs.db")"
expect_no_grep 'libinject' "$tmp/err" "the program's stderr, number reused"
CHAOS_LOG_FD=9:1 run_shim "%read:path=$tmp/victim:error=EIO" \
	cat "$tmp/victim" >"$tmp/out" 2>"$tmp/err" 9>>"$tmp/bound.log"
expect_grep "error var=CHAOS_LOG_FD -- '9:1': not a descriptor number" "$tmp/err"
# open, but not for writing: said
CHAOS_LOG_FD=0 run_shim "%read:path=$tmp/victim:error=EIO" \
	cat "$tmp/victim" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_grep 'error var=CHAOS_LOG_FD -- 0: not open for writing' "$tmp/err"
exit 0
