#!/bin/sh
# A table armed before this boot is ignored: its deadline is wall-clock
# time, and a table on a persistent file system outlives a crash of the
# machine (and the registry under /run that recover would read). Made by
# moving the arming time of a live table to before the boot, as a table
# armed with --ttl 1h just before a crash and read 2 minutes after the
# next boot would hold.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

T=$tmp/svc.table
echo data >"$tmp/f"
expect_status 0 "$CHAOSD" inject --table "$T" --ttl 1h \
	-i "%read:path=$tmp/f:error=EIO" >/dev/null

# armed now: a cat started now fails
CHAOS_TABLE=$T LD_PRELOAD=$LIBINJECT cat "$tmp/f" >out 2>err &&
	fail_ "cat read a file under an armed table"
expect_grep 'Input/output error' err

# armed_at (struct table_header, libinject/chaos.h: offset 40) moved to two
# minutes before this boot; the deadline stays an hour away
"$PYTHON" - "$T" <<'PY' || framework_failure_ "could not rewrite the table"
import struct, sys, time
up = time.clock_gettime_ns(time.CLOCK_BOOTTIME)
with open(sys.argv[1], "r+b") as f:
    f.seek(16)
    gen = struct.unpack("<Q", f.read(8))[0]
    f.seek(40)
    f.write(struct.pack("<Q", time.time_ns() - up - 120 * 10**9))
    f.seek(16)
    f.write(struct.pack("<Q", gen + 2))
PY
CHAOS_TABLE=$T LD_PRELOAD=$LIBINJECT cat "$tmp/f" >out 2>err ||
	fail_ "a table armed before this boot faulted cat: $(cat err)"
expect_eq "what cat read" data "$(cat out)"
expect_grep 'armed before this boot; table ignored' err
exit 0
