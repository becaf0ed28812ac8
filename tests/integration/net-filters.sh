#!/bin/sh
# Targeting: the u32 filters chaosd builds read back as intended, the
# targeted traffic is limited and the rest measured untouched; port 22 is
# left alone by default, even by an untargeted fault.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/net-lib.sh"

serve_ 5001
serve_ 5002
serve_ 5004
serve_ 22

filters_() { tc -n "$ns_a" filter show dev "$dev_a" >"$tmp/filters"; }

# --- dst + dport + proto: one filter, three keys, to class c405:1
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 4mbit \
	--dst "$addr_b/32" --dport 5001 --proto tcp >"$tmp/out" 2>&1 ||
	fail_ "apply: $(cat "$tmp/out")"
[ "$(root_qdisc_)" = "htb c405:" ] || fail_ "root is '$(root_qdisc_)'"
tc -n "$ns_a" qdisc show dev "$dev_a" >"$tmp/qdiscs"
expect_grep 'htb c405: root .*default 0 ' "$tmp/qdiscs" "htb sends the rest direct"
filters_
# ip dst 10.199.0.2 at 16, protocol 6 in the word at 8, dport 5001 at 20
expect_grep 'match 0ac70002/ffffffff at 16' "$tmp/filters" "dst key"
expect_grep 'match 00060000/00ff0000 at 8' "$tmp/filters" "proto key"
expect_grep 'match 00001389/0000ffff at 20' "$tmp/filters" "dport key"
expect_grep 'flowid c405:1' "$tmp/filters" "targeted traffic to the fault"
expect_grep 'match 00000016/0000ffff at 20' "$tmp/filters" "ssh dport excluded"
expect_grep 'match 00160000/ffff0000 at 20' "$tmp/filters" "ssh sport excluded"
# an IPv4 dst: no IPv6 filters
expect_no_grep 'protocol ipv6 .*flowid c405:1' "$tmp/filters" "ipv4 only"

t1=$(throughput_ 5001 2500)
t2=$(throughput_ 5002 1000)
echo "targeted (dport 5001): $t1 bit/s; untargeted (dport 5002): $t2 bit/s"
expect_range "targeted throughput" 1500000 6000000 "$t1"
[ "$t2" -gt 100000000 ] || fail_ "untargeted traffic slowed to $t2 bit/s"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"
assert_clean_

# --- a port range: aligned blocks (5000-5003 is one /14 of ports)
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 4mbit \
	--dport 5000-5003 >"$tmp/out" 2>&1 || fail_ "apply: $(cat "$tmp/out")"
filters_
expect_grep 'match 00001388/0000fffc at 20' "$tmp/filters" "range block"
# no address given: the same for IPv6 (ports at 40)
expect_grep 'match 00001388/0000fffc at 40' "$tmp/filters" "ipv6 range block"
t1=$(throughput_ 5002 2500)
t2=$(throughput_ 5004 1000)
echo "in range (5002): $t1 bit/s; outside (5004): $t2 bit/s"
expect_range "in-range throughput" 1500000 6000000 "$t1"
[ "$t2" -gt 100000000 ] || fail_ "port 5004 slowed to $t2 bit/s"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"

# an unaligned range splits: 5001-5006 = 5001, 5002-5003, 5004-5006...
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 4mbit \
	--dport 5001-5006 --src "$addr_a/24" --sport 1024-65535 \
	>"$tmp/out" 2>&1 || fail_ "apply: $(cat "$tmp/out")"
filters_
n=$(grep -c 'flowid c405:1' "$tmp/filters")
# dport: 5001, 5002-5003, 5004-5005, 5006 (4); sport 1024-65535 (6)
expect_eq "filters for 4 dport x 6 sport blocks" 24 "$n"
expect_grep 'match 0ac70000/ffffff00 at 12' "$tmp/filters" "src /24 key"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"

# --- IPv6 destination: four 32-bit keys at 24..36
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 4mbit \
	--dst fd00:c405::2/128 --proto udp >"$tmp/out" 2>&1 ||
	fail_ "apply: $(cat "$tmp/out")"
filters_
expect_grep 'protocol ipv6 ' "$tmp/filters" "ipv6 filter"
expect_grep 'match fd00c405/ffffffff at 24' "$tmp/filters" "ipv6 dst word 1"
expect_grep 'match 00000002/ffffffff at 36' "$tmp/filters" "ipv6 dst word 4"
expect_grep 'match 00001100/0000ff00 at 4' "$tmp/filters" "ipv6 next header udp"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"
assert_clean_

# --- untargeted: everything slowed, except ssh (port 22), by default
chaosd_ net apply --netns "$ns_a" --dev "$dev_a" --rate 2mbit \
	>"$tmp/out" 2>&1 || fail_ "apply: $(cat "$tmp/out")"
t1=$(throughput_ 5001 2500)
t22=$(throughput_ 22 1000)
echo "untargeted fault: port 5001 $t1 bit/s, port 22 $t22 bit/s"
expect_range "port 5001 under an untargeted 2mbit" 800000 3000000 "$t1"
[ "$t22" -gt 100000000 ] || fail_ "ssh (port 22) slowed to $t22 bit/s"
chaosd_ net clear --netns "$ns_a" --dev "$dev_a" >/dev/null || fail_ "clear"
assert_clean_
exit 0
