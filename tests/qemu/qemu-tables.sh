# SPDX-License-Identifier: MIT
# tests/qemu/qemu-tables.sh - the ACPI tables of QEMU's q35 machine, read by
# a real guest: boots Debian's kernel on a busybox initramfs whose /init
# hex-dumps every file under /sys/firmware/acpi/tables onto a second serial
# port, and turns that back into raw files.
#
# Sourced after tests/lib.sh and tests/qemu/kernel.sh (fwkit_kernel done):
#   qemu_tables || die "..."
#   sets QEMU_TABLES (a directory laid out like /sys/firmware/acpi/tables,
#   dynamic/ included), QEMU_DUMP (the same tables as acpidump text, written
#   by acpica-tools' acpidump -f) and ACCEL (kvm or tcg).
# Cached in $FWKIT_CACHE/qemu-tables/<qemu version>-<kernel version>/.

qt_accel() {
	case ${FWKIT_QEMU_ACCEL:-} in
	kvm | tcg) ACCEL=$FWKIT_QEMU_ACCEL ;;
	*)
		ACCEL=tcg
		if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qw -e vmx -e svm /proc/cpuinfo; then
			ACCEL=kvm
		fi
		;;
	esac
}

# qemu_boot IMG CONSOLE [EXTRA QEMU ARGS...]: q35, 2 CPUs, to power-off.
qemu_boot() {
	_img=$1 _log=$2
	shift 2
	timeout 150 qemu-system-x86_64 -M q35 -smp 2 -m 512 -accel "$ACCEL" \
		-display none -no-reboot -serial "file:$_log" "$@" \
		-kernel "$VMLINUZ" -initrd "$_img" \
		-append 'console=ttyS0 panic=-1 quiet' < /dev/null > "$_log.qemu" 2>&1
}

qemu_tables() {
	qt_accel
	_qv=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
	_dir="$FWKIT_CACHE/qemu-tables/$_qv-$KERNEL_PKGVER"
	QEMU_TABLES="$_dir/tables"
	QEMU_DUMP="$_dir/acpidump.txt"
	[ -f "$_dir/.complete" ] && return 0
	mkdir -p "$FWKIT_CACHE/qemu-tables" || return 1
	_w=$(mktemp -d "$FWKIT_CACHE/qemu-tables/.work.XXXXXX") || return 1
	mkdir -p "$_w/tree/bin" "$_w/tree/dev" "$_w/tree/proc" "$_w/tree/sys"
	cp /bin/busybox "$_w/tree/bin/busybox" && ln -s busybox "$_w/tree/bin/sh"
	cat > "$_w/tree/init" <<'EOF'
#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
cd /sys/firmware/acpi/tables
{
for f in * dynamic/*; do
	[ -f "$f" ] || continue
	echo "@@ $f"
	$B od -An -v -tx1 "$f"
done
echo "@@END"
} > /dev/ttyS1
$B poweroff -f
EOF
	chmod 0755 "$_w/tree/init"
	"$FWKIT_BUILD/fwkit" initrd build -o "$_w/initrd.img" "$_w/tree" > /dev/null || return 1
	echo "# booting QEMU q35 once to read its ACPI tables ($ACCEL)" >&2
	qemu_boot "$_w/initrd.img" "$_w/console.log" -serial "file:$_w/tables.hex"
	grep -q '^@@END' "$_w/tables.hex" || { rm -rf "$_w"; return 1; }
	python3 - "$_w/tables.hex" "$_w/tables" <<'EOF' || { rm -rf "$_w"; return 1; }
import os, sys
src, out = sys.argv[1], sys.argv[2]
name, data = None, bytearray()
def flush():
    if name:
        p = os.path.join(out, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, 'wb').write(bytes(data))
for line in open(src, encoding='ascii', errors='replace'):
    line = line.strip()
    if line.startswith('@@'):
        flush()
        name, data = line[3:] or None, bytearray()
        if line == '@@END':
            name = None
            break
    elif line:
        data += bytes(int(x, 16) for x in line.split())
flush()
EOF
	# acpidump's text form of the same tables, as a user would capture it.
	: > "$_w/acpidump.txt"
	for _t in "$_w"/tables/* "$_w"/tables/dynamic/*; do
		[ -f "$_t" ] || continue
		acpidump -f "$_t" >> "$_w/acpidump.txt" 2> /dev/null || { rm -rf "$_w"; return 1; }
		echo >> "$_w/acpidump.txt"
	done
	rm -rf "$_dir"
	mkdir -p "$_dir" && mv "$_w/tables" "$_dir/tables" && mv "$_w/acpidump.txt" "$_dir/" &&
		touch "$_dir/.complete"
	_rc=$?
	rm -rf "$_w"
	return $_rc
}
