# SPDX-License-Identifier: MIT
# tests/real/dracut-module.sh - runs the real dracut (Debian's dracut-core,
# unpacked with dpkg -x, never installed: it conflicts with initramfs-tools)
# with fwkit's dracut module on Debian's kernel, and checks the image: the
# fixed ACPI tables (one compiled from .dsl, one .aml) in dracut's early
# uncompressed cpio byte for byte as iasl makes them, beside dracut's own
# early microcode; fwkit and the pre-udev hook in the main image; the tables
# shipped when dracut itself makes no early cpio; a broken table failing the
# build with a line naming the file; nothing added when there are no tables.
#
# dracut has no module interface for its early cpio: the module writes into
# "$early_cpio_dir/d" and sets create_early_cpio=yes, the two variables that
# dracut's own microcode and acpi_override code use.  The first check below
# reads dracut's source to see that this dracut still archives that tree
# when that variable is set; a mock of dracut's install functions then runs
# module-setup.sh alone.
#
# dracut runs from a private copy of the unpacked tree with the module in
# its modules.d, with --kmoddir on the cached kernel (tests/qemu/kernel.sh)
# and, in a private mount namespace, that kernel's boot/ on /boot so dracut
# reads its real config.  The .deb and its unpacked tree are cached in
# $FWKIT_CACHE/debs and $FWKIT_CACHE/dracut/VERSION.

. "$(dirname "$0")/../lib.sh"
. "$FWKIT_ROOT/tests/qemu/kernel.sh"
. "$FWKIT_ROOT/tests/support/imagelib.sh"

need bash iasl cpio unshare mount python3 cmp dd apt-get apt-cache dpkg dpkg-deb \
	depmod udevadm flock
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
[ "$(id -u)" = 0 ] ||
	die "needs root: dracut runs in a private mount namespace (unshare -m) with the unpacked kernel on /boot"
[ -d /boot ] || die "/boot does not exist (mount point for the kernel's boot/)"
MODDIR="$FWKIT_ROOT/integration/dracut/90fwkit"
[ -f "$MODDIR/module-setup.sh" ] || die "$MODDIR/module-setup.sh missing"
[ -f "$MODDIR/fwkit-verify.sh" ] || die "$MODDIR/fwkit-verify.sh missing"
MC="$FWKIT_ROOT/../shared/corpus/microcode/intel"
set -- "$MC"/[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]-[0-9a-f][0-9a-f]
[ -f "$1" ] || die "no Intel microcode files in $MC"
FWTABLES="$FWKIT_ROOT/../shared/corpus/acpi/linuxhw/0025"
[ -f "$FWTABLES/dsdt.dat" ] || die "no firmware tables in $FWTABLES"
fwkit_kernel || die "cannot fetch/unpack Debian's x86-64 kernel (see '# kernel:' lines)"

W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
mkdir -p "$W/src" "$W/ref" "$W/acpi" "$W/tmp" "$W/fw-clean" "$W/firmware/intel-ucode" \
	"$W/conf.d" || die "cannot populate $W"
cp "$@" "$W/firmware/intel-ucode/" || die "cannot copy the microcode"

# --- dracut-core, fetched once and unpacked (never installed)
dr_log() { echo "# dracut: $*" >&2; }
dr_version() {
	DRVER=$(apt-cache policy dracut-core 2>/dev/null | sed -n 's/^ *Candidate: *//p')
	case $DRVER in '' | '(none)') return 1 ;; esac
}
dr_fetch() {
	if ! dr_version; then
		dr_log "local package lists do not know dracut-core: apt-get update"
		apt-get update -q >&2
		dr_version || { dr_log "no candidate for dracut-core in Debian's lists"; return 1; }
	fi
	DRROOT="$FWKIT_CACHE/dracut/$(echo "$DRVER" | tr ':' '_')"
	[ -f "$DRROOT/.complete" ] && return 0
	mkdir -p "$FWKIT_CACHE/debs" "$FWKIT_CACHE/dracut" || return 1
	deb=$(ls "$FWKIT_CACHE/debs/dracut-core_$(echo "$DRVER" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ] || ! dpkg-deb --info "$deb" > /dev/null 2>&1; then
		dl=$(mktemp -d "$FWKIT_CACHE/debs/.dl.XXXXXX") || return 1
		dr_log "downloading dracut-core=$DRVER"
		(cd "$dl" && apt-get download -q -o APT::Sandbox::User="$(id -un)" \
			"dracut-core=$DRVER" >&2) || { rm -rf "$dl"; return 1; }
		deb=$(ls "$dl"/dracut-core_*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] && dpkg-deb --info "$deb" > /dev/null 2>&1 &&
			mv -f "$deb" "$FWKIT_CACHE/debs/" || { rm -rf "$dl"; return 1; }
		rm -rf "$dl"
		deb="$FWKIT_CACHE/debs/${deb##*/}"
	fi
	tmp=$(mktemp -d "$FWKIT_CACHE/dracut/.unpack.XXXXXX") || return 1
	dr_log "unpacking ${deb##*/}"
	if dpkg -x "$deb" "$tmp" && [ -f "$tmp/usr/bin/dracut" ] &&
		[ -x "$tmp/usr/lib/dracut/dracut-install" ]; then
		dpkg-deb -f "$deb" Depends > "$tmp/.depends"
		echo "dracut-core $DRVER" > "$tmp/.complete"
		rm -rf "$DRROOT" && mv "$tmp" "$DRROOT"
		return $?
	fi
	rm -rf "$tmp"
	dr_log "${deb##*/} does not unpack to usr/bin/dracut and usr/lib/dracut/dracut-install"
	return 1
}
exec 9> "$FWKIT_CACHE/.dracut.lock" || die "cannot open $FWKIT_CACHE/.dracut.lock"
flock 9 || die "cannot lock $FWKIT_CACHE/.dracut.lock"
dr_fetch || die "cannot fetch and unpack Debian's dracut-core (see '# dracut:' lines)"
flock -u 9
exec 9>&-
echo "# dracut-core $DRVER from $DRROOT; it depends on: $(cat "$DRROOT/.depends")"
# Its dependencies that the modules used here (base, udev-rules, fwkit)
# run; kpartx is only for the dm/multipath modules.
need cpio depmod modprobe udevadm
"$DRROOT/usr/lib/dracut/dracut-install" --help > /dev/null 2>&1 ||
	die "dracut-install from dracut-core does not run here (libkmod2?)"

# A private dracut: the package's tree plus the module, as installed.
DR="$W/dracut"
mkdir -p "$DR" && cp -a "$DRROOT/usr/lib/dracut" "$DR/lib" &&
	cp "$DRROOT/usr/bin/dracut" "$DRROOT/usr/bin/lsinitrd" "$DR/" &&
	mkdir -p "$DR/lib/modules.d/90fwkit" &&
	install -m 0755 "$MODDIR/module-setup.sh" "$MODDIR/fwkit-verify.sh" \
		"$DR/lib/modules.d/90fwkit/" || die "cannot make the dracut tree in $DR"

# --- the interface the module relies on, in this dracut's own source
DSRC="$DR/dracut"
check "dracut archives \"\$early_cpio_dir/d\" as the early cpio when create_early_cpio is yes" \
	sh -c 'grep -q "^if \[\[ \$create_early_cpio == yes \]\]; then" "$1" &&
		grep -q "cd \"\$early_cpio_dir/d\"" "$1"' - "$DSRC"
check "dracut runs every module's install() before that (in the same shell)" \
	sh -c 'a=$(grep -n "module_install \"\$_d_mod\"" "$1" | head -n 1 | cut -d: -f1)
		b=$(grep -n "^if \[\[ \$create_early_cpio == yes \]\]" "$1" | cut -d: -f1)
		[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]' - "$DSRC"
check "dracut's module_install calls install() as a function, not in a subshell" \
	grep -q 'moddir="$_moddir" install$' "$DR/lib/dracut-init.sh"

# --- the tables and their references (as in initramfs-tools-hook.sh)
cp "$FWKIT_ROOT/tests/real/fixtures/hooktest.dsl" "$FWKIT_ROOT/tests/real/fixtures/hookaml.dsl" "$W/src/" ||
	die "cannot copy the ASL fixtures"
for t in hooktest hookaml; do
	iasl -p "$W/ref/$t" "$W/src/$t.dsl" > "$W/iasl.log" 2>&1 ||
		die "iasl cannot compile $t.dsl: $(grep -i error "$W/iasl.log" | head -n 2)"
done
cp "$W/src/hooktest.dsl" "$W/ref/hookaml.aml" "$W/acpi/" || die "cannot fill $W/acpi"
cp "$FWTABLES/dsdt.dat" "$FWTABLES/facp.dat" "$FWTABLES/apic.dat" "$W/fw-clean/" ||
	die "cannot copy the firmware tables"
# what dracut's early microcode code makes of the firmware dir: every file
# of intel-ucode/, concatenated in glob order
cat "$W/firmware/intel-ucode"/* > "$W/ref/GenuineIntel.bin" || die "cannot make the microcode reference"

# drac OUT LOG DIR [dracut options...]: the real dracut on the cached kernel,
# modules base and fwkit only, tables from DIR; dracut's exit status.
drac() {
	_out=$1 _log=$2 _dir=$3
	shift 3
	env dracutbasedir="$DR/lib" FWKIT_BIN="$FWKIT" FWKIT_ACPI_DIR="$_dir" \
		FWKIT_ACPI_AGAINST="${AGAINST-}" \
		unshare --mount --propagation private sh -c '
			mount --bind "$1/boot" /boot || exit 99
			shift
			exec bash "$@"
		' - "$KERNEL_ROOT" "$DR/dracut" --conf /dev/null --confdir "$W/conf.d" \
		--tmpdir "$W/tmp" --kver "$KERNEL_RELEASE" --kmoddir "$KERNEL_MODULES" \
		-m "base fwkit" --no-hostonly --nostrip --force "$@" "$_out" > "$_log" 2>&1
}

# =====================================================================
# 1. the mock: module-setup.sh with stand-ins for dracut's functions
cat > "$W/mock.sh" <<'EOF'
set -u
W=$1 MOD=$2
dinfo() { :; }
dwarn() { echo "dwarn: $*" >> "$W/mock.calls"; }
dfatal() { echo "dfatal: $*" >> "$W/mock.calls"; }
check_kernel_config() { return 0; }
inst_binary() { echo "inst_binary $*" >> "$W/mock.calls"; }
inst_hook() { echo "inst_hook $*" >> "$W/mock.calls"; }
moddir=$MOD
DRACUT_TMPDIR="$W/mocktmp"
kernel=test
mkdir -p "$DRACUT_TMPDIR"
. "$MOD/module-setup.sh"
FWKIT_ACPI_DIR="$W/nothing" check; echo "check-none $?" >> "$W/mock.calls"
check; echo "check-tables $?" >> "$W/mock.calls"
unset early_cpio_dir
install
echo "early_cpio_dir $early_cpio_dir" >> "$W/mock.calls"
echo "create_early_cpio $create_early_cpio" >> "$W/mock.calls"
EOF
: > "$W/mock.calls"
FWKIT_BIN="$FWKIT" FWKIT_ACPI_DIR="$W/acpi" FWKIT_ACPI_AGAINST= \
	bash "$W/mock.sh" "$W" "$DR/lib/modules.d/90fwkit" > "$W/mock.log" 2>&1
rc=$?
check "mock: install() returns (exit $rc)" [ "$rc" -eq 0 ]
check "mock: check() is 255 without tables, 0 with them" \
	sh -c 'grep -qx "check-none 255" "$1" && grep -qx "check-tables 0" "$1"' - "$W/mock.calls"
check "mock: with no early cpio from dracut, the module makes \$DRACUT_TMPDIR/earlycpio" \
	grep -qx "early_cpio_dir $W/mocktmp/earlycpio" "$W/mock.calls"
check "mock: create_early_cpio=yes" grep -qx "create_early_cpio yes" "$W/mock.calls"
for t in hooktest hookaml; do
	check_same "mock: \$early_cpio_dir/d/kernel/firmware/acpi/$t.aml is iasl's" \
		"$W/ref/$t.aml" "$W/mocktmp/earlycpio/d/kernel/firmware/acpi/$t.aml"
done
check "mock: inst_binary FWKIT /usr/bin/fwkit" grep -qx "inst_binary $FWKIT /usr/bin/fwkit" "$W/mock.calls"
check "mock: inst_hook pre-udev 05 .../fwkit-verify.sh" \
	grep -qx "inst_hook pre-udev 05 $DR/lib/modules.d/90fwkit/fwkit-verify.sh" "$W/mock.calls"
if grep -q dfatal "$W/mock.calls"; then show_log "$W/mock.calls"; fi

# =====================================================================
# 2. the real dracut: tables beside dracut's early microcode
IMG="$W/main.img"
AGAINST="$W/fw-clean"
t0=$(date +%s)
drac "$IMG" "$W/main.log" "$W/acpi" --fwdir "$W/firmware"
rc=$?
echo "# dracut took $(( $(date +%s) - t0 )) s"
if [ "$rc" -eq 0 ] && [ -s "$IMG" ]; then
	ok "dracut with the fwkit module, a .dsl and an .aml table exits 0"
else
	notok "dracut with the fwkit module, a .dsl and an .aml table exits 0 (exit $rc)"
	show_log "$W/main.log" 20
	finish; exit 1
fi
check "dracut included the fwkit module" grep -q "Including module: fwkit" "$W/main.log"
check "the module says nothing but the tables it adds" \
	sh -c '! grep fwkit "$1" | grep -v "Executing: \|Including module: fwkit\|fwkit: adding ACPI table"' - "$W/main.log"

check "the image starts with an uncompressed newc cpio (070701)" \
	[ "$(dd if="$IMG" bs=6 count=1 2>/dev/null)" = 070701 ]
cpio -t --quiet < "$IMG" > "$W/cpio-t" 2> "$W/cpio-t.err"
for f in early_cpio kernel/firmware/acpi/hooktest.aml kernel/firmware/acpi/hookaml.aml \
	kernel/x86/microcode/GenuineIntel.bin; do
	check "cpio -t: the first segment lists $f" grep -qx "$f" "$W/cpio-t"
done
mkdir -p "$W/first"
(cd "$W/first" && cpio -i -d --quiet < "$IMG") 2> "$W/first.err"
check_same "first segment's hooktest.aml (compiled by the module) is byte-identical to iasl's" \
	"$W/ref/hooktest.aml" "$W/first/kernel/firmware/acpi/hooktest.aml"
check_same "first segment's hookaml.aml is byte-identical to the .aml given" \
	"$W/ref/hookaml.aml" "$W/first/kernel/firmware/acpi/hookaml.aml"
check_same "first segment's GenuineIntel.bin is dracut's microcode, unchanged" \
	"$W/ref/GenuineIntel.bin" "$W/first/kernel/x86/microcode/GenuineIntel.bin"

if layout "$IMG" "$W/main"; then
	ok "fwkit initrd ls --json reads the image"
else
	notok "fwkit initrd ls --json reads the image ($(head -n 2 "$W/main.err"))"
	finish; exit 1
fi
NSEG=$(wc -l < "$W/main.seg")
LAST=$((NSEG - 1))
check "fwkit: 2 segments, cpio then compressed (got: $(cut -d' ' -f2 "$W/main.seg" | tr '\n' ' '))" \
	[ "$NSEG" -eq 2 -a "$(sed -n '1s/^0 //p' "$W/main.seg")" = cpio -a \
	  "$(sed -n '2s/^1 //p' "$W/main.seg")" != cpio ]
for t in hooktest hookaml; do
	check "fwkit: segment 0 holds kernel/firmware/acpi/$t.aml, $(wc -c < "$W/ref/$t.aml") bytes" \
		grep -qx "kernel/firmware/acpi/$t.aml file $(wc -c < "$W/ref/$t.aml")" "$W/main.names.0"
done
check "fwkit: segment 0 holds kernel/x86/microcode/GenuineIntel.bin" \
	has_name "$W/main.names.0" kernel/x86/microcode/GenuineIntel.bin
check "fwkit: the main segment holds usr/bin/fwkit" has_name "$W/main.names.$LAST" usr/bin/fwkit
check "fwkit: the main segment holds the hook usr/lib/dracut/hooks/pre-udev/05-fwkit-verify.sh" \
	has_name "$W/main.names.$LAST" usr/lib/dracut/hooks/pre-udev/05-fwkit-verify.sh
"$FWKIT" initrd extract "$IMG" "$W/fx" > "$W/fx.log" 2>&1 ||
	notok "fwkit initrd extract the image ($(head -n 2 "$W/fx.log"))"
check_same "usr/bin/fwkit in the image is the fwkit binary (--nostrip)" "$FWKIT" "$W/fx/main/usr/bin/fwkit"
check_same "the pre-udev hook in the image is fwkit-verify.sh" \
	"$MODDIR/fwkit-verify.sh" "$W/fx/main/usr/lib/dracut/hooks/pre-udev/05-fwkit-verify.sh"
check_same "fwkit initrd extract: early hooktest.aml equals iasl's" \
	"$W/ref/hooktest.aml" "$W/fx/early/kernel/firmware/acpi/hooktest.aml"
# dracut's own reader agrees
env dracutbasedir="$DR/lib" bash "$DR/lsinitrd" "$IMG" > "$W/lsinitrd" 2>&1
check "lsinitrd lists both tables and the microcode under 'Early CPIO image'" \
	sh -c 'sed -n "/^Early CPIO image/,/^Version:/p" "$1" > "$1.early" &&
		grep -q " kernel/firmware/acpi/hooktest.aml$" "$1.early" &&
		grep -q " kernel/firmware/acpi/hookaml.aml$" "$1.early" &&
		grep -q " kernel/x86/microcode/GenuineIntel.bin$" "$1.early"' - "$W/lsinitrd"
check "lsinitrd lists the fwkit module among the image's dracut modules" \
	sh -c 'sed -n "/^dracut modules:/,/^=/p" "$1" | grep -qx fwkit' - "$W/lsinitrd"

# The pre-udev hook, sourced from the image the way dracut's init does, in
# a chroot of the unpacked segments (early over main) with a private /proc
# whose kernel/tainted is a stand-in file (the host is never tainted),
# firmware tables plus HOOKTEST as installed, and /dev/kmsg a plain file.
R="$W/root"
cp -a "$W/fx/main" "$R" && cp -a "$W/fx/early/." "$R/" &&
	mkdir -p "$R/proc" "$R/sys/firmware/acpi/tables" "$R/dev" "$R/run" &&
	cp "$W/fw-clean/dsdt.dat" "$R/sys/firmware/acpi/tables/DSDT" &&
	cp "$W/fw-clean/facp.dat" "$R/sys/firmware/acpi/tables/FACP" &&
	cp "$W/ref/hooktest.aml" "$R/sys/firmware/acpi/tables/SSDT1" &&
	echo "<6>[    0.012345] ACPI: Table Upgrade: install [SSDT-FWKIT -HOOKTEST]" > "$R/dev/kmsg" &&
	echo 0 > "$W/tainted" || die "cannot make the boot root $R"
unshare --mount --pid --fork --mount-proc="$R/proc" sh -c '
	mount --bind "$2" "$1/proc/sys/kernel/tainted" || exit 99
	chroot "$1" /bin/sh -c ". /lib/dracut-lib.sh
		. /lib/dracut/hooks/pre-udev/05-fwkit-verify.sh
		echo hook-returned"
' - "$R" "$W/tainted" > "$W/boot.out" 2>&1
rc=$?
check "pre-udev hook returns to dracut's init although one table did not take effect (exit $rc)" \
	sh -c '[ "$1" -eq 0 ] && grep -qx hook-returned "$2"' - "$rc" "$W/boot.out"
check "pre-udev hook warns that not every table took effect" \
	grep -q "not every ACPI table in the initramfs took effect" "$W/boot.out"
check "boot verify reported HOOKTEST applied and HOOKAML not applied (on the console)" \
	sh -c 'grep -q "HOOKTEST.* applied" "$1" && grep -q "HOOKAML.*NOT applied" "$1"' - "$W/boot.out"
# (dracut's warn writes /dev/kmsg with '>', which empties a plain file:
# only its own line is left there)
check "the warning went to the kernel log as a dracut warning" \
	grep -q "^<28>dracut Warning: fwkit: not every ACPI table" "$R/dev/kmsg"
check "boot verify set taint bit A (256) in the stand-in tainted file (got $(cat "$W/tainted"))" \
	[ "$(cat "$W/tainted")" = 256 ]
check "boot verify appended /run/fwkit/ledger.json naming hooktest.aml" \
	grep -q hooktest "$R/run/fwkit/ledger.json"
[ "$rc" -eq 0 ] || show_log "$W/boot.out"

# =====================================================================
# 3. dracut makes no early cpio of its own (--no-early-microcode): the
# module makes it, and the tables still come first
IMG="$W/noucode.img"
AGAINST=
drac "$IMG" "$W/noucode.log" "$W/acpi" --no-early-microcode
rc=$?
check "dracut --no-early-microcode with tables exits 0 (exit $rc)" [ "$rc" -eq 0 ]
if layout "$IMG" "$W/nu"; then
	check "--no-early-microcode: segment 0 is cpio with both tables and no microcode" \
		sh -c 'grep -qx "0 cpio" "$1.seg" && grep -q "^kernel/firmware/acpi/hooktest.aml " "$1.names.0" &&
			grep -q "^kernel/firmware/acpi/hookaml.aml " "$1.names.0" &&
			! grep -q "^kernel/x86/" "$1.names.0"' - "$W/nu"
else
	notok "--no-early-microcode: fwkit initrd ls --json reads the image"
	show_log "$W/noucode.log"
fi

# =====================================================================
# 4. broken tables fail the build, naming the file
bad_run() { # NAME DESC EXPECT FILES...
	_bn=$1 _bd=$2 _be=$3
	shift 3
	mkdir -p "$W/$_bn.dir" && cp "$@" "$W/$_bn.dir/" || die "cannot make $W/$_bn.dir"
	drac "$W/$_bn.img" "$W/$_bn.log" "$W/$_bn.dir"
	_brc=$?
	check "$_bd: dracut fails (exit $_brc)" [ "$_brc" -ne 0 ]
	if grep -Eq "fwkit: $W/$_bn.dir/$_be" "$W/$_bn.log"; then
		ok "$_bd: one line names the file: $(grep -m1 "fwkit: $W/$_bn.dir/" "$W/$_bn.log")"
	else
		notok "$_bd: a line 'fwkit: $W/$_bn.dir/$_be' names the file"
		show_log "$W/$_bn.log"
	fi
	check "$_bd: no image left behind" [ ! -s "$W/$_bn.img" ]
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

# =====================================================================
# 5. no tables: the module adds nothing even when asked for by name
mkdir -p "$W/empty"
drac "$W/empty.img" "$W/empty.log" "$W/empty"
rc=$?
check "empty table dir: dracut exits 0 (exit $rc)" [ "$rc" -eq 0 ]
check "empty table dir: the module prints nothing" \
	sh -c '! grep -q "fwkit:" "$1"' - "$W/empty.log"
if layout "$W/empty.img" "$W/empty"; then
	check "empty table dir: one segment, compressed, without fwkit or its hook" \
		sh -c '[ "$(wc -l < "$1.seg")" -eq 1 ] && ! grep -q " cpio$" "$1.seg" &&
			! grep -q "^usr/bin/fwkit " "$1.names.0" && ! grep -q "fwkit-verify" "$1.names.0"' - "$W/empty"
else
	notok "empty table dir: fwkit initrd ls --json reads the image"
fi

finish
