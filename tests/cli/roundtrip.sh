# SPDX-License-Identifier: MIT
# tests/cli/roundtrip.sh - round-trips a varied file tree through
# `fwkit initrd build` and `fwkit initrd extract` with every compression, and
# cross-checks the uncompressed image with GNU cpio and bsdtar.
#
# Asserts, per compression (none, gzip, zstd, xz): build exits 0 and writes
# the right magic; `ls --json` reports one segment of that format whose
# entries match the tree (type, perm, size, symlink target, unique inodes);
# extract reproduces every file byte for byte (cmp), every mode, type and
# symlink target; two builds are byte-identical, and with SOURCE_DATE_EPOCH
# every entry's mtime is that value and the image does not depend on the
# files' own mtimes.  For the uncompressed image: `cpio -t` lists exactly the
# tree's names, `cpio -i` extracts identical files, `bsdtar -tf` lists it.
# Also DEST=SRC specs (parents emitted) and a few bad-usage exits.

. "$(dirname "$0")/../lib.sh"

need python3 cpio bsdtar diff find cmp head gzip zstd xz sort
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022

# --- the tree: 300 files of sizes 0 .. 3 MiB in nested dirs, modes 0644,
# 0755, 0600, 0444, dirs 0755/0700/0750, an empty dir, names with spaces and
# punctuation, relative/absolute/dangling/directory symlinks, a hard link.
T="$W/tree"
mkdir -p "$T/bin" "$T/etc" "$T/empty" "$T/lib/firmware/vendor/deep/er/still" \
	"$T/dir with space/sub dir" "$T/private" "$T/group" || die "mkdir failed"
i=0
while [ "$i" -lt 300 ]; do
	case $((i % 6)) in
	0) d=lib/firmware ;;
	1) d=lib/firmware/vendor ;;
	2) d=lib/firmware/vendor/deep/er/still ;;
	3) d="dir with space/sub dir" ;;
	4) d=etc ;;
	5) d=bin ;;
	esac
	case $((i % 12)) in
	0) sz=0 ;; 1) sz=1 ;; 2) sz=3 ;; 3) sz=4 ;; 4) sz=511 ;; 5) sz=512 ;;
	6) sz=4096 ;; 7) sz=4097 ;; *) sz=$(( (i * 7919) % 70000 )) ;;
	esac
	head -c "$sz" /dev/urandom > "$T/$d/f$i.bin" || die "cannot write test file"
	case $d in bin) chmod 0755 "$T/$d/f$i.bin" ;; esac
	i=$((i + 1))
done
head -c 1572864 /dev/urandom > "$T/lib/firmware/big random.bin" &&
	head -c 3145728 /dev/zero > "$T/lib/firmware/big-zero.bin" &&
	printf 'secret\n' > "$T/private/key" && chmod 0600 "$T/private/key" &&
	printf 'ro\n' > "$T/etc/read only" && chmod 0444 "$T/etc/read only" &&
	printf '#!/bin/sh\necho hi\n' > "$T/dir with space/run me.sh" &&
	chmod 0755 "$T/dir with space/run me.sh" &&
	: > "$T/etc/it's #1 = -x" &&
	: > "$T/-leading-dash" &&
	ln -s f5.bin "$T/bin/sh" &&
	ln -s firmware/vendor/f1.bin "$T/lib/fw-link" &&
	ln -s firmware "$T/lib/fwdir" &&
	ln -s /etc/does/not/exist "$T/etc/dangling-abs" &&
	ln "$T/bin/f5.bin" "$T/etc/hard link to f5" &&
	ln -s "../dir with space/run me.sh" "$T/bin/spaced link" &&
	chmod 0700 "$T/private" && chmod 0750 "$T/group" ||
	die "cannot build the test tree"
NAMES=$(cd "$T" && find . | wc -l)
echo "# tree: $NAMES paths, $(du -sk "$T" | cut -f1) KiB"

norm() { sed -e 's|^\./||' -e '/^\.$/d'; }
(cd "$T" && find . | norm | LC_ALL=C sort) > "$W/want.names"
(cd "$T" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort) > "$W/want.tree"
(cd "$T" && find . -type f | LC_ALL=C sort) > "$W/want.files"

# treecmp DESC DIR: DIR must equal the tree: paths, types, modes, symlink
# targets (find), and every regular file byte for byte (cmp).
treecmp() {
	(cd "$2" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort) > "$W/got.tree" 2>/dev/null
	# the extraction root's own mode is the caller's business, not the archive's
	sed '/^d [0-7]* \. $/d' "$W/want.tree" > "$W/want.t"
	sed '/^d [0-7]* \. $/d' "$W/got.tree" > "$W/got.t"
	check_same "$1: same paths, types, modes and symlink targets" "$W/want.t" "$W/got.t"
	_bad=0
	while IFS= read -r _f; do
		cmp -s "$T/$_f" "$2/$_f" || { _bad=$((_bad + 1)); [ "$_bad" -le 5 ] && echo "#   differs: $_f"; }
	done < "$W/want.files"
	check "$1: all $(wc -l < "$W/want.files") regular files byte-identical (cmp; $_bad differ)" [ "$_bad" -eq 0 ]
}

# jsoncheck JSON FORMAT [EPOCH]: one segment of FORMAT whose entries are the
# tree's; prints problems, exits non-zero if any.
jsoncheck() {
	python3 - "$1" "$T" "$2" "${3:-}" <<'EOF'
import json, os, stat, sys
js, tree, fmt, epoch = sys.argv[1:5]
doc = json.load(open(js))
errs = []
segs = doc.get("segments", [])
if len(segs) != 1:
    errs.append("%d segments, want 1" % len(segs))
seen_ino = {}
names = set()
KIND = {"file": stat.S_ISREG, "dir": stat.S_ISDIR, "symlink": stat.S_ISLNK}
for s in segs[:1]:
    if s.get("format") != fmt:
        errs.append("format %r, want %r" % (s.get("format"), fmt))
    for e in s.get("entries", []):
        n = e["name"]
        rel = n[2:] if n.startswith("./") else n
        if rel == ".":
            continue
        names.add(rel)
        p = os.path.join(tree, rel)
        try:
            st = os.lstat(p)
        except OSError:
            errs.append("%s: not in the tree" % rel)
            continue
        t = e.get("type")
        if t not in KIND or not KIND[t](st.st_mode):
            errs.append("%s: type %r, tree mode %o" % (rel, t, st.st_mode))
            continue
        if e.get("mode") is not None and stat.S_IFMT(e["mode"]) != stat.S_IFMT(st.st_mode):
            errs.append("%s: mode %o has the wrong file type bits" % (rel, e["mode"]))
        if t != "symlink":
            want = stat.S_IMODE(st.st_mode)
            if e.get("mode") is not None and stat.S_IMODE(e["mode"]) != want:
                errs.append("%s: mode %o, tree %o" % (rel, e["mode"], st.st_mode))
            if e.get("perm") not in ("%04o" % want, "0%o" % want):
                errs.append("%s: perm %r, tree %04o" % (rel, e.get("perm"), want))
        # newc hard links may carry the data once, the other links size 0
        if t == "file" and e.get("size") != st.st_size and not (
                e.get("size") == 0 and st.st_nlink > 1 and (e.get("nlink") or 1) > 1):
            errs.append("%s: size %r, tree %d" % (rel, e.get("size"), st.st_size))
        if t == "symlink" and e.get("target") != os.readlink(p):
            errs.append("%s: target %r, tree %r" % (rel, e.get("target"), os.readlink(p)))
        if epoch and e.get("mtime") != int(epoch):
            errs.append("%s: mtime %r, SOURCE_DATE_EPOCH %s" % (rel, e.get("mtime"), epoch))
        # a shared ino makes readers hard-link the entries: only for names
        # that are hard links in the tree too
        ino = e.get("ino")
        if t != "dir" and ino in seen_ino and \
                os.lstat(os.path.join(tree, seen_ino[ino])).st_ino != st.st_ino:
            errs.append("%s: ino %r also used by %s" % (rel, ino, seen_ino[ino]))
        seen_ino[ino] = rel
want = set()
for root, dirs, files in os.walk(tree):
    for x in dirs + files:
        want.add(os.path.relpath(os.path.join(root, x), tree))
for x in sorted(want - names)[:5]:
    errs.append("%s: in the tree, not listed" % x)
for e in errs[:10]:
    print("#   " + e)
sys.exit(1 if errs else 0)
EOF
}

magic_ok() {
	case $2 in
	none) [ "$(head -c 6 "$1")" = 070701 ] ;;  # newc
	gzip) [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = 1f8b ] ;;
	zstd) [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 28b52ffd ] ;;
	xz) [ "$(head -c 6 "$1" | od -An -tx1 | tr -d ' \n')" = fd377a585a00 ] ;;
	esac
}

# --- every compression: build, inspect, extract, rebuild
for c in none gzip zstd xz; do
	img="$W/img.$c"
	if "$FWKIT" initrd build -o "$img" --compress "$c" "$T" > "$W/err" 2>&1; then
		ok "$c: fwkit initrd build exits 0 ($(wc -c < "$img") bytes)"
	else
		notok "$c: fwkit initrd build exits 0 ($(head -n 3 "$W/err"))"
		continue
	fi
	check "$c: image starts with the $c magic (newc 070701 for none)" magic_ok "$img" "$c"
	fmt=$c; [ "$c" = none ] && fmt=cpio
	if "$FWKIT" initrd ls "$img" --json > "$W/ls.$c.json" 2> "$W/err" &&
		jsoncheck "$W/ls.$c.json" "$fmt"; then
		ok "$c: ls --json: one $fmt segment, entries match the tree (type, perm, size, target, unique ino)"
	else
		notok "$c: ls --json: one $fmt segment, entries match the tree $(head -n 1 "$W/err")"
	fi
	if "$FWKIT" initrd extract "$img" "$W/x.$c" > "$W/err" 2>&1; then
		ok "$c: fwkit initrd extract exits 0"
		treecmp "$c: extracted tree" "$W/x.$c"
	else
		notok "$c: fwkit initrd extract exits 0 ($(head -n 3 "$W/err"))"
	fi
	"$FWKIT" initrd build -o "$img.again" --compress "$c" "$T" > /dev/null 2>&1
	check "$c: a second build is byte-identical" cmp -s "$img" "$img.again"
done

# --- SOURCE_DATE_EPOCH: every mtime is the epoch, file mtimes do not matter
EPOCH=1700000000
for c in none zstd; do
	SOURCE_DATE_EPOCH=$EPOCH "$FWKIT" initrd build -o "$W/sde1.$c" --compress "$c" "$T" > "$W/err" 2>&1 ||
		notok "$c: build with SOURCE_DATE_EPOCH exits 0 ($(head -n 3 "$W/err"))"
	find "$T" -exec touch -h -d @1600000000 {} +
	SOURCE_DATE_EPOCH=$EPOCH "$FWKIT" initrd build -o "$W/sde2.$c" --compress "$c" "$T" > /dev/null 2>&1
	find "$T" -exec touch -h {} +
	check "$c: with SOURCE_DATE_EPOCH the image does not change when file mtimes do" \
		cmp -s "$W/sde1.$c" "$W/sde2.$c"
	fmt=$c; [ "$c" = none ] && fmt=cpio
	if "$FWKIT" initrd ls "$W/sde1.$c" --json > "$W/sde.json" 2> "$W/err" &&
		jsoncheck "$W/sde.json" "$fmt" "$EPOCH"; then
		ok "$c: with SOURCE_DATE_EPOCH=$EPOCH every entry's mtime is $EPOCH"
	else
		notok "$c: with SOURCE_DATE_EPOCH=$EPOCH every entry's mtime is $EPOCH"
	fi
done

# --- GNU cpio and bsdtar read the uncompressed image
IMG="$W/img.none"
if [ -s "$IMG" ]; then
	cpio -t --quiet < "$IMG" > "$W/cpio.raw" 2> "$W/err"
	rc=$?
	check "cpio -t reads the image (exit $rc) $(head -n 1 "$W/err")" [ "$rc" -eq 0 ]
	norm < "$W/cpio.raw" | LC_ALL=C sort > "$W/cpio.names"
	check_same "cpio -t lists exactly the tree's $(wc -l < "$W/want.names") names" "$W/want.names" "$W/cpio.names"
	check "cpio -t lists each name once" \
		[ "$(norm < "$W/cpio.raw" | wc -l)" -eq "$(wc -l < "$W/want.names")" ]
	mkdir "$W/cpio-x"
	if (cd "$W/cpio-x" && cpio -idm --quiet --no-absolute-filenames) < "$IMG" 2> "$W/err"; then
		ok "cpio -i extracts the image"
	else
		notok "cpio -i extracts the image ($(head -n 3 "$W/err"))"
	fi
	treecmp "cpio -i" "$W/cpio-x"

	bsdtar -tf "$IMG" > "$W/bsdtar.raw" 2> "$W/err"
	rc=$?
	check "bsdtar -tf reads the image (exit $rc) $(head -n 1 "$W/err")" [ "$rc" -eq 0 ]
	norm < "$W/bsdtar.raw" | sed 's|/$||' | LC_ALL=C sort > "$W/bsdtar.names"
	check_same "bsdtar -tf lists exactly the tree's names" "$W/want.names" "$W/bsdtar.names"
else
	notok "cpio/bsdtar: no uncompressed image was built"
fi

# --- DEST=SRC specs: a file and a directory placed under new parents
SPEC="$W/spec.img"
if "$FWKIT" initrd build -o "$SPEC" --compress none \
	"kernel/x86/microcode/GenuineIntel.bin=$T/lib/firmware/big random.bin" \
	"usr/share/fw=$T/dir with space" > "$W/err" 2>&1; then
	ok "DEST=SRC: build exits 0"
else
	notok "DEST=SRC: build exits 0 ($(head -n 3 "$W/err"))"
fi
cpio -t --quiet < "$SPEC" 2>/dev/null | norm | LC_ALL=C sort > "$W/spec.names"
{
	printf '%s\n' kernel kernel/x86 kernel/x86/microcode \
		kernel/x86/microcode/GenuineIntel.bin usr usr/share usr/share/fw
	(cd "$T/dir with space" && find . | norm | sed 's|^|usr/share/fw/|')
} | LC_ALL=C sort > "$W/spec.want"
check_same "DEST=SRC: cpio -t shows the placed file, the placed tree and every parent directory" "$W/spec.want" "$W/spec.names"
if "$FWKIT" initrd extract "$SPEC" "$W/spec-x" > "$W/err" 2>&1 &&
	cmp -s "$T/lib/firmware/big random.bin" "$W/spec-x/kernel/x86/microcode/GenuineIntel.bin" &&
	diff -r --no-dereference "$T/dir with space" "$W/spec-x/usr/share/fw" > /dev/null 2>&1; then
	ok "DEST=SRC: extracted file and tree are identical to their sources"
else
	notok "DEST=SRC: extracted file and tree are identical to their sources $(head -n 1 "$W/err")"
fi

# --- extract refuses to write into a non-empty directory unless --force
if [ -d "$W/x.none" ]; then
	echo keep > "$W/x.none/lib/firmware/f0.bin"
	"$FWKIT" initrd extract "$IMG" "$W/x.none" > /dev/null 2>&1
	rc=$?
	check "extract over an existing file without --force fails (exit $rc) and leaves it alone" \
		[ "$rc" -ne 0 -a "$(cat "$W/x.none/lib/firmware/f0.bin")" = keep ]
	"$FWKIT" initrd extract "$IMG" "$W/x.none" --force > "$W/err" 2>&1
	rc=$?
	check "extract --force into it exits 0 ($rc) and restores the file" \
		[ "$rc" -eq 0 -a ! -s "$W/x.none/lib/firmware/f0.bin" ]
fi

# --- bad usage and bad input exit 2
expect_exit 2 "build --compress bogus exits 2" \
	"$FWKIT" initrd build -o "$W/bogus.img" --compress bogus "$T" 2>/dev/null
check "build --compress bogus leaves no output file" [ ! -e "$W/bogus.img" ]
expect_exit 2 "build with a missing SRC exits 2" \
	"$FWKIT" initrd build -o "$W/missing.img" "$W/no-such-dir" 2>/dev/null
check "a failed build leaves no output file" [ ! -e "$W/missing.img" ]
expect_exit 2 "ls of a missing image exits 2" "$FWKIT" initrd ls "$W/no-such.img" 2>/dev/null
head -c 3000 /dev/urandom > "$W/garbage.img"
expect_exit 2 "ls of random bytes exits 2" "$FWKIT" initrd ls "$W/garbage.img" 2>/dev/null
head -c 5000 "$IMG" > "$W/truncated.img" 2>/dev/null
expect_exit 2 "ls of a truncated cpio exits 2" "$FWKIT" initrd ls "$W/truncated.img" 2>/dev/null

finish
