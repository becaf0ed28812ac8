# tests/integration/init.sh: sourced by every integration test,
#
#	. "$abs_top_srcdir/tests/integration/init.sh"
#
# as strace's tests source theirs. The automake driver reads the exit
# status: 0 pass, 77 skip, 99 hard error, anything else a failure.
#
# Verbs:
#   skip_ REASON           print the reason, exit 77
#   fail_ REASON           exit 1
#   framework_failure_ R   exit 99 (the test itself could not run)
#   require_root_          skip unless root
#   require_prog_ NAME...  skip unless each NAME is on PATH
#   require_ipv6_          skip unless ::1 can be bound
#   run_shim RULES [--] CMD...   CMD with libinject preloaded and
#                          CHAOS_INJECT=RULES (other CHAOS_* as exported),
#                          under timeout $SHIM_TIMEOUT (60 s): CMD's status,
#                          124 when it hung; a signal's death is kept
#   run_dormant CMD...     CMD with libinject preloaded, nothing armed
#   expect_status N CMD... run CMD, fail unless it exits with N
#   expect_eq WHAT EXPECTED ACTUAL
#   expect_grep PATTERN FILE [WHAT]   fail unless grep -E finds it
#   expect_no_grep PATTERN FILE [WHAT]
#   expect_range WHAT LO HI VALUE     LO <= VALUE <= HI (integers)
#   free_port              a TCP port free on the loopback now
#   now_ms                 a monotonic clock in milliseconds
#
# Variables: $tmp (the test's own directory, removed at exit, resolved
# without symlinks so that path= globs match what the shim sees),
# $PYTHON (a real python3 binary, not a wrapper script), $me (the test's
# name). Every test runs in $tmp.

me=${0##*/}
me=${me%.sh}

skip_() { printf '%s: SKIP: %s\n' "$me" "$*" >&2; exit 77; }
fail_() { printf '%s: FAIL: %s\n' "$me" "$*" >&2; exit 1; }
framework_failure_() { printf '%s: ERROR: %s\n' "$me" "$*" >&2; exit 99; }

# What the test needs from the build.
: "${abs_top_builddir:?run through make check}"
[ -n "$CHAOSD" ] || framework_failure_ "CHAOSD is not set (run through make check)"
[ -n "$LIBINJECT" ] || framework_failure_ "LIBINJECT is not set (run through make check)"
[ -n "$HELPERS" ] || framework_failure_ "HELPERS is not set (run through make check)"
[ -f "$LIBINJECT" ] || framework_failure_ "no libinject.so at $LIBINJECT"

# A test must not pick up its caller's configuration.
unset CHAOS_INJECT CHAOS_INJECT_FILE CHAOS_LOG CHAOS_SEED CHAOS_TABLE \
	CHAOS_LIBINJECT LD_PRELOAD
LC_ALL=C
export LC_ALL

# No core files from the crashes the tests cause on purpose.
ulimit -c 0 2>/dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-$me.XXXXXX") ||
	framework_failure_ "mktemp -d failed"
tmp=$(cd "$tmp" && pwd -P) || framework_failure_ "cannot enter $tmp"
init_cleanup_() {
	# test-specific cleanup first (servers to kill), then the directory
	if [ -n "${cleanup_cmd-}" ]; then
		eval "$cleanup_cmd"
	fi
	cd / && rm -rf "$tmp"
}
trap 'init_cleanup_' EXIT
trap 'exit 99' HUP INT TERM
cd "$tmp" || framework_failure_ "cd $tmp"

# Tables, registry and journal of the test's own: nothing is ever left in
# the machine's /run/chaosd, and no other test's faults are in sight. A
# test that means another directory sets CHAOSD_RUNDIR after this.
CHAOSD_RUNDIR=$tmp/run
export CHAOSD_RUNDIR

# at_exit_ CMD: run CMD (a shell string) when the test ends
at_exit_() { cleanup_cmd="${cleanup_cmd-}${cleanup_cmd:+; }$*"; }

require_root_()
{
	[ "$(id -u)" = 0 ] || skip_ "needs root"
}

require_prog_()
{
	for p; do
		command -v "$p" >/dev/null 2>&1 || skip_ "needs $p, not installed"
	done
}

# A python3 that is a real ELF binary: wrappers such as pyenv's shims are
# shell scripts, whose exe= would be bash.
find_python_()
{
	for p in /usr/bin/python3 /usr/local/bin/python3 "$(command -v python3 2>/dev/null)"; do
		[ -n "$p" ] && [ -x "$p" ] || continue
		case $(head -c 4 "$p" 2>/dev/null) in
		"$(printf '\177ELF')") PYTHON=$p; return 0 ;;
		esac
	done
	return 1
}
PYTHON=
find_python_ || PYTHON=$(command -v python3 2>/dev/null)
require_python_() { [ -n "$PYTHON" ] || skip_ "needs python3, not installed"; }

require_ipv6_()
{
	require_python_
	"$PYTHON" -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' \
		2>/dev/null || skip_ "no IPv6 loopback (cannot bind ::1)"
}

run_shim()
{
	run_shim_rules_=$1
	shift
	[ "${1-}" = "--" ] && shift
	# timeout(1) and env(1) run outside the shim; a hang is a failure
	timeout "${SHIM_TIMEOUT:-60}" env LD_PRELOAD="$LIBINJECT" \
		CHAOS_INJECT="$run_shim_rules_" "$@"
}

run_dormant()
{
	timeout "${SHIM_TIMEOUT:-60}" env LD_PRELOAD="$LIBINJECT" "$@"
}

expect_status()
{
	expect_status_want_=$1
	shift
	"$@"
	expect_status_got_=$?
	[ "$expect_status_got_" = "$expect_status_want_" ] ||
		fail_ "'$*' exited with $expect_status_got_, expected $expect_status_want_"
	return 0
}

expect_eq()
{
	[ "$2" = "$3" ] || fail_ "$1: expected '$2', got '$3'"
	printf 'ok: %s: %s\n' "$1" "$3"
}

expect_grep()
{
	grep -Eq -- "$1" "$2" || {
		printf '%s: --- %s:\n' "$me" "$2" >&2
		head -c 4000 "$2" >&2
		fail_ "${3:-$2}: no line matches '$1'"
	}
	printf 'ok: %s: /%s/\n' "${3:-$2}" "$1"
}

expect_no_grep()
{
	if grep -Eq -- "$1" "$2"; then
		printf '%s: --- %s:\n' "$me" "$2" >&2
		head -c 4000 "$2" >&2
		fail_ "${3:-$2}: a line matches '$1'"
	fi
	printf 'ok: %s: not /%s/\n' "${3:-$2}" "$1"
}

expect_range()
{
	case $4 in
	''|*[!0-9-]*) fail_ "$1: '$4' is not a number" ;;
	esac
	[ "$4" -ge "$2" ] && [ "$4" -le "$3" ] ||
		fail_ "$1: $4 not in [$2, $3]"
	printf 'ok: %s: %s in [%s, %s]\n' "$1" "$4" "$2" "$3"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

free_port()
{
	require_python_
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' || framework_failure_ "cannot find a free port"
}

# field NAME FILE: the value of NAME=VALUE on the first line having it
field()
{
	sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" "$2" | head -n 1
}

FILEOPS=$HELPERS/fileops

# shim_expect PATTERN RULES CMD...: run CMD under RULES (stdout and
# stderr to $tmp/out), fail unless a line matches the extended regex
# PATTERN. Libinject must not have complained about the rules.
shim_expect()
{
	shim_expect_pat_=$1 shim_expect_rules_=$2
	shift 2
	run_shim "$shim_expect_rules_" "$@" >"$tmp/out" 2>&1
	if grep -Eq '^libinject\[[0-9]+\] [^ ]*: (error|refused) ' "$tmp/out"; then
		cat "$tmp/out" >&2
		fail_ "libinject refused '$shim_expect_rules_'"
	fi
	shim_expect_what_="$shim_expect_rules_: $*"
	[ ${#shim_expect_what_} -le 160 ] ||
		shim_expect_what_="$(printf '%.150s' "$shim_expect_what_")..."
	expect_grep "$shim_expect_pat_" "$tmp/out" "$shim_expect_what_"
}
