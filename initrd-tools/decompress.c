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
#include <zlib.h>
#include <zstd.h>

/* A growing output buffer bounded by max. */
struct outbuf {
	uint8_t *p;
	uint64_t len, cap, max;
};

/* Make room for at least `want` more bytes (fewer if max is near). */
static int out_reserve(struct outbuf *o, uint64_t want)
{
	if (o->cap - o->len >= want && o->cap > o->len)
		return 0;
	if (o->len >= o->max)
		return FWK_ERR_LIMIT;
	uint64_t ncap = o->cap ? o->cap * 2 : (1u << 20);
	while (ncap - o->len < want && ncap < o->max)
		ncap *= 2;
	if (ncap > o->max)
		ncap = o->max;
	uint8_t *np = realloc(o->p, (size_t)ncap);
	if (!np)
		return FWK_ERR_LIMIT;
	o->p = np;
	o->cap = ncap;
	return 0;
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
 * needs 65 MiB and zstd's largest default window is 2^27, so honest images
 * stay well inside these. */
#define LZMA_MEMLIMIT (256u << 20)
#define ZSTD_WINDOWLOG_LIMIT 27

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

static int do_zstd(const uint8_t *in, uint64_t len, struct outbuf *o,
		   uint64_t *used, char *msg, size_t n)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { in, (size_t)len, 0 };
	int err = 0;

	if (!d)
		return fail_msg(msg, n, FWK_ERR_LIMIT, "%s", "zstd: out of memory");
	/* Consecutive frames are taken as one stream. */
	ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, ZSTD_WINDOWLOG_LIMIT);
	for (;;) {
		size_t zr;
		do {
			if ((err = out_reserve(o, ZSTD_DStreamOutSize())) < 0)
				goto out;
			ZSTD_outBuffer ob = { o->p + o->len, (size_t)(o->cap - o->len), 0 };
			zr = ZSTD_decompressStream(d, &ob, &ib);
			o->len += ob.pos;
			if (ZSTD_isError(zr)) {
				err = fail_msg(msg, n, FWK_ERR_BADFIELD, "zstd: %s",
					       ZSTD_getErrorName(zr));
				goto out;
			}
			if (zr != 0 && ib.pos == ib.size && ob.pos < ob.size) {
				err = fail_msg(msg, n, FWK_ERR_TRUNCATED, "%s",
					       "zstd: stream ends early");
				goto out;
			}
		} while (zr != 0);
		if (ib.size - ib.pos < 4 || memcmp(in + ib.pos, zstd_magic, 4) != 0)
			break;
	}
out:
	*used = ib.pos;
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
	if (err < 0) {
		free(o.p);
		return err;
	}
	*out = o.p;
	*outlen = o.len;
	*consumed = used;
	return 0;
}
