# SPDX-License-Identifier: MIT
# tests/qemu/arm64.sh - fetches Debian bookworm's arm64 packages that the
# device-tree suites need (the current linux-image-6.1.0-NN-arm64, behind the
# linux-image-arm64 metapackage, and busybox-static) into $FWKIT_CACHE with a
# private apt configuration, and unpacks them with dpkg -x, never installing
# anything on the (amd64) host.
#
# Sourced:  . tests/qemu/arm64.sh; fwkit_arm64 || die "..."
#   sets ARM64_KERNEL_PKG (linux-image-6.1.0-NN-arm64), ARM64_KERNEL_PKGVER
#   (its Debian version), ARM64_KERNEL_RELEASE (6.1.0-NN-arm64),
#   ARM64_KERNEL_ROOT (the unpacked tree), ARM64_VMLINUZ (boot/vmlinuz-*, a
#   gzip'd arm64 Image), ARM64_DTB_DIR (usr/lib/linux-image-RELEASE, the
#   DTBs by vendor), ARM64_BUSYBOX_PKGVER, ARM64_BUSYBOX (a static aarch64
#   busybox), and ARM64_KERNEL_DEB / ARM64_BUSYBOX_DEB (the cached .debs,
#   empty when only the unpacked tree is left).
# Executed: sh tests/qemu/arm64.sh  prints those variables on stdout.
#
# Cache layout:
#   $FWKIT_CACHE/apt-arm64/{sources.list,status,lists/,cache/}  private apt
#   $FWKIT_CACHE/debs/<package>_<version>_arm64.deb
#   $FWKIT_CACHE/arm64/kernel-VERSION/{boot,lib,usr,.complete}
#   $FWKIT_CACHE/arm64/busybox-VERSION/{bin,usr,.complete}
# A run whose versions are already unpacked touches no network: the only
# look-ups are apt-cache queries of the private lists.  apt-get update runs
# only when there are no lists, when they cannot resolve a package, or when a
# download fails (stale lists name a file the mirror no longer has).  The
# kernel comes from bookworm-security as often as from bookworm itself, so
# both are in the private sources.list.
# Progress goes to stderr as "# arm64: ..." lines, so a TAP consumer ignores
# it; every failure says why on such a line and returns 1.

: "${FWKIT_CACHE:=$( [ "$(id -u)" = 0 ] && echo /var/cache/fwkit || echo "${XDG_CACHE_HOME:-$HOME/.cache}/fwkit")}"

a64_log() { echo "# arm64: $*" >&2; }

# a64_apt TOOL ARGS...: apt-get or apt-cache on the private configuration
# only: arm64 alone, our own lists, cache and (empty) dpkg status.
a64_apt() {
	_tool=$1; shift
	"$_tool" -o Dir::State::Lists="$A64_APT/lists" \
		-o Dir::State::status="$A64_APT/status" \
		-o Dir::Cache="$A64_APT/cache" \
		-o Dir::Etc::SourceList="$A64_APT/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o APT::Architecture=arm64 -o APT::Architectures=arm64 \
		-o APT::Sandbox::User="$(id -un)" -o Acquire::Retries=3 "$@"
}

# a64_update: refresh the private lists.  apt-get update exits 0 when a
# fetch fails; its "Err:" lines tell, and any of them fails the update.
a64_update() {
	a64_log "apt-get update of the private bookworm arm64 lists"
	_log="$A64_APT/update.log"
	if ! a64_apt apt-get -q update > "$_log" 2>&1 || grep -q '^Err:' "$_log"; then
		a64_log "apt-get update failed (network?): $(grep -A1 '^Err:' "$_log" | tail -n 1 | sed 's/^ *//') $(tail -n 1 "$_log")"
		return 1
	fi
	return 0
}

# a64_resolve: the kernel image package named by the candidate
# linux-image-arm64's exact "(= VERSION)" dependency, and busybox-static's
# candidate version.
a64_resolve() {
	_meta=$(a64_apt apt-cache policy linux-image-arm64 2>/dev/null |
		sed -n 's/^ *Candidate: *//p')
	case $_meta in '' | '(none)') return 1 ;; esac
	_dep=$(a64_apt apt-cache show "linux-image-arm64=$_meta" 2>/dev/null |
		sed -n 's/^Depends: *//p' | head -n 1 | tr ',' '\n' |
		sed -n 's/^ *\(linux-image-[0-9][^ ]*-arm64\) *(= *\([^)]*\)).*/\1 \2/p' |
		head -n 1)
	[ -n "$_dep" ] || return 1
	ARM64_KERNEL_PKG=${_dep% *}
	ARM64_KERNEL_PKGVER=${_dep#* }
	ARM64_KERNEL_RELEASE=${ARM64_KERNEL_PKG#linux-image-}
	ARM64_BUSYBOX_PKGVER=$(a64_apt apt-cache policy busybox-static 2>/dev/null |
		sed -n 's/^ *Candidate: *//p')
	case $ARM64_BUSYBOX_PKGVER in '' | '(none)') return 1 ;; esac
	return 0
}

# a64_debname PKG VERSION: the file name apt gives the .deb (an epoch's ':'
# is written %3a).
a64_debname() {
	echo "${1}_$(echo "$2" | sed 's/:/%3a/')_arm64.deb"
}

# a64_fetch PKG VERSION: apt-get download into $FWKIT_CACHE/debs unless a
# good .deb of that exact version is there; prints its path.  The download
# goes to a temp dir first so a broken file never takes the final name.
a64_fetch() {
	_deb="$FWKIT_CACHE/debs/$(a64_debname "$1" "$2")"
	if [ -s "$_deb" ] && dpkg-deb --info "$_deb" > /dev/null 2>&1; then
		echo "$_deb"
		return 0
	fi
	_dl=$(mktemp -d "$FWKIT_CACHE/debs/.dl.XXXXXX") || return 1
	a64_log "downloading $1=$2 (arm64)"
	if (cd "$_dl" && a64_apt apt-get -q download "$1=$2") > "$A64_APT/download.log" 2>&1 &&
		[ -s "$_dl/${_deb##*/}" ] && dpkg-deb --info "$_dl/${_deb##*/}" > /dev/null 2>&1; then
		a64_log "downloaded ${_deb##*/}: $(wc -c < "$_dl/${_deb##*/}") bytes"
		mv -f "$_dl/${_deb##*/}" "$_deb" && rm -rf "$_dl" && echo "$_deb"
		return $?
	fi
	a64_log "apt-get download $1=$2 failed: $(tail -n 2 "$A64_APT/download.log" | tr '\n' ' ')"
	rm -rf "$_dl"
	return 1
}

# a64_is_aarch64 FILE: an ELF whose e_machine is EM_AARCH64 (183).
a64_is_aarch64() {
	[ "$(od -An -N4 -c "$1" | tr -d ' ')" = '177ELF' ] &&
		[ "$(od -An -j18 -N2 -tu2 --endian=little "$1" | tr -d ' ')" = 183 ]
}

# a64_unpack DEB DEST WHAT: dpkg -x into a temp dir beside DEST, check that
# what the suites use is there, then rename into place so a half-unpacked
# tree is never taken for a complete one.
a64_unpack() {
	_tmp=$(mktemp -d "${2%/*}/.unpack.XXXXXX") || return 1
	a64_log "unpacking ${1##*/}"
	if dpkg -x "$1" "$_tmp"; then
		case $3 in
		kernel)
			_ok=
			[ -s "$_tmp/boot/vmlinuz-$ARM64_KERNEL_RELEASE" ] &&
				[ -n "$(find "$_tmp/usr/lib/linux-image-$ARM64_KERNEL_RELEASE" -name '*.dtb' 2>/dev/null | head -n 1)" ] &&
				_ok=1
			_need="boot/vmlinuz-$ARM64_KERNEL_RELEASE and DTBs under usr/lib/linux-image-$ARM64_KERNEL_RELEASE"
			;;
		busybox)
			_ok=
			[ -f "$_tmp/bin/busybox" ] && a64_is_aarch64 "$_tmp/bin/busybox" && _ok=1
			_need="an aarch64 bin/busybox"
			;;
		esac
		if [ -n "$_ok" ] && echo "${1##*/}" > "$_tmp/.complete"; then
			rm -rf "$2" && mv "$_tmp" "$2"
			return $?
		fi
		a64_log "${1##*/} does not unpack to $_need"
	fi
	rm -rf "$_tmp"
	return 1
}

# a64_get PKG VERSION DEST WHAT: make sure DEST holds the unpacked package,
# downloading it (once more after apt-get update) when needed.  Sets _debf
# to the cached .deb, empty if only the tree is cached.
a64_get() {
	_debf="$FWKIT_CACHE/debs/$(a64_debname "$1" "$2")"
	[ -f "$_debf" ] || _debf=
	[ -f "$3/.complete" ] && return 0
	if ! _debf=$(a64_fetch "$1" "$2"); then
		[ -z "$_updated" ] || return 1
		a64_log "download failed (stale package lists?): fetch them anew and retry"
		# a list whose Release is unchanged would be kept as it is
		find "$A64_APT/lists" -maxdepth 1 -type f -name '*_dists_*' -exec rm -f {} +
		a64_update || return 1
		_updated=1
		return 2 # the versions may have moved: the caller resolves again
	fi
	a64_unpack "$_debf" "$3" "$4"
}

a64_locked() {
	for _t in apt-get apt-cache dpkg dpkg-deb od find; do
		command -v "$_t" > /dev/null 2>&1 ||
			{ a64_log "required tool '$_t' not found"; return 1; }
	done
	mkdir -p "$A64_APT/lists/partial" "$A64_APT/cache/archives/partial" \
		"$FWKIT_CACHE/debs" || return 1
	[ -f "$A64_APT/status" ] || : > "$A64_APT/status" || return 1
	cat > "$A64_APT/sources.list" <<-EOF || return 1
	deb http://deb.debian.org/debian bookworm main
	deb http://deb.debian.org/debian bookworm-updates main
	deb http://deb.debian.org/debian-security bookworm-security main
	EOF
	_updated=
	if ! a64_resolve; then
		a64_log "the private lists do not resolve linux-image-arm64 and busybox-static"
		a64_update || return 1
		_updated=1
		a64_resolve ||
			{ a64_log "cannot resolve linux-image-arm64 / busybox-static after apt-get update"; return 1; }
	fi
	for _try in 1 2; do
		_kdest="$FWKIT_CACHE/arm64/kernel-$(echo "$ARM64_KERNEL_PKGVER" | tr ':' '_')"
		_bdest="$FWKIT_CACHE/arm64/busybox-$(echo "$ARM64_BUSYBOX_PKGVER" | tr ':' '_')"
		a64_get "$ARM64_KERNEL_PKG" "$ARM64_KERNEL_PKGVER" "$_kdest" kernel
		_rc=$?
		ARM64_KERNEL_DEB=$_debf
		if [ "$_rc" -eq 0 ]; then
			a64_get busybox-static "$ARM64_BUSYBOX_PKGVER" "$_bdest" busybox
			_rc=$?
			ARM64_BUSYBOX_DEB=$_debf
		fi
		[ "$_rc" -eq 2 ] || break
		a64_resolve ||
			{ a64_log "cannot resolve linux-image-arm64 / busybox-static after apt-get update"; return 1; }
	done
	[ "$_rc" -eq 0 ] || return 1
	ARM64_KERNEL_ROOT=$_kdest
	ARM64_VMLINUZ="$_kdest/boot/vmlinuz-$ARM64_KERNEL_RELEASE"
	ARM64_DTB_DIR="$_kdest/usr/lib/linux-image-$ARM64_KERNEL_RELEASE"
	ARM64_BUSYBOX="$_bdest/bin/busybox"
	[ -s "$ARM64_VMLINUZ" ] && [ -d "$ARM64_DTB_DIR" ] && [ -s "$ARM64_BUSYBOX" ] ||
		{ a64_log "the cache under $FWKIT_CACHE/arm64 is damaged: remove it and rerun"; return 1; }
	return 0
}

# fwkit_arm64: make sure both packages are in the cache and set the
# variables above.  Serialised with flock so two suites never download or
# unpack at once.
fwkit_arm64() {
	A64_APT="$FWKIT_CACHE/apt-arm64"
	ARM64_KERNEL_DEB='' ARM64_BUSYBOX_DEB=''
	mkdir -p "$FWKIT_CACHE/arm64" ||
		{ a64_log "cannot create $FWKIT_CACHE/arm64 (set FWKIT_CACHE to a writable directory)"; return 1; }
	if command -v flock > /dev/null 2>&1; then
		exec 8> "$FWKIT_CACHE/arm64/.lock" || return 1
		flock 8 || return 1
		a64_locked; _rc=$?
		flock -u 8
		exec 8>&-
		return $_rc
	fi
	a64_locked
}

case ${0##*/} in
arm64.sh)
	fwkit_arm64 || exit 1
	for _v in ARM64_KERNEL_PKG ARM64_KERNEL_PKGVER ARM64_KERNEL_RELEASE \
		ARM64_KERNEL_ROOT ARM64_VMLINUZ ARM64_DTB_DIR ARM64_BUSYBOX_PKGVER \
		ARM64_BUSYBOX ARM64_KERNEL_DEB ARM64_BUSYBOX_DEB; do
		eval "echo \"$_v=\$$_v\""
	done
	;;
esac
