#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/real/dt-debian-arm64.sh - `fwkit dt` against the hundreds of real
# device trees in Debian's arm64 kernel package (fetched and cached by
# tests/qemu/arm64.sh): every DTB and DTBO passes `dt check`; `dt info`
# counts nodes and properties as an independent python walk of the
# structure block does; overlays by target path (on every DTB) and by label
# (on every DTB that carries __symbols__), also chained, give exactly what
# dtc's fdtoverlay gives, as `dtc -O dts` text; what cannot apply is
# refused with exit 1 and no output, as fdtoverlay refuses it; and one of
# Debian's own overlays applies to a base that has the labels it needs.
# A network failure fails the suite; nothing is skipped.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../qemu/arm64.sh"
need dtc fdtoverlay fdtget python3 find sort split cmp
[ -x "$FWKIT" ] || die "FWKIT=$FWKIT is not an executable (run make)"
W=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- the package -------------------------------------------------------------
T0=$(date +%s)
fwkit_arm64 || die "cannot fetch/unpack Debian's arm64 kernel (see the '# arm64:' lines)"
echo "# $ARM64_KERNEL_PKG $ARM64_KERNEL_PKGVER ready in $(($(date +%s) - T0)) s$(
	[ -n "$ARM64_KERNEL_DEB" ] && echo ", .deb $(wc -c < "$ARM64_KERNEL_DEB") bytes")"
find "$ARM64_DTB_DIR" -name '*.dtb' | LC_ALL=C sort > "$W/dtbs"
find "$ARM64_DTB_DIR" -name '*.dtbo' | LC_ALL=C sort > "$W/dtbos"
NDTB=$(wc -l < "$W/dtbs")
! grep -q '[[:space:]]' "$W/dtbs" "$W/dtbos" || die "a DTB path holds white space: the batches below split on it"
check "Debian's $ARM64_KERNEL_PKG ships hundreds of DTBs ($NDTB) under usr/lib/linux-image-$ARM64_KERNEL_RELEASE" \
	[ "$NDTB" -ge 300 ]
rel() { echo "${1#"$ARM64_DTB_DIR"/}"; }

# ---- an independent reading of the format ---------------------------------------
cat > "$W/fdt.py" <<'EOF'
import json, struct, sys

def walk(path):
    """What the header says and what a walk of the structure block counts."""
    d = open(path, "rb").read()
    (magic, totalsize, off_struct, off_strings, off_rsv, version, lcv,
     boot, size_strings, size_struct) = struct.unpack_from(">10I", d, 0)
    assert magic == 0xD00DFEED and totalsize <= len(d), path
    r = dict(totalsize=totalsize, version=version, last_comp_version=lcv,
             boot_cpuid_phys=boot, off_mem_rsvmap=off_rsv,
             off_dt_struct=off_struct, size_dt_struct=size_struct,
             off_dt_strings=off_strings, size_dt_strings=size_strings)
    o, rsv = off_rsv, []
    while struct.unpack_from(">QQ", d, o) != (0, 0):
        a, n = struct.unpack_from(">QQ", d, o)
        rsv.append(dict(address=a, size=n))
        o += 16
    r["reserved"] = rsv
    nodes = props = maxdepth = phandles = 0
    symbols = {}                    # label -> path
    stack = []                      # [name, has a phandle]
    o = off_struct
    while True:
        tok = struct.unpack_from(">I", d, o)[0]
        o += 4
        if tok == 1:                # FDT_BEGIN_NODE
            e = d.index(b"\0", o)
            stack.append([d[o:e].decode(), False])
            nodes += 1
            maxdepth = max(maxdepth, len(stack) - 1)
            o = (e + 1 + 3) & ~3
        elif tok == 2:              # FDT_END_NODE
            phandles += stack.pop()[1]
        elif tok == 3:              # FDT_PROP
            ln, nameoff = struct.unpack_from(">II", d, o)
            s = off_strings + nameoff
            name = d[s:d.index(b"\0", s)].decode()
            props += 1
            if name in ("phandle", "linux,phandle"):
                stack[-1][1] = True
            if [x[0] for x in stack] == ["", "__symbols__"]:
                symbols[name] = d[o + 8:o + 8 + ln].rstrip(b"\0").decode()
            o = (o + 8 + ln + 3) & ~3
        elif tok == 4:              # FDT_NOP
            pass
        elif tok == 9:              # FDT_END
            break
        else:
            raise ValueError("%s: token %d at %d" % (path, tok, o - 4))
    assert not stack, path
    r.update(nodes=nodes, properties=props, max_depth=maxdepth,
             phandles=phandles, symbols=symbols)
    return r

def find(j, key):
    """The value of key anywhere in the JSON document (first found)."""
    if isinstance(j, dict):
        if key in j:
            return j[key]
        j = list(j.values())
    if isinstance(j, list):
        for v in j:
            got = find(v, key)
            if got is not None:
                return got
    return None

def report(line, created, changed):
    """None when line names exactly these created and changed paths."""
    got = {"created": set(), "changed": set()}
    if ": applied: " not in line:
        return "is %r" % line[:200]
    tail = line.split(": applied: ", 1)[1]
    if tail != "no node created or changed":
        for part in tail.split("; "):
            what, paths = part.split(" ", 1)
            got[what] = set(paths.split(", "))
    want = {"created": set(created.split()), "changed": set(changed.split())}
    if got != want:
        return "names %s, want %s" % (sorted(got.items()), sorted(want.items()))
    return None

cmd = sys.argv[1]
if cmd == "walk":                   # walk FILE: the counts as JSON
    print(json.dumps(walk(sys.argv[2])))
elif cmd == "compare":              # compare INFO.json FILE: fwkit vs the walk
    j = json.load(open(sys.argv[2]))
    want = walk(sys.argv[3])
    seen = []
    for k, v in want.items():
        got = find(j, k)
        if got is None:
            continue
        assert got == v, "%s: fwkit says %.200s, the walk %.200s" % (k, got, v)
        seen.append(k)
    for k in ("nodes", "properties", "symbols", "totalsize"):
        assert k in seen, "no %s in the JSON" % k
    print("%d nodes, %d properties, %d symbols (%d fields agree)" %
          (want["nodes"], want["properties"], len(want["symbols"]), len(seen)))
elif cmd == "report":               # report OUT N CREATED CHANGED: line N of
    # dt apply's "NAME: applied: created /a, /b; changed /c" names exactly
    # these paths (space-separated lists)
    line = open(sys.argv[2]).read().splitlines()[int(sys.argv[3]) - 1]
    problem = report(line, sys.argv[4], sys.argv[5])
    assert not problem, problem
elif cmd == "reports":              # reports FILE CREATED CHANGED: each line
    # "DTB REPORT-LINE"; prints one line per DTB whose report is not that
    bad = 0
    for line in open(sys.argv[2]).read().splitlines():
        dtb, rest = line.split(" ", 1)
        problem = report(rest, sys.argv[3], sys.argv[4])
        if problem:
            print("%s: the report %s" % (dtb, problem))
            bad += 1
    sys.exit(bad > 0)
EOF

# ---- dt check: every DTB and DTBO ---------------------------------------------------
T1=$(date +%s)
split -l 100 "$W/dtbs" "$W/batch."
bad=0 warned=0
for b in "$W"/batch.*; do
	# shellcheck disable=SC2046
	"$FWKIT" dt check -q $(cat "$b") > /dev/null 2> "$W/check.err"
	rc=$?
	warned=$((warned + $(wc -l < "$W/check.err")))
	[ "$rc" -eq 0 ] && continue
	# name each file the batch refused
	while read -r f; do
		"$FWKIT" dt check -q "$f" > /dev/null 2> "$W/one.err" && continue
		notok "dt check $(rel "$f"): $(head -n 1 "$W/one.err")"
		bad=$((bad + 1))
	done < "$b"
	[ "$bad" -gt 0 ] || notok "dt check of batch ${b##*.} exits $rc but passes file by file"
done
[ "$bad" -eq 0 ] && ok "dt check -q: all $NDTB DTBs pass, in $(ls "$W"/batch.* | wc -l) batches ($(($(date +%s) - T1)) s; $warned warning lines on stderr)"
if [ -s "$W/dtbos" ]; then
	# shellcheck disable=SC2046
	expect_exit 0 "dt check -q: Debian's $(wc -l < "$W/dtbos") DTBOs pass ($(for f in $(cat "$W/dtbos"); do rel "$f"; done | paste -sd ' '))" \
		"$FWKIT" dt check -q $(cat "$W/dtbos") 2> "$W/dtbo.err"
fi

# ---- dt info against the independent walk, on a sample ----------------------------------
T1=$(date +%s)
awk -v n="$NDTB" 'NR % int(n / 20) == 1' "$W/dtbs" > "$W/sample"
while read -r f; do
	"$FWKIT" dt info --json "$f" > "$W/info.json" 2> "$W/info.err"
	rc=$?
	if [ "$rc" -eq 0 ] && python3 "$W/fdt.py" compare "$W/info.json" "$f" > "$W/n" 2> "$W/py.err"; then
		ok "dt info $(rel "$f"): $(cat "$W/n"), as the walk of its structure block"
	else
		notok "dt info $(rel "$f"): exit $rc: $(head -n 1 "$W/info.err") $(tail -n 1 "$W/py.err")"
	fi
done < "$W/sample"
echo "# dt info on $(wc -l < "$W/sample") DTBs: $(($(date +%s) - T1)) s"

# ---- who carries __symbols__ ---------------------------------------------------------------
while read -r f; do
	fdtget -l "$f" / | grep -qx __symbols__ && echo "$f"
done < "$W/dtbs" > "$W/sym"
NSYM=$(wc -l < "$W/sym")
echo "# $NSYM of $NDTB DTBs carry /__symbols__ (built with dtc -@):"
sed "s|^$ARM64_DTB_DIR/|#   |" "$W/sym"
check "some of Debian's DTBs carry __symbols__ ($NSYM), so label overlays can be tried" [ "$NSYM" -gt 0 ]
bad=0
while read -r f; do
	"$FWKIT" dt info --json "$f" > "$W/info.json" 2> "$W/info.err"
	rc=$?
	want=$(fdtget -p "$f" /__symbols__ | wc -l)
	if [ "$rc" -ne 0 ] || ! python3 "$W/fdt.py" compare "$W/info.json" "$f" > "$W/n" 2> "$W/py.err" ||
		! grep -q " $want symbols " "$W/n"; then
		notok "dt info $(rel "$f"): exit $rc: $(head -n 1 "$W/info.err") $(tail -n 1 "$W/py.err") (fdtget lists $want symbols)"
		bad=$((bad + 1))
	fi
done < "$W/sym"
[ "$bad" -eq 0 ] && ok "dt info: every label -> path of __symbols__ as the walk finds it, as many as fdtget lists, on all $NSYM DTBs that carry them"

# dts FILE OUT: the tree as dtc prints it, for comparisons.
dts() { dtc -I dtb -O dts -o "$2" "$1" 2> /dev/null; }

# applied OUT BASE OVERLAY...: fwkit and fdtoverlay apply the same stack;
# 0 when both succeed and the trees print alike.  Sets FAILED_WHY.
applied() {
	_o=$1 _b=$2
	shift 2
	"$FWKIT" dt apply --no-ledger -o "$_o" "$_b" "$@" > "$W/apply.out" 2> "$W/apply.err"
	_rc=$?
	[ "$_rc" -eq 0 ] && [ -s "$_o" ] ||
		{ FAILED_WHY="fwkit exit $_rc: $(head -n 1 "$W/apply.err")"; return 1; }
	fdtoverlay -i "$_b" -o "$W/ref.dtb" "$@" > /dev/null 2>&1 ||
		{ FAILED_WHY="fdtoverlay refuses it"; return 1; }
	dts "$_o" "$W/got.dts" && dts "$W/ref.dtb" "$W/want.dts" ||
		{ FAILED_WHY="dtc cannot print a result"; return 1; }
	cmp -s "$W/got.dts" "$W/want.dts" ||
		{ FAILED_WHY="differs from fdtoverlay: $(diff "$W/want.dts" "$W/got.dts" | sed -n 2p)"; return 1; }
	cmp -s "$_o" "$W/ref.dtb" && SAME_BYTES=$((SAME_BYTES + 1))
	return 0
}

# ---- an overlay by target path, on every DTB -----------------------------------------------
cat > "$W/path.dts" <<'EOF'
/dts-v1/;
/plugin/;

&{/} {
	model = "fwkit overlay test";
	fwkit-test {
		compatible = "fwkit,test";
		fwkit,marker = "applied-by-fwkit";
		fwkit,peer = <&fwkit_child>;
		fwkit_child: child {
			fwkit,cells = <1 2 3>;
		};
	};
};

&{/cpus} {
	fwkit,cpus-marker = "changed-by-fwkit";
};
EOF
dtc -@ -I dts -O dtb -o "$W/path.dtbo" "$W/path.dts" 2> /dev/null || die "dtc cannot compile the target-path overlay"
T1=$(date +%s)
mkdir -p "$W/out"
bad=0 SAME_BYTES=0 i=0
: > "$W/reports"
while read -r f; do
	i=$((i + 1))
	o="$W/out/$i.dtb"
	if ! applied "$o" "$f" "$W/path.dtbo"; then
		notok "target-path overlay on $(rel "$f"): $FAILED_WHY"
		bad=$((bad + 1)) && rm -f "$o"
		continue
	fi
	# line 1 reports the overlay; the last one sums up the output
	sed -n "1s|^|$(rel "$f") |p" "$W/apply.out" >> "$W/reports"
	[ "$(fdtget "$o" /fwkit-test fwkit,marker)" = applied-by-fwkit ] || {
		notok "target-path overlay on $(rel "$f"): /fwkit-test/fwkit,marker missing"
		bad=$((bad + 1))
	}
done < "$W/dtbs"
# one python run for all the reports: each names exactly these nodes
python3 "$W/fdt.py" reports "$W/reports" "/fwkit-test /fwkit-test/child" "/ /cpus" > "$W/py.out" 2>&1 ||
	while read -r l; do
		notok "target-path overlay on $l"
		bad=$((bad + 1))
	done < "$W/py.out"
[ "$bad" -eq 0 ] && ok "target-path overlay (a node added under /, model and /cpus changed): dt apply prints the same tree as fdtoverlay on all $NDTB DTBs, the same bytes on $SAME_BYTES ($(($(date +%s) - T1)) s)"
ls "$W/out"/*.dtb > "$W/results" 2> /dev/null
: > "$W/res.err"
split -l 100 "$W/results" "$W/rbatch."
rc=0
for b in "$W"/rbatch.*; do
	# shellcheck disable=SC2046
	"$FWKIT" dt check -q $(cat "$b") > /dev/null 2>> "$W/res.err" || rc=1
done
if [ "$rc" -eq 0 ]; then
	ok "dt check -q passes all $(wc -l < "$W/results") results"
else
	notok "dt check -q of the results: $(head -n 1 "$W/res.err")"
fi
rm -rf "$W/out"

# ---- overlays by label, on every DTB with __symbols__ ------------------------------------------
# The label: the first of the DTB's symbols whose node has a phandle (libfdt
# resolves a label to that phandle).  The first overlay targets it, adds two
# nodes that refer to each other and to the label; the second targets a
# label the first one defined.
T1=$(date +%s)
bad=0 SAME_BYTES=0 nsym=0
while read -r f; do
	label='' lpath=''
	for s in $(fdtget -p "$f" /__symbols__); do
		p=$(fdtget "$f" /__symbols__ "$s") || continue
		fdtget "$f" "$p" phandle > /dev/null 2>&1 && { label=$s lpath=$p; break; }
	done
	if [ -z "$label" ]; then
		notok "$(rel "$f"): no symbol names a node with a phandle"
		bad=$((bad + 1))
		continue
	fi
	nsym=$((nsym + 1))
	cat > "$W/label.dts" <<-EOF
	/dts-v1/;
	/plugin/;

	&$label {
		fwkit,labelled = "by-label";
		fwkit_a: fwkit-label-a {
			fwkit,peer = <&fwkit_b>;
		};
		fwkit_b: fwkit-label-b {
			fwkit,ref = <&$label>;
			fwkit,peer = <&fwkit_a>;
		};
	};
	EOF
	cat > "$W/chain.dts" <<-EOF
	/dts-v1/;
	/plugin/;

	&fwkit_b {
		fwkit,chained = "second-overlay";
		fwkit-chained {
			fwkit,ref = <&fwkit_a>;
		};
	};
	EOF
	dtc -@ -I dts -O dtb -o "$W/label.dtbo" "$W/label.dts" 2> /dev/null &&
		dtc -@ -I dts -O dtb -o "$W/chain.dtbo" "$W/chain.dts" 2> /dev/null ||
		die "dtc cannot compile the label overlays for $label"
	n=$(rel "$f")
	if ! applied "$W/l.dtb" "$f" "$W/label.dtbo"; then
		notok "overlay on &$label ($lpath) of $n: $FAILED_WHY"
		bad=$((bad + 1))
		continue
	fi
	python3 "$W/fdt.py" report "$W/apply.out" 1 "$lpath/fwkit-label-a $lpath/fwkit-label-b" "$lpath" 2> "$W/py.err" || {
		notok "overlay on &$label of $n: the report: $(tail -n 1 "$W/py.err")"
		bad=$((bad + 1))
	}
	# the fixup put the base's phandle of the label into fwkit,ref
	ph=$(fdtget -t x "$f" "$lpath" phandle)
	[ "$(fdtget -t x "$W/l.dtb" "$lpath/fwkit-label-b" fwkit,ref)" = "$ph" ] &&
		[ "$(fdtget "$W/l.dtb" /__symbols__ fwkit_b)" = "$lpath/fwkit-label-b" ] || {
		notok "overlay on &$label of $n: fwkit,ref is not phandle $ph or __symbols__/fwkit_b is not $lpath/fwkit-label-b"
		bad=$((bad + 1))
	}
	"$FWKIT" dt check -q "$W/l.dtb" 2> "$W/one.err" || {
		notok "overlay on &$label of $n: the result fails dt check: $(head -n 1 "$W/one.err")"
		bad=$((bad + 1))
	}
	if ! applied "$W/c.dtb" "$f" "$W/label.dtbo" "$W/chain.dtbo"; then
		notok "two overlays, the second on &fwkit_b of the first, on $n: $FAILED_WHY"
		bad=$((bad + 1))
		continue
	fi
	python3 "$W/fdt.py" report "$W/apply.out" 2 "$lpath/fwkit-label-b/fwkit-chained" "$lpath/fwkit-label-b" 2> "$W/py.err" || {
		notok "two overlays on $n: the second's report: $(tail -n 1 "$W/py.err")"
		bad=$((bad + 1))
	}
	[ "$(fdtget "$W/c.dtb" "$lpath/fwkit-label-b" fwkit,chained)" = second-overlay ] &&
		"$FWKIT" dt check -q "$W/c.dtb" 2> "$W/one.err" || {
		notok "two overlays on $n: fwkit,chained missing or the result fails dt check $(head -n 1 "$W/one.err")"
		bad=$((bad + 1))
	}
done < "$W/sym"
[ "$bad" -eq 0 ] && ok "label overlays, single and chained: dt apply prints the same tree as fdtoverlay, fixes up the label's phandle and passes dt check on all $nsym DTBs with __symbols__, the same bytes on $SAME_BYTES of $((2 * nsym)) ($(($(date +%s) - T1)) s)"

# ---- what cannot apply is refused, as fdtoverlay refuses it -------------------------------------
# refused DESC BASE OVERLAY GREP: exit 1, no output file, a stderr line
# matching GREP, and fdtoverlay fails too.
refused() {
	rm -f "$W/r.dtb"
	"$FWKIT" dt apply --no-ledger -o "$W/r.dtb" "$2" "$3" > /dev/null 2> "$W/r.err"
	_rc=$?
	if [ "$_rc" -eq 1 ] && [ ! -e "$W/r.dtb" ] && grep -q -e "$4" "$W/r.err" &&
		! fdtoverlay -i "$2" -o "$W/rr.dtb" "$3" > /dev/null 2>&1; then
		ok "$1: exit 1, nothing written, fdtoverlay refuses too ($(head -n 1 "$W/r.err"))"
	else
		notok "$1: exit $_rc (want 1), output $([ -e "$W/r.dtb" ] && echo written || echo none): $(head -n 1 "$W/r.err")"
	fi
}
SYMF=$(head -n 1 "$W/sym")
NOSYMF=$(grep -vxF -f "$W/sym" "$W/dtbs" | head -n 1)
printf '/dts-v1/;\n/plugin/;\n\n&fwkit_no_such_label {\n\tfwkit,x = "y";\n};\n' > "$W/nolabel.dts"
printf '/dts-v1/;\n/plugin/;\n\n&{/fwkit/no/such/node} {\n\tfwkit,x = "y";\n};\n' > "$W/nopath.dts"
dtc -@ -I dts -O dtb -o "$W/nolabel.dtbo" "$W/nolabel.dts" 2> /dev/null &&
	dtc -@ -I dts -O dtb -o "$W/nopath.dtbo" "$W/nopath.dts" 2> /dev/null ||
	die "dtc cannot compile the refused overlays"
refused "a label $(rel "$SYMF") does not define" "$SYMF" "$W/nolabel.dtbo" fwkit_no_such_label
refused "a label overlay on $(rel "$NOSYMF"), which has no __symbols__" "$NOSYMF" "$W/nolabel.dtbo" __symbols__
refused "a target path $(rel "$NOSYMF") lacks" "$NOSYMF" "$W/nopath.dtbo" /fwkit/no/such/node

# ---- Debian's own overlay ----------------------------------------------------------------------
# salvator-panel-aa104xd12.dtbo adds a panel at / (fragment 0), fills in the
# panel it just created (fragment 1, target-path "/panel"), and connects it
# to &lvds0 (fragment 2), with &backlight in a property.  Debian ships no
# base for it, and its bases are built without -@, so: refused on the RZ/G2M
# board Debian does ship; applied to a base with the two labels.
PANEL=$(grep '/salvator-panel-aa104xd12.dtbo$' "$W/dtbos")
RZ=$(grep '/r8a774a1-hihope-rzg2m.dtb$' "$W/dtbs")
[ -n "$PANEL" ] && [ -n "$RZ" ] ||
	die "renesas/salvator-panel-aa104xd12.dtbo or r8a774a1-hihope-rzg2m.dtb missing from $ARM64_KERNEL_PKG"
refused "Debian's salvator-panel overlay on Debian's r8a774a1-hihope-rzg2m.dtb (no __symbols__)" "$RZ" "$PANEL" __symbols__
cat > "$W/panel-base.dts" <<'EOF'
/dts-v1/;

/ {
	#address-cells = <2>;
	#size-cells = <2>;
	model = "fwkit base for the salvator panel overlay";
	compatible = "renesas,salvator-x", "renesas,r8a7795";

	backlight: backlight {
		compatible = "pwm-backlight";
	};

	soc {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;

		lvds0: lvds@feb90000 {
			compatible = "renesas,r8a7795-lvds";
			reg = <0 0xfeb90000 0 0x14>;
			status = "disabled";

			ports {
				#address-cells = <1>;
				#size-cells = <0>;

				port@0 {
					reg = <0>;
				};
				port@1 {
					reg = <1>;
				};
			};
		};
	};
};
EOF
dtc -@ -I dts -O dtb -o "$W/panel-base.dtb" "$W/panel-base.dts" 2> /dev/null || die "dtc cannot compile the panel base"
if applied "$W/p.dtb" "$W/panel-base.dtb" "$PANEL"; then
	ok "Debian's salvator-panel overlay on a base with &lvds0 and &backlight: the same tree as fdtoverlay"
else
	notok "Debian's salvator-panel overlay on a base with &lvds0 and &backlight: $FAILED_WHY"
fi
check "the panel overlay: /panel created and filled in by its fragment on target-path \"/panel\", lvds0 enabled" \
	sh -c '[ "$(fdtget "$1" /panel compatible)" = "mitsubishi,aa104xd12 panel-lvds" ] &&
		[ "$(fdtget -t x "$1" /panel backlight)" = "$(fdtget -t x "$1" /backlight phandle)" ] &&
		[ "$(fdtget "$1" /soc/lvds@feb90000 status)" = okay ]' - "$W/p.dtb" 2> /dev/null
expect_exit 0 "the panel result passes dt check" "$FWKIT" dt check -q "$W/p.dtb" 2> /dev/null

echo "# total $(($(date +%s) - T0)) s"
finish
