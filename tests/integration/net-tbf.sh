#!/bin/sh
# --rate alone: a tbf that really limits throughput between two
# namespaces; clear takes it away and the throughput comes back.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

serve_ 5001
base=$(throughput_ 5001 1000)
[ -n "$base" ] || framework_failure_ "no baseline throughput"
[ "$base" -gt 100000000 ] ||
	skip_ "veth too slow here for a rate test ($base bit/s)"

# The default (ssh excluded): htb, its class, a tbf leaf.
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit \
	>"$tmp/out" 2>&1 || fail_ "apply: $(cat "$tmp/out")"
grep -q 'rate 8Mbit' "$tmp/out" || fail_ "apply did not say what: $(cat "$tmp/out")"
[ "$(root_qdisc_)" = "htb c405:" ] || fail_ "root is '$(root_qdisc_)'"
tc -n "$ns_a" qdisc show dev "$dev_a" | grep -q 'tbf c406: parent c405:1 rate 8Mbit' ||
	fail_ "no tbf leaf: $(tc -n "$ns_a" qdisc show dev "$dev_a")"
limited=$(throughput_ 5001 2500)
echo "baseline $base bit/s, with --rate 8mbit $limited bit/s"
[ "$limited" -gt 4000000 ] && [ "$limited" -lt 12000000 ] ||
	fail_ "8mbit fault measured $limited bit/s"

chaosd_ net show >"$tmp/show" || fail_ "show"
grep "$dev_a" "$tmp/show" | grep -q 'rate 8Mbit' || fail_ "show: $(cat "$tmp/show")"

chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >"$tmp/out" 2>&1 ||
	fail_ "clear: $(cat "$tmp/out")"
assert_clean_
after=$(throughput_ 5001 1000)
[ "$after" -gt 50000000 ] || fail_ "after clear only $after bit/s"

# Nothing excluded: a plain root tbf with chaosd's handle.
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 2mbit \
	--exclude-port none >"$tmp/out" 2>&1 || fail_ "apply: $(cat "$tmp/out")"
[ "$(root_qdisc_)" = "tbf c405:" ] || fail_ "root is '$(root_qdisc_)'"
limited=$(throughput_ 5001 2500)
echo "with --rate 2mbit --exclude-port none: $limited bit/s"
[ "$limited" -gt 1000000 ] && [ "$limited" -lt 3000000 ] ||
	fail_ "2mbit fault measured $limited bit/s"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"
assert_clean_

# clear again: nothing to do, not an error
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >"$tmp/out" 2>&1 ||
	fail_ "second clear failed"
grep -q 'no chaosd fault' "$tmp/out" || fail_ "second clear: $(cat "$tmp/out")"
exit 0
