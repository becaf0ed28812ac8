#!/bin/sh
# chaosd validate and run on malformed scenario files: each is exit 2
# with FILE:LINE: on its first line, and none crashes.
. "$abs_top_srcdir/tests/integration/init.sh"

n=0
# bad LINE PATTERN: the file on stdin must fail at LINE matching PATTERN
bad()
{
	n=$((n + 1))
	cat >bad$n.ini
	"$CHAOSD" validate bad$n.ini >out 2>err
	st=$?
	[ $st = 2 ] || { cat err >&2; fail_ "bad$n.ini: validate exit $st, expected 2"; }
	expect_grep "^bad$n\\.ini:$1: .*$2" err "bad$n.ini"
	"$CHAOSD" run bad$n.ini >out 2>err
	st=$?
	[ $st = 2 ] || { cat err >&2; fail_ "bad$n.ini: run exit $st, expected 2"; }
}

bad 3 "\\[inject.d\\] unknown key 'dealy' \\(did you mean 'delay'\\?\\)" <<'EOT'
[inject.d]
call = read
dealy = 1s
EOT
# a key of [inject.*] sections only, not of the rule language
bad 4 "\\[inject.d\\] unknown key 'optinal' \\(did you mean 'optional'\\?\\)" <<'EOT'
[inject.d]
call = read
error = EIO
optinal = yes
EOT
bad 2 "\\[scenario\\] unknown key 'duraton' \\(did you mean 'duration'\\?\\)" <<'EOT'
[scenario]
duraton = 3s
EOT
bad 1 "unknown section \\(did you mean \\[check.x\\]\\?\\)" <<'EOT'
[chek.x]
type = tcp
EOT
bad 3 "\\[scenario\\] given twice" <<'EOT'
[scenario]
name = a
[scenario]
EOT
bad 3 "'type' given twice" <<'EOT'
[check.x]
type = tcp
type = http
EOT
bad 1 "\\[inject.x\\] .*no calls" <<'EOT'
[inject.x]
error = EIO

[check.y]
type = exec
command = true
EOT
bad 2 "\\[inject.x\\] .*EIOO" <<'EOT'
[inject.x]
error = EIOO
EOT
bad 1 "\\[check.c\\] no type given" <<'EOT'
[check.c]
url = http://127.0.0.1/
EOT
bad 2 "unknown check type 'htp' \\(did you mean 'http'\\?\\)" <<'EOT'
[check.c]
type = htp
EOT
bad 3 "when: unknown phase 'durin'" <<'EOT'
[check.c]
type = exec
when = before, durin
EOT
bad 2 "duration: " <<'EOT'
[scenario]
duration = 3 parsecs
EOT
bad 1 "\\[service.s\\] no command" <<'EOT'
[service.s]
ready = tcp://127.0.0.1:1
EOT
bad 3 "ready: " <<'EOT'
[service.s]
command = true
ready = ftp://x
EOT
bad 2 "restart: " <<'EOT'
[service.s]
restart = always
EOT
bad 1 "key 'a' outside any section" <<'EOT'
a = 1
EOT
bad 1 "unterminated section" <<'EOT'
[scenario
EOT
bad 1 "empty scenario" <<'EOT'
EOT
bad 3 "start = 10s is not before the scenario's duration" <<'EOT'
[scenario]
duration = 5s
[inject.late]
start = 10s
call = read
error = EIO
EOT
bad 3 "\\[network.n\\] unknown key 'dleay' \\(did you mean 'delay'\\?\\)" <<'EOT'
[network.n]
dev = lo
dleay = 100ms
EOT
bad 1 "\\[network.n\\] no dev" <<'EOT'
[network.n]
delay = 100ms
EOT
bad 3 "\\[network.n\\] loss: " <<'EOT'
[network.n]
dev = lo
loss = 150%
EOT
bad 2 "\\[syscall.s\\] unknown key 'sycall'" <<'EOT'
[syscall.s]
sycall = write
EOT
bad 1 "\\[check.c\\] type = http needs url" <<'EOT'
[check.c]
type = http
EOT
bad 1 "abort_after needs when = during" <<'EOT'
[check.c]
abort_after = 3
type = tcp
address = 127.0.0.1:1
when = after
EOT
bad 2 "name: a scenario's rule is named by its section" <<'EOT'
[inject.x]
name = y
EOT
# binary junk and a NUL
printf '[scenario]\nname = a\001b\000\n' >bad_nul.ini
"$CHAOSD" validate bad_nul.ini 2>err
expect_eq "NUL byte: exit" 2 $?
expect_grep '^bad_nul\.ini:[0-9]+: ' err
# endless or huge input fails at once, never drained (used to hang)
timeout 30 "$CHAOSD" validate /dev/zero 2>err
expect_eq "/dev/zero: exit" 2 $?
expect_grep '^/dev/zero: a device, not a file' err
timeout 30 "$CHAOSD" validate /dev/fd/3 3</dev/zero 2>err
expect_eq "/dev/zero as a descriptor: exit" 2 $?
yes 'aaaaaaaa' | tr -d '\n' | timeout 30 "$CHAOSD" validate /dev/stdin 2>err
expect_eq "an endless line: exit" 2 $?
expect_grep '^/dev/stdin:1: line too long.*continue a long value on indented lines' err
# a long value on continuation lines: one value, the whole of it
long=$(printf 'x%.0s' $(seq 150))
cat >cont.ini <<EOT
[scenario]
duration = 5s
command = printf '%s\n' one $long
    two $long   ; a comment
	three
seed = 1
EOT
"$CHAOSD" run cont.ini >out 2>err || { cat out err >&2; fail_ "cont.ini: run exit $?"; }
expect_eq "the workload's arguments, across three lines" \
	"one $long two $long three" "$(grep -E '^(one|two|three|x+)$' out | tr '\n' ' ' | sed 's/ $//')"
yes '; a comment' | timeout 30 "$CHAOSD" validate /dev/stdin 2>err
expect_eq "an endless file: exit" 2 $?
expect_grep '^/dev/stdin:[0-9]+: file too large \(more than 1 MiB\)' err
# a missing file
"$CHAOSD" validate no-such.ini 2>err
expect_eq "missing file: exit" 2 $?
expect_grep 'no-such.ini: No such file' err
# one good file among bad ones still fails, the good one is printed
printf '[scenario]\nduration = 2s\n[check.c]\ntype = tcp\naddress = 127.0.0.1:1\n' >good.ini
"$CHAOSD" validate good.ini bad1.ini >out 2>err
expect_eq "good + bad: exit" 2 $?
expect_grep 'good.ini: valid' out
"$CHAOSD" validate good.ini >out 2>err
expect_eq "good: exit" 0 $?
expect_grep '^timeline:' out
"$CHAOSD" run --dry-run good.ini >out 2>err
expect_eq "dry run: exit" 0 $?
expect_grep 'nothing applied' out
"$CHAOSD" run >out 2>err
expect_eq "run without a file: exit" 2 $?
"$CHAOSD" run good.ini --report json=/nonexistent/dir/r.json >out 2>err
expect_eq "report in a missing directory: exit" 2 $?
expect_grep '/nonexistent/dir' err
"$CHAOSD" run good.ini --report xml=r.xml >out 2>err
expect_eq "unknown report format: exit" 2 $?
