#!/bin/sh
# chaosd run's live output. On a terminal (a real pseudo-terminal, made
# by script(1)): one status line rewritten in place (carriage return,
# erase to the end of the line) giving the time on the scenario clock of
# the planned end, the faults active now, each check's last result and
# the services' deaths so far; cut to the terminal's width; coloured
# unless NO_COLOR is set; erased before the report. Anywhere else (a
# pipe, a CI log): no control character at all, and a line per event as
# it happens, before the report.
. "$abs_top_srcdir/tests/integration/run-lib.sh"
require_prog_ script
http_server_

# the faults match nothing (only their windows matter here): optional
cat >prog.ini <<EOT
[scenario]
name = progress
duration = 10s

[service.flaky]
command = sleep 0.5; exit 3
restart = on-failure

[inject.slow]
call = %open
path = $tmp/nothing-opens-this
delay = 10ms
start = 500ms
for = 1s
optional = yes

[inject.later]
call = %open
path = $tmp/nothing-opens-this
delay = 10ms
start = 2s
for = 800ms
optional = yes

[check.health]
type = http
url = $URL
interval = 100ms
when = before, during, after
EOT

# under a pseudo-terminal, 80 columns
TERM=xterm script -q -e -c "stty cols 80; '$CHAOSD' run prog.ini" /dev/null \
	</dev/null >tty.out 2>tty.err ||
	{ cat tty.out tty.err >&2; fail_ "chaosd run under script(1) failed"; }
# under a pseudo-terminal, 50 columns, NO_COLOR
NO_COLOR=1 TERM=xterm script -q -e -c "stty cols 50; '$CHAOSD' run prog.ini" \
	/dev/null </dev/null >narrow.out 2>narrow.err ||
	{ cat narrow.out narrow.err >&2; fail_ "chaosd run (50 columns) failed"; }
# into a pipe
"$CHAOSD" run prog.ini 2>pipe.err | cat >pipe.out
[ -s pipe.out ] || fail_ "nothing on the pipe"

"$PYTHON" - tty.out narrow.out pipe.out <<'EOT' || fail_ "see above"
import re, sys

def statuses(raw):
    """The status lines drawn: between a carriage return and an erase."""
    lines = re.findall(r"\r([^\r\n]*?)\x1b\[K", raw)
    return [l for l in lines if l]

def plain(s):
    return re.sub(r"\x1b\[[0-9;]*m", "", s)

tty = open(sys.argv[1], encoding="utf-8", newline="").read()
st = [plain(l) for l in statuses(tty)]
assert len(st) >= 4, "status lines: %r" % st
form = re.compile(r"\[([0-9]+\.[0-9])s / 2\.8s\] progress \| faults: (.*?) "
                  r"\| health (ok [0-9.]+ms|-) \| deaths ([0-9]+)$")
seen = {"slow": 0, "later": 0, "none": 0}
deaths, last_t = [], -1
for l in st:
    m = form.match(l)
    assert m, "status line %r" % l
    t = float(m.group(1))
    assert t >= last_t, "the clock went back: %r" % st
    last_t = t
    for k in seen:
        seen[k] += m.group(2) == k
    deaths.append(int(m.group(4)))
assert seen["slow"] and seen["later"] and seen["none"], seen
assert deaths == sorted(deaths) and deaths[-1] >= 1, deaths
assert "\x1b[32m ok " in tty, "no colour on a terminal"
# erased before the report: the report comes right after the last erase
tail = tty[tty.rindex("\r\x1b[K") + 4:].lstrip("\r\n")
assert tail.startswith("scenario progress: PASSED"), repr(tail[:80])
assert "\x1b" not in tail and "\r" not in tail.replace("\r\n", "\n")
print("ok: tty: %d status lines, faults seen %r, deaths %r..%r" %
      (len(st), seen, deaths[0], deaths[-1]))

narrow = open(sys.argv[2], encoding="utf-8", newline="").read()
nst = statuses(narrow)
assert nst, "no status line at 50 columns"
assert "\x1b[3" not in narrow, "colour despite NO_COLOR"
assert all(len(l) <= 49 for l in nst), [l for l in nst if len(l) > 49]
assert any(len(l) == 49 for l in nst), "never cut at 49: %r" % nst
print("ok: 50 columns: %d status lines, the longest %d" %
      (len(nst), max(len(l) for l in nst)))

pipe = open(sys.argv[3], "rb").read()
ctl = sorted(set(c for c in pipe if c < 0x20 and c != 10))
assert not ctl, "control characters on a pipe: %r" % ctl
text = pipe.decode()
live, report = text.split("scenario progress: PASSED")
ev = re.findall(r"^\[ *([0-9.]+)s\] (.*)$", live, re.M)
whats = [w for _, w in ev]
for want in ("inject.slow applied", "inject.slow reverted",
             "inject.later applied", "inject.later reverted"):
    assert want in whats, "no live line %r: %r" % (want, whats)
assert any(w.startswith("service flaky exited with status 3") for w in whats)
# the live lines are the report's events, as they came
rep = re.findall(r"^ +[0-9.]+s (.*)$", report.split("events:\n")[1], re.M)
assert whats == rep[:len(whats)], "live %r\nreport %r" % (whats, rep)
print("ok: pipe: %d event lines, no control character" % len(ev))
EOT
