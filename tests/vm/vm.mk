# The real-kernel lane: Debian's cloud kernel in qemu, for what this
# machine's kernel lacks: netem, and cgroup v2's controllers. The kernel
# package is cached in the build tree (tests/vm/cache).
VM_TESTS = tests/vm/vm-netem.sh tests/vm/vm-cgroup.sh
TESTS += $(VM_TESTS)
dist_check_SCRIPTS += $(VM_TESTS)
dist_check_DATA += tests/vm/vm-lib.sh tests/vm/guest-netem.sh \
	tests/vm/guest-cgroup.sh
distclean-local: vm-distclean-cache
vm-distclean-cache:
	rm -rf tests/vm/cache
.PHONY: vm-distclean-cache
