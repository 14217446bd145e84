#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut pre-udev hook of fwkit: runs `fwkit boot verify`, which confirms that
# each ACPI table under /kernel/firmware/acpi (unpacked from the early cpio)
# took effect, taints the kernel ('A') and appends /run/fwkit/ledger.json, or
# warns why a table did not.  dracut sources this file: it never exits and
# never fails the boot.

type warn > /dev/null 2>&1 || . /lib/dracut-lib.sh

# fwkit writes its findings to the kernel log itself; its output also goes
# to the console unless all is well and the boot is quiet.
if [ -x /usr/bin/fwkit ]; then
    fwkit_out=$(/usr/bin/fwkit boot verify --root / 2>&1)
    fwkit_rc=$?
    check_quiet
    if [ -n "$fwkit_out" ] && { [ "$fwkit_rc" -ne 0 ] || [ "$DRACUT_QUIET" != yes ]; }; then
        printf '%s\n' "$fwkit_out" >&2
    fi
    if [ "$fwkit_rc" -ne 0 ]; then
        warn "fwkit: not every ACPI table in the initramfs took effect (boot verify exited $fwkit_rc); booting on"
    fi
    unset fwkit_out fwkit_rc
fi
