# The real-kernel lane: netem under Debian's cloud kernel in
# qemu. The kernel package is cached in the build tree (tests/vm/cache).
VM_TESTS = tests/vm/vm-netem.sh
TESTS += $(VM_TESTS)
dist_check_SCRIPTS += $(VM_TESTS)
dist_check_DATA += tests/vm/guest-netem.sh
distclean-local: vm-distclean-cache
vm-distclean-cache:
	rm -rf tests/vm/cache
.PHONY: vm-distclean-cache
