#!/bin/sh
# %mem: allocations failing with ENOMEM, counted exactly, and programs
# surviving them.
. "$abs_top_srcdir/tests/integration/init.sh"

MEM=$HELPERS/mem
shim_expect "^malloc: calls=200 ok=100 fail=100 first_fail=101 errno=ENOMEM" \
	"malloc:after=100:error=ENOMEM" "$MEM" malloc 200
shim_expect "^malloc: calls=50 ok=47 fail=3 first_fail=11 errno=ENOMEM" \
	"malloc:after=10:count=3:error=ENOMEM" "$MEM" malloc 50
shim_expect "^calloc: calls=9 ok=6 fail=3 first_fail=3 errno=ENOMEM" \
	"%mem:nth=3:error=ENOMEM" "$MEM" calloc 9
shim_expect "^realloc: calls=9 ok=5 fail=4 first_fail=6 errno=ENOMEM" \
	"%mem:after=5:error=ENOMEM" "$MEM" realloc 9
shim_expect "^posix_memalign: calls=9 ok=5 fail=4 first_fail=6 errno=ENOMEM" \
	"%mem:after=5:error=ENOMEM" "$MEM" posix_memalign 9
shim_expect "^strdup: calls=100 ok=95 fail=5 first_fail=11 errno=ENOMEM" \
	"strdup:after=10:count=5:error=ENOMEM" "$MEM" strdup 100
shim_expect "^strndup: calls=10 ok=0 fail=10 first_fail=1 errno=ENOMEM" \
	"%mem:error=ENOMEM" "$MEM" strndup 10
# strdup's copies are right when it does not fail
shim_expect "^strdup: calls=10 ok=10 fail=0" "malloc:after=1000000:error=ENOMEM" "$MEM" strdup 10
# a rule on malloc does not touch strdup named alone... and free is never
# failed: a program freeing everything it allocated runs to the end
shim_expect "^malloc: calls=1000 ok=0 fail=1000" "malloc:exe=mem:error=ENOMEM" "$MEM" malloc 1000
# a real program under allocation failures: no crash of the shim, the
# program reports it (sort needs memory for its buffer)
printf 'b\na\n' >in
run_shim "%mem:exe=sort:after=5:error=ENOMEM" sort in >out 2>err
st=$?
case $st in
0|1|2) ;;
*) fail_ "sort under %mem failures died with status $st: $(cat err)" ;;
esac
echo "ok: sort under %mem failures exited $st"
# a %mem rule counts one strdup once, whatever glibc allocates inside it
shim_expect "^strdup: calls=100 ok=95 fail=5 first_fail=11 errno=ENOMEM" \
	"%mem:after=10:count=5:error=ENOMEM" "$MEM" strdup 100
exit 0
