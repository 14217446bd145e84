# SPDX-License-Identifier: MIT
# tests/support/imagelib.sh - what the initramfs-tools and dracut suites share
# for looking into the images they build (sourced; needs $FWKIT).

# show_log FILE [N]: its last N (8) lines as TAP comments.
show_log() { sed 's/^/#   /' "$1" | tail -n "${2:-8}"; }

# layout IMAGE PREFIX: fwkit initrd ls --json split into PREFIX.seg ("index
# format" per segment) and PREFIX.names.I (entry names of segment I, no
# leading ./); exit status 0 when the JSON was read.
layout() {
	"$FWKIT" initrd ls "$1" --json > "$2.json" 2> "$2.err" || return 1
	python3 - "$2.json" "$2" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
with open(sys.argv[2] + ".seg", "w") as seg:
    for i, s in enumerate(doc["segments"]):
        seg.write("%d %s\n" % (i, s["format"]))
        with open("%s.names.%d" % (sys.argv[2], i), "w") as n:
            for e in s.get("entries", []):
                name = e["name"][2:] if e["name"].startswith("./") else e["name"]
                size = e.get("size", 0) if e.get("type") == "file" else "-"
                n.write("%s %s %s\n" % (name, e.get("type"), size))
EOF
}
has_name() { grep -q "^$2 " "$1"; } # NAMESFILE NAME
