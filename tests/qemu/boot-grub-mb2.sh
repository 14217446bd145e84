#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/qemu/boot-grub-mb2.sh - fwkit's boot pipeline in the freestanding
# test kernel (build/testkernel.elf) loaded by a real GRUB 2 (Debian's
# grub-pc-bin, the i386-pc platform) through multiboot2: a rescue ISO made
# by grub-mkrescue, booted with -cdrom, grub.cfg saying
#   multiboot2 /boot/testkernel.elf ARGS
#   module2 /boot/FILE [ARGS]
# for the four demo modules (mkmodules.sh), some with arguments.
#
# What GRUB 2.06 passes (seen in the information block it builds): the
# kernel's command line is its arguments only, without the kernel's path,
# joined by single spaces; a module's command line is likewise the words
# after its file name ("" when there are none, so the report calls it
# module<N>); a word holding a space comes back quoted ("two words" in
# grub.cfg arrives as "two words" with its quotes).  GRUB also gives tags 4
# (basic meminfo), 5 (boot device), 6 (mmap), 8 (framebuffer), 9 (ELF
# sections), 10 (APM), 14 (the ACPI 1.0 RSDP copy) and 21 (load base), and
# packs the block and the modules into pages just above the kernel's .bss.
#
# Checks: the kernel parsed multiboot2, the loader name starts with "GRUB",
# the modules' sizes, sha256 and command lines match the files and grub.cfg,
# the available RAM is within a few MiB of -m 256, the RSDP tag is there and
# valid; the block, restored from the kernel's hex dump, is read again on
# the host by an independent Python reader whose lines must equal the
# kernel's boot-info lines; and the report equals `fwkit boot scan` given
# the command lines GRUB passed.
#
# tests/hyp/data/grub-mbi2.bin is one such block, for the parsers' unit
# tests.  To capture it again (after a GRUB update or a change of grub.cfg
# here):  REGEN=1 FWKIT=$PWD/build/fwkit-asan FWKIT_BUILD=$PWD/build \
#             sh tests/qemu/boot-grub-mb2.sh
# Without REGEN the test checks the stored block is a well-formed multiboot2
# block and says whether today's capture is identical to it.

. "$(dirname "$0")/../lib.sh"
. "$FWKIT_ROOT/integration/testkernel/qemu-lib.sh"

need qemu-system-x86_64 grub-mkrescue xorriso mformat timeout sha256sum python3 xxd od awk sed cmp dtc iasl
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
[ -n "${FWKIT_BUILD:-}" ] || die "FWKIT_BUILD is not set (tests/run.sh sets it)"
KERNEL=$FWKIT_BUILD/testkernel.elf
[ -s "$KERNEL" ] || die "$KERNEL missing (make build/testkernel.elf)"
GRUB_DIR=/usr/lib/grub/i386-pc
[ -f "$GRUB_DIR/multiboot2.mod" ] || die "$GRUB_DIR/multiboot2.mod missing (Debian: grub-pc-bin)"
DATA=$FWKIT_ROOT/tests/hyp/data/grub-mbi2.bin
T0=$(date +%s)
tk_accel
echo "# kernel $KERNEL, accel $TK_ACCEL, $(dpkg-query -W -f='grub-pc-bin ${Version}' grub-pc-bin 2> /dev/null)"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the ISO ------------------------------------------------------------------
B=$W/iso/boot
mkdir -p "$B/grub" || die "mkdir failed"
sh "$FWKIT_ROOT/integration/testkernel/mkmodules.sh" "$B" 2> "$W/mkmodules.err" ||
	die "mkmodules.sh failed: $(cat "$W/mkmodules.err")"
cp "$KERNEL" "$B/testkernel.elf" || die "cannot copy the kernel"
# module I: file, and the command line GRUB is expected to pass.
FILES="dsdt.aml overlay.dtbo ucode.cpio pmic.fwb"
CMD0='dsdt.aml'
CMD1=''
CMD2='ucode.cpio fwkit=cpio'
CMD3='pmic.fwb "two words" x=1'
KARGS='fwkit.test=grub console=ttyS0'
cat > "$B/grub/grub.cfg" <<'EOF'
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "fwkit test kernel" {
	multiboot2 /boot/testkernel.elf fwkit.test=grub   console=ttyS0
	module2 /boot/dsdt.aml dsdt.aml
	module2 /boot/overlay.dtbo
	module2 /boot/ucode.cpio ucode.cpio fwkit=cpio
	module2 /boot/pmic.fwb pmic.fwb "two words" x=1
	boot
}
EOF
grub-mkrescue -d "$GRUB_DIR" -o "$W/grub.iso" "$W/iso" > "$W/mkrescue.log" 2>&1 ||
	die "grub-mkrescue failed: $(tail -n 2 "$W/mkrescue.log" | tr '\n' ' ')"
echo "# grub.iso: $(wc -c < "$W/grub.iso") bytes"

# ---- the boot -------------------------------------------------------------------
L=$W/grub.log
tk_qemu "$W" "$L" -cdrom "$W/grub.iso" -boot d
echo "# grub: QEMU status $TK_RC after $TK_SECS s (BIOS, GRUB and the kernel)"
check "QEMU exits with status 1 (kernel exit 0: all applied or passed)" [ "$TK_RC" -eq 1 ]
check "parsed as multiboot2" [ "$(tk_info "$L" protocol)" = multiboot2 ]
LOADER=$(tk_info "$L" loader)
echo "# loader name $LOADER"
case $LOADER in '"GRUB'*) ok "the loader name starts with GRUB" ;; *) notok "the loader name starts with GRUB (got '$LOADER')" ;; esac
check "the kernel's command line is GRUB's arguments only, single-spaced" \
	[ "$(tk_info "$L" cmdline)" = "$(tk_quote "$KARGS")" ]
check "4 modules" [ "$(tk_info "$L" modules)" = 4 ]
i=0
for f in $FILES; do
	case $i in 0) c=$CMD0 ;; 1) c=$CMD1 ;; 2) c=$CMD2 ;; *) c=$CMD3 ;; esac
	got=$(tk_module "$L" $i | sed 's/^start 0x[0-9a-f]* //')
	want="size $(wc -c < "$B/$f" | tr -d ' ') sha256 $(sha256sum "$B/$f" | cut -d' ' -f1) cmdline $(tk_quote "$c")"
	if [ "$got" = "$want" ]; then
		ok "module $i is $f: size, sha256 and command line '$c'"
	else
		notok "module $i is $f: got '$got'"
	fi
	i=$((i + 1))
done
avail=$(tk_line "$L" "boot-info: mmap " | sed -n 's/^[0-9]* ranges, available \([0-9]*\) bytes$/\1/p')
check "the memory map has 250..256 MiB available (-m 256; got ${avail:-none})" \
	[ "${avail:-0}" -ge $((250 << 20)) -a "${avail:-0}" -le $((256 << 20)) ]
RSDP=$(tk_line "$L" "boot-info: rsdp ")
echo "# rsdp $RSDP"
case $RSDP in
'tag 1'[45]': '*' signature "RSD PTR " revision '*' checksum ok') ok "an RSDP tag, valid (signature, checksum)" ;;
*) notok "an RSDP tag, valid (got '$RSDP')" ;;
esac

pstack=$(tk_line "$L" "testkernel: stack: parser " | sed -n 's/^\([0-9]*\) bytes, .*/\1/p')
check "boot_parse_multiboot2 used under 8 KiB of stack (${pstack:-?} bytes)" \
	[ -n "$pstack" -a "${pstack:-0}" -lt 8192 ]

# ---- the information block, read again on the host ---------------------------------
tk_section "$L" "--- multiboot2 information block at " "--- end of multiboot2 information block ---" |
	xxd -r -p > "$W/mbi2.bin"
hdr=$(grep -m1 '^--- multiboot2 information block at ' "$L")
INFO=$(echo "$hdr" | sed -n 's/^--- multiboot2 information block at \(0x[0-9a-f]*\), \([0-9]*\) bytes ---$/\1/p')
NBYTES=$(echo "$hdr" | sed -n 's/^.*, \([0-9]*\) bytes ---$/\1/p')
echo "# the block: ${NBYTES:-?} bytes at ${INFO:-?}"
check "the hex dump restores the whole block (${NBYTES:-?} bytes)" \
	[ -n "$NBYTES" -a "$(wc -c < "$W/mbi2.bin")" = "${NBYTES:-x}" ]

# mbi2 FILE INFO: the boot-info lines the kernel prints, from a multiboot2
# block alone (module contents are not in it: no sha256), by a reader that
# shares no code with fwkit's.
mbi2() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
info = int(sys.argv[2], 16)
def q(s):
    return '"' + ''.join(chr(c) if 32 <= c <= 126 and c not in (34, 92) else '\\x%02x' % c for c in s) + '"'
def cstr(s):
    assert 0 in s, 'string without NUL'
    return s[:s.index(0)]
total, _ = struct.unpack_from('<II', b, 0)
assert total == len(b) and total % 8 == 0, 'total_size %d, file %d' % (total, len(b))
out = {'cmdline': b'', 'loader': b'', 'mods': [], 'mmap': [], 'rsdp': None, 'unknown': 0, 'meminfo': None}
o, end = 8, False
while o < total:
    t, s = struct.unpack_from('<II', b, o)
    assert s >= 8 and o + s <= total, 'tag %d at %d: size %d' % (t, o, s)
    body = b[o + 8:o + s]
    if t == 0:
        assert s == 8 and o + 8 == total, 'end tag'
        end = True
        break
    elif t == 1: out['cmdline'] = cstr(body)
    elif t == 2: out['loader'] = cstr(body)
    elif t == 3:
        st, en = struct.unpack_from('<II', body, 0)
        out['mods'].append((st, en - st, cstr(body[8:])))
    elif t == 4: out['meminfo'] = struct.unpack_from('<II', body, 0)
    elif t == 6:
        esz, ever = struct.unpack_from('<II', body, 0)
        for p in range(8, len(body), esz):
            out['mmap'].append(struct.unpack_from('<QQI', body, p))
    elif t in (14, 15): out['rsdp'] = (t, body)
    elif t > 21: out['unknown'] += 1  # not in the Multiboot2 specification 2.0
    o = (o + s + 7) & ~7
assert end, 'no end tag'
print('protocol multiboot2')
print('info 0x%08x' % info)
print('loader ' + q(out['loader']))
print('cmdline ' + q(out['cmdline']))
if out['meminfo']:
    print('meminfo lower %d KiB upper %d KiB' % out['meminfo'])
print('modules %d' % len(out['mods']))
for i, (st, sz, cl) in enumerate(out['mods']):
    print('module %d: start 0x%016x size %d cmdline %s' % (i, st, sz, q(cl)))
print('mmap %d ranges, available %d bytes' % (len(out['mmap']), sum(l for _, l, ty in out['mmap'] if ty == 1)))
for i, (base, l, ty) in enumerate(out['mmap']):
    print('mmap %d: base 0x%016x length 0x%016x type %d' % (i, base, l, ty))
if out['rsdp']:
    t, r = out['rsdp']
    rev = r[15]
    ok = r[:8] == b'RSD PTR ' and sum(r[:20]) % 256 == 0
    n = 20 if rev < 2 else struct.unpack_from('<I', r, 20)[0]
    if rev >= 2:
        ok = ok and sum(r[:n]) % 256 == 0
    line = 'rsdp tag %d: %d bytes signature %s revision %d oem %s rsdt 0x%08x' % (
        t, n, q(r[:8]), rev, q(r[9:15]), struct.unpack_from('<I', r, 16)[0])
    if rev >= 2:
        line += ' xsdt 0x%016x' % struct.unpack_from('<Q', r, 24)[0]
    print(line + (' checksum ok' if ok else ' CHECKSUM BAD'))
else:
    print('rsdp none')
print('unknown tags %d' % out['unknown'])
EOF
}
if mbi2 "$W/mbi2.bin" "${INFO:-0}" > "$W/host.txt" 2> "$W/host.err"; then
	ok "the host reads the restored block as a well-formed multiboot2 block"
else
	notok "the host reads the restored block: $(tail -n 1 "$W/host.err")"
fi
sed -n 's/^boot-info: //p' "$L" | sed 's/ sha256 [0-9a-f]* / /' > "$W/kernel.txt"
check_same "the kernel's boot-info lines equal the host's reading of the same block" \
	"$W/host.txt" "$W/kernel.txt"

if [ "${REGEN:-0}" = 1 ]; then
	mkdir -p "$(dirname "$DATA")" && cp "$W/mbi2.bin" "$DATA.tmp" && mv -f "$DATA.tmp" "$DATA" ||
		die "cannot write $DATA"
	echo "# REGEN=1: wrote $DATA (captured at $INFO)"
fi
if [ -s "$DATA" ]; then
	mbi2_quiet() { mbi2 "$1" 0 > /dev/null 2>&1; }
	check "tests/hyp/data/grub-mbi2.bin is a well-formed multiboot2 block" mbi2_quiet "$DATA"
else
	notok "tests/hyp/data/grub-mbi2.bin is missing (REGEN=1 captures it)"
fi
if cmp -s "$DATA" "$W/mbi2.bin"; then
	echo "# today's block is byte for byte tests/hyp/data/grub-mbi2.bin"
else
	echo "# today's block differs from tests/hyp/data/grub-mbi2.bin (GRUB or grub.cfg changed?)"
fi

# ---- the report ---------------------------------------------------------------------
tk_report "$L" > "$W/grub.report"
(cd "$B" && "$FWKIT" boot scan "dsdt.aml:$CMD0" "overlay.dtbo:$CMD1" "ucode.cpio:$CMD2" "pmic.fwb:$CMD3") \
	> "$W/grub.scan" 2> "$W/grub.scan.err"
rc=$?
check "fwkit boot scan with GRUB's command lines exits 0 (got $rc: $(head -n 1 "$W/grub.scan.err"))" [ "$rc" -eq 0 ]
check "the report is not empty" [ -s "$W/grub.report" ]
check_same "the kernel's report equals fwkit boot scan's, byte for byte" "$W/grub.scan" "$W/grub.report"
check "the report names module 1 module1 (GRUB gave it no command line)" \
	grep -q '^module 1 module1: dt-overlay, ' "$W/grub.report"
check "the report's summary: 4 applied, 0 rejected, taint A" \
	grep -q '^summary: 4 applied, [0-9]* passed, 0 rejected, 0 failed, 0 no handler, 0 ignored; taint 0x100 (A)$' \
	"$W/grub.report"
check "the lines logged one by one are the report's text" \
	grep -q '^testkernel: report [0-9]* bytes, sha256 [0-9a-f]*, the logged lines agree$' "$L"
if [ "$T_FAIL" -ne 0 ]; then
	echo "# last 25 lines of the console:"
	tail -n 25 "$L" | sed 's/^/#   /'
fi

echo "# total $(($(date +%s) - T0)) s"
finish
