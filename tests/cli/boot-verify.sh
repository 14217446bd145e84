#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/boot-verify.sh - `fwkit boot verify` on fake trees: an initramfs
# root with kernel/firmware/acpi/ tables, a fake /sys/firmware/acpi/tables
# made from a real machine's tables (corpus 0025), and plain files standing
# in for /proc/sys/kernel/tainted, /dev/kmsg, the ledger and the lockdown
# state.  Each scenario asserts the exit status, the taint file, the kernel
# log lines and the ledger.
. "$(dirname "$0")/../lib.sh"
need python3 sha256sum cmp
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
SHARED=${FWKIT_SHARED:-$FWKIT_ROOT/../shared}
M="$SHARED/corpus/acpi/linuxhw/0025"
[ -f "$M/dsdt.dat" ] && [ -f "$M/ssdt3.dat" ] || die "$M missing: ../shared must sit beside the repository"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# --- the tables ------------------------------------------------------------
# fw-dsdt: the firmware's DSDT (LENOVO ICL rev 2); dsdt.aml: it with OEM
# revision 3; dsdt-rev2.aml: a changed body, revision still 2; fw-dsdt-rev5:
# the firmware's with revision 5; dsdt-otherids.aml: OEM table ID FWKITDSD;
# ssdt.aml: a new SSDT FWKITX/TESTTBL1; bad.aml: dsdt.aml with a bad checksum.
T="$W/tables"
mkdir -p "$T"
cp "$M/dsdt.dat" "$T/fw-dsdt" || die "copy"
"$FWKIT" acpi fix --bump -o "$T/dsdt.aml" "$T/fw-dsdt" >/dev/null || die "acpi fix --bump failed"
"$FWKIT" acpi fix --oem-revision 5 -o "$T/fw-dsdt-rev5" "$T/fw-dsdt" >/dev/null || die "acpi fix failed"
python3 - "$T" <<'EOF' || die "table generator failed"
import os, struct, sys
t = sys.argv[1]
def fix(b):
    b = bytearray(b); b[9] = 0; b[9] = (-sum(b)) & 0xFF; return bytes(b)
d = open(os.path.join(t, "fw-dsdt"), "rb").read()
b = bytearray(d); b[len(b) - 1] ^= 0x01          # body changed, rev 2
open(os.path.join(t, "dsdt-rev2.aml"), "wb").write(fix(b))
b = bytearray(open(os.path.join(t, "dsdt.aml"), "rb").read())
b[16:24] = b"FWKITDSD"
open(os.path.join(t, "dsdt-otherids.aml"), "wb").write(fix(b))
b[9] ^= 0x55
open(os.path.join(t, "bad.aml"), "wb").write(bytes(b))
body = b"\x10\x05\\_SB_"                          # Scope (\_SB) {}, empty
h = bytearray(36)
h[0:4] = b"SSDT"; struct.pack_into("<I", h, 4, 36 + len(body)); h[8] = 2
h[10:16] = b"FWKITX"; h[16:24] = b"TESTTBL1"; struct.pack_into("<I", h, 24, 1)
h[28:32] = b"INTL"; struct.pack_into("<I", h, 32, 0x20230628)
open(os.path.join(t, "ssdt.aml"), "wb").write(fix(bytes(h) + body))
EOF
sha() { sha256sum < "$1" | cut -c1-64; }
DSDT_SHA=$(sha "$T/dsdt.aml")
SSDT_SHA=$(sha "$T/ssdt.aml")

# scenario NAME: a fresh $S with root/, sys/ (the firmware's FACP, FACS and
# SSDT1..24; no DSDT yet), tainted ("0"), kmsg (empty), lockdown ("[none]").
scenario() {
	S="$W/$1"
	mkdir -p "$S/root/kernel/firmware/acpi" "$S/sys" || die "mkdir"
	cp "$M/facp.dat" "$S/sys/FACP" && cp "$M/facs.dat" "$S/sys/FACS" || die "copy"
	i=1
	while [ -f "$M/ssdt$i.dat" ]; do
		cp "$M/ssdt$i.dat" "$S/sys/SSDT$i" || die "copy"
		i=$((i + 1))
	done
	echo 0 > "$S/tainted"
	: > "$S/kmsg"
	echo "[none] integrity confidentiality" > "$S/lockdown"
}
verify() {
	"$FWKIT" boot verify --root "$S/root" --tables "$S/sys" --tainted "$S/tainted" \
		--kmsg "$S/kmsg" --ledger "$S/ledger.json" --lockdown "$S/lockdown" \
		> "$S/out" 2> "$S/err"
}
initrd() { cp "$T/$1" "$S/root/kernel/firmware/acpi/${2:-$1}" || die "copy"; }
# not_applied DESC TEXT: exit 1, tainted still 0, no ledger, and a <4>
# kernel log line saying NOT applied with TEXT.
not_applied() {
	if [ "$rc" -eq 1 ] && [ "$(cat "$S/tainted")" = 0 ] && [ ! -e "$S/ledger.json" ] &&
	   grep -q "^<4>fwkit: ACPI .* NOT applied: .*$2" "$S/kmsg" &&
	   ! grep -q '^<5>' "$S/kmsg"; then
		ok "$1: exit 1, NOT applied ($2), not tainted, no ledger"
	else
		notok "$1: rc=$rc tainted=$(cat "$S/tainted") ledger=$([ -e "$S/ledger.json" ] && echo yes || echo no) kmsg: $(cat "$S/kmsg") err: $(cat "$S/err")"
	fi
}

# --- A: the DSDT override took effect ----------------------------------------
scenario override
initrd dsdt.aml
cp "$T/dsdt.aml" "$S/sys/DSDT"
verify
rc=$?
check "override applied: exit 0 ($rc: $(cat "$S/err"))" test "$rc" -eq 0
check "the taint file now holds 256 ($(cat "$S/tainted"))" test "$(cat "$S/tainted")" = 256
check "the kernel log gained one <5> line: DSDT applied (override), with its sha256" \
	sh -c "[ \$(wc -l < '$S/kmsg') -eq 1 ] &&
		grep -q '^<5>fwkit: ACPI DSDT LENOVO ICL      rev 3 .*applied (override), sha256 $DSDT_SHA' '$S/kmsg'"
check "the log line names the initrd file" grep -q 'from initrd kernel/firmware/acpi/dsdt.aml' "$S/kmsg"
check "stdout says the same" grep -q "applied (override), sha256 $DSDT_SHA" "$S/out"
check "the ledger has one JSON line: acpi-override, the sha256, taint bit 8" python3 -c "
import json
lines = open('$S/ledger.json').read().splitlines()
assert len(lines) == 1, lines
r = json.loads(lines[0])
assert r['kind'] == 'acpi-override', r
assert r['sha256'] == '$DSDT_SHA', r
assert r['taint_bit'] == 8 and r['taint_letter'] == 'A', r
assert r['source'] == 'initrd:/kernel/firmware/acpi/dsdt.aml', r
assert r['identity'] == 'DSDT LENOVO ICL      rev 3', r
"
"$FWKIT" taint show --json --tainted "$S/tainted" --ledger "$S/ledger.json" > "$S/show.json"
check "taint show reads the ledger boot verify wrote" python3 -c "
import json; j = json.load(open('$S/show.json'))
assert [r['sha256'] for r in j['records']] == ['$DSDT_SHA'], j
assert [b['letter'] for b in j['bits']] == ['A'], j
"
verify
rc=$?
check "run twice: exit 0, still one ledger line, taint still 256" \
	sh -c "[ $rc -eq 0 ] && [ \$(wc -l < '$S/ledger.json') -eq 1 ] && [ \"\$(cat '$S/tainted')\" = 256 ]"

# The ledger's directory (/run/fwkit at boot) need not exist yet.
scenario ledger-dir
initrd dsdt.aml
cp "$T/dsdt.aml" "$S/sys/DSDT"
"$FWKIT" boot verify --root "$S/root/" --tables "$S/sys" --tainted "$S/tainted" \
	--kmsg "$S/kmsg" --ledger "$S/run/fwkit/ledger.json" --lockdown "$S/lockdown" > "$S/out" 2> "$S/err"
rc=$?
check "a ledger in a missing directory is created with it (exit $rc), --root with a trailing slash" \
	sh -c "[ $rc -eq 0 ] && [ \$(wc -l < '$S/run/fwkit/ledger.json') -eq 1 ] &&
		grep -q '\"source\":\"initrd:/kernel/firmware/acpi/dsdt.aml\"' '$S/run/fwkit/ledger.json'"

# --- B: the firmware's DSDT has the same IDs and an equal revision -------------
scenario equal-rev
initrd dsdt-rev2.aml dsdt.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
verify
rc=$?
not_applied "same IDs, equal OEM revision" "its OEM revision is not greater"
check "the reason names the firmware's table and its revision" \
	grep -q "firmware's DSDT has OEM revision 2" "$S/kmsg"

scenario higher-rev
initrd dsdt.aml
cp "$T/fw-dsdt-rev5" "$S/sys/DSDT"
verify
rc=$?
not_applied "same IDs, firmware's OEM revision 5 > 3" "its OEM revision is not greater"

# The initrd carries the firmware's own DSDT unchanged (same bytes, OEM
# revision 2 = 2): the kernel read it ("found in initrd") and dropped it,
# printing no "Table Upgrade: override [DSDT-LENOVO-ICL     ]".  The live
# DSDT is byte-identical, but nothing was overridden: no taint, no record.
scenario unchanged
initrd fw-dsdt dsdt.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
printf '%s\n' '<6>ACPI: Early table checksum verification disabled' \
	'<6>ACPI: RSDP 0x000000005C9FE014 000024 (v02 LENOVO)' \
	'<6>ACPI: DSDT 0x000000005C90C000 05033A (v02 LENOVO ICL      00000002      01000013)' \
	'<6>ACPI: FACP 0x000000005C9F1000 000114 (v06 LENOVO TP-N3X   00001230 PTEC 00000002)' \
	'<6>ACPI: DSDT ACPI table found in initrd [kernel/firmware/acpi/dsdt.aml][0x5033a]' > "$S/kmsg"
verify
rc=$?
if [ "$rc" -eq 1 ] && [ "$(cat "$S/tainted")" = 0 ] && [ ! -e "$S/ledger.json" ] &&
   grep -q "NOT applied: it is the firmware's own table, unchanged" "$S/kmsg"; then
	ok "firmware's own DSDT in the initrd, no 'Table Upgrade' in the kernel log: NOT applied, not tainted"
else
	notok "firmware's own DSDT in the initrd, no 'Table Upgrade' in the kernel log: NOT applied, not tainted (rc=$rc, tainted=$(cat "$S/tainted"), ledger=$([ -e "$S/ledger.json" ] && echo yes || echo no), said: $(cat "$S/out"))"
fi

# --- C: a locked-down kernel ----------------------------------------------------
scenario lockdown
initrd dsdt.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
echo "none [integrity] confidentiality" > "$S/lockdown"
verify
rc=$?
not_applied "lockdown 'none [integrity] confidentiality'" "locked down"

scenario lockdown-log
initrd dsdt.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
echo "<5>ACPI: kernel is locked down, ignoring table override" > "$S/kmsg"
verify
rc=$?
check "lockdown read from the kernel log: exit 1, the lockdown reason" \
	sh -c "[ $rc -eq 1 ] && grep -q 'NOT applied: .*locked down' '$S/kmsg' && [ \"\$(cat '$S/tainted')\" = 0 ]"

# --- D: a table the kernel rejects -----------------------------------------------
scenario rejected
initrd bad.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
verify
rc=$?
not_applied "a bad-checksum table in the initrd" "reject"
check "the rejection names the checksum" grep -q "NOT applied: .*Checksum" "$S/kmsg"

# --- E: a new SSDT installed ---------------------------------------------------
scenario install
initrd ssdt.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
mv "$S/sys/SSDT3" "$S/sys/SSDT25" && cp "$T/ssdt.aml" "$S/sys/SSDT3"
echo "<6>ACPI: Table Upgrade: install [SSDT-FWKITX-TESTTBL1]" > "$S/kmsg"
verify
rc=$?
check "SSDT installed (byte-identical SSDT3, log says install): exit 0 ($rc: $(cat "$S/err"))" test "$rc" -eq 0
check "its log line says applied (install) with its sha256" \
	grep -q "^<5>fwkit: ACPI SSDT FWKITX TESTTBL1 rev 1 .*applied (install), sha256 $SSDT_SHA" "$S/kmsg"
check "tainted 256" test "$(cat "$S/tainted")" = 256
check "one ledger line, kind acpi-install, its sha256" python3 -c "
import json
lines = open('$S/ledger.json').read().splitlines()
assert len(lines) == 1, lines
r = json.loads(lines[0])
assert r['kind'] == 'acpi-install' and r['sha256'] == '$SSDT_SHA', r
"

# --- both at once, and one of two ------------------------------------------------
scenario both
initrd dsdt.aml
initrd ssdt.aml
cp "$T/dsdt.aml" "$S/sys/DSDT"
cp "$T/ssdt.aml" "$S/sys/SSDT25"
verify
rc=$?
check "DSDT override and SSDT install: exit 0, two <5> lines, two ledger lines, tainted 256" \
	sh -c "[ $rc -eq 0 ] && [ \$(grep -c '^<5>fwkit: .*applied' '$S/kmsg') -eq 2 ] &&
		[ \$(wc -l < '$S/ledger.json') -eq 2 ] && [ \"\$(cat '$S/tainted')\" = 256 ]"

scenario mixed
initrd dsdt.aml
initrd bad.aml
cp "$T/dsdt.aml" "$S/sys/DSDT"
verify
rc=$?
check "one applied, one rejected: exit 1, tainted 256, one ledger line, one <4> line" \
	sh -c "[ $rc -eq 1 ] && [ \"\$(cat '$S/tainted')\" = 256 ] && [ \$(wc -l < '$S/ledger.json') -eq 1 ] &&
		[ \$(grep -c '^<4>fwkit: .*bad.aml NOT applied' '$S/kmsg') -eq 1 ]"

# --- F: nothing to verify -----------------------------------------------------
scenario none
rm -r "$S/root/kernel"
cp "$T/fw-dsdt" "$S/sys/DSDT"
verify
rc=$?
check "no kernel/firmware/acpi/ in the root: exit 0, 'nothing to verify'" \
	sh -c "[ $rc -eq 0 ] && grep -q 'nothing to verify' '$S/out'"
check "nothing tainted, no ledger, nothing logged" \
	sh -c "[ \"\$(cat '$S/tainted')\" = 0 ] && [ ! -e '$S/ledger.json' ] && [ ! -s '$S/kmsg' ]"
scenario empty-dir
cp "$T/fw-dsdt" "$S/sys/DSDT"
verify
rc=$?
check "an empty kernel/firmware/acpi/: exit 0, 'nothing to verify', not tainted" \
	sh -c "[ $rc -eq 0 ] && grep -q 'nothing to verify' '$S/out' && [ \"\$(cat '$S/tainted')\" = 0 ]"

# --- G: a DSDT with other IDs, installed beside the firmware's ---------------------
scenario installed-dsdt
initrd dsdt-otherids.aml dsdt.aml
cp "$T/fw-dsdt" "$S/sys/DSDT"
cp "$T/dsdt-otherids.aml" "$S/sys/DSDT2"
echo "<6>ACPI: Table Upgrade: install [DSDT-LENOVO-FWKITDSD]" > "$S/kmsg"
verify
rc=$?
not_applied "a DSDT with other IDs, present as DSDT2, log says install" \
	"installed as a new table instead of overriding"

# --- H: unusable inputs -----------------------------------------------------------
scenario no-sysfs
initrd dsdt.aml
rm -r "$S/sys"
verify
rc=$?
check "missing --tables dir: exit 2, one stderr line, not tainted" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$S/err') -eq 1 ] && [ \"\$(cat '$S/tainted')\" = 0 ]"
expect_exit 2 "boot verify takes no arguments" "$FWKIT" boot verify extra 2>/dev/null
expect_exit 2 "unknown boot command" "$FWKIT" boot frob 2>/dev/null
expect_exit 0 "boot --help" "$FWKIT" boot --help >/dev/null

# --- I: early microcode ------------------------------------------------------------
# The initrd's kernel/x86/microcode/GenuineIntel.bin is a real corpus file
# (06-9a-04: rev 0x43a for 0x906a3/0x906a4 platform 0x80, rev 0xb for 0x906a4
# platform 0x40); --cpu and --cpuinfo play the CPU.
MC="$SHARED/corpus/microcode/intel/06-9a-04"
[ -f "$MC" ] || die "$MC missing"
UPD_SHA=$(head -c 224256 "$MC" | sha256sum | cut -c1-64)
ucode_case() { # ucode_case NAME CPU MICROCODE-LINE FLAGS
	scenario "$1"
	cp "$T/fw-dsdt" "$S/sys/DSDT"
	mkdir -p "$S/root/kernel/x86/microcode" && cp "$MC" "$S/root/kernel/x86/microcode/GenuineIntel.bin" ||
		die "copy"
	printf 'processor\t: 0\nmicrocode\t: %s\nflags\t\t: %s\n' "$3" "$4" > "$S/cpuinfo"
	"$FWKIT" boot verify --root "$S/root" --tables "$S/sys" --tainted "$S/tainted" \
		--kmsg "$S/kmsg" --ledger "$S/ledger.json" --lockdown "$S/lockdown" \
		--cpu "$2" --cpuinfo "$S/cpuinfo" > "$S/out" 2> "$S/err"
	rc=$?
}
ucode_case ucode-applied 0x906a4,0x80 0x43a "fpu sse"
check "microcode applied: exit 0, a <5> kernel log line with the update's SHA-256" \
	sh -c "[ $rc -eq 0 ] && grep -q '^<5>fwkit: microcode intel sig 0x000906a4 pf 0x80 rev 0x43a from initrd kernel/x86/microcode/GenuineIntel.bin applied, sha256 $UPD_SHA' '$S/kmsg'"
check "microcode applied: one ledger record, kind microcode, the update's SHA-256, no taint" \
	python3 -c 'import json,sys
r=[json.loads(l) for l in open(sys.argv[1])]
assert len(r)==1, r
r=r[0]
assert r["kind"]=="microcode" and r["sha256"]==sys.argv[2], r
assert r["source"]=="initrd:/kernel/x86/microcode/GenuineIntel.bin" and r["taint_bit"] is None, r
assert "0x43a" in r["reason"], r' "$S/ledger.json" "$UPD_SHA"
check "microcode applied: the kernel is not tainted" [ "$(cat "$S/tainted")" = 0 ]
"$FWKIT" boot verify --root "$S/root" --tables "$S/sys" --tainted "$S/tainted" --kmsg "$S/kmsg" \
	--ledger "$S/ledger.json" --lockdown "$S/lockdown" --cpu 0x906a4,0x80 --cpuinfo "$S/cpuinfo" \
	> /dev/null 2>&1
check "microcode applied, verified twice: still one ledger record" [ "$(wc -l < "$S/ledger.json")" -eq 1 ]

ucode_case ucode-other-platform 0x906a4,0x40 0xb "fpu"
check "platform 0x40 runs its own update rev 0xb: applied, recorded as pf 0x40" \
	sh -c "[ $rc -eq 0 ] && grep -q '\"identity\":\"intel sig 0x000906a4 pf 0x40 rev 0xb\"' '$S/ledger.json'"

ucode_case ucode-not-applied 0x906a4,0x80 0x42f "fpu sse"
check "microcode not applied on bare metal: exit 1, a <4> line naming both revisions, no record" \
	sh -c "[ $rc -eq 1 ] && grep -q '^<4>fwkit: microcode intel sig 0x000906a4 pf 0x80 rev 0x43a .*NOT applied: the CPU runs revision 0x42f' '$S/kmsg' && [ ! -s '$S/ledger.json' ]"

ucode_case ucode-guest 0x906a4,0x80 0x1 "fpu hypervisor"
check "microcode not applied in a guest: exit 0, a <5> line blaming the hypervisor, no record" \
	sh -c "[ $rc -eq 0 ] && grep -q '^<5>fwkit: .*NOT applied.*hypervisor' '$S/kmsg' && [ ! -s '$S/ledger.json' ]"

ucode_case ucode-newer 0x906a4,0x80 0x500 "fpu"
check "the CPU runs a newer revision: exit 0, 'nothing to load', no record" \
	sh -c "[ $rc -eq 0 ] && grep -q 'newer than the 0x43a' '$S/out' && [ ! -s '$S/ledger.json' ]"

ucode_case ucode-other-cpu 0x306c3 0x28 "fpu"
check "no update for this CPU: exit 0, says so, no record" \
	sh -c "[ $rc -eq 0 ] && grep -q 'has no microcode for this CPU' '$S/out' && [ ! -s '$S/ledger.json' ]"

ucode_case ucode-damaged 0x906a4,0x80 0x43a "fpu"
rm -f "$S/ledger.json" && : > "$S/kmsg"
printf '\001' | dd of="$S/root/kernel/x86/microcode/GenuineIntel.bin" bs=1 seek=5000 conv=notrunc 2>/dev/null
"$FWKIT" boot verify --root "$S/root" --tables "$S/sys" --tainted "$S/tainted" --kmsg "$S/kmsg" \
	--ledger "$S/ledger.json" --lockdown "$S/lockdown" --cpu 0x906a4,0x80 --cpuinfo "$S/cpuinfo" \
	> "$S/out" 2> "$S/err"
rc=$?
check "damaged microcode in the initrd: exit 1, a <4> line naming the checksum, no record" \
	sh -c "[ $rc -eq 1 ] && grep -q '^<4>fwkit: microcode in initrd kernel/x86/microcode/GenuineIntel.bin is damaged at offset 0x10: checksum' '$S/kmsg' && [ ! -s '$S/ledger.json' ]"
expect_exit 2 "boot verify --cpu with a bad value" "$FWKIT" boot verify --cpu nope 2>/dev/null

finish
