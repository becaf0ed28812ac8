#!/bin/sh
# The real-kernel lane for cgroup v2, which this machine mounts only in
# part: Debian's cloud kernel under qemu (vm-lib.sh), cgroup2 mounted
# with the cpu, memory and io controllers, a loop device for io.max, and
# guest-cgroup.sh as the test: the freezer of a unit's cgroup, cpu.max,
# memory.high and io.max as [limit.*] sets them, each restored after
# SIGKILL of chaosd.
. "$abs_top_srcdir/tests/vm/vm-lib.sh"

vm_kernel_
vm_root_ "$LIBINJECT"
mkdir -p "$root/lib/chaosd"
cp "$LIBINJECT" "$root/lib/chaosd/libinject.so"
vm_modules_ loop
vm_boot_ "$abs_top_srcdir/tests/vm/guest-cgroup.sh"
