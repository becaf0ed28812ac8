#!/bin/sh
# Bad rules, table-driven. Under the shim the program runs normally and
# libinject says what is wrong in exactly one line on stderr; under
# chaosd exec the exit status is 2, the message names the problem, and
# the command is not run.
. "$abs_top_srcdir/tests/integration/init.sh"

printf 'content\n' >"$tmp/file"
CAT=$(command -v cat)
TAB=$(printf '\t')

# RULE <TAB> what the message must say (an extended regex)
cat >table <<'EOT'
read:error=EIO:bogus=1	unknown key 'bogus'
read:error=EIO:dealy=1s	unknown key 'dealy'
read:error=EBOGUS	unknown errno name 'EBOGUS'
read:error=999999	error
read:signal=SIGBOGUS	unknown signal 'SIGBOGUS'
read:signal=0	signal: '0'
read:error=EIO:probability=1.5	probability: '1.5' is out of range
read:error=EIO:probability=101%	probability: '101%'
read:error=EIO:probability=-1	probability: '-1'
read:error=EIO:probability=abc	probability: 'abc'
read:error=EIO:probability=50%%	probability: '50%%'
read:delay=-5ms	delay: '-5ms' is negative
read:error=EIO:for=-1s	for: '-1s' is negative
read:delay=100	delay: '100' has no unit
read:error=EIO:start=5	start: '5' has no unit
read:error=EIO:delay=1fortnight	delay: '1fortnight' has an unknown unit
read:error=EIO:nth=0	nth: '0' must be at least 1
read:error=EIO:nth=1.5	nth: '1.5'
read:error=EIO:after=abc	after: 'abc'
read:error=EIO:count=-1	count: '-1'
:error=EIO	no calls given
read,,write:error=EIO	empty name in the call list
nosuchcall:error=EIO	unknown call 'nosuchcall'
%nosuchgroup:error=EIO	unknown group '%nosuchgroup'
read	no action
read:jitter=5ms	no action
connect:short=2	short: makes no sense for connect
write:corrupt=1	corrupt: makes no sense for write
malloc:retval=5	retval: makes no sense for malloc
free:error=ENOMEM	error: makes no sense for free
read:short=0	short: '0'
read:corrupt=0	corrupt: '0'
read:exit=300	exit: '300' is out of range
read:retval=abc	retval: 'abc'
read:signal=SIGKILL:exit=1	cannot be combined
read:error=EIO:error=ENOSPC	error: given twice
read:error	'error' is not KEY=VALUE
read:=EIO	missing key
read:error=EIO:name=	name: empty value
read:error=EIO:path=relative/path	path: 'relative/path' must be absolute
read:error=EIO:fdtype=disk	fdtype: 'disk'
connect:addr=300.1.2.3/8:error=EIO	addr: '300.1.2.3/8'
connect:addr=10.0.0.0/33:error=EIO	addr: '10.0.0.0/33' has a bad prefix length
connect:port=70000:error=EIO	port: '70000' is out of range
connect:port=90-80:error=EIO	port: '90-80' is an empty range
read:error=EIO;write:bogus=2	rule 2: unknown key 'bogus'
EOT
# garbage bytes, a 100 KB rule, a 100 KB call name, too many rules
printf 'read:error=\001\377\033[31mX\tcontrol byte\n' >>table
printf 'read:error=EIO:path=/%s\trules too long\n' "$(head -c 100000 /dev/zero | tr '\0' A)" >>table
printf '%s:error=EIO\trules too long\n' "$(head -c 100000 /dev/zero | tr '\0' r)" >>table
printf 'read:error=EIO%s\ttoo many rules\n' "$(yes ';read:error=EIO' | head -n 70 | tr -d '\n')" >>table

# a line holding a control character (other than tab) is badly escaped
no_control() { ! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; }

rows=0
while IFS="$TAB" read -r rule want; do
	rows=$((rows + 1))
	short=$(printf '%.60s' "$rule" | tr -c '[:print:]' '?')
	# under the shim: cat works and libinject says one line
	run_shim "$rule" "$CAT" "$tmp/file" >out 2>err
	st=$?
	[ $st = 0 ] || fail_ "[$short] cat exited $st under the shim: $(cat err)"
	expect_eq "[$short] cat's output under the shim" content "$(cat out)"
	[ "$(wc -l <err | tr -d ' ')" = 1 ] ||
		fail_ "[$short] stderr under the shim is not one line: $(cat err)"
	grep -q '^libinject\[[0-9]*\] cat: error var=CHAOS_INJECT -- .*no faults injected$' err ||
		fail_ "[$short] not libinject's line: $(cat err)"
	grep -Eq -- "$want" err || fail_ "[$short] libinject's line does not say /$want/: $(cat err)"
	no_control err || fail_ "[$short] libinject's line holds raw control bytes"
	[ "$(wc -c <err)" -le 1024 ] || fail_ "[$short] libinject's line is $(wc -c <err) bytes long"
	# chaosd exec: status 2, the problem named, nothing run
	rm -f marker
	"$CHAOSD" exec -i "$rule" -- sh -c 'touch marker' >out 2>err
	st=$?
	[ $st = 2 ] || fail_ "[$short] chaosd exec exited $st, expected 2: $(cat err)"
	[ -e marker ] && fail_ "[$short] chaosd exec ran the command"
	grep -Eq -- "$want" err || fail_ "[$short] chaosd's message does not say /$want/: $(cat err)"
	no_control err || fail_ "[$short] chaosd's message holds raw control bytes"
	echo "ok: [$short] -> $(head -c 200 err | tr -c '[:print:]\n' '?')"
done <table
expect_range "rows checked" 50 1000 $rows

# the same through CHAOS_INJECT_FILE and chaosd exec -f
printf '[inject.bad]\ncall = read\nerror = EIO\nprobability = 1.5\n' >bad.ini
CHAOS_INJECT_FILE=$tmp/bad.ini LD_PRELOAD=$LIBINJECT "$CAT" "$tmp/file" >out 2>err ||
	fail_ "cat under a bad CHAOS_INJECT_FILE failed"
expect_eq "bad file: cat's output" content "$(cat out)"
expect_eq "bad file: stderr lines" 1 "$(wc -l <err | tr -d ' ')"
expect_grep "bad.ini:4.*probability" err "bad file: file, line, key"
rm -f marker
"$CHAOSD" exec -f bad.ini -- sh -c 'touch marker' >out 2>err
expect_eq "chaosd exec -f bad.ini: status" 2 $?
[ -e marker ] && fail_ "chaosd exec -f bad.ini ran the command"
expect_grep "bad.ini:4.*probability" err "chaosd exec -f bad.ini: file, line, key"
# one good -i and one bad: nothing applied, nothing run
"$CHAOSD" exec -i "read:error=EIO" -i "read:bogus=1" -- sh -c 'touch marker' >out 2>err
expect_eq "good and bad -i: status" 2 $?
[ -e marker ] && fail_ "chaosd exec with one bad -i ran the command"
# CHAOS_SEED that is not a number: a line, and random decisions
CHAOS_SEED=abc run_shim "%read:path=$tmp/file:error=EIO" "$CAT" "$tmp/file" >out 2>err
expect_grep "^libinject\\[[0-9]+\\] [^ ]+: error var=CHAOS_SEED -- " err "bad CHAOS_SEED"
expect_grep "Input/output error" err "bad CHAOS_SEED: the rules still apply"
exit 0
