#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/taint.sh - fwkit taint decode|show as a user drives them: every
# Linux taint bit with the letter Linux documents, text and JSON forms, the
# ledger file (missing, valid, malformed), and the TCG event log that
# tpm2_eventlog (tpm2-tools) must read back with each record's SHA-256.
. "$(dirname "$0")/../lib.sh"
need python3 tpm2_eventlog sha256sum
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# Linux's Documentation/admin-guide/tainted-kernels.rst, table "Bit Log
# Number Reason that got the kernel tainted" (bit, letter, name in
# include/linux/panic.h):
LINUX_TAINTS='0 P PROPRIETARY_MODULE
1 F FORCED_MODULE
2 S CPU_OUT_OF_SPEC
3 R FORCED_RMMOD
4 M MACHINE_CHECK
5 B BAD_PAGE
6 U USER
7 D DIE
8 A OVERRIDDEN_ACPI_TABLE
9 W WARN
10 C CRAP
11 I FIRMWARE_WORKAROUND
12 O OOT_MODULE
13 E UNSIGNED_MODULE
14 L SOFTLOCKUP
15 K LIVEPATCH
16 X AUX
17 T RANDSTRUCT
18 N TEST
19 J FWCTL'

# json_ok FILE PYTHON: FILE parses as strict UTF-8 JSON into j, then PYTHON
# (assertions) runs; exit 0 when all hold.
json_ok() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
j = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
exec(sys.argv[2])
EOF
}

# --- decode ------------------------------------------------------------------
"$FWKIT" taint decode 0 > "$W/out" 2> "$W/err"
rc=$?
check "decode 0: exit 0 ($rc), 'not tainted', no bit lines" \
	sh -c "[ $rc -eq 0 ] && grep -q 'not tainted' '$W/out' && ! grep -q ' bit ' '$W/out' && [ ! -s '$W/err' ]"

"$FWKIT" taint decode 256 > "$W/out"
rc=$?
check "decode 256: exit 0, one bit line: A, bit 8, OVERRIDDEN_ACPI_TABLE" \
	sh -c "[ $rc -eq 0 ] && [ \$(grep -c ' bit ' '$W/out') -eq 1 ] &&
		grep -Eq '^ *A +bit +8 +OVERRIDDEN_ACPI_TABLE' '$W/out'"
check "decode 256: the taint string has A in column 8, G in column 0" \
	grep -q '^tainted: 256 (G       A           )$' "$W/out"
"$FWKIT" taint decode 2048 > "$W/out"
check "decode 2048: letter I, bit 11, FIRMWARE_WORKAROUND" \
	grep -Eq '^ *I +bit +11 +FIRMWARE_WORKAROUND' "$W/out"
"$FWKIT" taint decode 0x100 > "$W/hex" && "$FWKIT" taint decode 256 > "$W/dec"
check_same "decode 0x100 is decode 256" "$W/dec" "$W/hex"

# Every single bit: the letter and name Linux documents, as text and JSON.
while read -r bit letter name; do
	mask=$((1 << bit))
	"$FWKIT" taint decode "$mask" > "$W/out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(grep -c ' bit ' "$W/out")" -eq 1 ] &&
	   grep -Eq "^ *$letter +bit +$bit +$name( |\$)" "$W/out"; then
		ok "decode $mask: bit $bit is '$letter' $name"
	else
		notok "decode $mask: bit $bit should be '$letter' $name; got: $(tr '\n' '|' < "$W/out")"
	fi
	"$FWKIT" taint decode --json "$mask" > "$W/j" 2>&1
	check "decode --json $mask: bits [{bit $bit, letter $letter, name $name}], letters[$bit] = $letter" \
		json_ok "$W/j" "
assert j['tainted'] == $mask, j
assert [(b['bit'], b['letter'], b['name']) for b in j['bits']] == [($bit, '$letter', '$name')], j['bits']
assert isinstance(j['bits'][0]['what'], str) and j['bits'][0]['what']
assert j['letters'][$bit] == '$letter', repr(j['letters'])
assert j['letters'][0] == ('$letter' if $bit == 0 else 'G'), repr(j['letters'])
"
done <<EOF
$LINUX_TAINTS
EOF
# Several bits at once, and the taint string print_tainted() shows.
"$FWKIT" taint decode --json $(( (1 << 0) | (1 << 8) | (1 << 11) | (1 << 12) )) > "$W/j"
check "decode --json P+A+I+O: four bits in order, letters 'P       A  IO       '" json_ok "$W/j" "
assert [b['letter'] for b in j['bits']] == ['P', 'A', 'I', 'O'], j['bits']
assert j['letters'] == 'P       A  IO       ', repr(j['letters'])
"
"$FWKIT" taint decode --json 0 > "$W/j"
check "decode --json 0: no bits, letters all clear ('G' then blanks)" json_ok "$W/j" "
assert j['tainted'] == 0 and j['bits'] == [], j
assert j['letters'].strip() == 'G', repr(j['letters'])
"
"$FWKIT" taint decode --json 9223372036854775808 > "$W/j"
check "decode --json 2^63: a bit Linux does not define is listed as unknown" json_ok "$W/j" "
assert j['tainted'] == 1 << 63, j
assert [(b['bit'], b['name']) for b in j['bits']] == [(63, 'unknown')], j['bits']
"

for arg in abc '' 12abc 0x 18446744073709551616 '1 2' 2.5; do
	"$FWKIT" taint decode "$arg" > "$W/out" 2> "$W/err"
	rc=$?
	check "decode '$arg': exit 2 ($rc), one stderr line, nothing on stdout" \
		sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && [ ! -s '$W/out' ]"
done
# An unknown option (here "-1", a negative mask) is one stderr line: getopt
# itself prints nothing.
"$FWKIT" taint decode -1 > "$W/out" 2> "$W/err"
rc=$?
check "decode '-1': exit 2 ($rc), one stderr line ($(wc -l < "$W/err")), nothing on stdout" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && [ ! -s '$W/out' ]"
expect_exit 2 "decode without MASK" "$FWKIT" taint decode 2>/dev/null
expect_exit 2 "decode with two MASKs" "$FWKIT" taint decode 1 2 2>/dev/null
expect_exit 2 "unknown taint command" "$FWKIT" taint frob 2>/dev/null
expect_exit 0 "taint --help" "$FWKIT" taint --help >/dev/null

# --- show ------------------------------------------------------------------
echo 0 > "$W/tainted0"
echo 256 > "$W/tainted256"
"$FWKIT" taint show --tainted "$W/tainted0" --ledger "$W/no-such-ledger.json" > "$W/out" 2> "$W/err"
rc=$?
check "show with a missing ledger: exit 0, '0 records', not tainted" \
	sh -c "[ $rc -eq 0 ] && grep -q 'no-such-ledger.json: 0 records' '$W/out' &&
		grep -q 'not tainted' '$W/out' && [ ! -s '$W/err' ]"
check "show with a missing ledger does not create it" test ! -e "$W/no-such-ledger.json"
"$FWKIT" taint show --json --tainted "$W/tainted0" --ledger "$W/no-such-ledger.json" > "$W/j"
check "show --json with a missing ledger: records []" json_ok "$W/j" "
assert j['records'] == [] and j['tainted'] == 0 and j['bits'] == [], j
"

# Two records, written by hand in ledger_format_json's format.
S1=$(printf 'fwkit ledger record one' | sha256sum | cut -c1-64)
S2=$(printf 'fwkit ledger record two' | sha256sum | cut -c1-64)
cat > "$W/ledger.json" <<EOF
{"kind":"acpi-override","identity":"DSDT LENOVO ICL      rev 3","source":"initrd:/kernel/firmware/acpi/dsdt.aml","sha256":"$S1","replaced_sha256":null,"reason":"initrd table upgrade: replaced the firmware table","taint_bit":8,"taint_letter":"A"}
{"kind":"acpi-install","identity":"SSDT FWKITX TESTTBL1 rev 1","source":"initrd:/kernel/firmware/acpi/ssdt-extra.aml","sha256":"$S2","replaced_sha256":"$S1","reason":"initrd table upgrade: installed as a new table","taint_bit":null,"taint_letter":null}
EOF
"$FWKIT" taint show --tainted "$W/tainted256" --ledger "$W/ledger.json" > "$W/out" 2> "$W/err"
rc=$?
check "show with two records: exit 0 ($rc), '2 records'" \
	sh -c "[ $rc -eq 0 ] && grep -q 'ledger.json: 2 records' '$W/out' && [ ! -s '$W/err' ]"
check "show: tainted 256 decoded as A" grep -Eq '^ *A +bit +8 ' "$W/out"
check "show text: record 1 (kind, identity, sha256, taint A, source)" \
	grep -q "acpi-override DSDT LENOVO ICL      rev 3 sha256=$S1 taint=A source=initrd:/kernel/firmware/acpi/dsdt.aml" "$W/out"
check "show text: record 2 (kind, identity, sha256, replaced, source)" \
	grep -q "acpi-install SSDT FWKITX TESTTBL1 rev 1 sha256=$S2 replaced=$S1 source=initrd:/kernel/firmware/acpi/ssdt-extra.aml" "$W/out"
"$FWKIT" taint show --json --tainted "$W/tainted256" --ledger "$W/ledger.json" > "$W/j"
check "show --json: both records with every field" json_ok "$W/j" "
r = j['records']
assert len(r) == 2, r
assert j['tainted'] == 256 and [b['letter'] for b in j['bits']] == ['A'], j
assert r[0]['kind'] == 'acpi-override' and r[0]['sha256'] == '$S1', r[0]
assert r[0]['identity'] == 'DSDT LENOVO ICL      rev 3', r[0]
assert r[0]['source'] == 'initrd:/kernel/firmware/acpi/dsdt.aml', r[0]
assert r[0]['replaced_sha256'] is None and r[0]['taint_bit'] == 8, r[0]
assert r[0]['reason'] == 'initrd table upgrade: replaced the firmware table', r[0]
assert r[1]['kind'] == 'acpi-install' and r[1]['sha256'] == '$S2', r[1]
assert r[1]['replaced_sha256'] == '$S1' and r[1]['taint_bit'] is None, r[1]
"
# Blank lines and CRLF are tolerated.
{ printf '\n'; sed -n 1p "$W/ledger.json" | tr -d '\n'; printf '\r\n\n'; sed -n 2p "$W/ledger.json"; } > "$W/ledger-blank.json"
"$FWKIT" taint show --json --tainted "$W/tainted0" --ledger "$W/ledger-blank.json" > "$W/j"
check "show --json: blank lines and a CRLF line still give 2 records" json_ok "$W/j" "
assert [x['sha256'] for x in j['records']] == ['$S1', '$S2'], j['records']
"

# Malformed ledgers: exit 2, one line naming the file and the line number.
L1=$(sed -n 1p "$W/ledger.json")
bad_ledger() { # NAME LINE_NO: $W/bad-NAME.json is written
	"$FWKIT" taint show --tainted "$W/tainted0" --ledger "$W/bad-$1.json" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l < "$W/err")" -eq 1 ] &&
	   grep -q "$W/bad-$1.json: line $2[:,]" "$W/err" && [ ! -s "$W/out" ]; then
		ok "malformed ledger ($1): exit 2, one line naming the file and line $2"
	else
		notok "malformed ledger ($1): rc=$rc, want one line naming line $2; got: $(cat "$W/err")"
	fi
}
LONG=$(printf 'x%.0s' $(seq 100))
printf '%s\n{"kind":"acpi-override"\n' "$L1" > "$W/bad-truncated.json"
bad_ledger truncated 2
printf '%s\n\n\n%s\n' "$L1" "$(echo "$L1" | sed 's/"kind":"acpi-override"/"kind":"acpi-upgrade"/')" > "$W/bad-bad-kind.json"
bad_ledger bad-kind 4
echo "$L1" | sed 's/"reason"/"why"/' > "$W/bad-unknown-key.json"
bad_ledger unknown-key 1
printf '%s\n%s\n' "$L1" "$(echo "$L1" | sed "s/$S1/${S1%?}g/")" > "$W/bad-bad-sha256.json"
bad_ledger bad-sha256 2
printf '%s\n%s\n' "$L1" "$(echo "$L1" | sed "s/$S1/${S1%??}/")" > "$W/bad-short-sha256.json"
bad_ledger short-sha256 2
printf 'not json at all\n' > "$W/bad-garbage.json"
bad_ledger garbage 1
echo "$L1" | sed "s/ICL      rev 3/ICL      rev 3$LONG/" > "$W/bad-identity-too-long.json"
bad_ledger identity-too-long 1
echo "$L1" | sed 's/"taint_bit":8/"taint_bit":99/' > "$W/bad-taint-bit-99.json"
bad_ledger taint-bit-99 1
printf '%s\n%s trailing\n' "$L1" "$L1" > "$W/bad-trailing-garbage.json"
bad_ledger trailing-garbage 2

echo banana > "$W/tainted-bad"
expect_exit 2 "show: a taint file that is not a number" \
	"$FWKIT" taint show --tainted "$W/tainted-bad" --ledger "$W/ledger.json" 2>/dev/null >/dev/null
expect_exit 2 "show: a missing taint file" \
	"$FWKIT" taint show --tainted "$W/none" --ledger "$W/ledger.json" 2>/dev/null >/dev/null
expect_exit 2 "show takes no arguments" \
	"$FWKIT" taint show --tainted "$W/tainted0" --ledger "$W/ledger.json" extra 2>/dev/null >/dev/null

# --- the TCG event log -------------------------------------------------------
expect_exit 0 "show --tcg writes an event log" \
	"$FWKIT" taint show --tainted "$W/tainted256" --ledger "$W/ledger.json" --tcg "$W/log.bin" >/dev/null
tpm2_eventlog "$W/log.bin" > "$W/log.yaml" 2> "$W/log.err"
rc=$?
check "tpm2_eventlog parses it (exit $rc)" test "$rc" -eq 0
check "the log declares the SHA-256 bank (Spec ID Event03)" \
	sh -c "grep -q 'Spec ID Event03' '$W/log.yaml' && grep -q 'algorithmId: sha256' '$W/log.yaml'"
check "two EV_IPL events" test "$(grep -c 'EventType: EV_IPL' "$W/log.yaml")" -eq 2
check "record 1's sha256 is an event digest" grep -q "Digest: \"$S1\"" "$W/log.yaml"
check "record 2's sha256 is an event digest" grep -q "Digest: \"$S2\"" "$W/log.yaml"
check "the events carry the records' text" \
	sh -c "grep -q 'acpi-override DSDT LENOVO ICL' '$W/log.yaml' && grep -q 'acpi-install SSDT FWKITX' '$W/log.yaml'"
# The default PCR is the one --help names.
DEFPCR=$("$FWKIT" taint --help | tr '\n' ' ' | sed -n 's/.*in PCR N, default \([0-9][0-9]*\).*/\1/p')
check "taint --help names the default PCR ($DEFPCR)" test -n "$DEFPCR"
check "events go to that PCR ($DEFPCR) by default" test "$(grep -c "PCRIndex: ${DEFPCR:-x}\$" "$W/log.yaml")" -eq 2
# The replayed PCR: extend(extend(0, S1), S2).
WANT=$(python3 -c "
import hashlib
p = bytes(32)
for d in ('$S1', '$S2'):
    p = hashlib.sha256(p + bytes.fromhex(d)).digest()
print(p.hex())")
check "tpm2_eventlog's replayed PCR $DEFPCR is extend(extend(0, S1), S2)" \
	grep -qi "^ *${DEFPCR:-x} *: 0x$WANT" "$W/log.yaml"
expect_exit 0 "--tcg with --pcr 14" \
	"$FWKIT" taint show --tainted "$W/tainted256" --ledger "$W/ledger.json" --tcg "$W/log14.bin" --pcr 14 >/dev/null
tpm2_eventlog "$W/log14.bin" > "$W/log14.yaml" 2>/dev/null
check "with --pcr 14 both events are in PCR 14" test "$(grep -c 'PCRIndex: 14$' "$W/log14.yaml")" -eq 2
expect_exit 2 "--pcr 24 is refused" \
	"$FWKIT" taint show --tainted "$W/tainted0" --ledger "$W/ledger.json" --tcg "$W/log24.bin" --pcr 24 2>/dev/null
check "and writes no log" test ! -e "$W/log24.bin"
expect_exit 0 "--tcg with an empty ledger" \
	"$FWKIT" taint show --tainted "$W/tainted0" --ledger "$W/no-such-ledger.json" --tcg "$W/empty.bin" >/dev/null
tpm2_eventlog "$W/empty.bin" > "$W/empty.yaml" 2>/dev/null
rc=$?
check "tpm2_eventlog parses the header-only log, no EV_IPL event" \
	sh -c "[ $rc -eq 0 ] && ! grep -q EV_IPL '$W/empty.yaml' && grep -q 'Spec ID Event03' '$W/empty.yaml'"
"$FWKIT" taint show --tainted "$W/tainted0" --ledger "$W/bad-truncated.json" --tcg "$W/badlog.bin" >/dev/null 2>&1
check "a malformed ledger writes no TCG log" test ! -e "$W/badlog.bin"

finish
