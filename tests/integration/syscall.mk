# Syscall faults through seccomp.
SYSCALL_TESTS = \
	tests/integration/syscall-errors.sh \
	tests/integration/syscall-path.sh \
	tests/integration/syscall-delay.sh \
	tests/integration/syscall-signal.sh \
	tests/integration/syscall-triggers.sh \
	tests/integration/syscall-inherit.sh \
	tests/integration/syscall-bad.sh
TESTS += $(SYSCALL_TESTS)
dist_check_SCRIPTS += $(SYSCALL_TESTS)
dist_check_DATA += tests/integration/syscall-lib.sh
