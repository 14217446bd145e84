#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/qemu/boot-dt-arm64.sh - a device-tree overlay applied by `fwkit dt
# apply` reaches a real kernel: QEMU's own arm64 virt tree (dumped with
# -M virt,dumpdtb=), an overlay by target path on "/" and "/chosen" (QEMU's
# tree carries no __symbols__, so labels cannot be used), and Debian's arm64
# kernel (tests/qemu/arm64.sh) booted with the result on a busybox-static
# initramfs whose /init prints what the kernel made of the tree, from
# /proc/device-tree and /sys, between markers, then powers off.
#
# Boot 1 (overlaid): the kernel names the machine by the overlay's model,
#   /fwkit-test and its properties are in /proc/device-tree, the property
#   added to /chosen too, and the kernel made a platform device of the node.
# Boot 2 (control): QEMU's tree only packed with dtc: none of that is there.
# Both boots use the same -M/-cpu/-m as the dump, so the tree matches the
# machine.  The tree must be packed: with the dump's 1 MiB totalsize the
# kernel hangs before its first console line; `fwkit dt apply` packs.
# Acceleration: TCG (an aarch64 guest on this host); about 2 s per boot.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/arm64.sh"

need qemu-system-aarch64 dtc fdtoverlay fdtget cpio gzip timeout od find cmp
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
T0=$(date +%s)
fwkit_arm64 || die "cannot fetch/unpack Debian's arm64 kernel and busybox-static (see the '# arm64:' lines)"
echo "# $ARM64_KERNEL_PKG $ARM64_KERNEL_PKGVER and busybox-static $ARM64_BUSYBOX_PKGVER ready in $(($(date +%s) - T0)) s"
for d in "$ARM64_KERNEL_DEB" "$ARM64_BUSYBOX_DEB"; do
	[ -n "$d" ] && echo "#   ${d##*/}: $(wc -c < "$d") bytes"
done
# an arm64 Image has "ARM\x64" at byte 56; Debian's vmlinuz is one, not gzip'd
kind="not an uncompressed Image (QEMU's -kernel also takes a gzip'd one)"
[ "$(od -An -j56 -N4 -c "$ARM64_VMLINUZ" | tr -d ' ')" = ARMd ] && kind="an uncompressed arm64 Image"
echo "#   vmlinuz: $(wc -c < "$ARM64_VMLINUZ") bytes, $kind"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
# The machine both for the dump and the boots; -M virt comes first.
CPU_MEM="-cpu cortex-a53 -m 512"

# ---- QEMU's tree -------------------------------------------------------------
# shellcheck disable=SC2086
qemu-system-aarch64 -M virt,dumpdtb="$W/virt.dtb" $CPU_MEM -nographic < /dev/null > "$W/dump.log" 2>&1
[ -s "$W/virt.dtb" ] || die "qemu-system-aarch64 -M virt,dumpdtb= wrote no tree: $(tail -n 1 "$W/dump.log")"
size() { wc -c < "$1" | tr -d ' '; }
totalsize() { od -An -j4 -N4 -tu1 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
echo "# QEMU's virt tree: $(size "$W/virt.dtb") bytes, totalsize $(totalsize "$W/virt.dtb")"
check "QEMU's virt tree carries no __symbols__ (so the overlay uses target paths)" \
	sh -c '! fdtget -l "$1" / | grep -qx __symbols__' - "$W/virt.dtb"
expect_exit 0 "fwkit dt check passes QEMU's virt tree" "$FWKIT" dt check -q "$W/virt.dtb"
dtc -I dtb -O dtb -o "$W/control.dtb" "$W/virt.dtb" 2> /dev/null || die "dtc cannot pack QEMU's tree"

# ---- the overlay ---------------------------------------------------------------
cat > "$W/fwkit-test.dts" <<'EOF'
/dts-v1/;
/plugin/;

&{/} {
	model = "fwkit overlay test (virt)";
	fwkit-test {
		compatible = "fwkit,test";
		fwkit,marker = "applied-by-fwkit";
		fwkit,cells = <0x1 0x2 0x3>;
	};
};

&{/chosen} {
	fwkit,chosen-marker = "chosen-by-fwkit";
};
EOF
dtc -@ -I dts -O dtb -o "$W/fwkit-test.dtbo" "$W/fwkit-test.dts" 2> "$W/dtc.err" ||
	die "dtc cannot compile the overlay: $(head -n 1 "$W/dtc.err")"
expect_exit 0 "fwkit dt check passes the overlay" "$FWKIT" dt check -q "$W/fwkit-test.dtbo"
"$FWKIT" dt apply --no-ledger -o "$W/overlaid.dtb" "$W/virt.dtb" "$W/fwkit-test.dtbo" \
	> "$W/apply.out" 2> "$W/apply.err"
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "fwkit dt apply of the overlay onto QEMU's 1 MiB tree exits 0"
else
	notok "fwkit dt apply of the overlay onto QEMU's 1 MiB tree: exit $rc: $(head -n 1 "$W/apply.err")"
fi
[ -s "$W/overlaid.dtb" ] || die "fwkit dt apply wrote no tree: $(head -n 3 "$W/apply.err")"
REPORT=$(sed -n 's/^.*: applied: //p' "$W/apply.out")
check "the apply report: created /fwkit-test; changed /, /chosen (got '$REPORT')" \
	[ "$REPORT" = "created /fwkit-test; changed /, /chosen" ]
check "fwkit's result is packed: totalsize $(totalsize "$W/overlaid.dtb") == file size, under 64 KiB" \
	sh -c '[ "$1" -eq "$2" ] && [ "$1" -lt 65536 ]' - "$(totalsize "$W/overlaid.dtb")" "$(size "$W/overlaid.dtb")"
expect_exit 0 "fwkit dt check passes the result" "$FWKIT" dt check -q "$W/overlaid.dtb"
fdtoverlay -i "$W/virt.dtb" -o "$W/ref.dtb" "$W/fwkit-test.dtbo" > /dev/null 2>&1 || die "fdtoverlay cannot apply the overlay"
dtc -I dtb -O dts -o "$W/got.dts" "$W/overlaid.dtb" 2> /dev/null &&
	dtc -I dtb -O dts -o "$W/want.dts" "$W/ref.dtb" 2> /dev/null || die "dtc cannot print the results"
check_same "the result prints as fdtoverlay's does (dtc -O dts)" "$W/want.dts" "$W/got.dts"

# ---- the initramfs -----------------------------------------------------------------
token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }
mkdir -p "$W/tree/bin" "$W/tree/dev" "$W/tree/proc" "$W/tree/sys" &&
	cp "$ARM64_BUSYBOX" "$W/tree/bin/busybox" && chmod 0755 "$W/tree/bin/busybox" &&
	ln -s busybox "$W/tree/bin/sh" || die "cannot make the initramfs tree"
cat > "$W/tree/init" <<'EOF'
#!/bin/busybox sh
# fwkit DT boot test: print what the kernel made of the tree, power off.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
D=/proc/device-tree
str() { # str NAME: a string property, or "absent"
	if [ -f "$D/$1" ]; then $B tr -d '\000' < "$D/$1"; else echo absent; fi
}
{
echo "FWKIT-DT-BEGIN"
echo "FWKIT-DT model=$(str model)"
echo "FWKIT-DT compatible=$(str fwkit-test/compatible)"
echo "FWKIT-DT marker=$(str fwkit-test/fwkit,marker)"
echo "FWKIT-DT cells=$($B od -An -tx1 $D/fwkit-test/fwkit,cells 2>/dev/null | $B tr -d ' \n')"
echo "FWKIT-DT chosen=$(str chosen/fwkit,chosen-marker)"
echo "FWKIT-DT bootargs=$(str chosen/bootargs)"
echo "FWKIT-DT device=$($B ls /sys/bus/platform/devices | $B grep fwkit)"
echo "FWKIT-DT-END $($B cat /token)"
} > /dev/console 2>&1
$B poweroff -f
EOF
chmod 0755 "$W/tree/init"

# ---- the boots ------------------------------------------------------------------------
# boot NAME DTB: a fresh token, the initramfs, QEMU to power-off or timeout.
boot() {
	token > "$W/tree/token"
	(cd "$W/tree" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$W/init.cpio.gz" ||
		die "cpio cannot pack the initramfs"
	_t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	timeout 120 qemu-system-aarch64 -M virt $CPU_MEM -nographic -no-reboot \
		-kernel "$ARM64_VMLINUZ" -initrd "$W/init.cpio.gz" -dtb "$2" \
		-append "console=ttyAMA0 panic=-1" < /dev/null > "$W/console-$1.raw" 2>&1
	_rc=$?
	echo "# $1: QEMU exit $_rc after $(awk -v a="$_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	tr -d '\r' < "$W/console-$1.raw" > "$W/console-$1.log"
	C=$W/console-$1.log
	check "$1: QEMU ends by itself (exit $_rc, no timeout)" [ "$_rc" -ne 124 -a "$_rc" -ne 137 ]
	check "$1: the guest's /init ran to the end" grep -aq "^FWKIT-DT-END $(cat "$W/tree/token")" "$C"
	check "$1: no kernel panic" sh -c '! grep -aq "Kernel panic" "$1"' - "$C"
}
# dtline KEY: what the guest printed for KEY.
dtline() { sed -n "s/^FWKIT-DT $1=//p" "$C" | head -n 1; }
# show NAME: the tail of the console, after a failure.
show() {
	echo "# last 30 lines of the $1 console:"
	tail -n 30 "$W/console-$1.log" | tr -d '\033' | sed 's/^/#   /'
}

fail0=$T_FAIL
boot overlaid "$W/overlaid.dtb"
check "overlaid: the kernel names the machine by the overlay's model" \
	grep -aq '^\[ *[0-9.]*\] Machine model: fwkit overlay test (virt)$' "$C"
check "overlaid: /proc/device-tree/model is the overlay's ($(dtline model))" \
	[ "$(dtline model)" = "fwkit overlay test (virt)" ]
check "overlaid: /proc/device-tree/fwkit-test/fwkit,marker reads applied-by-fwkit" \
	[ "$(dtline marker)" = applied-by-fwkit ]
check "overlaid: /proc/device-tree/fwkit-test/compatible reads fwkit,test" \
	[ "$(dtline compatible)" = fwkit,test ]
check "overlaid: /proc/device-tree/fwkit-test/fwkit,cells holds <1 2 3> ($(dtline cells))" \
	[ "$(dtline cells)" = 000000010000000200000003 ]
check "overlaid: the property the overlay added to /chosen is there" \
	[ "$(dtline chosen)" = chosen-by-fwkit ]
check "overlaid: QEMU's own /chosen bootargs survived beside it" \
	[ "$(dtline bootargs)" = "console=ttyAMA0 panic=-1" ]
check "overlaid: the kernel made a platform device of /fwkit-test" \
	[ "$(dtline device)" = fwkit-test ]
[ "$T_FAIL" -eq "$fail0" ] || show overlaid

fail0=$T_FAIL
boot control "$W/control.dtb"
check "control: the kernel names the machine linux,dummy-virt" \
	grep -aq '^\[ *[0-9.]*\] Machine model: linux,dummy-virt$' "$C"
check "control: no /fwkit-test/fwkit,marker in /proc/device-tree" [ "$(dtline marker)" = absent ]
check "control: no fwkit,chosen-marker in /chosen" [ "$(dtline chosen)" = absent ]
check "control: no fwkit-test platform device" [ -z "$(dtline device)" ]
check "control: the marker string appears nowhere on the console" \
	sh -c '! grep -aq -e applied-by-fwkit -e chosen-by-fwkit "$1"' - "$C"
[ "$T_FAIL" -eq "$fail0" ] || show control

echo "# total $(($(date +%s) - T0)) s"
finish
