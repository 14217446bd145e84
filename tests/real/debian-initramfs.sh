# SPDX-License-Identifier: MIT
# tests/real/debian-initramfs.sh - checks fwkit's initramfs reader and
# extractor against a real Debian initramfs (mkinitramfs) with a real Intel
# early-microcode cpio (iucode_tool) in front, using initramfs-tools' own
# unmkinitramfs and lsinitramfs as the reference.
#
# How mkinitramfs runs without installing a kernel on the host:
# mkinitramfs hard-codes two paths for the kernel version it is given:
# /boot/config-VERSION (read to check the compressor is built in; without it
# mkinitramfs stops with "E: gzip compression (CONFIG_RD_GZIP) not supported
# by kernel") and /lib/modules/VERSION (the modules its hooks copy; without it
# it only warns, but produces an image with no modules, not a real one).
# Neither has an override (-d only moves /etc/initramfs-tools).  So the
# unmodified mkinitramfs runs inside a private mount namespace (unshare -m,
# root only) in which the dpkg -x'ed kernel from tests/qemu/kernel.sh is
# bind-mounted on /boot and overlaid (read-only overlayfs, kernel tree on
# top) on the directory /lib resolves to.  Nothing on the host changes and
# the namespace ends with the command.  modules.dep was made by kernel.sh
# (depmod -b), so mkinitramfs never writes into the read-only overlay.
#
# The image is cached as $FWKIT_CACHE/initramfs/KPKGVER/initrd.img-RELEASE-
# itools-ITVER (about 17 s to make, then reused).  The multi-segment image
# (early microcode cpio + that image) is saved to the stable path
# $FWKIT_CACHE/multi-segment-initramfs.img for the benchmark.

. "$(dirname "$0")/../lib.sh"
. "$FWKIT_ROOT/tests/qemu/kernel.sh"

need mkinitramfs unmkinitramfs lsinitramfs iucode_tool unshare mount \
	python3 cpio diff find cmp dpkg-query readlink
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
[ "$(id -u)" = 0 ] ||
	die "needs root: mkinitramfs runs in a private mount namespace (unshare -m) over the unpacked kernel"
[ -d /boot ] || die "/boot does not exist (mount point for the kernel's boot/)"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
	die "the host kernel has no overlayfs (needed to show lib/modules to mkinitramfs)"
MC="$FWKIT_ROOT/../shared/corpus/microcode/intel"
set -- "$MC"/[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]
[ -f "$1" ] || die "no Intel microcode files in $MC"
fwkit_kernel || die "cannot fetch/unpack Debian's x86-64 kernel (see '# kernel:' lines)"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# --- the real Debian initramfs, cached by kernel and initramfs-tools version
ITVER=$(dpkg-query -W -f='${Version}' initramfs-tools-core 2>/dev/null) ||
	die "initramfs-tools-core is not installed"
CDIR="$FWKIT_CACHE/initramfs/$(echo "$KERNEL_PKGVER" | tr ':' '_')"
MAIN="$CDIR/initrd.img-$KERNEL_RELEASE-itools-$(echo "$ITVER" | tr ':' '_')"
if [ ! -s "$MAIN" ]; then
	mkdir -p "$CDIR" || die "cannot create $CDIR"
	LIBDIR=$(readlink -f /lib)
	echo "# mkinitramfs $KERNEL_RELEASE (initramfs-tools $ITVER), first run only"
	t0=$(date +%s)
	unshare --mount --propagation private sh -c '
		set -e
		mount --bind "$1/boot" /boot
		mount -t overlay fwkit-kernel -o "ro,lowerdir=$1/lib:$5" "$5"
		TMPDIR=$3 mkinitramfs -o "$4" "$2"
	' - "$KERNEL_ROOT" "$KERNEL_RELEASE" "$W" "$W/main.img" "$LIBDIR" \
		> "$W/mkinitramfs.log" 2>&1 ||
		{ sed 's/^/# /' "$W/mkinitramfs.log" | tail -n 20; die "mkinitramfs failed"; }
	echo "# mkinitramfs took $(( $(date +%s) - t0 )) s"
	sed 's/^/# mkinitramfs: /' "$W/mkinitramfs.log"
	[ -s "$W/main.img" ] || die "mkinitramfs wrote an empty image"
	mv "$W/main.img" "$CDIR/.tmp.$$" && mv "$CDIR/.tmp.$$" "$MAIN" ||
		die "cannot store $MAIN"
fi
echo "# main image: $MAIN ($(wc -c < "$MAIN") bytes)"

# --- the early microcode cpio, and the multi-segment image
iucode_tool -q --write-earlyfw="$W/early.cpio" "$@" ||
	die "iucode_tool --write-earlyfw failed"
MULTI="$W/multi.img"
cat "$W/early.cpio" "$MAIN" > "$MULTI" || die "cannot write $MULTI"
T=$(mktemp "$FWKIT_CACHE/.multi-segment-initramfs.XXXXXX") &&
	cp "$MULTI" "$T" && chmod 0644 "$T" &&
	mv -f "$T" "$FWKIT_CACHE/multi-segment-initramfs.img" ||
	die "cannot save $FWKIT_CACHE/multi-segment-initramfs.img"

# --- the references: an independent newc walk for the segment layout,
# unmkinitramfs for the extracted trees, lsinitramfs for the names
python3 - "$MULTI" > "$W/ref.seg" <<'EOF' || die "reference segment scan failed"
import sys
MAGIC = [(b"070701", "cpio"), (b"070702", "cpio"), (b"\x1f\x8b", "gzip"),
         (b"\x28\xb5\x2f\xfd", "zstd"), (b"\xfd7zXZ\x00", "xz"),
         (b"\x5d\x00\x00", "lzma"), (b"BZh", "bzip2"),
         (b"\x02\x21\x4c\x18", "lz4"), (b"\x89LZO", "lzo")]
data = open(sys.argv[1], "rb").read()
off = 0
while off < len(data):
    while off < len(data) and data[off] == 0:
        off += 1
    if off >= len(data):
        break
    fmt = next((f for m, f in MAGIC if data.startswith(m, off)), None)
    if fmt is None:
        sys.exit("unknown data at offset %d" % off)
    print(off, fmt)
    if fmt != "cpio":
        break              # a compressed archive runs to the end
    while True:            # walk newc headers to TRAILER!!!
        h = data[off:off + 110]
        namesize = int(h[94:102], 16)
        filesize = int(h[54:62], 16)
        name = data[off + 110:off + 110 + namesize - 1]
        off = (off + 110 + namesize + 3) & ~3
        off = (off + filesize + 3) & ~3
        if name == b"TRAILER!!!":
            break
EOF
NSEG=$(wc -l < "$W/ref.seg")
echo "# reference layout: $(tr '\n' ' ' < "$W/ref.seg")"
[ "$NSEG" -ge 2 ] || die "reference scan found $NSEG segment(s) in the multi-segment image"
LASTOFF=$(tail -n 1 "$W/ref.seg" | cut -d' ' -f1)
LASTFMT=$(tail -n 1 "$W/ref.seg" | cut -d' ' -f2)
case $LASTFMT in
gzip) DEC="gzip -dc" ;; zstd) DEC="zstd -dcq" ;; xz | lzma) DEC="xz -dc" ;;
bzip2) DEC="bzip2 -dc" ;; lz4) DEC="lz4 -dc" ;; lzo) DEC="lzop -dc" ;;
cpio) DEC= ;;
esac
DECSIZE=
if [ -n "$DEC" ]; then
	DECSIZE=$(tail -c +$((LASTOFF + 1)) "$MULTI" | $DEC | wc -c) ||
		die "cannot decompress the $LASTFMT tail with $DEC"
fi

unmkinitramfs "$MULTI" "$W/unmk" > "$W/unmk.err" 2>&1 ||
	die "unmkinitramfs failed: $(head -n 3 "$W/unmk.err")"
lsinitramfs "$MULTI" > "$W/lsinitramfs.raw" 2> "$W/lsinitramfs.err" ||
	die "lsinitramfs failed: $(head -n 3 "$W/lsinitramfs.err")"
# unmkinitramfs names its directories early, early2, ..., main.
segdir() {
	if [ "$1" -eq $((NSEG - 1)) ]; then echo main
	elif [ "$1" -eq 0 ]; then echo early
	else echo "early$(($1 + 1))"; fi
}
norm() { sed -e 's|^\./||' -e '/^\.$/d'; }

# --- fwkit initrd ls --json
"$FWKIT" initrd ls "$MULTI" --json > "$W/ls.json" 2> "$W/ls.err"
rc=$?
if [ "$rc" -eq 0 ]; then ok "fwkit initrd ls --json MULTI exits 0"
else notok "fwkit initrd ls --json MULTI exits 0 (exit $rc: $(head -n 3 "$W/ls.err"))"; fi

# Split the JSON: W/fw.seg has "offset format decompressed" per segment,
# W/fw.names.I the entry names of segment I in archive order, and W/fw.bad
# every entry whose type/size/target disagrees with unmkinitramfs's files.
python3 - "$W/ls.json" "$W" "$MULTI" "$NSEG" <<'EOF' > "$W/py.err" 2>&1
import json, os, stat, sys
js, w, img, nseg = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
doc = json.load(open(js))
errs = []
if doc.get("image") != img:
    errs.append("image is %r, want %r" % (doc.get("image"), img))
if doc.get("size") != os.path.getsize(img):
    errs.append("size is %r, want %d" % (doc.get("size"), os.path.getsize(img)))
segs = doc["segments"]
KIND = {"file": stat.S_ISREG, "dir": stat.S_ISDIR, "symlink": stat.S_ISLNK,
        "char": stat.S_ISCHR, "block": stat.S_ISBLK, "fifo": stat.S_ISFIFO,
        "socket": stat.S_ISSOCK}
with open(os.path.join(w, "fw.seg"), "w") as f:
    for i, s in enumerate(segs):
        if s.get("index") != i:
            errs.append("segment %d has index %r" % (i, s.get("index")))
        f.write("%s %s %s\n" % (s.get("offset"), s.get("format"),
                                s.get("decompressed", "-")))
        d = "main" if i == len(segs) - 1 else ("early" if i == 0 else "early%d" % (i + 1))
        root = os.path.join(w, "unmk", d)
        linksizes = {}
        for e in s.get("entries", []):
            if e.get("type") == "file" and (e.get("nlink") or 1) > 1:
                linksizes.setdefault(e.get("ino"), set()).add(e.get("size"))
        with open(os.path.join(w, "fw.names.%d" % i), "w") as n:
            for e in s.get("entries", []):
                name = e["name"]
                n.write(name + "\n")
                rel = name[2:] if name.startswith("./") else name
                if rel == "." or len(segs) != nseg:
                    continue
                p = os.path.join(root, rel)
                try:
                    st = os.lstat(p)
                except OSError:
                    errs.append("%s: %s not extracted by unmkinitramfs" % (d, rel))
                    continue
                t = e.get("type")
                if t not in KIND or not KIND[t](st.st_mode):
                    errs.append("%s: %s: type %r, unmkinitramfs made mode %o"
                                % (d, rel, t, st.st_mode))
                elif t == "file" and e.get("size") != st.st_size and not (
                        e.get("size") == 0 and (e.get("nlink") or 1) > 1 and
                        st.st_size in linksizes.get(e.get("ino"), ())):
                    # newc hard links carry the data once (GNU cpio: on the
                    # last link), the other links store size 0
                    errs.append("%s: %s: size %r, extracted %d bytes"
                                % (d, rel, e.get("size"), st.st_size))
                elif t == "symlink" and e.get("target") != os.readlink(p):
                    errs.append("%s: %s: target %r, extracted -> %r"
                                % (d, rel, e.get("target"), os.readlink(p)))
                elif t != "symlink" and e.get("perm") != "0%o" % stat.S_IMODE(st.st_mode) \
                        and e.get("perm") != "%04o" % stat.S_IMODE(st.st_mode):
                    errs.append("%s: %s: perm %r, extracted %04o"
                                % (d, rel, e.get("perm"), stat.S_IMODE(st.st_mode)))
with open(os.path.join(w, "fw.bad"), "w") as f:
    for e in errs:
        f.write(e + "\n")
EOF
if [ $? -eq 0 ] && [ -f "$W/fw.seg" ]; then
	ok "fwkit's JSON parses and has a segments list"
else
	notok "fwkit's JSON parses and has a segments list"
	sed 's/^/#   /' "$W/py.err" | tail -n 5
	finish; exit 1
fi

FWN=$(wc -l < "$W/fw.seg")
check "segment count: fwkit $FWN, reference scan $NSEG" [ "$FWN" -eq "$NSEG" ]
check "segment count: unmkinitramfs made $NSEG directories ($(ls "$W/unmk" | tr '\n' ' '))" \
	[ "$(ls "$W/unmk" | wc -l)" -eq "$NSEG" ]
check "first segment is cpio, last is $LASTFMT (what mkinitramfs used)" \
	[ "$(head -n 1 "$W/fw.seg" | cut -d' ' -f2)" = cpio -a \
	  "$(tail -n 1 "$W/fw.seg" | cut -d' ' -f2)" = "$LASTFMT" ]
if cut -d' ' -f1,2 "$W/fw.seg" | cmp -s - "$W/ref.seg"; then
	ok "segment offsets and formats match the reference scan"
else
	notok "segment offsets and formats match the reference scan"
	echo "#   fwkit:     $(cut -d' ' -f1,2 "$W/fw.seg" | tr '\n' ' ')"
	echo "#   reference: $(tr '\n' ' ' < "$W/ref.seg")"
fi
if [ -n "$DECSIZE" ]; then
	check "$LASTFMT segment decompressed size is $DECSIZE" \
		[ "$(tail -n 1 "$W/fw.seg" | cut -d' ' -f3)" = "$DECSIZE" ]
fi
check "early segment holds kernel/x86/microcode/GenuineIntel.bin" \
	grep -qx '\(\./\)\{0,1\}kernel/x86/microcode/GenuineIntel\.bin' "$W/fw.names.0"

i=0
while [ "$i" -lt "$NSEG" ] && [ "$i" -lt "$FWN" ]; do
	d=$(segdir "$i")
	norm < "$W/fw.names.$i" | LC_ALL=C sort > "$W/fw.set.$i"
	(cd "$W/unmk/$d" && find . | norm | LC_ALL=C sort) > "$W/unmk.set.$i"
	if [ -s "$W/fw.set.$i" ] && cmp -s "$W/fw.set.$i" "$W/unmk.set.$i"; then
		ok "segment $i: fwkit lists exactly the $(wc -l < "$W/fw.set.$i") names unmkinitramfs extracts to $d/"
	else
		notok "segment $i: fwkit lists exactly the names unmkinitramfs extracts to $d/"
		diff "$W/unmk.set.$i" "$W/fw.set.$i" | head -n 10 | sed 's/^/#   /'
	fi
	check "segment $i: no name listed twice" \
		[ "$(norm < "$W/fw.names.$i" | wc -l)" -eq "$(wc -l < "$W/fw.set.$i")" ]
	i=$((i + 1))
done
# lsinitramfs prints each segment's names in archive order, one segment
# after the other: fwkit's lists, concatenated, must be that very sequence.
i=0
: > "$W/fw.all"
while [ "$i" -lt "$FWN" ]; do norm < "$W/fw.names.$i" >> "$W/fw.all"; i=$((i + 1)); done
norm < "$W/lsinitramfs.raw" > "$W/ls.all"
if [ -s "$W/fw.all" ] && cmp -s "$W/fw.all" "$W/ls.all"; then
	ok "fwkit's names, segment by segment in archive order, equal lsinitramfs's $(wc -l < "$W/ls.all") lines"
else
	notok "fwkit's names, segment by segment in archive order, equal lsinitramfs's"
	diff "$W/ls.all" "$W/fw.all" | head -n 10 | sed 's/^/#   /'
fi
if [ ! -s "$W/fw.bad" ]; then
	ok "every entry's type, size, symlink target and perm agree with unmkinitramfs's files"
else
	notok "every entry's type, size, symlink target and perm agree with unmkinitramfs's files ($(wc -l < "$W/fw.bad") differ)"
	head -n 10 "$W/fw.bad" | sed 's/^/#   /'
fi

# --- fwkit initrd extract against unmkinitramfs
"$FWKIT" initrd extract "$MULTI" "$W/fwx" > "$W/x.err" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "fwkit initrd extract MULTI DIR exits 0"
else notok "fwkit initrd extract MULTI DIR exits 0 (exit $rc: $(head -n 3 "$W/x.err"))"; fi
check "extract made the same top-level directories as unmkinitramfs" \
	[ "$(ls "$W/fwx" 2>/dev/null | tr '\n' ' ')" = "$(ls "$W/unmk" | tr '\n' ' ')" ]
if diff -r --no-dereference "$W/unmk" "$W/fwx" > "$W/diff.out" 2>&1; then
	ok "extracted files byte-identical to unmkinitramfs's, symlinks with equal targets (diff -r --no-dereference)"
else
	notok "extracted files byte-identical to unmkinitramfs's, symlinks with equal targets ($(wc -l < "$W/diff.out") diff lines)"
	head -n 10 "$W/diff.out" | sed 's/^/#   /'
fi
(cd "$W/unmk" && find . -printf '%y %p %l\n' | LC_ALL=C sort) > "$W/unmk.tree"
(cd "$W/fwx" 2>/dev/null && find . -printf '%y %p %l\n' | LC_ALL=C sort) > "$W/fwx.tree"
check_same "extracted tree has the same paths, types and link targets ($(wc -l < "$W/unmk.tree") paths)" "$W/unmk.tree" "$W/fwx.tree"
# cpio -i (so unmkinitramfs) makes the entries of a newc hard-link group
# one inode; fwkit must give each name the group's data, and as cpio does,
# the same inode.
(cd "$W/unmk" && find . -type f -links +1 -printf '%n %p\n' | LC_ALL=C sort) > "$W/unmk.links"
(cd "$W/fwx" 2>/dev/null && find . -type f -links +1 -printf '%n %p\n' | LC_ALL=C sort) > "$W/fwx.links"
if cmp -s "$W/unmk.links" "$W/fwx.links"; then
	ok "hard-link groups extract as single inodes like unmkinitramfs's ($(wc -l < "$W/unmk.links") names)"
else
	notok "hard-link groups extract as single inodes like unmkinitramfs's ($(wc -l < "$W/unmk.links") names linked there, $(wc -l < "$W/fwx.links") by fwkit)"
fi
(cd "$W/unmk" && find . ! -type l -printf '%m %p\n' | LC_ALL=C sort) > "$W/unmk.modes"
(cd "$W/fwx" 2>/dev/null && find . ! -type l -printf '%m %p\n' | LC_ALL=C sort) > "$W/fwx.modes"
check_same "extracted files and directories have unmkinitramfs's permissions" "$W/unmk.modes" "$W/fwx.modes"

finish
