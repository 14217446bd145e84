#!/bin/sh
# SPDX-License-Identifier: MIT
# mkmodules.sh DIR - build the test kernel's four demo boot modules into DIR:
#
#   dsdt.aml      modules/dsdt.dsl compiled by `fwkit acpi compile` (iasl)
#   overlay.dtbo  modules/overlay.dtso compiled by dtc
#   ucode.cpio    real Intel microcode (two updates, from FWKIT_UCODE_DIR:
#                 06-1e-05 then 06-3c-03) as kernel/x86/microcode/
#                 GenuineIntel.bin in a newc archive by `fwkit initrd build`
#   pmic.fwb      a 16 KiB payload wrapped by `fwkit blob pack` for
#                 acme,pmic-x1, type pmic, version 7, unsigned
#
# Every output is deterministic (same tools, same bytes), written beside
# under a temporary name and renamed, so DIR never holds half a module.
# FWKIT names the fwkit binary (default: build/fwkit of this tree).
# Exit 0, or 1 with one line on stderr naming what failed.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/integration/testkernel/modules
: "${FWKIT:=$ROOT/build/fwkit}"
: "${FWKIT_UCODE_DIR:=$ROOT/../shared/corpus/microcode/intel}"

fail() { echo "mkmodules.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || fail "usage: mkmodules.sh DIR"
OUT=$1
[ -x "$FWKIT" ] || fail "FWKIT=$FWKIT is not an executable (run make)"
command -v dtc > /dev/null 2>&1 || fail "dtc not found (Debian: device-tree-compiler)"
command -v iasl > /dev/null 2>&1 || fail "iasl not found (Debian: acpica-tools)"
for u in 06-1e-05 06-3c-03; do
	[ -s "$FWKIT_UCODE_DIR/$u" ] || fail "$FWKIT_UCODE_DIR/$u: missing (set FWKIT_UCODE_DIR)"
done
mkdir -p "$OUT" || fail "$OUT: cannot create"
W=$(mktemp -d "$OUT/.mkmodules.XXXXXX") || fail "$OUT: cannot make a temporary directory"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP

"$FWKIT" acpi compile -o "$W/dsdt.aml" "$SRC/dsdt.dsl" > "$W/log" 2>&1 ||
	fail "$SRC/dsdt.dsl: fwkit acpi compile failed: $(tail -n 1 "$W/log")"

dtc -q -I dts -O dtb -o "$W/overlay.dtbo" "$SRC/overlay.dtso" 2> "$W/log" ||
	fail "$SRC/overlay.dtso: dtc failed: $(head -n 1 "$W/log")"

cat "$FWKIT_UCODE_DIR/06-1e-05" "$FWKIT_UCODE_DIR/06-3c-03" > "$W/GenuineIntel.bin" ||
	fail "cannot read the microcode"
SOURCE_DATE_EPOCH=0 "$FWKIT" initrd build -o "$W/ucode.cpio" \
	"kernel/x86/microcode/GenuineIntel.bin=$W/GenuineIntel.bin" > "$W/log" 2>&1 ||
	fail "fwkit initrd build failed: $(tail -n 1 "$W/log")"

# The payload is data the kernel must never run: text, easy to recognise.
yes 'fwkit testkernel pmic firmware image, never executed' | head -c 16384 > "$W/pmic.bin" ||
	fail "cannot write the pmic payload"
"$FWKIT" blob pack --target acme,pmic-x1 --type pmic --version 7 \
	-o "$W/pmic.fwb" "$W/pmic.bin" > "$W/log" 2>&1 ||
	fail "fwkit blob pack failed: $(tail -n 1 "$W/log")"

for m in dsdt.aml overlay.dtbo ucode.cpio pmic.fwb; do
	mv -f "$W/$m" "$OUT/$m" || fail "$OUT/$m: cannot write"
done
exit 0
