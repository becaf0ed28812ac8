#!/bin/sh
# A revert is tied to the apply that made the fault: a foreground apply
# whose fault was cleared, then applied again by someone else, leaves
# the newer fault (and its journal entry) alone when its own window ends.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

"$CHAOSD" net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --for 4s \
	>"$tmp/old" 2>&1 &
old=$!
net_at_exit_ "kill $old 2>/dev/null"
i=0
until [ "$(root_qdisc_)" = "htb c405:" ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fail_ "the first fault never appeared: $(cat "$tmp/old")"
	sleep 0.1
done
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >"$tmp/out" 2>&1 ||
	fail_ "clear: $(cat "$tmp/out")"
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 2mbit --ttl 10m \
	>"$tmp/out" 2>&1 || fail_ "second apply: $(cat "$tmp/out")"
wait $old
expect_eq "the old apply's exit status" 0 "$?"
expect_grep 'cleared meanwhile' "$tmp/old" "the old apply says it had nothing to revert"
expect_no_grep '^chaosd: reverted' "$tmp/old" "the old apply"
expect_eq "the newer fault is still held" "htb c405:" "$(root_qdisc_)"
chaosd_ net show >"$tmp/show"
expect_grep "^$dev_a +$ns_a +active +[0-9]+[smh] +rate 2Mbit" "$tmp/show" \
	"the newer fault's journal entry"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"
assert_clean_
exit 0
