#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/real/ucode-amd-debian.sh - Debian's real AMD microcode: the
# amd64-microcode package (bookworm, non-free-firmware) fetched with a
# private apt configuration and cached in $FWKIT_CACHE, unpacked with
# dpkg -x.  Every file under lib/firmware/amd-ucode/ parses completely, its
# patches and equivalence entries as an independent python reading of the
# container format finds them; `ucode pack` of all of them (and for one
# CPU) gives an AuthenticAMD.bin that parses again and from which the
# kernel's early loader would take the newest patch for every CPU.
# A network failure fails the suite; nothing is skipped.
. "$(dirname "$0")/../lib.sh"
need apt-get dpkg python3 cpio
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the package, downloaded once ----------------------------------------
A="$FWKIT_CACHE/apt-amd"
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/debs" ||
	die "cannot create $A (set FWKIT_CACHE to a writable directory)"
DEB=$(ls "$A/debs"/amd64-microcode_*_amd64.deb 2>/dev/null | tail -n 1)
if [ -z "$DEB" ]; then
	echo 'deb http://deb.debian.org/debian bookworm non-free-firmware' > "$A/sources.list"
	set -- -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache" \
		-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o APT::Architecture=amd64 -o Acquire::Retries=3
	[ "$(id -u)" = 0 ] && set -- "$@" -o APT::Sandbox::User=root
	# apt-get update exits 0 when a fetch fails; its "Err:" lines tell.
	if ! apt-get "$@" -q update > "$W/apt.log" 2>&1 || grep -q '^Err:' "$W/apt.log"; then
		die "apt-get update of the private bookworm non-free-firmware source failed (network?): $(grep -A1 '^Err:' "$W/apt.log" | tail -n 1 | sed 's/^ *//'); $(tail -n 1 "$W/apt.log")"
	fi
	(cd "$A/debs" && apt-get "$@" -q download amd64-microcode) > "$W/apt.log" 2>&1 ||
		die "apt-get download amd64-microcode failed: $(tail -n 3 "$W/apt.log" | tr '\n' ' ')"
	DEB=$(ls "$A/debs"/amd64-microcode_*_amd64.deb 2>/dev/null | tail -n 1)
	[ -n "$DEB" ] || die "apt-get download left no amd64-microcode .deb in $A/debs"
fi
ok "amd64-microcode package: $(basename "$DEB") (cached in $A/debs)"
dpkg -x "$DEB" "$W/pkg" || die "dpkg -x $DEB failed"
U="$W/pkg/lib/firmware/amd-ucode"
set -- "$U"/*
[ -f "$1" ] || die "no microcode files under lib/firmware/amd-ucode in $DEB"

# ---- an independent reading of the container format ------------------------
cat > "$W/amd.py" <<'EOF'
import json, struct, sys

def read(d):
    """containers: [(table [(cpu, equiv)], patches [(offset, id, equiv, size)])]"""
    out, o = [], 0
    while o < len(d):
        magic, typ, size = struct.unpack_from("<3I", d, o)
        assert magic == 0x00414D44 and typ == 0 and size % 16 == 0, (o, magic, typ, size)
        ents = [struct.unpack_from("<IIIHH", d, o + 12 + 16 * i) for i in range(size // 16)]
        assert ents[-1] == (0, 0, 0, 0, 0)
        table = [(e[0], e[3]) for e in ents[:-1]]
        o += 12 + size
        patches = []
        while o < len(d) and struct.unpack_from("<I", d, o)[0] != 0x00414D44:
            typ, size = struct.unpack_from("<2I", d, o)
            assert typ == 1 and o + 8 + size <= len(d), (o, typ, size)
            pid = struct.unpack_from("<I", d, o + 12)[0]
            eq = struct.unpack_from("<H", d, o + 8 + 24)[0]
            patches.append((o, pid, eq, size))
            o += 8 + size
        out.append((table, patches))
    return out

def newest(files):
    """cpu -> newest patch id over all containers of all files"""
    best = {}
    for d in files:
        for table, patches in read(d):
            for cpu, eq in table:
                for _, pid, peq, _ in patches:
                    if peq == eq and pid > best.get(cpu, -1):
                        best[cpu] = pid
    return best

def kernel_pick(d, cpu):
    """Linux 6.1's early loader: the first container naming cpu, its last
    patch with that equivalence id."""
    for table, patches in read(d):
        eq = dict(table).get(cpu)
        if eq is None:
            continue
        found = [pid for _, pid, peq, _ in patches if peq == eq]
        if found:
            return found[-1]
    return None

cmd = sys.argv[1]
if cmd == "compare":          # compare INFO.json FILE...: counts and patches
    j = json.load(open(sys.argv[2]))
    byfile = {f["file"]: f for f in j["files"]}
    tp = te = 0
    for path in sys.argv[3:]:
        c = read(open(path, "rb").read())
        f = byfile[path]
        assert f["vendor"] == "amd"
        patches = [p for _, ps in c for p in ps]
        entries = sum(len(t) for t, _ in c)
        assert f["count"] == len(patches) > 0, (path, f["count"], len(patches))
        assert f["equivalence_entries"] == entries, (path, f["equivalence_entries"], entries)
        assert len(f["containers"]) == len(c)
        got = [(u["offset"], u["revision"], u["equiv_id"], u["size"]) for u in f["updates"]]
        assert got == patches, (path, got[:3], patches[:3])
        for cont, (table, _) in zip(f["containers"], c):
            assert [(e["installed_cpu"], e["equiv_cpu"]) for e in cont["equivalence"]] == table
        tp += len(patches)
        te += entries
    assert j["count"] == tp
    print(tp, te)
elif cmd == "packed":         # packed BIN FILE...: every CPU gets its newest
    packed = open(sys.argv[2], "rb").read()
    best = newest([open(p, "rb").read() for p in sys.argv[3:]])
    for cpu, pid in best.items():
        assert kernel_pick(packed, cpu) == pid, (hex(cpu), kernel_pick(packed, cpu), hex(pid))
    cpus = [c for t, _ in read(packed) for c, _ in t]
    assert len(cpus) == len(set(cpus)) == len(best), (len(cpus), len(best))
    print(len(best))
elif cmd == "one":            # one BIN CPU FILE...: only the newest patch for CPU
    packed = open(sys.argv[2], "rb").read()
    cpu = int(sys.argv[3], 0)
    best = newest([open(p, "rb").read() for p in sys.argv[4:]])
    c = read(packed)
    assert len(c) == 1 and c[0][0] == [(cpu, c[0][0][0][1])] and len(c[0][1]) == 1, c
    assert c[0][1][0][1] == best[cpu]
elif cmd == "cpus":           # cpus FILE: the CPUs of its first table
    print(" ".join("0x%08x" % c for c, _ in read(open(sys.argv[2], "rb").read())[0][0]))
EOF

# ---- every file parses, as the python reading says ---------------------------
total=0
for f in "$@"; do
	"$FWKIT" ucode info --json "$f" > "$W/info.json" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 0 ] && python3 "$W/amd.py" compare "$W/info.json" "$f" > "$W/n" 2> "$W/py.err"; then
		read -r np ne < "$W/n"
		total=$((total + np))
		ok "$(basename "$f"): exit 0, $np patches and $ne equivalence entries, as an independent reading finds them"
	else
		notok "$(basename "$f"): exit $rc: $(cat "$W/err") $(tail -n 2 "$W/py.err")"
	fi
done
"$FWKIT" ucode info --json "$@" > "$W/info.json" 2> "$W/err"
rc=$?
if [ "$rc" -eq 0 ] && python3 "$W/amd.py" compare "$W/info.json" "$@" > "$W/n" 2> "$W/py.err"; then
	read -r np ne < "$W/n"
	check "all $# files at once: $np patches (the per-file sum $total), $ne equivalence entries" \
		test "$np" -eq "$total" -a "$np" -gt 0
else
	notok "all files at once: exit $rc: $(cat "$W/err") $(tail -n 2 "$W/py.err")"
fi
"$FWKIT" ucode info "$@" > "$W/info.txt" 2> "$W/err"
check "text listing: exit 0, one bundle line per file" \
	sh -c "[ \$(grep -c '^microcode bundle ' '$W/info.txt') -eq $# ] && [ ! -s '$W/err' ]"

# ---- pack: AuthenticAMD.bin parses and serves every CPU its newest -----------
expect_exit 0 "pack of every file" "$FWKIT" ucode pack -o "$W/amd.img" "$@" > /dev/null
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/AuthenticAMD.bin < amd.img > amd.bin)
expect_exit 0 "the packed AuthenticAMD.bin parses again" "$FWKIT" ucode info "$W/amd.bin" > /dev/null
if python3 "$W/amd.py" packed "$W/amd.bin" "$@" > "$W/n" 2> "$W/py.err"; then
	ok "the kernel's early loader would take the newest patch for each of $(cat "$W/n") CPUs"
else
	notok "packed AuthenticAMD.bin: $(tail -n 2 "$W/py.err")"
fi
"$FWKIT" initrd ls --json "$W/amd.img" > "$W/ls.json"
check "initrd ls: one early archive ending in AuthenticAMD.bin, its data 16-byte aligned" \
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["segments"]; e=s[0]["entries"][-1]; assert len(s)==1 and e["name"]=="kernel/x86/microcode/AuthenticAMD.bin" and e["data_offset"]%16==0' "$W/ls.json"

cpu=$(python3 "$W/amd.py" cpus "$U/microcode_amd_fam19h.bin" | awk '{print $1}')
[ -n "$cpu" ] || die "no CPU in microcode_amd_fam19h.bin's table"
"$FWKIT" ucode pack -o "$W/one.img" --cpu "$cpu" "$@" > /dev/null
(cd "$W" && cpio -i --quiet --to-stdout kernel/x86/microcode/AuthenticAMD.bin < one.img > one.bin)
if python3 "$W/amd.py" one "$W/one.bin" "$cpu" "$@" 2> "$W/py.err"; then
	ok "pack --cpu $cpu: one container, one entry, that CPU's newest patch"
else
	notok "pack --cpu $cpu: $(tail -n 2 "$W/py.err")"
fi
finish
