#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/boot-scan.sh - fwkit boot scan as a user drives it, over module
# files built at test time from real inputs: a corpus ACPI table, one iasl
# compiles, corpus Intel microcode, a cpio from `fwkit initrd build` holding
# microcode and a table, a base tree and an overlay from dtc, an fwb from
# `fwkit blob pack`, a gzip file, /bin/true as a kernel, seeded noise:
#   - each module's kind and verdict in the text and in --json (parsed by
#     python3), module lines against wc -c and sha256sum, the step order,
#     the summary line against the JSON totals, the taint mask, exit 0
#   - the CMDLINE rules: the default (the argument itself), FILE:CMDLINE,
#     FILE: (empty), a path containing ':', a prefix that is a directory,
#     fwkit=ignore, fwkit=acpi-table on a DTB (rejected, exit 1), too long
#   - a damaged table (checksum) rejected with a line naming it, the other
#     modules still handed on; a report longer than the first buffer
#   - an unreadable file, a directory, bad usage: exit 2, one line, no
#     report; --help
#   - a dry run: HOME, TMPDIR, the cwd, /run/fwkit and the taint mask are
#     left as they were.
. "$(dirname "$0")/../lib.sh"
need python3 iasl dtc gzip sha256sum cmp head cut find sort wc
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
ACPI=/work/shared/corpus/acpi/linuxhw/0025/dsdt.dat
UCODE=/work/shared/corpus/microcode/intel/06-55-04
[ -f "$ACPI" ] || die "$ACPI missing (the real ACPI corpus)"
[ -f "$UCODE" ] || die "$UCODE missing (the real microcode corpus)"
[ -x /bin/true ] || die "/bin/true missing"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022

one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
size_of() { wc -c < "$1" | tr -d ' '; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
# pyck DESC ARGS... <<'EOF' (python reading sys.argv[1:]): a check.
pyck() {
	_d=$1; shift
	if python3 - "$@" > "$W/py.out" 2>&1; then ok "$_d"
	else notok "$_d"; tail -n 3 "$W/py.out" | sed 's/^/#   /' >&3; fi
}
# scan OUT ERR ARGS...: run fwkit boot scan in $M; sets rc.
scan() {
	_o=$1 _e=$2; shift 2
	(cd "$M" && exec "$FWKIT" boot scan "$@") > "$_o" 2> "$_e"
	rc=$?
}

# ============================================================================
# the modules
# ============================================================================
M="$W/m"
mkdir -p "$M" "$W/src"
cp "$ACPI" "$M/dsdt.aml" || die "cp"
"$FWKIT" acpi info "$M/dsdt.aml" > /dev/null 2>&1 || die "$ACPI is not a good table any more"
cat > "$W/src/ssdt.dsl" <<'EOF'
DefinitionBlock ("", "SSDT", 2, "FWKIT", "SCANTEST", 0x00000001)
{
    Name (FWKS, 0x2A)
    Method (FWKM, 1) { Return (Arg0) }
}
EOF
(cd "$W/src" && iasl -p "$M/ssdt" ssdt.dsl > "$W/src/iasl.log" 2>&1) ||
	die "iasl failed: $(tail -n 3 "$W/src/iasl.log")"
[ -f "$M/ssdt.aml" ] || die "iasl wrote no ssdt.aml"
cp "$UCODE" "$M/intel.bin" || die "cp"
"$FWKIT" initrd build -o "$M/early.cpio" kernel/x86/microcode/GenuineIntel.bin="$UCODE" \
	kernel/firmware/acpi/x.aml="$M/ssdt.aml" > /dev/null || die "initrd build failed"
cat > "$W/src/base.dts" <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		uart0: serial@1000 {
			reg = <0x1000 0x100>;
			status = "disabled";
		};
	};
};
EOF
cat > "$W/src/overlay.dts" <<'EOF'
/dts-v1/;
/plugin/;
&uart0 {
	status = "okay";
};
&{/} {
	fwkit-scan {
		mark = "overlay";
	};
};
EOF
dtc -q -@ -I dts -O dtb -o "$M/base.dtb" "$W/src/base.dts" || die "dtc base"
dtc -q -@ -I dts -O dtb -o "$M/overlay.dtbo" "$W/src/overlay.dts" || die "dtc overlay"
head -c 3000 "$UCODE" > "$W/src/payload.bin" || die "payload"
"$FWKIT" blob pack --target vendor,example-pmic --type pmic --version 3 -o "$M/pmic.fwb" \
	"$W/src/payload.bin" > /dev/null || die "blob pack failed"
gzip -n -9 -c "$M/early.cpio" > "$M/initrd.gz" || die "gzip"
python3 -c 'import random, sys; sys.stdout.buffer.write(bytes([0x5a]) + random.Random(7).randbytes(4095))' \
	> "$M/noise.bin" || die "noise"
ALL="dsdt.aml ssdt.aml intel.bin early.cpio base.dtb overlay.dtbo pmic.fwb initrd.gz /bin/true noise.bin"
# name kind verdict items taint_bit (- for null), in module order
cat > "$W/expect" <<'EOF'
dsdt.aml acpi-table applied 0 8
ssdt.aml acpi-table applied 0 8
intel.bin ucode-intel applied 0 -
early.cpio cpio passed 2 8
base.dtb dtb passed 0 -
overlay.dtbo dt-overlay applied 0 -
pmic.fwb fwb applied 0 -
initrd.gz compressed passed 0 -
/bin/true kernel passed 0 -
noise.bin unknown ignored 0 -
EOF

# Checks of one report against an expect file: the module lines (sizes,
# digests), a step line per module naming its verdict, the summary line.
cat > "$W/textck.py" <<'EOF'
import hashlib, os, re, sys
text, expect, mdir = open(sys.argv[1], encoding="utf-8", errors="replace").read(), sys.argv[2], sys.argv[3]
files = sys.argv[4:]
rows = [l.split() for l in open(expect) if l.strip()]
assert text.endswith("\n"), "no final newline"
lines = text.split("\n")[:-1]
assert lines[0] == "fwkit boot report: %d modules" % len(rows), lines[0]
for i, (name, kind, verdict, items, bit) in enumerate(rows):
    path = files[i] if files[i].startswith("/") else os.path.join(mdir, files[i])
    data = open(path, "rb").read()
    want = "module %d %s: %s, %d bytes, sha256 %s: " % (i, name, kind, len(data),
                                                       hashlib.sha256(data).hexdigest()[:16])
    got = [l for l in lines if l.startswith("module %d " % i)]
    assert len(got) == 1 and got[0].startswith(want) and len(got[0]) > len(want), (want, got)
    # A later line about this module names its verdict.
    steps = [l for l in lines if not l.startswith(("module ", "summary: ", "fwkit boot report"))
             and re.search(r"(^|\s)%s(\s|:|$)" % re.escape(name), l)]
    assert any(verdict in l for l in steps), (name, verdict, steps)
m = re.fullmatch(r"summary: (\d+) applied, (\d+) passed, (\d+) rejected, (\d+) failed, "
                 r"(\d+) no handler, (\d+) ignored; taint (0x[0-9a-f]+).*", lines[-1])
assert m, lines[-1]
EOF
# The JSON document against the expect file and the files.
cat > "$W/jsonck.py" <<'EOF'
import hashlib, json, os, re, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().split("\n")
rows = [l.split() for l in open(sys.argv[3]) if l.strip()]
mdir, files = sys.argv[4], sys.argv[5:]
assert sorted(doc) == ["modules", "summary", "taint_mask"], sorted(doc)
mods = doc["modules"]
assert len(mods) == len(rows), len(mods)
keys = {"index", "name", "file", "cmdline", "size", "kind", "valid", "verdict", "reason",
        "sha256", "items", "taint_bit"}
mask = 0
for i, (m, (name, kind, verdict, items, bit)) in enumerate(zip(mods, rows)):
    assert set(m) == keys, set(m) ^ keys
    path = files[i] if files[i].startswith("/") else os.path.join(mdir, files[i])
    data = open(path, "rb").read()
    assert m["index"] == i and m["name"] == name and m["file"] == files[i], m
    assert m["cmdline"] == files[i], m
    assert m["kind"] == kind and m["verdict"] == verdict, (name, m["kind"], m["verdict"])
    assert m["sha256"] == hashlib.sha256(data).hexdigest() and m["size"] == len(data), m
    assert m["items"] == int(items), (name, m["items"])
    assert m["taint_bit"] == (None if bit == "-" else int(bit)), (name, m["taint_bit"])
    assert m["valid"] is (verdict != "ignored"), (name, m["valid"])
    assert m["reason"] and "\n" not in m["reason"], m
    if m["taint_bit"] is not None:
        mask |= 1 << m["taint_bit"]
    # The text's module line carries the same reason.
    assert any(l.startswith("module %d %s: %s, " % (i, name, kind)) and l.endswith(": " + m["reason"])
               for l in text), (i, m["reason"])
assert doc["taint_mask"] == mask, (doc["taint_mask"], mask)
s = doc["summary"]
assert list(s) == ["applied", "passed", "rejected", "failed", "no_handler", "ignored"], list(s)
summary = [l for l in text if l.startswith("summary: ")]
assert len(summary) == 1, summary
want = "summary: %d applied, %d passed, %d rejected, %d failed, %d no handler, %d ignored; taint 0x%x" % (
    s["applied"], s["passed"], s["rejected"], s["failed"], s["no_handler"], s["ignored"], mask)
assert summary[0].startswith(want), (summary[0], want)
EOF

# ============================================================================
# 1. every kind: text, exit status, order
# ============================================================================
# shellcheck disable=SC2086
(cd "$M" && find . | LC_ALL=C sort) > "$W/cwd.before"
# shellcheck disable=SC2086
scan "$W/all.txt" "$W/all.err" $ALL
check "ten modules of every kind: exit 0 ($rc), nothing on stderr" sh -c "[ $rc -eq 0 ] && [ ! -s '$W/all.err' ]"
# shellcheck disable=SC2086
pyck "text: first line, module lines (kind, size, sha256), a step line per verdict, summary" \
	"$W/all.txt" "$W/expect" "$M" $ALL < "$W/textck.py"
check "text: summary says taint 0x100 (two tables installed: A)" \
	grep -q '^summary: .* ignored; taint 0x100' "$W/all.txt"
pyck "text: microcode before ACPI tables, before the overlay, before the blob" "$W/all.txt" <<'EOF'
import sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l and not l.startswith(("module ", "summary", "fwkit boot"))]
def first(word):
    for i, l in enumerate(lines):
        if word in l.split(": ")[0]:
            return i
    raise AssertionError("no step line for %s: %s" % (word, lines))
u, a, o, b = first("intel.bin"), first("dsdt.aml"), first("overlay.dtbo"), first("pmic.fwb")
assert u < a < o < b, (u, a, o, b, lines)
cu = first("GenuineIntel.bin")
ca = first("kernel/firmware/acpi/x.aml")
assert cu < a and a <= ca < o, (cu, ca, lines)
EOF
# shellcheck disable=SC2086
scan "$W/all2.txt" "$W/all2.err" $ALL
check_same "the same modules give the same report twice" "$W/all.txt" "$W/all2.txt"
(cd "$M" && find . | LC_ALL=C sort) > "$W/cwd.after"
check_same "the working directory holds no new file" "$W/cwd.before" "$W/cwd.after"

# ============================================================================
# 2. --json
# ============================================================================
# shellcheck disable=SC2086
scan "$W/all.json" "$W/json.err" --json $ALL
check "--json: exit 0 ($rc), nothing on stderr" sh -c "[ $rc -eq 0 ] && [ ! -s '$W/json.err' ]"
# shellcheck disable=SC2086
pyck "--json: per module every field as expected and as the text's; summary and mask as the text's" \
	"$W/all.json" "$W/all.txt" "$W/expect" "$M" $ALL < "$W/jsonck.py"
# shellcheck disable=SC2086
scan "$W/late.json" "$W/late.err" $ALL --json
check_same "--json after the modules: the same document" "$W/all.json" "$W/late.json"
pyck "--json: the summary counts items: 7 applied (two tables, microcode, 2 cpio members, overlay, blob), 4 passed" \
	"$W/all.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["rejected"] == 0 and s["failed"] == 0 and s["no_handler"] == 0, s
assert s["applied"] == 7 and s["passed"] == 4 and s["ignored"] == 1, s
EOF

# ============================================================================
# 3. CMDLINE rules
# ============================================================================
# one_module DESC EXIT ARG NAME KIND VERDICT CMDLINE FILE: scan ARG alone.
one_module() {
	_d=$1 _x=$2 _a=$3
	shift 3
	scan "$W/one.json" "$W/one.err" --json "$_a"
	_jrc=$rc
	scan "$W/one.txt" "$W/one.err2" "$_a"
	if [ "$_jrc" -eq "$_x" ] && [ "$rc" -eq "$_x" ] && [ ! -s "$W/one.err" ] && [ ! -s "$W/one.err2" ]; then
		pyck "$_d: exit $_x, name, kind, verdict, cmdline and file in --json and the text" \
			"$W/one.json" "$W/one.txt" "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
name, kind, verdict, cmdline, f = sys.argv[3:8]
m = doc["modules"][0]
assert len(doc["modules"]) == 1
got = (m["name"], m["kind"], m["verdict"], m["cmdline"], m["file"])
assert got == (name, kind, verdict, cmdline, f), got
assert ("\nmodule 0 %s: %s, " % (name, kind)) in text, text
EOF
	else
		notok "$_d: exit $_jrc/$rc (want $_x): $(head -n 2 "$W/one.err" "$W/one.err2")"
	fi
}
one_module "no CMDLINE: the argument is the command line, its first word the name" 0 \
	ssdt.aml ssdt.aml acpi-table applied ssdt.aml ssdt.aml
one_module "FILE:CMDLINE: fwkit=ignore" 0 \
	"ssdt.aml:ssdt.aml fwkit=ignore" ssdt.aml unknown ignored "ssdt.aml fwkit=ignore" ssdt.aml
check "fwkit=ignore: summary 1 ignored, taint 0x0" \
	grep -q '^summary: 0 applied, 0 passed, 0 rejected, 0 failed, 0 no handler, 1 ignored; taint 0x0' "$W/one.txt"
one_module "FILE:CMDLINE: fwkit=acpi-table on a DTB is rejected" 1 \
	"base.dtb:base.dtb fwkit=acpi-table" base.dtb unknown rejected "base.dtb fwkit=acpi-table" base.dtb
check "fwkit=acpi-table on a DTB: the report says what the command line said" \
	grep -q 'fwkit=acpi-table' "$W/one.txt"
one_module "FILE:CMDLINE: a hint the bytes agree with (fwkit=ucode)" 0 \
	"intel.bin:intel.bin fwkit=ucode" intel.bin ucode-intel applied "intel.bin fwkit=ucode" intel.bin
one_module "FILE:CMDLINE: any first word names the module" 0 \
	"ssdt.aml:my-table extra words" my-table acpi-table applied "my-table extra words" ssdt.aml
one_module "FILE: gives an empty command line, the module is module0" 0 \
	"ssdt.aml:" module0 acpi-table applied "" ssdt.aml
cp "$M/ssdt.aml" "$M/odd:name.aml" || die "cp"
one_module "a path containing ':' whose prefix names no file is the whole file name" 0 \
	"odd:name.aml" odd:name.aml acpi-table applied odd:name.aml odd:name.aml
one_module "the same as an absolute path" 0 \
	"$M/odd:name.aml" "$M/odd:name.aml" acpi-table applied "$M/odd:name.aml" "$M/odd:name.aml"
cp "$M/ssdt.aml" "$M/odd" || die "cp"
one_module "once the prefix names a file, the split is there" 0 \
	"odd:name.aml" name.aml acpi-table applied name.aml odd
rm -f "$M/odd"
mkdir -p "$M/dir" && cp "$M/ssdt.aml" "$M/dir:x.aml" || die "mkdir"
one_module "a prefix that is a directory does not split" 0 \
	"dir:x.aml" dir:x.aml acpi-table applied dir:x.aml dir:x.aml
one_module "FILE:CMDLINE with ':' inside CMDLINE" 0 \
	"ssdt.aml:ssdt.aml a:b" ssdt.aml acpi-table applied "ssdt.aml a:b" ssdt.aml
long=$(python3 -c 'print("x" * 4097)')
scan "$W/out" "$W/err" "ssdt.aml:$long"
check "a command line over 4096 bytes: exit 2, one line naming the file, no report" \
	sh -c "[ $rc -eq 2 ] && one() { [ \$(wc -l < \"\$1\") -eq 1 ]; } && one '$W/err' &&
		grep -q '^fwkit: ssdt.aml: the command line is longer than 4096 bytes' '$W/err' && [ ! -s '$W/out' ]"
long=$(python3 -c 'print("ssdt.aml" + " x" * 2044)')
scan "$W/out" "$W/err" "ssdt.aml:$long"
check "a command line of exactly 4096 bytes is taken (exit $rc)" sh -c "[ $rc -eq 0 ] && [ ! -s '$W/err' ]"
# A file name that is not UTF-8: the JSON stays valid.
bad=$(printf 'bad\377name.aml')
cp "$M/ssdt.aml" "$M/$bad" || die "cp"
scan "$W/bad.json" "$W/bad.err" --json "$bad"
pyck "a file name that is not UTF-8: exit 0 ($rc), valid JSON with every byte kept" "$W/bad.json" "$rc" <<'EOF'
import json, sys
assert sys.argv[2] == "0"
m = json.loads(open(sys.argv[1], "rb").read().decode("ascii"))["modules"][0]
assert m["file"] == "bad\u00ffname.aml" and m["cmdline"] == m["file"], m
assert m["kind"] == "acpi-table", m
EOF
rm -f "$M/$bad"

# ============================================================================
# 4. a damaged table, a long report
# ============================================================================
python3 - "$M/ssdt.aml" "$M/broken.aml" <<'EOF' || die "cannot damage the table"
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) - 1] ^= 0x01  # the AML body: the checksum no longer sums to 0
open(sys.argv[2], "wb").write(b)
EOF
scan "$W/dmg.txt" "$W/dmg.err" intel.bin broken.aml dsdt.aml
check "a damaged table among good modules: exit 1 ($rc), nothing on stderr" \
	sh -c "[ $rc -eq 1 ] && [ ! -s '$W/dmg.err' ]"
check "the damaged table's module line says acpi-table and checksum" \
	grep -Eiq '^module 1 broken\.aml: acpi-table, [0-9]+ bytes, sha256 [0-9a-f]{16}: .*checksum' "$W/dmg.txt"
check "one line names it as rejected" \
	sh -c "[ \$(grep -v '^module ' '$W/dmg.txt' | grep 'broken\.aml' | grep -c 'rejected') -eq 1 ]"
check "the good modules are still handed on: summary 2 applied, 1 rejected, taint 0x100" \
	grep -q '^summary: 2 applied, 0 passed, 1 rejected, 0 failed, 0 no handler, 0 ignored; taint 0x100' "$W/dmg.txt"
scan "$W/dmg.json" "$W/dmg.err" --json intel.bin broken.aml dsdt.aml
pyck "--json: the damaged table is acpi-table, valid false, rejected, no taint bit (exit $rc)" \
	"$W/dmg.json" "$rc" <<'EOF'
import json, sys
assert sys.argv[2] == "1"
m = json.load(open(sys.argv[1]))["modules"]
assert [x["verdict"] for x in m] == ["applied", "rejected", "applied"], m
b = m[1]
assert b["kind"] == "acpi-table" and b["valid"] is False and b["taint_bit"] is None, b
assert "checksum" in b["reason"].lower(), b
EOF
# 60 tables in one cpio: a report longer than the first text buffer.
mkdir -p "$W/many/kernel/firmware/acpi" || die "mkdir"
i=0
while [ $i -lt 60 ]; do
	cp "$M/ssdt.aml" "$W/many/kernel/firmware/acpi/table-with-a-long-name-$i.aml" || die "cp"
	i=$((i + 1))
done
"$FWKIT" initrd build -o "$M/many.cpio" "$W/many" > /dev/null || die "initrd build failed"
scan "$W/many.txt" "$W/many.err" many.cpio
check "a cpio of 60 tables: exit 0 ($rc), the whole report (no '...'), $(wc -c < "$W/many.txt") bytes" \
	sh -c "[ $rc -eq 0 ] && ! grep -q '^\.\.\.' '$W/many.txt' && [ \$(wc -c < '$W/many.txt') -gt 4608 ] &&
		tail -n 1 '$W/many.txt' | grep -q '^summary: 60 applied, .*taint 0x100'"
check "every one of the 60 members has its line" \
	sh -c "[ \$(grep -c 'table-with-a-long-name-[0-9]*\.aml.*applied' '$W/many.txt') -eq 60 ]"
scan "$W/many.json" "$W/many.err" --json many.cpio
pyck "--json: the cpio module acted on 60 items, taint bit 8, itself passed on" "$W/many.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["modules"][0]
assert m["kind"] == "cpio" and m["verdict"] == "passed" and m["items"] == 60, m
assert m["taint_bit"] == 8, m
EOF

# ============================================================================
# 5. unreadable files, bad usage
# ============================================================================
# fails DESC PATTERN ARGS...: exit 2, one line on stderr matching PATTERN
# (grep -E), nothing on stdout.
fails() {
	_d=$1 _p=$2; shift 2
	scan "$W/out" "$W/err" "$@"
	if [ "$rc" -eq 2 ] && one_line "$W/err" && grep -Eq -- "$_p" "$W/err" && [ ! -s "$W/out" ]; then
		ok "$_d: exit 2, one line, no report"
	else
		notok "$_d: exit $rc: $(head -n 3 "$W/err")"
	fi
}
fails "a missing file" "^fwkit: no-such\.aml: " ssdt.aml no-such.aml
fails "a missing file with --json" "^fwkit: no-such\.aml: " --json ssdt.aml no-such.aml
fails "a missing file whose name has a ':'" "^fwkit: no-such\.aml:x: " "no-such.aml:x"
fails "a directory" "^fwkit: dir: is a directory" dir
fails "no MODULE" "^fwkit boot scan: .*MODULE" 
fails "only --json" "^fwkit boot scan: .*MODULE" --json
fails "an unknown option" "^fwkit boot scan: '--frob': unknown option" --frob ssdt.aml
fails "an empty argument" "^fwkit boot scan: an empty MODULE" ""
set --
i=0
while [ $i -lt 257 ]; do set -- "$@" ssdt.aml; i=$((i + 1)); done
fails "257 modules (more than BOOT_MODULES_MAX)" "^fwkit boot scan: 257 modules: at most 256" "$@"
set --
scan "$W/out" "$W/err" -- -x.aml
check "-- ends the options: '-x.aml' is a (missing) file, exit 2 ($rc)" \
	sh -c "[ $rc -eq 2 ] && grep -q '^fwkit: -x.aml: ' '$W/err'"
"$FWKIT" boot scan --help > "$W/out" 2> "$W/err"
rc=$?
check "boot scan --help: exit 0, usage and the CMDLINE rule on stdout" \
	sh -c "[ $rc -eq 0 ] && [ ! -s '$W/err' ] && grep -q '^usage: fwkit boot scan \[--json\] MODULE\[:CMDLINE\]\.\.\.' '$W/out' &&
		grep -q 'part before it names an existing file' '$W/out' && grep -q 'nothing is written' '$W/out'"
"$FWKIT" boot --help > "$W/out" 2>&1
check "boot --help lists scan" grep -q 'fwkit boot scan \[--json\] MODULE\[:CMDLINE\]' "$W/out"
"$FWKIT" --help > "$W/out" 2>&1
check "fwkit --help lists boot scan" grep -q '^  boot scan \[--json\] MODULE\[:CMDLINE\]\.\.\. ' "$W/out"

# ============================================================================
# 6. a dry run writes nothing
# ============================================================================
mkdir -p "$W/home" "$W/tmp" || die "mkdir"
state() {
	{
		ls -la --time-style=+%s.%N /run/fwkit 2>&1
		cat /proc/sys/kernel/tainted 2>&1
		find "$W/home" "$W/tmp" "$M" | LC_ALL=C sort
	} > "$1"
}
state "$W/state.before"
# shellcheck disable=SC2086
(cd "$M" && HOME="$W/home" TMPDIR="$W/tmp" XDG_CACHE_HOME="$W/home/.cache" \
	XDG_RUNTIME_DIR="$W/home/run" "$FWKIT" boot scan $ALL broken.aml > "$W/dry.txt" 2>&1)
rc=$?
state "$W/state.after"
check "dry run with applied tables, microcode, overlay, blob and a rejection: exit 1 ($rc)" [ "$rc" -eq 1 ]
check_same "nothing written: HOME, TMPDIR, the cwd, /run/fwkit and the taint mask as they were" \
	"$W/state.before" "$W/state.after"

finish
