#!/bin/sh
# Every file group (%open %read %write %sync %close %stat %fs %file)
# reaches every entry point of it the helper uses, with the errno asked
# for, and only for the path the rule names.
. "$abs_top_srcdir/tests/integration/init.sh"

F=$tmp/data.txt
G=$tmp/other.txt
printf 'hello world\nsecond line\n' >"$F"
printf 'other file\n' >"$G"

# %open: every way to open F fails; G opens.
for op in open open64 creat; do
	shim_expect "^$op=-1 errno=EACCES" "%open:path=$F:error=EACCES" \
		"$FILEOPS" "$op=$F"
done
shim_expect "^fopen=NULL errno=EACCES" "%open:path=$F:error=EACCES" \
	"$FILEOPS" "fopen=$F,r"
shim_expect "^openat=-1 errno=EACCES" "%open:path=$F:error=EACCES" \
	"$FILEOPS" "openat=$tmp,data.txt"
shim_expect "^open=[0-9]+$" "%open:path=$F:error=EACCES" "$FILEOPS" "open=$G"
# a single call named, not its group: open64 is untouched by open:...
shim_expect "^open64=[0-9]+$" "open:path=$F:error=EACCES" "$FILEOPS" "open64=$F"

# %read: read pread readv fread fgets getline fgetc on F; G reads fine.
R="%read:path=$F:error=EIO"
for op in read=5 pread=5,0 readv=6; do
	shim_expect "^${op%%=*}=-1 errno=EIO" "$R" "$FILEOPS" "open=$F" "$op"
	shim_expect "^${op%%=*}=[56] data=other" "$R" "$FILEOPS" "open=$G" "$op"
done
shim_expect "^fread=0 errno=EIO ferror=1" "$R" "$FILEOPS" "fopen=$F,r" fread=5
shim_expect "^fgets=NULL errno=EIO" "$R" "$FILEOPS" "fopen=$F,r" fgets=20
shim_expect "^getline=-1 errno=EIO ferror=1" "$R" "$FILEOPS" "fopen=$F,r" getline
shim_expect "^fgetc=-1 errno=EIO" "$R" "$FILEOPS" "fopen=$F,r" fgetc
shim_expect "^getline=11 data=other file" "$R" "$FILEOPS" "fopen=$G,r" getline
shim_expect "^fgets=ok data=hello world" "%read:path=$G:error=EIO" \
	"$FILEOPS" "fopen=$F,r" fgets=20

# %write: write pwrite writev fwrite fputs fprintf; the file is unchanged.
W=$tmp/out.txt
: >"$W"
R="%write:path=$W:error=ENOSPC"
for op in write=abc pwrite=abc,0 writev=abcd; do
	shim_expect "^${op%%=*}=-1 errno=ENOSPC" "$R" "$FILEOPS" "openrw=$W" "$op"
done
for op in fwrite=abc fputs=abc fprintf=abc; do
	shim_expect "^${op%%=*}=-?[0-9]+ errno=ENOSPC ferror=1" "$R" \
		"$FILEOPS" "fopen=$W,w" "$op"
done
[ -s "$W" ] && fail_ "$W was written to under $R: $(cat "$W")"
shim_expect "^write=3$" "$R" "$FILEOPS" "openw=$G" write=abc
expect_eq "unfaulted write" abc "$(cat "$G")"

# %sync
for op in fsync fdatasync; do
	shim_expect "^$op=-1 errno=EIO" "%sync:path=$W:error=EIO" \
		"$FILEOPS" "openrw=$W" "$op"
	shim_expect "^$op=0" "%sync:path=$G:error=EIO" "$FILEOPS" "openrw=$W" "$op"
done

# %close: fails, yet the descriptor is gone (as on Linux)
shim_expect "^close=-1 errno=EIO" "%close:path=$F:error=EIO" \
	"$FILEOPS" "open=$F" close
shim_expect "^read=-1 errno=EBADF" "%close:path=$F:error=EIO" \
	"$FILEOPS" "open=$F" close read=1
shim_expect "^fclose=-1 errno=EIO" "%close:path=$F:error=EIO" \
	"$FILEOPS" "fopen=$F,r" fclose

# %stat
R="%stat:path=$F:error=EACCES"
for op in stat lstat statx access; do
	shim_expect "^$op=-1 errno=EACCES" "$R" "$FILEOPS" "$op=$F"
	shim_expect "^$op=0" "$R" "$FILEOPS" "$op=$G"
done
shim_expect "^fstat=-1 errno=EACCES" "$R" "$FILEOPS" "open=$G" "open=$F" fstat

# %fs: the call fails and nothing happened
R="%fs:path=$tmp/victim*:error=EPERM"
printf 'victim\n' >"$tmp/victim"
shim_expect "^unlink=-1 errno=EPERM" "$R" "$FILEOPS" "unlink=$tmp/victim"
shim_expect "^rename=-1 errno=EPERM" "$R" "$FILEOPS" "rename=$tmp/victim,$tmp/renamed"
shim_expect "^rename=-1 errno=EPERM" "$R" "$FILEOPS" "rename=$G,$tmp/victim2"
shim_expect "^truncate=-1 errno=EPERM" "$R" "$FILEOPS" "truncate=$tmp/victim,0"
shim_expect "^ftruncate=-1 errno=EPERM" "$R" "$FILEOPS" "openrw=$tmp/victim" ftruncate=0
shim_expect "^fallocate=-1 errno=EPERM" "$R" "$FILEOPS" "openrw=$tmp/victim" fallocate=4096
shim_expect "^mkdir=-1 errno=EPERM" "$R" "$FILEOPS" "mkdir=$tmp/victimdir"
[ -d "$tmp/victimdir" ] && fail_ "mkdir was applied under $R"
expect_eq "victim intact" victim "$(cat "$tmp/victim")"
[ -e "$tmp/renamed" ] || [ -e "$tmp/victim2" ] && fail_ "rename was applied under $R"
mkdir "$tmp/victimdir"
shim_expect "^rmdir=-1 errno=EPERM" "$R" "$FILEOPS" "rmdir=$tmp/victimdir"
[ -d "$tmp/victimdir" ] || fail_ "rmdir was applied under $R"
shim_expect "^unlink=0" "$R" "$FILEOPS" "unlink=$G"
[ -e "$G" ] && fail_ "unfaulted unlink did not happen"

# %file covers them all
R="%file:path=$F:error=EROFS"
shim_expect "^open=-1 errno=EROFS" "$R" "$FILEOPS" "open=$F"
shim_expect "^stat=-1 errno=EROFS" "$R" "$FILEOPS" "stat=$F"
shim_expect "^unlink=-1 errno=EROFS" "$R" "$FILEOPS" "unlink=$F"
# an errno given by number
shim_expect "^open=-1 errno=EIO" "%open:path=$F:error=5" "$FILEOPS" "open=$F"
exit 0
