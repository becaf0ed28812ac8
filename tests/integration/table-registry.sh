#!/bin/sh
# The registry holds only what it can read back: a table path with a
# control character is refused before anything is armed (a newline cut
# the path short in the entry, and abort then missed the armed table),
# and an entry that does not read back exactly is reported by status and
# makes abort and recover fail instead of being skipped.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"

reg=$CHAOSD_RUNDIR/tables

# a newline, a tab, an escape: exit 2, no table, no entry
for c in '\n' '\t' '\033'; do
	T=$(printf "%s/a${c}b.table" "$tmp")
	status_ 2 "$CHAOSD" inject --table "$T" -i 'read:error=EIO'
	expect_grep 'control character' "$tmp/err"
	[ -e "$T" ] && fail_ "a table was made at '$T'"
	[ -n "$(ls -A "$reg" 2>/dev/null)" ] && fail_ "an entry was written: $(ls "$reg")"
done
expect_no_grep 'armed' "$tmp/out"

# a good table next to the bad entries below: still found and killed
T=$tmp/good.table
probe_start "$T" "$tmp/target" 60
status_ 0 "$CHAOSD" inject --table "$T" -i "%write:path=$tmp/target:error=EIO"
probe_wait EIO 2000

# an entry as an older chaosd wrote it for a path with a newline: it
# named "/tmp/a" while the armed table was "/tmp/a<newline>b"
printf '# chaosd\npath=%s/a\nb.table\nowner=1\narmed_ms=1\ndeadline_ms=99999999999999\n' \
	"$tmp" >"$reg/$(printf '%s' "${tmp#/}" | sed 's/-/%2D/g; s|/|-|g')-a%0Ab.table.entry"
"$CHAOSD" status >"$tmp/status" 2>"$tmp/err"
expect_grep 'registry entry .*a%0Ab.table.entry: a line is not key=value' "$tmp/err"
expect_no_grep "^$tmp/a +missing" "$tmp/status" "status"
expect_grep "^$T +armed" "$tmp/status"
status_ 4 "$CHAOSD" abort
expect_grep 'a line is not key=value' "$tmp/err"
expect_grep "killed $T" "$tmp/out"
probe_wait ok 2000
status_ 4 "$CHAOSD" recover --no-sweep
expect_grep 'a%0Ab.table.entry' "$tmp/err"
expect_no_grep 'the journal .* keeps' "$tmp/err" "recover blames the registry, not the journal"
rm -f "$reg"/*a%0Ab.table.entry

# entries that do not read back exactly
bad_entry_() {	# file name, contents (printf format), what status says
	rm -f "$reg"/*.entry
	# shellcheck disable=SC2059
	printf "$2" >"$reg/$1"
	"$CHAOSD" status >/dev/null 2>"$tmp/err"
	expect_grep "registry entry $reg/$1: .*$3" "$tmp/err"
	status_ 4 "$CHAOSD" abort
	expect_grep "$3" "$tmp/err"
	rm -f "$reg/$1"
}
bad_entry_ tmp-x.table.entry 'path=/tmp/y.table\n' 'its path= is not the path its name encodes'
bad_entry_ tmp-x.table.entry 'path=/tmp/x.table' 'does not end with a whole line'
bad_entry_ tmp-x.table.entry 'owner=1\n' 'no path='
bad_entry_ tmp-x.table.entry 'path=/tmp/x.table\npath=/tmp/x.table\n' 'more than one path='
bad_entry_ tmp-x.table.entry 'path=tmp/x.table\n' 'not the absolute path of a file'
bad_entry_ tmp-x%09.table.entry 'path=/tmp/x\t.table\n' 'control character'
bad_entry_ tmp-x.table.entry 'path=/tmp/x.table\n\0\n' 'NUL byte'
head -c 8192 /dev/zero | tr '\0' 'x' >"$tmp/long"
bad_entry_ tmp-x.table.entry "path=/tmp/x.table\\n#$(cat "$tmp/long")\\n" 'larger than'

# what chaosd inject writes reads back, for a path with every kind of
# byte the name encodes
T="$tmp/odd name-%+é.table"
status_ 0 "$CHAOSD" inject --table "$T" -i 'read:error=EIO'
"$CHAOSD" status >"$tmp/status" 2>"$tmp/err"
[ -s "$tmp/err" ] && fail_ "status complained: $(cat "$tmp/err")"
grep -Fq "$T" "$tmp/status" || fail_ "status lacks '$T': $(cat "$tmp/status")"
status_ 0 "$CHAOSD" abort
grep -Fq "killed $T" "$tmp/out" || fail_ "abort: $(cat "$tmp/out")"
probe_stop
exit 0
