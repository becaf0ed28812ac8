#!/bin/sh
# Calls before libinject's constructor: a library preloaded ahead of it
# allocates, opens and reads from its own constructor. The shim resolves
# the real functions on the spot (dlsym's own allocations served from its
# arena), nothing crashes, and once it is up the rules apply.
. "$abs_top_srcdir/tests/integration/init.sh"

early=$abs_top_builddir/tests/helpers/.libs/libearly.so
[ -f "$early" ] || framework_failure_ "no $early"
echo hello >data
EARLY_FILE=$tmp/data; export EARLY_FILE

# Constructors run last-listed first: with libinject listed first, libearly's
# runs before the shim is up (its reads pass, the hooks resolve lazily);
# listed after, the shim is armed when libearly's constructor reads.
for order in "$LIBINJECT $early" "$early $LIBINJECT"; do
	case $order in
	"$LIBINJECT"*) seen='read=6 fgets=ok' ;;
	*) seen='read=-1 fgets=none' ;;
	esac
	LD_PRELOAD=$order CHAOS_INJECT="%read:path=$tmp/data:error=EIO" \
		timeout 20 cat data >out 2>err
	st=$?
	[ $st -eq 1 ] || fail_ "LD_PRELOAD='$order': cat exited $st: $(cat err)"
	expect_grep "^early: malloc=ok calloc=ok strdup=ok $seen" err
	expect_grep 'Input/output error' err
	# dormant: the early reads go through, and so does cat's
	LD_PRELOAD=$order timeout 20 cat data >out 2>err ||
		fail_ "LD_PRELOAD='$order', dormant: cat failed: $(cat err)"
	expect_grep '^early: .* read=6 fgets=ok' err
	expect_grep '^hello$' out
	echo "ok: LD_PRELOAD='$order'"
done
exit 0
