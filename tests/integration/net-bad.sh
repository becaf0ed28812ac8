#!/bin/sh
# Bad inputs: each is exit 2 with a message naming the problem, and
# nothing is applied (no qdisc, no journal entry).
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

n=0
bad_()
{
	want=$1
	shift
	n=$((n + 1))
	chaosd_ net apply "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ "$st" = 2 ] || fail_ "'$*' exited $st, expected 2: $(cat "$tmp/err")"
	grep -qiE -- "$want" "$tmp/err" ||
		fail_ "'$*': message '$(cat "$tmp/err")' does not match '$want'"
	printf 'ok: %s -> %s\n' "$*" "$(head -n 1 "$tmp/err")"
	assert_clean_
}

A="--netns $ns_a --dev $dev_a"
bad_ 'loss.*150%.*out of range|range' $A --loss 150%
bad_ 'loss' $A --loss -5%
bad_ 'delay' $A --delay -10ms
bad_ 'delay.*unit|unit' $A --delay 100
bad_ 'for' $A --rate 1mbit --for 10
bad_ 'jitter' $A --delay 10ms --jitter 5
bad_ 'dst.*40|prefix' $A --rate 1mbit --dst 10.0.0.0/40
bad_ 'dst' $A --rate 1mbit --dst 10.0.0.300
bad_ 'dport.*70000|port' $A --rate 1mbit --dport 70000
bad_ 'sport' $A --rate 1mbit --sport 5-3
bad_ 'nothing to apply' $A
bad_ 'nothing to apply' $A --dst 10.199.0.2/32 --limit 100
bad_ "unknown device 'nosuchdev0'" --netns "$ns_a" --dev nosuchdev0 --rate 1mbit
bad_ "no network namespace" --netns "nosuchns$$" --dev "$dev_a" --rate 1mbit
bad_ 'dev.*required' --netns "$ns_a" --rate 1mbit
bad_ 'rate.*unit' $A --rate 1000
bad_ 'rate.*unknown unit' $A --rate 10furlongs
bad_ 'distribution' $A --delay 10ms --jitter 1ms --distribution gaussian
bad_ 'distribution needs --jitter' $A --delay 10ms --distribution normal
bad_ 'reorder needs --delay' $A --reorder 10%
bad_ 'two loss models' $A --loss 1% --loss-ge 1%
bad_ 'loss-ge' $A --loss-ge 1%,2%,3%,4%,5%
bad_ 'proto' $A --rate 1mbit --proto sctp
bad_ 'icmp has no ports' $A --rate 1mbit --proto icmp --dport 80
bad_ 'port 22 is excluded' $A --rate 1mbit --dport 22
bad_ 'exclude-port' $A --rate 1mbit --exclude-port 0
bad_ 'both name a namespace' --netns "$ns_a" --pid 1 --dev "$dev_a" --rate 1mbit
bad_ "unknown option '--dealy' \(did you mean '--delay'" $A --rate 1mbit --dealy 10ms
bad_ 'ttl' $A --rate 1mbit --ttl forever
echo "$n bad inputs refused"

# without CAP_NET_ADMIN (root, but the capability dropped)
if command -v setpriv >/dev/null 2>&1 &&
    setpriv --bounding-set -net_admin true 2>/dev/null; then
	expect_status 2 setpriv --bounding-set -net_admin "$CHAOSD" net apply \
		--netns "$ns_a" --dev "$dev_a" --rate 1mbit 2>"$tmp/err"
	expect_grep 'needs CAP_NET_ADMIN' "$tmp/err" "no CAP_NET_ADMIN"
	assert_clean_
else
	echo "setpriv cannot drop CAP_NET_ADMIN here: that case not checked"
fi

# clear and show refuse fault options; net refuses unknown verbs
expect_status 2 chaosd_ net clear --netns "$ns_a" --dev "$dev_a" --rate 1mbit
expect_status 2 chaosd_ net clear
expect_status 2 chaosd_ net frobnicate
exit 0
