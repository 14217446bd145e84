# SPDX-License-Identifier: MIT
"""dtbtool.py - an independent reader and patcher of flattened device trees
for tests/cli/dt.sh, written from the Devicetree Specification (v0.4,
chapter 5) without sharing code with fwkit.

  dtbtool.py stats FILE           counts of a DTB/DTBO as one JSON object
  dtbtool.py bad DTB DTBO DIR     write malformed variants of both, each with
                                  one named defect; print "NAME|KIND|FIELDS"
                                  per variant (KIND dtb or dtbo, FIELDS a
                                  regular expression of the field names fwkit
                                  may report)
  dtbtool.py deep N               a DTS whose deepest node is N levels below
                                  the root
  dtbtool.py many N               a /plugin/ DTS creating N nodes with long
                                  names (to overflow a ledger reason)
"""
import json
import os
import struct
import sys

BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9
HEADER = ("magic", "totalsize", "off_dt_struct", "off_dt_strings", "off_mem_rsvmap",
          "version", "last_comp_version", "boot_cpuid_phys", "size_dt_strings",
          "size_dt_struct")


def header(d):
    return dict(zip(HEADER, struct.unpack(">10I", d[:40])))


def walk(d):
    """Nodes as (path, depth, begin offset) and properties as dicts with path,
    name, token offset, value offset and length, and name offset."""
    h = header(d)
    s, strs = h["off_dt_struct"], h["off_dt_strings"]
    off, stack, nodes, props = s, [], [], []
    while True:
        tok = struct.unpack(">I", d[off:off + 4])[0]
        if tok == BEGIN_NODE:
            end = d.index(b"\0", off + 4)
            name = d[off + 4:end].decode()
            stack.append(name)
            path = "/" + "/".join(stack[1:])
            nodes.append((path, len(stack) - 1, off))
            off = (end + 1 + 3) & ~3
        elif tok == END_NODE:
            stack.pop()
            off += 4
        elif tok == PROP:
            ln, nameoff = struct.unpack(">II", d[off + 4:off + 12])
            nend = d.index(b"\0", strs + nameoff)
            props.append({"path": "/" + "/".join(stack[1:]), "token": off,
                          "name": d[strs + nameoff:nend].decode(), "value": off + 12,
                          "len": ln, "nameoff_at": off + 8})
            off = (off + 12 + ln + 3) & ~3
        elif tok == NOP:
            off += 4
        elif tok == END:
            return nodes, props, off
        else:
            raise ValueError("token %#x at %d" % (tok, off))


def prop(props, path, name):
    for p in props:
        if p["path"] == path and p["name"] == name:
            return p
    raise KeyError(path + ":" + name)


def stats(d):
    h = header(d)
    nodes, props, _ = walk(d)
    rsv, off = 0, h["off_mem_rsvmap"]
    while struct.unpack(">QQ", d[off:off + 16]) != (0, 0):
        rsv += 1
        off += 16
    val = lambda p: d[p["value"]:p["value"] + p["len"]]
    fixups = [p for p in props if p["path"] == "/__fixups__"]
    fragments = {path.rsplit("/", 1)[0] for path, depth, _ in nodes
                 if depth == 2 and path.endswith("/__overlay__")}
    return {
        "totalsize": h["totalsize"], "version": h["version"],
        "reserve_entries": rsv,
        "nodes": len(nodes), "properties": len(props),
        "max_depth": max(depth for _, depth, _ in nodes),
        "phandles": len({p["path"] for p in props if p["name"] in ("phandle", "linux,phandle")}),
        "symbols": len([p for p in props if p["path"] == "/__symbols__"]),
        "fixups": len(fixups),
        "fixup_refs": sum(val(p).count(b"\0") for p in fixups),
        "local_fixup_refs": sum(p["len"] // 4 for p in props
                                if p["path"].startswith("/__local_fixups__")),
        "fragments": len(fragments),
    }


def put32(b, off, v):
    b[off:off + 4] = struct.pack(">I", v)


def set_header(b, field, v):
    put32(b, 4 * HEADER.index(field), v)


def replace_once(b, old, new, start=0):
    assert len(old) == len(new)
    at = bytes(b).index(old, start)
    b[at:at + len(old)] = new
    return b


# Field names fwkit may give for a defect in (or between) the header's blocks.
BLOCKS = "totalsize|off_dt_struct|size_dt_struct|off_dt_strings|size_dt_strings|off_mem_rsvmap"


def bad_dtb(d):
    """Variants of a DTB with labels (so with __symbols__) and phandles."""
    h = header(d)
    nodes, props, end_tok = walk(d)
    out = {}

    def v(name, fields, b):
        out[name] = (bytes(b), fields)

    rsv, st, sr = h["off_mem_rsvmap"], h["off_dt_struct"], h["off_dt_strings"]
    # Cut short, the header still claiming the whole size.
    v("cut-in-header", "header|magic|totalsize", d[:20])
    v("cut-in-rsvmap", "totalsize", d[:rsv + 8])
    v("cut-in-struct", "totalsize", d[:st + h["size_dt_struct"] // 2])
    v("cut-in-strings", "totalsize", d[:sr + h["size_dt_strings"] // 2])
    v("cut-last-byte", "totalsize", d[:-1])
    # Cut short with totalsize saying so: a block runs past the end.
    for name, at in (("rsvmap", rsv + 8), ("struct", st + h["size_dt_struct"] // 2),
                     ("strings", sr + h["size_dt_strings"] // 2)):
        b = bytearray(d[:at])
        set_header(b, "totalsize", at)
        v("short-in-" + name, BLOCKS + "|reservation|memory reservation", b)
    # Header fields out of bounds, overlapping, wrong.
    for field, val, fields in (
            # Aligned, so that only the bounds are wrong.
            ("off_dt_struct", (h["totalsize"] + 64) & ~7, "off_dt_struct|size_dt_struct"),
            ("off_dt_strings", h["totalsize"] + 4, "off_dt_strings|size_dt_strings"),
            ("off_mem_rsvmap", (h["totalsize"] + 8) & ~7, "off_mem_rsvmap"),
            ("size_dt_struct", h["totalsize"], "off_dt_struct|size_dt_struct"),
            ("size_dt_strings", 0x7ffffff0, "off_dt_strings|size_dt_strings"),
            ("totalsize", len(d) + 4096, "totalsize"),
            ("totalsize", 39, "totalsize")):
        b = bytearray(d)
        set_header(b, field, val)
        v("%s-%s" % (field, "small" if val == 39 else "out"), fields, b)
    b = bytearray(d)
    set_header(b, "off_dt_strings", st + 8)
    v("strings-overlap-struct", BLOCKS, b)
    b = bytearray(d)
    set_header(b, "off_mem_rsvmap", st)
    v("rsvmap-overlap-struct", BLOCKS, b)
    b = bytearray(d)
    set_header(b, "off_dt_struct", 0x20)
    v("struct-overlap-header", BLOCKS, b)
    b = bytearray(d)
    set_header(b, "off_mem_rsvmap", 0)
    v("rsvmap-overlap-header", BLOCKS, b)
    b = bytearray(d)
    set_header(b, "magic", 0xd00dfeee)
    v("bad-magic", "magic", b)
    b = bytearray(d)
    set_header(b, "version", 15)
    v("version-15", "version|last_comp_version", b)
    b = bytearray(d)
    set_header(b, "last_comp_version", 18)
    v("last-comp-18", "last_comp_version|version", b)
    # The structure block.
    root_props = [p for p in props if p["path"] == "/"]
    b = bytearray(d)
    put32(b, root_props[0]["token"], 7)
    v("unknown-token", "token", b)
    b = bytearray(d)
    put32(b, end_tok, NOP)
    v("no-fdt-end", "token|FDT_END|size_dt_struct", b)
    b = bytearray(d)
    put32(b, root_props[0]["nameoff_at"], h["size_dt_strings"] + 100)
    v("prop-name-out", "property name|nameoff|off_dt_strings|size_dt_strings", b)
    b = bytearray(d)
    put32(b, root_props[0]["token"] + 4, 0x10000000)
    v("prop-len-out", "property|property length|len|value|size_dt_struct", b)
    uart = [n for n in nodes if n[0] == "/soc/serial@1000"][0]
    b = bytearray(d)
    replace_once(b, b"serial@1000\0", b"ser!al@1000\0", uart[2])
    v("bad-node-name", "node name", b)
    b = bytearray(d)
    replace_once(b, b"serial@1100\0", b"serial@1000\0")
    v("duplicate-node", "node name", b)
    ph0 = prop(props, "/soc/serial@1000", "phandle")
    ph1 = prop(props, "/soc/serial@1100", "phandle")
    b = bytearray(d)
    b[ph1["value"]:ph1["value"] + 4] = d[ph0["value"]:ph0["value"] + 4]
    v("duplicate-phandle", "phandle", b)
    b = bytearray(d)
    put32(b, ph0["value"], 0xffffffff)
    v("phandle-ffffffff", "phandle", b)
    b = bytearray(d)
    put32(b, ph0["value"], 0)
    v("phandle-zero", "phandle", b)
    # __symbols__: a path naming nothing (same length, so nothing else moves).
    sym = prop(props, "/__symbols__", "uart0")
    b = bytearray(d)
    replace_once(b, b"/soc/serial@1000\0", b"/soc/serial@1001\0", sym["value"])
    v("symbol-to-nothing", "__symbols__", b)
    b = bytearray(d)
    replace_once(b, b"/soc/serial@1000\0", b"/soc/serial@1000/", sym["value"])
    v("symbol-unterminated", "__symbols__", b)
    return out


def bad_dtbo(d):
    """Variants of an overlay with a label target, __fixups__ on a target and
    on a property, and __local_fixups__ (tests/dt/cases/20-mixed-fixups)."""
    h = header(d)
    nodes, props, _ = walk(d)
    out = {}

    def v(name, fields, b):
        out[name] = (bytes(b), fields)

    st, sr = h["off_dt_struct"], h["off_dt_strings"]
    v("cut-in-struct", "totalsize", d[:st + h["size_dt_struct"] // 3])
    v("cut-in-strings", "totalsize", d[:sr + 3])
    b = bytearray(d[:st + h["size_dt_struct"] // 3])
    set_header(b, "totalsize", len(b))
    v("short-in-struct", BLOCKS, b)

    fx = prop(props, "/__fixups__", "soc")
    assert d[fx["value"]:fx["value"] + fx["len"]].startswith(b"/fragment@0:target:0\0"), \
        "tests/dt/cases/20-mixed-fixups changed: soc's first fixup is not its target"
    for name, new in (("fixup-no-colons", b"/fragment@0/target/0"),
                      ("fixup-offset-not-number", b"/fragment@0:target:x"),
                      ("fixup-offset-past-property", b"/fragment@0:target:4"),
                      ("fixup-offset-unaligned", b"/fragment@0:target:2"),
                      ("fixup-path-to-nothing", b"/fragment@7:target:0"),
                      ("fixup-property-missing", b"/fragment@0:targex:0")):
        b = bytearray(d)
        replace_once(b, b"/fragment@0:target:0\0", new + b"\0", fx["value"])
        v(name, "__fixups__", b)

    lf = [p for p in props if p["path"].startswith("/__local_fixups__") and p["name"] == "links"][0]
    first = struct.unpack(">I", d[lf["value"]:lf["value"] + 4])[0]
    assert first == 4, "case 20's local fixup for links should start at 4"
    for name, val in (("local-fixup-not-a-phandle", 0), ("local-fixup-unaligned", 6),
                      ("local-fixup-past-property", 16)):
        b = bytearray(d)
        put32(b, lf["value"], val)
        v(name, "__local_fixups__", b)
    lnode = [n for n in nodes if n[0].startswith("/__local_fixups__") and
             n[0].endswith("consumer@d000")][0]
    b = bytearray(d)
    replace_once(b, b"consumer@d000\0", b"consumer@d001\0", lnode[2])
    v("local-fixup-node-mirrors-nothing", "__local_fixups__", b)

    # A fragment whose target property is renamed to a name it does not use:
    # no target, no target-path.
    tgt = prop(props, "/fragment@0", "target")
    other = prop(props, "/fragment@0/__overlay__/consumer@d000", "links")
    b = bytearray(d)
    b[tgt["nameoff_at"]:tgt["nameoff_at"] + 4] = d[other["nameoff_at"]:other["nameoff_at"] + 4]
    v("fragment-without-target", "target|__fixups__", b)
    return out


def deep(n):
    lines = ["/dts-v1/;", "/ {"]
    for i in range(n):
        lines.append("\t" * (i + 1) + "n%d {" % i)
    lines.append("\t" * (n + 1) + "leaf;")
    for i in reversed(range(n)):
        lines.append("\t" * (i + 1) + "};")
    lines.append("};")
    return "\n".join(lines) + "\n"


def many(n):
    lines = ["/dts-v1/;", "/plugin/;", "&{/} {"]
    for i in range(n):
        lines.append("\tan-unusually-long-node-name-%03d {\n\t\tindex = <%d>;\n\t};" % (i, i))
    lines.append("};")
    return "\n".join(lines) + "\n"


def main():
    cmd = sys.argv[1]
    if cmd == "stats":
        print(json.dumps(stats(open(sys.argv[2], "rb").read()), sort_keys=True))
    elif cmd == "bad":
        dtb, dtbo, outdir = sys.argv[2:5]
        os.makedirs(outdir, exist_ok=True)
        for kind, variants in (("dtb", bad_dtb(open(dtb, "rb").read())),
                               ("dtbo", bad_dtbo(open(dtbo, "rb").read()))):
            for name, (data, fields) in sorted(variants.items()):
                fname = "%s-%s.%s" % (kind, name, kind)
                with open(os.path.join(outdir, fname), "wb") as f:
                    f.write(data)
                print("%s|%s|%s" % (fname, kind, fields))
    elif cmd == "deep":
        sys.stdout.write(deep(int(sys.argv[2])))
    elif cmd == "many":
        sys.stdout.write(many(int(sys.argv[2])))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
