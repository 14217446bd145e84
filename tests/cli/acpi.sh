#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/acpi.sh - fwkit acpi info|check|fix|compile|pack as a user drives
# them, on real tables (corpus machine 0025: a Lenovo ThinkPad's DSDT, FACP,
# FACS and 24 SSDTs) and on hand-built RSDP/XSDT/RSDT:
#   - malformed tables, each header field broken in turn (mkbadacpi.py): exit
#     2, one stderr line naming the file, the offset and the field, nothing
#     on stdout; a bad checksum alone is a finding (exit 1) that fix repairs
#   - fix --bump / --oem-revision: only bytes 9 and 24..27 change; no OUT on
#     any failure
#   - info --json against the header bytes (python struct) on every corpus
#     table
#   - check --against a sysfs-like directory, an acpidump text of the same
#     tables and an initrd image: every verdict, reason and warning
#   - compile against iasl -p; iasl's errors as FILE:LINE lines
#   - pack: the newc cpio (GNU cpio, unmkinitramfs), in front of an image
#     with an early microcode cpio and of Debian's real initramfs.
. "$(dirname "$0")/../lib.sh"
need python3 cpio iasl acpidump unmkinitramfs gzip cmp sha256sum diff find
[ "$(id -u)" = 0 ] && need setpriv
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
SHARED=${FWKIT_SHARED:-$FWKIT_ROOT/../shared}
CORPUS="$SHARED/corpus/acpi/linuxhw"
M="$CORPUS/0025"
MC="$SHARED/corpus/microcode/intel"
[ -f "$M/dsdt.dat" ] && [ -f "$M/ssdt24.dat" ] && [ -f "$M/facs.dat" ] ||
	die "$M missing: ../shared must sit beside the repository (or set FWKIT_SHARED)"
set -- "$MC"/[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]
[ -f "$1" ] || die "no Intel microcode files in $MC"
UCODE=$1
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022

# Run a command unable to write where file permissions forbid it, even as
# root (no CAP_DAC_OVERRIDE).
nodac() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set=-dac_override,-dac_read_search,-fowner "$@"
	else
		"$@"
	fi
}
# pyck DESC ARGS... <<'EOF' (python reading sys.argv[1:]): a check.
pyck() {
	_d=$1; shift
	if python3 - "$@" > "$W/py.out" 2>&1; then ok "$_d"
	else notok "$_d"; tail -n 3 "$W/py.out" | sed 's/^/#   /' >&3; fi
}
one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
no_temp_in() { [ -z "$(find "$1" -maxdepth 1 -name '*.fwkit-*')" ]; }

# ============================================================================
# info: malformed tables
# ============================================================================
python3 "$FWKIT_ROOT/tests/cli/mkbadacpi.py" "$W/bad" "$M" > "$W/cases" ||
	die "fixture generator failed"
B="$W/bad"
nmal=0 nsum=0
while read -r kind name field want; do
	field=$(echo "$field" | tr _ ' ')
	f="$B/$name"
	"$FWKIT" acpi info "$f" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$kind" = malformed ]; then
		nmal=$((nmal + 1))
		offok=true
		[ "$want" = - ] || grep -q "offset $want: " "$W/err" || offok=false
		if [ "$rc" -eq 2 ] && one_line "$W/err" && [ ! -s "$W/out" ] &&
		   grep -q "^fwkit: $f: offset [0-9]*: $field: " "$W/err" && $offok; then
			ok "info $name: exit 2, one line naming the file and $field (offset $want)"
		else
			notok "info $name: rc=$rc, want one line naming '$field' at offset $want; stdout $(wc -c < "$W/out") bytes; got: $(cat "$W/err")"
		fi
		"$FWKIT" acpi fix -o "$W/fixed-$name" "$f" > "$W/out" 2> "$W/err"
		rc=$?
		if [ "$rc" -eq 2 ] && one_line "$W/err" && [ ! -e "$W/fixed-$name" ] && no_temp_in "$W"; then
			ok "fix $name: exit 2, one line, no OUT"
		else
			notok "fix $name: rc=$rc, OUT $([ -e "$W/fixed-$name" ] && echo written || echo absent): $(cat "$W/err")"
		fi
	else
		nsum=$((nsum + 1))
		if [ "$rc" -eq 1 ] && [ ! -s "$W/err" ] &&
		   grep -q "checksum 0x[0-9a-f]*: BAD" "$W/out" &&
		   grep -q "the right checksum is $want " "$W/out"; then
			ok "info $name (a $field byte changed): exit 1, BAD checksum, right value $want"
		else
			notok "info $name: rc=$rc, want exit 1 showing the right checksum $want; got: $(cat "$W/out" "$W/err" | tr '\n' '|')"
		fi
		"$FWKIT" acpi fix -o "$W/fixed-$name" "$f" > "$W/out" 2> "$W/err"
		rc=$?
		cmp -l "$f" "$W/fixed-$name" > "$W/cmpl" 2>/dev/null
		# cmp -l: 1-based offset, then the two bytes in octal.
		if [ "$rc" -eq 0 ] && [ "$(awk '{print $1}' "$W/cmpl" | tr '\n' ' ')" = "10 " ] &&
		   [ "$(awk '{print $3}' "$W/cmpl")" = "$(printf '%o' "$want")" ] &&
		   "$FWKIT" acpi info "$W/fixed-$name" > /dev/null; then
			ok "fix $name: exit 0, only byte 9 changed, to $want; info then exits 0"
		else
			notok "fix $name: rc=$rc, differing bytes: $(tr '\n' '|' < "$W/cmpl") $(cat "$W/err")"
		fi
		rm -f "$W/fixed-$name"
	fi
done < "$W/cases"
check "every fixture was exercised ($nmal malformed, $nsum checksum-only)" \
	test "$nmal" -ge 70 -a "$nsum" -ge 15

# One bad file among good ones: the others are still shown, nothing of it.
"$FWKIT" acpi info "$M/ssdt1.dat" "$B/ssdt-len-short.dat" "$M/facp.dat" > "$W/out" 2> "$W/err"
rc=$?
check "info good bad good: exit 2, one stderr line, both good tables on stdout, nothing of the bad" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q '^$M/ssdt1.dat: SSDT' '$W/out' &&
		grep -q '^$M/facp.dat: FACP' '$W/out' && ! grep -q ssdt-len-short '$W/out'"
"$FWKIT" acpi info --json "$M/ssdt1.dat" "$B/rsdp-v2-bad-ext-checksum.dat" "$M/facp.dat" > "$W/j" 2> "$W/err"
rc=$?
pyck "info --json good bad good: exit 2 ($rc), valid JSON with exactly the two good tables" \
	"$W/j" "$rc" "$M" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert sys.argv[2] == "2"
assert [x["file"] for x in j] == [sys.argv[3] + "/ssdt1.dat", sys.argv[3] + "/facp.dat"], j
EOF
"$FWKIT" acpi info --json "$B/ssdt-changed-oem_revision.dat" > "$W/j"
rc=$?
pyck "info --json of a bad checksum: exit 1 ($rc), checksum_ok false, byte_sum non-zero" \
	"$W/j" "$rc" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert sys.argv[2] == "1"
assert j[0]["checksum_ok"] is False and j[0]["byte_sum"] != 0, j
EOF
expect_exit 2 "info of a missing file" "$FWKIT" acpi info "$W/no-such.dat" 2>/dev/null
expect_exit 2 "info of a directory" "$FWKIT" acpi info "$W" 2>/dev/null
expect_exit 2 "info without TABLE" "$FWKIT" acpi info 2>/dev/null
expect_exit 0 "info of a signature the kernel does not take (FPDT) is fine" \
	"$FWKIT" acpi info "$M/fpdt.dat" >/dev/null

# ============================================================================
# info --json: fields against the header bytes
# ============================================================================
PY_HDR="$W/hdr.py"
cat > "$PY_HDR" <<'EOF'
# argv: JSON-FILE TABLE...: every sdt/facs/rsdp object against struct.
import hashlib, json, struct, sys

def same_text(got, raw):
    # Bytes 0x20..0x7e as themselves, control bytes as \u00XX (so the char);
    # others: the char, '?' or U+FFFD, or a surrogate escape of the byte.
    if len(got) != len(raw):
        return False
    for c, b in zip(got, raw):
        if b < 0x80:
            if c != chr(b):
                return False
        elif c not in (chr(b), "?", "\ufffd", chr(0xDC00 + b)):
            return False
    return True

text = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
j = json.loads(text)
files = sys.argv[2:]
assert [x["file"] for x in j] == files, [x["file"] for x in j]
for o, path in zip(j, files):
    d = open(path, "rb").read()
    if d[:8] == b"RSD PTR ":
        assert o["kind"] == "rsdp", o
        assert o["revision"] == d[15] and o["rsdt_address"] == struct.unpack_from("<I", d, 16)[0], o
        assert same_text(o["oem_id"], d[9:15]), o
        if d[15] >= 2:
            assert o["length"] == struct.unpack_from("<I", d, 20)[0] == len(d), o
            assert o["xsdt_address"] == struct.unpack_from("<Q", d, 24)[0], o
        else:
            assert o["length"] == 20 and o["xsdt_address"] == 0, o
        assert o["checksum_ok"] is True, o
        continue
    if d[:4] == b"FACS":
        assert o["kind"] == "facs" and o["length"] == struct.unpack_from("<I", d, 4)[0], o
        assert o["file_size"] == len(d) and o["version"] == d[32], o
        continue
    sig, length, rev, csum, oem, tid, orev, cid, crev = struct.unpack_from("<4sIBB6s8sI4sI", d)
    assert o["kind"] == "sdt", o
    assert same_text(o["signature"], sig), (o["signature"], sig)
    assert o["length"] == length and o["file_size"] == len(d), o
    assert o["revision"] == rev and o["checksum"] == csum, o
    assert o["byte_sum"] == sum(d) & 0xFF, o
    assert o["checksum_ok"] == (sum(d) & 0xFF == 0), o
    assert same_text(o["oem_id"], oem), (o["oem_id"], oem)
    assert same_text(o["oem_table_id"], tid), (o["oem_table_id"], tid)
    assert o["oem_revision"] == orev, o
    assert same_text(o["creator_id"], cid), (o["creator_id"], cid)
    assert o["creator_revision"] == crev, o
    assert o["sha256"] == hashlib.sha256(d).hexdigest(), o
    if sig in (b"RSDT", b"XSDT"):
        w = 4 if sig == b"RSDT" else 8
        want = [int.from_bytes(d[i:i + w], "little") for i in range(36, len(d), w)]
        assert o["entries"] == want, (o["entries"], want)
    else:
        assert "entries" not in o, o
    if sig == b"FACP":
        n = min(length, len(d))
        u32 = lambda at: struct.unpack_from("<I", d, at)[0] if n >= at + 4 else 0
        u64 = lambda at: struct.unpack_from("<Q", d, at)[0] if n >= at + 8 else 0
        assert (o["facs"], o["dsdt"], o["x_facs"], o["x_dsdt"]) == (u32(36), u32(40), u64(132), u64(140)), o
EOF
nmach=0
for mdir in "$CORPUS"/[0-9]*/; do
	mach=$(basename "$mdir")
	nmach=$((nmach + 1))
	"$FWKIT" acpi info --json "$mdir"*.dat > "$W/j" 2> "$W/err"
	rc=$?
	# 0 or 1: some real machines ship tables with a bad checksum.
	pyck "info --json, machine $mach: exit $rc (0 or 1), every field equals the header bytes ($(ls "$mdir" | grep -c '\.dat$') tables)" \
		"$PY_HDR" "$W/j" "$mdir"*.dat <<EOF
import runpy, sys
assert $rc in (0, 1) and not open("$W/err").read(), open("$W/err").read()
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
EOF
done
check "the corpus has 26 machines ($nmach)" test "$nmach" -eq 26
"$FWKIT" acpi info "$CORPUS/0075/oemb.dat" > "$W/out"
rc=$?
check "a real table with a bad checksum (0075 OEMB): exit 1 and the right value" \
	sh -c "[ $rc -eq 1 ] && grep -q 'the right checksum is 0x$(python3 -c "
d = open('$CORPUS/0075/oemb.dat', 'rb').read(); print('%02x' % ((d[9] - sum(d)) & 0xFF))") ' '$W/out'"
"$FWKIT" acpi info --json "$B/good-xsdt.dat" "$B/good-rsdt.dat" "$B/good-rsdp-v1.dat" \
	"$B/good-rsdp-v2.dat" "$B/good-facs.dat" > "$W/j" 2> "$W/err"
rc=$?
pyck "info --json hand-built XSDT, RSDT (entries), RSDP v1, v2 and FACS: exit 0 ($rc), fields match" \
	"$PY_HDR" "$W/j" "$B/good-xsdt.dat" "$B/good-rsdt.dat" "$B/good-rsdp-v1.dat" \
	"$B/good-rsdp-v2.dat" "$B/good-facs.dat" <<EOF
import runpy, sys
assert $rc == 0
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
EOF
"$FWKIT" acpi info "$B/good-rsdp-v2.dat" "$B/good-xsdt.dat" > "$W/out"
check "info text: RSDP revision 2 with both addresses, XSDT entries" \
	sh -c "grep -q 'RSDP (Root System Description Pointer), revision 2, 36 bytes' '$W/out' &&
		grep -q 'RSDT 0x7ffe0000, XSDT 0x000000007ffe0100' '$W/out' &&
		grep -q 'entry 2: 0x000000017ffe3000' '$W/out'"

# Header bytes >= 0x80 must not reach the JSON raw (not UTF-8: parsers
# refuse it).  Real tables have them: 0375's BGRT has OEM ID bytes
# ca 37 7c 49 00 00, 0400's tables have creator ID bytes 84 85 4c 4c.
"$FWKIT" acpi info --json "$CORPUS/0375/bgrt.dat" "$CORPUS/0400/dsdt.dat" > "$W/j" 2>/dev/null
pyck "info --json of tables with non-ASCII OEM/creator bytes (0375 BGRT, 0400 DSDT) is UTF-8 JSON" \
	"$W/j" <<'EOF'
import json, sys
json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
EOF

# ============================================================================
# fix
# ============================================================================
S1="$M/ssdt1.dat"
OREV=$(python3 -c "import struct; print(struct.unpack_from('<I', open('$S1','rb').read(), 24)[0])")
# changed_bytes A B: the 1-based offsets where A and B differ, one line.
changed_bytes() { cmp -l "$1" "$2" | awk '{print $1}' | tr '\n' ' '; }
# Only the OEM revision (bytes 24..27) and the checksum (9) may change.
only_rev_and_sum() {
	for o in $(changed_bytes "$1" "$2"); do
		case $o in 10 | 25 | 26 | 27 | 28) ;; *) return 1 ;; esac
	done
}
# json_rev FILE: the OEM revision info --json reads back, if the sum is ok.
json_rev() {
	"$FWKIT" acpi info --json "$1" | python3 -c "
import json, sys; o = json.load(sys.stdin)[0]
assert o['checksum_ok'] and o['byte_sum'] == 0
print(o['oem_revision'])"
}
"$FWKIT" acpi fix --bump -o "$W/bump.aml" "$S1" > "$W/out" 2> "$W/err"
rc=$?
check "fix --bump: exit 0 ($rc), says 'OEM revision $OREV -> $((OREV + 1))'" \
	sh -c "[ $rc -eq 0 ] && grep -q 'OEM revision $OREV -> $((OREV + 1))' '$W/out'"
check "fix --bump: only bytes 9 and 24..27 differ ($(changed_bytes "$S1" "$W/bump.aml"))" \
	only_rev_and_sum "$S1" "$W/bump.aml"
check "fix --bump: info --json reads OEM revision $((OREV + 1)), checksum ok" \
	test "$(json_rev "$W/bump.aml")" = $((OREV + 1))
check "fix --bump keeps the size" test "$(wc -c < "$W/bump.aml")" -eq "$(wc -c < "$S1")"
for n in 0x12345678 0 4294967295 305419896; do
	rm -f "$W/rev.aml"
	"$FWKIT" acpi fix --oem-revision "$n" -o "$W/rev.aml" "$S1" > /dev/null 2> "$W/err"
	rc=$?
	got=$(json_rev "$W/rev.aml" 2>/dev/null)
	check "fix --oem-revision $n: exit 0 ($rc), info --json reads back $((n)) ($got), checksum ok" \
		test "$rc" -eq 0 -a "$got" = "$((n))"
	check "fix --oem-revision $n: only bytes 9 and 24..27 differ ($(changed_bytes "$S1" "$W/rev.aml"))" \
		only_rev_and_sum "$S1" "$W/rev.aml"
done
"$FWKIT" acpi fix --oem-revision "$OREV" -o "$W/same.aml" "$S1" >/dev/null
check "fix --oem-revision of its own value writes the same bytes" cmp -s "$S1" "$W/same.aml"
"$FWKIT" acpi fix -o "$W/plain.aml" "$S1" >/dev/null
check "fix without an option of a valid table writes the same bytes" cmp -s "$S1" "$W/plain.aml"
"$FWKIT" acpi fix --oem-revision 0xffffffff -o "$W/max.aml" "$S1" >/dev/null || die "fix failed"
"$FWKIT" acpi fix --bump -o "$W/over.aml" "$W/max.aml" > "$W/out" 2> "$W/err"
rc=$?
check "fix --bump of OEM revision 0xffffffff: exit 2, one line naming 'OEM Revision', no OUT" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q 'max.aml: OEM Revision' '$W/err' && [ ! -e '$W/over.aml' ]"
"$FWKIT" acpi fix --bump -o "$W/fixbump.aml" "$B/dsdt-changed-body.dat" >/dev/null
check "fix --bump of a table with a bad checksum: both made right" \
	test "$(json_rev "$W/fixbump.aml")" = 3
expect_exit 2 "fix --oem-revision 4294967296 (too big)" \
	"$FWKIT" acpi fix --oem-revision 4294967296 -o "$W/x.aml" "$S1" 2>/dev/null
expect_exit 2 "fix --oem-revision abc" "$FWKIT" acpi fix --oem-revision abc -o "$W/x.aml" "$S1" 2>/dev/null
expect_exit 2 "fix --bump and --oem-revision together" \
	"$FWKIT" acpi fix --bump --oem-revision 5 -o "$W/x.aml" "$S1" 2>/dev/null
expect_exit 2 "fix without -o" "$FWKIT" acpi fix --bump "$S1" 2>/dev/null
expect_exit 2 "fix of two tables" "$FWKIT" acpi fix --bump -o "$W/x.aml" "$S1" "$S1" 2>/dev/null
check "none of these wrote OUT" test ! -e "$W/x.aml"
"$FWKIT" acpi fix --bump -o "$W/facs.out" "$M/facs.dat" > /dev/null 2> "$W/err"
rc=$?
check "fix of a FACS: exit 2, one line, no OUT" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && [ ! -e '$W/facs.out' ]"
expect_exit 2 "fix of an RSDP" "$FWKIT" acpi fix -o "$W/rsdp.out" "$B/good-rsdp-v2.dat" 2>/dev/null
check "and no OUT" test ! -e "$W/rsdp.out"
mkdir -p "$W/ro" && chmod 555 "$W/ro"
nodac "$FWKIT" acpi fix --bump -o "$W/ro/out.aml" "$S1" > /dev/null 2> "$W/err"
rc=$?
check "fix into an unwritable directory: exit 2, one line naming OUT, nothing in the directory" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q '$W/ro/out.aml' '$W/err' && [ -z \"\$(ls -A '$W/ro')\" ]"
chmod 755 "$W/ro"
expect_exit 2 "fix into a missing directory" "$FWKIT" acpi fix --bump -o "$W/nodir/out.aml" "$S1" 2>/dev/null
mkdir -p "$W/isdir/sub"
"$FWKIT" acpi fix --bump -o "$W/isdir" "$S1" > /dev/null 2>&1
rc=$?
check "fix with OUT an existing directory: exit 2, directory intact, no temp file left" \
	sh -c "[ $rc -eq 2 ] && [ -d '$W/isdir/sub' ] && [ -z \"\$(find '$W' -maxdepth 1 -name 'isdir.fwkit-*')\" ]"
printf 'old contents' > "$W/keep.aml"
"$FWKIT" acpi fix -o "$W/keep.aml" "$B/ssdt-len-short.dat" 2>/dev/null
check "a failed fix leaves an existing OUT untouched" test "$(cat "$W/keep.aml")" = "old contents"

# ============================================================================
# check --against
# ============================================================================
# The target: 0025's tables named as sysfs names them.
TGT="$W/sys"
mkdir -p "$TGT"
cp "$M/dsdt.dat" "$TGT/DSDT" && cp "$M/facp.dat" "$TGT/FACP" && cp "$M/facs.dat" "$TGT/FACS" || die "copy"
i=1
while [ -f "$M/ssdt$i.dat" ]; do cp "$M/ssdt$i.dat" "$TGT/SSDT$i" || die "copy"; i=$((i + 1)); done
NSSDT=$((i - 1))
C="$W/cand"
mkdir -p "$C"
"$FWKIT" acpi fix --bump -o "$C/dsdt-bumped.aml" "$M/dsdt.dat" > /dev/null || die "fix failed"
cp "$M/dsdt.dat" "$C/dsdt-same.aml"
cp "$M/ssdt3.dat" "$C/ssdt3-same.aml"
cp "$B/ssdt-changed-body.dat" "$C/corrupt.aml"
cp "$B/good-rsdt.dat" "$C/rsdt.aml"
python3 - "$C" <<'EOF' || die "candidate generator failed"
import os, struct, sys
c = sys.argv[1]
def sdt(sig, oem, tid, orev, body=b"\x10\x05\\_SB_"):
    h = bytearray(36)
    h[0:4] = sig; struct.pack_into("<I", h, 4, 36 + len(body)); h[8] = 2
    h[10:16] = oem; h[16:24] = tid; struct.pack_into("<I", h, 24, orev)
    h[28:32] = b"INTL"; struct.pack_into("<I", h, 32, 0x20230628)
    b = bytearray(bytes(h) + body); b[9] = (-sum(b)) & 0xFF
    return bytes(b)
def put(n, b):
    open(os.path.join(c, n), "wb").write(b)
put("ssdt-new.aml", sdt(b"SSDT", b"FWKITX", b"TESTTBL1", 1))
put("ssdt-new2.aml", sdt(b"SSDT", b"FWKITX", b"TESTTBL1", 2))
put("xxxx.aml", sdt(b"XXXX", b"FWKITX", b"UNKNOWN1", 1))
put("dyn.aml", sdt(b"SSDT", b"FWKITX", b"DYNTBL01", 7))
put("dyn-fw.dat", sdt(b"SSDT", b"FWKITX", b"DYNTBL01", 7))
put("abcdefghijklm.aml", sdt(b"SSDT", b"FWKITX", b"NAME17CH", 1))   # 17 characters
put("abcdefghijkl.aml", sdt(b"SSDT", b"FWKITX", b"NAME16CH", 1))    # 16 characters
EOF
# plan DESC WANT-EXIT SRC TABLE... <<'EOF' python over j (the --json plan)
plan() {
	_d=$1 _want=$2 _src=$3; shift 3
	"$FWKIT" acpi check --json --against "$_src" "$@" > "$W/plan.json" 2> "$W/plan.err"
	_rc=$?
	cat > "$W/plan.py"
	if [ "$_rc" -eq "$_want" ] && python3 -c "
import json, sys
j = json.load(open('$W/plan.json'))
t = j['tables']
v = [(x['verdict'], x['reason']) for x in t]
exec(open('$W/plan.py').read())
" > "$W/py.out" 2>&1; then
		ok "$_d"
	else
		notok "$_d (exit $_rc, want $_want): $(head -c 300 "$W/plan.err") $(tail -n 2 "$W/py.out" | tr '\n' ' ')"
	fi
}
plan "check: same DSDT with a bumped OEM revision -> override of DSDT (exit 0)" 0 "$TGT" "$C/dsdt-bumped.aml" <<'EOF'
assert v == [("override", "revision-greater")], v
assert t[0]["target"]["name"] == "DSDT" and t[0]["target"]["oem_revision"] == 2, t[0]
assert t[0]["warnings"] == [] and t[0]["oem_revision"] == 3 and t[0]["signature"] == "DSDT", t[0]
assert t[0]["name"] == "dsdt-bumped.aml" and j["lockdown"] is False, j
EOF
"$FWKIT" acpi check --against "$TGT" "$C/dsdt-bumped.aml" > "$W/out"
check "check text: override, 'replaces .../DSDT (OEM revision 2 < 3)'" \
	sh -c "grep -q '^$C/dsdt-bumped.aml: override DSDT LENOVO ICL      rev 3' '$W/out' &&
		grep -q 'replaces $TGT/DSDT (OEM revision 2 < 3)' '$W/out'"
plan "check: unchanged DSDT -> dropped, revision not greater (exit 1)" 1 "$TGT" "$C/dsdt-same.aml" <<'EOF'
assert v == [("dropped", "revision-not-greater")], v
assert t[0]["target"]["name"] == "DSDT", t[0]
EOF
"$FWKIT" acpi check --against "$TGT" "$C/dsdt-same.aml" > "$W/out"
check "check text: the drop says the revision is not greater and to use fix --bump" \
	sh -c "grep -q 'dropped' '$W/out' && grep -q 'not greater' '$W/out' && grep -q 'fix --bump' '$W/out'"
plan "check: unchanged SSDT3 -> dropped, target SSDT3" 1 "$TGT" "$C/ssdt3-same.aml" <<'EOF'
assert v == [("dropped", "revision-not-greater")] and t[0]["target"]["name"] == "SSDT3", t
EOF
plan "check: SSDT with a new OEM table ID -> install (exit 0), no target" 0 "$TGT" "$C/ssdt-new.aml" <<'EOF'
assert v == [("install", "new-ids")] and t[0]["target"] is None and t[0]["warnings"] == [], t
EOF
plan "check: a corrupt checksum -> rejected, bad-checksum (exit 1)" 1 "$TGT" "$C/corrupt.aml" <<'EOF'
assert v == [("rejected", "bad-checksum")] and t[0]["target"] is None, t
EOF
plan "check: unknown signature XXXX, valid checksum -> rejected, unknown-signature" 1 "$TGT" "$C/xxxx.aml" <<'EOF'
assert v == [("rejected", "unknown-signature")], v
EOF
plan "check: FACS candidate -> rejected, unknown-signature" 1 "$TGT" "$M/facs.dat" <<'EOF'
assert v == [("rejected", "unknown-signature")], v
EOF
plan "check: a 35-byte file -> rejected, smaller-than-header" 1 "$TGT" "$B/ssdt-trunc35.dat" <<'EOF'
assert v == [("rejected", "smaller-than-header")], v
EOF
plan "check: Length past the file -> rejected, length-mismatch" 1 "$TGT" "$B/ssdt-len-past-file.dat" <<'EOF'
assert v == [("rejected", "length-mismatch")], v
EOF
plan "check: an RSDT candidate -> dropped, root-table" 1 "$TGT" "$C/rsdt.aml" <<'EOF'
assert v == [("dropped", "root-table")], v
EOF
# dynamic/: a table the firmware loads at run time.
TGTD="$W/sys-dyn"
cp -r "$TGT" "$TGTD" && mkdir -p "$TGTD/dynamic" && cp "$C/dyn-fw.dat" "$TGTD/dynamic/SSDT$((NSSDT + 1))" || die "copy"
plan "check: same IDs as a table in dynamic/ -> install with the dynamic warning (exit 1)" 1 "$TGTD" "$C/dyn.aml" <<'EOF'
assert v == [("install", "new-ids")], v
assert t[0]["warnings"] == ["dynamic"], t[0]
EOF
plan "check: without dynamic/ the same table installs with no warning (exit 0)" 0 "$TGT" "$C/dyn.aml" <<'EOF'
assert v == [("install", "new-ids")] and t[0]["warnings"] == [], t
EOF
plan "check: two candidates with the same IDs both carry same-ids" 0 "$TGT" "$C/ssdt-new.aml" "$C/ssdt-new2.aml" <<'EOF'
assert [x["verdict"] for x in t] == ["install", "install"], v
assert all("same-ids" in x["warnings"] for x in t), t
EOF
plan "check: a bumped DSDT and the unchanged one: override, then install (ACPICA keeps the firmware's)" 1 \
	"$TGT" "$C/dsdt-bumped.aml" "$C/dsdt-same.aml" <<'EOF'
assert v == [("override", "revision-greater"), ("install", "new-ids")], v
assert t[1]["warnings"] == ["same-ids", "installed-singleton"], t[1]
EOF
plan "check --lockdown: everything dropped, reason and warning lockdown (exit 1)" 1 "$TGT" \
	--lockdown "$C/dsdt-bumped.aml" "$C/ssdt-new.aml" <<'EOF'
assert v == [("dropped", "lockdown")] * 2, v
assert all(x["warnings"] == ["lockdown"] for x in t), t
assert j["lockdown"] is True, j
EOF
plan "check --lockdown still rejects what the kernel rejects" 1 "$TGT" --lockdown "$C/corrupt.aml" <<'EOF'
assert v == [("rejected", "bad-checksum")], v
EOF
plan "check: a 17-character name -> long-name warning; 16 -> none" 0 "$TGT" \
	"$C/abcdefghijklm.aml" "$C/abcdefghijkl.aml" <<'EOF'
assert [x["name"] for x in t] == ["abcdefghijklm.aml", "abcdefghijkl.aml"], t
assert t[0]["warnings"] == ["long-name"] and t[1]["warnings"] == [], t
assert v == [("install", "new-ids")] * 2, v
EOF
ALL="$C/dsdt-bumped.aml $C/dsdt-same.aml $C/ssdt3-same.aml $C/ssdt-new.aml $C/corrupt.aml $C/xxxx.aml $C/rsdt.aml $C/abcdefghijklm.aml"
# shellcheck disable=SC2086
plan "check --json: every table has file, name, verdict, reason, reason_text, sha256, target, warnings" 1 \
	"$TGT" $ALL <<'EOF'
import hashlib
for x in t:
    for k in ("file", "name", "verdict", "reason", "reason_text", "sha256", "target", "warnings"):
        assert k in x, (k, x)
    assert x["sha256"] == hashlib.sha256(open(x["file"], "rb").read()).hexdigest(), x
    if x["target"] is not None:
        tt = x["target"]
        assert tt["sha256"] == hashlib.sha256(open(tt["file"], "rb").read()).hexdigest(), tt
assert j["against"].endswith("/sys"), j
EOF
expect_exit 2 "check without --against" "$FWKIT" acpi check "$C/ssdt-new.aml" 2>/dev/null
expect_exit 2 "check without TABLE" "$FWKIT" acpi check --against "$TGT" 2>/dev/null
expect_exit 2 "check --against a missing directory" "$FWKIT" acpi check --against "$W/nosys" "$C/ssdt-new.aml" 2>/dev/null
mkdir -p "$W/emptysys"
expect_exit 2 "check --against a directory without tables" \
	"$FWKIT" acpi check --against "$W/emptysys" "$C/ssdt-new.aml" 2>/dev/null
expect_exit 2 "check --against a file that is not acpidump text" \
	"$FWKIT" acpi check --against "$C/ssdt-new.aml" "$C/ssdt-new.aml" 2>/dev/null
expect_exit 2 "check of a missing TABLE" "$FWKIT" acpi check --against "$TGT" "$W/none.aml" 2>/dev/null

# verdicts FILE: "verdict reason warnings target-sha256" per table, in order.
verdicts() {
	python3 -c "
import json
for x in json.load(open('$1'))['tables']:
    print(x['verdict'], x['reason'], ','.join(x['warnings']) or '-',
          x['target']['sha256'] if x['target'] else '-', x['sha256'])"
}
# shellcheck disable=SC2086
"$FWKIT" acpi check --json --against "$TGT" $ALL > "$W/dir.json"
verdicts "$W/dir.json" > "$W/dir.v" || die "bad plan JSON"

# --- acpidump text of the same tables ---------------------------------------
for t in "$TGT"/*; do acpidump -f "$t" || die "acpidump -f $t failed"; done > "$W/dump.txt" 2> "$W/dump.err"
check "acpidump wrote a text with $(grep -c ' @ 0x' "$W/dump.txt") tables" \
	test "$(grep -c ' @ 0x' "$W/dump.txt")" -eq $((NSSDT + 3))
# shellcheck disable=SC2086
"$FWKIT" acpi check --json --against "$W/dump.txt" $ALL > "$W/dump.json"
verdicts "$W/dump.json" > "$W/dump.v"
check_same "check --against the acpidump text gives the directory's verdicts, reasons, warnings and targets" \
	"$W/dir.v" "$W/dump.v"
# A real machine's acpidump also shows the RSDP and the XSDT: add them (the
# RSDP in acpidump's own layout; acpidump -f does not take one).
{
	cat "$W/dump.txt"
	python3 - "$B/good-rsdp-v2.dat" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
print("RSDP @ 0x00000000000F05B0")
for o in range(0, len(d), 16):
    c = d[o:o + 16]
    print("    %04X: %-48s %s" % (o, " ".join("%02X" % b for b in c),
                                 "".join(chr(b) if 32 <= b < 127 else "." for b in c)))
print()
EOF
	acpidump -f "$B/good-xsdt.dat"
} > "$W/dump-root.txt" 2>/dev/null
# shellcheck disable=SC2086
"$FWKIT" acpi check --json --against "$W/dump-root.txt" $ALL > "$W/dump-root.json"
rc=$?
verdicts "$W/dump-root.json" > "$W/dump-root.v"
check "acpidump text with RSDP and XSDT sections: exit 1 as before ($rc), the same verdicts" \
	sh -c "[ $rc -eq 1 ] && cmp -s '$W/dir.v' '$W/dump-root.v'"
sed 's/$/\r/' "$W/dump.txt" > "$W/dump-crlf.txt"
# shellcheck disable=SC2086
"$FWKIT" acpi check --json --against "$W/dump-crlf.txt" $ALL > "$W/dump-crlf.json"
verdicts "$W/dump-crlf.json" > "$W/dump-crlf.v"
check_same "an acpidump text with CRLF line ends gives the same verdicts" "$W/dir.v" "$W/dump-crlf.v"
# Corrupted acpidump texts: exit 2, one line naming the file and the byte
# offset, which lies within the line that is wrong.
python3 - "$W/dump.txt" "$W" > "$W/dumpcases" <<'EOF' || die "dump corrupter failed"
import re, sys
text = open(sys.argv[1]).read()
lines = text.split("\n")
starts, at = [], 0
for l in lines:
    starts.append(at)
    at += len(l) + 1
def save(name, ls, i, exact):
    open("%s/%s" % (sys.argv[2], name), "w").write("\n".join(ls))
    print(name, starts[i], starts[i] + len(ls[i]), exact)
# a table's 3rd data line: its 5th byte's first digit becomes 'G'
i = next(k for k, l in enumerate(lines) if re.match(r"\s*0020: ", l) and k > 200)
m = re.match(r"\s*[0-9A-F]+: ", lines[i])
p = m.end() + 4 * 3
ls = list(lines); ls[i] = ls[i][:p] + "G" + ls[i][p + 1:]
save("dump-badhex.txt", ls, i, starts[i] + p)
# an offset that jumps
ls = list(lines); ls[i] = ls[i].replace("0020:", "0030:", 1)
save("dump-jump.txt", ls, i, "-")
# a data line dropped: the offset of the next one no longer follows
ls = list(lines); del ls[i]
save("dump-gap.txt", ls, i, "-")
# a byte that is one digit (its second one a blank)
ls = list(lines); ls[i] = ls[i][:p + 1] + " " + ls[i][p + 2:]
save("dump-onedigit.txt", ls, i, starts[i] + p)
EOF
while read -r name lo hi exact; do
	"$FWKIT" acpi check --against "$W/$name" "$C/ssdt-new.aml" > "$W/out" 2> "$W/err"
	rc=$?
	off=$(sed -n "s|^fwkit: $W/$name: offset \([0-9]*\): line: .*|\1|p" "$W/err")
	if [ "$rc" -eq 2 ] && one_line "$W/err" && [ -n "$off" ] && [ "$off" -ge "$lo" ] &&
	   [ "$off" -le "$hi" ] && { [ "$exact" = - ] || [ "$off" -eq "$exact" ]; } && [ ! -s "$W/out" ]; then
		ok "check --against $name: exit 2, one line naming byte offset $off (the line spans $lo..$hi)"
	else
		notok "check --against $name: rc=$rc, want an offset in $lo..$hi${exact#-}; got: $(cat "$W/err")"
	fi
done < "$W/dumpcases"
check "four corrupted acpidump texts were tried" test "$(wc -l < "$W/dumpcases")" -eq 4

# The same for check --json: 0375's BGRT OEM ID (ca 37 7c 49 00 00).
"$FWKIT" acpi check --json --against "$TGT" "$CORPUS/0375/bgrt.dat" > "$W/j" 2>/dev/null
pyck "check --json of a table with non-ASCII OEM ID bytes (0375 BGRT) is UTF-8 JSON" "$W/j" <<'EOF'
import json, sys
json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
EOF

# --- an initrd image as TABLE ---------------------------------------------------
"$FWKIT" acpi pack -o "$W/two.img" "$C/dsdt-bumped.aml" "$C/dsdt-same.aml" > /dev/null ||
	die "pack of two tables failed"
"$FWKIT" acpi check --json --against "$TGT" "$C/dsdt-bumped.aml" "$C/dsdt-same.aml" > "$W/files.json"
rcf=$?
"$FWKIT" acpi check --json --against "$TGT" "$W/two.img" > "$W/img.json"
rci=$?
verdicts "$W/files.json" > "$W/files.v"
verdicts "$W/img.json" > "$W/img.v"
check "check of the packed image exits as for the two files ($rci, $rcf)" test "$rci" -eq "$rcf"
check_same "check of the packed image: the two files' verdicts, reasons, warnings and targets" \
	"$W/files.v" "$W/img.v"
pyck "the image's tables are named IMAGE:kernel/firmware/acpi/NAME" "$W/img.json" "$W/two.img" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["tables"]
img = sys.argv[2]
assert [x["file"] for x in t] == [img + ":kernel/firmware/acpi/dsdt-bumped.aml",
                                  img + ":kernel/firmware/acpi/dsdt-same.aml"], t
assert [x["name"] for x in t] == ["dsdt-bumped.aml", "dsdt-same.aml"], t
EOF
"$FWKIT" initrd build -o "$W/notables.img" a="$C/ssdt-new.aml" >/dev/null || die "initrd build failed"
expect_exit 2 "check of an image without kernel/firmware/acpi/ files" \
	"$FWKIT" acpi check --against "$TGT" "$W/notables.img" 2>/dev/null

# ============================================================================
# compile
# ============================================================================
mkdir -p "$W/asl"
cat > "$W/asl/good.dsl" <<'EOF'
DefinitionBlock ("", "SSDT", 2, "FWKITX", "TESTTBL3", 0x00000001)
{
    External (\_SB_, DeviceObj)
    Scope (\_SB)
    {
        Device (FWK0)
        {
            Name (_HID, "FWK0001")
            Name (_UID, One)
            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }
        }
    }
}
EOF
(cd "$W/asl" && iasl -p "$W/asl/ref" good.dsl > "$W/asl/iasl.log" 2>&1) || die "iasl -p failed: $(tail -n 3 "$W/asl/iasl.log")"
"$FWKIT" acpi compile -o "$W/asl/good.aml" "$W/asl/good.dsl" > "$W/out" 2> "$W/err"
rc=$?
check "compile good.dsl: exit 0 ($rc: $(cat "$W/err"))" test "$rc" -eq 0
check "compile writes exactly iasl -p's bytes" cmp -s "$W/asl/ref.aml" "$W/asl/good.aml"
check "compile output is a valid SSDT" "$FWKIT" acpi info "$W/asl/good.aml" > /dev/null
# A syntax error on line 8 (a missing comma), a semantic one on line 6.
sed 's/Name (_HID, "FWK0001")/Name (_HID "FWK0001")/' "$W/asl/good.dsl" > "$W/asl/syntax.dsl"
cat > "$W/asl/semantic.dsl" <<'EOF'
DefinitionBlock ("", "SSDT", 2, "FWKITX", "TESTTBL4", 0x00000001)
{
    Method (\FWKM, 0, NotSerialized)
    {
        Local0 = One
        Store (\UNDF, Local0)
        Return (Local0)
    }
}
EOF
for c in syntax:8 semantic:6; do
	n=${c%:*} line=${c#*:}
	"$FWKIT" acpi compile -o "$W/asl/$n.aml" "$W/asl/$n.dsl" > "$W/out" 2> "$W/err"
	rc=$?
	check "compile $n.dsl: exit 2 ($rc), 'FILE:$line: iasl error NNNN - ...', no OUT" \
		sh -c "[ $rc -eq 2 ] && grep -Eq '^fwkit: $W/asl/$n.dsl:$line: iasl error [0-9]{4} - .+' '$W/err' &&
			[ ! -e '$W/asl/$n.aml' ]"
	check "compile $n.dsl: every iasl error line names line $line only" \
		sh -c "[ \$(grep -c 'iasl error' '$W/err') -ge 1 ] && ! grep 'iasl error' '$W/err' | grep -vq ':$line: iasl error'"
done
check "compile leaves no iasl output beside the source" \
	test -z "$(find "$W/asl" -name '*.aml' ! -name ref.aml ! -name good.aml)"
"$FWKIT" acpi compile -o "$W/asl/missing.aml" "$W/asl/missing.dsl" > /dev/null 2> "$W/err"
rc=$?
check "compile of a missing file: exit 2, one line naming it, no OUT" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q 'missing.dsl' '$W/err' && [ ! -e '$W/asl/missing.aml' ]"
FWKIT_IASL="$W/no-such-iasl" "$FWKIT" acpi compile -o "$W/asl/noiasl.aml" "$W/asl/good.dsl" > /dev/null 2> "$W/err"
rc=$?
check "compile without iasl: exit 2, says how to get it, no OUT" \
	sh -c "[ $rc -eq 2 ] && grep -q 'acpica-tools' '$W/err' && [ ! -e '$W/asl/noiasl.aml' ]"
expect_exit 2 "compile without -o" "$FWKIT" acpi compile "$W/asl/good.dsl" 2>/dev/null

# ============================================================================
# pack
# ============================================================================
P="$W/pack"
mkdir -p "$P"
T1="$C/dsdt-bumped.aml" T2="$C/ssdt-new.aml"
"$FWKIT" acpi pack -o "$P/tables.cpio" "$T1" "$T2" > "$W/out" 2> "$W/err"
rc=$?
check "pack two tables: exit 0 ($rc: $(cat "$W/err"))" test "$rc" -eq 0
check "the output starts with the newc magic 070701" test "$(head -c 6 "$P/tables.cpio")" = 070701
cpio -t < "$P/tables.cpio" 2>/dev/null | LC_ALL=C sort > "$W/names"
printf '%s\n' kernel kernel/firmware kernel/firmware/acpi kernel/firmware/acpi/dsdt-bumped.aml \
	kernel/firmware/acpi/ssdt-new.aml | LC_ALL=C sort > "$W/want"
check_same "cpio -t lists exactly kernel/firmware/acpi/<names> and the parent dirs" "$W/want" "$W/names"
mkdir -p "$P/x" && (cd "$P/x" && cpio -id --quiet < "$P/tables.cpio") || die "cpio -i failed"
check "cpio extracts the DSDT byte for byte" cmp -s "$T1" "$P/x/kernel/firmware/acpi/dsdt-bumped.aml"
check "cpio extracts the SSDT byte for byte" cmp -s "$T2" "$P/x/kernel/firmware/acpi/ssdt-new.aml"
"$FWKIT" initrd ls --json "$P/tables.cpio" > "$W/ls.json"
pyck "initrd ls: one segment, an uncompressed cpio" "$W/ls.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["segments"]
assert [x["format"] for x in s] == ["cpio"], s
EOF

# --- in front of an image with an early microcode cpio and a gzip segment
mkdir -p "$P/root/etc" "$P/root/usr/lib/firmware" || die "mkdir"
echo "fwkit main image" > "$P/root/etc/motd"
head -c 5000 "$UCODE" > "$P/root/usr/lib/firmware/blob.bin"
"$FWKIT" initrd build -o "$P/main.img" --compress gzip "$P/root" > /dev/null || die "initrd build failed"
"$FWKIT" initrd prepend -o "$P/ucode.img" "$P/main.img" \
	kernel/x86/microcode/GenuineIntel.bin="$UCODE" > /dev/null || die "initrd prepend failed"
"$FWKIT" acpi pack -o "$P/full.img" --initrd "$P/ucode.img" "$T1" "$T2" > "$W/out" 2> "$W/err"
rc=$?
check "pack --initrd over microcode + gzip: exit 0 ($rc: $(cat "$W/err"))" test "$rc" -eq 0
"$FWKIT" initrd ls --json "$P/full.img" > "$W/ls.json"
pyck "initrd ls: the ACPI cpio first, then the microcode cpio, then the gzip segment" "$W/ls.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["segments"]
assert [x["format"] for x in s] == ["cpio", "cpio", "gzip"], [x["format"] for x in s]
n0 = [e["name"] for e in s[0]["entries"]]
n1 = [e["name"] for e in s[1]["entries"]]
assert "kernel/firmware/acpi/dsdt-bumped.aml" in n0 and "kernel/firmware/acpi/ssdt-new.aml" in n0, n0
assert not any("microcode" in n for n in n0), n0
assert "kernel/x86/microcode/GenuineIntel.bin" in n1, n1
assert not any("acpi" in n for n in n1), n1
EOF
off=$(python3 -c "import json; print(json.load(open('$W/ls.json'))['segments'][1]['offset'])")
check "the bytes after the ACPI cpio (from offset $off) are exactly the original image" \
	sh -c "tail -c +$((off + 1)) '$P/full.img' | cmp -s - '$P/ucode.img'"
check "only NUL padding between the ACPI cpio's trailer and the image" python3 -c "
import json
s = json.load(open('$W/ls.json'))['segments']
d = open('$P/full.img', 'rb').read()
assert set(d[s[0]['length']:s[1]['offset']]) <= {0}
"
rm -rf "$P/un"
unmkinitramfs "$P/full.img" "$P/un" > "$W/unmk.log" 2>&1
rc=$?
check "unmkinitramfs takes it ($rc), three parts: early early2 main ($(ls "$P/un" 2>/dev/null | tr '\n' ' '))" \
	sh -c "[ $rc -eq 0 ] && [ \"\$(ls '$P/un' | tr '\n' ' ')\" = 'early early2 main ' ]"
check "unmkinitramfs extracts the DSDT with identical bytes" cmp -s "$T1" "$P/un/early/kernel/firmware/acpi/dsdt-bumped.aml"
check "unmkinitramfs extracts the SSDT with identical bytes" cmp -s "$T2" "$P/un/early/kernel/firmware/acpi/ssdt-new.aml"
check "unmkinitramfs extracts the microcode with identical bytes" \
	cmp -s "$UCODE" "$P/un/early2/kernel/x86/microcode/GenuineIntel.bin"
check "unmkinitramfs extracts the main image unchanged" diff -r "$P/root" "$P/un/main"

# --- refusals: nothing written ----------------------------------------------------
pack_refused() { # DESC WANT-EXIT ARGS...: exit WANT, one line at least, no OUT
	_d=$1 _w=$2; shift 2
	rm -f "$P/no.img"
	"$FWKIT" acpi pack -o "$P/no.img" "$@" > "$W/out" 2> "$W/err"
	_rc=$?
	if [ "$_rc" -eq "$_w" ] && [ -s "$W/err" ] && [ ! -e "$P/no.img" ] && no_temp_in "$P"; then
		ok "$_d: exit $_w, nothing written"
	else
		notok "$_d: exit $_rc (want $_w), OUT $([ -e "$P/no.img" ] && echo written || echo absent): $(head -c 300 "$W/err")"
	fi
}
pack_refused "pack of a table with a bad checksum" 2 "$T1" "$C/corrupt.aml"
check "the refusal names the table and the checksum" \
	sh -c "grep -q 'corrupt.aml' '$W/err' && grep -q 'Checksum' '$W/err'"
pack_refused "pack of an unknown signature" 2 "$C/xxxx.aml"
pack_refused "pack of a truncated table" 2 "$B/dsdt-trunc35.dat"
mkdir -p "$P/a" "$P/b" && cp "$T2" "$P/a/same.aml" && cp "$C/ssdt-new2.aml" "$P/b/same.aml"
pack_refused "pack of two tables with the same basename" 2 "$P/a/same.aml" "$P/b/same.aml"
check "that refusal is one line naming the name" \
	sh -c "[ \$(wc -l < '$W/err') -eq 1 ] && grep -q 'same.aml' '$W/err'"
pack_refused "pack --against with a table the kernel drops (unchanged DSDT)" 1 \
	--against "$TGT" "$T2" "$C/dsdt-same.aml"
pack_refused "pack --against --lockdown" 1 --against "$TGT" --lockdown "$T1"
pack_refused "pack --initrd of a missing image" 2 --initrd "$P/none.img" "$T1"
{ cat "$P/tables.cpio"; head -c 200 "$P/tables.cpio"; } > "$P/brokenfront.img" || die "cannot make a broken image"
pack_refused "pack --initrd of an image whose second cpio is cut short" 2 --initrd "$P/brokenfront.img" "$T2"
pack_refused "pack of a missing table" 2 "$T1" "$W/none.aml"
pack_refused "pack without TABLE" 2
mkdir -p "$P/ro" && chmod 555 "$P/ro"
nodac "$FWKIT" acpi pack -o "$P/ro/out.img" "$T1" > /dev/null 2> "$W/err"
rc=$?
check "pack into an unwritable directory: exit 2, nothing in it" \
	sh -c "[ $rc -eq 2 ] && [ -z \"\$(ls -A '$P/ro')\" ]"
chmod 755 "$P/ro"
"$FWKIT" acpi pack -o "$P/forced.img" --against "$TGT" --force "$T2" "$C/dsdt-same.aml" > "$W/out" 2> "$W/err"
rc=$?
check "pack --against --force writes it anyway (exit $rc)" \
	sh -c "[ $rc -ne 2 ] && cpio -t < '$P/forced.img' 2>/dev/null | grep -qx kernel/firmware/acpi/dsdt-same.aml"
check "and still shows the plan with the drop" grep -q 'dropped' "$W/out"
"$FWKIT" acpi pack -o "$P/ok.img" --against "$TGT" "$T1" "$T2" > "$W/out" 2> "$W/err"
rc=$?
check "pack --against with an override and an install: exit 0 ($rc), written" \
	sh -c "[ $rc -eq 0 ] && [ -s '$P/ok.img' ] && grep -q override '$W/out' && grep -q install '$W/out'"
"$FWKIT" acpi pack -o "$P/long.img" "$C/abcdefghijklm.aml" > /dev/null 2> "$W/err"
rc=$?
check "pack of a 17-character name: exit 0 ($rc), one warning line naming the file" \
	sh -c "[ $rc -eq 0 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q 'abcdefghijklm.aml: warning' '$W/err'"
"$FWKIT" acpi pack -o "$P/short.img" "$C/abcdefghijkl.aml" > /dev/null 2> "$W/err"
check "pack of a 16-character name: no warning" test ! -s "$W/err"

# An initrd image given as TABLE is refused before anything is read from it
# (its tables would otherwise be packed from the wrong files).
"$FWKIT" acpi pack -o "$P/one.img" "$T2" > /dev/null || die "pack failed"
pack_refused "pack of an initrd image (with two tables) as TABLE" 2 "$P/tables.cpio"
check "the refusal says it takes table files, not an initrd" grep -q 'not an initrd' "$W/err"
pack_refused "pack of an initrd image (with one table) as TABLE, then a table" 2 "$P/one.img" "$T1"

# --- an image that already carries tables
"$FWKIT" acpi pack -o "$P/again.img" --initrd "$P/tables.cpio" "$C/abcdefghijkl.aml" > /dev/null 2> "$W/err"
rc=$?
check "pack --initrd over an image with tables: exit 0 ($rc), one note that it carries 2" \
	sh -c "[ $rc -eq 0 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q 'already carries 2 table' '$W/err'"
"$FWKIT" acpi check --json --against "$TGT" "$P/again.img" > "$W/j"
pyck "check of it sees the three tables, ours first" "$W/j" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["tables"]
assert [x["name"] for x in t] == ["abcdefghijkl.aml", "dsdt-bumped.aml", "ssdt-new.aml"], t
EOF

# --- reproducible output ----------------------------------------------------------
SOURCE_DATE_EPOCH=1700000000 "$FWKIT" acpi pack -o "$P/r1.img" --initrd "$P/ucode.img" "$T1" "$T2" > /dev/null
cp "$T1" "$P/dsdt-bumped.aml" && cp "$T2" "$P/ssdt-new.aml" && touch -d '2001-01-01' "$P/dsdt-bumped.aml" || die "copy"
SOURCE_DATE_EPOCH=1700000000 "$FWKIT" acpi pack -o "$P/r2.img" --initrd "$P/ucode.img" "$P/dsdt-bumped.aml" "$P/ssdt-new.aml" > /dev/null
check "SOURCE_DATE_EPOCH: two runs (other paths, other mtimes) are byte-identical" cmp -s "$P/r1.img" "$P/r2.img"
"$FWKIT" initrd ls --json "$P/r1.img" > "$W/ls.json"
pyck "every entry of the ACPI cpio has mtime SOURCE_DATE_EPOCH" "$W/ls.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["segments"][0]
assert s["entries"] and all(e["mtime"] == 1700000000 for e in s["entries"]), s["entries"]
EOF
# A SOURCE_DATE_EPOCH that is not a time in seconds is named, as
# `fwkit initrd build` does (tests/cli/initrd.sh).
SOURCE_DATE_EPOCH=yesterday "$FWKIT" acpi pack -o "$P/r3.img" "$T1" > /dev/null 2> "$W/err"
rc=$?
check "a bad SOURCE_DATE_EPOCH is refused or named, never silently used ($rc)" \
	sh -c "[ $rc -eq 2 ] && [ ! -e '$P/r3.img' ] || grep -q SOURCE_DATE_EPOCH '$W/err'"

# --- Debian's real multi-segment initramfs ------------------------------------------
DEB="$FWKIT_CACHE/multi-segment-initramfs.img"
if [ ! -s "$DEB" ]; then
	echo "# $DEB absent: building it with tests/real/debian-initramfs.sh"
	sh "$FWKIT_ROOT/tests/real/debian-initramfs.sh" > "$W/debian.log" 2>&1
	[ -s "$DEB" ] || { sed 's/^/# /' "$W/debian.log" | tail -n 10; die "no $DEB: tests/real/debian-initramfs.sh could not make it"; }
fi
unmkinitramfs "$DEB" "$P/deb-before" > "$W/unmk.log" 2>&1 || die "unmkinitramfs of $DEB failed: $(head -n 3 "$W/unmk.log")"
"$FWKIT" acpi pack -o "$P/deb.img" --initrd "$DEB" "$T1" > /dev/null 2> "$W/err"
rc=$?
check "pack in front of Debian's initramfs: exit 0 ($rc: $(cat "$W/err"))" test "$rc" -eq 0
unmkinitramfs "$P/deb.img" "$P/deb-after" > "$W/unmk.log" 2>&1
rc=$?
check "unmkinitramfs takes the result ($rc)" test "$rc" -eq 0
nb=$(ls "$P/deb-before" | wc -l) na=$(ls "$P/deb-after" | wc -l)
check "one more part than before ($nb before, $na after)" test "$na" -eq $((nb + 1))
segdir() { # INDEX COUNT: unmkinitramfs's directory name
	if [ "$1" -eq $(($2 - 1)) ]; then echo main
	elif [ "$1" -eq 0 ]; then echo early
	else echo "early$(($1 + 1))"; fi
}
check "the first part holds exactly our table, identical" \
	sh -c "cmp -s '$T1' '$P/deb-after/early/kernel/firmware/acpi/dsdt-bumped.aml' &&
		[ \"\$(cd '$P/deb-after/early' && find . -type f)\" = ./kernel/firmware/acpi/dsdt-bumped.aml ]"
i=0
while [ "$i" -lt "$nb" ]; do
	b=$(segdir "$i" "$nb") a=$(segdir $((i + 1)) "$na")
	if diff -r --no-dereference "$P/deb-before/$b" "$P/deb-after/$a" > "$W/diff" 2>&1; then
		ok "Debian part $b extracts unchanged as $a ($(find "$P/deb-before/$b" | wc -l) paths)"
	else
		notok "Debian part $b extracts unchanged as $a"; head -n 5 "$W/diff" | sed 's/^/#   /' >&3
	fi
	i=$((i + 1))
done
"$FWKIT" initrd ls --json "$P/deb.img" > "$W/ls.json"
off=$(python3 -c "import json; print(json.load(open('$W/ls.json'))['segments'][1]['offset'])")
check "the Debian image follows our cpio byte for byte (from offset $off)" \
	sh -c "tail -c +$((off + 1)) '$P/deb.img' | cmp -s - '$DEB'"
rm -rf "$P/deb-before" "$P/deb-after" "$P/deb.img"

# --- usage ----------------------------------------------------------------------
expect_exit 2 "unknown acpi command" "$FWKIT" acpi frob 2>/dev/null
expect_exit 2 "acpi without a command" "$FWKIT" acpi 2>/dev/null
expect_exit 0 "acpi --help" "$FWKIT" acpi --help >/dev/null
expect_exit 0 "acpi pack --help" "$FWKIT" acpi pack --help >/dev/null

finish
