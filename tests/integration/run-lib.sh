# run-lib.sh: shared by the run-*.sh tests (chaosd run and validate).
#
#	. "$abs_top_srcdir/tests/integration/run-lib.sh"
#
# http_server_: start python3 -m http.server on 127.0.0.1, a free port,
# serving $tmp/www; sets $PORT and $URL, kills it when the test ends.
# run_ STATUS ARGS...: chaosd run ARGS (stdout $tmp/out, stderr
# $tmp/err), fail unless it exits with STATUS.
# json_ EXPR: evaluate a python expression over $tmp/report.json (as r);
# prints it.
. "$abs_top_srcdir/tests/integration/init.sh"
require_python_
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

http_server_()
{
	PORT=$(free_port)
	mkdir -p "$tmp/www"
	echo ok >"$tmp/www/index.html"
	"$PYTHON" -m http.server -b 127.0.0.1 -d "$tmp/www" "$PORT" \
		>"$tmp/http.log" 2>&1 &
	http_pid_=$!
	at_exit_ 'kill $http_pid_ 2>/dev/null; wait $http_pid_ 2>/dev/null'
	URL=http://127.0.0.1:$PORT/
	for i in $(seq 50); do
		"$PYTHON" -c "import urllib.request as u; u.urlopen('$URL', timeout=1)" \
			2>/dev/null && return 0
		sleep 0.1
	done
	framework_failure_ "python3 -m http.server did not start"
}

run_()
{
	run_want_=$1
	shift
	"$CHAOSD" run "$@" >"$tmp/out" 2>"$tmp/err"
	run_got_=$?
	if [ "$run_got_" != "$run_want_" ]; then
		printf '%s: --- stdout:\n' "$me" >&2; cat "$tmp/out" >&2
		printf '%s: --- stderr:\n' "$me" >&2; cat "$tmp/err" >&2
		fail_ "chaosd run $*: exit $run_got_, expected $run_want_"
	fi
	printf 'ok: chaosd run %s: exit %s\n' "$*" "$run_got_"
}

json_()
{
	"$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$tmp/report.json" "$1"
}
