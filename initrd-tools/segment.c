/* SPDX-License-Identifier: MIT */
/* segment.c - split an initramfs image into cpio archives and compressed streams. */
#include <fwkit/initrd.h>

static const char *const format_names[] = {
	[INITRD_CPIO] = "cpio",   [INITRD_GZIP] = "gzip", [INITRD_BZIP2] = "bzip2",
	[INITRD_LZMA] = "lzma",   [INITRD_XZ] = "xz",     [INITRD_LZO] = "lzo",
	[INITRD_LZ4] = "lz4",     [INITRD_ZSTD] = "zstd", [INITRD_UNKNOWN] = "unknown",
};

const char *initrd_format_name(enum initrd_format fmt)
{
	if ((unsigned)fmt > INITRD_UNKNOWN)
		fmt = INITRD_UNKNOWN;
	return format_names[fmt];
}

/* Magic numbers as the kernel's decompress_method() table knows them. */
static const struct {
	uint8_t len;
	uint8_t magic[6];
	enum initrd_format fmt;
} magics[] = {
	{ 6, { '0', '7', '0', '7', '0', '1' }, INITRD_CPIO },
	{ 6, { '0', '7', '0', '7', '0', '2' }, INITRD_CPIO },
	{ 2, { 0x1f, 0x8b }, INITRD_GZIP },
	{ 2, { 0x1f, 0x9e }, INITRD_GZIP }, /* old gzip, still accepted */
	{ 3, { 'B', 'Z', 'h' }, INITRD_BZIP2 },
	{ 2, { 0x5d, 0x00 }, INITRD_LZMA }, /* small dictionaries: 5d 00 10 ... */
	{ 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, INITRD_XZ },
	{ 4, { 0x89, 'L', 'Z', 'O' }, INITRD_LZO },
	{ 4, { 0x02, 0x21, 0x4c, 0x18 }, INITRD_LZ4 },
	{ 4, { 0x28, 0xb5, 0x2f, 0xfd }, INITRD_ZSTD },
};

enum initrd_format initrd_detect(const void *p, uint64_t len)
{
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len &&
		    memcmp(p, magics[i].magic, magics[i].len) == 0)
			return magics[i].fmt;
	return INITRD_UNKNOWN;
}

void initrd_scan_init(struct initrd_scanner *s, const void *buf, uint64_t len)
{
	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->len = len;
	s->max_segments = INITRD_MAX_SEGMENTS;
	s->max_entries = CPIO_DEFAULT_MAX_ENTRIES;
}

int initrd_scan_seek(struct initrd_scanner *s, uint64_t off)
{
	if (off > s->len)
		return FWK_ERR_INVAL;
	s->off = off;
	return 0;
}

int initrd_next_segment(struct initrd_scanner *s, struct initrd_segment *seg)
{
	uint64_t off = s->off;

	while (off < s->len && s->buf[off] == 0)
		off++;
	if (off == s->len) {
		s->off = off;
		return 0;
	}
	if (s->segments >= s->max_segments)
		return fwk_fail(&s->fault, FWK_ERR_LIMIT, off, "segments",
				"more segments than the scanner's cap");

	memset(seg, 0, sizeof(*seg));
	seg->padding = off - s->off;
	seg->offset = off;
	seg->format = initrd_detect(s->buf + off, s->len - off);

	switch (seg->format) {
	case INITRD_UNKNOWN:
		return fwk_fail(&s->fault, FWK_ERR_BADMAGIC, off, "segment magic",
				"neither a cpio archive nor a known compressed stream");
	case INITRD_CPIO: {
		struct cpio_reader r;
		struct cpio_entry e;
		int rc;

		/* The kernel looks for cpio only at multiples of 4 and takes
		 * anything else for a compressed stream it cannot decode. */
		if (off & 3)
			return fwk_fail(&s->fault, FWK_ERR_BADMAGIC, off, "segment magic",
					"cpio archive not at a multiple of 4 bytes");

		cpio_reader_init(&r, s->buf, s->len, off);
		r.max_entries = s->max_entries;
		while ((rc = cpio_next_entry(&r, &e)) == 1)
			;
		if (rc < 0) {
			s->fault = r.fault;
			return rc;
		}
		seg->length = r.off - off;
		seg->entries = r.count;
		s->off = r.off;
		break;
	}
	default:
		seg->length = s->len - off;
		s->off = s->len;
		break;
	}
	s->segments++;
	return 1;
}
