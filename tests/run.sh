#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/run.sh BUILD - run every test suite under ASan/UBSan and print one
# summary line, "check: N passed, N failed".  A suite that exits non-zero
# without reporting a failed test counts as one failure, so a crash or a
# missing prerequisite can never pass silently.
set -u
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export FWKIT="$ROOT/$B/fwkit-asan" FWKIT_ROOT="$ROOT" FWKIT_BUILD="$ROOT/$B"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CMOCKA_MESSAGE_OUTPUT=TAP
LOG="$ROOT/$B/check.log"
: > "$LOG"
pass=0 fail=0

run_suite() {
	name=$1; shift
	echo "== $name"
	out="$ROOT/$B/suite-$name.log"
	start=$(date +%s)
	"$@" > "$out" 2>&1
	rc=$?
	cat "$out"; cat "$out" >> "$LOG"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - suite $name exited $rc without naming a failed test"
		f=1
	fi
	# A suite's own "# N passed, M failed" must agree with what was counted.
	own=$(sed -n 's/^# \([0-9]*\) passed, [0-9]* failed$/\1/p' "$out" | tail -n 1)
	if [ -n "$own" ] && [ "$own" -ne "$p" ]; then
		echo "not ok - suite $name reports $own passed but printed $p result lines"
		f=$((f + 1))
	fi
	pass=$((pass + p)); fail=$((fail + f))
	echo "== $name: $p passed, $f failed ($(( $(date +%s) - start )) s)"
}

for t in "$ROOT/$B"/tests/test_*; do
	run_suite "unit-$(basename "$t")" "$t"
done
for s in tests/cli/*.sh tests/real/*.sh tests/qemu/boot-*.sh; do
	[ -f "$ROOT/$s" ] || continue
	run_suite "$(basename "$(dirname "$s")")-$(basename "$s" .sh)" sh "$ROOT/$s"
done
run_suite fuzz-smoke sh "$ROOT/tests/fuzz/run.sh" "$B" "${FUZZ_SMOKE_SECONDS:-10}"

echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
