/* SPDX-License-Identifier: MIT */
/* decompress.c - decompress one initramfs segment with the compression libraries,
 * reporting exactly how many input bytes the stream used. */
#include <fwkit/initrd_image.h>

#include <bzlib.h>
#include <errno.h>
#include <lz4.h>
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
	uint64_t len, cap, max;
};

static int out_reserve(struct outbuf *o, uint64_t want)
{
	(void)want;
	if (o->p == NULL) {
		void *p = mmap(NULL, (size_t)o->max, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return FWK_ERR_LIMIT;
		madvise(p, (size_t)o->max, MADV_HUGEPAGE);
		o->p = p;
		o->cap = o->max;
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
		if ((err = out_reserve(o, 1u << 16)) < 0)
			break;
		if (z.avail_in == 0) {
			uint64_t chunk = len - off > UINT32_MAX ? UINT32_MAX : len - off;
			z.next_in = (Bytef *)(in + off);
			z.avail_in = (uInt)chunk;
			off += chunk;
		}
		uint64_t room = o->cap - o->len > UINT32_MAX ? UINT32_MAX : o->cap - o->len;
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
		if ((err = out_reserve(o, 1u << 16)) < 0)
			break;
		s.next_out = o->p + o->len;
		s.avail_out = (size_t)(o->cap - o->len);
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
	if ((err = out_reserve(o, 0)) < 0)
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
		if ((err = out_reserve(o, 1u << 16)) < 0)
			break;
		if (b.avail_in == 0) {
			uint64_t chunk = len - off > UINT32_MAX ? UINT32_MAX : len - off;
			b.next_in = (char *)(in + off);
			b.avail_in = (unsigned)chunk;
			off += chunk;
		}
		uint64_t room = o->cap - o->len > UINT32_MAX ? UINT32_MAX : o->cap - o->len;
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
		if ((err = out_reserve(o, LZ4_LEGACY_BLOCK)) < 0)
			break;
		uint64_t room = o->cap - o->len;
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
	case INITRD_LZO:
		err = fail_msg(msg, msglen, FWK_ERR_UNSUPPORTED, "%s",
			       "lzo (lzop) segments cannot be unpacked by fwkit; recompress the image");
		break;
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
