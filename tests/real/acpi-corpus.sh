#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/real/acpi-corpus.sh - every real table of the linuxhw corpus through
# `fwkit acpi info --json` and `iasl -d`: the header fields both read, and
# checksum_ok against a plain byte sum.  One TAP line per machine, a total.
. "$(dirname "$0")/../lib.sh"
need iasl python3
: "${FWKIT_SHARED:=$FWKIT_ROOT/../shared}"
CORPUS="$FWKIT_SHARED/corpus/acpi/linuxhw"
[ -d "$CORPUS" ] || die "$CORPUS missing: set FWKIT_SHARED or put ../shared beside the repository"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT

# Compare one machine: argv = the info JSON, the iasl output dir, the files.
# Prints "N" (tables compared) on success, else the disagreements.
cat > "$W/compare.py" <<'EOF'
import json, os, re, sys

info_path, dsl_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(info_path, "rb") as fp:
    blob = fp.read()
# Header bytes >= 0x80 may arrive escaped (\u0084) or raw: read raw bytes as
# latin-1 so both give the same one character per byte.
try:
    text = blob.decode("utf-8")
except UnicodeDecodeError:
    text = blob.decode("latin-1")
info = {o["file"]: o for o in json.loads(text)}
bad = []

def raw(s):
    """A JSON string of raw bytes back to those bytes (as latin-1 text)."""
    return s.encode("latin-1", "replace").decode("latin-1")

def c_string(s):
    """What a C printf("%.Ns") of the field shows: up to the first NUL."""
    return s.split("\0", 1)[0]

# iasl's data-table lines: [004h 0004   4]  Table Length : 000001DC
DATA = re.compile(r'^\[[0-9A-F]{3}h [0-9]{4} +[0-9]+\] +([^:]+?) : (.*)$')
# iasl's AML header comment: " *     OEM Revision     0x00001000 (4096)"
AML = re.compile(r'^ \*     (Signature|Length|Revision|Checksum|OEM ID|OEM Table ID|'
                 r'OEM Revision|Compiler ID|Compiler Version) +(.*)$')
# iasl's table summary on stdout, when it could not disassemble:
# ACPI: OEMB 0x0000000000000000 000080 (v01 A_M_I_ AMI_OEM  07000709 MSFT 00000097)
SUMMARY = re.compile(r'^ACPI: (.{4}) 0x[0-9A-F]+ ([0-9A-F]+) \(v([0-9A-F]{2}) (.{6}) (.{8}) '
                     r'([0-9A-F]{8}) (.{4}) ([0-9A-F]{8})\)')

def quoted(v):
    m = re.match(r'"(.*?)"(\s|$)', v, re.ASCII)
    return m.group(1) if m else None

def hexnum(v):
    m = re.match(r'(?:0x)?([0-9A-Fa-f]+)', v)
    return int(m.group(1), 16) if m else None

def iasl_fields(path, log):
    """The header as iasl shows it: {name: value}, names as fwkit's JSON."""
    got = {}
    # Split on LF only: header bytes such as 0x85 are line breaks to
    # str.splitlines().
    with open(path, encoding="latin-1") as fp:
        text = [l.rstrip("\r") for l in fp.read().split("\n")]
    how = "nothing"
    names = {"Signature": ("signature", quoted), "Table Length": ("length", hexnum),
             "Length": ("length", hexnum), "Revision": ("revision", hexnum),
             "Checksum": ("checksum", hexnum), "Oem ID": ("oem_id", quoted),
             "Oem Table ID": ("oem_table_id", quoted),
             "Oem Revision": ("oem_revision", hexnum),
             "Asl Compiler ID": ("creator_id", quoted),
             "Asl Compiler Revision": ("creator_revision", hexnum),
             "Version": ("version", hexnum)}
    aml = {"Signature": ("signature", quoted), "Length": ("length", hexnum),
           "Revision": ("revision", hexnum), "Checksum": ("checksum", hexnum),
           "OEM ID": ("oem_id", quoted), "OEM Table ID": ("oem_table_id", quoted),
           "OEM Revision": ("oem_revision", hexnum), "Compiler ID": ("creator_id", quoted),
           "Compiler Version": ("creator_revision", hexnum)}
    for line in text:
        m = DATA.match(line)
        if m and m.group(1).strip() in names:
            key, conv = names[m.group(1).strip()]
            got.setdefault(key, conv(m.group(2)))
            how = "data"
            continue
        m = AML.match(line)
        if m:
            key, conv = aml[m.group(1)]
            got.setdefault(key, conv(m.group(2)))
            how = "aml"
        if line.startswith("DefinitionBlock") or line.startswith("[024h"):
            break
    if got:
        return got, how
    # iasl disassembled nothing (an OEM table it took for AML and gave up
    # on): its one-line summary still shows the header.
    with open(log, encoding="latin-1") as fp:
        for line in fp:
            m = SUMMARY.match(line)
            if m:
                g = m.groups()
                return {"signature": g[0], "length": int(g[1], 16),
                        "revision": int(g[2], 16), "oem_id": g[3],
                        "oem_table_id": g[4], "oem_revision": int(g[5], 16),
                        "creator_id": g[6], "creator_revision": int(g[7], 16)}, "summary"
    return {}, "nothing"

n = 0
fallback = []
for f in files:
    base = os.path.splitext(os.path.basename(f))[0]
    o = info.get(f)
    if o is None:
        bad.append(f"{base}: not in fwkit's output")
        continue
    data = open(f, "rb").read()
    total = sum(data) % 256
    got, how = iasl_fields(os.path.join(dsl_dir, base + ".dsl"),
                           os.path.join(dsl_dir, base + ".log"))
    if how == "nothing":
        bad.append(f"{base}: iasl showed no header")
        continue
    if how == "summary":
        fallback.append(base)
    if o.get("file_size") != len(data):
        bad.append(f"{base}: file_size {o.get('file_size')} != {len(data)}")
    fields = ["signature", "length"]
    if o.get("kind") == "facs":
        if "version" in o or "version" in got:
            fields.append("version")
    else:
        fields += ["revision", "checksum", "oem_id", "oem_table_id", "oem_revision",
                   "creator_id", "creator_revision"]
        if o.get("checksum_ok") is not (total == 0):
            bad.append(f"{base}: checksum_ok {o.get('checksum_ok')} but byte sum {total}")
        if o.get("byte_sum") != total:
            bad.append(f"{base}: byte_sum {o.get('byte_sum')} != {total}")
    for k in fields:
        if how == "summary" and k == "checksum":
            continue
        mine = o.get(k)
        theirs = got.get(k)
        if mine is None or theirs is None:
            bad.append(f"{base}: {k}: fwkit {mine!r}, iasl {theirs!r} (missing)")
            continue
        if isinstance(mine, str):
            mine = raw(mine)
            # AML headers and summaries go through printf("%.Ns"): compare
            # up to the first NUL, as iasl saw it.
            mine = c_string(mine)
            if theirs is not None:
                theirs = c_string(theirs)
            # The data-table dump shows a byte outside printable ASCII as
            # a blank (ACPICA repairs strings before printing them).
            if how == "data":
                mine = "".join(c if " " <= c <= "~" else " " for c in mine)
            if how == "summary":
                mine = mine.ljust(len(theirs or ""))
        if mine != theirs:
            bad.append(f"{base}: {k}: fwkit {mine!r}, iasl {theirs!r}")
    n += 1

if bad:
    for b in bad:
        print(b)
    sys.exit(1)
print(n, " ".join(fallback))
EOF

machines=0 tables=0 failed=0 fallbacks=
for dir in "$CORPUS"/*/; do
	[ -d "$dir" ] || continue
	m=$(basename "$dir")
	set -- "$dir"*.dat
	[ -f "$1" ] || continue
	machines=$((machines + 1))
	out="$W/$m"
	mkdir -p "$out"
	# iasl, one file at a time: one table it cannot disassemble must not
	# cost the others.
	for f in "$@"; do
		b=$(basename "$f" .dat)
		iasl -p "$out/$b" -d "$f" > "$out/$b.log" 2>&1
	done
	"$FWKIT" acpi info --json "$@" > "$W/$m.json" 2> "$W/$m.err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		notok "$m: fwkit acpi info exited $rc: $(head -n 1 "$W/$m.err")"
		failed=$((failed + 1))
		continue
	fi
	if python3 "$W/compare.py" "$W/$m.json" "$out" "$@" > "$W/$m.cmp" 2>&1; then
		read -r n fb < "$W/$m.cmp"
		tables=$((tables + n))
		[ -n "$fb" ] && fallbacks="$fallbacks $m/$fb"
		ok "$m: $n tables agree with iasl -d and the byte sum"
	else
		notok "$m: disagreements with iasl -d"
		head -n 10 "$W/$m.cmp" | sed 's/^/#   /' >&3
		failed=$((failed + 1))
	fi
done
[ -n "$fallbacks" ] && echo "# iasl disassembled nothing of:$fallbacks (compared with its summary line)"
if [ "$machines" -ge 20 ] && [ "$failed" -eq 0 ]; then
	ok "all $tables tables of $machines machines agree"
else
	notok "corpus: $failed of $machines machines disagree ($tables tables agree)"
fi
finish
