# SPDX-License-Identifier: MIT
# tests/real/initramfs-tools-hook.sh - runs the real mkinitramfs with fwkit's
# initramfs-tools hook and init-top script on Debian's kernel and checks the
# image it writes: the fixed ACPI tables (one compiled from .dsl, one .aml) in
# the first, uncompressed segment byte for byte as iasl makes them, fwkit and
# the script in the main segment, tables and early microcode side by side,
# and a broken table failing the build with a line that names the file.
#
# mkinitramfs runs as in tests/real/debian-initramfs.sh: in a private mount
# namespace (unshare -m) with the dpkg -x'ed kernel bind-mounted on /boot and
# overlaid on /lib, so nothing on the host changes.  Hooks and boot scripts
# come from /usr/share/initramfs-tools and from the config dir (-d CONFDIR):
# the hook and script go into CONFDIR/hooks and CONFDIR/scripts/init-top of
# a temporary copy of /etc/initramfs-tools.  The first image uses the host's
# MODULES setting (a real, full image, ~20 s); the others set MODULES=list,
# which leaves the kernel modules out and takes a second or two.
#
# intel-microcode (Debian non-free-firmware) is not installable here, so a
# stand-in hook written for this test does what its hook does: iucode_tool
# --write-earlyfw, then prepend_earlyinitramfs, with the corpus's Intel
# microcode.  If the real intel_microcode hook is installed it runs as well
# (it lives in /usr/share/initramfs-tools/hooks) and its segment must keep
# working beside the tables too.

. "$(dirname "$0")/../lib.sh"
. "$FWKIT_ROOT/tests/qemu/kernel.sh"
. "$FWKIT_ROOT/tests/support/imagelib.sh"

need mkinitramfs unmkinitramfs iasl iucode_tool cpio unshare mount python3 \
	cmp od dd readlink install
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
[ "$(id -u)" = 0 ] ||
	die "needs root: mkinitramfs runs in a private mount namespace (unshare -m) over the unpacked kernel"
[ -d /boot ] || die "/boot does not exist (mount point for the kernel's boot/)"
[ -d /etc/initramfs-tools ] || die "/etc/initramfs-tools missing (initramfs-tools not installed)"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
	die "the host kernel has no overlayfs (needed to show lib/modules to mkinitramfs)"
HOOK="$FWKIT_ROOT/integration/initramfs-tools/hooks/fwkit"
SCRIPT="$FWKIT_ROOT/integration/initramfs-tools/scripts/init-top/fwkit"
[ -f "$HOOK" ] || die "$HOOK missing"
[ -f "$SCRIPT" ] || die "$SCRIPT missing"
MC="$FWKIT_ROOT/../shared/corpus/microcode/intel"
set -- "$MC"/[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]
[ -f "$1" ] || die "no Intel microcode files in $MC"
FWTABLES="$FWKIT_ROOT/../shared/corpus/acpi/linuxhw/0025"
[ -f "$FWTABLES/dsdt.dat" ] || die "no firmware tables in $FWTABLES"
fwkit_kernel || die "cannot fetch/unpack Debian's x86-64 kernel (see '# kernel:' lines)"
LIBDIR=$(readlink -f /lib)

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
mkdir -p "$W/src" "$W/ref" "$W/acpi" "$W/tmp" "$W/fw-clean" "$W/fw-drop" "$W/ucode" &&
	cp "$@" "$W/ucode/" || die "cannot populate $W"

# --- the tables: two SSDTs of our own, one shipped as .dsl (the hook
# compiles it) and one as the .aml iasl makes; iasl's output is the
# reference for the bytes in the image
cp "$FWKIT_ROOT/tests/real/fixtures/hooktest.dsl" "$FWKIT_ROOT/tests/real/fixtures/hookaml.dsl" "$W/src/" ||
	die "cannot copy the ASL fixtures"
for t in hooktest hookaml; do
	iasl -p "$W/ref/$t" "$W/src/$t.dsl" > "$W/iasl.log" 2>&1 ||
		die "iasl cannot compile $t.dsl: $(grep -i error "$W/iasl.log" | head -n 2)"
	[ -s "$W/ref/$t.aml" ] || die "iasl wrote no $t.aml"
done
cp "$W/src/hooktest.dsl" "$W/ref/hookaml.aml" "$W/acpi/" || die "cannot fill $W/acpi"

# Firmware tables to plan against: a real machine's (nothing there has our
# IDs, so both tables are new), and the same plus an SSDT with HOOKTEST's
# IDs and revision, which makes the kernel drop ours.
cp "$FWTABLES/dsdt.dat" "$FWTABLES/facp.dat" "$FWTABLES/apic.dat" "$W/fw-clean/" &&
	cp "$W/fw-clean"/* "$W/fw-drop/" &&
	cp "$W/ref/hooktest.aml" "$W/fw-drop/ssdt1.dat" || die "cannot make the firmware table dirs"

# --- config dirs: copies of the host's, with the hook and the script
mkconf() { # DIR [MODULES]
	cp -a /etc/initramfs-tools "$1" &&
		mkdir -p "$1/hooks" "$1/scripts/init-top" &&
		install -m 0755 "$HOOK" "$1/hooks/fwkit" &&
		install -m 0755 "$SCRIPT" "$1/scripts/init-top/fwkit" || return 1
	if [ -n "${2:-}" ]; then
		sed -i "s/^MODULES=.*/MODULES=$2/" "$1/initramfs.conf" || return 1
	fi
}
mkconf "$W/conf" || die "cannot make the config dir $W/conf"
mkconf "$W/conf-list" list || die "cannot make the config dir $W/conf-list"

# The microcode stand-in (see the header): an early cpio of Intel microcode
# prepended the way intel-microcode's hook does it.
iucode_tool -q --write-earlyfw="$W/ref/ucode.cpio" "$W/ucode" ||
	die "iucode_tool --write-earlyfw failed"
(cd "$W/ref" && cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin \
	< ucode.cpio > GenuineIntel.bin) && [ -s "$W/ref/GenuineIntel.bin" ] ||
	die "cannot read GenuineIntel.bin back from iucode_tool's cpio"
cp -a "$W/conf-list" "$W/conf-ucode" || die "cannot make $W/conf-ucode"
cat > "$W/conf-ucode/hooks/intel_microcode" <<EOF
#!/bin/sh
# test stand-in for intel-microcode's hook: early microcode via prepend_earlyinitramfs
case "\${1:-}" in prereqs) echo ""; exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
t=\$(mktemp -d "\${TMPDIR:-/var/tmp}/ucode.XXXXXX") || exit 1
iucode_tool -q --write-earlyfw="\$t/early.cpio" "$W/ucode" || { rm -rf "\$t"; exit 1; }
prepend_earlyinitramfs "\$t/early.cpio"
rm -rf "\$t"
EOF
chmod 0755 "$W/conf-ucode/hooks/intel_microcode" || die "cannot install the stand-in hook"

# mkinit CONFDIR OUT LOG VAR=VALUE...: the real mkinitramfs for the cached
# kernel, with the hook's settings in its environment; exit status of
# mkinitramfs.
mkinit() {
	_conf=$1 _out=$2 _log=$3
	shift 3
	env "$@" unshare --mount --propagation private sh -c '
		set -e
		mount --bind "$1/boot" /boot
		mount -t overlay fwkit-kernel -o "ro,lowerdir=$1/lib:$5" "$5"
		TMPDIR=$3 mkinitramfs -d "$6" -o "$4" "$2"
	' - "$KERNEL_ROOT" "$KERNEL_RELEASE" "$W/tmp" "$_out" "$LIBDIR" "$_conf" \
		> "$_log" 2>&1
}

# =====================================================================
# 1. tables (.dsl and .aml), the host's MODULES: a full, real image
IMG="$W/main.img"
t0=$(date +%s)
mkinit "$W/conf" "$IMG" "$W/main.log" FWKIT_BIN="$FWKIT" \
	FWKIT_ACPI_DIR="$W/acpi" FWKIT_ACPI_AGAINST="$W/fw-clean"
rc=$?
echo "# mkinitramfs (MODULES from the host's initramfs.conf) took $(( $(date +%s) - t0 )) s"
if [ "$rc" -eq 0 ] && [ -s "$IMG" ]; then
	ok "mkinitramfs with the hook and a .dsl and an .aml table exits 0"
else
	notok "mkinitramfs with the hook and a .dsl and an .aml table exits 0 (exit $rc)"
	show_log "$W/main.log" 20
	finish; exit 1
fi
if grep -q "^[EWI]: fwkit" "$W/main.log"; then
	notok "the hook says nothing when every table is fine"
	grep "^[EWI]: fwkit" "$W/main.log" | show_log /dev/stdin
else
	ok "the hook says nothing when every table is fine"
fi

# The first segment, read without fwkit: magic bytes, then cpio itself,
# which stops at the first archive's trailer.
check "the image starts with an uncompressed newc cpio (070701)" \
	[ "$(dd if="$IMG" bs=6 count=1 2>/dev/null)" = 070701 ]
cpio -t --quiet < "$IMG" > "$W/cpio-t" 2> "$W/cpio-t.err"
check "cpio -t: the first segment lists kernel/firmware/acpi/hooktest.aml and hookaml.aml" \
	sh -c 'grep -qx "kernel/firmware/acpi/hooktest.aml" "$1" && grep -qx "kernel/firmware/acpi/hookaml.aml" "$1"' - "$W/cpio-t"
check "cpio -t: the first segment holds nothing but the tables and their directories" \
	sh -c '! grep -v "^kernel\(/firmware\(/acpi\(/hooktest\.aml\|/hookaml\.aml\)\{0,1\}\)\{0,1\}\)\{0,1\}$" "$1"' - "$W/cpio-t"
mkdir -p "$W/first"
(cd "$W/first" && cpio -i -d --quiet < "$IMG") 2> "$W/first.err"
check_same "first segment's hooktest.aml (compiled by the hook) is byte-identical to iasl's" \
	"$W/ref/hooktest.aml" "$W/first/kernel/firmware/acpi/hooktest.aml"
check_same "first segment's hookaml.aml is byte-identical to the .aml given" \
	"$W/ref/hookaml.aml" "$W/first/kernel/firmware/acpi/hookaml.aml"

# The same through fwkit's reader, and the main segment.
if layout "$IMG" "$W/main"; then
	ok "fwkit initrd ls --json reads the image"
else
	notok "fwkit initrd ls --json reads the image ($(head -n 2 "$W/main.err"))"
	finish; exit 1
fi
NSEG=$(wc -l < "$W/main.seg")
LAST=$((NSEG - 1))
MAINFMT=$(sed -n "\$s/^[0-9]* //p" "$W/main.seg")
check "fwkit: 2 segments, cpio then $MAINFMT (got: $(cut -d' ' -f2 "$W/main.seg" | tr '\n' ' '))" \
	[ "$NSEG" -eq 2 -a "$(sed -n '1s/^0 //p' "$W/main.seg")" = cpio -a "$MAINFMT" != cpio ]
for t in hooktest hookaml; do
	check "fwkit: segment 0 holds kernel/firmware/acpi/$t.aml, $(wc -c < "$W/ref/$t.aml") bytes" \
		grep -qx "kernel/firmware/acpi/$t.aml file $(wc -c < "$W/ref/$t.aml")" "$W/main.names.0"
done
check "fwkit: the main segment has no kernel/firmware/acpi/ files" \
	sh -c '! grep -q "^kernel/firmware/acpi/" "$1"' - "$W/main.names.$LAST"
check "fwkit: the main segment holds usr/bin/fwkit" has_name "$W/main.names.$LAST" usr/bin/fwkit
check "fwkit: the main segment holds scripts/init-top/fwkit" \
	has_name "$W/main.names.$LAST" scripts/init-top/fwkit
check "fwkit: the main segment has kernel modules (a full image)" \
	grep -q '^usr/lib/modules/.*\.ko ' "$W/main.names.$LAST"

# Extracted by fwkit and, independently, by unmkinitramfs.
"$FWKIT" initrd extract "$IMG" "$W/fx" > "$W/fx.log" 2>&1 ||
	notok "fwkit initrd extract the image ($(head -n 2 "$W/fx.log"))"
unmkinitramfs "$IMG" "$W/ux" > "$W/ux.log" 2>&1 ||
	die "unmkinitramfs failed: $(head -n 3 "$W/ux.log")"
for x in fx ux; do
	[ "$x" = fx ] && who=fwkit || who=unmkinitramfs
	check_same "$who: usr/bin/fwkit in the image is the fwkit binary ($FWKIT)" \
		"$FWKIT" "$W/$x/main/usr/bin/fwkit"
	check_same "$who: scripts/init-top/fwkit is the init-top script" \
		"$SCRIPT" "$W/$x/main/scripts/init-top/fwkit"
	check "$who: scripts/init-top/ORDER runs /scripts/init-top/fwkit" \
		grep -q '^/scripts/init-top/fwkit ' "$W/$x/main/scripts/init-top/ORDER"
	check_same "$who: early kernel/firmware/acpi/hooktest.aml equals iasl's" \
		"$W/ref/hooktest.aml" "$W/$x/early/kernel/firmware/acpi/hooktest.aml"
done

# The init-top script, run from the image as the kernel would leave it: the
# segments unpacked into one root (unmkinitramfs's early/ over main/), in a
# chroot with a private /proc (fwkit-asan reads /proc/self/maps) whose
# kernel/tainted is a bind-mounted stand-in file, so the host kernel is
# never tainted.  Its /sys/firmware/acpi/tables are a machine's tables plus
# HOOKTEST as if the kernel had installed it, and /dev/kmsg is a file with
# the kernel's "Table Upgrade" line for it; HOOKAML did not take effect.
R="$W/root"
cp -a "$W/ux/main" "$R" && cp -a "$W/ux/early/." "$R/" &&
	mkdir -p "$R/proc" "$R/sys/firmware/acpi/tables" "$R/dev" "$R/run" &&
	cp "$W/fw-clean/dsdt.dat" "$R/sys/firmware/acpi/tables/DSDT" &&
	cp "$W/fw-clean/facp.dat" "$R/sys/firmware/acpi/tables/FACP" &&
	cp "$W/fw-clean/apic.dat" "$R/sys/firmware/acpi/tables/APIC" &&
	cp "$W/ref/hooktest.aml" "$R/sys/firmware/acpi/tables/SSDT1" &&
	echo "<6>[    0.012345] ACPI: Table Upgrade: install [SSDT-FWKIT -HOOKTEST]" > "$R/dev/kmsg" &&
	echo 0 > "$W/tainted" || die "cannot make the boot root $R"
unshare --mount --pid --fork --mount-proc="$R/proc" sh -c '
	mount --bind "$2" "$1/proc/sys/kernel/tainted" || exit 99
	chroot "$1" /scripts/init-top/fwkit
' - "$R" "$W/tainted" > "$W/boot.out" 2>&1
rc=$?
check "init-top script in the image exits 0 although one table did not take effect (exit $rc)" \
	[ "$rc" -eq 0 ]
check "init-top script says that not every table took effect" \
	grep -q "not every ACPI table in the initramfs took effect" "$W/boot.out"
check "boot verify logged HOOKTEST applied and HOOKAML not applied (/dev/kmsg)" \
	sh -c 'grep -q "HOOKTEST.* applied" "$1" && grep -q "HOOKAML.*NOT applied" "$1"' - "$R/dev/kmsg"
check "boot verify set taint bit A (256) in the stand-in tainted file (got $(cat "$W/tainted"))" \
	[ "$(cat "$W/tainted")" = 256 ]
check "boot verify appended /run/fwkit/ledger.json naming hooktest.aml" \
	grep -q hooktest "$R/run/fwkit/ledger.json"
[ "$rc" -eq 0 ] || show_log "$W/boot.out"
# fwkit acpi check reads an image's tables: both are new tables on this
# machine's firmware.
"$FWKIT" acpi check --against "$W/fw-clean" "$IMG" > "$W/plan" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c ": install " "$W/plan")" -eq 2 ]; then
	ok "fwkit acpi check --against FIRMWARE IMAGE: both tables in the image install"
else
	notok "fwkit acpi check --against FIRMWARE IMAGE: both tables in the image install (exit $rc)"
	show_log "$W/plan"
fi

# =====================================================================
# 2. the tables beside early microcode (stand-in hook), planned against
# firmware that already has HOOKTEST's revision: a warning, not a failure
IMG="$W/ucode.img"
mkinit "$W/conf-ucode" "$IMG" "$W/ucode.log" FWKIT_BIN="$FWKIT" \
	FWKIT_ACPI_DIR="$W/acpi" FWKIT_ACPI_AGAINST="$W/fw-drop"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$IMG" ]; then
	ok "mkinitramfs with the microcode hook and a table the firmware drops exits 0"
else
	notok "mkinitramfs with the microcode hook and a table the firmware drops exits 0 (exit $rc)"
	show_log "$W/ucode.log" 20
fi
check "the hook warns that hooktest.dsl would be dropped, naming the source" \
	grep -q "^W: .*$W/acpi/hooktest.dsl (compiled): *dropped" "$W/ucode.log"
if layout "$IMG" "$W/uc"; then
	NSEG=$(wc -l < "$W/uc.seg")
	LAST=$((NSEG - 1))
	check "fwkit: at least 3 segments, all but the last cpio (got: $(cut -d' ' -f2 "$W/uc.seg" | tr '\n' ' '))" \
		sh -c '[ "$1" -ge 3 ] && [ "$(head -n "$(($1 - 1))" "$2" | grep -vc " cpio$")" -eq 0 ] &&
			! tail -n 1 "$2" | grep -q " cpio$"' - "$NSEG" "$W/uc.seg"
	: > "$W/uc.early"
	i=0
	while [ "$i" -lt "$LAST" ]; do cat "$W/uc.names.$i" >> "$W/uc.early"; i=$((i + 1)); done
	for f in firmware/acpi/hooktest.aml firmware/acpi/hookaml.aml x86/microcode/GenuineIntel.bin; do
		check "fwkit: an early (uncompressed) segment holds kernel/$f" \
			has_name "$W/uc.early" "kernel/$f"
	done
	check "fwkit: the tables are in one early segment, the microcode in another" \
		sh -c 'for i in $(seq 0 $(($1 - 1))); do
			grep -q "^kernel/firmware/acpi/hooktest.aml " "$2.names.$i" &&
			! grep -q "^kernel/x86/" "$2.names.$i" && exit 0; done; exit 1' - "$LAST" "$W/uc"
else
	notok "fwkit initrd ls --json reads the image with microcode ($(head -n 2 "$W/uc.err"))"
fi
"$FWKIT" initrd extract "$IMG" "$W/ucx" > "$W/ucx.log" 2>&1 ||
	notok "fwkit initrd extract the image with microcode ($(head -n 2 "$W/ucx.log"))"
unmkinitramfs "$IMG" "$W/ucu" > "$W/ucu.log" 2>&1 ||
	notok "unmkinitramfs the image with microcode ($(head -n 2 "$W/ucu.log"))"
for x in ucx ucu; do
	[ "$x" = ucx ] && who=fwkit || who=unmkinitramfs
	found_t= found_u=
	for d in "$W/$x"/early*; do
		[ -d "$d" ] || continue
		cmp -s "$W/ref/hooktest.aml" "$d/kernel/firmware/acpi/hooktest.aml" && found_t=1
		cmp -s "$W/ref/GenuineIntel.bin" "$d/kernel/x86/microcode/GenuineIntel.bin" && found_u=1
	done
	check "$who: an early segment has hooktest.aml equal to iasl's" [ -n "$found_t" ]
	check "$who: an early segment has GenuineIntel.bin equal to iucode_tool's" [ -n "$found_u" ]
done
# The kernel reads each early file through find_cpio_data(), which walks
# concatenated uncompressed archives past their trailers until it meets
# something that is not a newc header: a walk of that kind, from offset 0,
# must reach both.
python3 - "$IMG" > "$W/walk" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
p, found = 0, []
while p + 110 <= len(data):
    if data[p] == 0:
        p += 4
        continue
    h = data[p:p + 110]
    if h[:5] != b"07070" or h[5:6] not in (b"1", b"2"):
        break
    mode, fsz, nsz = int(h[14:22], 16), int(h[54:62], 16), int(h[94:102], 16)
    name = data[p + 110:p + 110 + nsz - 1].decode()
    d = (p + 110 + nsz + 3) & ~3
    if mode & 0o170000 == 0o100000:
        found.append(name)
    p = (d + fsz + 3) & ~3
print("\n".join(found))
EOF
check "a kernel-style early walk from offset 0 reaches both tables and the microcode" \
	sh -c 'grep -qx kernel/firmware/acpi/hooktest.aml "$1" && grep -qx kernel/firmware/acpi/hookaml.aml "$1" &&
		grep -qx kernel/x86/microcode/GenuineIntel.bin "$1"' - "$W/walk"

# =====================================================================
# 3. broken tables fail the build, naming the file
bad_run() { # NAME DESC EXPECT(grep -E on the E: line) FILES...
	_bn=$1 _bd=$2 _be=$3
	shift 3
	mkdir -p "$W/$_bn.dir" && cp "$@" "$W/$_bn.dir/" || die "cannot make $W/$_bn.dir"
	mkinit "$W/conf-list" "$W/$_bn.img" "$W/$_bn.log" FWKIT_BIN="$FWKIT" \
		FWKIT_ACPI_DIR="$W/$_bn.dir" FWKIT_ACPI_AGAINST=
	_brc=$?
	check "$_bd: mkinitramfs fails (exit $_brc)" [ "$_brc" -ne 0 ]
	if grep -Eq "^E: fwkit: $W/$_bn.dir/$_be" "$W/$_bn.log"; then
		ok "$_bd: one line names the file: $(grep -m1 '^E: fwkit' "$W/$_bn.log")"
	else
		notok "$_bd: a line 'E: fwkit: $W/$_bn.dir/$_be' names the file"
		show_log "$W/$_bn.log"
	fi
}
cp "$W/ref/hookaml.aml" "$W/badsum.aml" &&
	printf '\377' | dd of="$W/badsum.aml" bs=1 seek=9 conv=notrunc 2> /dev/null ||
	die "cannot make badsum.aml"
bad_run badsum "an .aml with a bad checksum" "badsum\.aml: .*[Cc]hecksum" \
	"$W/src/hooktest.dsl" "$W/badsum.aml"
cat > "$W/broken.dsl" <<'EOF'
DefinitionBlock ("", "SSDT", 2, "FWKIT ", "HOOKBRKN", 0x00000001)
{
    Name (FWKV, 0x2A
}
EOF
bad_run broken "a .dsl with a syntax error" "broken\.dsl:[0-9]+: .*error" \
	"$W/broken.dsl" "$W/ref/hookaml.aml"
cat > "$W/oemx.dsl" <<'EOF'
DefinitionBlock ("", "OEMX", 2, "FWKIT ", "HOOKOEMX", 0x00000001)
{
    Name (FWKV, 0x2A)
}
EOF
bad_run oemx "a .dsl that compiles to a signature the kernel refuses" \
	"oemx\.dsl: compiled, but .*signature" "$W/oemx.dsl"
bad_run twice "a .dsl and an .aml that would ship under one name" \
	"hookaml\.(aml|dsl): .*ships as kernel/firmware/acpi/hookaml\.aml" \
	"$W/ref/hookaml.aml" "$W/src/hookaml.dsl"

mkinit "$W/conf-list" "$W/nobin.img" "$W/nobin.log" FWKIT_BIN="$W/no-such-fwkit" \
	FWKIT_ACPI_DIR="$W/acpi" FWKIT_ACPI_AGAINST=
rc=$?
check "tables but no fwkit binary: mkinitramfs fails (exit $rc) saying so" \
	sh -c '[ "$1" -ne 0 ] && grep -q "^E: fwkit: .*no fwkit binary" "$2"' - "$rc" "$W/nobin.log"

# =====================================================================
# 4. no tables: the hook does nothing and says nothing
mkdir -p "$W/empty"
for d in empty missing; do
	mkinit "$W/conf-list" "$W/$d.img" "$W/$d.log" FWKIT_BIN="$FWKIT" \
		FWKIT_ACPI_DIR="$W/$d" FWKIT_ACPI_AGAINST=
	rc=$?
	check "$d table dir: mkinitramfs exits 0 (exit $rc)" [ "$rc" -eq 0 ]
	check "$d table dir: the hook prints nothing" sh -c '! grep -q "fwkit" "$1"' - "$W/$d.log"
	if layout "$W/$d.img" "$W/$d"; then
		check "$d table dir: one segment, compressed, without usr/bin/fwkit" \
			sh -c '[ "$(wc -l < "$1.seg")" -eq 1 ] && ! grep -q " cpio$" "$1.seg" &&
				! grep -q "^usr/bin/fwkit " "$1.names.0"' - "$W/$d"
	else
		notok "$d table dir: fwkit initrd ls --json reads the image"
	fi
done

finish
