#!/bin/sh
# chaosd exec's command line: help, version, exit statuses like env(1),
# LD_PRELOAD appended, several -i, -v, --seed, and the rules reaching the
# program (and its children) through the environment.
. "$abs_top_srcdir/tests/integration/init.sh"

printf 'data\n' >"$tmp/file"

"$CHAOSD" --version >out 2>&1 || fail_ "chaosd --version exited $?"
expect_grep "^chaosd [0-9]+\\.[0-9]+" out "chaosd --version"
"$CHAOSD" --help >out 2>&1 || fail_ "chaosd --help exited $?"
expect_grep "exec" out "chaosd --help lists exec"
"$CHAOSD" exec --help >out 2>&1 || fail_ "chaosd exec --help exited $?"
expect_grep "^usage: chaosd exec .*-i RULE.*-- CMD" out "chaosd exec --help"
expect_status 2 "$CHAOSD" exec 2>err
expect_grep "no command given" err
expect_status 2 "$CHAOSD" exec --bogus -- true 2>err
expect_grep "unknown option '--bogus'" err
expect_status 2 "$CHAOSD" exec -i 2>err
expect_status 2 "$CHAOSD" exec --seed abc -- true 2>err
expect_grep "seed" err "--seed abc"
expect_status 2 "$CHAOSD" no-such-command 2>err
expect_grep "unknown command" err

# exit statuses, as env(1) gives them
expect_status 0 "$CHAOSD" exec -- true
expect_status 42 "$CHAOSD" exec -- sh -c 'exit 42'
expect_status 143 "$CHAOSD" exec -- sh -c 'kill -TERM $$'
expect_status 137 "$CHAOSD" exec -- sh -c 'kill -KILL $$'
expect_status 127 "$CHAOSD" exec -- "$tmp/no-such-program" 2>err
expect_grep "No such file or directory" err "127: the reason"
printf 'echo hi\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"
expect_status 126 "$CHAOSD" exec -- "$tmp/noexec" 2>err
expect_grep "Permission denied" err "126: the reason"
# a fault's signal and exit actions are the command's status
expect_status 139 "$CHAOSD" exec -i "write:path=$tmp/w:signal=SIGSEGV" -- "$FILEOPS" "openw=$tmp/w" write=x
expect_status 9 "$CHAOSD" exec -i "write:path=$tmp/w:exit=9" -- "$FILEOPS" "openw=$tmp/w" write=x
# arguments reach the command as they are, options after -- included
"$CHAOSD" exec -- sh -c 'printf "%s|" "$@"' sh -v -i "a b" -- >out 2>&1
expect_eq "arguments passed untouched" "-v|-i|a b|--|" "$(cat out)"

# LD_PRELOAD: appended to what is there, never replacing it
libc=$(ldd "$FILEOPS" 2>/dev/null | awk '/libc\.so/ { print $3; exit }')
if [ -n "$libc" ] && [ -f "$libc" ]; then
	LD_PRELOAD=$libc "$CHAOSD" exec -i "read:path=/nowhere:error=EIO" -- \
		sh -c 'echo "$LD_PRELOAD"' >out 2>err
	unset LD_PRELOAD
	expect_grep "^$libc[: ].*libinject\\.so\$" out "LD_PRELOAD kept, libinject appended"
fi
"$CHAOSD" exec -i "read:path=/nowhere:error=EIO" -- sh -c 'echo "$LD_PRELOAD"' >out 2>err
expect_grep "libinject\\.so\$" out "LD_PRELOAD set"
# the preloaded library is the one built here
"$CHAOSD" exec -i "read:path=/nowhere:error=EIO" -- sh -c 'echo "$LD_PRELOAD"' >out 2>err
[ -f "$(tail -n 1 out | tr ':' '\n' | tail -n 1)" ] || fail_ "LD_PRELOAD names no file: $(cat out)"

# several -i, and several rules in one -i, all applied
"$CHAOSD" exec -i "stat:path=$tmp/file:error=EACCES" \
	-i "%read:path=$tmp/file:error=EIO;unlink:path=$tmp/file:error=EPERM" -- \
	"$FILEOPS" "stat=$tmp/file" "open=$tmp/file" read=4 "unlink=$tmp/file" >out 2>&1
expect_eq "three rules from two -i" "stat=-1 errno=EACCES
open=3
read=-1 errno=EIO
unlink=-1 errno=EPERM" "$(cat out)"
# the rules follow the command's children (sh -> cat)
"$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" -- sh -c "cat '$tmp/file'" >out 2>err &&
	fail_ "cat under sh under chaosd exec succeeded"
expect_grep "Input/output error" err "children inherit the rules"
# -v: what is run, and every injection logged on stderr
"$CHAOSD" exec -v -i "%read:path=$tmp/file:error=EIO:name=vtest" -- "$FILEOPS" "open=$tmp/file" read=4 >out 2>err
expect_grep "^read=-1 errno=EIO" out "-v: the fault"
expect_grep "inject rule=vtest call=read .*error=EIO" err "-v: the injection logged"
expect_grep "summary rule=vtest matched=1 injected=1 source=own" err "-v: the summary"
# without -v, chaosd says nothing of its own
"$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" -- "$FILEOPS" "open=$tmp/file" read=4 >out 2>err
[ -s err ] && fail_ "chaosd exec without -v wrote on stderr: $(cat err)"
# the CLI's rule text is what the shim applies: escapes survive
mkdir "$tmp/a:b"
printf 'x' >"$tmp/a:b/f"
"$CHAOSD" exec -i "%read:path=$(printf '%s' "$tmp/a:b/*" | sed 's/:/\\:/g'):error=EIO" -- \
	"$FILEOPS" "open=$tmp/a:b/f" read=1 >out 2>&1
expect_grep "^read=-1 errno=EIO" out "an escaped ':' in a path"
exit 0
