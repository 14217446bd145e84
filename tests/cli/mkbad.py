# SPDX-License-Identifier: MIT
"""mkbad.py DIR - write initramfs fixtures, each carrying one named defect,
and print 'NAME OFFSET FIELD' per fixture: where and in which field fwkit
must report it."""
import gzip
import os
import sys

FIELDS = ["c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime", "c_filesize",
          "c_devmajor", "c_devminor", "c_rdevmajor", "c_rdevminor", "c_namesize", "c_check"]


def pad4(n):
    return (4 - n % 4) % 4


def entry(name, data=b"", mode=0o100644, namesize=None, filesize=None, magic=b"070701",
          rdev=(0, 0), ino=1):
    name_b = name.encode() + b"\0"
    ns = len(name_b) if namesize is None else namesize
    fs = len(data) if filesize is None else filesize
    vals = [ino, mode, 0, 0, 1, 0, fs, 0, 0, rdev[0], rdev[1], ns, 0]
    h = magic + b"".join(b"%08X" % v for v in vals)
    out = h + name_b
    out += b"\0" * pad4(len(out))
    out += data + b"\0" * pad4(len(data))
    return out


def trailer():
    return entry("TRAILER!!!", mode=0, ino=0)


def field_off(entry_off, field):
    return entry_off + 6 + 8 * FIELDS.index(field)


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    good = entry("a", b"hello") + trailer()
    cases = []

    def case(name, blob, off, field):
        with open(os.path.join(d, name), "wb") as f:
            f.write(blob)
        cases.append((name, off, field))

    first = entry("a", b"hello")
    case("truncated-header.cpio", good[:60], 0, "header")
    case("bad-magic.cpio", b"070707" + good[6:], 0, "segment magic")
    case("bad-magic-second.cpio", first + b"070799" + good[6:], len(first), "c_magic")
    for fld in ("c_mode", "c_filesize", "c_namesize", "c_ino"):
        b = bytearray(good)
        b[field_off(0, fld) + 3] = ord("g")
        case("nonhex-%s.cpio" % fld, bytes(b), field_off(0, fld), fld)
    case("namesize-past-end.cpio", entry("abc", namesize=200)[:120], field_off(0, "c_namesize"),
         "c_namesize")
    case("namesize-absurd.cpio", entry("abc", namesize=0xFFFFFFFF) + trailer(),
         field_off(0, "c_namesize"), "c_namesize")
    case("namesize-zero.cpio", entry("abc", namesize=0) + trailer(), field_off(0, "c_namesize"),
         "c_namesize")
    case("filesize-past-end.cpio", entry("a", b"hello", filesize=4096), field_off(0, "c_filesize"),
         "c_filesize")
    case("filesize-absurd.cpio", entry("a", b"hello", filesize=0xFFFFFFFF) + trailer(),
         field_off(0, "c_filesize"), "c_filesize")
    case("name-unterminated.cpio", entry("abcd", namesize=3) + trailer(), 110, "name")
    case("no-trailer.cpio", first, len(first), "c_magic")
    case("dir-with-data.cpio", entry("d", b"xx", mode=0o40755) + trailer(),
         field_off(0, "c_filesize"), "c_filesize")
    case("bad-file-type.cpio", entry("d", mode=0o170644) + trailer(), field_off(0, "c_mode"),
         "c_mode")
    case("garbage-after-archive.cpio", good + b"JUNKJUNK", len(good), "segment magic")
    z = gzip.compress(good, mtime=0)
    case("gzip-truncated.img", good + z[: len(z) // 2], len(good), "compressed data")
    zb = bytearray(z)
    zb[12] ^= 0xFF
    case("gzip-corrupt.img", good + bytes(zb), len(good), "compressed data")
    inner = entry("x", b"1", filesize=99)
    zi = gzip.compress(inner, mtime=0)
    case("gzip-inner-bad.img", good + zi, field_off(0, "c_filesize"), "c_filesize")

    # Unsafe names and types: well formed, refused by extract (ls accepts them).
    unsafe = {
        "abs-name.cpio": entry("/etc/fwkit-evil", b"x") + trailer(),
        "dotdot-name.cpio": entry("../fwkit-evil", b"x") + trailer(),
        "dotdot-inner.cpio": entry("a/../../fwkit-evil", b"x") + trailer(),
        "symlink-escape.cpio": entry("link", b"../..", mode=0o120777)
        + entry("link/fwkit-evil", b"x", ino=2) + trailer(),
        "symlink-abs-escape.cpio": entry("link", b"/tmp", mode=0o120777)
        + entry("link/fwkit-evil", b"x", ino=2) + trailer(),
        "device-node.cpio": entry("dev/null", mode=0o20666, rdev=(1, 3)) + trailer(),
        "symlink-loop.cpio": entry("c", b"d", mode=0o120777) + entry("d", b"c", mode=0o120777, ino=2)
        + entry("c/fwkit-evil", b"x", ino=3) + trailer(),
        # Legitimate: merged /usr, a write through an in-root symlink.
        "symlink-inside.cpio": entry("usr/lib", mode=0o40755) + entry("lib", b"usr/lib", mode=0o120777, ino=2)
        + entry("lib/x", b"ok", ino=3) + entry("sbin", b"/usr/sbin", mode=0o120777, ino=4) + trailer(),
    }
    for name, blob in unsafe.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(blob)
    for name, off, fld in cases:
        print(name, off, fld.replace(" ", "_"))


if __name__ == "__main__":
    main()
