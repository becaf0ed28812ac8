#!/bin/sh
# Only files made as fault tables are tables. An existing file that is not
# one (an empty file such as /etc/subuid, a configuration file) is refused
# by chaosd inject and by the shim alike, and left exactly as it was; a
# new table is made whole (written under a temporary name, then linked
# into place), so that no process ever sees one without its magic; a
# table of another layout version is refused with both versions named.
. "$abs_top_srcdir/tests/integration/init.sh"
require_python_

rule="read:path=$tmp/nothing:error=EIO"
fingerprint() { stat -c '%s %Y %i %a' "$1"; }

# an existing empty file
: >"$tmp/x.conf"
touch -d '2020-01-01 00:00' "$tmp/x.conf"
before=$(fingerprint "$tmp/x.conf")
expect_status 2 "$CHAOSD" inject --table "$tmp/x.conf" -i "$rule" >out 2>err
expect_grep "x\.conf: not a fault table: refused" err "chaosd inject, empty file"
expect_eq "empty file, after chaosd inject" "$before" "$(fingerprint "$tmp/x.conf")"
LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/x.conf cat "$tmp/x.conf" >out 2>err
expect_eq "cat under the shim, empty file as its table: exit status" 0 $?
expect_grep "^libinject\\[[0-9]+\\] cat: refused table=.*x\.conf -- not a fault table: refused; no table faults$" err
expect_eq "empty file, after the shim" "$before" "$(fingerprint "$tmp/x.conf")"

# an existing file with something else in it
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$tmp/passwd"
cp "$tmp/passwd" "$tmp/passwd.orig"
expect_status 2 "$CHAOSD" inject --table "$tmp/passwd" -i "$rule" >out 2>err
expect_grep "passwd: not a fault table: refused" err "chaosd inject, a text file"
cmp -s "$tmp/passwd" "$tmp/passwd.orig" || fail_ "chaosd inject changed a file it refused"

# a new table: whole, 0600, nothing left beside it
mkdir "$tmp/d"
expect_status 0 "$CHAOSD" inject --table "$tmp/d/new.table" -i "$rule" >out 2>err
expect_eq "new table: magic" CHOASTB1 "$(head -c 8 "$tmp/d/new.table")"
expect_eq "new table: mode" 600 "$(stat -c %a "$tmp/d/new.table")"
expect_eq "files in the table's directory" "new.table" "$(ls -A "$tmp/d" | grep -v '\.reach$' | tr '\n' ' ' | sed 's/ $//')"

# many processes making the same table at once: each finds it whole
mkdir "$tmp/race"
i=0
while [ $i -lt 20 ]; do
	LD_PRELOAD=$LIBINJECT CHAOS_TABLE=$tmp/race/t.table "$PYTHON" -c 'pass' \
		2>"$tmp/race.err.$i" &
	i=$((i + 1))
done
wait
cat "$tmp"/race.err.* >"$tmp/race.err"
expect_no_grep 'libinject' "$tmp/race.err" "20 processes creating one table"
expect_eq "racing creators: files left" "t.table" "$(ls -A "$tmp/race" | grep -v '\.reach$' | tr '\n' ' ' | sed 's/ $//')"

# a table of another version: refused, both versions named
cp "$tmp/d/new.table" "$tmp/old.table"
"$PYTHON" - "$tmp/old.table" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(8)
    v = struct.unpack("<I", f.read(4))[0]
    f.seek(8)
    f.write(struct.pack("<I", v + 7))
PY
cp "$tmp/old.table" "$tmp/old.table.orig"
expect_status 2 "$CHAOSD" inject --table "$tmp/old.table" -i "$rule" >out 2>err
expect_grep "old\.table: a fault table of version [0-9]+, not [0-9]+: refused" err "another version"
cmp -s "$tmp/old.table" "$tmp/old.table.orig" || fail_ "chaosd inject changed a table of another version"
exit 0
