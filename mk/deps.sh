#!/bin/sh
# SPDX-License-Identifier: MIT
# mk/deps.sh [build|demo|check|bench] - install the Debian packages fwkit needs
# for a job, when any is missing: one `apt-get update`, then `apt-get install -y`.
set -eu

build="gcc make libc6-dev binutils pkg-config libfdt-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev liblz4-dev liblzo2-dev libssl-dev"
# Tests: cmocka, clang's libFuzzer and sanitizers, the reference tools fwkit
# is compared with, what the QEMU boot tests run, and GRUB to make the
# multiboot2 boot image (grub-mkrescue needs xorriso and mtools).
check="$build libcmocka-dev clang libclang-rt-14-dev cpio libarchive-tools iucode-tool
	initramfs-tools busybox-static qemu-system-x86 python3 zstd xz-utils gzip bzip2 lz4 lzop
	man-db kmod util-linux acpica-tools tpm2-tools udev openssl
	device-tree-compiler qemu-system-arm grub-pc-bin grub-common xorriso mtools"
demo="$build cpio iucode-tool acpica-tools openssl device-tree-compiler"
bench="$check hyperfine time jq file"

case "${1:-check}" in
build) want=$build ;;
demo) want=$demo ;;
check) want=$check ;;
bench) want=$bench ;;
*) echo "usage: mk/deps.sh build|demo|check|bench" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

echo "fwkit: installing missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "fwkit: not root; run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "fwkit: running apt-get update, then apt-get install -y$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "fwkit: packages installed"
