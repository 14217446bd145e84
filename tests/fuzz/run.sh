#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/fuzz/run.sh BUILD SECONDS - for each harness BUILD/fuzz/fuzz_NAME,
# replay every crash saved in tests/fuzz/regressions/NAME/, then fuzz for
# SECONDS seconds from a copy of tests/fuzz/corpus/NAME/; TAP lines, and a
# non-zero exit on any crash.  A new crash input is saved into
# tests/fuzz/regressions/NAME/, so from then on it is replayed every time.
set -u

usage() { echo "usage: $0 BUILD SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
case $2 in '' | *[!0-9]*) usage ;; esac
[ "$2" -ge 1 ] || usage
SECS=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $1 in /*) B=$1 ;; *) B=$ROOT/$1 ;; esac

# UBSan must stop at the first report, whatever the caller set before.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fwkit-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

fail=0
harnesses=0

# Print the tail of a log as TAP comments.
show() { tail -n "$2" "$1" | sed 's/^/# /'; }

for h in "$B"/fuzz/fuzz_*; do
	if [ ! -f "$h" ] || [ ! -x "$h" ]; then continue; fi
	harnesses=$((harnesses + 1))
	harness=$(basename "$h")
	name=${harness#fuzz_}
	reg=$ROOT/tests/fuzz/regressions/$name
	seeds=$ROOT/tests/fuzz/corpus/$name
	work=$TMP/$name
	mkdir -p "$work/corpus" "$work/artifacts"

	# 1. Every saved crash input, one run each.
	n=0 bad=0
	for f in "$reg"/*; do
		[ -f "$f" ] || continue
		case $(basename "$f") in README*) continue ;; esac
		n=$((n + 1))
		if ! "$h" -timeout=25 "$f" > "$work/replay.log" 2>&1; then
			bad=$((bad + 1))
			echo "not ok - $harness: regression ${f#"$ROOT"/} still crashes"
			show "$work/replay.log" 30
		fi
	done
	if [ "$bad" -eq 0 ]; then
		echo "ok - $harness: regressions replayed ($n)"
	else
		fail=1
	fi

	# 2. Fuzz from a scratch copy of the seeds: the new units stay out of
	# the repository.
	if [ -d "$seeds" ]; then
		cp -R "$seeds/." "$work/corpus/"
	else
		echo "# $harness: no seed corpus in ${seeds#"$ROOT"/}"
	fi
	"$h" -max_total_time="$SECS" -max_len=65536 -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" "$work/corpus" > "$work/fuzz.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
	crash=
	for a in "$work/artifacts"/crash-* "$work/artifacts"/leak-* \
		 "$work/artifacts"/timeout-* "$work/artifacts"/oom-*; do
		[ -f "$a" ] && { crash=$a; break; }
	done
	if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
		echo "ok - $harness: $SECS s without a crash, ${execs:-0} execs"
		continue
	fi
	fail=1
	if [ -n "$crash" ]; then
		mkdir -p "$reg"
		cp "$crash" "$reg/"
		echo "not ok - $harness: crash after ${execs:-?} execs, input saved as" \
			"tests/fuzz/regressions/$name/$(basename "$crash")"
	else
		echo "not ok - $harness: the fuzzer exited $rc and left no crash input"
	fi
	show "$work/fuzz.log" 40
done

if [ "$harnesses" -eq 0 ]; then
	echo "not ok - no fuzz harness built in $B/fuzz (make fuzz-build)"
	exit 1
fi
exit "$fail"
