#!/bin/sh
# SPDX-License-Identifier: MIT
# mk/demo.sh FWKIT - what fwkit does so far, end to end on built-in examples:
# build an initramfs, put early microcode in front, list, extract, check; then
# ship a fixed DSDT: compile, plan against the machine's tables, pack, and see
# what the boot-time check records.
set -eu
F=$1
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

printf '\nfwkit demo: done; outputs are in %s\n' "$D"
