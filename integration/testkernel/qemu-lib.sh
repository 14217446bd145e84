# SPDX-License-Identifier: MIT
# qemu-lib.sh - sourced by the test kernel's QEMU tests (tests/qemu/boot-
# multiboot.sh, tests/qemu/boot-grub-mb2.sh) and the demo: boot the kernel
# on QEMU's x86-64 pc machine and read what it printed on the serial port
# (the format is described at the top of integration/testkernel/main.c).
#
#   tk_accel                 sets TK_ACCEL: FWKIT_QEMU_ACCEL (kvm or tcg)
#                            when set, else kvm when /dev/kvm is usable and
#                            the CPU has vmx/svm, else tcg
#   tk_qemu DIR LOG ARGS...  runs qemu-system-x86_64 in DIR (so -initrd
#                            names are relative to it) with the machine
#                            below plus ARGS; LOG gets the serial output
#                            with CRs removed, LOG.qemu QEMU's own output;
#                            sets TK_RC (QEMU's status: (code << 1) | 1 for
#                            the kernel's exit code, 124 for the timeout)
#                            and TK_SECS (wall time, 0.1 s)
#   tk_section LOG BEGIN END the lines strictly between the two marker lines
#   tk_report LOG            the report section
#   tk_info LOG KEY          what follows "boot-info: KEY " (first match)
#   tk_line LOG PREFIX       the first line starting with PREFIX, PREFIX cut
#   tk_module LOG I          boot-info's line for module I, "module I: " cut
#   tk_quote STRING          STRING as the kernel quotes it (tk_put_quoted)
#
# The machine: -m 256, no display, -no-reboot (a triple fault ends QEMU
# instead of looping), isa-debug-exit at 0xf4 for the kernel's exit code,
# COM1 to LOG, and a 60 s timeout.  A boot takes well under a second.

tk_accel() {
	case ${FWKIT_QEMU_ACCEL:-} in
	kvm | tcg) TK_ACCEL=$FWKIT_QEMU_ACCEL ;;
	*)
		TK_ACCEL=tcg
		if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qw -e vmx -e svm /proc/cpuinfo; then
			TK_ACCEL=kvm
		fi
		;;
	esac
}

tk_qemu() {
	_tk_dir=$1 _tk_log=$2
	shift 2
	[ -n "${TK_ACCEL:-}" ] || tk_accel
	_tk_t0=$(date +%s.%N)
	# The kernel exits QEMU with a non-zero status even on success, so
	# the status is kept, not allowed to stop a caller running set -e.
	# shellcheck disable=SC2034 # read by the sourcing test
	TK_RC=0
	(cd "$_tk_dir" && exec timeout 60 qemu-system-x86_64 -accel "$TK_ACCEL" -m 256 \
		-display none -no-reboot -serial "file:$_tk_log.raw" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@") \
		< /dev/null > "$_tk_log.qemu" 2>&1 || TK_RC=$?
	# shellcheck disable=SC2034
	TK_SECS=$(awk -v a="$_tk_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	tr -d '\r' < "$_tk_log.raw" > "$_tk_log" 2> /dev/null || : > "$_tk_log"
}

tk_section() {
	awk -v b="$2" -v e="$3" '
		$0 == e && on { exit }
		on { print }
		index($0, b) == 1 { on = 1 }' "$1"
}

tk_report() { tk_section "$1" "--- fwkit boot report ---" "--- end of report ---"; }

tk_info() { tk_line "$1" "boot-info: $2 "; }

tk_line() {
	awk -v p="$2" 'index($0, p) == 1 { print substr($0, length(p) + 1); exit }' "$1"
}

tk_module() { tk_line "$1" "boot-info: module $2: "; }

tk_quote() {
	printf '%s' "$1" | od -An -v -tu1 | awk '
		BEGIN { printf "\"" }
		{ for (i = 1; i <= NF; i++) {
			c = $i + 0
			if (c >= 32 && c <= 126 && c != 34 && c != 92) printf "%c", c
			else printf "\\x%02x", c
		} }
		END { printf "\"\n" }'
}
