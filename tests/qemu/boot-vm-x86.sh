#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/qemu/boot-vm-x86.sh - fwkit's generated x86_64 MADT and DSDT (`fwkit
# vm acpi`) taken by a real kernel: Debian's x86-64 kernel under
# qemu-system-x86_64 -M q35 -smp 2 -m 1G, the two tables shipped as upgrades
# of QEMU's own with `fwkit acpi pack` in front of a busybox initramfs.
#
# Boot 1 (control): QEMU's tables, read back by /init: their OEM IDs and
#   revisions are what fwkit's tables must carry (same IDs, greater
#   revision) for the kernel to take them as upgrades.
# Boot 2 (fwkit): `fwkit vm acpi --arch x86_64 --cpus 2 --memory 1G` with
#   QEMU's OEM IDs and its revision + 1; the kernel must log both upgrades,
#   bring up 2 CPUs from our MADT, route the timer through our interrupt
#   source override, enumerate the PCI host bridge from our DSDT, bind COM1
#   to our PNP0501 device and run /init on it; the guest's APIC and DSDT must
#   equal our files byte for byte.  Both boots pass the same checks of what
#   the guest made of the machine, and the PCI devices found must be the
#   same; every PCI BAR must fit our host bridge's windows, and our _PRT
#   must route each slot and pin to the GSI QEMU's own DSDT routes it to.
# Both boots run the same QEMU command line, TCG unless KVM is usable (about
# 10 s each under TCG); /init
# writes everything to /dev/console (COM1) between markers and resets the
# machine (-no-reboot makes QEMU exit), which works whatever the DSDT says
# about sleep states.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kernel.sh"
. "$(dirname "$0")/qemu-tables.sh"

need qemu-system-x86_64 iasl timeout python3 od cmp grep sed
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
dpkg -S /bin/busybox 2>/dev/null | grep -q '^busybox-static:' ||
	die "/bin/busybox is not from busybox-static"
fwkit_kernel || die "cannot fetch/unpack Debian's x86-64 kernel"
qt_accel
echo "# kernel $KERNEL_PKG $KERNEL_PKGVER, accel $ACCEL"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the initramfs -----------------------------------------------------------
mkdir -p "$W/tree/bin" "$W/tree/dev" "$W/tree/proc" "$W/tree/sys"
cp /bin/busybox "$W/tree/bin/busybox" && ln -s busybox "$W/tree/bin/sh" ||
	die "cannot make the initramfs tree"
cat > "$W/tree/init" <<'EOF'
#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
{
echo "FWKIT-INIT $($B cat /token)"
echo "FWKIT-NPROC $($B nproc)"
echo "FWKIT-ONLINE $($B cat /sys/devices/system/cpu/online)"
$B sed 's/^/FWKIT-CONSOLE /' /proc/consoles
p=/sys/bus/pci/devices/0000:00:00.0
[ -e $p ] && echo "FWKIT-HOSTBRIDGE $($B cat $p/vendor) $($B cat $p/device) $($B cat $p/class)"
for d in /sys/bus/pci/devices/*; do echo "FWKIT-PCI ${d##*/}"; done
for d in /sys/bus/acpi/devices/*; do echo "FWKIT-ACPIDEV ${d##*/}"; done
for t in APIC DSDT; do
	echo "@@ $t"
	$B od -An -v -tx1 /sys/firmware/acpi/tables/$t
done
echo "@@END"
echo "FWKIT-DONE $($B cat /token)"
} > /dev/console 2>&1
$B reboot -f
EOF
chmod 0755 "$W/tree/init"

# vm_boot NAME [TABLE...]: a fresh initramfs, the tables packed in front of it
# when given, booted on q35 with 2 CPUs and 1 GiB; the console, without CRs,
# in $W/NAME.log, the tables /init dumped in $W/NAME-tables/.
vm_boot() {
	_n=$1
	shift
	od -An -N8 -tx1 /dev/urandom | tr -d ' \n' > "$W/tree/token"
	"$FWKIT" initrd build -o "$W/main-$_n.img" --compress gzip "$W/tree" > /dev/null ||
		die "fwkit initrd build failed"
	_img=$W/main-$_n.img
	if [ $# -gt 0 ]; then
		"$FWKIT" acpi pack -o "$W/initrd-$_n.img" --initrd "$_img" \
			--against "$W/control-tables" "$@" > "$W/pack-$_n.log" 2>&1
		_rc=$?
		check "$_n: fwkit acpi pack --against QEMU's tables exits 0 ($(tail -n 1 "$W/pack-$_n.log"))" \
			[ "$_rc" -eq 0 ]
		[ -s "$W/initrd-$_n.img" ] || die "fwkit acpi pack wrote no $W/initrd-$_n.img"
		_img=$W/initrd-$_n.img
	fi
	_t0=$(date +%s)
	timeout 300 qemu-system-x86_64 -M q35 -smp 2 -m 1G -accel "$ACCEL" \
		-display none -no-reboot -serial "file:$W/$_n.raw" \
		-kernel "$VMLINUZ" -initrd "$_img" -append 'console=ttyS0 panic=-1' \
		< /dev/null > "$W/$_n.qemu" 2>&1
	echo "# $_n: QEMU exit $? after $(($(date +%s) - _t0)) s"
	tr -d '\r' < "$W/$_n.raw" > "$W/$_n.log"
	check "$_n: the guest's /init ran to its end on the console" \
		grep -q "^FWKIT-DONE $(cat "$W/tree/token")" "$W/$_n.log"
	python3 - "$W/$_n.log" "$W/$_n-tables" <<'PY' || die "cannot decode the tables $_n's /init dumped"
import os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
name, data = None, bytearray()
for line in open(src, encoding='ascii', errors='replace'):
    line = line.strip()
    if line.startswith('@@'):
        if name:
            open(os.path.join(out, name), 'wb').write(bytes(data))
        name, data = line[2:].strip(), bytearray()
        if name == 'END':
            break
    elif name and line:
        data += bytes(int(x, 16) for x in line.split())
PY
}

# machine NAME LOG: what the guest made of the machine, the same for QEMU's
# tables and for fwkit's: 2 CPUs from the MADT, the timer through the
# IOAPIC, the host bridge from the DSDT, COM1 bound to its PNP0501 device.
machine() {
	check "$1: nproc says 2" grep -q '^FWKIT-NPROC 2$' "$2"
	check "$1: /sys/devices/system/cpu/online says 0-1" grep -q '^FWKIT-ONLINE 0-1$' "$2"
	check "$1: the kernel brought up 2 CPUs ('smp: Brought up 1 node, 2 CPUs')" \
		grep -q 'smp: Brought up 1 node, 2 CPUs' "$2"
	check "$1: the MADT's IOAPIC at 0xfec00000 serves GSI 0-23" \
		grep -q 'IOAPIC\[0\]: apic_id 0, version [0-9]*, address 0xfec00000, GSI 0-23' "$2"
	check "$1: the MADT routes ISA IRQ 0 to GSI 2 (INT_SRC_OVR bus_irq 0 global_irq 2)" \
		grep -q 'INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2 ' "$2"
	check "$1: no 'MP-BIOS bug' (the timer works through the IOAPIC)" \
		sh -c '! grep -q "MP-BIOS bug" "$1"' - "$2"
	check "$1: the DSDT's host bridge is enumerated ('ACPI: PCI Root Bridge [...] (domain 0000 [bus 00-ff])')" \
		grep -q 'ACPI: PCI Root Bridge \[[A-Z0-9_]*\] (domain 0000 \[bus 00-ff\])' "$2"
	check "$1: /sys/bus/pci/devices/0000:00:00.0 is the q35 host bridge (8086:29c0)" \
		grep -q '^FWKIT-HOSTBRIDGE 0x8086 0x29c0 0x060000$' "$2"
	check "$1: an ACPI device with _HID PNP0A08 (PCIe host bridge) exists" \
		grep -q '^FWKIT-ACPIDEV PNP0A08:' "$2"
	check "$1: /proc/consoles names ttyS0 as the console" grep -q '^FWKIT-CONSOLE ttyS0 ' "$2"
	check "$1: the kernel logs 'printk: console [ttyS0] enabled'" \
		grep -q 'printk: console \[ttyS0\] enabled' "$2"
	check "$1: the 8250 driver bound ttyS0 to the DSDT's PNP0501 device at 0x3f8, IRQ 4" \
		grep -q '^\[ *[0-9.]*\] [0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]: ttyS0 at I/O 0x3f8 (irq = 4,' "$2"
	check "$1: an ACPI device with _HID PNP0501 exists" grep -q '^FWKIT-ACPIDEV PNP0501:' "$2"
	check "$1: every PCI BAR and bridge window fits the host bridge's _CRS windows (no \"can't claim\")" \
		sh -c '! grep -q "can.t claim" "$1"' - "$2"
	check "$1: the kernel logs no ACPI errors" \
		sh -c '! grep -q -e "ACPI Error" -e "ACPI BIOS Error" -e "ACPI Exception" "$1"' - "$2"
}

# prt FILE.dsl: the PCI routing of a disassembled DSDT in APIC mode as
# sorted "slot pin GSI" lines: QEMU's _PRT returns its PRTA package then,
# whose entries name link devices (GSIA..GSIH), each resolved through its
# Interrupt descriptor; fwkit's is a Name (_PRT) of GSIs.
prt() {
	python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = re.sub(r'//[^\n]*|/\*.*?\*/', '', t, flags=re.S)
m = re.search(r'Name \(PRTA, Package', t) or re.search(r'Name \(_PRT, Package', t)
if not m:
    sys.exit('no PRTA or _PRT package in ' + sys.argv[1])
def num(s):
    if s in ('Zero', 'One'):
        return int(s == 'One')
    return int(s, 0) if re.fullmatch(r'0x[0-9A-Fa-f]+|[0-9]+', s) else None
links = {}
for chunk in t.split('Device (')[1:]:
    i = re.search(r'Interrupt \([^)]*\)\s*\{\s*(0x[0-9A-Fa-f]+)', chunk)
    if i:
        links[chunk.split(')')[0]] = int(i.group(1), 16)
start = t.index('{', m.end())
depth, end = 0, start
for end in range(start, len(t)):
    depth += {'{': 1, '}': -1}.get(t[end], 0)
    if depth == 0:
        break
out = []
for e in re.finditer(r'Package \(0x04\)\s*\{([^{}]*)\}', t[start + 1:end]):
    f = [x.strip() for x in e.group(1).split(',') if x.strip()]
    if len(f) != 4 or num(f[0]) is None or num(f[1]) is None:
        break
    gsi = links[f[2]] if num(f[2]) is None else num(f[3])
    out.append((num(f[0]) >> 16, num(f[1]), gsi))
for s, p, g in sorted(out):
    print(s, p, g)
PY
}

# hdr FILE OFFSET LEN: bytes of an ACPI table header, as text.
hdr() { dd if="$1" bs=1 skip="$2" count="$3" 2> /dev/null; }
# rev FILE: the OEM revision (little-endian u32 at byte 24).
rev() { od -An -j24 -N4 -tu4 "$1" | tr -d ' '; }

# ---- boot 1: QEMU's own tables ----------------------------------------------------
vm_boot control
C=$W/control.log
for t in APIC DSDT; do
	[ -s "$W/control-tables/$t" ] || die "the control boot dumped no $t"
done
for t in APIC DSDT; do
	check "control: QEMU's $t carries OEM ID 'BOCHS ' and OEM table ID 'BXPC    '" \
		[ "$(hdr "$W/control-tables/$t" 10 14)" = "BOCHS BXPC    " ]
done
QREV_APIC=$(rev "$W/control-tables/APIC")
QREV_DSDT=$(rev "$W/control-tables/DSDT")
echo "# QEMU's APIC: OEM revision $QREV_APIC, $(wc -c < "$W/control-tables/APIC") bytes;" \
	"DSDT: OEM revision $QREV_DSDT, $(wc -c < "$W/control-tables/DSDT") bytes"
check "control: QEMU's APIC has OEM revision 1" [ "$QREV_APIC" = 1 ]
check "control: QEMU's DSDT has OEM revision 1" [ "$QREV_DSDT" = 1 ]
machine control "$C"
mkdir -p "$W/control-dsl" && cp "$W/control-tables/DSDT" "$W/control-dsl/dsdt.dat" &&
	(cd "$W/control-dsl" && iasl -d dsdt.dat > /dev/null 2>&1) || die "iasl -d cannot disassemble QEMU's DSDT"
prt "$W/control-dsl/dsdt.dsl" > "$W/control.prt" && [ "$(wc -l < "$W/control.prt")" -eq 128 ] ||
	die "cannot read the 128 entries of QEMU's PCI routing table (PRTA)"
[ -n "$QREV_APIC" ] && [ -n "$QREV_DSDT" ] || die "cannot read QEMU's OEM revisions"
# One --oem-revision for every generated table: greater than both.
REV=$QREV_APIC
[ "$QREV_DSDT" -le "$REV" ] || REV=$QREV_DSDT
REV=$((REV + 1))
OEM_ID=$(hdr "$W/control-tables/DSDT" 10 6)
OEM_TABLE_ID=$(hdr "$W/control-tables/DSDT" 16 8)

# ---- fwkit's tables ------------------------------------------------------------------
T=$W/vm
"$FWKIT" vm acpi --arch x86_64 --cpus 2 --memory 1G --oem-id "$OEM_ID" \
	--oem-table-id "$OEM_TABLE_ID" --oem-revision "$REV" -o "$T" > "$W/vm-acpi.log" 2>&1
rc=$?
check "fwkit vm acpi --arch x86_64 --cpus 2 --memory 1G exits 0 ($(tail -n 1 "$W/vm-acpi.log"))" \
	[ "$rc" -eq 0 ]
[ -s "$T/apic.dat" ] && [ -s "$T/dsdt.dat" ] || die "fwkit vm acpi wrote no $T/apic.dat and $T/dsdt.dat"
for t in apic dsdt; do
	check "fwkit's $t.dat carries QEMU's OEM IDs" [ "$(hdr "$T/$t.dat" 10 14)" = "$OEM_ID$OEM_TABLE_ID" ]
	check "fwkit's $t.dat carries OEM revision $REV" [ "$(rev "$T/$t.dat")" = "$REV" ]
	(cd "$T" && iasl -d "$t.dat" > "$W/iasl-$t.log" 2>&1)
	rc=$?
	check "iasl -d disassembles fwkit's $t.dat without errors" \
		sh -c '[ "$1" -eq 0 ] && ! grep -qi "error" "$2"' - "$rc" "$W/iasl-$t.log"
	check "iasl -d finds fwkit's $t.dat's checksum right" \
		sh -c '[ -s "$1" ] && ! grep -q "Incorrect checksum" "$1"' - "$T/$t.dsl"
done
prt "$T/dsdt.dsl" > "$W/fwkit.prt"
check_same "fwkit's _PRT routes every slot and pin to the GSI QEMU's own q35 DSDT routes it to" \
	"$W/control.prt" "$W/fwkit.prt"
"$FWKIT" acpi check --against "$W/control-tables" "$T/apic.dat" "$T/dsdt.dat" > "$W/plan.txt" 2>&1
rc=$?
check "fwkit acpi check predicts override for both against QEMU's tables (exit 0)" [ "$rc" -eq 0 ]
check "the plan names both as override" \
	sh -c '[ "$(grep -c override "$1")" -ge 2 ]' - "$W/plan.txt"

# ---- boot 2: fwkit's APIC and DSDT ------------------------------------------------------
fail0=$T_FAIL
vm_boot fwkit "$T/apic.dat" "$T/dsdt.dat"
L=$W/fwkit.log
check "fwkit: the kernel logs 'ACPI: Table Upgrade: override [APIC-$OEM_ID-$OEM_TABLE_ID]'" \
	grep -qF "ACPI: Table Upgrade: override [APIC-$OEM_ID-$OEM_TABLE_ID]" "$L"
check "fwkit: the kernel logs 'ACPI: Table Upgrade: override [DSDT-$OEM_ID-$OEM_TABLE_ID]'" \
	grep -qF "ACPI: Table Upgrade: override [DSDT-$OEM_ID-$OEM_TABLE_ID]" "$L"
check_same "fwkit: the guest's APIC is fwkit's apic.dat byte for byte" "$T/apic.dat" "$W/fwkit-tables/APIC"
check_same "fwkit: the guest's DSDT is fwkit's dsdt.dat byte for byte" "$T/dsdt.dat" "$W/fwkit-tables/DSDT"
machine fwkit "$L"
grep '^FWKIT-PCI ' "$C" > "$W/control.pci"
grep '^FWKIT-PCI ' "$L" > "$W/fwkit.pci"
check_same "fwkit: the guest enumerates the same PCI devices as the control boot ($(wc -l < "$W/control.pci"))" \
	"$W/control.pci" "$W/fwkit.pci"
if [ "$T_FAIL" -ne "$fail0" ]; then
	echo "# console of the fwkit boot (ACPI, PCI, serial lines and the last ones):"
	grep -a -e 'ACPI' -e 'PCI:' -e 'claim' -e 'ttyS' -e 'smp' -e 'Kernel panic' -e '^FWKIT-[A-Z]* ' "$L" |
		grep -v -e '^FWKIT-PCI ' -e '^FWKIT-ACPIDEV ' | head -n 60 | sed 's/^/#   /'
	tail -n 5 "$L" | sed 's/^/#   /'
fi

finish
