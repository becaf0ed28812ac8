#!/bin/sh
# The registry's last fallback, /tmp/chaosd-UID, is used only while it is
# that user's own directory, closed to others: one that someone else made
# first (or a link, or one open to all) would let them read, plant or
# remove the user's entries, and plant journal entries that the user's
# own recover or guardian would act upon. Run as an unused uid, so that the fallback
# directory is this test's alone; as that uid /run is not writable and
# there is no XDG_RUNTIME_DIR, so the fallback is what chaosd takes.
. "$abs_top_srcdir/tests/integration/init.sh"
. "$abs_top_srcdir/tests/integration/table-lib.sh"
require_root_
require_prog_ setpriv

uid=$(( 2000000000 + $$ ))
dir=/tmp/chaosd-$uid
at_exit_ 'rm -rf "$dir" "$dir.elsewhere"'
rm -rf "$dir" "$dir.elsewhere"

# the uid must reach chaosd, its libraries and a directory of its own
mkdir "$tmp/u" && chown "$uid:$uid" "$tmp/u" && chmod 711 "$tmp" ||
	framework_failure_ "cannot prepare $tmp/u"
as_() {
	env -u CHAOSD_RUNDIR -u XDG_RUNTIME_DIR \
		setpriv --reuid="$uid" --regid="$uid" --clear-groups "$@"
}
as_ "$CHAOSD" --help >/dev/null 2>&1 ||
	skip_ "the build tree is not readable by other users"
as_ test -w /run && skip_ "/run is writable by any user here"

T=$tmp/u/t.table

# missing: made, mode 0700, and used
status_ 0 as_ "$CHAOSD" inject --table "$T" -i 'read:error=EIO'
expect_eq "fallback made private" "drwx------ $uid" "$(stat -c '%A %u' "$dir")"
[ -f "$dir/tables/$(printf '%s' "${T#/}" | sed 's/-/%2D/g; s|/|-|g').entry" ] ||
	fail_ "no entry in $dir/tables: $(ls -lR "$dir")"
as_ "$CHAOSD" status >"$tmp/status" 2>"$tmp/err"
expect_grep "^$T +armed" "$tmp/status"
status_ 0 as_ "$CHAOSD" abort
rm -rf "$dir"

refused_() {	# what
	status_ 2 as_ "$CHAOSD" inject --table "$T" -i 'read:error=EIO'
	expect_grep "$dir is not a private directory.*CHAOSD_RUNDIR" "$tmp/err" "$1: inject"
	expect_grep 'not armed' "$tmp/err" "$1: inject"
	[ -e "$dir/tables" ] && fail_ "$1: an entry was written in $dir"
	as_ "$CHAOSD" status >/dev/null 2>"$tmp/err"
	expect_grep "$dir is not a private directory" "$tmp/err" "$1: status"
	status_ 4 as_ "$CHAOSD" abort
	# the journal shares the directory: an entry planted there is never
	# acted upon (it made the user's own recover remove the user's file)
	as_ sh -c 'echo precious >"$1"' sh "$tmp/u/victim"
	[ -d "$dir" ] && printf 'type=run\nstate=active\nowner=1\nbound=1\nwhat=planted\nfile=%s\n' \
		"$tmp/u/victim" >"$dir/run-planted.journal"
	status_ 4 as_ "$CHAOSD" recover --no-sweep
	expect_grep "$dir is not a private directory" "$tmp/err" "$1: recover"
	expect_no_grep 'reverted planted' "$tmp/out" "$1: recover"
	[ -f "$tmp/u/victim" ] || fail_ "$1: recover acted on a planted journal entry"
	rm -rf "$dir"
}

# made first by someone else (root here), open to all: refused
mkdir -m 1777 "$dir"
refused_ "someone else's"
# the user's own but open to others
mkdir -m 0777 "$dir" && chown "$uid:$uid" "$dir" && chmod 0777 "$dir"
refused_ "open to others"
mkdir -m 0770 "$dir" && chown "$uid:$uid" "$dir" && chmod 0770 "$dir"
refused_ "open to its group"
# a symbolic link to a private directory of the user's
mkdir -m 0700 "$dir.elsewhere" && chown "$uid:$uid" "$dir.elsewhere"
ln -s "$dir.elsewhere" "$dir"
refused_ "a link"
# a file
: >"$dir"
refused_ "a file"

# the user's own private directory, made beforehand: used
mkdir -m 0700 "$dir" && chown "$uid:$uid" "$dir"
status_ 0 as_ "$CHAOSD" inject --table "$T" -i 'read:error=EIO'
status_ 0 as_ "$CHAOSD" abort
expect_grep "killed $T" "$tmp/out"
exit 0
