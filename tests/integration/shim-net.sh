#!/bin/sh
# %net on the loopback: connect, accept, send/recv families; addr= (CIDR,
# IPv4 and IPv6), port= (single and ranges), fdtype=socket; short and
# corrupt on socket data.
. "$abs_top_srcdir/tests/integration/init.sh"

NET=$HELPERS/net
P=$(free_port)
Q=$((P + 1))
[ "$Q" -le 65535 ] || Q=$((P - 1))
LP="listen=127.0.0.1,$P"
CP="connect=127.0.0.1,$P"

# connect
shim_expect "^connect=-1 errno=ECONNREFUSED" "connect:port=$P:error=ECONNREFUSED" $NET "$LP" "$CP"
shim_expect "^connect=0" "connect:port=$Q:error=ECONNREFUSED" $NET "$LP" "$CP"
shim_expect "^connect=-1 errno=ETIMEDOUT" "connect:port=$((P - 1))-$((P + 1)):error=ETIMEDOUT" $NET "$LP" "$CP"
shim_expect "^connect=0" "connect:port=1-1023:error=ECONNREFUSED" $NET "$LP" "$CP"
shim_expect "^connect=-1 errno=ENETUNREACH" "connect:addr=127.0.0.0/8:error=ENETUNREACH" $NET "$LP" "$CP"
shim_expect "^connect=-1 errno=ENETUNREACH" "connect:addr=127.0.0.1/32:error=ENETUNREACH" $NET "$LP" "$CP"
shim_expect "^connect=0" "connect:addr=10.0.0.0/8:error=ENETUNREACH" $NET "$LP" "$CP"
shim_expect "^connect=0" "connect:addr=127.0.0.2/32:error=ENETUNREACH" $NET "$LP" "$CP"
# an IPv6 CIDR does not match an IPv4 peer
shim_expect "^connect=0" 'connect:addr=\:\:/0:error=ENETUNREACH' $NET "$LP" "$CP"

# %net covers bind: the listener's own address
shim_expect "^bind=-1 errno=EADDRINUSE" "%net:port=$P:error=EADDRINUSE" $NET "$LP"

# accept: the listener has no peer, port= is its local port
shim_expect "^accept=-1 errno=ECONNABORTED" "accept:port=$P:error=ECONNABORTED" $NET "$LP" "$CP" accept
shim_expect "^accept=0" "accept:port=$Q:error=ECONNABORTED" $NET "$LP" "$CP" accept

# data on a connected socket: the client's peer is 127.0.0.1:P
ALL="$LP $CP accept"
shim_expect "^send=-1 errno=EPIPE" "send:port=$P:error=EPIPE" $NET $ALL send=hi
shim_expect "^sendto=-1 errno=EPIPE" "sendto:port=$P:error=EPIPE" $NET $ALL sendto=hi
shim_expect "^write=-1 errno=EPIPE" "%write:port=$P:error=EPIPE" $NET $ALL write=hi
shim_expect "^crecv=-1 errno=ECONNRESET" "recv:port=$P:error=ECONNRESET" $NET $ALL ssend=hi crecv=10
shim_expect "^recv=2 data=hi" "recv:port=$P:error=ECONNRESET" $NET $ALL send=hi recv=10
# the server side's peer is the client's address
shim_expect "^recv=-1 errno=ECONNRESET" "recv:addr=127.0.0.1/32:error=ECONNRESET" $NET $ALL send=hi recv=10
shim_expect "^recvfrom=-1 errno=ECONNRESET" "recvfrom:addr=127.0.0.0/8:error=ECONNRESET" $NET $ALL send=hi recvfrom=10
shim_expect "^read=-1 errno=EIO" "%read:fdtype=socket:error=EIO" $NET $ALL write=hi read=10
# short and corrupt on what recv returns
shim_expect "^recv=2 data=he$" "recv:addr=127.0.0.1/32:short=2" $NET $ALL send=hello recv=10
shim_expect "^send=2$" "send:port=$P:short=2" $NET $ALL send=hello
run_shim "recv:addr=127.0.0.1/32:corrupt=1" $NET $ALL send=AAAA recv=10 >out 2>&1
d=$(sed -n 's/^recv=4 data=//p' out)
case $d in
AAAA|'') fail_ "recv corrupt=1: data '$d' not corrupted ($(cat out))" ;;
esac
echo "ok: recv corrupt=1: AAAA -> $d"
# the delay of a connect
run_shim "connect:port=$P:delay=300ms" $NET timed "$LP" "$CP" >out 2>&1
expect_range "connect delay=300ms (ms)" 295 10000 "$(sed -n 's/^connect=0 ms=//p' out)"
run_shim "connect:port=$Q:delay=300ms" $NET timed "$LP" "$CP" >out 2>&1
expect_range "connect, delay on another port (ms)" 0 250 "$(sed -n 's/^connect=0 ms=//p' out)"

# IPv6 on ::1
require_ipv6_
P6=$(free_port)
L6="listen=::1,$P6"
C6="connect=::1,$P6"
shim_expect "^connect=-1 errno=ENETUNREACH" 'connect:addr=\:\:1/128:error=ENETUNREACH' $NET "$L6" "$C6"
shim_expect "^connect=-1 errno=ENETUNREACH" 'connect:addr=\:\:/0:error=ENETUNREACH' $NET "$L6" "$C6"
shim_expect "^connect=0" 'connect:addr=fe80\:\:/10:error=ENETUNREACH' $NET "$L6" "$C6"
shim_expect "^connect=0" "connect:addr=127.0.0.0/8:error=ENETUNREACH" $NET "$L6" "$C6"
shim_expect "^connect=-1 errno=ECONNREFUSED" "connect:port=$P6:error=ECONNREFUSED" $NET "$L6" "$C6"
shim_expect "^send=-1 errno=EPIPE" 'send:addr=\:\:1/128:error=EPIPE' $NET "$L6" "$C6" accept send=hi
shim_expect "^accept=-1 errno=ECONNABORTED" "accept:port=$P6:error=ECONNABORTED" $NET "$L6" "$C6" accept
# the bracket form, whose colons need no escapes
shim_expect "^connect=-1 errno=ENETUNREACH" 'connect:addr=[::1]:error=ENETUNREACH' $NET "$L6" "$C6"
shim_expect "^connect=-1 errno=ENETUNREACH" 'connect:addr=[::1]/128:error=ENETUNREACH' $NET "$L6" "$C6"
shim_expect "^connect=0" 'connect:addr=[fe80::]/10:error=ENETUNREACH' $NET "$L6" "$C6"
# an IPv4-mapped peer of an IPv6 socket is that IPv4 address
shim_expect "^connect=-1 errno=ENETUNREACH" "connect:addr=127.0.0.0/8:error=ENETUNREACH" $NET "$LP" "connect=::ffff:127.0.0.1,$P"
shim_expect "^connect=0" "connect:addr=10.0.0.0/8:error=ENETUNREACH" $NET "$LP" "connect=::ffff:127.0.0.1,$P"
exit 0
