#!/bin/sh
# path=GLOB: the path is read from the target's memory and made
# absolute (against its working directory or the dirfd) before matching.
. "$abs_top_srcdir/tests/integration/syscall-lib.sh"
require_notify_
require_busybox_

mkdir "$tmp/d"
echo secret >"$tmp/d/secret"
echo public >"$tmp/d/public"
rule="openat,open:path=$tmp/d/sec*:error=EACCES"

"$CHAOSD" exec -s "$rule" -- "$BUSYBOX" cat "$tmp/d/secret" \
	>"$tmp/out" 2>"$tmp/err" && fail_ "busybox cat of the secret succeeded"
grep -q "Permission denied" "$tmp/err" ||
	fail_ "busybox cat: no EACCES: $(cat "$tmp/err")"
echo "ok: busybox cat secret: $(cat "$tmp/err")"
out=$("$CHAOSD" exec -s "$rule" -- "$BUSYBOX" cat "$tmp/d/public") ||
	fail_ "busybox cat of another file failed"
expect_ "busybox cat public" public "$out"

out=$("$CHAOSD" exec -s "$rule" -- "$RAWSYS" open "$tmp/d/secret")
expect_ "raw openat, absolute" EACCES "$out"
out=$(cd "$tmp/d" && "$CHAOSD" exec -s "$rule" -- "$RAWSYS" open secret)
expect_ "raw openat, relative to the cwd" EACCES "$out"
out=$(cd "$tmp/d" && "$CHAOSD" exec -s "$rule" -- "$RAWSYS" open ./../d//secret)
expect_ "raw openat, . and .. cleaned" EACCES "$out"
out=$(cd "$tmp/d" && "$CHAOSD" exec -s "$rule" -- "$RAWSYS" open public)
expect_ "raw openat of another file" ok "$out"

# path= with a trigger and with a delay
out=$("$CHAOSD" exec -s "openat:path=$tmp/d/*:nth=2:error=EIO" -- \
	"$BUSYBOX" sh -c "cat $tmp/d/public; cat $tmp/d/public" 2>&1)
case $out in
public*"Input/output error"*) echo "ok: nth=2 with path=" ;;
*) fail_ "nth=2 with path=: $out" ;;
esac
exit 0
