#!/bin/sh
# chaosd starts with a handful of libraries (issue #15): libcurl, and the
# TLS, Kerberos and LDAP libraries it brings, are opened only when an HTTP
# check or a ready = http:// URL is first used, so chaosd exec, inject and
# status (and the guardian, the same binary) never load them; a scenario
# with an HTTP check still validates (libcurl is opened for it).
. "$abs_top_srcdir/tests/integration/init.sh"
require_prog_ strace ldd
CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR

ldd "$CHAOSD" >"$tmp/ldd" || framework_failure_ "ldd $CHAOSD failed"
expect_no_grep 'libcurl|libssl|libgnutls|libkrb5|libldap' "$tmp/ldd" "ldd chaosd"
expect_range "libraries chaosd is linked against (ldd)" 1 12 "$(grep -c '=>' "$tmp/ldd")"

opened()	# CMD...: the libraries CMD (and its children) opened
{
	strace -f -e trace=openat,open -o "$tmp/trace" "$@" >/dev/null 2>&1
	grep -E '\.so(\.[0-9]+)*"' "$tmp/trace" | grep -v ENOENT
}
opened "$CHAOSD" exec -- /bin/true >"$tmp/libs"
expect_grep 'libinject\.so' "$tmp/libs" "chaosd exec: the shim is there"
expect_no_grep 'libcurl' "$tmp/libs" "chaosd exec -- /bin/true"
opened "$CHAOSD" inject --table "$tmp/t.table" -i "read:path=$tmp/none:error=EIO" --ttl 5s >"$tmp/libs"
expect_no_grep 'libcurl' "$tmp/libs" "chaosd inject"
opened "$CHAOSD" status >"$tmp/libs"
expect_no_grep 'libcurl' "$tmp/libs" "chaosd status"

cat >"$tmp/http.ini" <<EOT
[scenario]
name = http-check
duration = 5s
command = true

[check.web]
type = http
url = http://127.0.0.1:9/health
EOT
opened "$CHAOSD" validate "$tmp/http.ini" >"$tmp/libs"
expect_grep 'libcurl\.so\.4' "$tmp/libs" "chaosd validate, an HTTP check: libcurl opened"
expect_status 0 "$CHAOSD" validate "$tmp/http.ini" >/dev/null
exit 0
