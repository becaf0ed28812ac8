#!/bin/sh
# The fleet's install (scenarios/fleet/install.yml) with the real
# ansible-playbook, from a release tarball this test makes from the build
# tree (the files make dist would pack), into a prefix of its own: the
# installed chaosd is the tarball's version, finds its own libinject.so
# in $(pkglibdir) and injects with it; the man pages and the fleet's
# playbooks are installed; a second run changes nothing.
. "$abs_top_srcdir/tests/integration/fleet-lib.sh"
require_prog_ make tar

version=$("$CHAOSD" --version | cut -d' ' -f2)
name=chaosd-$version
# make distdir into $tmp (make dist would write in the build tree)
t0=$(now_ms)
make -s -C "$abs_top_builddir" distdir distdir="$tmp/$name" \
	top_distdir="$tmp/$name" >"$tmp/dist.out" 2>&1 || {
	cat "$tmp/dist.out" >&2
	framework_failure_ "make distdir"
}
tar -C "$tmp" -czf "$tmp/$name.tar.gz" "$name" && rm -rf "$tmp/${name:?}" ||
	framework_failure_ "tar"
echo "ok: $name.tar.gz made in $(( $(now_ms) - t0 )) ms"

prefix=$tmp/host1/prefix
# apt is asked only about packages (no cache update, no download:
# bootstrap installed them); that needs root
if [ "$(id -u)" = 0 ]; then
	deps="chaosd_apt_cache_valid_time=315360000"
else
	deps="chaosd_build_deps=false"
fi
fleet_inventory_ 1 "chaosd_prefix=$prefix" "chaosd_src_dir=$tmp/host1/src" "$deps"

# a path relative to where ansible-playbook runs ($tmp); compiled with
# -O1 and no debugging information (chaosd_configure_args): the build is
# the longest step
cflags='{"chaosd_configure_args": ["CFLAGS=-O1 -g0"]}'
fleet_play_ 0 install.yml -e "chaosd_tarball=$name.tar.gz" -e "$cflags"
first_ms=$play_ms
expect_eq "first run: failed" 0 "$(fleet_recap_ host1 failed)"
expect_range "first run: changed" 4 20 "$(fleet_recap_ host1 changed)"

expect_grep '^  \$ \./configure .*CFLAGS=-O1 -g0' "$tmp/host1/src/$name/config.log" \
	"chaosd_configure_args given to configure"
expect_eq "installed version" "chaosd $version" "$("$prefix/bin/chaosd" --version)"
for f in lib/chaosd/libinject.so share/man/man8/chaosd.8 \
    share/man/man5/chaosd.scenario.5 share/man/man7/libinject.7 \
    share/chaosd/scenarios/demo.ini share/chaosd/scenarios/fleet/gameday.yml \
    share/chaosd/scenarios/fleet/roles/chaosd/tasks/gameday.yml; do
	[ -f "$prefix/$f" ] || fail_ "not installed: $f"
done
echo "ok: chaosd, libinject.so, man pages, scenarios and playbooks installed"
"$prefix/bin/chaosd" doctor --json >"$tmp/doctor.json"
expect_eq "the installed chaosd's libinject" "$prefix/lib/chaosd/libinject.so" \
	"$("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1]))["capabilities"]["libinject"]["detail"])' "$tmp/doctor.json")"
echo data >"$tmp/data"
"$prefix/bin/chaosd" exec -i "%read:path=$tmp/data:error=EIO" -- cat "$tmp/data" \
	>"$tmp/cat.out" 2>&1
expect_eq "cat under the installed chaosd: exit status" 1 $?
expect_grep 'Input/output error' "$tmp/cat.out" "cat's error"

fleet_play_ 0 install.yml -e "chaosd_tarball=$name.tar.gz" -e "$cflags"
expect_eq "second run: changed" 0 "$(fleet_recap_ host1 changed)"
expect_eq "second run: failed" 0 "$(fleet_recap_ host1 failed)"
echo "fleet-install: tarball to installed chaosd ${first_ms} ms, second run ${play_ms} ms"
exit 0
