# SPDX-License-Identifier: MIT
# tests/qemu/kernel.sh - fetches Debian's current x86-64 kernel package (the
# one behind the linux-image-amd64 metapackage) into $FWKIT_CACHE and unpacks
# it with dpkg -x, never installing it on the host.
#
# Sourced:  . tests/qemu/kernel.sh; fwkit_kernel || die "..."
#   sets KERNEL_PKG (linux-image-6.1.0-NN-amd64), KERNEL_PKGVER (its Debian
#   version), KERNEL_RELEASE (6.1.0-NN-amd64, what `uname -r` would say),
#   KERNEL_ROOT (the unpacked tree), VMLINUZ, KERNEL_CONFIG (boot/config-*)
#   and KERNEL_MODULES (lib/modules/RELEASE, with modules.dep generated).
# Executed: sh tests/qemu/kernel.sh  prints the vmlinuz path on stdout.
#
# Cache layout, keyed by the image package's Debian version:
#   $FWKIT_CACHE/debs/linux-image-*_VERSION_amd64.deb
#   $FWKIT_CACHE/kernel/VERSION/{boot,lib,usr,.complete}
# A run whose version is already unpacked touches no network: the only
# look-ups are apt-cache queries of the local package lists.  apt-get update
# runs only when those lists cannot resolve the metapackage or the download
# fails (stale lists name a file the mirror no longer has).
# Progress goes to stderr as "# ..." lines, so a TAP consumer ignores it.

: "${FWKIT_CACHE:=$( [ "$(id -u)" = 0 ] && echo /var/cache/fwkit || echo "${XDG_CACHE_HOME:-$HOME/.cache}/fwkit")}"

fk_log() { echo "# kernel: $*" >&2; }

# fk_resolve: fill KERNEL_PKG/KERNEL_PKGVER/KERNEL_RELEASE from the local
# package lists: the candidate linux-image-amd64 names its image package with
# an exact "(= VERSION)" dependency.
fk_resolve() {
	_meta=$(apt-cache policy linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Candidate: *//p')
	case $_meta in '' | '(none)') return 1 ;; esac
	_dep=$(apt-cache show "linux-image-amd64=$_meta" 2>/dev/null |
		sed -n 's/^Depends: *//p' | head -n 1 | tr ',' '\n' |
		sed -n 's/^ *\(linux-image-[0-9][^ ]*\) *(= *\([^)]*\)).*/\1 \2/p' |
		head -n 1)
	[ -n "$_dep" ] || return 1
	KERNEL_PKG=${_dep% *}
	KERNEL_PKGVER=${_dep#* }
	KERNEL_RELEASE=${KERNEL_PKG#linux-image-}
	return 0
}

# fk_fetch DEBDIR: apt-get download the resolved package into DEBDIR unless a
# .deb of that exact version is already there; prints the .deb path.
fk_fetch() {
	_debdir=$1
	# apt encodes an epoch's ':' as %3a in file names.
	_deb="$_debdir/${KERNEL_PKG}_$(echo "$KERNEL_PKGVER" | sed 's/:/%3a/')_amd64.deb"
	if [ -s "$_deb" ] && dpkg-deb --info "$_deb" >/dev/null 2>&1; then
		echo "$_deb"
		return 0
	fi
	_dl=$(mktemp -d "$_debdir/.dl.XXXXXX") || return 1
	fk_log "downloading $KERNEL_PKG=$KERNEL_PKGVER"
	# _apt cannot write into a root-only cache dir: download as the caller.
	if (cd "$_dl" && apt-get download -q -o APT::Sandbox::User="$(id -un)" \
		"$KERNEL_PKG=$KERNEL_PKGVER" >&2) &&
		[ -s "$_dl/${_deb##*/}" ] && dpkg-deb --info "$_dl/${_deb##*/}" >/dev/null 2>&1; then
		mv -f "$_dl/${_deb##*/}" "$_deb" && rm -rf "$_dl" && echo "$_deb"
		return $?
	fi
	rm -rf "$_dl"
	return 1
}

# fk_unpack DEB DEST: dpkg -x into a temp dir beside DEST, generate
# modules.dep (what the package's postinst would do), then rename into place
# so a half-unpacked tree is never taken for a complete one.
fk_unpack() {
	_tmp=$(mktemp -d "${2%/*}/.unpack.XXXXXX") || return 1
	fk_log "unpacking ${1##*/}"
	if dpkg -x "$1" "$_tmp" &&
		[ -f "$_tmp/boot/vmlinuz-$KERNEL_RELEASE" ] &&
		[ -f "$_tmp/boot/config-$KERNEL_RELEASE" ] &&
		[ -d "$_tmp/lib/modules/$KERNEL_RELEASE" ] &&
		depmod -b "$_tmp" "$KERNEL_RELEASE" &&
		[ -s "$_tmp/lib/modules/$KERNEL_RELEASE/modules.dep" ] &&
		echo "$KERNEL_PKG $KERNEL_PKGVER" > "$_tmp/.complete"; then
		rm -rf "$2" && mv "$_tmp" "$2"
		return $?
	fi
	fk_log "$1 does not unpack to boot/vmlinuz-$KERNEL_RELEASE, boot/config-$KERNEL_RELEASE and lib/modules/$KERNEL_RELEASE"
	rm -rf "$_tmp"
	return 1
}

fk_locked() {
	[ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] ||
		{ fk_log "needs an amd64 Debian host (dpkg --print-architecture)"; return 1; }
	for _t in apt-get apt-cache dpkg dpkg-deb depmod; do
		command -v "$_t" >/dev/null 2>&1 ||
			{ fk_log "required tool '$_t' not found"; return 1; }
	done
	_updated=
	if ! fk_resolve; then
		fk_log "local package lists do not resolve linux-image-amd64: apt-get update"
		# a failing third-party source makes apt-get update exit non-zero
		# although Debian's lists arrived: judge by the resolve alone
		apt-get update -q >&2; _updated=1
		fk_resolve ||
			{ fk_log "cannot resolve linux-image-amd64 to an image package"; return 1; }
	fi
	_dest="$FWKIT_CACHE/kernel/$(echo "$KERNEL_PKGVER" | tr ':' '_')"
	if [ ! -f "$_dest/.complete" ]; then
		mkdir -p "$FWKIT_CACHE/debs" || return 1
		if ! _debf=$(fk_fetch "$FWKIT_CACHE/debs"); then
			[ -z "$_updated" ] || { fk_log "apt-get download $KERNEL_PKG failed"; return 1; }
			fk_log "download failed (stale package lists?): apt-get update and retry"
			apt-get update -q >&2
			fk_resolve || { fk_log "cannot resolve linux-image-amd64 after apt-get update"; return 1; }
			_dest="$FWKIT_CACHE/kernel/$(echo "$KERNEL_PKGVER" | tr ':' '_')"
			if [ ! -f "$_dest/.complete" ]; then
				_debf=$(fk_fetch "$FWKIT_CACHE/debs") ||
					{ fk_log "apt-get download $KERNEL_PKG failed"; return 1; }
			fi
		fi
		if [ ! -f "$_dest/.complete" ]; then
			fk_unpack "$_debf" "$_dest" || return 1
		fi
	fi
	KERNEL_ROOT=$_dest
	VMLINUZ="$_dest/boot/vmlinuz-$KERNEL_RELEASE"
	KERNEL_CONFIG="$_dest/boot/config-$KERNEL_RELEASE"
	KERNEL_MODULES="$_dest/lib/modules/$KERNEL_RELEASE"
	[ -s "$VMLINUZ" ] || { fk_log "$VMLINUZ missing: remove $_dest and rerun"; return 1; }
	return 0
}

# fwkit_kernel: make sure the kernel is in the cache and set the variables
# above.  Serialised with flock so two suites never unpack at once.
fwkit_kernel() {
	mkdir -p "$FWKIT_CACHE/kernel" || { fk_log "cannot create $FWKIT_CACHE/kernel"; return 1; }
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$FWKIT_CACHE/kernel/.lock" || return 1
		flock 9 || return 1
		fk_locked; _rc=$?
		flock -u 9
		exec 9>&-
		return $_rc
	fi
	fk_locked
}

case ${0##*/} in
kernel.sh)
	fwkit_kernel || exit 1
	echo "$VMLINUZ"
	;;
esac
