#!/bin/sh
# The real-kernel lane: netem itself, which this machine's kernel lacks.
# Boots Debian's cloud kernel under qemu (vm-lib.sh) with netprobe, the
# real tc and ip (as tc.real and ip.real: busybox's shell would run its
# own applets for tc and ip), netem's distribution tables, the kernel's
# own sch_netem, sch_htb, sch_tbf, sch_ingress, cls_u32, act_mirred, ifb
# and veth modules, and guest-netem.sh as the test.
. "$abs_top_srcdir/tests/vm/vm-lib.sh"

TC=$(command -v tc) || skip_ "no tc (install iproute2)"
IP=$(command -v ip) || skip_ "no ip (install iproute2)"
NETPROBE=$HELPERS/netprobe
[ -x "$NETPROBE" ] || framework_failure_ "no $NETPROBE"
ldd "$NETPROBE" >/dev/null 2>&1 && framework_failure_ "$NETPROBE is not static"

vm_kernel_
vm_root_ "$TC" "$IP"
cp "$NETPROBE" "$root/bin/netprobe"
cp "$TC" "$root/bin/tc.real"
cp "$IP" "$root/bin/ip.real"
# netem's distribution tables, where chaosd and tc look for them
for d in /usr/lib/x86_64-linux-gnu/tc /usr/lib/tc; do
	if [ -d "$d" ]; then
		mkdir -p "$root$d"
		cp "$d"/*.dist "$root$d/"
	fi
done
vm_modules_ veth ifb sch_netem sch_htb sch_tbf sch_ingress cls_u32 act_mirred
vm_boot_ "$abs_top_srcdir/tests/vm/guest-netem.sh"
