#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/cli/dt.sh - fwkit dt check|info|apply as a user drives them, on trees
# dtc compiles at test time from the sources in tests/dt/cases/:
#   - every case: the result equals fdtoverlay's for the same base and
#     overlays (both decompiled by dtc), the created/changed lines equal the
#     case's `expect`, the result is packed and passes dt check
#   - refusals (a base without __symbols__, a missing label, target-path or
#     target phandle, a replaced phandle, libfdt's own refusal, one overlay
#     of a stack, not an overlay): exit code, one line naming the overlay and
#     the problem, no OUT and an existing OUT untouched
#   - malformed trees made by patching dtc output (tests/dt/dtbtool.py bad):
#     check, info and apply all exit 2 with one line naming file and field
#   - --initrd: overlays from a gzip image made by `fwkit initrd build` and
#     from an early cpio made by GNU cpio, in byte order of their names, the
#     later archive winning, subdirectories and other suffixes ignored
#   - the ledger: one record per overlay with the right digests and reason,
#     shown by `fwkit taint show`; none with --no-ledger or on a refusal
#   - check's lines and counts against an independent reader, warnings,
#     --strict, -q; info --json and text; --help and bad usage.
. "$(dirname "$0")/../lib.sh"
need dtc fdtoverlay python3 cpio gzip sha256sum cmp diff find sed
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
CASES="$FWKIT_ROOT/tests/dt/cases"
TOOL="$FWKIT_ROOT/tests/dt/dtbtool.py"
[ -f "$TOOL" ] && [ -d "$CASES" ] || die "$TOOL or $CASES missing"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE
umask 022

one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
no_temp_in() { [ -z "$(find "$1" -maxdepth 1 -name '*.fwkit-*')" ]; }
size_of() { wc -c < "$1" | tr -d ' '; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
# dtb SRC.dts OUT: compile as the cases are meant to be built (-@).
dtb() { dtc -q -@ -I dts -O dtb -o "$2" "$1" || die "dtc cannot compile $1"; }
# dts DTB OUT: decompile, for comparing trees as text.
dts() { dtc -q -I dtb -O dts -o "$2" "$1" 2>/dev/null || die "dtc cannot decompile $1"; }
# pyck DESC ARGS... <<'EOF' (python reading sys.argv[1:]): a check.
pyck() {
	_d=$1; shift
	if python3 - "$@" > "$W/py.out" 2>&1; then ok "$_d"
	else notok "$_d"; tail -n 3 "$W/py.out" | sed 's/^/#   /' >&3; fi
}

# ============================================================================
# 1. the cases: fwkit dt apply against fdtoverlay
# ============================================================================
ncases=0
for dir in "$CASES"/*/; do
	c=$(basename "$dir")
	O="$W/cases/$c"
	mkdir -p "$O"
	[ -f "$dir/base.dts" ] && [ -f "$dir/expect" ] || die "case $c lacks base.dts or expect"
	dtb "$dir/base.dts" "$O/base.dtb"
	set --
	for s in "$dir"/ovl*.dts; do
		[ -f "$s" ] || die "case $c has no ovl*.dts"
		n=$(basename "$s" .dts)
		dtb "$s" "$O/$n.dtbo"
		set -- "$@" "$O/$n.dtbo"
	done
	fdtoverlay -i "$O/base.dtb" -o "$O/ref.dtb" "$@" || die "fdtoverlay refuses case $c"
	ncases=$((ncases + 1))
	"$FWKIT" dt apply --no-ledger -o "$O/out.dtb" "$O/base.dtb" "$@" > "$O/stdout" 2> "$O/stderr"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$O/stderr" ]; then
		notok "case $c: apply: exit $rc, $(head -n 2 "$O/stderr")"
		continue
	fi
	dts "$O/ref.dtb" "$O/ref.dts"
	dts "$O/out.dtb" "$O/out.dts"
	check_same "case $c: the result is fdtoverlay's (as dts)" "$O/ref.dts" "$O/out.dts"
	sed -n "s|^$O/\(ovl[0-9]*\)\.dtbo: applied: |\1: |p" "$O/stdout" > "$O/got"
	grep -v '^#' "$dir/expect" > "$O/expect"
	check_same "case $c: created/changed lines as in expect" "$O/expect" "$O/got"
	want="$O/out.dtb: $# overlay$([ $# -eq 1 ] || echo s), $(size_of "$O/out.dtb") bytes"
	check "case $c: last line 'OUT: N overlay(s), SIZE bytes', SIZE the file's" \
		sh -c "[ \"\$(tail -n 1 '$O/stdout')\" = '$want' ] && [ \$(wc -l < '$O/stdout') -eq $(($# + 1)) ]"
	tot=$(python3 "$TOOL" stats "$O/out.dtb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalsize"])')
	check "case $c: the result is packed (totalsize = file size) and passes dt check" \
		sh -c "[ '$tot' = '$(size_of "$O/out.dtb")' ] && '$FWKIT' dt check -q '$O/out.dtb' 2>/dev/null"
done
check "at least 20 overlay cases ($ncases)" [ "$ncases" -ge 20 ]
# Order matters in case 16: the other order gives another tree.
C16="$W/cases/16-order-matters"
fdtoverlay -i "$C16/base.dtb" -o "$C16/rev.dtb" "$C16/ovl2.dtbo" "$C16/ovl1.dtbo" || die "fdtoverlay"
dts "$C16/rev.dtb" "$C16/rev.dts"
check "case 16: the reverse order is another tree (so order is tested)" \
	sh -c "! cmp -s '$C16/rev.dts' '$C16/ref.dts'"

# ============================================================================
# 2. refusals: well formed, but the overlay does not fit
# ============================================================================
R="$W/refuse"
mkdir -p "$R"
# refuse DESC CODE PATTERN APPLY-ARGS...: exit CODE, one line on stderr
# matching PATTERN (grep -E), nothing on stdout, no OUT, an existing OUT
# untouched, no temporary file, no ledger record.
refuse() {
	_d=$1 _code=$2 _pat=$3; shift 3
	rm -f "$R/out.dtb" "$R/ledger"
	"$FWKIT" dt apply --ledger "$R/ledger" -o "$R/out.dtb" "$@" > "$R/stdout" 2> "$R/err"
	_rc=$?
	if [ "$_rc" -eq "$_code" ] && one_line "$R/err" && grep -Eq -- "$_pat" "$R/err" &&
	   [ ! -s "$R/stdout" ] && [ ! -e "$R/out.dtb" ] && [ ! -e "$R/ledger" ] && no_temp_in "$R"; then
		ok "refused: $_d: exit $_code, one line naming it, nothing written"
	else
		notok "refused: $_d: exit $_rc (want $_code): $(head -n 3 "$R/err")"
	fi
	printf 'an earlier result\n' > "$R/old.dtb"
	cp "$R/old.dtb" "$R/keep.dtb"
	"$FWKIT" dt apply --no-ledger -o "$R/old.dtb" "$@" > /dev/null 2>&1
	check "refused: $_d: an existing OUT stays as it was" cmp -s "$R/old.dtb" "$R/keep.dtb"
}
B1="$W/cases/01-label-target"
# A base built without -@: no __symbols__.
dtc -q -I dts -O dtb -o "$R/nosym.dtb" "$CASES/01-label-target/base.dts" || die "dtc"
refuse "base without __symbols__" 1 \
	"^fwkit: $R/nosym.dtb: no __symbols__ node, but $B1/ovl1.dtbo refers to labels: rebuild $R/nosym.dtb with dtc -@\$" \
	"$R/nosym.dtb" "$B1/ovl1.dtbo"
cat > "$R/label.dts" <<'EOF'
/dts-v1/;
/plugin/;
&uart0 {
	status = "okay";
};
&uart9 {
	status = "okay";
};
EOF
dtb "$R/label.dts" "$R/label.dtbo"
refuse "label missing from the base's __symbols__" 1 \
	"^fwkit: $R/label.dtbo: fragment@1: label 'uart9' is not in the __symbols__ of $B1/base.dtb\$" \
	"$B1/base.dtb" "$R/label.dtbo"
cat > "$R/path.dts" <<'EOF'
/dts-v1/;
/plugin/;
&{/soc/nothing} {
	status = "okay";
};
EOF
dtb "$R/path.dts" "$R/path.dtbo"
refuse "target-path missing from the base" 1 \
	"^fwkit: $R/path.dtbo: fragment@0: target-path '/soc/nothing' does not exist in $B1/base.dtb\$" \
	"$B1/base.dtb" "$R/path.dtbo"
cat > "$R/phandle.dts" <<'EOF'
/dts-v1/;
/plugin/;
/ {
	fragment@0 {
		target = <0x42>;
		__overlay__ {
			status = "okay";
		};
	};
};
EOF
dtb "$R/phandle.dts" "$R/phandle.dtbo"
refuse "target phandle missing from the base" 1 \
	"^fwkit: $R/phandle.dtbo: fragment@0: target phandle 0x42 is not in $B1/base.dtb\$" \
	"$B1/base.dtb" "$R/phandle.dtbo"
# __symbols__ written by hand, without -@: the label's node has no phandle,
# so nothing could point at it.
cat > "$R/nophandle.dts" <<'EOF'
/dts-v1/;
/ {
	soc {
		serial@1000 {
			status = "disabled";
		};
	};
	__symbols__ {
		uart0 = "/soc/serial@1000";
	};
};
EOF
dtc -q -I dts -O dtb -o "$R/nophandle.dtb" "$R/nophandle.dts" || die "dtc"
refuse "a label whose node in the base has no phandle" 1 \
	"^fwkit: $B1/ovl1.dtbo: fragment@0: label 'uart0' cannot be resolved in $R/nophandle.dtb: .*phandle" \
	"$R/nophandle.dtb" "$B1/ovl1.dtbo"
# A label on a node the base already has (and gave a phandle): libfdt would
# silently give /soc/serial@1000 a new phandle and break &uart0 users.
cat > "$R/overwrite.dts" <<'EOF'
/dts-v1/;
/plugin/;
&{/soc} {
	mine: serial@1000 {
		status = "okay";
	};
};
&{/} {
	user {
		port = <&mine>;
	};
};
EOF
dtb "$R/overwrite.dts" "$R/overwrite.dtbo"
fdtoverlay -i "$B1/base.dtb" -o "$R/lib-overwrite.dtb" "$R/overwrite.dtbo" ||
	die "fdtoverlay refuses overwrite.dtbo: the case no longer shows what it should"
check "fdtoverlay does replace that phandle (what the refusal prevents)" \
	sh -c "[ \"\$(fdtget -t x '$R/lib-overwrite.dtb' /soc/serial@1000 phandle)\" != \"\$(fdtget -t x '$B1/base.dtb' /soc/serial@1000 phandle)\" ]"
refuse "an overlay replacing a base node's phandle" 1 \
	"^fwkit: $R/overwrite.dtbo: (fragment@0: )?would replace the phandle of $B1/base.dtb's /soc/serial@1000\$" \
	"$B1/base.dtb" "$R/overwrite.dtbo"
# Phandles run out: the base uses 0xfffffffe, the overlay brings one more.
cat > "$R/full.dts" <<'EOF'
/dts-v1/;
/ {
	top: node {
		phandle = <0xfffffffe>;
	};
};
EOF
dtb "$R/full.dts" "$R/full.dtb"
cat > "$R/more.dts" <<'EOF'
/dts-v1/;
/plugin/;
&{/} {
	extra: extra {
		self = <&extra>;
	};
};
EOF
dtb "$R/more.dts" "$R/more.dtbo"
fdtoverlay -i "$R/full.dtb" -o "$R/x.dtb" "$R/more.dtbo" 2>/dev/null &&
	die "fdtoverlay accepts more.dtbo on full.dtb: the libfdt refusal case shows nothing"
# libfdt would fail with FDT_ERR_NOPHANDLES; fwkit sees it coming.  The
# overlay is well formed on its own: a finding about the pair, exit 1.
refuse "phandles run out (libfdt's FDT_ERR_NOPHANDLES, seen before libfdt runs)" 1 \
	"^fwkit: $R/more.dtbo \(on $R/full.dtb\): offset [0-9]+ \(/fragment@0/__overlay__/extra\): phandle: " \
	"$R/full.dtb" "$R/more.dtbo"
# In a stack: the failing overlay is named, and the tree it failed on.
C11="$W/cases/11-stack-label-from-earlier"
refuse "stack: the second overlay's label is missing from the tree after the first" 1 \
	"^fwkit: $R/label.dtbo: fragment@1: label 'uart9' is not in the __symbols__ of the tree after 1 overlay on $B1/base.dtb\$" \
	"$B1/base.dtb" "$C11/ovl1.dtbo" "$R/label.dtbo"
refuse "stack in the wrong order: the label comes from a later overlay" 1 \
	"^fwkit: $C11/ovl2.dtbo: fragment@0: label 'expander' is not in the __symbols__ of $C11/base.dtb\$" \
	"$C11/base.dtb" "$C11/ovl2.dtbo" "$C11/ovl1.dtbo"
refuse "stack: third of three, target-path missing" 1 \
	"^fwkit: $R/path.dtbo: fragment@0: target-path '/soc/nothing' does not exist in the tree after 2 overlays on $B1/base.dtb\$" \
	"$B1/base.dtb" "$C11/ovl1.dtbo" "$C11/ovl2.dtbo" "$R/path.dtbo"
refuse "a plain DTB given as an overlay" 2 \
	"^fwkit: $B1/base.dtb: not an overlay" \
	"$B1/base.dtb" "$B1/base.dtb"
refuse "a missing overlay file" 2 "^fwkit: $R/no-such.dtbo: " "$B1/base.dtb" "$R/no-such.dtbo"
refuse "a missing base file" 2 "^fwkit: $R/no-such.dtb: " "$R/no-such.dtb" "$B1/ovl1.dtbo"

# ============================================================================
# 3. malformed trees: check, info and apply
# ============================================================================
M="$W/bad"
python3 "$TOOL" bad "$W/cases/10-several-fragments/base.dtb" \
	"$W/cases/20-mixed-fixups/ovl1.dtbo" "$M" > "$W/manifest" || die "dtbtool.py bad failed"
# Nesting: DT_DEPTH_MAX (64) levels below the root pass, one more does not.
python3 "$TOOL" deep 64 > "$W/deep64.dts" && python3 "$TOOL" deep 65 > "$W/deep65.dts" ||
	die "dtbtool.py deep failed"
dtb "$W/deep64.dts" "$W/deep64.dtb"
dtb "$W/deep65.dts" "$M/dtb-nested-65.dtb"
echo "dtb-nested-65.dtb|dtb|depth|node|FDT_BEGIN_NODE|nesting|token" >> "$W/manifest"
expect_exit 0 "a node 64 levels deep passes dt check" "$FWKIT" dt check -q "$W/deep64.dtb"
"$FWKIT" dt info --json "$W/deep64.dtb" > "$W/deep.json"
pyck "and info says max_depth 64" "$W/deep.json" <<'EOF'
import json, sys
assert json.load(open(sys.argv[1]))["max_depth"] == 64
EOF
# bad_line DESC FILE FIELDS: the one line of $W/err names FILE and a field.
bad_line() {
	_d=$1 _f=$2 _re=$3
	if [ "$_rc" -eq 2 ] && one_line "$W/err" && grep -Fq "fwkit: $_f: offset " "$W/err" &&
	   grep -Eq ": ($_re): " "$W/err" && [ ! -s "$W/out" ] && [ ! -e "$W/never.dtb" ]; then
		ok "$_d"
	else
		notok "$_d: exit $_rc: $(head -n 2 "$W/err")"
	fi
}
nbad=0
while IFS='|' read -r name kind fields; do
	f="$M/$name"
	nbad=$((nbad + 1))
	"$FWKIT" dt check "$f" > "$W/out" 2> "$W/err"; _rc=$?
	bad_line "malformed $name: check: exit 2, one line naming the file and ($fields)" "$f" "$fields"
	"$FWKIT" dt info --json "$f" > "$W/out" 2> "$W/err"; _rc=$?
	bad_line "malformed $name: info: the same" "$f" "$fields"
	if [ "$kind" = dtb ]; then
		"$FWKIT" dt apply --no-ledger -o "$W/never.dtb" "$f" "$B1/ovl1.dtbo" > "$W/out" 2> "$W/err"
	else
		"$FWKIT" dt apply --no-ledger -o "$W/never.dtb" "$B1/base.dtb" "$f" > "$W/out" 2> "$W/err"
	fi
	_rc=$?
	bad_line "malformed $name: apply (as the $([ "$kind" = dtb ] && echo base || echo overlay)): the same, no OUT" "$f" "$fields"
done < "$W/manifest"
check "malformed variants tried: $nbad (at least 40)" [ "$nbad" -ge 40 ]
# The node of a fault is named when it can be.
"$FWKIT" dt check "$M/dtb-bad-node-name.dtb" > /dev/null 2> "$W/err"
check "a bad node name: the line names the node's parent path" \
	grep -Eq "^fwkit: $M/dtb-bad-node-name.dtb: offset [0-9]+ \(/soc[^)]*\): node name: " "$W/err"
"$FWKIT" dt check "$M/dtbo-local-fixup-not-a-phandle.dtbo" > /dev/null 2> "$W/err"
check "a bogus local fixup: the line names a node under /__local_fixups__" \
	grep -Eq "^fwkit: [^ ]*: offset [0-9]+ \(/__local_fixups__/[^)]*\): __local_fixups__: " "$W/err"
# A mixed list: the good files are still reported.
"$FWKIT" dt check "$B1/base.dtb" "$M/dtb-bad-magic.dtb" "$B1/ovl1.dtbo" > "$W/out" 2> "$W/err"
rc=$?
check "check good bad good: exit 2, one line for the bad one, two ok lines" \
	sh -c "[ $rc -eq 2 ] && one() { [ \$(wc -l < \"\$1\") -eq \$2 ]; } && one '$W/err' 1 && one '$W/out' 2 &&
		grep -q '^$B1/base.dtb: ok: ' '$W/out' && grep -q '^$B1/ovl1.dtbo: ok: ' '$W/out'"

# ============================================================================
# 4. check: lines and counts against an independent reader; warnings
# ============================================================================
# expect_check FILE: dt check's one line for FILE, with dtbtool.py's counts.
expect_check() {
	python3 - "$1" "$TOOL" <<'EOF'
import json, subprocess, sys
s = json.loads(subprocess.check_output([sys.executable, sys.argv[2], "stats", sys.argv[1]]))
def n(k, one, many):
    return "%d %s" % (s[k], one if s[k] == 1 else many)
parts = []
if s["fragments"]:
    parts = ["overlay v%d" % s["version"], n("fragments", "fragment", "fragments"),
             n("fixup_refs", "fixup", "fixups"), n("local_fixup_refs", "local fixup", "local fixups")]
else:
    parts = ["dtb v%d" % s["version"]]
parts += [n("nodes", "node", "nodes"), n("properties", "property", "properties"),
          n("phandles", "phandle", "phandles"), n("symbols", "symbol", "symbols")]
print("%s: ok: %s" % (sys.argv[1], ", ".join(parts)))
EOF
}
for f in "$W/cases/10-several-fragments/base.dtb" "$W/cases/10-several-fragments/ovl1.dtbo" \
	 "$W/cases/20-mixed-fixups/ovl1.dtbo" "$W/cases/21-memreserve/base.dtb" \
	 "$W/cases/15-stack-of-four-chain/ovl4.dtbo" "$W/cases/17-raw-phandle-target/ovl1.dtbo"; do
	expect_check "$f" > "$W/want" || die "dtbtool.py stats failed on $f"
	"$FWKIT" dt check "$f" > "$W/got" 2> "$W/err"
	rc=$?
	# Warnings (dtc's own checks) are counted at the end of the line.
	nw=$(grep -c ": Warning (" "$W/err")
	case $nw in 0) ;; 1) sed -i 's/, 1 warning$//' "$W/got" ;; *) sed -i "s/, $nw warnings\$//" "$W/got" ;; esac
	check_same "check $(basename "$(dirname "$f")")/$(basename "$f"): exit $rc, the counts dtbtool.py finds, $nw warnings as printed" \
		"$W/want" "$W/got"
done
"$FWKIT" dt check -q "$W/cases/10-several-fragments/base.dtb" > "$W/out" 2> "$W/err"
rc=$?
check "check -q: exit 0, nothing printed" sh -c "[ $rc -eq 0 ] && [ ! -s '$W/out' ] && [ ! -s '$W/err' ]"
cat > "$W/warn.dts" <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		foo@0 {
			compatible = "fwkit,foo";
		};
	};
};
EOF
dtb "$W/warn.dts" "$W/warn.dtb"
"$FWKIT" dt check "$W/warn.dtb" > "$W/out" 2> "$W/err"
rc=$?
check "a unit address without reg: exit 0, the warning in dtc's format, still ok" \
	sh -c "[ $rc -eq 0 ] && grep -q '^$W/warn.dtb: Warning (unit_address_vs_reg): /soc/foo@0: ' '$W/err' &&
		grep -q '^$W/warn.dtb: ok: dtb v17, ' '$W/out'"
expect_exit 1 "the same with --strict: exit 1" "$FWKIT" dt check --strict "$W/warn.dtb" > /dev/null 2>&1
"$FWKIT" dt check -q "$W/warn.dtb" > "$W/out" 2> "$W/err"
check "-q keeps the warning, drops the ok line" sh -c "[ ! -s '$W/out' ] && grep -q 'unit_address_vs_reg' '$W/err'"
expect_exit 0 "--strict on a tree without warnings: exit 0" \
	"$FWKIT" dt check --strict -q "$W/cases/10-several-fragments/base.dtb"

# ============================================================================
# 5. info
# ============================================================================
C10="$W/cases/10-several-fragments"
for f in "$C10/base.dtb" "$C10/ovl1.dtbo" "$W/cases/17-raw-phandle-target/ovl1.dtbo" \
	 "$W/cases/21-memreserve/base.dtb" "$W/cases/20-mixed-fixups/ovl1.dtbo"; do
	"$FWKIT" dt info --json "$f" > "$W/info.json" 2> "$W/err"
	rc=$?
	python3 "$TOOL" stats "$f" > "$W/stats.json"
	pyck "info --json $(basename "$(dirname "$f")")/$(basename "$f"): exit 0 ($rc), valid JSON, counts as dtbtool.py finds" \
		"$W/info.json" "$W/stats.json" "$rc" "$f" <<'EOF'
import json, sys
j, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert sys.argv[3] == "0"
assert j["file"] == sys.argv[4]
assert j["kind"] == ("overlay" if s["fragments"] else "dtb"), j["kind"]
for k in ("nodes", "properties", "phandles", "max_depth", "local_fixups", "fixup_refs"):
    want = s["local_fixup_refs" if k == "local_fixups" else k]
    assert j[k] == want, (k, j[k], want)
assert len(j["symbols"]) == s["symbols"], j["symbols"]
assert len(j["fixups"]) == s["fixups"], j["fixups"]
assert sum(len(v) for v in j["fixups"].values()) == s["fixup_refs"]
assert len(j["fragments"]) == s["fragments"], j["fragments"]
assert len(j["reserved"]) == s["reserve_entries"], j["reserved"]
assert j["header"]["totalsize"] == s["totalsize"] and j["header"]["version"] == s["version"]
EOF
done
"$FWKIT" dt info --json "$C10/base.dtb" > "$W/b.json"
"$FWKIT" dt info --json "$C10/ovl1.dtbo" > "$W/o.json"
"$FWKIT" dt info --json "$W/cases/17-raw-phandle-target/ovl1.dtbo" > "$W/p.json"
"$FWKIT" dt info --json "$W/cases/21-memreserve/base.dtb" > "$W/r.json"
pyck "info --json: symbols, fixups, fragments by label, path and phandle, reservations" \
	"$W/b.json" "$W/o.json" "$W/p.json" "$W/r.json" <<'EOF'
import json, sys
b, o, p, r = (json.load(open(f)) for f in sys.argv[1:5])
assert b["symbols"] == {"soc": "/soc", "uart0": "/soc/serial@1000", "uart1": "/soc/serial@1100",
                        "spi0": "/soc/spi@2000", "gpio0": "/soc/gpio@3000"}, b["symbols"]
assert b["fragments"] == [] and b["fixups"] == {}
assert o["fixups"]["uart0"] == ["/fragment@0:target:0"], o["fixups"]
assert sorted(o["fixups"]["gpio0"]) == sorted(["/fragment@2/__overlay__/flash@0:reset-gpios:0",
                                               "/fragment@3/__overlay__/leds/heartbeat:gpios:0"]), o["fixups"]
frag = {f["name"]: f for f in o["fragments"]}
assert [f["name"] for f in o["fragments"]] == ["fragment@0", "fragment@1", "fragment@2", "fragment@3"]
assert frag["fragment@0"]["target_label"] == "uart0" and frag["fragment@0"]["target_path"] is None
assert frag["fragment@2"]["target_label"] == "spi0"
assert frag["fragment@3"]["target_path"] == "/" and frag["fragment@3"]["target_label"] is None
assert [(f["target_phandle"], f["target_label"], f["target_path"]) for f in p["fragments"]] == \
       [(0x43, None, None), (0x42, None, None)], p["fragments"]
assert r["reserved"] == [{"address": 0x80000000, "size": 0x10000},
                         {"address": 0x9f000000, "size": 0x1000000}], r["reserved"]
EOF
"$FWKIT" dt info "$C10/base.dtb" > "$W/b.txt"
"$FWKIT" dt info "$C10/ovl1.dtbo" > "$W/o.txt"
"$FWKIT" dt info "$W/cases/17-raw-phandle-target/ovl1.dtbo" > "$W/p.txt"
check "info text: the base's symbols, label -> path" \
	sh -c "grep -q 'uart0 -> /soc/serial@1000' '$W/b.txt' && grep -q 'gpio0 -> /soc/gpio@3000' '$W/b.txt'"
check "info text: the overlay's fragments by label and path, its fixups" \
	sh -c "grep -q 'fragment@0 -> label uart0' '$W/o.txt' && grep -q 'fragment@3 -> path /\$' '$W/o.txt' &&
		grep -q 'uart1 -> /fragment@1:target:0' '$W/o.txt'"
check "info text: fragments by bare phandle" \
	sh -c "grep -q 'fragment@0 -> phandle 0x43' '$W/p.txt' && grep -q 'fragment@1 -> phandle 0x42' '$W/p.txt'"

# ============================================================================
# 6. --initrd
# ============================================================================
I="$W/initrd"
mkdir -p "$I/main/kernel/firmware/dtb/overlays/sub" "$I/early/kernel/firmware/dtb/overlays" "$I/main/etc"
# Overlays that, if applied, leave a mark a comparison would see.
for n in ignored-sub ignored-suffix from-early from-main from-cmdline; do
	printf '/dts-v1/;\n/plugin/;\n&{/} {\n\t%s {\n\t\tmark = "%s";\n\t};\n};\n' "$n" "$n" > "$I/$n.dts"
	dtb "$I/$n.dts" "$I/$n.dtbo"
done
OV="$I/main/kernel/firmware/dtb/overlays"
# Byte order puts 'B' (0x42) before 'a' (0x61), a locale's order would not.
cp "$C16/ovl2.dtbo" "$OV/B-fast.dtbo"
cp "$C16/ovl1.dtbo" "$OV/a-slow.dtbo"
cp "$I/ignored-sub.dtbo" "$OV/sub/c-sub.dtbo"
cp "$I/ignored-suffix.dtbo" "$OV/d-notes.dtb"
printf 'not a tree\n' > "$OV/README"
printf 'board\n' > "$I/main/etc/hostname"
"$FWKIT" initrd build -o "$I/gz.img" --compress gzip "$I/main" > /dev/null || die "initrd build failed"
fdtoverlay -i "$C16/base.dtb" -o "$I/ref-gz.dtb" "$C16/ovl2.dtbo" "$C16/ovl1.dtbo" "$I/from-cmdline.dtbo" ||
	die "fdtoverlay"
"$FWKIT" dt apply --no-ledger -o "$I/out-gz.dtb" --initrd "$I/gz.img" "$C16/base.dtb" \
	"$I/from-cmdline.dtbo" > "$I/stdout" 2> "$I/err"
rc=$?
check "--initrd (gzip image from initrd build): exit 0 ($rc)" [ "$rc" -eq 0 ]
dts "$I/ref-gz.dtb" "$I/ref-gz.dts"
dts "$I/out-gz.dtb" "$I/out-gz.dts"
check_same "--initrd: B-fast then a-slow (byte order), then the command line's; as fdtoverlay" \
	"$I/ref-gz.dts" "$I/out-gz.dts"
cat > "$I/want" <<EOF
$I/gz.img:kernel/firmware/dtb/overlays/B-fast.dtbo: applied: created /second; changed /soc/serial@1000
$I/gz.img:kernel/firmware/dtb/overlays/a-slow.dtbo: applied: created /first; changed /soc/serial@1000
$I/from-cmdline.dtbo: applied: created /from-cmdline
$I/out-gz.dtb: 3 overlays, $(size_of "$I/out-gz.dtb") bytes
EOF
check_same "--initrd: one line per overlay, named IMAGE:path, sub/ and .dtb ignored" "$I/want" "$I/stdout"
check "--initrd: the final current-speed is a-slow's 9600 (it came last)" \
	sh -c "[ \"\$(fdtget '$I/out-gz.dtb' /soc/serial@1000 current-speed)\" = 9600 ]"
# An early uncompressed cpio by GNU cpio ("./" names), then the gzip image:
# early carries B-fast and a c-extra that main's c-extra replaces.
EV="$I/early/kernel/firmware/dtb/overlays"
cp "$C16/ovl2.dtbo" "$EV/B-fast.dtbo"
cp "$I/from-early.dtbo" "$EV/c-extra.dtbo"
rm "$OV/B-fast.dtbo"
cp "$I/from-main.dtbo" "$OV/c-extra.dtbo"
(cd "$I/early" && find . | LC_ALL=C sort | cpio -o -H newc --quiet > "$I/early.cpio") || die "GNU cpio failed"
"$FWKIT" initrd build -o "$I/main.img" --compress gzip "$I/main" > /dev/null || die "initrd build failed"
cat "$I/early.cpio" "$I/main.img" > "$I/both.img"
"$FWKIT" initrd ls "$I/both.img" > "$I/ls" 2>&1 || die "initrd ls cannot read both.img: $(head -n 1 "$I/ls")"
fdtoverlay -i "$C16/base.dtb" -o "$I/ref-both.dtb" "$C16/ovl2.dtbo" "$C16/ovl1.dtbo" "$I/from-main.dtbo" ||
	die "fdtoverlay"
"$FWKIT" dt apply --no-ledger -o "$I/out-both.dtb" --initrd "$I/both.img" "$C16/base.dtb" \
	> "$I/stdout" 2> "$I/err"
rc=$?
check "--initrd (early GNU cpio + gzip): exit 0 ($rc), the initrd's overlays alone" [ "$rc" -eq 0 ]
dts "$I/ref-both.dtb" "$I/ref-both.dts"
dts "$I/out-both.dtb" "$I/out-both.dts"
check_same "--initrd: B-fast (early), a-slow, c-extra (main's, replacing early's); as fdtoverlay" \
	"$I/ref-both.dts" "$I/out-both.dts"
check "--initrd: three overlays, the names without './'" \
	sh -c "[ \$(grep -c ': applied: ' '$I/stdout') -eq 3 ] &&
		grep -q '^$I/both.img:kernel/firmware/dtb/overlays/B-fast.dtbo: applied: ' '$I/stdout' &&
		grep -q '^$I/both.img:kernel/firmware/dtb/overlays/c-extra.dtbo: applied: created /from-main\$' '$I/stdout'"
# An image without overlays, and no overlay given: nothing to do.
"$FWKIT" initrd build -o "$I/none.img" --compress gzip etc/hostname="$I/main/etc/hostname" > /dev/null ||
	die "initrd build failed"
"$FWKIT" dt apply --no-ledger -o "$I/never.dtb" --initrd "$I/none.img" "$C16/base.dtb" > "$I/stdout" 2> "$I/err"
rc=$?
check "--initrd without overlays and none given: exit 1, one line naming the image, no OUT" \
	sh -c "[ $rc -eq 1 ] && [ \$(wc -l < '$I/err') -eq 1 ] && grep -q '$I/none.img' '$I/err' && [ ! -e '$I/never.dtb' ]"
head -c $(($(size_of "$I/main.img") / 2)) "$I/main.img" > "$I/cut.img"
"$FWKIT" dt apply --no-ledger -o "$I/never.dtb" --initrd "$I/cut.img" "$C16/base.dtb" > "$I/stdout" 2> "$I/err"
rc=$?
check "--initrd with a damaged image: exit 2, one line naming it, no OUT" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$I/err') -eq 1 ] && grep -q '^fwkit: $I/cut.img: ' '$I/err' && [ ! -e '$I/never.dtb' ]"
# A damaged overlay inside the image is named by image and path.
cp "$M/dtbo-fixup-no-colons.dtbo" "$OV/e-bad.dtbo"
"$FWKIT" initrd build -o "$I/badovl.img" --compress gzip "$I/main" > /dev/null || die "initrd build failed"
"$FWKIT" dt apply --no-ledger -o "$I/never.dtb" --initrd "$I/badovl.img" "$C16/base.dtb" > "$I/stdout" 2> "$I/err"
rc=$?
check "--initrd with a malformed overlay in it: exit 2, one line naming IMAGE:path and the field" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$I/err') -eq 1 ] &&
		grep -q '^fwkit: $I/badovl.img:kernel/firmware/dtb/overlays/e-bad.dtbo: offset [0-9]* ([^)]*): __fixups__: ' '$I/err' &&
		[ ! -e '$I/never.dtb' ]"
rm "$OV/e-bad.dtbo"

# ============================================================================
# 7. the ledger
# ============================================================================
L="$W/ledger"
mkdir -p "$L"
C14="$W/cases/14-stack-of-three"
"$FWKIT" dt apply --no-ledger -o "$L/mid1.dtb" "$C14/base.dtb" "$C14/ovl1.dtbo" > /dev/null || die "apply"
"$FWKIT" dt apply --no-ledger -o "$L/mid2.dtb" "$C14/base.dtb" "$C14/ovl1.dtbo" "$C14/ovl2.dtbo" > /dev/null ||
	die "apply"
expect_exit 0 "apply a stack of three with --ledger" \
	"$FWKIT" dt apply --ledger "$L/ledger.json" -o "$L/out.dtb" "$C14/base.dtb" \
	"$C14/ovl1.dtbo" "$C14/ovl2.dtbo" "$C14/ovl3.dtbo" > /dev/null
pyck "ledger: three dt-overlay records, digests of each overlay and of the tree it went on, reasons" \
	"$L/ledger.json" "$C14" "$(sha_of "$C14/base.dtb")" "$(sha_of "$L/mid1.dtb")" "$(sha_of "$L/mid2.dtb")" \
	"$(sha_of "$C14/ovl1.dtbo")" "$(sha_of "$C14/ovl2.dtbo")" "$(sha_of "$C14/ovl3.dtbo")" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
d = sys.argv[2]
before, ovl = sys.argv[3:6], sys.argv[6:9]
reasons = ["changed /soc/spi@2000", "created /soc/spi@2000/flash@0",
           "created /soc/spi@2000/flash@0/partitions /soc/spi@2000/flash@0/partitions/partition@0 "
           "/soc/spi@2000/flash@0/partitions/partition@100000"]
assert len(recs) == 3, recs
for i, r in enumerate(recs):
    assert r["kind"] == "dt-overlay", r
    assert r["identity"] == "ovl%d.dtbo" % (i + 1), r
    assert r["source"] == "%s/ovl%d.dtbo" % (d, i + 1), r
    assert r["sha256"] == ovl[i], (i, r["sha256"], ovl[i])
    assert r["replaced_sha256"] == before[i], (i, r["replaced_sha256"], before[i])
    assert r["reason"] == reasons[i], r["reason"]
    assert r["taint_bit"] is None and r["taint_letter"] is None, r
EOF
printf '0\n' > "$L/tainted"
"$FWKIT" taint show --ledger "$L/ledger.json" --tainted "$L/tainted" > "$L/show" 2> "$L/err"
rc=$?
check "taint show lists the three overlays (exit $rc)" \
	sh -c "[ $rc -eq 0 ] && [ \$(grep -c 'dt-overlay' '$L/show') -eq 3 ] && grep -q 'ovl1.dtbo' '$L/show' &&
		grep -q 'ovl3.dtbo' '$L/show' && grep -q '$(sha_of "$C14/ovl2.dtbo")' '$L/show'"
"$FWKIT" taint show --json --ledger "$L/ledger.json" --tainted "$L/tainted" > "$L/show.json"
check "taint show --json parses and holds them" \
	sh -c "python3 -c 'import json,sys; s=json.dumps(json.load(open(sys.argv[1]))); assert s.count(\"dt-overlay\") == 3' '$L/show.json'"
# --no-ledger: the default ledger gains nothing (this suite never writes it).
DEF=/run/fwkit/ledger.json
before=$(cat "$DEF" 2>/dev/null | wc -l)
expect_exit 0 "apply --no-ledger" \
	"$FWKIT" dt apply --no-ledger -o "$L/out2.dtb" "$C14/base.dtb" "$C14/ovl1.dtbo" > /dev/null
check "--no-ledger: $DEF gains no record" [ "$(cat "$DEF" 2>/dev/null | wc -l)" -eq "$before" ]
"$FWKIT" dt apply --ledger "$L/ledger.json" -o "$L/out2.dtb" "$C14/base.dtb" "$R/path.dtbo" > /dev/null 2>&1
check "a refused apply adds no record" [ "$(wc -l < "$L/ledger.json")" -eq 3 ]
expect_exit 2 "--ledger with --no-ledger: bad usage" \
	"$FWKIT" dt apply --ledger "$L/x.json" --no-ledger -o "$L/x.dtb" "$C14/base.dtb" "$C14/ovl1.dtbo" 2> /dev/null
# The initrd's overlays are recorded with IMAGE:path as their source.
"$FWKIT" dt apply --ledger "$L/initrd.json" -o "$L/out3.dtb" --initrd "$I/both.img" "$C16/base.dtb" > /dev/null
pyck "ledger: initrd overlays recorded as IMAGE:path, identity the file name" \
	"$L/initrd.json" "$I/both.img" "$(sha_of "$I/from-main.dtbo")" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
img = sys.argv[2]
names = ["B-fast.dtbo", "a-slow.dtbo", "c-extra.dtbo"]
assert [r["identity"] for r in recs] == names, recs
assert [r["source"] for r in recs] == [img + ":kernel/firmware/dtb/overlays/" + n for n in names]
assert recs[2]["sha256"] == sys.argv[3] and recs[2]["reason"] == "created /from-main"
assert recs[1]["replaced_sha256"] != recs[0]["replaced_sha256"]
EOF
# A reason longer than a record holds ends in " ... +N more".
python3 "$TOOL" many 40 > "$L/many.dts" || die "dtbtool.py many"
dtb "$L/many.dts" "$L/many.dtbo"
"$FWKIT" dt apply --ledger "$L/many.json" -o "$L/many.dtb" "$C14/base.dtb" "$L/many.dtbo" > "$L/stdout"
pyck "ledger: 40 created nodes fit the reason as 'created /a /b ... +N more'" "$L/many.json" "$L/stdout" <<'EOF'
import json, re, sys
r = json.loads(open(sys.argv[1]).read())
m = re.fullmatch(r"created ((?:/an-unusually-long-node-name-\d{3} ?)+) \.\.\. \+(\d+) more", r["reason"])
assert m, r["reason"]
listed = m.group(1).split()
assert len(r["reason"]) < 160 and len(listed) + int(m.group(2)) == 40, r["reason"]
assert listed == ["/an-unusually-long-node-name-%03d" % i for i in range(len(listed))]
line = open(sys.argv[2]).readline()
assert line.count("/an-unusually-long-node-name-") == 40, line
EOF

# ============================================================================
# 8. output files, usage
# ============================================================================
expect_exit 0 "OUT may be BASE itself (written beside it, then renamed)" \
	sh -c "cp '$B1/base.dtb' '$W/self.dtb' && '$FWKIT' dt apply --no-ledger -o '$W/self.dtb' '$W/self.dtb' '$B1/ovl1.dtbo' > /dev/null &&
		cmp -s '$W/self.dtb' '$W/cases/01-label-target/out.dtb'"
"$FWKIT" dt apply --no-ledger -o "$W/no/such/dir/out.dtb" "$B1/base.dtb" "$B1/ovl1.dtbo" > "$W/out" 2> "$W/err"
rc=$?
check "OUT in a missing directory: exit 2, one line naming it" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l < '$W/err') -eq 1 ] && grep -q '$W/no/such/dir/out.dtb' '$W/err'"
check "no temporary files left behind" no_temp_in "$W"

for sub in "" check info apply; do
	"$FWKIT" dt $sub --help > "$W/out" 2> "$W/err"
	rc=$?
	check "dt $sub --help: exit 0, usage on stdout" \
		sh -c "[ $rc -eq 0 ] && grep -q '^usage: fwkit dt' '$W/out' && [ ! -s '$W/err' ]"
done
"$FWKIT" dt > "$W/out" 2> "$W/err"
rc=$?
check "dt alone: exit 2, the help on stderr" sh -c "[ $rc -eq 2 ] && [ ! -s '$W/out' ] && grep -q '^usage: fwkit dt' '$W/err'"
bad_usage() {
	_d=$1; shift
	rm -f "$W/never.dtb"
	"$@" > "$W/out" 2> "$W/err"
	_rc=$?
	if [ "$_rc" -eq 2 ] && one_line "$W/err" && [ ! -s "$W/out" ] && [ ! -e "$W/never.dtb" ]; then
		ok "bad usage: $_d: exit 2, one line"
	else
		notok "bad usage: $_d: rc=$_rc: $(cat "$W/err")"
	fi
}
bad_usage "unknown command" "$FWKIT" dt frobnicate x
bad_usage "check without FILE" "$FWKIT" dt check
bad_usage "check with an unknown option" "$FWKIT" dt check --frob "$B1/base.dtb"
bad_usage "info without FILE" "$FWKIT" dt info
bad_usage "info with two FILEs" "$FWKIT" dt info "$B1/base.dtb" "$B1/ovl1.dtbo"
bad_usage "info --strict" "$FWKIT" dt info --strict "$B1/base.dtb"
bad_usage "apply without -o" "$FWKIT" dt apply "$B1/base.dtb" "$B1/ovl1.dtbo"
bad_usage "apply without BASE" "$FWKIT" dt apply -o "$W/never.dtb"
bad_usage "apply with BASE but no overlay" "$FWKIT" dt apply -o "$W/never.dtb" "$B1/base.dtb"
bad_usage "apply -o without a value" "$FWKIT" dt apply "$B1/base.dtb" "$B1/ovl1.dtbo" -o
bad_usage "apply --json" "$FWKIT" dt apply --json -o "$W/never.dtb" "$B1/base.dtb" "$B1/ovl1.dtbo"
bad_usage "check of a missing file" "$FWKIT" dt check "$W/no-such.dtb"
bad_usage "check of a directory" "$FWKIT" dt check "$W"
: > "$W/empty"
bad_usage "check of an empty file" "$FWKIT" dt check "$W/empty"

finish
