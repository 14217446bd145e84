# SPDX-License-Identifier: MIT
"""mkbadacpi.py DIR CORPUS_MACHINE_DIR - write ACPI table fixtures into DIR,
each carrying one named defect, starting from real tables of one corpus
machine (its ssdt1.dat, dsdt.dat and facs.dat) and from hand-built RSDP v1/v2,
XSDT and RSDT; print one line per fixture:

    KIND NAME FIELD WANT

KIND "malformed": `fwkit acpi info` must exit 2 with one stderr line naming
the file and FIELD (underscores stand for blanks), and the offset WANT
("-" when the structure gives the field no fixed place, e.g. a truncation).
KIND "checksum": only the checksum is wrong (FIELD is the header field whose
byte was changed); info exits 1 and shows WANT, the right checksum, as 0xNN.

It also writes the valid hand-built tables good-xsdt.dat, good-rsdt.dat,
good-rsdp-v1.dat, good-rsdp-v2.dat and good-facs.dat (the corpus FACS)."""
import os
import struct
import sys

HDR = 36
# Common header fields (ACPI 6.5, table 5.4): name, offset, size.
FIELDS = [("Signature", 0, 4), ("Length", 4, 4), ("Revision", 8, 1),
          ("Checksum", 9, 1), ("OEMID", 10, 6), ("OEM_Table_ID", 16, 8),
          ("OEM_Revision", 24, 4), ("Creator_ID", 28, 4),
          ("Creator_Revision", 32, 4)]


def csum_fix(b):
    """The table with byte 9 set so that all bytes sum to 0."""
    b = bytearray(b)
    b[9] = 0
    b[9] = (-sum(b)) & 0xFF
    return bytes(b)


def right_sum(b):
    """The checksum byte that would make b sum to 0."""
    return (-(sum(b) - b[9])) & 0xFF


def set_len(b, n):
    b = bytearray(b)
    struct.pack_into("<I", b, 4, n)
    return bytes(b)


def sdt(sig, body, oem=b"FWKITT", tid=b"TESTTBL1", orev=1, rev=1):
    h = bytearray(HDR)
    h[0:4] = sig
    struct.pack_into("<I", h, 4, HDR + len(body))
    h[8] = rev
    h[10:16] = oem
    h[16:24] = tid
    struct.pack_into("<I", h, 24, orev)
    h[28:32] = b"FWKT"
    struct.pack_into("<I", h, 32, 0x20240101)
    return csum_fix(bytes(h) + body)


def rsdp(rev, length=36, rsdt=0x7FFE0000, xsdt=0x7FFE0100, oem=b"FWKITO"):
    r = bytearray(b"RSD PTR ")
    r += b"\0" + oem + bytes([rev]) + struct.pack("<I", rsdt)
    r[8] = (-sum(r)) & 0xFF
    if rev < 2:
        return bytes(r)
    r += struct.pack("<IQ", length, xsdt) + b"\0\0\0\0"
    r[32] = (-sum(r)) & 0xFF
    return bytes(r)


def main():
    d, machine = sys.argv[1], sys.argv[2]
    os.makedirs(d, exist_ok=True)
    rows = []

    def put(name, blob):
        with open(os.path.join(d, name), "wb") as f:
            f.write(blob)

    def bad(name, blob, field, off):
        put(name, blob)
        rows.append(("malformed", name, field, "-" if off is None else str(off)))

    def sumonly(name, blob, field):
        put(name, blob)
        rows.append(("checksum", name, field, "0x%02x" % right_sum(blob)))

    def read(n):
        with open(os.path.join(machine, n), "rb") as f:
            return f.read()

    ssdt, dsdt, facs = read("ssdt1.dat"), read("dsdt.dat"), read("facs.dat")
    for t in (ssdt, dsdt):
        assert sum(t) & 0xFF == 0 and struct.unpack_from("<I", t, 4)[0] == len(t)
    xsdt = sdt(b"XSDT", struct.pack("<3Q", 0x7FFE1000, 0x7FFE2000, 0x17FFE3000))
    rsdt = sdt(b"RSDT", struct.pack("<3I", 0x7FFE1000, 0x7FFE2000, 0x7FFE3000))
    put("good-xsdt.dat", xsdt)
    put("good-rsdt.dat", rsdt)
    put("good-rsdp-v1.dat", rsdp(0))
    put("good-rsdp-v2.dat", rsdp(2))
    put("good-facs.dat", facs)

    # Every common-header table: each size/length defect.
    for tag, t in (("ssdt", ssdt), ("dsdt", dsdt), ("xsdt", xsdt), ("rsdt", rsdt)):
        n = len(t)
        bad("%s-trunc35.dat" % tag, t[:35], "Length", None)
        bad("%s-trunc8.dat" % tag, t[:8], "Length", None)
        bad("%s-trunc3.dat" % tag, t[:3], "Signature", None)
        bad("%s-len-past-file.dat" % tag, csum_fix(set_len(t, n + 1)), "Length", 4)
        bad("%s-len-huge.dat" % tag, csum_fix(set_len(t, 0xFFFFFFFF)), "Length", 4)
        bad("%s-file-cut.dat" % tag, t[:-1], "Length", 4)
        bad("%s-len-short.dat" % tag, csum_fix(set_len(t, n - 4)), "Length", 4)
        bad("%s-len-below-36.dat" % tag, csum_fix(set_len(t, 20)), "Length", 4)
        bad("%s-len-zero.dat" % tag, csum_fix(set_len(t, 0)), "Length", 4)
        for i, c in ((0, 0x00), (2, 0x20), (3, 0xC3)):
            b = bytearray(t)
            b[i] = c
            bad("%s-sig%d-%02x.dat" % (tag, i, c), csum_fix(bytes(b)), "Signature", i)
    bad("empty.dat", b"", "Signature", None)
    # Root tables: an entry area that is not whole entries.
    bad("xsdt-entries-12.dat", sdt(b"XSDT", b"\x01" * 12), "Length", 4)
    bad("xsdt-entries-4.dat", sdt(b"XSDT", b"\x01" * 4), "Length", 4)
    bad("rsdt-entries-6.dat", sdt(b"RSDT", b"\x01" * 6), "Length", 4)
    bad("rsdt-entries-1.dat", sdt(b"RSDT", b"\x01"), "Length", 4)

    # RSDP: signature, both checksums, revision 2's Length.
    v1, v2 = rsdp(0), rsdp(2)
    b = bytearray(v2)
    b[6] = ord("X")  # "RSD PTX ": not an RSDP, and ' ' is no signature letter
    bad("rsdp-bad-signature.dat", bytes(b), "Signature", 3)
    b = bytearray(v1)
    b[0:8] = b"rsd ptr "
    bad("rsdp-lowercase-signature.dat", bytes(b), "Signature", 3)
    for tag, r in (("v1", v1), ("v2", v2)):
        b = bytearray(r)
        b[8] ^= 0x5A
        bad("rsdp-%s-bad-checksum.dat" % tag, bytes(b), "Checksum", 8)
        b = bytearray(r)
        b[12] ^= 0x01  # an OEM ID byte: the first 20 bytes no longer sum to 0
        bad("rsdp-%s-oemid-changed.dat" % tag, bytes(b), "Checksum", 8)
    b = bytearray(v2)
    b[32] ^= 0x5A
    bad("rsdp-v2-bad-ext-checksum.dat", bytes(b), "Extended_Checksum", 32)
    b = bytearray(v2)
    b[24] ^= 0x10  # XSDT address: outside the first 20 bytes
    bad("rsdp-v2-xsdt-changed.dat", bytes(b), "Extended_Checksum", 32)
    bad("rsdp-v2-len-below-36.dat", rsdp(2, length=24), "Length", 20)
    bad("rsdp-v2-len-zero.dat", rsdp(2, length=0), "Length", 20)
    bad("rsdp-v2-len-past-file.dat", rsdp(2, length=40), "Length", 20)
    bad("rsdp-v2-len-huge.dat", rsdp(2, length=0xFFFFFFFF), "Length", 20)
    bad("rsdp-v2-file-longer.dat", v2 + b"\0\0\0\0", "Length", 20)
    bad("rsdp-v2-trunc30.dat", v2[:30], "Length", None)
    bad("rsdp-v2-trunc20.dat", v2[:20], "Length", None)
    bad("rsdp-v1-trunc19.dat", v1[:19], "Length", None)
    bad("rsdp-v1-trunc8.dat", v1[:8], "Length", None)
    bad("rsdp-v1-file-longer.dat", v1 + b"\0" * 16, "Revision", 15)

    # FACS: its own Length rules (>= 64 and == the file's size).
    f = bytearray(facs)
    bad("facs-len-past-file.dat", set_len(f, len(f) + 4), "Length", 4)
    bad("facs-len-below-64.dat", set_len(f, 32)[:32], "Length", 4)
    bad("facs-len-short.dat", set_len(f, 64) + b"\0" * 8, "Length", 4)
    bad("facs-len-zero.dat", set_len(f, 0), "Length", 4)
    bad("facs-trunc6.dat", bytes(f[:6]), "Length", None)

    # Each header field changed in turn without fixing the checksum: a
    # finding, not a malformed table (Signature and Length are covered
    # above, where they break the structure).
    for tag, t in (("ssdt", ssdt), ("dsdt", dsdt)):
        for name, off, size in FIELDS:
            if name in ("Signature", "Length"):
                continue
            b = bytearray(t)
            b[off + size - 1] ^= 0x01
            sumonly("%s-changed-%s.dat" % (tag, name.lower()), bytes(b), name)
        # A body byte too, and a signature the kernel does not take.
        b = bytearray(t)
        b[len(b) // 2] ^= 0x80
        sumonly("%s-changed-body.dat" % tag, bytes(b), "body")
    b = bytearray(xsdt)
    b[40] ^= 0x01
    sumonly("xsdt-changed-entry.dat", bytes(b), "body")

    for row in rows:
        print(" ".join(row))


if __name__ == "__main__":
    main()
