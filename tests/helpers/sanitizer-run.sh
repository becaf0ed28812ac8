#!/bin/sh
# sanitizer-run.sh CMD...: how a --enable-sanitizers build runs each test
# (LOG_COMPILER, SH_LOG_COMPILER). AddressSanitizer writes its reports into
# a directory of this test's own rather than to stderr, which tests often
# keep in a file or drop: any report there fails the test, even one from
# a process whose exit status the test does not look at, and is printed
# as TAP comments, so the test's log holds it. UBSan stops at its first
# report (halt_on_error), with a stack trace; in gcc's runtimes it writes
# to stderr whatever log_path says, so what makes it seen is the process
# dying with exit status 86, which no test expects.
dir=$(mktemp -d "${TMPDIR:-/tmp}/chaosd-sanitizers.XXXXXX") || {
	echo "Bail out! sanitizer-run.sh: mktemp -d failed"
	exit 99
}
# Leaks: a unit test or a fuzz driver (run directly) must free what it
# parses; chaosd, run by the shell tests, keeps what it needs until it
# exits, as command-line programs do, so leaks are not counted there.
case ${1##*/} in
sh|bash|dash)	leaks=0 ;;
*)		leaks=1 ;;
esac
# exec-cli.sh preloads libc itself into chaosd (chaosd must keep an
# LD_PRELOAD it was given): ASan's check that its runtime comes first in
# the library list is off, as nothing preloaded into chaosd replaces a
# function ASan intercepts.
ASAN_OPTIONS="log_path=$dir/asan:exitcode=86:detect_leaks=$leaks:verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=86:halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS

"$@"
st=$?

found=0
for f in "$dir"/*; do
	[ -f "$f" ] || continue
	found=$((found + 1))
	echo "# sanitizer report ${f##*/}:"
	sed 's/^/# /' "$f"
done
rm -rf "$dir"
if [ "$found" -gt 0 ]; then
	echo "Bail out! $found sanitizer report(s), above"
	exit 1
fi
exit "$st"
