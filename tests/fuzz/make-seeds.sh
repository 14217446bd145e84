#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/fuzz/make-seeds.sh - regenerate the fuzz seed corpus in
# tests/fuzz/corpus/initrd/ with GNU cpio, iucode_tool and the compressors:
# small (< 8 KiB), deterministic, and free of anyone's firmware (the
# microcode in them is a synthetic, checksum-correct update).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/tests/fuzz/corpus/initrd"

for t in cpio iucode_tool gzip xz zstd bzip2 lz4 lzop; do
	command -v "$t" >/dev/null 2>&1 || { echo "make-seeds.sh: '$t' not found" >&2; exit 1; }
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# Bytes from hex pairs: hex 1f 8b ...
hex() {
	for h in "$@"; do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "0x$h")"
	done
}

# A little-endian 32-bit word.
le32() {
	v=$(( $1 & 0xffffffff ))
	hex "$(printf '%02x' $((v & 255)))" "$(printf '%02x' $((v >> 8 & 255)))" \
	    "$(printf '%02x' $((v >> 16 & 255)))" "$(printf '%02x' $((v >> 24 & 255)))"
}

le16() {
	hex "$(printf '%02x' $(($1 & 255)))" "$(printf '%02x' $(($1 >> 8 & 255)))"
}

# A small tree with each kind of entry GNU cpio writes, fixed times.
T="$TMP/tree"
mkdir -p "$T/etc" "$T/bin" "$T/dev"
printf 'hello from the initramfs\n' > "$T/etc/motd"
: > "$T/etc/empty"
printf '#!/bin/sh\nexec /bin/sh\n' > "$T/init"
chmod 0755 "$T/init"
ln "$T/etc/motd" "$T/etc/motd.hard"
ln -s ../init "$T/bin/init"
mkfifo "$T/dev/fifo"
find "$T" -exec touch -h -d @1700000000 {} +
list() { (cd "$T" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||'); }
cpio_of() { (cd "$T" && list | cpio -o -H "$1" --reproducible --owner=0:0 --quiet); }

cpio_of newc > "$TMP/newc.cpio"
cpio_of crc > "$TMP/crc.cpio"

# A synthetic Intel microcode update: 48-byte header, 976 zero bytes of
# data, total 1024, checksum making the dword sum zero.
rev=$((0x42)); date=$((0x01012024)); sig=$((0x000906a3)); pf=$((0x80))
sum=$(( (1 + rev + date + sig + 1 + pf + 976 + 1024) & 0xffffffff ))
{
	le32 1; le32 $rev; le32 $date; le32 $sig
	le32 $(( (0x100000000 - sum) & 0xffffffff ))
	le32 1; le32 $pf; le32 976; le32 1024; le32 0; le32 0; le32 0
	head -c 976 /dev/zero
} > "$TMP/ucode.bin"
iucode_tool -q -tb --write-earlyfw="$TMP/early.cpio" "$TMP/ucode.bin"

# A main archive small enough to compress into a few hundred bytes.
M="$TMP/main"
mkdir -p "$M/etc"
printf 'main\n' > "$M/etc/hostname"
find "$M" -exec touch -h -d @1700000000 {} +
(cd "$M" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||' |
	cpio -o -H newc --reproducible --owner=0:0 --quiet) > "$TMP/main.cpio"

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$TMP/newc.cpio" "$OUT/newc-tree.cpio"
cp "$TMP/crc.cpio" "$OUT/crc-tree.cpio"
cp "$TMP/early.cpio" "$OUT/early-ucode.cpio"
# Archives back to back, NULs between them, as dracut concatenates them.
{ cat "$TMP/early.cpio" "$TMP/crc.cpio"; head -c 16 /dev/zero; cat "$TMP/main.cpio"; } \
	> "$OUT/concatenated.img"
# An early archive then each compressed main archive the kernel knows.
gzip -n -9 -c "$TMP/main.cpio" > "$TMP/main.gz"
xz --check=crc32 -c "$TMP/main.cpio" > "$TMP/main.xz"
xz --format=lzma -c "$TMP/main.cpio" > "$TMP/main.lzma"
zstd -q -19 -c "$TMP/main.cpio" > "$TMP/main.zst"
bzip2 -9 -c "$TMP/main.cpio" > "$TMP/main.bz2"
lz4 -q -l -9 -c "$TMP/main.cpio" > "$TMP/main.lz4"
# lzop stores its input's mtime (and name, unless it reads stdin): pin both.
touch -d @1700000000 "$TMP/main.cpio"
lzop -c < "$TMP/main.cpio" > "$TMP/main.lzo"
for z in gz xz lzma zst bz2 lz4 lzo; do
	cat "$TMP/early.cpio" "$TMP/main.$z" > "$OUT/early-then-$z.img"
done
# The stream, then (as a decompressor would leave it) another archive.
{ cat "$TMP/main.gz"; head -c $(( (4 - $(wc -c < "$TMP/main.gz") % 4) % 4 + 8 )) /dev/zero
  cat "$TMP/newc.cpio"; } > "$OUT/gzip-then-cpio.img"

# Writer mode (first byte 'W'): cap selector, base selector, mtime, block
# selector, an 8-byte probe offset, then records:
#   kind flags perm:16 namelen:16 name size:16 data [generic fields]
{
	printf 'W'; hex 3f 00; le32 1700000000; hex 04; le32 0; le32 4096
	hex 00 00; le16 493; le16 3; printf 'etc'; le16 0
	hex 01 02; le16 420; le16 8; printf 'etc/motd'; le16 6; printf 'hello\n'
	hex 02 40; le16 511; le16 8; printf 'etc/link'; le16 4; printf 'motd'
	le16 0; le16 0; hex 01; le32 7; hex 00 00; le16 0; le16 0
	hex 02 60; le16 384; le16 11; printf 'dev/console'; le16 0
	le16 0; le16 5; hex 01; le32 7; hex 00 00; le16 5; le16 1
} > "$OUT/writer-tree.bin"
{
	printf 'W'; hex 07 01; le32 0; hex 00; le32 0; le32 0
	hex 01 04; le16 420; le16 37; printf 'kernel/x86/microcode/GenuineIntel.bin'
	le16 48; head -c 48 "$TMP/ucode.bin"
	hex 01 05; le16 420; le16 1; printf 'x'; le16 1; printf 'y'
} > "$OUT/writer-small-buffer.bin"

for f in "$OUT"/*; do
	n=$(wc -c < "$f")
	if [ "$n" -ge 8192 ]; then
		echo "make-seeds.sh: $f is $n bytes, over 8 KiB" >&2
		exit 1
	fi
done
ls -l "$OUT"

# ---- Microcode seeds: tests/fuzz/corpus/ucode_intel/ and ucode_amd/ -------
# Synthetic Intel updates (right checksums; default sizes, an extended
# signature table, several updates in one file) and AMD containers (one and
# two containers, each family's size limit), plus one defect each for the
# error paths.  No vendor's microcode in them.
command -v python3 >/dev/null 2>&1 || { echo "make-seeds.sh: 'python3' not found" >&2; exit 1; }
python3 - "$ROOT/tests/fuzz/corpus" <<'EOF'
import os, shutil, struct, sys

base = sys.argv[1]

def dsum(b):
    return sum(struct.unpack_from("<%dI" % (len(b) // 4), b)) & 0xffffffff

def intel(rev, sig, pf, data_size=976, total_size=1024, ext=()):
    ds = data_size or 2000
    ts = total_size or 2048
    data = bytes((i * 7 + rev) & 0xff for i in range(ds))
    h = struct.pack("<12I", 1, rev, 0x01152024, sig, 0, 1, pf, data_size, total_size, 0, 0, 0)
    ck = (-dsum(h + data)) & 0xffffffff
    h = h[:16] + struct.pack("<I", ck) + h[20:]
    tail = b""
    if ext:
        mine = (sig + pf + ck) & 0xffffffff
        ents = b"".join(struct.pack("<3I", s, p, (mine - s - p) & 0xffffffff) for s, p in ext)
        x = struct.pack("<2I", len(ext), 0) + bytes(12) + ents
        xck = (-dsum(x)) & 0xffffffff
        tail = x[:4] + struct.pack("<I", xck) + x[8:]
    out = h + data + tail
    assert len(out) == ts, (len(out), ts)
    return out

def container(entries, patches):
    t = b"".join(struct.pack("<3I2H", c, 0, 0, e, 0) for c, e in entries) + bytes(16)
    out = struct.pack("<3I", 0x00414D44, 0, len(t)) + t
    for eq, pid, size in patches:
        h = struct.pack("<2IHBBIIIHBBB3s", 0x02262024, pid, 0x8000, 0, 0, 0, 0, 0, eq, 0, 0, 1, b"\0\0\0")
        h += bytes(64 - len(h))
        body = bytes((i ^ pid) & 0xff for i in range(size - 64))
        out += struct.pack("<2I", 1, size) + h + body
    return out

def write(sub, name, data):
    d = os.path.join(base, sub)
    os.makedirs(d, exist_ok=True)
    assert len(data) < 8192, name
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

for sub in ("ucode_intel", "ucode_amd"):
    shutil.rmtree(os.path.join(base, sub), ignore_errors=True)

one = intel(0x42, 0x906a3, 0x80)
ext = intel(0x43a, 0x906a3, 0x80, data_size=2048 - 48 - 44, total_size=2048,
            ext=((0x906a3, 0x80), (0x906a4, 0x80)))
write("ucode_intel", "one-update.bin", one)
write("ucode_intel", "default-sizes.bin", intel(8, 0xf07, 2, data_size=0, total_size=0))
write("ucode_intel", "extended-table.bin", ext)
write("ucode_intel", "three-updates.bin", one + ext + intel(0xb, 0x906a4, 0x40))
bad = bytearray(one)
bad[600] ^= 0x10
write("ucode_intel", "bad-checksum.bin", bytes(bad))

zen3 = [(0x00a00f10, 0xa010), (0x00a00f11, 0xa011)]
write("ucode_amd", "one-container.bin",
      container(zen3, [(0xa010, 0x0a00107a, 256), (0xa011, 0x0a0011d5, 128)]))
write("ucode_amd", "two-containers.bin",
      container([(0x00800f12, 0x8012), (0x00800f82, 0x8082)],
                [(0x8012, 0x0800126e, 128), (0x8082, 0x0800820d, 128)]) +
      container([(0x00800f82, 0x8082), (0x00870f10, 0x8710)],
                [(0x8082, 0x0800820e, 160), (0x8710, 0x08701034, 96)]))
write("ucode_amd", "family-limits.bin",
      container([(0x00100f22, 0x1022), (0x00500f10, 0x5010)],
                [(0x1022, 0x01000083, 2048), (0x5010, 0x05000029, 1824)]))
write("ucode_amd", "not-in-table.bin", container(zen3, [(0xa012, 0x0a001200, 96)]))
EOF
ls -l "$ROOT/tests/fuzz/corpus/ucode_intel" "$ROOT/tests/fuzz/corpus/ucode_amd"

# ---- Device-tree seeds: tests/fuzz/corpus/dt_check/ ------------------------
# dtc output of small sources written here: a board with labels, memory
# reservations and phandles (as v17 and v16), overlays targeting by label,
# by &{/path} and by target-path with local references between their own
# nodes, and a chain of nodes nested as deep as dt_check allows.
command -v dtc >/dev/null 2>&1 || { echo "make-seeds.sh: 'dtc' not found" >&2; exit 1; }
DT="$ROOT/tests/fuzz/corpus/dt_check"
rm -rf "$DT"
mkdir -p "$DT"
cat > "$TMP/board.dts" <<'EOF'
/dts-v1/;
/memreserve/ 0x80000000 0x100000;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	compatible = "fwkit,board";
	chosen { bootargs = "console=ttyS0"; };
	aliases { serial0 = &uart0; };
	memory@40000000 { device_type = "memory"; reg = <0x40000000 0x10000000>; };
	soc: soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		intc: interrupt-controller@1000 {
			compatible = "arm,gic-400";
			reg = <0x1000 0x100>;
			interrupt-controller;
			#interrupt-cells = <3>;
			#address-cells = <0>;
		};
		i2c1: i2c@2000 {
			compatible = "vendor,i2c";
			reg = <0x2000 0x100>;
			interrupt-parent = <&intc>;
			#address-cells = <1>;
			#size-cells = <0>;
			eeprom@50 { compatible = "atmel,24c02"; reg = <0x50>; };
		};
		uart0: serial@3000 {
			compatible = "ns16550a";
			reg = <0x3000 0x100>;
			interrupt-parent = <&intc>;
			linux,phandle = <0x40>;
			phandle = <0x40>;
		};
	};
};
EOF
cat > "$TMP/overlay.dts" <<'EOF'
/dts-v1/;
/plugin/;
&i2c1 {
	status = "okay";
	sensor: sensor@48 { compatible = "ti,tmp102"; reg = <0x48>; interrupt-parent = <&gpio>; };
};
&{/soc} {
	gpio: gpio@4000 {
		reg = <0x4000 0x100>;
		gpio-controller;
		nested { user = <&sensor &gpio 1 &intc>; };
	};
};
/ {
	fragment@10 { target-path = "/chosen"; __overlay__ { bootargs = "quiet"; }; };
};
EOF
{
	printf '/dts-v1/;\n/ {'
	i=0; while [ $i -lt 64 ]; do printf ' n%d {' $((i % 10)); i=$((i + 1)); done
	printf ' leaf = <1>;'
	i=0; while [ $i -lt 64 ]; do printf ' };'; i=$((i + 1)); done
	printf ' };\n'
} > "$TMP/deep.dts"
dtc -q -@ -I dts -O dtb -o "$DT/board.dtb" "$TMP/board.dts"
dtc -q -@ -V 16 -I dts -O dtb -o "$DT/board-v16.dtb" "$TMP/board.dts"
dtc -q -@ -I dts -O dtb -o "$DT/overlay.dtbo" "$TMP/overlay.dts"
dtc -q -I dts -O dtb -o "$DT/deep.dtb" "$TMP/deep.dts"
ls -l "$DT"
