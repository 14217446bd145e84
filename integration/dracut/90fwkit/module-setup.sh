#!/bin/bash
# SPDX-License-Identifier: MIT
# dracut module "fwkit": puts the fixed ACPI tables of /etc/fwkit/acpi (*.aml,
# or *.dsl compiled with `fwkit acpi compile`), checked by `fwkit acpi pack`,
# into dracut's early uncompressed cpio as kernel/firmware/acpi/<name>.aml,
# and installs fwkit with a pre-udev hook that runs `fwkit boot verify`.
#
# Settings (environment, or a dracut.conf.d file, which dracut sources):
#   FWKIT_ACPI_DIR      where the tables are (default /etc/fwkit/acpi)
#   FWKIT_BIN           the fwkit binary (default: fwkit on PATH, then
#                       /usr/local/bin/fwkit; dracut resets PATH)
#   FWKIT_ACPI_AGAINST  firmware tables to plan against (default
#                       /sys/firmware/acpi/tables); empty skips the warning
#
# dracut has no module interface for its early cpio: it archives the tree
# "$early_cpio_dir/d" in front of the main image when create_early_cpio is
# "yes", after every module's install().  Those two variables of dracut's
# are what this module uses; dracut only makes early_cpio_dir when
# early_microcode or acpi_override is on, so the module makes it otherwise.

# dracut sets moddir, kernel, DRACUT_TMPDIR, early_cpio_dir, acpi_override
# and acpi_table_dir, and reads create_early_cpio after install().
# shellcheck disable=SC2154,SC2034

# fwkit_acpi_sources: the table sources, one per line, in name order.
fwkit_acpi_sources() {
    local dir=${FWKIT_ACPI_DIR:-/etc/fwkit/acpi} f
    [[ -d $dir ]] || return 0
    for f in "$dir"/*.aml "$dir"/*.AML "$dir"/*.dsl "$dir"/*.DSL; do
        [[ -f $f ]] && printf '%s\n' "$f"
    done
    return 0
}

# fwkit_binary: the fwkit executable to run and to install.
fwkit_binary() {
    local c
    for c in "${FWKIT_BIN:-}" "$(command -v fwkit 2> /dev/null)" /usr/local/bin/fwkit \
        /usr/local/sbin/fwkit /usr/bin/fwkit /usr/sbin/fwkit; do
        if [[ -n $c && -x $c ]]; then
            printf '%s\n' "$c"
            return 0
        fi
        # an explicit FWKIT_BIN that is not there is an error, not a hint
        [[ -n ${FWKIT_BIN:-} ]] && return 1
    done
    return 1
}

# fwkit_die MESSAGE: stop the whole dracut run (install()'s status is not
# checked by dracut) with one line naming the problem.
fwkit_die() {
    dfatal "fwkit: $*"
    exit 1
}

# fwkit_die_with TEXT [PATH LEAD]: stop with fwkit's own lines (each names
# the file and the field) without their "fwkit: " prefix; PATH, the temp
# name of a compiled table, is replaced by LEAD.
fwkit_die_with() {
    local line said=
    while IFS= read -r line; do
        line=${line#fwkit: }
        [[ -n ${2:-} ]] && line=${3:-}${line#"$2": }
        if [[ -n $line ]]; then
            dfatal "fwkit: $line"
            said=1
        fi
    done <<< "$1"
    [[ -n $said ]] || dfatal "fwkit: fwkit failed on ${3:-the ACPI tables} and said nothing"
    exit 1
}

# Included whenever there are tables to ship; otherwise only on request.
check() {
    [[ -n $(fwkit_acpi_sources) ]] || return 255
    return 0
}

depends() {
    return 0
}

install() {
    local fw tmp src base aml name out against line
    local -a sources tables
    local dir=${FWKIT_ACPI_DIR:-/etc/fwkit/acpi}

    mapfile -t sources < <(fwkit_acpi_sources)
    ((${#sources[@]} > 0)) || return 0

    fw=$(fwkit_binary) ||
        fwkit_die "$dir holds ACPI tables but no fwkit binary was found (install fwkit or set FWKIT_BIN)"
    tmp=$(mktemp -d "${DRACUT_TMPDIR:-/var/tmp}/fwkit.XXXXXX") ||
        fwkit_die "cannot create a temporary directory"
    mkdir "$tmp/dsl" "$tmp/out"

    for src in "${sources[@]}"; do
        base=${src##*/}
        case $base in
            *.dsl | *.DSL)
                aml="$tmp/dsl/${base%.*}.aml"
                # fwkit names the source and line of each iasl error
                out=$("$fw" acpi compile "$src" -o "$aml" 2>&1 > /dev/null) ||
                    fwkit_die_with "$out"
                # compiled, but the kernel could still reject the table (a
                # signature off its list, say): name the source
                out=$("$fw" acpi pack -o "$tmp/one.cpio" "$aml" 2>&1 > /dev/null) ||
                    fwkit_die_with "$out" "$aml" "$src: compiled, but "
                ;;
            *)
                aml=$src
                ;;
        esac
        name=${aml##*/}
        if [[ -e $tmp/out/$name ]]; then
            fwkit_die "$src: another file in $dir also ships as kernel/firmware/acpi/$name; keep one"
        fi
        : > "$tmp/out/$name"
        tables+=("$aml")
        dinfo "fwkit: adding ACPI table $src as kernel/firmware/acpi/$name"
    done

    out=$("$fw" acpi pack -o "$tmp/acpi.cpio" "${tables[@]}" 2>&1 > /dev/null) ||
        fwkit_die_with "$out"

    against=${FWKIT_ACPI_AGAINST-/sys/firmware/acpi/tables}
    if [[ -n $against && -r $against ]]; then
        if ! out=$("$fw" acpi check --against "$against" "${tables[@]}" 2>&1); then
            dwarn "fwkit: not every table in $dir would take effect on this machine ($against):"
            while IFS= read -r line; do
                # a compiled table is named by its source
                if [[ $line == "$tmp/dsl/"*.aml:* ]]; then
                    line=${line#"$tmp/dsl/"}
                    src="$dir/${line%%.aml:*}.dsl"
                    [[ -f $src ]] || src="$dir/${line%%.aml:*}.DSL"
                    line="$src (compiled):${line#*.aml:}"
                fi
                dwarn "  $line"
            done <<< "$out"
        fi
    fi
    if ! check_kernel_config CONFIG_ACPI_TABLE_UPGRADE; then
        dwarn "fwkit: kernel $kernel has no CONFIG_ACPI_TABLE_UPGRADE: it will ignore the tables in $dir"
    fi

    # The early cpio: dracut's own tree when it has one, else one made here
    # where dracut looks for it.
    if [[ -z ${early_cpio_dir:-} ]]; then
        early_cpio_dir="${DRACUT_TMPDIR:?}/earlycpio"
    fi
    mkdir -p "$early_cpio_dir/d/kernel/firmware/acpi" ||
        fwkit_die "cannot create $early_cpio_dir/d/kernel/firmware/acpi"
    for aml in "${tables[@]}"; do
        name=${aml##*/}
        if [[ ${acpi_override:-} == yes && -n ${acpi_table_dir:-} && -e $acpi_table_dir/$name ]]; then
            dwarn "fwkit: dracut's acpi_table_dir also has $name; dracut's copy will replace $aml"
        fi
        cp -- "$aml" "$early_cpio_dir/d/kernel/firmware/acpi/$name" &&
            chmod 0644 "$early_cpio_dir/d/kernel/firmware/acpi/$name" ||
            fwkit_die "cannot copy $aml into the early cpio"
    done
    create_early_cpio="yes"

    inst_binary "$fw" /usr/bin/fwkit || fwkit_die "cannot install $fw into the initramfs"
    inst_hook pre-udev 05 "$moddir/fwkit-verify.sh"
    rm -rf -- "$tmp"
}
