#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/initrd.sh - fwkit initrd as a user drives it: malformed images,
# unsafe archives, usage errors, prepend, and the one-line error contract.
. "$(dirname "$0")/../lib.sh"
need python3 cpio iucode_tool gzip
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
MC="$FWKIT_ROOT/../shared/corpus/microcode/intel"
[ -d "$MC" ] || die "$MC missing: ../shared must sit beside the repository"

python3 "$FWKIT_ROOT/tests/cli/mkbad.py" "$W/bad" > "$W/cases" || die "fixture generator failed"

# Each malformed image: exit 2, exactly one stderr line, naming the file, the
# offset and the field; nothing on stdout.
while read -r name off field; do
	field=$(echo "$field" | tr _ ' ' | sed 's/^c /c_/')
	"$FWKIT" initrd ls "$W/bad/$name" > "$W/out" 2> "$W/err"
	rc=$?
	lines=$(wc -l < "$W/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$W/out" ] &&
	   grep -q "^fwkit: $W/bad/$name: .*offset $off: $field: " "$W/err"; then
		ok "ls $name: exit 2, one line naming offset $off and $field"
	else
		notok "ls $name: rc=$rc lines=$lines want offset $off field '$field'; got: $(cat "$W/err")"
	fi
	"$FWKIT" initrd extract "$W/bad/$name" "$W/x-$name" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -e "$W/x-$name" ]; then
		ok "extract $name: exit 2, nothing written"
	else
		notok "extract $name: rc=$rc, exists=$( [ -e "$W/x-$name" ] && echo yes || echo no)"
	fi
done < "$W/cases"
check "every fixture was exercised ($(wc -l < "$W/cases") cases)" test "$(wc -l < "$W/cases")" -ge 20

# Unsafe archives: listed fine, refused by extract with nothing outside DIR.
for name in abs-name dotdot-name dotdot-inner symlink-escape symlink-abs-escape symlink-loop device-node; do
	expect_exit 0 "ls accepts well-formed $name" "$FWKIT" initrd ls "$W/bad/$name.cpio" >/dev/null
	mkdir -p "$W/x/$name/inside"
	"$FWKIT" initrd extract "$W/bad/$name.cpio" "$W/x/$name/inside" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l < "$W/err")" -eq 1 ] &&
	   [ -z "$(find "$W/x/$name" "$W/x" /tmp /etc -maxdepth 2 -name 'fwkit-evil*' 2>/dev/null)" ]; then
		ok "extract refuses $name: $(cut -c1-120 < "$W/err")"
	else
		notok "extract $name: rc=$rc; $(cat "$W/err"); found: $(find "$W/x" /tmp -maxdepth 3 -name 'fwkit-evil*')"
	fi
done
"$FWKIT" initrd extract "$W/bad/symlink-loop.cpio" "$W/y" 2> "$W/err"
check "a symlink loop is named as such" grep -q "symlink loop in its path" "$W/err"
"$FWKIT" initrd extract "$W/bad/symlink-escape.cpio" "$W/y" 2> "$W/err"
check "an escape is refused before anything is written" test ! -e "$W/y"
expect_exit 0 "a write through an in-root symlink (lib -> usr/lib) is allowed" \
	"$FWKIT" initrd extract "$W/bad/symlink-inside.cpio" "$W/in"
check "it lands at usr/lib/x" test "$(cat "$W/in/usr/lib/x")" = ok
check "an absolute symlink is created, not followed" test "$(readlink "$W/in/sbin")" = /usr/sbin
"$FWKIT" initrd extract "$W/bad/dotdot-name.cpio" "$W/y" 2> "$W/err"
check "the refusal names the entry and why" grep -q "offset 0 (../fwkit-evil): '..' component refused" "$W/err"
check "a refused archive creates no target directory" test ! -e "$W/y"
if [ "$(id -u)" = 0 ]; then
	expect_exit 0 "--devices creates a device node as root" \
		"$FWKIT" initrd extract --devices "$W/bad/device-node.cpio" "$W/dev"
	check "the node is char 1,3" sh -c "stat -c '%F %t %T' '$W/dev/dev/null' | grep -q 'character special file 1 3'"
fi

# Existing files are not overwritten unless --force.
mkdir -p "$W/t/sub" && printf 'one' > "$W/t/sub/f" && printf 'two' > "$W/t2"
"$FWKIT" initrd build -o "$W/i1" "$W/t" || die "build failed"
"$FWKIT" initrd build -o "$W/i2" sub/f="$W/t2" || die "build failed"
expect_exit 0 "extract into a new directory" "$FWKIT" initrd extract "$W/i1" "$W/e"
expect_exit 2 "extract refuses to overwrite" "$FWKIT" initrd extract "$W/i2" "$W/e" 2>/dev/null
check "the existing file is untouched" test "$(cat "$W/e/sub/f")" = one
expect_exit 0 "extract --force overwrites" "$FWKIT" initrd extract --force "$W/i2" "$W/e"
check "the file was replaced" test "$(cat "$W/e/sub/f")" = two
check "no temporary files are left" test -z "$(find "$W/e" -name '.fwkit-tmp*')"

# A build that fails leaves nothing, not even a temp file.
expect_exit 2 "build of a missing source fails" "$FWKIT" initrd build -o "$W/none.img" a="$W/missing" 2>/dev/null
check "no output and no temp file after a failed build" test -z "$(ls "$W" | grep none.img)"
chmod 000 "$W/t/sub/f"
if [ "$(id -u)" != 0 ]; then
	expect_exit 2 "unreadable source fails the build" "$FWKIT" initrd build -o "$W/none.img" "$W/t"
fi
chmod 644 "$W/t/sub/f"
expect_exit 2 "'..' in DEST is refused" "$FWKIT" initrd build -o "$W/none.img" ../x="$W/t2" 2>/dev/null
expect_exit 2 "a file where a directory is needed is refused" \
	"$FWKIT" initrd build -o "$W/none.img" a="$W/t2" a/b="$W/t2" 2>/dev/null
check "still no output" test ! -e "$W/none.img"

# Usage errors: exit 2 with a pointer to --help.
expect_exit 2 "no arguments" "$FWKIT" 2>/dev/null
expect_exit 2 "unknown command" "$FWKIT" frobnicate 2>/dev/null
expect_exit 2 "ls without IMAGE" "$FWKIT" initrd ls 2>/dev/null
expect_exit 2 "build without -o" "$FWKIT" initrd build "$W/t" 2>/dev/null
expect_exit 2 "bad --compress" "$FWKIT" initrd build -o "$W/o" --compress rar "$W/t" 2>/dev/null
expect_exit 2 "bad --align" "$FWKIT" initrd build -o "$W/o" --align 3 "$W/t" 2>/dev/null
expect_exit 2 "prepend needs DEST=SRC" "$FWKIT" initrd prepend -o "$W/o" "$W/i1" "$W/t2" 2>/dev/null
expect_exit 2 "missing image" "$FWKIT" initrd ls "$W/nonexistent" 2>/dev/null
expect_exit 0 "--help" "$FWKIT" initrd --help >/dev/null
expect_exit 0 "build --help" "$FWKIT" initrd build --help >/dev/null
expect_exit 0 "--version" "$FWKIT" --version >/dev/null
SOURCE_DATE_EPOCH=yesterday "$FWKIT" initrd build -o "$W/o" "$W/t" 2> "$W/err"
check "a bad SOURCE_DATE_EPOCH is named" grep -q "SOURCE_DATE_EPOCH" "$W/err"

# prepend: microcode in an early archive in front of a gzip image; the
# kernel's path, 16-byte data alignment, and the image kept byte for byte.
iucode_tool -q --write-to="$W/GenuineIntel.bin" "$MC"/[0-9]* || die "iucode_tool failed"
"$FWKIT" initrd build -o "$W/main.img" --compress gzip "$W/t" || die "build failed"
expect_exit 0 "prepend microcode" "$FWKIT" initrd prepend -o "$W/full.img" "$W/main.img" \
	kernel/x86/microcode/GenuineIntel.bin="$W/GenuineIntel.bin"
"$FWKIT" initrd ls --json "$W/full.img" > "$W/full.json"
check "two segments: cpio then gzip" python3 -c "
import json,sys; j=json.load(open('$W/full.json'))
s=j['segments']; assert [x['format'] for x in s]==['cpio','gzip'], s
e={x['name']:x for x in s[0]['entries']}
m=e['kernel/x86/microcode/GenuineIntel.bin']
assert m['data_offset'] % 16 == 0, m
assert m['size']==$(stat -c %s "$W/GenuineIntel.bin")
assert s[1]['offset'] % 512 == 0
"
off=$(python3 -c "import json; print(json.load(open('$W/full.json'))['segments'][1]['offset'])")
check "the original image follows unchanged" sh -c "tail -c +$((off + 1)) '$W/full.img' | cmp -s - '$W/main.img'"
check "the kernel's microcode path is found by GNU cpio" sh -c "cpio -t < '$W/full.img' 2>/dev/null | grep -qx kernel/x86/microcode/GenuineIntel.bin"
mkdir -p "$W/ex" && (cd "$W/ex" && cpio -id --quiet < "$W/full.img")
check "GNU cpio extracts the same microcode bytes" cmp -s "$W/ex/kernel/x86/microcode/GenuineIntel.bin" "$W/GenuineIntel.bin"
expect_exit 2 "prepend refuses a broken image" "$FWKIT" initrd prepend -o "$W/p.img" \
	"$W/bad/gzip-truncated.img" a="$W/t2" 2>/dev/null
check "and writes nothing" test ! -e "$W/p.img"

finish
