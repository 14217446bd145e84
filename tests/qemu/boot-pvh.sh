#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/qemu/boot-pvh.sh - fwkit's PVH parser (boot_parse_pvh) against the
# hvm_start_info QEMU builds: the freestanding test kernel built with
# -DTK_PVH (build/testkernel-pvh.elf: no multiboot headers, a
# XEN_ELFNOTE_PHYS32_ENTRY note) booted by QEMU's -kernel, which enters it
# through its pvh.bin option ROM in 32-bit protected mode with EBX the start
# info's address.  The kernel prints the start info and its module list in
# hex, what the parser made of them, the pipeline's report, and exits QEMU
# through isa-debug-exit (status (code << 1) | 1, codes in tk.h).
#
# What QEMU 7.2 puts in hvm_start_info (pc machine, -m 256, seen here):
# version 1, flags 0, one module (the -initrd file, page-aligned near the
# top of low RAM) whose cmdline_paddr is 0 (so the module has no command
# line and `fwkit boot scan FILE:` names it as the kernel does), cmdline_paddr
# pointing at -append exactly (no kernel path; "" without -append), the
# memory map from the firmware's e820 (version 1 fields; it lies in page 0),
# and rsdp_paddr the BIOS's revision 0 "RSD PTR " in the 0xf0000 segment.
#
# Boot 1: ucode.cpio (mkmodules.sh) with a command line: protocol, version,
#   the raw fields against the parsed ones, the module's size and sha256,
#   the command line, the memory map, the RSDP, the report byte for byte
#   `fwkit boot scan` over the same file.
# Boot 2: a damaged DSDT, no -append: an empty command line, the table
#   rejected in both reports, which are equal; status 3 and scan exit 1.

. "$(dirname "$0")/../lib.sh"
. "$FWKIT_ROOT/integration/testkernel/qemu-lib.sh"

need qemu-system-x86_64 timeout sha256sum readelf od awk sed cmp dtc iasl
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
[ -n "${FWKIT_BUILD:-}" ] || die "FWKIT_BUILD is not set (tests/run.sh sets it)"
KERNEL=$FWKIT_BUILD/testkernel-pvh.elf
[ -s "$KERNEL" ] || die "$KERNEL missing (make build/testkernel-pvh.elf)"
T0=$(date +%s)
tk_accel
echo "# kernel $KERNEL ($(wc -c < "$KERNEL") bytes), accel $TK_ACCEL"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the image ------------------------------------------------------------
readelf -nW "$KERNEL" > "$W/notes" 2>&1 || die "readelf -n $KERNEL failed"
check "the image has a Xen note of type 0x12 (XEN_ELFNOTE_PHYS32_ENTRY)" \
	grep -Eq '^ *Xen +0x00000008.*(0x00000012|PHYS32_ENTRY)' "$W/notes"
readelf -lW "$KERNEL" > "$W/phdrs" || die "readelf -l $KERNEL failed"
check "the note lies in a PT_NOTE program header" grep -Eq '^ *NOTE +0x0*[1-9a-f]' "$W/phdrs"
# No multiboot magic where a loader would look: QEMU would take it first.
od -An -v -w4 -tx4 -N 32768 "$KERNEL" | tr -d ' ' > "$W/words"
check "no multiboot v1 or multiboot2 header in the first 32 KiB" \
	sh -c '! grep -q -e "^1badb002\$" -e "^e85250d6\$" "$1"' - "$W/words"

# ---- the modules ----------------------------------------------------------
M=$W/m
sh "$FWKIT_ROOT/integration/testkernel/mkmodules.sh" "$M" 2> "$W/mkmodules.err" ||
	die "mkmodules.sh failed: $(cat "$W/mkmodules.err")"

size() { wc -c < "$1" | tr -d ' '; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
show() {
	echo "# last 20 lines of the $1 console (QEMU: $(head -c 300 "$W/$1.log.qemu" | tr '\n' ' ')):"
	tail -n 20 "$W/$1.log" | sed 's/^/#   /'
}
scan() {
	_n=$1; shift
	(cd "$M" && "$FWKIT" boot scan "$@") > "$W/$_n.scan" 2> "$W/$_n.scan.err"
	SCAN_RC=$?
}
# field LOG OFFSET BYTES: the little-endian field at OFFSET of the start
# info's hex dump, as a decimal number.
field() {
	tk_section "$1" "--- PVH start info at " "--- end of PVH start info ---" |
		tr -d '\n' | awk -v o="$2" -v n="$3" '
		function hex(c) { return index("0123456789abcdef", c) - 1 }
		length($0) >= 2 * (o + n) {
			v = 0
			for (i = n - 1; i >= 0; i--) {
				p = 2 * (o + i) + 1
				v = v * 256 + hex(substr($0, p, 1)) * 16 + hex(substr($0, p + 1, 1))
			}
			printf "%.0f\n", v
		}'
}

# ---- boot 1: ucode.cpio and a command line ----------------------------------
fail0=$T_FAIL
L=$W/plain.log
APPEND='fwkit.test=pvh console=ttyS0 "quoted words" tab	end'
tk_qemu "$M" "$L" -kernel "$KERNEL" -initrd ucode.cpio -append "$APPEND"
echo "# plain: QEMU status $TK_RC after $TK_SECS s"
check "plain: QEMU exits with status 1 (kernel exit 0: all applied or passed)" [ "$TK_RC" -eq 1 ]
check "plain: entered through the PVH entry (EAX the marker)" \
	grep -q '^testkernel: fwkit boot pipeline test kernel, eax 0x336ec578 ebx 0x' "$L"
check "plain: parsed as pvh" [ "$(tk_info "$L" protocol)" = pvh ]
magic=$(field "$L" 0 4)
version=$(field "$L" 4 4)
echo "# plain: start info: magic $magic version $version nr_modules $(field "$L" 12 4)" \
	"rsdp_paddr $(field "$L" 32 8) memmap_entries $(field "$L" 48 4)"
check "plain: the dumped start info has the magic 0x336ec578" [ "${magic:-0}" -eq $((0x336ec578)) ]
check "plain: QEMU gives version 1 (got ${version:-none})" [ "$version" = 1 ]
info=$(tk_info "$L" info)
check "plain: boot-info's version is the start info's (info $info)" \
	[ "${info#* version }" = "$version" ]
check "plain: 1 module (nr_modules $(field "$L" 12 4))" \
	[ "$(tk_info "$L" modules)" = 1 -a "$(field "$L" 12 4)" = 1 ]
got=$(tk_module "$L" 0 | sed 's/^start 0x[0-9a-f]* //')
want="size $(size "$M/ucode.cpio") sha256 $(sha "$M/ucode.cpio") cmdline \"\""
check "plain: module 0 is ucode.cpio: size, sha256, no command line (got '$got')" [ "$got" = "$want" ]
mods=$(tk_section "$L" "--- PVH module list at " "--- end of PVH module list ---" | tr -d '\n')
check "plain: the module list entry's cmdline_paddr is 0 (QEMU passes no module command line)" \
	[ "$(echo "$mods" | cut -c33-48)" = 0000000000000000 ]
check "plain: the kernel command line is -append exactly (no path)" \
	[ "$(tk_info "$L" cmdline)" = "$(tk_quote "$APPEND")" ]
if [ "$version" = 1 ]; then
	avail=$(tk_line "$L" "boot-info: mmap " | sed -n 's/^[0-9]* ranges, available \([0-9]*\) bytes$/\1/p')
	check "plain: the memory map has 250..256 MiB available (-m 256; got ${avail:-none})" \
		[ "${avail:-0}" -ge $((250 << 20)) -a "${avail:-0}" -le $((256 << 20)) ]
	check "plain: as many ranges as memmap_entries" \
		[ "$(tk_line "$L" "boot-info: mmap " | sed 's/ ranges.*//')" = "$(field "$L" 48 4)" ]
fi
rsdp=$(tk_info "$L" rsdp)
echo "# plain: rsdp $rsdp"
rsdp_paddr=$(field "$L" 32 8)
check "plain: rsdp_paddr is non-zero" [ "${rsdp_paddr:-0}" -ne 0 ]
check "plain: boot-info's rsdp is at rsdp_paddr" \
	[ "$(echo "$rsdp" | sed -n 's/^paddr \(0x[0-9a-f]*\) .*/\1/p')" = "$(printf '0x%016x' "${rsdp_paddr:-0}")" ]
check "plain: rsdp_paddr points at \"RSD PTR \" with a good checksum" \
	sh -c 'echo "$1" | grep -q "^paddr 0x[0-9a-f]* signature \"RSD PTR \" revision [0-9]* oem .* checksum ok\$"' - "$rsdp"
tk_report "$L" > "$W/plain.report"
# QEMU passes the module no command line: scan it with an empty one.
scan plain ucode.cpio:
check "plain: fwkit boot scan over the same file exits 0 (got $SCAN_RC: $(head -n 1 "$W/plain.scan.err"))" \
	[ "$SCAN_RC" -eq 0 ]
check "plain: the report is not empty" [ -s "$W/plain.report" ]
check_same "plain: the kernel's report equals fwkit boot scan's, byte for byte" \
	"$W/plain.scan" "$W/plain.report"
check "plain: the report applies the microcode" \
	grep -q '^microcode module0:kernel/x86/microcode/GenuineIntel.bin: GenuineIntel 2 updates: applied$' \
	"$W/plain.report"
check "plain: the lines logged one by one are the report's text" \
	grep -q '^testkernel: report [0-9]* bytes, sha256 [0-9a-f]*, the logged lines agree$' "$L"
stack=$(tk_line "$L" "testkernel: stack: ")
echo "# plain: stack: $stack"
pstack=$(echo "$stack" | sed -n 's/^parser \([0-9]*\) bytes, .*/\1/p')
check "plain: boot_parse_pvh used under 8 KiB of stack (${pstack:-?} bytes)" \
	[ -n "$pstack" -a "${pstack:-0}" -lt 8192 ]
[ "$T_FAIL" -eq "$fail0" ] || show plain

# ---- boot 2: a damaged table, no command line --------------------------------
fail0=$T_FAIL
L=$W/damaged.log
cp "$M/dsdt.aml" "$M/bad.aml" || die "cannot copy dsdt.aml"
# Byte 60 inverted (inside the AML, so only the checksum catches it).
b=$(od -An -tu1 -j 60 -N1 "$M/dsdt.aml" | tr -d ' ')
# shellcheck disable=SC2059
printf "\\$(printf %03o $((b ^ 255)))" | dd of="$M/bad.aml" bs=1 seek=60 conv=notrunc 2> /dev/null
cmp -s "$M/dsdt.aml" "$M/bad.aml" && die "bad.aml is not damaged"
tk_qemu "$M" "$L" -kernel "$KERNEL" -initrd bad.aml
echo "# damaged: QEMU status $TK_RC after $TK_SECS s"
check "damaged: QEMU exits with status 3 (kernel exit 1: a finding)" [ "$TK_RC" -eq 3 ]
check "damaged: without -append the command line is empty" [ "$(tk_info "$L" cmdline)" = '""' ]
got=$(tk_module "$L" 0 | sed 's/^start 0x[0-9a-f]* //')
want="size $(size "$M/bad.aml") sha256 $(sha "$M/bad.aml") cmdline \"\""
check "damaged: module 0 is bad.aml: size, sha256 (got '$got')" [ "$got" = "$want" ]
tk_report "$L" > "$W/damaged.report"
scan damaged bad.aml:
check "damaged: fwkit boot scan exits 1 (got $SCAN_RC: $(head -n 1 "$W/damaged.scan.err"))" [ "$SCAN_RC" -eq 1 ]
check_same "damaged: the kernel's report equals fwkit boot scan's, byte for byte" \
	"$W/damaged.scan" "$W/damaged.report"
check "damaged: the report rejects the table for its checksum" \
	grep -q '^acpi module0: .*rejected.*Checksum' "$W/damaged.report"
[ "$T_FAIL" -eq "$fail0" ] || show damaged

echo "# total $(($(date +%s) - T0)) s"
finish
