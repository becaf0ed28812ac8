# Sourced by tests/integration/syscall-*.sh: chaosd -s against raw
# syscalls of the static helper (tests/helpers/rawsys) and busybox.
# The verbs are strace's: skip_ exits 77, fail_ 1, framework_failure_ 99.

skip_() { echo "SKIP: $*" >&2; exit 77; }
fail_() { echo "FAIL: $*" >&2; exit 1; }
framework_failure_() { echo "ERROR: $*" >&2; exit 99; }

[ -x "$CHAOSD" ] || framework_failure_ "no chaosd at '$CHAOSD'"
RAWSYS=$HELPERS/rawsys
[ -x "$RAWSYS" ] || framework_failure_ "no helper at '$RAWSYS'"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-syscall.XXXXXX") ||
	framework_failure_ "mktemp"
trap 'rm -rf "$tmp"' EXIT

# Seccomp filters at all (a container may forbid them).
require_seccomp_()
{
	"$CHAOSD" exec -s 'getppid:error=EPERM' -- true \
		2>"$tmp/probe.err" && return 0
	skip_ "seccomp filters: $(cat "$tmp/probe.err")"
}

# The reason straight from chaosd when this kernel cannot supervise.
require_notify_()
{
	"$CHAOSD" exec -s 'getppid:after=1000000:error=EPERM' -- true \
		2>"$tmp/probe.err" && return 0
	skip_ "seccomp user notification: $(cat "$tmp/probe.err")"
}

# busybox-static where installed: a binary no LD_PRELOAD shim reaches
# (seccomp does not care either way).
require_busybox_()
{
	BUSYBOX=$(command -v busybox) || skip_ "no busybox"
}

# expect_ WHAT EXPECTED ACTUAL
expect_()
{
	[ "$2" = "$3" ] || fail_ "$1: expected '$2', got '$3'"
	echo "ok: $1: $3"
}

# now_ms: a monotonic-enough clock for "at least D" and "well below D"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
