#!/bin/sh
# %proc: fork, pthread_create, posix_spawn, system, exec failing.
. "$abs_top_srcdir/tests/integration/init.sh"

PROC=$HELPERS/proc
TRUE=/bin/true
[ -x "$TRUE" ] || TRUE=/usr/bin/true
run_shim "%proc:exe=proc:error=EAGAIN" "$PROC" fork pthread_create \
	"posix_spawn=$TRUE" posix_spawnp=true system=true >out 2>&1
expect_eq "%proc, all failing" "fork=-1 errno=EAGAIN
pthread_create=EAGAIN
posix_spawn=EAGAIN
posix_spawnp=EAGAIN
system=-1 errno=EAGAIN" "$(cat out)"
# each call alone; the others work
run_shim "fork:error=EAGAIN" "$PROC" fork pthread_create "posix_spawn=$TRUE" >out 2>&1
expect_eq "fork alone" "fork=-1 errno=EAGAIN
pthread_create=0
posix_spawn=0 status=exit:0" "$(cat out)"
run_shim "pthread_create:error=EAGAIN" "$PROC" pthread_create fork >out 2>&1
expect_eq "pthread_create alone" "pthread_create=EAGAIN
fork=ok status=exit:0" "$(cat out)"
run_shim "posix_spawn:error=ENOMEM" "$PROC" "posix_spawn=$TRUE" fork >out 2>&1
expect_eq "posix_spawn alone" "posix_spawn=ENOMEM
fork=ok status=exit:0" "$(cat out)"
# after= on fork
run_shim "fork:after=2:error=EAGAIN" "$PROC" fork fork fork fork >out 2>&1
expect_eq "fork after=2" "fork=ok status=exit:0
fork=ok status=exit:0
fork=-1 errno=EAGAIN
fork=-1 errno=EAGAIN" "$(cat out)"
# exec failing: the program goes on
run_shim "execv:error=EACCES" "$PROC" "execv=$TRUE" fork >out 2>&1
expect_eq "execv failing" "execv=-1 errno=EACCES
fork=ok status=exit:0" "$(cat out)"
# a real shell whose forks fail
run_shim "%proc:exe=*sh:error=EAGAIN" sh -c 'true; echo before; (exit 3); echo after $?' >out 2>&1
expect_grep "^before" out "sh under fork failures"
expect_grep "[Ff]ork|Resource temporarily unavailable|Cannot fork" out "sh reports the fork failure"
exit 0
