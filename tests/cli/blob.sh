#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/blob.sh - fwkit blob pack|info|verify as a user drives them,
# with Ed25519 keys made by the openssl command:
#   - a 256 KiB random payload packed signed: info --json against what was
#     asked and against sha256sum; verify with the right key, another key,
#     no key; the signature checked independently by openssl pkeyutl over
#     bytes cut out with dd, and made again by openssl to the same bytes
#   - a bit flipped at a spread of positions (header fields, payload start,
#     middle and end, the signature block): refused, and by the right part
#   - truncated files and trailing bytes: exit 2, one line naming the field
#   - bad usage and bad keys: exit 2, one line, no output file; an output
#     path in a missing directory leaves nothing behind
#   - the example of docs/formats/fwb.md rebuilt byte for byte.
. "$(dirname "$0")/../lib.sh"
need openssl python3 sha256sum dd cmp head tail find cut
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022

one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
no_temp_in() { [ -z "$(find "$1" -maxdepth 1 -name '*.fwkit-*')" ]; }
size_of() { wc -c < "$1" | tr -d ' '; }
# flip FILE OFFSET BIT: invert one bit in place.
flip() {
	python3 - "$1" "$2" "$3" <<'EOF'
import sys
p, off, bit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
b = bytearray(open(p, 'rb').read())
b[off] ^= 1 << bit
open(p, 'wb').write(b)
EOF
}
# pyck DESC ARGS... <<'EOF' (python reading sys.argv[1:]): a check.
pyck() {
	_d=$1; shift
	if python3 - "$@" > "$W/py.out" 2>&1; then ok "$_d"
	else notok "$_d"; tail -n 3 "$W/py.out" | sed 's/^/#   /' >&3; fi
}

# ============================================================================
# keys and the payload
# ============================================================================
openssl genpkey -algorithm ed25519 -out "$W/a.key" 2>/dev/null &&
	openssl pkey -in "$W/a.key" -pubout -out "$W/a.pub" &&
	openssl genpkey -algorithm ed25519 -out "$W/b.key" 2>/dev/null &&
	openssl pkey -in "$W/b.key" -pubout -out "$W/b.pub" &&
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/ec.key" 2>/dev/null &&
	openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:secret \
		-out "$W/enc.key" 2>/dev/null ||
	die "openssl cannot make Ed25519 keys"
head -c 262144 /dev/urandom > "$W/payload.bin" || die "no /dev/urandom"
PLEN=262144
C="$W/pmic.fwb"

# ============================================================================
# pack signed, info --json
# ============================================================================
"$FWKIT" blob pack --target ti,tps65219 --instance 3 --type pmic --version 0x10002 \
	--sign "$W/a.key" -o "$C" "$W/payload.bin" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$W/err" ] && [ "$(size_of "$C")" -eq $((176 + PLEN + 104)) ] &&
   grep -q "^$C: $((176 + PLEN + 104)) bytes, pmic for \"ti,tps65219\" instance 3, payload version 65538, signed by key " "$W/out"; then
	ok "pack --sign: exit 0, header + 256 KiB + signature block, one summary line"
else
	notok "pack --sign: rc=$rc size=$(size_of "$C" 2>/dev/null) out=$(cat "$W/out") err=$(cat "$W/err")"
fi
check "pack leaves no temporary file" no_temp_in "$W"

"$FWKIT" blob info --json "$C" > "$W/info.json" 2> "$W/err"
expect_exit 0 "info --json on the signed container" test -s "$W/info.json"
openssl pkey -pubin -in "$W/a.pub" -outform DER | tail -c 32 | sha256sum | cut -c1-64 > "$W/a.id"
sha256sum "$W/payload.bin" | cut -c1-64 > "$W/payload.sha"
head -c 144 "$C" | sha256sum | cut -c1-64 > "$W/header.sha"
pyck "info --json: every field is what pack was asked, digests equal sha256sum's, key id the key's" \
	"$W/info.json" "$C" "$W/payload.sha" "$W/header.sha" "$W/a.id" "$PLEN" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert isinstance(j, list) and len(j) == 1, j
e = j[0]
want = {
    "file": sys.argv[2], "size": 176 + int(sys.argv[6]) + 104,
    "format_version": 1, "flags": 1, "header_length": 176,
    "type": "pmic", "type_code": 1, "target": "ti,tps65219", "instance": 3,
    "payload_version": 0x10002, "payload_offset": 176,
    "payload_length": int(sys.argv[6]),
    "payload_sha256": open(sys.argv[3]).read().strip(),
    "header_sha256": open(sys.argv[4]).read().strip(),
    "signed": True, "signed_length": 176 + int(sys.argv[6]),
    "signature_offset": 176 + int(sys.argv[6]),
    "signature_algorithm": "ed25519",
    "key_id": open(sys.argv[5]).read().strip(),
}
for k, v in want.items():
    assert e.get(k) == v, (k, e.get(k), v)
assert len(e["signature"]) == 128
EOF
pyck "the header bytes are the layout of docs/formats/fwb.md" "$C" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
assert b[:8] == b'\x89FWB\r\n\x1a\n'
ver, flags, hlen, typ, inst, pver, plen = struct.unpack_from('<HHIIIQQ', b, 8)
assert (ver, flags, hlen, typ, inst, pver, plen) == (1, 1, 176, 1, 3, 0x10002, 262144)
assert b[40:104] == b'ti,tps65219'.ljust(64, b'\0')
assert b[104:112] == bytes(8)
assert b[176 + plen:176 + plen + 8] == b'FWBS\x01\x00\x00\x00'
EOF
"$FWKIT" blob info "$C" > "$W/out" 2> "$W/err"
if [ $? -eq 0 ] && grep -q "^  target  *\"ti,tps65219\" instance 3" "$W/out" &&
   grep -q "sha256 $(cat "$W/payload.sha")" "$W/out" &&
   grep -q "key id $(cat "$W/a.id")" "$W/out"; then
	ok "info (text): target, payload sha256 and key id shown"
else
	notok "info (text): $(cat "$W/out" "$W/err")"
fi

# ============================================================================
# verify
# ============================================================================
"$FWKIT" blob verify --pubkey "$W/a.pub" "$C" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$W/err" ] && one_line "$W/out" && grep -q "^$C: ok (" "$W/out"; then
	ok "verify --pubkey (right key): exit 0, one 'FILE: ok (...)' line"
else
	notok "verify right key: rc=$rc $(cat "$W/out" "$W/err")"
fi
expect_exit 0 "verify with the private key file as --pubkey" \
	"$FWKIT" blob verify --pubkey "$W/a.key" "$C" > /dev/null
"$FWKIT" blob verify --pubkey "$W/b.pub" "$C" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 1 ] && one_line "$W/err" && [ ! -s "$W/out" ] &&
   grep -q "^fwkit: $C: key_id: signed by key $(cut -c1-16 "$W/a.id"), not by $W/b.pub$" "$W/err"; then
	ok "verify --pubkey (another key): exit 1, one line naming key_id and the key file"
else
	notok "verify another key: rc=$rc $(cat "$W/out" "$W/err")"
fi
"$FWKIT" blob verify "$C" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "^$C: ok (.*not checked" "$W/out"; then
	ok "verify without --pubkey: digests only, says the signature was not checked"
else
	notok "verify without key: rc=$rc $(cat "$W/out" "$W/err")"
fi

# The signature, checked by openssl alone over bytes cut out with dd.
dd if="$C" of="$W/msg" bs=4096 count=$(((176 + PLEN) / 4096)) 2>/dev/null
dd if="$C" bs=1 skip=$(((176 + PLEN) / 4096 * 4096)) count=$(((176 + PLEN) % 4096)) 2>/dev/null >> "$W/msg"
dd if="$C" of="$W/sig" bs=1 skip=$((176 + PLEN + 40)) count=64 2>/dev/null
check "dd cut header + payload ($((176 + PLEN)) bytes) and the 64-byte signature" \
	test "$(size_of "$W/msg")" -eq $((176 + PLEN)) -a "$(size_of "$W/sig")" -eq 64
openssl pkeyutl -verify -rawin -pubin -inkey "$W/a.pub" -in "$W/msg" -sigfile "$W/sig" \
	> "$W/out" 2>&1
expect_exit 0 "openssl pkeyutl -verify accepts fwkit's signature" grep -q "Signature Verified Successfully" "$W/out"
expect_exit 1 "openssl pkeyutl -verify refuses it with the other key" \
	openssl pkeyutl -verify -rawin -pubin -inkey "$W/b.pub" -in "$W/msg" -sigfile "$W/sig" \
	> /dev/null 2>&1
tail -c +177 "$W/msg" > "$W/msg.payload"
check_same "the payload sits unchanged at offset 176" "$W/payload.bin" "$W/msg.payload"
# Ed25519 is deterministic: openssl signing the same bytes gives the same block.
openssl pkeyutl -sign -rawin -inkey "$W/a.key" -in "$W/msg" -out "$W/sig2" 2>/dev/null
check_same "openssl pkeyutl -sign writes the signature fwkit wrote" "$W/sig" "$W/sig2"

# ============================================================================
# a flipped bit anywhere
# ============================================================================
E=$((176 + PLEN))
# offset bit what
for spec in "0 0 magic" "7 3 magic" "8 1 format_version" "10 0 flags" "11 7 flags" \
	    "12 4 header_length" "16 0 blob_type" "21 2 target_instance" \
	    "24 0 payload_version" "35 6 payload_length" "40 1 target" "70 0 target" \
	    "104 0 reserved" "112 5 payload_sha256" "143 7 payload_sha256" \
	    "144 0 header_sha256" "175 7 header_sha256" "176 0 payload" \
	    "$((176 + PLEN / 2)) 4 payload" "$((E - 1)) 7 payload" \
	    "$E 0 sig_magic" "$((E + 4)) 1 sig_algorithm" "$((E + 7)) 7 sig_reserved"; do
	set -- $spec
	cp "$C" "$W/flip.fwb"
	flip "$W/flip.fwb" "$1" "$2"
	"$FWKIT" blob verify --pubkey "$W/a.pub" "$W/flip.fwb" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && one_line "$W/err" && [ ! -s "$W/out" ] &&
	   grep -q "^fwkit: $W/flip.fwb: offset [0-9]*: [a-z_0-9]*: " "$W/err"; then
		ok "bit $2 of byte $1 ($3) flipped: refused (exit 2, $(sed 's/.*: offset [0-9]*: \([a-z_0-9]*\):.*/\1/' "$W/err"))"
	else
		notok "bit $2 of byte $1 ($3) flipped: rc=$rc $(cat "$W/out" "$W/err")"
	fi
done
for spec in "$((E + 8)) 0 key_id" "$((E + 39)) 7 key_id" "$((E + 40)) 0 signature" \
	    "$((E + 70)) 3 signature" "$((E + 103)) 7 signature"; do
	set -- $spec
	cp "$C" "$W/flip.fwb"
	flip "$W/flip.fwb" "$1" "$2"
	"$FWKIT" blob info "$W/flip.fwb" > /dev/null 2>&1
	irc=$?
	"$FWKIT" blob verify --pubkey "$W/a.pub" "$W/flip.fwb" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$irc" -eq 0 ] && [ "$rc" -eq 1 ] && one_line "$W/err" &&
	   grep -q "^fwkit: $W/flip.fwb: $3: " "$W/err"; then
		ok "bit $2 of byte $1 ($3) flipped: only the key finds it (verify exit 1, names $3)"
	else
		notok "bit $2 of byte $1 ($3) flipped: info rc=$irc verify rc=$rc $(cat "$W/err")"
	fi
done

# ============================================================================
# truncated, trailing bytes, not a container
# ============================================================================
# length  field  offset
for spec in "0 magic 0" "5 magic 5" "100 target 100" "175 header_sha256 175" \
	    "176 payload_length 32" "$((E - 1)) payload_length 32" "$E sig_magic $E" \
	    "$((E + 20)) key_id $((E + 20))" "$((E + 103)) signature $((E + 103))"; do
	set -- $spec
	head -c "$1" "$C" > "$W/cut.fwb"
	"$FWKIT" blob info "$W/cut.fwb" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 2 ] && one_line "$W/err" && [ ! -s "$W/out" ] &&
	   grep -q "^fwkit: $W/cut.fwb: offset $3: $2: " "$W/err"; then
		ok "truncated to $1 bytes: exit 2, offset $3, field $2"
	else
		notok "truncated to $1 bytes: rc=$rc, want offset $3 $2; got $(cat "$W/err")"
	fi
done
{ cat "$C"; printf 'x'; } > "$W/long.fwb"
"$FWKIT" blob verify --pubkey "$W/a.pub" "$W/long.fwb" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 2 ] && one_line "$W/err" &&
   grep -q "^fwkit: $W/long.fwb: offset $((E + 104)): signature_block: " "$W/err"; then
	ok "a byte after the signature block: exit 2 naming signature_block"
else
	notok "trailing after signature: rc=$rc $(cat "$W/err")"
fi
"$FWKIT" blob pack --target arm,scp --type coprocessor --version 1 -o "$W/u.fwb" \
	"$W/payload.bin" > /dev/null 2>&1 || die "pack unsigned"
{ cat "$W/u.fwb"; printf 'trailer'; } > "$W/ulong.fwb"
"$FWKIT" blob info "$W/ulong.fwb" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 2 ] && one_line "$W/err" &&
   grep -q "^fwkit: $W/ulong.fwb: offset $E: payload_length: " "$W/err"; then
	ok "bytes after an unsigned container: exit 2 naming payload_length"
else
	notok "trailing after unsigned: rc=$rc $(cat "$W/err")"
fi
"$FWKIT" blob info "$W/payload.bin" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "offset 0: magic: " "$W/err"; then
	ok "a file that is no container: exit 2 naming magic"
else
	notok "not a container: rc=$rc $(cat "$W/err")"
fi

# ============================================================================
# unsigned containers, several files
# ============================================================================
"$FWKIT" blob verify "$W/u.fwb" > "$W/out" 2> "$W/err"
expect_exit 0 "verify of an unsigned container without --pubkey: ok" grep -q "^$W/u.fwb: ok (.*not signed)" "$W/out"
"$FWKIT" blob verify --pubkey "$W/a.pub" "$W/u.fwb" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 1 ] && one_line "$W/err" &&
   grep -q "^fwkit: $W/u.fwb: signature: the container is not signed$" "$W/err"; then
	ok "verify --pubkey of an unsigned container: exit 1 (a key was required)"
else
	notok "unsigned with key: rc=$rc $(cat "$W/err")"
fi
"$FWKIT" blob info --json "$W/u.fwb" > "$W/u.json" 2>/dev/null
pyck "info --json of an unsigned container: signed false, no key_id" "$W/u.json" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))[0]
assert e["signed"] is False and "key_id" not in e and e["flags"] == 0
assert e["type"] == "coprocessor" and e["type_code"] == 2 and e["target"] == "arm,scp"
EOF
"$FWKIT" blob verify --pubkey "$W/a.pub" "$C" "$W/cut.fwb" "$C" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(grep -c ": ok (" "$W/out")" -eq 2 ] && one_line "$W/err"; then
	ok "verify of several files: an ok line per good file, exit 2 for the broken one"
else
	notok "several files: rc=$rc $(cat "$W/out" "$W/err")"
fi
"$FWKIT" blob info --json "$C" "$W/u.fwb" > "$W/two.json" 2>/dev/null
pyck "info --json of two files: one array of two objects" "$W/two.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert [e["signed"] for e in j] == [True, False], j
EOF

# ============================================================================
# bad usage, bad keys, unwritable output
# ============================================================================
P="$W/payload.bin"
n=0
while IFS='|' read -r what args; do
	n=$((n + 1))
	rm -f "$W/bad.fwb"
	# shellcheck disable=SC2086
	eval "set -- $args"
	"$FWKIT" blob "$@" > "$W/out" 2> "$W/err" < /dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && one_line "$W/err" && [ ! -e "$W/bad.fwb" ] && no_temp_in "$W"; then
		ok "$what: exit 2, one line, no output ($(cut -c1-60 "$W/err"))"
	else
		notok "$what: rc=$rc, $(wc -l < "$W/err") lines: $(cat "$W/err")"
	fi
done <<EOF
unknown type|pack --target a,b --type gpu --version 1 -o "$W/bad.fwb" "$P"
empty target|pack --target '' --type pmic --version 1 -o "$W/bad.fwb" "$P"
64-character target|pack --target $(printf '%064d' 0) --type pmic --version 1 -o "$W/bad.fwb" "$P"
target with a tab|pack --target "$(printf 'a\tb')" --type pmic --version 1 -o "$W/bad.fwb" "$P"
no --version|pack --target a,b --type pmic -o "$W/bad.fwb" "$P"
negative --version|pack --target a,b --type pmic --version -1 -o "$W/bad.fwb" "$P"
--instance above 2^32-1|pack --target a,b --type pmic --version 1 --instance 4294967296 -o "$W/bad.fwb" "$P"
no -o|pack --target a,b --type pmic --version 1 "$P"
no --target|pack --type pmic --version 1 -o "$W/bad.fwb" "$P"
two payloads|pack --target a,b --type pmic --version 1 -o "$W/bad.fwb" "$P" "$P"
unknown option|pack --target a,b --type pmic --version 1 --frobnicate -o "$W/bad.fwb" "$P"
missing payload|pack --target a,b --type pmic --version 1 -o "$W/bad.fwb" "$W/nonexistent"
--sign with a public key|pack --target a,b --type pmic --version 1 --sign "$W/a.pub" -o "$W/bad.fwb" "$P"
--sign with an EC key|pack --target a,b --type pmic --version 1 --sign "$W/ec.key" -o "$W/bad.fwb" "$P"
--sign with an encrypted key|pack --target a,b --type pmic --version 1 --sign "$W/enc.key" -o "$W/bad.fwb" "$P"
--sign with a missing key|pack --target a,b --type pmic --version 1 --sign "$W/none.key" -o "$W/bad.fwb" "$P"
verify --pubkey EC key|verify --pubkey "$W/ec.key" "$C"
verify --pubkey missing|verify --pubkey "$W/none.pub" "$C"
verify --pubkey not PEM|verify --pubkey "$W/a.id" "$C"
verify --pubkey too big|verify --pubkey "$P" "$C"
info without files|info --json
verify without files|verify --pubkey "$W/a.pub"
unknown subcommand|frob "$C"
EOF
"$FWKIT" blob verify --pubkey "$W/ec.key" "$C" > /dev/null 2> "$W/err"
expect_exit 0 "an EC key is named as such" grep -q "^fwkit: $W/ec.key: key type EC, not Ed25519$" "$W/err"
"$FWKIT" blob pack --target a,b --type pmic --version 1 --sign "$W/enc.key" -o "$W/bad.fwb" \
	"$P" > /dev/null 2> "$W/err" < /dev/null
expect_exit 0 "an encrypted key is refused as such, without a passphrase prompt" \
	grep -q "^fwkit: $W/enc.key: an encrypted private key" "$W/err"
"$FWKIT" blob pack --target 'a,b' --type pmic --version 1 -o "$W/bad.fwb" "$W/nonexistent" \
	> /dev/null 2> "$W/err"
expect_exit 0 "a missing payload is named" grep -q "^fwkit: $W/nonexistent: " "$W/err"

"$FWKIT" blob pack --target a,b --type pmic --version 1 --sign "$W/a.key" \
	-o "$W/no/such/dir/out.fwb" "$P" > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 2 ] && one_line "$W/err" && grep -q "$W/no/such/dir/out.fwb" "$W/err" &&
   [ ! -e "$W/no" ]; then
	ok "output in a missing directory: exit 2, one line naming it, nothing created"
else
	notok "missing directory: rc=$rc $(cat "$W/err"); $(ls "$W")"
fi
# An existing output is replaced whole, and only when everything worked.
cp "$C" "$W/keep.fwb"
"$FWKIT" blob pack --target a,b --type pmic --version 1 --sign "$W/ec.key" \
	-o "$W/keep.fwb" "$P" > /dev/null 2>&1
check_same "a failed pack leaves an existing OUT as it was" "$C" "$W/keep.fwb"

for sub in "" pack info verify; do
	# shellcheck disable=SC2086
	"$FWKIT" blob $sub --help > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$W/err" ] && grep -q "^usage: fwkit blob ${sub:-pack}" "$W/out"; then
		ok "blob ${sub:+$sub }--help: exit 0, usage on stdout"
	else
		notok "blob $sub --help: rc=$rc $(head -n 2 "$W/out" "$W/err")"
	fi
done
"$FWKIT" blob > "$W/out" 2> "$W/err"
rc=$?
if [ "$rc" -eq 2 ] && [ ! -s "$W/out" ] && grep -q "^usage: fwkit blob" "$W/err"; then
	ok "blob without a subcommand: exit 2, usage on stderr"
else
	notok "blob without a subcommand: rc=$rc"
fi

# ============================================================================
# the specification's example, byte for byte
# ============================================================================
DOC="$FWKIT_ROOT/docs/formats/fwb.md"
[ -f "$DOC" ] || die "$DOC missing"
# RFC 8032 section 7.1 TEST 2's secret key as PKCS#8 DER: the fixed
# 16-byte prefix of RFC 8410 then the 32 bytes.
python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' \
	302e020100300506032b6570042204204ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb |
	openssl pkey -inform DER -out "$W/rfc.key" || die "RFC 8032 key"
printf 'hello, firmware\n' > "$W/hello.txt"
"$FWKIT" blob pack --target vendor,example-pmic --type pmic --version 3 \
	--sign "$W/rfc.key" -o "$W/example.fwb" "$W/hello.txt" > /dev/null 2>&1 ||
	notok "pack the documentation's example"
# xxd's default layout, which the page shows.
python3 - "$W/example.fwb" > "$W/example.hex" <<'EOF'
import sys
b = open(sys.argv[1], 'rb').read()
for o in range(0, len(b), 16):
    row = b[o:o + 16]
    groups = ' '.join(row[i:i + 2].hex() for i in range(0, len(row), 2))
    text = ''.join(chr(c) if 0x20 <= c < 0x7f else '.' for c in row)
    print('%08x: %-39s  %s' % (o, groups, text))
EOF
sed -n '/<!-- fwb-example-begin -->/,/<!-- fwb-example-end -->/p' "$DOC" |
	grep '^[0-9a-f]\{8\}: ' > "$W/doc.hex"
check_same "docs/formats/fwb.md's hexdump is what pack writes" "$W/doc.hex" "$W/example.hex"
openssl pkey -in "$W/rfc.key" -pubout -out "$W/rfc.pub"
sed -n '/^-----BEGIN PUBLIC KEY-----$/,/^-----END PUBLIC KEY-----$/p' "$DOC" > "$W/doc.pub"
check_same "the documented public key is RFC 8032 TEST 2's" "$W/rfc.pub" "$W/doc.pub"
expect_exit 0 "the example verifies with the documented public key" \
	"$FWKIT" blob verify --pubkey "$W/doc.pub" "$W/example.fwb" > /dev/null

finish
