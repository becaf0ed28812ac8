#!/bin/sh
# Programs built with -O2 -D_FORTIFY_SOURCE=2 call glibc's checking entry
# points (__read_chk, __fprintf_chk, __open_2...); the groups cover them.
. "$abs_top_srcdir/tests/integration/init.sh"

FORT=$HELPERS/fortified
if command -v nm >/dev/null 2>&1; then
	syms=$(nm -D "$FORT")
	for s in __read_chk __pread_chk __fgets_chk __fread_chk __fprintf_chk __printf_chk __open_2; do
		case $syms in
		*"$s"*) ;;
		*) skip_ "the fortified helper does not call $s (built without optimisation?)" ;;
		esac
	done
	echo "ok: the helper calls the _chk entry points"
fi
F=$tmp/f
printf 'fortified data\n' >"$F"

for call in read pread fgets fread; do
	shim_expect "^$call=(-1|0|NULL) errno=EIO" "%read:path=$F:error=EIO" "$FORT" $call "$F" 8
	shim_expect "^$call=(8|ok) data=fortifie" "%read:path=$tmp/other:error=EIO" "$FORT" $call "$F" 8
done
shim_expect "^read=2 data=fo$" "%read:path=$F:short=2" "$FORT" read "$F" 8
shim_expect "^read=-1 errno=EIO" "__read_chk:path=$F:error=EIO" "$FORT" read "$F" 8
shim_expect "^open=-1 errno=EACCES" "%open:path=$F:error=EACCES" "$FORT" open "$F" 0
shim_expect "^open=-1 errno=EACCES" "__open_2:path=$F:error=EACCES" "$FORT" open "$F" 0
shim_expect "^fprintf=-1 errno=ENOSPC" "%write:path=$tmp/w:error=ENOSPC" "$FORT" fprintf "$tmp/w" hello
shim_expect "^fprintf=-1 errno=ENOSPC" "__fprintf_chk:path=$tmp/w:error=ENOSPC" "$FORT" fprintf "$tmp/w" hello
run_shim "%write:fdtype=pipe:error=EPIPE" "$FORT" printf hello 2>err | cat >out
expect_grep "^printf=-1 errno=EPIPE" err "__printf_chk into a pipe"
[ -s out ] && fail_ "__printf_chk wrote through the fault: $(cat out)"
run_shim "%write:path=$tmp/none:error=EPIPE" "$FORT" printf hello 2>err | cat >out
expect_grep "^hello 3$" out "__printf_chk without a fault"
exit 0
