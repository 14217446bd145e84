#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/qemu/boot-multiboot.sh - fwkit's boot pipeline in a freestanding
# kernel (integration/testkernel, build/testkernel.elf) loaded by QEMU's own
# multiboot (v1) loader: `-kernel testkernel.elf -initrd "a,b c,d"`.  The
# kernel parses the multiboot information, prints it, runs the pipeline over
# the modules with callbacks that accept, prints the report and exits QEMU
# through isa-debug-exit (status (code << 1) | 1, codes in tk.h).
#
# What QEMU 7.2 passes (seen in the information it builds): each -initrd
# entry (split at ',') is loaded from the file named by its first word, and
# the whole entry, file name included, is the module's command line:
# -initrd "x.bin fwkit=ignore" gives "x.bin fwkit=ignore".  The kernel's
# command line is the -kernel path, a space, then -append (the space is
# there without -append too).  Modules go page-aligned after the kernel's
# .bss; the loader name is "qemu"; the memory map comes from the BIOS e820.
#
# Boot 1: the four demo modules (mkmodules.sh).  QEMU status 1, the modules
#   with their sizes, sha256 and command lines, the report byte for byte
#   `fwkit boot scan` over the same files, 4 applied.
# Boot 2: the DSDT with one byte flipped and a module with a command line
#   (x.bin fwkit=ignore): the table rejected in both reports, which are equal
#   again; status 3 (findings) and scan exit 1.
# Boot 3: a kernel command line (-append) as boot-info shows it.
# Boot 4: a module larger than the kernel's scratch covers: a clean refusal.

. "$(dirname "$0")/../lib.sh"
. "$FWKIT_ROOT/integration/testkernel/qemu-lib.sh"

need qemu-system-x86_64 timeout sha256sum readelf od awk sed cmp dtc iasl yes head
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
[ -n "${FWKIT_BUILD:-}" ] || die "FWKIT_BUILD is not set (tests/run.sh sets it)"
KERNEL=$FWKIT_BUILD/testkernel.elf
[ -s "$KERNEL" ] || die "$KERNEL missing (make build/testkernel.elf)"
T0=$(date +%s)
tk_accel
echo "# kernel $KERNEL ($(wc -c < "$KERNEL") bytes), accel $TK_ACCEL"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the image ------------------------------------------------------------
# od word at file offset N, as 8 hex digits.
word() { od -An -tx4 -j "$2" -N4 "$1" | tr -d ' '; }
# magic WORD BYTES: the file offset of the first 4-aligned WORD in the first
# BYTES bytes, or nothing.
magic() {
	od -An -v -w4 -tx4 -N "$2" "$KERNEL" | tr -d ' ' | grep -n -m1 "^$1\$" |
		awk -F: '{ print ($1 - 1) * 4 }'
}
hdr1=$(magic 1badb002 8192)
hdr2=$(magic e85250d6 32768)
check "a multiboot v1 header in the first 8 KiB, 4-aligned (file offset ${hdr1:-none})" [ -n "$hdr1" ]
check "a multiboot2 header in the first 32 KiB, 8-aligned (file offset ${hdr2:-none})" \
	[ -n "$hdr2" -a $((${hdr2:-1} % 8)) -eq 0 ]
if [ -n "$hdr1" ]; then
	o=$hdr1
	check "multiboot v1 flags 0x00010002 (memory info, address fields) and checksum" \
		sh -c '[ "$1" = 00010002 ] && [ $(( (0x1badb002 + 0x$1 + 0x$2) % 4294967296 )) -eq 0 ]' - \
		"$(word "$KERNEL" $((o + 4)))" "$(word "$KERNEL" $((o + 8)))"
fi
# The loaders copy [load_addr, load_end_addr) from the file as one run: every
# loaded segment must keep file offset - address the same.
segments_contiguous() {
	_n=0
	readelf -lW "$KERNEL" | awk '$1 == "LOAD" { print $2, $3, $5 }' > "$W/segments" || return 1
	while read -r _off _addr _filesz; do
		[ $((_filesz)) -eq 0 ] && continue
		_delta=$((_off - _addr))
		[ $_n -eq 0 ] || [ "$_delta" -eq "$_delta0" ] || return 1
		_delta0=$_delta _n=$((_n + 1))
	done < "$W/segments"
	[ $_n -ge 1 ]
}
check "the loaded segments lie in the file as in memory (offset - address constant)" \
	segments_contiguous

# ---- the modules ----------------------------------------------------------
M=$W/m
sh "$FWKIT_ROOT/integration/testkernel/mkmodules.sh" "$M" 2> "$W/mkmodules.err" ||
	die "mkmodules.sh failed: $(cat "$W/mkmodules.err")"
MODS="dsdt.aml overlay.dtbo ucode.cpio pmic.fwb"

size() { wc -c < "$1" | tr -d ' '; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# show NAME: the tail of a console after a failure.
show() {
	echo "# last 20 lines of the $1 console (QEMU: $(head -c 300 "$W/$1.log.qemu" | tr '\n' ' ')):"
	tail -n 20 "$W/$1.log" | sed 's/^/#   /'
}
# scan NAME ARGS...: `fwkit boot scan` in $M; output to $W/NAME.scan, status SCAN_RC.
scan() {
	_n=$1; shift
	(cd "$M" && "$FWKIT" boot scan "$@") > "$W/$_n.scan" 2> "$W/$_n.scan.err"
	SCAN_RC=$?
}
# modline LOG I FILE CMDLINE: boot-info's module I is FILE, with CMDLINE.
modline() {
	_got=$(tk_module "$1" "$2" | sed 's/^start 0x[0-9a-f]* //')
	_want="size $(size "$M/$3") sha256 $(sha "$M/$3") cmdline $(tk_quote "$4")"
	if [ "$_got" = "$_want" ]; then
		ok "$(basename "$1" .log): module $2 is $3: size, sha256 and command line '$4'"
	else
		notok "$(basename "$1" .log): module $2 is $3: got '$_got'"
	fi
}

# ---- boot 1: the four modules ----------------------------------------------
fail0=$T_FAIL
L=$W/plain.log
tk_qemu "$M" "$L" -kernel "$KERNEL" -initrd "dsdt.aml,overlay.dtbo,ucode.cpio,pmic.fwb"
echo "# plain: QEMU status $TK_RC after $TK_SECS s"
check "plain: QEMU exits with status 1 (kernel exit 0: all applied or passed)" [ "$TK_RC" -eq 1 ]
check "plain: parsed as multiboot (v1)" [ "$(tk_info "$L" protocol)" = multiboot ]
check "plain: the loader is \"qemu\"" [ "$(tk_info "$L" loader)" = '"qemu"' ]
check "plain: 4 modules" [ "$(tk_info "$L" modules)" = 4 ]
i=0
for m in $MODS; do
	modline "$L" $i $m "$m"
	i=$((i + 1))
done
avail=$(tk_line "$L" "boot-info: mmap " | sed -n 's/^[0-9]* ranges, available \([0-9]*\) bytes$/\1/p')
check "plain: the memory map has 250..256 MiB available (-m 256; got ${avail:-none})" \
	[ "${avail:-0}" -ge $((250 << 20)) -a "${avail:-0}" -le $((256 << 20)) ]
tk_report "$L" > "$W/plain.report"
scan plain $MODS
check "plain: fwkit boot scan over the same files exits 0 (got $SCAN_RC: $(head -n 1 "$W/plain.scan.err"))" \
	[ "$SCAN_RC" -eq 0 ]
check "plain: the report is not empty" [ -s "$W/plain.report" ]
check_same "plain: the kernel's report equals fwkit boot scan's, byte for byte" \
	"$W/plain.scan" "$W/plain.report"
check "plain: the report's summary: 4 applied, 0 rejected, taint A" \
	grep -q '^summary: 4 applied, [0-9]* passed, 0 rejected, 0 failed, 0 no handler, 0 ignored; taint 0x100 (A)$' \
	"$W/plain.report"
check "plain: the kernel's counts: 4 applied, nothing rejected or failed, taint 256" \
	grep -q '^testkernel: verdicts: applied 4 passed [0-9]* rejected 0 failed 0 no-handler 0 ignored 0 taint 256$' "$L"
check "plain: each callback took its item once (acpi, overlay, microcode, blob; 4 taint records)" \
	grep -q '^testkernel: callbacks: acpi 1 overlay 1 microcode 1 blob 1 taint 4$' "$L"
check "plain: the lines logged one by one are the report's text" \
	grep -q '^testkernel: report [0-9]* bytes, sha256 [0-9a-f]*, the logged lines agree$' "$L"
# The core's budget in a boot environment: under 8 KiB of stack per call
# chain (big buffers belong in the caller's scratch).  The kernel measures
# each call by painting the free stack before it.
stack=$(tk_line "$L" "testkernel: stack: ")
echo "# plain: stack: $stack"
pstack=$(echo "$stack" | sed -n 's/^parser \([0-9]*\) bytes, .*/\1/p')
rstack=$(echo "$stack" | sed -n 's/^.*, pipeline \([0-9]*\) bytes, .*/\1/p')
check "plain: boot_parse_multiboot1 used under 8 KiB of stack (${pstack:-?} bytes)" \
	[ -n "$pstack" -a "${pstack:-0}" -lt 8192 ]
check "plain: boot_pipeline_run used under 8 KiB of stack (${rstack:-?} bytes)" \
	[ -n "$rstack" -a "${rstack:-0}" -lt 8192 ]
[ "$T_FAIL" -eq "$fail0" ] || show plain

# ---- boot 2: a damaged table, a module with a command line ------------------
fail0=$T_FAIL
L=$W/damaged.log
# flip FILE OFFSET OUT: OUT is FILE with the byte at OFFSET inverted.
flip() {
	cp "$1" "$3" || return 1
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "\\$(printf %03o $((_b ^ 255)))" | dd of="$3" bs=1 seek="$2" conv=notrunc 2> /dev/null
}
flip "$M/dsdt.aml" 60 "$M/bad.aml" || die "cannot write bad.aml"
cmp -s "$M/dsdt.aml" "$M/bad.aml" && die "bad.aml is not damaged"
yes 'neither a table nor a tree' | head -c 1000 > "$M/x.bin"
tk_qemu "$M" "$L" -kernel "$KERNEL" \
	-initrd "bad.aml,x.bin fwkit=ignore,overlay.dtbo,ucode.cpio,pmic.fwb"
echo "# damaged: QEMU status $TK_RC after $TK_SECS s"
check "damaged: QEMU exits with status 3 (kernel exit 1: a finding)" [ "$TK_RC" -eq 3 ]
check "damaged: 5 modules" [ "$(tk_info "$L" modules)" = 5 ]
modline "$L" 0 bad.aml bad.aml
modline "$L" 1 x.bin "x.bin fwkit=ignore"
tk_report "$L" > "$W/damaged.report"
scan damaged bad.aml "x.bin:x.bin fwkit=ignore" overlay.dtbo ucode.cpio pmic.fwb
check "damaged: fwkit boot scan exits 1 (got $SCAN_RC: $(head -n 1 "$W/damaged.scan.err"))" [ "$SCAN_RC" -eq 1 ]
check_same "damaged: the kernel's report equals fwkit boot scan's, byte for byte" \
	"$W/damaged.scan" "$W/damaged.report"
for r in kernel:damaged.report scan:damaged.scan; do
	check "damaged: the ${r%%:*}'s report rejects bad.aml for its checksum" \
		sh -c 'grep -q "^module 0 bad.aml: acpi-table, 76 bytes, .*Checksum" "$1" &&
			grep -q "^acpi bad.aml: .*rejected.*Checksum" "$1"' - "$W/${r#*:}"
	check "damaged: the ${r%%:*}'s report ignores x.bin (fwkit=ignore)" \
		sh -c 'grep -q "^module 1 x.bin: unknown, 1000 bytes, .*fwkit=ignore" "$1" &&
			grep -q "^ignored x.bin: " "$1"' - "$W/${r#*:}"
done
check "damaged: the kernel's counts: 3 applied, 1 rejected, 1 ignored, taint 0" \
	grep -q '^testkernel: verdicts: applied 3 passed [0-9]* rejected 1 failed 0 no-handler 0 ignored 1 taint 0$' "$L"
check "damaged: no ACPI callback for the damaged table" \
	grep -q '^testkernel: callbacks: acpi 0 overlay 1 microcode 1 blob 1 taint 3$' "$L"
[ "$T_FAIL" -eq "$fail0" ] || show damaged

# ---- boot 3: a kernel command line -------------------------------------------
fail0=$T_FAIL
L=$W/append.log
APPEND='fwkit.test=3 console=ttyS0 "quoted words" tab	end'
tk_qemu "$M" "$L" -kernel "$KERNEL" -append "$APPEND" -initrd "pmic.fwb fwkit=fwb"
echo "# append: QEMU status $TK_RC after $TK_SECS s"
check "append: QEMU exits with status 1" [ "$TK_RC" -eq 1 ]
check "append: boot-info's command line is the kernel's path, a space and -append" \
	[ "$(tk_info "$L" cmdline)" = "$(tk_quote "$KERNEL $APPEND")" ]
modline "$L" 0 pmic.fwb "pmic.fwb fwkit=fwb"
tk_report "$L" > "$W/append.report"
scan append "pmic.fwb:pmic.fwb fwkit=fwb"
check_same "append: the kernel's report equals fwkit boot scan's" "$W/append.scan" "$W/append.report"
[ "$T_FAIL" -eq "$fail0" ] || show append

# ---- boot 4: a module beyond the kernel's scratch -----------------------------
fail0=$T_FAIL
L=$W/big.log
head -c $((17 << 20)) /dev/zero > "$M/big.bin" || die "cannot write big.bin"
tk_qemu "$M" "$L" -kernel "$KERNEL" -initrd "dsdt.aml,big.bin"
echo "# big: QEMU status $TK_RC after $TK_SECS s"
check "big: a 17 MiB module: QEMU exits with status 11 (kernel exit 5, a limit)" [ "$TK_RC" -eq 11 ]
check "big: one line names the module and the limit" \
	grep -q '^testkernel: module 1 has 17825792 bytes, more than the 16777216 this kernel.s scratch covers$' "$L"
check "big: no report is started" sh -c '! grep -q "^--- fwkit boot report ---" "$1"' - "$L"
rm -f "$M/big.bin"
[ "$T_FAIL" -eq "$fail0" ] || show big

echo "# total $(($(date +%s) - T0)) s"
finish
