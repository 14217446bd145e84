# SPDX-License-Identifier: MIT
# tests/bench/bench.sh - times fwkit against lsinitramfs, GNU cpio, bsdtar,
# fdtoverlay, dtc and iasl in one run and rewrites docs/benchmarks.md with
# the results.
#
# Usage: sh tests/bench/bench.sh FWKIT_BINARY      (what `make bench` runs)
# The page also goes to stdout; progress and hyperfine's reports to stderr.
#
# Each benchmark is one function bench_<name>, listed in BENCH_SECTIONS.  A
# section appends its Markdown to $WORK/sections.md, its commands to
# $WORK/commands.md (add_command) and one row per target to $WORK/targets.md
# (add_target).  The page is put together at the end and moved into place in
# one step, so a failed run never leaves a page with missing rows: any
# failure exits non-zero before the move.  To add a benchmark, write
# bench_<name> and append <name> to BENCH_SECTIONS.
#
# Knobs (environment): FWKIT_CACHE (where the real initramfs is cached),
# BENCH_TMPDIR (on-disk scratch space, default /var/tmp), BENCH_WARMUP,
# BENCH_BUILD_RUNS, BENCH_ACPI_MACHINE (one machine's raw ACPI tables, as
# <signature>.dat files: dsdt.dat, facp.dat, ssdt1.dat...), VM_GEN_CPUS (the
# vCPU counts of the vm_gen section, default "1 64 512"), VM_GEN_SECONDS.

set -eu
WORK=

: "${BENCH_SECTIONS:=initrd_ls initrd_build acpi_pack sha256 dt_apply boot_scan vm_gen}"

say() { printf 'bench: %s\n' "$*" >&2; }
# die also leaves a mark in $WORK, since exiting from inside $(...) only ends
# that subshell: the page is not written if the mark is there.
die() {
	printf 'bench: FAILED: %s\n' "$*" >&2
	[ -z "${WORK:-}" ] || : >"$WORK/failed"
	exit 1
}

[ $# -eq 1 ] || die "usage: sh tests/bench/bench.sh FWKIT_BINARY"
case $1 in
/*) FWKIT=$1 ;;
*) FWKIT=$(pwd)/$1 ;;
esac
if [ ! -f "$FWKIT" ] || [ ! -x "$FWKIT" ]; then
	die "fwkit binary '$1' not found or not executable"
fi

BENCH_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${FWKIT_CACHE:=$( [ "$(id -u)" = 0 ] && echo /var/cache/fwkit || echo "${XDG_CACHE_HOME:-$HOME/.cache}/fwkit")}"
: "${BENCH_TMPDIR:=/var/tmp}"
: "${BENCH_WARMUP:=3}"
: "${BENCH_BUILD_RUNS:=5}"
: "${BENCH_ACPI_MACHINE:=$BENCH_ROOT/../shared/corpus/acpi/linuxhw/0025}"
export FWKIT FWKIT_CACHE
PAGE=$BENCH_ROOT/docs/benchmarks.md
PAGE_TMP=

# --- prerequisites ---------------------------------------------------------

for t in hyperfine cpio bsdtar lsinitramfs zstd dpkg-query awk find sort \
	head tail grep cmp; do
	command -v "$t" >/dev/null 2>&1 ||
		die "required tool '$t' not found (run 'make bench', which installs it)"
done
# Two helpers mk/deps.sh may not list: installed here when missing, as root.
# GNU time gives the peak RSS of a finished command (%M); jq reads
# hyperfine's JSON.
for t in /usr/bin/time:time jq:jq; do
	command -v "${t%%:*}" >/dev/null 2>&1 && continue
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing Debian package '${t#*:}' for ${t%%:*}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${t#*:}" >&2 ||
			die "could not install Debian package '${t#*:}'"
	else
		die "${t%%:*} (Debian package '${t#*:}') is required"
	fi
done
LSINITRAMFS=$(command -v lsinitramfs)

mkdir -p "$BENCH_TMPDIR" || die "cannot create $BENCH_TMPDIR"
WORK=$(mktemp -d "$BENCH_TMPDIR/fwkit-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"; [ -z "$PAGE_TMP" ] || rm -f "$PAGE_TMP"' EXIT
trap 'exit 130' HUP INT TERM
: >"$WORK/sections.md"
: >"$WORK/commands.md"
: >"$WORK/targets.md"
START=$(date +%s)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)

# --- helpers ---------------------------------------------------------------

# shq STRING: STRING quoted for sh, for the command lines hyperfine runs.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

emit() { printf '%s\n' "$@" >>"$WORK/sections.md"; }

# add_command SECTION NAME COMMAND
add_command() {
	printf '%s\n' "- $1, $2:" '  ```sh' "  $3" '  ```' >>"$WORK/commands.md"
}

# add_target SECTION TARGET MEASURED MET
add_target() {
	printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" >>"$WORK/targets.md"
}

# hf JSON HYPERFINE-ARGS...: runs hyperfine, its own report to stderr.
hf() {
	hf_json=$1
	shift
	hyperfine --style basic --export-json "$hf_json" "$@" >&2 ||
		die "hyperfine failed (a measured command exited non-zero?)"
}

# hf_get JSON INDEX FIELD: one number from hyperfine's results.
hf_get() {
	jq -er ".results[$2].$3" "$1" || die "no .results[$2].$3 in $1"
}

# fmt_time SECONDS [REFERENCE]: milliseconds, with two decimals when
# REFERENCE (default SECONDS) is under 10 ms, else one.
fmt_time() {
	awk -v s="$1" -v r="${2:-$1}" 'BEGIN {
		printf (r < 0.01 ? "%.2f ms" : "%.1f ms"), s * 1000
	}'
}

# time_cell JSON INDEX: "mean ± stddev" as a table cell.
time_cell() {
	tc_mean=$(hf_get "$1" "$2" mean)
	tc_sd=$(hf_get "$1" "$2" stddev)
	printf '%s ± %s' "$(fmt_time "$tc_mean")" "$(fmt_time "$tc_sd" "$tc_mean")"
}

# result_row JSON INDEX: the start of a table row, "| name | mean ± σ | min |
# runs |", for the caller to finish with its own cells.
result_row() {
	printf '| %s | %s | %s | %s |' "$(hf_get "$1" "$2" command)" \
		"$(time_cell "$1" "$2")" \
		"$(fmt_time "$(hf_get "$1" "$2" min)" "$(hf_get "$1" "$2" mean)")" \
		"$(hf_get "$1" "$2" 'times | length')"
}

# ratio_cell JSON A B: mean(A)/mean(B) ± its propagated error.
ratio_cell() {
	awk -v a="$(hf_get "$1" "$2" mean)" -v sa="$(hf_get "$1" "$2" stddev)" \
	    -v b="$(hf_get "$1" "$3" mean)" -v sb="$(hf_get "$1" "$3" stddev)" 'BEGIN {
		r = a / b
		e = r * sqrt((sa / a) ^ 2 + (sb / b) ^ 2)
		printf "%.2f ± %.2f", r, e
	}'
}

# min_ratio JSON A B: min(A)/min(B), less swayed by other load than the means.
min_ratio() {
	awk -v a="$(hf_get "$1" "$2" min)" -v b="$(hf_get "$1" "$3" min)" \
		'BEGIN { printf "%.2f", a / b }'
}

# peak_rss COMMAND: peak resident set (KiB) of one run of COMMAND under sh;
# for a pipeline or script, GNU time reports its largest process.
peak_rss() {
	/usr/bin/time -f %M -o "$WORK/rss" sh -c "$1" >/dev/null 2>"$WORK/rss.err" ||
		die "command failed: $1 ($(tail -n 3 "$WORK/rss.err"))"
	tail -n 1 "$WORK/rss"
}

fmt_kib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
fmt_bytes() { awk -v b="$1" 'BEGIN { printf "%.1f MiB (%d bytes)", b / 1048576, b }'; }

# names: a listing on stdin as sorted names without a leading "./", without
# "." and the cpio trailer, so listings of different tools compare.
names() {
	sed -e 's|^\./||' | grep -v -x -e '.' -e '' -e 'TRAILER!!!' | LC_ALL=C sort
}

# --- benchmark: listing an initramfs ---------------------------------------

# initramfs_image: the real multi-segment Debian initramfs, made by the
# real-input test suite if it is not cached yet.
initramfs_image() {
	ii_img=$FWKIT_CACHE/multi-segment-initramfs.img
	if [ ! -s "$ii_img" ]; then
		ii_script=tests/real/debian-initramfs.sh
		[ -f "$BENCH_ROOT/$ii_script" ] ||
			die "no $ii_img, and no $ii_script to make it"
		say "no $ii_img yet: making it with $ii_script"
		if ! (cd "$BENCH_ROOT" && sh "$ii_script") >&2; then
			[ -s "$ii_img" ] || die "$ii_script failed and made no $ii_img"
			say "warning: $ii_script reported failures, but made the image"
		fi
		[ -s "$ii_img" ] || die "$ii_script did not leave $ii_img"
	fi
	printf '%s\n' "$ii_img"
}

bench_initrd_ls() {
	ls_img=$(initramfs_image)
	# Check it is what the page will say it is: an uncompressed early newc
	# cpio, followed by a zstd-compressed main archive.
	[ "$(head -c 6 "$ls_img")" = 070701 ] ||
		die "$ls_img does not start with an uncompressed newc cpio"
	ls_trailer=$(LC_ALL=C grep -obUa 'TRAILER!!!' "$ls_img" | head -n 1 | cut -d: -f1)
	[ -n "$ls_trailer" ] || die "$ls_img: no end to its first cpio segment"
	ls_zstd=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$ls_img" |
		awk -F: -v t="$ls_trailer" '$1 > t { print $1; exit }')
	[ -n "$ls_zstd" ] || die "$ls_img: no zstd-compressed segment after the early cpio"
	ls_size=$(wc -c <"$ls_img")

	# The main segment alone, for a reference: what decompressing it costs,
	# which any lister pays.
	tail -c +$((ls_zstd + 1)) "$ls_img" >"$WORK/main.zst" ||
		die "cannot cut the main segment out of $ls_img"
	ls_unpacked=$(zstd -dcq "$WORK/main.zst" | wc -c)

	ls_c_fwkit="$(shq "$FWKIT") initrd ls $(shq "$ls_img")"
	ls_c_lsi="$(shq "$LSINITRAMFS") $(shq "$ls_img")"
	ls_c_zstd="zstd -dcq $(shq "$WORK/main.zst")"

	# Both must list the same entries, or the comparison means nothing.
	# fwkit's text listing has modes and sizes too: take its names from
	# --json.
	sh -c "$ls_c_fwkit" >/dev/null || die "failed: $ls_c_fwkit"
	"$FWKIT" initrd ls "$ls_img" --json >"$WORK/ls-fwkit.json" ||
		die "failed: fwkit initrd ls $ls_img --json"
	jq -r '.segments[].entries[].name' "$WORK/ls-fwkit.json" >"$WORK/ls-fwkit.txt" ||
		die "fwkit initrd ls --json: no .segments[].entries[].name"
	ls_segs=$(jq -r '[.segments[].format] | join(", ")' "$WORK/ls-fwkit.json")
	sh -c "$ls_c_lsi" >"$WORK/ls-lsi.txt" || die "failed: $ls_c_lsi"
	names <"$WORK/ls-fwkit.txt" >"$WORK/ls-fwkit.names"
	names <"$WORK/ls-lsi.txt" >"$WORK/ls-lsi.names"
	ls_n_fwkit=$(wc -l <"$WORK/ls-fwkit.names")
	ls_n_lsi=$(wc -l <"$WORK/ls-lsi.names")
	ls_agree=yes
	if cmp -s "$WORK/ls-fwkit.names" "$WORK/ls-lsi.names"; then
		ls_same="yes, both list the same $ls_n_lsi names"
	else
		ls_agree=no
		ls_same="**no**: fwkit lists $ls_n_fwkit names, lsinitramfs $ls_n_lsi, and the lists differ"
		say "warning: fwkit and lsinitramfs list different entries"
	fi

	say "listing: fwkit vs lsinitramfs on $ls_img"
	ls_json=$WORK/initrd-ls.json
	hf "$ls_json" --warmup "$BENCH_WARMUP" --min-runs 20 \
		-n "fwkit initrd ls" "$ls_c_fwkit" \
		-n "lsinitramfs" "$ls_c_lsi" \
		-n "reference: zstd -dc of the main segment" "$ls_c_zstd"
	ls_rss_fwkit=$(peak_rss "$ls_c_fwkit")
	ls_rss_lsi=$(peak_rss "$ls_c_lsi")
	ls_rss_zstd=$(peak_rss "$ls_c_zstd")
	ls_ratio=$(ratio_cell "$ls_json" 1 0)
	# What 10x would take: a listing in a tenth of lsinitramfs's mean time,
	# against what the zstd tool alone takes to decompress the main segment.
	ls_budget=$(fmt_time "$(awk -v m="$(hf_get "$ls_json" 1 mean)" 'BEGIN { print m / 10 }')")
	ls_zmean=$(fmt_time "$(hf_get "$ls_json" 2 mean)")
	ls_met=$(awk -v a="$(hf_get "$ls_json" 1 mean)" -v b="$(hf_get "$ls_json" 0 mean)" \
		'BEGIN { print (a / b >= 10) ? "yes" : "**no**" }')
	[ "$ls_agree" = yes ] || ls_met="**no** (the listings differ)"

	emit "## Listing a multi-segment initramfs" ""
	emit "Image: \`$ls_img\`, $(fmt_bytes "$ls_size"): an uncompressed early" \
		"microcode cpio, then a zstd-compressed main archive at byte $ls_zstd" \
		"(segments as fwkit reports them: $ls_segs), $(fmt_bytes "$ls_unpacked") unpacked." \
		"Same entries listed: $ls_same." ""
	emit "| Tool | Mean ± σ | Min | Runs | Peak RSS |" \
		"| --- | ---: | ---: | ---: | ---: |"
	emit "$(result_row "$ls_json" 0) $(fmt_kib "$ls_rss_fwkit") |"
	emit "$(result_row "$ls_json" 1) $(fmt_kib "$ls_rss_lsi") |"
	emit "$(result_row "$ls_json" 2) $(fmt_kib "$ls_rss_zstd") |"
	emit "" "lsinitramfs / fwkit: **${ls_ratio}×** by the means," \
		"$(min_ratio "$ls_json" 1 0)× by the minimums" \
		"(target: at least 10×, by the means; met: $ls_met)." \
		"The last row is no competitor but a yardstick: the names are inside" \
		"the compressed segment, so every lister decompresses all of it, and" \
		"the zstd tool alone (to /dev/null) takes $ls_zmean to do that" \
		"(lsinitramfs / zstd: $(ratio_cell "$ls_json" 1 2)× by the means)." \
		"10× would mean listing in $ls_budget." ""

	add_command "Listing" "fwkit" "$ls_c_fwkit"
	add_command "Listing" "lsinitramfs" "$ls_c_lsi"
	add_command "Listing" "reference (main segment cut out with tail -c)" "$ls_c_zstd"
	add_target "Listing" "fwkit initrd ls at least 10× faster than lsinitramfs" \
		"${ls_ratio}× (10× would mean $ls_budget; zstd -dc alone takes $ls_zmean)" "$ls_met"
}

# --- benchmark: building an uncompressed initramfs -------------------------

TREE_SMALL=3000
TREE_BIG=32

# make_tree DIR: a reproducible file tree of random data: TREE_SMALL small
# files (1 byte to 64 KiB, log-uniform) in nested directories, and TREE_BIG
# large ones (2 to 16 MiB).
make_tree() {
	awk -v small="$TREE_SMALL" -v big="$TREE_BIG" 'BEGIN {
		srand(20240601)
		for (i = 0; i < small; i++)
			printf "lib/d%d/s%d/x%d/f%04d %d\n", i % 8, int(i / 8) % 6,
				int(i / 48) % 3, i, int(2 ^ (rand() * 16))
		for (i = 0; i < big; i++)
			printf "usr/share/big%d/blob%02d.bin %d\n", i % 4, i,
				2 ^ (1 + i % 4) * 1048576
	}' >"$WORK/tree.plan"
	while read -r mt_path mt_size; do
		mt_dir=$1/${mt_path%/*}
		[ -d "$mt_dir" ] || mkdir -p "$mt_dir"
		head -c "$mt_size" /dev/urandom >"$1/$mt_path"
	done <"$WORK/tree.plan"
}

bench_initrd_build() {
	bd_tree=$WORK/tree
	bd_out=$WORK/out
	mkdir -p "$bd_tree" "$bd_out"
	say "building: generating the input tree in $bd_tree"
	make_tree "$bd_tree" || die "could not generate the input tree"
	bd_files=$(find "$bd_tree" -type f | wc -l)
	bd_dirs=$(find "$bd_tree" -type d | wc -l)
	bd_bytes=$(find "$bd_tree" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
	[ "$bd_files" -ge 2000 ] || die "input tree has only $bd_files files"
	[ "$bd_bytes" -ge 209715200 ] || die "input tree has only $bd_bytes bytes"

	bd_c_fwkit="$(shq "$FWKIT") initrd build -o $(shq "$bd_out/fwkit.cpio") $(shq "$bd_tree")"
	bd_c_cpio="cd $(shq "$bd_tree") && find . | LC_ALL=C sort | cpio -o -H newc > $(shq "$bd_out/cpio.cpio")"
	bd_c_bsdtar="bsdtar --format newc -cf $(shq "$bd_out/bsdtar.cpio") -C $(shq "$bd_tree") ."

	say "building: fwkit vs GNU cpio vs bsdtar, $bd_files files, $bd_bytes bytes"
	bd_json=$WORK/initrd-build.json
	hf "$bd_json" --warmup 1 --runs "$BENCH_BUILD_RUNS" \
		--prepare "rm -f $(shq "$bd_out")/*.cpio" \
		-n "fwkit initrd build" "$bd_c_fwkit" \
		-n "GNU cpio" "$bd_c_cpio" \
		-n "bsdtar" "$bd_c_bsdtar"

	emit "## Building an uncompressed initramfs" ""
	emit "Input: a generated tree of $bd_files files in $bd_dirs directories," \
		"$(fmt_bytes "$bd_bytes") of random data: $TREE_SMALL files of 1 byte to 64 KiB" \
		"and $TREE_BIG of 2 to 16 MiB.  Output: one uncompressed newc cpio archive," \
		"removed before each run and not synced, so the writes end in the page cache;" \
		"input and output on the same filesystem." \
		"Names and sizes are those of GNU cpio's archive (\`cpio -itv\`) unless said otherwise." ""
	emit "| Tool | Mean ± σ | Min | Runs | Peak RSS | Output size |" \
		"| --- | ---: | ---: | ---: | ---: | ---: |"
	# One more run of each, alone, for its peak RSS and its archive: the
	# names and sizes of regular files in it, as GNU cpio reads them.
	for bd_tool in fwkit cpio bsdtar; do
		case $bd_tool in
		fwkit) bd_cmd=$bd_c_fwkit ;;
		cpio) bd_cmd=$bd_c_cpio ;;
		bsdtar) bd_cmd=$bd_c_bsdtar ;;
		esac
		rm -f "$bd_out/$bd_tool.cpio"
		peak_rss "$bd_cmd" >"$WORK/$bd_tool.rss"
		wc -c <"$bd_out/$bd_tool.cpio" >"$WORK/$bd_tool.size"
		cpio -itv --quiet <"$bd_out/$bd_tool.cpio" >"$WORK/$bd_tool.itv" ||
			die "GNU cpio cannot read the archive $bd_tool wrote"
		awk '$1 !~ /^d/ { print $9, $5 }' "$WORK/$bd_tool.itv" |
			names >"$WORK/$bd_tool.entries"
	done
	bd_agree=yes
	bd_i=0
	for bd_tool in fwkit cpio bsdtar; do
		bd_note=
		if ! cmp -s "$WORK/$bd_tool.entries" "$WORK/cpio.entries"; then
			bd_note=" (**names or sizes differ from GNU cpio's**)"
			say "warning: $bd_tool's archive differs from GNU cpio's in names or sizes"
			[ "$bd_tool" != fwkit ] || bd_agree=no
		fi
		emit "$(result_row "$bd_json" $bd_i) $(fmt_kib "$(cat "$WORK/$bd_tool.rss")") | $(fmt_bytes "$(cat "$WORK/$bd_tool.size")")$bd_note |"
		bd_i=$((bd_i + 1))
	done

	# Target: fwkit no slower than GNU cpio, by the means.
	bd_verdict=$(awk -v f="$(hf_get "$bd_json" 0 mean)" -v sf="$(hf_get "$bd_json" 0 stddev)" \
	    -v c="$(hf_get "$bd_json" 1 mean)" -v sc="$(hf_get "$bd_json" 1 stddev)" 'BEGIN {
		pct = (f / c - 1) * 100
		if (f <= c) printf "yes|%.1f%% less time", -pct
		else if (f - c <= sqrt(sf * sf + sc * sc))
			printf "**no** (within noise)|%.1f%% more time", pct
		else printf "**no**|%.1f%% more time", pct
	}')
	bd_met=${bd_verdict%%|*}
	[ "$bd_agree" = yes ] || bd_met="**no** (its archive differs from GNU cpio's)"
	bd_how=${bd_verdict#*|}
	bd_ratio=$(ratio_cell "$bd_json" 1 0)
	emit "" "GNU cpio / fwkit: **${bd_ratio}×** by the means," \
		"$(min_ratio "$bd_json" 1 0)× by the minimums;" \
		"bsdtar / fwkit: $(ratio_cell "$bd_json" 2 0)× by the means," \
		"$(min_ratio "$bd_json" 2 0)× by the minimums." \
		"fwkit takes $bd_how than GNU cpio (target: no slower; met: $bd_met)." ""

	add_command "Building" "fwkit" "$bd_c_fwkit"
	add_command "Building" "GNU cpio" "$bd_c_cpio"
	add_command "Building" "bsdtar" "$bd_c_bsdtar"
	add_target "Building" "fwkit initrd build no slower than GNU cpio" \
		"GNU cpio / fwkit: ${bd_ratio}× (fwkit takes $bd_how)" "$bd_met"

	rm -rf "$bd_tree" "$bd_out"
}

# --- benchmark: packing ACPI tables into an initrd -------------------------

# acpi_machine_tables: the directory of one real machine's raw tables
# (lowercase <signature>.dat, as the linuxhw corpus stores them), checked.
acpi_machine_tables() {
	am_dir=$BENCH_ACPI_MACHINE
	[ -d "$am_dir" ] || die "no ACPI tables at $am_dir (set BENCH_ACPI_MACHINE)"
	for am_t in dsdt facp ssdt1; do
		[ -s "$am_dir/$am_t.dat" ] || die "$am_dir has no $am_t.dat"
	done
	printf '%s\n' "$am_dir"
}

bench_acpi_pack() {
	ap_src=$(acpi_machine_tables)
	ap_img=$(initramfs_image)
	ap_dir=$WORK/acpi
	ap_tables=$ap_dir/tables   # the candidates: TABLES
	ap_fw=$ap_dir/fw           # the machine's, laid out as in sysfs: DIR
	ap_out=$ap_dir/out
	ap_scratch=$ap_dir/recipe  # the recipe's working directory
	mkdir -p "$ap_tables" "$ap_fw" "$ap_out" || die "cannot create $ap_dir"

	# TABLES: the DSDT with its OEM revision raised by one, so that it
	# overrides the firmware's, and every SSDT as it is; under their own
	# names with a .aml suffix.
	"$FWKIT" acpi fix --bump -o "$ap_tables/dsdt.aml" "$ap_src/dsdt.dat" >&2 ||
		die "fwkit acpi fix --bump failed on $ap_src/dsdt.dat"
	# DIR: what /sys/firmware/acpi/tables holds for these: DSDT, FACP,
	# SSDT1..N, as the firmware has them.
	cp "$ap_src/dsdt.dat" "$ap_fw/DSDT" && cp "$ap_src/facp.dat" "$ap_fw/FACP" ||
		die "cannot copy $ap_src's DSDT and FACP"
	ap_nssdt=0
	for ap_f in "$ap_src"/ssdt*.dat; do
		ap_b=${ap_f##*/}
		ap_b=${ap_b%.dat}
		cp "$ap_f" "$ap_tables/$ap_b.aml" && cp "$ap_f" "$ap_fw/SSDT${ap_b#ssdt}" ||
			die "cannot copy $ap_f"
		ap_nssdt=$((ap_nssdt + 1))
	done
	chmod u+w "$ap_tables"/* "$ap_fw"/* || die "chmod failed in $ap_dir"
	ap_ntables=$(find "$ap_tables" -name '*.aml' -type f | wc -l)
	ap_tbytes=$(find "$ap_tables" -name '*.aml' -type f -printf '%s\n' |
		awk '{ s += $1 } END { print s }')
	ap_dsdt_bytes=$(wc -c <"$ap_tables/dsdt.aml")
	ap_img_size=$(wc -c <"$ap_img")

	ap_tq="$(shq "$ap_tables")/*.aml"
	ap_c_fwkit="$(shq "$FWKIT") acpi pack -o $(shq "$ap_out/fwkit.img") --initrd $(shq "$ap_img") $ap_tq"
	ap_c_recipe="cd $(shq "$ap_scratch") && mkdir -p kernel/firmware/acpi && cp $ap_tq kernel/firmware/acpi/ && find kernel | cpio -H newc --create > $(shq "$ap_out/recipe.img") && cat $(shq "$ap_img") >> $(shq "$ap_out/recipe.img")"
	ap_c_ls="$(shq "$FWKIT") initrd ls $(shq "$ap_img")"
	# Both write OUT from nothing each run; the recipe also its tree.
	ap_prep="rm -rf $(shq "$ap_scratch") $(shq "$ap_out")/*.img && mkdir $(shq "$ap_scratch")"

	# What check predicts, with the kernel's rules: the DSDT must override;
	# the unchanged SSDTs are dropped (OEM revision not greater), a finding,
	# so check exits 1, and its timed command expects exactly that status.
	ap_ck_rc=0
	"$FWKIT" acpi check --json --against "$ap_fw" "$ap_tables"/*.aml \
		>"$ap_dir/check.json" || ap_ck_rc=$?
	[ "$ap_ck_rc" -le 1 ] ||
		die "fwkit acpi check --against $ap_fw exited $ap_ck_rc"
	ap_dsdt_v=$(jq -er '.tables[] | select(.name == "dsdt.aml") | .verdict' "$ap_dir/check.json") ||
		die "fwkit acpi check --json: no verdict for dsdt.aml"
	[ "$ap_dsdt_v" = override ] ||
		die "fwkit acpi check: the bumped DSDT would be '$ap_dsdt_v', not override"
	ap_plan=$(jq -r '[.tables[].verdict] | group_by(.) |
		map("\(length) \(.[0])") | join(", ")' "$ap_dir/check.json")
	ap_c_check="$(shq "$FWKIT") acpi check --against $(shq "$ap_fw") $ap_tq"
	[ "$ap_ck_rc" -eq 0 ] || ap_c_check="$ap_c_check; test \$? -eq $ap_ck_rc"

	# One run of each alone, for its peak RSS and its output, checked before
	# anything is timed: the same table bytes under the same names in the
	# leading archive, and IMAGE byte for byte after it.
	sh -c "$ap_prep" || die "failed: $ap_prep"
	ap_rss_fwkit=$(peak_rss "$ap_c_fwkit")
	ap_rss_recipe=$(peak_rss "$ap_c_recipe")
	ap_rss_ls=$(peak_rss "$ap_c_ls")
	ap_rss_check=$(peak_rss "$ap_c_check")
	find "$ap_tables" -name '*.aml' -type f | sed 's|.*/|kernel/firmware/acpi/|' |
		names >"$ap_dir/expected.names"
	ap_agree=yes
	ap_why=
	for ap_tool in fwkit recipe; do
		ap_o=$ap_out/$ap_tool.img
		[ -s "$ap_o" ] || die "$ap_tool wrote no $ap_o"
		ap_osize=$(wc -c <"$ap_o")
		echo "$ap_osize" >"$ap_dir/$ap_tool.size"
		ap_early=$((ap_osize - ap_img_size))
		echo "$ap_early" >"$ap_dir/$ap_tool.early"
		if [ "$ap_early" -le 0 ] ||
		    ! tail -c "$ap_img_size" "$ap_o" | cmp -s - "$ap_img"; then
			ap_agree=no
			ap_why="$ap_why $ap_tool's output does not end with IMAGE;"
			say "warning: $ap_tool's output does not end with $ap_img"
			continue
		fi
		ap_x=$ap_dir/x-$ap_tool
		mkdir -p "$ap_x"
		head -c "$ap_early" "$ap_o" >"$ap_dir/$ap_tool.early.cpio"
		(cd "$ap_x" && cpio -id --quiet --no-absolute-filenames) \
			<"$ap_dir/$ap_tool.early.cpio" ||
			die "GNU cpio cannot read the early archive $ap_tool wrote"
		(cd "$ap_x" && find . -type f) | names >"$ap_dir/$ap_tool.names"
		if ! cmp -s "$ap_dir/$ap_tool.names" "$ap_dir/expected.names"; then
			ap_agree=no
			ap_why="$ap_why $ap_tool's early archive has other names;"
			say "warning: $ap_tool's early archive does not hold exactly kernel/firmware/acpi/<the tables>"
			continue
		fi
		while read -r ap_n; do
			cmp -s "$ap_x/$ap_n" "$ap_tables/${ap_n##*/}" && continue
			ap_agree=no
			ap_why="$ap_why $ap_tool's $ap_n differs from the table;"
			say "warning: $ap_tool's $ap_n differs from $ap_tables/${ap_n##*/}"
		done <"$ap_dir/$ap_tool.names"
	done
	if [ "$ap_agree" = yes ]; then
		ap_same="yes: both early archives hold the same $ap_ntables files under kernel/firmware/acpi/, byte for byte the tables, and both outputs end with IMAGE byte for byte"
	else
		ap_same="**no**:${ap_why%;}"
	fi

	say "acpi pack: fwkit vs the kernel-documented recipe, $ap_ntables tables + $ap_img"
	ap_json=$WORK/acpi-pack.json
	hf "$ap_json" --warmup "$BENCH_WARMUP" --min-runs 20 \
		--prepare "$ap_prep" \
		-n "fwkit acpi pack --initrd" "$ap_c_fwkit" \
		-n "kernel-documented recipe (cp, find, cpio, cat)" "$ap_c_recipe" \
		-n "reference: fwkit initrd ls of IMAGE" "$ap_c_ls"
	say "acpi check: planning alone, $ap_ntables tables against $ap_fw"
	ap_ck_json=$WORK/acpi-check.json
	hf "$ap_ck_json" --warmup "$BENCH_WARMUP" --min-runs 20 \
		-n "fwkit acpi check --against" "$ap_c_check"

	ap_ratio=$(ratio_cell "$ap_json" 0 1)
	ap_lsmean=$(fmt_time "$(hf_get "$ap_json" 2 mean)")
	ap_lsmin=$(fmt_time "$(hf_get "$ap_json" 2 min)" "$(hf_get "$ap_json" 2 mean)")
	ap_measured="fwkit / recipe: ${ap_ratio}× by the means, $(min_ratio "$ap_json" 0 1)× by the minimums"
	[ "$ap_agree" = yes ] || ap_measured="$ap_measured (**the outputs differ**)"

	emit "## Packing ACPI tables into an initrd" ""
	emit "Tables (TABLES): the DSDT and all $ap_nssdt SSDTs of \`$ap_src\`," \
		"$ap_ntables files, $ap_tbytes bytes in all, $ap_dsdt_bytes of them the DSDT," \
		"named \`dsdt.aml\`, \`ssdt1.aml\`, …; the DSDT's OEM revision raised by one" \
		"(\`fwkit acpi fix --bump\`), the SSDTs unchanged." \
		"Image (IMAGE): \`$ap_img\`, $(fmt_bytes "$ap_img_size"), the one listed above." \
		"Output: $(fmt_bytes "$(cat "$ap_dir/fwkit.size")") from fwkit" \
		"(early archive $(cat "$ap_dir/fwkit.early") bytes)," \
		"$(fmt_bytes "$(cat "$ap_dir/recipe.size")") from the recipe" \
		"(early archive $(cat "$ap_dir/recipe.early") bytes), each written from nothing every run;" \
		"the recipe's directory is removed and made again before each run too." \
		"The machine's tables for \`check\` (DIR): DSDT, FACP and SSDT1..$ap_nssdt as" \
		"/sys/firmware/acpi/tables holds them; check's plan: $ap_plan (exit status $ap_ck_rc)." \
		"Same tables packed: $ap_same." ""
	emit "| Command | Mean ± σ | Min | Runs | Peak RSS |" \
		"| --- | ---: | ---: | ---: | ---: |"
	emit "$(result_row "$ap_json" 0) $(fmt_kib "$ap_rss_fwkit") |"
	emit "$(result_row "$ap_json" 1) $(fmt_kib "$ap_rss_recipe") |"
	emit "$(result_row "$ap_json" 2) $(fmt_kib "$ap_rss_ls") |"
	emit "$(result_row "$ap_ck_json" 0) $(fmt_kib "$ap_rss_check") |"
	emit "" "fwkit / recipe: **${ap_ratio}×** by the means," \
		"$(min_ratio "$ap_json" 0 1)× by the minimums (no target set)." \
		"The recipe from Linux's Documentation/admin-guide/acpi/initrd_table_override.rst" \
		"copies the files, archives them with GNU cpio and appends IMAGE with cat," \
		"checking nothing; \`fwkit acpi pack\` first checks every table with the kernel's" \
		"rules (size, signature, length, checksum, at most 64 files) and opens the" \
		"whole IMAGE, decompressing its compressed segment to validate every archive in it" \
		"(and to see which tables it already carries), and only then writes the same early" \
		"cpio followed by IMAGE unchanged." \
		"That validation is most of fwkit's time: \`fwkit initrd ls\` of IMAGE, which" \
		"decompresses the same segment and writes nothing, takes $ap_lsmean by the mean and" \
		"$ap_lsmin at the minimum (third row, a yardstick, not a competitor)." \
		"\`fwkit acpi check\` alone (last row) only plans: it reads the tables and the" \
		"machine's, and predicts with the kernel's rules what each will do, opening no image;" \
		"its timed command expects the exit status $ap_ck_rc that the plan above gives." ""

	add_command "ACPI packing" "before each run of these three (hyperfine --prepare)" "$ap_prep"
	add_command "ACPI packing" "fwkit" "$ap_c_fwkit"
	add_command "ACPI packing" "kernel-documented recipe" "$ap_c_recipe"
	add_command "ACPI packing" "reference" "$ap_c_ls"
	add_command "ACPI packing" "fwkit acpi check (no competitor)" "$ap_c_check"
	add_target "acpi pack vs the kernel-documented cpio recipe" \
		"no target set (fwkit also validates every table and the whole image)" \
		"$ap_measured" "n/a"

	rm -rf "$ap_dir"
}

# --- SHA-256 throughput ----------------------------------------------------

# fwkit's SHA-256 (the core's, SHA-NI where the CPU has it) against OpenSSL's
# on 16 KiB messages, both measured the same way: whole digests of one
# message, as many as fit in SHA_SECONDS.  Rounds alternate the tools so a
# change of load hits both; the best round of each counts.
bench_sha256() {
	sp=$(dirname "$FWKIT")/bench/sha256-speed
	[ -x "$sp" ] || die "$sp not built (make bench builds it)"
	command -v openssl >/dev/null 2>&1 || die "openssl not found"
	: "${SHA_SECONDS:=3}"
	: "${SHA_ROUNDS:=3}"
	say "SHA-256: $SHA_ROUNDS rounds of $SHA_SECONDS s each, fwkit and openssl"
	sh_best_f=0 sh_best_p=0 sh_best_o=0 sh_impl=
	for r in $(seq "$SHA_ROUNDS"); do
		sh_o=$(openssl speed -evp sha256 -bytes 16384 -seconds "$SHA_SECONDS" 2>/dev/null |
			awk '$1 == "sha256" { sub(/k$/, "", $2); printf "%.0f", $2 * 1000 }')
		[ -n "$sh_o" ] || die "could not read openssl speed's result"
		set -- $("$sp" "$SHA_SECONDS") || die "sha256-speed failed"
		sh_impl=$1 sh_f=$2
		set -- $("$sp" --portable "$SHA_SECONDS") || die "sha256-speed --portable failed"
		sh_p=$2
		say "round $r: fwkit ($sh_impl) $sh_f B/s, portable $sh_p B/s, openssl $sh_o B/s"
		sh_best_f=$(awk -v a="$sh_best_f" -v b="$sh_f" 'BEGIN { print (b > a ? b : a) }')
		sh_best_p=$(awk -v a="$sh_best_p" -v b="$sh_p" 'BEGIN { print (b > a ? b : a) }')
		sh_best_o=$(awk -v a="$sh_best_o" -v b="$sh_o" 'BEGIN { print (b > a ? b : a) }')
	done
	mbs() { awk -v b="$1" 'BEGIN { printf "%.0f MB/s", b / 1e6 }'; }
	sh_ratio=$(awk -v a="$sh_best_f" -v b="$sh_best_o" 'BEGIN { printf "%.2f", a / b }')
	sh_pratio=$(awk -v a="$sh_best_p" -v b="$sh_best_o" 'BEGIN { printf "%.2f", a / b }')
	sh_met=$(awk -v r="$sh_ratio" 'BEGIN { print (r >= 0.9 ? "yes" : "no") }')
	emit "## SHA-256 throughput" "" \
		"16 KiB messages, one whole digest each; best of $SHA_ROUNDS rounds of $SHA_SECONDS s," \
		"rounds alternating the tools.  OpenSSL $(openssl version | cut -d' ' -f2) picks its" \
		"fastest code for this CPU itself; fwkit's core picked \`$sh_impl\`." "" \
		"| Implementation | Throughput | vs OpenSSL |" "| --- | --- | --- |" \
		"| fwkit ($sh_impl) | $(mbs "$sh_best_f") | ${sh_ratio}× |" \
		"| fwkit (portable, forced) | $(mbs "$sh_best_p") | ${sh_pratio}× |" \
		"| OpenSSL (\`openssl speed -evp sha256\`) | $(mbs "$sh_best_o") | 1.00× |" ""
	add_command "SHA-256" "fwkit" "build/bench/sha256-speed $SHA_SECONDS   (and --portable)"
	add_command "SHA-256" "OpenSSL" "openssl speed -evp sha256 -bytes 16384 -seconds $SHA_SECONDS"
	add_target "SHA-256" "fwkit's SHA-256 at least 0.9× OpenSSL's throughput (16 KiB messages)" \
		"${sh_ratio}× ($(mbs "$sh_best_f") vs $(mbs "$sh_best_o"))" "$sh_met"
}

# --- device-tree overlays -------------------------------------------------

# dt_bench_overlay K: the source of overlay K of the stack: it changes a node
# of the base by label (&uarta) and by path, adds a node to the root with a
# label of its own, and from the second on refers to the label the one
# before it defined, so each needs the __symbols__ the earlier ones added.
dt_bench_overlay() {
	printf '/dts-v1/;\n/plugin/;\n\n'
	printf '&uarta {\n\tfwkit,bench-%d = <%d>;\n};\n\n' "$1" "$1"
	printf '&{/chosen} {\n\tfwkit,stage = <%d>;\n};\n\n' "$1"
	printf '&{/} {\n\tbench%d: fwkit-bench@%d {\n' "$1" "$1"
	printf '\t\tcompatible = "fwkit,bench";\n\t\treg = <0x0 0x%x 0x0 0x1000>;\n' $((0x70000000 + $1 * 0x1000))
	printf '\t\tgpios = <&gpio 3 0>;\n'
	[ "$1" -eq 0 ] || printf '\t\tfwkit,prev = <&bench%d>;\n' $(($1 - 1))
	printf '\t\tsub {\n\t\t\tleaf = <%d>;\n\t\t};\n\t};\n};\n' "$1"
}

bench_dt_apply() {
	command -v fdtoverlay >/dev/null 2>&1 || die "fdtoverlay not found (device-tree-compiler)"
	command -v dtc >/dev/null 2>&1 || die "dtc not found (device-tree-compiler)"
	# shellcheck source=../qemu/arm64.sh
	. "$BENCH_ROOT/tests/qemu/arm64.sh"
	fwkit_arm64 || die "cannot fetch Debian's arm64 kernel package (its DTBs)"
	: "${BENCH_DT_BASE:=$ARM64_DTB_DIR/nvidia/tegra210-p2371-2180.dtb}"
	[ -s "$BENCH_DT_BASE" ] || die "no base DTB $BENCH_DT_BASE"
	dt_dir=$WORK/dt
	mkdir -p "$dt_dir/out" || die "cannot create $dt_dir"
	dt_ovls=
	for k in 0 1 2 3 4 5 6 7 8 9; do
		dt_bench_overlay "$k" >"$dt_dir/ovl$k.dts"
		dtc -@ -q -I dts -O dtb -o "$dt_dir/ovl$k.dtbo" "$dt_dir/ovl$k.dts" ||
			die "dtc cannot compile overlay $k"
		dt_ovls="$dt_ovls $(shq "$dt_dir/ovl$k.dtbo")"
	done
	dt_base_bytes=$(wc -c <"$BENCH_DT_BASE")
	dt_syms=$("$FWKIT" dt info --json "$BENCH_DT_BASE" | jq -er '.symbols | length') ||
		die "fwkit dt info --json $BENCH_DT_BASE gave no symbols"
	dt_nodes=$("$FWKIT" dt info --json "$BENCH_DT_BASE" | jq -er '.nodes') ||
		die "fwkit dt info --json $BENCH_DT_BASE gave no node count"
	dt_c_fwkit="$(shq "$FWKIT") dt apply --no-ledger -o $(shq "$dt_dir/out/fwkit.dtb") $(shq "$BENCH_DT_BASE")$dt_ovls >/dev/null"
	dt_c_fdto="fdtoverlay -i $(shq "$BENCH_DT_BASE") -o $(shq "$dt_dir/out/fdtoverlay.dtb")$dt_ovls"
	dt_c_check="$(shq "$FWKIT") dt check -q $(shq "$BENCH_DT_BASE")$dt_ovls"

	# One run of each alone, for peak RSS and the outputs, compared as dtc
	# prints them before anything is timed.
	dt_rss_fwkit=$(peak_rss "$dt_c_fwkit")
	dt_rss_fdto=$(peak_rss "$dt_c_fdto")
	dtc -I dtb -O dts -o "$dt_dir/fwkit.dts" "$dt_dir/out/fwkit.dtb" 2>/dev/null ||
		die "dtc cannot read fwkit's result"
	dtc -I dtb -O dts -o "$dt_dir/fdtoverlay.dts" "$dt_dir/out/fdtoverlay.dtb" 2>/dev/null ||
		die "dtc cannot read fdtoverlay's result"
	if cmp -s "$dt_dir/fwkit.dts" "$dt_dir/fdtoverlay.dts"; then
		dt_same="yes: \`dtc -I dtb -O dts\` prints both results identically"
	else
		dt_same="**no**: the two results differ as dtc prints them"
		say "warning: fwkit's and fdtoverlay's results differ"
	fi
	dt_out_bytes=$(wc -c <"$dt_dir/out/fwkit.dtb")

	say "dt apply: fwkit vs fdtoverlay, $BENCH_DT_BASE + 10 overlays"
	dt_json=$WORK/dt-apply.json
	hf "$dt_json" --warmup "$BENCH_WARMUP" --min-runs 50 -N \
		-n "fwkit dt apply" "${dt_c_fwkit% >/dev/null}" \
		-n "fdtoverlay" "$dt_c_fdto" \
		-n "reference: fwkit dt check of the same 11 files" "$dt_c_check"
	dt_ratio=$(ratio_cell "$dt_json" 0 1)
	dt_met=$(awk -v a="$(hf_get "$dt_json" 0 mean)" -v b="$(hf_get "$dt_json" 1 mean)" \
		'BEGIN { print (a <= b ? "yes" : "no") }')

	emit "## Applying device-tree overlays" "" \
		"Base: \`${BENCH_DT_BASE#"$ARM64_DTB_DIR"/}\` from Debian's \`$ARM64_KERNEL_PKG\` $ARM64_KERNEL_PKGVER" \
		"($dt_base_bytes bytes, $dt_nodes nodes, $dt_syms labels in \`__symbols__\`), and a stack of" \
		"10 overlays made by \`dtc -@\` (tests/bench/bench.sh, dt_bench_overlay): each changes" \
		"\`&uarta\` and \`/chosen\`, adds a node with a label, and from the second on refers to" \
		"the label the one before it added.  Result: $dt_out_bytes bytes, packed." \
		"fwkit checks all 11 inputs completely and plans each overlay before libfdt applies it;" \
		"fdtoverlay applies with libfdt alone.  Same results: $dt_same." "" \
		"| Command | Mean ± σ | Min | Runs | Peak RSS |" "| --- | --- | --- | --- | --- |" \
		"$(result_row "$dt_json" 0) $dt_rss_fwkit KiB |" \
		"$(result_row "$dt_json" 1) $dt_rss_fdto KiB |" \
		"$(result_row "$dt_json" 2) |" "" \
		"fwkit / fdtoverlay: ${dt_ratio}× by the means, $(min_ratio "$dt_json" 0 1)× by the minimums." ""
	add_command "DT apply" "fwkit" "fwkit dt apply --no-ledger -o OUT BASE ovl0.dtbo ... ovl9.dtbo"
	add_command "DT apply" "fdtoverlay" "fdtoverlay -i BASE -o OUT ovl0.dtbo ... ovl9.dtbo"
	add_target "DT apply" "fwkit dt apply no slower than fdtoverlay (a large real DTB, 10 stacked overlays)" \
		"${dt_ratio}× ($(fmt_time "$(hf_get "$dt_json" 0 mean)") vs $(fmt_time "$(hf_get "$dt_json" 1 mean)"))" "$dt_met"
}

# --- boot modules ---------------------------------------------------------

# 256 real ACPI tables and Intel microcode files of ../shared/corpus as boot
# modules: fwkit boot scan classifies and validates each completely
# (checksums, every microcode update, SHA-256 of every module) and writes
# the report; file(1) only names each by its magic.  No target: file(1) is
# the reference for how long naming a module takes.
bench_boot_scan() {
	command -v file >/dev/null 2>&1 || die "file(1) not found"
	bs_dir=$WORK/boot
	mkdir -p "$bs_dir" || die "cannot create $bs_dir"
	# As many modules as a boot may carry (BOOT_MODULES_MAX, 256): the
	# corpus's Intel microcode files, then its ACPI tables in order.
	bs_n=0
	for f in "$BENCH_ROOT"/../shared/corpus/microcode/intel/* \
		"$BENCH_ROOT"/../shared/corpus/acpi/linuxhw/*/*; do
		[ "$bs_n" -lt 256 ] || break
		[ -f "$f" ] || continue
		case $f in *INDEX* | *LICENSE* | *license* | *.txt | *.md) continue ;; esac
		cp "$f" "$bs_dir/m$bs_n" || die "cannot copy $f"
		bs_n=$((bs_n + 1))
	done
	[ "$bs_n" -eq 256 ] || die "only $bs_n corpus files found"
	bs_bytes=$(cat "$bs_dir"/m* | wc -c)
	# Exit status 1 means the report names a rejected module: expected for
	# a few damaged corpus tables, so only 2 and above fail the run.
	bs_c_fwkit="cd $(shq "$bs_dir") && $(shq "$FWKIT") boot scan m* >/dev/null; [ \$? -le 1 ]"
	bs_c_file="cd $(shq "$bs_dir") && file -b m* >/dev/null"
	(cd "$bs_dir" && "$FWKIT" boot scan m* >"$WORK/boot-report.txt") || [ $? -le 1 ] ||
		die "fwkit boot scan failed on the corpus"
	bs_summary=$(sed -n 's/^summary: //p' "$WORK/boot-report.txt")
	[ -n "$bs_summary" ] || die "no summary line in the boot report"
	bs_rss_fwkit=$(peak_rss "$bs_c_fwkit")
	bs_rss_file=$(peak_rss "$bs_c_file")
	say "boot scan: fwkit vs file(1), $bs_n corpus modules"
	bs_json=$WORK/boot-scan.json
	hf "$bs_json" --warmup "$BENCH_WARMUP" --min-runs 20 \
		-n "fwkit boot scan" "$bs_c_fwkit" \
		-n "file -b" "$bs_c_file"
	emit "## Classifying boot modules" "" \
		"$bs_n modules ($bs_bytes bytes, the most one boot takes): the Intel microcode files" \
		"of \`../shared/corpus\` and its first ACPI tables.  fwkit classifies and validates each completely (ACPI" \
		"checksum and length, every microcode update's checksums) and hashes it" \
		"(SHA-256); file(1) names each by its magic only.  fwkit's report: $bs_summary" \
		"(the rejected ones are FACS, which has no checksum, and tables of signatures fwkit" \
		"does not know)." "" \
		"| Command | Mean ± σ | Min | Runs | Peak RSS |" "| --- | --- | --- | --- | --- |" \
		"$(result_row "$bs_json" 0) $bs_rss_fwkit KiB |" \
		"$(result_row "$bs_json" 1) $bs_rss_file KiB |" "" \
		"fwkit / file: $(ratio_cell "$bs_json" 0 1)× by the means." ""
	add_command "Boot scan" "fwkit" "fwkit boot scan m0 ... m$((bs_n - 1))"
	add_command "Boot scan" "file" "file -b m0 ... m$((bs_n - 1))"
}

# --- guest DT/ACPI generation -----------------------------------------------

# The default arm64 VM (QEMU virt's map, GICv3, its default devices) with 1,
# 64 and 512 vCPUs: `fwkit vm dtb` and `fwkit vm acpi` against dtc compiling
# the same tree from source and iasl compiling the same DSDT from source
# (both sources made once, untimed, by decompiling fwkit's output); and the
# library alone (tests/bench/vm_gen_speed.c, vm_dtb and vm_acpi in a loop),
# so the cost without process start-up shows.  Target (issue 7): at least
# 10x faster than dtc and iasl.
: "${VM_GEN_CPUS:=1 64 512}"
: "${VM_GEN_SECONDS:=2}"
# Where the single-file ACPI output is laid out (any guest-physical address
# does; the same for the CLI and the library, so their outputs compare).
VM_GEN_BASE=0x7fe00000

# vm_gen_build_speed OUT: the in-process helper, compiled here against the
# library the CLI is linked from (make bench builds build/libfwkit.a).
vm_gen_build_speed() {
	vb_lib=$(dirname "$FWKIT")/libfwkit.a
	[ -f "$vb_lib" ] || die "$vb_lib not built (make bench builds it)"
	command -v "${CC:-cc}" >/dev/null 2>&1 || die "no C compiler (${CC:-cc})"
	"${CC:-cc}" -std=c11 -Wall -Wextra -O2 -I"$BENCH_ROOT/include" -D_GNU_SOURCE \
		-o "$1" "$BENCH_ROOT/tests/bench/vm_gen_speed.c" "$vb_lib" \
		-lfdt -lz -llzma -lzstd -lbz2 -llz4 -llzo2 -lcrypto >&2 ||
		die "cannot build tests/bench/vm_gen_speed.c against $vb_lib"
}

# vm_gen_aml_same A B: two AML tables the same but for the checksum and
# the compiler's ID and revision (bytes 9 and 28..35 of the header).
vm_gen_aml_same() {
	cmp -s -n 9 "$1" "$2" && cmp -s -i 10 -n 18 "$1" "$2" && cmp -s -i 36 "$1" "$2"
}

vg_emit() { printf '%s\n' "$@" >>"$vg/sections.md"; }
# vg_ms NS: nanoseconds as milliseconds; vg_x A B: A / B to one decimal.
vg_ms() { awk -v ns="$1" 'BEGIN { printf (ns < 1e5 ? "%.3f ms" : "%.2f ms"), ns / 1e6 }'; }
vg_x() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

bench_vm_gen() {
	for t in dtc iasl; do
		command -v "$t" >/dev/null 2>&1 || die "$t not found (device-tree-compiler, acpica-tools)"
	done
	"$FWKIT" vm --help >/dev/null 2>&1 || die "$FWKIT has no 'vm' command"
	vg=$WORK/vm
	mkdir -p "$vg" || die "cannot create $vg"
	# A copy of the binary, so a rebuild during the run cannot disturb it.
	vg_fwkit=$vg/fwkit
	cp "$FWKIT" "$vg_fwkit" || die "cannot copy $FWKIT"
	vg_speed=$vg/vm-gen-speed
	vm_gen_build_speed "$vg_speed"
	vg_iasl_v=$(iasl -v 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p' | head -n 1)
	# The floor under any process: start-up alone, fwkit's (its libraries:
	# OpenSSL, the decompressors, libfdt) and dtc's.
	say "vm gen: process start-up alone, fwkit and dtc"
	vg_floor=$vg/floor.json
	hf "$vg_floor" --warmup "$BENCH_WARMUP" --min-runs 20 -N \
		-n "reference: fwkit --version" "$vg_fwkit --version" \
		-n "reference: dtc --version" "dtc --version"
	: >"$vg/summary.md"
	: >"$vg/sections.md"
	: >"$vg/ratios.txt"
	: >"$vg/lib.txt"
	vg_all_same=yes
	for n in $VM_GEN_CPUS; do
		vg_n=$vg/n$n
		mkdir -p "$vg_n/out" || die "cannot create $vg_n/out"
		# QEMU's own redistributor region holds 123 CPUs; beyond, one
		# region where QEMU puts its second (docs/vm-description.md).
		vg_gicr=
		[ "$n" -le 123 ] ||
			vg_gicr=', "redistributor": "0x4000000000", "redistributor_size": "64M"'
		printf '{ "arch": "arm64", "cpus": %d, "gic": { "version": 3%s } }\n' "$n" "$vg_gicr" \
			>"$vg_n/spec.json"
		vg_flags="--spec $vg_n/spec.json"

		# The outputs, once, untimed: checked, then turned into the
		# competitors' sources.
		# shellcheck disable=SC2086
		"$vg_fwkit" vm dtb $vg_flags -o "$vg_n/fwkit.dtb" >"$vg_n/gen.log" 2>&1 ||
			die "fwkit vm dtb $vg_flags failed: $(tail -n 1 "$vg_n/gen.log")"
		# shellcheck disable=SC2086
		"$vg_fwkit" vm acpi $vg_flags -o "$vg_n/acpi" >"$vg_n/gen.log" 2>&1 ||
			die "fwkit vm acpi $vg_flags -o DIR failed: $(tail -n 1 "$vg_n/gen.log")"
		# shellcheck disable=SC2086
		"$vg_fwkit" vm acpi $vg_flags --base "$VM_GEN_BASE" -o "$vg_n/fwkit-acpi.bin" \
			>"$vg_n/gen.log" 2>&1 ||
			die "fwkit vm acpi $vg_flags --base $VM_GEN_BASE failed: $(tail -n 1 "$vg_n/gen.log")"
		[ -s "$vg_n/acpi/dsdt.dat" ] || die "fwkit vm acpi wrote no dsdt.dat"
		vg_ntables=$(find "$vg_n/acpi" -name '*.dat' | wc -l)
		dtc -I dtb -O dts -o "$vg_n/equiv.dts" "$vg_n/fwkit.dtb" 2>"$vg_n/dtc.err" ||
			die "dtc cannot decompile fwkit's tree for $n vCPUs"
		[ ! -s "$vg_n/dtc.err" ] || say "warning: dtc -I dtb -O dts: $(head -n 1 "$vg_n/dtc.err")"
		cp "$vg_n/acpi/dsdt.dat" "$vg_n/dsdt.dat" || die "cp failed"
		(cd "$vg_n" && iasl -d dsdt.dat) >"$vg_n/iasl-d.log" 2>&1 && [ -s "$vg_n/dsdt.dsl" ] ||
			die "iasl -d cannot disassemble fwkit's DSDT for $n vCPUs: $(tail -n 3 "$vg_n/iasl-d.log")"
		cp "$vg_n/dsdt.dsl" "$vg_n/equiv.dsl" || die "cp failed"

		vg_c_dtb="$vg_fwkit vm dtb $vg_flags -o $vg_n/out/fwkit.dtb"
		vg_c_acpi="$vg_fwkit vm acpi $vg_flags --base $VM_GEN_BASE -o $vg_n/out/fwkit-acpi.bin"
		vg_c_dtc="dtc -q -I dts -O dtb -o $vg_n/out/dtc.dtb $vg_n/equiv.dts"
		vg_c_iasl="iasl -p $vg_n/out/iasl $vg_n/equiv.dsl"

		# The competitors compile to the same thing: dtc's tree prints as
		# fwkit's does, and iasl's DSDT is fwkit's.
		vg_same=yes
		sh -c "$vg_c_dtc" || die "failed: $vg_c_dtc"
		dtc -I dtb -O dts -o "$vg_n/dtc.dts" "$vg_n/out/dtc.dtb" 2>/dev/null ||
			die "dtc cannot read back its own tree"
		if ! cmp -s "$vg_n/equiv.dts" "$vg_n/dtc.dts"; then
			vg_same=no
			say "warning: dtc's tree for $n vCPUs differs from fwkit's"
		fi
		# iasl's namepath optimisation shortens \_SB to _SB where it can, so
		# the body is compared as iasl -oa (no optimisations) compiles it.
		sh -c "$vg_c_iasl" >"$vg_n/iasl.log" 2>&1 ||
			die "iasl cannot compile the disassembled DSDT for $n vCPUs: $(grep -i error "$vg_n/iasl.log" | head -n 2)"
		iasl -oa -p "$vg_n/iasl-oa" "$vg_n/equiv.dsl" >"$vg_n/iasl-oa.log" 2>&1 ||
			die "iasl -oa cannot compile the disassembled DSDT for $n vCPUs"
		if ! vm_gen_aml_same "$vg_n/dsdt.dat" "$vg_n/iasl-oa.aml"; then
			vg_same=no
			say "warning: iasl -oa's DSDT for $n vCPUs differs from fwkit's beyond the compiler fields"
		fi

		# The library, in process; its outputs must be the CLI's, byte for byte.
		vg_out=$("$vg_speed" "$vg_n/spec.json" "$VM_GEN_BASE" "$VM_GEN_SECONDS" \
			"$vg_n/lib.dtb" "$vg_n/lib-acpi.bin") || die "vm-gen-speed failed for $n vCPUs"
		# shellcheck disable=SC2086
		set -- $vg_out
		[ "$#" -eq 9 ] && [ "$1" = dtb ] && [ "$5" = acpi ] || die "vm-gen-speed printed '$*'"
		vg_lib_dtb=$2 vg_lib_dtb_min=$3 vg_dtb_bytes=$4
		vg_lib_acpi=$6 vg_lib_acpi_min=$7 vg_acpi_bytes=$8
		if ! cmp -s "$vg_n/lib.dtb" "$vg_n/fwkit.dtb" ||
			! cmp -s "$vg_n/lib-acpi.bin" "$vg_n/fwkit-acpi.bin"; then
			vg_same=no
			say "warning: the library's outputs for $n vCPUs (JSON spec) differ from the CLI's (flags)"
		fi
		[ "$vg_same" = yes ] || vg_all_same=no
		echo "$n $vg_lib_dtb_min $vg_lib_acpi_min" >>"$vg/lib.txt"

		say "vm gen: $n vCPUs: fwkit vm dtb/acpi vs dtc and iasl"
		vg_json=$vg_n/hf.json
		hf "$vg_json" --warmup "$BENCH_WARMUP" --min-runs 20 -N \
			-n "fwkit vm dtb ($n vCPUs)" "$vg_c_dtb" \
			-n "dtc -I dts -O dtb ($n vCPUs)" "$vg_c_dtc" \
			-n "fwkit vm acpi ($n vCPUs)" "$vg_c_acpi" \
			-n "iasl, the DSDT ($n vCPUs)" "$vg_c_iasl"
		vg_rss_dtb=$(peak_rss "$vg_c_dtb")
		vg_rss_dtc=$(peak_rss "$vg_c_dtc")
		vg_rss_acpi=$(peak_rss "$vg_c_acpi")
		vg_rss_iasl=$(peak_rss "$vg_c_iasl")

		vg_dtc_s=$(hf_get "$vg_json" 1 mean)
		vg_iasl_s=$(hf_get "$vg_json" 3 mean)
		echo "$n $(hf_get "$vg_json" 0 mean) $vg_dtc_s $(hf_get "$vg_json" 2 mean) $vg_iasl_s $vg_lib_dtb $vg_lib_acpi" \
			>>"$vg/ratios.txt"
		vg_emit "### $n vCPU$([ "$n" -eq 1 ] || echo s)" "" \
			"fwkit's tree: $vg_dtb_bytes bytes ($(grep -c '{$' "$vg_n/equiv.dts") nodes);" \
			"its ACPI tables: $vg_ntables tables, $vg_acpi_bytes bytes laid out at $VM_GEN_BASE," \
			"of them the DSDT $(wc -c <"$vg_n/dsdt.dat") bytes ($(wc -l <"$vg_n/equiv.dsl") lines of ASL as iasl -d prints it)." \
			"Same outputs (dtc's tree and fwkit's print alike; \`iasl -oa\` compiles fwkit's DSDT byte for" \
			"byte but for the header's checksum and compiler fields; the library's bytes equal the CLI's): $vg_same." "" \
			"| Command | Mean ± σ | Min | Runs | Peak RSS |" "| --- | ---: | ---: | ---: | ---: |" \
			"$(result_row "$vg_json" 0) $(fmt_kib "$vg_rss_dtb") |" \
			"$(result_row "$vg_json" 1) $(fmt_kib "$vg_rss_dtc") |" \
			"$(result_row "$vg_json" 2) $(fmt_kib "$vg_rss_acpi") |" \
			"$(result_row "$vg_json" 3) $(fmt_kib "$vg_rss_iasl") |" \
			"| library: vm_dtb, in process | $(vg_ms "$vg_lib_dtb") | $(vg_ms "$vg_lib_dtb_min") | $VM_GEN_SECONDS s | |" \
			"| library: vm_acpi (all $vg_ntables tables), in process | $(vg_ms "$vg_lib_acpi") | $(vg_ms "$vg_lib_acpi_min") | $VM_GEN_SECONDS s | |" ""
		printf '| %s | %s× (min %s×) | %s× | %s× (min %s×) | %s× |\n' "$n" \
			"$(ratio_cell "$vg_json" 1 0)" "$(min_ratio "$vg_json" 1 0)" \
			"$(vg_x "$vg_dtc_s" "$(awk -v ns="$vg_lib_dtb" 'BEGIN { print ns / 1e9 }')")" \
			"$(ratio_cell "$vg_json" 3 2)" "$(min_ratio "$vg_json" 3 2)" \
			"$(vg_x "$vg_iasl_s" "$(awk -v ns="$vg_lib_acpi" 'BEGIN { print ns / 1e9 }')")" \
			>>"$vg/summary.md"
	done

	# Growth: the library's cost per added vCPU between consecutive sizes,
	# from the best batches (the least disturbed by other load); roughly
	# linear when the later step's per-vCPU cost is within 2x of the
	# earlier one's (either way).
	vg_growth=$(sort -n -k1,1 "$vg/lib.txt" | awk '
		NR > 1 {
			d = $1 - n0
			a = ($2 - t0) / d; b = ($3 - u0) / d
			printf "%d→%d vCPUs: %.0f ns (vm_dtb) and %.0f ns (vm_acpi) per added vCPU; ", n0, $1, a, b
			if (NR > 2) {
				if (pa > 0 && (a / pa > 2 || pa / a > 2)) lin = "no"
				if (pb > 0 && (b / pb > 2 || pb / b > 2)) lin = "no"
			}
			pa = a; pb = b
		}
		{ n0 = $1; t0 = $2; u0 = $3 }
		END { printf "|%s", (lin == "" ? "yes" : "**no**") }')
	vg_lin=${vg_growth##*|}
	vg_growth=${vg_growth%|*}
	vg_growth=${vg_growth%; }

	# The targets, at every size: worst ratio counts.
	vg_t=$(awk '{
		r1 = $3 / $2; r2 = $5 / $4; r3 = $3 / ($6 / 1e9); r4 = $5 / ($7 / 1e9)
		if (NR == 1 || r1 < m1) m1 = r1
		if (NR == 1 || r2 < m2) m2 = r2
		if (NR == 1 || r3 < m3) m3 = r3
		if (NR == 1 || r4 < m4) m4 = r4
	} END { printf "%.1f %.1f %.0f %.0f", m1, m2, m3, m4 }' "$vg/ratios.txt")
	# shellcheck disable=SC2086
	set -- $vg_t
	vg_met() { awk -v r="$1" -v s="$vg_all_same" 'BEGIN {
		if (s != "yes") print "**no** (the outputs differ)"
		else print (r >= 10 ? "yes" : "**no**") }'; }

	emit "## Generating a guest's device tree and ACPI tables" "" \
		"The default arm64 VM (\`fwkit vm\`: QEMU virt's memory map, GICv3, pl011, pl031," \
		"virtio-mmio, PCIe, PSCI) with $(echo "$VM_GEN_CPUS" | sed 's/ /, /g') vCPUs." \
		"\`fwkit vm dtb\` writes the tree; \`fwkit vm acpi --base\` lays out every table" \
		"(RSDP, XSDT, FADT, MADT, GTDT, SPCR, MCFG, DSDT, ...) in one file with pointers and" \
		"checksums final.  Against them: dtc compiling the same tree from source and iasl" \
		"(acpica-tools ${vg_iasl_v:-?}) compiling the same DSDT from source; each source was made" \
		"once, untimed, by decompiling fwkit's output (\`dtc -I dtb -O dts\`, \`iasl -d\`)." \
		"SPEC.json is \`{ \"arch\": \"arm64\", \"cpus\": N, \"gic\": { \"version\": 3 } }\`; above 123" \
		"vCPUs (what QEMU's first redistributor region holds) its \`gic\` also puts one" \
		"redistributor region of 64 MiB at 0x4000000000, where QEMU puts its second." \
		"iasl compiles one table where fwkit writes all of them." \
		"Every command writes its file under $BENCH_TMPDIR (fwkit also fsyncs it, dtc and iasl" \
		"do not), timed without a shell (\`hyperfine -N\`)." \
		"The library rows are tests/bench/vm_gen_speed.c calling vm_dtb and vm_acpi in a loop for" \
		"$VM_GEN_SECONDS s each with the same description (read from JSON), no process start-up:" \
		"the mean time per call, and as the minimum the best batch of 16 calls;" \
		"their outputs are checked equal to the CLI's, byte for byte.  The ratios below use" \
		"the means (the library's and hyperfine's) unless they say min." ""
	cat "$vg/sections.md" >>"$WORK/sections.md"
	emit "### Ratios" "" \
		"| vCPUs | dtc / fwkit vm dtb | dtc / vm_dtb (library) | iasl / fwkit vm acpi | iasl / vm_acpi (library) |" \
		"| ---: | ---: | ---: | ---: | ---: |"
	cat "$vg/summary.md" >>"$WORK/sections.md"
	emit "" "Process against process, the worst ratio over the sizes is dtc / fwkit vm dtb $1×" \
		"and iasl / fwkit vm acpi $2×; the library alone against the same processes, $3×" \
		"and $4×.  The second comparison leaves out fwkit's process start-up and file" \
		"writing but not dtc's or iasl's: it shows what generating costs, not a like-for-like" \
		"race.  Process start-up alone sets a floor no process beats:" \
		"\`fwkit --version\` takes $(time_cell "$vg_floor" 0) (min $(fmt_time "$(hf_get "$vg_floor" 0 min)" "$(hf_get "$vg_floor" 0 mean)"))," \
		"\`dtc --version\` $(time_cell "$vg_floor" 1) (min $(fmt_time "$(hf_get "$vg_floor" 1 min)" "$(hf_get "$vg_floor" 1 mean)"))." \
		"Growth, from the library's best batches: $vg_growth; roughly linear (each step's per-vCPU" \
		"cost within 2× of the previous step's): $vg_lin." ""

	add_command "VM generation" "fwkit, tree" "fwkit vm dtb --spec SPEC.json -o OUT.dtb"
	add_command "VM generation" "fwkit, ACPI" "fwkit vm acpi --spec SPEC.json --base $VM_GEN_BASE -o OUT.bin"
	add_command "VM generation" "dtc" "dtc -q -I dts -O dtb -o OUT.dtb EQUIV.dts"
	add_command "VM generation" "iasl" "iasl -p OUT EQUIV.dsl"
	add_command "VM generation" "library" "vm-gen-speed SPEC.json $VM_GEN_BASE $VM_GEN_SECONDS   (tests/bench/vm_gen_speed.c)"
	add_target "VM generation" "fwkit vm dtb at least 10× faster than dtc (process vs process, worst of $VM_GEN_CPUS vCPUs)" \
		"$1×" "$(vg_met "$1")"
	add_target "VM generation" "fwkit vm acpi at least 10× faster than iasl on the DSDT (process vs process)" \
		"$2×" "$(vg_met "$2")"
	add_target "VM generation" "vm_dtb (library) at least 10× faster than the dtc process" "$3×" "$(vg_met "$3")"
	add_target "VM generation" "vm_acpi (library) at least 10× faster than the iasl process" "$4×" "$(vg_met "$4")"
	add_target "VM generation" "cost grows roughly linearly with vCPUs (library, best batches)" "$vg_growth" "$vg_lin"
}

# --- the page --------------------------------------------------------------

fwkit_version() {
	fg=$(git -C "$BENCH_ROOT" describe --always --dirty 2>/dev/null) || fg=
	if fv=$("$FWKIT" --version 2>/dev/null) && [ -n "$fv" ]; then
		printf '%s%s\n' "$(printf '%s\n' "$fv" | head -n 1)" "${fg:+ (tree at git $fg)}"
	elif [ -n "$fg" ]; then
		printf 'git %s (no --version)\n' "$fg"
	else
		echo "unknown (no --version, no git commit)"
	fi
}

write_header() {
	wh_cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	wh_mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	wh_fs=$(stat -f -c %T "$WORK")
	case $wh_fs in
	tmpfs | ramfs) wh_where="$wh_fs: in memory, not on disk" ;;
	*) wh_where="$wh_fs: on disk, not tmpfs" ;;
	esac
	wh_secs=$(($(date +%s) - START))
	cat <<EOF
# fwkit benchmarks

Written by \`make bench\` (tests/bench/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'),
in one run of ${wh_secs} s; each run rewrites this whole page, so edit the script,
not the page.

## Machine and tools

| | |
| --- | --- |
| CPU | ${wh_cpu:-unknown}, $(nproc) cores (nproc) |
| Memory | $wh_mem |
| Load average (1 min) | $LOAD_START before the run, $(cut -d' ' -f1 /proc/loadavg) after it (its own load included); other work on the machine widens σ |
| Kernel | $(uname -srm) |
| Scratch space | \`$BENCH_TMPDIR\`, $wh_where |
| fwkit | $(fwkit_version) |
| GNU cpio | $(cpio --version | head -n 1) |
| bsdtar | $(bsdtar --version | head -n 1 | sed 's/ *$//') |
| initramfs-tools | $(dpkg-query -W -f='${Version}' initramfs-tools 2>/dev/null || echo unknown) |
| device-tree-compiler (dtc, fdtoverlay) | $(dpkg-query -W -f='${Version}' device-tree-compiler 2>/dev/null || echo unknown) |
| hyperfine | $(hyperfine --version) |

Times are hyperfine's wall-clock mean ± standard deviation and minimum, with
a warm page cache ($BENCH_WARMUP warm-up runs for listing, ACPI tables and
overlays, 1 for building); overlays are timed without a shell (\`hyperfine -N\`).
Peak RSS is from one further run under GNU time (\`%M\`); for a pipeline or a
shell script it is that of its largest process.

## Commands measured

EOF
	cat "$WORK/commands.md"
	cat <<EOF

## Targets

| Benchmark | Target | Measured | Met |
| --- | --- | --- | --- |
EOF
	cat "$WORK/targets.md"
	printf '\n'
}

for s in $BENCH_SECTIONS; do
	"bench_$s"
done

[ ! -e "$WORK/failed" ] || die "a step failed (see above): $PAGE left as it was"
mkdir -p "$BENCH_ROOT/docs"
PAGE_TMP=$BENCH_ROOT/docs/.benchmarks.md.tmp.$$
{
	write_header
	cat "$WORK/sections.md"
} >"$PAGE_TMP"
mv -f "$PAGE_TMP" "$PAGE"
PAGE_TMP=
cat "$PAGE"
say "wrote $PAGE"
