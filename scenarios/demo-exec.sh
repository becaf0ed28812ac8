#!/bin/sh
# demo-exec.sh: chaosd exec making real programs fail under a fault, and
# succeed without it. `make demo` runs it; it exits 0 when every fault
# behaved as expected, 1 otherwise.
#
#	CHAOSD=/path/to/chaosd sh scenarios/demo-exec.sh
set -u

CHAOSD=${CHAOSD:-$(dirname "$0")/../chaosd/chaosd}
if [ ! -x "$CHAOSD" ]; then
	echo "demo: no chaosd at $CHAOSD (build first, or set CHAOSD)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
failures=0
step=0

# A path as a rule value: '\' ':' ';' are escaped with '\'.
rule_path() {
	printf '%s' "$1" | sed 's/[\\:;]/\\&/g'
}

# expect WANT_STATUS WANT_TEXT TITLE -- CMD...: run, show, judge.
# WANT_STATUS: an exit status, or "fail" (any non-zero); WANT_TEXT must
# appear in the output (stdout and stderr together), "" for anything.
expect() {
	want_status=$1 want_text=$2 title=$3
	shift 4
	step=$((step + 1))
	printf '\n%d. %s\n   $ chaosd' "$step" "$title"
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./=,%-]*|'') printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	"$CHAOSD" "$@" >"$out" 2>&1
	status=$?
	sed 's/^/   | /' "$out"
	ok=yes
	case $want_status in
	fail) [ "$status" -ne 0 ] || ok=no ;;
	*) [ "$status" -eq "$want_status" ] || ok=no ;;
	esac
	if [ -n "$want_text" ] && ! grep -qF "$want_text" "$out"; then
		ok=no
	fi
	if [ "$ok" = yes ]; then
		printf '   -> as expected (exit %d)\n' "$status"
	else
		printf '   -> NOT as expected: exit %d, wanted %s%s\n' "$status" \
		    "$( [ "$want_status" = fail ] && echo failure ||
		    echo "exit $want_status")" \
		    "${want_text:+ saying \"$want_text\"}"
		failures=$((failures + 1))
	fi
}

echo "chaosd demo: libc faults injected into real, unmodified programs"

# -- cat and EIO ------------------------------------------------------
data=$tmp/data.txt
other=$tmp/other.txt
echo "hello from chaosd" >"$data"
echo "an innocent bystander" >"$other"
eio="%read:path=$(rule_path "$data"):error=EIO"

expect 0 "hello from chaosd" "cat reads a file, no fault armed" \
    -- exec -- cat "$data"
expect fail "Input/output error" "the same cat, with its reads failing with EIO" \
    -- exec -i "$eio" -- cat "$data"
expect 0 "an innocent bystander" "the rule names one file: other files read fine" \
    -- exec -i "$eio" -- cat "$other"

# -- sqlite3 and a failing disk ---------------------------------------
if command -v sqlite3 >/dev/null 2>&1; then
	db=$tmp/app.db
	sql="create table t(x); insert into t values (42); select x from t;"
	disk="%write,%sync:path=$(rule_path "$db")*:error=EIO"
	expect fail "disk I/O error" "sqlite3 writes a database on a failing disk" \
	    -- exec -i "$disk" -- sqlite3 "$db" "$sql"
	rm -f "$db" "$db"-journal
	expect 0 "42" "the same sqlite3, healthy disk" \
	    -- exec -- sqlite3 "$db" "$sql"
else
	printf '\n(sqlite3 is not installed: its part of the demo is skipped)\n'
fi

# -- a bad rule: nothing runs -----------------------------------------
expect 2 "probability" "a bad rule is refused (exit 2), and nothing runs" \
    -- exec -i "%read:error=EIO:probability=1.5" -- cat "$data"
if grep -q "hello from chaosd" "$out"; then
	echo "   -> NOT as expected: cat ran all the same"
	failures=$((failures + 1))
fi

echo
if [ "$failures" -eq 0 ]; then
	echo "demo: all $step steps behaved as expected"
	exit 0
fi
echo "demo: $failures of $step steps did not behave as expected"
exit 1
