#!/bin/sh
# scenarios/postgres-wal-eio.ini against the real PostgreSQL, run as the
# postgres user ([service] user = postgres): EIO on fsync/fdatasync of
# its WAL for 3 s while a workload commits rows. PostgreSQL PANICs, its
# postmaster stops (restart_after_crash = off), chaosd restarts it
# (restart = on-failure), crash recovery replays the WAL, and every
# commit PostgreSQL acknowledged is there: chaosd run exits 0, and its
# report counts the injections, the deaths and restarts, the time to
# detect and to recover. The failing case: restart = no (and shorter
# waits): nothing brings PostgreSQL back, exit 1, not recovered.
#
# The fault must really reach the server: a PostgreSQL that could not
# attach to the run's table is not faulted, and the run must not pass.
. "$abs_top_srcdir/tests/integration/real-lib.sh"
require_root_
require_prog_ psql pg_isready
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG_BIN/postgres" ] || skip_ "needs PostgreSQL's server (postgresql), not installed"
id postgres >/dev/null 2>&1 || skip_ "needs the postgres user (postgresql)"
PG_PORT=$(free_port)
PG_DIR=$tmp/pg
export PG_BIN PG_PORT PG_DIR
mkdir "$PG_DIR" && chown postgres: "$PG_DIR" ||
	framework_failure_ "cannot make $PG_DIR for postgres"
sc=$abs_top_srcdir/scenarios/postgres-wal-eio.ini
# the server's log: [service] log = puts it beside the cluster
pglog() { cat "$PG_DIR/postgres.log" >pg.log; }

t0=$(now_ms)
run_ 0 "$sc" --report json=report.json
cat out
pglog
expect_grep '^scenario postgres-wal-eio: PASSED \(exit 0\)' out "the verdict"
injected=$(json_ 'r["faults"][0]["injected"]')
expect_range "WAL flushes failed with EIO" 1 100000 "$injected"
expect_grep 'PANIC: +could not (fdatasync|fsync) file "[^"]*": Input/output error' pg.log \
	"the server's log"
expect_grep 'database system was not properly shut down; automatic recovery in progress' \
	pg.log "crash recovery"
expect_grep 'redo done at' pg.log "crash recovery"
died=$(json_ 'r["services"][0]["died"]')
restarts=$(json_ 'r["services"][0]["restarts"]')
expect_range "deaths" 1 100 "$died"
expect_range "restarts" 1 100 "$restarts"
ttd=$(json_ 'r["faults"][0]["time_to_detect_ms"]')
ttr=$(json_ 'r["faults"][0]["time_to_recover_ms"]')
expect_range "time to detect (ms)" 0 3000 "$ttd"
expect_range "time to recover (ms)" 0 30000 "$ttr"
acked=$(ackw_ run acknowledged out)
failed=$(ackw_ run failed out)
expect_range "acknowledged commits" 1 100000 "$acked"
expect_range "failed commits" 1 100000 "$failed"
expect_eq "lost commits" 0 "$(ackw_ verify lost out)"
expect_eq "read back" "$acked" "$(ackw_ verify present out)"
t1=$(now_ms)

# The failing case: nobody restarts it (the same cluster, a new log)
rm -f "$PG_DIR/postgres.log"
sed -e 's/^restart = on-failure$/restart = no/' \
	-e 's/^recover_within = 30s$/recover_within = 5s/' -e 's/ -V 20 / -V 2 /' \
	"$sc" >norestart.ini
expect_grep '^restart = no$' norestart.ini "the variant"
run_ 1 norestart.ini --report json=report.json
cat out
pglog
expect_grep '^scenario postgres-wal-eio: FAILED \(exit 1\)' out "the verdict"
expect_grep 'accepting .*not recovered within 5s' out "the recovery check"
expect_eq "the reason" "check accepting failed" "$(json_ 'r["reason"]' | sed 's/: .*//')"
expect_range "WAL flushes failed with EIO" 1 100000 "$(json_ 'r["faults"][0]["injected"]')"
expect_eq "restarts" 0 "$(json_ 'r["services"][0]["restarts"]')"
expect_grep 'shutting down because restart_after_crash is off' pg.log "the server's log"
t2=$(now_ms)
printf 'postgres: injected %s; died %s, restarted %s; acknowledged %s, failed %s, lost 0; detected after %s ms, recovered %s ms after; %s ms (failing case %s ms)\n' \
	"$injected" "$died" "$restarts" "$acked" "$failed" "$ttd" "$ttr" \
	$((t1 - t0)) $((t2 - t1))
exit 0
