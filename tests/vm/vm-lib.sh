# tests/vm/vm-lib.sh: the real-kernel lane's machinery, shared by the
# vm-*.sh tests: Debian's cloud kernel booted under qemu with an
# initramfs of busybox, chaosd and its libraries, the modules a test
# asks for, and one guest script as the test; the verdict is read off
# the serial console.
#
#	. "$abs_top_srcdir/tests/vm/vm-lib.sh"
#	vm_kernel_                        the kernel: $vmlinuz, $moddir
#	vm_root_ BINARY...                $root: busybox, chaosd, BINARY...
#	                                  and every library they need
#	vm_modules_ MODULE...             insmod'ed at boot, in this order
#	vm_boot_ GUEST-SCRIPT [QEMU-ARG]... boot, run the script, judge it
#
# The kernel package is fetched once with apt-get download and kept in
# the build tree (tests/vm/cache, or $CHAOSD_VM_CACHE), under a lock:
# two tests may boot at once. qemu missing: SKIP (77). Emulated (TCG)
# unless CHAOSD_VM_ACCEL=kvm. The guest script prints "VMTEST ok WHAT",
# "VMTEST fail WHAT", "VMTEST value NAME N", and "VMTEST done FAILURES"
# at its end.
. "$abs_top_srcdir/tests/integration/init.sh"

require_root_
QEMU=$(command -v qemu-system-x86_64) || skip_ "no qemu-system-x86_64 (install qemu-system-x86)"
BUSYBOX=$(command -v busybox) || skip_ "no busybox (install busybox-static)"
ldd "$BUSYBOX" >/dev/null 2>&1 && skip_ "$BUSYBOX is dynamic: install busybox-static"
for p in cpio gzip ldd dpkg flock; do
	command -v $p >/dev/null 2>&1 || skip_ "needs $p"
done
[ "$(uname -m)" = x86_64 ] || skip_ "the lane boots an amd64 kernel"

vm_kernel_()
{
	cache=${CHAOSD_VM_CACHE:-$abs_top_builddir/tests/vm/cache}
	mkdir -p "$cache" || framework_failure_ "mkdir $cache"
	exec 9>"$cache/.lock"
	flock 9 || framework_failure_ "cannot lock $cache"
	# the cloud flavour apt would install now
	deb=$(ls "$cache"/linux-image-*-cloud-amd64-unsigned_*.deb 2>/dev/null | tail -n 1)
	if [ -z "$deb" ]; then
		meta=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/{print $2; exit}')
		[ -n "$meta" ] || skip_ "apt-cache knows no linux-image-cloud-amd64 (apt-get update?)"
		pkg=${meta%-unsigned}-unsigned
		(cd "$cache" && apt-get download "$pkg") >"$tmp/apt.log" 2>&1 ||
			skip_ "cannot download $pkg: $(tail -n 1 "$tmp/apt.log")"
		deb=$(ls "$cache"/linux-image-*-cloud-amd64-unsigned_*.deb | tail -n 1)
	fi
	kdir=$cache/${deb##*/}.d
	if [ ! -d "$kdir/boot" ]; then
		rm -rf "$kdir.tmp"
		dpkg -x "$deb" "$kdir.tmp" || framework_failure_ "dpkg -x $deb"
		mv "$kdir.tmp" "$kdir"
	fi
	exec 9>&-
	vmlinuz=$(ls "$kdir"/boot/vmlinuz-* | head -n 1)
	moddir=$(ls -d "$kdir"/lib/modules/* | head -n 1)
	[ -f "$vmlinuz" ] && [ -d "$moddir" ] || framework_failure_ "no kernel in $deb"
	echo "kernel: ${vmlinuz##*/}"
}

vm_root_()
{
	root=$tmp/root
	mkdir -p "$root/bin" "$root/lib/modules" "$root/proc" "$root/sys" \
		"$root/dev" "$root/run" "$root/tmp" "$root/etc" "$root/var/run"
	cp "$BUSYBOX" "$root/bin/busybox"
	for a in $("$BUSYBOX" --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	cp "$CHAOSD" "$root/bin/chaosd"
	for bin in "$CHAOSD" "$@"; do
		ldd "$bin" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}'
	done | sort -u | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

vm_modules_()
{
	mods=
	for m; do
		f=$(find "$moddir" -name "$m.ko*" | head -n 1)
		[ -n "$f" ] || framework_failure_ "no $m module in ${deb##*/}"
		case $f in
		*.ko) cp "$f" "$root/lib/modules/$m.ko" ;;
		*.ko.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
		*.ko.zst) zstd -dc "$f" >"$root/lib/modules/$m.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$root/lib/modules/$m.ko" ;;
		esac
		mods="$mods $m"
	done
}

# vm_qemu_ [QEMU-ARG]...: one boot; $st is timeout's status (124: the
# guest did not finish in 300 s), or 125 when it printed nothing of its
# own within 120 s.
vm_qemu_()
{
	: >"$tmp/console"
	timeout 300 "$QEMU" -machine q35,accel=$accel -m 768 -smp 2 -nographic \
		-no-reboot -kernel "$vmlinuz" -initrd "$tmp/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet rdinit=/init" \
		-serial "file:$tmp/console" -monitor none -display none "$@" \
		>"$tmp/qemu.out" 2>&1 &
	qpid=$!
	waited=0
	while kill -0 $qpid 2>/dev/null; do
		if [ $waited -ge 120 ] && ! grep -aq 'VMTEST' "$tmp/console"; then
			kill $qpid 2>/dev/null
			wait $qpid
			st=125
			return
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait $qpid
	st=$?
}

vm_boot_()
{
	guest=$1
	shift
	cp "$guest" "$root/test.sh"
	# a sanitizer build's chaosd (tests/helpers/sanitizer-run.sh): its
	# reports to the console, the guest's log, and no leak count, as on
	# the host (the host's log_path is not in the guest)
	san=
	[ -n "${ASAN_OPTIONS:-}" ] &&
		san="export ASAN_OPTIONS=exitcode=86:detect_leaks=0:verify_asan_link_order=0 UBSAN_OPTIONS=exitcode=86:halt_on_error=1:print_stacktrace=1"
	cat >"$root/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
mount -t tmpfs run /run
mkdir -p /run/netns
for m in$mods; do insmod /lib/modules/\$m.ko || echo "VMTEST fail insmod \$m"; done
echo "VMTEST kernel \$(uname -r)"
$san
sh /test.sh 2>&1
echo o > /proc/sysrq-trigger
sleep 30
INIT
	chmod +x "$root/init" "$root/test.sh"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$tmp/initrd.gz" ||
		framework_failure_ "cpio"
	# TCG: /dev/kvm may exist where KVM does not work (nested machines
	# hang in the firmware); CHAOSD_VM_ACCEL=kvm asks for it.
	accel=${CHAOSD_VM_ACCEL:-tcg}
	# An emulated boot that has not reached /init in 120 s has hung in
	# the firmware or the kernel (seen once in a CI run: nothing on the
	# console after "Booting from ROM" for 300 s, where a boot takes
	# 5-20 s): that is the emulator, not chaosd, which has not run yet;
	# it is booted once more, and says so.
	for attempt in 1 2; do
		start=$(now_ms)
		vm_qemu_ "$@"
		echo "qemu ($accel) ran $(( $(now_ms) - start )) ms, status $st"
		[ "$st" = 125 ] || break
		echo "vm: attempt $attempt: no VMTEST line within 120 s: the boot hung"
	done
	[ "$st" = 125 ] && fail_ "the VM did not boot twice: $(tail -n 20 "$tmp/console")"
	grep -a 'VMTEST' "$tmp/console" | tr -d '\r'
	[ "$st" = 124 ] && fail_ "the VM did not finish in time: $(tail -n 20 "$tmp/console")"
	grep -aq 'VMTEST done' "$tmp/console" || {
		tail -n 40 "$tmp/console" >&2
		cat "$tmp/qemu.out" >&2
		fail_ "the guest test did not finish"
	}
	grep -aq 'VMTEST fail' "$tmp/console" &&
		fail_ "$(grep -ac 'VMTEST fail' "$tmp/console") checks failed in the VM"
	grep -aq 'VMTEST done 0' "$tmp/console" || fail_ "the guest counted failures"
	return 0
}
