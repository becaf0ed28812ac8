#!/bin/sh
# load.sh: the demo's workload, a client of kvd (scenarios/demo/kvd.c).
#
#	load.sh [-u URL] [-d SECONDS] [-r PER_SECOND]
#
# PUTs keys k1, k2... at kvd for SECONDS (default 20) and counts the
# answers: 204 (stored), 500 (the disk failed: kvd said so), and no
# answer at all (kvd crashed or is restarting). Failures during a fault
# are expected and only counted. What is judged, at the end, is what a
# user of a database would judge: every write kvd acknowledged (204)
# must still be there, with its value, after everything the game day did
# to it (EIO, latency, a crash and a restart). Exit 0 when it is, 1 when
# an acknowledged write was lost, 2 when kvd never stored anything.
set -u

url=${KVD_URL:-http://127.0.0.1:18080}
secs=20
rate=20
while getopts u:d:r: opt; do
	case $opt in
	u) url=$OPTARG ;;
	d) secs=$OPTARG ;;
	r) rate=$OPTARG ;;
	*) echo "usage: load.sh [-u URL] [-d SECONDS] [-r PER_SECOND]" >&2; exit 2 ;;
	esac
done

command -v curl >/dev/null 2>&1 || { echo "load.sh: needs curl" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvd-load.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
acked=$tmp/acked
: >"$acked"

pause=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
end=$(( $(date +%s) + secs ))
i=0 ok=0 err=0 down=0
while [ "$(date +%s)" -lt "$end" ]; do
	i=$((i + 1))
	val="value-$i-$$"
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		-X PUT --data-binary "$val" "$url/kv/k$i" 2>/dev/null)
	case $code in
	204) ok=$((ok + 1)); echo "k$i $val" >>"$acked" ;;
	000|'') down=$((down + 1)) ;;
	*) err=$((err + 1)) ;;
	esac
	sleep "$pause"
done

# every acknowledged write must read back (kvd may still be restarting)
lost=0 checked=0
while read -r key val; do
	tries=0
	while :; do
		got=$(curl -s --max-time 2 "$url/kv/$key" 2>/dev/null) && break
		tries=$((tries + 1))
		[ $tries -ge 20 ] && break
		sleep 0.25
	done
	checked=$((checked + 1))
	if [ "$got" != "$val" ]; then
		lost=$((lost + 1))
		[ $lost -le 5 ] && echo "load.sh: $key: acknowledged '$val', reads back '$got'" >&2
	fi
done <"$acked"

echo "load.sh: $i PUTs: $ok stored, $err refused by kvd (disk errors), $down unanswered (crash/restart); $checked acknowledged writes read back, $lost lost"
[ $lost -eq 0 ] || exit 1
[ $ok -gt 0 ] || exit 2
exit 0
