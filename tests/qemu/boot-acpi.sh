# SPDX-License-Identifier: MIT
# tests/qemu/boot-acpi.sh - the whole "ship a fixed DSDT" job against a real
# kernel: QEMU q35's own DSDT, read from a guest, disassembled with iasl,
# patched, compiled with `fwkit acpi compile`, planned with `fwkit acpi
# check` against the same machine's tables, packed with `fwkit acpi pack` in
# front of a busybox initramfs, and booted with Debian's kernel.  Inside the
# guest `fwkit boot verify` must confirm what the kernel did, taint it and
# write the ledger.
#
# Boot 1 (fixed): the DSDT with OEM revision 2 and a new device FWK0002, and
#   an SSDT with new IDs adding FWK0001.  Expected: the kernel logs
#   "Table Upgrade: override [DSDT-BOCHS -BXPC    ]" and "install
#   [SSDT-FWKIT -FWKTSSDT]", both devices exist, boot verify reports both
#   applied, taint bit 8 is set and the ledger names both with SHA-256.
# Boot 3 (with microcode): boot 1's DSDT packed, then `fwkit ucode pack
#   --initrd` with the corpus's Intel microcode: one early cpio carries both,
#   the kernel still overrides the DSDT and unpacks the microcode file.
# Boot 2 (unbumped): the same DSDT left at revision 1.  Expected: check
#   predicts "dropped" and exits 1, pack refuses without --force; booted
#   anyway, the kernel reads the table but does not override, boot verify
#   says why, and the kernel stays untainted.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kernel.sh"
. "$(dirname "$0")/qemu-tables.sh"

need qemu-system-x86_64 iasl acpidump timeout sha256sum python3 grep sed
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
STATIC=$FWKIT_BUILD/fwkit-static
[ -x "$STATIC" ] || die "$STATIC missing (make check builds it)"
dpkg -S /bin/busybox 2>/dev/null | grep -q '^busybox-static:' ||
	die "/bin/busybox is not from busybox-static"
fwkit_kernel || die "cannot fetch/unpack Debian's x86-64 kernel"
qemu_tables || die "cannot read QEMU q35's ACPI tables from a guest"
echo "# kernel $KERNEL_PKG $KERNEL_PKGVER, accel $ACCEL, tables $QEMU_TABLES"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the tables -----------------------------------------------------------
cp "$QEMU_TABLES/DSDT" "$W/qemu-dsdt.dat"
(cd "$W" && iasl -d qemu-dsdt.dat > iasl-d.log 2>&1) || die "iasl -d cannot disassemble QEMU's DSDT"
check "QEMU's DSDT carries OEM IDs BOCHS/BXPC, revision 1" \
	grep -q 'DefinitionBlock ("", "DSDT", 1, "BOCHS ", "BXPC    ", 0x00000001)' "$W/qemu-dsdt.dsl"

# mkdsdt REV OUT.dsl: QEMU's DSDT with OEM revision REV and one more device.
mkdsdt() {
	python3 - "$W/qemu-dsdt.dsl" "$1" "$2" <<'EOF'
import re, sys
src, rev, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = open(src).read()
t, n = re.subn(r'(DefinitionBlock \("", "DSDT", 1, "BOCHS ", "BXPC    ", )0x[0-9A-Fa-f]+\)',
               lambda m: m.group(1) + '0x%08X)' % rev, t)
assert n == 1
end = t.rstrip().rfind('}')
t = t[:end] + '''    Scope (\\_SB)
    {
        Device (FWKO)
        {
            Name (_HID, "FWK0002")
            Name (_STA, 0x0F)
        }
    }
''' + t[end:]
open(out, 'w').write(t)
EOF
}
mkdsdt 2 "$W/dsdt.dsl" || die "cannot patch the DSDT source"
mkdsdt 1 "$W/dsdt-rev1.dsl" || die "cannot patch the DSDT source"
cat > "$W/fwkssdt.dsl" <<'EOF'
DefinitionBlock ("", "SSDT", 2, "FWKIT ", "FWKTSSDT", 0x00000001)
{
    Scope (\_SB)
    {
        Device (FWKD)
        {
            Name (_HID, "FWK0001")
            Name (_STA, 0x0F)
        }
    }
}
EOF

for t in dsdt dsdt-rev1 fwkssdt; do
	expect_exit 0 "fwkit acpi compile $t.dsl" "$FWKIT" acpi compile -o "$W/$t.aml" "$W/$t.dsl"
done
[ -s "$W/dsdt.aml" ] && [ -s "$W/dsdt-rev1.aml" ] && [ -s "$W/fwkssdt.aml" ] ||
	die "compile produced no tables"
(cd "$W" && iasl -p "$W/ref-dsdt" dsdt.dsl > /dev/null 2>&1)
check_same "fwkit acpi compile writes exactly what iasl writes" "$W/ref-dsdt.aml" "$W/dsdt.aml"

# ---- planning against the same machine -------------------------------------
verdict() { # verdict PLAN.json NAME -> the verdict of that table
	python3 -c 'import json,sys
p=json.load(open(sys.argv[1]))
print([t["verdict"] for t in p["tables"] if t["name"]==sys.argv[2]][0])' "$1" "$2"
}
for src in "$QEMU_TABLES" "$QEMU_DUMP"; do
	kind=directory
	[ -f "$src" ] && kind="acpidump text"
	"$FWKIT" acpi check --json --against "$src" "$W/dsdt.aml" "$W/fwkssdt.aml" > "$W/plan.json"
	rc=$?
	check "check against the $kind: exit 0 for the fixed tables" [ "$rc" -eq 0 ]
	check "check against the $kind: the DSDT with revision 2 is predicted override" \
		[ "$(verdict "$W/plan.json" dsdt.aml)" = override ]
	check "check against the $kind: the SSDT with new IDs is predicted install" \
		[ "$(verdict "$W/plan.json" fwkssdt.aml)" = install ]
	"$FWKIT" acpi check --json --against "$src" "$W/dsdt-rev1.aml" > "$W/plan1.json"
	rc=$?
	check "check against the $kind: exit 1 for the unbumped DSDT" [ "$rc" -eq 1 ]
	check "check against the $kind: the unbumped DSDT is predicted dropped" \
		[ "$(verdict "$W/plan1.json" dsdt-rev1.aml)" = dropped ]
done
"$FWKIT" acpi check --against "$QEMU_TABLES" "$W/dsdt-rev1.aml" > "$W/plan1.txt"
check "the dropped plan says the revision is not greater" grep -q 'is not greater' "$W/plan1.txt"

# ---- the initramfs -----------------------------------------------------------
token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }
mkdir -p "$W/tree/bin" "$W/tree/dev" "$W/tree/proc" "$W/tree/sys" "$W/tree/run"
cp /bin/busybox "$W/tree/bin/busybox" && ln -s busybox "$W/tree/bin/sh" &&
	cp "$STATIC" "$W/tree/bin/fwkit" || die "cannot make the initramfs tree"
cat > "$W/tree/init" <<'EOF'
#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
$B mount -t tmpfs tmpfs /run
$B mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
{
echo "FWKIT-TAINTED-BEFORE $($B cat /proc/sys/kernel/tainted)"
/bin/fwkit boot verify 2>&1 | $B sed 's/^/FWKIT-VERIFY /'
echo "FWKIT-VERIFY-RC $(/bin/fwkit boot verify > /dev/null 2>&1; echo $?)"
echo "FWKIT-TAINTED-AFTER $($B cat /proc/sys/kernel/tainted)"
$B dmesg | $B grep -e 'Table Upgrade' -e 'ACPI OVERRIDE' -e 'table found in initrd' -e 'fwkit:' |
	$B sed 's/^/FWKIT-DMESG /'
[ -f /kernel/x86/microcode/GenuineIntel.bin ] &&
	echo "FWKIT-UCODE $($B sha256sum /kernel/x86/microcode/GenuineIntel.bin)"
for d in FWK0001 FWK0002; do
	[ -e /sys/bus/acpi/devices/$d:00 ] && echo "FWKIT-DEVICE $d"
done
[ -f /run/fwkit/ledger.json ] && $B sed 's/^/FWKIT-LEDGER /' /run/fwkit/ledger.json
/bin/fwkit taint show --json | $B tr -d '\n' | $B sed 's/^/FWKIT-SHOW /'
echo
echo "FWKIT-DONE $($B cat /token)"
} > /dev/console 2>&1
$B poweroff -f
EOF
chmod 0755 "$W/tree/init"

# boot_case NAME FORCE TABLE...: pack the tables before a fresh initramfs, boot.
boot_case() {
	_n=$1 _force=$2
	shift 2
	token > "$W/tree/token"
	"$FWKIT" initrd build -o "$W/main-$_n.img" --compress gzip "$W/tree" > /dev/null ||
		die "initrd build failed"
	"$FWKIT" acpi pack -o "$W/initrd-$_n.img" --initrd "$W/main-$_n.img" \
		--against "$QEMU_TABLES" $_force "$@" > "$W/pack-$_n.log" 2>&1
	_rc=$?
	check "$_n: fwkit acpi pack exits 0 ($(tail -n 1 "$W/pack-$_n.log"))" [ "$_rc" -eq 0 ]
	if [ -n "${BOOT_UCODE:-}" ]; then
		# shellcheck disable=SC2086
		"$FWKIT" ucode pack -o "$W/initrd-$_n.u" --initrd "$W/initrd-$_n.img" \
			$BOOT_UCODE > "$W/ucode-$_n.log" 2>&1
		_rc=$?
		check "$_n: fwkit ucode pack --initrd exits 0" [ "$_rc" -eq 0 ]
		mv "$W/initrd-$_n.u" "$W/initrd-$_n.img" || die "no ucode pack output"
	fi
	"$FWKIT" initrd ls --json "$W/initrd-$_n.img" > "$W/ls-$_n.json"
	for _t in "$@"; do
		check "$_n: the first segment is an uncompressed cpio holding kernel/firmware/acpi/${_t##*/}" \
			python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
s=d["segments"][0]
assert s["format"]=="cpio", s["format"]
assert any(e["name"]=="kernel/firmware/acpi/"+sys.argv[2] for e in s["entries"])' \
			"$W/ls-$_n.json" "${_t##*/}"
	done
	_t0=$(date +%s)
	qemu_boot "$W/initrd-$_n.img" "$W/console-$_n.log"
	echo "# $_n: QEMU exit $? after $(($(date +%s) - _t0)) s"
	tr -d '\r' < "$W/console-$_n.log" > "$W/c-$_n.log"
	check "$_n: the guest's init ran to the end" \
		grep -q "FWKIT-DONE $(cat "$W/tree/token")" "$W/c-$_n.log"
}

# Boot 1: the fixed DSDT and a new SSDT.
DSDT_SHA=$(sha256sum "$W/dsdt.aml" | cut -d' ' -f1)
SSDT_SHA=$(sha256sum "$W/fwkssdt.aml" | cut -d' ' -f1)
fail0=$T_FAIL
boot_case fixed '' "$W/dsdt.aml" "$W/fwkssdt.aml"
C=$W/c-fixed.log
check "fixed: the kernel logs 'Table Upgrade: override [DSDT-BOCHS -BXPC    ]'" \
	grep -qF 'Table Upgrade: override [DSDT-BOCHS -BXPC    ]' "$C"
check "fixed: the kernel logs 'Table Upgrade: install [SSDT-FWKIT -FWKTSSDT]'" \
	grep -qF 'Table Upgrade: install [SSDT-FWKIT -FWKTSSDT]' "$C"
check "fixed: the DSDT's new device FWK0002 exists in the guest" grep -q 'FWKIT-DEVICE FWK0002' "$C"
check "fixed: the SSDT's device FWK0001 exists in the guest" grep -q 'FWKIT-DEVICE FWK0001' "$C"
check "fixed: the kernel was untainted before boot verify" grep -q 'FWKIT-TAINTED-BEFORE 0$' "$C"
check "fixed: boot verify exits 0" grep -q 'FWKIT-VERIFY-RC 0$' "$C"
check "fixed: boot verify reports the DSDT applied as an override with its SHA-256" \
	grep -q "FWKIT-VERIFY ACPI DSDT BOCHS  BXPC     rev 2 from initrd kernel/firmware/acpi/dsdt.aml applied (override), sha256 $DSDT_SHA" "$C"
check "fixed: boot verify reports the SSDT applied as an install" \
	grep -q "FWKIT-VERIFY ACPI SSDT FWKIT  FWKTSSDT rev 1 from initrd kernel/firmware/acpi/fwkssdt.aml applied (install), sha256 $SSDT_SHA" "$C"
check "fixed: the same line is in the kernel log (/dev/kmsg)" \
	grep -q "FWKIT-DMESG .*fwkit: ACPI DSDT BOCHS  BXPC     rev 2 .*applied (override), sha256 $DSDT_SHA" "$C"
AFTER=$(sed -n 's/^FWKIT-TAINTED-AFTER //p' "$C")
check "fixed: /proc/sys/kernel/tainted has bit 8 (A) set after boot verify (got '$AFTER')" \
	sh -c '[ -n "$1" ] && [ $(( $1 & 256 )) -eq 256 ]' - "$AFTER"
check "fixed: the ledger names the DSDT with its SHA-256 and taint bit 8" \
	grep -q "FWKIT-LEDGER {\"kind\":\"acpi-override\",\"identity\":\"DSDT BOCHS  BXPC     rev 2\",.*\"sha256\":\"$DSDT_SHA\".*\"taint_bit\":8" "$C"
check "fixed: the ledger names the SSDT as an install" \
	grep -q "FWKIT-LEDGER {\"kind\":\"acpi-install\",\"identity\":\"SSDT FWKIT  FWKTSSDT rev 1\".*\"sha256\":\"$SSDT_SHA\"" "$C"
check "fixed: running boot verify twice leaves one record per table" \
	[ "$(grep -c '^FWKIT-LEDGER ' "$C")" -eq 2 ]
check "fixed: fwkit taint show in the guest decodes bit A and lists the records" \
	sh -c 'grep "^FWKIT-SHOW " "$1" | sed "s/^FWKIT-SHOW //" | python3 -c "import json,sys
d=json.load(sys.stdin)
assert any(b[\"letter\"]==\"A\" for b in d[\"bits\"]), d
assert len(d[\"records\"])==2, d"' - "$C"
if [ "$T_FAIL" -ne "$fail0" ]; then
	echo "# console of boot 1:"
	grep -a 'FWKIT-\|Kernel panic' "$C" | head -n 40 | sed 's/^/#   /'
fi

# Boot 3: the fixed DSDT and Intel microcode in one early cpio.
MC="$FWKIT_ROOT/../shared/corpus/microcode/intel"
[ -f "$MC/06-9a-04" ] || die "$MC missing: ../shared must sit beside the repository"
fail0=$T_FAIL
BOOT_UCODE="$MC/06-9a-04 $MC/06-3c-03"
boot_case microcode '' "$W/dsdt.aml"
BOOT_UCODE=
C=$W/c-microcode.log
check "microcode: the first segment is one cpio with the DSDT and GenuineIntel.bin, then the gzip initramfs" \
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
s=d["segments"]
names=[e["name"] for e in s[0]["entries"]]
assert s[0]["format"]=="cpio" and "kernel/firmware/acpi/dsdt.aml" in names, names
assert "kernel/x86/microcode/GenuineIntel.bin" in names, names
assert len(s)==2 and s[1]["format"]!="cpio", [x["format"] for x in s]' "$W/ls-microcode.json"
"$FWKIT" initrd extract "$W/initrd-microcode.img" "$W/x-microcode" > /dev/null 2>&1 ||
	die "initrd extract failed"
UC_SHA=$(find "$W/x-microcode" -path '*kernel/x86/microcode/GenuineIntel.bin' -exec sha256sum {} + |
	head -n 1 | cut -c1-64)
check "microcode: the kernel still overrides the DSDT" \
	grep -qF 'Table Upgrade: override [DSDT-BOCHS -BXPC    ]' "$C"
check "microcode: the guest's rootfs has GenuineIntel.bin as packed (sha256 ${UC_SHA%"${UC_SHA#????????????}"}...)" \
	grep -q "FWKIT-UCODE $UC_SHA " "$C"
check "microcode: boot verify still reports the DSDT applied" \
	grep -q "FWKIT-VERIFY ACPI DSDT BOCHS  BXPC     rev 2 from initrd kernel/firmware/acpi/dsdt.aml applied (override)" "$C"
if [ "$T_FAIL" -ne "$fail0" ]; then
	echo "# console of boot 3:"
	grep -a 'FWKIT-\|Kernel panic' "$C" | head -n 40 | sed 's/^/#   /'
fi

# Boot 2: the DSDT left at revision 1.
fail0=$T_FAIL
"$FWKIT" acpi pack -o "$W/refused.img" --initrd "$W/main-fixed.img" --against "$QEMU_TABLES" \
	"$W/dsdt-rev1.aml" > "$W/refused.log" 2>&1
rc=$?
check "unbumped: pack --against exits 1 for a table the kernel would drop" [ "$rc" -eq 1 ]
check "unbumped: and writes nothing" [ ! -e "$W/refused.img" ]
boot_case unbumped --force "$W/dsdt-rev1.aml"
C=$W/c-unbumped.log
check "unbumped: the kernel read the table from the initrd" \
	grep -q 'FWKIT-DMESG .*DSDT ACPI table found in initrd \[kernel/firmware/acpi/dsdt-rev1.aml\]' "$C"
check "unbumped: the kernel did not override the DSDT" \
	sh -c '! grep -q "Table Upgrade: override" "$1"' - "$C"
check "unbumped: FWK0002 does not exist in the guest" sh -c '! grep -q "FWKIT-DEVICE FWK0002" "$1"' - "$C"
check "unbumped: boot verify exits 1" grep -q 'FWKIT-VERIFY-RC 1$' "$C"
check "unbumped: boot verify says the revision is not greater" \
	grep -q 'FWKIT-VERIFY ACPI DSDT BOCHS  BXPC     rev 1 from initrd kernel/firmware/acpi/dsdt-rev1.aml NOT applied: its OEM revision is not greater' "$C"
check "unbumped: the warning is in the kernel log too" \
	grep -q 'FWKIT-DMESG .*fwkit: ACPI DSDT BOCHS  BXPC     rev 1 .*NOT applied' "$C"
check "unbumped: the kernel stays untainted" grep -q 'FWKIT-TAINTED-AFTER 0$' "$C"
check "unbumped: no ledger record is written" sh -c '! grep -q "^FWKIT-LEDGER" "$1"' - "$C"
if [ "$T_FAIL" -ne "$fail0" ]; then
	echo "# console of boot 2:"
	grep -a 'FWKIT-\|Kernel panic' "$C" | head -n 40 | sed 's/^/#   /'
fi

finish
