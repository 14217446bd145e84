#!/bin/sh
# SPDX-License-Identifier: MIT
# mk/demo.sh FWKIT - what fwkit does, end to end on built-in examples:
# build an initramfs, put early microcode in front, list, extract, check; then
# ship a fixed DSDT: compile, plan against the machine's tables, pack, and see
# what the boot-time check records; then check and pack CPU microcode into the
# same early cpio; then pack, sign, verify and deliver PMIC firmware to the
# simulated PMIC, with a power loss and a downgrade refused on the way;
# then fix a board's device tree with an overlay shipped in the initramfs,
# refuse one written for another board, and show the ledger record; last,
# hand a DSDT, an overlay, microcode and PMIC firmware to the boot pipeline
# as a hypervisor's boot modules: on the host (fwkit boot scan) and, where
# QEMU is installed, in the freestanding test kernel booted by QEMU's
# multiboot loader, whose report must be the same; finally, describe a
# guest VM once and generate its device tree and ACPI tables, in parity.
set -eu
F=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D="$ROOT/build/demo"
rm -rf "$D" && mkdir -p "$D"
step() { printf '\n==> %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Build a compressed initramfs from the example tree integration/demo/rootfs"
run "$F" initrd build -o "$D/main.img" --compress zstd "$ROOT/integration/demo/rootfs"

MC="$ROOT/../shared/corpus/microcode/intel"
if [ -d "$MC" ] && command -v iucode_tool >/dev/null; then
	step "Collect real Intel microcode from ../shared/corpus with iucode_tool"
	run iucode_tool -q --write-to="$D/GenuineIntel.bin" "$MC"/[0-9]*
else
	step "No ../shared/corpus here: a stand-in file plays the microcode"
	printf 'fwkit demo stand-in for GenuineIntel.bin\n' > "$D/GenuineIntel.bin"
fi

step "Prepend an uncompressed early archive, where the kernel looks for microcode"
run "$F" initrd prepend -o "$D/initrd.img" "$D/main.img" \
	kernel/x86/microcode/GenuineIntel.bin="$D/GenuineIntel.bin"

step "List every segment and entry"
run "$F" initrd ls "$D/initrd.img"

step "Extract it (segments go to early/ and main/, as unmkinitramfs does)"
run "$F" initrd extract "$D/initrd.img" "$D/extracted"
if diff -r "$ROOT/integration/demo/rootfs" "$D/extracted/main" >/dev/null &&
   cmp -s "$D/GenuineIntel.bin" "$D/extracted/early/kernel/x86/microcode/GenuineIntel.bin"; then
	echo "every extracted file is byte-identical to its source"
else
	echo "MISMATCH between the sources and the extracted files"; exit 1
fi

step "Build again: deterministic output, byte for byte"
run "$F" initrd build -o "$D/main2.img" --compress zstd "$ROOT/integration/demo/rootfs"
if cmp -s "$D/main.img" "$D/main2.img"; then
	echo "identical: $(sha256sum < "$D/main.img" | cut -c1-16)..."
else
	echo "the two builds differ"; exit 1
fi

step "A damaged image is refused with one line naming the offset and field"
head -c 3000 "$D/initrd.img" > "$D/truncated.img"
printf '$ %s\n' "$F initrd ls $D/truncated.img"
rc=0
"$F" initrd ls "$D/truncated.img" || rc=$?
[ "$rc" -eq 2 ] || { echo "expected exit status 2, got $rc"; exit 1; }
echo "(exit status 2: bad input)"

A="$D/acpi"
mkdir -p "$A/machine" "$A/booted"
EX="$ROOT/integration/demo/acpi"
step "Ship a fixed DSDT.  The demo laptop's firmware DSDT (integration/demo/acpi/firmware-dsdt.dsl)
    reports its lid closed; compile it to play the machine's /sys/firmware/acpi/tables"
run "$F" acpi compile -o "$A/machine/DSDT" "$EX/firmware-dsdt.dsl"
run "$F" acpi info "$A/machine/DSDT"

step "Compile the fixed ASL (same OEM IDs, OEM revision 7 -> 8); iasl's errors would show as FILE:LINE"
run "$F" acpi compile -o "$A/dsdt.aml" "$EX/fixed-dsdt.dsl"

step "Will the kernel take it?  Plan it with the kernel's rules against the machine's tables"
run "$F" acpi check --against "$A/machine" "$A/dsdt.aml"

step "The classic mistake: the same table with the revision not raised is silently dropped"
run "$F" acpi fix --oem-revision 7 -o "$A/dsdt-rev7.aml" "$A/dsdt.aml"
printf '$ %s\n' "$F acpi check --against $A/machine $A/dsdt-rev7.aml"
rc=0
"$F" acpi check --against "$A/machine" "$A/dsdt-rev7.aml" || rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit status 1, got $rc"; exit 1; }
echo "(exit status 1: a finding to act on)"

step "Pack the table in an early uncompressed cpio in front of the initramfs built above"
run "$F" acpi pack -o "$A/initrd.img" --initrd "$D/initrd.img" --against "$A/machine" "$A/dsdt.aml"
run "$F" initrd ls "$A/initrd.img"

step "After the reboot, in the initramfs, 'fwkit boot verify' confirms the override, taints
    the kernel (bit 8, 'A') and writes the ledger.  Simulated here with files: the booted
    machine's tables now hold the fixed DSDT"
run "$F" initrd extract "$A/initrd.img" "$A/root"
cp "$A/dsdt.aml" "$A/booted/DSDT"
echo 0 > "$A/tainted"
printf 'ACPI: Table Upgrade: override [DSDT-FWKDMO-LAPTOP01]\n' > "$A/kmsg"
run "$F" boot verify --root "$A/root/early" --tables "$A/booted" --tainted "$A/tainted" \
	--kmsg "$A/kmsg" --ledger "$A/ledger.json" --lockdown /nonexistent
step "The taint and the ledger, as 'fwkit taint show' reads them (on a real system:
    /proc/sys/kernel/tainted and /run/fwkit/ledger.json)"
run "$F" taint show --tainted "$A/tainted" --ledger "$A/ledger.json"
run cat "$A/ledger.json"

if [ -d "$MC" ]; then
	step "CPU microcode: fwkit checks every update as the kernel's loader would and lists
    what iucode_tool -L lists"
	run "$F" ucode info "$MC/06-9a-04"
	step "Pack the newest update per CPU into the early cpio that carries the DSDT: one archive"
	run "$F" ucode pack -o "$A/initrd-ucode.img" --initrd "$A/initrd.img" "$MC"/[0-9]*
	run "$F" initrd ls "$A/initrd-ucode.img"
	step "One flipped byte in an update is refused, naming the update"
	cp "$MC/06-3c-03" "$D/damaged-ucode"
	chmod u+w "$D/damaged-ucode"
	printf '\377' | dd of="$D/damaged-ucode" bs=1 seek=4000 conv=notrunc 2>/dev/null
	printf '$ %s\n' "$F ucode info $D/damaged-ucode"
	rc=0
	"$F" ucode info "$D/damaged-ucode" >/dev/null || rc=$?
	[ "$rc" -eq 2 ] || { echo "expected exit status 2, got $rc"; exit 1; }
	echo "(exit status 2: bad input)"
fi

P="$D/pmic"
mkdir -p "$P"
step "PMIC firmware: a vendor's Ed25519 key, and a 256 KiB payload (stand-in bytes; fwkit
    never looks inside, never executes it)"
run openssl genpkey -algorithm ed25519 -out "$P/vendor.pem"
run openssl pkey -in "$P/vendor.pem" -pubout -out "$P/vendor.pub"
# A deterministic stand-in payload, so the demo's digests repeat run to run.
yes 'fwkit demo PMIC firmware: opaque bytes, never executed' | head -c 262144 > "$P/pmic-v7.bin"
run "$F" blob pack --target acme,pmic-x1 --type pmic --version 7 --sign "$P/vendor.pem" \
	-o "$P/pmic-v7.fwb" "$P/pmic-v7.bin"
run "$F" blob info "$P/pmic-v7.fwb"
run "$F" blob verify --pubkey "$P/vendor.pub" "$P/pmic-v7.fwb"

step "Deliver it to the simulated PMIC (an I2C register mailbox, two flash banks, per-chunk
    CRC).  Every check runs before the first byte leaves; the ledger records the delivery"
echo 0 > "$P/tainted"
run "$F" blob deliver --to "pmic-sim:$P/device" --pubkey "$P/vendor.pub" --ledger "$P/ledger.json" \
	"$P/pmic-v7.fwb"
run grep -E '^(version|active_bank|active_length) ' "$P/device/state"
bank=$(sed -n 's/^active_bank //p' "$P/device/state")
if head -c 262144 "$P/device/bank$bank.bin" | cmp -s - "$P/pmic-v7.bin"; then
	echo "the device's active flash bank equals the payload byte for byte"
else
	echo "the device's flash differs from the payload"; exit 1
fi

step "Version 8, with the power cut halfway through the transfer: a clear error, and the
    device still runs version 7 intact"
run "$F" blob pack --target acme,pmic-x1 --type pmic --version 8 --sign "$P/vendor.pem" \
	-o "$P/pmic-v8.fwb" "$P/pmic-v7.bin"
printf '$ %s\n' "$F blob deliver --to pmic-sim:$P/device,fault=power@131072 ... $P/pmic-v8.fwb"
rc=0
"$F" blob deliver --quiet --to "pmic-sim:$P/device,fault=power@131072" --pubkey "$P/vendor.pub" \
	--ledger "$P/ledger.json" "$P/pmic-v8.fwb" || rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit status 1, got $rc"; exit 1; }
run grep -E '^(version|active_bank) ' "$P/device/state"
head -c 262144 "$P/device/bank$bank.bin" | cmp -s - "$P/pmic-v7.bin" ||
	{ echo "the old firmware was damaged"; exit 1; }
echo "(exit status 1; version 7 still active and intact)"

step "A rollback to version 6 and a container with one flipped bit are refused before any
    byte reaches the device"
run "$F" blob pack --target acme,pmic-x1 --type pmic --version 6 --sign "$P/vendor.pem" \
	-o "$P/pmic-v6.fwb" "$P/pmic-v7.bin"
rc=0
"$F" blob deliver --quiet --to "pmic-sim:$P/device" --pubkey "$P/vendor.pub" \
	--ledger "$P/ledger.json" "$P/pmic-v6.fwb" || rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit status 1, got $rc"; exit 1; }
cp "$P/pmic-v7.fwb" "$P/flipped.fwb"
printf '\001' | dd of="$P/flipped.fwb" bs=1 seek=100000 conv=notrunc 2>/dev/null
rc=0
"$F" blob deliver --quiet --to "pmic-sim:$P/device" --pubkey "$P/vendor.pub" \
	--ledger "$P/ledger.json" "$P/flipped.fwb" || rc=$?
[ "$rc" -ne 0 ] || { echo "a damaged container was delivered"; exit 1; }

step "The ledger: every attempt, with target, version, SHA-256, backend and result"
run "$F" taint show --tainted "$P/tainted" --ledger "$P/ledger.json"

T="$D/dt"
mkdir -p "$T"
step "Device trees: the demo board's DTB (integration/demo/dt/board.dts, built with dtc -@
    so it carries __symbols__) and the integrator's overlay enabling the UART and adding
    the PMIC on I2C.  dtc warns about reg in overlays whose parent it cannot see; -q"
run dtc -@ -I dts -O dtb -o "$T/board.dtb" "$ROOT/integration/demo/dt/board.dts"
run dtc -@ -q -I dts -O dtb -o "$T/pmic.dtbo" "$ROOT/integration/demo/dt/pmic.dtso"
run "$F" dt check "$T/board.dtb" "$T/pmic.dtbo"

step "Ship the overlay in the initramfs, where fwkit looks: kernel/firmware/dtb/overlays/"
run "$F" initrd build -o "$T/initrd.img" --compress gzip \
	kernel/firmware/dtb/overlays/10-pmic.dtbo="$T/pmic.dtbo"

step "Apply the initramfs's overlays to the board's tree: every byte checked first, one
    ledger record per overlay with what it created or changed"
run "$F" dt apply -o "$T/board-fixed.dtb" --initrd "$T/initrd.img" \
	--ledger "$T/ledger.json" "$T/board.dtb"
run fdtget "$T/board-fixed.dtb" /soc@0/i2c@9040000/pmic@32 compatible
run fdtget "$T/board-fixed.dtb" /soc@0/serial@9000000 status

step "An overlay written for another board (it needs &i2c3) is refused, naming the label;
    nothing is written"
run dtc -@ -I dts -O dtb -o "$T/wrong.dtbo" "$ROOT/integration/demo/dt/wrong-board.dtso"
printf '$ %s\n' "$F dt apply -o $T/wrong.dtb --ledger $T/ledger.json $T/board.dtb $T/wrong.dtbo"
rc=0
"$F" dt apply -o "$T/wrong.dtb" --ledger "$T/ledger.json" "$T/board.dtb" "$T/wrong.dtbo" || rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit status 1, got $rc"; exit 1; }
[ ! -e "$T/wrong.dtb" ] || { echo "a refused overlay left $T/wrong.dtb behind"; exit 1; }
echo "(exit status 1: not applicable; $T/wrong.dtb not written)"

step "The ledger record of the applied overlay (a tree written to a file taints no running
    kernel: the record carries no taint bit)"
echo 0 > "$T/tainted"
run "$F" taint show --tainted "$T/tainted" --ledger "$T/ledger.json"

step "Boot modules, as a hypervisor or boot loader receives them: a DSDT, a DT overlay, an
    early cpio with microcode, PMIC firmware (integration/testkernel/mkmodules.sh)"
M="$D/modules"
FWKIT="$F" sh "$ROOT/integration/testkernel/mkmodules.sh" "$M"
ls -l "$M"

step "The boot pipeline over them on this host: each classified by its bytes, validated,
    handed on in order (microcode, ACPI, overlays, blobs) and recorded (a dry run)"
cd "$M"
printf '$ %s\n' "$F boot scan dsdt.aml overlay.dtbo ucode.cpio pmic.fwb"
"$F" boot scan dsdt.aml overlay.dtbo ucode.cpio pmic.fwb > "$D/boot-scan.txt"
cat "$D/boot-scan.txt"

step "A module whose command line claims another kind is refused, naming both"
cp overlay.dtbo claims-acpi.bin
rc=0
run "$F" boot scan dsdt.aml "claims-acpi.bin:claims-acpi.bin fwkit=acpi-table" || rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit status 1, got $rc"; exit 1; }
rm -f claims-acpi.bin

TK="$ROOT/build/testkernel.elf"
if command -v qemu-system-x86_64 >/dev/null 2>&1 && [ -f "$TK" ]; then
	step "The same pipeline, freestanding: the multiboot test kernel (the core and libfdt, no
    libc) booted by QEMU with the four files as modules, its report on the serial port"
	# shellcheck source=../integration/testkernel/qemu-lib.sh
	. "$ROOT/integration/testkernel/qemu-lib.sh"
	printf '$ %s\n' "qemu-system-x86_64 -kernel $TK -initrd dsdt.aml,overlay.dtbo,ucode.cpio,pmic.fwb ..."
	tk_qemu "$M" "$D/testkernel.log" -kernel "$TK" \
		-initrd "dsdt.aml,overlay.dtbo,ucode.cpio,pmic.fwb"
	grep '^boot-info: ' "$D/testkernel.log" || true
	tk_report "$D/testkernel.log" > "$D/testkernel-report.txt"
	cat "$D/testkernel-report.txt"
	[ "$TK_RC" -eq 1 ] || { echo "the test kernel exited with QEMU status $TK_RC"; exit 1; }
	if cmp -s "$D/testkernel-report.txt" "$D/boot-scan.txt"; then
		echo "(in ${TK_SECS} s; the test kernel's report equals fwkit boot scan's, byte for byte)"
	else
		echo "the test kernel's report differs from fwkit boot scan's:"
		diff "$D/boot-scan.txt" "$D/testkernel-report.txt" || true
		exit 1
	fi
else
	step "QEMU (qemu-system-x86_64) or build/testkernel.elf is missing: the test kernel part
    is left out (make check builds and boots it)"
fi
cd "$ROOT"

V="$D/vm"
mkdir -p "$V"
step "Guest VM: the default arm64 machine (QEMU virt's memory map and interrupts, GICv3,
    PSCI over HVC), described once; its device tree and its ACPI tables generated from it"
run "$F" vm dtb -o "$V/virt.dtb"
run "$F" vm acpi -o "$V/acpi"
printf '%s: %s\n' "$V/acpi" "$(cd "$V/acpi" && echo *.dat)"

step "The memory map both describe"
run "$F" vm map

step "Parity: each output read back on its own; every device in both, with the same
    addresses and interrupts"
run "$F" vm check --dtb "$V/virt.dtb" --acpi "$V/acpi"

step "What the standard tools make of them: dtc decompiles the tree, iasl disassembles
    every table (but the RSDP, which iasl cannot read on its own: fwkit acpi info decodes it)"
dtc -I dtb -O dts -o "$V/virt.dts" "$V/virt.dtb" 2>"$V/dtc.err" ||
	{ cat "$V/dtc.err"; echo "dtc cannot read the generated tree"; exit 1; }
[ ! -s "$V/dtc.err" ] || { cat "$V/dtc.err"; echo "dtc warns about the generated tree"; exit 1; }
echo "dtc -I dtb -O dts: $(wc -c <"$V/virt.dtb") bytes, $(grep -c '{$' "$V/virt.dts") nodes," \
	"$(wc -l <"$V/virt.dts") lines of source, no warnings"
mkdir -p "$V/dsl"
cp "$V/acpi"/*.dat "$V/dsl/"
rm "$V/dsl/rsdp.dat"
(cd "$V/dsl" && iasl -d ./*.dat) >"$V/iasl.log" 2>&1 ||
	{ tail -n 20 "$V/iasl.log"; echo "iasl -d failed on the generated tables"; exit 1; }
! grep -qi 'error' "$V/iasl.log" ||
	{ grep -i 'error' "$V/iasl.log"; echo "iasl -d reports errors"; exit 1; }
! grep -q 'Incorrect checksum' "$V/dsl"/*.dsl ||
	{ grep 'Incorrect checksum' "$V/dsl"/*.dsl; echo "iasl -d finds a wrong checksum"; exit 1; }
echo "iasl -d: $(ls "$V/dsl"/*.dsl | wc -l) tables disassembled, no errors, every checksum right;" \
	"the DSDT: $(grep -c 'Device (' "$V/dsl/dsdt.dsl") devices in $(wc -l <"$V/dsl/dsdt.dsl") lines of ASL"
run "$F" acpi info "$V/acpi/rsdp.dat"

printf '\nfwkit demo: done; outputs are in %s\n' "$D"
