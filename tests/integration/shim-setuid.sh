#!/bin/sh
# In a set-user-ID process (AT_SECURE) the shim does nothing: faults are a
# privilege. A copy of the helper made setuid to another user, run with
# CHAOS_INJECT armed, sees no fault, while the same copy without the bit
# does. (Here ld.so itself drops a preload path in secure mode; the
# shim's own AT_SECURE check backs that up.)
. "$abs_top_srcdir/tests/integration/init.sh"

require_root_
id -u nobody >/dev/null 2>&1 || skip_ "no user 'nobody'"
chmod 755 "$tmp"
cp "$FILEOPS" "$tmp/plain" && cp "$FILEOPS" "$tmp/suid" && cp "$(command -v id)" "$tmp/suid-id" ||
	framework_failure_ "cannot copy the helper"
chown nobody "$tmp/suid" "$tmp/suid-id" && chmod 4755 "$tmp/suid" "$tmp/suid-id" ||
	framework_failure_ "cannot make a setuid copy"
# is the set-user-ID bit honoured here (not a nosuid mount)?
[ "$("$tmp/suid-id" -u)" = "$(id -u nobody)" ] ||
	skip_ "set-user-ID bits are not honoured under $tmp (nosuid?)"
printf 'x' >"$tmp/f"
chmod 644 "$tmp/f"
R="%read:path=$tmp/f:error=EIO"
shim_expect "^read=-1 errno=EIO" "$R" "$tmp/plain" "open=$tmp/f" read=1
run_shim "$R" "$tmp/suid" "open=$tmp/f" read=1 >out 2>err ||
	fail_ "the setuid helper exited $?: $(cat err)"
expect_grep "^read=1 data=x" out "setuid: no fault"
[ -s err ] && fail_ "setuid: something on stderr: $(cat err)"
# a bad rule is not even read there: no line, the program runs
run_shim "read:bogus=1" "$tmp/suid" "open=$tmp/f" read=1 >out 2>err
expect_grep "^read=1 data=x" out "setuid, bad rule: runs"
[ -s err ] && fail_ "setuid, bad rule: something on stderr: $(cat err)"
exit 0
