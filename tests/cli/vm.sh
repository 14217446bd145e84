#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/vm.sh - fwkit vm dtb|acpi|check|map as a VMM author drives them:
#   - --help of each command names every DESC flag; bad usage and every
#     malformed flag value: exit 2, one stderr line naming the option
#   - dtb: QEMU virt's defaults (fdtget: addresses, interrupts, fixed
#     phandles), every DESC flag seen in the tree, packed, dtc -I dtb -O dts
#     without a warning for several machines; x86_64 refused with one line
#   - acpi -o DIR: exactly the expected files per arch (SRAT with NUMA),
#     each length and checksum right, OEM fields from the flags, iasl -d of
#     every table without an error; a stale *.dat or a file in the way
#     refused with nothing written
#   - acpi --base ADDR -o FILE: RSDP at 0, its XSDT pointer (od) = ADDR + the
#     XSDT's offset, every XSDT entry and FADT's DSDT pointer landing on the
#     right signature, and each file of the DIR form (same base) equal to
#     its slice of the layout; pointers refer to base 0 without --base
#   - check: generated outputs in parity (exit 0, one line), a --dtb or
#     --acpi from another description (CPUs, virtio-mmio count, UART
#     interrupt, NUMA memory) exit 1 with exactly one line per difference;
#     a malformed DTB or table exit 2 with one line naming the file
#   - malformed JSON descriptions (truncated, unknown member, wrong type,
#     out of range, overlapping regions): one line naming the file and the
#     field, exit 2, an existing output untouched, no temporary file
#   - map: the default arm64 and x86_64 rows (pl011 at 0x09000000 SPI 1 ...),
#     sorted by base, aligned; --json the same rows.
. "$(dirname "$0")/../lib.sh"
need dtc fdtget iasl python3 od dd cmp find sed grep sort tr
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022

one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
no_temp_in() { [ -z "$(find "$1" -name '*.fwkit-*')" ]; }
size_of() { wc -c < "$1" | tr -d ' '; }
# pyck DESC ARGS... <<'EOF' (python reading sys.argv[1:]): a check.
pyck() {
	_d=$1; shift
	if python3 - "$@" > "$W/py.out" 2>&1; then ok "$_d"
	else notok "$_d"; tail -n 3 "$W/py.out" | sed 's/^/#   /' >&3; fi
}
# fails DESC CODE PATTERN CMD...: exit CODE, exactly one line on stderr
# matching PATTERN (grep -E), nothing on stdout.
fails() {
	_d=$1 _code=$2 _pat=$3; shift 3
	"$@" > "$W/out" 2> "$W/err"
	_rc=$?
	if [ "$_rc" -eq "$_code" ] && one_line "$W/err" && grep -Eq -- "$_pat" "$W/err" &&
	   [ ! -s "$W/out" ]; then
		ok "$_d"
	else
		notok "$_d: exit $_rc (want $_code): $(head -n 2 "$W/err" | tr '\n' '|')"
	fi
}
# runs DESC CMD...: exit 0, nothing on stderr (stdout kept in $W/out).
runs() {
	_d=$1; shift
	"$@" > "$W/out" 2> "$W/err"
	_rc=$?
	if [ "$_rc" -eq 0 ] && [ ! -s "$W/err" ]; then ok "$_d"
	else notok "$_d: exit $_rc: $(head -n 2 "$W/err" | tr '\n' '|')"; fi
}
# prop FILE NODE PROP [fdtget type]: the property as fdtget prints it.
prop() { fdtget ${4:+-t "$4"} "$1" "$2" "$3" 2>/dev/null; }
# dts_clean DTB: dtc decompiles it without a word on stderr.
dts_clean() { dtc -I dtb -O dts -o "$1.dts" "$1" 2> "$1.dtc" && [ ! -s "$1.dtc" ]; }

DESC_FLAGS="--spec --arch --cpus --memory --numa --gic --its --no-its --virtio-mmio --pcie
--no-pcie --psci-conduit --bootargs --initrd-start --initrd-end --rng-seed --oem-id
--oem-table-id --oem-revision"

# ============================================================================
# 1. help and usage
# ============================================================================
runs "vm --help: exit 0" "$FWKIT" vm --help
check "vm --help names the four commands" \
	sh -c "grep -q 'fwkit vm dtb' '$W/out' && grep -q 'fwkit vm acpi' '$W/out' &&
	       grep -q 'fwkit vm check' '$W/out' && grep -q 'fwkit vm map' '$W/out'"
"$FWKIT" --help > "$W/main-help" 2>&1
check "fwkit --help lists vm" grep -q '^  vm dtb|acpi|check|map' "$W/main-help"
for c in dtb acpi check map; do
	"$FWKIT" vm $c --help > "$W/help-$c" 2> "$W/err"
	rc=$?
	missing=
	for f in $DESC_FLAGS; do
		grep -q -- "$f" "$W/help-$c" || missing="$missing $f"
	done
	check "vm $c --help: exit 0, usage line, every DESC flag named${missing:+ (missing:$missing)}" \
		sh -c "[ $rc -eq 0 ] && [ ! -s '$W/err' ] && head -n 1 '$W/help-$c' | grep -q '^usage: fwkit vm $c' && [ -z '$missing' ]"
done
check "vm acpi --help says pointers refer to base 0 without --base" grep -q 'refer to base 0' "$W/help-acpi"
"$FWKIT" vm > "$W/out" 2> "$W/err"
check "vm alone: exit 2, the usage on stderr" sh -c "[ $? -eq 2 ] && grep -q '^usage: fwkit vm' '$W/err' && [ ! -s '$W/out' ]"
fails "vm frob: unknown command" 2 "^fwkit vm: unknown command 'frob'" "$FWKIT" vm frob

O="$W/usage.dtb"
fails "dtb without -o" 2 '^fwkit vm dtb: -o OUT is required' "$FWKIT" vm dtb
fails "acpi without -o" 2 '^fwkit vm acpi: -o DIR or FILE is required' "$FWKIT" vm acpi
fails "dtb --dtb: not its option" 2 "^fwkit vm dtb: --dtb: not an option" "$FWKIT" vm dtb --dtb x -o "$O"
fails "map -o: writes no file" 2 '^fwkit vm map: -o: ' "$FWKIT" vm map -o "$O"
fails "check --json: not its option" 2 '^fwkit vm check: --json: not an option' "$FWKIT" vm check --json
fails "an unknown option" 2 "^fwkit vm dtb: '--bogus': unknown option" "$FWKIT" vm dtb --bogus -o "$O"
fails "--cpus abc" 2 "^fwkit vm dtb: --cpus 'abc': not a number" "$FWKIT" vm dtb --cpus abc -o "$O"
fails "--cpus -1" 2 "^fwkit vm dtb: --cpus '-1'" "$FWKIT" vm dtb --cpus -1 -o "$O"
fails "--memory 1X" 2 "^fwkit vm dtb: --memory '1X': not a size" "$FWKIT" vm dtb --memory 1X -o "$O"
fails "--memory 0x" 2 "^fwkit vm dtb: --memory '0x': not a size" "$FWKIT" vm dtb --memory 0x -o "$O"
fails "--memory 99999999T (overflow)" 2 "^fwkit vm dtb: --memory '99999999T'" "$FWKIT" vm dtb --memory 99999999T -o "$O"
fails "--numa 9" 2 "^fwkit vm dtb: --numa '9'" "$FWKIT" vm dtb --numa 9 -o "$O"
fails "--gic v4" 2 "^fwkit vm dtb: --gic 'v4': not v2 or v3" "$FWKIT" vm dtb --gic v4 -o "$O"
fails "--arch sparc" 2 "^fwkit vm dtb: --arch 'sparc'" "$FWKIT" vm dtb --arch sparc -o "$O"
fails "--psci-conduit svc" 2 "^fwkit vm dtb: --psci-conduit 'svc'" "$FWKIT" vm dtb --psci-conduit svc -o "$O"
fails "--rng-seed odd length" 2 '^fwkit vm dtb: --rng-seed: ' "$FWKIT" vm dtb --rng-seed 123 -o "$O"
fails "--rng-seed not hex" 2 '^fwkit vm dtb: --rng-seed: ' "$FWKIT" vm dtb --rng-seed zz -o "$O"
seed65=$(python3 -c 'print("ab" * 65)')
fails "--rng-seed of 65 bytes" 2 '^fwkit vm dtb: --rng-seed: not 1 to 64 bytes' "$FWKIT" vm dtb --rng-seed "$seed65" -o "$O"
fails "--oem-id of 7 characters" 2 "^fwkit vm acpi: --oem-id 'TOOLONG'" "$FWKIT" vm acpi --oem-id TOOLONG -o "$W/usage"
fails "--oem-table-id of 9 characters" 2 "^fwkit vm acpi: --oem-table-id 'NINECHARS'" "$FWKIT" vm acpi --oem-table-id NINECHARS -o "$W/usage"
fails "--oem-revision 2^32" 2 "^fwkit vm acpi: --oem-revision '0x100000000'" "$FWKIT" vm acpi --oem-revision 0x100000000 -o "$W/usage"
long=$(python3 -c 'print("x" * 1024)')
fails "--bootargs of 1024 bytes" 2 '^fwkit vm dtb: --bootargs: longer than 1023 bytes' "$FWKIT" vm dtb --bootargs "$long" -o "$O"
fails "--base not a number" 2 "^fwkit vm acpi: --base 'zz'" "$FWKIT" vm acpi --base zz -o "$W/usage"
for f in "--gic v2" --its --no-its "--psci-conduit smc"; do
	# shellcheck disable=SC2086
	fails "$f on x86_64: arm64 only" 2 "^fwkit vm acpi: ${f%% *}: only for an arm64 machine" \
		"$FWKIT" vm acpi --arch x86_64 $f -o "$W/usage"
done
fails "two description files" 2 "^fwkit vm map: 'b.json': unexpected argument" "$FWKIT" vm map a.json b.json
fails "an argument beside --spec" 2 "^fwkit vm map: 'b.json': the description is already --spec a.json" \
	"$FWKIT" vm map --spec a.json b.json
fails "check: --dtb and --acpi with a description" 2 '^fwkit vm check: with both --dtb and --acpi' \
	"$FWKIT" vm check --dtb x --acpi y --cpus 2
# vm_validate's faults: one line naming the field, no file name (no --spec)
fails "--cpus 0: the field cpus" 2 '^fwkit: cpus: ' "$FWKIT" vm dtb --cpus 0 -o "$O"
fails "--cpus 513: the field cpus" 2 '^fwkit: cpus: ' "$FWKIT" vm dtb --cpus 513 -o "$O"
fails "--memory 3M: memory.size" 2 '^fwkit: memory.size: ' "$FWKIT" vm dtb --memory 3M -o "$O"
fails "--gic v2 --cpus 9: cpus" 2 '^fwkit: cpus: .*GICv2' "$FWKIT" vm dtb --gic v2 --cpus 9 -o "$O"
fails "--virtio-mmio 33: virtio.count" 2 '^fwkit: virtio.count: ' "$FWKIT" vm dtb --virtio-mmio 33 -o "$O"
fails "--initrd-start alone: chosen.initrd" 2 '^fwkit: chosen.initrd: ' "$FWKIT" vm dtb --initrd-start 0x48000000 -o "$O"
fails "--numa 4 --memory 4M: numa.nodes[].memory" 2 '^fwkit: numa\.nodes\[\]\.memory: ' \
	"$FWKIT" vm dtb --numa 4 --memory 4M -o "$O"
check "no output and no temporary file after the usage errors" \
	sh -c "[ ! -e '$O' ] && [ ! -e '$W/usage' ] && $(no_temp_in "$W" && echo true || echo false)"

# ============================================================================
# 2. dtb
# ============================================================================
D="$W/dtb"
mkdir -p "$D"
runs "dtb: the default arm64 machine" "$FWKIT" vm dtb -o "$D/def.dtb"
check "dtb: one line 'OUT: N bytes', N the file's size" \
	sh -c "[ \"\$(cat '$W/out')\" = '$D/def.dtb: $(size_of "$D/def.dtb") bytes' ]"
tot=$(od -A n -t u1 -j 4 -N 4 "$D/def.dtb" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
check "dtb: packed (totalsize $tot = file size)" [ "$tot" = "$(size_of "$D/def.dtb")" ]
check "dtb: dtc -I dtb -O dts prints no warning (default)" dts_clean "$D/def.dtb"
check "dtb: fwkit dt check finds nothing to say" sh -c "'$FWKIT' dt check -q '$D/def.dtb' 2>&1 | grep -q . && exit 1 || exit 0"
DEF=$D/def.dtb
check "dtb default: compatible linux,dummy-virt" [ "$(prop "$DEF" / compatible)" = "linux,dummy-virt" ]
check "dtb default: one CPU" [ "$(fdtget -l "$DEF" /cpus | grep -c '^cpu@')" -eq 1 ]
check "dtb default: 1 GiB of RAM at 0x40000000" [ "$(prop "$DEF" /memory@40000000 reg x)" = "0 40000000 0 40000000" ]
check "dtb default: GICv3 at 0x08000000, redistributors at 0x080a0000" \
	sh -c "[ \"\$(fdtget '$DEF' /intc@8000000 compatible)\" = arm,gic-v3 ] &&
	       [ \"\$(fdtget -t x '$DEF' /intc@8000000 reg)\" = '0 8000000 0 10000 0 80a0000 0 f60000' ]"
check "dtb default: ITS at 0x08080000" [ "$(prop "$DEF" /intc@8000000/its@8080000 compatible)" = "arm,gic-v3-its" ]
check "dtb default: pl011 at 0x09000000, SPI 1 level high" \
	sh -c "[ \"\$(fdtget -t x '$DEF' /pl011@9000000 reg)\" = '0 9000000 0 1000' ] &&
	       [ \"\$(fdtget -t x '$DEF' /pl011@9000000 interrupts)\" = '0 1 4' ]"
check "dtb default: pl031 at 0x09010000, SPI 2" [ "$(prop "$DEF" /pl031@9010000 interrupts x)" = "0 2 4" ]
check "dtb default: 32 virtio-mmio, the first SPI 16 edge, the last at 0x0a003e00 SPI 47" \
	sh -c "[ \$(fdtget -l '$DEF' / | grep -c '^virtio_mmio@') -eq 32 ] &&
	       [ \"\$(fdtget -t x '$DEF' /virtio_mmio@a000000 interrupts)\" = '0 10 1' ] &&
	       [ \"\$(fdtget -t x '$DEF' /virtio_mmio@a003e00 interrupts)\" = '0 2f 1' ]"
check "dtb default: PCIe ECAM at 0x4010000000 (256 buses)" [ "$(prop "$DEF" /pcie@4010000000 reg x)" = "40 10000000 0 10000000" ]
check "dtb default: timer PPIs 13 14 11 10" [ "$(prop "$DEF" /timer interrupts x)" = "1 d 4 1 e 4 1 b 4 1 a 4" ]
check "dtb default: PSCI over hvc" [ "$(prop "$DEF" /psci method)" = "hvc" ]
check "dtb default: stdout-path the pl011" [ "$(prop "$DEF" /chosen stdout-path)" = "/pl011@9000000" ]
check "dtb default: fixed phandles GIC 0x8001, ITS 0x8002, clock 0x8003, cpu@0 0x1000" \
	sh -c "[ \"\$(fdtget -t x '$DEF' /intc@8000000 phandle)\" = 8001 ] &&
	       [ \"\$(fdtget -t x '$DEF' /intc@8000000/its@8080000 phandle)\" = 8002 ] &&
	       [ \"\$(fdtget -t x '$DEF' /apb-pclk phandle)\" = 8003 ] &&
	       [ \"\$(fdtget -t x '$DEF' /cpus/cpu@0 phandle)\" = 1000 ]"

F1="$D/flags.dtb"
runs "dtb: every DESC flag at once" "$FWKIT" vm dtb --cpus 4 --memory 2G --gic v2 --no-its \
	--virtio-mmio 3 --no-pcie --psci-conduit smc --bootargs "console=ttyAMA0 quiet" \
	--initrd-start 0x48000000 --initrd-end 0x48800000 \
	--rng-seed 00112233445566778899aabbccddeeff -o "$F1"
check "dtb flags: 4 CPUs" [ "$(fdtget -l "$F1" /cpus | grep -c '^cpu@')" -eq 4 ]
check "dtb flags: 2 GiB" [ "$(prop "$F1" /memory@40000000 reg x)" = "0 40000000 0 80000000" ]
check "dtb flags: GICv2 with its CPU interface, no v2m frame" \
	sh -c "[ \"\$(fdtget '$F1' /intc@8000000 compatible)\" = arm,cortex-a15-gic ] &&
	       [ \"\$(fdtget -t x '$F1' /intc@8000000 reg)\" = '0 8000000 0 10000 0 8010000 0 10000' ] &&
	       [ -z \"\$(fdtget -l '$F1' /intc@8000000)\" ]"
check "dtb flags: 3 virtio-mmio, no PCIe" \
	sh -c "[ \$(fdtget -l '$F1' / | grep -c '^virtio_mmio@') -eq 3 ] && ! fdtget -l '$F1' / | grep -q '^pcie@'"
check "dtb flags: PSCI over smc" [ "$(prop "$F1" /psci method)" = "smc" ]
check "dtb flags: bootargs" [ "$(prop "$F1" /chosen bootargs)" = "console=ttyAMA0 quiet" ]
check "dtb flags: initrd range" \
	sh -c "[ \"\$(fdtget -t x '$F1' /chosen linux,initrd-start)\" = '0 48000000' ] &&
	       [ \"\$(fdtget -t x '$F1' /chosen linux,initrd-end)\" = '0 48800000' ]"
check "dtb flags: rng-seed, byte for byte" \
	[ "$(prop "$F1" /chosen rng-seed bx)" = "0 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff" ]
runs "dtb: --gic v2 --its" "$FWKIT" vm dtb --gic v2 --its -o "$D/v2m.dtb"
check "dtb --gic v2: the v2m frame where QEMU's GICv2 virt has it (0x08020000)" \
	[ "$(prop "$D/v2m.dtb" /intc@8000000/v2m@8020000 compatible)" = "arm,gic-v2m-frame" ]
runs "dtb: --gic v2 then --gic v3 (flags in order)" "$FWKIT" vm dtb --gic v2 --gic v3 -o "$D/v23.dtb"
check "dtb --gic v2 --gic v3: GICv3 and its ITS back at 0x08080000" \
	sh -c "[ \"\$(fdtget '$D/v23.dtb' /intc@8000000 compatible)\" = arm,gic-v3 ] &&
	       fdtget -l '$D/v23.dtb' /intc@8000000 | grep -qx its@8080000"
runs "dtb: --virtio-mmio 8 --virtio-mmio 2 (the last wins)" "$FWKIT" vm dtb --virtio-mmio 8 --virtio-mmio 2 -o "$D/last.dtb"
check "dtb: the later flag wins (2 virtio-mmio)" [ "$(fdtget -l "$D/last.dtb" / | grep -c '^virtio_mmio@')" -eq 2 ]
runs "dtb: --memory 1026M --numa 4 --cpus 6" "$FWKIT" vm dtb --memory 1026M --numa 4 --cpus 6 -o "$D/numa.dtb"
# 1026 MiB / 4 = 256.5 MiB: 256 MiB parts (2 MiB-aligned), 258 MiB to the last
check "dtb --numa 4: memory split 256+256+256+258 MiB, in order" \
	sh -c "[ \"\$(fdtget -t x '$D/numa.dtb' /memory@40000000 reg)\" = '0 40000000 0 10000000' ] &&
	       [ \"\$(fdtget -t x '$D/numa.dtb' /memory@50000000 reg)\" = '0 50000000 0 10000000' ] &&
	       [ \"\$(fdtget -t x '$D/numa.dtb' /memory@60000000 reg)\" = '0 60000000 0 10000000' ] &&
	       [ \"\$(fdtget -t x '$D/numa.dtb' /memory@70000000 reg)\" = '0 70000000 0 10200000' ]"
check "dtb --numa 4 --cpus 6: CPUs 1,1,1,3 per node (remainder to the last)" \
	sh -c "for c in 0 1 2 3 4 5; do fdtget '$D/numa.dtb' /cpus/cpu@\$c numa-node-id; done | tr '\n' ' ' | grep -qx '0 1 2 3 3 3 '"
runs "dtb: --numa 1 (no NUMA)" "$FWKIT" vm dtb --numa 1 -o "$D/numa1.dtb"
check "dtb --numa 1: one memory node, no numa-node-id" \
	sh -c "[ \$(fdtget -l '$D/numa1.dtb' / | grep -c '^memory@') -eq 1 ] && ! fdtget '$D/numa1.dtb' /memory@40000000 numa-node-id 2>/dev/null"
for v in "flags" "v2m" "numa"; do
	check "dtb: dtc -I dtb -O dts prints no warning ($v)" dts_clean "$D/$v.dtb"
done
# QEMU virt's one redistributor region holds 123; 512 need it moved (as
# QEMU's second region at 0x4000000000, 64 MiB).
printf '{ "gic": { "redistributor": "0x4000000000", "redistributor_size": "64M" } }\n' > "$D/512.json"
fails "dtb --cpus 512 in QEMU's first redistributor region: refused" 2 '^fwkit: gic.redistributor_size: ' \
	"$FWKIT" vm dtb --cpus 512 -o "$D/512.dtb"
runs "dtb: 512 CPUs, GICv3, redistributors moved" "$FWKIT" vm dtb "$D/512.json" --cpus 512 --memory 4G -o "$D/512.dtb"
check "dtb 512 CPUs: 512 cpu nodes, no dtc warning" \
	sh -c "[ \$(fdtget -l '$D/512.dtb' /cpus | grep -c '^cpu@') -eq 512 ] && $(dts_clean "$D/512.dtb" && echo true || echo false)"
fails "dtb --arch x86_64: one line, the device tree's arch" 2 '^fwkit: device tree: arch: ' \
	"$FWKIT" vm dtb --arch x86_64 -o "$D/x86.dtb"
check "dtb --arch x86_64: no file" [ ! -e "$D/x86.dtb" ]
check "dtb: no temporary file left" no_temp_in "$D"
# atomic: a failing run leaves an existing OUT as it was
printf 'an earlier tree\n' > "$D/old.dtb"
cp "$D/old.dtb" "$D/keep"
fails "dtb --cpus 0 over an existing OUT: refused" 2 '^fwkit: cpus: ' "$FWKIT" vm dtb --cpus 0 -o "$D/old.dtb"
check "dtb: the existing OUT is untouched after a failure" cmp -s "$D/old.dtb" "$D/keep"
fails "dtb into a missing directory: one line naming OUT" 2 "^fwkit: $D/none/x.dtb: " \
	"$FWKIT" vm dtb -o "$D/none/x.dtb"
runs "dtb over an existing OUT: replaced" "$FWKIT" vm dtb -o "$D/old.dtb"
check "dtb: the replaced OUT is the new tree" cmp -s "$D/old.dtb" "$DEF"
check "dtb: no temporary file left after the failures" no_temp_in "$D"

# ============================================================================
# 3. acpi
# ============================================================================
A="$W/acpi"
mkdir -p "$A"
# tables DIR: the *.dat names in DIR, sorted, on one line
tables() { (cd "$1" && ls | tr '\n' ' '); }
ARM_SET="apic.dat dbg2.dat dsdt.dat facp.dat gtdt.dat iort.dat mcfg.dat pptt.dat rsdp.dat spcr.dat xsdt.dat "
X86_SET="apic.dat dsdt.dat facp.dat facs.dat mcfg.dat rsdp.dat xsdt.dat "
runs "acpi -o DIR: the default arm64 machine (DIR created)" "$FWKIT" vm acpi -o "$A/arm"
check "acpi arm64: exactly $ARM_SET" [ "$(tables "$A/arm")" = "$ARM_SET" ]
cp "$W/out" "$A/arm.stdout"
check "acpi arm64: one stdout line per file, 'PATH: SIG, N bytes at 0xADDR', N its size" sh -c "
	[ \$(wc -l < '$A/arm.stdout') -eq $(echo $ARM_SET | wc -w) ] &&
	while read -r p sig n rest; do
		p=\${p%:}; [ \"\$(wc -c < \"\$p\" | tr -d ' ')\" = \"\$n\" ] || exit 1
		[ \"\$(echo \"\$sig\" | tr A-Z a-z | tr -d ,)\" = \"\$(basename \"\$p\" .dat)\" ] || exit 1
	done < '$A/arm.stdout'"
runs "acpi -o DIR: --numa 2 adds SRAT and SLIT" "$FWKIT" vm acpi --numa 2 --memory 2G --cpus 2 -o "$A/numa"
check "acpi --numa 2: the default set, srat.dat and slit.dat" \
	[ "$(tables "$A/numa")" = "$(echo $ARM_SET srat.dat slit.dat | tr ' ' '\n' | sort | tr '\n' ' ')" ]
runs "acpi -o DIR: the default x86_64 machine" "$FWKIT" vm acpi --arch x86_64 -o "$A/x86"
check "acpi x86_64: exactly $X86_SET" [ "$(tables "$A/x86")" = "$X86_SET" ]
runs "acpi: OEM fields from the flags" "$FWKIT" vm acpi --oem-id QEMUAB --oem-table-id TESTTBL1 \
	--oem-revision 7 -o "$A/oem"
# every table: length field = file size, bytes sum to 0 (RSDP: 20 and 36
# bytes), the RSDP and XSDT lead to every other file; OEM fields when given.
ACHECK='
import os, struct, sys
d, oem = sys.argv[1], sys.argv[2:]
files = {f[:-4]: open(os.path.join(d, f), "rb").read() for f in os.listdir(d)}
for name, b in files.items():
    if name == "rsdp":
        assert b[:8] == b"RSD PTR " and len(b) == 36, "rsdp"
        assert sum(b[:20]) % 256 == 0 and sum(b) % 256 == 0, "rsdp checksum"
        assert struct.unpack_from("<I", b, 20)[0] == 36, "rsdp length"
        continue
    if name == "facs":
        assert b[:4] == b"FACS" and struct.unpack_from("<I", b, 4)[0] == len(b), "facs"
        continue
    assert b[:4].decode().lower() == name, name + ": signature"
    assert struct.unpack_from("<I", b, 4)[0] == len(b), name + ": length"
    assert sum(b) % 256 == 0, name + ": checksum"
    if oem:
        assert b[10:16] == oem[0].encode().ljust(6, b"\0") or b[10:16] == oem[0].encode().ljust(6), name + ": oem id"
        assert b[16:24] == oem[1].encode().ljust(8, b"\0") or b[16:24] == oem[1].encode().ljust(8), name + ": oem table id"
        assert struct.unpack_from("<I", b, 24)[0] == int(oem[2]), name + ": oem revision"
x = files["xsdt"]
sigs = {x[36 + 8 * i + 0:36 + 8 * i + 8] for i in range((len(x) - 36) // 8)}
addrs = [struct.unpack_from("<Q", x, 36 + 8 * i)[0] for i in range((len(x) - 36) // 8)]
assert len(addrs) == len(set(addrs)), "xsdt: an address twice"
want = {n for n in files if n not in ("rsdp", "xsdt", "dsdt", "facs")}
assert len(addrs) == len(want), "xsdt: %d entries for %d tables" % (len(addrs), len(want))
'
pyck "acpi arm64: lengths, checksums, RSDP, one XSDT entry per table" "$A/arm" <<EOF
$ACHECK
EOF
pyck "acpi arm64 NUMA: the same with SRAT" "$A/numa" <<EOF
$ACHECK
EOF
pyck "acpi x86_64: the same with FACS" "$A/x86" <<EOF
$ACHECK
EOF
pyck "acpi: every table carries --oem-id, --oem-table-id, --oem-revision" "$A/oem" QEMUAB TESTTBL1 7 <<EOF
$ACHECK
EOF
# iasl -d: every table but the RSDP (iasl 20200925 does not take a bare
# RSDP file) disassembles without an error or a checksum complaint.
mkdir -p "$A/iasl"
for dir in arm numa x86; do
	for t in "$A/$dir"/*.dat; do
		n=$(basename "$t" .dat)
		[ "$n" = rsdp ] && continue
		cp "$t" "$A/iasl/$dir-$n.dat"
		(cd "$A/iasl" && iasl -d "$dir-$n.dat") > "$A/iasl/$dir-$n.log" 2>&1
		rc=$?
		check "iasl -d $dir/$n.dat: exit 0, no error, no checksum complaint, a .dsl" \
			sh -c "[ $rc -eq 0 ] && ! grep -Eiq 'error|invalid|incorrect checksum|checksum.*(bad|mismatch)' '$A/iasl/$dir-$n.log' &&
			       [ -s '$A/iasl/$dir-$n.dsl' ]"
	done
done
check "iasl -d dsdt (arm64): the UART is a PL011 Device with its _HID" grep -q 'ARMH0011' "$A/iasl/arm-dsdt.dsl"
check "iasl -d apic (arm64): one GICC for one CPU" [ "$(grep -c 'Subtable Type : 0B \[Generic Interrupt Controller\]' "$A/iasl/arm-apic.dsl")" -eq 1 ]
# refusals: nothing written
mkdir -p "$A/stale"
printf 'old\n' > "$A/stale/srat.dat"
fails "acpi -o DIR with a stale srat.dat: refused, naming it" 2 "^fwkit: $A/stale/srat.dat: a table this machine does not have" \
	"$FWKIT" vm acpi -o "$A/stale"
check "acpi: the stale DIR is untouched (srat.dat only)" sh -c "[ \"\$(ls '$A/stale')\" = srat.dat ] && grep -qx old '$A/stale/srat.dat'"
runs "acpi -o DIR over its own earlier output: fine" "$FWKIT" vm acpi -o "$A/arm"
printf 'a file\n' > "$A/afile"
fails "acpi -o FILE without --base: not a directory" 2 "^fwkit: $A/afile: not a directory" "$FWKIT" vm acpi -o "$A/afile"
check "acpi: the file in the way is untouched" grep -qx 'a file' "$A/afile"
fails "acpi -o DIR whose parent is missing" 2 "^fwkit: $A/no/such: cannot create the directory" "$FWKIT" vm acpi -o "$A/no/such"
fails "acpi with a bad description: nothing created" 2 '^fwkit: cpus: ' "$FWKIT" vm acpi --cpus 0 -o "$A/never"
check "acpi: no DIR after a bad description" [ ! -e "$A/never" ]
check "acpi: no temporary file left" no_temp_in "$A"

# ============================================================================
# 4. acpi --base: one file, laid out at ADDR
# ============================================================================
L="$W/layout"
mkdir -p "$L"
BASE=0x40000000
runs "acpi --base $BASE -o FILE" "$FWKIT" vm acpi --base $BASE -o "$L/at.bin"
check "acpi --base: one line 'FILE: N tables, SIZE bytes at 0x40000000', SIZE the file's" \
	grep -Eq "^$L/at.bin: 11 tables, $(size_of "$L/at.bin") bytes at 0x40000000\$" "$W/out"
check "acpi --base: the RSDP at offset 0 (od)" [ "$(od -A n -c -N 8 "$L/at.bin" | tr -d ' ')" = "RSDPTR" ]
xsdt_addr=$(od -A n -t x8 -j 24 -N 8 "$L/at.bin" | tr -d ' ')
xsdt_off=$(( 0x$xsdt_addr - BASE ))
check "acpi --base: the RSDP's XSDT pointer (0x$xsdt_addr) = base + the XSDT's offset (od)" \
	sh -c "[ $xsdt_off -gt 0 ] && [ \"\$(od -A n -c -j $xsdt_off -N 4 '$L/at.bin' | tr -d ' ')\" = XSDT ]"
pyck "acpi --base: every XSDT entry and FADT's X_DSDT land on a table at its address, 8-byte aligned" \
	"$L/at.bin" $BASE <<'EOF'
import struct, sys
b, base = open(sys.argv[1], "rb").read(), int(sys.argv[2], 0)
x = struct.unpack_from("<Q", b, 24)[0] - base
n = (struct.unpack_from("<I", b, x + 4)[0] - 36) // 8
seen = set()
for i in range(n):
    off = struct.unpack_from("<Q", b, x + 36 + 8 * i)[0] - base
    assert 0 < off < len(b) and off % 8 == 0, "entry %d at %#x" % (i, off)
    sig = b[off:off + 4]
    ln = struct.unpack_from("<I", b, off + 4)[0]
    assert off + ln <= len(b) and sum(b[off:off + ln]) % 256 == 0, sig
    seen.add(sig)
    if sig == b"FACP":
        dsdt = struct.unpack_from("<Q", b, off + 140)[0] - base
        assert b[dsdt:dsdt + 4] == b"DSDT", "X_DSDT"
assert {b"FACP", b"APIC", b"GTDT", b"SPCR", b"MCFG"} <= seen, seen
EOF
runs "acpi --base $BASE -o DIR/: the same layout as files" "$FWKIT" vm acpi --base $BASE -o "$L/dir/"
cp "$W/out" "$L/dir.stdout"
check "acpi --base -o DIR/: the default set of files" [ "$(tables "$L/dir")" = "$ARM_SET" ]
# the concatenation rule: each file is the layout's bytes at (its address - base)
slices_ok() {
	while read -r p sig n _bytes _at addr; do
		p=${p%:}
		off=$(( addr - $2 ))
		dd if="$1" of="$W/slice" bs=1 skip="$off" count="$n" 2>/dev/null
		cmp -s "$W/slice" "$p" || { echo "# $p differs from its slice at $off" >&3; return 1; }
	done < "$3"
}
check "acpi: each file of -o DIR/ equals its slice of the --base layout" slices_ok "$L/at.bin" $BASE "$L/dir.stdout"
mkdir -p "$L/existing"
runs "acpi --base -o EXISTING_DIR (no slash): the files form" "$FWKIT" vm acpi --base $BASE -o "$L/existing"
check "acpi --base -o EXISTING_DIR: the same files" sh -c "for f in $ARM_SET; do cmp -s '$L/dir/'\$f '$L/existing/'\$f || exit 1; done"
runs "acpi --base 0 -o FILE" "$FWKIT" vm acpi --base 0 -o "$L/zero.bin"
check "acpi without --base: each file is its slice of the base-0 layout" slices_ok "$L/zero.bin" 0 "$A/arm.stdout"
z_xsdt=$(od -A n -t x8 -j 24 -N 8 "$A/arm/rsdp.dat" | tr -d ' ')
check "acpi without --base: rsdp.dat's XSDT pointer is the XSDT's offset (base 0)" \
	[ "$(od -A n -c -j $((0x$z_xsdt)) -N 4 "$L/zero.bin" | tr -d ' ')" = "XSDT" ]
runs "acpi --arch x86_64 --base 0xe0000 -o FILE" "$FWKIT" vm acpi --arch x86_64 --base 0xe0000 -o "$L/x86.bin"
x_xsdt=$(od -A n -t x8 -j 24 -N 8 "$L/x86.bin" | tr -d ' ')
check "acpi x86_64 --base 0xe0000: the XSDT pointer lands on XSDT (od)" \
	[ "$(od -A n -c -j $((0x$x_xsdt - 0xe0000)) -N 4 "$L/x86.bin" | tr -d ' ')" = "XSDT" ]
fails "acpi --base 0x40000008: the RSDP must be 16-byte aligned" 2 '^fwkit: ACPI: base: .*16-byte' \
	"$FWKIT" vm acpi --base 0x40000008 -o "$L/unaligned.bin"
check "acpi --base unaligned: no file" [ ! -e "$L/unaligned.bin" ]
cp "$L/at.bin" "$L/keep.bin"
fails "acpi --base over an existing FILE with a bad description" 2 '^fwkit: memory.size: ' \
	"$FWKIT" vm acpi --memory 3M --base $BASE -o "$L/at.bin"
check "acpi --base: the existing FILE is untouched" cmp -s "$L/at.bin" "$L/keep.bin"
check "acpi --base: no temporary file left" no_temp_in "$L"

# ============================================================================
# 5. check
# ============================================================================
C="$W/check"
mkdir -p "$C"
runs "check: the default arm64 machine" "$FWKIT" vm check
check "check arm64: one line 'N devices in parity (device tree N, ACPI N)'" \
	sh -c "one_line() { [ \$(wc -l < \"\$1\") -eq 1 ]; }; one_line '$W/out' && grep -Eq '^[0-9]+ devices in parity \(device tree [0-9]+, ACPI [0-9]+\)$' '$W/out'"
runs "check: GICv2, 8 CPUs, NUMA" "$FWKIT" vm check --gic v2 --cpus 8 --numa 2 --memory 2G
runs "check: x86_64 (ACPI only)" "$FWKIT" vm check --arch x86_64 --cpus 2
check "check x86_64: one line saying there is no device tree" grep -Eq '^x86_64: the ACPI tables describe [0-9]+ devices \(no device tree' "$W/out"
"$FWKIT" vm dtb --cpus 4 -o "$C/c4.dtb" > /dev/null || die "vm dtb --cpus 4"
"$FWKIT" vm acpi --cpus 4 -o "$C/c4" > /dev/null || die "vm acpi --cpus 4"
"$FWKIT" vm dtb --cpus 2 -o "$C/c2.dtb" > /dev/null || die "vm dtb --cpus 2"
"$FWKIT" vm dtb --virtio-mmio 8 -o "$C/v8.dtb" > /dev/null || die "vm dtb --virtio-mmio 8"
runs "check --dtb FILE from the same description" "$FWKIT" vm check --cpus 4 --dtb "$C/c4.dtb"
runs "check --acpi DIR from the same description" "$FWKIT" vm check --cpus 4 --acpi "$C/c4"
runs "check --dtb FILE --acpi DIR, both written by fwkit" "$FWKIT" vm check --dtb "$C/c4.dtb" --acpi "$C/c4"
# differences: exit 1, nothing on stdout, exactly one line per difference
differs() {
	_d=$1 _want=$2; shift 2
	"$@" > "$W/out" 2> "$W/err"
	_rc=$?
	sort "$W/err" > "$W/err.sorted"
	printf '%s' "$_want" | sort > "$W/want.sorted"
	if [ "$_rc" -eq 1 ] && [ ! -s "$W/out" ] && cmp -s "$W/err.sorted" "$W/want.sorted"; then
		ok "$_d"
	else
		notok "$_d: exit $_rc"
		diff "$W/want.sorted" "$W/err.sorted" | head -n 6 | sed 's/^/#   /' >&3
	fi
}
differs "check: --dtb of 2 CPUs against 4: the two missing CPUs, one line each" \
"fwkit: vm check: cpu 2 (id 0x2): only in the ACPI tables
fwkit: vm check: cpu 3 (id 0x3): only in the ACPI tables
" "$FWKIT" vm check --cpus 4 --dtb "$C/c2.dtb"
differs "check: --dtb of 2 CPUs against --acpi of 4" \
"fwkit: vm check: cpu 2 (id 0x2): only in the ACPI tables
fwkit: vm check: cpu 3 (id 0x3): only in the ACPI tables
" "$FWKIT" vm check --dtb "$C/c2.dtb" --acpi "$C/c4"
want=$(i=8; while [ $i -lt 32 ]; do
	printf 'fwkit: vm check: virtio %d at 0x%x: only in the ACPI tables\n' $i $((0x0a000000 + i * 0x200))
	i=$((i + 1)); done)
differs "check: --dtb of 8 virtio-mmio against 32: 24 lines, one per transport" "$want
" "$FWKIT" vm check --dtb "$C/v8.dtb"
differs "check: --acpi of 4 CPUs against a description of 2" \
"fwkit: vm check: cpu 2 (id 0x2): only in the ACPI tables
fwkit: vm check: cpu 3 (id 0x3): only in the ACPI tables
" "$FWKIT" vm check --cpus 2 --acpi "$C/c4"
printf '{ "uart": { "irq": 9 } }\n' > "$C/u9.json"
"$FWKIT" vm dtb "$C/u9.json" -o "$C/u9.dtb" > /dev/null || die "vm dtb u9.json"
differs "check: a UART on SPI 9 in the tree, SPI 1 in ACPI: the irq, as INTIDs" \
"fwkit: vm check: uart 0 at 0x9000000: irq differs: dt 41 acpi 33
" "$FWKIT" vm check --dtb "$C/u9.dtb"
"$FWKIT" vm dtb --memory 2G --numa 2 -o "$C/n2.dtb" > /dev/null || die "vm dtb --numa 2"
differs "check: NUMA memory of 2 GiB in the tree, 4 GiB in ACPI (SRAT)" \
"fwkit: vm check: memory 0 at 0x40000000: size differs: dt 0x40000000 acpi 0x80000000
fwkit: vm check: memory 1 at 0x80000000: base differs: dt 0x80000000 acpi 0xc0000000
fwkit: vm check: memory 1 at 0x80000000: size differs: dt 0x40000000 acpi 0x80000000
" "$FWKIT" vm check --dtb "$C/n2.dtb" --memory 4G --numa 2
printf 'not a tree at all\n' > "$C/junk.dtb"
fails "check --dtb of junk: one line naming the file and the field" 2 "^fwkit: $C/junk.dtb: offset [0-9]+: [a-z_]+: " \
	"$FWKIT" vm check --dtb "$C/junk.dtb"
head -c 200 "$C/c4.dtb" > "$C/short.dtb"
fails "check --dtb truncated: one line naming the file" 2 "^fwkit: $C/short.dtb: " "$FWKIT" vm check --dtb "$C/short.dtb"
cp -r "$C/c4" "$C/badsum"
printf 'X' | dd of="$C/badsum/dsdt.dat" bs=1 seek=40 conv=notrunc 2>/dev/null
fails "check --acpi with a corrupted DSDT: one line naming dsdt.dat" 2 "^fwkit: $C/badsum/dsdt.dat: offset [0-9]+: " \
	"$FWKIT" vm check --cpus 4 --acpi "$C/badsum"
fails "check --acpi FILE: not a directory" 2 "^fwkit: $C/c4.dtb: not a directory" "$FWKIT" vm check --acpi "$C/c4.dtb"
mkdir -p "$C/empty"
fails "check --acpi of an empty directory" 2 "^fwkit: $C/empty: no \*\.dat table files" "$FWKIT" vm check --acpi "$C/empty"
fails "check --dtb of a missing file" 2 "^fwkit: $C/none.dtb: No such file" "$FWKIT" vm check --dtb "$C/none.dtb"

# ============================================================================
# 6. malformed JSON descriptions
# ============================================================================
S="$W/spec"
mkdir -p "$S"
printf '{ "cpus": 4, "memory": { "size": "2G"' > "$S/truncated.json"
printf '{ "uart": { "speed": 115200 } }\n' > "$S/unknown.json"
printf '{ "cpus": "four" }\n' > "$S/type.json"
printf '{ "virtio": { "count": 33 } }\n' > "$S/range.json"
printf '{ "uart": { "base": "0x09010000" } }\n' > "$S/overlap.json"
printf '{ "memory": { "size": "2G" }, "cpus": 2 }\n' > "$S/good.json"
printf 'an earlier tree\n' > "$S/out.dtb"
cp "$S/out.dtb" "$S/keep"
badspec() {
	_n=$1 _pat=$2
	fails "spec $_n.json: one line naming the file and the field, exit 2" 2 "^fwkit: $S/$_n.json: $_pat" \
		"$FWKIT" vm dtb --spec "$S/$_n.json" -o "$S/out.dtb"
	check "spec $_n.json: the existing OUT untouched, no temporary file" \
		sh -c "cmp -s '$S/out.dtb' '$S/keep' && [ -z \"\$(find '$S' -name '*.fwkit-*')\" ]"
}
badspec truncated 'memory: .* \(byte [0-9]+\)$'
badspec unknown 'uart(\.speed)?: .*unknown.* \(byte [0-9]+\)$'
badspec type 'cpus: .* \(byte [0-9]+\)$'
badspec range 'virtio\.count: '
badspec overlap '(rtc|uart)\.base: overlaps (rtc|uart)\.base'
fails "spec as the one argument: same line" 2 "^fwkit: $S/type.json: cpus: " "$FWKIT" vm map "$S/type.json"
runs "spec: a good description" "$FWKIT" vm dtb --spec "$S/good.json" -o "$S/good.dtb"
check "spec: its CPUs and memory in the tree" \
	sh -c "[ \$(fdtget -l '$S/good.dtb' /cpus | grep -c '^cpu@') -eq 2 ] &&
	       [ \"\$(fdtget -t x '$S/good.dtb' /memory@40000000 reg)\" = '0 40000000 0 80000000' ]"
runs "spec + flags: the flags win, in order" "$FWKIT" vm dtb --spec "$S/good.json" --cpus 3 --memory 1G -o "$S/flags.dtb"
check "spec + flags: 3 CPUs, 1 GiB" \
	sh -c "[ \$(fdtget -l '$S/flags.dtb' /cpus | grep -c '^cpu@') -eq 3 ] &&
	       [ \"\$(fdtget -t x '$S/flags.dtb' /memory@40000000 reg)\" = '0 40000000 0 40000000' ]"
runs "spec out of range, fixed by a flag" "$FWKIT" vm dtb --spec "$S/range.json" --virtio-mmio 4 -o "$S/fixed.dtb"
fails "spec fine, a flag out of range: the field, not the file" 2 '^fwkit: cpus: ' \
	"$FWKIT" vm dtb --spec "$S/good.json" --cpus 600 -o "$S/x.dtb"
fails "spec of arm64 with --arch x86_64" 2 "^fwkit vm dtb: --arch x86_64: $S/good.json describes an arm64 machine" \
	"$FWKIT" vm dtb --spec "$S/good.json" --arch x86_64 -o "$S/x.dtb"
fails "spec: a missing file" 2 "^fwkit: $S/none.json: No such file" "$FWKIT" vm dtb --spec "$S/none.json" -o "$S/x.dtb"
check "spec: no stray output" sh -c "[ ! -e '$S/x.dtb' ]"

# ============================================================================
# 7. map
# ============================================================================
M="$W/map"
mkdir -p "$M"
runs "map: the default arm64 machine" "$FWKIT" vm map
cp "$W/out" "$M/arm"
row() { grep -Eq "^$2 +0x0*$3 +0x0*$4 +$5 +$6\$" "$1"; }
check "map arm64: header device, base, end, size, interrupt" \
	sh -c "head -n 1 '$M/arm' | grep -Eq '^device +base +end +size +interrupt\$'"
check "map arm64: uart 0x09000000-0x09000fff 4 KiB SPI 1 (INTID 33)" row "$M/arm" uart 9000000 9000fff "4 KiB" "SPI 1 \(INTID 33\)"
check "map arm64: rtc 0x09010000 4 KiB SPI 2 (INTID 34)" row "$M/arm" rtc 9010000 9010fff "4 KiB" "SPI 2 \(INTID 34\)"
check "map arm64: virtio 0 at 0x0a000000, 512 bytes, SPI 16 (INTID 48)" row "$M/arm" "virtio 0" a000000 a0001ff "512 bytes" "SPI 16 \(INTID 48\)"
check "map arm64: virtio 31 at 0x0a003e00, SPI 47 (INTID 79)" row "$M/arm" "virtio 31" a003e00 a003fff "512 bytes" "SPI 47 \(INTID 79\)"
check "map arm64: 32 virtio rows" [ "$(grep -c '^virtio ' "$M/arm")" -eq 32 ]
check "map arm64: memory 0x40000000-0x7fffffff 1 GiB" row "$M/arm" memory 40000000 7fffffff "1 GiB" "-"
check "map arm64: gicd 0x08000000 64 KiB" row "$M/arm" gicd 8000000 800ffff "64 KiB" "-"
check "map arm64: its 0x08080000 128 KiB" row "$M/arm" its 8080000 809ffff "128 KiB" "-"
check "map arm64: pcie-ecam 0x4010000000 256 MiB, INTx SPI 3-6" row "$M/arm" pcie-ecam 4010000000 401fffffff "256 MiB" "SPI 3-6 \(INTID 35-38\)"
check "map arm64: pcie-mmio64 512 GiB" row "$M/arm" pcie-mmio64 8000000000 ffffffffff "512 GiB" "-"
check "map arm64: timer, no address, PPI 13,14,11,10" \
	grep -Eq '^timer +- +- +- +PPI 13,14,11,10 \(INTID 29,30,27,26\)$' "$M/arm"
check "map arm64: no CPU rows" sh -c "! grep -q '^cpu' '$M/arm'"
pyck "map arm64: rows sorted by base, columns aligned" "$M/arm" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
head, rows = lines[0], lines[1:]
cols = [head.index(c) for c in ("base", "end", "size", "interrupt")]
bases = []
for r in rows:
    for c in cols:
        assert r[c - 2:c] == "  " and r[c] != " ", "misaligned: " + r
    b = r[cols[0]:cols[1]].strip()
    if b != "-":
        bases.append(int(b, 16))
assert bases == sorted(bases) and len(bases) == len(rows) - 1, bases
EOF
runs "map: --memory 2G --numa 2" "$FWKIT" vm map --memory 2G --numa 2
check "map NUMA: memory 0 and memory 1, 1 GiB each" \
	sh -c "grep -Eq '^memory 0 +0x0*40000000 +0x0*7fffffff +1 GiB' '$W/out' && grep -Eq '^memory 1 +0x0*80000000 +0x0*bfffffff +1 GiB' '$W/out'"
runs "map: --gic v2 --virtio-mmio 2 --no-pcie" "$FWKIT" vm map --gic v2 --virtio-mmio 2 --no-pcie
check "map GICv2: gicc 0x08010000, v2m 4 KiB at 0x08020000, 2 virtio, no PCIe" \
	sh -c "grep -Eq '^gicc +0x0*8010000 ' '$W/out' && grep -Eq '^its +0x0*8020000 +0x0*8020fff +4 KiB' '$W/out' &&
	       [ \$(grep -c '^virtio ' '$W/out') -eq 2 ] && ! grep -q '^pcie' '$W/out'"
runs "map: the default x86_64 machine" "$FWKIT" vm map --arch x86_64
cp "$W/out" "$M/x86"
check "map x86_64: memory 0-0x3fffffff 1 GiB" row "$M/x86" memory 0 3fffffff "1 GiB" "-"
check "map x86_64: pcie-ecam 0xb0000000 256 MiB" sh -c "grep -Eq '^pcie-ecam +0x0*b0000000 +0x0*bfffffff +256 MiB ' '$M/x86'"
check "map x86_64: ioapic 0xfec00000 GSI base 0" grep -Eq '^ioapic +0x0*fec00000 +- +- +GSI base 0$' "$M/x86"
check "map x86_64: lapic 0xfee00000" grep -Eq '^lapic +0x0*fee00000 ' "$M/x86"
check "map x86_64: COM1 at I/O port 0x3f8, GSI 4" row "$M/x86" "uart \(I/O\)" 3f8 3ff "8 bytes" "GSI 4"
check "map x86_64: CMOS RTC at I/O port 0x70, GSI 8" row "$M/x86" "rtc \(I/O\)" 70 77 "8 bytes" "GSI 8"
runs "map --json (arm64)" "$FWKIT" vm map --json
cp "$W/out" "$M/arm.json"
runs "map --json (x86_64)" "$FWKIT" vm map --json --arch x86_64
cp "$W/out" "$M/x86.json"
pyck "map --json: the text's rows, the UART at 0x09000000 INTID 33 / port 0x3f8 GSI 4" \
	"$M/arm.json" "$M/arm" "$M/x86.json" "$M/x86" <<'EOF'
import json, sys
for js, txt, arch, uart in ((sys.argv[1], sys.argv[2], "arm64", (0x09000000, 4096, [33], "memory")),
                            (sys.argv[3], sys.argv[4], "x86_64", (0x3f8, 8, [4], "io"))):
    j = json.load(open(js))
    assert j["arch"] == arch, j["arch"]
    rows = open(txt).read().splitlines()[1:]
    assert len(j["regions"]) == len(rows), (len(j["regions"]), len(rows))
    for r, t in zip(j["regions"], rows):
        assert t.startswith(r["device"]), (r, t)
        assert t.rstrip().endswith(r["interrupt"]), (r, t)
        if r["size"]:
            assert r["end"] == r["base"] + r["size"] - 1, r
    u = [r for r in j["regions"] if r["device"] == "uart"]
    assert len(u) == 1 and (u[0]["base"], u[0]["size"], u[0]["irq"], u[0]["space"]) == uart, u
EOF
finish
