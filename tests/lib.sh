# SPDX-License-Identifier: MIT
# tests/lib.sh - sourced by every shell test suite: TAP-style result lines
# ("ok - ..." / "not ok - ...") that tests/run.sh counts, and loud failure
# for anything a suite needs but cannot get (never a silent skip).

T_PASS=0
T_FAIL=0
: "${FWKIT:?FWKIT must name the fwkit binary under test}"
: "${FWKIT_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FWKIT_CACHE:=$( [ "$(id -u)" = 0 ] && echo /var/cache/fwkit || echo "${XDG_CACHE_HOME:-$HOME/.cache}/fwkit")}"
export FWKIT FWKIT_ROOT FWKIT_CACHE

# Result lines go to fd 3, the suite's own stdout, so that a redirection on
# a checked command (expect_exit 0 "..." cmd >/dev/null) cannot swallow them.
exec 3>&1
ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*" >&3; }
notok() { T_FAIL=$((T_FAIL + 1)); echo "not ok - $*" >&3; }

# check DESC CMD...: passes when CMD exits 0.
check() {
	_d=$1; shift
	if "$@"; then ok "$_d"; else notok "$_d"; fi
}

# expect_exit CODE DESC CMD...: passes when CMD exits with CODE.
expect_exit() {
	_c=$1 _d=$2; shift 2
	"$@"; _rc=$?
	if [ "$_rc" -eq "$_c" ]; then ok "$_d"; else notok "$_d (exit $_rc, want $_c)"; fi
}

# check_same DESC WANT GOT: passes when the two files are identical; else
# the head of their diff follows as comments.
check_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		notok "$1"
		diff "$2" "$3" | head -n 10 | sed 's/^/#   /' >&3
	fi
}

# A prerequisite is missing or setup failed: the suite fails, loudly.
die() { echo "not ok - SETUP: $*"; echo "# suite aborted"; exit 1; }

need() {
	for _t in "$@"; do
		command -v "$_t" >/dev/null 2>&1 || die "required tool '$_t' not found (run 'make deps')"
	done
}

finish() {
	echo "# $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
