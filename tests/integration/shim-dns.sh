#!/bin/sh
# %dns: getaddrinfo and gethostbyname* of names /etc/hosts answers, with
# EAI_* codes and errno names, filtered by host=.
. "$abs_top_srcdir/tests/integration/init.sh"

DNS=$HELPERS/dns
getent hosts localhost >/dev/null 2>&1 || skip_ "localhost does not resolve here"

# without a fault, the names resolve
shim_expect "^getaddrinfo\\(localhost\\)=0 addr=127\\." "%dns:host=nothing.invalid:error=EAI_AGAIN" \
	"$DNS" getaddrinfo localhost
# EAI codes, for the name asked only (a numeric host is another name)
run_shim "%dns:host=local*:error=EAI_AGAIN" "$DNS" getaddrinfo localhost 127.0.0.1 >out 2>&1
expect_grep "^getaddrinfo\\(localhost\\)=EAI_AGAIN \\(Temporary failure in name resolution\\)" out
expect_grep "^getaddrinfo\\(127.0.0.1\\)=0 addr=127.0.0.1" out
shim_expect "^getaddrinfo\\(localhost\\)=EAI_NONAME" "getaddrinfo:host=localhost:error=EAI_NONAME" \
	"$DNS" getaddrinfo localhost
shim_expect "^getaddrinfo\\(localhost\\)=EAI_FAIL" "%dns:error=EAI_FAIL" "$DNS" getaddrinfo localhost
# an errno name: EAI_SYSTEM with that errno
shim_expect "^getaddrinfo\\(localhost\\)=EAI_SYSTEM .* errno=ECONNREFUSED" \
	"%dns:host=localhost:error=ECONNREFUSED" "$DNS" getaddrinfo localhost
# gethostbyname*: NULL, h_errno NETDB_INTERNAL and the errno
for c in gethostbyname gethostbyname2 gethostbyname_r; do
	run_shim "%dns:host=localhost:error=ECONNREFUSED" "$DNS" $c localhost 127.0.0.1 >out 2>&1
	expect_grep "^$c\\(localhost\\)=NULL h_errno=NETDB_INTERNAL errno=ECONNREFUSED" out
	expect_grep "^$c\\(127.0.0.1\\)=ok addr=127.0.0.1" out
done
# delay on a lookup
run_shim "getaddrinfo:host=localhost:delay=200ms" sh -c "
	s=\$(date +%s%N); '$DNS' getaddrinfo localhost; e=\$(date +%s%N)
	echo elapsed=\$(( (e - s) / 1000000 ))" >out 2>&1
expect_grep "^getaddrinfo\\(localhost\\)=0" out
expect_range "getaddrinfo delay=200ms (ms)" 195 10000 "$(field elapsed out)"
# python3's socket.getaddrinfo goes through the same call
if [ -n "$PYTHON" ]; then
	run_shim "%dns:host=localhost:error=EAI_AGAIN" "$PYTHON" -c '
import socket
try:
    socket.getaddrinfo("localhost", 80)
    print("resolved")
except socket.gaierror as e:
    print("gaierror", e.errno == socket.EAI_AGAIN)' >out 2>&1
	expect_grep "^gaierror True" out "python3 getaddrinfo"
fi
# EAI_* names reach the gethostbyname family too, as h_errno
for c in gethostbyname gethostbyname2 gethostbyname_r; do
	shim_expect "^$c\\(localhost\\)=NULL h_errno=TRY_AGAIN" \
		"%dns:host=localhost:error=EAI_AGAIN" "$DNS" $c localhost
	shim_expect "^$c\\(localhost\\)=NULL h_errno=HOST_NOT_FOUND" \
		"$c:host=localhost:error=EAI_NONAME" "$DNS" $c localhost
done
exit 0
