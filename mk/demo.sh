#!/bin/sh
# SPDX-License-Identifier: MIT
# mk/demo.sh FWKIT - what fwkit does so far, end to end on a built-in example:
# build an initramfs, put early microcode in front, list, extract, check.
set -eu
F=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D="$ROOT/build/demo"
rm -rf "$D" && mkdir -p "$D"
step() { printf '\n==> %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Build a compressed initramfs from the example tree integration/demo/rootfs"
run "$F" initrd build -o "$D/main.img" --compress zstd "$ROOT/integration/demo/rootfs"

MC="$ROOT/../shared/corpus/microcode/intel"
if [ -d "$MC" ] && command -v iucode_tool >/dev/null; then
	step "Collect real Intel microcode from ../shared/corpus with iucode_tool"
	run iucode_tool -q --write-to="$D/GenuineIntel.bin" "$MC"/[0-9]*
else
	step "No ../shared/corpus here: a stand-in file plays the microcode"
	printf 'fwkit demo stand-in for GenuineIntel.bin\n' > "$D/GenuineIntel.bin"
fi

step "Prepend an uncompressed early archive, where the kernel looks for microcode"
run "$F" initrd prepend -o "$D/initrd.img" "$D/main.img" \
	kernel/x86/microcode/GenuineIntel.bin="$D/GenuineIntel.bin"

step "List every segment and entry"
run "$F" initrd ls "$D/initrd.img"

step "Extract it (segments go to early/ and main/, as unmkinitramfs does)"
run "$F" initrd extract "$D/initrd.img" "$D/extracted"
if diff -r "$ROOT/integration/demo/rootfs" "$D/extracted/main" >/dev/null &&
   cmp -s "$D/GenuineIntel.bin" "$D/extracted/early/kernel/x86/microcode/GenuineIntel.bin"; then
	echo "every extracted file is byte-identical to its source"
else
	echo "MISMATCH between the sources and the extracted files"; exit 1
fi

step "Build again: deterministic output, byte for byte"
run "$F" initrd build -o "$D/main2.img" --compress zstd "$ROOT/integration/demo/rootfs"
if cmp -s "$D/main.img" "$D/main2.img"; then
	echo "identical: $(sha256sum < "$D/main.img" | cut -c1-16)..."
else
	echo "the two builds differ"; exit 1
fi

step "A damaged image is refused with one line naming the offset and field"
head -c 3000 "$D/initrd.img" > "$D/truncated.img"
printf '$ %s\n' "$F initrd ls $D/truncated.img"
rc=0
"$F" initrd ls "$D/truncated.img" || rc=$?
[ "$rc" -eq 2 ] || { echo "expected exit status 2, got $rc"; exit 1; }
echo "(exit status 2: bad input)"

printf '\nfwkit demo: done; outputs are in %s\n' "$D"
