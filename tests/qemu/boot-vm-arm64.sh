#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/qemu/boot-vm-arm64.sh - the device tree `fwkit vm dtb` writes for a
# VM description boots Debian's arm64 kernel (tests/qemu/arm64.sh) under
# qemu-system-aarch64 -M virt -cpu cortex-a53 -dtb, and the kernel sees the
# machine the description gives.  A busybox-static initramfs whose /init
# loads virtio_mmio.ko and virtio-rng.ko (modules in Debian's kernel) prints
# between markers: the CPUs online, MemTotal, the console, the virtio-mmio
# devices bound and the virtio interrupt, /dev/hwrng read through it, the
# arch_timer line of /proc/interrupts twice a second apart, the GIC and PCIe
# lines of the kernel log, the PCI devices, and every property of
# /proc/device-tree; then it powers off.
#
# Boots: GICv3 and GICv2 each with 1, 2 and 4 CPUs and 1, 2, 3 and 4 GiB,
# every CPU count and every size at least once per GIC version (8 boots),
# each with -device virtio-rng-device (QEMU puts the first virtio-mmio
# device on the highest transport, 0x0a003e00, SPI 47) and -nic none; then
# one control boot per GIC version with QEMU's own tree for the same
# machine (dumped with -M virt,dumpdtb=, packed with dtc), asserting the
# same facts, so a check that passes only by accident shows.
#
# What QEMU 7.2 does to a -dtb tree (hw/arm/boot.c, arm_load_dtb; seen
# here: a tree saying 2 GiB booted with -m 1G gives the guest 1 GiB, one
# whose /psci said "arm,psci-0.2" over smc reaches it as psci-1.0 over hvc):
# every /memory node is replaced by one made from -m; /chosen gets
# bootargs from -append and linux,initrd-start/-end from -initrd; /psci
# gets compatible and method anew (the same values as ours here) plus the
# cpu_suspend/cpu_off/cpu_on/migrate function ids, which fwkit does not
# write (PSCI 0.2 fixed them); and the kernel deletes rng-seed once it
# has used it.  So memory, /chosen and /psci in the guest are QEMU's:
# the test boots with -m equal to the description's memory, and proves the
# rest of the tree is ours by comparison: every property the guest's
# /proc/device-tree holds outside /memory*, /chosen and /psci must equal,
# byte for byte, the same property in fwkit's DTB read with fdtget, the two
# lists must hold the same properties, every property of our /psci must be
# in the guest's unchanged, and the kernel logs our model, "fwkit arm64
# virtual machine".
#
# MemTotal: RAM minus what the kernel keeps for good at boot (its image,
# the struct page array at 64 bytes per 4 KiB page, page tables): measured
# 95.5 % of 1 GiB and 95.9 % of 4 GiB with 6.1; the test asserts 90 % <=
# MemTotal < 100 % of -m, and that the kernel's "Memory: .../N K available"
# line names exactly -m.
# Acceleration: TCG; 4 to 15 s per boot on an idle host (up to 30 s on a
# loaded one; 4 CPUs the slowest), much of it spent by the guest printing
# its tree; 2 to 4 minutes in all.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/arm64.sh"

need qemu-system-aarch64 dtc fdtget cpio gzip timeout od find cmp comm awk sed sort
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
T0=$(date +%s)
fwkit_arm64 || die "cannot fetch/unpack Debian's arm64 kernel and busybox-static (see the '# arm64:' lines)"
echo "# $ARM64_KERNEL_PKG $ARM64_KERNEL_PKGVER and busybox-static $ARM64_BUSYBOX_PKGVER ready in $(($(date +%s) - T0)) s"
MODS="$ARM64_KERNEL_ROOT/lib/modules/$ARM64_KERNEL_RELEASE/kernel"
VIRTIO_MMIO_KO="$MODS/drivers/virtio/virtio_mmio.ko"
VIRTIO_RNG_KO="$MODS/drivers/char/hw_random/virtio-rng.ko"
for m in "$VIRTIO_MMIO_KO" "$VIRTIO_RNG_KO"; do
	[ -s "$m" ] || die "$m is missing from the kernel package (uncompressed modules expected)"
done

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the initramfs ------------------------------------------------------------
mkdir -p "$W/tree/bin" "$W/tree/dev" "$W/tree/proc" "$W/tree/sys" &&
	cp "$ARM64_BUSYBOX" "$W/tree/bin/busybox" && chmod 0755 "$W/tree/bin/busybox" &&
	ln -s busybox "$W/tree/bin/sh" &&
	cp "$VIRTIO_MMIO_KO" "$VIRTIO_RNG_KO" "$W/tree/" || die "cannot make the initramfs tree"
cat > "$W/tree/init" <<'EOF'
#!/bin/busybox sh
# fwkit VM boot test: print what the kernel made of the machine, power off.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
say() { echo "FWKIT-VM $*"; }
{
echo "FWKIT-VM-BEGIN"
say "model=$($B tr -d '\000' < /proc/device-tree/model)"
say "cpus=$($B cat /sys/devices/system/cpu/online)"
say "nproc=$($B nproc)"
say "memtotal=$($B sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)"
say "console=$($B cat /sys/class/tty/console/active)"
say "consoles=$($B awk '{ print $1 }' /proc/consoles | $B tr '\n' ' ')"
$B insmod /virtio_mmio.ko && $B insmod /virtio-rng.ko
say "virtio-mmio=$($B ls /sys/bus/platform/drivers/virtio-mmio | $B grep virtio_mmio | $B tr '\n' ' ')"
say "virtio-ids=$($B cat /sys/bus/virtio/devices/*/device 2>/dev/null | $B tr '\n' ' ')"
say "hwrng=$($B cat /sys/devices/virtual/misc/hw_random/rng_current)"
say "rng-bytes=$($B dd if=/dev/hwrng bs=32 count=1 2>/dev/null | $B wc -c)"
say "virtio-irq=$($B grep ' virtio0$' /proc/interrupts)"
say "timer1=$($B grep arch_timer /proc/interrupts)"
$B sleep 1
say "timer2=$($B grep arch_timer /proc/interrupts)"
say "pci=$($B ls /sys/bus/pci/devices | $B tr '\n' ' ')"
$B dmesg | $B sed -n -e 's/^\[[ 0-9.]*\] /FWKIT-VM dmesg=/p' |
	$B grep -e 'Machine model' -e 'GICv3: [0-9]* SPIs' -e 'GICv2m: range' -e 'ITS \[mem' \
		-e 'ECAM at' -e 'Memory: ' -e 'arch_timer: cp15'
cd /proc/device-tree
$B find . -type f ! -name name | $B sort | while read -r p; do
	echo "FWKIT-VM-PROP ${p#.} $($B od -An -v -tx1 "$p" | $B tr -d ' \n')"
done
echo "FWKIT-VM-END $($B cat /token)"
} > /dev/console 2>&1
$B poweroff -f
EOF
chmod 0755 "$W/tree/init"

# ---- helpers --------------------------------------------------------------------
token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

# dt_props DTB NODE: "PATH HEX" for every property under NODE, as the guest
# prints /proc/device-tree (two hex digits per byte).
dt_props() {
	for _p in $(fdtget -p "$1" "$2"); do
		printf '%s %s\n' "${2%/}/$_p" \
			"$(fdtget -t bx "$1" "$2" "$_p" | awk '{ for (i = 1; i <= NF; i++) printf "%2s", $i }' | tr ' ' 0)"
	done
	for _n in $(fdtget -l "$1" "$2"); do
		(dt_props "$1" "${2%/}/$_n")
	done
}

# without_qemus: drop what QEMU rewrites at load (memory nodes, /chosen,
# /psci).
without_qemus() { grep -v -e '^/memory[@/ ]' -e '^/chosen[/ ]' -e '^/psci[/ ]' | LC_ALL=C sort; }

# vmline KEY: what the guest printed for KEY (first line).
vmline() { sed -n "s/^FWKIT-VM $1=//p" "$C" | head -n 1; }
# dmesg_has TEXT: a kernel log line the guest printed contains TEXT.
dmesg_has() { sed -n 's/^FWKIT-VM dmesg=//p' "$C" | grep -qF -- "$1"; }
# irq_total LINE: the sum of the per-CPU counts of a /proc/interrupts line.
irq_total() {
	echo "$1" | awk '{ s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }'
}
# irq_hw LINE: the chip and hardware interrupt number ("GICv3 27").
irq_hw() {
	echo "$1" | awk '{ for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++); print $i, $(i + 1) }'
}
show() {
	echo "# last 30 lines of the $1 console:"
	tail -n 30 "$W/console-$1.log" | tr -d '\033' | sed 's/^/#   /'
}

# boot NAME DTB GIC CPUS GIB: a fresh token, the initramfs, QEMU to power-off.
boot() {
	token > "$W/tree/token"
	(cd "$W/tree" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$W/init.cpio.gz" ||
		die "cpio cannot pack the initramfs"
	_t0=$(date +%s.%N)
	timeout 180 qemu-system-aarch64 -M "virt,gic-version=$3" -cpu cortex-a53 -smp "$4" -m "${5}G" \
		-nographic -no-reboot -nic none -device virtio-rng-device \
		-kernel "$ARM64_VMLINUZ" -initrd "$W/init.cpio.gz" -dtb "$2" \
		-append "console=ttyAMA0 panic=-1" < /dev/null > "$W/console-$1.raw" 2>&1
	_rc=$?
	echo "# $1: QEMU exit $_rc after $(awk -v a="$_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	tr -d '\r' < "$W/console-$1.raw" > "$W/console-$1.log"
	C=$W/console-$1.log
	check "$1: QEMU ends by itself (exit $_rc, no timeout)" [ "$_rc" -ne 124 -a "$_rc" -ne 137 ]
	check "$1: the guest's /init ran to the end" grep -aq "^FWKIT-VM-END $(cat "$W/tree/token")" "$C"
	check "$1: no kernel panic, oops or BUG" sh -c '! grep -aq -e "Kernel panic" -e "Oops" -e "BUG:" "$1"' - "$C"
}

# facts NAME DTB GIC CPUS GIB MODEL: what the guest printed, against the
# description (and, for the virtio interrupt, against the tree).
facts() {
	_n=$1 _dtb=$2 _gic=$3 _cpus=$4 _gib=$5 _model=$6
	_online=0
	[ "$_cpus" -gt 1 ] && _online="0-$((_cpus - 1))"
	check "$_n: the kernel names the machine '$_model'" dmesg_has "Machine model: $_model"
	check "$_n: /proc/device-tree/model is '$_model' (got '$(vmline model)')" [ "$(vmline model)" = "$_model" ]
	check "$_n: CPUs online $_online, nproc $_cpus (got $(vmline cpus), $(vmline nproc))" \
		[ "$(vmline cpus)" = "$_online" -a "$(vmline nproc)" = "$_cpus" ]
	_kb=$((_gib * 1048576))
	check "$_n: the kernel found ${_kb}K of RAM (Memory: .../${_kb}K available)" \
		dmesg_has "/${_kb}K available"
	_mt=$(vmline memtotal)
	check "$_n: MemTotal ${_mt:-?} kB is 90..100 % of ${_gib} GiB" \
		sh -c '[ -n "$1" ] && [ "$1" -lt "$2" ] && [ "$(($1 * 10))" -ge "$(($2 * 9))" ]' - "$_mt" "$_kb"
	check "$_n: the console is ttyAMA0 (active '$(vmline console)', consoles '$(vmline consoles)')" \
		sh -c '[ "$1" = ttyAMA0 ] && case " $2" in *" ttyAMA0 "*) true ;; *) false ;; esac' - \
		"$(vmline console)" "$(vmline consoles)"
	# -device virtio-rng-device lands on the highest transport, 0x0a003e00
	check "$_n: virtio-mmio bound the populated transport a003e00 only (got '$(vmline virtio-mmio)')" \
		[ "$(vmline virtio-mmio)" = "a003e00.virtio_mmio " ]
	check "$_n: it is virtio device 4, an entropy source (got '$(vmline virtio-ids)')" \
		[ "$(vmline virtio-ids)" = "0x0004 " ]
	_spi=$(fdtget "$_dtb" /virtio_mmio@a003e00 interrupts 2> /dev/null | awk '{ print $2 }')
	_vi=$(vmline virtio-irq)
	_chip=GICv3
	[ "$_gic" = 2 ] && _chip=GIC-0
	check "$_n: virtio0 is on $_chip $((32 + ${_spi:-0})), the tree's SPI ${_spi:-?} (got '$(irq_hw "$_vi")')" \
		[ -n "$_spi" -a "$(irq_hw "$_vi")" = "$_chip $((32 + ${_spi:-0}))" ]
	check "$_n: 32 bytes read from /dev/hwrng ($(vmline hwrng)) through it" \
		[ "$(vmline hwrng)" = virtio_rng.0 -a "$(vmline rng-bytes)" = 32 ]
	check "$_n: virtio0 took interrupts ($(irq_total "$_vi"))" [ "$(irq_total "$_vi")" -gt 0 ]
	_t1=$(irq_total "$(vmline timer1)") _t2=$(irq_total "$(vmline timer2)")
	check "$_n: arch_timer is $_chip 27, the virtual timer PPI 11 (got '$(irq_hw "$(vmline timer1)")')" \
		[ "$(irq_hw "$(vmline timer1)")" = "$_chip 27" ]
	check "$_n: arch_timer interrupts grow over a second ($_t1 -> $_t2)" [ "$_t2" -gt "$_t1" ]
	if [ "$_gic" = 3 ]; then
		check "$_n: the GICv3 driver probed (dmesg 'GICv3: N SPIs')" \
			grep -aq '^FWKIT-VM dmesg=GICv3: [0-9]* SPIs implemented' "$C"
		check "$_n: the ITS at 0x08080000 probed" dmesg_has "ITS [mem 0x08080000-0x0809ffff]"
	else
		check "$_n: the GICv2m frame at 0x08020000 probed" \
			dmesg_has "GICv2m: range[mem 0x08020000-0x08020fff]"
		check "$_n: no GICv3 driver line" sh -c '! grep -aq "^FWKIT-VM dmesg=GICv3" "$1"' - "$C"
	fi
	check "$_n: the PCIe host bridge's ECAM is 0x4010000000, buses 00-ff" \
		dmesg_has "ECAM at [mem 0x4010000000-0x401fffffff] for [bus 00-ff]"
	check "$_n: PCI 0000:00:00.0 (the host bridge) enumerated (got '$(vmline pci)')" \
		sh -c 'case " $1" in *" 0000:00:00.0 "*) true ;; *) false ;; esac' - "$(vmline pci)"
	# the tree the kernel used, outside what QEMU rewrites, is this one
	sed -n 's/^FWKIT-VM-PROP //p' "$C" | LC_ALL=C sort > "$W/guest-$_n.all"
	dt_props "$_dtb" / | LC_ALL=C sort > "$W/tree-$_n.all"
	without_qemus < "$W/guest-$_n.all" > "$W/guest-$_n.props"
	without_qemus < "$W/tree-$_n.all" > "$W/tree-$_n.props"
	grep '^/psci/' "$W/tree-$_n.all" > "$W/tree-$_n.psci"
	check "$_n: every property of the tree's /psci ($(wc -l < "$W/tree-$_n.psci")) reached the guest unchanged" \
		sh -c '[ -s "$1" ] && ! LC_ALL=C comm -23 "$1" "$2" | grep -q .' - "$W/tree-$_n.psci" "$W/guest-$_n.all"
	check "$_n: the guest's tree holds $(wc -l < "$W/guest-$_n.props") properties outside /memory and /chosen" \
		[ "$(wc -l < "$W/guest-$_n.props")" -gt 100 ]
	check_same "$_n: /proc/device-tree equals the DTB given to QEMU, byte for byte" \
		"$W/tree-$_n.props" "$W/guest-$_n.props"
}

# ---- fwkit's trees ------------------------------------------------------------------
# GIC CPUS GiB: each CPU count and each size appears with each GIC version.
for run in "3 1 1" "3 2 2" "3 4 3" "3 2 4" "2 2 1" "2 4 2" "2 1 3" "2 4 4"; do
	set -- $run
	n="gicv$1-${2}cpu-${3}g"
	"$FWKIT" vm dtb --gic "v$1" --cpus "$2" --memory "${3}G" -o "$W/$n.dtb" > "$W/$n.out" 2> "$W/$n.err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$W/$n.dtb" ]; then
		notok "$n: fwkit vm dtb --gic v$1 --cpus $2 --memory ${3}G (exit $rc: $(head -n 1 "$W/$n.err"))"
		continue
	fi
	ok "$n: fwkit vm dtb --gic v$1 --cpus $2 --memory ${3}G wrote $(wc -c < "$W/$n.dtb") bytes"
	dtc -I dtb -O dts -o /dev/null "$W/$n.dtb" 2> "$W/$n.dtc"
	check "$n: dtc -I dtb -O dts prints no warning" [ ! -s "$W/$n.dtc" ]
	check "$n: the tree's memory node says ${3} GiB too" \
		[ "$(fdtget -t x "$W/$n.dtb" /memory@40000000 reg)" = "0 40000000 $(printf '%x' $(($3 / 4))) $(printf '%x' $((($3 % 4) * 0x40000000)))" ]
	fail0=$T_FAIL
	boot "$n" "$W/$n.dtb" "$1" "$2" "$3"
	facts "$n" "$W/$n.dtb" "$1" "$2" "$3" "fwkit arm64 virtual machine"
	[ "$T_FAIL" -eq "$fail0" ] || show "$n"
done

# ---- control: QEMU's own trees --------------------------------------------------------
for run in "3 2 2" "2 4 1"; do
	set -- $run
	n="qemu-gicv$1-${2}cpu-${3}g"
	qemu-system-aarch64 -M "virt,gic-version=$1,dumpdtb=$W/$n.raw" -cpu cortex-a53 -smp "$2" -m "${3}G" \
		-nographic -nic none -device virtio-rng-device < /dev/null > "$W/$n.dump" 2>&1
	[ -s "$W/$n.raw" ] || die "qemu-system-aarch64 -M virt,dumpdtb= wrote no tree: $(tail -n 1 "$W/$n.dump")"
	dtc -I dtb -O dtb -o "$W/$n.dtb" "$W/$n.raw" 2> /dev/null || die "dtc cannot pack QEMU's tree"
	fail0=$T_FAIL
	boot "$n" "$W/$n.dtb" "$1" "$2" "$3"
	facts "$n" "$W/$n.dtb" "$1" "$2" "$3" "linux,dummy-virt"
	[ "$T_FAIL" -eq "$fail0" ] || show "$n"
done

echo "# total $(($(date +%s) - T0)) s"
finish
