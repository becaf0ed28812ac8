# report-lib.sh: shared by the report-*.sh tests.
#
#	. "$abs_top_srcdir/tests/integration/report-lib.sh"
#
# report_scenario_ FILE: write a short scenario with two services on a
# python3 web server of its own (web: serving $tmp/www; writer: writing
# $tmp/beat every 50 ms), two faults (crash: writer killed by SIGSEGV at a
# write, once, at 1 s, restarted; slow-web: 300 ms on web's opens from
# 2.5 s to 4 s), and two checks (health: http, 200 ms timeout, fails
# under slow-web, recovers after; files: exec, always passes). The
# scenario's name, description and the exec check's command hold text
# that tries to break out of markup. Sets $PORT.
# chromium_ ARGS...: headless Chromium with the flags that work as root
# in a container, its own profile under $tmp, under timeout.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

report_scenario_()
{
	PORT=$(free_port)
	mkdir -p "$tmp/www"
	echo ok >"$tmp/www/index.html"
	cat >"$tmp/writer.py" <<EOT
import time
while True:
    with open("$tmp/beat", "w") as f:
        f.write("x")
    time.sleep(0.05)
EOT
	# the name: no blanks or '/' (a word), the rest is fair game
	{
		cat <<EOT
[scenario]
name = web<script>alert("1&2")<\\script>'
EOT
		printf 'description = <img src=x onerror=alert(1)> & "quotes" \001\033[31m red\n'
		cat <<EOT
duration = 20s

[service.web]
command = exec $PYTHON -m http.server -b 127.0.0.1 -d $tmp/www $PORT
ready = http://127.0.0.1:$PORT/
restart = on-failure

[service.writer]
command = exec $PYTHON $tmp/writer.py
restart = on-failure

[inject.crash]
call = %write
path = $tmp/beat
signal = SIGSEGV
count = 1
start = 1s
for = 1s

[inject.slow-web]
call = %open
path = $tmp/www/*
delay = 300ms
start = 2500ms
for = 1500ms

[check.health]
type = http
url = http://127.0.0.1:$PORT/
timeout = 200ms
interval = 100ms
when = before, during, after
recover_within = 5s

[check.files]
type = exec
command = test "<script>&amp;" != '</td>'
interval = 250ms
timeout = 5s
when = during
EOT
	} >"$1"
}

chromium_()
{
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --hide-scrollbars \
		--user-data-dir="$tmp/chrome" "$@"
}
