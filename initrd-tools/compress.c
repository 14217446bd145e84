/* SPDX-License-Identifier: MIT */
/* compress.c - a streaming file writer that compresses as the kernel can unpack. */
#include <fwkit/initrd_image.h>

#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define SINK_BUF (1u << 20)

struct initrd_sink {
	int fd;
	enum initrd_format fmt;
	z_stream z;
	lzma_stream x;
	ZSTD_CCtx *zc;
	uint8_t *buf; /* staging for plain output, compressed bytes otherwise */
	size_t used;
	char err[128];
};

static int write_all(struct initrd_sink *s, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(s->fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(s->err, sizeof(s->err), "write: %s",
				 w < 0 ? strerror(errno) : "no progress");
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush_buf(struct initrd_sink *s)
{
	int rc = write_all(s, s->buf, s->used);
	s->used = 0;
	return rc;
}

struct initrd_sink *initrd_sink_open(int fd, enum initrd_format fmt, int level,
				     char *err, size_t errlen)
{
	struct initrd_sink *s = calloc(1, sizeof(*s));
	if (!s || !(s->buf = malloc(SINK_BUF))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = fd;
	s->fmt = fmt;
	switch (fmt) {
	case INITRD_CPIO:
		return s;
	case INITRD_GZIP:
		/* zlib's gzip header carries mtime 0 and no name: deterministic. */
		if (deflateInit2(&s->z, level ? level : 9, Z_DEFLATED, 16 + MAX_WBITS,
				 8, Z_DEFAULT_STRATEGY) == Z_OK)
			return s;
		break;
	case INITRD_XZ: {
		/* The kernel's xz decoder wants CRC32 (or no) checks and LZMA2. */
		lzma_stream init = LZMA_STREAM_INIT;
		s->x = init;
		if (lzma_easy_encoder(&s->x, (uint32_t)(level ? level : 6),
				      LZMA_CHECK_CRC32) == LZMA_OK)
			return s;
		break;
	}
	case INITRD_ZSTD:
		s->zc = ZSTD_createCCtx();
		if (s->zc && !ZSTD_isError(ZSTD_CCtx_setParameter(
				     s->zc, ZSTD_c_compressionLevel, level ? level : 3)) &&
		    !ZSTD_isError(ZSTD_CCtx_setParameter(s->zc, ZSTD_c_checksumFlag, 1)))
			return s;
		ZSTD_freeCCtx(s->zc);
		break;
	default:
		snprintf(err, errlen, "cannot write %s output (use none, gzip, zstd or xz)",
			 initrd_format_name(fmt));
		free(s->buf);
		free(s);
		return NULL;
	}
	snprintf(err, errlen, "%s: compressor initialisation failed", initrd_format_name(fmt));
	free(s->buf);
	free(s);
	return NULL;
}

/* Run the compressor over p[0..n), or finish the stream when `finish`. */
static int compress_step(struct initrd_sink *s, const void *p, size_t n, bool finish)
{
	switch (s->fmt) {
	case INITRD_GZIP: {
		s->z.next_in = (Bytef *)p;
		s->z.avail_in = (uInt)n;
		int zr;
		do {
			s->z.next_out = s->buf;
			s->z.avail_out = SINK_BUF;
			zr = deflate(&s->z, finish ? Z_FINISH : Z_NO_FLUSH);
			if (zr == Z_STREAM_ERROR) {
				snprintf(s->err, sizeof(s->err), "gzip: compression failed");
				return -1;
			}
			s->used = SINK_BUF - s->z.avail_out;
			if (flush_buf(s))
				return -1;
		} while (s->z.avail_out == 0 || (finish && zr != Z_STREAM_END));
		return 0;
	}
	case INITRD_XZ: {
		s->x.next_in = p;
		s->x.avail_in = n;
		lzma_ret lr;
		do {
			s->x.next_out = s->buf;
			s->x.avail_out = SINK_BUF;
			lr = lzma_code(&s->x, finish ? LZMA_FINISH : LZMA_RUN);
			if (lr != LZMA_OK && lr != LZMA_STREAM_END) {
				snprintf(s->err, sizeof(s->err), "xz: compression failed (%d)", (int)lr);
				return -1;
			}
			s->used = SINK_BUF - s->x.avail_out;
			if (flush_buf(s))
				return -1;
		} while (s->x.avail_out == 0 || (finish && lr != LZMA_STREAM_END));
		return 0;
	}
	case INITRD_ZSTD: {
		ZSTD_inBuffer in = { p, n, 0 };
		size_t left;
		do {
			ZSTD_outBuffer out = { s->buf, SINK_BUF, 0 };
			left = ZSTD_compressStream2(s->zc, &out, &in,
						    finish ? ZSTD_e_end : ZSTD_e_continue);
			if (ZSTD_isError(left)) {
				snprintf(s->err, sizeof(s->err), "zstd: %s", ZSTD_getErrorName(left));
				return -1;
			}
			s->used = out.pos;
			if (flush_buf(s))
				return -1;
		} while (finish ? left != 0 : in.pos < in.size);
		return 0;
	}
	default:
		return -1;
	}
}

int initrd_sink_write(struct initrd_sink *s, const void *p, size_t n)
{
	if (s->fmt != INITRD_CPIO) {
		/* Feed the compressor in slices its 32-bit counters can take. */
		const uint8_t *b = p;
		while (n) {
			size_t k = n > SINK_BUF ? SINK_BUF : n;
			if (compress_step(s, b, k, false))
				return -1;
			b += k;
			n -= k;
		}
		return 0;
	}
	if (n >= SINK_BUF) {
		if (s->used && flush_buf(s))
			return -1;
		return write_all(s, p, n);
	}
	if (SINK_BUF - s->used < n && flush_buf(s))
		return -1;
	memcpy(s->buf + s->used, p, n);
	s->used += n;
	return 0;
}

static void sink_free(struct initrd_sink *s)
{
	if (s->fmt == INITRD_GZIP)
		deflateEnd(&s->z);
	else if (s->fmt == INITRD_XZ)
		lzma_end(&s->x);
	else if (s->fmt == INITRD_ZSTD)
		ZSTD_freeCCtx(s->zc);
	free(s->buf);
	free(s);
}

int initrd_sink_close(struct initrd_sink *s, char *err, size_t errlen)
{
	int rc = s->err[0] ? -1 : 0;

	if (rc == 0)
		rc = s->fmt == INITRD_CPIO ? flush_buf(s) : compress_step(s, NULL, 0, true);
	if (rc)
		snprintf(err, errlen, "%s", s->err);
	sink_free(s);
	return rc;
}

void initrd_sink_abort(struct initrd_sink *s)
{
	if (s)
		sink_free(s);
}
