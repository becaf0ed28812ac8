#!/bin/sh
# bench-report: the HTML report of a 1-hour scenario with two checks
# every 100 ms (72,002 probes, made by tests/unit/test-report), its size,
# and how long headless Chromium takes to parse, style and lay it out
# (from its head to the end of its body, where an inline script asks for
# the layout of the page and of the chart), beside the same page emptied
# of its content, measured the same way in the same run: the best and
# the median of n runs (the best is the one least disturbed by other
# work on the machine). The scripts go into copies of the page only (the
# report itself runs none and forbids scripts). Says so and exits 0
# without chromium (a benchmark, not a test).
n=${BENCH_REPORT_RUNS:-5}
command -v chromium >/dev/null 2>&1 || { echo "bench-report: no chromium: skipped"; exit 0; }
builddir=$(cd "$(dirname "$CHAOSD")/.." && pwd)
unit=$builddir/tests/unit/test-report
[ -x "$unit" ] || { echo "bench-report: no $unit (make check builds it)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-bench-report.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
CHAOSD_REPORT_OUT=$tmp/hour.html "$unit" >/dev/null 2>&1 || exit 1

# t0 when the head is parsed; at the end of the body, the layout of the
# whole page and of the chart is asked for, then the time noted
sed -e '/http-equiv="Content-Security-Policy"/d' \
	-e 's|<head>|<head><script>var t0 = performance.now();</script>|' \
	-e 's|</main></body></html>|</main>|' "$tmp/hour.html" >"$tmp/timed.html"
cat >>"$tmp/timed.html" <<'EOT'
<script>
document.body.getBoundingClientRect();
var svg = document.querySelector("svg");
if (svg) svg.getBBox();
document.title = "drawn " + (performance.now() - t0).toFixed(1);
</script></body></html>
EOT
sed -n -e '1,/<body>/p' "$tmp/timed.html" | sed -e 's|<body>.*|<body><main>blank</main>|' \
	>"$tmp/blank.html"
sed -n -e '/^<script>$/,$p' "$tmp/timed.html" | tail -n 6 >>"$tmp/blank.html"

# "MIN MEDIAN" of n runs, in ms
measure()
{
	i=0
	while [ $i -lt "$n" ]; do
		timeout 120 chromium --headless --no-sandbox --disable-gpu \
			--disable-quic --no-first-run \
			--disable-background-networking \
			--disable-component-update --disable-sync \
			--user-data-dir="$tmp/chrome" --window-size=1280,1000 \
			--dump-dom "file://$1" 2>/dev/null |
			sed -n 's|.*<title>drawn \([0-9.]*\)</title>.*|\1|p'
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[1], v[int((NR + 1) / 2)] }'
}

size=$(wc -c <"$tmp/hour.html")
set -- $(measure "$tmp/timed.html") $(measure "$tmp/blank.html")
[ $# -eq 4 ] || { echo "bench-report: chromium gave no timing"; exit 1; }
echo "1-hour report (72,002 probes): $size bytes"
echo "chromium, $n runs: parsed, styled and laid out in ${1} ms at best, ${2} ms median (the same page without its content: ${3} ms, ${4} ms)"
awk -v a="$2" -v b="$4" 'BEGIN { printf "median ratio to the empty page: %.1fx\n", a / b }'
