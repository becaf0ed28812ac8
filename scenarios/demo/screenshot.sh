#!/bin/sh
# screenshot.sh: the picture of the demo game day's HTML report that the
# README shows (scenarios/demo/report.png). `make demo-screenshot` runs
# it: the demo as `make demo` runs it (as root, in a network namespace of
# its own, so that its network fault on lo never touches this machine's),
# its --report html= page, then headless Chromium's screenshot of the top
# of that page (the verdict, the key numbers, the timeline).
#
#	CHAOSD=... KVD=... KVD_LOAD=... sh scenarios/demo/screenshot.sh OUT.png
set -u

out=${1:?usage: screenshot.sh OUT.png}
here=$(cd "$(dirname "$0")" && pwd)
: "${CHAOSD:?set CHAOSD, KVD and KVD_LOAD (make demo-screenshot does)}"
command -v chromium >/dev/null 2>&1 ||
	{ echo "screenshot: needs chromium (apt-get install chromium)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-shot.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export KVD KVD_LOAD
CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR

isolate=
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	isolate="unshare -n sh -c 'ip link set lo up && exec \"\$0\" \"\$@\"'"
fi
# from its directory, so that the page names it demo.ini, not a path of
# this machine's
cd "$here/.." || exit 1
eval "$isolate" '"$CHAOSD"' run --report html="$tmp/report.html" demo.ini ||
	{ echo "screenshot: the demo failed" >&2; exit 1; }
cd - >/dev/null || exit 1

timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars \
	--user-data-dir="$tmp/chrome" --window-size=1280,1020 \
	--screenshot="$tmp/shot.png" "file://$tmp/report.html" \
	>/dev/null 2>"$tmp/chrome.err" ||
	{ tail -5 "$tmp/chrome.err" >&2; exit 1; }
cp "$tmp/shot.png" "$out" && echo "screenshot: $out"
