#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/install.sh - `make install` gives a usable command, library,
# headers, pkg-config file and man page; a program builds against them.
. "$(dirname "$0")/../lib.sh"
need make cc pkg-config man
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
D="$W/dest"

make -s -C "$FWKIT_ROOT" install DESTDIR="$D" PREFIX=/usr > "$W/log" 2>&1 || { cat "$W/log"; die "make install failed"; }
for f in bin/fwkit lib/libfwkit.a lib/pkgconfig/fwkit.pc include/fwkit/cpio.h \
	 include/fwkit/initrd.h include/fwkit/initrd_image.h include/fwkit/env.h \
	 include/fwkit/error.h include/fwkit/acpi.h include/fwkit/taint.h \
	 include/fwkit/sha256.h share/man/man1/fwkit.1; do
	check "installed /usr/$f" test -s "$D/usr/$f"
done
for f in etc/initramfs-tools/hooks/fwkit etc/initramfs-tools/scripts/init-top/fwkit \
	 usr/lib/dracut/modules.d/90fwkit/module-setup.sh \
	 usr/lib/dracut/modules.d/90fwkit/fwkit-verify.sh; do
	check "installed executable /$f" test -x "$D/$f"
done
check "the man page renders" sh -c "man -l '$D/usr/share/man/man1/fwkit.1' 2>/dev/null | grep -q 'fwkit initrd ls'"
check "the installed command runs" "$D/usr/bin/fwkit" --version

cat > "$W/use.c" <<'C'
#include <fwkit/initrd.h>
#include <stdio.h>
int main(void)
{
	static unsigned char buf[1024];
	struct cpio_writer w;
	struct initrd_scanner s;
	struct initrd_segment seg;

	cpio_writer_init(&w, buf, sizeof(buf), 0, 0);
	if (cpio_writer_add_file(&w, "hello", 0644, "hi", 2, 0) || cpio_writer_finish(&w, 0))
		return 1;
	initrd_scan_init(&s, buf, w.off);
	if (initrd_next_segment(&s, &seg) != 1 || seg.entries != 1)
		return 1;
	printf("%s %u\n", initrd_format_name(seg.format), seg.entries);
	return 0;
}
C
export PKG_CONFIG_PATH="$D/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
if cc -std=c11 -o "$W/use" "$W/use.c" $(pkg-config --cflags fwkit) \
	$(pkg-config --libs --static fwkit) 2> "$W/cc.log"; then
	ok "a program compiles and links against the installed library via pkg-config"
else
	notok "building against the installed library: $(cat "$W/cc.log")"
fi
check "and runs: one cpio segment with one entry" test "$("$W/use")" = "cpio 1"
finish
