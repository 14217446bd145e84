/* SPDX-License-Identifier: MIT */
/* decompress.c - decompress one initramfs segment with the compression libraries,
 * reporting exactly how many input bytes the stream used. */
#include <fwkit/initrd_image.h>

#include <bzlib.h>
#include <errno.h>
#include <lz4.h>
#include <lzo/lzo1x.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

/*
 * The output buffer: the whole cap (o->max) is reserved as address space
 * once, without backing memory, so it never moves or gets copied while
 * growing; pages appear as the decompressor writes them, in huge pages
 * where the kernel allows, which keeps page faults from costing more than
 * the decompression itself.
 */
struct outbuf {
	uint8_t *p;
	uint64_t len, max; /* bytes written; the reservation's size */
};

/* Map the reservation on first use; FWK_ERR_LIMIT once it is full. */
static int out_reserve(struct outbuf *o)
{
	if (o->p == NULL) {
		void *p = mmap(NULL, (size_t)o->max, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return FWK_ERR_LIMIT;
		madvise(p, (size_t)o->max, MADV_HUGEPAGE);
		o->p = p;
	}
	return o->len < o->max ? 0 : FWK_ERR_LIMIT;
}

static int fail_msg(char *msg, size_t n, int err, const char *fmt, const char *what)
{
	snprintf(msg, n, fmt, what);
	return err;
}

static int do_gzip(const uint8_t *in, uint64_t len, struct outbuf *o,
		   uint64_t *used, char *msg, size_t n)
{
	z_stream z = { 0 };
	int zr, err = 0;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return fail_msg(msg, n, FWK_ERR_LIMIT, "%s", "zlib initialisation failed");
	uint64_t off = 0;
	do {
		if ((err = out_reserve(o)) < 0)
			break;
		if (z.avail_in == 0) {
			uint64_t chunk = len - off > UINT32_MAX ? UINT32_MAX : len - off;
			z.next_in = (Bytef *)(in + off);
			z.avail_in = (uInt)chunk;
			off += chunk;
		}
		uint64_t room = o->max - o->len > UINT32_MAX ? UINT32_MAX : o->max - o->len;
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)room;
		zr = inflate(&z, Z_NO_FLUSH);
		o->len += room - z.avail_out;
		if (zr == Z_BUF_ERROR && z.avail_in == 0 && off == len) {
			err = fail_msg(msg, n, FWK_ERR_TRUNCATED, "gzip: %s", "stream ends early");
			break;
		}
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			err = fail_msg(msg, n, FWK_ERR_BADFIELD, "gzip: %s",
				       z.msg ? z.msg : "corrupt data");
			break;
		}
	} while (zr != Z_STREAM_END);
	*used = z.total_in;
	inflateEnd(&z);
	return err;
}

/* Decoder memory caps: a header may declare a dictionary or window of
 * gigabytes that the decoder would allocate before reading a byte.  xz -9
 * needs 65 MiB, so honest images stay well inside it.  (zstd is decoded in
 * one shot into the output buffer and needs no window of its own.) */
#define LZMA_MEMLIMIT (256u << 20)

static int do_lzma(bool xz, const uint8_t *in, uint64_t len, struct outbuf *o,
		   uint64_t *used, char *msg, size_t n)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret lr = xz ? lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0)
			 : lzma_alone_decoder(&s, LZMA_MEMLIMIT);
	const char *name = xz ? "xz" : "lzma";
	int err = 0;

	if (lr != LZMA_OK)
		return fail_msg(msg, n, FWK_ERR_LIMIT, "%s: decoder initialisation failed", name);
	s.next_in = in;
	s.avail_in = (size_t)len;
	do {
		if ((err = out_reserve(o)) < 0)
			break;
		s.next_out = o->p + o->len;
		s.avail_out = (size_t)(o->max - o->len);
		size_t before = s.avail_out;
		lr = lzma_code(&s, s.avail_in ? LZMA_RUN : LZMA_FINISH);
		o->len += before - s.avail_out;
		if (lr == LZMA_BUF_ERROR && s.avail_in == 0) {
			err = fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s: stream ends early", name);
			break;
		}
		if (lr == LZMA_MEMLIMIT_ERROR) {
			err = fail_msg(msg, n, FWK_ERR_LIMIT,
				       "%s: dictionary needs more than 256 MiB to decode", name);
			break;
		}
		if (lr != LZMA_OK && lr != LZMA_STREAM_END) {
			err = fail_msg(msg, n, FWK_ERR_BADFIELD, "%s: corrupt or unsupported data", name);
			break;
		}
	} while (lr != LZMA_STREAM_END);
	*used = s.total_in;
	lzma_end(&s);
	return err;
}

static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

/*
 * zstd: each frame is decoded in one call straight into the output buffer
 * (its end found from the block headers first), which avoids the streaming
 * decoder's window copy.  Consecutive frames are taken as one stream.
 */
static int do_zstd(const uint8_t *in, uint64_t len, struct outbuf *o,
		   uint64_t *used, char *msg, size_t n)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	uint64_t pos = 0;
	int err = 0;

	if (!d)
		return fail_msg(msg, n, FWK_ERR_LIMIT, "%s", "zstd: out of memory");
	if ((err = out_reserve(o)) < 0)
		goto out;
	do {
		size_t fsize = ZSTD_findFrameCompressedSize(in + pos, (size_t)(len - pos));
		if (ZSTD_isError(fsize)) {
			err = ZSTD_getErrorCode(fsize) == ZSTD_error_srcSize_wrong
				      ? fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s", "zstd: stream ends early")
				      : fail_msg(msg, n, FWK_ERR_BADFIELD, "zstd: %s",
						 ZSTD_getErrorName(fsize));
			break;
		}
		size_t got = ZSTD_decompressDCtx(d, o->p + o->len, (size_t)(o->max - o->len),
						 in + pos, fsize);
		if (ZSTD_isError(got)) {
			err = ZSTD_getErrorCode(got) == ZSTD_error_dstSize_tooSmall
				      ? FWK_ERR_LIMIT
				      : fail_msg(msg, n, FWK_ERR_BADFIELD, "zstd: %s",
						 ZSTD_getErrorName(got));
			break;
		}
		o->len += got;
		pos += fsize;
	} while (len - pos >= 4 && memcmp(in + pos, zstd_magic, 4) == 0);
out:
	*used = pos;
	ZSTD_freeDCtx(d);
	return err;
}

static int do_bzip2(const uint8_t *in, uint64_t len, struct outbuf *o,
		    uint64_t *used, char *msg, size_t n)
{
	bz_stream b = { 0 };
	int br, err = 0;

	if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK)
		return fail_msg(msg, n, FWK_ERR_LIMIT, "%s", "bzip2: initialisation failed");
	uint64_t off = 0;
	do {
		if ((err = out_reserve(o)) < 0)
			break;
		if (b.avail_in == 0) {
			uint64_t chunk = len - off > UINT32_MAX ? UINT32_MAX : len - off;
			b.next_in = (char *)(in + off);
			b.avail_in = (unsigned)chunk;
			off += chunk;
		}
		uint64_t room = o->max - o->len > UINT32_MAX ? UINT32_MAX : o->max - o->len;
		b.next_out = (char *)o->p + o->len;
		b.avail_out = (unsigned)room;
		br = BZ2_bzDecompress(&b);
		o->len += room - b.avail_out;
		if (br == BZ_OK && b.avail_in == 0 && off == len && b.avail_out != 0) {
			err = fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s", "bzip2: stream ends early");
			break;
		}
		if (br != BZ_OK && br != BZ_STREAM_END) {
			err = fail_msg(msg, n, FWK_ERR_BADFIELD, "%s", "bzip2: corrupt data");
			break;
		}
	} while (br != BZ_STREAM_END);
	*used = ((uint64_t)b.total_in_hi32 << 32) | b.total_in_lo32;
	BZ2_bzDecompressEnd(&b);
	return err;
}

/*
 * lz4 legacy format, as `lz4 -l` writes and the kernel reads: the magic,
 * then blocks of [le32 compressed size][data], each decompressing to 8 MiB
 * except the last.  The stream has no end marker, so it ends after a short
 * block, at a word that cannot be a block size, or at the end of input.
 */
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

static int do_lz4(const uint8_t *in, uint64_t len, struct outbuf *o,
		  uint64_t *used, char *msg, size_t n)
{
	uint64_t off = 4; /* past the magic the caller matched */
	int err = 0;

	while (len - off >= 4) {
		uint32_t csize = fwk_le32(in + off);
		if (csize == LZ4_LEGACY_MAGIC) {
			off += 4;
			continue;
		}
		if (csize == 0 || csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK))
			break;
		if (csize > len - off - 4) {
			err = fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s", "lz4: block runs past the end");
			break;
		}
		if ((err = out_reserve(o)) < 0)
			break;
		uint64_t room = o->max - o->len;
		int got = LZ4_decompress_safe((const char *)in + off + 4,
					      (char *)o->p + o->len, (int)csize,
					      room > LZ4_LEGACY_BLOCK ? (int)LZ4_LEGACY_BLOCK : (int)room);
		if (got < 0) {
			err = fail_msg(msg, n, FWK_ERR_BADFIELD, "%s", "lz4: corrupt block");
			break;
		}
		o->len += (uint64_t)got;
		off += 4 + (uint64_t)csize;
		if ((uint32_t)got < LZ4_LEGACY_BLOCK)
			break;
	}
	*used = off;
	return err;
}

void initrd_unpacked_free(uint8_t *p, uint64_t len)
{
	if (p)
		munmap(p, (size_t)((len + 4095) & ~(uint64_t)4095));
}

/*
 * lzop, as `lzop` writes it and the kernel's unlzo reads it: a 9-byte magic,
 * a header (version, method, flags, mode, mtime, name; fields added from
 * version 0x0940 on) closed by its Adler-32 or CRC-32, then blocks of
 * [be32 unpacked size][be32 packed size][checksums the flags ask for][data],
 * stored as is when both sizes are equal, ended by an unpacked size of 0.
 */
enum {
	LZOP_ADLER32_D = 0x1, LZOP_ADLER32_C = 0x2, LZOP_EXTRA_FIELD = 0x40,
	LZOP_CRC32_D = 0x100, LZOP_CRC32_C = 0x200, LZOP_MULTIPART = 0x400,
	LZOP_FILTER = 0x800, LZOP_H_CRC32 = 0x1000,
};
#define LZOP_MAGIC_LEN 9u
#define LZOP_MAX_BLOCK (64u << 20) /* lzop's own limit */

/* A bounded big-endian reader over in[0..len). */
struct be_in {
	const uint8_t *p;
	uint64_t len, off;
	bool short_;
};

static uint32_t be_take(struct be_in *r, unsigned n)
{
	uint32_t v = 0;

	if (r->len - r->off < n) {
		r->short_ = true;
		r->off = r->len;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | r->p[r->off + i];
	r->off += n;
	return v;
}

static uint32_t lzop_sum(bool crc, const uint8_t *p, uint64_t n)
{
	return crc ? (uint32_t)crc32(0, p, (uInt)n) : (uint32_t)adler32(1, p, (uInt)n);
}

static int do_lzo(const uint8_t *in, uint64_t len, struct outbuf *o,
		  uint64_t *used, char *msg, size_t n)
{
	struct be_in r = { in, len, LZOP_MAGIC_LEN, false };
	int err;

	static const uint8_t magic[LZOP_MAGIC_LEN] = { 0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n' };

	*used = 0;
	/* The segment scanner matched four bytes; the reader needs all nine. */
	if (len < LZOP_MAGIC_LEN || memcmp(in, magic, LZOP_MAGIC_LEN) != 0)
		return fail_msg(msg, n, FWK_ERR_BADMAGIC, "%s", "lzo: not an lzop stream");
	if (lzo_init() != LZO_E_OK)
		return fail_msg(msg, n, FWK_ERR_LIMIT, "%s", "lzo: library initialisation failed");
	const uint32_t version = be_take(&r, 2);
	be_take(&r, 2); /* library version */
	if (version >= 0x0940)
		be_take(&r, 2); /* version needed to extract */
	const uint32_t method = be_take(&r, 1);
	if (version >= 0x0940)
		be_take(&r, 1); /* level */
	const uint32_t flags = be_take(&r, 4);
	if (flags & LZOP_FILTER)
		be_take(&r, 4);
	be_take(&r, 4); /* mode */
	be_take(&r, 4); /* mtime */
	if (version >= 0x0940)
		be_take(&r, 4); /* mtime, high half */
	const uint32_t name_len = be_take(&r, 1);
	if (!r.short_ && name_len > r.len - r.off)
		r.short_ = true;
	else
		r.off += name_len;
	const uint64_t hdr_end = r.off;
	const uint32_t hsum = be_take(&r, 4);
	if (r.short_)
		return fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s", "lzo: header ends early");
	if (lzop_sum(flags & LZOP_H_CRC32, in + LZOP_MAGIC_LEN, hdr_end - LZOP_MAGIC_LEN) != hsum)
		return fail_msg(msg, n, FWK_ERR_CHECKSUM, "%s", "lzo: header checksum mismatch");
	if (method < 1 || method > 3)
		return fail_msg(msg, n, FWK_ERR_UNSUPPORTED, "%s", "lzo: method is not LZO1X");
	if (flags & (LZOP_EXTRA_FIELD | LZOP_MULTIPART | LZOP_FILTER))
		return fail_msg(msg, n, FWK_ERR_UNSUPPORTED, "%s",
				"lzo: extra field, multipart or filter (the kernel reads none)");
	if ((err = out_reserve(o)) < 0)
		return err;

	for (;;) {
		const uint32_t dlen = be_take(&r, 4);
		if (r.short_)
			return fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s", "lzo: stream ends early");
		if (dlen == 0)
			break;
		const uint32_t clen = be_take(&r, 4);
		const bool packed = clen < dlen;
		uint32_t dsum = 0, csum = 0;
		if (flags & (LZOP_ADLER32_D | LZOP_CRC32_D))
			dsum = be_take(&r, 4);
		if (packed && (flags & (LZOP_ADLER32_C | LZOP_CRC32_C)))
			csum = be_take(&r, 4);
		if (r.short_ || clen > r.len - r.off)
			return fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s", "lzo: block runs past the end");
		if (dlen > LZOP_MAX_BLOCK || clen > dlen || clen == 0)
			return fail_msg(msg, n, FWK_ERR_BADFIELD, "%s", "lzo: impossible block sizes");
		if (dlen > o->max - o->len)
			return FWK_ERR_LIMIT;
		const uint8_t *src = in + r.off;
		uint8_t *dst = o->p + o->len;
		if (packed && (flags & (LZOP_ADLER32_C | LZOP_CRC32_C)) &&
		    lzop_sum(flags & LZOP_CRC32_C, src, clen) != csum)
			return fail_msg(msg, n, FWK_ERR_CHECKSUM, "%s", "lzo: packed block checksum mismatch");
		if (packed) {
			lzo_uint got = dlen;
			if (lzo1x_decompress_safe(src, clen, dst, &got, NULL) != LZO_E_OK || got != dlen)
				return fail_msg(msg, n, FWK_ERR_BADFIELD, "%s", "lzo: corrupt block");
		} else {
			memcpy(dst, src, dlen);
		}
		if ((flags & (LZOP_ADLER32_D | LZOP_CRC32_D)) &&
		    lzop_sum(flags & LZOP_CRC32_D, dst, dlen) != dsum)
			return fail_msg(msg, n, FWK_ERR_CHECKSUM, "%s", "lzo: block checksum mismatch");
		o->len += dlen;
		r.off += clen;
		*used = r.off;
	}
	*used = r.off;
	return 0;
}

int initrd_decompress(enum initrd_format fmt, const uint8_t *in, uint64_t len,
		      uint64_t max_out, uint8_t **out, uint64_t *outlen,
		      uint64_t *consumed, char *msg, size_t msglen)
{
	struct outbuf o = { .max = max_out ? max_out : INITRD_DEFAULT_MAX_UNPACKED };
	uint64_t used = 0;
	int err;

	msg[0] = '\0';
	switch (fmt) {
	case INITRD_GZIP: err = do_gzip(in, len, &o, &used, msg, msglen); break;
	case INITRD_XZ: err = do_lzma(true, in, len, &o, &used, msg, msglen); break;
	case INITRD_LZMA: err = do_lzma(false, in, len, &o, &used, msg, msglen); break;
	case INITRD_ZSTD: err = do_zstd(in, len, &o, &used, msg, msglen); break;
	case INITRD_BZIP2: err = do_bzip2(in, len, &o, &used, msg, msglen); break;
	case INITRD_LZ4: err = do_lz4(in, len, &o, &used, msg, msglen); break;
	case INITRD_LZO: err = do_lzo(in, len, &o, &used, msg, msglen); break;
	default:
		err = fail_msg(msg, msglen, FWK_ERR_INVAL, "%s", "not a compressed format");
		break;
	}
	if (err == FWK_ERR_LIMIT && !msg[0])
		snprintf(msg, msglen, "%s: unpacks to more than %llu bytes",
			 initrd_format_name(fmt), (unsigned long long)o.max);
	/* Give back the reserved address space past the data. */
	uint64_t keep = (o.len + 4095) & ~(uint64_t)4095;
	if (o.p && (err < 0 || keep < o.max))
		munmap(o.p + (err < 0 ? 0 : keep), (size_t)(o.max - (err < 0 ? 0 : keep)));
	if (err < 0)
		return err;
	*out = keep ? o.p : NULL;
	*outlen = o.len;
	*consumed = used;
	return 0;
}
