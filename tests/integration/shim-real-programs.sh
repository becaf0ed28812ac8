#!/bin/sh
# Real programs see the faults: cat, dd, sh, python3, sqlite3, curl
# (against a local python3 http.server), through the environment and
# through chaosd exec.
. "$abs_top_srcdir/tests/integration/init.sh"

printf 'secret\n' >"$tmp/file"
printf 'public\n' >"$tmp/other"

# cat: "Input/output error" on the file named, the other file reads fine
run_shim "%read:path=$tmp/file:error=EIO" cat "$tmp/file" >out 2>err &&
	fail_ "cat of the faulted file succeeded"
expect_grep "cat: .*file: Input/output error" err "cat FILE"
run_shim "%read:path=$tmp/file:error=EIO" cat "$tmp/other" >out 2>err ||
	fail_ "cat of the other file failed: $(cat err)"
expect_eq "cat of the other file" public "$(cat out)"
"$CHAOSD" exec -i "%read:path=$tmp/file:error=EIO" -- cat "$tmp/file" >out 2>err &&
	fail_ "chaosd exec cat of the faulted file succeeded"
expect_grep "Input/output error" err "chaosd exec cat FILE"
# without the rule, the same command works
"$CHAOSD" exec -i "%read:path=$tmp/nothing:error=EIO" -- cat "$tmp/file" >out 2>err ||
	fail_ "chaosd exec cat without a matching rule failed: $(cat err)"
expect_eq "cat through chaosd exec" secret "$(cat out)"

# dd: a short read, and a write failure with its message
run_shim "%read:path=$tmp/file:short=2" dd if="$tmp/file" of="$tmp/dd" bs=64 count=1 2>err ||
	fail_ "dd: $(cat err)"
expect_eq "dd short=2: bytes" 2 "$(wc -c <"$tmp/dd" | tr -d ' ')"
expect_grep "^0\\+1 records in" err "dd short=2: a partial record"
run_shim "%write:path=$tmp/full:error=ENOSPC" dd if="$tmp/file" of="$tmp/full" 2>err &&
	fail_ "dd into a full disk succeeded"
expect_grep "No space left on device" err "dd ENOSPC"

# sh: the rules follow into every child; its own redirections are writes
run_shim "%write:path=$tmp/log*:error=EIO" sh -c "echo hello >'$tmp/logfile'" 2>err &&
	fail_ "sh's echo into the faulted file succeeded"
expect_grep "I/O error|Input/output error" err "sh echo > FILE"

require_python_
# python3 killed at its second write: status 139 through chaosd exec
"$CHAOSD" exec -i 'write:nth=2:signal=SIGSEGV' -- "$PYTHON" -c '
import os
os.write(1, b"first\n")
os.write(1, b"second\n")
os.write(1, b"third\n")' >out 2>err
expect_eq "python3 under write:nth=2:signal=SIGSEGV: status" 139 $?
expect_eq "python3: output before the crash" first "$(cat out)"
# an OSError with the errno, as Python reports it
run_shim "%write:path=$tmp/py*:error=ENOSPC" "$PYTHON" -c "
try:
    with open('$tmp/py.txt', 'w') as f:
        f.write('x')
    print('written')
except OSError as e:
    print('OSError', e.errno, e.strerror)" >out 2>&1
expect_grep "^OSError 28 No space left on device" out "python3 write ENOSPC"
run_shim "%open:path=$tmp/file:error=EACCES" "$PYTHON" -c "
try:
    open('$tmp/file').read()
except PermissionError as e:
    print('PermissionError', e.errno)" >out 2>&1
expect_grep "^PermissionError 13" out "python3 open EACCES"

# sqlite3: "disk I/O error" on its database, not on another one
if command -v sqlite3 >/dev/null 2>&1; then
	"$CHAOSD" exec -i "%write,%sync:path=$tmp/db*:error=EIO" -- \
		sqlite3 "$tmp/db" 'create table t(x); insert into t values (1);' >out 2>err &&
		fail_ "sqlite3 wrote its database under the fault"
	expect_grep "disk I/O error" err "sqlite3 under %write,%sync EIO"
	"$CHAOSD" exec -i "%write,%sync:path=$tmp/db*:error=EIO" -- \
		sqlite3 "$tmp/other.db" 'create table t(x); insert into t values (1); select x from t;' \
		>out 2>err || fail_ "sqlite3 on another database: $(cat err)"
	expect_eq "sqlite3 on another database" 1 "$(cat out)"
else
	echo "note: no sqlite3, its checks skipped" >&2
	missing="${missing-} sqlite3"
fi

# curl against a local server
if command -v curl >/dev/null 2>&1; then
	P=$(free_port)
	Q=$((P + 1))
	[ "$Q" -le 65535 ] || Q=$((P - 1))
	mkdir www && echo page >www/index.html
	(cd www && exec "$PYTHON" -m http.server --bind 127.0.0.1 "$P") >server.log 2>&1 &
	server=$!
	at_exit_ "kill $server 2>/dev/null; wait $server 2>/dev/null"
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$P/"; do
		i=$((i + 1))
		[ $i -lt 100 ] || framework_failure_ "http.server did not start: $(cat server.log)"
		sleep 0.1
	done
	curl -sS "http://127.0.0.1:$P/" >out || fail_ "curl without faults"
	expect_eq "curl without faults" page "$(cat out)"
	"$CHAOSD" exec -i "connect:port=$P:error=ECONNREFUSED" -- \
		curl -sS -o /dev/null "http://127.0.0.1:$P/" 2>err
	expect_eq "curl under ECONNREFUSED: status (couldn't connect)" 7 $?
	expect_grep "Failed to connect|Couldn't connect" err "curl's message"
	"$CHAOSD" exec -i "connect:port=$P:delay=300ms" -- \
		curl -sS -o out -w '%{time_connect}\n' "http://127.0.0.1:$P/" >t 2>err ||
		fail_ "curl under delay=300ms: $(cat err)"
	ms=$(awk '{ printf "%d", $1 * 1000 }' t)
	# (295: curl rounds its own clock; the shim sleeps the full 300 ms)
	expect_range "curl time_connect under delay=300ms (ms)" 295 10000 "$ms"
	expect_eq "curl under delay: the page" page "$(cat out)"
	"$CHAOSD" exec -i "connect:port=$Q:delay=300ms" -- \
		curl -sS -o /dev/null -w '%{time_connect}\n' "http://127.0.0.1:$P/" >t 2>err ||
		fail_ "curl, delay on another port: $(cat err)"
	ms=$(awk '{ printf "%d", $1 * 1000 }' t)
	expect_range "curl time_connect, delay on another port (ms)" 0 250 "$ms"
else
	missing="${missing-} curl"
fi
[ -z "${missing-}" ] || skip_ "the rest passed; not installed:$missing"
exit 0
