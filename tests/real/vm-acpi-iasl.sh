#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/real/vm-acpi-iasl.sh - `fwkit vm acpi` tables through ACPICA's own
# tools, for several machines (arm64 and x86_64 defaults, GICv2 with v2m,
# NUMA, 64 and 300 CPUs, no PCIe, QEMU's OEM IDs): `iasl -d` takes every
# table without an error, a warning, a checksum complaint or an unknown
# field; the DSDT's disassembly compiles back (iasl -on) to the same AML;
# acpiexec loads the DSDT with the other tables and evaluates _STA and _CRS
# of every device the disassembly declares, plus the PCIe bridge's _PRT and
# _OSC and x86's \_S5.  iasl 20200925 cannot read a lone RSDP file
# ("does not contain a valid ACPI table", also for one acpixtract wrote):
# the RSDP goes through `fwkit acpi info` instead.
. "$(dirname "$0")/../lib.sh"
need iasl acpiexec awk grep sed cmp tail head wc sort tr
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
"$FWKIT" vm acpi --help > /dev/null 2>&1 || die "$FWKIT has no 'vm acpi' command"
W=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# What should not be in iasl's output for a good table.
BAD='error|warning|invalid|incorrect|unknown|should be'

# The devices of a disassembled DSDT ("dev \_SB.COM0"), and which declare a
# _CRS ("crs \_SB.COM0"), from iasl's layout: a Scope or Device line, its
# "{" on the next line, "}" closing it.
devices_awk='
function path(   p, i) {
	p = ""
	for (i = 1; i <= sp; i++)
		if (st[i] != "")
			p = substr(st[i], 1, 1) == "\\" ? st[i] : (p == "" ? st[i] : p "." st[i])
	return substr(p, 1, 1) == "\\" ? p : "\\" p
}
/^[ \t]*(Scope|Device) \(/ {
	s = $0; sub(/^[ \t]*(Scope|Device) \(/, "", s); sub(/\).*/, "", s)
	pend = s; isdev = $0 ~ /^[ \t]*Device/; next
}
/^[ \t]*\{[ \t]*$/ { st[++sp] = pend; dev[sp] = isdev; if (isdev) print "dev " path(); pend = ""; isdev = 0; next }
/^[ \t]*\}/ { if (sp > 0) sp--; next }
/^[ \t]*Name \(_CRS,/ { if (dev[sp]) print "crs " path() }
'

# acpiexec's answers, one line each: "PATH Buffer", "PATH Integer VALUE",
# "PATH Package N", "PATH FAILED STATUS".
results_awk='
/^Evaluation of .* returned object/ { cur = $3; next }
/^Evaluation of .* failed with status/ { print $3 " FAILED " $NF; next }
cur != "" && /\[Buffer\]/ { v = $0; sub(/.*0000: /, "", v); sub(/ *\/\/.*/, "", v); print cur " Buffer " v; cur = ""; next }
cur != "" && /\[Integer\] = / { print cur " Integer " $NF; cur = ""; next }
cur != "" && /\[Package\] Contains/ { print cur " Package " $3; cur = ""; next }
cur != "" { print cur " OTHER " $0; cur = "" }
'

# acpiexec's own exerciser (aetests) pokes fixed hardware after loading;
# with any real FADT it reports these, QEMU q35's own tables included
# (checked when writing this test), so they say nothing about ours.
aetests='^Unexpected AE_[A-Z_]* from Acpi[A-Za-z]* (aetests-[0-9]*)$'

# run_case NAME "TABLES" NDEVICES ARGS...: one machine.
run_case() {
	name=$1 want=$2 ndev=$3
	shift 3
	d=$W/$name
	expect_exit 0 "$name: vm acpi $* -o DIR writes the tables" \
		"$FWKIT" vm acpi "$@" -o "$d" > "$W/$name.out" 2> "$W/$name.err"
	[ -f "$d/dsdt.dat" ] || { notok "$name: no dsdt.dat written"; return; }
	got=$(cd "$d" && ls *.dat | sed 's/\.dat$//' | sort | tr '\n' ' ')
	exp=$(printf '%s\n' $want | sort | tr '\n' ' ')
	if [ "$got" = "$exp" ]; then ok "$name: tables: $got"
	else notok "$name: tables are [$got], want [$exp]"; fi

	check "$name: RSDP: fwkit acpi info reads revision 2 with both checksums right" \
		sh -c "'$FWKIT' acpi info '$d/rsdp.dat' | grep -q 'revision 2, 36 bytes' &&
		       '$FWKIT' acpi info '$d/rsdp.dat' | grep -q 'checksums ok'"

	# iasl -d on every other table.
	n=0 bad=0
	for t in "$d"/*.dat; do
		b=$(basename "$t" .dat)
		[ "$b" = rsdp ] && continue
		n=$((n + 1))
		if ! (cd "$d" && iasl -d "$b.dat" > "$b.log" 2>&1) || [ ! -s "$d/$b.dsl" ]; then
			echo "#   iasl -d $b.dat failed:" >&3; sed 's/^/#     /' "$d/$b.log" | head -n 5 >&3
			bad=$((bad + 1)); continue
		fi
		if grep -iE "$BAD" "$d/$b.log" "$d/$b.dsl" > "$W/bad" 2>&1; then
			echo "#   $b:" >&3; sed 's/^/#     /' "$W/bad" | head -n 5 >&3
			bad=$((bad + 1))
		fi
		sig=$(echo "$b" | tr a-z A-Z)
		if [ "$b" = dsdt ]; then
			grep -q "^DefinitionBlock (\"\", \"DSDT\", 2," "$d/dsdt.dsl" || bad=$((bad + 1))
		else
			grep -q "Signature : \"$sig\"" "$d/$b.dsl" || { echo "#   $b: no signature line" >&3; bad=$((bad + 1)); }
		fi
	done
	if [ "$bad" -eq 0 ] && [ "$n" -ge 4 ]; then
		ok "$name: iasl -d takes all $n tables: no error, warning, checksum or unknown field"
	else
		notok "$name: iasl -d: $bad of $n tables with problems"
	fi

	# The DSDT's disassembly compiles back to the same AML (-on: iasl would
	# otherwise shorten \_SB to _SB at the root).
	mkdir -p "$d/rc" && cp "$d/dsdt.dsl" "$d/rc/"
	if (cd "$d/rc" && iasl -on -p re dsdt.dsl > iasl.log 2>&1) &&
	   tail -c +37 "$d/rc/re.aml" > "$W/re.body" && tail -c +37 "$d/dsdt.dat" > "$W/our.body" &&
	   cmp -s "$W/re.body" "$W/our.body"; then
		ok "$name: DSDT: iasl -on compiles the disassembly back to the same AML"
	else
		notok "$name: DSDT: the disassembly does not compile back to the same AML"
		grep -iE 'error|warning' "$d/rc/iasl.log" | head -n 5 | sed 's/^/#   /' >&3
	fi

	# acpiexec: the DSDT first, then every other table but the RSDP (it
	# makes its own) and the FACS (it makes its own).
	awk "$devices_awk" "$d/dsdt.dsl" > "$W/devs"
	nd=$(grep -c '^dev ' "$W/devs")
	nc=$(grep -c '^crs ' "$W/devs")
	{
		sed -n 's/^dev \(.*\)/evaluate \1._STA/p' "$W/devs"
		sed -n 's/^crs \(.*\)/evaluate \1._CRS/p' "$W/devs"
		if grep -qx 'dev \\_SB.PCI0' "$W/devs"; then
			echo 'evaluate \_SB.PCI0._PRT'
			# PCI Firmware's host bridge UUID, revision 1, all five
			# controls asked for; then an unknown UUID.
			echo 'evaluate \_SB.PCI0._OSC (5b 4d db 33 f7 1f 1c 40 96 57 74 41 c0 3d d7 66) 1 3 (00 00 00 00 1f 00 00 00 1f 00 00 00)'
			echo 'evaluate \_SB.PCI0._OSC (5b 4d db 33 f7 1f 1c 40 96 57 74 41 c0 3d d7 67) 1 3 (00 00 00 00 1f 00 00 00 1f 00 00 00)'
		fi
		[ -f "$d/facs.dat" ] && echo 'evaluate \_S5'
		echo quit
	} > "$W/cmds"
	others=$(cd "$d" && ls *.dat | grep -vx -e rsdp.dat -e facs.dat -e dsdt.dat | sed "s|^|$d/|")
	# shellcheck disable=SC2086
	acpiexec "$d/dsdt.dat" $others < "$W/cmds" > "$W/exec.log" 2>&1
	awk "$results_awk" "$W/exec.log" > "$W/res"
	sta_ok=$(grep -c '\._STA Integer 000000000000000F$' "$W/res")
	crs_ok=$(grep -c '\._CRS Buffer ' "$W/res")
	if [ "$nd" -eq "$ndev" ] && [ "$sta_ok" -eq "$nd" ] && [ "$crs_ok" -eq "$nc" ] && [ "$nc" -ge 1 ] &&
	   ! grep -q ' FAILED \| OTHER ' "$W/res" &&
	   grep -q 'ACPI: 1 ACPI AML tables successfully acquired and loaded' "$W/exec.log"; then
		ok "$name: acpiexec loads the tables: $nd devices, each _STA 0xF, each of $nc _CRS a Buffer"
	else
		notok "$name: acpiexec: $nd devices (want $ndev), $sta_ok _STA 0xF, $crs_ok of $nc _CRS Buffers"
		grep ' FAILED \| OTHER ' "$W/res" | head -n 5 | sed 's/^/#   /' >&3
	fi
	if grep -v "$aetests" "$W/exec.log" | grep -E 'AE_|ACPI Error|ACPI Warning|Firmware Warning' > "$W/bad"; then
		notok "$name: acpiexec reported errors"
		head -n 5 "$W/bad" | sed 's/^/#   /' >&3
	else
		ok "$name: acpiexec: no error or warning while loading and evaluating"
	fi
	if grep -qx 'dev \\_SB.PCI0' "$W/devs"; then
		check "$name: PCI0._PRT has 128 entries; _OSC grants all five controls, flags an unknown UUID" \
			sh -c "grep -qx '\\\\_SB.PCI0._PRT Package 128' '$W/res' &&
			       grep -qx '\\\\_SB.PCI0._OSC Buffer 00 00 00 00 1F 00 00 00 1F 00 00 00' '$W/res' &&
			       grep -qx '\\\\_SB.PCI0._OSC Buffer 04 00 00 00 1F 00 00 00 1F 00 00 00' '$W/res'"
	fi
	if [ -f "$d/facs.dat" ]; then
		check "$name: \\_S5 is a Package of 4" grep -qx '\\_S5 Package 4' "$W/res"
	fi
}

run_case arm64-default "rsdp xsdt facp dsdt apic gtdt spcr dbg2 mcfg pptt iort" 36
run_case arm64-gicv2-v2m "rsdp xsdt facp dsdt apic gtdt spcr dbg2 mcfg pptt" 39 \
	--cpus 4 --gic v2 --its
run_case arm64-numa-smc "rsdp xsdt facp dsdt apic gtdt spcr dbg2 pptt srat slit" 9 \
	--cpus 8 --numa 2 --memory 2G --no-pcie --virtio-mmio 0 --psci-conduit smc
run_case arm64-64cpus "rsdp xsdt facp dsdt apic gtdt spcr dbg2 mcfg pptt srat slit iort" 99 \
	--cpus 64 --numa 4 --memory 4G --oem-id 'BOCHS ' --oem-table-id 'BXPC    ' --oem-revision 7
run_case x86-default "rsdp xsdt facp facs dsdt apic mcfg" 5 --arch x86_64
run_case x86-q35-ids "rsdp xsdt facp facs dsdt apic mcfg" 6 \
	--arch x86_64 --cpus 2 --oem-id 'BOCHS ' --oem-table-id 'BXPC    ' --oem-revision 2
run_case x86-300cpus "rsdp xsdt facp facs dsdt apic mcfg srat slit" 304 \
	--arch x86_64 --cpus 300 --numa 2 --memory 2G
run_case x86-no-pcie "rsdp xsdt facp facs dsdt apic" 3 --arch x86_64 --no-pcie

# The OEM IDs asked for are in every table iasl shows (FACS has none).
oem_everywhere() {
	for f in "$1"/*.dsl; do
		case $f in
		*/facs.dsl) ;;
		*/dsdt.dsl) grep -q '"BOCHS ", "BXPC    "' "$f" || return 1 ;;
		*) grep -q 'Oem ID : "BOCHS "' "$f" && grep -q 'Oem Table ID : "BXPC    "' "$f" ||
			return 1 ;;
		esac
	done
}
for c in arm64-64cpus x86-q35-ids; do
	check "$c: every table iasl shows carries OEM ID BOCHS and table ID BXPC" \
		oem_everywhere "$W/$c"
done

finish
