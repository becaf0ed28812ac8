#!/bin/sh
# Ownership: a root qdisc chaosd did not create is refused (exit 2, left
# untouched) unless --force; a second fault on the same device is
# refused; clear removes only chaosd's handle.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

# someone else's root qdisc
tc -n "$ns_a" qdisc add dev "$dev_a" root handle 1: htb default 10 ||
	framework_failure_ "tc qdisc add htb"
expect_status 2 chaosd_ net apply --netns "$ns_a" --dev "$dev_a" \
	--rate 8mbit 2>"$tmp/err"
expect_grep "not chaosd's: refusing to replace it" "$tmp/err" "refusal"
expect_eq "foreign root untouched" "htb 1:" "$(root_qdisc_)"
[ -z "$(ls "$CHAOSD_RUNDIR"/*.journal 2>/dev/null)" ] || fail_ "journal written"

# clear does not remove what is not chaosd's
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >"$tmp/out" 2>&1 ||
	fail_ "clear: $(cat "$tmp/out")"
expect_eq "clear leaves a foreign root" "htb 1:" "$(root_qdisc_)"
# nor does recover
chaosd_ recover --netns "$ns_a" >"$tmp/out" 2>&1 || fail_ "recover: $(cat "$tmp/out")"
expect_eq "recover leaves a foreign root" "htb 1:" "$(root_qdisc_)"

# --force replaces it; clearing then leaves the kernel's default
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 8mbit --force \
	>"$tmp/out" 2>&1 || fail_ "apply --force: $(cat "$tmp/out")"
expect_eq "forced" "htb c405:" "$(root_qdisc_)"

# a second fault on the same device: refused, the first one kept
expect_status 2 chaosd_ net apply --netns "$ns_a" --dev "$dev_a" \
	--rate 1mbit 2>"$tmp/err"
expect_grep "already has a chaosd fault" "$tmp/err" "second fault"
tc -n "$ns_a" qdisc show dev "$dev_a" >"$tmp/q"
expect_grep 'tbf c406: .*rate 8Mbit' "$tmp/q" "first fault kept"

chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"
assert_clean_

# a device of the same name outside the namespace is not this one
expect_status 2 chaosd_ net apply --netns "$ns_b" --dev "$dev_a" \
	--rate 8mbit 2>"$tmp/err"
expect_grep "unknown device '$dev_a'" "$tmp/err" "device lookup in the namespace"
exit 0
