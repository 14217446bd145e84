#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/real/ucode-intel-corpus.sh - every file of the real Intel microcode
# corpus through `fwkit ucode info --json` and `iucode_tool -L`: the same
# updates (signatures with the extended table's, platform masks, dates,
# revisions, sizes) and the same count, per file and for all files at once.
# A file iucode_tool refuses (the licence text) must be refused too.
. "$(dirname "$0")/../lib.sh"
need iucode_tool python3
CORPUS="${FWKIT_SHARED:-$FWKIT_ROOT/../shared}/corpus/microcode/intel"
[ -d "$CORPUS" ] || die "$CORPUS missing: put ../shared beside the repository (or set FWKIT_SHARED)"
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# Both listings to one text: per bundle its name, then per update one line
# and one per extended signature, then the count.
cat > "$W/norm.py" <<'EOF'
import json, re, sys

mode, path = sys.argv[1], sys.argv[2]
out = []

def upd(b, u, sig, pf, date, rev, size):
    out.append("%03d/%03d sig=0x%08x pf=0x%02x date=%s rev=0x%08x size=%d" %
               (b, u, sig, pf, date, rev, size))

def ext(sig, pf, date, rev):
    out.append("        ext sig=0x%08x pf=0x%02x date=%s rev=0x%08x" % (sig, pf, date, rev))

if mode == "iucode":
    B = re.compile(r"^microcode bundle (\d+): (.*)$")
    U = re.compile(r"^  (\d+)/(\d+): sig 0x([0-9a-f]+), pf_mask 0x([0-9a-f]+), "
                   r"(\d{4}-\d{2}-\d{2}), rev 0x([0-9a-f]+), size (\d+)$")
    X = re.compile(r"^ {11}sig 0x([0-9a-f]+), pf_mask 0x([0-9a-f]+), "
                   r"(\d{4}-\d{2}-\d{2}), rev 0x([0-9a-f]+)$")
    count = None
    for line in open(path):
        line = line.rstrip("\n")
        m = B.match(line)
        if m:
            if count is not None:
                out.append("count %d" % count)
            out.append("bundle %s %s" % (m.group(1), m.group(2).rsplit("/", 1)[-1]))
            count = 0
            continue
        m = U.match(line)
        if m:
            upd(int(m.group(1)), int(m.group(2)), int(m.group(3), 16), int(m.group(4), 16),
                m.group(5), int(m.group(6), 16), int(m.group(7)))
            count += 1
            continue
        m = X.match(line)
        if m:
            ext(int(m.group(1), 16), int(m.group(2), 16), m.group(3), int(m.group(4), 16))
            continue
        raise SystemExit("iucode_tool line not understood: %r" % line)
    if count is not None:
        out.append("count %d" % count)
else:
    j = json.load(open(path))
    for f in j["files"]:
        assert f["vendor"] == "intel", f["vendor"]
        out.append("bundle %d %s" % (f["bundle"], f["file"].rsplit("/", 1)[-1]))
        for u in f["updates"]:
            upd(f["bundle"], u["index"], u["signature"], u["pf_mask"], u["date"],
                u["revision"], u["size"])
            for x in u["extended"]:
                ext(x["signature"], x["pf_mask"], u["date"], u["revision"])
        assert f["count"] == len(f["updates"])
        out.append("count %d" % f["count"])
    assert j["count"] == sum(f["count"] for f in j["files"])
print("\n".join(out))
EOF

nfiles=0 nupdates=0
accepted=""
for f in "$CORPUS"/*; do
	[ -f "$f" ] || continue
	nfiles=$((nfiles + 1))
	b=$(basename "$f")
	iucode_tool -L "$f" > "$W/iu.txt" 2> "$W/iu.err"
	irc=$?
	"$FWKIT" ucode info --json "$f" > "$W/fw.json" 2> "$W/fw.err"
	frc=$?
	if [ "$irc" -ne 0 ]; then
		if [ "$frc" -eq 2 ] && [ "$(wc -l < "$W/fw.err")" -eq 1 ] &&
		   grep -qF "fwkit: $f: " "$W/fw.err" &&
		   python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j == {"files": [], "count": 0}' \
			"$W/fw.json"; then
			ok "$b: iucode_tool refuses it, fwkit too (exit 2, one line, no update listed)"
		else
			notok "$b: iucode_tool refuses it but fwkit exits $frc: $(cat "$W/fw.err")"
		fi
		continue
	fi
	accepted="$accepted $f"
	if [ "$frc" -ne 0 ]; then
		notok "$b: fwkit ucode info exits $frc: $(cat "$W/fw.err")"
		continue
	fi
	python3 "$W/norm.py" iucode "$W/iu.txt" > "$W/want" || die "$b: normalising iucode_tool -L"
	python3 "$W/norm.py" json "$W/fw.json" > "$W/got" || die "$b: normalising fwkit's JSON"
	n=$(grep -c ' sig=' "$W/want")
	nupdates=$((nupdates + $(grep -c '^[0-9]' "$W/want")))
	check_same "$b: $(grep -c '^[0-9]' "$W/want") update(s), $n signature line(s) as iucode_tool -L lists them" \
		"$W/want" "$W/got"
done
[ "$nfiles" -gt 0 ] || die "no files in $CORPUS"
[ -n "$accepted" ] || die "iucode_tool accepted no file of $CORPUS"

# All files at once: bundles numbered in order.
# shellcheck disable=SC2086
iucode_tool -L $accepted > "$W/iu.txt" 2> "$W/iu.err" || die "iucode_tool -L of all files failed"
# shellcheck disable=SC2086
"$FWKIT" ucode info --json $accepted > "$W/fw.json" 2> "$W/fw.err"
rc=$?
python3 "$W/norm.py" iucode "$W/iu.txt" > "$W/want" || die "normalising iucode_tool -L"
if [ "$rc" -eq 0 ] && python3 "$W/norm.py" json "$W/fw.json" > "$W/got"; then
	check_same "all $(echo $accepted | wc -w) files at once: $nupdates updates, the same listing" \
		"$W/want" "$W/got"
else
	notok "all files at once: fwkit exits $rc: $(cat "$W/fw.err")"
fi
check "the corpus has multi-update files and extended tables ($nupdates updates)" \
	sh -c "[ $nupdates -ge 10 ] && grep -q ' ext sig=' '$W/got'"
finish
