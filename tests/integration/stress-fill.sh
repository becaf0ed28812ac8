#!/bin/sh
# chaosd stress fill, on a small tmpfs the test mounts: the file system
# is left with the free space asked (df), the file is preallocated (its
# blocks, not a sparse file), and removed at the end, by the guardian
# after SIGKILL of chaosd, and by recover; a fill that would leave less
# than the safety margin is refused unless --force, as are a file that
# is there already and a size with no room.
. "$abs_top_srcdir/tests/integration/res-lib.sh"
require_root_

mnt=$tmp/mnt
mkdir "$mnt"
mount -t tmpfs -o size=64M "cdfill$$" "$mnt" || skip_ "cannot mount a tmpfs"
at_exit_ "umount '$mnt' 2>/dev/null"
avail_() { df -k "$mnt" | awk 'NR == 2 { print $4 }'; }
fills_() { ls "$mnt" | grep -c '^chaosd-fill\.'; }

# --- leave 20% free: 12.8 MiB of 64
chaosd_bg_ "$tmp/f1" stress fill "$mnt" --free 20% --for 3s
wait_until_ 100 grep -q 'in place' "$tmp/f1" || fail_ "not in place: $(cat "$tmp/f1")"
expect_range "free while filled (kB)" 12800 14200 "$(avail_)"
f=$(ls "$mnt"/chaosd-fill.*)
expect_range "its blocks (kB)" 51000 53500 "$(du -k "$f" | cut -f1)"
wait $bg
expect_eq "stress fill exits 0" 0 $?
expect_grep "filled 51.[0-9] MiB \\($mnt/chaosd-fill\\.[0-9.]*\\), leaving 12.[0-9] MiB free" "$tmp/f1"
expect_eq "the fill is removed" 0 "$(fills_)"
expect_range "free after (kB)" 65000 65536 "$(avail_)"

# --- a size, at a path of its own
expect_status 0 "$CHAOSD" stress fill "$mnt/big" --size 20M --for 500ms >"$tmp/f2"
expect_grep "filled 20 MiB \\($mnt/big\\), leaving 44 MiB free" "$tmp/f2"
[ ! -e "$mnt/big" ] || fail_ "$mnt/big left"

# --- refused: below the margin (5%: 3.2 MiB), no room, a file there
expect_status 2 "$CHAOSD" stress fill "$mnt" --free 2% 2>err
expect_grep "would leave 1.28 MiB free on $mnt, less than the safety margin \\(3.20 MiB" err
expect_status 2 "$CHAOSD" stress fill "$mnt" --size 100M 2>err
expect_grep "not room for it" err
touch "$mnt/there"
expect_status 2 "$CHAOSD" stress fill "$mnt/there" --size 1M 2>err
expect_grep "it exists: a fill makes a new file" err
rm "$mnt/there"
expect_status 2 "$CHAOSD" stress fill "$mnt" 2>err
expect_grep "size \\(how much\\) or free" err
expect_eq "nothing left by the refusals" 0 "$(ls "$mnt" | wc -l)"
# --force goes below the margin
expect_status 0 "$CHAOSD" stress fill "$mnt" --free 2% --force --for 200ms >"$tmp/f3"
expect_grep "leaving 1.28 MiB free" "$tmp/f3"

# --- SIGKILL of chaosd: the guardian removes the file
chaosd_bg_ "$tmp/f4" stress fill "$mnt" --size 30M
wait_until_ 100 grep -q 'in place' "$tmp/f4" || fail_ "not in place: $(cat "$tmp/f4")"
expect_eq "filled" 1 "$(fills_)"
kill -KILL $bg
wait_until_ 50 sh -c "[ \"\$(ls '$mnt' | grep -c '^chaosd-fill')\" = 0 ]" ||
	fail_ "the fill outlived its chaosd: $(ls "$mnt"; cat "$CHAOSD_RUNDIR/guardian.log")"
echo "ok: removed by the guardian"
wait_until_ 30 no_journal_ || fail_ "journal left: $(journal_left_)"

# --- recover removes it too
chaosd_bg_ "$tmp/f5" stress fill "$mnt" --size 10M
wait_until_ 100 grep -q 'in place' "$tmp/f5" || fail_ "not in place"
expect_status 0 "$CHAOSD" recover --no-sweep >"$tmp/rec"
expect_grep "reverted fill $mnt, 10 MiB" "$tmp/rec"
expect_eq "removed by recover" 0 "$(fills_)"
kill -INT $bg
wait $bg
expect_eq "its chaosd, interrupted after, exits 3" 3 $?
no_journal_ || fail_ "journal left: $(journal_left_)"
exit 0
