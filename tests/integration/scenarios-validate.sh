#!/bin/sh
# Every scenario shipped in scenarios/ passes chaosd validate; validate
# and run --dry-run say early what will not work (a fault nothing runs
# under: it would be inconclusive).
. "$abs_top_srcdir/tests/integration/init.sh"
n=0
for f in "$abs_top_srcdir"/scenarios/*.ini; do
	"$CHAOSD" validate "$f" >"$tmp/out" 2>&1 || {
		cat "$tmp/out" >&2
		fail_ "${f##*/} does not validate"
	}
	expect_grep ': valid$' "$tmp/out" "${f##*/}"
	n=$((n + 1))
done
expect_range "scenarios shipped" 6 1000 "$n"

cat >"$tmp/alone.ini" <<EOT
[scenario]
duration = 2s
[inject.eio]
call = %read
error = EIO
EOT
"$CHAOSD" validate -q "$tmp/alone.ini" >"$tmp/out" 2>&1 ||
	fail_ "alone.ini: validate exit $?"
expect_grep "alone.ini:3: note: \[inject.eio\] no service and no workload run under the scenario's table: this fault will match nothing" \
	"$tmp/out" "validate's note"
"$CHAOSD" run --dry-run "$tmp/alone.ini" >"$tmp/out" 2>&1 ||
	fail_ "alone.ini: dry run exit $?"
expect_grep "alone.ini:3: note: \[inject.eio\]" "$tmp/out" "the dry run's note"
exit 0
