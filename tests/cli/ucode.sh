#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/ucode.sh - fwkit ucode info|pack as a user drives them, on the
# real Intel corpus and on synthetic AMD containers (the fuzz seeds):
#   - usage: --help exits 0; every kind of bad usage exits 2 with one line
#   - pack: names in the archive as GNU cpio and `fwkit initrd ls` list them,
#     file data 16-byte aligned, GenuineIntel.bin byte for byte what
#     iucode_tool --write-to writes for the same files and the same -s
#     selection, --cpu picking the newest revision, nothing selected = exit 1
#     and no file, deterministic output, SOURCE_DATE_EPOCH
#   - --initrd: with a DSDT packed by `fwkit acpi pack`, one early archive
#     holding both, the base image following byte for byte; repacking
#     replaces the microcode; an image without such an archive is prepended
#   - AMD: rebuilt containers for one CPU and for all; Intel and AMD together
#   - damaged files: every header byte of every update, the extended tables
#     and 200 data bytes flipped in turn: exit 2, one line naming the update
#   - --host: the signature printed is /proc/cpuinfo's
. "$(dirname "$0")/../lib.sh"
need python3 cpio iucode_tool cmp iasl
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
SHARED=${FWKIT_SHARED:-$FWKIT_ROOT/../shared}
MC="$SHARED/corpus/microcode/intel"
[ -f "$MC/06-9a-04" ] && [ -f "$MC/06-0f-0b" ] && [ -f "$MC/0f-00-07" ] ||
	die "$MC missing: ../shared must sit beside the repository (or set FWKIT_SHARED)"
AMDSEEDS="$FWKIT_ROOT/tests/fuzz/corpus/ucode_amd"
[ -f "$AMDSEEDS/two-containers.bin" ] || die "$AMDSEEDS/two-containers.bin missing"
DSL="$FWKIT_ROOT/integration/demo/acpi/fixed-dsdt.dsl"
[ -f "$DSL" ] || die "$DSL missing"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022
unset SOURCE_DATE_EPOCH

pyck() {
	_d=$1; shift
	if python3 - "$@" > "$W/py.out" 2>&1; then ok "$_d"
	else notok "$_d"; tail -n 3 "$W/py.out" | sed 's/^/#   /' >&3; fi
}
one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
no_temp_in() { [ -z "$(find "$1" -maxdepth 1 -name '*.fwkit-*')" ]; }

# A cpio's entries as "name data_offset size" lines, read with python.
cat > "$W/entries.py" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
off = 0
while off + 110 <= len(d) and d[off:off + 6] in (b"070701", b"070702"):
    f = [int(d[off + 6 + 8 * i: off + 14 + 8 * i], 16) for i in range(13)]
    name = d[off + 110: off + 110 + f[11]].split(b"\0")[0].decode()
    data = (off + 110 + f[11] + 3) & ~3
    if name == "TRAILER!!!":
        break
    print(name, data, f[6], "%o" % f[1], f[5])
    off = (data + f[6] + 3) & ~3
EOF
ALL=""
for f in "$MC"/*; do
	iucode_tool -q -l "$f" > /dev/null 2>&1 && ALL="$ALL $f"
done
[ -n "$ALL" ] || die "iucode_tool accepts none of $MC"

# ============================================================================
# usage
# ============================================================================
expect_exit 0 "ucode --help" "$FWKIT" ucode --help > /dev/null
expect_exit 0 "ucode info --help" "$FWKIT" ucode info --help > /dev/null
expect_exit 0 "ucode pack --help" "$FWKIT" ucode pack --help > /dev/null
bad_usage() {
	_d=$1; shift
	"$@" > "$W/out" 2> "$W/err"
	_rc=$?
	if [ "$_rc" -eq 2 ] && one_line "$W/err" && [ ! -s "$W/out" ] && [ ! -e "$W/never" ]; then
		ok "bad usage: $_d: exit 2, one line"
	else
		notok "bad usage: $_d: rc=$_rc: $(cat "$W/err")"
	fi
}
"$FWKIT" ucode > "$W/out" 2> "$W/err"
rc=$?
check "bad usage: no command: exit 2, the help on stderr, nothing on stdout" \
	sh -c "[ $rc -eq 2 ] && [ ! -s '$W/out' ] && grep -q '^usage: fwkit ucode info' '$W/err'"
bad_usage "unknown command" "$FWKIT" ucode frobnicate x
bad_usage "info without FILE" "$FWKIT" ucode info
bad_usage "pack without -o" "$FWKIT" ucode pack "$MC/06-3c-03"
bad_usage "pack without FILE" "$FWKIT" ucode pack -o "$W/never"
bad_usage "--cpu not a number" "$FWKIT" ucode pack -o "$W/never" --cpu sky "$MC/06-3c-03"
bad_usage "--cpu PF 0" "$FWKIT" ucode pack -o "$W/never" --cpu 0x306c3,0 "$MC/06-3c-03"
bad_usage "--cpu PF over 0xff" "$FWKIT" ucode pack -o "$W/never" --cpu 0x306c3,0x100 "$MC/06-3c-03"
bad_usage "--cpu and --host" "$FWKIT" ucode pack -o "$W/never" --cpu 0x306c3 --host "$MC/06-3c-03"
bad_usage "--json with pack" "$FWKIT" ucode pack --json -o "$W/never" "$MC/06-3c-03"
bad_usage "-o with info" "$FWKIT" ucode info -o "$W/never" "$MC/06-3c-03"
bad_usage "unknown option" "$FWKIT" ucode info --frob "$MC/06-3c-03"
bad_usage "missing file" "$FWKIT" ucode info "$W/no-such-file"
bad_usage "not microcode" "$FWKIT" ucode info "$MC/LICENSE-intel-microcode"
: > "$W/empty"
bad_usage "empty file" "$FWKIT" ucode info "$W/empty"
bad_usage "pack of a non-microcode file" "$FWKIT" ucode pack -o "$W/never" "$MC/LICENSE-intel-microcode"
SOURCE_DATE_EPOCH=yesterday bad_usage "bad SOURCE_DATE_EPOCH" "$FWKIT" ucode pack -o "$W/never" "$MC/06-3c-03"

# ============================================================================
# info
# ============================================================================
# shellcheck disable=SC2086
"$FWKIT" ucode info --json $ALL > "$W/all.json"
rc=$?
pyck "info --json of the corpus: exit 0 ($rc), counts and fields of 06-9a-04" "$W/all.json" "$rc" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert sys.argv[2] == "0"
byname = {f["file"].rsplit("/", 1)[1]: f for f in j["files"]}
assert j["count"] == sum(f["count"] for f in j["files"]) == 17, j["count"]
f = byname["06-9a-04"]
assert f["vendor"] == "intel" and f["count"] == 2
u = f["updates"][0]
assert (u["signature"], u["pf_mask"], u["revision"], u["date"], u["size"]) == \
       (0x906a3, 0x80, 0x43a, "2025-10-12", 224256), u
assert [(x["signature"], x["pf_mask"]) for x in u["extended"]] == [(0x906a3, 0x80), (0x906a4, 0x80)]
assert f["updates"][1]["offset"] == 224256 and f["updates"][1]["extended"] == []
assert [x["bundle"] for x in j["files"]] == list(range(1, len(j["files"]) + 1))
EOF
"$FWKIT" ucode info "$MC/06-0f-0b" "$W/empty" "$MC/0f-00-07" > "$W/out" 2> "$W/err"
rc=$?
check "info good bad good: exit 2, one line for the bad file, both good ones listed" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q '^microcode bundle 1: $MC/06-0f-0b' '$W/out' &&
		grep -q '^microcode bundle 3: $MC/0f-00-07' '$W/out' && ! grep -q empty '$W/out'"

"$FWKIT" ucode info "$MC/06-0f-0b" "$W/no-such-file" "$MC/0f-00-07" > "$W/out" 2> "$W/err"
rc=$?
check "info good missing good: exit 2, bundles numbered by argument (1 and 3)" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q '^microcode bundle 1: $MC/06-0f-0b' '$W/out' &&
		grep -q '^microcode bundle 3: $MC/0f-00-07' '$W/out'"

# ============================================================================
# pack: every update, against GNU cpio, initrd ls and iucode_tool
# ============================================================================
# shellcheck disable=SC2086
expect_exit 0 "pack of the whole corpus" "$FWKIT" ucode pack -o "$W/all.img" $ALL > "$W/pack.out"
cpio -t < "$W/all.img" > "$W/cpio-t" 2>/dev/null
"$FWKIT" initrd ls --json "$W/all.img" > "$W/ls.json"
python3 "$W/entries.py" "$W/all.img" > "$W/entries"
pyck "pack: names agree in cpio -t, initrd ls and the headers; data 16-byte aligned" \
	"$W/cpio-t" "$W/ls.json" "$W/entries" <<'EOF'
import json, sys
want = ["kernel", "kernel/x86", "kernel/x86/microcode", "kernel/x86/microcode/GenuineIntel.bin"]
cpio_t = open(sys.argv[1]).read().split()
ls = json.load(open(sys.argv[2]))
assert len(ls["segments"]) == 1 and ls["segments"][0]["format"] == "cpio", ls
names = [e["name"] for e in ls["segments"][0]["entries"]]
rows = [l.split() for l in open(sys.argv[3])]
assert cpio_t == want and names == want and [r[0] for r in rows] == want, (cpio_t, names, rows)
assert int(rows[3][1]) % 16 == 0, rows[3]
assert [r[3] for r in rows] == ["40755", "40755", "40755", "100644"], rows
assert all(r[4] == "0" for r in rows), rows
EOF
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin < all.img > all.bin)
# shellcheck disable=SC2086
iucode_tool -q --write-to="$W/iucode-all.bin" $ALL
check_same "pack: GenuineIntel.bin is what iucode_tool --write-to writes" "$W/iucode-all.bin" "$W/all.bin"
# shellcheck disable=SC2086
iucode_tool -q --write-earlyfw="$W/iucode-early.cpio" $ALL
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin < iucode-early.cpio > iucode-early.bin)
check_same "pack: and what its --write-earlyfw archive carries" "$W/iucode-early.bin" "$W/all.bin"
check "pack: the archive is padded to 512 bytes" sh -c "[ \$((\$(wc -c < '$W/all.img') % 512)) -eq 0 ]"
expect_exit 0 "info of the packed GenuineIntel.bin" "$FWKIT" ucode info "$W/all.bin" > /dev/null

# shellcheck disable=SC2086
"$FWKIT" ucode pack -o "$W/again.img" $ALL > /dev/null
check_same "pack twice: the same bytes" "$W/all.img" "$W/again.img"
# shellcheck disable=SC2086
SOURCE_DATE_EPOCH=1700000000 "$FWKIT" ucode pack -o "$W/sde.img" $ALL > /dev/null
python3 "$W/entries.py" "$W/sde.img" > "$W/entries"
check "SOURCE_DATE_EPOCH sets every entry's mtime" \
	sh -c "[ \$(awk '\$5 != 1700000000' '$W/entries' | wc -l) -eq 0 ] && [ \$(wc -l < '$W/entries') -eq 4 ]"

# ============================================================================
# pack --cpu: the newest revision, as iucode_tool -s picks it
# ============================================================================
# An older and a newer copy of 06-3c-03 (revision changed, checksum fixed).
python3 - "$MC/06-3c-03" "$W" <<'EOF' || die "could not make revision variants"
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
for rev, name in ((0x27, "older"), (0x29, "newer")):
    e = bytearray(d)
    old = struct.unpack_from("<I", e, 4)[0]
    struct.pack_into("<I", e, 4, rev)
    ck = struct.unpack_from("<I", e, 16)[0]
    struct.pack_into("<I", e, 16, (ck - (rev - old)) & 0xffffffff)
    open(sys.argv[2] + "/" + name + ".bin", "wb").write(e)
EOF
sel() {  # sel NAME CPU FILES...: pack --cpu CPU, extract, compare with iucode_tool -s CPU
	_n=$1 _c=$2; shift 2
	"$FWKIT" ucode pack -o "$W/$_n.img" --cpu "$_c" "$@" > "$W/$_n.out" 2> "$W/$_n.err"
	_rc=$?
	(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin < "$_n.img" > "$_n.bin")
	iucode_tool -q -s "$_c" --write-to="$W/$_n.want" "$@"
	if [ "$_rc" -eq 0 ] && cmp -s "$W/$_n.want" "$W/$_n.bin"; then
		ok "pack --cpu $_c: exit 0, GenuineIntel.bin as iucode_tool -s $_c writes it"
	else
		notok "pack --cpu $_c: rc=$_rc, $(cat "$W/$_n.err") $(cmp "$W/$_n.want" "$W/$_n.bin" 2>&1)"
	fi
}
sel p4 0x6fb,0x4 "$MC/06-0f-0b"
sel p80 0x906a4,0x80 "$MC/06-9a-04"
sel p40 0x906a4,0x40 "$MC/06-9a-04"
sel pany 0x906a4 "$MC/06-9a-04"
sel newest 0x306c3,0x2 "$W/older.bin" "$W/newer.bin" "$MC/06-3c-03"
sel newest2 0x306c3 "$W/newer.bin" "$W/older.bin"
"$FWKIT" ucode info --json "$W/newest.bin" > "$W/n.json"
pyck "pack --cpu 0x306c3,0x2 of three revisions keeps only 0x29" "$W/n.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert [u["revision"] for u in j["files"][0]["updates"]] == [0x29], j
EOF
"$FWKIT" ucode pack -o "$W/dedup.img" "$W/older.bin" "$MC/06-3c-03" "$W/newer.bin" "$MC/06-0f-0b" > "$W/out"
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin < dedup.img > dedup.bin)
"$FWKIT" ucode info --json "$W/dedup.bin" > "$W/n.json"
pyck "pack without --cpu drops the superseded revisions, keeps each platform's newest" "$W/n.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
got = [(u["signature"], u["pf_mask"], u["revision"]) for u in j["files"][0]["updates"]]
assert got == [(0x6fb, p, r) for p, r in ((0x80, 0xba), (0x40, 0xbc), (0x20, 0xba), (0x10, 0xba),
               (0x8, 0xbb), (0x4, 0xbc), (0x1, 0xba))] + [(0x306c3, 0x32, 0x29)], got
EOF
"$FWKIT" ucode pack -o "$W/none.img" --cpu 0x906a4,0x1 "$MC/06-9a-04" > "$W/out" 2> "$W/err"
rc=$?
check "pack --cpu for a CPU no file covers: exit 1, one line, nothing written" \
	sh -c "[ $rc -eq 1 ] && [ \$(wc -l < '$W/err') -eq 1 ] && [ ! -e '$W/none.img' ]"
check "no temporary files left behind" no_temp_in "$W"

# ============================================================================
# --initrd: one early archive with the DSDT and the microcode
# ============================================================================
mkdir -p "$W/base/etc" "$W/base/bin"
printf 'base\n' > "$W/base/etc/hostname"
printf '#!/bin/sh\n' > "$W/base/init"
"$FWKIT" initrd build -o "$W/base.img" --compress gzip "$W/base" > /dev/null || die "initrd build"
"$FWKIT" acpi compile "$DSL" -o "$W/dsdt.aml" > /dev/null || die "acpi compile"
"$FWKIT" acpi pack -o "$W/A.img" --initrd "$W/base.img" "$W/dsdt.aml" > /dev/null || die "acpi pack"
expect_exit 0 "pack --initrd A (an acpi pack image)" \
	"$FWKIT" ucode pack -o "$W/B.img" --initrd "$W/A.img" "$MC/06-9a-04" > "$W/out"
"$FWKIT" initrd ls --json "$W/B.img" > "$W/ls.json"
pyck "initrd ls B: one early cpio with dsdt.aml and GenuineIntel.bin, then BASE's gzip" \
	"$W/ls.json" "$W/base.img" <<'EOF'
import json, subprocess, sys
ls = json.load(open(sys.argv[1]))
segs = ls["segments"]
assert [s["format"] for s in segs] == ["cpio", "gzip"], segs
names = [e["name"] for e in segs[0]["entries"]]
assert names == ["kernel", "kernel/firmware", "kernel/firmware/acpi", "kernel/firmware/acpi/dsdt.aml",
                 "kernel/x86", "kernel/x86/microcode", "kernel/x86/microcode/GenuineIntel.bin"], names
uc = segs[0]["entries"][-1]
assert uc["data_offset"] % 16 == 0, uc
EOF
check "B ends with BASE byte for byte" sh -c \
	"tail -c \$(wc -c < '$W/base.img') '$W/B.img' | cmp -s - '$W/base.img'"
mkdir -p "$W/x" && (cd "$W/x" && cpio -id --quiet < "$W/B.img")
check "GNU cpio extracts B's early archive: the DSDT unchanged" cmp -s "$W/dsdt.aml" "$W/x/kernel/firmware/acpi/dsdt.aml"
check "and GenuineIntel.bin is 06-9a-04" cmp -s "$MC/06-9a-04" "$W/x/kernel/x86/microcode/GenuineIntel.bin"
"$FWKIT" ucode pack -o "$W/C.img" --initrd "$W/B.img" "$MC/06-3c-03" > "$W/out"
"$FWKIT" initrd ls --json "$W/C.img" > "$W/ls.json"
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin < C.img > c.bin)
pyck "repack --initrd B: still one early archive, the microcode replaced, BASE after it" \
	"$W/ls.json" "$W/out" <<'EOF'
import json, sys
segs = json.load(open(sys.argv[1]))["segments"]
assert [s["format"] for s in segs] == ["cpio", "gzip"] and segs[0]["count"] == 7, segs
assert "replaced" in open(sys.argv[2]).read()
EOF
check "C's GenuineIntel.bin is 06-3c-03" cmp -s "$MC/06-3c-03" "$W/c.bin"
check "C ends with BASE byte for byte" sh -c \
	"tail -c \$(wc -c < '$W/base.img') '$W/C.img' | cmp -s - '$W/base.img'"
# An image whose first archive is not an early one: ours goes in front.
"$FWKIT" initrd build -o "$W/plain.img" "$W/base" > /dev/null || die "initrd build"
"$FWKIT" ucode pack -o "$W/D.img" --initrd "$W/plain.img" "$MC/06-3c-03" > /dev/null
"$FWKIT" initrd ls --json "$W/D.img" > "$W/ls.json"
pyck "pack --initrd of an uncompressed main archive: two archives, ours first" "$W/ls.json" <<'EOF'
import json, sys
segs = json.load(open(sys.argv[1]))["segments"]
assert [s["format"] for s in segs] == ["cpio", "cpio"], segs
assert segs[0]["entries"][-1]["name"] == "kernel/x86/microcode/GenuineIntel.bin", segs
assert "etc/hostname" in [e["name"] for e in segs[1]["entries"]], segs
EOF
check "D ends with the plain image byte for byte" sh -c \
	"tail -c \$(wc -c < '$W/plain.img') '$W/D.img' | cmp -s - '$W/plain.img'"
printf 'not an initrd at all' > "$W/junk.img"
"$FWKIT" ucode pack -o "$W/E.img" --initrd "$W/junk.img" "$MC/06-3c-03" > "$W/out" 2> "$W/err"
rc=$?
check "pack --initrd of a broken image: exit 2, one line naming it, nothing written" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q 'junk.img' '$W/err' && [ ! -e '$W/E.img' ]"

# ============================================================================
# AMD: synthetic containers
# ============================================================================
expect_exit 0 "pack of AMD containers" \
	"$FWKIT" ucode pack -o "$W/amd.img" "$AMDSEEDS/two-containers.bin" "$AMDSEEDS/one-container.bin" > /dev/null
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/AuthenticAMD.bin < amd.img > amd.bin)
"$FWKIT" ucode info --json "$W/amd.bin" > "$W/amd.json"
pyck "AuthenticAMD.bin parses: the superseded 0x0800820d dropped, each CPU named once" "$W/amd.json" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert f["vendor"] == "amd"
revs = sorted(u["revision"] for u in f["updates"])
assert revs == sorted([0x0800126e, 0x0800820e, 0x08701034, 0x0a00107a, 0x0a0011d5]), revs
cpus = [e["installed_cpu"] for c in f["containers"] for e in c["equivalence"]]
assert len(cpus) == len(set(cpus)) == 5, cpus
EOF
"$FWKIT" ucode pack -o "$W/amd1.img" --cpu 0x00800f82 "$AMDSEEDS/two-containers.bin" > /dev/null
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/AuthenticAMD.bin < amd1.img > amd1.bin)
"$FWKIT" ucode info --json "$W/amd1.bin" > "$W/amd.json"
pyck "pack --cpu 0x00800f82: one container, one entry, the newer patch 0x0800820e" "$W/amd.json" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert [u["revision"] for u in f["updates"]] == [0x0800820e], f
assert [[e["installed_cpu"] for e in c["equivalence"]] for c in f["containers"]] == [[0x00800f82]], f
EOF
"$FWKIT" ucode pack -o "$W/both.img" "$MC/06-3c-03" "$AMDSEEDS/one-container.bin" > /dev/null
cpio -t < "$W/both.img" > "$W/cpio-t" 2>/dev/null
check "Intel and AMD together: both files in one archive" sh -c \
	"grep -qx kernel/x86/microcode/AuthenticAMD.bin '$W/cpio-t' && grep -qx kernel/x86/microcode/GenuineIntel.bin '$W/cpio-t'"
"$FWKIT" ucode info "$AMDSEEDS/not-in-table.bin" > "$W/out" 2> "$W/err"
rc=$?
check "AMD patch whose equivalence id is not in the table: exit 2, the update named" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] &&
		grep -q ': update 1 at offset 0x3c: processor_rev_id: ' '$W/err'"

# ============================================================================
# damaged files: single flipped bytes
# ============================================================================
pyck "flipped bytes of 06-9a-04 and 06-97-02 (headers, extended tables, 200 data bytes): exit 2, one line naming the update" \
	"$FWKIT" "$MC" "$W" <<'EOF'
import os, struct, subprocess, sys
fwkit, mc, w = sys.argv[1:4]
runs = 0
for name in ("06-9a-04", "06-97-02"):
    d = open(os.path.join(mc, name), "rb").read()
    starts, positions, o = [], [], 0
    while o < len(d):
        starts.append(o)
        ds = struct.unpack_from("<I", d, o + 28)[0] or 2000
        ts = struct.unpack_from("<I", d, o + 32)[0] or 2048
        positions += list(range(o, o + 48)) + list(range(o + 48 + ds, o + ts))
        o += ts
    positions += [(k * 2654435761) % len(d) for k in range(200)]
    for p in positions:
        e = bytearray(d)
        e[p] ^= 0x5a
        path = os.path.join(w, "flip.bin")
        open(path, "wb").write(e)
        r = subprocess.run([fwkit, "ucode", "pack", "-o", os.path.join(w, "flip.img"), path],
                           capture_output=True, text=True)
        u = max(i for i, s in enumerate(starts) if s <= p)
        want = "fwkit: %s: update %d at offset 0x%x: " % (path, u + 1, starts[u])
        lines = r.stderr.splitlines()
        assert r.returncode == 2 and len(lines) == 1 and lines[0].startswith(want) and \
            "damaged" in lines[0] and not os.path.exists(os.path.join(w, "flip.img")), \
            (name, p, r.returncode, r.stderr)
        runs += 1
assert runs >= 600, runs
print(runs)
EOF

# ============================================================================
# --host
# ============================================================================
"$FWKIT" ucode pack -o "$W/host.img" --host "$MC/06-3c-03" > "$W/out" 2> "$W/err"
rc=$?
pyck "pack --host: the signature shown is /proc/cpuinfo's family, model, stepping (exit $rc)" \
	"$W/out" "$rc" <<'EOF'
import re, sys
out = open(sys.argv[1]).read()
m = re.search(r"host CPU: (\S+), signature 0x([0-9a-f]{8}), platform mask 0x([0-9a-f]{2})", out)
assert m, out
info = {}
for line in open("/proc/cpuinfo"):
    if ":" in line:
        k, v = line.split(":", 1)
        info.setdefault(k.strip(), v.strip())
    if not line.strip():
        break
sig = int(m.group(2), 16)
base, ext = (sig >> 8) & 0xf, (sig >> 20) & 0xff
family = base + ext if base == 0xf else base
model = ((sig >> 4) & 0xf) | (((sig >> 16) & 0xf) << 4 if base in (6, 0xf) else 0)
assert m.group(1) == info["vendor_id"], (m.group(1), info["vendor_id"])
assert family == int(info["cpu family"]) and model == int(info["model"]) and \
       (sig & 0xf) == int(info["stepping"]), (hex(sig), info)
assert sys.argv[2] in ("0", "1")
EOF

finish
