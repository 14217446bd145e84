/* SPDX-License-Identifier: MIT */
/*
 * fwkit/initrd.h - the segments of a Linux initramfs image.
 *
 * The kernel unpacks an initramfs as a sequence of segments: uncompressed
 * cpio archives (each ending at its TRAILER!!!), runs of NUL padding between
 * them, and compressed streams whose content is again cpio.  Early microcode
 * and ACPI tables must sit in an uncompressed archive at the very start.
 *
 * Core module.  The scanner walks uncompressed archives itself and stops at
 * a compressed stream, reporting its offset and format by magic; a hosted
 * caller decompresses it, then resumes the scan after the bytes the
 * decompressor consumed (initrd_scan_seek).
 */
#ifndef FWKIT_INITRD_H
#define FWKIT_INITRD_H

#include <fwkit/cpio.h>

#define INITRD_MAX_SEGMENTS 64u

enum initrd_format {
	INITRD_CPIO = 0, /* newc or crc cpio archive */
	INITRD_GZIP,     /* 1f 8b */
	INITRD_BZIP2,    /* "BZh" */
	INITRD_LZMA,     /* 5d 00 (lzma-alone) */
	INITRD_XZ,       /* fd "7zXZ" 00 */
	INITRD_LZO,      /* 89 "LZO" 00 (lzop) */
	INITRD_LZ4,      /* 02 21 4c 18 (lz4 legacy, as the kernel reads it) */
	INITRD_ZSTD,     /* 28 b5 2f fd */
	INITRD_UNKNOWN
};

/* Short lower-case name: "cpio", "gzip", ..., "unknown". */
const char *initrd_format_name(enum initrd_format fmt);

/* The format whose magic starts p[0..len); INITRD_UNKNOWN if none. */
enum initrd_format initrd_detect(const void *p, uint64_t len);

struct initrd_segment {
	uint64_t offset;  /* of the first byte after any NUL padding */
	uint64_t length;  /* cpio: to the end of the trailer's padding;
			     compressed: to the end of the buffer (the real
			     length is known only after decompression) */
	uint64_t padding; /* NUL bytes skipped before `offset` */
	enum initrd_format format;
	uint32_t entries; /* cpio: entries before the trailer */
};

struct initrd_scanner {
	const uint8_t *buf;
	uint64_t len;
	uint64_t off;          /* where the next segment is looked for */
	uint32_t segments;     /* returned so far */
	uint32_t max_segments; /* hard cap */
	uint32_t max_entries;  /* per cpio archive */
	struct fwk_fault fault;
};

void initrd_scan_init(struct initrd_scanner *s, const void *buf, uint64_t len);

/*
 * Find the next segment.  Returns 1 and fills *seg; 0 at the end of the
 * buffer (only NULs left); or a negative fwk_error with s->fault set:
 *   any error of cpio_next_entry() for a broken archive (which also fails
 *   when an archive runs off the end of the buffer without a trailer),
 *   FWK_ERR_BADMAGIC  bytes that are neither cpio nor a known compressor,
 *                     or a cpio archive not at a multiple of 4 bytes
 *   FWK_ERR_LIMIT     more than s->max_segments segments
 * After a compressed segment the scanner is at the end of the buffer; a
 * caller that decompressed it calls initrd_scan_seek() to go on.
 */
int initrd_next_segment(struct initrd_scanner *s, struct initrd_segment *seg);

/* Continue the scan at `off` (<= len), e.g. just after a compressed stream. */
int initrd_scan_seek(struct initrd_scanner *s, uint64_t off);

#endif /* FWKIT_INITRD_H */
