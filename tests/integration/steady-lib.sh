# steady-lib.sh: shared by the steady-state tests (run-baseline*.sh):
# a service of the test's own whose latency and errors the shim's faults
# make, on a free port.
#
#	. "$abs_top_srcdir/tests/integration/steady-lib.sh"
#
# steady_service_ BASE_MS [COOLDOWN_MS]: print a [service.web] section
# running steady-server.py (see its top) on a free port, serving
# $tmp/data; sets $PORT and $URL.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

echo hello >"$tmp/data"

steady_service_()
{
	PORT=$(free_port)
	URL=http://127.0.0.1:$PORT/
	cat <<EOT
[service.web]
command = exec "$PYTHON" "$abs_top_srcdir/tests/integration/steady-server.py" $PORT "$tmp/data" $1 ${2:-0}
ready = $URL
EOT
}
