#!/bin/sh
# make bench: run every tests/bench/bench-*.sh. Each prints ratios against
# its peers, measured side by side in one run. Benchmarks are not tests:
# nothing here fails on a number; a script fails only if it cannot run.
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || { echo "$(basename "$b"): could not run (status $?)"; status=1; }
done
exit $status
