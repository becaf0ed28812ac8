#!/bin/sh
# chaosd run: [syscall.*] sections put the workload under a seccomp
# filter for its whole run; the checks are not under it.
. "$abs_top_srcdir/tests/integration/run-lib.sh"

"$CHAOSD" exec -s 'mkdir,mkdirat:error=EROFS' -- /bin/true 2>err ||
	skip_ "seccomp filters unavailable here: $(cat err)"

cat >sys.ini <<EOT
[scenario]
duration = 5s
[syscall.ro]
syscall = mkdir, mkdirat
error = EROFS
[check.mkdir]
type = exec
command = mkdir $tmp/by-check
when = after
EOT
run_ 0 sys.ini --report json=report.json -- sh -c "
	if mkdir $tmp/by-workload 2>$tmp/mkdir.err; then echo MADE; else echo REFUSED; fi"
expect_grep '^REFUSED$' out "the workload's mkdir"
expect_grep 'Read-only file system' mkdir.err
[ -d by-check ] || fail_ "the check ran under the syscall fault"
expect_eq "fault status" applied "$(json_ 'r["faults"][0]["status"]')"

# without a workload there is nothing to filter: exit 2
sed '/^\[check/,$d' sys.ini >nowl.ini
run_ 2 nowl.ini
expect_grep 'applies to the workload' err

# start/for cannot be honoured by a filter that cannot be removed
printf '[syscall.s]\nsyscall = mkdir\nerror = EROFS\nstart = 1s\n' >win.ini
"$CHAOSD" validate win.ini 2>err
expect_eq "start on a syscall fault: exit" 2 $?
expect_grep '^win\.ini:1: \[syscall\.s\] start and for cannot be given' err
