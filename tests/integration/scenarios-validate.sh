#!/bin/sh
# Every scenario shipped in scenarios/ passes chaosd validate.
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
exit 0
