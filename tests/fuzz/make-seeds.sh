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
