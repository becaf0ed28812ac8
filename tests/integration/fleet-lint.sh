#!/bin/sh
# The fleet's playbooks: ansible-playbook --syntax-check passes on each,
# ansible-lint (production profile, offline, scenarios/fleet/.ansible-lint)
# passes on all of them and the role, and finds a planted fault (so the
# pass means something); the role's build packages are bootstrap's.
. "$abs_top_srcdir/tests/integration/fleet-lib.sh"
require_prog_ ansible-lint

fleet_inventory_ 2
for book in install.yml preflight.yml gameday.yml abort.yml; do
	ansible-playbook --syntax-check -i "$tmp/hosts.ini" "$FLEET/$book" \
		>"$tmp/out" 2>&1 || {
		cat "$tmp/out" >&2
		fail_ "ansible-playbook --syntax-check $book"
	}
	echo "ok: --syntax-check $book"
done

# a copy: ansible-lint writes its cache beside the project, and the
# source tree may be read-only (make distcheck)
cp -R "$FLEET" "$tmp/fleet"
chmod -R u+w "$tmp/fleet"
lint_()
{
	(cd "$tmp/fleet" && NO_COLOR=1 ansible-lint -c .ansible-lint \
		install.yml preflight.yml gameday.yml abort.yml roles/chaosd) \
		>"$tmp/lint.out" 2>&1
}
lint_ || { cat "$tmp/lint.out" >&2; fail_ "ansible-lint"; }
expect_grep 'Passed with production profile: 0 failure' "$tmp/lint.out"

# a task with no name running a shell pipe: ansible-lint must say so
cat >>"$tmp/fleet/roles/chaosd/tasks/abort.yml" <<'EOF'

- ansible.builtin.shell: chaosd status | grep armed
EOF
lint_ && { cat "$tmp/lint.out" >&2; fail_ "ansible-lint passed a planted fault"; }
expect_grep 'name\[missing\]' "$tmp/lint.out" "ansible-lint on the planted task"

# the role installs what bootstrap lists to build (less the autotools a
# release tarball does not need)
"$PYTHON" - "$abs_top_srcdir/bootstrap" "$FLEET/roles/chaosd/defaults/main.yml" <<'EOF' ||
import re, sys
text = open(sys.argv[1]).read()
block = text[text.index("\t# build\n"):text.index("\t# unit tests\n")]
boot = set(block.split()) - {"#", "build", "autoconf", "automake", "libtool"}
role = set()
lines = open(sys.argv[2]).read().split("\n")
i = lines.index("chaosd_build_packages:") + 1
while i < len(lines) and lines[i].startswith("  - "):
    role.add(lines[i][4:].strip())
    i += 1
assert role == boot, "role %s, bootstrap %s" % (sorted(role), sorted(boot))
print("ok: the role's build packages are bootstrap's: %s" % " ".join(sorted(role)))
EOF
	fail_ "the role's build packages and bootstrap's differ"
exit 0
