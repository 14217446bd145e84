# SPDX-License-Identifier: MIT
# tests/qemu/boot-initrd.sh - boots Debian's real x86-64 kernel in QEMU on an
# initramfs built only by `fwkit initrd build` (uncompressed, then gzip) and
# asserts that its /init, a static busybox script, ran and saw intact files.
#
# The tree: bin/busybox (from busybox-static), bin/sh -> busybox, an /init
# that prints a per-boot random token, the sha256 of a random payload file
# and the target of the bin/sh symlink, then powers off.  The marker lines
# can only appear on the serial console if the kernel unpacked fwkit's
# archive and ran that very /init.
#
# Acceleration: KVM only when /dev/kvm is usable for an ordinary guest, i.e.
# readable+writable and the CPU advertises vmx/svm.  Some hosts expose a
# /dev/kvm that runs only paravirtual (PVM) guests: there QEMU aborts
# ("failed to set MSR") or the guest hangs, so TCG is used (about 4 s per
# boot).  FWKIT_QEMU_ACCEL=kvm|tcg overrides the choice.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kernel.sh"

need qemu-system-x86_64 cpio timeout od sha256sum gzip grep tail sort
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
BB=/bin/busybox
dpkg -S "$BB" 2>/dev/null | grep -q '^busybox-static:' ||
	die "$BB is not from busybox-static (apt-get install busybox-static)"
fwkit_kernel || die "cannot fetch/unpack Debian's x86-64 kernel (see '# kernel:' lines)"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

case ${FWKIT_QEMU_ACCEL:-} in
kvm | tcg) ACCEL=$FWKIT_QEMU_ACCEL ;;
'')
	ACCEL=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
		grep -qw -e vmx -e svm /proc/cpuinfo; then
		ACCEL=kvm
	fi
	;;
*) die "FWKIT_QEMU_ACCEL must be kvm or tcg, not '$FWKIT_QEMU_ACCEL'" ;;
esac
echo "# kernel $KERNEL_PKG $KERNEL_PKGVER, accel $ACCEL"

token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

# mktree DIR TOKEN: the initramfs tree.
mktree() {
	mkdir -p "$1/bin" "$1/dev" "$1/proc" "$1/sys" "$1/data" &&
		cp "$BB" "$1/bin/busybox" && chmod 0755 "$1/bin/busybox" &&
		ln -s busybox "$1/bin/sh" &&
		head -c 300000 /dev/urandom > "$1/data/payload" &&
		cat > "$1/init" <<EOF &&
#!/bin/busybox sh
# fwkit boot test init: report, then power off.
B=/bin/busybox
[ -e /proc/self ] || { \$B mkdir -p /proc; \$B mount -t proc proc /proc; }
[ -c /dev/console ] || \$B mount -t devtmpfs devtmpfs /dev
{
echo "FWKIT-SHA \$(\$B sha256sum /data/payload | \$B cut -d' ' -f1)"
echo "FWKIT-LINK \$(\$B readlink /bin/sh)"
echo "FWKIT-INIT-OK $2"
} > /dev/console 2>&1
\$B sync
\$B poweroff -f
EOF
		chmod 0755 "$1/init"
}

# boot IMG LOG: run QEMU to power-off (or timeout); returns QEMU's status.
boot() {
	timeout 120 qemu-system-x86_64 -M q35 -m 512 -accel "$ACCEL" \
		-nographic -no-reboot -kernel "$VMLINUZ" -initrd "$1" \
		-append 'console=ttyS0 panic=-1 quiet' < /dev/null > "$2" 2>&1
}

# boot_case NAME COMPRESS
boot_case() {
	_n=$1 _c=$2
	_tok=$(token)
	_tree="$W/tree-$_n" _img="$W/initrd-$_n.img" _log="$W/console-$_n.log"
	mktree "$_tree" "$_tok" || die "cannot make the initramfs tree"
	_sha=$(sha256sum "$_tree/data/payload" | cut -d' ' -f1)
	if ! "$FWKIT" initrd build -o "$_img" --compress "$_c" "$_tree" > "$W/build.err" 2>&1; then
		notok "$_n: fwkit initrd build --compress $_c exits 0 ($(head -n 3 "$W/build.err"))"
		return 1
	fi
	ok "$_n: fwkit initrd build --compress $_c exits 0"
	case $_c in
	none) check "$_n: image starts with the newc magic 070701" \
		[ "$(head -c 6 "$_img")" = 070701 ] ;;
	gzip) check "$_n: image is a valid gzip stream" gzip -t "$_img" ;;
	esac
	_t0=$(date +%s)
	boot "$_img" "$_log"; _rc=$?
	echo "# $_n: QEMU exit $_rc after $(( $(date +%s) - _t0 )) s"
	_fail=$T_FAIL
	check "$_n: QEMU ends by itself (no timeout; exit $_rc)" [ "$_rc" -ne 124 -a "$_rc" -ne 137 ]
	check "$_n: /init ran and printed FWKIT-INIT-OK $_tok" \
		grep -aq "FWKIT-INIT-OK $_tok" "$_log"
	check "$_n: payload sha256 inside the guest matches the host" \
		grep -aq "FWKIT-SHA $_sha" "$_log"
	check "$_n: bin/sh symlink points at busybox inside the guest" \
		grep -aq "FWKIT-LINK busybox" "$_log"
	check "$_n: no kernel panic" sh -c '! grep -aq "Kernel panic" "$1"' - "$_log"
	if [ "$T_FAIL" -ne "$_fail" ]; then
		echo "# last 40 lines of the $_n console log:"
		tail -n 40 "$_log" | tr -d '\r\033' | sed 's/^/#   /'
	fi
}

boot_case plain none
boot_case gzip gzip

# GNU cpio reads the uncompressed fwkit image and lists exactly the tree.
IMG="$W/initrd-plain.img"
if [ -s "$IMG" ]; then
	(cd "$W/tree-plain" && find . | sed -e 's|^\./||' -e '/^\.$/d' | LC_ALL=C sort) > "$W/want.lst"
	if cpio -t --quiet < "$IMG" > "$W/cpio.raw" 2> "$W/cpio.err"; then
		ok "cpio -t reads the fwkit-built uncompressed image"
	else
		notok "cpio -t reads the fwkit-built uncompressed image ($(head -n 3 "$W/cpio.err"))"
	fi
	sed -e 's|^\./||' -e '/^\.$/d' "$W/cpio.raw" | LC_ALL=C sort > "$W/got.lst"
	check_same "cpio -t lists exactly the tree's $(wc -l < "$W/want.lst") names" "$W/want.lst" "$W/got.lst"
	check "cpio -t lists each name once" \
		[ "$(sed -e 's|^\./||' -e '/^\.$/d' "$W/cpio.raw" | wc -l)" -eq "$(wc -l < "$W/want.lst")" ]
	check "cpio -tv shows bin/sh as a symlink to busybox" \
		sh -c 'cpio -tv --quiet < "$1" | grep -Eq "^l.* (\./)?bin/sh -> busybox\$"' - "$IMG"
else
	notok "cpio -t: no uncompressed image was built"
fi

finish
