/* SPDX-License-Identifier: MIT */
/* cpio_write.c - newc header encoder and a sequential archive writer. */
#include <fwkit/cpio.h>

static bool is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

int64_t cpio_header_size(uint64_t stream_off, uint32_t namelen, uint32_t align)
{
	if (namelen == 0 || (stream_off & 3) != 0)
		return FWK_ERR_INVAL;
	if (align != 0 && (align < 4 || !is_pow2(align)))
		return FWK_ERR_INVAL;
	if (namelen >= CPIO_NAME_MAX)
		return FWK_ERR_LIMIT;

	uint64_t namesize = (uint64_t)namelen + 1;
	uint64_t data = stream_off + CPIO_HEADER_SIZE + namesize;
	uint64_t a = align > 4 ? align : 4;
	uint64_t aligned = (data + a - 1) & ~(a - 1);

	/* Extra alignment is bought with NULs inside c_namesize, so the data
	 * lands where wanted for any reader; only the last 0..3 are padding. */
	if (a > 4) {
		namesize += aligned - data;
		if (namesize > CPIO_NAME_MAX)
			return FWK_ERR_LIMIT;
	}
	return (int64_t)(aligned - stream_off);
}

static void put_hex8(uint8_t *p, uint32_t v)
{
	static const char digits[] = "0123456789ABCDEF";

	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)digits[v & 0xf];
		v >>= 4;
	}
}

int64_t cpio_write_header(void *out, uint64_t cap, uint64_t stream_off,
			  const struct cpio_stat *st, const char *name,
			  uint32_t namelen, uint32_t align)
{
	int64_t total = cpio_header_size(stream_off, namelen, align);
	if (total < 0)
		return total;
	if ((uint64_t)total > cap)
		return FWK_ERR_NOSPACE;

	uint8_t *p = out;
	/* Everything past the header is name then NULs; the NULs that stand
	 * before the 4-byte boundary after the name belong to c_namesize only
	 * when extra alignment was asked for. */
	uint64_t namesize = (uint64_t)total - CPIO_HEADER_SIZE;
	if (align <= 4)
		namesize = (uint64_t)namelen + 1;
	const uint32_t fields[13] = {
		st->ino, st->mode, st->uid, st->gid, st->nlink, st->mtime,
		st->size, st->devmajor, st->devminor, st->rdevmajor,
		st->rdevminor, (uint32_t)namesize, 0,
	};

	memcpy(p, "070701", 6);
	for (int i = 0; i < 13; i++)
		put_hex8(p + 6 + 8 * i, fields[i]);
	memcpy(p + CPIO_HEADER_SIZE, name, namelen);
	memset(p + CPIO_HEADER_SIZE + namelen, 0,
	       (size_t)total - CPIO_HEADER_SIZE - namelen);
	return total;
}

void cpio_writer_init(struct cpio_writer *w, void *buf, uint64_t cap,
		      uint64_t base, uint32_t mtime)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	w->base = base;
	w->mtime = mtime;
}

static uint32_t name_length(const char *name)
{
	uint32_t n = 0;

	while (n <= CPIO_NAME_MAX && name[n] != '\0')
		n++;
	return n;
}

/* Append one entry whose header is exactly *st. */
static int writer_put(struct cpio_writer *w, const char *name,
		      const struct cpio_stat *st, const void *data, uint32_t align)
{
	uint32_t namelen = name_length(name);
	const struct cpio_stat s = *st;

	int64_t hsize = cpio_header_size(w->base + w->off, namelen, align);
	if (hsize < 0)
		return (int)hsize;
	uint64_t end = w->base + w->off + (uint64_t)hsize + s.size;
	uint64_t need = (uint64_t)hsize + s.size + cpio_pad4(end);
	if (need > w->cap - w->off)
		return FWK_ERR_NOSPACE;

	uint8_t *p = w->buf + w->off;
	int64_t n = cpio_write_header(p, w->cap - w->off, w->base + w->off, &s,
				      name, namelen, align);
	if (n != hsize)
		return n < 0 ? (int)n : FWK_ERR_INVAL;
	if (s.size)
		memcpy(p + hsize, data, s.size);
	memset(p + hsize + s.size, 0, cpio_pad4(end));
	w->off += need;
	return 0;
}

int cpio_writer_add(struct cpio_writer *w, const char *name,
		    const struct cpio_stat *st, const void *data, uint32_t align)
{
	struct cpio_stat s = *st;
	int field;

	if (cpio_is_trailer(name, name_length(name)))
		return FWK_ERR_BADNAME;
	if (cpio_stat_problem(st, &field))
		return FWK_ERR_INVAL;
	s.ino = w->ino + 1;
	int err = writer_put(w, name, &s, data, align);
	if (err == 0)
		w->ino = s.ino;
	return err;
}

int cpio_writer_add_dir(struct cpio_writer *w, const char *name, uint32_t perm)
{
	struct cpio_stat st = {
		.mode = CPIO_S_IFDIR | (perm & 07777), .nlink = 2,
		.mtime = w->mtime,
	};
	return cpio_writer_add(w, name, &st, 0, 0);
}

int cpio_writer_add_file(struct cpio_writer *w, const char *name, uint32_t perm,
			 const void *data, uint32_t size, uint32_t align)
{
	struct cpio_stat st = {
		.mode = CPIO_S_IFREG | (perm & 07777), .nlink = 1,
		.mtime = w->mtime, .size = size,
	};
	return cpio_writer_add(w, name, &st, data, align);
}

int cpio_writer_finish(struct cpio_writer *w, uint32_t block)
{
	if (block != 0 && !is_pow2(block))
		return FWK_ERR_INVAL;

	const uint64_t start = w->off;
	const struct cpio_stat st = { .nlink = 1 }; /* c_ino 0, as cpio writes */
	int err = writer_put(w, CPIO_TRAILER, &st, 0, 0);
	if (err)
		return err;

	if (block) {
		uint64_t end = w->base + w->off;
		uint64_t pad = (block - (end & (block - 1))) & (block - 1);
		if (pad > w->cap - w->off) {
			w->off = start;
			return FWK_ERR_NOSPACE;
		}
		memset(w->buf + w->off, 0, pad);
		w->off += pad;
	}
	return 0;
}
