#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/deliver.sh - fwkit blob deliver as a user drives it: a signed
# 256 KiB blob to the PMIC simulator (flash, version, ledger), every injected
# fault ending consistent, single flipped bits / a wrong key / a downgrade
# refused before any byte reaches the device, Linux firmware upload against
# a fake kernel, staging into an initramfs, the read-only mapping, usage.
. "$(dirname "$0")/../lib.sh"
need python3 openssl sha256sum cmp head
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
FAKE_PID=
trap 'if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null; fi; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
FAKE="$FWKIT_ROOT/tests/support/fake-fw-upload.py"
[ -f "$FAKE" ] || die "$FAKE missing"
SIZE=262144
L="$W/ledger.json"

# Deterministic payloads: SIZE bytes from a seed.
mkpayload() {
	python3 - "$1" "$2" "$3" <<'EOF' || die "payload generator"
import random, sys
r = random.Random(int(sys.argv[2]))
open(sys.argv[1], "wb").write(bytes(r.getrandbits(8) for _ in range(int(sys.argv[3]))))
EOF
}
mkpayload "$W/p7.bin" 7 $SIZE
mkpayload "$W/p9.bin" 9 $SIZE
mkpayload "$W/p5.bin" 5 $SIZE
openssl genpkey -algorithm ed25519 -out "$W/k.key" 2>/dev/null || die "openssl genpkey"
openssl pkey -in "$W/k.key" -pubout -out "$W/k.pub" || die "openssl pkey"
openssl genpkey -algorithm ed25519 -out "$W/o.key" 2>/dev/null || die "openssl genpkey"
openssl pkey -in "$W/o.key" -pubout -out "$W/o.pub" || die "openssl pkey"
pack() { # VERSION PAYLOAD OUT [--sign KEY]
	_v=$1 _p=$2 _o=$3; shift 3
	"$FWKIT" blob pack --target acme,pmic-x1 --type pmic --version "$_v" "$@" -o "$_o" "$_p" \
		> /dev/null || die "blob pack v$_v"
}
pack 7 "$W/p7.bin" "$W/v7.fwb" --sign "$W/k.key"
pack 9 "$W/p9.bin" "$W/v9.fwb" --sign "$W/k.key"
pack 5 "$W/p5.bin" "$W/v5.fwb" --sign "$W/k.key"
pack 9 "$W/p9.bin" "$W/u9.fwb"
SHA7=$(sha256sum < "$W/p7.bin" | cut -c1-64)

# key FILE KEY: the value of a "key value" line of a simulator state file.
key() { sed -n "s/^$2 //p" "$1/state"; }
# runs DIR PAYLOAD VERSION: the device runs exactly that image at that version.
runs() {
	[ "$(key "$1" version)" = "$3" ] && [ "$(key "$1" active_length)" = $SIZE ] &&
		head -c $SIZE "$1/bank$(key "$1" active_bank).bin" | cmp -s - "$2"
}
# The flash and every counter of a device, for before/after comparisons.
snapshot() { (cat "$1/state"; sha256sum "$1"/bank0.bin "$1"/bank1.bin) > "$2"; }
# last_record PYTHON: assertions on the ledger's last JSON line as r.
last_record() {
	python3 - "$L" "$1" <<'EOF'
import json, sys
r = json.loads(open(sys.argv[1], "rb").read().decode().splitlines()[-1])
exec(sys.argv[2])
EOF
}
records() { wc -l < "$L" | tr -d ' '; }

# --- a signed 256 KiB blob to the simulator ------------------------------------
S="$W/sim"
"$FWKIT" blob deliver --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" \
	> "$W/out" 2> "$W/err"
rc=$?
check "deliver v7: exit 0 ($rc), one result line" \
	sh -c "[ $rc -eq 0 ] && grep -q '^$W/v7.fwb: delivered pmic acme,pmic-x1@0 v7 to pmic-sim:$S ($SIZE bytes, 0 retries)' '$W/out'"
check "the device's active flash is the payload, byte for byte, and its version is 7" runs "$S" "$W/p7.bin" 7
check "a new device was made: version 0 before, one commit since" test "$(key "$S" commits)" = 1
check "the payload crossed the mailbox exactly once" test "$(key "$S" data_bytes)" = $SIZE
check "progress was shown on stderr, up to 100%" grep -q "v7.fwb: 100% ($SIZE/$SIZE bytes)" "$W/err"
check "the container was mapped read-only and not executable (/proc/self/maps: r--p)" \
	grep -q "^fwkit: $W/v7.fwb: mapped r--p: read-only, not executable$" "$W/err"
check "the ledger has the record: kind blob, payload sha256, reason delivered" last_record "
assert r['kind'] == 'blob', r
assert r['sha256'] == '$SHA7', r
assert r['reason'] == 'delivered', r
assert r['identity'] == 'pmic acme,pmic-x1@0 v7', r
assert r['source'] == 'pmic-sim:$S', r
assert r['taint_bit'] is None, r"
echo 0 > "$W/tainted"
"$FWKIT" taint show --json --tainted "$W/tainted" --ledger "$L" > "$W/show" ||
	die "taint show"
check "fwkit taint show --json lists it" python3 -c "
import json, sys
j = json.load(open('$W/show'))
r = j['records'][-1]
assert r['kind'] == 'blob' and r['sha256'] == '$SHA7' and r['reason'] == 'delivered', r"

snapshot "$S" "$W/snap"
"$FWKIT" blob deliver --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" \
	> "$W/out" 2> /dev/null
rc=$?
check "the same version again: exit 0 ($rc), up to date, nothing sent" \
	sh -c "[ $rc -eq 0 ] && grep -q 'up-to-date: the device runs v7: nothing sent' '$W/out'"
check "  no write reached the device" test "$(key "$S" writes)" = "$(sed -n 's/^writes //p' "$W/snap")"
check "  and it is recorded too" last_record "assert r['reason'] == 'up-to-date: the device runs v7', r"

# --- refused before any byte reaches the device --------------------------------
cp -R "$S" "$W/base"  # a device running v7, for the fault runs below
snapshot "$S" "$W/snap"
flip() { # IN OUT OFFSET: OUT is IN with bit 0 of byte OFFSET inverted
	python3 -c "
import sys
b = bytearray(open('$1', 'rb').read()); b[$3] ^= 1; open('$2', 'wb').write(b)"
}
P=176; G=$((176 + SIZE))
# offset field exit: what a flipped bit there must give
cat > "$W/flips" <<EOF
0 magic 2
8 format_version 2
10 flags 2
12 header_length 2
16 blob_type 2
20 target_instance 2
24 payload_version 2
32 payload_length 2
40 target 2
104 reserved 2
112 payload_sha256 2
144 header_sha256 2
175 header_sha256 2
$P payload 2
$((P + SIZE / 2 + 12345)) payload 2
$((G - 1)) payload 2
$G sig_magic 2
$((G + 4)) sig_algorithm 2
$((G + 6)) sig_reserved 2
$((G + 8)) key_id 1
$((G + 39)) key_id 1
$((G + 40)) signature 1
$((G + 103)) signature 1
EOF
n0=$(records)
while read -r off what want; do
	flip "$W/v7.fwb" "$W/flip.fwb" "$off"
	"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" \
		"$W/flip.fwb" > "$W/out" 2> "$W/err"
	rc=$?
	snapshot "$S" "$W/snap2"
	if [ "$rc" -eq "$want" ] && cmp -s "$W/snap" "$W/snap2" && [ "$(wc -l < "$W/err")" -eq 1 ] &&
	   grep -q "^fwkit: $W/flip.fwb: " "$W/err" && [ ! -s "$W/out" ]; then
		ok "a flipped bit in $what (byte $off): exit $want, zero transfers, flash unchanged"
	else
		notok "flipped bit in $what (byte $off): rc=$rc want $want; $(cat "$W/err")"
		diff "$W/snap" "$W/snap2" | head -5 | sed 's/^/#   /'
	fi
done < "$W/flips"
flip "$W/v7.fwb" "$W/flip.fwb" $((P + 1000))
"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" "$W/flip.fwb" 2> "$W/err"
check "  refused: verify: payload_sha256, recorded in the ledger" sh -c "
	grep -q 'refused: verify: .*payload_sha256' '$W/err' &&
	grep -q 'refused: verify: .*payload_sha256' '$L'"
flip "$W/v7.fwb" "$W/flip.fwb" $((G + 50))
"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" "$W/flip.fwb" 2> "$W/err"
check "  a flipped signature bit: 'does not verify'" grep -q "refused: verify: .*does not verify" "$W/err"

"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/o.pub" --ledger "$L" "$W/v9.fwb" \
	2> "$W/err"
rc=$?
snapshot "$S" "$W/snap2"
check "a wrong key: exit 1 ($rc), zero transfers, flash unchanged" \
	sh -c "[ $rc -eq 1 ] && cmp -s '$W/snap' '$W/snap2' && [ \$(wc -l < '$W/err') -eq 1 ]"
check "  the message names the key" grep -q "refused: verify: .*$W/o.pub" "$W/err"
"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" "$W/u9.fwb" \
	2> "$W/err"
rc=$?
snapshot "$S" "$W/snap2"
check "an unsigned container when a key is required: exit 1 ($rc), flash unchanged" \
	sh -c "[ $rc -eq 1 ] && cmp -s '$W/snap' '$W/snap2' && grep -q 'not signed' '$W/err'"
check "every refusal after the header parsed left a record ($(( $(records) - n0 )))" \
	test $(( $(records) - n0 )) -ge 9

"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/k.pub" --ledger "$L" "$W/v5.fwb" \
	2> "$W/err"
rc=$?
check "a downgrade (5 < 7): exit 1 ($rc), 'refused: downgrade 5 < 7'" \
	sh -c "[ $rc -eq 1 ] && grep -q 'refused: downgrade 5 < 7' '$W/err'"
check "  only reads reached the device: writes, data and flash unchanged" sh -c "
	[ '$(key "$S" writes)' = '$(sed -n 's/^writes //p' "$W/snap")' ] &&
	[ '$(key "$S" data_bytes)' = '$(sed -n 's/^data_bytes //p' "$W/snap")' ] &&
	[ '$(sha256sum < "$S/bank0.bin")' = '$(sha256sum < "$W/base/bank0.bin")' ] &&
	[ '$(sha256sum < "$S/bank1.bin")' = '$(sha256sum < "$W/base/bank1.bin")' ]"
check "  and the device still runs v7" runs "$S" "$W/p7.bin" 7
check "  recorded, no taint" last_record "
assert r['reason'] == 'refused: downgrade 5 < 7' and r['taint_bit'] is None, r"
"$FWKIT" blob deliver -q --to "pmic-sim:$S" --pubkey "$W/k.pub" --allow-downgrade \
	--ledger "$L" "$W/v5.fwb"
rc=$?
check "--allow-downgrade: exit 0 ($rc), the device runs v5" sh -c "[ $rc -eq 0 ]" 
check "  (its flash and version)" runs "$S" "$W/p5.bin" 5
check "  the record carries taint bit 11 (I, firmware workaround)" last_record "
assert r['reason'] == 'delivered: downgrade 7 -> 5 allowed', r
assert r['taint_bit'] == 11 and r['taint_letter'] == 'I', r"
expect_exit 0 "unsigned, with --allow-unsigned: delivered (v9)" \
	"$FWKIT" blob deliver -q --to "pmic-sim:$S" --allow-unsigned --ledger "$L" "$W/u9.fwb"
check "  the device runs v9" runs "$S" "$W/p9.bin" 9

# --- injected faults: a clear error, and never a mix ---------------------------
# fault KIND@N EXIT STATE MESSAGE: from the v7 device, deliver v9 with the
# fault; want EXIT, the device running STATE (7: old, 9: new), MESSAGE on stderr.
i=0
fault() {
	i=$((i + 1))
	D="$W/f$i"
	cp -R "$W/base" "$D"
	"$FWKIT" blob deliver -q --to "pmic-sim:$D,fault=$1" --pubkey "$W/k.pub" --ledger "$L" \
		"$W/v9.fwb" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$3" = 7 ]; then want_p="$W/p7.bin"; else want_p="$W/p9.bin"; fi
	if [ "$rc" -eq "$2" ] && runs "$D" "$want_p" "$3" && { [ -z "$4" ] || grep -q -- "$4" "$W/err"; } &&
	   [ "$(wc -l < "$W/err")" -le 1 ]; then
		ok "fault $1: exit $2, the device runs v$3 whole${4:+ ($4)}"
	else
		notok "fault $1: rc=$rc (want $2), version $(key "$D" version) (want $3); $(cat "$W/err")"
	fi
}
fault nack@1 0 9
fault nack@40 0 9
fault nack@3000 0 9
fault crc@0 0 9
fault crc@500 0 9
fault crc@1023 0 9
fault crc-always@3 1 7 "transferring:read-write-error (write at byte 768) after 3 retries"
fault timeout@30 1 7 "transferring:timeout (write at byte"
fault timeout@1 1 7 "preparing:timeout (prepare) after 3 retries"
fault power@0 1 7 "transferring:read-write-error (write at byte 0) after 3 retries"
fault power@100017 1 7 "transferring:read-write-error (write at byte 99840)"
fault power@262143 1 7 "transferring:read-write-error (write at byte 261888)"
fault power-commit@0 1 7 "programming:read-write-error (poll_complete)"
fault power-commit@1 1 9 "programming:read-write-error (poll_complete)"
# Stuck busy once COMMIT ran (a clean run is 6158 transfers: 4 reads, 5 for
# prepare, 6 per 256-byte chunk, COMMIT, its STATUS reads, the version): the
# new firmware runs, and the failure to confirm it is reported, not hidden.
fault timeout@6156 1 9 "programming:timeout (poll_complete)"
check "a failure is recorded with its reason" last_record "
assert r['reason'].startswith('failed: programming:timeout'), r"
# Power comes back with the next run: the device takes v9 then.
D="$W/f10"
expect_exit 0 "after a power loss at byte 0, the next run delivers" \
	"$FWKIT" blob deliver -q --to "pmic-sim:$D" --pubkey "$W/k.pub" --ledger "$L" "$W/v9.fwb"
check "  and the device runs v9" runs "$D" "$W/p9.bin" 9
expect_exit 0 "a smaller --chunk-size and --retries 0 on a clean device" \
	"$FWKIT" blob deliver -q --to "pmic-sim:$W/f1" --chunk-size 100 --retries 0 \
	--allow-downgrade --pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb"
check "  the device runs v7 again" runs "$W/f1" "$W/p7.bin" 7
expect_exit 1 "--retries 0: one CRC error is final" \
	"$FWKIT" blob deliver -q --to "pmic-sim:$W/f2,fault=crc@2" --retries 0 \
	--allow-downgrade --pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" 2> /dev/null

# --- Linux firmware upload, against a fake kernel ------------------------------
# fake_start ARGS...: a fake /sys under $W/sys$j with device pmic0.
j=0
fake_start() {
	j=$((j + 1))
	SYS="$W/sys$j"
	mkdir -p "$SYS"
	python3 "$FAKE" "$SYS" pmic0 --log "$SYS/log" "$@" &
	FAKE_PID=$!
	for _ in $(seq 500); do [ -f "$SYS/pmic0.ready" ] && return 0; sleep 0.01; done
	die "fake-fw-upload.py did not start"
}
fake_stop() { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=; }
DEV=class/firmware/pmic0
fake_start --compatible acme,pmic-x1
"$FWKIT" blob deliver -q --to fw-upload:pmic0 --sysfs-root "$SYS" --pubkey "$W/k.pub" \
	--ledger "$L" "$W/v7.fwb" 2> "$W/err"
rc=$?
check "fw-upload: exit 0 ($rc)" test "$rc" -eq 0
check "  the data file holds the payload" cmp -s "$SYS/$DEV/data" "$W/p7.bin"
check "  the kernel went receiving .. transferring .. programming .. idle" sh -c "
	grep -q '^start $SIZE$' '$SYS/log' && grep -q '^transferring$' '$SYS/log' &&
	grep -q '^programming$' '$SYS/log' && tail -n 1 '$SYS/log' | grep -q '^idle$'"
check "  remaining_size counted down to 0" grep -q '^remaining 0$' "$SYS/log"
check "  recorded with source fw-upload:" last_record "
assert r['source'] == 'fw-upload:$SYS/$DEV' and r['reason'] == 'delivered', r"
fake_stop

fake_start --compatible acme,pmic-x1 --error transferring:hw-error
"$FWKIT" blob deliver -q --to fw-upload:pmic0 --sysfs-root "$SYS" --pubkey "$W/k.pub" \
	--ledger "$L" "$W/v7.fwb" 2> "$W/err"
rc=$?
check "fw-upload, hw-error: exit 1 ($rc), one line with the kernel's words" sh -c "
	[ $rc -eq 1 ] && [ \$(wc -l < '$W/err') -eq 1 ] &&
	grep -q 'failed: transferring:hw-error (poll_complete); .*/error: transferring:hw-error' '$W/err'"
fake_stop

fake_start --compatible acme,pmic-x1 --hang programming
start=$(date +%s)
"$FWKIT" blob deliver -q --to fw-upload:pmic0 --sysfs-root "$SYS" --timeout 1 \
	--pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" 2> "$W/err"
rc=$?
took=$(( $(date +%s) - start ))
check "fw-upload, a kernel stuck programming: exit 1 ($rc) after the timeout (${took} s)" sh -c "
	[ $rc -eq 1 ] && [ $took -le 5 ] &&
	grep -q \"failed: programming:timeout (poll_complete); .*still 'programming' after 1000 ms\" '$W/err'"
for _ in $(seq 200); do grep -q '^cancel$' "$SYS/log" && break; sleep 0.01; done
check "  the upload was cancelled (1 to cancel)" grep -q '^cancel$' "$SYS/log"
fake_stop

fake_start --compatible acme,pmic-y2
"$FWKIT" blob deliver -q --to fw-upload:pmic0 --sysfs-root "$SYS" --pubkey "$W/k.pub" \
	--ledger "$L" "$W/v7.fwb" 2> "$W/err"
rc=$?
check "fw-upload to another device: exit 1 ($rc), refused before loading" sh -c "
	[ $rc -eq 1 ] && grep -q 'is not this device (acme,pmic-y2@any)' '$W/err' &&
	! grep -q '^loading' '$SYS/log'"
fake_stop
expect_exit 2 "fw-upload to a device that is not there: exit 2" \
	"$FWKIT" blob deliver -q --to fw-upload:nothere --sysfs-root "$W/sys1" \
	--pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" 2> /dev/null

# --- staging into an initramfs -------------------------------------------------
"$FWKIT" blob deliver -q --to "initramfs:$W/fw.img" --pubkey "$W/k.pub" --ledger "$L" \
	"$W/v7.fwb"
check "initramfs: exit 0, OUT written" test -s "$W/fw.img"
"$FWKIT" initrd ls --json "$W/fw.img" > "$W/ls" || notok "initrd ls of the output"
check "  initrd ls shows lib/firmware/acme/pmic-x1-0.bin with the payload's size" python3 -c "
import json
j = json.load(open('$W/ls'))
e = [e for s in j['segments'] for e in s['entries'] if e['name'] == 'lib/firmware/acme/pmic-x1-0.bin']
assert len(e) == 1 and e[0]['size'] == $SIZE, j
assert j['segments'][0]['format'] == 'cpio' and len(j['segments']) == 1, j"
"$FWKIT" initrd extract "$W/fw.img" "$W/x1" || notok "initrd extract"
check "  the extracted file equals the payload" cmp -s "$W/x1/lib/firmware/acme/pmic-x1-0.bin" "$W/p7.bin"
mkdir -p "$W/root/etc" && echo hello > "$W/root/etc/motd"
"$FWKIT" initrd build -o "$W/base.img" --compress gzip "$W/root" > /dev/null || die "initrd build"
"$FWKIT" blob deliver -q --to "initramfs:$W/fw2.img" --initrd "$W/base.img" \
	--firmware-name vendor/pmic.bin --pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb"
"$FWKIT" initrd extract "$W/fw2.img" "$W/x2" || notok "initrd extract (two segments)"
check "  before an existing initrd: early/lib/firmware/vendor/pmic.bin is the payload" \
	cmp -s "$W/x2/early/lib/firmware/vendor/pmic.bin" "$W/p7.bin"
check "  and the image follows unchanged (main/etc/motd)" grep -q hello "$W/x2/main/etc/motd"
check "  byte for byte at the end" sh -c "
	n=\$(wc -c < '$W/base.img'); tail -c \$n '$W/fw2.img' | cmp -s - '$W/base.img'"
"$FWKIT" blob deliver -q --to "initramfs:$W/fw3.img" --firmware-name ../evil.bin \
	--pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" 2> "$W/err"
rc=$?
check "  --firmware-name ../evil.bin: exit 2 ($rc), nothing written" sh -c "
	[ $rc -eq 2 ] && [ ! -e '$W/fw3.img' ] && grep -q 'firmware-name' '$W/err'"
printf 'not an initrd' > "$W/junk.img"
"$FWKIT" blob deliver -q --to "initramfs:$W/fw4.img" --initrd "$W/junk.img" \
	--pubkey "$W/k.pub" --ledger "$L" "$W/v7.fwb" 2> "$W/err"
rc=$?
check "  --initrd that is not an initrd: exit 2 ($rc), named, nothing written" sh -c "
	[ $rc -eq 2 ] && [ ! -e '$W/fw4.img' ] && grep -q 'junk.img' '$W/err'"
check "  no temporary file left behind" sh -c "! ls '$W' | grep -q fwkit-"

# --- the container through a pipe is mapped read-only too ----------------------
cat "$W/v9.fwb" | "$FWKIT" blob deliver --to "pmic-sim:$S" --pubkey "$W/k.pub" \
	--ledger "$L" /dev/stdin > "$W/out" 2> "$W/err"
rc=$?
check "from a pipe: exit 0 ($rc), mapped r--p (a private read-only copy)" sh -c "
	[ $rc -eq 0 ] && grep -q 'mapped r--p: read-only, not executable' '$W/err'"

# --- bad usage and bad input: exit 2, one line, device untouched ---------------
snapshot "$S" "$W/snap"
usage() { # DESC ARGS...: exit 2, one stderr line, the simulator unchanged
	_d=$1; shift
	"$FWKIT" blob deliver "$@" > "$W/out" 2> "$W/err"
	_rc=$?
	snapshot "$S" "$W/snap2"
	if [ "$_rc" -eq 2 ] && [ "$(wc -l < "$W/err")" -eq 1 ] && cmp -s "$W/snap" "$W/snap2"; then
		ok "$_d: exit 2, one line: $(cut -c1-100 < "$W/err")"
	else
		notok "$_d: rc=$_rc; $(cat "$W/err")"
	fi
}
usage "no --to" --pubkey "$W/k.pub" "$W/v9.fwb"
usage "neither --pubkey nor --allow-unsigned" --to "pmic-sim:$S" "$W/v9.fwb"
usage "both --pubkey and --allow-unsigned" --to "pmic-sim:$S" --pubkey "$W/k.pub" --allow-unsigned "$W/v9.fwb"
usage "an unknown device kind" --to "usb:1" --allow-unsigned "$W/v9.fwb"
usage "a bad fault" --to "pmic-sim:$S,fault=melt@3" --allow-unsigned "$W/v9.fwb"
usage "--retries out of range" --to "pmic-sim:$S" --retries 5000 --allow-unsigned "$W/v9.fwb"
usage "--chunk-size 0" --to "pmic-sim:$S" --chunk-size 0 --allow-unsigned "$W/v9.fwb"
usage "--initrd without initramfs:" --to "pmic-sim:$S" --initrd x --allow-unsigned "$W/v9.fwb"
usage "two files" --to "pmic-sim:$S" --allow-unsigned "$W/v9.fwb" "$W/v7.fwb"
usage "a missing file" --to "pmic-sim:$S" --allow-unsigned "$W/nope.fwb"
usage "an unreadable key file" --to "pmic-sim:$S" --pubkey "$W/nokey.pub" --ledger "$L" "$W/v9.fwb"
head -c 100 "$W/v9.fwb" > "$W/short.fwb"
usage "a truncated container" --to "pmic-sim:$S" --allow-unsigned --ledger "$L" "$W/short.fwb"
check "  the line names the file and the field" grep -q "^fwkit: $W/short.fwb: offset [0-9]*: [a-z_]*: " "$W/err"
head -c $((176 + 1000)) "$W/v9.fwb" > "$W/short.fwb"
usage "a container cut inside the payload" --to "pmic-sim:$S" --allow-unsigned --ledger "$L" "$W/short.fwb"
: > "$W/empty.fwb"
usage "an empty file" --to "pmic-sim:$S" --allow-unsigned --ledger "$L" "$W/empty.fwb"
: > "$W/nothing.bin"
pack 1 "$W/nothing.bin" "$W/e.fwb"
usage "a container with an empty payload" --to "pmic-sim:$S" --allow-unsigned --ledger "$L" "$W/e.fwb"
check "  named as such" grep -q "payload_length: an empty payload cannot be delivered" "$W/err"
"$FWKIT" blob deliver -q --to "pmic-sim:$W/fresh" --pubkey "$W/o.pub" --ledger "$L" \
	"$W/v7.fwb" 2> /dev/null
rc=$?
check "refused at first use (wrong key): exit 1 ($rc), no device state written" \
	sh -c "[ $rc -eq 1 ] && [ ! -e '$W/fresh/state' ] && [ ! -e '$W/fresh/bank0.bin' ]"
expect_exit 0 "--help" "$FWKIT" blob deliver --help > /dev/null
printf 'x' > "$W/afile"
"$FWKIT" blob deliver -q --to "pmic-sim:$W/nd" --pubkey "$W/k.pub" --ledger "$W/afile/l.json" \
	"$W/v7.fwb" 2> "$W/err"
rc=$?
check "a ledger that cannot be written: exit 2 ($rc), the ledger named" sh -c "
	[ $rc -eq 2 ] && grep -q '$W/afile/l.json' '$W/err'"
finish
